// The JavaScript half of src/packed.rs: an argument list goes into the engine as one
// string, and a reply comes out as one text plus a list of words describing its tree, so a
// call crosses the wasm boundary once each way however many elements it carries.

/**
 * Join arguments as `<length>:<argument>` repeated (lengths in UTF-16 units); anything
 * that isn't a string is made one. Undefined when `argv` isn't an array (or an argument
 * can't be made a string): it never throws into the engine.
 */
export function joinArgv(argv) {
  if (!Array.isArray(argv)) return undefined;
  let joined = '';
  try {
    for (let i = 0; i < argv.length; i++) {
      const arg = typeof argv[i] === 'string' ? argv[i] : String(argv[i]);
      joined += arg.length + ':' + arg;
    }
  } catch {
    return undefined;
  }
  return joined;
}

const EMPTY = new Uint8Array(0);

const TYPES = ['status', 'error', 'integer', 'bulk'];

/** A reply that is one string: tag 0 status, 1 error, 3 bulk (as in src/packed.rs). */
export function stringReply(tag, text) {
  return { type: TYPES[tag], value: text };
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
 * valid UTF-8 also carries its `bytes`): `text` holds every string,
 * `shape` the words (tags as in src/packed.rs), `raw` the bytes of bulk strings that
 * aren't valid UTF-8. `shape` and `raw` are views of wasm memory: read, never kept.
 */
export function buildReply(text, shape, raw = EMPTY) {
  let at = 0;
  let pos = 0;
  let rawAt = 0;
  const str = () => {
    const len = shape[at++];
    const s = text.slice(pos, pos + len);
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
        return { type: 'integer', value: high * 4294967296 + low };
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
      default: throw new Error('a packed reply the page does not understand');
    }
  }
  return next();
}
