// Two panels of the retry lab below the chart:
//
// "Start bare" — the settings' failures and downstream under a retry policy built up one
// layer at a time (engine.simLayers: no retries → retries → backoff → cap → jitter →
// budget → breaker); each "Add" reveals the next row, so a learner sees what each layer
// changes in calls wasted, peak load, p99 completion and orders given up.
//
// "Experiments" — guided questions (experiments.js): each run button sets the form and
// starts the simulation; when a run finishes its numbers are recorded, and once every run
// is in, the expected observation is shown with each check's outcome, as the lessons check
// a step. Passed experiments are remembered in localStorage.
//
//   const lab = mountLab(root, { engine, readConfig, runWith, runLayer })
//   (runWith: set the form to defaults + values and start; runLayer: change only the
//   retry policy's fields and start — a layer's row runs in the real strategies)
//   lab.finished(state)      the simulation finished (retry.js calls it)
//   lab.started(tag)         a run started; tag is the experiment run's, or null
import { h, setText, fmtInt, fmtSpan, fitCanvas, themeColors, durationText } from './util.js';
import { describeDelays } from './schedule.js';
import { EXPERIMENTS, WATCHED, progress } from './experiments.js';

const LAYERS = {
  noRetries: ['Bare', 'no retries: a failure is final'],
  retries: ['+ retries', 'try again, always after the same delay'],
  backoff: ['+ backoff', 'each delay longer than the last'],
  cap: ['+ cap', 'no delay over the cap'],
  jitter: ['+ jitter', 'each delay a random share of itself'],
  budget: ['+ retry budget', 'retries add at most a share of the load'],
  breaker: ['+ circuit breaker', 'after failures in a row, stop calling for a while'],
};
const ORDER = Object.keys(LAYERS);
const STORE = 'redis-playground:retry-experiments';

function policyText(row) {
  const s = row.schedule;
  if (s.maxRetries === 0) return 'no retries';
  const parts = [`${s.maxRetries} retries: ${describeDelays(s, 5)}`];
  if (s.jitter !== 'none') parts.push(`${s.jitter} jitter`);
  if (row.budget) parts.push(`budget ${row.budget.percent}% + ${row.budget.minPerS}/s`);
  if (row.breaker) parts.push(`breaker: ${row.breaker.failures} failures, open ${fmtSpan(row.breaker.openMs)}`);
  return parts.join('; ');
}

/** The form's values for a layer's policy (its schedule, budget and breaker). */
export function layerValues(row) {
  const s = row.schedule;
  const b = s.backoff;
  const values = {
    maxRetries: s.maxRetries, jitter: s.jitter, testMode: false, backoff: b.kind,
    budget: Boolean(row.budget), breaker: Boolean(row.breaker),
  };
  if (b.kind === 'exponential') Object.assign(values, { baseS: durationText(b.baseS * 1000), factor: b.factor, capS: durationText(b.capS * 1000) });
  else values.intervals = b.intervalsS.map((x) => durationText(x * 1000)).join(', ');
  if (row.budget) Object.assign(values, { budgetPercent: row.budget.percent, budgetMinPerS: row.budget.minPerS });
  if (row.breaker) Object.assign(values, { breakerFailures: row.breaker.failures, breakerOpen: durationText(row.breaker.openMs) });
  return values;
}

function loadPassed() {
  try {
    return new Set(JSON.parse(localStorage.getItem(STORE) ?? '[]'));
  } catch {
    return new Set();
  }
}

export function mountLab(root, { engine, readConfig, runWith, runLayer }) {
  // --- start bare ------------------------------------------------------------------------------
  const layersNote = h('p', { className: 'rs-hint', 'aria-live': 'polite' });
  const tbody = h('tbody');
  const addButton = h('button', { type: 'button', className: 'rs-button rs-layer-add' });
  const bareButton = h('button', { type: 'button', className: 'rs-button rs-layer-bare', text: 'Start bare' });
  const allButton = h('button', { type: 'button', className: 'rs-button rs-layer-all', text: 'All layers' });
  const layersPanel = h('section', { className: 'rs-panel rs-layers', 'aria-labelledby': 'rs-layers-title' },
    h('div', { className: 'rs-panel-head' }, h('h3', { id: 'rs-layers-title', text: 'Start bare: one layer at a time' })),
    h('p', { className: 'rs-hint', text: 'The orders, failures, outage and capacity of the settings, with a retry policy built up a layer at a time. Every attempt is made exactly when due here — no Redis in between — so the differences are the policy’s alone (the strategies above add their own lateness and commands).' }),
    h('div', { className: 'rs-buttons', role: 'group', 'aria-label': 'Layers' }, bareButton, addButton, allButton),
    h('div', { className: 'rs-table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Each layer’s effect (scrolls sideways on a narrow screen)' },
      h('table', { className: 'rs-layer-table' },
        h('caption', { className: 'sr-only', text: 'Each layer’s effect, on the same failures' }),
        h('thead', {}, h('tr', {}, ['Layer', 'Policy', 'Calls', 'Wasted calls', 'Peak load', 'Load over time', 'p99 completion', 'Given up', 'In the strategies']
          .map((t) => h('th', { scope: 'col', text: t })))),
        tbody)),
    layersNote);

  let rows = [];
  let shown = 0;
  let capacity = 0;

  function compute() {
    const { config, errors } = readConfig();
    if (errors.length) {
      setText(layersNote, `Fix the settings first: ${errors.map((e) => e.message).join('; ')}`);
      return false;
    }
    try {
      rows = Array.from(engine.simLayers(config));
      capacity = config.capacityPerS ?? 0;
      return true;
    } catch (e) {
      setText(layersNote, `Not computed: ${e && e.message ? e.message : e}`);
      return false;
    }
  }

  /** A row's load over time, on the time axis all rows share (the longest run's). */
  function sparkline(row, buckets) {
    const canvas = h('canvas', { className: 'rs-spark', width: 160, height: 28, role: 'img' });
    const peak = Math.max(1, ...row.peakLoad);
    canvas.setAttribute('aria-label', `Peak ${fmtInt(peak)} calls a second${capacity ? ` against a capacity of ${fmtInt(capacity)}` : ''}`);
    requestAnimationFrame(() => {
      const fit = fitCanvas(canvas);
      if (!fit) return;
      const { ctx, width, height } = fit;
      const c = themeColors();
      const top = Math.max(peak, capacity * 1.25);
      const n = Math.max(1, buckets);
      ctx.fillStyle = c.queue;
      row.peakLoad.forEach((v, i) => {
        if (!v) return;
        const bh = Math.max(1, (v / top) * (height - 2));
        ctx.fillRect((i / n) * width, height - bh, Math.max(1, width / n), bh);
      });
      if (capacity) {
        ctx.fillStyle = c.error;
        const y = Math.round(height - (capacity / top) * (height - 2));
        for (let x = 0; x < width; x += 6) ctx.fillRect(x, y, 4, 1);
      }
    });
    return canvas;
  }

  function renderLayers() {
    const buckets = Math.max(1, ...rows.slice(0, shown).map((r) => r.peakLoad.length));
    tbody.replaceChildren(...rows.slice(0, shown).map((row) => {
      const [name, what] = LAYERS[row.layer] ?? [row.layer, ''];
      return h('tr', { 'data-layer': row.layer },
        h('th', { scope: 'row' }, h('span', { text: name }), h('span', { className: 'rs-hint rs-block', text: what })),
        h('td', { text: policyText(row) }),
        h('td', { className: 'rs-num', 'data-metric': 'calls', 'data-value': String(row.calls), text: fmtInt(row.calls) }),
        h('td', { className: 'rs-num', 'data-metric': 'wastedCalls', 'data-value': String(row.wastedCalls), text: fmtInt(row.wastedCalls) }),
        h('td', { className: 'rs-num', 'data-metric': 'peakCallsPerS', 'data-value': String(row.peakCallsPerS), text: `${fmtInt(row.peakCallsPerS)}/s` }),
        h('td', {}, sparkline(row, buckets)),
        h('td', { className: 'rs-num', 'data-metric': 'p99CompletionMs', 'data-value': String(row.p99CompletionMs), text: row.succeeded ? fmtSpan(row.p99CompletionMs) : '—' }),
        h('td', { className: 'rs-num', 'data-metric': 'givenUp', 'data-value': String(row.givenUp), text: fmtInt(row.givenUp) }),
        h('td', {}, h('button', {
          type: 'button', className: 'rs-button rs-layer-run', text: 'Run it',
          'aria-label': `Run the strategies with the ${name.replace('+ ', '')} layer's policy`,
          onclick: () => runLayer(layerValues(row)),
        })));
    }));
    const next = rows[shown];
    addButton.disabled = !next && shown > 0;
    setText(addButton, next ? `Add: ${LAYERS[next.layer][0].replace('+ ', '')}` : shown ? 'Every layer is in' : 'Add the first layer');
    if (shown > 0) {
      const row = rows[shown - 1];
      const prev = rows[shown - 2];
      const delta = (a, b, unit = '') => (b === undefined ? '' : `${a >= b ? '+' : '−'}${fmtInt(Math.abs(a - b))}${unit}`);
      setText(layersNote, prev
        ? `${LAYERS[row.layer][0]}: calls ${delta(row.calls, prev.calls)}, peak load ${delta(row.peakCallsPerS, prev.peakCallsPerS, '/s')}, given up ${delta(row.givenUp, prev.givenUp)}.`
        : `Bare: ${fmtInt(row.calls)} calls, every order given up. Add a layer.`);
    }
  }

  bareButton.addEventListener('click', () => {
    if (!compute()) return;
    shown = 1;
    renderLayers();
  });
  addButton.addEventListener('click', () => {
    if (shown === 0 && !compute()) return;
    shown = Math.min(rows.length, shown + 1);
    renderLayers();
  });
  allButton.addEventListener('click', () => {
    if (!compute()) return;
    shown = rows.length;
    renderLayers();
  });
  renderLayers();

  // --- experiments -----------------------------------------------------------------------------
  const passed = loadPassed();
  const results = Object.fromEntries(EXPERIMENTS.map((e) => [e.id, []]));
  let armed = null; // { id, run } of the run started by an experiment's button
  const views = {};

  const expList = h('div', { className: 'rs-experiments' }, EXPERIMENTS.map((exp) => {
    const runsBox = h('ol', { className: 'rs-exp-runs' });
    const outcome = h('div', { className: 'rs-exp-outcome', 'aria-live': 'polite' });
    const badge = h('span', { className: 'rs-exp-badge' });
    views[exp.id] = { runsBox, outcome, badge };
    return h('article', { className: 'rs-experiment', 'data-experiment': exp.id, 'aria-labelledby': `rs-exp-${exp.id}` },
      h('h4', { id: `rs-exp-${exp.id}` }, h('span', { text: exp.title }), badge),
      h('p', { text: exp.question }),
      runsBox, outcome);
  }));
  const expPanel = h('section', { className: 'rs-panel rs-experiments-panel', 'aria-labelledby': 'rs-exp-title' },
    h('div', { className: 'rs-panel-head' }, h('h3', { id: 'rs-exp-title', text: 'Experiments' })),
    h('p', { className: 'rs-hint', text: 'Each run sets the form and starts the simulation; when it finishes its numbers are kept here. Watch the chart with Show: load while it runs.' }),
    expList);

  function renderExperiment(exp) {
    const v = views[exp.id];
    const got = results[exp.id];
    const p = progress(exp, got);
    v.runsBox.replaceChildren(...exp.runs.map((run, i) => {
      const r = got[i];
      const running = armed && armed.id === exp.id && armed.run === i;
      const button = h('button', {
        type: 'button', className: 'rs-button rs-exp-run', 'data-run': String(i),
        text: r ? `Run ${i + 1} again` : `Run ${i + 1}`,
      });
      button.addEventListener('click', () => {
        armed = { id: exp.id, run: i };
        if (!runWith(run.values, { id: exp.id, run: i })) armed = null;
        renderExperiment(exp);
      });
      const state = r
        ? `done: ${fmtInt(r.metrics.calls)} calls, peak ${fmtInt(r.metrics.peakCallsPerS)}/s, ${fmtInt(r.metrics.overloaded)} overloaded, ${fmtInt(r.metrics.givenUp)} given up`
        : running ? 'running…' : 'not run yet';
      return h('li', { 'data-state': r ? 'done' : running ? 'running' : 'todo' },
        button, h('span', { text: ` ${run.label} — ` }), h('span', { className: 'rs-exp-state', text: state }));
    }));
    if (p.done) {
      v.outcome.replaceChildren(
        h('p', { className: 'rs-exp-expect' }, h('strong', { text: 'What to see: ' }), h('span', { text: exp.expect })),
        h('ul', { className: 'rs-exp-checks' }, p.checks.map(([text, ok]) => h('li', { 'data-ok': String(ok) },
          h('span', { 'aria-hidden': 'true', text: ok ? '✓ ' : '✗ ' }), h('span', { className: 'sr-only', text: ok ? 'holds: ' : 'does not hold: ' }), h('span', { text })))));
      if (p.passed) {
        passed.add(exp.id);
        try {
          localStorage.setItem(STORE, JSON.stringify([...passed]));
        } catch { /* private mode: remembered for this visit */ }
      }
    } else {
      v.outcome.replaceChildren();
    }
    const ok = passed.has(exp.id);
    setText(v.badge, ok ? ' ✓ done' : '');
    v.badge.dataset.done = String(ok);
  }
  EXPERIMENTS.forEach(renderExperiment);

  root.replaceChildren(layersPanel, expPanel);

  return {
    /** A run started: `tag` is { id, run } when an experiment started it. */
    started(tag) {
      const was = armed;
      armed = tag ?? null;
      if (was && (!tag || was.id !== tag.id)) renderExperiment(EXPERIMENTS.find((e) => e.id === was.id));
    },
    /** The run finished: record it for the experiment that started it. */
    finished(state) {
      if (!armed) return;
      const exp = EXPERIMENTS.find((e) => e.id === armed.id);
      const metrics = state.metrics.find((m) => m.strategy === WATCHED);
      if (exp && metrics) {
        results[exp.id][armed.run] = { metrics, series: Array.from(engine.simSeries(WATCHED) ?? []) };
      }
      armed = null;
      if (exp) renderExperiment(exp);
    },
    layers: () => rows.slice(0, shown),
  };
}
