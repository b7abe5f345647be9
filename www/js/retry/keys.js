// The strategies' keys, live: for the TTL strategies (db 10, 11) a sample of `order:<id>`
// keys read with engine.keyspace, soonest TTL first, counting down with the world clock;
// for the queue (db 12) the sorted set `retry`'s first entries (engine.inspect), each with
// the time left until its score (its due time); for the consumer group (db 13) the stream
// `orders`' pending entries with their delivery counts, each due a min-idle after its last
// delivery. Each key opens in the keyspace view.
//
//   keys.setup({ strategies, dbs, slots, streamMinIdleMs })     keys.update(engine, now)   (call every frame: the
//   engine is read a db at a time, a few times a second; the countdowns move every frame)
import { h, setText, fmtInt, openKeyLinks, STRATEGIES, STRATEGY_NAMES } from './util.js';
import { fmtTtl } from '../format.js';

const SHOW = 6; // keys listed per strategy
const SAMPLE = 120; // keys read per look
const LOOK_MS = 300; // each db looked at this often (wall time), one db at a time

export function mountKeys(root, { onOpenKey }) {
  let cards = []; // { strategy, db, list, count, rows: [{ el, ttlEl, at, ttl }] }
  let next = 0;
  let lookedAt = -Infinity;

  let minIdle = 0;

  function setup({ strategies, dbs, slots, streamMinIdleMs = 0 }) {
    minIdle = streamMinIdleMs;
    cards = [];
    for (const slot of slots) slot.replaceChildren();
    strategies.forEach((s) => {
      const slot = slots[STRATEGIES.indexOf(s)];
      if (!slot) return;
      const count = h('p', { className: 'rs-keys-count' });
      const list = h('ul', { className: 'rs-keys', 'aria-label': `Keys of ${STRATEGY_NAMES[s]} in db ${dbs[s]}` });
      slot.append(h('h4', { text: `Keys in db ${dbs[s]}` }), count, list);
      cards.push({ strategy: s, db: dbs[s], list, count, rows: [] });
    });
    next = 0;
    lookedAt = -Infinity;
  }

  function keyButton(db, key, text) {
    return h('a', { className: 'rs-key-link', href: '#keyspace', dataset: { db, key }, title: `Open ${key} (db ${db}) in the keyspace view`, text });
  }

  function look(engine, card, now) {
    const size = engine.dbSizes()[card.db] ?? 0;
    let items;
    if (card.strategy === 'queue') {
      const v = engine.inspect(card.db, 'retry', 0, SHOW);
      const members = v?.items ?? [];
      items = members.map((m) => ({ key: 'retry', label: m.member, ttl: Number(m.score) - now, due: true }));
      setText(card.count, v
        ? `${fmtInt(size)} key${size === 1 ? '' : 's'}: the sorted set retry holds ${fmtInt(v.size)} waiting entr${v.size === 1 ? 'y' : 'ies'} scored by due time, plus the retry counters.`
        : `${fmtInt(size)} key${size === 1 ? '' : 's'}; the sorted set retry is empty.`);
    } else if (card.strategy === 'stream') {
      const v = engine.inspect(card.db, 'orders', 0, SHOW);
      const group = v?.groups?.find((g) => g.name === 'workers');
      const orderOf = new Map((v?.items ?? []).map((e) => [e.id, String(e.fields).split(' ')[1] ?? e.id]));
      items = (group?.pending ?? []).slice(0, SHOW).map((p) => ({
        key: 'orders', label: `${orderOf.get(p.id) ?? p.id} (${p.deliveries}×)`, ttl: Number(p.delivered) + minIdle - now, due: true,
      }));
      const dead = engine.inspect(card.db, 'orders:dead', 0, 0)?.size ?? 0;
      setText(card.count, v
        ? `${fmtInt(size)} key${size === 1 ? '' : 's'}: the stream orders has ${fmtInt(group?.pendingTotal ?? 0)} pending entr${group?.pendingTotal === 1 ? 'y' : 'ies'} (delivered ×, due a min-idle after the last delivery); orders:dead holds ${fmtInt(dead)} given up.`
        : `${fmtInt(size)} key${size === 1 ? '' : 's'}; the stream orders is gone.`);
    } else {
      const rows = engine.keyspace(card.db, 'order:*', SAMPLE) ?? [];
      const withTtl = rows.filter((r) => r.ttl >= 0).sort((a, b) => a.ttl - b.ttl);
      items = withTtl.slice(0, SHOW).map((r) => ({ key: r.key, label: r.key, ttl: r.ttl }));
      const sampled = rows.length < size ? ` (the soonest of ${fmtInt(rows.length)} read with SCAN)` : '';
      setText(card.count, `${fmtInt(size)} key${size === 1 ? '' : 's'}: each waiting order with its TTL, and the retry counters${sampled}.`);
    }
    card.rows = items.map((it) => {
      const ttlEl = h('span', { className: 'rs-keys-ttl' });
      const el = h('li', {}, keyButton(card.db, it.key, it.label), ' ', ttlEl);
      return { el, ttlEl, at: now, ttl: it.ttl, due: it.due };
    });
    card.list.replaceChildren(...card.rows.map((r) => r.el));
    if (card.rows.length === 0) card.list.append(h('li', { className: 'rs-muted', text: 'nothing waiting' }));
  }

  function update(engine, now) {
    const wall = performance.now();
    if (cards.length && wall - lookedAt >= LOOK_MS / cards.length) {
      lookedAt = wall;
      const card = cards[next % cards.length];
      next++;
      look(engine, card, now);
    }
    for (const card of cards) {
      for (const r of card.rows) {
        const left = r.ttl - (now - r.at);
        const text = r.due
          ? (left > 0 ? `due in ${fmtTtl(left)}` : `due ${fmtTtl(-left)} ago`)
          : (left > 0 ? `TTL ${fmtTtl(left)}` : 'expiring…');
        setText(r.ttlEl, text);
      }
    }
  }

  openKeyLinks(root, onOpenKey);

  return { setup, update, clear: () => setup({ strategies: [], dbs: {}, slots: [] }) };
}
