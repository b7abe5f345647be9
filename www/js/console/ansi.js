// Render text that may hold redis-cli's ANSI SGR escapes (HELP output uses bold, grey and
// yellow) as styled spans. Everything is inserted as text nodes: nothing is parsed as HTML.

const ESC_SEQ = /\x1b\[([0-9;]*)([A-Za-z])/g;
// Control characters other than \n and \t that could still be in the text once the escape
// sequences are gone (a stray ESC, \r from "\r\n" line ends, …).
const STRAY_CONTROLS = /[\x00-\x08\x0b-\x1f\x7f]/g;

const COLORS = {
  30: 'black', 31: 'red', 32: 'green', 33: 'yellow', 34: 'blue', 35: 'magenta', 36: 'cyan', 37: 'white',
  90: 'grey', 91: 'bright-red', 92: 'bright-green', 93: 'bright-yellow', 94: 'bright-blue',
  95: 'bright-magenta', 96: 'bright-cyan', 97: 'bright-white',
};

function applySgr(state, params) {
  const codes = params === '' ? [0] : params.split(';').map((p) => (p === '' ? 0 : Number(p)));
  for (const c of codes) {
    if (c === 0) { state.bold = false; state.dim = false; state.underline = false; state.color = null; }
    else if (c === 1) state.bold = true;
    else if (c === 2) state.dim = true;
    else if (c === 4) state.underline = true;
    else if (c === 22) { state.bold = false; state.dim = false; }
    else if (c === 24) state.underline = false;
    else if (c === 39) state.color = null;
    else if (COLORS[c]) state.color = COLORS[c];
  }
}

function classesOf(state) {
  const cls = [];
  if (state.bold) cls.push('ansi-bold');
  if (state.dim) cls.push('ansi-dim');
  if (state.underline) cls.push('ansi-underline');
  if (state.color) cls.push(`ansi-${state.color}`);
  return cls;
}

/** Split `text` into `[{text, classes}]` runs; escapes and stray control characters removed. */
export function ansiRuns(text) {
  const runs = [];
  const state = { bold: false, dim: false, underline: false, color: null };
  const push = (s) => {
    s = s.replace(STRAY_CONTROLS, '');
    if (!s) return;
    const classes = classesOf(state);
    const last = runs[runs.length - 1];
    if (last && last.classes.join(' ') === classes.join(' ')) last.text += s;
    else runs.push({ text: s, classes });
  };
  let at = 0;
  for (const m of text.matchAll(ESC_SEQ)) {
    push(text.slice(at, m.index));
    if (m[2] === 'm') applySgr(state, m[1]);
    at = m.index + m[0].length;
  }
  push(text.slice(at));
  return runs;
}

/** A DocumentFragment of text nodes and <span class="ansi-…"> elements for `text`. */
export function renderAnsi(text, doc = document) {
  const frag = doc.createDocumentFragment();
  for (const run of ansiRuns(text)) {
    if (run.classes.length === 0) {
      frag.appendChild(doc.createTextNode(run.text));
    } else {
      const span = doc.createElement('span');
      span.className = run.classes.join(' ');
      span.textContent = run.text;
      frag.appendChild(span);
    }
  }
  return frag;
}
