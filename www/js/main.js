// Page entry point: load the engine, mount the console, keep world time moving.
import { createEngine, startTicking } from './engine.js';
import { mountConsole } from './console/console.js';

const ui = mountConsole({
  output: document.getElementById('output'),
  form: document.getElementById('input-form'),
  input: document.getElementById('input'),
  prompt: document.getElementById('prompt'),
  screen: document.getElementById('screen'),
  root: document.getElementById('console'),
});

ui.status('Loading the engine…');
try {
  const engine = await createEngine();
  ui.attach(engine);
  startTicking(engine, {
    onError: (e) => ui.fatal(`The engine stopped: ${e && e.message ? e.message : e}. Reload the page to start again.`),
  });
} catch (e) {
  console.error(e);
  ui.fatal(`Could not load the engine (${e && e.message ? e.message : e}). ` +
    'If you are running from a checkout, build it first with scripts/build, or use scripts/serve.');
}
