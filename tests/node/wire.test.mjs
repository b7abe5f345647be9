// The parts of the JavaScript API a RESP connection needs (scripts/resp/server.mjs stands
// on them): arguments as bytes, exact integers, the nil array apart from the nil bulk
// string, pushed replies as reply trees, which consoles have news, inline splitting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { initSync, Playground } = await import(path.join(root, 'www/pkg/redis_playground.js'));
initSync({ module: fs.readFileSync(path.join(root, 'www/pkg/redis_playground_bg.wasm')) });

test('arguments may be bytes (Uint8Array), kept exactly', () => {
  const p = new Playground();
  const key = new Uint8Array([0xff, 0x00, 0x80]);
  assert.deepEqual(p.execArgv(['SET', key, new Uint8Array([1, 2, 255])]), { type: 'status', value: 'OK' });
  const r = p.execArgv(['GET', key]);
  assert.deepEqual(Array.from(r.bytes), [1, 2, 255]);
  assert.equal(p.exec('STRLEN "\\xff\\x00\\x80"'), '(integer) 3');
  assert.deepEqual(p.execArgv(['EXISTS', 'text', key]), { type: 'integer', value: 1 });
});

test('integers beyond 2^53 come back exact, as BigInt', () => {
  const p = new Playground();
  assert.deepEqual(p.execArgv(['INCRBY', 'n', '9007199254740993']), { type: 'integer', value: 9007199254740993n });
  assert.deepEqual(p.execArgv(['DECRBY', 'm', '9223372036854775807']), { type: 'integer', value: -9223372036854775807n });
  assert.deepEqual(p.execArgv(['INCRBY', 'small', '9007199254740991']), { type: 'integer', value: 9007199254740991 });
  // Inside an array too.
  p.exec('MULTI');
  p.exec('INCRBY n 1');
  assert.deepEqual(p.execArgv(['EXEC']), { type: 'array', value: [{ type: 'integer', value: 9007199254740994n }] });
});

test('the nil array (a failed EXEC) is told apart from the nil bulk string', () => {
  const p = new Playground();
  assert.deepEqual(p.execArgv(['GET', 'missing']), { type: 'nil', value: null });
  p.exec('WATCH w');
  p.console(0).exec('SET w 1');
  p.exec('MULTI');
  p.exec('PING');
  assert.deepEqual(p.execArgv(['EXEC']), { type: 'nil', value: null, array: true });
});

test('pushed messages and a blocked command\'s answer come as reply trees, and say whom they are for', () => {
  const p = new Playground();
  const a = p.console(0);
  const b = p.console(p.openConsole());
  a.execArgv(['SUBSCRIBE', 'ch']);
  assert.deepEqual(p.consolesWithNews(), Uint32Array.from([]));
  b.execArgv(['PUBLISH', 'ch', 'hi']);
  assert.deepEqual(Array.from(p.consolesWithNews()), [a.id]);
  assert.deepEqual(a.takeReplies(), [{
    type: 'array',
    value: [{ type: 'bulk', value: 'message' }, { type: 'bulk', value: 'ch' }, { type: 'bulk', value: 'hi' }],
  }]);
  assert.deepEqual(a.takeReplies(), []);
  b.execArgv(['BLPOP', 'q', '0']);
  assert.equal(b.mode(), 'blocked');
  a.execArgv(['UNSUBSCRIBE']);
  a.takeReplies();
  a.execArgv(['RPUSH', 'q', 'x']);
  assert.ok(Array.from(p.consolesWithNews()).includes(b.id));
  assert.deepEqual(b.takeReplies(), [{ type: 'array', value: [{ type: 'bulk', value: 'q' }, { type: 'bulk', value: 'x' }] }]);
  assert.equal(b.mode(), 'ready');
});

test('a console closed by the server says so until its next command', () => {
  const p = new Playground();
  const a = p.console(0);
  const b = p.console(p.openConsole());
  const id = b.clientId();
  assert.equal(b.isConnected(), true);
  a.execArgv(['CLIENT', 'KILL', 'ID', String(id)]);
  assert.ok(Array.from(p.consolesWithNews()).includes(b.id));
  assert.equal(b.isConnected(), false);
  b.execArgv(['PING']);
  assert.equal(b.isConnected(), true);
  assert.notEqual(b.clientId(), id);
});

test('inline commands split as Redis splits them', () => {
  const p = new Playground();
  const split = (s) => p.splitInline(new TextEncoder().encode(s))?.map((a) => Buffer.from(a).toString('latin1'));
  assert.deepEqual(split('SET "a b" \'c\\\'d\' "\\x41\\n"'), ['SET', 'a b', "c'd", 'A\n']);
  assert.equal(split('SET "open'), undefined);
  assert.deepEqual(split('   '), []);
});
