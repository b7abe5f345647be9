// Persistence: saving and restoring a world of 100,000 keys in headless Chromium (Debian's
// chromium through playwright-core, the flags of the browser tests), the way the page does it.
//
//   node bench/persist.mjs [RUNS] [KEYS]        (RUNS defaults to 5, KEYS to 100,000)
//
// The world: KEYS keys in db 0 — 60% strings (a quarter of them with a TTL), 10% each lists,
// sets and hashes of 5 elements, 10% sorted sets of 5 members — made with one importData.
// Measured in the page, median of RUNS:
//   save     the page's save(): engine.snapshot() + the IndexedDB write, until it is committed
//   restore  what a load does: open IndexedDB, read the record, engine.restore() into a fresh
//            Playground
//   reload   navigation → the console enabled with the world restored (the whole page)
// Target (issue 7): save and restore each under a second.
import path from 'node:path';
import fs from 'node:fs';
import { chromium } from 'playwright-core';
import { startServer } from '../scripts/static-server.mjs';
import { ROOT, record, log, median } from './lib.mjs';

const SECTION = '7. Persistence (100,000 keys, headless Chromium)';
const CHROMIUM = '/usr/bin/chromium';
const RUNS = Number(process.argv[2] ?? 5);
const KEYS = Number(process.argv[3] ?? 100_000);

if (!fs.existsSync(CHROMIUM)) {
  log(`persistence: SKIPPED — ${CHROMIUM} is missing`);
  process.exit(0);
}

/** The import script that makes the world (runs in the page). */
function fill(n) {
  const lines = [];
  for (let i = 0; i < n; i++) {
    const k = i % 10;
    if (k < 6) lines.push(`SET str:${i} value-${i}-${'x'.repeat(i % 32)}${k === 0 ? ' EX 86400' : ''}`);
    else if (k === 6) lines.push(`RPUSH list:${i} a b c d ${i}`);
    else if (k === 7) lines.push(`SADD set:${i} a b c d ${i}`);
    else if (k === 8) lines.push(`HSET hash:${i} f1 v1 f2 v2 f3 v3 f4 v4 id ${i}`);
    else lines.push(`ZADD zset:${i} 1 a 2 b 3 c 4 d ${i} m`);
  }
  const r = window.redisPlayground.engine.importData(new TextEncoder().encode(lines.join('\n')));
  if (r.errors) throw new Error(`fill: ${r.firstErrors[0]}`);
  return Array.from(window.redisPlayground.engine.dbSizes()).reduce((a, b) => a + b, 0);
}

async function measureSave() {
  const p = window.redisPlayground.persistence;
  const t = performance.now();
  const ok = await p.save('bench');
  if (!ok) throw new Error('save failed');
  return performance.now() - t;
}

async function measureRestore() {
  const t0 = performance.now();
  const rec = await new Promise((resolve, reject) => {
    const r = indexedDB.open('redis-playground');
    r.onerror = () => reject(r.error);
    r.onsuccess = () => {
      const g = r.result.transaction('world').objectStore('world').get('world');
      g.onsuccess = () => { r.result.close(); resolve(g.result); };
      g.onerror = () => reject(g.error);
    };
  });
  const t1 = performance.now();
  const fresh = new window.redisPlayground.engine.constructor();
  const t2 = performance.now();
  const res = fresh.restore(rec.engine);
  const t3 = performance.now();
  fresh.free();
  return { read: t1 - t0, restore: t3 - t2, total: (t1 - t0) + (t3 - t2), keys: res.keys, bytes: rec.engine.length };
}

const { server, url } = await startServer({ root: path.join(ROOT, 'www'), port: 0 });
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector('#input:not([disabled])', { timeout: 30_000 });
  await page.waitForFunction(() => window.redisPlayground?.persistence);
  const keys = await page.evaluate(fill, KEYS);
  log(`persistence: ${keys.toLocaleString('en-US')} keys loaded; ${RUNS} runs`);
  const saves = [];
  const restores = [];
  let last = null;
  for (let i = 0; i < RUNS; i++) {
    saves.push(await page.evaluate(measureSave));
    last = await page.evaluate(measureRestore);
    restores.push(last);
  }
  // A whole reload with this world saved: navigation → the console enabled, world restored.
  const reloads = [];
  for (let i = 0; i < RUNS; i++) {
    await page.evaluate(() => { window.redisPlayground.persistence.suspended = true; });
    await page.reload();
    await page.waitForSelector('#input:not([disabled])', { timeout: 30_000 });
    const r = await page.evaluate(() => ({ at: performance.now(), keys: Array.from(window.redisPlayground.engine.dbSizes()).reduce((a, b) => a + b, 0) }));
    if (r.keys !== keys) throw new Error(`reload restored ${r.keys} keys, want ${keys}`);
    reloads.push(r.at);
  }
  const save = median(saves);
  const restore = median(restores.map((r) => r.total));
  record({ section: SECTION, name: 'snapshot size', value: last.bytes / 1024 / 1024, unit: 'MiB', ok: null, note: `${(last.bytes / keys).toFixed(1)} bytes a key` });
  record({ section: SECTION, name: 'save (snapshot + IndexedDB write)', value: save, unit: 'ms', target: '< 1,000 ms', ok: save < 1000 });
  record({ section: SECTION, name: 'restore (IndexedDB read + engine.restore)', value: restore, unit: 'ms', target: '< 1,000 ms', ok: restore < 1000,
    note: `read ${median(restores.map((r) => r.read)).toFixed(0)} ms + restore ${median(restores.map((r) => r.restore)).toFixed(0)} ms` });
  record({ section: SECTION, name: 'reload → console ready with the world restored', value: median(reloads), unit: 'ms', ok: null });
  console.log(JSON.stringify({ keys, bytes: last.bytes, saveMs: saves, restoreMs: restores.map((r) => r.total), reloadMs: reloads }));
} finally {
  await browser.close();
  server.close();
}
