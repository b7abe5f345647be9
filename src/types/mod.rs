//! The five value types. Each knows its Redis type name, what OBJECT ENCODING reports for
//! it under Redis 7.0's default thresholds, and a rough size for the keyspace view.

pub mod string;

use std::collections::{HashMap, HashSet, VecDeque};

pub use string::RString;

/// Redis 7.0's default encoding thresholds (redis.conf defaults).
pub mod limits {
    pub const LIST_MAX_LISTPACK_SIZE: i64 = -2; // 8 KB per node
    pub const SET_MAX_INTSET_ENTRIES: usize = 512;
    pub const HASH_MAX_LISTPACK_ENTRIES: usize = 128;
    pub const HASH_MAX_LISTPACK_VALUE: usize = 64;
    pub const ZSET_MAX_LISTPACK_ENTRIES: usize = 128;
    pub const ZSET_MAX_LISTPACK_VALUE: usize = 64;
    /// proto-max-bulk-len: the largest string a client may create.
    pub const PROTO_MAX_BULK_LEN: usize = 512 * 1024 * 1024;
}

/// A sorted set: member → score, plus members ordered by (score, member).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ZSet {
    pub scores: HashMap<Vec<u8>, f64>,
    pub order: Vec<(f64, Vec<u8>)>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Str(RString),
    List(Box<VecDeque<Vec<u8>>>),
    Set(Box<HashSet<Vec<u8>>>),
    ZSet(Box<ZSet>),
    Hash(Box<Vec<(Vec<u8>, Vec<u8>)>>),
}

impl Value {
    /// The name TYPE reports.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "string",
            Value::List(_) => "list",
            Value::Set(_) => "set",
            Value::ZSet(_) => "zset",
            Value::Hash(_) => "hash",
        }
    }

    /// What OBJECT ENCODING reports in Redis 7.0 with default settings.
    pub fn encoding(&self) -> &'static str {
        use limits::*;
        match self {
            Value::Str(s) => s.encoding(),
            Value::List(l) => {
                // A list is a single listpack while it would fit one 8 KB node.
                let bytes: usize = l.iter().map(|e| e.len() + 11).sum::<usize>() + 7;
                if bytes <= 8192 {
                    "listpack"
                } else {
                    "quicklist"
                }
            }
            Value::Set(s) => {
                if s.len() <= SET_MAX_INTSET_ENTRIES && s.iter().all(|m| crate::num::parse_i64(m).is_some()) {
                    "intset"
                } else {
                    "hashtable"
                }
            }
            Value::ZSet(z) => {
                if z.order.len() <= ZSET_MAX_LISTPACK_ENTRIES
                    && z.order.iter().all(|(_, m)| m.len() <= ZSET_MAX_LISTPACK_VALUE)
                {
                    "listpack"
                } else {
                    "skiplist"
                }
            }
            Value::Hash(h) => {
                if h.len() <= HASH_MAX_LISTPACK_ENTRIES
                    && h.iter().all(|(f, v)| f.len() <= HASH_MAX_LISTPACK_VALUE && v.len() <= HASH_MAX_LISTPACK_VALUE)
                {
                    "listpack"
                } else {
                    "hashtable"
                }
            }
        }
    }

    /// Elements for a collection, bytes for a string: the "size" column of the keyspace view.
    pub fn size(&self) -> usize {
        match self {
            Value::Str(s) => s.len(),
            Value::List(l) => l.len(),
            Value::Set(s) => s.len(),
            Value::ZSet(z) => z.order.len(),
            Value::Hash(h) => h.len(),
        }
    }
}
