//! The retry simulation: operations that failed are retried on a schedule, by three
//! strategies side by side, each in its own db of the one server, through real commands
//! (`Server::execute`) from its own connections — so the console can watch them work
//! (`SELECT 10`, `TTL order:42`; `SELECT 12`, `ZRANGE retry 0 -1 WITHSCORES`).
//!
//! Deterministic: all randomness follows the seed (see `schedule`), and time is an input.
//! `advance_to(server, now)` processes everything due up to `now` in time order — new
//! failures, the server's active expiry cycle (`hz` times a second), polls, expired events,
//! queue fetches — so advancing in many small steps or one big one gives the same run.
//!
//! The caller owns the clock. Advance the simulation to a time *before* anything else lets
//! the server run its expiry cycle at that time (e.g. call `advance_to` before
//! `Session::sync`'s `Server::tick`), or expired events would be seen late.

pub mod config;
mod events;
pub mod guard;
pub mod layers;
pub mod log;
pub mod metrics;
mod polling;
mod queue;
pub mod schedule;
mod stream;
pub mod track;

pub use config::{
    Backoff, BreakerConfig, Config, ConfigError, Jitter, QueueClaim, RetryBudget, ScheduleConfig,
    StrategyKind, Window,
};
pub use guard::{BreakerMark, BreakerState};
pub use log::{Actor, LogEntry};
pub use metrics::{Lateness, LatenessBucket, Metrics, SeriesBucket};
pub use queue::QUEUE_KEY;
pub use schedule::Schedule;
pub use stream::{DEAD_KEY, GROUP as STREAM_GROUP, STREAM_KEY};
pub use track::{op_key, retry_count_key, AttemptMark, OpState, OpTimeline, Outcome, Wait};

use crate::clock::Ms;
use crate::reply::Reply;
use crate::server::NotifyFlags;
use crate::server::Server;
use events::Events;
use log::{argv, CommandLog, SimClient, Wire};
use polling::Polling;
use queue::Queue;
use schedule::{Failures, Stream};
use stream::StreamGroup;
use track::Track;

/// How far a call got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(
    target_arch = "wasm32",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Progress {
    /// The simulation's time now.
    pub now_ms: Ms,
    /// False when the work bound stopped the call early: call again to catch up.
    pub caught_up: bool,
    /// Commands sent and expiry cycles run by this call.
    pub work: u64,
}

/// What happens next, in the order things due at the same millisecond are processed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Source {
    ListenerDown,
    ListenerUp,
    Arrival,
    Tick,
    Poll,
    QueuePoll,
    Reclaim,
}

/// Send a command for a strategy, counting it.
fn issue(track: &mut Track, wire: &mut Wire, client: &mut SimClient, argv: Vec<Vec<u8>>) -> Reply {
    track.commands(wire.now, 1);
    wire.send(client, argv)
}

/// An operation fails for the first time in a strategy that keeps it as a key with a TTL
/// (polling, events): `SETEX order:<op> <first delay> pending`. True if it will retry.
fn arrive_as_ttl_key(
    track: &mut Track,
    wire: &mut Wire,
    app: &mut SimClient,
    op: u32,
    schedule: &Schedule,
    failures: &Failures,
) -> bool {
    let Some(delay_s) = track.arrive(op, wire.now, schedule, failures) else {
        return false;
    };
    let key = track::op_key(op);
    let delay = delay_s.to_string();
    let cmd = log::argv([b"SETEX", key.as_bytes(), delay.as_bytes(), b"pending"]);
    issue(track, wire, app, cmd);
    true
}

/// The seed's reaction to an attempt on an operation kept as a key with a TTL (the
/// polling and event strategies): a retry counts itself and re-arms the key with the next
/// delay; success or the last retry deletes both keys.
fn settle_ttl_attempt(
    track: &mut Track,
    wire: &mut Wire,
    client: &mut SimClient,
    op: u32,
    next: track::Next,
) {
    let key = track::op_key(op);
    let rc = track::retry_count_key(op);
    match next {
        track::Next::Retry { delay_s } => {
            issue(track, wire, client, log::argv([b"INCR", rc.as_bytes()]));
            let delay = delay_s.to_string();
            issue(
                track,
                wire,
                client,
                log::argv([b"SETEX", key.as_bytes(), delay.as_bytes(), b"pending"]),
            );
        }
        track::Next::GiveUp | track::Next::Done => {
            issue(
                track,
                wire,
                client,
                log::argv([b"DEL", key.as_bytes(), rc.as_bytes()]),
            );
        }
    }
}

pub struct Simulation {
    config: Config,
    start: i64,
    now: Ms,
    schedule: Schedule,
    failures: Failures,
    /// (absolute time, op), sorted.
    arrivals: Vec<(i64, u32)>,
    next_arrival: usize,
    next_tick: i64,
    /// 0 before the listener outage, 1 during, 2 after.
    listener_phase: u8,
    bucket_ms: i64,
    polling: Option<Polling>,
    events: Option<Events>,
    queue: Option<Queue>,
    stream: Option<StreamGroup>,
    log: CommandLog,
    setup: SimClient,
    stopped: bool,
}

/// The latest world time a run may start at (the last millisecond of year 9999), so that
/// its times stay far from overflowing.
pub const MAX_WORLD_MS: i64 = 253_402_300_799_999;

/// `notify-keyspace-events` must have these for the event strategy: `Ex`.
pub(crate) const EXPIRED_KEYEVENTS: NotifyFlags = match NotifyFlags::parse(b"Ex") {
    Some(f) => f,
    None => NotifyFlags::NONE,
};

fn tick_period(server: &Server) -> i64 {
    1000 / i64::from(server.hz().max(1))
}

impl Simulation {
    /// Start a run at world time `now_ms` on `server`: the strategies' dbs are flushed,
    /// `notify-keyspace-events` gains `Ex` if the event strategy runs (it is server-wide),
    /// the server's RNG is reseeded from the seed (so expiry sampling replays), and the
    /// connections are opened.
    pub fn new(
        config: &Config,
        server: &mut Server,
        now_ms: Ms,
    ) -> Result<Simulation, ConfigError> {
        let config = config.normalized()?;
        if !(0..=MAX_WORLD_MS).contains(&now_ms) {
            return Err(ConfigError {
                field: "now_ms",
                message: "world time must be between 1970 and 9999".into(),
            });
        }
        server.reseed(schedule::stream_seed(config.seed, Stream::ServerRng));
        let sched = Schedule::new(config.schedule.clone(), config.seed);
        let failures = Failures::of(&config);
        let arrivals = schedule::arrivals(config.seed, config.operations, config.arrival_spread_ms)
            .into_iter()
            .map(|(at, op)| (now_ms.saturating_add(at), op))
            .collect();
        let bucket_ms = if config.bucket_ms > 0 {
            config.bucket_ms
        } else {
            let mut horizon = sched.horizon_ms(config.arrival_spread_ms);
            if config.stream {
                // The consumer group waits its min-idle before every retry, not the schedule.
                let idle = config.stream_min_idle_ms;
                let waits = idle.saturating_mul(i64::from(sched.max_retries()));
                horizon = horizon.max(config.arrival_spread_ms.saturating_add(waits));
            }
            metrics::auto_bucket_ms(horizon)
        };

        let mut log = CommandLog::new(config.log_capacity as usize);
        let mut wire = Wire {
            server,
            log: &mut log,
            now: now_ms,
            work: 0,
        };
        let mut setup = wire.connect(Actor::Setup, None, 0);
        for kind in config.enabled() {
            let db = config.db_of(kind);
            wire.send(&mut setup, argv([b"SELECT", db.to_string().as_bytes()]));
            wire.send(&mut setup, argv([b"FLUSHDB"]));
        }
        if config.events {
            let reply = wire.send(
                &mut setup,
                argv([b"CONFIG", b"GET", b"notify-keyspace-events"]),
            );
            // A RESP2 connection: [name, value].
            let current = match reply {
                Reply::Array(items) => match items.get(1) {
                    Some(Reply::Bulk(b)) => NotifyFlags::parse(b),
                    _ => None,
                },
                _ => None,
            }
            .unwrap_or(NotifyFlags::NONE);
            let wanted = current.with(EXPIRED_KEYEVENTS);
            if wanted != current {
                let letters = wanted.letters();
                wire.send(
                    &mut setup,
                    argv([
                        b"CONFIG",
                        b"SET",
                        b"notify-keyspace-events",
                        letters.as_bytes(),
                    ]),
                );
            }
        }
        let track = |kind| {
            let guard =
                guard::Guard::new(config.capacity_per_s, config.budget, config.breaker, now_ms);
            Track::new(
                kind,
                config.db_of(kind),
                config.operations,
                now_ms,
                bucket_ms,
                &sched,
            )
            .with_guard(guard)
        };
        let polling = config
            .polling
            .then(|| Polling::new(&config, &mut wire, track(StrategyKind::Polling)));
        let events = config
            .events
            .then(|| Events::new(&config, &mut wire, track(StrategyKind::Events)));
        let queue = config
            .queue
            .then(|| Queue::new(&config, &mut wire, track(StrategyKind::Queue)));
        let stream = config.stream.then(|| {
            wire.send(
                &mut setup,
                argv([b"SELECT", config.stream_db.to_string().as_bytes()]),
            );
            StreamGroup::new(&config, &mut wire, track(StrategyKind::Stream), &mut setup)
        });
        let next_tick = now_ms.saturating_add(tick_period(wire.server));
        Ok(Simulation {
            config,
            start: now_ms,
            now: now_ms,
            schedule: sched,
            failures,
            arrivals,
            next_arrival: 0,
            next_tick,
            listener_phase: 0,
            bucket_ms,
            polling,
            events,
            queue,
            stream,
            log,
            setup,
            stopped: false,
        })
    }

    /// The config being run, with its numbers clamped into range.
    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn start_ms(&self) -> Ms {
        self.start
    }

    pub fn now_ms(&self) -> Ms {
        self.now
    }

    pub fn schedule(&self) -> &Schedule {
        &self.schedule
    }

    /// The strategies running, in the page's order.
    pub fn strategies(&self) -> Vec<StrategyKind> {
        self.config.enabled()
    }

    /// Every operation of every strategy has succeeded, been given up, or been lost.
    pub fn is_finished(&self) -> bool {
        self.tracks().all(|t| t.all_final())
    }

    /// Process everything due up to `now_ms`.
    pub fn advance_to(&mut self, server: &mut Server, now_ms: Ms) -> Progress {
        self.run(server, now_ms, u64::MAX, false)
    }

    /// As `advance_to`, stopping once about `max_work` commands and expiry cycles were run
    /// (`caught_up` is then false and `now_ms` says how far it got; call again).
    pub fn advance_bounded(&mut self, server: &mut Server, now_ms: Ms, max_work: u64) -> Progress {
        self.run(server, now_ms, max_work.max(1), false)
    }

    /// Go on until the next retry attempt (by any strategy) has been made, but not past
    /// `limit_ms`; `now_ms` is then the time of that attempt (move the world clock there).
    pub fn step(&mut self, server: &mut Server, limit_ms: Ms, max_work: u64) -> Progress {
        self.run(server, limit_ms, max_work.max(1), true)
    }

    /// How long after its due time an operation may still be waiting without anything being
    /// wrong: the strategies notice a due retry within a poll, an expiry cycle or an event's
    /// delivery. Past this, a waiting operation whose key or queue entry is gone is lost.
    pub fn overdue_grace(&self) -> Ms {
        let c = &self.config;
        10_000
            + c.poll_interval_ms
                .max(c.queue_poll_ms)
                .max(c.stream_reclaim_ms)
                .max(0)
    }

    /// When the simulation next has something to do (an expiry cycle, a poll, a failure…).
    pub fn next_event_time(&self) -> Option<Ms> {
        self.next_source().map(|(t, _)| t)
    }

    /// The earliest time after now at which something is due: an operation's next retry
    /// (in any strategy) or an original failure. The page's "step to the next due event";
    /// the strategies then notice it at their own pace (see `step`).
    pub fn next_due_time(&self) -> Option<Ms> {
        let after = (self.now.saturating_add(1), 0);
        let due = self
            .tracks()
            .filter_map(|t| t.waiting.range(after..).next().map(|&(d, _)| d))
            .min();
        let arrival = self.arrivals.get(self.next_arrival).map(|&(t, _)| t);
        match (due, arrival) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    pub fn metrics(&self, kind: StrategyKind) -> Option<Metrics> {
        self.track(kind).map(|t| t.metrics(self.now))
    }

    pub fn all_metrics(&self) -> Vec<Metrics> {
        self.tracks().map(|t| t.metrics(self.now)).collect()
    }

    /// Operation `op`'s timeline (ops are numbered 1 to `operations`).
    pub fn timeline(&self, kind: StrategyKind, op: u32) -> Option<OpTimeline> {
        self.track(kind)?.timeline(op)
    }

    /// Timelines of ops `first_op ..` (at most `count`).
    pub fn timelines(&self, kind: StrategyKind, first_op: u32, count: u32) -> Vec<OpTimeline> {
        let Some(t) = self.track(kind) else {
            return Vec::new();
        };
        let first = first_op.max(1);
        let last = first
            .saturating_add(count)
            .min(self.config.operations.saturating_add(1));
        (first..last).filter_map(|op| t.timeline(op)).collect()
    }

    pub fn op_state(&self, kind: StrategyKind, op: u32) -> Option<OpState> {
        self.track(kind)?.state(op)
    }

    /// Retries over time, in buckets of `bucket_ms()` from the start.
    pub fn series(&self, kind: StrategyKind) -> &[SeriesBucket] {
        self.track(kind).map_or(&[], |t| &t.series.buckets)
    }

    /// The circuit breaker's states over time in one strategy (None without a breaker).
    pub fn breaker(&self, kind: StrategyKind) -> Option<Vec<BreakerMark>> {
        self.track(kind)?.breaker_marks(self.now)
    }

    pub fn bucket_ms(&self) -> i64 {
        self.bucket_ms
    }

    /// The logged commands after `seq` (0 for all kept), oldest first.
    pub fn log_since(&self, seq: u64) -> impl Iterator<Item = &LogEntry> {
        self.log.since(seq)
    }

    /// The seq the next logged command will get.
    pub fn next_log_seq(&self) -> u64 {
        self.log.next_seq()
    }

    /// End the run: close its connections (the listeners unsubscribe). Its keys stay.
    pub fn stop(&mut self, server: &mut Server) {
        let mut ids = vec![self.setup.id];
        ids.extend(
            self.polling
                .as_ref()
                .map(|p| p.clients())
                .unwrap_or_default(),
        );
        ids.extend(
            self.events
                .as_ref()
                .map(|e| e.clients())
                .unwrap_or_default(),
        );
        ids.extend(self.queue.as_ref().map(|q| q.clients()).unwrap_or_default());
        ids.extend(
            self.stream
                .as_ref()
                .map(|g| g.clients())
                .unwrap_or_default(),
        );
        for id in ids {
            server.disconnect(id);
        }
        if let Some(e) = self.events.as_mut() {
            e.forget_connections();
        }
        self.stopped = true;
    }

    /// Stop, and start the same config again at `now_ms`.
    pub fn reset(&mut self, server: &mut Server, now_ms: Ms) {
        self.stop(server);
        if let Ok(fresh) = Simulation::new(&self.config, server, now_ms) {
            *self = fresh;
        }
    }

    fn track(&self, kind: StrategyKind) -> Option<&Track> {
        match kind {
            StrategyKind::Polling => self.polling.as_ref().map(|p| &p.track),
            StrategyKind::Events => self.events.as_ref().map(|e| &e.track),
            StrategyKind::Queue => self.queue.as_ref().map(|q| &q.track),
            StrategyKind::Stream => self.stream.as_ref().map(|s| &s.track),
        }
    }

    fn tracks(&self) -> impl Iterator<Item = &Track> {
        StrategyKind::ALL.into_iter().filter_map(|k| self.track(k))
    }

    fn total_retries(&self) -> u64 {
        self.tracks().map(|t| t.c.retries).sum()
    }

    fn next_source(&self) -> Option<(i64, Source)> {
        if self.stopped || self.is_finished() {
            return None;
        }
        let mut best: Option<(i64, Source)> = None;
        let mut offer = |t: Option<i64>, s: Source| {
            if let Some(t) = t {
                if best.is_none_or(|b| (t, s) < b) {
                    best = Some((t, s));
                }
            }
        };
        if let (Some(w), true) = (self.config.listener_outage, self.events.is_some()) {
            match self.listener_phase {
                0 => offer(
                    Some(self.start.saturating_add(w.start_ms)),
                    Source::ListenerDown,
                ),
                1 => offer(
                    Some(self.start.saturating_add(w.end_ms)),
                    Source::ListenerUp,
                ),
                _ => {}
            }
        }
        offer(
            self.arrivals.get(self.next_arrival).map(|&(t, _)| t),
            Source::Arrival,
        );
        offer(Some(self.next_tick), Source::Tick);
        offer(
            self.polling.as_ref().and_then(|p| p.next_time()),
            Source::Poll,
        );
        offer(
            self.queue.as_ref().and_then(|q| q.next_time()),
            Source::QueuePoll,
        );
        offer(
            self.stream.as_ref().and_then(|s| s.next_time()),
            Source::Reclaim,
        );
        best
    }

    fn run(
        &mut self,
        server: &mut Server,
        until: i64,
        max_work: u64,
        stop_on_attempt: bool,
    ) -> Progress {
        let mut log = std::mem::take(&mut self.log);
        let mut wire = Wire {
            server,
            log: &mut log,
            now: self.now,
            work: 0,
        };
        // Events that came in since the last call (a console lookup expired a key).
        self.after_step(&mut wire);
        let retries_before = self.total_retries();
        let mut caught_up = true;
        let mut stopped = false;
        while let Some((t, source)) = self.next_source() {
            if t > until {
                break;
            }
            if wire.work >= max_work {
                caught_up = false;
                break;
            }
            self.now = self.now.max(t);
            wire.now = self.now;
            let done = self.process(source, &mut wire, max_work);
            self.after_step(&mut wire);
            if !done {
                caught_up = false;
                break;
            }
            if stop_on_attempt && self.total_retries() != retries_before {
                stopped = true;
                break;
            }
        }
        if caught_up && !stopped {
            self.now = self.now.max(until);
        }
        let work = wire.work;
        self.log = log;
        Progress {
            now_ms: self.now,
            caught_up,
            work,
        }
    }

    /// Process one source; false if the work bound interrupted it.
    fn process(&mut self, source: Source, wire: &mut Wire, max_work: u64) -> bool {
        let (s, f) = (&self.schedule, &self.failures);
        match source {
            Source::ListenerDown => {
                self.listener_phase = 1;
                if let Some(e) = self.events.as_mut() {
                    e.disconnect(wire);
                }
            }
            Source::ListenerUp => {
                self.listener_phase = 2;
                if let Some(e) = self.events.as_mut() {
                    e.reconnect(wire);
                }
            }
            Source::Arrival => {
                let Some(&(_, op)) = self.arrivals.get(self.next_arrival) else {
                    return true;
                };
                self.next_arrival += 1;
                if let Some(p) = self.polling.as_mut() {
                    p.arrive(wire, op, s, f);
                }
                if let Some(e) = self.events.as_mut() {
                    e.arrive(wire, op, s, f);
                }
                if let Some(q) = self.queue.as_mut() {
                    q.arrive(wire, op, s, f);
                }
                if let Some(g) = self.stream.as_mut() {
                    g.arrive(wire, op, s, f);
                }
            }
            Source::Tick => {
                wire.server.tick(wire.now);
                wire.work += 1;
                self.next_tick = wire.now.saturating_add(tick_period(wire.server));
                // Whatever a console did to the strategies' keys, no operation waits for a
                // retry that can no longer come.
                let grace = self.overdue_grace();
                if let Some(e) = self.events.as_mut() {
                    e.sweep_overdue(wire, grace);
                }
                if let Some(q) = self.queue.as_mut() {
                    q.sweep_overdue(wire, grace);
                }
                if let Some(g) = self.stream.as_mut() {
                    g.sweep_overdue(wire, grace);
                }
            }
            Source::Poll => {
                if let Some(p) = self.polling.as_mut() {
                    return p.poll(wire, s, f, max_work);
                }
            }
            Source::QueuePoll => {
                if let Some(q) = self.queue.as_mut() {
                    q.poll(wire, s, f);
                }
            }
            Source::Reclaim => {
                if let Some(g) = self.stream.as_mut() {
                    return g.reclaim(wire, s, f, max_work);
                }
            }
        }
        true
    }

    fn after_step(&mut self, wire: &mut Wire) {
        if let Some(e) = self.events.as_mut() {
            e.deliver(wire, &self.schedule, &self.failures);
        }
    }
}
