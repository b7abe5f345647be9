// Scripting in the page (issue 19): the script editor runs a multi-line script as the
// one-line EVAL a redis-cli user would type, SCRIPT LOAD then EVALSHA, redis.log lines
// reach the server log; a runaway script never freezes the page — another console waits,
// gets BUSY once busy-reply-threshold of world time has passed, and SCRIPT KILL stops it.
// The world clock is paused: time moves only when the test advances it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openConsole, pauseWorld, screenshot, sel, runIn, typeIn, lastResultIn, twoConsoles, advanceWorld, ticks } from './console-harness.mjs';

useBrowser();

/** Wait until console n's newest entry has a result (the console is back at its prompt). */
async function answered(page, n) {
  await page.waitForFunction((out) => {
    const e = [...document.querySelectorAll(`${out} .entry`)].pop();
    return (e?.querySelector('.result')?.textContent ?? '') !== '';
  }, sel(n, 'output'), { timeout: 20_000 });
  return lastResultIn(page, n);
}

test('the script editor runs a multi-line script with EVAL, loads it and runs it again by its SHA1', async (t) => {
  const { page, seen } = await openConsole(t);
  await pauseWorld(page);
  await page.locator('.script-toggle').click();
  assert.equal(await page.locator('.script-toggle').getAttribute('aria-expanded'), 'true');
  await page.locator('#script-example').selectOption('rate-limit');
  assert.match(await page.locator('#script-body').inputValue(), /^local n = redis\.call\('INCR', KEYS\[1\]\)\n/);
  await page.locator('#script-body').press('Control+Enter');
  await page.waitForFunction(() => /EVAL "local n = redis\.call\('INCR', KEYS\[1\]\)\\nif n == 1/.test(document.querySelector('#output .entry:last-child')?.textContent ?? ''));
  assert.equal(await lastResultIn(page, 1), '(integer) 1');
  await page.locator('.script-load').click();
  await page.waitForFunction(() => /^Cached as [0-9a-f]{40}\.$/.test(document.querySelector('.script-status')?.textContent ?? ''));
  assert.equal(await page.locator('.script-evalsha').isDisabled(), false);
  await page.locator('.script-evalsha').click();
  await page.waitForFunction(() => /> EVALSHA [0-9a-f]{40} 1 rate:alice 5 60/.test(document.querySelector('#output .entry:last-child')?.textContent ?? ''));
  assert.equal(await lastResultIn(page, 1), '(integer) 2');

  // redis.log goes to the server log under the editor
  await page.locator('#script-body').fill("redis.log(redis.LOG_WARNING, 'cart ' .. KEYS[1] .. ' checked')\nreturn redis.status_reply('DONE')");
  await page.locator('#script-keys').fill('cart:7');
  await page.locator('#script-args').fill('');
  await page.locator('.script-run').click();
  await page.waitForFunction(() => (document.querySelector('#output .entry:last-child .result')?.textContent ?? '') === 'DONE');
  await ticks(page, 1);
  assert.match(await page.locator('.script-log').textContent(), /\d\d:\d\d:\d\d\.\d{3} # cart cart:7 checked/);
  await screenshot(page, 'script-editor.png');
  assert.deepEqual(seen.errors, []);
});

test('a runaway script leaves the page responsive: the other console waits, gets BUSY, and SCRIPT KILL stops it', async (t) => {
  const { page, seen } = await twoConsoles(t);
  await typeIn(page, 1, 'EVAL "local n = 0 while true do n = n + 1 end" 0');
  await ticks(page, 3); // the page keeps ticking: the script runs a slice per tick
  assert.equal(await lastResultIn(page, 1), '', 'console 1 waits for its script');
  await page.waitForFunction(() => /running its script…/.test(document.querySelector('#console-view-1')?.textContent ?? ''));
  await page.locator('.script-toggle').click();
  await page.waitForFunction(() => /has run for/.test(document.querySelector('.script-running')?.textContent ?? ''));

  // Before busy-reply-threshold: another client's command waits behind the script.
  await typeIn(page, 2, 'PING');
  await ticks(page, 2);
  assert.equal(await lastResultIn(page, 2), '', 'PING waits behind the script');
  await page.waitForFunction(() => /waiting for another client’s script…/.test(document.querySelector('#console-view-2')?.textContent ?? ''));
  await advanceWorld(page, 5_100);
  // it waited 5.1 s of world time, so the console says so, as redis-cli does after a slow reply
  assert.equal(await answered(page, 2), '(error) BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.\n(5.10s)');
  assert.equal(await runIn(page, 2, 'GET anything'), '(error) BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.');
  await screenshot(page, 'script-busy.png');

  assert.equal(await runIn(page, 2, 'SCRIPT KILL'), 'OK');
  assert.match(await answered(page, 1), /^\(error\) ERR Script killed by user with SCRIPT KILL\.\.\. script: [0-9a-f]{40}, on @user_script:1\.\n\(5\.10s\)$/);
  assert.equal(await runIn(page, 2, 'PING'), 'PONG');
  assert.equal(await runIn(page, 1, 'SCRIPT KILL'), '(error) NOTBUSY No scripts in execution right now.');
  await page.waitForFunction(() => (document.querySelector('.script-running')?.textContent ?? '') === '');
  assert.deepEqual(seen.errors, []);
});
