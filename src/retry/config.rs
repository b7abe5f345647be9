//! What a simulation run is: the operations and how they fail, the retry schedule, and
//! how each strategy is set up. `Config::normalized` clamps numbers into range and rejects
//! what cannot be made sense of (an error value, never a panic); a `Simulation` only ever
//! runs a normalized config, which `Simulation::config` hands back for the page to show.
//!
//! Durations are world milliseconds, except the schedule's, which are whole seconds as
//! `SETEX` takes them.

use crate::clock::Ms;
use std::fmt;

/// The three ways of running retries the simulation compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(
    target_arch = "wasm32",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub enum StrategyKind {
    /// The seed's: a key with a TTL per operation, polled with TTL.
    Polling,
    /// Retry when `__keyevent@<db>__:expired` arrives.
    Events,
    /// A delayed queue: one sorted set scored by due time, entries claimed with ZREM.
    Queue,
    /// A stream consumer group: failed jobs stay pending, a reclaimer's XAUTOCLAIM retries.
    Stream,
}

impl StrategyKind {
    pub const ALL: [StrategyKind; 4] = [
        StrategyKind::Polling,
        StrategyKind::Events,
        StrategyKind::Queue,
        StrategyKind::Stream,
    ];

    pub fn name(self) -> &'static str {
        match self {
            StrategyKind::Polling => "polling",
            StrategyKind::Events => "events",
            StrategyKind::Queue => "queue",
            StrategyKind::Stream => "stream",
        }
    }
}

/// How the delayed queue's workers claim due entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[cfg_attr(
    target_arch = "wasm32",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub enum QueueClaim {
    /// Fetch with ZRANGEBYSCORE, then one ZREM per entry: the worker whose ZREM answers 1
    /// owns it (Sidekiq's way). The page calls it `perEntry`.
    #[default]
    #[cfg_attr(target_arch = "wasm32", serde(rename = "perEntry"))]
    Zrem,
    /// WATCH the queue, fetch, then MULTI / ZREM … / EXEC: EXEC fails for every worker but
    /// the first, which try again. The page calls it `transaction`.
    #[cfg_attr(target_arch = "wasm32", serde(rename = "transaction"))]
    Watch,
    /// One Lua script fetches and removes what is due atomically (BullMQ's way): no races.
    Lua,
}

/// A window of world time `[start_ms, end_ms)`, relative to the simulation's start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(
    target_arch = "wasm32",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub struct Window {
    pub start_ms: Ms,
    pub end_ms: i64,
}

impl Window {
    pub fn contains(&self, rel_ms: i64) -> bool {
        self.start_ms <= rel_ms && rel_ms < self.end_ms
    }
}

/// The delays between attempts, before jitter.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    target_arch = "wasm32",
    derive(serde::Serialize, serde::Deserialize),
    serde(
        tag = "kind",
        rename_all = "camelCase",
        rename_all_fields = "camelCase"
    )
)]
pub enum Backoff {
    /// A list of intervals in seconds: the delay before retry k is the k-th (the last
    /// repeats if there are more retries than intervals).
    List { intervals_s: Vec<u32> },
    /// `min(cap, base × factor^(k-1))` seconds before retry k.
    Exponential {
        base_s: u32,
        factor: f64,
        cap_s: u32,
    },
}

impl Backoff {
    /// The seed's schedule: 5 min, 10 min, 15 min, 2 h, 4 h, 6 h.
    pub fn seed_list() -> Backoff {
        Backoff::List {
            intervals_s: SEED_INTERVALS_S.to_vec(),
        }
    }
}

pub const SEED_INTERVALS_S: [u32; 6] = [300, 600, 900, 7_200, 14_400, 21_600];

/// Jitter, as in AWS's "Exponential Backoff and Jitter" (d = the delay before jitter).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(
    target_arch = "wasm32",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase")
)]
pub enum Jitter {
    /// d.
    None,
    /// random in [0, d].
    Full,
    /// d/2 + random in [0, d/2].
    Equal,
    /// min(cap, random in [base, previous sleep × 3]).
    Decorrelated,
}

#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    target_arch = "wasm32",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", default)
)]
pub struct ScheduleConfig {
    pub backoff: Backoff,
    pub jitter: Jitter,
    /// Retries after the original failure; after the last one fails the operation is given up.
    pub max_retries: u32,
    /// The seed's test mode: every delay (before jitter) is 60 s.
    pub test_mode: bool,
}

impl Default for ScheduleConfig {
    fn default() -> ScheduleConfig {
        ScheduleConfig {
            backoff: Backoff::seed_list(),
            jitter: Jitter::None,
            max_retries: 6,
            test_mode: false,
        }
    }
}

/// The delay every interval becomes in the seed's test mode.
pub const TEST_MODE_DELAY_S: u32 = 60;

#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    target_arch = "wasm32",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", default)
)]
pub struct Config {
    /// Everything random (arrivals, outcomes, jitter, the server's expiry sampling) follows it.
    pub seed: u64,
    /// How many operations failed and need retrying (1 to 10,000).
    pub operations: u32,
    /// The original failures happen at random times in `[0, arrival_spread_ms]`.
    pub arrival_spread_ms: i64,
    /// The chance that a retry attempt fails (0 to 1).
    pub failure_probability: f64,
    /// Every attempt inside this window fails (the downstream is down).
    pub outage: Option<Window>,
    pub schedule: ScheduleConfig,

    pub polling: bool,
    pub events: bool,
    pub queue: bool,
    pub stream: bool,
    /// The dbs the strategies use (and flush when a run starts).
    pub polling_db: u8,
    pub events_db: u8,
    pub queue_db: u8,
    pub stream_db: u8,

    /// How often a poller checks each key's TTL (the seed: every second).
    pub poll_interval_ms: i64,
    /// Poller instances, staggered evenly over the poll interval; each polls every key.
    pub pollers: u32,
    /// Count the TTLs that can only answer "not yet" without sending them (same results,
    /// far less work for thousands of keys at high speed).
    pub count_only_idle_polls: bool,

    /// Listener instances; pub/sub delivers every event to each of them.
    pub listeners: u32,
    /// The listeners are disconnected during this window; events sent then are lost.
    pub listener_outage: Option<Window>,

    /// Queue workers; they wake together every `queue_poll_ms` and race for due entries.
    pub queue_workers: u32,
    pub queue_poll_ms: i64,
    /// `LIMIT 0 <queue_batch>` of each worker's ZRANGEBYSCORE.
    pub queue_batch: u32,
    /// How a worker claims the entries it fetched.
    pub queue_claim: QueueClaim,

    /// How often the consumer group's reclaimer runs XAUTOCLAIM. The group's workers are
    /// `queue_workers` many, and its COUNT is `queue_batch`.
    pub stream_reclaim_ms: i64,
    /// XAUTOCLAIM's min-idle-time: how long a failed job stays pending before it is
    /// retried. 0 (the default) takes the schedule's first delay before jitter; `normalized`
    /// puts the value used here.
    pub stream_min_idle_ms: i64,

    /// Width of the retries-over-time buckets; 0 picks one from the schedule.
    pub bucket_ms: i64,
    /// How many of the latest commands the log keeps.
    pub log_capacity: u32,

    /// The downstream's capacity in calls a second (0: no limit); calls past it in the
    /// same second fail. Each strategy calls its own copy of the downstream.
    pub capacity_per_s: u32,
    /// A retry budget: retries may add at most a share of the original calls' load.
    pub budget: Option<RetryBudget>,
    /// A circuit breaker in front of the downstream.
    pub breaker: Option<BreakerConfig>,
}

/// Retries may add at most `percent`% to the original calls of the last 10 s, plus
/// `min_per_s` a second (see `guard`).
#[derive(Clone, Copy, Debug, PartialEq)]
#[cfg_attr(
    target_arch = "wasm32",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", default)
)]
pub struct RetryBudget {
    pub percent: f64,
    pub min_per_s: f64,
}

impl Default for RetryBudget {
    fn default() -> RetryBudget {
        RetryBudget {
            percent: 20.0,
            min_per_s: 1.0,
        }
    }
}

/// Opens after `failures` failed calls in a row; half-open `open_ms` later (see `guard`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(
    target_arch = "wasm32",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "camelCase", default)
)]
pub struct BreakerConfig {
    pub failures: u32,
    pub open_ms: i64,
}

impl Default for BreakerConfig {
    fn default() -> BreakerConfig {
        BreakerConfig {
            failures: 5,
            open_ms: 30_000,
        }
    }
}

impl Default for Config {
    fn default() -> Config {
        Config {
            seed: 1,
            operations: 100,
            arrival_spread_ms: 60_000,
            failure_probability: 0.5,
            outage: None,
            schedule: ScheduleConfig::default(),
            polling: true,
            events: true,
            queue: true,
            stream: true,
            polling_db: 10,
            events_db: 11,
            queue_db: 12,
            stream_db: 13,
            poll_interval_ms: 1_000,
            pollers: 1,
            count_only_idle_polls: false,
            listeners: 1,
            listener_outage: None,
            queue_workers: 3,
            queue_poll_ms: 1_000,
            queue_batch: 100,
            queue_claim: QueueClaim::Zrem,
            stream_reclaim_ms: 1_000,
            stream_min_idle_ms: 0,
            bucket_ms: 0,
            log_capacity: 2_000,
            capacity_per_s: 0,
            budget: None,
            breaker: None,
        }
    }
}

pub const MAX_OPERATIONS: u32 = 10_000;
pub const MAX_INSTANCES: u32 = 16;
pub const MAX_RETRIES: u32 = 50;
pub const MAX_INTERVALS: usize = 50;
/// The longest delay a schedule may ask for: a week.
pub const MAX_DELAY_S: u32 = 604_800;
/// The latest an arrival or a window may be: 30 days after the start.
pub const MAX_SPAN_MS: i64 = 30 * 86_400_000;
pub const MAX_LOG: u32 = 100_000;
pub const MAX_BATCH: u32 = 1_000;
pub const MAX_CAPACITY: u32 = 1_000_000;

/// Why a config cannot run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub field: &'static str,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for ConfigError {}

fn err(field: &'static str, message: &str) -> ConfigError {
    ConfigError {
        field,
        message: message.to_string(),
    }
}

fn window(w: Option<Window>, field: &'static str) -> Result<Option<Window>, ConfigError> {
    let Some(w) = w else { return Ok(None) };
    let start = w.start_ms.clamp(0, MAX_SPAN_MS);
    let end = w.end_ms.clamp(0, MAX_SPAN_MS);
    if end <= start {
        return Err(err(field, "the window must end after it starts"));
    }
    Ok(Some(Window {
        start_ms: start,
        end_ms: end,
    }))
}

fn finite(v: f64, field: &'static str) -> Result<f64, ConfigError> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(err(field, "must be a finite number"))
    }
}

impl Config {
    /// The seed's mechanism with its test mode: 60 s TTLs, polled every second.
    pub fn seed_test_mode() -> Config {
        Config {
            schedule: ScheduleConfig {
                test_mode: true,
                ..ScheduleConfig::default()
            },
            ..Config::default()
        }
    }

    /// This config with every number clamped into range, or why it cannot run.
    pub fn normalized(&self) -> Result<Config, ConfigError> {
        let mut c = self.clone();
        c.operations = c.operations.clamp(1, MAX_OPERATIONS);
        c.arrival_spread_ms = c.arrival_spread_ms.clamp(0, MAX_SPAN_MS);
        c.failure_probability =
            finite(c.failure_probability, "failure_probability")?.clamp(0.0, 1.0);
        c.outage = window(c.outage, "outage")?;
        c.listener_outage = window(c.listener_outage, "listener_outage")?;

        let s = &mut c.schedule;
        s.max_retries = s.max_retries.min(MAX_RETRIES);
        match &mut s.backoff {
            Backoff::List { intervals_s } => {
                if intervals_s.is_empty() {
                    return Err(err("schedule", "the list of intervals is empty"));
                }
                if intervals_s.len() > MAX_INTERVALS {
                    return Err(err("schedule", "at most 50 intervals"));
                }
                for i in intervals_s.iter_mut() {
                    *i = (*i).clamp(1, MAX_DELAY_S);
                }
            }
            Backoff::Exponential {
                base_s,
                factor,
                cap_s,
            } => {
                *base_s = (*base_s).clamp(1, MAX_DELAY_S);
                *factor = finite(*factor, "schedule.factor")?.clamp(1.0, 10.0);
                *cap_s = (*cap_s).clamp(*base_s, MAX_DELAY_S);
            }
        }

        if !(c.polling || c.events || c.queue || c.stream) {
            return Err(err("strategies", "enable at least one strategy"));
        }
        let mut used: Vec<u8> = Vec::new();
        for (on, db, field) in [
            (c.polling, c.polling_db, "polling_db"),
            (c.events, c.events_db, "events_db"),
            (c.queue, c.queue_db, "queue_db"),
            (c.stream, c.stream_db, "stream_db"),
        ] {
            if !on {
                continue;
            }
            if usize::from(db) >= crate::server::NUM_DBS {
                return Err(err(field, "a db is numbered 0 to 15"));
            }
            if used.contains(&db) {
                return Err(err(field, "each strategy needs its own db"));
            }
            used.push(db);
        }

        c.poll_interval_ms = c.poll_interval_ms.clamp(10, 3_600_000);
        c.pollers = c.pollers.clamp(1, MAX_INSTANCES);
        c.listeners = c.listeners.clamp(1, MAX_INSTANCES);
        c.queue_workers = c.queue_workers.clamp(1, MAX_INSTANCES);
        c.queue_poll_ms = c.queue_poll_ms.clamp(10, 3_600_000);
        c.queue_batch = c.queue_batch.clamp(1, MAX_BATCH);
        c.stream_reclaim_ms = c.stream_reclaim_ms.clamp(10, 3_600_000);
        c.stream_min_idle_ms = if c.stream_min_idle_ms <= 0 {
            let first = super::schedule::Schedule::new(c.schedule.clone(), c.seed).base_delay_s(1);
            (first * 1000.0) as i64
        } else {
            c.stream_min_idle_ms.min(i64::from(MAX_DELAY_S) * 1000)
        };
        c.bucket_ms = if c.bucket_ms <= 0 {
            0
        } else {
            c.bucket_ms.clamp(100, 86_400_000)
        };
        c.log_capacity = c.log_capacity.min(MAX_LOG);
        c.capacity_per_s = c.capacity_per_s.min(MAX_CAPACITY);
        if let Some(b) = c.budget.as_mut() {
            b.percent = finite(b.percent, "budget.percent")?.clamp(0.0, 1_000.0);
            b.min_per_s = finite(b.min_per_s, "budget.min_per_s")?.clamp(0.0, 1_000.0);
        }
        if let Some(b) = c.breaker.as_mut() {
            b.failures = b.failures.clamp(1, 1_000);
            b.open_ms = b.open_ms.clamp(100, 86_400_000);
        }
        Ok(c)
    }

    /// The strategies this config runs, in the order the page shows them.
    pub fn enabled(&self) -> Vec<StrategyKind> {
        StrategyKind::ALL
            .into_iter()
            .filter(|k| self.runs(*k))
            .collect()
    }

    pub fn runs(&self, kind: StrategyKind) -> bool {
        match kind {
            StrategyKind::Polling => self.polling,
            StrategyKind::Events => self.events,
            StrategyKind::Queue => self.queue,
            StrategyKind::Stream => self.stream,
        }
    }

    pub fn db_of(&self, kind: StrategyKind) -> u8 {
        match kind {
            StrategyKind::Polling => self.polling_db,
            StrategyKind::Events => self.events_db,
            StrategyKind::Queue => self.queue_db,
            StrategyKind::Stream => self.stream_db,
        }
    }
}
