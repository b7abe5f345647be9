//! Clients waiting in a blocking command (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP,
//! BZPOPMIN, BZPOPMAX, BZMPOP, XREAD) until another client's write creates one of their
//! keys (or, for XREAD, adds to the stream), or until their timeout passes on the world
//! clock.
//!
//! A handler that finds nothing calls `Ctx::block` with its keys and deadline, as Redis's
//! handlers call `blockForKeys`; the reply it then returns is the one the client gets on
//! timeout. As in Redis 7.0:
//! - inside MULTI/EXEC a blocking command answers at once (`block` does nothing there);
//! - a key is "ready" when it is created (a push into a missing list, a ZADD, RENAME,
//!   MOVE, SWAPDB…); after the command that created it, the ready keys are served in the
//!   order they became ready, and each key's waiting clients first-blocked first-served,
//!   while the key still holds data of their type;
//! - a client is served from the key that became ready, not from the first of its keys
//!   that has data (`BLPOP a b 0`, then `MULTI, LPUSH b …, LPUSH a …, EXEC` pops from b);
//! - serving a client runs its command again for that key alone (the table's blocking
//!   layout narrows the line), so its effects (the push of BLMOVE, keyspace events,
//!   watched keys) are those of the command.

use crate::clock::Ms;
use std::collections::{BTreeSet, HashMap, VecDeque};

use super::{ClientId, Ctx, Server};
use crate::commands::table::Group;
use crate::commands::Command;
use crate::reply::Reply;
use crate::types::Value;

/// What a handler asks for when it blocks.
#[derive(Debug, Clone)]
pub struct Wait {
    pub keys: Vec<Vec<u8>>,
    /// World ms when it gives up; 0 waits forever.
    pub deadline: Ms,
    /// The line to run again when served, if not the one typed.
    pub argv: Option<Vec<Vec<u8>>>,
    /// The wait is the command's work (DEBUG SLEEP): its duration counts in SLOWLOG.
    pub counts_wait: bool,
}

/// A client waiting in a blocking command.
struct Blocked {
    cmd: &'static Command,
    argv: Vec<Vec<u8>>,
    /// The line as typed (SLOWLOG logs it), and when it started waiting.
    typed: Vec<Vec<u8>>,
    started: Ms,
    counts_wait: bool,
    db: usize,
    keys: Vec<Vec<u8>>,
    deadline: Ms,
    /// Its answer on timeout (what it answered finding nothing: a nil or nil array).
    on_timeout: Reply,
    /// Held by CLIENT PAUSE: it runs again, whole, when the pause ends.
    postponed: bool,
}

/// Every waiting client, the keys they wait on and their deadlines.
#[derive(Default)]
pub struct Blocking {
    clients: HashMap<ClientId, Blocked>,
    /// (db, key) → the clients blocked on it, first blocked first.
    waiting: HashMap<(usize, Vec<u8>), VecDeque<ClientId>>,
    /// Keys clients wait on that were created since the last serving round, in order.
    ready: Vec<(usize, Vec<u8>)>,
    /// (deadline, client) of the clients with a timeout.
    deadlines: BTreeSet<(i64, ClientId)>,
}

/// Whether a value is what a blocked command waits for (a list, or a sorted set).
fn feeds(cmd: &Command, value: &Value) -> bool {
    match value {
        Value::List(l) => cmd.group == Group::List && !l.is_empty(),
        Value::ZSet(z) => cmd.group == Group::SortedSet && !z.is_empty(),
        // A stream feeds XREAD whenever it changed; the command itself tells whether
        // there is something past the id it waits after.
        Value::Stream(_) => cmd.group == Group::Stream,
        _ => false,
    }
}

/// Whether a blocked command reads as a consumer group (XREADGROUP).
fn reads_group(cmd: &Command) -> bool {
    cmd.block == Some(crate::commands::table::Block::GroupStreams)
}

impl Blocking {
    fn add(&mut self, client: ClientId, b: Blocked) {
        for k in &b.keys {
            self.waiting
                .entry((b.db, k.clone()))
                .or_default()
                .push_back(client);
        }
        if b.deadline != 0 {
            self.deadlines.insert((b.deadline, client));
        }
        self.clients.insert(client, b);
    }

    fn remove(&mut self, client: ClientId) -> Option<Blocked> {
        let b = self.clients.remove(&client)?;
        for k in &b.keys {
            let slot = (b.db, k.clone());
            if let Some(q) = self.waiting.get_mut(&slot) {
                q.retain(|&c| c != client);
                if q.is_empty() {
                    self.waiting.remove(&slot);
                }
            }
        }
        self.deadlines.remove(&(b.deadline, client));
        Some(b)
    }

    pub fn is_blocked(&self, client: ClientId) -> bool {
        self.clients.contains_key(&client)
    }

    /// How many clients wait (INFO's `blocked_clients`).
    pub fn len(&self) -> usize {
        self.clients.len()
    }

    pub fn is_empty(&self) -> bool {
        self.clients.is_empty()
    }

    /// How many of them wait with a timeout (INFO's `clients_in_timeout_table`).
    pub fn with_timeout(&self) -> usize {
        self.deadlines.len()
    }

    /// Mark a client's wait as CLIENT PAUSE's.
    pub(super) fn mark_postponed(&mut self, client: ClientId) {
        if let Some(b) = self.clients.get_mut(&client) {
            b.postponed = true;
        }
    }

    /// End a held command's wait: the line to run now (None if it no longer waits).
    pub(super) fn take_postponed(&mut self, client: ClientId) -> Option<Vec<Vec<u8>>> {
        match self.clients.get(&client) {
            Some(b) if b.postponed => self.remove(client).map(|b| b.typed),
            _ => None,
        }
    }

    /// The earliest time a waiting client times out (world ms).
    pub fn next_deadline(&self) -> Option<Ms> {
        self.deadlines.first().map(|&(d, _)| d)
    }
}

impl Server {
    /// Block `client` in the command it just ran (`argv`), which asked to wait as `wait`
    /// says and answered `on_timeout`.
    pub(super) fn block(
        &mut self,
        client: ClientId,
        cmd: &'static Command,
        argv: &[Vec<u8>],
        wait: Wait,
        on_timeout: Reply,
        now: Ms,
    ) {
        let db = self.client_db(client);
        let mut keys: Vec<Vec<u8>> = Vec::with_capacity(wait.keys.len());
        for k in wait.keys {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        self.blocking.add(
            client,
            Blocked {
                cmd,
                argv: wait.argv.unwrap_or_else(|| argv.to_vec()),
                typed: argv.to_vec(),
                started: now,
                counts_wait: wait.counts_wait,
                db,
                keys,
                deadline: wait.deadline,
                on_timeout,
                postponed: false,
            },
        );
    }

    /// Stop `client` waiting; `reply` (if any) is what it gets. True if it was blocked.
    pub(super) fn unblock(&mut self, client: ClientId, reply: Option<Reply>, now: Ms) -> bool {
        let Some(b) = self.blocking.remove(client) else {
            return false;
        };
        if let Some(Reply::Error(text)) = &reply {
            // An error ends the wait (NOGROUP, UNBLOCKED): counted as the command failing.
            self.stats.error(text);
            self.stats.command(b.cmd).failed_calls += 1;
        }
        if reply.is_some() {
            self.log_unblocked(client, &b, now);
        }
        if let Some(r) = reply {
            self.clients.push(client, r);
        }
        true
    }

    /// End a client's wait without an answer (a connection that can't wait, like an
    /// import's). False if it wasn't waiting.
    pub fn cancel_block(&mut self, client: ClientId) -> bool {
        self.unblock(client, None, 0)
    }

    /// A waiting command ended with an answer: it goes to the slow log and the latency
    /// monitor now, with its wait counted only if the wait was its work (DEBUG SLEEP).
    fn log_unblocked(&mut self, client: ClientId, b: &Blocked, now: Ms) {
        let duration_us = if b.counts_wait {
            (now - b.started).saturating_mul(1000)
        } else {
            0
        };
        self.log_duration(client, b.cmd, &b.typed, duration_us, now);
    }

    /// CLIENT UNBLOCK: end a client's wait as a timeout, or with the UNBLOCKED error.
    /// False if it isn't waiting.
    pub fn unblock_client(&mut self, client: ClientId, as_error: bool, now: Ms) -> bool {
        if self
            .blocking
            .clients
            .get(&client)
            .is_some_and(|b| b.postponed)
        {
            // A command CLIENT PAUSE holds goes on waiting (Redis runs it again, and the
            // pause holds it again); ERROR still answers the error first.
            if as_error {
                self.clients.push(
                    client,
                    Reply::Error("UNBLOCKED client unblocked via CLIENT UNBLOCK".into()),
                );
            }
            return true;
        }
        let Some(b) = self.blocking.remove(client) else {
            return false;
        };
        self.log_unblocked(client, &b, now);
        let reply = if as_error {
            let text = "UNBLOCKED client unblocked via CLIENT UNBLOCK";
            self.stats.error(text);
            self.stats.command(b.cmd).failed_calls += 1;
            Reply::Error(text.into())
        } else {
            b.on_timeout
        };
        self.clients.push(client, reply);
        true
    }

    /// What a waiting client waits for: its command's name, the keys, the deadline (0:
    /// none).
    pub fn blocked_on(&self, client: ClientId) -> Option<(&'static str, &[Vec<u8>], Ms)> {
        let b = self.blocking.clients.get(&client)?;
        Some((b.cmd.name, &b.keys, b.deadline))
    }

    /// Whether a client waits in a blocking command.
    /// Also a client that waits for a script (its own, or one that runs before its
    /// command).
    pub fn is_blocked(&self, client: ClientId) -> bool {
        self.blocking.is_blocked(client) || self.waits_for_script(client)
    }

    /// How many clients wait (INFO's `blocked_clients`).
    pub fn blocked_clients(&self) -> usize {
        self.blocking.len()
    }

    /// How many blocked clients have a timeout (INFO's `clients_in_timeout_table`).
    pub fn clients_in_timeout_table(&self) -> usize {
        self.blocking.with_timeout()
    }

    /// The earliest time a blocked client times out (world ms).
    pub fn next_block_deadline(&self) -> Option<Ms> {
        self.blocking.next_deadline()
    }

    /// A key was created: if clients wait on it, serve them after the current command.
    pub(super) fn signal_created(&mut self, db: usize, key: &[u8]) {
        if self.blocking.waiting.is_empty() {
            return;
        }
        let slot = (db, key.to_vec());
        if self.blocking.waiting.contains_key(&slot) && !self.blocking.ready.contains(&slot) {
            self.blocking.ready.push(slot);
        }
    }

    /// After SWAPDB: every key of `db` that clients wait on and that now exists is ready.
    pub(super) fn signal_existing(&mut self, db: usize, now: Ms) {
        let waited: Vec<Vec<u8>> = self
            .blocking
            .waiting
            .keys()
            .filter(|(d, _)| *d == db)
            .map(|(_, k)| k.clone())
            .collect();
        for k in waited {
            if self.dbs[db].contains(&k, now) {
                self.signal_created(db, &k);
            }
        }
    }

    /// Serve the clients waiting on ready keys, in order, until no key is ready (serving
    /// BLMOVE can create another ready key).
    pub(super) fn serve_ready_keys(&mut self, now: Ms) {
        self.signal_lost_streams(now);
        let mut rounds = 0;
        while !self.blocking.ready.is_empty() && rounds < 10_000 {
            rounds += 1;
            for (db, key) in std::mem::take(&mut self.blocking.ready) {
                let waiting: Vec<ClientId> = self
                    .blocking
                    .waiting
                    .get(&(db, key.clone()))
                    .map(|q| q.iter().copied().collect())
                    .unwrap_or_default();
                for client in waiting {
                    let Some(b) = self.blocking.clients.get(&client) else {
                        continue;
                    };
                    let Some(layout) = b.cmd.block else {
                        continue;
                    };
                    let (cmd, argv) = (b.cmd, layout.narrowed(&b.argv, &key));
                    match self.dbs[db].get(&key, now) {
                        Some(v) if feeds(cmd, v) => {}
                        // XREADGROUP answers an error when its stream is gone.
                        _ if reads_group(cmd) => {}
                        _ => continue,
                    }
                    let mut ctx = Ctx::new(self, client, now);
                    ctx.serving = true;
                    let reply = (cmd.handler)(&mut ctx, &argv).unwrap_or_else(Reply::from);
                    if matches!(reply, Reply::Nil | Reply::NilArray) {
                        continue;
                    }
                    self.unblock(client, Some(reply), now);
                    self.collect_created();
                }
            }
        }
    }

    /// The streams XREADGROUP clients wait on that were deleted or replaced by another
    /// type are ready: those clients get an error (Redis signals a stream key on delete).
    fn signal_lost_streams(&mut self, now: Ms) {
        let mut lost: Vec<(usize, Vec<u8>)> = Vec::new();
        for b in self.blocking.clients.values() {
            if !reads_group(b.cmd) {
                continue;
            }
            for k in &b.keys {
                let is_stream = matches!(self.dbs[b.db].get(k, now), Some(Value::Stream(_)));
                if !is_stream && !lost.iter().any(|(d, x)| *d == b.db && x == k) {
                    lost.push((b.db, k.clone()));
                }
            }
        }
        lost.sort();
        for (db, k) in lost {
            self.signal_created(db, &k);
        }
    }

    /// Answer the clients whose timeout has passed with their nil.
    pub(super) fn expire_blocked(&mut self, now: Ms) {
        while let Some(&(deadline, client)) = self.blocking.deadlines.first() {
            if deadline > now {
                break;
            }
            if let Some(b) = self.blocking.remove(client) {
                // It ended at its deadline (a DEBUG SLEEP lasted exactly its time).
                self.log_unblocked(client, &b, deadline);
                self.clients.push(client, b.on_timeout);
            } else {
                self.blocking.deadlines.pop_first();
            }
        }
    }
}
