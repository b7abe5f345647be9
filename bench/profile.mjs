// Where the time of one workload goes, in the wasm engine in node: a CPU profile (V8's
// sampling profiler, through node:inspector) summarised as self time per function — wasm
// functions by their Rust names (from target/bench/pkg-named/, the build scripts/build makes
// with its name section; www/pkg/ ships without one), JS glue by name.
//
//   node bench/profile.mjs [WORKLOAD] [SECONDS] [--rate]     (scripts/bench profile WORKLOAD)
//
// --rate: only the rate, unprofiled (for A/B builds with BENCH_PKG=dir; BENCH_PKG is profiled
// as it is, names or not).
//
// WORKLOAD: one of the names in bench/workloads.mjs (default exec-get). Writes the raw profile
// to target/bench/WORKLOAD.cpuprofile (open it in Chrome's DevTools for the call tree).
import fs from 'node:fs';
import path from 'node:path';
import inspector from 'node:inspector/promises';
import { loadEngine, ROOT, PKG, WASM, NAMED_PKG, now, log } from './lib.mjs';
import { breakdown, namesFromNamedBuild } from './wasm-size.mjs';
import { workloads } from './workloads.mjs';

// The named build instead of www/pkg/, when it is the same code (names added).
const named = !process.env.BENCH_PKG && fs.existsSync(WASM)
  && namesFromNamedBuild(breakdown(fs.readFileSync(WASM)).funcs) !== null;
if (!process.env.BENCH_PKG && !named) {
  log(`${path.relative(ROOT, NAMED_PKG)}/ is missing or not the build in www/pkg/: wasm functions ` +
    'show as wasm-function[N]; run scripts/build for their names');
}
const { Playground } = await loadEngine(named ? NAMED_PKG : PKG);
const WORKLOADS = workloads(new Playground());

const name = process.argv[2] ?? 'exec-get';
const seconds = Number(process.argv[3] ?? 3);
const work = WORKLOADS[name];
if (!work) {
  log(`unknown workload ${name}; one of: ${Object.keys(WORKLOADS).join(', ')}`);
  process.exit(2);
}
for (let i = 0; i < 50_000; i++) work(i); // warm up
// The rate without the profiler first.
let n0 = 0;
const t0 = now();
while (now() - t0 < seconds * 1000) for (let k = 0; k < 1000; k++) work(n0++);
const rate = n0 / (now() - t0) * 1000;
console.log(`${name}: ${Math.round(rate).toLocaleString('en-US')} calls/s, ${(1e6 / rate).toFixed(2)} µs/call (not profiled)`);
if (process.argv.includes('--rate')) process.exit(0);

const session = new inspector.Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
await session.post('Profiler.start');
let n = 0;
const t = now();
while (now() - t < seconds * 1000) for (let k = 0; k < 1000; k++) work(n++);
const elapsed = now() - t;
const { profile } = await session.post('Profiler.stop');
session.disconnect();

const dir = path.join(ROOT, 'target', 'bench');
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));

// Self time per function name.
const self = new Map();
const dts = profile.timeDeltas;
const byId = new Map(profile.nodes.map((nd) => [nd.id, nd]));
let total = 0;
profile.samples.forEach((id, k) => {
  const nd = byId.get(id);
  const fn = nd.callFrame.functionName || `(${nd.callFrame.url ? path.basename(nd.callFrame.url) : 'anonymous'})`;
  const dt = dts[k] ?? 0;
  total += dt;
  self.set(fn, (self.get(fn) ?? 0) + dt);
});
console.log(`profiled: ${n.toLocaleString('en-US')} calls in ${(elapsed / 1000).toFixed(1)} s = ` +
  `${Math.round(n / elapsed * 1000).toLocaleString('en-US')} calls/s, ${(elapsed * 1000 / n).toFixed(2)} µs/call`);
console.log('self time by function (top 25):');
const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, 25);
for (const [fn, us] of rows) {
  const short = fn.length > 110 ? fn.slice(0, 107) + '...' : fn;
  console.log(`  ${(100 * us / total).toFixed(1).padStart(5)}%  ${short}`);
}
