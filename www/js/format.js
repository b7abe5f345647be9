// Number and duration texts shared by the panes (pure functions, no DOM).

const intFormat = new Intl.NumberFormat('en-US');
/** `264,376` */
export const fmtInt = (n) => intFormat.format(n);

const pad2 = (n) => String(n).padStart(2, '0');

/**
 * A remaining time to live in ms as a short countdown, rounded up: `9.4s`, `42s`, `4m 09s`,
 * `1h 05m`, `3d 02h`. Zero or less is the caller's business ("expiring…").
 */
export function fmtTtl(ms) {
  if (ms <= 9_900) return `${(Math.ceil(ms / 100) / 10).toFixed(1)}s`;
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${pad2(s % 60)}s`;
  const hr = Math.floor(m / 60);
  if (hr < 24) return `${hr}h ${pad2(m % 60)}m`;
  const d = Math.floor(hr / 24);
  return `${fmtInt(d)}d ${pad2(hr % 24)}h`;
}

// The two largest units of a duration, rounded to the second: in words or compact.
const WORDS = { ms: ' ms', s: ' s', min: ' min', h: ' h', d: ' d', join: ' ', daysFrom: 24 };
const COMPACT = { ms: 'ms', s: 's', min: 'm', h: 'h', d: 'd', join: '', daysFrom: 48 };

function twoUnits(ms, u) {
  if (ms < 1000) return `${Math.round(ms)}${u.ms}`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}${u.s}`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m}${u.min}${u.join}${s % 60}${u.s}` : `${m}${u.min}`;
  const h = Math.floor(m / 60);
  if (h < u.daysFrom) return m % 60 ? `${h}${u.h}${u.join}${m % 60}${u.min}` : `${h}${u.h}`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}${u.d}${u.join}${h % 24}${u.h}` : `${d}${u.d}`;
}

/**
 * A world duration, short: `250 ms`, `59 s`, `4 min 9 s`, `2 h 5 min`, `3 d 4 h` (the world
 * clock's step, a lesson's clock jump). Options:
 *   tenths   exact enough to read a measurement: `1.5 s` between 1 and 10 s, and a negative
 *            duration signed (`−850 ms`)
 *   compact  an axis label: `0`, `30s`, `5m`, `1h30m`, `2d` (hours up to 48)
 */
export function formatDuration(ms, { tenths = false, compact = false } = {}) {
  if (compact) return ms === 0 ? '0' : twoUnits(ms, COMPACT);
  if (tenths) {
    const a = Math.abs(ms);
    const out = a === 0 || a >= 10_000 || a < 1000 ? formatDuration(a) : `${(Math.round(a / 100) / 10).toFixed(1)} s`;
    return ms < 0 ? `−${out}` : out;
  }
  if (!(ms > 0)) return '0 s';
  return twoUnits(ms, WORDS);
}

/** `formatDuration(ms, { tenths: true })`: a span of world time in the retry simulation. */
export const fmtSpan = (ms) => formatDuration(ms, { tenths: true });

/** `formatDuration(ms, { compact: true })`: a time axis's label. */
export const fmtAxis = (ms) => formatDuration(ms, { compact: true });
