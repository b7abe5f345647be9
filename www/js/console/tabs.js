// The consoles' tab strip as state, without DOM: which consoles are open, which one is
// *active* (the one the learner is in: the other panes follow its db), which are shown
// (Split shows the two most recently used), their names, and what each tab says.
// consoles.js draws it; the node tests drive it directly.

const MODE_TITLES = {
  blocked: 'waiting for a blocking command (Ctrl+C cancels)',
  reading: 'reading messages (Ctrl+C quits)',
  monitor: 'showing MONITOR (Ctrl+C quits)',
  running: 'running a repeat count (Ctrl+C stops it)',
};
const MODE_WORDS = { blocked: 'waiting', monitor: 'MONITOR', reading: 'reading messages', running: 'running' };

export class ConsoleTabs {
  constructor() {
    this.ids = []; // open consoles, in the order they were opened
    this.names = new Map(); // id → the tab's name ("1", or what the learner renamed it to)
    this.recent = []; // ids, the most recently active first
    this.activeId = null;
    this.split = false;
  }

  /** A console opened (its number n = id + 1 names it). It is not active yet. */
  add(id) {
    this.ids.push(id);
    this.names.set(id, String(id + 1));
    this.recent.push(id);
    if (this.activeId === null) this.activeId = id;
  }

  has(id) {
    return this.names.has(id);
  }

  /** Make `id` active (the most recent); false for a console that isn't open. */
  activate(id) {
    if (!this.has(id)) return false;
    this.activeId = id;
    this.recent = [id, ...this.recent.filter((x) => x !== id)];
    return true;
  }

  /** Close `id` (not the last one). Returns the console to make active next, or null. */
  remove(id) {
    if (!this.has(id) || this.ids.length < 2) return null;
    this.ids = this.ids.filter((x) => x !== id);
    this.names.delete(id);
    this.recent = this.recent.filter((x) => x !== id);
    if (this.ids.length < 2) this.split = false;
    return this.activeId === id ? this.recent[0] : this.activeId;
  }

  /** The console `step` places after the active one, round the strip. */
  next(step = 1) {
    const at = this.ids.indexOf(this.activeId);
    return this.ids[(at + step + this.ids.length) % this.ids.length];
  }

  /** Split on or off; on needs two consoles (the caller opens a second one first). */
  setSplit(on) {
    this.split = Boolean(on);
    return this.split;
  }

  /** The consoles on screen: the two most recently used when split, else the active one. */
  shown() {
    return new Set(this.split && this.ids.length > 1 ? this.recent.slice(0, 2) : [this.activeId]);
  }

  /** Rename a tab; an empty name gives it back its number. */
  rename(id, name) {
    if (!this.has(id)) return;
    this.names.set(id, String(name).trim() || String(id + 1));
  }

  /**
   * What console `id`'s tab and view say, from its state: `{ clientId, mode, prompt,
   * identity }` (identity: `{ protocol, user }` of its connection, or null).
   * `{ name, client, label, title, viewLabel }`: the tab's name and "· id 5" part, the label
   * above the view ("2 · id 5 — waiting"), the tab's tooltip and the view's aria-label.
   */
  label(id, { clientId = null, mode = 'ready', prompt = '', identity = null } = {}) {
    const n = id + 1;
    const name = this.names.get(id) ?? String(n);
    // After CLIENT KILL the console shows "not connected> " until its next command.
    const gone = String(prompt).startsWith('not connected');
    // A console switched to RESP3 (HELLO 3) or logged in as another user (AUTH) says so.
    const who = identity && !gone
      ? `${identity.protocol === 3 ? ' · RESP3' : ''}${identity.user && identity.user !== 'default' ? ` · ${identity.user}` : ''}`
      : '';
    const client = (gone ? ' · not connected' : clientId === null ? '' : ` · id ${clientId}`) + who;
    const text = `${name}${client}`;
    const whoTitle = gone ? ', not connected' : clientId === null ? '' : `, client id ${clientId}${who.replaceAll(' · ', ', ')}`;
    return {
      name,
      client,
      label: mode === 'ready' ? text : `${text} — ${MODE_WORDS[mode] ?? mode}`,
      title: `Console ${n}${whoTitle}${mode === 'ready' ? '' : `: ${MODE_TITLES[mode] ?? mode}`}. Double-click (or F2) to rename it.`,
      viewLabel: `Console ${text}`,
    };
  }
}
