// Shared helpers of the benchmark harnesses (bench/*.mjs), run by scripts/bench.
//
// Each harness measures, then records rows with `record(row)`: one JSON line per row
// appended to $BENCH_OUT (scripts/bench prints them all as one table with bench/report.mjs),
// and a readable line on stderr as it goes. A row:
//   { section, name, value, unit, ref?, refLabel?, ratio?, target?, ok?, note? }
// `ok` is true/false where the row has a target, null (or absent) where it is a reference.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// $BENCH_PKG: another wasm-bindgen output directory to measure (A/B builds); www/pkg by default.
export const PKG = process.env.BENCH_PKG ? path.resolve(process.env.BENCH_PKG) : path.join(ROOT, 'www', 'pkg');
export const WASM = path.join(PKG, 'redis_playground_bg.wasm');
// The same build with its function names (www/pkg/ ships without them): scripts/build
// writes it for profiles and the size breakdown.
export const NAMED_PKG = path.join(ROOT, 'target', 'bench', 'pkg-named');

/** Load the wasm engine as the node tests do; returns { Playground, exports }. */
export async function loadEngine(dir = PKG) {
  const wasm = path.join(dir, 'redis_playground_bg.wasm');
  if (!fs.existsSync(wasm)) {
    throw new Error(`${path.relative(ROOT, wasm)} is missing: build it first with scripts/build`);
  }
  const pkg = await import(path.join(dir, 'redis_playground.js'));
  const exports = pkg.initSync({ module: fs.readFileSync(wasm) });
  return { Playground: pkg.Playground, exports };
}

export function record(row) {
  const out = process.env.BENCH_OUT;
  if (out) fs.appendFileSync(out, JSON.stringify(row) + '\n');
  const ref = row.ref !== undefined ? `  ref ${fmt(row.ref)} ${row.refLabel ?? ''}` : '';
  const ok = row.ok === true ? ' ✓' : row.ok === false ? ' ✗' : '';
  log(`  ${row.name}: ${fmt(row.value)} ${row.unit ?? ''}${ref}${row.ratio !== undefined ? `  ${fmtRatio(row.ratio)}` : ''}${ok}${row.note ? `\n      (${row.note})` : ''}`);
}

export function log(msg) {
  process.stderr.write(msg + '\n');
}

export const now = () => Number(process.hrtime.bigint()) / 1e6; // ms, sub-µs resolution

/** A number with thousands separators (3 significant digits below 100). */
export function fmt(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  if (typeof x === 'string') return x;
  const a = Math.abs(x);
  if (a >= 100) return Math.round(x).toLocaleString('en-US');
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return x.toPrecision(2);
}

export function fmtRatio(r) {
  if (r === null || r === undefined || Number.isNaN(r)) return '—';
  if (r >= 100) return `${Math.round(r).toLocaleString('en-US')}×`;
  if (r >= 10) return `${r.toFixed(0)}×`;
  return `${r.toFixed(2)}×`;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * A meter of one workload: `fn(i)` gets a running counter; `isAsync` awaits each call (one
 * at a time, as a user awaits a promise). `warm()` runs it for a while (JIT) and sizes the
 * batches; each `round()` runs it for at least `roundMs` and returns calls per second.
 */
export function meter(fn, { isAsync = false, roundMs = 150, maxOps = Infinity } = {}) {
  let i = 0;
  let batch = 1;
  const run = isAsync
    ? async (n) => { for (let k = 0; k < n; k++) await fn(i++); }
    : (n) => { for (let k = 0; k < n; k++) fn(i++); };
  return {
    async warm() {
      const t = now();
      while (now() - t < roundMs / 2 && i < maxOps) {
        await run(batch);
        batch = Math.min(batch * 2, 1 << 14);
      }
    },
    async round() {
      let n = 0;
      const t = now();
      let dt;
      do {
        await run(batch);
        n += batch;
        dt = now() - t;
      } while (dt < roundMs && i < maxOps);
      return (n / dt) * 1000;
    },
  };
}

/**
 * Measure several meters side by side: after warming each up, `rounds` rounds in turn
 * (A, B, C, A, B, C, …), so a burst of other work on the machine hits them alike. Returns
 * each meter's median round.
 */
export async function sideBySide(meters, rounds = 5) {
  for (const m of meters) await m.warm();
  const rates = meters.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < meters.length; k++) rates[k].push(await meters[k].round());
  }
  return rates.map(median);
}

/** Operations per second of a synchronous `fn(i)`: the median of `rounds` rounds. */
export function opsPerSec(fn, { rounds = 5, roundMs = 150, maxOps = Infinity } = {}) {
  let i = 0;
  let batch = 1;
  const tw = now();
  while (now() - tw < roundMs / 2 && i < maxOps) {
    for (let k = 0; k < batch; k++) fn(i++);
    batch = Math.min(batch * 2, 1 << 16);
  }
  const rates = [];
  for (let r = 0; r < rounds; r++) {
    let n = 0;
    const t = now();
    let dt = 0;
    do {
      for (let k = 0; k < batch; k++) fn(i++);
      n += batch;
      dt = now() - t;
    } while (dt < roundMs && i < maxOps);
    rates.push((n / dt) * 1000);
  }
  return median(rates);
}

/** Bytes of the engine's wasm linear memory (it only grows). */
export function wasmMemory(exports) {
  return exports.memory.buffer.byteLength;
}
