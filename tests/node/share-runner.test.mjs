// runner.js: a shared link's lines run within a memory budget and a time budget, on a fake
// clock (no wall-clock timing), and the usual memory ceiling always comes back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runLines, LINK_BUDGET, OOM_TEXT } from '../../www/js/share/runner.js';

function fakeEngine(used = 1000) {
  const calls = [];
  return {
    calls,
    memoryUsed: () => used,
    setMemoryLimit: (b) => calls.push(b),
  };
}

test('the engine may hold only the budget more while the link runs; the ceiling comes back', async () => {
  const engine = fakeEngine(5000);
  const ran = [];
  const r = await runLines({ lines: ['SET a 1', 'GET a'], run: (l) => { ran.push(l); return 'OK'; }, engine, now: () => 0 });
  assert.deepEqual(ran, ['SET a 1', 'GET a']);
  assert.deepEqual(engine.calls, [5000 + LINK_BUDGET.memoryBytes, null]);
  assert.deepEqual(r, { ran: 2, total: 2, refusedForMemory: 0, stopped: null });
});

test('OOM replies are counted; a throwing line still puts the ceiling back', async () => {
  const engine = fakeEngine();
  const r = await runLines({ lines: ['a', 'b', 'c'], run: (l) => (l === 'a' ? '(integer) 1' : `(error) ${OOM_TEXT}`), engine, now: () => 0 });
  assert.equal(r.refusedForMemory, 2);
  const e2 = fakeEngine();
  await assert.rejects(runLines({ lines: ['x'], run: () => { throw new Error('boom'); }, engine: e2, now: () => 0 }), /boom/);
  assert.deepEqual(e2.calls.at(-1), null);
});

test('past the time budget the rest is not run; the page gets a turn every slice', async () => {
  let t = 0;
  let pauses = 0;
  const progress = [];
  const r = await runLines({
    lines: Array.from({ length: 100 }, (_, i) => `SET k${i} v`),
    run: () => { t += 1000; return 'OK'; }, // each line "takes" a second
    engine: fakeEngine(),
    now: () => t,
    pause: async () => { pauses += 1; },
    onProgress: (p) => progress.push(p.ran),
  });
  assert.equal(r.stopped, 'time');
  assert.equal(r.ran, LINK_BUDGET.timeMs / 1000 + 1);
  assert.equal(pauses, r.ran);
  assert.deepEqual(progress.slice(0, 3), [1, 2, 3]);
});

test('Stop (the signal) ends it between lines', async () => {
  const stop = new AbortController();
  const r = await runLines({
    lines: ['a', 'b', 'c'],
    run: (l) => { if (l === 'b') stop.abort(); return 'OK'; },
    engine: fakeEngine(),
    now: () => 0,
    signal: stop.signal,
  });
  assert.deepEqual(r, { ran: 2, total: 3, refusedForMemory: 0, stopped: 'stopped' });
});

test('an engine without the memory API still runs the lines', async () => {
  const r = await runLines({ lines: ['a'], run: () => 'OK', engine: {}, now: () => 0 });
  assert.equal(r.ran, 1);
});

test('a script still running after its line is stopped, and the link with it', async () => {
  // the real engine: a quick script answers in its first slice; a runaway one doesn't
  const fs = await import('node:fs');
  const { initSync, Playground } = await import('../../www/pkg/redis_playground.js');
  initSync({ module: fs.readFileSync(new URL('../../www/pkg/redis_playground_bg.wasm', import.meta.url)) });
  const engine = new Playground();
  const c = engine.console(0);
  const r = await runLines({
    lines: ['EVAL "return redis.call(\'SET\', KEYS[1], 1)" 1 a', 'EVAL "while true do end" 0', 'SET after 1'],
    run: (l) => c.exec(l),
    engine,
    now: () => 0,
  });
  assert.deepEqual(r, { ran: 2, total: 3, refusedForMemory: 0, stopped: 'script' });
  assert.equal(engine.runningScript(), null);
  assert.match(c.takeMessages(), /Script killed by user with SCRIPT KILL/);
  assert.equal(c.exec('EXISTS a after'), '(integer) 1');
});
