// One transcript entry: the echoed prompt and line, the reply as redis-cli prints it, and
// the reply's tools (copy; text / table view).
//
// A huge reply never goes into the page at once: the text view shows the first chunk of
// lines and a "Show more" button adds the next ones; the table view does the same with
// rows. The copy button always copies the whole text. Everything is inserted as text.
import { renderAnsi } from './ansi.js';
import { copyText } from './clipboard.js';
import { tableOfLine, cellText } from './table.js';
import { h } from '../dom.js';

export const FIRST_LINES = 200; // lines (or table rows) shown at once
export const MORE_LINES = 1000; // lines (or rows) each "Show more" adds
const MAX_CHUNK_CHARS = 40_000; // a chunk also stops at this many characters

const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;
const fmt = (n) => n.toLocaleString('en-US');

/** A button of the reply tools (type="button": never a form submit). */
const button = (className, label, ariaLabel) => h('button', { type: 'button', className, 'aria-label': ariaLabel }, label);

/** The end offset of the chunk of `text` that starts at `from`: `maxLines` lines at most. */
function chunkEnd(text, from, maxLines) {
  let at = from;
  const limit = Math.min(text.length, from + MAX_CHUNK_CHARS);
  for (let n = 0; n < maxLines; n++) {
    const nl = text.indexOf('\n', at);
    if (nl < 0 || nl >= limit) return limit;
    at = nl + 1;
  }
  return at;
}

function countLines(text) {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** A "Showing x of y" line with a "Show more" button that calls `more()` (returns shown, total). */
function moreBar(unit, more, shown, total) {
  const bar = h('div', { className: 'more' });
  const label = h('span', { className: 'more-label' });
  const btn = button('more-button', `Show ${fmt(MORE_LINES)} more`);
  const update = (s, t) => {
    label.textContent = `Showing ${fmt(s)} of ${fmt(t)} ${unit}`;
    btn.setAttribute('aria-label', `Show ${fmt(Math.min(MORE_LINES, t - s))} more ${unit} of this reply`);
    btn.textContent = `Show ${fmt(Math.min(MORE_LINES, t - s))} more`;
    if (s >= t) bar.remove();
  };
  btn.addEventListener('click', () => update(...more()));
  bar.append(label, btn);
  update(shown, total);
  return bar;
}

/**
 * What a running repeat count printed so far, shown under its line until the whole answer
 * replaces it (renderReply).
 */
export function partialReply(text) {
  const part = textView(text, { error: false, engineError: false });
  part.classList.add('partial');
  return part;
}

/** The text view: the reply as redis-cli prints it, the first chunk now, the rest on demand. */
function textView(text, { error, engineError }) {
  const wrap = h('div', { className: 'reply-text' });
  const out = h('div', { className: 'result' });
  if (engineError) out.classList.add('engine-error');
  else if (error) out.classList.add('error');
  wrap.appendChild(out);
  // exec joins lines with "\n": a trailing "\n" means a last, empty line (HELP ends with
  // one), which a pre-wrap block would not show without a second "\n".
  const shown = (end) => {
    const piece = text.slice(pos, end);
    out.appendChild(renderAnsi(end >= text.length && /\r?\n$/.test(text) ? `${piece}\n` : piece));
    pos = end;
  };
  let pos = 0;
  shown(chunkEnd(text, 0, FIRST_LINES));
  if (pos < text.length) {
    const total = countLines(text);
    let lines = countLines(text.slice(0, pos)) - 1;
    wrap.appendChild(moreBar('lines', () => {
      const end = chunkEnd(text, pos, MORE_LINES);
      lines += countLines(text.slice(pos, end)) - 1;
      shown(end);
      return [pos >= text.length ? total : lines, total];
    }, lines, total));
  }
  return wrap;
}

/** The table view of a table-shaped reply, rows added on demand like the text view. */
function tableView(table) {
  const wrap = h('div', { className: 'reply-table-wrap' });
  const t = h('table', { className: 'reply-table' });
  if (table.caption) t.appendChild(h('caption', { text: table.caption }));
  const head = h('thead');
  const hr = h('tr');
  for (const c of table.columns) {
    const th = h('th', { className: c === '#' ? 'col-index' : false, scope: 'col', text: c });
    hr.appendChild(th);
  }
  head.appendChild(hr);
  const body = h('tbody');
  t.append(head, body);
  wrap.appendChild(t);
  let pos = 0;
  const add = (n) => {
    const frag = document.createDocumentFragment();
    const end = Math.min(table.rows.length, pos + n);
    for (; pos < end; pos++) {
      const tr = h('tr');
      for (const cell of table.rows[pos]) {
        const td = h('td', { className: `cell-${cell?.type ?? 'nil'}`, text: cellText(cell) });
        tr.appendChild(td);
      }
      frag.appendChild(tr);
    }
    body.appendChild(frag);
  };
  add(FIRST_LINES);
  if (pos < table.rows.length) {
    wrap.appendChild(moreBar('rows', () => { add(MORE_LINES); return [pos, table.rows.length]; }, pos, table.rows.length));
  }
  return wrap;
}

/** Briefly say what a tool did, on the button and to screen readers. */
function flash(btn, label, announce) {
  const before = btn.dataset.label ?? btn.textContent;
  btn.dataset.label = before;
  btn.textContent = label;
  announce?.(label);
  clearTimeout(btn._flash);
  btn._flash = setTimeout(() => { btn.textContent = before; }, 1500);
}

/**
 * The reply part of an entry, appended to `entry`: `{ text, replies, error, engineError }`.
 * `announce(msg)` tells screen readers about tool results.
 */
export function renderReply(entry, { text, replies, engineError = false, announce }) {
  if (text === '') return;
  const error = text.startsWith('(error)') || (Array.isArray(replies) && replies.length === 1 && replies[0]?.reply?.type === 'error');
  const textPart = textView(text, { error, engineError });
  entry.appendChild(textPart);
  if (engineError) return;

  const tools = h('div', { className: 'entry-tools', role: 'group', 'aria-label': 'Reply tools' });

  let table;
  try { table = tableOfLine(replies); } catch { table = null; }
  if (table) {
    entry.classList.add('has-table');
    const toggle = button('tool tool-table', 'Table');
    toggle.setAttribute('aria-pressed', 'false');
    toggle.title = 'Show this reply as a table (or back as text)';
    let tablePart = null;
    toggle.addEventListener('click', () => {
      const on = toggle.getAttribute('aria-pressed') !== 'true';
      toggle.setAttribute('aria-pressed', String(on));
      if (on && !tablePart) {
        tablePart = tableView(table);
        entry.appendChild(tablePart);
      }
      if (tablePart) tablePart.hidden = !on;
      textPart.hidden = on;
      entry.classList.toggle('table-view', on);
    });
    tools.appendChild(toggle);
  }

  const copy = button('tool tool-copy', 'Copy', 'Copy reply');
  copy.title = 'Copy this reply as redis-cli prints it';
  copy.addEventListener('click', async () => {
    const ok = await copyText(text.replace(ANSI, '').replace(/\r/g, ''));
    flash(copy, ok ? 'Copied' : 'Copy failed', announce);
  });
  tools.appendChild(copy);
  // Right after the echoed line: first in focus order, beside it on touch screens.
  const echo = entry.querySelector(':scope > .echo');
  if (echo) echo.after(tools);
  else entry.prepend(tools);
}
