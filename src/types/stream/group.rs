//! A stream's consumer groups, kept as Redis 7.0 keeps them: per group the last id it
//! delivered, its logical read counter, its pending entries list (the PEL: each entry
//! delivered and not yet acknowledged, with its owner, last delivery time and delivery
//! count) and its consumers, each with the ids it owns and the time it was last seen.
//!
//! Groups, consumers and PELs are ordered maps, as Redis's radix trees are: names in byte
//! order, ids ascending. A pending entry is owned by exactly one consumer: the group's
//! PEL says who, the consumer's own set lists what it owns; the methods here keep the two
//! in step.

use std::collections::{BTreeMap, BTreeSet};

use super::StreamId;

/// `entries_read` when the group's read counter is unknown (Redis's
/// `SCG_INVALID_ENTRIES_READ`).
pub const INVALID_ENTRIES_READ: i64 = -1;

/// One delivered, unacknowledged entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Nack {
    /// World ms of the last delivery.
    pub delivery_time: i64,
    pub delivery_count: u64,
    pub consumer: Vec<u8>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Consumer {
    /// World ms this consumer was last seen (read, claimed, created).
    pub seen_time: i64,
    /// The pending ids it owns.
    pub pel: BTreeSet<StreamId>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ConsumerGroup {
    pub last_id: StreamId,
    pub entries_read: i64,
    pub pel: BTreeMap<StreamId, Nack>,
    pub consumers: BTreeMap<Vec<u8>, Consumer>,
}

impl ConsumerGroup {
    pub fn new(last_id: StreamId, entries_read: i64) -> ConsumerGroup {
        ConsumerGroup {
            last_id,
            entries_read,
            pel: BTreeMap::new(),
            consumers: BTreeMap::new(),
        }
    }

    /// Create a consumer seen at `now`; false if it exists.
    pub fn create_consumer(&mut self, name: &[u8], now: i64) -> bool {
        if self.consumers.contains_key(name) {
            return false;
        }
        self.consumers.insert(
            name.to_vec(),
            Consumer {
                seen_time: now,
                pel: BTreeSet::new(),
            },
        );
        true
    }

    /// Look a consumer up, marking it seen at `now` (Redis's `streamLookupConsumer`
    /// without `SLC_NO_REFRESH`). False if there is none.
    pub fn touch_consumer(&mut self, name: &[u8], now: i64) -> bool {
        match self.consumers.get_mut(name) {
            Some(c) => {
                c.seen_time = now;
                true
            }
            None => false,
        }
    }

    /// Look a consumer up, marking it seen at `now`, or create it: true if it was created.
    pub fn seen_or_created(&mut self, name: &[u8], now: i64) -> bool {
        !self.touch_consumer(name, now) && self.create_consumer(name, now)
    }

    /// Delete a consumer and its pending entries: how many it had, None if it didn't exist.
    pub fn delete_consumer(&mut self, name: &[u8]) -> Option<usize> {
        let c = self.consumers.remove(name)?;
        for id in &c.pel {
            self.pel.remove(id);
        }
        Some(c.pel.len())
    }

    /// Acknowledge `id`: true if it was pending.
    pub fn ack(&mut self, id: StreamId) -> bool {
        let Some(nack) = self.pel.remove(&id) else {
            return false;
        };
        if let Some(c) = self.consumers.get_mut(&nack.consumer) {
            c.pel.remove(&id);
        }
        true
    }

    /// Give pending `id` to `consumer` (which exists), keeping its delivery data; a new
    /// entry when it was not pending. Returns the entry.
    pub fn assign(&mut self, id: StreamId, consumer: &[u8], now: i64) -> &mut Nack {
        let nack = self.pel.entry(id).or_insert_with(|| Nack {
            delivery_time: now,
            delivery_count: 1,
            consumer: Vec::new(),
        });
        if nack.consumer != consumer {
            if let Some(old) = self.consumers.get_mut(&nack.consumer) {
                old.pel.remove(&id);
            }
            nack.consumer = consumer.to_vec();
            if let Some(c) = self.consumers.get_mut(consumer) {
                c.pel.insert(id);
            }
        }
        nack
    }

    /// Pending entries from `start` on, ascending, of one consumer or (None) the group.
    pub fn pending_from<'a>(
        &'a self,
        consumer: Option<&'a Consumer>,
        start: StreamId,
    ) -> Box<dyn Iterator<Item = (StreamId, &'a Nack)> + 'a> {
        match consumer {
            Some(c) => Box::new(
                c.pel
                    .range(start..)
                    .filter_map(|id| self.pel.get(id).map(|n| (*id, n))),
            ),
            None => Box::new(self.pel.range(start..).map(|(id, n)| (*id, n))),
        }
    }

    /// Whether every pending entry's owner exists and lists it, and the other way round
    /// (checked when a snapshot is loaded).
    pub fn is_consistent(&self) -> bool {
        let listed: usize = self.consumers.values().map(|c| c.pel.len()).sum();
        listed == self.pel.len()
            && self.pel.iter().all(|(id, n)| {
                self.consumers
                    .get(&n.consumer)
                    .is_some_and(|c| c.pel.contains(id))
            })
    }
}

/// How many nodes Redis's radix tree has for these keys (stream ids as 16 big-endian
/// bytes, ascending): XINFO STREAM's `radix-tree-nodes`. A compressed radix tree over
/// keys of one length has a node for the root, each key, each prefix where keys part
/// ways, and each child of such a prefix; each of those is found between neighbours.
pub fn radix_tree_nodes(keys: impl Iterator<Item = StreamId>) -> usize {
    let bytes = |id: StreamId| {
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&id.ms.to_be_bytes());
        b[8..].copy_from_slice(&id.seq.to_be_bytes());
        b
    };
    let prefix = |b: &[u8; 16], len: usize| {
        let mut p = [0u8; 16];
        p[..len].copy_from_slice(&b[..len]);
        (len as u8, p)
    };
    let mut nodes: std::collections::HashSet<(u8, [u8; 16])> = std::collections::HashSet::new();
    nodes.insert((0, [0; 16]));
    let mut prev: Option<[u8; 16]> = None;
    for id in keys {
        let b = bytes(id);
        nodes.insert((16, b));
        if let Some(p) = prev {
            let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
            if common < 16 {
                nodes.insert(prefix(&b, common));
                nodes.insert(prefix(&p, common + 1));
                nodes.insert(prefix(&b, common + 1));
            }
        }
        prev = Some(b);
    }
    nodes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pending_entry_moves_between_owners() {
        let mut g = ConsumerGroup::new(StreamId::MIN, 0);
        g.create_consumer(b"a", 1);
        g.create_consumer(b"b", 1);
        let id = StreamId::new(5, 0);
        g.assign(id, b"a", 10);
        g.assign(id, b"b", 20).delivery_count += 1;
        assert!(g.consumers[&b"a".to_vec()].pel.is_empty());
        assert!(g.consumers[&b"b".to_vec()].pel.contains(&id));
        assert_eq!(g.pel[&id].delivery_count, 2);
        assert!(g.is_consistent());
        assert_eq!(g.delete_consumer(b"b"), Some(1));
        assert!(g.pel.is_empty());
    }

    #[test]
    fn radix_nodes_for_small_trees() {
        assert_eq!(radix_tree_nodes(std::iter::empty()), 1);
        assert_eq!(radix_tree_nodes([StreamId::new(1, 0)].into_iter()), 2);
        // Two keys parting at the last byte: root (compressed), branch, two leaves.
        assert_eq!(
            radix_tree_nodes([StreamId::new(1, 0), StreamId::new(1, 1)].into_iter()),
            4
        );
    }
}
