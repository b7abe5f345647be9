// The RESP bridge: the very wasm module the page loads (www/pkg), served over TCP so that
// redis-cli, redis-benchmark, client libraries and Redis's own test suite can talk to it.
// Each connection is one console (one client) of one world; the world clock follows the
// wall clock, so TTLs expire and blocking commands time out by themselves.
//
//   node scripts/resp/server.mjs [--port 6380] [--host 127.0.0.1]   (scripts/resp-server)
//   const bridge = await startBridge({ port: 0 });  bridge.port;  await bridge.close();
//
// RESP2 with inline commands and pipelining; binary-safe arguments and replies; a blocked
// client's further requests wait until it is served or times out (as in Redis); pushed
// messages (pub/sub, MONITOR, keyspace events) are written as they happen; QUIT, CLIENT
// KILL and protocol errors close the socket; a client that goes away is disconnected from
// the engine (its blocking command, subscriptions and transaction end).

import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RequestParser, encodeReply } from './protocol.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const PKG = path.join(here, '..', '..', 'www', 'pkg');

/** How often the world follows the wall clock while nobody sends anything (ms). */
const TICK_MS = 10;

/** Load the engine and make a world. */
export async function loadPlayground(pkgDir = PKG) {
  const wasmPath = path.join(pkgDir, 'redis_playground_bg.wasm');
  if (!fs.existsSync(wasmPath)) {
    throw new Error(`${wasmPath} is missing: build the engine first (scripts/build)`);
  }
  const mod = await import(path.join(pkgDir, 'redis_playground.js'));
  mod.initSync({ module: fs.readFileSync(wasmPath) });
  return new mod.Playground();
}

/** One TCP connection: a console of the world, and what is waiting to be read or sent. */
class Connection {
  constructor(bridge, socket) {
    this.bridge = bridge;
    this.socket = socket;
    const pg = bridge.pg;
    this.consoleId = pg.openConsole();
    this.console = pg.console(this.consoleId);
    this.parser = new RequestParser({ splitInline: (line) => pg.splitInline(line) });
    this.blocked = false;
    this.closed = false;
    socket.setNoDelay(true);
    socket.on('data', (chunk) => {
      this.parser.push(chunk);
      this.pump();
    });
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  /** Run every complete request received, unless a blocked command holds the connection. */
  pump() {
    const out = [];
    let again = true;
    while (again && !this.blocked && !this.closed) {
      const req = this.parser.next();
      if (req === null) break;
      if (req.error) {
        out.push(Buffer.from(`-ERR ${req.error}\r\n`));
        this.write(out);
        this.close();
        return;
      }
      if (req.argv.length === 0) continue;
      again = this.run(req.argv, out);
    }
    this.write(out);
    this.bridge.deliver(this);
  }

  /** Run one request, appending its reply to `out`; false when the connection must stop. */
  run(argv, out) {
    let reply;
    try {
      reply = this.console.execArgv(argv);
    } catch (e) {
      out.push(Buffer.from(`-ERR ${String(e && e.message ? e.message : e).replace(/[\r\n]/g, ' ')}\r\n`));
      return true;
    }
    if (this.console.mode() === 'blocked') {
      this.blocked = true;
      return false;
    }
    encodeReply(reply, out);
    if (!this.console.isConnected()) {
      // QUIT, or CLIENT KILL of itself: the reply goes out, then the socket closes.
      this.write(out.splice(0));
      this.close();
      return false;
    }
    return true;
  }

  /** Write what the engine pushed to this connection; close it if the server closed it. */
  readPushed() {
    if (this.closed) return;
    if (!this.console.isConnected()) {
      this.close();
      return;
    }
    const out = [];
    for (const r of this.console.takeReplies()) encodeReply(r, out);
    this.write(out);
    if (this.blocked && this.console.mode() !== 'blocked') {
      this.blocked = false;
      setImmediate(() => this.pump());
    }
  }

  write(chunks) {
    if (chunks.length === 0 || this.closed) return;
    this.socket.write(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
  }

  /** Close as Redis does: what was written goes out, then the socket closes both ways
   * (a client still writing gets a reset, not a half-open connection). */
  close() {
    if (this.closed) return;
    this.closed = true;
    this.socket.removeAllListeners('data');
    this.socket.on('error', () => {});
    this.socket.end(() => this.socket.destroy());
    this.bridge.forget(this);
  }
}

/**
 * Serve a world on `host:port` (port 0: any free port). Resolves to
 * `{ port, host, playground, close() }` once listening.
 */
export async function startBridge({ port = 6380, host = '127.0.0.1', pkgDir = PKG, playground } = {}) {
  const pg = playground ?? (await loadPlayground(pkgDir));
  const connections = new Map(); // console id -> Connection
  const bridge = {
    pg,
    /** After any request: everyone the engine pushed something to reads it now. */
    deliver(from) {
      for (const id of pg.consolesWithNews()) {
        const c = connections.get(id);
        if (c && c !== from) c.readPushed();
        else if (c) setImmediate(() => c.readPushed());
      }
    },
    forget(conn) {
      if (!connections.has(conn.consoleId)) return;
      connections.delete(conn.consoleId);
      // The client goes away: its blocking command, subscriptions and transaction end.
      pg.closeConsole(conn.consoleId);
      conn.console.free?.();
    },
  };
  const server = net.createServer((socket) => {
    const conn = new Connection(bridge, socket);
    connections.set(conn.consoleId, conn);
  });
  // Timeouts, expiry and keyspace events happen while nobody writes.
  const ticker = setInterval(() => {
    pg.tick();
    bridge.deliver(null);
  }, TICK_MS);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  return {
    host,
    port: address.port,
    playground: pg,
    close() {
      clearInterval(ticker);
      for (const c of [...connections.values()]) c.close();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function parseArgs(argv) {
  const opts = { port: 6380, host: '127.0.0.1' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port' || a === '-p') opts.port = Number(argv[++i]);
    else if (a === '--host') opts.host = argv[++i];
    else if (a === '--help' || a === '-h') {
      console.log('usage: scripts/resp-server [--port N] [--host ADDR]\n' +
        'Serves the playground engine (www/pkg) over RESP; default 127.0.0.1:6380.');
      process.exit(0);
    } else {
      console.error(`scripts/resp-server: unknown option ${a}`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    console.error('scripts/resp-server: --port takes a number from 0 to 65535');
    process.exit(2);
  }
  return opts;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const opts = parseArgs(process.argv.slice(2));
  try {
    const bridge = await startBridge(opts);
    console.log(`Redis Playground engine serving RESP on ${bridge.host}:${bridge.port} (redis-cli -p ${bridge.port})`);
    const stop = () => bridge.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (e) {
    console.error(`scripts/resp-server: ${e.message}`);
    process.exit(1);
  }
}
