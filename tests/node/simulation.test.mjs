// The retry simulation through the JavaScript API: start with a config object, let world
// time pass, read metrics, timelines, series and the command log; step; reset; stop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { initSync, Playground } = await import(path.join(root, 'www/pkg/redis_playground.js'));
initSync({ module: fs.readFileSync(path.join(root, 'www/pkg/redis_playground_bg.wasm')) });

function runToEnd(p) {
  for (let i = 0; i < 10_000 && !p.simState().finished; i++) {
    p.advance(60_000);
    p.simAdvance(1_000_000);
  }
  return p.simState();
}

test('a run in the seed\'s test mode finishes with every operation accounted for', () => {
  const p = new Playground();
  p.pause();
  p.simStart({ seed: 7, operations: 20, failureProbability: 0.5, schedule: { testMode: true } });
  const state = runToEnd(p);
  assert.equal(state.finished, true);
  assert.equal(state.metrics.length, 3);
  for (const m of state.metrics) {
    assert.ok(m.commands > 0, JSON.stringify(m));
    assert.equal(m.successes + m.givenUp + m.lost, 20, JSON.stringify(m));
  }
  // Same seed, same failures: polling and the queue agree on who succeeded.
  assert.equal(state.metrics[0].successes, state.metrics[2].successes);
});

test('the console can inspect the simulation\'s keys while it runs', () => {
  const p = new Playground();
  p.pause();
  p.simStart({ seed: 1, operations: 3, failureProbability: 1, arrivalSpreadMs: 0 });
  p.simAdvance(100_000);
  p.exec('SELECT 10');
  assert.match(p.exec('TTL order:1'), /^\(integer\) (300|299)$/);
  p.exec('SELECT 12');
  assert.match(p.exec('ZRANGE retry 0 -1'), /"order:1"/);
});

test('step jumps the world clock to the next retry; timelines, series and the log report it', () => {
  const p = new Playground();
  p.pause();
  p.simStart({ seed: 3, operations: 2, failureProbability: 1, schedule: { testMode: true, maxRetries: 2 } });
  const before = p.now();
  const due = p.simNextDue();
  assert.ok(due > before);
  const progress = p.simStep();
  assert.ok(progress.nowMs >= due && p.now() >= due);
  const timelines = p.simTimelines('queue', 1, 2);
  assert.equal(timelines.length, 2);
  assert.ok(timelines[0].attempts.length >= 1);
  const series = p.simSeries('polling');
  assert.ok(Array.isArray(series) && series.length > 0);
  const log = p.simLog(0, 10);
  assert.ok(log.length > 0 && typeof log[0].line === 'string' && log[0].seq >= 0);
  assert.equal(p.simTimelines('nonsense', 1, 1), null);
});

test('reset replays the same run and stop ends it', () => {
  const p = new Playground();
  p.pause();
  p.simStart({ seed: 11, operations: 10, failureProbability: 0.3, schedule: { testMode: true } });
  const first = runToEnd(p).metrics;
  p.simReset();
  const second = runToEnd(p).metrics;
  assert.deepEqual(second.map((m) => [m.successes, m.retries, m.givenUp]), first.map((m) => [m.successes, m.retries, m.givenUp]));
  p.simStop();
  assert.equal(p.simState().running, false);
  assert.equal(p.simAdvance(10), null);
});

test('a bad config is refused with a message', () => {
  const p = new Playground();
  assert.throws(() => p.simStart({ schedule: { backoff: { kind: 'list', intervalsS: [] } } }), /interval/i);
  assert.throws(() => p.simStart({ operations: 'many' }));
});
