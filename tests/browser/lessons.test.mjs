// Tier 4 for the examples and lessons pane (www/js/lessons/): the page in headless Chromium
// (Debian's /usr/bin/chromium through playwright-core), served by scripts/static-server.mjs on a
// free loopback port. Every example's Run button, a guided lesson (own command, wrong command,
// Type it for me, clock jump, next/previous, progress across a reload), keyboard use, and
// screenshots into screenshots/tmp/. Needs www/pkg/ from scripts/build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { useBrowser, env } from './console-harness.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCRATCH = path.join(ROOT, 'screenshots', 'tmp'); // ignored by git: pictures to look at
const DATA = path.join(ROOT, 'www', 'lessons');

const readJson = (name) => JSON.parse(fs.readFileSync(path.join(DATA, name), 'utf8'));
const index = readJson('index.json');
const examples = readJson(index.examples);
const lessons = Object.fromEntries(index.lessons.map(readJson).map((l) => [l.id, l]));
const expected = (step) => (Array.isArray(step.expect) ? step.expect.join('\n') : step.expect);

useBrowser();

/** A fresh page (own storage) with the lessons pane loaded; requests and page errors recorded. */
async function openPage(t, { viewport = { width: 1280, height: 800 }, presenter = false } = {}) {
  const context = await env.browser.newContext({ viewport });
  t.after(() => context.close());
  if (presenter) await context.addInitScript(() => localStorage.setItem('redis-playground:presenter', '1'));
  const page = await context.newPage();
  const seen = { requests: [], errors: [], dialogs: [] };
  page.on('request', (r) => seen.requests.push(r.url()));
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') seen.errors.push(m.text()); });
  page.on('dialog', (d) => { seen.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  await page.goto(env.baseUrl);
  await ready(page);
  return { page, seen, context };
}

/** The page is ready; its world clock is paused (a TTL reads the same however fast the machine is). */
async function ready(page) {
  await page.waitForSelector('#input:not([disabled])', { timeout: 20_000 });
  await page.waitForSelector('#lessons[data-ready="true"]', { timeout: 20_000 });
  await page.evaluate(() => window.redisPlayground.engine.pause());
}

/** Every transcript entry as { line, result }. */
// (This visit's lines: a reload shows the last visit's too, marked `.restored`.)
const transcript = (page) => page.locator('#output .entry').evaluateAll((entries) => entries
  .filter((e) => e.querySelector('.echo') && !e.classList.contains('restored'))
  .map((e) => ({
    line: e.querySelector('.echo-line')?.textContent ?? '',
    result: e.querySelector('.result')?.textContent ?? '',
  })));

/** Type a line into the console and press Enter, as a learner would. */
async function type(page, line) {
  const before = await page.locator('#output .entry').count();
  await page.locator('#input').pressSequentially(line);
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => document.querySelectorAll('#output .entry').length > n, before);
}

async function shot(page, name) {
  fs.mkdirSync(SCRATCH, { recursive: true });
  await page.screenshot({ path: path.join(SCRATCH, name) });
}

/** A reply equal to the data file's (the world clock is paused: TTLs too). */
function assertReply(got, step, where) {
  const want = expected(step);
  if (step.unordered) {
    const els = (s) => s.split('\n').map((l) => l.replace(/^\d+\) /, '')).sort();
    assert.deepEqual(els(got), els(want), where);
    return;
  }
  assert.equal(got, want, where);
}

const status = (page) => page.locator('.lx-status').textContent();
const meta = (page) => page.locator('.lx-meta').textContent();

// --- the gallery ----------------------------------------------------------------------------

test('each example\'s Run button runs its command in the console and its reply appears', async (t) => {
  for (const group of examples.groups) {
    await t.test(group.title, async (t2) => {
      const { page, seen } = await openPage(t2);
      const details = page.locator(`details.lx-group[data-group="${group.id}"]`);
      if (!(await details.evaluate((d) => d.open))) await details.locator('summary').click();
      const rows = details.locator('.lx-step');
      assert.equal(await rows.count(), group.steps.length);
      let entries = (await transcript(page)).length;
      for (let i = 0; i < group.steps.length; i++) {
        const step = group.steps[i];
        const where = `${group.id} step ${i + 1}`;
        if (step.advance !== undefined) {
          await rows.nth(i).getByRole('button', { name: /^Jump the world clock/ }).click();
          assert.equal((await transcript(page)).length, entries, `${where}: a clock jump runs no command`);
          assert.match(await page.locator('#output .entry.note').last().textContent(), /^◷ World clock jumped .* ahead, to \d\d:\d\d:\d\d$/, `${where}: the console shows the jump`);
          continue;
        }
        // The row shows what the command prints.
        const shownExpect = await rows.nth(i).locator('.lx-expect').textContent();
        const want = Array.isArray(step.expect) ? step.expect : String(step.expect).split('\n');
        assert.equal(shownExpect.split('\n')[0], want[0], `${where}: the expected reply is shown`);
        const button = rows.nth(i).getByRole('button', { name: `Run ${step.command}`, exact: true });
        await button.click();
        const now = await transcript(page);
        assert.equal(now.length, entries + 1, `${where}: one console entry per Run`);
        entries = now.length;
        assert.equal(now.at(-1).line, step.command, `${where}: the console echoes the line`);
        assertReply(now.at(-1).result, step, `${where} (${step.command})`);
        assert.match(await rows.nth(i).getAttribute('class'), /lx-ran/, `${where}: the row shows it ran`);
      }
      assert.deepEqual(seen.errors, []);
    });
  }
});

test('Run all plays a whole group in order; the gallery remembers which groups are open', async (t) => {
  const { page } = await openPage(t);
  const group = examples.groups.find((g) => g.id === 'hashes');
  const details = page.locator('details.lx-group[data-group="hashes"]');
  await details.locator('summary').click();
  await details.getByRole('button', { name: /^Run all \d+ Hashes examples/ }).click();
  const got = await transcript(page);
  assert.deepEqual(got.map((e) => e.line), group.steps.map((s) => s.command));
  group.steps.forEach((s, i) => assertReply(got[i].result, s, `hashes step ${i + 1}`));

  await page.reload();
  await ready(page);
  assert.equal(await page.locator('details.lx-group[data-group="hashes"]').evaluate((d) => d.open), true,
    'an opened group stays open after a reload');
});

// --- the guided mode ------------------------------------------------------------------------

test('a guided lesson: own commands complete steps, wrong ones do not; next/previous; progress survives a reload', async (t) => {
  const { page, seen } = await openPage(t);
  const lesson = lessons.caching;
  const n = lesson.steps.length;
  await page.getByRole('tab', { name: 'Lessons' }).click();
  await page.getByRole('button', { name: `Start lesson: ${lesson.title}` }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'lx-title', 'focus moves to the lesson');
  assert.equal(await meta(page), `Step 1 of ${n} · 0 done`);
  assert.equal(await page.locator('.lx-text').textContent(), lesson.steps[0].text);
  assert.equal(await page.locator('.lx-task .lx-cmd').textContent(), lesson.steps[0].command);
  assert.equal(await page.getByRole('button', { name: 'Previous' }).isDisabled(), true, 'no previous on step 1');
  assert.doesNotMatch(await status(page), /Done/);

  // Step 1: the learner's own typing.
  await type(page, 'GET cache:user:42');
  assert.match(await status(page), /Done/);
  assert.equal(await meta(page), `Step 1 of ${n} · 1 done`);
  await shot(page, 'lessons-step-done.png');

  // Step 2: a wrong command (no expiry), an unrelated one, then the learner's own variant.
  await page.getByRole('button', { name: /^Next/ }).click();
  assert.equal(await meta(page), `Step 2 of ${n} · 1 done`);
  await type(page, 'SET cache:user:42 "no ttl"');
  assert.match(await status(page), /Not quite/);
  assert.doesNotMatch(await status(page), /Done/);
  await shot(page, 'lessons-step-miss.png');
  await type(page, 'PING');
  assert.doesNotMatch(await status(page), /Done/, 'an unrelated command does not complete the step');
  await type(page, "set cache:user:42 '{\"id\":42}' ex 300");
  assert.match(await status(page), /Done/, 'any value with an expiry will do, in any case');

  // Keyboard: Alt+N is Next, Alt+Shift+N is Previous; a done step stays done.
  await page.locator('#input').focus();
  await page.keyboard.press('Alt+N');
  assert.equal(await meta(page), `Step 3 of ${n} · 2 done`);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'input', 'Alt+N leaves the caret in the console');
  await page.keyboard.press('Alt+Shift+N');
  assert.equal(await meta(page), `Step 2 of ${n} · 2 done`);
  assert.match(await status(page), /Done/, 'going back shows the step as done');
  await page.getByRole('button', { name: /^Next/ }).click();

  // Step 3: "Type it for me" runs the command in the console, which completes the step.
  await page.getByRole('button', { name: `Type it for me: ${lesson.steps[2].command}` }).click();
  const last = (await transcript(page)).at(-1);
  assert.equal(last.line, lesson.steps[2].command);
  assert.equal(last.result, '"{\\"id\\":42}"', 'the value the learner stored themselves');
  assert.match(await status(page), /Done/);
  await page.getByRole('button', { name: /^Next/ }).click();
  assert.equal(await meta(page), `Step 4 of ${n} · 3 done`);

  // A reload: same tab, same lesson, same step, same progress; the playground is fresh, so the
  // lesson offers to replay the earlier steps.
  await page.reload();
  await ready(page);
  assert.equal(await page.getByRole('tab', { name: 'Lessons' }).getAttribute('aria-selected'), 'true');
  assert.equal(await meta(page), `Step 4 of ${n} · 3 done`);
  assert.equal(await page.locator('.lx-dots li.lx-dot-done').count(), 3);
  await page.getByRole('button', { name: 'Replay steps 1–3' }).click();
  const replayed = (await transcript(page)).map((e) => e.line);
  assert.deepEqual(replayed, lesson.steps.slice(0, 3).map((s) => s.command));
  assert.equal(await page.locator('.lx-catchup').isHidden(), true);
  await type(page, 'EXISTS cache:user:42');
  assert.equal((await transcript(page)).at(-1).result, '(integer) 1', 'the replay brought the key back');
  assert.doesNotMatch(await status(page), /Done/, 'EXISTS is not this step\'s command');

  // Step 4: TTL; step 5: the clock jump; step 6: the key has expired.
  await type(page, 'TTL cache:user:42');
  assert.match(await status(page), /Done/);
  await page.keyboard.press('Alt+N');
  assert.equal(await meta(page), `Step 5 of ${n} · 4 done`);
  assert.doesNotMatch(await status(page), /Done/);
  await page.getByRole('button', { name: 'Jump the world clock 5 min 1 s ahead' }).click();
  assert.match(await status(page), /Done/, 'the jump completes a clock step');
  await page.keyboard.press('Alt+N');
  await type(page, 'GET cache:user:42');
  assert.equal((await transcript(page)).at(-1).result, '(nil)', 'the cached copy expired with the jump');
  assert.match(await status(page), /Done/);

  // Back to the list: the card shows the progress.
  await page.getByRole('button', { name: 'Back to all lessons' }).click();
  const card = page.locator('.lx-card[data-lesson="caching"]');
  assert.match(await card.textContent(), /6 of 30 steps done/);
  assert.equal(await card.getByRole('button').textContent(), 'Continue');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), `Continue lesson: ${lesson.title}`,
    'focus returns to the lesson\'s card');
  await shot(page, 'lessons-list.png');
  assert.deepEqual(seen.errors, []);
  assert.deepEqual(seen.dialogs, []);
});

test('the caching lesson\'s eviction steps: past a small maxmemory, allkeys-lru evicts the idlest keys and the keyspace view says so', async (t) => {
  const { page, seen } = await openPage(t);
  const lesson = lessons.caching;
  const first = lesson.steps.findIndex((s) => /^CONFIG SET maxmemory /.test(s.command ?? ''));
  assert.ok(first > 0, 'the lesson has an eviction part');
  await page.getByRole('tab', { name: 'Lessons' }).click();
  await page.getByRole('button', { name: `Start lesson: ${lesson.title}` }).click();
  for (let i = 0; i < first; i++) await page.getByRole('button', { name: /^Next/ }).click();
  for (let i = first; i < lesson.steps.length; i++) {
    const step = lesson.steps[i];
    if (step.advance !== undefined) {
      await page.getByRole('button', { name: /^Jump the world clock/ }).click();
    } else {
      await page.locator('.lx-type').click();
      assertReply((await transcript(page)).at(-1).result, step, `caching step ${i + 1} (${step.command})`);
    }
    assert.match(await status(page), /Done/, `step ${i + 1}`);
    if (step.command === 'DBSIZE') {
      // Before maxmemory goes back to 0: the view names the evicted keys and why.
      const note = page.locator('#keyspace .ks-evicted');
      await note.waitFor({ state: 'attached' });
      assert.match(await note.textContent(), /^Evicted \(maxmemory-policy allkeys-lru\): cache:user:[234] idle longest \(30 s\) · cache:user:[234] idle longest \(30 s\)$/);
      await shot(page, 'lessons-caching-eviction.png');
    }
    if (i < lesson.steps.length - 1) await page.getByRole('button', { name: /^Next/ }).click();
  }
  assert.deepEqual(seen.errors, []);
});

test('the last step finishes the lesson; reset forgets progress', async (t) => {
  const { page } = await openPage(t);
  const lesson = lessons.likes;
  await page.getByRole('tab', { name: 'Lessons' }).click();
  await page.getByRole('button', { name: `Start lesson: ${lesson.title}` }).click();
  for (let i = 0; i < lesson.steps.length; i++) {
    await page.locator('.lx-type').click();
    assert.match(await status(page), /Done/, `step ${i + 1}`);
    assertReply((await transcript(page)).at(-1).result, lesson.steps[i], `likes step ${i + 1}`);
    if (i < lesson.steps.length - 1) await page.getByRole('button', { name: /^Next/ }).click();
  }
  assert.match(await status(page), /last step/);
  assert.equal(await page.getByRole('button', { name: 'Finish' }).count(), 1);
  await page.getByRole('button', { name: 'Finish' }).click();
  const card = page.locator('.lx-card[data-lesson="likes"]');
  assert.match(await card.textContent(), /All 11 steps done/);
  assert.equal(await card.getByRole('button').textContent(), 'Review');
  await page.getByRole('button', { name: 'Forget my progress in every lesson' }).click();
  assert.match(await card.textContent(), /0 of 11 steps done/);
  await page.reload();
  await ready(page);
  assert.match(await page.locator('.lx-card[data-lesson="likes"]').textContent(), /0 of 11 steps done/);
});

// --- keyboard, labels, presenter mode, small screens ------------------------------------------

test('the pane works from the keyboard alone and every control has a name', async (t) => {
  const { page } = await openPage(t);
  await page.locator('#lx-tab-examples').focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'lx-tab-lessons');
  assert.equal(await page.locator('#lx-panel-lessons').isVisible(), true);
  assert.equal(await page.locator('#lx-panel-examples').isHidden(), true);
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.locator('#lx-panel-examples').isVisible(), true);

  // Tab into the gallery: the first group's summary, then its first Run button.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'SUMMARY');
  await page.keyboard.press('Enter'); // closes the open group
  assert.equal(await page.locator('details.lx-group').first().evaluate((d) => d.open), false);
  await page.keyboard.press('Enter'); // and opens it again
  await page.keyboard.press('Tab');
  const first = examples.groups[0].steps[0].command;
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), `Run ${first}`);
  await page.keyboard.press('Enter');
  assert.equal((await transcript(page)).at(-1).line, first);
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), `Run ${first}`,
    'focus stays on the button, ready for the next one');

  // Start a lesson from the keyboard.
  await page.locator('#lx-tab-examples').focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Start lesson: Caching with a TTL');
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('.lx-guide').isVisible(), true);

  const unnamed = await page.locator('#lessons').evaluate((root) => [...root.querySelectorAll('button, summary, [role="tab"]')]
    .filter((b) => !(b.getAttribute('aria-label') || b.textContent.trim()))
    .map((b) => b.outerHTML));
  assert.deepEqual(unnamed, [], 'every control has an accessible name');
  assert.equal(await page.locator('#lessons [role="tablist"]').getAttribute('aria-label'), 'Examples and lessons');
  assert.equal(await page.locator('.lx-status').getAttribute('aria-live'), 'polite');
});

test('screenshots: the gallery, presenter mode, a phone', async (t) => {
  {
    const { page, seen } = await openPage(t);
    await page.locator('details.lx-group[data-group="keys-ttl"] summary').click();
    await page.getByRole('button', { name: 'Run SET key "Hello, World!"', exact: true }).click();
    await page.getByRole('button', { name: 'Run GET key', exact: true }).click();
    await shot(page, 'lessons-examples.png');
    const origin = new URL(env.baseUrl).origin;
    assert.deepEqual(seen.requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:')), [],
      'the lessons load from the page\'s own origin');
    assert.ok(seen.requests.some((u) => u.endsWith('/lessons/index.json')));
  }
  {
    const { page } = await openPage(t, { presenter: true });
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('presenter')), true);
    await page.getByRole('tab', { name: 'Lessons' }).click();
    await page.getByRole('button', { name: 'Start lesson: Retrying a failed push' }).click();
    await page.locator('.lx-type').click();
    const size = await page.locator('.lx-text').evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
    assert.ok(size >= 18, `presenter mode enlarges the lesson text (${size}px)`);
    await shot(page, 'lessons-presenter.png');
  }
  {
    const { page } = await openPage(t, { viewport: { width: 390, height: 780 } });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling (${overflow}px)`);
    await page.getByRole('tab', { name: 'Lessons' }).click();
    await page.getByRole('button', { name: 'Start lesson: Real-time sales analytics' }).click();
    await shot(page, 'lessons-phone.png');
  }
});

test('deep links land on a lesson, an example group or the simulation; a lesson links to the simulation', async (t) => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  t.after(() => context.close());
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${env.baseUrl}#lesson-caching`);
  await ready(page);
  await page.waitForSelector('.lx-guide:not([hidden])');
  assert.equal(await page.locator('.lx-guide .lx-title').textContent(), lessons.caching.title);

  await page.goto(`${env.baseUrl}#example-hashes`);
  await page.waitForFunction(() => document.querySelector('details#example-hashes')?.open === true);
  assert.equal(await page.locator('details#example-hashes').isVisible(), true);

  await page.goto(`${env.baseUrl}#retry`);
  await page.reload();
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true');
  await page.waitForFunction(() => Math.abs(document.getElementById('retry').getBoundingClientRect().top) < 40);

  // The retry lesson's last step links to the simulation.
  await page.goto(`${env.baseUrl}#lesson-retry`);
  await ready(page);
  await page.waitForSelector('.lx-guide:not([hidden])');
  const last = lessons.retry.steps.length;
  for (let i = 1; i < last; i++) await page.getByRole('button', { name: 'Next' }).click();
  const link = page.locator('.lx-text .lx-link');
  assert.equal(await link.getAttribute('href'), '#retry');
  await link.click();
  await page.waitForFunction(() => Math.abs(document.getElementById('retry').getBoundingClientRect().top) < 40);
  assert.deepEqual(errors, []);
});

test('a step that counts on time, with the clock fast or paused, says so and offers 1×', async (t) => {
  const { page, seen } = await openPage(t);
  await page.evaluate(() => { const e = window.redisPlayground.engine; e.resume(); e.setSpeed(600); });
  await page.getByRole('tab', { name: 'Lessons' }).click();
  await page.getByRole('button', { name: `Start lesson: ${lessons.caching.title}` }).click();
  assert.equal(await page.locator('.lx-time-offer').count(), 0, 'GET: nothing about time');
  await page.getByRole('button', { name: 'Next' }).click(); // SET … EX 300
  const offer = page.locator('.lx-time-offer');
  assert.match(await offer.textContent(), /runs at 600×: a TTL in this step passes 600 times faster/);
  await offer.getByRole('button', { name: 'Back to 1×' }).click();
  assert.equal(await page.evaluate(() => window.redisPlayground.engine.speed()), 1);
  assert.equal(await offer.count(), 0);
  assert.deepEqual(seen.errors, []);
});
