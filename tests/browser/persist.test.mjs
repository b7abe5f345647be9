// Issue 7 in headless Chromium: nothing lost on reload (IndexedDB), SAVE/LASTSAVE, the clock
// across a closed tab, Reset, every kind of bad saved data, a full quota, no IndexedDB at
// all, a slow IndexedDB, and Export/Import. No timing assertions: every wait is for a state,
// and a TTL is either read on a paused world clock or bounded by the wall time the test took.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { useBrowser, env, screenshot } from './console-harness.mjs';
import { openPage, ready, reload, run, savedAt, waitSaved, side, keyCount, readStore, damageStore } from './persist-harness.mjs';

useBrowser();

const int = (text) => Number(String(text).replace('(integer) ', ''));

/** Move the page's wall clock forward by `ms` from the next load on ("the tab was closed"). */
async function closeFor(page, ms) {
  await page.evaluate((d) => localStorage.setItem('test:skew', String(Number(localStorage.getItem('test:skew') || 0) + d)), ms);
}

async function saveNow(page) {
  const before = await savedAt(page);
  assert.equal(await run(page, 'SAVE'), 'OK');
  await waitSaved(page, before);
}

const notice = (page, id) => page.locator(`[data-notice="${id}"]`);

test('every type, TTLs, the dbs and the console history survive a reload', async (t) => {
  const { page, seen } = await openPage(t);
  await page.evaluate(() => window.redisPlayground.engine.pause()); // TTLs as set, on any machine
  const lines = [
    'SET greeting "Hello, World!"',
    'SET session:1 alice EX 3600',
    'RPUSH queue a b "c d"',
    'PEXPIRE queue 7200000',
    'SADD tags red green',
    'ZADD board 10 ann 20 bob',
    'HSET user:1 name Alice age 30',
    'SELECT 4',
    'SET in:four yes',
  ];
  for (const l of lines) await run(page, l);
  // Reload at once: the save happens on pagehide, not after the debounce.
  await reload(page);
  assert.equal(await side(page, 'GET greeting'), '"Hello, World!"');
  assert.equal(await side(page, 'TTL session:1'), '(integer) 3600');
  assert.equal(await side(page, 'LRANGE queue 0 -1'), '1) "a"\n2) "b"\n3) "c d"');
  assert.equal(await side(page, 'PTTL queue'), '(integer) 7200000');
  assert.equal(await side(page, 'SCARD tags'), '(integer) 2');
  assert.equal(await side(page, 'ZSCORE board bob'), '"20"');
  assert.equal(await side(page, 'HGET user:1 name'), '"Alice"');
  assert.equal(await side(page, 'TTL greeting'), '(integer) -1');
  assert.equal(await page.evaluate(() => window.redisPlayground.engine.dbSizes()[4]), 1);
  // The console says what it restored; the history is there for ↑.
  assert.match(await page.locator('#output').textContent(), /Restored 7 keys saved at/);
  await page.locator('#input').click();
  await page.keyboard.press('ArrowUp');
  assert.equal(await page.locator('#input').inputValue(), 'SET in:four yes');
  const rec = await readStore(page, 'world');
  assert.equal(rec.v, 1);
  assert.ok(rec.history.includes('SET greeting "Hello, World!"'), 'the history is in the saved record');
  assert.deepEqual(seen.errors, []);
});

test('a reload that cuts the last IndexedDB write short loses nothing (the localStorage copy)', async (t) => {
  const { page } = await openPage(t);
  await page.evaluate(() => localStorage.setItem('test:cut-leave', '1'));
  await reload(page); // the hook is installed from this load on
  await run(page, 'SET typed "just now"');
  await run(page, 'RPUSH l 1 2 3');
  await reload(page); // at once: the debounced save has not run; the pagehide write is aborted
  assert.equal(await side(page, 'GET typed'), '"just now"');
  assert.equal(await side(page, 'LLEN l'), '(integer) 3');
  // …and it went on into IndexedDB, the localStorage copy gone.
  await page.waitForFunction(() => localStorage.getItem('redis-playground:unsaved') === null);
  assert.equal((await readStore(page, 'world')).keys, 2);
});

test('SAVE writes at once; LASTSAVE and INFO persistence follow; BGSAVE too', async (t) => {
  const { page } = await openPage(t);
  const lastsave = int(await run(page, 'LASTSAVE'));
  await run(page, 'SET counter 41');
  await run(page, 'INCR counter');
  assert.match(await run(page, 'INFO persistence'), /rdb_changes_since_last_save:2/);
  await closeFor(page, 2000); // LASTSAVE has a second's resolution
  await reload(page);
  const before = await savedAt(page);
  await run(page, 'SET another 1');
  assert.equal(await run(page, 'BGSAVE'), 'Background saving started');
  await waitSaved(page, before);
  assert.ok(int(await run(page, 'LASTSAVE')) > lastsave, 'LASTSAVE moved');
  assert.match(await run(page, 'INFO persistence'), /rdb_changes_since_last_save:0/);
  await saveNow(page);
  const rec = await readStore(page, 'world');
  assert.equal(rec.keys, 2);
  await reload(page);
  assert.equal(await side(page, 'GET counter'), '"42"');
});

test('keys whose TTL ran out while the tab was closed are gone; the others lost the closed time', async (t) => {
  const { page } = await openPage(t);
  const w0 = await page.evaluate(() => Date.now());
  await run(page, 'SET soon v EX 60');
  await run(page, 'SET later v EX 7200');
  await run(page, 'SET forever v');
  await saveNow(page);
  await closeFor(page, 600_000); // ten minutes
  await reload(page);
  assert.equal(await side(page, 'EXISTS soon'), '(integer) 0');
  // At 1× the world also moved by the real seconds this test took: bounded by the wall clock.
  const { ttl, wall } = await page.evaluate(() => ({ ttl: window.redisPlayground.engine.sideExec('TTL later'), wall: Date.now() }));
  const took = Math.ceil((wall - 600_000 - w0) / 1000);
  assert.ok(int(ttl) <= 6600 && int(ttl) >= 6600 - took - 1, `TTL ${ttl} (7200 minus the 600 s the tab was closed, minus the ${took} s the test took)`);
  assert.equal(await side(page, 'TTL forever'), '(integer) -1');
  assert.match(await page.locator('#output').textContent(), /Restored 2 keys saved at .*\(1 key expired while the tab was closed\)/);
});

test('a paused clock comes back paused at the saved time; a fast one at its speed, the closed time at 1×', async (t) => {
  const { page } = await openPage(t);
  await page.evaluate(() => window.redisPlayground.engine.pause());
  await run(page, 'SET short v PX 300');
  await saveNow(page);
  await closeFor(page, 3_600_000);
  await reload(page);
  assert.equal(await page.evaluate(() => window.redisPlayground.engine.isPaused()), true);
  assert.equal(await side(page, 'PTTL short'), '(integer) 300', 'nothing ran while paused, closed or not');
  await page.locator('.clock').waitFor();
  assert.equal(await page.locator('.clock').getAttribute('data-state'), 'paused', 'the clock in the header shows it');

  const w0 = await page.evaluate(() => Date.now());
  await page.evaluate(() => { const e = window.redisPlayground.engine; e.resume(); e.setSpeed(600); });
  await run(page, 'SET day v EX 86400');
  await saveNow(page);
  await closeFor(page, 3_600_000);
  await reload(page);
  assert.equal(await page.evaluate(() => window.redisPlayground.engine.speed()), 600);
  const { ttl, wall } = await page.evaluate(() => ({ ttl: window.redisPlayground.engine.sideExec('TTL day'), wall: Date.now() }));
  // An hour closed at 1× (not 600 hours), plus the real seconds the page was open at 600×
  // (at most the seconds this test took, whatever the machine).
  const took = Math.ceil((wall - 3_600_000 - w0) / 1000);
  assert.ok(int(ttl) <= 86400 - 3600 && int(ttl) >= 86400 - 3600 - 600 * took - 1, `TTL ${ttl} (${took} s open)`);
  assert.equal(await side(page, 'EXISTS short'), '(integer) 0', 'the short key ran out once the clock ran');
});

test('an older page\'s "previous" world becomes a kept playground', async (t) => {
  const { page } = await openPage(t);
  await run(page, 'SET old 1');
  await saveNow(page);
  // What an older page kept: the saved world under "previous".
  await page.evaluate(() => new Promise((resolve, reject) => {
    window.redisPlayground.persistence.suspended = true;
    const r = indexedDB.open('redis-playground');
    r.onsuccess = () => {
      const store = r.result.transaction('world', 'readwrite').objectStore('world');
      const g = store.get('world');
      g.onsuccess = () => {
        const put = store.put({ ...g.result, keys: 1, why: 'before you ran a shared link', at: Date.now() }, 'previous');
        put.onsuccess = () => { r.result.close(); resolve(); };
        put.onerror = () => reject(put.error);
      };
    };
    r.onerror = () => reject(r.error);
  }));
  await reload(page);
  assert.equal(await readStore(page, 'previous'), null, 'moved');
  assert.equal(await page.evaluate(() => window.redisPlayground.persistence.keptCount()), 1);
  const kept = await page.evaluate(() => window.redisPlayground.persistence.kept());
  assert.equal(kept[0].keys, 1);
  assert.equal(kept[0].why, 'before you ran a shared link');
});

test('Reset asks first, then empties everything and the saved copy', async (t) => {
  const { page } = await openPage(t);
  await run(page, 'SET keep me');
  await run(page, 'SELECT 3');
  await run(page, 'SET three 3');
  await saveNow(page);
  assert.equal(await page.evaluate(() => window.redisPlayground.persistence.keepCurrentAside('for the test')), true);
  const openReset = async () => {
    await page.locator('#data-menu > summary').click();
    await page.locator('#reset-button').click();
    await page.locator('dialog.reset-dialog').waitFor();
  };
  await openReset();
  await screenshot(page, 'persist-reset-dialog.png');
  await page.locator('dialog.reset-dialog button', { hasText: 'Cancel' }).click();
  assert.equal(await keyCount(page), 2, 'Cancel keeps everything');
  await openReset();
  await Promise.all([
    page.waitForEvent('load'),
    page.locator('dialog.reset-dialog button', { hasText: 'Reset everything' }).click(),
  ]);
  await ready(page);
  assert.equal(await keyCount(page), 0);
  assert.equal(await page.locator('#prompt').textContent(), '127.0.0.1:6379> ');
  assert.match(await page.locator('#output').textContent(), /The playground was reset/);
  await page.locator('#input').click();
  await page.keyboard.press('ArrowUp');
  assert.equal(await page.locator('#input').inputValue(), '', 'the history is empty');
  assert.equal(await readStore(page, 'world'), null, 'the saved copy is gone');
  assert.deepEqual(await page.evaluate(() => window.redisPlayground.persistence.kept()), [], 'the kept playgrounds too');
  await reload(page);
  assert.equal(await keyCount(page), 0, 'and stays gone');
});

const BAD = [
  ['corrupted', /snapshot is corrupted \(checksum mismatch\)/],
  ['truncated', /snapshot is truncated/],
  ['newer', /snapshot format 4 is newer than this page \(3\)/],
  ['newer-record', /saved by a newer version of this page/],
  ['foreign', /not a Redis Playground save/],
  ['not-snapshot', /not a Redis Playground snapshot/],
];

for (const [how, reason] of BAD) {
  test(`saved data that is ${how}: an empty world, a notice, the data downloadable, the console working`, async (t) => {
    const { page, seen } = await openPage(t);
    await run(page, 'SET precious data');
    await run(page, 'RPUSH list 1 2 3');
    await saveNow(page);
    await damageStore(page, how);
    await reload(page);
    const n = notice(page, 'bad-data');
    await n.waitFor();
    const text = await n.locator('.notice-text').textContent();
    assert.match(text, reason);
    assert.match(text, /could not be loaded .* started empty/);
    assert.equal(await keyCount(page), 0, 'the world starts empty');
    assert.equal(await run(page, 'SET works 1'), 'OK', 'the console works');
    // The bad data: downloadable from the notice, and kept aside in the store.
    const link = n.locator('a.notice-download');
    assert.match(await link.getAttribute('href'), /^blob:/);
    assert.equal(await link.getAttribute('download'), 'redis-playground-saved-data.bin');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const size = fs.statSync(await download.path()).size;
    const kept = await readStore(page, 'bad');
    assert.ok(kept && kept.bytesLength > 0, 'the bad data is kept under "bad"');
    assert.equal(size, kept.bytesLength, 'the download is the kept data');
    assert.match(kept.reason, reason);
    if (how === 'corrupted') {
      await screenshot(page, 'persist-notice-bad-data.png');
      // Kept until dismissed: a reload shows the notice again, and the new world is saved.
      await saveNow(page);
      await reload(page);
      await n.waitFor();
      assert.equal(await side(page, 'GET works'), '"1"', 'the new world was saved beside the kept data');
      await n.locator('button', { hasText: 'Dismiss and delete it' }).click();
      await n.waitFor({ state: 'detached' });
      await page.waitForFunction(() => new Promise((res) => {
        const r = indexedDB.open('redis-playground');
        r.onsuccess = () => { const g = r.result.transaction('world').objectStore('world').get('bad'); g.onsuccess = () => { r.result.close(); res(g.result === undefined); }; };
      }));
      await reload(page);
      assert.equal(await notice(page, 'bad-data').count(), 0, 'gone once dismissed');
    }
    assert.deepEqual(seen.dialogs, []);
    assert.deepEqual(seen.errors, []);
  });
}

test('a full storage quota: a notice, the page keeps working, saving resumes when there is room', async (t) => {
  const { page, context, seen } = await openPage(t);
  // A real QuotaExceededError: Chromium's quota for this origin set to 1 KB (DevTools protocol).
  const cdp = await context.newCDPSession(page);
  const origin = new URL(env.baseUrl).origin;
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1024 });
  await run(page, 'SET a 1');
  await side(page, `SET big ${'x'.repeat(4000)}`);
  assert.equal(await run(page, 'SAVE'), 'OK');
  const n = notice(page, 'quota');
  await n.waitFor();
  assert.match(await n.textContent(), /storage for this page is full/);
  assert.equal(await run(page, 'INCR a'), '(integer) 2', 'the console works');
  await page.locator('#data-menu > summary').click();
  assert.match(await page.locator('#save-status').textContent(), /storage is full/);
  await page.keyboard.press('Escape');
  await cdp.send('Storage.overrideQuotaForOrigin', { origin }); // the usual quota again
  await saveNow(page);
  await n.waitFor({ state: 'detached' });
  await reload(page);
  assert.equal(await side(page, 'GET a'), '"2"');
  assert.deepEqual(seen.errors, []);
});

const NO_IDB = [
  ['indexedDB.open throws', () => { IDBFactory.prototype.open = function () { throw new DOMException('The user denied permission to access the database.', 'SecurityError'); }; }, /denied permission/],
  ['reading indexedDB throws', () => { Object.defineProperty(window, 'indexedDB', { get() { throw new DOMException('Access is denied for this document.', 'SecurityError'); } }); }, /no IndexedDB/],
  ['the open request fails (a private window)', () => {
    IDBFactory.prototype.open = function () {
      const req = new EventTarget();
      Object.defineProperty(req, 'error', { value: new DOMException('A mutation operation was attempted on a database that did not allow mutations.', 'InvalidStateError') });
      setTimeout(() => req.onerror?.(new Event('error')), 10);
      return req;
    };
  }, /did not allow mutations/],
];

for (const [name, init, why] of NO_IDB) {
  test(`no IndexedDB (${name}): a notice that changes won't be kept, the page works`, async (t) => {
    const { page, seen } = await openPage(t, { init: [init] });
    const n = notice(page, 'storage-unavailable');
    await n.waitFor();
    const text = await n.textContent();
    assert.match(text, /changes won't be kept/);
    assert.match(text, why);
    assert.equal(await run(page, 'SET x 1'), 'OK');
    assert.equal(await run(page, 'SAVE'), 'OK', 'SAVE still answers');
    assert.equal(await run(page, 'GET x'), '"1"');
    await page.locator('#data-menu > summary').click();
    assert.match(await page.locator('#save-status').textContent(), /Not saved/);
    if (name === 'indexedDB.open throws') await screenshot(page, 'persist-notice-unavailable.png');
    assert.deepEqual(seen.errors, []);
  });
}

test('a slow IndexedDB does not hold the console: it starts empty with a notice', async (t) => {
  const { page, seen } = await openPage(t, {
    init: [() => { IDBFactory.prototype.open = function () { return new EventTarget(); }; }], // never answers
  });
  await notice(page, 'slow-storage').waitFor();
  assert.equal(await run(page, 'SET x 1'), 'OK');
  assert.deepEqual(seen.errors, []);
});

test('a saved world that arrives late is restored when nothing was typed meanwhile', async (t) => {
  const { page } = await openPage(t);
  await run(page, 'SET a 1');
  await run(page, 'SET b 2');
  await saveNow(page);
  await page.evaluate(() => localStorage.setItem('test:idb-delay', '3000')); // over the 2 s the console waits
  await page.reload();
  await ready(page);
  await notice(page, 'slow-storage').waitFor();
  assert.equal(await keyCount(page), 0, 'the console started empty');
  await page.waitForFunction(() => Array.from(window.redisPlayground.engine.dbSizes()).reduce((a, b) => a + b, 0) === 2);
  await notice(page, 'slow-storage').waitFor({ state: 'detached' });
  assert.equal(await side(page, 'GET b'), '"2"');
});

test('a saved world that arrives after the learner started is kept aside, restorable', async (t) => {
  const { page } = await openPage(t);
  await run(page, 'SET old 1');
  await saveNow(page);
  await page.evaluate(() => localStorage.setItem('test:idb-delay', '5000'));
  await page.reload();
  await page.waitForSelector('#input:not([disabled])', { timeout: 20_000 });
  // A line run before the store answered (at once: typing could outlast the delay on a busy machine).
  assert.equal(await page.evaluate(() => (window.redisPlayground.persistence.status().state === 'loading'
    ? window.redisPlayground.console.run('SET new 2') : 'too late')), 'OK', 'run before the store answered');
  await ready(page);
  const kept = notice(page, 'kept-world');
  await kept.waitFor();
  assert.match(await kept.textContent(), /loaded late, after you had started/);
  assert.equal(await side(page, 'EXISTS old'), '(integer) 0', 'the new work is not overwritten');
  await kept.locator('button', { hasText: 'Restore it' }).click();
  await kept.waitFor({ state: 'detached' });
  assert.equal(await side(page, 'GET old'), '"1"');
  assert.equal(await side(page, 'EXISTS new'), '(integer) 0');
  assert.equal(await page.evaluate(() => window.redisPlayground.persistence.keptCount()), 1, 'the work done meanwhile is kept in its turn');
});

test('the open consoles come back after a reload', async (t) => {
  const { page } = await openPage(t);
  await page.locator('.console-new').click();
  await page.waitForSelector('#input-2:not([disabled])');
  await page.locator('.console-new').click();
  await page.waitForSelector('#input-3:not([disabled])');
  const before = await savedAt(page);
  await waitSaved(page, before); // opening consoles is a change to save
  await reload(page);
  await page.waitForSelector('#input-3:not([disabled])');
  assert.deepEqual(await page.evaluate(() => window.redisPlayground.console.ids()), [0, 1, 2]);
  assert.equal(await page.evaluate(() => window.redisPlayground.console.active()), 2, 'the active one too');
});

test('Export downloads a redis-cli script and RESP; Import runs either and reports errors as text', async (t) => {
  const { page, seen } = await openPage(t);
  await page.evaluate(() => window.redisPlayground.engine.pause()); // TTLs as set, on any machine
  await run(page, 'SET greeting "Hello <b>World</b>"');
  await run(page, 'SET temp v EX 500');
  await run(page, 'HSET h f v');
  await page.locator('#data-menu > summary').click();
  await screenshot(page, 'persist-data-menu.png');
  await page.locator('#export-button').click();
  const dialog = page.locator('dialog.export-dialog');
  await dialog.waitFor();
  await screenshot(page, 'persist-export-dialog.png');
  const [script] = await Promise.all([page.waitForEvent('download'), dialog.locator('[data-export="script"]').click()]);
  assert.equal(script.suggestedFilename(), 'redis-playground.redis');
  const scriptText = fs.readFileSync(await script.path(), 'utf8');
  assert.match(scriptText, /PEXPIRE/);
  assert.match(scriptText, /Hello <b>World<\/b>/);
  const [resp] = await Promise.all([page.waitForEvent('download'), dialog.locator('[data-export="resp"]').click()]);
  assert.equal(resp.suggestedFilename(), 'redis-playground.resp');
  const respBytes = fs.readFileSync(await resp.path());
  assert.equal(String.fromCharCode(respBytes[0]), '*');
  const expiresAt = await side(page, 'PEXPIRETIME temp');
  const [rdb] = await Promise.all([page.waitForEvent('download'), dialog.locator('[data-export="rdb"]').click()]);
  assert.equal(rdb.suggestedFilename(), 'dump.rdb');
  const rdbBytes = fs.readFileSync(await rdb.path());
  assert.equal(rdbBytes.subarray(0, 9).toString(), 'REDIS0010');
  await dialog.locator('button', { hasText: 'Close' }).click();

  // Import each into a fresh playground.
  for (const [name, bytes] of [['redis-playground.redis', Buffer.from(scriptText)], ['redis-playground.resp', respBytes], ['dump.rdb', rdbBytes]]) {
    const other = await openPage(t);
    await other.page.evaluate(() => window.redisPlayground.engine.pause());
    await other.page.locator('#data-menu > summary').click();
    const [chooser] = await Promise.all([other.page.waitForEvent('filechooser'), other.page.locator('#import-button').click()]);
    await chooser.setFiles({ name, mimeType: 'application/octet-stream', buffer: bytes });
    const n = notice(other.page, 'import');
    await n.waitFor();
    assert.match(await n.textContent(), new RegExp(`Imported ${name.replace('.', '\\.')}: \\d+ commands run, 0 errors`));
    assert.equal(await side(other.page, 'GET greeting'), '"Hello <b>World</b>"');
    if (name === 'dump.rdb') {
      // An RDB file keeps the absolute expiry time (the second page's clock is its own).
      assert.equal(await side(other.page, 'PEXPIRETIME temp'), expiresAt, 'the expiry the key had when exported');
    } else {
      assert.equal(await side(other.page, 'TTL temp'), '(integer) 500', 'the TTL the key had when exported');
    }
    assert.equal(await side(other.page, 'HGET h f'), '"v"');
    assert.equal(await other.page.locator('#prompt').textContent(), '127.0.0.1:6379> ', 'the import ran on its own connection');
  }

  // Errors are reported, as text.
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.evaluate(() => document.getElementById('import-button').click())]);
  await chooser.setFiles({ name: 'bad.redis', mimeType: 'text/plain', buffer: Buffer.from('SET ok 1\nBOGUS <img src=x onerror=alert(1)>\nLPUSH ok x\n') });
  const n = notice(page, 'import');
  await n.waitFor();
  await page.waitForFunction(() => /2 errors/.test(document.querySelector('[data-notice="import"]')?.textContent ?? ''));
  assert.match(await n.textContent(), /3 commands run, 2 errors/);
  assert.match(await n.locator('.notice-details').textContent(), /unknown command 'BOGUS'/);
  assert.equal(await n.locator('img').count(), 0, 'shown as text');
  assert.deepEqual(seen.dialogs, []);
  assert.deepEqual(seen.errors, []);
});

test('presenter mode: the notices, the Data menu and the dialogs follow it', async (t) => {
  const { page } = await openPage(t, { init: [() => localStorage.setItem('redis-playground:presenter', '1')], viewport: { width: 1280, height: 800 } });
  await run(page, 'SET a 1');
  await saveNow(page);
  await damageStore(page, 'truncated');
  await reload(page);
  await notice(page, 'bad-data').waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains('presenter')), true);
  await page.locator('#data-menu > summary').click();
  await screenshot(page, 'persist-presenter.png');
  await page.keyboard.press('Escape');
  await page.locator('#share-button').click();
  await page.locator('dialog.share-dialog').waitFor();
  await page.waitForFunction(() => document.querySelector('.share-url')?.value.includes('#run='));
  await screenshot(page, 'share-presenter.png');
});

test('two tabs: one saves, the other says so and can take over; nothing saved is lost', async (t) => {
  const { page: a, context } = await openPage(t);
  const open = async () => {
    const p = await context.newPage();
    await p.goto(env.baseUrl);
    await ready(p);
    return p;
  };
  await run(a, 'SET fromA 1');
  await saveNow(a);
  const b = await open();
  await notice(b, 'other-tab').waitFor();
  assert.match(await notice(b, 'other-tab').textContent(), /open in another tab, and that tab saves it/);
  assert.equal(await notice(a, 'other-tab').count(), 0, 'the first tab is in charge');
  assert.equal(await side(b, 'GET fromA'), '"1"', 'the second tab starts from what was saved');
  await run(b, 'SET fromB 1');
  assert.equal(await run(b, 'SAVE'), 'OK');
  await run(a, 'SET fromA2 1');
  await saveNow(a);

  // A third tab sees what the tab in charge saved, and is told the same.
  const c = await open();
  assert.equal(await side(c, 'EXISTS fromA fromA2 fromB'), '(integer) 2');
  await notice(c, 'other-tab').waitFor();
  await c.close();

  // B takes over: it changed things, so what A saved is kept aside and B's world is saved.
  const before = await savedAt(b);
  await notice(b, 'other-tab').locator('button', { hasText: 'Take over here' }).click();
  await waitSaved(b, before);
  await notice(a, 'other-tab').waitFor();
  assert.match(await notice(a, 'other-tab').textContent(), /Another tab took over saving/);
  assert.equal(await notice(b, 'other-tab').count(), 0);
  const kept = await b.evaluate(() => window.redisPlayground.persistence.kept());
  assert.equal(kept.length, 1);
  assert.equal(kept[0].keys, 2, "A's fromA and fromA2");
  assert.equal(kept[0].why, 'saved by another tab');
  assert.equal((await readStore(b, 'world')).keys, 2, "B's fromA and fromB");

  // B closes: A is in charge again by itself; it changed meanwhile, so B's world is kept too.
  await run(a, 'SET fromA3 1');
  const aBefore = await savedAt(a);
  await b.close();
  await waitSaved(a, aBefore);
  await a.waitForFunction(() => !document.querySelector('[data-notice="other-tab"]'));
  assert.match(await a.locator('#output').textContent(), /The other tab closed, so this tab saves the playground now\./);
  assert.equal((await a.evaluate(() => window.redisPlayground.persistence.kept())).length, 2);
  assert.equal((await readStore(a, 'world')).keys, 3);
});

test('a second tab that changed nothing takes over with the newest saved world', async (t) => {
  const { page: a, context } = await openPage(t);
  const b = await context.newPage();
  await b.goto(env.baseUrl);
  await ready(b);
  await notice(b, 'other-tab').waitFor();
  await run(a, 'SET later 1');
  await saveNow(a);
  await a.close();
  // B had changed nothing: it loads what A saved last, keeps nothing aside.
  await b.waitForFunction(() => !document.querySelector('[data-notice="other-tab"]'));
  await b.waitForFunction(() => /it loaded the 1 key the other tab saved/.test(document.querySelector('#output').textContent));
  assert.equal(await side(b, 'GET later'), '"1"');
  assert.equal((await b.evaluate(() => window.redisPlayground.persistence.kept())).length, 0);
});

test('the console transcript comes back after a reload, above a mark, as text', async (t) => {
  const { page, seen } = await openPage(t);
  await run(page, 'SET greeting "<b>hi</b>"');
  await run(page, 'GET greeting');
  await run(page, 'REPLICAOF no one');
  await reload(page);
  const restored = page.locator('#output .entry.restored');
  assert.equal(await restored.count(), 3);
  assert.equal(await restored.nth(1).locator('.echo-line').textContent(), 'GET greeting');
  assert.equal(await restored.nth(1).locator('.result').textContent(), '"<b>hi</b>"');
  assert.equal(await page.locator('#output b').count(), 0, 'shown as text, never as HTML');
  assert.match(await restored.nth(2).locator('.playground-note').textContent(), /REPLICAOF is a Redis 7.0 command/);
  assert.match(await page.locator('#output .restored-mark').textContent(), /the 3 lines above are from your last visit/);
  // Once more: the restored lines and the new ones are kept together, newest last.
  await run(page, 'PING');
  await reload(page);
  assert.deepEqual(await page.locator('#output .entry.restored .echo-line').allTextContents(),
    ['SET greeting "<b>hi</b>"', 'GET greeting', 'REPLICAOF no one', 'PING']);
  // Clear (Ctrl+L) forgets it.
  await page.locator('#input').click();
  await page.keyboard.press('Control+l');
  await run(page, 'ECHO after');
  await reload(page);
  assert.deepEqual(await page.locator('#output .entry.restored .echo-line').allTextContents(), ['ECHO after']);
  assert.deepEqual(seen.errors, []);
});
