// A/B: the same workloads on two wasm builds in one node process, side by side (rounds in
// turn, so other work on the machine hits both alike). For checking a change to src/:
//
//   scripts/build; cp -r www/pkg /tmp/pkg-a; (change src/); scripts/build
//   node bench/ab.mjs /tmp/pkg-a www/pkg [WORKLOAD...]        (scripts/bench ab A B ...)
//
// WORKLOAD: names from bench/workloads.mjs; default: all of them.
import fs from 'node:fs';
import path from 'node:path';
import { meter, sideBySide } from './lib.mjs';
import { workloads } from './workloads.mjs';

const [a, b, ...names] = process.argv.slice(2);
if (!a || !b) {
  console.error('usage: node bench/ab.mjs PKG_DIR_A PKG_DIR_B [WORKLOAD...]');
  process.exit(2);
}
async function load(dir) {
  const pkg = await import(path.resolve(dir, 'redis_playground.js'));
  pkg.initSync({ module: fs.readFileSync(path.resolve(dir, 'redis_playground_bg.wasm')) });
  return workloads(new pkg.Playground());
}
const A = await load(a);
const B = await load(b);
console.log(`${'workload'.padEnd(14)} ${'A calls/s'.padStart(12)} ${'B calls/s'.padStart(12)}   B/A   (A = ${a}, B = ${b})`);
for (const w of names.length ? names : Object.keys(A)) {
  const [ra, rb] = await sideBySide([meter(A[w]), meter(B[w])], 7);
  console.log(`${w.padEnd(14)} ${Math.round(ra).toLocaleString('en-US').padStart(12)} ${Math.round(rb).toLocaleString('en-US').padStart(12)}   ${(rb / ra).toFixed(2)}×`);
}
