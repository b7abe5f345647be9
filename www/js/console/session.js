// One console's state, without DOM: what a line does, which mode the console is in, what a
// waiting console prints and says. console.js draws it; the node tests drive it directly.
//
//   const s = new ConsoleSession({ world, handle });   // world: the Playground; handle: its Console
//   s.run(line)    → what happened (below); the console's prompt and mode follow
//   s.poll()       → what a waiting console prints now, and whether its wait ended
//   s.cancel()     → Ctrl+C: the connection closes and opens again
//   s.bar(now)     → the waiting bar's texts
//
// Modes (the engine's Console.mode()): "ready" at the prompt; "reading" after SUBSCRIBE
// (redis-cli's "Reading messages..."), "monitor" after MONITOR, both until Ctrl+C; "blocked"
// in BLPOP and friends until the answer arrives (or the timeout passes on the world clock).
// Lines run while blocked wait their turn, as a piped redis-cli's would; while reading or
// monitoring they are ignored, as redis-cli takes no commands then.

export const DEFAULT_PROMPT = '127.0.0.1:6379> ';

/** A failed engine call's text for the transcript. */
const failure = (e) => `The engine failed on this command (${e && e.message ? e.message : e}). Reload the page to start again.`;

/**
 * What a blocked console waits for, as the engine says (`Console.blockedOn()`):
 * `{ command, keys, deadline, since }` — the deadline and start in world ms, deadline 0 for
 * no timeout. A console whose engine can't say gets a bare `{ command: '', keys: [] }`.
 */
export function blockedOn(handle, fallbackSince = 0) {
  try {
    const b = handle.blockedOn();
    if (b) return { command: String(b.command), keys: Array.from(b.keys, String), deadline: Number(b.deadline), since: Number(b.since) };
  } catch { /* below */ }
  return { command: '', keys: [], deadline: 0, since: fallbackSince };
}

/** The waiting bar's words per mode. */
const MODE_TEXT = {
  blocked: { keys: 'Ctrl+C to cancel', button: 'Cancel', end: 'cancel' },
  reading: { text: 'reading messages…', keys: 'Ctrl+C to quit', button: 'Stop', label: 'Stop reading messages', end: 'quit' },
  monitor: { text: 'monitoring every command…', keys: 'Ctrl+C to quit', button: 'Stop', label: 'Stop MONITOR', end: 'quit' },
};

export class ConsoleSession {
  /** `world`: the Playground (now, splitArgs, commands); `handle`: this console's Console. */
  constructor({ world, handle }) {
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
   * Run one console line. Returns what happened:
   *   { kind: 'queued' }                       blocked: the line runs when the wait ends
   *   { kind: 'ignored' }                      reading messages or monitoring
   *   { kind: 'clear' }                        redis-cli's own `clear`: no round trip
   *   { kind: 'ran', text, replies, failed, entered }
   *       `text` what redis-cli prints ('' for an empty line), `replies` execDetailed's,
   *       `failed` the engine threw (text says so), `entered` the mode the line put the
   *       console in ('blocked', 'reading', 'monitor') or null
   */
  run(line) {
    line = String(line);
    if (this.mode === 'blocked') {
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
        const r = this.handle.execDetailed(line);
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
    if (entered) this.enter(entered, line);
    return { kind: 'ran', text, replies, failed, entered };
  }

  enter(mode, line) {
    this.mode = mode;
    this.pending = null;
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
    // (Not expected: the engine went from one waiting mode to another.)
    this.enter(now, done?.line ?? '');
    return { text, answer, ended: null, switched: now };
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
    if (this.mode === 'blocked' && this.pending) {
      const { info, since } = this.pending;
      let detail = 'no timeout';
      if (info.deadline > 0) {
        let left = info.deadline - Number(now ?? since);
        left = Math.max(0, left) / 1000;
        detail = `times out in ${left < 10 ? left.toFixed(1) : Math.ceil(left).toLocaleString('en-US')} s (world clock)`;
      }
      const text = `waiting for ${[info.command, ...info.keys].join(' ')}…`;
      return { text, detail: `${detail}${queued}`, keys: m.keys, button: m.button, label: `Cancel the waiting ${info.command}`, end: m.end };
    }
    return { text: m.text, detail: '', keys: m.keys, button: m.button, label: m.label, end: m.end };
  }
}
