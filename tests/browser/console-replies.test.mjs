// The console's replies in headless Chromium: a 100,000-element reply shown a chunk at a
// time, the copy button, the table view, and stored values that stay text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openConsole, run, lastResult, screenshot, frames } from './console-harness.mjs';

useBrowser();

const N = 100_000;

test('a 100,000-element LRANGE shows its first lines at once and the rest on demand', async (t) => {
  const { page, seen } = await openConsole(t, { clipboard: 'stub' });
  const input = page.locator('#input');
  // One typed line of 100,001 arguments (as if pasted), run with Enter.
  await input.fill(`RPUSH big ${Array.from({ length: N }, (_, i) => `element:${i}`).join(' ')}`);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#output .entry:last-child .result')?.textContent === '(integer) 100000');
  const echo = await page.locator('#output .entry').last().locator('.echo-line').textContent();
  assert.ok(echo.length < 3000, `a huge echoed line is cut (${echo.length} characters shown)`);
  assert.match(echo, /more characters\)$/);

  assert.equal(await run(page, 'LLEN big'), '(integer) 100000');
  await run(page, 'LRANGE big 0 -1');
  const entry = page.locator('#output .entry').nth(await page.locator('#output .entry').count() - 1);
  const lines = async () => (await entry.locator('.result').textContent()).replace(/\n$/, '').split('\n').length;
  const first = await lines();
  assert.ok(first >= 30 && first <= 250, `the first chunk is a screenful or a few (${first} lines)`);
  assert.match(await entry.locator('.result').textContent(), /^ {5}1\) "element:0"\n {5}2\) "element:1"\n/);
  assert.equal(await entry.locator('.more-label').textContent(), `Showing ${first} of 100,000 lines`);
  const nodes = await page.evaluate(() => document.querySelectorAll('#output *').length);
  assert.ok(nodes < 400, `the transcript holds a bounded number of elements (${nodes})`);
  const chars = await page.evaluate(() => document.getElementById('output').textContent.length);
  assert.ok(chars < 20_000, `and a bounded amount of text (${chars} characters)`);
  await screenshot(page, 'console-big-reply.png');

  // Typing stays responsive: the next command runs at once.
  assert.equal(await run(page, 'PING'), 'PONG');

  await entry.locator('.more-button').click();
  assert.equal(await lines(), first + 1000);
  assert.equal(await entry.locator('.more-label').textContent(), `Showing ${(first + 1000).toLocaleString('en-US')} of 100,000 lines`);
  assert.match(await entry.locator('.result').textContent(), new RegExp(`\\n *${first + 1000}\\) "element:${first + 999}"\\n$`));
  await entry.locator('.more-button').click();
  assert.equal(await lines(), first + 2000);

  // The copy button copies the whole reply, exactly as redis-cli prints it.
  await entry.hover();
  await entry.locator('.tool-copy').click();
  await page.waitForFunction(() => window.__copied.length === 1);
  const copied = await page.evaluate(() => window.__copied[0]);
  const copiedLines = copied.split('\n');
  assert.equal(copiedLines.length, N);
  assert.equal(copiedLines[0], '     1) "element:0"', 'indexes padded to the widest, as redis-cli does');
  assert.equal(copiedLines[9], '    10) "element:9"');
  assert.equal(copiedLines[N - 1], '100000) "element:99999"');

  // The table view of the same reply is as bounded.
  await entry.locator('.tool-table').click();
  assert.equal(await entry.locator('.reply-table tbody tr').count(), first);
  await entry.locator('.reply-table-wrap .more-button').click();
  assert.equal(await entry.locator('.reply-table tbody tr').count(), first + 1000);
  assert.deepEqual(seen.errors, []);
});

test('each reply has a copy button that copies the exact redis-cli text', async (t) => {
  const { page, context } = await openConsole(t, {
    context: { permissions: ['clipboard-read', 'clipboard-write'] },
  });
  await run(page, 'RPUSH fruits apple "banana split" "it\'s"');
  await run(page, 'LRANGE fruits 0 -1');
  const entry = page.locator('#output .entry').last();
  await entry.hover();
  const copy = entry.locator('.tool-copy');
  assert.equal(await copy.getAttribute('aria-label'), 'Copy reply');
  await copy.click();
  await page.waitForFunction(() => document.querySelector('#output .entry:last-child .tool-copy').textContent === 'Copied');
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(clip, '1) "apple"\n2) "banana split"\n3) "it\'s"');
  assert.ok(context, 'the real clipboard, with permission granted');

  // Keyboard: the copy button is reachable with Shift+Tab from the input and works with Enter.
  await run(page, 'INCR visits');
  await page.locator('#input').focus();
  await page.keyboard.press('Shift+Tab');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'Copy reply');
  await page.keyboard.press('Enter');
  await page.waitForFunction(async () => (await navigator.clipboard.readText()) === '(integer) 1');
  // HELP's ANSI styles are not copied.
  await run(page, 'help incr');
  await page.locator('#output .entry').last().hover();
  await page.locator('#output .entry').last().locator('.tool-copy').click();
  await page.waitForFunction(async () => (await navigator.clipboard.readText()).includes('INCR key'));
  assert.doesNotMatch(await page.evaluate(() => navigator.clipboard.readText()), /\x1b|\r/);
});

test('HGETALL, ZRANGE WITHSCORES and other table-shaped replies can be shown as tables', async (t) => {
  const { page, seen } = await openConsole(t);
  await run(page, 'HSET user:1 name Ada lang "C and Rust" born 1815');
  const text = await run(page, 'HGETALL user:1');
  assert.equal(text, '1) "name"\n2) "Ada"\n3) "lang"\n4) "C and Rust"\n5) "born"\n6) "1815"');
  const entry = page.locator('#output .entry').last();
  const toggle = entry.locator('.tool-table');
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false', 'text view first (exact redis-cli)');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  assert.deepEqual(await entry.locator('.reply-table th').allTextContents(), ['field', 'value']);
  const rows = await entry.locator('.reply-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  assert.deepEqual(rows, [['name', 'Ada'], ['lang', 'C and Rust'], ['born', '1815']]);
  assert.equal(await entry.locator('.reply-text').isHidden(), true, 'the text view is hidden meanwhile');

  await run(page, 'ZADD scores 95 Alice 87 Bob 99.5 Carol');
  await run(page, 'ZRANGE scores 0 -1 WITHSCORES');
  const z = page.locator('#output .entry').last();
  await z.locator('.tool-table').click();
  assert.deepEqual(await z.locator('.reply-table th').allTextContents(), ['member', 'score']);
  const zrows = await z.locator('.reply-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  assert.deepEqual(zrows, [['Bob', '87'], ['Alice', '95'], ['Carol', '99.5']]);
  await screenshot(page, 'console-tables.png');
  await z.locator('.tool-table').click();
  assert.equal(await z.locator('.reply-table-wrap').isHidden(), true, 'and back to text');
  assert.equal(await z.locator('.result').textContent(), '1) "Bob"\n2) "87"\n3) "Alice"\n4) "95"\n5) "Carol"\n6) "99.5"');

  const tableOf = async (line) => {
    await run(page, line);
    const e = page.locator('#output .entry').last();
    if (await e.locator('.tool-table').count() === 0) return null;
    await e.locator('.tool-table').click();
    return {
      head: await e.locator('.reply-table th').allTextContents(),
      rows: await e.locator('.reply-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent))),
      caption: await e.locator('.reply-table caption').count() ? await e.locator('.reply-table caption').textContent() : null,
    };
  };
  assert.deepEqual(await tableOf('ZPOPMIN scores'), { head: ['member', 'score'], rows: [['Bob', '87']], caption: null });
  assert.deepEqual(await tableOf('HMGET user:1 name nosuch'), { head: ['field', 'value'], rows: [['name', 'Ada'], ['nosuch', '(nil)']], caption: null });
  assert.deepEqual(await tableOf('RPUSH l a b'), null, 'an integer reply has no table');
  assert.deepEqual(await tableOf('LRANGE l 0 -1'), { head: ['#', 'value'], rows: [['1', 'a'], ['2', 'b']], caption: null });
  assert.deepEqual(await tableOf('ZSCAN scores 0'), { head: ['member', 'score'], rows: [['Alice', '95'], ['Carol', '99.5']], caption: 'cursor 0' });
  assert.deepEqual(await tableOf('GET nosuch'), null);
  assert.deepEqual(await tableOf('LRANGE nosuch 0 -1'), null, 'an empty array has no table');
  assert.deepEqual(await tableOf('2 HGETALL user:1'), null, 'a repeated command has no single table');
  assert.deepEqual(seen.errors, []);
});

test('stored markup is shown as text everywhere: transcript, table view, input overlay', async (t) => {
  const { page, seen } = await openConsole(t);
  const payload = '<img src=x onerror=alert(1)>';
  assert.equal(await run(page, `HSET x "${payload}" "<script>alert(2)</script>"`), '(integer) 1');
  assert.equal(await run(page, 'HGETALL x'), `1) "${payload}"\n2) "<script>alert(2)</script>"`);
  await page.locator('#output .entry').last().locator('.tool-table').click();
  assert.equal(await page.locator('.reply-table td').first().textContent(), payload);
  await run(page, `SET "${payload}" "${payload}"`);
  await page.locator('#input').pressSequentially(`GET "${payload}"`);
  assert.equal(await page.locator('.input-overlay .tok-key').textContent(), `"${payload}"`);
  await frames(page); // an injected onerror would have fired by now
  assert.equal(await page.locator('img, script:not([src])').count(), 0, 'no element was created from a value');
  assert.deepEqual(seen.dialogs, []);
  assert.deepEqual(seen.errors, []);
  assert.equal(await lastResult(page), 'OK');
});

test('the table shape is decided from the command and its reply', async (t) => {
  const { page } = await openConsole(t);
  const shapes = await page.evaluate(async () => {
    const { tableOf } = await import('./js/console/table.js');
    const { cellText } = await import('./js/console/table.js');
    const e = window.redisPlayground.engine;
    const shape = (line) => {
      const r = e.console(0).execDetailed(line).replies;
      const tb = r.length === 1 ? tableOf(r[0]) : null;
      return tb && [tb.columns.join('|'), tb.rows.map((row) => row.map(cellText).join('|')), tb.caption ?? null];
    };
    e.exec('HSET h f1 v1 f2 "two words"');
    e.exec('ZADD z 1 a 2 b 3 c');
    e.exec('ZADD z2 5 x');
    e.exec('RPUSH l "line\\nbreak" x');
    e.exec('SADD s m1 m2');
    e.exec('MSET k1 "one" k2 2');
    return {
      hrandfield: shape('HRANDFIELD h -1 WITHVALUES')?.[0],
      hrandfieldPlain: shape('HRANDFIELD h 2')?.[0],
      zrangebyscore: shape('ZRANGEBYSCORE z 2 +inf WITHSCORES'),
      zrangeNoScores: shape('ZRANGE z 0 0'),
      zmscore: shape('ZMSCORE z a nope'),
      smismember: shape('SMISMEMBER s m1 zz'),
      mget: shape('MGET k1 k2 k3'),
      zmpop: shape('ZMPOP 2 nosuch z MIN COUNT 2'),
      bzpopmax: shape('BZPOPMAX z2 0'),
      lmpop: shape('LMPOP 1 l LEFT COUNT 1'),
      hscan: shape('HSCAN h 0'),
      exec: (e.exec('MULTI'), e.exec('INCR n'), shape('EXEC')),
      status: shape('PING'),
    };
  });
  assert.deepEqual(shapes, {
    hrandfield: 'field|value',
    hrandfieldPlain: '#|value',
    zrangebyscore: ['member|score', ['b|2', 'c|3'], null],
    zrangeNoScores: ['#|value', ['1|a'], null],
    zmscore: ['member|score', ['a|1', 'nope|(nil)'], null],
    smismember: ['member|is member', ['m1|1', 'zz|0'], null],
    mget: ['key|value', ['k1|one', 'k2|2', 'k3|(nil)'], null],
    zmpop: ['member|score', ['a|1', 'b|2'], 'key z'],
    bzpopmax: ['key|member|score', ['z2|x|5'], null],
    lmpop: ['#|value', ['1|line\\nbreak'], 'key l'],
    hscan: ['field|value', ['f1|v1', 'f2|two words'], 'cursor 0'],
    exec: ['#|value', ['1|1'], null],
    status: null,
  });
});
