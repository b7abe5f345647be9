//! Keys whose TTL ran out: the active expiry cycle (a bounded, sampled pass ten times a
//! second of world time, with fast passes between while expired keys pile up, as Redis
//! runs it) and the accounting of keys that lazy or active expiry deleted.

use super::notify::Class;
use super::Server;
use crate::clock::Ms;
use crate::db::Db;

/// Work bound of one active-expiry pass over all databases, in sampled keys.
pub const ACTIVE_EXPIRE_BUDGET: usize = 2_000;
/// Work bound of one fast pass, run between regular ones while expired keys pile up.
pub const FAST_EXPIRE_BUDGET: usize = 1_000;
/// Fast passes run at most this often (world ms), as Redis's do.
pub const FAST_EXPIRE_EVERY_MS: i64 = 2;
/// Work bound of one active-expiry pass for hash fields with their own TTL, per db.
pub const ACTIVE_EXPIRE_FIELDS: usize = 1_000;

/// When the cycle last ran, and whether it left expired keys behind.
#[derive(Debug, Clone, Copy)]
pub struct ExpiryCycle {
    last_ms: Ms,
    last_fast_ms: Ms,
    /// The last pass ran out of budget: fast passes run until one doesn't.
    backlog: bool,
    /// DEBUG SET-ACTIVE-EXPIRE 0 turns the cycle off: keys and hash fields then go only
    /// when a command looks at them.
    enabled: bool,
}

impl ExpiryCycle {
    pub fn new(now: Ms) -> ExpiryCycle {
        ExpiryCycle {
            last_ms: now,
            last_fast_ms: now,
            backlog: false,
            enabled: true,
        }
    }
}

impl Server {
    /// Let world time pass: blocked clients whose timeout passed get their answer, and
    /// the active expiry cycle runs if one is due. The work done is bounded, so a million
    /// keys expiring at once never stalls the caller.
    pub fn tick(&mut self, now: Ms) {
        // A running script gets its next slice first (nothing else runs beside it).
        self.tick_script(now);
        self.tick_expiry(now);
        // Keys that expired meanwhile go to BCAST trackers now, not at the next command.
        self.tracking_broadcast();
    }

    fn tick_expiry(&mut self, now: Ms) {
        self.now_ms = now;
        self.expire_blocked(now);
        self.release_held(now);
        if self.pause(now).is_some() {
            // Keys don't expire actively while clients are paused.
            return;
        }
        let cycle = &mut self.expiry;
        if now < cycle.last_ms {
            // The world clock was set back (a reset): start the cycle's timing afresh.
            *cycle = ExpiryCycle {
                enabled: cycle.enabled,
                ..ExpiryCycle::new(now)
            };
        }
        if !cycle.enabled {
            return;
        }
        let period = 1000 / i64::from(self.hz.max(1));
        if now.saturating_sub(cycle.last_ms) >= period {
            cycle.last_ms = now;
            cycle.last_fast_ms = now;
            let backlog = self.expire_cycle(now, ACTIVE_EXPIRE_BUDGET);
            self.expiry.backlog = backlog;
        } else if cycle.backlog && now.saturating_sub(cycle.last_fast_ms) >= FAST_EXPIRE_EVERY_MS {
            // As Redis's fast cycle: while the last cycle ran out of budget with expired
            // keys left, small extra passes between the regular ones.
            cycle.last_fast_ms = now;
            let backlog = self.expire_cycle(now, FAST_EXPIRE_BUDGET);
            self.expiry.backlog = backlog;
        }
    }

    /// One active expiry pass over the dbs that have keys with a TTL, looking at no more
    /// than `budget` keys in all: what one db doesn't use passes to the next, so one big
    /// db gets all of it. True when the budget ran out (expired keys are probably left).
    fn expire_cycle(&mut self, now: Ms, budget: usize) -> bool {
        // Hashes changed since the last command register their field deadlines first.
        self.settle_memory();
        for db in &mut self.dbs {
            db.active_expire_fields(now, ACTIVE_EXPIRE_FIELDS);
        }
        let Server { dbs, rng, .. } = self;
        let mut volatile: Vec<&mut Db> = dbs.iter_mut().filter(|d| d.expires_len() > 0).collect();
        let mut left = budget;
        let count = volatile.len();
        for (i, db) in volatile.iter_mut().enumerate() {
            let (_, looked) = db.active_expire(now, rng, left / (count - i));
            left -= looked.min(left);
        }
        self.collect_expired();
        count > 0 && left == 0
    }

    /// Account for keys and hash fields that lazy or active expiry deleted: keys counted,
    /// watchers told, an `expired` event each; a hash that lost fields gets an `hexpired`
    /// event, and a `del` if it went with them (as Redis 7.4 reports them).
    pub(super) fn collect_expired(&mut self) {
        for db in 0..self.dbs.len() {
            if self.dbs[db].has_no_expired() {
                continue;
            }
            for key in self.dbs[db].take_expired() {
                self.stats.expired_keys += 1;
                self.key_modified(db, &key);
                self.notify_keyspace_event(db, Class::Expired, "expired", &key);
            }
            for f in self.dbs[db].take_fields_expired() {
                self.key_modified(db, &f.key);
                self.notify_keyspace_event(db, Class::Hash, "hexpired", &f.key);
                if f.emptied {
                    self.notify_keyspace_event(db, Class::Generic, "del", &f.key);
                }
            }
        }
    }

    /// The earliest expiry time of any key in any db (world ms), for "step to the next
    /// due event".
    pub fn next_expiry(&self) -> Option<Ms> {
        self.dbs.iter().filter_map(|d| d.next_expiry()).min()
    }

    /// DEBUG SET-ACTIVE-EXPIRE: run the active expiry cycle or not.
    pub fn set_active_expire(&mut self, on: bool) {
        self.expiry.enabled = on;
    }

    /// How many times a second the active expiry cycle runs (`hz`).
    pub fn hz(&self) -> u32 {
        self.hz
    }

    pub fn set_hz(&mut self, hz: u32) {
        self.hz = hz.clamp(1, 500);
    }
}
