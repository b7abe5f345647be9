// The script editor: a panel under the console for writing a Lua script over several lines
// and running it in the active console as the one-line EVAL a redis-cli user would type.
// Ctrl+Enter runs; SCRIPT LOAD keeps the SHA1 so EVALSHA can run it again; the examples
// fill the fields. The console shows the command and its reply as if typed. Below: what
// scripts wrote with redis.log (Redis's log file, here), and whether a script is running.
import { h } from '../dom.js';
import { EXAMPLES, loadLine, scriptLine, shaOf } from './compose.js';

/**
 * Mount the panel after `anchor` with its toggle button in `tools`. `console` is the
 * consoles' API (run, focus); `engine` gives splitArgs.
 */
export function mountScriptPanel({ anchor, tools, console: ui, engine, scheduler = null }) {
  const split = (text) => {
    try {
      // splitArgs gives { text, start, end } per word, or null when a quote doesn't close
      const words = engine.splitArgs(String(text));
      return words ? Array.from(words, (w) => w.text) : null;
    } catch {
      return null;
    }
  };
  let sha = null;

  const id = 'script-panel';
  const toggle = h('button', {
    type: 'button', className: 'bar-button script-toggle', 'aria-expanded': 'false', 'aria-controls': id,
    title: 'Write a Lua script over several lines and run it with EVAL',
  }, 'Script');
  tools.prepend(toggle);

  const area = h('textarea', {
    id: 'script-body', className: 'script-body', rows: '6', spellcheck: 'false',
    autocomplete: 'off', autocapitalize: 'off', 'aria-describedby': 'script-help',
  });
  const keys = h('input', { id: 'script-keys', className: 'script-field', type: 'text', spellcheck: 'false', autocomplete: 'off' });
  const args = h('input', { id: 'script-args', className: 'script-field', type: 'text', spellcheck: 'false', autocomplete: 'off' });
  const example = h('select', { id: 'script-example', className: 'script-example' },
    h('option', { value: '' }, 'Examples…'),
    ...EXAMPLES.map((e) => h('option', { value: e.id }, e.title)));
  const status = h('p', { className: 'script-status', role: 'status', 'aria-live': 'polite' });
  const running = h('p', { className: 'script-running', role: 'status', 'aria-live': 'polite' });
  const log = h('div', { className: 'script-log', role: 'log', 'aria-label': 'Server log (redis.log)', tabindex: '0' });
  const runButton = h('button', { type: 'button', className: 'script-run', title: 'Run with EVAL (Ctrl+Enter)', 'aria-keyshortcuts': 'Control+Enter' }, 'Run (EVAL)');
  const roButton = h('button', { type: 'button', className: 'script-run-ro', title: 'Run read-only: writes are refused' }, 'EVAL_RO');
  const loadButton = h('button', { type: 'button', className: 'script-load', title: 'Cache the script on the server: SCRIPT LOAD answers its SHA1' }, 'SCRIPT LOAD');
  const shaButton = h('button', { type: 'button', className: 'script-evalsha', disabled: true, title: 'Run the cached script by its SHA1' }, 'EVALSHA');

  const panel = h('section', { id, className: 'script-panel', 'aria-label': 'Lua script editor', hidden: true },
    h('div', { className: 'script-head' },
      h('label', { for: 'script-body', className: 'script-title' }, 'Lua script'),
      h('label', { className: 'sr-only', for: 'script-example' }, 'Load an example'),
      example),
    area,
    h('div', { className: 'script-row' },
      h('label', { for: 'script-keys' }, 'KEYS'), keys,
      h('label', { for: 'script-args' }, 'ARGV'), args),
    h('div', { className: 'script-buttons', role: 'group', 'aria-label': 'Run the script' }, runButton, roButton, loadButton, shaButton),
    h('p', { className: 'script-help', id: 'script-help' },
      'Words in KEYS and ARGV are read as the console reads them (quote a word with spaces). ',
      h('kbd', {}, 'Ctrl'), '+', h('kbd', {}, 'Enter'), ' runs; the console shows the EVAL line and its reply.'),
    status,
    running,
    h('h2', { className: 'script-log-title' }, 'Server log'),
    log);
  anchor.after(panel);

  function show(open) {
    panel.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    toggle.classList.toggle('active', open);
    if (open) area.focus();
  }
  toggle.addEventListener('click', () => show(panel.hidden));

  function say(text) {
    status.textContent = text;
  }

  function run(command) {
    const r = scriptLine({ command, script: area.value, sha, keys: keys.value, args: args.value }, split);
    if (r.error) {
      say(r.error);
      return;
    }
    say('');
    ui.run(r.line);
  }

  runButton.addEventListener('click', () => run('EVAL'));
  roButton.addEventListener('click', () => run('EVAL_RO'));
  shaButton.addEventListener('click', () => run('EVALSHA'));
  loadButton.addEventListener('click', () => {
    const text = ui.run(loadLine(area.value));
    sha = shaOf(text);
    shaButton.disabled = !sha;
    say(sha ? `Cached as ${sha}.` : 'The script was not loaded: see the console.');
  });
  area.addEventListener('input', () => {
    sha = null;
    shaButton.disabled = true;
  });
  area.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey) && !ev.altKey) {
      ev.preventDefault();
      run('EVAL');
    }
  });
  example.addEventListener('change', () => {
    const e = EXAMPLES.find((x) => x.id === example.value);
    if (!e) return;
    area.value = e.script;
    keys.value = e.keys;
    args.value = e.args;
    sha = null;
    shaButton.disabled = true;
    example.value = '';
    say(`Loaded: ${e.title}.`);
    area.focus();
  });

  // --- the server log and the running script, on the world's ticks -----------------------
  const MAX_LOG = 200;
  const MARK = ['.', '-', '*', '#']; // Redis's log levels: debug, verbose, notice, warning
  let lastSeq = 0;
  log.append(h('p', { className: 'script-log-empty' }, 'redis.log(redis.LOG_WARNING, "…") in a script writes here.'));
  function clock(ms) {
    const d = new Date(ms);
    const p = (n, w = 2) => String(n).padStart(w, '0');
    return `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}`;
  }
  function refresh() {
    let lines = [];
    try { lines = Array.from(engine.serverLog(lastSeq) ?? []); } catch { lines = []; }
    if (lines.length) {
      log.querySelector('.script-log-empty')?.remove();
      for (const l of lines) {
        lastSeq = Math.max(lastSeq, l.seq);
        log.append(h('div', { className: `script-log-line level-${l.level}` }, `${clock(l.at)} ${MARK[l.level] ?? '*'} ${l.text}`));
      }
      while (log.children.length > MAX_LOG) log.firstElementChild.remove();
      log.scrollTop = log.scrollHeight;
    }
    let r = null;
    try { r = engine.runningScript(); } catch { r = null; }
    const text = r
      ? `A script (${r.name}) has run for ${(r.durationMs / 1000).toFixed(1)} s of world time. Other consoles wait, then get BUSY; SCRIPT KILL from another console (Alt+T opens one) stops it.`
      : '';
    if (running.textContent !== text) running.textContent = text;
  }
  scheduler?.subscribe(() => refresh());
  refresh();

  return { show, element: panel, refresh };
}
