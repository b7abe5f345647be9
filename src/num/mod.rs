//! Numbers exactly as Redis 7.0 on x86-64 reads and writes them.
//!
//! - integers: `parse_i64` is Redis's strict `string2ll` (no spaces, no `+`, no leading zeros);
//! - doubles: `double` parses like `strtod` with Redis's checks and prints like `%.17g`;
//! - long doubles: `ldouble` is an exact 80-bit x87 extended soft-float for INCRBYFLOAT and
//!   HINCRBYFLOAT, parsing like `strtold` and printing like Redis's `%.17Lf` human form.

pub mod double;
pub mod ldouble;

/// Redis's `string2ll`: an optional `-`, then either `0` alone or digits not starting with
/// `0`; the value must fit in an i64. Anything else (spaces, `+`, `007`, `-0`, empty) is None.
pub fn parse_i64(s: &[u8]) -> Option<i64> {
    let (neg, digits) = match s.first()? {
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || digits.len() > 19 {
        return None;
    }
    if digits[0] == b'0' {
        return if digits.len() == 1 && !neg {
            Some(0)
        } else {
            None
        };
    }
    let mut v: u64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add((c - b'0') as u64)?;
    }
    if neg {
        if v > i64::MAX as u64 + 1 {
            None
        } else {
            Some((v as i64).wrapping_neg())
        }
    } else {
        i64::try_from(v).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_i64_accepts_exactly_what_string2ll_accepts() {
        let cases: &[(&str, Option<i64>)] = &[
            ("0", Some(0)),
            ("1", Some(1)),
            ("-1", Some(-1)),
            ("9223372036854775807", Some(i64::MAX)),
            ("-9223372036854775808", Some(i64::MIN)),
            ("9223372036854775808", None),
            ("-9223372036854775809", None),
            ("99999999999999999999", None),
            ("", None),
            ("-", None),
            ("-0", None),
            ("00", None),
            ("01", None),
            ("+1", None),
            (" 1", None),
            ("1 ", None),
            ("1.0", None),
            ("abc", None),
        ];
        for (s, want) in cases {
            assert_eq!(parse_i64(s.as_bytes()), *want, "{s:?}");
        }
    }
}
