// "The code behind it" without a page: which program is shown (strategy × language), its
// lines, and which line sent the newest logged command of that strategy, with the words for
// the caption. code.js draws it; the node tests drive it with log entries.
//
//   const s = new CodeState();
//   s.select({ strategy: 'polling', language: 'python' });
//   s.see(entries)    → true when the running line changed (entries: engine.simLog's, oldest first)
//   s.current         → { line, entry, rule, argv, actor } | null
import { CODE_STRATEGIES, LANGUAGES, PROGRAMS, METHODS } from './code-data.js';
import { monitorArgs } from './log.js';

export { CODE_STRATEGIES, LANGUAGES, METHODS };

/** The 0-based index of the one line of `text` containing `at` (a trailing "\n" in `at` means "ends the line"); -1 when none or several. */
export function lineOf(text, at) {
  const lines = text.replace(/\n$/, '').split('\n');
  let found = -1;
  for (let i = 0; i < lines.length; i++) {
    if (`${lines[i]}\n`.includes(at)) {
      if (found >= 0) return -1;
      found = i;
    }
  }
  return found;
}

/** A logged entry's parts: `{ actor, argv, name }` from its MONITOR line. */
export function parseEntry(entry) {
  const line = String(entry.line ?? '');
  const close = line.indexOf('] ');
  const head = close >= 0 ? line.slice(0, close) : '';
  const actor = head.slice(head.lastIndexOf(' ') + 1);
  const argv = monitorArgs(close >= 0 ? line.slice(close + 2) : line).map((a) => a.value);
  return { actor, argv, name: (argv[0] ?? '').toUpperCase() };
}

/** Whether a strategy of the select (`CODE_STRATEGIES` entry) is what `entry` of a run with `config` belongs to. */
export function followsEntry(strategy, entry, config) {
  if (!strategy || entry.strategy !== strategy.sim) return false;
  return !strategy.claim || !config || config.queueClaim === strategy.claim;
}

/** The rule (and its line) of `program` for a parsed entry; `prev` the name of the connection's previous command. */
export function ruleFor(program, parsed, reply, prev = null) {
  for (const rule of program.rules) {
    if (rule.cmd !== parsed.name) continue;
    if (rule.reply && !rule.reply.test(String(reply ?? ''))) continue;
    if (rule.actor && !rule.actor.test(parsed.actor)) continue;
    if (rule.arg && !rule.arg[1].test(parsed.argv[rule.arg[0]] ?? '')) continue;
    if (rule.prev && rule.prev !== prev) continue;
    return { rule, line: lineOf(program.text, rule.at) };
  }
  return null;
}

export class CodeState {
  constructor({ strategy = 'polling', language = 'python' } = {}) {
    this.strategyId = 'polling';
    this.language = 'python';
    this.config = null; // the run's config (its queue claim mode)
    this.current = null;
    this.lastByActor = new Map(); // connection → its previous command's name
    this.newestBySim = new Map(); // the log's strategy → { entry, prev }: its newest command seen
    this.select({ strategy, language });
  }

  get strategy() {
    return CODE_STRATEGIES.find((s) => s.id === this.strategyId);
  }

  get program() {
    return PROGRAMS[this.strategyId][this.language];
  }

  /** The program's lines, each `{ text, quiet }` (quiet: a command the simulation doesn't send). */
  get lines() {
    const p = this.program;
    const quiet = new Set((p.quiet ?? []).map((q) => lineOf(p.text, q)));
    return p.text.replace(/\n$/, '').split('\n').map((text, i) => ({ text, quiet: quiet.has(i) }));
  }

  /** The view a share link keeps: `{ strategy, language }`. */
  get view() {
    return { strategy: this.strategyId, language: this.language };
  }

  /** Show another program (unknown ids are ignored). The running line is kept when the strategy stays. */
  select({ strategy, language } = {}) {
    const before = this.strategyId;
    if (CODE_STRATEGIES.some((s) => s.id === strategy)) this.strategyId = strategy;
    if (LANGUAGES.some((l) => l.id === language)) this.language = language;
    if (before !== this.strategyId) {
      // The newest command of the newly chosen strategy, if one was seen.
      const seen = this.newestBySim?.get(this.strategy.sim);
      this.current = seen && followsEntry(this.strategy, seen.entry, this.config) ? this.locate(seen.entry, seen.prev) : null;
    } else if (this.current) {
      this.current = this.locate(this.current.entry, this.current.prev);
    }
  }

  /** A new run (or none): forget the running line. */
  reset(config = null) {
    this.config = config;
    this.current = null;
    this.lastByActor.clear();
    this.newestBySim.clear();
  }

  /** Whether the shown program is the one the run uses (a queue program for another claim mode isn't). */
  get matchesRun() {
    const s = this.strategy;
    if (!this.config) return true;
    if (s.sim !== 'polling' && s.sim !== 'events' && s.sim !== 'queue' && s.sim !== 'stream') return false;
    if (this.config[s.sim] === false) return false;
    return !s.claim || this.config.queueClaim === s.claim;
  }

  locate(entry, prev) {
    const parsed = parseEntry(entry);
    const found = ruleFor(this.program, parsed, entry.reply, prev);
    if (!found || found.line < 0) return { line: -1, entry, rule: null, prev, ...parsed };
    return { line: found.line, entry, rule: found.rule, prev, ...parsed };
  }

  /** Entries newly read from the log (oldest first); true when the running line changed. */
  see(entries) {
    let newest = null;
    let newestPrev = null;
    for (const e of entries ?? []) {
      const parsed = parseEntry(e);
      const key = `${e.db} ${parsed.actor}`;
      const prev = this.lastByActor.get(key) ?? null;
      this.lastByActor.set(key, parsed.name);
      if (e.strategy) this.newestBySim.set(e.strategy, { entry: e, prev });
      if (followsEntry(this.strategy, e, this.config)) {
        newest = e;
        newestPrev = prev;
      }
    }
    if (!newest) return false;
    const before = this.current;
    this.current = this.locate(newest, newestPrev);
    return !before || before.entry.seq !== newest.seq || before.line !== this.current.line;
  }

  /** The caption: what runs now, in words (plain text). */
  caption() {
    const c = this.current;
    if (!this.matchesRun) {
      const s = this.strategy;
      if (s.claim && this.config?.queue) return `This run’s queue claims with “${claimName(this.config.queueClaim)}”: choose that program to follow it.`;
      return 'This run does not use this strategy: nothing of it runs.';
    }
    if (!c) return 'Waiting for this strategy’s next command…';
    const cmd = [c.name, ...c.argv.slice(1)].join(' ');
    const shown = cmd.length > 90 ? `${cmd.slice(0, 89)}…` : cmd;
    const where = c.line >= 0 ? `line ${c.line + 1}` : 'no line of this program';
    const note = c.rule?.note ? ` — ${c.rule.note}.` : '.';
    return `Running ${where}: ${c.actor} sent ${shown} → ${c.entry.reply}${note}`;
  }
}

function claimName(claim) {
  return CODE_STRATEGIES.find((s) => s.claim === claim)?.label ?? claim;
}
