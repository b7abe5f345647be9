//! The value types. Each knows its Redis type name, what OBJECT ENCODING reports for it
//! (under the thresholds in `Encodings`), and a rough size for the keyspace view.

pub mod hash;
pub mod hll;
pub mod list;
pub mod listpack;
pub mod set;
pub mod stream;
pub mod string;
pub mod usage;
pub mod zset;

pub use hash::Hash;
pub use list::List;
pub use set::Set;
pub use stream::Stream;
pub use string::RString;
pub use zset::ZSet;

/// Fixed limits.
pub mod limits {
    /// proto-max-bulk-len: the largest string a client may create.
    pub const PROTO_MAX_BULK_LEN: usize = 512 * 1024 * 1024;
}

/// The encoding thresholds (CONFIG's `set-max-intset-entries`, `hash-max-listpack-*`,
/// `zset-max-listpack-*`): how big a collection grows in its compact encoding before it
/// takes the big one. The server owns them (CONFIG SET changes them); the types take them
/// on every change that may convert, as Redis reads its config there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Encodings {
    pub set_max_intset_entries: usize,
    pub hash_max_listpack_entries: usize,
    pub hash_max_listpack_value: usize,
    pub zset_max_listpack_entries: usize,
    pub zset_max_listpack_value: usize,
    /// A quicklist node's fill (`list-max-listpack-size`) and how many nodes at each end
    /// stay uncompressed (`list-compress-depth`): kept and reported; Redis 7.0's lists are
    /// quicklists whatever their size, so neither changes what OBJECT ENCODING says.
    pub list_max_listpack_size: i64,
    pub list_compress_depth: i64,
    /// An element this big or bigger takes a quicklist node of its own, unpacked (a
    /// PLAIN node): 1 GB, or what DEBUG QUICKLIST-PACKED-THRESHOLD sets.
    pub list_packed_threshold: usize,
}

impl Encodings {
    /// Redis 7.0.15's defaults (`CONFIG GET *max-*` on Debian's server).
    pub const DEFAULT: Encodings = Encodings {
        set_max_intset_entries: 512,
        hash_max_listpack_entries: 512,
        hash_max_listpack_value: 64,
        zset_max_listpack_entries: 128,
        zset_max_listpack_value: 64,
        list_max_listpack_size: -2,
        list_compress_depth: 0,
        list_packed_threshold: 1 << 30,
    };
}

impl Default for Encodings {
    fn default() -> Self {
        Encodings::DEFAULT
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Str(RString),
    List(Box<List>),
    Set(Box<Set>),
    ZSet(Box<ZSet>),
    Hash(Box<Hash>),
    Stream(Box<Stream>),
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
            Value::Stream(_) => "stream",
        }
    }

    /// What OBJECT ENCODING reports in Redis 7.0 with default settings.
    pub fn encoding(&self) -> &'static str {
        match self {
            Value::Str(s) => s.encoding(),
            Value::List(l) => list::encoding(l),
            Value::Set(s) => s.encoding(),
            Value::ZSet(z) => z.encoding(),
            Value::Hash(h) => h.encoding(),
            Value::Stream(_) => "stream",
        }
    }

    /// How many allocations freeing the value takes, as Redis estimates it
    /// (`lazyfreeGetFreeEffort`): a hash table's or skip list's elements, a quicklist's
    /// nodes, a stream's radix tree nodes and its first group's PEL for every group; 1 for
    /// a string, a listpack or an intset.
    pub fn free_effort(&self) -> usize {
        match self {
            // Quicklist nodes of about 8 KB, judged by the first entries.
            Value::List(l) => {
                let sample: usize = l.iter().take(8).map(|e| listpack::str_entry(e)).sum();
                let avg = sample.div_ceil(l.len().clamp(1, 8)).max(1);
                (l.len() * avg).div_ceil(8000).max(1)
            }
            Value::Set(s) if s.encoding() == "hashtable" => s.len(),
            Value::ZSet(z) if z.encoding() == "skiplist" => z.len(),
            Value::Hash(h) if h.encoding() == "hashtable" => h.len(),
            Value::Stream(s) => {
                let groups = s.groups.len();
                let pel = s.groups.values().next().map_or(0, |g| g.pel.len());
                s.radix_tree_nodes() + groups * (1 + pel)
            }
            _ => 1,
        }
    }

    /// OBJECT REFCOUNT: the integers 0 to 9999 are objects Redis shares (its
    /// OBJ_SHARED_REFCOUNT); any other value has one reference.
    pub fn refcount(&self) -> i64 {
        match self {
            Value::Str(s)
                if s.encoding() == "int"
                    && s.as_i64().is_some_and(|v| (0..10_000).contains(&v)) =>
            {
                i64::from(i32::MAX)
            }
            _ => 1,
        }
    }

    /// The soonest deadline of a hash field with its own TTL, if the value is a hash with one.
    pub fn next_field_due(&self) -> Option<i64> {
        match self {
            Value::Hash(h) => h.next_due(),
            _ => None,
        }
    }

    /// Elements for a collection, bytes for a string: the "size" column of the keyspace view.
    pub fn size(&self) -> usize {
        match self {
            Value::Str(s) => s.len(),
            Value::List(l) => l.len(),
            Value::Set(s) => s.len(),
            Value::ZSet(z) => z.len(),
            Value::Hash(h) => h.len(),
            Value::Stream(s) => s.len() as usize,
        }
    }
}
