// Tier 3 for issue 7 (nothing lost on reload, share links, export/import): the engine's
// snapshot/restore/export/import API in node, and the page's pure modules (the share-link
// codec and checks, the saved record's reader). The wall clock is Date.now, which the engine
// reads through wasm-bindgen at each call, so the tests move it to "close the tab" for a while.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadPlayground, filledPlayground, dumpKeyspace, engineCall, compareDumps } from './persist-helpers.mjs';
import { encodeScenario, decodeFragment, toBase64Url, LIMITS, PREFIX, scenarioLines } from '../../www/js/share/codec.js';
import { scenarioChecker } from '../../www/js/share/validate.js';
import { readRecord, makeRecord, bytesOf, RECORD_VERSION } from '../../www/js/persist/record.js';

let Playground;
const realNow = Date.now;
let skew = 0;
Date.now = () => realNow() + skew;
/** Let `ms` of wall time pass (as if the tab were closed meanwhile). */
const elapse = (ms) => { skew += ms; };

before(async () => {
  Playground = await loadPlayground();
});

/** A playground holding the fixture (every type, TTLs, dbs 0, 3 and 15, awkward values). */
const filled = () => filledPlayground(Playground);

const dump = (p) => dumpKeyspace(engineCall(p));

// --- snapshot and restore ---------------------------------------------------------------------

test('a snapshot restores every db, type, value and TTL into a new playground', async () => {
  const p = filled();
  p.pause(); // TTLs compared exactly, however long the dumps take
  const want = await dump(p);
  const bytes = p.snapshot();
  assert.ok(bytes instanceof Uint8Array);
  const q = new Playground();
  const r = q.restore(bytes);
  assert.equal(r.keys, Object.keys(want).length);
  assert.equal(r.expired, 0);
  assert.deepEqual(compareDumps(want, await dump(q)), []);
  assert.deepEqual(Array.from(q.dbSizes()), Array.from(p.dbSizes()));
});

test('the snapshot is compact binary, not text per key', () => {
  const p = new Playground();
  for (let i = 0; i < 2000; i++) p.execArgv(['SET', `key:${i}`, `value:${i}`]);
  const bytes = p.snapshot();
  assert.equal(new TextDecoder().decode(bytes.subarray(0, 7)), 'RPGSNAP');
  // ~ key + value + a few bytes each: well under what JSON per key would take.
  assert.ok(bytes.length < 2000 * 30, `${bytes.length} bytes for 2000 small keys`);
});

test('keys whose TTL ran out while the tab was closed are expired on restore', () => {
  const p = new Playground();
  p.exec('SET short v PX 1000');
  p.exec('SET long v EX 3600');
  p.exec('SET forever v');
  const bytes = p.snapshot();
  elapse(5000);
  const q = new Playground();
  const r = q.restore(bytes);
  assert.deepEqual({ keys: r.keys, expired: r.expired }, { keys: 2, expired: 1 });
  assert.equal(q.exec('EXISTS short'), '(integer) 0');
  const pttl = Number(q.exec('PTTL long').replace('(integer) ', ''));
  assert.ok(pttl <= 3_600_000 - 5000 && pttl > 3_600_000 - 6000, `PTTL ${pttl}: the closed time counts`);
  assert.equal(q.exec('TTL forever'), '(integer) -1');
});

test('a paused clock restores at exactly the saved world time, still paused', () => {
  const p = new Playground();
  p.pause();
  p.exec('SET k v PX 1000');
  const savedNow = p.now();
  const bytes = p.snapshot();
  elapse(60_000);
  const q = new Playground();
  assert.deepEqual({ ...q.restore(bytes) }, { keys: 1, expired: 0 });
  assert.equal(q.isPaused(), true);
  assert.equal(q.now(), savedNow);
  assert.equal(q.exec('PTTL k'), '(integer) 1000');
});

test('a fast clock restores its speed; the closed time counts at 1×', () => {
  const p = new Playground();
  p.setSpeed(60);
  p.exec('SET k v EX 3600');
  const bytes = p.snapshot();
  elapse(10_000); // at 60× this would be 10 minutes; closed, it is 10 s
  const q = new Playground();
  q.restore(bytes);
  assert.equal(q.speed(), 60);
  assert.equal(q.isPaused(), false);
  const pttl = Number(q.exec('PTTL k').replace('(integer) ', ''));
  assert.ok(pttl <= 3_590_000 && pttl > 3_580_000, `PTTL ${pttl}`);
});

test('a snapshot holds the world time of the moment it is taken', () => {
  const p = new Playground();
  p.setSpeed(60);
  const start = p.now();
  elapse(1000); // no engine call meanwhile: one wall second is a world minute
  const bytes = p.snapshot();
  const q = new Playground();
  q.restore(bytes);
  assert.ok(Math.abs(q.now() - (start + 60_000)) < 1000, `restored world time ${q.now() - start} ms after the start`);
});

test('markSaved stamps LASTSAVE with the time of the save', () => {
  const p = new Playground();
  const before = Number(p.exec('LASTSAVE').replace('(integer) ', ''));
  elapse(5000);
  p.markSaved();
  const after = Number(p.exec('LASTSAVE').replace('(integer) ', ''));
  assert.ok(after >= before + 4, `LASTSAVE ${before} → ${after}`);
});

test('bad snapshots are refused with a reason and leave the world untouched', async () => {
  const p = filled();
  const good = p.snapshot();
  const q = new Playground();
  q.exec('SET mine 1');
  q.exec('RPUSH mylist a b');
  const before = await dump(q);
  const newer = good.slice();
  newer[8] = 4; // the u16 format version after the 8-byte magic
  newer[9] = 0;
  const corrupted = good.slice();
  corrupted[Math.floor(corrupted.length / 2)] ^= 0x55;
  const cases = [
    [new TextEncoder().encode('{"hello":"world"}'), /not a Redis Playground snapshot/],
    [new Uint8Array(0), /not a Redis Playground snapshot|truncated/],
    [good.subarray(0, 6), /not a Redis Playground snapshot|truncated/],
    [good.subarray(0, Math.floor(good.length / 2)), /snapshot is truncated/],
    [good.subarray(0, good.length - 1), /snapshot is truncated|corrupted/],
    [corrupted, /snapshot is corrupted \(checksum mismatch\)/],
    [newer, /snapshot format 4 is newer than this page \(3\)/],
  ];
  for (const [bytes, want] of cases) {
    assert.throws(() => q.restore(bytes), (e) => {
      const msg = e instanceof Error ? e.message : String(e);
      assert.match(msg, want);
      return true;
    });
    assert.deepEqual(compareDumps(before, await dump(q)), [], `world untouched after ${want}`);
  }
});

// --- SAVE, BGSAVE, LASTSAVE, DEBUG RELOAD ---------------------------------------------------

test('SAVE and BGSAVE ask the page to persist; markSaved moves LASTSAVE', () => {
  const p = new Playground();
  // No request: null per the contract (wasm-bindgen's Option gives undefined).
  assert.equal(p.takeSaveRequest() ?? null, null);
  assert.equal(p.exec('SAVE'), 'OK');
  assert.equal(p.takeSaveRequest(), 'save');
  assert.equal(p.takeSaveRequest() ?? null, null, 'a request is taken once');
  assert.equal(p.exec('BGSAVE'), 'Background saving started');
  assert.equal(p.takeSaveRequest(), 'save');
  const before = Number(p.exec('LASTSAVE').replace('(integer) ', ''));
  elapse(3000);
  p.tick(); // the page ticks every 100 ms; markSaved itself does not read the wall clock
  p.markSaved();
  const after = Number(p.exec('LASTSAVE').replace('(integer) ', ''));
  assert.ok(after >= before + 2, `LASTSAVE ${before} → ${after}`);
  p.exec('SET x 1');
  assert.match(p.exec('INFO persistence'), /rdb_changes_since_last_save:1/);
  p.markSaved();
  assert.match(p.exec('INFO persistence'), /rdb_changes_since_last_save:0/);
});

test('DEBUG RELOAD keeps the keyspace (snapshot and restore inside the engine)', async () => {
  const p = filled();
  const want = await dump(p);
  assert.equal(p.exec('DEBUG RELOAD'), 'OK');
  assert.deepEqual(compareDumps(want, await dump(p)), []);
});

// --- export and import ------------------------------------------------------------------------

test('the redis-cli script export imports back into an empty playground', async () => {
  const p = filled();
  const want = await dump(p);
  const script = p.exportScript();
  assert.equal(typeof script, 'string');
  assert.ok(/^"?SELECT"? "?0"?$/m.test(script), 'the script starts each db with SELECT');
  assert.ok(/^"?PEXPIRE"? "?ttl:string"? "?\d+"?$/m.test(script), 'TTLs become PEXPIRE with the time left');
  const q = new Playground();
  const r = q.importData(new TextEncoder().encode(script));
  assert.equal(r.errors, 0, JSON.stringify(r.firstErrors));
  assert.ok(r.commands > 10);
  assert.deepEqual(compareDumps(want, await dump(q)), []);
  assert.equal(q.console(0).prompt(), '127.0.0.1:6379> ', 'the import ran on its own connection');
});

test('the RESP export imports back into an empty playground', async () => {
  const p = filled();
  const want = await dump(p);
  const resp = p.exportResp();
  assert.ok(resp instanceof Uint8Array);
  assert.equal(String.fromCharCode(resp[0]), '*');
  const q = new Playground();
  const r = q.importData(resp);
  assert.equal(r.errors, 0, JSON.stringify(r.firstErrors));
  assert.deepEqual(compareDumps(want, await dump(q)), []);
});

test('an import reports how many commands ran and the first errors', () => {
  const q = new Playground();
  const r = q.importData(new TextEncoder().encode('SET a 1\nINCR a\nBOGUS x\nLPUSH a x\nGET a\n'));
  assert.equal(r.commands, 5);
  assert.equal(r.errors, 2);
  assert.equal(r.firstErrors.length, 2);
  assert.match(r.firstErrors[0], /unknown command/);
  assert.match(r.firstErrors[1], /WRONGTYPE/);
  assert.equal(q.exec('GET a'), '"2"');
});

test('resetWorld empties every db and puts the clock and consoles back', () => {
  const p = filled();
  p.setSpeed(600);
  p.pause();
  p.exec('SELECT 5');
  p.resetWorld();
  assert.deepEqual(Array.from(p.dbSizes()), new Array(16).fill(0));
  assert.equal(p.speed(), 1);
  assert.equal(p.isPaused(), false);
  assert.equal(p.console(0).prompt(), '127.0.0.1:6379> ');
  assert.ok(Math.abs(p.now() - Date.now()) < 1000, 'world time is wall time again');
});

test('generation() keeps moving across resetWorld and restore, so views notice the new world', () => {
  const p = new Playground();
  p.exec('SET a 1');
  p.exec('SADD s a b');
  const seen = p.generation();
  const snap = p.snapshot();
  p.resetWorld();
  assert.ok(p.generation() > seen, `after resetWorld: ${p.generation()}, a view saw ${seen}`);
  const again = p.generation();
  p.restore(snap);
  assert.ok(p.generation() > again, 'restore moves it too');
});

// --- the saved record (www/js/persist/record.js) ----------------------------------------------

test('readRecord accepts its own records and explains anything else', () => {
  const engine = new Uint8Array([1, 2, 3]);
  const good = readRecord(makeRecord({ engine, page: { history: ['SET a 1', 7, 'GET a'], consoles: { count: 2 } }, savedAt: 5 }));
  assert.equal(good.ok, true);
  assert.deepEqual(good.page, { history: ['SET a 1', 'GET a'], consoles: { count: 2 } });
  assert.equal(good.savedAt, 5);
  assert.equal(readRecord(undefined).empty, true);
  for (const v of ['a string', 42, [1, 2], engine, { v: 1 }, { v: 1, engine: 'text' }, { engine }]) {
    const r = readRecord(v);
    assert.equal(r.ok, false);
    assert.equal(r.reason, 'not a Redis Playground save');
    assert.ok(r.bytes instanceof Uint8Array && r.bytes.length > 0);
  }
  const newer = readRecord({ v: RECORD_VERSION + 1, engine });
  assert.equal(newer.ok, false);
  assert.match(newer.reason, /newer version of this page/);
  assert.deepEqual(Array.from(bytesOf({ v: 9, engine })), [1, 2, 3], 'the engine bytes are what is offered for download');
});

// --- share links (www/js/share/) ------------------------------------------------------------

test('a scenario survives the link: deflate-raw, base64url, one command a line', async () => {
  const text = 'SET greeting "Hello, World!"\r\nGET greeting\n\n  \nHSET user:1 name "Ünïcødé ✓"\n';
  const frag = await encodeScenario(text);
  assert.ok(frag.startsWith(PREFIX));
  assert.match(frag.slice(PREFIX.length), /^[A-Za-z0-9_-]+$/);
  assert.deepEqual(await decodeFragment(frag), ['SET greeting "Hello, World!"', 'GET greeting', 'HSET user:1 name "Ünïcødé ✓"']);
  assert.deepEqual(scenarioLines('a\r\nb\rc\n'), ['a', 'b', 'c']);
});

async function deflate(bytes) {
  const s = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(s).arrayBuffer());
}

test('damaged, oversized and foreign links are refused with a reason', async () => {
  const enc = new TextEncoder();
  const bomb = await deflate(new Uint8Array(LIMITS.bytes + 1).fill(0x61)); // 64 KB of "a": a few bytes packed
  const manyLines = await deflate(enc.encode(Array.from({ length: LIMITS.lines + 1 }, (_, i) => `SET k${i} v`).join('\n')));
  const cases = [
    ['#run=' + 'A'.repeat(LIMITS.fragmentChars), /too long/],
    ['#run=not*base64!', /not base64url/],
    ['#run=A', /not base64url/],
    ['#run=', /no commands/],
    ['#run=' + toBase64Url(enc.encode('plain text, not deflate')), /does not decompress/],
    ['#run=' + toBase64Url(bomb), /too large/],
    ['#run=' + toBase64Url(manyLines), /limit is 200/],
    ['#run=' + toBase64Url(await deflate(new Uint8Array([0xff, 0xfe, 0x00]))), /not UTF-8/],
    ['#run=' + toBase64Url(await deflate(enc.encode('\n \n'))), /no commands/],
    ['#retry', /not a Redis Playground scenario link/],
  ];
  assert.ok(bomb.length < 200, 'the bomb is small');
  for (const [hash, want] of cases) {
    await assert.rejects(decodeFragment(hash), (e) => {
      assert.equal(e.name, 'ShareError');
      assert.match(e.message, want, hash.slice(0, 40));
      return true;
    });
  }
});

test('links run Redis commands only: unknown, blocking, subscribing and console-stopping lines are refused', () => {
  const check = scenarioChecker(new Playground());
  const ok = check(['SET a 1', 'set b "<script>alert(1)</script>"', 'HSET h f "<img src=x onerror=alert(1)>"', '3 INCR n', 'ZADD z 1 m', 'PUBLISH ch hi', 'CLIENT SETNAME me', 'MULTI', 'EXEC']);
  assert.deepEqual(ok.refused, []);
  assert.equal(ok.ok, true);
  const refused = [
    ['<script>alert(1)</script>', /not a Redis command/],
    ['help @string', /not a Redis command/],
    ['clear', /not a Redis command/],
    ['BLPOP q 0', /blocking/],
    ['BZPOPMIN z 0', /blocking/],
    ['SUBSCRIBE news', /subscribing/],
    ['PSUBSCRIBE n*', /subscribing/],
    ['MONITOR', /MONITOR/],
    ['QUIT', /QUIT/],
    ['RESET', /RESET/],
    ['CLIENT KILL ID 1', /CLIENT KILL/],
    ['DEBUG SLEEP 10', /DEBUG/],
    ['SET a "unbalanced', /quotes/],
    ['SETRANGE k 536870000 x', /offset/],
    ['SRANDMEMBER s -100000000', /count/],
    ['100000 INCR n', /repeat count/],
  ];
  const r = check(refused.map(([l]) => l));
  assert.equal(r.ok, false);
  assert.equal(r.refused.length, refused.length);
  r.refused.forEach((x, i) => {
    assert.equal(x.n, i + 1);
    assert.equal(x.line, refused[i][0]);
    assert.match(x.reason, refused[i][1], x.line);
  });
});
