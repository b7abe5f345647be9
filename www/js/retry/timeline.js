// The per-operation timeline: one row per operation (virtualised: only the rows in view are
// fetched with simTimelines and drawn on one canvas; a transparent scroller on top gives the
// scrollbar, the wheel and the keyboard), attempts as marks, waits as bars from a failure
// to the due time, lateness beyond it in yellow, success / give-up / lost end marks, the
// outage shaded, and a "now" line. One strategy, or all three stacked per operation.
//
//   timeline.setup({ strategies, config, startMs, operations })
//   timeline.update({ engine, view: { x0, x1 }, nowRel, dataKey })   (times: ms since start)
//
// What is in view, when to fetch and redraw, and the readout's and summary's words are
// timeline-state.js's (TimelineState, no DOM); this module draws on the canvas.
import { h, setText, fitCanvas, themeColors, niceStep, fmtAxis, uid } from './util.js';
import { TimelineState, AXIS_H } from './timeline-state.js';

/** A retry mark's colour by outcome (the rest: a failed retry's). */
const OUTCOME_COLOR = {
  succeeded: (c) => c.green,
  failedInOutage: (c) => c.orange,
  overloaded: (c) => c.yellow,
  rejected: (c) => c.muted,
  denied: (c) => c.muted,
};

export function mountTimeline(root) {
  const selectId = uid('rs-tl-strategy');
  const select = h('select', { id: selectId, className: 'rs-input' });
  const canvas = h('canvas', { className: 'rs-tl-canvas', role: 'img', 'aria-label': 'Timeline: no run yet' });
  const spacer = h('div', { className: 'rs-tl-spacer' });
  const scroller = h('div', { className: 'rs-tl-scroll', tabindex: '0', role: 'region', 'aria-label': 'Operations timeline, scroll for more operations' }, spacer);
  const readout = h('p', { className: 'rs-readout', text: 'Point at a row to read its story.' });
  const summary = h('p', { className: 'rs-summary' });
  const legend = h('ul', { className: 'rs-legend', 'aria-label': 'Timeline legend' },
    h('li', {}, h('span', { className: 'rs-key rs-key-wait', 'aria-hidden': 'true' }), 'waiting for the due time (in the strategy’s colour)'),
    h('li', {}, h('span', { className: 'rs-key rs-key-late', 'aria-hidden': 'true' }), 'late: from the due time to the retry'),
    h('li', {}, h('span', { className: 'rs-key rs-key-origin', 'aria-hidden': 'true' }), 'first failure'),
    h('li', {}, h('span', { className: 'rs-key rs-key-fail', 'aria-hidden': 'true' }), 'retry failed'),
    h('li', {}, h('span', { className: 'rs-key rs-key-outage', 'aria-hidden': 'true' }), 'failed in the outage'),
    h('li', {}, h('span', { className: 'rs-key rs-key-over', 'aria-hidden': 'true' }), 'over capacity'),
    h('li', {}, h('span', { className: 'rs-key rs-key-fast', 'aria-hidden': 'true' }), 'failed fast (breaker open) or refused by the budget'),
    h('li', {}, h('span', { className: 'rs-key rs-key-ok', 'aria-hidden': 'true' }), 'succeeded'),
    h('li', {}, h('span', { className: 'rs-key rs-key-dup', 'aria-hidden': 'true' }), 'duplicate retry'),
    h('li', {}, h('span', { className: 'rs-key rs-key-end', 'aria-hidden': 'true' }), 'given up ■ / lost ✕'),
    h('li', {}, h('span', { className: 'rs-key rs-key-now', 'aria-hidden': 'true' }), 'now'));
  root.replaceChildren(
    h('div', { className: 'rs-panel-head' },
      h('h3', { text: 'Every operation' }),
      h('div', { className: 'rs-tools' }, h('label', { for: selectId, text: 'Strategy' }), select)),
    h('div', { className: 'rs-tl-box' }, canvas, scroller),
    readout, summary, legend);

  const state = new TimelineState();
  let colors = themeColors();
  state.presenter = colors.presenter;
  let last = null;
  let hover = null; // { x, y }

  function setup(opts) {
    const options = state.setup(opts);
    select.replaceChildren(...options.map(([v, t]) => h('option', { value: v, text: t })));
    select.value = state.mode;
    scroller.scrollTop = 0;
    layout();
  }

  function layout() {
    spacer.style.height = `${state.height()}px`;
  }

  function update(input) {
    last = input;
    if (!state.operations) return;
    const range = state.visibleRange(scroller.scrollTop, scroller.clientHeight);
    const wall = performance.now();
    if (state.wantsFetch(input.dataKey, range, wall)) state.fetch(input.engine, input.dataKey, range, wall);
    const pxPerMs = Math.max(1, scroller.clientWidth - state.gutter()) / Math.max(1, input.view.x1 - input.view.x0);
    const key = `${state.fetchedKey}|${input.view.x0}|${input.view.x1}|${Math.round(input.nowRel * pxPerMs)}|${scroller.scrollTop}|${scroller.clientWidth}|${scroller.clientHeight}|${hover ? `${hover.x},${hover.y}` : ''}`;
    if (state.wantsDraw(key)) draw();
  }

  function draw() {
    const fit = fitCanvas(canvas);
    if (!fit || !last) return;
    const { ctx, height } = fit;
    const width = scroller.clientWidth || fit.width;
    const c = colors;
    const { view, nowRel } = last;
    ctx.clearRect(0, 0, fit.width, height);
    const font = Math.round(11 * (c.presenter ? 1.25 : 1));
    ctx.font = `${font}px ${c.mono}`;
    const g = state.gutter();
    const left = g + 4;
    const right = width - 6;
    const span = Math.max(1, view.x1 - view.x0);
    const px = (abs) => left + ((abs - state.startMs - view.x0) / span) * (right - left);
    const pxRel = (rel) => left + ((rel - view.x0) / span) * (right - left);
    const rh = state.rowHeight();
    const scrollTop = scroller.scrollTop;

    // the outage, shaded under everything
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, AXIS_H, right - left, height - AXIS_H);
    ctx.clip();
    const shade = (w, color, alpha) => {
      if (!w) return;
      const a = Math.max(left, pxRel(w.startMs));
      const b = Math.min(right, pxRel(w.endMs));
      if (b <= a) return;
      ctx.globalAlpha = alpha;
      ctx.fillStyle = color;
      ctx.fillRect(a, AXIS_H, b - a, height - AXIS_H);
      ctx.globalAlpha = 1;
    };
    shade(state.config?.outage, c.error, 0.14);
    if (state.shown().includes('events')) shade(state.config?.listenerOutage, c.purple, 0.12);

    const nowAbs = state.startMs + nowRel;
    const list = state.shown();
    const subH = state.mode === 'stacked' ? (rh - 6) / list.length : rh;
    for (const row of state.rows) {
      const y0 = AXIS_H + (row.op - 1) * rh - scrollTop;
      if (y0 > height || y0 + rh < AXIS_H) continue;
      if ((row.op & 1) === 0) {
        ctx.fillStyle = c.panel2;
        ctx.globalAlpha = 0.55;
        ctx.fillRect(left, y0, right - left, rh);
        ctx.globalAlpha = 1;
      }
      list.forEach((s, i) => {
        const tl = row.tl[s];
        if (!tl) return;
        const cy = state.mode === 'stacked' ? y0 + 3 + subH * i + subH / 2 : y0 + rh / 2;
        drawOp(ctx, tl, s, cy, subH, px, nowAbs, left, right);
      });
    }
    ctx.restore();

    // the gutter: operation names
    ctx.fillStyle = c.panel;
    ctx.fillRect(0, AXIS_H, g, height - AXIS_H);
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'right';
    for (const row of state.rows) {
      const y = AXIS_H + (row.op - 1) * rh - scrollTop + rh / 2;
      if (y < AXIS_H + 4 || y > height - 2) continue;
      ctx.fillStyle = hover && hoverOp() === row.op ? c.strong : c.muted;
      ctx.fillText(`order:${row.op}`, g - 2, y);
    }

    // the axis, over the top
    ctx.fillStyle = c.panel;
    ctx.fillRect(0, 0, fit.width, AXIS_H);
    ctx.fillStyle = c.edge;
    ctx.fillRect(left, AXIS_H - 1, right - left, 1);
    ctx.font = `${font}px ${c.sans}`;
    ctx.textBaseline = 'middle';
    const stepMs = niceStep(span, Math.max(2, Math.floor((right - left) / 70)));
    for (let t = Math.ceil(view.x0 / stepMs) * stepMs; t <= view.x1; t += stepMs) {
      const x = pxRel(t);
      ctx.fillStyle = c.edge;
      ctx.fillRect(Math.round(x), AXIS_H - 5, 1, 5);
      ctx.fillStyle = c.muted;
      ctx.textAlign = x < left + 20 ? 'left' : x > right - 20 ? 'right' : 'center';
      ctx.fillText(fmtAxis(t), x, AXIS_H / 2);
    }

    // now
    if (nowRel >= view.x0 && nowRel <= view.x1) {
      ctx.fillStyle = c.accent;
      ctx.fillRect(Math.round(pxRel(nowRel)), AXIS_H - 4, 2, height - AXIS_H + 4);
    }
    if (hover) readHover(px, pxRel, left, right);
    describe();
  }

  /** One operation's story on one line. */
  function drawOp(ctx, tl, s, cy, hgt, px, nowAbs, left, right) {
    const c = colors;
    const barH = Math.max(2, Math.round(hgt * 0.42));
    const clampX = (x) => Math.max(left - 8, Math.min(right + 8, x));
    for (const w of tl.waits) {
      const a = clampX(px(w.fromMs));
      const until = w.untilMs ?? (tl.state === 'lost' ? tl.endedMs ?? nowAbs : nowAbs);
      const dueX = clampX(px(Math.min(w.dueMs, until)));
      ctx.fillStyle = c[s];
      ctx.globalAlpha = 0.42;
      if (dueX > a) ctx.fillRect(a, cy - barH / 2, dueX - a, barH);
      ctx.globalAlpha = 1;
      if (until > w.dueMs) {
        const b = clampX(px(until));
        if (tl.state === 'lost' && w.untilMs == null) {
          ctx.strokeStyle = c.error;
          ctx.setLineDash([3, 3]);
          ctx.beginPath();
          ctx.moveTo(dueX, cy);
          ctx.lineTo(b, cy);
          ctx.stroke();
          ctx.setLineDash([]);
        } else {
          ctx.fillStyle = c.yellow;
          ctx.fillRect(dueX, cy - barH / 2 - 1, Math.max(1, b - dueX), barH + 2);
        }
      }
    }
    const r = Math.max(2, Math.min(4, hgt * 0.3));
    for (const a of tl.attempts) {
      const x = px(a.atMs);
      if (x < left - 6 || x > right + 6) continue;
      if (a.duplicate) {
        ctx.strokeStyle = c.purple;
        ctx.lineWidth = 1.5;
        ctx.beginPath();
        ctx.arc(x, cy, r + 2, 0, Math.PI * 2);
        ctx.stroke();
        ctx.lineWidth = 1;
        continue;
      }
      ctx.fillStyle = OUTCOME_COLOR[a.outcome]?.(c) ?? c.error;
      ctx.beginPath();
      if (a.retry === 0) {
        ctx.moveTo(x, cy - r - 1);
        ctx.lineTo(x + r + 1, cy);
        ctx.lineTo(x, cy + r + 1);
        ctx.lineTo(x - r - 1, cy);
        ctx.closePath();
      } else {
        ctx.arc(x, cy, r, 0, Math.PI * 2);
      }
      ctx.fill();
    }
    if (tl.endedMs != null && (tl.state === 'gaveUp' || tl.state === 'lost' || tl.state === 'succeeded')) {
      const x = px(tl.endedMs) + r + 3;
      if (x >= left && x <= right + 6) {
        ctx.strokeStyle = ctx.fillStyle = tl.state === 'succeeded' ? c.green : c.error;
        if (tl.state === 'gaveUp') ctx.fillRect(x - 1, cy - r, 2 * r, 2 * r);
        else if (tl.state === 'lost') {
          ctx.lineWidth = 2;
          ctx.beginPath();
          ctx.moveTo(x - r, cy - r); ctx.lineTo(x + r, cy + r);
          ctx.moveTo(x + r, cy - r); ctx.lineTo(x - r, cy + r);
          ctx.stroke();
          ctx.lineWidth = 1;
        } else ctx.fillRect(x - 1, cy - r - 1, 2, 2 * r + 2);
      }
    }
  }

  const hoverOp = () => (hover ? state.opAt(hover.y, scroller.scrollTop) : null);

  function readHover(px, pxRel, left, right) {
    if (hover.y < AXIS_H) return;
    const rel = last.view.x0 + ((hover.x - left) / (right - left)) * (last.view.x1 - last.view.x0);
    const text = state.readout(hoverOp(), rel);
    if (text !== null) setText(readout, text);
  }

  function describe() {
    const d = state.describe();
    setText(summary, d.summary);
    canvas.setAttribute('aria-label', d.label);
  }

  select.addEventListener('change', () => {
    state.setMode(select.value);
    layout();
    if (last) update(last);
  });
  scroller.addEventListener('scroll', () => { if (last) update(last); }, { passive: true });
  scroller.addEventListener('pointermove', (ev) => {
    const r = scroller.getBoundingClientRect();
    hover = { x: ev.clientX - r.left, y: ev.clientY - r.top };
    if (last) update(last);
  });
  scroller.addEventListener('pointerleave', () => {
    hover = null;
    if (last) update(last);
  });
  const ro = typeof ResizeObserver === 'function' ? new ResizeObserver(() => { state.drawnKey = ''; if (last) update(last); }) : null;
  ro?.observe(scroller);

  return {
    setup,
    update,
    redraw() {
      colors = themeColors();
      state.presenter = colors.presenter;
      layout();
      state.forget();
      if (last) update(last);
    },
    canvas,
    scroller,
    setMode(m) {
      select.value = m;
      select.dispatchEvent(new Event('change'));
    },
  };
}
