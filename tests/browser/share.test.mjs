// Share links in headless Chromium: the Share dialog makes a link from the console history or
// a lesson; opening it runs the commands in a fresh world, shown in the console, and the
// fragment goes; a learner with keys is asked first and can bring them back; malicious and
// broken links run nothing and show their lines as text only. No timing assertions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, env, screenshot } from './console-harness.mjs';
import { openPage, ready, run, side, keyCount } from './persist-harness.mjs';
import { encodeScenario, toBase64Url } from '../../www/js/share/codec.js';

useBrowser();

const stubClipboard = () => {
  window.__copied = [];
  Object.defineProperty(navigator, 'clipboard', { value: { writeText: async (s) => { window.__copied.push(String(s)); } }, configurable: true });
};

const notice = (page, id) => page.locator(`[data-notice="${id}"]`);
const echoes = (page) => page.locator('#output .entry .echo').allTextContents();

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

  // Somebody else opens it: a fresh browser, nothing saved → no question asked.
  const other = await openPage(t, { url });
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
  assert.equal(await other.page.evaluate(() => location.hash), '', 'the fragment is gone');
  assert.equal(await other.page.evaluate(() => location.href), `${env.baseUrl}`);
  // A reload does not run it again (and the world it made was saved).
  await other.page.reload();
  await ready(other.page);
  assert.equal(await other.page.locator('#output .entry .echo').count(), 0);
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
  // The replaced world is kept: bring it back.
  const previous = notice(page, 'previous-world');
  await previous.waitFor();
  assert.match(await previous.textContent(), /Your earlier playground \(2 keys\)/);
  await screenshot(page, 'share-previous-notice.png');
  await previous.locator('button', { hasText: 'Restore it' }).click();
  await previous.waitFor({ state: 'detached' });
  assert.equal(await side(page, 'GET mine'), '"1"');
  assert.equal(await side(page, 'EXISTS theirs'), '(integer) 0');
  assert.deepEqual(seen.errors, []);
});

test('a link pasted into an open tab runs too (hashchange)', async (t) => {
  const { page } = await openPage(t);
  const frag = await encodeScenario('SET pasted yes');
  await page.evaluate((f) => { location.hash = f.slice(1); }, frag);
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
    ['an unknown command with markup', await link('SET ok 1\n<script>window.__pwned=1</script>\nEVAL "return 1" 0'), /2 lines are not allowed/, ['line 2: <script>window.__pwned=1</script> — not a Redis command this playground knows', 'line 3: EVAL "return 1" 0 — not a Redis command this playground knows']],
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
