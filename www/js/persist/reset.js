// Reset: the dialog that asks, and emptying everything — the engine, the saved data, the
// console history — before the page loads afresh and says so once.
import { KEPT_PREFIX } from './kept.js';
import { h, openDialog } from './ui.js';
import { STORAGE_KEY as HISTORY_KEY } from '../console/history.js';
import { clearPending } from './pending.js';
import { deleteDatabase } from './store.js';

const RESET_FLAG = 'redis-playground:reset';
export const RESET_DONE = 'The playground was reset: every database is empty and the console history is cleared.';

/** Ask: resolves true when the learner chose "Reset everything". */
export async function confirmReset() {
  const choice = await openDialog({
    title: 'Reset the playground?',
    className: 'reset-dialog',
    body: [
      h('p', { text: 'This deletes every key in all 16 databases, the console history and the copies saved in this browser (the kept playgrounds too), and puts the world clock back to real time.' }),
      h('p', { class: 'pg-muted', text: 'Lesson progress is kept. Export first if you want a copy of your keys.' }),
    ],
    buttons: [
      { label: 'Cancel', value: null },
      { label: 'Reset everything', value: 'reset', danger: true, primary: true },
    ],
  });
  return choice === 'reset';
}

/**
 * Empty the engine, the store (`store`, or the whole database when it never opened), the
 * console history and the localStorage copy, then load the page afresh.
 */
export async function resetEverything({ engine, store, ui }) {
  try { engine.resetWorld?.(); } catch (e) { console.error(e); }
  try { globalThis.localStorage?.removeItem(HISTORY_KEY); } catch { /* blocked */ }
  clearPending();
  ui?.history?.replace?.([]);
  if (store) {
    await Promise.all([
      ...['world', 'bad', 'previous'].map((k) => store.delete(k).catch(() => {})),
      store.deleteEntries(KEPT_PREFIX).catch(() => {}),
    ]);
  } else {
    await deleteDatabase();
  }
  try { globalThis.sessionStorage?.setItem(RESET_FLAG, '1'); } catch { /* none */ }
  ui?.clear?.();
  location.reload();
}

/** After the reload: the line to say once (RESET_DONE), or null. */
export function takeResetNote() {
  try {
    const ss = globalThis.sessionStorage;
    if (ss?.getItem(RESET_FLAG)) {
      ss.removeItem(RESET_FLAG);
      return RESET_DONE;
    }
  } catch { /* no session storage */ }
  return null;
}
