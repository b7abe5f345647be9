// Running a shared link's lines within bounds. A link is data from anybody: its lines passed
// validate.js (known commands, no blocking, small counts), but a valid line can still build
// without bound (`100 SORT l BY nosort GET # GET # STORE l` doubles a list a hundred times).
// So while a link runs:
//   - memory: the engine may hold at most `budget.memoryBytes` more than when the link
//     started (engine.setMemoryLimit); past it, writes that grow the data get Redis's own OOM
//     error, in the console like any other reply, and the usual ceiling comes back after;
//   - time: past `budget.timeMs` of running, the remaining lines are not run;
//   - the page: every `budget.sliceMs` the runner gives the page a turn (to paint, to take a
//     click on Stop), and `signal.aborted` stops it between lines;
//   - scripts: a script (EVAL, FCALL) still running after its line — past its first slice
//     of work — is stopped (engine.stopScript, SCRIPT KILL's error in the console) and so
//     is the link: a link can't leave a runaway script behind.
//
//   const r = await runLines({ lines, run, engine });
//   r → { ran, total, refusedForMemory, stopped: null | 'time' | 'stopped' | 'script' }
//
// `run(line)` runs one line as if typed and returns its printed answer. `now` and `pause`
// are injectable: the node tests drive a fake clock, never the wall clock. No DOM here.
import { pauseForPage } from '../scheduler.js';

export const LINK_BUDGET = Object.freeze({ memoryBytes: 64 * 1024 * 1024, timeMs: 10_000, sliceMs: 50 });

/** Redis's answer to a write refused for memory (as the console prints it). */
export const OOM_TEXT = "OOM command not allowed when used memory > 'maxmemory'.";

export async function runLines({
  lines,
  run,
  engine,
  budget = LINK_BUDGET,
  now = () => performance.now(),
  pause = pauseForPage,
  signal = null,
  onProgress = null,
}) {
  const result = { ran: 0, total: lines.length, refusedForMemory: 0, stopped: null };
  const limited = typeof engine?.setMemoryLimit === 'function' && typeof engine?.memoryUsed === 'function';
  if (limited) engine.setMemoryLimit(engine.memoryUsed() + budget.memoryBytes);
  const start = now();
  let sliceStart = start;
  try {
    for (const line of lines) {
      if (signal?.aborted) {
        result.stopped = 'stopped';
        break;
      }
      if (now() - start > budget.timeMs) {
        result.stopped = 'time';
        break;
      }
      const out = run(line);
      result.ran += 1;
      if (engine?.runningScript?.()) {
        engine.stopScript();
        result.stopped = 'script';
        break;
      }
      if (typeof out === 'string' && out.includes(OOM_TEXT)) result.refusedForMemory += 1;
      if (now() - sliceStart > budget.sliceMs && result.ran < lines.length) {
        onProgress?.(result);
        await pause();
        sliceStart = now();
      }
    }
  } finally {
    if (limited) engine.setMemoryLimit(null);
  }
  return result;
}
