// Page entry point: load the engine, mount the three areas, keep world time moving.
//
//   scheduler (js/scheduler.js) the one timer: ticks the engine and publishes the world
//                             ({ now, generation, speed, paused, db, … }) to every pane
//   console   (js/console/)   the redis-cli consoles (one or more clients of the same server,
//                             as tabs or split: consoles.js); the others talk to the active
//                             one through its API: run(line), onCommand(fn) (hears every
//                             console), focus(), prompt(), active(), activeDb()
//   keyspace  (js/keyspace/)  the live keyspace view: mountKeyspace({ root, engine, console, scheduler })
//   lessons   (js/lessons/)   examples and guided lessons: mountLessons({ root, engine, console, scheduler })
//   clock     (js/clock/)     the world clock in the header (speed, pause, step to the next
//                             due event): mountClock({ root, engine, console, scheduler }); its
//                             API is window.redisPlayground.clock
//   retry     (js/retry/)     the retry simulation below the workspace:
//                             mountRetry({ root, engine, console, scheduler, clock, keyspace })
//   persist   (js/persist/)   the world saved in IndexedDB and restored on load, the notices under
//                             the header, Reset, Export/Import; share (js/share/): #run= links
//   header    (js/header-fit.js) the header buttons' words, shown while the row has room
//   presenter (js/presenter.js, a classic script in <head>): large type, high contrast
//
// The console is enabled as soon as the engine is ready; the clock and the other two panes
// are loaded after that (dynamic imports), so nothing they do delays the first command, and a pane
// that fails to load leaves the console working.
import { createEngine } from './engine.js';
import { createScheduler } from './scheduler.js';
import { mountConsoles } from './console/consoles.js';
import { startPersistence } from './persist/persist.js';
import { fitHeaderLabels } from './header-fit.js';

const ui = mountConsoles({
  root: document.getElementById('console'),
  tabs: document.getElementById('console-tabs'),
  tools: document.getElementById('console-tools'),
  views: document.getElementById('console-views'),
  first: {
    view: document.getElementById('console-view-1'),
    output: document.getElementById('output'),
    form: document.getElementById('input-form'),
    input: document.getElementById('input'),
    prompt: document.getElementById('prompt'),
    screen: document.getElementById('screen'),
  },
});

/**
 * Load one pane's module and mount it; a failure is reported in the pane, not fatal.
 * Returns what the mount function returned (the pane's API), or undefined on failure.
 */
async function mountPane(id, load, mount, engine, scheduler, extra = {}) {
  const root = document.getElementById(id);
  try {
    const mod = await load();
    return await mod[mount]({ root, engine, console: ui, scheduler, ...extra });
  } catch (e) {
    console.error(`The ${id} pane failed to load:`, e);
    const p = document.createElement('p');
    p.className = 'pane-error';
    p.textContent = `This pane failed to load (${e && e.message ? e.message : e}).`;
    root.replaceChildren(p);
  }
}

ui.status('Loading the engine…');
fitHeaderLabels(); // the header's words, kept to what its row has room for
try {
  const engine = await createEngine();
  // The saved world is restored before the console takes commands (at most a 2 s wait).
  const persistence = await startPersistence({ engine, console: ui });
  // The world moves from here on: one timer ticks it and tells every pane.
  const scheduler = createScheduler(engine, {
    activeDb: () => ui.activeDb(),
    onError: (e) => ui.fatal(`The engine stopped: ${e && e.message ? e.message : e}. Reload the page to start again.`),
  });
  ui.attach(engine, { scheduler });
  // For the browser's developer tools (and tests): the engine, the console API, the scheduler.
  window.redisPlayground = { engine, console: ui, scheduler };
  window.redisPlayground.persistence = persistence;
  persistence.start({ scheduler });
  // Share links, Export/Import (js/share/, js/persist/tools.js); a #run= link runs now.
  import('./persist/tools.js').then((m) => { window.redisPlayground.tools = m.mountTools({ engine, console: ui, persistence }); })
    .catch((e) => console.error('Share/Export/Import failed to load:', e));
  // The Lua script editor under the console (js/script/), loaded after the first command can run.
  import('./script/panel.js').then((m) => {
    window.redisPlayground.script = m.mountScriptPanel({
      anchor: document.getElementById('console'),
      tools: document.getElementById('console-tools'),
      console: ui,
      engine,
      scheduler,
    });
  }).catch((e) => console.error('The script editor failed to load:', e));
  const clockReady = mountPane('clock', () => import('./clock/clock.js'), 'mountClock', engine, scheduler)
    .then((clock) => { window.redisPlayground.clock = clock; return clock; });
  const keyspaceReady = mountPane('keyspace', () => import('./keyspace/keyspace.js'), 'mountKeyspace', engine, scheduler);
  await Promise.all([
    clockReady,
    mountPane('lessons', () => import('./lessons/lessons.js'), 'mountLessons', engine, scheduler),
    keyspaceReady,
    // The retry simulation opens keys in the keyspace view and drives the world clock.
    Promise.all([clockReady, keyspaceReady]).then(([clock, keyspace]) =>
      mountPane('retry', () => import('./retry/retry.js'), 'mountRetry', engine, scheduler, { clock, keyspace }))
      .then((retry) => { window.redisPlayground.retry = retry; }),
  ]);
  document.documentElement.dataset.ready = 'true';
  // A deep link to a part mounted late (`#retry`): the browser looked for it too early.
  const target = /^#[a-z][a-z0-9-]*$/i.test(location.hash) ? document.getElementById(location.hash.slice(1)) : null;
  if (target && !/^#(lesson|example)-/.test(location.hash)) target.scrollIntoView({ block: 'start' });
} catch (e) {
  console.error(e);
  ui.fatal(`Could not load the engine (${e && e.message ? e.message : e}). ` +
    'If you are running from a checkout, build it first with scripts/build, or use scripts/serve.');
}
