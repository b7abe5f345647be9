// The words beside the numbers: why each strategy behaves as it does, what jitter does to a
// herd, what the seed's sample code gets wrong, and what to type in the console to watch.
// Plain text built with h() (no HTML strings).
import { h } from './util.js';

const code = (text) => h('code', { text });

/** The explanation of one strategy, and a slot for its live keys. */
export const STRATEGY_TEXT = {
  polling: {
    title: 'Polling TTL — the seed’s way',
    how: ['Each failure is a key with a TTL (', code('SETEX order:42 300 pending'), '). Every poll interval each poller asks ', code('TTL'), ' of every waiting key; ', code('-2'), ' (the key is gone) means “retry now”.'],
    why: [
      ['Late by up to one poll interval. ', code('TTL'), ' rounds to the nearest second, so it answers ', code('0'), ' for the last half second and even in the very millisecond the key expires; only after that does it answer ', code('-2'), ', and a poller notices at its next poll. An order’s first wait starts when it fails, at any moment, so its retry is half an interval late on average; every later wait starts on a poll tick (the retry and its ', code('SETEX'), ' happen there) and ', code('SETEX'), ' counts whole seconds, so the key runs out exactly on a later tick, where ', code('TTL'), ' still answers 0: each of those retries is a whole interval late. More pollers, staggered, shorten the wait and multiply the commands.'],
      ['It costs O(waiting keys) commands per poll, whether or not anything is due. 10,000 keys polled each second is 10,000 commands a second to learn, almost always, “not yet”.'],
      ['To re-arm, the key must be created again (', code('SETEX'), '): an ', code('EXPIRE'), ' on a key that has already gone answers 0 and sets nothing.'],
    ],
  },
  events: {
    title: 'Expired events — keyspace notifications',
    how: ['The same keys, but instead of asking, listeners ', code('SUBSCRIBE __keyevent@11__:expired'), ' (after ', code('CONFIG SET notify-keyspace-events Ex'), ') and retry when an event names a key.'],
    why: [
      ['Redis sends the event when it deletes the key, not when the TTL runs out. Nobody reads these keys, so deletion waits for the active expiry cycle: 10 times a second it samples a few keys that have a TTL and deletes the expired ones it finds. The more keys wait, the longer a due key can go unsampled — the lag grows with the backlog: a few hundred milliseconds with a handful of keys, a median of several seconds (and a tail of a minute or more) with 10,000.'],
      ['Pub/sub keeps nothing for absent subscribers. An event sent while no listener is connected is gone for good: that order is never retried and its retry counter stays behind (see “lost retries” with a listener outage).'],
      ['Every listener receives every event: two listeners retry everything twice (duplicate retries) unless they coordinate.'],
    ],
  },
  queue: {
    title: 'Delayed queue — one sorted set',
    how: ['All waiting orders live in one sorted set scored by due time (', code('ZADD retry 1700000300000 order:42'), '). Workers wake every poll interval, fetch what is due (', code('ZRANGEBYSCORE retry -inf <now> LIMIT 0 100'), ') and claim each entry with ', code('ZREM'), '. Sidekiq, BullMQ and resque-scheduler keep delayed jobs this way.'],
    why: [
      [code('ZREM'), ' is atomic and answers 1 to exactly one caller: when several workers race for the same entry, one wins and the others get 0 (a claim conflict), so each retry happens exactly once. The workers here wake together (in lockstep, the worst case), so every due entry is fetched by all of them: each retry comes with one claim conflict per other worker. Workers whose timers drift apart conflict less.'],
      ['It costs one fetch per worker per interval however many orders wait, plus a few commands per retry. Lateness is at most one poll interval and does not grow with the backlog.'],
      ['Nothing is lost while workers are away: entries stay in the set until someone claims them.'],
      ['“Claim with” (Advanced) changes only how entries are taken. ', code('MULTI/WATCH'), ': each worker WATCHes the set, fetches, then removes its batch in a transaction; the first EXEC wins and the others’ EXEC fails (one conflict each), so they fetch again. ', code('one Lua script'), ': ', code('EVALSHA'), ' runs a script that fetches and removes what is due in one atomic step, as BullMQ moves its delayed jobs: no conflicts, one command per worker per poll.'],
    ],
  },
};

STRATEGY_TEXT.stream = {
  title: 'Consumer group — one stream, XAUTOCLAIM as the retry',
  how: ['Each failure is a job in a stream (', code('XADD orders * order order:42'), ') read by a consumer group’s worker (', code('XREADGROUP GROUP workers worker-1 COUNT 1 STREAMS orders >'), '). Its attempt fails and it isn’t acknowledged, so it stays in the group’s pending entries list. A reclaimer takes over what has been pending long enough — ', code('XAUTOCLAIM orders workers reclaimer 300000 0-0 COUNT 100'), ' — and each entry it claims is a retry.'],
  why: [
    ['Nothing has to remember the retry: an unacknowledged delivery is the retry. A crashed worker’s jobs come back the same way.'],
    [code('XAUTOCLAIM'), ' has one min-idle-time for every entry, so there is no backoff and no jitter: each retry comes a min-idle after the one before (here the schedule’s first delay). Claiming resets the idle time.'],
    [code('XAUTOCLAIM'), ' doesn’t return delivery counts: the reclaimer asks ', code('XPENDING'), ' for the claimed range, and after the last retry moves the job to the dead-letter stream ', code('orders:dead'), ', then ', code('XDEL'), ' and ', code('XACK'), '. Lateness is at most one reclaim interval.'],
  ],
};

export function strategyCard(s, keysSlot) {
  const t = STRATEGY_TEXT[s];
  return h('article', { className: `rs-card rs-s-${s}`, dataset: { strategy: s } },
    h('h3', {}, h('span', { className: 'rs-swatch', 'aria-hidden': 'true' }), t.title),
    h('p', { className: 'rs-how' }, ...t.how),
    h('ul', { className: 'rs-why' }, t.why.map((parts) => h('li', {}, ...parts))),
    keysSlot);
}

export function herdNote() {
  return h('div', { className: 'rs-note-box' },
    h('h4', { text: 'Why jitter matters' }),
    h('p', {}, 'Without jitter, every order that failed in the same moment computes the same delay, so they all come back in the same instant: a thundering herd that hits a service just as it recovers — and if it is still down, they fail together and come back together again, at every step. ',
      'Full jitter waits a random time between 0 and the delay, which spreads the herd over the whole interval: in the “Thundering herd” preset the peak drops from all 500 orders retrying in the same second to well under a hundred a second (compare the two presets). ',
      'Equal jitter keeps at least half of each delay; decorrelated jitter draws each sleep from the previous one. ',
      'The consumer group has no backoff to jitter: XAUTOCLAIM’s one min-idle-time spaces every retry alike, so a herd stays a herd, and retries that fit inside an outage are all spent there. ',
      'Jitter has a price during an outage: a delay drawn short lands inside the outage again and spends one of the retries, so with full jitter some orders use up all of theirs before the service is back and are given up, where the same delays without jitter all land after it (compare “Same outage” with and without jitter). And each strategy draws its own random numbers, so with jitter their successes can differ even though they see the same failures.'));
}

export function idleNote() {
  return 'Idle TTLs are counted, not sent: at this size or speed the TTLs that can only answer “not yet” are added to the command count without being run. The results are the same — the same retries at the same moments, the same numbers — with far less work for your browser.';
}

/**
 * The seed's sample code (its retry section, in Python; its comments put in English), as the
 * notes this project grew from give it. Numbered: each problem below points at its lines.
 */
export const SEED_CODE = [
  'import redis',
  'import time',
  '',
  "r = redis.Redis(host='localhost', port=6379, db=0)",
  '',
  'operation_id = "123"',
  '',
  'r.setex(operation_id, 300, "pending")',
  '',
  'while True:',
  '    status = r.get(operation_id)',
  '    if status == "pending":',
  '        current_time = time.time()',
  '        expiration_time = r.ttl(operation_id)',
  '        if expiration_time <= 0:',
  '            # retry the operation (send the request again)',
  '            print("Retrying operation...")',
  '            # count the retry',
  '            r.incr(operation_id + "_retry_count")',
  '            # when the next retry is due',
  '            r.expire(operation_id, 600)',
  '        else:',
  '            print(f"Waiting for {expiration_time} seconds before retrying...")',
  '        time.sleep(1)  # wait a second before looking again',
  '    else:',
  '        print("Operation completed or exceeded maximum retries.")',
  '        # delete the Redis key',
  '        r.delete(operation_id)',
  '        break',
];

/** The problems with the seed's code, each with the lines (1-based) it is about. */
export const SEED_PROBLEMS = [
  [[4, 12], ['It compares ', code('r.get(operation_id) == "pending"'), ', but redis-py returns bytes (', code('b"pending"'), ') unless the client was made with ', code('decode_responses=True'), '. The test is false on the very first pass, so the loop deletes the key and stops: nothing is ever retried.']],
  [[11, 14, 15, 25], ['Even with strings, once the TTL runs out ', code('GET'), ' finds nothing and the loop takes its “completed” branch. The retry branch only runs when a poll lands in the last half second, while ', code('TTL'), ' rounds down to 0 — about half the time with a one-second sleep.']],
  [[21], ['Every retry re-arms with ', code('expire(operation_id, 600)'), ': always 10 minutes, so the 5 min/10 min/15 min/2 h/4 h/6 h schedule is never followed, and nothing stops it after the last step. The retry count is incremented but never read.']],
  [[21], [code('EXPIRE'), ' on a key that has already expired answers 0 and does nothing; the wait has to be started again with ', code('SETEX'), ' (which is what the simulation does).']],
  [[19, 28], ['The ', code('<id>_retry_count'), ' key is never deleted — the success branch removes only the operation key — so one counter per order stays in Redis forever.']],
  [[10, 24], ['One blocking loop per operation, sending ', code('GET'), ' and ', code('TTL'), ' every second: two commands per second per waiting order, even when nothing is due, and a thread or process per order.']],
  [[11, 14, 19, 21], ['Nothing makes a retry happen once: ', code('GET'), ', ', code('TTL'), ', ', code('INCR'), ' and ', code('EXPIRE'), ' are separate commands, so two workers watching the same key can both retry it. The queue’s ', code('ZREM'), ' claim is the fix.']],
  [[13, 17], ['The retry does not check whether it worked, nothing ever sets a status other than “pending”, and ', code('current_time'), ' is computed and never used. (The prose above the code also says no failure count is needed, then the code keeps one.)']],
];

/** What the seed's sample code (its retry section) gets wrong, beside the code itself. */
export function seedNotes() {
  const lineEls = SEED_CODE.map((text, i) => h('span', { className: 'rs-code-line', dataset: { line: i + 1 } },
    h('span', { className: 'rs-code-no', 'aria-hidden': 'true', text: String(i + 1).padStart(2, ' ') }), ` ${text}`));
  const listing = h('pre', { className: 'rs-seed-code', tabindex: '0', 'aria-label': 'The seed’s sample code, lines numbered' }, lineEls);
  const mark = (lines, on) => {
    for (const n of lines) lineEls[n - 1]?.classList.toggle('rs-code-marked', on);
  };
  const items = SEED_PROBLEMS.map(([lines, parts]) => {
    const label = `Line${lines.length > 1 ? 's' : ''} ${lines.join(', ')}`;
    const at = h('button', {
      type: 'button', className: 'rs-code-ref', title: `Show ${label.toLowerCase()} in the code`,
      onclick: () => {
        for (const el of lineEls) el.classList.remove('rs-code-marked');
        mark(lines, true);
        lineEls[lines[0] - 1]?.scrollIntoView({ block: 'nearest' });
      },
      onmouseenter: () => mark(lines, true), onmouseleave: () => mark(lines, false), onblur: () => mark(lines, false),
    }, label);
    return h('li', { dataset: { lines: lines.join(',') } }, at, ': ', ...parts);
  });
  return h('section', { className: 'rs-seed', 'aria-labelledby': 'rs-seed-title' },
    h('h3', { id: 'rs-seed-title', text: 'About the seed’s sample code' }),
    h('p', { text: 'The notes this project grew from sketch the retry in Python (below, its comments in English). The idea — a key whose TTL is the wait — is what the first two strategies run. The sketch itself has problems worth knowing before copying it:' }),
    h('div', { className: 'rs-seed-grid' }, listing, h('ol', {}, items)));
}

/**
 * The lines to type in the console while a run goes, with buttons that type them. `run`
 * types a line; `liveKey(db)` names an order key that is waiting now in that db (or
 * null); `consoleDb()` is the db the console is on, selected again after the lines, so
 * later examples don't write into the simulation's db.
 */
export function consoleHint(run, { liveKey = () => null, consoleDb = () => 0 } = {}) {
  const groups = [
    ['db 10 (polling)', 10, (k) => ['SELECT 10', `TTL ${k}`, `GET ${k}:retry_count`]],
    ['db 11 (events)', 11, (k) => ['SELECT 11', `TTL ${k}`, 'CONFIG GET notify-keyspace-events']],
    ['db 12 (queue)', 12, () => ['SELECT 12', 'ZRANGE retry 0 4 WITHSCORES', 'ZCARD retry']],
    ['db 13 (consumer group)', 13, () => ['SELECT 13', 'XPENDING orders workers', 'XLEN orders:dead']],
  ];
  return h('div', { className: 'rs-console-hint' },
    h('p', {}, 'It is the same server as the console above: while it runs you can look at its keys there. ',
      h('strong', { text: 'Run in the console' }), ' picks an order that is waiting now, and puts the console back on its db afterwards.'),
    h('ul', { className: 'rs-try' }, groups.map(([label, db, linesFor]) => {
      const shown = linesFor('order:42');
      return h('li', {},
        h('span', { className: 'rs-try-label', text: label }),
        shown.map((line) => h('code', { className: 'rs-try-line', text: line })),
        run ? h('button', {
          type: 'button', className: 'rs-small', title: `Type ${shown.join(', then ')} in the console (with an order that is waiting now)`,
          onclick: () => {
            const back = Number(consoleDb()) || 0;
            const lines = linesFor(liveKey(db) ?? 'order:42');
            if (back !== db) lines.push(`SELECT ${back}`);
            for (const line of lines) run(line);
          },
        }, 'Run in the console') : null);
    })));
}
