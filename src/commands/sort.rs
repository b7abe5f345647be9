//! SORT and SORT_RO: sort the elements of a list, set or sorted set — numerically or
//! alphabetically, by the elements themselves or by values looked up through a pattern —
//! slice, project through GET patterns, and reply or STORE the result as a list.
//!
//! Data operations first (Redis's pattern lookup, its strtod-based scores, the comparison
//! and its partial quicksort), then the shared command path and the two handlers, then the
//! table entries. Every step follows Redis 7.0's `sort.c`, including its quirks: a set
//! with `BY nosort` is answered unsorted (and DESC is ignored) unless STOREd, a sorted set
//! with `BY nosort` comes in score order, and ALPHA with BY leaves ties where the sort put
//! them — glibc's stable merge sort, or Redis's `pqsort` when LIMIT narrows the range.

use super::table::{key, unknown, Group, BASE};
use std::cmp::Ordering;

use super::args::{int_arg, Args};
use super::common::room_for;
use super::{value_of, Command};
use crate::error::{CmdError, CmdResult};
use crate::num::double::{self, hex_mantissa, lex, Lexed};
use crate::reply::Reply;
use crate::server::{Class, Ctx};
use crate::types::{List, Value};

// ---- data operations ----

/// The bytes of `b` as C sees them: up to the first NUL.
fn c_str(b: &[u8]) -> &[u8] {
    &b[..b.iter().position(|&c| c == 0).unwrap_or(b.len())]
}

/// Redis's `lookupKeyByPattern`: `#` is the element itself; otherwise the first `*` of
/// the pattern is replaced by the element and the key read — a string, or with
/// `key->field` a hash field. Anything else (no `*`, missing key, other type) is None.
/// Like Redis, the pattern is searched as a C string but cut with its full length.
fn lookup_by_pattern(ctx: &mut Ctx, pattern: &[u8], elem: &[u8]) -> Option<Vec<u8>> {
    let cpat = c_str(pattern);
    if cpat == b"#" {
        return Some(elem.to_vec());
    }
    let star = cpat.iter().position(|&c| c == b'*')?;
    let arrow = cpat[star + 1..]
        .windows(2)
        .position(|w| w == b"->")
        .map(|i| star + 1 + i);
    let field = arrow
        .filter(|&f| f + 2 < cpat.len())
        .map(|f| &pattern[f + 2..]);
    let postfix_len = pattern.len() - (star + 1) - field.map_or(0, |f| f.len() + 2);
    let mut key = Vec::with_capacity(star + elem.len() + postfix_len);
    key.extend_from_slice(&pattern[..star]);
    key.extend_from_slice(elem);
    key.extend_from_slice(&pattern[star + 1..star + 1 + postfix_len]);
    match (value_of(ctx, &key, true)?, field) {
        (Value::Str(s), None) => Some(s.as_bytes().to_vec()),
        (Value::Hash(h), Some(f)) => h.get(f).map(|v| v.to_vec()),
        _ => None,
    }
}

/// SORT's number: C `strtod` over the value as a C string, refused when not consumed
/// entirely, on ERANGE (overflow, underflow to zero, an inexact subnormal) or NaN. Unlike
/// other commands, leading whitespace is skipped and an empty string is 0.
fn sort_score(value: &[u8]) -> Option<f64> {
    let s = c_str(value);
    if s.is_empty() {
        return Some(0.0);
    }
    let t = &s[s
        .iter()
        .position(|c| !matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
        .unwrap_or(s.len())..];
    let v = double::parse(t)?;
    if v != 0.0 && v.abs() < f64::MIN_POSITIVE {
        // glibc sets ERANGE for a subnormal result unless it is exact, which only a hex
        // literal can be (an exact decimal subnormal needs over a thousand digits).
        let Some(Lexed::Hex { int, frac, exp, .. }) = lex(t) else {
            return None;
        };
        let (m, e, sticky) = hex_mantissa(int, frac, exp);
        if sticky || i64::from(m.trailing_zeros()) + e < -1074 {
            return None;
        }
    }
    Some(v)
}

/// One element being sorted, with what it is compared by.
struct Item {
    elem: Vec<u8>,
    score: f64,
    /// ALPHA with BY: the looked-up value (None when missing, which sorts first).
    by: Option<Vec<u8>>,
}

/// How `sortCompare` compares.
#[derive(Clone, Copy)]
struct Order {
    desc: bool,
    alpha: bool,
    by_pattern: bool,
    /// With STORE, ALPHA compares binary strings; without, `strcoll`, which in the C and
    /// C.UTF-8 locales is `strcmp`: bytes up to the first NUL.
    store: bool,
}

impl Order {
    fn cmp(&self, a: &Item, b: &Item) -> Ordering {
        let text = |x: &[u8], y: &[u8]| {
            if self.store {
                x.cmp(y)
            } else {
                c_str(x).cmp(c_str(y))
            }
        };
        let c = if !self.alpha {
            // Equal scores fall back to the elements as binary strings, so it's deterministic.
            a.score
                .partial_cmp(&b.score)
                .unwrap_or(Ordering::Equal)
                .then_with(|| a.elem.cmp(&b.elem))
        } else if self.by_pattern {
            match (&a.by, &b.by) {
                (Some(x), Some(y)) => text(x, y),
                (x, y) => x.is_some().cmp(&y.is_some()),
            }
        } else {
            text(&a.elem, &b.elem)
        };
        if self.desc {
            c.reverse()
        } else {
            c
        }
    }
}

/// The options of SORT / SORT_RO, as parsed.
struct SortOpts<'a> {
    desc: bool,
    alpha: bool,
    limit: (i64, i64),
    store: Option<&'a [u8]>,
    by: Option<&'a [u8]>,
    /// BY with a pattern without `*` (sticky, as in Redis: a later BY doesn't undo it).
    dontsort: bool,
    gets: Vec<&'a [u8]>,
}

/// The options after SORT's key, in any order and repeatable (the last LIMIT, STORE, ASC
/// or DESC wins; GETs add up); each option's values must all be there.
fn parse_opts<'a>(args: &mut Args<'a>, readonly: bool) -> CmdResult<SortOpts<'a>> {
    let mut o = SortOpts {
        desc: false,
        alpha: false,
        limit: (0, -1),
        store: None,
        by: None,
        dontsort: false,
        gets: vec![],
    };
    while let Some(opt) = args.next_option() {
        match opt.as_str() {
            "asc" => o.desc = false,
            "desc" => o.desc = true,
            "alpha" => o.alpha = true,
            "limit" => {
                let [offset, count] = args.values()?;
                o.limit = (int_arg(offset)?, int_arg(count)?);
            }
            "store" if !readonly => o.store = Some(args.value()?),
            "by" => {
                let pattern = args.value()?;
                o.by = Some(pattern);
                if !c_str(pattern).contains(&b'*') {
                    o.dontsort = true;
                }
            }
            "get" => o.gets.push(args.value()?),
            _ => return Err(CmdError::Syntax),
        }
    }
    Ok(o)
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    List,
    Set,
    ZSet,
}

/// The elements of the value at `key` (a missing key is an empty list), in the order
/// Redis loads them: list order, set order, sorted set by score.
fn load(ctx: &mut Ctx, key: &[u8]) -> CmdResult<(Kind, Vec<Vec<u8>>)> {
    Ok(match value_of(ctx, key, true) {
        None => (Kind::List, Vec::new()),
        Some(Value::List(l)) => (Kind::List, l.iter().cloned().collect()),
        Some(Value::Set(s)) => (Kind::Set, s.members()),
        Some(Value::ZSet(z)) => {
            // SORT converts a sorted set to a skiplist first (sort.c), which OBJECT
            // ENCODING then shows.
            z.to_skiplist();
            (Kind::ZSet, z.iter().map(|(_, m)| m.to_vec()).collect())
        }
        Some(_) => return Err(CmdError::WrongType),
    })
}

// ---- command handlers ----

/// The shared path of SORT and SORT_RO (`sortCommandGeneric`): every option is read
/// before the key is looked up.
fn sort_generic(ctx: &mut Ctx, argv: &[Vec<u8>], readonly: bool) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let mut o = parse_opts(&mut args, readonly)?;
    let (kind, all) = load(ctx, key)?;
    // A set has no order of its own: when STOREd (or for a script) it is sorted ALPHA
    // whatever BY says.
    if o.dontsort && kind == Kind::Set && (o.store.is_some() || ctx.from_script()) {
        o.dontsort = false;
        o.alpha = true;
        o.by = None;
    }
    let len = all.len() as i64;
    let (limit_start, limit_count) = o.limit;
    let mut start = limit_start.max(0);
    let mut end = if limit_count < 0 {
        len - 1
    } else {
        start.saturating_add(limit_count - 1)
    };
    if start >= len {
        start = len - 1;
        end = len - 2;
    }
    if end >= len {
        end = len - 1;
    }
    let mut items: Vec<Item> = if o.dontsort && kind != Kind::Set {
        // Lists and sorted sets keep their own order (reversed by DESC); LIMIT picks a range.
        let picked: Vec<Vec<u8>> = if end >= start {
            let n = (end - start + 1) as usize;
            let from = start as usize;
            if o.desc {
                all.into_iter().rev().skip(from).take(n).collect()
            } else {
                all.into_iter().skip(from).take(n).collect()
            }
        } else {
            Vec::new()
        };
        end -= start;
        start = 0;
        picked
            .into_iter()
            .map(|elem| Item {
                elem,
                score: 0.0,
                by: None,
            })
            .collect()
    } else {
        all.into_iter()
            .map(|elem| Item {
                elem,
                score: 0.0,
                by: None,
            })
            .collect()
    };
    let mut bad_score = false;
    if !o.dontsort {
        for it in items.iter_mut() {
            let by = match o.by {
                Some(p) => match lookup_by_pattern(ctx, p, &it.elem) {
                    Some(v) => v,
                    None => continue,
                },
                None => it.elem.clone(),
            };
            if o.alpha {
                if o.by.is_some() {
                    it.by = Some(by);
                }
            } else {
                match sort_score(&by) {
                    Some(s) => it.score = s,
                    None => bad_score = true,
                }
            }
        }
        let order = Order {
            desc: o.desc,
            alpha: o.alpha,
            by_pattern: o.by.is_some(),
            store: o.store.is_some(),
        };
        let cmp = |a: &Item, b: &Item| order.cmp(a, b);
        if o.by.is_some() && (start != 0 || end != items.len() as i64 - 1) {
            crate::sorting::pqsort(&mut items, &cmp, start, end);
        } else {
            crate::sorting::sort_by(&mut items, cmp);
        }
    }
    if bad_score {
        return Err(CmdError::Err(
            "One or more scores can't be converted into double".into(),
        ));
    }
    let picked: &[Item] = if end >= start {
        &items[start as usize..=end as usize]
    } else {
        &[]
    };
    let results = picked.len().saturating_mul(o.gets.len().max(1));
    let Some(dst) = o.store else {
        room_for::<Reply>(results)?;
        let mut out = Vec::with_capacity(results);
        for it in picked {
            if o.gets.is_empty() {
                out.push(Reply::bulk(&it.elem));
            }
            for g in &o.gets {
                out.push(Reply::opt_bulk(lookup_by_pattern(ctx, g, &it.elem)));
            }
        }
        return Ok(Reply::Array(out));
    };
    room_for::<Vec<u8>>(results)?;
    let mut list: Vec<Vec<u8>> = Vec::with_capacity(results);
    for it in picked {
        if o.gets.is_empty() {
            list.push(it.elem.clone());
        }
        for g in &o.gets {
            list.push(lookup_by_pattern(ctx, g, &it.elem).unwrap_or_default());
        }
    }
    let n = list.len();
    let now = ctx.now;
    if n > 0 {
        ctx.db()
            .set(dst, Value::List(Box::new(List::from(list))), false, now);
        ctx.notify(Class::List, "sortstore", dst);
        ctx.changes(n as u64);
    } else if ctx.db().remove(dst, now).is_some() {
        ctx.notify(Class::Generic, "del", dst);
        ctx.changes(1);
    }
    Ok(Reply::from(n))
}

/// SORT key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC] [ALPHA] [STORE destination]
fn sort(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    sort_generic(ctx, argv, false)
}

/// SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC] [ALPHA]
fn sort_ro(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    sort_generic(ctx, argv, true)
}

// ---- the table ----

pub const COMMANDS: &[Command] = &[
    Command {
        name: "sort",
        arity: -2,
        flags: flags![WRITE, DENYOOM, MOVABLEKEYS],
        acl: acl![WRITE, SET, SORTEDSET, LIST, SLOW, DANGEROUS],
        keys: (1, 1, 1),
        key_specs: &[key(1, key_flags![RO, ACCESS]), unknown(key_flags![RO, ACCESS]).notes("For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort"), unknown(key_flags![OW, UPDATE]).notes("For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array")],
        tips: &[],
        group: Group::Generic,
        since: "1.0.0",
        complexity: "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).",
        summary: "Sort a list, set or sorted set numerically or ALPHA, by itself or BY other keys, optionally GETting other keys and STOREing the result",
        syntax: "key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC] [ALPHA] [STORE destination]",
        handler: sort,
        find_keys: Some(super::keyspec::sort_keys),
        subcommands: &[],
        ..BASE
    },
    Command {
        name: "sort_ro",
        arity: -2,
        flags: flags![READONLY, MOVABLEKEYS],
        acl: acl![READ, SET, SORTEDSET, LIST, SLOW, DANGEROUS],
        keys: (1, 1, 1),
        key_specs: &[key(1, key_flags![RO, ACCESS]), unknown(key_flags![RO, ACCESS]).notes("For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort")],
        tips: &[],
        group: Group::Generic,
        since: "7.0.0",
        complexity: "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).",
        summary: "The read-only SORT: sort a list, set or sorted set without STORE",
        syntax: "key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC] [ALPHA]",
        handler: sort_ro,
        find_keys: Some(super::keyspec::sort_ro_keys),
        subcommands: &[],
        ..BASE
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_scores_parse_like_strtod_with_redis_checks() {
        assert_eq!(sort_score(b""), Some(0.0));
        assert_eq!(sort_score(b" 5"), Some(5.0));
        assert_eq!(sort_score(b"\t7"), Some(7.0));
        assert_eq!(sort_score(b"5\0abc"), Some(5.0));
        assert_eq!(sort_score(b"0x10"), Some(16.0));
        assert_eq!(sort_score(b"-inf"), Some(f64::NEG_INFINITY));
        assert_eq!(sort_score(b"0x1p-1070"), Some(2f64.powi(-1070)));
        for bad in [
            &b"5 "[..],
            b"   ",
            b"nan",
            b"1e400",
            b"1e-400",
            b"1e-310",
            b"x",
            b"0x",
        ] {
            assert_eq!(sort_score(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
    }
}
