// Which lines a share link may run. A link is data from anybody, opened with one click: it
// may run Redis commands of the engine's table and nothing else, and none that would take
// the console over (blocking, subscribing, MONITOR), close it (QUIT, RESET, CLIENT KILL) or
// make the tab allocate without bound (huge offsets and counts). The command table says
// which: each command's `link` ({allowed}, {allowed: false, reason}, or {allowed, arg, max,
// what}: the integer argument at `arg` at most `max` in size) and `blocking`.
//
//   const check = scenarioChecker(engine);   // reads engine.commands() once
//   check(lines) → { ok, lines, refused: [{ n, line, reason }] }
//
// No page script runs from a link: console words (help, clear) are refused as unknown and
// the console shows every line and reply as text. Lua scripts (EVAL, FCALL) run in the
// engine only, and runner.js stops one that outlives its first slice of work. No DOM here: the node tests use this module as it is.
import { repeatCount } from '../cli.js';

const MAX_REPEAT = 100; // redis-cli's "N command" repeat prefix

export const MAX_SHOWN_LINE = 200;

/** A line cut for a message: at most MAX_SHOWN_LINE characters. */
export function clip(line, max = MAX_SHOWN_LINE) {
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/** A checker for scenario lines against `engine`'s command table. */
export function scenarioChecker(engine) {
  // 'config' → { cmd, subs: Map('get' → cmd) }; a sub-command's entry is named "CONFIG GET".
  const table = new Map();
  for (const c of Array.from(engine.commands() ?? [])) {
    const [top, sub] = String(c.name).toLowerCase().split(' ');
    const e = table.get(top) ?? { cmd: null, subs: new Map() };
    if (sub) e.subs.set(sub, c);
    else e.cmd = c;
    table.set(top, e);
  }

  /** Why the table refuses `words` (a command line) in a link, or null. */
  function policy(cmd, words) {
    const link = cmd.link ?? { allowed: true };
    if (!link.allowed) return link.reason ?? `${String(cmd.name).toUpperCase()} is not allowed in a shared link`;
    if (cmd.blocking) return 'a blocking command (it would wait for data)';
    if (link.arg !== undefined && words.length > link.arg) {
      const v = Number(words[link.arg]);
      if (Number.isFinite(v) && Math.abs(v) > link.max) return `${link.what} over ${link.max.toLocaleString('en-US')} in a shared link`;
    }
    return null;
  }

  function checkLine(line) {
    const args = engine.splitArgs(line);
    if (args === null || args === undefined) return 'its quotes do not parse';
    if (args.length === 0) return 'it is empty';
    const { count, argv: words } = repeatCount(Array.from(args, (a) => a.text));
    if (count !== null && count > MAX_REPEAT) return `a repeat count over ${MAX_REPEAT}`;
    const name = words[0].toLowerCase();
    const entry = table.get(name);
    if (!entry) return 'not a Redis command this playground knows';
    // A container (CLIENT, CONFIG…) with a sub-command word: that sub-command's entry decides,
    // and one the table doesn't have (CLIENT PAUSE) is as unknown as any other name.
    if (entry.subs.size > 0 && words.length > 1) {
      const sub = entry.subs.get(words[1].toLowerCase());
      if (!sub) return 'not a Redis command this playground knows';
      return policy(sub, words);
    }
    // A container alone (COMMAND, CLIENT): the engine answers it (COMMAND lists every command).
    return entry.cmd ? policy(entry.cmd, words) : null;
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
