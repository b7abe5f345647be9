// The saved world as one IndexedDB record (no DOM here: the node tests use it too).
//
//   { v: 1, savedAt: <wall ms>, engine: Uint8Array, page: { history: [string], … } }
//
// `engine` is engine.snapshot(): the 16 dbs with their values and absolute TTLs and the world
// clock, in the engine's own versioned binary format with a checksum (src/persist.rs). `page`
// is what only the page knows (console history, open consoles), small and plain.
//
// `readRecord` never throws: whatever IndexedDB handed back (another app's data, a record a
// newer page wrote, garbage) comes out as { ok: false, reason, bytes } with the bytes to let
// the learner download it.
export const RECORD_VERSION = 1;
const MAX_HISTORY = 1000;

export function makeRecord({ engine, page = {}, savedAt = Date.now() }) {
  return { v: RECORD_VERSION, savedAt, engine, page };
}

function asBytes(v) {
  if (v instanceof Uint8Array) return v;
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  return null;
}

/** Bytes to offer for download for any stored value (the engine bytes, or a text dump). */
export function bytesOf(value) {
  const direct = asBytes(value) ?? asBytes(value?.engine);
  if (direct) return direct;
  let text;
  try {
    text = typeof value === 'string' ? value : JSON.stringify(value);
  } catch {
    text = undefined;
  }
  return new TextEncoder().encode(text ?? String(value));
}

/** Only the page state fields this page understands, checked; anything else is dropped. */
export function cleanPage(page) {
  const out = {};
  if (!page || typeof page !== 'object') return out;
  if (Array.isArray(page.history)) {
    out.history = page.history.filter((x) => typeof x === 'string').slice(-MAX_HISTORY);
  }
  for (const [k, v] of Object.entries(page)) {
    if (k === 'history') continue;
    // Other providers' state (open consoles…) is passed through as plain data.
    try {
      out[k] = JSON.parse(JSON.stringify(v));
    } catch {
      /* not plain data: dropped */
    }
  }
  return out;
}

/** { ok: true, engine, page, savedAt } or { ok: false, reason, bytes }. */
export function readRecord(value) {
  if (value === undefined || value === null) return { ok: false, reason: 'nothing saved', bytes: null, empty: true };
  if (typeof value !== 'object' || Array.isArray(value) || asBytes(value)) {
    return { ok: false, reason: 'not a Redis Playground save', bytes: bytesOf(value) };
  }
  const v = value.v;
  if (Number.isInteger(v) && v > RECORD_VERSION) {
    return { ok: false, reason: `saved by a newer version of this page (record format ${v}; this page reads ${RECORD_VERSION})`, bytes: bytesOf(value) };
  }
  const engine = asBytes(value.engine);
  if (v !== RECORD_VERSION || !engine) {
    return { ok: false, reason: 'not a Redis Playground save', bytes: bytesOf(value) };
  }
  const savedAt = Number.isFinite(value.savedAt) ? value.savedAt : null;
  return { ok: true, engine, page: cleanPage(value.page), savedAt };
}

/** "12 keys", "1 key". */
export function plural(n, one, many = `${one}s`) {
  return `${Number(n).toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

export function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
