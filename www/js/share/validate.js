// Which lines a share link may run. A link is data from anybody, opened with one click: it
// may run Redis commands of the engine's table and nothing else, and none that would take
// the console over (blocking, subscribing, MONITOR), close it (QUIT, RESET, CLIENT KILL) or
// make the tab allocate without bound (huge offsets and counts).
//
//   const check = scenarioChecker(engine);   // reads engine.commands() once
//   check(lines) → { ok, lines, refused: [{ n, line, reason }] }
//
// There is no way to run script from a link: EVAL and friends are not in the table, console
// words (help, clear) are refused as unknown, and the console shows every line and reply as
// text. No DOM here: the node tests use this module as it is.
import { repeatCount } from '../cli.js';

/** Names refused whatever the table says, with why. */
const REFUSED = new Map([
  ['MONITOR', 'MONITOR takes the console over'],
  ['SUBSCRIBE', 'subscribing takes the console over'],
  ['PSUBSCRIBE', 'subscribing takes the console over'],
  ['SSUBSCRIBE', 'subscribing takes the console over'],
  ['QUIT', 'QUIT closes the console\'s connection'],
  ['RESET', 'RESET resets the console\'s connection'],
  ['DEBUG', 'DEBUG is not allowed in a shared link'],
  ['SHUTDOWN', 'SHUTDOWN is not allowed in a shared link'],
]);
const REFUSED_SUB = new Map([
  ['CLIENT KILL', 'CLIENT KILL closes connections'],
  ['CLIENT PAUSE', 'CLIENT PAUSE stops the console'],
  ['CLIENT REPLY', 'CLIENT REPLY silences the console'],
]);

/** Arguments that make the engine allocate: [command, argument index, limit, what]. */
const BOUNDS = [
  ['SETRANGE', 2, 1024 * 1024, 'offset'],
  ['SETBIT', 2, 8 * 1024 * 1024, 'bit offset'],
  ['SRANDMEMBER', 2, 10_000, 'count'],
  ['ZRANDMEMBER', 2, 10_000, 'count'],
  ['HRANDFIELD', 2, 10_000, 'count'],
];
const MAX_REPEAT = 100; // redis-cli's "N command" repeat prefix

export const MAX_SHOWN_LINE = 200;

/** A line cut for a message: at most MAX_SHOWN_LINE characters. */
export function clip(line, max = MAX_SHOWN_LINE) {
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/** A checker for scenario lines against `engine`'s command table. */
export function scenarioChecker(engine) {
  const table = new Map(); // top-level name → { flags, subs: Set }
  for (const c of Array.from(engine.commands() ?? [])) {
    const [top, sub] = String(c.name).toUpperCase().split(' ');
    const e = table.get(top) ?? { flags: '', subs: new Set() };
    e.flags += ` ${c.flags ?? ''}`;
    if (sub) e.subs.add(sub);
    table.set(top, e);
  }

  function checkLine(line) {
    const args = engine.splitArgs(line);
    if (args === null || args === undefined) return 'its quotes do not parse';
    if (args.length === 0) return 'it is empty';
    const { count, argv: words } = repeatCount(Array.from(args, (a) => a.text));
    if (count !== null && count > MAX_REPEAT) return `a repeat count over ${MAX_REPEAT}`;
    const name = words[0].toUpperCase();
    if (REFUSED.has(name)) return REFUSED.get(name);
    const entry = table.get(name);
    if (!entry) return 'not a Redis command this playground knows';
    if (/\bblocking\b/.test(entry.flags)) return 'a blocking command (it would wait for data)';
    const sub = words[1]?.toUpperCase();
    if (sub && REFUSED_SUB.has(`${name} ${sub}`)) return REFUSED_SUB.get(`${name} ${sub}`);
    for (const [cmd, at, limit, what] of BOUNDS) {
      if (name !== cmd || words.length <= at) continue;
      const v = Number(words[at]);
      if (Number.isFinite(v) && Math.abs(v) > limit) return `${what} over ${limit.toLocaleString('en-US')} in a shared link`;
    }
    return null;
  }

  return function check(lines) {
    const refused = [];
    const kept = [];
    lines.forEach((line, i) => {
      const reason = checkLine(line);
      if (reason) refused.push({ n: i + 1, line, reason });
      else kept.push(line);
    });
    return { ok: refused.length === 0, lines: kept, refused };
  };
}
