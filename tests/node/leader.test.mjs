// Which tab saves (www/js/persist/leader.js), without a browser: a fake Web Locks manager
// shared by several "tabs", and a fake BroadcastChannel with fake timers for pages served
// where Web Locks don't exist. Nothing here waits on the wall clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { electLeader, ANSWER_MS } from '../../www/js/persist/leader.js';

/** Web Locks for one lock name, as the spec behaves for exclusive locks. */
class FakeLocks {
  constructor() { this.holder = null; this.queue = []; }
  /** The lock manager as tab `owner` sees it. */
  of(owner) {
    return { request: (name, opts, cb) => this.request(owner, name, opts, cb) };
  }
  request(owner, name, opts, cb) {
    if (typeof opts === 'function') { cb = opts; opts = {}; }
    return new Promise((resolve, reject) => {
      const req = { owner, cb, resolve, reject };
      if (opts.steal) {
        if (this.holder) this.holder.reject(Object.assign(new Error('stolen'), { name: 'AbortError' }));
        this.#grant(req);
      } else if (!this.holder) {
        this.#grant(req);
      } else if (opts.ifAvailable) {
        Promise.resolve(cb(null)).then(resolve, reject);
      } else {
        this.queue.push(req);
      }
    });
  }
  #grant(req) {
    this.holder = req;
    Promise.resolve(req.cb({ name: 'lock' })).then(req.resolve, req.reject);
  }
  /** Tab `owner` closed: its lock and its queued requests go. */
  close(owner) {
    this.queue = this.queue.filter((r) => r.owner !== owner);
    if (this.holder?.owner !== owner) return;
    this.holder = null;
    const next = this.queue.shift();
    if (next) this.#grant(next);
  }
}

const tick = () => new Promise((r) => setTimeout(r, 0));

function tab(locks, owner) {
  const seen = [];
  const lead = electLeader({ locks: locks.of(owner), onChange: (state, how) => seen.push(`${state}:${how}`) });
  return { lead, seen };
}

test('Web Locks: the first tab saves, the next follows, take-over and succession', async () => {
  const locks = new FakeLocks();
  const a = tab(locks, 'a');
  await tick();
  const b = tab(locks, 'b');
  await tick();
  assert.deepEqual(a.seen, ['leader:start']);
  assert.deepEqual(b.seen, ['follower:follower']);
  assert.equal(await b.lead.takeOver(), true);
  await tick();
  assert.deepEqual(b.seen, ['follower:follower', 'leader:took-over']);
  assert.deepEqual(a.seen, ['leader:start', 'follower:lost']);
  // B's tab closes: A, queued again, gets the lock by itself.
  locks.close('b');
  await tick();
  assert.deepEqual(a.seen, ['leader:start', 'follower:lost', 'leader:succeeded']);
  assert.equal(a.lead.state, 'leader');
});

/** BroadcastChannels of one name between tabs, delivering on the next tick. */
function channels() {
  const all = [];
  return () => {
    const ch = {
      onmessage: null,
      postMessage(data) {
        for (const other of all) if (other !== ch) setTimeout(() => other.onmessage?.({ data }), 0);
      },
    };
    all.push(ch);
    return ch;
  };
}

/** Timers that run only when the test says. */
function fakeTimers() {
  let now = 0;
  let next = 1;
  const due = new Map();
  return {
    setTimeout(fn, ms) { due.set(next, { at: now + ms, fn }); return next++; },
    clearTimeout(id) { due.delete(id); },
    advance(ms) {
      now += ms;
      for (const [id, t] of [...due].sort((x, y) => x[1].at - y[1].at)) {
        if (t.at <= now) { due.delete(id); t.fn(); }
      }
    },
  };
}

test('BroadcastChannel (no Web Locks): ask, answer, steal, goodbye', async () => {
  const newChannel = channels();
  const timers = fakeTimers();
  const leaving = [];
  const make = () => {
    const seen = [];
    const handlers = {};
    const lead = electLeader({
      locks: null, channel: newChannel(), timers,
      listen: (type, fn) => { handlers[type] = fn; leaving.push(fn); },
      onChange: (state, how) => seen.push(`${state}:${how}`),
    });
    return { lead, seen, handlers };
  };
  const a = make();
  await tick();
  timers.advance(ANSWER_MS); // nobody answered
  assert.deepEqual(a.seen, ['leader:start']);
  const b = make();
  await tick(); // b's "who" reaches a, which answers
  await tick();
  assert.deepEqual(b.seen, ['follower:follower']);
  timers.advance(ANSWER_MS);
  assert.equal(b.lead.state, 'follower', 'an answer came: no claim');
  await b.lead.takeOver();
  await tick();
  assert.deepEqual(a.seen, ['leader:start', 'follower:lost']);
  assert.equal(b.lead.state, 'leader');
  // B leaves: A asks again and takes charge when nobody answers.
  b.handlers.pagehide();
  await tick();
  timers.advance(100); // the random wait before asking
  timers.advance(ANSWER_MS);
  assert.deepEqual(a.seen, ['leader:start', 'follower:lost', 'leader:succeeded']);
});

test('no Web Locks and no BroadcastChannel: the one tab saves', async () => {
  const seen = [];
  const saved = globalThis.BroadcastChannel;
  globalThis.BroadcastChannel = undefined;
  try {
    const lead = electLeader({ locks: null, onChange: (s, how) => seen.push(`${s}:${how}`) });
    await tick();
    assert.equal(lead.state, 'leader');
    assert.deepEqual(seen, ['leader:start']);
  } finally {
    globalThis.BroadcastChannel = saved;
  }
});
