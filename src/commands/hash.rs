//! Hashes: HSET and its variants, reads of one, some or all fields, counters, HRANDFIELD
//! and HSCAN; fields with their own TTL (Redis 7.4 and 8.0) are in `hash/fields.rs`.
//!
//! Data operations first (typed access to a hash value, the shared write paths, the
//! counter arithmetic), then the command handlers, then the table entries. A listpack
//! hash answers in listpack order, as Redis does; see `types/hash.rs` for the encodings.

use super::args::{int_arg, pairs, parse_cursor, scan_options, Args};
use super::common::scan_reply;
use super::table::{key, Group, Link, Shape, BASE};
use super::{delete_if_empty, value_of, Command};
use crate::error::{CmdError, CmdResult};
use crate::num::ldouble::{self, LongDouble};
use crate::reply::Reply;
use crate::server::{Class, Ctx};
use crate::types::{Hash, Value};

mod fields;

// ---- data operations ----

/// The hash at `key` for a read command: Ok(None) if missing, WRONGTYPE if another type.
/// Counts the lookup as a keyspace hit or miss.
fn read_hash<'c>(ctx: &'c mut Ctx, key: &[u8]) -> CmdResult<Option<&'c mut Hash>> {
    match value_of(ctx, key, true) {
        None => Ok(None),
        Some(Value::Hash(h)) => Ok(Some(h)),
        Some(_) => Err(CmdError::WrongType),
    }
}

/// The hash at `key` for a write path (no hit/miss counting).
fn write_hash<'c>(ctx: &'c mut Ctx, key: &[u8]) -> CmdResult<Option<&'c mut Hash>> {
    match value_of(ctx, key, false) {
        None => Ok(None),
        Some(Value::Hash(h)) => Ok(Some(h)),
        Some(_) => Err(CmdError::WrongType),
    }
}

/// Redis's `hashTypeLookupWriteOrCreate`: the hash at `key`, created empty if missing.
/// Callers only use it once nothing can fail any more, so no empty hash is left behind.
fn hash_or_new<'c>(ctx: &'c mut Ctx, key: &[u8]) -> CmdResult<&'c mut Hash> {
    let now = ctx.now;
    if !ctx.db().contains(key, now) {
        ctx.db().set(key, Value::Hash(Box::default()), false, now);
    }
    write_hash(ctx, key)?.ok_or(CmdError::WrongType)
}

/// Report a write as Redis does: keyspace event `event` of class hash, and `dirty` changes
/// counted (Redis counts one per field written, not one per command).
fn notify_hash(ctx: &mut Ctx, event: &'static str, key: &[u8], dirty: u64) {
    ctx.notify(Class::Hash, event, key);
    ctx.changes(dirty);
}

/// HSET and HMSET (`key field value [field value ...]`): write the pairs, returning how
/// many fields were new; an odd count is the arity error. As in Redis, every field and
/// value is checked against the listpack limit before any is written.
fn hset_generic(ctx: &mut Ctx, argv: &[Vec<u8>], cmd: &str) -> CmdResult<usize> {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let fvs = args.rest();
    if !fvs.len().is_multiple_of(2) {
        return Err(CmdError::WrongArity(cmd.into()));
    }
    let enc = ctx.server.encodings();
    let h = hash_or_new(ctx, key)?;
    h.prepare_for(fvs.iter().map(|a| a.as_slice()), &enc);
    let created = pairs(fvs)
        .filter(|&(f, v)| h.insert(f.to_vec(), v.to_vec(), &enc))
        .count();
    notify_hash(ctx, "hset", key, fvs.len() as u64 / 2);
    Ok(created)
}

/// Redis refuses negative counts this large in HRANDFIELD only by running out of memory;
/// we answer its out-of-memory error instead of trying.
const MAX_RANDOM_REPLY: u64 = 1 << 20;

/// Pairs as a flat RESP2 array: field, value, field, value…
fn flat_pairs<'a>(pairs: impl IntoIterator<Item = (&'a [u8], &'a [u8])>) -> Vec<Reply> {
    pairs
        .into_iter()
        .flat_map(|(f, v)| [Reply::bulk(f), Reply::bulk(v)])
        .collect()
}

// ---- command handlers ----

/// HSET key field value [field value ...]
fn hset(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    hset_generic(ctx, argv, "hset").map(Reply::from)
}

/// HMSET key field value [field value ...]
fn hmset(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    hset_generic(ctx, argv, "hmset").map(|_| Reply::ok())
}

/// HSETNX key field value
fn hsetnx(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let f = args.next_arg()?;
    let v = args.next_arg()?;
    if write_hash(ctx, key)?.is_some_and(|h| h.contains(f)) {
        return Ok(Reply::Int(0));
    }
    let enc = ctx.server.encodings();
    let h = hash_or_new(ctx, key)?;
    h.prepare_for([f, v], &enc);
    h.insert(f.to_vec(), v.to_vec(), &enc);
    notify_hash(ctx, "hset", key, 1);
    Ok(Reply::Int(1))
}

/// HGET key field
fn hget(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let field = args.next_arg()?;
    Ok(Reply::opt_bulk(
        read_hash(ctx, key)?.and_then(|h| h.get(field)),
    ))
}

/// HMGET key field [field ...]
fn hmget(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let fields = args.rest();
    let h = read_hash(ctx, key)?;
    Ok(Reply::Array(
        fields
            .iter()
            .map(|f| Reply::opt_bulk(h.as_ref().and_then(|h| h.get(f))))
            .collect(),
    ))
}

/// HGETALL key
fn hgetall(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let key = Args::new(argv).next_key()?;
    let pairs = match read_hash(ctx, key)? {
        None => Vec::new(),
        Some(h) => h
            .iter()
            .map(|(f, v)| (Reply::bulk(f), Reply::bulk(v)))
            .collect(),
    };
    Ok(Reply::Map(pairs))
}

/// HKEYS key
fn hkeys(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let key = Args::new(argv).next_key()?;
    Ok(match read_hash(ctx, key)? {
        None => Reply::Array(Vec::new()),
        Some(h) => Reply::bulks(h.iter().map(|(f, _)| f)),
    })
}

/// HVALS key
fn hvals(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let key = Args::new(argv).next_key()?;
    Ok(match read_hash(ctx, key)? {
        None => Reply::Array(Vec::new()),
        Some(h) => Reply::bulks(h.iter().map(|(_, v)| v)),
    })
}

/// HLEN key
fn hlen(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let key = Args::new(argv).next_key()?;
    Ok(Reply::from(read_hash(ctx, key)?.map_or(0, |h| h.len())))
}

/// HEXISTS key field
fn hexists(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let field = args.next_arg()?;
    Ok(Reply::from(
        read_hash(ctx, key)?.is_some_and(|h| h.contains(field)),
    ))
}

/// HSTRLEN key field
fn hstrlen(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let field = args.next_arg()?;
    Ok(Reply::from(
        read_hash(ctx, key)?
            .and_then(|h| h.get(field))
            .map_or(0, |v| v.len()),
    ))
}

/// HDEL key field [field ...] — stops counting once the hash is empty, and deletes it.
fn hdel(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let fields = args.rest();
    let Some(h) = write_hash(ctx, key)? else {
        return Ok(Reply::Int(0));
    };
    let mut deleted = 0;
    for f in fields {
        if h.remove(f) {
            deleted += 1;
            if h.is_empty() {
                break;
            }
        }
    }
    if deleted > 0 {
        ctx.notify(Class::Hash, "hdel", key);
        delete_if_empty(ctx, key);
        ctx.changes(deleted as u64);
    }
    Ok(Reply::Int(deleted))
}

/// HINCRBY key field increment
fn hincrby(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let f = args.next_arg()?;
    let incr = args.next_i64()?;
    let current = match write_hash(ctx, key)?.and_then(|h| h.get(f)) {
        None => 0,
        Some(v) => crate::num::parse_i64(v)
            .ok_or_else(|| CmdError::Err("hash value is not an integer".into()))?,
    };
    let next = current.checked_add(incr).ok_or(CmdError::Overflow)?;
    let enc = ctx.server.encodings();
    // A counter keeps its field's TTL (Redis 7.4).
    hash_or_new(ctx, key)?.insert_keep_ttl(f.to_vec(), next.to_string().into_bytes(), &enc);
    notify_hash(ctx, "hincrby", key, 1);
    Ok(Reply::Int(next))
}

/// HINCRBYFLOAT key field increment — in 80-bit long double, as Redis on x86-64 computes it.
fn hincrbyfloat(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let f = args.next_arg()?;
    let incr = ldouble::parse(args.next_arg()?).ok_or(CmdError::NotFloat)?;
    if !incr.is_finite() {
        return Err(CmdError::Err("value is NaN or Infinity".into()));
    }
    let current = match write_hash(ctx, key)?.and_then(|h| h.get(f)) {
        None => LongDouble::from_i64(0),
        Some(v) => {
            ldouble::parse(v).ok_or_else(|| CmdError::Err("hash value is not a float".into()))?
        }
    };
    let sum = current.add(incr);
    if !sum.is_finite() {
        return Err(CmdError::IncrNanOrInf);
    }
    let text = sum.fmt_human().into_bytes();
    let enc = ctx.server.encodings();
    hash_or_new(ctx, key)?.insert_keep_ttl(f.to_vec(), text.clone(), &enc);
    notify_hash(ctx, "hincrbyfloat", key, 1);
    Ok(Reply::Bulk(text))
}

/// HRANDFIELD key [count [WITHVALUES]] — a negative count allows repeats; a listpack
/// answers distinct picks in listpack order, as Redis does.
fn hrandfield(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let mut count = None;
    let mut withvalues = false;
    if let Some(c) = args.next_opt() {
        let l = int_arg(c)?;
        if l < -i64::MAX {
            return Err(CmdError::Err(
                "value is out of range, value must between -9223372036854775807 and 9223372036854775807".into(),
            ));
        }
        withvalues = args.eat("withvalues");
        if !args.is_empty() {
            return Err(CmdError::Syntax);
        }
        if withvalues && !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&l) {
            return Err(CmdError::Err("value is out of range".into()));
        }
        count = Some(l);
    }
    let (now, db) = (ctx.now, ctx.db_index());
    let slot = ctx.db().slot_of(key, now);
    ctx.count_lookup(slot.is_some(), key);
    let (d, rng) = ctx.server.db_and_rng(db);
    let h = match slot.and_then(|s| d.value_at_read(s, now)) {
        None => {
            return Ok(if count.is_some() {
                Reply::Array(Vec::new())
            } else {
                Reply::Nil
            })
        }
        Some(Value::Hash(h)) => h,
        Some(_) => return Err(CmdError::WrongType),
    };
    let Some(l) = count else {
        return Ok(Reply::opt_bulk(h.random_pair(rng).map(|(f, _)| f)));
    };
    let picks: Vec<(&[u8], &[u8])> = if l >= 0 {
        h.random_distinct(rng, usize::try_from(l).unwrap_or(usize::MAX))
    } else {
        let n = l.unsigned_abs();
        if n > MAX_RANDOM_REPLY {
            return Err(CmdError::Oom);
        }
        (0..n).filter_map(|_| h.random_pair(rng)).collect()
    };
    Ok(if withvalues {
        // Field/value pairs: flat in RESP2, nested in RESP3.
        Reply::Pairs(
            picks
                .into_iter()
                .map(|(f, v)| (Reply::bulk(f), Reply::bulk(v)))
                .collect(),
        )
    } else {
        Reply::Array(picks.into_iter().map(|(f, _)| Reply::bulk(f)).collect())
    })
}

/// HSCAN key cursor [MATCH pattern] [COUNT count]
fn hscan(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let cursor = args.next_with(parse_cursor)?;
    let Some(h) = read_hash(ctx, key)? else {
        return Ok(scan_reply(0, vec![]));
    };
    let o = scan_options(&mut args, false)?;
    let (next, found) = h.scan(cursor, o.count);
    let kept = found.into_iter().filter(|(f, _)| o.matches(f));
    Ok(scan_reply(next, flat_pairs(kept)))
}

// ---- the table ----

const R: Command = Command {
    name: "",
    arity: 3,
    flags: flags![READONLY, FAST],
    acl: acl![READ, HASH, FAST],
    keys: (1, 1, 1),
    key_specs: &[key(1, key_flags![RO, ACCESS])],
    tips: &[],
    group: Group::Hash,
    since: "2.0.0",
    complexity: "O(1)",
    summary: "",
    syntax: "key field",
    handler: hget,
    subcommands: &[],
    ..BASE
};

const W: Command = Command {
    arity: -4,
    flags: flags![WRITE, DENYOOM, FAST],
    acl: acl![WRITE, HASH, FAST],
    key_specs: &[key(1, key_flags![RW, UPDATE])],
    ..R
};

/// The whole-hash reads: HGETALL, HKEYS, HVALS.
const ALL: Command = Command {
    arity: 2,
    flags: flags![READONLY],
    acl: acl![READ, HASH, SLOW],
    tips: &["nondeterministic_output_order"],
    complexity: "O(N) where N is the size of the hash.",
    syntax: "key",
    ..R
};

/// HEXPIRE and the other commands that give fields a TTL (Redis 7.4).
const EXPIRE: Command = Command {
    arity: -6,
    since: "7.4.0",
    complexity: "O(N) where N is the number of specified fields",
    ..W
};

/// HTTL and the other per-field TTL reads (Redis 7.4).
const FIELD_TTL: Command = Command {
    arity: -5,
    key_specs: &[key(1, key_flags![RO, ACCESS])],
    since: "7.4.0",
    complexity: "O(N) where N is the number of specified fields",
    syntax: "key FIELDS numfields field [field ...]",
    ..R
};

pub const COMMANDS: &[Command] = &[
    Command { name: "hdel", arity: -3, flags: flags![WRITE, FAST], key_specs: &[key(1, key_flags![RW, DELETE])],
        complexity: "O(N) where N is the number of fields to be removed.",
        summary: "Delete fields from a hash; returns how many existed (an emptied hash is deleted)",
        syntax: "key field [field ...]", handler: hdel, ..W },
    Command { name: "hexists", key_specs: &[key(1, key_flags![RO])],
        summary: "Whether a hash has a field: 1 or 0", handler: hexists, ..R },
    Command { name: "hget", summary: "Read the value of one field of a hash", handler: hget, ..R },
    Command { name: "hgetall", shape: Shape::Pairs("field", "value"), summary: "Every field and value of a hash, field, value, field, value…",
        handler: hgetall, ..ALL },
    Command { name: "hincrby", arity: 4, key_specs: &[key(1, key_flags![RW, ACCESS, UPDATE])],
        summary: "Add an integer to the integer in a hash field (missing counts as 0)",
        syntax: "key field increment", handler: hincrby, ..W },
    Command { name: "hincrbyfloat", arity: 4, key_specs: &[key(1, key_flags![RW, ACCESS, UPDATE])], since: "2.6.0",
        summary: "Add a decimal number to the number in a hash field (missing counts as 0)",
        syntax: "key field increment", handler: hincrbyfloat, ..W },
    Command { name: "hkeys", summary: "Every field name of a hash", handler: hkeys, ..ALL },
    Command { name: "hlen", arity: 2, key_specs: &[key(1, key_flags![RO])],
        summary: "How many fields a hash has (0 if missing)", syntax: "key", handler: hlen, ..R },
    Command { name: "hmget", shape: Shape::PerArg(2, "field", "value"), arity: -3, complexity: "O(N) where N is the number of fields being requested.",
        summary: "Read several fields of a hash at once (nil for missing ones)",
        syntax: "key field [field ...]", handler: hmget, ..R },
    Command { name: "hmset", complexity: "O(N) where N is the number of fields being set.",
        summary: "The old form of HSET: set fields of a hash, replying OK",
        syntax: "key field value [field value ...]", handler: hmset, ..W },
    Command { name: "hrandfield", link: Link::Bounded { arg: 2, max: 10_000, what: "count" }, shape: Shape::PairsWith("withvalues", "field", "value"), arity: -2, flags: flags![READONLY], acl: acl![READ, HASH, SLOW], tips: &["nondeterministic_output"],
        since: "6.2.0", complexity: "O(N) where N is the number of fields returned",
        summary: "Random fields of a hash: count of them distinct, or with a negative count possibly repeated, optionally with values",
        syntax: "key [count [WITHVALUES]]", handler: hrandfield, ..R },
    Command { name: "hscan", shape: Shape::Scan(&Shape::Pairs("field", "value")), arity: -3, flags: flags![READONLY], acl: acl![READ, HASH, SLOW], tips: &["nondeterministic_output"],
        since: "2.8.0",
        complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
        summary: "Iterate the fields and values of a hash a few at a time with a cursor, optionally filtered by pattern",
        syntax: "key cursor [MATCH pattern] [COUNT count]", handler: hscan, ..R },
    Command { name: "hset", complexity: "O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.",
        summary: "Set fields of a hash, creating it if missing; returns how many fields were new",
        syntax: "key field value [field value ...]", handler: hset, ..W },
    Command { name: "hsetnx", arity: 4, key_specs: &[key(1, key_flags![RW, INSERT])],
        summary: "Set a field of a hash only if the field does not exist yet; 1 if set",
        syntax: "key field value", handler: hsetnx, ..W },
    Command { name: "hstrlen", key_specs: &[key(1, key_flags![RO])], since: "3.2.0",
        summary: "The length in bytes of the value of a hash field (0 if missing)", handler: hstrlen, ..R },
    Command { name: "hvals", summary: "Every value of a hash", handler: hvals, ..ALL },
    // Fields with their own TTL: Redis 7.4 and 8.0, after the Redis command docs.
    Command { name: "hexpire", handler: fields::hexpire,
        summary: "Give hash fields a TTL in seconds (NX, XX, GT, LT as for EXPIRE); per field -2 no such field, 0 condition not met, 1 set, 2 deleted (0 seconds)",
        syntax: "key seconds [NX | XX | GT | LT] FIELDS numfields field [field ...]", ..EXPIRE },
    Command { name: "hpexpire", handler: fields::hpexpire,
        summary: "Give hash fields a TTL in milliseconds; per field -2, 0, 1 or 2 as HEXPIRE",
        syntax: "key milliseconds [NX | XX | GT | LT] FIELDS numfields field [field ...]", ..EXPIRE },
    Command { name: "hexpireat", handler: fields::hexpireat,
        summary: "Make hash fields expire at a Unix time in seconds (a past time deletes them); per field -2, 0, 1 or 2",
        syntax: "key unix-time-seconds [NX | XX | GT | LT] FIELDS numfields field [field ...]", ..EXPIRE },
    Command { name: "hpexpireat", handler: fields::hpexpireat,
        summary: "Make hash fields expire at a Unix time in milliseconds; per field -2, 0, 1 or 2",
        syntax: "key unix-time-milliseconds [NX | XX | GT | LT] FIELDS numfields field [field ...]", ..EXPIRE },
    Command { name: "httl", tips: &["nondeterministic_output"], handler: fields::httl,
        summary: "Seconds left to live of hash fields: -2 no such field, -1 no TTL", ..FIELD_TTL },
    Command { name: "hpttl", tips: &["nondeterministic_output"], handler: fields::hpttl,
        summary: "Milliseconds left to live of hash fields: -2 no such field, -1 no TTL", ..FIELD_TTL },
    Command { name: "hexpiretime", handler: fields::hexpiretime,
        summary: "The Unix time in seconds at which hash fields expire: -2 no such field, -1 no TTL", ..FIELD_TTL },
    Command { name: "hpexpiretime", handler: fields::hpexpiretime,
        summary: "The Unix time in milliseconds at which hash fields expire: -2 no such field, -1 no TTL", ..FIELD_TTL },
    Command { name: "hpersist", flags: flags![WRITE, FAST], acl: acl![WRITE, HASH, FAST], key_specs: &[key(1, key_flags![RW, UPDATE])],
        handler: fields::hpersist,
        summary: "Take the TTL away from hash fields: per field -2 no such field, -1 no TTL, 1 removed", ..FIELD_TTL },
    Command { name: "hgetdel", flags: flags![WRITE, FAST], acl: acl![WRITE, HASH, FAST], key_specs: &[key(1, key_flags![RW, ACCESS, DELETE])],
        since: "8.0.0", handler: fields::hgetdel,
        summary: "Read and delete hash fields (nil for missing ones); the hash goes with its last field", ..FIELD_TTL },
    Command { name: "hgetex", flags: flags![WRITE, FAST], acl: acl![WRITE, HASH, FAST], key_specs: &[key(1, key_flags![RW, ACCESS, UPDATE])],
        since: "8.0.0", handler: fields::hgetex,
        summary: "Read hash fields and change their TTL: set one (EX, PX, EXAT, PXAT) or remove it (PERSIST)",
        syntax: "key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST] FIELDS numfields field [field ...]", ..FIELD_TTL },
    Command { name: "hsetex", arity: -6, since: "8.0.0", handler: fields::hsetex,
        complexity: "O(N) where N is the number of fields being set.",
        summary: "Set hash fields with a TTL (EX, PX, EXAT, PXAT) or keeping theirs (KEEPTTL), only if none exists (FNX) or all do (FXX); 1 if set",
        syntax: "key [FNX | FXX] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL] FIELDS numfields field value [field value ...]", ..EXPIRE },
];
