//! Strategy 3: a delayed queue, as Sidekiq, BullMQ and resque-scheduler keep one. A single
//! sorted set `retry` holds every waiting operation scored by its due time in ms
//! (`ZADD retry <due_ms> order:<id>`). Workers wake every poll interval, ask for what is
//! due (`ZRANGEBYSCORE retry -inf <now> LIMIT 0 <n>`) and claim each entry with `ZREM`:
//! only the worker whose ZREM answers 1 retries it, so an operation is never retried twice
//! however many workers race for it.
//!
//! The workers here wake together — the worst case for races: they all fetch the same
//! entries, then take turns claiming (entry i is tried first by worker i mod n), and every
//! other worker's ZREM of a claimed entry answers 0 (a claim conflict). Only after claiming
//! do workers process, so a re-added entry can't be claimed by a stale ZREM.
//!
//! Cost: one ZRANGEBYSCORE per worker per interval, however many operations wait (more
//! when a full batch is due: the workers then fetch again at once).
//!
//! Two other ways to claim can be chosen (`QueueClaim`): WATCH the sorted set, fetch, then
//! MULTI / ZREM … / EXEC — the first EXEC wins, every other worker's EXEC fails and that
//! worker fetches again; or one Lua script that fetches and removes what is due in one
//! atomic step, as BullMQ moves its delayed jobs (EVALSHA, falling back to EVAL when the
//! script cache was flushed): no conflicts at all.

use super::config::{Config, QueueClaim, StrategyKind};
use super::log::{argv, Actor, SimClient, Wire};
use super::schedule::{Failures, Schedule};
use super::track::{op_key, parse_op_key, retry_count_key, Next, Track};
use crate::clock::Ms;
use crate::reply::Reply;
use crate::server::ClientId;
use crate::types::Value;

const KIND: StrategyKind = StrategyKind::Queue;

/// The sorted set's key.
pub const QUEUE_KEY: &str = "retry";

/// The claim script: what is due, up to a batch, leaves the queue in one step.
pub const CLAIM_SCRIPT: &str =
    "local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
if #due > 0 then redis.call('ZREM', KEYS[1], unpack(due)) end
return due";

fn bulks(reply: Reply) -> Vec<Vec<u8>> {
    match reply {
        Reply::Array(items) => items
            .into_iter()
            .filter_map(|i| {
                if let Reply::Bulk(b) = i {
                    Some(b)
                } else {
                    None
                }
            })
            .collect(),
        _ => Vec::new(),
    }
}

pub(crate) struct Queue {
    pub track: Track,
    app: SimClient,
    workers: Vec<SimClient>,
    interval: i64,
    next_poll: i64,
    batch: u32,
    n_ops: u32,
    claim: QueueClaim,
    /// The claim script's SHA1, as EVALSHA takes it.
    script_sha: String,
}

impl Queue {
    pub fn new(cfg: &Config, wire: &mut Wire, track: Track) -> Queue {
        let db = cfg.queue_db;
        let app = wire.connect(Actor::App, Some(KIND), db);
        let workers = (1..=cfg.queue_workers)
            .map(|i| wire.connect(Actor::Worker(i as u8), Some(KIND), db))
            .collect();
        let next_poll = track.start.saturating_add(cfg.queue_poll_ms);
        Queue {
            track,
            app,
            workers,
            interval: cfg.queue_poll_ms,
            next_poll,
            batch: cfg.queue_batch,
            n_ops: cfg.operations,
            claim: cfg.queue_claim,
            script_sha: crate::scripting::sha1hex(CLAIM_SCRIPT.as_bytes()),
        }
    }

    pub fn clients(&self) -> Vec<ClientId> {
        std::iter::once(self.app.id)
            .chain(self.workers.iter().map(|c| c.id))
            .collect()
    }

    /// Operations overdue by more than `grace` whose entry is no longer in the sorted set
    /// (a console deleted it, flushed the db, swapped it away): no worker will ever fetch
    /// them. They are lost.
    pub fn sweep_overdue(&mut self, wire: &mut Wire, grace: Ms) {
        let now = wire.now;
        let overdue = self.track.overdue(now, grace);
        if overdue.is_empty() {
            return;
        }
        let db = wire.server.db(usize::from(self.track.db));
        let queued = |op: u32| match db.iter_key(QUEUE_KEY.as_bytes(), now).map(|e| &e.value) {
            Some(Value::ZSet(z)) => z.score(op_key(op).as_bytes()).is_some(),
            _ => false,
        };
        let gone: Vec<u32> = overdue.into_iter().filter(|&op| !queued(op)).collect();
        for op in gone {
            self.track.lose(op, now);
        }
    }

    fn schedule_cmd(&self, op: u32) -> Option<Vec<Vec<u8>>> {
        let due = self.track.due(op)?;
        Some(argv([
            b"ZADD",
            QUEUE_KEY.as_bytes(),
            due.to_string().as_bytes(),
            op_key(op).as_bytes(),
        ]))
    }

    pub fn arrive(&mut self, wire: &mut Wire, op: u32, schedule: &Schedule, failures: &Failures) {
        if self
            .track
            .arrive(op, wire.now, schedule, failures)
            .is_some()
        {
            if let Some(cmd) = self.schedule_cmd(op) {
                super::issue(&mut self.track, wire, &mut self.app, cmd);
            }
        }
    }

    pub fn next_time(&self) -> Option<i64> {
        (!self.track.all_final()).then_some(self.next_poll)
    }

    fn fetch_cmd(&self, now: i64) -> Vec<Vec<u8>> {
        argv([
            b"ZRANGEBYSCORE",
            QUEUE_KEY.as_bytes(),
            b"-inf",
            now.to_string().as_bytes(),
            b"LIMIT",
            b"0",
            self.batch.to_string().as_bytes(),
        ])
    }

    /// Every worker fetches, then they take turns with one ZREM per entry. Returns the
    /// claimed entries (worker, member) and whether a full batch was due.
    fn claim_with_zrem(&mut self, wire: &mut Wire) -> (Vec<(usize, Vec<u8>)>, bool) {
        let fetch = self.fetch_cmd(wire.now);
        let mut seen: Vec<Vec<u8>> = Vec::new();
        for w in 0..self.workers.len() {
            let reply = super::issue(&mut self.track, wire, &mut self.workers[w], fetch.clone());
            if w == 0 {
                seen = bulks(reply);
            }
        }
        let full = seen.len() >= self.batch as usize;
        // Every worker fetched before any claimed, so all saw the same entries.
        let n = self.workers.len();
        let mut claimed: Vec<(usize, Vec<u8>)> = Vec::new();
        for (i, member) in seen.into_iter().enumerate() {
            let mut winner = None;
            for r in 0..n {
                let w = (i + r) % n;
                let cmd = argv([b"ZREM", QUEUE_KEY.as_bytes(), &member]);
                if super::issue(&mut self.track, wire, &mut self.workers[w], cmd) == Reply::Int(1) {
                    winner = Some(w);
                } else {
                    self.track.c.conflicts += 1;
                }
            }
            if let Some(w) = winner {
                claimed.push((w, member));
            }
        }
        (claimed, full)
    }

    /// Rounds of WATCH + fetch by every worker still empty-handed, then MULTI / ZREM … /
    /// EXEC in turn: the first EXEC of a round wins, the others fail (one conflict each)
    /// and go again.
    fn claim_with_watch(&mut self, wire: &mut Wire) -> (Vec<(usize, Vec<u8>)>, bool) {
        let mut waiting: Vec<usize> = (0..self.workers.len()).collect();
        let mut claimed = Vec::new();
        let mut full = false;
        while !waiting.is_empty() {
            let fetch = self.fetch_cmd(wire.now);
            let mut fetched = Vec::new();
            for &w in &waiting {
                super::issue(
                    &mut self.track,
                    wire,
                    &mut self.workers[w],
                    argv([b"WATCH", QUEUE_KEY.as_bytes()]),
                );
                let items = bulks(super::issue(
                    &mut self.track,
                    wire,
                    &mut self.workers[w],
                    fetch.clone(),
                ));
                fetched.push((w, items));
            }
            let mut losers = Vec::new();
            for (w, items) in fetched {
                if items.is_empty() {
                    super::issue(
                        &mut self.track,
                        wire,
                        &mut self.workers[w],
                        argv([b"UNWATCH"]),
                    );
                    continue;
                }
                super::issue(
                    &mut self.track,
                    wire,
                    &mut self.workers[w],
                    argv([b"MULTI"]),
                );
                let mut zrem = argv([b"ZREM", QUEUE_KEY.as_bytes()]);
                zrem.extend(items.iter().cloned());
                super::issue(&mut self.track, wire, &mut self.workers[w], zrem);
                match super::issue(&mut self.track, wire, &mut self.workers[w], argv([b"EXEC"])) {
                    Reply::Array(_) => {
                        full |= items.len() >= self.batch as usize;
                        claimed.extend(items.into_iter().map(|m| (w, m)));
                    }
                    _ => {
                        self.track.c.conflicts += 1;
                        losers.push(w);
                    }
                }
            }
            waiting = losers;
        }
        (claimed, full)
    }

    /// Each worker runs the claim script once: EVALSHA, or EVAL when the server answers
    /// NOSCRIPT (a learner flushed the script cache).
    fn claim_with_lua(&mut self, wire: &mut Wire) -> (Vec<(usize, Vec<u8>)>, bool) {
        let now = wire.now.to_string();
        let batch = self.batch.to_string();
        let mut claimed = Vec::new();
        let mut full = false;
        for w in 0..self.workers.len() {
            let call = |first: &[u8], body: &[u8]| {
                argv([
                    first,
                    body,
                    b"1",
                    QUEUE_KEY.as_bytes(),
                    now.as_bytes(),
                    batch.as_bytes(),
                ])
            };
            let mut reply = super::issue(
                &mut self.track,
                wire,
                &mut self.workers[w],
                call(b"EVALSHA", self.script_sha.as_bytes()),
            );
            if matches!(&reply, Reply::Error(e) if e.starts_with("NOSCRIPT")) {
                reply = super::issue(
                    &mut self.track,
                    wire,
                    &mut self.workers[w],
                    call(b"EVAL", CLAIM_SCRIPT.as_bytes()),
                );
            }
            let items = bulks(reply);
            full = items.len() >= self.batch as usize;
            claimed.extend(items.into_iter().map(|m| (w, m)));
        }
        (claimed, full)
    }

    /// The workers wake: fetch, claim, process.
    pub fn poll(&mut self, wire: &mut Wire, schedule: &Schedule, failures: &Failures) {
        self.next_poll = self.next_poll.saturating_add(self.interval);
        let (claimed, full) = match self.claim {
            QueueClaim::Zrem => self.claim_with_zrem(wire),
            QueueClaim::Watch => self.claim_with_watch(wire),
            QueueClaim::Lua => self.claim_with_lua(wire),
        };
        // A full batch means more may be due: the workers fetch again at once (as
        // Sidekiq's poller loops until nothing is due), after this batch is handled.
        if full {
            self.next_poll = wire.now;
        }
        for (w, member) in claimed {
            let Some(op) = parse_op_key(&member, self.n_ops) else {
                continue;
            };
            let Some(next) = self.track.attempt(op, wire.now, schedule, failures) else {
                continue;
            };
            let rc = retry_count_key(op);
            match next {
                Next::Retry { .. } => {
                    super::issue(
                        &mut self.track,
                        wire,
                        &mut self.workers[w],
                        argv([b"INCR", rc.as_bytes()]),
                    );
                    if let Some(cmd) = self.schedule_cmd(op) {
                        super::issue(&mut self.track, wire, &mut self.workers[w], cmd);
                    }
                }
                Next::GiveUp | Next::Done => {
                    super::issue(
                        &mut self.track,
                        wire,
                        &mut self.workers[w],
                        argv([b"DEL", rc.as_bytes()]),
                    );
                }
            }
        }
    }
}
