// The retry simulation page (the section below the workspace):
//
//   mountRetry({ root, engine, console, scheduler, clock, keyspace }) → { start, stop, reset, step, … }
//
// The model (src/retry/, through engine.sim*) runs four strategies on the same failures;
// this page sets it up (controls.js), drives it on the scheduler's animation frames
// (scheduler.onFrame) and shows it:
// retries over time (chart.js), every operation (timeline.js), the numbers (metrics.js),
// the keys (keys.js), the commands (log.js) and why (explain.js).
//
// Time is the world clock's (js/clock/): pause, speed and step in the header drive the
// simulation too. Each frame calls engine.simAdvance(budget) — bounded work, sized to what
// the frame needs (pace.js) — until it has caught up or a few ms went by (a background tab
// catches up over a few frames), then redraws only what changed: counters in place, each
// canvas at most once, the log and the keys a few times a second, and only what is on screen.
// The decisions (the run shown, Start's speed, Step's plan, the chart's window, the status
// line, what is due for a redraw) are run.js's (RetryRun, no DOM).
import { h, fmtSpan, watchVisibility, STRATEGIES } from './util.js';
import { mountControls } from './controls.js';
import { mountChart } from './chart.js';
import { mountTimeline } from './timeline.js';
import { mountMetrics } from './metrics.js';
import { mountKeys } from './keys.js';
import { mountLog } from './log.js';
import { mountCode } from './code.js';
import { strategyCard, herdNote, seedNotes, consoleHint, idleNote } from './explain.js';
import { createPace } from './pace.js';
import { mountLab } from './lab.js';
import { RetryRun } from './run.js';
import { registerDueSource, onClockChange, worldClock } from '../clock/clock.js';
import { formValues, packRun, checkRun, differences } from './share-run.js';
import { suggestedSpeed } from './schedule.js';
import { SIM_PREFIX, encodeData, decodeData, ShareError } from '../share/codec.js';
import { openLinkDialog, framed } from '../share/share.js';
import { openDialog } from '../persist/ui.js';

const ADVANCE_MS = 5; // simulation time per frame, at most (wall ms)
const SPANS = [['all', 'whole run'], [7_200_000, '2 h'], [1_800_000, '30 min'], [300_000, '5 min'], [60_000, '1 min']];

/** The clock controls' API, or the engine itself when the header's clock failed to load. */
function clockOf(engine, clock) {
  const c = clock ?? worldClock();
  if (c) return c;
  return {
    setSpeed: (s) => engine.setSpeed(s),
    speed: () => engine.speed(),
    pause: () => engine.pause(),
    resume: () => engine.resume(),
    togglePause: () => (engine.isPaused() ? engine.resume() : engine.pause()),
    isPaused: () => engine.isPaused(),
    refresh() {},
  };
}

/**
 * An order key waiting now in `db` (one with a TTL, not a counter), for the console hints;
 * null when none is.
 */
function liveKeyOf(engine, db) {
  try {
    let cursor = 0;
    for (let i = 0; i < 50; i++) {
      const r = engine.scanKeys(db, cursor, 'order:*', 'string', 200);
      const hit = Array.from(r?.keys ?? []).find((k) => !String(k.key).endsWith(':retry_count') && Number(k.ttl) > 0);
      if (hit) return String(hit.key);
      cursor = Number(r?.cursor ?? 0);
      if (!cursor) break;
    }
  } catch (e) {
    console.error(e);
  }
  return null;
}

export function mountRetry({ root, engine, console: ui = null, scheduler, clock = null, keyspace = null }) {
  const clk = () => clockOf(engine, clock);
  const liveKey = (db) => liveKeyOf(engine, db);

  // --- the page ----------------------------------------------------------------------------
  const announcer = h('p', { className: 'sr-only', role: 'status' });
  const controlsRoot = h('div', { className: 'rs-controls' });
  const chartRoot = h('section', { className: 'rs-panel rs-chart', 'aria-label': 'Retries over time' });
  const timelineRoot = h('section', { className: 'rs-panel rs-timeline', 'aria-label': 'Every operation' });
  const metricsRoot = h('section', { className: 'rs-panel rs-metrics-panel', 'aria-labelledby': 'rs-metrics-title' });
  const logRoot = h('section', { className: 'rs-panel rs-log', 'aria-label': 'Commands sent' });
  const labRoot = h('div', { className: 'rs-lab' });
  const codeRoot = h('section', { className: 'rs-panel rs-src', 'aria-label': 'The code behind it' });
  const keySlots = STRATEGIES.map(() => h('div', { className: 'rs-keys-slot' }));
  const spanSelect = h('select', { id: 'rs-span', className: 'rs-input' }, SPANS.map(([v, t]) => h('option', { value: String(v), text: t })));
  const cards = h('div', { className: 'rs-cards' }, STRATEGIES.map((s, i) => strategyCard(s, keySlots[i])));
  const shareButton = h('button', {
    type: 'button', className: 'rs-button rs-share-run', title: 'A link that starts this run, with these settings and seed, in anyone’s page',
    onclick: () => { shareRun(); },
  }, 'Share this run');
  const emptyNote = h('p', { className: 'rs-empty', text: 'Nothing has run yet: pick a preset, or change the settings, and press Start.' });

  root.replaceChildren(
    h('header', { className: 'rs-head' },
      h('h2', { id: 'rs-title', text: 'Retry simulation' }),
      h('p', { className: 'rs-intro' },
        'Orders whose push failed are retried on a schedule — the seed’s 5 min, 10 min, 15 min, 2 h, 4 h, 6 h, or one you set. ',
        'Four ways of running those retries work side by side, each in its own database of this Redis, with real commands: ',
        'polling each key’s TTL (db 10), waiting for Redis’s expired events (db 11), one sorted set used as a delayed queue (db 12), and a stream consumer group whose reclaimer’s XAUTOCLAIM is the retry (db 13). ',
        'They draw the same failures: an order’s k-th attempt fails in every strategy or in none — unless it lands at a different time inside an outage or over the downstream’s capacity, which is the strategy’s doing. So the differences you see come from the strategy alone.'),
      consoleHint(ui ? (line) => ui.run(line) : null, { liveKey, consoleDb: () => ui?.activeDb?.() ?? 0 })),
    h('div', { className: 'rs-grid' },
      controlsRoot,
      h('div', { className: 'rs-main' },
        h('div', { className: 'rs-view-tools' },
          h('label', { for: 'rs-span', text: 'Time span of the chart and timeline' }), spanSelect,
          h('span', { className: 'rs-hint', text: 'shorter spans follow “now”' }),
          shareButton),
        emptyNote, chartRoot, timelineRoot, herdNote())),
    metricsRoot,
    labRoot,
    cards,
    codeRoot,
    logRoot,
    seedNotes(),
    announcer);
  root.setAttribute('aria-labelledby', 'rs-title');
  metricsRoot.prepend(h('div', { className: 'rs-panel-head' }, h('h3', { id: 'rs-metrics-title', text: 'The numbers, per strategy' })));
  const metricsBody = h('div');
  metricsRoot.append(metricsBody);

  const announce = (text) => {
    announcer.textContent = '';
    setTimeout(() => { announcer.textContent = text; }, 30);
  };

  const controls = mountControls(controlsRoot, { onStart: start, onPause: togglePause, onStep: step, onReset: reset });
  const chart = mountChart(chartRoot);
  const timeline = mountTimeline(timelineRoot);
  const metrics = mountMetrics(metricsBody);
  const openKey = (where) => {
    if (keyspace && typeof keyspace.open === 'function') keyspace.open(where);
    else document.getElementById('keyspace')?.scrollIntoView({ block: 'nearest' });
  };
  const keys = mountKeys(cards, { onOpenKey: openKey });
  const code = mountCode(codeRoot);
  const log = mountLog(logRoot, { onOpenKey: openKey, onEntries: (got) => code.see(got) });
  const lab = mountLab(labRoot, {
    engine,
    readConfig: () => controls.read(),
    runWith(values, tag) {
      controls.applyValues(values, 'Set by an experiment below.');
      return start(null, tag);
    },
    runLayer(values) {
      controls.set(values);
      if (start()) chartRoot.scrollIntoView({ block: 'nearest' });
    },
  });

  const seen = {
    chart: watchVisibility(chartRoot),
    timeline: watchVisibility(timelineRoot),
    metrics: watchVisibility(metricsRoot),
    log: watchVisibility(logRoot),
    keys: watchVisibility(cards),
  };

  // --- the run ---------------------------------------------------------------------------------
  const r = new RetryRun();
  let lastStart = null; // { config, form, speed } of the run Start (or a link) started
  const pace = createPace(engine, clk, {
    onSlowed(speed, note) {
      r.autoSpeed = speed;
      controls.setSpeedNote(note);
      announce(`The world clock is at ${speed}× so the simulation can keep up.`);
    },
  });

  function setupViews(state) {
    const run = r.setup(state);
    const { config, strategies } = run;
    emptyNote.hidden = true;
    root.classList.add('rs-has-run');
    metrics.setup(strategies);
    chart.setup({ strategies, config, bucketMs: state.bucketMs });
    timeline.setup({ strategies, config, startMs: state.startMs, operations: config.operations });
    keys.setup({ strategies, dbs: run.dbs, slots: keySlots, streamMinIdleMs: config.streamMinIdleMs });
    log.reset();
    code.reset(config);
    for (const card of cards.querySelectorAll('.rs-card')) card.classList.toggle('rs-off', !config[card.dataset.strategy]);
    controls.setIdleNote(config.countOnlyIdlePolls && config.polling ? idleNote() : '');
    pace.reset(state.nowMs);
  }

  /**
   * The speed the clock had before Start, once the run is over — unless the learner picked
   * another speed meanwhile (then theirs stays). Returns the speed given back, or null.
   */
  function giveClockBack() {
    const before = r.speedBefore;
    r.speedBefore = undefined;
    if (before === undefined) return null;
    const c = clk();
    const now = c.speed();
    // Only a speed Start (or the pace keeping up) set is given back.
    if (now === before || r.autoSpeed === null || now !== r.autoSpeed) return null;
    c.setSpeed(before);
    return before;
  }

  function teardown() {
    r.clear();
    emptyNote.hidden = false;
    root.classList.remove('rs-has-run');
    metrics.setup([]);
    chart.setup({ strategies: [], config: null, bucketMs: 1000 });
    timeline.setup({ strategies: [], config: null, startMs: 0, operations: 0 });
    keys.setup({ strategies: [], dbs: {}, slots: keySlots });
    log.reset();
    code.reset(null);
    controls.setIdleNote('');
  }

  /** What Start would send now: `{ config, plan }`, or `{ errors }` when the form can't be read. */
  function planned() {
    const reading = controls.read();
    if (reading.errors.length) return { errors: reading.errors };
    const { config } = reading;
    const current = clk().speed();
    const plan = r.plan(reading, { current, maxSendingSpeed: pace.maxSendingSpeed(config) });
    config.countOnlyIdlePolls = plan.countOnlyIdlePolls;
    return { config, plan };
  }

  /**
   * Start a run: the form's, or a shared one (`shared`: { config, speed } from a link, sent to
   * the engine as it is — the same config and seed give the same run). `tag` names the
   * experiment run that asked (see lab.js).
   */
  function start(shared = null, tag = null) {
    controls.clearError();
    const c = clk();
    const current = c.speed();
    let config;
    let plan;
    if (shared && shared.config) {
      config = shared.config;
      const suggested = suggestedSpeed(config);
      plan = { speed: shared.speed ?? suggested, suggested };
    } else {
      const p = planned();
      if (p.errors) {
        controls.showError(p.errors);
        announce(`Not started: ${p.errors.map((e) => e.message).join('; ')}`);
        return false;
      }
      ({ config, plan } = p);
    }
    const sent = JSON.parse(JSON.stringify(config));
    try {
      engine.simStart(config);
    } catch (e) {
      const message = e && e.message ? e.message : String(e);
      controls.showError(message);
      announce(`Not started: ${message}`);
      teardown();
      return false;
    }
    lastStart = { config: sent, form: formValues(controls.inputs), speed: plan.speed };
    r.speedBefore = current; // given back when the run finishes or is stopped
    if (plan.speed !== current) c.setSpeed(plan.speed);
    if (c.isPaused()) c.resume();
    setupViews(engine.simState());
    lab.started(tag);
    controls.setSpeedNote(r.started(plan, current));
    announce(`Simulation started: ${config.operations} operations, ${r.run.strategies.length} strategies, at ${clk().speed()}×.`);
    return true;
  }

  function togglePause() {
    const c = clk();
    c.togglePause();
    announce(c.isPaused() ? 'Paused: the world clock and the simulation stop.' : 'Running again.');
  }

  /** A speed change (the header's clock): held to what the running simulation sustains. */
  function onSpeed(ev) {
    if (r.run) pace.hold(ev, engine.simState());
  }

  function step() {
    const state = engine.simState();
    if (!state.running || state.finished) return null;
    const c = clk();
    if (!c.isPaused()) c.pause();
    pace.catchUp(50);
    const due = engine.simNextDue();
    let result;
    if (RetryRun.stepPlan(state, due) === 'jump') {
      // Too much to do at once: jump the clock to the due time and let the frames catch up.
      engine.advance(Math.max(0, due + 1 - engine.now()));
      result = { nowMs: due + 1 };
    } else {
      result = engine.simStep();
    }
    c.refresh?.();
    if (result) announce(`Stepped to the next retry, ${fmtSpan(result.nowMs - state.startMs)} after the start.`);
    return result;
  }

  function reset() {
    const state = engine.simState();
    if (!state.running) return;
    engine.simReset();
    setupViews(engine.simState());
    announce('The same run starts again from the beginning.');
  }

  // --- share links (#sim=…) --------------------------------------------------------------------
  /** "Share this run": a link to the run shown (or, with none, to what Start would run now). */
  async function shareRun() {
    let run = r.run && lastStart ? lastStart : null;
    if (!run) {
      const p = planned();
      if (p.errors) {
        controls.showError(p.errors);
        return null;
      }
      run = { config: p.config, form: formValues(controls.inputs), speed: p.plan.speed };
    }
    const fragment = await encodeData(SIM_PREFIX, packRun({ ...run, view: { code: code.view() } }));
    const url = `${location.origin}${location.pathname}${location.search}${fragment}`;
    const cfg = run.config;
    await openLinkDialog({
      title: 'Share this run',
      intro: 'Whoever opens this link gets these settings and this seed, and the same run starts in their page: the same commands at the same moments after the start.',
      details: [`${cfg.operations} operations · seed ${cfg.seed} · ${url.length.toLocaleString('en-US')} characters`],
      url,
    });
    return url;
  }

  function refuseLink(reason) {
    controls.showError(`This link was not started: ${reason}.`);
    announce(`The shared simulation was not started: ${reason}.`);
    root.scrollIntoView({ block: 'start' });
  }

  let opening = false;
  /** Open a `#sim=` link: check it, ask, fill the form, start the same run. */
  async function openSharedRun() {
    const hash = location.hash;
    if (!hash.startsWith(SIM_PREFIX) || opening) return;
    opening = true;
    try {
      if (framed()) return refuseLink('this page is inside a frame on another page');
      let shared;
      try {
        shared = checkRun(await decodeData(hash, SIM_PREFIX));
      } catch (e) {
        return refuseLink(e instanceof ShareError ? e.message : 'its data is damaged');
      }
      const cfg = shared.config;
      const choice = await openDialog({
        title: 'Start a shared simulation?',
        className: 'sim-run-dialog',
        body: [
          h('p', { text: `This link starts the retry simulation with ${Number(cfg.operations) || 'its'} operations and seed ${String(cfg.seed ?? '—')}.` }),
          h('p', { className: 'pg-muted', text: 'It uses databases 10 to 13 of this playground: their keys are replaced. Your other databases stay as they are.' }),
        ],
        buttons: [
          { label: 'Cancel', value: null },
          { label: 'Start', value: 'start', primary: true, autofocus: true },
        ],
      });
      if (choice !== 'start') return;
      controls.applyPreset('seed');
      controls.set(shared.form);
      // Typed settings, not a preset's.
      controlsRoot.querySelector('form')?.dispatchEvent(new Event('input'));
      const reading = controls.read();
      const off = reading.errors.length ? reading.errors.map((e) => e.field) : differences(cfg, reading.config);
      if (off.length) return refuseLink(`its settings and the run it starts disagree (${off.slice(0, 5).join(', ')})`);
      if (shared.view.code) code.setView(shared.view.code);
      if (start({ config: cfg, speed: shared.speed })) {
        root.scrollIntoView({ block: 'start' });
        announce('The shared simulation started.');
      }
    } finally {
      try {
        history.replaceState(history.state, '', `${location.origin}${location.pathname}${location.search}`);
      } catch { /* sandboxed: leave it */ }
      opening = false;
    }
    return undefined;
  }
  const onHash = () => { openSharedRun(); };
  addEventListener('hashchange', onHash);

  // --- drawing -------------------------------------------------------------------------------
  const seriesOf = () => Object.fromEntries(r.run.strategies.map((s) => [s, engine.simSeries(s) ?? []]));

  function frame() {
    try {
      // Nothing running: look a few times a second only (a run started from the console's
      // developer tools, or the Start button, shows at once either way).
      if (!r.run && !r.idleDue(performance.now())) return;
      const state0 = engine.simState();
      if (!state0.running) {
        if (r.run) teardown();
        controls.setState({ running: false, finished: false, paused: engine.isPaused() });
        root.dataset.runState = 'idle';
        const wall = performance.now();
        if (r.idleDue(wall)) {
          r.lastStatus = wall;
          controls.setStatus('No simulation is running.');
        }
        return;
      }
      pace.catchUp(ADVANCE_MS);
      const state = engine.simState();
      if (r.isNew(state)) setupViews(state);
      pace.keepUp(state);
      render(state);
    } catch (e) {
      offFrame();
      console.error('The retry simulation stopped drawing:', e);
      controls.setStatus(`The simulation view stopped: ${e && e.message ? e.message : e}`);
    }
  }

  function render(state) {
    const wall = performance.now();
    const run = r.run;
    const nowRel = state.nowMs - state.startMs;
    const paused = engine.isPaused();
    controls.setState({ running: true, finished: state.finished, paused });
    root.dataset.runState = state.finished ? 'finished' : paused ? 'paused' : 'running';
    if (seen.metrics.isVisible()) metrics.update(state.metrics);
    const dataKey = RetryRun.dataKey(state.metrics);
    const needSeries = seen.chart.isVisible() || seen.timeline.isVisible();
    const series = needSeries ? seriesOf() : {};
    const view = needSeries ? r.view(spanSelect.value, nowRel, state.finished, series) : null;
    if (seen.chart.isVisible()) {
      const commands = state.metrics.reduce((n, m) => n + m.commands, 0);
      const breakers = run.config.breaker ? Object.fromEntries(run.strategies.map((s) => [s, engine.simBreaker(s)])) : null;
      const opened = breakers ? Object.values(breakers).reduce((n, m) => n + (m?.length ?? 0), 0) : 0;
      chart.update({ series, breakers, view, nowRel, dataKey: `${dataKey}|${commands}|${opened}`, runSpan: run.horizon });
    }
    if (seen.timeline.isVisible()) timeline.update({ engine, view, nowRel, dataKey });
    if (seen.keys.isVisible()) keys.update(engine, engine.now());
    const due = r.due(wall, state.finished);
    if (due.log) log.update(engine, { visible: seen.log.isVisible() });
    if (due.status) {
      controls.setStatus(r.status(state, {
        nowRel, paused,
        behindMs: pace.behind ? engine.now() - state.nowMs : null,
        series: state.finished ? seriesOf() : {},
      }));
    }
    if (r.finishedNow(state.finished)) {
      lab.finished(state);
      const back = giveClockBack();
      announce(`The simulation finished after ${fmtSpan(nowRel)} of world time.${back ? ` The world clock is back at ${back}×.` : ''}`);
      if (back) controls.setSpeedNote(`The run finished: the world clock is back at ${back}×, as it was before Start.`);
    }
  }

  // --- wiring --------------------------------------------------------------------------------
  spanSelect.addEventListener('change', () => { /* the next frame redraws with the new span */ });
  const onPresenter = () => {
    chart.redraw();
    timeline.redraw();
    metrics.redraw();
  };
  document.addEventListener('presenterchange', onPresenter);
  // The workspace keeps the viewport's height below the header (retry.css), now that the
  // page goes on below it.
  const header = document.querySelector('.site-header');
  const measure = () => {
    if (header) document.documentElement.style.setProperty('--rs-header-h', `${header.offsetHeight}px`);
  };
  measure();
  const headerObserver = header && typeof ResizeObserver === 'function' ? new ResizeObserver(measure) : null;
  headerObserver?.observe(header);
  const offClock = onClockChange(onSpeed);
  const unregister = registerDueSource(() => engine.simNextDue(), { label: 'the simulation’s next retry is due' });
  const offFrame = scheduler.onFrame(frame);

  // A run already going (the page's module reloaded): show it.
  const initial = engine.simState();
  if (initial.running) setupViews(initial);
  else teardown();
  // A shared run in the address (#sim=…): it starts once asked.
  const sharedReady = openSharedRun();

  return {
    start,
    step,
    reset,
    togglePause,
    stop() {
      engine.simStop();
      giveClockBack();
      teardown();
    },
    controls,
    chart,
    timeline,
    log,
    code,
    shareRun,
    openSharedRun,
    sharedReady,
    destroy() {
      removeEventListener('hashchange', onHash);
      offFrame();
      unregister();
      offClock();
      document.removeEventListener('presenterchange', onPresenter);
      headerObserver?.disconnect();
      root.replaceChildren();
    },
  };
}
