//! The sixteen databases: SELECT, SWAPDB, DBSIZE, FLUSHDB and FLUSHALL.

use super::args::{db_index_arg, Args};
use super::table::Group;
use super::Command;
use crate::error::{CmdError, CmdResult};
use crate::reply::Reply;
use crate::server::{Ctx, NUM_DBS};

// ---- data operations ----

/// FLUSHDB/FLUSHALL take one optional word, ASYNC or SYNC (both flush at once here):
/// whether it was ASYNC.
fn flush_mode(args: &mut Args) -> CmdResult<bool> {
    match args.next_option() {
        None => Ok(false),
        Some(w) if (w.is("sync") || w.is("async")) && args.is_empty() => Ok(w.is("async")),
        Some(_) => Err(CmdError::Syntax),
    }
}

/// An integer argument in C int range, with a custom error message (SWAPDB's).
fn int_in_c_range(arg: &[u8], msg: &str) -> CmdResult<i64> {
    match crate::num::parse_i64(arg) {
        Some(v) if v >= i32::MIN as i64 && v <= i32::MAX as i64 => Ok(v),
        _ => Err(CmdError::Err(msg.into())),
    }
}

// ---- command handlers ----

/// SELECT index
fn select(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let db = Args::new(argv).next_with(db_index_arg)?;
    ctx.client().select(db);
    Ok(Reply::ok())
}

/// SWAPDB index1 index2
fn swapdb(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let a = args.next_with(|a| int_in_c_range(a, "invalid first DB index"))?;
    let b = args.next_with(|b| int_in_c_range(b, "invalid second DB index"))?;
    let range = 0..NUM_DBS as i64;
    if !range.contains(&a) || !range.contains(&b) {
        return Err(CmdError::DbIndexOutOfRange);
    }
    ctx.server.swap_dbs(a as usize, b as usize, ctx.now);
    Ok(Reply::ok())
}

/// DBSIZE
fn dbsize(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    Ok(Reply::from(ctx.db().len()))
}

/// FLUSHDB [ASYNC|SYNC]
fn flushdb(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let lazy = flush_mode(&mut Args::new(argv))?;
    let db = ctx.db_index();
    if lazy {
        // Redis frees the keys in the background (INFO's lazyfreed_objects counts them).
        let n = ctx.db().len() as u64;
        ctx.server.count_lazyfreed(n);
    }
    ctx.server.flush_db(db, ctx.now);
    ctx.server.tracking_flushed();
    Ok(Reply::ok())
}

/// FLUSHALL [ASYNC|SYNC]
fn flushall(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let lazy = flush_mode(&mut Args::new(argv))?;
    if lazy {
        let n: usize = ctx.server.dbs().iter().map(|d| d.len()).sum();
        ctx.server.count_lazyfreed(n as u64);
    }
    for db in 0..NUM_DBS {
        ctx.server.flush_db(db, ctx.now);
    }
    ctx.server.tracking_flushed();
    Ok(Reply::ok())
}

// ---- the table ----

const D: Command = super::connection::CONN;

pub const COMMANDS: &[Command] = &[
    Command {
        name: "dbsize",
        flags: flags![READONLY, FAST],
        acl: acl![KEYSPACE, READ, FAST],
        tips: &["request_policy:all_shards", "response_policy:agg_sum"],
        group: Group::Server,
        summary: "How many keys the selected database holds",
        handler: dbsize,
        ..D
    },
    Command {
        name: "flushall",
        arity: -1,
        flags: flags![WRITE],
        acl: acl![KEYSPACE, WRITE, SLOW, DANGEROUS],
        tips: &["request_policy:all_shards", "response_policy:all_succeeded"],
        group: Group::Server,
        complexity: "O(N) where N is the total number of keys in all databases",
        summary: "Delete every key of every database",
        syntax: "[ASYNC|SYNC]",
        handler: flushall,
        ..D
    },
    Command {
        name: "flushdb",
        arity: -1,
        flags: flags![WRITE],
        acl: acl![KEYSPACE, WRITE, SLOW, DANGEROUS],
        tips: &["request_policy:all_shards", "response_policy:all_succeeded"],
        group: Group::Server,
        complexity: "O(N) where N is the number of keys in the selected database",
        summary: "Delete every key of the selected database",
        syntax: "[ASYNC|SYNC]",
        handler: flushdb,
        ..D
    },
    Command {
        name: "select",
        arity: 2,
        summary: "Switch this connection to another database (0 to 15)",
        syntax: "index",
        handler: select,
        ..D
    },
    Command {
        name: "swapdb",
        arity: 3,
        flags: flags![WRITE, FAST],
        acl: acl![KEYSPACE, WRITE, FAST, DANGEROUS],
        group: Group::Server,
        since: "4.0.0",
        complexity:
            "O(N) where N is the count of clients watching or blocking on keys from both databases",
        summary: "Exchange the contents of two databases",
        syntax: "index1 index2",
        handler: swapdb,
        ..D
    },
];
