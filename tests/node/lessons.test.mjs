// Tier 3 for the examples and lessons (www/lessons/*.json): every example group and every lesson
// runs step by step against a fresh Playground on a paused world clock (only a step's `advance`
// moves it), each reply must equal the data file's expected text, and each lesson step's check
// must accept the expected command and reply — so no example or lesson can rot.
// Also unit tests of the check machinery (www/js/lessons/checks.js). Needs www/pkg/ from scripts/build.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  splitterOf, parseLine, matchCommand, evaluateCheck, stepCheck, keyLookup,
} from '../../www/js/lessons/checks.js';
import { validate, expectedText } from '../../www/js/lessons/data.js';
import { Progress, STORAGE_KEY } from '../../www/js/lessons/progress.js';
import { formatDuration } from '../../www/js/format.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const PKG = path.join(ROOT, 'www', 'pkg');
const WASM = path.join(PKG, 'redis_playground_bg.wasm');
const DATA = path.join(ROOT, 'www', 'lessons');

const readJson = (name) => JSON.parse(fs.readFileSync(path.join(DATA, name), 'utf8'));
const index = readJson('index.json');
const examples = readJson(index.examples);
const lessons = index.lessons.map(readJson);

let Playground;
let split; // redis-cli's splitting, from the engine (checks read lines the way the console does)

before(async () => {
  if (!fs.existsSync(WASM)) {
    throw new Error(`${path.relative(ROOT, WASM)} is missing: build it first with scripts/build`);
  }
  const pkg = await import(path.join(PKG, 'redis_playground.js'));
  pkg.initSync({ module: fs.readFileSync(WASM) });
  Playground = pkg.Playground;
  split = splitterOf(new Playground());
});

/** A fresh playground whose clock only moves when told to. */
function fresh() {
  const p = new Playground();
  p.pause();
  return p;
}

/** The elements of a flat redis-cli array reply, without their "N) " numbering, sorted. */
function elements(text) {
  return text.split('\n').map((l) => l.replace(/^\d+\) /, '')).sort();
}

function assertReply(got, step, where) {
  const want = expectedText(step);
  if (step.unordered) {
    assert.deepEqual(elements(got), elements(want), `${where}: same elements in any order`);
  } else {
    assert.equal(got, want, `${where}: the reply differs from the data file`);
  }
}

/** Run a group or lesson; calls visit(step, reply, playground, i) after each command step. */
function play(steps, visit = () => {}, { gapMs = 0 } = {}) {
  const p = fresh();
  steps.forEach((step, i) => {
    if (gapMs) p.advance(gapMs);
    if (step.advance !== undefined) {
      p.advance(step.advance);
      return;
    }
    visit(step, p.exec(step.command), p, i);
  });
  return p;
}

const lessonCtx = (step, reply, p) => ({ line: step.command, text: reply, split, lookupKey: keyLookup(p) });

// --- the data files ---------------------------------------------------------------------------

test('the data files are well formed', () => {
  assert.deepEqual(validate({ examples, lessons }), []);
  const listed = new Set([index.examples, ...index.lessons, 'index.json']);
  const onDisk = fs.readdirSync(DATA).filter((f) => f.endsWith('.json'));
  assert.deepEqual(onDisk.filter((f) => !listed.has(f)), [], 'every JSON file under www/lessons/ is listed in index.json');
});

test('the gallery covers every data type and starts with the seed document\'s own examples', () => {
  const ids = examples.groups.map((g) => g.id);
  for (const id of ['strings', 'lists', 'sets', 'sorted-sets', 'hashes', 'keys-ttl']) assert.ok(ids.includes(id), `a ${id} group`);
  const firsts = Object.fromEntries(examples.groups.map((g) => [g.id, g.steps.map((s) => s.command)]));
  const seed = {
    strings: ['SET key "Hello, World!"'],
    lists: ['LPUSH fruits "apple"', 'LPUSH fruits "banana"'],
    sets: ['SADD colors "red"', 'SADD colors "green"'],
    'sorted-sets': ['ZADD scores 95 "Alice"', 'ZADD scores 88 "Bob"'],
    hashes: ['HSET user:1 name "Alice"', 'HSET user:1 age 25', 'HSET user:1 city "New York"'],
  };
  for (const [id, lines] of Object.entries(seed)) {
    assert.deepEqual(firsts[id].slice(0, lines.length), lines, `${id} starts with the seed's lines`);
  }
  assert.ok(examples.groups.find((g) => g.id === 'keys-ttl').steps.some((s) => s.advance), 'the TTL examples move the clock');
});

test('the lessons teach the seed document\'s use cases with the commands the issue names', () => {
  const byId = Object.fromEntries(lessons.map((l) => [l.id, l]));
  const lines = (id) => byId[id].steps.filter((s) => s.command).map((s) => s.command.toUpperCase());
  const uses = (id, re) => assert.ok(lines(id).some((l) => re.test(l)), `${id} uses ${re}`);
  assert.deepEqual(Object.keys(byId).sort(), ['cache-user', 'caching', 'likes', 'retry', 'sales', 'streams-retry']);
  uses('caching', /^SET .* EX \d+$/); uses('caching', /^TTL /); uses('caching', /^DEL /);
  // Client-side caching: RESP3 and an invalidation the learner sees.
  uses('caching', /^HELLO 3$/); uses('caching', /^CLIENT TRACKING ON/);
  assert.ok(byId.caching.steps.some((s) => [].concat(s.expect ?? []).some((l) => l.startsWith('-> invalidate:'))), 'the cache lesson shows an invalidation');
  // Least privilege for the cache's own user.
  uses('cache-user', /^ACL SETUSER CACHE-APP ON >\S+ ~CACHE:\* /); uses('cache-user', /^AUTH CACHE-APP /);
  uses('cache-user', /^ACL LOG/); uses('cache-user', /^ACL DELUSER /);
  assert.ok(byId['cache-user'].steps.some((s) => String(s.expect).startsWith('(error) NOPERM')), 'the least-privilege lesson shows NOPERM');
  assert.ok(byId.caching.steps.some((s) => s.advance), 'the cache lesson lets a key expire');
  uses('sales', /^INCR /); uses('sales', /^EXPIRE /); uses('sales', /^INCRBYFLOAT /); uses('sales', /^HINCRBY /);
  uses('sales', /^ZINCRBY /);
  uses('likes', /^INCR /); uses('likes', /^DECR /); uses('likes', /^ZINCRBY /); uses('likes', /^ZREVRANGE .* WITHSCORES$/);
  uses('likes', /^ZRANK /);
  uses('retry', /^SETEX \S+ 300 PENDING$/); uses('retry', /^INCR \S+RETRY_COUNT$/); uses('retry', /^EXPIRE /);
  uses('retry', /^SETEX \S+ 600 /); uses('retry', /^DEL /);
  assert.match(byId.retry.steps.at(-1).text, /simulation/, 'the retry lesson ends by pointing at the simulation');
  // The failed push as a consumer group: read, stay pending, reclaimed after an idle time,
  // a dead-letter stream after N deliveries, acknowledged.
  uses('streams-retry', /^XREADGROUP GROUP /); uses('streams-retry', /^XPENDING /); uses('streams-retry', /^XAUTOCLAIM \S+ \S+ \S+ 300000 /);
  uses('streams-retry', /^XADD PUSHES:DEAD /); uses('streams-retry', /^XACK /);
  assert.ok(byId['streams-retry'].steps.some((s) => s.advance), 'the stream retry lesson lets the entry sit idle');
  for (const l of lessons) {
    for (const s of l.steps) assert.ok(s.text.length <= 260, `${l.id}: "${s.text.slice(0, 30)}…" is a line of explanation, not an essay`);
  }
});

// --- every example and every lesson, step by step ---------------------------------------------

for (const group of examples.groups) {
  test(`example group "${group.id}" gives the expected reply at every step`, () => {
    play(group.steps, (step, reply, p, i) => assertReply(reply, step, `${group.id} step ${i + 1} (${step.command})`));
  });
}

for (const lesson of lessons) {
  test(`lesson "${lesson.id}" gives the expected reply at every step, and each step's check accepts it`, () => {
    play(lesson.steps, (step, reply, p, i) => {
      const where = `${lesson.id} step ${i + 1} (${step.command})`;
      assertReply(reply, step, where);
      assert.equal(evaluateCheck(stepCheck(step), lessonCtx(step, reply, p)), true, `${where}: its check accepts it`);
    });
  });

  test(`lesson "${lesson.id}": checks refuse other commands and failed ones`, () => {
    play(lesson.steps, (step, reply, p, i) => {
      const where = `${lesson.id} step ${i + 1}`;
      const check = stepCheck(step);
      const ctx = (line, text) => ({ line, text, split, lookupKey: keyLookup(p) });
      assert.equal(evaluateCheck(check, ctx('PING', 'PONG')), false, `${where}: PING is not it`);
      assert.equal(evaluateCheck(check, ctx(step.command, '(error) ERR something went wrong')), false,
        `${where}: an error reply is not it`);
      assert.equal(evaluateCheck(check, ctx(step.command, 'QUEUED')), false, `${where}: queued in MULTI is not it`);
      if (!JSON.stringify(check).includes('<rest>')) {
        assert.equal(evaluateCheck(check, ctx(`${step.command} extra`, reply)), false, `${where}: an extra argument is not it`);
      }
    });
  });

  test(`lesson "${lesson.id}": a learner who takes their time still passes every check`, () => {
    // 40 s of world time between steps (the page's clock runs while the learner reads and types).
    play(lesson.steps, (step, reply, p, i) => {
      assert.equal(evaluateCheck(stepCheck(step), lessonCtx(step, reply, p)), true,
        `${lesson.id} step ${i + 1} (${step.command}) → ${reply}`);
    }, { gapMs: 40_000 });
  });

  test(`lesson "${lesson.id}": each clock step makes a difference the next step can see`, () => {
    lesson.steps.forEach((step, i) => {
      if (step.advance === undefined) return;
      // Without the jump, the step after it would see something else (the key would still be there).
      const skipped = lesson.steps.filter((_, j) => j !== i).slice(0, i + 1);
      const next = lesson.steps[i + 1];
      let last;
      play(skipped, (s, reply) => { last = reply; });
      assert.notEqual(last, expectedText(next), `${lesson.id}: step ${i + 2} depends on the jump at step ${i + 1}`);
    });
  });
}

// --- the check machinery ------------------------------------------------------------------------

test('parseLine takes off a repeat count like redis-cli', () => {
  assert.deepEqual(parseLine('3 INCR hits', split), { argv: ['INCR', 'hits'], repeat: 3 });
  assert.deepEqual(parseLine('INCR hits', split), { argv: ['INCR', 'hits'], repeat: 1 });
  assert.deepEqual(parseLine('42', split), { argv: ['42'], repeat: 1 });
  assert.deepEqual(parseLine("SET k 'a b' \"\\x41\"", split), { argv: ['SET', 'k', 'a b', 'A'], repeat: 1 });
  assert.equal(parseLine('   ', split), null);
  assert.equal(parseLine('GET "x', split), null);
});

test('matchCommand: names and capitalised keywords in any case, keys exactly, placeholders', () => {
  const pat = 'SET cache:user:42 <any> EX <int>';
  assert.ok(matchCommand(pat, "set cache:user:42 '{\"id\":42}' ex 300", split));
  assert.ok(matchCommand(pat, 'SET cache:user:42 "a b c" Ex 5', split));
  assert.ok(!matchCommand(pat, 'SET CACHE:USER:42 x EX 300', split), 'key names are case-sensitive');
  assert.ok(!matchCommand(pat, 'SET cache:user:42 x EX soon', split), '<int> wants an integer');
  assert.ok(!matchCommand(pat, 'SET cache:user:42 x EX 300 NX', split), 'no extra arguments without <rest>');
  assert.ok(!matchCommand(pat, 'SET cache:user:42 x', split), 'not fewer either');
  assert.ok(!matchCommand(pat, 'SET cache:user:42 "x EX 300', split), 'a line that does not parse never matches');
  assert.ok(matchCommand('DEL <rest>', 'del a b c', split));
  assert.ok(matchCommand('DEL a <rest>', 'DEL a', split));
  assert.ok(!matchCommand('DEL a <rest>', 'DEL b a', split));
  assert.ok(matchCommand('INCRBYFLOAT r <number>', 'INCRBYFLOAT r -1.5e3', split));
  assert.ok(!matchCommand('INCRBYFLOAT r <number>', 'INCRBYFLOAT r abc', split));
  assert.ok(matchCommand('INCR hits', '3 INCR hits', split), 'a repeat count runs the same command');
  assert.ok(matchCommand('SADD likers alice', 'sadd likers alice', split));
  assert.ok(!matchCommand('SADD likers alice', 'SADD likers Alice', split), 'members are case-sensitive');
});

test('evaluateCheck: replies, key state, anyOf, and malformed checks', () => {
  const p = fresh();
  p.exec('SET k v EX 100');
  p.exec('SET plain v');
  const ctx = (line, text) => ({ line, text, split, lookupKey: keyLookup(p) });
  assert.equal(evaluateCheck({ command: 'GET k', reply: '"v"' }, ctx('GET k', '"v"')), true);
  assert.equal(evaluateCheck({ command: 'GET k', reply: '"v"' }, ctx('GET k', '(nil)')), false);
  assert.equal(evaluateCheck({ replyMatch: '^\\(integer\\) \\d+$' }, ctx('TTL k', '(integer) 99')), true);
  assert.equal(evaluateCheck({ replyMatch: '^\\(integer\\) \\d+$' }, ctx('TTL k', '(integer) -2')), false);
  assert.equal(evaluateCheck({ key: { name: 'k', type: 'string', ttl: 'some' } }, ctx('x', 'OK')), true);
  assert.equal(evaluateCheck({ key: { name: 'plain', ttl: 'some' } }, ctx('x', 'OK')), false);
  assert.equal(evaluateCheck({ key: { name: 'plain', ttl: 'none' } }, ctx('x', 'OK')), true);
  assert.equal(evaluateCheck({ key: { name: 'k', type: 'hash' } }, ctx('x', 'OK')), false);
  assert.equal(evaluateCheck({ key: { name: 'gone', exists: false } }, ctx('x', 'OK')), true);
  assert.equal(evaluateCheck({ key: { name: 'k', exists: false } }, ctx('x', 'OK')), false);
  const either = { anyOf: [{ command: 'SETEX k <int> <any>' }, { command: 'SET k <any> EX <int>' }] };
  assert.equal(evaluateCheck(either, ctx('setex k 10 v', 'OK')), true);
  assert.equal(evaluateCheck(either, ctx('SET k v ex 10', 'OK')), true);
  assert.equal(evaluateCheck(either, ctx('SET k v', 'OK')), false);
  assert.equal(evaluateCheck({ command: 'GET k' }, ctx('GET k', 'Invalid argument(s)')), false);
  assert.throws(() => evaluateCheck({ comand: 'GET k' }, ctx('GET k', '"v"')), /unknown check field/);
  assert.throws(() => evaluateCheck({ anyOf: [] }, ctx('GET k', '"v"')), /anyOf/);
  assert.deepEqual(stepCheck({ command: 'GET k' }), { command: 'GET k' }, 'by default: this very command');
  assert.equal(stepCheck({ advance: 1000 }), null);
});

test('a key look-up is read-only: no stats, no prompt change, no access', () => {
  const p = fresh();
  p.exec('SELECT 3');
  p.exec('SET weird*[key] v');
  p.exec('SET weirdXkey v');
  p.exec('SET short v PX 100');
  const stats = () => p.exec('INFO stats').split('\n').filter((l) => /keyspace_(hits|misses)/.test(l));
  p.exec('OBJECT IDLETIME weird*[key]');
  const before = stats();
  p.advance(5_000);
  const look = keyLookup(p, () => p.console(0).db());
  assert.equal(look('weird*[key]').key, 'weird*[key]', 'a key with glob characters is found by its own name');
  assert.equal(look('weird*[key]').type, 'string');
  assert.equal(look('weird?key'), null, 'glob characters in the name are not patterns');
  assert.equal(look('missing'), null);
  assert.equal(look('short'), null, 'an expired key is not there');
  assert.deepEqual(stats(), before, 'hits and misses unchanged');
  assert.equal(p.console(0).prompt(), '127.0.0.1:6379[3]> ');
  assert.equal(p.exec('OBJECT IDLETIME weird*[key]'), '(integer) 5', 'the look-up did not touch the key');
});

test('formatDuration labels clock jumps', () => {
  assert.equal(formatDuration(10_000), '10 s');
  assert.equal(formatDuration(301_000), '5 min 1 s');
  assert.equal(formatDuration(600_000), '10 min');
  assert.equal(formatDuration(7_200_000), '2 h');
  assert.equal(formatDuration(3_660_000), '1 h 1 min');
  // A jump's label keeps two units: every jump in the data must read back exactly.
  const UNIT = { ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };
  const readBack = (text) => [...text.matchAll(/(\d+) (ms|s|min|h|d)\b/g)].reduce((ms, [, n, u]) => ms + Number(n) * UNIT[u], 0);
  const steps = [...examples.groups.flatMap((g) => g.steps), ...lessons.flatMap((l) => l.steps)];
  const jumps = steps.filter((s) => s.advance !== undefined).map((s) => s.advance);
  assert.ok(jumps.length > 0);
  for (const ms of jumps) assert.equal(readBack(formatDuration(ms)), ms, `the jump of ${ms} ms is labelled ${formatDuration(ms)}`);
});

test('progress is kept in storage and survives a reload', () => {
  const mem = new Map();
  const storage = { getItem: (k) => mem.get(k) ?? null, setItem: (k, v) => mem.set(k, String(v)) };
  const a = new Progress(storage);
  assert.equal(a.tab, 'examples');
  a.tab = 'lessons';
  a.open = 'caching';
  a.setStep('caching', 3);
  a.markDone('caching', 0);
  a.markDone('caching', 2);
  a.markDone('caching', 0);
  const b = new Progress(storage);
  assert.equal(b.tab, 'lessons');
  assert.equal(b.open, 'caching');
  assert.equal(b.stepOf('caching'), 3);
  assert.equal(b.doneCount('caching'), 2);
  assert.ok(b.isDone('caching', 2) && !b.isDone('caching', 1));
  b.reset();
  const c = new Progress(storage);
  assert.equal(c.doneCount('caching'), 0);
  assert.equal(c.open, null);
  assert.equal(c.tab, 'lessons', 'resetting progress keeps the selected tab');
  mem.set(STORAGE_KEY, '{not json');
  assert.equal(new Progress(storage).doneCount('caching'), 0, 'unreadable storage starts afresh');
  const blocked = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } };
  const d = new Progress(blocked);
  d.markDone('x', 1);
  assert.ok(d.isDone('x', 1), 'blocked storage still works in memory');
});
