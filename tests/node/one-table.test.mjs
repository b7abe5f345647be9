// The command table is the only list of commands (DESIGN.md, "One command table"): the page
// asks engine.commands() for names, shapes, share-link policy and blocking, and no module
// under www/js keeps its own list. This test reads every www/js/**/*.js, finds the string
// literals whose whole content is a command name of the table (any case; top-level names and
// `container sub` names), and fails on each one that is not in ALLOWED below.
//
// ALLOWED is short and reviewed: each word is there because the page uses it for something
// that is not that command, and says what. Adding a word here needs the same care.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const WWW_JS = path.join(ROOT, 'www', 'js');
const PKG = path.join(ROOT, 'www', 'pkg');

/** word (lower case) → why the page writes it; nothing else that names a command may appear. */
const ALLOWED = new Map([
  ['set', 'a value type name (TYPE answers "set"), for badges, filters and value views'],
  ['object', 'the result of typeof, not OBJECT'],
  ['function', 'the result of typeof, not FUNCTION'],
  ['script', 'the export format (a redis-cli script), the Script button, a link stopped for a script: not SCRIPT'],
  ['eval', 'the script editor writes the EVAL line a redis-cli user would type (the command it composes, no facts about it)'],
  ['eval_ro', 'the script editor\'s EVAL_RO button and line, as for EVAL'],
  ['evalsha', 'the script editor\'s EVALSHA button and line, as for EVAL'],
  ['script load', 'the script editor\'s SCRIPT LOAD button and line, as for EVAL'],
  ['select', 'the <select> element\'s tag name and the input\'s select event, not SELECT'],
  ['time', 'the <time> element\'s tag name (the world clock), not TIME'],
  ['echo', 'the CSS class of a console entry\'s echoed line, not ECHO'],
  ['info', 'a notice\'s kind (info, warning, error), not INFO'],
  ['monitor', 'the tab label\'s word for a console in MONITOR mode ("2 · id 5 — MONITOR")'],
  ['command', 'the noun (plural(n, \'command\')), a save\'s reason, a lesson check\'s field, the input\'s name attribute'],
  ['reset', 'the Reset dialog\'s button value and the simulation\'s Reset button, not RESET'],
  ['copy', 'document.execCommand(\'copy\') and the Copy buttons\' label, not COPY'],
  ['keys', 'the plural noun ("3 keys") and the S key\'s KeyboardEvent.code (\'KeyS\'), not KEYS'],
  ['quit', 'the verb in "Ctrl+C to quit", redis-cli\'s word for leaving a mode'],
  ['ttl', 'the field of scanKeys()/inspect() rows (a key\'s ttl in ms), not TTL'],
  ['scan', 'a reply shape\'s kind from the command table ({ kind: \'scan\' }, table.js), not SCAN'],
  ['restore', 'the verb of bringing a saved world back (a load plan\'s action, a save\'s reason, the Restore button), not RESTORE'],
  ['role', 'the ARIA role attribute (role: \'tab\', \'status\', \'dialog\'), not ROLE'],
  ['readonly', 'an IndexedDB transaction mode and the textarea attribute, not READONLY'],
  ['readwrite', 'an IndexedDB transaction mode, not READWRITE'],
]);

/**
 * Calls whose literal argument may be a command name: prose that shows a command to the
 * learner as <code> (retry/explain.js's code('ZREM')). The name is text there, not a list.
 */
const ALLOWED_CALLS = new Map([
  ['code', 'prose naming a command for the learner, as <code>'],
  ['sent', 'the retry panel\'s code behind it (retry/code-data.js): which client call of a sample program sends a logged command; no facts about the command'],
]);

/**
 * The string literals of a JavaScript source: quoted strings, and template literals without
 * substitutions (the text of a template with `${…}` is never a whole literal). Comments and
 * regular expression literals are skipped. Returns [{ text, line, callee }], `callee` the
 * function a literal is the first argument of (`code` in code('ZREM')), or null.
 */
export function stringLiterals(src) {
  const out = [];
  let i = 0;
  let line = 1;
  let last = ''; // the last significant character or word, to tell a regex from a division
  let before = ''; // the one before it (a literal's callee: code('ZREM'))
  const callee = () => (last === '(' && /^[A-Za-z_$][\w$]*$/.test(before) ? before : null);
  const see = (token) => { before = last; last = token; };
  const n = src.length;
  const lineAt = (from, to) => { for (let k = from; k < to; k++) if (src[k] === '\n') line++; };
  const regexAllowed = () => last === '' || /[(,=:[!&|?{};+\-*%<>~^]$/.test(last) || /^(return|typeof|case|do|else|in|of|new|delete|void|throw|yield|await)$/.test(last);

  function quoted(q) {
    let text = '';
    i++;
    while (i < n && src[i] !== q) {
      if (src[i] === '\\') { text += src[i + 1] ?? ''; i += 2; continue; }
      if (src[i] === '\n' && q !== '`') break;
      text += src[i++];
    }
    i++;
    return text;
  }

  // A template literal: its text when it has no substitutions; code inside `${…}` is scanned.
  function template() {
    const startLine = line;
    i++;
    let text = '';
    let plain = true;
    while (i < n && src[i] !== '`') {
      if (src[i] === '\\') { text += src[i + 1] ?? ''; i += 2; continue; }
      if (src[i] === '$' && src[i + 1] === '{') {
        plain = false;
        i += 2;
        code('}');
        i++;
        continue;
      }
      if (src[i] === '\n') line++;
      text += src[i++];
    }
    i++;
    if (plain) out.push({ text, line: startLine, callee: callee() });
  }

  function regex() {
    i++;
    let inClass = false;
    while (i < n) {
      const c = src[i];
      if (c === '\\') { i += 2; continue; }
      if (c === '\n') break;
      if (inClass) { if (c === ']') inClass = false; } else if (c === '[') inClass = true;
      else if (c === '/') break;
      i++;
    }
    i++;
    while (i < n && /[a-z]/i.test(src[i])) i++;
  }

  // Scan code until the closing `end` character at depth 0 (or the end of the source).
  function code(end) {
    let depth = 0;
    while (i < n) {
      const c = src[i];
      if (c === end && depth === 0) return;
      if (c === '\n') { line++; i++; continue; }
      if (/\s/.test(c)) { i++; continue; }
      if (c === '/' && src[i + 1] === '/') { while (i < n && src[i] !== '\n') i++; continue; }
      if (c === '/' && src[i + 1] === '*') {
        const close = src.indexOf('*/', i + 2);
        const to = close < 0 ? n : close + 2;
        lineAt(i, to);
        i = to;
        continue;
      }
      if (c === '"' || c === "'") {
        const startLine = line;
        const text = quoted(c);
        out.push({ text, line: startLine, callee: callee() });
        see('string');
        continue;
      }
      if (c === '`') { template(); see('string'); continue; }
      if (c === '/' && regexAllowed()) { regex(); see('regex'); continue; }
      if (c === '{' || c === '(' || c === '[') depth++;
      if ((c === '}' || c === ')' || c === ']') && depth > 0) depth--;
      if (/[A-Za-z_$0-9]/.test(c)) {
        const m = /^[A-Za-z_$0-9]+/.exec(src.slice(i, i + 64));
        see(m[0]);
        i += m[0].length;
        continue;
      }
      see(c);
      i++;
    }
  }

  code(null);
  return out;
}

/** Every .js file under `dir`. */
function jsFiles(dir) {
  const files = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...jsFiles(p));
    else if (entry.name.endsWith('.js')) files.push(p);
  }
  return files.sort();
}

let names; // every command name, lower case: 'get', 'config get', 'config|get', 'config'

before(async () => {
  const wasm = path.join(PKG, 'redis_playground_bg.wasm');
  if (!fs.existsSync(wasm)) throw new Error('www/pkg/ is missing: build it first with scripts/build');
  const pkg = await import(path.join(PKG, 'redis_playground.js'));
  pkg.initSync({ module: fs.readFileSync(wasm) });
  const p = new pkg.Playground();
  names = new Set();
  for (const c of Array.from(p.commands())) {
    const name = String(c.name).toLowerCase();
    names.add(name);
    names.add(name.replace(' ', '|')); // the form execDetailed reports: config|get
    names.add(name.split(' ')[0]); // a container (CONFIG, OBJECT) is a top-level name too
  }
});

/** The literals of `src` that name a command and are not allowed: [{ text, line }]. */
function offenders(src) {
  return stringLiterals(src).filter(({ text, callee }) => {
    const word = text.toLowerCase();
    return names.has(word) && !ALLOWED.has(word) && !ALLOWED_CALLS.has(callee);
  });
}

test('the literal scanner sees strings and skips comments and regular expressions', () => {
  const found = stringLiterals([
    "const a = 'zpopmin'; // 'comment'",
    'const b = "x\\"y"; /* "block" */ const r = /["\']hgetall["\']/g;',
    'const t = `plain`, u = `with ${"inner"} part`;',
    'const d = 4 / 2; const e = "after-division";',
  ].join('\n')).map((l) => l.text);
  assert.deepEqual(found, ['zpopmin', 'x"y', 'plain', 'inner', 'after-division']);
});

test('a page module that lists commands again is caught', () => {
  assert.deepEqual(offenders("const SCORED = new Set(['zpopmin', 'zpopmax']);").map((o) => o.text), ['zpopmin', 'zpopmax']);
  assert.deepEqual(offenders("if (name === 'hmget') return byArgs(items);").map((o) => o.text), ['hmget']);
  assert.deepEqual(offenders("const R = new Map([['CLIENT KILL', 'closes connections']]);").map((o) => o.text), ['CLIENT KILL']);
  assert.deepEqual(offenders("const F = new Set(['config|get']);").map((o) => o.text), ['config|get']);
  assert.deepEqual(offenders("h('select', { type: 'set' })"), [], 'allowed words pass');
  assert.deepEqual(offenders("['It claims with ', code('ZREM'), '.']"), [], 'prose shows commands as code');
  assert.deepEqual(offenders("run('ZREM')").map((o) => o.text), ['ZREM'], 'only code() is prose');
});

test('no module under www/js keeps its own list of command names', () => {
  const found = [];
  for (const file of jsFiles(WWW_JS)) {
    for (const { text, line } of offenders(fs.readFileSync(file, 'utf8'))) {
      found.push(`${path.relative(ROOT, file)}:${line}: '${text}'`);
    }
  }
  assert.deepEqual(found, [], 'command names written in page code (use engine.commands(): shape, link, blocking)');
});

test('every allowed word is a command name and is still used', () => {
  const all = jsFiles(WWW_JS).flatMap((f) => stringLiterals(fs.readFileSync(f, 'utf8')).map((l) => l.text.toLowerCase()));
  for (const word of ALLOWED.keys()) {
    assert.ok(names.has(word), `'${word}' is not a command name: drop it from ALLOWED`);
    assert.ok(all.includes(word), `'${word}' no longer appears in www/js: drop it from ALLOWED`);
  }
});
