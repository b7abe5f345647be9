//! A set: an intset (sorted 64-bit integers, as Redis keeps small all-integer sets, so
//! SMEMBERS comes out ascending) until a non-integer member arrives or it grows past
//! set-max-intset-entries (512); then a hash table, for good (Redis never converts back).

use std::collections::HashSet;

use super::limits::SET_MAX_INTSET_ENTRIES;

#[derive(Clone, Debug, PartialEq)]
pub enum Set {
    /// Ascending, no duplicates.
    Ints(Vec<i64>),
    Table(HashSet<Vec<u8>>),
}

impl Default for Set {
    fn default() -> Set {
        Set::Ints(Vec::new())
    }
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

    /// Add a member; true if it was new.
    pub fn insert(&mut self, m: Vec<u8>) -> bool {
        if let Set::Ints(v) = self {
            if let Some(n) = crate::num::parse_i64(&m) {
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
            Set::Table(t) => t.insert(m),
            Set::Ints(_) => false,
        }
    }

    /// Every member as bytes (ascending for an intset, table order otherwise).
    pub fn members(&self) -> Vec<Vec<u8>> {
        match self {
            Set::Ints(v) => v.iter().map(|n| n.to_string().into_bytes()).collect(),
            Set::Table(t) => t.iter().cloned().collect(),
        }
    }

    /// Convert to a hash table (one way, as in Redis).
    pub fn to_table(&mut self) {
        if let Set::Ints(v) = self {
            *self = Set::Table(v.iter().map(|n| n.to_string().into_bytes()).collect());
        }
    }
}
