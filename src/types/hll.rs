//! HyperLogLog as Redis 7.0 stores it in a string, so that `GET` of an HLL key gives the
//! same bytes and `PFCOUNT` the same number as Redis for the same elements.
//!
//! The layout (facts from Redis's `hyperloglog.c`): a 16-byte header — `HYLL`, an encoding
//! byte (0 dense, 1 sparse), three unused bytes and an 8-byte little-endian cached
//! cardinality whose top bit marks it stale — then 16384 six-bit registers, either packed
//! (dense, 12288 bytes, least significant bits first) or run-length coded (sparse):
//! `00xxxxxx` a run of 1–64 zero registers, `01xxxxxx yyyyyyyy` a run of 1–16384 zeros,
//! `1vvvvvxx` a run of 1–4 registers holding 1–32. An element is hashed with MurmurHash64A
//! (seed 0xadc83b19); the low 14 bits pick the register, the run of zeros after them (plus
//! one) is what the register may be raised to. The estimate is Ertl's improved estimator
//! over the histogram of register values.

pub const HDR: usize = 16;
const P: u32 = 14;
const Q: u32 = 64 - P;
pub const REGISTERS: usize = 1 << P;
const BITS: usize = 6;
const REGISTER_MAX: u8 = (1 << BITS) - 1;
pub const DENSE_LEN: usize = HDR + (REGISTERS * BITS).div_ceil(8);
/// Redis's default `hll-sparse-max-bytes`.
pub const SPARSE_MAX_BYTES: usize = 3000;

const DENSE: u8 = 0;
const SPARSE: u8 = 1;

const XZERO_BIT: u8 = 0x40;
const VAL_BIT: u8 = 0x80;
const VAL_MAX_VALUE: u8 = 32;
const VAL_MAX_LEN: usize = 4;
const ZERO_MAX_LEN: usize = 64;
const XZERO_MAX_LEN: usize = 16384;
const ALPHA_INF: f64 = 0.721_347_520_444_481_7;

/// The sparse or dense registers of a stored HLL.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Encoding {
    Dense,
    Sparse,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Dense => "dense",
            Encoding::Sparse => "sparse",
        }
    }
}

/// The registers of a stored HLL do not add up: Redis's `INVALIDOBJ` case.
#[derive(Debug, PartialEq, Eq)]
pub struct Corrupt;

// ---- the hash ----

/// MurmurHash64A, little-endian word order, as Redis computes it.
pub fn murmur64a(data: &[u8], seed: u64) -> u64 {
    const M: u64 = 0xc6a4_a793_5bd1_e995;
    const R: u32 = 47;
    let mut h = seed ^ (data.len() as u64).wrapping_mul(M);
    let mut words = data.chunks_exact(8);
    for w in &mut words {
        let mut k = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h ^= k;
        h = h.wrapping_mul(M);
    }
    let tail = words.remainder();
    if !tail.is_empty() {
        for (i, &b) in tail.iter().enumerate() {
            h ^= u64::from(b) << (8 * i);
        }
        h = h.wrapping_mul(M);
    }
    h ^= h >> R;
    h = h.wrapping_mul(M);
    h ^= h >> R;
    h
}

/// The register an element goes to and the value it may raise it to (1..=51).
pub fn pattern(element: &[u8]) -> (usize, u8) {
    let hash = murmur64a(element, 0xadc8_3b19);
    let index = (hash as usize) & (REGISTERS - 1);
    let rest = (hash >> P) | (1u64 << Q);
    (index, rest.trailing_zeros() as u8 + 1)
}

// ---- registers ----

fn dense_get(regs: &[u8], i: usize) -> u8 {
    let bit = i * BITS;
    let (byte, shift) = (bit / 8, bit % 8);
    let lo = u16::from(regs.get(byte).copied().unwrap_or(0));
    let hi = u16::from(regs.get(byte + 1).copied().unwrap_or(0));
    (((lo | (hi << 8)) >> shift) as u8) & REGISTER_MAX
}

fn dense_set(regs: &mut [u8], i: usize, v: u8) {
    let bit = i * BITS;
    let (byte, shift) = (bit / 8, bit % 8);
    let mask = u16::from(REGISTER_MAX) << shift;
    let word = (u16::from(v & REGISTER_MAX)) << shift;
    if let Some(b) = regs.get_mut(byte) {
        *b = (*b & !(mask as u8)) | word as u8;
    }
    if let Some(b) = regs.get_mut(byte + 1) {
        *b = (*b & !((mask >> 8) as u8)) | (word >> 8) as u8;
    }
}

fn is_zero(op: u8) -> bool {
    op & 0xc0 == 0
}
fn is_xzero(op: u8) -> bool {
    op & 0xc0 == XZERO_BIT
}
fn is_val(op: u8) -> bool {
    op & VAL_BIT != 0
}
fn val_value(op: u8) -> u8 {
    ((op >> 2) & 0x1f) + 1
}
fn val_len(op: u8) -> usize {
    usize::from(op & 0x3) + 1
}
fn val_op(value: u8, len: usize) -> u8 {
    (((value - 1) << 2) | (len as u8 - 1)) | VAL_BIT
}
fn push_zeros(seq: &mut Vec<u8>, len: usize) {
    if len > ZERO_MAX_LEN {
        let l = len - 1;
        seq.push(((l >> 8) as u8) | XZERO_BIT);
        seq.push(l as u8);
    } else {
        seq.push((len - 1) as u8);
    }
}

/// One sparse opcode at `p`: (registers it covers, value, bytes it takes). A two-byte
/// opcode cut short by the end reads a zero second byte, as Redis reads the string's
/// terminator.
fn opcode(b: &[u8], p: usize) -> (usize, u8, usize) {
    let op = b[p];
    if is_zero(op) {
        (usize::from(op & 0x3f) + 1, 0, 1)
    } else if is_xzero(op) {
        let lo = usize::from(b.get(p + 1).copied().unwrap_or(0));
        (((usize::from(op & 0x3f)) << 8 | lo) + 1, 0, 2)
    } else {
        (val_len(op), val_value(op), 1)
    }
}

// ---- the stored value ----

/// A new, empty HLL: sparse, one run of 16384 zeros.
pub fn new_sparse() -> Vec<u8> {
    let mut b = vec![0u8; HDR];
    b[..4].copy_from_slice(b"HYLL");
    b[4] = SPARSE;
    let mut left = REGISTERS;
    while left > 0 {
        let run = left.min(XZERO_MAX_LEN);
        push_zeros(&mut b, run);
        left -= run;
    }
    b
}

/// The encoding of a string that is a valid HLL, or None (Redis's isHLLObjectOrReply:
/// the magic, a known encoding, and the exact size for dense).
pub fn check(b: &[u8]) -> Option<Encoding> {
    if b.len() < HDR || &b[..4] != b"HYLL" {
        return None;
    }
    match b[4] {
        DENSE if b.len() == DENSE_LEN => Some(Encoding::Dense),
        SPARSE => Some(Encoding::Sparse),
        _ => None,
    }
}

fn encoding(b: &[u8]) -> Encoding {
    if b[4] == DENSE {
        Encoding::Dense
    } else {
        Encoding::Sparse
    }
}

pub fn invalidate_cache(b: &mut [u8]) {
    b[15] |= 0x80;
}

/// Add an element: whether a register was raised.
pub fn add(b: &mut Vec<u8>, element: &[u8], sparse_max: usize) -> Result<bool, Corrupt> {
    let (index, count) = pattern(element);
    set(b, index, count, sparse_max)
}

/// Raise register `index` to `count` if lower: whether it was.
pub fn set(b: &mut Vec<u8>, index: usize, count: u8, sparse_max: usize) -> Result<bool, Corrupt> {
    match encoding(b) {
        Encoding::Dense => Ok(dense_raise(&mut b[HDR..], index, count)),
        Encoding::Sparse => sparse_set(b, index, count, sparse_max),
    }
}

fn dense_raise(regs: &mut [u8], index: usize, count: u8) -> bool {
    if count > dense_get(regs, index) {
        dense_set(regs, index, count);
        true
    } else {
        false
    }
}

/// Walk a sparse HLL's value runs: `f(first register, how many, value)` for each. Fails,
/// as Debian's 7.0.15 does (with the CVE-2025-32023 fix), when a value run passes the last
/// register, even where the zeros add up, and when the runs don't cover 16384 registers.
fn each_value_run(b: &[u8], mut f: impl FnMut(usize, usize, u8)) -> Result<(), Corrupt> {
    let mut idx = 0;
    let mut p = HDR;
    while p < b.len() {
        let (span, value, len) = opcode(b, p);
        if value > 0 {
            if idx + span > REGISTERS {
                return Err(Corrupt);
            }
            f(idx, span, value);
        }
        idx += span;
        p += len;
    }
    if idx == REGISTERS {
        Ok(())
    } else {
        Err(Corrupt)
    }
}

/// Rewrite a sparse HLL as dense; false if it was dense already.
pub fn to_dense(b: &mut Vec<u8>) -> Result<bool, Corrupt> {
    if encoding(b) == Encoding::Dense {
        return Ok(false);
    }
    let mut dense = vec![0u8; DENSE_LEN];
    dense[..HDR].copy_from_slice(&b[..HDR]);
    dense[4] = DENSE;
    each_value_run(b, |first, span, value| {
        for i in first..first + span {
            dense_set(&mut dense[HDR..], i, value);
        }
    })?;
    *b = dense;
    Ok(true)
}

/// Redis's in-place sparse update: split the opcode covering `index`, promote to dense
/// when the value does not fit a VAL opcode or the string would pass `sparse_max` bytes,
/// then merge equal neighbouring VAL opcodes near the change.
fn sparse_set(
    b: &mut Vec<u8>,
    index: usize,
    count: u8,
    sparse_max: usize,
) -> Result<bool, Corrupt> {
    if count > VAL_MAX_VALUE {
        return promote(b, index, count);
    }
    let end = b.len();
    let (mut p, mut first, mut span, mut prev) = (HDR, 0usize, 0usize, None);
    let mut oplen = 1;
    while p < end {
        let (s, _, len) = opcode(b, p);
        span = s;
        oplen = len;
        if index < first + span {
            break;
        }
        prev = Some(p);
        p += len;
        first += span;
    }
    if span == 0 || p >= end {
        return Err(Corrupt);
    }
    let op = b[p];
    let updated_in_place = if is_val(op) {
        if val_value(op) >= count {
            return Ok(false);
        }
        span == 1
    } else {
        is_zero(op) && span == 1
    };
    if updated_in_place {
        b[p] = val_op(count, 1);
    } else {
        let last = first + span - 1;
        let mut seq = Vec::with_capacity(5);
        if is_val(op) {
            let current = val_value(op);
            if index != first {
                seq.push(val_op(current, index - first));
            }
            seq.push(val_op(count, 1));
            if index != last {
                seq.push(val_op(current, last - index));
            }
        } else {
            if index != first {
                push_zeros(&mut seq, index - first);
            }
            seq.push(val_op(count, 1));
            if index != last {
                push_zeros(&mut seq, last - index);
            }
        }
        let new_len = (end + seq.len()).saturating_sub(oplen);
        if new_len > end && new_len > sparse_max {
            return promote(b, index, count);
        }
        let tail_from = (p + oplen).min(end);
        b.splice(p..tail_from, seq);
        b.truncate(new_len);
    }
    // Merge equal neighbouring VAL opcodes, looking at up to five opcodes from the one
    // before the change.
    let mut q = prev.unwrap_or(HDR);
    let mut scan = 5;
    while q < b.len() && scan > 0 {
        scan -= 1;
        let op = b[q];
        if is_xzero(op) {
            q += 2;
            continue;
        }
        if is_zero(op) {
            q += 1;
            continue;
        }
        if let Some(&next) = b.get(q + 1) {
            if is_val(next) && val_value(op) == val_value(next) {
                let len = val_len(op) + val_len(next);
                if len <= VAL_MAX_LEN {
                    b[q + 1] = val_op(val_value(op), len);
                    b.remove(q);
                    continue;
                }
            }
        }
        q += 1;
    }
    invalidate_cache(b);
    Ok(true)
}

fn promote(b: &mut Vec<u8>, index: usize, count: u8) -> Result<bool, Corrupt> {
    to_dense(b)?;
    Ok(dense_raise(&mut b[HDR..], index, count))
}

// ---- counting ----

/// How many registers hold each value; false if a sparse HLL does not cover exactly
/// 16384 registers.
fn histogram(b: &[u8], histo: &mut [u32; 64]) -> bool {
    match encoding(b) {
        Encoding::Dense => {
            for i in 0..REGISTERS {
                histo[usize::from(dense_get(&b[HDR..], i))] += 1;
            }
            true
        }
        Encoding::Sparse => {
            let mut idx = 0;
            let mut p = HDR;
            while p < b.len() {
                let (span, value, len) = opcode(b, p);
                histo[usize::from(value)] += span as u32;
                idx += span;
                p += len;
            }
            idx == REGISTERS
        }
    }
}

fn sigma(mut x: f64) -> f64 {
    if x == 1.0 {
        return f64::INFINITY;
    }
    let (mut y, mut z) = (1.0, x);
    for _ in 0..10_000 {
        x *= x;
        let before = z;
        z += x * y;
        y += y;
        if before == z {
            break;
        }
    }
    z
}

fn tau(mut x: f64) -> f64 {
    if x == 0.0 || x == 1.0 {
        return 0.0;
    }
    let (mut y, mut z) = (1.0, 1.0 - x);
    for _ in 0..10_000 {
        x = x.sqrt();
        let before = z;
        y *= 0.5;
        z -= (1.0 - x).powi(2) * y;
        if before == z {
            break;
        }
    }
    z / 3.0
}

/// Ertl's estimate from a register histogram, rounded as Redis rounds it.
fn estimate(histo: &[u32; 64]) -> u64 {
    let m = REGISTERS as f64;
    let q = Q as usize;
    let mut z = m * tau((m - f64::from(histo[q + 1])) / m);
    for j in (1..=q).rev() {
        z += f64::from(histo[j]);
        z *= 0.5;
    }
    z += m * sigma(f64::from(histo[0]) / m);
    let e = (ALPHA_INF * m * m / z).round();
    if e.is_finite() && e >= 0.0 {
        e as u64
    } else {
        0
    }
}

/// The cached cardinality if it is current.
fn cached(b: &[u8]) -> Option<u64> {
    (b[15] & 0x80 == 0).then(|| u64::from_le_bytes(b[8..16].try_into().unwrap_or([0; 8])))
}

/// PFCOUNT of one key: the cached count, or a fresh one written into the header (then
/// `true`: the value changed).
pub fn count(b: &mut [u8]) -> Result<(u64, bool), Corrupt> {
    if let Some(c) = cached(b) {
        return Ok((c, false));
    }
    let mut histo = [0u32; 64];
    if !histogram(b, &mut histo) {
        return Err(Corrupt);
    }
    let c = estimate(&histo);
    b[8..16].copy_from_slice(&c.to_le_bytes());
    Ok((c, true))
}

/// The estimate of a valid HLL without touching its cache (for the keyspace view).
pub fn estimate_of(b: &[u8]) -> Option<u64> {
    check(b)?;
    if let Some(c) = cached(b) {
        return Some(c);
    }
    let mut histo = [0u32; 64];
    histogram(b, &mut histo).then(|| estimate(&histo))
}

/// Registers as one byte each: the union PFCOUNT and PFMERGE work on.
pub struct Registers(Box<[u8; REGISTERS]>);

impl Default for Registers {
    fn default() -> Self {
        Registers(Box::new([0; REGISTERS]))
    }
}

impl Registers {
    /// Take the larger of each register and the stored HLL's.
    pub fn merge(&mut self, b: &[u8]) -> Result<(), Corrupt> {
        match encoding(b) {
            Encoding::Dense => {
                for (i, r) in self.0.iter_mut().enumerate() {
                    *r = (*r).max(dense_get(&b[HDR..], i));
                }
                Ok(())
            }
            Encoding::Sparse => each_value_run(b, |first, span, value| {
                for r in &mut self.0[first..first + span] {
                    *r = (*r).max(value);
                }
            }),
        }
    }

    pub fn count(&self) -> u64 {
        let mut histo = [0u32; 64];
        for &r in self.0.iter() {
            histo[usize::from(r & 63)] += 1;
        }
        estimate(&histo)
    }

    /// Write these registers into a stored HLL (PFMERGE's destination), register by
    /// register as Redis does, so a sparse destination ends in Redis's bytes.
    pub fn store(&self, b: &mut Vec<u8>, sparse_max: usize) {
        for (i, &r) in self.0.iter().enumerate() {
            if r > 0 {
                let _ = set(b, i, r, sparse_max);
            }
        }
        invalidate_cache(b);
    }
}

/// Every register's value (PFDEBUG GETREG reads a dense HLL).
pub fn registers(b: &[u8]) -> Vec<u8> {
    (0..REGISTERS).map(|i| dense_get(&b[HDR..], i)).collect()
}

/// PFDEBUG DECODE's text: `z:N` short zero runs, `Z:N` long ones, `v:VALUE,N` values.
pub fn decode(b: &[u8]) -> String {
    let mut out = Vec::new();
    let mut p = HDR;
    while p < b.len() {
        let op = b[p];
        let (span, value, len) = opcode(b, p);
        out.push(if is_zero(op) {
            format!("z:{span}")
        } else if is_xzero(op) {
            format!("Z:{span}")
        } else {
            format!("v:{value},{span}")
        });
        p += len;
    }
    out.join(" ")
}

/// PFSELFTEST: registers keep what is written to them without disturbing neighbours, and
/// the estimate of a dense and a sparse HLL fed the same elements agree and stay within
/// six standard errors up to ten million elements. The error text on failure.
pub fn selftest(rng: &mut fastrand::Rng, sparse_max: usize) -> Result<(), String> {
    let mut dense = vec![0u8; DENSE_LEN];
    dense[..4].copy_from_slice(b"HYLL");
    let mut expect = vec![0u8; REGISTERS];
    for _ in 0..1000 {
        for (i, e) in expect.iter_mut().enumerate() {
            *e = rng.u8(..) & REGISTER_MAX;
            dense_set(&mut dense[HDR..], i, *e);
        }
        for (i, &e) in expect.iter().enumerate() {
            let got = dense_get(&dense[HDR..], i);
            if got != e {
                return Err(format!(
                    "TESTFAILED Register {i} should be {e} but is {got}"
                ));
            }
        }
    }
    dense[HDR..].fill(0);
    let mut sparse = new_sparse();
    let relerr = 1.04 / (REGISTERS as f64).sqrt();
    let seed = rng.u64(..);
    let mut checkpoint: u64 = 1;
    // Once the sparse HLL has turned dense, both hold the same registers and take the same
    // additions: the rest of the run feeds the dense one only (half the work, same checks).
    let mut both = true;
    for j in 1..=10_000_000u64 {
        let ele = (j ^ seed).to_le_bytes();
        add(&mut dense, &ele, sparse_max).map_err(|_| "TESTFAILED corrupted".to_string())?;
        if both {
            add(&mut sparse, &ele, sparse_max).map_err(|_| "TESTFAILED corrupted".to_string())?;
            if encoding(&sparse) == Encoding::Dense && sparse[HDR..] == dense[HDR..] {
                both = false;
            }
        }
        if j != checkpoint {
            continue;
        }
        if j < (sparse_max / 2) as u64 && encoding(&sparse) != Encoding::Sparse {
            return Err("TESTFAILED sparse encoding not used".into());
        }
        let mut hd = [0u32; 64];
        histogram(&dense, &mut hd);
        let got = estimate(&hd);
        if both {
            let mut hs = [0u32; 64];
            histogram(&sparse, &mut hs);
            if got != estimate(&hs) {
                return Err("TESTFAILED dense/sparse disagree".into());
            }
        }
        let abserr = checkpoint.abs_diff(got);
        let maxerr = if j == 10 {
            1
        } else {
            (relerr * 6.0 * checkpoint as f64).ceil() as u64
        };
        if abserr > maxerr {
            return Err(format!(
                "TESTFAILED Too big error. card:{checkpoint} abserr:{abserr}"
            ));
        }
        checkpoint *= 10;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_hll_is_one_long_zero_run() {
        let b = new_sparse();
        assert_eq!(b.len(), 18);
        assert_eq!(decode(&b), "Z:16384");
        assert_eq!(check(&b), Some(Encoding::Sparse));
    }

    #[test]
    fn dense_registers_do_not_disturb_their_neighbours() {
        let mut regs = vec![0u8; DENSE_LEN - HDR];
        for i in 0..REGISTERS {
            dense_set(&mut regs, i, (i % 64) as u8);
        }
        for i in 0..REGISTERS {
            assert_eq!(dense_get(&regs, i), (i % 64) as u8);
        }
    }

    #[test]
    fn sparse_and_dense_agree() {
        let mut s = new_sparse();
        let mut d = new_sparse();
        to_dense(&mut d).unwrap();
        for i in 0..2000u32 {
            let e = i.to_string();
            assert_eq!(
                add(&mut s, e.as_bytes(), 1 << 20),
                add(&mut d, e.as_bytes(), 1 << 20)
            );
        }
        invalidate_cache(&mut s);
        invalidate_cache(&mut d);
        assert_eq!(count(&mut s).unwrap().0, count(&mut d).unwrap().0);
        let mut dd = s.clone();
        to_dense(&mut dd).unwrap();
        assert_eq!(dd[HDR..], d[HDR..]);
    }

    #[test]
    fn corrupt_runs_are_refused_not_panicked_on() {
        let mut b = new_sparse();
        b.truncate(17);
        invalidate_cache(&mut b);
        assert_eq!(count(&mut b), Err(Corrupt));
        let mut b = new_sparse();
        b.push(0x80);
        assert!(to_dense(&mut b).is_err());
    }
}
