// The page shell in headless Chromium: the three-pane layout at desktop and phone sizes,
// presenter mode, keyboard-only use and labels, and how soon the first command can be typed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openConsole, run, screenshot, env } from './console-harness.mjs';

useBrowser();

const box = (page, sel) => page.locator(sel).evaluate((e) => {
  const r = e.getBoundingClientRect();
  return { x: Math.round(r.x), y: Math.round(r.y), w: Math.round(r.width), h: Math.round(r.height) };
});

async function fillConsole(page) {
  for (const line of ['SET greeting "Hello, World!"', 'HSET user:1 name Ada lang Rust', 'HGETALL user:1',
    'ZADD scores 95 Alice 87 Bob', 'ZRANGE scores 0 -1 WITHSCORES', 'SELECT 2', 'INCR hits']) {
    await run(page, line);
  }
  await page.locator('#output .entry.has-table .tool-table').first().click();
  await page.locator('#input').pressSequentially('SET k v ');
}

for (const [width, height] of [[1440, 900], [1280, 800]]) {
  test(`at ${width}×${height} the lessons, the console and the keyspace sit side by side and fill the window`, async (t) => {
    const { page, seen } = await openConsole(t, { viewport: { width, height } });
    await fillConsole(page);
    const [lessons, consolePane, keyspace] = await Promise.all(
      ['#lessons', '.console-pane', '#keyspace'].map((s) => box(page, s)));
    assert.ok(lessons.x < consolePane.x && consolePane.x < keyspace.x, 'left to right: lessons, console, keyspace');
    assert.ok(Math.abs(lessons.y - consolePane.y) <= 1 && Math.abs(keyspace.y - consolePane.y) <= 1, 'same top');
    assert.ok(keyspace.x + keyspace.w <= width, 'nothing past the right edge');
    assert.ok(consolePane.w >= 560, `the console gets the most room (${consolePane.w}px)`);
    assert.ok(consolePane.w > lessons.w && consolePane.w > keyspace.w);
    // The first screen is the workspace; the retry simulation follows below it.
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    assert.equal(sideways, 0, 'no sideways scrolling');
    const workspace = await page.locator('main.workspace').boundingBox();
    assert.ok(Math.abs(workspace.y + workspace.height - height) <= 24, `the workspace fills the first screen (${workspace.y + workspace.height} of ${height})`);
    assert.ok(lessons.y + lessons.h <= height && consolePane.y + consolePane.h <= height);
    await page.mouse.move(0, 0);
    await screenshot(page, `page-${width}x${height}.png`);
    assert.deepEqual(seen.errors, []);
  });
}

test('on a phone the panes stack in reading order without sideways scrolling', async (t) => {
  const { page, seen } = await openConsole(t, { viewport: { width: 390, height: 844 }, context: { hasTouch: true, isMobile: true } });
  assert.equal(await run(page, 'HSET phone:1 model "Pocket 9"'), '(integer) 1');
  await run(page, 'HGETALL phone:1');
  const [lessons, consolePane, keyspace] = await Promise.all(
    ['#lessons', '.console-pane', '#keyspace'].map((s) => box(page, s)));
  assert.ok(lessons.y < consolePane.y && consolePane.y < keyspace.y, 'one column: lessons, console, keyspace');
  for (const b of [lessons, consolePane, keyspace]) assert.ok(b.w >= 360 && b.x >= 0 && b.x + b.w <= 390);
  assert.ok(consolePane.h >= 340, `the console keeps a usable height (${consolePane.h}px)`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling (${overflow}px)`);
  const inputFont = await page.locator('#input').evaluate((i) => parseFloat(getComputedStyle(i).fontSize));
  assert.ok(inputFont >= 16, 'the input is 16px or more, so phones do not zoom into it');
  await page.locator('.console-pane').scrollIntoViewIfNeeded();
  await screenshot(page, 'page-phone.png');
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, 'page-phone-top.png');
  assert.deepEqual(seen.errors, []);
});

test('presenter mode: a header button and Alt+P, large type and high contrast on every pane, remembered', async (t) => {
  const { page, seen } = await openConsole(t, { viewport: { width: 1280, height: 800 } });
  const toggle = page.locator('#presenter-toggle');
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
  assert.equal(await toggle.getAttribute('aria-keyshortcuts'), 'Alt+P');
  const size = () => page.evaluate(() => ({
    console: parseFloat(getComputedStyle(document.querySelector('.console')).fontSize),
    root: parseFloat(getComputedStyle(document.documentElement).fontSize),
    bg: getComputedStyle(document.body).backgroundColor,
  }));
  const normal = await size();
  await toggle.click();
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains('presenter')), true);
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  const big = await size();
  assert.ok(big.console >= normal.console * 1.4, `the console's type grows (${normal.console} → ${big.console}px)`);
  assert.ok(big.root > normal.root, 'rem-sized panes grow with it');
  assert.equal(big.bg, 'rgb(0, 0, 0)', 'a black background for contrast');
  await fillConsole(page);
  await page.mouse.move(0, 0);
  await screenshot(page, 'page-presenter-1280x800.png');

  // Remembered across a reload, and on before the first paint (a classic script in <head>).
  await page.reload();
  await page.waitForSelector('#input:not([disabled])');
  assert.equal(await page.evaluate(() => localStorage.getItem('redis-playground:presenter')), '1');
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains('presenter')), true);
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');

  // Alt+P from the console's input turns it off, and types nothing.
  await page.locator('#input').focus();
  await page.keyboard.press('Alt+p');
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains('presenter')), false);
  assert.equal(await page.locator('#input').inputValue(), '');
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
  assert.equal(await page.evaluate(() => localStorage.getItem('redis-playground:presenter')), '0');
  assert.match(await page.locator('#console-help').textContent(), /Alt\s*\+\s*P\s*presenter mode/, 'the shortcut is in the help line');
  assert.deepEqual(seen.errors, []);
});

test('keyboard only: the controls are reachable in a sensible order and every one has a name', async (t) => {
  const { page } = await openConsole(t, { viewport: { width: 1440, height: 900 } });
  await run(page, 'HSET kb:1 a 1');
  await run(page, 'HGETALL kb:1');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'input', 'the input has the focus on load');

  // From the top of the page: skip link, presenter toggle, … the console's input, … the keyspace.
  await page.locator('.site-header h1').click();
  await page.keyboard.press('Shift+Tab');
  const order = [await page.evaluate(() => ({ area: 'header', id: document.activeElement.id, cls: document.activeElement.className }))];
  for (let i = 0; i < 200; i++) {
    await page.keyboard.press('Tab');
    const where = await page.evaluate(() => {
      const a = document.activeElement;
      if (!a || a === document.body) return null;
      const area = a.closest('#lessons') ? 'lessons' : a.closest('#console') ? 'console' : a.closest('#keyspace') ? 'keyspace' : 'header';
      return { area, id: a.id, cls: a.className };
    });
    if (!where) break;
    order.push(where);
    if (order.length > 1 && where.area === 'keyspace') break;
  }
  assert.equal(order[0].cls, 'skip-link');
  assert.equal(order[1].id, 'presenter-toggle');
  const areas = order.map((o) => o.area).filter((a, i, all) => a !== all[i - 1]);
  assert.deepEqual(areas.slice(0, 2), ['header', 'lessons']);
  assert.ok(areas.indexOf('console') > areas.indexOf('lessons'), `areas in reading order: ${areas.join(' → ')}`);
  const inConsole = order.filter((o) => o.area === 'console');
  assert.ok(inConsole.some((o) => o.id === 'input'), 'Tab reaches the input');
  assert.ok(inConsole.some((o) => /tool-table/.test(o.cls)), 'and the reply tools');
  assert.ok(order.some((o) => o.area === 'keyspace'), 'Tab goes on from an empty input to the keyspace');

  // The skip link jumps straight to the input.
  await page.locator('.site-header h1').click();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'input');

  // Every control in the header and the console has an accessible name.
  const unnamed = await page.evaluate(() => {
    const name = (e) => (e.getAttribute('aria-label') || e.labels?.[0]?.textContent || e.textContent || e.title || '').trim();
    return [...document.querySelectorAll('header button, header a, #console button, #console input, .skip-link')]
      .filter((e) => !name(e)).map((e) => e.outerHTML.slice(0, 80));
  });
  assert.deepEqual(unnamed, []);
  assert.equal(await page.locator('#input').evaluate((i) => i.labels[0].id), 'prompt', 'the prompt labels the input');
  assert.equal(await page.locator('#output').getAttribute('role'), 'log');
  const described = await page.locator('#input').getAttribute('aria-describedby');
  assert.match(described, /console-help/);
  await page.locator('#input').pressSequentially('GET ');
  const hintId = described.split(' ').find((id) => id !== 'console-help');
  assert.equal(await page.locator(`#${hintId}`).textContent(), 'Syntax: GET key', 'the hint is in the input\'s description');
});

test('the input is usable as soon as the engine is ready (timing printed, not asserted)', async (t) => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  t.after(() => context.close());
  await context.addInitScript(() => {
    new MutationObserver((_, obs) => {
      const input = document.getElementById('input');
      if (input && !input.disabled) {
        window.__enabledAt = performance.now();
        obs.disconnect();
      }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['disabled'], childList: true });
  });
  const page = await context.newPage();
  await page.goto(env.baseUrl);
  await page.waitForSelector('#input:not([disabled])');
  const ms = await page.evaluate(() => window.__enabledAt);
  t.diagnostic(`the input was enabled ${Math.round(ms)} ms after navigation started (localhost, headless)`);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'input');
  await page.keyboard.type('PING');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#output .entry:last-child .result')?.textContent === 'PONG');
});
