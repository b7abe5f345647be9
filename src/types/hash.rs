//! A hash: a listpack (field/value pairs in insertion order, which HGETALL shows) while it
//! has at most 512 fields and no field or value longer than 64 bytes; then a hash table,
//! for good (Redis never converts back).
//!
//! The hash table is a slab of pairs indexed by a `hashbrown::HashTable` of slab
//! positions, as the keyspace itself is (see `db.rs`): lookups are O(1), and a pair keeps
//! its position for as long as it exists, so an HSCAN cursor (a slab position) can never
//! miss a field that is present for the whole scan, whatever is added or deleted meanwhile.

use hashbrown::{DefaultHashBuilder, HashTable};
use std::hash::BuildHasher;

use super::limits::{HASH_MAX_LISTPACK_ENTRIES, HASH_MAX_LISTPACK_VALUE};

type Pair = (Vec<u8>, Vec<u8>);
/// A borrowed (field, value).
pub type PairRef<'a> = (&'a [u8], &'a [u8]);

#[derive(Clone, Debug, PartialEq)]
pub enum Hash {
    Listpack(Vec<Pair>),
    Table(Table),
}

impl Default for Hash {
    fn default() -> Hash {
        Hash::Listpack(Vec::new())
    }
}

impl Hash {
    /// A hash holding these pairs, encoded as Redis would encode it after HSET.
    pub fn from_pairs<I: IntoIterator<Item = (Vec<u8>, Vec<u8>)>>(pairs: I) -> Hash {
        let mut h = Hash::default();
        for (f, v) in pairs {
            h.insert(f, v);
        }
        h
    }

    pub fn len(&self) -> usize {
        match self {
            Hash::Listpack(v) => v.len(),
            Hash::Table(t) => t.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn encoding(&self) -> &'static str {
        match self {
            Hash::Listpack(_) => "listpack",
            Hash::Table(_) => "hashtable",
        }
    }

    /// Redis's `hashTypeTryConversion`: HSET, HMSET and HSETNX look at every field and value
    /// they are about to write *before* writing any, and a listpack hash becomes a hash
    /// table if one of them is longer than 64 bytes.
    pub fn prepare_for<'a>(&mut self, args: impl IntoIterator<Item = &'a [u8]>) {
        if matches!(self, Hash::Listpack(_))
            && args.into_iter().any(|a| a.len() > HASH_MAX_LISTPACK_VALUE)
        {
            self.to_table();
        }
    }

    /// Set a field; true if it was new. A listpack keeps an updated field in its place;
    /// a field or value longer than 64 bytes, or a 513th field, makes it a hash table.
    pub fn insert(&mut self, f: Vec<u8>, v: Vec<u8>) -> bool {
        if let Hash::Listpack(pairs) = self {
            if f.len() > HASH_MAX_LISTPACK_VALUE || v.len() > HASH_MAX_LISTPACK_VALUE {
                self.to_table();
            } else {
                if let Some(p) = pairs.iter_mut().find(|(k, _)| *k == f) {
                    p.1 = v;
                    return false;
                }
                pairs.push((f, v));
                if pairs.len() > HASH_MAX_LISTPACK_ENTRIES {
                    self.to_table();
                }
                return true;
            }
        }
        match self {
            Hash::Table(t) => t.insert(f, v),
            Hash::Listpack(_) => false,
        }
    }

    /// The value of a field.
    pub fn get(&self, f: &[u8]) -> Option<&[u8]> {
        match self {
            Hash::Listpack(pairs) => pairs
                .iter()
                .find(|(k, _)| k == f)
                .map(|(_, v)| v.as_slice()),
            Hash::Table(t) => t.get(f),
        }
    }

    pub fn contains(&self, f: &[u8]) -> bool {
        self.get(f).is_some()
    }

    /// Delete a field; true if it existed. A listpack keeps the others in order.
    pub fn remove(&mut self, f: &[u8]) -> bool {
        match self {
            Hash::Listpack(pairs) => match pairs.iter().position(|(k, _)| k == f) {
                Some(i) => {
                    pairs.remove(i);
                    true
                }
                None => false,
            },
            Hash::Table(t) => t.remove(f),
        }
    }

    /// Every (field, value): listpack order for a listpack, slab order for a hash table.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &[u8])> + '_ {
        let (lp, table) = match self {
            Hash::Listpack(pairs) => (Some(pairs.iter()), None),
            Hash::Table(t) => (None, Some(t.slots.iter().flatten())),
        };
        lp.into_iter()
            .flatten()
            .chain(table.into_iter().flatten())
            .map(|(f, v)| (f.as_slice(), v.as_slice()))
    }

    /// One HSCAN step. A listpack answers everything at once with cursor 0 (as Redis does);
    /// a hash table visits slab positions from `cursor` until `count` pairs were found or
    /// `count * 10` positions were visited, and returns the next cursor (0 when done).
    pub fn scan(&self, cursor: u64, count: usize) -> (u64, Vec<PairRef<'_>>) {
        match self {
            Hash::Listpack(_) => (0, self.iter().collect()),
            Hash::Table(t) => t.scan(cursor, count),
        }
    }

    /// A pair picked uniformly at random, or None if empty.
    pub fn random_pair(&self, rng: &mut fastrand::Rng) -> Option<(&[u8], &[u8])> {
        match self {
            Hash::Listpack(pairs) if pairs.is_empty() => None,
            Hash::Listpack(pairs) => pairs
                .get(rng.usize(..pairs.len()))
                .map(|(f, v)| (f.as_slice(), v.as_slice())),
            Hash::Table(t) => t.random_slot(rng).and_then(|i| t.pair_at(i)),
        }
    }

    /// `count` distinct pairs (all of them if `count >= len`) picked at random. A listpack
    /// answers in listpack order, as Redis's `lpRandomPairsUnique` does; a hash table in
    /// random order.
    pub fn random_distinct(&self, rng: &mut fastrand::Rng, count: usize) -> Vec<(&[u8], &[u8])> {
        let len = self.len();
        if count >= len {
            return self.iter().collect();
        }
        match self {
            Hash::Listpack(pairs) => {
                // Selection sampling (Knuth's algorithm S): in order, each pair equally likely.
                let mut out = Vec::with_capacity(count);
                for (i, (f, v)) in pairs.iter().enumerate() {
                    let needed = count - out.len();
                    if needed == 0 {
                        break;
                    }
                    if rng.usize(..len - i) < needed {
                        out.push((f.as_slice(), v.as_slice()));
                    }
                }
                out
            }
            Hash::Table(t) => {
                let slots: Vec<u32> = if count.saturating_mul(3) > len {
                    // Many of them: a partial shuffle of every live position.
                    let mut live: Vec<u32> = t.live_slots().collect();
                    for i in 0..count {
                        let j = rng.usize(i..live.len());
                        live.swap(i, j);
                    }
                    live.truncate(count);
                    live
                } else {
                    // Few of them: random picks, skipping repeats.
                    let mut seen = std::collections::HashSet::with_capacity(count);
                    let mut out = Vec::with_capacity(count);
                    while out.len() < count {
                        match t.random_slot(rng) {
                            Some(i) if seen.insert(i) => out.push(i),
                            Some(_) => {}
                            None => break,
                        }
                    }
                    out
                };
                slots.into_iter().filter_map(|i| t.pair_at(i)).collect()
            }
        }
    }

    /// Convert to a hash table (one way, as in Redis).
    pub fn to_table(&mut self) {
        if let Hash::Listpack(pairs) = self {
            let mut t = Table::default();
            for (f, v) in std::mem::take(pairs) {
                t.insert(f, v);
            }
            *self = Hash::Table(t);
        }
    }
}

/// The hash-table encoding: a slab of pairs whose positions never move while a pair
/// exists, and an index from field to position.
#[derive(Clone, Debug, Default)]
pub struct Table {
    slots: Vec<Option<Pair>>,
    /// Free positions to reuse. May hold stale entries (positions trimmed off the end, or
    /// reused since): `take_free` skips them.
    free: Vec<u32>,
    index: HashTable<u32>,
    hasher: DefaultHashBuilder,
    len: usize,
}

impl PartialEq for Table {
    fn eq(&self, other: &Table) -> bool {
        self.len == other.len
            && self
                .slots
                .iter()
                .flatten()
                .all(|(f, v)| other.get(f) == Some(v.as_slice()))
    }
}

impl Table {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn find(&self, f: &[u8]) -> Option<u32> {
        let slots = &self.slots;
        self.index
            .find(self.hasher.hash_one(f), |&i| {
                slots
                    .get(i as usize)
                    .and_then(|s| s.as_ref())
                    .is_some_and(|(k, _)| k == f)
            })
            .copied()
    }

    fn pair_at(&self, i: u32) -> Option<(&[u8], &[u8])> {
        self.slots
            .get(i as usize)?
            .as_ref()
            .map(|(f, v)| (f.as_slice(), v.as_slice()))
    }

    fn live_slots(&self) -> impl Iterator<Item = u32> + '_ {
        self.slots
            .iter()
            .enumerate()
            .filter(|(_, s)| s.is_some())
            .map(|(i, _)| i as u32)
    }

    pub fn get(&self, f: &[u8]) -> Option<&[u8]> {
        self.find(f).and_then(|i| self.pair_at(i)).map(|(_, v)| v)
    }

    /// Set a field; true if it was new.
    pub fn insert(&mut self, f: Vec<u8>, v: Vec<u8>) -> bool {
        if let Some(i) = self.find(&f) {
            if let Some(Some(p)) = self.slots.get_mut(i as usize) {
                p.1 = v;
            }
            return false;
        }
        let h = self.hasher.hash_one(&f);
        let slot = match self.take_free() {
            Some(s) => {
                self.slots[s as usize] = Some((f, v));
                s
            }
            None => {
                self.slots.push(Some((f, v)));
                (self.slots.len() - 1) as u32
            }
        };
        let (index, slots, hasher) = (&mut self.index, &self.slots, &self.hasher);
        index.insert_unique(h, slot, |&i| {
            hasher.hash_one(
                slots
                    .get(i as usize)
                    .and_then(|s| s.as_ref())
                    .map(|(k, _)| k.as_slice())
                    .unwrap_or(&[]),
            )
        });
        self.len += 1;
        true
    }

    fn take_free(&mut self) -> Option<u32> {
        while let Some(s) = self.free.pop() {
            if self.slots.get(s as usize).is_some_and(|p| p.is_none()) {
                return Some(s);
            }
        }
        None
    }

    /// Delete a field; true if it existed.
    pub fn remove(&mut self, f: &[u8]) -> bool {
        let h = self.hasher.hash_one(f);
        let slots = &self.slots;
        let found = self.index.find_entry(h, |&i| {
            slots
                .get(i as usize)
                .and_then(|s| s.as_ref())
                .is_some_and(|(k, _)| k == f)
        });
        let Ok(entry) = found else { return false };
        let (slot, _) = entry.remove();
        self.slots[slot as usize] = None;
        self.len -= 1;
        if slot as usize + 1 == self.slots.len() {
            // Trim free positions off the end: no live pair moves, so no scan can miss one.
            while self.slots.last().is_some_and(|s| s.is_none()) {
                self.slots.pop();
            }
        } else {
            self.free.push(slot);
        }
        if self.free.len() > self.slots.len() + 16 {
            self.free = self
                .slots
                .iter()
                .enumerate()
                .filter(|(_, s)| s.is_none())
                .map(|(i, _)| i as u32)
                .collect();
        }
        true
    }

    /// A random live position: random probes first (fast while the slab is dense), then a
    /// sweep from a random start so a sparse slab still answers.
    fn random_slot(&self, rng: &mut fastrand::Rng) -> Option<u32> {
        let n = self.slots.len();
        if self.len == 0 || n == 0 {
            return None;
        }
        for _ in 0..32 {
            let i = rng.usize(..n);
            if self.slots[i].is_some() {
                return Some(i as u32);
            }
        }
        let start = rng.usize(..n);
        (0..n)
            .map(|k| (start + k) % n)
            .find(|&i| self.slots[i].is_some())
            .map(|i| i as u32)
    }

    fn scan(&self, cursor: u64, count: usize) -> (u64, Vec<PairRef<'_>>) {
        let count = count.max(1);
        let max_visits = count.saturating_mul(10);
        let mut pos = usize::try_from(cursor).unwrap_or(usize::MAX);
        let mut found = Vec::new();
        let mut visits = 0;
        while pos < self.slots.len() && found.len() < count && visits < max_visits {
            if let Some((f, v)) = &self.slots[pos] {
                found.push((f.as_slice(), v.as_slice()));
            }
            pos += 1;
            visits += 1;
        }
        let next = if pos >= self.slots.len() {
            0
        } else {
            pos as u64
        };
        (next, found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &str) -> Vec<u8> {
        s.as_bytes().to_vec()
    }

    #[test]
    fn a_listpack_keeps_insertion_order_and_updates_in_place() {
        let mut h = Hash::from_pairs([(b("a"), b("1")), (b("b"), b("2"))]);
        assert!(!h.insert(b("a"), b("3")));
        assert!(h.remove(b"b"));
        assert!(h.insert(b("b"), b("4")));
        let got: Vec<_> = h.iter().collect();
        assert_eq!(got, vec![(&b"a"[..], &b"3"[..]), (&b"b"[..], &b"4"[..])]);
        assert_eq!(h.encoding(), "listpack");
    }

    #[test]
    fn the_513th_field_or_a_65_byte_value_makes_a_table() {
        let mut h = Hash::from_pairs((0..512).map(|i| (i.to_string().into_bytes(), b("v"))));
        assert_eq!(h.encoding(), "listpack");
        h.insert(b("x"), b("v"));
        assert_eq!(h.encoding(), "hashtable");
        assert_eq!(h.len(), 513);
        let mut h = Hash::from_pairs([(b("a"), b("1"))]);
        h.insert(b("b"), vec![b'x'; 65]);
        assert_eq!(h.encoding(), "hashtable");
        assert_eq!(h.get(b"a"), Some(&b"1"[..]));
    }

    #[test]
    fn a_table_scan_never_misses_a_pair_present_throughout() {
        let mut h = Hash::from_pairs((0..1000).map(|i| (i.to_string().into_bytes(), b("v"))));
        let mut seen = std::collections::HashSet::new();
        let mut cursor = 0;
        let mut round = 0;
        loop {
            let (next, found) = h.scan(cursor, 7);
            seen.extend(found.into_iter().map(|(f, _)| f.to_vec()));
            // Churn: delete some never-checked fields, add new ones.
            round += 1;
            h.remove(format!("{}", 900 + round % 100).as_bytes());
            h.insert(format!("new{round}").into_bytes(), b("v"));
            cursor = next;
            if cursor == 0 {
                break;
            }
        }
        for i in 0..900 {
            assert!(seen.contains(i.to_string().as_bytes()), "missed {i}");
        }
    }

    #[test]
    fn removing_from_the_end_trims_the_slab_and_reuse_stays_consistent() {
        let mut h = Hash::from_pairs((0..200).map(|i| (i.to_string().into_bytes(), b("v"))));
        for i in (0..200).rev() {
            assert!(h.remove(i.to_string().as_bytes()));
        }
        assert!(h.is_empty());
        for i in 0..300 {
            assert!(h.insert(i.to_string().into_bytes(), b("w")));
            if i % 3 == 0 {
                assert!(h.remove(i.to_string().as_bytes()));
            }
        }
        assert_eq!(h.len(), 200);
        assert_eq!(h.iter().count(), 200);
        for i in 0..300 {
            assert_eq!(h.contains(i.to_string().as_bytes()), i % 3 != 0);
        }
    }

    #[test]
    fn random_distinct_picks_distinct_pairs() {
        let mut rng = fastrand::Rng::with_seed(7);
        for n in [5usize, 300] {
            let h = Hash::from_pairs((0..n).map(|i| (i.to_string().into_bytes(), b("v"))));
            for count in [1, 2, n / 2, n - 1, n, n + 3] {
                let got = h.random_distinct(&mut rng, count);
                assert_eq!(got.len(), count.min(n));
                let set: std::collections::HashSet<_> = got.iter().map(|p| p.0).collect();
                assert_eq!(set.len(), got.len());
            }
        }
    }
}
