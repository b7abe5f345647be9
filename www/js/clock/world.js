// The world clock's model, without DOM: what is due next, "step" to it, and change events.
//
// Due events come from sources. The engine is always one (`engine.nextExpiry()`: the
// earliest time a key's TTL runs out); anything else with a schedule (the retry simulation)
// registers its own, at any time, from any module — the registry is module-wide, so it
// works whether or not the clock's controls are mounted yet:
//
//   import { registerDueSource, onClockChange } from '../clock/clock.js';
//   const unregister = registerDueSource(() => sim.nextDueAt(), { label: 'a retry' });
//     // fn() returns the earliest world time (ms since the epoch, as engine.now()) at which
//     // something of yours is due and not yet handled, or undefined/null when nothing is;
//     // it may also return { at, label }. Keep it cheap: it is called a few times a second.
//     // Handle your own due events (those <= engine.now()) on your own timer, as usual;
//     // step only looks at due times still ahead.
//   const off = onClockChange((ev) => { … });
//     // ev: { type: 'speed' | 'pause' | 'resume' | 'step', now, speed, paused }
//     //     + for 'step': { from, to, due: { at, label, kind } }
//     // After a 'step' the world jumped: run whatever became due at once if you like.
//
// Stepping: the world jumps just past (1 ms, as a key expires when now > its expiry) the
// earliest due time among all sources. If the engine already holds keys whose TTL ran out
// but that Redis's active expiry cycle has not deleted yet (a backlog: many keys at once,
// or a key that ran out less than a cycle ago), step lets one cycle run (+100 ms at the
// default hz 10) — nextExpiry() can't see past them — unless another source is due sooner.

import { callEach } from '../listeners.js';

/** One active expiry cycle of world time at Redis's default hz (10). */
export const EXPIRE_CYCLE_MS = 100;

const sources = new Set();
const listeners = new Set();

/**
 * Add a source of due events: `fn()` → the earliest pending due world time (ms), a
 * `{ at, label }`, or undefined/null. `label` names the kind of event in the step button's
 * tooltip ("a retry"). Returns a function that removes the source.
 */
export function registerDueSource(fn, { label = 'a scheduled event' } = {}) {
  if (typeof fn !== 'function') throw new TypeError('registerDueSource needs a function');
  const source = { fn, label };
  sources.add(source);
  return () => sources.delete(source);
}

/** Call `fn(event)` on every clock change (see above). Returns an unsubscribe function. */
export function onClockChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function emitClockChange(event) {
  callEach(listeners, 'A world clock listener', event);
}

/** The registered sources' due times: [{ at, label }] (bad answers and throws are skipped). */
function sourceDueTimes() {
  const out = [];
  for (const s of sources) {
    let v;
    try {
      v = s.fn();
    } catch (e) {
      console.error('A due source failed:', e);
      continue;
    }
    if (v && typeof v === 'object') out.push({ at: Number(v.at), label: v.label || s.label });
    else if (v !== undefined && v !== null) out.push({ at: Number(v), label: s.label });
  }
  return out.filter((d) => Number.isFinite(d.at));
}

/**
 * What is due for one engine. `engine.nextExpiry()` walks every key with a TTL, so its answer
 * is cached until the keyspace changes (`engine.generation()`), and recomputed at most as often
 * as it is cheap to (a million keys with a TTL must not cost every frame).
 */
export class DueTracker {
  constructor(engine) {
    this.engine = engine;
    this.cached = undefined;
    this.cachedGen = NaN;
    this.cachedAt = -Infinity;
    this.minInterval = 0; // wall ms between recomputations, grows with the cost of one
  }

  /** The engine's earliest key expiry (world ms) or undefined. */
  engineExpiry({ fresh = false } = {}) {
    const gen = this.engine.generation();
    const wall = performance.now();
    const stale = gen !== this.cachedGen || wall - this.cachedAt > 5000;
    if (fresh || (stale && wall - this.cachedAt >= this.minInterval)) {
      const t0 = performance.now();
      const v = this.engine.nextExpiry();
      const cost = performance.now() - t0;
      this.minInterval = Math.min(2000, cost * 40);
      this.cached = v ?? undefined;
      this.cachedGen = gen;
      this.cachedAt = performance.now();
    }
    return this.cached;
  }

  /** Forget the cached expiry (after the world jumped). */
  invalidate() {
    this.cachedGen = NaN;
    this.cachedAt = -Infinity;
  }

  /**
   * The next due event at world time `now`, or null when nothing is due:
   * `{ at, to, label, kind }` — `at` the due time, `to` where step would jump to, `kind`
   * 'expiry' (a key's TTL), 'backlog' (expired keys waiting for the active cycle) or 'source'.
   */
  next(now, { fresh = false } = {}) {
    const candidates = [];
    const expiry = this.engineExpiry({ fresh });
    if (expiry !== undefined) {
      if (expiry < now) {
        candidates.push({ at: expiry, to: now + EXPIRE_CYCLE_MS, label: 'expired keys waiting for the active expiry cycle', kind: 'backlog' });
      } else {
        candidates.push({ at: expiry, to: expiry + 1, label: 'a key’s TTL runs out', kind: 'expiry' });
      }
    }
    for (const d of sourceDueTimes()) {
      if (d.at >= now) candidates.push({ at: d.at, to: d.at + 1, label: d.label, kind: 'source' });
    }
    if (!candidates.length) return null;
    return candidates.reduce((a, b) => (b.to < a.to ? b : a));
  }

  /**
   * Jump the world just past the next due event. Returns `{ from, to, due }` or null when
   * nothing is due (nothing changes then). Emits a 'step' clock change.
   */
  step() {
    const engine = this.engine;
    engine.tick(); // measure the jump from the wall's now, not from the last tick
    const from = engine.now();
    const due = this.next(from, { fresh: true });
    if (!due) return null;
    if (due.to > from) engine.advance(due.to - from);
    this.invalidate();
    const to = engine.now();
    const result = { from, to, due };
    emitClockChange({ type: 'step', now: to, speed: engine.speed(), paused: engine.isPaused(), ...result });
    return result;
  }
}
