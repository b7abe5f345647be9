// The retry simulation page's state, without DOM: the run being shown (its strategies, dbs,
// horizon), the speed Start picks, whether a step jumps the clock, the chart's time window,
// the status line, and how often the log and the status are redrawn. retry.js draws it; the
// node tests drive it directly.
import { fmtSpan, STRATEGIES } from './util.js';
import { horizonMs, suggestedSpeed, autoBucketMs } from './schedule.js';

const LOG_EVERY_MS = 100; // the command log redraws at most this often (wall ms)
const STATUS_EVERY_MS = 250; // the status line, and the idle check
const STEP_WORK_MAX = 300_000; // a simStep sending more idle TTLs than this jumps the clock instead

export class RetryRun {
  constructor() {
    this.run = null; // { config, startMs, strategies, bucketMs, horizon, dbs }
    this.autoSpeed = null; // the speed Start set, if it set one
    this.lastLog = -Infinity;
    this.lastStatus = -Infinity;
    this.wasFinished = false;
  }

  /** A run started (or restarted) as `state` (engine.simState()) describes it. */
  setup(state) {
    const config = state.config;
    this.run = {
      config,
      startMs: state.startMs,
      strategies: STRATEGIES.filter((s) => config[s]),
      bucketMs: state.bucketMs,
      horizon: horizonMs(config),
      dbs: { polling: config.pollingDb, events: config.eventsDb, queue: config.queueDb, stream: config.streamDb },
    };
    this.lastLog = -Infinity;
    this.wasFinished = false;
    return this.run;
  }

  clear() {
    this.run = null;
  }

  /** Whether `state` is a run other than the one shown (a new Start, or none shown yet). */
  isNew(state) {
    return !this.run || this.run.startMs !== state.startMs;
  }

  /**
   * What Start does with the controls' reading (`config`, `idlePolls`, `speedChoice`) at the
   * clock's `current` speed: `{ speed, countOnlyIdlePolls }`. A speed the learner picked (not
   * real time, not the one Start chose before) is kept; otherwise the schedule's suggestion.
   * Fills in the chart's bucket when it is automatic.
   */
  plan({ config, idlePolls, speedChoice }, { current, maxSendingSpeed }) {
    if (config.bucketMs === 0) config.bucketMs = autoBucketMs(config);
    const picked = current !== 1 && current !== this.autoSpeed;
    const suggested = suggestedSpeed(config);
    const speed = speedChoice === 'suggest' && !picked ? suggested : current;
    const countOnlyIdlePolls = idlePolls === 'count'
      || (idlePolls === 'auto' && (config.operations > 1000 || speed >= 600 || speed > maxSendingSpeed));
    return { speed, suggested, countOnlyIdlePolls };
  }

  /** After Start: the note beside the speed, and the speed remembered as Start's own. */
  started({ speed, suggested }, current) {
    if (speed !== current) this.autoSpeed = speed;
    const { horizon } = this.run;
    const real = horizon / speed;
    return speed !== current
      ? `Start set the world clock (in the page header) to ${speed}× for this schedule: the run, up to ${fmtSpan(horizon)} of world time, plays in about ${fmtSpan(real)}. Change the speed there at any time; its pause button pauses the simulation too.`
      : `The world clock stays at your speed, ${current}×: the run, up to ${fmtSpan(horizon)} of world time, takes about ${fmtSpan(real)}${current < suggested ? ` (${suggested}× would take ${fmtSpan(horizon / suggested)})` : ''}. The header’s clock sets the speed.`;
  }

  /** Work a simStep could need: every idle TTL sent until the next retry due at `due`. */
  static stepCost(state, due) {
    const cfg = state.config;
    if (!cfg.polling || cfg.countOnlyIdlePolls) return 0;
    const waiting = state.metrics.find((m) => m.strategy === 'polling')?.waiting ?? 0;
    return waiting * cfg.pollers * Math.max(0, due - state.nowMs) / cfg.pollIntervalMs;
  }

  /**
   * How Step reaches the next retry due at `due`: 'step' (engine.simStep) or 'jump' (too much
   * to do at once: move the clock to it and let the frames catch up).
   */
  static stepPlan(state, due) {
    return due !== undefined && RetryRun.stepCost(state, due) > STEP_WORK_MAX ? 'jump' : 'step';
  }

  /** The end of the last bucket with a retry, in ms since the start. */
  lastActivityRel(series) {
    let end = 0;
    for (const s of this.run.strategies) {
      const list = series[s] ?? [];
      for (let i = list.length - 1; i >= 0; i--) {
        if (list[i].retries > 0) {
          end = Math.max(end, (i + 1) * this.run.bucketMs);
          break;
        }
      }
    }
    return end;
  }

  /**
   * The chart's and timeline's window `{ x0, x1 }` (ms since the start): the whole run, or a
   * span that follows "now" (`spanValue` 'all' or ms).
   */
  view(spanValue, nowRel, finished, series) {
    const { horizon, bucketMs } = this.run;
    const full = Math.max(horizon * 1.03, this.lastActivityRel(series) + bucketMs);
    if (spanValue === 'all') return { x0: 0, x1: finished ? full : Math.max(full, nowRel * 1.03) };
    const span = Number(spanValue);
    const focus = finished ? Math.min(nowRel, this.lastActivityRel(series)) : nowRel;
    const x1 = Math.max(span, focus + span * 0.2);
    return { x0: x1 - span, x1 };
  }

  /** What the run's figures are now, to tell the views whether anything moved. */
  static dataKey(metrics) {
    return metrics.map((m) => `${m.retries},${m.notArrived},${m.lost},${m.givenUp}`).join('|');
  }

  /**
   * The status line: finished (after how long), or running/paused with how many wait, and
   * how far behind the world clock the simulation is (`behindMs`, null when it keeps up).
   */
  status(state, { nowRel, paused, behindMs = null, series = {} }) {
    if (state.finished) {
      return `Finished: ${fmtSpan(this.lastActivityRel(series))} of world time; every operation succeeded, was given up, or was lost.`;
    }
    const waiting = Math.max(...state.metrics.map((m) => m.waiting));
    const notYet = Math.max(...state.metrics.map((m) => m.notArrived));
    let text = `${paused ? 'Paused at' : 'Running:'} ${fmtSpan(nowRel)} of world time since the start; ${waiting} waiting for a retry${notYet ? `, ${notYet} not failed yet` : ''}.`;
    if (behindMs !== null) text += ` Catching up with the world clock (${fmtSpan(behindMs)} behind).`;
    return text;
  }

  /** Nothing runs: look (and say so) a few times a second only. */
  idleDue(wall) {
    return wall - this.lastStatus >= STATUS_EVERY_MS;
  }

  /** Whether the log and the status line are due at wall time `wall` (each is then counted as drawn). */
  due(wall, finished) {
    const log = wall - this.lastLog >= LOG_EVERY_MS;
    if (log) this.lastLog = wall;
    const status = wall - this.lastStatus >= STATUS_EVERY_MS || finished !== this.wasFinished;
    if (status) this.lastStatus = wall;
    return { log, status };
  }

  /** True once, on the frame the run finishes (to announce it). */
  finishedNow(finished) {
    const now = finished && !this.wasFinished;
    this.wasFinished = finished;
    return now;
  }
}
