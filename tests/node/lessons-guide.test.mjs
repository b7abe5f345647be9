// The guided lessons' state without a page (www/js/lessons/guide.js), over the engine and
// the real lesson data: a step is done by the learner's own line or by the world clock
// (advanced by hand here), "not quite" for the right command done wrong, catching up after
// a reload, the cards' and status texts.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Guide } from '../../www/js/lessons/guide.js';
import { Progress } from '../../www/js/lessons/progress.js';
import { keyLookup, splitterOf } from '../../www/js/lessons/checks.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DATA = path.join(ROOT, 'www', 'lessons');
const readJson = (name) => JSON.parse(fs.readFileSync(path.join(DATA, name), 'utf8'));
const lessons = readJson('index.json').lessons.map(readJson);
let Playground;

before(async () => {
  const pkg = await import(path.join(ROOT, 'www', 'pkg', 'redis_playground.js'));
  pkg.initSync({ module: fs.readFileSync(path.join(ROOT, 'www', 'pkg', 'redis_playground_bg.wasm')) });
  Playground = pkg.Playground;
});

function memory() {
  const mem = new Map();
  return { getItem: (k) => mem.get(k) ?? null, setItem: (k, v) => mem.set(k, String(v)) };
}

/** A paused world, a guide over it, and `type(line)`: the console runs it and the guide hears it. */
function setup(storage = memory()) {
  const p = new Playground();
  p.pause();
  const progress = new Progress(storage);
  const g = new Guide({ lessons, progress, split: splitterOf(p), lookupKey: keyLookup(p, () => p.console(0).db()) });
  const type = (line) => g.heard({ line, text: p.exec(line) });
  return { p, g, progress, type, storage };
}

test('a step is done when the learner\'s own line does what it asks', () => {
  const { p, g, type } = setup();
  const opened = g.open('caching', { now: p.now() });
  assert.equal(opened.index, 0);
  assert.deepEqual(g.status(), { kind: '', text: 'Type the command in the console and press Enter.' });
  assert.equal(type('PING'), null, 'another command: nothing to say');
  assert.equal(type('GET other'), 'miss', 'the right command on another key: not quite');
  assert.equal(type('get cache:user:42'), 'done', 'any case for the command name');
  assert.deepEqual(g.status(), { kind: 'ok', strong: 'Done.', text: ' On to the next step when you are ready.' });
  assert.deepEqual(g.go(+1, { now: p.now() }), { index: 1 });
  assert.equal(type('SET cache:user:42 v'), 'miss', 'the right command, without the TTL');
  assert.equal(g.status('miss').kind, 'miss');
  assert.match(g.status('miss').text, /with an expiry/);
  assert.equal(type('SETEX cache:user:42 300 v'), 'done', 'anyOf: SETEX does it too');
  assert.deepEqual(g.meta(), {
    text: 'Step 2 of 30 · 2 done', dots: ['lx-dot-done', 'lx-dot-done lx-dot-current', ...Array(28).fill('')],
    prevDisabled: false, next: 'Next →',
  });
});

test('a clock step is done once the world clock has moved far enough since it was shown', () => {
  const { p, g } = setup();
  g.open('caching', { index: 4, now: p.now() });
  assert.equal(g.step.advance, 301_000);
  assert.equal(g.watchesClock, true);
  assert.deepEqual(g.status(), { kind: '', text: 'Jump the clock, or let the world clock run that far.' });
  assert.equal(g.heard({ line: 'GET x', text: '(nil)' }), null, 'lines do not do a clock step');
  p.advance(300_000);
  assert.equal(g.clock(p.now()), null, 'not far enough');
  p.advance(1_000);
  assert.equal(g.clock(p.now()), 'done');
  assert.equal(g.watchesClock, false);
  assert.equal(g.clock(p.now()), null, 'once');
});

test('after a reload: where the learner left off, and an offer to replay the earlier steps', () => {
  const storage = memory();
  const first = setup(storage);
  first.g.open('caching', { now: 0 });
  first.type('GET cache:user:42');
  first.g.go(+1, { now: 0 });
  first.g.go(+1, { now: 0 });
  const { p, g } = setup(storage);
  const opened = g.open(g.progress.open, { now: p.now() });
  assert.equal(opened.index, 2, 'the step the learner was on');
  const offer = g.catchUp();
  assert.equal(offer.button, 'Replay steps 1–2');
  assert.deepEqual(offer.steps.map((s) => s.command), ['GET cache:user:42', 'SET cache:user:42 \'{"id":42,"name":"Alice"}\' EX 300']);
  g.replaying = true;
  for (const s of offer.steps) assert.equal(g.heard({ line: s.command, text: p.exec(s.command) }), null, 'replayed lines are not heard');
  g.replaying = false;
  g.replayed(p.now());
  assert.equal(g.catchUp(), null, 'the lesson\'s keys exist now');
  assert.equal(g.heard({ line: 'GET cache:user:42', text: p.exec('GET cache:user:42') }), 'done');
});

test('finishing a lesson, and its card in the list', () => {
  const { g } = setup();
  const lesson = g.lesson('caching');
  assert.deepEqual(g.card(lesson), { width: '0%', count: '0 of 30 steps done', complete: false, button: 'Start', label: 'Start lesson: Caching with a TTL' });
  g.open('caching', { index: 29, now: 0 });
  assert.equal(g.meta().next, 'Finish');
  g.markDone();
  assert.equal(g.status().text, ' That was the last step of this lesson.');
  assert.deepEqual(g.go(+1), { finished: lesson });
  assert.equal(g.close(), 'caching');
  assert.equal(g.current, null);
  assert.equal(g.progress.open, null);
  assert.equal(g.card(lesson).button, 'Continue');
  for (let i = 0; i < 30; i++) { g.open('caching', { index: i }); g.markDone(); }
  assert.deepEqual(g.card(lesson), { width: '100%', count: 'All 30 steps done', complete: true, button: 'Review', label: 'Review lesson: Caching with a TTL' });
  assert.equal(g.open('caching').index, 0, 'a finished lesson opens at its start');
  assert.equal(g.go(-1), null, 'nothing before the first step');
  assert.equal(g.open('nosuch'), null);
});
