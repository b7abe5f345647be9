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
import { History } from './history.js';
import { createEditor } from './editor.js';
import { renderReply } from './reply.js';
import { highlight, renderRuns } from './highlight.js';

const MAX_ENTRIES = 1000; // transcript entries kept in the page
const DEFAULT_PROMPT = '127.0.0.1:6379> ';
const MAX_ECHO = 2000; // an echoed line longer than this is cut (the whole line still ran)

const WELCOME = [
  { text: 'Welcome to Redis Playground: Redis 7.0 in your browser tab.' },
  { text: 'Try ', examples: ['SET greeting "Hello, World!"', 'GET greeting', 'help @string'] },
];

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * Wire the console to its elements. Returns the API above plus `attach(engine)`, `clear()`,
 * `status(msg)` and `fatal(msg)`; the input stays disabled until `attach` gives it an engine.
 */
export function mountConsole({
  output, form, input, prompt, screen = output, root = output.parentElement, tools = null,
  history = new History(),
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

  function welcome() {
    const box = el('div', 'entry welcome');
    for (const line of WELCOME) {
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

  // After SUBSCRIBE/PSUBSCRIBE redis-cli prints "Reading messages..." and then only shows
  // pushed messages until Ctrl-C, which closes its connection. We do the same: poll the
  // engine for messages, ignore Enter, and let Ctrl+C end it.
  let readingTimer = null;

  function pollMessages() {
    if (!engine) return;
    const text = engine.takeMessages();
    if (text) {
      const entry = el('div', 'entry');
      renderReply(entry, { text, replies: [], engineError: false, announce });
      append(entry);
    }
  }

  function startReading() {
    if (readingTimer || typeof engine.isReadingMessages !== 'function' || !engine.isReadingMessages()) return;
    root.classList.add('reading-messages');
    input.readOnly = true;
    input.setAttribute('aria-description', 'Reading messages. Press Ctrl+C to stop.');
    prompt.textContent = '';
    readingTimer = setInterval(pollMessages, 100);
  }

  function stopReading() {
    if (!readingTimer) return;
    clearInterval(readingTimer);
    readingTimer = null;
    pollMessages();
    engine.interrupt();
    root.classList.remove('reading-messages');
    input.readOnly = false;
    input.removeAttribute('aria-description');
    setPrompt(engine.prompt());
    editor.render();
  }

  input.addEventListener('keydown', (ev) => {
    if (!readingTimer) return;
    if (ev.ctrlKey && !ev.altKey && !ev.metaKey && (ev.key === 'c' || ev.key === 'C')) {
      ev.preventDefault();
      ev.stopImmediatePropagation();
      stopReading();
    } else if (ev.key === 'Enter' || ev.key === 'Tab' || ev.key === 'ArrowUp' || ev.key === 'ArrowDown') {
      ev.preventDefault();
      ev.stopImmediatePropagation();
    }
  }, true);

  /** Run one console line as if typed and entered; returns what redis-cli prints for it. */
  function run(line) {
    if (!engine || readingTimer) return '';
    line = String(line);
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
    startReading();
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
    attach(e) {
      engine = e;
      if (statusLine) { statusLine.remove(); statusLine = null; }
      welcome();
      setPrompt(engine.prompt());
      editor.attach(engine);
      input.disabled = false;
      input.focus();
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
      return readingTimer !== null;
    },
    clear,
    status(message) {
      if (statusLine) statusLine.remove();
      statusLine = el('div', 'entry status', message);
      output.appendChild(statusLine);
    },
    fatal(message) {
      append(el('div', 'entry result engine-error', message));
      input.disabled = true;
      engine = null;
      editor.detach();
    },
  };
}
