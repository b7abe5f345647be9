//! A stream: entries with ids `ms-seq`, kept as Redis 7.0 keeps them — in nodes that each
//! hold one listpack of at most `stream-node-max-entries` entries and about
//! `stream-node-max-bytes` bytes, keyed by the id of their first ("master") entry. The
//! nodes are modelled exactly (which entries each holds, deleted ones included, and the
//! listpack's byte size), because what Redis does depends on them: a new node starts when
//! the last one is full, approximate trimming (`~`) removes whole nodes only, and an exact
//! trim or XDEL marks entries deleted inside a node, whose bytes and counts stay.
//!
//! Lookups by id go through an ordered map of nodes: O(log n) to the node, then a scan of
//! at most one node's entries.

use std::collections::BTreeMap;

use super::listpack;

pub mod group;
use group::{ConsumerGroup, INVALID_ENTRIES_READ};

/// A stream entry id.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Default, Hash)]
pub struct StreamId {
    pub ms: u64,
    pub seq: u64,
}

impl StreamId {
    pub const MIN: StreamId = StreamId { ms: 0, seq: 0 };
    pub const MAX: StreamId = StreamId {
        ms: u64::MAX,
        seq: u64::MAX,
    };

    pub fn new(ms: u64, seq: u64) -> StreamId {
        StreamId { ms, seq }
    }

    /// The next id (None past the last possible one).
    pub fn incr(self) -> Option<StreamId> {
        if self.seq < u64::MAX {
            Some(StreamId::new(self.ms, self.seq + 1))
        } else if self.ms < u64::MAX {
            Some(StreamId::new(self.ms + 1, 0))
        } else {
            None
        }
    }

    /// The previous id (None before 0-0).
    pub fn decr(self) -> Option<StreamId> {
        if self.seq > 0 {
            Some(StreamId::new(self.ms, self.seq - 1))
        } else if self.ms > 0 {
            Some(StreamId::new(self.ms - 1, u64::MAX))
        } else {
            None
        }
    }

    pub fn text(&self) -> String {
        format!("{}-{}", self.ms, self.seq)
    }
}

/// An entry's field-value pairs.
pub type Fields = Vec<(Vec<u8>, Vec<u8>)>;

/// One entry of a node: its id, its flags and where its fields start in the node's bytes.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Slot {
    id: StreamId,
    at: u32,
    deleted: bool,
    /// Stored with the node's master fields (only values written).
    same_fields: bool,
}

const FLAG_SAMEFIELDS: i64 = 2;

/// A node's entries packed in one buffer, as Redis packs them in a listpack (so a million
/// entries cost bytes, not a million allocations): per entry, unless it has the node's
/// master fields, a varint field count and each field; then each value, every string as
/// a varint length and its bytes. `Slot`s index it.
#[derive(Clone, Debug, PartialEq, Default)]
struct Packed(Vec<u8>);

impl Packed {
    fn put_varint(&mut self, mut n: u64) {
        loop {
            let b = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                self.0.push(b);
                return;
            }
            self.0.push(b | 0x80);
        }
    }

    fn put_str(&mut self, s: &[u8]) {
        self.put_varint(s.len() as u64);
        self.0.extend_from_slice(s);
    }

    fn varint(&self, at: &mut usize) -> u64 {
        let mut n = 0u64;
        let mut shift = 0;
        while let Some(&b) = self.0.get(*at) {
            *at += 1;
            if shift < 64 {
                n |= u64::from(b & 0x7f) << shift;
            }
            shift += 7;
            if b & 0x80 == 0 {
                break;
            }
        }
        n
    }

    fn str(&self, at: &mut usize) -> Vec<u8> {
        let n = self.varint(at) as usize;
        let end = at.saturating_add(n).min(self.0.len());
        let out = self.0.get(*at..end).unwrap_or_default().to_vec();
        *at = end;
        out
    }
}

#[derive(Clone, Debug, PartialEq)]
struct Node {
    master_fields: Vec<Vec<u8>>,
    slots: Vec<Slot>,
    data: Packed,
    /// Live entries and entries marked deleted (the master entry's two counters).
    live: i64,
    deleted: i64,
    /// The listpack's size in bytes.
    bytes: usize,
}

impl Node {
    fn new(master_fields: Vec<Vec<u8>>) -> Node {
        let bytes = listpack::EMPTY
            + listpack::int_entry(0) // count, raised to 1 by the first append
            + listpack::int_entry(0)
            + listpack::int_entry(master_fields.len() as i64)
            + master_fields.iter().map(|f| listpack::str_entry(f)).sum::<usize>()
            + listpack::int_entry(0);
        Node {
            master_fields,
            slots: Vec::new(),
            data: Packed::default(),
            live: 0,
            deleted: 0,
            bytes,
        }
    }

    fn set_live(&mut self, n: i64) {
        self.bytes = self.bytes + listpack::int_entry(n) - listpack::int_entry(self.live);
        self.live = n;
    }

    fn set_deleted(&mut self, n: i64) {
        self.bytes = self.bytes + listpack::int_entry(n) - listpack::int_entry(self.deleted);
        self.deleted = n;
    }

    /// Append an entry as Redis writes it after the node's master entry `master`.
    fn append<F: AsRef<[u8]>>(&mut self, master: StreamId, id: StreamId, fields: &[(F, F)]) {
        self.set_live(self.live + 1);
        let same = fields.len() == self.master_fields.len()
            && fields
                .iter()
                .zip(&self.master_fields)
                .all(|((f, _), m)| f.as_ref() == m.as_slice());
        let flags = if same { FLAG_SAMEFIELDS } else { 0 };
        let mut bytes = listpack::int_entry(flags)
            + listpack::int_entry(id.ms.wrapping_sub(master.ms) as i64)
            + listpack::int_entry(id.seq.wrapping_sub(master.seq) as i64);
        let at = self.data.0.len() as u32;
        if !same {
            bytes += listpack::int_entry(fields.len() as i64);
            self.data.put_varint(fields.len() as u64);
            for (f, _) in fields {
                bytes += listpack::str_entry(f.as_ref());
                self.data.put_str(f.as_ref());
            }
        }
        for (_, v) in fields {
            bytes += listpack::str_entry(v.as_ref());
            self.data.put_str(v.as_ref());
        }
        let lp_count = fields.len() as i64 + 3 + if same { 0 } else { fields.len() as i64 + 1 };
        bytes += listpack::int_entry(lp_count);
        self.bytes += bytes;
        self.slots.push(Slot {
            id,
            at,
            deleted: false,
            same_fields: same,
        });
    }

    /// The fields of entry `i`.
    fn fields(&self, i: usize) -> Fields {
        let Some(slot) = self.slots.get(i) else {
            return Vec::new();
        };
        let mut at = slot.at as usize;
        let names: Vec<Vec<u8>> = if slot.same_fields {
            self.master_fields.clone()
        } else {
            let n = self.data.varint(&mut at) as usize;
            (0..n.min(self.data.0.len()))
                .map(|_| self.data.str(&mut at))
                .collect()
        };
        names
            .into_iter()
            .map(|f| (f, self.data.str(&mut at)))
            .collect()
    }

    /// Mark entry `i` deleted (its flags integer keeps its size: 0→1, 2→3).
    fn mark_deleted(&mut self, i: usize) {
        if let Some(s) = self.slots.get_mut(i) {
            s.deleted = true;
        }
    }

    /// The index of the first entry with an id at or after `id`.
    fn position(&self, id: StreamId) -> usize {
        self.slots.partition_point(|s| s.id < id)
    }

    fn last_live(&self) -> Option<StreamId> {
        self.slots.iter().rev().find(|e| !e.deleted).map(|e| e.id)
    }

    fn first_live(&self) -> Option<StreamId> {
        self.slots.iter().find(|e| !e.deleted).map(|e| e.id)
    }
}

/// How XADD and XTRIM trim.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Trim {
    MaxLen(u64),
    MinId(StreamId),
}

/// The stream's own limits: `stream-node-max-bytes` and `stream-node-max-entries`.
#[derive(Clone, Copy, Debug)]
pub struct NodeLimits {
    pub max_bytes: u64,
    pub max_entries: i64,
}

impl Default for NodeLimits {
    fn default() -> Self {
        NodeLimits {
            max_bytes: 4096,
            max_entries: 100,
        }
    }
}

/// The largest listpack Redis lets a stream node grow to.
const LISTPACK_MAX_SIZE: u64 = 1 << 30;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stream {
    nodes: BTreeMap<StreamId, Node>,
    length: u64,
    pub last_id: StreamId,
    pub first_id: StreamId,
    pub max_deleted_id: StreamId,
    pub entries_added: u64,
    /// Consumer groups by name.
    pub groups: BTreeMap<Vec<u8>, ConsumerGroup>,
}

impl Stream {
    pub fn len(&self) -> u64 {
        self.length
    }

    pub fn is_empty(&self) -> bool {
        self.length == 0
    }

    /// Radix-tree keys: how many nodes the stream has.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// The id `*` gives at world time `now_ms`: the time, or one more than the last id when
    /// the clock is not past it.
    pub fn next_auto_id(&self, now_ms: u64) -> Option<StreamId> {
        if now_ms > self.last_id.ms {
            Some(StreamId::new(now_ms, 0))
        } else {
            self.last_id.incr()
        }
    }

    /// Append an entry with a valid id (greater than the last). Starts a new node when the
    /// last one is full, as Redis decides it.
    pub fn append<F: AsRef<[u8]>>(&mut self, id: StreamId, fields: &[(F, F)], limits: NodeLimits) {
        let total: u64 = fields
            .iter()
            .map(|(f, v)| (f.as_ref().len() + v.as_ref().len()) as u64)
            .sum();
        let max_bytes = if limits.max_bytes == 0 || limits.max_bytes > LISTPACK_MAX_SIZE {
            LISTPACK_MAX_SIZE
        } else {
            limits.max_bytes
        };
        let full = match self.nodes.last_key_value() {
            None => true,
            Some((_, node)) => {
                node.bytes as u64 + total >= max_bytes
                    || (limits.max_entries > 0 && node.live + node.deleted >= limits.max_entries)
            }
        };
        if full {
            let names = fields.iter().map(|(f, _)| f.as_ref().to_vec()).collect();
            self.nodes.insert(id, Node::new(names));
        }
        if let Some((&master, node)) = self.nodes.iter_mut().next_back() {
            node.append(master, id, fields);
        }
        self.length += 1;
        self.entries_added += 1;
        self.last_id = id;
        if self.length == 1 {
            self.first_id = id;
        }
    }

    /// The first (or last) live entry's id, if any.
    fn edge_id(&self, first: bool) -> Option<StreamId> {
        if first {
            self.nodes.values().find_map(Node::first_live)
        } else {
            self.nodes.values().rev().find_map(Node::last_live)
        }
    }

    pub fn first_entry_id(&self) -> Option<StreamId> {
        self.edge_id(true)
    }

    pub fn last_entry_id(&self) -> Option<StreamId> {
        self.edge_id(false)
    }

    /// The node that would hold `id`: the last one whose master id is not after it.
    fn node_for(&self, id: StreamId) -> Option<StreamId> {
        self.nodes.range(..=id).next_back().map(|(k, _)| *k)
    }

    /// Delete one entry: whether it was there. A node whose last live entry goes is
    /// removed whole.
    pub fn delete(&mut self, id: StreamId) -> bool {
        let Some(key) = self.node_for(id) else {
            return false;
        };
        let Some(node) = self.nodes.get_mut(&key) else {
            return false;
        };
        let i = node.position(id);
        if !node.slots.get(i).is_some_and(|e| e.id == id && !e.deleted) {
            return false;
        }
        if node.live == 1 {
            self.nodes.remove(&key);
        } else {
            node.mark_deleted(i);
            node.set_live(node.live - 1);
            node.set_deleted(node.deleted + 1);
        }
        self.length -= 1;
        true
    }

    /// XDEL's bookkeeping after deleting `ids` (those that were there).
    pub fn delete_ids(&mut self, ids: &[StreamId]) -> u64 {
        let mut deleted = 0;
        let mut first_gone = false;
        for &id in ids {
            if self.delete(id) {
                first_gone |= id == self.first_id;
                if id > self.max_deleted_id {
                    self.max_deleted_id = id;
                }
                deleted += 1;
            }
        }
        if deleted > 0 {
            if self.length == 0 {
                self.first_id = StreamId::MIN;
            } else if first_gone {
                self.first_id = self.first_entry_id().unwrap_or_default();
            }
        }
        deleted
    }

    /// Trim from the oldest entries: whole nodes while they can go; then, unless
    /// `approx`, entries inside the first remaining node (marked deleted). `limit` (0: no
    /// limit) caps the entries removed, counted a node at a time. Returns how many went.
    pub fn trim(&mut self, how: Trim, approx: bool, limit: u64) -> u64 {
        let mut deleted: u64 = 0;
        loop {
            if let Trim::MaxLen(max) = how {
                if self.length <= max {
                    break;
                }
            }
            let Some((&key, node)) = self.nodes.iter_mut().next() else {
                break;
            };
            let entries = node.live as u64;
            if limit > 0 && deleted + entries > limit {
                break;
            }
            let remove_node = match how {
                Trim::MaxLen(max) => self.length - entries >= max,
                Trim::MinId(min) => node.slots.last().is_some_and(|e| e.id < min),
            };
            if remove_node {
                self.nodes.remove(&key);
                self.length -= entries;
                deleted += entries;
                continue;
            }
            if approx {
                break;
            }
            let mut from_node = 0;
            for e in node.slots.iter_mut() {
                let stop = match how {
                    Trim::MaxLen(max) => self.length <= max,
                    Trim::MinId(min) => e.id >= min,
                };
                if stop {
                    break;
                }
                if !e.deleted {
                    e.deleted = true;
                    from_node += 1;
                    self.length -= 1;
                }
            }
            deleted += from_node as u64;
            node.set_live(node.live - from_node);
            node.set_deleted(node.deleted + from_node);
            break;
        }
        if self.length == 0 {
            self.first_id = StreamId::MIN;
        } else if deleted > 0 {
            self.first_id = self.first_entry_id().unwrap_or_default();
        }
        deleted
    }

    /// Live entries from `start` to `end` (both included), ascending or (`rev`)
    /// descending, at most `count` of them (0: all): O(log n) to the first, then each
    /// entry decoded as it is taken.
    pub fn range(
        &self,
        start: StreamId,
        end: StreamId,
        rev: bool,
        count: usize,
    ) -> Vec<(StreamId, Fields)> {
        let mut out = Vec::new();
        if start > end {
            return out;
        }
        let from = self.node_for(start).unwrap_or(StreamId::MIN);
        let nodes: Box<dyn Iterator<Item = &Node>> = if rev {
            Box::new(self.nodes.range(from..=end).rev().map(|(_, n)| n))
        } else {
            Box::new(self.nodes.range(from..=end).map(|(_, n)| n))
        };
        for node in nodes {
            // The entries of this node within [start, end], found by binary search.
            let lo = node.position(start);
            let hi = node.slots.partition_point(|e| e.id <= end);
            let idx: Box<dyn Iterator<Item = usize>> = if rev {
                Box::new((lo..hi).rev())
            } else {
                Box::new(lo..hi)
            };
            for i in idx {
                if node.slots[i].deleted {
                    continue;
                }
                out.push((node.slots[i].id, node.fields(i)));
                if count > 0 && out.len() >= count {
                    return out;
                }
            }
        }
        out
    }

    /// Every live entry in order (snapshots, exports, the keyspace view), decoded one at a
    /// time.
    pub fn entries(&self) -> impl Iterator<Item = (StreamId, Fields)> + '_ {
        self.nodes.values().flat_map(|n| {
            n.slots
                .iter()
                .enumerate()
                .filter(|(_, e)| !e.deleted)
                .map(move |(i, e)| (e.id, n.fields(i)))
        })
    }

    /// Each node's listpack size in bytes, oldest node first (MEMORY USAGE).
    pub fn node_bytes(&self) -> impl Iterator<Item = usize> + '_ {
        self.nodes.values().map(|n| n.bytes)
    }

    /// The newest node's listpack size.
    pub fn last_node_bytes(&self) -> Option<usize> {
        self.nodes.last_key_value().map(|(_, n)| n.bytes)
    }

    /// The nodes' master ids, in order (the radix tree's keys).
    pub fn node_ids(&self) -> impl Iterator<Item = StreamId> + '_ {
        self.nodes.keys().copied()
    }

    /// Bytes of field and value data, for size estimates.
    pub fn data_bytes(&self) -> usize {
        self.nodes.values().map(|n| n.bytes).sum()
    }

    /// Whether a live entry has this id.
    pub fn contains(&self, id: StreamId) -> bool {
        self.nodes
            .range(..=id)
            .next_back()
            .and_then(|(_, n)| n.slots.get(n.position(id)))
            .is_some_and(|e| e.id == id && !e.deleted)
    }

    /// Which of `ids` (ascending) are live entries, in one walk over the nodes they fall
    /// in (XAUTOCLAIM checks every pending entry it looks at).
    pub fn live_flags(&self, ids: &[StreamId]) -> Vec<bool> {
        let from = ids
            .first()
            .and_then(|&f| self.node_for(f))
            .unwrap_or(StreamId::MIN);
        let mut nodes = self.nodes.range(from..).peekable();
        let mut cur: Option<&Node> = None;
        ids.iter()
            .map(|&id| {
                while let Some((_, n)) = nodes.next_if(|(k, _)| **k <= id) {
                    cur = Some(n);
                }
                cur.and_then(|n| n.slots.get(n.position(id)))
                    .is_some_and(|e| e.id == id && !e.deleted)
            })
            .collect()
    }

    /// XINFO STREAM's `radix-tree-nodes`: the nodes of the radix tree keyed by the stream
    /// nodes' master ids.
    pub fn radix_tree_nodes(&self) -> usize {
        group::radix_tree_nodes(self.node_ids())
    }

    /// Whether an entry was deleted somewhere from `start` on (Redis's
    /// `streamRangeHasTombstones` with an open end): the group's read counter can't be
    /// trusted past a tombstone.
    pub fn has_tombstones_from(&self, start: StreamId) -> bool {
        if self.length == 0 || self.max_deleted_id == StreamId::MIN {
            return false;
        }
        if self.first_id > self.max_deleted_id {
            return false;
        }
        start <= self.max_deleted_id
    }

    /// How many entries were added up to `id` (its logical read counter), when it can be
    /// told: None where tombstones or a future id leave it unknown.
    pub fn entries_up_to(&self, id: StreamId) -> Option<u64> {
        if self.entries_added == 0 {
            return Some(0);
        }
        if self.length == 0 && id <= self.last_id {
            return Some(self.entries_added);
        }
        if id == self.last_id {
            return Some(self.entries_added);
        }
        if id > self.last_id {
            return None;
        }
        if self.max_deleted_id == StreamId::MIN || self.max_deleted_id < self.first_id {
            if id < self.first_id {
                return Some(self.entries_added - self.length);
            }
            if id == self.first_id {
                return Some(self.entries_added - self.length + 1);
            }
        }
        None
    }

    /// A group's lag: entries not yet delivered to it, None when it can't be told.
    pub fn lag(&self, g: &ConsumerGroup) -> Option<i64> {
        if self.entries_added == 0 {
            return Some(0);
        }
        if g.entries_read != INVALID_ENTRIES_READ && !self.has_tombstones_from(g.last_id) {
            return Some(self.entries_added as i64 - g.entries_read);
        }
        self.entries_up_to(g.last_id)
            .map(|read| self.entries_added as i64 - read as i64)
    }

    /// Deliver new entries (from `start` on, at most `count`, 0: all) to `consumer` of
    /// group `name`: the group's last id and read counter move on, and unless `noack`
    /// each entry becomes pending for the consumer (taken over, with a fresh count, if
    /// another one had it). Returns the entries delivered.
    pub fn deliver(
        &mut self,
        name: &[u8],
        consumer: &[u8],
        start: StreamId,
        count: usize,
        noack: bool,
        now: i64,
    ) -> Vec<(StreamId, Fields)> {
        let found = self.range(start, StreamId::MAX, false, count);
        for (id, _) in &found {
            let tombstones = self.has_tombstones_from(*id);
            let estimate = self.entries_up_to(*id);
            let added = self.entries_added;
            let Some(g) = self.groups.get_mut(name) else {
                break;
            };
            if *id > g.last_id {
                if g.entries_read != INVALID_ENTRIES_READ && !tombstones {
                    g.entries_read += 1;
                } else if added > 0 {
                    g.entries_read = estimate.map_or(INVALID_ENTRIES_READ, |n| n as i64);
                }
                g.last_id = *id;
            }
            if !noack {
                let n = g.assign(*id, consumer, now);
                n.delivery_time = now;
                n.delivery_count = 1;
            }
        }
        found
    }

    /// The nodes as they are (for snapshots): each node's master id, master fields and
    /// entries with their deleted marks.
    pub fn raw_nodes(&self) -> Vec<RawNode<'_>> {
        self.nodes
            .iter()
            .map(|(master, n)| RawNode {
                master: *master,
                master_fields: &n.master_fields,
                entries: n
                    .slots
                    .iter()
                    .enumerate()
                    .map(|(i, e)| (e.id, e.deleted, n.fields(i)))
                    .collect(),
            })
            .collect()
    }

    /// A stream rebuilt node by node from a snapshot, as an RDB load keeps Redis's
    /// listpacks: the same nodes, the same deleted entries, so trimming goes on exactly as
    /// before (a node may hold only deleted entries, as an exact trim can leave one).
    /// None when the ids are not in order or a node is empty.
    pub fn from_raw(
        nodes: Vec<NodeParts>,
        last_id: StreamId,
        max_deleted_id: StreamId,
        entries_added: u64,
    ) -> Option<Stream> {
        let mut s = Stream::default();
        let mut prev: Option<StreamId> = None;
        for (master, master_fields, entries) in nodes {
            let mut node = Node::new(master_fields);
            if entries.first().map(|e| e.0) != Some(master) {
                return None;
            }
            for (id, deleted, fields) in entries {
                if prev.is_some_and(|p| id <= p) {
                    return None;
                }
                prev = Some(id);
                node.append(master, id, &fields);
                if deleted {
                    let i = node.slots.len() - 1;
                    node.mark_deleted(i);
                    node.set_live(node.live - 1);
                    node.set_deleted(node.deleted + 1);
                }
            }
            s.length += node.live as u64;
            s.nodes.insert(master, node);
        }
        s.last_id = last_id;
        s.max_deleted_id = max_deleted_id;
        s.entries_added = entries_added;
        s.first_id = s.first_entry_id().unwrap_or_default();
        Some(s)
    }
}

/// A node as a snapshot gives it back: master id, master fields, entries (id, deleted,
/// fields).
pub type NodeParts = (StreamId, Vec<Vec<u8>>, Vec<(StreamId, bool, Fields)>);

/// A node as `Stream::raw_nodes` shows it.
pub struct RawNode<'a> {
    pub master: StreamId,
    pub master_fields: &'a [Vec<u8>],
    pub entries: Vec<(StreamId, bool, Fields)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(pairs: &[(&str, &str)]) -> Fields {
        pairs
            .iter()
            .map(|(a, b)| (a.as_bytes().to_vec(), b.as_bytes().to_vec()))
            .collect()
    }

    #[test]
    fn nodes_fill_to_a_hundred_entries() {
        let mut s = Stream::default();
        for i in 1..=250 {
            s.append(
                StreamId::new(i, 0),
                &f(&[("a", "1")]),
                NodeLimits::default(),
            );
        }
        assert_eq!(s.node_count(), 3);
        assert_eq!(s.trim(Trim::MaxLen(120), true, 10_000), 100);
        assert_eq!(s.len(), 150);
        assert_eq!(s.trim(Trim::MaxLen(120), false, 0), 30);
        assert_eq!(s.len(), 120);
        assert_eq!(s.first_id, StreamId::new(131, 0));
    }

    #[test]
    fn ranges_skip_deleted_entries() {
        let mut s = Stream::default();
        for i in 1..=5 {
            s.append(
                StreamId::new(i, 0),
                &f(&[("k", "v")]),
                NodeLimits::default(),
            );
        }
        assert_eq!(s.delete_ids(&[StreamId::new(1, 0), StreamId::new(3, 0)]), 2);
        let ids: Vec<u64> = s
            .range(StreamId::MIN, StreamId::MAX, false, 0)
            .iter()
            .map(|(id, _)| id.ms)
            .collect();
        assert_eq!(ids, [2, 4, 5]);
        assert_eq!(s.first_id, StreamId::new(2, 0));
        assert_eq!(s.max_deleted_id, StreamId::new(3, 0));
    }
}
