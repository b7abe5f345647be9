//! Keys of any type: existence, deletion, renaming, moving and copying between databases,
//! iteration (KEYS, SCAN, RANDOMKEY), time to live, and OBJECT introspection.

use super::args::{db_index_arg, expire_condition, int_arg, parse_cursor, pattern_arg, Word};
use super::args::{scan_options, Args, ExpireCondition};
use super::common::{help_lines, scan_reply};
use super::table::{key, Group, Shape, BASE};
use super::Command;
use crate::error::{CmdError, CmdResult};
use crate::reply::Reply;
use crate::server::{Class, Ctx};

// Two shared helpers that used to live here, re-exported for the families that still
// import them from this module (server, connection, config, pub/sub, persistence).

// ---- data operations ----

fn same_object() -> CmdError {
    CmdError::Err("source and destination objects are the same".into())
}

/// EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (`key time [NX|XX|GT|LT]`): `base` is now for
/// the relative forms and 0 for the absolute ones; `seconds` says the time's unit. As in
/// Redis, the flags are checked before the time is parsed.
fn expire_generic(
    ctx: &mut Ctx,
    argv: &[Vec<u8>],
    base: i64,
    seconds: bool,
    cmd: &str,
) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let time = args.next_arg()?;
    let ExpireCondition { nx, xx, gt, lt } = expire_condition(&mut args)?;
    let mut when = int_arg(time)?;
    let invalid = || CmdError::InvalidExpire(cmd.to_string());
    if seconds {
        when = when.checked_mul(1000).ok_or_else(invalid)?;
    }
    if when > i64::MAX - base {
        return Err(invalid());
    }
    when += base;
    let now = ctx.now;
    let Some(current) = ctx.db().expire_of(key, now) else {
        return Ok(Reply::Int(0));
    };
    // A key without a TTL counts as expiring never: GT always fails, LT always passes.
    let refuse = (nx && current.is_some())
        || (xx && current.is_none())
        || (gt && current.is_none_or(|c| when <= c))
        || (lt && current.is_some_and(|c| when >= c));
    if refuse {
        return Ok(Reply::Int(0));
    }
    if when <= now {
        ctx.db().remove(key, now);
        ctx.notify(Class::Generic, "del", key);
    } else {
        ctx.db().set_expire(key, when, now);
        ctx.notify(Class::Generic, "expire", key);
    }
    ctx.changes(1);
    Ok(Reply::Int(1))
}

/// TTL, PTTL, EXPIRETIME, PEXPIRETIME share this: -2 missing, -1 no TTL.
fn ttl_generic(ctx: &mut Ctx, key: &[u8], ms: bool, absolute: bool) -> CmdResult {
    let now = ctx.now;
    Ok(Reply::Int(match ctx.db().expire_of(key, now) {
        None => -2,
        Some(None) => -1,
        Some(Some(at)) if absolute => {
            if ms {
                at
            } else {
                // Rounded to the nearest second, without overflowing near i64::MAX.
                at / 1000 + i64::from(at % 1000 >= 500)
            }
        }
        Some(Some(at)) => {
            let left = (at - now).max(0);
            if ms {
                left
            } else {
                (left + 500) / 1000
            }
        }
    }))
}

/// DEL and UNLINK.
fn delete_keys(ctx: &mut Ctx, keys: &[Vec<u8>], lazy: bool) -> CmdResult {
    let now = ctx.now;
    let mut n = 0;
    for key in keys {
        if let Some(e) = ctx.db().remove(key, now) {
            // UNLINK hands a value that takes many frees to a background thread in
            // Redis (INFO's lazyfreed_objects counts them); here it is freed at once.
            if lazy && e.value.free_effort() > LAZYFREE_THRESHOLD {
                ctx.server.count_lazyfreed(1);
            }
            ctx.notify(Class::Generic, "del", key);
            ctx.changes(1);
            n += 1;
        }
    }
    Ok(Reply::Int(n))
}

/// RENAME and RENAMENX: `key newkey`.
fn rename_generic(ctx: &mut Ctx, argv: &[Vec<u8>], nx: bool) -> CmdResult {
    let mut args = Args::new(argv);
    let src = args.next_key()?;
    let dst = args.next_key()?;
    let now = ctx.now;
    if !ctx.db().contains(src, now) {
        return Err(CmdError::NoSuchKey);
    }
    if src == dst {
        return Ok(if nx { Reply::Int(0) } else { Reply::ok() });
    }
    if nx && ctx.db().contains(dst, now) {
        return Ok(Reply::Int(0));
    }
    let Some(entry) = ctx.db().remove(src, now) else {
        return Err(CmdError::NoSuchKey);
    };
    ctx.db().insert_entry(dst, entry, now);
    ctx.notify(Class::Generic, "rename_from", src);
    ctx.notify(Class::Generic, "rename_to", dst);
    ctx.changes(1);
    Ok(if nx { Reply::Int(1) } else { Reply::ok() })
}

// ---- command handlers ----

/// DEL key [key ...]
fn del(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    delete_keys(ctx, Args::new(argv).rest(), false)
}

/// Redis frees a value in the background when freeing it takes more than this many
/// allocations (LAZYFREE_THRESHOLD).
const LAZYFREE_THRESHOLD: usize = 64;

/// UNLINK key [key ...]
fn unlink(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    delete_keys(ctx, Args::new(argv).rest(), true)
}

/// EXISTS key [key ...]
fn exists(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let now = ctx.now;
    Ok(Reply::Int(
        Args::new(argv)
            .rest()
            .iter()
            .filter(|k| ctx.db().contains(k, now))
            .count() as i64,
    ))
}

/// TOUCH key [key ...]
fn touch(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let now = ctx.now;
    let keys = Args::new(argv).rest();
    Ok(Reply::Int(
        keys.iter().filter(|k| ctx.db().touch(k, now)).count() as i64,
    ))
}

/// TYPE key
fn type_(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let key = Args::new(argv).next_key()?;
    let now = ctx.now;
    Ok(Reply::status(
        ctx.db()
            .peek(key, now)
            .map_or("none", |e| e.value.type_name()),
    ))
}

/// KEYS pattern
fn keys(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let filter = pattern_arg(Args::new(argv).next_arg()?);
    let now = ctx.now;
    let found = ctx
        .db()
        .keys_where(now, |e| filter.as_ref().is_none_or(|p| p.matches(e.key())));
    Ok(Reply::bulks(found))
}

/// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
fn scan(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let cursor = args.next_with(parse_cursor)?;
    let o = scan_options(&mut args, true)?;
    let now = ctx.now;
    let (next, found) = ctx.db().scan(cursor, o.count, now);
    let mut out = Vec::new();
    for key in found {
        if !o.matches(&key) {
            continue;
        }
        if let Some(t) = o.type_name {
            let Some(e) = ctx.db().peek(&key, now) else {
                continue;
            };
            if !t.eq_ignore_ascii_case(e.value.type_name().as_bytes()) {
                continue;
            }
        }
        out.push(Reply::Bulk(key));
    }
    Ok(scan_reply(next, out))
}

/// RANDOMKEY
fn randomkey(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    let now = ctx.now;
    let i = ctx.db_index();
    let (db, rng) = ctx.server.db_and_rng(i);
    Ok(Reply::opt_bulk(db.random_key(rng, now)))
}

/// RENAME key newkey
fn rename(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    rename_generic(ctx, argv, false)
}

/// RENAMENX key newkey
fn renamenx(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    rename_generic(ctx, argv, true)
}

/// MOVE key db
fn move_(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let dst = args.next_with(db_index_arg)?;
    let src = ctx.db_index();
    if src == dst {
        return Err(same_object());
    }
    let now = ctx.now;
    if !ctx.db().contains(key, now) || ctx.server.db_mut(dst).contains(key, now) {
        return Ok(Reply::Int(0));
    }
    let Some(entry) = ctx.db().remove(key, now) else {
        return Ok(Reply::Int(0));
    };
    ctx.server.db_mut(dst).insert_entry(key, entry, now);
    ctx.notify(Class::Generic, "move_from", key);
    ctx.notify_in(dst, Class::Generic, "move_to", key);
    ctx.changes(1);
    Ok(Reply::Int(1))
}

/// COPY source destination [DB destination-db] [REPLACE]
fn copy(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let src_key = args.next_key()?;
    let dst_key = args.next_key()?;
    let src = ctx.db_index();
    let mut dst = src;
    let mut replace = false;
    while let Some(opt) = args.next_option() {
        match opt.as_str() {
            "replace" => replace = true,
            "db" => dst = db_index_arg(args.value()?)?,
            _ => return Err(CmdError::Syntax),
        }
    }
    if src == dst && src_key == dst_key {
        return Err(same_object());
    }
    let now = ctx.now;
    let Some(entry) = ctx.db().peek(src_key, now).cloned() else {
        return Ok(Reply::Int(0));
    };
    if ctx.server.db_mut(dst).contains(dst_key, now) && !replace {
        return Ok(Reply::Int(0));
    }
    ctx.server.db_mut(dst).insert_entry(dst_key, entry, now);
    ctx.notify_in(dst, Class::Generic, "copy_to", dst_key);
    ctx.changes(1);
    Ok(Reply::Int(1))
}

/// EXPIRE key seconds [NX|XX|GT|LT]
fn expire(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let now = ctx.now;
    expire_generic(ctx, argv, now, true, "expire")
}

/// PEXPIRE key milliseconds [NX|XX|GT|LT]
fn pexpire(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let now = ctx.now;
    expire_generic(ctx, argv, now, false, "pexpire")
}

/// EXPIREAT key unix-time-seconds [NX|XX|GT|LT]
fn expireat(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    expire_generic(ctx, argv, 0, true, "expireat")
}

/// PEXPIREAT key unix-time-milliseconds [NX|XX|GT|LT]
fn pexpireat(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    expire_generic(ctx, argv, 0, false, "pexpireat")
}

/// TTL key
fn ttl(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    ttl_generic(ctx, Args::new(argv).next_key()?, false, false)
}

/// PTTL key
fn pttl(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    ttl_generic(ctx, Args::new(argv).next_key()?, true, false)
}

/// EXPIRETIME key
fn expiretime(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    ttl_generic(ctx, Args::new(argv).next_key()?, false, true)
}

/// PEXPIRETIME key
fn pexpiretime(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    ttl_generic(ctx, Args::new(argv).next_key()?, true, true)
}

/// PERSIST key
fn persist(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let key = Args::new(argv).next_key()?;
    let now = ctx.now;
    let done = ctx.db().persist(key, now);
    if done {
        ctx.notify(Class::Generic, "persist", key);
        ctx.changes(1);
    }
    Ok(Reply::from(done))
}

/// DUMP key — the value as Redis 7.0 serializes it (`rdb.rs`): a payload RESTORE takes,
/// nil for a missing key.
fn dump(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let key = Args::new(argv).next_key()?;
    let enc = ctx.server.encodings();
    Ok(match super::value_of(ctx, key, true) {
        None => Reply::Nil,
        Some(v) => Reply::Bulk(crate::rdb::dump_payload(v, &enc)),
    })
}

/// RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]
/// — a DUMP payload (Redis's or ours) as a key again, with Redis's checks in Redis's order.
fn restore(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let key = &argv[1];
    let (mut replace, mut absttl, mut idle, mut freq) = (false, false, None, None);
    let mut j = 4;
    while j < argv.len() {
        let word = Word::new(&argv[j]);
        let more = argv.len() - j - 1;
        if word.is("replace") {
            replace = true;
        } else if word.is("absttl") {
            absttl = true;
        } else if word.is("idletime") && more >= 1 && freq.is_none() {
            let v = int_arg(&argv[j + 1])?;
            if v < 0 {
                return Err(CmdError::Err("Invalid IDLETIME value, must be >= 0".into()));
            }
            idle = Some(v);
            j += 1;
        } else if word.is("freq") && more >= 1 && idle.is_none() {
            let v = int_arg(&argv[j + 1])?;
            if !(0..=255).contains(&v) {
                return Err(CmdError::Err(
                    "Invalid FREQ value, must be >= 0 and <= 255".into(),
                ));
            }
            freq = Some(v);
            j += 1;
        } else {
            return Err(CmdError::Syntax);
        }
        j += 1;
    }
    let now = ctx.now;
    if !replace && ctx.db().contains(key, now) {
        return Err(CmdError::Raw(
            "BUSYKEY Target key name already exists.".into(),
        ));
    }
    let mut ttl = int_arg(&argv[2])?;
    if ttl < 0 {
        return Err(CmdError::Err("Invalid TTL value, must be >= 0".into()));
    }
    let enc = ctx.server.encodings();
    let value = crate::rdb::restore_payload(&argv[3], &enc).map_err(|e| match e {
        crate::rdb::PayloadError::VersionOrChecksum => {
            CmdError::Err("DUMP payload version or checksum are wrong".into())
        }
        crate::rdb::PayloadError::BadFormat => CmdError::Err("Bad data format".into()),
    })?;
    let deleted = replace && ctx.db().remove(key, now).is_some();
    if ttl != 0 && !absttl {
        ttl = ttl.saturating_add(now);
    }
    if ttl != 0 && ttl <= now {
        // Already expired: nothing is created (the replaced key is gone all the same).
        if deleted {
            ctx.notify(Class::Generic, "del", key);
            ctx.changes(1);
        }
        return Ok(Reply::ok());
    }
    ctx.db().set(key, value, false, now);
    if ttl != 0 {
        ctx.db().set_expire(key, ttl, now);
    }
    ctx.db().set_access(key, idle, freq, now);
    ctx.notify(Class::Generic, "restore", key);
    ctx.changes(1);
    Ok(Reply::ok())
}

/// OBJECT ENCODING key
fn object_encoding(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let key = Args::of_sub(argv).next_key()?;
    let now = ctx.now;
    Ok(Reply::opt_bulk(
        ctx.db().peek(key, now).map(|e| e.value.encoding()),
    ))
}

/// OBJECT REFCOUNT key — small integers are shared objects in Redis.
fn object_refcount(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let key = Args::of_sub(argv).next_key()?;
    let now = ctx.now;
    Ok(ctx
        .db()
        .peek(key, now)
        .map_or(Reply::Nil, |e| Reply::Int(e.value.refcount())))
}

/// OBJECT IDLETIME key — seconds since the last access, unless an LFU policy counts
/// frequencies instead.
fn object_idletime(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let key = Args::of_sub(argv).next_key()?;
    let now = ctx.now;
    let lfu = ctx.server.maxmemory_policy().is_lfu();
    let Some(e) = ctx.db().peek(key, now) else {
        return Ok(Reply::Nil);
    };
    if lfu {
        return Err(CmdError::Err(
            "An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.".into(),
        ));
    }
    Ok(Reply::Int(crate::db::idle_seconds(e.lru, now) as i64))
}

/// OBJECT FREQ key — the logarithmic access counter, decayed to now, under an LFU policy.
fn object_freq(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let key = Args::of_sub(argv).next_key()?;
    let now = ctx.now;
    let lfu = ctx.server.lfu();
    let Some(e) = ctx.db().peek(key, now) else {
        return Ok(Reply::Nil);
    };
    match lfu {
        Some(l) => Ok(Reply::Int(i64::from(l.decayed(e.lru, now)))),
        None => Err(CmdError::Err(
            "An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.".into(),
        )),
    }
}

/// OBJECT HELP
fn object_help(_: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    Ok(help_lines(
        "OBJECT",
        &[
            "ENCODING <key>",
            "    The internal representation Redis would use for the value at <key>.",
            "FREQ <key>",
            "    The access frequency of <key> (needs an LFU eviction policy).",
            "IDLETIME <key>",
            "    Seconds since <key> was last read or written.",
            "REFCOUNT <key>",
            "    How many references the value at <key> has.",
        ],
    ))
}

// ---- the table ----

const K: Command = Command {
    name: "",
    arity: 2,
    flags: flags![READONLY, FAST],
    acl: acl![KEYSPACE, READ, FAST],
    keys: (1, 1, 1),
    key_specs: &[key(1, key_flags![RO, ACCESS])],
    tips: &[],
    group: Group::Generic,
    since: "1.0.0",
    complexity: "O(1)",
    summary: "",
    syntax: "key",
    handler: ttl,
    subcommands: &[],
    ..BASE
};

const KW: Command = Command {
    flags: flags![WRITE, FAST],
    acl: acl![KEYSPACE, WRITE, FAST],
    key_specs: &[key(1, key_flags![RW, UPDATE])],
    ..K
};

const MULTI_KEYS: Command = Command {
    arity: -2,
    keys: (1, -1, 1),
    key_specs: &[key(1, key_flags![RO]).range(-1, 1, 0)],
    tips: &["request_policy:multi_shard", "response_policy:agg_sum"],
    complexity: "O(N) where N is the number of keys",
    syntax: "key [key ...]",
    ..K
};

const EXPIRE_SYNTAX: Command = Command {
    arity: -3,
    since: "1.0.0",
    ..KW
};

const OBJ: Command = Command {
    arity: 3,
    flags: flags![READONLY],
    acl: acl![KEYSPACE, READ, SLOW],
    keys: (2, 2, 1),
    key_specs: &[key(2, key_flags![RO])],
    tips: &["nondeterministic_output"],
    since: "2.2.3",
    syntax: "key",
    ..K
};

pub const COMMANDS: &[Command] = &[
    Command { name: "copy", arity: -3, flags: flags![WRITE, DENYOOM], acl: acl![KEYSPACE, WRITE, SLOW], keys: (1, 2, 1),
        key_specs: &[key(1, key_flags![RO, ACCESS]), key(2, key_flags![OW, UPDATE])], since: "6.2.0",
        complexity: "O(N) for collections, where N is the number of nested items",
        summary: "Copy the value (and TTL) at a key to another key, possibly in another database",
        syntax: "source destination [DB destination-db] [REPLACE]", handler: copy, ..K },
    Command { name: "del", flags: flags![WRITE], acl: acl![KEYSPACE, WRITE, SLOW],
        key_specs: &[key(1, key_flags![RM, DELETE]).range(-1, 1, 0)],
        summary: "Delete keys of any type; returns how many existed", handler: del, ..MULTI_KEYS },
    Command { name: "dump", flags: flags![READONLY], acl: acl![KEYSPACE, READ, SLOW], tips: &["nondeterministic_output"],
        since: "2.6.0",
        complexity: "O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).",
        summary: "The value at a key in Redis's RDB serialization (with its type, RDB version and CRC-64), as RESTORE takes it",
        handler: dump, ..K },
    Command { name: "restore", arity: -4, flags: flags![WRITE, DENYOOM], acl: acl![KEYSPACE, WRITE, SLOW, DANGEROUS],
        key_specs: &[key(1, key_flags![OW, UPDATE])], since: "2.6.0",
        complexity: "O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).",
        summary: "Create a key from a DUMP payload (Redis's or the playground's), optionally replacing one, with a TTL, idle time or frequency",
        syntax: "key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]", handler: restore, ..K },
    Command { name: "restore-asking", arity: -4, flags: flags![WRITE, DENYOOM, ASKING], acl: acl![KEYSPACE, WRITE, SLOW, DANGEROUS],
        key_specs: &[key(1, key_flags![OW, UPDATE])], group: Group::Server, since: "3.0.0",
        complexity: "O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).",
        summary: "RESTORE as cluster resharding sends it (a standalone server runs it as RESTORE)",
        syntax: "key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]", handler: restore, ..K },
    Command { name: "exists", summary: "Count how many of the given keys exist (a key named twice counts twice)",
        since: "1.0.0", handler: exists, ..MULTI_KEYS },
    Command { name: "expire", summary: "Give a key a time to live in seconds (NX: only if it has none, XX: only if it has one, GT/LT: only if longer/shorter)",
        syntax: "key seconds [NX|XX|GT|LT]", handler: expire, ..EXPIRE_SYNTAX },
    Command { name: "expireat", since: "1.2.0", summary: "Make a key expire at a Unix time in seconds",
        syntax: "key unix-time-seconds [NX|XX|GT|LT]", handler: expireat, ..EXPIRE_SYNTAX },
    Command { name: "expiretime", since: "7.0.0", summary: "The Unix time in seconds at which a key expires (-1: no TTL, -2: no key)",
        handler: expiretime, ..K },
    Command { name: "keys", flags: flags![READONLY], acl: acl![KEYSPACE, READ, SLOW, DANGEROUS], keys: (0, 0, 0), key_specs: &[],
        tips: &["request_policy:all_shards", "nondeterministic_output_order"],
        complexity: "O(N) with N being the number of keys in the database",
        summary: "List every key matching a glob pattern (*, ?, [a-z], \\x); use SCAN on big databases",
        syntax: "pattern", handler: keys, ..K },
    Command { name: "move", arity: 3, flags: flags![WRITE, FAST], acl: acl![KEYSPACE, WRITE, FAST],
        key_specs: &[key(1, key_flags![RW, ACCESS, UPDATE])],
        summary: "Move a key to another database, unless it exists there", syntax: "key db", handler: move_, ..K },
    Command { name: "object", arity: -2, flags: flags![], acl: acl![SLOW], keys: (0, 0, 0), key_specs: &[], since: "2.2.3",
        complexity: "Depends on subcommand.", summary: "Look inside the value stored at a key",
        syntax: "subcommand [arguments]", handler: super::container_handler,
        subcommands: &[
            Command { name: "object|encoding", summary: "The internal encoding Redis would use for the value at a key",
                handler: object_encoding, ..OBJ },
            Command { name: "object|freq", since: "4.0.0", summary: "The logarithmic access frequency of a key (LFU policies only)",
                handler: object_freq, ..OBJ },
            Command { name: "object|help", arity: 2, flags: flags![LOADING, STALE], acl: acl![KEYSPACE, SLOW], keys: (0, 0, 0),
                key_specs: &[], tips: &[], since: "6.2.0", summary: "Show what OBJECT can do", syntax: "",
                handler: object_help, ..OBJ },
            Command { name: "object|idletime", summary: "Seconds since the key was last accessed",
                handler: object_idletime, ..OBJ },
            Command { name: "object|refcount", summary: "How many references the value at a key has",
                handler: object_refcount, ..OBJ },
        ], ..K },
    Command { name: "persist", since: "2.2.0", summary: "Remove a key's time to live; 1 if it had one", handler: persist, ..KW },
    Command { name: "pexpire", since: "2.6.0", summary: "Give a key a time to live in milliseconds (NX|XX|GT|LT as for EXPIRE)",
        syntax: "key milliseconds [NX|XX|GT|LT]", handler: pexpire, ..EXPIRE_SYNTAX },
    Command { name: "pexpireat", since: "2.6.0", summary: "Make a key expire at a Unix time in milliseconds",
        syntax: "key unix-time-milliseconds [NX|XX|GT|LT]", handler: pexpireat, ..EXPIRE_SYNTAX },
    Command { name: "pexpiretime", since: "7.0.0", summary: "The Unix time in milliseconds at which a key expires (-1: no TTL, -2: no key)",
        handler: pexpiretime, ..K },
    Command { name: "pttl", since: "2.6.0", tips: &["nondeterministic_output"],
        summary: "Milliseconds until a key expires (-1: no TTL, -2: no key)", handler: pttl, ..K },
    Command { name: "randomkey", arity: 1, flags: flags![READONLY], acl: acl![KEYSPACE, READ, SLOW], keys: (0, 0, 0), key_specs: &[],
        tips: &["request_policy:all_shards", "nondeterministic_output"], summary: "A key picked at random, or nil if the database is empty",
        syntax: "", handler: randomkey, ..K },
    Command { name: "rename", arity: 3, flags: flags![WRITE], acl: acl![KEYSPACE, WRITE, SLOW], keys: (1, 2, 1),
        key_specs: &[key(1, key_flags![RW, ACCESS, DELETE]), key(2, key_flags![OW, UPDATE])],
        summary: "Rename a key, replacing any key already under the new name", syntax: "key newkey", handler: rename, ..K },
    Command { name: "renamenx", arity: 3, flags: flags![WRITE, FAST], acl: acl![KEYSPACE, WRITE, FAST], keys: (1, 2, 1),
        key_specs: &[key(1, key_flags![RW, ACCESS, DELETE]), key(2, key_flags![OW, INSERT])],
        summary: "Rename a key only if the new name is free; 1 if renamed", syntax: "key newkey", handler: renamenx, ..K },
    Command { name: "scan", shape: Shape::Scan(&Shape::List("key")), arity: -2, flags: flags![READONLY], acl: acl![KEYSPACE, READ, SLOW], keys: (0, 0, 0), key_specs: &[],
        tips: &["nondeterministic_output", "request_policy:special"], since: "2.8.0",
        complexity: "O(1) for every call. O(N) for a complete iteration.",
        summary: "Iterate the keys a few at a time with a cursor, optionally filtered by pattern and type",
        syntax: "cursor [MATCH pattern] [COUNT count] [TYPE type]", handler: scan, ..K },
    Command { name: "touch", since: "3.2.1", key_specs: &[key(1, key_flags![RO]).range(-1, 1, 0)],
        summary: "Mark keys as just accessed; returns how many exist", handler: touch, ..MULTI_KEYS },
    Command { name: "ttl", tips: &["nondeterministic_output"], summary: "Seconds until a key expires (-1: no TTL, -2: no key)",
        handler: ttl, ..K },
    Command { name: "type", key_specs: &[key(1, key_flags![RO])], summary: "The type of the value at a key: string, list, set, zset, hash or none",
        handler: type_, ..K },
    Command { name: "unlink", flags: flags![WRITE, FAST], acl: acl![KEYSPACE, WRITE, FAST], key_specs: &[key(1, key_flags![RM, DELETE]).range(-1, 1, 0)],
        since: "4.0.0", summary: "Delete keys (Redis frees big values in the background); returns how many existed",
        handler: unlink, ..MULTI_KEYS },
];
