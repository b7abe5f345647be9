// Shared by persist.test.mjs and share.test.mjs (not a test file itself): a page in its own
// browser context (its own IndexedDB) with init scripts, reloads that wait for the console,
// and the saved record read and written from the test.
import { env } from './console-harness.mjs';

/**
 * Type a line into the first console and press Enter; returns the text of its result.
 * (Like console-harness's run, but a status line — "Restored 3 keys…" — that the new entry
 * replaces is not counted.)
 */
export async function run(page, line) {
  const sel = '#output .entry:not(.status)';
  const count = await page.locator(sel).count();
  await page.locator('#input').pressSequentially(line);
  await page.keyboard.press('Enter');
  await page.waitForFunction(([s, n]) => document.querySelectorAll(s).length > n, [sel, count]);
  return page.locator(sel).last().evaluate((e) => e.querySelector('.result')?.textContent ?? '');
}

/**
 * Runs in every page of the context before the page's scripts: Date.now moved by
 * localStorage["test:skew"] ms (to "close the tab" for an hour without waiting), and an
 * IndexedDB that answers late (below).
 */
function testHooks() {
  const off = Number(localStorage.getItem('test:skew') || 0);
  if (off) {
    const real = Date.now.bind(Date);
    Date.now = () => real() + off;
  }
  // localStorage["test:cut-leave"]: an IndexedDB write begun while the page is being left is
  // aborted, as Chromium may do when it tears a page down.
  if (localStorage.getItem('test:cut-leave')) {
    let leaving = false;
    addEventListener('pagehide', () => { leaving = true; });
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (...args) {
      const req = put.apply(this, args);
      if (leaving) this.transaction.abort();
      return req;
    };
  }
  // localStorage["test:idb-delay"]: IndexedDB answers `open` that many ms late.
  const delay = Number(localStorage.getItem('test:idb-delay') || 0);
  if (delay) {
    const open = IDBFactory.prototype.open;
    IDBFactory.prototype.open = function (...args) {
      const fake = {};
      setTimeout(() => {
        const r = open.apply(this, args);
        r.onupgradeneeded = (e) => { fake.result = r.result; fake.onupgradeneeded?.(e); };
        r.onsuccess = (e) => { fake.result = r.result; fake.onsuccess?.(e); };
        r.onerror = (e) => { fake.error = r.error; fake.onerror?.(e); };
      }, delay);
      return fake;
    };
  }
}

/** A page in a fresh context; `init` scripts run before the page's own. */
export async function openPage(t, { init = [], url = env.baseUrl, viewport = { width: 1280, height: 800 }, context: ctxOptions = {}, wait = true } = {}) {
  const context = await env.browser.newContext({ viewport, acceptDownloads: true, ...ctxOptions });
  t.after(() => context.close());
  await context.addInitScript(testHooks);
  for (const s of init) await context.addInitScript(s);
  const page = await context.newPage();
  const seen = { dialogs: [], errors: [] };
  page.on('dialog', (d) => { seen.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  await page.goto(url);
  if (wait) await ready(page);
  return { page, context, seen };
}

/** Wait until the console takes commands and the header tools are mounted. */
export async function ready(page) {
  await page.waitForSelector('#input:not([disabled])', { timeout: 20_000 });
  await page.waitForFunction(() => window.redisPlayground?.tools && window.redisPlayground.persistence, null, { timeout: 20_000 });
}

/** Reload and wait for the console. */
export async function reload(page) {
  await page.reload();
  await ready(page);
}

/** The time of the newest finished save (ms), or 0. */
export function savedAt(page) {
  return page.evaluate(() => Number(document.documentElement.dataset.savedAt || 0));
}

/** Wait for a save that finished after `after`. */
export function waitSaved(page, after) {
  return page.waitForFunction((a) => Number(document.documentElement.dataset.savedAt || 0) > a, after, { timeout: 15_000 });
}

/** Run `line` on a connection of its own (the console's client is untouched); redis-cli's text. */
export function side(page, line) {
  return page.evaluate((l) => window.redisPlayground.engine.sideExec(l), line);
}

export function keyCount(page) {
  return page.evaluate(() => Array.from(window.redisPlayground.engine.dbSizes()).reduce((a, b) => a + b, 0));
}

/** A record of the store, summarised: { type, v, engineLength, keys, reason, bytesLength } or null. */
export function readStore(page, key) {
  return page.evaluate((k) => new Promise((resolve, reject) => {
    const r = indexedDB.open('redis-playground');
    r.onerror = () => reject(r.error);
    r.onsuccess = () => {
      const db = r.result;
      const g = db.transaction('world').objectStore('world').get(k);
      g.onsuccess = () => {
        const v = g.result;
        db.close();
        if (v === undefined) return resolve(null);
        if (typeof v !== 'object' || v === null) return resolve({ type: typeof v });
        resolve({
          type: 'object', v: v.v, keys: v.keys, reason: v.reason,
          engineLength: v.engine?.length, bytesLength: v.bytes?.length,
          history: v.page?.history,
        });
      };
      g.onerror = () => reject(g.error);
    };
  }), key);
}

/**
 * Replace the saved world with a damaged copy of itself ("corrupted", "truncated", "newer",
 * "newer-record", "foreign", "not-snapshot"). The open page stops saving first, so its
 * `pagehide` does not write over the damage.
 */
export function damageStore(page, how) {
  return page.evaluate((mode) => new Promise((resolve, reject) => {
    window.redisPlayground.persistence.suspended = true;
    const r = indexedDB.open('redis-playground');
    r.onerror = () => reject(r.error);
    r.onsuccess = () => {
      const db = r.result;
      const store = () => db.transaction('world', 'readwrite').objectStore('world');
      const g = store().get('world');
      g.onsuccess = () => {
        const rec = g.result;
        if (!rec) { reject(new Error('nothing saved to damage')); return; }
        let value;
        const b = rec.engine.slice();
        switch (mode) {
          case 'corrupted': b[b.length >> 1] ^= 0x55; value = { ...rec, engine: b }; break;
          case 'truncated': value = { ...rec, engine: b.slice(0, b.length >> 1) }; break;
          case 'newer': b[8] = 4; b[9] = 0; value = { ...rec, engine: b }; break;
          case 'newer-record': value = { ...rec, v: 2 }; break;
          case 'foreign': value = 'a value another app left under this name'; break;
          case 'not-snapshot': value = { ...rec, engine: new TextEncoder().encode('PK\u0003\u0004 not a snapshot at all') }; break;
          default: reject(new Error(mode)); return;
        }
        const p = store().put(value, 'world');
        p.onsuccess = () => { db.close(); resolve(); };
        p.onerror = () => reject(p.error);
      };
    };
  }), how);
}
