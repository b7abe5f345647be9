// The retry lab's load and protection (www/js/retry/lab.js, chart.js, controls.js): the
// capacity line and the breaker's band in the chart, the protection rows of the numbers,
// the layer-by-layer build-up revealed one row at a time (each row = engine.simLayers'),
// and a guided experiment run through the page and checked. Runs finish by moving the
// world clock (engine.advance), never by waiting on wall time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { useBrowser, env, SCRATCH } from './console-harness.mjs';

useBrowser();

async function openSim(t) {
  const context = await env.browser.newContext({ viewport: { width: 1400, height: 900 } });
  t.after(() => context.close());
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(env.baseUrl);
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true', null, { timeout: 30_000 });
  await page.waitForSelector('#retry .rs-start');
  return { page, errors };
}

const frames = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

async function shot(page, locator, name) {
  fs.mkdirSync(SCRATCH, { recursive: true });
  await locator.scrollIntoViewIfNeeded();
  await frames(page);
  await locator.screenshot({ path: path.join(SCRATCH, name) });
}

async function fill(page, fields) {
  for (const [name, value] of Object.entries(fields)) {
    const input = page.locator(`#retry [name="${name}"]`);
    if (typeof value === 'boolean') await input.setChecked(value);
    else if (await input.evaluate((e) => e.tagName === 'SELECT')) await input.selectOption(String(value));
    else await input.fill(String(value));
  }
}

/** Pause the world clock and move it until the run is over. */
async function finish(page) {
  await page.evaluate(() => {
    const e = window.redisPlayground.engine;
    e.pause();
    for (let i = 0; i < 20_000 && !e.simState().finished; i++) e.advance(1000);
  });
  await page.waitForFunction(() => document.getElementById('retry').dataset.runState === 'finished', null, { timeout: 20_000 });
}

test('the chart shows load against the capacity and the breaker; the table its numbers', async (t) => {
  const { page, errors } = await openSim(t);
  await page.click('#retry .rs-preset[data-preset="herd"]');
  await fill(page, { polling: false, events: false, capacity: 50, breaker: true, breakerFailures: 50, breakerOpen: '20s' });
  await page.click('#retry .rs-start');
  await finish(page);
  const cfg = await page.evaluate(() => window.redisPlayground.engine.simState().config);
  assert.equal(cfg.capacityPerS, 50);
  assert.deepEqual(cfg.breaker, { failures: 50, openMs: 20_000 });
  await page.locator('#retry .rs-chart').scrollIntoViewIfNeeded();
  await page.selectOption('#retry .rs-chart select', 'peakCallsPerS');
  await page.waitForFunction(() => /Capacity/.test(document.querySelector('#retry .rs-chart .rs-summary').textContent));
  const summary = await page.locator('#retry .rs-chart .rs-summary').textContent();
  assert.match(summary, /Capacity 50 calls a second: Delayed queue went [\d.]+× over it/);
  assert.match(summary, /circuit breaker: red while open/);
  // The table's protection rows are the model's.
  const model = await page.evaluate(() => window.redisPlayground.engine.simState().metrics.find((m) => m.strategy === 'queue'));
  assert.ok(model.overloaded > 0 && model.breakerOpened > 0 && model.breakerRejected > 0);
  for (const metric of ['calls', 'wastedCalls', 'peakCallsPerS', 'overloaded', 'breakerRejected', 'breakerOpened']) {
    const cell = page.locator(`#retry .rs-metrics td[data-strategy="queue"][data-metric="${metric}"]`);
    assert.equal(Number(await cell.getAttribute('data-value')), model[metric], metric);
  }
  const breaker = await page.evaluate(() => window.redisPlayground.engine.simBreaker('queue'));
  assert.equal(breaker[0].state, 'closed');
  assert.ok(breaker.some((m) => m.state === 'open') && breaker.some((m) => m.state === 'halfOpen'));
  await shot(page, page.locator('#retry .rs-chart'), 'retry-load-chart.png');
  assert.deepEqual(errors, []);
});

test('start bare: each layer adds a row, the rows are the model\'s build-up', async (t) => {
  const { page, errors } = await openSim(t);
  await page.click('#retry .rs-preset[data-preset="herd"]');
  await fill(page, { capacity: 50 });
  await page.click('#retry .rs-layer-bare');
  const rows = page.locator('#retry .rs-layer-table tbody tr');
  assert.equal(await rows.count(), 1);
  assert.equal(await rows.first().getAttribute('data-layer'), 'noRetries');
  const order = ['noRetries', 'retries', 'backoff', 'cap', 'jitter', 'budget', 'breaker'];
  for (let i = 1; i < order.length; i++) {
    await page.click('#retry .rs-layer-add');
    assert.equal(await rows.count(), i + 1);
    assert.equal(await rows.nth(i).getAttribute('data-layer'), order[i]);
  }
  assert.equal(await page.locator('#retry .rs-layer-add').isDisabled(), true);
  // Each row's figures are simLayers' for the form's config.
  const shown = await page.evaluate(() => [...document.querySelectorAll('#retry .rs-layer-table tbody tr')].map((tr) => ({
    layer: tr.dataset.layer,
    ...Object.fromEntries([...tr.querySelectorAll('td[data-metric]')].map((td) => [td.dataset.metric, Number(td.dataset.value)])),
  })));
  const bare = shown[0];
  assert.equal(bare.calls, 500);
  assert.equal(bare.givenUp, 500);
  const jitter = shown.find((r) => r.layer === 'jitter');
  const cap = shown.find((r) => r.layer === 'cap');
  const budget = shown.find((r) => r.layer === 'budget');
  assert.ok(jitter.calls < cap.calls || jitter.peakCallsPerS <= cap.peakCallsPerS);
  assert.ok(budget.calls < jitter.calls && budget.givenUp > jitter.givenUp);
  const note = await page.locator('#retry .rs-layers > p[aria-live]').textContent();
  assert.match(note, /\+ circuit breaker: calls [+−][\d,]+/);
  await shot(page, page.locator('#retry .rs-layers'), 'retry-layers.png');
  // A row runs its policy in the real strategies: the form's failures stay, the policy is the row's.
  await page.locator('#retry .rs-layer-table tr[data-layer="budget"] .rs-layer-run').click();
  const cfg = await page.evaluate(() => window.redisPlayground.engine.simState().config);
  assert.equal(cfg.operations, 500);
  assert.equal(cfg.capacityPerS, 50);
  assert.equal(cfg.schedule.jitter, 'full');
  assert.deepEqual(cfg.schedule.backoff, { kind: 'exponential', baseS: 10, factor: 2, capS: 120 });
  assert.deepEqual(cfg.budget, { percent: 20, minPerS: 1 });
  assert.equal(cfg.breaker, null);
  assert.deepEqual(errors, []);
});

for (const id of ['storm', 'full-jitter-outage', 'budget']) {
  test(`the experiment ${id} runs through the page and checks what the learner should see`, async (t) => {
    const { page, errors } = await openSim(t);
    await page.evaluate(() => localStorage.removeItem('redis-playground:retry-experiments'));
    const exp = page.locator(`#retry .rs-experiment[data-experiment="${id}"]`);
    await exp.locator('.rs-exp-run[data-run="0"]').click();
    // The form is the experiment's, and the run is going.
    assert.equal(await page.locator('#retry [name="queueClaim"]').inputValue(), 'lua');
    assert.equal(await page.locator('#retry [name="stream"]').isChecked(), false);
    assert.equal(await exp.locator('li[data-state="running"]').count(), 1);
    await finish(page);
    await page.waitForFunction((x) => document.querySelector(`#retry .rs-experiment[data-experiment="${x}"] li[data-state="done"]`), id);
    await exp.locator('.rs-exp-run[data-run="1"]').click();
    if (id === 'budget') assert.equal(await page.locator('#retry [name="budget"]').isChecked(), true);
    if (id !== 'budget') assert.equal(await page.locator('#retry [name="jitter"]').inputValue(), 'full');
    await finish(page);
    await page.waitForFunction((x) => document.querySelectorAll(`#retry .rs-experiment[data-experiment="${x}"] .rs-exp-checks li`).length > 0, id);
    const checks = await exp.locator('.rs-exp-checks li').evaluateAll((lis) => lis.map((li) => [li.textContent, li.dataset.ok]));
    assert.ok(checks.length >= 2);
    for (const [text, ok] of checks) assert.equal(ok, 'true', text);
    assert.match(await exp.locator('.rs-exp-badge').textContent(), /done/);
    assert.deepEqual(JSON.parse(await page.evaluate(() => localStorage.getItem('redis-playground:retry-experiments'))), [id]);
    await shot(page, exp, `retry-experiment-${id}.png`);
    assert.deepEqual(errors, []);
  });
}
