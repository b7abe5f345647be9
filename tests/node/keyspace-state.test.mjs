// The keyspace view's state without a page (www/js/keyspace/state.js): following the active
// console's db, the listing's rows (flat and tree), the count and notes, the keyboard.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KeyspaceState } from '../../www/js/keyspace/state.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let Playground;

before(async () => {
  const pkg = await import(path.join(ROOT, 'www', 'pkg', 'redis_playground.js'));
  pkg.initSync({ module: fs.readFileSync(path.join(ROOT, 'www', 'pkg', 'redis_playground_bg.wasm')) });
  Playground = pkg.Playground;
});

/** A paused world with keys in db 0 and db 3, and a state that has listed db 0. */
function setup(mode = 'list') {
  const p = new Playground();
  p.pause();
  for (const line of ['SET user:1 a', 'SET user:2 b', 'SET user:10 c', 'HSET cart:1 x 1', 'SET alpha 1 EX 60',
    'SELECT 3', 'SET three 3', 'SELECT 0']) p.exec(line);
  const s = new KeyspaceState(p, { page: 200, mode });
  s.sizes = Array.from(p.dbSizes());
  drain(s);
  return { p, s };
}

/** Run the listing's scan to its end. */
function drain(s) {
  for (let i = 0; s.listing.busy && i < 100; i++) s.listing.work(50);
  s.layout();
}

const names = (s) => s.rows.map((r) => (r.kind === 'key' ? r.key : `${r.path}*`));

test('the flat list, in natural order, with its count', () => {
  const { s } = setup();
  assert.deepEqual(names(s), ['alpha', 'cart:1', 'user:1', 'user:2', 'user:10']);
  assert.equal(s.countText(), '5 keys');
  assert.equal(s.emptyText(), null);
  assert.equal(s.rows[0].info.ttl >= 0, true, 'alpha has a TTL');
});

test('the view follows the active console\'s db unless the learner picked another', () => {
  const { s } = setup();
  assert.deepEqual(s.followNote(), { text: 'Following the console (db0).', button: false });
  assert.equal(s.follow(3), true, 'SELECT 3 in the console moves the view');
  drain(s);
  assert.deepEqual(names(s), ['three']);
  assert.equal(s.setDb(5, { byUser: true }), true, 'the learner picks db5');
  assert.deepEqual(s.followNote(), { text: 'The console is on db3.', button: true });
  drain(s);
  assert.equal(s.emptyText(), 'db5 is empty. Keys you create in the console appear here.');
  assert.equal(s.follow(0), false, 'the console moves on; the view stays on db5');
  assert.deepEqual(s.followNote(), { text: 'The console is on db0.', button: true });
  assert.equal(s.follow(5), false, 'the console comes to the shown db…');
  assert.equal(s.following, true, '…and the view follows it again');
  s.setDb(2, { byUser: true });
  assert.equal(s.refollow(), true, '"Follow the console"');
  assert.equal(s.viewDb, 5);
});

test('filters: a pattern and a type, with their notes', () => {
  const { s } = setup();
  s.setPattern('user:*');
  drain(s);
  assert.deepEqual(names(s), ['user:1', 'user:2', 'user:10']);
  assert.equal(s.countText(), '3 of 5 keys match');
  s.setType('hash');
  drain(s);
  assert.deepEqual(names(s), []);
  assert.equal(s.emptyText(), 'No hashes match user:* in db0.');
  s.setPattern('');
  drain(s);
  assert.deepEqual(names(s), ['cart:1']);
  assert.equal(s.setPattern(''), false, 'the same pattern again changes nothing');
});

test('a change in the keyspace is seen through the generation', () => {
  const { p, s } = setup();
  assert.equal(s.sawGeneration(p.generation()), true, 'the first look');
  assert.equal(s.sawGeneration(p.generation()), false, 'nothing moved');
  p.exec('DEL user:2');
  assert.equal(s.sawGeneration(p.generation()), true);
  drain(s);
  assert.deepEqual(names(s), ['alpha', 'cart:1', 'user:1', 'user:10']);
});

test('the tree groups by ":" and opens the selected key\'s folders', () => {
  const { s } = setup();
  s.selected = 'user:10';
  s.setMode('tree');
  s.layout();
  assert.deepEqual(names(s), ['cart:*', 'user:*', 'user:1', 'user:2', 'user:10', 'alpha']);
  const user = s.rows.find((r) => r.path === 'user:');
  assert.equal(user.count, 3);
  assert.deepEqual(s.choose(user), { toggle: 'user:' });
  s.toggleFolder('user:');
  s.layout();
  assert.deepEqual(names(s), ['cart:*', 'user:*', 'alpha']);
  assert.deepEqual(s.choose(s.rows[2]), { select: 'alpha' });
});

test('the keyboard moves over the rows, opens folders and types ahead', () => {
  const { s } = setup('tree');
  s.layout();
  assert.equal(s.focusRow(), 'f:cart:', 'focus starts on the first row');
  const act = (key, extra) => {
    const r = s.key(key, { pageSize: 2, ...extra });
    if (r.activate !== undefined && r.activate !== null) s.activeId = r.activate;
    if (r.toggle) { s.toggleFolder(r.toggle.path, r.toggle.open); s.layout(); }
    return r;
  };
  assert.deepEqual(act('ArrowDown'), { handled: true, activate: 'f:cart:' });
  assert.deepEqual(act('ArrowRight'), { handled: true, toggle: { path: 'cart:', open: true } });
  assert.deepEqual(act('ArrowRight'), { handled: true, activate: 'k:cart:1' }, 'into the open folder');
  assert.deepEqual(act('ArrowLeft'), { handled: true, activate: 'f:cart:' }, 'back to its folder');
  assert.deepEqual(act('End'), { handled: true, activate: 'k:alpha' });
  assert.deepEqual(act('PageUp'), { handled: true, activate: 'k:cart:1' });
  assert.deepEqual(s.key('Enter', {}), { handled: true, choose: s.rows[1] });
  assert.deepEqual(act('u', { wall: 1000 }), { handled: true, activate: 'f:user:' }, 'type-ahead');
  assert.deepEqual(act('a', { wall: 3000 }), { handled: true, activate: 'k:alpha' }, 'a pause starts a new search');
  assert.deepEqual(s.key('Escape', {}), { handled: false });
  s.setMode('list');
  s.layout();
  assert.deepEqual(s.key('ArrowRight', {}), { handled: false }, 'no folders in the list');
});
