// A typed repeat count (`100000 INCR k`) runs in slices: the page paints between them, a
// bar shows how far it got, Ctrl+C stops it where it is, and lines typed meanwhile wait
// their turn. The page's message-channel turns (slice to slice) are held and released by
// the test, so nothing here depends on how fast the machine runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openConsole, run, releaseTurns, frames, screenshot } from './console-harness.mjs';

useBrowser();

const mode = (page) => page.evaluate(() => document.querySelector('.console-view')?.dataset.mode ?? 'ready');
const barText = (page) => page.evaluate(() => {
  const bar = document.querySelector('.waiting');
  return bar && !bar.hidden ? bar.innerText.replace(/\s+/g, ' ').trim() : '';
});

test('a long repeat count runs in slices with a progress bar, and its whole answer at the end', async (t) => {
  const { page, seen } = await openConsole(t, { heldTurns: true });
  // 200,000 runs can't fit one slice of 8 ms (40 ns a run).
  await run(page, '200000 INCR k');
  assert.equal(await mode(page), 'running');
  const done = await page.evaluate(() => window.redisPlayground.engine.console(0).progress().done);
  assert.ok(done >= 1 && done < 200000);
  assert.equal(await barText(page), `running INCR k… ${done.toLocaleString('en-US')} of 200,000 runs Ctrl+C to stop Stop`);
  const progress = await page.evaluate(() => { const p = document.querySelector('.waiting-progress'); return [p.hidden, p.value, p.max]; });
  assert.deepEqual(progress, [false, done, 200000]);
  assert.equal(await page.locator('#output .entry').last().locator('.partial').count(), 1, 'what ran so far shows under the line');
  await screenshot(page, 'console-running.png');

  // The input takes no line meanwhile (as while blocked); a line run through the API waits.
  assert.equal(await page.locator('#input').evaluate((i) => i.readOnly), true);
  await page.evaluate(() => window.redisPlayground.console.run('GET k'));
  assert.match(await barText(page), /1 more line queued/);

  while ((await mode(page)) === 'running') await releaseTurns(page, 1);
  await frames(page);
  const entries = page.locator('#output .entry');
  const counted = entries.nth(-2);
  assert.equal(await counted.locator('.partial').count(), 0);
  assert.equal(await counted.locator('.reply-text').count(), 1, 'one reply, with its tools');
  const shown = await counted.locator('.result').textContent();
  assert.ok(shown.startsWith('(integer) 1\n(integer) 2\n'), shown.slice(0, 40));
  assert.equal(await entries.last().locator('.result').textContent(), '"200000"');
  assert.deepEqual(seen.errors, []);
});

test('Ctrl+C stops a running count where it got; the connection stays', async (t) => {
  const { page, seen } = await openConsole(t, { heldTurns: true });
  const id = await run(page, 'CLIENT ID');
  await run(page, '1000000 INCR k');
  assert.equal(await mode(page), 'running');
  const first = await page.evaluate(() => window.redisPlayground.engine.console(0).progress().done);
  await releaseTurns(page, 1); // a second slice
  const done = await page.evaluate(() => window.redisPlayground.engine.console(0).progress().done);
  assert.ok(done > first);
  await page.keyboard.press('Control+C');
  assert.equal(await mode(page), 'ready');
  const note = await page.locator('#output .entry').last().locator('.note').textContent();
  assert.equal(note, `^C: stopped after ${done.toLocaleString('en-US')} of 1,000,000 runs; the connection stays open`);
  assert.equal(await run(page, 'GET k'), `"${done}"`);
  assert.equal(await run(page, 'CLIENT ID'), id, 'same connection');
  assert.deepEqual(seen.errors, []);
});
