// How the guided mode tells that the learner's own command did what a lesson step asked.
// Pure functions, no DOM: the page (lessons.js) and the node tests both use them.
//
// A step's `check` (see www/lessons/README.md) is an object whose fields must ALL hold:
//
//   command     a command-line pattern the learner's line must match, argument by argument
//               (see matchCommand). Default for a step with a command: the step's own line.
//   reply       the exact text the console printed for the line
//   replyMatch  a regular expression (JavaScript syntax) the printed text must match
//   key         a read-only look at one key of the selected db after the line ran, through
//               engine.inspect() (not an access: no stats, no idle-time touch, no deletion,
//               no prompt change): { name, exists?, type?, ttl?: "none" | "some" }
//   anyOf       a list of checks of which at least one must hold (e.g. SETEX or SET … EX)
//
// Without `reply`/`replyMatch`, the line must not have failed: an `(error)` reply, a
// `QUEUED` (inside MULTI nothing ran yet) or `Invalid argument(s)` never satisfies a step.
//
// Steps that move the world clock (`advance: ms`) have no check object: they are done when
// the world clock has moved at least that far since the step was shown.
import { repeatCount } from '../cli.js';

/**
 * A splitter that reads a line as redis-cli does, from the engine (its `splitArgs`, the same
 * code the console runs): `(line) => [arg, …]`, or null when the quotes do not parse.
 */
export function splitterOf(engine) {
  return (line) => {
    const args = engine.splitArgs(line);
    return args ? Array.from(args, (a) => a.text) : null;
  };
}

/**
 * The command a console line runs, as redis-cli reads it: `{ argv, repeat }`, with a leading
 * repeat count (`3 INCR hits`) taken off; null for an empty line or one whose quotes do not parse.
 */
export function parseLine(line, split) {
  const args = split(line);
  if (!args || args.length === 0) return null;
  const { count, argv } = repeatCount(args);
  return { argv, repeat: count ?? 1 };
}

// Placeholders a pattern may use in place of an argument.
const PLACEHOLDERS = {
  '<any>': () => true,
  '<int>': (a) => /^-?[0-9]+$/.test(a),
  '<number>': (a) => /^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/.test(a),
};

/** A pattern token made only of capital letters is a keyword (EX, WITHSCORES…): any case matches. */
const isKeyword = (token) => /^[A-Z]+$/.test(token);

/**
 * Does the command line `line` match `pattern`? The pattern is itself a command line, split like
 * redis-cli splits it, compared argument by argument:
 *   - the command name, and any token made only of capital letters (a keyword such as EX or
 *     WITHSCORES), match in any case; every other token (keys, members, values) exactly;
 *   - `<any>` matches one argument, `<int>` an integer, `<number>` a number;
 *   - a last token `<rest>` matches any number of further arguments (even none).
 */
export function matchCommand(pattern, line, split) {
  const pat = split(pattern);
  const got = parseLine(line, split);
  if (!pat || pat.length === 0) throw new Error(`check pattern does not parse: ${pattern}`);
  if (!got) return false;
  const argv = got.argv;
  const rest = pat[pat.length - 1] === '<rest>';
  const fixed = rest ? pat.slice(0, -1) : pat;
  if (rest ? argv.length < fixed.length : argv.length !== fixed.length) return false;
  return fixed.every((p, i) => {
    const a = argv[i];
    if (Object.hasOwn(PLACEHOLDERS, p)) return PLACEHOLDERS[p](a);
    if (i === 0 || isKeyword(p)) return p.toLowerCase() === a.toLowerCase();
    return p === a;
  });
}

/** The command name a pattern or line runs, lower case ('' if none). */
export function commandName(line, split) {
  const got = parseLine(line, split);
  return got ? got.argv[0].toLowerCase() : '';
}

const FAILED = /^(\(error\) |Invalid argument\(s\)$|QUEUED$)/;

/**
 * Evaluate `check` for a line the console ran.
 *   ctx.line      the line as typed
 *   ctx.text      what the console printed for it
 *   ctx.split     the line splitter (splitterOf(engine))
 *   ctx.lookupKey (name) => {key, type, ttl, …} | null — a read-only keyspace look-up
 * Returns true or false. Throws on a malformed check (the node tests catch those).
 */
export function evaluateCheck(check, ctx) {
  if (!check || typeof check !== 'object') throw new Error('a check must be an object');
  for (const k of Object.keys(check)) {
    if (!['command', 'reply', 'replyMatch', 'key', 'anyOf'].includes(k)) throw new Error(`unknown check field: ${k}`);
  }
  const text = ctx.text ?? '';
  if (check.command !== undefined && !matchCommand(check.command, ctx.line, ctx.split)) return false;
  if (check.reply !== undefined && text !== check.reply) return false;
  if (check.replyMatch !== undefined && !new RegExp(check.replyMatch).test(text)) return false;
  if (check.reply === undefined && check.replyMatch === undefined && FAILED.test(text)) return false;
  if (check.key !== undefined) {
    const want = check.key;
    if (typeof want.name !== 'string') throw new Error('check.key needs a name');
    const info = ctx.lookupKey ? ctx.lookupKey(want.name) : null;
    const exists = want.exists ?? true;
    if (!exists) {
      if (info) return false;
    } else {
      if (!info) return false;
      if (want.type !== undefined && info.type !== want.type) return false;
      if (want.ttl === 'none' && info.ttl !== -1) return false;
      if (want.ttl === 'some' && !(info.ttl >= 0)) return false;
    }
  }
  if (check.anyOf !== undefined) {
    if (!Array.isArray(check.anyOf) || check.anyOf.length === 0) throw new Error('anyOf needs a list of checks');
    if (!check.anyOf.some((c) => evaluateCheck(c, ctx))) return false;
  }
  return true;
}

/** The check the guided mode uses for a step: its own, or by default "typed this very command". */
export function stepCheck(step) {
  if (step.check) return step.check;
  if (step.command !== undefined) return { command: step.command };
  return null;
}

/**
 * Look a key up in db `dbOf()` (the learner's console's db) without touching it:
 * engine.inspect() reads without counting an access, deleting an expired key or changing
 * any statistic. Gives `{ key, type, ttl (ms, or -1), … }` or null.
 */
export function keyLookup(engine, dbOf = () => 0) {
  return (name) => engine.inspect(dbOf(), name, 0, 0) ?? null;
}
