// The metrics per strategy, side by side: one table (a row per measurement, a column per
// strategy) showing simState().metrics exactly — counts as integers, lateness in ms — and a
// small lateness histogram per strategy. Cells carry data-strategy / data-metric /
// data-value (the model's raw number) so tests and tools can read them back.
import { h, setText, setAttr, fmtInt, fmtNum, fmtSpan, fitCanvas, themeColors, STRATEGY_NAMES } from './util.js';

/** [metric path, label, format, which strategies it is about (others are dimmed)] */
const ROWS = [
  ['commands', 'Commands issued', 'int'],
  ['commandsPerSec', 'Commands per second of world time', 'rate'],
  ['idlePollsCounted', '… of which idle TTLs counted, not sent', 'int', ['polling']],
  ['retries', 'Retries made', 'int'],
  ['successes', 'Succeeded', 'int'],
  ['givenUp', 'Given up', 'int'],
  ['waiting', 'Waiting for a retry', 'int'],
  ['notArrived', 'Not failed yet', 'int'],
  ['duplicateRetries', 'Duplicate retries', 'int', ['events']],
  ['lost', 'Lost retries', 'int', ['events']],
  ['eventsReceived', 'Expired events received', 'int', ['events']],
  ['claimConflicts', 'Claim conflicts (ZREM answered 0, or EXEC failed)', 'int', ['queue']],
  ['calls', 'Calls to the downstream', 'int'],
  ['wastedCalls', 'Wasted calls (all but the successes)', 'int'],
  ['peakCallsPerS', 'Peak load (calls in one second)', 'int'],
  ['overloaded', 'Calls over the capacity (failed)', 'int'],
  ['breakerRejected', 'Failed fast by the open breaker', 'int'],
  ['breakerOpened', 'Times the breaker opened', 'int'],
  ['budgetDenied', 'Retries over the budget (given up)', 'int'],
  ['completion.p50Ms', 'Completion: median (failure to success)', 'done'],
  ['completion.p99Ms', 'Completion: p99', 'done'],
  ['lateness.minMs', 'Lateness: min', 'ms'],
  ['lateness.meanMs', 'Lateness: mean', 'ms'],
  ['lateness.p50Ms', 'Lateness: median (p50)', 'ms'],
  ['lateness.p99Ms', 'Lateness: p99', 'ms'],
  ['lateness.maxMs', 'Lateness: max', 'ms'],
];

const get = (obj, path) => path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);

/** Lateness as text: `991 ms`, `753.5 ms`, `12.3 s`, `4 min 9 s` (exact below 10 s). */
export function fmtLateness(ms) {
  if (Math.abs(ms) < 10_000) return `${fmtNum(ms, 1)} ms`;
  return fmtSpan(ms);
}

function format(kind, value, m) {
  if (value === undefined || value === null) return '—';
  if (kind === 'int') return fmtInt(value);
  if (kind === 'rate') return fmtRate(value);
  if (kind === 'ms') return m.lateness.count === 0 ? '—' : fmtLateness(value);
  if (kind === 'done') return m.completion?.count ? fmtLateness(value) : '—';
  return String(value);
}

/** A rate: `12.3`, and a small one with two significant digits (`0.042`), never a false 0. */
export function fmtRate(value) {
  if (value === 0) return '0';
  if (Math.abs(value) < 1) return String(Number(value.toPrecision(2)));
  return fmtNum(value, 1);
}

/** Where the histogram's axis is labelled: [bucket index the label starts at, label]. */
export function histTicks(buckets) {
  const at = (ms) => buckets.findIndex((b) => b.fromMs === ms);
  return [[0, 'early'], [at(0), '0'], [at(1000), '1 s'], [at(60_000), '1 min'], [at(3_600_000), '1 h']]
    .filter(([i]) => i >= 0);
}

/** A histogram bucket's label: `<0`, `0–10 ms`, `1–2 s`, `≥1 h`. */
export function bucketLabel(b) {
  const t = (ms) => (ms < 1000 ? `${ms} ms` : fmtSpan(ms));
  if (b.fromMs === null) return `early (< ${t(b.toMs)})`;
  if (b.toMs === null) return `≥ ${t(b.fromMs)}`;
  const unit = (ms) => (ms < 1000 ? 'ms' : ms < 60_000 ? 's' : ms < 3_600_000 ? 'min' : 'h');
  const bare = (ms) => fmtSpan(ms).replace(/ (ms|s|min|h)$/, '');
  return unit(b.fromMs) === unit(b.toMs) ? `${bare(b.fromMs)}–${bare(b.toMs)} ${unit(b.toMs)}` : `${t(b.fromMs)}–${t(b.toMs)}`;
}

export function mountMetrics(root) {
  let strategies = [];
  let cells = []; // [cell, strategy, path, kind]
  let hists = []; // { canvas, strategy, key }
  let colors = themeColors();
  const caption = h('caption', { className: 'rs-caption' });
  const table = h('table', { className: 'rs-metrics' });
  const legend = h('p', { className: 'rs-hist-legend' });
  // On a narrow screen the table scrolls sideways: a cue says so (and which way), so the
  // strategies can be compared column by column.
  const cue = h('p', { className: 'rs-scroll-cue', hidden: true, text: 'Swipe or scroll sideways to compare the strategies →' });
  const wrap = h('div', { className: 'rs-metrics-wrap', tabindex: '0', role: 'region', 'aria-label': 'Metrics by strategy (scrolls sideways on a narrow screen)' }, table);
  root.replaceChildren(cue, wrap, legend);
  const showCue = () => {
    const more = wrap.scrollWidth - wrap.clientWidth;
    cue.hidden = more <= 2;
    if (more > 2) cue.textContent = wrap.scrollLeft >= more - 2 ? '← Scroll back for the first strategies' : 'Swipe or scroll sideways to compare the strategies →';
  };
  wrap.addEventListener('scroll', showCue, { passive: true });

  /** Lay the table out for the strategies of a run. */
  function setup(list) {
    strategies = list;
    cells = [];
    hists = [];
    setText(caption, 'The model’s measurements, per strategy');
    const head = h('tr', {}, h('th', { scope: 'col', text: 'Measurement' }),
      list.map((s) => h('th', { scope: 'col', className: `rs-col rs-s-${s}`, dataset: { strategy: s } },
        h('span', { className: 'rs-swatch', 'aria-hidden': 'true' }), STRATEGY_NAMES[s])));
    const body = h('tbody');
    for (const [path, label, kind, about] of ROWS) {
      const tr = h('tr', { dataset: { metric: path } }, h('th', { scope: 'row', text: label }));
      for (const s of list) {
        const td = h('td', { className: `rs-num${about && !about.includes(s) ? ' rs-na' : ''}`, dataset: { strategy: s, metric: path }, text: '—' });
        if (about && !about.includes(s)) td.title = `Always 0 for ${STRATEGY_NAMES[s].toLowerCase()}`;
        cells.push([td, s, path, kind]);
        tr.append(td);
      }
      body.append(tr);
    }
    const histRow = h('tr', { className: 'rs-hist-row' }, h('th', { scope: 'row', text: 'Lateness histogram' }));
    for (const s of list) {
      const canvas = h('canvas', { className: 'rs-hist', role: 'img', 'aria-label': `${STRATEGY_NAMES[s]}: no retries yet` });
      hists.push({ canvas, strategy: s, key: '' });
      histRow.append(h('td', { className: 'rs-hist-cell' }, canvas));
    }
    body.append(histRow);
    table.replaceChildren(caption, h('thead', {}, head), body);
    setText(legend, 'Lateness is when a retry was made minus when it was due. Histogram bars, left to right: early, 0–10 ms, 10–20 ms, 20–50 ms, 50–100 ms, 0.1–0.2 s, 0.2–0.5 s, 0.5–1 s, 1–2 s, 2–5 s, 5–10 s, 10–30 s, 30 s–1 min, 1–5 min, 5–10 min, 10–30 min, 30 min–1 h, ≥ 1 h; each strategy scaled to its own tallest bar.');
  }

  /** Show the metrics of simState() (an array, one per strategy). */
  function update(metrics) {
    const by = {};
    for (const m of metrics ?? []) by[m.strategy] = m;
    for (const [td, s, path, kind] of cells) {
      const m = by[s];
      if (!m) continue;
      const value = get(m, path);
      setText(td, format(kind, value, m));
      setAttr(td, 'data-value', value);
      if (kind === 'ms' && m.lateness.count > 0) setAttr(td, 'title', `${fmtInt(Math.round(value * 10) / 10)} ms over ${fmtInt(m.lateness.count)} retries`);
    }
    for (const hist of hists) {
      const m = by[hist.strategy];
      if (!m) continue;
      const key = m.lateness.histogram.map((b) => b.count).join(',');
      if (key === hist.key) continue;
      hist.key = key;
      drawHist(hist, m);
    }
  }

  function drawHist(hist, m) {
    const fit = fitCanvas(hist.canvas);
    if (!fit) {
      hist.key = '';
      return;
    }
    const { ctx, width, height: full } = fit;
    const buckets = m.lateness.histogram;
    ctx.clearRect(0, 0, width, full);
    const axis = 12; // the tick labels under the bars
    const height = full - axis;
    const max = Math.max(1, ...buckets.map((b) => b.count));
    const n = buckets.length;
    const gap = 1;
    const bw = (width - gap * (n - 1)) / n;
    ctx.fillStyle = colors.edge;
    ctx.fillRect(0, height - 1, width, 1);
    // Ticks: where early, 0, 1 s, 1 min and 1 h begin.
    ctx.font = '9px system-ui, sans-serif';
    ctx.textBaseline = 'top';
    for (const [i, label] of histTicks(buckets)) {
      const x = i * (bw + gap);
      ctx.fillStyle = colors.edge;
      ctx.fillRect(x, height - 1, 1, 3);
      ctx.fillStyle = colors.muted ?? colors.edge;
      const w = ctx.measureText(label).width;
      ctx.fillText(label, Math.min(Math.max(0, x), width - w), height + 2);
    }
    ctx.fillStyle = colors[hist.strategy];
    buckets.forEach((b, i) => {
      if (b.count === 0) return;
      const bh = Math.max(2, Math.round((b.count / max) * (height - 3)));
      ctx.fillRect(i * (bw + gap), height - 1 - bh, bw, bh);
    });
    const parts = buckets.filter((b) => b.count > 0).map((b) => `${bucketLabel(b)}: ${fmtInt(b.count)}`);
    hist.canvas.setAttribute('aria-label', `${STRATEGY_NAMES[hist.strategy]} lateness histogram: ${parts.length ? parts.join(', ') : 'no retries yet'}`);
    hist.canvas.title = parts.join('\n');
  }

  function redraw() {
    colors = themeColors();
    for (const hist of hists) hist.key = '';
  }

  const ro = typeof ResizeObserver === 'function' ? new ResizeObserver(() => { for (const hist of hists) hist.key = ''; showCue(); }) : null;
  ro?.observe(table);
  ro?.observe(wrap);

  return { setup, update, redraw, clear: () => setup([]), get strategies() { return strategies; } };
}
