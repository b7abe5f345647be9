// Kept playgrounds: the worlds the page set aside instead of losing them (a shared link
// replaced them, a saved world arrived after the learner had started, one kept world was
// brought back over another). Each is its own record in the store under "kept:…", kept until
// the learner deletes it; Data → Kept playgrounds lists them, newest first, with the time
// they were saved, their key count and why they were kept.
//
// Here: the ids and summaries (no DOM: the node tests use them) and the Data menu's dialog.
// Persistence (persist.js) owns the records: keepAside, kept(), restoreKept(id),
// deleteKept(id).
import { readRecord, plural } from './record.js';
import { timeText } from './notices.js';
import { h, openDialog } from './ui.js';

export const KEPT_PREFIX = 'kept:';

/** A new record's key: kept time first, so keys sort oldest first. */
export function keptId(at = Date.now(), salt = Math.random().toString(36).slice(2, 8)) {
  return `${KEPT_PREFIX}${String(Math.max(0, Math.floor(at))).padStart(15, '0')}-${salt}`;
}

/**
 * What the list shows of stored records: `{ id, keys, why, savedAt, keptAt }`, newest kept
 * first; records that cannot be read are listed too (`unreadable: true`) so they can be
 * deleted.
 */
export function keptSummaries(records) {
  return records
    .filter((r) => r && typeof r === 'object' && typeof r.id === 'string' && r.id.startsWith(KEPT_PREFIX))
    .map((r) => {
      const rec = readRecord(r);
      return {
        id: r.id,
        keys: Number.isFinite(r.keys) ? r.keys : null,
        why: typeof r.why === 'string' ? r.why : '',
        savedAt: rec.ok ? rec.savedAt : (Number.isFinite(r.savedAt) ? r.savedAt : null),
        keptAt: Number.isFinite(r.keptAt) ? r.keptAt : null,
        unreadable: !rec.ok,
      };
    })
    .sort((a, b) => (b.keptAt ?? 0) - (a.keptAt ?? 0) || (a.id < b.id ? 1 : -1));
}

/** One line of the list: "saved at 14:03:27 · 2 keys · before you ran a shared link". */
export function keptLine(k, now = Date.now()) {
  const parts = [`saved at ${timeText(k.savedAt, now)}`];
  if (k.keys !== null) parts.push(plural(k.keys, 'key'));
  if (k.why) parts.push(k.why);
  if (k.unreadable) parts.push('cannot be read');
  return parts.join(' · ');
}

/**
 * The Data menu's "Kept playgrounds…" item: its label follows the count, and it opens a
 * dialog listing each kept world with Restore and Delete.
 */
export function mountKeptMenu({ persistence, button = document.getElementById('kept-button') }) {
  if (!button || !persistence) return;
  const label = button.querySelector('.kept-count');
  const refresh = async () => {
    const n = persistence.keptCount?.() ?? 0;
    if (label) label.textContent = n ? ` (${n})` : '';
    button.disabled = persistence.status().state !== 'ready';
  };
  persistence.onChange?.(refresh);
  refresh();
  button.addEventListener('click', () => openKeptDialog(persistence));
}

async function openKeptDialog(persistence) {
  const list = h('ul', { class: 'kept-list' });
  const status = h('p', { class: 'kept-status', role: 'status' });
  const fill = async () => {
    let kept;
    try {
      kept = await persistence.kept();
    } catch (e) {
      status.textContent = `The kept playgrounds could not be read (${e?.message ?? e}).`;
      return;
    }
    status.textContent = kept.length
      ? `${plural(kept.length, 'playground')} kept in this browser. Restoring one replaces the current keys, which are kept in turn.`
      : 'No playground is kept. When a shared link or a late load replaces your keys, they are kept here.';
    list.replaceChildren(...kept.map((k) => h('li', { class: 'kept-item' },
      h('span', { class: 'kept-line', text: keptLine(k) }),
      h('span', { class: 'kept-actions' },
        h('button', {
          type: 'button',
          class: 'pg-button primary',
          text: 'Restore',
          disabled: k.unreadable,
          'aria-label': `Restore the playground ${keptLine(k)}`,
          onclick: async () => {
            status.textContent = 'Restoring…';
            const ok = await persistence.restoreKept(k.id);
            if (ok) list.closest('dialog')?.close();
            else fill();
          },
        }),
        h('button', {
          type: 'button',
          class: 'pg-button danger',
          text: 'Delete',
          'aria-label': `Delete the playground ${keptLine(k)}`,
          onclick: async () => {
            await persistence.deleteKept(k.id);
            fill();
          },
        })))));
  };
  await openDialog({
    title: 'Kept playgrounds',
    className: 'kept-dialog',
    body: [status, list],
    buttons: [{ label: 'Close', value: null }],
    onOpen: () => fill(),
  });
}
