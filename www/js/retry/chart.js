// Retries over time: simSeries per strategy as three stacked strips of bars on one canvas
// (the same y scale, so a herd in one and its absence in another compare at a glance), the
// outage shaded, a "now" line, a hover readout, and a textual summary of the peaks.
// "Load" shows the calls each strategy made to the downstream in the busiest second of
// each bar against the downstream's capacity (a line), so a thundering herd is load above
// it; a circuit breaker's open and half-open times are drawn as a band under each strip.
//
//   chart.setup({ strategies, config, bucketMs })
//   chart.update({ series: { polling: [...], … }, breakers: { polling: [{atMs, state}] | null, … },
//                  view: { x0, x1 }, nowRel, dataKey })
// Times are ms since the run's start.
import { h, setText, fitCanvas, themeColors, niceStep, niceCount, fmtAxis, fmtSpan, fmtInt, fmtNum, uid, STRATEGY_NAMES } from './util.js';

const METRICS = [
  ['retries', 'retries'],
  ['peakCallsPerS', 'load: calls in the busiest second'],
  ['successes', 'successes'],
  ['failures', 'failed retries'],
  ['commands', 'commands'],
];
const AXIS_H = 22;

export function mountChart(root) {
  const selectId = uid('rs-chart-metric');
  const select = h('select', { id: selectId, className: 'rs-input' }, METRICS.map(([v, t]) => h('option', { value: v, text: t })));
  const perSecond = h('input', { type: 'checkbox', id: `${selectId}-ps`, className: 'rs-check', checked: true });
  const canvas = h('canvas', { className: 'rs-chart-canvas', role: 'img', 'aria-label': 'Retries over time: no run yet' });
  const readout = h('p', { className: 'rs-readout', 'aria-live': 'off', text: 'Point at the chart to read a bar.' });
  const summary = h('p', { className: 'rs-summary' });
  root.replaceChildren(
    h('div', { className: 'rs-panel-head' },
      h('h3', { text: 'Retries over time' }),
      h('div', { className: 'rs-tools' },
        h('label', { for: selectId, text: 'Show' }), select,
        h('label', { className: 'rs-field-check', for: perSecond.id }, perSecond, h('span', { text: 'per second' })))),
    h('div', { className: 'rs-chart-box' }, canvas),
    readout, summary);

  let strategies = [];
  let config = null;
  let bucketMs = 1000;
  let last = null; // the last update's input
  let drawnKey = '';
  let hoverX = null;
  let colors = themeColors();

  function setup(opts) {
    strategies = opts.strategies;
    config = opts.config;
    bucketMs = opts.bucketMs;
    last = null;
    drawnKey = '';
    setText(readout, 'Point at the chart to read a bar.');
    setText(summary, '');
  }

  const metric = () => select.value;
  const isLoad = () => metric() === 'peakCallsPerS';
  // Load is a rate already: the busiest second's calls.
  const scale = () => (isLoad() || !perSecond.checked ? 1 : 1000 / bucketMs);
  const unitText = () => `${METRICS.find(([v]) => v === metric())[1]}${isLoad() ? '' : perSecond.checked ? ' per second' : ` per ${fmtSpan(bucketMs)}`}`;
  const capacity = () => (isLoad() && config?.capacityPerS > 0 ? config.capacityPerS : 0);

  function update(input) {
    last = input;
    const key = `${input.dataKey}|${input.view.x0}|${input.view.x1}|${Math.round(input.nowRel / Math.max(1, (input.view.x1 - input.view.x0) / 2000))}|${metric()}|${perSecond.checked}|${hoverX}|${canvas.clientWidth}`;
    if (key === drawnKey) return;
    drawnKey = key;
    draw();
  }

  function draw() {
    const fit = fitCanvas(canvas);
    if (!fit || !last) return;
    const { ctx, width, height } = fit;
    const { series, view, nowRel } = last;
    const c = colors;
    ctx.clearRect(0, 0, width, height);
    const font = Math.round(11 * (c.presenter ? 1.25 : 1));
    ctx.font = `${font}px ${c.sans}`;
    const left = 8;
    const right = width - 8;
    const span = Math.max(1, view.x1 - view.x0);
    const px = (t) => left + ((t - view.x0) / span) * (right - left);
    const n = Math.max(1, strategies.length);
    const plotH = height - AXIS_H;
    const bandGap = 4;
    const labelH = font + 6; // each strip: its label, then its bars
    const bandH = (plotH - bandGap * (n - 1)) / n - labelH;
    const field = metric();
    const k = scale();

    // Shared y max over what is in view.
    let max = 0;
    const peaks = {};
    for (const s of strategies) {
      let peak = { v: 0, t: 0 };
      for (const b of series[s] ?? []) {
        if (b.startMs + bucketMs < view.x0 || b.startMs > view.x1) continue;
        const v = b[field] * k;
        if (v > peak.v) peak = { v, t: b.startMs };
      }
      peaks[s] = peak;
      max = Math.max(max, peak.v);
    }
    const cap = capacity();
    max = Math.max(max, cap * 1.25);
    const step = niceCount(max || 1, 2);
    const top = Math.max(step, Math.ceil((max || 1) / step) * step);

    // Outage windows.
    const shade = (w, color, y0, y1) => {
      if (!w) return;
      const a = Math.max(left, px(w.startMs));
      const b = Math.min(right, px(w.endMs));
      if (b <= a) return;
      ctx.fillStyle = color;
      ctx.fillRect(a, y0, b - a, y1 - y0);
    };
    ctx.globalAlpha = 0.16;
    shade(config?.outage, c.error, 0, plotH);
    ctx.globalAlpha = 1;

    strategies.forEach((s, i) => {
      const top0 = i * (bandH + labelH + bandGap);
      const y0 = top0 + labelH;
      const base = y0 + bandH;
      if (s === 'events') {
        ctx.globalAlpha = 0.18;
        shade(config?.listenerOutage, c.purple, y0, base);
        ctx.globalAlpha = 1;
      }
      // grid: the top line and the middle
      ctx.fillStyle = c.edge;
      ctx.fillRect(left, base, right - left, 1);
      ctx.globalAlpha = 0.5;
      ctx.fillRect(left, y0 + 0.5, right - left, 1);
      ctx.globalAlpha = 1;
      // bars, the tallest per pixel column when they are thinner than a pixel
      ctx.fillStyle = c[s];
      const cols = new Float64Array(Math.ceil(width) + 2);
      for (const b of series[s] ?? []) {
        if (b.startMs + bucketMs < view.x0 || b.startMs > view.x1) continue;
        const v = b[field] * k;
        if (v <= 0) continue;
        const xa = px(b.startMs);
        const xb = px(b.startMs + bucketMs);
        if (xb - xa < 1.5) {
          const col = Math.floor(Math.max(left, Math.min(right, xa)));
          if (v > cols[col]) cols[col] = v;
        } else {
          const bh = Math.max(1, (v / top) * (bandH - 2));
          const x = Math.max(left, xa);
          ctx.fillRect(x, base - bh, Math.max(1, Math.min(right, xb) - x - (xb - xa > 4 ? 1 : 0)), bh);
        }
      }
      for (let col = 0; col < cols.length; col++) {
        if (cols[col] > 0) {
          const bh = Math.max(1, (cols[col] / top) * (bandH - 2));
          ctx.fillRect(col, base - bh, 1, bh);
        }
      }
      if (cap > 0) {
        // the downstream's capacity: load above this line fails
        const y = Math.round(base - (cap / top) * (bandH - 2));
        ctx.fillStyle = c.error;
        for (let x = left; x < right; x += 8) ctx.fillRect(x, y, 5, 2);
      }
      drawBreaker(ctx, last.breakers?.[s], base, px, view, left, right);
      // labels: the strategy, and the scale
      ctx.textBaseline = 'top';
      ctx.textAlign = 'left';
      const label = `${STRATEGY_NAMES[s]}`;
      const scaleText = `top line ${fmtNum(top, top < 10 ? 1 : 0)}${perSecond.checked || isLoad() ? '/s' : ''}${cap > 0 ? ` · capacity ${fmtInt(cap)}/s (dashed)` : ''}`;
      ctx.fillStyle = c[s];
      ctx.fillText(label, left, top0 + 2);
      ctx.fillStyle = c.muted;
      ctx.fillText(scaleText, left + ctx.measureText(`${label}   `).width, top0 + 2);
    });

    // the time axis
    ctx.fillStyle = c.muted;
    ctx.textBaseline = 'top';
    const stepMs = niceStep(span, Math.max(2, Math.floor((right - left) / 70)));
    const first = Math.ceil(view.x0 / stepMs) * stepMs;
    for (let t = first; t <= view.x1; t += stepMs) {
      const x = px(t);
      ctx.fillStyle = c.edge;
      ctx.fillRect(Math.round(x), plotH, 1, 4);
      ctx.fillStyle = c.muted;
      ctx.textAlign = x < left + 20 ? 'left' : x > right - 20 ? 'right' : 'center';
      ctx.fillText(fmtAxis(t), x, plotH + 6);
    }

    // now
    if (nowRel >= view.x0 && nowRel <= view.x1) {
      ctx.fillStyle = c.accent;
      ctx.fillRect(Math.round(px(nowRel)), 0, 2, plotH);
    }
    // hover
    if (hoverX !== null) {
      ctx.fillStyle = c.strong;
      ctx.globalAlpha = 0.6;
      ctx.fillRect(Math.round(hoverX), 0, 1, plotH);
      ctx.globalAlpha = 1;
      readHover(px, view, left, right);
    }

    const parts = strategies.map((s) => (peaks[s].v > 0
      ? `${STRATEGY_NAMES[s]} ${fmtNum(peaks[s].v, 1)} at +${fmtSpan(peaks[s].t)}`
      : `${STRATEGY_NAMES[s]} none yet`));
    const over = cap > 0 ? ` Capacity ${fmtInt(cap)} calls a second: ${strategies.map((s) => `${STRATEGY_NAMES[s]} ${peaks[s].v > cap ? `went ${fmtNum(peaks[s].v / cap, 1)}× over it` : 'stayed under it'}`).join('; ')}.` : '';
    const breakerText = strategies.some((s) => last.breakers?.[s]) ? ' The band under each strip is the circuit breaker: red while open, amber while half-open.' : '';
    const text = `Peak ${unitText()}${view.x1 - view.x0 < (last.runSpan ?? Infinity) ? ' in view' : ''}, in ${fmtSpan(bucketMs)} bars: ${parts.join('; ')}.${over}${breakerText}`;
    setText(summary, text);
    canvas.setAttribute('aria-label', `Chart of ${unitText()} for each strategy. ${text}`);
  }

  /** The breaker's open (red) and half-open (amber) times as a band at the strip's foot. */
  function drawBreaker(ctx, marks, base, px, view, left, right) {
    if (!marks || !marks.length) return;
    marks.forEach((m, i) => {
      if (m.state === 'closed') return;
      const until = i + 1 < marks.length ? marks[i + 1].atMs : last.nowRel;
      if (until < view.x0 || m.atMs > view.x1) return;
      const a = Math.max(left, px(m.atMs));
      const b = Math.min(right, px(until));
      ctx.fillStyle = m.state === 'open' ? colors.error : colors.orange;
      ctx.fillRect(a, base + 1, Math.max(1, b - a), 3);
    });
  }

  function readHover(px, view, left, right) {
    const t = view.x0 + ((hoverX - left) / (right - left)) * (view.x1 - view.x0);
    if (t < 0) return;
    const i = Math.floor(t / bucketMs);
    const field = metric();
    const k = scale();
    const parts = strategies.map((s) => {
      const b = (last.series[s] ?? [])[i];
      const v = b ? b[field] : 0;
      if (isLoad()) return `${STRATEGY_NAMES[s]} ${fmtInt(v)}/s${b?.overloaded ? `, ${fmtInt(b.overloaded)} calls over capacity` : ''}`;
      return `${STRATEGY_NAMES[s]} ${fmtInt(v)}${perSecond.checked && bucketMs !== 1000 ? ` (${fmtNum(v * k, 2)}/s)` : ''}`;
    });
    setText(readout, `+${fmtSpan(i * bucketMs)} to +${fmtSpan((i + 1) * bucketMs)}: ${METRICS.find(([v]) => v === field)[1]}: ${parts.join(' · ')}`);
  }

  canvas.addEventListener('pointermove', (ev) => {
    const r = canvas.getBoundingClientRect();
    hoverX = ev.clientX - r.left;
    if (last) update(last);
  });
  canvas.addEventListener('pointerleave', () => {
    hoverX = null;
    if (last) update(last);
  });
  const redrawNow = () => { drawnKey = ''; if (last) update(last); };
  select.addEventListener('change', redrawNow);
  perSecond.addEventListener('change', redrawNow);
  const ro = typeof ResizeObserver === 'function' ? new ResizeObserver(redrawNow) : null;
  ro?.observe(canvas);

  return {
    setup,
    update,
    redraw() { colors = themeColors(); redrawNow(); },
    canvas,
  };
}
