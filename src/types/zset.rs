//! A sorted set: members with scores, ordered by (score, member bytes). Redis 7.0 keeps a
//! small one (at most 128 members, none longer than 64 bytes) in a listpack and a larger
//! one in a skiplist + hash table, for good; OBJECT ENCODING reports which.

use std::collections::HashMap;

use super::limits::{ZSET_MAX_LISTPACK_ENTRIES, ZSET_MAX_LISTPACK_VALUE};

#[derive(Clone, Debug, PartialEq, Default)]
pub struct ZSet {
    scores: HashMap<Vec<u8>, f64>,
    /// (score, member), ascending.
    order: Vec<(f64, Vec<u8>)>,
    /// Converted to a skiplist (one way).
    skiplist: bool,
}

impl ZSet {
    /// A sorted set holding these (score, member) pairs, encoded as after ZADD.
    pub fn from_pairs<I: IntoIterator<Item = (f64, Vec<u8>)>>(pairs: I) -> ZSet {
        let mut z = ZSet::default();
        for (s, m) in pairs {
            z.insert(s, m);
        }
        z
    }

    pub fn len(&self) -> usize {
        self.scores.len()
    }

    pub fn is_empty(&self) -> bool {
        self.scores.is_empty()
    }

    pub fn encoding(&self) -> &'static str {
        if self.skiplist {
            "skiplist"
        } else {
            "listpack"
        }
    }

    /// Every (score, member), ascending by score then member bytes.
    pub fn iter(&self) -> impl Iterator<Item = (f64, &[u8])> + '_ {
        self.order.iter().map(|(s, m)| (*s, m.as_slice()))
    }

    /// Add or update a member; true if it was new.
    pub fn insert(&mut self, score: f64, member: Vec<u8>) -> bool {
        if member.len() > ZSET_MAX_LISTPACK_VALUE {
            self.skiplist = true;
        }
        let new = match self.scores.insert(member.clone(), score) {
            Some(old) => {
                self.order.retain(|(s, m)| !(*s == old && *m == member));
                false
            }
            None => true,
        };
        let pos = self.order.partition_point(|(s, m)| (*s, m.as_slice()) < (score, member.as_slice()));
        self.order.insert(pos, (score, member));
        if self.scores.len() > ZSET_MAX_LISTPACK_ENTRIES {
            self.skiplist = true;
        }
        new
    }
}
