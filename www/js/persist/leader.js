// Which tab saves the playground. Every tab of the page shares one saved world; if two
// tabs saved, each would overwrite the other's keys without a word. So one tab is in
// charge: it holds the Web Lock LOCK_NAME while it lives. Another tab is a *follower*: its
// console works, nothing it does is saved, and a notice says so and offers to take over
// (the lock is stolen: the other tab becomes the follower and says so). When the tab in
// charge closes, a follower's queued request gets the lock by itself.
//
//   const lead = electLeader({ onChange: (state, how) => … });
//   lead.state        'pending' | 'leader' | 'follower'
//   lead.takeOver()   make this tab the one in charge
//   how: 'start' (first tab), 'follower' (another tab is in charge), 'succeeded' (that tab
//        closed), 'took-over' (this tab took over), 'lost' (another tab took over)
//
// Without Web Locks (a page served over plain http from a LAN address is not a secure
// context) a BroadcastChannel stands in: a tab asks who is in charge and takes charge when
// nobody answers within ANSWER_MS; the tab in charge says goodbye on pagehide. No DOM here;
// the node tests pass fake `locks`, `channel` and timers.
export const LOCK_NAME = 'redis-playground:world';
export const CHANNEL_NAME = 'redis-playground:world';
export const ANSWER_MS = 250;

export function electLeader({
  onChange = () => {},
  locks = globalThis.navigator?.locks ?? null,
  channel = null,
  timers = globalThis,
  listen = (type, fn) => globalThis.addEventListener?.(type, fn),
} = {}) {
  if (locks && typeof locks.request === 'function') return new LockLeader(locks, onChange);
  const ch = channel ?? (typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL_NAME) : null);
  if (ch) return new ChannelLeader(ch, onChange, timers, listen);
  // Neither: one tab is all this browser can tell about; it saves, as before.
  const alone = { state: 'leader', takeOver: async () => true };
  queueMicrotask(() => onChange('leader', 'start'));
  return alone;
}

/** Leadership as a held Web Lock. */
class LockLeader {
  constructor(locks, onChange) {
    this.locks = locks;
    this.onChange = onChange;
    this.state = 'pending';
    this.queued = false;
    const first = locks.request(LOCK_NAME, { ifAvailable: true }, (lock) => {
      if (!lock) {
        this.#set('follower', 'follower');
        this.#queue();
        return undefined;
      }
      return this.#hold('start');
    });
    this.#watch(first);
  }

  #set(state, how) {
    this.state = state;
    try { this.onChange(state, how); } catch (e) { console.error(e); }
  }

  /** Hold the lock until the tab goes away (or another tab steals it). */
  #hold(how) {
    this.#set('leader', how);
    return new Promise(() => {});
  }

  /** A held lock that was stolen: the request's promise rejects. */
  #watch(request) {
    request.catch((e) => {
      if (this.state !== 'leader') return;
      if (e?.name !== 'AbortError') console.warn('leader: lock lost', e);
      this.#set('follower', 'lost');
      this.#queue();
    });
  }

  /** Wait in line: the lock comes by itself when the tab in charge closes. */
  #queue() {
    if (this.queued) return;
    this.queued = true;
    const waiting = this.locks.request(LOCK_NAME, () => {
      this.queued = false;
      if (this.state === 'leader') return new Promise(() => {}); // took over meanwhile: keep it
      return this.#hold('succeeded');
    });
    waiting.catch(() => { this.queued = false; });
    this.#watch(waiting);
  }

  /** Take charge now (the other tab becomes a follower). */
  async takeOver() {
    if (this.state === 'leader') return true;
    let took;
    const got = new Promise((resolve) => { took = resolve; });
    const request = this.locks.request(LOCK_NAME, { steal: true }, () => {
      took(true);
      return this.#hold('took-over');
    });
    this.#watch(request);
    return got;
  }
}

/** Leadership agreed over a BroadcastChannel (no Web Locks). */
class ChannelLeader {
  constructor(channel, onChange, timers, listen) {
    this.channel = channel;
    this.onChange = onChange;
    this.timers = timers;
    this.id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    this.state = 'pending';
    this.waiting = null;
    channel.onmessage = (ev) => this.#heard(ev.data);
    listen('pagehide', () => { if (this.state === 'leader') this.#post('bye'); });
    this.#ask('start');
  }

  #post(type) {
    try { this.channel.postMessage({ type, id: this.id }); } catch (e) { console.error(e); }
  }

  #set(state, how) {
    if (this.state === state) return;
    this.state = state;
    try { this.onChange(state, how); } catch (e) { console.error(e); }
  }

  /** Ask who is in charge; take charge when nobody answers. */
  #ask(how) {
    this.#post('who');
    this.timers.clearTimeout(this.waiting);
    this.waiting = this.timers.setTimeout(() => {
      this.waiting = null;
      this.#set('leader', how);
      this.#post('leader');
    }, ANSWER_MS);
  }

  #heard(msg) {
    if (!msg || msg.id === this.id) return;
    if (msg.type === 'who' && this.state === 'leader') {
      this.#post('leader');
    } else if (msg.type === 'leader') {
      this.timers.clearTimeout(this.waiting);
      this.waiting = null;
      if (this.state === 'leader' && this.id < msg.id) return this.#post('leader'); // both claimed: the smaller id keeps it
      this.#set('follower', this.state === 'leader' ? 'lost' : 'follower');
    } else if (msg.type === 'steal' && this.state === 'leader') {
      this.#set('follower', 'lost');
    } else if (msg.type === 'bye' && this.state === 'follower') {
      // The tab in charge closed: followers ask again (the first to claim wins).
      this.timers.setTimeout(() => this.#ask('succeeded'), Math.floor(Math.random() * 50));
    }
    return undefined;
  }

  async takeOver() {
    if (this.state === 'leader') return true;
    this.timers.clearTimeout(this.waiting);
    this.waiting = null;
    this.#post('steal');
    this.#set('leader', 'took-over');
    this.#post('leader');
    return true;
  }
}
