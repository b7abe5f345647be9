//! The retry simulation, natively: exact commands and times of a small run, the seed's
//! schedule, max retries, keys gone after success, the expired-event lag and lost events,
//! the delayed queue's claims, determinism, jitter bounds, and a 10,000-operation run.

mod common;

use common::retry::{cmd, run_to_end, start, T0};
use common::session;
use redis_playground::retry::schedule::{jittered, JitterInput};
use redis_playground::retry::*;
use redis_playground::{Reply, World};

fn test_mode(max_retries: u32) -> ScheduleConfig {
    ScheduleConfig {
        test_mode: true,
        max_retries,
        ..ScheduleConfig::default()
    }
}

/// (retry, outcome) of each first attempt of `op`.
fn outcomes(sim: &Simulation, kind: StrategyKind, op: u32) -> Vec<(u32, Outcome)> {
    let tl = sim.timeline(kind, op).expect("an op");
    tl.attempts
        .iter()
        .filter(|a| !a.duplicate)
        .map(|a| (a.retry, a.outcome))
        .collect()
}

/// `rel_ms db actor argv -> reply` for every logged command after the connections opened.
fn log_lines(sim: &Simulation) -> Vec<String> {
    sim.log_since(0)
        .filter(|e| {
            e.actor != Actor::Setup && !matches!(e.argv[0].as_slice(), b"SELECT" | b"SUBSCRIBE")
        })
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
        .collect()
}

#[test]
fn a_small_run_sends_exactly_these_commands_and_retries_at_these_times() {
    let cfg = Config {
        seed: 6,
        operations: 2,
        arrival_spread_ms: 3_000,
        schedule: test_mode(3),
        poll_interval_ms: 15_000,
        queue_poll_ms: 15_000,
        queue_workers: 2,
        // The consumer group's exact commands: tests/retry_stream.rs.
        stream: false,
        ..Config::default()
    };
    let (mut s, mut sim) = start(&cfg);
    sim.advance_to(s.server_mut(), T0 + 600_000);
    assert!(sim.is_finished());
    let want = [
        "752 10 app SETEX order:1 60 pending -> OK",
        "752 11 app SETEX order:1 60 pending -> OK",
        "752 12 app ZADD retry 1700000060752 order:1 -> (integer) 1",
        "2959 10 app SETEX order:2 60 pending -> OK",
        "2959 11 app SETEX order:2 60 pending -> OK",
        "2959 12 app ZADD retry 1700000062959 order:2 -> (integer) 1",
        "15000 10 poller-1 TTL order:1 -> (integer) 46",
        "15000 10 poller-1 TTL order:2 -> (integer) 48",
        "15000 12 worker-1 ZRANGEBYSCORE retry -inf 1700000015000 LIMIT 0 100 -> []",
        "15000 12 worker-2 ZRANGEBYSCORE retry -inf 1700000015000 LIMIT 0 100 -> []",
        "30000 10 poller-1 TTL order:1 -> (integer) 31",
        "30000 10 poller-1 TTL order:2 -> (integer) 33",
        "30000 12 worker-1 ZRANGEBYSCORE retry -inf 1700000030000 LIMIT 0 100 -> []",
        "30000 12 worker-2 ZRANGEBYSCORE retry -inf 1700000030000 LIMIT 0 100 -> []",
        "45000 10 poller-1 TTL order:1 -> (integer) 16",
        "45000 10 poller-1 TTL order:2 -> (integer) 18",
        "45000 12 worker-1 ZRANGEBYSCORE retry -inf 1700000045000 LIMIT 0 100 -> []",
        "45000 12 worker-2 ZRANGEBYSCORE retry -inf 1700000045000 LIMIT 0 100 -> []",
        "60000 10 poller-1 TTL order:1 -> (integer) 1",
        "60000 10 poller-1 TTL order:2 -> (integer) 3",
        "60000 12 worker-1 ZRANGEBYSCORE retry -inf 1700000060000 LIMIT 0 100 -> []",
        "60000 12 worker-2 ZRANGEBYSCORE retry -inf 1700000060000 LIMIT 0 100 -> []",
        // The expired event comes with the expiry cycle after the due time.
        "60800 11 listener-1 INCR order:1:retry_count -> (integer) 1",
        "60800 11 listener-1 SETEX order:1 60 pending -> OK",
        "63100 11 listener-1 DEL order:2 order:2:retry_count -> (integer) 0",
        "75000 10 poller-1 TTL order:1 -> (integer) -2",
        "75000 10 poller-1 INCR order:1:retry_count -> (integer) 1",
        "75000 10 poller-1 SETEX order:1 60 pending -> OK",
        "75000 10 poller-1 TTL order:2 -> (integer) -2",
        "75000 10 poller-1 DEL order:2 order:2:retry_count -> (integer) 0",
        "75000 12 worker-1 ZRANGEBYSCORE retry -inf 1700000075000 LIMIT 0 100 -> [\"order:1\", \"order:2\"]",
        "75000 12 worker-2 ZRANGEBYSCORE retry -inf 1700000075000 LIMIT 0 100 -> [\"order:1\", \"order:2\"]",
        "75000 12 worker-1 ZREM retry order:1 -> (integer) 1",
        "75000 12 worker-2 ZREM retry order:1 -> (integer) 0",
        "75000 12 worker-2 ZREM retry order:2 -> (integer) 1",
        "75000 12 worker-1 ZREM retry order:2 -> (integer) 0",
        "75000 12 worker-1 INCR order:1:retry_count -> (integer) 1",
        "75000 12 worker-1 ZADD retry 1700000135000 order:1 -> (integer) 1",
        "75000 12 worker-2 DEL order:2:retry_count -> (integer) 0",
        "90000 10 poller-1 TTL order:1 -> (integer) 45",
        "90000 12 worker-1 ZRANGEBYSCORE retry -inf 1700000090000 LIMIT 0 100 -> []",
        "90000 12 worker-2 ZRANGEBYSCORE retry -inf 1700000090000 LIMIT 0 100 -> []",
        "105000 10 poller-1 TTL order:1 -> (integer) 30",
        "105000 12 worker-1 ZRANGEBYSCORE retry -inf 1700000105000 LIMIT 0 100 -> []",
        "105000 12 worker-2 ZRANGEBYSCORE retry -inf 1700000105000 LIMIT 0 100 -> []",
        "120000 10 poller-1 TTL order:1 -> (integer) 15",
        "120000 12 worker-1 ZRANGEBYSCORE retry -inf 1700000120000 LIMIT 0 100 -> []",
        "120000 12 worker-2 ZRANGEBYSCORE retry -inf 1700000120000 LIMIT 0 100 -> []",
        "120900 11 listener-1 INCR order:1:retry_count -> (integer) 2",
        "120900 11 listener-1 SETEX order:1 60 pending -> OK",
        // At its expiry millisecond a key still exists: TTL says 0, not -2.
        "135000 10 poller-1 TTL order:1 -> (integer) 0",
        "135000 12 worker-1 ZRANGEBYSCORE retry -inf 1700000135000 LIMIT 0 100 -> [\"order:1\"]",
        "135000 12 worker-2 ZRANGEBYSCORE retry -inf 1700000135000 LIMIT 0 100 -> [\"order:1\"]",
        "135000 12 worker-1 ZREM retry order:1 -> (integer) 1",
        "135000 12 worker-2 ZREM retry order:1 -> (integer) 0",
        "135000 12 worker-1 INCR order:1:retry_count -> (integer) 2",
        "135000 12 worker-1 ZADD retry 1700000195000 order:1 -> (integer) 1",
        "150000 10 poller-1 TTL order:1 -> (integer) -2",
        "150000 10 poller-1 INCR order:1:retry_count -> (integer) 2",
        "150000 10 poller-1 SETEX order:1 60 pending -> OK",
    ];
    let got = log_lines(&sim);
    assert_eq!(&got[..want.len()], &want[..]);
    assert_eq!(
        &got[want.len()..],
        &[
            "150000 12 worker-1 ZRANGEBYSCORE retry -inf 1700000150000 LIMIT 0 100 -> []",
            "150000 12 worker-2 ZRANGEBYSCORE retry -inf 1700000150000 LIMIT 0 100 -> []",
            "165000 10 poller-1 TTL order:1 -> (integer) 45",
            "165000 12 worker-1 ZRANGEBYSCORE retry -inf 1700000165000 LIMIT 0 100 -> []",
            "165000 12 worker-2 ZRANGEBYSCORE retry -inf 1700000165000 LIMIT 0 100 -> []",
            "180000 10 poller-1 TTL order:1 -> (integer) 30",
            "180000 12 worker-1 ZRANGEBYSCORE retry -inf 1700000180000 LIMIT 0 100 -> []",
            "180000 12 worker-2 ZRANGEBYSCORE retry -inf 1700000180000 LIMIT 0 100 -> []",
            "181000 11 listener-1 DEL order:1 order:1:retry_count -> (integer) 1",
            "195000 10 poller-1 TTL order:1 -> (integer) 15",
            "195000 12 worker-1 ZRANGEBYSCORE retry -inf 1700000195000 LIMIT 0 100 -> [\"order:1\"]",
            "195000 12 worker-2 ZRANGEBYSCORE retry -inf 1700000195000 LIMIT 0 100 -> [\"order:1\"]",
            "195000 12 worker-1 ZREM retry order:1 -> (integer) 1",
            "195000 12 worker-2 ZREM retry order:1 -> (integer) 0",
            "195000 12 worker-1 DEL order:1:retry_count -> (integer) 1",
            "210000 10 poller-1 TTL order:1 -> (integer) 0",
            "225000 10 poller-1 TTL order:1 -> (integer) -2",
            "225000 10 poller-1 DEL order:1 order:1:retry_count -> (integer) 1",
        ][..]
    );

    // Retry times (ms after the start, due → made) and how each ended.
    let times = |kind| {
        let tl = |op| sim.timeline(kind, op).unwrap();
        let marks = |op| -> Vec<(i64, i64)> {
            tl(op)
                .attempts
                .iter()
                .skip(1)
                .map(|a| (a.due_ms - T0, a.at_ms - T0))
                .collect()
        };
        (marks(1), tl(1).state, marks(2), tl(2).state)
    };
    use OpState::{GaveUp, Succeeded};
    assert_eq!(
        times(StrategyKind::Polling),
        (
            vec![(60_752, 75_000), (135_000, 150_000), (210_000, 225_000)],
            GaveUp,
            vec![(62_959, 75_000)],
            Succeeded
        )
    );
    assert_eq!(
        times(StrategyKind::Events),
        (
            vec![(60_752, 60_800), (120_800, 120_900), (180_900, 181_000)],
            GaveUp,
            vec![(62_959, 63_100)],
            Succeeded
        )
    );
    assert_eq!(
        times(StrategyKind::Queue),
        (
            vec![(60_752, 75_000), (135_000, 135_000), (195_000, 195_000)],
            GaveUp,
            vec![(62_959, 75_000)],
            Succeeded
        )
    );
}

#[test]
fn setup_flushes_the_dbs_adds_expired_events_and_subscribes() {
    let mut s = session();
    s.exec("SELECT 10");
    s.exec("SET leftover 1");
    s.exec("CONFIG SET notify-keyspace-events Kg");
    let sim = Simulation::new(&Config::default(), s.server_mut(), T0).unwrap();
    assert_eq!(s.exec("DBSIZE"), "(integer) 0");
    assert_eq!(
        s.exec("CONFIG GET notify-keyspace-events"),
        "1) \"notify-keyspace-events\"\n2) \"gxKE\""
    );
    assert_eq!(
        s.exec("PUBSUB NUMSUB __keyevent@11__:expired"),
        "1) \"__keyevent@11__:expired\"\n2) (integer) 1"
    );
    assert_eq!(sim.strategies(), StrategyKind::ALL.to_vec());
}

#[test]
fn the_console_can_watch_the_keys_of_a_run() {
    let cfg = Config {
        operations: 3,
        arrival_spread_ms: 0,
        ..Config::default()
    };
    let (mut s, mut sim) = start(&cfg);
    sim.advance_to(s.server_mut(), T0 + 100_000);
    s.advance(T0 as f64, 100_000.0);
    s.exec("SELECT 10");
    assert_eq!(s.exec("TTL order:1"), "(integer) 200");
    assert_eq!(s.exec("GET order:1"), "\"pending\"");
    s.exec("SELECT 12");
    assert_eq!(
        s.exec("ZRANGE retry 0 -1 WITHSCORES"),
        "1) \"order:1\"\n2) \"1700000300000\"\n3) \"order:2\"\n4) \"1700000300000\"\n5) \"order:3\"\n6) \"1700000300000\""
    );
}

#[test]
fn the_seeds_schedule_waits_5_10_15_minutes_then_2_4_6_hours() {
    let cfg = Config {
        operations: 5,
        failure_probability: 1.0,
        ..Config::default()
    };
    let (mut s, mut sim) = start(&cfg);
    assert_eq!(
        sim.schedule().delays_for(1),
        vec![300, 600, 900, 7_200, 14_400, 21_600]
    );
    run_to_end(&mut s, &mut sim);
    for kind in sim.strategies() {
        for op in 1..=5 {
            let tl = sim.timeline(kind, op).unwrap();
            let waits: Vec<i64> = tl.waits.iter().map(|w| w.due_ms - w.from_ms).collect();
            // XAUTOCLAIM has one min-idle-time: the schedule's first delay, every time.
            let want = if kind == StrategyKind::Stream {
                vec![300_000; 6]
            } else {
                vec![300_000, 600_000, 900_000, 7_200_000, 14_400_000, 21_600_000]
            };
            assert_eq!(waits, want, "{kind:?} {op}");
            assert_eq!(tl.state, OpState::GaveUp);
        }
    }
}

#[test]
fn the_seeds_test_mode_uses_60_second_ttls() {
    let cfg = Config {
        operations: 20,
        schedule: test_mode(6),
        ..Config::default()
    };
    let (mut s, mut sim) = start(&cfg);
    assert_eq!(sim.schedule().delays_for(1), vec![60; 6]);
    run_to_end(&mut s, &mut sim);
    for e in sim.log_since(0).filter(|e| e.argv[0] == b"SETEX") {
        assert_eq!(e.argv[2], b"60", "{}", e.monitor_line());
    }
    for kind in sim.strategies() {
        for op in 1..=20 {
            for w in sim.timeline(kind, op).unwrap().waits {
                assert_eq!(w.due_ms - w.from_ms, 60_000);
            }
        }
    }
    // The whole run takes minutes, not hours.
    assert!(sim.now_ms() - T0 <= 3_600_000);
}

#[test]
fn max_retries_is_honoured_and_the_keys_are_deleted_after_the_last_retry() {
    let cfg = Config {
        operations: 30,
        failure_probability: 1.0,
        schedule: test_mode(2),
        ..Config::default()
    };
    let (mut s, mut sim) = start(&cfg);
    run_to_end(&mut s, &mut sim);
    let now = sim.now_ms();
    for kind in sim.strategies() {
        let m = sim.metrics(kind).unwrap();
        assert_eq!(
            (m.given_up, m.successes, m.retries, m.waiting),
            (30, 0, 60, 0),
            "{kind:?}"
        );
        for op in 1..=30 {
            let tl = sim.timeline(kind, op).unwrap();
            assert_eq!(tl.state, OpState::GaveUp);
            assert_eq!(
                tl.attempts.iter().map(|a| a.retry).collect::<Vec<_>>(),
                vec![0, 1, 2]
            );
        }
        if kind == StrategyKind::Stream {
            // Every job dead-lettered, nothing pending, the jobs' stream empty.
            let db = m.db;
            assert_eq!(
                cmd(s.server_mut(), db, now, "XLEN orders:dead"),
                Reply::Int(30)
            );
            assert_eq!(cmd(s.server_mut(), db, now, "XLEN orders"), Reply::Int(0));
            let pending = cmd(s.server_mut(), db, now, "XPENDING orders workers");
            assert!(
                matches!(&pending, Reply::Array(p) if p.first() == Some(&Reply::Int(0))),
                "{pending:?}"
            );
            continue;
        }
        assert_eq!(
            cmd(s.server_mut(), m.db, now, "DBSIZE"),
            Reply::Int(0),
            "{kind:?}"
        );
    }
}

#[test]
fn keys_are_gone_after_success() {
    let cfg = Config {
        operations: 10,
        failure_probability: 0.0,
        schedule: test_mode(6),
        ..Config::default()
    };
    let (mut s, mut sim) = start(&cfg);
    // Waiting: the keys are there.
    sim.advance_to(s.server_mut(), T0 + 61_000);
    let now = sim.now_ms();
    assert_eq!(
        cmd(s.server_mut(), 10, now, "EXISTS order:1"),
        Reply::Int(1)
    );
    assert_eq!(cmd(s.server_mut(), 12, now, "ZCARD retry"), Reply::Int(10));
    run_to_end(&mut s, &mut sim);
    let now = sim.now_ms();
    for kind in sim.strategies() {
        let m = sim.metrics(kind).unwrap();
        assert_eq!((m.successes, m.retries), (10, 10), "{kind:?}");
        for op in 1..=10 {
            let keys = format!("EXISTS {} {}", op_key(op), retry_count_key(op));
            assert_eq!(
                cmd(s.server_mut(), m.db, now, &keys),
                Reply::Int(0),
                "{kind:?} {op}"
            );
        }
    }
    assert_eq!(cmd(s.server_mut(), 12, now, "EXISTS retry"), Reply::Int(0));
}

/// The events strategy's lateness (event time minus due time) with `ops` keys at `hz`.
fn event_lag(ops: u32, hz: u32) -> (Lateness, Vec<i64>) {
    let mut s = session();
    s.exec(&format!("CONFIG SET hz {hz}"));
    let cfg = Config {
        operations: ops,
        events: true,
        polling: false,
        queue: false,
        schedule: test_mode(3),
        ..Config::default()
    };
    let mut sim = Simulation::new(&cfg, s.server_mut(), T0).unwrap();
    run_to_end(&mut s, &mut sim);
    let times = (1..=ops)
        .flat_map(|op| {
            sim.timeline(StrategyKind::Events, op)
                .unwrap()
                .attempts
                .into_iter()
                .skip(1)
                .map(|a| a.at_ms)
        })
        .collect();
    (sim.metrics(StrategyKind::Events).unwrap().lateness, times)
}

#[test]
fn the_expired_event_lags_the_due_time_by_the_active_expiry_cycle() {
    let (at_10, times_10) = event_lag(50, 10);
    let (at_1, times_1) = event_lag(50, 1);
    // A key exists through its expiry millisecond, so the event is always after the due time.
    assert!(at_10.min_ms >= 1 && at_1.min_ms >= 1, "{at_10:?} {at_1:?}");
    // Nobody reads these keys: the active cycle deletes them, so every event comes at a cycle.
    assert!(times_10.iter().all(|t| (t - T0) % 100 == 0));
    assert!(times_1.iter().all(|t| (t - T0) % 1000 == 0));
    // Fewer cycles a second, longer waits.
    assert!(
        at_1.mean_ms > 3.0 * at_10.mean_ms,
        "hz 1: {} ms, hz 10: {} ms",
        at_1.mean_ms,
        at_10.mean_ms
    );
    assert!(
        at_1.p90_ms >= 1_000 && at_10.p90_ms < 1_000,
        "p90: hz 1 {} ms, hz 10 {} ms",
        at_1.p90_ms,
        at_10.p90_ms
    );
    println!("event lag with 50 keys: hz 10 {at_10:?}\nhz 1 {at_1:?}");
}

#[test]
fn the_expired_event_lags_more_when_many_keys_wait() {
    // The cycle samples 20 keys at a time: among thousands, an expired one waits its turn.
    let (few, _) = event_lag(20, 10);
    let (many, _) = event_lag(3_000, 10);
    assert!(
        many.p90_ms > 5 * few.p90_ms.max(100),
        "20 keys: p90 {} ms; 3000 keys: p90 {} ms",
        few.p90_ms,
        many.p90_ms
    );
    println!("event lag at hz 10: 20 keys {few:?}\n3000 keys {many:?}");
}

#[test]
fn events_sent_while_the_listeners_are_disconnected_are_lost_retries() {
    let window = Window {
        start_ms: 30_000,
        end_ms: 90_000,
    };
    let cfg = Config {
        operations: 100,
        schedule: test_mode(3),
        listener_outage: Some(window),
        ..Config::default()
    };
    let (mut s, mut sim) = start(&cfg);
    sim.advance_to(s.server_mut(), T0 + 60_000);
    assert_eq!(
        s.exec("PUBSUB NUMSUB __keyevent@11__:expired"),
        "1) \"__keyevent@11__:expired\"\n2) (integer) 0"
    );
    run_to_end(&mut s, &mut sim);
    assert_eq!(
        s.exec("PUBSUB NUMSUB __keyevent@11__:expired"),
        "1) \"__keyevent@11__:expired\"\n2) (integer) 1"
    );

    let m = sim.metrics(StrategyKind::Events).unwrap();
    assert!(m.lost > 0 && m.lost < 100, "{m:?}");
    assert_eq!(m.lost + m.successes + m.given_up, 100);
    for op in 1..=100 {
        let tl = sim.timeline(StrategyKind::Events, op).unwrap();
        if tl.state == OpState::Lost {
            // Its key expired (and its event was sent) while no one listened; no retry followed.
            let ended = tl.ended_ms.unwrap() - T0;
            assert!((30_000..90_000).contains(&ended), "op {op} lost at {ended}");
            assert!(tl.waits.last().unwrap().until_ms.is_none());
            assert!(tl.attempts.last().unwrap().at_ms < T0 + 30_000 || tl.attempts.len() > 1);
        }
    }
    // The other strategies don't depend on events: nothing lost there.
    for kind in [StrategyKind::Polling, StrategyKind::Queue] {
        let m = sim.metrics(kind).unwrap();
        assert_eq!((m.lost, m.successes + m.given_up), (0, 100));
    }
    // Without the outage, the same run loses nothing.
    let (mut s, mut sim) = start(&Config {
        listener_outage: None,
        ..cfg
    });
    run_to_end(&mut s, &mut sim);
    assert_eq!(sim.metrics(StrategyKind::Events).unwrap().lost, 0);
}

#[test]
fn two_listeners_make_every_retry_twice() {
    let cfg = Config {
        operations: 40,
        arrival_spread_ms: 0,
        listeners: 2,
        schedule: test_mode(3),
        ..Config::default()
    };
    let (mut s, mut sim) = start(&cfg);
    // After the first retries: where one failed, both listeners counted it.
    sim.advance_to(s.server_mut(), T0 + 65_000);
    let failed_once = (1..=40)
        .find(|&op| {
            outcomes(&sim, StrategyKind::Polling, op)
                .get(1)
                .is_some_and(|o| o.1 == Outcome::Failed)
        })
        .expect("some first retry failed");
    let counter = format!("GET {}", retry_count_key(failed_once));
    assert_eq!(
        cmd(s.server_mut(), 10, T0 + 65_000, &counter),
        Reply::Bulk(b"1".to_vec())
    );
    assert_eq!(
        cmd(s.server_mut(), 11, T0 + 65_000, &counter),
        Reply::Bulk(b"2".to_vec())
    );
    run_to_end(&mut s, &mut sim);
    let m = sim.metrics(StrategyKind::Events).unwrap();
    assert!(m.retries > 40);
    assert_eq!(m.duplicate_retries * 2, m.retries);
    assert_eq!(m.events_received, m.retries);
    let polling = sim.metrics(StrategyKind::Polling).unwrap();
    assert_eq!(polling.retries, m.retries - m.duplicate_retries);
}

#[test]
fn turning_expired_events_off_loses_the_event_driven_retries() {
    let cfg = Config {
        operations: 25,
        arrival_spread_ms: 0,
        schedule: test_mode(3),
        ..Config::default()
    };
    let (mut s, mut sim) = start(&cfg);
    sim.advance_to(s.server_mut(), T0 + 30_000);
    assert_eq!(
        cmd(
            s.server_mut(),
            0,
            T0 + 30_000,
            "CONFIG SET notify-keyspace-events \"\""
        ),
        Reply::ok()
    );
    run_to_end(&mut s, &mut sim);
    let m = sim.metrics(StrategyKind::Events).unwrap();
    assert_eq!((m.lost, m.retries, m.events_received), (25, 0, 0));
    assert_eq!(sim.metrics(StrategyKind::Polling).unwrap().lost, 0);
}

#[test]
fn the_delayed_queue_never_retries_an_operation_twice_even_with_several_workers() {
    let cfg = Config {
        operations: 300,
        arrival_spread_ms: 5_000,
        failure_probability: 0.6,
        schedule: test_mode(4),
        queue_workers: 8,
        queue_batch: 50,
        ..Config::default()
    };
    let (mut s, mut sim) = start(&cfg);
    run_to_end(&mut s, &mut sim);
    let m = sim.metrics(StrategyKind::Queue).unwrap();
    assert_eq!(m.duplicate_retries, 0);
    assert_eq!(
        m.claim_conflicts,
        7 * m.retries,
        "every claim was raced by the 7 other workers"
    );
    let mut retries = 0;
    for op in 1..=300 {
        let tl = sim.timeline(StrategyKind::Queue, op).unwrap();
        let numbers: Vec<u32> = tl.attempts.iter().map(|a| a.retry).collect();
        assert_eq!(
            numbers,
            (0..numbers.len() as u32).collect::<Vec<_>>(),
            "op {op}"
        );
        assert!(tl.attempts.iter().all(|a| !a.duplicate));
        retries += numbers.len() as u64 - 1;
    }
    assert_eq!(retries, m.retries);
    assert_eq!(m.successes + m.given_up, 300);
    // Each ZREM that answered 1 is one retry.
    let claimed = sim
        .log_since(0)
        .filter(|e| e.argv[0] == b"ZREM" && e.reply == Reply::Int(1))
        .count() as u64;
    assert!(claimed <= m.retries);
}

/// A queue run claimed one way: its metrics and each operation's retry outcomes.
fn queue_run(claim: QueueClaim) -> (Simulation, World) {
    let cfg = Config {
        operations: 200,
        arrival_spread_ms: 5_000,
        failure_probability: 0.6,
        schedule: test_mode(4),
        queue_workers: 4,
        queue_batch: 20,
        queue_claim: claim,
        polling: false,
        events: false,
        ..Config::default()
    };
    let (mut s, mut sim) = start(&cfg);
    run_to_end(&mut s, &mut sim);
    (sim, s)
}

#[test]
fn watch_and_lua_claims_retry_the_same_operations_as_zrem_claims() {
    let (zrem, _) = queue_run(QueueClaim::Zrem);
    let (watch, _) = queue_run(QueueClaim::Watch);
    let (lua, _) = queue_run(QueueClaim::Lua);
    let base = zrem.metrics(StrategyKind::Queue).unwrap();
    for (name, sim) in [("watch", &watch), ("lua", &lua)] {
        let m = sim.metrics(StrategyKind::Queue).unwrap();
        assert_eq!(
            (
                m.retries,
                m.successes,
                m.given_up,
                m.duplicate_retries,
                m.lost
            ),
            (base.retries, base.successes, base.given_up, 0, 0),
            "{name}"
        );
        for op in 1..=200 {
            assert_eq!(
                outcomes(&zrem, StrategyKind::Queue, op),
                outcomes(sim, StrategyKind::Queue, op),
                "{name} op {op}"
            );
        }
    }
    // ZREM races: every claim is tried by the 3 other workers. WATCH: a round's losers
    // conflict once each. Lua: never.
    assert_eq!(base.claim_conflicts, 3 * base.retries);
    let w = watch.metrics(StrategyKind::Queue).unwrap();
    assert!(
        w.claim_conflicts > 0 && w.claim_conflicts < base.claim_conflicts,
        "{}",
        w.claim_conflicts
    );
    let l = lua.metrics(StrategyKind::Queue).unwrap();
    assert_eq!(l.claim_conflicts, 0);
    assert!(
        l.commands < w.commands && l.commands < base.commands,
        "{} {} {}",
        l.commands,
        w.commands,
        base.commands
    );
    // The script ran as EVALSHA, found in the cache after the first EVAL... or at once:
    // the workers never sent a ZREM themselves.
    assert!(lua.log_since(0).all(|e| e.argv[0] != b"ZREM"));
    assert!(lua.log_since(0).any(|e| e.argv[0] == b"EVALSHA"));
    assert!(watch
        .log_since(0)
        .any(|e| e.argv[0] == b"EXEC" && e.reply == Reply::NilArray));
}

#[test]
fn the_same_seed_gives_every_strategy_the_same_failures() {
    let cfg = Config {
        operations: 200,
        schedule: test_mode(5),
        ..Config::default()
    };
    let (mut s, mut sim) = start(&cfg);
    run_to_end(&mut s, &mut sim);
    for op in 1..=200 {
        let polling = outcomes(&sim, StrategyKind::Polling, op);
        assert_eq!(polling, outcomes(&sim, StrategyKind::Events, op), "op {op}");
        assert_eq!(polling, outcomes(&sim, StrategyKind::Queue, op), "op {op}");
    }
    // And again: the same run.
    let (mut s2, mut again) = start(&cfg);
    run_to_end(&mut s2, &mut again);
    assert_eq!(sim.all_metrics(), again.all_metrics());
    // Another seed, other failures.
    let (mut s3, mut other) = start(&Config { seed: 2, ..cfg });
    run_to_end(&mut s3, &mut other);
    let differ = (1..=200)
        .filter(|&op| {
            outcomes(&sim, StrategyKind::Queue, op) != outcomes(&other, StrategyKind::Queue, op)
        })
        .count();
    assert!(
        differ > 50,
        "only {differ} of 200 operations turned out differently"
    );
}

#[test]
fn jitter_stays_within_its_bounds() {
    for i in 0..=1_000 {
        let u = f64::from(i) / 1_000.0 * 0.999_999;
        for &(d, base, cap, prev) in &[
            (60.0, 1.0, 600.0, 1.0),
            (300.0, 300.0, 21_600.0, 900.0),
            (7.5, 2.0, 10.0, 9.0),
        ] {
            let input = JitterInput { d, base, cap, prev };
            assert_eq!(jittered(Jitter::None, input, u), d);
            let full = jittered(Jitter::Full, input, u);
            assert!((0.0..=d).contains(&full), "full {full} not in [0, {d}]");
            let equal = jittered(Jitter::Equal, input, u);
            assert!(
                (d / 2.0..=d).contains(&equal),
                "equal {equal} not in [{}, {d}]",
                d / 2.0
            );
            let dec = jittered(Jitter::Decorrelated, input, u);
            let hi = cap.min(prev * 3.0);
            assert!(
                dec >= base.min(cap) && dec <= hi.max(base.min(cap)),
                "decorrelated {dec} not in [{base}, {hi}]"
            );
        }
    }
    // Through a schedule: exponential 2^k s capped at 60 s, each delay within its formula.
    for jitter in [
        Jitter::None,
        Jitter::Full,
        Jitter::Equal,
        Jitter::Decorrelated,
    ] {
        let cfg = ScheduleConfig {
            backoff: Backoff::Exponential {
                base_s: 1,
                factor: 2.0,
                cap_s: 60,
            },
            jitter,
            max_retries: 12,
            test_mode: false,
        };
        let sched = Schedule::new(cfg, 9);
        for op in 1..=50 {
            let delays = sched.delays_for(op);
            for (i, &d) in delays.iter().enumerate() {
                let temp = (1u32 << i.min(20)).min(60);
                let ok = match jitter {
                    Jitter::None => d == temp,
                    Jitter::Full => (1..=temp).contains(&d),
                    Jitter::Equal => (temp / 2..=temp).contains(&d),
                    Jitter::Decorrelated => (1..=60).contains(&d),
                };
                assert!(
                    ok,
                    "{jitter:?} retry {}: {d} s (before jitter {temp} s)",
                    i + 1
                );
            }
            if jitter == Jitter::Decorrelated {
                // Each sleep is at most three times the one before (rounding aside).
                for w in delays.windows(2) {
                    assert!(w[1] <= (w[0] * 3 + 1).min(60), "{delays:?}");
                }
            }
        }
    }
}

#[test]
fn an_outage_fails_every_attempt_inside_it_and_jitter_spreads_the_herd_after_it() {
    let peak = |jitter| {
        let cfg = Config {
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
            events: false,
            polling: false,
            bucket_ms: 1_000,
            ..Config::default()
        };
        let (mut s, mut sim) = start(&cfg);
        run_to_end(&mut s, &mut sim);
        for op in 1..=500 {
            for a in sim
                .timeline(StrategyKind::Queue, op)
                .unwrap()
                .attempts
                .iter()
                .skip(1)
            {
                let inside = a.at_ms - T0 < 300_000;
                assert_eq!(
                    inside,
                    a.outcome == Outcome::FailedInOutage,
                    "op {op} at {}",
                    a.at_ms - T0
                );
            }
        }
        sim.series(StrategyKind::Queue)
            .iter()
            .map(|b| b.retries)
            .max()
            .unwrap_or(0)
    };
    let herd = peak(Jitter::None);
    let spread = peak(Jitter::Full);
    assert!(
        herd > 3 * spread,
        "without jitter {herd} retries in one second, with full jitter {spread}"
    );
}

#[test]
fn advancing_in_small_steps_or_with_a_work_bound_gives_the_same_run() {
    let cfg = Config {
        operations: 40,
        schedule: test_mode(3),
        listener_outage: Some(Window {
            start_ms: 50_000,
            end_ms: 70_000,
        }),
        log_capacity: 100_000,
        ..Config::default()
    };
    let whole = {
        let (mut s, mut sim) = start(&cfg);
        sim.advance_to(s.server_mut(), T0 + 600_000);
        sim
    };
    let stepped = {
        let (mut s, mut sim) = start(&cfg);
        let mut t = T0;
        while t < T0 + 600_000 {
            t += 337;
            sim.advance_to(s.server_mut(), t.min(T0 + 600_000));
        }
        sim
    };
    let bounded = {
        let (mut s, mut sim) = start(&cfg);
        let mut calls = 0;
        while !sim
            .advance_bounded(s.server_mut(), T0 + 600_000, 5)
            .caught_up
        {
            calls += 1;
        }
        assert!(calls > 100);
        sim
    };
    for other in [&stepped, &bounded] {
        assert_eq!(whole.all_metrics(), other.all_metrics());
        let a: Vec<_> = whole.log_since(0).collect();
        let b: Vec<_> = other.log_since(0).collect();
        assert_eq!(a, b);
        for kind in whole.strategies() {
            assert_eq!(whole.timelines(kind, 1, 40), other.timelines(kind, 1, 40));
        }
    }
}

#[test]
fn counting_idle_polls_gives_the_same_run_with_fewer_commands_sent() {
    let cfg = Config {
        operations: 50,
        schedule: test_mode(4),
        log_capacity: 100_000,
        ..Config::default()
    };
    let (mut s, mut sent) = start(&cfg);
    run_to_end(&mut s, &mut sent);
    let (mut s2, mut counted) = start(&Config {
        count_only_idle_polls: true,
        ..cfg
    });
    run_to_end(&mut s2, &mut counted);
    let (a, b) = (
        sent.metrics(StrategyKind::Polling).unwrap(),
        counted.metrics(StrategyKind::Polling).unwrap(),
    );
    assert_eq!(a.commands, b.commands);
    assert_eq!(
        (a.retries, a.successes, a.given_up, a.lateness.clone()),
        (b.retries, b.successes, b.given_up, b.lateness.clone())
    );
    assert!(b.idle_polls_counted > 1_000);
    assert_eq!(a.idle_polls_counted, 0);
    let ttls = |sim: &Simulation| sim.log_since(0).filter(|e| e.argv[0] == b"TTL").count() as u64;
    assert_eq!(ttls(&sent) - ttls(&counted), b.idle_polls_counted);
    assert_eq!(
        sent.timelines(StrategyKind::Polling, 1, 50),
        counted.timelines(StrategyKind::Polling, 1, 50)
    );
}

#[test]
fn polling_costs_one_ttl_per_waiting_key_per_interval() {
    let cfg = Config {
        operations: 100,
        arrival_spread_ms: 0,
        failure_probability: 1.0,
        schedule: test_mode(1),
        ..Config::default()
    };
    let (mut s, mut sim) = start(&cfg);
    // All 100 keys wait 60 s: 60 polls of 100 TTLs (the 60th finds them still there, at
    // their expiry millisecond), then the 61st finds them gone.
    sim.advance_to(s.server_mut(), T0 + 59_999);
    let m = sim.metrics(StrategyKind::Polling).unwrap();
    assert_eq!(m.commands, 100 + 59 * 100);
    sim.advance_to(s.server_mut(), T0 + 61_000);
    let m = sim.metrics(StrategyKind::Polling).unwrap();
    assert_eq!(m.commands, 100 + 61 * 100 + 100);
    assert_eq!(m.given_up, 100);
    // Two staggered pollers: twice the TTLs, half the lateness.
    let (mut s, mut two) = start(&Config { pollers: 2, ..cfg });
    run_to_end(&mut s, &mut two);
    let m2 = two.metrics(StrategyKind::Polling).unwrap();
    assert!(m2.lateness.max_ms <= 500, "{:?}", m2.lateness);
}

#[test]
fn step_goes_to_the_next_retry_and_next_times_say_what_is_coming() {
    let cfg = Config {
        operations: 5,
        schedule: test_mode(3),
        ..Config::default()
    };
    let (mut s, mut sim) = start(&cfg);
    assert_eq!(
        sim.next_event_time(),
        Some(T0 + 100).min(Some(sim.next_due_time().unwrap()))
    );
    sim.advance_to(s.server_mut(), T0 + 60_000);
    let due = sim.next_due_time().unwrap();
    assert!(due > T0 + 60_000 && due <= T0 + 120_000);
    let p = sim.step(s.server_mut(), T0 + 3_600_000, u64::MAX);
    assert!(p.caught_up);
    assert!(
        p.now_ms >= due && p.now_ms < due + 1_000,
        "stepped to {} for a retry due at {}",
        p.now_ms - T0,
        due - T0
    );
    let made: u64 = sim.all_metrics().iter().map(|m| m.retries).sum();
    assert!(made >= 1);
    // Stepping with a limit before anything is due just moves to the limit.
    let now = sim.now_ms();
    let p = sim.step(s.server_mut(), now + 1, u64::MAX);
    assert_eq!(p.now_ms, now + 1);
    run_to_end(&mut s, &mut sim);
    assert_eq!(sim.next_event_time(), None);
}

#[test]
fn reset_replays_the_run_and_stop_closes_its_connections() {
    let cfg = Config {
        operations: 20,
        schedule: test_mode(3),
        ..Config::default()
    };
    let (mut s, mut sim) = start(&cfg);
    run_to_end(&mut s, &mut sim);
    let first = sim.all_metrics();
    // Reset where the world is now (its clock never goes back).
    sim.reset(s.server_mut(), sim.now_ms());
    assert_eq!(sim.all_metrics().iter().map(|m| m.retries).sum::<u64>(), 0);
    run_to_end(&mut s, &mut sim);
    assert_eq!(sim.all_metrics(), first);
    sim.stop(s.server_mut());
    assert_eq!(
        s.exec("PUBSUB NUMSUB __keyevent@11__:expired"),
        "1) \"__keyevent@11__:expired\"\n2) (integer) 0"
    );
    let p = sim.advance_to(s.server_mut(), sim.now_ms() + 1_000);
    assert!(p.caught_up);
}

#[test]
fn a_config_out_of_range_is_clamped_or_rejected() {
    let c = Config {
        operations: 0,
        failure_probability: 7.0,
        arrival_spread_ms: -5,
        pollers: 99,
        listeners: 0,
        queue_workers: 1_000,
        poll_interval_ms: 0,
        queue_batch: 0,
        log_capacity: u32::MAX,
        schedule: ScheduleConfig {
            backoff: Backoff::Exponential {
                base_s: 0,
                factor: -3.0,
                cap_s: 0,
            },
            max_retries: 1_000,
            ..ScheduleConfig::default()
        },
        ..Config::default()
    }
    .normalized()
    .unwrap();
    assert_eq!(
        (c.operations, c.failure_probability, c.arrival_spread_ms),
        (1, 1.0, 0)
    );
    assert_eq!(
        (
            c.pollers,
            c.listeners,
            c.queue_workers,
            c.poll_interval_ms,
            c.queue_batch
        ),
        (16, 1, 16, 10, 1)
    );
    assert_eq!(
        c.schedule.backoff,
        Backoff::Exponential {
            base_s: 1,
            factor: 1.0,
            cap_s: 1
        }
    );
    assert_eq!(c.schedule.max_retries, 50);
    assert_eq!(
        Config {
            operations: 1_000_000,
            ..Config::default()
        }
        .normalized()
        .unwrap()
        .operations,
        10_000
    );

    let rejected = |c: Config| c.normalized().unwrap_err().field;
    assert_eq!(
        rejected(Config {
            failure_probability: f64::NAN,
            ..Config::default()
        }),
        "failure_probability"
    );
    let empty = ScheduleConfig {
        backoff: Backoff::List {
            intervals_s: vec![],
        },
        ..ScheduleConfig::default()
    };
    assert_eq!(
        rejected(Config {
            schedule: empty,
            ..Config::default()
        }),
        "schedule"
    );
    assert_eq!(
        rejected(Config {
            queue_db: 10,
            ..Config::default()
        }),
        "queue_db"
    );
    assert_eq!(
        rejected(Config {
            events_db: 16,
            ..Config::default()
        }),
        "events_db"
    );
    assert_eq!(
        rejected(Config {
            polling: false,
            events: false,
            queue: false,
            stream: false,
            ..Config::default()
        }),
        "strategies"
    );
    let backwards = Some(Window {
        start_ms: 10,
        end_ms: 5,
    });
    assert_eq!(
        rejected(Config {
            outage: backwards,
            ..Config::default()
        }),
        "outage"
    );
    let mut s = session();
    assert!(Simulation::new(
        &Config {
            listener_outage: backwards,
            ..Config::default()
        },
        s.server_mut(),
        T0
    )
    .is_err());

    // Extreme but valid values run without trouble.
    let cfg = Config {
        operations: 3,
        arrival_spread_ms: i64::MAX,
        outage: Some(Window {
            start_ms: i64::MIN,
            end_ms: i64::MAX,
        }),
        schedule: ScheduleConfig {
            backoff: Backoff::List {
                intervals_s: vec![u32::MAX, 0],
            },
            max_retries: 3,
            ..ScheduleConfig::default()
        },
        ..Config::default()
    };
    let mut sim = Simulation::new(&cfg, s.server_mut(), T0).unwrap();
    sim.advance_to(s.server_mut(), T0 + 86_400_000);
    sim.advance_to(s.server_mut(), T0 - 5);
    assert!(
        !sim.advance_bounded(s.server_mut(), i64::MAX, 10_000)
            .caught_up
    );
    for now in [i64::MIN, -1, i64::MAX - 10] {
        assert_eq!(
            Simulation::new(&cfg, s.server_mut(), now)
                .err()
                .map(|e| e.field),
            Some("now_ms")
        );
    }
    assert!(sim.timeline(StrategyKind::Polling, 0).is_none());
    assert!(sim.timeline(StrategyKind::Polling, 4).is_none());
    assert!(sim
        .timelines(StrategyKind::Queue, u32::MAX, u32::MAX)
        .is_empty());
}

#[test]
fn ten_thousand_operations_run_to_completion_without_panics() {
    let cfg = Config {
        operations: 10_000,
        arrival_spread_ms: 300_000,
        schedule: ScheduleConfig {
            jitter: Jitter::Equal,
            ..test_mode(6)
        },
        outage: Some(Window {
            start_ms: 60_000,
            end_ms: 240_000,
        }),
        listener_outage: Some(Window {
            start_ms: 400_000,
            end_ms: 420_000,
        }),
        ..Config::default()
    };
    let (mut s, mut sim) = start(&cfg);
    // As the page would at 3600×: ~58 s of world time per frame, a bounded amount of work each.
    let mut now = T0;
    let mut frames = 0;
    while !sim.is_finished() {
        now += 57_600;
        while !sim.advance_bounded(s.server_mut(), now, 100_000).caught_up {}
        frames += 1;
        assert!(frames < 10_000);
    }
    for m in sim.all_metrics() {
        assert_eq!(m.successes + m.given_up + m.lost, 10_000, "{m:?}");
        assert_eq!(m.waiting + m.not_arrived, 0);
        assert!(m.commands > 20_000);
    }
    assert!(sim.metrics(StrategyKind::Events).unwrap().lost > 0);
    assert!(sim.log_since(0).count() <= 2_000);
    for kind in sim.strategies() {
        assert_eq!(sim.timelines(kind, 1, 10_000).len(), 10_000);
        assert!(!sim.series(kind).is_empty());
    }
}
