//! Scripting: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT (LOAD, EXISTS, FLUSH, KILL,
//! DEBUG, HELP). The scripts themselves, their cache and their running are
//! `crate::scripting`; FUNCTION and FCALL are `functions.rs`.
//!
//! SCRIPT DEBUG answers as Redis does but starts no debugger: the playground has no Lua
//! debugger, so scripts run as usual afterwards.

use super::args::int_arg;
use super::common::help_lines;
use super::table::{key, Flags, Group, ScriptFlagsFinder, BASE};
use super::Command;
use crate::error::{CmdError, CmdResult};
use crate::reply::Reply;
use crate::scripting::run::{self, Call, EngineVm, RunCtx, Running};
use crate::scripting::ScriptFlags;
use crate::server::Ctx;

const NOSCRIPT: &str = "NOSCRIPT No matching script. Please use EVAL.";
const BUSY: &str =
    "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";

// ---- running a script for a command ----

/// `numkeys` as EVAL and FCALL check it: the number of keys among the arguments after it.
pub(super) fn numkeys(argv: &[Vec<u8>], bad: Option<&str>) -> CmdResult<usize> {
    let n = int_arg(&argv[2]).map_err(|e| match bad {
        Some(text) => CmdError::Err(text.into()),
        None => e,
    })?;
    if n > argv.len() as i64 - 3 {
        return Err(CmdError::Err(
            "Number of keys can't be greater than number of args".into(),
        ));
    }
    if n < 0 {
        return Err(CmdError::Err("Number of keys can't be negative".into()));
    }
    Ok(n as usize)
}

/// What a script's command hands to the runner besides the script.
pub(super) struct Invocation<'a> {
    pub argv: &'a [Vec<u8>],
    pub nkeys: usize,
    pub name: String,
    pub eval: bool,
    pub flags: ScriptFlags,
    pub ro: bool,
}

/// Run a script for the calling client (`scriptPrepareForRun`, then the script): its
/// reply, or a placeholder while the caller waits for a script that goes on.
pub(super) fn run_script(
    ctx: &mut Ctx,
    cmd: &'static Command,
    inv: Invocation,
    mut engine: EngineVm,
    func: lua51::Value,
) -> CmdResult {
    let oom = ctx.server.oom_before_command();
    if let Some(refusal) = run::refusal(inv.flags, inv.ro, oom) {
        run::give_back(ctx.server, engine);
        return Err(CmdError::Raw(refusal.into()));
    }
    let (read_only, allow_oom) = run::run_flags(inv.flags, inv.ro);
    let argv = inv.argv;
    run::start(
        &mut engine,
        Call {
            func,
            keys: argv[3..3 + inv.nkeys].to_vec(),
            args: argv[3 + inv.nkeys..].to_vec(),
        },
    );
    let running = Box::new(Running {
        engine,
        ctx: RunCtx {
            cmd,
            caller: ctx.client,
            caller_argv: argv.to_vec(),
            name: inv.name,
            eval: inv.eval,
            read_only,
            allow_oom,
            oom_at_start: oom,
            write_dirty: false,
            killed: false,
            resp: 2,
            repl: 3,
            start_ms: ctx.now,
            raised: None,
            waiting: false,
        },
    });
    let can_wait = !ctx.deny_blocking();
    match run::launch(ctx.server, running, can_wait, ctx.now) {
        Some(ended) => {
            if ended.counted {
                ctx.error_already_counted();
            }
            Ok(ended.reply)
        }
        // The caller waits; its reply comes when the script ends.
        None => Ok(Reply::Nil),
    }
}

/// SCRIPT KILL and FUNCTION KILL (`scriptKill`).
pub(super) fn kill(ctx: &mut Ctx, eval: bool) -> CmdResult {
    let busy_other = ctx.server.busy_error();
    let Some(r) = ctx.server.scripting_mut().running.as_mut() else {
        return Err(CmdError::Raw(
            "NOTBUSY No scripts in execution right now.".into(),
        ));
    };
    if r.ctx.write_dirty {
        return Err(CmdError::Raw("UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.".into()));
    }
    if r.ctx.eval != eval {
        // SCRIPT KILL can't stop a function, nor FUNCTION KILL a script: the BUSY error
        // names the right command.
        if let Reply::Error(e) = busy_other {
            return Err(CmdError::Raw(e));
        }
    }
    r.ctx.killed = true;
    Ok(Reply::ok())
}

// ---- command handlers ----

fn eval_generic(
    ctx: &mut Ctx,
    argv: &[Vec<u8>],
    by_sha: bool,
    ro: bool,
    cmd: &'static Command,
) -> CmdResult {
    // MONITOR shows the script's command before the commands it runs.
    ctx.monitor_now(argv);
    if by_sha && argv[1].len() != 40 {
        return Err(CmdError::Raw(NOSCRIPT.into()));
    }
    let nkeys = numkeys(argv, None)?;
    let eval = &mut ctx.server.scripting_mut().eval;
    let sha = if by_sha {
        match eval.get(&argv[1]) {
            Some((sha, _)) => sha.to_string(),
            None => return Err(CmdError::Raw(NOSCRIPT.into())),
        }
    } else {
        eval.create(&argv[1]).map_err(CmdError::Err)?
    };
    let Some((_, script)) = eval.get(sha.as_bytes()) else {
        return Err(CmdError::Raw(NOSCRIPT.into()));
    };
    let (flags, func) = (script.flags, script.func.clone());
    let Some(vm) = eval.vm.take() else {
        return Err(CmdError::Raw(BUSY.into()));
    };
    let inv = Invocation {
        argv,
        nkeys,
        name: sha,
        eval: true,
        flags,
        ro,
    };
    run_script(ctx, cmd, inv, EngineVm::Eval(vm), func)
}

/// EVAL script numkeys [key ...] [arg ...]
fn eval(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    eval_generic(ctx, argv, false, false, &COMMANDS[0])
}

/// EVAL_RO script numkeys [key ...] [arg ...]
fn eval_ro(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    eval_generic(ctx, argv, false, true, &COMMANDS[1])
}

/// EVALSHA sha1 numkeys [key ...] [arg ...]
fn evalsha(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    eval_generic(ctx, argv, true, false, &COMMANDS[2])
}

/// EVALSHA_RO sha1 numkeys [key ...] [arg ...]
fn evalsha_ro(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    eval_generic(ctx, argv, true, true, &COMMANDS[3])
}

/// The flags an EVAL line runs with (`evalGetCommandFlags`, `scriptFlagsToCmdFlags`).
fn eval_flags(
    server: &crate::server::Server,
    argv: &[Vec<u8>],
    by_sha: bool,
    base: Flags,
) -> Flags {
    let Some(script) = argv.get(1) else {
        return base;
    };
    match server.scripting().eval.flags_of(script, by_sha) {
        Some(f) if !f.has(ScriptFlags::EVAL_COMPAT) => declared_flags(base, f),
        _ => base,
    }
}

/// `scriptFlagsToCmdFlags`: a script's declared flags in place of its command's write,
/// deny-oom and stale flags.
pub(super) fn declared_flags(base: Flags, f: ScriptFlags) -> Flags {
    let mut out = Flags::NONE;
    for (flag, _) in Flags::NAMED {
        let dropped = [
            Flags::STALE,
            Flags::DENYOOM,
            Flags::WRITE,
            Flags::MAY_REPLICATE,
        ];
        if base.contains(*flag) && !dropped.contains(flag) {
            out = out.with(*flag);
        }
    }
    if !f.has(ScriptFlags::ALLOW_OOM) && !f.has(ScriptFlags::NO_WRITES) {
        out = out.with(Flags::DENYOOM);
    }
    if !f.has(ScriptFlags::NO_WRITES) {
        out = out.with(Flags::WRITE);
    }
    if f.has(ScriptFlags::ALLOW_STALE) {
        out = out.with(Flags::STALE);
    }
    out
}

fn eval_line_flags(server: &crate::server::Server, argv: &[Vec<u8>]) -> Flags {
    eval_flags(server, argv, false, EVAL_FLAGS)
}

fn eval_ro_line_flags(server: &crate::server::Server, argv: &[Vec<u8>]) -> Flags {
    eval_flags(server, argv, false, EVAL_RO_FLAGS)
}

fn evalsha_line_flags(server: &crate::server::Server, argv: &[Vec<u8>]) -> Flags {
    eval_flags(server, argv, true, EVAL_FLAGS)
}

fn evalsha_ro_line_flags(server: &crate::server::Server, argv: &[Vec<u8>]) -> Flags {
    eval_flags(server, argv, true, EVAL_RO_FLAGS)
}

/// SCRIPT LOAD script
fn script_load(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let sha = ctx
        .server
        .scripting_mut()
        .eval
        .create(&argv[2])
        .map_err(CmdError::Err)?;
    Ok(Reply::bulk(sha))
}

/// SCRIPT EXISTS sha1 [sha1 ...]
fn script_exists(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let eval = &ctx.server.scripting().eval;
    Ok(Reply::Array(
        argv[2..]
            .iter()
            .map(|sha| Reply::Int(i64::from(eval.get(sha).is_some())))
            .collect(),
    ))
}

/// SCRIPT FLUSH [ASYNC|SYNC]
fn script_flush(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let ok = match argv.len() {
        2 => true,
        3 => argv[2].eq_ignore_ascii_case(b"sync") || argv[2].eq_ignore_ascii_case(b"async"),
        _ => false,
    };
    if !ok {
        return Err(CmdError::Err(
            "SCRIPT FLUSH only support SYNC|ASYNC option".into(),
        ));
    }
    ctx.server.scripting_mut().eval.flush();
    Ok(Reply::ok())
}

/// SCRIPT KILL
fn script_kill(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    kill(ctx, true)
}

/// SCRIPT DEBUG YES|SYNC|NO: accepted; no debugger session starts here.
fn script_debug(_: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mode = &argv[2];
    if mode.eq_ignore_ascii_case(b"no")
        || mode.eq_ignore_ascii_case(b"yes")
        || mode.eq_ignore_ascii_case(b"sync")
    {
        return Ok(Reply::ok());
    }
    Err(CmdError::Err("Use SCRIPT DEBUG YES/SYNC/NO".into()))
}

/// SCRIPT HELP
fn script_help(_: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    Ok(help_lines(
        "SCRIPT",
        &[
            "DEBUG (YES|SYNC|NO)",
            "    Set the debug mode for subsequent scripts executed.",
            "EXISTS <sha1> [<sha1> ...]",
            "    Return information about the existence of the scripts in the script cache.",
            "FLUSH [ASYNC|SYNC]",
            "    Flush the Lua scripts cache. Very dangerous on replicas.",
            "    When called without the optional mode argument, the behavior is determined by the",
            "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
            "    * ASYNC: Asynchronously flush the scripts cache.",
            "    * SYNC: Synchronously flush the scripts cache.",
            "KILL",
            "    Kill the currently executing Lua script.",
            "LOAD <script>",
            "    Load a script into the scripts cache without executing it.",
        ],
    ))
}

// ---- the table ----

const EVAL_FLAGS: Flags = flags![
    NOSCRIPT,
    STALE,
    SKIP_MONITOR,
    NO_MANDATORY_KEYS,
    MOVABLEKEYS,
    MAY_REPLICATE
];
const EVAL_RO_FLAGS: Flags = flags![
    NOSCRIPT,
    STALE,
    SKIP_MONITOR,
    NO_MANDATORY_KEYS,
    MOVABLEKEYS,
    READONLY
];

/// The key spec EVAL and FCALL share: `numkeys` keys after it, used as the script likes.
pub(super) const SCRIPT_KEYS_RW: super::table::KeySpec = key(2, key_flags![RW, ACCESS, UPDATE])
    .keynum(0, 1, 1)
    .notes("We cannot tell how the keys will be used so we assume the worst, RW and UPDATE");
pub(super) const SCRIPT_KEYS_RO: super::table::KeySpec = key(2, key_flags![RO, ACCESS])
    .keynum(0, 1, 1)
    .notes("We cannot tell how the keys will be used so we assume the worst, RO and ACCESS");

const E: Command = Command {
    arity: -3,
    flags: EVAL_FLAGS,
    acl: acl![SLOW, SCRIPTING],
    group: Group::Scripting,
    since: "2.6.0",
    complexity: "Depends on the script that is executed.",
    syntax: "script numkeys [key [key ...]] [arg [arg ...]]",
    key_specs: &[SCRIPT_KEYS_RW],
    ..BASE
};

const SUB: Command = Command {
    arity: 2,
    flags: flags![NOSCRIPT],
    acl: acl![SLOW, SCRIPTING],
    group: Group::Scripting,
    since: "2.6.0",
    ..BASE
};

const fn finder(f: ScriptFlagsFinder) -> Option<ScriptFlagsFinder> {
    Some(f)
}

pub const COMMANDS: &[Command] = &[
    Command {
        name: "eval",
        summary: "Run a Lua script on the server, atomically",
        handler: eval,
        script_flags: finder(eval_line_flags),
        ..E
    },
    Command {
        name: "eval_ro",
        flags: EVAL_RO_FLAGS,
        since: "7.0.0",
        summary: "Run a Lua script that only reads (its writes are refused)",
        key_specs: &[SCRIPT_KEYS_RO],
        handler: eval_ro,
        script_flags: finder(eval_ro_line_flags),
        ..E
    },
    Command {
        name: "evalsha",
        summary: "Run a cached Lua script by the SHA-1 of its body",
        syntax: "sha1 numkeys [key [key ...]] [arg [arg ...]]",
        key_specs: &[key(2, key_flags![RW, ACCESS, UPDATE]).keynum(0, 1, 1)],
        handler: evalsha,
        script_flags: finder(evalsha_line_flags),
        ..E
    },
    Command {
        name: "evalsha_ro",
        flags: EVAL_RO_FLAGS,
        since: "7.0.0",
        summary: "Run a cached read-only Lua script by the SHA-1 of its body",
        syntax: "sha1 numkeys [key [key ...]] [arg [arg ...]]",
        key_specs: &[key(2, key_flags![RO, ACCESS]).keynum(0, 1, 1)],
        handler: evalsha_ro,
        script_flags: finder(evalsha_ro_line_flags),
        ..E
    },
    Command {
        name: "script",
        arity: -2,
        flags: Flags::NONE,
        acl: acl![SLOW],
        complexity: "Depends on subcommand.",
        summary: "Manage the Lua script cache",
        syntax: "",
        key_specs: &[],
        subcommands: &[
            Command {
                name: "script|debug",
                arity: 3,
                since: "3.2.0",
                summary: "Set the debug mode of later scripts (accepted; the playground has no Lua debugger)",
                syntax: "YES|SYNC|NO",
                handler: script_debug,
                ..SUB
            },
            Command {
                name: "script|exists",
                arity: -3,
                tips: &["request_policy:all_shards", "response_policy:agg_logical_and"],
                complexity: "O(N) with N being the number of scripts to check (so checking a single script is an O(1) operation).",
                summary: "For each SHA-1, 1 if the script cache has that script, else 0",
                syntax: "sha1 [sha1 ...]",
                handler: script_exists,
                ..SUB
            },
            Command {
                name: "script|flush",
                arity: -2,
                tips: &["request_policy:all_nodes", "response_policy:all_succeeded"],
                complexity: "O(N) with N being the number of scripts in cache",
                summary: "Empty the script cache",
                syntax: "[ASYNC|SYNC]",
                handler: script_flush,
                ..SUB
            },
            Command {
                name: "script|help",
                flags: flags![LOADING, STALE],
                since: "5.0.0",
                summary: "Show what SCRIPT can do",
                handler: script_help,
                ..SUB
            },
            Command {
                name: "script|kill",
                flags: flags![NOSCRIPT, ALLOW_BUSY],
                tips: &["request_policy:all_shards", "response_policy:one_succeeded"],
                summary: "Stop the script that runs, if it hasn't written yet",
                handler: script_kill,
                ..SUB
            },
            Command {
                name: "script|load",
                arity: 3,
                flags: flags![NOSCRIPT, STALE],
                tips: &["request_policy:all_nodes", "response_policy:all_succeeded"],
                complexity: "O(N) with N being the length in bytes of the script body.",
                summary: "Compile a script into the cache without running it; its SHA-1",
                syntax: "script",
                handler: script_load,
                ..SUB
            },
        ],
        ..E
    },
];
