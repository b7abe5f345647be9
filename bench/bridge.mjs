// Section: redis-benchmark against the RESP bridge (scripts/resp-server: the wasm engine in
// node, over TCP) beside a real redis-server on the same machine, the same commands and
// options for both: ops/s per command and the bridge's share of Redis's figure.
//
//   node bench/bridge.mjs            (scripts/bench bridge)
import { spawn } from 'node:child_process';
import { record, log, PKG } from './lib.mjs';
import { haveRedis, startRedis } from './redis-server.mjs';
import { startBridge } from '../scripts/resp/server.mjs';

const SECTION = 'RESP bridge vs redis-server (redis-benchmark -c 50, ops/s)';

if (!haveRedis()) {
  log('bridge section: SKIPPED — redis-server / redis-benchmark not installed');
  record({ section: SECTION, name: 'redis-server not installed: skipped', value: null, ok: null });
  process.exit(0);
}

// Asynchronous: the bridge runs in this process, and must keep serving meanwhile.
const bench = (port, args, n) => new Promise((resolve) => {
  const child = spawn('redis-benchmark', ['-p', String(port), '-q', '--csv', '-n', String(n), ...args]);
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  child.on('close', () => {
    const line = out.trim().split('\n').filter((l) => /^"/.test(l) && !/^"test"/.test(l)).pop();
    const rps = line ? Number(line.split(',')[1].replace(/"/g, '')) : NaN;
    if (!Number.isFinite(rps)) log(`  redis-benchmark ${args.join(' ')}: ${err || out}`);
    resolve(rps);
  });
});

const workloads = [
  ['SET', 'SET', 'key:__rand_int__', 'xxx'],
  ['GET', 'GET', 'key:__rand_int__'],
  ['INCR', 'INCR', 'counter:__rand_int__'],
  ['LPUSH', 'LPUSH', 'mylist', 'element:__rand_int__'],
  ['HSET', 'HSET', 'user:__rand_int__', 'field:5', 'xxx'],
];

const redis = await startRedis();
const bridge = await startBridge({ port: 0, pkgDir: PKG });
try {
  for (const [name, ...cmd] of workloads) {
    for (const [p, n] of [['1', 20_000], ['16', 100_000]]) {
      const args = ['-P', p, '-r', '10000', ...cmd];
      const real = await bench(redis.port, args, n);
      const ours = await bench(bridge.port, args, n);
      record({
        section: SECTION, name: `${name} — -P ${p}`, value: ours, unit: 'ops/s',
        ref: real, refLabel: 'redis-server', ratio: ours / real, ok: null, target: 'reference',
      });
    }
  }
} finally {
  await bridge.close();
  await redis.stop();
}
