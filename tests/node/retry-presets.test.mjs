// The job systems' presets (www/js/retry/schedule.js PRESETS): each one's delays are what
// Sidekiq, BullMQ and Temporal compute by default, expressed in the model's schedule, and the
// engine takes them; where the model can't be exact the description says what differs.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PRESETS, baseDelayS } from '../../www/js/retry/schedule.js';
import { parseDuration } from '../../www/js/retry/util.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let Playground;
before(async () => {
  const pkg = await import(path.join(ROOT, 'www', 'pkg', 'redis_playground.js'));
  pkg.initSync({ module: fs.readFileSync(path.join(ROOT, 'www', 'pkg', 'redis_playground_bg.wasm')) });
  Playground = pkg.Playground;
});

const preset = (id) => PRESETS.find((p) => p.id === id);

/** The model's schedule for a preset's form values (as the controls read them). */
function schedule({ values: v }) {
  const backoff = v.backoff === 'list'
    ? { kind: 'list', intervalsS: v.intervals.split(',').map((s) => parseDuration(s) / 1000) }
    : { kind: 'exponential', baseS: parseDuration(v.baseS) / 1000, factor: v.factor, capS: parseDuration(v.capS) / 1000 };
  return { backoff, jitter: v.jitter, maxRetries: v.maxRetries, testMode: false };
}

test('the seed’s schedule stays the first preset, the default', () => {
  assert.equal(PRESETS[0].id, 'seed');
  assert.deepEqual(PRESETS[0].values, {});
});

test('Sidekiq: 25 retries, retry n after (n−1)^4 + 15 s; its additive rand(10)·n is named as not modelled', () => {
  const s = schedule(preset('sidekiq'));
  assert.equal(s.maxRetries, 25);
  assert.equal(s.jitter, 'none');
  for (let n = 1; n <= 25; n++) assert.equal(baseDelayS(s, n), (n - 1) ** 4 + 15, `retry ${n}`);
  assert.deepEqual(s.backoff.intervalsS.slice(0, 5), [15, 16, 31, 96, 271]);
  assert.match(preset('sidekiq').description, /rand\(10\)/);
});

test('BullMQ exponential {delay: 1000}, attempts 10: 2^(attemptsMade−1) × delay, uncapped over its 9 retries', () => {
  const s = schedule(preset('bullmq'));
  assert.equal(s.maxRetries, 9);
  for (let n = 1; n <= 9; n++) assert.equal(baseDelayS(s, n), Math.round(2 ** (n - 1) * 1000) / 1000, `retry ${n}`);
  assert.ok(s.backoff.capS >= 256, 'the cap never bites');
});

test('Temporal: 1 s × 2 up to 100 s; unlimited attempts become the model’s 50, and the description says so', () => {
  const s = schedule(preset('temporal'));
  assert.equal(s.maxRetries, 50);
  for (let n = 1; n <= 50; n++) assert.equal(baseDelayS(s, n), Math.min(100, 2 ** (n - 1)), `retry ${n}`);
  assert.match(preset('temporal').description, /without limit/);
  assert.match(preset('temporal').description, /50 retries/);
});

test('the engine takes each preset’s schedule', () => {
  for (const id of ['sidekiq', 'bullmq', 'temporal']) {
    const engine = new Playground();
    engine.simStart({ operations: 5, schedule: schedule(preset(id)) });
    assert.equal(engine.simState().config.schedule.maxRetries, preset(id).values.maxRetries, id);
  }
});
