// Several consoles side by side (or as tabs), each a separate client of the same server: a
// queue worker blocked in BLPOP in one, the producer's RPUSH in the other; WATCH in one, the
// write that makes EXEC fail in the other; SUBSCRIBE and PUBLISH; MONITOR.
//
//   const ui = mountConsoles({ root, tabs, tools, views, first });
//   ui.attach(engine, { scheduler });   // console 0 starts; "+" (Alt+T) opens more
//
// Each console is one mountConsole (console.js) with its own elements and its own engine
// handle (`engine.console(id)`), so the console module knows nothing of the others. This
// module keeps the tab strip, the Split toggle and which console is *active* (tabs.js): the
// one the learner last typed in (or clicked, or picked). The other panes follow it through
// this API — `active()`, `activeDb()` — and the scheduler, which publishes the active
// console's db with every tick; a new active console kicks the scheduler at once.
//
// The object returned forwards the console API (run, onCommand, focus, prompt, mode, …) to
// the active console — it is window.redisPlayground.console — and adds
//   open()            open another console (a new client at db 0), make it active; its id
//   close(id)         close a console (its client disconnects); not the last one
//   activate(id)      make a console active and put the caret on it
//   split(on)         two consoles side by side (the two last used); below 900px, tabs
//   ids(), active()   the open consoles' ids, the active one's id
//   activeDb()        the db the active console has selected
//   get(id)           one console's own API (run, mode, cancel, …)
// `onCommand` listeners hear the lines of every console (`console` says which), and each
// command makes the other consoles look for what it pushed to them (messages, MONITOR
// lines, a blocked command's answer) at once rather than on the next tick.
//
// Shortcuts: Alt+T opens a console, Alt+O goes to the next one, Alt+S toggles Split. The
// consoles share one command history (↑/↓, Ctrl+R).
import { History } from './history.js';
import { mountConsole } from './console.js';
import { ConsoleTabs } from './tabs.js';
import { h } from '../dom.js';
import { callEach } from '../listeners.js';

/** A button of the console bar (type="button": never a form submit). */
const button = (className, text, label) => h('button', { type: 'button', className, 'aria-label': label }, text);

/** The elements of console number `n` (n ≥ 2), built like the first one in index.html. */
function buildView(n, describedBy) {
  const output = h('div', { className: 'output', id: `output-${n}`, role: 'log', 'aria-live': 'polite', 'aria-label': `Console ${n} output` });
  const prompt = h('label', { className: 'prompt', id: `prompt-${n}`, for: `input-${n}` }, '127.0.0.1:6379> ');
  const input = h('input', {
    className: 'input', id: `input-${n}`, type: 'text', name: 'command', disabled: true, spellcheck: 'false',
    autocomplete: 'off', autocorrect: 'off', autocapitalize: 'off', enterkeyhint: 'send', 'aria-describedby': describedBy,
  });
  const form = h('form', { className: 'input-line', id: `input-form-${n}`, autocomplete: 'off' }, prompt, input);
  const screen = h('div', { className: 'screen', id: `screen-${n}` }, output, form);
  const view = h('div', { className: 'console-view', id: `console-view-${n}` }, screen);
  return { view, screen, output, form, input, prompt };
}

/**
 * Mount the consoles. `root` is the console section, `tabs` the place in its bar for the tab
 * strip, `tools` the bar's buttons, `views` the element holding the consoles, `first` the
 * first console's elements ({ view, screen, output, form, input, prompt }).
 */
export function mountConsoles({ root, tabs, tools, views, first, history = new History() }) {
  const state = new ConsoleTabs();
  const consoles = new Map(); // id → { id, n, view, label, ui, tab, tabButton, tabName, tabClient, closeButton }
  const listeners = new Set();
  let engine = null;
  let scheduler = null;
  let offWorld = null;
  const describedBy = first.input.getAttribute('aria-describedby');

  // --- the bar -----------------------------------------------------------------------------
  const strip = h('div', { className: 'console-tabs', role: 'group', 'aria-label': 'Consoles' });
  const newButton = h('button', {
    type: 'button', className: 'console-new', 'aria-label': 'Open another console (Alt+T)',
    title: 'Open another console: a new client of the same server (Alt+T)', 'aria-keyshortcuts': 'Alt+T', disabled: true,
    onclick: () => open(),
  }, '+');
  tabs.append(strip, newButton);

  const splitButton = h('button', {
    type: 'button', className: 'bar-button console-split', title: 'Two consoles side by side (Alt+S)',
    'aria-pressed': 'false', 'aria-keyshortcuts': 'Alt+S', disabled: true,
    onclick: () => split(!state.split),
  }, 'Split');
  const clearButton = button('bar-button', 'Clear', 'Clear the console screen');
  clearButton.title = 'Clear the screen (Ctrl+L)';
  clearButton.addEventListener('click', () => { const c = current(); c.ui.clear(); c.ui.focus(); });
  tools.append(splitButton, clearButton);

  // --- one console ---------------------------------------------------------------------------
  function add(id, parts) {
    const n = id + 1;
    const rec = { id, n, view: parts.view };
    parts.view.dataset.console = String(id);
    parts.view.setAttribute('role', 'group');
    rec.label = h('div', { className: 'view-label', 'aria-hidden': 'true' });
    parts.view.prepend(rec.label);
    rec.ui = mountConsole({
      output: parts.output, form: parts.form, input: parts.input, prompt: parts.prompt,
      screen: parts.screen, root: parts.view, history,
      onState: () => refresh(),
    });
    rec.ui.onCommand((event) => heard(rec, event));
    parts.view.addEventListener('focusin', () => { if (state.activeId !== id) activate(id, { focus: false }); });

    rec.tabState = h('span', { className: 'tab-state', 'aria-hidden': 'true' });
    rec.tabName = h('span', { className: 'tab-name' });
    rec.tabClient = h('span', { className: 'tab-client' });
    rec.tabButton = h('button', {
      type: 'button', className: 'console-tab-button', id: `console-tab-${n}`, 'aria-controls': parts.view.id,
      onclick: () => activate(id),
      ondblclick: () => rename(rec),
      onkeydown: (ev) => { if (ev.key === 'F2') { ev.preventDefault(); rename(rec); } },
    }, rec.tabState, rec.tabName, rec.tabClient);
    rec.closeButton = button('console-tab-close', '×', `Close console ${n}`);
    rec.closeButton.title = `Close console ${n} (its client disconnects)`;
    rec.closeButton.addEventListener('click', () => close(id));
    rec.tab = h('div', { className: 'console-tab' }, rec.tabButton, rec.closeButton);
    strip.appendChild(rec.tab);
    consoles.set(id, rec);
    state.add(id);
    return rec;
  }

  /** A line ran in `rec`: tell the listeners, then let the others print what it pushed. */
  function heard(rec, event) {
    refresh();
    callEach(listeners, 'A console onCommand listener', { ...event, console: rec.id });
    for (const other of consoles.values()) if (other !== rec) other.ui.poll();
    scheduler?.kick();
  }

  function current() {
    return consoles.get(state.activeId) ?? consoles.values().next().value;
  }

  /** Tab labels ("2 · id 5", the client id changes when a console reconnects), states, layout. */
  function refresh() {
    const shown = state.shown();
    root.classList.toggle('split', shown.size > 1);
    for (const rec of consoles.values()) {
      const mode = rec.ui.mode();
      const l = state.label(rec.id, { clientId: rec.ui.clientId(), mode, prompt: rec.ui.prompt(), identity: rec.ui.identity() });
      rec.tabName.textContent = l.name;
      rec.tabClient.textContent = l.client;
      rec.label.textContent = l.label;
      rec.tabButton.title = l.title;
      rec.tab.dataset.mode = mode;
      const active = rec.id === state.activeId;
      rec.tab.classList.toggle('active', active);
      rec.tab.classList.toggle('shown', shown.has(rec.id));
      rec.tabButton.setAttribute('aria-current', active ? 'true' : 'false');
      rec.view.classList.toggle('active', active);
      rec.view.classList.toggle('shown', shown.has(rec.id));
      rec.view.setAttribute('aria-label', l.viewLabel);
      rec.closeButton.hidden = consoles.size < 2;
    }
    splitButton.setAttribute('aria-pressed', String(state.split));
  }

  function activate(id, { focus = true } = {}) {
    const was = state.activeId;
    if (!state.activate(id)) return false;
    refresh();
    if (was !== id) scheduler?.kick(); // the other panes follow the new console's db
    if (focus) consoles.get(id).ui.focus();
    return true;
  }

  function open() {
    if (!engine) return null;
    const id = engine.openConsole();
    const parts = buildView(id + 1, describedBy);
    views.appendChild(parts.view);
    const rec = add(id, parts);
    const handle = engine.console(id);
    let cid = '';
    try { cid = ` (client id ${handle.clientId()})`; } catch { /* no id */ }
    rec.ui.attach(engine, handle, {
      focus: false,
      greeting: [
        { text: `Console ${rec.n}: another redis-cli, a separate client of the same server${cid}.` },
        { text: 'Try ', examples: ['BLPOP jobs 0'], after: ' here and RPUSH jobs job:1 in another console (Split shows two side by side).' },
      ],
    });
    activate(id);
    return id;
  }

  function close(id) {
    const rec = consoles.get(id);
    if (!rec || consoles.size < 2 || !engine) return false;
    const wasActive = state.activeId === id;
    const next = state.remove(id);
    rec.ui.destroy();
    try { engine.closeConsole(id); } catch (e) { console.error(e); }
    rec.view.remove();
    rec.tab.remove();
    consoles.delete(id);
    activate(next, { focus: wasActive });
    for (const other of consoles.values()) other.ui.poll();
    return true;
  }

  function split(on = !state.split) {
    if (!engine) return false;
    state.setSplit(on);
    if (state.split && consoles.size < 2) open();
    refresh();
    return state.split;
  }

  /** Rename a console's tab (a local label; the server's client name is CLIENT SETNAME's). */
  function rename(rec) {
    if (rec.tab.querySelector('.tab-rename')) return;
    const field = h('input', {
      className: 'tab-rename', type: 'text', value: state.names.get(rec.id), maxlength: 24, spellcheck: 'false',
      'aria-label': `Name of console ${rec.n}`, autocomplete: 'off',
    });
    rec.tabButton.hidden = true;
    rec.tab.insertBefore(field, rec.tabButton);
    field.focus();
    field.select();
    let done = false;
    const finish = (keep) => {
      if (done) return;
      done = true;
      if (keep) state.rename(rec.id, field.value);
      field.remove();
      rec.tabButton.hidden = false;
      refresh();
      rec.tabButton.focus();
    };
    field.addEventListener('keydown', (ev) => {
      ev.stopPropagation();
      if (ev.key === 'Enter') { ev.preventDefault(); finish(true); }
      else if (ev.key === 'Escape') { ev.preventDefault(); finish(false); }
    });
    field.addEventListener('blur', () => finish(true));
  }

  document.addEventListener('keydown', (ev) => {
    if (!engine || !ev.altKey || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.repeat) return;
    if (ev.code === 'KeyT') { ev.preventDefault(); open(); }
    else if (ev.code === 'KeyO') { ev.preventDefault(); activate(state.next()); }
    else if (ev.code === 'KeyS') { ev.preventDefault(); split(); }
  });

  add(0, first);
  refresh();

  return {
    /** Start on the engine (the Playground); waiting consoles are polled on `scheduler`'s ticks. */
    attach(e, { scheduler: s = null } = {}) {
      engine = e;
      scheduler = s;
      offWorld?.();
      offWorld = scheduler?.subscribe((world) => {
        for (const rec of consoles.values()) rec.ui.poll(world.now);
      }) ?? null;
      consoles.get(0).ui.attach(engine, engine.console(0));
      newButton.disabled = false;
      splitButton.disabled = false;
      refresh();
    },
    run: (line) => current().ui.run(line),
    onCommand(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    focus: () => current().ui.focus(),
    prompt: () => current().ui.prompt(),
    readingMessages: () => current().ui.readingMessages(),
    mode: () => current().ui.mode(),
    clear: () => current().ui.clear(),
    status: (message) => current().ui.status(message),
    note: (text) => current().ui.note(text),
    fatal(message) {
      for (const rec of consoles.values()) rec.ui.fatal(message);
      engine = null;
      offWorld?.();
      offWorld = null;
      newButton.disabled = true;
      splitButton.disabled = true;
    },
    open,
    close,
    activate,
    split,
    isSplit: () => state.split,
    ids: () => [...consoles.keys()],
    active: () => state.activeId,
    activeDb: () => current()?.ui.db() ?? 0,
    get: (id) => consoles.get(id)?.ui ?? null,
    /** Every open console's transcript (as text, for saving), in the order of ids(). */
    transcripts: () => [...consoles.values()].map((rec) => rec.ui.transcript?.() ?? []),
    /** Show saved transcripts in the open consoles, the first in the first, and so on. */
    restoreTranscripts(list) {
      if (!Array.isArray(list)) return;
      [...consoles.values()].forEach((rec, i) => rec.ui.restoreTranscript?.(list[i]));
    },
  };
}
