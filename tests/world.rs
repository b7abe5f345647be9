//! The world's orchestration, natively: how the wall clock moves the world clock, the
//! simulation and the server's timed work, in that order; consoles as handles; the views
//! a page reads; the simulation's lifecycle; saving and starting afresh.

mod common;

use common::T0;
use redis_playground::retry::Config;
use redis_playground::session::Mode;
use redis_playground::World;

fn world() -> World {
    World::with_seed(T0, 7)
}

#[test]
fn wall_time_moves_world_time_by_the_speed_and_runs_the_expiry_cycle() {
    let mut w = world();
    w.exec("SET k v PX 1500");
    w.set_speed(T0, 10.0);
    // 200 ms of wall time at 10x: 2 s of world time, past the TTL; the active cycle
    // deletes the key without anybody touching it.
    w.sync(T0 + 200.0);
    assert_eq!(w.now_ms(), T0 as i64 + 2_000);
    assert_eq!(w.db_sizes()[0], 0);
    assert!(w.exec("INFO stats").contains("expired_keys:1\r\n"));
}

#[test]
fn a_paused_world_ignores_the_wall_but_can_be_advanced_by_hand() {
    let mut w = world();
    w.pause(T0);
    w.sync(T0 + 60_000.0);
    assert_eq!(w.now_ms(), T0 as i64);
    w.advance(T0 + 60_000.0, 250.0);
    assert_eq!(w.now_ms(), T0 as i64 + 250);
    w.resume(T0 + 60_000.0);
    w.sync(T0 + 60_100.0);
    assert_eq!(w.now_ms(), T0 as i64 + 350);
}

#[test]
fn next_due_is_the_earliest_ttl_or_blocking_timeout() {
    let mut w = world();
    assert_eq!(w.next_due(), None);
    w.exec("SET k v PX 5000");
    assert_eq!(w.next_due(), Some(T0 as i64 + 5_000));
    let other = w.open_console(T0);
    w.console(other).unwrap().exec("BLPOP q 2");
    assert_eq!(w.next_due(), Some(T0 as i64 + 2_000));
    // The wait ends at its deadline, in the console that waited.
    w.advance(T0, 2_000.0);
    let mut c = w.console(other).unwrap();
    assert_eq!(c.take_messages(), "(nil)\n(2.00s)");
    assert_eq!(c.mode(), Mode::Ready);
    assert_eq!(w.next_due(), Some(T0 as i64 + 5_000));
}

#[test]
fn each_console_is_its_own_handle_with_its_own_client_and_db() {
    let mut w = world();
    let b = w.open_console(T0);
    assert_eq!(w.console_ids(), vec![0, b]);
    w.console(b).unwrap().exec("SELECT 4");
    assert_eq!(w.console(0).unwrap().db(), 0);
    assert_eq!(w.console(b).unwrap().prompt(), "127.0.0.1:6379[4]> ");
    let (ia, ib) = (
        w.console(0).unwrap().client_id(),
        w.console(b).unwrap().client_id(),
    );
    assert_ne!(ia, ib);
    assert!(w.close_console(b));
    assert!(w.console(b).is_none());
    assert!(!w.close_console(0), "the last console stays");
    // The closed console's client is gone from the server, not merely marked.
    assert_eq!(w.exec("CLIENT LIST").matches("id=").count(), 1);
    assert!(!w.server().is_connected(ib));
}

#[test]
fn closed_connections_are_freed_whatever_closed_them() {
    let mut w = world();
    for _ in 0..100 {
        let id = w.open_console(T0);
        let mut c = w.console(id).unwrap();
        c.exec("SUBSCRIBE ch");
        c.interrupt();
        w.close_console(id);
    }
    w.exec("CLIENT KILL TYPE pubsub");
    assert_eq!(w.server().clients().len(), 1);
    assert_eq!(w.exec("PUBSUB NUMSUB ch"), "1) \"ch\"\n2) (integer) 0");
}

#[test]
fn the_keyspace_listing_scans_a_whole_db_up_to_a_limit_and_changes_nothing() {
    let mut w = world();
    for i in 0..2_500 {
        w.exec(&format!("SET key:{i} v"));
    }
    w.exec("SET other v");
    let before = w.exec("INFO stats");
    let rows = w.keyspace(0, Some("key:*"), 10_000).unwrap();
    assert_eq!(rows.len(), 2_500);
    assert_eq!(w.keyspace(0, None, 100).unwrap().len(), 100);
    assert!(w.keyspace(99, None, 10).is_none());
    let strip = |s: String| -> String {
        s.lines()
            .filter(|l| !l.starts_with("total_commands_processed"))
            .collect()
    };
    assert_eq!(strip(before), strip(w.exec("INFO stats")));
}

#[test]
fn a_simulation_that_lags_the_clock_catches_up_in_bounded_steps() {
    let mut w = world();
    let cfg = Config {
        operations: 2_000,
        arrival_spread_ms: 0,
        ..Config::default()
    };
    w.sim_start(&cfg, T0).unwrap();
    w.set_speed(T0, 3600.0);
    // An hour of world time in one sync is far more than one frame's work.
    w.sync(T0 + 1_000.0);
    let sim_now = w.sim().unwrap().now_ms();
    assert!(sim_now < w.now_ms(), "the simulation lags the clock");
    let p = w.sim_advance(T0 + 1_000.0, u64::MAX).unwrap();
    assert!(p.caught_up);
    assert_eq!(w.sim().unwrap().now_ms(), w.now_ms());
}

#[test]
fn a_refused_config_leaves_the_running_simulation_alone() {
    let mut w = world();
    w.sim_start(&Config::default(), T0).unwrap();
    let started = w.sim().unwrap().start_ms();
    let bad = Config {
        polling: false,
        events: false,
        queue: false,
        stream: false,
        ..Config::default()
    };
    assert!(w.sim_start(&bad, T0 + 10.0).is_err());
    assert_eq!(w.sim().unwrap().start_ms(), started);
    w.sim_stop();
    assert!(w.sim().is_none());
}

#[test]
fn stepping_jumps_the_clock_to_the_next_retry() {
    let mut w = world();
    w.pause(T0);
    let cfg = Config {
        operations: 3,
        arrival_spread_ms: 0,
        ..Config::default()
    };
    w.sim_start(&cfg, T0).unwrap();
    let p = w.sim_step(T0).unwrap();
    // The three operations fail at once; the seed's first retry is 5 minutes later (the
    // strategies notice it at their own pace, within a poll interval). The paused world
    // clock jumps there with the simulation.
    let first_retry = T0 as i64 + 300_000;
    assert!(
        p.now_ms >= first_retry && p.now_ms < first_retry + 2_000,
        "{}",
        p.now_ms
    );
    assert_eq!(w.now_ms(), p.now_ms);
}

#[test]
fn restoring_a_snapshot_stops_the_simulation_and_keeps_the_keys() {
    let mut w = world();
    w.exec("SET kept v");
    let snap = w.snapshot(T0).unwrap();
    w.sim_start(&Config::default(), T0).unwrap();
    let stats = w.restore(&snap, T0).unwrap();
    assert_eq!(stats.keys, 1);
    assert!(w.sim().is_none());
    assert_eq!(w.exec("GET kept"), "\"v\"");
}

#[test]
fn starting_afresh_empties_everything_and_views_see_a_new_generation() {
    let mut w = world();
    w.exec("SET a 1");
    let other = w.open_console(T0);
    w.console(other).unwrap().exec("SELECT 3");
    w.sim_start(&Config::default(), T0).unwrap();
    let before = w.generation();
    w.reset(T0 + 5.0);
    assert!(w.generation() > before);
    assert!(w.sim().is_none());
    assert_eq!(w.db_sizes().iter().sum::<usize>(), 0);
    assert_eq!(w.console(other).unwrap().prompt(), "127.0.0.1:6379> ");
    assert_eq!(w.console_ids(), vec![0, other]);
}

#[test]
fn a_save_request_reaches_the_page_once() {
    let mut w = world();
    assert!(!w.take_save_request());
    w.exec("SAVE");
    assert!(w.take_save_request());
    assert!(!w.take_save_request());
    w.mark_saved(T0 + 1_000.0);
    assert_eq!(
        w.exec("LASTSAVE"),
        format!("(integer) {}", (T0 as i64 + 1_000) / 1000)
    );
}

/// A small run, paused, past everyone's first failure.
fn run_past_first_failures() -> World {
    let mut w = world();
    w.pause(T0);
    let cfg = Config {
        operations: 12,
        arrival_spread_ms: 1_000,
        failure_probability: 0.5,
        ..Config::default()
    };
    w.sim_start(&cfg, T0).unwrap();
    w.advance(T0, 60_000.0);
    w
}

/// Run the simulation to its end in bounded steps; the world clock stays a sane date.
fn run_to_the_end(w: &mut World) {
    for _ in 0..10_000 {
        if w.sim().unwrap().is_finished() {
            break;
        }
        w.advance(T0, 3_600_000.0);
        while !w.sim_advance(T0, 100_000).unwrap().caught_up {}
    }
    assert!(w.sim().unwrap().is_finished(), "the run ends");
    assert!(
        w.now_ms() < T0 as i64 + 30 * 86_400_000,
        "the clock stayed near now"
    );
}

#[test]
fn the_simulation_survives_what_a_console_does_to_its_keys() {
    for meddling in [
        &["FLUSHALL"][..],
        &[
            "SELECT 10",
            "FLUSHDB",
            "SELECT 11",
            "FLUSHDB",
            "SELECT 12",
            "FLUSHDB",
            "SELECT 0",
        ],
        &[
            "SELECT 11",
            "DEL order:1 order:2 order:3 order:4 order:5",
            "SELECT 0",
        ],
        &["SELECT 12", "DEL retry", "SELECT 0"],
        &["CONFIG SET notify-keyspace-events \"\""],
        &["SWAPDB 10 0", "SWAPDB 11 1", "SWAPDB 12 2"],
    ] {
        let mut w = run_past_first_failures();
        for line in meddling {
            w.exec(line);
        }
        // Step returns, and moves the clock by a bounded amount.
        let before = w.now_ms();
        let p = w.sim_step(T0).expect("a running simulation");
        assert!(
            p.now_ms - before < 86_400_000,
            "{meddling:?}: stepped {} ms",
            p.now_ms - before
        );
        run_to_the_end(&mut w);
        let lost: u64 = w.sim().unwrap().all_metrics().iter().map(|m| m.lost).sum();
        if meddling == &["FLUSHALL"][..] {
            assert!(
                lost > 0,
                "operations whose keys vanished are lost, not waited for"
            );
        }
    }
}

#[test]
fn stepping_a_finished_simulation_leaves_the_clock_alone() {
    let mut w = run_past_first_failures();
    run_to_the_end(&mut w);
    let before = w.now_ms();
    let p = w.sim_step(T0).unwrap();
    assert_eq!(p.now_ms, w.sim().unwrap().now_ms());
    assert_eq!(w.now_ms(), before);
    assert_eq!(w.exec("SET k v EX 10"), "OK", "TTLs still work");
}

#[test]
fn no_call_moves_the_clock_to_an_absurd_time_and_restore_refuses_one() {
    let mut w = world();
    w.advance(T0, f64::MAX);
    assert_eq!(
        w.now_ms(),
        253_402_300_799_999,
        "the end of year 9999 at most"
    );
    assert_eq!(w.exec("SET k v EX 10"), "OK");
    let mut snap = w.snapshot(T0).unwrap();
    // The world time field follows the 8-byte magic and the u16 version; the checksum
    // (CRC-32, the last four bytes) is made right again, so only the clock is wrong.
    snap[10..18].copy_from_slice(&9.2e18f64.to_le_bytes());
    let body = snap.len() - 4;
    let crc = crc32(&snap[..body]);
    snap[body..].copy_from_slice(&crc.to_le_bytes());
    let err = World::new(T0).restore(&snap, T0).unwrap_err();
    assert!(err.to_string().contains("clock"), "{err}");
}

/// CRC-32 (IEEE), as snapshots carry it.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn back_to_now_puts_the_world_at_real_time_but_not_under_a_running_simulation() {
    let mut w = world();
    w.exec("SET k v EX 7200");
    w.advance(T0, 3_600_000.0);
    w.set_speed(T0, 60.0);
    assert_eq!(w.exec("TTL k"), "(integer) 3600");
    w.back_to_now(T0 + 1000.0).unwrap();
    assert_eq!(w.now_ms(), T0 as i64 + 1000);
    assert_eq!(w.clock().speed(), 1.0);
    assert_eq!(
        w.exec("TTL k"),
        "(integer) 7199",
        "TTLs keep their absolute times"
    );
    w.sim_start(&Config::default(), T0 + 1000.0).unwrap();
    assert!(w.back_to_now(T0 + 2000.0).is_err());
}
