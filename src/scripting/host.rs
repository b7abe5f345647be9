//! What scripts call back into the server for: `redis.call` and `redis.pcall` (a command
//! run as Redis's `scriptCall` runs it, with its refusals), `redis.log`, `redis.setresp`,
//! `redis.set_repl`, `redis.acl_check_cmd`, `redis.register_function` (while FUNCTION
//! LOAD runs a library), `math.random`/`math.randomseed` on Redis's generator, and
//! `error` (Lua 5.1's, noting where each error is raised for the script's error reply).

use lua51::args::num_to_int;
use lua51::{Host, LuaError, LuaResult, TableRef, Value, Vm};

use super::convert;
use super::env::host;
use super::functions::{self, LoadCtx};
use super::run::{current_line, RunCtx};
use crate::clock::Ms;
use crate::commands::table::Flags;
use crate::commands::{self, Command};
use crate::reply::{Protocol, Reply};
use crate::server::{acl::Denied, Server, SCRIPT_CLIENT};

/// What a host function may reach besides the server: the running script, or the
/// library FUNCTION LOAD is running.
pub enum HostMode<'a> {
    Run(&'a mut RunCtx),
    Load(&'a mut LoadCtx),
}

/// The server as scripts see it.
pub struct ScriptHost<'a> {
    pub server: &'a mut Server,
    pub now: Ms,
    pub mode: HostMode<'a>,
}

/// `redis.log`'s level below which nothing is logged (`loglevel notice`).
const VERBOSITY: i64 = 2;

fn table_error(text: &[u8]) -> TableRef {
    convert::error_table(text)
}

/// `bad argument #n to 'name' (msg)`, as Lua's auxiliary library words it.
fn bad_arg(n: usize, name: &str, msg: &str) -> LuaError {
    LuaError::Msg(format!("bad argument #{n} to '{name}' ({msg})"))
}

/// `luaL_checkint`: a number (or numeric string) as a C int.
fn check_int(args: &[Value], n: usize, name: &str) -> LuaResult<i32> {
    match args.get(n - 1) {
        Some(v) => match v.to_number() {
            Some(x) => Ok(num_to_int(x) as i32),
            None => Err(bad_arg(
                n,
                name,
                &format!("number expected, got {}", v.type_name()),
            )),
        },
        None => Err(bad_arg(n, name, "number expected, got no value")),
    }
}

/// A number as Redis passes it to a command: `%.17g` (Lua's own `%.14g` would lose
/// precision).
fn number_arg(n: f64) -> Vec<u8> {
    if n.is_nan() {
        return if n.is_sign_negative() {
            b"-nan".to_vec()
        } else {
            b"nan".to_vec()
        };
    }
    crate::num::double::fmt_g17(n).into_bytes()
}

/// `luaArgsToRedisArgv`: the arguments as a command line.
pub fn argv_of(args: &[Value]) -> Result<Vec<Vec<u8>>, &'static [u8]> {
    if args.is_empty() {
        return Err(b"Please specify at least one argument for this redis lib call");
    }
    args.iter()
        .map(|a| match a {
            Value::Num(n) => Ok(number_arg(*n)),
            Value::Str(s) => Ok(s.as_bytes().to_vec()),
            _ => Err(&b"Lua redis lib command arguments must be strings or integers"[..]),
        })
        .collect()
}

/// `lookupCommand`: the command (or sub-command) of a line, arity unchecked.
fn lookup(argv: &[Vec<u8>]) -> Option<&'static Command> {
    let cmd = commands::lookup(argv.first()?)?;
    if !cmd.subcommands.is_empty() && argv.len() >= 2 {
        return commands::lookup_sub(cmd, &argv[1]);
    }
    Some(cmd)
}

/// Redis's `scriptCall`: the refusals for a command a script runs, then the command on
/// the script's client. A refusal is its error text (`-CODE …` or a bare message).
pub fn script_command(
    server: &mut Server,
    run: &mut RunCtx,
    argv: &[Vec<u8>],
) -> Result<Reply, Vec<u8>> {
    let refuse = |server: &mut Server, cmd: Option<&'static Command>, text: &[u8]| {
        server.count_script_rejection(cmd, text);
        Err(text.to_vec())
    };
    let Some(cmd) = lookup(argv) else {
        return refuse(server, None, b"Unknown Redis command called from script");
    };
    if !cmd.arity_ok(argv.len()) {
        return refuse(
            server,
            Some(cmd),
            b"Wrong number of args calling Redis command from script",
        );
    }
    if cmd.has_flag(Flags::NOSCRIPT) && !server.scripting().disable_deny_scripts {
        return refuse(
            server,
            Some(cmd),
            b"This Redis command is not allowed from script",
        );
    }
    let now = run.start_ms;
    if let Err(why) = server.acl_check(run.caller, cmd, argv, "lua", now) {
        let what = match why {
            Denied::Command => "can't run this command or subcommand",
            Denied::Key => {
                "can't access at least one of the keys mentioned in the command arguments"
            }
            Denied::Channel => "can't publish to the channel mentioned in the command",
            Denied::Auth => "lacking the permissions for the command",
        };
        let text = format!("The user executing the script {what}");
        return refuse(server, Some(cmd), text.as_bytes());
    }
    if run.read_only && (cmd.has_flag(Flags::WRITE) || cmd.has_flag(Flags::MAY_REPLICATE)) {
        return refuse(
            server,
            Some(cmd),
            b"Write commands are not allowed from read-only scripts.",
        );
    }
    if !run.allow_oom
        && server.maxmemory() > 0
        && !run.write_dirty
        && run.oom_at_start
        && cmd.has_flag(Flags::DENYOOM)
    {
        return refuse(
            server,
            Some(cmd),
            b"-OOM command not allowed when used memory > 'maxmemory'.",
        );
    }
    if cmd.has_flag(Flags::WRITE) {
        run.write_dirty = true;
    }
    let proto = if run.resp == 3 {
        Protocol::Resp3
    } else {
        Protocol::Resp2
    };
    if let Some(c) = server.client_mut(SCRIPT_CLIENT) {
        c.set_protocol(proto);
    }
    let reply = server.call(cmd, SCRIPT_CLIENT, argv, now, false);
    if cmd.has_flag(Flags::READONLY) {
        server.script_read(run.caller, run.cmd, &run.caller_argv);
    }
    Ok(reply.for_protocol(proto))
}

impl ScriptHost<'_> {
    fn run(&mut self) -> Option<&mut RunCtx> {
        match &mut self.mode {
            HostMode::Run(r) => Some(r),
            HostMode::Load(_) => None,
        }
    }

    /// Raise `v`, noting where (the error reply names the line).
    fn raise(&mut self, vm: &Vm, v: Value) -> LuaError {
        if let (Some(line), Some(run)) = (current_line(vm), self.run()) {
            run.raised = Some((v.clone(), line));
        }
        LuaError::Value(v)
    }

    fn raise_text(&mut self, vm: &Vm, text: &[u8]) -> LuaError {
        self.raise(vm, Value::Table(table_error(text)))
    }

    /// The run, or the error Redis raises when there is none.
    fn need_run(&mut self, vm: &Vm, what: &str) -> LuaResult<()> {
        if self.run().is_some() {
            return Ok(());
        }
        let text = format!("{what} can only be called inside a script invocation");
        Err(self.raise_text(vm, text.as_bytes()))
    }

    /// `redis.call` (raise) and `redis.pcall`.
    fn redis_call(&mut self, vm: &Vm, args: Vec<Value>, raise: bool) -> LuaResult<Vec<Value>> {
        self.need_run(vm, "redis.call/pcall")?;
        let argv = match argv_of(&args) {
            Ok(a) => a,
            Err(text) => {
                let t = Value::Table(table_error(text));
                return if raise {
                    Err(self.raise(vm, t))
                } else {
                    Ok(vec![t])
                };
            }
        };
        let HostMode::Run(run) = &mut self.mode else {
            return Ok(vec![Value::Nil]);
        };
        let v = match script_command(self.server, run, &argv) {
            Ok(reply) => convert::reply_to_lua(&reply),
            Err(text) => Value::Table(convert::command_error_table(&text)),
        };
        let is_error = matches!(&v, Value::Table(t) if t.get_str("err").to_lua_str().is_some() && matches!(t.get_str("ignore_error_stats_update"), Value::Bool(true)));
        if raise && is_error {
            return Err(self.raise(vm, v));
        }
        Ok(vec![v])
    }

    /// `redis.log(level, ...)`.
    fn log(&mut self, vm: &Vm, args: Vec<Value>) -> LuaResult<Vec<Value>> {
        if args.len() < 2 {
            return Err(self.raise_text(vm, b"redis.log() requires two arguments or more."));
        }
        let Some(level) = args[0].to_number() else {
            return Err(self.raise_text(vm, b"First argument must be a number (log level)."));
        };
        let level = num_to_int(level) as i32 as i64;
        if !(0..=3).contains(&level) {
            return Err(self.raise_text(vm, b"Invalid debug level."));
        }
        if level < VERBOSITY {
            return Ok(Vec::new());
        }
        let mut text = Vec::new();
        for (j, a) in args.iter().enumerate().skip(1) {
            if let Some(s) = a.to_lua_str() {
                if j != 1 {
                    text.push(b' ');
                }
                text.extend_from_slice(s.as_bytes());
            }
        }
        let now = self.now;
        self.server.scripting_mut().log(level as u8, text, now);
        Ok(Vec::new())
    }

    /// `redis.setresp(2|3)`.
    fn setresp(&mut self, vm: &Vm, args: Vec<Value>) -> LuaResult<Vec<Value>> {
        self.need_run(vm, "redis.setresp")?;
        if args.len() != 1 {
            return Err(self.raise_text(vm, b"redis.setresp() requires one argument."));
        }
        let resp = num_to_int(args[0].to_number().unwrap_or(0.0)) as i32;
        if resp != 2 && resp != 3 {
            return Err(self.raise_text(vm, b"RESP version must be 2 or 3."));
        }
        if let Some(run) = self.run() {
            run.resp = resp as u8;
        }
        Ok(Vec::new())
    }

    /// `redis.set_repl(flags)`: accepted (there is no replication to steer).
    fn set_repl(&mut self, vm: &Vm, args: Vec<Value>) -> LuaResult<Vec<Value>> {
        self.need_run(vm, "redis.set_repl")?;
        if args.len() != 1 {
            return Err(self.raise_text(vm, b"redis.set_repl() requires two arguments."));
        }
        let flags = num_to_int(args[0].to_number().unwrap_or(0.0)) as i32;
        if flags & !3 != 0 {
            return Err(self.raise_text(
                vm,
                b"Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.",
            ));
        }
        if let Some(run) = self.run() {
            run.repl = flags as u8;
        }
        Ok(Vec::new())
    }

    /// `redis.acl_check_cmd(command, ...)`: whether the script's user may run it.
    fn acl_check_cmd(&mut self, vm: &Vm, args: Vec<Value>) -> LuaResult<Vec<Value>> {
        self.need_run(vm, "redis.acl_check_cmd")?;
        let argv = argv_of(&args).map_err(|t| self.raise_text(vm, t))?;
        let Some(cmd) = lookup(&argv) else {
            return Err(self.raise_text(vm, b"Invalid command passed to redis.acl_check_cmd()"));
        };
        let caller = self.run().map_or(0, |r| r.caller);
        let allowed = self.server.user_may_run(caller, cmd, &argv);
        Ok(vec![Value::Bool(allowed)])
    }

    /// `math.random([m [, n]])` on Redis's generator (the Lua 5.1 code with `rand()`
    /// replaced by `redisLrand48()`).
    fn random(&mut self, args: Vec<Value>) -> LuaResult<Vec<Value>> {
        if self.run().is_none() {
            return Err(LuaError::msg(
                "math.random can only be called inside a script invocation",
            ));
        }
        const MAX: i64 = i32::MAX as i64;
        let r = (i64::from(self.server.scripting_mut().rng.draw()) % MAX) as f64 / MAX as f64;
        let v = match args.len() {
            0 => r,
            1 => {
                let u = check_int(&args, 1, "random")?;
                if u < 1 {
                    return Err(bad_arg(1, "random", "interval is empty"));
                }
                (r * f64::from(u)).floor() + 1.0
            }
            2 => {
                let l = check_int(&args, 1, "random")?;
                let u = check_int(&args, 2, "random")?;
                if l > u {
                    return Err(bad_arg(2, "random", "interval is empty"));
                }
                (r * (f64::from(u) - f64::from(l) + 1.0)).floor() + f64::from(l)
            }
            _ => return Err(LuaError::msg("wrong number of arguments")),
        };
        Ok(vec![Value::Num(v)])
    }

    fn randomseed(&mut self, args: Vec<Value>) -> LuaResult<Vec<Value>> {
        if self.run().is_none() {
            return Err(LuaError::msg(
                "math.randomseed can only be called inside a script invocation",
            ));
        }
        let seed = check_int(&args, 1, "randomseed")?;
        self.server.scripting_mut().rng.seed(seed);
        Ok(Vec::new())
    }

    /// `redis.sha1hex(s)`: the SHA-1 of a string (or number's text; anything else is
    /// hashed as empty).
    fn sha1hex(&mut self, vm: &Vm, args: Vec<Value>) -> LuaResult<Vec<Value>> {
        if args.len() != 1 {
            return Err(self.raise_text(vm, b"wrong number of arguments"));
        }
        let s = args[0].to_lua_str();
        let hex = super::sha1hex(s.as_ref().map_or(&[][..], |s| s.as_bytes()));
        Ok(vec![Value::str(&hex)])
    }

    /// Lua 5.1's `error(v [, level])`, noting where it was raised.
    fn error(&mut self, vm: &Vm, args: Vec<Value>) -> LuaResult<Vec<Value>> {
        let v = args.first().cloned().unwrap_or(Value::Nil);
        let level = match args.get(1) {
            None | Some(Value::Nil) => 1,
            Some(l) => match l.to_number() {
                Some(x) => num_to_int(x),
                None => {
                    return Err(bad_arg(
                        2,
                        "error",
                        &format!("number expected, got {}", l.type_name()),
                    ))
                }
            },
        };
        let v = match (&v, v.to_lua_str()) {
            (Value::Str(_) | Value::Num(_), Some(s)) if level > 0 => {
                let mut m = super::run::position(vm, level as usize).into_bytes();
                m.extend_from_slice(s.as_bytes());
                Value::bytes(&m)
            }
            _ => v,
        };
        Err(self.raise(vm, v))
    }
}

impl Host for ScriptHost<'_> {
    fn host_call(&mut self, vm: &mut Vm, id: u32, args: Vec<Value>) -> LuaResult<Vec<Value>> {
        match id {
            host::CALL => self.redis_call(vm, args, true),
            host::PCALL => self.redis_call(vm, args, false),
            host::LOG => self.log(vm, args),
            host::SETRESP => self.setresp(vm, args),
            host::SET_REPL => self.set_repl(vm, args),
            host::ACL_CHECK_CMD => self.acl_check_cmd(vm, args),
            host::MATH_RANDOM => self.random(args),
            host::MATH_RANDOMSEED => self.randomseed(args),
            host::ERROR => self.error(vm, args),
            host::SHA1HEX => self.sha1hex(vm, args),
            host::REGISTER_FUNCTION => match &mut self.mode {
                HostMode::Load(load) => match functions::register_function(load, &args) {
                    Ok(()) => Ok(Vec::new()),
                    Err(LuaError::Value(v)) => Err(self.raise(vm, v)),
                    Err(e) => Err(e),
                },
                HostMode::Run(_) => Err(self.raise_text(
                    vm,
                    b"redis.register_function can only be called on FUNCTION LOAD command",
                )),
            },
            _ => Err(LuaError::msg("no such host function")),
        }
    }
}
