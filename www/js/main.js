// Page entry point: load the engine, mount the three areas, keep world time moving.
//
//   console   (js/console/)   the redis-cli consoles (one or more clients of the same server,
//                             as tabs or split: consoles.js); the others talk to the active
//                             one through its API: run(line), onCommand(fn) (hears every
//                             console), focus(), prompt()
//   keyspace  (js/keyspace/)  the live keyspace view: mountKeyspace({ root, engine, console })
//   lessons   (js/lessons/)   examples and guided lessons: mountLessons({ root, engine, console })
//   clock     (js/clock/)     the world clock in the header (speed, pause, step to the next
//                             due event): mountClock({ root, engine, console }); its API is
//                             window.redisPlayground.clock
//   retry     (js/retry/)     the retry simulation below the workspace:
//                             mountRetry({ root, engine, console, clock, keyspace })
//   persist   (js/persist/)   the world saved in IndexedDB and restored on load, the notices under
//                             the header, Reset, Export/Import; share (js/share/): #run= links
//   presenter (js/presenter.js, a classic script in <head>): large type, high contrast
//
// The console is enabled as soon as the engine is ready; the clock and the other two panes
// are loaded after that (dynamic imports), so nothing they do delays the first command, and a pane
// that fails to load leaves the console working.
import { createEngine, startTicking, consoleEngine } from './engine.js';
import { mountConsoles } from './console/consoles.js';
import { startPersistence } from './persist/persist.js';

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
  facade: consoleEngine,
});

/**
 * Load one pane's module and mount it; a failure is reported in the pane, not fatal.
 * Returns what the mount function returned (the pane's API), or undefined on failure.
 */
async function mountPane(id, load, mount, engine, extra = {}) {
  const root = document.getElementById(id);
  try {
    const mod = await load();
    return await mod[mount]({ root, engine, console: ui, ...extra });
  } catch (e) {
    console.error(`The ${id} pane failed to load:`, e);
    const p = document.createElement('p');
    p.className = 'pane-error';
    p.textContent = `This pane failed to load (${e && e.message ? e.message : e}).`;
    root.replaceChildren(p);
  }
}

ui.status('Loading the engine…');
try {
  const engine = await createEngine();
  // The saved world is restored before the console takes commands (at most a 2 s wait).
  const persistence = await startPersistence({ engine, console: ui });
  ui.attach(engine);
  // For the browser's developer tools (and tests): the engine and the console API.
  window.redisPlayground = { engine, console: ui };
  window.redisPlayground.persistence = persistence;
  persistence.start();
  // Share links, Export/Import (js/share/, js/persist/tools.js); a #run= link runs now.
  import('./persist/tools.js').then((m) => { window.redisPlayground.tools = m.mountTools({ engine, console: ui, persistence }); })
    .catch((e) => console.error('Share/Export/Import failed to load:', e));
  startTicking(engine, {
    onError: (e) => ui.fatal(`The engine stopped: ${e && e.message ? e.message : e}. Reload the page to start again.`),
  });
  const clockReady = mountPane('clock', () => import('./clock/clock.js'), 'mountClock', engine)
    .then((clock) => { window.redisPlayground.clock = clock; return clock; });
  const keyspaceReady = mountPane('keyspace', () => import('./keyspace/keyspace.js'), 'mountKeyspace', engine);
  await Promise.all([
    clockReady,
    mountPane('lessons', () => import('./lessons/lessons.js'), 'mountLessons', engine),
    keyspaceReady,
    // The retry simulation opens keys in the keyspace view and drives the world clock.
    Promise.all([clockReady, keyspaceReady]).then(([clock, keyspace]) =>
      mountPane('retry', () => import('./retry/retry.js'), 'mountRetry', engine, { clock, keyspace }))
      .then((retry) => { window.redisPlayground.retry = retry; }),
  ]);
  document.documentElement.dataset.ready = 'true';
} catch (e) {
  console.error(e);
  ui.fatal(`Could not load the engine (${e && e.message ? e.message : e}). ` +
    'If you are running from a checkout, build it first with scripts/build, or use scripts/serve.');
}
