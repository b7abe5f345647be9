// "The code behind it": for each way of running the retries, the worker a learner would
// write, in Python (redis-py) and in JavaScript (node-redis 4), and which line sends each
// command the simulation logs. Data only (no DOM); code-state.js reads it, code.js shows it.
//
// A program: { text, rules, quiet? }.
//   rules: the first that fits a logged command names its line —
//     { cmd, at, note?, reply?, actor?, arg?, prev? }
//       cmd    the command's name (MONITOR's first word, upper case)
//       at     text found on exactly one line of the program: that line sent it
//       reply  a RegExp the reply text (`(integer) -2`, `(nil)`, `["order:1"]`) must match
//       actor  a RegExp the connection's name (`app`, `poller-1`, `worker-2`) must match
//       arg    [i, RegExp]: argument i (1-based) must match
//       prev   the previous command of the same connection had this name
//       note   what the reply means here, for the caption
//   quiet: text on lines that send a command the simulation does not (it keeps each order's
//     retry count itself instead of reading it back).
//
// The polling program in Python starts from the seed's own loop (redis-notes.zh.md): the
// same names and messages; changed only where it could not run as written — the seed reads
// GET first, which answers None once the key has expired, so its loop stopped at the very
// moment it should retry. Here TTL alone decides (-2: the key is gone).

/** The programs' strategies, as the select lists them: `sim` is the log's strategy, `claim` the queue's claim mode. */
export const CODE_STRATEGIES = [
  { id: 'polling', sim: 'polling', label: 'Polling TTL (db 10)' },
  { id: 'events', sim: 'events', label: 'Expired events (db 11)' },
  { id: 'queue-perEntry', sim: 'queue', claim: 'perEntry', label: 'Delayed queue, ZREM per entry (db 12)' },
  { id: 'queue-transaction', sim: 'queue', claim: 'transaction', label: 'Delayed queue, MULTI/WATCH (db 12)' },
  { id: 'queue-lua', sim: 'queue', claim: 'lua', label: 'Delayed queue, one Lua script (db 12)' },
  { id: 'stream', sim: 'stream', label: 'Stream and consumer group (db 13)' },
];

export const LANGUAGES = [
  { id: 'python', label: 'Python (redis-py)' },
  { id: 'javascript', label: 'JavaScript (node-redis 4)' },
];

/**
 * A command the simulation logs, named where a program sends it (the one-table test lets
 * `sent(…)` name commands: this pairs client calls with logged commands, no facts about them).
 */
const sent = (text) => text;

/**
 * The client method each command is sent with, per language (what a rule's line must contain).
 * SELECT is the client's own: redis-py and node-redis send it when they connect to a database.
 */
export const METHODS = { python: {}, javascript: {} };
for (const spec of [
  sent('SETEX setex setEx'), sent('TTL ttl ttl'), sent('INCR incr incr'), sent('DEL delete del'), sent('GET get get'),
  sent('SUBSCRIBE subscribe subscribe'), sent('ZADD zadd zAdd'), sent('ZRANGEBYSCORE zrangebyscore zRangeByScore'),
  sent('ZREM zrem zRem'), sent('WATCH watch watch'), sent('UNWATCH unwatch unwatch'), sent('MULTI multi multi'),
  sent('EXEC execute exec'), sent('EVALSHA evalsha evalSha'), sent('EVAL eval eval'), sent('XADD xadd xAdd'),
  sent('XREADGROUP xreadgroup xReadGroup'), sent('XAUTOCLAIM xautoclaim xAutoClaim'), sent('XPENDING xpending_range xPendingRange'),
  sent('XACK xack xAck'), sent('XDEL xdel xDel'), sent('SELECT db= database:'),
]) {
  const [name, python, javascript] = spec.split(' ');
  METHODS.python[name] = python;
  METHODS.javascript[name] = javascript;
}

const EXPIRED = /^\(integer\) -2$/;
const WAITING = /^\(integer\) (-1|\d+)$/;

// --- polling (db 10) -----------------------------------------------------------------------------

const pollingPy = `import redis
import time

# 连接到 Redis (the simulation's polling database is 10)
r = redis.Redis(host='localhost', port=6379, db=10, decode_responses=True)

INTERVALS = [300, 600, 900, 7200, 14400, 21600]  # 5min/10min/15min/2h/4h/6h
MAX_RETRIES = 6
operation_id = "order:123"
retries = 0

# the push failed: retry it in 5 minutes
r.setex(operation_id, INTERVALS[0], "pending")

# 处理重推逻辑
while True:
    expiration_time = r.ttl(operation_id)
    if expiration_time == -2:  # the key expired: time to retry
        print("Retrying operation...")
        ok = push(operation_id)  # your code: send the order again
        retries += 1
        if ok or retries >= MAX_RETRIES:
            print("Operation completed or exceeded maximum retries.")
            r.delete(operation_id, operation_id + ":retry_count")
            break
        # 更新重推次数, and wait for the next interval
        r.incr(operation_id + ":retry_count")
        r.setex(operation_id, INTERVALS[min(retries, len(INTERVALS) - 1)], "pending")
    else:
        print(f"Waiting for {expiration_time} seconds before retrying...")
    time.sleep(1)  # 等待一秒钟再次检查
`;

const pollingJs = `import { createClient } from 'redis';

const client = createClient({ database: 10 });
await client.connect();

const INTERVALS = [300, 600, 900, 7200, 14400, 21600]; // seconds: 5 min … 6 h
const MAX_RETRIES = 6;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const id = 'order:123';
let retries = 0;

// The push failed: retry it in 5 minutes.
await client.setEx(id, INTERVALS[0], 'pending');

while (true) {
  const ttl = await client.ttl(id);
  if (ttl === -2) { // the key expired: time to retry
    const ok = await push(id); // your code: send the order again
    retries += 1;
    if (ok || retries >= MAX_RETRIES) { // done, or given up
      await client.del([id, \`\${id}:retry_count\`]);
      break;
    }
    await client.incr(\`\${id}:retry_count\`);
    await client.setEx(id, INTERVALS[Math.min(retries, INTERVALS.length - 1)], 'pending');
  } else {
    console.log(\`Waiting for \${ttl} seconds before retrying...\`);
  }
  await sleep(1000); // look again in a second
}
await client.quit();
`;

const pollingRules = (m) => [
  { cmd: sent('SETEX'), actor: /^app$/, at: m.first, note: 'the first attempt failed: the key waits out the first interval' },
  { cmd: sent('SETEX'), at: m.again, note: 'the retry failed: the key waits out the next interval' },
  { cmd: sent('TTL'), reply: EXPIRED, at: m.ttl, note: 'TTL answered -2: the key is gone, its wait is over, so this poller retries now' },
  { cmd: sent('TTL'), reply: WAITING, at: m.ttl, note: 'TTL answered the seconds left: not yet, look again later' },
  { cmd: sent('TTL'), at: m.ttl },
  { cmd: sent('INCR'), at: m.incr, note: 'one more retry counted' },
  { cmd: sent('DEL'), at: m.del, note: 'it succeeded, or that was the last retry: both keys go' },
];

// --- expired events (db 11) ----------------------------------------------------------------------

const eventsPy = `import redis

r = redis.Redis(db=11, decode_responses=True)
r.config_set("notify-keyspace-events", "Ex")  # publish expired events
INTERVALS = [300, 600, 900, 7200, 14400, 21600]
MAX_RETRIES = 6

def failed(order_id):  # the app, when a push fails
    r.setex(order_id, INTERVALS[0], "pending")

def listen():  # each listener runs this
    p = r.pubsub()
    p.subscribe("__keyevent@11__:expired")
    for message in p.listen():
        if message["type"] != "message":
            continue
        order_id = message["data"]  # the key that just expired
        rc = order_id + ":retry_count"
        retries = int(r.get(rc) or 0) + 1
        if push(order_id) or retries >= MAX_RETRIES:
            r.delete(order_id, rc)  # done, or given up
        else:
            r.incr(rc)
            r.setex(order_id, INTERVALS[min(retries, len(INTERVALS) - 1)], "pending")
`;

const eventsJs = `import { createClient } from 'redis';

const client = createClient({ database: 11 });
await client.connect();
await client.configSet('notify-keyspace-events', 'Ex'); // publish expired events
const INTERVALS = [300, 600, 900, 7200, 14400, 21600];
const MAX_RETRIES = 6;

export async function failed(id) { // the app, when a push fails
  await client.setEx(id, INTERVALS[0], 'pending');
}

// Each listener: a second connection, because a subscribed one can't send commands.
const sub = client.duplicate();
await sub.connect();
await sub.subscribe('__keyevent@11__:expired', async (id) => {
  const rc = \`\${id}:retry_count\`;
  const retries = Number(await client.get(rc) ?? 0) + 1;
  if (await push(id) || retries >= MAX_RETRIES) {
    await client.del([id, rc]); // done, or given up
  } else {
    await client.incr(rc);
    await client.setEx(id, INTERVALS[Math.min(retries, INTERVALS.length - 1)], 'pending');
  }
});
`;

const eventsRules = (m) => [
  { cmd: sent('SETEX'), actor: /^app$/, at: m.first, note: 'the first attempt failed: the key lives for the first interval, then expires' },
  { cmd: sent('SETEX'), at: m.again, note: 'the retry failed: the key lives for the next interval' },
  { cmd: sent('SUBSCRIBE'), at: m.sub, note: 'Redis will push every key of db 11 that expires' },
  { cmd: sent('INCR'), at: m.incr, note: 'an expired event arrived and the retry failed: one more counted' },
  { cmd: sent('DEL'), at: m.del, note: 'an expired event arrived: it succeeded, or that was the last retry' },
];

// --- the delayed queue (db 12) -------------------------------------------------------------------

const queueHead = `import time
import redis

r = redis.Redis(db=12, decode_responses=True)
QUEUE = "retry"  # a sorted set: the order, scored by when it is due (ms)
INTERVALS = [300, 600, 900, 7200, 14400, 21600]
MAX_RETRIES = 6

def schedule(order_id, retries=0):  # the app calls it when a push fails
    delay = INTERVALS[min(retries, len(INTERVALS) - 1)]
    r.zadd(QUEUE, {order_id: int(time.time() * 1000) + delay * 1000})

def handle(order_id):
    rc = order_id + ":retry_count"
    retries = int(r.get(rc) or 0) + 1
    if push(order_id) or retries >= MAX_RETRIES:
        r.delete(rc)  # done, or given up
    else:
        r.incr(rc)
        schedule(order_id, retries)
`;

const queuePerEntryPy = `${queueHead}
while True:  # every worker runs this loop
    now = int(time.time() * 1000)
    due = r.zrangebyscore(QUEUE, "-inf", now, start=0, num=100)
    for order_id in due:
        if r.zrem(QUEUE, order_id) == 1:  # 1: this worker took it
            handle(order_id)
    time.sleep(1)
`;

const queueTransactionPy = `${queueHead.replace('import redis\n', 'import redis\nfrom redis.exceptions import WatchError\n')}
while True:  # every worker runs this loop
    with r.pipeline() as pipe:
        try:
            pipe.watch(QUEUE)
            now = int(time.time() * 1000)
            due = pipe.zrangebyscore(QUEUE, "-inf", now, start=0, num=100)
            if not due:
                pipe.unwatch()
                time.sleep(1)
                continue
            pipe.multi()
            pipe.zrem(QUEUE, *due)
            pipe.execute()  # WatchError if another worker changed the queue
        except WatchError:
            continue  # lost the race: look again at once
    for order_id in due:
        handle(order_id)
`;

const queueLuaPy = `${queueHead.replace('import time\n', 'import hashlib\nimport time\n').replace('import redis\n', 'import redis\nfrom redis.exceptions import NoScriptError\n')}
CLAIM = """local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
if #due > 0 then redis.call('ZREM', KEYS[1], unpack(due)) end
return due"""
SHA = hashlib.sha1(CLAIM.encode()).hexdigest()

while True:  # every worker runs this loop
    now = int(time.time() * 1000)
    try:
        due = r.evalsha(SHA, 1, QUEUE, now, 100)
    except NoScriptError:  # not in the script cache (yet): send it whole
        due = r.eval(CLAIM, 1, QUEUE, now, 100)
    for order_id in due:
        handle(order_id)
    time.sleep(1)
`;

const queueHeadJs = `import { createClient } from 'redis';

const client = createClient({ database: 12 }); // one connection per worker
await client.connect();
const QUEUE = 'retry'; // a sorted set: the order, scored by when it is due (ms)
const INTERVALS = [300, 600, 900, 7200, 14400, 21600];
const MAX_RETRIES = 6;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function schedule(id, retries = 0) { // the app calls it when a push fails
  const delay = INTERVALS[Math.min(retries, INTERVALS.length - 1)];
  await client.zAdd(QUEUE, { score: Date.now() + delay * 1000, value: id });
}
async function handle(id) {
  const rc = \`\${id}:retry_count\`;
  const retries = Number(await client.get(rc) ?? 0) + 1;
  if (await push(id) || retries >= MAX_RETRIES) return client.del(rc); // done, or given up
  await client.incr(rc);
  await schedule(id, retries);
}
`;

const FETCH_JS = `await client.zRangeByScore(QUEUE, '-inf', Date.now(), { LIMIT: { offset: 0, count: 100 } })`;

const queuePerEntryJs = `${queueHeadJs}
while (true) { // every worker runs this loop
  const due = ${FETCH_JS};
  for (const id of due) {
    if (await client.zRem(QUEUE, id) === 1) await handle(id); // 1: this worker took it
  }
  await sleep(1000);
}
`;

const queueTransactionJs = `${queueHeadJs.replace("import { createClient } from 'redis';", "import { createClient, WatchError } from 'redis';")}async function claim() { // WATCH, then EXEC on the same connection
  await client.watch(QUEUE);
  const due = ${FETCH_JS};
  if (due.length === 0) { await client.unwatch(); return []; }
  try {
    await client.multi()
      .zRem(QUEUE, due)
      .exec(); // WatchError if another worker changed the queue: nothing removed
    return due;
  } catch (err) {
    if (err instanceof WatchError) return claim(); // lost the race: look again
    throw err;
  }
}

while (true) { // every worker runs this loop
  const due = await claim();
  for (const id of due) await handle(id);
  if (!due.length) await sleep(1000);
}
`;

const queueLuaJs = `${queueHeadJs.replace("import { createClient } from 'redis';", "import { createHash } from 'node:crypto';\nimport { createClient } from 'redis';")}
const CLAIM = \`local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
if #due > 0 then redis.call('ZREM', KEYS[1], unpack(due)) end
return due\`;
const SHA = createHash('sha1').update(CLAIM).digest('hex');

while (true) { // every worker runs this loop
  const options = { keys: [QUEUE], arguments: [String(Date.now()), '100'] };
  let due;
  try {
    due = await client.evalSha(SHA, options);
  } catch (err) { // NOSCRIPT: not in the script cache (yet): send it whole
    if (!String(err.message).startsWith('NOSCRIPT')) throw err;
    due = await client.eval(CLAIM, options);
  }
  for (const id of due) await handle(id);
  await sleep(1000);
}
`;

const queueCommon = (m) => [
  { cmd: sent('ZADD'), at: m.zadd, note: 'the order waits in the sorted set, scored by when it is due' },
  { cmd: sent('INCR'), at: m.incr, note: 'the retry failed: one more counted, and the order goes back in the queue' },
  { cmd: sent('DEL'), at: m.del, note: 'it succeeded, or that was the last retry: the count goes' },
];

// --- the stream (db 13) ----------------------------------------------------------------------------

const streamPy = `import time
import redis

r = redis.Redis(db=13, decode_responses=True)
MAX_RETRIES = 6
MIN_IDLE_MS = 300_000  # a delivery left unacknowledged this long is retried

def failed(order_id):  # the app, when a push fails
    r.xadd("orders", {"order": order_id})

def worker(name):  # the first attempt: read, fail, leave it pending
    for _, entries in r.xreadgroup("workers", name, {"orders": ">"}, count=1):
        for entry_id, fields in entries:
            push(fields["order"])  # fails: no XACK, so it stays pending

while True:  # the reclaimer
    _, claimed, *_ = r.xautoclaim("orders", "workers", "reclaimer", MIN_IDLE_MS, "0-0", count=100)
    if claimed:
        first, last = claimed[0][0], claimed[-1][0]
        pending = r.xpending_range("orders", "workers", first, last, len(claimed), consumername="reclaimer")
        deliveries = {p["message_id"]: p["times_delivered"] for p in pending}
    for entry_id, fields in claimed:
        if push(fields["order"]):
            r.xack("orders", "workers", entry_id)
            r.xdel("orders", entry_id)
        elif deliveries[entry_id] > MAX_RETRIES:  # the first delivery + every retry
            r.xadd("orders:dead", {"order": fields["order"], "deliveries": deliveries[entry_id]})
            r.xdel("orders", entry_id)  # the dead letter keeps the order
            r.xack("orders", "workers", entry_id)  # given up: out of the pending list
    time.sleep(1)
`;

const streamJs = `import { createClient } from 'redis';

const client = createClient({ database: 13 });
await client.connect();
const MAX_RETRIES = 6;
const MIN_IDLE_MS = 300_000; // a delivery left unacknowledged this long is retried
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function failed(id) { // the app, when a push fails
  await client.xAdd('orders', '*', { order: id });
}

export async function worker(name) { // the first attempt: read, fail, leave it pending
  const streams = await client.xReadGroup('workers', name, { key: 'orders', id: '>' }, { COUNT: 1 });
  for (const { messages } of streams ?? []) {
    for (const { message } of messages) await push(message.order); // fails: no XACK
  }
}

while (true) { // the reclaimer
  const { messages } = await client.xAutoClaim('orders', 'workers', 'reclaimer', MIN_IDLE_MS, '0-0', { COUNT: 100 });
  const claimed = messages.filter(Boolean);
  const deliveries = new Map();
  if (claimed.length > 0) {
    const pending = await client.xPendingRange('orders', 'workers', claimed[0].id, claimed.at(-1).id, claimed.length, { consumer: 'reclaimer' });
    for (const p of pending) deliveries.set(p.id, p.deliveriesCounter);
  }
  for (const { id, message } of claimed) {
    if (await push(message.order)) {
      await client.xAck('orders', 'workers', id);
      await client.xDel('orders', id);
    } else if (deliveries.get(id) > MAX_RETRIES) { // the first delivery + every retry
      await client.xAdd('orders:dead', '*', { order: message.order, deliveries: String(deliveries.get(id)) });
      await client.xDel('orders', id); // the dead letter keeps the order
      await client.xAck('orders', 'workers', id); // given up: out of the pending list
    }
  }
  await sleep(1000);
}
`;

const streamRules = (m) => [
  { cmd: sent('XADD'), arg: [1, /^orders:dead$/], at: m.dead, note: 'the last retry failed: the order goes to the dead-letter stream' },
  { cmd: sent('XADD'), at: m.add, note: 'the first attempt failed: the order goes into the stream' },
  { cmd: sent('XREADGROUP'), at: m.read, note: 'a worker takes a new entry; its attempt fails and it stays pending (no XACK)' },
  { cmd: sent('XAUTOCLAIM'), at: m.claim, note: 'entries idle longer than the retry delay move to the reclaimer: each is one retry' },
  { cmd: sent('XPENDING'), at: m.pending, note: 'how many times each claimed entry was delivered' },
  { cmd: sent('XDEL'), prev: sent('XADD'), at: m.deadDel, note: 'given up: removed from the stream (the dead letter keeps it)' },
  { cmd: sent('XACK'), prev: sent('XDEL'), at: m.deadAck, note: 'given up: acknowledged so it leaves the pending list' },
  { cmd: sent('XACK'), at: m.ack, note: 'the retry succeeded: acknowledged' },
  { cmd: sent('XDEL'), at: m.del, note: 'and removed from the stream' },
];

// --- the table ----------------------------------------------------------------------------------

const lua = (m) => [
  { cmd: sent('EVALSHA'), reply: /^\(error\) NOSCRIPT/, at: m.evalsha, note: 'NOSCRIPT: the script is not in the cache; the worker sends it whole' },
  { cmd: sent('EVALSHA'), at: m.evalsha, note: 'one call takes every due order atomically: no other worker can take the same ones' },
  { cmd: sent('EVAL'), at: m.eval, note: 'the whole script, which Redis also caches for the next EVALSHA' },
];

const RAW = {
  polling: {
    python: {
      text: pollingPy,
      rules: pollingRules({ first: 'r.setex(operation_id, INTERVALS[0]', again: 'r.setex(operation_id, INTERVALS[min(', ttl: 'r.ttl(', incr: 'r.incr(', del: 'r.delete(' }),
    },
    javascript: {
      text: pollingJs,
      rules: pollingRules({ first: 'client.setEx(id, INTERVALS[0]', again: 'client.setEx(id, INTERVALS[Math.min(', ttl: 'client.ttl(', incr: 'client.incr(', del: 'client.del(' }),
    },
  },
  events: {
    python: {
      text: eventsPy,
      quiet: ['r.get('],
      rules: eventsRules({ first: 'r.setex(order_id, INTERVALS[0]', again: 'r.setex(order_id, INTERVALS[min(', sub: 'p.subscribe(', incr: 'r.incr(', del: 'r.delete(' }),
    },
    javascript: {
      text: eventsJs,
      quiet: ['client.get('],
      rules: eventsRules({ first: 'client.setEx(id, INTERVALS[0]', again: 'client.setEx(id, INTERVALS[Math.min(', sub: 'sub.subscribe(', incr: 'client.incr(', del: 'client.del(' }),
    },
  },
  'queue-perEntry': {
    python: {
      text: queuePerEntryPy,
      quiet: ['r.get('],
      rules: [
        ...queueCommon({ zadd: 'r.zadd(', incr: 'r.incr(', del: 'r.delete(' }),
        { cmd: sent('ZRANGEBYSCORE'), at: 'r.zrangebyscore(', note: 'every worker reads the orders that are due' },
        { cmd: sent('ZREM'), reply: /^\(integer\) 1$/, at: 'r.zrem(', note: 'ZREM answered 1: this worker removed it, so this worker retries it' },
        { cmd: sent('ZREM'), at: 'r.zrem(', note: 'ZREM answered 0: another worker took it first; skip it' },
      ],
    },
    javascript: {
      text: queuePerEntryJs,
      quiet: ['client.get('],
      rules: [
        ...queueCommon({ zadd: 'client.zAdd(', incr: 'client.incr(', del: 'client.del(' }),
        { cmd: sent('ZRANGEBYSCORE'), at: 'client.zRangeByScore(', note: 'every worker reads the orders that are due' },
        { cmd: sent('ZREM'), reply: /^\(integer\) 1$/, at: 'client.zRem(', note: 'ZREM answered 1: this worker removed it, so this worker retries it' },
        { cmd: sent('ZREM'), at: 'client.zRem(', note: 'ZREM answered 0: another worker took it first; skip it' },
      ],
    },
  },
  'queue-transaction': {
    python: {
      text: queueTransactionPy,
      quiet: ['r.get('],
      rules: [
        ...queueCommon({ zadd: 'r.zadd(', incr: 'r.incr(', del: 'r.delete(' }),
        { cmd: sent('WATCH'), at: 'pipe.watch(', note: 'EXEC will fail if anyone changes the queue from now on' },
        { cmd: sent('ZRANGEBYSCORE'), at: 'pipe.zrangebyscore(', note: 'the orders that are due' },
        { cmd: sent('UNWATCH'), at: 'pipe.unwatch(', note: 'nothing is due: stop watching' },
        { cmd: sent('MULTI'), at: 'pipe.multi(', note: 'the transaction starts' },
        { cmd: sent('ZREM'), at: 'pipe.zrem(', note: 'queued: removes them all when EXEC runs' },
        { cmd: sent('EXEC'), reply: /^\(nil\)$/, at: 'pipe.execute(', note: 'EXEC answered nil: another worker changed the queue first; nothing was removed, look again' },
        { cmd: sent('EXEC'), at: 'pipe.execute(', note: 'EXEC ran the ZREM: these orders are this worker’s' },
      ],
    },
    javascript: {
      text: queueTransactionJs,
      quiet: ['client.get('],
      rules: [
        ...queueCommon({ zadd: 'client.zAdd(', incr: 'client.incr(', del: 'client.del(' }),
        { cmd: sent('WATCH'), at: 'client.watch(', note: 'EXEC will fail if anyone changes the queue from now on' },
        { cmd: sent('ZRANGEBYSCORE'), at: 'client.zRangeByScore(', note: 'the orders that are due' },
        { cmd: sent('UNWATCH'), at: 'client.unwatch(', note: 'nothing is due: stop watching' },
        { cmd: sent('MULTI'), at: 'client.multi(', note: 'the transaction starts' },
        { cmd: sent('ZREM'), at: '.zRem(QUEUE, due)', note: 'queued: removes them all when EXEC runs' },
        { cmd: sent('EXEC'), reply: /^\(nil\)$/, at: '.exec()', note: 'EXEC answered nil: another worker changed the queue first (WatchError); look again' },
        { cmd: sent('EXEC'), at: '.exec()', note: 'EXEC ran the ZREM: these orders are this worker’s' },
      ],
    },
  },
  'queue-lua': {
    python: {
      text: queueLuaPy,
      quiet: ['r.get('],
      rules: [
        ...queueCommon({ zadd: 'r.zadd(', incr: 'r.incr(', del: 'r.delete(' }),
        ...lua({ evalsha: 'r.evalsha(', eval: 'r.eval(CLAIM' }),
      ],
    },
    javascript: {
      text: queueLuaJs,
      quiet: ['client.get('],
      rules: [
        ...queueCommon({ zadd: 'client.zAdd(', incr: 'client.incr(', del: 'client.del(' }),
        ...lua({ evalsha: 'client.evalSha(', eval: 'client.eval(CLAIM' }),
      ],
    },
  },
  stream: {
    python: {
      text: streamPy,
      rules: streamRules({
        dead: 'r.xadd("orders:dead"', add: 'r.xadd("orders", {', read: 'r.xreadgroup(', claim: 'r.xautoclaim(',
        pending: 'r.xpending_range(', deadAck: 'r.xack("orders", "workers", entry_id)  # given up', ack: 'r.xack("orders", "workers", entry_id)\n', del: 'r.xdel("orders", entry_id)\n',
        deadDel: 'r.xdel("orders", entry_id)  # the dead letter',
      }),
    },
    javascript: {
      text: streamJs,
      rules: streamRules({
        dead: "client.xAdd('orders:dead'", add: "client.xAdd('orders', '*'", read: 'client.xReadGroup(', claim: 'client.xAutoClaim(',
        pending: 'client.xPendingRange(', deadAck: 'id); // given up', ack: "client.xAck('orders', 'workers', id);\n", del: "client.xDel('orders', id);\n",
        deadDel: 'id); // the dead letter keeps',
      }),
    },
  },
};

const SELECT_NOTE = 'the connection picks its database (the client sends SELECT when it connects)';

/** Every program, with a rule for the SELECT its client sends on connecting. */
export const PROGRAMS = Object.fromEntries(Object.entries(RAW).map(([id, langs]) => [id, {
  python: { ...langs.python, rules: [...langs.python.rules, { cmd: sent('SELECT'), at: 'db=', note: SELECT_NOTE }] },
  javascript: { ...langs.javascript, rules: [...langs.javascript.rules, { cmd: sent('SELECT'), at: 'database:', note: SELECT_NOTE }] },
}]));
