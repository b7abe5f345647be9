//! `maxmemory` and its policies: the configuration (CONFIG's `maxmemory`,
//! `maxmemory-policy`, `maxmemory-samples`, `lfu-log-factor`, `lfu-decay-time`).

use super::clients::Client;
use super::{Class, ClientId, Server};
use crate::clock::Ms;
use crate::db::Lfu;

/// The eight `maxmemory-policy` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    VolatileLru,
    VolatileLfu,
    VolatileRandom,
    VolatileTtl,
    AllkeysLru,
    AllkeysLfu,
    AllkeysRandom,
    NoEviction,
}

impl Policy {
    pub const ALL: [Policy; 8] = [
        Policy::VolatileLru,
        Policy::VolatileLfu,
        Policy::VolatileRandom,
        Policy::VolatileTtl,
        Policy::AllkeysLru,
        Policy::AllkeysLfu,
        Policy::AllkeysRandom,
        Policy::NoEviction,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Policy::VolatileLru => "volatile-lru",
            Policy::VolatileLfu => "volatile-lfu",
            Policy::VolatileRandom => "volatile-random",
            Policy::VolatileTtl => "volatile-ttl",
            Policy::AllkeysLru => "allkeys-lru",
            Policy::AllkeysLfu => "allkeys-lfu",
            Policy::AllkeysRandom => "allkeys-random",
            Policy::NoEviction => "noeviction",
        }
    }

    pub fn parse(name: &[u8]) -> Option<Policy> {
        Policy::ALL
            .into_iter()
            .find(|p| p.name().as_bytes().eq_ignore_ascii_case(name))
    }

    /// Whether keys' access frequency is tracked (OBJECT FREQ).
    pub fn is_lfu(self) -> bool {
        matches!(self, Policy::VolatileLfu | Policy::AllkeysLfu)
    }

    /// Whether only keys with a TTL may be evicted.
    pub fn volatile_only(self) -> bool {
        matches!(
            self,
            Policy::VolatileLru
                | Policy::VolatileLfu
                | Policy::VolatileRandom
                | Policy::VolatileTtl
        )
    }
}

/// The eviction settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Eviction {
    /// `maxmemory` in bytes (0: no limit).
    pub maxmemory: u64,
    pub policy: Policy,
    pub samples: u32,
    pub lfu_log_factor: i64,
    /// `lfu-decay-time`, in minutes.
    pub lfu_decay_time: i64,
    /// `maxmemory-clients`.
    pub clients: ClientsLimit,
}

/// `maxmemory-clients`: no limit, bytes, or a percentage of `maxmemory`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum ClientsLimit {
    #[default]
    Off,
    Bytes(u64),
    Percent(u64),
}

impl ClientsLimit {
    /// As CONFIG GET shows it: `0`, bytes, or `5%`.
    pub fn text(&self) -> String {
        match self {
            ClientsLimit::Off => "0".into(),
            ClientsLimit::Bytes(n) => n.to_string(),
            ClientsLimit::Percent(p) => format!("{p}%"),
        }
    }
}

/// What an idle Redis 7.0.15 client takes (CLIENT LIST's tot-mem once its reply buffer
/// has shrunk back to 1 KB): its struct, query buffer and reply buffer.
pub const CLIENT_IDLE_MEMORY: u64 = 22_320;
/// Redis never lets `maxmemory-clients` go below this, so a console can always talk to it.
const MIN_CLIENTS_LIMIT: u64 = 128 * 1024;

impl Default for Eviction {
    fn default() -> Self {
        Eviction {
            maxmemory: 0,
            policy: Policy::NoEviction,
            samples: 5,
            lfu_log_factor: 10,
            lfu_decay_time: 1,
            clients: ClientsLimit::Off,
        }
    }
}

/// How many candidates the eviction pool keeps (Redis's EVPOOL_SIZE).
const POOL_SIZE: usize = 16;
/// How many evictions the server remembers for the keyspace view.
const EVICTION_LOG: usize = 32;

/// A candidate for eviction: how good a victim it is (higher first), its db and key, and
/// why it was chosen.
struct Candidate {
    score: u64,
    db: usize,
    key: Box<[u8]>,
    why: String,
}

/// A key evicted, for the keyspace view: which, when (world ms), under which policy and
/// why it was the one.
#[derive(Clone, Debug, PartialEq)]
pub struct Evicted {
    pub db: usize,
    pub key: Vec<u8>,
    pub at: Ms,
    pub policy: Policy,
    pub why: String,
}

impl Server {
    /// What a client takes in Redis's memory (CLIENT LIST's tot-mem), as modelled: an
    /// idle client, its queued transaction (multi-mem) and what was pushed to it that it
    /// has not read (omem).
    pub fn client_memory(&self, c: &Client) -> u64 {
        CLIENT_IDLE_MEMORY + c.tx().multi_mem() as u64 + c.output_bytes() as u64
    }

    /// The bytes all clients may take before some are evicted (0: no limit), as Redis's
    /// `getClientEvictionLimit` works it out.
    fn clients_limit(&self) -> u64 {
        let limit = match self.eviction.clients {
            ClientsLimit::Off | ClientsLimit::Percent(0) => return 0,
            ClientsLimit::Percent(_) if self.eviction.maxmemory == 0 => return 0,
            ClientsLimit::Percent(p) => (self.eviction.maxmemory as f64 * p as f64 / 100.0) as u64,
            ClientsLimit::Bytes(n) => n,
        };
        limit.max(MIN_CLIENTS_LIMIT)
    }

    /// Redis's `evictClients`, after each command: while the clients together take
    /// `maxmemory-clients` or more, close the biggest one that may be evicted (not CLIENT
    /// NO-EVICT) — possibly the one whose command just ran, once it has its reply.
    pub(super) fn evict_clients(&mut self) {
        let limit = self.clients_limit();
        if limit == 0 {
            return;
        }
        let mut sizes: Vec<(u64, bool, ClientId)> = self
            .clients
            .iter()
            .map(|c| (self.client_memory(c), c.no_evict(), c.id()))
            .collect();
        let mut total: u64 = sizes.iter().map(|s| s.0).sum();
        // Biggest first; among equals the newest, as Redis's buckets meet them.
        sizes.sort_by(|a, b| b.0.cmp(&a.0).then(b.2.cmp(&a.2)));
        for (size, no_evict, id) in sizes {
            if total < limit {
                break;
            }
            if no_evict {
                continue;
            }
            self.disconnect(id);
            self.stats.evicted_clients += 1;
            total -= size;
        }
    }

    /// The keys evicted lately, oldest first.
    pub fn recent_evictions(&self) -> impl Iterator<Item = &Evicted> {
        self.evictions.iter()
    }

    /// How accesses are counted under an LFU policy (None under the others).
    pub fn lfu(&self) -> Option<Lfu> {
        self.eviction.policy.is_lfu().then_some(Lfu {
            log_factor: self.eviction.lfu_log_factor,
            decay_time: self.eviction.lfu_decay_time,
        })
    }

    /// Apply new eviction settings (CONFIG SET): the dbs count accesses as the policy
    /// needs.
    pub fn configure_eviction(&mut self, e: Eviction) {
        self.eviction = e;
        let lfu = self.lfu();
        for db in &mut self.dbs {
            db.set_lfu(lfu);
        }
    }

    /// CONFIG SET maxmemory: Redis evicts at once down to the new limit (its notified
    /// `evicted` events go out with the CONFIG SET).
    pub fn maxmemory_set(&mut self, now: Ms) {
        if self.eviction.maxmemory != 0 {
            self.perform_evictions(now);
        }
    }

    /// Redis's `performEvictions`, before a command runs: while `used_memory` is above
    /// `maxmemory`, delete the key the policy picks — sampled `maxmemory-samples` keys
    /// per db into a pool of the 16 best candidates (most idle, least frequently used,
    /// nearest expiry), or a random key. False when memory is still above the limit (the
    /// policy is noeviction, or nothing is left to evict): commands that may grow the
    /// data are then refused with OOM.
    pub(super) fn perform_evictions(&mut self, now: Ms) -> bool {
        let max = self.eviction.maxmemory;
        if max == 0 {
            return true;
        }
        self.settle_memory();
        if self.used_memory() <= max {
            return true;
        }
        let policy = self.eviction.policy;
        if policy == Policy::NoEviction {
            return false;
        }
        let mut next_db = 0;
        while self.used_memory() > max {
            let victim = match policy {
                Policy::AllkeysRandom | Policy::VolatileRandom => self
                    .random_victim(&mut next_db, policy.volatile_only())
                    .map(|(db, key)| (db, key, "picked at random".to_string())),
                _ => self.pool_victim(now),
            };
            let Some((db, key, why)) = victim else {
                return false;
            };
            if self.dbs[db].remove(&key, now).is_none() {
                continue;
            }
            self.stats.evicted_keys += 1;
            if self.evictions.len() == EVICTION_LOG {
                self.evictions.pop_front();
            }
            self.evictions.push_back(Evicted {
                db,
                key: key.to_vec(),
                at: now,
                policy,
                why,
            });
            self.key_modified(db, &key);
            self.notify_keyspace_event(db, Class::Evicted, "evicted", &key);
        }
        true
    }

    /// A random key of the next db that has one (round robin), as Redis's random
    /// policies pick.
    fn random_victim(&mut self, next_db: &mut usize, volatile: bool) -> Option<(usize, Box<[u8]>)> {
        for _ in 0..self.dbs.len() {
            let db = *next_db % self.dbs.len();
            *next_db += 1;
            let picked = self.dbs[db].eviction_sample(&mut self.rng, 1, volatile);
            if let Some((key, _, _)) = picked.into_iter().next() {
                return Some((db, key));
            }
        }
        None
    }

    /// The best candidate of a pool filled from every db's sample.
    fn pool_victim(&mut self, now: Ms) -> Option<(usize, Box<[u8]>, String)> {
        let policy = self.eviction.policy;
        let lfu = self.lfu();
        let samples = self.eviction.samples.max(1) as usize;
        let mut pool: Vec<Candidate> = Vec::with_capacity(POOL_SIZE + samples);
        for db in 0..self.dbs.len() {
            for (key, word, expire) in
                self.dbs[db].eviction_sample(&mut self.rng, samples, policy.volatile_only())
            {
                let (score, why) = match (policy, lfu) {
                    (Policy::VolatileTtl, _) => {
                        let at = expire.unwrap_or(0).max(0);
                        (
                            u64::MAX - at as u64,
                            format!("expires soonest (in {} ms)", (at - now).max(0)),
                        )
                    }
                    (_, Some(l)) => {
                        let freq = l.decayed(word, now);
                        (
                            255 - u64::from(freq),
                            format!("least used (frequency {freq})"),
                        )
                    }
                    _ => {
                        let idle = crate::db::idle_seconds(word, now);
                        (idle, format!("idle longest ({idle} s)"))
                    }
                };
                pool.push(Candidate {
                    score,
                    db,
                    key,
                    why,
                });
            }
            pool.sort_by_key(|c| std::cmp::Reverse(c.score));
            pool.truncate(POOL_SIZE);
        }
        pool.into_iter().next().map(|c| (c.db, c.key, c.why))
    }
}
