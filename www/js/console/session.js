// One console's state, without DOM: what a line does, which mode the console is in, what a
// waiting console prints and says. console.js draws it; the node tests drive it directly.
//
//   const s = new ConsoleSession({ world, handle });   // world: the Playground; handle: its Console
//   s.run(line, { sliced })  → what happened (below); the console's prompt and mode follow
//   s.poll()       → what a waiting console prints now (a running count: its next slice),
//                    and whether its wait ended
//   s.cancel()     → Ctrl+C: the connection closes and opens again
//   s.bar(now)     → the waiting bar's texts
//
// Modes (the engine's Console.mode()): "ready" at the prompt; "reading" after SUBSCRIBE
// (redis-cli's "Reading messages..."), "monitor" after MONITOR, both until Ctrl+C; "blocked"
// in BLPOP and friends until the answer arrives (or the timeout passes on the world clock).
// Lines run while blocked wait their turn, as a piped redis-cli's would; while reading or
// monitoring they are ignored, as redis-cli takes no commands then.
//
// "running": a typed line's repeat count (`100000 INCR k`) runs in slices of about
// SLICE_MS each (the page paints and takes Ctrl+C between them); each poll() runs the next
// slice. Ctrl+C stops it where it got, on the same connection. Lines wait their turn.

export const DEFAULT_PROMPT = '127.0.0.1:6379> ';

/** How long one slice of a repeat count may keep the page busy (ms; a slice runs at least once). */
export const SLICE_MS = 8;
const KEEP_REPLIES = 1000; // a longer count's reply trees aren't kept (no table for them)

/** A failed engine call's text for the transcript. */
const failure = (e) => `The engine failed on this command (${e && e.message ? e.message : e}). Reload the page to start again.`;

/**
 * What a blocked console waits for, as the engine says (`Console.blockedOn()`):
 * `{ command, keys, deadline, since, script }` — the deadline and start in world ms,
 * deadline 0 for no timeout, `script` 'own' (its script runs), 'other' (a command held
 * behind another client's script) or null. A console whose engine can't say gets a bare
 * `{ command: '', keys: [] }`.
 */
export function blockedOn(handle, fallbackSince = 0) {
  try {
    const b = handle.blockedOn();
    if (b) return { command: String(b.command), keys: Array.from(b.keys, String), deadline: Number(b.deadline), since: Number(b.since), script: b.script ?? null };
  } catch { /* below */ }
  return { command: '', keys: [], deadline: 0, since: fallbackSince };
}

/** The waiting bar's words per mode. */
const MODE_TEXT = {
  blocked: { keys: 'Ctrl+C to cancel', button: 'Cancel', end: 'cancel' },
  reading: { text: 'reading messages…', keys: 'Ctrl+C to quit', button: 'Stop', label: 'Stop reading messages', end: 'quit' },
  monitor: { text: 'monitoring every command…', keys: 'Ctrl+C to quit', button: 'Stop', label: 'Stop MONITOR', end: 'quit' },
  running: { keys: 'Ctrl+C to stop', button: 'Stop', label: 'Stop the repeat count', end: 'stop' },
};

/** `n` with thousands separators. */
const count = (n) => Number(n).toLocaleString('en-US');

export class ConsoleSession {
  /**
   * `world`: the Playground (now, splitArgs, commands); `handle`: this console's Console;
   * `slice`: how much one slice of a repeat count runs — `{ ms, runs }`, about `ms` long
   * and at most `runs` runs (the tests fix `runs` and make `ms` long).
   */
  constructor({ world, handle, slice = { ms: SLICE_MS, runs: undefined } }) {
    this.slice = slice;
    this.world = world;
    this.handle = handle;
    this.mode = 'ready';
    this.pending = null; // the blocked line: { line, info, since, answered }
    this.queue = []; // lines run while blocked, run when it ends
    this.prompt = DEFAULT_PROMPT;
    try { this.prompt = handle.prompt(); } catch { /* keep the default */ }
  }

  /** The engine's mode for this console (a console whose engine fails is at the prompt). */
  engineMode() {
    try {
      return String(this.handle.mode());
    } catch {
      return 'ready';
    }
  }

  words(line) {
    try {
      const got = this.world.splitArgs?.(line);
      if (got) return Array.from(got, (a) => String(a.text));
    } catch { /* fall through */ }
    return line.trim().split(/\s+/);
  }

  /**
   * Run one console line; `sliced`: a repeat count may go on in slices (mode "running";
   * typed lines are, lines run by lessons and links are not). Returns what happened:
   *   { kind: 'queued' }                       blocked or running: the line runs when it ends
   *   { kind: 'ignored' }                      reading messages or monitoring
   *   { kind: 'clear' }                        redis-cli's own `clear`: no round trip
   *   { kind: 'ran', text, replies, failed, entered, note? }
   *       `text` what redis-cli prints ('' for an empty line), `replies` execDetailed's,
   *       `failed` the engine threw (text says so), `entered` the mode the line put the
   *       console in ('blocked', 'reading', 'monitor', 'running') or null; `note` the
   *       page's line under an `unknown command` error (unknownNote)
   */
  run(line, { sliced = false } = {}) {
    line = String(line);
    if (this.mode === 'blocked' || this.mode === 'running') {
      this.queue.push(line);
      return { kind: 'queued' };
    }
    if (this.mode !== 'ready') return { kind: 'ignored' };
    if (line.trim().toLowerCase() === 'clear') return { kind: 'clear' };
    let text = '';
    let replies = [];
    let failed = false;
    if (line.trim() !== '') {
      try {
        const r = sliced ? this.handle.execDetailed(line, this.slice.ms, this.slice.runs) : this.handle.execDetailed(line);
        text = String(r?.text ?? '');
        replies = Array.from(r?.replies ?? []);
      } catch (e) {
        failed = true;
        text = failure(e);
        console.error(e);
      }
    }
    try { this.prompt = this.handle.prompt(); } catch { /* keep the last prompt */ }
    const now = this.engineMode();
    const entered = now !== 'ready' ? now : null;
    if (entered) this.enter(entered, line, { text, replies });
    const note = /^\s*(quit|exit)\s*$/i.test(line)
      ? 'redis-cli would exit here; this console stays open, on the same connection (close it with its tab\'s ×).'
      : this.unknownNote(text, replies);
    return { kind: 'ran', text, replies, failed, entered, ...(note ? { note } : {}) };
  }

  /**
   * Under Redis's `unknown command` error, one line of the page's own: whether Redis 7.0
   * has the command (and the playground doesn't yet), which later Redis added it, or that
   * no Redis command has that name (a typo) — Playground.commandNote.
   */
  unknownNote(text, replies) {
    if (!/^\(error\) ERR unknown command '/m.test(text)) return null;
    const name = replies.find((r) => r?.reply?.type === 'error')?.argv?.[0] ?? /unknown command '([^']*)'/.exec(text)?.[1];
    if (!name) return null;
    try {
      return this.world.commandNote?.(String(name)) ?? null;
    } catch {
      return null;
    }
  }

  enter(mode, line, { text = '', replies = [] } = {}) {
    this.mode = mode;
    this.pending = null;
    if (mode === 'running') {
      // What the line printed so far, for the whole answer once it ends.
      this.pending = { line, info: null, since: 0, answered: true, texts: text ? [text] : [], replies: replies.length <= KEEP_REPLIES ? [...replies] : null };
      return;
    }
    if (mode !== 'blocked') return;
    const info = blockedOn(this.handle, Number(this.world.now?.() ?? 0));
    this.pending = { line, info, since: info.since, answered: false };
  }

  leave() {
    this.mode = 'ready';
    this.pending = null;
    try { this.prompt = this.handle.prompt(); } catch { /* keep the last prompt */ }
  }

  /**
   * What the engine pushed to this console since the last poll, and whether its mode ended:
   * `{ text, answer, ended, switched }` — `answer`: the text is the blocked line's answer
   * (printed under it); `ended`: `{ line, text }` when a wait ended by itself (the console is
   * at the prompt again: run `next()` lines); `switched`: a new waiting mode (not expected).
   * Null at the prompt.
   */
  poll() {
    if (this.mode === 'ready') return null;
    if (this.mode === 'running') return this.runSlice();
    let text = '';
    let now = this.mode;
    try {
      text = String(this.handle.takeMessages() ?? '');
      now = String(this.handle.mode());
    } catch (e) {
      console.error(e);
      now = 'ready';
    }
    const answer = Boolean(text) && this.mode === 'blocked' && this.pending !== null && !this.pending.answered;
    if (answer) this.pending.answered = true;
    if (now === this.mode) return { text, answer, ended: null, switched: null };
    const done = this.pending;
    if (now === 'ready') {
      this.leave();
      return { text, answer, ended: done ? { line: done.line, text } : null, switched: null };
    }
    // A blocked count's answer came and the rest of it runs in slices; (not expected) any
    // other change from one waiting mode to another.
    this.enter(now, done?.line ?? '', { text });
    return { text, answer, ended: null, switched: now };
  }

  /**
   * The next slice of a running repeat count (as poll() answers): `text` continues the
   * line's answer; `ended.text`/`ended.replies` are the whole line's once it ends; then
   * `switched` is the mode the count left the console in ('reading' after SUBSCRIBE…).
   */
  runSlice() {
    const p = this.pending;
    let text = '';
    let now = 'ready';
    let replies = [];
    try {
      const r = this.handle.runMore(this.slice.ms, this.slice.runs);
      text = String(r?.text ?? '');
      replies = Array.from(r?.replies ?? []);
      now = String(this.handle.mode());
    } catch (e) {
      console.error(e);
      text = failure(e);
    }
    if (p) {
      if (text) p.texts.push(text);
      if (p.replies && p.replies.length + replies.length <= KEEP_REPLIES) p.replies.push(...replies);
      else p.replies = null;
    }
    if (now === 'running') return { text, answer: true, ended: null, switched: null };
    const ended = p ? { line: p.line, text: p.texts.join('\n'), replies: p.replies ?? [] } : null;
    if (now !== 'ready') {
      this.enter(now, p?.line ?? '');
      return { text, answer: true, ended, switched: now };
    }
    this.leave();
    return { text, answer: true, ended, switched: null };
  }

  /** How far a running (or blocked) repeat count got: `{ done, total }`, or null. */
  progress() {
    try {
      const p = this.handle.progress?.();
      return p ? { done: Number(p.done), total: Number(p.total) } : null;
    } catch {
      return null;
    }
  }

  /** The next line queued while blocked, once the console is at the prompt again; or null. */
  next() {
    return this.mode === 'ready' && this.queue.length ? this.queue.shift() : null;
  }

  /**
   * Ctrl+C: end reading, MONITOR or a wait. The connection closes and opens again. Poll
   * first (the wait may just have ended). Returns null when there was nothing to end, else
   * `{ done, note }`: the blocked line's pending record (or null) and the note to print.
   */
  cancel() {
    if (this.mode === 'ready') return null;
    const done = this.pending;
    this.queue.length = 0;
    if (this.mode === 'running') {
      const at = this.progress();
      try { this.handle.interrupt(); } catch (e) { console.error(e); }
      this.leave();
      const where = at ? ` after ${count(at.done)} of ${count(at.total)} runs` : '';
      return { done, note: `^C: stopped${where}; the connection stays open` };
    }
    let id = null;
    try {
      this.handle.interrupt();
      id = this.handle.clientId();
    } catch (e) {
      console.error(e);
    }
    this.leave();
    return { done, note: `^C: the connection closed${id === null ? '' : `; reconnected as client id ${id}`}` };
  }

  /**
   * The waiting bar at world time `now`: `{ text, detail, keys, button, label, announce }`.
   * A blocked line's timeout counts down on the world clock.
   */
  bar(now) {
    const m = MODE_TEXT[this.mode];
    if (!m) return null;
    const queued = this.queue.length ? ` · ${this.queue.length} more line${this.queue.length > 1 ? 's' : ''} queued` : '';
    if (this.mode === 'running') {
      const at = this.progress();
      const words = this.words(this.pending?.line ?? '');
      const shown = words.length > 1 && /^\d+$/.test(words[0]) ? words.slice(1) : words;
      let what = shown.join(' ');
      if (what.length > 60) what = `${what.slice(0, 59)}…`;
      const detail = at ? `${count(at.done)} of ${count(at.total)} runs` : '';
      return { text: `running ${what}…`, detail: `${detail}${queued}`, keys: m.keys, button: m.button, label: m.label, end: m.end, progress: at };
    }
    if (this.mode === 'blocked' && this.pending) {
      const { info, since } = this.pending;
      let detail = 'no timeout';
      if (info.deadline > 0) {
        let left = info.deadline - Number(now ?? since);
        left = Math.max(0, left) / 1000;
        detail = `times out in ${left < 10 ? left.toFixed(1) : Math.ceil(left).toLocaleString('en-US')} s (world clock)`;
      }
      if (info.script === 'own') {
        return { text: 'running its script…', detail: `SCRIPT KILL from another console stops it${queued}`, keys: m.keys, button: m.button, label: 'Stop waiting for the script (it goes on running)', end: m.end };
      }
      if (info.script === 'other') {
        return { text: 'waiting for another client’s script…', detail: `BUSY after busy-reply-threshold${queued}`, keys: m.keys, button: m.button, label: 'Stop waiting', end: m.end };
      }
      const text = `waiting for ${[info.command, ...info.keys].join(' ')}…`;
      return { text, detail: `${detail}${queued}`, keys: m.keys, button: m.button, label: `Cancel the waiting ${info.command}`, end: m.end };
    }
    return { text: m.text, detail: '', keys: m.keys, button: m.button, label: m.label, end: m.end };
  }
}
