//! Sorted sets. Members and scores here (ZADD, ZINCRBY, ZSCORE, ZMSCORE, ZCARD, ZREM,
//! ZRANK, ZREVRANK); ranges by rank, score and lex, their counts, removals and ZRANGESTORE
//! in `zset/range.rs`; ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD in
//! `zset/algebra.rs`; ZPOPMIN/ZPOPMAX, ZMPOP and the blocking pops in `zset/pop.rs`;
//! ZRANDMEMBER and ZSCAN in `zset/random.rs`.
//!
//! Data operations first (typed access, storing a result, deleting an emptied set,
//! Redis's change counting, score replies), then the command handlers, then the table
//! entries for the whole family.

mod algebra;
mod pop;
mod random;
mod range;

use super::args::{float_arg, pairs, Args};
use super::table::{key, Block, Group, Link, Shape, BASE};
use super::{delete_if_empty, remove_if_empty, value_of, Command};
use crate::error::{CmdError, CmdResult};
use crate::reply::Reply;
use crate::server::{Class, Ctx};
use crate::types::zset::{AddFlags, Added};
use crate::types::{Value, ZSet};

// ---- data operations ----

/// The sorted set at `key`: Ok(None) if missing, WRONGTYPE if another type. A read
/// command passes `read = true` so the lookup counts as a keyspace hit or miss.
pub(super) fn zset_at<'c>(
    ctx: &'c mut Ctx,
    key: &[u8],
    read: bool,
) -> CmdResult<Option<&'c mut ZSet>> {
    match value_of(ctx, key, read) {
        None => Ok(None),
        Some(Value::ZSet(z)) => Ok(Some(z)),
        Some(_) => Err(CmdError::WrongType),
    }
}

/// Store a computed sorted set at `dst` (replacing the key and its TTL) and answer its
/// size, or, when it is empty, delete `dst` and answer 0: ZRANGESTORE, ZUNIONSTORE, …
fn store_result(ctx: &mut Ctx, dst: &[u8], z: ZSet, event: &'static str) -> Reply {
    store_counting(ctx, dst, z, event, 1)
}

/// `store_result` counting `changes` for a stored set (GEOSEARCHSTORE counts one per
/// member, the Z*STORE commands one); deleting `dst` counts one.
pub(super) fn store_counting(
    ctx: &mut Ctx,
    dst: &[u8],
    z: ZSet,
    event: &'static str,
    changes: u64,
) -> Reply {
    let now = ctx.now;
    if z.is_empty() {
        if ctx.db().remove(dst, now).is_some() {
            ctx.notify(Class::Generic, "del", dst);
            ctx.changes(1);
        }
        return Reply::Int(0);
    }
    let n = z.len();
    ctx.db().set(dst, Value::ZSet(Box::new(z)), false, now);
    ctx.notify(Class::ZSet, event, dst);
    ctx.changes(changes);
    Reply::Int(n as i64)
}

/// Members, with their scores when `withscores` (member/score pairs: flat in RESP2,
/// nested in RESP3).
fn members_reply<'a>(items: impl IntoIterator<Item = (f64, &'a [u8])>, withscores: bool) -> Reply {
    if withscores {
        Reply::Pairs(
            items
                .into_iter()
                .map(|(s, m)| (Reply::bulk(m), Reply::Double(s)))
                .collect(),
        )
    } else {
        Reply::Array(items.into_iter().map(|(_, m)| Reply::bulk(m)).collect())
    }
}

// ---- members and scores ----

/// ZADD and ZINCRBY (which is ZADD with INCR): `key [flags] score member [...]`. The
/// flags run up to the first argument that isn't one; then Redis's checks in Redis's
/// order (pairs, incompatible flags, INCR's single pair, every score), then every pair
/// through `ZSet::add`.
pub(super) fn zadd_generic(ctx: &mut Ctx, argv: &[Vec<u8>], incr: bool) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let mut f = AddFlags {
        incr,
        ..AddFlags::default()
    };
    let mut ch = false;
    while let Some(flag) = args.eat_one_of(&["nx", "xx", "ch", "incr", "gt", "lt"]) {
        match flag {
            "nx" => f.nx = true,
            "xx" => f.xx = true,
            "ch" => ch = true,
            "incr" => f.incr = true,
            "gt" => f.gt = true,
            "lt" => f.lt = true,
            _ => {}
        }
    }
    let rest = args.rest();
    if rest.is_empty() || rest.len() % 2 == 1 {
        return Err(CmdError::Syntax);
    }
    if f.nx && f.xx {
        return Err(CmdError::Err(
            "XX and NX options at the same time are not compatible".into(),
        ));
    }
    if (f.nx && (f.gt || f.lt)) || (f.gt && f.lt) {
        return Err(CmdError::Err(
            "GT, LT, and/or NX options at the same time are not compatible".into(),
        ));
    }
    if f.incr && rest.len() > 2 {
        return Err(CmdError::Err(
            "INCR option supports a single increment-element pair".into(),
        ));
    }
    let scored = pairs(rest)
        .map(|(score, member)| Ok((float_arg(score)?, member)))
        .collect::<CmdResult<Vec<(f64, &[u8])>>>()?;
    let now = ctx.now;
    if zset_at(ctx, key, false)?.is_none() {
        if f.xx {
            return Ok(if f.incr { Reply::Nil } else { Reply::Int(0) });
        }
        ctx.db().set(key, Value::ZSet(Box::default()), false, now);
    }
    let enc = ctx.server.encodings();
    let Some(z) = zset_at(ctx, key, false)? else {
        return Ok(Reply::Int(0));
    };
    let (mut added, mut updated, mut processed) = (0i64, 0i64, 0i64);
    let mut last = 0.0;
    let mut nan = false;
    for &(score, member) in &scored {
        match z.add(score, member, f, &enc) {
            None => {
                nan = true;
                break;
            }
            Some((what, s)) => {
                match what {
                    Added::New => added += 1,
                    Added::Updated => updated += 1,
                    Added::Same | Added::Skipped => {}
                }
                if what != Added::Skipped {
                    processed += 1;
                }
                last = s;
            }
        }
    }
    if added + updated > 0 {
        ctx.notify(Class::ZSet, if f.incr { "zincr" } else { "zadd" }, key);
        ctx.changes((added + updated) as u64);
    }
    // Never keep an empty set (a key created for pairs that all failed).
    remove_if_empty(ctx, key);
    if nan {
        return Err(CmdError::Err(
            "resulting score is not a number (NaN)".into(),
        ));
    }
    Ok(match (f.incr, processed) {
        (true, 0) => Reply::Nil,
        (true, _) => Reply::Double(last),
        (false, _) => Reply::Int(if ch { added + updated } else { added }),
    })
}

/// ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]
fn zadd(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    zadd_generic(ctx, argv, false)
}

/// ZINCRBY key increment member
fn zincrby(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    zadd_generic(ctx, argv, true)
}

/// ZSCORE key member
fn zscore(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let member = args.next_arg()?;
    Ok(
        match zset_at(ctx, key, true)?.and_then(|z| z.score(member)) {
            Some(s) => Reply::Double(s),
            None => Reply::Nil,
        },
    )
}

/// ZMSCORE key member [member ...]
fn zmscore(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let members = args.rest();
    let z = zset_at(ctx, key, true)?;
    let score = |m: &[u8]| {
        z.as_ref()
            .and_then(|z| z.score(m))
            .map_or(Reply::Nil, Reply::Double)
    };
    Ok(Reply::Array(members.iter().map(|m| score(m)).collect()))
}

/// ZCARD key
fn zcard(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let key = Args::new(argv).next_key()?;
    Ok(Reply::Int(
        zset_at(ctx, key, true)?.map_or(0, |z| z.len()) as i64
    ))
}

/// ZREM key member [member ...]
fn zrem(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let members = args.rest();
    let Some(z) = zset_at(ctx, key, false)? else {
        return Ok(Reply::Int(0));
    };
    let mut deleted = 0i64;
    for m in members {
        if z.remove(m) {
            deleted += 1;
        }
        if z.is_empty() {
            break;
        }
    }
    if deleted > 0 {
        ctx.notify(Class::ZSet, "zrem", key);
        delete_if_empty(ctx, key);
        ctx.changes(deleted as u64);
    }
    Ok(Reply::Int(deleted))
}

/// ZRANK and ZREVRANK (`key member`): the 0-based position, or nil.
fn rank_generic(ctx: &mut Ctx, argv: &[Vec<u8>], rev: bool) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let member = args.next_arg()?;
    let Some(z) = zset_at(ctx, key, true)? else {
        return Ok(Reply::Nil);
    };
    Ok(match z.rank(member) {
        Some(r) if rev => Reply::Int((z.len() - 1 - r) as i64),
        Some(r) => Reply::Int(r as i64),
        None => Reply::Nil,
    })
}

/// ZRANK key member
fn zrank(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    rank_generic(ctx, argv, false)
}

/// ZREVRANK key member
fn zrevrank(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    rank_generic(ctx, argv, true)
}

// ---- the table ----

/// A read-only O(1)/O(log N) command on one key.
const RF: Command = Command {
    name: "",
    arity: 3,
    flags: flags![READONLY, FAST],
    acl: acl![READ, SORTEDSET, FAST],
    keys: (1, 1, 1),
    key_specs: &[key(1, key_flags![RO, ACCESS])],
    tips: &[],
    group: Group::SortedSet,
    since: "1.2.0",
    complexity: "O(log(N))",
    summary: "",
    syntax: "key member",
    handler: zscore,
    subcommands: &[],
    ..BASE
};

/// A read-only range command on one key.
const RS: Command = Command {
    arity: -4,
    flags: flags![READONLY],
    acl: acl![READ, SORTEDSET, SLOW],
    complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.",
    ..RF
};

/// A removal on one key.
const DEL: Command = Command {
    arity: 4,
    flags: flags![WRITE],
    acl: acl![WRITE, SORTEDSET, SLOW],
    key_specs: &[key(1, key_flags![RW, DELETE])],
    complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
    ..RF
};

/// ZUNION, ZINTER, ZDIFF, ZINTERCARD: numkeys then the keys.
const ALG: Command = Command {
    arity: -3,
    flags: flags![READONLY, MOVABLEKEYS],
    acl: acl![READ, SORTEDSET, SLOW],
    keys: (0, 0, 0),
    key_specs: &[key(1, key_flags![RO, ACCESS]).keynum(0, 1, 1)],
    since: "6.2.0",
    ..RF
};

/// ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE.
const ALG_STORE: Command = Command {
    arity: -4,
    flags: flags![WRITE, DENYOOM, MOVABLEKEYS],
    acl: acl![WRITE, SORTEDSET, SLOW],
    keys: (1, 1, 1),
    key_specs: &[
        key(1, key_flags![OW, UPDATE]),
        key(2, key_flags![RO, ACCESS]).keynum(0, 1, 1),
    ],
    ..RF
};

/// ZPOPMIN, ZPOPMAX.
const POP: Command = Command {
    arity: -2,
    flags: flags![WRITE, FAST],
    acl: acl![WRITE, SORTEDSET, FAST],
    key_specs: &[key(1, key_flags![RW, ACCESS, DELETE])],
    since: "5.0.0",
    complexity: "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.",
    syntax: "key [count]",
    ..RF
};

/// BZPOPMIN, BZPOPMAX.
const BPOP: Command = Command {
    arity: -3,
    flags: flags![WRITE, NOSCRIPT, BLOCKING, FAST],
    acl: acl![WRITE, SORTEDSET, FAST, BLOCKING],
    keys: (1, -2, 1),
    key_specs: &[key(1, key_flags![RW, ACCESS, DELETE]).range(-2, 1, 0)],
    since: "5.0.0",
    complexity: "O(log(N)) with N being the number of elements in the sorted set.",
    syntax: "key [key ...] timeout",
    ..RF
};

pub const COMMANDS: &[Command] = &[
    Command { name: "bzmpop", block: Some(Block::TimeoutNumkeys), shape: Shape::Popped(&Shape::Nested("member", "score")), arity: -5, flags: flags![WRITE, BLOCKING, MOVABLEKEYS], acl: acl![WRITE, SORTEDSET, SLOW, BLOCKING],
        keys: (0, 0, 0), key_specs: &[key(2, key_flags![RW, ACCESS, DELETE]).keynum(0, 1, 1)], since: "7.0.0",
        complexity: "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
        summary: "Pop the lowest or highest members from the first non-empty of several sorted sets, waiting up to a timeout",
        syntax: "timeout numkeys key [key ...] MIN|MAX [COUNT count]", handler: pop::bzmpop, ..BPOP },
    Command { name: "bzpopmax", block: Some(Block::KeysThenTimeout), shape: Shape::Row(&["key", "member", "score"]), summary: "Pop the highest-scored member from the first non-empty of several sorted sets, waiting up to a timeout",
        handler: pop::bzpopmax, ..BPOP },
    Command { name: "bzpopmin", block: Some(Block::KeysThenTimeout), shape: Shape::Row(&["key", "member", "score"]), summary: "Pop the lowest-scored member from the first non-empty of several sorted sets, waiting up to a timeout",
        handler: pop::bzpopmin, ..BPOP },
    Command { name: "zadd", arity: -4, flags: flags![WRITE, DENYOOM, FAST], acl: acl![WRITE, SORTEDSET, FAST],
        key_specs: &[key(1, key_flags![RW, UPDATE])],
        complexity: "O(log(N)) for each item added, where N is the number of elements in the sorted set.",
        summary: "Add members with scores to a sorted set, or update their scores, under optional conditions; creates the key",
        syntax: "key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]", handler: zadd, ..RF },
    Command { name: "zcard", arity: 2, key_specs: &[key(1, key_flags![RO])], complexity: "O(1)",
        summary: "The number of members in a sorted set (0 if missing)", syntax: "key", handler: zcard, ..RF },
    Command { name: "zcount", arity: 4, since: "2.0.0", complexity: "O(log(N)) with N being the number of elements in the sorted set.",
        summary: "Count the members whose score lies between min and max (a \"(\" before a bound excludes it)",
        syntax: "key min max", handler: range::zcount, ..RF },
    Command { name: "zdiff", shape: Shape::PairsWith("withscores", "member", "score"), complexity: "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.",
        summary: "The members of the first sorted set that are in none of the others",
        syntax: "numkeys key [key ...] [WITHSCORES]", handler: algebra::zdiff, ..ALG },
    Command { name: "zdiffstore", since: "6.2.0",
        complexity: "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.",
        summary: "Store the members of the first sorted set that are in none of the others; returns the size",
        syntax: "destination numkeys key [key ...]", handler: algebra::zdiffstore, ..ALG_STORE },
    Command { name: "zincrby", arity: 4, key_specs: &[key(1, key_flags![RW, ACCESS, UPDATE])], flags: flags![WRITE, DENYOOM, FAST],
        acl: acl![WRITE, SORTEDSET, FAST], complexity: "O(log(N)) where N is the number of elements in the sorted set.",
        summary: "Add a number to a member's score (a missing member starts at 0); returns the new score",
        syntax: "key increment member", handler: zincrby, ..RF },
    Command { name: "zinter", shape: Shape::PairsWith("withscores", "member", "score"), complexity: "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.",
        summary: "The members present in every input sorted set (or set), with weighted, aggregated scores",
        syntax: "numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]",
        handler: algebra::zinter, ..ALG },
    Command { name: "zintercard", since: "7.0.0",
        complexity: "O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.",
        summary: "How many members are in every input sorted set, counting up to an optional limit",
        syntax: "numkeys key [key ...] [LIMIT limit]", handler: algebra::zintercard, ..ALG },
    Command { name: "zinterstore", since: "2.0.0",
        complexity: "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.",
        summary: "Store the members present in every input, with weighted, aggregated scores; returns the size",
        syntax: "destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX]",
        handler: algebra::zinterstore, ..ALG_STORE },
    Command { name: "zlexcount", arity: 4, since: "2.8.9", complexity: "O(log(N)) with N being the number of elements in the sorted set.",
        summary: "Count the members between two member bounds ([a inclusive, (a exclusive, - and +) when all scores are equal",
        syntax: "key min max", handler: range::zlexcount, ..RF },
    Command { name: "zmpop", shape: Shape::Popped(&Shape::Nested("member", "score")), arity: -4, flags: flags![WRITE, MOVABLEKEYS], acl: acl![WRITE, SORTEDSET, SLOW], keys: (0, 0, 0),
        key_specs: &[key(1, key_flags![RW, ACCESS, DELETE]).keynum(0, 1, 1)], since: "7.0.0",
        complexity: "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
        summary: "Pop the lowest or highest members from the first non-empty of several sorted sets",
        syntax: "numkeys key [key ...] MIN|MAX [COUNT count]", handler: pop::zmpop, ..RF },
    Command { name: "zmscore", shape: Shape::PerArg(2, "member", "score"), arity: -3, since: "6.2.0", complexity: "O(N) where N is the number of members being requested.",
        summary: "The scores of several members (nil for a missing one)", syntax: "key member [member ...]",
        handler: zmscore, ..RF },
    Command { name: "zpopmax", shape: Shape::Pairs("member", "score"), summary: "Remove and return the highest-scored members (one by default)",
        handler: pop::zpopmax, ..POP },
    Command { name: "zpopmin", shape: Shape::Pairs("member", "score"), summary: "Remove and return the lowest-scored members (one by default)",
        handler: pop::zpopmin, ..POP },
    Command { name: "zrandmember", link: Link::Bounded { arg: 2, max: 10_000, what: "count" }, shape: Shape::PairsWith("withscores", "member", "score"), arity: -2, flags: flags![READONLY], acl: acl![READ, SORTEDSET, SLOW],
        tips: &["nondeterministic_output"], since: "6.2.0", complexity: "O(N) where N is the number of elements returned",
        summary: "Random members: a positive count gives distinct ones, a negative count may repeat",
        syntax: "key [count [WITHSCORES]]", handler: random::zrandmember, ..RF },
    Command { name: "zrange", shape: Shape::PairsWith("withscores", "member", "score"),
        summary: "Members by rank, by score or by lex order, optionally reversed, paged and with scores",
        syntax: "key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]", handler: range::zrange, ..RS },
    Command { name: "zrangebylex", complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
        since: "2.8.9", summary: "Members between two member bounds, ascending, optionally paged (ZRANGE BYLEX)",
        syntax: "key min max [LIMIT offset count]", handler: range::zrangebylex, ..RS },
    Command { name: "zrangebyscore", shape: Shape::PairsWith("withscores", "member", "score"), complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
        since: "1.0.5", summary: "Members whose score lies between min and max, ascending (ZRANGE BYSCORE)",
        syntax: "key min max [WITHSCORES] [LIMIT offset count]", handler: range::zrangebyscore, ..RS },
    Command { name: "zrangestore", arity: -5, flags: flags![WRITE, DENYOOM], acl: acl![WRITE, SORTEDSET, SLOW], keys: (1, 2, 1),
        key_specs: &[key(1, key_flags![OW, UPDATE]), key(2, key_flags![RO, ACCESS])], since: "6.2.0",
        complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.",
        summary: "Store a ZRANGE of one sorted set under another key; returns its size",
        syntax: "dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]", handler: range::zrangestore, ..RS },
    Command { name: "zrank", since: "2.0.0", complexity: "O(log(N))", summary: "The 0-based position of a member, lowest score first (nil if absent)",
        handler: zrank, ..RF },
    Command { name: "zrem", arity: -3, flags: flags![WRITE, FAST], acl: acl![WRITE, SORTEDSET, FAST], key_specs: &[key(1, key_flags![RW, DELETE])],
        complexity: "O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.",
        summary: "Remove members from a sorted set; returns how many were there", syntax: "key member [member ...]",
        handler: zrem, ..RF },
    Command { name: "zremrangebylex", since: "2.8.9", summary: "Remove the members between two member bounds; returns how many",
        syntax: "key min max", handler: range::zremrangebylex, ..DEL },
    Command { name: "zremrangebyrank", since: "2.0.0", summary: "Remove the members between two ranks (negative counts from the top); returns how many",
        syntax: "key start stop", handler: range::zremrangebyrank, ..DEL },
    Command { name: "zremrangebyscore", summary: "Remove the members whose score lies between min and max; returns how many",
        syntax: "key min max", handler: range::zremrangebyscore, ..DEL },
    Command { name: "zrevrange", shape: Shape::PairsWith("withscores", "member", "score"), summary: "Members between two ranks, highest score first (ZRANGE REV)",
        syntax: "key start stop [WITHSCORES]", handler: range::zrevrange, ..RS },
    Command { name: "zrevrangebylex", complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
        since: "2.8.9", summary: "Members between two member bounds, descending, max first (ZRANGE BYLEX REV)",
        syntax: "key max min [LIMIT offset count]", handler: range::zrevrangebylex, ..RS },
    Command { name: "zrevrangebyscore", shape: Shape::PairsWith("withscores", "member", "score"), complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).",
        since: "2.2.0", summary: "Members whose score lies between max and min, highest first (ZRANGE BYSCORE REV)",
        syntax: "key max min [WITHSCORES] [LIMIT offset count]", handler: range::zrevrangebyscore, ..RS },
    Command { name: "zrevrank", since: "2.0.0", complexity: "O(log(N))", summary: "The 0-based position of a member, highest score first (nil if absent)",
        handler: zrevrank, ..RF },
    Command { name: "zscan", shape: Shape::Scan(&Shape::Pairs("member", "score")), arity: -3, flags: flags![READONLY], acl: acl![READ, SORTEDSET, SLOW], tips: &["nondeterministic_output"],
        since: "2.8.0", complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..",
        summary: "Iterate the members and scores of a sorted set a few at a time with a cursor",
        syntax: "key cursor [MATCH pattern] [COUNT count]", handler: random::zscan, ..RF },
    Command { name: "zscore", complexity: "O(1)", summary: "The score of a member (nil if absent)", handler: zscore, ..RF },
    Command { name: "zunion", shape: Shape::PairsWith("withscores", "member", "score"), complexity: "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.",
        summary: "The members of any input sorted set (or set), with weighted, aggregated scores",
        syntax: "numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]",
        handler: algebra::zunion, ..ALG },
    Command { name: "zunionstore", since: "2.0.0",
        complexity: "O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.",
        summary: "Store the members of any input, with weighted, aggregated scores; returns the size",
        syntax: "destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX]",
        handler: algebra::zunionstore, ..ALG_STORE },
];
