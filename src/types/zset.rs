//! A sorted set: members with scores, ordered by (score, member bytes). Redis 7.0 keeps a
//! small one (at most 128 members, none longer than 64 bytes) in a listpack and a larger
//! one in a skiplist + hash table, for good; OBJECT ENCODING reports which.
//!
//! Both encodings are one structure here, an indexed skip list with a member index
//! ([`skiplist`]): ZADD, ZREM, ZRANK, ZSCORE and the node at a rank are O(log n), a range
//! of m members O(log n + m). The encoding is a flag, with the few behaviours that tell a
//! listpack from a skiplist in Redis reproduced where they show:
//! - a listpack writes scores as text and reads them back, which loses nothing except
//!   the sign of zero (-0 is stored as "0"); a skiplist keeps -0;
//! - lexicographic ranges over members with different scores (which Redis leaves
//!   unspecified) are found by a linear walk in a listpack, reproduced exactly here, and
//!   by a skip-list search in a skiplist;
//! - ZSCAN returns a whole listpack at once with cursor 0.

mod skiplist;

use skiplist::{SkipList, NIL};

use super::Encodings;

#[derive(Clone, Default)]
pub struct ZSet {
    list: SkipList,
    /// Converted to a skiplist (one way).
    skiplist: bool,
}

/// A score interval as ZRANGEBYSCORE reads it: `(` makes an end exclusive.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScoreRange {
    pub min: f64,
    pub max: f64,
    pub minex: bool,
    pub maxex: bool,
}

impl ScoreRange {
    pub fn gte_min(&self, v: f64) -> bool {
        if self.minex {
            v > self.min
        } else {
            v >= self.min
        }
    }

    pub fn lte_max(&self, v: f64) -> bool {
        if self.maxex {
            v < self.max
        } else {
            v <= self.max
        }
    }

    /// Ranges that can hold nothing (Redis tests this before looking).
    pub fn is_empty(&self) -> bool {
        self.min > self.max || (self.min == self.max && (self.minex || self.maxex))
    }
}

/// One end of a ZRANGEBYLEX interval: `-` (below everything), `+` (above everything) or
/// a member, inclusive (`[a`) or exclusive (`(a`).
#[derive(Clone, Debug, PartialEq)]
pub enum LexEdge {
    Min,
    Max,
    Item(Vec<u8>, bool),
}

#[derive(Clone, Debug, PartialEq)]
pub struct LexRange {
    pub min: LexEdge,
    pub max: LexEdge,
}

/// Redis's `sdscmplex`: `-` sorts before and `+` after every member; comparing an edge
/// with itself gives equal.
fn cmp_lex(a: &LexEdge, b: &LexEdge) -> std::cmp::Ordering {
    use std::cmp::Ordering::*;
    use LexEdge::*;
    match (a, b) {
        (Min, Min) | (Max, Max) => Equal,
        (Min, _) | (_, Max) => Less,
        (Max, _) | (_, Min) => Greater,
        (Item(x, _), Item(y, _)) => x.as_slice().cmp(y.as_slice()),
    }
}

fn is_exclusive(e: &LexEdge) -> bool {
    !matches!(e, LexEdge::Item(_, false))
}

impl LexRange {
    pub fn gte_min(&self, m: &[u8]) -> bool {
        match &self.min {
            LexEdge::Min => true,
            LexEdge::Max => false,
            LexEdge::Item(x, ex) => {
                if *ex {
                    m > x.as_slice()
                } else {
                    m >= x.as_slice()
                }
            }
        }
    }

    pub fn lte_max(&self, m: &[u8]) -> bool {
        match &self.max {
            LexEdge::Max => true,
            LexEdge::Min => false,
            LexEdge::Item(x, ex) => {
                if *ex {
                    m < x.as_slice()
                } else {
                    m <= x.as_slice()
                }
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        match cmp_lex(&self.min, &self.max) {
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Equal => is_exclusive(&self.min) || is_exclusive(&self.max),
            std::cmp::Ordering::Less => false,
        }
    }
}

/// A member found by a range search: its 0-based rank (ascending) and its place in the
/// list, so a walk from it needs no second search. It borrows the set, which therefore
/// cannot change while it is held.
#[derive(Clone, Copy, Debug)]
pub struct Found<'z> {
    pub rank: usize,
    node: u32,
    _set: std::marker::PhantomData<&'z ZSet>,
}

/// Up to this many steps from a found member are walked; more take a descent by rank.
const SHORT_WALK: usize = 16;

/// ZADD's conditions.
#[derive(Clone, Copy, Debug, Default)]
pub struct AddFlags {
    pub incr: bool,
    pub nx: bool,
    pub xx: bool,
    pub gt: bool,
    pub lt: bool,
}

/// What one ZADD pair did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Added {
    /// A new member.
    New,
    /// An existing member's score changed.
    Updated,
    /// The member was processed but its score stayed the same.
    Same,
    /// NX, XX, GT or LT stopped it.
    Skipped,
}

impl ZSet {
    /// A sorted set holding these (score, member) pairs, encoded as after ZADD.
    pub fn from_pairs<I: IntoIterator<Item = (f64, Vec<u8>)>>(pairs: I, enc: &Encodings) -> ZSet {
        let mut z = ZSet::default();
        for (s, m) in pairs {
            z.insert(s, m, enc);
        }
        z
    }

    /// A computed result (ZUNIONSTORE and friends): built as a skiplist, then turned into
    /// a listpack if it is small enough, as Redis does. Members must be distinct.
    pub fn from_result<I: IntoIterator<Item = (f64, Vec<u8>)>>(pairs: I, enc: &Encodings) -> ZSet {
        let mut z = ZSet {
            list: SkipList::new(),
            skiplist: true,
        };
        let mut longest = 0;
        for (s, m) in pairs {
            longest = longest.max(m.len());
            if z.list.find(&m).is_none() {
                z.list.insert(s, m.into_boxed_slice());
            }
        }
        if z.len() <= enc.zset_max_listpack_entries && longest <= enc.zset_max_listpack_value {
            z.skiplist = false;
            z.list.positive_zeros();
        }
        z
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.len() == 0
    }

    pub fn encoding(&self) -> &'static str {
        if self.skiplist {
            "skiplist"
        } else {
            "listpack"
        }
    }

    pub fn is_listpack(&self) -> bool {
        !self.skiplist
    }

    /// Convert to the skiplist encoding, for good (Redis's `zsetConvert`, as SORT does).
    /// Members and scores are kept as stored.
    pub fn to_skiplist(&mut self) {
        self.skiplist = true;
    }

    /// Every (score, member), ascending by score then member bytes.
    pub fn iter(&self) -> impl Iterator<Item = (f64, &[u8])> + '_ {
        self.list.iter_from(self.list.first(), false)
    }

    /// Every (score, member), descending.
    pub fn iter_rev(&self) -> impl Iterator<Item = (f64, &[u8])> + '_ {
        self.list.iter_from(self.list.last(), true)
    }

    /// From the member at 0-based `rank` on, ascending or (`rev`) descending.
    pub fn iter_from(&self, rank: usize, rev: bool) -> impl Iterator<Item = (f64, &[u8])> + '_ {
        let node = self.list.at_rank(rank.saturating_add(1));
        self.list.iter_from(node, rev)
    }

    /// The member at a 0-based rank (ascending).
    pub fn get(&self, rank: usize) -> Option<(f64, &[u8])> {
        self.iter_from(rank, false).next()
    }

    pub fn score(&self, member: &[u8]) -> Option<f64> {
        self.list.find(member).map(|n| self.list.score(n))
    }

    /// The 0-based rank of a member, ascending.
    pub fn rank(&self, member: &[u8]) -> Option<usize> {
        self.list.find(member).map(|n| self.list.rank(n) - 1)
    }

    /// A listpack writes -0 as "0".
    fn stored(&self, score: f64) -> f64 {
        if !self.skiplist && score == 0.0 {
            0.0
        } else {
            score
        }
    }

    /// Add or update a member; true if it was new. (A NaN score is refused: false.)
    pub fn insert(&mut self, score: f64, member: Vec<u8>, enc: &Encodings) -> bool {
        matches!(
            self.add(score, &member, AddFlags::default(), enc),
            Some((Added::New, _))
        )
    }

    /// Redis's `zsetAdd`: one ZADD/ZINCRBY pair under the given conditions. Returns what
    /// happened and the member's resulting score (for INCR), or None when the score is or
    /// becomes NaN.
    pub fn add(
        &mut self,
        score: f64,
        member: &[u8],
        f: AddFlags,
        enc: &Encodings,
    ) -> Option<(Added, f64)> {
        if score.is_nan() {
            return None;
        }
        if let Some(node) = self.list.find(member) {
            if f.nx {
                return Some((Added::Skipped, score));
            }
            let current = self.list.score(node);
            let mut score = score;
            if f.incr {
                score += current;
                if score.is_nan() {
                    return None;
                }
            }
            if (f.lt && score >= current) || (f.gt && score <= current) {
                return Some((Added::Skipped, score));
            }
            if score == current {
                return Some((Added::Same, score));
            }
            let kept = self.stored(score);
            self.list.set_score(node, kept);
            return Some((Added::Updated, score));
        }
        if f.xx {
            return Some((Added::Skipped, score));
        }
        if self.len() + 1 > enc.zset_max_listpack_entries
            || member.len() > enc.zset_max_listpack_value
        {
            self.skiplist = true;
        }
        let kept = self.stored(score);
        self.list.insert(kept, member.into());
        Some((Added::New, score))
    }

    /// Delete a member; true if it was there.
    pub fn remove(&mut self, member: &[u8]) -> bool {
        match self.list.find(member) {
            Some(node) => {
                self.list.remove(node);
                true
            }
            None => false,
        }
    }

    /// Delete the members of 0-based ranks `start..=end`; returns how many went.
    pub fn remove_ranks(&mut self, start: usize, end: usize) -> usize {
        if start > end || start >= self.len() {
            return 0;
        }
        self.list.remove_ranks(start + 1, end.saturating_add(1))
    }

    /// Take out the lowest (or, with `max`, the highest) member.
    pub fn pop(&mut self, max: bool) -> Option<(f64, Vec<u8>)> {
        let node = if max {
            self.list.last()
        } else {
            self.list.first()
        };
        if node == NIL {
            return None;
        }
        let (score, member) = self.list.remove(node);
        Some((score, member.into_vec()))
    }

    /// The first member in a score range (Redis's `zslFirstInRange`): one descent of the
    /// skip list, which also counts its rank.
    pub fn first_in_score(&self, r: &ScoreRange) -> Option<Found<'_>> {
        if !self.score_range_touches(r) {
            return None;
        }
        let (before, rank) = self.list.last_where(|s, _| !r.gte_min(s));
        let node = self.after(before);
        (node != NIL && r.lte_max(self.list.score(node))).then(|| self.found(rank, node))
    }

    /// The last member in a score range (Redis's `zslLastInRange`), in one descent.
    pub fn last_in_score(&self, r: &ScoreRange) -> Option<Found<'_>> {
        if !self.score_range_touches(r) {
            return None;
        }
        let (node, rank) = self.list.last_where(|s, _| r.lte_max(s));
        (node != NIL && r.gte_min(self.list.score(node))).then(|| self.found(rank - 1, node))
    }

    fn score_range_touches(&self, r: &ScoreRange) -> bool {
        let (first, last) = (self.list.first(), self.list.last());
        !r.is_empty()
            && last != NIL
            && r.gte_min(self.list.score(last))
            && r.lte_max(self.list.score(first))
    }

    fn lex_range_touches(&self, r: &LexRange) -> bool {
        let (first, last) = (self.list.first(), self.list.last());
        !r.is_empty()
            && last != NIL
            && r.gte_min(self.list.member(last))
            && r.lte_max(self.list.member(first))
    }

    /// The first member in a lex range: a linear walk in a listpack (`zzlFirstInLexRange`),
    /// one skip-list descent in a skiplist (`zslFirstInLexRange`).
    pub fn first_in_lex(&self, r: &LexRange) -> Option<Found<'_>> {
        if !self.lex_range_touches(r) {
            return None;
        }
        let (node, rank) = if self.skiplist {
            let (before, rank) = self.list.last_where(|_, m| !r.gte_min(m));
            (self.after(before), rank)
        } else {
            let mut at = (self.list.first(), 0);
            while at.0 != NIL && !r.gte_min(self.list.member(at.0)) {
                at = (self.list.next(at.0), at.1 + 1);
            }
            at
        };
        (node != NIL && r.lte_max(self.list.member(node))).then(|| self.found(rank, node))
    }

    /// The last member in a lex range (see [`ZSet::first_in_lex`]).
    pub fn last_in_lex(&self, r: &LexRange) -> Option<Found<'_>> {
        if !self.lex_range_touches(r) {
            return None;
        }
        let (node, rank) = if self.skiplist {
            self.list.last_where(|_, m| r.lte_max(m))
        } else {
            let mut at = (self.list.last(), self.len());
            while at.0 != NIL && !r.lte_max(self.list.member(at.0)) {
                at = (self.list.prev(at.0), at.1 - 1);
            }
            at
        };
        (node != NIL && r.gte_min(self.list.member(node))).then(|| self.found(rank - 1, node))
    }

    /// The member `n` places after (`rev`: before) a found one, if there is one: a short
    /// walk for a small `n`, one descent by rank for a larger one.
    pub fn step<'z>(&'z self, at: Found<'z>, n: usize, rev: bool) -> Option<Found<'z>> {
        let rank = if rev {
            at.rank.checked_sub(n)?
        } else {
            at.rank.checked_add(n).filter(|&r| r < self.len())?
        };
        let node = if n <= SHORT_WALK {
            let mut node = at.node;
            for _ in 0..n {
                node = if rev {
                    self.list.prev(node)
                } else {
                    self.list.next(node)
                };
                if node == NIL {
                    return None;
                }
            }
            node
        } else {
            self.list.at_rank(rank + 1)
        };
        (node != NIL).then(|| self.found(rank, node))
    }

    /// From a found member on, ascending or (`rev`) descending.
    pub fn iter_at<'z>(
        &'z self,
        at: Found<'z>,
        rev: bool,
    ) -> impl Iterator<Item = (f64, &'z [u8])> + 'z {
        self.list.iter_from(at.node, rev)
    }

    fn found(&self, rank: usize, node: u32) -> Found<'_> {
        Found {
            rank,
            node,
            _set: std::marker::PhantomData,
        }
    }

    /// The node after `node`, or the first one when `node` is NIL (the head).
    fn after(&self, node: u32) -> u32 {
        if node == NIL {
            self.list.first()
        } else {
            self.list.next(node)
        }
    }

    /// ZSCAN: (next cursor, (member, score) pairs). A listpack answers whole, cursor 0.
    pub fn scan(&self, cursor: u64, count: usize) -> (u64, Vec<(&[u8], f64)>) {
        if !self.skiplist {
            return (0, self.iter().map(|(s, m)| (m, s)).collect());
        }
        let (next, nodes) = self.list.scan(cursor, count);
        (
            next,
            nodes
                .into_iter()
                .map(|n| (self.list.member(n), self.list.score(n)))
                .collect(),
        )
    }

    #[cfg(test)]
    fn check(&self) {
        self.list.check();
    }
}

impl PartialEq for ZSet {
    fn eq(&self, other: &ZSet) -> bool {
        self.skiplist == other.skiplist && self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl std::fmt::Debug for ZSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ZSet({}, {:?})", self.encoding(), self.list)
    }
}

#[cfg(test)]
mod tests {
    use crate::types::Encodings;

    const E: Encodings = Encodings::DEFAULT;
    use super::*;

    fn m(i: usize) -> Vec<u8> {
        format!("m{i:07}").into_bytes()
    }

    #[test]
    fn small_sets_stay_listpack_until_129_members_or_a_long_member() {
        let mut z = ZSet::from_pairs((0..128).map(|i| (i as f64, m(i))), &E);
        assert_eq!(z.encoding(), "listpack");
        z.insert(1.0, m(1000), &E);
        assert_eq!(z.encoding(), "skiplist");
        z.remove_ranks(0, 127);
        assert_eq!((z.len(), z.encoding()), (1, "skiplist"));
        let z = ZSet::from_pairs([(1.0, vec![b'x'; 65])], &E);
        assert_eq!(z.encoding(), "skiplist");
    }

    #[test]
    fn random_operations_keep_every_invariant_and_match_a_sorted_model() {
        let mut rng = fastrand::Rng::with_seed(7);
        let mut z = ZSet::default();
        let mut model: std::collections::BTreeMap<Vec<u8>, f64> = Default::default();
        for step in 0..6000 {
            let k = m(rng.usize(..400));
            let s = rng.i32(-50..50) as f64 / 4.0;
            match rng.u8(..10) {
                0..=5 => {
                    z.insert(s, k.clone(), &E);
                    model.insert(k, s);
                }
                6 | 7 => {
                    assert_eq!(z.remove(&k), model.remove(&k).is_some());
                }
                8 => {
                    if let Some((s, m)) = z.pop(rng.bool()) {
                        assert_eq!(model.remove(&m), Some(s));
                    }
                }
                _ => {
                    let a = rng.usize(..z.len().max(1));
                    let b = a + rng.usize(..5);
                    let expect: Vec<Vec<u8>> = z
                        .iter()
                        .skip(a)
                        .take(b - a + 1)
                        .map(|(_, m)| m.to_vec())
                        .collect();
                    assert_eq!(z.remove_ranks(a, b), expect.len());
                    for e in expect {
                        model.remove(&e);
                    }
                }
            }
            if step % 500 == 0 {
                z.check();
            }
            let mut sorted: Vec<(f64, &Vec<u8>)> = model.iter().map(|(m, s)| (*s, m)).collect();
            sorted.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(b.1)));
            if step % 97 == 0 {
                assert!(z
                    .iter()
                    .map(|(s, m)| (s, m.to_vec()))
                    .eq(sorted.iter().map(|(s, m)| (*s, (*m).clone()))));
            }
        }
        z.check();
    }

    #[test]
    fn a_million_members_rank_and_range_correctly() {
        let n = 1_000_000usize;
        let mut z = ZSet::default();
        // Scores in a scrambled order so inserts land all over the list.
        for i in 0..n {
            let j = (i * 7_919) % n;
            z.insert(j as f64, m(j), &E);
        }
        assert_eq!((z.len(), z.encoding()), (n, "skiplist"));
        for j in [0, 1, 499_999, 999_999, 123_457] {
            assert_eq!(z.rank(&m(j)), Some(j));
            assert_eq!(z.score(&m(j)), Some(j as f64));
            assert_eq!(z.get(j).map(|(s, _)| s), Some(j as f64));
        }
        let r = ScoreRange {
            min: 250_000.0,
            max: 250_010.0,
            minex: true,
            maxex: false,
        };
        assert_eq!(
            (
                z.first_in_score(&r).map(|f| f.rank),
                z.last_in_score(&r).map(|f| f.rank)
            ),
            (Some(250_001), Some(250_010))
        );
        let got: Vec<f64> = z.iter_from(600_000, true).take(3).map(|(s, _)| s).collect();
        assert_eq!(got, [600_000.0, 599_999.0, 599_998.0]);
        // Move a member to the far end, delete a block, pop both ends.
        z.insert(2e6, m(10), &E);
        assert_eq!(z.rank(&m(10)), Some(n - 1));
        assert_eq!(z.remove_ranks(100, 199_999), 199_900);
        assert_eq!(z.len(), n - 199_900);
        assert_eq!(z.pop(false).map(|(s, _)| s), Some(0.0));
        assert_eq!(z.pop(true).map(|(s, _)| s), Some(2e6));
        assert_eq!(z.rank(&m(200_010)), Some(200_010 - 199_900 - 2));
    }
}
