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
 */
export function startTicking(engine, { interval = 100, onError = console.error } = {}) {
  const id = setInterval(() => {
    try {
      engine.tick();
    } catch (e) {
      clearInterval(id);
      onError(e);
    }
  }, interval);
  return () => clearInterval(id);
}
