// Presenter mode: large type and high contrast for a projector. A classic script loaded in
// <head>, so the class is on <html> before the first paint. Every pane's CSS follows the
// variables that `html.presenter` overrides (css/style.css).
//
//   the header's "Presenter mode" button, or Alt+P anywhere, toggles it; remembered in
//   localStorage; a `presenterchange` event ({ detail: { on } }) is dispatched on document.
(function () {
  'use strict';
  var KEY = 'redis-playground:presenter';
  var root = document.documentElement;
  var on = false;
  try { on = window.localStorage.getItem(KEY) === '1'; } catch (e) { /* storage blocked */ }

  function sync() {
    root.classList.toggle('presenter', on);
    var b = document.getElementById('presenter-toggle');
    if (b) b.setAttribute('aria-pressed', String(on));
  }

  function set(value) {
    on = !!value;
    try { window.localStorage.setItem(KEY, on ? '1' : '0'); } catch (e) { /* in memory only */ }
    sync();
    document.dispatchEvent(new CustomEvent('presenterchange', { detail: { on: on } }));
  }

  sync();
  document.addEventListener('DOMContentLoaded', function () {
    sync();
    var b = document.getElementById('presenter-toggle');
    if (b) b.addEventListener('click', function () { set(!on); });
  });
  document.addEventListener('keydown', function (ev) {
    if (ev.altKey && !ev.ctrlKey && !ev.metaKey && !ev.shiftKey && ev.code === 'KeyP') {
      ev.preventDefault();
      set(!on);
    }
  });
  window.presenterMode = { get on() { return on; }, set: set };
})();
