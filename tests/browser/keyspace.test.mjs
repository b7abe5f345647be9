// Tier 4: the keyspace view (www/js/keyspace/) in headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core), against the page served by scripts/static-server.mjs on a free
// loopback port. Needs www/pkg/ from scripts/build.
//
// Every wait is for a state of the page (with a timeout), never for a duration: the view
// follows the engine's world clock on every tick of the page's scheduler, and the tests that
// look at TTLs pause that clock and move it on themselves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { useBrowser, env, pauseWorld, advanceWorld } from './console-harness.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCRATCH = path.join(ROOT, 'screenshots', 'tmp'); // ignored by git: pictures to look at

useBrowser();

/** A fresh page with the keyspace view mounted; dialogs and page errors are recorded. */
async function openPage(t, { viewport = { width: 1280, height: 860 }, presenter = false } = {}) {
  const context = await env.browser.newContext({ viewport });
  t.after(() => context.close());
  const page = await context.newPage();
  const seen = { dialogs: [], errors: [] };
  page.on('dialog', (d) => { seen.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  page.on('console', (m) => {
    // Another pane still being written is not this view's failure.
    if (m.type() === 'error' && !/lessons|Failed to load resource/.test(m.text())) seen.errors.push(m.text());
  });
  if (presenter) await page.addInitScript(() => localStorage.setItem('redis-playground:presenter', '1'));
  await page.goto(env.baseUrl);
  await page.waitForSelector('#input:not([disabled])', { timeout: 20_000 });
  await page.waitForSelector('#keyspace .ks-list', { state: 'attached', timeout: 10_000 });
  return { page, seen, ks: page.locator('#keyspace') };
}

/** Type a line into the console and press Enter; waits until its entry is in the transcript. */
async function run(page, line) {
  const before = await page.locator('#output .entry').count();
  await page.locator('#input').fill(line);
  await page.locator('#input').press('Enter');
  await page.waitForFunction((n) => document.querySelectorAll('#output .entry').length > n, before);
}

/** The row of a key in the keyspace list (by its full name). */
const row = (page, key) => page.locator(`#keyspace .ks-key[data-key="${key}"]`);

/** Wait for the row of `key` and return its badge, name, size and TTL texts. */
async function rowInfo(page, key) {
  const r = row(page, key);
  await r.waitFor({ timeout: 5000 });
  return r.evaluate((el) => ({
    badge: el.querySelector('.ks-badge').textContent,
    badgeClass: el.querySelector('.ks-badge').className,
    name: el.querySelector('.ks-name').textContent,
    size: el.querySelector('.ks-size').textContent,
    ttl: el.querySelector('.ks-ttl').textContent,
  }));
}

/** The keys listed, in order. */
const listedKeys = (page) => page.locator('#keyspace .ks-key').evaluateAll((els) => els.map((e) => e.dataset.key));

/** Wait until the listed keys are exactly `keys` (in the view's natural order). */
async function waitForKeys(page, keys, timeout = 5000) {
  await page.waitForFunction(
    (want) => JSON.stringify([...document.querySelectorAll('#keyspace .ks-key')].map((e) => e.dataset.key)) === want,
    JSON.stringify(keys), { timeout },
  ).catch(async (e) => {
    throw new Error(`listed keys ${JSON.stringify(await listedKeys(page))}, wanted ${JSON.stringify(keys)}: ${e.message}`);
  });
}

/** The rows of the value table: an array of arrays of cell texts. */
const valueTable = (page) => page.locator('#keyspace .ks-value .ks-table tbody tr')
  .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));

async function waitForTable(page, rows, timeout = 5000) {
  await page.waitForFunction(
    (want) => JSON.stringify([...document.querySelectorAll('#keyspace .ks-value .ks-table tbody tr')]
      .map((tr) => [...tr.children].map((c) => c.textContent))) === want,
    JSON.stringify(rows), { timeout },
  ).catch(async (e) => {
    throw new Error(`value table ${JSON.stringify(await valueTable(page))}, wanted ${JSON.stringify(rows)}: ${e.message}`);
  });
}

/** Seconds left in a TTL cell's text (`9.4s`, `42s`, `4m 09s`, `1h 05m`). */
function ttlSeconds(text) {
  let s = 0;
  for (const [, n, unit] of text.matchAll(/([\d.]+)([dhms])/g)) s += Number(n) * { d: 86400, h: 3600, m: 60, s: 1 }[unit];
  return s;
}

test('keys typed in the console appear with their type badge and size', async (t) => {
  const { page, seen, ks } = await openPage(t);
  assert.equal(await ks.locator('.ks-list-empty').textContent(), 'db0 is empty. Keys you create in the console appear here.');
  await run(page, 'SET greeting "Hello, World!"');
  await run(page, 'RPUSH fruits apple banana cherry');
  await run(page, 'SADD colors red green blue');
  await run(page, 'ZADD scores 95 Alice 87 Bob');
  await run(page, 'HSET user:1 name Alice age 30');

  const want = {
    greeting: ['string', '13 B'],
    fruits: ['list', '3 items'],
    colors: ['set', '3 members'],
    scores: ['zset', '2 members'],
    'user:1': ['hash', '2 fields'],
  };
  for (const [key, [type, size]] of Object.entries(want)) {
    const info = await rowInfo(page, key);
    assert.equal(info.badge, type, `${key}'s badge`);
    assert.match(info.badgeClass, new RegExp(`\\bks-t-${type}\\b`), `${key}'s badge is coloured for ${type}`);
    assert.equal(info.name, key);
    assert.equal(info.size, size, `${key}'s size`);
    assert.equal(info.ttl, '', `${key} has no TTL`);
  }
  await waitForKeys(page, ['colors', 'fruits', 'greeting', 'scores', 'user:1']);
  assert.equal(await ks.locator('.ks-count').textContent(), '5 keys');
  assert.equal(await ks.locator('.ks-list').getAttribute('role'), 'listbox');
  assert.equal(await ks.locator('.ks-key').first().getAttribute('role'), 'option');

  // Sizes follow writes; deleted keys leave.
  await run(page, 'APPEND greeting "!!"');
  await run(page, 'RPUSH fruits date');
  await page.waitForFunction(() => document.querySelector('#keyspace .ks-key[data-key="greeting"] .ks-size')?.textContent === '15 B');
  await page.waitForFunction(() => document.querySelector('#keyspace .ks-key[data-key="fruits"] .ks-size')?.textContent === '4 items');
  await run(page, 'DEL colors scores');
  await waitForKeys(page, ['fruits', 'greeting', 'user:1']);
  await page.waitForFunction(() => document.querySelector('#keyspace select.ks-db option').textContent === 'db0 (3)');

  await page.screenshot({ path: path.join(SCRATCH, 'keyspace-page.png') });
  await ks.screenshot({ path: path.join(SCRATCH, 'keyspace-keys.png') });
  assert.deepEqual(seen.errors, []);
});

test('a TTL counts down with the world clock and the key leaves when it expires', async (t) => {
  const { page, seen } = await openPage(t);
  await pauseWorld(page);
  await run(page, 'SET forever v');
  await run(page, 'SET session:1 alice EX 3600');
  await run(page, 'SET k v PX 1500');
  const first = await rowInfo(page, 'k');
  assert.equal(first.ttl, '1.5s', 'a short TTL shows tenths of a second');
  const hour = await rowInfo(page, 'session:1');
  assert.equal(hour.ttl, '1h 00m', 'an hour-long TTL');
  assert.equal((await rowInfo(page, 'forever')).ttl, '', 'no TTL, no countdown');

  // The countdown moves with the world clock, without any command being typed.
  await advanceWorld(page, 500);
  await page.waitForFunction(() => document.querySelector('#keyspace .ks-key[data-key="k"] .ks-ttl')?.textContent === '1.0s');

  // Then its time runs out (a key expires once the clock is past its time): "expiring…" until
  // Redis's active expiry cycle (ten times a second of world time) deletes it and it leaves.
  await advanceWorld(page, 1_001);
  await page.waitForFunction(() => document.querySelector('#keyspace .ks-key[data-key="k"] .ks-ttl')?.textContent === 'expiring…');
  await advanceWorld(page, 100);
  await row(page, 'k').waitFor({ state: 'detached', timeout: 10_000 });
  await waitForKeys(page, ['forever', 'session:1']);
  assert.equal(await page.locator('#keyspace select.ks-db option').first().textContent(), 'db0 (2)');
  assert.ok(ttlSeconds((await rowInfo(page, 'session:1')).ttl) > 3500);
  assert.deepEqual(seen.errors, []);
});

test('TTLs follow the world clock: paused, jumped forward, and at 3600× speed', async (t) => {
  const { page, seen } = await openPage(t);
  await page.waitForFunction(() => window.redisPlayground?.engine);
  // Paused: nothing moves; a jump of ten minutes shows at once.
  await pauseWorld(page);
  await run(page, 'SET report ready EX 3600');
  await run(page, 'SET cache hit EX 7200');
  await row(page, 'report').waitFor();
  const ttlOf = (key) => row(page, key).locator('.ks-ttl').textContent();
  await advanceWorld(page, 10 * 60_000);
  await page.waitForFunction(() => document.querySelector('#keyspace .ks-key[data-key="report"] .ks-ttl').textContent === '50m 00s');
  assert.equal(await ttlOf('cache'), '1h 50m');

  // 3600×: an hour of world time a second; the key expires and leaves without a command.
  await page.evaluate(() => { window.redisPlayground.engine.setSpeed(3600); window.redisPlayground.engine.resume(); });
  await row(page, 'report').waitFor({ state: 'detached', timeout: 10_000 });
  await row(page, 'cache').waitFor({ state: 'detached', timeout: 10_000 });
  await page.waitForFunction(() => document.querySelector('#keyspace .ks-list-empty:not([hidden])'));
  assert.deepEqual(seen.errors, []);
});

test('the selected key\'s TTL counts down too, and an expired key says so', async (t) => {
  const { page } = await openPage(t);
  await pauseWorld(page);
  await run(page, 'SET temp hello PX 2500');
  await row(page, 'temp').click();
  const ttl = page.locator('#keyspace .ks-value .ks-meta-ttl');
  await page.waitForFunction(() => document.querySelector('#keyspace .ks-meta-ttl')?.textContent === 'TTL 2.5s');
  await advanceWorld(page, 1_000);
  await page.waitForFunction(() => document.querySelector('#keyspace .ks-meta-ttl')?.textContent === 'TTL 1.5s');
  await advanceWorld(page, 2_000);
  await advanceWorld(page, 100); // an active expiry cycle deletes it
  await page.waitForSelector('#keyspace .ks-value .ks-gone', { timeout: 10_000 });
  assert.match(await page.locator('#keyspace .ks-value .ks-gone').textContent(), /no longer exists in db0/);
  await row(page, 'temp').waitFor({ state: 'detached' });

  // A key that comes back is shown again.
  await run(page, 'SET temp again');
  await page.waitForFunction(() => document.querySelector('#keyspace .ks-value .ks-text')?.textContent === 'again');
  assert.equal(await ttl.textContent(), 'no TTL');
});

test('hash fields with their own TTL (HEXPIRE, Redis 7.4) count down in the value pane and leave when it runs out', async (t) => {
  const { page, seen, ks } = await openPage(t);
  await pauseWorld(page);
  await run(page, 'HSET session user ann cart 3 token abc');
  await run(page, 'HPEXPIRE session 2500 FIELDS 1 token');
  await run(page, 'HEXPIRE session 90 FIELDS 1 cart');
  await row(page, 'session').click();
  const cells = () => page.locator('#keyspace .ks-value .ks-table-hash tbody tr').evaluateAll((rows) =>
    rows.map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent)));
  await page.waitForFunction(() => document.querySelector('#keyspace .ks-value .ks-table-hash td[data-until]')?.textContent === '2.5s');
  // A listpackex keeps the fields with a TTL first, soonest first.
  assert.deepEqual(await cells(), [['token', 'abc', '2.5s'], ['cart', '3', '1m 30s'], ['user', 'ann', 'no TTL']]);
  assert.match(await ks.locator('.ks-value .ks-note').first().textContent(), /count down/);
  await advanceWorld(page, 1_000);
  await page.waitForFunction(() => document.querySelector('#keyspace .ks-value .ks-table-hash td[data-until]')?.textContent === '1.5s');
  await ks.screenshot({ path: path.join(SCRATCH, 'keyspace-hash-field-ttl.png') });
  await advanceWorld(page, 1_600); // the active cycle deletes the field
  await page.waitForFunction(() => document.querySelectorAll('#keyspace .ks-value .ks-table-hash tbody tr').length === 2);
  assert.deepEqual(await cells(), [['cart', '3', '1m 28s'], ['user', 'ann', 'no TTL']]);
  assert.equal((await rowInfo(page, 'session')).size, '2 fields');
  assert.deepEqual(seen.errors, []);
});

test('the db switcher shows key counts, follows SELECT, and can be pinned to another db', async (t) => {
  const { page, ks } = await openPage(t);
  const dbSelect = ks.locator('select.ks-db');
  assert.equal(await dbSelect.getAttribute('id') !== null, true);
  assert.equal(await ks.locator(`label[for="${await dbSelect.getAttribute('id')}"]`).textContent(), 'Database');
  assert.equal(await dbSelect.locator('option').count(), 16);
  assert.equal(await dbSelect.inputValue(), '0');

  await run(page, 'SET zero 0');
  await run(page, 'SELECT 2');
  await page.waitForFunction(() => document.querySelector('#keyspace select.ks-db').value === '2');
  await page.waitForSelector('#keyspace .ks-list-empty:not([hidden])');
  assert.equal(await ks.locator('.ks-list-empty').textContent(), 'db2 is empty. Keys you create in the console appear here.');
  await run(page, 'SET two 2');
  await waitForKeys(page, ['two']);
  await page.waitForFunction(() => document.querySelector('#keyspace select.ks-db option[value="2"]').textContent === 'db2 (1)');
  assert.equal(await dbSelect.locator('option[value="0"]').textContent(), 'db0 (1)');
  assert.match(await ks.locator('.ks-follow').textContent(), /Following the console \(db2\)/);

  // Picking db0 by hand shows db0 while the console stays on db2 …
  await dbSelect.selectOption('0');
  await waitForKeys(page, ['zero']);
  assert.match(await ks.locator('.ks-follow').textContent(), /The console is on db2/);
  assert.equal(await ks.locator('.ks-list').getAttribute('aria-label'), 'Keys in db0');

  // … and a SELECT in the console doesn't take the view away from it.
  await run(page, 'SELECT 5');
  await run(page, 'SET five 5');
  await page.waitForFunction(() => document.querySelector('#keyspace select.ks-db option[value="5"]').textContent === 'db5 (1)');
  await page.waitForFunction(() => /The console is on db5/.test(document.querySelector('#keyspace .ks-follow').textContent));
  assert.equal(await dbSelect.inputValue(), '0');
  await waitForKeys(page, ['zero']);

  // "Follow the console" goes back to following.
  await ks.getByRole('button', { name: 'Follow the console' }).click();
  assert.equal(await dbSelect.inputValue(), '5');
  await waitForKeys(page, ['five']);
  await run(page, 'SELECT 0');
  await waitForKeys(page, ['zero']);
  assert.equal(await dbSelect.inputValue(), '0');

  // Picking the console's own db by hand is following again.
  await dbSelect.selectOption('2');
  await waitForKeys(page, ['two']);
  await dbSelect.selectOption('0');
  await run(page, 'SELECT 2');
  await waitForKeys(page, ['two']);

  // Counts follow FLUSHALL (every db changes at once).
  await run(page, 'FLUSHALL');
  await page.waitForFunction(() => [...document.querySelectorAll('#keyspace select.ks-db option')]
    .every((o, i) => o.textContent === `db${i} (0)`));
});

test('the glob and type filters narrow the listing', async (t) => {
  const { page, ks } = await openPage(t);
  await run(page, 'MSET user:1:name Ada user:2:name Linus order:7 x greeting hi');
  await run(page, 'HSET user:1 name Ada');
  await run(page, 'RPUSH user:queue a b');
  await waitForKeys(page, ['greeting', 'order:7', 'user:1', 'user:1:name', 'user:2:name', 'user:queue']);

  const filter = ks.getByRole('searchbox', { name: 'Filter keys by pattern' });
  await filter.fill('user:*');
  await waitForKeys(page, ['user:1', 'user:1:name', 'user:2:name', 'user:queue']);
  await page.waitForFunction(() => document.querySelector('#keyspace .ks-count').textContent === '4 of 6 keys match');
  await filter.fill('user:?:name');
  await waitForKeys(page, ['user:1:name', 'user:2:name']);
  await filter.fill('*[0-9]');
  await waitForKeys(page, ['order:7', 'user:1']);

  const type = ks.getByRole('combobox', { name: 'Filter keys by type' });
  await filter.fill('user:*');
  await type.selectOption('hash');
  await waitForKeys(page, ['user:1']);
  await type.selectOption('list');
  await waitForKeys(page, ['user:queue']);
  await type.selectOption('zset');
  await waitForKeys(page, []);
  assert.equal(await ks.locator('.ks-list-empty').textContent(), 'No sorted sets match user:* in db0.');
  await filter.fill('');
  await type.selectOption('string');
  await waitForKeys(page, ['greeting', 'order:7', 'user:1:name', 'user:2:name']);

  // The filter stays live: a new matching key appears, a non-matching one doesn't.
  await run(page, 'SET user:3:name Grace');
  await run(page, 'SADD tags a');
  await waitForKeys(page, ['greeting', 'order:7', 'user:1:name', 'user:2:name', 'user:3:name']);
  await type.selectOption('');
  await waitForKeys(page, ['greeting', 'order:7', 'tags', 'user:1', 'user:1:name', 'user:2:name', 'user:3:name', 'user:queue']);
  await ks.screenshot({ path: path.join(SCRATCH, 'keyspace-filtered.png') });
});

test('the tree view groups keys by ":" into folders with counts, by mouse and keyboard', async (t) => {
  const { page, ks } = await openPage(t);
  await run(page, 'MSET user:1:name Ada user:1:email ada@example.com user:2:name Linus order:7 x plain y');
  await waitForKeys(page, ['order:7', 'plain', 'user:1:email', 'user:1:name', 'user:2:name']);
  const treeButton = ks.getByRole('button', { name: 'Tree' });
  await treeButton.click();
  assert.equal(await treeButton.getAttribute('aria-pressed'), 'true');
  const list = ks.locator('.ks-list');
  assert.equal(await list.getAttribute('role'), 'tree');

  const folders = () => ks.locator('.ks-folder').evaluateAll((els) => els.map((e) => [
    e.dataset.path, e.querySelector('.ks-folder-count').textContent, e.getAttribute('aria-expanded'), e.getAttribute('aria-level'),
  ]));
  assert.deepEqual(await folders(), [['order:', '1', 'false', '1'], ['user:', '3', 'false', '1']]);
  await waitForKeys(page, ['plain']); // folders first, then the keys without ":"

  // The mouse opens a folder.
  await ks.locator('.ks-folder[data-path="user:"]').click();
  assert.deepEqual(await folders(), [['order:', '1', 'false', '1'], ['user:', '3', 'true', '1'],
    ['user:1:', '2', 'false', '2'], ['user:2:', '1', 'false', '2']]);

  // The keyboard: → opens, → again goes to the first child, Enter selects a key, ← goes up.
  await list.focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown'); // user:
  await page.keyboard.press('ArrowRight'); // into user:1:
  await page.keyboard.press('ArrowRight'); // open user:1:
  await page.keyboard.press('ArrowRight'); // user:1:email
  await waitForKeys(page, ['user:1:email', 'user:1:name', 'plain']);
  const active = () => page.evaluate(() => {
    const l = document.querySelector('#keyspace .ks-list');
    const el = document.getElementById(l.getAttribute('aria-activedescendant'));
    return el?.dataset.key ?? el?.dataset.path ?? null;
  });
  assert.equal(await active(), 'user:1:email');
  await page.keyboard.press('ArrowDown');
  assert.equal(await active(), 'user:1:name');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#keyspace .ks-value .ks-text')?.textContent === 'Ada');
  assert.equal(await row(page, 'user:1:name').getAttribute('aria-selected'), 'true');
  assert.equal(await row(page, 'user:1:name').getAttribute('aria-level'), '3');
  assert.equal(await row(page, 'user:1:name').locator('.ks-prefix').textContent(), 'user:1:');
  await ks.screenshot({ path: path.join(SCRATCH, 'keyspace-tree.png') });

  await page.keyboard.press('ArrowLeft'); // to the parent folder
  assert.equal(await active(), 'user:1:');
  await page.keyboard.press('ArrowLeft'); // close it
  await waitForKeys(page, ['plain']);
  assert.deepEqual((await folders())[2], ['user:1:', '2', 'false', '2']);

  // Counts stay live.
  await run(page, 'SET user:2:email linus@example.com');
  await page.waitForFunction(() => document.querySelector('#keyspace .ks-folder[data-path="user:2:"] .ks-folder-count')?.textContent === '2');
  assert.equal(await ks.locator('.ks-folder[data-path="user:"] .ks-folder-count').textContent(), '4');

  // Back to the flat list; the choice is remembered across a reload.
  await page.reload();
  await page.waitForSelector('#keyspace .ks-list', { state: 'attached' });
  assert.equal(await ks.getByRole('button', { name: 'Tree' }).getAttribute('aria-pressed'), 'true');
  await ks.getByRole('button', { name: 'List' }).click();
  assert.equal(await ks.locator('.ks-list').getAttribute('role'), 'listbox');
});

test('selecting a key shows its value by type, and console writes update it live', async (t) => {
  const { page, seen, ks } = await openPage(t);
  await run(page, 'SET greeting "Hello, World!"');
  await run(page, 'RPUSH fruits apple banana cherry');
  await run(page, 'SADD colors red green blue');
  await run(page, 'ZADD scores 95 Alice 87 Bob 1.1 Carol');
  await run(page, 'HSET user:1 name Alice age 30');
  await waitForKeys(page, ['colors', 'fruits', 'greeting', 'scores', 'user:1']);
  const title = ks.locator('.ks-value-key');

  // The keyboard: focus the list, arrows, Enter.
  await ks.locator('.ks-list').focus();
  await page.keyboard.press('ArrowDown'); // focus put the active row on colors; ↓ → fruits
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#keyspace .ks-value-key')?.textContent === 'fruits');
  await waitForTable(page, [['0', 'apple'], ['1', 'banana'], ['2', 'cherry']]);
  assert.deepEqual(await ks.locator('.ks-value thead th').allTextContents(), ['index', 'value']);
  assert.equal(await ks.locator('.ks-value .ks-badge').textContent(), 'list');
  assert.equal(await ks.locator('.ks-meta-size').textContent(), '3 items');
  await ks.screenshot({ path: path.join(SCRATCH, 'keyspace-value-list.png') });

  // A console write shows at once.
  await run(page, 'LPUSH fruits kiwi');
  await waitForTable(page, [['0', 'kiwi'], ['1', 'apple'], ['2', 'banana'], ['3', 'cherry']]);
  await run(page, 'LSET fruits 2 BANANA');
  await waitForTable(page, [['0', 'kiwi'], ['1', 'apple'], ['2', 'BANANA'], ['3', 'cherry']]);

  await ks.locator('.ks-list').focus(); // back from the console: the list remembers its row
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await waitForTable(page, [['blue'], ['green'], ['red']]);
  assert.deepEqual(await ks.locator('.ks-value thead th').allTextContents(), ['member']);
  await run(page, 'SREM colors green');
  await run(page, 'SADD colors azure');
  await waitForTable(page, [['azure'], ['blue'], ['red']]);

  await row(page, 'greeting').click();
  await page.waitForFunction(() => document.querySelector('#keyspace .ks-value .ks-text')?.textContent === 'Hello, World!');
  // The hex dump: offset, bytes, ASCII; as many bytes a row (16, 8 or 4) as the pane fits.
  const dump = await ks.locator('.ks-value .ks-hex').evaluate((e) => ({ text: e.textContent, perRow: Number(e.dataset.perRow) }));
  const bytes = '48 65 6c 6c 6f 2c 20 57 6f 72 6c 64 21'.split(' ');
  const ascii = 'Hello, World!';
  const want = [];
  for (let i = 0; i < bytes.length; i += dump.perRow) {
    want.push(`${i.toString(16).padStart(2, '0')}  ${bytes.slice(i, i + dump.perRow).join(' ').padEnd(Math.min(dump.perRow, bytes.length) * 3 - 1)}  ${ascii.slice(i, i + dump.perRow)}`);
  }
  assert.equal(dump.text, want.join('\n'));
  assert.equal(await ks.locator('.ks-value .ks-hex').evaluate((e) => e.scrollWidth <= e.clientWidth || e.dataset.perRow === '4'), true,
    'the hex dump fits the pane');
  assert.deepEqual(await ks.locator('.ks-value .ks-section').allTextContents(), ['Text', 'Hex', 'Bits']);
  await ks.screenshot({ path: path.join(SCRATCH, 'keyspace-value-string.png') });
  await run(page, 'APPEND greeting " Bye"');
  await page.waitForFunction(() => document.querySelector('#keyspace .ks-value .ks-text')?.textContent === 'Hello, World! Bye');

  await row(page, 'scores').click();
  await waitForTable(page, [['0', 'Carol', '1.1000000000000001'], ['1', 'Bob', '87'], ['2', 'Alice', '95']]);
  assert.deepEqual(await ks.locator('.ks-value thead th').allTextContents(), ['rank', 'member', 'score']);
  await run(page, 'ZINCRBY scores 10 Bob');
  await waitForTable(page, [['0', 'Carol', '1.1000000000000001'], ['1', 'Alice', '95'], ['2', 'Bob', '97']]);
  await ks.screenshot({ path: path.join(SCRATCH, 'keyspace-value-zset.png') });

  await row(page, 'user:1').click();
  await waitForTable(page, [['name', 'Alice'], ['age', '30']]);
  assert.deepEqual(await ks.locator('.ks-value thead th').allTextContents(), ['field', 'value']);
  await run(page, 'HSET user:1 age 31 city Paris');
  await waitForTable(page, [['name', 'Alice'], ['age', '31'], ['city', 'Paris']]);
  assert.equal(await ks.locator('.ks-meta-size').textContent(), '3 fields');
  await ks.screenshot({ path: path.join(SCRATCH, 'keyspace-value-hash.png') });

  // Deleted: the pane says so; the key leaves the list.
  await run(page, 'DEL user:1');
  await page.waitForSelector('#keyspace .ks-value .ks-gone');
  await row(page, 'user:1').waitFor({ state: 'detached' });
  // A type change under the same name is shown as the new type.
  await run(page, 'SADD user:1 x');
  await waitForTable(page, [['x']]);
  assert.equal(await ks.locator('.ks-value .ks-badge').textContent(), 'set');
  assert.deepEqual(seen.errors, []);
});

test('a bitmap shows its bits, a HyperLogLog its estimate, a geo set its positions, a stream its entries', async (t) => {
  const { page, seen, ks } = await openPage(t);
  await run(page, 'SETBIT active 0 1');
  await run(page, 'SETBIT active 9 1');
  await run(page, 'SETBIT active 42 1');
  await run(page, 'PFADD visitors alice bob carol dave');
  await run(page, 'GEOADD stores 13.361389 38.115556 Palermo 15.087269 37.502669 Catania');
  await waitForKeys(page, ['active', 'stores', 'visitors']);

  await row(page, 'active').click();
  await page.waitForSelector('#keyspace .ks-value .ks-bits');
  // Binary: bits first. Six bytes, a row each, offsets 0, 8, …; bits 0, 9 and 42 marked.
  assert.deepEqual(await ks.locator('.ks-value .ks-section').allTextContents(), ['Bits', 'Text', 'Hex']);
  assert.deepEqual(await ks.locator('.ks-value .ks-bit-offset').allTextContents(), ['0', '8', '16', '24', '32', '40']);
  const set = await ks.locator('.ks-value .ks-bit.is-set').evaluateAll((els) => els.map((e) => e.title));
  assert.deepEqual(set, ['bit 0 = 1', 'bit 9 = 1', 'bit 42 = 1']);
  assert.match(await ks.locator('.ks-value .ks-note').first().textContent(), /^3 of 48 bits set \(BITCOUNT\)/);
  assert.equal(await ks.locator('.ks-value .ks-bit-row').first().getAttribute('aria-label'), 'bits 0–7: 0 set');
  await ks.screenshot({ path: path.join(SCRATCH, 'keyspace-value-bitmap.png') });
  await run(page, 'SETBIT active 1 1');
  await page.waitForFunction(() => document.querySelectorAll('#keyspace .ks-value .ks-bit.is-set').length === 4);

  await row(page, 'visitors').click();
  await page.waitForSelector('#keyspace .ks-value .ks-hll-count');
  assert.equal(await ks.locator('.ks-value .ks-hll-count').textContent(), '≈ 4');
  assert.equal(await ks.locator('.ks-value .ks-section').first().textContent(), 'HyperLogLog');
  assert.match(await ks.locator('.ks-value .ks-hll + .ks-note').textContent(), /^Sparse encoding/);
  await ks.screenshot({ path: path.join(SCRATCH, 'keyspace-value-hll.png') });
  await run(page, 'PFADD visitors erin');
  await page.waitForFunction(() => document.querySelector('#keyspace .ks-value .ks-hll-count')?.textContent === '≈ 5');

  await row(page, 'stores').click();
  await waitForTable(page, [
    ['0', 'Palermo', '13.36138933897018433\n38.11555639549629859'],
    ['1', 'Catania', '15.08726745843887329\n37.50266842333162032'],
  ]);
  assert.deepEqual(await ks.locator('.ks-value thead th').allTextContents(), ['rank', 'member', 'longitude / latitude']);
  await ks.screenshot({ path: path.join(SCRATCH, 'keyspace-value-geo.png') });

  await run(page, 'XADD orders 1700000000000-0 item book qty 1');
  await run(page, 'XADD orders 1700000000000-1 item "a pen" qty 2');
  await row(page, 'orders').click();
  await waitForTable(page, [
    ['1700000000000-0', 'item book\nqty 1'],
    ['1700000000000-1', 'item a pen\nqty 2'],
  ]);
  assert.equal(await ks.locator('.ks-value .ks-badge').textContent(), 'stream');
  assert.equal(await ks.locator('.ks-meta-size').textContent(), '2 entries');
  await run(page, 'XDEL orders 1700000000000-0');
  await waitForTable(page, [['1700000000000-1', 'item a pen\nqty 2']]);
  await ks.screenshot({ path: path.join(SCRATCH, 'keyspace-value-stream.png') });
  assert.deepEqual(seen.errors, []);
});

test('a big value is paged, and a big db is listed a page of keys at a time', async (t) => {
  const { page, ks } = await openPage(t);
  const members = Array.from({ length: 250 }, (_, i) => `m${i}`);
  await run(page, `RPUSH big ${members.join(' ')}`);
  const pairs = Array.from({ length: 450 }, (_, i) => `key:${i} ${i}`);
  await run(page, `MSET ${pairs.join(' ')}`);
  await page.waitForFunction(() => document.querySelector('#keyspace select.ks-db option').textContent === 'db0 (451)');

  // 200 keys at first; "load more" adds the rest in pages.
  await page.waitForFunction(() => document.querySelectorAll('#keyspace .ks-key').length >= 200);
  assert.ok(await ks.locator('.ks-key').count() < 451, 'not every key at once');
  assert.match(await ks.locator('.ks-count').textContent(), /^\d+ of 451 keys shown$/);
  const more = ks.getByRole('button', { name: /Load 200 more keys/ });
  while (await more.isVisible()) {
    const before = await ks.locator('.ks-key').count();
    await more.click();
    await page.waitForFunction((n) => document.querySelectorAll('#keyspace .ks-key').length > n, before);
  }
  await page.waitForFunction(() => document.querySelectorAll('#keyspace .ks-key').length === 451);
  assert.equal(await ks.locator('.ks-count').textContent(), '451 keys');
  assert.equal(await ks.locator('.ks-key').nth(0).getAttribute('data-key'), 'big');
  assert.equal(await ks.locator('.ks-key').nth(3).getAttribute('data-key'), 'key:2', 'natural order: key:2 before key:10');

  // The list value, 100 items a page.
  await row(page, 'big').click();
  await page.waitForFunction(() => document.querySelectorAll('#keyspace .ks-value tbody tr').length === 100);
  const range = ks.locator('.ks-pager-range');
  assert.equal(await range.textContent(), '1–100 of 250 items');
  const prev = ks.getByRole('button', { name: '‹ Previous' });
  const next = ks.getByRole('button', { name: 'Next ›' });
  assert.equal(await prev.isDisabled(), true);
  await next.click();
  assert.equal(await range.textContent(), '101–200 of 250 items');
  assert.deepEqual((await valueTable(page))[0], ['100', 'm100']);
  await next.click();
  assert.equal(await range.textContent(), '201–250 of 250 items');
  assert.equal(await next.isDisabled(), true);
  assert.equal((await valueTable(page)).length, 50);
  // The list shrinks under the last page: the pane goes to the new last page.
  await run(page, 'LTRIM big 0 149');
  await page.waitForFunction(() => document.querySelector('#keyspace .ks-pager-range')?.textContent === '101–150 of 150 items');
  await ks.screenshot({ path: path.join(SCRATCH, 'keyspace-paged.png') });
});

test('stored markup in names and values is shown as text, never as HTML', async (t) => {
  const { page, seen, ks } = await openPage(t);
  const payload = '<img src=x onerror=alert(1)>';
  await run(page, `SET x "${payload}"`);
  await run(page, `HSET "<b>h</b>" "<i>f</i>" "${payload}"`);
  await run(page, `RPUSH l "<script>alert(2)</script>"`);
  await run(page, 'SET bin "\\x00\\xff<svg onload=alert(3)>"');
  await waitForKeys(page, ['<b>h</b>', 'bin', 'l', 'x']);

  await row(page, 'x').click();
  await page.waitForFunction((p) => document.querySelector('#keyspace .ks-value .ks-text')?.textContent === p, payload);
  await row(page, '<b>h</b>').click();
  await waitForTable(page, [['<i>f</i>', payload]]);
  assert.equal(await ks.locator('.ks-value-key').textContent(), '<b>h</b>');
  await row(page, 'l').click();
  await waitForTable(page, [['0', '<script>alert(2)</script>']]);
  await row(page, 'bin').click();
  await page.waitForSelector('#keyspace .ks-value .ks-hex');
  assert.match(await ks.locator('.ks-value .ks-hex').textContent(), /^00 {2}00 ff 3c 73 /);
  assert.equal(await ks.locator('.ks-value .ks-text').textContent(), '\\x00\ufffd<svg onload=alert(3)>',
    'a control character shows as an escape, an invalid byte as U+FFFD');
  assert.equal(await ks.locator('.ks-value .ks-text .ks-escape').count(), 1);
  assert.ok((await ks.locator('.ks-value .ks-note').allTextContents()).some((n) => /^Not plain text/.test(n)));
  await ks.locator('.ks-value').screenshot({ path: path.join(SCRATCH, 'keyspace-binary.png') });

  await page.waitForFunction(() => true); // let any injected handler run its course
  assert.equal(await ks.locator('img, script, b, i, svg').count(), 0, 'no element was made from a stored value');
  assert.deepEqual(seen.dialogs, [], 'no dialog fired');
  assert.deepEqual(seen.errors, []);
});

test('keyboard alone: Tab order through the controls, type-ahead, and presenter mode', async (t) => {
  const { page, ks } = await openPage(t, { presenter: true });
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains('presenter')), true);
  await pauseWorld(page);
  await run(page, 'MSET alpha 1 beta 2 gamma 3');
  await run(page, 'HSET user:1 name Ada email ada@example.com');
  await run(page, 'SET session:9 x EX 90');
  await waitForKeys(page, ['alpha', 'beta', 'gamma', 'session:9', 'user:1']);

  // Tab walks the keyspace controls in reading order.
  await ks.locator('select.ks-db').focus();
  const order = [];
  for (let i = 0; i < 6; i++) {
    order.push(await page.evaluate(() => {
      const a = document.activeElement;
      return a.getAttribute('aria-label') || a.labels?.[0]?.textContent || a.textContent;
    }));
    if (i < 5) await page.keyboard.press('Tab');
  }
  assert.deepEqual(order, ['Database', 'Filter keys by pattern', 'Filter keys by type', 'List', 'Tree', 'Keys in db0']);

  // Type-ahead jumps; Enter selects; the value's scroll area is reachable.
  await page.keyboard.press('u');
  await page.keyboard.press('Enter');
  await waitForTable(page, [['name', 'Ada'], ['email', 'ada@example.com']]);
  await page.keyboard.press('s');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#keyspace .ks-value-key')?.textContent === 'session:9');
  await page.waitForFunction(() => document.querySelector('#keyspace .ks-meta-ttl').textContent === 'TTL 1m 30s');
  await page.keyboard.press('Home');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#keyspace .ks-value .ks-text')?.textContent === '1');
  // ↓ from the filter goes into the list.
  const filter = ks.locator('.ks-pattern');
  await filter.focus();
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('ks-list')), true);

  // Presenter mode's larger type reaches the keyspace view (its sizes are relative).
  const presenterSize = await ks.locator('.ks-key').first().evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  await page.evaluate(() => document.documentElement.classList.remove('presenter'));
  const normalSize = await ks.locator('.ks-key').first().evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  await page.evaluate(() => document.documentElement.classList.add('presenter'));
  assert.ok(presenterSize >= normalSize, `presenter ${presenterSize}px, normal ${normalSize}px`);
  await ks.screenshot({ path: path.join(SCRATCH, 'keyspace-presenter.png') });
});
