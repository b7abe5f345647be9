//! What a key would take in Redis 7.0's memory, as `MEMORY USAGE` computes it
//! (`objectComputeSize` in object.c): Redis's structure sizes on x86-64, jemalloc's size
//! classes, sds headers and listpack bytes, and — for hash tables, skip lists and
//! quicklists — the first `samples` elements as a sample for the rest, as Redis does.
//!
//! Exact where Redis's figure depends only on the data: strings made by SET, intsets,
//! listpack hashes and sorted sets, small lists and sets, streams' nodes. Approximate
//! where it depends on history this engine doesn't keep: a hash table's slots (those of
//! a table grown one element at a time, rehashing included), which elements Redis samples
//! (its table order is its hash seed's), a skip list node's random level (its expected
//! allocation), a string grown by APPEND or SETRANGE (Redis over-allocates it), a list's
//! nodes (packed from the head).

use super::stream::group::radix_tree_nodes;
use super::stream::Stream;
use super::{listpack, Encodings, Value};

/// Structure sizes on a 64-bit Redis 7.0.
const ROBJ: usize = 16;
const DICT_ENTRY: usize = 24;
const DICT: usize = 56;
const QUICKLIST: usize = 40;
const QUICKLIST_NODE: usize = 40;
const ZSET: usize = 16;
const ZSKIPLIST: usize = 32;
const STREAM: usize = 80;
const STREAM_CG: usize = 40;
const STREAM_NACK: usize = 24;
const STREAM_CONSUMER: usize = 24;
const STREAM_ID: usize = 16;
const RAX_NODE: usize = 4;
/// Redis 7.4's hash-field expiration (no 7.4 server here to measure, so from its structs):
/// a listpackex's header (expiry metadata, key and listpack pointers), a hash table's
/// expiry header, and the expiry metadata a field with a TTL carries.
const LISTPACK_EX: usize = 32;
const DICT_EXPIRE_META: usize = 32;
const FIELD_EXPIRE_META: usize = 16;
/// A skip list node's allocation, averaged over the levels Redis draws (p = 1/4): 40
/// bytes and 16 more per level above the first, in jemalloc's classes.
const ZSKIPLIST_NODE_EXPECTED: usize = 53;
/// The skip list header node: 32 levels (24 + 32 × 16 = 536 bytes, allocated 640).
const ZSKIPLIST_HEADER: usize = 640;
/// What an XADD pre-allocates for a new stream node (when stream-node-max-bytes is not
/// smaller).
const STREAM_PREALLOC: usize = 4096;

/// jemalloc's size class for a request of `n` bytes (64-bit, 16-byte quantum): 8, then
/// multiples of 16 up to 128, then four classes per doubling.
pub fn size_class(n: usize) -> usize {
    if n <= 8 {
        return 8;
    }
    if n <= 128 {
        return n.div_ceil(16) * 16;
    }
    let k = usize::BITS - 1 - (n - 1).leading_zeros();
    let step = 1usize << (k - 2);
    n.div_ceil(step).saturating_mul(step)
}

/// An sds string of `len` bytes as allocated: its header (1, 3, 5, 9 or 17 bytes by
/// length; an empty string gets the 3-byte one), the bytes and a terminator.
pub fn sds_alloc(len: usize) -> usize {
    let header = match len {
        0 => 3,
        1..=31 => 1,
        32..=255 => 3,
        256..=65535 => 5,
        _ if len as u64 <= u32::MAX as u64 => 9,
        _ => 17,
    };
    size_class(header + len + 1)
}

/// The slots of a hash table holding `n` entries, grown one insertion at a time: at least
/// 4, the power of two at or above `n` — and, while the table is being rehashed into it,
/// the old half too. Each insertion moves one bucket of the old table; the old table's
/// entries fill about 1 − 1/e of its buckets, so the move ends that many insertions after
/// the growth (Redis's hash seed decides exactly; reads move buckets too).
fn dict_slots(n: usize) -> usize {
    let size = n.max(4).next_power_of_two();
    let old = size / 2;
    let steps = (old as f64 * (1.0 - (-1f64).exp())).ceil() as usize;
    if n > 4 && old >= 4 && n <= old + steps {
        size + old
    } else {
        size
    }
}

/// The slots of a set's or hash's table of `n` entries, which left its compact encoding
/// when it passed `threshold` entries: Redis sizes the new table for them at once (no
/// rehash), and it grows one insertion at a time from there.
fn table_slots(n: usize, threshold: usize) -> usize {
    let converted_at = threshold.saturating_add(1);
    if n >= converted_at && n <= converted_at.next_power_of_two() {
        converted_at.max(4).next_power_of_two()
    } else {
        dict_slots(n)
    }
}

/// An average over a sample, scaled to `total` items (Redis's `elesize/samples*n`).
fn scaled(sum: usize, samples: usize, total: usize) -> usize {
    if samples == 0 {
        0
    } else {
        (sum as f64 / samples as f64 * total as f64) as usize
    }
}

/// The memory of the radix tree of a stream, or of a pending entries list (Redis's
/// `streamRadixTreeMemoryUsage`): 16 bytes per key, and per node its header and a fixed
/// 30 words.
fn rax_usage(keys: usize, nodes: usize) -> usize {
    keys * STREAM_ID + nodes * RAX_NODE + nodes * 8 * 30
}

/// How much work a measure may do.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Budget {
    /// MEMORY USAGE: Redis's figure, walking what Redis walks (whole listpacks, every
    /// stream node's size).
    Exact,
    /// The running total kept after every write: a bounded sample of each structure, so
    /// a write to a big collection stays cheap.
    Quick,
}

/// Elements a quick measure reads of a listpack, intset or radix tree.
const QUICK: usize = 32;
/// Elements a quick measure reads of a list (its entries are all alike, usually).
const QUICK_LIST: usize = 8;

/// MEMORY USAGE of `key` holding `value`, sampling up to `samples` elements (0: all).
pub fn memory_usage(
    key: &[u8],
    value: &Value,
    samples: usize,
    enc: &Encodings,
    stream_node_max_bytes: u64,
) -> usize {
    measure(
        key,
        value,
        samples,
        enc,
        stream_node_max_bytes,
        Budget::Exact,
    )
}

/// What `key` holding `value` takes, within `budget`.
pub fn measure(
    key: &[u8],
    value: &Value,
    samples: usize,
    enc: &Encodings,
    stream_node_max_bytes: u64,
    budget: Budget,
) -> usize {
    let samples = if samples == 0 { usize::MAX } else { samples };
    sds_alloc(key.len())
        + DICT_ENTRY
        + value_usage(value, samples, enc, stream_node_max_bytes, budget)
}

/// A sum over `n` items read `item` at a time: all of them, or (quick, over `QUICK`) the
/// first `QUICK` scaled up.
fn sum_of<I: Iterator<Item = usize>>(items: I, n: usize, budget: Budget) -> usize {
    if budget == Budget::Quick && n > QUICK {
        scaled(items.take(QUICK).sum(), QUICK, n)
    } else {
        items.sum()
    }
}

fn value_usage(
    value: &Value,
    samples: usize,
    enc: &Encodings,
    node_max_bytes: u64,
    budget: Budget,
) -> usize {
    match value {
        Value::Str(s) => match s.encoding() {
            "int" => ROBJ,
            "embstr" => size_class(ROBJ + 3 + s.len() + 1),
            _ => sds_alloc(s.len()) + ROBJ,
        },
        Value::List(l) if budget == Budget::Quick && l.len() > QUICK_LIST => {
            // The nodes a list of entries like its first ones packs into.
            let each = l
                .iter()
                .take(QUICK_LIST)
                .map(|e| listpack::str_entry(e))
                .sum::<usize>() as f64
                / QUICK_LIST as f64;
            let len = l.iter().take(QUICK_LIST).map(|e| e.len()).sum::<usize>() as f64
                / QUICK_LIST as f64;
            let limit = match enc.list_max_listpack_size {
                f @ -5..=-1 => (4096usize << (-f - 1)) as f64,
                _ => 8192.0,
            };
            let per_node = ((limit - 8.0 - len - listpack::EMPTY as f64) / each)
                .floor()
                .max(0.0)
                + 1.0;
            let per_node = match enc.list_max_listpack_size {
                f if f > 0 => per_node.min(f as f64),
                _ => per_node,
            };
            let nodes = (l.len() as f64 / per_node).ceil() as usize;
            let full = size_class(listpack::EMPTY + (per_node * each) as usize);
            let rest = l.len() - (nodes - 1) * per_node as usize;
            let last = size_class(listpack::EMPTY + (rest as f64 * each) as usize);
            ROBJ + QUICKLIST + nodes * QUICKLIST_NODE + (nodes - 1) * full + last
        }
        Value::List(l) => {
            // Quicklist nodes, each one listpack, packed from the head as pushes fill them.
            let nodes = quicklist_nodes(l, enc, samples.saturating_add(1));
            // The nodes the whole list takes, from the elements per node of the sample.
            let sampled: Vec<_> = nodes.iter().take(samples).collect();
            let per_node =
                sampled.iter().map(|n| n.count).sum::<usize>() as f64 / sampled.len().max(1) as f64;
            let total_nodes = if nodes.len() <= samples {
                nodes.len()
            } else {
                (l.len() as f64 / per_node.max(1.0)).ceil() as usize
            };
            let sum: usize = sampled
                .iter()
                .map(|n| QUICKLIST_NODE + size_class(n.bytes))
                .sum();
            ROBJ + QUICKLIST + scaled(sum, sampled.len(), total_nodes)
        }
        Value::Set(s) => {
            if s.encoding() == "intset" {
                let width = s
                    .iter()
                    .take(if budget == Budget::Quick {
                        QUICK
                    } else {
                        usize::MAX
                    })
                    .filter_map(|m| crate::num::parse_i64(&m))
                    .map(|v| {
                        if i16::try_from(v).is_ok() {
                            2
                        } else if i32::try_from(v).is_ok() {
                            4
                        } else {
                            8
                        }
                    })
                    .max()
                    .unwrap_or(2);
                ROBJ + size_class(8 + width * s.len())
            } else {
                let (sum, n) = s.iter().take(samples).fold((0, 0), |(sum, n), m| {
                    (sum + DICT_ENTRY + sds_alloc(m.len()), n + 1)
                });
                let slots = table_slots(s.len(), enc.set_max_intset_entries);
                ROBJ + DICT + 8 * slots + scaled(sum, n, s.len())
            }
        }
        Value::ZSet(z) => {
            if z.encoding() == "listpack" {
                let bytes = listpack::EMPTY
                    + sum_of(
                        z.iter().map(|(score, m)| {
                            listpack::str_entry(m)
                                + listpack::str_entry(score_text(score).as_bytes())
                        }),
                        z.len(),
                        budget,
                    );
                ROBJ + size_class(bytes)
            } else {
                let (sum, n) = z.iter().take(samples).fold((0, 0), |(sum, n), (_, m)| {
                    (
                        sum + sds_alloc(m.len()) + DICT_ENTRY + ZSKIPLIST_NODE_EXPECTED,
                        n + 1,
                    )
                });
                ROBJ + ZSET
                    + ZSKIPLIST
                    + DICT
                    + 8 * dict_slots(z.len())
                    + ZSKIPLIST_HEADER
                    + scaled(sum, n, z.len())
            }
        }
        Value::Hash(h) => {
            if h.is_listpack() {
                // A listpackex (Redis 7.4) keeps each field's deadline (0 for none) as a
                // third entry, behind a small header of its own.
                let ex = h.ttls_enabled();
                let ttl_entry = |f: &[u8]| {
                    if ex {
                        listpack::int_entry(h.ttl_of(f).unwrap_or(0))
                    } else {
                        0
                    }
                };
                let bytes = listpack::EMPTY
                    + sum_of(
                        h.iter().map(|(f, v)| {
                            listpack::str_entry(f) + listpack::str_entry(v) + ttl_entry(f)
                        }),
                        h.len(),
                        budget,
                    );
                ROBJ + size_class(bytes) + if ex { LISTPACK_EX } else { 0 }
            } else if h.ttls_enabled() {
                // Fields with a TTL carry their expiry metadata; the table has a header
                // for them (Redis 7.4's dictExpireMetadata).
                let (sum, n) = h.iter().take(samples).fold((0, 0), |(sum, n), (f, v)| {
                    let meta = if h.ttl_of(f).is_some() {
                        FIELD_EXPIRE_META
                    } else {
                        0
                    };
                    (
                        sum + sds_alloc(f.len() + meta) + sds_alloc(v.len()) + DICT_ENTRY,
                        n + 1,
                    )
                });
                let slots = table_slots(h.len(), enc.hash_max_listpack_entries);
                ROBJ + DICT + DICT_EXPIRE_META + 8 * slots + scaled(sum, n, h.len())
            } else {
                let (sum, n) = h.iter().take(samples).fold((0, 0), |(sum, n), (f, v)| {
                    (
                        sum + sds_alloc(f.len()) + sds_alloc(v.len()) + DICT_ENTRY,
                        n + 1,
                    )
                });
                let slots = table_slots(h.len(), enc.hash_max_listpack_entries);
                ROBJ + DICT + 8 * slots + scaled(sum, n, h.len())
            }
        }
        Value::Stream(s) => ROBJ + STREAM + stream_usage(s, samples, node_max_bytes, budget),
    }
}

/// A quicklist node: its bytes (a listpack's, or a PLAIN node's one element), how many
/// elements it holds, and whether it is PLAIN.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct QuicklistNode {
    pub bytes: usize,
    pub count: usize,
    pub plain: bool,
}

/// The quicklist nodes a list takes, as pushes fill them from the head (an element of
/// `list_packed_threshold` bytes or more alone in a PLAIN node) — the first `limit`.
pub(crate) fn quicklist_nodes(
    l: &super::List,
    enc: &Encodings,
    limit: usize,
) -> Vec<QuicklistNode> {
    let mut nodes: Vec<QuicklistNode> = Vec::new();
    for e in l.iter() {
        let plain = e.len() >= enc.list_packed_threshold;
        let fits = !plain
            && nodes.last().is_some_and(|n| {
                !n.plain && node_allows(n.bytes, n.count, e.len(), enc.list_max_listpack_size)
            });
        if !fits {
            if nodes.len() >= limit {
                break;
            }
            nodes.push(QuicklistNode {
                bytes: if plain { 0 } else { listpack::EMPTY },
                count: 0,
                plain,
            });
        }
        if let Some(n) = nodes.last_mut() {
            n.bytes += if plain {
                e.len()
            } else {
                listpack::str_entry(e)
            };
            n.count += 1;
        }
    }
    nodes
}

/// Whether a quicklist node of `bytes` and `count` entries takes one more of `len` bytes
/// (Redis's `_quicklistNodeAllowInsert`, `fill` being list-max-listpack-size).
pub(crate) fn node_allows(bytes: usize, count: usize, len: usize, fill: i64) -> bool {
    const LEVELS: [usize; 5] = [4096, 8192, 16384, 32768, 65536];
    let new = bytes + len + 8;
    if fill < 0 {
        let level = usize::try_from(-fill - 1).ok().and_then(|i| LEVELS.get(i));
        if level.is_some_and(|&max| new <= max) {
            return true;
        }
    }
    new <= 8192 && (count as i64) < fill
}

/// A score as a sorted set's listpack stores it: `%.17g` text (integers as integers).
pub(crate) fn score_text(score: f64) -> String {
    crate::num::double::fmt_g17(score)
}

/// A radix tree's node count: counted, or (quick, past `QUICK` keys) about two per key,
/// as a tree of ids written in order has.
fn rax_nodes<I: Iterator<Item = super::stream::StreamId>>(
    keys: I,
    n: usize,
    budget: Budget,
) -> usize {
    if budget == Budget::Quick && n > QUICK {
        2 * n + 1
    } else {
        radix_tree_nodes(keys)
    }
}

fn stream_usage(s: &Stream, samples: usize, node_max_bytes: u64, budget: Budget) -> usize {
    let keys = s.node_count();
    let mut size = rax_usage(keys, rax_nodes(s.node_ids(), keys, budget));
    // Full nodes were shrunk to fit; the last keeps what XADD pre-allocated.
    let prealloc = match usize::try_from(node_max_bytes) {
        Ok(n) if n > 0 && n < STREAM_PREALLOC => n,
        _ => STREAM_PREALLOC,
    };
    // The first `samples` nodes and the last (quick: those only).
    let bytes: Vec<usize> = if budget == Budget::Quick && keys > samples.saturating_add(1) {
        s.node_bytes()
            .take(samples)
            .chain(s.last_node_bytes())
            .collect()
    } else {
        s.node_bytes().collect()
    };
    let alloc = |i: usize, b: usize| {
        if i + 1 == bytes.len() {
            size_class(b.max(prealloc))
        } else {
            size_class(b)
        }
    };
    if keys <= samples {
        size += bytes
            .iter()
            .enumerate()
            .map(|(i, &b)| alloc(i, b))
            .sum::<usize>();
    } else if let Some(&last) = bytes.last() {
        let sampled: usize = bytes.iter().take(samples).map(|&b| size_class(b)).sum();
        size += sampled / samples * (keys - 1);
        size += alloc(bytes.len() - 1, last);
    }
    for g in s.groups.values() {
        size += STREAM_CG;
        size += rax_usage(
            g.pel.len(),
            rax_nodes(g.pel.keys().copied(), g.pel.len(), budget),
        );
        size += STREAM_NACK * g.pel.len();
        for (name, c) in &g.consumers {
            size += STREAM_CONSUMER + name.len();
            size += rax_usage(
                c.pel.len(),
                rax_nodes(c.pel.iter().copied(), c.pel.len(), budget),
            );
        }
    }
    size
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jemalloc_classes() {
        let got: Vec<usize> = [1, 8, 9, 23, 64, 65, 129, 536, 4096, 4097, 14337]
            .iter()
            .map(|&n| size_class(n))
            .collect();
        assert_eq!(got, [8, 8, 16, 32, 64, 80, 160, 640, 4096, 5120, 16384]);
    }

    #[test]
    fn sds_headers_by_length() {
        assert_eq!(sds_alloc(3), 8);
        assert_eq!(sds_alloc(0), 8);
        assert_eq!(sds_alloc(39), 48);
        assert_eq!(sds_alloc(45), 64);
    }
}
