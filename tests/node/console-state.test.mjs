// The console's state without a page: a session over one engine Console (www/js/console/
// session.js: what a line does, waiting modes, the waiting bar, Ctrl+C) and the tab strip
// (tabs.js: the active console, split, labels). The world clock is paused or advanced by
// hand: nothing here depends on wall time.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConsoleSession, blockedOn } from '../../www/js/console/session.js';
import { ConsoleTabs } from '../../www/js/console/tabs.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let Playground;

before(async () => {
  const pkg = await import(path.join(ROOT, 'www', 'pkg', 'redis_playground.js'));
  pkg.initSync({ module: fs.readFileSync(path.join(ROOT, 'www', 'pkg', 'redis_playground_bg.wasm')) });
  Playground = pkg.Playground;
});

/** A paused world with two consoles. */
function world() {
  const p = new Playground();
  p.pause();
  const b = p.openConsole();
  return { p, a: new ConsoleSession({ world: p, handle: p.console(0) }), b: new ConsoleSession({ world: p, handle: p.console(b) }) };
}

test('a line runs on its own console: text, replies, prompt', () => {
  const { a, b } = world();
  const r = a.run('SELECT 2');
  assert.equal(r.kind, 'ran');
  assert.equal(r.text, 'OK');
  assert.equal(r.replies[0].command, 'select');
  assert.equal(r.entered, null);
  assert.equal(a.prompt, '127.0.0.1:6379[2]> ');
  assert.equal(b.prompt, '127.0.0.1:6379> ', 'the other console is another client');
  assert.deepEqual(a.run(''), { kind: 'ran', text: '', replies: [], failed: false, entered: null });
  assert.deepEqual(a.run('  clear '), { kind: 'clear' }, 'redis-cli clears its screen itself');
});

test('a blocked console queues lines, counts its timeout down on the world clock, and wakes', () => {
  const { p, a, b } = world();
  const r = a.run('BLPOP jobs 5');
  assert.equal(r.entered, 'blocked');
  assert.equal(a.mode, 'blocked');
  const t0 = a.pending.since;
  assert.deepEqual(a.pending.info, { command: 'BLPOP', keys: ['jobs'], deadline: t0 + 5000, since: t0, script: null });
  assert.deepEqual(a.bar(t0), {
    text: 'waiting for BLPOP jobs…', detail: 'times out in 5.0 s (world clock)', keys: 'Ctrl+C to cancel',
    button: 'Cancel', label: 'Cancel the waiting BLPOP', end: 'cancel',
  });
  assert.deepEqual(a.run('GET x'), { kind: 'queued' });
  assert.equal(a.bar(t0 + 3_500).detail, 'times out in 1.5 s (world clock) · 1 more line queued');
  assert.deepEqual(a.poll(), { text: '', answer: false, ended: null, switched: null }, 'nothing yet');
  assert.equal(b.run('RPUSH jobs j1').text, '(integer) 1');
  const woke = a.poll();
  assert.equal(woke.text, '1) "jobs"\n2) "j1"');
  assert.equal(woke.answer, true, 'printed under the BLPOP line');
  assert.deepEqual(woke.ended, { line: 'BLPOP jobs 5', text: '1) "jobs"\n2) "j1"' });
  assert.equal(a.mode, 'ready');
  assert.equal(a.next(), 'GET x', 'the queued line runs now');
  assert.equal(a.next(), null);
  p.resume();
});

test('a timeout passes on the world clock: (nil), without a wall-clock wait', () => {
  const { p, a } = world();
  a.run('BLPOP q 2');
  p.advance(2_500);
  p.tick();
  const r = a.poll();
  assert.match(r.text, /^\(nil\)\n\(2\.\d\ds\)$/);
  assert.equal(a.mode, 'ready');
});

test('Ctrl+C ends a wait, reading or MONITOR: the connection closes and opens again', () => {
  const { a, b } = world();
  assert.equal(a.cancel(), null, 'nothing to end at the prompt');
  a.run('SUBSCRIBE news');
  assert.equal(a.mode, 'reading');
  assert.deepEqual(a.run('PING'), { kind: 'ignored' }, 'redis-cli takes no commands while reading');
  assert.equal(a.bar(0).text, 'reading messages…');
  b.run('PUBLISH news hi');
  assert.equal(a.poll().text, '1) "message"\n2) "news"\n3) "hi"');
  const id = a.handle.clientId();
  const c = a.cancel();
  assert.equal(c.done, null, 'no blocked line');
  assert.match(c.note, new RegExp(`^\\^C: the connection closed; reconnected as client id ${id + 2}$`));
  assert.equal(a.mode, 'ready');
  a.run('MONITOR');
  assert.equal(a.bar(0).label, 'Stop MONITOR');
  b.run('SET k v');
  assert.match(a.poll().text, /"SET" "k" "v"/);
  assert.deepEqual(a.run('BLPOP q 0'), { kind: 'ignored' });
  assert.equal(a.cancel().done, null, 'MONITOR ends; no line was blocked');
  assert.equal(a.mode, 'ready');
  a.run('BLPOP q 0');
  assert.equal(a.cancel().done.line, 'BLPOP q 0', 'a blocked line is cancelled');
  assert.equal(a.run('LLEN q').text, '(integer) 0');
});

test('a blocked console says what it waits for, as the engine knows it', () => {
  const { p, a, b } = world();
  const cases = [
    ['BLPOP a b 3', { command: 'BLPOP', keys: ['a', 'b'], wait: 3000 }],
    ['bzpopmin z 0', { command: 'BZPOPMIN', keys: ['z'], wait: 0 }],
    ['BLMPOP 1.5 2 a b LEFT COUNT 3', { command: 'BLMPOP', keys: ['a', 'b'], wait: 1500 }],
    ['BLMOVE src dst LEFT RIGHT 7', { command: 'BLMOVE', keys: ['src'], wait: 7000 }],
    ['3 BRPOPLPUSH src dst 0', { command: 'BRPOPLPUSH', keys: ['src'], wait: 0 }],
  ];
  for (const [line, want] of cases) {
    a.run(line);
    assert.equal(a.mode, 'blocked', line);
    const info = blockedOn(p.console(0));
    const wait = info.deadline === 0 ? 0 : info.deadline - info.since;
    assert.deepEqual({ command: info.command, keys: info.keys, wait }, want, line);
    assert.match(a.bar(p.now()).text, new RegExp(`^waiting for ${want.command}`));
    a.cancel();
  }
  assert.deepEqual(blockedOn(p.console(0)), { command: '', keys: [], deadline: 0, since: 0 }, 'not blocked');
  b.run('PING');
});

test('the tab strip: the active console, the two shown when split, closing, labels', () => {
  const t = new ConsoleTabs();
  t.add(0);
  assert.equal(t.activeId, 0, 'the first console is active');
  t.add(1);
  t.add(2);
  assert.equal(t.activeId, 0, 'opening does not activate by itself');
  t.activate(2);
  assert.deepEqual([...t.shown()], [2]);
  t.setSplit(true);
  t.activate(1);
  assert.deepEqual([...t.shown()], [1, 2], 'split shows the two most recently active');
  assert.equal(t.next(), 2);
  assert.equal(t.next(-1), 0);
  assert.equal(t.remove(1), 2, 'closing the active console makes the last one active');
  assert.equal(t.activeId, 1, 'until the caller activates it');
  t.activate(2);
  assert.equal(t.remove(0), 2, 'closing another keeps the active one');
  assert.equal(t.split, false, 'one console left: no split');
  assert.equal(t.remove(2), null, 'the last console stays');
  assert.equal(t.activate(9), false);

  t.rename(2, '  worker ');
  assert.deepEqual(t.label(2, { clientId: 5, mode: 'blocked', prompt: '' }), {
    name: 'worker', client: ' · id 5', label: 'worker · id 5 — waiting',
    title: 'Console 3, client id 5: waiting for a blocking command (Ctrl+C cancels). Double-click (or F2) to rename it.',
    viewLabel: 'Console worker · id 5',
  });
  t.rename(2, '');
  assert.equal(t.label(2, { clientId: 5, prompt: 'not connected> ' }).label, '3 · not connected');
  assert.equal(t.label(2, {}).label, '3', 'before it has a client');
  // HELLO 3 and AUTH show on the tab; the default user over RESP2 adds nothing.
  assert.equal(t.label(2, { clientId: 5, identity: { protocol: 2, user: 'default' } }).label, '3 · id 5');
  const l = t.label(2, { clientId: 5, identity: { protocol: 3, user: 'cache-app' } });
  assert.equal(l.label, '3 · id 5 · RESP3 · cache-app');
  assert.match(l.title, /^Console 3, client id 5, RESP3, cache-app\./);
});

/** A session whose slices run at most `runs` runs each (and never run out of time). */
function slicedWorld(runs = 64) {
  const p = new Playground();
  p.pause();
  return { p, a: new ConsoleSession({ world: p, handle: p.console(0), slice: { ms: 1e9, runs } }) };
}

test('a typed repeat count runs in slices: progress, the whole answer at the end', () => {
  const { p, a } = slicedWorld();
  const r = a.run('2000 INCR k', { sliced: true });
  assert.equal(r.kind, 'ran');
  assert.equal(r.entered, 'running');
  assert.equal(r.text.split('\n').length, 64, 'the first slice: 64 runs');
  const bar = a.bar(0);
  assert.equal(bar.text, 'running INCR k…');
  assert.equal(bar.detail, '64 of 2,000 runs');
  assert.deepEqual(bar.progress, { done: 64, total: 2000 });
  assert.equal(bar.keys, 'Ctrl+C to stop');
  assert.equal(a.run('GET k', { sliced: true }).kind, 'queued', 'a line waits its turn');
  let ended = null;
  let slices = 1;
  while (a.mode === 'running') {
    const s = a.poll();
    slices += 1;
    assert.ok(s.answer);
    if (s.ended) ended = s.ended;
  }
  assert.equal(slices, Math.ceil(2000 / 64));
  assert.equal(ended.line, '2000 INCR k');
  const lines = ended.text.split('\n');
  assert.equal(lines.length, 2000);
  assert.equal(lines[1999], '(integer) 2000');
  assert.deepEqual(ended.replies, [], 'no reply trees kept for a long count');
  assert.equal(a.next(), 'GET k');
  assert.equal(p.console(0).exec('GET k'), '"2000"');
});

test('a short count ends in its first slice; a count\'s reply trees are kept up to 1,000', () => {
  const { a } = slicedWorld(1000);
  const r = a.run('3 INCR k', { sliced: true });
  assert.equal(r.entered, null);
  assert.equal(r.text, '(integer) 1\n(integer) 2\n(integer) 3');
  const { a: b } = slicedWorld(10);
  b.run('30 INCR k', { sliced: true });
  let ended = null;
  while (b.mode === 'running') ended = b.poll().ended ?? ended;
  assert.equal(ended.replies.length, 30);
});

test('an unsliced line (lessons, links) runs the whole count at once, at most 10,000 runs', () => {
  const { p, a } = slicedWorld();
  const r = a.run('20000 INCR k');
  assert.equal(r.entered, null);
  assert.equal(r.text.split('\n').length, 10000);
  assert.equal(p.console(0).exec('GET k'), '"10000"');
});

test('Ctrl+C stops a running count where it got, on the same connection', () => {
  const { p, a } = slicedWorld(100);
  const id = p.console(0).clientId();
  a.run('1000000 INCR k', { sliced: true });
  a.poll();
  const c = a.cancel();
  assert.equal(c.note, '^C: stopped after 200 of 1,000,000 runs; the connection stays open');
  assert.equal(c.done.texts.join('\n').split('\n').length, 200, 'what ran, for the transcript');
  assert.equal(a.mode, 'ready');
  assert.equal(p.console(0).clientId(), id);
  assert.equal(p.console(0).exec('GET k'), '"200"');
});

test('a count that subscribes reads messages once it ends', () => {
  const { a } = slicedWorld(2);
  a.run('5 SUBSCRIBE ch', { sliced: true });
  assert.equal(a.mode, 'running');
  let r;
  while (a.mode === 'running') r = a.poll();
  assert.equal(r.switched, 'reading');
  assert.equal(a.mode, 'reading');
  assert.equal(r.ended.text.split('\n')[0], 'Reading messages... (press Ctrl-C to quit)');
});

test('the rest of a blocked count runs in slices once its answer came', () => {
  const { p, a } = slicedWorld();
  a.run('200 BLPOP l 0', { sliced: true });
  assert.equal(a.mode, 'blocked');
  const other = p.openConsole();
  p.console(other).exec(`RPUSH l ${Array.from({ length: 200 }, (_, i) => `v${i}`).join(' ')}`);
  const r = a.poll();
  assert.equal(r.switched, 'running');
  assert.equal(r.text, '1) "l"\n2) "v0"');
  while (a.mode === 'running') a.poll();
  assert.equal(p.console(0).exec('LLEN l'), '(integer) 0');
});

test('under unknown command, the page says whether Redis has it: a gap, a later version, a typo', () => {
  const { a } = world();
  const gap = a.run('REPLICAOF no one');
  assert.equal(gap.text, "(error) ERR unknown command 'REPLICAOF', with args beginning with: 'no' 'one' ");
  assert.equal(gap.note, "REPLICAOF is a Redis 7.0 command (server) that this playground doesn't run yet.");
  assert.equal(a.run('vadd v VALUES 1 0.5 e').note, 'VADD came in Redis 8.0 (vector set); this playground is Redis 7.0.');
  assert.equal(a.run('GTE k').note, 'Redis has no command GTE: did you mean GET?');
  assert.equal(a.run('GET k').note, undefined);
});

test('quit and exit say what they did', () => {
  const { a } = world();
  const id = a.handle.clientId();
  for (const line of ['quit', 'EXIT']) {
    const r = a.run(line);
    assert.equal(r.text, '');
    assert.match(r.note, /^redis-cli would exit here; this console stays open, on the same connection/);
  }
  assert.equal(a.handle.clientId(), id);
});
