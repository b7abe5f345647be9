//! CLIENT PAUSE and CLIENT UNPAUSE (the waiting itself is `server::pause`'s).

use super::table::{Acl, Flags, Group, Link, BASE};
use super::Command;
use crate::error::{CmdError, CmdResult};
use crate::reply::Reply;
use crate::server::Ctx;

// ---- command handlers ----

/// CLIENT PAUSE timeout [WRITE|ALL]: the mode is checked before the timeout, which is
/// whole milliseconds.
fn client_pause(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let all = match argv.get(3).map(|m| m.to_ascii_lowercase()) {
        None => true,
        Some(m) if m == b"all" => true,
        Some(m) if m == b"write" => false,
        Some(_) => {
            return Err(CmdError::Err(
                "CLIENT PAUSE mode must be WRITE or ALL".into(),
            ))
        }
    };
    let ms = super::args::ms_timeout_arg(&argv[2])?;
    ctx.server.pause_clients(ctx.now.saturating_add(ms), all);
    Ok(Reply::ok())
}

/// CLIENT UNPAUSE
fn client_unpause(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    ctx.server.unpause_clients();
    Ok(Reply::ok())
}

// ---- the table ----

const ADMIN_ACL: Acl = acl![ADMIN, SLOW, DANGEROUS, CONNECTION];

/// CLIENT PAUSE, an entry of CLIENT's sub-commands.
pub const CLIENT_PAUSE: Command = Command {
    name: "client|pause",
    link: Link::Refused("CLIENT PAUSE holds every console"),
    arity: -3,
    flags: Flags::ADMIN
        .with(Flags::NOSCRIPT)
        .with(Flags::LOADING)
        .with(Flags::STALE),
    acl: ADMIN_ACL,
    group: Group::Connection,
    since: "2.9.50",
    summary: "Hold every client's commands (or only writes) for a while",
    syntax: "timeout [WRITE|ALL]",
    handler: client_pause,
    ..BASE
};

/// CLIENT UNPAUSE, an entry of CLIENT's sub-commands.
pub const CLIENT_UNPAUSE: Command = Command {
    name: "client|unpause",
    link: Link::Refused("CLIENT UNPAUSE is an administrator's"),
    arity: 2,
    complexity: "O(N) Where N is the number of paused clients",
    summary: "End a CLIENT PAUSE: the held commands run",
    since: "6.2.0",
    handler: client_unpause,
    ..CLIENT_PAUSE
};
