//! The downstream's capacity, the retry budget and the circuit breaker in the retry
//! simulation, and the layer-by-layer build-up ("start bare"): the thundering herd shows
//! as load above the capacity line, jitter flattens it, a budget caps the extra load at a
//! price in given-up operations, an open breaker sends nothing.

mod common;

use common::retry::{run_to_end, start};
use redis_playground::retry::layers::{compare, Layer, LayerRow};
use redis_playground::retry::*;
use redis_playground::World;

/// The page's "Thundering herd" preset with a downstream of 50 calls a second.
fn herd(jitter: Jitter) -> Config {
    Config {
        operations: 500,
        arrival_spread_ms: 1_000,
        failure_probability: 0.3,
        outage: Some(Window {
            start_ms: 0,
            end_ms: 300_000,
        }),
        schedule: ScheduleConfig {
            backoff: Backoff::Exponential {
                base_s: 10,
                factor: 2.0,
                cap_s: 120,
            },
            jitter,
            max_retries: 10,
            test_mode: false,
        },
        capacity_per_s: 50,
        polling: false,
        events: false,
        bucket_ms: 1_000,
        ..Config::default()
    }
}

fn run(cfg: &Config) -> (World, Simulation) {
    let (mut w, mut sim) = start(cfg);
    run_to_end(&mut w, &mut sim);
    (w, sim)
}

fn queue_metrics(cfg: &Config) -> Metrics {
    let (_w, sim) = run(cfg);
    sim.metrics(StrategyKind::Queue).expect("the queue runs")
}

#[test]
fn a_herd_without_jitter_overloads_the_downstream_and_full_jitter_flattens_it() {
    let bare = queue_metrics(&herd(Jitter::None));
    let full = queue_metrics(&herd(Jitter::Full));
    // All 500 originals in one second, then every retry wave in the same second.
    assert_eq!(bare.peak_calls_per_s, 500);
    assert!(bare.overloaded > 1_000, "{}", bare.overloaded);
    // Jitter spreads the retries: after the originals' second, far fewer calls at once.
    assert!(
        full.overloaded * 4 < bare.overloaded,
        "{} vs {}",
        full.overloaded,
        bare.overloaded
    );
    assert!(full.wasted_calls < bare.wasted_calls);
    // Every call is counted: the originals, the retries that called, duplicates (none here).
    assert_eq!(bare.calls, 500 + bare.retries - bare.breaker_rejected);
    assert_eq!(bare.wasted_calls, bare.calls - bare.successes);
}

#[test]
fn overloaded_calls_fail_and_show_in_the_load_series_above_the_capacity() {
    let (_w, sim) = run(&herd(Jitter::None));
    let series = sim.series(StrategyKind::Queue);
    let over: Vec<&SeriesBucket> = series.iter().filter(|b| b.overloaded > 0).collect();
    assert!(!over.is_empty());
    for b in &over {
        assert!(b.peak_calls_per_s > 50, "{b:?}");
        assert_eq!(
            b.overloaded,
            b.peak_calls_per_s - 50,
            "one-second buckets: {b:?}"
        );
    }
    let marked = (1..=500)
        .flat_map(|op| sim.timeline(StrategyKind::Queue, op).unwrap().attempts)
        .filter(|a| a.outcome == Outcome::Overloaded)
        .count() as u64;
    let m = sim.metrics(StrategyKind::Queue).unwrap();
    // Originals past the capacity inside the outage are marked as the outage's.
    assert!(
        marked <= m.overloaded && marked > 0,
        "{marked} {}",
        m.overloaded
    );
}

#[test]
fn without_an_outage_or_a_limit_the_strategies_fail_the_same_attempts() {
    // An outage or the capacity depends on when an attempt lands, which is the strategy's
    // doing; the draws themselves are the same.
    let mut cfg = herd(Jitter::Full);
    cfg.capacity_per_s = 0;
    cfg.outage = None;
    cfg.polling = true;
    let (_w, sim) = run(&cfg);
    for op in 1..=500 {
        let outcomes = |k| -> Vec<(u32, Outcome)> {
            sim.timeline(k, op)
                .unwrap()
                .attempts
                .iter()
                .filter(|a| !a.duplicate)
                .map(|a| (a.retry, a.outcome))
                .collect()
        };
        assert_eq!(
            outcomes(StrategyKind::Polling),
            outcomes(StrategyKind::Queue),
            "op {op}"
        );
    }
}

#[test]
fn a_retry_budget_caps_the_extra_load_and_gives_up_what_it_denies() {
    let mut cfg = herd(Jitter::None);
    cfg.budget = Some(RetryBudget {
        percent: 10.0,
        min_per_s: 1.0,
    });
    let m = queue_metrics(&cfg);
    assert!(m.budget_denied > 0);
    assert_eq!(m.given_up + m.successes + m.lost, 500);
    // 10% of the 500 originals + 10 in their window, then a retry a second at most.
    let (_w, sim) = run(&cfg);
    let series = sim.series(StrategyKind::Queue);
    let after_originals = series.iter().skip(2);
    assert!(after_originals.map(|b| b.calls).max().unwrap_or(0) <= 60);
    let denied = (1..=500)
        .filter(|&op| {
            let tl = sim.timeline(StrategyKind::Queue, op).unwrap();
            tl.attempts.last().map(|a| a.outcome) == Some(Outcome::Denied)
        })
        .count() as u64;
    assert_eq!(denied, m.budget_denied);
    assert!(denied > 0);
}

#[test]
fn an_open_breaker_sends_nothing_and_probes_when_half_open() {
    let mut cfg = herd(Jitter::Full);
    cfg.breaker = Some(BreakerConfig {
        failures: 20,
        open_ms: 30_000,
    });
    let (_w, sim) = run(&cfg);
    let m = sim.metrics(StrategyKind::Queue).unwrap();
    assert!(m.breaker_opened >= 2, "{}", m.breaker_opened);
    assert!(m.breaker_rejected > 0);
    let marks = sim.breaker(StrategyKind::Queue).expect("a breaker");
    assert_eq!(marks[0].state, BreakerState::Closed);
    // Open is always followed by half-open open_ms later, half-open by open or closed.
    for w in marks.windows(2) {
        match w[0].state {
            BreakerState::Open => {
                assert_eq!(w[1].state, BreakerState::HalfOpen);
                assert_eq!(w[1].at_ms - w[0].at_ms, 30_000);
            }
            BreakerState::HalfOpen => assert_ne!(w[1].state, BreakerState::HalfOpen),
            BreakerState::Closed => assert_eq!(w[1].state, BreakerState::Open),
        }
    }
    // No call reaches the downstream while it is open.
    let series = sim.series(StrategyKind::Queue);
    for w in marks
        .windows(2)
        .filter(|w| w[0].state == BreakerState::Open)
    {
        let calls: u32 = series
            .iter()
            .filter(|b| b.start_ms > w[0].at_ms && b.start_ms + 1_000 <= w[1].at_ms)
            .map(|b| b.calls)
            .sum();
        assert_eq!(calls, 0, "open from {} to {}", w[0].at_ms, w[1].at_ms);
    }
    // The breaker failed attempts fast: the outage's calls are far fewer than without it.
    let without = queue_metrics(&herd(Jitter::Full));
    assert!(m.calls < without.calls);
}

fn row(rows: &[LayerRow], layer: Layer) -> &LayerRow {
    rows.iter().find(|r| r.layer == layer).unwrap()
}

#[test]
fn the_build_up_adds_one_layer_at_a_time_and_each_changes_what_it_should() {
    let rows = compare(&herd(Jitter::None)).unwrap();
    assert_eq!(rows.iter().map(|r| r.layer).collect::<Vec<_>>(), Layer::ALL);
    let bare = row(&rows, Layer::NoRetries);
    assert_eq!((bare.calls, bare.given_up, bare.succeeded), (500, 500, 0));
    let retries = row(&rows, Layer::Retries);
    let backoff = row(&rows, Layer::Backoff);
    let cap = row(&rows, Layer::Cap);
    let jitter = row(&rows, Layer::Jitter);
    let budget = row(&rows, Layer::Budget);
    let breaker = row(&rows, Layer::Breaker);
    // Ten retries 10 s apart all land inside a 5 min outage: everything is given up.
    assert_eq!(retries.succeeded, 0);
    assert_eq!(retries.calls, 500 * 11);
    // Backoff reaches past the outage; uncapped it waits longer than capped.
    assert!(backoff.succeeded > 0);
    assert!(backoff.p99_completion_ms > cap.p99_completion_ms);
    // Without jitter every wave hits at once; full jitter lowers the peak after the originals.
    let peak_after_first = |r: &LayerRow| r.peak_load.iter().skip(2).copied().max().unwrap_or(0);
    assert!(peak_after_first(jitter) * 3 < peak_after_first(cap));
    assert!(jitter.overloaded < cap.overloaded);
    // The budget trades given-up operations for load.
    assert!(budget.budget_denied > 0);
    assert!(budget.calls < jitter.calls);
    assert!(budget.given_up > jitter.given_up);
    // The breaker fails attempts fast during the outage: fewer calls still.
    assert!(breaker.breaker_rejected > 0);
    assert!(breaker.calls <= budget.calls);
    // The policies are the layers' own.
    assert_eq!(cap.schedule.jitter, Jitter::None);
    assert_eq!(jitter.schedule.jitter, Jitter::Full);
    assert!(budget.breaker.is_none() && breaker.breaker.is_some());
}

#[test]
fn the_build_up_is_the_same_every_time_and_takes_untrusted_configs() {
    let cfg = herd(Jitter::Equal);
    assert_eq!(compare(&cfg).unwrap(), compare(&cfg).unwrap());
    let mut bad = cfg.clone();
    bad.failure_probability = f64::NAN;
    assert!(compare(&bad).is_err());
    let mut wild = cfg;
    wild.capacity_per_s = u32::MAX;
    wild.budget = Some(RetryBudget {
        percent: -5.0,
        min_per_s: 1e300,
    });
    wild.breaker = Some(BreakerConfig {
        failures: 0,
        open_ms: i64::MIN,
    });
    assert_eq!(compare(&wild).unwrap().len(), 7);
}

/// The page's guided experiments (www/js/retry/experiments.js) hold in the model: the
/// same configs, the same comparisons.
fn experiment(jitter: Jitter) -> Config {
    let mut c = herd(jitter);
    c.queue_claim = QueueClaim::Lua;
    c
}

#[test]
fn experiment_brew_a_retry_storm() {
    let none = queue_metrics(&experiment(Jitter::None));
    let full = queue_metrics(&experiment(Jitter::Full));
    assert!(none.peak_calls_per_s >= 250 && none.overloaded > 0);
    let (_w, sim) = run(&experiment(Jitter::None));
    let after_outage = sim
        .series(StrategyKind::Queue)
        .iter()
        .filter(|b| b.start_ms >= 300_000)
        .map(|b| b.overloaded)
        .sum::<u32>();
    assert!(after_outage > 0, "the storm outlives the outage");
    assert!(full.overloaded * 4 < none.overloaded);
    eprintln!(
        "storm: none {} overloaded, full {}",
        none.overloaded, full.overloaded
    );
}

fn long_outage(jitter: Jitter) -> Config {
    Config {
        operations: 500,
        arrival_spread_ms: 1_000,
        failure_probability: 0.3,
        outage: Some(Window {
            start_ms: 0,
            end_ms: 1_200_000,
        }),
        schedule: ScheduleConfig {
            backoff: Backoff::Exponential {
                base_s: 30,
                factor: 2.0,
                cap_s: 600,
            },
            jitter,
            max_retries: 6,
            test_mode: false,
        },
        polling: false,
        events: false,
        queue_claim: QueueClaim::Lua,
        ..Config::default()
    }
}

#[test]
fn experiment_full_jitter_gives_up_more_during_an_outage() {
    let none = queue_metrics(&long_outage(Jitter::None));
    let equal = queue_metrics(&long_outage(Jitter::Equal));
    let full = queue_metrics(&long_outage(Jitter::Full));
    eprintln!(
        "given up: none {}, equal {}, full {}",
        none.given_up, equal.given_up, full.given_up
    );
    // Full jitter's delays average half the schedule's: more retries land in the outage.
    assert!(
        full.given_up > none.given_up * 3,
        "{} {}",
        full.given_up,
        none.given_up
    );
    assert!(full.given_up > equal.given_up && equal.given_up > none.given_up);
}

#[test]
fn experiment_what_a_budget_costs() {
    let free = queue_metrics(&experiment(Jitter::Full));
    let mut cfg = experiment(Jitter::Full);
    cfg.budget = Some(RetryBudget {
        percent: 10.0,
        min_per_s: 1.0,
    });
    let budget = queue_metrics(&cfg);
    eprintln!(
        "budget: calls {} -> {}, given up {} -> {}",
        free.calls, budget.calls, free.given_up, budget.given_up
    );
    assert!(budget.calls * 2 < free.calls);
    assert!(budget.given_up > free.given_up);
}
