//! Strategy 2: retry when Redis says the key expired. Each listener has a connection
//! subscribed to `__keyevent@<db>__:expired` and a second one for commands (a subscribed
//! connection may only run pub/sub commands). The key and its commands are the seed's;
//! only the trigger differs.
//!
//! What it shows:
//! - the event is sent when the key is *deleted*, not when its TTL runs out: by a lookup
//!   (nobody looks these keys up) or by the active expiry cycle, which runs `hz` times a
//!   second and samples a bounded number of keys. So the event lags the due time, and the
//!   lag grows with the number of keys waiting and shrinks with `hz`;
//! - pub/sub is fire and forget: an event sent while the listeners are disconnected is
//!   lost, and that operation is never retried (its retry counter stays behind);
//! - every listener gets every event, so two listeners retry everything twice.

use super::config::{Config, StrategyKind};
use super::log::{argv, Actor, SimClient, Wire};
use super::schedule::{Failures, Schedule};
use super::track::{op_key, parse_op_key, OpState, Track};
use crate::clock::Ms;
use crate::reply::Reply;
use crate::server::{ClientId, Server};

const KIND: StrategyKind = StrategyKind::Events;

pub(crate) struct Events {
    pub track: Track,
    app: SimClient,
    /// Each listener's subscribed connection; None while disconnected.
    subs: Vec<Option<SimClient>>,
    /// Each listener's command connection.
    workers: Vec<SimClient>,
    channel: Vec<u8>,
    expired_seen: u64,
    n_ops: u32,
}

/// Is the key still stored, expired or not? (A look that neither deletes nor touches it.)
fn stored(server: &Server, db: u8, key: &[u8]) -> bool {
    server
        .dbs()
        .get(usize::from(db))
        .is_some_and(|d| d.is_stored(key))
}

impl Events {
    pub fn new(cfg: &Config, wire: &mut Wire, track: Track) -> Events {
        let db = cfg.events_db;
        let app = wire.connect(Actor::App, Some(KIND), db);
        let channel = format!("__keyevent@{db}__:expired").into_bytes();
        let mut workers = Vec::new();
        let mut subs = Vec::new();
        for i in 1..=cfg.listeners {
            workers.push(wire.connect(Actor::Listener(i as u8), Some(KIND), db));
            let mut sub = wire.connect(Actor::Subscriber(i as u8), Some(KIND), 0);
            wire.send(&mut sub, argv([b"SUBSCRIBE", &channel]));
            subs.push(Some(sub));
        }
        let expired_seen = wire.server.stats().expired_keys;
        Events {
            track,
            app,
            subs,
            workers,
            channel,
            expired_seen,
            n_ops: cfg.operations,
        }
    }

    pub fn clients(&self) -> Vec<ClientId> {
        let subs = self.subs.iter().flatten().map(|c| c.id);
        std::iter::once(self.app.id)
            .chain(self.workers.iter().map(|c| c.id))
            .chain(subs)
            .collect()
    }

    pub fn arrive(&mut self, wire: &mut Wire, op: u32, schedule: &Schedule, failures: &Failures) {
        super::arrive_as_ttl_key(&mut self.track, wire, &mut self.app, op, schedule, failures);
    }

    /// The connections were closed from outside (the run was stopped).
    pub fn forget_connections(&mut self) {
        for sub in &mut self.subs {
            *sub = None;
        }
    }

    /// The listeners go away (a deploy, a crash): their subscriptions end with them.
    pub fn disconnect(&mut self, wire: &mut Wire) {
        for sub in &mut self.subs {
            if let Some(c) = sub.take() {
                wire.server.disconnect(c.id);
            }
        }
    }

    /// The listeners are back: new connections, subscribed again.
    pub fn reconnect(&mut self, wire: &mut Wire) {
        for (i, sub) in self.subs.iter_mut().enumerate() {
            if sub.is_none() {
                let mut c = wire.connect(Actor::Subscriber(i as u8 + 1), Some(KIND), 0);
                super::issue(
                    &mut self.track,
                    wire,
                    &mut c,
                    argv([b"SUBSCRIBE", &self.channel]),
                );
                *sub = Some(c);
            }
        }
    }

    /// Handle the events the listeners received, then count the retries that were lost.
    pub fn deliver(&mut self, wire: &mut Wire, schedule: &Schedule, failures: &Failures) {
        // Handling an event sends commands, which could expire another key: go again until
        // quiet (bounded, to be safe).
        for _ in 0..64 {
            let batches: Vec<Vec<Option<u32>>> = self
                .subs
                .iter()
                .map(|s| {
                    s.map(|c| self.take_events(wire.server, c.id))
                        .unwrap_or_default()
                })
                .collect();
            let longest = batches.iter().map(Vec::len).max().unwrap_or(0);
            if longest == 0 {
                break;
            }
            // Every listener is subscribed to the one channel, so the i-th message of each is
            // the same event: the first listener to handle it retries, the others repeat it.
            for i in 0..longest {
                let mut first = true;
                for (j, batch) in batches.iter().enumerate() {
                    let Some(&event) = batch.get(i) else { continue };
                    self.track.c.events += 1;
                    if let Some(op) = event {
                        self.handle(wire, j, op, first, schedule, failures);
                    }
                    first = false;
                }
            }
        }
        self.check_lost(wire);
    }

    /// The operations named by the expired events in a connection's inbox (None for a key
    /// that isn't one of ours).
    fn take_events(&self, server: &mut Server, client: ClientId) -> Vec<Option<u32>> {
        let Some(c) = server.client_mut(client) else {
            return Vec::new();
        };
        c.take_inbox()
            .into_iter()
            .filter_map(|m| match m {
                Reply::Array(items)
                    if items.len() == 3
                        && matches!(&items[1], Reply::Bulk(c) if *c == self.channel) =>
                {
                    Some(match &items[2] {
                        Reply::Bulk(key) => parse_op_key(key, self.n_ops),
                        _ => None,
                    })
                }
                _ => None,
            })
            .collect()
    }

    fn handle(
        &mut self,
        wire: &mut Wire,
        listener: usize,
        op: u32,
        first: bool,
        s: &Schedule,
        f: &Failures,
    ) {
        let next = if first {
            if self.track.state(op) != Some(OpState::Waiting) {
                return;
            }
            self.track.attempt(op, wire.now, s, f)
        } else {
            self.track.duplicate(op, wire.now)
        };
        let (Some(next), Some(client)) = (next, self.workers.get_mut(listener)) else {
            return;
        };
        super::settle_ttl_attempt(&mut self.track, wire, client, op, next);
    }

    /// Operations overdue by more than `grace` whose key is gone without an event anybody
    /// handled (a DEL or FLUSHALL from a console, a SWAPDB, events switched off): their
    /// retry will never come. They are lost.
    pub fn sweep_overdue(&mut self, wire: &mut Wire, grace: Ms) {
        let now = wire.now;
        let overdue = self.track.overdue(now, grace);
        for op in overdue {
            if !stored(wire.server, self.track.db, op_key(op).as_bytes()) {
                self.track.lose(op, now);
            }
        }
    }

    /// A waiting operation whose key is already gone had its expired event sent, and no
    /// listener handled it: that retry will never happen. While a listener is connected
    /// and the server sends expired events, every event is handled as soon as it is sent,
    /// so there is only something to look for when some key expired while no listener
    /// was connected, or with `notify-keyspace-events` lacking `E` or `x`.
    fn check_lost(&mut self, wire: &mut Wire) {
        let seen = wire.server.stats().expired_keys;
        if seen == self.expired_seen {
            return;
        }
        self.expired_seen = seen;
        let deaf = self.subs.iter().all(Option::is_none)
            || !wire.server.notify_flags().covers(super::EXPIRED_KEYEVENTS);
        if !deaf {
            return;
        }
        let now = wire.now;
        let overdue: Vec<u32> = self
            .track
            .waiting
            .range(..(now, 0))
            .map(|&(_, op)| op)
            .collect();
        for op in overdue {
            if !stored(wire.server, self.track.db, op_key(op).as_bytes()) {
                self.track.lose(op, now);
            }
        }
    }
}
