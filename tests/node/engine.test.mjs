// Tier 3: the wasm module in node, through the JavaScript contract (src/wasm.rs).
// Needs www/pkg/ from scripts/build.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const PKG = path.join(ROOT, 'www', 'pkg');
const WASM = path.join(PKG, 'redis_playground_bg.wasm');

let Playground;

before(async () => {
  if (!fs.existsSync(WASM)) {
    throw new Error(`${path.relative(ROOT, WASM)} is missing: build it first with scripts/build`);
  }
  const pkg = await import(path.join(PKG, 'redis_playground.js'));
  pkg.initSync({ module: fs.readFileSync(WASM) });
  Playground = pkg.Playground;
});

test('a new playground answers PING and starts on db 0 with the plain prompt', () => {
  const p = new Playground();
  assert.equal(p.exec('PING'), 'PONG');
  assert.equal(p.console(0).prompt(), '127.0.0.1:6379> ');
  assert.equal(p.console(0).db(), 0);
  assert.equal(p.console(0).inTransaction(), false);
  assert.deepEqual(Array.from(p.dbSizes()), new Array(16).fill(0));
});

test('exec prints replies the way redis-cli --no-raw does', () => {
  const p = new Playground();
  assert.equal(p.exec('SET a 1'), 'OK');
  assert.equal(p.exec('GET a'), '"1"');
  assert.equal(p.exec('INCR a'), '(integer) 2');
  assert.equal(p.exec('GET nokey'), '(nil)');
});

test('a line whose quotes do not balance is "Invalid argument(s)"', () => {
  const p = new Playground();
  assert.equal(p.exec('SET a "unterminated'), 'Invalid argument(s)');
});

test('a wrong number of arguments gives Redis\'s arity error', () => {
  const p = new Playground();
  assert.equal(p.exec('GET'), "(error) ERR wrong number of arguments for 'get' command");
  assert.equal(p.exec('SET onlykey'), "(error) ERR wrong number of arguments for 'set' command");
});

test('SELECT shows the db in the prompt and MULTI adds (TX)', () => {
  const p = new Playground();
  assert.equal(p.exec('SELECT 2'), 'OK');
  assert.equal(p.console(0).prompt(), '127.0.0.1:6379[2]> ');
  assert.equal(p.console(0).db(), 2);
  assert.equal(p.exec('MULTI'), 'OK');
  assert.equal(p.console(0).prompt(), '127.0.0.1:6379[2](TX)> ');
  assert.equal(p.console(0).inTransaction(), true);
  assert.equal(p.exec('INCR counter'), 'QUEUED');
  assert.equal(p.exec('EXEC'), '1) (integer) 1');
  assert.equal(p.console(0).prompt(), '127.0.0.1:6379[2]> ');
  assert.equal(p.console(0).inTransaction(), false);
});

test('a leading count repeats the command like redis-cli', () => {
  const p = new Playground();
  assert.equal(p.exec('3 INCR hits'), '(integer) 1\n(integer) 2\n(integer) 3');
});

test('execArgv returns a structured reply', () => {
  const p = new Playground();
  assert.deepEqual(p.execArgv(['SET', 'k', 'v']), { type: 'status', value: 'OK' });
  const got = p.execArgv(['GET', 'k']);
  assert.equal(got.type, 'bulk');
  assert.equal(got.value, 'v');
  assert.deepEqual(p.execArgv(['INCR', 'n']), { type: 'integer', value: 1 });
  assert.deepEqual(p.execArgv(['GET', 'missing']), { type: 'nil', value: null });
  const err = p.execArgv(['INCR', 'k']);
  assert.equal(err.type, 'error');
  assert.equal(err.value, 'ERR value is not an integer or out of range');
});

test('values are binary safe: "\\x00\\xff" goes in and comes back escaped', () => {
  const p = new Playground();
  assert.equal(p.exec('SET b "\\x00\\xff"'), 'OK');
  assert.equal(p.exec('GET b'), '"\\x00\\xff"');
  assert.equal(p.exec('STRLEN b'), '(integer) 2');
  const got = p.execArgv(['GET', 'b']);
  assert.equal(got.type, 'bulk');
  assert.deepEqual(Array.from(got.bytes), [0x00, 0xff]);
});

test('execArgv carries any reply tree across in one piece', () => {
  const p = new Playground();
  p.execArgv(['RPUSH', 'l', 'a', 'clé', '😀', '']);
  assert.deepEqual(p.execArgv(['LRANGE', 'l', '0', '-1']), {
    type: 'array',
    value: ['a', 'clé', '😀', ''].map((value) => ({ type: 'bulk', value })),
  });
  p.execArgv(['ZADD', 'z', '1.5', 'm', '-2', 'n']);
  assert.deepEqual(p.execArgv(['ZRANGE', 'z', '0', '-1', 'WITHSCORES']).value.map((r) => r.value), ['n', '-2', 'm', '1.5']);
  assert.deepEqual(p.execArgv(['INCRBY', 'big', '-9007199254740993']), { type: 'integer', value: -9007199254740993n });
  assert.deepEqual(p.execArgv(['INCRBY', 'n', '-4294967297']), { type: 'integer', value: -4294967297 });
  assert.deepEqual(p.execArgv(['BLPOP', 'nothing', '0', 'x']).type, 'error');
  // One command answering several times (SUBSCRIBE a b), then an empty array.
  const sub = p.execArgv(['SUBSCRIBE', 'a', 'b']);
  assert.equal(sub.type, 'multi');
  assert.deepEqual(sub.value[1], { type: 'array', value: [{ type: 'bulk', value: 'subscribe' }, { type: 'bulk', value: 'b' }, { type: 'integer', value: 2 }] });
  const q = new Playground();
  assert.deepEqual(q.execArgv(['KEYS', '*']), { type: 'array', value: [] });
  // A nested array with a binary member among text ones.
  q.exec('HSET h f "\\xff\\x00" g v');
  const all = q.execArgv(['HGETALL', 'h']);
  assert.equal(all.value[1].value, '\ufffd\u0000');
  assert.deepEqual(Array.from(all.value[1].bytes), [0xff, 0x00]);
  assert.deepEqual(all.value[3], { type: 'bulk', value: 'v' });
});

test('execArgv turns numbers into strings and refuses what is not a list, staying usable', () => {
  const p = new Playground();
  assert.deepEqual(p.execArgv(['SET', 'n', 41]), { type: 'status', value: 'OK' });
  assert.deepEqual(p.execArgv(['INCR', 'n']), { type: 'integer', value: 42 });
  for (const bad of ['GET n', undefined, { 0: 'GET' }]) {
    assert.throws(() => p.execArgv(bad), TypeError);
  }
  const hostile = { toString() { throw new Error('no'); } };
  assert.throws(() => p.execArgv(['GET', hostile]), TypeError);
  assert.deepEqual(p.execArgv(['GET', 'n']), { type: 'bulk', value: '42' });
  assert.deepEqual(p.execArgv([]), { type: 'array', value: [] });
  // A value that starts with a byte-order mark keeps it, alone or inside an array.
  assert.deepEqual(p.execArgv(['SET', 'bom', '\ufeffabc']), { type: 'status', value: 'OK' });
  assert.deepEqual(p.execArgv(['GET', 'bom']), { type: 'bulk', value: '\ufeffabc' });
  assert.deepEqual(p.execArgv(['MGET', 'bom']), { type: 'array', value: [{ type: 'bulk', value: '\ufeffabc' }] });
  assert.equal(p.exec('GET bom'), '"\\xef\\xbb\\xbfabc"');
  // Arguments larger than the engine's buffer, some not ASCII, come through whole.
  const big = 'é'.repeat(3000) + 'x'.repeat(5000) + '😀';
  assert.deepEqual(p.execArgv(['SET', 'big', big]), { type: 'status', value: 'OK' });
  assert.deepEqual(p.execArgv(['GET', 'big']), { type: 'bulk', value: big });
  assert.equal(p.exec('STRLEN big'), `(integer) ${3000 * 2 + 5000 + 4}`);
  // An argument whose toString makes wasm memory grow (through another Playground) while
  // the arguments are being written: the command still gets exactly its arguments.
  const other = new Playground();
  const grows = { toString() { other.execArgv(['SET', 'huge', 'x'.repeat(40_000_000)]); return 'grown'; } };
  assert.deepEqual(p.execArgv(['SET', 'mid', grows]), { type: 'status', value: 'OK' });
  assert.deepEqual(p.execArgv(['GET', 'mid']), { type: 'bulk', value: 'grown' });
  assert.equal(other.exec('STRLEN huge'), '(integer) 40000000');
  const members = Array.from({ length: 2000 }, (_, i) => `m${i}`);
  assert.deepEqual(p.execArgv(['SADD', 's', ...members]), { type: 'integer', value: 2000 });
});

test('keyspace lists keys with their type and ttl', () => {
  const p = new Playground();
  p.exec('SET plain 1');
  p.exec('SET session:1 abc EX 100');
  p.exec('SELECT 3');
  p.exec('SET elsewhere x');
  const keys = p.keyspace(0, undefined, 100);
  assert.ok(Array.isArray(keys), 'keyspace returns an array');
  const byKey = Object.fromEntries(keys.map((k) => [k.key, k]));
  assert.deepEqual(Object.keys(byKey).sort(), ['plain', 'session:1']);
  assert.equal(byKey.plain.type, 'string');
  assert.equal(byKey.plain.ttl, -1);
  assert.equal(byKey['session:1'].type, 'string');
  assert.ok(byKey['session:1'].ttl > 0 && byKey['session:1'].ttl <= 100_000, `ttl ${byKey['session:1'].ttl}`);
  assert.deepEqual(p.keyspace(0, 'session:*', 100).map((k) => k.key), ['session:1']);
  assert.equal(p.keyspace(0, undefined, 1).length, 1);
  assert.deepEqual(p.keyspace(3, undefined, 100).map((k) => k.key), ['elsewhere']);
  const sizes = Array.from(p.dbSizes());
  assert.equal(sizes[0], 2);
  assert.equal(sizes[3], 1);
});

test('advance moves world time: a key with EX 10 is gone after 11 s', () => {
  const p = new Playground();
  p.pause(); // only advance moves time here
  assert.equal(p.exec('SET t v EX 10'), 'OK');
  assert.equal(p.exec('TTL t'), '(integer) 10');
  p.advance(11_000);
  assert.equal(p.exec('GET t'), '(nil)');
  assert.equal(p.exec('TTL t'), '(integer) -2');
});

test('tick runs active expiry: an expired key leaves the keyspace without being read', () => {
  const p = new Playground();
  p.exec('SET gone v PX 500');
  p.exec('SET stays v');
  p.advance(1_000);
  for (let i = 0; i < 20; i++) p.tick();
  assert.deepEqual(p.keyspace(0, undefined, 100).map((k) => k.key), ['stays']);
  assert.equal(p.dbSizes()[0], 1);
});

test('the clock can change speed, pause and resume', () => {
  const p = new Playground();
  assert.equal(p.speed(), 1);
  p.setSpeed(60);
  assert.equal(p.speed(), 60);
  assert.equal(p.isPaused(), false);
  p.pause();
  assert.equal(p.isPaused(), true);
  const t = p.now();
  p.exec('PING');
  p.tick();
  assert.equal(p.now(), t, 'a paused world does not move');
  p.advance(5_000);
  assert.equal(p.now(), t + 5_000, 'advance still steps a paused world');
  p.resume();
  assert.equal(p.isPaused(), false);
});

test('HELP output carries redis-cli\'s ANSI styling', () => {
  const p = new Playground();
  const out = p.exec('help get');
  assert.match(out, /\x1b\[1mGET\x1b\[0m/);
  assert.match(out, /summary:/);
});

test('commands() describes the command table', () => {
  const p = new Playground();
  const cmds = p.commands();
  assert.ok(Array.isArray(cmds) && cmds.length > 0);
  const get = cmds.find((c) => c.name.toUpperCase() === 'GET');
  assert.ok(get, 'GET is in the table');
  assert.equal(get.arity, 2);
  assert.equal(get.group, 'string');
  assert.match(get.syntax, /key/);
});
