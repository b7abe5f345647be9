//! Transactions: MULTI queues commands, EXEC runs them all at once, DISCARD drops them;
//! WATCH makes EXEC fail if a watched key changed (or expired) in between.

use super::table::{key, Group, InMulti, BASE};
use super::Command;
use crate::error::{CmdError, CmdResult};
use crate::reply::Reply;
use crate::server::{Ctx, Watched};

// ---- data operations ----

fn reset_multi(ctx: &mut Ctx) {
    let c = ctx.client();
    c.multi = None;
    c.multi_error = false;
    c.watched.clear();
    c.dirty_cas = false;
}

// ---- command handlers ----

/// MULTI
fn multi(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    if ctx.client().multi.is_some() {
        return Err(CmdError::Err("MULTI calls can not be nested".into()));
    }
    ctx.client().multi = Some(Vec::new());
    Ok(Reply::ok())
}

/// EXEC
fn exec(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    let Some(queue) = ctx.client().multi.take() else {
        return Err(CmdError::Err("EXEC without MULTI".into()));
    };
    let aborted = ctx.client().multi_error;
    let dirty = ctx.client().dirty_cas || watched_key_expired(ctx);
    reset_multi(ctx);
    if aborted {
        return Err(CmdError::Raw(
            "EXECABORT Transaction discarded because of previous errors.".into(),
        ));
    }
    if dirty {
        return Ok(Reply::NilArray);
    }
    let mut replies = Vec::with_capacity(queue.len());
    ctx.server.in_exec = true;
    for argv in queue {
        let reply = match ctx.server.resolve(&argv) {
            Ok(cmd) => ctx.server.call(cmd, ctx.client, &argv, ctx.now),
            Err(e) => e.into(),
        };
        // SUBSCRIBE a b inside a transaction answers once per channel, all in the array.
        match reply {
            Reply::Multi(items) => replies.extend(items),
            other => replies.push(other),
        }
    }
    ctx.server.in_exec = false;
    Ok(Reply::Array(replies))
}

/// A watched key whose TTL ran out since WATCH (even if not yet deleted) fails EXEC, as
/// in Redis 7; one that had already expired when watched does not.
fn watched_key_expired(ctx: &mut Ctx) -> bool {
    let now = ctx.now;
    let server = &mut *ctx.server;
    server.clients[ctx.client]
        .watched
        .iter()
        .filter(|w| !w.expired)
        .any(|w| server.dbs[w.db].is_logically_expired(&w.key, now))
}

/// DISCARD
fn discard(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    if ctx.client().multi.is_none() {
        return Err(CmdError::Err("DISCARD without MULTI".into()));
    }
    reset_multi(ctx);
    Ok(Reply::ok())
}

/// WATCH key [key ...]
fn watch(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    if ctx.client().multi.is_some() {
        return Err(CmdError::Err("WATCH inside MULTI is not allowed".into()));
    }
    let db = ctx.db_index();
    let now = ctx.now;
    for key in &argv[1..] {
        let expired = ctx.server.dbs[db].is_logically_expired(key, now);
        let c = ctx.client();
        if !c.watched.iter().any(|w| w.db == db && w.key == *key) {
            c.watched.push(Watched {
                db,
                key: key.clone(),
                expired,
            });
        }
    }
    Ok(Reply::ok())
}

/// UNWATCH
fn unwatch(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    let c = ctx.client();
    c.watched.clear();
    c.dirty_cas = false;
    Ok(Reply::ok())
}

// ---- the table ----

const T: Command = Command {
    name: "",
    arity: 1,
    flags: flags![NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY],
    acl: acl![FAST, TRANSACTION],
    keys: (0, 0, 0),
    key_specs: &[],
    tips: &[],
    group: Group::Transactions,
    since: "1.2.0",
    complexity: "O(1)",
    summary: "",
    syntax: "",
    handler: multi,
    subcommands: &[],
    ..BASE
};

pub const COMMANDS: &[Command] = &[
    Command {
        name: "discard",
        in_multi: InMulti::RunsNow,
        since: "2.0.0",
        complexity: "O(N), when N is the number of queued commands",
        summary: "Drop the commands queued since MULTI and leave the transaction",
        handler: discard,
        ..T
    },
    Command {
        name: "exec",
        in_multi: InMulti::Exec,
        flags: flags![NOSCRIPT, LOADING, STALE, SKIP_SLOWLOG],
        acl: acl![SLOW, TRANSACTION],
        complexity: "Depends on commands in the transaction",
        summary: "Run every command queued since MULTI, at once (nil if a watched key changed)",
        handler: exec,
        ..T
    },
    Command {
        name: "multi",
        in_multi: InMulti::RunsNow,
        summary: "Start a transaction: commands are queued until EXEC",
        handler: multi,
        ..T
    },
    Command {
        name: "unwatch",
        since: "2.2.0",
        summary: "Forget every WATCHed key",
        handler: unwatch,
        ..T
    },
    Command {
        name: "watch",
        in_multi: InMulti::RunsNow,
        arity: -2,
        keys: (1, -1, 1),
        key_specs: &[key(1, key_flags![RO]).range(-1, 1, 0)],
        since: "2.2.0",
        complexity: "O(1) for every key.",
        summary: "Make the next EXEC fail if any of these keys changes first",
        syntax: "key [key ...]",
        handler: watch,
        ..T
    },
];
