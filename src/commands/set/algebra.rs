//! Set algebra: SINTER, SINTERCARD, SINTERSTORE, SUNION, SUNIONSTORE, SDIFF, SDIFFSTORE.
//!
//! As in Redis, every key is looked up first: a missing key is an empty set, a key of
//! another type is WRONGTYPE even after a missing one. Results are built the way Redis
//! builds them, so their order and encoding match: an intersection follows the smallest
//! set's order; a union or difference is collected into a fresh set (an intset while it
//! is all small integers, so it comes out ascending), and SDIFF picks between Redis's two
//! algorithms by the same cost estimate, because they can leave different encodings.

use super::{peek_set, set_at, set_reply, store};
use crate::commands::args::{int_in, Args};
use crate::error::{CmdError, CmdResult};
use crate::server::{Class, Ctx};
use crate::types::Set;

// ---- data operations ----

/// Look every key up (counting hits and misses): each set's size, None where missing.
fn sizes(ctx: &mut Ctx, keys: &[Vec<u8>]) -> CmdResult<Vec<Option<usize>>> {
    keys.iter()
        .map(|k| Ok(set_at(ctx, k, true)?.map(|s| s.len())))
        .collect()
}

/// The members in every set at `keys`, in the order of the smallest set (the first of
/// the smallest, as Redis's sort keeps ties in argument order). `limit` > 0 stops there.
fn intersection(ctx: &mut Ctx, keys: &[Vec<u8>], limit: usize) -> CmdResult<Vec<Vec<u8>>> {
    let sizes = sizes(ctx, keys)?;
    if sizes.iter().any(Option::is_none) {
        return Ok(Vec::new());
    }
    let mut order: Vec<usize> = (0..keys.len()).collect();
    crate::sorting::sort_by(&mut order, |&a, &b| sizes[a].cmp(&sizes[b]));
    let first = &keys[order[0]];
    let mut found = peek_set(ctx, first)
        .map(|s| s.members())
        .unwrap_or_default();
    for &j in &order[1..] {
        if found.is_empty() {
            break;
        }
        if keys[j] == *first {
            continue;
        }
        match peek_set(ctx, &keys[j]) {
            Some(s) => found.retain(|m| s.contains(m)),
            None => found.clear(),
        }
    }
    if limit > 0 {
        found.truncate(limit);
    }
    Ok(found)
}

/// All the members of the sets at `keys`, collected into a fresh set.
fn union(ctx: &mut Ctx, keys: &[Vec<u8>]) -> CmdResult<Set> {
    sizes(ctx, keys)?;
    let enc = ctx.server.encodings();
    let mut out = Set::default();
    for k in keys {
        if let Some(s) = peek_set(ctx, k) {
            for m in s.iter() {
                out.insert(m.into_owned(), &enc);
            }
        }
    }
    Ok(out)
}

/// The members of the first set found in none of the others, computed with the
/// algorithm Redis would pick: (1) test each member of the first set against the others,
/// or (2) copy the first set and remove the others' members from the copy.
fn difference(ctx: &mut Ctx, keys: &[Vec<u8>]) -> CmdResult<Set> {
    let sizes = sizes(ctx, keys)?;
    let enc = ctx.server.encodings();
    let Some(first) = sizes[0] else {
        return Ok(Set::default());
    };
    let present = sizes.iter().flatten().count() as u64;
    let algo_one_work = first as u64 * present / 2;
    let algo_two_work: u64 = sizes.iter().flatten().map(|&n| n as u64).sum();
    if algo_one_work <= algo_two_work {
        let mut left = peek_set(ctx, &keys[0])
            .map(|s| s.members())
            .unwrap_or_default();
        for k in &keys[1..] {
            if left.is_empty() {
                break;
            }
            if let Some(s) = peek_set(ctx, k) {
                left.retain(|m| !s.contains(m));
            }
        }
        return Ok(Set::from_members(left, &enc));
    }
    let mut out = Set::default();
    if let Some(s) = peek_set(ctx, &keys[0]) {
        for m in s.iter() {
            out.insert(m.into_owned(), &enc);
        }
    }
    for k in &keys[1..] {
        if out.is_empty() {
            break;
        }
        if let Some(s) = peek_set(ctx, k) {
            for m in s.iter() {
                out.remove(&m);
            }
        }
    }
    Ok(out)
}

/// The STORE forms: replace `dst` with the result, or delete it when the result is empty.
fn store_result(ctx: &mut Ctx, dst: &[u8], result: Set, event: &'static str) -> CmdResult {
    let n = result.len();
    if n > 0 {
        store(ctx, dst, result);
        ctx.notify(Class::Set, event, dst);
        ctx.changes(1);
    } else {
        let now = ctx.now;
        if ctx.db().remove(dst, now).is_some() {
            ctx.notify(Class::Generic, "del", dst);
            ctx.changes(1);
        }
    }
    Ok(n.into())
}

// ---- command handlers ----

/// SINTER key [key ...]
pub fn sinter(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let keys = Args::new(argv).rest();
    Ok(set_reply(intersection(ctx, keys, 0)?))
}

/// SINTERCARD numkeys key [key ...] [LIMIT limit]
pub fn sintercard(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let numkeys = args.next_int_in(1.., "numkeys should be greater than 0")?;
    if numkeys > args.remaining() as i64 {
        return Err(CmdError::Err(
            "Number of keys can't be greater than number of args".into(),
        ));
    }
    let keys = args.next_n(numkeys as usize)?;
    let mut limit = 0;
    while let Some(opt) = args.next_option() {
        match opt.as_str() {
            "limit" => {
                let l = int_in(args.value()?, 0.., "LIMIT can't be negative")?;
                limit = usize::try_from(l).unwrap_or(usize::MAX);
            }
            _ => return Err(CmdError::Syntax),
        }
    }
    Ok(intersection(ctx, keys, limit)?.len().into())
}

/// SINTERSTORE destination key [key ...]
pub fn sinterstore(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let dst = args.next_key()?;
    let enc = ctx.server.encodings();
    let result = Set::from_members(intersection(ctx, args.rest(), 0)?, &enc);
    store_result(ctx, dst, result, "sinterstore")
}

/// SUNION key [key ...]
pub fn sunion(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let keys = Args::new(argv).rest();
    Ok(set_reply(union(ctx, keys)?.iter()))
}

/// SUNIONSTORE destination key [key ...]
pub fn sunionstore(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let dst = args.next_key()?;
    let result = union(ctx, args.rest())?;
    store_result(ctx, dst, result, "sunionstore")
}

/// SDIFF key [key ...]
pub fn sdiff(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let keys = Args::new(argv).rest();
    Ok(set_reply(difference(ctx, keys)?.iter()))
}

/// SDIFFSTORE destination key [key ...]
pub fn sdiffstore(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let dst = args.next_key()?;
    let result = difference(ctx, args.rest())?;
    store_result(ctx, dst, result, "sdiffstore")
}
