// The per-operation timeline as state, without DOM or canvas: which strategies it shows
// (one, or all three stacked per operation), which rows are in view and when to fetch them
// again (simTimelines), when to redraw, and what the readout and the summary say.
// timeline.js draws it on its canvas; the node tests drive it directly.
import { fmtSpan, fmtInt, STRATEGY_NAMES } from './util.js';

export const AXIS_H = 22;
const REFETCH_MS = 80; // at most this often while the data keeps changing

const OUTCOME_TEXT = {
  failed: 'failed',
  failedInOutage: 'failed (outage)',
  overloaded: 'failed (over capacity)',
  rejected: 'failed fast (breaker open)',
  denied: 'not made (over the retry budget)',
  succeeded: 'succeeded',
};
export const STATE_TEXT = { notArrived: 'not failed yet', waiting: 'waiting', succeeded: 'succeeded', gaveUp: 'given up', lost: 'lost: its retry will never happen' };

export class TimelineState {
  constructor() {
    this.strategies = [];
    this.mode = 'stacked'; // 'stacked' or one strategy
    this.config = null;
    this.startMs = 0;
    this.operations = 0;
    this.presenter = false; // larger rows in presenter mode
    this.rows = []; // [{ op, tl: { strategy: timeline } }]
    this.fetchedKey = '';
    this.fetchedAt = -Infinity;
    this.drawnKey = '';
  }

  /** A run's strategies and size; returns the strategy picker's options `[[value, text]]`. */
  setup({ strategies, config, startMs, operations }) {
    this.strategies = strategies;
    this.config = config;
    this.startMs = startMs;
    this.operations = operations;
    const options = [...(strategies.length > 1 ? [['stacked', 'all, stacked']] : []), ...strategies.map((s) => [s, STRATEGY_NAMES[s]])];
    if (!options.some(([v]) => v === this.mode)) this.mode = options[0]?.[0] ?? 'stacked';
    this.rows = [];
    this.forget();
    return options;
  }

  /** Show one strategy or all stacked. */
  setMode(mode) {
    this.mode = mode;
    this.forget();
  }

  /** Fetch and draw again at the next update (new mode, new theme, new size…). */
  forget() {
    this.fetchedKey = '';
    this.drawnKey = '';
  }

  /** The strategies drawn, top to bottom within a row. */
  shown() {
    return this.mode === 'stacked' ? this.strategies : [this.mode];
  }

  rowHeight() {
    const k = this.presenter ? 1.25 : 1;
    return Math.round((this.mode === 'stacked' ? 8 * Math.max(1, this.strategies.length) + 6 : 16) * k);
  }

  gutter() {
    return this.presenter ? 92 : 76;
  }

  /** The scroller's height for every operation. */
  height() {
    return AXIS_H + this.operations * this.rowHeight() + 4;
  }

  /** The operations in view: `{ first, count }` (0-based first). */
  visibleRange(scrollTop, clientHeight) {
    const rh = this.rowHeight();
    const first = Math.max(0, Math.floor(scrollTop / rh));
    const count = Math.ceil(Math.max(0, clientHeight - AXIS_H) / rh) + 1;
    return { first, count: Math.max(0, Math.min(count, this.operations - first)) };
  }

  /**
   * Whether the rows in view must be fetched again: the data changed (at most every 80 ms
   * of wall time while it keeps changing), or another range or mode is in view.
   */
  wantsFetch(dataKey, { first, count }, wall) {
    const want = `${dataKey}|${this.mode}|${first}|${count}`;
    if (want === this.fetchedKey) return false;
    return wall - this.fetchedAt >= REFETCH_MS || !this.fetchedKey.endsWith(`|${this.mode}|${first}|${count}`);
  }

  /** Fetch the rows in view from the engine (simTimelines). */
  fetch(engine, dataKey, { first, count }, wall) {
    const byOp = new Map();
    for (const s of this.shown()) {
      const list = count > 0 ? engine.simTimelines(s, first + 1, count) ?? [] : [];
      for (const tl of list) {
        let row = byOp.get(tl.op);
        if (!row) byOp.set(tl.op, (row = { op: tl.op, tl: {} }));
        row.tl[s] = tl;
      }
    }
    this.rows = [...byOp.values()].sort((a, b) => a.op - b.op);
    this.fetchedKey = `${dataKey}|${this.mode}|${first}|${count}`;
    this.fetchedAt = wall;
    this.drawnKey = '';
  }

  /** Whether the picture differs from the last one drawn (`key` says everything it shows). */
  wantsDraw(key) {
    if (key === this.drawnKey) return false;
    this.drawnKey = key;
    return true;
  }

  /** The operation under a pointer `y` px from the top of the scroller. */
  opAt(y, scrollTop) {
    return Math.floor((y + scrollTop - AXIS_H) / this.rowHeight()) + 1;
  }

  /** The readout for operation `op` at `rel` ms since the start, or null when none is there. */
  readout(op, rel) {
    const row = this.rows.find((r) => r.op === op);
    if (!row) return null;
    const parts = this.shown().map((s) => {
      const tl = row.tl[s];
      if (!tl) return '';
      const rel0 = (ms) => `+${fmtSpan(ms - this.startMs)}`;
      const attempts = tl.attempts.map((a) => {
        const late = a.atMs - a.dueMs;
        const what = a.retry === 0 ? 'first failure' : `retry ${a.retry}${a.duplicate ? ' again (duplicate)' : ''} ${OUTCOME_TEXT[a.outcome]}`;
        return `${what} at ${rel0(a.atMs)}${a.retry > 0 && !a.duplicate ? ` (${late >= 0 ? `${fmtSpan(late)} late` : `${fmtSpan(-late)} early`})` : ''}`;
      });
      const open = tl.waits.find((w) => w.untilMs == null);
      const next = open && tl.state === 'waiting' ? `; next retry due at ${rel0(open.dueMs)}` : '';
      return `${STRATEGY_NAMES[s]}: ${STATE_TEXT[tl.state]}${next}.${attempts.length ? ` ${attempts.join(', ')}.` : ''}`;
    }).filter(Boolean);
    return `order:${op} at +${fmtSpan(Math.max(0, rel))} — ${parts.join(' ')}`;
  }

  /** The summary under the canvas and its accessible description: `{ summary, label }`. */
  describe() {
    if (!this.rows.length) {
      return { summary: this.operations ? 'No operations in view.' : '', label: 'Timeline: no run yet' };
    }
    const firstOp = this.rows[0].op;
    const lastOp = this.rows[this.rows.length - 1].op;
    const counts = {};
    for (const row of this.rows) {
      for (const tl of Object.values(row.tl)) counts[tl.state] = (counts[tl.state] ?? 0) + 1;
    }
    const states = Object.entries(counts).map(([k, n]) => `${fmtInt(n)} ${STATE_TEXT[k].split(':')[0]}`).join(', ');
    const stacked = this.mode === 'stacked';
    const which = stacked ? `each row: ${this.shown().map((s) => STRATEGY_NAMES[s].toLowerCase()).join(', ')}, top to bottom` : STRATEGY_NAMES[this.mode];
    const text = `Showing order:${firstOp} to order:${lastOp} of ${fmtInt(this.operations)} (${which}); in view${stacked ? ', counting each strategy’s run of an order' : ''}: ${states}. Scroll for more.`;
    return { summary: text, label: `Timeline of each operation’s attempts and waits. ${text}` };
  }
}
