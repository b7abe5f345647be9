// Accessibility with axe-core (WCAG 2.1 A and AA rules) on the page as a learner meets it and
// on each dialog: a violation fails the test with the rule, its impact and the elements.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { useBrowser, env, screenshot } from './console-harness.mjs';
import { openPage, run } from './persist-harness.mjs';
import { encodeScenario } from '../../www/js/share/codec.js';

useBrowser();

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe's violations on the page now (evaluated through the debugger: the page's CSP allows no injected script). */
async function violations(page, include = null) {
  await page.evaluate(AXE);
  const found = await page.evaluate(async (sel) => {
    const r = await window.axe.run(sel ? { include: [sel] } : document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  }, include);
  return found;
}

function report(list) {
  return list.map((v) => `${v.impact} ${v.id}: ${v.help}\n    ${v.nodes.join('\n    ')}`).join('\n');
}

test('the page, as a learner first meets it, has no axe violations', async (t) => {
  const { page } = await openPage(t);
  await run(page, 'SET greeting "Hello, World!"');
  await run(page, 'HSET user:1 name Ada');
  const v = await violations(page);
  assert.equal(v.length, 0, report(v));
});

test('each dialog has no axe violations: Share, a shared link\'s question, Kept playgrounds, Export, Reset', async (t) => {
  const { page } = await openPage(t);
  await run(page, 'SET a 1');
  const dialogs = [
    ['#share-button', 'dialog.share-dialog'],
    [['#data-menu > summary', '#kept-button'], 'dialog.kept-dialog'],
    [['#data-menu > summary', '#export-button'], 'dialog'],
    [['#data-menu > summary', '#reset-button'], 'dialog.reset-dialog'],
  ];
  for (const [clicks, sel] of dialogs) {
    for (const c of [clicks].flat()) await page.locator(c).click();
    await page.locator(sel).first().waitFor();
    const v = await violations(page, sel);
    assert.equal(v.length, 0, `${sel}\n${report(v)}`);
    await page.keyboard.press('Escape');
    await page.locator(sel).first().waitFor({ state: 'detached' });
  }
  await page.goto(env.baseUrl + await encodeScenario('SET x 1\nGET x'));
  await page.locator('dialog.share-run-dialog').waitFor();
  const v = await violations(page, 'dialog.share-run-dialog');
  assert.equal(v.length, 0, report(v));
  await screenshot(page, 'a11y-share-run.png');
});

test('the keyspace tree with a value open, a running simulation, presenter mode and a phone: no axe violations', async (t) => {
  const { page } = await openPage(t, { init: [() => localStorage.setItem('redis-playground:presenter', '1')] });
  for (const line of ['HSET user:1 name Ada', 'SET user:2 x EX 100', 'RPUSH jobs a b', 'ZADD board 1 a']) await run(page, line);
  await page.getByRole('button', { name: 'Tree' }).click();
  await page.locator('.ks-row.ks-key').first().click();
  await page.locator('#retry .rs-start').click();
  await page.locator('#retry .rs-log-lines').scrollIntoViewIfNeeded();
  let v = await violations(page);
  assert.equal(v.length, 0, report(v));
  await page.setViewportSize({ width: 390, height: 844 });
  v = await violations(page);
  assert.equal(v.length, 0, report(v));
});

test('two consoles split, a restored transcript, the Data menu open, a lesson open: no axe violations', async (t) => {
  const { page } = await openPage(t);
  await run(page, 'SET greeting hi');
  await run(page, 'REPLICAOF no one'); // the page's note under unknown command
  await page.reload();
  await page.waitForSelector('#input:not([disabled])');
  // Every pane mounted (they come after the console): then a new console stays the one shown.
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true');
  await page.locator('.console-new').click();
  await page.waitForSelector('#input-2:not([disabled])');
  await page.locator('.console-split').click();
  await page.locator('#data-menu > summary').click();
  let v = await violations(page);
  assert.equal(v.length, 0, report(v));
  await page.keyboard.press('Escape');
  await page.goto(`${env.baseUrl}#lesson-caching`);
  await page.waitForSelector('.lx-guide:not([hidden])');
  await page.evaluate(() => window.redisPlayground.engine.setSpeed(600)); // the 1× offer shows on the SET step
  await page.getByRole('button', { name: 'Next' }).click();
  v = await violations(page);
  assert.equal(v.length, 0, report(v));
});

test('the Lua script editor, open with an example and a log line: no axe violations', async (t) => {
  const { page } = await openPage(t);
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true');
  await page.locator('.script-toggle').click();
  await page.locator('#script-example').selectOption('pop-due');
  await page.locator('#script-body').fill("redis.log(redis.LOG_WARNING, 'hello')\nreturn 1");
  await page.locator('.script-run').click();
  await page.waitForFunction(() => /hello/.test(document.querySelector('.script-log')?.textContent ?? ''));
  const v = await violations(page);
  assert.equal(v.length, 0, report(v));
});
