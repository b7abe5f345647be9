// The console's pub/sub mode, as redis-cli behaves: after SUBSCRIBE it prints "Reading
// messages... (press Ctrl-C to quit)", shows each pushed message as it arrives, takes no
// commands, and Ctrl+C closes the connection so the next command runs normally.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openConsole, run, screenshot } from './console-harness.mjs';

useBrowser();

test('SUBSCRIBE shows messages as they arrive until Ctrl+C', async (t) => {
  const { page, seen } = await openConsole(t);
  const first = await run(page, 'SUBSCRIBE news');
  assert.equal(first, 'Reading messages... (press Ctrl-C to quit)\n1) "subscribe"\n2) "news"\n3) (integer) 1');
  assert.equal(await page.locator('#prompt').textContent(), '');
  // Another connection publishes (as a second redis-cli would).
  const published = await page.evaluate(() => window.redisPlayground.engine.sideExec('PUBLISH news "<b>hi</b>"'));
  assert.equal(published, '(integer) 1');
  await page.waitForFunction(() => document.querySelector('#output .entry:last-child .result')?.textContent
    === '1) "message"\n2) "news"\n3) "<b>hi</b>"');
  assert.equal(await page.locator('#output b').count(), 0, 'a message is shown as text');
  // Enter does nothing while reading.
  const entries = await page.locator('#output .entry').count();
  await page.locator('#input').pressSequentially('GET x');
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('#output .entry').count(), entries);
  await screenshot(page, 'console-pubsub.png');
  // Ctrl+C: back to the prompt; the subscription is gone.
  await page.keyboard.press('Control+c');
  await page.waitForFunction(() => document.querySelector('#prompt').textContent === '127.0.0.1:6379> ');
  // The screen reader's status no longer says the console is reading messages.
  await page.waitForFunction(() => ![...document.querySelectorAll('#console [role="status"]')].some((e) => /reading messages/i.test(e.textContent)));
  await page.locator('#input').fill('');
  assert.equal(await run(page, 'PUBSUB NUMSUB news'), '1) "news"\n2) (integer) 0');
  assert.deepEqual(seen.errors, []);
});
