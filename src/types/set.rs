//! A set: an intset (sorted 64-bit integers, as Redis keeps small all-integer sets, so
//! SMEMBERS comes out ascending) until a non-integer member arrives or it grows past
//! set-max-intset-entries (512); then a hash table, for good (Redis 7.0 never converts
//! back).
//!
//! A member is an intset member only if Redis's `string2ll` takes it whole: `"007"`,
//! `"-0"`, `" 1"`, `"+1"`, `"1.0"` and numbers beyond 64 bits are strings.
//!
//! The hash table keeps its members densely in a vector (one copy of each), indexed by a
//! hash table of positions. That gives O(1) membership, O(1) random picks (SPOP,
//! SRANDMEMBER) and O(1) removal (the last member moves into the hole), and a SSCAN
//! cursor that never misses a member: positions are visited from the top down, and a
//! member only ever moves down (from the last position into a hole), so a member not yet
//! returned always stays below the cursor.

use std::borrow::Cow;
use std::hash::BuildHasher;

use hashbrown::{DefaultHashBuilder, HashTable};

use super::limits::SET_MAX_INTSET_ENTRIES;
use crate::num::parse_i64;

#[derive(Clone, Debug)]
pub enum Set {
    /// Ascending, no duplicates, at most 512 entries.
    Ints(Vec<i64>),
    Table(Table),
}

impl Default for Set {
    fn default() -> Set {
        Set::Ints(Vec::new())
    }
}

/// Two sets are equal when they have the same encoding and the same members.
impl PartialEq for Set {
    fn eq(&self, other: &Set) -> bool {
        match (self, other) {
            (Set::Ints(a), Set::Ints(b)) => a == b,
            (Set::Table(a), Set::Table(b)) => {
                a.len() == b.len() && a.items.iter().all(|m| b.contains(m))
            }
            _ => false,
        }
    }
}

fn int_bytes(n: i64) -> Vec<u8> {
    n.to_string().into_bytes()
}

impl Set {
    /// A set holding these members, encoded as Redis would encode it after SADD.
    pub fn from_members<I: IntoIterator<Item = Vec<u8>>>(members: I) -> Set {
        let mut s = Set::default();
        for m in members {
            s.insert(m);
        }
        s
    }

    pub fn len(&self) -> usize {
        match self {
            Set::Ints(v) => v.len(),
            Set::Table(t) => t.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn encoding(&self) -> &'static str {
        match self {
            Set::Ints(_) => "intset",
            Set::Table(_) => "hashtable",
        }
    }

    /// Add a member; true if it was new. A non-integer member, or a 513th integer,
    /// turns an intset into a hash table.
    pub fn insert(&mut self, m: Vec<u8>) -> bool {
        if let Set::Ints(v) = self {
            if let Some(n) = parse_i64(&m) {
                return match v.binary_search(&n) {
                    Ok(_) => false,
                    Err(pos) => {
                        v.insert(pos, n);
                        if v.len() > SET_MAX_INTSET_ENTRIES {
                            self.to_table();
                        }
                        true
                    }
                };
            }
            self.to_table();
        }
        match self {
            Set::Table(t) => t.insert(m.into_boxed_slice()),
            Set::Ints(_) => false,
        }
    }

    /// Is `m` a member? (An intset holds only canonical integers, so `"01"` never is.)
    pub fn contains(&self, m: &[u8]) -> bool {
        match self {
            Set::Ints(v) => parse_i64(m).is_some_and(|n| v.binary_search(&n).is_ok()),
            Set::Table(t) => t.contains(m),
        }
    }

    /// Remove a member; true if it was there. The encoding never changes.
    pub fn remove(&mut self, m: &[u8]) -> bool {
        match self {
            Set::Ints(v) => match parse_i64(m).map(|n| v.binary_search(&n)) {
                Some(Ok(pos)) => {
                    v.remove(pos);
                    true
                }
                _ => false,
            },
            Set::Table(t) => t.remove(m),
        }
    }

    /// The member at position `i` of the iteration order (for random picks).
    pub fn get(&self, i: usize) -> Option<Cow<'_, [u8]>> {
        match self {
            Set::Ints(v) => v.get(i).map(|&n| Cow::Owned(int_bytes(n))),
            Set::Table(t) => t.items.get(i).map(|m| Cow::Borrowed(&**m)),
        }
    }

    /// Remove and return the member at position `i` of the iteration order.
    pub fn take_at(&mut self, i: usize) -> Option<Vec<u8>> {
        match self {
            Set::Ints(v) => (i < v.len()).then(|| int_bytes(v.remove(i))),
            Set::Table(t) => t.take_at(i).map(Vec::from),
        }
    }

    /// Every member, ascending for an intset, table order otherwise.
    pub fn iter(&self) -> impl Iterator<Item = Cow<'_, [u8]>> + '_ {
        let (ints, table) = match self {
            Set::Ints(v) => (Some(v.iter()), None),
            Set::Table(t) => (None, Some(t.items.iter())),
        };
        let ints = ints
            .into_iter()
            .flatten()
            .map(|&n| Cow::Owned(int_bytes(n)));
        let table = table.into_iter().flatten().map(|m| Cow::Borrowed(&**m));
        ints.chain(table)
    }

    /// Every member as bytes (ascending for an intset, table order otherwise).
    pub fn members(&self) -> Vec<Vec<u8>> {
        self.iter().map(Cow::into_owned).collect()
    }

    /// Convert to a hash table (one way, as in Redis).
    pub fn to_table(&mut self) {
        if let Set::Ints(v) = self {
            let mut t = Table::default();
            for &n in v.iter() {
                t.insert(int_bytes(n).into_boxed_slice());
            }
            *self = Set::Table(t);
        }
    }

    /// One SSCAN step: the next cursor (0 when the scan is over) and up to `count`
    /// members. An intset answers everything at once with cursor 0, as Redis does.
    /// A member present for the whole scan is returned at least once.
    pub fn scan(&self, cursor: u64, count: usize) -> (u64, Vec<Vec<u8>>) {
        let t = match self {
            Set::Ints(_) => return (0, self.members()),
            Set::Table(t) => t,
        };
        // The cursor is the number of positions not visited yet; 0 starts a scan.
        let len = t.len();
        let top = match usize::try_from(cursor) {
            Ok(0) | Err(_) => len,
            Ok(c) => c.min(len),
        };
        let bottom = top.saturating_sub(count.max(1));
        let found = t.items[bottom..top]
            .iter()
            .rev()
            .map(|m| m.to_vec())
            .collect();
        (bottom as u64, found)
    }
}

/// The hash-table encoding: members stored once, densely, with a hash index of positions.
#[derive(Clone, Default)]
pub struct Table {
    items: Vec<Box<[u8]>>,
    index: HashTable<u32>,
    hasher: DefaultHashBuilder,
}

impl std::fmt::Debug for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set()
            .entries(self.items.iter().map(|m| String::from_utf8_lossy(m)))
            .finish()
    }
}

impl Table {
    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    fn hash(&self, m: &[u8]) -> u64 {
        self.hasher.hash_one(m)
    }

    fn find(&self, m: &[u8]) -> Option<usize> {
        let items = &self.items;
        self.index
            .find(self.hash(m), |&i| &*items[i as usize] == m)
            .map(|&i| i as usize)
    }

    pub fn contains(&self, m: &[u8]) -> bool {
        self.find(m).is_some()
    }

    pub fn insert(&mut self, m: Box<[u8]>) -> bool {
        if self.contains(&m) {
            return false;
        }
        let h = self.hash(&m);
        let pos = self.items.len() as u32;
        self.items.push(m);
        let (items, hasher) = (&self.items, &self.hasher);
        self.index
            .insert_unique(h, pos, |&i| hasher.hash_one(&*items[i as usize]));
        true
    }

    pub fn remove(&mut self, m: &[u8]) -> bool {
        match self.find(m) {
            Some(pos) => self.take_at(pos).is_some(),
            None => false,
        }
    }

    /// Remove the member at `pos`; the last member moves into its place.
    pub fn take_at(&mut self, pos: usize) -> Option<Box<[u8]>> {
        let h = self.hash(self.items.get(pos)?);
        if let Ok(e) = self.index.find_entry(h, |&i| i as usize == pos) {
            e.remove();
        }
        let m = self.items.swap_remove(pos);
        if let Some(moved) = self.items.get(pos) {
            let last = self.items.len();
            let h = self.hasher.hash_one(&**moved);
            if let Some(i) = self.index.find_mut(h, |&i| i as usize == last) {
                *i = pos as u32;
            }
        }
        self.shrink();
        Some(m)
    }

    /// Give memory back once a big set has mostly been emptied.
    fn shrink(&mut self) {
        let len = self.items.len();
        if self.items.capacity() > 64 && len < self.items.capacity() / 4 {
            self.items.shrink_to(len * 2);
            let (items, hasher) = (&self.items, &self.hasher);
            self.index
                .shrink_to(len * 2, |&i| hasher.hash_one(&*items[i as usize]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &str) -> Vec<u8> {
        s.as_bytes().to_vec()
    }

    #[test]
    fn only_canonical_integers_stay_in_an_intset() {
        assert_eq!(
            Set::from_members(vec![b("1"), b("-5"), b("9223372036854775807")]).encoding(),
            "intset"
        );
        for odd in [
            "007",
            "-0",
            " 1",
            "1 ",
            "+1",
            "1.0",
            "9223372036854775808",
            "",
            "a",
        ] {
            assert_eq!(
                Set::from_members(vec![b("1"), b(odd)]).encoding(),
                "hashtable",
                "{odd:?}"
            );
        }
    }

    #[test]
    fn the_513th_integer_converts_for_good() {
        let mut s = Set::from_members((0..512).map(|i| b(&i.to_string())));
        assert_eq!(s.encoding(), "intset");
        s.insert(b("512"));
        assert_eq!(s.encoding(), "hashtable");
        s.remove(b"512");
        s.remove(b"0");
        assert_eq!(s.encoding(), "hashtable");
        assert_eq!(s.len(), 511);
    }

    #[test]
    fn removal_keeps_the_index_consistent() {
        let mut s = Set::from_members((0..2000).map(|i| b(&format!("m{i}"))));
        for i in (0..2000).step_by(3) {
            assert!(s.remove(format!("m{i}").as_bytes()));
        }
        for i in 0..2000 {
            assert_eq!(s.contains(format!("m{i}").as_bytes()), i % 3 != 0, "m{i}");
        }
        while let Some(m) = s.take_at(0) {
            assert!(!s.contains(&m));
        }
        assert!(s.is_empty());
        assert!(s.insert(b("again")) && s.contains(b"again"));
    }

    #[test]
    fn a_scan_never_misses_a_member_present_throughout() {
        let mut s = Set::from_members((0..1000).map(|i| b(&format!("k{i}"))));
        let mut seen = std::collections::HashSet::new();
        let (mut cursor, mut step) = (0, 0);
        loop {
            let (next, found) = s.scan(cursor, 7);
            seen.extend(found);
            for j in 0..5 {
                s.remove(format!("k{}", (step * 5 + j) % 500 + 500).as_bytes());
                s.insert(format!("new{step}-{j}").into_bytes());
            }
            step += 1;
            cursor = next;
            if cursor == 0 {
                break;
            }
        }
        for i in 0..500 {
            assert!(seen.contains(format!("k{i}").as_bytes()), "k{i} missed");
        }
    }

    #[test]
    fn equality_ignores_table_order() {
        let a = Set::from_members(vec![b("x"), b("y"), b("z")]);
        let b_ = Set::from_members(vec![b("z"), b("x"), b("y")]);
        assert_eq!(a, b_);
        assert_ne!(a, Set::from_members(vec![b("x"), b("y")]));
    }
}
