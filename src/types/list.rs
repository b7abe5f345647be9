//! A list. Redis 7.0 keeps every list in a quicklist (a linked list of listpacks), so
//! OBJECT ENCODING always says `quicklist`; a ring buffer gives us O(1) at both ends and
//! O(1) LINDEX.
//!
//! The functions here are the list operations with Redis's index arithmetic (negative
//! indices count from the tail, ranges are clamped), free of any command or reply
//! concern; `commands/list.rs` builds the commands on them.

use std::collections::VecDeque;

pub type List = VecDeque<Vec<u8>>;

pub fn encoding(_: &List) -> &'static str {
    "quicklist"
}

/// Which end of a list: LEFT is the head, RIGHT the tail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    Left,
    Right,
}

/// Push one element at an end.
pub fn push(list: &mut List, end: End, element: Vec<u8>) {
    match end {
        End::Left => list.push_front(element),
        End::Right => list.push_back(element),
    }
}

/// Pop one element from an end.
pub fn pop(list: &mut List, end: End) -> Option<Vec<u8>> {
    match end {
        End::Left => list.pop_front(),
        End::Right => list.pop_back(),
    }
}

/// Pop up to `count` elements from an end, in the order they are popped (so RIGHT gives
/// the last element first).
pub fn pop_many(list: &mut List, end: End, count: u64) -> Vec<Vec<u8>> {
    let n = usize::try_from(count).unwrap_or(usize::MAX).min(list.len());
    match end {
        End::Left => list.drain(..n).collect(),
        End::Right => {
            let start = list.len() - n;
            list.drain(start..).rev().collect()
        }
    }
}

/// The position `index` names in a list of `len` elements (negative counts from the
/// tail: -1 is the last), or None if it is outside the list.
pub fn index(len: usize, index: i64) -> Option<usize> {
    let len = len as i64;
    let i = if index < 0 {
        len.checked_add(index)?
    } else {
        index
    };
    (0..len).contains(&i).then_some(i as usize)
}

/// The inclusive range LRANGE selects with `start` and `end` (negative offsets count from
/// the tail, out-of-range ends are clamped), or None if it selects nothing.
pub fn range(len: usize, start: i64, end: i64) -> Option<(usize, usize)> {
    let n = len as i64;
    let mut start = if start < 0 { n + start } else { start };
    let mut end = if end < 0 { n + end } else { end };
    if start < 0 {
        start = 0;
    }
    if start > end || start >= n {
        return None;
    }
    if end >= n {
        end = n - 1;
    }
    Some((start as usize, end as usize))
}

/// LTRIM: keep only the range `start..=end` (as LRANGE reads it). Returns how many
/// elements were removed.
pub fn trim(list: &mut List, start: i64, end: i64) -> usize {
    let len = list.len();
    match range(len, start, end) {
        None => {
            list.clear();
            len
        }
        Some((a, b)) => {
            list.truncate(b + 1);
            list.drain(..a);
            len - (b + 1 - a)
        }
    }
}

/// LINSERT: put `element` just before (or after) the first element equal to `pivot`.
/// Returns false if there is no such element.
pub fn insert(list: &mut List, before: bool, pivot: &[u8], element: Vec<u8>) -> bool {
    let Some(at) = list.iter().position(|e| e == pivot) else {
        return false;
    };
    list.insert(if before { at } else { at + 1 }, element);
    true
}

/// LREM: remove elements equal to `element`: the first `count` from the head if count is
/// positive, the last `|count|` from the tail if negative, all of them if 0. Returns how
/// many were removed.
pub fn remove(list: &mut List, count: i64, element: &[u8]) -> usize {
    let limit = if count == 0 {
        u64::MAX
    } else {
        count.unsigned_abs()
    };
    let mut removed: u64 = 0;
    if count >= 0 {
        list.retain(|e| {
            if removed < limit && e == element {
                removed += 1;
                false
            } else {
                true
            }
        });
    } else {
        // From the tail: find the positions first, then drop them.
        let mut doomed = Vec::new();
        for (i, e) in list.iter().enumerate().rev() {
            if removed == limit {
                break;
            }
            if e == element {
                doomed.push(i);
                removed += 1;
            }
        }
        let mut next = doomed.pop();
        let mut i = 0;
        list.retain(|_| {
            let drop = Some(i) == next;
            if drop {
                next = doomed.pop();
            }
            i += 1;
            !drop
        });
    }
    removed as usize
}

/// LPOS: the positions (from the head) of the elements equal to `element`. `rank` picks
/// the first match to report (1 = the first, 2 = the second, -1 = the last, …; never 0),
/// `count` how many to report (0 = all), `maxlen` how many elements to look at, from the
/// end the search starts at (0 = all). `count` and `maxlen` are not negative.
///
/// This is Redis's loop, including its arithmetic on `long`: RANK -9223372036854775808
/// stays negative when negated, so it matches from the first match found at the tail and
/// never reaches its COUNT (Redis 7.0 answers every match).
pub fn positions(list: &List, element: &[u8], rank: i64, count: i64, maxlen: i64) -> Vec<usize> {
    let (rank, from_tail) = if rank < 0 {
        (rank.wrapping_neg(), true)
    } else {
        (rank, false)
    };
    let mut out = Vec::new();
    let mut matches: i64 = 0;
    let mut visit = |i: usize, e: &Vec<u8>| {
        if e == element {
            matches += 1;
            if matches >= rank {
                out.push(i);
                if count != 0 && matches.wrapping_sub(rank).wrapping_add(1) >= count {
                    return false;
                }
            }
        }
        true
    };
    let scan = if maxlen == 0 {
        usize::MAX
    } else {
        usize::try_from(maxlen).unwrap_or(usize::MAX)
    };
    if from_tail {
        for (i, e) in list.iter().enumerate().rev().take(scan) {
            if !visit(i, e) {
                break;
            }
        }
    } else {
        for (i, e) in list.iter().enumerate().take(scan) {
            if !visit(i, e) {
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(items: &[&str]) -> List {
        items.iter().map(|s| s.as_bytes().to_vec()).collect()
    }

    fn strs(l: &List) -> Vec<String> {
        l.iter()
            .map(|e| String::from_utf8_lossy(e).into_owned())
            .collect()
    }

    #[test]
    fn index_counts_negative_positions_from_the_tail() {
        assert_eq!(index(3, 0), Some(0));
        assert_eq!(index(3, -1), Some(2));
        assert_eq!(index(3, -3), Some(0));
        assert_eq!(index(3, -4), None);
        assert_eq!(index(3, 3), None);
        assert_eq!(index(3, i64::MIN), None);
        assert_eq!(index(3, i64::MAX), None);
        assert_eq!(index(0, 0), None);
    }

    #[test]
    fn range_clamps_like_lrange() {
        assert_eq!(range(5, 0, -1), Some((0, 4)));
        assert_eq!(range(5, -2, -1), Some((3, 4)));
        assert_eq!(range(5, -100, 100), Some((0, 4)));
        assert_eq!(range(5, 3, 1), None);
        assert_eq!(range(5, 5, 10), None);
        assert_eq!(range(5, i64::MIN, i64::MAX), Some((0, 4)));
        assert_eq!(range(5, i64::MAX, i64::MIN), None);
        assert_eq!(range(0, 0, -1), None);
    }

    #[test]
    fn trim_keeps_the_range_and_counts_what_it_dropped() {
        let mut l = list(&["a", "b", "c", "d", "e"]);
        assert_eq!(trim(&mut l, 1, -2), 2);
        assert_eq!(strs(&l), ["b", "c", "d"]);
        assert_eq!(trim(&mut l, 5, 10), 3);
        assert!(l.is_empty());
    }

    #[test]
    fn remove_from_the_tail_keeps_the_first_matches() {
        let mut l = list(&["a", "x", "b", "x", "c", "x"]);
        assert_eq!(remove(&mut l, -2, b"x"), 2);
        assert_eq!(strs(&l), ["a", "x", "b", "c"]);
        let mut l = list(&["x", "a", "x", "x"]);
        assert_eq!(remove(&mut l, 2, b"x"), 2);
        assert_eq!(strs(&l), ["a", "x"]);
        let mut l = list(&["x", "a", "x"]);
        assert_eq!(remove(&mut l, i64::MIN, b"x"), 2);
        assert_eq!(strs(&l), ["a"]);
    }

    #[test]
    fn positions_honour_rank_count_and_maxlen() {
        let l = list(&["a", "b", "c", "a", "b", "a"]);
        assert_eq!(positions(&l, b"a", 1, 1, 0), [0]);
        assert_eq!(positions(&l, b"a", 2, 0, 0), [3, 5]);
        assert_eq!(positions(&l, b"a", -1, 0, 0), [5, 3, 0]);
        assert_eq!(positions(&l, b"a", -2, 1, 0), [3]);
        assert_eq!(positions(&l, b"a", 1, 0, 4), [0, 3]);
        assert_eq!(positions(&l, b"a", -1, 0, 2), [5]);
        assert_eq!(positions(&l, b"a", i64::MIN, 1, 0), [5, 3, 0]);
        assert_eq!(positions(&l, b"a", 7, 0, 0), Vec::<usize>::new());
    }

    #[test]
    fn pop_many_from_the_right_gives_the_tail_first() {
        let mut l = list(&["a", "b", "c"]);
        assert_eq!(
            pop_many(&mut l, End::Right, 2),
            [b"c".to_vec(), b"b".to_vec()]
        );
        assert_eq!(pop_many(&mut l, End::Left, u64::MAX), [b"a".to_vec()]);
    }
}
