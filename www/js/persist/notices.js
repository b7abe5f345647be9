// What persistence says under the header, as data for ui.js's mountNotices (no DOM here:
// the node tests read the texts): slow or missing storage, saved data that can't be read,
// an earlier playground kept aside, a full quota, a failed save, and the "Restored…" line.
import { plural, formatSize } from './record.js';

const message = (e) => (e && typeof e === 'object' && 'message' in e ? e.message : String(e));

/** `14:03:27` today, `28/11/2026 14:03:27` another day (24-hour clock, local time). */
export function timeText(ms, now = Date.now()) {
  if (!Number.isFinite(ms)) return 'an unknown time';
  const d = new Date(ms);
  const sameDay = d.toDateString() === new Date(now).toDateString();
  const t = d.toLocaleTimeString('en-GB', { hour12: false });
  return sameDay ? t : `${d.toLocaleDateString('en-GB')} ${t}`;
}

export const slowStorage = () => ({
  id: 'slow-storage',
  kind: 'info',
  text: 'Your saved playground is taking long to load, so the console started empty. ' +
    'Nothing is saved until the browser\'s storage answers.',
});

export const unavailable = (e) => ({
  id: 'storage-unavailable',
  kind: 'warning',
  text: `Saving is not available in this window (${message(e)}), so changes won't be kept ` +
    'after you close the tab. Everything else works; Export keeps a copy of your keys.',
});

/** Saved data that could not be read (`bad`: { reason, savedAt }), kept for download. */
export function badData(bad, byteCount) {
  const reason = typeof bad?.reason === 'string' ? bad.reason : 'unreadable data';
  const when = Number.isFinite(bad?.savedAt) ? ` from ${timeText(bad.savedAt)}` : '';
  return {
    id: 'bad-data',
    kind: 'error',
    text: `Your saved playground${when} could not be loaded (${reason}), so this page started ` +
      'empty. The saved data is kept until you dismiss this notice.',
    download: { filename: 'redis-playground-saved-data.bin', label: `Download the saved data (${formatSize(byteCount)})` },
    dismissLabel: 'Dismiss and delete it',
  };
}

/** An earlier world just kept aside (`kept`: kept.js's summary). */
export function keptWorld(kept) {
  const keys = Number.isFinite(kept.keys) ? ` (${plural(kept.keys, 'key')})` : '';
  const why = kept.why ? `, ${kept.why}` : '';
  return {
    id: 'kept-world',
    kind: 'info',
    text: `Your earlier playground${keys}, saved at ${timeText(kept.savedAt)}${why}, is kept under Data → Kept playgrounds. ` +
      'Restoring it replaces the current keys, which are kept in turn.',
    action: 'Restore it',
  };
}

export const keptFailed = (e) => ({ id: 'kept-failed', kind: 'error', text: `The earlier playground could not be restored (${message(e)}).` });

export const quota = (bytes) => ({
  id: 'quota',
  kind: 'warning',
  text: `The browser's storage for this page is full (the world is ${formatSize(bytes)}), ` +
    'so the latest changes are not saved. Everything else works; saving is tried again at the ' +
    'next change, and Export keeps a copy of your keys.',
});

/** A save that failed: `retry` says it is tried again at the next change. */
export const saveFailed = (e, { retry = false } = {}) => ({
  id: 'save-failed',
  kind: 'error',
  text: `The playground could not be saved (${message(e)}).${retry ? ' It is tried again at the next change.' : ''}`,
});

/** The console's status line after a restore: `{ keys, expired, savedAt }`. */
export function restored(r) {
  const expired = r.expired ? ` (${plural(r.expired, 'key')} expired while the tab was closed)` : '';
  return `Restored ${plural(r.keys, 'key')} saved at ${timeText(r.savedAt)}${expired}.`;
}

/** Another tab of this page saves the playground (leader.js). */
export const otherTabInCharge = () => ({
  id: 'other-tab',
  kind: 'warning',
  text: 'The playground is open in another tab, and that tab saves it: what you do here is not saved. ' +
    'Take over to save this tab instead (what the other tab saved is kept under Data → Kept playgrounds ' +
    'if you changed anything here).',
  action: 'Take over here',
});

/** This tab saved the playground until another tab took over. */
export const tookOverElsewhere = () => ({
  id: 'other-tab',
  kind: 'warning',
  text: 'Another tab took over saving the playground: what you do here from now on is not saved. ' +
    'Everything saved until now is kept.',
  action: 'Take over here',
});

const becauseOf = (how) => (how === 'succeeded' ? 'The other tab closed, so this tab' : 'This tab');

/** This tab saves now, and loaded what the other tab had saved. */
export const inChargeLoaded = (how, r) => `${becauseOf(how)} saves the playground now: it loaded the ${plural(r.keys, 'key')} the other tab saved at ${timeText(r.savedAt)}.`;

/** This tab saves now, its own world (the other tab's is kept aside if it was newer). */
export const inCharge = (how) => `${becauseOf(how)} saves the playground now.`;
