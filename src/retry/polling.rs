//! Strategy 1, the seed's: each failed operation gets a key with a TTL
//! (`SETEX order:<id> <delay> pending`), and pollers ask every key's `TTL` once per poll
//! interval. `-2` means the key is gone — the wait is over — so the poller retries; on a
//! failure it counts the retry (`INCR order:<id>:retry_count`) and starts the next wait
//! with a new `SETEX` (an `EXPIRE` would answer 0: the key no longer exists). On success,
//! or after the last retry, it deletes both keys.
//!
//! Cost: one TTL per waiting key per poller per interval, whether or not anything is due.
//! Lateness: up to one poll interval (divided by the number of staggered pollers).

use std::collections::BTreeSet;
use std::ops::Bound;

use super::config::{Config, StrategyKind};
use super::log::{argv, Actor, SimClient, Wire};
use super::schedule::{Failures, Schedule};
use super::track::{op_key, Next, Track};
use crate::reply::Reply;
use crate::server::ClientId;

const KIND: StrategyKind = StrategyKind::Polling;

#[derive(Clone, Copy, Debug)]
enum Cursor {
    Start,
    Op(u32),
    Due((i64, u32)),
}

/// A poll in progress (it may be split over calls when the work bound is reached).
#[derive(Clone, Copy, Debug)]
struct Round {
    poller: usize,
    at: i64,
    cursor: Cursor,
    idle_counted: bool,
}

pub(crate) struct Polling {
    pub track: Track,
    app: SimClient,
    pollers: Vec<SimClient>,
    next_poll: Vec<i64>,
    interval: i64,
    count_only_idle: bool,
    /// Waiting operations, by id: the keys a poller asks about.
    active: BTreeSet<u32>,
    round: Option<Round>,
}

impl Polling {
    pub fn new(cfg: &Config, wire: &mut Wire, track: Track) -> Polling {
        let db = cfg.polling_db;
        let app = wire.connect(Actor::App, Some(KIND), db);
        let n = i64::from(cfg.pollers);
        let interval = cfg.poll_interval_ms;
        let pollers = (1..=cfg.pollers)
            .map(|i| wire.connect(Actor::Poller(i as u8), Some(KIND), db))
            .collect();
        // Staggered evenly: poller j first polls (j+1)/n of an interval after the start.
        let next_poll = (1..=n)
            .map(|j| track.start.saturating_add(interval * j / n))
            .collect();
        Polling {
            track,
            app,
            pollers,
            next_poll,
            interval,
            count_only_idle: cfg.count_only_idle_polls,
            active: BTreeSet::new(),
            round: None,
        }
    }

    pub fn clients(&self) -> Vec<ClientId> {
        std::iter::once(self.app.id)
            .chain(self.pollers.iter().map(|c| c.id))
            .collect()
    }

    /// The original failure: the first wait starts.
    pub fn arrive(&mut self, wire: &mut Wire, op: u32, schedule: &Schedule, failures: &Failures) {
        let (track, app) = (&mut self.track, &mut self.app);
        if super::arrive_as_ttl_key(track, wire, app, op, schedule, failures) {
            self.active.insert(op);
        }
    }

    /// When the next poll happens (now, if one is in progress).
    pub fn next_time(&self) -> Option<i64> {
        if let Some(r) = self.round {
            return Some(r.at);
        }
        if self.track.all_final() {
            return None;
        }
        self.next_poll.iter().copied().min()
    }

    /// Run the due poll (or go on with the one in progress) until it is done (true) or
    /// `max_work` is reached (false).
    pub fn poll(
        &mut self,
        wire: &mut Wire,
        schedule: &Schedule,
        failures: &Failures,
        max_work: u64,
    ) -> bool {
        let mut round = match self.round {
            Some(r) => r,
            None => {
                let Some((poller, at)) = self
                    .next_poll
                    .iter()
                    .copied()
                    .enumerate()
                    .min_by_key(|&(j, t)| (t, j))
                else {
                    return true;
                };
                self.next_poll[poller] = at.saturating_add(self.interval);
                Round {
                    poller,
                    at,
                    cursor: Cursor::Start,
                    idle_counted: false,
                }
            }
        };
        if self.count_only_idle && !round.idle_counted {
            // Keys not yet expired would answer TTL >= 0: count those TTLs, don't send them.
            let due = self.track.waiting.range(..(round.at, 0)).count();
            let idle = self.active.len().saturating_sub(due) as u64;
            self.track.c.idle_polls += idle;
            self.track.commands(round.at, idle);
            round.idle_counted = true;
            wire.work += 1;
        }
        loop {
            if wire.work >= max_work {
                self.round = Some(round);
                return false;
            }
            let next = if self.count_only_idle {
                let end = (round.at, 0);
                let from = match round.cursor {
                    Cursor::Due(c) if c < end => Bound::Excluded(c),
                    Cursor::Due(_) => break,
                    _ => Bound::Unbounded,
                };
                self.track
                    .waiting
                    .range((from, Bound::Excluded(end)))
                    .next()
                    .map(|&d| (d.1, Cursor::Due(d)))
            } else {
                let from = match round.cursor {
                    Cursor::Op(c) => Bound::Excluded(c),
                    _ => Bound::Unbounded,
                };
                self.active
                    .range((from, Bound::Unbounded))
                    .next()
                    .map(|&op| (op, Cursor::Op(op)))
            };
            let Some((op, cursor)) = next else { break };
            round.cursor = cursor;
            self.check(wire, round.poller, op, schedule, failures);
        }
        self.round = None;
        true
    }

    /// One TTL, and the retry if the key is gone.
    fn check(
        &mut self,
        wire: &mut Wire,
        poller: usize,
        op: u32,
        schedule: &Schedule,
        failures: &Failures,
    ) {
        let key = op_key(op);
        let Some(client) = self.pollers.get_mut(poller) else {
            return;
        };
        let reply = super::issue(
            &mut self.track,
            wire,
            client,
            argv([b"TTL", key.as_bytes()]),
        );
        if reply != Reply::Int(-2) {
            return;
        }
        let Some(next) = self.track.attempt(op, wire.now, schedule, failures) else {
            return;
        };
        let finished = !matches!(next, Next::Retry { .. });
        super::settle_ttl_attempt(&mut self.track, wire, client, op, next);
        if finished {
            self.active.remove(&op);
        }
    }
}
