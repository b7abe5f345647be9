// Shared set-up for the console's browser tests (console*.test.mjs): the static server on
// a free loopback port, Debian's chromium through playwright-core, and small helpers.
// Not a test file itself (node --test picks up *.test.mjs only).
import { before, after } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/static-server.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCRATCH = path.join(ROOT, 'screenshots', 'tmp'); // ignored by git: pictures to look at
const CHROMIUM = '/usr/bin/chromium';

export const env = { server: null, baseUrl: null, browser: null };

/** Start the server and the browser before this file's tests, stop them after. */
export function useBrowser() {
  before(async () => {
    if (!fs.existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium), or run scripts/test as root`);
    }
    if (!fs.existsSync(path.join(ROOT, 'www', 'pkg', 'redis_playground_bg.wasm'))) {
      throw new Error('www/pkg/redis_playground_bg.wasm is missing: build it first with scripts/build');
    }
    const started = await startServer({ root: path.join(ROOT, 'www'), port: 0 });
    env.server = started.server;
    env.baseUrl = started.url;
    env.browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--no-first-run', '--disable-sync', '--disable-quic'],
    });
  });
  after(async () => {
    await env.browser?.close();
    await new Promise((resolve) => (env.server ? env.server.close(resolve) : resolve()));
  });
}

/**
 * A fresh page on the console with page errors and dialogs recorded. `clipboard: 'stub'`
 * replaces navigator.clipboard.writeText with a recorder (window.__copied). `heldTurns`:
 * the page's message-channel turns (how a running repeat count goes from slice to slice)
 * wait until the test releases them with `releaseTurns(page, n)`.
 */
export async function openConsole(t, { viewport = { width: 1280, height: 800 }, clipboard = null, heldTurns = false, context: ctxOptions = {} } = {}) {
  const context = await env.browser.newContext({ viewport, ...ctxOptions });
  t.after(() => context.close());
  if (heldTurns) {
    await context.addInitScript(() => {
      const held = [];
      window.__heldTurns = held;
      window.MessageChannel = class {
        constructor() {
          const port1 = { onmessage: null, close() {} };
          this.port1 = port1;
          this.port2 = { postMessage: () => held.push(() => port1.onmessage?.({ data: null })) };
        }
      };
    });
  }
  if (clipboard === 'stub') {
    await context.addInitScript(() => {
      window.__copied = [];
      const fake = { writeText: async (s) => { window.__copied.push(String(s)); } };
      Object.defineProperty(navigator, 'clipboard', { value: fake, configurable: true });
    });
  }
  const page = await context.newPage();
  const seen = { dialogs: [], errors: [] };
  page.on('dialog', (d) => { seen.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  await page.goto(env.baseUrl);
  await page.waitForSelector('#input:not([disabled])', { timeout: 20_000 });
  return { page, seen, context };
}

/** Type a line into the console and press Enter; returns the text of that line's result. */
export async function run(page, line) {
  const count = await page.locator('#output .entry').count();
  await page.locator('#input').pressSequentially(line);
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => document.querySelectorAll('#output .entry').length > n, count);
  return lastResult(page);
}

/** The text of the newest entry's result (its text view). */
export function lastResult(page) {
  return page.locator('#output .entry').last().evaluate((e) => e.querySelector('.result')?.textContent ?? '');
}

/** Let the first `n` held message-channel turns run (see `openConsole`'s `heldTurns`). */
export function releaseTurns(page, n = 1) {
  return page.evaluate((count) => {
    for (let i = 0; i < count && window.__heldTurns.length; i++) window.__heldTurns.shift()();
  }, n);
}

/** The hint shown after the input text, '' when none. */
export function hintText(page) {
  return page.evaluate(() => document.querySelector('.input-overlay .hint')?.textContent ?? '');
}

/** Dispatch a paste of `text` on the input, as the browser does for Ctrl+V. */
export function paste(page, text) {
  return page.locator('#input').evaluate((input, s) => {
    const data = new DataTransfer();
    data.setData('text/plain', s);
    input.focus();
    input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/**
 * Stop the world clock. TTLs, blocking timeouts and redis-cli's "(N.NNs)" after a slow command
 * then depend on what the test does (engine.advance, the clock's step), never on how fast the
 * machine runs.
 */
export function pauseWorld(page) {
  return page.evaluate(() => window.redisPlayground.engine.pause());
}

/** Move the (paused) world clock on by `ms`, as time passing would: keys expire, waits time out. */
export function advanceWorld(page, ms) {
  return page.evaluate((d) => window.redisPlayground.engine.advance(d), ms);
}

/** Wait until the page's scheduler has ticked the world `n` more times (whatever the wall clock says). */
export function ticks(page, n) {
  return page.evaluate((count) => new Promise((resolve) => {
    let seen = -1; // the first call is the current world, on subscribing
    const off = window.redisPlayground.scheduler.subscribe((w) => {
      if (seen >= 0 && w.cause === 'tick') seen += 1;
      if (seen < 0) seen = 0;
      if (seen >= count) { queueMicrotask(() => off()); resolve(); }
    });
  }), n);
}

/** Two animation frames: the page has drawn what it holds now (and any handler it queued ran). */
export function frames(page) {
  return page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

export async function screenshot(page, name) {
  fs.mkdirSync(SCRATCH, { recursive: true });
  const file = path.join(SCRATCH, name);
  await page.screenshot({ path: file });
  return file;
}

// ---- several consoles ----

/** Console n's elements: the first keeps the page's ids (#input, #output, …), the others
 * have generated ones (#input-2, #output-2, …). */
export const sel = (n, what) => (n === 1 ? `#${what}` : `#${what}-${n}`);
export const view = (n) => `#console-view-${n}`;

/** Type a line into console n (its tab first if it is hidden; a click on its input makes it active). */
export async function typeIn(page, n, line) {
  const count = await page.locator(`${sel(n, 'output')} .entry`).count();
  if (!await page.locator(view(n)).isVisible()) await page.locator(`#console-tab-${n}`).click();
  await page.locator(sel(n, 'input')).click();
  await page.locator(sel(n, 'input')).pressSequentially(line);
  await page.keyboard.press('Enter');
  await page.waitForFunction(([out, c]) => document.querySelectorAll(`${out} .entry`).length > c, [sel(n, 'output'), count]);
}

/** Console n's newest entry's result text ('' while it waits). */
export function lastResultIn(page, n) {
  return page.locator(`${sel(n, 'output')} .entry`).last().evaluate((e) => e.querySelector('.result')?.textContent ?? '');
}

/** Type a line into console n; returns its result's text (once the console is back at its prompt, or ''). */
export async function runIn(page, n, line) {
  await typeIn(page, n, line);
  return lastResultIn(page, n);
}

/** The page, its world clock paused, with a second console opened with "+" and Split on. */
export async function twoConsoles(t, options = {}) {
  const opened = await openConsole(t, options);
  const { page } = opened;
  await pauseWorld(page);
  await page.locator('.console-new').click();
  await page.waitForSelector('#input-2:not([disabled])');
  await page.locator('.console-split').click();
  return opened;
}
