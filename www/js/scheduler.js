// One scheduler drives the world: it ticks the engine on one timer and tells every pane what
// the world looks like now, so no pane keeps a polling loop of its own.
//
//   const scheduler = createScheduler(engine, { activeDb: () => ui.activeDb(), onError });
//   const off = scheduler.subscribe((world) => …);  // after every tick (and every kick)
//   const offFrame = scheduler.onFrame((world, wall) => …);  // every animation frame, for drawing
//   scheduler.kick();                                // something changed now: publish soon
//   scheduler.world();                               // the last world published
//
// `world` is `{ now, generation, speed, paused, db, wall, cause }`: the world clock (ms since
// the epoch), `engine.generation()` (moves whenever any key changes), the clock's speed and
// pause, the db of the console the learner is in (`activeDb()`: the console UI owns which one
// that is), the wall time of the publish (`performance.now()`), and why it was published
// ('tick', 'kick', 'visible' or 'start').
//
// Ticking: every `interval` ms `engine.tick()` moves the world by the wall time elapsed since
// the last tick × the speed, so a background tab whose timers the browser throttled (once a
// second, or once a minute) catches up in full on its next tick, and at once when it becomes
// visible again (visibilitychange). The keys that expired meanwhile are deleted by the
// engine's active expiry cycle a bounded batch per tick (lazily, on access, before that), so
// a long gap never freezes the page. A throwing engine stops the ticks and calls
// `onError(e)`.
//
// Frames: `onFrame` subscribers run once per animation frame while the tab is visible and
// there is at least one of them (the retry simulation draws and catches up in bounded work a
// frame at a time); the loop stops when the last one leaves.
//
// Kicks: a console line, a new active console or a clock control changes the world between
// ticks; `kick()` publishes it to every subscriber on a microtask, once however many kicks
// came in the same task (a pasted block of lines is one publish, after the last line).
import { callEach } from './listeners.js';

/**
 * @param engine the Playground (tick, now, generation, speed, isPaused)
 * @param options.interval  ms between ticks (100: Redis's active expiry runs 10 times a second)
 * @param options.activeDb  () => the active console's db (0 when unknown)
 * @param options.onError   (e) => …, when the engine throws: the ticks have stopped
 * @param options.timers    { setInterval, clearInterval, requestAnimationFrame,
 *                          cancelAnimationFrame, queueMicrotask, now } (tests pass fakes)
 * @param options.doc       the document whose visibility is followed (none in node)
 */
export function createScheduler(engine, {
  interval = 100,
  activeDb = () => 0,
  onError = (e) => console.error(e),
  timers = globalThis,
  doc = globalThis.document,
} = {}) {
  const subscribers = new Set();
  const frames = new Set();
  const wallNow = () => (timers.performance ?? globalThis.performance).now();
  let world = null;
  let stopped = false;
  let kicked = false;
  let frame = 0;
  let timer = 0;

  function read(cause) {
    let db = 0;
    try {
      db = Number(activeDb()) || 0;
    } catch {
      db = 0;
    }
    return {
      now: engine.now(),
      generation: engine.generation(),
      speed: engine.speed(),
      paused: engine.isPaused(),
      db,
      wall: wallNow(),
      cause,
    };
  }

  function fail(e) {
    stop();
    onError(e);
  }

  function publish(cause) {
    if (stopped) return null;
    try {
      world = read(cause);
    } catch (e) {
      fail(e);
      return null;
    }
    callEach(subscribers, 'A pane following the world', world);
    return world;
  }

  function tick(cause = 'tick') {
    if (stopped) return null;
    try {
      engine.tick();
    } catch (e) {
      fail(e);
      return null;
    }
    return publish(cause);
  }

  function loop() {
    frame = 0;
    if (stopped || frames.size === 0) return;
    frame = timers.requestAnimationFrame(loop);
    callEach(frames, 'A pane drawing a frame', world, wallNow());
  }

  function startFrames() {
    if (!frame && !stopped && frames.size > 0 && typeof timers.requestAnimationFrame === 'function') {
      frame = timers.requestAnimationFrame(loop);
    }
  }

  const onVisible = () => {
    if (doc.visibilityState === 'visible') {
      tick('visible');
      startFrames();
    }
  };

  function stop() {
    if (stopped) return;
    stopped = true;
    timers.clearInterval(timer);
    if (frame) timers.cancelAnimationFrame?.(frame);
    frame = 0;
    doc?.removeEventListener('visibilitychange', onVisible);
  }

  timer = timers.setInterval(() => tick('tick'), interval);
  doc?.addEventListener('visibilitychange', onVisible);
  publish('start');

  return {
    /** fn(world) after every tick and kick (and once now, with the current world). */
    subscribe(fn) {
      subscribers.add(fn);
      if (world) callEach([fn], 'A pane following the world', world);
      return () => subscribers.delete(fn);
    },
    /** fn(world, wall) on every animation frame while the tab is visible. */
    onFrame(fn) {
      frames.add(fn);
      startFrames();
      return () => frames.delete(fn);
    },
    /** The world changed between ticks: publish it soon (once for all kicks of this task). */
    kick() {
      if (kicked || stopped) return;
      kicked = true;
      (timers.queueMicrotask ?? globalThis.queueMicrotask)(() => {
        kicked = false;
        publish('kick');
      });
    },
    /** Tick and publish now (a test, or a control that moved the clock). */
    tick: () => tick('tick'),
    /** The last world published. */
    world: () => world,
    get stopped() { return stopped; },
    stop,
  };
}

/** A turn for the page: a message-channel task (timers are throttled in a background tab). */
export function pauseForPage() {
  return new Promise((resolve) => {
    if (typeof MessageChannel !== 'function') {
      setTimeout(resolve, 0);
      return;
    }
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(null);
  });
}
