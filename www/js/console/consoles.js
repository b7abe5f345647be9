// Several consoles side by side (or as tabs), each a separate client of the same server: a
// queue worker blocked in BLPOP in one, the producer's RPUSH in the other; WATCH in one, the
// write that makes EXEC fail in the other; SUBSCRIBE and PUBLISH; MONITOR.
//
//   const ui = mountConsoles({ root, tabs, tools, views, first, facade });
//   ui.attach(engine);                 // console 0 starts; "+" (Alt+T) opens more
//
// Each console is one mountConsole (console.js) with its own elements and its own engine
// facade (`facade(engine, id)`, engine.js consoleEngine), so the console module knows
// nothing of the others. This module keeps the tab strip, the Split toggle and which
// console is *active*: the one the learner last typed in (or clicked, or picked); the
// other panes follow its db (engine.js activeDb: the keyspace view).
//
// The object returned forwards the console API (run, onCommand, focus, prompt, mode, …) to
// the active console — it is window.redisPlayground.console — and adds
//   open()            open another console (a new client at db 0), make it active; its id
//   close(id)         close a console (its client disconnects); not the last one
//   activate(id)      make a console active and put the caret on it
//   split(on)         two consoles side by side (the two last used); below 900px, tabs
//   ids(), active()   the open consoles' ids, the active one's id
//   get(id)           one console's own API (run, mode, cancel, …)
// `onCommand` listeners hear the lines of every console (`console` says which), and each
// command makes the other consoles look for what it pushed to them (messages, MONITOR
// lines, a blocked command's answer) at once rather than on their next poll.
//
// Shortcuts: Alt+T opens a console, Alt+O goes to the next one, Alt+S toggles Split. The
// consoles share one command history (↑/↓, Ctrl+R).
import { setActiveConsole } from '../engine.js';
import { History } from './history.js';
import { mountConsole } from './console.js';

const MODE_TITLES = {
  blocked: 'waiting for a blocking command (Ctrl+C cancels)',
  reading: 'reading messages (Ctrl+C quits)',
  monitor: 'showing MONITOR (Ctrl+C quits)',
};

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(className, text, label) {
  const b = el('button', className, text);
  b.type = 'button';
  if (label) b.setAttribute('aria-label', label);
  return b;
}

/** The elements of console number `n` (n ≥ 2), built like the first one in index.html. */
function buildView(n, describedBy) {
  const view = el('div', 'console-view');
  view.id = `console-view-${n}`;
  const screen = el('div', 'screen');
  screen.id = `screen-${n}`;
  const output = el('div', 'output');
  output.id = `output-${n}`;
  output.setAttribute('role', 'log');
  output.setAttribute('aria-live', 'polite');
  output.setAttribute('aria-label', `Console ${n} output`);
  const form = el('form', 'input-line');
  form.id = `input-form-${n}`;
  form.autocomplete = 'off';
  const prompt = el('label', 'prompt', '127.0.0.1:6379> ');
  prompt.id = `prompt-${n}`;
  prompt.htmlFor = `input-${n}`;
  const input = el('input', 'input');
  Object.assign(input, { id: `input-${n}`, type: 'text', name: 'command', disabled: true, spellcheck: false });
  for (const [k, v] of [['autocomplete', 'off'], ['autocorrect', 'off'], ['autocapitalize', 'off'], ['enterkeyhint', 'send']]) {
    input.setAttribute(k, v);
  }
  if (describedBy) input.setAttribute('aria-describedby', describedBy);
  form.append(prompt, input);
  screen.append(output, form);
  view.append(screen);
  return { view, screen, output, form, input, prompt };
}

/**
 * Mount the consoles. `root` is the console section, `tabs` the place in its bar for the tab
 * strip, `tools` the bar's buttons, `views` the element holding the consoles, `first` the
 * first console's elements ({ view, screen, output, form, input, prompt }), `facade(engine,
 * id)` makes a console's engine (engine.js consoleEngine).
 */
export function mountConsoles({ root, tabs, tools, views, first, facade, history = new History() }) {
  const consoles = new Map(); // id → { id, n, name, view, label, ui, engine, tab, tabButton, closeButton }
  const listeners = new Set();
  let engine = null;
  let activeId = 0;
  let recent = []; // console ids, the most recently active first
  let splitOn = false;
  const describedBy = first.input.getAttribute('aria-describedby');

  // --- the bar -----------------------------------------------------------------------------
  const strip = el('div', 'console-tabs');
  strip.setAttribute('role', 'group');
  strip.setAttribute('aria-label', 'Consoles');
  const newButton = button('console-new', '+', 'Open another console (Alt+T)');
  newButton.title = 'Open another console: a new client of the same server (Alt+T)';
  newButton.setAttribute('aria-keyshortcuts', 'Alt+T');
  newButton.disabled = true;
  newButton.addEventListener('click', () => open());
  tabs.append(strip, newButton);

  const splitButton = button('bar-button console-split', 'Split');
  splitButton.title = 'Two consoles side by side (Alt+S)';
  splitButton.setAttribute('aria-pressed', 'false');
  splitButton.setAttribute('aria-keyshortcuts', 'Alt+S');
  splitButton.disabled = true;
  splitButton.addEventListener('click', () => split(!splitOn));
  const clearButton = button('bar-button', 'Clear', 'Clear the console screen');
  clearButton.title = 'Clear the screen (Ctrl+L)';
  clearButton.addEventListener('click', () => { const c = current(); c.ui.clear(); c.ui.focus(); });
  tools.append(splitButton, clearButton);

  // --- one console ---------------------------------------------------------------------------
  function add(id, parts) {
    const n = id + 1;
    const rec = { id, n, name: String(n), view: parts.view, engine: null };
    parts.view.dataset.console = String(id);
    parts.view.setAttribute('role', 'group');
    rec.label = el('div', 'view-label');
    rec.label.setAttribute('aria-hidden', 'true');
    parts.view.prepend(rec.label);
    rec.ui = mountConsole({
      output: parts.output, form: parts.form, input: parts.input, prompt: parts.prompt,
      screen: parts.screen, root: parts.view, history,
      onState: () => refresh(),
    });
    rec.ui.onCommand((event) => heard(rec, event));
    parts.view.addEventListener('focusin', () => { if (activeId !== id) activate(id, { focus: false }); });

    rec.tab = el('div', 'console-tab');
    rec.tabButton = button('console-tab-button');
    rec.tabButton.id = `console-tab-${n}`;
    rec.tabButton.setAttribute('aria-controls', parts.view.id);
    rec.tabState = el('span', 'tab-state');
    rec.tabState.setAttribute('aria-hidden', 'true');
    rec.tabName = el('span', 'tab-name');
    rec.tabClient = el('span', 'tab-client');
    rec.tabButton.append(rec.tabState, rec.tabName, rec.tabClient);
    rec.tabButton.addEventListener('click', () => activate(id));
    rec.tabButton.addEventListener('dblclick', () => rename(rec));
    rec.tabButton.addEventListener('keydown', (ev) => {
      if (ev.key === 'F2') { ev.preventDefault(); rename(rec); }
    });
    rec.closeButton = button('console-tab-close', '×', `Close console ${n}`);
    rec.closeButton.title = `Close console ${n} (its client disconnects)`;
    rec.closeButton.addEventListener('click', () => close(id));
    rec.tab.append(rec.tabButton, rec.closeButton);
    strip.appendChild(rec.tab);
    consoles.set(id, rec);
    recent.push(id);
    return rec;
  }

  /** A line ran in `rec`: tell the listeners, then let the others print what it pushed. */
  function heard(rec, event) {
    refresh();
    for (const fn of [...listeners]) {
      try {
        fn({ ...event, console: rec.id });
      } catch (e) {
        console.error('console onCommand listener failed:', e);
      }
    }
    for (const other of consoles.values()) if (other !== rec) other.ui.poll();
  }

  function current() {
    return consoles.get(activeId) ?? consoles.values().next().value;
  }

  /** Tab labels ("2 · id 5", the client id changes when a console reconnects), states, layout. */
  function refresh() {
    const shown = new Set(splitOn && consoles.size > 1 ? recent.slice(0, 2) : [activeId]);
    root.classList.toggle('split', shown.size > 1);
    for (const rec of consoles.values()) {
      let cid = null;
      try { cid = rec.engine ? rec.engine.clientId() : null; } catch { cid = null; }
      const mode = rec.ui.mode();
      // After CLIENT KILL the console shows "not connected> " until its next command.
      const client = rec.ui.prompt().startsWith('not connected') ? ' · not connected' : cid === null ? '' : ` · id ${cid}`;
      const text = `${rec.name}${client}`;
      rec.tabName.textContent = rec.name;
      rec.tabClient.textContent = client;
      rec.label.textContent = mode === 'ready' ? text : `${text} — ${mode === 'blocked' ? 'waiting' : mode === 'monitor' ? 'MONITOR' : 'reading messages'}`;
      const who = client === ' · not connected' ? ', not connected' : cid === null ? '' : `, client id ${cid}`;
      rec.tabButton.title = `Console ${rec.n}${who}${mode === 'ready' ? '' : `: ${MODE_TITLES[mode] ?? mode}`}. Double-click (or F2) to rename it.`;
      rec.tab.dataset.mode = mode;
      const active = rec.id === activeId;
      rec.tab.classList.toggle('active', active);
      rec.tab.classList.toggle('shown', shown.has(rec.id));
      rec.tabButton.setAttribute('aria-current', active ? 'true' : 'false');
      rec.view.classList.toggle('active', active);
      rec.view.classList.toggle('shown', shown.has(rec.id));
      rec.view.setAttribute('aria-label', `Console ${text}`);
      rec.closeButton.hidden = consoles.size < 2;
    }
    splitButton.setAttribute('aria-pressed', String(splitOn));
  }

  function activate(id, { focus = true } = {}) {
    const rec = consoles.get(id);
    if (!rec) return false;
    activeId = id;
    recent = [id, ...recent.filter((x) => x !== id)];
    if (engine) setActiveConsole(engine, id);
    refresh();
    if (focus) rec.ui.focus();
    return true;
  }

  function open() {
    if (!engine) return null;
    const id = engine.openConsole();
    const parts = buildView(id + 1, describedBy);
    views.appendChild(parts.view);
    const rec = add(id, parts);
    rec.engine = facade(engine, id);
    let cid = '';
    try { cid = ` (client id ${rec.engine.clientId()})`; } catch { /* no id */ }
    rec.ui.attach(rec.engine, {
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
    rec.ui.destroy();
    try { engine.closeConsole(id); } catch (e) { console.error(e); }
    rec.view.remove();
    rec.tab.remove();
    consoles.delete(id);
    recent = recent.filter((x) => x !== id);
    if (consoles.size < 2) splitOn = false;
    if (activeId === id) activate(recent[0], { focus: true });
    else activate(activeId, { focus: false });
    for (const other of consoles.values()) other.ui.poll();
    return true;
  }

  function split(on = !splitOn) {
    if (!engine) return false;
    splitOn = Boolean(on);
    if (splitOn && consoles.size < 2) open();
    refresh();
    return splitOn;
  }

  function next(step = 1) {
    const ids = [...consoles.keys()];
    const at = ids.indexOf(activeId);
    activate(ids[(at + step + ids.length) % ids.length]);
  }

  /** Rename a console's tab (a local label; the server's client name is CLIENT SETNAME's). */
  function rename(rec) {
    if (rec.tab.querySelector('.tab-rename')) return;
    const field = el('input', 'tab-rename');
    Object.assign(field, { type: 'text', value: rec.name, maxLength: 24, spellcheck: false });
    field.setAttribute('aria-label', `Name of console ${rec.n}`);
    field.setAttribute('autocomplete', 'off');
    rec.tabButton.hidden = true;
    rec.tab.insertBefore(field, rec.tabButton);
    field.focus();
    field.select();
    let done = false;
    const finish = (keep) => {
      if (done) return;
      done = true;
      if (keep) rec.name = field.value.trim() || String(rec.n);
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
    else if (ev.code === 'KeyO') { ev.preventDefault(); next(); }
    else if (ev.code === 'KeyS') { ev.preventDefault(); split(); }
  });

  add(0, first);
  refresh();

  return {
    attach(e) {
      engine = e;
      const rec = consoles.get(0);
      rec.engine = facade(engine, 0);
      setActiveConsole(engine, 0);
      rec.ui.attach(rec.engine);
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
    fatal(message) {
      for (const rec of consoles.values()) rec.ui.fatal(message);
      engine = null;
      newButton.disabled = true;
      splitButton.disabled = true;
    },
    open,
    close,
    activate,
    split,
    isSplit: () => splitOn,
    ids: () => [...consoles.keys()],
    active: () => activeId,
    get: (id) => consoles.get(id)?.ui ?? null,
  };
}
