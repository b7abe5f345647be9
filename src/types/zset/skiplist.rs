//! An indexed skip list (Pugh's, as Redis extends it: spans on every link for ranks, a
//! backward link on level 0, ties on score broken by member bytes). The nodes live in the
//! shared indexed slab ([`crate::slab`]), which is also the index from member to node;
//! nodes are `u32` slots there, links are `u32` positions in one `Vec`, so the structure
//! is a handful of allocations plus one per member.
//!
//! Costs: insert, delete, score change, rank of a node and node at a rank are O(log n)
//! expected; a member lookup is O(1) expected; walking m neighbours is O(m).
//! Ranks here are 1-based like Redis's `zslGetRank`; the `ZSet` layer speaks 0-based.
//!
//! A node keeps its slot for as long as its member is in the set (a score change relinks
//! it in place), and ZSCAN is the slab's scan.

use std::num::NonZeroU32;

use crate::slab::{IndexedSlab, Keyed};

/// "No node": the end of a level, or the (absent) predecessor of the first node.
pub const NIL: u32 = u32::MAX;
/// The header node. It is not in the slab (no slot number reaches this high), holds no
/// member and is never returned; its links are `links[1..=MAX_LEVEL]`.
const HEAD: u32 = u32::MAX - 1;
/// As Redis: 32 levels, each one a quarter as populated as the one below.
const MAX_LEVEL: usize = 32;

#[derive(Clone, Copy, Debug, Default)]
struct Link {
    next: u32,
    /// How many level-0 steps this link jumps (Redis's `span`).
    span: u32,
}

/// A descent reads a node's score and links, nothing else unless scores tie, so those
/// two come first. `links` is never 0 (`links[0]` is unused), and as the first field that
/// can't be 0 it is where `Option<Node>` keeps its tag: the slab's check that a slot holds
/// a node reads bytes the descent reads anyway.
#[derive(Clone, Debug)]
#[repr(C)]
struct Node {
    score: f64,
    /// Where this node's `height` links start in `links`.
    links: NonZeroU32,
    /// The previous node on level 0, NIL for the first one.
    prev: u32,
    member: Box<[u8]>,
    /// Number of levels.
    height: u8,
}

impl Keyed for Node {
    fn key(&self) -> &[u8] {
        &self.member
    }
}

#[derive(Clone)]
pub struct SkipList {
    nodes: IndexedSlab<Node>,
    head: Node,
    links: Vec<Link>,
    /// Free runs of links, by height.
    free_links: Vec<Vec<NonZeroU32>>,
    /// Nodes linked into the list.
    len: usize,
    /// Levels in use (at least 1).
    level: usize,
    tail: u32,
    /// xorshift state for node heights (the shape never shows in a reply).
    seed: u64,
}

impl Default for SkipList {
    fn default() -> SkipList {
        SkipList::new()
    }
}

impl std::fmt::Debug for SkipList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(
                self.iter_from(self.first(), false)
                    .map(|(s, m)| (s, String::from_utf8_lossy(m))),
            )
            .finish()
    }
}

/// `(a_score, a_member) < (b_score, b_member)` in sorted-set order.
#[inline]
fn less(a_score: f64, a_member: &[u8], b_score: f64, b_member: &[u8]) -> bool {
    a_score < b_score || (a_score == b_score && a_member < b_member)
}

impl SkipList {
    pub fn new() -> SkipList {
        let head = Node {
            member: Box::default(),
            score: 0.0,
            prev: NIL,
            links: NonZeroU32::MIN,
            height: MAX_LEVEL as u8,
        };
        SkipList {
            nodes: IndexedSlab::new(),
            head,
            links: vec![Link { next: NIL, span: 0 }; 1 + MAX_LEVEL],
            free_links: vec![Vec::new(); MAX_LEVEL + 1],
            len: 0,
            level: 1,
            tail: NIL,
            seed: 0x9E37_79B9_7F4A_7C15,
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    // ---- node access ----

    /// A node by slot; the header for HEAD (or any slot without a node).
    #[inline]
    fn node(&self, node: u32) -> &Node {
        match self.nodes.get(node) {
            Some(n) => n,
            None => self.header(),
        }
    }

    /// The header, out of line: a descent's loads then don't wait on the check that
    /// tells a node from the header.
    #[cold]
    #[inline(never)]
    fn header(&self) -> &Node {
        &self.head
    }

    #[inline]
    fn node_mut(&mut self, node: u32) -> &mut Node {
        match self.nodes.get_mut(node) {
            Some(n) => n,
            None => &mut self.head,
        }
    }

    #[inline]
    fn link(&self, node: u32, level: usize) -> Link {
        self.links[self.node(node).links.get() as usize + level]
    }

    #[inline]
    fn link_mut(&mut self, node: u32, level: usize) -> &mut Link {
        let at = self.node(node).links.get() as usize + level;
        &mut self.links[at]
    }

    #[inline]
    pub fn score(&self, node: u32) -> f64 {
        self.node(node).score
    }

    #[inline]
    pub fn member(&self, node: u32) -> &[u8] {
        &self.node(node).member
    }

    /// The first node (lowest score), or NIL.
    pub fn first(&self) -> u32 {
        self.link(HEAD, 0).next
    }

    /// The last node (highest score), or NIL.
    pub fn last(&self) -> u32 {
        self.tail
    }

    #[inline]
    pub fn next(&self, node: u32) -> u32 {
        self.link(node, 0).next
    }

    #[inline]
    pub fn prev(&self, node: u32) -> u32 {
        self.node(node).prev
    }

    /// (score, member) pairs from `node` on, forwards or backwards.
    pub fn iter_from(&self, node: u32, rev: bool) -> impl Iterator<Item = (f64, &[u8])> + '_ {
        let mut cur = node;
        std::iter::from_fn(move || {
            if cur == NIL {
                return None;
            }
            let n = self.node(cur);
            cur = if rev { n.prev } else { self.link(cur, 0).next };
            Some((n.score, &*n.member))
        })
    }

    /// The node holding `member`.
    pub fn find(&self, member: &[u8]) -> Option<u32> {
        self.nodes.find(member)
    }

    // ---- allocation ----

    fn random_height(&mut self) -> usize {
        let mut height = 1;
        loop {
            // xorshift64
            self.seed ^= self.seed << 13;
            self.seed ^= self.seed >> 7;
            self.seed ^= self.seed << 17;
            if height < MAX_LEVEL && (self.seed & 0xFFFF) < 0x4000 {
                height += 1;
            } else {
                return height;
            }
        }
    }

    /// A run of `height` links for a new node.
    fn alloc_links(&mut self, height: usize) -> NonZeroU32 {
        match self.free_links[height].pop() {
            Some(at) => at,
            None => {
                // Past the header's links, so never 0.
                let at =
                    NonZeroU32::MIN.saturating_add((self.links.len() as u32).saturating_sub(1));
                self.links
                    .extend(std::iter::repeat_n(Link { next: NIL, span: 0 }, height));
                at
            }
        }
    }

    /// Take an unlinked node out of the slab, freeing its links.
    fn release(&mut self, node: u32) -> (f64, Box<[u8]>) {
        match self.nodes.remove_slot(node) {
            Some(n) => {
                self.free_links[n.height as usize].push(n.links);
                (n.score, n.member)
            }
            None => (0.0, Box::default()),
        }
    }

    // ---- linking ----

    /// For each level, the last node before (score, member), and its 1-based rank.
    fn path_to(&self, score: f64, member: &[u8]) -> ([u32; MAX_LEVEL], [u32; MAX_LEVEL]) {
        let mut update = [HEAD; MAX_LEVEL];
        let mut rank = [0u32; MAX_LEVEL];
        let mut cur = HEAD;
        for i in (0..self.level).rev() {
            rank[i] = if i == self.level - 1 { 0 } else { rank[i + 1] };
            loop {
                let l = self.link(cur, i);
                if l.next != NIL && less(self.score(l.next), self.member(l.next), score, member) {
                    rank[i] += l.span;
                    cur = l.next;
                } else {
                    break;
                }
            }
            update[i] = cur;
        }
        (update, rank)
    }

    /// Splice an allocated node into the list at the place its (score, member) sorts.
    fn link_in(&mut self, x: u32) {
        let (score, height) = (self.score(x), self.node(x).height as usize);
        let (mut update, mut rank) = self.path_to(score, self.member(x));
        if height > self.level {
            for i in self.level..height {
                rank[i] = 0;
                update[i] = HEAD;
                self.link_mut(HEAD, i).span = self.len as u32;
            }
            self.level = height;
        }
        for i in 0..height {
            let u = self.link(update[i], i);
            let crossed = rank[0] - rank[i];
            *self.link_mut(x, i) = Link {
                next: u.next,
                span: u.span - crossed,
            };
            *self.link_mut(update[i], i) = Link {
                next: x,
                span: crossed + 1,
            };
        }
        for (i, &u) in update.iter().enumerate().take(self.level).skip(height) {
            self.link_mut(u, i).span += 1;
        }
        self.node_mut(x).prev = if update[0] == HEAD { NIL } else { update[0] };
        let next = self.link(x, 0).next;
        if next != NIL {
            self.node_mut(next).prev = x;
        } else {
            self.tail = x;
        }
        self.len += 1;
    }

    /// Take node `x` out of the list, given the path to it (Redis's `zslDeleteNode`).
    fn unlink_with(&mut self, x: u32, update: &[u32; MAX_LEVEL]) {
        for (i, &u) in update.iter().enumerate().take(self.level) {
            let ul = self.link(u, i);
            if ul.next == x {
                let xl = self.link(x, i);
                *self.link_mut(u, i) = Link {
                    next: xl.next,
                    span: ul.span + xl.span - 1,
                };
            } else {
                self.link_mut(u, i).span -= 1;
            }
        }
        let (next, prev) = (self.link(x, 0).next, self.prev(x));
        if next != NIL {
            self.node_mut(next).prev = prev;
        } else {
            self.tail = prev;
        }
        while self.level > 1 && self.link(HEAD, self.level - 1).next == NIL {
            self.level -= 1;
        }
        self.len -= 1;
    }

    fn unlink(&mut self, x: u32) {
        let (update, _) = self.path_to(self.score(x), self.member(x));
        self.unlink_with(x, &update);
    }

    // ---- the operations ----

    /// Add a member that is not in the list yet; returns its node. (A member already
    /// there just takes the new score.)
    pub fn insert(&mut self, score: f64, member: Box<[u8]>) -> u32 {
        let height = self.random_height();
        let node = Node {
            score,
            links: self.alloc_links(height),
            prev: NIL,
            member,
            height: height as u8,
        };
        let x = match self.nodes.insert(node) {
            Ok(x) => x,
            Err((x, node)) => {
                self.free_links[height].push(node.links);
                self.set_score(x, score);
                return x;
            }
        };
        self.link_in(x);
        x
    }

    /// Change a node's score, moving it only if its place changes (Redis's `zslUpdateScore`).
    pub fn set_score(&mut self, x: u32, score: f64) {
        let (prev, next) = (self.prev(x), self.next(x));
        let member = self.member(x);
        let fits_prev = prev == NIL || less(self.score(prev), self.member(prev), score, member);
        let fits_next = next == NIL || less(score, member, self.score(next), self.member(next));
        if fits_prev && fits_next {
            self.node_mut(x).score = score;
            return;
        }
        self.unlink(x);
        self.node_mut(x).score = score;
        self.link_in(x);
    }

    /// Delete a node; returns its score and member.
    pub fn remove(&mut self, x: u32) -> (f64, Box<[u8]>) {
        self.unlink(x);
        self.release(x)
    }

    /// Delete the nodes of 1-based ranks `start..=end`; returns how many went.
    pub fn remove_ranks(&mut self, start: usize, end: usize) -> usize {
        let mut update = [HEAD; MAX_LEVEL];
        let mut traversed = 0usize;
        let mut cur = HEAD;
        for i in (0..self.level).rev() {
            loop {
                let l = self.link(cur, i);
                if l.next != NIL && traversed + (l.span as usize) < start {
                    traversed += l.span as usize;
                    cur = l.next;
                } else {
                    break;
                }
            }
            update[i] = cur;
        }
        traversed += 1;
        let mut x = self.link(update[0], 0).next;
        let mut removed = 0;
        while x != NIL && traversed <= end {
            let next = self.link(x, 0).next;
            self.unlink_with(x, &update);
            self.release(x);
            removed += 1;
            traversed += 1;
            x = next;
        }
        removed
    }

    /// The 1-based rank of a node.
    pub fn rank(&self, x: u32) -> usize {
        let (score, member) = (self.score(x), self.member(x));
        let mut rank = 0usize;
        let mut cur = HEAD;
        for i in (0..self.level).rev() {
            loop {
                let l = self.link(cur, i);
                if l.next != NIL && !less(score, member, self.score(l.next), self.member(l.next)) {
                    rank += l.span as usize;
                    cur = l.next;
                } else {
                    break;
                }
            }
            if cur == x {
                return rank;
            }
        }
        rank
    }

    /// The node at a 1-based rank, or NIL.
    pub fn at_rank(&self, rank: usize) -> u32 {
        if rank == 0 || rank > self.len {
            return NIL;
        }
        let mut traversed = 0usize;
        let mut cur = HEAD;
        for i in (0..self.level).rev() {
            loop {
                let l = self.link(cur, i);
                if l.next != NIL && traversed + (l.span as usize) <= rank {
                    traversed += l.span as usize;
                    cur = l.next;
                } else {
                    break;
                }
            }
            if traversed == rank {
                return cur;
            }
        }
        NIL
    }

    /// Walk forward while `go(score, member)` holds for the next node, as Redis's range
    /// searches do; returns the last node passed (NIL if none) and its 1-based rank.
    /// When `go` holds on a prefix of the list, that is the prefix's last node.
    pub fn last_where(&self, go: impl Fn(f64, &[u8]) -> bool) -> (u32, usize) {
        let mut rank = 0usize;
        let mut cur = HEAD;
        for i in (0..self.level).rev() {
            loop {
                let l = self.link(cur, i);
                if l.next != NIL && go(self.score(l.next), self.member(l.next)) {
                    rank += l.span as usize;
                    cur = l.next;
                } else {
                    break;
                }
            }
        }
        if cur == HEAD {
            (NIL, 0)
        } else {
            (cur, rank)
        }
    }

    /// Every score of zero becomes +0 (a listpack stores -0 as "0").
    pub fn positive_zeros(&mut self) {
        for (_, n) in self.nodes.iter_mut() {
            if n.score == 0.0 {
                n.score = 0.0;
            }
        }
    }

    /// One ZSCAN step (the slab's: see [`IndexedSlab::scan`]): up to `count` nodes from
    /// slot `cursor` on, and the cursor to continue from (0 when done).
    pub fn scan(&self, cursor: u64, count: usize) -> (u64, Vec<u32>) {
        let mut out = Vec::new();
        let next = self.nodes.scan(cursor, count, |slot, _| {
            out.push(slot);
            true
        });
        (next, out)
    }

    /// Check every invariant (tests only): order, spans, back links, index.
    #[cfg(test)]
    pub fn check(&self) {
        let mut count = 0;
        let mut prev = NIL;
        let mut cur = self.first();
        while cur != NIL {
            count += 1;
            assert_eq!(self.prev(cur), prev);
            if prev != NIL {
                assert!(less(
                    self.score(prev),
                    self.member(prev),
                    self.score(cur),
                    self.member(cur)
                ));
            }
            assert_eq!(self.rank(cur), count);
            assert_eq!(self.at_rank(count), cur);
            assert_eq!(self.find(self.member(cur)), Some(cur));
            prev = cur;
            cur = self.next(cur);
        }
        assert_eq!(prev, self.tail);
        assert_eq!(count, self.len);
        assert_eq!(self.nodes.len(), self.len);
        self.nodes.check();
        for i in 0..self.level {
            let mut cur = HEAD;
            let mut pos = 0usize;
            loop {
                let l = self.link(cur, i);
                if l.next == NIL {
                    break;
                }
                pos += l.span as usize;
                assert_eq!(self.rank(l.next), pos, "span at level {i}");
                cur = l.next;
            }
        }
    }
}
