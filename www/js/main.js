// Page entry point: load the engine, mount the three areas, keep world time moving.
//
//   console   (js/console/)   the redis-cli console; the others talk to it through its API:
//                             run(line), onCommand(fn), focus(), prompt()
//   keyspace  (js/keyspace/)  the live keyspace view: mountKeyspace({ root, engine, console })
//   lessons   (js/lessons/)   examples and guided lessons: mountLessons({ root, engine, console })
//   clock     (js/clock/)     the world clock in the header (speed, pause, step to the next
//                             due event): mountClock({ root, engine, console }); its API is
//                             window.redisPlayground.clock
//   presenter (js/presenter.js, a classic script in <head>): large type, high contrast
//
// The console is enabled as soon as the engine is ready; the clock and the other two panes
// are loaded after that (dynamic imports), so nothing they do delays the first command, and a pane
// that fails to load leaves the console working.
import { createEngine, startTicking } from './engine.js';
import { mountConsole } from './console/console.js';

const ui = mountConsole({
  output: document.getElementById('output'),
  form: document.getElementById('input-form'),
  input: document.getElementById('input'),
  prompt: document.getElementById('prompt'),
  screen: document.getElementById('screen'),
  tools: document.getElementById('console-tools'),
  root: document.getElementById('console'),
});

/**
 * Load one pane's module and mount it; a failure is reported in the pane, not fatal.
 * Returns what the mount function returned (the pane's API), or undefined on failure.
 */
async function mountPane(id, load, mount, engine) {
  const root = document.getElementById(id);
  try {
    const mod = await load();
    return await mod[mount]({ root, engine, console: ui });
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
  ui.attach(engine);
  // For the browser's developer tools (and tests): the engine and the console API.
  window.redisPlayground = { engine, console: ui };
  startTicking(engine, {
    onError: (e) => ui.fatal(`The engine stopped: ${e && e.message ? e.message : e}. Reload the page to start again.`),
  });
  await Promise.all([
    mountPane('clock', () => import('./clock/clock.js'), 'mountClock', engine)
      .then((clock) => { window.redisPlayground.clock = clock; }),
    mountPane('lessons', () => import('./lessons/lessons.js'), 'mountLessons', engine),
    mountPane('keyspace', () => import('./keyspace/keyspace.js'), 'mountKeyspace', engine),
  ]);
  document.documentElement.dataset.ready = 'true';
} catch (e) {
  console.error(e);
  ui.fatal(`Could not load the engine (${e && e.message ? e.message : e}). ` +
    'If you are running from a checkout, build it first with scripts/build, or use scripts/serve.');
}
