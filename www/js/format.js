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

/** A world duration, short: `250 ms`, `59 s`, `4 min 9 s`, `2 h 5 min`, `3 d 4 h`. */
export function formatDuration(ms) {
  if (!(ms > 0)) return '0 s';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}
