//! Pops: ZPOPMIN, ZPOPMAX, ZMPOP and the blocking BZPOPMIN, BZPOPMAX, BZMPOP (Redis's
//! `genericZpopCommand` and `blockingGenericZpopCommand`).
//!
//! The blocking forms answer at once when a key has members. When none has they answer
//! nil, as Redis answers inside MULTI; outside it the server then blocks the client
//! (`blocking.rs`) and serves it again when a sorted set is created on one of its keys.

use super::zset_at;
use crate::commands::args::{int_in, timeout_arg, Args};
use crate::commands::delete_if_empty;
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
    // A count given (even 1) answers member/score pairs, nested in RESP3.
    let pairs = count.is_some() && shape == Shape::Flat;
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
    delete_if_empty(ctx, key);
    ctx.changes(n as u64);
    Ok(match shape {
        Shape::Flat if pairs => {
            let mut it = items.into_iter();
            let mut out = Vec::with_capacity(n);
            while let (Some(m), Some(s)) = (it.next(), it.next()) {
                out.push((m, s));
            }
            Reply::Pairs(out)
        }
        Shape::Flat => Reply::Array(items),
        Shape::KeyFlat => {
            items.insert(0, Reply::bulk(key));
            Reply::Array(items)
        }
        Shape::KeyNested => Reply::Array(vec![Reply::bulk(key), Reply::Array(items)]),
    })
}

/// ZPOPMIN/ZPOPMAX key [count]: more than one count is a syntax error before the count
/// is looked at; the count must be a non-negative integer.
fn zpop(ctx: &mut Ctx, argv: &[Vec<u8>], max: bool) -> CmdResult {
    let mut args = Args::new(argv);
    // The key as a one-key list, which is what pop_generic takes.
    let key = args.next_n(1)?;
    let count = args.next_opt();
    if !args.is_empty() {
        return Err(CmdError::Syntax);
    }
    let count = match count {
        Some(c) => Some(int_in(c, 0.., "value is out of range, must be positive")? as u64),
        None => None,
    };
    pop_generic(ctx, key, max, count, Shape::Flat)
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

/// BZPOPMIN and BZPOPMAX: `key [key ...] timeout`.
fn bzpop(ctx: &mut Ctx, argv: &[Vec<u8>], max: bool) -> CmdResult {
    let mut args = Args::new(argv);
    let timeout = args.next_back()?;
    blocking_pop(ctx, args.rest(), timeout, max, None, Shape::KeyFlat)
}

/// BZPOPMIN key [key ...] timeout
pub(super) fn bzpopmin(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    bzpop(ctx, argv, false)
}

/// BZPOPMAX key [key ...] timeout
pub(super) fn bzpopmax(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    bzpop(ctx, argv, true)
}

/// `numkeys key [key ...] MIN|MAX [COUNT count]`, the rest of ZMPOP and BZMPOP:
/// numkeys must leave room for MIN|MAX after the keys, COUNT may come once.
fn mpop_args<'a>(args: &mut Args<'a>) -> CmdResult<(&'a [Vec<u8>], bool, u64)> {
    let numkeys = args.next_int_in(1.., "numkeys should be greater than 0")?;
    if numkeys >= args.remaining() as i64 {
        return Err(CmdError::Syntax);
    }
    let keys = args.next_n(numkeys as usize)?;
    let max = match args.next_word()?.as_str() {
        "min" => false,
        "max" => true,
        _ => return Err(CmdError::Syntax),
    };
    let mut count = None;
    while let Some(opt) = args.next_option() {
        match opt.as_str() {
            "count" if count.is_none() => {
                let n = int_in(args.value()?, 1.., "count should be greater than 0")?;
                count = Some(n);
            }
            _ => return Err(CmdError::Syntax),
        }
    }
    Ok((keys, max, count.unwrap_or(1) as u64))
}

/// ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]
pub(super) fn zmpop(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let (keys, max, count) = mpop_args(&mut Args::new(argv))?;
    pop_generic(ctx, keys, max, Some(count), Shape::KeyNested)
}

/// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count] — the timeout is checked
/// after the rest, as in Redis.
pub(super) fn bzmpop(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let timeout = args.next_arg()?;
    let (keys, max, count) = mpop_args(&mut args)?;
    blocking_pop(ctx, keys, timeout, max, Some(count), Shape::KeyNested)
}
