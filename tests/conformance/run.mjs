// Tier 5: Redis 7.0.15's own test suite (tests/ of its source, TCL) in its external-server
// mode against the RESP bridge over the wasm module (scripts/resp/server.mjs). Called by
// scripts/conformance, which finds the suite and tclsh first.
//
//   node tests/conformance/run.mjs --suite DIR [--only unit/type/list] [--update] [--jobs N]
//
// Each test file runs in its own `runtest --host --port --single` (an exception in one file
// cannot stop the others), against its own bridge (a fresh world). Tests Redis tags
// `external:skip` are skipped by the suite itself; the tests in skip.txt (each with its
// reason) are skipped with --skipfile. Prints a table per file and `N passed, M failed`.
// passing.txt lists every test that passed on the last --update: if one of them fails now,
// the run fails (a regression), whatever else happens.

import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startBridge } from '../../scripts/resp/server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const SKIP_FILE = path.join(here, 'skip.txt');
const PASSING_FILE = path.join(here, 'passing.txt');
const FILES_FILE = path.join(here, 'files.txt');
const HARNESS_PATCH = path.join(here, 'harness.tcl');

/** The test files to run: files.txt, one per line (comments after #). */
export function testFiles() {
  return fs.readFileSync(FILES_FILE, 'utf8').split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean);
}

const ANSI = /\x1b\[[0-9;]*m/g;

/** What one runtest run printed: test names by outcome, and an exception if one ended it. */
export function parseOutput(text) {
  const r = { passed: [], failed: [], skipped: [], exception: null, timeout: false };
  for (const raw of text.split('\n')) {
    const line = raw.replace(ANSI, '');
    let m;
    if ((m = /^\[ok\]: (.*) \(\d+ ms\)$/.exec(line))) r.passed.push(m[1]);
    else if ((m = /^\[err\]: (.*) in tests\//.exec(line))) r.failed.push(m[1]);
    else if ((m = /^\[err\]: (.*)$/.exec(line))) r.failed.push(m[1]);
    else if ((m = /^\[(skip|ignore)\]: (.*)$/.exec(line))) r.skipped.push(m[2]);
    else if ((m = /^\[exception\]: (.*)$/.exec(line))) r.exception = m[1];
    else if (/^\[TIMEOUT\]/.test(line)) r.timeout = true;
    else if (r.exception && r.exception.length < 400 && line.trim()) r.exception += ` | ${line.trim()}`;
  }
  return r;
}

/**
 * A copy of the suite's tests/ for one job: runtest cleans tests/tmp when it starts and
 * listens on a port of its own, so two runs at once must not share a tree.
 */
function jobTree(suite, job) {
  const dir = path.join(here, '..', '..', 'target', 'conformance', `job-${job}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.cpSync(path.join(suite, 'tests'), path.join(dir, 'tests'), { recursive: true });
  return dir;
}

/**
 * skip.txt: `tag: <tag>` lines deny a tag of the suite's own (every test with it is
 * skipped), other lines name tests (or /regexps); `#` lines say why. Returns the tags and a
 * skipfile of the names for runtest.
 */
export function skipRules() {
  const tags = [];
  const names = [];
  for (const line of fs.readFileSync(SKIP_FILE, 'utf8').split('\n')) {
    const l = line.trim();
    if (!l || l.startsWith('#')) continue;
    const tag = /^tag:\s*(\S+)$/.exec(l);
    if (tag) tags.push(tag[1]);
    else names.push(l);
  }
  return { tags, names };
}

function runFile(tree, job, file, port, timeoutS, skips) {
  return new Promise((resolve) => {
    const skipfile = path.join(tree, 'skip-names.txt');
    fs.writeFileSync(skipfile, skips.names.join('\n') + '\n');
    const args = [
      'tests/test_helper.tcl', '--host', '127.0.0.1', '--port', String(port),
      '--single', file, '--skipfile', skipfile, '--timeout', String(timeoutS),
      '--baseport', String(21111 + 1000 * job),
    ];
    if (skips.tags.length) args.push('--tags', skips.tags.map((t) => `-${t}`).join(' '));
    // The harness adjustments (harness.tcl) are loaded before the suite's own helpers.
    const child = spawn('tclsh', [HARNESS_PATCH, ...args.slice(1)], { cwd: tree });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    const killer = setTimeout(() => child.kill('SIGKILL'), (timeoutS + 30) * 1000);
    child.on('close', () => {
      clearTimeout(killer);
      resolve(out);
    });
  });
}

/** Why a file stopped, in a few words: the command or setting the playground lacks. */
export function stopReason(exception) {
  let m;
  if ((m = /unknown command '([^']+)'/.exec(exception))) return `${m[1].toUpperCase()} is missing`;
  if ((m = /unknown subcommand or wrong number of arguments for '([^']+)'\. Try (\w+) HELP/.exec(exception))) {
    return `${m[2].toUpperCase()} ${m[1].toUpperCase()} is missing`;
  }
  if ((m = /unknown subcommand '([^']+)'\. Try (\w+) HELP/.exec(exception))) {
    return `${m[2].toUpperCase()} ${m[1].toUpperCase()} is missing`;
  }
  if ((m = /CONFIG SET[^']*'([^']+)'/.exec(exception))) return `CONFIG SET ${m[1]} is refused`;
  return exception.slice(0, 100).replace(/\|/g, '/');
}

function pad(s, n) {
  s = String(s);
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

async function main() {
  const args = process.argv.slice(2);
  const opt = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const suite = opt('--suite');
  if (!suite || !fs.existsSync(path.join(suite, 'tests', 'test_helper.tcl'))) {
    console.error('tests/conformance/run.mjs: --suite must name a Redis 7.0.15 source tree (with tests/)');
    process.exit(2);
  }
  const only = args.includes('--only') ? [opt('--only')] : null;
  const files = only ?? testFiles();
  const jobs = Math.max(1, Number(opt('--jobs') ?? 2));
  const timeoutS = Number(opt('--timeout') ?? 300);
  const started = Date.now();
  const skips = skipRules();
  const results = new Map();
  let next = 0;
  const worker = async (job) => {
    const tree = jobTree(suite, job);
    while (next < files.length) {
      const file = files[next++];
      const bridge = await startBridge({ port: 0 });
      const t0 = Date.now();
      const out = await runFile(tree, job, file, bridge.port, timeoutS, skips);
      await bridge.close();
      const r = parseOutput(out);
      r.seconds = (Date.now() - t0) / 1000;
      r.raw = out;
      results.set(file, r);
      process.stderr.write(`  ${pad(file, 28)} ${r.passed.length} passed, ${r.failed.length} failed${r.exception ? ', stopped by an exception' : ''} (${r.seconds.toFixed(0)} s)\n`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, files.length) }, (_, job) => worker(job)));

  // The table, in files.txt order.
  const table = ['| file | passed | failed | skipped | stopped early because |', '|---|---:|---:|---:|---|'];
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const nowPassing = new Set();
  const failing = new Set();
  for (const file of files) {
    const r = results.get(file);
    passed += r.passed.length;
    failed += r.failed.length;
    skipped += r.skipped.length;
    for (const t of r.passed) nowPassing.add(`${file}: ${t}`);
    for (const t of r.failed) failing.add(`${file}: ${t}`);
    let note = '';
    if (r.exception) note = stopReason(r.exception);
    else if (r.timeout) note = 'timed out';
    table.push(`| ${file} | ${r.passed.length} | ${r.failed.length} | ${r.skipped.length} | ${note} |`);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  const closing = `${passed} passed, ${failed} failed (${skipped} skipped; ${files.length} files in ${seconds} s)`;
  console.log(`\n${table.join('\n')}\n\n${closing}`);

  // Regressions: a test that passed at the last --update and does not pass now.
  const before = fs.existsSync(PASSING_FILE)
    ? fs.readFileSync(PASSING_FILE, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'))
    : [];
  const considered = new Set(files);
  const regressions = before.filter((t) => considered.has(t.split(': ')[0]) && !nowPassing.has(t));
  if (args.includes('--update') && !only) {
    const header = '# Tests of Redis 7.0.15\'s suite that pass against the playground (file: test name).\n' +
      '# Written by `scripts/conformance --update`; CI fails if one of them stops passing.\n';
    fs.writeFileSync(PASSING_FILE, header + [...nowPassing].sort().join('\n') + '\n');
    console.log(`passing.txt: ${nowPassing.size} tests (was ${before.length})`);
    // The README shows the latest table.
    const readme = path.join(here, '..', '..', 'README.md');
    const text = fs.readFileSync(readme, 'utf8');
    const start = '<!-- conformance:start -->\n';
    const end = '<!-- conformance:end -->';
    const i = text.indexOf(start);
    const j = text.indexOf(end);
    if (i >= 0 && j > i) {
      const when = new Date().toISOString().slice(0, 10);
      const body = `Latest run (${when}): **${closing}**. A file that stops early ends at its first ` +
        'command the playground lacks (the suite treats an error outside a test as fatal), so ' +
        'the tests after it did not run; each family issue moves its files forward.\n\n' +
        `${table.join('\n')}\n\n`;
      fs.writeFileSync(readme, text.slice(0, i + start.length) + body + text.slice(j));
    }
  }
  if (args.includes('--verbose')) {
    for (const file of files) {
      const r = results.get(file);
      for (const t of r.failed) console.log(`FAILED ${file}: ${t}`);
    }
  }
  if (regressions.length) {
    console.log(`\n${regressions.length} test(s) that passed before fail now:`);
    for (const t of regressions) console.log(`  ${t}`);
    process.exit(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
