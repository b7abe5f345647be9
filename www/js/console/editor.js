// The input line, behaving like redis-cli's (linenoise) line editor in a browser:
//
//   * syntax colouring and redis-cli's grey hint, drawn in an overlay behind the <input>
//     (the input stays a plain, accessible text field; its own text is transparent, the
//     overlay shows the same characters coloured, plus the hint after them)
//   * Tab completion from the engine; Tab again cycles, ending on what was typed; Esc
//     restores what was typed; any other key keeps the completion
//   * ↑/↓ history, Ctrl+R reverse incremental search (readline's), Ctrl+L clears
//   * a paste of several lines runs each of them in order
//
// Tab on an empty line (and Shift+Tab always) moves the focus on, so the keyboard can
// leave the console.
import { highlight, renderRuns, commandIndex, MAX_COLOURED } from './highlight.js';

const SEARCH_LABEL = (query, failed) => `(${failed ? 'failed ' : ''}reverse-i-search)\`${query}': `;

export function createEditor({ form, input, promptEl, history, onSubmit, onClear, onPasteLines }) {
  let engine = null;
  let index = null; // commandIndex, built on first use
  let promptText = promptEl.textContent;
  let completion = null; // { original, candidates, at }
  let search = null; // { original, query, match (history index or -1), failed, lastQuery }
  let lastSearch = '';
  let suspended = false; // the console waits (BLPOP, SUBSCRIBE, MONITOR): keys edit nothing

  // The overlay: <div.input-box> holds the input and, behind it, the coloured copy + hint.
  const box = document.createElement('div');
  box.className = 'input-box';
  input.replaceWith(box);
  const overlay = document.createElement('div');
  overlay.className = 'input-overlay';
  overlay.setAttribute('aria-hidden', 'true');
  const overlayText = document.createElement('span');
  overlayText.className = 'overlay-text';
  overlay.appendChild(overlayText);
  box.append(overlay, input);
  // The hint for screen readers, as a description of the input.
  const srHint = document.createElement('span');
  srHint.className = 'sr-only';
  srHint.id = `${input.id || 'input'}-hint`;
  box.appendChild(srHint);
  input.setAttribute('aria-describedby',
    [input.getAttribute('aria-describedby'), srHint.id].filter(Boolean).join(' '));

  function commands() {
    if (!index && engine && typeof engine.commands === 'function') {
      try { index = commandIndex(Array.from(engine.commands() || [])); } catch { index = null; }
    }
    return index;
  }

  function hintFor(line) {
    if (!engine || typeof engine.hint !== 'function' || line === '') return '';
    try { return engine.hint(line) ?? ''; } catch { return ''; }
  }

  /** Redraw the overlay from the input's value (and the hint), and keep it scrolled with it. */
  function render() {
    const line = input.value;
    overlayText.replaceChildren();
    // A very long line (a pasted bulk load) is left to the input alone.
    const coloured = engine !== null && line.length <= MAX_COLOURED;
    box.classList.toggle('coloured', coloured);
    if (coloured) {
      const runs = highlight(line, engine, commands());
      if (search && search.match >= 0 && search.query) {
        markMatch(runs, line.indexOf(search.query), search.query.length);
      }
      renderRuns(overlayText, runs);
      const hint = search ? '' : hintFor(line);
      if (hint) {
        const h = document.createElement('span');
        h.className = 'hint';
        h.textContent = hint;
        overlayText.appendChild(h);
      }
      srHint.textContent = hint ? `Syntax: ${(line + hint).replace(/\s+/g, ' ').trim()}` : '';
    } else {
      srHint.textContent = '';
    }
    syncScroll();
  }

  /** Underline the part of the runs that the reverse search matched. */
  function markMatch(runs, from, len) {
    if (from < 0) return;
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
  }

  function syncScroll() {
    overlayText.style.transform = input.scrollLeft ? `translateX(${-input.scrollLeft}px)` : '';
  }

  function setValue(v, caret = v.length) {
    input.value = v;
    input.setSelectionRange(caret, caret);
    render();
    // The browser scrolls the input to the caret after the change is laid out.
    requestAnimationFrame(syncScroll);
  }

  function setPrompt(text) {
    promptText = text;
    if (!search) promptEl.textContent = text;
  }

  // --- Tab completion -----------------------------------------------------------------------

  function complete() {
    if (!completion) {
      let candidates = [];
      try { candidates = Array.from(engine?.completions?.(input.value) ?? [], String); } catch { candidates = []; }
      if (candidates.length === 0) return false;
      completion = { original: input.value, candidates, at: 0 };
    } else {
      completion.at = (completion.at + 1) % (completion.candidates.length + 1);
    }
    const { candidates, at, original } = completion;
    setValue(at < candidates.length ? candidates[at] : original);
    return true;
  }

  // --- Ctrl+R ---------------------------------------------------------------------------

  function searchShow() {
    promptEl.textContent = SEARCH_LABEL(search.query, search.failed);
    promptEl.classList.add('searching');
    const line = search.match >= 0 ? history.lines[search.match] : search.original;
    const at = search.match >= 0 ? Math.max(0, line.indexOf(search.query)) : line.length;
    setValue(line, at);
  }

  /** Look for the query in lines older than `before` (inclusive of `before - 1`). */
  function searchFind(before) {
    const i = history.search(search.query, before);
    if (i >= 0) { search.match = i; search.failed = false; }
    else search.failed = search.query !== '';
    searchShow();
  }

  function searchStart() {
    search = { original: input.value, query: '', match: -1, failed: false };
    completion = null;
    searchShow();
  }

  function searchEnd(restore) {
    if (!search) return;
    const value = restore ? search.original : input.value;
    if (search.query) lastSearch = search.query;
    search = null;
    promptEl.classList.remove('searching');
    promptEl.textContent = promptText;
    history.reset();
    setValue(value, restore ? value.length : input.selectionStart ?? value.length);
  }

  function searchType(text) {
    search.query += text;
    // Keep the current match while it still contains the longer query (readline does).
    searchFind(search.match >= 0 ? search.match + 1 : history.lines.length);
  }

  function searchKey(ev) {
    const ctrl = ev.ctrlKey && !ev.altKey && !ev.metaKey;
    const key = ev.key;
    if (ctrl && (key === 'r' || key === 'R')) {
      if (search.query === '' && lastSearch) { search.query = lastSearch; searchFind(history.lines.length); }
      else searchFind(search.match >= 0 ? search.match : history.lines.length);
      return true;
    }
    if (key === 'Escape' || (ctrl && (key === 'g' || key === 'G'))) { searchEnd(true); return true; }
    if (key === 'Enter') { searchEnd(false); return false; } // then run it
    if (key === 'Backspace') {
      search.query = search.query.slice(0, -1);
      search.match = -1;
      if (search.query) searchFind(history.lines.length);
      else { search.failed = false; searchShow(); }
      return true;
    }
    if (key.length === 1 && !ev.ctrlKey && !ev.metaKey && !ev.altKey) { searchType(key); return true; }
    if (['Shift', 'Control', 'Alt', 'Meta', 'CapsLock'].includes(key)) return true;
    if (['Dead', 'Process', 'Unidentified'].includes(key)) return 'pass'; // text comes as beforeinput
    // Any other key (arrows, Home, End, Tab, Ctrl+A…) keeps the match on the line, editable.
    searchEnd(false);
    return false;
  }

  // --- Keys -----------------------------------------------------------------------------

  input.addEventListener('keydown', (ev) => {
    if (ev.isComposing || !engine || suspended) return;
    if (search) {
      const done = searchKey(ev);
      if (done === 'pass') return;
      if (done) { ev.preventDefault(); return; }
      if (ev.key === 'Enter') { ev.preventDefault(); form.requestSubmit(); return; }
    }
    const ctrl = ev.ctrlKey && !ev.altKey && !ev.metaKey;
    const plain = !ev.ctrlKey && !ev.altKey && !ev.metaKey;

    if (ev.key === 'Tab' && plain && !ev.shiftKey) {
      if (input.value === '' && !completion) return; // let the focus move on
      ev.preventDefault();
      complete();
      return;
    }
    if (completion) {
      if (ev.key === 'Escape') {
        ev.preventDefault();
        const { original } = completion;
        completion = null;
        setValue(original);
        return;
      }
      if (!['Shift', 'Control', 'Alt', 'Meta', 'CapsLock'].includes(ev.key)) completion = null;
    }

    if ((ev.key === 'ArrowUp' || ev.key === 'ArrowDown') && plain) {
      ev.preventDefault();
      const v = ev.key === 'ArrowUp' ? history.prev(input.value) : history.next();
      if (v !== null) setValue(v);
    } else if (ev.key === 'Enter') {
      ev.preventDefault();
      form.requestSubmit();
    } else if (ctrl && (ev.key === 'l' || ev.key === 'L')) {
      ev.preventDefault();
      onClear();
    } else if (ctrl && (ev.key === 'r' || ev.key === 'R')) {
      ev.preventDefault();
      searchStart();
    }
  });

  // Typing while searching goes into the query (also from on-screen keyboards and IMEs).
  input.addEventListener('beforeinput', (ev) => {
    if (!search) return;
    if (ev.inputType === 'insertText' && ev.data) {
      ev.preventDefault();
      searchType(ev.data);
    } else if (ev.inputType.startsWith('delete')) {
      ev.preventDefault();
    }
  });

  input.addEventListener('input', () => {
    completion = null;
    render();
  });
  for (const type of ['scroll', 'select', 'keyup', 'click', 'focus']) {
    input.addEventListener(type, syncScroll);
  }
  window.addEventListener('resize', syncScroll);

  input.addEventListener('paste', (ev) => {
    const text = ev.clipboardData?.getData('text/plain') ?? ev.clipboardData?.getData('text') ?? '';
    if (search) {
      ev.preventDefault();
      const first = text.split(/\r\n|\n|\r/)[0];
      if (first) searchType(first);
      return;
    }
    if (!/[\r\n]/.test(text) || !engine) return;
    if (suspended) { // the lines wait for the console (a blocked command), as piped lines would
      ev.preventDefault();
      onPasteLines(text.split(/\r\n|\n|\r/).filter((l) => l.trim() !== ''));
      return;
    }
    ev.preventDefault();
    completion = null;
    const start = input.selectionStart ?? input.value.length;
    const end = input.selectionEnd ?? start;
    const all = input.value.slice(0, start) + text + input.value.slice(end);
    setValue('');
    onPasteLines(all.split(/\r\n|\n|\r/).filter((l) => l.trim() !== ''));
  });

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (suspended) return;
    if (search) searchEnd(false);
    completion = null;
    const line = input.value;
    setValue('');
    onSubmit(line);
  });

  return {
    attach(e) {
      engine = e;
      index = null;
      render();
    },
    detach() {
      engine = null;
      render();
    },
    setPrompt,
    render,
    /** While the console waits, keys and Enter do nothing (a search in progress ends). */
    suspend(on) {
      suspended = Boolean(on);
      if (suspended) {
        if (search) searchEnd(true);
        completion = null;
      }
    },
    destroy() {
      engine = null;
      window.removeEventListener('resize', syncScroll);
    },
    get searching() { return search !== null; },
    /** Build the command index now (when the page is idle) rather than on the first key. */
    warm() { commands(); },
    get index() { return commands(); },
  };
}
