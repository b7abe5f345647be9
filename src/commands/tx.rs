//! Transactions: MULTI queues commands, EXEC runs them all at once, DISCARD drops them;
//! WATCH makes EXEC fail if a watched key changed (or expired) in between.

use super::args::Args;
use super::table::{key, Group, InMulti, BASE};
use super::Command;
use crate::error::{CmdError, CmdResult};
use crate::reply::Reply;
use crate::server::Ctx;

// ---- command handlers ----

/// MULTI
fn multi(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    if !ctx.server.begin_multi(ctx.client) {
        return Err(CmdError::Err("MULTI calls can not be nested".into()));
    }
    Ok(Reply::ok())
}

/// EXEC
fn exec(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    let Some(tx) = ctx.server.take_transaction(ctx.client, ctx.now) else {
        return Err(CmdError::Err("EXEC without MULTI".into()));
    };
    if tx.aborted {
        return Err(CmdError::Raw(
            "EXECABORT Transaction discarded because of previous errors.".into(),
        ));
    }
    if tx.dirty {
        return Ok(Reply::NilArray);
    }
    let mut replies = Vec::with_capacity(tx.queue.len());
    for argv in tx.queue {
        let reply = match ctx.server.resolve(&argv) {
            // The users' rules may have changed since the command was queued.
            Ok(cmd) => match ctx.server.acl_check(ctx.client, cmd, &argv, "multi", ctx.now) {
                Ok(()) => ctx.server.call(cmd, ctx.client, &argv, ctx.now, false),
                Err(why) => Reply::Error(format!(
                    "NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: {}",
                    why.exec_reason()
                )),
            },
            Err(e) => e.into(),
        };
        // SUBSCRIBE a b inside a transaction answers once per channel, all in the array.
        match reply {
            Reply::Multi(items) => replies.extend(items),
            other => replies.push(other),
        }
    }
    Ok(Reply::Array(replies))
}

/// DISCARD
fn discard(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    if !ctx.client().tx().in_multi() {
        return Err(CmdError::Err("DISCARD without MULTI".into()));
    }
    ctx.server.discard_transaction(ctx.client);
    Ok(Reply::ok())
}

/// WATCH key [key ...]
fn watch(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    if ctx.client().tx().in_multi() {
        return Err(CmdError::Err("WATCH inside MULTI is not allowed".into()));
    }
    let db = ctx.db_index();
    for key in Args::new(argv).rest() {
        ctx.server.watch(ctx.client, db, key, ctx.now);
    }
    Ok(Reply::ok())
}

/// UNWATCH
fn unwatch(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    ctx.server.unwatch_all(ctx.client);
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
