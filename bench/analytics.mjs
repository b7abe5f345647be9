// Section: the analytics types, per operation, beside a real redis-server on loopback.
//
//   node bench/analytics.mjs            (scripts/bench analytics)
//
// The same data on both sides: a HyperLogLog fed one element at a time; ten dense
// HyperLogLogs of 5,000 elements each for PFCOUNT over 10 keys; a 1 MB bitmap (SETBIT at
// random offsets, BITCOUNT of all of it); a geo set of 100,000 members around central
// Europe searched within 50 km of a point. Our figure is the wasm engine's cost per call
// (execArgv in node, no network); Redis's is the server's own cost per call, from INFO
// commandstats (usec_per_call) after the same calls came in through redis-cli --pipe, so
// the network is out of both.
import { loadEngine, record, log, now, median } from './lib.mjs';
import { haveRedis, startRedis } from './redis-server.mjs';

const SECTION = 'Analytics types: cost per call, wasm engine vs redis-server (µs)';
const GEO_MEMBERS = 100_000;
const BITMAP_BITS = 8 * 1024 * 1024; // 1 MB

// A deterministic generator, so both sides hold the same members.
let seed = 7015;
const rand = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};

const dense = Array.from({ length: 10 }, (_, k) => ['PFADD', `hll:${k}`, ...Array.from({ length: 5000 }, (_, i) => `user:${k}:${i}`)]);
const geo = [];
for (let from = 0; from < GEO_MEMBERS; from += 10_000) {
  const cmd = ['GEOADD', 'stores'];
  for (let i = from; i < from + 10_000; i++) {
    cmd.push((5 + rand() * 15).toFixed(6), (43 + rand() * 10).toFixed(6), `store:${i}`);
  }
  geo.push(cmd);
}
const bitmap = [['SETBIT', 'bitmap', String(BITMAP_BITS - 1), '1']];
for (let i = 0; i < 20_000; i++) bitmap.push(['SETBIT', 'bitmap', String(Math.floor(rand() * BITMAP_BITS)), '1']);
const prefill = [...dense, ...geo, ...bitmap];

const keys10 = Array.from({ length: 10 }, (_, k) => `hll:${k}`);
// [name, the argv of call i, commandstats name]
const workloads = [
  ['PFADD (one new element)', (i) => ['PFADD', 'visitors', `element:${i}`], 'pfadd'],
  ['PFCOUNT over 10 dense keys', () => ['PFCOUNT', ...keys10], 'pfcount'],
  ['SETBIT in a 1 MB bitmap', (i) => ['SETBIT', 'bitmap', String((i * 7919) % BITMAP_BITS), '1'], 'setbit'],
  ['BITCOUNT of 1 MB', () => ['BITCOUNT', 'bitmap'], 'bitcount'],
  ['GEOSEARCH 50 km in 100,000 members', () => ['GEOSEARCH', 'stores', 'FROMLONLAT', '12.5', '48', 'BYRADIUS', '50', 'km', 'ASC'], 'geosearch'],
];

/** Our cost per call in µs: the median of 5 rounds of at least 200 ms each. */
function ours(p, argvOf) {
  let i = 0;
  for (const t = now(); now() - t < 100;) p.execArgv(argvOf(i++)); // warm up
  const rounds = [];
  for (let r = 0; r < 5; r++) {
    let n = 0;
    const t = now();
    let dt;
    do {
      for (let k = 0; k < 20; k++) p.execArgv(argvOf(i++));
      n += 20;
      dt = now() - t;
    } while (dt < 200);
    rounds.push((dt * 1000) / n);
  }
  return median(rounds);
}

const { Playground } = await loadEngine();
const p = new Playground();
for (const cmd of prefill) p.execArgv(cmd);
const oursCost = workloads.map(([name, argvOf]) => [name, ours(p, argvOf)]);
const geoFound = p.execArgv(workloads[4][1](0)).value.length;

if (!haveRedis()) {
  log('analytics: redis-server not installed — our figures only');
  for (const [name, cost] of oursCost) record({ section: SECTION, name, value: cost, unit: 'µs', ok: null });
  process.exit(0);
}

const r = await startRedis();
try {
  r.pipe(prefill);
  log(`analytics: a 50 km GEOSEARCH finds ${geoFound} members here`);
  for (const [k, [name, argvOf, stat]] of workloads.entries()) {
    r.cli(['CONFIG', 'RESETSTAT']);
    // The same calls as ours, sent all at once through redis-cli --pipe; the server's own
    // time per call comes from INFO commandstats, so the pipe's transfer is not in it.
    const heavy = /PFCOUNT|BITCOUNT|GEOSEARCH/.test(name);
    const n = heavy ? 2000 : 100_000;
    r.pipe(Array.from({ length: n }, (_, i) => argvOf(1_000_000 + i)));
    const stats = r.cli(['INFO', 'commandstats']);
    const m = stats.match(new RegExp(`cmdstat_${stat}:calls=(\\d+),usec=(\\d+),usec_per_call=([\\d.]+)`));
    const theirs = m ? Number(m[3]) : NaN;
    const cost = oursCost[k][1];
    record({
      section: SECTION, name, value: cost, unit: 'µs', ref: theirs, refLabel: 'µs in redis-server',
      ratio: cost / theirs, ok: null, target: 'reference',
    });
  }
} finally {
  await r.stop();
}
