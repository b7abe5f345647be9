// The retry simulation page (www/js/retry/): started from its controls, run at high speed to
// the end, every figure of the metrics table checked against the model's
// (engine.simState().metrics); the command log and its filters; a key opening in the
// keyspace view; start, pause, step and reset through the world clock; an invalid setting
// showing the engine's own error; and screenshots (herd, jitter, presenter mode) to look at.
//
// Waits are for states of the page, never timing assertions. To refresh the README's picture
// (screenshots/retry.png), run: README_SCREENSHOT=1 node --test tests/browser/retry.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { useBrowser, env, ROOT, SCRATCH } from './console-harness.mjs';

const README_SHOT = process.env.README_SCREENSHOT
  ? path.join(ROOT, 'screenshots', 'retry.png')
  : path.join(SCRATCH, 'retry.png');

useBrowser();

/** A fresh page with the simulation mounted (optionally in presenter mode). */
async function openSim(t, { viewport = { width: 1400, height: 900 }, presenter = false } = {}) {
  const context = await env.browser.newContext({ viewport });
  t.after(() => context.close());
  if (presenter) await context.addInitScript(() => localStorage.setItem('redis-playground:presenter', '1'));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(env.baseUrl);
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true', null, { timeout: 30_000 });
  await page.waitForSelector('#retry .rs-start');
  return { page, errors };
}

const sim = (page) => page.locator('#retry');
const state = (page) => page.evaluate(() => window.redisPlayground.engine.simState());
const runState = (page) => sim(page).getAttribute('data-run-state');

function waitForRunState(page, want, timeout = 60_000) {
  return page.waitForFunction((w) => document.getElementById('retry').dataset.runState === w, want, { timeout });
}

/** Two animation frames: the page has drawn what the engine holds now. */
const frames = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

async function shot(page, locator, name) {
  fs.mkdirSync(SCRATCH, { recursive: true });
  await locator.scrollIntoViewIfNeeded();
  await frames(page);
  await locator.screenshot({ path: path.join(SCRATCH, name) });
}

/** Press a preset, then fill fields by name (`check: true` ticks a checkbox). */
async function configure(page, preset, fields = {}) {
  await page.click(`#retry .rs-preset[data-preset="${preset}"]`);
  for (const [name, value] of Object.entries(fields)) {
    const input = page.locator(`#retry [name="${name}"]`);
    if (typeof value === 'boolean') await input.setChecked(value);
    else if (await input.evaluate((e) => e.tagName === 'SELECT')) await input.selectOption(String(value));
    else await input.fill(String(value));
  }
}

/** Every figure of the metrics table next to the model's, read in the same frame. */
function metricsTable(page) {
  return page.evaluate(() => {
    const model = window.redisPlayground.engine.simState().metrics;
    const cells = [...document.querySelectorAll('#retry .rs-metrics td[data-metric]')].map((td) => ({
      strategy: td.dataset.strategy, metric: td.dataset.metric, text: td.textContent, value: td.dataset.value,
    }));
    return { model, cells };
  });
}

const get = (obj, p) => p.split('.').reduce((o, k) => o[k], obj);

test('a run started from the controls shows exactly the model\'s figures when it ends', async (t) => {
  const { page, errors } = await openSim(t);
  // 200 orders, the seed's test mode (every wait 60 s), an outage over the first 2 minutes.
  await configure(page, 'test-mode', { operations: 200, outage: true, outageStart: '0s', outageEnd: '2m' });
  await page.locator('#retry .rs-start').focus();
  await page.keyboard.press('Enter'); // keyboard reachable
  await waitForRunState(page, 'running');
  // Start picked a speed for the schedule and said so.
  const speed = await page.evaluate(() => window.redisPlayground.engine.speed());
  assert.equal(speed, 10);
  assert.match(await page.locator('#retry .rs-speed-note').textContent(), /world clock .* to 10×/);
  const s0 = await state(page);
  assert.equal(s0.config.operations, 200);
  assert.deepEqual(s0.config.outage, { startMs: 0, endMs: 120_000 });
  assert.equal(s0.config.schedule.testMode, true);

  // Faster, from the header's clock, as a learner would; then to the end.
  await page.click('#clock .clock-speed[data-speed="600"]');
  await waitForRunState(page, 'finished');
  await page.click('#retry .rs-pause');
  await waitForRunState(page, 'paused').catch(() => {}); // a finished run stays "finished"
  assert.equal(await page.evaluate(() => window.redisPlayground.engine.isPaused()), true);
  await sim(page).locator('.rs-metrics-panel').scrollIntoViewIfNeeded();
  await frames(page);

  const { model, cells } = await metricsTable(page);
  assert.equal(model.length, 4);
  for (const m of model) {
    assert.equal(m.successes + m.givenUp + m.lost, 200, `${m.strategy}: every order accounted for`);
    assert.ok(m.retries > 0 && m.commands > 0);
  }
  assert.ok(cells.length >= 4 * 17, `${cells.length} cells`);
  for (const c of cells) {
    const m = model.find((x) => x.strategy === c.strategy);
    const want = get(m, c.metric);
    const where = `${c.strategy} ${c.metric}: “${c.text}” vs ${want}`;
    assert.equal(Number(c.value), want, where); // the exact number, kept on the cell
    if (c.metric.startsWith('completion.')) {
      if (m.completion.count === 0) assert.equal(c.text, '—', where);
      else assert.match(c.text, /\d (ms|s|min|h)/, where); // a span, as lateness over 10 s
    } else if (c.metric.startsWith('lateness.')) {
      if (m.lateness.count === 0) assert.equal(c.text, '—', where);
      else if (Math.abs(want) < 10_000) assert.equal(Number(c.text.replace(/,/g, '').replace(' ms', '')), Math.round(want * 10) / 10, where);
    } else if (c.metric === 'commandsPerSec') {
      // Small rates keep two significant digits (never a false 0).
      const shown = Math.abs(want) < 1 ? Number(want.toPrecision(2)) : Math.round(want * 10) / 10;
      assert.equal(Number(c.text.replace(/,/g, '')), shown, where);
    } else {
      assert.equal(Number(c.text.replace(/,/g, '')), want, where); // counts, shown in full
    }
  }
  // The outage shows: every strategy's attempts inside it failed.
  const timelines = await page.evaluate(() => window.redisPlayground.engine.simTimelines('queue', 1, 200));
  for (const tl of timelines) {
    for (const a of tl.attempts.slice(1)) {
      if (a.atMs - s0.startMs < 120_000) assert.equal(a.outcome, 'failedInOutage');
    }
  }
  await shot(page, sim(page), 'retry-section.png');
  assert.deepEqual(errors, []);
});

test('the command log shows lines, filters them, and a key opens in the keyspace view', async (t) => {
  const { page, errors } = await openSim(t);
  await configure(page, 'test-mode', { operations: 20 });
  // The log follows the commands while it is on screen.
  await sim(page).locator('.rs-log').scrollIntoViewIfNeeded();
  await page.click('#retry .rs-start');
  // Let the retries start (the first after 60 s of world time), then hold the world.
  await page.evaluate(() => window.redisPlayground.clock.setSpeed(60));
  await page.waitForFunction(() => window.redisPlayground.engine.simState().metrics[2].retries >= 5, null, { timeout: 30_000 });
  await page.click('#retry .rs-pause');
  await sim(page).locator('.rs-log').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => {
    const log = window.redisPlayground.engine.simLog(0, 100_000);
    const last = document.querySelector('#retry .rs-log-line:last-child');
    return last && Number(last.dataset.seq) === log[log.length - 1].seq;
  }, null, { timeout: 10_000 });
  const lines = await sim(page).locator('.rs-log-line').allTextContents();
  assert.ok(lines.length > 100 && lines.length <= 500, `${lines.length} lines: bounded`);
  assert.ok(lines.some((l) => /\[10 poller-1\] "TTL" "order:\d+" → \(integer\) -?\d+$/.test(l)), lines.slice(0, 5).join('\n'));
  assert.ok(lines.some((l) => /\[12 worker-\d\] "ZREM" "retry" "order:\d+" → \(integer\) [01]$/.test(l)));
  // MONITOR style, with the world time as a clock time (MONITOR's epoch seconds in the tooltip).
  assert.ok(lines.every((l) => /^\d\d:\d\d:\d\d\.\d{3} \[\d+ [a-z]+(-\d+)?\] "/.test(l)), 'MONITOR style, clock times');
  // The model's log, line for line.
  const last = await page.evaluate(() => {
    const log = window.redisPlayground.engine.simLog(0, 100_000);
    const e = log[log.length - 1];
    const d = new Date(e.atMs);
    const p = (n, w = 2) => String(n).padStart(w, '0');
    const clock = `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
    return { text: `${clock} ${e.line.slice(e.line.indexOf('['))} → ${e.reply}`, epoch: e.line.slice(0, e.line.indexOf(' ')) };
  });
  assert.equal(lines[lines.length - 1], last.text);
  assert.match(await sim(page).locator('.rs-log-line:last-child .rs-log-head').getAttribute('title'), new RegExp(`^${last.epoch.replace('.', '\\.')} `));

  // Filter by text (over every command the engine keeps), by strategy, by a glob.
  await sim(page).locator('.rs-log-filter').fill('SETEX');
  await sim(page).locator('.rs-log-filter').press('Enter');
  let shown = await sim(page).locator('.rs-log-line').allTextContents();
  assert.ok(shown.some((l) => /^\d\d:\d\d:\d\d\.\d{3} \[1[01] (app|poller-1|listener-1)\] "SETEX" "order:\d+" "60" "pending" → OK$/.test(l)), shown.slice(0, 3).join('\n'));
  assert.ok(shown.every((l) => l.includes('SETEX')));
  await sim(page).locator('.rs-log-filter').fill('');
  await sim(page).locator('.rs-log select').selectOption('queue');
  await sim(page).locator('.rs-log-filter').press('Enter');
  shown = await sim(page).locator('.rs-log-line').allTextContents();
  assert.ok(shown.length > 0 && shown.every((l) => / \[\d+ (app|worker-\d+)\] /.test(l)), shown.slice(0, 3).join('\n'));
  assert.equal(await sim(page).locator('.rs-log-line:not(.rs-s-queue)').count(), 0);
  await sim(page).locator('.rs-log-filter').fill('*ZREM*');
  await sim(page).locator('.rs-log-filter').press('Enter');
  shown = await sim(page).locator('.rs-log-line').allTextContents();
  assert.ok(shown.length > 0 && shown.every((l) => l.includes('"ZREM"')));
  await sim(page).locator('.rs-log select').selectOption('');
  await sim(page).locator('.rs-log-filter').fill('order:3');
  await sim(page).locator('.rs-log-filter').press('Enter');
  shown = await sim(page).locator('.rs-log-line').allTextContents();
  // A key matches as a whole word: order:3 and order:3:retry_count, never order:30.
  assert.ok(shown.length > 0 && shown.every((l) => /order:3(?![0-9])/.test(l)), shown.slice(0, 3).join('\n'));
  await sim(page).locator('.rs-log-filter').fill('');
  await sim(page).locator('.rs-log-filter').press('Enter');
  assert.ok(await sim(page).locator('.rs-log-line').count() > shown.length);

  // A key in a line opens in the keyspace view: db switched, key selected, value shown.
  const link = sim(page).locator('.rs-log-line.rs-s-polling a.rs-key-link', { hasText: /^"order:\d+"$/ }).last();
  const key = await link.getAttribute('data-key');
  const db = await link.getAttribute('data-db');
  assert.equal(db, '10');
  await link.click();
  await page.waitForFunction(() => document.querySelector('#keyspace .ks-db')?.value === '10');
  await page.waitForFunction((k) => document.querySelector('#keyspace .ks-value')?.textContent.includes(k), key, { timeout: 5000 });
  const box = await page.locator('#keyspace').boundingBox();
  assert.ok(box && box.y < 900 && box.y + box.height > 0, 'the keyspace view is scrolled into view');
  // The key's row is selected when it is listed (it may have been retried and deleted since).
  const selected = await page.locator('#keyspace .ks-row.is-selected').count();
  const exists = await page.evaluate(([d, k]) => window.redisPlayground.engine.inspect(Number(d), k, 0, 1) !== null, [db, key]);
  if (exists) assert.equal(selected, 1);

  // The keys panel lists keys with their TTL, linked the same way.
  await sim(page).locator('.rs-cards').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelectorAll('#retry .rs-keys a.rs-key-link').length > 0, null, { timeout: 5000 });
  assert.match(await sim(page).locator('.rs-keys li').first().textContent(), /(TTL \d|due in|ago|expiring…)/);
  assert.deepEqual(errors, []);
});

test('the delayed queue can claim with one Lua script: EVALSHA in the log, no ZREM, no conflicts', async (t) => {
  const { page, errors } = await openSim(t);
  await page.locator('#retry .rs-advanced > summary').click();
  await configure(page, 'test-mode', { operations: 20, queueClaim: 'lua' });
  await page.click('#retry .rs-start');
  await page.evaluate(() => window.redisPlayground.clock.setSpeed(60));
  await page.waitForFunction(() => window.redisPlayground.engine.simState().metrics[2].retries >= 5, null, { timeout: 30_000 });
  await page.click('#retry .rs-pause');
  const s = await state(page);
  assert.equal(s.config.queueClaim, 'lua');
  assert.equal(s.metrics[2].claimConflicts, 0);
  const log = await page.evaluate(() => window.redisPlayground.engine.simLog(0, 100_000));
  const queue = log.filter((l) => l.db === 12).map((l) => l.line);
  assert.ok(queue.some((l) => /"EVALSHA" "[0-9a-f]{40}" "1" "retry"/.test(l)), 'the workers run the script by its SHA1');
  assert.ok(!queue.some((l) => /"ZREM"/.test(l)), 'no worker sends ZREM itself');
  await sim(page).locator('.rs-log').scrollIntoViewIfNeeded();
  await shot(page, sim(page).locator('.rs-log'), 'retry-lua-claim-log.png');
  assert.deepEqual(errors, []);
});

test('start, pause, step and reset drive the world clock', async (t) => {
  const { page, errors } = await openSim(t);
  // Only the queue: the simulation is then the only thing with a due time.
  await configure(page, 'seed', { polling: false, events: false, operations: 50 });
  await page.click('#retry .rs-start');
  await waitForRunState(page, 'running');
  assert.equal(await page.evaluate(() => window.redisPlayground.engine.speed()), 600);
  assert.equal(await page.locator('#clock .clock-speed[data-speed="600"]').getAttribute('aria-pressed'), 'true');

  // The console is the same server: the page's "Run in the console" types the lines there,
  // then puts the console back on its db.
  await sim(page).locator('.rs-try li', { hasText: 'db 12' }).getByRole('button').click();
  await page.waitForFunction(() => /ZRANGE retry 0 4 WITHSCORES/.test(document.querySelector('#console').textContent));
  assert.match(await page.locator('#console').textContent(), /SELECT 12[\s\S]*ZCARD retry[\s\S]*SELECT 0/);
  assert.equal(await page.evaluate(() => window.redisPlayground.console.prompt()), '127.0.0.1:6379> ');

  await page.click('#retry .rs-pause');
  await waitForRunState(page, 'paused');
  assert.equal(await page.evaluate(() => window.redisPlayground.engine.isPaused()), true);
  assert.equal(await page.locator('#clock .clock').getAttribute('data-state'), 'paused');
  assert.match(await page.locator('#retry .rs-pause').textContent(), /Resume/);

  // The header's step knows the simulation's next retry (a registered due source).
  await page.evaluate(() => window.redisPlayground.clock.refresh());
  const due = await page.evaluate(() => window.redisPlayground.engine.simNextDue());
  assert.ok(due > await page.evaluate(() => window.redisPlayground.engine.now()));
  assert.match(await page.locator('#clock .clock-step').getAttribute('title'), /simulation’s next retry/);

  // Step: the simulation runs to its next retry attempt and the world clock jumps there.
  const before = await state(page);
  await page.click('#retry .rs-step');
  await page.waitForFunction((n) => window.redisPlayground.engine.simState().metrics[0].retries > n, before.metrics[0].retries);
  const after = await state(page);
  assert.ok(after.nowMs >= 300_000 + before.startMs, 'the first retry comes 5 minutes after a failure');
  assert.ok(await page.evaluate(() => window.redisPlayground.engine.now()) >= after.nowMs);
  assert.equal(await page.evaluate(() => window.redisPlayground.engine.isPaused()), true);

  // Reset: the same run from its start, at the current world time.
  await page.click('#retry .rs-reset');
  const reset = await state(page);
  assert.ok(reset.startMs >= after.nowMs);
  assert.equal(reset.metrics[0].retries, 0);
  assert.equal(reset.metrics[0].notArrived + reset.metrics[0].waiting, 50);

  await page.click('#retry .rs-pause');
  await waitForRunState(page, 'running');
  assert.equal(await page.evaluate(() => window.redisPlayground.engine.isPaused()), false);
  assert.deepEqual(errors, []);
});

test('an invalid setting shows the engine\'s error next to the controls', async (t) => {
  const { page, errors } = await openSim(t);
  // The outage ends before it starts: the engine refuses the config with its own words.
  await configure(page, 'seed', { outage: true, outageStart: '5m', outageEnd: '1m' });
  await page.click('#retry .rs-start');
  const error = sim(page).locator('.rs-error');
  await error.waitFor({ state: 'visible' });
  let expected;
  try {
    await page.evaluate(() => window.redisPlayground.engine.simStart({ outage: { startMs: 300_000, endMs: 60_000 } }));
  } catch (e) {
    expected = String(e.message).replace(/^.*?: (?=outage)/, '');
  }
  assert.equal(await error.textContent(), 'outage: the window must end after it starts');
  assert.equal(expected, 'outage: the window must end after it starts');
  assert.equal(await sim(page).locator('[name="outageEnd"]').getAttribute('aria-invalid'), 'true');
  assert.equal(await runState(page), 'idle');
  // Every strategy off: the engine's message again.
  await configure(page, 'seed', { polling: false, events: false, queue: false, stream: false });
  await page.click('#retry .rs-start');
  await page.waitForFunction(() => document.querySelector('#retry .rs-error').textContent === 'strategies: enable at least one strategy');
  // What the engine can't say well (a number out of range) is checked before it.
  await configure(page, 'seed', { operations: 20000 });
  await page.click('#retry .rs-start');
  assert.match(await error.textContent(), /^operations: a whole number from 1 to 10,000$/);
  // Fixed: the error goes away and the run starts.
  await configure(page, 'seed', { operations: 10 });
  await page.click('#retry .rs-start');
  await waitForRunState(page, 'running');
  assert.equal(await error.isVisible(), false);
  assert.deepEqual(errors, []);
});

test('screenshots: the herd, the same outage with jitter, and presenter mode', async (t) => {
  for (const [preset, presenter] of [['herd', false], ['jitter', false], ['jitter', true]]) {
    const { page, errors } = await openSim(t, { presenter });
    await configure(page, preset);
    await page.click('#retry .rs-start');
    // The world clock driven by hand, a second at a time, for the same run on any machine.
    await page.click('#retry .rs-pause');
    await page.evaluate(() => {
      const e = window.redisPlayground.engine;
      for (let i = 0; i < 5000 && !e.simState().finished; i++) {
        e.advance(1000);
        while (!e.simAdvance(100_000).caughtUp);
      }
    });
    await waitForRunState(page, 'finished', 10_000);
    const tag = `${preset}${presenter ? '-presenter' : ''}`;
    // However fast the clock ran, no retry was made before its due time.
    const final = await state(page);
    for (const m of final.metrics) assert.equal(m.lateness.early, 0, `${tag}: ${JSON.stringify(m)}`);
    const peaks = await page.evaluate(() => ['polling', 'events', 'queue'].map((s) => Math.max(...window.redisPlayground.engine.simSeries(s).map((b) => b.retries))));
    if (preset === 'herd') assert.equal(peaks[2], 500, 'without jitter all 500 retry in the same second');
    else assert.ok(peaks[2] < 150, `full jitter spreads them: ${peaks}`);
    // The chart says the same in words.
    await sim(page).locator('.rs-chart').scrollIntoViewIfNeeded();
    await frames(page);
    assert.match(await sim(page).locator('.rs-chart .rs-summary').textContent(), new RegExp(`Delayed queue ${peaks[2]} at`));
    await shot(page, sim(page).locator('.rs-chart'), `retry-chart-${tag}.png`);
    await shot(page, sim(page).locator('.rs-timeline'), `retry-timeline-${tag}.png`);
    await shot(page, sim(page).locator('.rs-metrics-panel'), `retry-metrics-${tag}.png`);
    if (presenter) {
      await page.evaluate(() => document.getElementById('retry').scrollIntoView());
      await frames(page);
      await page.screenshot({ path: path.join(SCRATCH, 'retry-presenter.png') });
      // Nothing in the section sticks out sideways.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);
    }
    if (preset === 'herd') {
      fs.mkdirSync(path.dirname(README_SHOT), { recursive: true });
      await page.evaluate(() => document.querySelector('#retry .rs-grid').scrollIntoView());
      await frames(page);
      await page.screenshot({ path: README_SHOT });
    }
    assert.deepEqual(errors, []);
  }
});

test('the simulation gives the world clock back as it found it when the run ends', async (t) => {
  const { page, errors } = await openSim(t);
  await configure(page, 'seed', { polling: false, events: false, operations: 5 });
  assert.equal(await page.evaluate(() => window.redisPlayground.engine.speed()), 1);
  await page.click('#retry .rs-start');
  await waitForRunState(page, 'running');
  assert.equal(await page.evaluate(() => window.redisPlayground.engine.speed()), 600, 'Start picked a speed');
  // Step (the clock pauses) until the run is over.
  await page.click('#retry .rs-pause');
  await waitForRunState(page, 'paused');
  while (!(await state(page)).finished) {
    await page.click('#retry .rs-step');
    await frames(page);
  }
  await waitForRunState(page, 'finished');
  await page.waitForFunction(() => window.redisPlayground.engine.speed() === 1);
  assert.match(await page.locator('#retry .rs-speed-note').textContent(), /back at 1×, as it was before Start/);
  assert.deepEqual(errors, []);
});

test('"Run in the console" asks about an order that is waiting now, and leaves the console on its db', async (t) => {
  const { page, errors } = await openSim(t);
  await configure(page, 'seed', { events: false, queue: false, operations: 20 });
  await page.click('#retry .rs-start');
  await waitForRunState(page, 'running');
  await page.click('#retry .rs-pause');
  await waitForRunState(page, 'paused');
  await page.evaluate(() => window.redisPlayground.console.run('SELECT 3'));
  await sim(page).locator('.rs-try li', { hasText: 'db 10' }).getByRole('button').click();
  await page.waitForFunction(() => /GET order:\d+:retry_count/.test(document.querySelector('#console').textContent));
  const text = await page.locator('#console').textContent();
  const key = /TTL (order:\d+)/.exec(text)?.[1];
  assert.ok(key, 'a TTL line');
  // The TTL the console printed is positive: the key was waiting.
  const printed = /TTL order:\d+(?:Copy)?\(integer\) (-?\d+)/.exec(text)?.[1];
  assert.ok(Number(printed) > 0, `TTL printed: ${printed}`);
  assert.equal(await page.evaluate(() => window.redisPlayground.console.prompt()), '127.0.0.1:6379[3]> ', 'back on its db');
  assert.deepEqual(errors, []);
});

test('the seed’s code is shown, lines numbered, and each problem points at its lines', async (t) => {
  const { page, errors } = await openSim(t);
  const code = sim(page).locator('.rs-seed-code .rs-code-line');
  assert.equal(await code.count(), 29);
  assert.equal(await code.nth(20).textContent(), '21             r.expire(operation_id, 600)');
  const ref = sim(page).locator('.rs-seed li', { hasText: 'expire(operation_id, 600)' }).locator('.rs-code-ref');
  assert.equal(await ref.textContent(), 'Line 21');
  await ref.click();
  assert.deepEqual(await sim(page).locator('.rs-code-marked').evaluateAll((els) => els.map((e) => e.dataset.line)), ['21']);
  assert.deepEqual(errors, []);
});

test('on a phone the four strategies can be compared: the metrics fit, or a cue says to scroll', async (t) => {
  const { page, errors } = await openSim(t, { viewport: { width: 390, height: 844 } });
  await configure(page, 'seed', { operations: 20 });
  await page.click('#retry .rs-start');
  await waitForRunState(page, 'running');
  await sim(page).locator('.rs-metrics-panel').scrollIntoViewIfNeeded();
  await frames(page);
  const { fits, cue, columns } = await page.evaluate(() => {
    const wrap = document.querySelector('#retry .rs-metrics-wrap');
    const c = document.querySelector('#retry .rs-scroll-cue');
    return {
      fits: wrap.scrollWidth <= wrap.clientWidth + 2,
      cue: !c.hidden && c.getBoundingClientRect().height > 0 ? c.textContent : null,
      columns: document.querySelectorAll('#retry .rs-metrics thead th').length,
    };
  });
  assert.equal(columns, 5, 'a column per strategy');
  assert.ok(fits || /scroll sideways to compare the strategies/.test(cue ?? ''), `fits: ${fits}, cue: ${cue}`);
  assert.deepEqual(errors, []);
});
