// Tier 4: the page in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core),
// served by scripts/static-server.mjs on a free loopback port. Needs www/pkg/ from scripts/build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { useBrowser, env, frames } from './console-harness.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// The README's picture (committed) is refreshed only on request, so a test run leaves the
// tree clean: README_SCREENSHOT=1 node --test tests/browser/page.test.mjs
const SCREENSHOT = process.env.README_SCREENSHOT
  ? path.join(ROOT, 'screenshots', 'console.png')
  : path.join(ROOT, 'screenshots', 'tmp', 'console.png');
const SCRATCH = path.join(ROOT, 'screenshots', 'tmp'); // ignored by git: more pictures to look at

useBrowser();

/** A fresh page on the console, with every request, dialog and page error recorded. */
async function openConsole(t, { viewport = { width: 1100, height: 720 } } = {}) {
  const context = await env.browser.newContext({ viewport });
  t.after(() => context.close());
  const page = await context.newPage();
  const seen = { requests: [], dialogs: [], errors: [] };
  page.on('request', (r) => seen.requests.push(r.url()));
  page.on('dialog', (d) => { seen.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') seen.errors.push(m.text()); });
  await page.goto(env.baseUrl);
  await page.waitForSelector('#input:not([disabled])', { timeout: 20_000 });
  return { page, seen };
}

/** Type a line into the console and press Enter; returns the text of that line's result. */
async function run(page, line) {
  const before = await page.locator('#output .entry').count();
  await page.locator('#input').pressSequentially(line);
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => document.querySelectorAll('#output .entry').length > n, before);
  return page.locator('#output .entry').last().evaluate((e) => e.querySelector('.result')?.textContent ?? '');
}

const promptText = (page) => page.locator('#prompt').textContent();

test('the console runs commands and shows replies and the prompt like redis-cli', async (t) => {
  const { page, seen } = await openConsole(t);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'input', 'the input has focus on load');
  assert.equal(await promptText(page), '127.0.0.1:6379> ');
  const welcome = await page.locator('#output').textContent();
  assert.match(welcome, /SET greeting "Hello, World!"/);
  assert.match(welcome, /help @string/);

  assert.equal(await run(page, 'SET a 1'), 'OK');
  assert.equal(await run(page, 'GET a'), '"1"');
  assert.equal(await run(page, 'SELECT 2'), 'OK');
  assert.equal(await promptText(page), '127.0.0.1:6379[2]> ');
  assert.equal(await run(page, 'GET a'), '(nil)', 'db 2 is a different keyspace');
  assert.equal(await run(page, 'MULTI'), 'OK');
  assert.equal(await promptText(page), '127.0.0.1:6379[2](TX)> ');
  assert.equal(await run(page, 'DISCARD'), 'OK');
  assert.equal(await run(page, 'SET a "unbalanced'), 'Invalid argument(s)');

  const echo = await page.locator('#output .entry').last().locator('.echo').textContent();
  assert.equal(echo, '127.0.0.1:6379[2]> SET a "unbalanced', 'each entry echoes its prompt and line');
  const output = await page.locator('#output').textContent();
  for (const s of ['OK', '"1"', '[2]']) assert.ok(output.includes(s), `output shows ${s}`);

  // The transcript follows the newest line.
  for (let i = 0; i < 25; i++) await run(page, `ECHO line${i}`);
  const scrolled = await page.locator('#screen').evaluate((o) => o.scrollHeight - o.scrollTop - o.clientHeight);
  assert.ok(scrolled <= 2, `the console is scrolled to the bottom (${scrolled}px left)`);

  assert.deepEqual(seen.dialogs, []);
  assert.deepEqual(seen.errors, []);
});

test('stored markup is shown as text, never as HTML', async (t) => {
  const { page, seen } = await openConsole(t);
  const payload = '<img src=x onerror=alert(1)>';
  assert.equal(await run(page, `SET x "${payload}"`), 'OK');
  assert.equal(await run(page, 'GET x'), `"${payload}"`);
  assert.equal(await run(page, `ECHO "<script>alert(2)</script>"`), '"<script>alert(2)</script>"');
  await frames(page); // an injected onerror would have fired by now
  assert.equal(await page.locator('#output img, #output script').count(), 0, 'no element was created from a value');
  assert.equal(await page.locator('img').count(), 0);
  assert.deepEqual(seen.dialogs, [], 'no dialog fired');
  assert.ok((await page.locator('#output').textContent()).includes(payload), 'the value is displayed literally');
});

test('↑ and ↓ walk the history; clear and Ctrl+L empty the screen', async (t) => {
  const { page } = await openConsole(t);
  await run(page, 'SET h1 one');
  await run(page, 'GET h1');
  const input = page.locator('#input');
  await input.pressSequentially('draft');
  await page.keyboard.press('ArrowUp');
  assert.equal(await input.inputValue(), 'GET h1');
  await page.keyboard.press('ArrowUp');
  assert.equal(await input.inputValue(), 'SET h1 one');
  await page.keyboard.press('ArrowDown');
  assert.equal(await input.inputValue(), 'GET h1');
  await page.keyboard.press('ArrowDown');
  assert.equal(await input.inputValue(), 'draft', '↓ past the newest line gives back the draft');
  await input.fill('');

  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#output .entry:last-child .result')?.textContent === '"one"');

  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('redis-playground:console:history')));
  assert.deepEqual(stored.slice(-2), ['SET h1 one', 'GET h1'], 'history is kept in localStorage (repeats collapsed)');

  await input.pressSequentially('clear');
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('#output .entry').count(), 0, 'clear empties the output');
  await run(page, 'PING');
  assert.equal(await page.locator('#output .entry').count(), 1);
  await page.keyboard.press('Control+l');
  assert.equal(await page.locator('#output .entry').count(), 0, 'Ctrl+L empties the output');

  // A reload keeps the history.
  await page.reload();
  await page.waitForSelector('#input:not([disabled])');
  await page.keyboard.press('ArrowUp');
  assert.equal(await input.inputValue(), 'PING');
});

test('HELP renders redis-cli\'s ANSI escapes as styled text', async (t) => {
  const { page, seen } = await openConsole(t);
  const text = await run(page, 'help get');
  assert.match(text, /GET key/);
  assert.match(text, /summary:/);
  assert.doesNotMatch(text, /[\x1b\r]|\[\d+m/, 'no raw escape characters');
  const result = page.locator('#output .entry').last().locator('.result');
  assert.ok(await result.locator('.ansi-bold').count() > 0, 'bold spans');
  assert.ok(await result.locator('.ansi-yellow').count() > 0, 'yellow spans');
  const all = await page.locator('#output').textContent();
  assert.doesNotMatch(all, /\x1b/);
  assert.deepEqual(seen.errors, []);
});

test('the page loads nothing from another origin, and a screenshot is taken', async (t) => {
  const { page, seen } = await openConsole(t, { viewport: { width: 1440, height: 900 } });
  for (const line of ['SELECT 1', 'SET greeting "Hello, World!"', 'GET greeting', 'SET session:42 alice EX 300',
    'HSET user:1 name Alice email alice@example.com visits 3', 'HGETALL user:1',
    'ZADD leaderboard 95 Alice 87 Bob 78 Carol', 'ZREVRANGE leaderboard 0 -1 WITHSCORES', '3 INCR page:views']) {
    await run(page, line);
  }
  // The HGETALL reply as a table; a partly typed line shows its colours and hint.
  await page.locator('#output .entry', { hasText: 'HGETALL user:1' }).locator('.tool-table').click();
  assert.equal(await promptText(page), '127.0.0.1:6379[1]> ');
  await page.locator('#input').pressSequentially('ZINCRBY leaderboard ');
  await page.mouse.move(0, 0);
  // The keyspace pane shows db 1's five keys.
  await page.waitForFunction(() => document.querySelector('#keyspace .ks-db')?.value === '1'
    && document.querySelectorAll('#keyspace .ks-key').length === 5);

  const origin = new URL(env.baseUrl).origin;
  const foreign = seen.requests.filter((u) => !u.startsWith(origin + '/') && !u.startsWith('data:'));
  assert.deepEqual(foreign, [], 'every request stays on the page\'s own origin');
  assert.ok(seen.requests.some((u) => u.endsWith('.wasm')), 'the wasm module was fetched from the server');

  fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT });
  assert.ok(fs.statSync(SCREENSHOT).size > 10_000);
  assert.deepEqual(seen.errors, []);
});

test('the page fits a phone screen', async (t) => {
  const { page } = await openConsole(t, { viewport: { width: 390, height: 780 } });
  assert.equal(await run(page, 'SET phone 1'), 'OK');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling (${overflow}px)`);
  fs.mkdirSync(SCRATCH, { recursive: true });
  await page.screenshot({ path: path.join(SCRATCH, 'phone.png') });
});
