// The JavaScript half of src/packed.rs: an argument list is written straight into a buffer
// in wasm memory, and a reply comes out as one text plus a list of words describing its
// tree, so a call crosses the wasm boundary once each way however many elements it carries.

const encoder = new TextEncoder();

let memory = null; // the engine's WebAssembly.Memory
let bytes = new Uint8Array(0); // a view of all of it, made again when memory grows

/** Called once by the engine: where `encodeArgv` writes. */
export function useMemory(m) {
  memory = m;
  bytes = new Uint8Array(memory.buffer);
}

/**
 * Write the arguments into wasm memory at `ptr` (room for `cap` bytes) as
 * `<u32 length LE><bytes>` each: a string as UTF-8, a Uint8Array as it is, anything else
 * made a string. Returns
 * the bytes written, -1 when `argv` isn't an array (or an argument can't be made a
 * string), or `-n` (n ≥ 2) when `cap` is too small and `n` bytes would surely do. Never
 * throws into the engine.
 */
export function encodeArgv(argv, ptr, cap) {
  if (!Array.isArray(argv)) return -1;
  const written = write(argv, ptr, cap);
  if (!Number.isNaN(written)) return written;
  // Reading the arguments ran the caller's code (a toString, a Proxy) that grew wasm
  // memory and detached the view mid-write: make them plain strings first (that code runs
  // now), then write them again with nothing else running.
  let plain;
  try {
    plain = Array.from(argv, (a) => (typeof a === 'string' || a instanceof Uint8Array ? a : String(a)));
  } catch {
    return -1;
  }
  const again = write(plain, ptr, cap);
  return Number.isNaN(again) ? -1 : again;
}

function write(argv, ptr, cap) {
  // A view of a buffer that memory growth detached has no bytes left.
  if (bytes.byteLength === 0) bytes = new Uint8Array(memory.buffer);
  const buf = bytes;
  const end = ptr + cap;
  let at = ptr;
  try {
    for (let i = 0; i < argv.length; i++) {
      if (argv[i] instanceof Uint8Array) {
        const raw = argv[i];
        const len = raw.length;
        if (at + 4 + len > end) return -worstCase(argv);
        buf.set(raw, at + 4);
        buf[at] = len & 0xff;
        buf[at + 1] = (len >>> 8) & 0xff;
        buf[at + 2] = (len >>> 16) & 0xff;
        buf[at + 3] = len >>> 24;
        at += 4 + len;
        continue;
      }
      const arg = typeof argv[i] === 'string' ? argv[i] : String(argv[i]);
      const n = arg.length;
      if (at + 4 + 3 * n > end) return -worstCase(argv);
      let len = 0;
      for (; len < n; len++) {
        const c = arg.charCodeAt(len);
        if (c > 0x7f) break;
        buf[at + 4 + len] = c;
      }
      if (len < n) len += encoder.encodeInto(arg.slice(len), buf.subarray(at + 4 + len, end)).written;
      buf[at] = len & 0xff;
      buf[at + 1] = (len >>> 8) & 0xff;
      buf[at + 2] = (len >>> 16) & 0xff;
      buf[at + 3] = len >>> 24;
      at += 4 + len;
    }
  } catch {
    return -1;
  }
  return buf.byteLength === 0 ? NaN : at - ptr; // NaN: detached while writing
}

/** Bytes that hold any arguments `argv` could encode to (at most 3 per UTF-16 unit). */
function worstCase(argv) {
  let n = 2;
  for (const a of argv) n += 4 + (a instanceof Uint8Array ? a.length : 3 * String(a).length);
  return n;
}

const EMPTY = new Uint8Array(0);

const TYPES = ['status', 'error', 'integer', 'bulk'];

// ignoreBOM: a value that starts with U+FEFF keeps it (the default would drop it).
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * The UTF-8 text at `ptr` (`len` bytes) in wasm memory as a JS string. Short ASCII text
 * (most keys and values) is built with String.fromCharCode, several times faster than a
 * TextDecoder call for a few bytes.
 */
export function text(ptr, len, ascii) {
  if (bytes.byteLength === 0) bytes = new Uint8Array(memory.buffer);
  const b = bytes;
  if (!ascii || len > 64) return decoder.decode(b.subarray(ptr, ptr + len));
  const from = String.fromCharCode;
  let s = '';
  let p = ptr;
  let n = len;
  for (; n >= 8; p += 8, n -= 8) s += from(b[p], b[p + 1], b[p + 2], b[p + 3], b[p + 4], b[p + 5], b[p + 6], b[p + 7]);
  switch (n) {
    case 7: return s + from(b[p], b[p + 1], b[p + 2], b[p + 3], b[p + 4], b[p + 5], b[p + 6]);
    case 6: return s + from(b[p], b[p + 1], b[p + 2], b[p + 3], b[p + 4], b[p + 5]);
    case 5: return s + from(b[p], b[p + 1], b[p + 2], b[p + 3], b[p + 4]);
    case 4: return s + from(b[p], b[p + 1], b[p + 2], b[p + 3]);
    case 3: return s + from(b[p], b[p + 1], b[p + 2]);
    case 2: return s + from(b[p], b[p + 1]);
    case 1: return s + from(b[p]);
    default: return s;
  }
}

/** A reply that is one string (`text` at `ptr`): tag 0 status, 1 error, 3 bulk. */
export function stringReply(tag, ptr, len, ascii) {
  return { type: TYPES[tag], value: text(ptr, len, ascii) };
}

/** The `+OK` status, the most common reply, made without decoding its text. */
export function okReply() {
  return { type: 'status', value: 'OK' };
}

/** An integer reply. */
export function integerReply(value) {
  return { type: 'integer', value };
}

/** The nil reply. */
export function nilReply() {
  return { type: 'nil', value: null };
}

/**
 * Build the reply tree `{ type, value }` from a packed reply (a bulk string that isn't
 * valid UTF-8 also carries its `bytes`): the `text` at `ptr` holds every string, `shape`
 * the words (tags as in src/packed.rs), `raw` the bytes of bulk strings that aren't valid
 * UTF-8. `shape` and `raw` are views of wasm memory: read, never kept.
 */
export function buildReply(ptr, textLen, ascii, shape, raw = EMPTY) {
  const all = text(ptr, textLen, ascii);
  let at = 0;
  let pos = 0;
  let rawAt = 0;
  const str = () => {
    const len = shape[at++];
    const s = all.slice(pos, pos + len);
    pos += len;
    return s;
  };
  const items = (type) => {
    const n = shape[at++];
    const value = new Array(n);
    for (let i = 0; i < n; i++) value[i] = next();
    return { type, value };
  };
  function next() {
    switch (shape[at++]) {
      case 0: return { type: 'status', value: str() };
      case 1: return { type: 'error', value: str() };
      case 2: {
        const low = shape[at++];
        const high = shape[at++] | 0;
        const value = high * 4294967296 + low;
        // Beyond ±2^53 a number isn't exact: give the exact BigInt.
        if (Number.isSafeInteger(value)) return { type: 'integer', value };
        return { type: 'integer', value: (BigInt(high) << 32n) + BigInt(low) };
      }
      case 3: return { type: 'bulk', value: str() };
      case 4: return { type: 'nil', value: null };
      case 5: return items('array');
      case 6: return items('multi');
      case 7: {
        const value = str();
        const len = shape[at++];
        const bytes = raw.slice(rawAt, rawAt + len);
        rawAt += len;
        return { type: 'bulk', value, bytes };
      }
      case 8: return { type: 'nil', value: null, array: true };
      // RESP3 (a console after HELLO 3); a map's value is flat: key, value, key, value…
      case 9: {
        const n = 2 * shape[at++];
        const value = new Array(n);
        for (let i = 0; i < n; i++) value[i] = next();
        return { type: 'map', value };
      }
      case 10: return items('set');
      case 11: return items('push');
      case 12: return { type: 'double', value: str() };
      case 13: return { type: 'boolean', value: shape[at++] === 1 };
      case 14: return { type: 'verbatim', value: str(), format: 'txt' };
      case 15: return { type: 'bignum', value: str() };
      case 16: return { type: 'null', value: null };
      case 17: {
        const n = 2 * shape[at++];
        const attributes = new Array(n);
        for (let i = 0; i < n; i++) attributes[i] = next();
        const inner = next();
        return { ...inner, attributes };
      }
      default: throw new Error('a packed reply the page does not understand');
    }
  }
  return next();
}
