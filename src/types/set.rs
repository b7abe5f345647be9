//! A set: an intset (sorted 64-bit integers, as Redis keeps small all-integer sets, so
//! SMEMBERS comes out ascending) until a non-integer member arrives or it grows past
//! set-max-intset-entries (512); then a hash table, for good (Redis 7.0 never converts
//! back).
//!
//! A member is an intset member only if Redis's `string2ll` takes it whole: `"007"`,
//! `"-0"`, `" 1"`, `"+1"`, `"1.0"` and numbers beyond 64 bits are strings.
//!
//! The hash table keeps its members (one copy of each) in the shared indexed slab
//! ([`crate::slab`]), as the keyspace does: O(1) membership, insertion and removal, random
//! picks (SPOP, SRANDMEMBER) by random slot, and SSCAN as the slab's scan, which never
//! misses a member present for the whole scan.

use std::borrow::Cow;

use super::Encodings;
use crate::num::parse_i64;
use crate::slab::{pick_distinct, IndexedSlab, Keyed};

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
                a.len() == b.len() && a.members.iter().all(|(_, m)| b.contains(m))
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
    pub fn from_members<I: IntoIterator<Item = Vec<u8>>>(members: I, enc: &Encodings) -> Set {
        let mut s = Set::default();
        for m in members {
            s.insert(m, enc);
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
    pub fn insert(&mut self, m: Vec<u8>, enc: &Encodings) -> bool {
        if let Set::Ints(v) = self {
            if let Some(n) = parse_i64(&m) {
                return match v.binary_search(&n) {
                    Ok(_) => false,
                    Err(pos) => {
                        v.insert(pos, n);
                        if v.len() > enc.set_max_intset_entries {
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

    /// A member picked uniformly at random, or None if the set is empty.
    pub fn random_member(&self, rng: &mut fastrand::Rng) -> Option<Cow<'_, [u8]>> {
        match self {
            Set::Ints(v) if v.is_empty() => None,
            Set::Ints(v) => Some(Cow::Owned(int_bytes(v[rng.usize(..v.len())]))),
            Set::Table(t) => {
                let slot = t.members.random_slot(rng)?;
                t.members.get(slot).map(|m| Cow::Borrowed(&**m))
            }
        }
    }

    /// Take out a member picked uniformly at random.
    pub fn pop_random(&mut self, rng: &mut fastrand::Rng) -> Option<Vec<u8>> {
        match self {
            Set::Ints(v) if v.is_empty() => None,
            Set::Ints(v) => Some(int_bytes(v.remove(rng.usize(..v.len())))),
            Set::Table(t) => {
                let slot = t.members.random_slot(rng)?;
                let m = t.members.remove_slot(slot)?;
                t.members.shrink_if_sparse();
                Some(m.into_vec())
            }
        }
    }

    /// `count` distinct members picked at random, in random order (every member, in
    /// iteration order, when `count` is at least the size).
    pub fn random_distinct(&self, rng: &mut fastrand::Rng, count: usize) -> Vec<Cow<'_, [u8]>> {
        match self {
            Set::Ints(v) => int_picks(rng, v.len(), count)
                .into_iter()
                .map(|i| Cow::Owned(int_bytes(v[i as usize])))
                .collect(),
            Set::Table(t) => t
                .members
                .random_distinct(rng, count)
                .into_iter()
                .filter_map(|i| t.members.get(i).map(|m| Cow::Borrowed(&**m)))
                .collect(),
        }
    }

    /// SPOP's way of popping most of a set: keep `keep` members picked at random, take
    /// out all the others and return them in iteration order. The survivors stay where
    /// they are, so a running SSCAN still finds each of them; the set then takes the
    /// encoding a fresh set of them would have (Redis moves them to a new set).
    pub fn pop_all_but(
        &mut self,
        rng: &mut fastrand::Rng,
        keep: usize,
        enc: &Encodings,
    ) -> Vec<Vec<u8>> {
        let popped = match self {
            Set::Ints(v) => {
                let mut kept = vec![false; v.len()];
                for i in int_picks(rng, v.len(), keep) {
                    kept[i as usize] = true;
                }
                let mut popped = Vec::new();
                let mut kept = kept.into_iter();
                v.retain(|&n| {
                    let k = kept.next().unwrap_or(true);
                    if !k {
                        popped.push(int_bytes(n));
                    }
                    k
                });
                popped
            }
            Set::Table(t) => {
                let kept: std::collections::HashSet<u32> =
                    t.members.random_distinct(rng, keep).into_iter().collect();
                let gone: Vec<u32> = t
                    .members
                    .iter()
                    .map(|(slot, _)| slot)
                    .filter(|slot| !kept.contains(slot))
                    .collect();
                let popped = gone
                    .into_iter()
                    .filter_map(|slot| t.members.remove_slot(slot))
                    .map(Vec::from)
                    .collect();
                t.members.shrink_if_sparse();
                popped
            }
        };
        if let Set::Table(t) = self {
            if t.len() <= enc.set_max_intset_entries {
                let ints: Option<Vec<i64>> = t.members.iter().map(|(_, m)| parse_i64(m)).collect();
                if let Some(mut ints) = ints {
                    ints.sort_unstable();
                    *self = Set::Ints(ints);
                }
            }
        }
        popped
    }

    /// Every member, ascending for an intset, table order otherwise.
    pub fn iter(&self) -> impl Iterator<Item = Cow<'_, [u8]>> + '_ {
        let (ints, table) = match self {
            Set::Ints(v) => (Some(v.iter()), None),
            Set::Table(t) => (None, Some(t.members.iter())),
        };
        let ints = ints
            .into_iter()
            .flatten()
            .map(|&n| Cow::Owned(int_bytes(n)));
        let table = table
            .into_iter()
            .flatten()
            .map(|(_, m)| Cow::Borrowed(&**m));
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
        let mut found = Vec::new();
        let next = t.members.scan(cursor, count, |_, m| {
            found.push(m.to_vec());
            true
        });
        (next, found)
    }
}

/// `count` distinct positions of an intset of `len` members (all of them, in order, when
/// `count` is at least `len`), drawn as a table's slots are.
fn int_picks(rng: &mut fastrand::Rng, len: usize, count: usize) -> Vec<u32> {
    if count >= len {
        return (0..len as u32).collect();
    }
    pick_distinct(
        rng,
        len,
        count,
        || (0..len as u32).collect(),
        |rng| Some(rng.usize(..len) as u32),
    )
}

impl Keyed for Box<[u8]> {
    fn key(&self) -> &[u8] {
        self
    }
}

/// The hash-table encoding: the members, stored once, in the shared indexed slab.
#[derive(Clone, Default)]
pub struct Table {
    members: IndexedSlab<Box<[u8]>>,
}

impl std::fmt::Debug for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set()
            .entries(self.members.iter().map(|(_, m)| String::from_utf8_lossy(m)))
            .finish()
    }
}

impl Table {
    pub fn len(&self) -> usize {
        self.members.len()
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    pub fn contains(&self, m: &[u8]) -> bool {
        self.members.find(m).is_some()
    }

    pub fn insert(&mut self, m: Box<[u8]>) -> bool {
        self.members.insert(m).is_ok()
    }

    pub fn remove(&mut self, m: &[u8]) -> bool {
        let gone = self.members.remove(m).is_some();
        self.members.shrink_if_sparse();
        gone
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
    fn only_canonical_integers_stay_in_an_intset() {
        assert_eq!(
            Set::from_members(vec![b("1"), b("-5"), b("9223372036854775807")], &E).encoding(),
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
                Set::from_members(vec![b("1"), b(odd)], &E).encoding(),
                "hashtable",
                "{odd:?}"
            );
        }
    }

    #[test]
    fn the_513th_integer_converts_for_good() {
        let mut s = Set::from_members((0..512).map(|i| b(&i.to_string())), &E);
        assert_eq!(s.encoding(), "intset");
        s.insert(b("512"), &E);
        assert_eq!(s.encoding(), "hashtable");
        s.remove(b"512");
        s.remove(b"0");
        assert_eq!(s.encoding(), "hashtable");
        assert_eq!(s.len(), 511);
    }

    #[test]
    fn popping_all_but_a_few_keeps_the_survivors_in_place_and_re_encodes_them() {
        let mut rng = fastrand::Rng::with_seed(3);
        // Strings: still a table, and a scan under way still finds every survivor.
        let mut s = Set::from_members((0..60).map(|i| b(&format!("m{i}"))), &E);
        let (cursor, mut seen) = s.scan(0, 25);
        let popped = s.pop_all_but(&mut rng, 6, &E);
        assert_eq!((popped.len(), s.len(), s.encoding()), (54, 6, "hashtable"));
        let (mut cursor, mut steps) = (cursor, 0);
        while cursor != 0 && steps < 100 {
            let (next, found) = s.scan(cursor, 25);
            seen.extend(found);
            (cursor, steps) = (next, steps + 1);
        }
        for m in s.members() {
            assert!(seen.contains(&m) && !popped.contains(&m));
        }
        // Integers too many for an intset: the few survivors make one again.
        let mut s = Set::from_members((0..600).map(|i| b(&i.to_string())), &E);
        assert_eq!(s.encoding(), "hashtable");
        assert_eq!(s.pop_all_but(&mut rng, 10, &E).len(), 590);
        assert_eq!((s.len(), s.encoding()), (10, "intset"));
        let left = s.members();
        assert!(left
            .windows(2)
            .all(|w| { parse_i64(&w[0]).unwrap_or(0) < parse_i64(&w[1]).unwrap_or(0) }));
    }

    #[test]
    fn equality_ignores_table_order() {
        let a = Set::from_members(vec![b("x"), b("y"), b("z")], &E);
        let b_ = Set::from_members(vec![b("z"), b("x"), b("y")], &E);
        assert_eq!(a, b_);
        assert_ne!(a, Set::from_members(vec![b("x"), b("y")], &E));
    }
}
