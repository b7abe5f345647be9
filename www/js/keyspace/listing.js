// The keys of one db as the keyspace view shows them, gathered with the engine's read-only
// SCAN (`engine.scanKeys`) a bounded amount at a time, so a db of a million keys never
// freezes the page.
//
// A *pass* walks the db from cursor 0 until it has `limit` keys (then it stops and remembers
// its cursor, for "load more") or the cursor comes back to 0 (the listing is complete).
// The first pass after the query changes is shown as it grows; a refresh pass (something
// changed: generation() moved) is shown only once it is done, so the list doesn't flicker.
// `work(budgetMs)` advances the current pass for at most about budgetMs.

const SCAN_COUNT = 400; // slots examined per scanKeys call

const isDone = (cursor) => Number(cursor) === 0;

export class Listing {
  /** @param engine a Playground; `page`: how many keys a pass gathers (and "load more" adds). */
  constructor(engine, { page = 200 } = {}) {
    this.engine = engine;
    this.page = page;
    this.query = null; // { db, pattern, type }
    this.keys = new Map(); // key → { key, type, ttl, size, encoding, at }
    this.complete = false; // the shown keys are every key matching the query
    this.cursor = 0; // where the last pass stopped when not complete
    this.limit = page;
    this.pass = null; // { cursor, map, progressive, resumed }
    this.dirty = false; // something changed while a pass was running
    this.version = 0; // bumps whenever `keys`/`complete` change
    this.scanned = 0; // scanKeys calls in the current pass (for "scanning…")
  }

  /** Start over on a new query (db, glob pattern or type filter). */
  setQuery(query) {
    this.query = { ...query };
    this.limit = this.page;
    this.keys = new Map();
    this.complete = false;
    this.cursor = 0;
    this.dirty = false;
    this.pass = { cursor: 0, map: this.keys, progressive: true };
    this.scanned = 0;
    this.version++;
  }

  /** The keyspace changed: gather the listing again (after the running pass, if any). */
  invalidate() {
    if (!this.query) return;
    if (this.pass) this.dirty = true;
    else this.startRefresh();
  }

  startRefresh() {
    this.dirty = false;
    this.scanned = 0;
    this.pass = { cursor: 0, map: new Map(), progressive: false };
  }

  /** Show `page` more keys: carry on from where the last pass stopped. */
  loadMore() {
    if (this.complete || !this.query) return;
    this.limit += this.page;
    if (!this.pass) {
      this.scanned = 0;
      this.pass = { cursor: this.cursor, map: this.keys, progressive: true };
    }
  }

  get busy() { return this.pass !== null; }

  /** Advance the running pass for about `budgetMs`; true when the shown keys changed. */
  work(budgetMs) {
    const pass = this.pass;
    if (!pass) return false;
    const { db, pattern, type } = this.query;
    const start = performance.now();
    let changed = false;
    for (;;) {
      const at = this.engine.now();
      // Unfiltered, every slot is a key: examine about as many as are still wanted.
      const count = pattern || type ? SCAN_COUNT : Math.min(SCAN_COUNT, Math.max(16, this.limit - pass.map.size));
      const reply = this.engine.scanKeys(db, pass.cursor, pattern, type, count);
      this.scanned++;
      for (const info of reply.keys) {
        if (!pass.map.has(info.key)) changed = true;
        pass.map.set(info.key, { ...info, at });
      }
      pass.cursor = reply.cursor;
      const done = isDone(pass.cursor);
      if (done || pass.map.size >= this.limit) {
        this.finish(pass, done);
        return true;
      }
      if (performance.now() - start >= budgetMs) break;
    }
    if (pass.progressive && changed) {
      this.version++;
      return true;
    }
    return false;
  }

  finish(pass, done) {
    this.pass = null;
    this.keys = pass.map;
    this.complete = done;
    this.cursor = done ? 0 : pass.cursor;
    this.version++;
    if (this.dirty) this.startRefresh();
  }
}
