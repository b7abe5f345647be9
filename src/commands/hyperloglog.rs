//! HyperLogLog: PFADD, PFCOUNT, PFMERGE and the debugging commands PFDEBUG and
//! PFSELFTEST. An HLL is a string in Redis's layout (`types::hll`), so GET, STRLEN and
//! SETRANGE see its bytes, and a string that is not one gets Redis's error.
//!
//! Data operations first (finding a key's HLL), then the handlers, then the table entries.

use super::string::{str_at, write_str};
use super::table::{key, Group, Link, Shape, BASE};
use super::Command;
use crate::error::{CmdError, CmdResult};
use crate::reply::Reply;
use crate::server::{Class, Ctx};
use crate::types::hll::{self, Corrupt, Registers};
use crate::types::{RString, Value};

// ---- data operations ----

fn not_hll() -> CmdError {
    CmdError::Raw("WRONGTYPE Key is not a valid HyperLogLog string value.".into())
}

fn corrupt(_: Corrupt) -> CmdError {
    CmdError::Raw("INVALIDOBJ Corrupted HLL object detected".into())
}

/// The HLL bytes at `key` for an update (the value becomes `raw`, as Redis unshares it):
/// None when missing, WRONGTYPE for another type or a string that is not an HLL.
/// `read` counts the lookup as a keyspace hit or miss.
fn hll_at<'c>(ctx: &'c mut Ctx, key: &[u8], read: bool) -> CmdResult<Option<&'c mut Vec<u8>>> {
    let Some(found) = str_at(ctx, key, read)? else {
        return Ok(None);
    };
    if hll::check(found.as_bytes()).is_none() {
        return Err(not_hll());
    }
    Ok(Some(found.make_raw()))
}

/// The HLL at `key`, created empty (sparse) when missing; also whether it was created.
fn hll_for_write<'c>(ctx: &'c mut Ctx, key: &[u8]) -> CmdResult<(&'c mut Vec<u8>, bool)> {
    let created = hll_at(ctx, key, false)?.is_none();
    if created {
        let now = ctx.now;
        ctx.db()
            .set(key, Value::Str(RString::raw(hll::new_sparse())), false, now);
    }
    match write_str(ctx, key)? {
        Some(s) => Ok((s.make_raw(), created)),
        None => Err(CmdError::NoSuchKey),
    }
}

/// The union of the HLLs at `keys` (missing keys count as empty), and whether any of
/// them is dense.
fn union_of(ctx: &mut Ctx, keys: &[Vec<u8>]) -> CmdResult<(Registers, bool)> {
    let mut max = Registers::default();
    let mut dense = false;
    for k in keys {
        if let Some(b) = hll_at(ctx, k, true)? {
            dense |= hll::check(b) == Some(hll::Encoding::Dense);
            max.merge(b).map_err(corrupt)?;
        }
    }
    Ok((max, dense))
}

// ---- command handlers ----

/// PFADD key [element ...]
fn pfadd(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let key = &argv[1];
    let sparse_max = ctx.server.hll_sparse_max_len();
    let (bytes, created) = hll_for_write(ctx, key)?;
    let mut updated = u64::from(created);
    for e in &argv[2..] {
        if hll::add(bytes, e, sparse_max).map_err(corrupt)? {
            updated += 1;
        }
    }
    if updated > 0 {
        hll::invalidate_cache(bytes);
        ctx.notify(Class::String, "pfadd", key);
        ctx.changes(updated);
    }
    Ok(Reply::Int(i64::from(updated > 0)))
}

/// PFCOUNT key [key ...]
fn pfcount(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    if argv.len() > 2 {
        let (max, _) = union_of(ctx, &argv[1..])?;
        return Ok(Reply::Int(max.count() as i64));
    }
    let key = &argv[1];
    let Some(bytes) = hll_at(ctx, key, true)? else {
        return Ok(Reply::Int(0));
    };
    let (n, refreshed) = hll::count(bytes).map_err(corrupt)?;
    if refreshed {
        // The cached count is part of the value: watchers see a change.
        ctx.written(key);
    }
    Ok(Reply::Int(n as i64))
}

/// PFMERGE destkey [sourcekey ...]
fn pfmerge(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let key = &argv[1];
    let (max, dense) = union_of(ctx, &argv[1..])?;
    let sparse_max = ctx.server.hll_sparse_max_len();
    let (bytes, _) = hll_for_write(ctx, key)?;
    if dense {
        hll::to_dense(bytes).map_err(corrupt)?;
    }
    max.store(bytes, sparse_max);
    ctx.notify(Class::String, "pfadd", key);
    ctx.changes(1);
    Ok(Reply::ok())
}

/// PFDEBUG GETREG|DECODE|ENCODING|TODENSE key
fn pfdebug(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let sub = argv[1].to_ascii_lowercase();
    let Some(bytes) = hll_at(ctx, &argv[2], false)? else {
        return Err(CmdError::Err("The specified key does not exist".into()));
    };
    let reply = match sub.as_slice() {
        b"getreg" => {
            let converted = hll::to_dense(bytes).map_err(corrupt)?;
            let regs = hll::registers(bytes);
            if converted {
                ctx.changes(1);
            }
            Reply::Array(regs.into_iter().map(|r| Reply::Int(r.into())).collect())
        }
        b"decode" => {
            if hll::check(bytes) != Some(hll::Encoding::Sparse) {
                return Err(CmdError::Err("HLL encoding is not sparse".into()));
            }
            Reply::Bulk(hll::decode(bytes).into_bytes())
        }
        b"encoding" => Reply::status(hll::check(bytes).map_or("sparse", |e| e.name())),
        b"todense" => {
            let converted = hll::to_dense(bytes).map_err(corrupt)?;
            if converted {
                ctx.changes(1);
            }
            Reply::Int(i64::from(converted))
        }
        _ => {
            return Err(CmdError::Err(format!(
                "Unknown PFDEBUG subcommand '{}'",
                String::from_utf8_lossy(&argv[1])
            )))
        }
    };
    Ok(reply)
}

/// PFSELFTEST
fn pfselftest(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    let sparse_max = ctx.server.hll_sparse_max_len();
    match hll::selftest(ctx.server.rng(), sparse_max) {
        Ok(()) => Ok(Reply::ok()),
        Err(text) => Err(CmdError::Err(text)),
    }
}

// ---- the table ----

const H: Command = Command {
    name: "",
    arity: -2,
    flags: flags![WRITE, DENYOOM, FAST],
    acl: acl![WRITE, HYPERLOGLOG, FAST],
    keys: (1, 1, 1),
    group: Group::Hyperloglog,
    since: "2.8.9",
    handler: pfadd,
    ..BASE
};

pub const COMMANDS: &[Command] = &[
    Command { name: "pfadd", key_specs: &[key(1, key_flags![RW, INSERT])],
        complexity: "O(1) to add every element.",
        summary: "Add elements to a HyperLogLog (creating it); 1 if its estimate may have changed",
        syntax: "key [element [element ...]]", ..H },
    Command { name: "pfcount", flags: flags![READONLY, MAY_REPLICATE], acl: acl![READ, HYPERLOGLOG, SLOW],
        keys: (1, -1, 1),
        key_specs: &[key(1, key_flags![RW, ACCESS]).range(-1, 1, 0)
            .notes("RW because it may change the internal representation of the key, and propagate to replicas")],
        complexity: "O(1) with a very small average constant time when called with a single key. O(N) with N being the number of keys, and much bigger constant times, when called with multiple keys.",
        summary: "The estimated number of distinct elements added to one HyperLogLog, or to the union of several",
        syntax: "key [key ...]", handler: pfcount, ..H },
    Command { name: "pfdebug", arity: 3, flags: flags![WRITE, DENYOOM, ADMIN], acl: acl![WRITE, HYPERLOGLOG, ADMIN, SLOW, DANGEROUS],
        keys: (2, 2, 1), key_specs: &[key(2, key_flags![RW, ACCESS])], complexity: "N/A",
        summary: "Look inside a HyperLogLog: its registers, its sparse runs, its encoding; or make it dense",
        syntax: "subcommand key", handler: pfdebug, shape: Shape::List("register"), ..H },
    Command { name: "pfmerge", flags: flags![WRITE, DENYOOM], acl: acl![WRITE, HYPERLOGLOG, SLOW],
        keys: (1, -1, 1),
        key_specs: &[key(1, key_flags![RW, ACCESS, INSERT]), key(2, key_flags![RO, ACCESS]).range(-1, 1, 0)],
        complexity: "O(N) to merge N HyperLogLogs, but with high constant times.",
        summary: "Store the union of HyperLogLogs at the destination (merged with what it holds)",
        syntax: "destkey sourcekey [sourcekey ...]", handler: pfmerge, ..H },
    Command { name: "pfselftest", arity: 1, flags: flags![ADMIN], acl: acl![HYPERLOGLOG, ADMIN, SLOW, DANGEROUS],
        keys: (0, 0, 0), complexity: "N/A",
        link: Link::Refused("it runs ten million additions"),
        summary: "Check the HyperLogLog implementation: registers, and estimates up to ten million elements",
        handler: pfselftest, ..H },
];
