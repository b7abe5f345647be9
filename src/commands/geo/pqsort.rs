//! The partial quicksort Redis uses when GEORADIUS/GEOSEARCH with COUNT keeps fewer
//! results than it found (Bentley and McIlroy's three-way partitioning, recursing only into
//! the parts that overlap the wanted ranks). It is not stable, so members at equal
//! distances come out in the order this very algorithm leaves them: reproducing Redis's
//! reply byte for byte needs the same algorithm, not just any sort.

use std::cmp::Ordering;

/// Sort `v` enough that ranks `lo..=hi` hold what a full sort would put there.
pub fn partial_sort<T>(v: &mut [T], lo: usize, hi: usize, cmp: &impl Fn(&T, &T) -> Ordering) {
    sort_range(v, 0, v.len(), lo, hi, cmp);
}

fn med3<T>(v: &[T], a: usize, b: usize, c: usize, cmp: &impl Fn(&T, &T) -> Ordering) -> usize {
    if cmp(&v[a], &v[b]).is_lt() {
        if cmp(&v[b], &v[c]).is_lt() {
            b
        } else if cmp(&v[a], &v[c]).is_lt() {
            c
        } else {
            a
        }
    } else if cmp(&v[b], &v[c]).is_gt() {
        b
    } else if cmp(&v[a], &v[c]).is_lt() {
        a
    } else {
        c
    }
}

/// Swap `n` elements starting at `a` with `n` starting at `b`, pairwise.
fn swap_runs<T>(v: &mut [T], a: usize, b: usize, n: usize) {
    for i in 0..n {
        v.swap(a + i, b + i);
    }
}

/// Whether the wanted ranks `lo..=hi` miss the part `start..start + len` entirely.
fn outside(start: usize, len: usize, lo: usize, hi: usize) -> bool {
    let last = start + len - 1;
    (lo < start && hi < start) || (lo > last && hi > last)
}

fn sort_range<T>(
    v: &mut [T],
    mut a: usize,
    mut n: usize,
    lo: usize,
    hi: usize,
    cmp: &impl Fn(&T, &T) -> Ordering,
) {
    loop {
        if n < 7 {
            for m in a + 1..a + n {
                let mut l = m;
                while l > a && cmp(&v[l - 1], &v[l]).is_gt() {
                    v.swap(l, l - 1);
                    l -= 1;
                }
            }
            return;
        }
        let mut pm = a + n / 2;
        if n > 7 {
            let mut pl = a;
            let mut pn = a + n - 1;
            if n > 40 {
                let d = n / 8;
                pl = med3(v, pl, pl + d, pl + 2 * d, cmp);
                pm = med3(v, pm - d, pm, pm + d, cmp);
                pn = med3(v, pn - 2 * d, pn - d, pn, cmp);
            }
            pm = med3(v, pl, pm, pn, cmp);
        }
        v.swap(a, pm);
        // Positions as offsets that may step one below `a + 1` (pc, pd): kept signed.
        let (mut pa, mut pb) = (a + 1, a + 1);
        let (mut pc, mut pd) = ((a + n - 1) as isize, (a + n - 1) as isize);
        loop {
            while pb as isize <= pc {
                let r = cmp(&v[pb], &v[a]);
                if r.is_gt() {
                    break;
                }
                if r.is_eq() {
                    v.swap(pa, pb);
                    pa += 1;
                }
                pb += 1;
            }
            while pb as isize <= pc {
                let r = cmp(&v[pc as usize], &v[a]);
                if r.is_lt() {
                    break;
                }
                if r.is_eq() {
                    v.swap(pc as usize, pd as usize);
                    pd -= 1;
                }
                pc -= 1;
            }
            if pb as isize > pc {
                break;
            }
            v.swap(pb, pc as usize);
            pb += 1;
            pc -= 1;
        }
        let pn = a + n;
        let r = (pa - a).min(pb - pa);
        swap_runs(v, a, pb - r, r);
        let (pc, pd) = (pc as usize, pd as usize);
        let r = (pd - pc).min(pn - pd - 1);
        swap_runs(v, pb, pn - r, r);
        let left = pb - pa;
        if left > 1 && !outside(a, left, lo, hi) {
            sort_range(v, a, left, lo, hi, cmp);
        }
        let right = pd - pc;
        if right > 1 {
            a = pn - right;
            n = right;
            if !outside(a, n, lo, hi) {
                continue;
            }
        }
        return;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wanted_ranks_hold_what_a_full_sort_puts_there() {
        let mut rng = fastrand::Rng::with_seed(3);
        for _ in 0..300 {
            let n = rng.usize(1..200);
            let v: Vec<u32> = (0..n).map(|_| rng.u32(..50)).collect();
            let mut full = v.clone();
            full.sort();
            let hi = rng.usize(..n);
            let mut part = v.clone();
            partial_sort(&mut part, 0, hi, &|a: &u32, b: &u32| a.cmp(b));
            assert_eq!(part[..=hi], full[..=hi]);
            let mut all = v.clone();
            partial_sort(&mut all, 0, n - 1, &|a: &u32, b: &u32| a.cmp(b));
            assert_eq!(all, full);
        }
    }
}
