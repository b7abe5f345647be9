//! The retry simulation's stream consumer group (src/retry/stream.rs): its exact commands
//! for a small run, Redis's delivery counts against the retries, the min-idle-time as the
//! only delay, dead-lettering, the same failures as the delayed queue, orders lost when a
//! console deletes the stream, and determinism whatever the step size.

mod common;

use common::retry::{cmd, run_to_end, start, T0};
use redis_playground::retry::*;
use redis_playground::Reply;

fn only_stream(cfg: Config) -> Config {
    Config {
        polling: false,
        events: false,
        queue: false,
        stream: true,
        ..cfg
    }
}

/// The log without the reclaimer's empty rounds: `ms-since-start db who command -> reply`.
fn busy_lines(sim: &Simulation) -> Vec<String> {
    sim.log_since(0)
        .filter(|e| e.strategy == Some(StrategyKind::Stream))
        .map(|e| {
            format!(
                "{} {} {} {} -> {}",
                e.at_ms - T0,
                e.db,
                e.actor,
                e.argv_text().join(" "),
                e.reply_text()
            )
        })
        .filter(|l| !l.ends_with("-> [\"0-0\", [], []]"))
        .collect()
}

#[test]
fn a_small_run_sends_exactly_these_commands() {
    let cfg = only_stream(Config {
        seed: 6,
        operations: 2,
        arrival_spread_ms: 3_000,
        failure_probability: 0.5,
        schedule: ScheduleConfig {
            test_mode: true,
            max_retries: 2,
            ..ScheduleConfig::default()
        },
        queue_workers: 2,
        stream_reclaim_ms: 15_000,
        ..Config::default()
    });
    let (mut w, mut sim) = start(&cfg);
    sim.advance_to(w.server_mut(), T0 + 600_000);
    assert!(sim.is_finished());
    let setup: Vec<String> = sim
        .log_since(0)
        .filter(|e| e.strategy.is_none())
        .map(|e| e.argv_text().join(" "))
        .collect();
    assert_eq!(
        setup,
        [
            "SELECT 13",
            "FLUSHDB",
            "SELECT 13",
            "XGROUP CREATE orders workers $ MKSTREAM"
        ]
    );
    let got = busy_lines(&sim);
    let want = [
        // (the db a line shows is the one its connection had when it sent it)
        "0 0 app SELECT 13 -> OK",
        "0 0 worker-1 SELECT 13 -> OK",
        "0 0 worker-2 SELECT 13 -> OK",
        "0 0 reclaimer SELECT 13 -> OK",
        "752 13 app XADD orders * order order:1 -> \"1700000000752-0\"",
        "752 13 worker-1 XREADGROUP GROUP workers worker-1 COUNT 1 STREAMS orders > -> [[\"orders\", [[\"1700000000752-0\", [\"order\", \"order:1\"]]]]]",
        "2959 13 app XADD orders * order order:2 -> \"1700000002959-0\"",
        "2959 13 worker-2 XREADGROUP GROUP workers worker-2 COUNT 1 STREAMS orders > -> [[\"orders\", [[\"1700000002959-0\", [\"order\", \"order:2\"]]]]]",
        // Idle 60 s at 75 s: both claimed; order:1 fails, order:2 succeeds.
        "75000 13 reclaimer XAUTOCLAIM orders workers reclaimer 60000 0-0 COUNT 100 -> [\"0-0\", [[\"1700000000752-0\", [\"order\", \"order:1\"]], [\"1700000002959-0\", [\"order\", \"order:2\"]]], []]",
        "75000 13 reclaimer XPENDING orders workers 1700000000752-0 1700000002959-0 2 reclaimer -> [[\"1700000000752-0\", \"reclaimer\", (integer) 0, (integer) 2], [\"1700000002959-0\", \"reclaimer\", (integer) 0, (integer) 2]]",
        "75000 13 reclaimer XACK orders workers 1700000002959-0 -> (integer) 1",
        "75000 13 reclaimer XDEL orders 1700000002959-0 -> (integer) 1",
        // 60 s after its claim: the last retry fails, dead-lettered after 3 deliveries.
        "135000 13 reclaimer XAUTOCLAIM orders workers reclaimer 60000 0-0 COUNT 100 -> [\"0-0\", [[\"1700000000752-0\", [\"order\", \"order:1\"]]], []]",
        "135000 13 reclaimer XPENDING orders workers 1700000000752-0 1700000000752-0 1 reclaimer -> [[\"1700000000752-0\", \"reclaimer\", (integer) 0, (integer) 3]]",
        "135000 13 reclaimer XADD orders:dead * order order:1 deliveries 3 -> \"1700000135000-0\"",
        "135000 13 reclaimer XDEL orders 1700000000752-0 -> (integer) 1",
        "135000 13 reclaimer XACK orders workers 1700000000752-0 -> (integer) 1",
    ];
    assert_eq!(got, want);
    let m = sim.metrics(StrategyKind::Stream).unwrap();
    assert_eq!((m.successes, m.given_up, m.retries), (1, 1, 3));
}

#[test]
fn redis_delivery_counts_are_the_retries_plus_one() {
    let cfg = only_stream(Config {
        operations: 200,
        failure_probability: 0.7,
        schedule: ScheduleConfig {
            test_mode: true,
            max_retries: 5,
            ..ScheduleConfig::default()
        },
        ..Config::default()
    });
    let (mut w, mut sim) = start(&cfg);
    run_to_end(&mut w, &mut sim);
    // Every XPENDING row's count is that entry's retries so far + 1 (the read).
    let mut checked = 0;
    let mut retries_of = std::collections::HashMap::<String, i64>::new();
    for e in sim.log_since(0) {
        let argv = e.argv_text();
        match argv.first().map(String::as_str) {
            Some("XAUTOCLAIM") => {
                if let Reply::Array(parts) = &e.reply {
                    if let Some(Reply::Array(entries)) = parts.get(1) {
                        for entry in entries {
                            if let Reply::Array(pair) = entry {
                                if let Some(Reply::Bulk(id)) = pair.first() {
                                    *retries_of
                                        .entry(String::from_utf8_lossy(id).into_owned())
                                        .or_default() += 1;
                                }
                            }
                        }
                    }
                }
            }
            Some("XPENDING") => {
                if let Reply::Array(rows) = &e.reply {
                    for row in rows {
                        if let Reply::Array(f) = row {
                            if let (Some(Reply::Bulk(id)), Some(Reply::Int(n))) =
                                (f.first(), f.get(3))
                            {
                                let id = String::from_utf8_lossy(id).into_owned();
                                assert_eq!(*n, retries_of[&id] + 1, "{id}");
                                checked += 1;
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let m = sim.metrics(StrategyKind::Stream).unwrap();
    assert_eq!(checked as u64, m.retries);
    assert_eq!(m.successes + m.given_up, 200);
    let dead = cmd(w.server_mut(), 13, sim.now_ms(), "XLEN orders:dead");
    assert_eq!(dead, Reply::Int(m.given_up as i64));
}

#[test]
fn the_min_idle_time_is_the_schedules_first_delay_unless_set() {
    let cfg = only_stream(Config::default());
    assert_eq!(cfg.normalized().unwrap().stream_min_idle_ms, 300_000);
    let expo = Config {
        schedule: ScheduleConfig {
            backoff: Backoff::Exponential {
                base_s: 10,
                factor: 2.0,
                cap_s: 120,
            },
            jitter: Jitter::Full,
            ..ScheduleConfig::default()
        },
        ..cfg.clone()
    };
    assert_eq!(expo.normalized().unwrap().stream_min_idle_ms, 10_000);
    let set = Config {
        stream_min_idle_ms: 45_000,
        failure_probability: 1.0,
        operations: 3,
        ..expo
    };
    let (mut w, mut sim) = start(&set);
    run_to_end(&mut w, &mut sim);
    for op in 1..=3 {
        let tl = sim.timeline(StrategyKind::Stream, op).unwrap();
        for wait in &tl.waits {
            assert_eq!(wait.due_ms - wait.from_ms, 45_000);
            // Found by the next reclaim round: within a second.
            let late = wait.until_ms.unwrap() - wait.due_ms;
            assert!((0..1_000).contains(&late), "{late}");
        }
    }
}

#[test]
fn the_same_draws_fail_the_same_attempts_as_in_the_delayed_queue() {
    let cfg = Config {
        operations: 300,
        failure_probability: 0.5,
        schedule: ScheduleConfig {
            test_mode: true,
            ..ScheduleConfig::default()
        },
        polling: false,
        events: false,
        ..Config::default()
    };
    let (mut w, mut sim) = start(&cfg);
    run_to_end(&mut w, &mut sim);
    for op in 1..=300 {
        let outcomes = |k| -> Vec<(u32, Outcome)> {
            sim.timeline(k, op)
                .unwrap()
                .attempts
                .iter()
                .map(|a| (a.retry, a.outcome))
                .collect()
        };
        assert_eq!(
            outcomes(StrategyKind::Stream),
            outcomes(StrategyKind::Queue),
            "op {op}"
        );
    }
}

#[test]
fn orders_are_lost_when_a_console_deletes_their_entries_or_the_stream() {
    let cfg = only_stream(Config {
        operations: 20,
        failure_probability: 1.0,
        arrival_spread_ms: 1_000,
        schedule: ScheduleConfig {
            test_mode: true,
            ..ScheduleConfig::default()
        },
        ..Config::default()
    });
    let (mut w, mut sim) = start(&cfg);
    sim.advance_to(w.server_mut(), T0 + 30_000);
    // XDEL one entry: XAUTOCLAIM reports it deleted, its order is lost.
    let first = match cmd(w.server_mut(), 13, T0 + 30_000, "XRANGE orders - + COUNT 1") {
        Reply::Array(items) => match &items[0] {
            Reply::Array(pair) => match &pair[0] {
                Reply::Bulk(id) => String::from_utf8_lossy(id).into_owned(),
                r => panic!("{r:?}"),
            },
            r => panic!("{r:?}"),
        },
        r => panic!("{r:?}"),
    };
    assert_eq!(
        cmd(
            w.server_mut(),
            13,
            T0 + 30_000,
            &format!("XDEL orders {first}")
        ),
        Reply::Int(1)
    );
    sim.advance_to(w.server_mut(), T0 + 90_000);
    assert_eq!(sim.metrics(StrategyKind::Stream).unwrap().lost, 1);
    // DEL the whole stream: the rest are lost once overdue.
    cmd(w.server_mut(), 13, T0 + 90_000, "DEL orders");
    sim.advance_to(w.server_mut(), T0 + 600_000);
    assert!(sim.is_finished());
    let m = sim.metrics(StrategyKind::Stream).unwrap();
    assert_eq!(m.lost, 20);
}

#[test]
fn small_steps_or_one_big_one_give_the_same_run() {
    let cfg = only_stream(Config {
        operations: 500,
        arrival_spread_ms: 10_000,
        schedule: ScheduleConfig {
            test_mode: true,
            ..ScheduleConfig::default()
        },
        queue_batch: 7,
        ..Config::default()
    });
    let (mut w1, mut big) = start(&cfg);
    run_to_end(&mut w1, &mut big);
    let (mut w2, mut small) = start(&cfg);
    let mut t = T0;
    while !small.is_finished() {
        t += 997;
        small.advance_bounded(w2.server_mut(), t, 50);
    }
    let lines = |sim: &Simulation| -> Vec<String> {
        sim.log_since(0)
            .map(|e| format!("{} {:?}", e.at_ms, e.argv_text()))
            .collect()
    };
    assert_eq!(
        big.metrics(StrategyKind::Stream),
        small.metrics(StrategyKind::Stream).map(|mut m| {
            m.commands_per_sec = big.metrics(StrategyKind::Stream).unwrap().commands_per_sec;
            m
        })
    );
    assert_eq!(lines(&big).len(), lines(&small).len());
}

#[test]
fn ten_thousand_orders_finish() {
    let cfg = only_stream(Config {
        operations: 10_000,
        arrival_spread_ms: 300_000,
        schedule: ScheduleConfig {
            test_mode: true,
            jitter: Jitter::Equal,
            ..ScheduleConfig::default()
        },
        ..Config::default()
    });
    let (mut w, mut sim) = start(&cfg);
    run_to_end(&mut w, &mut sim);
    let m = sim.metrics(StrategyKind::Stream).unwrap();
    assert_eq!(m.successes + m.given_up + m.lost, 10_000);
    assert_eq!(m.lost, 0);
}

#[test]
fn the_reclaimer_pages_xpending_when_its_own_unclaimed_entries_sit_between_claimed_ones() {
    // Coarse reclaim rounds against a shorter min-idle: an entry claimed last round (not
    // idle yet, but the reclaimer's) sits between entries claimed this round.
    let cfg = only_stream(Config {
        operations: 60,
        arrival_spread_ms: 30_000,
        failure_probability: 1.0,
        schedule: ScheduleConfig {
            max_retries: 8,
            ..ScheduleConfig::default()
        },
        stream_min_idle_ms: 10_000,
        stream_reclaim_ms: 7_000,
        ..Config::default()
    });
    let (mut w, mut sim) = start(&cfg);
    run_to_end(&mut w, &mut sim);
    let paged = sim
        .log_since(0)
        .filter(|e| e.argv_text().first().map(String::as_str) == Some("XPENDING"))
        .filter(|e| e.argv_text()[3].starts_with('('))
        .count();
    assert!(paged > 0, "no XPENDING paging happened");
    // Every dead letter names the real delivery count: the read and eight retries.
    let dead = cmd(w.server_mut(), 13, sim.now_ms(), "XRANGE orders:dead - +");
    let Reply::Array(entries) = dead else {
        panic!("{dead:?}")
    };
    assert_eq!(entries.len(), 60);
    for e in entries {
        let Reply::Array(pair) = e else { panic!() };
        let Reply::Array(fields) = &pair[1] else {
            panic!()
        };
        assert_eq!(fields[3], Reply::Bulk(b"9".to_vec()));
    }
}
