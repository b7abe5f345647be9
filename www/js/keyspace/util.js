// Small helpers for the keyspace view: building DOM (text only, never HTML) and formatting.

/**
 * Make an element. `attrs`: className, text (→ textContent), on<Event> handlers, dataset
 * (an object), and any other attribute (set with setAttribute; false/null/undefined skip it).
 * Children: nodes or strings (strings become text nodes). Nothing is ever parsed as HTML.
 */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'className') node.className = value;
    else if (name === 'text') node.textContent = value;
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2).toLowerCase(), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

/** Set textContent only when it differs (keeps the DOM quiet during 100 ms refreshes). */
export function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

/** Set or remove an attribute only when it differs. */
export function setAttr(node, name, value) {
  if (value === null || value === undefined || value === false) {
    if (node.hasAttribute(name)) node.removeAttribute(name);
  } else if (node.getAttribute(name) !== String(value)) {
    node.setAttribute(name, String(value));
  }
}

const numberFormat = new Intl.NumberFormat('en-US');
export const fmtInt = (n) => numberFormat.format(n);

/** Natural order for key names: `user:2` before `user:10`. */
export const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });
export const byName = (a, b) => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

export const TYPES = ['string', 'list', 'set', 'zset', 'hash'];

/** What a key's size counts, per type: [one, many, long name]. */
const UNITS = {
  string: ['B', 'B', 'bytes'],
  list: ['item', 'items', 'elements'],
  set: ['member', 'members', 'members'],
  zset: ['member', 'members', 'members'],
  hash: ['field', 'fields', 'fields'],
};

/** `5 B`, `1 item`, `3 members`, `2 fields`. */
export function fmtSize(type, size) {
  const u = UNITS[type] || ['', '', ''];
  return `${fmtInt(size)} ${size === 1 ? u[0] : u[1]}`;
}

/** `5 bytes`, `3 elements` — for labels read aloud. */
export function fmtSizeLong(type, size) {
  const u = UNITS[type] || ['', '', ''];
  return `${fmtInt(size)} ${u[2]}`;
}

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

/** Remaining TTL of a fetched item now: `info.ttl` was measured at world time `info.at`. */
export function remaining(info, now) {
  if (info.ttl === undefined || info.ttl === null || info.ttl < 0) return null;
  return info.ttl - (now - info.at);
}

/** The text of a TTL cell: '' (no TTL), a countdown, or `expiring…` once it reached 0. */
export function ttlText(info, now) {
  const left = remaining(info, now);
  if (left === null) return '';
  return left > 0 ? fmtTtl(left) : 'expiring…';
}
