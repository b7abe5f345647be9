// The keyspace view's state, without DOM: which db it shows (following the active console's
// unless the learner picked another), the filters, list or tree, the rows, which row the
// keyboard is on and which key is selected, and what the count and notes say. keyspace.js
// draws it; the node tests drive it directly.
//
//   const s = new KeyspaceState(engine, { page: 200, mode: 'list' });
//   s.follow(world.db)            the active console's db (from the scheduler): may move the view
//   s.sawGeneration(gen)          the keyspace changed: gather the listing again
//   s.work(ms)                    advance a running scan a bounded time (Listing)
//   s.layout()                    the rows to draw now (flat or tree), when the listing moved
//   s.key(key, { pageSize })      what a key press on the list does
import { Listing } from './listing.js';
import { flatRows, treeRows, ancestorPaths, keyId } from './rows.js';
import { fmtInt } from './util.js';

export const DATABASES = 16;
const TYPE_LABELS = { string: 'strings', list: 'lists', set: 'sets', zset: 'sorted sets', hash: 'hashes', stream: 'streams' };
const TYPE_AHEAD_MS = 700; // keys typed closer than this make one search

export class KeyspaceState {
  /** `engine`: the Playground (scanKeys, now); `page` keys per "load more". */
  constructor(engine, { page = 200, mode = 'list', db = 0 } = {}) {
    this.listing = new Listing(engine, { page });
    this.consoleDb = db; // the active console's db
    this.viewDb = db; // the db shown
    this.following = true; // the view follows the console's SELECT
    this.pattern = '';
    this.type = '';
    this.mode = mode; // 'list' | 'tree'
    this.expanded = new Set(); // folder paths open in the tree
    this.selected = null; // the key whose value is shown
    this.activeId = null; // the row the keyboard is on
    this.rows = [];
    this.renderedVersion = -1; // the listing version the rows were laid out from
    this.lastGeneration = null;
    this.sizes = []; // keys per db (engine.dbSizes())
    this.typed = ''; // type-ahead
    this.typedAt = -Infinity;
    this.query();
  }

  get filtered() {
    return (this.pattern !== '' && this.pattern !== '*') || this.type !== '';
  }

  /** Gather the listing afresh for the db and filters. */
  query() {
    const { pattern, type } = this;
    this.listing.setQuery({ db: this.viewDb, pattern: pattern === '' || pattern === '*' ? undefined : pattern, type: type || undefined });
    this.renderedVersion = -1;
  }

  /**
   * Show db `db` (`byUser`: picked in the switcher, which stops following the console unless
   * it picked the console's db). Returns true when the shown db changed: the selection and
   * the value are gone then.
   */
  setDb(db, { byUser = false } = {}) {
    if (byUser) this.following = db === this.consoleDb;
    if (db === this.viewDb) return false;
    this.viewDb = db;
    this.selected = null;
    this.activeId = null;
    this.query();
    return true;
  }

  /** The active console is on db `db` now. Returns true when the shown db changed. */
  follow(db) {
    if (db === this.consoleDb) return false;
    this.consoleDb = db;
    if (this.following || db === this.viewDb) {
      this.following = true;
      return this.setDb(db);
    }
    return false;
  }

  /** "Follow the console" again. Returns true when the shown db changed. */
  refollow() {
    this.following = true;
    return this.setDb(this.consoleDb);
  }

  /** The note above the filters: `{ text, button }` (show the "Follow the console" button). */
  followNote() {
    return this.following
      ? { text: `Following the console (db${this.consoleDb}).`, button: false }
      : { text: `The console is on db${this.consoleDb}.`, button: true };
  }

  setPattern(pattern) {
    if (pattern === this.pattern) return false;
    this.pattern = pattern;
    this.query();
    return true;
  }

  setType(type) {
    this.type = type;
    this.query();
  }

  /** List or tree; the tree opens the folders of the selected key. */
  setMode(mode) {
    this.mode = mode;
    if (mode === 'tree' && this.selected !== null) for (const p of ancestorPaths(this.selected)) this.expanded.add(p);
  }

  /** `engine.generation()` now: true (and a new listing pass) when the keyspace changed. */
  sawGeneration(gen) {
    if (gen === this.lastGeneration) return false;
    this.lastGeneration = gen;
    this.listing.invalidate();
    return true;
  }

  /** Whether the rows must be laid out again (the listing moved on). */
  get stale() {
    return this.listing.version !== this.renderedVersion;
  }

  /** The rows to draw, from the listing: flat, or the tree with its open folders. */
  layout() {
    this.rows = this.mode === 'tree' ? treeRows(this.listing.keys, this.expanded) : flatRows(this.listing.keys);
    this.renderedVersion = this.listing.version;
    if (this.activeId !== null && !this.rows.some((r) => r.id === this.activeId)) this.activeId = null;
    return this.rows;
  }

  /** The count beside the view toggle: "3 keys", "2 of 5 keys match", "200 of 1,000 keys shown". */
  countText() {
    const shown = this.listing.keys.size;
    const total = this.sizes[this.viewDb] ?? shown;
    const noun = (k) => (k === 1 ? 'key' : 'keys');
    if (this.listing.complete) {
      return this.filtered ? `${fmtInt(shown)} of ${fmtInt(total)} ${noun(total)} match` : `${fmtInt(shown)} ${noun(shown)}`;
    }
    if (this.filtered) return `${fmtInt(shown)} matching ${noun(shown)} so far`;
    return `${fmtInt(shown)} of ${fmtInt(total)} ${noun(total)} shown`;
  }

  /** A scan is running that shows its keys as it goes ("scanning…", no "load more"). */
  get progressive() {
    return Boolean(this.listing.pass?.progressive);
  }

  /** The note instead of an empty list, or null when there are rows (or a scan is running). */
  emptyText() {
    if (this.rows.length > 0 || this.progressive) return null;
    if (this.filtered) {
      const what = this.type ? TYPE_LABELS[this.type] : 'keys';
      return this.pattern ? `No ${what} match ${this.pattern} in db${this.viewDb}.` : `No ${what} in db${this.viewDb}.`;
    }
    return `db${this.viewDb} is empty. Keys you create in the console appear here.`;
  }

  // --- the keyboard and the pointer ---------------------------------------------------------

  rowIndex() {
    return this.rows.findIndex((r) => r.id === this.activeId);
  }

  /** The row id at index `to` (clamped), or null without rows. */
  rowAt(to) {
    if (this.rows.length === 0) return null;
    return this.rows[Math.max(0, Math.min(this.rows.length - 1, to))].id;
  }

  toggleFolder(path, open = !this.expanded.has(path)) {
    if (open) this.expanded.add(path);
    else this.expanded.delete(path);
  }

  /** What choosing a row does: `{ toggle: path }` for a folder, `{ select: key }` for a key. */
  choose(row) {
    if (!row) return null;
    return row.kind === 'folder' ? { toggle: row.path } : { select: row.key };
  }

  /** The row the list's focus starts on: the selected key's, or the first. */
  focusRow() {
    if (this.activeId !== null || this.rows.length === 0) return null;
    const sel = this.selected !== null ? this.rows.find((r) => r.id === keyId(this.selected)) : null;
    return (sel || this.rows[0]).id;
  }

  /**
   * What key `key` (KeyboardEvent.key, no modifiers) does on the list at wall time `wall`:
   * `{ handled, activate?: rowId, choose?: row, toggle?: { path, open } }`.
   */
  key(key, { pageSize = 10, wall = 0 } = {}) {
    const i = this.rowIndex();
    const row = this.rows[i];
    const from = i < 0 ? 0 : i;
    if (key.length !== 1 || key === ' ') this.typed = ''; // any other key ends a type-ahead
    switch (key) {
      case 'ArrowDown': return { handled: true, activate: this.rowAt(i < 0 ? 0 : i + 1) };
      case 'ArrowUp': return { handled: true, activate: this.rowAt(i < 0 ? 0 : i - 1) };
      case 'Home': return { handled: true, activate: this.rowAt(0) };
      case 'End': return { handled: true, activate: this.rowAt(this.rows.length - 1) };
      case 'PageDown': return { handled: true, activate: this.rowAt(from + pageSize) };
      case 'PageUp': return { handled: true, activate: this.rowAt(from - pageSize) };
      case 'Enter':
      case ' ':
        return i < 0 ? { handled: true, activate: this.rowAt(0) } : { handled: true, choose: row };
      case 'ArrowRight':
        if (row?.kind === 'folder') {
          if (!row.expanded) return { handled: true, toggle: { path: row.path, open: true } };
          if (this.rows[i + 1]?.parentId === row.id) return { handled: true, activate: this.rows[i + 1].id };
          return { handled: true };
        }
        return { handled: this.mode === 'tree' };
      case 'ArrowLeft':
        if (row?.kind === 'folder' && row.expanded) return { handled: true, toggle: { path: row.path, open: false } };
        if (row?.parentId) return { handled: true, activate: row.parentId };
        return { handled: this.mode === 'tree' };
      default:
        if (key.length === 1 && key !== ' ') return { handled: true, activate: this.typeAhead(key, wall) };
        return { handled: false };
    }
  }

  /** Type-ahead: the next row whose name starts with what was typed (null: none). */
  typeAhead(char, wall) {
    this.typed = wall - this.typedAt > TYPE_AHEAD_MS ? char : this.typed + char;
    this.typedAt = wall;
    const i = this.rowIndex();
    const label = (r) => (r.kind === 'key' ? r.key.slice(r.prefix.length) : r.name).toLowerCase();
    const from = this.typed.length === 1 ? i + 1 : Math.max(0, i);
    const want = this.typed.toLowerCase();
    for (let k = 0; k < this.rows.length; k++) {
      const r = this.rows[(from + k) % this.rows.length];
      if (label(r).startsWith(want)) return r.id;
    }
    return null;
  }
}
