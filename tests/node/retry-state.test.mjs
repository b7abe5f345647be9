// The retry simulation page's state without a page: RetryRun (www/js/retry/run.js: Start's
// speed, Step's plan, the chart's window, the status line, redraw pacing) and TimelineState
// (timeline-state.js: rows in view, fetching, the readout and summary), over the engine with
// a world clock that only moves when told.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RetryRun } from '../../www/js/retry/run.js';
import { TimelineState, AXIS_H } from '../../www/js/retry/timeline-state.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let Playground;

before(async () => {
  const pkg = await import(path.join(ROOT, 'www', 'pkg', 'redis_playground.js'));
  pkg.initSync({ module: fs.readFileSync(path.join(ROOT, 'www', 'pkg', 'redis_playground_bg.wasm')) });
  Playground = pkg.Playground;
});

/** A paused world running the seed's test mode (every wait 60 s) for `operations` orders. */
function started(operations = 4) {
  const p = new Playground();
  p.pause();
  p.simStart({ seed: 3, operations, failureProbability: 1, arrivalSpreadMs: 0, schedule: { testMode: true, maxRetries: 2 } });
  return p;
}

test('Start keeps a speed the learner picked and otherwise takes the schedule\'s', () => {
  const r = new RetryRun();
  const schedule = { testMode: false, maxRetries: 6, jitter: 'none', backoff: { kind: 'list', intervalsS: [300, 600, 900, 7200, 14400, 21600] } };
  const config = { operations: 200, bucketMs: 0, polling: true, events: true, queue: true, pollers: 1, pollIntervalMs: 1000, schedule };
  const plan = r.plan({ config, idlePolls: 'auto', speedChoice: 'suggest' }, { current: 1, maxSendingSpeed: 500 });
  assert.ok(config.bucketMs > 0, 'an automatic bucket is filled in');
  assert.equal(plan.speed, 600, 'the seed\'s 11 hours play in about a minute at 600×');
  assert.equal(plan.speed, plan.suggested);
  const picked = r.plan({ config, idlePolls: 'auto', speedChoice: 'suggest' }, { current: 42, maxSendingSpeed: 500 });
  assert.equal(picked.speed, 42, 'the learner picked 42×');
  r.autoSpeed = 42;
  assert.equal(r.plan({ config, idlePolls: 'auto', speedChoice: 'suggest' }, { current: 42, maxSendingSpeed: 500 }).speed, plan.suggested,
    'the speed Start set itself is not the learner\'s');
  assert.equal(r.plan({ config, idlePolls: 'auto', speedChoice: 'keep' }, { current: 1, maxSendingSpeed: 500 }).speed, 1);
  assert.equal(r.plan({ config, idlePolls: 'auto', speedChoice: 'suggest' }, { current: 1, maxSendingSpeed: 5 }).countOnlyIdlePolls, true,
    'faster than the pollers can send: idle TTLs are counted');
  assert.equal(r.plan({ config, idlePolls: 'send', speedChoice: 'suggest' }, { current: 1, maxSendingSpeed: 5 }).countOnlyIdlePolls, false);
  assert.equal(r.plan({ config, idlePolls: 'count', speedChoice: 'suggest' }, { current: 1, maxSendingSpeed: 1e9 }).countOnlyIdlePolls, true);
});

test('a run: its strategies, the speed note, the chart window and the status line', () => {
  const p = started();
  const r = new RetryRun();
  const state = p.simState();
  assert.equal(r.isNew(state), true);
  const run = r.setup(state);
  assert.equal(r.isNew(p.simState()), false);
  assert.deepEqual(run.strategies, ['polling', 'events', 'queue', 'stream']);
  assert.deepEqual(run.dbs, { polling: 10, events: 11, queue: 12, stream: 13 });
  assert.match(r.started({ speed: 60, suggested: 60 }, 1), /^Start set the world clock \(in the page header\) to 60× for this schedule/);
  assert.equal(r.autoSpeed, 60);
  assert.match(r.started({ speed: 5, suggested: 60 }, 5), /^The world clock stays at your speed, 5×: .* \(60× would take/);
  const series = Object.fromEntries(run.strategies.map((s) => [s, p.simSeries(s)]));
  const whole = r.view('all', 0, false, series);
  assert.equal(whole.x0, 0);
  assert.ok(whole.x1 >= run.horizon);
  assert.deepEqual(r.view(60_000, 300_000, false, series), { x0: 252_000, x1: 312_000 }, 'a span follows now');
  assert.equal(r.status(state, { nowRel: 1500, paused: true }), 'Paused at 1.5 s of world time since the start; 0 waiting for a retry, 4 not failed yet.');
  p.advance(1000);
  p.simAdvance(1_000_000);
  assert.equal(r.status(p.simState(), { nowRel: 1000, paused: false }), 'Running: 1.0 s of world time since the start; 4 waiting for a retry.');
  assert.match(r.status(state, { nowRel: 0, paused: false, behindMs: 12_000 }), /Catching up with the world clock \(12 s behind\)\.$/);
});

test('Step jumps the clock when stepping would send too many idle TTLs', () => {
  const state = { nowMs: 0, config: { polling: true, countOnlyIdlePolls: false, pollers: 2, pollIntervalMs: 1000 }, metrics: [{ strategy: 'polling', waiting: 1000 }] };
  assert.equal(RetryRun.stepCost(state, 60_000), 120_000);
  assert.equal(RetryRun.stepPlan(state, 60_000), 'step');
  assert.equal(RetryRun.stepPlan(state, 600_000), 'jump');
  assert.equal(RetryRun.stepPlan({ ...state, config: { ...state.config, countOnlyIdlePolls: true } }, 600_000), 'step');
  assert.equal(RetryRun.stepPlan(state, undefined), 'step');
});

test('the log redraws at most every 100 ms, the status every 250 ms or when the run finishes', () => {
  const r = new RetryRun();
  assert.deepEqual(r.due(1000, false), { log: true, status: true });
  assert.deepEqual(r.due(1050, false), { log: false, status: false });
  assert.deepEqual(r.due(1100, false), { log: true, status: false });
  assert.deepEqual(r.due(1120, true), { log: false, status: true }, 'finishing shows at once');
  assert.equal(r.finishedNow(true), true);
  assert.equal(r.finishedNow(true), false, 'announced once');
  assert.equal(r.idleDue(1200), false);
  assert.equal(r.idleDue(1400), true);
});

test('the timeline fetches the rows in view, and says what they show', () => {
  const p = started(30);
  p.advance(90_000);
  p.simAdvance(1_000_000);
  const state = p.simState();
  const t = new TimelineState();
  const options = t.setup({ strategies: ['polling', 'queue'], config: state.config, startMs: state.startMs, operations: 30 });
  assert.deepEqual(options, [['stacked', 'all, stacked'], ['polling', 'Polling TTL'], ['queue', 'Delayed queue']]);
  assert.equal(t.rowHeight(), 22, 'two strategies stacked');
  const range = t.visibleRange(0, AXIS_H + 5 * 22);
  assert.deepEqual(range, { first: 0, count: 6 });
  assert.deepEqual(t.visibleRange(25 * 22, 200), { first: 25, count: 5 }, 'no further than the last operation');
  assert.equal(t.wantsFetch('k1', range, 0), true);
  t.fetch(p, 'k1', range, 0);
  assert.deepEqual(t.rows.map((r) => r.op), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(Object.keys(t.rows[0].tl), ['polling', 'queue']);
  assert.equal(t.wantsFetch('k1', range, 10), false, 'nothing changed');
  assert.equal(t.wantsFetch('k2', range, 50), false, 'the data moved: not again within 80 ms');
  assert.equal(t.wantsFetch('k2', range, 100), true);
  assert.equal(t.wantsFetch('k1', { first: 1, count: 6 }, 10), true, 'scrolled: at once');
  assert.equal(t.opAt(AXIS_H + 22 * 2 + 3, 0), 3);
  const text = t.readout(1, 61_000);
  assert.match(text, /^order:1 at \+1 min 1 s — Polling TTL: waiting; next retry due at \+2 min(?: 1 s)?\. first failure at \+0 s, retry 1 failed at \+1 min(?: 1 s)? \([\d.]+ s late\)\. Delayed queue: waiting; /);
  assert.equal(t.readout(99, 0), null);
  assert.match(t.describe().summary, /^Showing order:1 to order:6 of 30 \(each row: polling ttl, delayed queue, top to bottom\); in view, counting each strategy’s run of an order: 12 waiting\. Scroll for more\.$/);
  t.setMode('queue');
  assert.equal(t.rowHeight(), 16);
  assert.deepEqual(t.shown(), ['queue']);
  assert.equal(t.fetchedKey, '', 'a new mode fetches again');
  assert.equal(t.wantsDraw('a'), true);
  assert.equal(t.wantsDraw('a'), false);
});

test('the command log: clock times for MONITOR heads, keys matched as whole words', async () => {
  const { clockHead, lineMatcher } = await import('../../www/js/retry/log.js');
  const at = new Date(2026, 11, 7, 9, 1, 15, 250).getTime();
  const head = clockHead(`${Math.floor(at / 1000)}.250000 [10 poller-1]`);
  assert.equal(head.text, '09:01:15.250 [10 poller-1]');
  assert.equal(head.epoch, `${Math.floor(at / 1000)}.250000`);
  const key = lineMatcher('order:42');
  assert.equal(key('"TTL" "order:42" → (integer) 5'), true);
  assert.equal(key('"GET" "order:42:retry_count" → "1"'), true);
  assert.equal(key('"TTL" "order:4208" → (integer) 5'), false);
  assert.equal(lineMatcher('*ZREM*')('"ZREM" "retry" "order:1"'), true);
  assert.equal(lineMatcher('')('anything'), true);
});

test('metrics: small rates are not rounded to 0; the lateness histogram labels its axis', async () => {
  const { fmtRate, histTicks } = await import('../../www/js/retry/metrics.js');
  assert.equal(fmtRate(0), '0');
  assert.equal(fmtRate(0.0423), '0.042');
  assert.equal(fmtRate(12.345), '12.3');
  const buckets = [{ fromMs: null, toMs: 0 }, { fromMs: 0, toMs: 10 }, { fromMs: 10, toMs: 1000 }, { fromMs: 1000, toMs: 60_000 }, { fromMs: 60_000, toMs: 3_600_000 }, { fromMs: 3_600_000, toMs: null }];
  assert.deepEqual(histTicks(buckets), [[0, 'early'], [1, '0'], [3, '1 s'], [4, '1 min'], [5, '1 h']]);
});
