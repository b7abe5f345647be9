//! One database: its entries, their expiry times, lazy expiry on access and a bounded
//! active expiry cycle.
//!
//! Entries live in the shared indexed slab ([`crate::slab`]): an entry keeps its slot for
//! as long as its key exists, each key is stored once, and SCAN is the slab's scan, which
//! never misses a key present for the whole scan. The keys that have a TTL are also listed
//! (by slot) in `expires`, so the active cycle can sample them at random as Redis does.

use crate::clock::Ms;
use crate::slab::{IndexedSlab, Keyed};
use crate::types::Value;
use std::collections::{BTreeSet, HashMap};

/// `expire_at` of an entry without a TTL.
const NO_EXPIRE: i64 = i64::MIN;
const NOT_LISTED: u32 = u32::MAX;

#[derive(Clone, Debug)]
pub struct Entry {
    key: Box<[u8]>,
    pub value: Value,
    expire_at: i64,
    expires_pos: u32,
    /// Last access, world seconds (OBJECT IDLETIME) — or, under an LFU policy, Redis's
    /// LFU word: the minute of the last decrement (16 bits) and a logarithmic access
    /// counter (8 bits).
    pub lru: u32,
    /// What the key and its value would take in Redis (MEMORY USAGE), as last settled.
    usage: u32,
    /// Its value changed since: `usage` is to be computed again after the command.
    stale: bool,
}

impl Keyed for Entry {
    fn key(&self) -> &[u8] {
        &self.key
    }
}

impl Entry {
    pub fn key(&self) -> &[u8] {
        &self.key
    }
    /// Absolute expiry in world milliseconds, if the key has a TTL.
    pub fn expire_at(&self) -> Option<i64> {
        (self.expire_at != NO_EXPIRE).then_some(self.expire_at)
    }
    fn is_expired(&self, now: Ms) -> bool {
        self.expire_at != NO_EXPIRE && now > self.expire_at
    }
}

/// Per-call work bound of the active expiry cycle, in sampled keys per database.
pub const ACTIVE_EXPIRE_SAMPLE: usize = 20;
/// Redis keeps sampling while more than this percent of a sample had expired.
pub const ACTIVE_EXPIRE_STALE_PERCENT: usize = 10;

/// Hash fields deleted because their own TTL ran out (Redis 7.4's hash-field expiration):
/// the hash's key, how many fields went, and whether the hash went with them.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldsExpired {
    pub key: Box<[u8]>,
    pub fields: usize,
    pub emptied: bool,
}

/// The hashes that have fields with a TTL, by their soonest field deadline, for the
/// active cycle (Redis's per-db `hexpires`).
#[derive(Clone, Debug, Default)]
struct FieldDeadlines {
    by_time: BTreeSet<(i64, u32)>,
    of: HashMap<u32, i64>,
}

impl FieldDeadlines {
    /// Register the hash in `slot` under its soonest field deadline, or drop it (None).
    fn set(&mut self, slot: u32, at: Option<i64>) {
        if at.is_none() && self.of.is_empty() {
            // The common case: no hash in the db has fields with a TTL.
            return;
        }
        let old = match at {
            Some(at) => self.of.insert(slot, at),
            None => self.of.remove(&slot),
        };
        if old == at {
            return;
        }
        if let Some(old) = old {
            self.by_time.remove(&(old, slot));
        }
        if let Some(at) = at {
            self.by_time.insert((at, slot));
        }
    }

    fn first(&self) -> Option<(i64, u32)> {
        self.by_time.first().copied()
    }
}

pub struct Db {
    entries: IndexedSlab<Entry>,
    /// The slots of the entries that have a TTL (each entry knows its place here).
    expires: Vec<u32>,
    /// Keys deleted because their TTL ran out, since the server last collected them.
    expired: Vec<Box<[u8]>>,
    /// Hashes with fields that have a TTL, by soonest deadline.
    field_due: FieldDeadlines,
    /// Hash fields deleted because their TTL ran out, since the server last collected them.
    fields_expired: Vec<FieldsExpired>,
    /// Keys created since the server last collected them, when `new` events are wanted.
    created: Option<Vec<Box<[u8]>>>,
    /// The sum of the entries' `usage`.
    usage: u64,
    /// Slots whose entry is `stale`.
    stale: Vec<u32>,
    /// Under an LFU policy: how accesses count (`lfu-log-factor`, `lfu-decay-time`).
    lfu: Option<Lfu>,
    /// The coin LFU's logarithmic counter tosses.
    lfu_rng: fastrand::Rng,
}

/// How an LFU policy counts accesses.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lfu {
    pub log_factor: i64,
    /// Minutes per decrement of the counter (0: never).
    pub decay_time: i64,
}

/// A new key's LFU counter (Redis's LFU_INIT_VAL).
const LFU_INIT: u32 = 5;

/// Minutes of world time, as Redis keeps them for LFU (16 bits, wrapping).
fn lfu_minutes(now: Ms) -> u32 {
    ((now.max(0) / 60_000) & 0xFFFF) as u32
}

impl Lfu {
    /// The counter of an LFU word after the decay since its last decrement (Redis's
    /// `LFUDecrAndReturn`).
    pub fn decayed(&self, word: u32, now: Ms) -> u32 {
        // 24 bits, as in Redis's object header: a word written as LRU seconds reads as
        // some LFU word, as after switching policies in Redis.
        let (ldt, counter) = ((word >> 8) & 0xFFFF, word & 0xFF);
        let now_min = lfu_minutes(now);
        let elapsed = if now_min >= ldt {
            now_min - ldt
        } else {
            65535 - ldt + now_min
        };
        let periods = if self.decay_time > 0 {
            elapsed as i64 / self.decay_time
        } else {
            0
        };
        if periods > counter as i64 {
            0
        } else {
            counter - periods as u32
        }
    }

    /// The word after one access: decayed, then raised with probability
    /// 1 / ((counter − 5) × log-factor + 1) (Redis's `LFULogIncr`).
    fn accessed(&self, word: u32, now: Ms, rng: &mut fastrand::Rng) -> u32 {
        let mut counter = self.decayed(word, now);
        if counter < 255 {
            let base = counter.saturating_sub(LFU_INIT) as f64;
            let p = 1.0 / (base * self.log_factor as f64 + 1.0);
            if rng.f64() < p {
                counter += 1;
            }
        }
        lfu_word(now, counter)
    }
}

impl Default for Db {
    fn default() -> Self {
        Db {
            entries: IndexedSlab::default(),
            expires: Vec::new(),
            expired: Vec::new(),
            field_due: FieldDeadlines::default(),
            fields_expired: Vec::new(),
            created: None,
            usage: 0,
            stale: Vec::new(),
            lfu: None,
            // A fixed seed: LFU counters grow the same way in every run.
            lfu_rng: fastrand::Rng::with_seed(0x05ee_d1f0),
        }
    }
}

fn lru_of(now: Ms) -> u32 {
    (now.max(0) / 1000) as u32
}

/// Seconds since the access an LRU word records (OBJECT IDLETIME, the eviction pool).
pub fn idle_seconds(word: u32, now: Ms) -> u64 {
    u64::from(lru_of(now).saturating_sub(word))
}

/// An LFU word: the minute of the last decrement and the counter.
fn lfu_word(now: Ms, counter: u32) -> u32 {
    (lfu_minutes(now) << 8) | counter
}

impl Db {
    pub fn new() -> Db {
        Db::default()
    }

    /// Number of keys, including ones whose TTL has run out but that were not yet
    /// deleted (as Redis's DBSIZE counts them).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn expires_len(&self) -> usize {
        self.expires.len()
    }

    fn find_slot(&self, key: &[u8]) -> Option<u32> {
        self.entries.find(key)
    }

    fn entry_at(&self, slot: u32) -> Option<&Entry> {
        self.entries.get(slot)
    }

    fn entry_at_mut(&mut self, slot: u32) -> Option<&mut Entry> {
        self.entries.get_mut(slot)
    }

    /// Look a key up, deleting it first if its TTL has run out (lazy expiry). A hash
    /// loses the fields whose own TTL ran out, and goes if that leaves it empty.
    fn live_slot(&mut self, key: &[u8], now: Ms) -> Option<u32> {
        let slot = self.find_slot(key)?;
        let e = self.entry_at(slot)?;
        if e.is_expired(now) {
            self.expire_slot(slot);
            return None;
        }
        if e.value.next_field_due().is_some_and(|at| at < now)
            && self.expire_fields(slot, now, usize::MAX).1
        {
            return None;
        }
        Some(slot)
    }

    /// Delete up to `max` fields of the hash in `slot` whose TTL ran out, and the hash if
    /// none is left; how many went and whether the hash did.
    fn expire_fields(&mut self, slot: u32, now: Ms, max: usize) -> (usize, bool) {
        let Some(e) = self.entries.get_mut(slot) else {
            return (0, false);
        };
        let Value::Hash(h) = &mut e.value else {
            return (0, false);
        };
        let fields = h.expire_due(now, max);
        if fields == 0 {
            return (0, false);
        }
        let emptied = h.is_empty();
        let key = e.key.clone();
        self.mark_stale(slot);
        if emptied {
            self.remove_slot(slot);
        }
        self.fields_expired.push(FieldsExpired {
            key,
            fields,
            emptied,
        });
        (fields, emptied)
    }

    /// The entry in `slot` changed: measure it (and register its field deadlines) after
    /// the command.
    fn mark_stale(&mut self, slot: u32) {
        if let Some(e) = self.entries.get_mut(slot) {
            if !e.stale {
                e.stale = true;
                self.stale.push(slot);
            }
        }
    }

    /// The live entry for a key, without touching its access time.
    pub fn peek(&mut self, key: &[u8], now: Ms) -> Option<&Entry> {
        let slot = self.live_slot(key, now)?;
        self.entry_at(slot)
    }

    /// The live value for a key, marking it accessed.
    pub fn get(&mut self, key: &[u8], now: Ms) -> Option<&Value> {
        let slot = self.slot_of(key, now)?;
        self.value_at_read(slot, now).map(|v| &*v)
    }

    /// The live value for a key, mutable, marking it accessed.
    pub fn get_mut(&mut self, key: &[u8], now: Ms) -> Option<&mut Value> {
        let slot = self.slot_of(key, now)?;
        self.value_at(slot, now)
    }

    /// A live key's slot, deleting the key first if its TTL ran out: the one hash lookup
    /// of a command that then needs the value (`value_at`) after doing something else.
    pub fn slot_of(&mut self, key: &[u8], now: Ms) -> Option<u32> {
        self.live_slot(key, now)
    }

    /// The value in a slot `slot_of` returned, to change it, marking it accessed; slots
    /// don't move while their key exists. Its memory is settled after the command.
    pub fn value_at(&mut self, slot: u32, now: Ms) -> Option<&mut Value> {
        self.mark_stale(slot);
        self.value_at_read(slot, now)
    }

    /// As `value_at`, for a command that only reads it.
    pub fn value_at_read(&mut self, slot: u32, now: Ms) -> Option<&mut Value> {
        let e = self.entries.get_mut(slot)?;
        e.lru = match &self.lfu {
            Some(l) => l.accessed(e.lru, now, &mut self.lfu_rng),
            None => lru_of(now),
        };
        Some(&mut e.value)
    }

    /// RESTORE's IDLETIME (seconds idle, under an LRU policy) or FREQ (the LFU counter,
    /// under an LFU policy) for a key just restored, as Redis's `objectSetLRUOrLFU` sets
    /// them; false if there is no such key.
    pub fn set_access(
        &mut self,
        key: &[u8],
        idle: Option<i64>,
        freq: Option<i64>,
        now: Ms,
    ) -> bool {
        let lfu = self.lfu.is_some();
        let Some(slot) = self.live_slot(key, now) else {
            return false;
        };
        let Some(e) = self.entries.get_mut(slot) else {
            return false;
        };
        match (lfu, idle, freq) {
            (true, _, Some(f)) => e.lru = lfu_word(now, f.clamp(0, 255) as u32),
            (false, Some(secs), _) => {
                e.lru = lru_of(now).saturating_sub(u32::try_from(secs).unwrap_or(u32::MAX))
            }
            _ => {}
        }
        true
    }

    /// Count accesses as LFU (Some) or LRU (None) from now on. Keys keep their word: as
    /// in Redis, after a switch their idle times or frequencies take a while to mean
    /// something.
    pub fn set_lfu(&mut self, lfu: Option<Lfu>) {
        self.lfu = lfu;
    }

    /// A new entry's access word: now, or (LFU) the initial counter.
    fn fresh_lru(&self, now: Ms) -> u32 {
        match self.lfu {
            Some(_) => lfu_word(now, LFU_INIT),
            None => lru_of(now),
        }
    }

    /// Up to `n` keys picked at random for eviction (`volatile`: among keys with a TTL),
    /// with their access word and expiry time.
    pub fn eviction_sample(
        &self,
        rng: &mut fastrand::Rng,
        n: usize,
        volatile: bool,
    ) -> Vec<(Box<[u8]>, u32, Option<i64>)> {
        // Distinct keys, as Redis's dictGetSomeKeys gives: all of them when there are
        // no more than `n`.
        let available = if volatile {
            self.expires.len()
        } else {
            self.entries.len()
        };
        let mut slots: Vec<u32> = Vec::with_capacity(n.min(available));
        if available <= n {
            if volatile {
                slots.extend_from_slice(&self.expires);
            } else {
                slots.extend(self.entries.iter().map(|(slot, _)| slot));
            }
        } else {
            for _ in 0..n.saturating_mul(4) {
                if slots.len() == n {
                    break;
                }
                let slot = if volatile {
                    Some(self.expires[rng.usize(..self.expires.len())])
                } else {
                    self.entries.random_slot(rng)
                };
                if let Some(s) = slot.filter(|s| !slots.contains(s)) {
                    slots.push(s);
                }
            }
        }
        slots
            .into_iter()
            .filter_map(|s| self.entries.get(s))
            .map(|e| (e.key.clone(), e.lru, e.expire_at()))
            .collect()
    }

    /// Compute again what the changed entries take (`measure(key, value)`), keeping the
    /// db's total: after each command, so the total is always that of the data.
    pub fn settle_usage(&mut self, measure: impl Fn(&[u8], &Value) -> usize) {
        // Popped one by one: the list keeps its room for the next command.
        while let Some(slot) = self.stale.pop() {
            if let Some(e) = self.entries.get_mut(slot) {
                if !e.stale {
                    continue;
                }
                e.stale = false;
                let new = u32::try_from(measure(&e.key, &e.value)).unwrap_or(u32::MAX);
                self.usage = self.usage - u64::from(e.usage) + u64::from(new);
                e.usage = new;
                self.field_due.set(slot, e.value.next_field_due());
            }
        }
    }

    /// Whether a changed entry waits to be measured.
    pub fn has_stale(&self) -> bool {
        !self.stale.is_empty()
    }

    /// What the keys of this db take in Redis (their entries, keys and values), as of the
    /// last `settle_usage`.
    pub fn usage(&self) -> u64 {
        self.usage
    }

    pub fn contains(&mut self, key: &[u8], now: Ms) -> bool {
        self.live_slot(key, now).is_some()
    }

    /// Mark a key accessed (TOUCH); false if it doesn't exist.
    pub fn touch(&mut self, key: &[u8], now: Ms) -> bool {
        self.get(key, now).is_some()
    }

    /// Store a value. An existing key keeps its slot; its TTL is kept only if `keep_ttl`.
    pub fn set(&mut self, key: &[u8], value: Value, keep_ttl: bool, now: Ms) {
        if let Some(slot) = self.live_slot(key, now) {
            if !keep_ttl {
                self.clear_expire_slot(slot);
            }
            if let Some(v) = self.value_at(slot, now) {
                *v = value;
            }
            return;
        }
        self.add_new(key.into(), value, now);
    }

    /// Add an entry for a key the caller found missing (or just removed).
    fn add_new(&mut self, key: Box<[u8]>, value: Value, now: Ms) -> u32 {
        let entry = Entry {
            key,
            value,
            expire_at: NO_EXPIRE,
            expires_pos: NOT_LISTED,
            lru: self.fresh_lru(now),
            usage: 0,
            stale: true,
        };
        let slot = match self.entries.insert(entry) {
            Ok(slot) => slot,
            Err((slot, entry)) => {
                // Not missing after all: the new value replaces the old, as SET would.
                self.clear_expire_slot(slot);
                if let Some(e) = self.entries.get_mut(slot) {
                    self.usage -= u64::from(e.usage);
                    *e = entry;
                }
                self.stale.push(slot);
                return slot;
            }
        };
        self.stale.push(slot);
        if let (Some(log), Some(e)) = (self.created.as_mut(), self.entries.get(slot)) {
            log.push(e.key.clone());
        }
        slot
    }

    /// Start or stop logging created keys (for `new` keyspace events).
    pub fn log_created(&mut self, on: bool) {
        match (on, self.created.is_some()) {
            (true, false) => self.created = Some(Vec::new()),
            (false, true) => self.created = None,
            _ => {}
        }
    }

    /// The keys created since the last call.
    pub fn take_created(&mut self) -> Vec<Box<[u8]>> {
        self.created
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// Remove a live key, returning its entry (an expired key counts as already gone).
    pub fn remove(&mut self, key: &[u8], now: Ms) -> Option<Entry> {
        let slot = self.live_slot(key, now)?;
        self.remove_slot(slot)
    }

    fn remove_slot(&mut self, slot: u32) -> Option<Entry> {
        // The entry leaves with its TTL (RENAME and MOVE carry it), but off the expires list.
        let expire_at = self.entry_at(slot)?.expire_at;
        self.clear_expire_slot(slot);
        self.field_due.set(slot, None);
        let mut entry = self.entries.remove_slot(slot)?;
        self.usage -= u64::from(entry.usage);
        entry.usage = 0;
        entry.stale = true;
        entry.expire_at = expire_at;
        Some(entry)
    }

    fn expire_slot(&mut self, slot: u32) {
        if let Some(e) = self.remove_slot(slot) {
            self.expired.push(e.key);
        }
    }

    /// True when no key or hash field was deleted by expiry since the last `take_expired`
    /// and `take_fields_expired`.
    pub fn has_no_expired(&self) -> bool {
        self.expired.is_empty() && self.fields_expired.is_empty()
    }

    /// Take the hash fields deleted by expiry since the last call (for stats and events).
    pub fn take_fields_expired(&mut self) -> Vec<FieldsExpired> {
        std::mem::take(&mut self.fields_expired)
    }

    /// Take the keys deleted by expiry since the last call (for stats and events).
    pub fn take_expired(&mut self) -> Vec<Box<[u8]>> {
        std::mem::take(&mut self.expired)
    }

    /// Put an entry removed from elsewhere (RENAME, MOVE, SWAPDB's COPY) under `key`,
    /// replacing any value there; its TTL comes with it.
    pub fn insert_entry(&mut self, key: &[u8], mut entry: Entry, now: Ms) {
        let expire = entry.expire_at();
        if let Some(slot) = self.live_slot(key, now) {
            self.remove_slot(slot);
        }
        entry.key = key.into();
        let value = entry.value;
        let slot = self.add_new(entry.key, value, now);
        if let Some(e) = self.entry_at_mut(slot) {
            e.lru = entry.lru;
        }
        if let Some(at) = expire {
            self.set_expire_slot(slot, at);
        }
    }

    fn set_expire_slot(&mut self, slot: u32, at: i64) {
        let next_pos = self.expires.len() as u32;
        let Some(e) = self.entry_at_mut(slot) else {
            return;
        };
        e.expire_at = at;
        if e.expires_pos == NOT_LISTED {
            e.expires_pos = next_pos;
            self.expires.push(slot);
        }
    }

    fn clear_expire_slot(&mut self, slot: u32) {
        let Some(e) = self.entry_at_mut(slot) else {
            return;
        };
        let pos = e.expires_pos;
        e.expire_at = NO_EXPIRE;
        e.expires_pos = NOT_LISTED;
        if pos == NOT_LISTED {
            return;
        }
        self.expires.swap_remove(pos as usize);
        if let Some(&moved) = self.expires.get(pos as usize) {
            if let Some(m) = self.entry_at_mut(moved) {
                m.expires_pos = pos;
            }
        }
    }

    /// Give a live key an absolute expiry time; false if there is no such key.
    pub fn set_expire(&mut self, key: &[u8], at: i64, now: Ms) -> bool {
        match self.live_slot(key, now) {
            Some(slot) => {
                self.set_expire_slot(slot, at);
                true
            }
            None => false,
        }
    }

    /// Remove a key's TTL; true if it had one.
    pub fn persist(&mut self, key: &[u8], now: Ms) -> bool {
        match self.live_slot(key, now) {
            Some(slot)
                if self
                    .entry_at(slot)
                    .is_some_and(|e| e.expire_at != NO_EXPIRE) =>
            {
                self.clear_expire_slot(slot);
                true
            }
            _ => false,
        }
    }

    /// None: no such key. Some(None): no TTL. Some(Some(at)): expires at `at`.
    pub fn expire_of(&mut self, key: &[u8], now: Ms) -> Option<Option<i64>> {
        self.peek(key, now).map(|e| e.expire_at())
    }

    /// All live keys matching a predicate; keys found expired on the way are deleted.
    pub fn keys_where(&mut self, now: Ms, mut keep: impl FnMut(&Entry) -> bool) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        let mut dead = Vec::new();
        for (slot, e) in self.entries.iter() {
            if e.is_expired(now) {
                dead.push(slot);
            } else if keep(e) {
                out.push(e.key.to_vec());
            }
        }
        for slot in dead {
            self.expire_slot(slot);
        }
        out
    }

    /// One SCAN step (the slab's: see [`IndexedSlab::scan`]): up to `count` live keys
    /// from slot `cursor` on, before any MATCH/TYPE filtering, and the next cursor (0 when
    /// done). Expired keys met on the way are deleted and don't count.
    pub fn scan(&mut self, cursor: u64, count: usize, now: Ms) -> (u64, Vec<Vec<u8>>) {
        let mut found = Vec::new();
        let mut dead = Vec::new();
        let next = self.entries.scan(cursor, count, |slot, e| {
            if e.is_expired(now) {
                dead.push(slot);
                false
            } else {
                found.push(e.key.to_vec());
                true
            }
        });
        for slot in dead {
            self.expire_slot(slot);
        }
        (next, found)
    }

    /// A SCAN step that changes nothing (for views): like `scan`, but expired keys are
    /// skipped rather than deleted, and nothing counts as an access.
    pub fn scan_view(&self, cursor: u64, count: usize, now: Ms) -> (u64, Vec<&Entry>) {
        let mut found = Vec::new();
        let next = self.entries.scan(cursor, count, |_, e| {
            let live = !e.is_expired(now);
            if live {
                found.push(e);
            }
            live
        });
        (next, found)
    }

    /// A random live key, or None when the database is empty.
    pub fn random_key(&mut self, rng: &mut fastrand::Rng, now: Ms) -> Option<Vec<u8>> {
        // Expired keys picked are deleted, and another pick is made.
        loop {
            let slot = self.entries.random_slot(rng)?;
            let e = self.entries.get(slot)?;
            if !e.is_expired(now) {
                return Some(e.key.to_vec());
            }
            self.expire_slot(slot);
        }
    }

    /// One active expiry pass, Redis-style: sample up to 20 keys that have a TTL, delete
    /// the expired ones, and go again while more than 10% of a sample had expired, but
    /// never look at more than `budget` keys. Returns how many keys were deleted and how
    /// many were looked at.
    pub fn active_expire(
        &mut self,
        now: Ms,
        rng: &mut fastrand::Rng,
        budget: usize,
    ) -> (usize, usize) {
        let mut looked = 0;
        let mut deleted = 0;
        while !self.expires.is_empty() && looked < budget {
            let sample = ACTIVE_EXPIRE_SAMPLE
                .min(self.expires.len())
                .min(budget - looked);
            let mut expired_here = 0;
            for _ in 0..sample {
                if self.expires.is_empty() {
                    break;
                }
                let slot = self.expires[rng.usize(..self.expires.len())];
                looked += 1;
                if self.entry_at(slot).is_some_and(|e| e.is_expired(now)) {
                    self.expire_slot(slot);
                    expired_here += 1;
                }
            }
            deleted += expired_here;
            if expired_here * 100 <= sample * ACTIVE_EXPIRE_STALE_PERCENT {
                break;
            }
        }
        (deleted, looked)
    }

    /// Delete hash fields whose TTL ran out, soonest first, at most `quota` of them (and
    /// the hashes they empty); how many went. As Redis's `hashTypeDbActiveExpire`, it
    /// walks the hashes in the order of their soonest field deadline.
    pub fn active_expire_fields(&mut self, now: Ms, quota: usize) -> usize {
        let mut left = quota;
        while left > 0 {
            let Some((at, slot)) = self.field_due.first() else {
                break;
            };
            if at >= now {
                break;
            }
            let (gone, emptied) = self.expire_fields(slot, now, left);
            left -= gone.min(left);
            if !emptied {
                let next = self.entry_at(slot).and_then(|e| e.value.next_field_due());
                self.field_due.set(slot, next);
            }
        }
        quota - left
    }

    /// The earliest expiry time among keys with a TTL and hash fields with one, in world ms.
    pub fn next_expiry(&self) -> Option<Ms> {
        let keys = self
            .expires
            .iter()
            .filter_map(|&slot| self.entry_at(slot).and_then(|e| e.expire_at()))
            .min();
        let fields = self.field_due.first().map(|(at, _)| at);
        keys.into_iter().chain(fields).min()
    }

    /// The average remaining TTL of keys with a TTL, in ms (INFO keyspace `avg_ttl`).
    pub fn avg_ttl(&self, now: Ms) -> i64 {
        if self.expires.is_empty() {
            return 0;
        }
        let mut sum: i128 = 0;
        for &slot in &self.expires {
            if let Some(e) = self.entry_at(slot) {
                sum += (e.expire_at - now).max(0) as i128;
            }
        }
        (sum / self.expires.len() as i128) as i64
    }

    /// Drop everything.
    pub fn clear(&mut self) {
        self.entries.clear();
        *self = Db {
            entries: std::mem::take(&mut self.entries),
            // Logging created keys and counting accesses are the server's settings, not
            // the data's: they stay.
            created: self.created.take().map(|_| Vec::new()),
            lfu: self.lfu,
            ..Db::default()
        };
    }

    /// Whether a key is stored at all, expired or not, without touching it.
    pub fn is_stored(&self, key: &[u8]) -> bool {
        self.find_slot(key).is_some()
    }

    /// The key is stored but its TTL has run out (it is deleted on the next access).
    pub fn is_logically_expired(&self, key: &[u8], now: Ms) -> bool {
        self.find_slot(key)
            .and_then(|s| self.entry_at(s))
            .is_some_and(|e| e.is_expired(now))
    }

    /// The live entry for a key without deleting it if expired or touching it (views).
    pub fn iter_key(&self, key: &[u8], now: Ms) -> Option<&Entry> {
        self.find_slot(key)
            .and_then(|s| self.entry_at(s))
            .filter(|e| !e.is_expired(now))
    }

    /// The entry stored under a key, expired or not (DEBUG DIGEST-VALUE looks at it as
    /// Redis does, without the lookup that would delete it).
    pub fn stored(&self, key: &[u8]) -> Option<&Entry> {
        self.find_slot(key).and_then(|s| self.entry_at(s))
    }

    /// Every stored entry, expired or not (DEBUG DIGEST).
    pub fn stored_entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().map(|(_, e)| e)
    }

    /// Every live entry, for the keyspace view and tests (does not delete expired ones).
    pub fn iter(&self, now: Ms) -> impl Iterator<Item = &Entry> {
        self.entries
            .iter()
            .map(|(_, e)| e)
            .filter(move |e| !e.is_expired(now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::RString;

    fn s(v: &str) -> Value {
        Value::Str(RString::from_arg(v.as_bytes().to_vec()))
    }

    #[test]
    fn a_key_past_its_ttl_is_gone_on_access_and_reported_expired() {
        let mut db = Db::new();
        db.set(b"a", s("1"), false, 0);
        assert!(db.set_expire(b"a", 100, 0));
        assert!(
            db.get(b"a", 100).is_some(),
            "at its expiry time a key still exists"
        );
        assert!(db.get(b"a", 101).is_none());
        assert_eq!(db.len(), 0);
        assert_eq!(db.take_expired(), vec![Box::from(&b"a"[..])]);
    }

    #[test]
    fn active_expiry_is_bounded_per_call_and_eventually_clears_everything() {
        let mut db = Db::new();
        let mut rng = fastrand::Rng::with_seed(7);
        for i in 0..10_000 {
            let k = format!("k{i}");
            db.set(k.as_bytes(), s("v"), false, 0);
            db.set_expire(k.as_bytes(), 10, 0);
        }
        let (first, looked) = db.active_expire(11, &mut rng, 200);
        assert!(first <= 200 && first > 0 && looked <= 200);
        let mut rounds = 0;
        while !db.is_empty() {
            db.active_expire(11, &mut rng, 200);
            rounds += 1;
            assert!(rounds < 10_000);
        }
        assert_eq!(db.expires_len(), 0);
    }

    #[test]
    fn a_lookup_deletes_a_hashs_expired_fields_and_the_hash_with_its_last() {
        use crate::types::{Encodings, Hash};
        let mut h = Hash::from_pairs(
            [
                (b"a".to_vec(), b"1".to_vec()),
                (b"b".to_vec(), b"2".to_vec()),
            ],
            &Encodings::DEFAULT,
        );
        h.set_ttl(b"a", 100);
        h.set_ttl(b"b", 200);
        let mut db = Db::new();
        db.set(b"h", Value::Hash(Box::new(h)), false, 0);
        db.settle_usage(|_, _| 1);
        assert_eq!(db.next_expiry(), Some(100));
        assert!(db.get(b"h", 100).is_some());
        assert!(db.has_no_expired());
        assert!(db.get(b"h", 101).is_some());
        let gone = FieldsExpired {
            key: Box::from(&b"h"[..]),
            fields: 1,
            emptied: false,
        };
        assert_eq!(db.take_fields_expired(), vec![gone]);
        db.settle_usage(|_, _| 1);
        assert_eq!(db.next_expiry(), Some(200));
        // The active pass, not a lookup, takes the last field and the hash.
        assert_eq!(db.active_expire_fields(150, 10), 0);
        assert_eq!(db.active_expire_fields(201, 10), 1);
        assert!(db.is_empty());
        assert!(db.take_fields_expired()[0].emptied);
        assert_eq!(db.next_expiry(), None);
    }

    #[test]
    fn overwriting_drops_the_ttl_unless_kept() {
        let mut db = Db::new();
        db.set(b"a", s("1"), false, 0);
        db.set_expire(b"a", 1000, 0);
        db.set(b"a", s("2"), true, 0);
        assert_eq!(db.expire_of(b"a", 0), Some(Some(1000)));
        db.set(b"a", s("3"), false, 0);
        assert_eq!(db.expire_of(b"a", 0), Some(None));
        assert_eq!(db.expires_len(), 0);
    }
}
