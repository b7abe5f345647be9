// Section 5: the engine natively (benches/engine.rs, a plain harness), so a regression in a
// hot path shows before it reaches the browser. Runs `cargo bench --bench engine` and puts
// its results in the table (sizes of one case on one row).
//
//   node bench/native.mjs [FILTER...]          (scripts/bench native)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, record, log } from './lib.mjs';

const SECTION = '5. Native engine (cargo bench --bench engine; ns/op, best round)';
const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-native-')), 'native.jsonl');
log('section 5: cargo bench --bench engine');
const r = spawnSync('cargo', ['bench', '--bench', 'engine', '--', ...process.argv.slice(2)], {
  cwd: ROOT, stdio: ['ignore', 2, 2], env: { ...process.env, BENCH_JSON: json },
});
if (r.status !== 0) {
  record({ section: SECTION, name: 'cargo bench --bench engine FAILED', value: null, ok: false, target: 'runs' });
  process.exit(1);
}
const rows = fs.readFileSync(json, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
fs.rmSync(path.dirname(json), { recursive: true, force: true });

const k = (x) => (x >= 1e6 ? `${x / 1e6}M` : x >= 1e3 ? `${x / 1e3}k` : String(x));
const done = new Set();
for (const row of rows) {
  const id = `${row.group}\0${row.name}`;
  if (done.has(id)) continue;
  done.add(id);
  const same = rows.filter((x) => x.group === row.group && x.name === row.name);
  if (same.length > 1 && same.every((x) => x.size)) {
    record({
      section: SECTION, name: `${row.group}: ${row.name} @${same.map((x) => k(x.size)).join(' / ')}`,
      value: same.map((x) => x.ns_per_op.toFixed(0)).join(' / ') + ' ns', unit: '', ok: null, target: '',
    });
  } else {
    const ms = row.ns_per_op >= 1e6;
    record({
      section: SECTION, name: `${row.group}: ${row.name}`,
      value: ms ? row.ns_per_op / 1e6 : row.ns_per_op, unit: ms ? 'ms' : 'ns/op', ok: null, target: '',
    });
  }
}
