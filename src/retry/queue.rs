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

use super::config::{Config, StrategyKind};
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

pub(crate) struct Queue {
    pub track: Track,
    app: SimClient,
    workers: Vec<SimClient>,
    interval: i64,
    next_poll: i64,
    batch: u32,
    n_ops: u32,
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
        let overdue: Vec<u32> = self
            .track
            .waiting
            .range(..(now.saturating_sub(grace), 0))
            .map(|&(_, op)| op)
            .collect();
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

    /// The workers wake: fetch, claim, process.
    pub fn poll(&mut self, wire: &mut Wire, schedule: &Schedule, failures: &Failures) {
        self.next_poll = self.next_poll.saturating_add(self.interval);
        let fetch = argv([
            b"ZRANGEBYSCORE",
            QUEUE_KEY.as_bytes(),
            b"-inf",
            wire.now.to_string().as_bytes(),
            b"LIMIT",
            b"0",
            self.batch.to_string().as_bytes(),
        ]);
        let mut seen: Vec<Vec<u8>> = Vec::new();
        for w in 0..self.workers.len() {
            let reply = super::issue(&mut self.track, wire, &mut self.workers[w], fetch.clone());
            if w == 0 {
                if let Reply::Array(items) = reply {
                    seen = items
                        .into_iter()
                        .filter_map(|i| {
                            if let Reply::Bulk(b) = i {
                                Some(b)
                            } else {
                                None
                            }
                        })
                        .collect();
                }
            }
        }
        // A full batch means more may be due: the workers fetch again at once (as
        // Sidekiq's poller loops until nothing is due), after this batch is handled.
        if seen.len() >= self.batch as usize {
            self.next_poll = wire.now;
        }
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
