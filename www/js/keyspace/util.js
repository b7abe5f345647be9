// Small helpers for the keyspace view: building DOM (text only, never HTML) and formatting.

import { h, setText, setAttr } from '../dom.js';
import { fmtInt, fmtTtl } from '../format.js';

export { h, setText, setAttr, fmtInt, fmtTtl };

/** Natural order for key names: `user:2` before `user:10`. */
export const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });
export const byName = (a, b) => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

export const TYPES = ['string', 'list', 'set', 'zset', 'hash', 'stream'];

/** What a key's size counts, per type: [one, many, long name]. */
const UNITS = {
  string: ['B', 'B', 'bytes'],
  list: ['item', 'items', 'elements'],
  set: ['member', 'members', 'members'],
  zset: ['member', 'members', 'members'],
  hash: ['field', 'fields', 'fields'],
  stream: ['entry', 'entries', 'entries'],
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
