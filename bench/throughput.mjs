// Section 1: command throughput through the JavaScript API in node, side by side with
// ioredis-mock (8.13.1) in the same process, on the same workload: same keys, same values,
// same collection sizes.
//
//   node bench/throughput.mjs            (scripts/bench throughput)
//
// Our engine is measured through both calls of the JavaScript contract: `exec(line)` (a
// console line in, redis-cli's text out) and `execArgv(argv)` (an argument array in, a
// reply tree out). ioredis-mock is measured the way a user calls it: one command at a time,
// each promise awaited. Collections are prefilled to SIZE members with one bulk command;
// the add workloads (LPUSH, SADD, ZADD) then add new members to a collection of SIZE (so it
// grows from SIZE to at most 1.5 × SIZE during a round, on a fresh key each round).
import Redis from 'ioredis-mock';
import { loadEngine, record, log, meter, sideBySide, now, median } from './lib.mjs';

const SIZE = 10_000; // collection size, and the number of distinct keys of the simple workloads
const VALUE = 'xxx'; // redis-benchmark's default 3-byte value

const { Playground } = await loadEngine();
const p = new Playground();
p.pause(); // the world clock stands still: no active-expiry work mixed into the timings
const mock = new Redis();

const range = (n, f) => Array.from({ length: n }, (_, i) => f(i));
const keys = range(SIZE, (i) => `key:${i}`);
const counters = range(SIZE, (i) => `counter:${i}`);
const users = range(1000, (i) => `user:${i}`);
const fields = range(10, (i) => `field:${i}`);
const members = range(SIZE * 2, (i) => `member:${i}`);
const elements = range(SIZE * 2, (i) => `element:${i}`);

// Prefill both engines identically.
for (const k of keys) { p.execArgv(['SET', k, VALUE]); await mock.set(k, VALUE); }
for (const u of users) {
  const pairs = fields.flatMap((f) => [f, VALUE]);
  p.execArgv(['HSET', u, ...pairs]);
  await mock.hset(u, ...pairs);
}
p.execArgv(['RPUSH', 'mylist', ...elements.slice(0, SIZE)]);
await mock.rpush('mylist', ...elements.slice(0, SIZE));
const zpairs = (from, n) => range(n, (i) => [String(from + i), members[from + i]]).flat();
p.execArgv(['ZADD', 'myzset', ...zpairs(0, SIZE)]);
await mock.zadd('myzset', ...zpairs(0, SIZE));

// Simple commands: argv per call index (i cycles through SIZE keys).
const simple = [
  { name: 'SET', argv: (i) => ['SET', keys[i % SIZE], VALUE], mock: (i) => mock.set(keys[i % SIZE], VALUE) },
  { name: 'GET', argv: (i) => ['GET', keys[i % SIZE]], mock: (i) => mock.get(keys[i % SIZE]) },
  { name: 'INCR', argv: (i) => ['INCR', counters[i % SIZE]], mock: (i) => mock.incr(counters[i % SIZE]) },
  {
    name: 'HSET', argv: (i) => ['HSET', users[i % 1000], fields[i % 10], VALUE],
    mock: (i) => mock.hset(users[i % 1000], fields[i % 10], VALUE), size: '10-field hashes',
  },
  {
    name: 'HGETALL', argv: (i) => ['HGETALL', users[i % 1000]],
    mock: (i) => mock.hgetall(users[i % 1000]), size: '10-field hashes',
  },
];
// Reads of a collection of SIZE.
const reads = [
  { name: 'LRANGE 0 99', argv: () => ['LRANGE', 'mylist', '0', '99'], mock: () => mock.lrange('mylist', 0, 99) },
  {
    name: 'ZRANGE 0 99 WITHSCORES', argv: () => ['ZRANGE', 'myzset', '0', '99', 'WITHSCORES'],
    mock: () => mock.zrange('myzset', 0, 99, 'WITHSCORES'),
  },
];
// Adds to a collection of SIZE: fresh key per round, prefilled with `fill(key)`.
const adds = [
  {
    name: 'LPUSH',
    fill: (k) => ['RPUSH', k, ...elements.slice(0, SIZE)],
    mockFill: (k) => mock.rpush(k, ...elements.slice(0, SIZE)),
    argv: (k, i) => ['LPUSH', k, elements[SIZE + i]],
    mock: (k, i) => mock.lpush(k, elements[SIZE + i]),
  },
  {
    name: 'SADD',
    fill: (k) => ['SADD', k, ...members.slice(0, SIZE)],
    mockFill: (k) => mock.sadd(k, ...members.slice(0, SIZE)),
    argv: (k, i) => ['SADD', k, members[SIZE + i]],
    mock: (k, i) => mock.sadd(k, members[SIZE + i]),
  },
  {
    name: 'ZADD',
    fill: (k) => ['ZADD', k, ...zpairs(0, SIZE)],
    mockFill: (k) => mock.zadd(k, ...zpairs(0, SIZE)),
    argv: (k, i) => ['ZADD', k, String(SIZE + i), members[SIZE + i]],
    mock: (k, i) => mock.zadd(k, String(SIZE + i), members[SIZE + i]),
  },
];

const toLine = (argv) => argv.join(' '); // no argument here needs quoting

// Both engines must do the work asked: check one reply of each workload before timing.
async function check(name, argv, mockCall) {
  const text = p.exec(toLine(argv));
  const tree = p.execArgv(argv);
  const m = await mockCall();
  const n = (x) => (Array.isArray(x) ? x.length : x && typeof x === 'object' ? Object.keys(x).length * 2 : 1);
  const ours = tree.type === 'array' ? tree.value.length : 1;
  if (text.startsWith('(error)') || tree.type === 'error' || ours !== n(m)) {
    throw new Error(`${name}: the engines disagree: ${text.slice(0, 80)} / ${JSON.stringify(m).slice(0, 80)}`);
  }
}
for (const w of simple) await check(w.name, w.argv(0), () => w.mock(0));
for (const w of reads) await check(w.name, w.argv(), () => w.mock());
const SECTION = '1. Throughput in node (ops/s)';
const simpleTarget = { argv: '≥ 1× ioredis-mock' };

function row(name, api, value, mockOps, target, ok, size) {
  record({
    section: SECTION, name: `${name} — ${api}`, value, unit: 'ops/s',
    ref: mockOps, refLabel: `ioredis-mock${size ? ` (${size})` : ''}`, ratio: value / mockOps,
    target: target ?? '', ok: ok ?? null,
  });
}

log(`section 1: throughput (collections of ${SIZE.toLocaleString('en-US')})`);
for (const w of simple) {
  const argvs = range(SIZE, w.argv);
  const lines = argvs.map(toLine);
  const [viaExec, viaArgv, viaMock] = await sideBySide([
    meter((i) => p.exec(lines[i % SIZE])),
    meter((i) => p.execArgv(argvs[i % SIZE])),
    meter(w.mock, { isAsync: true }),
  ]);
  if (w.name === 'GET') row(w.name, 'exec', viaExec, viaMock, '≥ 2,000,000 ops/s', viaExec >= 2_000_000, w.size);
  else row(w.name, 'exec', viaExec, viaMock, '', null, w.size);
  row(w.name, 'execArgv', viaArgv, viaMock, simpleTarget.argv, viaArgv >= viaMock, w.size);
}

const collTarget = '≥ 100× ioredis-mock';
const sizeLabel = `${SIZE.toLocaleString('en-US')} members`;
for (const w of reads) {
  const argv = w.argv();
  const line = toLine(argv);
  const [viaExec, viaArgv, viaMock] = await sideBySide([
    meter(() => p.exec(line)),
    meter(() => p.execArgv(argv)),
    meter(w.mock, { isAsync: true, roundMs: 250 }),
  ], 4);
  row(w.name, 'exec', viaExec, viaMock, collTarget, viaExec >= 100 * viaMock, sizeLabel);
  row(w.name, 'execArgv', viaArgv, viaMock, collTarget, viaArgv >= 100 * viaMock, sizeLabel);
}

// ioredis-mock copies a whole list to read it (LRANGE is O(n) there), so the ratio grows
// with the list: the same read on a list of 10 × SIZE shows how.
{
  const BIG = SIZE * 10;
  const big = range(BIG, (i) => `element:${i}`);
  for (let i = 0; i < BIG; i += SIZE) { // in chunks: a 100,000-argument call overflows ioredis-mock's stack
    p.execArgv(['RPUSH', 'biglist', ...big.slice(i, i + SIZE)]);
    await mock.rpush('biglist', ...big.slice(i, i + SIZE));
  }
  const argv = ['LRANGE', 'biglist', '0', '99'];
  const [viaExec, viaArgv, viaMock] = await sideBySide([
    meter(() => p.exec(toLine(argv))),
    meter(() => p.execArgv(argv)),
    meter(() => mock.lrange('biglist', 0, 99), { isAsync: true, roundMs: 250 }),
  ], 4);
  const label = `${BIG.toLocaleString('en-US')} members`;
  row('LRANGE 0 99', 'exec', viaExec, viaMock, collTarget, viaExec >= 100 * viaMock, label);
  row('LRANGE 0 99', 'execArgv', viaArgv, viaMock, collTarget, viaArgv >= 100 * viaMock, label);
}

/**
 * Adds/s on fresh keys prefilled to SIZE, side by side: each round, every engine in turn
 * fills a fresh key and times up to `perRound` adds to it (or `capMs`). `prepare(key)`
 * builds the round's calls outside the timing and returns add(i). Median of the rounds
 * (the first round, which also warms the JIT up, is dropped).
 */
async function addRates(engines, rounds, tag) {
  const rates = engines.map(() => []);
  for (let r = 0; r <= rounds; r++) {
    for (const [k, e] of engines.entries()) {
      const key = `${tag}:${k}:${r}`;
      await e.fill(key);
      const add = e.prepare(key);
      let n = 0;
      const t = now();
      if (e.isAsync) {
        while (n < e.perRound && now() - t < e.capMs) await add(n++);
      } else {
        while (n < e.perRound) add(n++);
      }
      if (r > 0) rates[k].push((n / (now() - t)) * 1000);
    }
  }
  return rates.map(median);
}

const PER_ROUND = SIZE / 2;
for (const w of adds) {
  const tag = w.name.toLowerCase();
  const [viaExec, viaArgv, viaMock] = await addRates([
    {
      fill: (k) => p.execArgv(w.fill(k)), perRound: PER_ROUND,
      prepare: (k) => {
        const lines = range(PER_ROUND, (i) => toLine(w.argv(k, i)));
        return (i) => p.exec(lines[i]);
      },
    },
    {
      fill: (k) => p.execArgv(w.fill(k)), perRound: PER_ROUND,
      prepare: (k) => {
        const argvs = range(PER_ROUND, (i) => w.argv(k, i));
        return (i) => p.execArgv(argvs[i]);
      },
    },
    {
      fill: (k) => w.mockFill(k), perRound: PER_ROUND, isAsync: true, capMs: 400,
      prepare: (k) => (i) => w.mock(k, i),
    },
  ], 4, tag);
  row(w.name, 'exec', viaExec, viaMock, collTarget, viaExec >= 100 * viaMock, sizeLabel);
  row(w.name, 'execArgv', viaArgv, viaMock, collTarget, viaArgv >= 100 * viaMock, sizeLabel);
}
