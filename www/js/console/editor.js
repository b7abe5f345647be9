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
//
// The decisions (what Tab, ↑, Ctrl+R, a paste do) are line-editor.js's (LineEditor, no DOM);
// this module draws them on the <input> and its overlay.
import { highlight, renderRuns, commandIndex, MAX_COLOURED } from './highlight.js';
import { LineEditor, markMatch } from './line-editor.js';

export function createEditor({ form, input, promptEl, history, onSubmit, onClear, onPasteLines }) {
  let engine = null;
  let index = null; // commandIndex, built on first use
  let promptText = promptEl.textContent;
  let suspended = false; // the console waits (BLPOP, SUBSCRIBE, MONITOR): keys edit nothing
  const state = new LineEditor({ history });

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
      renderRuns(overlayText, markMatch(runs, ...state.searchMatch(line)));
      const hint = state.search ? '' : hintFor(line);
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

  /** Put a line the state returned in the input; the prompt says whether a search runs. */
  function show(line) {
    if (state.search) {
      promptEl.textContent = line?.label ?? promptEl.textContent;
      promptEl.classList.add('searching');
    } else {
      promptEl.classList.remove('searching');
      promptEl.textContent = promptText;
    }
    if (line) setValue(line.value, line.caret);
  }

  function setPrompt(text) {
    promptText = text;
    if (!state.search) promptEl.textContent = text;
  }

  const caret = () => input.selectionStart ?? input.value.length;

  // --- Keys -----------------------------------------------------------------------------

  input.addEventListener('keydown', (ev) => {
    if (ev.isComposing || !engine || suspended) return;
    if (state.search) {
      const r = state.searchKey(ev, input.value, caret());
      if (r.handled === 'pass') return;
      if (r.show || !state.search) show(r.show);
      if (r.handled) { ev.preventDefault(); return; }
      if (r.run) { ev.preventDefault(); form.requestSubmit(); return; }
    }
    const ctrl = ev.ctrlKey && !ev.altKey && !ev.metaKey;
    const plain = !ev.ctrlKey && !ev.altKey && !ev.metaKey;

    if (ev.key === 'Tab' && plain && !ev.shiftKey) {
      if (state.tabLeaves(input.value)) return; // let the focus move on
      ev.preventDefault();
      const line = state.tab(input.value, (v) => engine?.completions?.(v));
      if (line) setValue(line.value, line.caret);
      return;
    }
    const back = state.completionKey(ev.key);
    if (back) {
      ev.preventDefault();
      setValue(back.value, back.caret);
      return;
    }

    if ((ev.key === 'ArrowUp' || ev.key === 'ArrowDown') && plain) {
      ev.preventDefault();
      const line = ev.key === 'ArrowUp' ? state.older(input.value) : state.newer();
      if (line) setValue(line.value, line.caret);
    } else if (ev.key === 'Enter') {
      ev.preventDefault();
      form.requestSubmit();
    } else if (ctrl && (ev.key === 'l' || ev.key === 'L')) {
      ev.preventDefault();
      onClear();
    } else if (ctrl && (ev.key === 'r' || ev.key === 'R')) {
      ev.preventDefault();
      show(state.searchStart(input.value));
    }
  });

  // Typing while searching goes into the query (also from on-screen keyboards and IMEs).
  input.addEventListener('beforeinput', (ev) => {
    if (!state.search) return;
    if (ev.inputType === 'insertText' && ev.data) {
      ev.preventDefault();
      show(state.searchType(ev.data));
    } else if (ev.inputType.startsWith('delete')) {
      ev.preventDefault();
    }
  });

  input.addEventListener('input', () => {
    state.completion = null;
    render();
  });
  for (const type of ['scroll', 'select', 'keyup', 'click', 'focus']) {
    input.addEventListener(type, syncScroll);
  }
  window.addEventListener('resize', syncScroll);

  input.addEventListener('paste', (ev) => {
    const text = ev.clipboardData?.getData('text/plain') ?? ev.clipboardData?.getData('text') ?? '';
    if (state.search) {
      ev.preventDefault();
      const first = text.split(/\r\n|\n|\r/)[0];
      if (first) show(state.searchType(first));
      return;
    }
    if (!engine) return;
    const start = input.selectionStart ?? input.value.length;
    const r = state.paste(text, input.value, start, input.selectionEnd ?? start, { waiting: suspended });
    if (!r) return;
    ev.preventDefault();
    if (r.clear) setValue('');
    onPasteLines(r.lines);
  });

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (suspended) return;
    if (state.search) show(state.searchEnd(false, input.value, caret()));
    state.completion = null;
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
        const wasSearching = state.search !== null;
        const line = state.suspend(input.value);
        if (wasSearching) show(line);
      }
    },
    destroy() {
      engine = null;
      window.removeEventListener('resize', syncScroll);
    },
    get searching() { return state.search !== null; },
    /** Build the command index now (when the page is idle) rather than on the first key. */
    warm() { commands(); },
    get index() { return commands(); },
  };
}
