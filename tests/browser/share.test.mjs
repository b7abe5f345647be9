// Share links in headless Chromium: the Share dialog makes a link from the console history or
// a lesson; opening it runs the commands in a fresh world, shown in the console, and the
// fragment goes; a learner with keys is asked first and can bring them back; malicious and
// broken links run nothing and show their lines as text only. No timing assertions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, env, screenshot } from './console-harness.mjs';
import { openPage, ready, run, side, keyCount } from './persist-harness.mjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeScenario, toBase64Url } from '../../www/js/share/codec.js';
import { startServer } from '../../scripts/static-server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

useBrowser();

const stubClipboard = () => {
  window.__copied = [];
  Object.defineProperty(navigator, 'clipboard', { value: { writeText: async (s) => { window.__copied.push(String(s)); } }, configurable: true });
};

const notice = (page, id) => page.locator(`[data-notice="${id}"]`);
const echoes = (page) => page.locator('#output .entry .echo').allTextContents();

/** The page shows what a link will run and asks: press Run. */
async function accept(page) {
  const ask = page.locator('dialog.share-run-dialog');
  await ask.waitFor();
  await ask.locator('button', { hasText: 'Run' }).click();
}

async function link(text) {
  return env.baseUrl + await encodeScenario(text);
}

async function deflate(bytes) {
  const s = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(s).arrayBuffer());
}

test('Share makes a link from the history; opening it runs the commands in a fresh world and drops the fragment', async (t) => {
  const { page, seen } = await openPage(t, { init: [stubClipboard] });
  await run(page, 'SET greeting "Hello, World!"');
  await run(page, 'RPUSH queue job:1 job:2');
  await run(page, 'help @string'); // a console word: left out of links
  await run(page, 'HSET user:1 name Alice');
  await run(page, 'EXPIRE greeting 600');
  await page.locator('#share-button').click();
  const dialog = page.locator('dialog.share-dialog');
  await dialog.waitFor();
  const text = dialog.locator('textarea');
  assert.equal(await text.inputValue(), 'SET greeting "Hello, World!"\nRPUSH queue job:1 job:2\nHSET user:1 name Alice\nEXPIRE greeting 600');
  await page.waitForFunction(() => document.querySelector('.share-url')?.value.includes('#run='));
  assert.match(await dialog.locator('.share-status').textContent(), /^4 commands · \d+ characters\.$/);
  // "last N": the newest 2 shareable lines.
  await dialog.locator('.share-last').fill('2');
  assert.equal(await text.inputValue(), 'HSET user:1 name Alice\nEXPIRE greeting 600');
  await dialog.locator('.share-last').fill('20');
  await page.waitForFunction(() => document.querySelector('.share-status')?.textContent.startsWith('4 commands'));
  await screenshot(page, 'share-dialog.png');
  await dialog.locator('.share-copy').click();
  await dialog.locator('.share-copied', { hasText: 'Copied.' }).waitFor();
  const url = await page.evaluate(() => window.__copied[0]);
  assert.equal(url, await dialog.locator('.share-url').inputValue());
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/#run=[A-Za-z0-9_-]+$/);
  await dialog.locator('button', { hasText: 'Close' }).click();

  // Somebody else opens it: a fresh browser, nothing saved → shown what it runs, one click.
  const other = await openPage(t, { url });
  const ask = other.page.locator('dialog.share-run-dialog');
  await ask.waitFor();
  assert.match(await ask.textContent(), /This link runs 4 commands in a fresh world:/);
  assert.doesNotMatch(await ask.textContent(), /replaced/, 'nothing to replace');
  assert.equal(await ask.locator('.share-preview').textContent(), 'SET greeting "Hello, World!"\nRPUSH queue job:1 job:2\nHSET user:1 name Alice\nEXPIRE greeting 600');
  assert.equal(await other.page.evaluate(() => document.activeElement?.textContent), 'Run', 'Enter runs it');
  await other.page.keyboard.press('Enter');
  await notice(other.page, 'share').waitFor();
  assert.match(await notice(other.page, 'share').textContent(), /ran 4 commands in a fresh world/);
  assert.deepEqual(await echoes(other.page), [
    '127.0.0.1:6379> SET greeting "Hello, World!"',
    '127.0.0.1:6379> RPUSH queue job:1 job:2',
    '127.0.0.1:6379> HSET user:1 name Alice',
    '127.0.0.1:6379> EXPIRE greeting 600',
  ], 'the lines show in the console as if typed');
  assert.equal(await side(other.page, 'LRANGE queue 0 -1'), '1) "job:1"\n2) "job:2"');
  assert.equal(await side(other.page, 'HGET user:1 name'), '"Alice"');
  assert.equal(await run(other.page, 'GET greeting'), '"Hello, World!"', 'the keyboard is in the console');
  assert.equal(await other.page.evaluate(() => location.hash), '', 'the fragment is gone');
  assert.equal(await other.page.evaluate(() => location.href), `${env.baseUrl}`);
  // A reload does not run it again (and the world it made was saved).
  await other.page.reload();
  await ready(other.page);
  assert.equal(await other.page.locator('#output .entry:not(.restored) .echo').count(), 0, 'nothing ran again');
  assert.equal(await other.page.locator('#output .entry.restored .echo').count(), 5, 'the transcript is back, as text');
  assert.equal(await keyCount(other.page), 3);
  assert.deepEqual(seen.errors, []);
  assert.deepEqual(other.seen.errors, []);
  assert.deepEqual(other.seen.dialogs, []);
});

test('a learner with keys is asked; Cancel keeps them, Run replaces them and they can come back', async (t) => {
  const { page, seen } = await openPage(t);
  await run(page, 'SET mine 1');
  await run(page, 'SADD myset a b');
  const url = await link('SET theirs 2\nINCR theirs');
  await page.goto(url);
  await ready(page);
  const ask = page.locator('dialog.share-run-dialog');
  await ask.waitFor();
  assert.match(await ask.textContent(), /This link runs 2 commands in a fresh world; your current keys \(2\) will be replaced\./);
  assert.equal(await ask.locator('.share-preview').textContent(), 'SET theirs 2\nINCR theirs');
  await screenshot(page, 'share-run-dialog.png');
  await ask.locator('button', { hasText: 'Cancel' }).click();
  await notice(page, 'share').waitFor();
  assert.equal(await keyCount(page), 2, 'Cancel runs nothing');
  assert.equal(await side(page, 'EXISTS theirs'), '(integer) 0');
  assert.equal(await page.evaluate(() => location.hash), '');

  await page.goto(url);
  await ready(page);
  await ask.waitFor();
  await ask.locator('button', { hasText: 'Run' }).click();
  await page.waitForFunction(() => /ran 2 commands/.test(document.querySelector('[data-notice="share"]')?.textContent ?? ''));
  assert.equal(await side(page, 'GET theirs'), '"3"');
  assert.equal(await side(page, 'EXISTS mine'), '(integer) 0', 'a fresh world');
  // The replaced world is kept: bring it back (the link's world is kept in its turn).
  const kept = notice(page, 'kept-world');
  await kept.waitFor();
  assert.match(await kept.textContent(), /Your earlier playground \(2 keys\), saved at .*, before you ran a shared link, is kept under Data → Kept playgrounds/);
  await screenshot(page, 'share-kept-notice.png');
  await kept.locator('button', { hasText: 'Restore it' }).click();
  await kept.waitFor({ state: 'detached' });
  assert.equal(await side(page, 'GET mine'), '"1"');
  assert.equal(await side(page, 'EXISTS theirs'), '(integer) 0');
  assert.equal(await page.evaluate(() => window.redisPlayground.persistence.keptCount()), 1, 'the link\'s world is kept now');
  assert.deepEqual(seen.errors, []);
});

test('a link pasted into an open tab runs too (hashchange)', async (t) => {
  const { page } = await openPage(t);
  const frag = await encodeScenario('SET pasted yes');
  await page.evaluate((f) => { location.hash = f.slice(1); }, frag);
  await accept(page);
  await page.waitForFunction(() => document.querySelector('[data-notice="share"]'));
  assert.equal(await side(page, 'GET pasted'), '"yes"');
  assert.equal(await page.evaluate(() => location.hash), '');
});

test('the Share dialog takes a lesson\'s commands, and says what cannot be shared', async (t) => {
  const { page } = await openPage(t);
  await page.locator('#share-button').click();
  const dialog = page.locator('dialog.share-dialog');
  await dialog.waitFor();
  await page.waitForFunction(() => document.querySelectorAll('#share-source option').length > 1);
  await dialog.locator('#share-source').selectOption('lesson:caching');
  await page.waitForFunction(() => document.querySelector('.share-text')?.value.startsWith('GET cache:user:42'));
  assert.match(await dialog.locator('textarea').inputValue(), /SET cache:user:42 .* EX 300/);
  // Edit it: a refused line is left out and listed; an empty text has no link.
  await dialog.locator('textarea').fill('SET a 1\nBLPOP q 0\n<b>bold</b>');
  await page.waitForFunction(() => /left out/.test(document.querySelector('.share-status')?.textContent ?? ''));
  assert.match(await dialog.locator('.share-status').textContent(), /1 command · .* 2 lines cannot be shared and are left out/);
  assert.deepEqual(await dialog.locator('.share-refused li').allTextContents(), [
    'BLPOP q 0 — a blocking command (it would wait for data)',
    '<b>bold</b> — not a Redis command this playground knows',
  ]);
  assert.equal(await dialog.locator('.share-refused b').count(), 0, 'as text');
  const url = await dialog.locator('.share-url').inputValue();
  await dialog.locator('textarea').fill('');
  await page.waitForFunction(() => document.querySelector('.share-url')?.value === '');
  assert.equal(await dialog.locator('.share-copy').isDisabled(), true);
  await page.keyboard.press('Escape');
  const other = await openPage(t, { url });
  await accept(other.page);
  await notice(other.page, 'share').waitFor();
  assert.deepEqual(await echoes(other.page), ['127.0.0.1:6379> SET a 1']);
});

test('HTML and script in a link\'s values are run as Redis data and shown as text', async (t) => {
  const url = await link([
    'SET x "<img src=x onerror=window.__pwned=1>"',
    'ECHO "<script>window.__pwned=2</script>"',
    'HSET h "<b>f</b>" "<iframe src=javascript:alert(1)>"',
    'HGETALL h',
  ].join('\n'));
  const { page, seen } = await openPage(t, { url });
  await accept(page);
  await notice(page, 'share').waitFor();
  const out = await page.locator('#output').textContent();
  assert.ok(out.includes('"<script>window.__pwned=2</script>"'));
  assert.ok(out.includes('<iframe src=javascript:alert(1)>'));
  assert.equal(await page.locator('#output img, #output script, #output iframe, #output b, [data-notice] img').count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await side(page, 'GET x'), '"<img src=x onerror=window.__pwned=1>"');
  assert.deepEqual(seen.dialogs, []);
  assert.deepEqual(seen.errors, []);
});

test('malicious and broken links run nothing and say why, as text', async (t) => {
  const enc = new TextEncoder();
  const cases = [
    ['an unknown command with markup', await link('SET ok 1\n<script>window.__pwned=1</script>\nEVALX "return 1" 0'), /2 lines are not allowed/, ['line 2: <script>window.__pwned=1</script> — not a Redis command this playground knows', 'line 3: EVALX "return 1" 0 — not a Redis command this playground knows']],
    ['a blocking command', await link('BLPOP jobs 0'), /1 line is not allowed/, ['line 1: BLPOP jobs 0 — a blocking command (it would wait for data)']],
    ['SUBSCRIBE, MONITOR, QUIT', await link('SUBSCRIBE a\nMONITOR\nQUIT'), /3 lines are not allowed/, null],
    ['too long', `${env.baseUrl}#run=${'A'.repeat(9000)}`, /too long \(9,005 characters; the limit is 8,000\)/, null],
    ['not base64', `${env.baseUrl}#run=<img src=x onerror=alert(1)>`, /not base64url/, null],
    ['not deflate', `${env.baseUrl}#run=${toBase64Url(enc.encode('SET a 1'))}`, /does not decompress/, null],
    ['a zip bomb', `${env.baseUrl}#run=${toBase64Url(await deflate(new Uint8Array(1 << 20).fill(0x41)))}`, /too large \(over 64 KB\)/, null],
    ['too many lines', await link(Array.from({ length: 201 }, (_, i) => `SET k${i} v`).join('\n')), /201 commands; the limit is 200/, null],
  ];
  for (const [name, url, why, details] of cases) {
    const { page, seen } = await openPage(t, { url });
    const n = notice(page, 'share');
    await n.waitFor();
    const text = await n.locator('.notice-text').textContent();
    assert.match(text, /^This link was not run: /, name);
    assert.match(text, why, name);
    if (details) assert.deepEqual(await n.locator('.notice-details li').allTextContents(), details, name);
    assert.equal(await keyCount(page), 0, `${name}: nothing ran`);
    assert.equal(await page.locator('#output .entry .echo').count(), 0, `${name}: nothing typed`);
    assert.equal(await page.locator('[data-notice] script, [data-notice] img').count(), 0);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.evaluate(() => location.hash), '', `${name}: the fragment is gone`);
    assert.equal(await run(page, 'PING'), 'PONG', `${name}: the console works`);
    if (name === 'an unknown command with markup') await screenshot(page, 'share-refused.png');
    assert.deepEqual(seen.dialogs, [], name);
    assert.deepEqual(seen.errors, [], name);
  }
});

test('two links in a row: each replaced world is kept, listed under Data, restorable and deletable', async (t) => {
  const { page, seen } = await openPage(t);
  await run(page, 'SET mine 1');
  await run(page, 'SET mine:too 2');
  for (const [n, key] of [[1, 'first'], [2, 'second']]) {
    // The second is a same-document navigation (only the fragment changes): hashchange.
    await page.goto(await link(`SET ${key} ${n}`));
    await ready(page);
    await accept(page);
    await page.waitForFunction((k) => window.redisPlayground.engine.sideExec(`EXISTS ${k}`) === '(integer) 1', key);
    assert.equal(await page.evaluate(() => window.redisPlayground.persistence.keptCount()), n);
  }
  // Both are still there after a reload, in the store, newest first.
  await page.reload();
  await ready(page);
  await page.locator('#data-menu summary').click();
  const item = page.locator('#kept-button');
  assert.equal((await item.textContent()).trim(), '⧉ Kept playgrounds (2)…');
  await item.click();
  const dialog = page.locator('dialog.kept-dialog');
  await dialog.locator('.kept-item').nth(1).waitFor();
  const lines = await dialog.locator('.kept-line').allTextContents();
  assert.match(lines[0], /^saved at .* · 1 key · before you ran a shared link$/, 'the first link\'s world');
  assert.match(lines[1], /^saved at .* · 2 keys · before you ran a shared link$/, 'the learner\'s own');
  await screenshot(page, 'kept-playgrounds.png');
  // Bring the learner's own back: the current one (the second link's) is kept in its turn.
  await dialog.locator('.kept-item').nth(1).locator('button', { hasText: 'Restore' }).click();
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await side(page, 'GET mine'), '"1"');
  assert.equal(await side(page, 'EXISTS second'), '(integer) 0');
  assert.equal(await page.evaluate(() => window.redisPlayground.persistence.keptCount()), 2);
  // Delete one.
  await page.locator('#data-menu summary').click();
  await item.click();
  await dialog.locator('.kept-item').nth(1).waitFor();
  await dialog.locator('.kept-item').first().locator('button', { hasText: 'Delete' }).click();
  await page.waitForFunction(() => document.querySelectorAll('dialog.kept-dialog .kept-item').length === 1);
  assert.match(await dialog.locator('.kept-line').first().textContent(), /1 key/);
  await page.keyboard.press('Escape');
  assert.equal(await page.evaluate(() => window.redisPlayground.persistence.keptCount()), 1);
  assert.deepEqual(seen.errors, []);
});

test('a link that would multiply its data runs within a memory budget and says so', async (t) => {
  const url = await link('RPUSH l 1\n100 SORT l BY nosort GET # GET # STORE l\nLLEN l');
  const { page, seen } = await openPage(t, { url });
  const before = await page.evaluate(() => window.redisPlayground.engine.memoryUsed());
  await accept(page);
  const n = notice(page, 'share');
  await page.waitForFunction(() => /refused with Redis's OOM error/.test(document.querySelector('[data-notice="share"]')?.textContent ?? ''), null, { timeout: 120_000 });
  assert.match(await n.textContent(), /it ran 3 commands in a fresh world, shown in the console\. \d+ commands? (was|were) refused with Redis's OOM error: a shared link may make the playground hold at most 64 MiB more\./);
  const len = Number((await side(page, 'LLEN l')).replace('(integer) ', ''));
  assert.ok(len >= 1 << 16 && len < 1 << 23, `LLEN ${len}`);
  const used = await page.evaluate(() => window.redisPlayground.engine.memoryUsed());
  assert.ok(used - before < 160 * 1024 * 1024, `the engine grew by ${used - before} bytes`);
  // The usual ceiling is back: the learner can go on writing.
  assert.equal(await run(page, 'SET after 1'), 'OK', 'typed: the console has the keyboard');
  assert.deepEqual(seen.errors, []);
});

test('framed by another page: the headers refuse it, and without them the page runs no link', async (t) => {
  const fragment = new URL(await link('SET framed 1')).hash;
  // A host that sends no headers, serving the playground; and another site (another port).
  const bare = await startServer({ root: path.join(ROOT, 'www'), port: 0, securityHeaders: false });
  t.after(() => new Promise((resolve) => bare.server.close(resolve)));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'framer-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const framing = (src) => `<!doctype html><title>another site</title><iframe src="${src}" width="900" height="600"></iframe>`;
  fs.writeFileSync(path.join(dir, 'headers.html'), framing(env.baseUrl + fragment));
  fs.writeFileSync(path.join(dir, 'bare.html'), framing(bare.url + fragment));
  const other = await startServer({ root: dir, port: 0, securityHeaders: false });
  t.after(() => new Promise((resolve) => other.server.close(resolve)));

  // With the server's headers the browser shows nothing of the playground in the frame.
  const { page } = await openPage(t, { wait: false, url: `${other.url}headers.html` });
  const blocked = await (await page.waitForSelector('iframe')).contentFrame();
  await blocked.waitForLoadState('load');
  assert.equal(await blocked.locator('#input').count(), 0, 'the playground did not load in the frame');

  // From the host without headers, the page loads in the frame but runs no link.
  await page.goto(`${other.url}bare.html`);
  const inner = await (await page.waitForSelector('iframe')).contentFrame();
  await inner.waitForSelector('[data-notice="share"]', { timeout: 20_000 });
  assert.match(await inner.locator('[data-notice="share"]').textContent(), /This link was not run: this page is inside a frame/);
  assert.equal(await inner.locator('dialog.share-run-dialog').count(), 0);
  assert.equal(await inner.evaluate(() => window.redisPlayground.engine.sideExec('EXISTS framed')), '(integer) 0');
});
