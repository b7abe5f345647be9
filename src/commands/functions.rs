//! Functions: FUNCTION (LOAD, LIST, DELETE, FLUSH, DUMP, RESTORE, STATS, KILL, HELP),
//! FCALL and FCALL_RO. The libraries and their Lua state are
//! `crate::scripting::functions`; running a function is shared with EVAL
//! (`scripting.rs`).

use super::common::{help_lines, subcommand_syntax};
use super::scripting::{declared_flags, kill, numkeys, run_script, Invocation};
use super::scripting::{SCRIPT_KEYS_RO, SCRIPT_KEYS_RW};
use super::table::{Flags, Group, BASE};
use super::Command;
use crate::error::{CmdError, CmdResult};
use crate::reply::Reply;
use crate::scripting::functions::{self, RestorePolicy};
use crate::scripting::run::EngineVm;
use crate::server::{Ctx, Server};

// ---- command handlers ----

fn fcall_generic(ctx: &mut Ctx, argv: &[Vec<u8>], ro: bool, cmd: &'static Command) -> CmdResult {
    // MONITOR shows the function's command before the commands it runs.
    ctx.monitor_now(argv);
    let engine = &ctx.server.scripting().functions;
    let Some((_, f)) = engine.function(&argv[1]) else {
        return Err(CmdError::Err("Function not found".into()));
    };
    let (name, flags, callback) = (f.name.clone(), f.flags, f.callback.clone());
    let nkeys = numkeys(argv, Some("Bad number of keys provided"))?;
    let Some(state) = ctx.server.scripting_mut().functions.state.take() else {
        return Err(CmdError::Raw(ctx.server.busy_error_text()));
    };
    let inv = Invocation {
        argv,
        nkeys,
        name: String::from_utf8_lossy(&name).into_owned(),
        eval: false,
        flags,
        ro,
    };
    run_script(ctx, cmd, inv, EngineVm::Functions(state), callback)
}

/// FCALL function numkeys [key ...] [arg ...]
fn fcall(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    fcall_generic(ctx, argv, false, &COMMANDS[0])
}

/// FCALL_RO function numkeys [key ...] [arg ...]
fn fcall_ro(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    fcall_generic(ctx, argv, true, &COMMANDS[1])
}

/// The flags an FCALL line runs with (`fcallGetCommandFlags`).
fn fcall_flags(server: &Server, argv: &[Vec<u8>], base: Flags) -> Flags {
    match argv
        .get(1)
        .and_then(|name| server.scripting().functions.function(name))
    {
        Some((_, f)) => declared_flags(base, f.flags),
        None => base,
    }
}

fn fcall_line_flags(server: &Server, argv: &[Vec<u8>]) -> Flags {
    fcall_flags(server, argv, FCALL_FLAGS)
}

fn fcall_ro_line_flags(server: &Server, argv: &[Vec<u8>]) -> Flags {
    fcall_flags(server, argv, FCALL_RO_FLAGS)
}

/// FUNCTION LOAD [REPLACE] function-code
fn function_load(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut replace = false;
    let mut i = 2;
    while i < argv.len() - 1 {
        if argv[i].eq_ignore_ascii_case(b"replace") {
            replace = true;
            i += 1;
            continue;
        }
        return Err(CmdError::Err(format!(
            "Unknown option given: {}",
            String::from_utf8_lossy(&argv[i])
        )));
    }
    let now = ctx.now;
    let name = functions::load(ctx.server, &argv[i], replace, now).map_err(CmdError::Err)?;
    ctx.changes(1);
    Ok(Reply::Bulk(name))
}

/// FUNCTION LIST [LIBRARYNAME library-name-pattern] [WITHCODE]
fn function_list(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let (mut with_code, mut pattern) = (false, None);
    let mut i = 2;
    while i < argv.len() {
        let a = &argv[i];
        if !with_code && a.eq_ignore_ascii_case(b"withcode") {
            with_code = true;
        } else if pattern.is_none() && a.eq_ignore_ascii_case(b"libraryname") {
            if i >= argv.len() - 1 {
                return Err(CmdError::Err("library name argument was not given".into()));
            }
            i += 1;
            pattern = Some(crate::glob::Pattern::new(&argv[i].to_ascii_lowercase()));
        } else {
            return Err(CmdError::Err(format!(
                "Unknown argument {}",
                String::from_utf8_lossy(a)
            )));
        }
        i += 1;
    }
    let b = |s: &str| Reply::bulk(s);
    let mut out = Vec::new();
    for lib in ctx.server.scripting().functions.libraries.values() {
        if let Some(p) = &pattern {
            if !p.matches(&lib.name.to_ascii_lowercase()) {
                continue;
            }
        }
        let funcs = lib
            .functions
            .iter()
            .map(|f| {
                Reply::Map(vec![
                    (b("name"), Reply::bulk(&f.name)),
                    (b("description"), Reply::opt_bulk(f.desc.as_ref())),
                    (
                        b("flags"),
                        Reply::Set(f.flags.names().map(Reply::status).collect()),
                    ),
                ])
            })
            .collect();
        let mut m = vec![
            (b("library_name"), Reply::bulk(&lib.name)),
            (b("engine"), b("LUA")),
            (b("functions"), Reply::Array(funcs)),
        ];
        if with_code {
            m.push((b("library_code"), Reply::bulk(&lib.code)));
        }
        out.push(Reply::Map(m));
    }
    Ok(Reply::Array(out))
}

/// FUNCTION DELETE library-name
fn function_delete(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    if !ctx.server.scripting_mut().functions.delete(&argv[2]) {
        return Err(CmdError::Err("Library not found".into()));
    }
    ctx.changes(1);
    Ok(Reply::ok())
}

/// FUNCTION FLUSH [ASYNC|SYNC]
fn function_flush(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    if argv.len() > 3 {
        return Err(subcommand_syntax(argv));
    }
    if argv.len() == 3
        && !argv[2].eq_ignore_ascii_case(b"sync")
        && !argv[2].eq_ignore_ascii_case(b"async")
    {
        return Err(CmdError::Err(
            "FUNCTION FLUSH only supports SYNC|ASYNC option".into(),
        ));
    }
    ctx.server.scripting_mut().functions.flush();
    ctx.changes(1);
    Ok(Reply::ok())
}

/// FUNCTION DUMP
fn function_dump(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    let codes = ctx.server.scripting().functions.codes();
    Ok(Reply::Bulk(crate::rdb::functions_payload(&codes)))
}

/// FUNCTION RESTORE serialized-value [FLUSH|APPEND|REPLACE]
fn function_restore(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    if argv.len() > 4 {
        return Err(subcommand_syntax(argv));
    }
    let policy = match argv.get(3) {
        None => RestorePolicy::Append,
        Some(p) if p.eq_ignore_ascii_case(b"append") => RestorePolicy::Append,
        Some(p) if p.eq_ignore_ascii_case(b"replace") => RestorePolicy::Replace,
        Some(p) if p.eq_ignore_ascii_case(b"flush") => RestorePolicy::Flush,
        Some(_) => {
            return Err(CmdError::Err(
                "Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE."
                    .into(),
            ))
        }
    };
    let codes = crate::rdb::functions_in_payload(&argv[2]).map_err(CmdError::Err)?;
    let now = ctx.now;
    functions::restore(ctx.server, &codes, policy, now).map_err(CmdError::Err)?;
    ctx.changes(1);
    Ok(Reply::ok())
}

/// FUNCTION STATS
fn function_stats(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    let now = ctx.now;
    let s = ctx.server.scripting();
    let b = |s: &str| Reply::bulk(s);
    let running = match &s.running {
        Some(r) if r.ctx.eval => return Err(CmdError::Raw(ctx.server.busy_error_text())),
        Some(r) => Reply::Map(vec![
            (b("name"), Reply::bulk(&r.ctx.name)),
            (
                b("command"),
                Reply::Array(r.ctx.caller_argv.iter().map(Reply::bulk).collect()),
            ),
            (
                b("duration_ms"),
                Reply::Int(now.saturating_sub(r.ctx.start_ms)),
            ),
        ]),
        None => Reply::Nil,
    };
    let f = &s.functions;
    let lua = Reply::Map(vec![
        (b("libraries_count"), Reply::Int(f.libraries.len() as i64)),
        (b("functions_count"), Reply::Int(f.function_count() as i64)),
    ]);
    Ok(Reply::Map(vec![
        (b("running_script"), running),
        (b("engines"), Reply::Map(vec![(b("LUA"), lua)])),
    ]))
}

/// FUNCTION KILL
fn function_kill(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    kill(ctx, false)
}

/// FUNCTION HELP
fn function_help(_: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    Ok(help_lines(
        "FUNCTION",
        &[
            "LOAD [REPLACE] <FUNCTION CODE>",
            "    Create a new library with the given library name and code.",
            "DELETE <LIBRARY NAME>",
            "    Delete the given library.",
            "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
            "    Return general information on all the libraries:",
            "    * Library name",
            "    * The engine used to run the Library",
            "    * Library description",
            "    * Functions list",
            "    * Library code (if WITHCODE is given)",
            "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
            "STATS",
            "    Return information about the current function running:",
            "    * Function name",
            "    * Command used to run the function",
            "    * Duration in MS that the function is running",
            "    If no function is running, return nil",
            "    In addition, returns a list of available engines.",
            "KILL",
            "    Kill the current running function.",
            "FLUSH [ASYNC|SYNC]",
            "    Delete all the libraries.",
            "    When called without the optional mode argument, the behavior is determined by the",
            "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
            "    * ASYNC: Asynchronously flush the libraries.",
            "    * SYNC: Synchronously flush the libraries.",
            "DUMP",
            "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
            "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
            "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
            "    control how to handle existing libraries (default APPEND):",
            "    * FLUSH: delete all existing libraries.",
            "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
            "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
            "      libraries with the new libraries (notice that even on this option there is a chance of failure",
            "      in case of functions name collision with another library).",
        ],
    ))
}

// ---- the table ----

const FCALL_FLAGS: Flags = flags![
    NOSCRIPT,
    STALE,
    SKIP_MONITOR,
    NO_MANDATORY_KEYS,
    MOVABLEKEYS,
    MAY_REPLICATE
];
const FCALL_RO_FLAGS: Flags = flags![
    NOSCRIPT,
    STALE,
    SKIP_MONITOR,
    NO_MANDATORY_KEYS,
    MOVABLEKEYS,
    READONLY
];

const F: Command = Command {
    arity: -3,
    flags: FCALL_FLAGS,
    acl: acl![SLOW, SCRIPTING],
    group: Group::Scripting,
    since: "7.0.0",
    complexity: "Depends on the function that is executed.",
    syntax: "function numkeys [key [key ...]] [arg [arg ...]]",
    key_specs: &[SCRIPT_KEYS_RW],
    ..BASE
};

const SUB: Command = Command {
    arity: 2,
    flags: flags![NOSCRIPT],
    acl: acl![SLOW, SCRIPTING],
    group: Group::Scripting,
    since: "7.0.0",
    ..BASE
};

const ALL_SHARDS: &[&str] = &["request_policy:all_shards", "response_policy:all_succeeded"];

pub const COMMANDS: &[Command] = &[
    Command {
        name: "fcall",
        summary: "Call a function of a loaded library",
        handler: fcall,
        script_flags: Some(fcall_line_flags),
        ..F
    },
    Command {
        name: "fcall_ro",
        flags: FCALL_RO_FLAGS,
        summary: "Call a function that only reads (a no-writes one)",
        key_specs: &[SCRIPT_KEYS_RO],
        handler: fcall_ro,
        script_flags: Some(fcall_ro_line_flags),
        ..F
    },
    Command {
        name: "function",
        arity: -2,
        flags: Flags::NONE,
        acl: acl![SLOW],
        complexity: "Depends on subcommand.",
        summary: "Manage the function libraries",
        syntax: "",
        key_specs: &[],
        subcommands: &[
            Command {
                name: "function|delete",
                arity: 3,
                flags: flags![WRITE, NOSCRIPT],
                acl: acl![WRITE, SLOW, SCRIPTING],
                tips: ALL_SHARDS,
                summary: "Delete a library and its functions",
                syntax: "library-name",
                handler: function_delete,
                ..SUB
            },
            Command {
                name: "function|dump",
                complexity: "O(N) where N is the number of functions",
                summary: "The libraries as a payload FUNCTION RESTORE takes (Redis's own format)",
                handler: function_dump,
                ..SUB
            },
            Command {
                name: "function|flush",
                arity: -2,
                flags: flags![WRITE, NOSCRIPT],
                acl: acl![WRITE, SLOW, SCRIPTING],
                tips: ALL_SHARDS,
                complexity: "O(N) where N is the number of functions deleted",
                summary: "Delete every library",
                syntax: "[ASYNC|SYNC]",
                handler: function_flush,
                ..SUB
            },
            Command {
                name: "function|help",
                flags: flags![LOADING, STALE],
                summary: "Show what FUNCTION can do",
                handler: function_help,
                ..SUB
            },
            Command {
                name: "function|kill",
                flags: flags![NOSCRIPT, ALLOW_BUSY],
                tips: &["request_policy:all_shards", "response_policy:one_succeeded"],
                summary: "Stop the function that runs, if it hasn't written yet",
                handler: function_kill,
                ..SUB
            },
            Command {
                name: "function|list",
                arity: -2,
                tips: &["nondeterministic_output_order"],
                complexity: "O(N) where N is the number of functions",
                summary: "The libraries, their functions and flags (and code)",
                syntax: "[LIBRARYNAME library-name-pattern] [WITHCODE]",
                handler: function_list,
                ..SUB
            },
            Command {
                name: "function|load",
                arity: -3,
                flags: flags![WRITE, DENYOOM, NOSCRIPT],
                acl: acl![WRITE, SLOW, SCRIPTING],
                tips: ALL_SHARDS,
                complexity: "O(1) (considering compilation time is redundant)",
                summary: "Load a library (`#!lua name=…` code that registers functions)",
                syntax: "[REPLACE] function-code",
                handler: function_load,
                ..SUB
            },
            Command {
                name: "function|restore",
                arity: -3,
                flags: flags![WRITE, DENYOOM, NOSCRIPT],
                acl: acl![WRITE, SLOW, SCRIPTING],
                tips: ALL_SHARDS,
                complexity: "O(N) where N is the number of functions on the payload",
                summary: "Load the libraries of a FUNCTION DUMP payload",
                syntax: "serialized-value [FLUSH|APPEND|REPLACE]",
                handler: function_restore,
                ..SUB
            },
            Command {
                name: "function|stats",
                flags: flags![NOSCRIPT, ALLOW_BUSY],
                tips: &[
                    "nondeterministic_output",
                    "request_policy:all_shards",
                    "response_policy:special",
                ],
                summary: "The function that runs (name, command, duration) and the engines",
                handler: function_stats,
                ..SUB
            },
        ],
        ..F
    },
];
