//! A hash: a listpack (field/value pairs in insertion order, which HGETALL shows) while it
//! has at most 128 fields and no field or value longer than 64 bytes; then a hash table,
//! for good (Redis never converts back).

use std::collections::HashMap;

use super::limits::{HASH_MAX_LISTPACK_ENTRIES, HASH_MAX_LISTPACK_VALUE};

#[derive(Clone, Debug, PartialEq)]
pub enum Hash {
    Listpack(Vec<(Vec<u8>, Vec<u8>)>),
    Table(HashMap<Vec<u8>, Vec<u8>>),
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

    /// Set a field; true if it was new. A listpack keeps an updated field in its place.
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
            Hash::Table(t) => t.insert(f, v).is_none(),
            Hash::Listpack(_) => false,
        }
    }

    /// Convert to a hash table (one way, as in Redis).
    pub fn to_table(&mut self) {
        if let Hash::Listpack(pairs) = self {
            *self = Hash::Table(std::mem::take(pairs).into_iter().collect());
        }
    }
}
