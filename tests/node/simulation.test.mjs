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
  assert.equal(state.metrics.length, 4);
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

test('a refused config leaves the running simulation as it was', () => {
  const p = new Playground();
  p.pause();
  p.simStart({ seed: 5, operations: 4, failureProbability: 1, schedule: { testMode: true } });
  const before = p.simState();
  assert.throws(() => p.simStart({ polling: false, events: false, queue: false, stream: false }), /strategies/);
  assert.throws(() => p.simStart({ operations: 'many' }));
  const after = p.simState();
  assert.equal(after.running, true);
  assert.equal(after.startMs, before.startMs);
  assert.deepEqual(after.config, before.config);
});

test('simLogLast names the newest logged command, so the newest lines read in one call', () => {
  const p = new Playground();
  assert.equal(p.simLogLast(), undefined);
  p.pause();
  p.simStart({ seed: 2, operations: 30, failureProbability: 1, arrivalSpreadMs: 0, schedule: { testMode: true } });
  p.simStep();
  const last = p.simLogLast();
  const all = p.simLog(0, 1_000_000);
  assert.ok(last > 0);
  assert.equal(all.at(-1).seq, last);
  const newest = p.simLog(last - 3, 3);
  assert.deepEqual(newest.map((e) => e.seq), [last - 2, last - 1, last]);
});

test('a bad config is refused with a message', () => {
  const p = new Playground();
  assert.throws(() => p.simStart({ schedule: { backoff: { kind: 'list', intervalsS: [] } } }), /interval/i);
  assert.throws(() => p.simStart({ operations: 'many' }));
});

test('a config that cannot be read is refused with the field\'s type error', () => {
  const p = new Playground();
  const message = (config) => {
    try {
      p.simStart(config);
    } catch (e) {
      return e;
    }
    return 'started';
  };
  // serde-wasm-bindgen's texts: what is wrong, and where.
  assert.equal(message({ operations: 'many' }), 'Error: invalid type: string "many", expected u32');
  assert.equal(message({ operations: -1 }), 'Error: invalid type: floating point `-1.0`, expected u32');
  assert.equal(message({ pollingDb: 300 }), 'Error: invalid value: integer `300`, expected u8');
  assert.equal(message({ outage: { startMs: 0 } }), 'Error: missing field `endMs`');
  assert.equal(message({ schedule: { jitter: 'some' } }),
    'Error: unknown variant `some`, expected one of `none`, `full`, `equal`, `decorrelated`');
  assert.equal(message({ schedule: { backoff: { kind: 'linear' } } }),
    'Error: unknown variant `linear`, expected `list` or `exponential`');
  assert.equal(message({ schedule: { backoff: { kind: 'exponential', baseS: 2, factor: 2 } } }),
    'Error: missing field `capS`');
  assert.equal(message({ schedule: { backoff: { kind: 'list', intervalsS: [60, '5m'] } } }),
    'Error: invalid type: string "5m", expected u32');
  // Read, then normalized: its own texts.
  assert.equal(message({ polling: false, events: false, queue: false, stream: false }), 'strategies: enable at least one strategy');
  assert.equal(message({ unknownField: 1, operations: 2 }), 'started');
});

test('simState echoes the normalized config with camelCase fields and the defaults', () => {
  const p = new Playground();
  p.pause();
  p.simStart({ operations: 50_000, schedule: { backoff: { kind: 'exponential', baseS: 5, factor: 2, capS: 1 }, jitter: 'full' } });
  const { config } = p.simState();
  assert.deepEqual(Object.keys(config), [
    'seed', 'operations', 'arrivalSpreadMs', 'failureProbability', 'outage', 'schedule', 'polling',
    'events', 'queue', 'stream', 'pollingDb', 'eventsDb', 'queueDb', 'streamDb', 'pollIntervalMs', 'pollers',
    'countOnlyIdlePolls', 'listeners', 'listenerOutage', 'queueWorkers', 'queuePollMs', 'queueBatch', 'queueClaim',
    'streamReclaimMs', 'streamMinIdleMs', 'bucketMs', 'logCapacity', 'capacityPerS', 'budget', 'breaker',
  ]);
  assert.equal(config.operations, 10_000);
  assert.deepEqual([config.capacityPerS, config.budget, config.breaker], [0, null, null]);
  assert.equal(config.outage, null);
  assert.deepEqual(config.schedule, {
    backoff: { kind: 'exponential', baseS: 5, factor: 2, capS: 5 }, jitter: 'full', maxRetries: 6, testMode: false,
  });
  p.simStart();
  assert.deepEqual(p.simState().config.schedule.backoff, { kind: 'list', intervalsS: [300, 600, 900, 7200, 14400, 21600] });
});

// The page's words about the strategies (www/js/retry/explain.js), checked against the model.
test('the words hold: polling is half to one poll interval late; lockstep workers conflict (workers − 1) times a retry', () => {
  for (const seed of [1, 2, 3]) {
    const p = new Playground();
    p.pause();
    p.simStart({ seed, operations: 100, failureProbability: 0.5, schedule: { testMode: true } });
    const state = runToEnd(p);
    const [polling, , queue] = state.metrics;
    const interval = state.config.pollIntervalMs;
    assert.ok(polling.lateness.count > 0);
    const late = polling.lateness.meanMs / interval;
    // First retries half an interval late on average, later ones a whole interval.
    assert.ok(late > 0.5 && late <= 1, `polling: ${polling.lateness.meanMs} ms late on average, interval ${interval} ms`);
    assert.ok(polling.lateness.maxMs <= interval, `polling: at most one interval late (${polling.lateness.maxMs} ms)`);
    assert.equal(queue.claimConflicts, (state.config.queueWorkers - 1) * queue.retries, JSON.stringify(queue));
  }
});

test('the words hold: in the same outage, full jitter gives some orders up where no jitter gives none', () => {
  const outageRun = (jitter) => {
    const p = new Playground();
    p.pause();
    p.simStart({
      seed: 0, operations: 500, arrivalSpreadMs: 1000, failureProbability: 0.3,
      outage: { startMs: 0, endMs: 300_000 },
      schedule: { backoff: { kind: 'exponential', baseS: 10, factor: 2, capS: 120 }, jitter, maxRetries: 10 },
      countOnlyIdlePolls: true,
    });
    return runToEnd(p).metrics;
  };
  const none = outageRun('none');
  const full = outageRun('full');
  // The consumer group has no backoff: every retry a min-idle (10 s) apart, all inside the outage.
  for (const m of none) assert.equal(m.givenUp, m.strategy === 'stream' ? 500 : 0, `no jitter: ${m.strategy}`);
  assert.ok(full.some((m) => m.givenUp > 0), `full jitter gives some up: ${full.map((m) => m.givenUp)}`);
});
