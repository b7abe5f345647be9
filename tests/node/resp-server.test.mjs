// The RESP bridge (scripts/resp/server.mjs) over the wasm module, spoken to over real TCP
// sockets: what redis-cli, client libraries and Redis's test suite rely on.
import test from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startBridge } from '../../scripts/resp/server.mjs';
import { RequestParser, encodeReply, string2ll } from '../../scripts/resp/protocol.mjs';

/** A connection that sends raw bytes and reads whole RESP replies. */
class Client {
  static async open(port) {
    const c = new Client();
    c.socket = net.connect(port, '127.0.0.1');
    c.buf = Buffer.alloc(0);
    c.waiters = [];
    c.closed = false;
    c.socket.on('data', (d) => {
      c.buf = Buffer.concat([c.buf, d]);
      c.wake();
    });
    c.socket.on('close', () => {
      c.closed = true;
      c.wake();
    });
    c.socket.on('error', () => {});
    await new Promise((r) => c.socket.once('connect', r));
    return c;
  }

  wake() {
    for (const w of this.waiters.splice(0)) w();
  }

  send(...args) {
    const parts = [Buffer.from(`*${args.length}\r\n`)];
    for (const a of args) {
      const b = Buffer.isBuffer(a) ? a : Buffer.from(String(a));
      parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
    }
    this.socket.write(Buffer.concat(parts));
  }

  raw(bytes) {
    this.socket.write(bytes);
  }

  /** The next whole reply: { type, value } (value: string/number/array/null), or null once closed. */
  async read() {
    for (;;) {
      const r = parseReply(this.buf, 0);
      if (r) {
        this.buf = this.buf.subarray(r.end);
        return r.reply;
      }
      if (this.closed) return null;
      await new Promise((res) => this.waiters.push(res));
    }
  }

  async call(...args) {
    this.send(...args);
    return this.read();
  }

  close() {
    this.socket.destroy();
  }
}

function parseReply(buf, at) {
  const nl = buf.indexOf('\r\n', at);
  if (nl < 0) return null;
  const head = buf.toString('latin1', at + 1, nl);
  const next = nl + 2;
  switch (String.fromCharCode(buf[at])) {
    case '+': return { reply: { type: 'status', value: head }, end: next };
    case '-': return { reply: { type: 'error', value: head }, end: next };
    case ':': return { reply: { type: 'integer', value: head }, end: next };
    case '$': {
      const n = Number(head);
      if (n < 0) return { reply: { type: 'nil', value: null }, end: next };
      if (buf.length < next + n + 2) return null;
      return { reply: { type: 'bulk', value: buf.subarray(next, next + n) }, end: next + n + 2 };
    }
    case '*': {
      const n = Number(head);
      if (n < 0) return { reply: { type: 'nilarray', value: null }, end: next };
      const items = [];
      let p = next;
      for (let i = 0; i < n; i++) {
        const r = parseReply(buf, p);
        if (!r) return null;
        items.push(r.reply);
        p = r.end;
      }
      return { reply: { type: 'array', value: items }, end: p };
    }
    default: throw new Error(`bad reply byte ${buf[at]}`);
  }
}

const text = (r) => (r.type === 'bulk' ? r.value.toString() : r.type === 'array' ? r.value.map(text) : r.value);

let bridge;
test.before(async () => {
  bridge = await startBridge({ port: 0 });
});
test.after(async () => {
  await bridge.close();
});

test('RESP2 requests, replies and pipelining', async () => {
  const c = await Client.open(bridge.port);
  assert.deepEqual(await c.call('PING'), { type: 'status', value: 'PONG' });
  assert.deepEqual(text(await c.call('SET', 'k', 'v')), 'OK');
  // Three requests in one write: three replies, in order.
  c.raw(Buffer.from('*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n*2\r\n$3\r\nGET\r\n$4\r\nnone\r\n'));
  assert.equal(text(await c.read()), 'v');
  assert.deepEqual(await c.read(), { type: 'integer', value: '1' });
  assert.deepEqual(await c.read(), { type: 'nil', value: null });
  assert.deepEqual(await c.call('HSET'), { type: 'error', value: "ERR wrong number of arguments for 'hset' command" });
  c.close();
});

test('inline commands, with Redis quoting', async () => {
  const c = await Client.open(bridge.port);
  c.raw(Buffer.from('SET "a key" \'it\\\'s\'\r\nGET "a key"\n'));
  assert.equal(text(await c.read()), 'OK');
  assert.equal(text(await c.read()), "it's");
  c.raw(Buffer.from('\r\n\r\nPING\r\n'));
  assert.equal(text(await c.read()), 'PONG');
  c.close();
});

test('arguments and replies are binary-safe; big integers and nil arrays are exact', async () => {
  const c = await Client.open(bridge.port);
  const bytes = Buffer.from([0, 255, 13, 10, 128, 1]);
  assert.equal(text(await c.call('SET', Buffer.from([0xff, 0xfe]), bytes)), 'OK');
  const got = await c.call('GET', Buffer.from([0xff, 0xfe]));
  assert.deepEqual([...got.value], [...bytes]);
  assert.deepEqual(await c.call('INCRBY', 'big', '9007199254740993'), { type: 'integer', value: '9007199254740993' });
  assert.deepEqual(await c.call('DECRBY', 'neg', '9223372036854775807'), { type: 'integer', value: '-9223372036854775807' });
  await c.call('SET', 'w', '1');
  await c.call('WATCH', 'w');
  await c.call('SET', 'w', '2');
  await c.call('MULTI');
  await c.call('PING');
  assert.deepEqual(await c.call('EXEC'), { type: 'nilarray', value: null }, 'a failed EXEC is *-1, not $-1');
  c.close();
});

test('a blocked client is served when another connection writes; its next requests wait', async () => {
  const a = await Client.open(bridge.port);
  const b = await Client.open(bridge.port);
  a.send('BLPOP', 'jobs', '0');
  a.send('PING'); // pipelined after the blocking command: answered after it
  // b can see a blocked before it pushes.
  for (;;) {
    const info = text(await b.call('INFO', 'clients'));
    if (/blocked_clients:1/.test(info)) break;
  }
  assert.deepEqual(text(await b.call('RPUSH', 'jobs', 'j1')), '1');
  assert.deepEqual(text(await a.read()), ['jobs', 'j1']);
  assert.equal(text(await a.read()), 'PONG');
  a.close();
  b.close();
});

test('a blocking command times out by itself on the world clock', async () => {
  const c = await Client.open(bridge.port);
  assert.deepEqual(await c.call('BLPOP', 'nothing', '0.05'), { type: 'nilarray', value: null });
  assert.deepEqual(await c.call('BLPOP', 'nothing', '0.0001'), { type: 'nilarray', value: null }, 'rounded up to 1 ms');
  c.close();
});

test('a client that disconnects while blocked is cleaned up', async () => {
  const a = await Client.open(bridge.port);
  const b = await Client.open(bridge.port);
  a.send('BLPOP', 'gone', '0');
  for (;;) {
    if (/blocked_clients:1/.test(text(await b.call('INFO', 'clients')))) break;
  }
  a.close();
  for (;;) {
    if (/blocked_clients:0/.test(text(await b.call('INFO', 'clients')))) break;
  }
  assert.deepEqual(text(await b.call('RPUSH', 'gone', 'x')), '1');
  assert.deepEqual(text(await b.call('LLEN', 'gone')), '1', 'nobody popped it');
  b.close();
});

test('pub/sub messages and keyspace events are pushed as they happen', async () => {
  const sub = await Client.open(bridge.port);
  const pub = await Client.open(bridge.port);
  assert.deepEqual(text(await sub.call('SUBSCRIBE', 'news')), ['subscribe', 'news', '1']);
  assert.deepEqual(text(await pub.call('PUBLISH', 'news', 'hello')), '1');
  assert.deepEqual(text(await sub.read()), ['message', 'news', 'hello']);
  await pub.call('CONFIG', 'SET', 'notify-keyspace-events', 'Ex');
  const ev = await Client.open(bridge.port);
  await ev.call('SUBSCRIBE', '__keyevent@0__:expired');
  await pub.call('SET', 'soon', 'v', 'PX', '20');
  // Nobody touches the key: the active expiry cycle deletes it and the event is pushed.
  assert.deepEqual(text(await ev.read()), ['message', '__keyevent@0__:expired', 'soon']);
  await pub.call('CONFIG', 'SET', 'notify-keyspace-events', '');
  for (const c of [sub, pub, ev]) c.close();
});

test('MONITOR shows other connections\' commands', async () => {
  const mon = await Client.open(bridge.port);
  const c = await Client.open(bridge.port);
  assert.equal(text(await mon.call('MONITOR')), 'OK');
  await c.call('SET', 'm', 'x y');
  const line = text(await mon.read());
  assert.match(line, /^\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "SET" "m" "x y"$/);
  mon.close();
  c.close();
});

test('QUIT and CLIENT KILL close the socket', async () => {
  const q = await Client.open(bridge.port);
  assert.equal(text(await q.call('QUIT')), 'OK');
  assert.equal(await q.read(), null, 'closed after the reply');
  const victim = await Client.open(bridge.port);
  const id = text(await victim.call('CLIENT', 'ID'));
  const killer = await Client.open(bridge.port);
  assert.equal(text(await killer.call('CLIENT', 'KILL', 'ID', id)), '1');
  assert.equal(await victim.read(), null, 'the killed client\'s socket closes');
  killer.close();
});

test('protocol errors get Redis\'s text and close the connection', async () => {
  for (const [bytes, want] of [
    ['*1\r\nx\r\n', "Protocol error: expected '$', got 'x'"],
    ['*abc\r\n', 'Protocol error: invalid multibulk length'],
    ['*1\r\n$-5\r\n', 'Protocol error: invalid bulk length'],
    ['SET "unbalanced\r\n', 'Protocol error: unbalanced quotes in request'],
  ]) {
    const c = await Client.open(bridge.port);
    c.raw(Buffer.from(bytes));
    assert.deepEqual(await c.read(), { type: 'error', value: `ERR ${want}` }, bytes);
    assert.equal(await c.read(), null, `${JSON.stringify(bytes)} closes the connection`);
  }
  const c = await Client.open(bridge.port);
  c.raw(Buffer.concat([Buffer.from([0]), Buffer.alloc(70 * 1024, 'A')]));
  assert.deepEqual(await c.read(), { type: 'error', value: 'ERR Protocol error: too big inline request' });
});

test('the request parser waits for whole requests however the bytes are cut', () => {
  const whole = Buffer.from('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\nPING\r\n');
  for (let cut = 1; cut < whole.length; cut++) {
    const p = new RequestParser({ splitInline: (l) => l.toString().split(' ').map((w) => Buffer.from(w)) });
    const got = [];
    for (const part of [whole.subarray(0, cut), whole.subarray(cut)]) {
      p.push(part);
      for (let r; (r = p.next()); ) got.push(r.argv.map((a) => Buffer.from(a).toString()));
    }
    assert.deepEqual(got, [['SET', 'k', 'hello'], ['PING']], `cut at ${cut}`);
  }
  assert.equal(string2ll(Buffer.from('-0'), 0, 2), null, 'Redis refuses -0');
  assert.equal(string2ll(Buffer.from('007'), 0, 3), null, 'and leading zeros');
  assert.equal(Buffer.concat(encodeReply({ type: 'multi', value: [{ type: 'integer', value: 1 }, { type: 'nil', value: null, array: true }] }, [])).toString(), ':1\r\n*-1\r\n');
});

test('after HELLO 3 the bridge writes RESP3 byte for byte as Redis 7.0.15 does', async () => {
  const c = await Client.open(bridge.port);
  let got = Buffer.alloc(0);
  c.socket.removeAllListeners('data');
  const arrived = (n) => new Promise((resolve) => {
    const check = () => (got.length >= n ? resolve() : c.socket.once('data', (d) => { got = Buffer.concat([got, d]); check(); }));
    check();
  });
  c.send('HELLO', '3');
  await new Promise((resolve) => c.socket.once('data', (d) => { assert.match(d.toString(), /^%7\r\n\$6\r\nserver\r\n\$5\r\nredis\r\n/); resolve(); }));
  for (const t of ['map', 'set', 'double', 'bignum', 'null', 'true', 'verbatim', 'attrib', 'push']) c.send('DEBUG', 'PROTOCOL', t);
  c.send('ZADD', 'zz', '1.5', 'm');
  c.send('ZSCORE', 'zz', 'm');
  c.send('DEL', 'zz');
  // What redis-server 7.0.15 sent for the same requests.
  const want = '%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n~3\r\n:0\r\n:1\r\n:2\r\n,3.141\r\n'
    + '(1234567999999999999999999999999999999\r\n_\r\n#t\r\n=29\r\ntxt:This is a verbatim\nstring\r\n'
    + '|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n$39\r\nSome real reply following the attribute\r\n'
    + '>2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n$40\r\nSome real reply following the push reply\r\n'
    + ':1\r\n,1.5\r\n:1\r\n';
  await arrived(want.length);
  assert.equal(got.toString('latin1'), want);
  c.close();
});
