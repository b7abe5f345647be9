//! One small stable sort for the crate. `slice::sort_by` (driftsort) is compiled afresh for
//! every element type and comparator, about 6 KiB of wasm each; this one, a plain merge
//! sort of indices followed by one pass that moves the elements into place, is a few
//! hundred bytes per use. A stable sort's result is fully determined by the comparator, so
//! it orders exactly as `sort_by` does.

use std::cmp::Ordering;

/// Sort `v` stably by `cmp`, as `v.sort_by(cmp)` does.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let order = sorted_order(v.len(), |a, b| cmp(&v[a], &v[b]));
    permute(v, order);
}

/// Sort `v` stably, as `v.sort()` does.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// Where each element goes: `order[k]` is the index of the element that belongs at `k`.
fn sorted_order(n: usize, mut cmp: impl FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    const RUN: usize = 16;
    let mut a: Vec<usize> = (0..n).collect();
    // Short runs by insertion, then merges of doubling width.
    for run in a.chunks_mut(RUN) {
        for i in 1..run.len() {
            let mut j = i;
            while j > 0 && cmp(run[j - 1], run[j]) == Ordering::Greater {
                run.swap(j - 1, j);
                j -= 1;
            }
        }
    }
    let mut b = vec![0; n];
    let mut width = RUN;
    while width < n {
        for start in (0..n).step_by(2 * width) {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (left, right) = (&a[start..mid], &a[mid..end]);
            let (mut i, mut j) = (0, 0);
            for out in &mut b[start..end] {
                // Ties take the left element: stable.
                if j >= right.len()
                    || (i < left.len() && cmp(left[i], right[j]) != Ordering::Greater)
                {
                    *out = left[i];
                    i += 1;
                } else {
                    *out = right[j];
                    j += 1;
                }
            }
        }
        std::mem::swap(&mut a, &mut b);
        width *= 2;
    }
    a
}

/// Move the elements so that position `k` holds what was at `order[k]` (one cycle at a time).
fn permute<T>(v: &mut [T], mut order: Vec<usize>) {
    for start in 0..v.len() {
        let mut j = start;
        loop {
            let next = order[j];
            order[j] = j;
            if next == start {
                break;
            }
            v.swap(j, next);
            j = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn sorts_like_the_standard_stable_sort(
            v in proptest::collection::vec((0u8..8, any::<u16>()), 0..300)
        ) {
            // Compare by the first field only, so stability shows in the second.
            let mut ours = v.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut std = v;
            std.sort_by_key(|a| a.0);
            prop_assert_eq!(ours, std);
        }
    }

    #[test]
    fn sorts_owned_values_in_place() {
        let mut v: Vec<String> = ["pear", "apple", "fig", "apple", "banana"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        sort(&mut v);
        assert_eq!(v, ["apple", "apple", "banana", "fig", "pear"]);
    }
}
