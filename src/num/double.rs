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
//! Writing: [`fmt_g17`] is `printf("%.17g")`. Rust's `{:.16e}` gives the same exactly
//! rounded (ties to even) 17 significant digits as glibc; we then lay them out the way `%g`
//! does (fixed notation when the decimal exponent X satisfies -4 <= X < 17, scientific
//! otherwise, trailing zeros removed, at least two exponent digits).

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
