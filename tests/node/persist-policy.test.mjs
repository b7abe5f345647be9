// Persistence's load policy and notices without a browser (www/js/persist/load.js,
// notices.js): which saved world wins, what becomes of the others, what the page says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPlan, within } from '../../www/js/persist/load.js';
import * as say from '../../www/js/persist/notices.js';
import { makeRecord } from '../../www/js/persist/record.js';
import { keptId, keptSummaries, keptLine } from '../../www/js/persist/kept.js';

const rec = (savedAt) => makeRecord({ engine: new Uint8Array([1, 2, 3]), page: { history: ['GET a'] }, savedAt });

test('the localStorage copy a leaving page wrote wins only when it is newer', () => {
  const idb = rec(1000);
  const newer = rec(2000);
  let p = loadPlan({ world: idb, pending: newer });
  assert.equal(p.world, newer);
  assert.deepEqual([p.fromPending, p.dropPending, p.action], [true, false, 'restore']);
  p = loadPlan({ world: newer, pending: idb });
  assert.equal(p.world, newer);
  assert.deepEqual([p.fromPending, p.dropPending, p.action], [false, true, 'restore'], 'IndexedDB has it: the copy goes');
  p = loadPlan({ world: undefined, pending: idb });
  assert.deepEqual([p.fromPending, p.action], [true, 'restore'], 'only the copy');
  assert.equal(loadPlan({ world: undefined, pending: undefined }).action, 'none');
});

test('unreadable data is kept aside; a late record does not replace work already begun', () => {
  let p = loadPlan({ world: { v: 99, engine: new Uint8Array(1) } });
  assert.equal(p.action, 'bad');
  assert.match(p.rec.reason, /newer version/);
  assert.equal(loadPlan({ world: 'garbage' }).action, 'bad');
  p = loadPlan({ world: rec(1), late: true, changedSinceStart: true });
  assert.equal(p.action, 'keep');
  assert.equal(loadPlan({ world: rec(1), late: true, changedSinceStart: false }).action, 'restore', 'late but nothing done yet');
});

test('a store slower than the timeout lets the page start', async () => {
  const now = (ms) => Promise.resolve(ms);
  assert.deepEqual(await within(Promise.resolve(7), 10, () => new Promise(() => {})), { v: 7 });
  const err = new Error('blocked');
  assert.deepEqual(await within(Promise.reject(err), 10, () => new Promise(() => {})), { e: err });
  assert.deepEqual(await within(new Promise(() => {}), 10, now), { timeout: true });
});

test('the notices and the status line say what happened', () => {
  const day = new Date(2026, 10, 28, 14, 3, 27).getTime();
  assert.equal(say.timeText(day, day + 60_000), '14:03:27');
  assert.equal(say.timeText(day, day + 86_400_000 * 2), '28/11/2026 14:03:27');
  assert.equal(say.timeText(NaN), 'an unknown time');
  const bad = say.badData({ reason: 'checksum mismatch', savedAt: NaN }, 2048);
  assert.equal(bad.id, 'bad-data');
  assert.equal(bad.text, 'Your saved playground could not be loaded (checksum mismatch), so this page started empty. The saved data is kept until you dismiss this notice.');
  assert.deepEqual(bad.download, { filename: 'redis-playground-saved-data.bin', label: 'Download the saved data (2.0 KB)' });
  const prev = say.keptWorld({ keys: 3, why: 'replaced by a shared link', savedAt: NaN });
  assert.equal(prev.text, 'Your earlier playground (3 keys), saved at an unknown time, replaced by a shared link, is kept under Data → Kept playgrounds. Restoring it replaces the current keys, which are kept in turn.');
  assert.equal(say.restored({ keys: 1, expired: 2, savedAt: NaN }), 'Restored 1 key saved at an unknown time (2 keys expired while the tab was closed).');
  assert.equal(say.saveFailed(new Error('x')).text, 'The playground could not be saved (x).');
  assert.equal(say.saveFailed(new Error('x'), { retry: true }).text, 'The playground could not be saved (x). It is tried again at the next change.');
  assert.match(say.quota(5_000_000).text, /full \(the world is 4\.8 MB\)/);
  assert.equal(say.unavailable({ message: 'denied' }).kind, 'warning');
  assert.equal(say.slowStorage().id, 'slow-storage');
});

test('kept playgrounds: ids sort by time, the list is newest first, unreadable ones are listed to delete', () => {
  assert.ok(keptId(1000, 'a') < keptId(20_000, 'b'), 'zero-padded: string order is time order');
  assert.match(keptId(5, 'x'), /^kept:000000000000005-x$/);
  const a = { ...rec(1000), id: keptId(1500, 'a'), keys: 2, why: 'before you ran a shared link', keptAt: 1500 };
  const b = { ...rec(3000), id: keptId(3500, 'b'), keys: 1, why: 'loaded late, after you had started', keptAt: 3500 };
  const broken = { id: keptId(2500, 'c'), keptAt: 2500, junk: true };
  const list = keptSummaries([a, broken, b, { id: 'world' }, null]);
  assert.deepEqual(list.map((k) => k.id), [b.id, broken.id, a.id]);
  assert.deepEqual(list[0], { id: b.id, keys: 1, why: 'loaded late, after you had started', savedAt: 3000, keptAt: 3500, unreadable: false });
  assert.equal(list[1].unreadable, true);
  assert.match(keptLine(list[2], 1000), /^saved at \d\d:\d\d:\d\d · 2 keys · before you ran a shared link$/);
  assert.match(keptLine(list[1], 1000), /cannot be read$/);
  const n = say.keptWorld(list[2]);
  assert.equal(n.id, 'kept-world');
  assert.match(n.text, /^Your earlier playground \(2 keys\), saved at .*, before you ran a shared link, is kept under Data → Kept playgrounds\./);
  assert.equal(n.dismissLabel, undefined, 'dismissing the notice deletes nothing');
});
