//! Pops: ZPOPMIN, ZPOPMAX, ZMPOP and the blocking BZPOPMIN, BZPOPMAX, BZMPOP (Redis's
//! `genericZpopCommand` and `blockingGenericZpopCommand`).
//!
//! The blocking forms answer at once when a key has members. When none has they answer
//! nil, as Redis answers inside MULTI; outside it the server then blocks the client
//! (`blocking.rs`) and serves it again when a sorted set is created on one of its keys.

use super::zset_at;
use crate::commands::{int_arg, is, remove_if_empty, timeout_arg};
use crate::error::{CmdError, CmdResult};
use crate::reply::Reply;
use crate::server::{Class, Ctx};

/// How a pop's members are laid out in the reply.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// ZPOPMIN/ZPOPMAX: member, score, member, score…
    Flat,
    /// BZPOPMIN/BZPOPMAX: key, member, score.
    KeyFlat,
    /// ZMPOP/BZMPOP: key, then [member, score] pairs.
    KeyNested,
}

/// Pop up to `count` members from the first of `keys` that exists (a key of another type
/// first is WRONGTYPE). `count` None is the single pop of the commands without COUNT.
fn pop_generic(
    ctx: &mut Ctx,
    keys: &[Vec<u8>],
    max: bool,
    count: Option<u64>,
    shape: Shape,
) -> CmdResult {
    let mut found = None;
    for k in keys {
        if zset_at(ctx, k, false)?.is_some() {
            found = Some(k);
            break;
        }
    }
    let Some(key) = found else {
        return Ok(if shape == Shape::KeyNested {
            Reply::NilArray
        } else {
            Reply::Array(vec![])
        });
    };
    let count = count.unwrap_or(1);
    if count == 0 {
        return Ok(Reply::Array(vec![]));
    }
    let Some(z) = zset_at(ctx, key, false)? else {
        return Ok(Reply::Array(vec![]));
    };
    let n = (count.min(z.len() as u64)) as usize;
    let mut items = Vec::with_capacity(n * 2);
    for _ in 0..n {
        let Some((score, member)) = z.pop(max) else {
            break;
        };
        match shape {
            Shape::KeyNested => items.push(Reply::Array(vec![
                Reply::Bulk(member),
                Reply::Double(score),
            ])),
            _ => {
                items.push(Reply::Bulk(member));
                items.push(Reply::Double(score));
            }
        }
    }
    ctx.notify(Class::ZSet, if max { "zpopmax" } else { "zpopmin" }, key);
    if remove_if_empty(ctx, key) {
        ctx.notify(Class::Generic, "del", key);
    }
    ctx.changes(n as u64);
    Ok(match shape {
        Shape::Flat => Reply::Array(items),
        Shape::KeyFlat => {
            items.insert(0, Reply::bulk(key));
            Reply::Array(items)
        }
        Shape::KeyNested => Reply::Array(vec![Reply::bulk(key), Reply::Array(items)]),
    })
}

/// ZPOPMIN/ZPOPMAX key [count]: the count must be a non-negative integer.
fn zpop(ctx: &mut Ctx, argv: &[Vec<u8>], max: bool) -> CmdResult {
    if argv.len() > 3 {
        return Err(CmdError::Syntax);
    }
    let count = match argv.get(2) {
        Some(c) => Some(non_negative(c, "value is out of range, must be positive")?),
        None => None,
    };
    pop_generic(ctx, &argv[1..2], max, count, Shape::Flat)
}

/// An integer in 0..=i64::MAX, else `ERR <msg>`.
fn non_negative(arg: &[u8], msg: &str) -> CmdResult<u64> {
    match int_arg(arg) {
        Ok(v) if v >= 0 => Ok(v as u64),
        _ => Err(CmdError::Err(msg.into())),
    }
}

/// An integer in 1..=i64::MAX, else `ERR <msg>`.
fn positive(arg: &[u8], msg: &str) -> CmdResult<u64> {
    match int_arg(arg) {
        Ok(v) if v >= 1 => Ok(v as u64),
        _ => Err(CmdError::Err(msg.into())),
    }
}

/// ZPOPMIN key [count]
pub(super) fn zpopmin(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    zpop(ctx, argv, false)
}

/// ZPOPMAX key [count]
pub(super) fn zpopmax(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    zpop(ctx, argv, true)
}

/// BZPOPMIN/BZPOPMAX and BZMPOP once their arguments are read: the timeout is checked,
/// then the first key with members is popped; none gives nil (see the module comment).
fn blocking_pop(
    ctx: &mut Ctx,
    keys: &[Vec<u8>],
    timeout: &[u8],
    max: bool,
    count: Option<u64>,
    shape: Shape,
) -> CmdResult {
    let deadline = timeout_arg(timeout, ctx.now)?;
    for k in keys {
        if zset_at(ctx, k, false)?.is_some_and(|z| !z.is_empty()) {
            return pop_generic(ctx, std::slice::from_ref(k), max, count, shape);
        }
    }
    ctx.block(keys, deadline);
    Ok(Reply::NilArray)
}

/// BZPOPMIN key [key ...] timeout
pub(super) fn bzpopmin(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let last = argv.len() - 1;
    blocking_pop(
        ctx,
        &argv[1..last],
        &argv[last],
        false,
        None,
        Shape::KeyFlat,
    )
}

/// BZPOPMAX key [key ...] timeout
pub(super) fn bzpopmax(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let last = argv.len() - 1;
    blocking_pop(ctx, &argv[1..last], &argv[last], true, None, Shape::KeyFlat)
}

/// ZMPOP and BZMPOP: numkeys at `numkeys_at`, the keys, MIN|MAX, then COUNT once.
fn mpop_generic(ctx: &mut Ctx, argv: &[Vec<u8>], numkeys_at: usize, blocking: bool) -> CmdResult {
    let numkeys = positive(&argv[numkeys_at], "numkeys should be greater than 0")?;
    let where_at = (numkeys_at as u64 + 1).saturating_add(numkeys);
    if where_at >= argv.len() as u64 {
        return Err(CmdError::Syntax);
    }
    let where_at = where_at as usize;
    let max = if is(&argv[where_at], "min") {
        false
    } else if is(&argv[where_at], "max") {
        true
    } else {
        return Err(CmdError::Syntax);
    };
    let mut count = None;
    let mut j = where_at + 1;
    while j < argv.len() {
        if count.is_none() && is(&argv[j], "count") && j + 1 < argv.len() {
            count = Some(positive(&argv[j + 1], "count should be greater than 0")?);
            j += 2;
        } else {
            return Err(CmdError::Syntax);
        }
    }
    let keys = &argv[numkeys_at + 1..where_at];
    if blocking {
        blocking_pop(
            ctx,
            keys,
            &argv[1],
            max,
            Some(count.unwrap_or(1)),
            Shape::KeyNested,
        )
    } else {
        pop_generic(ctx, keys, max, Some(count.unwrap_or(1)), Shape::KeyNested)
    }
}

/// ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]
pub(super) fn zmpop(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    mpop_generic(ctx, argv, 1, false)
}

/// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
pub(super) fn bzmpop(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    mpop_generic(ctx, argv, 2, true)
}
