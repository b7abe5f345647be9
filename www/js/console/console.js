// The redis-cli console: a prompt, an input line (editor.js) and a scrolling transcript.
//
// Every line runs through this console's engine handle (`Console.execDetailed(line)`), which
// returns exactly what `redis-cli --no-raw` prints plus each command's reply tree; the
// decisions (queued while blocked, `clear`, which mode the line put the console in, what a
// waiting console prints) are session.js's. Output is always inserted as text (text nodes /
// textContent): a stored value such as `<img src=x onerror=alert(1)>` shows literally. HELP
// output's ANSI escapes become styled spans (ansi.js). Each reply can be copied and, when
// table-shaped, shown as a table (reply.js); huge replies are shown a chunk at a time.
//
// The other panes use the API `mountConsole` returns:
//   run(line)     run a line as if typed and entered (echo, output, history); returns its text
//   onCommand(fn) fn({ line, text, replies }) after every line the console runs, whoever
//                 entered it; returns an unsubscribe function
//   focus()       put the caret on the input line
//   prompt()      the current prompt, e.g. "127.0.0.1:6379[2]> "
//   mode()        "ready", "reading" (SUBSCRIBE), "monitor" (MONITOR), "blocked" (BLPOP …)
//   db()          the db the console has selected
//
// One mountConsole per console: several consoles (consoles.js) are several clients of the
// same server, each with its own handle (`playground.console(id)`) and elements. A waiting
// console is polled by consoles.js on every world tick (the scheduler) and right after any
// other console ran a line.
import { History } from './history.js';
import { createEditor } from './editor.js';
import { renderReply, partialReply } from './reply.js';
import { pauseForPage } from '../scheduler.js';
import { highlight, renderRuns } from './highlight.js';
import { ConsoleSession, DEFAULT_PROMPT } from './session.js';
import { h } from '../dom.js';
import { callEach } from '../listeners.js';

export { blockedOn } from './session.js';

const MAX_ENTRIES = 1000; // transcript entries kept in the page
const MAX_ECHO = 2000; // an echoed line longer than this is cut (the whole line still ran)
// What a reload brings back of the transcript (saved with the world): the newest entries,
// each answer cut to KEEP_TEXT characters, all of it under KEEP_TOTAL.
const KEEP_ENTRIES = 100;
const KEEP_TEXT = 4000;
const KEEP_TOTAL = 64 * 1024;

const WELCOME = [
  { text: 'Welcome to Redis Playground: Redis 7.0 in your browser tab.' },
  { text: 'Try ', examples: ['SET greeting "Hello, World!"', 'GET greeting', 'help @string'] },
];

/**
 * Wire the console to its elements. Returns the API above plus `attach(world, handle,
 * options)`, `clear()`, `status(msg)`, `fatal(msg)`, `poll(now)`, `cancel()` and `destroy()`;
 * the input stays disabled until `attach` gives it an engine. `onState(mode)` hears every
 * change of mode; `history` may be shared by several consoles.
 */
export function mountConsole({
  output, form, input, prompt, screen = output, root = output.parentElement,
  history = new History(), onState = null,
}) {
  let world = null; // the Playground: hints, completion, colouring, the world clock
  let session = null; // this console's state, over its engine handle
  let promptText = DEFAULT_PROMPT;
  let statusLine = null;
  let pendingEntry = null; // the transcript entry of the line that blocked
  let kept = []; // the transcript as text, for a reload: [{ prompt, line, text, note? }]
  const listeners = new Set();

  // Screen-reader announcements for things that are not transcript lines ("Copied").
  const announcer = h('div', { className: 'sr-only', role: 'status' });
  root.appendChild(announcer);
  const announce = (msg) => {
    announcer.textContent = '';
    requestAnimationFrame(() => { announcer.textContent = msg; });
  };

  const editor = createEditor({
    form, input, promptEl: prompt, history,
    onSubmit: (line) => run(line, { sliced: true }),
    onClear: () => clear(),
    onPasteLines: (lines) => { for (const line of lines) run(line, { sliced: true }); },
  });

  // A console scrolled to its end stays there when its size changes (Split, presenter mode,
  // a window resize): the prompt never ends up below the fold until one types. Only the
  // learner's own scrolling decides whether it is at its end: a scroll the browser makes
  // while the layout changes (scroll anchoring) doesn't count.
  let atEnd = true;
  let sizes = '';
  const sizeKey = () => `${screen.scrollHeight}|${screen.clientHeight}`;
  const scrollToBottom = () => {
    screen.scrollTop = screen.scrollHeight;
    atEnd = true;
    sizes = sizeKey();
  };
  screen.addEventListener('scroll', () => {
    if (sizeKey() !== sizes) return; // the layout moved it, not the learner
    atEnd = screen.scrollTop + screen.clientHeight >= screen.scrollHeight - 8;
  }, { passive: true });
  const keepEnd = typeof ResizeObserver === 'function'
    ? new ResizeObserver(() => {
      if (atEnd) scrollToBottom();
      else sizes = sizeKey();
    })
    : null;
  keepEnd?.observe(screen);
  if (output !== screen) keepEnd?.observe(output); // its text grows too (presenter mode's larger type)

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
    const box = h('div', { className: 'entry welcome' });
    for (const line of lines) {
      const p = h('div', { className: 'welcome-line' }, line.text);
      (line.examples || []).forEach((ex, i) => {
        if (i > 0) p.append(i === line.examples.length - 1 ? ' or ' : ', then ');
        p.append(h('button', {
          type: 'button', className: 'example', title: 'Put this command on the input line',
          onclick: () => {
            input.value = ex;
            input.focus();
            input.setSelectionRange(ex.length, ex.length);
            editor.render();
          },
        }, ex));
      });
      if (line.after) p.append(line.after);
      box.appendChild(p);
    }
    append(box);
  }

  function echo(line) {
    const typed = h('span', { className: 'echo-line' });
    if (line.length > MAX_ECHO) {
      typed.append(line.slice(0, MAX_ECHO),
        h('span', { className: 'echo-cut' }, ` … (${(line.length - MAX_ECHO).toLocaleString('en-US')} more characters)`));
    } else {
      renderRuns(typed, highlight(line, world, editor.index));
    }
    return h('div', { className: 'entry' },
      h('div', { className: 'echo' }, h('span', { className: 'echo-prompt' }, promptText), typed));
  }

  function clear() {
    output.replaceChildren();
    kept = [];
    statusLine = null;
  }

  const notify = (event) => callEach(listeners, 'A console onCommand listener', event);

  // --- Modes: reading messages, MONITOR, blocked ---------------------------------------------
  //
  // While the console waits, the input line gives way to a waiting bar (with a Cancel/Stop
  // button), Enter does nothing, and Ctrl+C closes the connection (the console connects
  // again). A blocked command's answer is printed under its line.
  const barText = h('span', { className: 'waiting-text' });
  const barDetail = h('span', { className: 'waiting-detail', 'aria-hidden': 'true' }); // a countdown: not read out ten times a second
  const barKeys = h('span', { className: 'waiting-keys' });
  const barProgress = h('progress', { className: 'waiting-progress', max: 1, value: 0, hidden: true, 'aria-label': 'Runs done' });
  const barButton = h('button', {
    type: 'button', className: 'bar-button waiting-cancel',
    onclick: () => { cancel(); input.focus({ preventScroll: true }); },
  }, 'Cancel');
  const bar = h('div', { className: 'waiting', hidden: true },
    h('span', { className: 'waiting-main' },
      h('span', { className: 'waiting-indicator', 'aria-hidden': 'true' }, h('span'), h('span'), h('span')),
      barText),
    h('span', { className: 'waiting-sub' }, barProgress, barDetail, barKeys, barButton));
  form.after(bar);

  const worldNow = () => {
    try {
      return Number(world?.now?.());
    } catch {
      return undefined;
    }
  };

  /** Draw the waiting bar from the session (the countdown at world time `now`). */
  function drawBar(now = worldNow()) {
    const b = session?.bar(now);
    if (!b) return null;
    if (barText.textContent !== b.text) barText.textContent = b.text;
    if (barDetail.textContent !== b.detail) barDetail.textContent = b.detail;
    barKeys.textContent = b.keys;
    barProgress.hidden = !b.progress;
    if (b.progress) {
      barProgress.max = Math.max(1, b.progress.total);
      barProgress.value = b.progress.done;
    }
    barButton.textContent = b.button;
    barButton.setAttribute('aria-label', b.label);
    return b;
  }

  function enter(mode) {
    root.dataset.mode = mode;
    root.classList.add('suspended');
    input.readOnly = true;
    editor.suspend(true);
    prompt.textContent = '';
    const b = drawBar();
    bar.hidden = false;
    input.setAttribute('aria-description', `${b.text} Press Ctrl+C or the ${b.button} button to end it.`);
    announce(`${b.text} Press Ctrl+C to ${b.end}.`);
    onState?.(mode);
  }

  function leave() {
    pendingEntry = null;
    announcer.textContent = ''; // the "waiting…" status is over: nothing stale for a screen reader
    delete root.dataset.mode;
    root.classList.remove('suspended');
    bar.hidden = true;
    input.readOnly = false;
    input.removeAttribute('aria-description');
    editor.suspend(false);
    setPrompt(session.prompt);
    editor.render();
    onState?.('ready');
  }

  /**
   * Print what the engine pushed to this console; notice when its mode ends by itself. A
   * running count's slices are the pump's (`slice`), not the scheduler's ticks'.
   */
  function poll(now, { slice = false } = {}) {
    if (!session || session.mode === 'ready') return;
    const running = session.mode === 'running';
    if (running !== slice) return;
    const r = session.poll();
    if (running) {
      sliceDone(r);
      return;
    }
    if (r.text) {
      if (r.answer && pendingEntry?.isConnected && r.switched === 'running') {
        showPartial(pendingEntry, r.text);
      } else if (r.answer && pendingEntry?.isConnected) {
        renderReply(pendingEntry, { text: r.text, replies: [], engineError: false, announce });
        scrollToBottom();
      } else {
        const entry = h('div', { className: 'entry' });
        renderReply(entry, { text: r.text, replies: [], engineError: false, announce });
        append(entry);
      }
    }
    if (r.switched) {
      enter(r.switched);
      if (r.switched === 'running') pump();
    } else if (session.mode === 'ready') {
      leave();
      if (r.ended) notify({ line: r.ended.line, text: r.text, replies: [], unblocked: true });
      drain();
    } else {
      drawBar(now);
    }
  }

  /**
   * A slice of a running repeat count ran: its text goes under the line; when the count
   * ends, the whole answer replaces the pieces (one reply, with its tools).
   */
  function sliceDone(r) {
    const entry = pendingEntry?.isConnected ? pendingEntry : null;
    if (session.mode === 'running') {
      if (r.text && entry) showPartial(entry, r.text);
      drawBar();
      return;
    }
    if (entry && r.ended) {
      for (const part of entry.querySelectorAll(':scope > .partial')) part.remove();
      renderReply(entry, { text: r.ended.text, replies: r.ended.replies, engineError: false, announce });
      scrollToBottom();
    }
    if (r.switched) {
      // The count left the console reading messages (SUBSCRIBE) or in MONITOR.
      pendingEntry = null;
      enter(r.switched);
    } else {
      leave();
    }
    if (r.ended) {
      keep({ prompt: entry?.querySelector('.echo-prompt')?.textContent ?? '', line: r.ended.line, text: r.ended.text });
      notify({ line: r.ended.line, text: r.ended.text, replies: r.ended.replies });
    }
    if (!r.switched) drain();
  }

  /** Under a running line, what its latest slice printed (in place of the one before). */
  function showPartial(entry, text) {
    const part = partialReply(text);
    const old = entry.querySelector(':scope > .partial');
    if (old) old.replaceWith(part);
    else entry.appendChild(part);
    scrollToBottom();
  }

  /** Remember a line and what it printed, for the transcript a reload brings back. */
  function keep({ prompt: p, line, text, note }) {
    const cut = (v, n) => (v.length > n ? `${v.slice(0, n)}\n[… ${(v.length - n).toLocaleString('en-US')} more characters not kept]` : v);
    kept.push({ prompt: p, line: cut(String(line), MAX_ECHO), text: cut(String(text ?? ''), KEEP_TEXT), ...(note ? { note: String(note) } : {}) });
    if (kept.length > KEEP_ENTRIES) kept = kept.slice(-KEEP_ENTRIES);
    let total = kept.reduce((n, e) => n + e.line.length + e.text.length, 0);
    while (total > KEEP_TOTAL && kept.length > 1) {
      const gone = kept.shift();
      total -= gone.line.length + gone.text.length;
    }
  }

  /** Show a saved transcript (from the last visit) above anything shown since. */
  function restoreTranscript(items) {
    if (!Array.isArray(items) || items.length === 0) return;
    const frag = document.createDocumentFragment();
    const clean = items.filter((e) => e && typeof e.line === 'string' && typeof e.text === 'string').slice(-KEEP_ENTRIES);
    for (const e of clean) {
      const entry = h('div', { className: 'entry restored' },
        h('div', { className: 'echo' }, h('span', { className: 'echo-prompt' }, String(e.prompt ?? '')), h('span', { className: 'echo-line' }, e.line)));
      renderReply(entry, { text: e.text, replies: [], engineError: false, announce });
      if (typeof e.note === 'string') entry.appendChild(h('div', { className: 'note playground-note' }, e.note));
      frag.append(entry);
    }
    frag.append(h('div', { className: 'entry note restored-mark' }, `— the ${clean.length === 1 ? 'line' : `${clean.length} lines`} above are from your last visit —`));
    output.insertBefore(frag, statusLine?.parentNode === output ? statusLine : null);
    kept = [...clean.map((e) => ({ prompt: String(e.prompt ?? ''), line: e.line, text: e.text, ...(typeof e.note === 'string' ? { note: e.note } : {}) })), ...kept].slice(-KEEP_ENTRIES);
    scrollToBottom();
  }

  /** Run a running count's slices one after another, the page getting a turn between. */
  function pump() {
    if (pumping) return;
    pumping = true;
    const next = () => {
      if (!session || session.mode !== 'running') {
        pumping = false;
        return;
      }
      poll(undefined, { slice: true });
      if (session?.mode === 'running') pauseForPage().then(next);
      else pumping = false;
    };
    pauseForPage().then(next);
  }
  let pumping = false;

  /** Ctrl+C: end reading, MONITOR or a wait; the connection closes and opens again. */
  function cancel() {
    if (!session || session.mode === 'ready') return false;
    if (session.mode !== 'running') poll();
    const r = session.cancel();
    if (!r) return false;
    const note = h('div', { className: 'note' }, r.note);
    if (pendingEntry?.isConnected && r.done?.texts) {
      // A stopped count: what its runs printed, as one reply.
      for (const part of pendingEntry.querySelectorAll(':scope > .partial')) part.remove();
      renderReply(pendingEntry, { text: r.done.texts.join('\n'), replies: r.done.replies ?? [], engineError: false, announce });
    }
    if (pendingEntry?.isConnected) {
      pendingEntry.appendChild(note);
      scrollToBottom();
    } else {
      append(h('div', { className: 'entry' }, note));
    }
    leave();
    if (r.done) notify({ line: r.done.line, text: '', replies: [], cancelled: true });
    return true;
  }

  function drain() {
    for (let line = session.next(); line !== null; line = session.next()) run(line, { sliced: true });
  }

  root.addEventListener('keydown', (ev) => {
    if (!session || session.mode === 'ready' || ev.isComposing) return;
    if (ev.ctrlKey && !ev.altKey && !ev.metaKey && !ev.shiftKey && (ev.key === 'c' || ev.key === 'C')) {
      // With text selected in the transcript, Ctrl+C copies it.
      if (ev.target !== input && String(window.getSelection?.() ?? '') !== '') return;
      ev.preventDefault();
      cancel();
    } else if (ev.target === input && (ev.key === 'Enter' || ev.key === ' ')) {
      ev.preventDefault(); // no submit; and a read-only input would let Space scroll the page
    }
  }, true);

  /**
   * Run one console line as if typed and entered; returns what redis-cli prints for it.
   * `sliced` (typed lines): a long repeat count goes on in slices, the answer returned
   * here is then its first slice's.
   */
  function run(line, { sliced = false } = {}) {
    if (!session) return '';
    line = String(line);
    const r = session.run(line, { sliced });
    if (r.kind === 'queued') {
      drawBar(); // "1 more line queued"
      return '';
    }
    if (r.kind === 'ignored') return '';
    const entry = echo(line); // with the prompt the line was typed at
    if (r.kind === 'clear') {
      clear(); // redis-cli clears the screen itself, without a round trip
      history.add(line);
      notify({ line, text: '', replies: [] });
      return '';
    }
    if (r.entered === 'running') {
      if (r.text) entry.appendChild(partialReply(r.text));
      history.add(line);
    } else if (line.trim() !== '') {
      renderReply(entry, { text: r.text, replies: r.replies, engineError: r.failed, announce });
      if (r.note) entry.appendChild(h('div', { className: 'note playground-note' }, r.note));
      history.add(line);
    }
    append(entry);
    setPrompt(session.prompt);
    editor.render();
    if (r.entered) {
      pendingEntry = r.entered === 'blocked' || r.entered === 'running' ? entry : null;
      enter(r.entered);
      if (r.entered === 'running') {
        pump();
        return r.text; // the rest is heard when the count ends
      }
    }
    const text = r.failed ? '' : r.text;
    keep({ prompt: entry.querySelector('.echo-prompt')?.textContent ?? '', line, text: r.text, note: r.note });
    notify({ line, text, replies: r.replies });
    return text;
  }

  // A click on the console (not a text selection, not a control) puts the caret back on the input.
  root.addEventListener('click', (ev) => {
    if (ev.target.closest('button, a, input, table, .more')) return;
    if (String(window.getSelection?.() ?? '') !== '') return;
    if (!input.disabled) input.focus({ preventScroll: true });
  });

  return {
    /**
     * Start on an engine: `w` the Playground, `handle` this console's Console
     * (`w.console(id)`); `greeting` replaces the welcome lines.
     */
    attach(w, handle, { greeting = WELCOME, focus = true } = {}) {
      world = w;
      session = new ConsoleSession({ world, handle });
      if (statusLine) { statusLine.remove(); statusLine = null; }
      if (greeting && greeting.length) welcome(greeting);
      setPrompt(session.prompt);
      editor.attach(world);
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
    /** A line of the page's own in the transcript (a lesson's clock jump): text, not a reply. */
    note(text) {
      append(h('div', { className: 'entry note playground-note' }, String(text)));
    },
    /** The transcript as text, for saving: [{ prompt, line, text, note? }], newest last. */
    transcript: () => kept.slice(),
    restoreTranscript,
    focus() {
      if (input.disabled) return;
      // Focused while a modal dialog made the page inert (a shared link's question on load),
      // the input is the active element but Chromium sends it no typing; a blur first makes
      // the focus real.
      if (document.activeElement === input) input.blur();
      input.focus();
    },
    prompt() {
      return promptText;
    },
    /** True while the console shows pushed messages (after SUBSCRIBE), until Ctrl+C. */
    readingMessages() {
      return session?.mode === 'reading';
    },
    /** "ready", "reading" (after SUBSCRIBE), "monitor" or "blocked" (in BLPOP and friends). */
    mode() {
      return session?.mode ?? 'ready';
    },
    /** The db this console has selected (0 before it has an engine). */
    db() {
      try {
        return Number(session?.handle.db() ?? 0);
      } catch {
        return 0;
      }
    },
    /** This console's client id, or null. */
    clientId() {
      try {
        return session ? Number(session.handle.clientId()) : null;
      } catch {
        return null;
      }
    },
    /** The connection's `{ protocol, user }` (HELLO 3, AUTH), or null. */
    identity() {
      try {
        return session ? session.handle.identity() ?? null : null;
      } catch {
        return null;
      }
    },
    /** Print what a waiting console has to print now (a tick, or another console ran a line). */
    poll,
    /** Ctrl+C: end reading, MONITOR or a wait. Returns whether anything ended. */
    cancel,
    clear,
    status(message) {
      if (statusLine) statusLine.remove();
      statusLine = h('div', { className: 'entry status' }, message);
      output.appendChild(statusLine);
    },
    fatal(message) {
      append(h('div', { className: 'entry result engine-error' }, message));
      input.disabled = true;
      session = null;
      world = null;
      editor.detach();
    },
    /** Stop listening (the console is closed; its elements are removed by the caller). */
    destroy() {
      session = null;
      keepEnd?.disconnect();
      world = null;
      listeners.clear();
      editor.destroy();
    },
  };
}
