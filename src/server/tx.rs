//! Transactions: a client's MULTI queue and WATCHed keys, and the index from keys to the
//! clients watching them, so a write costs the same however many clients exist.

use crate::clock::Ms;
use std::collections::HashMap;

use super::{ClientId, Server};

type Argv = Vec<Vec<u8>>;

/// A WATCHed key.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Watched {
    db: usize,
    key: Vec<u8>,
    /// Its TTL had already run out when WATCH was sent: its deletion is no change, and
    /// it does not fail EXEC for having expired.
    expired: bool,
}

/// One client's transaction state.
#[derive(Debug, Default)]
pub struct TxState {
    /// Commands queued since MULTI.
    queue: Option<Vec<Argv>>,
    /// A command was rejected while queueing: EXEC must abort.
    aborted: bool,
    /// A queued command writes (or may be replicated): CLIENT PAUSE WRITE holds EXEC.
    queued_writes: bool,
    watched: Vec<Watched>,
    /// A watched key was modified: EXEC must fail.
    dirty: bool,
    /// A queued command may grow the dataset (EXEC is refused when memory is full).
    queued_denyoom: bool,
    /// What the queued commands take, as Redis counts it (CLIENT LIST's multi-mem):
    /// their arguments' bytes and a pointer per argument.
    queued_bytes: usize,
}

impl TxState {
    pub fn in_multi(&self) -> bool {
        self.queue.is_some()
    }

    /// How many commands are queued (None outside MULTI).
    pub fn queued(&self) -> Option<usize> {
        self.queue.as_ref().map(Vec::len)
    }

    pub fn is_watching(&self) -> bool {
        !self.watched.is_empty()
    }

    /// A watched key changed (CLIENT LIST's `d` flag).
    pub fn is_dirty(&self) -> bool {
        self.dirty
    }

    /// The number of watched keys.
    pub fn watched_len(&self) -> usize {
        self.watched.len()
    }

    /// Whether a queued command writes or may be replicated.
    pub fn queued_writes(&self) -> bool {
        self.queued_writes
    }

    /// Whether a queued command may grow the dataset.
    pub fn queued_denyoom(&self) -> bool {
        self.queued_denyoom
    }

    /// CLIENT LIST's multi-mem.
    pub fn multi_mem(&self) -> usize {
        self.queued_bytes
    }
}

/// What EXEC finds when it takes a transaction.
pub struct Taken {
    pub queue: Vec<Argv>,
    /// A command was rejected while queueing.
    pub aborted: bool,
    /// A watched key changed or expired.
    pub dirty: bool,
}

/// (db, key) → the clients watching it.
#[derive(Debug, Default)]
pub struct Watches {
    by_key: HashMap<(usize, Vec<u8>), Vec<ClientId>>,
}

impl Watches {
    fn add(&mut self, db: usize, key: &[u8], client: ClientId) {
        let list = self.by_key.entry((db, key.to_vec())).or_default();
        if !list.contains(&client) {
            list.push(client);
        }
    }

    fn remove(&mut self, db: usize, key: &[u8], client: ClientId) {
        let slot = (db, key.to_vec());
        if let Some(list) = self.by_key.get_mut(&slot) {
            list.retain(|&c| c != client);
            if list.is_empty() {
                self.by_key.remove(&slot);
            }
        }
    }
}

impl Server {
    /// MULTI: start queueing. False if a transaction is already open.
    pub fn begin_multi(&mut self, client: ClientId) -> bool {
        let Some(c) = self.clients.get_mut(client) else {
            return false;
        };
        if c.tx.queue.is_some() {
            return false;
        }
        c.tx.queue = Some(Vec::new());
        true
    }

    /// Queue a command of an open transaction (`denyoom`: it may grow the dataset).
    pub(super) fn queue_command(
        &mut self,
        client: ClientId,
        argv: &[Vec<u8>],
        denyoom: bool,
        writes: bool,
    ) {
        if let Some(c) = self.clients.get_mut(client) {
            if let Some(q) = c.tx.queue.as_mut() {
                q.push(argv.to_vec());
                c.tx.queued_denyoom |= denyoom;
                c.tx.queued_writes |= writes;
                c.tx.queued_bytes += argv.iter().map(|a| a.len() + 8).sum::<usize>();
            }
        }
    }

    /// A command was rejected while queueing: the transaction will abort.
    pub(super) fn flag_multi_error(&mut self, client: ClientId) {
        if let Some(c) = self.clients.get_mut(client) {
            if c.tx.queue.is_some() {
                c.tx.aborted = true;
            }
        }
    }

    /// EXEC: take the queue (None without MULTI); the transaction and the watches end.
    pub fn take_transaction(&mut self, client: ClientId, now: Ms) -> Option<Taken> {
        let c = self.clients.get_mut(client)?;
        let queue = c.tx.queue.take()?;
        let aborted = c.tx.aborted;
        let dirty = c.tx.dirty || self.watched_key_expired(client, now);
        self.discard_transaction(client);
        Some(Taken {
            queue,
            aborted,
            dirty,
        })
    }

    /// The one place a transaction ends: the queue, the abort flag, the watches and
    /// their dirty flag all go (DISCARD, EXEC, RESET, a closed connection).
    pub fn discard_transaction(&mut self, client: ClientId) {
        self.unwatch_all(client);
        if let Some(c) = self.clients.get_mut(client) {
            c.tx = TxState::default();
        }
    }

    /// WATCH a key of `db`.
    pub fn watch(&mut self, client: ClientId, db: usize, key: &[u8], now: Ms) {
        let expired = self.dbs[db].is_logically_expired(key, now);
        let Some(c) = self.clients.get_mut(client) else {
            return;
        };
        if c.tx.watched.iter().any(|w| w.db == db && w.key == key) {
            return;
        }
        c.tx.watched.push(Watched {
            db,
            key: key.to_vec(),
            expired,
        });
        self.watches.add(db, key, client);
    }

    /// UNWATCH: forget every watched key (and that one changed).
    pub fn unwatch_all(&mut self, client: ClientId) {
        let Some(c) = self.clients.get_mut(client) else {
            return;
        };
        let watched = std::mem::take(&mut c.tx.watched);
        c.tx.dirty = false;
        for w in watched {
            self.watches.remove(w.db, &w.key, client);
        }
    }

    /// A watched key whose TTL ran out since WATCH (even if not yet deleted) fails EXEC,
    /// as in Redis 7; one that had already expired when watched does not.
    fn watched_key_expired(&self, client: ClientId, now: Ms) -> bool {
        self.clients.get(client).is_some_and(|c| {
            c.tx.watched
                .iter()
                .filter(|w| !w.expired)
                .any(|w| self.dbs[w.db].is_logically_expired(&w.key, now))
        })
    }

    /// A key was modified (or deleted): the views' generation moves and the clients
    /// watching it will fail EXEC.
    pub fn key_modified(&mut self, db: usize, key: &[u8]) {
        self.generation += 1;
        self.tracking_invalidate(key);
        if self.watches.by_key.is_empty() {
            return;
        }
        let Some(watchers) = self.watches.by_key.get(&(db, key.to_vec())) else {
            return;
        };
        let stored = self.dbs[db].is_stored(key);
        for &id in watchers {
            let Some(c) = self.clients.get_mut(id) else {
                continue;
            };
            if c.tx.dirty {
                continue;
            }
            for w in
                c.tx.watched
                    .iter_mut()
                    .filter(|w| w.db == db && w.key == key)
            {
                if w.expired && !stored {
                    // Deleting a key that had already expired when watched changes nothing.
                    w.expired = false;
                } else {
                    c.tx.dirty = true;
                }
            }
        }
    }

    /// Every watcher of a key of `db` sees a change (the keyspace was replaced).
    pub(super) fn touch_all_watched_in(&mut self, db: usize) {
        self.generation += 1;
        let touched: Vec<ClientId> = self
            .watches
            .by_key
            .iter()
            .filter(|((d, _), _)| *d == db)
            .flat_map(|(_, clients)| clients.iter().copied())
            .collect();
        for id in touched {
            if let Some(c) = self.clients.get_mut(id) {
                c.tx.dirty = true;
            }
        }
    }

    /// Db `emptied` is emptied (FLUSHDB: `replaced_with` None) or is about to get the keys
    /// of `replaced_with` (SWAPDB), as Redis's `touchAllWatchedKeysInDb` judges it: a
    /// watched key stored in either (expired or not) makes its watchers dirty — except
    /// that a key already expired when watched stays unchanged if it is gone or replaced by
    /// another expired one, and a missing key replaced by an expired one counts as
    /// expired, not changed.
    pub(super) fn touch_watched_swapped(
        &mut self,
        emptied: usize,
        replaced_with: Option<usize>,
        now: Ms,
    ) {
        self.generation += 1;
        for key in self.watched_keys_in(emptied) {
            let in_emptied = self.dbs[emptied].is_stored(&key);
            let in_replacement = replaced_with.is_some_and(|r| self.dbs[r].is_stored(&key));
            if !in_emptied && !in_replacement {
                continue;
            }
            let replacement_expired =
                replaced_with.is_some_and(|r| self.dbs[r].is_logically_expired(&key, now));
            let watchers = self
                .watches
                .by_key
                .get(&(emptied, key.clone()))
                .cloned()
                .unwrap_or_default();
            for id in watchers {
                let Some(c) = self.clients.get_mut(id) else {
                    continue;
                };
                for w in
                    c.tx.watched
                        .iter_mut()
                        .filter(|w| w.db == emptied && w.key == key)
                {
                    if w.expired {
                        if !in_replacement {
                            w.expired = false;
                            continue;
                        }
                        if replacement_expired {
                            continue;
                        }
                    } else if !in_emptied && replacement_expired {
                        w.expired = true;
                        continue;
                    }
                    c.tx.dirty = true;
                }
            }
        }
    }

    /// The watched keys of `db`.
    pub(super) fn watched_keys_in(&self, db: usize) -> Vec<Vec<u8>> {
        self.watches
            .by_key
            .keys()
            .filter(|(d, _)| *d == db)
            .map(|(_, k)| k.clone())
            .collect()
    }
}
