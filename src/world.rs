//! The world a page (or a test, or the RESP bridge) runs: one server, its consoles, the
//! world clock and the retry simulation, and the order in which time moves them.
//!
//! Every method that lets time pass takes the wall clock's reading (`wall_ms`, ms since
//! the Unix epoch) and first brings the world up to it (`sync`): the clock moves by the
//! wall time elapsed times its speed, the simulation catches up (a bounded amount of
//! work), then the server runs its timed work (blocking timeouts, active expiry). The
//! engine never reads a clock itself.

use crate::clock::{Clock, Ms};
use crate::inspect::{self, KeyRow, ValueView};
use crate::persist::{self, Imported, LoadError, LoadStats, TooBig};
use crate::reply::Reply;
use crate::retry::{Config as SimConfig, ConfigError, Progress, Simulation};
use crate::server::{ClientId, Server};
use crate::session::{Console, ConsoleMut};
use std::collections::BTreeMap;

/// Work the simulation may do per sync (commands plus expiry cycles): a frame's worth.
pub const SIM_FRAME_BUDGET: u64 = 20_000;

/// Work one Step may do at most (a Step is a click, so it may take a few frames' worth).
pub const SIM_STEP_BUDGET: u64 = 200_000;

/// Rows a whole-db listing reads per scan step.
const LISTING_STEP: usize = 1000;

pub struct World {
    server: Server,
    clock: Clock,
    /// The open consoles by id. Ids are never reused (a page may still hold a closed one's),
    /// and a closed console leaves nothing behind.
    consoles: BTreeMap<usize, Console>,
    /// The id the next console gets.
    next_console: usize,
    /// The connection `side_exec` uses.
    side: Option<ClientId>,
    /// The retry simulation, when one runs.
    sim: Option<Simulation>,
    /// Argument vectors kept from line to line, shared by the consoles.
    argv: Vec<Vec<u8>>,
}

impl World {
    /// A fresh server (16 empty databases) with one console (id 0), its clock starting at
    /// `wall_ms` and running at 1×.
    pub fn new(wall_ms: f64) -> World {
        World::with_seed(wall_ms, 0x5eed_2024)
    }

    /// As `new`, with an explicit seed for the server's RNG (RANDOMKEY, expiry sampling).
    pub fn with_seed(wall_ms: f64, seed: u64) -> World {
        let clock = Clock::new(wall_ms);
        let mut server = Server::new(clock.now_ms(), seed);
        let first = Console::connect(&mut server);
        World {
            server,
            clock,
            consoles: BTreeMap::from([(0, first)]),
            next_console: 1,
            side: None,
            sim: None,
            argv: Vec::new(),
        }
    }

    pub fn server(&self) -> &Server {
        &self.server
    }

    pub fn server_mut(&mut self) -> &mut Server {
        &mut self.server
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    // ---- time ----

    /// Bring the world up to the wall clock: the clock moves, the simulation catches up
    /// (bounded), then the server runs its timed work. While the simulation lags, the
    /// server's expiry follows the simulation, not the clock (expiring keys ahead of it
    /// would make its retries early).
    pub fn sync(&mut self, wall_ms: f64) {
        self.clock.sync(wall_ms);
        let now = self.clock.now_ms();
        // While a script runs, the simulation's clients wait behind it like any client:
        // the simulation catches up once the script has ended.
        let script_runs = self.server.scripting().running.is_some();
        if let Some(sim) = self.sim.as_mut().filter(|_| !script_runs) {
            let p = sim.advance_bounded(&mut self.server, now, SIM_FRAME_BUDGET);
            if !p.caught_up {
                self.server.tick(p.now_ms);
                return;
            }
        }
        self.server.tick(now);
    }

    /// World time, ms since the epoch.
    pub fn now_ms(&self) -> Ms {
        self.clock.now_ms()
    }

    /// Run the world at `speed` × real time (clamped to 0…3600).
    pub fn set_speed(&mut self, wall_ms: f64, speed: f64) {
        self.sync(wall_ms);
        self.clock.set_speed(speed);
    }

    pub fn pause(&mut self, wall_ms: f64) {
        self.sync(wall_ms);
        self.clock.pause();
    }

    pub fn resume(&mut self, wall_ms: f64) {
        self.sync(wall_ms);
        self.clock.resume();
    }

    /// "Back to now": world time set to the wall clock (usually back, after steps or a fast
    /// speed), at 1×, running. TTLs keep their absolute expiry times (a key set to expire in
    /// an hour of the world that ran ahead has longer to live). Refused while the retry
    /// simulation runs: its schedule only moves forward.
    pub fn back_to_now(&mut self, wall_ms: f64) -> Result<(), &'static str> {
        if self.sim.as_ref().is_some_and(|s| !s.is_finished()) {
            return Err("the retry simulation is running: stop it (or let it finish) first");
        }
        self.sync(wall_ms);
        self.clock.back_to_wall();
        self.sync(wall_ms);
        Ok(())
    }

    /// Jump world time forward by `ms`, and let everything due meanwhile happen.
    pub fn advance(&mut self, wall_ms: f64, ms: f64) {
        self.sync(wall_ms);
        self.clock.advance(ms);
        self.sync(wall_ms);
    }

    /// The earliest world time at which something is due: a key's TTL runs out or a
    /// blocking command times out.
    pub fn next_due(&self) -> Option<Ms> {
        [self.server.next_expiry(), self.server.next_block_deadline()]
            .into_iter()
            .flatten()
            .min()
    }

    // ---- consoles ----

    /// Open another console (a new client at db 0); returns its id.
    pub fn open_console(&mut self, wall_ms: f64) -> usize {
        self.sync(wall_ms);
        let id = self.next_console;
        self.next_console += 1;
        self.consoles.insert(id, Console::connect(&mut self.server));
        id
    }

    /// Close console `id` (its connection ends). The last console cannot be closed.
    pub fn close_console(&mut self, id: usize) -> bool {
        if self.consoles.len() <= 1 {
            return false;
        }
        let Some(c) = self.consoles.remove(&id) else {
            return false;
        };
        self.server.disconnect(c.client());
        true
    }

    /// The ids of the open consoles, oldest first.
    pub fn console_ids(&self) -> Vec<usize> {
        self.consoles.keys().copied().collect()
    }

    /// Console `id` at work, or None if there is no such console.
    pub fn console(&mut self, id: usize) -> Option<ConsoleMut<'_>> {
        let console = self.consoles.get_mut(&id)?;
        Some(ConsoleMut {
            console,
            server: &mut self.server,
            clock: &self.clock,
            argv: &mut self.argv,
        })
    }

    /// The oldest open console (there always is one: the last can't be closed).
    pub fn first_console(&mut self) -> ConsoleMut<'_> {
        let id = match self.consoles.keys().next() {
            Some(&id) => id,
            None => {
                self.next_console += 1;
                self.next_console - 1
            }
        };
        let server = &mut self.server;
        let console = self
            .consoles
            .entry(id)
            .or_insert_with(|| Console::connect(server));
        ConsoleMut {
            console,
            server: &mut self.server,
            clock: &self.clock,
            argv: &mut self.argv,
        }
    }

    /// The consoles whose connection has something to read (pushed messages, a blocked
    /// command's answer) or was closed by the server, since the last call.
    pub fn consoles_with_news(&mut self) -> Vec<usize> {
        let news = self.server.take_news();
        self.consoles
            .iter()
            .filter(|(_, c)| news.contains(&c.client()))
            .map(|(&id, _)| id)
            .collect()
    }

    /// Run a line in the first console (the one a page starts with): what `redis-cli
    /// --no-raw` prints for it.
    pub fn exec(&mut self, line: &str) -> String {
        self.first_console().exec(line)
    }

    /// Run one command in the first console; the reply tree.
    pub fn exec_args(&mut self, argv: &[Vec<u8>]) -> Reply {
        self.first_console().exec_args(argv)
    }

    /// Run a line on a second connection to the same server (created on first use), as
    /// another redis-cli would: no console's client, prompt or db is touched. For
    /// publishing to a subscribed console, and for checks that must not disturb it.
    pub fn side_exec(&mut self, line: &str) -> String {
        let side = match self.side {
            Some(c) if self.server.is_connected(c) => c,
            _ => {
                let c = self.server.connect();
                self.side = Some(c);
                c
            }
        };
        let now = self.clock.now_ms();
        self.server.tick(now);
        match crate::cli::parse_line(line) {
            crate::cli::Line::Empty => String::new(),
            crate::cli::Line::Message(m) => m.to_string(),
            crate::cli::Line::Command { repeat, argv } => {
                let mut out = String::new();
                for _ in 0..repeat {
                    let reply = self.server.execute(side, &argv, now);
                    crate::cli::print_into(&mut out, &argv, &reply);
                }
                crate::cli::trim_final_newline(out)
            }
        }
    }

    // ---- views (read-only, no access counted) ----

    /// Up to `limit` keys of a db, optionally matching a glob pattern: a whole read-only
    /// scan. None for a db that doesn't exist.
    pub fn keyspace(&self, db: usize, pattern: Option<&str>, limit: usize) -> Option<Vec<KeyRow>> {
        let now = self.now_ms();
        let mut rows = Vec::new();
        let mut cursor = 0;
        loop {
            let (next, found) =
                inspect::scan_keys(&self.server, db, cursor, pattern, None, LISTING_STEP, now)?;
            rows.extend(found);
            cursor = next;
            if cursor == 0 || rows.len() >= limit {
                break;
            }
        }
        rows.truncate(limit);
        Some(rows)
    }

    /// One read-only SCAN step for a view.
    pub fn scan_keys(
        &self,
        db: usize,
        cursor: u64,
        pattern: Option<&str>,
        type_name: Option<&str>,
        count: usize,
    ) -> Option<(u64, Vec<KeyRow>)> {
        inspect::scan_keys(
            &self.server,
            db,
            cursor,
            pattern,
            type_name,
            count,
            self.now_ms(),
        )
    }

    /// A page of the value at a key.
    pub fn inspect(&self, db: usize, key: &[u8], offset: usize, limit: usize) -> Option<ValueView> {
        inspect::inspect(&self.server, db, key, offset, limit, self.now_ms())
    }

    /// The number of keys in each database.
    pub fn db_sizes(&self) -> Vec<usize> {
        self.server.dbs().iter().map(|d| d.len()).collect()
    }

    /// The keys of `db` evicted lately (maxmemory), newest first: key (lossy text), the
    /// policy, why it was picked, and when (world ms).
    pub fn recent_evictions(&self, db: usize) -> Vec<(String, &'static str, String, Ms)> {
        let mut out: Vec<_> = self
            .server
            .recent_evictions()
            .filter(|e| e.db == db)
            .map(|e| {
                (
                    String::from_utf8_lossy(&e.key).into_owned(),
                    e.policy.name(),
                    e.why.clone(),
                    e.at,
                )
            })
            .collect();
        out.reverse();
        out
    }

    /// A number that moves whenever any key changes.
    pub fn generation(&self) -> u64 {
        self.server.generation()
    }

    /// What scripts logged with `redis.log` (at `notice` and above, as Redis's log file
    /// holds them) after line number `seq` (0: every line kept): `(seq, world ms, level
    /// 0-3, text)`, oldest first.
    pub fn server_log(&self, seq: u64) -> Vec<(u64, Ms, u8, String)> {
        self.server
            .scripting()
            .log_since(seq)
            .map(|l| {
                (
                    l.seq,
                    l.at_ms,
                    l.level,
                    String::from_utf8_lossy(&l.text).into_owned(),
                )
            })
            .collect()
    }

    /// Stop the running script at once, writes or not (a shared link's runner does when a
    /// script doesn't end within its first slice). False when none runs.
    pub fn stop_script(&mut self) -> bool {
        let now = self.now_ms();
        self.server.stop_running_script(now)
    }

    /// Whether a script runs (the page may say what the consoles wait for), and for how
    /// long so far (world ms).
    pub fn running_script(&self) -> Option<(String, i64)> {
        let r = self.server.scripting().running.as_ref()?;
        Some((
            r.ctx.name.clone(),
            self.now_ms().saturating_sub(r.ctx.start_ms),
        ))
    }

    /// Bytes the engine holds (`memory.rs`).
    pub fn memory_used(&self) -> usize {
        crate::memory::used()
    }

    /// Cap what the engine may hold at `bytes` (or, with `None`, at `memory::LIMIT`): past
    /// it, commands that grow the dataset get Redis's OOM error. The page lowers it while a
    /// shared link runs, so a link can build only so much.
    pub fn set_memory_limit(&mut self, bytes: Option<usize>) {
        crate::memory::set_limit(bytes);
    }

    // ---- the world as a whole ----

    /// The whole world (keyspace and clock) as a snapshot (`persist.rs`), or why it is too
    /// big to hand over.
    pub fn snapshot(&mut self, wall_ms: f64) -> Result<Vec<u8>, TooBig> {
        self.sync(wall_ms);
        persist::snapshot(&self.server, &self.clock, wall_ms)
    }

    /// Replace the keyspace and the clock with a snapshot's; the simulation stops. The
    /// world clock goes on from the saved world time by the wall time since the save, at
    /// 1× (exactly the saved time if it was paused); keys whose TTL ran out meanwhile are
    /// not loaded. On an error nothing changes.
    pub fn restore(&mut self, bytes: &[u8], wall_ms: f64) -> Result<LoadStats, LoadError> {
        let loaded = persist::read_snapshot(bytes, &self.server.encodings())?;
        let gap = if loaded.paused {
            0.0
        } else {
            (wall_ms - loaded.wall_ms).max(0.0)
        };
        self.clock = Clock::restored(loaded.world_ms + gap, wall_ms, loaded.speed, loaded.paused);
        let now = self.clock.now_ms();
        self.server.replace_acl(loaded.users.clone());
        let stats = persist::load_into(&mut self.server, loaded, now);
        self.server.saved(now);
        if let Some(mut sim) = self.sim.take() {
            sim.stop(&mut self.server);
        }
        Ok(stats)
    }

    /// Whether a console ran SAVE or BGSAVE since the last call (the page saves now).
    pub fn take_save_request(&mut self) -> bool {
        self.server.take_save_request()
    }

    /// The page saved the world: LASTSAVE and INFO persistence follow.
    pub fn mark_saved(&mut self, wall_ms: f64) {
        self.sync(wall_ms);
        let now = self.now_ms();
        self.server.saved(now);
    }

    /// The keyspace as a redis-cli script (`redis-cli < file` recreates it).
    pub fn export_script(&mut self, wall_ms: f64) -> Result<String, TooBig> {
        self.sync(wall_ms);
        persist::export_script(&self.server, self.now_ms())
    }

    /// The keyspace as a `dump.rdb` file a real Redis 7.0 loads at start.
    pub fn export_rdb(&mut self, wall_ms: f64) -> Result<Vec<u8>, TooBig> {
        self.sync(wall_ms);
        persist::export_rdb(&self.server, self.now_ms())
    }

    /// The same commands in RESP (`redis-cli --pipe < file`).
    pub fn export_resp(&mut self, wall_ms: f64) -> Result<Vec<u8>, TooBig> {
        self.sync(wall_ms);
        persist::export_resp(&self.server, self.now_ms())
    }

    /// Run a redis-cli script, a RESP stream or an RDB file (detected) on a connection of
    /// its own.
    pub fn import(&mut self, bytes: &[u8], wall_ms: f64) -> Imported {
        self.sync(wall_ms);
        let now = self.now_ms();
        persist::import(&mut self.server, bytes, now)
    }

    /// Start afresh: a new server (16 empty dbs), the simulation gone, the clock at the
    /// wall clock at 1×, and every console a new connection at db 0.
    pub fn reset(&mut self, wall_ms: f64) {
        let seed = self.server.rng().u64(..);
        let generation = self.server.generation();
        self.sim = None;
        self.clock = Clock::new(wall_ms);
        self.server = Server::new(self.clock.now_ms(), seed);
        // Views compare generations: the new world's must be one they have not seen.
        self.server.follow_generation(generation);
        self.side = None;
        for c in self.consoles.values_mut() {
            *c = Console::connect(&mut self.server);
        }
    }

    // ---- the retry simulation ----

    /// Start (or restart) the simulation. A config that can't run leaves the running
    /// simulation alone.
    pub fn sim_start(&mut self, config: &SimConfig, wall_ms: f64) -> Result<(), ConfigError> {
        self.sync(wall_ms);
        config.normalized()?;
        if let Some(mut old) = self.sim.take() {
            old.stop(&mut self.server);
        }
        let now = self.now_ms();
        self.sim = Some(Simulation::new(config, &mut self.server, now)?);
        Ok(())
    }

    /// Catch the simulation up with the world clock in at most `max_work` work; None
    /// when none runs.
    pub fn sim_advance(&mut self, wall_ms: f64, max_work: u64) -> Option<Progress> {
        self.clock.sync(wall_ms);
        let now = self.now_ms();
        if self.server.scripting().running.is_some() {
            // The simulation's clients wait behind the running script.
            self.server.tick(now);
            let sim = self.sim.as_ref()?;
            return Some(Progress {
                now_ms: sim.now_ms(),
                caught_up: false,
                work: 0,
            });
        }
        let sim = self.sim.as_mut()?;
        let p = sim.advance_bounded(&mut self.server, now, max_work);
        // While the simulation lags, the server's expiry cycle follows it, not the clock.
        self.server.tick(if p.caught_up { now } else { p.now_ms });
        Some(p)
    }

    /// Step to the next retry attempt: the simulation runs up to it and the world clock
    /// jumps there. Bounded whatever the keys went through: it goes no further than the
    /// next due retry plus the time the strategies may take to notice it (past which an
    /// operation whose key is gone is lost), and with nothing due it stays where it is.
    pub fn sim_step(&mut self, wall_ms: f64) -> Option<Progress> {
        self.sync(wall_ms);
        let now = self.now_ms();
        let script_runs = self.server.scripting().running.is_some();
        let sim = self.sim.as_mut()?;
        let next = if script_runs {
            // Its clients wait behind the running script: no step.
            None
        } else {
            sim.next_due_time()
        };
        let Some(due) = next else {
            return Some(Progress {
                now_ms: sim.now_ms(),
                caught_up: true,
                work: 0,
            });
        };
        let limit = due
            .saturating_add(sim.overdue_grace())
            .saturating_add(1_000);
        let p = sim.step(&mut self.server, limit, SIM_STEP_BUDGET);
        if p.now_ms > now {
            self.clock.advance((p.now_ms - now) as f64);
        }
        Some(p)
    }

    /// Replay the run from the start at the current world time.
    pub fn sim_reset(&mut self, wall_ms: f64) {
        self.clock.sync(wall_ms);
        let now = self.now_ms();
        if let Some(sim) = self.sim.as_mut() {
            sim.reset(&mut self.server, now);
        }
    }

    /// Stop the simulation (its keys stay for inspection).
    pub fn sim_stop(&mut self) {
        if let Some(mut sim) = self.sim.take() {
            sim.stop(&mut self.server);
        }
    }

    /// The running simulation, for views.
    pub fn sim(&self) -> Option<&Simulation> {
        self.sim.as_ref()
    }
}
