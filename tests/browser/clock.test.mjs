// The world clock in the header (www/js/clock/): speed presets and a typed speed, pause and
// resume, step to the next due event (a key's TTL, or a registered due source), the keyboard
// shortcuts, catching up after a throttled background tab, and the header's layout in
// presenter mode and on a phone.
//
// Every wait is for a state of the page (with a generous timeout), never a timing assertion;
// the catch-up test drives the page's timers with Playwright's fake clock instead of waiting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openConsole, run, screenshot, env, ticks } from './console-harness.mjs';

useBrowser();

/** A fresh page with the clock mounted (optionally in presenter mode / with a fake clock). */
async function openClock(t, { viewport = { width: 1280, height: 800 }, presenter = false, fakeClock = false } = {}) {
  if (!presenter && !fakeClock) {
    const opened = await openConsole(t, { viewport });
    await opened.page.waitForSelector('#clock .clock');
    return opened;
  }
  const context = await env.browser.newContext({ viewport });
  t.after(() => context.close());
  const page = await context.newPage();
  const seen = { dialogs: [], errors: [] };
  page.on('dialog', (d) => { seen.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  if (presenter) await page.addInitScript(() => localStorage.setItem('redis-playground:presenter', '1'));
  if (fakeClock) await page.clock.install();
  await page.goto(env.baseUrl);
  await page.waitForSelector('#input:not([disabled])', { timeout: 20_000 });
  await page.waitForSelector('#clock .clock', { timeout: 10_000 });
  return { page, seen, context };
}

const engineCall = (page, method, ...args) =>
  page.evaluate(([m, a]) => window.redisPlayground.engine[m](...a), [method, args]);
const now = (page) => engineCall(page, 'now');
const side = (page, line) => engineCall(page, 'sideExec', line);

const clock = (page) => page.locator('#clock .clock');
const preset = (page, speed) => page.locator(`#clock .clock-speed[data-speed="${speed}"]`);
const pauseButton = (page) => page.locator('#clock .clock-pause');
const stepButton = (page) => page.locator('#clock .clock-step');
const speedBox = (page) => page.locator('#clock .clock-custom-input');

/** Wait until the step button's aria-disabled is `want` ('true' | 'false'). */
function waitForStep(page, want) {
  return page.waitForFunction((w) => document.querySelector('#clock .clock-step')?.getAttribute('aria-disabled') === w,
    want, { timeout: 5000 });
}

/** The pressed speed presets' speeds. */
const pressed = (page) => page.locator('#clock .clock-speed[aria-pressed="true"]')
  .evaluateAll((bs) => bs.map((b) => Number(b.dataset.speed)));

/** Boxes of the header's parts, for layout checks. */
async function headerLayout(page) {
  // The header fits its buttons' words to the row on the next frame after a change.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return page.evaluate(() => {
    const box = (sel) => {
      const r = document.querySelector(sel).getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height };
    };
    const controls = ['.clock-face', '.clock-speeds', '.clock-pause', '.clock-step'].map((s) => box(`#clock ${s}`));
    return {
      viewport: window.innerWidth,
      scrollWidth: document.documentElement.scrollWidth,
      header: box('.site-header'),
      brand: box('.site-header h1'),
      clock: box('#clock .clock'),
      tools: box('.header-tools'),
      controls,
    };
  });
}

/** Every control is inside the viewport, and none overlaps another. */
function assertNoOverlap(layout, what) {
  assert.ok(layout.scrollWidth <= layout.viewport, `${what}: the page does not scroll sideways (${layout.scrollWidth} > ${layout.viewport})`);
  const parts = [layout.brand, layout.tools, ...layout.controls];
  for (const p of parts) assert.ok(p.left >= 0 && p.right <= layout.viewport + 0.5, `${what}: ${JSON.stringify(p)} is inside the viewport`);
  for (let i = 0; i < parts.length; i++) {
    for (let j = i + 1; j < parts.length; j++) {
      const a = parts[i];
      const b = parts[j];
      const overlap = a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
      assert.ok(!overlap, `${what}: header parts ${i} and ${j} overlap: ${JSON.stringify(a)} ${JSON.stringify(b)}`);
    }
  }
}

test('the clock shows the world time, real time, and nothing to step to on a fresh page', async (t) => {
  const { page, seen } = await openClock(t);
  assert.equal(await clock(page).getAttribute('role'), 'group');
  assert.equal(await clock(page).getAttribute('aria-label'), 'World clock');
  assert.match(await page.locator('#clock .clock-time').textContent(), /^\d\d:\d\d:\d\d$/);
  assert.equal(await page.locator('#clock .clock-date').isVisible(), false, 'no date while the world is on today');
  assert.equal(await page.locator('#clock .clock-state').textContent(), 'real time');
  assert.equal(await clock(page).getAttribute('data-state'), 'real');
  assert.deepEqual(await pressed(page), [1]);
  assert.equal(await engineCall(page, 'speed'), 1);
  assert.equal(await engineCall(page, 'isPaused'), false);
  assert.equal(await pauseButton(page).textContent(), '❚❚Pause');
  assert.equal(await stepButton(page).getAttribute('aria-disabled'), 'true');
  assert.match(await stepButton(page).getAttribute('title'), /^Nothing is due/);
  // The time on the face follows the engine's world time.
  const shown = await page.evaluate(() => {
    const d = new Date(window.redisPlayground.engine.now());
    const p = (n) => String(n).padStart(2, '0');
    return { face: document.querySelector('#clock .clock-time').textContent, engine: `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}` };
  });
  assert.ok(Math.abs(toSeconds(shown.face) - toSeconds(shown.engine)) <= 1, `${shown.face} ≈ ${shown.engine}`);
  // The API for the rest of the page.
  assert.equal(await page.evaluate(() => typeof window.redisPlayground.clock.registerDueSource), 'function');
  assert.deepEqual(seen.errors, []);
});

function toSeconds(hms) {
  const [h, m, s] = hms.split(':').map(Number);
  return h * 3600 + m * 60 + s;
}

test('speed presets set the engine speed; at 60× a TTL of 60 s drops by 50 s in about a second', async (t) => {
  const { page, seen } = await openClock(t);
  for (const speed of [10, 600, 3600, 1]) {
    await preset(page, speed).click();
    assert.equal(await engineCall(page, 'speed'), speed);
    assert.deepEqual(await pressed(page), [speed]);
    assert.equal(await speedBox(page).inputValue(), String(speed));
    // Back at 1× after running fast, the world is ahead of the wall clock: it says so.
    const st = await clock(page).getAttribute('data-state');
    if (speed === 1) assert.ok(st === 'real' || st === 'offset', st);
    else assert.equal(st, 'fast');
  }
  // Paused while the key is made and read: its TTL is exactly 60 however fast the machine is.
  await pauseButton(page).click();
  assert.equal(await run(page, 'SET k v EX 60'), 'OK');
  assert.equal(await run(page, 'TTL k'), '(integer) 60');
  await pauseButton(page).click();

  const t0 = await now(page);
  await preset(page, 60).click();
  assert.equal(await engineCall(page, 'speed'), 60);
  assert.equal(await clock(page).getAttribute('data-state'), 'fast');
  assert.equal(await page.locator('#clock .clock-state').textContent(), '60× faster');
  assert.match(await page.locator('#clock .clock-face').getAttribute('title'), /60× faster than real time/);
  // Wait (for a state) until 50 s of world time have passed, and freeze the world there.
  await page.waitForFunction((start) => {
    const e = window.redisPlayground.engine;
    if (e.now() - start < 50_000) return false;
    e.pause();
    return true;
  }, t0, { timeout: 15_000, polling: 10 });
  const ttl = await run(page, 'TTL k');
  const n = Number(/^\(integer\) (-?\d+)$/.exec(ttl)?.[1]);
  assert.ok(n <= 10 && (n >= 0 || n === -2), `TTL k dropped by at least 50 s: ${ttl}`);
  await screenshot(page, 'clock-fast.png');
  assert.deepEqual(seen.errors, []);
});

test('any speed from 1× to 3600× can be typed; out-of-range speeds are clamped', async (t) => {
  const { page, seen } = await openClock(t);
  for (const [typed, want] of [['120', 120], ['2.5', 2.5], ['99999', 3600], ['0', 1], ['-5', 1], ['600', 600]]) {
    await speedBox(page).fill(typed);
    await speedBox(page).press('Enter');
    assert.equal(await engineCall(page, 'speed'), want, `typed ${typed}`);
    assert.equal(await speedBox(page).inputValue(), String(want));
  }
  assert.deepEqual(await pressed(page), [600], 'a typed preset value presses its button');
  await speedBox(page).fill('42');
  await speedBox(page).press('Enter');
  assert.deepEqual(await pressed(page), [], 'no preset is pressed at 42×');
  assert.equal(await page.locator('#clock .clock-state').textContent(), '42× faster');
  // Esc puts the current speed back; leaving the box without Enter applies what was typed.
  await speedBox(page).fill('7');
  await speedBox(page).press('Escape');
  assert.equal(await speedBox(page).inputValue(), '42');
  assert.equal(await engineCall(page, 'speed'), 42);
  await speedBox(page).fill('7');
  await page.locator('#input').focus();
  assert.equal(await engineCall(page, 'speed'), 7);
  assert.deepEqual(seen.errors, []);
});

test('pause freezes the world clock and TTLs; resume carries on from there', async (t) => {
  const { page, seen } = await openClock(t);
  assert.equal(await run(page, 'SET k v EX 100'), 'OK');
  await preset(page, 60).click();
  await pauseButton(page).click();
  assert.equal(await engineCall(page, 'isPaused'), true);
  assert.equal(await pauseButton(page).textContent(), '►Resume');
  assert.match(await pauseButton(page).getAttribute('title'), /Resume the world clock \(Alt\+K\)/);
  assert.equal(await clock(page).getAttribute('data-state'), 'paused');
  assert.equal(await page.locator('#clock .clock-state').textContent(), 'paused');
  const frozen = await now(page);
  const pttl = await run(page, 'PTTL k');
  const face = await page.locator('#clock .clock-time').textContent();
  await ticks(page, 7); // seven ticks at 60×: 42 s of world time if it were running
  assert.equal(await now(page), frozen);
  assert.equal(await run(page, 'PTTL k'), pttl);
  assert.equal(await page.locator('#clock .clock-time').textContent(), face);
  await screenshot(page, 'clock-paused.png');

  await pauseButton(page).click();
  assert.equal(await engineCall(page, 'isPaused'), false);
  assert.equal(await pauseButton(page).textContent(), '❚❚Pause');
  assert.equal(await clock(page).getAttribute('data-state'), 'fast');
  await page.waitForFunction((f) => window.redisPlayground.engine.now() > f + 1000, frozen, { timeout: 5000 });
  const later = Number(/\d+/.exec(await run(page, 'PTTL k'))[0]);
  assert.ok(later < Number(/\d+/.exec(pttl)[0]), 'the TTL counts down again');
  assert.deepEqual(seen.errors, []);
});

test('step jumps just past the next key expiry, and is disabled when nothing is due', async (t) => {
  const { page, seen } = await openClock(t);
  assert.equal(await stepButton(page).getAttribute('aria-disabled'), 'true');
  await pauseButton(page).click();
  const before = await now(page);
  await stepButton(page).click({ force: true }); // aria-disabled: focusable, but does nothing
  assert.equal(await now(page), before, 'a disabled step does not move the world');

  assert.equal(await run(page, 'SET k v EX 600'), 'OK');
  assert.equal(await run(page, 'SET later v EX 3600'), 'OK');
  assert.equal(await run(page, 'SELECT 3'), 'OK');
  assert.equal(await run(page, 'SET other v EX 7200'), 'OK');
  await waitForStep(page, 'false');
  assert.match(await stepButton(page).getAttribute('title'), /^Jump to the next due event: a key’s TTL runs out in 10 min \(at \d\d:\d\d:\d\d\)\. \(Alt\+Shift\+K\)$/);
  const t0 = await now(page);
  await stepButton(page).click();
  const t1 = await now(page);
  assert.ok(t1 - t0 > 599_000 && t1 - t0 <= 600_001, `jumped ${t1 - t0} ms`);
  assert.equal(await run(page, 'SELECT 0'), 'OK');
  assert.equal(await run(page, 'GET k'), '(nil)');
  assert.equal(await run(page, 'GET later'), '"v"');
  assert.equal(await run(page, 'TTL later'), '(integer) 3000');
  assert.match(await stepButton(page).getAttribute('title'), /in 50 min/);

  await stepButton(page).click();
  assert.equal(await run(page, 'GET later'), '(nil)');
  await stepButton(page).click(); // the key in db 3 counts too
  assert.equal(await side(page, 'SELECT 3'), 'OK');
  assert.equal(await side(page, 'EXISTS other'), '(integer) 0');
  await waitForStep(page, 'true');
  assert.match(await stepButton(page).getAttribute('title'), /^Nothing is due/);
  assert.equal(await page.locator(`#${await stepButton(page).getAttribute('aria-describedby')}`).textContent(),
    'Nothing is due: no key has a TTL and nothing is scheduled.');

  // While the world runs, too.
  await pauseButton(page).click();
  assert.equal(await run(page, 'SET x v EX 30'), 'OK');
  await waitForStep(page, 'false');
  await stepButton(page).click();
  assert.equal(await run(page, 'GET x'), '(nil)');
  assert.equal(await engineCall(page, 'isPaused'), false, 'stepping does not pause');
  await screenshot(page, 'clock-stepped.png');
  assert.deepEqual(seen.errors, []);
});

test('step also goes to the due events of registered sources (the retry simulation)', async (t) => {
  const { page, seen } = await openClock(t);
  await pauseButton(page).click();
  await page.evaluate(async () => {
    const m = await import('/js/clock/clock.js');
    window.__due = undefined;
    window.__events = [];
    window.__unregister = m.registerDueSource(() => window.__due, { label: 'a retry' });
    m.onClockChange((ev) => window.__events.push({ type: ev.type, kind: ev.due?.kind, to: ev.to }));
    window.redisPlayground.clock.refresh();
  });
  await waitForStep(page, 'true');

  const t0 = await now(page);
  await page.evaluate((at) => { window.__due = at; window.redisPlayground.clock.refresh(); }, t0 + 5000);
  await waitForStep(page, 'false');
  assert.match(await stepButton(page).getAttribute('title'), /^Jump to the next due event: a retry in 5 s/);
  assert.equal(await run(page, 'SET k v EX 60'), 'OK');
  const k0 = await now(page);
  const result = await page.evaluate(async () => {
    const m = await import('/js/clock/clock.js');
    if (m.worldClock() !== window.redisPlayground.clock) throw new Error('worldClock() is the mounted clock');
    return m.worldClock().step();
  });
  assert.equal(result.due.kind, 'source');
  assert.equal(await now(page), t0 + 5001, 'the source came first: just past it');
  assert.equal(await run(page, 'TTL k'), `(integer) ${Math.round((k0 + 60_000 - (t0 + 5001)) / 1000)}`);

  // A due time already behind the world is the source's own business: step looks ahead.
  await page.evaluate((at) => { window.__due = at; }, t0);
  const second = await page.evaluate(() => window.redisPlayground.clock.step());
  assert.equal(second.due.kind, 'expiry');
  assert.equal(await run(page, 'GET k'), '(nil)');
  assert.deepEqual(await page.evaluate(() => window.__events.filter((e) => e.type === 'step').map((e) => e.kind)), ['source', 'expiry']);

  // { at, label } answers, and unregistering.
  await page.evaluate((at) => { window.__due = { at, label: 'order:42’s retry' }; window.redisPlayground.clock.refresh(); }, (await now(page)) + 120_000);
  await page.waitForFunction(() => /order:42’s retry in 2 min/.test(document.querySelector('#clock .clock-step').title));
  await page.evaluate(() => { window.__unregister(); window.redisPlayground.clock.refresh(); });
  await waitForStep(page, 'true');
  assert.equal(await page.evaluate(() => window.redisPlayground.clock.step()), null);
  assert.deepEqual(seen.errors, []);
});

test('keyboard: Alt+K pauses and resumes anywhere, Alt+Shift+K steps, every control is reachable', async (t) => {
  const { page, seen } = await openClock(t);
  assert.equal(await pauseButton(page).getAttribute('aria-keyshortcuts'), 'Alt+K');
  assert.equal(await stepButton(page).getAttribute('aria-keyshortcuts'), 'Alt+Shift+K');
  assert.match(await pauseButton(page).getAttribute('title'), /\(Alt\+K\)/);

  await page.locator('#input').focus();
  await page.locator('#input').pressSequentially('GET');
  await page.keyboard.press('Alt+KeyK');
  assert.equal(await engineCall(page, 'isPaused'), true);
  assert.equal(await page.locator('#input').inputValue(), 'GET', 'the shortcut types nothing into the console');
  await page.keyboard.press('Alt+KeyK');
  assert.equal(await engineCall(page, 'isPaused'), false);
  await page.locator('#input').fill('');

  assert.equal(await run(page, 'SET k v EX 100'), 'OK');
  await waitForStep(page, 'false');
  await page.keyboard.press('Alt+Shift+KeyK');
  assert.equal(await run(page, 'EXISTS k'), '(integer) 0');

  // Tab through the controls; Enter and Space press them.
  await preset(page, 1).focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.speed), '60');
  await page.keyboard.press('Enter');
  assert.equal(await engineCall(page, 'speed'), 60);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  assert.equal(await engineCall(page, 'speed'), 600);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('clock-custom-input')), true);
  await page.keyboard.type('90');
  await page.keyboard.press('Enter');
  assert.equal(await engineCall(page, 'speed'), 90);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('clock-pause')), true);
  await page.keyboard.press('Space');
  assert.equal(await engineCall(page, 'isPaused'), true);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('clock-step')), true,
    'the step button stays focusable while disabled, so its reason can be read');
  // Screen readers hear the changes.
  await page.waitForFunction(() => document.querySelector('#clock [role="status"]').textContent === 'World clock paused: TTLs stop counting down.');
  assert.deepEqual(seen.errors, []);
});

test('a throttled background tab catches up on its next tick; a backlog of expired keys goes a bounded batch per tick', async (t) => {
  const { page, seen } = await openClock(t, { fakeClock: true });
  const wall0 = await page.evaluate(() => Date.now());
  await page.clock.pauseAt(wall0 + 1000); // from here on the page's timers run only when told
  await preset(page, 600).click();
  await page.evaluate(() => {
    const e = window.redisPlayground.engine;
    for (let i = 0; i < 5000; i++) e.sideExec(`SET k:${i} v EX 60`);
    e.sideExec('SET keep v EX 2592000'); // 30 days
  });
  assert.equal(await side(page, 'DBSIZE'), '(integer) 5001');
  const world0 = await now(page);
  const expired = async () => Number(/expired_keys:(\d+)/.exec(await side(page, 'INFO stats'))[1]);
  assert.equal(await expired(), 0);

  // Ten minutes in the background: the browser ran the 100 ms timer once, at the end.
  await page.clock.fastForward(600_000);
  const world1 = await now(page);
  const jumped = world1 - world0;
  assert.ok(jumped >= 0.99 * 600 * 600_000 && jumped <= 1.01 * 600 * 600_000,
    `the world caught up by wall time × speed: ${jumped} ms (${(jumped / 3_600_000).toFixed(2)} h)`);
  // Logically every key with a 60 s TTL is gone at once (a read-only listing, and TTL)...
  assert.deepEqual(await page.evaluate(() => window.redisPlayground.engine.keyspace(0, null, 10_000).map((k) => k.key)), ['keep']);
  assert.equal(await side(page, 'TTL k:17'), '(integer) -2');
  // ...and the active expiry cycle deleted only a bounded batch on that tick.
  let deleted = await expired();
  assert.ok(deleted >= 1 && deleted <= 4000, `one tick deleted a bounded batch: ${deleted}`);

  // The following ticks clear the rest, each a bounded batch; the page keeps drawing frames.
  let ticks = 0;
  while (deleted < 5000) {
    await page.clock.runFor(100);
    const now2 = await expired();
    assert.ok(now2 - deleted <= 4000, `a tick deleted ${now2 - deleted} keys`);
    deleted = now2;
    ticks += 1;
    assert.ok(ticks < 500, 'the backlog is cleared');
  }
  assert.ok(ticks >= 1, `cleared over ${ticks} more ticks`);
  assert.equal(await side(page, 'DBSIZE'), '(integer) 1');
  await page.clock.runFor(50); // a few frames after the last tick, none before the next
  const face = await page.evaluate(() => {
    const d = new Date(window.redisPlayground.engine.now());
    const p = (n) => String(n).padStart(2, '0');
    return [document.querySelector('#clock .clock-time').textContent, `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`];
  });
  assert.equal(face[0], face[1], 'the face shows the caught-up world time');
  assert.equal(await page.locator('#clock .clock-date').isVisible(), true, 'four days later: the date shows');

  // Coming back to the tab ticks at once, without waiting for the timer.
  const world2 = await now(page);
  await page.clock.setSystemTime((await page.evaluate(() => Date.now())) + 10_000);
  assert.equal(await now(page), world2, 'no timer ran');
  await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
  const caught = await now(page) - world2;
  assert.ok(caught >= 0.99 * 600 * 10_000 && caught <= 1.01 * 600 * 10_000, `caught up ${caught} ms on becoming visible`);
  assert.deepEqual(seen.errors, []);
});

test('the date shows once the world leaves today', async (t) => {
  const { page, seen } = await openClock(t);
  await pauseButton(page).click();
  await page.evaluate(() => { window.redisPlayground.engine.advance(2 * 86_400_000); window.redisPlayground.clock.refresh(); });
  const [shown, want] = await page.evaluate(() => {
    const d = new Date(window.redisPlayground.engine.now());
    const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const year = d.getFullYear() === new Date().getFullYear() ? '' : ` ${d.getFullYear()}`;
    return [document.querySelector('#clock .clock-date').textContent, `${days[d.getDay()]} ${d.getDate()} ${months[d.getMonth()]}${year}`];
  });
  assert.equal(shown, want);
  assert.equal(await page.locator('#clock .clock-date').isVisible(), true);
  assert.deepEqual(seen.errors, []);
});

test('a world ahead of the wall clock says how far, never "real time", and Back to now returns', async (t) => {
  const { page, seen } = await openClock(t);
  assert.equal(await clock(page).getAttribute('data-state'), 'real');
  assert.equal(await page.locator('#clock .clock-now').isVisible(), false);
  await page.evaluate(() => { window.redisPlayground.engine.advance(3 * 3_600_000); window.redisPlayground.clock.refresh(); });
  assert.equal(await clock(page).getAttribute('data-state'), 'offset');
  assert.match(await page.locator('#clock .clock-state').textContent(), /^3h.* ahead$/);
  await screenshot(page, 'clock-ahead.png');
  await page.locator('#clock .clock-now').click();
  assert.equal(await clock(page).getAttribute('data-state'), 'real');
  assert.equal(await page.locator('#clock .clock-now').isVisible(), false);
  // No longer hours ahead (at 1× it can only fall behind between ticks, however slow the machine).
  const off = await page.evaluate(() => window.redisPlayground.engine.now() - Date.now());
  assert.ok(off < 1000, `${off} ms ahead of the wall clock`);
  assert.deepEqual(seen.errors, []);
});

/** Put the clock in its widest state: 3600×, a date on the face, something to step to. */
async function widest(page) {
  await preset(page, 3600).click();
  await page.evaluate(() => {
    const e = window.redisPlayground.engine;
    e.advance(3 * 86_400_000);
    e.sideExec('SET session:1 v EX 31536000'); // a year: still due after minutes of real time at 3600×
    window.redisPlayground.clock.refresh();
  });
  await page.locator('#clock .clock-date').waitFor();
  await waitForStep(page, 'false');
}

test('the header holds the clock on one row at 1280 px, in presenter mode too', async (t) => {
  for (const presenter of [false, true]) {
    const { page, seen } = await openClock(t, { presenter });
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('presenter')), presenter);
    for (const state of ['fresh', 'widest']) {
      if (state === 'widest') await widest(page);
      const layout = await headerLayout(page);
      const what = `${presenter ? 'presenter' : 'normal'}, ${state}`;
      assertNoOverlap(layout, what);
      const tops = layout.controls.map((c) => c.top + c.height / 2);
      assert.ok(Math.max(...tops) - Math.min(...tops) < 6, `${what}: the clock's controls are on one line`);
      assert.ok(layout.tools.left >= layout.brand.right && layout.clock.left >= layout.tools.right,
        `${what}: title, header buttons, then the clock (the order Tab takes)`);
      assert.ok(layout.header.height < (presenter ? 72 : 62), `${what}: one header row (${layout.header.height}px)`);
    }
    if (presenter) {
      // Words too long for the row are clipped, not removed: the buttons keep their names.
      assert.equal(await pauseButton(page).textContent(), '❚❚Pause');
      const fontSize = await page.locator('#clock .clock-time').evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
      assert.ok(fontSize >= 18, `presenter mode's clock is large (${fontSize}px)`);
    }
    await screenshot(page, presenter ? 'clock-presenter-1280.png' : 'clock-1280.png');
    assert.deepEqual(seen.errors, []);
  }
});

test('at 1366×768 (the common laptop, and on a projector) Retry, Share and Data keep their words', async (t) => {
  {
    // Presenter mode: larger type; "Retry simulation" shortens to "Retry lab".
    const { page, seen } = await openClock(t, { viewport: { width: 1366, height: 768 }, presenter: true });
    await headerLayout(page);
    const shown = await page.evaluate(() => ['#retry-link', '#share-button', '#data-menu > summary']
      .map((s) => { const l = document.querySelector(`${s} .header-button-label`); return [l.getBoundingClientRect().width, l.innerText.trim()]; }));
    assert.deepEqual(shown.map(([, text]) => text), ['Retry lab', 'Share', 'Data']);
    for (const [w] of shown) assert.ok(w > 20, `readable in presenter mode (${shown})`);
    assert.deepEqual(seen.errors, []);
  }
  const { page, seen } = await openClock(t, { viewport: { width: 1366, height: 768 } });
  const layout = await headerLayout(page);
  assertNoOverlap(layout, '1366');
  const widths = await page.evaluate(() => ['#retry-link', '#share-button', '#data-menu > summary']
    .map((s) => document.querySelector(`${s} .header-button-label`).getBoundingClientRect().width));
  for (const w of widths) assert.ok(w > 20, `a readable label (${widths})`);
  assert.ok(layout.header.height < 62, `one header row (${layout.header.height}px)`);
  // The widest clock takes the words back; the buttons keep their names.
  await widest(page);
  const squeezed = await headerLayout(page);
  assertNoOverlap(squeezed, '1366, widest');
  assert.equal(await page.locator('#share-button').getAttribute('aria-label'), 'Share');
  assert.deepEqual(seen.errors, []);
});

test('narrower screens give the clock a row of its own; on a phone it stays usable', async (t) => {
  for (const [name, viewport, presenter] of [
    ['clock-1000.png', { width: 1000, height: 800 }, false],
    ['clock-presenter-1100.png', { width: 1100, height: 800 }, true],
    ['clock-phone.png', { width: 390, height: 844 }, false],
    ['clock-phone-360.png', { width: 360, height: 740 }, false],
  ]) {
    const { page, seen } = await openClock(t, { viewport, presenter });
    await widest(page);
    const layout = await headerLayout(page);
    assertNoOverlap(layout, name);
    assert.ok(layout.clock.top >= layout.brand.bottom, `${name}: the clock is below the title`);
    if (viewport.width < 760) {
      const [face, speeds, pause, step] = layout.controls;
      assert.ok(Math.abs(face.top - step.top) < 6 && Math.abs(face.top - pause.top) < 6, 'phone: time, Pause and Step on one line');
      assert.ok(speeds.top >= face.bottom, 'phone: the speeds on the next');
      // (At 360 px the title and the presenter button no longer share a row: one more.)
      const most = viewport.width >= 390 ? 125 : 160;
      assert.ok(layout.header.height < most, `phone: the header stays short (${layout.header.height}px)`);
    }
    await screenshot(page, name);
    assert.deepEqual(seen.errors, []);
  }
});
