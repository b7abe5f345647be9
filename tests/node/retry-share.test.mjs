// "Share this run" links (www/js/retry/share-run.js over share/codec.js's data fragments):
// what a link carries round-trips; what a stranger's link may hold is plain, bounded data,
// refused with a sentence otherwise; a link whose form and config disagree is caught; and a
// run started from a link's config logs the very same commands as the original.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SIM_PREFIX, PREFIX, encodeData, decodeData, decodeFragment, encodeScenario, ShareError, toBase64Url } from '../../www/js/share/codec.js';
import { packRun, checkRun, differences, formValues } from '../../www/js/retry/share-run.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let Playground;
before(async () => {
  const pkg = await import(path.join(ROOT, 'www', 'pkg', 'redis_playground.js'));
  pkg.initSync({ module: fs.readFileSync(path.join(ROOT, 'www', 'pkg', 'redis_playground_bg.wasm')) });
  Playground = pkg.Playground;
});

const CONFIG = {
  seed: 42, operations: 30, arrivalSpreadMs: 5000, failureProbability: 0.5, outage: null,
  schedule: { backoff: { kind: 'list', intervalsS: [2, 4, 8] }, jitter: 'full', maxRetries: 3, testMode: false },
  polling: true, events: true, queue: true, pollIntervalMs: 1000, pollers: 1, countOnlyIdlePolls: false,
  listeners: 1, listenerOutage: null, queueWorkers: 3, queuePollMs: 1000, queueBatch: 100, queueClaim: 'transaction',
  bucketMs: 1000, logCapacity: 2000,
};

test('a run round-trips through a #sim= fragment, short, and #run= links still decode', async () => {
  const form = formValues({ operations: { type: 'number', value: '30' }, polling: { type: 'checkbox', checked: true } });
  assert.deepEqual(form, { operations: '30', polling: true });
  const packed = packRun({ config: CONFIG, form, speed: 60, view: { code: { strategy: 'queue-transaction', language: 'javascript' } } });
  const fragment = await encodeData(SIM_PREFIX, packed);
  assert.ok(fragment.startsWith('#sim='));
  assert.ok(fragment.length < 700, `short: ${fragment.length} characters`);
  const back = checkRun(await decodeData(fragment, SIM_PREFIX));
  assert.deepEqual(back, { config: CONFIG, form, speed: 60, view: { code: { strategy: 'queue-transaction', language: 'javascript' } } });
  assert.deepEqual(await decodeFragment(await encodeScenario('SET a 1\nGET a')), ['SET a 1', 'GET a'], 'console links are as they were');
  assert.equal(PREFIX, '#run=');
});

test('a stranger’s link holds plain, bounded data or is refused with a sentence', async () => {
  const refuse = async (value, re) => {
    const f = typeof value === 'string' ? value : await encodeData(SIM_PREFIX, value);
    await assert.rejects(async () => checkRun(await decodeData(f, SIM_PREFIX)), (e) => e instanceof ShareError && re.test(e.message));
  };
  await refuse({ v: 2, config: CONFIG }, /format/);
  await refuse({ v: 1 }, /settings are missing/);
  await refuse({ v: 1, config: [] }, /settings are missing/);
  await refuse(JSON.parse('{"v":1,"config":{"__proto__":{"polluted":1}}}'), /field named “__proto__”/);
  await refuse({ v: 1, config: { seed: 'x'.repeat(500) } }, /over 200 characters/);
  await refuse({ v: 1, config: { a: { b: { c: { d: { e: { f: 1 } } } } } } }, /nested too deeply/);
  await refuse({ v: 1, config: { list: Array.from({ length: 1000 }, (_, i) => i) } }, /too large/);
  await refuse({ v: 1, config: CONFIG, form: { '<img>': 'x' } }, /setting named/);
  await refuse({ v: 1, config: CONFIG, form: { seed: { nested: 1 } } }, /short text or a tick/);
  await refuse('#sim=!!!', /damaged/);
  await refuse(`#sim=${'A'.repeat(9000)}`, /too long/);
  await refuse(SIM_PREFIX + toBase64Url(new Uint8Array([1, 2, 3, 4, 5])), /damaged/);
  // A bomb: inflates far past the limit.
  const big = await encodeData(SIM_PREFIX, { v: 1, config: { pad: ' '.repeat(100_000) } });
  await refuse(big, /too large/);
  // Odd extras are dropped, not trusted.
  const ok = checkRun({ v: 1, config: CONFIG, speed: -5, view: { code: { strategy: 1 } } });
  assert.equal(ok.speed, null);
  assert.deepEqual(ok.view, {});
  assert.equal(({}).polluted, undefined);
});

test('a form that reads as another config than the link’s is caught; Start’s own fields and unknown ones aside', () => {
  const fromForm = { ...CONFIG, bucketMs: 0, countOnlyIdlePolls: true };
  assert.deepEqual(differences(CONFIG, fromForm), []);
  assert.deepEqual(differences({ ...CONFIG, operations: 31, capacityPerS: 5 }, fromForm), ['operations']);
  assert.deepEqual(differences({ ...CONFIG, schedule: { ...CONFIG.schedule, jitter: 'none' } }, fromForm), ['schedule']);
});

test('the engine refuses a link’s bad values with its own message; a good link replays the run command for command', () => {
  const engine = new Playground();
  assert.throws(() => engine.simStart({ ...CONFIG, operations: -3 }));
  assert.throws(() => engine.simStart({ ...CONFIG, queueClaim: 'sneaky' }));
  const run = (cfg) => {
    const e = new Playground();
    e.pause();
    e.simStart(cfg);
    const start = e.simState().startMs;
    for (let i = 0; i < 25; i++) e.simStep();
    // Times are the world's (a run starts when it starts): read relative to the start.
    const rel = (text) => text.replace(/\b\d{13}\b/g, (n) => `T+${Number(n) - start}`);
    return Array.from(e.simLog(0, 100_000)).map((x) => rel(`${x.atMs - start} ${x.line.slice(x.line.indexOf(' ['))} → ${x.reply}`));
  };
  const a = run(CONFIG);
  const b = run(JSON.parse(JSON.stringify(CONFIG)));
  assert.ok(a.length > 100);
  assert.deepEqual(b, a);
});
