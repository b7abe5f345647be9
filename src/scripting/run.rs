//! A script at work (Redis's `script.c` and `luaCallFunction`): the checks before it
//! runs, its slices of fuel, and its end — the reply its return value converts to, or the
//! error Redis words as `ERR <message> script: <name>, on @user_script:<line>.`
//!
//! A script that isn't done after its first slice is kept as the server's running script;
//! its caller waits for the reply (the world's tick gives the script its next slices, see
//! server/scripts.rs), SCRIPT KILL or FUNCTION KILL may stop it before it writes.

use lua51::{LuaError, Step, TableRef, Value, Vm};

use super::env::FunctionsVm;
use super::{convert, ScriptFlags};
use crate::clock::Ms;
use crate::commands::Command;
use crate::reply::Reply;
use crate::server::{ClientId, Server};

pub use super::host::{HostMode, ScriptHost};

/// The Lua state a script runs in, held by the script while it runs.
pub enum EngineVm {
    Eval(Box<Vm>),
    Functions(FunctionsVm),
}

impl EngineVm {
    pub fn vm(&mut self) -> &mut Vm {
        match self {
            EngineVm::Eval(vm) => vm,
            EngineVm::Functions(f) => &mut f.vm,
        }
    }
}

/// What a running script knows of itself (Redis's `scriptRunCtx`).
pub struct RunCtx {
    /// The command that runs it (EVAL, FCALL_RO…), for its statistics.
    pub cmd: &'static Command,
    pub caller: ClientId,
    /// The caller's command line (FUNCTION STATS shows it).
    pub caller_argv: Vec<Vec<u8>>,
    /// The SHA-1 of an EVAL script, a function's name.
    pub name: String,
    /// An EVAL script (not a function): SCRIPT KILL stops it, and BUSY names SCRIPT KILL.
    pub eval: bool,
    pub read_only: bool,
    pub allow_oom: bool,
    /// Memory was over `maxmemory` when the script's command came.
    pub oom_at_start: bool,
    /// It ran a write command: SCRIPT KILL can't stop it any more.
    pub write_dirty: bool,
    pub killed: bool,
    /// `redis.setresp`: the protocol its commands answer in.
    pub resp: u8,
    /// `redis.set_repl` (accepted; there is no replication here).
    pub repl: u8,
    /// World time it started: its commands see this time (as Redis freezes time for a
    /// script), and BUSY counts from it.
    pub start_ms: Ms,
    /// The last error one of our functions raised, with the line it was raised on.
    pub raised: Option<(Value, u32)>,
    /// Its caller waits for the reply (it didn't end within its first slice).
    pub waiting: bool,
}

impl RunCtx {
    /// Where errors point (`@user_script`, `@user_function`).
    pub fn source(&self) -> &'static str {
        if self.eval {
            "@user_script"
        } else {
            "@user_function"
        }
    }
}

/// The script that runs.
pub struct Running {
    pub engine: EngineVm,
    pub ctx: RunCtx,
}

/// The line the innermost Lua function is at (for errors: Redis's handler asks the debug
/// library for it).
pub fn current_line(vm: &Vm) -> Option<u32> {
    line_of(position(vm, 1).as_bytes())
}

/// `chunk:line: ` of the Lua function `level` calls up (1: the innermost), as Lua's
/// `luaL_where` writes it; empty where there is none.
pub fn position(vm: &Vm, level: usize) -> String {
    vm.where_(level)
}

/// The line in a `chunk:LINE: ` prefix.
fn line_of(text: &[u8]) -> Option<u32> {
    let colon = text.iter().position(|&b| b == b':')?;
    let rest = &text[colon + 1..];
    let end = rest.iter().position(|&b| b == b':')?;
    std::str::from_utf8(&rest[..end]).ok()?.parse().ok()
}

/// An error value as Redis's error handler makes it a table: tables stay, anything else is
/// `{err="ERR " .. tostring(e)}`.
fn error_value(e: &LuaError) -> Value {
    match e {
        LuaError::Value(v) => v.clone(),
        LuaError::Msg(m) | LuaError::Abort(m) => Value::str(m),
    }
}

fn tostring(v: &Value) -> Vec<u8> {
    match v {
        Value::Nil => b"nil".to_vec(),
        Value::Bool(b) => b.to_string().into_bytes(),
        Value::Str(_) | Value::Num(_) => v
            .to_lua_str()
            .map(|s| s.as_bytes().to_vec())
            .unwrap_or_default(),
        other => format!("{other:?}").into_bytes(),
    }
}

/// The message of an error as `luaExtractErrorInformation` reads it: a table's `err`
/// field, or `ERR ` and the error as text.
pub fn error_message(e: &LuaError) -> Vec<u8> {
    match error_value(e) {
        Value::Table(t) => match t.get_str("err") {
            v @ (Value::Str(_) | Value::Num(_)) => tostring(&v),
            _ => b"ERR unknown error".to_vec(),
        },
        other => {
            let mut m = b"ERR ".to_vec();
            m.extend_from_slice(&tostring(&other));
            m
        }
    }
}

/// How a script that failed answers: `-<message> script: <name>, on <source>:<line>.`,
/// and whether the error was counted already (a command's own error). An error Lua's
/// handler never saw (out of memory) is `Error running script <name>, <message>`.
fn failure(ctx: &RunCtx, e: &LuaError) -> (Reply, bool) {
    if let LuaError::Abort(m) = e {
        let m: String = m.chars().take(100).collect();
        let text = format!("ERR Error running script {}, {}", ctx.name, m);
        return (Reply::Error(convert::error_text(text.as_bytes())), false);
    }
    let value = error_value(e);
    let ignore = matches!(&value, Value::Table(t) if matches!(t.get_str("ignore_error_stats_update"), Value::Bool(true)));
    let line = match &ctx.raised {
        Some((v, line)) if v.raw_eq(&value) => Some(*line),
        _ => match &value {
            Value::Str(s) => line_of(s.as_bytes()),
            _ => None,
        },
    };
    let mut text = convert::error_text(&error_message(e));
    if let Some(line) = line {
        text.push_str(&format!(
            " script: {}, on {}:{line}.",
            ctx.name,
            ctx.source()
        ));
    }
    (Reply::Error(text), ignore)
}

/// How a script ended: its reply, and whether an error reply was counted already.
pub struct Ended {
    pub reply: Reply,
    pub counted: bool,
}

/// What one slice did.
pub enum Slice {
    Ended(Box<Running>, Ended),
    /// Out of fuel: it goes on.
    More(Box<Running>),
}

/// The error a killed script ends with.
pub fn killed_error(run: &mut Running) -> Ended {
    let line = current_line(run.engine.vm());
    run.engine.vm().abort();
    let e = LuaError::Value(Value::Table(convert::error_table(
        b"Script killed by user with SCRIPT KILL...",
    )));
    if let (Some(line), LuaError::Value(v)) = (line, &e) {
        run.ctx.raised = Some((v.clone(), line));
    }
    let (reply, counted) = failure(&run.ctx, &e);
    Ended { reply, counted }
}

/// Run the script for at most `fuel` instructions.
pub fn slice(server: &mut Server, mut run: Box<Running>, fuel: u32, now: Ms) -> Slice {
    if run.ctx.killed {
        let ended = killed_error(&mut run);
        return Slice::Ended(run, ended);
    }
    let step = {
        let Running { engine, ctx } = &mut *run;
        let mut host = ScriptHost {
            server,
            now,
            mode: HostMode::Run(ctx),
        };
        engine.vm().resume(&mut host, fuel)
    };
    match step {
        Step::Yield => Slice::More(run),
        Step::Done(values) => {
            let v = values.into_iter().next().unwrap_or(Value::Nil);
            let (reply, counted) = convert::lua_to_reply(&v, run.ctx.resp);
            Slice::Ended(run, Ended { reply, counted })
        }
        Step::Error(e) => {
            // a message without a position (raised inside a library function) is still
            // placed on the line that called it, as Redis's error handler places it
            if run.ctx.raised.is_none() {
                if let Some(line) = run.engine.vm().error_line {
                    run.ctx.raised = Some((error_value(&e), line));
                }
            }
            let (reply, counted) = failure(&run.ctx, &e);
            Slice::Ended(run, Ended { reply, counted })
        }
    }
}

/// A script ready to run: the function to call and its arguments.
pub struct Call {
    pub func: Value,
    pub keys: Vec<Vec<u8>>,
    pub args: Vec<Vec<u8>>,
}

fn array(items: &[Vec<u8>]) -> TableRef {
    let t = TableRef::new(items.len(), 0);
    for (i, item) in items.iter().enumerate() {
        t.set_int(i as i64 + 1, Value::bytes(item));
    }
    t
}

/// Start a script in its engine's state: KEYS and ARGV become globals (EVAL) or the two
/// arguments (a function).
pub fn start(engine: &mut EngineVm, call: Call) {
    let keys = array(&call.keys);
    let args = array(&call.args);
    match engine {
        EngineVm::Eval(vm) => {
            let g = vm.globals.clone();
            let _ = g.set(Value::str("KEYS"), Value::Table(keys));
            let _ = g.set(Value::str("ARGV"), Value::Table(args));
            vm.start(call.func, Vec::new());
        }
        EngineVm::Functions(f) => {
            f.vm.start(call.func, vec![Value::Table(keys), Value::Table(args)]);
        }
    }
}

/// `scriptPrepareForRun`'s refusals for a script with these flags (shebang or function),
/// run by an `_RO` command or not, with memory over `maxmemory` or not.
pub fn refusal(flags: ScriptFlags, ro: bool, oom: bool) -> Option<&'static str> {
    if flags.has(ScriptFlags::EVAL_COMPAT) {
        return None;
    }
    if !flags.has(ScriptFlags::NO_WRITES) && ro {
        return Some("ERR Can not execute a script with write flag using *_ro command.");
    }
    if oom && !flags.has(ScriptFlags::ALLOW_OOM) && !flags.has(ScriptFlags::NO_WRITES) {
        return Some("OOM allow-oom flag is not set on the script, can not run it when used memory > 'maxmemory'");
    }
    None
}

/// The run flags of a script (`scriptPrepareForRun`): (read only, allow oom).
pub fn run_flags(flags: ScriptFlags, ro: bool) -> (bool, bool) {
    let compat = flags.has(ScriptFlags::EVAL_COMPAT);
    (
        ro || (!compat && flags.has(ScriptFlags::NO_WRITES)),
        !compat && flags.has(ScriptFlags::ALLOW_OOM),
    )
}

/// Put a script's Lua state back in its engine once the script ended (unless the engine
/// was started afresh meanwhile).
pub fn give_back(server: &mut Server, engine: EngineVm) {
    let s = server.scripting_mut();
    match engine {
        EngineVm::Eval(vm) => {
            if s.eval.vm.is_none() {
                s.eval.vm = Some(vm);
            }
        }
        EngineVm::Functions(f) => {
            if s.functions.state.is_none() {
                s.functions.state = Some(f);
            }
        }
    }
}

/// Run a script its command prepared: its first slice; if it isn't done then, it stays as
/// the running script and its caller waits (None), or, where the caller can't wait
/// (inside EXEC), it runs on to its end within a bound.
pub fn launch(server: &mut Server, run: Box<Running>, can_wait: bool, now: Ms) -> Option<Ended> {
    let db = server.client_db(run.ctx.caller);
    server.set_script_db(db);
    let mut run = run;
    let mut spent: u64 = 0;
    loop {
        match slice(server, run, super::FIRST_SLICE_FUEL, now) {
            Slice::Ended(r, ended) => {
                give_back(server, r.engine);
                return Some(ended);
            }
            Slice::More(mut r) => {
                spent += u64::from(super::FIRST_SLICE_FUEL);
                if can_wait {
                    r.ctx.waiting = true;
                    server.scripting_mut().running = Some(r);
                    return None;
                }
                if spent >= super::SYNC_FUEL_LIMIT {
                    r.engine.vm().abort();
                    give_back(server, r.engine);
                    return Some(Ended {
                        reply: Reply::Error(format!(
                            "ERR Error running script {}: it ran for more than {} instructions where it could not wait (inside MULTI/EXEC), and the playground stopped it",
                            r.ctx.name,
                            super::SYNC_FUEL_LIMIT
                        )),
                        counted: false,
                    });
                }
                run = r;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_read_from_positions() {
        assert_eq!(line_of(b"user_script:12: boom"), Some(12));
        assert_eq!(line_of(b"boom"), None);
        assert_eq!(line_of(b"a:b: c"), None);
    }

    #[test]
    fn error_messages_are_read_as_redis_reads_them() {
        let t = convert::error_table(b"-MYERR custom");
        assert_eq!(
            error_message(&LuaError::Value(Value::Table(t))),
            b"MYERR custom"
        );
        assert_eq!(
            error_message(&LuaError::Value(Value::Nil)),
            b"ERR nil".to_vec()
        );
        assert_eq!(
            error_message(&LuaError::Value(Value::str("user_script:1: x"))),
            b"ERR user_script:1: x".to_vec()
        );
    }

    #[test]
    fn shebang_flags_refuse_as_redis_does() {
        assert_eq!(refusal(ScriptFlags::EVAL_COMPAT, true, true), None);
        assert!(refusal(ScriptFlags::NONE, true, false).is_some());
        assert_eq!(refusal(ScriptFlags::NO_WRITES, true, true), None);
        assert!(refusal(ScriptFlags::NONE, false, true)
            .unwrap()
            .starts_with("OOM"));
        assert_eq!(run_flags(ScriptFlags::NO_WRITES, false), (true, false));
        assert_eq!(run_flags(ScriptFlags::EVAL_COMPAT, false), (false, false));
    }
}
