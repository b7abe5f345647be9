// The scheduler (www/js/scheduler.js): one timer ticks the engine and every pane hears the
// same world; kicks coalesce; a hidden tab catches up when it shows again; a throwing engine
// stops the ticks. Fake timers and a fake engine: nothing here waits on the wall clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createScheduler } from '../../www/js/scheduler.js';

/** Timers that run only when told: `fire()` runs the interval, `frame()` one animation frame. */
function fakeTimers() {
  const t = {
    wall: 0,
    interval: null,
    frames: new Map(),
    nextFrame: 1,
    micro: [],
    performance: { now: () => t.wall },
    setInterval(fn, ms) { t.interval = { fn, ms }; return 7; },
    clearInterval(id) { if (id === 7) t.interval = null; },
    requestAnimationFrame(fn) { const id = t.nextFrame++; t.frames.set(id, fn); return id; },
    cancelAnimationFrame(id) { t.frames.delete(id); },
    queueMicrotask(fn) { t.micro.push(fn); },
    fire() { t.wall += t.interval.ms; t.interval.fn(); },
    frame() { const due = [...t.frames.values()]; t.frames.clear(); t.wall += 16; for (const f of due) f(t.wall); },
    flush() { while (t.micro.length) t.micro.shift()(); },
  };
  return t;
}

/** An engine whose clock moves `speed` ms per tick unless paused. */
function fakeEngine() {
  const e = {
    ticks: 0, nowMs: 1_000_000, gen: 0, speedX: 1, pausedX: false, broken: false,
    tick() { if (e.broken) throw new Error('wasm trap'); e.ticks++; if (!e.pausedX) e.nowMs += 100 * e.speedX; },
    now: () => e.nowMs,
    generation: () => e.gen,
    speed: () => e.speedX,
    isPaused: () => e.pausedX,
  };
  return e;
}

function fakeDoc() {
  const doc = new EventTarget();
  doc.visibilityState = 'visible';
  return doc;
}

test('one timer ticks the engine and every subscriber hears the same world', () => {
  const timers = fakeTimers();
  const engine = fakeEngine();
  let db = 0;
  const s = createScheduler(engine, { timers, doc: fakeDoc(), activeDb: () => db });
  assert.equal(timers.interval.ms, 100);
  const a = [];
  const b = [];
  s.subscribe((w) => a.push(w));
  s.subscribe((w) => b.push(w));
  assert.equal(a.length, 1, 'a new subscriber hears the current world at once');
  assert.equal(a[0].cause, 'start');
  timers.fire();
  engine.gen = 5;
  db = 3;
  timers.fire();
  assert.equal(engine.ticks, 2);
  assert.deepEqual(a.map((w) => [w.now, w.generation, w.db, w.cause]), [
    [1_000_000, 0, 0, 'start'], [1_000_100, 0, 0, 'tick'], [1_000_200, 5, 3, 'tick'],
  ]);
  assert.deepEqual(a, b);
  assert.equal(s.world(), a.at(-1));
});

test('kicks between ticks publish once, on a microtask, without ticking', () => {
  const timers = fakeTimers();
  const engine = fakeEngine();
  const s = createScheduler(engine, { timers, doc: fakeDoc() });
  const heard = [];
  s.subscribe((w) => heard.push(w.cause));
  engine.gen = 1;
  s.kick();
  s.kick();
  s.kick();
  assert.deepEqual(heard, ['start'], 'not yet: after the current task');
  timers.flush();
  assert.deepEqual(heard, ['start', 'kick'], 'three kicks, one publish');
  assert.equal(engine.ticks, 0, 'a kick reads the world, it does not move it');
  assert.equal(s.world().generation, 1);
});

test('speed and pause are part of the world', () => {
  const timers = fakeTimers();
  const engine = fakeEngine();
  const s = createScheduler(engine, { timers, doc: fakeDoc() });
  engine.speedX = 60;
  timers.fire();
  assert.equal(s.world().speed, 60);
  assert.equal(s.world().now, 1_006_000);
  engine.pausedX = true;
  timers.fire();
  assert.equal(s.world().paused, true);
  assert.equal(s.world().now, 1_006_000);
});

test('a tab that becomes visible again ticks at once', () => {
  const timers = fakeTimers();
  const engine = fakeEngine();
  const doc = fakeDoc();
  const s = createScheduler(engine, { timers, doc });
  doc.visibilityState = 'hidden';
  doc.dispatchEvent(new Event('visibilitychange'));
  assert.equal(engine.ticks, 0, 'hiding does not tick');
  doc.visibilityState = 'visible';
  doc.dispatchEvent(new Event('visibilitychange'));
  assert.equal(engine.ticks, 1);
  assert.equal(s.world().cause, 'visible');
});

test('frames run while someone draws, and stop when the last one leaves', () => {
  const timers = fakeTimers();
  const s = createScheduler(fakeEngine(), { timers, doc: fakeDoc() });
  assert.equal(timers.frames.size, 0, 'no frame loop without a frame subscriber');
  const drawn = [];
  const off = s.onFrame((world, wall) => drawn.push([world.now, wall]));
  timers.frame();
  timers.fire();
  timers.frame();
  assert.deepEqual(drawn, [[1_000_000, 16], [1_000_100, 132]], 'each frame sees the last world');
  off();
  timers.frame();
  assert.equal(timers.frames.size, 0, 'the loop ended');
  assert.equal(drawn.length, 2);
});

test('a throwing engine stops the ticks and reports once; a throwing pane does not stop the others', () => {
  const timers = fakeTimers();
  const engine = fakeEngine();
  const errors = [];
  const s = createScheduler(engine, { timers, doc: fakeDoc(), onError: (e) => errors.push(e.message) });
  const heard = [];
  const quiet = console.error;
  console.error = () => {};
  try {
    s.subscribe(() => { throw new Error('pane bug'); });
    s.subscribe((w) => heard.push(w.cause));
    timers.fire();
    assert.deepEqual(heard, ['start', 'tick'], 'the second pane still hears the world');
  } finally {
    console.error = quiet;
  }
  engine.broken = true;
  timers.fire();
  assert.deepEqual(errors, ['wasm trap']);
  assert.equal(timers.interval, null, 'the timer is gone');
  assert.equal(s.stopped, true);
  s.kick();
  timers.flush();
  assert.deepEqual(heard, ['start', 'tick'], 'nothing is published after the engine stopped');
});
