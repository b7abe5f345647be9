// Named workloads on one Playground, for bench/profile.mjs and bench/ab.mjs: prefills the
// same data as section 1 (10,000 keys, 1,000 10-field hashes, a list and a sorted set of
// 10,000) and returns { name: fn(i) }.
export function workloads(p) {
  p.pause();
  for (let i = 0; i < 10_000; i++) p.execArgv(['SET', `key:${i}`, 'xxx']);
  const pairs = Array.from({ length: 10 }, (_, f) => [`field:${f}`, 'xxx']).flat();
  for (let i = 0; i < 1000; i++) p.execArgv(['HSET', `user:${i}`, ...pairs]);
  p.execArgv(['RPUSH', 'mylist', ...Array.from({ length: 10_000 }, (_, i) => `element:${i}`)]);
  p.execArgv(['ZADD', 'myzset', ...Array.from({ length: 10_000 }, (_, i) => [String(i), `member:${i}`]).flat()]);
  const lines = Array.from({ length: 10_000 }, (_, i) => `GET key:${i}`);
  const argvs = Array.from({ length: 10_000 }, (_, i) => ['GET', `key:${i}`]);
  const sets = Array.from({ length: 10_000 }, (_, i) => `SET key:${i} xxx`);
  const setArgvs = Array.from({ length: 10_000 }, (_, i) => ['SET', `key:${i}`, 'xxx']);
  const incrArgvs = Array.from({ length: 10_000 }, (_, i) => ['INCR', `counter:${i}`]);
  return {
    'exec-get': (i) => p.exec(lines[i % 10_000]),
    'argv-get': (i) => p.execArgv(argvs[i % 10_000]),
    'exec-set': (i) => p.exec(sets[i % 10_000]),
    'argv-set': (i) => p.execArgv(setArgvs[i % 10_000]),
    'argv-incr': (i) => p.execArgv(incrArgvs[i % 10_000]),
    'argv-hgetall': (i) => p.execArgv(['HGETALL', `user:${i % 1000}`]),
    'exec-hgetall': (i) => p.exec(`HGETALL user:${i % 1000}`),
    'exec-lrange': () => p.exec('LRANGE mylist 0 99'),
    'argv-lrange': () => p.execArgv(['LRANGE', 'mylist', '0', '99']),
    'exec-zrange': () => p.exec('ZRANGE myzset 0 99 WITHSCORES'),
    'argv-zrange': () => p.execArgv(['ZRANGE', 'myzset', '0', '99', 'WITHSCORES']),
    'exec-ping': () => p.exec('PING'),
  };
}
