//! An exact software model of the x87 80-bit `long double`, for INCRBYFLOAT / HINCRBYFLOAT.
//!
//! Redis parses both operands with `strtold`, adds them in `long double` and prints the sum
//! with `%.17Lf`, trimmed. WebAssembly has no 80-bit type, so this module reproduces the
//! three steps bit for bit:
//!
//! - **Format.** [`LongDouble`] stores sign, 15-bit biased exponent and a 64-bit significand
//!   with an explicit integer bit, exactly like the x87 register format. Every finite value is
//!   `significand × 2^e` with `e = exponent - 16383 - 63` (exponent 0 means subnormal, with
//!   the same scale as exponent 1). All rounding goes through one routine that rounds an
//!   exact binary value, half to even, to 64 bits (or to the subnormal grid).
//! - **Parsing.** The string is checked against strtold's grammar (shared with `double`).
//!   A decimal `D × 10^k` is turned into an exact fraction `num / den` of big integers;
//!   we pick a power of two so that the integer quotient has 67 bits, divide exactly, and
//!   the remainder becomes the sticky bit. One rounding of an exact value is what glibc's
//!   strtold does, so the result matches it. Exponents that certainly overflow or underflow
//!   are decided before any big arithmetic, so `1e999999999` costs nothing.
//! - **Adding.** Both significands are aligned in a `u128` with 63 guard bits; bits shifted
//!   beyond that are folded into the lowest bit (sticky "jamming"), which cannot change the
//!   rounding because the result then has at least 126 significant bits.
//! - **Printing.** `%.17Lf` is the exact value rounded to 17 decimals, ties to even. For
//!   negative binary exponents `m × 10^17 / 2^s` fits in a `u128`; for non-negative ones the
//!   value is an integer and is printed with a small big-integer decimal conversion.

use super::double::{hex_mantissa, lex, round_bits, Lexed};
use std::cmp::Ordering;

/// x87 extended precision: 64-bit significand, exponent bias 16383.
const PREC: u32 = 64;
/// Scale of subnormals (and of exponent 1): the least significant bit is 2^-16445.
const EMIN: i64 = -16445;
/// Redis's MAX_LONG_DOUBLE_CHARS: strings this long or longer are refused.
const MAX_CHARS: usize = 5 * 1024;

/// An x87 80-bit extended-precision number.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LongDouble {
    sign: bool,
    /// Biased exponent, 0..=0x7fff.
    exp: u16,
    /// Significand with explicit integer bit (bit 63).
    mant: u64,
}

impl LongDouble {
    pub const ZERO: LongDouble = LongDouble {
        sign: false,
        exp: 0,
        mant: 0,
    };
    const INF: LongDouble = LongDouble {
        sign: false,
        exp: 0x7fff,
        mant: 1 << 63,
    };
    /// The x87 "real indefinite" NaN that invalid operations produce.
    const NAN: LongDouble = LongDouble {
        sign: true,
        exp: 0x7fff,
        mant: 0xc000_0000_0000_0000,
    };

    fn with_sign(self, sign: bool) -> LongDouble {
        LongDouble { sign, ..self }
    }

    pub fn is_nan(&self) -> bool {
        self.exp == 0x7fff && self.mant << 1 != 0
    }

    pub fn is_infinite(&self) -> bool {
        self.exp == 0x7fff && self.mant << 1 == 0
    }

    pub fn is_finite(&self) -> bool {
        self.exp != 0x7fff
    }

    /// Finite value as (sign, m, e) meaning m × 2^e.
    fn unpack(&self) -> (bool, u64, i64) {
        let e = if self.exp == 0 {
            EMIN
        } else {
            i64::from(self.exp) - 16383 - 63
        };
        (self.sign, self.mant, e)
    }

    /// Rounds (m + sticky) × 2^e to the nearest long double, ties to even.
    /// If `sticky`, m must have at least 66 bits. `quirk`: strtold's subnormal rounding.
    fn round(sign: bool, m: u128, e: i64, sticky: bool, quirk: bool) -> LongDouble {
        let (q, te) = round_bits(m, e, sticky, PREC, EMIN, quirk);
        if q == 0 {
            return LongDouble::ZERO.with_sign(sign);
        }
        if q < 1 << 63 {
            return LongDouble {
                sign,
                exp: 0,
                mant: q as u64,
            };
        }
        let biased = te - EMIN + 1;
        if biased >= 0x7fff {
            return LongDouble::INF.with_sign(sign);
        }
        LongDouble {
            sign,
            exp: biased as u16,
            mant: q as u64,
        }
    }

    /// The exact long double equal to `v` (every double is one).
    pub fn from_f64(v: f64) -> LongDouble {
        if v.is_nan() {
            return LongDouble::NAN;
        }
        if v.is_infinite() {
            return LongDouble::INF.with_sign(v < 0.0);
        }
        let bits = v.to_bits();
        let exp = ((bits >> 52) & 0x7ff) as i64;
        let frac = bits & ((1 << 52) - 1);
        let (m, e) = if exp == 0 {
            (frac, -1074)
        } else {
            (frac | (1 << 52), exp - 1075)
        };
        LongDouble::round(v.is_sign_negative(), u128::from(m), e, false, false)
    }

    /// The exact long double equal to `v`.
    pub fn from_i64(v: i64) -> LongDouble {
        LongDouble::round(v < 0, u128::from(v.unsigned_abs()), 0, false, false)
    }

    /// The product with a small integer, rounded once, as the x87 multiplies.
    pub fn mul_small(self, k: u64) -> LongDouble {
        if !self.is_finite() {
            return if k == 0 && self.is_infinite() {
                LongDouble::NAN
            } else {
                self
            };
        }
        let (sign, m, e) = self.unpack();
        LongDouble::round(sign, u128::from(m) * u128::from(k), e, false, false)
    }

    /// C's `(long long)` cast on x86-64: truncate toward zero; NaN, infinities and values
    /// outside the i64 range give the "integer indefinite" value, i64::MIN.
    pub fn trunc_to_i64(&self) -> i64 {
        if !self.is_finite() {
            return i64::MIN;
        }
        let (sign, m, e) = self.unpack();
        let magnitude: u128 = if e >= 0 {
            if e >= 64
                || (u128::from(m) << e) >> 63 != 0 && !(sign && u128::from(m) << e == 1 << 63)
            {
                return i64::MIN;
            }
            u128::from(m) << e
        } else if e <= -64 {
            0
        } else {
            u128::from(m >> (-e) as u32)
        };
        if magnitude >= 1 << 63 {
            return i64::MIN; // only -2^63 itself gets here, and it is i64::MIN
        }
        let v = magnitude as i64;
        if sign {
            -v
        } else {
            v
        }
    }

    /// C's `(long long) ceill(x)` on x86-64: round up to an integer (exact in long
    /// double), then cast; out of range or not finite gives i64::MIN.
    pub fn ceil_to_i64(&self) -> i64 {
        let t = self.trunc_to_i64();
        if !self.is_finite() || t == i64::MIN {
            return t;
        }
        let (sign, m, e) = self.unpack();
        let has_fraction = match e {
            e if e >= 0 => false,
            e if e <= -64 => m != 0,
            e => m & ((1u64 << (-e) as u32) - 1) != 0,
        };
        if has_fraction && !sign {
            t.checked_add(1).unwrap_or(i64::MIN)
        } else {
            t
        }
    }

    /// The nearest f64 (ties to even), as a C cast `(double)` would give (the tests
    /// check parsing through it).
    #[cfg(test)]
    fn to_f64(self) -> f64 {
        if self.is_nan() {
            return f64::NAN;
        }
        let sign = if self.sign { -1.0 } else { 1.0 };
        if self.is_infinite() {
            return sign * f64::INFINITY;
        }
        let (_, m, e) = self.unpack();
        let (q, te) = round_bits(u128::from(m), e, false, 53, -1074, false);
        let bits = if q < 1 << 52 {
            q as u64
        } else if te + 1075 >= 2047 {
            0x7ff0_0000_0000_0000
        } else {
            (((te + 1075) as u64) << 52) | (q as u64 & ((1 << 52) - 1))
        };
        sign * f64::from_bits(bits)
    }

    /// IEEE addition, round to nearest even at 64 bits, as the x87 FPU does it.
    #[allow(clippy::should_implement_trait)]
    pub fn add(self, other: LongDouble) -> LongDouble {
        if self.is_nan() {
            return self;
        }
        if other.is_nan() {
            return other;
        }
        match (self.is_infinite(), other.is_infinite()) {
            (true, true) if self.sign != other.sign => return LongDouble::NAN,
            (true, _) => return self,
            (_, true) => return other,
            _ => {}
        }
        let (sa, ma, ea) = self.unpack();
        let (sb, mb, eb) = other.unpack();
        if ma == 0 && mb == 0 {
            return LongDouble::ZERO.with_sign(sa && sb);
        }
        if mb == 0 {
            return self;
        }
        if ma == 0 {
            return other;
        }
        // (sa, ma, ea) gets the larger exponent.
        let ((sa, ma, ea), (sb, mb, eb)) = if ea >= eb {
            ((sa, ma, ea), (sb, mb, eb))
        } else {
            ((sb, mb, eb), (sa, ma, ea))
        };
        let d = ea - eb;
        let a = u128::from(ma) << 63;
        let b = if d >= 127 {
            1 // entirely below the guard bits: only its stickiness matters
        } else {
            let d = d as u32;
            let lost = d > 63 && mb & ((1u64 << (d - 63)) - 1) != 0;
            ((u128::from(mb) << 63) >> d) | u128::from(lost)
        };
        let (sign, m) = if sa == sb {
            (sa, a + b) // both < 2^127
        } else if a >= b {
            (sa, a - b)
        } else {
            (sb, b - a)
        };
        if m == 0 {
            return LongDouble::ZERO; // x + (-x) is +0 when rounding to nearest
        }
        LongDouble::round(sign, m, ea - 63, false, false)
    }

    /// Redis's `ld2string(..., LD_STR_HUMAN)`: `%.17Lf`, trailing zeros and a trailing '.'
    /// removed, "-0" shown as "0"; infinities as "inf" / "-inf".
    pub fn fmt_human(&self) -> String {
        if self.is_nan() {
            return if self.sign { "-nan" } else { "nan" }.to_string();
        }
        if self.is_infinite() {
            return if self.sign { "-inf" } else { "inf" }.to_string();
        }
        let (sign, m, e) = self.unpack();
        let mut out = String::new();
        if sign {
            out.push('-');
        }
        if e >= 0 {
            // An integer: every fractional digit is 0 and gets trimmed.
            out.push_str(&Big::from_u128(u128::from(m)).shl(e as u64).to_decimal());
        } else {
            // round(m × 10^17 / 2^s), ties to even; m × 10^17 < 2^121.
            let n = u128::from(m) * 100_000_000_000_000_000;
            let s = e.unsigned_abs();
            let r = if s >= 128 {
                0
            } else {
                let (q, rem, half) = (n >> s, n & ((1u128 << s) - 1), 1u128 << (s - 1));
                q + u128::from(rem > half || (rem == half && q & 1 == 1))
            };
            let digits = format!("{:018}", r);
            let (int, frac) = digits.split_at(digits.len() - 17);
            out.push_str(int);
            let frac = frac.trim_end_matches('0');
            if !frac.is_empty() {
                out.push('.');
                out.push_str(frac);
            }
        }
        if out == "-0" {
            out.remove(0);
        }
        out
    }
}

/// Redis's `string2ld`: glibc `strtold` over the whole string, refusing empty input, input
/// of 5120 bytes or more, leading whitespace, trailing garbage, overflow to +-inf, underflow
/// to zero and NaN. The literals `inf` / `infinity` (any case, optional sign) are accepted.
pub fn parse(s: &[u8]) -> Option<LongDouble> {
    if s.len() >= MAX_CHARS {
        return None;
    }
    let v = match lex(s)? {
        Lexed::Inf { neg } => return Some(LongDouble::INF.with_sign(neg)),
        Lexed::Hex {
            neg,
            int,
            frac,
            exp,
        } => {
            let (m, e, sticky) = hex_mantissa(int, frac, exp);
            if m == 0 {
                return Some(LongDouble::ZERO.with_sign(neg));
            }
            LongDouble::round(neg, m, e, sticky, true)
        }
        Lexed::Dec {
            neg,
            int,
            frac,
            exp,
        } => {
            // value = digits(int ++ frac) × 10^(exp - frac.len())
            let all = || int.iter().chain(frac.iter());
            let lead = all().take_while(|&&c| c == b'0').count();
            let trail = all().rev().take_while(|&&c| c == b'0').count();
            let total = int.len() + frac.len();
            if lead == total {
                return Some(LongDouble::ZERO.with_sign(neg));
            }
            let nd = (total - lead - trail) as i64;
            let k = exp - frac.len() as i64 + trail as i64;
            // value is in [10^(nd-1+k), 10^(nd+k)); max ~1.19e4932, min/2 ~1.8e-4951.
            if nd - 1 + k >= 4933 || nd + k <= -4952 {
                return None;
            }
            let digits: Vec<u8> = all().skip(lead).take(nd as usize).copied().collect();
            let (q, e, sticky) = decimal_exact(&digits, k);
            LongDouble::round(neg, q, e, sticky, true)
        }
    };
    (v.mant != 0 && v.is_finite()).then_some(v)
}

/// The exact binary form of `digits` × 10^k (ASCII digits, not all zero, |k| and the digit
/// count at most a few thousand): returns (q, e, sticky) with 2^65 <= q < 2^67 and
/// value = (q + something in [0, 1) if sticky) × 2^e — enough to round to 64 bits once.
pub(crate) fn decimal_exact(digits: &[u8], k: i64) -> (u128, i64, bool) {
    let mut num = Big::from_u128(0);
    for &c in digits {
        num.mul_add_small(10, u32::from(c.wrapping_sub(b'0') % 10));
    }
    let mut den = Big::from_u128(1);
    let target = if k >= 0 { &mut num } else { &mut den };
    let mut left = k.unsigned_abs();
    while left > 0 {
        let step = left.min(9);
        target.mul_add_small(10u32.pow(step as u32), 0);
        left -= step;
    }
    // Scale by 2^s so that the bit lengths differ by 66: then 2^65 <= num / den < 2^67.
    let s = 66 - (num.bit_len() as i64 - den.bit_len() as i64);
    if s >= 0 {
        num = num.shl(s as u64);
    } else {
        den = den.shl(s.unsigned_abs());
    }
    let mut q: u128 = 0;
    let top = num.bit_len().saturating_sub(den.bit_len());
    for i in (0..=top.min(127)).rev() {
        let t = den.shl(i);
        if num.cmp(&t) != Ordering::Less {
            num.sub_assign(&t);
            q |= 1 << i;
        }
    }
    (q, -s, !num.is_zero())
}

/// A tiny unsigned big integer: little-endian u32 limbs, no trailing zero limbs.
#[derive(Clone, Debug)]
struct Big(Vec<u32>);

impl Big {
    fn from_u128(mut v: u128) -> Big {
        let mut limbs = Vec::new();
        while v != 0 {
            limbs.push(v as u32);
            v >>= 32;
        }
        Big(limbs)
    }

    fn is_zero(&self) -> bool {
        self.0.is_empty()
    }

    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn bit_len(&self) -> u64 {
        self.0.last().map_or(0, |&top| {
            32 * (self.0.len() as u64 - 1) + u64::from(32 - top.leading_zeros())
        })
    }

    /// self = self × m + a
    fn mul_add_small(&mut self, m: u32, a: u32) {
        let mut carry = u64::from(a);
        for limb in self.0.iter_mut() {
            let t = u64::from(*limb) * u64::from(m) + carry;
            *limb = t as u32;
            carry = t >> 32;
        }
        if carry != 0 {
            self.0.push(carry as u32);
        }
        self.trim();
    }

    fn shl(&self, n: u64) -> Big {
        if self.is_zero() {
            return Big(Vec::new());
        }
        let (words, bits) = ((n / 32) as usize, (n % 32) as u32);
        let mut limbs = vec![0u32; words];
        let mut carry = 0u32;
        for &limb in &self.0 {
            limbs.push((limb << bits) | carry);
            carry = if bits == 0 { 0 } else { limb >> (32 - bits) };
        }
        limbs.push(carry);
        let mut out = Big(limbs);
        out.trim();
        out
    }

    fn cmp(&self, other: &Big) -> Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }

    /// self -= other; requires self >= other.
    fn sub_assign(&mut self, other: &Big) {
        let mut borrow = false;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let o = other.0.get(i).copied().unwrap_or(0);
            let (t, b1) = limb.overflowing_sub(o);
            let (t, b2) = t.overflowing_sub(u32::from(borrow));
            *limb = t;
            borrow = b1 || b2;
        }
        self.trim();
    }

    /// Divides in place by `d` (nonzero), returning the remainder.
    fn div_small(&mut self, d: u32) -> u32 {
        let mut rem = 0u64;
        for limb in self.0.iter_mut().rev() {
            let t = (rem << 32) | u64::from(*limb);
            *limb = (t / u64::from(d)) as u32;
            rem = t % u64::from(d);
        }
        self.trim();
        rem as u32
    }

    fn to_decimal(&self) -> String {
        let mut n = self.clone();
        let mut chunks = Vec::new();
        while !n.is_zero() {
            chunks.push(n.div_small(1_000_000_000));
        }
        let mut out = chunks.last().map_or("0".to_string(), |c| c.to_string());
        for c in chunks.iter().rev().skip(1) {
            out.push_str(&format!("{:09}", c));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VECTORS: &str = include_str!("ldouble_vectors.txt");

    fn incr(a: &str, b: &str) -> String {
        match (parse(a.as_bytes()), parse(b.as_bytes())) {
            (Some(x), Some(y)) => x.add(y).fmt_human(),
            _ => "ERR".to_string(),
        }
    }

    #[test]
    fn adding_5000_to_5_6_gives_what_redis_prints() {
        assert_eq!(incr("5.6", "5.0e3"), "5005.60000000000000009");
    }

    #[test]
    fn small_increments_print_without_noise() {
        assert_eq!(incr("10.5", "0.1"), "10.6");
        assert_eq!(incr("10.50", "3.0e3"), "3010.5");
        assert_eq!(incr("0", "0"), "0");
        assert_eq!(incr("-0", "-0"), "0");
        assert_eq!(incr("1", "-1"), "0");
        assert_eq!(incr("-1e-30", "0"), "0");
        assert_eq!(incr("0", "0.000003814697265625"), "0.00000381469726562");
    }

    #[test]
    fn parse_refuses_what_string2ld_refuses() {
        let bad = [
            "",
            " 1",
            "1 ",
            "\t1",
            "nan",
            "-nan",
            "1e5000",
            "-1e5000",
            "1e-5000",
            "1e999999999",
            "1e-999999999",
            "0x1p16384",
            "0x1p-16446",
            "abc",
            "1e",
            ".",
            "0x",
            "1\x00",
        ];
        for s in bad {
            assert_eq!(parse(s.as_bytes()), None, "{s:?}");
        }
        let huge = format!("1{}", "0".repeat(4933));
        assert_eq!(parse(huge.as_bytes()), None, "1e4933 overflows");
        let just_fits = format!("1.{}1", "0".repeat(MAX_CHARS - 4));
        assert_eq!(just_fits.len(), MAX_CHARS - 1);
        assert_eq!(
            parse(just_fits.as_bytes()).map(|v| v.fmt_human()),
            Some("1".to_string())
        );
        let too_long = format!("1.{}1", "0".repeat(MAX_CHARS - 3));
        assert_eq!(parse(too_long.as_bytes()), None);
        assert!(parse(b"inf").is_some_and(|v| v.is_infinite()));
        assert!(parse(b"-Infinity").is_some_and(|v| v.is_infinite() && v.fmt_human() == "-inf"));
        assert_eq!(
            parse(b"1e0000000000000000000000000000004"),
            Some(LongDouble::from_i64(10000))
        );
    }

    #[test]
    fn special_values_add_like_the_x87() {
        let inf = LongDouble::INF;
        let ninf = inf.with_sign(true);
        assert!(inf.add(ninf).is_nan());
        assert_eq!(inf.add(LongDouble::from_i64(-5)), inf);
        assert!(LongDouble::NAN.add(LongDouble::ZERO).is_nan());
        let neg_zero = LongDouble::ZERO.with_sign(true);
        assert_eq!(neg_zero.add(neg_zero), neg_zero);
        assert_eq!(neg_zero.add(LongDouble::ZERO), LongDouble::ZERO);
        assert!(LongDouble::from_i64(1).is_finite());
    }

    #[test]
    fn i64_and_f64_conversions_are_exact_or_correctly_rounded() {
        for v in [0, 1, -1, 42, i64::MAX, i64::MIN, 1 << 53, (1 << 53) + 1] {
            assert_eq!(LongDouble::from_i64(v).fmt_human(), v.to_string());
        }
        assert_eq!(
            LongDouble::from_i64((1 << 53) + 1).to_f64(),
            (1u64 << 53) as f64
        );
        assert_eq!(
            LongDouble::from_i64((1 << 53) + 3).to_f64(),
            ((1u64 << 53) + 4) as f64
        );
        let cases = [
            ("0.1", 0.1),
            ("1e308", 1e308),
            ("1e309", f64::INFINITY),
            ("4.9e-324", 5e-324),
        ];
        for (s, want) in cases {
            assert_eq!(parse(s.as_bytes()).map(|v| v.to_f64()), Some(want), "{s}");
        }
        assert_eq!(
            parse(b"-1e-400").map(|v| v.to_f64().to_bits()),
            Some((-0.0f64).to_bits())
        );
    }

    fn bits(v: LongDouble) -> String {
        format!("{:04x}{:016x}", u16::from(v.sign) << 15 | v.exp, v.mant)
    }

    /// Lines, all produced by glibc on x86-64: `P<TAB>s<TAB>strtold(s) as 80 bits in hex`,
    /// `S<TAB>a<TAB>b<TAB>bits of strtold(a) + strtold(b)` and
    /// `A<TAB>a<TAB>b<TAB>ld2string(strtold(a) + strtold(b), LD_STR_HUMAN)`; ERR = refused.
    #[test]
    fn parse_add_and_print_match_glibc_on_the_vector_table() {
        let mut counts = [0; 3];
        for line in VECTORS.lines() {
            let f: Vec<&str> = line.split('\t').collect();
            match f.as_slice() {
                ["P", s, want] => {
                    let got = parse(s.as_bytes()).map_or("ERR".to_string(), bits);
                    assert_eq!(&got, want, "strtold({s:?})");
                    counts[0] += 1;
                }
                ["S", a, b, want] => {
                    let got = match (parse(a.as_bytes()), parse(b.as_bytes())) {
                        (Some(x), Some(y)) => bits(x.add(y)),
                        _ => "ERR".to_string(),
                    };
                    assert_eq!(&got, want, "{a} + {b}");
                    counts[1] += 1;
                }
                ["A", a, b, want] => {
                    assert_eq!(&incr(a, b), want, "{a:?} + {b:?}");
                    counts[2] += 1;
                }
                _ => {}
            }
        }
        assert!(counts.iter().all(|&n| n > 300), "{counts:?}");
    }

    #[test]
    fn strtold_forgets_the_round_bit_of_subnormals_and_so_do_we() {
        // Correct rounding would give the least subnormal; glibc (and Redis) refuse it.
        assert_eq!(parse(b"0x1.0000000000000001p-16446"), None);
        assert_eq!(
            parse(b"0x1.00000000000000011p-16446").map(bits),
            Some("00000000000000000001".into())
        );
        assert_eq!(
            parse(b"0x1.8p-16446").map(bits),
            Some("00000000000000000001".into())
        );
        // Normal results are rounded correctly: 1 + 2^-64 is a tie, 1 + 3 × 2^-64 too.
        assert_eq!(
            parse(b"0x1.0000000000000001p0").map(bits),
            Some("3fff8000000000000000".into())
        );
        assert_eq!(
            parse(b"0x1.00000000000000018p0").map(bits),
            Some("3fff8000000000000001".into())
        );
        assert_eq!(
            parse(b"0x1.0000000000000003p0").map(bits),
            Some("3fff8000000000000002".into())
        );
    }
}
