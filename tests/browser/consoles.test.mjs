// Several consoles, each a separate client of the same server (issue 6): a queue worker
// blocked in BLPOP until another console pushes, WATCH failing because another client
// wrote the key, SUBSCRIBE/PUBLISH across consoles, MONITOR, CLIENT KILL, closing a console.
// No timing assertions: every wait is for a state the page reaches, and the world clock is
// paused (a wait's "(0.52s)" line, a timeout) unless a test moves it on itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useBrowser, openConsole, screenshot, pauseWorld, advanceWorld, sel, view, typeIn, runIn, lastResultIn,
  twoConsoles as twoConsolesOpen,
} from './console-harness.mjs';

useBrowser();

const type = typeIn;
const run = runIn;
const lastResult = lastResultIn;

/** Wait until console n's newest entry's result is `text` (a string, or a RegExp source to match). */
function resultIs(page, n, text) {
  const source = text instanceof RegExp ? text.source : null;
  return page.waitForFunction(([out, t, re]) => {
    const entries = document.querySelectorAll(`${out} .entry`);
    const got = entries[entries.length - 1]?.querySelector('.result')?.textContent;
    return re ? new RegExp(re).test(got ?? '') : got === t;
  }, [sel(n, 'output'), source ? null : text, source]);
}

/** A timed-out blocking command: (nil), then redis-cli's "(N.NNs)" for a command that took 0.5 s or more. */
const TIMED_OUT = /^\(nil\)\n?\(\d+\.\d\ds\)$/;

const prompt = (page, n) => page.locator(sel(n, 'prompt')).textContent();
const waitPrompt = (page, n, text) => page.waitForFunction(([p, t]) => document.querySelector(p)?.textContent === t, [sel(n, 'prompt'), text]);

/** Whether an element takes room on the screen (a waiting console's input line shrinks to 1px, kept for Ctrl+C). */
async function onScreen(locator) {
  const box = await locator.boundingBox();
  return Boolean(box && box.width > 1 && box.height > 1);
}

/** Two consoles side by side, the world paused (the harness's), Split checked on. */
async function twoConsoles(t, options = {}) {
  const opened = await twoConsolesOpen(t, options);
  assert.equal(await opened.page.locator('.console-split').getAttribute('aria-pressed'), 'true');
  return opened;
}

test('BLPOP in one console waits, visibly, until RPUSH in the other gives it the element', async (t) => {
  const { page, seen } = await twoConsoles(t);
  assert.equal(await page.locator('#console.split').count(), 1, 'Split shows two consoles');
  assert.ok(await page.locator(view(1)).isVisible() && await page.locator(view(2)).isVisible(), 'side by side');
  const tabs = await page.locator('.console-tab-button').allTextContents();
  assert.deepEqual(tabs, ['1 · id 1', '2 · id 2'], 'each tab is named by its number and client id');
  assert.equal(await run(page, 2, 'CLIENT ID'), '(integer) 2', 'the second console is another client');
  assert.equal(await run(page, 1, 'CLIENT ID'), '(integer) 1');

  await type(page, 1, 'BLPOP jobs 0');
  const waiting = page.locator(`${view(1)} .waiting`);
  await waiting.waitFor({ state: 'visible' });
  assert.match(await waiting.textContent(), /waiting for BLPOP jobs…/);
  assert.match(await waiting.textContent(), /Ctrl\+C to cancel/);
  assert.equal(await page.locator(`${view(1)} .waiting-cancel`).isVisible(), true, 'a Cancel button');
  assert.equal(await onScreen(page.locator('#input-form')), false, 'the input line gave way to the waiting state');
  assert.equal(await prompt(page, 1), '', 'no prompt while it waits');
  assert.equal(await page.locator('#input').evaluate((i) => i.readOnly), true, 'and takes no commands');
  assert.equal(await page.locator('.console-tab').first().getAttribute('data-mode'), 'blocked', 'the tab shows it waits');
  assert.equal(await page.evaluate(() => window.redisPlayground.console.mode()), 'blocked', 'the API forwards to the active console');
  // Enter does nothing while it waits.
  const entries = await page.locator('#output .entry').count();
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('#output .entry').count(), entries);
  await screenshot(page, 'consoles-split-blocked.png');

  assert.equal(await run(page, 2, 'RPUSH jobs job:1'), '(integer) 1');
  await page.waitForFunction(() => document.querySelector('#prompt').textContent === '127.0.0.1:6379> ');
  const answer = await lastResult(page, 1);
  assert.equal(answer, '1) "jobs"\n2) "job:1"', 'the answer is printed under the BLPOP line');
  const echo = await page.locator('#output .entry').last().locator('.echo').textContent();
  assert.equal(echo, '127.0.0.1:6379> BLPOP jobs 0');
  assert.equal(await waiting.isVisible(), false);
  assert.equal(await onScreen(page.locator('#input-form')), true, 'the input line is back');
  assert.equal(await run(page, 1, 'LLEN jobs'), '(integer) 0', 'the element was popped, by console 1');
  await screenshot(page, 'consoles-split-unblocked.png');
  assert.deepEqual(seen.errors, []);
});

test('XREAD BLOCK on $ in one console waits until XADD in the other, and gets that entry', async (t) => {
  const { page, seen } = await twoConsoles(t);
  assert.equal(await run(page, 2, 'XADD orders 1-1 item book'), '"1-1"');
  await type(page, 1, 'XREAD BLOCK 0 STREAMS orders $');
  const waiting = page.locator(`${view(1)} .waiting`);
  await waiting.waitFor({ state: 'visible' });
  assert.match(await waiting.textContent(), /waiting for XREAD orders…/);
  assert.equal(await run(page, 2, 'XADD orders 2-1 item pen'), '"2-1"');
  await page.waitForFunction(() => document.querySelector('#prompt').textContent === '127.0.0.1:6379> ');
  assert.equal(await lastResult(page, 1), '1) 1) "orders"\n   2) 1) 1) "2-1"\n         2) 1) "item"\n            2) "pen"',
    'only the entry added after it started waiting');
  await screenshot(page, 'consoles-xread-unblocked.png');
  assert.deepEqual(seen.errors, []);
});

test('XREADGROUP BLOCK in one console is served by XADD in the other; the keyspace view shows the group and its pending entry', async (t) => {
  const { page, seen } = await twoConsoles(t);
  assert.equal(await run(page, 2, 'XGROUP CREATE jobs workers $ MKSTREAM'), 'OK');
  await type(page, 1, 'XREADGROUP GROUP workers w1 BLOCK 0 STREAMS jobs >');
  const waiting = page.locator(`${view(1)} .waiting`);
  await waiting.waitFor({ state: 'visible' });
  assert.match(await waiting.textContent(), /waiting for XREADGROUP jobs…/);
  assert.equal(await run(page, 2, 'XADD jobs 1-1 task email'), '"1-1"');
  await resultIs(page, 1, '1) 1) "jobs"\n   2) 1) 1) "1-1"\n         2) 1) "task"\n            2) "email"');
  assert.equal(await run(page, 2, 'XPENDING jobs workers'), '1) (integer) 1\n2) "1-1"\n3) "1-1"\n4) 1) 1) "w1"\n      2) "1"',
    'the entry is pending for w1 until it is acknowledged');
  // The keyspace view: the stream's entries, then its group, consumer and pending entry.
  await page.locator('#keyspace .ks-key[data-key="jobs"]').click();
  const group = page.locator('#keyspace .ks-group');
  await group.waitFor({ state: 'visible' });
  assert.equal(await group.locator('.ks-group-name').textContent(), 'workers');
  assert.match(await group.locator('.ks-note').first().textContent(), /Last delivered 1-1 · entries read 1 · lag 0/);
  const pendingRow = group.locator('.ks-table-pending tbody tr');
  assert.equal(await pendingRow.count(), 1);
  await advanceWorld(page, 5000);
  await page.waitForFunction(() => document.querySelector('#keyspace .ks-table-pending tbody tr .ks-col-idle')?.textContent === '5 s');
  assert.deepEqual(await pendingRow.locator('th, td').allTextContents(), ['1-1', 'w1', '5 s', '1'], 'id, owner, idle, tries');
  await screenshot(page, 'stream-group-keyspace.png');
  assert.equal(await run(page, 2, 'XACK jobs workers 1-1'), '(integer) 1');
  await page.waitForFunction(() => /Nothing pending/.test(document.querySelector('#keyspace .ks-group')?.textContent ?? ''));
  assert.deepEqual(seen.errors, []);
});

test('maxmemory with allkeys-lru: the keyspace view says which keys were evicted, and why', async (t) => {
  const { page, seen } = await twoConsoles(t);
  for (const line of ['CONFIG SET maxmemory 876500', 'CONFIG SET maxmemory-policy allkeys-lru',
    'MSET cache:user:1 Alice cache:user:2 Bob cache:user:3 Carol cache:user:4 Dave']) assert.equal(await run(page, 1, line), 'OK');
  await advanceWorld(page, 30000);
  assert.equal(await run(page, 1, 'GET cache:user:1'), '"Alice"');
  for (const line of ['MSET cache:user:5 Eve cache:user:6 Frank', 'SET cache:user:7 Grace', 'SET cache:user:8 Heidi']) {
    assert.equal(await run(page, 1, line), 'OK');
  }
  assert.equal(await run(page, 2, 'DBSIZE'), '(integer) 6', 'another client sees the same evictions');
  const note = page.locator('#keyspace .ks-evicted');
  await note.waitFor({ state: 'visible' });
  const text = await note.textContent();
  assert.match(text, /^Evicted \(maxmemory-policy allkeys-lru\): cache:user:[234] idle longest \(30 s\) · cache:user:[234] idle longest \(30 s\)$/);
  assert.doesNotMatch(text, /cache:user:1\b/, 'the key read recently stays');
  await screenshot(page, 'keyspace-evicted.png');
  assert.equal(await run(page, 1, 'CONFIG SET maxmemory 0'), 'OK');
  assert.deepEqual(seen.errors, []);
});

test('Cancel or Ctrl+C ends a wait; a timeout on the world clock ends it in (nil)', async (t) => {
  const { page, seen } = await twoConsoles(t);
  // Ctrl+C.
  await type(page, 1, 'BLPOP q 0');
  await page.locator(`${view(1)} .waiting`).waitFor({ state: 'visible' });
  await page.keyboard.press('Control+c');
  await waitPrompt(page, 1, '127.0.0.1:6379> ');
  assert.match(await page.locator('#output .entry').last().textContent(), /\^C: the connection closed; reconnected as client id 3/);
  assert.equal(await run(page, 2, 'RPUSH q later'), '(integer) 1');
  assert.equal(await run(page, 2, 'LRANGE q 0 -1'), '1) "later"', 'nobody took it: the wait had ended');
  // The Cancel button, in the other console.
  await type(page, 2, 'BLPOP nothing 0');
  await page.locator(`${view(2)} .waiting-cancel`).click();
  await waitPrompt(page, 2, '127.0.0.1:6379> ');
  assert.equal(await run(page, 2, 'CLIENT ID'), '(integer) 4', 'console 2 connected again');
  assert.equal(await page.locator('.console-tab-button').nth(1).textContent(), '2 · id 4', 'its tab follows its client id');

  // BLPOP q2 5, then five seconds of world time: the wait counts down and times out.
  await type(page, 1, 'BLPOP q2 5');
  const waiting = page.locator(`${view(1)} .waiting-detail`);
  assert.equal(await waiting.textContent(), 'times out in 5.0 s (world clock)');
  await advanceWorld(page, 3_500);
  await page.waitForFunction(() => document.querySelector('#console-view-1 .waiting-detail').textContent === 'times out in 1.5 s (world clock)');
  await advanceWorld(page, 2_000);
  await resultIs(page, 1, TIMED_OUT);
  await waitPrompt(page, 1, '127.0.0.1:6379> ');
  assert.deepEqual(seen.errors, []);
});

test('the header clock steps to a blocked command\'s timeout', async (t) => {
  const { page, seen } = await twoConsoles(t);
  await page.waitForFunction(() => window.redisPlayground?.clock);
  await page.evaluate(() => window.redisPlayground.engine.pause());
  await type(page, 2, 'BRPOP q3 3600');
  await page.locator(`${view(2)} .waiting`).waitFor({ state: 'visible' });
  await page.evaluate(() => window.redisPlayground.clock.step());
  await resultIs(page, 2, TIMED_OUT);
  await page.evaluate(() => window.redisPlayground.engine.resume());
  assert.deepEqual(seen.errors, []);
});

test('WATCH in one console, a write in the other: EXEC fails with (nil)', async (t) => {
  const { page, seen } = await twoConsoles(t);
  assert.equal(await run(page, 1, 'SET balance 100'), 'OK');
  assert.equal(await run(page, 1, 'WATCH balance'), 'OK');
  assert.equal(await run(page, 1, 'MULTI'), 'OK');
  assert.equal(await prompt(page, 1), '127.0.0.1:6379(TX)> ');
  assert.equal(await run(page, 1, 'DECRBY balance 30'), 'QUEUED');
  assert.equal(await run(page, 2, 'SET balance 0'), 'OK');
  assert.equal(await prompt(page, 2), '127.0.0.1:6379> ', 'console 2 is not in console 1\'s transaction');
  assert.equal(await run(page, 1, 'EXEC'), '(nil)');
  assert.equal(await run(page, 1, 'GET balance'), '"0"');
  assert.deepEqual(seen.errors, []);
});

test('SUBSCRIBE in one console, PUBLISH in the other; MONITOR shows the other\'s commands', async (t) => {
  const { page, seen } = await twoConsoles(t);
  assert.equal(await run(page, 1, 'SUBSCRIBE news'), 'Reading messages... (press Ctrl-C to quit)\n1) "subscribe"\n2) "news"\n3) (integer) 1');
  await page.locator(`${view(1)} .waiting`).waitFor({ state: 'visible' });
  assert.equal(await run(page, 2, 'PUBLISH news "<b>hi</b>"'), '(integer) 1');
  await resultIs(page, 1, '1) "message"\n2) "news"\n3) "<b>hi</b>"');
  assert.equal(await page.locator('#output b').count(), 0, 'a message is text');
  await page.locator(`${view(1)} .waiting-cancel`).click();
  await waitPrompt(page, 1, '127.0.0.1:6379> ');

  assert.equal(await run(page, 1, 'MONITOR'), 'OK');
  assert.match(await page.locator(`${view(1)} .waiting`).textContent(), /monitoring/);
  assert.equal(await run(page, 2, 'SET k v'), 'OK');
  await page.waitForFunction(() => /^\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "SET" "k" "v"$/.test(
    document.querySelector('#output .entry:last-child .result')?.textContent ?? ''));
  assert.equal(await run(page, 2, 'SELECT 3'), 'OK');
  assert.equal(await run(page, 2, 'GET k'), '(nil)');
  await page.waitForFunction(() => / \[3 127\.0\.0\.1:\d+\] "GET" "k"$/.test(
    document.querySelector('#output .entry:last-child .result')?.textContent ?? ''));
  await screenshot(page, 'consoles-monitor.png');
  await page.locator('#input').focus();
  await page.keyboard.press('Control+c');
  await waitPrompt(page, 1, '127.0.0.1:6379> ');
  assert.deepEqual(seen.errors, []);
});

test('CLIENT KILL of a blocked console: "Server closed the connection", then not connected> ', async (t) => {
  const { page, seen } = await twoConsoles(t);
  await type(page, 1, 'BLPOP jobs 0');
  await page.locator(`${view(1)} .waiting`).waitFor({ state: 'visible' });
  assert.equal(await run(page, 2, 'CLIENT KILL ID 1'), '(integer) 1');
  await resultIs(page, 1, 'Error: Server closed the connection');
  await waitPrompt(page, 1, 'not connected> ');
  assert.equal(await page.locator('#console-tab-1').textContent(), '1 · not connected');
  // The next command connects again.
  assert.equal(await run(page, 1, 'PING'), 'PONG');
  assert.equal(await prompt(page, 1), '127.0.0.1:6379> ');
  assert.equal(await page.locator('#console-tab-1').textContent(), '1 · id 3');
  assert.deepEqual(seen.errors, []);
});

test('closing a console removes it and its client; the page API follows the active console', async (t) => {
  const { page, seen } = await twoConsoles(t);
  await page.locator('.console-new').click();
  await page.waitForSelector('#input-3:not([disabled])');
  assert.equal(await page.locator('.console-tab').count(), 3);
  // redis-cli prints CLIENT LIST raw, one line per client (even with --no-raw).
  const clients = async () => [...(await run(page, 1, 'CLIENT LIST')).matchAll(/^id=(\d+) /gm)].map((m) => m[1]);
  assert.deepEqual(await clients(), ['1', '2', '3']);

  // The keyspace view follows the db of the console the learner is in.
  await page.waitForSelector('.ks-db');
  assert.equal(await run(page, 3, 'SELECT 5'), 'OK');
  await page.waitForFunction(() => document.querySelector('.ks-db').value === '5');
  assert.equal(await page.evaluate(() => window.redisPlayground.console.prompt()), '127.0.0.1:6379[5]> ');
  await page.locator('#input').click();
  await page.waitForFunction(() => document.querySelector('.ks-db').value === '0');
  // run() goes to the active console, and onCommand hears every console.
  await page.evaluate(() => {
    window.__heard = [];
    window.redisPlayground.console.onCommand((e) => window.__heard.push(`${e.console}:${e.line}`));
  });
  await page.evaluate(() => window.redisPlayground.console.run('SET from:api 1'));
  await run(page, 2, 'GET from:api');
  assert.deepEqual(await page.evaluate(() => window.__heard), ['0:SET from:api 1', '1:GET from:api']);

  // Close console 2 with its ×.
  await page.locator('.console-tab').nth(1).locator('.console-tab-close').click();
  assert.equal(await page.locator('#console-view-2').count(), 0);
  assert.deepEqual(await page.locator('.console-tab-button').allTextContents(), ['1 · id 1', '3 · id 3']);
  assert.deepEqual(await clients(), ['1', '3'], 'its client is gone from CLIENT LIST');
  // The last console cannot be closed.
  await page.locator('.console-tab').nth(1).locator('.console-tab-close').click();
  assert.equal(await page.locator('.console-tab').count(), 1);
  assert.equal(await page.locator('.console-tab-close').first().isVisible(), false);
  assert.equal(await page.evaluate(() => window.redisPlayground.console.close(0)), false);
  assert.deepEqual(seen.errors, []);
});

test('shortcuts, renaming, a paste that waits behind BLPOP, and a shared history', async (t) => {
  const { page, seen } = await openConsole(t);
  await pauseWorld(page);
  await page.locator('#input').focus();
  await page.keyboard.press('Alt+t');
  await page.waitForSelector('#input-2:not([disabled])');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'input-2', 'Alt+T opens a console and puts the caret in it');
  await page.keyboard.press('Alt+o');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'input', 'Alt+O goes to the next one');
  await page.keyboard.press('Alt+s');
  assert.equal(await page.locator('#console.split').count(), 1, 'Alt+S splits');

  // Rename a tab (double-click), locally.
  await page.locator('.console-tab-button').nth(1).dblclick();
  await page.locator('.tab-rename').fill('worker');
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('.console-tab-button').nth(1).textContent(), 'worker · id 2');

  // Lines pasted while a command waits run after it, as piped lines would.
  await type(page, 2, 'BLPOP jobs 0');
  await page.locator('#input-2').evaluate((input) => {
    const data = new DataTransfer();
    data.setData('text/plain', 'LPUSH done yes\nLLEN done');
    input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  assert.match(await page.locator(`${view(2)} .waiting`).textContent(), /2 more lines queued/);
  assert.equal(await run(page, 1, 'RPUSH jobs j'), '(integer) 1');
  await resultIs(page, 2, '(integer) 1');
  const texts = await page.locator('#output-2 .entry .result').allTextContents();
  assert.deepEqual(texts.slice(-3), ['1) "jobs"\n2) "j"', '(integer) 1', '(integer) 1']);

  // One history for all consoles: ↑ in console 1 finds what console 2 ran.
  await page.locator('#input').click();
  await page.keyboard.press('ArrowUp');
  assert.equal(await page.locator('#input').inputValue(), 'LLEN done');
  assert.deepEqual(seen.errors, []);
});

test('presenter mode and a narrow window (tabs instead of split)', async (t) => {
  const { page, seen } = await twoConsoles(t, { viewport: { width: 1280, height: 800 } });
  await page.evaluate(() => window.presenterMode.set(true));
  await type(page, 1, 'BLPOP jobs 30');
  await run(page, 2, 'LPUSH other 1');
  await page.mouse.move(0, 0);
  await screenshot(page, 'consoles-presenter.png');
  await page.evaluate(() => window.presenterMode.set(false));

  await page.setViewportSize({ width: 700, height: 900 });
  assert.equal(await page.locator('.console-split').isVisible(), false, 'no Split on a narrow window');
  const visible = async () => (await Promise.all([1, 2].map((n) => page.locator(view(n)).isVisible())));
  assert.deepEqual(await visible(), [false, true], 'only the active console shows');
  await page.locator('.console-tab-button').first().click();
  assert.deepEqual(await visible(), [true, false], 'a tab shows its console');
  await page.locator('#console').scrollIntoViewIfNeeded();
  await screenshot(page, 'consoles-narrow.png');
  await page.keyboard.press('Control+c');
  await waitPrompt(page, 1, '127.0.0.1:6379> ');
  await page.evaluate(() => window.presenterMode.set(false));
  assert.deepEqual(seen.errors, []);
});

test('a console scrolled to its end keeps its prompt in sight when Split or presenter mode resizes it', async (t) => {
  const { page, seen } = await openConsole(t, { viewport: { width: 1366, height: 768 } });
  for (let i = 0; i < 30; i++) await page.evaluate((n) => window.redisPlayground.console.run(`SET k${n} v`), i);
  const promptInSight = () => page.evaluate(() => {
    const form = document.querySelector('#input-form') ?? document.querySelector('#input').closest('form');
    const screen = form.closest('.console-view')?.querySelector('.console-screen, .screen') ?? form.parentElement;
    const f = form.getBoundingClientRect();
    let box = form.parentElement;
    while (box && box !== document.body) {
      const r = box.getBoundingClientRect();
      if (getComputedStyle(box).overflowY !== 'visible' && (f.bottom > r.bottom + 1 || f.top < r.top - 1)) return false;
      box = box.parentElement;
    }
    return f.bottom <= innerHeight && Boolean(screen);
  });
  const settled = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await settled();
  assert.equal(await promptInSight(), true, 'at first');
  await page.locator('.console-new').click();
  await page.waitForSelector('#input-2:not([disabled])');
  await page.locator('.console-split').click();
  await page.locator('#input').click();
  await settled();
  assert.equal(await promptInSight(), true, 'after Split');
  await page.keyboard.press('Alt+p');
  await settled();
  assert.equal(await promptInSight(), true, 'after presenter mode');
  assert.deepEqual(seen.errors, []);
});
