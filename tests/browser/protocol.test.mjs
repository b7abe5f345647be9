// The protocol and users in the page (issue 21): a console switched to RESP3 with HELLO 3
// prints maps, sets and doubles as redis-cli -3 does, keeps its table view, and shows a
// tracking invalidation before its next reply, while the other console stays RESP2; a
// console logged in as a restricted user gets NOPERM. Every wait is for a state the page
// reaches; the world clock is paused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, screenshot, sel, runIn, twoConsoles } from './console-harness.mjs';

useBrowser();

const run = runIn;

/** The last entry of console n as a table: its header and rows. */
async function lastTable(page, n) {
  const e = page.locator(`${sel(n, 'output')} .entry`).last();
  await e.locator('.tool-table').click();
  return {
    head: await e.locator('.reply-table th').allTextContents(),
    rows: await e.locator('.reply-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent))),
  };
}


test('HELLO 3 turns one console to RESP3: maps, sets, doubles and invalidations print as redis-cli -3 prints them', async (t) => {
  const { page, seen } = await twoConsoles(t);
  assert.match(await run(page, 1, 'HELLO 3'), /^1# "server" => "redis"\n2# "version" => "7\.0\.15"\n3# "proto" => \(integer\) 3\n4# "id" => \(integer\) \d+\n/);
  assert.equal(await run(page, 1, 'HSET user:1 name Ada born 1815'), '(integer) 2');
  assert.equal(await run(page, 1, 'HGETALL user:1'), '1# "name" => "Ada"\n2# "born" => "1815"');
  assert.deepEqual(await lastTable(page, 1), { head: ['field', 'value'], rows: [['name', 'Ada'], ['born', '1815']] });
  assert.equal(await run(page, 1, 'ZADD scores 95 Alice 87.5 Bob'), '(integer) 2');
  assert.equal(await run(page, 1, 'ZRANGE scores 0 -1 WITHSCORES'), '1) 1) "Bob"\n   2) (double) 87.5\n2) 1) "Alice"\n   2) (double) 95');
  assert.deepEqual(await lastTable(page, 1), { head: ['member', 'score'], rows: [['Bob', '87.5'], ['Alice', '95']] });
  assert.equal(await run(page, 1, 'SADD tags redis'), '(integer) 1');
  assert.equal(await run(page, 1, 'SMEMBERS tags'), '1~ "redis"');

  // Client-side caching: console 1 reads a key, console 2 writes it, and console 1's next
  // command shows the invalidation first, as interactive redis-cli does.
  assert.equal(await run(page, 1, 'CLIENT TRACKING on'), 'OK');
  assert.equal(await run(page, 1, 'GET cache:user:1'), '(nil)');
  assert.equal(await run(page, 2, 'SET cache:user:1 Alice'), 'OK');
  assert.equal(await run(page, 1, 'PING'), "-> invalidate: 'cache:user:1'\nPONG");

  // The other console still speaks RESP2.
  assert.equal(await run(page, 2, 'HGETALL user:1'), '1) "name"\n2) "Ada"\n3) "born"\n4) "1815"');
  assert.equal(await run(page, 2, 'ZSCORE scores Bob'), '"87.5"');
  assert.equal(await run(page, 1, 'ZSCORE scores Bob'), '(double) 87.5');
  assert.match(await page.locator('#console-tab-1').textContent(), /· RESP3/, 'the tab says the console speaks RESP3');
  assert.doesNotMatch(await page.locator('#console-tab-2').textContent(), /RESP3/);
  await screenshot(page, 'console-resp3.png');
  assert.equal(await run(page, 1, 'RESET'), 'RESET');
  assert.equal(await run(page, 1, 'ZSCORE scores Bob'), '"87.5"', 'RESET goes back to RESP2');
  assert.deepEqual(seen.errors, []);
});

test('a console logged in as a restricted user gets NOPERM; the other stays the default user', async (t) => {
  const { page, seen } = await twoConsoles(t);
  assert.equal(await run(page, 1, 'ACL SETUSER cache-app on >s3cret ~cache:* +get +set +del'), 'OK');
  assert.equal(await run(page, 2, 'AUTH cache-app wrong'), '(error) WRONGPASS invalid username-password pair or user is disabled.');
  assert.equal(await run(page, 2, 'AUTH cache-app s3cret'), 'OK');
  assert.equal(await run(page, 2, 'SET cache:page:home "<h1>Home</h1>"'), 'OK');
  assert.equal(await run(page, 2, 'GET session:42'), '(error) NOPERM this user has no permissions to access one of the keys used as arguments');
  assert.equal(await run(page, 2, 'FLUSHALL'), "(error) NOPERM this user has no permissions to run the 'flushall' command");
  assert.equal(await page.locator('#output-2 h1').count(), 0, 'a stored value is text');
  assert.equal(await run(page, 1, 'ACL WHOAMI'), '"default"');
  assert.match(await run(page, 1, 'ACL LOG 1'), /"reason"\n +\d+\) "command"[\s\S]*"object"\n +\d+\) "flushall"[\s\S]*"username"\n +\d+\) "cache-app"/);
  assert.match(await run(page, 1, 'CLIENT LIST'), /user=cache-app /);
  assert.match(await page.locator('#console-tab-2').textContent(), /· cache-app/, 'the tab names the user');
  await screenshot(page, 'console-acl.png');
  assert.equal(await run(page, 1, 'ACL DELUSER cache-app'), '(integer) 1');
  assert.deepEqual(seen.errors, []);
});
