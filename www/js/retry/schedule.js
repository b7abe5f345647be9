// What the page needs to know about a config before and while it runs, without the engine:
// how long a run can last (for axes and the suggested speed), the delays in words, the
// chart's bucket width, and the presets.
import { fmtSpan } from './util.js';

export const SEED_INTERVALS_S = [300, 600, 900, 7200, 14400, 21600];
export const TEST_MODE_DELAY_S = 60;
export const SPEED_PRESETS = [1, 10, 60, 600, 3600];

/** The delay before retry k (1-based), before jitter, in seconds. */
export function baseDelayS(schedule, k) {
  if (schedule.testMode) return TEST_MODE_DELAY_S;
  const b = schedule.backoff;
  if (b.kind === 'list') return b.intervalsS[Math.min(k - 1, b.intervalsS.length - 1)] ?? 1;
  return Math.min(b.capS, b.baseS * b.factor ** (k - 1));
}

/** The longest an operation can wait in total, in ms (decorrelated jitter: the cap each time). */
export function longestWaitMs(schedule) {
  let cap = 0;
  if (schedule.testMode) cap = TEST_MODE_DELAY_S;
  else if (schedule.backoff.kind === 'list') cap = Math.max(...schedule.backoff.intervalsS);
  else cap = schedule.backoff.capS;
  let total = 0;
  for (let k = 1; k <= schedule.maxRetries; k++) {
    total += schedule.jitter === 'decorrelated' ? cap : baseDelayS(schedule, k);
  }
  return total * 1000;
}

/** How long a run can last, in world ms (the last failure, then every wait). */
export function horizonMs(config) {
  let longest = longestWaitMs(config.schedule);
  // The consumer group waits its min-idle (0: the first delay) before every retry.
  if (config.stream && config.streamMinIdleMs > 0) longest = Math.max(longest, config.streamMinIdleMs * (config.schedule.maxRetries ?? 0));
  return (config.arrivalSpreadMs ?? 60_000) + longest;
}

/** `5 min → 10 min → 15 min → 2 h → 4 h → 6 h` (the first few, then "…"). */
export function describeDelays(schedule, max = 8) {
  const n = Math.min(schedule.maxRetries, max);
  const parts = [];
  for (let k = 1; k <= n; k++) parts.push(fmtSpan(baseDelayS(schedule, k) * 1000));
  if (schedule.maxRetries > max) parts.push('…');
  if (parts.length === 0) return 'no retries';
  return parts.join(' → ');
}

/**
 * The world clock speed, among the header's presets, that plays the whole run in closest to
 * a minute of real time.
 */
export function suggestedSpeed(config) {
  const seconds = horizonMs(config) / 1000;
  let best = 1;
  let bestScore = Infinity;
  for (const s of SPEED_PRESETS) {
    const score = Math.abs(Math.log(seconds / s / 60));
    if (score < bestScore) {
      best = s;
      bestScore = score;
    }
  }
  return best;
}

const NICE_BUCKETS = [1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000];

/** A chart bucket width giving at most ~600 bars over the run (at least 1 s). */
export function autoBucketMs(config) {
  const want = horizonMs(config) / 600;
  return NICE_BUCKETS.find((b) => b >= want) ?? 3_600_000;
}

/** The presets: a label, a short description, and the form's values they set. */
export const PRESETS = [
  {
    id: 'seed',
    label: 'The seed’s schedule',
    description: '100 failed orders retried after 5 min, 10 min, 15 min, 2 h, 4 h and 6 h, half of the attempts failing.',
    values: {},
  },
  {
    id: 'test-mode',
    label: 'Seed’s test mode (60 s)',
    description: 'The seed’s shortcut: every interval becomes 60 s, to watch a whole run in seconds.',
    values: { testMode: true },
  },
  {
    id: 'herd',
    label: 'Thundering herd (outage, no jitter)',
    description: '500 orders fail within one second when the downstream goes down for 5 min; without jitter they all come back at the same instant, again and again.',
    values: {
      operations: 500, arrivalSpread: '1s', failurePercent: 30, outage: true, outageStart: '0s', outageEnd: '5m',
      backoff: 'exponential', baseS: '10s', factor: 2, capS: '2m', jitter: 'none', maxRetries: 10, bucket: '1s',
    },
  },
  {
    id: 'jitter',
    label: 'Same outage, full jitter',
    description: 'The same outage with full jitter: each retry waits a random time up to its delay, so the herd spreads out.',
    values: {
      operations: 500, arrivalSpread: '1s', failurePercent: 30, outage: true, outageStart: '0s', outageEnd: '5m',
      backoff: 'exponential', baseS: '10s', factor: 2, capS: '2m', jitter: 'full', maxRetries: 10, bucket: '1s',
    },
  },
  // What three job systems retry with by default, in this model's terms. Sources:
  // - Sidekiq: its wiki, Error Handling → Automatic job retry ("(retry_count ** 4) + 15 +
  //   (rand(10) * (retry_count + 1))", 25 retries over about 20 days, then the Dead set), and
  //   lib/sidekiq/job_retry.rb (count is 0 at the first failure; delay = count**4 + 15, then
  //   `jitter = rand(10) * (count + 1)` is added; older versions used rand(30)).
  // - BullMQ: docs.bullmq.io/guide/retrying-failing-jobs and classes/backoffs.ts
  //   (`Math.round(Math.pow(2, attemptsMade - 1) * delay)`: delay, 2×, 4×…, no cap; jitter 0
  //   unless given; `attempts` counts the first try).
  // - Temporal: docs.temporal.io/encyclopedia/retry-policies and the SDKs' RetryPolicy
  //   (initial interval 1 s, backoff coefficient 2.0, maximum interval 100 × the initial one,
  //   maximum attempts 0 = unlimited).
  {
    id: 'sidekiq',
    label: 'Sidekiq’s default',
    description: 'Sidekiq’s default: 25 retries, retry n after (n−1)⁴ + 15 s — 15 s, 16 s, 31 s, 96 s, 4.5 min … 3.8 days, about 20 days in all. '
      + 'Not modelled: Sidekiq adds rand(10) × n seconds to each (up to 9 s on the first retry, 225 s on the 25th); this preset has no jitter.',
    values: {
      backoff: 'list', intervals: Array.from({ length: 25 }, (_, c) => c ** 4 + 15).join(', '), jitter: 'none', maxRetries: 25,
    },
  },
  {
    id: 'bullmq',
    label: 'BullMQ exponential',
    description: 'BullMQ with backoff {type: \'exponential\', delay: 1000} and attempts: 10: 9 retries after 1 s, 2 s, 4 s … 256 s (2^(attemptsMade−1) × delay). '
      + 'BullMQ has no cap; the 1 h cap here is never reached.',
    values: { backoff: 'exponential', baseS: '1s', factor: 2, capS: '1h', jitter: 'none', maxRetries: 9 },
  },
  {
    id: 'temporal',
    label: 'Temporal’s default',
    description: 'Temporal’s default RetryPolicy: 1 s, then ×2 each time up to 100 s (1, 2, 4 … 64, 100, 100 … s). '
      + 'Temporal retries without limit (until the activity’s timeouts); the model stops after 50 retries, about 1 h 14 min of waiting.',
    values: { backoff: 'exponential', baseS: '1s', factor: 2, capS: '100s', jitter: 'none', maxRetries: 50 },
  },
  {
    id: 'big',
    label: '10,000 operations',
    description: '10,000 orders in the seed’s test mode (every wait 60 s) with equal jitter, an outage, and the listeners away for 20 s: the expired events lag behind, and some are lost.',
    values: {
      operations: 10000, arrivalSpread: '5m', testMode: true, jitter: 'equal', outage: true, outageStart: '1m', outageEnd: '4m',
      listenerOutage: true, listenerOutageStart: '6m40s', listenerOutageEnd: '7m',
    },
  },
];
