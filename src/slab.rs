//! The one indexed slab: the storage under the keyspace, hash tables, set tables and the
//! sorted sets' skip list.
//!
//! Items live in a vector of slots. A slot number never changes while its item exists, so
//! the slot is a handle other structures can keep (the keyspace's expiry list, the skip
//! list's links) and a SCAN cursor. A hash index maps each item's key to its slot; the
//! index stores only the `u32` slot, so a key is kept once, inside its item. Freed slots
//! are reused (last freed first) before the vector grows; the vector never shrinks while
//! it holds an item, and is emptied when its last item goes.
//!
//! Once an item has been removed, the free slots are listed and the items in every run of
//! 64 slots (and of 4096) are counted, a byte per 64 slots: a random pick in a sparse slab
//! goes straight to the k-th item, and scans and iteration step over empty runs, so holes
//! left by deletions cost little. A slab that never had a hole keeps none of this.
//!
//! The one SCAN policy, [`IndexedSlab::scan`]: the cursor is the next slot to visit, a call
//! visits slots upwards from it, and the scan is over (cursor 0) once the end is reached.
//! An item present for the whole scan is returned at least once, whatever is inserted or
//! removed meanwhile: it sits in the same slot all along, that slot stays below the end
//! (which only moves up while any item is there), and the calls of a scan cover
//! consecutive runs of slots from 0 to the end, skipping only runs that held no item, so
//! one of them meets it.

use hashbrown::hash_table::Entry as IndexEntry;
use hashbrown::{DefaultHashBuilder, HashTable};
use std::hash::BuildHasher;

/// An item stored in an [`IndexedSlab`], found by its key.
pub trait Keyed {
    fn key(&self) -> &[u8];
}

/// Runs of slots whose items are counted: 64 (a block) and 4096 (a group of 64 blocks).
const BLOCK_SHIFT: u32 = 6;
const GROUP_SHIFT: u32 = 12;
const BLOCK: usize = 1 << BLOCK_SHIFT;
const GROUP: usize = 1 << GROUP_SHIFT;
/// Random probes tried while at least a quarter of the slots hold items.
const RANDOM_PROBES: usize = 32;
/// A SCAN call takes at most this many steps (a slot, or an empty run stepped over) per
/// item asked for, so a sparse slab can't make one call slow (Redis bounds its own visits
/// the same way).
const SCAN_STEPS_PER_ITEM: usize = 10;
/// Picking more than a third of the items, a partial shuffle of them all beats drawing
/// until enough distinct ones came up (Redis's `SRANDMEMBER_SUB_STRATEGY_MUL` and
/// `HRANDFIELD_SUB_STRATEGY_MUL`).
const SUB_STRATEGY_MUL: usize = 3;

#[derive(Clone)]
pub struct IndexedSlab<T> {
    slots: Vec<Option<T>>,
    index: HashTable<u32>,
    hasher: DefaultHashBuilder,
    /// None while every slot holds an item (nothing was removed since the slab was empty).
    holes: Option<Box<Holes>>,
}

/// What a slab with free slots keeps about them.
#[derive(Clone, Debug)]
struct Holes {
    /// Exactly the free slots, last freed on top.
    free: Vec<u32>,
    /// Items per block of 64 slots, and per group of 4096.
    blocks: Vec<u8>,
    groups: Vec<u16>,
}

impl Holes {
    /// The counts of `n` slots that all hold items.
    fn full(n: usize) -> Holes {
        let mut blocks = vec![BLOCK as u8; n / BLOCK];
        if !n.is_multiple_of(BLOCK) {
            blocks.push((n % BLOCK) as u8);
        }
        let mut groups = vec![GROUP as u16; n / GROUP];
        if !n.is_multiple_of(GROUP) {
            groups.push((n % GROUP) as u16);
        }
        Holes {
            free: Vec::new(),
            blocks,
            groups,
        }
    }

    /// Count an item in (or out of) the block and group of `slot`.
    #[inline]
    fn count(&mut self, slot: u32, add: bool) {
        let (b, g) = (
            (slot >> BLOCK_SHIFT) as usize,
            (slot >> GROUP_SHIFT) as usize,
        );
        if b >= self.blocks.len() {
            self.blocks.resize(b + 1, 0);
        }
        if g >= self.groups.len() {
            self.groups.resize(g + 1, 0);
        }
        let (block, group) = (&mut self.blocks[b], &mut self.groups[g]);
        if add {
            *block = block.saturating_add(1);
            *group = group.saturating_add(1);
        } else {
            *block = block.saturating_sub(1);
            *group = group.saturating_sub(1);
        }
    }
}

impl<T> Default for IndexedSlab<T> {
    fn default() -> Self {
        IndexedSlab {
            slots: Vec::new(),
            index: HashTable::new(),
            hasher: DefaultHashBuilder::default(),
            holes: None,
        }
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for IndexedSlab<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map()
            .entries(
                self.slots
                    .iter()
                    .enumerate()
                    .filter_map(|(i, s)| Some((i, s.as_ref()?))),
            )
            .finish()
    }
}

/// The key of the item in `slot`, if there is one.
#[inline]
fn key_at<T: Keyed>(slots: &[Option<T>], slot: u32) -> Option<&[u8]> {
    slots
        .get(slot as usize)
        .and_then(|s| s.as_ref())
        .map(|t| t.key())
}

impl<T: Keyed> IndexedSlab<T> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    #[inline]
    fn hash(&self, key: &[u8]) -> u64 {
        self.hasher.hash_one(key)
    }

    /// The slot of the item with this key.
    #[inline]
    pub fn find(&self, key: &[u8]) -> Option<u32> {
        let slots = &self.slots;
        self.index
            .find(self.hash(key), |&i| key_at(slots, i) == Some(key))
            .copied()
    }

    /// The item in a slot.
    #[inline]
    pub fn get(&self, slot: u32) -> Option<&T> {
        self.slots.get(slot as usize).and_then(|s| s.as_ref())
    }

    /// The item in a slot, to change anything but its key (a changed key would no longer
    /// be found by it).
    #[inline]
    pub fn get_mut(&mut self, slot: u32) -> Option<&mut T> {
        self.slots.get_mut(slot as usize).and_then(|s| s.as_mut())
    }

    /// The item with this key.
    pub fn get_by_key(&self, key: &[u8]) -> Option<&T> {
        self.find(key).and_then(|s| self.get(s))
    }

    /// Add an item: its new slot, or, when an item with its key is already here, that
    /// item's slot and the item given back.
    pub fn insert(&mut self, item: T) -> Result<u32, (u32, T)> {
        let IndexedSlab {
            slots,
            index,
            hasher,
            holes,
        } = self;
        let h = hasher.hash_one(item.key());
        let found = index.entry(
            h,
            |&i| key_at(slots, i) == Some(item.key()),
            |&i| hasher.hash_one(key_at(slots, i).unwrap_or_default()),
        );
        let vacant = match found {
            IndexEntry::Occupied(e) => return Err((*e.get(), item)),
            IndexEntry::Vacant(v) => v,
        };
        let reuse = holes.as_deref_mut().and_then(|h| h.free.pop());
        let slot = match reuse {
            Some(s) if slots.get(s as usize).is_some_and(|p| p.is_none()) => {
                slots[s as usize] = Some(item);
                s
            }
            _ => {
                slots.push(Some(item));
                (slots.len() - 1) as u32
            }
        };
        if let Some(h) = holes.as_deref_mut() {
            h.count(slot, true);
        }
        vacant.insert(slot);
        Ok(slot)
    }

    /// Take out the item with this key; returns its slot and the item.
    pub fn remove(&mut self, key: &[u8]) -> Option<(u32, T)> {
        let h = self.hash(key);
        let slots = &self.slots;
        let found = self.index.find_entry(h, |&i| key_at(slots, i) == Some(key));
        let (slot, _) = found.ok()?.remove();
        self.vacate(slot).map(|t| (slot, t))
    }

    /// Take out the item in a slot.
    pub fn remove_slot(&mut self, slot: u32) -> Option<T> {
        let h = self.hash(key_at(&self.slots, slot)?);
        let (at, _) = self.index.find_entry(h, |&i| i == slot).ok()?.remove();
        self.vacate(at)
    }

    /// Empty a slot already out of the index, and make it free.
    fn vacate(&mut self, slot: u32) -> Option<T> {
        let item = self.slots.get_mut(slot as usize)?.take()?;
        if self.index.is_empty() {
            // The last item went: start afresh, keeping the vector's memory.
            self.slots.clear();
            self.holes = None;
        } else {
            let n = self.slots.len();
            let holes = self.holes.get_or_insert_with(|| Box::new(Holes::full(n)));
            holes.free.push(slot);
            holes.count(slot, false);
        }
        Some(item)
    }

    /// Give memory back once at most a quarter of the index is in use. It rehashes every
    /// item, so only the value types call it after a removal (as a set always did); the
    /// keyspace doesn't, so an expiry step never pays for rehashing the whole keyspace.
    pub fn shrink_if_sparse(&mut self) {
        let cap = self.index.capacity();
        let len = self.len();
        if cap > 64 && len < cap / 4 {
            let slots = &self.slots;
            let hasher = &self.hasher;
            self.index.shrink_to(len * 2, |&i| {
                hasher.hash_one(key_at(slots, i).unwrap_or_default())
            });
        }
    }

    /// Drop every item.
    pub fn clear(&mut self) {
        *self = IndexedSlab {
            hasher: std::mem::take(&mut self.hasher),
            ..IndexedSlab::default()
        };
    }

    /// Where to look after `pos` when it starts a run of slots known to be empty (a group
    /// or block holding no item), else None.
    #[inline]
    fn past_empty_run(&self, pos: usize) -> Option<usize> {
        if pos & (BLOCK - 1) != 0 {
            return None;
        }
        let holes = self.holes.as_deref()?;
        if pos & (GROUP - 1) == 0 && holes.groups.get(pos >> GROUP_SHIFT) == Some(&0) {
            Some(pos + GROUP)
        } else if holes.blocks.get(pos >> BLOCK_SHIFT) == Some(&0) {
            Some(pos + BLOCK)
        } else {
            None
        }
    }

    /// Every item with its slot, in slot order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, &T)> + '_ {
        let mut pos = 0;
        std::iter::from_fn(move || {
            while pos < self.slots.len() {
                if let Some(next) = self.past_empty_run(pos) {
                    pos = next;
                    continue;
                }
                let at = pos;
                pos += 1;
                if let Some(item) = &self.slots[at] {
                    return Some((at as u32, item));
                }
            }
            None
        })
    }

    /// Every item with its slot, in slot order, to change anything but their keys.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (u32, &mut T)> + '_ {
        self.slots
            .iter_mut()
            .enumerate()
            .filter_map(|(i, s)| Some((i as u32, s.as_mut()?)))
    }

    /// The slot of the `k`-th item in slot order (from 0), found through the counts.
    fn select(&self, mut k: usize) -> Option<u32> {
        let Some(holes) = self.holes.as_deref() else {
            // No free slot: the k-th item is in slot k.
            return (k < self.slots.len()).then_some(k as u32);
        };
        let mut g = 0;
        while k >= usize::from(*holes.groups.get(g)?) {
            k -= usize::from(holes.groups[g]);
            g += 1;
        }
        let mut b = g << (GROUP_SHIFT - BLOCK_SHIFT);
        while k >= usize::from(*holes.blocks.get(b)?) {
            k -= usize::from(holes.blocks[b]);
            b += 1;
        }
        let start = b << BLOCK_SHIFT;
        let run = self.slots.get(start..)?.iter().take(BLOCK);
        let (i, _) = run.enumerate().filter(|(_, s)| s.is_some()).nth(k)?;
        Some((start + i) as u32)
    }

    /// A slot picked uniformly among the items', or None when empty. While at least a
    /// quarter of the slots hold items, random probes (a single draw while none is free,
    /// as in a dense array); otherwise, or if every probe misses, the k-th item for a
    /// random k.
    pub fn random_slot(&self, rng: &mut fastrand::Rng) -> Option<u32> {
        let (n, len) = (self.slots.len(), self.len());
        if len == 0 || n == 0 {
            return None;
        }
        if len.saturating_mul(4) >= n {
            for _ in 0..RANDOM_PROBES {
                let i = rng.usize(..n);
                if self.slots[i].is_some() {
                    return Some(i as u32);
                }
            }
        }
        self.select(rng.usize(..len))
    }

    /// `count` distinct slots of items picked at random (every item's when `count` is at
    /// least `len`, in slot order), each set of them equally likely, in random order.
    pub fn random_distinct(&self, rng: &mut fastrand::Rng, count: usize) -> Vec<u32> {
        if count >= self.len() {
            return self.iter().map(|(i, _)| i).collect();
        }
        pick_distinct(
            rng,
            self.len(),
            count,
            || self.iter().map(|(i, _)| i).collect(),
            |rng| self.random_slot(rng),
        )
    }

    /// One SCAN step. Visits slots upwards from `cursor`, handing each item met to
    /// `visit`, until `visit` has accepted `count` items (at least 1) or ten steps per item
    /// asked for were taken (a step: one slot, or one empty run of slots stepped over);
    /// returns the cursor to continue from, 0 once the end was reached. A scan started at
    /// 0 and continued until it returns 0 hands over every item present for its whole
    /// length at least once (see the module's comment).
    pub fn scan<'a>(
        &'a self,
        cursor: u64,
        count: usize,
        mut visit: impl FnMut(u32, &'a T) -> bool,
    ) -> u64 {
        let count = count.max(1);
        let max_steps = count.saturating_mul(SCAN_STEPS_PER_ITEM);
        let mut pos = usize::try_from(cursor).unwrap_or(usize::MAX);
        let (mut taken, mut steps) = (0, 0);
        while pos < self.slots.len() && taken < count && steps < max_steps {
            steps += 1;
            if let Some(next) = self.past_empty_run(pos) {
                pos = next;
                continue;
            }
            if let Some(item) = &self.slots[pos] {
                if visit(pos as u32, item) {
                    taken += 1;
                }
            }
            pos += 1;
        }
        if pos >= self.slots.len() {
            0
        } else {
            pos as u64
        }
    }

    /// Check that the index, the slots, the free list and the counts agree (tests only).
    #[cfg(test)]
    pub fn check(&self) {
        let live = self.slots.iter().filter(|s| s.is_some()).count();
        assert_eq!(live, self.len(), "count");
        for &i in self.index.iter() {
            assert!(self.get(i).is_some(), "index points at free slot {i}");
        }
        for (i, item) in self.slots.iter().enumerate() {
            if let Some(item) = item {
                assert_eq!(self.find(item.key()), Some(i as u32), "slot {i} not found");
            }
        }
        assert!(
            !self.is_empty() || self.slots.is_empty(),
            "an empty slab kept slots"
        );
        let Some(holes) = self.holes.as_deref() else {
            assert_eq!(live, self.slots.len(), "free slots, but no list of them");
            return;
        };
        let free: std::collections::HashSet<u32> = holes.free.iter().copied().collect();
        assert_eq!(free.len(), holes.free.len(), "a free slot listed twice");
        assert_eq!(
            free.len(),
            self.slots.len() - live,
            "free slots not all listed"
        );
        assert!(free
            .iter()
            .all(|&i| (i as usize) < self.slots.len() && self.get(i).is_none()));
        let n = self.slots.len();
        assert_eq!(holes.blocks.len(), n.div_ceil(BLOCK), "blocks");
        assert_eq!(holes.groups.len(), n.div_ceil(GROUP), "groups");
        for (b, &c) in holes.blocks.iter().enumerate() {
            let run = self.slots.iter().skip(b * BLOCK).take(BLOCK);
            assert_eq!(run.filter(|s| s.is_some()).count(), c as usize, "block {b}");
        }
        for (g, &c) in holes.groups.iter().enumerate() {
            let run = self.slots.iter().skip(g * GROUP).take(GROUP);
            assert_eq!(run.filter(|s| s.is_some()).count(), c as usize, "group {g}");
        }
    }
}

/// `count` distinct picks among `len` candidates (`count < len`), each set of them equally
/// likely, in random order: a partial shuffle of `all()` candidates when `count` is more
/// than a third of them, else draws of `one` until enough distinct ones came up.
pub fn pick_distinct(
    rng: &mut fastrand::Rng,
    len: usize,
    count: usize,
    all: impl FnOnce() -> Vec<u32>,
    mut one: impl FnMut(&mut fastrand::Rng) -> Option<u32>,
) -> Vec<u32> {
    if count.saturating_mul(SUB_STRATEGY_MUL) > len {
        let mut all = all();
        let count = count.min(all.len());
        for i in 0..count {
            let j = rng.usize(i..all.len());
            all.swap(i, j);
        }
        all.truncate(count);
        return all;
    }
    let mut seen = std::collections::HashSet::with_capacity(count);
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        match one(rng) {
            Some(i) if seen.insert(i) => out.push(i),
            Some(_) => {}
            None => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::{BTreeMap, BTreeSet};

    #[derive(Clone, Debug, PartialEq)]
    struct Item {
        key: Vec<u8>,
        value: u32,
    }

    impl Keyed for Item {
        fn key(&self) -> &[u8] {
            &self.key
        }
    }

    fn item(key: Vec<u8>, value: u32) -> Item {
        Item { key, value }
    }

    #[derive(Clone, Debug)]
    enum Op {
        /// One of a few keys, so inserts meet existing keys and removals find them.
        Insert(u8, u32),
        Remove(u8),
        RemoveSlot(u16),
        Get(u8),
        /// Many keys at once (`n0`, `n1`, …), then all but every `m`-th of them gone:
        /// big slabs with empty blocks and groups among the items.
        Fill(u16),
        Thin(u16),
        Scan(usize),
        Random(usize),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            6 => (0u8..48, any::<u32>()).prop_map(|(k, v)| Op::Insert(k, v)),
            4 => (0u8..48).prop_map(Op::Remove),
            2 => (0u16..9000).prop_map(Op::RemoveSlot),
            2 => (0u8..48).prop_map(Op::Get),
            1 => (0u16..9000).prop_map(Op::Fill),
            1 => (2u16..3000).prop_map(Op::Thin),
            5 => (1usize..40).prop_map(Op::Scan),
            2 => (0usize..60).prop_map(Op::Random),
        ]
    }

    fn key(k: u8) -> Vec<u8> {
        format!("k{k}").into_bytes()
    }

    fn many(i: u16) -> Vec<u8> {
        format!("n{i}").into_bytes()
    }

    /// A scan under way: its cursor, the keys present since it started (and not removed
    /// since), and what it returned.
    struct Scanning {
        cursor: u64,
        throughout: BTreeSet<Vec<u8>>,
        seen: BTreeSet<Vec<u8>>,
    }

    fn gone(scan: &mut Option<Scanning>, key: &[u8]) {
        if let Some(s) = scan.as_mut() {
            s.throughout.remove(key);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        /// The one test of the slab's invariant: whatever the interleaving of inserts,
        /// removals, lookups, scans and random picks, the slab agrees with a map, its
        /// index, slots, free list and counts agree, random picks are items, and every
        /// scan returns every key present for its whole length.
        #[test]
        fn the_slab_agrees_with_a_map_and_its_scans_miss_nothing(
            prefill in 0u8..48,
            ops in proptest::collection::vec(op(), 1..120),
            seed in any::<u64>(),
        ) {
            let mut rng = fastrand::Rng::with_seed(seed);
            let mut slab = IndexedSlab::<Item>::new();
            let mut model: BTreeMap<Vec<u8>, u32> = BTreeMap::new();
            for k in 0..prefill {
                let added = slab.insert(item(key(k), 0));
                prop_assert!(added.is_ok());
                model.insert(key(k), 0);
            }
            let mut scan: Option<Scanning> = None;
            for op in ops {
                match op {
                    Op::Insert(k, v) => {
                        match slab.insert(item(key(k), v)) {
                            Ok(slot) => {
                                prop_assert!(!model.contains_key(&key(k)));
                                prop_assert_eq!(slab.get(slot).map(|i| i.value), Some(v));
                            }
                            Err((slot, back)) => {
                                prop_assert_eq!(back.value, v);
                                let at = slab.get(slot).map(|i| i.key.clone());
                                prop_assert_eq!(at, Some(key(k)));
                                prop_assert!(model.contains_key(&key(k)));
                                if let Some(i) = slab.get_mut(slot) {
                                    i.value = v;
                                }
                            }
                        }
                        model.insert(key(k), v);
                    }
                    Op::Remove(k) => {
                        let out = slab.remove(&key(k)).map(|(_, i)| i.value);
                        prop_assert_eq!(out, model.remove(&key(k)));
                        gone(&mut scan, &key(k));
                    }
                    Op::RemoveSlot(slot) => {
                        let had = slab.get(u32::from(slot)).map(|i| i.key.clone());
                        let out = slab.remove_slot(u32::from(slot)).map(|i| i.key);
                        prop_assert_eq!(&out, &had);
                        if let Some(k) = had {
                            prop_assert!(model.remove(&k).is_some());
                            gone(&mut scan, &k);
                        }
                    }
                    Op::Get(k) => {
                        let got = slab.get_by_key(&key(k)).map(|i| i.value);
                        prop_assert_eq!(got, model.get(&key(k)).copied());
                    }
                    Op::Fill(n) => {
                        for i in 0..n {
                            if slab.insert(item(many(i), u32::from(i))).is_ok() {
                                model.insert(many(i), u32::from(i));
                            }
                        }
                    }
                    Op::Thin(m) => {
                        let doomed: Vec<Vec<u8>> = model
                            .keys()
                            .filter(|k| k[0] == b'n')
                            .enumerate()
                            .filter(|(j, _)| j % usize::from(m) != 0)
                            .map(|(_, k)| k.clone())
                            .collect();
                        for k in doomed {
                            prop_assert!(slab.remove(&k).is_some());
                            model.remove(&k);
                            gone(&mut scan, &k);
                        }
                    }
                    Op::Scan(count) => {
                        let s = scan.get_or_insert_with(|| Scanning {
                            cursor: 0,
                            throughout: model.keys().cloned().collect(),
                            seen: BTreeSet::new(),
                        });
                        let (mut met, mut taken) = (0, 0);
                        let next = slab.scan(s.cursor, count, |slot, i| {
                            met += 1;
                            // Accept every other item, as a MATCH filter might.
                            let accept = slot % 2 == 0;
                            taken += usize::from(accept);
                            s.seen.insert(i.key.clone());
                            accept
                        });
                        prop_assert!(taken <= count && met <= count * SCAN_STEPS_PER_ITEM);
                        if next == 0 {
                            let missed: Vec<_> = s.throughout.difference(&s.seen).collect();
                            prop_assert!(missed.is_empty(), "scan missed {:?}", missed);
                            scan = None;
                        } else {
                            prop_assert!(next > s.cursor);
                            s.cursor = next;
                        }
                    }
                    Op::Random(count) => {
                        let one = slab.random_slot(&mut rng);
                        prop_assert_eq!(one.is_none(), model.is_empty());
                        if let Some(slot) = one {
                            prop_assert!(slab.get(slot).is_some());
                        }
                        let picks = slab.random_distinct(&mut rng, count);
                        prop_assert_eq!(picks.len(), count.min(model.len()));
                        let distinct: BTreeSet<u32> = picks.iter().copied().collect();
                        prop_assert_eq!(distinct.len(), picks.len());
                        prop_assert!(picks.iter().all(|&s| slab.get(s).is_some()));
                        if !model.is_empty() {
                            let k = rng.usize(..model.len());
                            prop_assert_eq!(slab.select(k), slab.iter().nth(k).map(|(s, _)| s));
                        }
                    }
                }
                slab.check();
                prop_assert_eq!(slab.len(), model.len());
            }
            // Finish a scan under way, changing nothing more: it still ends and misses
            // nothing.
            if let Some(mut s) = scan {
                let mut calls = 0;
                while calls == 0 || s.cursor != 0 {
                    s.cursor = slab.scan(s.cursor, 3, |_, i| {
                        s.seen.insert(i.key.clone());
                        true
                    });
                    calls += 1;
                    prop_assert!(calls < 100_000);
                }
                prop_assert!(s.throughout.is_subset(&s.seen));
            }
            let listed: BTreeMap<Vec<u8>, u32> =
                slab.iter().map(|(_, i)| (i.key.clone(), i.value)).collect();
            prop_assert_eq!(listed, model);
            slab.shrink_if_sparse();
            slab.check();
        }
    }

    fn numbered(n: u32) -> IndexedSlab<Item> {
        let mut slab = IndexedSlab::new();
        for k in 0..n {
            let _ = slab.insert(item(k.to_be_bytes().to_vec(), k));
        }
        slab
    }

    #[test]
    fn a_scan_call_takes_ten_steps_per_item_asked_for_at_most() {
        let mut slab = numbered(200);
        for k in 0..190u32 {
            slab.remove(&k.to_be_bytes());
        }
        // Slots 0..190 are free: two empty blocks are stepped over (a step each), then
        // 48 free slots of the third are looked at, one step each.
        let mut calls = 0;
        let next = slab.scan(0, 5, |_, _| {
            calls += 1;
            true
        });
        assert_eq!((next, calls), (176, 0));
        // Any cursor is a place to resume; past the end, the scan is over.
        assert_eq!(slab.scan(u64::MAX, 5, |_, _| true), 0);
        assert_eq!(slab.scan(10_000, 5, |_, _| true), 0);
        let mut got = Vec::new();
        assert_eq!(
            slab.scan(181, 100, |s, _| {
                got.push(s);
                true
            }),
            0
        );
        assert_eq!(got, (190..200).collect::<Vec<u32>>());
    }

    #[test]
    fn random_picks_in_a_dense_slab_draw_as_a_dense_array_would() {
        // One draw per pick while no slot is free: seeded picks are what they were when
        // sets kept their members in a dense vector.
        let slab = numbered(10);
        let (mut a, mut b) = (fastrand::Rng::with_seed(5), fastrand::Rng::with_seed(5));
        for _ in 0..50 {
            assert_eq!(slab.random_slot(&mut a), Some(b.usize(..10) as u32));
        }
    }

    #[test]
    fn random_picks_in_a_sparse_slab_are_even() {
        // Ten items left among 20,000 slots, in runs of different lengths.
        let mut slab = numbered(20_000);
        let keep = [0u32, 1, 2, 700, 4095, 4096, 9000, 9001, 15_000, 19_999];
        for k in 0..20_000u32 {
            if !keep.contains(&k) {
                slab.remove(&k.to_be_bytes());
            }
        }
        let mut rng = fastrand::Rng::with_seed(11);
        let mut seen = BTreeMap::new();
        for _ in 0..20_000 {
            let slot = slab.random_slot(&mut rng).unwrap_or(u32::MAX);
            *seen.entry(slot).or_insert(0) += 1;
        }
        assert_eq!(seen.keys().copied().collect::<Vec<_>>(), keep);
        assert!(
            seen.values().all(|&n| (1700..2300).contains(&n)),
            "{seen:?}"
        );
    }

    #[test]
    fn the_last_removal_empties_the_slab() {
        let mut slab = numbered(300);
        for k in (0..300u32).rev() {
            slab.remove(&k.to_be_bytes());
        }
        slab.check();
        assert_eq!(slab.insert(item(b"again".to_vec(), 1)).ok(), Some(0));
    }
}
