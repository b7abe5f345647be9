//! The protocol and the server's place in a replication setup: HELLO (RESP2 or RESP3 for
//! this connection, with AUTH and SETNAME), CLIENT REPLY, WAIT and ROLE (a lone master: no
//! replica ever acknowledges), and LOLWUT.

use super::args::{int_arg, Args};
use super::connection::check_client_name;
use super::table::{Flags, Group, InMulti, Link, BASE};
use super::Command;
use crate::error::{CmdError, CmdResult};
use crate::reply::{Protocol, Reply};
use crate::server::{Ctx, ReplyMode};

// ---- data operations ----

/// The map HELLO answers with: who the server is and what this connection now speaks.
fn hello_map(ctx: &mut Ctx) -> Reply {
    let proto = ctx.client().protocol().number();
    let b = Reply::bulk;
    Reply::Map(vec![
        (b("server"), b("redis")),
        (b("version"), b(crate::REDIS_VERSION)),
        (b("proto"), Reply::Int(proto)),
        (b("id"), Reply::Int(ctx.client as i64)),
        (b("mode"), b("standalone")),
        (b("role"), b("master")),
        (b("modules"), Reply::Array(vec![])),
    ])
}

/// What LOLWUT draws for a version this playground has no art for: Redis 7.0 shows the
/// version line of its "unstable" LOLWUT.
fn lolwut_text() -> Vec<u8> {
    format!("Redis ver. {}\n", crate::REDIS_VERSION).into_bytes()
}

// ---- command handlers ----

/// HELLO [protover [AUTH username password] [SETNAME clientname]]
fn hello(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let mut proto = None;
    if let Some(v) = args.next_opt() {
        let n = crate::num::parse_i64(v).ok_or_else(|| {
            CmdError::Err("Protocol version is not an integer or out of range".into())
        })?;
        proto = Some(match n {
            2 => Protocol::Resp2,
            3 => Protocol::Resp3,
            _ => return Err(CmdError::Raw("NOPROTO unsupported protocol version".into())),
        });
    }
    let mut name = None;
    while let Some(opt) = args.next_opt() {
        let more = args.remaining();
        if opt.eq_ignore_ascii_case(b"auth") && more >= 2 {
            let at = argv.len() - more;
            ctx.redact(at);
            ctx.redact(at + 1);
            let (user, pass) = (args.next_arg()?, args.next_arg()?);
            if ctx.server.authenticate(ctx.client, user, pass).is_err() {
                return Err(CmdError::Raw(
                    "WRONGPASS invalid username-password pair or user is disabled.".into(),
                ));
            }
        } else if opt.eq_ignore_ascii_case(b"setname") && more >= 1 {
            let n = args.next_arg()?;
            check_client_name(n)?;
            name = Some(n);
        } else {
            return Err(CmdError::Err(format!(
                "Syntax error in HELLO option '{}'",
                String::from_utf8_lossy(opt)
            )));
        }
    }
    if ctx.server.auth_required(ctx.client) {
        return Err(CmdError::Raw(
            "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time".into(),
        ));
    }
    if let Some(n) = name {
        ctx.client().set_name(n);
    }
    if let Some(p) = proto {
        ctx.client().set_protocol(p);
    }
    Ok(hello_map(ctx))
}

/// CLIENT REPLY ON|OFF|SKIP
fn client_reply(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mode = Args::of_sub(argv).next_arg()?;
    let mode = match mode.to_ascii_lowercase().as_slice() {
        b"on" => ReplyMode::On,
        b"off" => ReplyMode::Off,
        b"skip" => ReplyMode::Skip,
        _ => return Err(CmdError::Syntax),
    };
    ctx.server.set_reply_mode(ctx.client, mode);
    // OFF and SKIP answer nothing themselves.
    Ok(match mode {
        ReplyMode::On => Reply::ok(),
        _ => Reply::Multi(Vec::new()),
    })
}

/// WAIT numreplicas timeout: no replica ever acknowledges here, so it answers 0 at once
/// when asked for none (or inside MULTI), else after `timeout` ms (0: until unblocked).
fn wait(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let numreplicas = int_arg(&argv[1])?;
    let ms = super::args::ms_timeout_arg(&argv[2])?;
    // Inside EXEC, where nothing may wait, `block` does nothing: 0 at once.
    if numreplicas > 0 {
        let deadline = if ms > 0 {
            ctx.now.saturating_add(ms)
        } else {
            0
        };
        ctx.block(std::iter::empty::<&[u8]>(), deadline);
    }
    Ok(Reply::Int(0))
}

/// ROLE: a master with no replicas, at replication offset 0.
fn role(_: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    Ok(Reply::Array(vec![
        Reply::bulk("master"),
        Reply::Int(0),
        Reply::Array(vec![]),
    ]))
}

/// LOLWUT [VERSION version] [art arguments]: version 5 and 6 draw their art, any other
/// (and none: this server's 7) shows the version line.
fn lolwut(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    if argv.len() >= 3 && argv[1].eq_ignore_ascii_case(b"version") {
        let version = int_arg(&argv[2])?;
        let rest = &argv[3..];
        return Ok(Reply::Verbatim(match version {
            5 => super::lolwut::schotter(rest, ctx.server.rng())?,
            6 => super::lolwut::skyline(rest, ctx.server.rng())?,
            _ => lolwut_text(),
        }));
    }
    Ok(Reply::Verbatim(lolwut_text()))
}

// ---- the table ----

pub const COMMANDS: &[Command] = &[
    Command {
        name: "hello",
        link: Link::Refused("HELLO changes the console's protocol"),
        arity: -1,
        flags: flags![NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY],
        acl: acl![FAST, CONNECTION],
        group: Group::Connection,
        since: "6.0.0",
        complexity: "O(1)",
        summary: "Choose the protocol (RESP2 or RESP3), log in and name the connection; answers who the server is",
        syntax: "[protover [AUTH username password] [SETNAME clientname]]",
        handler: hello,
        ..BASE
    },
    Command {
        name: "wait",
        arity: 3,
        flags: flags![NOSCRIPT],
        acl: acl![SLOW, CONNECTION],
        tips: &["request_policy:all_shards", "response_policy:agg_min"],
        group: Group::Generic,
        since: "3.0.0",
        summary: "Wait for replicas to acknowledge this connection's writes (there are none here: 0)",
        syntax: "numreplicas timeout",
        handler: wait,
        ..BASE
    },
    Command {
        name: "role",
        flags: flags![NOSCRIPT, LOADING, STALE, FAST],
        acl: acl![ADMIN, FAST, DANGEROUS],
        group: Group::Server,
        since: "2.8.12",
        summary: "The server's replication role: a master with no replicas",
        handler: role,
        ..BASE
    },
    Command {
        name: "lolwut",
        arity: -1,
        flags: flags![READONLY, FAST],
        acl: acl![READ, FAST],
        group: Group::Server,
        since: "5.0.0",
        summary: "Show the server's version, or the computer art of Redis 5 or 6 (VERSION 5: Schotter; VERSION 6: a skyline)",
        syntax: "[VERSION version]",
        handler: lolwut,
        ..BASE
    },
];

/// CLIENT REPLY, an entry of CLIENT's sub-commands.
pub const CLIENT_REPLY: Command = Command {
    name: "client|reply",
    in_multi: InMulti::Queued,
    link: Link::Refused("CLIENT REPLY silences the console"),
    arity: 3,
    flags: Flags::NOSCRIPT.with(Flags::LOADING).with(Flags::STALE),
    acl: acl![SLOW, CONNECTION],
    group: Group::Connection,
    since: "3.2.0",
    summary: "Turn this connection's replies off, on, or skip the next one",
    syntax: "ON|OFF|SKIP",
    handler: client_reply,
    ..BASE
};
