//! A hash: a listpack (field/value pairs in insertion order, which HGETALL shows) while it
//! has at most 512 fields and no field or value longer than 64 bytes; then a hash table,
//! for good (Redis never converts back).
//!
//! The hash table is the shared indexed slab of pairs ([`crate::slab`]), as the keyspace
//! itself is: lookups are O(1), a pair keeps its slot for as long as it exists, and HSCAN
//! is the slab's scan, which never misses a field present for the whole scan.

use super::Encodings;
use crate::slab::{IndexedSlab, Keyed};
use std::collections::{BTreeSet, HashMap};

type Pair = (Vec<u8>, Vec<u8>);
/// A borrowed (field, value).
pub type PairRef<'a> = (&'a [u8], &'a [u8]);

/// A hash and, once any of its fields was given a TTL (Redis 7.4's hash-field
/// expiration), those fields' deadlines.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Hash {
    enc: Enc,
    /// `Some` from the first field TTL on, for good: a listpack is then Redis's
    /// `listpackex`, which keeps the fields that have a TTL first, soonest first.
    ttl: Option<Box<FieldTtls>>,
}

#[derive(Clone, Debug, PartialEq)]
enum Enc {
    Listpack(Vec<Pair>),
    Table(Table),
}

impl Default for Enc {
    fn default() -> Enc {
        Enc::Listpack(Vec::new())
    }
}

/// The deadlines (absolute world ms) of the fields that have one, by field and in time
/// order.
#[derive(Clone, Debug, Default, PartialEq)]
struct FieldTtls {
    at: HashMap<Vec<u8>, i64>,
    order: BTreeSet<(i64, Vec<u8>)>,
}

impl FieldTtls {
    fn get(&self, f: &[u8]) -> Option<i64> {
        self.at.get(f).copied()
    }

    fn set(&mut self, f: &[u8], at: i64) {
        if let Some(old) = self.at.insert(f.to_vec(), at) {
            self.order.remove(&(old, f.to_vec()));
        }
        self.order.insert((at, f.to_vec()));
    }

    fn clear(&mut self, f: &[u8]) -> bool {
        match self.at.remove(f) {
            Some(old) => {
                self.order.remove(&(old, f.to_vec()));
                true
            }
            None => false,
        }
    }

    fn first(&self) -> Option<i64> {
        self.order.first().map(|(at, _)| *at)
    }
}

impl Hash {
    /// A hash holding these pairs, encoded as Redis would encode it after HSET.
    pub fn from_pairs<I: IntoIterator<Item = (Vec<u8>, Vec<u8>)>>(
        pairs: I,
        enc: &Encodings,
    ) -> Hash {
        let mut h = Hash::default();
        for (f, v) in pairs {
            h.insert(f, v, enc);
        }
        h
    }

    pub fn len(&self) -> usize {
        match &self.enc {
            Enc::Listpack(v) => v.len(),
            Enc::Table(t) => t.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// OBJECT ENCODING: `listpack`, `listpackex` (a listpack whose fields may have TTLs,
    /// Redis 7.4) or `hashtable`.
    pub fn encoding(&self) -> &'static str {
        match (&self.enc, &self.ttl) {
            (Enc::Listpack(_), None) => "listpack",
            (Enc::Listpack(_), Some(_)) => "listpackex",
            (Enc::Table(_), _) => "hashtable",
        }
    }

    pub fn is_listpack(&self) -> bool {
        matches!(self.enc, Enc::Listpack(_))
    }

    /// Redis's `hashTypeTryConversion`: HSET, HMSET and HSETNX look at every field and value
    /// they are about to write *before* writing any, and a listpack hash becomes a hash
    /// table if one of them is longer than 64 bytes.
    pub fn prepare_for<'a>(&mut self, args: impl IntoIterator<Item = &'a [u8]>, enc: &Encodings) {
        if self.is_listpack()
            && args
                .into_iter()
                .any(|a| a.len() > enc.hash_max_listpack_value)
        {
            self.to_table();
        }
    }

    /// Set a field; true if it was new. An overwritten field loses its TTL (as HSET's
    /// does); see `insert_keep_ttl`.
    pub fn insert(&mut self, f: Vec<u8>, v: Vec<u8>, enc: &Encodings) -> bool {
        if self.ttl_of(&f).is_some() {
            // A listpackex moves a field that loses its TTL behind the others.
            self.persist(&f);
        }
        self.insert_keep_ttl(f, v, enc)
    }

    /// Set a field, keeping its TTL (HINCRBY, HSETEX … KEEPTTL); true if it was new. A
    /// listpack keeps an updated field in its place and appends a new one; a field or value
    /// longer than 64 bytes, or a 513th field, makes it a hash table.
    pub fn insert_keep_ttl(&mut self, f: Vec<u8>, v: Vec<u8>, enc: &Encodings) -> bool {
        if let Enc::Listpack(pairs) = &mut self.enc {
            if f.len() > enc.hash_max_listpack_value || v.len() > enc.hash_max_listpack_value {
                self.to_table();
            } else {
                if let Some(p) = pairs.iter_mut().find(|(k, _)| *k == f) {
                    p.1 = v;
                    return false;
                }
                pairs.push((f, v));
                if pairs.len() > enc.hash_max_listpack_entries {
                    self.to_table();
                }
                return true;
            }
        }
        match &mut self.enc {
            Enc::Table(t) => t.insert(f, v),
            Enc::Listpack(_) => false,
        }
    }

    /// The value of a field.
    pub fn get(&self, f: &[u8]) -> Option<&[u8]> {
        match &self.enc {
            Enc::Listpack(pairs) => pairs
                .iter()
                .find(|(k, _)| k == f)
                .map(|(_, v)| v.as_slice()),
            Enc::Table(t) => t.get(f),
        }
    }

    pub fn contains(&self, f: &[u8]) -> bool {
        self.get(f).is_some()
    }

    /// Delete a field (and its TTL); true if it existed. A listpack keeps the others in
    /// order.
    pub fn remove(&mut self, f: &[u8]) -> bool {
        if let Some(t) = &mut self.ttl {
            t.clear(f);
        }
        match &mut self.enc {
            Enc::Listpack(pairs) => match pairs.iter().position(|(k, _)| k == f) {
                Some(i) => {
                    pairs.remove(i);
                    true
                }
                None => false,
            },
            Enc::Table(t) => t.remove(f),
        }
    }

    // ---- fields with their own TTL ----

    /// Get ready for field TTLs: a listpack becomes a `listpackex` (Redis converts on the
    /// first HEXPIRE-like command on the hash, whether or not a field gets a TTL).
    pub fn enable_ttls(&mut self) {
        if self.ttl.is_none() {
            self.ttl = Some(Box::default());
        }
    }

    /// Whether the hash is ready for field TTLs (see `enable_ttls`).
    pub fn ttls_enabled(&self) -> bool {
        self.ttl.is_some()
    }

    /// A field's deadline (absolute world ms), if it has one.
    pub fn ttl_of(&self, f: &[u8]) -> Option<i64> {
        self.ttl.as_ref().and_then(|t| t.get(f))
    }

    /// Give an existing field a deadline. A listpackex moves it to its place among the
    /// fields with a TTL (soonest first; before those with the same deadline).
    pub fn set_ttl(&mut self, f: &[u8], at: i64) {
        if !self.contains(f) {
            return;
        }
        let ttl = self.ttl.get_or_insert_with(Box::default);
        ttl.set(f, at);
        if let Enc::Listpack(pairs) = &mut self.enc {
            if let Some(i) = pairs.iter().position(|(k, _)| k == f) {
                let pair = pairs.remove(i);
                let place = pairs
                    .iter()
                    .position(|(k, _)| ttl.get(k).is_none_or(|t| t >= at))
                    .unwrap_or(pairs.len());
                pairs.insert(place, pair);
            }
        }
    }

    /// Give an existing field the deadline a snapshot recorded, leaving the order the
    /// snapshot recorded (it already is a listpackex's); false if there is no such field.
    pub fn restore_ttl(&mut self, f: &[u8], at: i64) -> bool {
        if !self.contains(f) {
            return false;
        }
        self.ttl.get_or_insert_with(Box::default).set(f, at);
        true
    }

    /// Take a field's TTL away; true if it had one. A listpackex moves it behind the others.
    pub fn persist(&mut self, f: &[u8]) -> bool {
        let Some(ttl) = self.ttl.as_mut() else {
            return false;
        };
        if !ttl.clear(f) {
            return false;
        }
        if let Enc::Listpack(pairs) = &mut self.enc {
            if let Some(i) = pairs.iter().position(|(k, _)| k == f) {
                let pair = pairs.remove(i);
                pairs.push(pair);
            }
        }
        true
    }

    /// The soonest field deadline, if any field has one.
    pub fn next_due(&self) -> Option<i64> {
        self.ttl.as_ref().and_then(|t| t.first())
    }

    /// How many fields have a TTL.
    pub fn volatile_fields(&self) -> usize {
        self.ttl.as_ref().map_or(0, |t| t.at.len())
    }

    /// Every (field, deadline), soonest first.
    pub fn field_ttls(&self) -> impl Iterator<Item = (&[u8], i64)> + '_ {
        self.ttl
            .iter()
            .flat_map(|t| t.order.iter().map(|(at, f)| (f.as_slice(), *at)))
    }

    /// Delete the fields whose deadline passed (`now` later than it, as for keys), at most
    /// `max` of them, soonest first; how many went.
    pub fn expire_due(&mut self, now: i64, max: usize) -> usize {
        let mut gone = 0;
        while gone < max {
            let Some(t) = self.ttl.as_mut() else { break };
            match t.order.first() {
                Some((at, _)) if *at < now => {}
                _ => break,
            }
            let Some((_, f)) = t.order.pop_first() else {
                break;
            };
            t.at.remove(&f);
            self.remove(&f);
            gone += 1;
        }
        gone
    }

    // ---- iteration and sampling ----

    /// Every (field, value): listpack order for a listpack, slab order for a hash table.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &[u8])> + '_ {
        let (lp, table) = match &self.enc {
            Enc::Listpack(pairs) => (Some(pairs.iter()), None),
            Enc::Table(t) => (None, Some(t.pairs.iter().map(|(_, p)| p))),
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
        match &self.enc {
            Enc::Listpack(_) => (0, self.iter().collect()),
            Enc::Table(t) => t.scan(cursor, count),
        }
    }

    /// A pair picked uniformly at random, or None if empty.
    pub fn random_pair(&self, rng: &mut fastrand::Rng) -> Option<(&[u8], &[u8])> {
        match &self.enc {
            Enc::Listpack(pairs) if pairs.is_empty() => None,
            Enc::Listpack(pairs) => pairs
                .get(rng.usize(..pairs.len()))
                .map(|(f, v)| (f.as_slice(), v.as_slice())),
            Enc::Table(t) => t.pairs.random_slot(rng).and_then(|i| t.pair_at(i)),
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
        match &self.enc {
            Enc::Listpack(pairs) => {
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
            Enc::Table(t) => t
                .pairs
                .random_distinct(rng, count)
                .into_iter()
                .filter_map(|i| t.pair_at(i))
                .collect(),
        }
    }

    /// Convert to a hash table (one way, as in Redis); field TTLs stay.
    pub fn to_table(&mut self) {
        if let Enc::Listpack(pairs) = &mut self.enc {
            let mut t = Table::default();
            for (f, v) in std::mem::take(pairs) {
                t.insert(f, v);
            }
            self.enc = Enc::Table(t);
        }
    }
}

impl Keyed for Pair {
    fn key(&self) -> &[u8] {
        &self.0
    }
}

/// The hash-table encoding: the pairs in the shared indexed slab, found by field.
#[derive(Clone, Debug, Default)]
pub struct Table {
    pairs: IndexedSlab<Pair>,
}

impl PartialEq for Table {
    fn eq(&self, other: &Table) -> bool {
        self.len() == other.len()
            && self
                .pairs
                .iter()
                .all(|(_, (f, v))| other.get(f) == Some(v.as_slice()))
    }
}

impl Table {
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    fn pair_at(&self, i: u32) -> Option<(&[u8], &[u8])> {
        self.pairs.get(i).map(|(f, v)| (f.as_slice(), v.as_slice()))
    }

    pub fn get(&self, f: &[u8]) -> Option<&[u8]> {
        self.pairs.get_by_key(f).map(|(_, v)| v.as_slice())
    }

    /// Set a field; true if it was new.
    pub fn insert(&mut self, f: Vec<u8>, v: Vec<u8>) -> bool {
        match self.pairs.insert((f, v)) {
            Ok(_) => true,
            Err((slot, (_, v))) => {
                if let Some(p) = self.pairs.get_mut(slot) {
                    p.1 = v;
                }
                false
            }
        }
    }

    /// Delete a field; true if it existed.
    pub fn remove(&mut self, f: &[u8]) -> bool {
        let gone = self.pairs.remove(f).is_some();
        self.pairs.shrink_if_sparse();
        gone
    }

    fn scan(&self, cursor: u64, count: usize) -> (u64, Vec<PairRef<'_>>) {
        let mut found = Vec::new();
        let next = self.pairs.scan(cursor, count, |_, (f, v)| {
            found.push((f.as_slice(), v.as_slice()));
            true
        });
        (next, found)
    }
}

#[cfg(test)]
mod tests {
    use crate::types::Encodings;

    const E: Encodings = Encodings::DEFAULT;
    use super::*;

    fn b(s: &str) -> Vec<u8> {
        s.as_bytes().to_vec()
    }

    #[test]
    fn a_listpack_keeps_insertion_order_and_updates_in_place() {
        let mut h = Hash::from_pairs([(b("a"), b("1")), (b("b"), b("2"))], &E);
        assert!(!h.insert(b("a"), b("3"), &E));
        assert!(h.remove(b"b"));
        assert!(h.insert(b("b"), b("4"), &E));
        let got: Vec<_> = h.iter().collect();
        assert_eq!(got, vec![(&b"a"[..], &b"3"[..]), (&b"b"[..], &b"4"[..])]);
        assert_eq!(h.encoding(), "listpack");
    }

    #[test]
    fn the_513th_field_or_a_65_byte_value_makes_a_table() {
        let mut h = Hash::from_pairs((0..512).map(|i| (i.to_string().into_bytes(), b("v"))), &E);
        assert_eq!(h.encoding(), "listpack");
        h.insert(b("x"), b("v"), &E);
        assert_eq!(h.encoding(), "hashtable");
        assert_eq!(h.len(), 513);
        let mut h = Hash::from_pairs([(b("a"), b("1"))], &E);
        h.insert(b("b"), vec![b'x'; 65], &E);
        assert_eq!(h.encoding(), "hashtable");
        assert_eq!(h.get(b"a"), Some(&b"1"[..]));
    }

    #[test]
    fn a_listpackex_keeps_fields_with_a_ttl_first_soonest_first() {
        let mut h = Hash::from_pairs([(b("a"), b("1")), (b("b"), b("2")), (b("c"), b("3"))], &E);
        let order = |h: &Hash| h.iter().map(|(f, _)| f.to_vec()).collect::<Vec<_>>();
        h.set_ttl(b"c", 50);
        h.set_ttl(b"b", 50);
        h.set_ttl(b"a", 10);
        assert_eq!(h.encoding(), "listpackex");
        assert_eq!(order(&h), vec![b("a"), b("b"), b("c")]);
        assert!(h.persist(b"a"));
        assert!(!h.persist(b"a"));
        assert_eq!(order(&h), vec![b("b"), b("c"), b("a")]);
        // HSET over a field drops its TTL; HINCRBY's write keeps it.
        h.insert(b("b"), b("9"), &E);
        assert_eq!(h.ttl_of(b"b"), None);
        h.insert_keep_ttl(b("c"), b("9"), &E);
        assert_eq!(h.ttl_of(b"c"), Some(50));
        assert_eq!(h.next_due(), Some(50));
        assert_eq!(
            h.expire_due(50, 10),
            0,
            "at its deadline a field still exists"
        );
        assert_eq!(h.expire_due(51, 10), 1);
        assert_eq!(order(&h), vec![b("a"), b("b")]);
        assert_eq!(h.volatile_fields(), 0);
        assert_eq!(h.encoding(), "listpackex", "for good, as in Redis");
    }

    #[test]
    fn random_distinct_picks_distinct_pairs() {
        let mut rng = fastrand::Rng::with_seed(7);
        for n in [5usize, 300] {
            let h = Hash::from_pairs((0..n).map(|i| (i.to_string().into_bytes(), b("v"))), &E);
            for count in [1, 2, n / 2, n - 1, n, n + 3] {
                let got = h.random_distinct(&mut rng, count);
                assert_eq!(got.len(), count.min(n));
                let set: std::collections::HashSet<_> = got.iter().map(|p| p.0).collect();
                assert_eq!(set.len(), got.len());
            }
        }
    }
}
