// The console's input line in headless Chromium: redis-cli's hints and Tab completion,
// syntax colouring, ↑/↓ and Ctrl+R history search (kept across reloads), multi-line paste.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openConsole, run, hintText, paste, screenshot, lastResult } from './console-harness.mjs';

useBrowser();

const SET_HINT = 'key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]';

test('the grey hint shows the syntax still to type and updates with every key', async (t) => {
  const { page, seen } = await openConsole(t);
  const input = page.locator('#input');
  assert.equal(await hintText(page), '', 'no hint on an empty line');
  await input.pressSequentially('set');
  assert.equal(await hintText(page), ` ${SET_HINT}`, 'after the command name, with redis-cli\'s leading space');
  await input.pressSequentially(' ');
  assert.equal(await hintText(page), SET_HINT, 'no leading space once the line ends in one');
  await input.pressSequentially('greeting');
  assert.equal(await hintText(page), ` ${SET_HINT.replace('key ', '')}`, 'one syntax word gone per argument');
  await input.pressSequentially(' hello ');
  assert.match(await hintText(page), /^\[NX\|XX\] \[GET\]/, 'stops at the first optional part');
  assert.equal(await input.inputValue(), 'set greeting hello ', 'the hint is not part of the input');
  const overlay = await page.locator('.input-overlay').textContent();
  assert.equal(overlay, (await input.inputValue()) + (await hintText(page)), 'the overlay draws the line, then the hint');
  await screenshot(page, 'console-hint.png');

  await input.fill('');
  await input.pressSequentially('object encoding');
  assert.equal(await hintText(page), ' key', 'two-word commands');
  await input.fill('');
  await input.pressSequentially('nosuchcommand');
  assert.equal(await hintText(page), '', 'no hint for an unknown command');
  await page.keyboard.press('Backspace');
  assert.equal(await hintText(page), '');
  await input.fill('');
  assert.equal(await hintText(page), '', 'the hint goes with the line');
  assert.deepEqual(seen.errors, []);
});

test('the input line is coloured as you type: command, keys, options, other arguments', async (t) => {
  const { page } = await openConsole(t);
  await page.locator('#input').pressSequentially('SET  user:1 "Ada L" NX EX 10');
  const runs = await page.locator('.input-overlay .overlay-text > span:not(.hint)').evaluateAll(
    (spans) => spans.map((s) => [s.className, s.textContent]));
  assert.deepEqual(runs, [
    ['tok-cmd', 'SET'], ['tok-key', 'user:1'], ['tok-arg', '"Ada L"'], ['tok-opt', 'NX'], ['tok-opt', 'EX'], ['tok-arg', '10'],
  ]);
  const text = await page.locator('.input-overlay .overlay-text').evaluate(
    (o) => [...o.childNodes].filter((n) => !n.classList?.contains('hint')).map((n) => n.textContent).join(''));
  assert.equal(text, 'SET  user:1 "Ada L" NX EX 10', 'the overlay has exactly the input\'s characters');
  const inputColour = await page.locator('#input').evaluate((i) => getComputedStyle(i).color);
  assert.equal(inputColour, 'rgba(0, 0, 0, 0)', 'the input\'s own text is transparent over the overlay');

  // A value that looks like an option is still a value; MSET's keys; a repeat count; bad quotes.
  await page.locator('#input').fill('');
  await page.locator('#input').pressSequentially('MSET nx 1 b 2');
  const mset = await page.locator('.overlay-text > span:not(.hint)').evaluateAll((s) => s.map((x) => x.className));
  assert.deepEqual(mset, ['tok-cmd', 'tok-key', 'tok-arg', 'tok-key', 'tok-arg']);
  await page.locator('#input').fill('');
  await page.locator('#input').pressSequentially('3 INCR hits');
  const rep = await page.locator('.overlay-text > span:not(.hint)').evaluateAll((s) => s.map((x) => x.className));
  assert.deepEqual(rep, ['tok-count', 'tok-cmd', 'tok-key']);
  await page.locator('#input').fill('');
  await page.locator('#input').pressSequentially('SET k "unclosed');
  assert.equal(await page.locator('.overlay-text .tok-bad').textContent(), '"unclosed');

  // The echoed line in the transcript is coloured the same way.
  await page.locator('#input').fill('');
  await run(page, 'SET color blue');
  const echo = page.locator('#output .entry').last().locator('.echo-line');
  assert.equal(await echo.locator('.tok-cmd').textContent(), 'SET');
  assert.equal(await echo.locator('.tok-key').textContent(), 'color');
});

test('Tab completes command names, cycles through the candidates, and Esc restores the line', async (t) => {
  const { page } = await openConsole(t);
  const input = page.locator('#input');
  await input.pressSequentially('getr');
  await page.keyboard.press('Tab');
  assert.equal(await input.inputValue(), 'GETRANGE');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'input', 'Tab stays in the input');
  await page.keyboard.press('Tab');
  assert.equal(await input.inputValue(), 'getr', 'after the last candidate, back to what was typed');

  await input.fill('');
  await input.pressSequentially('get');
  const seenValues = [];
  for (let i = 0; i < 7; i++) {
    await page.keyboard.press('Tab');
    seenValues.push(await input.inputValue());
  }
  assert.deepEqual(seenValues, ['GET', 'GETBIT', 'GETDEL', 'GETEX', 'GETRANGE', 'GETSET', 'get']);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.equal(await input.inputValue(), 'GETBIT');
  assert.match(await hintText(page), /^ key/, 'the hint follows the completed line');
  await page.keyboard.press('Escape');
  assert.equal(await input.inputValue(), 'get', 'Esc gives back what was typed');

  // Another key keeps the completion and goes on from it.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await input.pressSequentially(' k');
  assert.equal(await input.inputValue(), 'GETBIT k');
  await page.keyboard.press('Escape');
  assert.equal(await input.inputValue(), 'GETBIT k', 'Esc does nothing once a completion was kept');

  // help topics; nothing to complete.
  await input.fill('');
  await input.pressSequentially('help @so');
  await page.keyboard.press('Tab');
  assert.equal(await input.inputValue(), 'help @sorted-set');
  await input.fill('');
  await input.pressSequentially('zzz');
  await page.keyboard.press('Tab');
  assert.equal(await input.inputValue(), 'zzz');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'input');

  // On an empty line Tab moves the focus on, so the keyboard can leave the console.
  await input.fill('');
  await page.keyboard.press('Tab');
  assert.notEqual(await page.evaluate(() => document.activeElement.id), 'input');
  await page.keyboard.press('Shift+Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'input');
  // With text on the line, Esc then Tab leaves too (and the line stays as typed).
  await input.pressSequentially('GET k');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  assert.notEqual(await page.evaluate(() => document.activeElement.id), 'input');
  assert.equal(await input.inputValue(), 'GET k');
  assert.match(await page.locator('#console-help').textContent(), /Tab completes \(Esc then Tab leaves the console\)/);
});

test('Ctrl+R searches the history backwards like readline; Enter runs, Esc and Ctrl+G cancel', async (t) => {
  const { page } = await openConsole(t);
  for (const line of ['SET alpha 1', 'SET beta 2', 'GET alpha', 'GET beta']) await run(page, line);
  const input = page.locator('#input');
  const prompt = page.locator('#prompt');

  await input.pressSequentially('draft');
  await page.keyboard.press('Control+r');
  assert.equal(await prompt.textContent(), "(reverse-i-search)`': ");
  await page.keyboard.type('alp');
  assert.equal(await prompt.textContent(), "(reverse-i-search)`alp': ");
  assert.equal(await input.inputValue(), 'GET alpha', 'the newest match');
  assert.equal(await input.evaluate((i) => i.selectionStart), 4, 'the caret sits on the match');
  assert.equal(await page.locator('.overlay-text .search-match').textContent(), 'alp');
  assert.equal(await hintText(page), '', 'no hint while searching');
  await screenshot(page, 'console-search.png');
  await page.keyboard.press('Control+r');
  assert.equal(await input.inputValue(), 'SET alpha 1', 'Ctrl+R again: an older match');
  await page.keyboard.press('Control+r');
  assert.equal(await prompt.textContent(), "(failed reverse-i-search)`alp': ", 'no older match');
  assert.equal(await input.inputValue(), 'SET alpha 1', 'the last match stays');
  await page.keyboard.press('Escape');
  assert.equal(await prompt.textContent(), '127.0.0.1:6379> ');
  assert.equal(await input.inputValue(), 'draft', 'Esc gives back the line as it was');

  await page.keyboard.press('Control+r');
  await page.keyboard.type('beta');
  assert.equal(await input.inputValue(), 'GET beta');
  await page.keyboard.press('Control+g');
  assert.equal(await input.inputValue(), 'draft', 'Ctrl+G cancels too');

  await input.fill('');
  await page.keyboard.press('Control+r');
  await page.keyboard.type('SET b');
  assert.equal(await input.inputValue(), 'SET beta 2');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  assert.equal(await prompt.textContent(), "(reverse-i-search)`SET': ");
  assert.equal(await input.inputValue(), 'SET beta 2');
  await page.keyboard.type(' a');
  assert.equal(await input.inputValue(), 'SET alpha 1');
  const before = await page.locator('#output .entry').count();
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => document.querySelectorAll('#output .entry').length > n, before);
  assert.equal(await page.locator('#output .entry').last().locator('.echo').textContent(), '127.0.0.1:6379> SET alpha 1');
  assert.equal(await lastResult(page), 'OK', 'Enter runs the match');
  assert.equal(await prompt.textContent(), '127.0.0.1:6379> ');
  assert.equal(await input.inputValue(), '');

  // Another key (→) ends the search and leaves the match on the line to edit.
  await page.keyboard.press('Control+r');
  await page.keyboard.type('GET b');
  await page.keyboard.press('End');
  assert.equal(await prompt.textContent(), '127.0.0.1:6379> ');
  await input.pressSequentially('x');
  assert.equal(await input.inputValue(), 'GET betax');

  // Ctrl+R on an empty query searches for the last query again (readline).
  await input.fill('');
  await page.keyboard.press('Control+r');
  await page.keyboard.press('Control+r');
  assert.equal(await prompt.textContent(), "(reverse-i-search)`GET b': ");
  await page.keyboard.press('Escape');
});

test('history survives a reload, for ↑ and for Ctrl+R', async (t) => {
  const { page } = await openConsole(t);
  await run(page, 'SET reload:me 1');
  await run(page, 'INCR reload:me');
  await run(page, 'PING');
  await page.reload();
  await page.waitForSelector('#input:not([disabled])');
  await page.keyboard.press('ArrowUp');
  assert.equal(await page.locator('#input').inputValue(), 'PING');
  await page.locator('#input').fill('');
  await page.keyboard.press('Control+r');
  await page.keyboard.type('reload');
  assert.equal(await page.locator('#input').inputValue(), 'INCR reload:me');
  await page.keyboard.press('Control+r');
  assert.equal(await page.locator('#input').inputValue(), 'SET reload:me 1');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#output .entry:last-child .result')?.textContent === 'OK');
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('redis-playground:console:history')));
  assert.deepEqual(stored.slice(-4), ['SET reload:me 1', 'INCR reload:me', 'PING', 'SET reload:me 1']);
  assert.ok(stored.length <= 100);
});

test('history keeps the newest 100 lines', async (t) => {
  const { page } = await openConsole(t);
  await paste(page, Array.from({ length: 120 }, (_, i) => `ECHO h${i}`).join('\n'));
  await page.waitForFunction(() => document.querySelector('#output .entry:last-child .result')?.textContent === '"h119"');
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('redis-playground:console:history')));
  assert.equal(stored.length, 100);
  assert.equal(stored[0], 'ECHO h20');
  assert.equal(stored[99], 'ECHO h119');
});

test('pasting several lines runs each of them in order, each echoed as its own entry', async (t) => {
  const { page, seen } = await openConsole(t);
  const before = await page.locator('#output .entry').count();
  await page.locator('#input').pressSequentially('SET ');
  await paste(page, 'p1 one\nSET p2 two\r\n\nMGET p1 p2\nSELECT 3\nSET p1 "in db 3"\nGET p1\n');
  const entries = page.locator('#output .entry');
  await page.waitForFunction((n) => document.querySelectorAll('#output .entry').length >= n + 6, before);
  assert.equal(await entries.count(), before + 6, 'blank lines are skipped');
  const echoes = await entries.evaluateAll((es) => es.slice(-6).map((e) => e.querySelector('.echo').textContent));
  assert.deepEqual(echoes, [
    '127.0.0.1:6379> SET p1 one',
    '127.0.0.1:6379> SET p2 two',
    '127.0.0.1:6379> MGET p1 p2',
    '127.0.0.1:6379> SELECT 3',
    '127.0.0.1:6379[3]> SET p1 "in db 3"',
    '127.0.0.1:6379[3]> GET p1',
  ], 'the typed "SET " joins the first pasted line; each line is echoed with its own prompt');
  const results = await entries.evaluateAll((es) => es.slice(-6).map((e) => e.querySelector('.result')?.textContent));
  assert.deepEqual(results, ['OK', 'OK', '1) "one"\n2) "two"', 'OK', 'OK', '"in db 3"']);
  assert.equal(await page.locator('#input').inputValue(), '');
  assert.equal(await page.locator('#prompt').textContent(), '127.0.0.1:6379[3]> ');

  // A one-line paste is ordinary typing: nothing runs.
  const n = await entries.count();
  await page.locator('#input').evaluate((i) => { i.value = ''; });
  await paste(page, 'GET p1');
  assert.equal(await entries.count(), n);
  assert.deepEqual(seen.errors, []);
});

test('the console API: run() types and runs a line, onCommand() hears every line', async (t) => {
  const { page } = await openConsole(t);
  const got = await page.evaluate(() => {
    const c = window.redisPlayground.console;
    const heard = [];
    const off = c.onCommand((e) => heard.push({ line: e.line, text: e.text, n: e.replies.length,
      cmd: e.replies[0]?.command, type: e.replies[0]?.reply?.type }));
    const text = c.run('HSET api:1 f v');
    c.run('SELECT 1');
    const prompt = c.prompt();
    off();
    c.run('PING');
    return { text, heard, prompt };
  });
  assert.equal(got.text, '(integer) 1');
  assert.equal(got.prompt, '127.0.0.1:6379[1]> ');
  assert.deepEqual(got.heard, [
    { line: 'HSET api:1 f v', text: '(integer) 1', n: 1, cmd: 'hset', type: 'integer' },
    { line: 'SELECT 1', text: 'OK', n: 1, cmd: 'select', type: 'status' },
  ], 'unsubscribed listeners hear nothing more');
  // Lines typed by the user reach listeners too.
  await page.evaluate(() => {
    window.__heard = [];
    window.redisPlayground.console.onCommand((e) => window.__heard.push(e.line));
  });
  await run(page, 'GET api:1');
  await paste(page, 'ECHO a\nECHO b');
  assert.deepEqual(await page.evaluate(() => window.__heard), ['GET api:1', 'ECHO a', 'ECHO b']);
  const entries = await page.locator('#output .echo').allTextContents();
  assert.ok(entries.includes('127.0.0.1:6379> HSET api:1 f v'), 'run() echoes like typing');
  assert.equal(await page.locator('#input').inputValue(), '');
});
