// Keeping the simulation in step with the world clock.
//
//   const pace = createPace(engine, clk, { onSlowed(note) {} });
//   pace.reset(simNowMs)          a run (re)starts
//   pace.catchUp(ms)   → true     caught up (false: still behind after `ms` of wall time)
//   pace.keepUp(state)            after a frame: slow the clock if the run can't keep up
//   pace.maxSendingSpeed(config)  the fastest clock at which every idle TTL can be sent
//   pace.hold(ev, state)          a speed change: hold it to what the run sustains
//
// Why the care: each engine.simAdvance call ends with the server's active expiry cycle at the
// *world's* time. A call that stops short of it (its work bound reached) lets keys expire
// before the simulation has reached their due time — pollers then see -2 and listeners get
// events early, and the run no longer replays the model's. So a frame's worth of work is
// asked for in one call, sized from the work the last frames needed per world ms; only a
// long gap (a tab back from the background) is caught up in bounded steps over frames.
import { fmtSpan } from './util.js';

const ONE_CALL_MAX_WORK = 40_000; // a frame's worth of work is asked for in one call up to this
const ONE_CALL_MIN_WORK = 20_000; // …and at least this much (a herd's burst), as engine.tick() does
/**
 * TTLs a second this tab can send, conservatively: a TTL costs 1–2 µs in the engine, and the
 * engine's own 100 ms tick catches up at most 20,000 commands. Above it, idle TTLs are
 * counted instead (auto) or the world clock is held to a speed the pollers keep up with.
 */
const SENDABLE_TTL_PER_S = 100_000;
export const CAP_SPEEDS = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800, 3600];

export function createPace(engine, clk, { onSlowed = () => {} } = {}) {
  let workPerWorldMs = 1; // how much work a world ms has needed lately
  let simNow = 0; // the simulation's time after the last call
  let lastCallWall = performance.now(); // when that call began (wall ms)
  let behind = false;
  const slow = { frames: 0, lag: 0 };

  function catchUp(ms) {
    const t0 = performance.now();
    // engine.now() is the world's time at the engine's last sync; the call first moves it on
    // by the wall time since then × the speed (bounded here by our last call's time).
    const moving = engine.isPaused() ? 0 : Math.max(0, t0 - lastCallWall) * engine.speed();
    const gap = Math.max(0, engine.now() - simNow) + moving;
    const need = Math.ceil(gap * workPerWorldMs * 1.5) + 200;
    behind = false;
    for (;;) {
      const a = performance.now();
      const before = simNow;
      const p = engine.simAdvance(Math.max(Math.min(need, ONE_CALL_MAX_WORK), ONE_CALL_MIN_WORK));
      lastCallWall = a;
      if (!p) return true;
      if (p.nowMs > before && p.work > 0) workPerWorldMs = workPerWorldMs * 0.8 + (p.work / (p.nowMs - before)) * 0.2;
      simNow = p.nowMs;
      if (p.caughtUp) return true;
      if (performance.now() - t0 >= ms) {
        behind = true;
        return false;
      }
    }
  }

  /** The fastest world clock at which the pollers can send every TTL of `config`. */
  function maxSendingSpeed(config) {
    if (!config.polling || config.countOnlyIdlePolls) return Infinity;
    const perWorldSecond = config.operations * config.pollers * (1000 / config.pollIntervalMs);
    return SENDABLE_TTL_PER_S / Math.max(1, perWorldSecond);
  }

  /** A speed change from the header: held to what the running simulation sustains. */
  function hold(ev, state) {
    if (ev.type !== 'speed' || !state.running || state.finished) return null;
    const limit = maxSendingSpeed(state.config);
    if (ev.speed <= limit) return null;
    const target = CAP_SPEEDS.filter((v) => v <= limit).pop() ?? 1;
    clk().setSpeed(target);
    onSlowed(target, `${ev.speed}× is more than the pollers can keep up with in this tab (they send the TTL of each of up to ${state.config.operations} keys every ${fmtSpan(state.config.pollIntervalMs)}), so the world clock is held at ${target}×. Start again with “Idle TTLs: count” (Advanced) to go faster: the results are the same.`);
    return target;
  }

  /**
   * Back-pressure for anything else that outruns the tab: behind for most of a second with
   * the lag growing, the clock goes down one speed step, and the page says why.
   */
  function keepUp(state) {
    const c = clk();
    const lag = engine.now() - state.nowMs;
    if (!behind || c.isPaused() || state.finished) {
      slow.frames = 0;
      slow.lag = lag;
      return;
    }
    if (++slow.frames < 40) return;
    const growing = lag > slow.lag;
    slow.frames = 0;
    slow.lag = lag;
    const speed = c.speed();
    const target = CAP_SPEEDS.filter((v) => v < speed).pop() ?? 1;
    if (!growing || target >= speed) return;
    c.setSpeed(target);
    const why = state.config.polling && !state.config.countOnlyIdlePolls
      ? ' The pollers send every TTL of every waiting key; Start again with “Idle TTLs: count” (Advanced) to run this fast.'
      : '';
    onSlowed(target, `This tab could not keep up at ${speed}×, so the world clock was slowed to ${target}×.${why}`);
  }

  return {
    catchUp,
    keepUp,
    hold,
    maxSendingSpeed,
    reset(now) {
      simNow = now;
      lastCallWall = performance.now();
      behind = false;
    },
    get behind() { return behind; },
  };
}
