//! An indexed skip list (Pugh's, as Redis extends it: spans on every link for ranks, a
//! backward link on level 0, ties on score broken by member bytes) kept in an arena, plus
//! a hash index from member to node. Nodes are `u32` slots in one `Vec`, links are `u32`
//! slots in another, so the structure is a handful of allocations plus one per member.
//!
//! Costs: insert, delete, score change, rank of a node and node at a rank are O(log n)
//! expected; a member lookup is O(1) expected; walking m neighbours is O(m).
//! Ranks here are 1-based like Redis's `zslGetRank`; the `ZSet` layer speaks 0-based.
//!
//! A node keeps its slot for as long as its member is in the set (a score change relinks
//! it in place), which makes the slot number a stable ZSCAN cursor.

use std::hash::BuildHasher;

use hashbrown::{DefaultHashBuilder, HashTable};

/// "No node": the end of a level, or the (absent) predecessor of the first node.
pub const NIL: u32 = u32::MAX;
/// The header node's slot. It holds no member and is never returned.
const HEAD: u32 = 0;
/// As Redis: 32 levels, each one a quarter as populated as the one below.
const MAX_LEVEL: usize = 32;

#[derive(Clone, Copy, Debug, Default)]
struct Link {
    next: u32,
    /// How many level-0 steps this link jumps (Redis's `span`).
    span: u32,
}

#[derive(Clone, Debug)]
struct Node {
    member: Box<[u8]>,
    score: f64,
    /// The previous node on level 0, NIL for the first one.
    prev: u32,
    /// Where this node's `height` links start in `links`.
    links: u32,
    /// Number of levels; 0 marks a free slot.
    height: u8,
}

#[derive(Clone)]
pub struct SkipList {
    nodes: Vec<Node>,
    free_nodes: Vec<u32>,
    links: Vec<Link>,
    /// Free runs of links, by height.
    free_links: Vec<Vec<u32>>,
    index: HashTable<u32>,
    hasher: DefaultHashBuilder,
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
            links: 0,
            height: MAX_LEVEL as u8,
        };
        SkipList {
            nodes: vec![head],
            free_nodes: Vec::new(),
            links: vec![Link { next: NIL, span: 0 }; MAX_LEVEL],
            free_links: vec![Vec::new(); MAX_LEVEL + 1],
            index: HashTable::new(),
            hasher: DefaultHashBuilder::default(),
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

    #[inline]
    fn link(&self, node: u32, level: usize) -> Link {
        self.links[self.nodes[node as usize].links as usize + level]
    }

    #[inline]
    fn link_mut(&mut self, node: u32, level: usize) -> &mut Link {
        let at = self.nodes[node as usize].links as usize + level;
        &mut self.links[at]
    }

    #[inline]
    pub fn score(&self, node: u32) -> f64 {
        self.nodes[node as usize].score
    }

    #[inline]
    pub fn member(&self, node: u32) -> &[u8] {
        &self.nodes[node as usize].member
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
        self.nodes[node as usize].prev
    }

    /// (score, member) pairs from `node` on, forwards or backwards.
    pub fn iter_from(&self, node: u32, rev: bool) -> impl Iterator<Item = (f64, &[u8])> + '_ {
        let mut cur = node;
        std::iter::from_fn(move || {
            if cur == NIL {
                return None;
            }
            let n = &self.nodes[cur as usize];
            cur = if rev { n.prev } else { self.link(cur, 0).next };
            Some((n.score, &*n.member))
        })
    }

    // ---- the member index ----

    fn hash(&self, member: &[u8]) -> u64 {
        self.hasher.hash_one(member)
    }

    /// The node holding `member`.
    pub fn find(&self, member: &[u8]) -> Option<u32> {
        let nodes = &self.nodes;
        self.index
            .find(self.hash(member), |&n| &*nodes[n as usize].member == member)
            .copied()
    }

    fn index_insert(&mut self, node: u32) {
        let h = self.hash(&self.nodes[node as usize].member);
        let (nodes, hasher) = (&self.nodes, &self.hasher);
        self.index
            .insert_unique(h, node, |&n| hasher.hash_one(&*nodes[n as usize].member));
    }

    fn index_remove(&mut self, node: u32) {
        let h = self.hash(&self.nodes[node as usize].member);
        if let Ok(e) = self.index.find_entry(h, |&n| n == node) {
            e.remove();
        }
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

    fn alloc(&mut self, score: f64, member: Box<[u8]>, height: usize) -> u32 {
        let links = match self.free_links[height].pop() {
            Some(at) => at,
            None => {
                let at = self.links.len() as u32;
                self.links
                    .extend(std::iter::repeat_n(Link { next: NIL, span: 0 }, height));
                at
            }
        };
        let node = Node {
            member,
            score,
            prev: NIL,
            links,
            height: height as u8,
        };
        match self.free_nodes.pop() {
            Some(slot) => {
                self.nodes[slot as usize] = node;
                slot
            }
            None => {
                self.nodes.push(node);
                (self.nodes.len() - 1) as u32
            }
        }
    }

    fn release(&mut self, node: u32) -> (f64, Box<[u8]>) {
        let n = &mut self.nodes[node as usize];
        let member = std::mem::take(&mut n.member);
        let height = std::mem::replace(&mut n.height, 0) as usize;
        self.free_links[height].push(n.links);
        self.free_nodes.push(node);
        (n.score, member)
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
        let (score, height) = (self.score(x), self.nodes[x as usize].height as usize);
        let (mut update, mut rank) = {
            let member = &self.nodes[x as usize].member;
            self.path_to(score, member)
        };
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
        self.nodes[x as usize].prev = if update[0] == HEAD { NIL } else { update[0] };
        let next = self.link(x, 0).next;
        if next != NIL {
            self.nodes[next as usize].prev = x;
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
            self.nodes[next as usize].prev = prev;
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

    /// Add a member that is not in the list yet; returns its node.
    pub fn insert(&mut self, score: f64, member: Box<[u8]>) -> u32 {
        let height = self.random_height();
        let x = self.alloc(score, member, height);
        self.link_in(x);
        self.index_insert(x);
        x
    }

    /// Change a node's score, moving it only if its place changes (Redis's `zslUpdateScore`).
    pub fn set_score(&mut self, x: u32, score: f64) {
        let (prev, next) = (self.prev(x), self.next(x));
        let member = self.member(x);
        let fits_prev = prev == NIL || less(self.score(prev), self.member(prev), score, member);
        let fits_next = next == NIL || less(score, member, self.score(next), self.member(next));
        if fits_prev && fits_next {
            self.nodes[x as usize].score = score;
            return;
        }
        self.unlink(x);
        self.nodes[x as usize].score = score;
        self.link_in(x);
    }

    /// Delete a node; returns its score and member.
    pub fn remove(&mut self, x: u32) -> (f64, Box<[u8]>) {
        self.index_remove(x);
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
            self.index_remove(x);
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
        for n in self.nodes.iter_mut().skip(1) {
            if n.height > 0 && n.score == 0.0 {
                n.score = 0.0;
            }
        }
    }

    /// Up to `count` live nodes from slot `cursor` on, and the cursor to continue from
    /// (0 when the arena is exhausted). Members present throughout a scan keep their slot,
    /// so each is returned at least once. Like Redis, a call looks at no more than ten
    /// slots per node asked for, so a sparse arena can't make one call slow.
    pub fn scan(&self, cursor: u64, count: usize) -> (u64, Vec<u32>) {
        let mut out = Vec::new();
        let mut slot = (cursor.max(1)).min(self.nodes.len() as u64) as usize;
        let stop = slot.saturating_add(count.saturating_mul(10));
        while slot < self.nodes.len() && out.len() < count && slot < stop {
            if self.nodes[slot].height > 0 {
                out.push(slot as u32);
            }
            slot += 1;
        }
        let next = if slot >= self.nodes.len() {
            0
        } else {
            slot as u64
        };
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
        assert_eq!(self.index.len(), self.len);
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
