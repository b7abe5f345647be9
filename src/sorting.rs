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

/// Redis's `pqsort`: Bentley & McIlroy's quicksort (as in BSD libc) that skips the parts
/// outside positions `lrange..=rrange`, ported step by step so that elements comparing
/// equal end up exactly where Redis puts them. The range test works on byte addresses of
/// 16-byte sort objects, as SORT's C code does (any element size gives the same answer: the
/// test only compares element boundaries). Used by SORT … LIMIT and GEORADIUS/GEOSEARCH … COUNT.
pub fn pqsort<T>(v: &mut [T], cmp: &impl Fn(&T, &T) -> Ordering, lrange: i64, rrange: i64) {
    const ES: i64 = 16;
    let (lo, hi) = (lrange * ES, (rrange + 1) * ES - 1);
    let outside = |start: usize, n: usize| {
        let (l, r) = (start as i64 * ES, (start + n) as i64 * ES - 1);
        (lo < l && hi < l) || (lo > r && hi > r)
    };
    let med3 = |v: &[T], a: usize, b: usize, c: usize| {
        if cmp(&v[a], &v[b]) == Ordering::Less {
            if cmp(&v[b], &v[c]) == Ordering::Less {
                b
            } else if cmp(&v[a], &v[c]) == Ordering::Less {
                c
            } else {
                a
            }
        } else if cmp(&v[b], &v[c]) == Ordering::Greater {
            b
        } else if cmp(&v[a], &v[c]) == Ordering::Less {
            a
        } else {
            c
        }
    };
    let vecswap = |v: &mut [T], a: usize, b: usize, n: usize| {
        for i in 0..n {
            v.swap(a + i, b + i);
        }
    };
    let (mut a, mut n) = (0usize, v.len());
    loop {
        if n < 7 {
            for pm in a + 1..a + n {
                let mut pl = pm;
                while pl > a && cmp(&v[pl - 1], &v[pl]) == Ordering::Greater {
                    v.swap(pl, pl - 1);
                    pl -= 1;
                }
            }
            return;
        }
        let mut pm = a + n / 2;
        if n > 7 {
            let (mut pl, mut pn) = (a, a + n - 1);
            if n > 40 {
                let d = n / 8;
                pl = med3(v, pl, pl + d, pl + 2 * d);
                pm = med3(v, pm - d, pm, pm + d);
                pn = med3(v, pn - 2 * d, pn - d, pn);
            }
            pm = med3(v, pl, pm, pn);
        }
        v.swap(a, pm);
        let (mut pa, mut pb) = (a + 1, a + 1);
        let (mut pc, mut pd) = (a + n - 1, a + n - 1);
        loop {
            while pb <= pc {
                let c = cmp(&v[pb], &v[a]);
                if c == Ordering::Greater {
                    break;
                }
                if c == Ordering::Equal {
                    v.swap(pa, pb);
                    pa += 1;
                }
                pb += 1;
            }
            while pb <= pc {
                let c = cmp(&v[pc], &v[a]);
                if c == Ordering::Less {
                    break;
                }
                if c == Ordering::Equal {
                    v.swap(pc, pd);
                    pd -= 1;
                }
                pc -= 1;
            }
            if pb > pc {
                break;
            }
            v.swap(pb, pc);
            pb += 1;
            pc -= 1;
        }
        let pn = a + n;
        let r = (pa - a).min(pb - pa);
        vecswap(v, a, pb - r, r);
        let r = (pd - pc).min(pn - pd - 1);
        vecswap(v, pb, pn - r, r);
        let r = pb - pa;
        if r > 1 && !outside(a, r) {
            pqsort_from(v, a, r, cmp, lrange, rrange);
        }
        let r = pd - pc;
        if r > 1 && !outside(pn - r, r) {
            // Iterate rather than recurse, as the C code does.
            a = pn - r;
            n = r;
            continue;
        }
        return;
    }
}

/// `pqsort` on the sub-slice `v[a..a + n]`, keeping positions relative to the whole slice.
fn pqsort_from<T>(
    v: &mut [T],
    a: usize,
    n: usize,
    cmp: &impl Fn(&T, &T) -> Ordering,
    lrange: i64,
    rrange: i64,
) {
    pqsort(&mut v[a..a + n], cmp, lrange - a as i64, rrange - a as i64);
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

    #[test]
    fn pqsort_sorts_the_asked_range_like_a_full_sort() {
        let mut rng = fastrand::Rng::with_seed(3);
        for n in [0usize, 1, 5, 7, 8, 40, 41, 100, 333] {
            for _ in 0..20 {
                let v: Vec<u32> = (0..n).map(|_| rng.u32(..50)).collect();
                let mut full = v.clone();
                full.sort();
                let (l, r) = if n == 0 {
                    (0, -1)
                } else {
                    let a = rng.usize(..n);
                    let b = rng.usize(a..n);
                    (a as i64, b as i64)
                };
                let mut part = v.clone();
                pqsort(&mut part, &|a: &u32, b: &u32| a.cmp(b), l, r);
                if n > 0 {
                    assert_eq!(
                        part[l as usize..=r as usize],
                        full[l as usize..=r as usize],
                        "n={n} {l}..={r}"
                    );
                }
                let mut whole = v.clone();
                pqsort(&mut whole, &|a: &u32, b: &u32| a.cmp(b), 0, n as i64 - 1);
                assert_eq!(whole, full);
            }
        }
    }
}
