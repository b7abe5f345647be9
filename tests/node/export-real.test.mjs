// The way out to real Redis: the playground's exports load into a real redis-server (Debian's
// redis-server 7.0, started here on a free loopback port) with the real redis-cli, and the
// keyspace that results is the playground's: every key of every type in every db, the same
// value, the TTL within a second.
//
//   redis-cli -p PORT < redis-playground.redis          (engine.exportScript())
//   redis-cli -p PORT --pipe < redis-playground.resp    (engine.exportResp())
//
// Skipped, loudly, when redis-server or redis-cli is not installed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadPlayground, filledPlayground, dumpKeyspace, engineCall, compareDumps, connectRedis } from './persist-helpers.mjs';

const have = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const missing = ['redis-server', 'redis-cli'].filter((c) => !have(c));
const SKIP = missing.length ? `${missing.join(' and ')} not installed (Debian: apt-get install -y redis-server redis-tools)` : false;
if (SKIP) {
  console.error(`\n*** export-real.test.mjs SKIPPED: ${SKIP} ***\n`);
}

let Playground;
let server = null;
let port = 0;
let redis = null;
let dir = null;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port: p } = s.address();
      s.close(() => resolve(p));
    });
  });
}

async function waitForServer() {
  for (let i = 0; i < 100; i++) {
    try {
      const c = await connectRedis(port);
      const pong = await c.call(['PING']);
      if (pong === 'PONG') return c;
      c.close();
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server did not come up on port ${port}`);
}

before(async () => {
  if (SKIP) return;
  Playground = await loadPlayground();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rp-export-'));
  port = await freePort();
  server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  redis = await waitForServer();
});

after(async () => {
  redis?.close();
  if (server) {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** A playground holding the fixture (every type, TTLs, dbs 0, 3 and 15, awkward values). */
const filled = () => filledPlayground(Playground);

/** Run redis-cli with a file on stdin; resolves with its stdout. */
function redisCli(args, file) {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-cli', ['-p', String(port), ...args], { stdio: [fs.openSync(file, 'r'), 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`redis-cli exited ${code}: ${err}${out.slice(-500)}`))));
  });
}

const realDump = () => dumpKeyspace((argv) => redis.call(argv));

test('the redis-cli script export loads into a real redis-server with `redis-cli < file`', { skip: SKIP }, async () => {
  await redis.call(['FLUSHALL']);
  const p = filled();
  const file = path.join(dir, 'redis-playground.redis');
  const want = await dumpKeyspace(engineCall(p));
  fs.writeFileSync(file, p.exportScript());
  const out = await redisCli([], file);
  assert.doesNotMatch(out, /ERR|WRONGTYPE|Invalid argument/, 'redis-cli printed no error');
  const got = await realDump();
  assert.deepEqual(compareDumps(want, got, { slackMs: 1000 }), []);
  assert.equal(Object.keys(got).length, 34, 'every key of the fixture');
});

test('the RESP export loads into a real redis-server with `redis-cli --pipe`', { skip: SKIP }, async () => {
  await redis.call(['FLUSHALL']);
  const p = filled();
  const file = path.join(dir, 'redis-playground.resp');
  const want = await dumpKeyspace(engineCall(p));
  fs.writeFileSync(file, p.exportResp());
  const out = await redisCli(['--pipe'], file);
  assert.match(out, /errors: 0, replies: \d+/, out);
  const got = await realDump();
  assert.deepEqual(compareDumps(want, got, { slackMs: 1000 }), []);
});

test('an export overwrites keys of the same name in the real server, whatever their type', { skip: SKIP }, async () => {
  await redis.call(['FLUSHALL']);
  await redis.call(['LPUSH', 'plain', 'was a list']);
  await redis.call(['SET', 'hash', 'was a string']);
  const p = filled();
  const file = path.join(dir, 'overwrite.redis');
  const want = await dumpKeyspace(engineCall(p));
  fs.writeFileSync(file, p.exportScript());
  await redisCli([], file);
  assert.deepEqual(compareDumps(want, await realDump(), { slackMs: 1000 }), []);
});

test('what a real redis-server holds comes back in through Import (its keys exported by redis-cli)', { skip: SKIP }, async () => {
  // The round trip the other way: export from the playground, load into Redis, and import
  // the same file into a fresh playground: all three agree.
  await redis.call(['FLUSHALL']);
  const p = filled();
  const script = p.exportScript();
  const file = path.join(dir, 'roundtrip.redis');
  fs.writeFileSync(file, script);
  await redisCli([], file);
  const q = new Playground();
  const r = q.importData(new TextEncoder().encode(script));
  assert.equal(r.errors, 0);
  assert.deepEqual(compareDumps(await realDump(), await dumpKeyspace(engineCall(q)), { slackMs: 1000 }), []);
});
