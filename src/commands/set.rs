//! Sets: membership (SADD, SREM, SISMEMBER, SMISMEMBER, SCARD, SMEMBERS), SMOVE and SSCAN
//! here; the set algebra (SINTER, SUNION, SDIFF, their STORE forms, SINTERCARD) in
//! `set/algebra.rs`; random picks (SPOP, SRANDMEMBER) in `set/random.rs`.
//!
//! Data operations first (typed access, storing, deleting an emptied set, Redis's change
//! counting), then the command handlers, then the table entries for the whole family.

mod algebra;
mod random;

use super::args::{parse_cursor, scan_options, Args};
use super::common::scan_reply;
use super::table::{key, Group, Link, Shape, BASE};
use super::{delete_if_empty, value_of, Command};
use crate::error::{CmdError, CmdResult};
use crate::reply::Reply;
use crate::server::{Class, Ctx};
use crate::types::{Set, Value};

// ---- data operations ----

/// The set at `key`: Ok(None) if missing, WRONGTYPE if another type. A read command
/// passes `read = true` so the lookup counts as a keyspace hit or miss.
fn set_at<'c>(ctx: &'c mut Ctx, key: &[u8], read: bool) -> CmdResult<Option<&'c mut Set>> {
    match value_of(ctx, key, read) {
        None => Ok(None),
        Some(Value::Set(s)) => Ok(Some(s)),
        Some(_) => Err(CmdError::WrongType),
    }
}

/// The set at `key` once its type is known to be right (no hit/miss counting).
fn peek_set<'c>(ctx: &'c mut Ctx, key: &[u8]) -> Option<&'c mut Set> {
    set_at(ctx, key, false).ok().flatten()
}

/// Store `set` at `key`, replacing whatever was there (its TTL too).
fn store(ctx: &mut Ctx, key: &[u8], set: Set) {
    let now = ctx.now;
    ctx.db().set(key, Value::Set(Box::new(set)), false, now);
}

/// Members as a RESP3-set-shaped reply (an array in RESP2).
fn set_reply<I, B>(members: I) -> Reply
where
    I: IntoIterator<Item = B>,
    B: AsRef<[u8]>,
{
    Reply::Set(members.into_iter().map(Reply::bulk).collect())
}

// ---- command handlers ----

/// SADD key member [member ...]
fn sadd(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let members = args.rest();
    let enc = ctx.server.encodings();
    let added = match set_at(ctx, key, false)? {
        Some(s) => members
            .iter()
            .filter(|m| s.insert(m.to_vec(), &enc))
            .count(),
        None => {
            let s = Set::from_members(members.iter().cloned(), &enc);
            let n = s.len();
            store(ctx, key, s);
            n
        }
    };
    if added > 0 {
        ctx.notify(Class::Set, "sadd", key);
    }
    ctx.changes(added as u64);
    Ok(added.into())
}

/// SREM key member [member ...]
fn srem(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let members = args.rest();
    let removed = match set_at(ctx, key, false)? {
        Some(s) => members.iter().filter(|m| s.remove(m)).count(),
        None => 0,
    };
    if removed > 0 {
        ctx.notify(Class::Set, "srem", key);
        delete_if_empty(ctx, key);
    }
    ctx.changes(removed as u64);
    Ok(removed.into())
}

/// SMEMBERS key
fn smembers(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let key = Args::new(argv).next_key()?;
    Ok(match set_at(ctx, key, true)? {
        Some(s) => set_reply(s.iter()),
        None => Reply::Set(vec![]),
    })
}

/// SISMEMBER key member
fn sismember(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let member = args.next_arg()?;
    Ok(set_at(ctx, key, true)?
        .is_some_and(|s| s.contains(member))
        .into())
}

/// SMISMEMBER key member [member ...]
fn smismember(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let members = args.rest();
    let set = set_at(ctx, key, true)?;
    let set = set.as_deref();
    Ok(Reply::Array(
        members
            .iter()
            .map(|m| set.is_some_and(|s| s.contains(m)).into())
            .collect(),
    ))
}

/// SCARD key
fn scard(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let key = Args::new(argv).next_key()?;
    Ok(set_at(ctx, key, true)?.map_or(0, |s| s.len()).into())
}

/// SMOVE source destination member
fn smove(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let src = args.next_key()?;
    let dst = args.next_key()?;
    let member = args.next_arg()?;
    // A missing source answers 0 before the destination's type is looked at.
    let is_member = match set_at(ctx, src, false)? {
        None => return Ok(Reply::Int(0)),
        Some(s) => s.contains(member),
    };
    set_at(ctx, dst, false)?;
    if src == dst {
        return Ok(is_member.into());
    }
    if !is_member {
        return Ok(Reply::Int(0));
    }
    if let Some(s) = peek_set(ctx, src) {
        s.remove(member);
    }
    ctx.notify(Class::Set, "srem", src);
    delete_if_empty(ctx, src);
    let enc = ctx.server.encodings();
    let added = match peek_set(ctx, dst) {
        Some(s) => s.insert(member.to_vec(), &enc),
        None => {
            store(ctx, dst, Set::from_members([member.to_vec()], &enc));
            true
        }
    };
    if added {
        ctx.notify(Class::Set, "sadd", dst);
    }
    ctx.changes(1 + added as u64);
    Ok(Reply::Int(1))
}

/// SSCAN key cursor [MATCH pattern] [COUNT count]
fn sscan(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    // Redis checks the cursor, then the key, then the options.
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let cursor = args.next_with(parse_cursor)?;
    let options = scan_options(&mut args, false);
    let Some(set) = set_at(ctx, key, true)? else {
        return Ok(scan_reply(0, vec![]));
    };
    let o = options?;
    let (next, found) = set.scan(cursor, o.count);
    let found = found
        .into_iter()
        .filter(|m| o.matches(m))
        .map(Reply::Bulk)
        .collect();
    Ok(scan_reply(next, found))
}

// ---- the table ----

const R: Command = Command {
    name: "",
    arity: 2,
    flags: flags![READONLY, FAST],
    acl: acl![READ, SET, FAST],
    keys: (1, 1, 1),
    key_specs: &[key(1, key_flags![RO])],
    tips: &[],
    group: Group::Set,
    since: "1.0.0",
    complexity: "O(1)",
    summary: "",
    syntax: "key",
    handler: scard,
    subcommands: &[],
    ..BASE
};

const W: Command = Command {
    arity: -3,
    flags: flags![WRITE, FAST],
    acl: acl![WRITE, SET, FAST],
    syntax: "key member [member ...]",
    ..R
};

/// SINTER, SUNION, SDIFF.
const ALGEBRA: Command = Command {
    arity: -2,
    flags: flags![READONLY],
    acl: acl![READ, SET, SLOW],
    keys: (1, -1, 1),
    key_specs: &[key(1, key_flags![RO, ACCESS]).range(-1, 1, 0)],
    tips: &["nondeterministic_output_order"],
    syntax: "key [key ...]",
    ..R
};

/// SINTERSTORE, SUNIONSTORE, SDIFFSTORE.
const STORE: Command = Command {
    arity: -3,
    flags: flags![WRITE, DENYOOM],
    acl: acl![WRITE, SET, SLOW],
    keys: (1, -1, 1),
    key_specs: &[
        key(1, key_flags![OW, UPDATE]),
        key(2, key_flags![RO, ACCESS]).range(-1, 1, 0),
    ],
    syntax: "destination key [key ...]",
    ..R
};

const INTER_COST: &str =
    "O(N*M) worst case, N being the smallest set's cardinality and M the number of sets";
const UNION_COST: &str = "O(N) where N is the total number of members of all the given sets";

pub const COMMANDS: &[Command] = &[
    Command { name: "sadd", flags: flags![WRITE, DENYOOM, FAST], key_specs: &[key(1, key_flags![RW, INSERT])],
        complexity: "O(1) for each member added, so O(N) for N members",
        summary: "Add members to the set at a key, creating it if missing; returns how many were new",
        handler: sadd, ..W },
    Command { name: "scard", summary: "The number of members of the set at a key (0 if missing)", ..R },
    Command { name: "sdiff", complexity: UNION_COST,
        summary: "The members of the first set that are in none of the other sets (missing keys are empty sets)",
        handler: algebra::sdiff, ..ALGEBRA },
    Command { name: "sdiffstore", complexity: UNION_COST,
        summary: "Store the difference of the first set and the others at a destination; returns its size",
        handler: algebra::sdiffstore, ..STORE },
    Command { name: "sinter", complexity: INTER_COST,
        summary: "The members present in every one of the given sets (a missing key makes it empty)",
        handler: algebra::sinter, ..ALGEBRA },
    Command { name: "sintercard", arity: -3, flags: flags![READONLY, MOVABLEKEYS], keys: (0, 0, 0),
        key_specs: &[key(1, key_flags![RO, ACCESS]).keynum(0, 1, 1)], tips: &[], since: "7.0.0", complexity: INTER_COST,
        summary: "Count the members of the intersection of sets without returning them, optionally stopping at a limit",
        syntax: "numkeys key [key ...] [LIMIT limit]", handler: algebra::sintercard, ..ALGEBRA },
    Command { name: "sinterstore", key_specs: &[key(1, key_flags![RW, UPDATE]), key(2, key_flags![RO, ACCESS]).range(-1, 1, 0)],
        complexity: INTER_COST,
        summary: "Store the intersection of sets at a destination (deleting it if empty); returns its size",
        handler: algebra::sinterstore, ..STORE },
    Command { name: "sismember", arity: 3, summary: "1 if a value is a member of the set at a key, else 0",
        syntax: "key member", handler: sismember, ..R },
    Command { name: "smembers", flags: flags![READONLY], acl: acl![READ, SET, SLOW], key_specs: &[key(1, key_flags![RO, ACCESS])],
        tips: &["nondeterministic_output_order"], complexity: "O(N) where N is the set's cardinality",
        summary: "Every member of the set at a key", handler: smembers, ..R },
    Command { name: "smismember", shape: Shape::PerArg(2, "member", "is member"), arity: -3, key_specs: &[key(1, key_flags![RO, ACCESS])], since: "6.2.0",
        complexity: "O(N) where N is the number of values checked",
        summary: "For each value, 1 if it is a member of the set at a key, else 0",
        syntax: "key member [member ...]", handler: smismember, ..R },
    Command { name: "smove", arity: 4, keys: (1, 2, 1),
        key_specs: &[key(1, key_flags![RW, ACCESS, DELETE]), key(2, key_flags![RW, INSERT])],
        summary: "Move a member from one set to another; 1 if it was moved",
        syntax: "source destination member", handler: smove, ..W },
    Command { name: "spop", arity: -2, tips: &["nondeterministic_output"], key_specs: &[key(1, key_flags![RW, ACCESS, DELETE])],
        complexity: "O(1) without a count, otherwise O(N) where N is the count",
        summary: "Remove and return a random member, or up to count distinct random members",
        syntax: "key [count]", handler: random::spop, ..W },
    Command { name: "srandmember", link: Link::Bounded { arg: 2, max: 10_000, what: "count" }, arity: -2, flags: flags![READONLY], acl: acl![READ, SET, SLOW], tips: &["nondeterministic_output"],
        key_specs: &[key(1, key_flags![RO, ACCESS])],
        complexity: "O(1) without a count, otherwise O(N) where N is the count's absolute value",
        summary: "A random member; with a count, up to that many distinct members (a negative count may repeat)",
        syntax: "key [count]", handler: random::srandmember, ..R },
    Command { name: "srem", key_specs: &[key(1, key_flags![RW, DELETE])],
        complexity: "O(N) where N is the number of members to remove",
        summary: "Remove members from the set at a key (deleting it once empty); returns how many were there",
        handler: srem, ..W },
    Command { name: "sscan", shape: Shape::Scan(&Shape::List("member")), arity: -3, flags: flags![READONLY], acl: acl![READ, SET, SLOW], tips: &["nondeterministic_output"],
        key_specs: &[key(1, key_flags![RO, ACCESS])], since: "2.8.0",
        complexity: "O(1) for every call, O(N) for a complete iteration",
        summary: "Iterate the members of a set a few at a time with a cursor, optionally filtered by pattern",
        syntax: "key cursor [MATCH pattern] [COUNT count]", handler: sscan, ..R },
    Command { name: "sunion", complexity: UNION_COST,
        summary: "The members of all the given sets together (missing keys are empty sets)",
        handler: algebra::sunion, ..ALGEBRA },
    Command { name: "sunionstore", complexity: UNION_COST,
        summary: "Store the union of sets at a destination (deleting it if empty); returns its size",
        handler: algebra::sunionstore, ..STORE },
];
