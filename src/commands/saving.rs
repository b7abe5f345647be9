//! Saving: SAVE, BGSAVE, LASTSAVE and DEBUG RELOAD. The playground's "disk" is the
//! browser's IndexedDB, written by the page: SAVE and BGSAVE answer at once and ask the
//! page to save now (`Server::request_save`); the page reports each finished save
//! (`Server::saved`). The snapshot format itself is `src/persist.rs`. DEBUG RELOAD saves and loads the keyspace in place, as Redis does
//! with its RDB file (here allowed, as Redis allows it with `enable-debug-command local`).

use super::args::Args;
use super::common::{help_lines, subcommand_syntax};
use super::table::{Group, Link, BASE};
use super::Command;
use crate::clock::Clock;
use crate::error::{CmdError, CmdResult};
use crate::persist;
use crate::rdb;
use crate::reply::Reply;
use crate::server::Ctx;
use crate::types::usage::quicklist_nodes;
use crate::types::Value;

// ---- command handlers ----

/// SAVE
fn save(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    ctx.server.request_save();
    ctx.server.saved(ctx.now);
    Ok(Reply::ok())
}

/// BGSAVE [SCHEDULE]
fn bgsave(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    if args.next_option().is_some_and(|w| !w.is("schedule")) || !args.is_empty() {
        return Err(CmdError::Syntax);
    }
    ctx.server.request_save();
    ctx.server.saved(ctx.now);
    Ok(Reply::status("Background saving started"))
}

/// LASTSAVE
fn lastsave(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    Ok(Reply::Int(ctx.server.last_save_ms().div_euclid(1000)))
}

/// The number C's `strtod` reads at the start of `arg` (0 when there is none).
fn strtod_prefix(arg: &[u8]) -> f64 {
    let text = String::from_utf8_lossy(&arg[..arg.len().min(64)]);
    let text = text.trim_start();
    (1..=text.len())
        .rev()
        .filter(|&n| text.is_char_boundary(n))
        .find_map(|n| text[..n].parse::<f64>().ok())
        .unwrap_or(0.0)
}

/// DEBUG OBJECT key: what Redis says of a value — a (made-up, stable) address, its
/// references, encoding, RDB size (`serializedlength`, the bytes `rdb.rs` writes), LRU
/// clock and idle seconds; a list adds its quicklist's shape.
fn debug_object(ctx: &mut Ctx, key: &[u8]) -> CmdResult {
    let now = ctx.now;
    let enc = ctx.server.encodings();
    let Some(e) = ctx.db().stored(key) else {
        return Err(CmdError::Err("no such key".into()));
    };
    // Redis's LRU clock: seconds, 24 bits, wrapping.
    const CLOCK_MAX: u32 = (1 << 24) - 1;
    let lru = e.lru & CLOCK_MAX;
    let clock = ((now.max(0) / 1000) as u32) & CLOCK_MAX;
    let idle = if clock >= lru {
        clock - lru
    } else {
        CLOCK_MAX - lru + clock
    };
    let extra = match &e.value {
        Value::List(l) => {
            let nodes = quicklist_nodes(l, &enc, usize::MAX);
            let bytes: usize = nodes.iter().map(|n| n.bytes).sum();
            format!(
                " ql_nodes:{} ql_avg_node:{:.2} ql_listpack_max:{} ql_compressed:{} ql_uncompressed_size:{}",
                nodes.len(),
                l.len() as f64 / nodes.len().max(1) as f64,
                enc.list_max_listpack_size,
                i32::from(enc.list_compress_depth != 0),
                bytes
            )
        }
        _ => String::new(),
    };
    let address = 0x7f00_0000_0000u64 | u64::from(crate::crc32::hash(key)) << 4;
    Ok(Reply::status(format!(
        "Value at:0x{address:x} refcount:{} encoding:{} serializedlength:{} lru:{lru} lru_seconds_idle:{idle}{extra}",
        e.value.refcount(),
        e.value.encoding(),
        rdb::object_bytes(&e.value, &enc).len(),
    )))
}

/// DEBUG OBJECT key | DEBUG RELOAD | DEBUG SLEEP seconds | DEBUG HELP
/// DEBUG PROTOCOL type: one reply of each RESP3 type (as RESP2 carries it, for a RESP2
/// client), for clients to test their parsers against.
fn debug_protocol(ctx: &mut Ctx, name: &[u8]) -> CmdResult {
    let name = name.to_ascii_lowercase();
    let ints = || (0..3).map(Reply::Int).collect::<Vec<_>>();
    Ok(match name.as_slice() {
        b"string" => Reply::bulk("Hello World"),
        b"integer" => Reply::Int(12345),
        // Redis's sample double (not π).
        #[allow(clippy::approx_constant)]
        b"double" => Reply::Double(3.141),
        b"bignum" => Reply::BigNumber("1234567999999999999999999999999999999".into()),
        b"null" => Reply::Null,
        b"array" => Reply::Array(ints()),
        b"set" => Reply::Set(ints()),
        b"map" => Reply::Map((0..3).map(|j| (Reply::Int(j), Reply::Bool(j == 1))).collect()),
        b"attrib" => Reply::Attributed(
            vec![(
                Reply::bulk("key-popularity"),
                Reply::Array(vec![Reply::bulk("key:123"), Reply::Int(90)]),
            )],
            Box::new(Reply::bulk("Some real reply following the attribute")),
        ),
        b"push" => {
            if ctx.client().protocol() == crate::reply::Protocol::Resp2 {
                return Err(CmdError::Err("RESP2 is not supported by this command".into()));
            }
            Reply::Multi(vec![
                Reply::Push(vec![Reply::bulk("server-cpu-usage"), Reply::Int(42)]),
                Reply::bulk("Some real reply following the push reply"),
            ])
        }
        b"true" => Reply::Bool(true),
        b"false" => Reply::Bool(false),
        b"verbatim" => Reply::Verbatim(b"This is a verbatim\nstring".to_vec()),
        _ => return Err(CmdError::Err("Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false".into())),
    })
}

fn debug(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let sub = args.next_word()?;
    if sub.is("help") && args.is_empty() {
        return Ok(help_lines(
            "DEBUG",
            &[
                "PROTOCOL <type>",
                "    Reply with a sample of the given type: string|integer|double|bignum|null|",
                "    array|set|map|attrib|push|verbatim|true|false (RESP3 types as RESP2 sends",
                "    them, for a RESP2 connection).",
                "DIGEST",
                "    A fingerprint of the whole dataset (40 hex digits; zeros when empty), as",
                "    Redis computes it: equal datasets give equal digests.",
                "DIGEST-VALUE <key> [<key> ...]",
                "    A fingerprint of each key's value.",
                "OBJECT <key>",
                "    Show low level info about the value at <key>: its encoding, its size in an",
                "    RDB file (serializedlength), its LRU clock and idle time.",
                "QUICKLIST-PACKED-THRESHOLD <size>",
                "    A list element this big or bigger gets a quicklist node of its own (a PLAIN",
                "    node); 0 puts back the default, 1gb.",
                "RELOAD",
                "    Save the keyspace and load it again (encodings are chosen afresh).",
                "SET-DISABLE-DENY-SCRIPTS <0|1>",
                "    1 lets scripts run the commands Redis keeps from them (noscript), 0 puts",
                "    the rule back.",
                "SET-ACTIVE-EXPIRE <0|1>",
                "    0 stops the active expiry cycle: keys (and hash fields) whose TTL ran out",
                "    then go only when a command looks at them. 1 starts it again.",
                "SLEEP <seconds>",
                "    Hold this client for <seconds> of world time, as a slow command holds Redis",
                "    (SLOWLOG and LATENCY see it).",
            ],
        ));
    }
    if sub.is("object") && argv.len() == 3 {
        return debug_object(ctx, &argv[2]);
    }
    if sub.is("digest") && argv.len() == 2 {
        return Ok(Reply::status(super::digest::of_dataset(ctx.server.dbs())));
    }
    if sub.is("digest-value") {
        let db = ctx.db_index();
        let d = ctx.server.db(db);
        return Ok(Reply::Array(
            argv[2..]
                .iter()
                .map(|k| Reply::status(super::digest::of_value(d, k)))
                .collect(),
        ));
    }
    if sub.is("protocol") && argv.len() == 3 {
        return debug_protocol(ctx, &argv[2]);
    }
    if sub.is("quicklist-packed-threshold") && argv.len() == 3 {
        // Up to 4 GB less 1 MB; 0 puts back the default (1 GB).
        let limit = (1u64 << 32) - (1 << 20);
        let bytes = crate::commands::config::memory_value(&argv[2]).filter(|&n| n <= limit);
        let Some(bytes) = bytes else {
            return Err(CmdError::Err(
                "argument must be a memory value bigger than 1 and smaller than 4gb".into(),
            ));
        };
        let mut enc = ctx.server.encodings();
        enc.list_packed_threshold = if bytes == 0 { 1 << 30 } else { bytes as usize };
        ctx.server.set_encodings(enc);
        return Ok(Reply::ok());
    }
    if sub.is("set-active-expire") && argv.len() == 3 {
        // C's atoi: leading digits, 0 when there are none.
        let on = strtod_prefix(&argv[2]) as i64 != 0;
        ctx.server.set_active_expire(on);
        return Ok(Reply::ok());
    }
    if sub.is("set-disable-deny-scripts") && argv.len() == 3 {
        // C's atoi, as Redis reads it: scripts may then run the commands flagged noscript.
        let on = strtod_prefix(&argv[2]) as i64 != 0;
        ctx.server.scripting_mut().disable_deny_scripts = on;
        return Ok(Reply::ok());
    }
    if sub.is("sleep") && argv.len() == 3 {
        // Microseconds, as Redis computes them, then whole milliseconds of world time.
        let us = strtod_prefix(&argv[2]) * 1_000_000.0;
        if us.is_finite() && us >= 1000.0 {
            ctx.sleep((us / 1000.0) as i64);
        }
        return Ok(Reply::ok());
    }
    if !sub.is("reload") {
        return Err(subcommand_syntax(argv));
    }
    debug_reload(ctx, &argv[2..])
}

/// DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: save the world (unless NOSAVE: the last
/// reload's save is loaded), empty it (unless NOFLUSH) and load the save back (with
/// MERGE, what it holds replaces what exists; without, a library or key that exists
/// makes the load fail).
fn debug_reload(ctx: &mut Ctx, opts: &[Vec<u8>]) -> CmdResult {
    let (mut merge, mut noflush, mut nosave) = (false, false, false);
    for o in opts {
        if o.eq_ignore_ascii_case(b"merge") {
            merge = true;
        } else if o.eq_ignore_ascii_case(b"noflush") {
            noflush = true;
        } else if o.eq_ignore_ascii_case(b"nosave") {
            nosave = true;
        } else {
            return Err(CmdError::Err(
                "DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.".into(),
            ));
        }
    }
    let now = ctx.now;
    let bytes = match ctx.server.last_dump().filter(|_| nosave) {
        Some(saved) => saved.to_vec(),
        None => {
            let clock = Clock::restored(now as f64, 0.0, 1.0, false);
            // Redis's words when its save fails; ours says why.
            let bytes = persist::snapshot(ctx.server, &clock, 0.0)
                .map_err(|e| CmdError::Err(format!("Error trying to save the DB: {e}")))?;
            ctx.server.set_last_dump(bytes.clone());
            bytes
        }
    };
    let loaded = persist::read_snapshot(&bytes, &ctx.server.encodings())
        .map_err(|e| CmdError::Err(format!("Error trying to load the RDB dump: {e}")))?;
    if noflush {
        persist::merge_into(ctx.server, loaded, now, merge)
            .map_err(|_| CmdError::Err("Error trying to load the RDB dump".into()))?;
    } else {
        persist::load_into(ctx.server, loaded, now);
    }
    if !nosave {
        ctx.server.saved(now);
    }
    Ok(Reply::ok())
}

// ---- the table ----

const P: Command = Command {
    name: "",
    arity: 1,
    flags: flags![ADMIN, NOSCRIPT, NO_ASYNC_LOADING],
    acl: acl![ADMIN, SLOW, DANGEROUS],
    keys: (0, 0, 0),
    key_specs: &[],
    tips: &[],
    group: Group::Server,
    since: "1.0.0",
    complexity: "O(1)",
    summary: "",
    syntax: "",
    handler: save,
    subcommands: &[],
    ..BASE
};

pub const COMMANDS: &[Command] = &[
    Command {
        name: "bgsave",
        arity: -1,
        summary: "Save the world to the browser's storage (at once, here)",
        syntax: "[SCHEDULE]",
        handler: bgsave,
        ..P
    },
    Command {
        name: "debug",
        link: Link::Refused("DEBUG is not allowed in a shared link"),
        arity: -2,
        flags: flags![ADMIN, NOSCRIPT, LOADING, STALE],
        complexity: "Depends on subcommand.",
        summary: "Debugging aids; here OBJECT (a value's encoding, RDB size and LRU clock), RELOAD (save and load the keyspace again), SET-ACTIVE-EXPIRE (stop or start the active expiry cycle), SET-DISABLE-DENY-SCRIPTS (let scripts run noscript commands) and SLEEP (hold the client on the world clock)",
        syntax: "subcommand [argument [argument ...]]",
        handler: debug,
        ..P
    },
    Command {
        name: "lastsave",
        flags: flags![LOADING, STALE, FAST],
        acl: acl![ADMIN, FAST, DANGEROUS],
        tips: &["nondeterministic_output"],
        summary: "When the world was last saved, as a Unix time in seconds",
        handler: lastsave,
        ..P
    },
    Command {
        name: "save",
        flags: flags![ADMIN, NOSCRIPT, NO_ASYNC_LOADING, NO_MULTI],
        complexity: "O(N) where N is the total number of keys in all databases",
        summary: "Save the world to the browser's storage now",
        handler: save,
        ..P
    },
];
