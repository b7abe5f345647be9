// The redis-cli console: a prompt, an input line (editor.js) and a scrolling transcript.
//
// Every line runs through the engine (`execDetailed(line)`, or `exec(line)`), which returns
// exactly what `redis-cli --no-raw` prints plus each command's reply tree. Output is always
// inserted as text (text nodes / textContent): a stored value such as
// `<img src=x onerror=alert(1)>` shows literally. HELP output's ANSI escapes become styled
// spans (ansi.js). Each reply can be copied and, when table-shaped, shown as a table
// (reply.js); huge replies are shown a chunk at a time.
//
// The other panes use the API `mountConsole` returns:
//   run(line)     run a line as if typed and entered (echo, output, history); returns its text
//   onCommand(fn) fn({ line, text, replies }) after every line the console runs, whoever
//                 entered it; returns an unsubscribe function
//   focus()       put the caret on the input line
//   prompt()      the current prompt, e.g. "127.0.0.1:6379[2]> "
//   mode()        "ready", "reading" (SUBSCRIBE), "monitor" (MONITOR), "blocked" (BLPOP …)
//
// One mountConsole per console: several consoles (consoles.js) are several clients of the
// same server, each with its own engine facade (engine.js consoleEngine) and elements.
import { History } from './history.js';
import { createEditor } from './editor.js';
import { renderReply } from './reply.js';
import { highlight, renderRuns } from './highlight.js';
import { repeatCount } from '../cli.js';

const MAX_ENTRIES = 1000; // transcript entries kept in the page
const DEFAULT_PROMPT = '127.0.0.1:6379> ';
const MAX_ECHO = 2000; // an echoed line longer than this is cut (the whole line still ran)
const POLL_MS = 100; // how often a waiting console asks the engine for what to print

const WELCOME = [
  { text: 'Welcome to Redis Playground: Redis 7.0 in your browser tab.' },
  { text: 'Try ', examples: ['SET greeting "Hello, World!"', 'GET greeting', 'help @string'] },
];

/**
 * What a blocked line waits for, from its arguments (a leading repeat count is skipped):
 * `{ command, keys, timeout }`, the timeout in seconds (0: none).
 */
export function blockingInfo(args) {
  const a = repeatCount(args).argv;
  const command = (a[0] ?? '').toUpperCase();
  let keys;
  let timeout;
  switch (command) {
    case 'BLMPOP':
    case 'BZMPOP': {
      timeout = Number(a[1]);
      const n = Number.parseInt(a[2], 10);
      keys = a.slice(3, 3 + (Number.isFinite(n) && n > 0 ? n : 0));
      break;
    }
    case 'BLMOVE':
    case 'BRPOPLPUSH':
      keys = a.slice(1, 2);
      timeout = Number(a[a.length - 1]);
      break;
    default:
      keys = a.slice(1, -1);
      timeout = Number(a[a.length - 1]);
  }
  return { command, keys, timeout: Number.isFinite(timeout) && timeout > 0 ? timeout : 0 };
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * Wire the console to its elements. Returns the API above plus `attach(engine, options)`,
 * `clear()`, `status(msg)`, `fatal(msg)`, `poll()`, `cancel()` and `destroy()`; the input
 * stays disabled until `attach` gives it an engine. `onState(mode)` hears every change of
 * mode; `history` may be shared by several consoles.
 */
export function mountConsole({
  output, form, input, prompt, screen = output, root = output.parentElement, tools = null,
  history = new History(), onState = null,
}) {
  let engine = null;
  let promptText = DEFAULT_PROMPT;
  let statusLine = null;
  const listeners = new Set();

  // Screen-reader announcements for things that are not transcript lines ("Copied").
  const announcer = el('div', 'sr-only');
  announcer.setAttribute('role', 'status');
  root.appendChild(announcer);
  const announce = (msg) => {
    announcer.textContent = '';
    requestAnimationFrame(() => { announcer.textContent = msg; });
  };

  const editor = createEditor({
    form, input, promptEl: prompt, history,
    onSubmit: (line) => run(line),
    onClear: () => clear(),
    onPasteLines: (lines) => { for (const line of lines) run(line); },
  });

  const scrollToBottom = () => { screen.scrollTop = screen.scrollHeight; };

  function append(node) {
    if (statusLine) { statusLine.remove(); statusLine = null; }
    output.appendChild(node);
    while (output.childElementCount > MAX_ENTRIES) output.firstElementChild.remove();
    scrollToBottom();
    return node;
  }

  function setPrompt(text) {
    promptText = text;
    editor.setPrompt(text);
  }

  function welcome(lines = WELCOME) {
    const box = el('div', 'entry welcome');
    for (const line of lines) {
      const p = el('div', 'welcome-line', line.text);
      (line.examples || []).forEach((ex, i) => {
        if (i > 0) p.appendChild(document.createTextNode(i === line.examples.length - 1 ? ' or ' : ', then '));
        const b = el('button', 'example', ex);
        b.type = 'button';
        b.title = 'Put this command on the input line';
        b.addEventListener('click', () => {
          input.value = ex;
          input.focus();
          input.setSelectionRange(ex.length, ex.length);
          editor.render();
        });
        p.appendChild(b);
      });
      if (line.after) p.appendChild(document.createTextNode(line.after));
      box.appendChild(p);
    }
    append(box);
  }

  function echo(line) {
    const entry = el('div', 'entry');
    const cmd = el('div', 'echo');
    const typed = el('span', 'echo-line');
    if (line.length > MAX_ECHO) {
      typed.textContent = line.slice(0, MAX_ECHO);
      typed.appendChild(el('span', 'echo-cut', ` … (${(line.length - MAX_ECHO).toLocaleString('en-US')} more characters)`));
    } else {
      renderRuns(typed, highlight(line, engine, editor.index));
    }
    cmd.append(el('span', 'echo-prompt', promptText), typed);
    entry.appendChild(cmd);
    return entry;
  }

  function clear() {
    output.replaceChildren();
    statusLine = null;
  }

  function notify(event) {
    for (const fn of [...listeners]) {
      try {
        fn(event);
      } catch (e) {
        console.error('console onCommand listener failed:', e);
      }
    }
  }

  function execute(line) {
    if (typeof engine.execDetailed === 'function') {
      const r = engine.execDetailed(line);
      return { text: String(r?.text ?? ''), replies: Array.from(r?.replies ?? []) };
    }
    return { text: engine.exec(line), replies: [] };
  }

  // --- Modes: reading messages, MONITOR, blocked ---------------------------------------------
  //
  // After SUBSCRIBE/PSUBSCRIBE redis-cli prints "Reading messages..." and then only shows
  // pushed messages until Ctrl-C; after MONITOR it shows every command of every client; in
  // BLPOP and friends it shows nothing until the answer (or the timeout, on the world clock)
  // arrives. We do the same: the input line gives way to a waiting bar (with a Cancel/Stop
  // button), the engine is polled for what to print, Enter does nothing, and Ctrl+C closes
  // the connection (the console connects again). A blocked command's answer is printed
  // under its line, and lines pasted or run meanwhile wait their turn, as a piped redis-cli's would.
  let mode = 'ready';
  let pollTimer = null;
  let pending = null; // the blocked line: { entry, line, info, since }
  const queue = []; // lines run while blocked, run when it ends

  const bar = el('div', 'waiting');
  bar.hidden = true;
  const barIndicator = el('span', 'waiting-indicator');
  barIndicator.setAttribute('aria-hidden', 'true');
  barIndicator.append(el('span'), el('span'), el('span'));
  const barText = el('span', 'waiting-text');
  const barDetail = el('span', 'waiting-detail');
  const barKeys = el('span', 'waiting-keys');
  barDetail.setAttribute('aria-hidden', 'true'); // a countdown: not read out ten times a second
  const barButton = el('button', 'bar-button waiting-cancel', 'Cancel');
  barButton.type = 'button';
  barButton.addEventListener('click', () => { cancel(); input.focus({ preventScroll: true }); });
  const barMain = el('span', 'waiting-main');
  barMain.append(barIndicator, barText);
  const barSub = el('span', 'waiting-sub');
  barSub.append(barDetail, barKeys, barButton);
  bar.append(barMain, barSub);
  form.after(bar);

  function engineMode() {
    if (typeof engine.mode === 'function') return String(engine.mode());
    return typeof engine.isReadingMessages === 'function' && engine.isReadingMessages() ? 'reading' : 'ready';
  }

  function argsOf(line) {
    try {
      const got = engine.splitArgs?.(line);
      if (got) return Array.from(got, (a) => String(a.text));
    } catch { /* fall through */ }
    return line.trim().split(/\s+/);
  }

  function updateBar() {
    if (mode === 'blocked' && pending) {
      const { info, since } = pending;
      let detail = 'no timeout';
      if (info.timeout > 0) {
        let left = since + info.timeout * 1000 - Number(engine.now?.() ?? since);
        left = Math.max(0, left) / 1000;
        detail = `times out in ${left < 10 ? left.toFixed(1) : Math.ceil(left).toLocaleString('en-US')} s (world clock)`;
      }
      const queued = queue.length ? ` · ${queue.length} more line${queue.length > 1 ? 's' : ''} queued` : '';
      barDetail.textContent = `${detail}${queued}`;
    }
  }

  function showBar() {
    if (mode === 'blocked') {
      const { info } = pending;
      barText.textContent = `waiting for ${[info.command, ...info.keys].join(' ')}…`;
      barKeys.textContent = 'Ctrl+C to cancel';
      barButton.textContent = 'Cancel';
      barButton.setAttribute('aria-label', `Cancel the waiting ${info.command}`);
    } else {
      barText.textContent = mode === 'monitor' ? 'monitoring every command…' : 'reading messages…';
      barDetail.textContent = '';
      barKeys.textContent = 'Ctrl+C to quit';
      barButton.textContent = 'Stop';
      barButton.setAttribute('aria-label', mode === 'monitor' ? 'Stop MONITOR' : 'Stop reading messages');
    }
    updateBar();
    bar.hidden = false;
  }

  function enter(m, line, entry) {
    mode = m;
    pending = m === 'blocked'
      ? { entry, line, info: blockingInfo(argsOf(line)), since: Number(engine.now?.() ?? 0) }
      : null;
    root.dataset.mode = m;
    root.classList.add('suspended');
    input.readOnly = true;
    editor.suspend(true);
    prompt.textContent = '';
    showBar();
    const what = barText.textContent;
    input.setAttribute('aria-description', `${what} Press Ctrl+C or the ${barButton.textContent} button to end it.`);
    announce(`${what} Press Ctrl+C to ${m === 'blocked' ? 'cancel' : 'quit'}.`);
    pollTimer = setInterval(poll, POLL_MS);
    onState?.(m);
  }

  function leave() {
    clearInterval(pollTimer);
    pollTimer = null;
    mode = 'ready';
    pending = null;
    delete root.dataset.mode;
    root.classList.remove('suspended');
    bar.hidden = true;
    input.readOnly = false;
    input.removeAttribute('aria-description');
    editor.suspend(false);
    try { setPrompt(engine.prompt()); } catch { editor.setPrompt(promptText); }
    editor.render();
    onState?.('ready');
  }

  /** Print what the engine pushed to this console; notice when its mode ends by itself. */
  function poll() {
    if (!engine || mode === 'ready') return;
    let text = '';
    let now = mode;
    try {
      text = String(engine.takeMessages() ?? '');
      now = engineMode();
    } catch (e) {
      console.error(e);
      now = 'ready';
    }
    if (text) {
      if (mode === 'blocked' && pending && !pending.answered && pending.entry?.isConnected) {
        renderReply(pending.entry, { text, replies: [], engineError: false, announce });
        pending.answered = true;
        scrollToBottom();
      } else {
        const entry = el('div', 'entry');
        renderReply(entry, { text, replies: [], engineError: false, announce });
        append(entry);
      }
    }
    if (now === mode) { updateBar(); return; }
    const done = pending;
    if (now === 'ready') {
      leave();
      if (done) notify({ line: done.line, text, replies: [], unblocked: true });
      drain();
    } else {
      // (Not expected: the engine went from one waiting mode to another.)
      clearInterval(pollTimer);
      enter(now, done?.line ?? '', done?.entry ?? null);
    }
  }

  /** Ctrl+C: end reading, MONITOR or a wait; the connection closes and opens again. */
  function cancel() {
    if (!engine || mode === 'ready') return false;
    poll();
    if (mode === 'ready') return false;
    const done = pending;
    queue.length = 0;
    let id = null;
    try {
      engine.interrupt();
      id = typeof engine.clientId === 'function' ? engine.clientId() : null;
    } catch (e) {
      console.error(e);
    }
    const note = el('div', 'note', `^C: the connection closed${id === null ? '' : `; reconnected as client id ${id}`}`);
    if (done?.entry?.isConnected) {
      done.entry.appendChild(note);
      scrollToBottom();
    } else {
      const entry = el('div', 'entry');
      entry.appendChild(note);
      append(entry);
    }
    leave();
    if (done) notify({ line: done.line, text: '', replies: [], cancelled: true });
    return true;
  }

  function drain() {
    while (mode === 'ready' && queue.length) run(queue.shift());
  }

  root.addEventListener('keydown', (ev) => {
    if (mode === 'ready' || ev.isComposing) return;
    if (ev.ctrlKey && !ev.altKey && !ev.metaKey && !ev.shiftKey && (ev.key === 'c' || ev.key === 'C')) {
      // With text selected in the transcript, Ctrl+C copies it.
      if (ev.target !== input && String(window.getSelection?.() ?? '') !== '') return;
      ev.preventDefault();
      cancel();
    } else if (ev.target === input && (ev.key === 'Enter' || ev.key === ' ')) {
      ev.preventDefault(); // no submit; and a read-only input would let Space scroll the page
    }
  }, true);

  /** Run one console line as if typed and entered; returns what redis-cli prints for it. */
  function run(line) {
    if (!engine) return '';
    line = String(line);
    if (mode === 'blocked') {
      queue.push(line); // a piped redis-cli sends it when the wait ends
      updateBar();
      return '';
    }
    if (mode !== 'ready') return '';
    const entry = echo(line);
    if (line.trim().toLowerCase() === 'clear') {
      clear(); // redis-cli clears the screen itself, without a round trip
      history.add(line);
      notify({ line, text: '', replies: [] });
      return '';
    }
    let text = '';
    let replies = [];
    if (line.trim() !== '') {
      let failed = false;
      try {
        ({ text, replies } = execute(line));
      } catch (e) {
        failed = true;
        text = `The engine failed on this command (${e && e.message ? e.message : e}). Reload the page to start again.`;
        console.error(e);
      }
      renderReply(entry, { text, replies, engineError: failed, announce });
      history.add(line);
      if (failed) text = '';
    }
    append(entry);
    try {
      setPrompt(engine.prompt());
    } catch {
      /* keep the last prompt */
    }
    editor.render();
    let now = 'ready';
    try { now = engineMode(); } catch { /* stay at the prompt */ }
    if (now !== 'ready') enter(now, line, entry);
    notify({ line, text, replies });
    return text;
  }

  // A click on the console (not a text selection, not a control) puts the caret back on the input.
  root.addEventListener('click', (ev) => {
    if (ev.target.closest('button, a, input, table, .more')) return;
    if (String(window.getSelection?.() ?? '') !== '') return;
    if (!input.disabled) input.focus({ preventScroll: true });
  });

  if (tools) {
    const clearButton = el('button', 'bar-button', 'Clear');
    clearButton.type = 'button';
    clearButton.title = 'Clear the screen (Ctrl+L)';
    clearButton.setAttribute('aria-label', 'Clear the console screen');
    clearButton.addEventListener('click', () => { clear(); input.focus(); });
    tools.appendChild(clearButton);
  }

  return {
    /** Start on an engine (a console's facade); `greeting` replaces the welcome lines. */
    attach(e, { greeting = WELCOME, focus = true } = {}) {
      engine = e;
      if (statusLine) { statusLine.remove(); statusLine = null; }
      if (greeting && greeting.length) welcome(greeting);
      setPrompt(engine.prompt());
      editor.attach(engine);
      input.disabled = false;
      if (focus) input.focus();
      // The command table (for colouring) is built when the page is idle, not before typing.
      (window.requestIdleCallback ?? ((f) => setTimeout(f, 50)))(() => { editor.warm(); editor.render(); });
    },
    run,
    onCommand(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    focus() {
      if (!input.disabled) input.focus();
    },
    prompt() {
      return promptText;
    },
    /** True while the console shows pushed messages (after SUBSCRIBE), until Ctrl+C. */
    readingMessages() {
      return mode === 'reading';
    },
    /** "ready", "reading" (after SUBSCRIBE), "monitor" or "blocked" (in BLPOP and friends). */
    mode() {
      return mode;
    },
    /** Look for pushed messages and a blocked command's answer now (another console just ran a command). */
    poll,
    /** Ctrl+C: end reading, MONITOR or a wait. Returns whether anything ended. */
    cancel,
    clear,
    status(message) {
      if (statusLine) statusLine.remove();
      statusLine = el('div', 'entry status', message);
      output.appendChild(statusLine);
    },
    fatal(message) {
      clearInterval(pollTimer);
      pollTimer = null;
      append(el('div', 'entry result engine-error', message));
      input.disabled = true;
      engine = null;
      editor.detach();
    },
    /** Stop timers and listeners (the console is closed; its elements are removed by the caller). */
    destroy() {
      clearInterval(pollTimer);
      pollTimer = null;
      engine = null;
      listeners.clear();
      editor.destroy();
    },
  };
}
