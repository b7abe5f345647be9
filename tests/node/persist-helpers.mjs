// Shared by persist.test.mjs and export-real.test.mjs (not a test file itself): load the
// wasm engine, fill a keyspace with every type, and dump a keyspace (the engine's or a real
// redis-server's) in one comparable shape.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const PKG = path.join(ROOT, 'www', 'pkg');
const WASM = path.join(PKG, 'redis_playground_bg.wasm');

/** The Playground class of www/pkg (initialised once). */
export async function loadPlayground() {
  if (!fs.existsSync(WASM)) {
    throw new Error(`${path.relative(ROOT, WASM)} is missing: build it first with scripts/build`);
  }
  const pkg = await import(path.join(PKG, 'redis_playground.js'));
  pkg.initSync({ module: fs.readFileSync(WASM) });
  return pkg.Playground;
}

/**
 * Lines that make one key of every type in several dbs, with and without TTLs, with values
 * that need quoting (spaces, quotes, newlines, binary bytes, unicode, empty), big enough
 * collections to need batches, and special scores.
 */
export function fixtureLines() {
  const lines = [
    'SELECT 0',
    'SET plain hello',
    'SET "with space" "a b  c"',
    'SET quotes "she said \\"hi\\" and \'bye\'"',
    'SET newline "line1\\nline2\\r\\ttab"',
    'SET binary "\\x00\\xff\\x80bin\\x7f"',
    'SET unicode "héllo wörld ✓ 日本"',
    'SET empty ""',
    'SET counter 42',
    'SET float 3.14',
    'SET ttl:string "expires" EX 3600',
    'SET ttl:ms value PX 120000',
    'RPUSH list a b "c d" "" "\\x01\\x02"',
    'RPUSH ttl:list x y z',
    'PEXPIRE ttl:list 500000',
    'SADD set red green blue "with space"',
    'SADD intset 1 2 3 100 -5',
    'ZADD zset 1 one 2.5 two -3 minus 0 zero',
    'ZADD zset +inf top -inf bottom 1e-5 tiny 123456789.125 big',
    'ZADD ttl:zset 1 a 2 b',
    'EXPIRE ttl:zset 7200',
    'HSET hash name Alice age 30 "field with space" "value\\nnewline" empty ""',
    'HSET ttl:hash f v',
    'EXPIRE ttl:hash 86400',
    'SELECT 3',
    'SET db3:key three',
    'LPUSH db3:list 3 2 1',
    'SELECT 15',
    'SET db15:key fifteen EX 1000',
    'HSET db15:hash a 1 b 2',
    'SELECT 0',
    // The analytics types are strings and sorted sets underneath: their bytes and scores
    // must survive too (an HLL's cached count, a dense HLL, a bitmap, geohash scores).
    'SETBIT bitmap 7 1',
    'SETBIT bitmap 1000 1',
    'BITFIELD counters SET u8 0 200 INCRBY i16 8 -300',
    'PFADD hll a b c d e',
    'PFCOUNT hll',
    'GEOADD geo 13.361389 38.115556 Palermo 15.087269 37.502669 Catania -0.127758 51.507351 London',
    // A stream with a deleted entry and counters XSETID must carry over.
    'XADD stream 1-1 item book qty 1',
    'XADD stream 1-2 item "a pen" qty 2',
    'XADD stream 5-0 item lamp',
    'XDEL stream 1-2',
    // Its consumer groups: a pending entry with two deliveries, an idle consumer, a group
    // at the end with a read counter.
    'XGROUP CREATE stream workers 0',
    'XREADGROUP GROUP workers w1 COUNT 1 STREAMS stream >',
    'XCLAIM stream workers w2 0 1-1',
    'XGROUP CREATECONSUMER stream workers idle',
    'XGROUP CREATE stream audit $ ENTRIESREAD 3',
  ];
  const visitors = [];
  for (let i = 0; i < 3000; i++) visitors.push(`visitor:${i}`);
  lines.push(`PFADD hll:dense ${visitors.join(' ')}`);
  // Collections larger than one batch of the export (and listpack limits).
  const big = [];
  for (let i = 0; i < 1200; i++) big.push(`m${i}`);
  lines.push(`RPUSH biglist ${big.join(' ')}`);
  lines.push(`SADD bigset ${big.join(' ')}`);
  lines.push(`ZADD bigzset ${big.map((m, i) => `${i * 0.5} ${m}`).join(' ')}`);
  lines.push(`HSET bighash ${big.map((m, i) => `${m} v${i}`).join(' ')}`);
  lines.push('SET bigstring ' + 'x'.repeat(20_000));
  return lines;
}

const hex = (bytes) => Buffer.from(bytes).toString('hex');

/** Sort [a, b] pairs or strings, for unordered types. */
const sorted = (arr) => [...arr].sort((a, b) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));

/** A new Playground holding the fixture (`fixtureLines`); every line must succeed. */
export function filledPlayground(Playground) {
  const p = new Playground();
  for (const line of fixtureLines()) {
    const out = p.exec(line);
    assert.ok(!out.startsWith('(error)'), `${line.slice(0, 60)} → ${out}`);
  }
  return p;
}

/**
 * The whole keyspace as { "db/key": { type, value, pttl } } through `call(argv) → reply`,
 * where a reply is a Buffer/Uint8Array (bulk), a number, a string (status), null or an array.
 */
export async function dumpKeyspace(call) {
  const out = {};
  for (let db = 0; db < 16; db++) {
    await call(['SELECT', String(db)]);
    const keys = await call(['KEYS', '*']);
    for (const k of keys) {
      const key = Buffer.from(k).toString('utf8');
      const type = String(await call(['TYPE', key]));
      const pttl = Number(await call(['PTTL', key]));
      let value;
      if (type === 'string') value = hex(await call(['GET', key]));
      else if (type === 'list') value = (await call(['LRANGE', key, '0', '-1'])).map(hex);
      else if (type === 'set') value = sorted((await call(['SMEMBERS', key])).map(hex));
      else if (type === 'zset') {
        const flat = await call(['ZRANGE', key, '0', '-1', 'WITHSCORES']);
        value = [];
        for (let i = 0; i < flat.length; i += 2) value.push(`${hex(flat[i])}=${Number(Buffer.from(flat[i + 1]).toString())}`);
      } else if (type === 'stream') {
        // Its live entries with their ids, as XRANGE gives them.
        const entries = await call(['XRANGE', key, '-', '+']);
        value = entries.map(([id, fields]) => `${Buffer.from(id)}:${fields.map(hex).join(',')}`);
        // Its groups, consumers and pending entries (not the times, which differ).
        const text = (x) => (x === null || x === undefined ? 'nil' : typeof x === 'object' ? Buffer.from(x).toString() : String(x));
        for (const g of await call(['XINFO', 'GROUPS', key])) {
          const name = g[1];
          value.push(`group:${g.map(text).join(',')}`);
          for (const c of await call(['XINFO', 'CONSUMERS', key, name])) value.push(`consumer:${text(c[1])}=${text(c[3])}`);
          for (const [id, owner, , count] of await call(['XPENDING', key, name, '-', '+', '1000'])) {
            value.push(`pending:${text(id)}=${text(owner)}x${text(count)}`);
          }
        }
      } else if (type === 'hash') {
        const flat = await call(['HGETALL', key]);
        const pairs = [];
        for (let i = 0; i < flat.length; i += 2) pairs.push(`${hex(flat[i])}=${hex(flat[i + 1])}`);
        value = sorted(pairs);
      }
      out[`${db}/${key}`] = { type, value, pttl };
    }
  }
  await call(['SELECT', '0']);
  return out;
}

/** A `call` for dumpKeyspace on a Playground (its console's client). */
export function engineCall(p) {
  const conv = (r) => {
    switch (r.type) {
      case 'bulk': return r.bytes ?? new TextEncoder().encode(r.value);
      case 'array': case 'multi': return r.value.map(conv);
      case 'error': throw new Error(r.value);
      case 'nil': return null;
      default: return r.value;
    }
  };
  return async (argv) => conv(p.execArgv(argv));
}

/** Compare two dumps: same keys, types and values; TTLs within `slackMs`. Returns problems. */
export function compareDumps(want, got, { slackMs = 1000 } = {}) {
  const problems = [];
  for (const k of Object.keys(want)) {
    const a = want[k];
    const b = got[k];
    if (!b) { problems.push(`${k}: missing`); continue; }
    if (a.type !== b.type) { problems.push(`${k}: type ${b.type}, want ${a.type}`); continue; }
    if (JSON.stringify(a.value) !== JSON.stringify(b.value)) problems.push(`${k}: value differs`);
    if ((a.pttl < 0) !== (b.pttl < 0) || Math.abs(a.pttl - b.pttl) > slackMs) problems.push(`${k}: pttl ${b.pttl}, want ${a.pttl}`);
  }
  for (const k of Object.keys(got)) if (!want[k]) problems.push(`${k}: not expected`);
  return problems;
}

// --- a minimal RESP client for a real redis-server ------------------------------------------

export function connectRedis(port) {
  return new Promise((resolve, reject) => {
    const sock = net.createConnection({ host: '127.0.0.1', port }, () => resolve(client));
    sock.on('error', reject);
    let buf = Buffer.alloc(0);
    const waiting = [];
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const r = parse(buf, 0);
        if (!r) break;
        buf = buf.subarray(r.end);
        const w = waiting.shift();
        if (r.value instanceof Error) w.reject(r.value);
        else w.resolve(r.value);
      }
    });
    const client = {
      call(argv) {
        return new Promise((res, rej) => {
          waiting.push({ resolve: res, reject: rej });
          const parts = [`*${argv.length}\r\n`];
          for (const a of argv) parts.push(`$${Buffer.byteLength(a)}\r\n${a}\r\n`);
          sock.write(parts.join(''));
        });
      },
      close() { sock.end(); },
    };
  });
}

function parse(buf, at) {
  const nl = buf.indexOf('\r\n', at);
  if (nl < 0) return null;
  const head = buf.subarray(at + 1, nl).toString();
  const next = nl + 2;
  switch (buf[at]) {
    case 0x2b: return { value: head, end: next }; // +
    case 0x2d: return { value: new Error(head), end: next }; // -
    case 0x3a: return { value: Number(head), end: next }; // :
    case 0x24: { // $
      const n = Number(head);
      if (n < 0) return { value: null, end: next };
      if (buf.length < next + n + 2) return null;
      return { value: buf.subarray(next, next + n), end: next + n + 2 };
    }
    case 0x2a: { // *
      const n = Number(head);
      if (n < 0) return { value: null, end: next };
      const items = [];
      let p = next;
      for (let i = 0; i < n; i++) {
        const r = parse(buf, p);
        if (!r) return null;
        items.push(r.value);
        p = r.end;
      }
      return { value: items, end: p };
    }
    default: throw new Error(`unexpected RESP byte ${buf[at]}`);
  }
}
