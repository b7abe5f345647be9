// Guided experiments for the retry simulation: a question, the runs that answer it (form
// values, as the presets set them), what the learner should see, and a check of each run's
// numbers — pure data and functions, no DOM, tested in node (tests/node/retry-experiments)
// and held against the model natively (tests/retry_load.rs, experiment_*).
//
// A run's result is `{ metrics, series }` of the strategy the experiment watches (the
// delayed queue, claimed with one Lua script): simState().metrics' entry and simSeries().

const STORM = {
  polling: false, events: false, queue: true, stream: false, queueClaim: 'lua',
  operations: 500, arrivalSpread: '1s', failurePercent: 30,
  outage: true, outageStart: '0s', outageEnd: '5m',
  backoff: 'exponential', baseS: '10s', factor: 2, capS: '2m', maxRetries: 10, bucket: '1s',
  capacity: 50,
};

const LONG_OUTAGE = {
  polling: false, events: false, queue: true, stream: false, queueClaim: 'lua',
  operations: 500, arrivalSpread: '1s', failurePercent: 30,
  outage: true, outageStart: '0s', outageEnd: '20m',
  backoff: 'exponential', baseS: '30s', factor: 2, capS: '10m', maxRetries: 6, bucket: 'auto',
};

const int = (n) => Math.round(n).toLocaleString('en-US');

export const EXPERIMENTS = [
  {
    id: 'storm',
    title: 'Brew a retry storm',
    question: 'A downstream that answers 50 calls a second goes down for 5 minutes just as 500 orders fail. They retry with exponential backoff (10 s, doubling, capped at 2 min) but no jitter. What does the load look like — and does the trouble end with the outage?',
    runs: [
      { label: 'Backoff, no jitter', values: { ...STORM, jitter: 'none' } },
      { label: 'The same with full jitter', values: { ...STORM, jitter: 'full' } },
    ],
    expect: 'Without jitter every order retries in the same second, wave after wave: the load chart (Show: load) has spikes of hundreds of calls a second far over the dashed capacity line, and calls still fail as overloaded after the outage is over — the retries themselves keep it down. Full jitter spreads each wave over its whole delay: the spikes shrink to near the line and overloaded calls fall several times over.',
    check([bare, jittered]) {
      const after = (bare.series ?? []).filter((b) => b.startMs >= 300_000).reduce((n, b) => n + b.overloaded, 0);
      return [
        [`No jitter: peak ${int(bare.metrics.peakCallsPerS)} calls a second, at least 5× the capacity of 50`, bare.metrics.peakCallsPerS >= 250],
        [`No jitter: ${int(after)} calls overloaded after the outage ended`, after > 0],
        [`Full jitter: ${int(jittered.metrics.overloaded)} overloaded calls, under a quarter of ${int(bare.metrics.overloaded)}`, jittered.metrics.overloaded * 4 < bare.metrics.overloaded],
      ];
    },
  },
  {
    id: 'full-jitter-outage',
    title: 'Why full jitter gives up more during an outage',
    question: 'The downstream is down for 20 minutes. Six retries, 30 s doubling to a 10 min cap, add up to more than 20 minutes — without jitter. How many orders are given up with no jitter, and with full jitter?',
    runs: [
      { label: 'No jitter', values: { ...LONG_OUTAGE, jitter: 'none' } },
      { label: 'Full jitter', values: { ...LONG_OUTAGE, jitter: 'full' } },
    ],
    expect: 'Full jitter waits a random time between 0 and each delay — on average half of it — so an order’s six retries span about half the time and most of them land inside the outage: several times more orders are given up. Jitter trades how long retries last for how evenly they arrive; equal jitter (half the delay plus a random half) keeps more of the span.',
    check([none, full]) {
      return [
        [`No jitter: ${int(none.metrics.givenUp)} given up`, true],
        [`Full jitter: ${int(full.metrics.givenUp)} given up, more than 3× as many`, full.metrics.givenUp > none.metrics.givenUp * 3],
      ];
    },
  },
  {
    id: 'budget',
    title: 'What a budget costs',
    question: 'Back to the storm, now with full jitter. Add a retry budget: retries may add at most 10% to the original calls of the last 10 s, plus one a second. What does the downstream save, and what do the orders pay?',
    runs: [
      { label: 'Full jitter, no budget', values: { ...STORM, jitter: 'full' } },
      { label: 'With a 10% budget', values: { ...STORM, jitter: 'full', budget: true, budgetPercent: 10, budgetMinPerS: 1 } },
    ],
    expect: 'The budget holds retries to about one a second once the originals’ burst is over: less than half the calls reach the downstream, and the load stays low through the outage. The price is paid by the orders: every retry the budget refuses gives its order up, so far more are given up. A budget protects the downstream, not the work.',
    check([free, budget]) {
      return [
        [`Calls: ${int(budget.metrics.calls)} with the budget, under half of ${int(free.metrics.calls)}`, budget.metrics.calls * 2 < free.metrics.calls],
        [`Given up: ${int(budget.metrics.givenUp)} with the budget, more than ${int(free.metrics.givenUp)}`, budget.metrics.givenUp > free.metrics.givenUp],
        [`Retries refused by the budget: ${int(budget.metrics.budgetDenied)}`, budget.metrics.budgetDenied > 0],
      ];
    },
  },
];

/** The strategy every experiment's numbers come from. */
export const WATCHED = 'queue';

/**
 * Where an experiment stands, from the results recorded so far (one per run, in order; a
 * missing one is not run yet): `{ next, done, checks: [[text, ok]] | null, passed }`.
 */
export function progress(exp, results) {
  const next = exp.runs.findIndex((_, i) => !results[i]);
  if (next !== -1) return { next, done: false, checks: null, passed: false };
  const checks = exp.check(results);
  return { next: -1, done: true, checks, passed: checks.every(([, ok]) => ok) };
}
