// Syntax colouring of a console line: the command name, key arguments, option keywords of
// the command's syntax, a leading repeat count, and the other arguments. Used for the
// overlay behind the input and for the echoed lines in the transcript.
//
// Arguments and their offsets come from the engine (`splitArgs(line)`, redis-cli's own
// splitting, and `keyPositions(line)`), with a small JavaScript splitter as the fallback
// for a line whose quotes do not close yet (and for an engine without those methods).
// The result is a list of runs `{ text, cls }` that concatenate back to the line exactly.
import { repeatCount } from '../cli.js';

/**
 * Split like redis-cli (sdssplitargs) but never fail: `[{ start, end, open }]` in UTF-16
 * offsets; `open` marks a quoted argument that is not closed (it runs to the end).
 */
export function looseSplit(line) {
  const out = [];
  let i = 0;
  const n = line.length;
  const isSpace = (c) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';
  while (i < n) {
    while (i < n && isSpace(line[i])) i++;
    if (i >= n) break;
    const start = i;
    let open = false;
    if (line[i] === '"' || line[i] === "'") {
      const q = line[i++];
      let closed = false;
      while (i < n) {
        if (q === '"' && line[i] === '\\' && i + 1 < n) { i += 2; continue; }
        if (q === "'" && line[i] === '\\' && line[i + 1] === "'") { i += 2; continue; }
        if (line[i] === q) { i++; closed = true; break; }
        i++;
      }
      if (!closed) open = true;
      // redis-cli wants a space after a closing quote; anything else makes the line invalid.
      while (i < n && !isSpace(line[i])) { i++; open = true; }
    } else {
      while (i < n && !isSpace(line[i])) i++;
    }
    out.push({ start, end: i, open });
  }
  return out;
}

const OPTION_WORD = /(?<![\w-])[A-Z][A-Z0-9_]*(?![\w-])/g;

/** What the colouring needs to know about each command, from `engine.commands()`. */
export function commandIndex(commands) {
  const byName = new Map(); // "get" / "object encoding" → { options:Set, firstOptional }
  const containers = new Set(); // "object", "command": names with sub-commands
  for (const c of commands || []) {
    const name = String(c.name).toLowerCase();
    const syntax = String(c.syntax || '');
    const options = new Set((syntax.match(OPTION_WORD) || []).map((w) => w.toLowerCase()));
    // Options can only appear once the required leading arguments are typed.
    const bracket = syntax.indexOf('[');
    const head = (bracket < 0 ? syntax : syntax.slice(0, bracket)).trim();
    const required = head === '' ? 0 : head.split(/\s+/).length;
    byName.set(name, { options, required, syntax });
    if (name.includes(' ')) containers.add(name.split(' ')[0]);
  }
  return { byName, containers };
}

/**
 * Runs `{ text, cls }` covering `line` exactly. `engine` may lack splitArgs/keyPositions;
 * `index` is `commandIndex(engine.commands())` (or null before it is known).
 */
export const MAX_COLOURED = 4000; // longer lines are shown plain (a bulk load of 100,000 values)

export function highlight(line, engine, index) {
  if (line === '') return [];
  if (line.length > MAX_COLOURED) return [{ text: line, cls: '' }];
  let args = null;
  let badFrom = -1;
  if (engine && typeof engine.splitArgs === 'function') {
    try {
      const got = engine.splitArgs(line);
      if (got) {
        // Offsets are UTF-16 code units, as JavaScript strings count.
        args = Array.from(got, (a) => ({ start: Number(a.start), end: Number(a.end), open: false }));
        if (args.some((a) => !(a.start >= 0 && a.end <= line.length && a.start <= a.end))) args = null;
      }
    } catch { args = null; }
  }
  if (!args) args = looseSplit(line);
  const bad = args.findIndex((a) => a.open);
  if (bad >= 0) badFrom = bad;

  const cls = new Array(args.length).fill('tok-arg');
  const word = (i) => line.slice(args[i].start, args[i].end).toLowerCase();

  // A leading repeat count: a number followed by a command.
  let c0 = 0;
  if (repeatCount(args.map((_, i) => word(i))).count !== null) { cls[0] = 'tok-count'; c0 = 1; }

  let info = null;
  let argBase = c0 + 1; // index of the first argument after the command name
  if (c0 < args.length) {
    const name = word(c0);
    const two = c0 + 1 < args.length ? `${name} ${word(c0 + 1)}` : null;
    if (index && two && index.byName.has(two)) {
      info = index.byName.get(two);
      cls[c0] = cls[c0 + 1] = 'tok-cmd';
      argBase = c0 + 2;
    } else if (index && index.byName.has(name)) {
      info = index.byName.get(name);
      cls[c0] = 'tok-cmd';
    } else if (index && index.containers.has(name)) {
      cls[c0] = 'tok-cmd';
    } else if (!index || (c0 === args.length - 1 && !/\s$/.test(line))) {
      cls[c0] = 'tok-cmd'; // still being typed
    } else {
      cls[c0] = 'tok-unknown';
    }
  }

  let keys = null;
  if (badFrom < 0 && engine && typeof engine.keyPositions === 'function') {
    // The engine reads the line from its command on: skip a repeat count.
    const rest = c0 > 0 ? line.slice(args[c0].start) : line;
    try { keys = new Set(Array.from(engine.keyPositions(rest) || [], (i) => Number(i) + c0)); } catch { keys = null; }
  }
  if (!keys && info && /^key\b/.test(info.syntax)) keys = new Set([argBase]);
  for (let i = argBase; i < args.length; i++) {
    if (keys && keys.has(i)) cls[i] = 'tok-key';
    else if (info && i - argBase >= info.required && info.options.has(word(i))) cls[i] = 'tok-opt';
  }
  if (badFrom >= 0) for (let i = badFrom; i < args.length; i++) cls[i] = 'tok-bad';

  const runs = [];
  let at = 0;
  args.forEach((a, i) => {
    if (a.start > at) runs.push({ text: line.slice(at, a.start), cls: '' });
    runs.push({ text: line.slice(a.start, a.end), cls: cls[i] });
    at = a.end;
  });
  if (at < line.length) runs.push({ text: line.slice(at), cls: '' });
  return runs;
}

/** Append the runs to `parent` as text nodes and spans (never as HTML). */
export function renderRuns(parent, runs, doc = document) {
  for (const r of runs) {
    if (!r.cls) { parent.appendChild(doc.createTextNode(r.text)); continue; }
    const span = doc.createElement('span');
    span.className = r.cls;
    span.textContent = r.text;
    parent.appendChild(span);
  }
  return parent;
}
