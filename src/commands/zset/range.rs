//! Ranges of a sorted set: by rank, by score and by lex order. ZRANGE and its older
//! spellings (ZREVRANGE, Z[REV]RANGEBYSCORE, Z[REV]RANGEBYLEX), ZRANGESTORE, ZCOUNT,
//! ZLEXCOUNT and the ZREMRANGEBY* removals.
//!
//! Data operations first (parsing `min`/`max` the way Redis does, selecting a range), then
//! the handlers.

use super::{delete_if_empty, members_reply, store_result, zset_at};
use crate::commands::args::{int_arg, Args};
use crate::error::{CmdError, CmdResult};
use crate::num::double::{self, Lexed};
use crate::reply::Reply;
use crate::server::{Class, Ctx};
use crate::types::zset::{Found, LexEdge, LexRange, ScoreRange};
use crate::types::ZSet;

// ---- parsing ----

/// C `strtod` over a C string (so it ends at a NUL byte) that must be consumed entirely,
/// as Redis's `zslParseRange` uses it: leading whitespace is skipped, the empty string is
/// 0, and out-of-range values saturate to ±inf or ±0 instead of failing. NaN is refused.
fn strtod_all(arg: &[u8]) -> Option<f64> {
    let s = &arg[..arg.iter().position(|&c| c == 0).unwrap_or(arg.len())];
    if s.is_empty() {
        return Some(0.0);
    }
    let body = &s[s
        .iter()
        .position(|c| !matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))?..];
    let lexed = double::lex(body)?;
    if let Some(v) = double::parse(body) {
        return Some(v);
    }
    // Lexically a number, yet refused: it overflows or underflows. Decide which by the
    // position of its leading digit.
    let (neg, int, frac, exp, digit_bits) = match lexed {
        Lexed::Inf { neg } => {
            return Some(if neg {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            })
        }
        Lexed::Dec {
            neg,
            int,
            frac,
            exp,
        } => (neg, int, frac, exp, 1),
        Lexed::Hex {
            neg,
            int,
            frac,
            exp,
        } => (neg, int, frac, exp, 4),
    };
    let lead = int.iter().chain(frac).position(|&c| c != b'0')? as i64;
    let magnitude = (int.len() as i64 - 1 - lead)
        .saturating_mul(digit_bits)
        .saturating_add(exp);
    let v = if magnitude >= 0 { f64::INFINITY } else { 0.0 };
    Some(if neg { -v } else { v })
}

/// Redis's `zslParseRange`: `min` and `max`, each optionally prefixed by `(`.
pub(super) fn score_range(min: &[u8], max: &[u8]) -> CmdResult<ScoreRange> {
    let bound = |a: &[u8]| match a.first() {
        Some(b'(') => strtod_all(&a[1..]).map(|v| (v, true)),
        _ => strtod_all(a).map(|v| (v, false)),
    };
    match (bound(min), bound(max)) {
        (Some((min, minex)), Some((max, maxex))) => Ok(ScoreRange {
            min,
            max,
            minex,
            maxex,
        }),
        _ => Err(CmdError::Err("min or max is not a float".into())),
    }
}

/// Redis's `zslParseLexRange`: `-`, `+`, `[member` or `(member` at each end.
pub(super) fn lex_range(min: &[u8], max: &[u8]) -> CmdResult<LexRange> {
    let edge = |a: &[u8]| match a.first() {
        Some(b'+') if a.get(1).is_none_or(|&c| c == 0) => Some(LexEdge::Max),
        Some(b'-') if a.get(1).is_none_or(|&c| c == 0) => Some(LexEdge::Min),
        Some(b'(') => Some(LexEdge::Item(a[1..].to_vec(), true)),
        Some(b'[') => Some(LexEdge::Item(a[1..].to_vec(), false)),
        _ => None,
    };
    match (edge(min), edge(max)) {
        (Some(min), Some(max)) => Ok(LexRange { min, max }),
        _ => Err(CmdError::Err(
            "min or max not valid string range item".into(),
        )),
    }
}

// ---- selecting ----

/// What a range command selects.
pub(super) enum Spec {
    /// start and stop ranks, negative counting from the end.
    Rank(i64, i64),
    Score(ScoreRange),
    Lex(LexRange),
}

/// Ranks `start..=stop` after Redis's sanitizing, or None when the range is empty.
fn rank_bounds(len: usize, start: i64, stop: i64) -> Option<(usize, usize)> {
    let len = len as i64;
    let mut start = if start < 0 { start + len } else { start };
    let mut stop = if stop < 0 { stop + len } else { stop };
    start = start.max(0);
    if start > stop || start >= len {
        return None;
    }
    stop = stop.min(len - 1);
    Some((start as usize, stop as usize))
}

/// Whether a member (by score or by bytes) is still inside a range.
type InRange<'a> = Box<dyn Fn(f64, &[u8]) -> bool + 'a>;

/// The members a range selects, in reply order: `rev` walks down from the top; `offset`
/// and `limit` are LIMIT's (a negative offset selects nothing, a negative limit means
/// no limit), and they only apply to score and lex ranges.
pub(super) fn select<'z>(
    z: &'z ZSet,
    spec: &Spec,
    rev: bool,
    offset: i64,
    limit: i64,
) -> Vec<(f64, &'z [u8])> {
    let len = z.len();
    let (start, in_range): (Option<Found<'z>>, InRange<'_>) = match spec {
        Spec::Rank(start, stop) => {
            let Some((a, b)) = rank_bounds(len, *start, *stop) else {
                return Vec::new();
            };
            let n = b - a + 1;
            return if rev {
                z.iter_from(len - 1 - a, true).take(n).collect()
            } else {
                z.iter_from(a, false).take(n).collect()
            };
        }
        Spec::Score(r) => {
            if offset > 0 && offset as u64 >= len as u64 {
                return Vec::new();
            }
            let start = if rev {
                z.last_in_score(r)
            } else {
                z.first_in_score(r)
            };
            (
                start,
                if rev {
                    Box::new(move |s, _| r.gte_min(s))
                } else {
                    Box::new(move |s, _| r.lte_max(s))
                },
            )
        }
        Spec::Lex(r) => {
            let start = if rev {
                z.last_in_lex(r)
            } else {
                z.first_in_lex(r)
            };
            (
                start,
                if rev {
                    Box::new(move |_, m| r.gte_min(m))
                } else {
                    Box::new(move |_, m| r.lte_max(m))
                },
            )
        }
    };
    let Some(start) = start else {
        return Vec::new();
    };
    let Ok(offset) = usize::try_from(offset) else {
        return Vec::new();
    };
    let Some(at) = z.step(start, offset, rev) else {
        return Vec::new();
    };
    // A negative limit means no limit; one beyond usize (wasm32) is as good as none.
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    z.iter_at(at, rev)
        .take(limit)
        .take_while(|(s, m)| in_range(*s, m))
        .collect()
}

/// How many members a forward range covers, from its first member on: the run of
/// consecutive members still in range (Redis walks it in a listpack), or, in a skiplist,
/// the difference of the first and last ranks.
fn count_from(
    z: &ZSet,
    first: Found<'_>,
    last: Option<Found<'_>>,
    in_range: impl Fn(f64, &[u8]) -> bool,
) -> i64 {
    if z.is_listpack() {
        return z
            .iter_at(first, false)
            .take_while(|(s, m)| in_range(*s, m))
            .count() as i64;
    }
    let len = z.len() as i64;
    let mut count = len - first.rank as i64;
    if let Some(last) = last {
        count -= len - (last.rank as i64 + 1);
    }
    count
}

// ---- handlers ----

#[derive(Clone, Copy, PartialEq, Eq)]
enum By {
    Auto,
    Rank,
    Score,
    Lex,
}

/// ZRANGE, ZRANGESTORE and the older range commands (Redis's `zrangeGenericCommand`):
/// `[dst] src min max [options]`, where `store` says ZRANGESTORE's destination comes
/// first; `by` and `rev` are fixed by the older commands and chosen by options in
/// ZRANGE/ZRANGESTORE. The options are all read before any of them is judged, and the
/// range is parsed before the key is looked up, as in Redis.
fn zrange_generic(
    ctx: &mut Ctx,
    argv: &[Vec<u8>],
    store: bool,
    mut by: By,
    mut rev: Option<bool>,
) -> CmdResult {
    let mut args = Args::new(argv);
    let dst = if store { Some(args.next_key()?) } else { None };
    let src = args.next_key()?;
    let (mut lo, mut hi) = (args.next_arg()?, args.next_arg()?);
    let (mut withscores, mut offset, mut limit) = (false, 0i64, -1i64);
    while let Some(opt) = args.next_option() {
        match opt.as_str() {
            "withscores" if dst.is_none() => withscores = true,
            "limit" => {
                let [o, l] = args.values()?;
                offset = int_arg(o)?;
                limit = int_arg(l)?;
            }
            "rev" if rev.is_none() => rev = Some(true),
            "bylex" if by == By::Auto => by = By::Lex,
            "byscore" if by == By::Auto => by = By::Score,
            _ => return Err(CmdError::Syntax),
        }
    }
    let rev = rev.unwrap_or(false);
    if by == By::Auto {
        by = By::Rank;
    }
    if limit != -1 && by == By::Rank {
        return Err(CmdError::Err(
            "syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"
                .into(),
        ));
    }
    if withscores && by == By::Lex {
        return Err(CmdError::Err(
            "syntax error, WITHSCORES not supported in combination with BYLEX".into(),
        ));
    }
    if rev && by != By::Rank {
        std::mem::swap(&mut lo, &mut hi);
    }
    let spec = match by {
        By::Score => Spec::Score(score_range(lo, hi)?),
        By::Lex => Spec::Lex(lex_range(lo, hi)?),
        _ => Spec::Rank(int_arg(lo)?, int_arg(hi)?),
    };
    let z = zset_at(ctx, src, true)?;
    let Some(dst) = dst else {
        return Ok(match z {
            Some(z) => members_reply(select(z, &spec, rev, offset, limit), withscores),
            None => Reply::Array(vec![]),
        });
    };
    let pairs: Vec<(f64, Vec<u8>)> = match z {
        Some(z) => select(z, &spec, rev, offset, limit)
            .into_iter()
            .map(|(s, m)| (s, m.to_vec()))
            .collect(),
        None => Vec::new(),
    };
    // The destination fills like a fresh key under ZADD, in the order the range is walked.
    let enc = ctx.server.encodings();
    Ok(store_result(
        ctx,
        dst,
        ZSet::from_pairs(pairs, &enc),
        "zrangestore",
    ))
}

/// ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]
pub(super) fn zrange(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    zrange_generic(ctx, argv, false, By::Auto, None)
}

/// ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]
pub(super) fn zrangestore(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    zrange_generic(ctx, argv, true, By::Auto, None)
}

/// ZREVRANGE key start stop [WITHSCORES]
pub(super) fn zrevrange(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    zrange_generic(ctx, argv, false, By::Rank, Some(true))
}

/// ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]
pub(super) fn zrangebyscore(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    zrange_generic(ctx, argv, false, By::Score, Some(false))
}

/// ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count]
pub(super) fn zrevrangebyscore(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    zrange_generic(ctx, argv, false, By::Score, Some(true))
}

/// ZRANGEBYLEX key min max [LIMIT offset count]
pub(super) fn zrangebylex(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    zrange_generic(ctx, argv, false, By::Lex, Some(false))
}

/// ZREVRANGEBYLEX key max min [LIMIT offset count]
pub(super) fn zrevrangebylex(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    zrange_generic(ctx, argv, false, By::Lex, Some(true))
}

/// ZCOUNT key min max
pub(super) fn zcount(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let r = score_range(args.next_arg()?, args.next_arg()?)?;
    let Some(z) = zset_at(ctx, key, true)? else {
        return Ok(Reply::Int(0));
    };
    Ok(Reply::Int(match z.first_in_score(&r) {
        Some(first) => count_from(z, first, z.last_in_score(&r), |s, _| r.lte_max(s)),
        None => 0,
    }))
}

/// ZLEXCOUNT key min max
pub(super) fn zlexcount(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let r = lex_range(args.next_arg()?, args.next_arg()?)?;
    let Some(z) = zset_at(ctx, key, true)? else {
        return Ok(Reply::Int(0));
    };
    Ok(Reply::Int(match z.first_in_lex(&r) {
        Some(first) => count_from(z, first, z.last_in_lex(&r), |_, m| r.lte_max(m)),
        None => 0,
    }))
}

/// The ZREMRANGEBY* commands (`key min max`, read by `parse`): the range is parsed
/// before the key is looked at; a score or lex range removes the run of members in
/// range from its first one.
fn zremrange_generic(
    ctx: &mut Ctx,
    argv: &[Vec<u8>],
    parse: impl FnOnce(&[u8], &[u8]) -> CmdResult<Spec>,
    event: &'static str,
) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let spec = parse(args.next_arg()?, args.next_arg()?)?;
    let Some(z) = zset_at(ctx, key, false)? else {
        return Ok(Reply::Int(0));
    };
    let (first, count) = match &spec {
        Spec::Rank(start, stop) => match rank_bounds(z.len(), *start, *stop) {
            Some((a, b)) => (a, b - a + 1),
            None => (0, 0),
        },
        Spec::Score(r) => match z.first_in_score(r) {
            Some(a) => (
                a.rank,
                z.iter_at(a, false)
                    .take_while(|(s, _)| r.lte_max(*s))
                    .count(),
            ),
            None => (0, 0),
        },
        Spec::Lex(r) => match z.first_in_lex(r) {
            Some(a) => (
                a.rank,
                z.iter_at(a, false)
                    .take_while(|(_, m)| r.lte_max(m))
                    .count(),
            ),
            None => (0, 0),
        },
    };
    let deleted = if count > 0 {
        z.remove_ranks(first, first + count - 1)
    } else {
        0
    };
    if deleted > 0 {
        ctx.notify(Class::ZSet, event, key);
        delete_if_empty(ctx, key);
        ctx.changes(deleted as u64);
    }
    Ok(Reply::Int(deleted as i64))
}

/// ZREMRANGEBYRANK key start stop
pub(super) fn zremrangebyrank(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let rank = |start: &[u8], stop: &[u8]| Ok(Spec::Rank(int_arg(start)?, int_arg(stop)?));
    zremrange_generic(ctx, argv, rank, "zremrangebyrank")
}

/// ZREMRANGEBYSCORE key min max
pub(super) fn zremrangebyscore(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let score = |min: &[u8], max: &[u8]| Ok(Spec::Score(score_range(min, max)?));
    zremrange_generic(ctx, argv, score, "zremrangebyscore")
}

/// ZREMRANGEBYLEX key min max
pub(super) fn zremrangebylex(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let lex = |min: &[u8], max: &[u8]| Ok(Spec::Lex(lex_range(min, max)?));
    zremrange_generic(ctx, argv, lex, "zremrangebylex")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_bounds_read_like_strtod() {
        assert_eq!(strtod_all(b""), Some(0.0));
        assert_eq!(strtod_all(b" 1"), Some(1.0));
        assert_eq!(strtod_all(b"1 "), None);
        assert_eq!(strtod_all(b" "), None);
        assert_eq!(strtod_all(b"1e400"), Some(f64::INFINITY));
        assert_eq!(strtod_all(b"-1e400"), Some(f64::NEG_INFINITY));
        assert_eq!(strtod_all(b"1e-400"), Some(0.0));
        assert_eq!(strtod_all(b"0x10"), Some(16.0));
        assert_eq!(strtod_all(b"0x1p99999"), Some(f64::INFINITY));
        assert_eq!(strtod_all(b"2\0junk"), Some(2.0));
        assert_eq!(strtod_all(b"nan"), None);
        assert_eq!(strtod_all(b"-inf"), Some(f64::NEG_INFINITY));
    }
}
