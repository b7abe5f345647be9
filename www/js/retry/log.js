// The live log of the commands the simulation sends and what each got back, MONITOR style
// (engine.simLog), with the world time as a clock time (MONITOR's epoch seconds in the
// tooltip):
//   09:01:15.000 [10 poller-1] "TTL" "order:1"  → (integer) -2
// filterable by strategy and by a key or text (whole words: order:42 is not order:4208) or a
// glob; a filter looks through every entry the engine keeps, not only those shown. Bounded
// in the DOM; at high speed an update reads the newest entries and counts the rest as
// skipped. Each key is a link that opens it in the keyspace view.
//
//   log.reset()                    a new run: forget everything
//   log.update(engine, { force })  read what is new (call it ~10 times a second); each batch
//                                  read also goes to onEntries(entries), if given
import { h, setText, uid, fmtInt, globToRegExp, openKeyLinks, STRATEGIES, STRATEGY_NAMES } from './util.js';
import { formatTime } from '../clock/format.js';

const MAX_LINES = 500; // lines kept in the DOM
const KEEP = 2000; // entries kept in memory, for re-filtering
const READ_PER_UPDATE = 150; // entries read from the engine per update, at most

/** Which arguments of the simulation's commands are keys (1-based; 'all' = every argument). */
const KEY_ARGS = {
  TTL: [1], PTTL: [1], SETEX: [1], SET: [1], GET: [1], INCR: [1], EXPIRE: [1], PEXPIRE: [1],
  DEL: 'all', UNLINK: 'all', EXISTS: 'all', ZADD: [1], ZREM: [1], ZRANGEBYSCORE: [1], ZRANGE: [1], ZCARD: [1],
  WATCH: 'all', EVAL: [3], EVALSHA: [3],
};

/**
 * A MONITOR line's head (`1700000075.000000 [10 poller-1]`) with its epoch seconds as a
 * world clock time: `{ text: '09:01:15.000 [10 poller-1]', epoch: '1700000075.000000' }`.
 */
export function clockHead(head) {
  const m = /^(\d+)\.(\d{6}) (.*)$/.exec(head);
  if (!m) return { text: head, epoch: '' };
  const ms = Number(m[1]) * 1000 + Math.floor(Number(m[2]) / 1000);
  return { text: `${formatTime(ms)}.${String(ms % 1000).padStart(3, '0')} ${m[3]}`, epoch: `${m[1]}.${m[2]}` };
}

/**
 * The filter box's text as a test on a log line: a glob (`*ZREM*`), or text matched as
 * whole words, case-insensitively (`order:42` matches order:42 and order:42:retry_count,
 * not order:4208).
 */
export function lineMatcher(text) {
  text = String(text ?? '').trim();
  if (!text) return () => true;
  if (/[*?[]/.test(text)) {
    const re = globToRegExp(text);
    return (line) => re.test(line);
  }
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(?<![0-9A-Za-z_])${escaped}(?![0-9A-Za-z_])`, 'i');
  return (line) => re.test(line);
}

/** The quoted arguments of a MONITOR line's command part, unescaped, with their spans. */
export function monitorArgs(text) {
  const out = [];
  const re = /"((?:[^"\\]|\\.)*)"/g;
  let m;
  while ((m = re.exec(text))) {
    const raw = m[1];
    const value = raw.replace(/\\(x[0-9a-fA-F]{2}|.)/g, (_, e) => {
      if (e[0] === 'x' && e.length === 3) return String.fromCharCode(parseInt(e.slice(1), 16));
      return { n: '\n', r: '\r', t: '\t', a: '\x07', b: '\b' }[e] ?? e;
    });
    out.push({ start: m.index, end: m.index + m[0].length, value });
  }
  return out;
}

export function mountLog(root, { onOpenKey, onEntries = null }) {
  const ids = { strategy: uid('rs-log-strategy'), filter: uid('rs-log-filter'), freeze: uid('rs-log-freeze') };
  const strategySelect = h('select', { id: ids.strategy, className: 'rs-input' },
    h('option', { value: '', text: 'all' }),
    STRATEGIES.map((s) => h('option', { value: s, text: STRATEGY_NAMES[s] })),
    h('option', { value: 'setup', text: 'setup' }));
  const filterInput = h('input', {
    id: ids.filter, className: 'rs-input rs-log-filter', type: 'search', placeholder: 'order:42 or *ZREM*', autocomplete: 'off', spellcheck: 'false',
    'aria-description': 'Text to look for, or a glob pattern with * ? [abc]',
  });
  const freeze = h('input', { id: ids.freeze, type: 'checkbox', className: 'rs-check' });
  const status = h('p', { className: 'rs-log-status', 'aria-live': 'off' });
  // A div, not an <ol>: ARIA allows the log role on neither <ol> nor its <li>s.
  const list = h('div', { className: 'rs-log-lines', role: 'log', 'aria-label': 'Commands sent by the simulation', 'aria-live': 'off', tabindex: '0' });
  root.replaceChildren(
    h('div', { className: 'rs-panel-head' },
      h('h3', { text: 'Commands sent and their replies (as MONITOR shows them)' }),
      h('div', { className: 'rs-tools', role: 'search', 'aria-label': 'Filter the commands' },
        h('label', { for: ids.strategy, text: 'Strategy' }), strategySelect,
        h('label', { for: ids.filter, text: 'Filter' }), filterInput,
        h('label', { className: 'rs-field-check', for: ids.freeze }, freeze, h('span', { text: 'Hold' })))),
    list, status);

  let entries = []; // the newest entries read, oldest first (at most KEEP)
  let lastSeq = 0;
  let skipped = 0;
  let shownCount = 0;
  let matcher = () => true;
  let source = null; // the engine, to look through its whole log when filtering

  function reset() {
    entries = [];
    stale = false;
    lastSeq = 0;
    skipped = 0;
    shownCount = 0;
    list.replaceChildren();
    setText(status, '');
  }

  /** The newest seq in the engine's log. */
  function newestSeq(engine) {
    return engine.simLogLast() ?? lastSeq;
  }

  let stale = false; // entries were read while the list was off screen

  /** Read what is new (always: it is cheap); draw it only when the list is on screen. */
  function update(engine, { visible = true, force = false } = {}) {
    source = engine;
    if (freeze.checked && !force) return;
    const newest = newestSeq(engine);
    let got = [];
    if (newest > lastSeq) {
      const from = Math.max(lastSeq, newest - READ_PER_UPDATE);
      got = engine.simLog(from, READ_PER_UPDATE) ?? [];
      if (got.length) {
        skipped += got[0].seq - lastSeq - 1;
        lastSeq = got[got.length - 1].seq;
        entries.push(...got);
        if (entries.length > KEEP) entries.splice(0, entries.length - KEEP);
        onEntries?.(got); // the code panel follows the same entries (the log is read once)
      }
    }
    if (!visible) {
      stale ||= got.length > 0;
      return;
    }
    if (stale) {
      stale = false;
      rerender();
      return;
    }
    append(got.filter(matches));
    renderStatus();
  }

  function matches(e) {
    const s = strategySelect.value;
    if (s === 'setup' ? e.strategy !== null : s && e.strategy !== s) return false;
    return matcher(`${e.line} ${e.reply}`);
  }

  function lineElement(e) {
    const li = h('div', { className: `rs-log-line rs-s-${e.strategy ?? 'setup'}`, dataset: { seq: e.seq, db: e.db } });
    const close = e.line.indexOf('] ');
    const head = close >= 0 ? e.line.slice(0, close + 1) : '';
    const cmd = close >= 0 ? e.line.slice(close + 2) : e.line;
    const args = monitorArgs(cmd);
    const name = (args[0]?.value ?? '').toUpperCase();
    const spec = KEY_ARGS[name];
    const when = clockHead(head);
    li.append(h('span', { className: 'rs-log-head', text: when.text, title: when.epoch ? `${when.epoch} (MONITOR's time: seconds since 1970)` : '' }), ' ');
    let pos = 0;
    args.forEach((a, i) => {
      const isKey = i > 0 && spec && (spec === 'all' || spec.includes(i));
      if (!isKey) return;
      if (a.start > pos) li.append(cmd.slice(pos, a.start));
      li.append(h('a', {
        className: 'rs-key-link', href: '#keyspace', dataset: { key: a.value, db: e.db },
        title: `Open ${a.value} (db ${e.db}) in the keyspace view`, text: cmd.slice(a.start, a.end),
      }));
      pos = a.end;
    });
    if (pos < cmd.length) li.append(cmd.slice(pos));
    li.append(h('span', { className: 'rs-log-reply', text: ` → ${e.reply}` }));
    return li;
  }

  function append(list2) {
    if (!list2.length) return;
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 24;
    const take = list2.slice(-MAX_LINES);
    const frag = document.createDocumentFragment();
    for (const e of take) frag.append(lineElement(e));
    list.append(frag);
    shownCount += take.length;
    let extra = list.childElementCount - MAX_LINES;
    while (extra-- > 0) list.firstElementChild.remove();
    if (atBottom) list.scrollTop = list.scrollHeight;
  }

  /** Every entry the engine keeps (a filter looks through all of them), else those read. */
  function allEntries() {
    if (!filtering() || !source) return entries;
    try {
      const all = source.simLog(0, 100_000);
      return all && all.length ? Array.from(all) : entries;
    } catch {
      return entries;
    }
  }

  const filtering = () => filterInput.value.trim() !== '' || strategySelect.value !== '';

  function rerender() {
    list.replaceChildren();
    append(allEntries().filter(matches));
    list.scrollTop = list.scrollHeight;
    renderStatus();
  }

  function renderStatus() {
    const n = list.childElementCount;
    const parts = [`${fmtInt(n)} line${n === 1 ? '' : 's'} shown (at most ${MAX_LINES})`];
    if (skipped > 0) parts.push(`${fmtInt(skipped)} earlier commands not shown (the log keeps up with the newest; the metrics count every one)`);
    if (freeze.checked) parts.push('held: untick “Hold” to follow again');
    setText(status, `${parts.join(' · ')}.`);
  }

  function setFilter() {
    matcher = lineMatcher(filterInput.value);
    rerender();
  }

  let filterTimer = 0;
  filterInput.addEventListener('input', () => {
    clearTimeout(filterTimer);
    filterTimer = setTimeout(setFilter, 120);
  });
  filterInput.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      ev.preventDefault();
      clearTimeout(filterTimer);
      setFilter();
    }
  });
  strategySelect.addEventListener('change', rerender);
  freeze.addEventListener('change', renderStatus);
  openKeyLinks(list, onOpenKey);

  return {
    reset,
    update,
    element: list,
    setFilter(text, strategy = '') {
      filterInput.value = text;
      strategySelect.value = strategy;
      setFilter();
    },
  };
}
