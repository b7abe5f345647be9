// The console's table view (www/js/console/table.js) decided from each reply's `shape`, which
// the command table gives every command (Console.execDetailed): no command names in the page.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tableOf, tableOfLine, cellText } from '../../www/js/console/table.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let c;

before(async () => {
  const pkg = await import(path.join(ROOT, 'www', 'pkg', 'redis_playground.js'));
  pkg.initSync({ module: fs.readFileSync(path.join(ROOT, 'www', 'pkg', 'redis_playground_bg.wasm')) });
  const p = new pkg.Playground();
  p.pause();
  c = p.console(0);
  for (const line of ['HSET h f1 v1 f2 "two words"', 'ZADD z 1 a 2 b 3 c', 'ZADD z2 5 x', 'RPUSH l "line\\nbreak" x',
    'SADD s m1 m2', 'MSET k1 one k2 2', 'RPUSH bl a', 'ZADD zp 1 p 2 q']) c.exec(line);
});

/** The table of a line as [columns, rows of cell texts, caption], or null. */
function table(line) {
  const t = tableOfLine(c.execDetailed(line).replies);
  return t && [t.columns.join('|'), t.rows.map((row) => row.map(cellText).join('|')), t.caption ?? null];
}

test('every shape kind of the command table becomes its table', () => {
  assert.deepEqual(table('HGETALL h'), ['field|value', ['f1|v1', 'f2|two words'], null], 'pairs');
  assert.deepEqual(table('CONFIG GET hz'), ['field|value', ['hz|10'], null], 'a sub-command\'s shape');
  assert.deepEqual(table('ZPOPMIN zp'), ['member|score', ['p|1'], null], 'pairs');
  assert.deepEqual(table('ZRANGEBYSCORE z 2 +inf WITHSCORES'), ['member|score', ['b|2', 'c|3'], null], 'pairsWith, option given');
  assert.deepEqual(table('ZRANGE z 0 0'), ['#|value', ['1|a'], null], 'pairsWith, no option: a list');
  assert.deepEqual(table('HRANDFIELD h -1 withvalues')?.[0], 'field|value', 'the option in any case');
  assert.deepEqual(table('ZMSCORE z a nope'), ['member|score', ['a|1', 'nope|(nil)'], null], 'perArg');
  assert.deepEqual(table('SMISMEMBER s m1 zz'), ['member|is member', ['m1|1', 'zz|0'], null], 'perArg');
  assert.deepEqual(table('MGET k1 k2 k3'), ['key|value', ['k1|one', 'k2|2', 'k3|(nil)'], null], 'perArg from 1');
  assert.deepEqual(table('HSCAN h 0'), ['field|value', ['f1|v1', 'f2|two words'], 'cursor 0'], 'scan of pairs');
  assert.deepEqual(table('SSCAN s 0 MATCH m1'), ['#|member', ['1|m1'], 'cursor 0'], 'scan of a list');
  assert.deepEqual(table('ZMPOP 2 nosuch z MIN COUNT 2'), ['member|score', ['a|1', 'b|2'], 'key z'], 'popped, nested');
  assert.deepEqual(table('LMPOP 1 l LEFT COUNT 1'), ['#|value', ['1|line\\nbreak'], 'key l'], 'popped, list');
  assert.deepEqual(table('BZPOPMAX z2 0'), ['key|member|score', ['z2|x|5'], null], 'row');
  assert.deepEqual(table('BLPOP bl 0'), ['key|value', ['bl|a'], null], 'row');
  assert.deepEqual(table('LRANGE l 0 -1'), ['#|value', ['1|x'], null], 'list');
});

test('what has no table: scalars, empty arrays, nested lists, repeated lines, unknown commands', () => {
  assert.equal(table('PING'), null);
  assert.equal(table('GET nosuch'), null);
  assert.equal(table('LRANGE nosuch 0 -1'), null);
  assert.equal(table('2 HGETALL h'), null, 'two replies: no single table');
  assert.equal(table('COMMAND INFO get'), null, 'nested arrays are not a list of values');
  assert.equal(table('ZMPOP 1 nosuch MIN'), null, 'a nil reply');
  c.exec('MULTI');
  c.exec('INCR n');
  assert.deepEqual(table('EXEC'), ['#|value', ['1|1'], null]);
  // A reply without a shape (a command the table doesn't know) is a plain list when it is one.
  assert.deepEqual(tableOf({ argv: ['x'], reply: { type: 'array', value: [{ type: 'bulk', value: 'v' }] } }).columns, ['#', 'value']);
});
