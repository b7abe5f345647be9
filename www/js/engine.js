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

/** The Console methods (src/wasm.rs `Console`): these act for one console. */
export const CONSOLE_SCOPED = Object.freeze([
  'exec', 'execArgv', 'execDetailed', 'prompt', 'db', 'inTransaction', 'mode',
  'isReadingMessages', 'takeMessages', 'interrupt', 'clientId',
]);

/**
 * One console's view of the engine: the Playground's methods, where the console-scoped ones
 * (CONSOLE_SCOPED) act for console `id` through its handle (`engine.console(id)`), and the
 * global ones (tick, hint, completions, keyspace, now, …) pass straight through.
 *
 *   const a = consoleEngine(engine, 0), b = consoleEngine(engine, engine.openConsole());
 *   a.exec('BLPOP jobs 0');  b.exec('RPUSH jobs 1');  a.takeMessages();  // '1) "jobs"\n2) "1"'
 */
export function consoleEngine(engine, id) {
  const scoped = new Set(CONSOLE_SCOPED);
  let handle = null;
  const console = () => {
    if (!handle || !handle.isOpen()) handle = engine.console(id) ?? null;
    if (!handle) throw new Error(`console ${id} is closed`);
    return handle;
  };
  const cache = new Map();
  return new Proxy(engine, {
    get(target, name) {
      if (name === 'consoleId') return () => id;
      if (typeof name === 'string' && scoped.has(name)) {
        if (!cache.has(name)) cache.set(name, (...args) => console()[name](...args));
        return cache.get(name);
      }
      const v = Reflect.get(target, name);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

/**
 * The page's active console (the one the learner is in): the keyspace view follows its db.
 * `setActiveConsole(engine, id)` records it; `activeDb(engine)` reads its db.
 */
const active = new WeakMap();
export function setActiveConsole(engine, id) {
  active.set(engine, id);
}
export function activeDb(engine) {
  const id = active.get(engine) ?? engine.consoleIds()[0];
  try {
    return engine.console(id)?.db() ?? 0;
  } catch {
    return 0;
  }
}
