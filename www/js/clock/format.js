// Texts the world clock shows: the time of day, the date when it is not today, speeds and
// durations. Pure functions (no DOM, no engine), local time zone, 24-hour clock.

import { formatDuration } from '../format.js';

export { formatDuration };

const pad = (n) => String(n).padStart(2, '0');

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `14:03:27` for a time in ms since the epoch (local time). */
export function formatTime(ms) {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * The world's date when it differs from the wall's, as `{ weekday: 'Fri', date: '28 Nov' }`
 * (the date with the year when that differs too: `1 Jan 2029`), else null.
 */
export function formatDate(ms, wallMs = Date.now()) {
  const d = new Date(ms);
  const w = new Date(wallMs);
  if (d.getFullYear() === w.getFullYear() && d.getMonth() === w.getMonth() && d.getDate() === w.getDate()) return null;
  const date = `${d.getDate()} ${MONTHS[d.getMonth()]}`;
  return { weekday: WEEKDAYS[d.getDay()], date: d.getFullYear() === w.getFullYear() ? date : `${date} ${d.getFullYear()}` };
}

/** The full date and time, for screen readers and tooltips: `Fri 28 Nov 2026, 14:03:27`. */
export function formatFull(ms) {
  const d = new Date(ms);
  return `${WEEKDAYS[d.getDay()]} ${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()}, ${formatTime(ms)}`;
}

/** `60×`, `1.5×`, `3600×`. */
export function formatSpeed(speed) {
  const rounded = Math.round(speed * 100) / 100;
  return `${rounded}×`;
}

/** What one real second is worth at a speed: `1 s`, `1 min`, `1 h`, `2 min 30 s`. */
export function perRealSecond(speed) {
  return formatDuration(speed * 1000);
}
