// The value of the selected key, by type, a page at a time, through the engine's read-only
// `inspect(db, key, offset, limit)`:
//   string → text, hex and bits (a HyperLogLog also its estimate);  list → index/value;
//   set → member;  zset → rank/member/score (a geo set also longitude/latitude);
//   hash → field/value (and each field's own TTL counting down, Redis 7.4's HEXPIRE);  stream → id/fields, then its consumer groups (consumers, pending
//   entries, idle times counting up with the world clock).
// `refresh()` reads it again (the keyspace view calls it when generation() moves), and the
// TTL in the header counts down with the world clock (`tick(now)`). Values are text nodes only.
import { h, setText, fmtInt, fmtSize, fmtSizeLong, fmtTtl, ttlText, remaining } from './util.js';

const PAGE = 100; // items per page of a collection
const TEXT_PAGE = 20_000; // characters per page of a string's text
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+/g; // shown as \xNN in a binary string's text

const COLUMNS = {
  list: [['index', 'index'], ['value', 'value']],
  set: [['member', 'member']],
  zset: [['rank', 'rank'], ['member', 'member'], ['score', 'score']],
  // A geo set: the position decoded from the score, longitude over latitude (the 52-bit
  // score itself would not fit beside it in the pane; ZRANGE … WITHSCORES shows it).
  geo: [['rank', 'rank'], ['member', 'member'], ['position', 'longitude / latitude']],
  hash: [['field', 'field'], ['value', 'value']],
  stream: [['id', 'id'], ['fields', 'fields and values']],
};
const BITS_SHOWN = 64; // bytes of a string shown as bits (512 bits)

/** An idle time as XPENDING counts it, in the two largest units. */
function fmtIdle(ms) {
  if (ms < 1000) return `${Math.floor(ms)} ms`;
  const sec = Math.floor(ms / 1000);
  if (sec < 60) return `${sec} s`;
  const min = Math.floor(sec / 60);
  if (min < 60) return `${min} min ${sec % 60} s`;
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}

const hexBytes = (hex) => (hex.trim() === '' ? [] : hex.trim().split(/\s+/));

/**
 * Fill `pre` with a hex dump of `hex` (the engine's `68 65 6c`): offset, bytes, and their
 * printable ASCII; 16, 8 or 4 bytes a row, the most that fit the pane's width.
 */
function hexDump(pre, hex) {
  const bytes = hexBytes(hex);
  if (bytes.length === 0) {
    pre.replaceChildren('(no bytes)');
    return;
  }
  const digits = Math.max(2, (bytes.length - 1).toString(16).length); // offsets: 00…f8 for 256 bytes
  for (let perRow = 16; ; perRow /= 2) {
    const nodes = [];
    for (let i = 0; i < bytes.length; i += perRow) {
      const row = bytes.slice(i, i + perRow);
      const ascii = row.map((b) => {
        const c = parseInt(b, 16);
        return c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
      }).join('');
      if (i > 0) nodes.push('\n');
      nodes.push(`${i.toString(16).padStart(digits, '0')}  ${row.join(' ').padEnd(Math.min(perRow, bytes.length) * 3 - 1)}  `);
      nodes.push(h('span', { className: 'ks-ascii', text: ascii }));
    }
    pre.replaceChildren(...nodes);
    pre.dataset.perRow = String(perRow);
    if (perRow === 4 || pre.clientWidth === 0 || pre.scrollWidth <= pre.clientWidth) return;
  }
}

/**
 * The first bytes of `hex` as bits, eight to a row, each row labelled with the offset of its
 * first bit; set bits are marked (and named for screen readers). Bit 0 is the most
 * significant bit of the first byte, as SETBIT and GETBIT count.
 */
function bitRows(hex, maxBytes = BITS_SHOWN) {
  const bytes = hexBytes(hex).slice(0, maxBytes).map((b) => parseInt(b, 16));
  return bytes.map((byte, i) => ({
    offset: i * 8,
    bits: Array.from({ length: 8 }, (_, j) => (byte >> (7 - j)) & 1),
  }));
}

function bitGrid(hex) {
  const rows = bitRows(hex);
  const grid = h('div', { className: 'ks-bits', role: 'list', 'aria-label': 'Bits, by offset' });
  for (const { offset, bits } of rows) {
    const set = bits.map((b, j) => (b ? offset + j : null)).filter((x) => x !== null);
    grid.append(h('div', {
      className: 'ks-bit-row',
      role: 'listitem',
      'aria-label': set.length ? `bits ${offset}–${offset + 7}: ${set.join(', ')} set` : `bits ${offset}–${offset + 7}: none set`,
    },
    h('span', { className: 'ks-bit-offset', text: String(offset) }),
    ...bits.map((b, j) => h('span', {
      className: b ? 'ks-bit is-set' : 'ks-bit',
      title: `bit ${offset + j} = ${b}`,
      text: String(b),
    }))));
  }
  return grid;
}

/** A binary string's text with its control characters as visible `\xNN` escapes. */
function escapedText(text) {
  const nodes = [];
  let last = 0;
  for (const m of text.matchAll(CONTROL)) {
    if (m.index > last) nodes.push(text.slice(last, m.index));
    // One element per run of control characters, however long.
    const escaped = [...m[0]].map((c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');
    nodes.push(h('span', { className: 'ks-escape', title: 'control characters, as bytes', text: escaped }));
    last = m.index + m[0].length;
  }
  if (last < text.length) nodes.push(text.slice(last));
  return nodes;
}

/** What changed in a value (everything but the TTL, which moves on its own). */
const signature = (v) => JSON.stringify(v, (k, x) => (k === 'ttl' ? undefined : x));

/**
 * Mount the value pane in `root`. `lookup(key)` gives the listing's row for a key (to tell
 * "deleted" from "expired but not yet deleted"). Returns { show, clear, refresh, tick, key }.
 */
export function mountValue(root, engine, { id = 'ks-value', lookup = () => null } = {}) {
  let db = 0;
  let key = null;
  let offset = 0;
  let view = null; // the last inspect() result, with `at`
  let sig = '';

  const badge = h('span', { className: 'ks-badge', hidden: true });
  const title = h('h3', { className: 'ks-value-key', id: `${id}-title` });
  const ttl = h('span', { className: 'ks-meta-ttl' });
  const size = h('span', { className: 'ks-meta-size' });
  const encoding = h('span', { className: 'ks-meta-encoding' });
  const meta = h('p', { className: 'ks-meta' }, ttl, size, encoding);
  const head = h('header', { className: 'ks-value-head' }, h('div', { className: 'ks-value-title' }, badge, title), meta);
  // Focusable when it shows a value, so the keyboard can scroll a long one.
  const body = h('div', { className: 'ks-value-body', role: 'region', 'aria-label': 'Value contents', tabindex: '-1' });
  const prev = h('button', { type: 'button', className: 'ks-button', text: '‹ Previous', onClick: () => page(-1) });
  const next = h('button', { type: 'button', className: 'ks-button', text: 'Next ›', onClick: () => page(1) });
  const range = h('span', { className: 'ks-pager-range', 'aria-live': 'polite' });
  const pager = h('nav', { className: 'ks-pager', 'aria-label': 'Pages of the value', hidden: true }, prev, range, next);

  root.replaceChildren(head, body, pager);
  // The hex dump fits as many bytes a row as the pane's width allows (presenter mode, resizes).
  let bodyWidth = 0;
  new ResizeObserver(() => {
    if (body.clientWidth === bodyWidth) return;
    bodyWidth = body.clientWidth;
    const pre = body.querySelector('.ks-hex');
    if (pre && view?.type === 'string') hexDump(pre, view.hex);
  }).observe(body);
  root.setAttribute('aria-labelledby', `${id}-title`);
  clear();

  function empty(message, className = 'ks-empty') {
    body.replaceChildren(h('p', { className, text: message }));
  }

  function clear() {
    key = null;
    view = null;
    sig = '';
    root.classList.add('is-empty');
    body.tabIndex = -1;
    badge.hidden = true;
    setText(title, 'Value');
    for (const part of [ttl, size, encoding]) setText(part, '');
    pager.hidden = true;
    empty('Select a key to see its value. Values update live as commands change them.');
  }

  /** Show `k` of database `d` from its first page. */
  function show(d, k) {
    if (key === k && db === d) return;
    db = d;
    key = k;
    offset = 0;
    sig = '';
    root.classList.remove('is-empty');
    body.tabIndex = 0;
    body.scrollTop = 0;
    refresh();
  }

  function page(dir) {
    if (!view) return;
    const step = view.type === 'string' ? TEXT_PAGE : PAGE;
    const total = view.type === 'string' ? view.text.length : view.size;
    const last = Math.max(0, Math.floor((total - 1) / step) * step);
    offset = Math.min(last, Math.max(0, offset + dir * step));
    sig = '';
    refresh();
    body.scrollTop = 0;
  }

  /** Read the key again; re-render only what changed. */
  function refresh() {
    if (key === null) return;
    const at = engine.now();
    let v = engine.inspect(db, key, view?.type === 'string' ? 0 : offset, PAGE);
    if (v && v.type !== 'string' && offset > 0 && offset >= v.size) {
      // The collection shrank under the page we were on: go to its last page.
      offset = Math.max(0, Math.floor((v.size - 1) / PAGE) * PAGE);
      v = engine.inspect(db, key, offset, PAGE);
    }
    if (!v) {
      missing();
      return;
    }
    if (v.type === 'string' && offset >= v.text.length) offset = 0;
    view = { ...v, at };
    const s = signature(v) + offset;
    renderHead();
    if (s !== sig) {
      sig = s;
      const scroll = body.scrollTop;
      renderBody();
      body.scrollTop = scroll;
    }
    tick(at);
  }

  function missing() {
    const row = lookup(key);
    const left = row ? remaining(row, engine.now()) : null;
    view = null;
    sig = '';
    pager.hidden = true;
    setText(size, '');
    setText(encoding, '');
    if (left !== null && left <= 0) {
      setText(ttl, 'expiring…');
      empty(`Its time to live has run out. Redis deletes an expired key when a command touches it, or when its active expiry cycle (ten times a second) finds it.`);
    } else {
      badge.hidden = true;
      setText(ttl, '');
      setText(title, key);
      empty(`This key no longer exists in db${db}: it was deleted or expired.`, 'ks-empty ks-gone');
    }
  }

  function renderHead() {
    badge.hidden = false;
    badge.className = `ks-badge ks-t-${view.type}`;
    setText(badge, view.type);
    setText(title, view.key);
    setText(size, fmtSize(view.type, view.size));
    size.title = fmtSizeLong(view.type, view.size);
    setText(encoding, view.encoding);
    encoding.title = `OBJECT ENCODING: ${view.encoding}`;
  }

  function renderBody() {
    if (view.type === 'string') renderString();
    else renderTable();
  }

  function renderString() {
    const text = view.text;
    const shown = text.length > TEXT_PAGE ? text.slice(offset, offset + TEXT_PAGE) : text;
    const inHex = hexBytes(view.hex).length;
    const hex = h('pre', { className: 'ks-hex', 'aria-label': 'Value as hexadecimal bytes' });
    const bitsTotal = view.size * 8;
    const bits = view.size === 0 ? [] : [
      h('h4', { className: 'ks-section', text: 'Bits' }),
      h('p', {
        className: 'ks-note',
        text: `${view.bitsSet === null ? `${fmtInt(bitsTotal)} bits (too many to count here: BITCOUNT in the console counts them)` : `${fmtInt(view.bitsSet)} of ${fmtInt(bitsTotal)} bits set (BITCOUNT)`}${view.size > BITS_SHOWN ? `; the first ${fmtInt(BITS_SHOWN * 8)} shown` : ''}. Offsets count from the first byte's highest bit, as SETBIT and GETBIT do.`,
      }),
      bitGrid(view.hex),
    ];
    const hll = view.hll ? [
      h('h4', { className: 'ks-section', text: 'HyperLogLog' }),
      h('p', { className: 'ks-hll' },
        view.hll.estimate === null
          ? h('span', { className: 'ks-muted', text: 'Corrupt registers: PFCOUNT answers INVALIDOBJ.' })
          : h('strong', { className: 'ks-hll-count', text: `≈ ${fmtInt(view.hll.estimate)}` }),
        view.hll.estimate === null ? '' : ' distinct elements (PFCOUNT)'),
      h('p', {
        className: 'ks-note',
        text: view.hll.encoding === 'sparse'
          ? `Sparse encoding: runs of registers in ${fmtInt(view.size)} bytes; it turns dense (12,304 bytes) past hll-sparse-max-bytes or a register above 32.`
          : 'Dense encoding: 16,384 six-bit registers in 12,304 bytes, whatever the count.',
      }),
    ] : [];
    // A string that isn't text reads best as bits (a bitmap) or, for an HLL, as its count.
    const bitsFirst = view.binary && !view.hll;
    const parts = [
      ...hll,
      ...(bitsFirst ? bits : []),
      h('h4', { className: 'ks-section', text: 'Text' }),
      view.binary
        ? h('p', { className: 'ks-note', text: 'Not plain text: control characters show as \\xNN, bytes that aren\'t UTF-8 as �. The hex below is exact.' })
        : null,
      h('pre', { className: 'ks-text', 'aria-label': 'Value as text' },
        text === '' ? h('span', { className: 'ks-muted', text: '(empty string)' }) : view.binary ? escapedText(shown) : shown),
      h('h4', { className: 'ks-section', text: 'Hex' }),
      inHex < view.size
        ? h('p', { className: 'ks-note', text: `The first ${fmtInt(inHex)} of ${fmtInt(view.size)} bytes.` })
        : null,
      hex,
      ...(bitsFirst || view.hll ? [] : bits),
    ];
    body.replaceChildren(...parts.filter(Boolean));
    hexDump(hex, view.hex); // after it is in the page: it measures what fits
    setPager(text.length, TEXT_PAGE, 'characters');
  }

  function renderTable() {
    const geo = view.type === 'zset' && view.geo;
    const fieldTtls = view.type === 'hash' && (view.items || []).some((it) => typeof it.expiresAt === 'number');
    const cols = fieldTtls ? [...COLUMNS.hash, ['ttl', 'TTL']] : COLUMNS[geo ? 'geo' : view.type] || [];
    const items = (view.items || []).map((it) => (geo ? { ...it, position: `${it.longitude}\n${it.latitude}` } : it));
    const caption = h('caption', { className: 'ks-sr-only', text: `${view.type} ${view.key}` });
    const headRow = h('tr', {}, cols.map(([field, label]) => h('th', { scope: 'col', className: `ks-col-${field}`, text: label })));
    const rows = items.map((item) => h('tr', {}, cols.map(([field], i) => {
      if (field === 'ttl') {
        return typeof item.expiresAt !== 'number'
          ? h('td', { className: 'ks-col-ttl ks-muted', text: 'no TTL' })
          : h('td', { className: 'ks-col-ttl', 'data-until': String(item.expiresAt) });
      }
      const value = String(item[field]);
      const cell = h(i === 0 && cols.length > 1 && (field === 'index' || field === 'rank') ? 'th' : 'td', {
        className: `ks-col-${field}`,
      }, value === '' ? h('span', { className: 'ks-muted', text: '(empty)' }) : value);
      if (cell.tagName === 'TH') cell.setAttribute('scope', 'row');
      return cell;
    })));
    const table = h('table', { className: `ks-table ks-table-${view.type}` }, caption, h('thead', {}, headRow), h('tbody', {}, rows));
    const setNote = view.size > 10_000 ? 'Members in the set\'s own order.'
      : view.encoding === 'intset' ? 'Members in sorted order.'
        : 'Members sorted here; SMEMBERS returns them in no particular order.';
    const note = view.type === 'set'
      ? h('p', { className: 'ks-note', text: setNote })
      : view.type === 'zset' && view.geo ? h('p', { className: 'ks-note', text: 'A geo set: each score is a 52-bit geohash, shown decoded as GEOPOS gives it (ZRANGE … WITHSCORES shows the scores). By rank, as ZRANGE 0 -1.' })
      : view.type === 'zset' ? h('p', { className: 'ks-note', text: 'By rank: lowest score first, as ZRANGE 0 -1 WITHSCORES.' })
      : view.type === 'stream' ? h('p', { className: 'ks-note', text: 'Oldest first, as XRANGE - + gives them: each entry\'s id (milliseconds-sequence), then its fields and values.' })
      : fieldTtls ? h('p', { className: 'ks-note', text: 'Fields with their own TTL (HEXPIRE, Redis 7.4+) count down: each goes when its TTL runs out, and the hash with its last field.' })
        : null;
    const groups = view.type === 'stream' ? streamGroups(view.groups || []) : [];
    body.replaceChildren(...[note, table, ...groups].filter(Boolean));
    setPager(view.size, PAGE, 'items');
    if (fieldTtls) tickUntil(engine.now());
  }

  /**
   * A stream's consumer groups: where each is (last delivered id, entries read, lag), its
   * consumers and its pending entries, with idle times that count up with the world clock.
   */
  function streamGroups(groups) {
    if (groups.length === 0) return [];
    const idleCell = (since) => h('td', { className: 'ks-col-idle', 'data-since': String(since) });
    const parts = [h('h4', { className: 'ks-section', text: `Consumer groups (${fmtInt(groups.length)})` })];
    for (const g of groups) {
      const read = g.entriesRead === null ? 'unknown' : fmtInt(g.entriesRead);
      const lag = g.lag === null ? 'unknown (deleted entries in the way)' : fmtInt(g.lag);
      parts.push(h('section', { className: 'ks-group', 'aria-label': `consumer group ${g.name}` },
        h('h5', { className: 'ks-group-name', text: g.name }),
        h('p', { className: 'ks-note', text: `Last delivered ${g.lastId} · entries read ${read} · lag ${lag} (XINFO GROUPS)` }),
        g.consumers.length === 0
          ? h('p', { className: 'ks-muted', text: 'No consumers yet: XREADGROUP creates them.' })
          : h('table', { className: 'ks-table ks-table-consumers' },
            h('caption', { className: 'ks-sr-only', text: `consumers of ${g.name}` }),
            h('thead', {}, h('tr', {}, ['consumer', 'pending', 'idle'].map((c) => h('th', { scope: 'col', text: c })))),
            h('tbody', {}, g.consumers.map((c) => h('tr', {},
              h('th', { scope: 'row', text: c.name }), h('td', { text: fmtInt(c.pending) }), idleCell(c.seen))))),
        g.pendingTotal === 0
          ? h('p', { className: 'ks-muted', text: 'Nothing pending: no entry delivered and not yet acknowledged (XACK).' })
          : h('table', { className: 'ks-table ks-table-pending' },
            h('caption', { className: 'ks-note ks-caption', text: g.pendingTotal > g.pending.length
              ? `Pending: the first ${fmtInt(g.pending.length)} of ${fmtInt(g.pendingTotal)} (XPENDING)`
              : `Pending (${fmtInt(g.pendingTotal)}): delivered, not yet acknowledged (XPENDING)` }),
            h('thead', {}, h('tr', {}, [['id', 'entry id'], ['owner', 'the consumer it was delivered to'], ['idle', 'time since its last delivery'],
              ['tries', 'deliveries so far (XPENDING\'s delivery count)']].map(([c, title]) => h('th', { scope: 'col', title, text: c })))),
            h('tbody', {}, g.pending.map((p) => h('tr', {},
              h('th', { scope: 'row', text: p.id }), h('td', { text: p.consumer }), idleCell(p.delivered),
              h('td', { text: fmtInt(p.deliveries) })))))));
    }
    return parts;
  }

  /** Idle times since a world time (consumers seen, entries delivered), in the pane. */
  function tickIdle(now) {
    for (const cell of body.querySelectorAll('[data-since]')) {
      setText(cell, fmtIdle(Math.max(0, now - Number(cell.dataset.since))));
    }
  }

  function setPager(total, step, unit) {
    if (total <= step) {
      pager.hidden = true;
      return;
    }
    pager.hidden = false;
    const end = Math.min(total, offset + step);
    setText(range, `${fmtInt(offset + 1)}–${fmtInt(end)} of ${fmtInt(total)} ${unit}`);
    prev.disabled = offset === 0;
    next.disabled = end >= total;
  }

  /** Hash fields' own TTLs, counting down to the world time they expire at. */
  function tickUntil(now) {
    for (const cell of body.querySelectorAll('[data-until]')) {
      const left = Number(cell.dataset.until) - now;
      setText(cell, left > 0 ? fmtTtl(left) : 'expiring…');
      cell.classList.toggle('is-expiring', left <= 0);
    }
  }

  /** Follow the world clock: the TTL in the header. */
  function tick(now) {
    if (!view) return;
    if (view.type === 'stream') tickIdle(now);
    if (view.type === 'hash') tickUntil(now);
    const t = ttlText(view, now);
    setText(ttl, t === '' ? 'no TTL' : t === 'expiring…' ? t : `TTL ${t}`);
    ttl.classList.toggle('is-expiring', t === 'expiring…');
    ttl.classList.toggle('has-ttl', t !== '');
  }

  return {
    show,
    clear,
    refresh,
    tick,
    get key() { return key; },
    get db() { return db; },
  };
}
