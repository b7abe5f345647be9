//! Connections: CLIENT (ID, INFO, LIST, GETNAME, SETNAME, KILL, UNBLOCK, NO-EVICT, HELP),
//! MONITOR, RESET and QUIT. Every console of the page and every connection of the retry
//! simulation is a client; addresses are pretend (`127.0.0.1:<port>`), as are the buffer
//! sizes CLIENT LIST reports.

use super::args::{Args, Word};
use super::common::help_lines;
use super::table::{Acl, Flags, Group, InMulti, Link, BASE};
use super::Command;
use crate::clock::Ms;
use crate::error::{CmdError, CmdResult};
use crate::reply::Reply;
use crate::server::pubsub::Kind as SubKind;
use crate::server::{Client, ClientId, Ctx, Server};

// ---- data operations ----

/// The kinds of client CLIENT LIST TYPE and CLIENT KILL TYPE select.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Normal,
    Replica,
    PubSub,
    Master,
}

fn kind_arg(arg: &[u8]) -> CmdResult<Kind> {
    Ok(match arg.to_ascii_lowercase().as_slice() {
        b"normal" => Kind::Normal,
        b"slave" | b"replica" => Kind::Replica,
        b"pubsub" => Kind::PubSub,
        b"master" => Kind::Master,
        _ => {
            return Err(CmdError::Err(format!(
                "Unknown client type '{}'",
                String::from_utf8_lossy(arg)
            )))
        }
    })
}

fn kind_of(server: &Server, c: &Client) -> Kind {
    if server.is_subscribed(c.id()) {
        Kind::PubSub
    } else {
        Kind::Normal
    }
}

/// One line of CLIENT LIST / CLIENT INFO, ending in a newline.
pub fn describe(server: &Server, c: &Client, now: Ms) -> String {
    let subs = server.subscriptions();
    let (channels, patterns, shards) = (
        subs.of(c.id(), SubKind::Channel).len(),
        subs.of(c.id(), SubKind::Pattern).len(),
        subs.of(c.id(), SubKind::Shard).len(),
    );
    let mut flags = String::new();
    if c.is_monitor() {
        flags.push('O');
    }
    if channels + patterns + shards > 0 {
        flags.push('P');
    }
    if c.tx().in_multi() {
        flags.push('x');
    }
    if server.is_blocked(c.id()) {
        flags.push('b');
    }
    let tracker = server.tracking().tracker(c.id());
    if let Some(t) = tracker {
        flags.push('t');
        if t.broken_redirect {
            flags.push('R');
        }
        if t.bcast {
            flags.push('B');
        }
    }
    if c.tx().is_dirty() {
        flags.push('d');
    }
    if c.no_evict() {
        flags.push('e');
    }
    if flags.is_empty() {
        flags.push('N');
    }
    let multi = c.tx().queued().map_or(-1, |n| n as i64);
    let mem = server.client_memory(c);
    let (age, idle) = c.ages(now);
    format!(
        "id={} addr={} laddr=127.0.0.1:6379 fd={} name={} age={} idle={} flags={} db={} sub={} psub={} ssub={} multi={} qbuf=0 qbuf-free=0 argv-mem=0 multi-mem={} rbs=1024 rbp=0 obl=0 oll=0 omem={} tot-mem={} events=r cmd={} user={} redir={} resp={}\n",
        c.id(),
        c.addr(),
        c.id() + 7,
        String::from_utf8_lossy(c.name()),
        age,
        idle,
        flags,
        c.db(),
        channels,
        patterns,
        shards,
        multi,
        c.tx().multi_mem(),
        c.output_bytes(),
        mem,
        c.last_command(),
        String::from_utf8_lossy(c.user()),
        tracker.map_or(-1, |t| t.redirect as i64),
        c.protocol().number(),
    )
}

/// A client id argument (1 or more), with the error text the caller uses.
fn client_id_arg(arg: &[u8], msg: &str) -> CmdResult<u64> {
    match crate::num::parse_i64(arg) {
        Some(v) if v >= 1 => Ok(v as u64),
        _ => Err(CmdError::Err(msg.into())),
    }
}

/// What CLIENT KILL's filters select.
#[derive(Default)]
struct KillFilter {
    id: Option<u64>,
    kind: Option<Kind>,
    addr: Option<Vec<u8>>,
    laddr: Option<Vec<u8>>,
    user: Option<Vec<u8>>,
    skip_me: bool,
}

impl KillFilter {
    fn matches(&self, server: &Server, c: &Client, me: bool) -> bool {
        !(self.skip_me && me)
            && self.id.is_none_or(|id| c.id() == id)
            && self.kind.is_none_or(|k| kind_of(server, c) == k)
            && self
                .addr
                .as_deref()
                .is_none_or(|a| a == c.addr().as_bytes())
            && self.laddr.as_deref().is_none_or(|a| a == b"127.0.0.1:6379")
            && self.user.as_deref().is_none_or(|u| u == c.user())
    }
}

/// CLIENT KILL's `<option> <value>` pairs, each option once or more (the last wins).
fn kill_filter(args: &mut Args, server: &Server) -> CmdResult<KillFilter> {
    let mut f = KillFilter {
        skip_me: true,
        ..KillFilter::default()
    };
    while let Some(opt) = args.next_option() {
        let val = args.value()?;
        match opt.as_str() {
            "id" => f.id = Some(client_id_arg(val, "client-id should be greater than 0")?),
            "type" => f.kind = Some(kind_arg(val)?),
            "addr" => f.addr = Some(val.to_vec()),
            "laddr" => f.laddr = Some(val.to_vec()),
            "user" if server.acl().user(val).is_none() => {
                return Err(CmdError::Err(format!(
                    "No such user '{}'",
                    String::from_utf8_lossy(val)
                )))
            }
            "user" => f.user = Some(val.to_vec()),
            "skipme" => {
                f.skip_me = match Word::new(val).as_str() {
                    "yes" => true,
                    "no" => false,
                    _ => return Err(CmdError::Syntax),
                }
            }
            _ => return Err(CmdError::Syntax),
        }
    }
    Ok(f)
}

// ---- command handlers ----

/// PING [message]
fn ping(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let message = args.next_opt();
    if !args.is_empty() {
        return Err(CmdError::WrongArity("ping".into()));
    }
    if ctx.server.is_subscribed(ctx.client)
        && ctx.client().protocol() == crate::reply::Protocol::Resp2
    {
        // A subscribed client's PING answers as a message would: ["pong", message].
        let msg = message.unwrap_or_default();
        return Ok(Reply::Array(vec![Reply::bulk("pong"), Reply::bulk(msg)]));
    }
    Ok(message.map_or_else(|| Reply::status("PONG"), Reply::bulk))
}

/// ECHO message
fn echo(_: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    Args::new(argv).next_arg().map(Reply::bulk)
}

/// CLIENT ID
fn client_id(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    Ok(Reply::Int(ctx.client as i64))
}

/// CLIENT INFO
fn client_info(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    let server = &*ctx.server;
    let line = server
        .client(ctx.client)
        .map(|c| describe(server, c, ctx.now))
        .unwrap_or_default();
    Ok(Reply::Verbatim(line.into_bytes()))
}

/// CLIENT LIST [TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id [client-id ...]]
fn client_list(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::of_sub(argv);
    let (mut kind, mut ids) = (None, None);
    match (args.next_option(), args.remaining()) {
        (None, _) => {}
        (Some(w), 1) if w.is("type") => kind = Some(kind_arg(args.value()?)?),
        (Some(w), n) if w.is("id") && n >= 1 => {
            let list: CmdResult<Vec<u64>> = args
                .rest()
                .iter()
                .map(|a| client_id_arg(a, "Invalid client ID"))
                .collect();
            ids = Some(list?);
        }
        _ => return Err(CmdError::Syntax),
    }
    let server = &*ctx.server;
    let mut out = String::new();
    for c in server.clients().iter() {
        let wanted = match (&kind, &ids) {
            (Some(k), _) => kind_of(server, c) == *k,
            (_, Some(ids)) => ids.contains(&c.id()),
            _ => true,
        };
        if wanted {
            out.push_str(&describe(server, c, ctx.now));
        }
    }
    Ok(Reply::Verbatim(out.into_bytes()))
}

/// CLIENT GETNAME
fn client_getname(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    let name = ctx.client().name();
    Ok(if name.is_empty() {
        Reply::Nil
    } else {
        Reply::bulk(name)
    })
}

/// A connection name may hold only printable characters other than space (CLIENT
/// SETNAME, HELLO SETNAME).
pub(super) fn check_client_name(name: &[u8]) -> CmdResult<()> {
    if name.iter().any(|&b| !(b'!'..=b'~').contains(&b)) {
        return Err(CmdError::Err(
            "Client names cannot contain spaces, newlines or special characters.".into(),
        ));
    }
    Ok(())
}

/// CLIENT SETNAME connection-name
fn client_setname(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let name = Args::of_sub(argv).next_arg()?;
    check_client_name(name)?;
    ctx.client().set_name(name);
    Ok(Reply::ok())
}

/// CLIENT KILL ip:port | CLIENT KILL [ID id] [TYPE type] [ADDR ip:port] [LADDR ip:port]
/// [USER username] [SKIPME yes|no] ...
fn client_kill(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::of_sub(argv);
    if args.remaining() == 1 {
        // The old form: one address, OK or an error.
        let found = ctx
            .server
            .clients()
            .iter()
            .find(|c| args.peek().is_some_and(|a| a == c.addr().as_bytes()))
            .map(Client::id);
        let Some(i) = found else {
            return Err(CmdError::Err("No such client".into()));
        };
        ctx.server.disconnect(i);
        return Ok(Reply::ok());
    }
    let filter = kill_filter(&mut args, ctx.server)?;
    let server = &*ctx.server;
    let victims: Vec<ClientId> = server
        .clients()
        .iter()
        .filter(|c| filter.matches(server, c, c.id() == ctx.client))
        .map(Client::id)
        .collect();
    for &i in &victims {
        ctx.server.disconnect(i);
    }
    Ok(Reply::Int(victims.len() as i64))
}

/// CLIENT UNBLOCK client-id [TIMEOUT|ERROR]
fn client_unblock(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::of_sub(argv);
    let id = args.next_i64()?;
    let as_error = match args.next_option() {
        None => false,
        Some(w) if w.is("timeout") => false,
        Some(w) if w.is("error") => true,
        Some(_) => {
            return Err(CmdError::Err(
                "CLIENT UNBLOCK reason should be TIMEOUT or ERROR".into(),
            ))
        }
    };
    let now = ctx.now;
    let unblocked = u64::try_from(id)
        .ok()
        .is_some_and(|id| ctx.server.unblock_client(id, as_error, now));
    Ok(Reply::from(unblocked))
}

/// CLIENT NO-EVICT ON|OFF — whether client eviction (`maxmemory-clients`) may close
/// this connection.
fn client_no_evict(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let switch = Args::of_sub(argv).next_word()?;
    if switch.is("on") || switch.is("off") {
        ctx.client().set_no_evict(switch.is("on"));
        Ok(Reply::ok())
    } else {
        Err(CmdError::Syntax)
    }
}

/// CLIENT HELP
fn client_help(_: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    Ok(help_lines(
        "CLIENT",
        &[
            "GETNAME",
            "    The name of this connection (nil without one).",
            "ID",
            "    The id of this connection.",
            "INFO",
            "    A CLIENT LIST line about this connection.",
            "KILL <ip:port>",
            "    Close the connection from <ip:port>.",
            "KILL <option> <value> [<option> <value> [...]]",
            "    Close every connection that matches all the options:",
            "    * ID <client-id>",
            "      The connection with this id.",
            "    * ADDR (<ip:port>|<unixsocket>:0)",
            "      Connections from this address.",
            "    * LADDR (<ip:port>|<unixsocket>:0)",
            "      Connections to this local address.",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Connections of this kind.",
            "    * USER <username>",
            "      Connections logged in as <username>.",
            "    * SKIPME (YES|NO)",
            "      Spare this connection (the default: yes).",
            "LIST [options ...]",
            "    One line per connection. Options:",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Only connections of this kind.",
            "    * ID <client-id> [<client-id> ...]",
            "      Only these connections.",
            "SETNAME <name>",
            "    Name this connection (an empty name removes it).",
            "UNBLOCK <clientid> [TIMEOUT|ERROR]",
            "    End a blocking command of another connection, as a timeout or an error.",
            "NO-EVICT (ON|OFF)",
            "    Keep this connection from being evicted.",
        ],
    ))
}

/// MONITOR
fn monitor(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    if ctx.deny_blocking() {
        return Err(CmdError::Err(
            "MONITOR isn't allowed for DENY BLOCKING client".into(),
        ));
    }
    ctx.server.start_monitor(ctx.client);
    Ok(Reply::ok())
}

/// RESET
fn reset(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    ctx.server.reset_client(ctx.client);
    Ok(Reply::status("RESET"))
}

/// QUIT: OK, then the server closes the connection.
fn quit(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    ctx.server.disconnect(ctx.client);
    Ok(Reply::ok())
}

// ---- the table ----

/// PING and ECHO, and the base of the server's own commands (databases, introspection).
pub(super) const CONN: Command = Command {
    name: "",
    arity: 1,
    flags: flags![LOADING, STALE, FAST],
    acl: acl![FAST, CONNECTION],
    group: Group::Connection,
    ..BASE
};

const CLIENT_SUB: Command = Command {
    name: "",
    arity: 2,
    flags: flags![NOSCRIPT, LOADING, STALE],
    acl: acl![SLOW, CONNECTION],
    keys: (0, 0, 0),
    key_specs: &[],
    tips: &[],
    group: Group::Connection,
    since: "2.4.0",
    complexity: "O(1)",
    summary: "",
    syntax: "",
    handler: client_id,
    subcommands: &[],
    ..BASE
};

const ADMIN: Flags = flags![ADMIN, NOSCRIPT, LOADING, STALE];
const ADMIN_ACL: Acl = acl![ADMIN, SLOW, DANGEROUS, CONNECTION];

pub const COMMANDS: &[Command] = &[
    Command {
        name: "echo",
        arity: 2,
        summary: "Reply with the given message",
        syntax: "message",
        handler: echo,
        ..CONN
    },
    Command {
        name: "ping",
        arity: -1,
        flags: flags![FAST, SUBSCRIBED_OK],
        tips: &["request_policy:all_shards", "response_policy:all_succeeded"],
        summary: "Check the connection: PONG, or the message given",
        syntax: "[message]",
        handler: ping,
        ..CONN
    },
    Command {
        name: "client",
        arity: -2,
        flags: flags![],
        acl: acl![SLOW],
        complexity: "Depends on subcommand.",
        summary: "Commands about client connections",
        handler: super::container_handler,
        subcommands: &[
            Command {
                name: "client|getname",
                since: "2.6.9",
                summary: "The name of this connection",
                handler: client_getname,
                ..CLIENT_SUB
            },
            Command {
                name: "client|help",
                flags: flags![LOADING, STALE],
                since: "5.0.0",
                summary: "Show what CLIENT can do",
                handler: client_help,
                ..CLIENT_SUB
            },
            Command {
                name: "client|id",
                since: "5.0.0",
                summary: "The unique id of this connection",
                handler: client_id,
                ..CLIENT_SUB
            },
            Command {
                name: "client|info",
                tips: &["nondeterministic_output"],
                since: "6.2.0",
                summary: "What CLIENT LIST says about this connection",
                handler: client_info,
                ..CLIENT_SUB
            },
            Command {
                name: "client|kill", link: Link::Refused("CLIENT KILL closes connections"),
                arity: -3,
                flags: ADMIN,
                acl: ADMIN_ACL,
                complexity: "O(N) where N is the number of client connections",
                summary: "Close connections chosen by address, id, type or user",
                syntax: "ip:port | [ID client-id] [TYPE NORMAL|MASTER|SLAVE|REPLICA|PUBSUB] [USER username] [ADDR ip:port] [LADDR ip:port] [SKIPME yes|no] ...",
                handler: client_kill,
                ..CLIENT_SUB
            },
            Command {
                name: "client|list",
                arity: -2,
                flags: ADMIN,
                acl: ADMIN_ACL,
                tips: &["nondeterministic_output"],
                complexity: "O(N) where N is the number of client connections",
                summary: "One line about each connection: id, address, name, db, flags, last command",
                syntax: "[TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id [client-id ...]]",
                handler: client_list,
                ..CLIENT_SUB
            },
            Command {
                name: "client|no-evict",
                arity: 3,
                flags: ADMIN,
                acl: ADMIN_ACL,
                since: "7.0.0",
                summary: "Keep this connection from being evicted under memory pressure",
                syntax: "ON|OFF",
                handler: client_no_evict,
                ..CLIENT_SUB
            },
            super::pause::CLIENT_PAUSE,
            super::pause::CLIENT_UNPAUSE,
            super::protocol::CLIENT_REPLY,
            super::tracking::CLIENT_TRACKING,
            super::tracking::CLIENT_CACHING,
            super::tracking::CLIENT_GETREDIR,
            super::tracking::CLIENT_TRACKINGINFO,
            Command {
                name: "client|setname",
                arity: 3,
                since: "2.6.9",
                summary: "Name this connection (shown by CLIENT LIST)",
                syntax: "connection-name",
                handler: client_setname,
                ..CLIENT_SUB
            },
            Command {
                name: "client|unblock",
                arity: -3,
                flags: ADMIN,
                acl: ADMIN_ACL,
                since: "5.0.0",
                complexity: "O(log N) where N is the number of client connections",
                summary: "End another connection's blocking command, as a timeout or an error",
                syntax: "client-id [TIMEOUT|ERROR]",
                handler: client_unblock,
                ..CLIENT_SUB
            },
        ],
        ..CLIENT_SUB
    },
    Command {
        name: "monitor", link: Link::Refused("MONITOR takes the console over"),
        arity: 1,
        flags: ADMIN,
        acl: acl![ADMIN, SLOW, DANGEROUS],
        group: Group::Server,
        since: "1.0.0",
        complexity: "",
        summary: "Stream every command the server runs, from every client, as it runs",
        handler: monitor,
        ..CLIENT_SUB
    },
    Command {
        name: "quit", in_multi: InMulti::RunsNow, link: Link::Refused("QUIT closes the console's connection"),
        arity: -1,
        flags: flags![NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY, SUBSCRIBED_OK],
        acl: acl![FAST, CONNECTION],
        since: "1.0.0",
        summary: "Close the connection",
        handler: quit,
        ..CLIENT_SUB
    },
    Command {
        name: "reset", in_multi: InMulti::RunsNow, link: Link::Refused("RESET resets the console's connection"),
        arity: 1,
        flags: flags![NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY, SUBSCRIBED_OK],
        acl: acl![FAST, CONNECTION],
        since: "6.2.0",
        summary: "Start the connection afresh: no transaction, watches, subscriptions or name; db 0",
        handler: reset,
        ..CLIENT_SUB
    },
];
