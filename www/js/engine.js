// The page's one door to the engine: the only module that imports pkg/ (wasm-bindgen output).
//
//   const engine = await createEngine();   // a Playground: exec, execArgv, prompt, tick, …
//   const stop = startTicking(engine);     // world time follows the wall clock; active expiry runs
//   const one = consoleEngine(engine, id); // the same API, acting for console `id` (several redis-cli)
//
// The Playground API is documented in src/wasm.rs.
import init, { Playground } from '../pkg/redis_playground.js';

let loading = null;

/** Load the wasm module once (fetched next to pkg/redis_playground.js) and make a Playground. */
export async function createEngine() {
  loading ??= init();
  try {
    await loading;
  } catch (e) {
    loading = null;
    throw e;
  }
  return new Playground();
}

/**
 * Call `engine.tick()` every `interval` ms so expiry happens while nobody types.
 * `onError(e)` is called (and ticking stops) if the engine throws. Returns a stop function.
 *
 * Each tick moves the world by the wall time elapsed since the last one × the speed, so a
 * background tab whose timers the browser throttled (once a second, or once a minute) catches
 * up in full on its next tick, and at once when it becomes visible again. The keys that
 * expired meanwhile are deleted by the engine's active expiry cycle a bounded batch per tick
 * (lazily, on access, before that), so a long gap never freezes the page.
 */
export function startTicking(engine, { interval = 100, onError = console.error } = {}) {
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    try {
      engine.tick();
    } catch (e) {
      stop();
      onError(e);
    }
  };
  const doc = globalThis.document;
  const onVisible = () => { if (doc.visibilityState === 'visible') tick(); };
  const id = setInterval(tick, interval);
  doc?.addEventListener('visibilitychange', onVisible);
  function stop() {
    stopped = true;
    clearInterval(id);
    doc?.removeEventListener('visibilitychange', onVisible);
  }
  return stop;
}

/** The Playground methods that act for the current console (see `useConsole` in src/wasm.rs). */
export const CONSOLE_SCOPED = Object.freeze([
  'exec', 'execArgv', 'execDetailed', 'prompt', 'db', 'inTransaction', 'mode',
  'isReadingMessages', 'takeMessages', 'interrupt', 'clientId',
]);

/**
 * One console's view of the engine: an object with the Playground's methods where each
 * console-scoped one (CONSOLE_SCOPED) acts for console `id` — it calls
 * `engine.useConsole(id)` first — and the global ones (tick, hint, completions, keyspace,
 * now, …) pass straight through. Each call leaves the engine's current console as it found
 * it, so whatever the page made current (the console the learner is in: see
 * js/console/consoles.js) stays current for the other panes (the keyspace view's
 * `engine.db()`).
 *
 *   const a = consoleEngine(engine, 0), b = consoleEngine(engine, engine.openConsole());
 *   a.exec('BLPOP jobs 0');  b.exec('RPUSH jobs 1');  a.takeMessages();  // '1) "jobs"\n2) "1"'
 */
export function consoleEngine(engine, id) {
  const scoped = new Set(CONSOLE_SCOPED);
  const cache = new Map();
  const wrap = (name) => {
    const method = engine[name];
    if (!scoped.has(name)) return method.bind(engine);
    return (...args) => {
      const previous = engine.consoleId();
      if (previous !== id && !engine.useConsole(id)) {
        throw new Error(`console ${id} is closed`);
      }
      try {
        return method.apply(engine, args);
      } finally {
        if (previous !== id) engine.useConsole(previous);
      }
    };
  };
  return new Proxy(engine, {
    get(target, name) {
      if (name === 'consoleId') return () => id;
      if (typeof name !== 'string' || typeof target[name] !== 'function') return Reflect.get(target, name);
      if (!cache.has(name)) cache.set(name, wrap(name));
      return cache.get(name);
    },
  });
}
