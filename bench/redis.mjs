// Section 2: the same workloads against a real redis-server on loopback, with
// redis-benchmark (-c 50, the default; -P 1 and -P 16): the reference Redis users know.
//
//   node bench/redis.mjs            (scripts/bench redis)
//
// Same shapes as section 1: 10,000 string keys; 10-field hashes user:0..999; LRANGE and
// ZRANGE on a list and a sorted set of 10,000 (prefilled); LPUSH/SADD/ZADD add new members
// to collections of 10,000+. redis-benchmark's __rand_int__ is a 12-digit number, so its
// key names are longer than ours ("key:000000001234" for "key:1234").
import { spawnSync } from 'node:child_process';
import { record, log } from './lib.mjs';
import { haveRedis, startRedis } from './redis-server.mjs';

const SECTION = '2. Real redis-server on loopback (redis-benchmark -c 50, ops/s)';
const SIZE = 10_000;

if (!haveRedis()) {
  log('section 2: SKIPPED — redis-server / redis-benchmark not installed (scripts/bench installs them when root)');
  record({ section: SECTION, name: 'redis-server not installed: skipped', value: null, ok: null });
  process.exit(0);
}

const r = await startRedis();
try {
  const pad = (i) => String(i).padStart(12, '0');
  // Prefill: the same sizes as section 1, under redis-benchmark's key names.
  r.pipeMany(SIZE, (i) => ['SET', `key:${pad(i)}`, 'xxx']);
  r.pipeMany(1000, (u) => ['HSET', `user:${pad(u)}`, ...Array.from({ length: 10 }, (_, f) => [`field:${f}`, 'xxx']).flat()]);
  r.pipe([['RPUSH', 'mylist', ...Array.from({ length: SIZE }, (_, i) => `element:${i}`)]]);
  r.pipe([['SADD', 'myset', ...Array.from({ length: SIZE }, (_, i) => `member:${i}`)]]);
  r.pipe([['ZADD', 'myzset', ...Array.from({ length: SIZE }, (_, i) => [String(i), `member:${i}`]).flat()]]);

  // [name, -r keyspace, command...]. -r 100000000 makes (almost) every add a new member.
  const workloads = [
    ['SET', SIZE, 'SET', 'key:__rand_int__', 'xxx'],
    ['GET', SIZE, 'GET', 'key:__rand_int__'],
    ['INCR', SIZE, 'INCR', 'counter:__rand_int__'],
    ['HSET', 1000, 'HSET', 'user:__rand_int__', 'field:5', 'xxx'],
    ['HGETALL', 1000, 'HGETALL', 'user:__rand_int__'],
    ['LPUSH', 100_000_000, 'LPUSH', 'mylist', 'element:__rand_int__'],
    ['LRANGE 0 99', 1, 'LRANGE', 'mylist', '0', '99'],
    ['SADD', 100_000_000, 'SADD', 'myset', 'member:__rand_int__'],
    ['ZADD', 100_000_000, 'ZADD', 'myzset', '__rand_int__', 'member:__rand_int__'],
    ['ZRANGE 0 99 WITHSCORES', 1, 'ZRANGE', 'myzset', '0', '99', 'WITHSCORES'],
  ];
  const bench = (args, n) => {
    const res = spawnSync('redis-benchmark', ['-p', String(r.port), '-q', '--csv', '-n', String(n), ...args],
      { encoding: 'utf8', timeout: 120_000 });
    // --csv: a header line, then "name","rps",...
    const line = res.stdout.trim().split('\n').filter((l) => /^"/.test(l) && !/^"test"/.test(l)).pop();
    const rps = line ? Number(line.split(',')[1].replace(/"/g, '')) : NaN;
    if (!Number.isFinite(rps)) log(`  redis-benchmark ${args.join(' ')}: ${res.stderr || res.stdout}`);
    return rps;
  };
  log('section 2: redis-benchmark against redis-server on loopback');
  for (const [name, keyspace, ...cmd] of workloads) {
    const heavy = /RANGE/.test(name);
    const p1 = bench(['-P', '1', '-r', String(keyspace), ...cmd], heavy ? 40_000 : 100_000);
    const p16 = bench(['-P', '16', '-r', String(keyspace), ...cmd], heavy ? 100_000 : 500_000);
    record({ section: SECTION, name: `${name} — -P 1`, value: p1, unit: 'ops/s', ok: null, target: 'reference' });
    record({ section: SECTION, name: `${name} — -P 16`, value: p16, unit: 'ops/s', ok: null, target: 'reference' });
  }
  // One connection, one request at a time: what a single client (like one JS caller awaiting
  // each reply) sees, network round trip included.
  const one = bench(['-c', '1', '-P', '1', '-r', String(SIZE), 'GET', 'key:__rand_int__'], 50_000);
  record({ section: SECTION, name: 'GET — one client (-c 1 -P 1)', value: one, unit: 'ops/s', ok: null, target: 'reference' });
} finally {
  await r.stop();
}
