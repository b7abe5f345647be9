//! Reading a command's arguments: one cursor, `Args`, that every handler walks from left
//! to right, and the argument parsers that encode Redis's own rules (integers, timeouts,
//! db indices, SCAN cursors and options, the EXPIRE conditions).
//!
//! The cursor borrows the argument vector and hands out slices of it; nothing is copied
//! or allocated unless an error is built. It never panics: asking for more than is left
//! is an error, chosen the way Redis would answer:
//!
//! - a positional argument (`next_arg`, `next_key`, `next_i64`, …) that is missing can only
//!   mean the command table's arity let too few through, so it is the arity error;
//! - an option's value (`value`, `values`, `values_n`) that is missing is a syntax error,
//!   as in Redis's option loops (`… && j+1 < c->argc` falls through to `syntax error`).
//!
//! A handler reads like its syntax line:
//!
//! ```ignore
//! // LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
//! let mut args = Args::new(argv);
//! let key = args.next_key()?;
//! let element = args.next_arg()?;
//! while let Some(opt) = args.next_option() {
//!     match opt.as_str() {
//!         "rank" => rank = int_arg(args.value()?)?,
//!         "count" => count = Some(int_in(args.value()?, 0.., "COUNT can't be negative")?),
//!         "maxlen" => maxlen = int_in(args.value()?, 0.., "MAXLEN can't be negative")?,
//!         _ => return Err(CmdError::Syntax),
//!     }
//! }
//! ```
//!
//! Redis checks things in a fixed order (options before numbers, a key's type before a
//! malformed number, …); the cursor only reads, so a handler keeps that order by taking
//! an argument's bytes where it sits and parsing them when Redis would.

use crate::clock::Ms;
use std::ops::RangeBounds;

use crate::error::{CmdError, CmdResult};
use crate::glob::Pattern;
use crate::server::NUM_DBS;

/// A cursor over the arguments of one command, after its name (and sub-command).
#[derive(Clone, Debug)]
pub struct Args<'a> {
    name: &'a [u8],
    sub: Option<&'a [u8]>,
    left: &'a [Vec<u8>],
}

impl<'a> Args<'a> {
    /// The arguments after the command name: `argv[1..]`.
    pub fn new(argv: &'a [Vec<u8>]) -> Args<'a> {
        let (name, left) = split_first(argv);
        Args {
            name,
            sub: None,
            left,
        }
    }

    /// The arguments of a container's sub-command (OBJECT ENCODING key): `argv[2..]`.
    pub fn of_sub(argv: &'a [Vec<u8>]) -> Args<'a> {
        let (name, rest) = split_first(argv);
        let (sub, left) = split_first(rest);
        Args {
            name,
            sub: Some(sub),
            left,
        }
    }

    /// The command name as typed.
    pub fn name(&self) -> &'a [u8] {
        self.name
    }

    /// How many arguments are left.
    pub fn remaining(&self) -> usize {
        self.left.len()
    }

    /// Whether every argument has been read.
    pub fn is_empty(&self) -> bool {
        self.left.is_empty()
    }

    /// The next argument, without reading it.
    pub fn peek(&self) -> Option<&'a [u8]> {
        self.left.first().map(Vec::as_slice)
    }

    /// The error for a positional argument that isn't there: the arity error, naming the
    /// command as the table does (`get`, `object|encoding`).
    fn missing(&self) -> CmdError {
        let mut name = String::from_utf8_lossy(self.name).to_ascii_lowercase();
        if let Some(sub) = self.sub {
            name.push('|');
            name.push_str(&String::from_utf8_lossy(sub).to_ascii_lowercase());
        }
        CmdError::WrongArity(name)
    }

    // ---- positional arguments ----

    /// The next argument.
    pub fn next_arg(&mut self) -> CmdResult<&'a [u8]> {
        self.next_opt().ok_or_else(|| self.missing())
    }

    /// The next argument, which names a key (the same as `next_arg`; it says what it
    /// reads).
    pub fn next_key(&mut self) -> CmdResult<&'a [u8]> {
        self.next_arg()
    }

    /// The next argument if there is one: an optional trailing positional (`LPOP key
    /// [count]`).
    pub fn next_opt(&mut self) -> Option<&'a [u8]> {
        let (first, rest) = self.left.split_first()?;
        self.left = rest;
        Some(first)
    }

    /// The last argument, taken from the end (BLPOP's timeout after its keys).
    pub fn next_back(&mut self) -> CmdResult<&'a [u8]> {
        let Some((last, rest)) = self.left.split_last() else {
            return Err(self.missing());
        };
        self.left = rest;
        Ok(last)
    }

    /// The next `n` arguments as a slice (the keys counted by a numkeys). Callers check
    /// numkeys against `remaining()` first, with the error their command gives.
    pub fn next_n(&mut self, n: usize) -> CmdResult<&'a [Vec<u8>]> {
        if n > self.left.len() {
            return Err(self.missing());
        }
        let (taken, rest) = self.left.split_at(n);
        self.left = rest;
        Ok(taken)
    }

    /// The next argument as an integer, with Redis's generic error.
    pub fn next_i64(&mut self) -> CmdResult<i64> {
        int_arg(self.next_arg()?)
    }

    /// The next argument as an integer within `range`; `ERR <msg>` for anything else (not
    /// an integer or out of range), like Redis's `getRangeLongFromObjectOrReply` with a
    /// message.
    pub fn next_int_in(&mut self, range: impl RangeBounds<i64>, msg: &str) -> CmdResult<i64> {
        int_in(self.next_arg()?, range, msg)
    }

    /// The next argument through a parser that already answers Redis's errors
    /// (`parse_cursor`, `db_index_arg`, `|a| timeout_arg(a, now)`, …).
    pub fn next_with<T>(&mut self, parse: impl FnOnce(&'a [u8]) -> CmdResult<T>) -> CmdResult<T> {
        parse(self.next_arg()?)
    }

    /// The next argument as a keyword to match (`BEFORE|AFTER`, `LEFT|RIGHT`).
    pub fn next_word(&mut self) -> CmdResult<Word<'a>> {
        self.next_arg().map(Word::new)
    }

    /// Everything left, as a slice (the keys of DEL, the members of SADD); the cursor is
    /// then empty.
    pub fn rest(&mut self) -> &'a [Vec<u8>] {
        std::mem::take(&mut self.left)
    }

    // ---- keywords and options ----

    /// Read the next argument if it is `word` (any case).
    pub fn eat(&mut self, word: &str) -> bool {
        match self.peek() {
            Some(a) if Word::new(a).is(word) => {
                self.next_opt();
                true
            }
            _ => false,
        }
    }

    /// Read the next argument if it is one of `words` (any case), and say which: the
    /// leading flags of ZADD, which stop at the first score.
    pub fn eat_one_of(&mut self, words: &[&'static str]) -> Option<&'static str> {
        let next = Word::new(self.peek()?);
        let found = words.iter().copied().find(|w| next.is(w))?;
        self.next_opt();
        Some(found)
    }

    /// In an option loop, the next option's name; None when the arguments are done.
    /// Match on `as_str()`, read the option's values with `value`/`values`, and answer
    /// `CmdError::Syntax` (or the command's own error) for anything unknown.
    pub fn next_option(&mut self) -> Option<Word<'a>> {
        self.next_opt().map(Word::new)
    }

    /// The value of the option just read; a syntax error if there is none.
    pub fn value(&mut self) -> CmdResult<&'a [u8]> {
        self.values::<1>().map(|[v]| v)
    }

    /// The `N` values of the option just read, all or nothing: a syntax error, reading
    /// none of them, if fewer are left (so `LIMIT 1` is a syntax error before `1` is
    /// looked at, as in Redis).
    pub fn values<const N: usize>(&mut self) -> CmdResult<[&'a [u8]; N]> {
        let taken = self.values_n(N)?;
        Ok(std::array::from_fn(|i| {
            taken.get(i).map_or(&[][..], Vec::as_slice)
        }))
    }

    /// The `n` values of the option just read (WEIGHTS' one per key), all or nothing.
    pub fn values_n(&mut self, n: usize) -> CmdResult<&'a [Vec<u8>]> {
        if n > self.left.len() {
            return Err(CmdError::Syntax);
        }
        let (taken, rest) = self.left.split_at(n);
        self.left = rest;
        Ok(taken)
    }
}

fn split_first(argv: &[Vec<u8>]) -> (&[u8], &[Vec<u8>]) {
    match argv.split_first() {
        Some((first, rest)) => (first, rest),
        None => (&[], &[]),
    }
}

/// The longest keyword any command takes (DEBUG's QUICKLIST-PACKED-THRESHOLD, 26
/// characters) fits with room to spare.
const WORD_MAX: usize = 32;

/// An argument read as a keyword: matched case-insensitively, the way Redis's
/// `strcasecmp` does — as a C string, so it ends at a NUL byte (`"NX\0junk"` is NX).
/// `as_str()` is the lower-cased keyword, ready for a `match`; an argument that can't be
/// a keyword (too long, not ASCII) is `""`, which no keyword equals. `raw()` is the
/// argument as typed, for error messages that quote it.
#[derive(Clone, Copy, Debug)]
pub struct Word<'a> {
    raw: &'a [u8],
    len: u8,
    lower: [u8; WORD_MAX],
}

impl<'a> Word<'a> {
    pub fn new(raw: &'a [u8]) -> Word<'a> {
        let c = &raw[..raw.iter().position(|&b| b == 0).unwrap_or(raw.len())];
        let mut lower = [0u8; WORD_MAX];
        let mut len = 0;
        if c.len() <= WORD_MAX && c.is_ascii() {
            for (d, s) in lower.iter_mut().zip(c) {
                *d = s.to_ascii_lowercase();
            }
            len = c.len() as u8;
        }
        Word { raw, len, lower }
    }

    /// The keyword in lower case ("" if it can't be one).
    pub fn as_str(&self) -> &str {
        let b = self.lower.get(..usize::from(self.len)).unwrap_or_default();
        std::str::from_utf8(b).unwrap_or_default()
    }

    /// Whether this is `word`, in any case.
    pub fn is(&self, word: &str) -> bool {
        !word.is_empty() && self.as_str().eq_ignore_ascii_case(word)
    }

    /// The argument as typed.
    pub fn raw(&self) -> &'a [u8] {
        self.raw
    }
}

/// Pairs of arguments (field value, key value, score member); a last odd one is left
/// out, so callers check the count first with the error their command gives.
pub fn pairs(args: &[Vec<u8>]) -> impl Iterator<Item = (&[u8], &[u8])> {
    args.chunks_exact(2).filter_map(|p| match p {
        [a, b] => Some((a.as_slice(), b.as_slice())),
        _ => None,
    })
}

// ---- parsers with Redis's rules ----

/// An argument as an integer, with Redis's generic error.
pub fn int_arg(arg: &[u8]) -> CmdResult<i64> {
    crate::num::parse_i64(arg).ok_or(CmdError::NotInteger)
}

/// An integer within `range`; `ERR <msg>` for anything else.
pub fn int_in(arg: &[u8], range: impl RangeBounds<i64>, msg: &str) -> CmdResult<i64> {
    match crate::num::parse_i64(arg) {
        Some(v) if range.contains(&v) => Ok(v),
        _ => Err(CmdError::Err(msg.into())),
    }
}

/// An argument as a double (Redis's `getDoubleFromObject`), with Redis's generic error.
pub fn float_arg(arg: &[u8]) -> CmdResult<f64> {
    crate::num::double::parse(arg).ok_or(CmdError::NotFloat)
}

/// Case-insensitive comparison of an argument with an option name (whole argument, NUL
/// bytes included; `Word` is the C-string matcher the cursor uses).
pub fn is(arg: &[u8], word: &str) -> bool {
    arg.eq_ignore_ascii_case(word.as_bytes())
}

/// A blocking command's timeout in seconds (BLPOP, BZPOPMIN, …), validated exactly like
/// Redis 7.0: parsed as a long double, multiplied by 1000, rounded up (`ceill`) and cast
/// to an integer (so `inf` or `1e17` overflow to a negative number, `0.0001` waits 1 ms
/// rather than forever, and `-0.0001` rounds up to 0). Returns the absolute deadline in
/// ms (`now` + timeout), 0 = forever.
pub fn timeout_arg(arg: &[u8], now: Ms) -> CmdResult<i64> {
    let t = crate::num::ldouble::parse(arg)
        .ok_or_else(|| CmdError::Err("timeout is not a float or out of range".into()))?;
    let ms = t.mul_small(1000).ceil_to_i64();
    if ms < 0 {
        return Err(CmdError::Err("timeout is negative".into()));
    }
    // Redis 7.0 adds the current time with no overflow check; C's add wraps.
    Ok(if ms > 0 { ms.wrapping_add(now) } else { 0 })
}

/// A timeout in whole milliseconds (XREAD BLOCK, WAIT, CLIENT PAUSE), validated as
/// Redis's `getTimeoutFromObjectOrReply` does for milliseconds: an integer, not negative.
pub fn ms_timeout_arg(arg: &[u8]) -> CmdResult<i64> {
    let ms = crate::num::parse_i64(arg)
        .ok_or_else(|| CmdError::Err("timeout is not an integer or out of range".into()))?;
    if ms < 0 {
        return Err(CmdError::Err("timeout is negative".into()));
    }
    Ok(ms)
}

/// A db index argument: an integer (Redis's int range), then 0..16.
pub fn db_index_arg(arg: &[u8]) -> CmdResult<usize> {
    let v = int_arg(arg)?;
    if v < i32::MIN as i64 || v > i32::MAX as i64 {
        return Err(CmdError::Err(
            "value is out of range, value must between -2147483648 and 2147483647".into(),
        ));
    }
    if v < 0 || v as usize >= NUM_DBS {
        return Err(CmdError::DbIndexOutOfRange);
    }
    Ok(v as usize)
}

/// A KEYS/SCAN pattern; `*` alone matches every key (even the empty one), as in Redis,
/// so it filters nothing.
pub fn pattern_arg(pattern: &[u8]) -> Option<Pattern> {
    match pattern {
        b"*" => None,
        p => Some(Pattern::new(p)),
    }
}

/// Redis's SCAN cursor: C's strtoul, no leading space, all consumed, in range.
pub fn parse_cursor(arg: &[u8]) -> CmdResult<u64> {
    let invalid = || CmdError::Err("invalid cursor".into());
    if arg.first().is_some_and(|c| c.is_ascii_whitespace()) {
        return Err(invalid());
    }
    let (neg, digits) = match arg.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, arg),
    };
    if digits.is_empty() {
        return if arg.is_empty() {
            Ok(0)
        } else {
            Err(invalid())
        };
    }
    let mut v: u64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return Err(invalid());
        }
        v = v
            .checked_mul(10)
            .and_then(|v| v.checked_add((c - b'0') as u64))
            .ok_or_else(invalid)?;
    }
    Ok(if neg { v.wrapping_neg() } else { v })
}

/// The options of SCAN and of SSCAN/HSCAN/ZSCAN: COUNT (at least 1, default 10), MATCH
/// (`*` alone filters nothing), and for SCAN only, TYPE.
pub struct ScanOptions<'a> {
    pub count: usize,
    pub pattern: Option<Pattern>,
    pub type_name: Option<&'a [u8]>,
}

impl ScanOptions<'_> {
    /// Whether a key, member or field passes MATCH.
    pub fn matches(&self, s: &[u8]) -> bool {
        self.pattern.as_ref().is_none_or(|p| p.matches(s))
    }
}

/// `[MATCH pattern] [COUNT count] [TYPE type]`, the rest of a scan command, with Redis's
/// errors: each option needs its value, COUNT must be at least 1, TYPE is SCAN's only.
pub fn scan_options<'a>(args: &mut Args<'a>, allow_type: bool) -> CmdResult<ScanOptions<'a>> {
    let mut o = ScanOptions {
        count: 10,
        pattern: None,
        type_name: None,
    };
    while let Some(opt) = args.next_option() {
        match opt.as_str() {
            "count" => {
                let n = int_arg(args.value()?)?;
                if n < 1 {
                    return Err(CmdError::Syntax);
                }
                o.count = usize::try_from(n).unwrap_or(usize::MAX);
            }
            "match" => o.pattern = pattern_arg(args.value()?),
            "type" if allow_type => o.type_name = Some(args.value()?),
            _ => return Err(CmdError::Syntax),
        }
    }
    Ok(o)
}

/// The `[NX|XX|GT|LT]` condition of the EXPIRE family.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct ExpireCondition {
    pub nx: bool,
    pub xx: bool,
    pub gt: bool,
    pub lt: bool,
}

/// Read the EXPIRE family's NX|XX|GT|LT flags (any number, in any order) to the end, with
/// Redis's errors: an unknown word first, then the incompatible pairs.
pub fn expire_condition(args: &mut Args<'_>) -> CmdResult<ExpireCondition> {
    let mut c = ExpireCondition::default();
    while let Some(opt) = args.next_option() {
        match opt.as_str() {
            "nx" => c.nx = true,
            "xx" => c.xx = true,
            "gt" => c.gt = true,
            "lt" => c.lt = true,
            _ => {
                return Err(CmdError::Err(format!(
                    "Unsupported option {}",
                    String::from_utf8_lossy(opt.raw())
                )))
            }
        }
    }
    if c.nx && (c.xx || c.gt || c.lt) {
        return Err(CmdError::Err(
            "NX and XX, GT or LT options at the same time are not compatible".into(),
        ));
    }
    if c.gt && c.lt {
        return Err(CmdError::Err(
            "GT and LT options at the same time are not compatible".into(),
        ));
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(words: &[&str]) -> Vec<Vec<u8>> {
        words.iter().map(|w| w.as_bytes().to_vec()).collect()
    }

    #[test]
    fn positional_arguments_come_in_order_and_running_out_is_the_arity_error() {
        let v = argv(&["GET", "k"]);
        let mut a = Args::new(&v);
        assert_eq!(a.name(), b"GET");
        assert_eq!(a.remaining(), 1);
        assert_eq!(a.peek(), Some(&b"k"[..]));
        assert_eq!(a.next_key().unwrap(), b"k");
        assert!(a.is_empty());
        assert_eq!(a.next_arg(), Err(CmdError::WrongArity("get".into())));
        assert_eq!(a.next_i64(), Err(CmdError::WrongArity("get".into())));
        assert_eq!(a.next_back(), Err(CmdError::WrongArity("get".into())));
        assert_eq!(a.next_opt(), None);
    }

    #[test]
    fn a_sub_command_cursor_starts_after_it_and_names_both() {
        let v = argv(&["OBJECT", "Encoding"]);
        let mut a = Args::of_sub(&v);
        assert!(a.is_empty());
        assert_eq!(
            a.next_arg(),
            Err(CmdError::WrongArity("object|encoding".into()))
        );
        // Even an empty vector is read without a panic.
        let mut none = Args::of_sub(&[]);
        assert!(none.next_arg().is_err());
        assert!(Args::new(&[]).rest().is_empty());
    }

    #[test]
    fn numbers_carry_redis_errors() {
        let v = argv(&["X", "12", "x", "1.5", "nan", "-3", "7"]);
        let mut a = Args::new(&v);
        assert_eq!(a.next_i64(), Ok(12));
        assert_eq!(a.next_i64(), Err(CmdError::NotInteger));
        assert_eq!(a.next_with(float_arg), Ok(1.5));
        assert_eq!(a.next_with(float_arg), Err(CmdError::NotFloat));
        assert_eq!(
            a.next_int_in(0.., "COUNT can't be negative"),
            Err(CmdError::Err("COUNT can't be negative".into()))
        );
        assert_eq!(a.next_i64(), Ok(7));
        assert_eq!(
            CmdError::NotFloat.to_string(),
            "ERR value is not a valid float"
        );
        assert_eq!(
            CmdError::NotInteger.to_string(),
            "ERR value is not an integer or out of range"
        );
    }

    #[test]
    fn keywords_match_in_any_case_and_end_at_a_nul_like_strcasecmp() {
        assert_eq!(Word::new(b"WithScores").as_str(), "withscores");
        assert!(Word::new(b"nX").is("nx"));
        assert!(Word::new(b"NX\0junk").is("nx"));
        assert!(!Word::new(b"nxx").is("nx"));
        assert!(!Word::new(b"").is(""));
        assert_eq!(
            Word::new(b"a-very-long-argument-that-no-keyword-is").as_str(),
            ""
        );
        assert_eq!(Word::new("é".as_bytes()).as_str(), "");
        assert_eq!(Word::new(b"Odd").raw(), b"Odd");
    }

    #[test]
    fn eat_reads_only_what_matches() {
        let v = argv(&["ZADD", "k", "NX", "ch", "1", "m"]);
        let mut a = Args::new(&v);
        assert!(!a.eat("nx"));
        a.next_key().unwrap();
        assert_eq!(a.eat_one_of(&["nx", "ch"]), Some("nx"));
        assert_eq!(a.eat_one_of(&["nx", "ch"]), Some("ch"));
        assert_eq!(a.eat_one_of(&["nx", "ch"]), None);
        assert!(!a.eat("withscores"));
        assert_eq!(a.rest(), &v[4..]);
        assert!(a.is_empty());
        assert!(!a.eat("nx"));
    }

    #[test]
    fn option_values_are_all_or_nothing_and_missing_ones_are_a_syntax_error() {
        let v = argv(&["ZRANGE", "k", "0", "1", "LIMIT", "x"]);
        let mut a = Args::new(&v);
        a.next_n(3).unwrap();
        let opt = a.next_option().unwrap();
        assert_eq!(opt.as_str(), "limit");
        // Two values are needed and only one is there: syntax error, nothing read.
        assert_eq!(a.values::<2>(), Err(CmdError::Syntax));
        assert_eq!(a.remaining(), 1);
        assert_eq!(a.value(), Ok(&b"x"[..]));
        assert_eq!(a.value(), Err(CmdError::Syntax));
        assert_eq!(a.values_n(1), Err(CmdError::Syntax));
        assert!(a.next_option().is_none());
    }

    #[test]
    fn taking_counted_and_trailing_arguments() {
        let v = argv(&["BLPOP", "a", "b", "0"]);
        let mut a = Args::new(&v);
        assert_eq!(a.next_back(), Ok(&b"0"[..]));
        assert_eq!(a.next_n(3), Err(CmdError::WrongArity("blpop".into())));
        assert_eq!(a.next_n(2).unwrap(), &v[1..3]);
        let kv = argv(&["f1", "v1", "f2", "v2", "odd"]);
        let p: Vec<_> = pairs(&kv).collect();
        assert_eq!(p, vec![(&b"f1"[..], &b"v1"[..]), (&b"f2"[..], &b"v2"[..])]);
    }

    #[test]
    fn scan_options_follow_redis() {
        let v = argv(&["SCAN", "0", "MATCH", "a*", "COUNT", "5", "TYPE", "list"]);
        let mut a = Args::new(&v);
        assert_eq!(a.next_with(parse_cursor), Ok(0));
        let o = scan_options(&mut a, true).unwrap();
        assert_eq!(o.count, 5);
        assert!(o.matches(b"ab") && !o.matches(b"b"));
        assert_eq!(o.type_name, Some(&b"list"[..]));
        for bad in [
            &["SSCAN", "TYPE", "list"][..],
            &["X", "COUNT", "0"],
            &["X", "COUNT"],
            &["X", "FOO", "1"],
        ] {
            let v = argv(bad);
            let r = scan_options(&mut Args::new(&v), false);
            assert_eq!(r.err(), Some(CmdError::Syntax), "{bad:?}");
        }
        let v = argv(&["X", "COUNT", "x"]);
        assert_eq!(
            scan_options(&mut Args::new(&v), false).err(),
            Some(CmdError::NotInteger)
        );
    }

    #[test]
    fn expire_conditions_name_the_unknown_word_before_conflicts() {
        // The cursor starts after the name, where EXPIRE's flags would be.
        let cond = |words: &[&str]| {
            let v = argv(&[&["EXPIRE"], words].concat());
            expire_condition(&mut Args::new(&v))
        };
        assert_eq!(
            cond(&["nx", "xx", "foo"]),
            Err(CmdError::Err("Unsupported option foo".into()))
        );
        assert_eq!(
            cond(&["gt", "lt"]),
            Err(CmdError::Err(
                "GT and LT options at the same time are not compatible".into()
            ))
        );
        assert_eq!(
            cond(&["GT", "gt"]),
            Ok(ExpireCondition {
                gt: true,
                ..ExpireCondition::default()
            })
        );
    }

    #[test]
    fn cursors_parse_like_strtoul() {
        assert_eq!(parse_cursor(b"0").unwrap(), 0);
        assert_eq!(parse_cursor(b"").unwrap(), 0);
        assert_eq!(parse_cursor(b"+7").unwrap(), 7);
        assert_eq!(parse_cursor(b"-1").unwrap(), u64::MAX);
        assert!(parse_cursor(b" 1").is_err());
        assert!(parse_cursor(b"1x").is_err());
        assert!(parse_cursor(b"99999999999999999999999").is_err());
    }

    #[test]
    fn db_indices_are_ints_then_in_range() {
        assert_eq!(db_index_arg(b"15"), Ok(15));
        assert_eq!(db_index_arg(b"16"), Err(CmdError::DbIndexOutOfRange));
        assert_eq!(db_index_arg(b"-1"), Err(CmdError::DbIndexOutOfRange));
        assert_eq!(db_index_arg(b"x"), Err(CmdError::NotInteger));
        assert!(matches!(
            db_index_arg(b"99999999999"),
            Err(CmdError::Err(_))
        ));
    }
}
