//! Lists, continued: moving an element between lists (LMOVE, RPOPLPUSH), popping from the
//! first non-empty of several lists (LMPOP), and the blocking variants of all of these.
//!
//! When no list has data the blocking forms answer as Redis answers inside MULTI: BLPOP,
//! BRPOP and BLMPOP with a nil array, BLMOVE and BRPOPLPUSH with a nil bulk string (their
//! timeouts validated first). Outside MULTI the server then blocks the client instead
//! (`blocking.rs`), and that nil becomes its answer if the timeout passes.

use super::{end_arg, list_at, list_or_new, pop_from, popped, push_event};
use crate::clock::Ms;
use crate::commands::args::{int_in, timeout_arg, Args};
use crate::commands::common::fits;
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
    let len_now = list_at(ctx, destination, false)?.map_or(0, |l| l.len());
    fits::<Vec<u8>>(len_now.saturating_add(1))?;
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

/// `numkeys key [key ...] LEFT|RIGHT [COUNT count]`, the rest of LMPOP and BLMPOP:
/// numkeys must leave room for LEFT|RIGHT after the keys, COUNT may come once.
fn mpop_args<'a>(args: &mut Args<'a>) -> CmdResult<(&'a [Vec<u8>], End, u64)> {
    let numkeys = args.next_int_in(1.., "numkeys should be greater than 0")?;
    if numkeys >= args.remaining() as i64 {
        return Err(CmdError::Syntax);
    }
    let keys = args.next_n(numkeys as usize)?;
    let end = end_arg(args.next_word()?)?;
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
    Ok((keys, end, count.unwrap_or(1) as u64))
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

/// BLPOP and BRPOP (`key [key ...] timeout`): `[key, element]` from the first list with
/// data, or a nil array. The timeout is checked first.
fn bpop_generic(ctx: &mut Ctx, argv: &[Vec<u8>], end: End) -> CmdResult {
    let mut args = Args::new(argv);
    let now = ctx.now;
    let deadline = args.next_back().and_then(|t| timeout_arg(t, now))?;
    let keys = args.rest();
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
fn block_if_nil<K: AsRef<[u8]>>(
    ctx: &mut Ctx,
    keys: impl IntoIterator<Item = K>,
    deadline: Ms,
    answer: CmdResult,
) -> CmdResult {
    if matches!(answer, Ok(Reply::Nil | Reply::NilArray)) {
        ctx.block(keys, deadline);
    }
    answer
}

// ---- command handlers ----

/// LMOVE source destination LEFT|RIGHT LEFT|RIGHT
pub(super) fn lmove(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let source = args.next_key()?;
    let destination = args.next_key()?;
    let from = end_arg(args.next_word()?)?;
    let to = end_arg(args.next_word()?)?;
    move_generic(ctx, source, destination, from, to)
}

/// RPOPLPUSH source destination
pub(super) fn rpoplpush(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let source = args.next_key()?;
    let destination = args.next_key()?;
    move_generic(ctx, source, destination, End::Right, End::Left)
}

/// BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout
pub(super) fn blmove(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let source = args.next_key()?;
    let destination = args.next_key()?;
    let from = end_arg(args.next_word()?)?;
    let to = end_arg(args.next_word()?)?;
    let now = ctx.now;
    let deadline = args.next_with(|t| timeout_arg(t, now))?;
    let moved = move_generic(ctx, source, destination, from, to);
    block_if_nil(ctx, [source], deadline, moved)
}

/// BRPOPLPUSH source destination timeout
pub(super) fn brpoplpush(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let source = args.next_key()?;
    let destination = args.next_key()?;
    let now = ctx.now;
    let deadline = args.next_with(|t| timeout_arg(t, now))?;
    let moved = move_generic(ctx, source, destination, End::Right, End::Left);
    block_if_nil(ctx, [source], deadline, moved)
}

/// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]
pub(super) fn lmpop(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let (keys, end, count) = mpop_args(&mut Args::new(argv))?;
    mpop_generic(ctx, keys, end, count)
}

/// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count] — the timeout is
/// checked after the rest, as in Redis.
pub(super) fn blmpop(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let timeout = args.next_arg()?;
    let (keys, end, count) = mpop_args(&mut args)?;
    let deadline = timeout_arg(timeout, ctx.now)?;
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
