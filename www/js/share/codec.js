// Share links: a scenario (console lines, one a line) in the URL fragment, compressed.
//
//   #run=<base64url(deflate-raw(UTF-8 text))>
//
// The fragment never reaches a server. Decoding is defensive: a link is data from anybody.
//   - at most LIMITS.fragmentChars characters of fragment (checked before anything else);
//   - base64url's alphabet only;
//   - inflated a chunk at a time and abandoned past LIMITS.bytes (no "zip bomb");
//   - strict UTF-8; at most LIMITS.lines non-blank lines.
// Failures throw a ShareError whose message completes "This link was not run: …".
// No DOM here: the node tests use this module as it is.
export const PREFIX = '#run=';
export const LIMITS = Object.freeze({ fragmentChars: 8000, lines: 200, bytes: 64 * 1024 });

export class ShareError extends Error {
  constructor(kind, message) {
    super(message);
    this.name = 'ShareError';
    this.kind = kind;
  }
}

/** The lines of a scenario text: CR/LF split, trailing spaces kept, blank lines dropped. */
export function scenarioLines(text) {
  return String(text).split(/\r?\n|\r/).filter((l) => l.trim() !== '');
}

export function toBase64Url(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(s) {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) {
    throw new ShareError('base64', 'its data is damaged (not base64url text)');
  }
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4);
  let bin;
  try {
    bin = atob(b64);
  } catch {
    throw new ShareError('base64', 'its data is damaged (not base64url text)');
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function pump(stream, input, max) {
  const writer = stream.writable.getWriter();
  writer.write(input).catch(() => {});
  writer.close().catch(() => {});
  const reader = stream.readable.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > max) {
      reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

/** The fragment (with its leading "#run=") for a scenario text. */
export async function encodeScenario(text) {
  const bytes = new TextEncoder().encode(scenarioLines(text).join('\n'));
  const packed = await pump(new CompressionStream('deflate-raw'), bytes, Infinity);
  return PREFIX + toBase64Url(packed);
}

/** True when a location.hash is a share link (whatever it holds). */
export function isShareFragment(hash) {
  return typeof hash === 'string' && hash.startsWith(PREFIX);
}

/** The scenario lines of a fragment ("#run=…"); throws ShareError. */
export async function decodeFragment(hash) {
  if (!isShareFragment(hash)) throw new ShareError('prefix', 'it is not a Redis Playground scenario link');
  if (hash.length > LIMITS.fragmentChars) {
    throw new ShareError('size', `it is too long (${hash.length.toLocaleString('en-US')} characters; the limit is ${LIMITS.fragmentChars.toLocaleString('en-US')})`);
  }
  const packed = fromBase64Url(hash.slice(PREFIX.length));
  if (packed.length === 0) throw new ShareError('empty', 'it holds no commands');
  let bytes;
  try {
    bytes = await pump(new DecompressionStream('deflate-raw'), packed, LIMITS.bytes);
  } catch {
    throw new ShareError('deflate', 'its data is damaged (it does not decompress)');
  }
  if (bytes === null) {
    throw new ShareError('size', `its commands are too large (over ${LIMITS.bytes / 1024} KB)`);
  }
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ShareError('utf8', 'its data is damaged (not UTF-8 text)');
  }
  const lines = scenarioLines(text);
  if (lines.length === 0) throw new ShareError('empty', 'it holds no commands');
  if (lines.length > LIMITS.lines) {
    throw new ShareError('size', `it has ${lines.length} commands; the limit is ${LIMITS.lines}`);
  }
  return lines;
}

// --- links that carry data rather than console lines -------------------------------------------
// `#sim=<base64url(deflate-raw(UTF-8 JSON))>`: a retry simulation's settings (retry/share-run.js
// checks what is inside). Same defences as above: the fragment's length first, base64url's
// alphabet, inflating stopped past a byte limit, strict UTF-8, then JSON.parse (which builds
// plain data only). `#run=` links are untouched.
export const SIM_PREFIX = '#sim=';
export const DATA_LIMITS = Object.freeze({ fragmentChars: 8000, bytes: 16 * 1024 });

/** The fragment (with `prefix`) for a JSON-able value. */
export async function encodeData(prefix, value) {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  const packed = await pump(new CompressionStream('deflate-raw'), bytes, Infinity);
  return prefix + toBase64Url(packed);
}

/** The value of a data fragment (`prefix` + packed JSON); throws ShareError. */
export async function decodeData(hash, prefix, limits = DATA_LIMITS) {
  if (typeof hash !== 'string' || !hash.startsWith(prefix)) throw new ShareError('prefix', 'it is not a Redis Playground link');
  if (hash.length > limits.fragmentChars) {
    throw new ShareError('size', `it is too long (${hash.length.toLocaleString('en-US')} characters; the limit is ${limits.fragmentChars.toLocaleString('en-US')})`);
  }
  const packed = fromBase64Url(hash.slice(prefix.length));
  if (packed.length === 0) throw new ShareError('empty', 'it holds nothing');
  let bytes;
  try {
    bytes = await pump(new DecompressionStream('deflate-raw'), packed, limits.bytes);
  } catch {
    throw new ShareError('deflate', 'its data is damaged (it does not decompress)');
  }
  if (bytes === null) throw new ShareError('size', `its data is too large (over ${limits.bytes / 1024} KB)`);
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ShareError('utf8', 'its data is damaged (not UTF-8 text)');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ShareError('json', 'its data is damaged (not JSON)');
  }
}
