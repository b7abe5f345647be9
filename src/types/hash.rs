//! A hash: a listpack (field/value pairs in insertion order, which HGETALL shows) while it
//! has at most 512 fields and no field or value longer than 64 bytes; then a hash table,
//! for good (Redis never converts back).
//!
//! The hash table is the shared indexed slab of pairs ([`crate::slab`]), as the keyspace
//! itself is: lookups are O(1), a pair keeps its slot for as long as it exists, and HSCAN
//! is the slab's scan, which never misses a field present for the whole scan.

use super::Encodings;
use crate::slab::{IndexedSlab, Keyed};

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
    pub fn prepare_for<'a>(&mut self, args: impl IntoIterator<Item = &'a [u8]>, enc: &Encodings) {
        if matches!(self, Hash::Listpack(_))
            && args
                .into_iter()
                .any(|a| a.len() > enc.hash_max_listpack_value)
        {
            self.to_table();
        }
    }

    /// Set a field; true if it was new. A listpack keeps an updated field in its place;
    /// a field or value longer than 64 bytes, or a 513th field, makes it a hash table.
    pub fn insert(&mut self, f: Vec<u8>, v: Vec<u8>, enc: &Encodings) -> bool {
        if let Hash::Listpack(pairs) = self {
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
            Hash::Table(t) => (None, Some(t.pairs.iter().map(|(_, p)| p))),
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
            Hash::Table(t) => t.pairs.random_slot(rng).and_then(|i| t.pair_at(i)),
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
            Hash::Table(t) => t
                .pairs
                .random_distinct(rng, count)
                .into_iter()
                .filter_map(|i| t.pair_at(i))
                .collect(),
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
