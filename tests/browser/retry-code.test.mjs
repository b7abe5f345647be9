// The retry simulation's "code behind it" panel, its job-system presets and "Share this run",
// in headless Chromium: the panel opens on the seed's loop; stepping the simulation marks the
// line that sent the newest logged command of the chosen strategy (in either language); each
// preset sets the form as its description says; and a shared run opened in a fresh page has
// the same settings and logs the same first commands, at the same times after its start.
// No timing assertions: the world clock is paused and stepped, and waits are for states.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { useBrowser, env, SCRATCH } from './console-harness.mjs';

useBrowser();

async function openSim(t, url = env.baseUrl) {
  const context = await env.browser.newContext({ viewport: { width: 1400, height: 1000 } });
  t.after(() => context.close());
  await context.addInitScript(() => {
    window.__copied = [];
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: async (s) => { window.__copied.push(String(s)); } }, configurable: true });
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true', null, { timeout: 30_000 });
  await page.waitForSelector('#retry .rs-src-code');
  return { page, errors };
}

const panel = (page) => page.locator('#retry .rs-src');

async function configure(page, preset, fields = {}) {
  await page.click(`#retry .rs-preset[data-preset="${preset}"]`);
  await page.locator('#retry details.rs-advanced').evaluate((d) => { d.open = true; });
  for (const [name, value] of Object.entries(fields)) {
    const input = page.locator(`#retry [name="${name}"]`);
    if (typeof value === 'boolean') await input.setChecked(value);
    else if (await input.evaluate((e) => e.tagName === 'SELECT')) await input.selectOption(String(value));
    else await input.fill(String(value));
  }
}

/** Start, pause the world clock, and Step `n` times (each waits for the engine to move). */
async function startPaused(page) {
  await page.click('#retry .rs-start');
  await page.waitForFunction(() => document.getElementById('retry').dataset.runState === 'running');
  await page.click('#retry .rs-pause');
  await page.waitForFunction(() => document.getElementById('retry').dataset.runState === 'paused');
}

async function step(page) {
  const before = await page.evaluate(() => window.redisPlayground.engine.simLogLast() ?? 0);
  await page.click('#retry .rs-step');
  await page.waitForFunction((b) => (window.redisPlayground.engine.simLogLast() ?? 0) > b, before);
}

/** The newest logged command of `sim` (a strategy) and the method `language` sends it with. */
function newest(page, sim, language) {
  return page.evaluate(async ({ sim, language }) => {
    const m = await import('/js/retry/code-state.js');
    const log = Array.from(window.redisPlayground.engine.simLog(0, 100_000));
    const last = log.reverse().find((e) => e.strategy === sim);
    const p = m.parseEntry(last);
    return { seq: last.seq, name: p.name, method: m.METHODS[language][p.name], reply: last.reply };
  }, { sim, language });
}

/** Wait until the marked line calls the method of the newest command of `sim`; returns its text. */
async function markedFollows(page, sim, language) {
  const want = await newest(page, sim, language);
  await page.waitForFunction((w) => {
    const el = document.querySelector('#retry .rs-src-current');
    const caption = document.querySelector('#retry .rs-src-caption')?.textContent ?? '';
    return el && el.textContent.includes(w.method) && caption.includes(` sent ${w.name}`) && el.getAttribute('aria-current') === 'true';
  }, want);
  return { ...want, line: await panel(page).locator('.rs-src-current').textContent() };
}

async function shot(page, name) {
  fs.mkdirSync(SCRATCH, { recursive: true });
  await panel(page).scrollIntoViewIfNeeded();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await panel(page).screenshot({ path: path.join(SCRATCH, name) });
}

test('the panel shows the seed’s loop; stepping marks the line of the logged command, in both languages and every strategy', async (t) => {
  const { page, errors } = await openSim(t);
  const code = await panel(page).locator('.rs-src-code').textContent();
  assert.match(code, /r\.setex\(operation_id, INTERVALS\[0\], "pending"\)/);
  assert.match(code, /expiration_time = r\.ttl\(operation_id\)/);
  assert.match(code, /print\("Retrying operation\.\.\."\)/);
  assert.match(code, /time\.sleep\(1\)  # 等待一秒钟再次检查/);
  assert.equal(await panel(page).locator('.rs-src-current').count(), 0, 'nothing runs yet');

  await configure(page, 'test-mode', { operations: 6, queueClaim: 'transaction' });
  await startPaused(page);
  for (let i = 0; i < 3; i++) await step(page);
  const py = await markedFollows(page, 'polling', 'python');
  assert.ok(py.line.includes(py.method));
  await shot(page, 'retry-code-python.png');

  await panel(page).locator('select').nth(1).selectOption('javascript');
  const js = await markedFollows(page, 'polling', 'javascript');
  assert.equal(js.seq, py.seq, 'the same command, found in the other program');
  assert.match(await panel(page).locator('.rs-src-code').textContent(), /await client\.ttl\(id\)/);

  // The queue claims with MULTI/WATCH in this run: the per-entry program says so…
  await panel(page).locator('select').first().selectOption('queue-perEntry');
  assert.match(await panel(page).locator('.rs-src-caption').textContent(), /claims with “Delayed queue, MULTI\/WATCH/);
  assert.equal(await panel(page).locator('.rs-src-current').count(), 0);
  // …and the transaction program follows it.
  await panel(page).locator('select').first().selectOption('queue-transaction');
  await step(page);
  const q = await markedFollows(page, 'queue', 'javascript');
  assert.ok(q.line.includes(q.method));
  await shot(page, 'retry-code-javascript.png');

  await panel(page).locator('select').first().selectOption('events');
  await panel(page).locator('select').nth(1).selectOption('python');
  await step(page);
  const ev = await markedFollows(page, 'events', 'python');
  assert.ok(ev.line.includes(ev.method));
  assert.deepEqual(errors, []);
});

test('each job-system preset sets the form as its description says', async (t) => {
  const { page, errors } = await openSim(t);
  const value = (name) => page.locator(`#retry [name="${name}"]`).inputValue();
  const note = () => page.locator('#retry .rs-preset-note').textContent();

  await page.click('#retry .rs-preset[data-preset="sidekiq"]');
  assert.equal(await value('backoff'), 'list');
  assert.match(await value('intervals'), /^15, 16, 31, 96, 271, 640, .*, 331791$/);
  assert.equal(await value('maxRetries'), '25');
  assert.equal(await value('jitter'), 'none');
  assert.match(await note(), /rand\(10\)/);
  assert.match(await page.locator('#retry .rs-delays').textContent(), /15 s → 16 s → 31 s → 1 min 36 s/);

  await page.click('#retry .rs-preset[data-preset="bullmq"]');
  assert.equal(await value('backoff'), 'exponential');
  assert.deepEqual([await value('baseS'), await value('factor'), await value('capS'), await value('maxRetries')], ['1s', '2', '1h', '9']);
  assert.match(await note(), /exponential.*delay: 1000.*attempts: 10/);

  await page.click('#retry .rs-preset[data-preset="temporal"]');
  assert.deepEqual([await value('baseS'), await value('factor'), await value('capS'), await value('maxRetries'), await value('jitter')], ['1s', '2', '100s', '50', 'none']);
  assert.match(await note(), /without limit.*50 retries/);
  assert.equal(await page.locator('#retry .rs-preset[data-preset="temporal"]').getAttribute('aria-pressed'), 'true');

  // The seed's schedule is still the default the page opens with.
  await page.click('#retry .rs-preset[data-preset="seed"]');
  assert.equal(await value('intervals'), '5m, 10m, 15m, 2h, 4h, 6h');
  assert.deepEqual(errors, []);
});

test('a shared run opens in a fresh page with the same settings, view and first commands', async (t) => {
  const N = 40;
  const { page, errors } = await openSim(t);
  await configure(page, 'test-mode', { operations: 8, seed: 99, queueClaim: 'lua', failurePercent: 70 });
  await startPaused(page);
  while (await page.evaluate(() => window.redisPlayground.engine.simLogLast() ?? 0) < N) await step(page);
  await panel(page).locator('select').first().selectOption('queue-lua');
  await panel(page).locator('select').nth(1).selectOption('javascript');
  await page.click('#retry .rs-share-run');
  const dialog = page.locator('dialog.share-link-dialog');
  await dialog.waitFor();
  await dialog.locator('.share-copy').click();
  await dialog.locator('.share-copied', { hasText: 'Copied.' }).waitFor();
  const url = await page.evaluate(() => window.__copied[0]);
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/#sim=[A-Za-z0-9_-]+$/);
  assert.ok(url.length < 1500, `a short link: ${url.length} characters`);
  await dialog.locator('button', { hasText: 'Close' }).click();

  /** The first N commands, times and world-time arguments relative to the run's start. */
  const firstLines = (p) => p.evaluate((n) => {
    const e = window.redisPlayground.engine;
    const start = e.simState().startMs;
    const rel = (s) => s.replace(/\b\d{13}\b/g, (x) => `T+${Number(x) - start}`);
    return Array.from(e.simLog(0, n)).slice(0, n).map((x) => rel(`${x.atMs - start} ${x.line.slice(x.line.indexOf(' ['))} → ${x.reply}`));
  }, N);
  const original = await firstLines(page);
  const config = await page.evaluate(() => window.redisPlayground.engine.simState().config);

  const other = await openSim(t, url);
  const ask = other.page.locator('dialog.sim-run-dialog');
  await ask.waitFor();
  assert.match(await ask.textContent(), /8 operations and seed 99/);
  await ask.locator('button', { hasText: 'Start' }).click();
  await other.page.waitForFunction((n) => (window.redisPlayground.engine.simLogLast() ?? 0) >= n, N, { timeout: 60_000 });
  assert.deepEqual(await other.page.evaluate(() => window.redisPlayground.engine.simState().config), config, 'the same config');
  assert.deepEqual(await firstLines(other.page), original, 'the same first commands, mark for mark');
  const value = (name) => other.page.locator(`#retry [name="${name}"]`).inputValue();
  assert.deepEqual([await value('operations'), await value('seed'), await value('queueClaim'), await value('failurePercent')], ['8', '99', 'lua', '70']);
  assert.equal(await other.page.locator('#retry [name="testMode"]').isChecked(), true);
  assert.deepEqual([await panel(other.page).locator('select').first().inputValue(), await panel(other.page).locator('select').nth(1).inputValue()], ['queue-lua', 'javascript']);
  assert.equal(await other.page.evaluate(() => location.hash), '', 'the fragment is gone');
  assert.deepEqual(errors, []);
  assert.deepEqual(other.errors, []);
});

test('a damaged or tampered #sim= link starts nothing and says why', async (t) => {
  const { page, errors } = await openSim(t, `${env.baseUrl}#sim=!!not-base64`);
  await page.locator('#retry .rs-error:not([hidden])').waitFor();
  assert.match(await page.locator('#retry .rs-error').textContent(), /This link was not started: its data is damaged/);
  assert.equal(await page.evaluate(() => window.redisPlayground.engine.simState().running), false);
  assert.deepEqual(errors, []);
});
