//! Lists, continued: moving an element between lists (LMOVE, RPOPLPUSH), popping from the
//! first non-empty of several lists (LMPOP), and the blocking variants of all of these.
//!
//! When no list has data the blocking forms answer as Redis answers inside MULTI: BLPOP,
//! BRPOP and BLMPOP with a nil array, BLMOVE and BRPOPLPUSH with a nil bulk string (their
//! timeouts validated first). Outside MULTI the server then blocks the client instead
//! (`blocking.rs`), and that nil becomes its answer if the timeout passes.

use super::{end_arg, int_at_least, list_at, list_or_new, pop_from, popped, push_event};
use crate::commands::timeout_arg;
use crate::error::{CmdError, CmdResult};
use crate::reply::Reply;
use crate::server::{Class, Ctx};
use crate::types::list::{self, End};

// ---- data operations ----

/// Pop from `source` and push onto `destination` (possibly the same list: a rotation).
/// Nil if the source is missing; WRONGTYPE from either key leaves both untouched.
fn move_generic(ctx: &mut Ctx, source: &[u8], destination: &[u8], from: End, to: End) -> CmdResult {
    if list_at(ctx, source, false)?.is_none_or(|l| l.is_empty()) {
        return Ok(Reply::Nil);
    }
    list_at(ctx, destination, false)?;
    let Some(value) = list_at(ctx, source, false)?.and_then(|l| list::pop(l, from)) else {
        return Ok(Reply::Nil);
    };
    // The source stays in the db (possibly empty) until after the push, so moving the
    // last element of a list onto itself keeps it.
    list::push(list_or_new(ctx, destination)?, to, value.clone());
    ctx.notify(Class::List, push_event(to), destination);
    popped(ctx, source, from);
    ctx.changes(1);
    Ok(Reply::Bulk(value))
}

/// The keys, end and count of LMPOP and BLMPOP, whose numkeys is at `numkeys_at`.
fn mpop_args(argv: &[Vec<u8>], numkeys_at: usize) -> CmdResult<(&[Vec<u8>], End, u64)> {
    let numkeys = int_at_least(&argv[numkeys_at], 1, "numkeys should be greater than 0")?;
    let first = numkeys_at + 1;
    let room = (argv.len() - first) as i64;
    if numkeys >= room {
        return Err(CmdError::Syntax);
    }
    let end_at = first + numkeys as usize;
    let end = end_arg(&argv[end_at])?;
    let mut count = None;
    let mut j = end_at + 1;
    while j < argv.len() {
        if count.is_none() && super::is(&argv[j], "count") && j + 1 < argv.len() {
            j += 1;
            count = Some(int_at_least(&argv[j], 1, "count should be greater than 0")?);
        } else {
            return Err(CmdError::Syntax);
        }
        j += 1;
    }
    Ok((&argv[first..end_at], end, count.unwrap_or(1) as u64))
}

/// The first key among `keys` that holds a non-empty list; WRONGTYPE if a key of another
/// type comes first.
fn first_with_data<'k>(ctx: &mut Ctx, keys: &'k [Vec<u8>]) -> CmdResult<Option<&'k [u8]>> {
    for key in keys {
        if list_at(ctx, key, false)?.is_some_and(|l| !l.is_empty()) {
            return Ok(Some(key));
        }
    }
    Ok(None)
}

/// LMPOP and BLMPOP once their arguments are parsed: `[key, [elements…]]` or a nil array.
fn mpop_generic(ctx: &mut Ctx, keys: &[Vec<u8>], end: End, count: u64) -> CmdResult {
    let Some(key) = first_with_data(ctx, keys)? else {
        return Ok(Reply::NilArray);
    };
    let items = pop_from(ctx, key, end, count)?;
    Ok(Reply::Array(vec![Reply::bulk(key), Reply::bulks(items)]))
}

/// BLPOP and BRPOP: `[key, element]` from the first list with data, or a nil array.
fn bpop_generic(ctx: &mut Ctx, argv: &[Vec<u8>], end: End) -> CmdResult {
    let deadline = timeout_arg(&argv[argv.len() - 1], ctx.now)?;
    let keys = &argv[1..argv.len() - 1];
    let Some(key) = first_with_data(ctx, keys)? else {
        ctx.block(keys, deadline);
        return Ok(Reply::NilArray);
    };
    let mut items = pop_from(ctx, key, end, 1)?;
    Ok(Reply::Array(vec![
        Reply::bulk(key),
        Reply::opt_bulk(items.pop()),
    ]))
}

/// A blocking command's answer: found nothing (nil), it waits on `keys` until `deadline`.
fn block_if_nil(ctx: &mut Ctx, keys: &[Vec<u8>], deadline: i64, answer: CmdResult) -> CmdResult {
    if matches!(answer, Ok(Reply::Nil | Reply::NilArray)) {
        ctx.block(keys, deadline);
    }
    answer
}

// ---- command handlers ----

/// LMOVE source destination LEFT|RIGHT LEFT|RIGHT
pub(super) fn lmove(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let from = end_arg(&argv[3])?;
    let to = end_arg(&argv[4])?;
    move_generic(ctx, &argv[1], &argv[2], from, to)
}

/// RPOPLPUSH source destination
pub(super) fn rpoplpush(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    move_generic(ctx, &argv[1], &argv[2], End::Right, End::Left)
}

/// BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout
pub(super) fn blmove(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let from = end_arg(&argv[3])?;
    let to = end_arg(&argv[4])?;
    let deadline = timeout_arg(&argv[5], ctx.now)?;
    let moved = move_generic(ctx, &argv[1], &argv[2], from, to);
    block_if_nil(ctx, &argv[1..2], deadline, moved)
}

/// BRPOPLPUSH source destination timeout
pub(super) fn brpoplpush(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let deadline = timeout_arg(&argv[3], ctx.now)?;
    let moved = move_generic(ctx, &argv[1], &argv[2], End::Right, End::Left);
    block_if_nil(ctx, &argv[1..2], deadline, moved)
}

/// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]
pub(super) fn lmpop(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let (keys, end, count) = mpop_args(argv, 1)?;
    mpop_generic(ctx, keys, end, count)
}

/// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]
pub(super) fn blmpop(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let (keys, end, count) = mpop_args(argv, 2)?;
    let deadline = timeout_arg(&argv[1], ctx.now)?;
    let popped = mpop_generic(ctx, keys, end, count);
    block_if_nil(ctx, keys, deadline, popped)
}

/// BLPOP key [key ...] timeout
pub(super) fn blpop(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    bpop_generic(ctx, argv, End::Left)
}

/// BRPOP key [key ...] timeout
pub(super) fn brpop(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    bpop_generic(ctx, argv, End::Right)
}
