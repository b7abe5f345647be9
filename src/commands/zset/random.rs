//! ZRANDMEMBER and ZSCAN: the commands whose output Redis leaves unordered or random.
//! Random picks use the server's seeded RNG, so a session replays the same way.

use std::collections::HashSet;

use super::{members_reply, zset_at};
use crate::commands::args::{int_arg, parse_cursor, scan_options, Args};
use crate::commands::common::scan_reply;
use crate::error::{CmdError, CmdResult};
use crate::num::double::fmt_g17;
use crate::reply::Reply;
use crate::server::Ctx;

/// The most members one ZRANDMEMBER may return. Redis would try to build any reply it is
/// asked for (a count near 2^63 exhausts its memory); a browser tab can't, so beyond this
/// the command is refused the way Redis refuses commands when memory runs out.
const MAX_RANDOM_REPLY: u64 = 10_000_000;

/// ZRANDMEMBER key [count [WITHSCORES]]
pub(super) fn zrandmember(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let Some(count) = args.next_opt() else {
        let Some(size) = zset_at(ctx, key, true)?.map(|z| z.len()) else {
            return Ok(Reply::Nil);
        };
        let i = ctx.server.rng().usize(..size.max(1));
        return Ok(zset_at(ctx, key, false)?
            .and_then(|z| z.get(i))
            .map_or(Reply::Nil, |(_, m)| Reply::bulk(m)));
    };
    let l = int_arg(count)?;
    if l == i64::MIN {
        return Err(CmdError::Err("value is out of range, value must between -9223372036854775807 and 9223372036854775807".into()));
    }
    let withscores = args.eat("withscores");
    if !args.is_empty() {
        return Err(CmdError::Syntax);
    }
    if withscores && !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&l) {
        return Err(CmdError::Err("value is out of range".into()));
    }
    let Some(z) = zset_at(ctx, key, true)? else {
        return Ok(Reply::Array(vec![]));
    };
    let size = z.len();
    let (count, unique) = (l.unsigned_abs(), l >= 0);
    if count == 0 {
        return Ok(Reply::Array(vec![]));
    }
    // The whole set, when at least that many distinct members are asked for: Redis walks
    // it from the top.
    if unique && count >= size as u64 {
        return Ok(members_reply(z.iter_rev(), withscores));
    }
    if count > MAX_RANDOM_REPLY {
        return Err(CmdError::Oom);
    }
    let listpack = z.is_listpack();
    let count = count as usize;
    let rng = ctx.server.rng();
    let mut ranks: Vec<usize>;
    if !unique || count == 1 {
        // Picks may repeat, in random order.
        ranks = (0..count).map(|_| rng.usize(..size)).collect();
    } else if count * 3 > size {
        // Many of them: drop random members from the whole set until `count` remain.
        ranks = (0..size).collect();
        while ranks.len() > count {
            let i = rng.usize(..ranks.len());
            ranks.swap_remove(i);
        }
    } else {
        // Few of them: pick distinct ranks at random (a listpack gives them in order).
        let mut seen = HashSet::with_capacity(count);
        ranks = Vec::with_capacity(count);
        while ranks.len() < count {
            let r = rng.usize(..size);
            if seen.insert(r) {
                ranks.push(r);
            }
        }
        if listpack {
            ranks.sort_unstable();
        }
    }
    let Some(z) = zset_at(ctx, key, false)? else {
        return Ok(Reply::Array(vec![]));
    };
    Ok(members_reply(
        ranks.into_iter().filter_map(|r| z.get(r)),
        withscores,
    ))
}

/// ZSCAN key cursor [MATCH pattern] [COUNT count]
pub(super) fn zscan(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let cursor = args.next_with(parse_cursor)?;
    let Some(z) = zset_at(ctx, key, true)? else {
        return Ok(scan_reply(0, vec![]));
    };
    let o = scan_options(&mut args, false)?;
    let (next, found) = z.scan(cursor, o.count);
    let mut out = Vec::new();
    for (m, s) in found.into_iter().filter(|(m, _)| o.matches(m)) {
        out.push(Reply::bulk(m));
        out.push(Reply::Bulk(fmt_g17(s).into_bytes()));
    }
    Ok(scan_reply(next, out))
}
