//! Blocking commands: BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX and
//! BZMPOP wait when none of their keys has data, until another client's write creates one
//! of the keys, or until their timeout passes on the world clock.
//!
//! As in Redis 7.0:
//! - a command that finds nothing answers at once inside MULTI/EXEC (the handlers already
//!   answer nil when nothing is there; only a top-level call blocks);
//! - a key is "ready" when it is created (a push into a missing list, a ZADD, RENAME,
//!   MOVE, SWAPDB…); after the command that created it, the ready keys are served in the
//!   order they became ready, and each key's waiting clients first-blocked first-served,
//!   while the key still holds data of their type;
//! - a client is served from the key that became ready, not from the first of its keys
//!   that has data (`BLPOP a b 0`, then `MULTI, LPUSH b …, LPUSH a …, EXEC` pops from b);
//! - serving a client runs its command again for that key alone, so its effects (the
//!   push of BLMOVE, keyspace events, watched keys) are those of the command.

use crate::commands::table::Group;
use crate::commands::{timeout_arg, Command};
use crate::reply::Reply;
use crate::server::{ClientId, Ctx, Server};
use crate::types::Value;

/// A client waiting in a blocking command.
pub struct Blocked {
    pub cmd: &'static Command,
    pub argv: Vec<Vec<u8>>,
    pub db: usize,
    pub keys: Vec<Vec<u8>>,
    /// World ms when it gives up; 0 waits forever.
    pub deadline: i64,
    /// Its answer on timeout (what it answered finding nothing: a nil or nil array).
    pub on_timeout: Reply,
}

impl std::fmt::Debug for Blocked {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.debug_struct("Blocked")
            .field("cmd", &self.cmd.name)
            .field("db", &self.db)
            .field("keys", &self.keys)
            .field("deadline", &self.deadline)
            .finish()
    }
}

/// The keys a blocking command waits on, and the index of its timeout argument.
fn wait_args(cmd: &Command, argv: &[Vec<u8>]) -> Option<(Vec<Vec<u8>>, usize)> {
    let (keys, timeout) = cmd.block?.keys_and_timeout(argv)?;
    Some((keys.to_vec(), timeout))
}

/// Whether a value is what a blocked command waits for (a list, or a sorted set).
fn feeds(cmd: &Command, value: &Value) -> bool {
    match value {
        Value::List(l) => cmd.group == Group::List && !l.is_empty(),
        Value::ZSet(z) => cmd.group == Group::SortedSet && !z.is_empty(),
        _ => false,
    }
}

impl Server {
    /// Block `client` in the command it just ran (which found nothing and answered
    /// `empty`). False if the command is not one that blocks.
    pub(crate) fn block(
        &mut self,
        client: ClientId,
        cmd: &'static Command,
        argv: &[Vec<u8>],
        empty: Reply,
        now: i64,
    ) -> bool {
        let Some((keys, timeout_at)) = wait_args(cmd, argv) else {
            return false;
        };
        let deadline = timeout_arg(&argv[timeout_at], now).unwrap_or(0);
        let db = self.clients[client].db;
        let mut unique: Vec<Vec<u8>> = Vec::with_capacity(keys.len());
        for k in keys {
            if !unique.contains(&k) {
                self.blocking
                    .entry((db, k.clone()))
                    .or_default()
                    .push_back(client);
                unique.push(k);
            }
        }
        self.clients[client].blocked = Some(Blocked {
            cmd,
            argv: argv.to_vec(),
            db,
            keys: unique,
            deadline,
            on_timeout: empty,
        });
        true
    }

    /// Stop `client` waiting; `reply` (if any) is what it gets. True if it was blocked.
    pub(crate) fn unblock(&mut self, client: ClientId, reply: Option<Reply>) -> bool {
        let Some(b) = self.clients.get_mut(client).and_then(|c| c.blocked.take()) else {
            return false;
        };
        for k in b.keys {
            let slot = (b.db, k);
            if let Some(q) = self.blocking.get_mut(&slot) {
                q.retain(|&c| c != client);
                if q.is_empty() {
                    self.blocking.remove(&slot);
                }
            }
        }
        if let Some(r) = reply {
            self.clients[client].inbox.push_back(r);
        }
        true
    }

    /// A key was created: if clients wait on it, serve them after the current command.
    pub(crate) fn signal_created(&mut self, db: usize, key: &[u8]) {
        if self.blocking.is_empty() {
            return;
        }
        let slot = (db, key.to_vec());
        if self.blocking.contains_key(&slot) && !self.ready.contains(&slot) {
            self.ready.push(slot);
        }
    }

    /// After SWAPDB: every key of `db` that clients wait on and that now exists is ready.
    pub(crate) fn signal_existing(&mut self, db: usize, now: i64) {
        let waited: Vec<Vec<u8>> = self
            .blocking
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

    /// Whether any client waits on a key (the dbs then log created keys).
    pub(crate) fn has_blocked(&self) -> bool {
        !self.blocking.is_empty()
    }

    /// Serve the clients waiting on ready keys, in order, until no key is ready (serving
    /// BLMOVE can create another ready key).
    pub(crate) fn serve_ready_keys(&mut self, now: i64) {
        let mut rounds = 0;
        while !self.ready.is_empty() && rounds < 10_000 {
            rounds += 1;
            for (db, key) in std::mem::take(&mut self.ready) {
                let waiting: Vec<ClientId> = self
                    .blocking
                    .get(&(db, key.clone()))
                    .map(|q| q.iter().copied().collect())
                    .unwrap_or_default();
                for client in waiting {
                    let Some(b) = self.clients[client].blocked.as_ref() else {
                        continue;
                    };
                    let Some(layout) = b.cmd.block else {
                        continue;
                    };
                    let (cmd, argv) = (b.cmd, layout.narrowed(&b.argv, &key));
                    match self.dbs[db].get(&key, now) {
                        Some(v) if feeds(cmd, v) => {}
                        Some(_) => continue,
                        None => break,
                    }
                    let mut ctx = Ctx {
                        server: self,
                        client,
                        now,
                    };
                    let reply = (cmd.handler)(&mut ctx, &argv).unwrap_or_else(Reply::from);
                    if matches!(reply, Reply::Nil | Reply::NilArray) {
                        continue;
                    }
                    self.unblock(client, Some(reply));
                    self.collect_created();
                }
            }
        }
    }

    /// Answer the clients whose timeout has passed with their nil.
    pub(crate) fn expire_blocked(&mut self, now: i64) {
        if self.blocking.is_empty() {
            return;
        }
        let due: Vec<ClientId> = self
            .clients
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                c.blocked
                    .as_ref()
                    .is_some_and(|b| b.deadline != 0 && b.deadline <= now)
            })
            .map(|(i, _)| i)
            .collect();
        for client in due {
            let empty = self.clients[client]
                .blocked
                .as_ref()
                .map(|b| b.on_timeout.clone());
            self.unblock(client, empty);
        }
    }

    /// The earliest time a blocked client times out (world ms).
    pub fn next_block_deadline(&self) -> Option<i64> {
        self.clients
            .iter()
            .filter_map(|c| c.blocked.as_ref())
            .map(|b| b.deadline)
            .filter(|&d| d != 0)
            .min()
    }

    /// How many clients wait in a blocking command (INFO's `blocked_clients`).
    pub fn blocked_clients(&self) -> usize {
        self.clients.iter().filter(|c| c.blocked.is_some()).count()
    }
}
