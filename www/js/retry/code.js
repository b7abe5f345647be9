// "The code behind it": the worker a learner would write for the strategy picked, in Python
// (redis-py) or JavaScript (node-redis 4), with the line that sent the newest command of that
// strategy marked while the simulation runs or steps, and a caption saying what it sent, what
// came back and what that decided. The programs and the mapping are code-data.js's; the state
// is code-state.js's (no DOM). The command log reads the engine's log (log.js) and hands the
// entries it read here (see()): the log is read once.
//
//   const code = mountCode(root, { onChange })
//   code.see(entries)      entries newly read from the log, oldest first
//   code.reset(config)     a new run (or none: null)
//   code.view() / code.setView({ strategy, language })   what a share link keeps
//
// Every line is text (textContent), never HTML.
import { h, setText, setAttr, uid } from './util.js';
import { CodeState, CODE_STRATEGIES, LANGUAGES } from './code-state.js';

export function mountCode(root, { onChange = null } = {}) {
  const state = new CodeState();
  const ids = { title: uid('rs-src-title'), strategy: uid('rs-src-strategy'), language: uid('rs-src-language'), caption: uid('rs-src-caption') };
  const strategySelect = h('select', { id: ids.strategy, className: 'rs-input' },
    CODE_STRATEGIES.map((s) => h('option', { value: s.id, text: s.label })));
  const languageSelect = h('select', { id: ids.language, className: 'rs-input' },
    LANGUAGES.map((l) => h('option', { value: l.id, text: l.label })));
  const pre = h('pre', {
    className: 'rs-src-code', tabindex: '0', 'aria-labelledby': ids.title, 'aria-describedby': ids.caption,
  });
  const caption = h('p', { className: 'rs-src-caption', id: ids.caption });
  const quietNote = h('p', {
    className: 'rs-hint rs-src-quiet-note',
    text: 'Lines marked ◦ read the retry count back. The simulation keeps each order’s count itself, so its log has no such command.',
  });
  root.replaceChildren(
    h('div', { className: 'rs-panel-head' },
      h('h3', { id: ids.title, text: 'The code behind it' }),
      h('div', { className: 'rs-tools' },
        h('label', { for: ids.strategy, text: 'Strategy' }), strategySelect,
        h('label', { for: ids.language, text: 'Language' }), languageSelect)),
    h('p', { className: 'rs-hint', text: 'A worker as you would write it with a real client library. While the simulation runs or steps, the line that sent the strategy’s newest command is marked.' }),
    pre, caption, quietNote);

  let lineEls = [];
  let marked = null;

  function drawProgram() {
    strategySelect.value = state.strategyId;
    languageSelect.value = state.language;
    const lines = state.lines;
    lineEls = lines.map((l, i) => h('span', { className: `rs-src-line${l.quiet ? ' rs-src-quiet' : ''}`, dataset: { line: String(i + 1) } },
      h('span', { className: 'rs-src-no', 'aria-hidden': 'true', text: `${String(i + 1).padStart(2)}${l.quiet ? '◦' : ' '} ` }),
      l.text === '' ? ' ' : l.text));
    pre.replaceChildren(...lineEls);
    quietNote.hidden = !lines.some((l) => l.quiet);
    marked = null;
    drawCurrent();
  }

  function drawCurrent() {
    const i = state.current && state.matchesRun ? state.current.line : -1;
    const el = i >= 0 ? lineEls[i] : null;
    if (el !== marked) {
      if (marked) {
        marked.classList.remove('rs-src-current');
        marked.removeAttribute('aria-current');
      }
      if (el) {
        el.classList.add('rs-src-current');
        el.setAttribute('aria-current', 'true');
        // Keep it in view inside the code box (not the page).
        const top = el.offsetTop - pre.offsetTop;
        if (top < pre.scrollTop || top + el.offsetHeight > pre.scrollTop + pre.clientHeight) {
          pre.scrollTop = Math.max(0, top - pre.clientHeight / 3);
        }
      }
      marked = el;
    }
    setText(caption, state.caption());
    setAttr(root, 'data-current-line', i >= 0 ? String(i + 1) : null);
  }

  function changed() {
    drawProgram();
    onChange?.(state.view);
  }
  strategySelect.addEventListener('change', () => { state.select({ strategy: strategySelect.value }); changed(); });
  languageSelect.addEventListener('change', () => { state.select({ language: languageSelect.value }); changed(); });

  drawProgram();

  return {
    state,
    element: pre,
    see(entries) {
      if (state.see(entries)) drawCurrent();
    },
    reset(config) {
      state.reset(config);
      drawCurrent();
    },
    view: () => state.view,
    setView(view) {
      state.select(view ?? {});
      drawProgram();
    },
  };
}
