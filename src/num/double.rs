//! Doubles exactly as Redis 7.0 reads and writes them (on glibc, x86-64).
//!
//! Reading: Redis's `string2d` hands the whole argument to C `strtod` and refuses it when
//! the argument is empty, starts with a space, is not consumed entirely, overflows, underflows
//! to zero, or is NaN. Because every one of those refusals only cares whether the *whole*
//! string is a valid `strtod` number, [`parse`] first checks the string against strtod's
//! grammar (see [`lex`]) and then converts it:
//!
//! - decimal numbers are reduced to "significant digits × 10^k"; exponents far outside the
//!   double range are decided without converting (overflow / underflow), the rest go to
//!   Rust's `f64::from_str`, which is correctly rounded like glibc;
//! - hexadecimal numbers (`0x1.8p3`) are exact in binary, so the leading 30 hex digits are
//!   gathered into a `u128` (plus a "some nonzero digit was dropped" flag) and rounded once,
//!   half to even, to 53 bits or to the subnormal grid;
//! - `inf` / `infinity` in any case are accepted because strtod returns them without ERANGE.
//!
//! glibc is correctly rounded except for one quirk on subnormal results, which we copy (see
//! [`round_bits`]); for decimals it can only matter in the top subnormal binade, where we
//! redo the conversion exactly with the big-integer code of the sibling `ldouble` module.
//! The grammar check and the rounding routine here are shared with `ldouble` (strtold).
//!
//! Writing: [`fmt_g17`] is `printf("%.17g")`: the exactly rounded (ties to even) 17
//! significant digits glibc gives, laid out the way `%g` does (fixed notation when the
//! decimal exponent X satisfies -4 <= X < 17, scientific otherwise, trailing zeros removed,
//! at least two exponent digits). The digits come from exact integer arithmetic for
//! integral scores and for everything from about 1e-22 to 1e38 (see [`G17`]); the rest
//! goes through Rust's exact `{:.16e}`, which is also the reference the fast paths are
//! tested against. [`G17`] keeps the text on the stack; [`fmt_g17_into`] appends it.

/// A number that matched strtod's grammar, split into its parts (all slices are ASCII digits).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Lexed<'a> {
    /// `inf` or `infinity`, any case.
    Inf { neg: bool },
    /// `int.frac e exp` in decimal; at least one of `int` / `frac` is non-empty.
    Dec {
        neg: bool,
        int: &'a [u8],
        frac: &'a [u8],
        exp: i64,
    },
    /// `0x int.frac p exp`: hex digits, binary exponent (saturated to +-10^15).
    Hex {
        neg: bool,
        int: &'a [u8],
        frac: &'a [u8],
        exp: i64,
    },
}

/// Exponents are saturated here; far beyond any float range yet safe from overflow.
const EXP_CLAMP: i64 = 1_000_000_000_000_000;

fn take_while(s: &[u8], pos: usize, f: impl Fn(u8) -> bool) -> usize {
    let mut end = pos;
    while s.get(end).is_some_and(|&c| f(c)) {
        end += 1;
    }
    end
}

/// Checks that all of `s` is one number in the grammar of C `strtod` (C locale, no leading
/// whitespace) and splits it. NaN spellings, empty input and any leftover byte give None.
pub(crate) fn lex(s: &[u8]) -> Option<Lexed<'_>> {
    let (neg, body) = match s.first()? {
        b'-' => (true, s.get(1..)?),
        b'+' => (false, s.get(1..)?),
        _ => (false, s),
    };
    if body.eq_ignore_ascii_case(b"inf") || body.eq_ignore_ascii_case(b"infinity") {
        return Some(Lexed::Inf { neg });
    }
    let hex = matches!(body, [b'0', x, _, ..] if x | 0x20 == b'x');
    let (start, is_digit, exp_mark): (usize, fn(u8) -> bool, u8) = if hex {
        (2, |c: u8| c.is_ascii_hexdigit(), b'p')
    } else {
        (0, |c: u8| c.is_ascii_digit(), b'e')
    };
    let int_end = take_while(body, start, is_digit);
    let int = body.get(start..int_end)?;
    let mut pos = int_end;
    let mut frac: &[u8] = &[];
    if body.get(pos) == Some(&b'.') {
        let frac_end = take_while(body, pos + 1, is_digit);
        frac = body.get(pos + 1..frac_end)?;
        pos = frac_end;
    }
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let mut exp: i64 = 0;
    if let Some(&c) = body.get(pos) {
        if c | 0x20 != exp_mark {
            return None;
        }
        pos += 1;
        let exp_neg = match body.get(pos) {
            Some(b'-') => {
                pos += 1;
                true
            }
            Some(b'+') => {
                pos += 1;
                false
            }
            _ => false,
        };
        let digits_end = take_while(body, pos, |c| c.is_ascii_digit());
        let digits = body.get(pos..digits_end)?;
        if digits.is_empty() || digits_end != body.len() {
            return None;
        }
        for &d in digits {
            exp = (exp * 10 + i64::from(d - b'0')).min(EXP_CLAMP);
        }
        if exp_neg {
            exp = -exp;
        }
    }
    Some(if hex {
        Lexed::Hex {
            neg,
            int,
            frac,
            exp,
        }
    } else {
        Lexed::Dec {
            neg,
            int,
            frac,
            exp,
        }
    })
}

/// Gathers hex digits into at most 30 significant digits (120 bits). Returns (m, e, sticky)
/// with value = (m + something in [0, 1) if sticky) * 2^e; when sticky is set, m >= 2^116.
pub(crate) fn hex_mantissa(int: &[u8], frac: &[u8], exp: i64) -> (u128, i64, bool) {
    let mut m: u128 = 0;
    let mut kept = 0u32;
    let mut e = exp;
    let mut sticky = false;
    for (i, &c) in int.iter().chain(frac.iter()).enumerate() {
        let d = match c {
            b'0'..=b'9' => c - b'0',
            _ => (c | 0x20).wrapping_sub(b'a').wrapping_add(10),
        };
        let in_frac = i >= int.len();
        if kept < 30 {
            if m != 0 || d != 0 {
                m = (m << 4) | u128::from(d);
                kept += 1;
            }
            if in_frac {
                e = e.saturating_sub(4);
            }
        } else {
            sticky |= d != 0;
            if !in_frac {
                e = e.saturating_add(4);
            }
        }
    }
    (m, e.clamp(-EXP_CLAMP, EXP_CLAMP), sticky)
}

/// Rounds (m + sticky) * 2^e to `prec` bits, half to even, never below exponent `emin`
/// (gradual underflow). Returns (q, te) with value ~ q * 2^te and q < 2^prec.
/// Precondition: if `sticky`, m has at least prec + 2 bits.
///
/// `glibc_quirk` reproduces glibc's strtod/strtold (2.36) on subnormal results: it first cuts
/// the exact value to `prec` significant bits plus one round bit plus "more bits", and when it
/// then shifts into the subnormal range it forgets that round bit (only the bits *below* it
/// still count as sticky). So `0x1.0000000000000001p-16446` reads as 0 (refused as underflow)
/// where correct rounding gives the least subnormal. Arithmetic (the x87) rounds correctly.
pub(crate) fn round_bits(
    m: u128,
    e: i64,
    sticky: bool,
    prec: u32,
    emin: i64,
    glibc_quirk: bool,
) -> (u128, i64) {
    if m == 0 {
        return (0, emin);
    }
    let bits = i64::from(128 - m.leading_zeros());
    let natural = e + bits - i64::from(prec);
    let te = natural.max(emin);
    let shift = te - e;
    if shift <= 0 {
        // Fits exactly: shift left by at most prec - bits.
        return (m << ((-shift).min(127) as u32), te);
    }
    // Bits of m below the round bit (bit shift-1) count as sticky.
    let mut low = if shift > 128 {
        m
    } else {
        m & ((1u128 << ((shift - 1) as u32)) - 1)
    };
    if glibc_quirk && natural < emin && natural > e {
        // Forget the (prec+1)-th significant bit, at index natural - e - 1.
        low &= !(1u128 << ((natural - e - 1) as u32));
    }
    let (mut q, round) = match shift {
        129.. => (0, false),
        128 => (0, m >> 127 == 1),
        s => (m >> s as u32, (m >> (s - 1) as u32) & 1 == 1),
    };
    if round && (sticky || low != 0 || q & 1 == 1) {
        q += 1;
    }
    if q >> prec != 0 {
        return (q >> 1, te + 1);
    }
    (q, te)
}

fn pack(neg: bool, q: u128, te: i64) -> f64 {
    let sign = if neg { 1u64 << 63 } else { 0 };
    let bits = if q < 1 << 52 {
        q as u64 // zero or subnormal (te == -1074)
    } else {
        let biased = te + 1075;
        if biased >= 2047 {
            0x7ff0_0000_0000_0000
        } else {
            ((biased as u64) << 52) | (q as u64 & ((1 << 52) - 1))
        }
    };
    f64::from_bits(sign | bits)
}

/// Redis 7.0 `string2d`: C `strtod` over the whole string, refusing empty input, leading
/// whitespace, trailing garbage, overflow to +-inf, underflow to zero and NaN.
/// The literals `inf` / `infinity` (any case, optional sign) are accepted.
pub fn parse(s: &[u8]) -> Option<f64> {
    let signed = |neg: bool, v: f64| if neg { -v } else { v };
    match lex(s)? {
        Lexed::Inf { neg } => Some(signed(neg, f64::INFINITY)),
        Lexed::Hex {
            neg,
            int,
            frac,
            exp,
        } => {
            let (m, e, sticky) = hex_mantissa(int, frac, exp);
            if m == 0 {
                return Some(signed(neg, 0.0));
            }
            let (q, te) = round_bits(m, e, sticky, 53, -1074, true);
            let v = pack(neg, q, te);
            (v != 0.0 && v.is_finite()).then_some(v)
        }
        Lexed::Dec {
            neg,
            int,
            frac,
            exp,
        } => {
            // value = digits(int ++ frac) * 10^(exp - frac.len())
            let all: Vec<u8> = int.iter().chain(frac.iter()).copied().collect();
            let first = all.iter().position(|&c| c != b'0');
            let Some(first) = first else {
                return Some(signed(neg, 0.0));
            };
            let last = all.iter().rposition(|&c| c != b'0').unwrap_or(first);
            let digits = all.get(first..=last)?;
            let trailing = (all.len() - 1 - last) as i64;
            let k = exp - frac.len() as i64 + trailing;
            let nd = digits.len() as i64;
            if nd + k > 311 || nd + k < -326 {
                return None; // certainly overflows / underflows to zero
            }
            let text = format!("{}e{}", std::str::from_utf8(digits).ok()?, k);
            let mut v: f64 = text.parse().ok()?;
            // glibc's subnormal quirk (see `round_bits`) can only show in the top subnormal
            // binade, for exact values with at most 1076 decimals (glibc reads no more).
            if (f64::MIN_POSITIVE / 2.0..=f64::MIN_POSITIVE).contains(&v) && k >= -1076 {
                let (m, e, sticky) = super::ldouble::decimal_exact(digits, k);
                let (q, te) = round_bits(m, e, sticky, 53, -1074, true);
                v = pack(false, q, te);
            }
            (v != 0.0 && v.is_finite()).then_some(signed(neg, v))
        }
    }
}

/// C's `printf("%.17g", d)` (glibc), with infinities as `inf` / `-inf` and NaN as `nan`.
pub fn fmt_g17(d: f64) -> String {
    let mut g = G17::empty();
    if g.fast(d) {
        g.as_str().to_string()
    } else {
        fmt_g17_slow(d)
    }
}

/// [`fmt_g17`] appended to `out` (no allocation beyond `out`'s own growth).
pub fn fmt_g17_into(d: f64, out: &mut String) {
    out.push_str(G17::new(d).as_str());
}

/// The `%.17g` text of a double, kept on the stack: `G17::new(d).as_str()`.
///
/// Three exact fast paths, then the general one:
/// - integral values below 1e17 in magnitude print as the integer (-0 as `-0`);
/// - other integral values below 1e38 are rounded to 17 digits by `u128` division;
/// - non-integral values from 2^-73 (about 1.06e-22) on are multiplied exactly by a power
///   of ten in 192-bit integer arithmetic, so the 17 digits and the rounding (ties to even)
///   are exact;
/// - everything else (tinier values, subnormals, huge values, inf, nan) goes through
///   Rust's `{:.16e}` (exact, but some 10x slower) in `fmt_g17_slow`.
#[derive(Clone, Copy)]
pub struct G17 {
    buf: [u8; 32],
    len: u8,
}

impl G17 {
    pub fn new(d: f64) -> G17 {
        let mut g = G17::empty();
        if !g.fast(d) {
            g.len = 0;
            g.push(fmt_g17_slow(d).as_bytes());
        }
        g
    }

    fn empty() -> G17 {
        G17 {
            buf: [0; 32],
            len: 0,
        }
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..usize::from(self.len).min(self.buf.len())]
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII is ever written.
        std::str::from_utf8(self.as_bytes()).unwrap_or("")
    }

    fn push(&mut self, bytes: &[u8]) {
        let at = usize::from(self.len);
        let n = bytes.len().min(self.buf.len().saturating_sub(at));
        self.buf[at..at + n].copy_from_slice(&bytes[..n]);
        self.len += n as u8;
    }

    fn push_byte(&mut self, b: u8) {
        self.push(&[b]);
    }

    /// Writes `d` if one of the exact fast paths applies; false to take the slow path.
    fn fast(&mut self, d: f64) -> bool {
        if !d.is_finite() {
            return false;
        }
        let ax = d.abs();
        if d.is_sign_negative() {
            self.push_byte(b'-');
        }
        if ax < 1e17 {
            // Truncation is exact below 2^64, and an integer below 2^57 converts back exactly.
            let int = ax as u64;
            if int as f64 == ax {
                let mut digits = [0u8; 20];
                let n = write_u64(&mut digits, int);
                self.push(&digits[..n]);
                return true;
            }
        } else if ax < 1e38 {
            // Integral (every double from 2^53 on is); 18 to 38 digits.
            let int = ax as u128;
            let d = POW10.iter().position(|&p| int < p).unwrap_or(POW10.len());
            let Some(&div) = POW10.get(d.saturating_sub(17)) else {
                return false;
            };
            let (q, r) = (int / div, int % div);
            let (Ok(n), Some(twice)) = (u64::try_from(q), r.checked_mul(2)) else {
                return false;
            };
            self.digits(round_17(n, twice.cmp(&div), d as i32 - 1));
            return true;
        }
        match fraction_digits(ax) {
            Some(nx) => {
                self.digits(nx);
                true
            }
            None => false,
        }
    }

    /// Lays out 17 significant digits `n` (10^16 <= n < 10^17) with decimal exponent `x`
    /// the way `%g` does: fixed notation when -4 <= x < 17, scientific otherwise, trailing
    /// zeros removed, the exponent with a sign and at least two digits.
    fn digits(&mut self, (mut n, x): (u64, i32)) {
        let mut nd = 17usize;
        while n % 10 == 0 && nd > 1 {
            n /= 10;
            nd -= 1;
        }
        let mut buf = [0u8; 20];
        let len = write_u64(&mut buf, n);
        let digits = &buf[..len.min(nd)];
        if (-4..17).contains(&x) {
            if x >= 0 {
                let int_len = x as usize + 1;
                if digits.len() <= int_len {
                    self.push(digits);
                    for _ in digits.len()..int_len {
                        self.push_byte(b'0');
                    }
                } else {
                    self.push(&digits[..int_len]);
                    self.push_byte(b'.');
                    self.push(&digits[int_len..]);
                }
            } else {
                self.push(b"0.");
                for _ in 0..(-x - 1) {
                    self.push_byte(b'0');
                }
                self.push(digits);
            }
        } else {
            self.push(&digits[..1.min(digits.len())]);
            if digits.len() > 1 {
                self.push_byte(b'.');
                self.push(&digits[1..]);
            }
            self.push(if x < 0 { b"e-" } else { b"e+" });
            let e = x.unsigned_abs();
            if e < 10 {
                self.push_byte(b'0');
            }
            let mut ebuf = [0u8; 20];
            let elen = write_u64(&mut ebuf, u64::from(e));
            self.push(&ebuf[..elen]);
        }
    }
}

impl std::fmt::Display for G17 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// 10^0 ..= 10^38 (10^38 < 2^127).
const POW10: [u128; 39] = {
    let mut t = [1u128; 39];
    let mut i = 1;
    while i < t.len() {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

/// Writes `v` in decimal at the start of `out`; returns the number of digits.
fn write_u64(out: &mut [u8; 20], mut v: u64) -> usize {
    let mut tmp = [0u8; 20];
    let mut at = tmp.len();
    while v >= 100 {
        let pair = (v % 100) as usize;
        v /= 100;
        at -= 2;
        tmp[at] = b'0' + (pair / 10) as u8;
        tmp[at + 1] = b'0' + (pair % 10) as u8;
    }
    if v >= 10 {
        at -= 2;
        tmp[at] = b'0' + (v / 10) as u8;
        tmp[at + 1] = b'0' + (v % 10) as u8;
    } else {
        at -= 1;
        tmp[at] = b'0' + v as u8;
    }
    let n = tmp.len() - at;
    out[..n].copy_from_slice(&tmp[at..]);
    n
}

/// Rounds the 17-digit truncation `n` of a value with decimal exponent `x`, given how the
/// dropped part compares with one half: ties to even; 10^17 carries into the exponent.
fn round_17(n: u64, dropped: std::cmp::Ordering, x: i32) -> (u64, i32) {
    use std::cmp::Ordering::*;
    let up = dropped == Greater || (dropped == Equal && n & 1 == 1);
    let n = n + u64::from(up);
    if n == 100_000_000_000_000_000 {
        (10_000_000_000_000_000, x + 1)
    } else {
        (n, x)
    }
}

/// The 17 significant digits and decimal exponent of a positive, non-integral, normal
/// double from about 1e-22 on, computed exactly: with x = m * 2^e (m < 2^53, e < 0) and
/// q = 16 - X (X the decimal exponent), m * 10^q is an exact integer of at most 180 bits,
/// and shifting it right by -e bits gives the digits, the bits shifted out the rounding.
/// None outside that range.
fn fraction_digits(ax: f64) -> Option<(u64, i32)> {
    use std::cmp::Ordering::*;
    let bits = ax.to_bits();
    let biased = (bits >> 52) as i32 & 0x7ff;
    if biased == 0 || biased == 0x7ff {
        return None; // zero, subnormal, inf or nan
    }
    let m = (bits & ((1 << 52) - 1)) | (1 << 52);
    let k = 1075 - biased; // x = m / 2^k
    if k <= 0 {
        return None;
    }
    // floor(log10(2^e2)): the decimal exponent X is this or one more.
    let e2 = biased - 1023;
    let x_low = (e2 * 78_913) >> 18;
    let q = usize::try_from(16 - x_low).ok()?;
    let p10 = *POW10.get(q)?;
    // P = m * 10^q = hi * 2^64 + lo.
    let (m, p_hi, p_lo) = (u128::from(m), p10 >> 64, p10 & u128::from(u64::MAX));
    let low = m * p_lo;
    let hi = m * p_hi + (low >> 64);
    let lo = low as u64;
    // n = P >> k; `half` compares the bits shifted out with one half; `exact` if all zero.
    let k = k as u32;
    let (n, half, exact) = if k <= 64 {
        if hi >> k != 0 {
            return None;
        }
        let n = (hi << (64 - k)) | (u128::from(lo) >> k);
        let rem = u128::from(lo) & ((1u128 << k) - 1);
        (n, rem.cmp(&(1u128 << (k - 1))), rem == 0)
    } else if k < 128 + 64 {
        let s = k - 64;
        let n = hi >> s;
        let rem_hi = hi & ((1u128 << s) - 1);
        let half = rem_hi.cmp(&(1u128 << (s - 1))).then(lo.cmp(&0));
        (n, half, rem_hi == 0 && lo == 0)
    } else {
        return None;
    };
    let n = u64::try_from(n).ok()?;
    const LOW: u64 = 10_000_000_000_000_000;
    if n < LOW {
        None
    } else if n < 10 * LOW {
        Some(round_17(n, half, x_low))
    } else if n < 100 * LOW {
        // X is x_low + 1: drop one more digit, d, in front of the bits already dropped.
        let (n, d) = (n / 10, n % 10);
        let half = match d.cmp(&5) {
            Equal if exact => Equal,
            Equal => Greater,
            other => other,
        };
        Some(round_17(n, half, x_low + 1))
    } else {
        None
    }
}

/// `%.17g` through Rust's exact `{:.16e}` (Dragon4): the reference for every input.
fn fmt_g17_slow(d: f64) -> String {
    if d.is_nan() {
        return "nan".to_string();
    }
    if d.is_infinite() {
        return if d > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    // "[-]D.DDDDDDDDDDDDDDDDeX": 17 significant digits, exactly rounded, ties to even.
    let sci = format!("{:.16e}", d);
    let (neg, sci) = match sci.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, sci.as_str()),
    };
    let (mant, exp) = sci.split_once('e').unwrap_or((sci, "0"));
    let x: i32 = exp.parse().unwrap_or(0);
    let digits: Vec<u8> = mant.bytes().filter(u8::is_ascii_digit).collect();
    let mut out = String::with_capacity(32);
    if neg {
        out.push('-');
    }
    let push_trimmed = |out: &mut String, int: &[u8], frac: &[u8]| {
        out.extend(int.iter().map(|&c| c as char));
        let keep = frac.iter().rposition(|&c| c != b'0').map_or(0, |p| p + 1);
        if keep > 0 {
            out.push('.');
            out.extend(frac.iter().take(keep).map(|&c| c as char));
        }
    };
    if (-4..17).contains(&x) {
        if x >= 0 {
            let split = (x as usize + 1).min(digits.len());
            let (int, frac) = digits.split_at(split);
            push_trimmed(&mut out, int, frac);
        } else {
            let mut frac = vec![b'0'; (-x - 1) as usize];
            frac.extend_from_slice(&digits);
            push_trimmed(&mut out, b"0", &frac);
        }
    } else {
        let (int, frac) = digits.split_at(1.min(digits.len()));
        push_trimmed(&mut out, int, frac);
        out.push_str(&format!(
            "e{}{:02}",
            if x < 0 { '-' } else { '+' },
            x.unsigned_abs()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const VECTORS: &str = include_str!("double_vectors.txt");

    #[test]
    fn the_examples_from_the_spec_print_like_printf_g17() {
        let cases: &[(f64, &str)] = &[
            (1.0, "1"),
            (1.5, "1.5"),
            (0.1, "0.10000000000000001"),
            (1e20, "1e+20"),
            (1e-5, "1.0000000000000001e-05"),
            (-0.0, "-0"),
            (0.0, "0"),
            (123456789012345678.0, "1.2345678901234568e+17"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
            (1e16, "10000000000000000"),
            (1e17, "1e+17"),
            (0.0001, "0.0001"),
            (0.00001, "1.0000000000000001e-05"),
            (1e300, "1.0000000000000001e+300"),
            (5e-324, "4.9406564584124654e-324"),
        ];
        for &(d, want) in cases {
            assert_eq!(fmt_g17(d), want, "{d:e}");
        }
    }

    #[test]
    fn fmt_g17_edge_cases_print_like_glibc() {
        // Checked against glibc's printf("%.17g") and Redis 7.0's ZSCORE.
        let two53 = 9_007_199_254_740_992.0;
        let cases: &[(f64, &str)] = &[
            (0.0, "0"),
            (-0.0, "-0"),
            (two53, "9007199254740992"),
            (two53 + 2.0, "9007199254740994"),
            (-two53, "-9007199254740992"),
            (1e16, "10000000000000000"),
            (99_999_999_999_999_984.0, "99999999999999984"),
            (1e17, "1e+17"),
            (-1e17, "-1e+17"),
            (123_456_789_012_345_678.0, "1.2345678901234568e+17"),
            (18_446_744_073_709_551_616.0, "1.8446744073709552e+19"),
            (1e20, "1e+20"),
            (1e23, "9.9999999999999992e+22"),
            (1e38, "9.9999999999999998e+37"),
            (f64::MAX, "1.7976931348623157e+308"),
            (f64::MIN_POSITIVE, "2.2250738585072014e-308"),
            (-f64::MIN_POSITIVE, "-2.2250738585072014e-308"),
            (5e-324, "4.9406564584124654e-324"),
            (
                f64::from_bits(0x000f_ffff_ffff_ffff),
                "2.2250738585072009e-308",
            ),
            (1e-300, "1e-300"),
            (1e300, "1.0000000000000001e+300"),
            (1e-22, "1e-22"),
            (1e-23, "9.9999999999999996e-24"),
            // Rounds up to a power of ten: the exponent carries.
            (1e-14, "1e-14"),
            (0.0001, "0.0001"),
            (9.999_999_999_999_999e-5, "9.9999999999999991e-05"),
            // Exact ties at the 18th digit go to the even digit.
            (1_125_899_906_842_624.0 + 0.25, "1125899906842624.2"),
            (1_125_899_906_842_624.0 + 0.75, "1125899906842624.8"),
            (4_503_599_627_370_495.5, "4503599627370495.5"),
            (100.5, "100.5"),
            (123.456, "123.456"),
            (1e15, "1000000000000000"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
            (-f64::NAN, "nan"),
        ];
        for &(d, want) in cases {
            assert_eq!(fmt_g17(d), want, "{d:e}");
            assert_eq!(fmt_g17_slow(d), want, "slow {d:e}");
            let mut s = String::from("x");
            fmt_g17_into(d, &mut s);
            assert_eq!(s, format!("x{want}"));
            assert_eq!(G17::new(d).to_string(), want);
        }
    }

    #[test]
    fn fmt_g17_agrees_with_the_slow_path_around_every_boundary() {
        let check = |d: f64| {
            for v in [d, -d] {
                let got = G17::new(v);
                assert_eq!(got.as_str(), fmt_g17_slow(v), "{:016x}", v.to_bits());
                // The longest: `-2.2250738585072014e-308`.
                assert!(got.as_bytes().len() <= 24);
            }
        };
        // Powers of ten and two and their neighbours (the exponent estimate, carries,
        // the fixed/scientific switch, the fast paths' range ends).
        for n in -330..=310 {
            let Ok(p) = format!("1e{n}").parse::<f64>() else {
                continue;
            };
            let mut below = p;
            let mut above = p;
            for _ in 0..4 {
                check(below);
                check(above);
                below = f64::from_bits(below.to_bits().saturating_sub(1));
                above = f64::from_bits(above.to_bits() + 1);
            }
            for h in [0.5, 1.5, 2.5, 5.0, 9.5, 9.999_999_999_999_999_8] {
                check(p * h);
            }
        }
        for e in -1074..=1023 {
            let p = 2f64.powi(e);
            for v in [
                p,
                p * 1.5,
                p * (2.0 - f64::EPSILON),
                p * (1.0 + f64::EPSILON),
            ] {
                check(v);
            }
        }
        // Every integer near the 2^53 and 1e17 boundaries.
        for base in [9_007_199_254_740_992u64, 100_000_000_000_000_000] {
            for i in 0..2000 {
                check((base - 1000 + i) as f64);
            }
        }
        // A million pseudo-random bit patterns, and as many "short decimals".
        let mut rng = fastrand::Rng::with_seed(17);
        for _ in 0..1_000_000 {
            check(f64::from_bits(rng.u64(..)));
            let digits = rng.i64(-999_999_999..=999_999_999);
            let exp = rng.i32(-30..=30);
            if let Ok(v) = format!("{digits}e{exp}").parse::<f64>() {
                check(v);
            }
        }
    }

    #[test]
    fn the_fast_paths_cover_every_finite_value_from_1e_minus_21_to_1e38() {
        let mut rng = fastrand::Rng::with_seed(5);
        let (lo, hi) = (1e-21f64.to_bits(), 1e38f64.to_bits());
        for i in 0..200_000u64 {
            let d = match i % 2 {
                0 => f64::from_bits(rng.u64(lo..hi)),
                _ => rng.i64(-1 << 53..1 << 53) as f64 / 2f64.powi(rng.i32(0..60)),
            };
            let mut g = G17::empty();
            assert!(g.fast(d), "{d:e}");
        }
    }

    #[test]
    fn the_decimal_exponent_estimate_is_never_above_the_exponent() {
        for e2 in -1074..=1023i32 {
            let estimate = (e2 * 78_913) >> 18;
            let exact = (f64::from(e2) * std::f64::consts::LOG10_2).floor() as i32;
            assert!(estimate == exact || estimate == exact - 1, "{e2}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 20_000,
            ..proptest::prelude::ProptestConfig::default()
        })]

        #[test]
        fn fmt_g17_matches_the_slow_path_on_any_bit_pattern(bits in proptest::prelude::any::<u64>()) {
            let d = f64::from_bits(bits);
            proptest::prop_assert_eq!(fmt_g17(d), fmt_g17_slow(d));
        }

        #[test]
        fn fmt_g17_matches_the_slow_path_on_integers(i in proptest::prelude::any::<i64>(), shift in 0u32..80) {
            let d = (i >> (shift % 64)) as f64 * 2f64.powi((shift / 64 * 40) as i32);
            proptest::prop_assert_eq!(fmt_g17(d), fmt_g17_slow(d));
        }

        #[test]
        fn fmt_g17_matches_the_slow_path_on_short_decimals(
            digits in -10_000_000_000_000i64..10_000_000_000_000,
            exp in -40i32..40,
        ) {
            let d: f64 = format!("{digits}e{exp}").parse().unwrap_or(0.0);
            proptest::prop_assert_eq!(fmt_g17(d), fmt_g17_slow(d));
        }

        #[test]
        fn fmt_g17_matches_the_slow_path_on_dyadic_fractions(
            m in 0u64..(1 << 53),
            n in 0i32..140,
        ) {
            let d = m as f64 / 2f64.powi(n);
            proptest::prop_assert_eq!(fmt_g17(d), fmt_g17_slow(d));
        }
    }

    #[test]
    fn parse_accepts_and_refuses_like_string2d() {
        let ok: &[(&str, f64)] = &[
            ("0", 0.0),
            ("-0", -0.0),
            ("0e10", 0.0),
            ("0.0", 0.0),
            (".5", 0.5),
            ("5.", 5.0),
            ("+1E3", 1000.0),
            ("0x1p4", 16.0),
            ("0x1.8p1", 3.0),
            ("0X.8", 0.5),
            ("inf", f64::INFINITY),
            ("-Infinity", f64::NEG_INFINITY),
            ("+INF", f64::INFINITY),
            ("4.9e-324", 5e-324),
        ];
        for &(s, want) in ok {
            let got = parse(s.as_bytes());
            assert_eq!(got.map(f64::to_bits), Some(want.to_bits()), "{s:?}");
        }
        let bad = [
            "",
            " 1",
            "\t1",
            "1 ",
            "1e400",
            "-1e400",
            "1e-400",
            "nan",
            "NaN",
            "-nan",
            "nan(1)",
            "1e",
            "1e+",
            "e5",
            ".",
            "-",
            "+",
            "+-1",
            "0x",
            "0x.p1",
            "0x1p",
            "infin",
            "infinit",
            "1,5",
            "1.5.",
            "0x1p99999",
            "0x1p-99999",
            "1e-999999999999999999999999",
            "1\x000",
            "00x1",
            "1e999999999999999999999999",
        ];
        for s in bad {
            assert_eq!(parse(s.as_bytes()), None, "{s:?}");
        }
    }

    #[test]
    fn strtod_forgets_the_round_bit_of_subnormals_and_so_do_we() {
        // 2^-1075 + 2^-1128: correctly rounded that is 2^-1074, glibc gives 0 (refused).
        assert_eq!(parse(b"0x1.00000000000008p-1075"), None);
        // 2^-1073 + 2^-1075 + 2^-1126: glibc sees a tie and rounds to even.
        assert_eq!(parse(b"0x1.40000000000008p-1073"), Some(f64::from_bits(2)));
        assert_eq!(parse(b"0x1.40000000000004p-1073"), Some(f64::from_bits(3)));
        // Same quirk through the decimal path: exact 2^-1023 + 2^-1075 + 2^-1076.
        let n = (1u128 << 53) + 3; // × 2^-1076, written out exactly in decimal
        let mut digits = vec![0u32]; // little-endian base 10^9 of n × 5^1076
        let mut v = n;
        while v > 0 {
            digits.push((v % 1_000_000_000) as u32);
            v /= 1_000_000_000;
        }
        digits.remove(0);
        for _ in 0..1076 {
            let mut carry = 0u64;
            for d in digits.iter_mut() {
                let t = u64::from(*d) * 5 + carry;
                *d = (t % 1_000_000_000) as u32;
                carry = t / 1_000_000_000;
            }
            if carry > 0 {
                digits.push(carry as u32);
            }
        }
        let mut text = digits.last().map_or(String::new(), |d| d.to_string());
        for d in digits.iter().rev().skip(1) {
            text.push_str(&format!("{d:09}"));
        }
        text.push_str("e-1076");
        assert_eq!(parse(text.as_bytes()), Some(f64::from_bits(1 << 51)));
    }

    #[test]
    fn parse_matches_glibc_strtod_on_the_vector_table() {
        let mut n = 0;
        for line in VECTORS.lines().filter(|l| l.starts_with("P\t")) {
            let mut f = line.split('\t').skip(1);
            let (s, want) = (f.next().unwrap_or(""), f.next().unwrap_or(""));
            let got =
                parse(s.as_bytes()).map_or("ERR".to_string(), |v| format!("{:016x}", v.to_bits()));
            assert_eq!(got, want, "{s:?}");
            n += 1;
        }
        assert!(n > 300, "{n}");
    }

    #[test]
    fn fmt_g17_matches_glibc_printf_on_the_vector_table() {
        let mut n = 0;
        for line in VECTORS.lines().filter(|l| l.starts_with("G\t")) {
            let mut f = line.split('\t').skip(1);
            let (bits, want) = (f.next().unwrap_or(""), f.next().unwrap_or(""));
            let d = f64::from_bits(u64::from_str_radix(bits, 16).unwrap_or(0));
            assert_eq!(fmt_g17(d), want, "{bits}");
            n += 1;
        }
        assert!(n > 300, "{n}");
    }
}
