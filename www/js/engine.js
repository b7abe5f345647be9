// The page's one door to the engine: the only module that imports pkg/ (wasm-bindgen output).
//
//   const engine = await createEngine();   // a Playground: exec, execArgv, prompt, tick, …
//   const stop = startTicking(engine);     // world time follows the wall clock; active expiry runs
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
