//! Client-side caching commands: CLIENT TRACKING, CLIENT CACHING, CLIENT GETREDIR and
//! CLIENT TRACKINGINFO. The state and the invalidation messages are `server::tracking`'s.

use super::args::int_arg;
use super::table::{Flags, Group, Link, BASE};
use super::Command;
use crate::error::{CmdError, CmdResult};
use crate::reply::Reply;
use crate::server::tracking::Options;
use crate::server::Ctx;

// ---- data operations ----

/// Whether one prefix starts with the other (both would see the same keys).
fn overlap(a: &[u8], b: &[u8]) -> bool {
    let n = a.len().min(b.len());
    a[..n] == b[..n]
}

/// Redis's check that BCAST prefixes don't overlap, with its words for each case.
fn check_prefixes(
    mine: Option<&std::collections::BTreeSet<Vec<u8>>>,
    new: &[Vec<u8>],
) -> CmdResult<()> {
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    for (i, p) in new.iter().enumerate() {
        if let Some(old) = mine.and_then(|m| m.iter().find(|o| overlap(o, p))) {
            return Err(CmdError::Err(format!(
                "Prefix '{}' overlaps with an existing prefix '{}'. Prefixes for a single client must not overlap.",
                text(p),
                text(old)
            )));
        }
        if let Some(other) = new[i + 1..].iter().find(|o| overlap(p, o)) {
            return Err(CmdError::Err(format!(
                "Prefix '{}' overlaps with another provided prefix '{}'. Prefixes for a single client must not overlap.",
                text(p),
                text(other)
            )));
        }
    }
    Ok(())
}

// ---- command handlers ----

/// CLIENT TRACKING ON|OFF [REDIRECT client-id] [PREFIX prefix [PREFIX prefix ...]]
/// [BCAST] [OPTIN] [OPTOUT] [NOLOOP]
fn client_tracking(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut o = Options {
        redirect: 0,
        bcast: false,
        optin: false,
        optout: false,
        noloop: false,
        prefixes: Vec::new(),
    };
    let mut j = 3;
    while j < argv.len() {
        let more = argv.len() - 1 - j;
        let a = argv[j].to_ascii_lowercase();
        match a.as_slice() {
            b"redirect" if more > 0 => {
                j += 1;
                if o.redirect != 0 {
                    return Err(CmdError::Err(
                        "A client can only redirect to a single other client".into(),
                    ));
                }
                let id = int_arg(&argv[j])?;
                if !ctx.server.is_connected(id as u64) {
                    return Err(CmdError::Err(
                        "The client ID you want redirect to does not exist".into(),
                    ));
                }
                o.redirect = id as u64;
            }
            b"bcast" => o.bcast = true,
            b"optin" => o.optin = true,
            b"optout" => o.optout = true,
            b"noloop" => o.noloop = true,
            b"prefix" if more > 0 => {
                j += 1;
                o.prefixes.push(argv[j].clone());
            }
            _ => return Err(CmdError::Syntax),
        }
        j += 1;
    }
    let on = argv[2].to_ascii_lowercase();
    match on.as_slice() {
        b"on" => {
            if !o.bcast && !o.prefixes.is_empty() {
                return Err(CmdError::Err(
                    "PREFIX option requires BCAST mode to be enabled".into(),
                ));
            }
            let current = ctx.server.tracking().tracker(ctx.client).cloned();
            if let Some(t) = &current {
                if t.bcast != o.bcast {
                    return Err(CmdError::Err("You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.".into()));
                }
            }
            if o.bcast && (o.optin || o.optout) {
                return Err(CmdError::Err(
                    "OPTIN and OPTOUT are not compatible with BCAST".into(),
                ));
            }
            if o.optin && o.optout {
                return Err(CmdError::Err(
                    "You can't specify both OPTIN mode and OPTOUT mode".into(),
                ));
            }
            if let Some(t) = &current {
                if (o.optin && t.optout) || (o.optout && t.optin) {
                    return Err(CmdError::Err("You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.".into()));
                }
            }
            if o.bcast {
                check_prefixes(current.as_ref().map(|t| &t.prefixes), &o.prefixes)?;
            }
            ctx.server.tracking_mut().enable(ctx.client, o);
        }
        b"off" => ctx.server.tracking_mut().disable(ctx.client),
        _ => return Err(CmdError::Syntax),
    }
    Ok(Reply::ok())
}

/// CLIENT CACHING YES|NO
fn client_caching(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let Some(t) = ctx.server.tracking().tracker(ctx.client) else {
        return Err(CmdError::Err("CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled".into()));
    };
    let (optin, optout) = (t.optin, t.optout);
    match argv[2].to_ascii_lowercase().as_slice() {
        b"yes" if optin => {}
        b"yes" => {
            return Err(CmdError::Err(
                "CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.".into(),
            ))
        }
        b"no" if optout => {}
        b"no" => {
            return Err(CmdError::Err(
                "CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.".into(),
            ))
        }
        _ => return Err(CmdError::Syntax),
    }
    ctx.server.tracking_mut().set_caching(ctx.client);
    Ok(Reply::ok())
}

/// CLIENT GETREDIR: the client id invalidations go to, 0 for none, -1 when not tracking.
fn client_getredir(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    Ok(Reply::Int(
        ctx.server
            .tracking()
            .tracker(ctx.client)
            .map_or(-1, |t| t.redirect as i64),
    ))
}

/// CLIENT TRACKINGINFO: flags, redirect and prefixes.
fn client_trackinginfo(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    let t = ctx.server.tracking().tracker(ctx.client);
    let mut flags = vec![if t.is_some() { "on" } else { "off" }];
    if let Some(t) = t {
        let caching = t.caching;
        for (on, name) in [
            (t.bcast, "bcast"),
            (t.optin, "optin"),
            (t.optin && caching, "caching-yes"),
            (t.optout, "optout"),
            (t.optout && caching, "caching-no"),
            (t.noloop, "noloop"),
            (t.broken_redirect, "broken_redirect"),
        ] {
            if on {
                flags.push(name);
            }
        }
    }
    let b = Reply::bulk;
    Ok(Reply::Map(vec![
        (b("flags"), Reply::Set(flags.into_iter().map(b).collect())),
        (
            b("redirect"),
            Reply::Int(t.map_or(-1, |t| t.redirect as i64)),
        ),
        (
            b("prefixes"),
            Reply::bulks(
                t.map(|t| t.prefixes.iter().collect::<Vec<_>>())
                    .unwrap_or_default(),
            ),
        ),
    ]))
}

// ---- the table ----

const SUB: Command = Command {
    name: "",
    link: Link::Refused("client-side caching is set up by a console itself"),
    arity: 2,
    flags: Flags::NOSCRIPT.with(Flags::LOADING).with(Flags::STALE),
    acl: acl![SLOW, CONNECTION],
    group: Group::Connection,
    since: "6.0.0",
    ..BASE
};

/// CLIENT's client-side caching sub-commands, entries of CLIENT's table.
pub const CLIENT_TRACKING: Command = Command {
    name: "client|tracking",
    arity: -3,
    complexity: "O(1). Some options may introduce additional complexity.",
    summary: "Turn client-side caching invalidations on or off for this connection",
    syntax: "ON|OFF [REDIRECT client-id] [PREFIX prefix [PREFIX prefix ...]] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]",
    handler: client_tracking,
    ..SUB
};

pub const CLIENT_CACHING: Command = Command {
    name: "client|caching",
    arity: 3,
    summary: "Say whether the next command's reads are cached (OPTIN/OPTOUT tracking)",
    syntax: "YES|NO",
    handler: client_caching,
    ..SUB
};

pub const CLIENT_GETREDIR: Command = Command {
    name: "client|getredir",
    summary: "The client this connection's invalidations are redirected to",
    handler: client_getredir,
    ..SUB
};

pub const CLIENT_TRACKINGINFO: Command = Command {
    name: "client|trackinginfo",
    since: "6.2.0",
    summary: "This connection's client-side caching settings",
    handler: client_trackinginfo,
    ..SUB
};
