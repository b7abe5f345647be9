// The redis-cli console: a prompt, an input line, and a scrolling transcript.
//
// Every line runs through `engine.exec(line)`, which returns exactly what `redis-cli
// --no-raw` prints. Output is always inserted as text (text nodes / textContent): a stored
// value such as `<img src=x onerror=alert(1)>` shows literally. HELP output's ANSI escapes
// become styled spans (see ansi.js).
import { renderAnsi } from './ansi.js';
import { History } from './history.js';

const MAX_ENTRIES = 1000; // transcript entries kept in the page
const DEFAULT_PROMPT = '127.0.0.1:6379> ';

const WELCOME = [
  { text: 'Welcome to Redis Playground: Redis 7.0, running right here in your browser tab.' },
  { text: 'Try ', examples: ['SET greeting "Hello, World!"', 'GET greeting', 'help @string'] },
];

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * Wire the console to its elements. Returns `{ attach(engine), run(line), clear(), status(msg),
 * fatal(msg) }`; the input stays disabled until `attach` gives it an engine.
 */
export function mountConsole({
  output, form, input, prompt, screen = output, root = output.parentElement, history = new History(),
}) {
  let engine = null;
  let promptText = DEFAULT_PROMPT;
  let statusLine = null;

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
    prompt.textContent = text;
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
    cmd.append(el('span', 'echo-prompt', promptText), el('span', 'echo-line', line));
    entry.appendChild(cmd);
    return entry;
  }

  function clear() {
    output.replaceChildren();
    statusLine = null;
  }

  /** Run one console line as if typed (also used by examples). */
  function run(line) {
    if (!engine) return;
    const entry = echo(line);
    if (line.trim().toLowerCase() === 'clear') {
      clear(); // redis-cli clears the screen itself, without a round trip
      history.add(line);
      return;
    }
    if (line.trim() !== '') {
      let text;
      let failed = false;
      try {
        text = engine.exec(line);
      } catch (e) {
        failed = true;
        text = `The engine failed on this command (${e && e.message ? e.message : e}). Reload the page to start again.`;
        console.error(e);
      }
      if (text !== '') {
        const out = el('div', 'result');
        if (failed) out.classList.add('engine-error');
        else if (text.startsWith('(error)')) out.classList.add('error');
        // exec joins lines with "\n": a trailing "\n" means a last, empty line (HELP ends
        // with one), which a pre-wrap block would not show without a second "\n".
        out.appendChild(renderAnsi(/\r?\n$/.test(text) ? `${text}\n` : text));
        entry.appendChild(out);
      }
      history.add(line);
    }
    append(entry);
    try {
      setPrompt(engine.prompt());
    } catch {
      /* keep the last prompt */
    }
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const line = input.value;
    input.value = '';
    run(line);
  });

  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowUp' || ev.key === 'ArrowDown') {
      const v = ev.key === 'ArrowUp' ? history.prev(input.value) : history.next();
      ev.preventDefault();
      if (v !== null) {
        input.value = v;
        input.setSelectionRange(v.length, v.length);
      }
    } else if (ev.key === 'Enter' && !ev.isComposing) {
      ev.preventDefault();
      form.requestSubmit();
    } else if ((ev.key === 'l' || ev.key === 'L') && ev.ctrlKey && !ev.altKey && !ev.metaKey) {
      ev.preventDefault();
      clear();
    }
  });

  // A click on the console (not a text selection, not a button) puts the caret back on the input.
  root.addEventListener('click', (ev) => {
    if (ev.target.closest('button, a, input')) return;
    if (String(window.getSelection?.() ?? '') !== '') return;
    if (!input.disabled) input.focus();
  });

  return {
    attach(e) {
      engine = e;
      if (statusLine) { statusLine.remove(); statusLine = null; }
      welcome();
      setPrompt(engine.prompt());
      input.disabled = false;
      input.focus();
    },
    run,
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
    },
    get prompt() { return promptText; },
  };
}
