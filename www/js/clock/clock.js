// The world clock's controls, in the page header: one clock for the whole playground (the
// engine, the console's TTL/PTTL, the keyspace view's countdowns, lessons, the simulation).
//
//   world time   HH:MM:SS, with the date when the world is no longer on today's date
//   state        "real time", "60× faster" (yellow) or "paused" (blue), so nobody takes a
//                TTL for real seconds
//   speed        presets 1× 10× 60× 600× 3600×, and any speed from 1 to 3600 typed in
//   pause        Pause / Resume (Alt+K anywhere)
//   ahead        at 1×, when world time is ahead of (or behind) the wall clock by a second or
//                more (after steps, jumps or a faster speed): how far instead of "real time",
//                and "Now" (world time back to the wall clock)
//   step         jump just past the next due event: a key's TTL running out, or anything a
//                registered due source (the retry simulation) has scheduled (Alt+Shift+K);
//                disabled, with a tooltip saying why, when nothing is due
//
// The engine owns the clock (`now`, `speed`, `pause`, `advance`…; see src/wasm.rs);
// the scheduler's 100 ms tick (scheduler.js) moves it by wall time × speed, so a throttled
// background tab catches up on its next tick. These controls draw every world the scheduler
// publishes (each tick, and at once after a console line) and write to the engine when
// used, so changes made elsewhere (a lesson's "skip ahead", the developer tools) show on the
// next tick, or at once with refresh().
//
// The speed is deliberately NOT remembered across reloads: a reload starts the engine, and
// so the world, afresh at 1× — TTLs that silently run an hour a second after a reload would
// surprise a learner far more than having to pick 60× again.
//
//   const clock = mountClock({ root, engine, console, scheduler });
//   clock.setSpeed(60); clock.pause(); clock.resume(); clock.togglePause();
//   clock.step()       → { from, to, due } or null when nothing is due
//   clock.nextDue()    → { at, to, label, kind } or null (see world.js)
//   clock.registerDueSource(fn, { label }), clock.onChange(fn)   (also module exports)
//   clock.refresh()    re-read the engine now (after changing it from outside)
//   clock.destroy()
//
// Other modules (the retry simulation) import from here, whatever the order of mounting:
//   import { registerDueSource, onClockChange, worldClock } from '../clock/clock.js';
//   worldClock()       → the mounted controls' API above (step(), pause()…), or null
// (registerDueSource and onClockChange are described in world.js.)
import { DueTracker, emitClockChange, onClockChange, registerDueSource, EXPIRE_CYCLE_MS } from './world.js';
import { formatDate, formatDuration, formatFull, formatSpeed, formatTime, perRealSecond } from './format.js';
import { h } from '../dom.js';

export { registerDueSource, onClockChange, EXPIRE_CYCLE_MS };

export const PRESETS = [1, 10, 60, 600, 3600];
export const MIN_SPEED = 1;
export const MAX_SPEED = 3600;
const STEP_REFRESH_MS = 200; // how often the step button re-reads what is due


function presetTitle(speed) {
  return speed === 1 ? 'Real time (1×)' : `${speed}×: ${perRealSecond(speed)} of world time every real second`;
}

/** Parse what was typed in the speed box: a number within 1…3600, or null. */
export function parseSpeed(text) {
  const s = String(text).trim().replace(/[×x]$/i, '').trim();
  if (s === '') return null;
  const n = Number(s);
  if (!Number.isFinite(n)) return null;
  return Math.min(MAX_SPEED, Math.max(MIN_SPEED, n));
}

let mounted = null;

/** The mounted clock controls' API (see above), or null before mountClock / after destroy. */
export function worldClock() {
  return mounted;
}

export function mountClock({ root, engine, console: ui = null, scheduler = null }) {
  if (mounted) mounted.destroy();
  const due = new DueTracker(engine);

  // --- the elements ------------------------------------------------------------------------
  const timeEl = h('time', { class: 'clock-time' });
  const dateEl = h('span', { class: 'clock-date' });
  const stateEl = h('span', { class: 'clock-state' });
  const face = h('div', { class: 'clock-face' },
    h('span', { class: 'clock-icon', 'aria-hidden': 'true', text: '◷' }),
    h('span', { class: 'sr-only', text: 'World time ' }),
    dateEl, timeEl, stateEl);

  const presetButtons = PRESETS.map((speed) => h('button', {
    type: 'button', class: 'clock-speed', 'data-speed': speed, 'aria-pressed': 'false',
    title: presetTitle(speed), 'aria-label': `${speed}× speed`,
    onclick: () => setSpeed(speed),
  }, `${speed}×`));

  const speedInput = h('input', {
    class: 'clock-custom-input', type: 'number', min: MIN_SPEED, max: MAX_SPEED, step: 'any',
    inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false',
    'aria-label': `Speed, ${MIN_SPEED} to ${MAX_SPEED} times real time`,
    title: `Any speed from ${MIN_SPEED}× to ${MAX_SPEED}×: type it and press Enter`,
  });
  const speeds = h('div', { class: 'clock-speeds', role: 'group', 'aria-label': 'World clock speed' },
    presetButtons,
    h('label', { class: 'clock-custom' }, speedInput, h('span', { class: 'clock-custom-x', 'aria-hidden': 'true', text: '×' })));

  const pauseIcon = h('span', { class: 'clock-button-icon', 'aria-hidden': 'true' });
  const pauseLabel = h('span', { class: 'clock-button-label' });
  const pauseButton = h('button', {
    type: 'button', class: 'clock-button clock-pause', 'aria-keyshortcuts': 'Alt+K',
    onclick: () => togglePause(),
  }, pauseIcon, pauseLabel);

  const stepWhy = h('span', { class: 'sr-only', id: uniqueId('clock-step-why') });
  const stepButton = h('button', {
    type: 'button', class: 'clock-button clock-step', 'aria-keyshortcuts': 'Alt+Shift+K',
    'aria-describedby': stepWhy.id, 'aria-disabled': 'true',
    onclick: () => step({ announceNothing: true }),
  }, h('span', { class: 'clock-button-icon', 'aria-hidden': 'true', text: '►|' }),
  h('span', { class: 'clock-button-label', text: 'Step' }));

  const nowButton = h('button', {
    type: 'button', class: 'clock-button clock-now', hidden: true,
    'aria-label': 'Back to now', title: 'Put world time back to the wall clock, at real time (1×)',
    onclick: () => backToNow(),
  }, h('span', { class: 'clock-button-icon', 'aria-hidden': 'true', text: '⟲' }),
  h('span', { class: 'clock-button-label', text: 'Now' }));

  const announcer = h('span', { class: 'sr-only', role: 'status' });
  const box = h('div', { class: 'clock', role: 'group', 'aria-label': 'World clock' },
    face, speeds, pauseButton, stepButton, nowButton, stepWhy, announcer);
  root.replaceChildren(box);

  let announceTimer = 0;
  const announce = (msg) => {
    announcer.textContent = '';
    clearTimeout(announceTimer);
    announceTimer = setTimeout(() => { announcer.textContent = msg; }, 30);
  };

  // --- actions -------------------------------------------------------------------------------
  function setSpeed(speed) {
    const s = Math.min(MAX_SPEED, Math.max(MIN_SPEED, Number(speed)));
    if (!Number.isFinite(s)) return engine.speed();
    engine.setSpeed(s);
    render();
    announce(s === 1 ? 'World clock at real time (1×).'
      : `World clock at ${formatSpeed(s)}: ${perRealSecond(s)} of world time every real second.`);
    return engine.speed();
  }

  function pause() {
    if (!engine.isPaused()) engine.pause();
    render();
    announce('World clock paused: TTLs stop counting down.');
  }

  function resume() {
    if (engine.isPaused()) engine.resume();
    render();
    announce(`World clock running at ${formatSpeed(engine.speed())}.`);
  }

  function togglePause() {
    if (engine.isPaused()) resume(); else pause();
  }

  /** World time back to the wall clock, at 1×. Returns whether it moved. */
  function backToNow() {
    try {
      engine.backToNow();
    } catch (e) {
      announce(`Not moved: ${e && e.message ? e.message : e}.`);
      nowButton.title = `Can't go back now: ${e && e.message ? e.message : e}.`;
      return false;
    }
    render({ force: true });
    emitClockChange({ type: 'speed', now: engine.now(), speed: engine.speed(), paused: engine.isPaused() });
    announce(`World clock back to now, ${formatTime(engine.now())}, at real time.`);
    return true;
  }

  function step({ announceNothing = false } = {}) {
    const result = due.step();
    if (!result) {
      if (announceNothing) announce('Nothing is due.');
      render({ force: true });
      return null;
    }
    render({ force: true });
    announce(`Stepped ${formatDuration(result.to - result.from)} ahead to ${formatTime(result.to)}: ${result.due.label}.`);
    return result;
  }

  // --- rendering: every world the scheduler publishes, from the engine's state -------------
  const last = { time: '', date: '', speed: NaN, paused: null, state: '', stepAt: -Infinity, stepKey: '', ahead: 0 };

  function stateOf(speed, paused) {
    if (paused) return 'paused';
    if (speed === 0) return 'stopped';
    if (speed > 1) return 'fast';
    if (speed < 1) return 'slow';
    return 'real';
  }

  function renderState(speed, paused, ahead = 0) {
    let state = stateOf(speed, paused);
    if (state === 'real' && ahead) state = 'offset';
    const far = formatDuration(Math.abs(ahead) * 1000, { compact: true });
    const side = ahead > 0 ? 'ahead' : 'behind';
    // [what, the word a compact header drops]
    const [what, word] = {
      paused: ['paused', ''],
      stopped: ['0×', ' stopped'],
      fast: [formatSpeed(speed), ' faster'],
      slow: [formatSpeed(speed), ' slower'],
      real: ['real time', ''],
      offset: [`${far} ${side}`, ''],
    }[state];
    const title = {
      paused: 'World time is paused: TTLs don’t count down and nothing expires until you resume (Alt+K) or step.',
      stopped: 'World time is stopped (speed 0): TTLs don’t count down.',
      fast: `The world runs ${formatSpeed(speed)} faster than real time: TTLs count down ${perRealSecond(speed)} every real second.`,
      slow: `The world runs slower than real time: TTLs count down ${perRealSecond(speed)} every real second.`,
      real: 'The world runs at real time: a TTL of 60 s takes a real minute.',
      offset: `The world runs at real speed (a TTL of 60 s takes a real minute), but its time is ${far} ${side === 'ahead' ? 'ahead of' : 'behind'} the wall clock (after a step, a jump or a faster speed). Now puts it back.`,
    }[state];
    stateEl.replaceChildren(what, ...(word ? [h('span', { class: 'clock-state-word', text: word })] : []));
    box.dataset.state = state;
    document.documentElement.dataset.worldClock = state;
    face.title = title;
    for (const b of presetButtons) b.setAttribute('aria-pressed', String(Number(b.dataset.speed) === speed));
    if (document.activeElement !== speedInput) speedInput.value = String(Math.round(speed * 100) / 100);
    pauseIcon.textContent = paused ? '►' : '❚❚';
    pauseLabel.textContent = paused ? 'Resume' : 'Pause';
    pauseButton.title = paused ? 'Resume the world clock (Alt+K)' : 'Pause the world clock: TTLs stop counting down (Alt+K)';
    pauseButton.classList.toggle('is-paused', paused);
  }

  function renderStep(now) {
    const next = due.next(now);
    let text;
    if (!next) {
      text = 'Nothing is due: no key has a TTL and nothing is scheduled.';
    } else if (next.kind === 'backlog') {
      text = `Expired keys are waiting for Redis’s active expiry cycle; step lets it run (${formatDuration(next.to - now)} of world time).`;
    } else {
      const left = next.at - now;
      text = `Jump to the next due event: ${next.label} ${left > 0 ? `in ${formatDuration(left)}` : 'now'} (at ${formatTime(next.at)}).`;
    }
    const disabled = next ? 'false' : 'true';
    if (stepButton.getAttribute('aria-disabled') !== disabled) stepButton.setAttribute('aria-disabled', disabled);
    const title = next ? `${text} (Alt+Shift+K)` : text;
    if (title !== last.stepKey) {
      last.stepKey = title;
      stepButton.title = title;
      stepWhy.textContent = text;
    }
  }

  function render({ force = false } = {}) {
    const now = engine.now();
    const speed = engine.speed();
    const paused = engine.isPaused();
    const time = formatTime(now);
    if (time !== last.time) {
      last.time = time;
      timeEl.textContent = time;
      timeEl.dateTime = new Date(now).toISOString();
    }
    const date = formatDate(now);
    const dateKey = date ? `${date.weekday} ${date.date}` : '';
    if (dateKey !== last.date) {
      last.date = dateKey;
      if (date) dateEl.replaceChildren(h('span', { class: 'clock-weekday', text: `${date.weekday} ` }), date.date);
      else dateEl.replaceChildren();
      dateEl.hidden = !date;
    }
    // World time against the wall clock, to the second (a paused world falls behind).
    const offset = Math.round((now - Date.now()) / 1000);
    const ahead = Math.abs(offset) >= 1 ? offset : 0;
    if (speed !== last.speed || paused !== last.paused || ahead !== last.ahead) {
      const first = last.paused === null;
      const changed = speed !== last.speed || paused !== last.paused;
      const type = paused !== last.paused && !first ? (paused ? 'pause' : 'resume') : 'speed';
      last.speed = speed;
      last.paused = paused;
      last.ahead = ahead;
      renderState(speed, paused, ahead);
      if (!first && changed) emitClockChange({ type, now, speed, paused });
    }
    nowButton.hidden = box.dataset.state !== 'offset';
    const wall = performance.now();
    if (force || wall - last.stepAt >= STEP_REFRESH_MS) {
      last.stepAt = wall;
      if (force) due.invalidate();
      renderStep(now);
    }
  }

  let offWorld = null;
  render();
  offWorld = scheduler?.subscribe(() => {
    try {
      render();
    } catch (e) {
      offWorld?.();
      console.error('The world clock stopped updating:', e);
    }
  }) ?? null;

  // --- input ---------------------------------------------------------------------------------
  function applyTypedSpeed() {
    const s = parseSpeed(speedInput.value);
    if (s === null) {
      speedInput.value = String(engine.speed());
      return;
    }
    setSpeed(s);
    speedInput.value = String(Math.round(engine.speed() * 100) / 100);
  }
  speedInput.addEventListener('change', applyTypedSpeed);
  speedInput.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      ev.preventDefault();
      applyTypedSpeed();
    } else if (ev.key === 'Escape') {
      ev.preventDefault();
      speedInput.value = String(engine.speed());
      speedInput.select();
    }
  });
  speedInput.addEventListener('blur', () => { speedInput.value = String(Math.round(engine.speed() * 100) / 100); });

  // Alt+K pauses/resumes and Alt+Shift+K steps, anywhere on the page (the console included).
  const onKey = (ev) => {
    if (!ev.altKey || ev.ctrlKey || ev.metaKey || ev.code !== 'KeyK' || ev.repeat) return;
    ev.preventDefault();
    if (ev.shiftKey) step({ announceNothing: true });
    else togglePause();
  };
  document.addEventListener('keydown', onKey);

  // What is due changes with the keyspace: re-read it after every console line.
  const offCommand = ui && typeof ui.onCommand === 'function' ? ui.onCommand(() => render({ force: true })) : null;

  const api = {
    setSpeed,
    speed: () => engine.speed(),
    pause,
    resume,
    togglePause,
    isPaused: () => engine.isPaused(),
    now: () => engine.now(),
    step: () => step(),
    backToNow,
    nextDue: () => due.next(engine.now(), { fresh: true }),
    registerDueSource,
    onChange: onClockChange,
    refresh: () => render({ force: true }),
    destroy() {
      offWorld?.();
      clearTimeout(announceTimer);
      document.removeEventListener('keydown', onKey);
      if (typeof offCommand === 'function') offCommand();
      root.replaceChildren();
      delete document.documentElement.dataset.worldClock;
      if (mounted === api) mounted = null;
    },
  };
  mounted = api;
  return api;
}

let ids = 0;
function uniqueId(prefix) {
  ids += 1;
  return `${prefix}-${ids}`;
}
