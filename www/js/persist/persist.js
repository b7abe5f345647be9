// Nothing lost on reload: the whole world is kept in IndexedDB and restored on load.
//
//   const persistence = await startPersistence({ engine, console });   // before console.attach
//   console.attach(engine);
//   persistence.start();            // autosave from now on; shows what was restored
//
// What is saved (one record, record.js): engine.snapshot() (16 dbs, values, absolute TTLs, the
// world clock) plus the page's own state (console history; anything registered with
// registerPageState, e.g. the open consoles). When:
//   - 1.5 s after the last change (engine.generation(), the clock's speed/pause, a console
//     line), and at least every 10 s while changes keep coming;
//   - at once on `pagehide` and when the tab is hidden (also to localStorage, synchronously, for
//     a world under ~1.5 MB: a reload can cut an IndexedDB write short);
//   - at once when a console runs SAVE or BGSAVE (engine.takeSaveRequest()); every finished
//     save is reported back with engine.markSaved(), which LASTSAVE and INFO persistence show.
// Restoring: engine.restore(bytes) expires the keys whose TTL ran out while the tab was
// closed and moves the world clock on by the time it was closed (src/persist.rs).
//
// Records in the store (store.js): "world" (the saved world), "bad" (saved data that could not
// be read, kept for download until the learner dismisses the notice), and "kept:…" (kept.js: a
// good world that a shared link, a late load or a restore replaced, each its own record, kept
// until the learner deletes it under Data → Kept playgrounds; an older page's single
// "previous" record becomes one of them on load).
//
// One tab saves (leader.js): with the playground open in two tabs, the first is in charge
// and the other says that its changes aren't saved and offers to take over. The tab that
// takes charge (by the button, or because the other closed) loads the world the other tab
// saved when it changed nothing itself; otherwise it keeps that world aside (Data → Kept
// playgrounds) and saves its own. Nothing saved is lost without a word.
//
// Nothing here can break the page: unreadable data, a newer format, a full quota, or no
// IndexedDB at all end in a notice under the header and an empty (or unsaved) world in which
// the console works as usual. A load slower than `timeoutMs` lets the console start empty;
// saving waits for the load to settle, so a slow store never overwrites the saved world.
//
// This module saves and carries the load out; by concern, the rest is elsewhere: which record
// to load and what becomes of the others (load.js), what the notices say (notices.js), and
// the Reset dialog and emptying everything (reset.js).
import { openStore } from './store.js';
import { makeRecord, readRecord, bytesOf } from './record.js';
import { mountNotices, downloadLink } from './ui.js';
import { STORAGE_KEY as HISTORY_KEY } from '../console/history.js';
import { writePending, readPending, clearPending, localStorageOrNull } from './pending.js';
import { callEach } from '../listeners.js';
import { loadPlan, within } from './load.js';
import * as say from './notices.js';
import { confirmReset, resetEverything, takeResetNote } from './reset.js';
import { KEPT_PREFIX, keptId, keptSummaries } from './kept.js';
import { electLeader } from './leader.js';

const DEBOUNCE_MS = 1500; // a save waits for changes to pause this long…
const MAX_WAIT_MS = 10_000; // …but no longer than this while they keep coming

const message = (e) => (e && typeof e === 'object' && 'message' in e ? e.message : String(e));


/**
 * Restore the saved world into `engine` (awaits at most `timeoutMs`); returns the controller.
 * `leader`: electLeader's options (the tests pass fakes).
 */
export async function startPersistence({ engine, console: ui, timeoutMs = 2000, notices = mountNotices(), leader = {} } = {}) {
  const p = new Persistence({ engine, ui, notices });
  p.elect(leader);
  await p.load(timeoutMs);
  return p;
}

class Persistence {
  constructor({ engine, ui, notices }) {
    this.engine = engine;
    this.ui = ui;
    this.notices = notices;
    this.store = null;
    this.state = 'loading'; // loading | ready | unavailable | disabled
    this.suspended = false; // no saving at all (during Reset)
    this.providers = new Map();
    this.pendingPage = {}; // page state read from the record, for providers not yet registered
    this.restored = null; // { keys, expired, savedAt }
    this.lastSavedAt = null;
    this.quotaFull = false;
    this.timer = null;
    this.firstDirtyAt = null;
    this.commandsSinceStart = 0;
    this.listeners = new Set();
    this.badUrl = null;
    this.leadership = null; // leader.js: whether this tab is the one that saves
    this.saveWhenInCharge = false; // a save asked for before the election settled
    this.basis = null; // savedAt of the saved world this tab's world comes from
    this.basisGeneration = -1; // engine.generation() when this tab's world was that one
    /** Settles once the saved world is in (or known to be unavailable), even a late one. */
    this.settled = Promise.resolve();
    const supported = typeof engine.snapshot === 'function' && typeof engine.restore === 'function';
    if (!supported) {
      this.state = 'disabled';
      console.warn('persistence: this engine build has no snapshot()/restore(); saving is off');
    }
  }

  // --- loading --------------------------------------------------------------------------

  async load(timeoutMs) {
    if (this.state === 'disabled') return;
    this.startGeneration = this.engine.generation();
    const pending = (async () => {
      const store = await openStore();
      const [world, bad, previous, kept] = await Promise.all([
        store.get('world'), store.get('bad'), store.get('previous'), store.entries(KEPT_PREFIX),
      ]);
      return { store, world, bad, previous, kept };
    })();
    const first = await within(pending, timeoutMs);
    if (first.timeout) {
      this.notices.show(say.slowStorage());
      this.settled = pending.then(
        (v) => { this.notices.remove('slow-storage'); return this.#apply(v, { late: true }); },
        (e) => { this.notices.remove('slow-storage'); this.#unavailable(e); },
      ).catch((e) => console.error('persistence: late load failed', e));
      return;
    }
    if (first.e) {
      this.#unavailable(first.e);
      return;
    }
    await this.#apply(first.v, { late: false });
  }

  // --- which tab saves ----------------------------------------------------------------------

  /** Join the election of the tab that saves (leader.js). */
  elect(options = {}) {
    if (this.state === 'disabled' || this.leadership) return;
    this.leadership = electLeader({ ...options, onChange: (state, how) => this.#leadershipChanged(state, how) });
  }

  /** Whether this tab saves the playground (true until an election says otherwise). */
  get inCharge() {
    return !this.leadership || this.leadership.state === 'leader';
  }

  /** Make this tab the one that saves (the notice's button). */
  takeOver() {
    return this.leadership?.takeOver() ?? Promise.resolve(true);
  }

  async #leadershipChanged(state, how) {
    if (state === 'follower') {
      const n = how === 'lost' ? say.tookOverElsewhere() : say.otherTabInCharge();
      this.notices.show({ ...n, actions: [{ label: n.action, primary: true, onClick: () => this.takeOver() }] });
      this.#emit('follower');
      return;
    }
    this.notices.remove('other-tab');
    if (how === 'succeeded' || how === 'took-over') {
      await this.settled;
      await this.#takeCharge(how);
    } else if (this.saveWhenInCharge) {
      this.saveWhenInCharge = false;
      this.save('leader');
    }
    this.#emit('leader');
  }

  /**
   * This tab saves from now on. The world the other tab saved wins when nothing changed
   * here; otherwise it is kept aside and this tab's world is saved.
   */
  async #takeCharge(how) {
    if (this.state !== 'ready' || !this.store) return;
    let stored = null;
    try {
      stored = await this.store.get('world');
    } catch (e) {
      console.warn('persistence: could not read the saved world:', e);
    }
    const rec = stored ? readRecord(stored) : null;
    const newer = rec?.ok && rec.savedAt !== this.basis;
    // Changed here: the keyspace moved on since the world this tab loaded or last saved.
    const changedHere = this.engine.generation() !== this.basisGeneration;
    if (newer && !changedHere) {
      try {
        this.#restoreRecord(rec);
        this.basis = rec.savedAt;
        this.basisGeneration = this.engine.generation();
        this.#applyPage(rec.page, { history: false });
        this.#afterWorldChange();
        this.ui?.status?.(say.inChargeLoaded(how, this.restored));
        return;
      } catch (e) {
        console.warn('persistence: the other tab\'s world could not be loaded:', e);
      }
    }
    if (newer) await this.#keepAside(stored, 'saved by another tab');
    this.ui?.status?.(say.inCharge(how));
    await this.save(how);
  }

  #unavailable(e) {
    this.state = 'unavailable';
    console.warn('persistence: storage unavailable:', e);
    this.notices.show(say.unavailable(e));
    this.#emit();
  }

  async #apply({ store, world, bad, previous, kept }, { late }) {
    this.store = store;
    this.state = 'ready';
    this.keptIds = new Set(kept.map((k) => k?.id).filter((id) => typeof id === 'string'));
    if (previous) await this.#adoptPrevious(previous);
    const plan = loadPlan({ world, pending: readPending(), late, changedSinceStart: late && this.#changedSinceStart() });
    if (plan.dropPending) clearPending(); // IndexedDB has it (or newer)
    if (bad) this.#showBad(bad);
    const { rec } = plan;
    if (plan.action === 'bad') {
      await this.#keepBad(plan.world, rec.reason, rec.bytes, plan.world?.savedAt);
    } else if (plan.action === 'keep') {
      // The learner started working while the store was slow: keep both worlds.
      await this.#keepAside(plan.world, 'loaded late, after you had started');
    } else if (plan.action === 'restore') {
      try {
        this.#restoreRecord(rec);
        this.basis = rec.savedAt;
        this.#applyPage(rec.page);
        if (late) this.#announceRestored();
        // Into IndexedDB at once (which clears the localStorage copy once written).
        if (plan.fromPending) this.save('pending');
      } catch (e) {
        await this.#keepBad(plan.world, message(e), rec.engine, rec.savedAt);
      }
    }
    if (plan.fromPending && !this.restored) clearPending(); // bad data: kept under "bad" instead
    this.basisGeneration = this.engine.generation();
    this.#emit();
    if (late && this.started) this.#check();
  }

  /** Put a saved record's world (readRecord's) into the engine; `restored` says what came back. */
  #restoreRecord(rec) {
    const r = this.engine.restore(rec.engine);
    this.restored = { keys: Number(r?.keys ?? 0), expired: Number(r?.expired ?? 0), savedAt: rec.savedAt };
  }

  #changedSinceStart() {
    return this.commandsSinceStart > 0 || this.engine.generation() !== this.startGeneration;
  }

  async #keepBad(value, reason, bytes, savedAt) {
    const bad = { v: 1, reason, at: Date.now(), savedAt: Number.isFinite(savedAt) ? savedAt : null, bytes: bytes ?? bytesOf(value) };
    try {
      await this.store.put('bad', bad);
      await this.store.delete('world');
    } catch (e) {
      console.warn('persistence: could not keep the unreadable data aside:', e);
      bad.unsaved = true;
    }
    this.#showBad(bad);
  }

  #showBad(bad) {
    const bytes = bytesOf(bad?.bytes ?? bad);
    const n = say.badData(bad, bytes.length);
    const link = downloadLink(bytes, n.download.filename, n.download.label);
    link.node.classList.add('notice-download');
    this.notices.show({
      ...n,
      links: [link.node],
      cleanup: link.release,
      onDismiss: () => this.store?.delete('bad').catch(() => {}),
    });
  }

  /** An older page's one "previous" record: a kept playground like the others. */
  async #adoptPrevious(previous) {
    try {
      if (readRecord(previous).ok) {
        const id = keptId(Number.isFinite(previous.at) ? previous.at : Date.now());
        await this.store.put(id, { ...previous, id, keptAt: previous.at ?? Date.now() });
        this.keptIds.add(id);
      }
      await this.store.delete('previous');
    } catch (e) {
      console.warn('persistence: could not keep the previous world:', e);
    }
  }

  /**
   * Keep `world` (a saved record) as a new kept playground, never replacing another, and say
   * so in a notice that can restore it. Returns whether it was stored.
   */
  async #keepAside(world, why) {
    const id = keptId();
    const record = { ...world, id, why, keptAt: Date.now() };
    let stored = true;
    try {
      await this.store.put(id, record);
      this.keptIds.add(id);
    } catch (e) {
      console.warn('persistence: could not keep the world aside:', e);
      stored = false;
    }
    const [summary] = keptSummaries([record]);
    const n = say.keptWorld(summary);
    this.notices.show({
      ...n,
      actions: stored ? [{ label: n.action, primary: true, onClick: () => this.restoreKept(id) }] : [],
    });
    this.#emit();
    return stored;
  }

  /** The kept playgrounds, newest first (kept.js's summaries). */
  async kept() {
    if (!this.store) return [];
    const records = await this.store.entries(KEPT_PREFIX);
    this.keptIds = new Set(records.map((r) => r?.id).filter((id) => typeof id === 'string'));
    return keptSummaries(records);
  }

  /** How many playgrounds are kept (as last read). */
  keptCount() {
    return this.keptIds?.size ?? 0;
  }

  /**
   * Bring kept playground `id` back: the current world, if it has keys, is kept in its turn.
   * Returns whether it was restored (a failure is said in a notice).
   */
  async restoreKept(id) {
    try {
      const value = await this.store.get(id);
      const rec = readRecord(value);
      if (!rec.ok) throw new Error(rec.reason);
      await this.keepCurrentAside('before you restored an earlier playground');
      this.#restoreRecord(rec);
      this.#applyPage(rec.page, { history: false });
      this.#announceRestored();
      await this.deleteKept(id);
      this.notices.remove('kept-world');
      this.#afterWorldChange();
      await this.save('restore');
      return true;
    } catch (e) {
      this.notices.show(say.keptFailed(e));
      return false;
    }
  }

  /** Forget kept playground `id`. */
  async deleteKept(id) {
    await this.store?.delete(id).catch((e) => console.warn('persistence: could not delete a kept world:', e));
    this.keptIds?.delete(id);
    this.#emit();
  }

  #announceRestored() {
    if (!this.restored || !this.ui?.status) return;
    this.ui.status(say.restored(this.restored));
  }

  // --- page state -----------------------------------------------------------------------

  #historyLines() {
    const hook = this.ui?.history;
    if (hook && typeof hook.lines === 'function') return hook.lines();
    const ls = localStorageOrNull();
    try {
      const v = JSON.parse(ls?.getItem(HISTORY_KEY) ?? '[]');
      return Array.isArray(v) ? v.filter((x) => typeof x === 'string') : [];
    } catch {
      return [];
    }
  }

  #applyPage(page, { history = true } = {}) {
    if (history && Array.isArray(page.history) && page.history.length) {
      const hook = this.ui?.history;
      if (hook && typeof hook.replace === 'function') {
        hook.replace(page.history);
      } else {
        // The console keeps its history in localStorage too; put it back there when that copy
        // is gone (cleared site data, another browser profile's export…).
        const ls = localStorageOrNull();
        try {
          if (ls && !ls.getItem(HISTORY_KEY)) ls.setItem(HISTORY_KEY, JSON.stringify(page.history));
        } catch { /* storage blocked */ }
      }
    }
    for (const [name, value] of Object.entries(page)) {
      if (name === 'history') continue;
      const p = this.providers.get(name);
      if (p) this.#restoreProvider(name, p, value);
      else this.pendingPage[name] = value;
    }
  }

  #restoreProvider(name, p, value) {
    try {
      p.restore?.(value);
    } catch (e) {
      console.error(`persistence: restoring "${name}" failed`, e);
    }
  }

  /**
   * Keep some page state with the world: `save()` returns plain data (JSON-able), `restore(data)`
   * gets it back after a reload (at once, if the record was read before the registration);
   * `signature()`, if given, is a cheap string that changes when the state does (it is
   * compared on every world tick; without it, `save()` is).
   */
  registerPageState(name, { save, restore, signature }) {
    if (name === 'history') throw new Error('"history" is the console history, kept by persistence itself');
    this.providers.set(name, { save, restore, signature });
    if (name in this.pendingPage) {
      const v = this.pendingPage[name];
      delete this.pendingPage[name];
      this.#restoreProvider(name, this.providers.get(name), v);
    }
    this.lastProviders = this.#providersSignature();
    return () => this.providers.delete(name);
  }

  /** Page state changed (a console opened or closed…): save soon. */
  changed() {
    this.historyDirty = true;
    if (this.started) this.#check();
  }

  /** The registered page state as text, to notice changes (a console opened) when polling. */
  #providersSignature() {
    if (this.providers.size === 0) return '';
    try {
      // (A provider may offer a cheap `signature()`: this runs on every world tick.)
      return JSON.stringify([...this.providers].map(([name, p]) => [name, p.signature ? p.signature() : p.save?.()]));
    } catch {
      return '';
    }
  }

  #pageState() {
    const page = { ...this.pendingPage, history: this.#historyLines() };
    for (const [name, p] of this.providers) {
      try {
        const v = p.save?.();
        if (v !== undefined) page[name] = v;
      } catch (e) {
        console.error(`persistence: saving "${name}" failed`, e);
      }
    }
    return page;
  }

  // --- saving -----------------------------------------------------------------------------

  /**
   * Begin autosaving and wire the Reset button; call once the console is attached. Changes
   * are looked for on every world tick of `scheduler` and after every console line.
   */
  start({ scheduler, resetButton = document.getElementById('reset-button') } = {}) {
    if (this.started) return;
    this.started = true;
    if (resetButton) {
      resetButton.disabled = false;
      resetButton.addEventListener('click', () => this.reset());
    }
    if (this.restored) this.#announceRestored();
    const note = takeResetNote();
    if (note) this.ui?.status?.(note);
    this.lastGeneration = this.engine.generation();
    this.lastClock = this.#clockState();
    this.ui?.onCommand?.(() => { this.commandsSinceStart += 1; this.historyDirty = true; this.#check(); });
    this.offWorld = scheduler?.subscribe(() => this.#check()) ?? null;
    // Leaving (or hiding) the page saves what has not been saved yet.
    const flush = (reason) => { if (this.timer || this.historyDirty || this.#changed()) this.save(reason); };
    addEventListener('pagehide', () => flush('pagehide'));
    document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') flush('hidden'); });
  }

  #clockState() {
    try {
      return `${this.engine.speed()}|${this.engine.isPaused()}`;
    } catch {
      return '';
    }
  }

  #changed() {
    return this.engine.generation() !== this.lastGeneration || this.#clockState() !== this.lastClock;
  }

  #check() {
    if (this.state === 'disabled') return;
    let request = null;
    try {
      request = typeof this.engine.takeSaveRequest === 'function' ? this.engine.takeSaveRequest() : null;
    } catch (e) {
      console.error(e);
    }
    if (request) {
      this.save('command');
      return;
    }
    const providers = this.#providersSignature();
    if (this.#changed() || this.historyDirty || providers !== this.lastProviders) {
      this.lastGeneration = this.engine.generation();
      this.lastClock = this.#clockState();
      this.lastProviders = providers;
      this.historyDirty = false;
      this.#schedule();
    }
  }

  #schedule() {
    const now = Date.now();
    this.firstDirtyAt ??= now;
    const wait = Math.max(0, Math.min(DEBOUNCE_MS, MAX_WAIT_MS - (now - this.firstDirtyAt)));
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.save('auto'), wait);
  }

  /**
   * Save now. The IndexedDB transaction starts before this returns (so it also works from
   * `pagehide`); the promise settles when it is written: true when saved, false otherwise.
   */
  save(reason = 'manual') {
    clearTimeout(this.timer);
    this.timer = null;
    this.firstDirtyAt = null;
    if (this.suspended || this.state !== 'ready' || !this.store) {
      // Not saved; SAVE in the console still answered OK, as Redis does when a save fails
      // in the background. The notice already says why.
      return Promise.resolve(false);
    }
    if (!this.inCharge) {
      // Another tab saves (the notice says so), or the election hasn't settled yet.
      if (this.leadership?.state !== 'follower') this.saveWhenInCharge = true;
      return Promise.resolve(false);
    }
    let record;
    let savedGeneration;
    try {
      // The snapshot stamps the world time of the engine's last clock sync: sync it now.
      this.engine.tick?.();
      const engineBytes = this.engine.snapshot();
      this.lastGeneration = this.engine.generation();
      savedGeneration = this.lastGeneration;
      this.lastClock = this.#clockState();
      this.historyDirty = false;
      record = makeRecord({ engine: engineBytes, page: this.#pageState() });
      record.keys = Array.from(this.engine.dbSizes?.() ?? []).reduce((a, b) => a + b, 0);
    } catch (e) {
      console.error('persistence: snapshot failed', e);
      this.notices.show(say.saveFailed(e));
      return Promise.resolve(false);
    }
    if (reason === 'pagehide' || reason === 'hidden') writePending(record);
    const started = this.store.put('world', record);
    return started.then(() => {
      clearPending();
      this.basis = record.savedAt;
      this.basisGeneration = savedGeneration;
      try {
        this.engine.tick?.(); // markSaved stamps the last sync's world time
        this.engine.markSaved?.();
      } catch (e) { console.error(e); }
      this.lastSavedAt = record.savedAt;
      document.documentElement.dataset.savedAt = String(record.savedAt);
      if (this.quotaFull) {
        this.quotaFull = false;
        this.notices.remove('quota');
      }
      this.notices.remove('save-failed');
      this.#emit(reason);
      return true;
    }, (e) => {
      if (e.kind === 'quota') {
        if (!this.quotaFull) {
          this.quotaFull = true;
          this.notices.show(say.quota(record.engine.length));
        }
      } else {
        this.notices.show(say.saveFailed(e, { retry: true }));
      }
      console.warn('persistence: save failed:', e);
      this.#emit(reason);
      return false;
    });
  }

  // --- whole-world operations -------------------------------------------------------------

  /**
   * Before replacing the world (a shared link, restoring a kept one): keep the current one
   * as a kept playground when it has keys. Returns whether it was kept.
   */
  async keepCurrentAside(why) {
    if (this.state !== 'ready' || !this.store) return false;
    const keys = Array.from(this.engine.dbSizes?.() ?? []).reduce((a, b) => a + b, 0);
    if (keys === 0) return false;
    this.engine.tick?.();
    const record = makeRecord({ engine: this.engine.snapshot(), page: this.#pageState() });
    record.keys = keys;
    return this.#keepAside(record, why);
  }

  #afterWorldChange() {
    this.lastGeneration = -1; // force the next check to see a change
    window.redisPlayground?.clock?.refresh?.();
  }

  /** Ask (reset.js), then empty everything (engine, saved data, console history) and reload. */
  async reset({ confirm = true } = {}) {
    if (confirm && !await confirmReset()) return false;
    this.suspended = true;
    clearTimeout(this.timer);
    this.offWorld?.();
    await resetEverything({ engine: this.engine, store: this.store, ui: this.ui });
    return true;
  }

  // --- status -----------------------------------------------------------------------------

  /** { state, lastSavedAt, restored, quotaFull, inCharge } */
  status() {
    return { state: this.state, lastSavedAt: this.lastSavedAt, restored: this.restored, quotaFull: this.quotaFull, inCharge: this.inCharge };
  }

  /** fn(reason, status) after every save attempt and state change. Returns an unsubscribe. */
  onChange(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  #emit(reason) {
    callEach(this.listeners, 'A persistence listener', reason, this.status());
  }
}
