// The live keyspace view beside the console:
//
//   mountKeyspace({ root, engine, console, scheduler })
//
// - the keys of one db (the active console's, after every SELECT, unless the learner picked
//   another db in the switcher), gathered with the engine's read-only SCAN a bounded amount
//   per step (listing.js), filtered by a glob pattern and a type;
// - shown as a flat list or as a tree grouped by `:` (rows.js), each key with a type badge,
//   its size and its TTL counting down with the world clock;
// - the selected key's value (value.js), re-read whenever the keyspace's generation moves.
//
// What to show is state.js's (KeyspaceState): this module draws it and wires the controls.
// The scheduler drives it: every world it publishes (each tick, and at once after a console
// line) gives the active console's db, the generation and the world time; a running scan
// carries on in 6 ms slices between them. Every key and value is shown as text, never as HTML.
import { h, setText, setAttr, fmtInt, fmtSize, ttlText, TYPES } from './util.js';
import { keyId } from './rows.js';
import { mountValue } from './value.js';
import { KeyspaceState, DATABASES } from './state.js';

/** How long an eviction stays listed under the keys (world ms). */
const EVICTED_SHOWN_MS = 10 * 60_000;
const PAGE = 200; // keys per "load more"
const BUDGET_MS = 6; // scanning time per step while a scan runs
const FILTER_DELAY_MS = 150;
const VIEW_STORAGE = 'redis-playground:keyspace:view';

let uid = 0;

function savedView() {
  try {
    return localStorage.getItem(VIEW_STORAGE) === 'tree' ? 'tree' : 'list';
  } catch {
    return 'list';
  }
}

/**
 * Mount the keyspace view into `root` (the empty keyspace pane). `engine` is the Playground,
 * `console` the console's API (activeDb), `scheduler` the world's (scheduler.js). Returns
 * { refresh, open, destroy }.
 */
export function mountKeyspace({ root, engine, console: cli, scheduler }) {
  const n = ++uid;
  const ids = { db: `ks-db-${n}`, pattern: `ks-pattern-${n}`, type: `ks-type-${n}`, list: `ks-list-${n}`, title: `ks-title-${n}` };

  const state = new KeyspaceState(engine, { page: PAGE, mode: savedView(), db: cli?.activeDb?.() ?? scheduler?.world()?.db ?? 0 });
  const listing = state.listing;
  let timer = 0;
  let stopped = false;

  // --- DOM ---------------------------------------------------------------------------------
  const dbSelect = h('select', { id: ids.db, className: 'ks-select ks-db' });
  for (let i = 0; i < DATABASES; i++) dbSelect.append(h('option', { value: String(i), text: `db${i}` }));
  const followNote = h('span', { className: 'ks-follow-note' });
  const followButton = h('button', { type: 'button', className: 'ks-link', text: 'Follow the console', hidden: true });
  const patternInput = h('input', {
    id: ids.pattern, className: 'ks-input ks-pattern', type: 'search', placeholder: 'Filter: user:*',
    autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off',
    'aria-description': 'A glob pattern, as in SCAN MATCH: * any characters, ? one, [abc] a set',
  });
  const typeSelect = h('select', { id: ids.type, className: 'ks-select ks-type' },
    h('option', { value: '', text: 'All types' }),
    TYPES.map((t) => h('option', { value: t, text: t })));
  const listButton = h('button', { type: 'button', className: 'ks-toggle', text: 'List', 'aria-pressed': 'true' });
  const treeButton = h('button', { type: 'button', className: 'ks-toggle', text: 'Tree', 'aria-pressed': 'false' });
  const count = h('span', { className: 'ks-count' });
  const list = h('div', { id: ids.list, className: 'ks-list', tabindex: '0' });
  const emptyNote = h('p', { className: 'ks-list-empty', hidden: true });
  // Keys maxmemory evicted lately from this db, and why each was the one.
  const evictedNote = h('p', { className: 'ks-evicted', hidden: true, 'aria-live': 'polite' });
  const moreButton = h('button', { type: 'button', className: 'ks-button ks-more-button', text: `Load ${PAGE} more keys`, hidden: true });
  const scanning = h('span', { className: 'ks-scanning', text: 'scanning…', hidden: true });
  const valueRoot = h('section', { className: 'ks-value' }); // named by its title (value.js)

  const frame = h('div', { className: 'ks' },
    h('div', { className: 'ks-head' },
      h('h2', { className: 'ks-title', id: ids.title, text: 'Keyspace' }),
      h('label', { className: 'ks-sr-only', for: ids.db, text: 'Database' }),
      dbSelect),
    h('p', { className: 'ks-follow' }, followNote, ' ', followButton),
    h('div', { className: 'ks-filters', role: 'search', 'aria-label': 'Filter keys' },
      h('label', { className: 'ks-sr-only', for: ids.pattern, text: 'Filter keys by pattern' }),
      patternInput,
      h('label', { className: 'ks-sr-only', for: ids.type, text: 'Filter keys by type' }),
      typeSelect),
    h('div', { className: 'ks-toolbar' },
      h('div', { className: 'ks-view-toggle', role: 'group', 'aria-label': 'Show keys as' }, listButton, treeButton),
      count),
    h('div', { className: 'ks-list-wrap' }, list, emptyNote),
    evictedNote,
    h('div', { className: 'ks-more' }, moreButton, scanning),
    valueRoot);
  root.replaceChildren(frame);
  root.classList.add('keyspace');

  const value = mountValue(valueRoot, engine, { id: `ks-value-${n}`, lookup: (key) => listing.keys.get(key) ?? null });

  // --- the listing -------------------------------------------------------------------------
  /** The shown db changed (or may have): drop the value, show the switcher and the count. */
  function dbChanged(changed) {
    if (changed) {
      value.clear();
      dbSelect.value = String(state.viewDb);
    }
    updateFollow();
    if (changed) {
      updateCount();
      updateEvicted();
    }
  }

  /** The keys evicted from the shown db in the last 10 minutes of world time (5 at most). */
  function updateEvicted() {
    const now = engine.now();
    const recent = Array.from(engine.recentEvictions?.(state.viewDb) ?? [])
      .filter((e) => now - e.at <= EVICTED_SHOWN_MS)
      .slice(0, 5);
    evictedNote.hidden = recent.length === 0;
    if (recent.length === 0) return;
    evictedNote.replaceChildren(
      h('strong', { text: `Evicted (maxmemory-policy ${recent[0].policy}): ` }),
      ...recent.flatMap((e, i) => [i ? ' · ' : '', h('span', { className: 'ks-evicted-key', text: e.key }), ` ${e.why}`]));
  }

  function updateFollow() {
    const note = state.followNote();
    setText(followNote, note.text);
    followButton.hidden = !note.button;
    list.setAttribute('aria-label', `Keys in db${state.viewDb}`);
  }

  function updateSizes() {
    try {
      state.sizes = Array.from(engine.dbSizes());
    } catch {
      return;
    }
    for (let i = 0; i < DATABASES; i++) {
      const opt = dbSelect.options[i];
      setText(opt, `db${i} (${fmtInt(state.sizes[i] ?? 0)})`);
    }
  }

  function updateCount() {
    setText(count, state.countText());
    moreButton.hidden = listing.complete || state.progressive;
    scanning.hidden = !state.progressive;
    const empty = state.emptyText();
    emptyNote.hidden = empty === null;
    if (empty !== null) setText(emptyNote, empty);
    list.hidden = state.rows.length === 0;
  }

  // --- rows --------------------------------------------------------------------------------
  /** A long name wraps rather than hides: text nodes, with a line-break chance after each `:`. */
  function breakable(text) {
    const parts = text.split(/(?<=:)/);
    return parts.flatMap((part, i) => (i < parts.length - 1 ? [part, h('wbr')] : [part]));
  }

  const elements = new Map(); // row id → element
  let ttlCells = []; // [cell, info, row element] of the rows with a TTL

  function rowElement(row) {
    let el = elements.get(row.id); // ids differ by kind (k:… / f:…)
    if (!el) {
      el = h('div', { className: `ks-row ks-${row.kind}`, id: `ks-row-${n}-${++uid}`, dataset: { kind: row.kind } });
      if (row.kind === 'key') {
        el.append(
          h('span', { className: 'ks-badge' }),
          h('span', { className: 'ks-name' }),
          h('span', { className: 'ks-ttl' }),
          h('span', { className: 'ks-size' }));
      } else {
        el.append(
          h('span', { className: 'ks-twisty', 'aria-hidden': 'true' }),
          h('span', { className: 'ks-name' }),
          h('span', { className: 'ks-folder-count' }),
          h('span', { className: 'sr-only' }));
      }
      elements.set(row.id, el);
    }
    el._row = row;
    const tree = state.mode === 'tree';
    setAttr(el, 'role', tree ? 'treeitem' : 'option');
    setAttr(el, 'aria-level', tree ? row.level : null);
    setAttr(el, 'aria-posinset', row.posinset);
    setAttr(el, 'aria-setsize', row.setsize);
    el.style.setProperty('--level', String(row.level - 1));
    const [a, b, c, d] = el.children;
    if (row.kind === 'key') {
      const info = row.info;
      a.className = `ks-badge ks-t-${info.type}`;
      setText(a, info.type);
      // The name: in the tree, the part the folders already say is dimmed.
      const prefix = row.prefix && row.key.startsWith(row.prefix) ? row.prefix : '';
      const rest = row.key.slice(prefix.length);
      if (b.dataset.key !== row.key || b.dataset.prefix !== prefix) {
        b.replaceChildren(
          ...(prefix ? [h('span', { className: 'ks-prefix' }, ...breakable(prefix))] : []),
          ...(rest === '' ? [h('span', { className: 'ks-muted', text: row.key === '' ? '(empty name)' : '' })] : breakable(rest)));
        b.dataset.key = row.key;
        b.dataset.prefix = prefix;
        b.title = row.key;
      }
      setText(d, fmtSize(info.type, info.size));
      // Named by what it shows (type, name, TTL, size), as a screen reader user hears it.
      setAttr(el, 'aria-selected', row.key === state.selected ? 'true' : 'false');
      setAttr(el, 'aria-expanded', null);
      el.classList.toggle('is-selected', row.key === state.selected);
      el.dataset.key = row.key;
      el.dataset.type = info.type;
    } else {
      setText(b, row.name === '' ? '(empty)' : row.name);
      b.classList.toggle('ks-muted', row.name === '');
      b.title = `${row.path}*`;
      // Counts are of the keys gathered so far: "200+" until the listing is complete.
      const more = listing.complete ? '' : '+';
      setText(c, `${fmtInt(row.count)}${more}`);
      setAttr(el, 'aria-expanded', row.expanded ? 'true' : 'false');
      setAttr(el, 'aria-selected', null);
      setText(d, row.count === 1 && !more ? ' key' : ' keys');
      el.classList.toggle('is-open', row.expanded);
      el.dataset.path = row.path;
    }
    el.classList.toggle('is-active', row.id === state.activeId);
    return el;
  }

  function render() {
    const rows = state.layout();
    list.setAttribute('role', state.mode === 'tree' ? 'tree' : 'listbox');
    const keep = new Set(rows.map((r) => r.id));
    for (const [id, el] of elements) {
      if (!keep.has(id)) {
        el.remove();
        elements.delete(id);
      }
    }
    let cursor = list.firstElementChild;
    ttlCells = [];
    for (const row of rows) {
      const el = rowElement(row);
      if (el !== cursor) list.insertBefore(el, cursor);
      else cursor = cursor.nextElementSibling;
      if (row.kind === 'key' && row.info.ttl >= 0) ttlCells.push([el.children[2], row.info, el]);
      else if (row.kind === 'key') setText(el.children[2], '');
    }
    updateActive();
    updateCount();
    // The value pane tells "expired, not yet deleted" from "gone" by the listing: read again.
    value.refresh();
    tickTtls(engine.now());
  }

  function updateActive() {
    const row = state.rows.find((r) => r.id === state.activeId);
    const el = row ? elements.get(row.id) : null;
    setAttr(list, 'aria-activedescendant', el ? el.id : null);
    for (const [id, e] of elements) e.classList.toggle('is-active', id === state.activeId);
  }

  function tickTtls(now) {
    for (const [cell, info, el] of ttlCells) {
      const t = ttlText(info, now);
      setText(cell, t);
      el.classList.toggle('is-expiring', t === 'expiring…');
    }
    value.tick(now);
  }

  // --- selection and keyboard --------------------------------------------------------------
  function activate(id, { scroll = true } = {}) {
    if (id === null || id === undefined) return;
    state.activeId = id;
    updateActive();
    if (scroll) elements.get(id)?.scrollIntoView({ block: 'nearest' });
  }

  function select(key) {
    state.selected = key;
    value.show(state.viewDb, key);
    for (const [, el] of elements) {
      const on = el._row?.kind === 'key' && el._row.key === key;
      setAttr(el, 'aria-selected', el._row?.kind === 'key' ? (on ? 'true' : 'false') : null);
      el.classList.toggle('is-selected', on);
    }
  }

  function toggleFolder(path, open) {
    state.toggleFolder(path, open);
    render();
  }

  function choose(row) {
    const what = state.choose(row);
    if (what?.toggle !== undefined) toggleFolder(what.toggle);
    else if (what) select(what.select);
  }

  function pageSize() {
    const first = list.firstElementChild;
    const rowHeight = first ? first.getBoundingClientRect().height : 24;
    return Math.max(1, Math.floor(list.clientHeight / (rowHeight || 24)) - 1);
  }

  // The active row's ring shows for keyboard use, not after a click.
  let pointing = false; // a focus that comes from a click: the click picks the row
  list.addEventListener('pointerdown', () => {
    list.classList.remove('ks-kbd');
    pointing = true;
    setTimeout(() => { pointing = false; }, 0);
  });
  list.addEventListener('keydown', (ev) => {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    list.classList.add('ks-kbd');
    const what = state.key(ev.key, { pageSize: pageSize(), wall: performance.now() });
    if (what.toggle) toggleFolder(what.toggle.path, what.toggle.open);
    else if (what.choose) choose(what.choose);
    else if (what.activate !== undefined) activate(what.activate);
    if (what.handled) ev.preventDefault();
  });

  list.addEventListener('focus', () => {
    const id = pointing ? null : state.focusRow();
    if (id !== null) activate(id);
  });

  list.addEventListener('click', (ev) => {
    const el = ev.target.closest('.ks-row');
    if (!el || !el._row) return;
    activate(el._row.id, { scroll: false });
    choose(el._row);
  });

  // --- controls ----------------------------------------------------------------------------
  dbSelect.addEventListener('change', () => dbChanged(state.setDb(Number(dbSelect.value), { byUser: true })));
  followButton.addEventListener('click', () => {
    dbChanged(state.refollow());
    updateFollow();
    dbSelect.focus();
  });

  let filterTimer = 0; // a debounce: the pattern is applied once typing pauses
  const applyPattern = () => {
    if (state.setPattern(patternInput.value)) soon();
  };
  patternInput.addEventListener('input', () => {
    clearTimeout(filterTimer);
    filterTimer = setTimeout(applyPattern, FILTER_DELAY_MS);
  });
  patternInput.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      ev.preventDefault();
      clearTimeout(filterTimer);
      applyPattern();
    } else if (ev.key === 'ArrowDown' && state.rows.length > 0) {
      ev.preventDefault();
      list.focus();
    }
  });
  typeSelect.addEventListener('change', () => {
    state.setType(typeSelect.value);
    soon();
  });

  function setMode(m) {
    state.setMode(m);
    listButton.setAttribute('aria-pressed', String(m === 'list'));
    treeButton.setAttribute('aria-pressed', String(m === 'tree'));
    root.classList.toggle('ks-mode-tree', m === 'tree');
    try {
      localStorage.setItem(VIEW_STORAGE, m);
    } catch { /* private mode */ }
    if (state.renderedVersion !== -1) render();
  }
  listButton.addEventListener('click', () => setMode('list'));
  treeButton.addEventListener('click', () => setMode('tree'));
  moreButton.addEventListener('click', () => {
    listing.loadMore();
    updateCount();
    soon();
  });

  // --- following the world -------------------------------------------------------------------
  /** One step: follow the active console's db and the generation, scan a slice, draw. */
  function step(world = scheduler?.world()) {
    clearTimeout(timer);
    timer = 0;
    if (stopped || !world) return;
    try {
      const consoleDb = state.consoleDb;
      if (state.follow(world.db)) dbChanged(true);
      else if (consoleDb !== world.db) updateFollow(); // 'The console is on db3.'
      const changed = state.sawGeneration(world.generation);
      if (changed) {
        updateSizes();
        updateEvicted();
      }
      if (listing.busy) listing.work(BUDGET_MS);
      if (state.stale) render(); // re-reads the value too
      else {
        if (changed) value.refresh();
        updateCount();
      }
      tickTtls(engine.now());
    } catch (e) {
      // The engine stopped (the console says so); keep the last picture.
      stopped = true;
      globalThis.console.error(e);
      return;
    }
    // A running scan carries on in slices, between the world's ticks.
    if (listing.busy) timer = setTimeout(() => step(), 0);
  }

  /** Look again now (a filter changed, more keys were asked for…), not at the next tick. */
  function soon() {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => step(), 0);
  }

  dbSelect.value = String(state.viewDb);
  state.lastGeneration = engine.generation();
  updateSizes();
  updateFollow();
  setMode(state.mode);
  const unsubscribe = scheduler?.subscribe((world) => step(world)) ?? null;

  return {
    /** Look for changes now rather than at the next tick. */
    refresh: soon,
    /** Show `key` of `db` (from a link elsewhere): switch to the db, select it, scroll to it. */
    open({ db, key }) {
      if (stopped) return;
      dbChanged(state.setDb(Number(db), { byUser: true }));
      select(String(key));
      step(); // list the db now, so the key's row exists to scroll to
      root.scrollIntoView({ block: 'nearest' });
      const row = elements.get(keyId(String(key)));
      if (row) activate(row._row.id);
      else valueRoot.scrollIntoView({ block: 'nearest' });
    },
    /** Stop following the world. */
    destroy() {
      stopped = true;
      clearTimeout(timer);
      clearTimeout(filterTimer);
      unsubscribe?.();
    },
  };
}
