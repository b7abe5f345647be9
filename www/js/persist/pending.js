// Leaving the page: Chromium may abort an IndexedDB write still in flight when the page is
// torn down (a reload right after typing). So the save made on `pagehide` (and when the tab
// is hidden) also goes to localStorage, which writes synchronously; the next load takes it
// when it is newer than IndexedDB's record, and a save that reaches IndexedDB removes it.
// Worlds over ~1.5 MB of snapshot rely on IndexedDB alone (localStorage holds ~5 MB).
import { toBase64Url, fromBase64Url } from '../share/codec.js';

export const PENDING_KEY = 'redis-playground:unsaved';
const PENDING_MAX_CHARS = 2_000_000;

/** localStorage, or null where reading it throws (privacy settings, sandboxed frames). */
export function localStorageOrNull() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** Keep `record` in localStorage (synchronous: it survives the page being torn down). */
export function writePending(record) {
  const ls = localStorageOrNull();
  if (!ls) return;
  try {
    const engine = toBase64Url(record.engine);
    if (engine.length > PENDING_MAX_CHARS) {
      ls.removeItem(PENDING_KEY);
      return;
    }
    ls.setItem(PENDING_KEY, JSON.stringify({ ...record, engine }));
  } catch {
    try { ls.removeItem(PENDING_KEY); } catch { /* blocked */ }
  }
}

export function clearPending() {
  try { localStorageOrNull()?.removeItem(PENDING_KEY); } catch { /* blocked */ }
}

/**
 * The record the last page left in localStorage, as readRecord expects it; whatever it holds
 * that is not a record comes back as it is (then treated as bad data). undefined when none.
 * It stays until a save reaches IndexedDB.
 */
export function readPending() {
  const ls = localStorageOrNull();
  let text = null;
  try {
    text = ls?.getItem(PENDING_KEY) ?? null;
  } catch {
    return undefined;
  }
  if (text === null) return undefined;
  try {
    const v = JSON.parse(text);
    if (v && typeof v === 'object' && typeof v.engine === 'string') return { ...v, engine: fromBase64Url(v.engine) };
    return v;
  } catch {
    return text;
  }
}
