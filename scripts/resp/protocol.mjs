// RESP, as a Redis 7.0 server reads requests and writes replies (RESP2 and RESP3), with Redis's own
// protocol errors. No I/O here: the bridge (server.mjs) feeds bytes in and writes bytes out.
//
//   const parser = new RequestParser({ splitInline });   // splitInline: Playground.splitInline
//   parser.push(chunk);                                  // Buffer/Uint8Array from the socket
//   for (let r; (r = parser.next()); ) { r.argv | r.error }  // null: need more bytes
//   encodeReply(tree, chunks)                            // tree: a Console.execArgv reply

/** Redis's PROTO_INLINE_MAX_SIZE: an inline request (or a count line) longer is refused. */
export const INLINE_MAX = 64 * 1024;
/** Redis's default proto-max-bulk-len. */
export const MAX_BULK = 512 * 1024 * 1024;

const CR = 13;
const LF = 10;

/**
 * Redis's string2ll: an optional '-', digits, no leading zeros (but "0"), no spaces, no '+';
 * null when the text is not one. Lengths and counts are read with it.
 */
export function string2ll(buf, start, end) {
  let i = start;
  if (i >= end) return null;
  let neg = false;
  if (buf[i] === 45) {
    neg = true;
    i++;
    if (i >= end) return null;
  }
  if (end - start === 1 && buf[start] === 48) return 0;
  if (buf[i] < 49 || buf[i] > 57) return null; // the first digit is 1-9
  let v = 0n;
  for (; i < end; i++) {
    const c = buf[i];
    if (c < 48 || c > 57) return null;
    v = v * 10n + BigInt(c - 48);
  }
  if (neg) v = -v;
  if (v > 9223372036854775807n || v < -9223372036854775808n) return null;
  return v;
}

/** Reads requests from a connection's bytes, one at a time, as Redis does. */
export class RequestParser {
  constructor({ splitInline, maxBulk = MAX_BULK } = {}) {
    this.splitInline = splitInline;
    this.maxBulk = maxBulk;
    this.buf = Buffer.alloc(0);
    this.pos = 0;
    // A multibulk request in progress.
    this.left = 0; // bulks still to read
    this.bulkLen = -1;
    this.args = [];
  }

  /** Append bytes read from the connection. */
  push(chunk) {
    const rest = this.buf.subarray(this.pos);
    this.buf = rest.length === 0 ? Buffer.from(chunk) : Buffer.concat([rest, chunk]);
    this.pos = 0;
  }

  /** Bytes received and not yet made into a request. */
  pending() {
    return this.buf.length - this.pos;
  }

  /**
   * The next request: `{ argv: Uint8Array[] }` (possibly empty: nothing to run),
   * `{ error }` (a protocol error: reply with it and close), or null (more bytes needed).
   */
  next() {
    if (this.left === 0 && this.pos < this.buf.length && this.buf[this.pos] !== 42 /* '*' */) {
      return this.inline();
    }
    return this.multibulk();
  }

  inline() {
    const nl = this.buf.indexOf(LF, this.pos);
    if (nl < 0) {
      if (this.pending() > INLINE_MAX) return { error: 'Protocol error: too big inline request' };
      return null;
    }
    let end = nl;
    if (end > this.pos && this.buf[end - 1] === CR) end--;
    const line = this.buf.subarray(this.pos, end);
    const argv = this.splitInline(line);
    if (argv === null || argv === undefined) return { error: 'Protocol error: unbalanced quotes in request' };
    this.pos = nl + 1;
    return { argv: Array.from(argv) };
  }

  /** The line at `pos` up to its `\r` (needing the `\n` after it too), or null. */
  line(tooBig) {
    const cr = this.buf.indexOf(CR, this.pos);
    if (cr < 0) {
      if (this.pending() > INLINE_MAX) return { error: tooBig };
      return null;
    }
    if (cr + 1 >= this.buf.length) return null; // the \n hasn't come yet
    return { start: this.pos, end: cr, next: cr + 2 };
  }

  multibulk() {
    if (this.left === 0) {
      if (this.pos >= this.buf.length) return null;
      const l = this.line('Protocol error: too big mbulk count string');
      if (l === null || l.error) return l;
      const n = string2ll(this.buf, l.start + 1, l.end);
      if (n === null || n > 2147483647n) return { error: 'Protocol error: invalid multibulk length' };
      this.pos = l.next;
      if (n <= 0n) return { argv: [] };
      this.left = Number(n);
      this.args = [];
      this.bulkLen = -1;
    }
    while (this.left > 0) {
      if (this.bulkLen === -1) {
        const l = this.line('Protocol error: too big bulk count string');
        if (l === null || l.error) return l;
        if (this.buf[this.pos] !== 36 /* '$' */) {
          return { error: `Protocol error: expected '$', got '${String.fromCharCode(this.buf[this.pos])}'` };
        }
        const n = string2ll(this.buf, l.start + 1, l.end);
        if (n === null || n < 0n || n > BigInt(this.maxBulk)) return { error: 'Protocol error: invalid bulk length' };
        this.pos = l.next;
        this.bulkLen = Number(n);
      }
      if (this.pending() < this.bulkLen + 2) return null;
      // A copy: the buffer is reused as more bytes arrive.
      this.args.push(Uint8Array.prototype.slice.call(this.buf, this.pos, this.pos + this.bulkLen));
      this.pos += this.bulkLen + 2;
      this.bulkLen = -1;
      this.left--;
    }
    const argv = this.args;
    this.args = [];
    return { argv };
  }
}

const encoder = new TextEncoder();

/** The bytes of a bulk string reply: its own `bytes` when not UTF-8, else the text's. */
function bulkBytes(tree) {
  return tree.bytes ?? encoder.encode(tree.value);
}

/**
 * Write a reply tree (from Console.execArgv/takeReplies) as RESP, appending Buffers. The
 * engine adapts each reply to the connection's protocol (HELLO), so the RESP3 types below
 * only ever come to a connection that asked for RESP3.
 */
export function encodeReply(tree, out) {
  if (tree.attributes) {
    out.push(Buffer.from(`|${tree.attributes.length / 2}\r\n`));
    for (const item of tree.attributes) encodeReply(item, out);
  }
  switch (tree.type) {
    case 'status':
      out.push(Buffer.from(`+${tree.value}\r\n`));
      break;
    case 'error':
      out.push(Buffer.from(`-${tree.value}\r\n`));
      break;
    case 'integer':
      out.push(Buffer.from(`:${tree.value}\r\n`));
      break;
    case 'bulk': {
      const b = bulkBytes(tree);
      out.push(Buffer.from(`$${b.length}\r\n`), Buffer.from(b.buffer, b.byteOffset, b.length), Buffer.from('\r\n'));
      break;
    }
    case 'nil':
      out.push(Buffer.from(tree.array ? '*-1\r\n' : '$-1\r\n'));
      break;
    case 'array':
      out.push(Buffer.from(`*${tree.value.length}\r\n`));
      for (const item of tree.value) encodeReply(item, out);
      break;
    case 'map':
      out.push(Buffer.from(`%${tree.value.length / 2}\r\n`));
      for (const item of tree.value) encodeReply(item, out);
      break;
    case 'set':
      out.push(Buffer.from(`~${tree.value.length}\r\n`));
      for (const item of tree.value) encodeReply(item, out);
      break;
    case 'push':
      out.push(Buffer.from(`>${tree.value.length}\r\n`));
      for (const item of tree.value) encodeReply(item, out);
      break;
    case 'double':
      out.push(Buffer.from(`,${tree.value}\r\n`));
      break;
    case 'boolean':
      out.push(Buffer.from(tree.value ? '#t\r\n' : '#f\r\n'));
      break;
    case 'null':
      out.push(Buffer.from('_\r\n'));
      break;
    case 'bignum':
      out.push(Buffer.from(`(${tree.value}\r\n`));
      break;
    case 'verbatim': {
      const b = encoder.encode(tree.value);
      out.push(Buffer.from(`=${b.length + 4}\r\ntxt:`), Buffer.from(b.buffer, b.byteOffset, b.length), Buffer.from('\r\n'));
      break;
    }
    case 'multi':
      // One command answering several times (SUBSCRIBE a b): each reply in turn.
      for (const item of tree.value) encodeReply(item, out);
      break;
    default:
      out.push(Buffer.from(`-ERR the bridge cannot send a '${tree.type}' reply\r\n`));
  }
  return out;
}
