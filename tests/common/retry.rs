//! What the retry simulation's tests share: a run started on a fresh world at `T0`, run to
//! its end an hour of world time at a time, and one command sent from a console.

#![allow(dead_code)]

use redis_playground::retry::{Config, Simulation};
use redis_playground::server::Server;
use redis_playground::{Reply, World};

/// The start of every run, in world ms (the same instant as `common::T0`).
pub const T0: i64 = super::T0 as i64;

/// A run of `cfg` on a fresh world, started at `T0`.
pub fn start(cfg: &Config) -> (World, Simulation) {
    let mut w = super::session();
    let sim = Simulation::new(cfg, w.server_mut(), T0).expect("a valid config");
    (w, sim)
}

/// Advance an hour of world time at a time until every operation is settled.
pub fn run_to_end(w: &mut World, sim: &mut Simulation) {
    let mut t = sim.now_ms();
    for _ in 0..1_000 {
        if sim.is_finished() {
            return;
        }
        t += 3_600_000;
        sim.advance_to(w.server_mut(), t);
    }
    panic!("the simulation did not finish");
}

/// Run one command on a fresh connection to db `db` at world time `now`.
pub fn cmd(server: &mut Server, db: u8, now: i64, line: &str) -> Reply {
    let c = server.connect();
    server.execute(c, &[b"SELECT".to_vec(), db.to_string().into_bytes()], now);
    let argv = redis_playground::cli::split_args(line.as_bytes()).expect("a valid line");
    let r = server.execute(c, &argv, now);
    server.disconnect(c);
    r
}
