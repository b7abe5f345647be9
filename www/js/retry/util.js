// Small helpers for the retry simulation page: DOM (text only, never HTML), number and
// world-duration formatting, duration parsing, canvas set-up and theme colours.

import { h, setText, setAttr } from '../dom.js';
import { fmtInt, fmtSpan, fmtAxis } from '../format.js';

export { h, setText, setAttr, fmtInt, fmtSpan, fmtAxis };

let ids = 0;
/** A unique element id. */
export const uid = (prefix) => `${prefix}-${++ids}`;

/** A number with at most `digits` decimals: `146.9`, `0.5`, `1,024`. */
export function fmtNum(n, digits = 1) {
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: digits }).format(n);
}

export const STRATEGIES = ['polling', 'events', 'queue', 'stream'];
export const STRATEGY_NAMES = { polling: 'Polling TTL', events: 'Expired events', queue: 'Delayed queue', stream: 'Consumer group' };
/** CSS variable of each strategy's colour (style.css). */
export const STRATEGY_VARS = { polling: '--blue', events: '--purple', queue: '--green', stream: '--cyan' };

/** Axis steps a person reads easily, in ms. */
const STEPS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500,
  1_000, 2_000, 5_000, 10_000, 15_000, 30_000,
  60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000,
  3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000,
  86_400_000, 172_800_000, 604_800_000,
];

/** The smallest readable step that gives at most `maxTicks` ticks over `span` ms. */
export function niceStep(span, maxTicks) {
  const want = span / Math.max(1, maxTicks);
  return STEPS.find((s) => s >= want) ?? Math.ceil(want / 604_800_000) * 604_800_000;
}

/** A count step for a y axis: 1, 2, 5, 10, 20, 50… */
export function niceCount(max, ticks = 2) {
  const raw = max / ticks;
  const p = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-9)));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

const UNITS = { ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000, hr: 3_600_000, d: 86_400_000 };

/**
 * Parse a duration typed by a person: `90` (seconds), `90s`, `1.5m`, `10 min`, `2h`, `1h30m`,
 * `500ms`, `1d`. Returns ms, or null when it can't be read.
 */
export function parseDuration(text) {
  const s = String(text).trim().toLowerCase();
  if (s === '') return null;
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const re = /(\d+(?:\.\d+)?)\s*(ms|sec|s|min|m|hr|h|d)/y;
  let total = 0;
  let pos = 0;
  let parts = 0;
  while (pos < s.length) {
    while (s[pos] === ' ') pos++;
    if (pos >= s.length) break;
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) return null;
    total += Number(m[1]) * UNITS[m[2]];
    pos = re.lastIndex;
    parts++;
  }
  return parts ? Math.round(total) : null;
}

/** A duration as the controls write it: `500ms`, `90s`, `5m`, `1h30m`, `2d`. */
export function durationText(ms) {
  if (ms % 1000 !== 0) return `${ms}ms`;
  const s = ms / 1000;
  if (s === 0) return '0s';
  if (s % 86_400 === 0) return `${s / 86_400}d`;
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s >= 3600 && s % 60 === 0) return `${Math.floor(s / 3600)}h${(s % 3600) / 60}m`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

/** A regular expression for a glob (`*` `?` `[abc]`), case-insensitive, matching anywhere. */
export function globToRegExp(glob) {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        let body = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
        if (body.startsWith('^')) body = `\\^${body.slice(1)}`;
        re += `[${body}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(re, 'i');
}

/** The theme's colours (re-read when presenter mode changes). */
export function themeColors() {
  const cs = getComputedStyle(document.documentElement);
  const v = (name, fallback) => cs.getPropertyValue(name).trim() || fallback;
  return {
    bg: v('--bg', '#0d1016'),
    panel: v('--panel', '#12161e'),
    panel2: v('--panel-2', '#181d27'),
    edge: v('--panel-edge', '#232a36'),
    text: v('--text', '#d5dbe4'),
    strong: v('--text-strong', '#f0f3f7'),
    muted: v('--muted', '#8590a0'),
    grey: v('--grey', '#7d8590'),
    accent: v('--accent', '#ff4438'),
    error: v('--error', '#ff7b72'),
    yellow: v('--yellow', '#e3b341'),
    green: v('--green', '#7ee787'),
    blue: v('--blue', '#79c0ff'),
    purple: v('--purple', '#d2a8ff'),
    cyan: v('--cyan', '#76e3ea'),
    orange: '#ffa657',
    polling: v(STRATEGY_VARS.polling, '#79c0ff'),
    events: v(STRATEGY_VARS.events, '#d2a8ff'),
    queue: v(STRATEGY_VARS.queue, '#7ee787'),
    stream: v(STRATEGY_VARS.stream, '#76e3ea'),
    presenter: document.documentElement.classList.contains('presenter'),
    mono: v('--mono', 'monospace'),
    sans: v('--sans', 'sans-serif'),
    rem: parseFloat(cs.fontSize) || 16,
  };
}

/**
 * Size a canvas's backing store to its CSS box × devicePixelRatio; returns
 * { ctx, width, height } in CSS pixels (the context is scaled), or null when not laid out.
 */
export function fitCanvas(canvas, cssHeight) {
  const width = Math.floor(canvas.clientWidth);
  const height = cssHeight ?? Math.floor(canvas.clientHeight);
  if (width <= 0 || height <= 0) return null;
  const dpr = Math.min(window.devicePixelRatio || 1, 2);
  const w = Math.round(width * dpr);
  const hgt = Math.round(height * dpr);
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== hgt) canvas.height = hgt;
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return { ctx, width, height };
}

/** Clicks on the key links (`a.rs-key-link`, data-db, data-key) in `root` open the key: onOpenKey({ db, key }). */
export function openKeyLinks(root, onOpenKey) {
  root.addEventListener('click', (ev) => {
    const a = ev.target.closest('a.rs-key-link');
    if (!a) return;
    ev.preventDefault();
    onOpenKey({ db: Number(a.dataset.db), key: a.dataset.key });
  });
}

/** Watch an element's visibility on screen: `isVisible()` (true until known otherwise). */
export function watchVisibility(el) {
  let visible = true;
  let io = null;
  if (typeof IntersectionObserver === 'function') {
    io = new IntersectionObserver((entries) => {
      for (const e of entries) visible = e.isIntersecting;
    }, { rootMargin: '100px' });
    io.observe(el);
  }
  return { isVisible: () => visible, disconnect: () => io?.disconnect() };
}
