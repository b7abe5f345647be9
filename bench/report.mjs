// Print the rows the harnesses recorded (JSON lines) as one table, each figure beside its
// target with ✓ or ✗, grouped by section; notes under their row.
//
//   node bench/report.mjs RESULTS.jsonl [--markdown]
import fs from 'node:fs';
import { fmt, fmtRatio } from './lib.mjs';

const file = process.argv[2];
const markdown = process.argv.includes('--markdown');
const rows = fs.existsSync(file)
  ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
  : [];

const cells = (r) => [
  r.name,
  r.value === null || r.value === undefined ? '—' : `${fmt(r.value)}${r.unit ? ` ${r.unit}` : ''}`,
  r.ref === undefined || r.ref === null ? (r.refLabel && r.ratio === undefined ? r.refLabel : '') : `${fmt(r.ref)} ${r.refLabel ?? ''}`.trim(),
  r.ratio === undefined || r.ratio === null ? '' : `${fmtRatio(r.ratio)}${r.ref === undefined && r.refLabel ? ` (${r.refLabel})` : ''}`,
  r.target ?? '',
  r.ok === true ? '✓' : r.ok === false ? '✗' : '',
];
const head = ['Measure', 'Playground', 'Reference', 'Ratio', 'Target', ''];

const sections = [];
for (const r of rows) {
  let s = sections.find((x) => x.name === r.section);
  if (!s) sections.push((s = { name: r.section, rows: [] }));
  s.rows.push(r);
}

if (markdown) {
  for (const s of sections) {
    console.log(`\n**${s.name}**\n`);
    console.log(`| ${head.join(' | ')} |`);
    console.log(`|${head.map(() => '---').join('|')}|`);
    for (const r of s.rows) console.log(`| ${cells(r).map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`);
  }
} else {
  const all = [head, ...rows.map(cells)];
  const width = head.map((_, i) => Math.max(...all.map((c) => [...c[i]].length)));
  const line = (c) => c.map((x, i) => (i === 1 || i === 2 || i === 3 ? x.padStart(width[i]) : x.padEnd(width[i]))).join('  ').trimEnd();
  const rule = '─'.repeat(width.reduce((a, b) => a + b + 2, 0));
  console.log(rule);
  console.log(line(head));
  for (const s of sections) {
    console.log(rule);
    console.log(s.name);
    for (const r of s.rows) {
      console.log(line(cells(r)));
      if (r.note) console.log(`    ${r.note}`);
    }
  }
  console.log(rule);
}
const checked = rows.filter((r) => r.ok === true || r.ok === false);
const met = checked.filter((r) => r.ok).length;
console.log(`targets: ${met} met, ${checked.length - met} missed`);
