// Command history for the console: ↑/↓ navigation over what was run, the last `max` lines
// kept in localStorage (when the browser allows it).

export const STORAGE_KEY = 'redis-playground:console:history';
const MAX_LINE = 16 * 1024; // longer lines (a pasted bulk load) are run but not remembered

function safeStorage() {
  try {
    const s = globalThis.localStorage;
    return s || null;
  } catch {
    return null; // access can throw (privacy settings, sandboxed frames)
  }
}

export class History {
  constructor({ max = 100, storage = safeStorage(), key = STORAGE_KEY } = {}) {
    this.max = max;
    this.storage = storage;
    this.key = key;
    this.lines = this.#load();
    this.reset();
  }

  #load() {
    try {
      const v = JSON.parse(this.storage?.getItem(this.key) ?? '[]');
      return Array.isArray(v) ? v.filter((x) => typeof x === 'string').slice(-this.max) : [];
    } catch {
      return [];
    }
  }

  #save() {
    try {
      this.storage?.setItem(this.key, JSON.stringify(this.lines.slice(-this.max)));
    } catch {
      /* quota or privacy mode: history stays in memory */
    }
  }

  /** Record a line that was run (blank lines and repeats of the last line are skipped). */
  add(line) {
    if (line.trim() !== '' && line.length <= MAX_LINE && this.lines[this.lines.length - 1] !== line) {
      this.lines.push(line);
      if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);
      this.#save();
    }
    this.reset();
  }

  /** Back to "not browsing": the next ↑ starts at the newest line. */
  reset() {
    this.pos = this.lines.length;
    this.draft = '';
  }

  /** ↑: the previous line, or null at the oldest. `current` is what the input holds now. */
  prev(current) {
    if (this.pos === 0) return null;
    if (this.pos === this.lines.length) this.draft = current;
    this.pos -= 1;
    return this.lines[this.pos];
  }

  /**
   * Ctrl+R: the index of the newest line before `before` that contains `query`, or -1.
   * (An empty query matches nothing, as in readline.)
   */
  search(query, before = this.lines.length) {
    if (query === '') return -1;
    for (let i = Math.min(before, this.lines.length) - 1; i >= 0; i--) {
      if (this.lines[i].includes(query)) return i;
    }
    return -1;
  }

  /** ↓: the next line, the unsent draft after the newest, or null when not browsing. */
  next() {
    if (this.pos >= this.lines.length) return null;
    this.pos += 1;
    return this.pos === this.lines.length ? this.draft : this.lines[this.pos];
  }
}
