// The page's one door to the engine: the only module that imports pkg/ (wasm-bindgen output).
//
//   const engine = await createEngine();   // a Playground: the world (clock, keyspace, sim*, …)
//   const one = engine.console(id);        // a Console: one redis-cli (exec, prompt, mode, …)
//
// The Playground and Console APIs are documented in src/wasm.rs. The world moves when
// scheduler.js ticks it; which console the learner is in is the console UI's business
// (console/consoles.js: active(), activeDb()).
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
