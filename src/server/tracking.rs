//! Client-side caching: CLIENT TRACKING's state and its invalidation messages, as Redis 7.0
//! keeps them (`tracking.c`).
//!
//! - Default mode: after a read-only command, the server remembers which client read
//!   which keys (one table for all dbs: key names only, as Redis). When a key changes
//!   (a write, an expiry, an eviction) each client that read it gets one `invalidate`
//!   message and the key is forgotten until read again. OPTIN/OPTOUT with CLIENT CACHING
//!   choose which reads count.
//! - BCAST mode: clients name prefixes instead (none: every key); a change to a key under
//!   a prefix is collected and sent to its clients after the command, in key order.
//! - A message goes to the client itself in RESP3 (a push), or to the client it redirects
//!   to: a RESP3 push there, or in RESP2 a pub/sub message on `__redis__:invalidate` when
//!   that client is subscribed. A client's own writes to keys it tracks are announced
//!   after the command's reply; NOLOOP leaves them out.
//! - FLUSHDB/FLUSHALL tell every tracking client "everything" (a null).

use std::collections::{BTreeMap, BTreeSet};

use super::{ClientId, Server};
use crate::reply::{Protocol, Reply};

/// One client's CLIENT TRACKING settings.
#[derive(Clone, Debug, Default)]
pub struct Tracker {
    /// REDIRECT: the client that receives the messages (0: this one).
    pub redirect: ClientId,
    pub bcast: bool,
    pub optin: bool,
    pub optout: bool,
    pub noloop: bool,
    /// CLIENT CACHING was given for the next command (YES in OPTIN, NO in OPTOUT).
    pub caching: bool,
    /// The client it redirects to is gone.
    pub broken_redirect: bool,
    /// BCAST prefixes, in order.
    pub prefixes: BTreeSet<Vec<u8>>,
}

/// The clients of one BCAST prefix and the keys under it changed since the last
/// broadcast, each with the client that changed it last (for NOLOOP).
#[derive(Default)]
struct Prefix {
    clients: BTreeSet<ClientId>,
    changed: BTreeMap<Vec<u8>, Option<ClientId>>,
}

/// What CLIENT TRACKING ON asks for.
pub struct Options {
    pub redirect: ClientId,
    pub bcast: bool,
    pub optin: bool,
    pub optout: bool,
    pub noloop: bool,
    pub prefixes: Vec<Vec<u8>>,
}

/// The tracking table, the prefix table and every tracking client's settings.
pub struct Tracking {
    trackers: BTreeMap<ClientId, Tracker>,
    /// Default mode: key → the clients that read it since it last changed.
    keys: BTreeMap<Vec<u8>, BTreeSet<ClientId>>,
    /// (key, client) pairs in `keys` (INFO's tracking_total_items).
    items: usize,
    prefixes: BTreeMap<Vec<u8>, Prefix>,
    /// Messages for the client running a command, sent after its reply (None: a flush).
    pending: Vec<Option<Vec<u8>>>,
    /// `tracking-table-max-keys` (0: no limit).
    pub max_keys: usize,
}

impl Default for Tracking {
    fn default() -> Tracking {
        Tracking {
            trackers: BTreeMap::new(),
            keys: BTreeMap::new(),
            items: 0,
            prefixes: BTreeMap::new(),
            pending: Vec::new(),
            max_keys: 1_000_000,
        }
    }
}

impl Tracking {
    pub fn tracker(&self, client: ClientId) -> Option<&Tracker> {
        self.trackers.get(&client)
    }

    /// INFO: tracking clients, keys, (key, client) items and prefixes.
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        (
            self.trackers.len(),
            self.keys.len(),
            self.items,
            self.prefixes.len(),
        )
    }

    /// CLIENT TRACKING ON. The caller checked the options against each other.
    pub fn enable(&mut self, client: ClientId, o: Options) {
        let t = self.trackers.entry(client).or_default();
        t.redirect = o.redirect;
        t.bcast = o.bcast;
        t.optin = o.optin;
        t.optout = o.optout;
        t.noloop = o.noloop;
        t.broken_redirect = false;
        if o.bcast {
            let wanted = if o.prefixes.is_empty() {
                vec![Vec::new()]
            } else {
                o.prefixes
            };
            for p in wanted {
                self.prefixes
                    .entry(p.clone())
                    .or_default()
                    .clients
                    .insert(client);
                t.prefixes.insert(p);
            }
        }
    }

    /// CLIENT TRACKING OFF (and RESET, and a closed connection). The keys it read stay in
    /// the table, forgotten lazily as Redis does.
    pub fn disable(&mut self, client: ClientId) {
        let Some(t) = self.trackers.remove(&client) else {
            return;
        };
        for p in &t.prefixes {
            if let Some(state) = self.prefixes.get_mut(p) {
                state.clients.remove(&client);
                if state.clients.is_empty() {
                    self.prefixes.remove(p);
                }
            }
        }
    }

    /// CLIENT CACHING YES|NO: the next command's reads count (OPTIN) or don't (OPTOUT).
    pub fn set_caching(&mut self, client: ClientId) {
        if let Some(t) = self.trackers.get_mut(&client) {
            t.caching = true;
        }
    }

    /// A command ended outside MULTI (and was not CLIENT): CACHING applied to it only.
    pub fn command_done(&mut self, client: ClientId) {
        if let Some(t) = self.trackers.get_mut(&client) {
            t.caching = false;
        }
    }

    /// A read-only command read `keys`: remember them for the client, in default mode,
    /// unless OPTIN without CACHING YES or OPTOUT with CACHING NO says not to.
    fn remember<'a>(&mut self, client: ClientId, keys: impl Iterator<Item = &'a [u8]>) {
        let Some(t) = self.trackers.get(&client) else {
            return;
        };
        if t.bcast || (t.optin && !t.caching) || (t.optout && t.caching) {
            return;
        }
        for k in keys {
            if self.keys.entry(k.to_vec()).or_default().insert(client) {
                self.items += 1;
            }
        }
    }

    /// A key of the table chosen at random while it holds more than
    /// `tracking-table-max-keys` keys (Redis evicts random keys too).
    fn over_limit(&self, rng: &mut fastrand::Rng) -> Option<Vec<u8>> {
        if self.max_keys == 0 || self.keys.len() <= self.max_keys {
            return None;
        }
        let i = rng.usize(..self.keys.len());
        self.keys.keys().nth(i).cloned()
    }

    /// `key` changed (by `by`, the client running the command, if any): note it for the
    /// BCAST prefixes it falls under (when `bcast`), and return the default-mode clients
    /// to tell, the key forgotten for them.
    fn changed(&mut self, key: &[u8], by: Option<ClientId>, bcast: bool) -> BTreeSet<ClientId> {
        if bcast {
            for (p, state) in self.prefixes.iter_mut() {
                if key.starts_with(p) {
                    state.changed.insert(key.to_vec(), by);
                }
            }
        }
        let ids = self.keys.remove(key).unwrap_or_default();
        self.items -= ids.len();
        ids
    }
}

// ---- sending ----

impl Server {
    pub fn tracking(&self) -> &Tracking {
        &self.tracking
    }

    pub fn tracking_mut(&mut self) -> &mut Tracking {
        &mut self.tracking
    }

    /// A key changed: every default-mode client that read it is told (the running
    /// client after its reply; not at all with NOLOOP), and BCAST prefixes note it.
    pub(super) fn tracking_invalidate(&mut self, key: &[u8]) {
        if self.tracking.trackers.is_empty() && self.tracking.keys.is_empty() {
            return;
        }
        let current = self.current_client;
        for id in self.tracking.changed(key, current, true) {
            let Some(t) = self.tracking.trackers.get(&id) else {
                continue;
            };
            if t.bcast || (t.noloop && Some(id) == current) {
                continue;
            }
            if Some(id) == current {
                self.tracking.pending.push(Some(key.to_vec()));
            } else {
                self.send_invalidation(id, Some(vec![key.to_vec()]));
            }
        }
    }

    /// FLUSHDB, FLUSHALL, a reload: every tracking client is told that everything
    /// changed, and the table is emptied.
    pub fn tracking_flushed(&mut self) {
        let ids: Vec<ClientId> = self.tracking.trackers.keys().copied().collect();
        for id in ids {
            if Some(id) == self.current_client {
                self.tracking.pending.push(None);
            } else {
                self.send_invalidation(id, None);
            }
        }
        self.tracking.keys.clear();
        self.tracking.items = 0;
    }

    /// A read-only command ran: remember its keys for a tracking client.
    pub(super) fn tracking_read(&mut self, client: ClientId, keys: &[&[u8]]) {
        if !self.tracking.trackers.contains_key(&client) {
            return;
        }
        self.tracking.remember(client, keys.iter().copied());
        while let Some(k) = self.tracking.over_limit(&mut self.rng) {
            // Pushed out of a full table: its readers are told as if it changed.
            for id in self.tracking.changed(&k, None, false) {
                self.send_invalidation(id, Some(vec![k.clone()]));
            }
        }
    }

    /// After a command: the running client's own invalidations, then what BCAST
    /// prefixes collected.
    pub(super) fn tracking_after_command(&mut self, client: ClientId) {
        for key in std::mem::take(&mut self.tracking.pending) {
            if self.clients.is_connected(client) {
                self.send_invalidation(client, key.map(|k| vec![k]));
            }
        }
        self.tracking_broadcast();
    }

    /// What BCAST prefixes collected since the last time (after each command, and as
    /// time passes: keys expire between commands), each client's keys in order (NOLOOP:
    /// without its own).
    pub(super) fn tracking_broadcast(&mut self) {
        if self
            .tracking
            .prefixes
            .values()
            .all(|p| p.changed.is_empty())
        {
            return;
        }
        let mut out: Vec<(ClientId, Vec<Vec<u8>>)> = Vec::new();
        for state in self.tracking.prefixes.values_mut() {
            let changed = std::mem::take(&mut state.changed);
            if changed.is_empty() {
                continue;
            }
            for &id in &state.clients {
                let noloop = self.tracking.trackers.get(&id).is_some_and(|t| t.noloop);
                let keys: Vec<Vec<u8>> = changed
                    .iter()
                    .filter(|(_, by)| !(noloop && **by == Some(id)))
                    .map(|(k, _)| k.clone())
                    .collect();
                if !keys.is_empty() {
                    out.push((id, keys));
                }
            }
        }
        for (id, keys) in out {
            self.send_invalidation(id, Some(keys));
        }
    }

    /// Tell tracking client `id` that `keys` changed (None: all keys), where its
    /// messages go: itself in RESP3, or the client it redirects to.
    fn send_invalidation(&mut self, id: ClientId, keys: Option<Vec<Vec<u8>>>) {
        let Some(t) = self.tracking.trackers.get_mut(&id) else {
            return;
        };
        let mut to = id;
        let redirected = t.redirect != 0;
        if redirected {
            if !self.clients.is_connected(t.redirect) {
                t.broken_redirect = true;
                let redirect = t.redirect as i64;
                if self.clients.get(id).map(|c| c.protocol()) == Some(Protocol::Resp3) {
                    self.clients.push(
                        id,
                        Reply::Push(vec![
                            Reply::bulk("tracking-redir-broken"),
                            Reply::Int(redirect),
                        ]),
                    );
                }
                return;
            }
            to = t.redirect;
        }
        let payload = match keys {
            Some(keys) => Reply::Array(keys.into_iter().map(Reply::Bulk).collect()),
            None => Reply::Null,
        };
        let message = match self.clients.get(to).map(|c| c.protocol()) {
            Some(Protocol::Resp3) => Reply::Push(vec![Reply::bulk("invalidate"), payload]),
            Some(Protocol::Resp2) if redirected && self.is_subscribed(to) => Reply::Push(vec![
                Reply::bulk("message"),
                Reply::bulk(INVALIDATE_CHANNEL),
                payload,
            ]),
            // A RESP2 connection can't carry a push beside its replies.
            _ => return,
        };
        self.clients.push(to, message);
    }
}

/// The channel a RESP2 client subscribes to for the invalidations redirected to it.
pub const INVALIDATE_CHANNEL: &str = "__redis__:invalidate";
