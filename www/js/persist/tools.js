// The header's Share, Export and Import buttons and the open consoles' part of the saved
// world, mounted once the console is attached (main.js):
//
//   const tools = await mountTools({ engine, console, persistence });
//   tools.share      share.js's API (handleLocation, openDialog, linkFor); a #run= link in the
//                    address runs at once (tools.share.ready settles when it has)
//   tools.transfer   transfer.js's API (openExport, importBytes)
import { mountTransfer } from './transfer.js';
import { mountShare } from '../share/share.js';
import { mountKeptMenu } from './kept.js';

/**
 * The open consoles (js/console/consoles.js) as page state: how many, which is active, split
 * or not, their names where the consoles expose them (`names()` / `rename(id, name)`), and
 * what each showed (`transcripts()`: the newest lines and answers, as text).
 * Consoles are opened again after a reload; their connections start fresh at db 0, as
 * redis-cli's would after a server restart.
 */
function consolesState(ui) {
  if (typeof ui?.ids !== 'function' || typeof ui?.open !== 'function') return null;
  return {
    /** What changes the layout (the transcripts change with commands, which save anyway). */
    signature() {
      return `${ui.ids().join(',')}|${ui.active?.()}|${Boolean(ui.isSplit?.())}|${JSON.stringify(ui.names?.() ?? null)}`;
    },
    save() {
      const ids = ui.ids();
      const names = typeof ui.names === 'function' ? ui.names() : null;
      return {
        count: ids.length,
        active: Math.max(0, ids.indexOf(ui.active?.())),
        split: Boolean(ui.isSplit?.()),
        names: Array.isArray(names) ? names.map(String) : null,
        // What each console showed (the newest lines, as text): back after a reload.
        transcripts: typeof ui.transcripts === 'function' ? ui.transcripts() : null,
      };
    },
    restore(v) {
      if (!v || typeof v !== 'object') return;
      const count = Math.max(1, Math.min(8, Number(v.count) | 0));
      while (ui.ids().length < count) if (ui.open() === null) break;
      const ids = ui.ids();
      if (Array.isArray(v.names) && typeof ui.rename === 'function') {
        ids.forEach((id, i) => { if (typeof v.names[i] === 'string') ui.rename(id, v.names[i].slice(0, 24)); });
      }
      if (v.split && typeof ui.split === 'function') ui.split(true);
      if (Array.isArray(v.transcripts)) ui.restoreTranscripts?.(v.transcripts);
      const active = ids[Math.max(0, Math.min(ids.length - 1, Number(v.active) | 0))];
      if (active !== undefined) ui.activate?.(active, { focus: true });
    },
  };
}

/**
 * The header's "Data" menu (a <details>): closes when an item is used, on a click elsewhere
 * and on Escape; its first line says where saving stands.
 */
function mountDataMenu({ persistence, menu = document.getElementById('data-menu'), status = document.getElementById('save-status') }) {
  if (!menu) return;
  const summary = menu.querySelector('summary');
  const close = ({ focus = false } = {}) => {
    if (!menu.open) return;
    menu.open = false;
    if (focus) summary?.focus();
  };
  menu.addEventListener('click', (ev) => { if (ev.target.closest('.header-menu-item')) close(); });
  document.addEventListener('click', (ev) => { if (!menu.contains(ev.target)) close(); });
  menu.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') { ev.preventDefault(); close({ focus: true }); } });
  const show = () => {
    if (!status || !persistence) return;
    const st = persistence.status();
    const at = st.lastSavedAt ? new Date(st.lastSavedAt).toLocaleTimeString('en-GB', { hour12: false }) : null;
    let text;
    if (st.state === 'unavailable') text = 'Not saved: this window offers no storage.';
    else if (st.state === 'disabled') text = 'Not saved: this engine build cannot save.';
    else if (st.state === 'loading') text = 'Loading the saved playground…';
    else if (st.quotaFull) text = 'Not saved: the browser\'s storage is full.';
    else text = at ? `Saved in this browser at ${at} (your computer’s clock, not the world’s).` : 'Kept in this browser as you work.';
    status.textContent = text;
  };
  persistence?.onChange?.(show);
  menu.addEventListener('toggle', show);
  show();
}

export function mountTools({ engine, console: ui, persistence }) {
  const notices = persistence?.notices;
  mountDataMenu({ persistence });
  mountKeptMenu({ persistence });
  const state = consolesState(ui);
  if (state && persistence?.registerPageState) persistence.registerPageState('consoles', state);
  const transfer = mountTransfer({ engine, console: ui, notices, persistence });
  const share = mountShare({ engine, console: ui, persistence, notices });
  return { transfer, share };
}
