//! "Start bare": the same operations, the same failures and the same downstream, under a
//! retry policy built up one layer at a time — no retries, retries, backoff, a cap,
//! jitter, a retry budget, a circuit breaker — so each layer's effect can be read side by
//! side: calls wasted, p99 completion time, peak load, operations given up.
//!
//! These runs use an ideal scheduler: every attempt is made exactly when it is due, with
//! no Redis in between (the strategies' own lateness and commands are what the main run
//! shows). That keeps seven runs of 10,000 operations quick enough to redo on a click.
//! `Track` decides every outcome, as it does for the strategies, so the numbers agree.

use super::config::{Backoff, Config, ConfigError, Jitter, ScheduleConfig, StrategyKind};
use super::guard::Guard;
use super::metrics::{auto_bucket_ms, SeriesBucket};
use super::schedule::{self, Failures, Schedule};
use super::track::Track;

/// One step of the build-up; each adds to the one before.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(
    target_arch = "wasm32",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub enum Layer {
    NoRetries,
    Retries,
    Backoff,
    Cap,
    Jitter,
    Budget,
    Breaker,
}

impl Layer {
    pub const ALL: [Layer; 7] = [
        Layer::NoRetries,
        Layer::Retries,
        Layer::Backoff,
        Layer::Cap,
        Layer::Jitter,
        Layer::Budget,
        Layer::Breaker,
    ];
}

/// What one layer's run measured.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    target_arch = "wasm32",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct LayerRow {
    pub layer: Layer,
    /// The schedule, budget and breaker of this layer (the page describes them).
    pub schedule: ScheduleConfig,
    pub budget: Option<super::config::RetryBudget>,
    pub breaker: Option<super::config::BreakerConfig>,
    pub calls: u64,
    pub wasted_calls: u64,
    pub peak_calls_per_s: u32,
    pub p99_completion_ms: i64,
    pub succeeded: u64,
    pub given_up: u64,
    pub overloaded: u64,
    pub breaker_rejected: u64,
    pub budget_denied: u64,
    /// The most calls in one second, per bucket of `bucket_ms` (the load over time).
    pub peak_load: Vec<u32>,
    pub bucket_ms: i64,
}

/// The exponential's numbers a build-up uses: `config`'s own if it is exponential; for a
/// list, its first interval, doubling, capped at its longest.
fn exponential_of(s: &ScheduleConfig) -> (u32, f64, u32) {
    if s.test_mode {
        return (super::config::TEST_MODE_DELAY_S, 2.0, 3_600);
    }
    match &s.backoff {
        Backoff::Exponential {
            base_s,
            factor,
            cap_s,
        } => (*base_s, *factor, *cap_s),
        Backoff::List { intervals_s } => {
            let base = intervals_s.first().copied().unwrap_or(1);
            let cap = intervals_s.iter().copied().max().unwrap_or(base);
            (base, 2.0, cap)
        }
    }
}

/// The seven configs of the build-up from `base` (its failures, downstream and seed; its
/// jitter, budget and breaker where it has them, else full jitter and the defaults).
pub fn layer_configs(base: &Config) -> Vec<(Layer, Config)> {
    let (b, factor, cap) = exponential_of(&base.schedule);
    let retries = if base.schedule.max_retries == 0 {
        6
    } else {
        base.schedule.max_retries
    };
    let jitter = match base.schedule.jitter {
        Jitter::None => Jitter::Full,
        j => j,
    };
    let mut c = base.clone();
    c.budget = None;
    c.breaker = None;
    c.schedule = ScheduleConfig {
        backoff: Backoff::List {
            intervals_s: vec![b],
        },
        jitter: Jitter::None,
        max_retries: 0,
        test_mode: false,
    };
    let mut out = Vec::new();
    for layer in Layer::ALL {
        match layer {
            Layer::NoRetries => {}
            Layer::Retries => c.schedule.max_retries = retries,
            Layer::Backoff => {
                c.schedule.backoff = Backoff::Exponential {
                    base_s: b,
                    factor,
                    cap_s: super::config::MAX_DELAY_S,
                }
            }
            Layer::Cap => {
                c.schedule.backoff = Backoff::Exponential {
                    base_s: b,
                    factor,
                    cap_s: cap,
                }
            }
            Layer::Jitter => c.schedule.jitter = jitter,
            Layer::Budget => c.budget = Some(base.budget.unwrap_or_default()),
            Layer::Breaker => c.breaker = Some(base.breaker.unwrap_or_default()),
        }
        out.push((layer, c.clone()));
    }
    out
}

/// Run `config` with every attempt made exactly when due; the track it leaves.
pub(crate) fn run_ideal(config: &Config) -> Result<(Track, i64), ConfigError> {
    let config = config.normalized()?;
    let sched = Schedule::new(config.schedule.clone(), config.seed);
    let failures = Failures::of(&config);
    let bucket_ms = if config.bucket_ms > 0 {
        config.bucket_ms
    } else {
        auto_bucket_ms(sched.horizon_ms(config.arrival_spread_ms))
    };
    let guard = Guard::new(config.capacity_per_s, config.budget, config.breaker, 0);
    let mut track = Track::new(
        StrategyKind::Queue,
        config.queue_db,
        config.operations,
        0,
        bucket_ms,
        &sched,
    )
    .with_guard(guard);
    let arrivals = schedule::arrivals(config.seed, config.operations, config.arrival_spread_ms);
    let mut next = 0;
    loop {
        let due = track.waiting.first().copied();
        let arrival = arrivals.get(next).copied();
        let arrival_first = match (arrival, due) {
            (None, None) => break,
            (Some((at, _)), Some((t, _))) => at <= t,
            (a, _) => a.is_some(),
        };
        if let (true, Some((at, op))) = (arrival_first, arrival) {
            next += 1;
            track.arrive(op, at, &sched, &failures);
        } else if let Some((t, op)) = due {
            track.attempt(op, t, &sched, &failures);
        }
    }
    Ok((track, bucket_ms))
}

/// The build-up from `base`, one row per layer.
pub fn compare(base: &Config) -> Result<Vec<LayerRow>, ConfigError> {
    let base = base.normalized()?;
    let mut layers = layer_configs(&base);
    // One bucket width for every row, so their load over time shares one time axis.
    if base.bucket_ms <= 0 {
        let horizon = layers
            .iter()
            .map(|(_, c)| Schedule::new(c.schedule.clone(), c.seed).horizon_ms(c.arrival_spread_ms))
            .max()
            .unwrap_or(0);
        let bucket_ms = auto_bucket_ms(horizon);
        for (_, c) in layers.iter_mut() {
            c.bucket_ms = bucket_ms;
        }
    }
    let mut rows = Vec::new();
    for (layer, config) in layers {
        let (track, bucket_ms) = run_ideal(&config)?;
        let m = track.metrics(0);
        rows.push(LayerRow {
            layer,
            schedule: config.schedule.clone(),
            budget: config.budget,
            breaker: config.breaker,
            calls: m.calls,
            wasted_calls: m.wasted_calls,
            peak_calls_per_s: m.peak_calls_per_s,
            p99_completion_ms: m.completion.p99_ms,
            succeeded: m.successes,
            given_up: m.given_up,
            overloaded: m.overloaded,
            breaker_rejected: m.breaker_rejected,
            budget_denied: m.budget_denied,
            peak_load: track
                .series
                .buckets
                .iter()
                .map(|b: &SeriesBucket| b.peak_calls_per_s)
                .collect(),
            bucket_ms,
        });
    }
    Ok(rows)
}
