// "The code behind it" without a page (www/js/retry/code-data.js, code-state.js): every
// command the simulation sends, for every strategy and claim mode, is sent by one line of
// each program, and that line calls the command's client method; the highlight follows the
// newest command of the chosen strategy and says what its reply decided.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { CodeState, CODE_STRATEGIES, LANGUAGES, METHODS, lineOf, parseEntry, ruleFor } from '../../www/js/retry/code-state.js';
import { PROGRAMS } from '../../www/js/retry/code-data.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let Playground;

before(async () => {
  const pkg = await import(path.join(ROOT, 'www', 'pkg', 'redis_playground.js'));
  pkg.initSync({ module: fs.readFileSync(path.join(ROOT, 'www', 'pkg', 'redis_playground_bg.wasm')) });
  Playground = pkg.Playground;
});

const each = (fn) => {
  for (const s of CODE_STRATEGIES) for (const l of LANGUAGES) fn(s, l.id, PROGRAMS[s.id][l.id]);
};

let seq = 0;
const entry = (strategy, actor, args, reply, db = 10) => ({
  seq: ++seq, atMs: 1_700_000_000_000 + seq, strategy, db,
  line: `1700000000.${String(seq).padStart(6, '0')} [${db} ${actor}] ${args.map((a) => JSON.stringify(a)).join(' ')}`,
  reply,
});

/** Check that `e` maps, in `program` of `lang`, to a line calling its method. */
function assertMapped(program, lang, e, prev, label) {
  const parsed = parseEntry(e);
  const found = ruleFor(program, parsed, e.reply, prev);
  assert.ok(found, `${label}: no rule for ${e.line} → ${e.reply}`);
  assert.ok(found.line >= 0, `${label}: the rule for ${parsed.name} names no single line (${found.rule.at})`);
  const text = program.text.split('\n')[found.line];
  const method = METHODS[lang][parsed.name];
  assert.ok(method, `${label}: no ${lang} method known for ${parsed.name}`);
  assert.ok(text.includes(method), `${label}: ${parsed.name} maps to “${text.trim()}”, which does not call ${method}`);
}

test('every rule names exactly one line, and that line calls the command’s client method', () => {
  each((s, lang, program) => {
    for (const rule of program.rules) {
      const i = lineOf(program.text, rule.at);
      assert.ok(i >= 0, `${s.id}/${lang}: “${rule.at}” is on no line or on several`);
      const text = program.text.split('\n')[i];
      assert.ok(text.includes(METHODS[lang][rule.cmd]), `${s.id}/${lang}: ${rule.cmd} → “${text.trim()}”`);
    }
    for (const q of program.quiet ?? []) assert.ok(lineOf(program.text, q) >= 0, `${s.id}/${lang}: quiet “${q}”`);
  });
});

test('each program is short: at most 40 lines', () => {
  each((s, lang, program) => {
    const n = program.text.replace(/\n$/, '').split('\n').length;
    assert.ok(n <= 40, `${s.id}/${lang} has ${n} lines`);
  });
});

test('the polling program in Python is the seed’s loop, recognisably', () => {
  const { text } = PROGRAMS.polling.python;
  // The seed's own lines, read from the project's copy of its script (tests/clients), that
  // the program keeps word for word: the import, the loop, the TTL, the prints, the sleep.
  const seed = fs.readFileSync(path.join(ROOT, 'tests', 'clients', 'seed_retry.py'), 'utf8')
    .split('\n').map((l) => l.trim())
    .filter((l) => /^(import redis|while True:|expiration_time = r\.ttl|print\(|time\.sleep)/.test(l));
  assert.equal(seed.length, 7, 'the seed script has the lines this test expects');
  for (const seedLine of [...seed, 'r.setex(operation_id, ', ':retry_count']) {
    assert.ok(text.includes(seedLine), `missing the seed's ${seedLine}`);
  }
});

test('the Lua programs carry the engine’s claim script: their SHA1 is the one EVALSHA sends', () => {
  const engine = new Playground();
  engine.pause();
  engine.simStart({ operations: 3, queueClaim: 'lua', polling: false, events: false, arrivalSpreadMs: 1000, schedule: { backoff: { kind: 'list', intervalsS: [1] }, jitter: 'none', maxRetries: 1, testMode: false } });
  for (let i = 0; i < 10; i++) engine.simStep();
  const sent = Array.from(engine.simLog(0, 10_000)).map(parseEntry).find((p) => p.name === 'EVALSHA');
  assert.ok(sent, 'the queue sent EVALSHA');
  for (const lang of ['python', 'javascript']) {
    const m = /CLAIM = (?:"""|`)([\s\S]*?)(?:"""|`)/.exec(PROGRAMS['queue-lua'][lang].text);
    assert.ok(m, lang);
    assert.equal(crypto.createHash('sha1').update(m[1]).digest('hex'), sent.argv[1], `${lang}'s script is the engine's`);
  }
});

test('every command a run sends maps to a line, for every strategy and claim mode, in both languages', () => {
  const config = (claim) => ({
    seed: 7, operations: 12, arrivalSpreadMs: 3000, failureProbability: 0.6, queueClaim: claim, queueWorkers: 3, listeners: 2,
    schedule: { backoff: { kind: 'list', intervalsS: [1, 2, 3] }, jitter: 'none', maxRetries: 3, testMode: false },
    stream: true,
  });
  const seen = new Map(); // strategy id → command names met
  for (const claim of ['perEntry', 'transaction', 'lua']) {
    const engine = new Playground();
    engine.pause();
    engine.simStart(config(claim));
    // Flush the claim script once, so the Lua claim meets NOSCRIPT and falls back to EVAL.
    for (let i = 0; i < 200 && !engine.simState().finished; i++) {
      engine.simStep();
      if (i === 5) engine.exec('SCRIPT FLUSH');
    }
    const log = Array.from(engine.simLog(0, 100_000));
    assert.ok(log.length > 50, 'the run logged commands');
    for (const s of CODE_STRATEGIES) {
      if (s.claim && s.claim !== claim) continue;
      if (!s.claim && claim !== 'perEntry') continue;
      const mine = log.filter((e) => e.strategy === s.sim);
      assert.ok(mine.length > 0, `${s.id} sent commands`);
      for (const lang of ['python', 'javascript']) {
        const program = PROGRAMS[s.id][lang];
        const prev = new Map();
        for (const e of log) {
          const p = parseEntry(e);
          const key = `${e.db} ${p.actor}`;
          if (e.strategy === s.sim) {
            assertMapped(program, lang, e, prev.get(key) ?? null, `${s.id}/${lang}`);
            seen.set(s.id, (seen.get(s.id) ?? new Set()).add(p.name));
          }
          prev.set(key, p.name);
        }
      }
    }
  }
  assert.deepEqual([...seen.get('polling')].sort(), ['DEL', 'INCR', 'SELECT', 'SETEX', 'TTL']);
  assert.deepEqual([...seen.get('events')].sort(), ['DEL', 'INCR', 'SELECT', 'SETEX', 'SUBSCRIBE']);
  assert.deepEqual([...seen.get('queue-perEntry')].sort(), ['DEL', 'INCR', 'SELECT', 'ZADD', 'ZRANGEBYSCORE', 'ZREM']);
  assert.deepEqual([...seen.get('queue-transaction')].sort(), ['DEL', 'EXEC', 'INCR', 'MULTI', 'SELECT', 'UNWATCH', 'WATCH', 'ZADD', 'ZRANGEBYSCORE', 'ZREM']);
  assert.deepEqual([...seen.get('queue-lua')].sort(), ['DEL', 'EVAL', 'EVALSHA', 'INCR', 'SELECT', 'ZADD']);
  assert.deepEqual([...seen.get('stream')].sort(), ['SELECT', 'XACK', 'XADD', 'XAUTOCLAIM', 'XDEL', 'XPENDING', 'XREADGROUP']);
});

test('the stream strategy’s commands (as the model sends them) map to lines in both languages', () => {
  const s = 'stream';
  const sample = [
    entry(s, 'app', ['XADD', 'orders', '*', 'order', 'order:3'], '"1700000000000-0"', 13),
    entry(s, 'worker-1', ['XREADGROUP', 'GROUP', 'workers', 'worker-1', 'COUNT', '1', 'STREAMS', 'orders', '>'], '[["orders", [["1700000000000-0", ["order", "order:3"]]]]]', 13),
    entry(s, 'reclaimer', ['XAUTOCLAIM', 'orders', 'workers', 'reclaimer', '300000', '0-0', 'COUNT', '100'], '["0-0", [], []]', 13),
    entry(s, 'reclaimer', ['XPENDING', 'orders', 'workers', '1700000000000-0', '1700000000000-0', '1', 'reclaimer'], '[]', 13),
    entry(s, 'reclaimer', ['XACK', 'orders', 'workers', '1700000000000-0'], '(integer) 1', 13),
    entry(s, 'reclaimer', ['XDEL', 'orders', '1700000000000-0'], '(integer) 1', 13),
    entry(s, 'reclaimer', ['XADD', 'orders:dead', '*', 'order', 'order:3', 'deliveries', '7'], '"1700000300000-0"', 13),
    entry(s, 'reclaimer', ['XDEL', 'orders', '1700000000000-0'], '(integer) 1', 13),
    entry(s, 'reclaimer', ['XACK', 'orders', 'workers', '1700000000000-0'], '(integer) 1', 13),
    entry(s, 'worker-1', ['SELECT', '13'], 'OK', 13),
  ];
  for (const lang of ['python', 'javascript']) {
    const state = new CodeState({ strategy: 'stream', language: lang });
    const lines = [];
    for (const e of sample) {
      state.see([e]);
      assert.ok(state.current.line >= 0, `${lang}: ${e.line}`);
      assertMapped(PROGRAMS.stream[lang], lang, e, state.current.prev, `stream/${lang}`);
      lines.push(state.current.line);
    }
    // The dead letter's XDEL and XACK are their own lines, not the success's.
    assert.notEqual(lines[4], lines[8], `${lang}: success and dead-letter XACK`);
    assert.notEqual(lines[5], lines[7], `${lang}: success and dead-letter XDEL`);
    assert.ok(PROGRAMS.stream[lang].text.split('\n')[lines[6]].includes('orders:dead'));
  }
});

test('the highlight follows the newest command of the chosen strategy, and the reply decides the words', () => {
  const state = new CodeState({ strategy: 'polling', language: 'python' });
  const text = (i) => state.lines[i].text;
  assert.equal(state.see([entry('events', 'app', ['SETEX', 'order:1', '300', 'pending'], 'OK', 11)]), false, 'another strategy: nothing');
  assert.equal(state.current, null);
  assert.match(state.caption(), /Waiting/);
  state.see([
    entry('polling', 'app', ['SETEX', 'order:1', '300', 'pending'], 'OK'),
    entry('polling', 'poller-1', ['TTL', 'order:1'], '(integer) 299'),
    entry('queue', 'worker-1', ['ZRANGEBYSCORE', 'retry', '-inf', '1', 'LIMIT', '0', '100'], '[]', 12),
  ]);
  assert.match(text(state.current.line), /r\.ttl\(/);
  assert.match(state.caption(), /^Running line \d+: poller-1 sent TTL order:1 → \(integer\) 299 — TTL answered the seconds left/);
  state.see([entry('polling', 'poller-1', ['TTL', 'order:1'], '(integer) -2')]);
  assert.match(state.caption(), /TTL answered -2/);
  state.see([entry('polling', 'poller-1', ['INCR', 'order:1:retry_count'], '(integer) 1'), entry('polling', 'poller-1', ['SETEX', 'order:1', '600', 'pending'], 'OK')]);
  assert.match(text(state.current.line), /INTERVALS\[min\(retries/, 'the retry’s SETEX, not the first one');
  state.see([entry('polling', 'app', ['SETEX', 'order:2', '300', 'pending'], 'OK')]);
  assert.match(text(state.current.line), /INTERVALS\[0\]/, 'the app’s SETEX is the first one');

  // Switching language keeps the command and finds its line in the other program.
  state.select({ language: 'javascript' });
  assert.match(text(state.current.line), /client\.setEx\(id, INTERVALS\[0\]/);
  // Another strategy: its newest command seen so far is marked at once.
  state.select({ strategy: 'queue-perEntry' });
  assert.match(text(state.current.line), /client\.zRangeByScore\(/);
  state.see([entry('queue', 'worker-2', ['ZREM', 'retry', 'order:1'], '(integer) 0', 12)]);
  assert.match(state.caption(), /ZREM answered 0: another worker took it first/);
  state.see([entry('queue', 'worker-1', ['ZREM', 'retry', 'order:1'], '(integer) 1', 12)]);
  assert.match(state.caption(), /ZREM answered 1/);

  // A queue program for another claim mode than the run's: said so.
  state.reset({ queue: true, queueClaim: 'transaction' });
  assert.match(state.caption(), /claims with “Delayed queue, MULTI\/WATCH/);
  state.select({ strategy: 'queue-transaction' });
  state.see([entry('queue', 'worker-3', ['EXEC'], '(nil)', 12)]);
  assert.match(state.caption(), /EXEC answered nil/);
  state.see([entry('queue', 'worker-3', ['EXEC'], '[(integer) 2]', 12)]);
  assert.match(state.caption(), /EXEC ran the ZREM/);
  assert.deepEqual(state.view, { strategy: 'queue-transaction', language: 'javascript' });
  state.select({ strategy: 'nope', language: 'cobol' });
  assert.deepEqual(state.view, { strategy: 'queue-transaction', language: 'javascript' }, 'unknown ids are ignored');
});

test('lines that read the retry count back are marked: the simulation does not send them', () => {
  const state = new CodeState({ strategy: 'queue-lua', language: 'python' });
  const quiet = state.lines.filter((l) => l.quiet);
  assert.equal(quiet.length, 1);
  assert.match(quiet[0].text, /r\.get\(rc\)/);
  state.select({ strategy: 'polling' });
  assert.equal(state.lines.filter((l) => l.quiet).length, 0);
});
