// The page-facing parts of the JavaScript API: hints, completion, argument spans and key
// positions (for the console), execDetailed (reply trees for table views), and the
// read-only keyspace calls (scanKeys, inspect, generation) for the keyspace view.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { initSync, Playground } = await import(path.join(root, 'www/pkg/redis_playground.js'));
initSync({ module: fs.readFileSync(path.join(root, 'www/pkg/redis_playground_bg.wasm')) });

test('hint shows what is left to type, as redis-cli does', () => {
  const p = new Playground();
  assert.equal(p.hint('GET'), ' key');
  assert.equal(p.hint('SET k v '), '[NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]');
  assert.equal(p.hint('nosuchcommand'), undefined);
});

test('completions are whole lines, with help topics after help', () => {
  const p = new Playground();
  assert.deepEqual(p.completions('getr'), ['GETRANGE']);
  assert.deepEqual(p.completions('help @hash'), ['help @hash']);
});

test('splitArgs gives UTF-16 spans and null for bad quotes', () => {
  const p = new Playground();
  const line = 'SET "日本 語" v';
  const args = p.splitArgs(line);
  assert.deepEqual(args.map((a) => a.text), ['SET', '日本 語', 'v']);
  assert.equal(line.slice(args[1].start, args[1].end), '"日本 語"');
  assert.equal(line.slice(args[2].start, args[2].end), 'v');
  assert.equal(p.splitArgs('SET "unbalanced'), null);
});

test('keyPositions marks key arguments', () => {
  const p = new Playground();
  assert.deepEqual([...p.keyPositions('MSET a 1 b 2')], [1, 3]);
  assert.deepEqual([...p.keyPositions('SINTERCARD 2 x y LIMIT 1')], [2, 3]);
  assert.deepEqual([...p.keyPositions('PING')], []);
});

test('execDetailed returns the text and each reply tree', () => {
  const p = new Playground();
  p.exec('ZADD z 1 a 2.5 b');
  const d = p.console(0).execDetailed('ZRANGE z 0 -1 WITHSCORES');
  assert.equal(d.text, '1) "a"\n2) "1"\n3) "b"\n4) "2.5"');
  assert.equal(d.replies.length, 1);
  assert.equal(d.replies[0].command, 'zrange');
  assert.deepEqual(d.replies[0].reply.value.map((r) => r.value), ['a', '1', 'b', '2.5']);
  assert.equal(p.console(0).execDetailed('3 INCR n').replies.length, 3);
  assert.deepEqual(p.console(0).execDetailed('"bad').replies, []);
});

test('scanKeys and inspect read without touching anything', () => {
  const p = new Playground();
  p.pause();
  p.exec('RPUSH l a b c');
  p.exec('SET s "<img src=x onerror=alert(1)>"');
  p.exec('SET t v PX 100');
  p.advance(200);
  // (That viewing never deletes an expired key is tested natively, where time can pass
  // without the active expiry cycle running: src/inspect.rs.)
  const before = p.exec('INFO stats').split('\r\n').filter((l) => !l.startsWith('total_commands') && !l.startsWith('expired_keys')).join('\n');
  const keys = [];
  let cursor = 0;
  do {
    const step = p.scanKeys(0, cursor, undefined, undefined, 1);
    keys.push(...step.keys.map((k) => k.key));
    cursor = step.cursor;
  } while (cursor !== 0);
  assert.deepEqual(keys.sort(), ['l', 's']);
  assert.deepEqual(p.scanKeys(0, 0, 'l*', 'list', 10).keys.map((k) => [k.key, k.type, k.size]), [['l', 'list', 3]]);
  assert.deepEqual(p.inspect(0, 'l', 1, 5).items, [{ index: 1, value: 'b' }, { index: 2, value: 'c' }]);
  assert.equal(p.inspect(0, 's', 0, 1).text, '<img src=x onerror=alert(1)>');
  assert.equal(p.inspect(0, 't', 0, 1), null);
  const after = p.exec('INFO stats').split('\r\n').filter((l) => !l.startsWith('total_commands') && !l.startsWith('expired_keys')).join('\n');
  assert.equal(after, before, 'viewing changed the hit/miss stats');
});

test('generation moves when keys change, not when they are read', () => {
  const p = new Playground();
  const g0 = p.generation();
  p.exec('GET nothing');
  assert.equal(p.generation(), g0);
  p.exec('SET a 1');
  assert.ok(p.generation() > g0);
});
