// The input line's state, without DOM: Tab completion (cycling, Esc restores), ↑/↓ history,
// Ctrl+R reverse incremental search (readline's), the paste of several lines, and the
// underline of a search match in the coloured runs. editor.js draws it on the <input> and
// its overlay; the node tests drive it directly.
//
// Methods that change the line return what to put in the input, `{ value, caret }`, or null
// when the line stays as it is.

const MODIFIERS = ['Shift', 'Control', 'Alt', 'Meta', 'CapsLock'];

/** The prompt while searching: `(reverse-i-search)`q': `, or `(failed reverse-i-search)…`. */
export const searchLabel = (query, failed) => `(${failed ? 'failed ' : ''}reverse-i-search)\`${query}': `;

/** The lines of a paste, without the empty ones. */
export const pastedLines = (text) => text.split(/\r\n|\n|\r/).filter((l) => l.trim() !== '');

/**
 * Underline the part of the runs (highlight.js `{ text, cls }`) that a search matched, from
 * offset `from`, `len` characters: the runs are split where the match starts and ends.
 */
export function markMatch(runs, from, len) {
  if (from < 0) return runs;
  let at = 0;
  for (let i = 0; i < runs.length; i++) {
    const r = runs[i];
    const s = Math.max(from, at);
    const e = Math.min(from + len, at + r.text.length);
    if (s < e) {
      const parts = [
        { text: r.text.slice(0, s - at), cls: r.cls },
        { text: r.text.slice(s - at, e - at), cls: `${r.cls} search-match`.trim() },
        { text: r.text.slice(e - at), cls: r.cls },
      ].filter((p) => p.text);
      runs.splice(i, 1, ...parts);
      i += parts.length - 1;
    }
    at += r.text.length;
  }
  return runs;
}

export class LineEditor {
  /** `history`: the consoles' shared History (history.js). */
  constructor({ history }) {
    this.history = history;
    this.completion = null; // { original, candidates, at }
    this.search = null; // { original, query, match (history index or -1), failed }
    this.lastSearch = '';
    this.escaped = false; // Esc was the last key: the next Tab leaves the console
  }

  // --- Tab completion -----------------------------------------------------------------------

  /**
   * Tab: the first candidate for `value` (`candidates(value)` asks the engine), then the next
   * one at each Tab, ending on what was typed. Null when there is nothing to complete.
   */
  tab(value, candidates) {
    if (!this.completion) {
      let list = [];
      try { list = Array.from(candidates(value) ?? [], String); } catch { list = []; }
      if (list.length === 0) return null;
      this.completion = { original: value, candidates: list, at: 0 };
    } else {
      this.completion.at = (this.completion.at + 1) % (this.completion.candidates.length + 1);
    }
    const { candidates: list, at, original } = this.completion;
    const v = at < list.length ? list[at] : original;
    return { value: v, caret: v.length };
  }

  /**
   * Whether Tab should move the focus on instead of completing: an empty line with no
   * completion running, or right after Esc (the way out of a console for the keyboard).
   */
  tabLeaves(value) {
    if (this.escaped) {
      this.escaped = false;
      return true;
    }
    return value === '' && !this.completion;
  }

  /**
   * A key while a completion shows: Esc gives back what was typed; any other key keeps it.
   * Esc with no completion showing makes the next Tab leave the console.
   */
  completionKey(key) {
    if (!this.completion) {
      this.escaped = key === 'Escape';
      return null;
    }
    if (key === 'Escape') {
      const { original } = this.completion;
      this.completion = null;
      return { value: original, caret: original.length };
    }
    if (!MODIFIERS.includes(key)) this.completion = null;
    return null;
  }

  // --- history --------------------------------------------------------------------------

  /** ↑ (older) or ↓ (newer): the line to show, or null at the end of the history. */
  older(value) {
    const v = this.history.prev(value);
    return v === null ? null : { value: v, caret: v.length };
  }

  newer() {
    const v = this.history.next();
    return v === null ? null : { value: v, caret: v.length };
  }

  // --- Ctrl+R ---------------------------------------------------------------------------

  /** The line the search shows now: the match (caret on it) or what was typed before. */
  searchView() {
    const s = this.search;
    const line = s.match >= 0 ? this.history.lines[s.match] : s.original;
    const caret = s.match >= 0 ? Math.max(0, line.indexOf(s.query)) : line.length;
    return { value: line, caret, label: searchLabel(s.query, s.failed) };
  }

  /** Where the current match is on the shown line, for the underline: [from, length]. */
  searchMatch(value) {
    const s = this.search;
    return s && s.match >= 0 && s.query ? [value.indexOf(s.query), s.query.length] : [-1, 0];
  }

  /** Look for the query in lines older than `before`. */
  searchFind(before) {
    const s = this.search;
    const i = this.history.search(s.query, before);
    if (i >= 0) { s.match = i; s.failed = false; } else s.failed = s.query !== '';
    return this.searchView();
  }

  /** Ctrl+R from the prompt, on the line `value`. */
  searchStart(value) {
    this.search = { original: value, query: '', match: -1, failed: false };
    this.completion = null;
    return this.searchView();
  }

  /**
   * The search ends: keep the shown line (caret at `caret`) or give back what was typed
   * (`restore`). Returns the line to show.
   */
  searchEnd(restore, value, caret = value.length) {
    const s = this.search;
    if (!s) return null;
    const v = restore ? s.original : value;
    if (s.query) this.lastSearch = s.query;
    this.search = null;
    this.history.reset();
    return { value: v, caret: restore ? v.length : caret };
  }

  /** Text typed while searching goes into the query (keeping a match that still contains it). */
  searchType(text) {
    const s = this.search;
    s.query += text;
    return this.searchFind(s.match >= 0 ? s.match + 1 : this.history.lines.length);
  }

  /**
   * A key while searching, `{ key, ctrlKey, altKey, metaKey }`, on the shown line `value`
   * (caret at `caret`). Returns `{ handled, show?, run? }`: `handled` true (the key was the
   * search's), false (the search ended and the key does its usual thing: `run` for Enter) or
   * 'pass' (composition: the text comes as beforeinput); `show` the line to put in the input.
   */
  searchKey({ key, ctrlKey = false, altKey = false, metaKey = false }, value, caret) {
    const s = this.search;
    const ctrl = ctrlKey && !altKey && !metaKey;
    if (ctrl && (key === 'r' || key === 'R')) {
      if (s.query === '' && this.lastSearch) {
        s.query = this.lastSearch;
        return { handled: true, show: this.searchFind(this.history.lines.length) };
      }
      return { handled: true, show: this.searchFind(s.match >= 0 ? s.match : this.history.lines.length) };
    }
    if (key === 'Escape' || (ctrl && (key === 'g' || key === 'G'))) return { handled: true, show: this.searchEnd(true, value) };
    if (key === 'Enter') return { handled: false, show: this.searchEnd(false, value, caret), run: true };
    if (key === 'Backspace') {
      s.query = s.query.slice(0, -1);
      s.match = -1;
      if (s.query) return { handled: true, show: this.searchFind(this.history.lines.length) };
      s.failed = false;
      return { handled: true, show: this.searchView() };
    }
    if (key.length === 1 && !ctrlKey && !metaKey && !altKey) return { handled: true, show: this.searchType(key) };
    if (MODIFIERS.includes(key)) return { handled: true };
    if (['Dead', 'Process', 'Unidentified'].includes(key)) return { handled: 'pass' };
    // Any other key (arrows, Home, End, Tab, Ctrl+A…) keeps the match on the line, editable.
    return { handled: false, show: this.searchEnd(false, value, caret) };
  }

  /** The console starts waiting (BLPOP, SUBSCRIBE): a search gives back what was typed. */
  suspend(value) {
    const shown = this.search ? this.searchEnd(true, value) : null;
    this.completion = null;
    return shown;
  }

  // --- paste ------------------------------------------------------------------------------

  /**
   * A paste of `text` over the selection [start, end) of `value`: null when it is one line
   * (the input takes it as usual); else `{ lines, clear }` — the lines to run in order, and
   * whether the input empties (it keeps its text while the console waits: the pasted lines
   * queue, as piped lines would).
   */
  paste(text, value, start = value.length, end = start, { waiting = false } = {}) {
    if (!/[\r\n]/.test(text)) return null;
    if (waiting) return { lines: pastedLines(text), clear: false };
    this.completion = null;
    return { lines: pastedLines(value.slice(0, start) + text + value.slice(end)), clear: true };
  }
}
