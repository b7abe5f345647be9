//! The two Lua states Redis 7.0 keeps, built as it builds them (`scriptingInit`,
//! `luaRegisterRedisAPI`, `luaEngineInitEngine`):
//!
//! - the EVAL state: the libraries, the `redis` table, Redis's `pcall`, `math.random`
//!   on Redis's generator, the `__redis__err__handler` global; then every table reachable
//!   from the globals is made read-only and reading a missing global is an error
//!   (`Script attempted to access nonexistent global variable 'x'`);
//! - the functions state: the same globals (a `redis` table without the debugger's
//!   functions), seen through an empty read-only table whose metatable points either at
//!   them (while a function runs) or at the library API, only `redis.register_function`,
//!   `redis.log` and the version (while FUNCTION LOAD runs a library's code).
//!
//! The globals left are exactly Debian's Redis 7.0.15's (no `print`, `getfenv`,
//! `setfenv`, `newproxy`, `dofile`, `loadfile`).

use lua51::args::{arg, check_str};
use lua51::{Ctx as LuaCtx, LuaError, LuaResult, NoHost, Step, TableRef, Value, Vm};

/// Host functions: Lua functions that call back into the server (see run.rs).
pub mod host {
    pub const CALL: u32 = 1;
    pub const PCALL: u32 = 2;
    pub const LOG: u32 = 3;
    pub const SETRESP: u32 = 4;
    pub const SET_REPL: u32 = 5;
    pub const ACL_CHECK_CMD: u32 = 6;
    pub const REGISTER_FUNCTION: u32 = 7;
    pub const MATH_RANDOM: u32 = 8;
    pub const MATH_RANDOMSEED: u32 = 9;
    pub const ERROR: u32 = 10;
    pub const SHA1HEX: u32 = 11;
}

/// The globals of Redis's Lua states (besides `KEYS`, `ARGV` and, for EVAL,
/// `__redis__err__handler`).
const GLOBALS: &[&str] = &[
    "_G",
    "_VERSION",
    "assert",
    "bit",
    "cjson",
    "cmsgpack",
    "collectgarbage",
    "coroutine",
    "error",
    "gcinfo",
    "getmetatable",
    "ipairs",
    "load",
    "loadstring",
    "math",
    "next",
    "pairs",
    "pcall",
    "rawequal",
    "rawget",
    "rawset",
    "redis",
    "select",
    "setmetatable",
    "string",
    "struct",
    "table",
    "tonumber",
    "tostring",
    "type",
    "unpack",
    "xpcall",
];

/// Redis 7.0.15 as `REDIS_VERSION_NUM`: 0x00MMmmpp.
const VERSION_NUM: f64 = 0x07_00_0f as f64;

/// Redis's `pcall`: an error that is a table with an `err` string comes back as that
/// string (Redis 7 raises tables where Redis 6 raised strings). Written in Lua so that
/// what it calls runs on the script's budget like any other code.
const PCALL_SRC: &[u8] = b"local base, type = pcall, type\n\
local function finish(ok, ...)\n\
  if ok then return ok, ... end\n\
  local e = ...\n\
  if type(e) == 'table' then\n\
    local m = e.err\n\
    if type(m) == 'string' or type(m) == 'number' then return false, m end\n\
  end\n\
  return false, e\n\
end\n\
return function(...) return finish(base(...)) end\n";

/// Opens the libraries Redis loads, and stops a script that allocates past the engine's
/// memory ceiling with Lua's `not enough memory`, whatever pcall says (Redis would grow
/// until the machine had no more; a tab must not).
fn open_libraries(vm: &mut Vm) {
    lua51::libs::open_all(vm);
    vm.out_of_memory = Some(out_of_memory);
}

fn out_of_memory() -> bool {
    !crate::memory::has_room_for(0)
}

/// Keep only Redis's globals (and the extra names given).
fn retain_globals(g: &TableRef, extra: &[&str]) {
    let mut drop = Vec::new();
    let mut k = Value::Nil;
    while let Ok(Some((key, _))) = g.next(&k) {
        let keep = match &key {
            Value::Str(s) => {
                let name = s.as_bytes();
                GLOBALS.iter().chain(extra).any(|n| n.as_bytes() == name)
            }
            _ => false,
        };
        if !keep {
            drop.push(key.clone());
        }
        k = key;
    }
    for key in drop {
        let _ = g.set(key, Value::Nil);
    }
}

/// Runs a short chunk of our own at state creation; its first result.
fn run_chunk(vm: &mut Vm, src: &[u8], name: &str) -> Option<Value> {
    let f = vm.load(src, name).ok()?;
    vm.start(f, Vec::new());
    match vm.resume(&mut NoHost, 100_000) {
        Step::Done(v) => v.into_iter().next(),
        Step::Yield => {
            vm.abort();
            None
        }
        Step::Error(_) => None,
    }
}

// ---- natives without the server ----

/// The one argument of `redis.error_reply`/`status_reply`: exactly one string.
fn single_string(args: &[Value]) -> Option<lua51::LuaStr> {
    match args {
        [Value::Str(s)] => Some(s.clone()),
        _ => None,
    }
}

fn wrong_args_table() -> Vec<Value> {
    vec![Value::Table(super::convert::error_table(
        b"wrong number or type of arguments",
    ))]
}

/// `redis.error_reply(msg)`: `{err=msg}`, with an `ERR` code when `msg` has none... as
/// Redis words it: a `-` is put in front if missing, then the first word is the code.
fn error_reply(_: &mut LuaCtx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let Some(s) = single_string(&args) else {
        return Ok(wrong_args_table());
    };
    let mut text = s.as_bytes().to_vec();
    if text.first() != Some(&b'-') {
        text.insert(0, b'-');
    }
    Ok(vec![Value::Table(super::convert::error_table(&text))])
}

/// `redis.status_reply(msg)`: `{ok=msg}`.
fn status_reply(_: &mut LuaCtx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let Some(s) = single_string(&args) else {
        return Ok(wrong_args_table());
    };
    let t = TableRef::new(0, 1);
    t.set_str("ok", Value::Str(s));
    Ok(vec![Value::Table(t)])
}

/// `redis.breakpoint()`: false (no debugger session).
fn breakpoint(_: &mut LuaCtx<'_>, _: Vec<Value>) -> LuaResult<Vec<Value>> {
    Ok(vec![Value::Bool(false)])
}

/// `redis.debug(...)`: nothing (no debugger session).
fn debug(_: &mut LuaCtx<'_>, _: Vec<Value>) -> LuaResult<Vec<Value>> {
    Ok(Vec::new())
}

/// `redis.replicate_commands()`: true (Redis 7 always replicates effects).
fn replicate_commands(_: &mut LuaCtx<'_>, _: Vec<Value>) -> LuaResult<Vec<Value>> {
    Ok(vec![Value::Bool(true)])
}

/// `__redis__err__handler(err)`: what Redis's EVAL error handler makes of an error (a
/// table with `err`; the position is added when the script's error is answered).
fn err_handler(ctx: &mut LuaCtx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let e = arg(&args, 1);
    if let Value::Table(_) = e {
        return Ok(vec![e]);
    }
    let text = ctx.tostring(&e)?;
    let mut msg = b"ERR ".to_vec();
    msg.extend_from_slice(text.as_bytes());
    let t = TableRef::new(0, 1);
    t.set_str("err", Value::bytes(&msg));
    Ok(vec![Value::Table(t)])
}

/// The `__index` of protected globals: reading a missing one is an error.
fn no_such_global(ctx: &mut LuaCtx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    if args.len() != 2 {
        return Err(LuaError::msg(
            "Wrong number of arguments to luaProtectedTableError",
        ));
    }
    let name = match &args[1] {
        Value::Str(_) | Value::Num(_) => check_str(ctx, &args, 2)?,
        _ => {
            return Err(LuaError::msg(
                "Second argument to luaProtectedTableError must be a string or number",
            ))
        }
    };
    Err(LuaError::msg(format!(
        "Script attempted to access nonexistent global variable '{}'",
        name.to_str_lossy()
    )))
}

/// `luaSetErrorMetatable`: reading a missing field of `t` raises an error.
fn set_error_metatable(t: &TableRef) {
    let mt = TableRef::new(0, 1);
    mt.set_str("__index", Value::native("__index", no_such_global));
    t.set_metatable(Some(mt));
}

/// `luaSetTableProtectionRecursively`: `t`, every table reachable from it and their
/// metatables become read-only.
pub fn protect(t: &TableRef) {
    let mut stack = vec![t.clone()];
    while let Some(t) = stack.pop() {
        if t.readonly() {
            continue;
        }
        t.set_readonly(true);
        let mut k = Value::Nil;
        while let Ok(Some((key, v))) = t.next(&k) {
            if let Value::Table(inner) = &v {
                stack.push(inner.clone());
            }
            k = key;
        }
        if let Some(mt) = t.metatable() {
            stack.push(mt);
        }
    }
}

fn set_log_levels(t: &TableRef) {
    t.set_str("log", Vm::host_function("log", host::LOG));
    for (name, level) in [
        ("LOG_DEBUG", 0.0),
        ("LOG_VERBOSE", 1.0),
        ("LOG_NOTICE", 2.0),
        ("LOG_WARNING", 3.0),
    ] {
        t.set_str(name, Value::Num(level));
    }
}

fn set_version(t: &TableRef) {
    t.set_str("REDIS_VERSION_NUM", Value::Num(VERSION_NUM));
    t.set_str("REDIS_VERSION", Value::str(crate::REDIS_VERSION));
}

/// The `redis` table scripts call (`luaRegisterRedisAPI`), with the debugger's functions
/// for the EVAL state.
fn redis_table(eval: bool) -> TableRef {
    let t = TableRef::new(0, 32);
    t.set_str("call", Vm::host_function("call", host::CALL));
    t.set_str("pcall", Vm::host_function("pcall", host::PCALL));
    set_log_levels(&t);
    set_version(&t);
    t.set_str("setresp", Vm::host_function("setresp", host::SETRESP));
    t.set_str("sha1hex", Vm::host_function("sha1hex", host::SHA1HEX));
    t.set_str("error_reply", Value::native("error_reply", error_reply));
    t.set_str("status_reply", Value::native("status_reply", status_reply));
    t.set_str("set_repl", Vm::host_function("set_repl", host::SET_REPL));
    for (name, v) in [
        ("REPL_NONE", 0.0),
        ("REPL_AOF", 1.0),
        ("REPL_SLAVE", 2.0),
        ("REPL_REPLICA", 2.0),
        ("REPL_ALL", 3.0),
    ] {
        t.set_str(name, Value::Num(v));
    }
    t.set_str(
        "acl_check_cmd",
        Vm::host_function("acl_check_cmd", host::ACL_CHECK_CMD),
    );
    if eval {
        t.set_str("breakpoint", Value::native("breakpoint", breakpoint));
        t.set_str("debug", Value::native("debug", debug));
        t.set_str(
            "replicate_commands",
            Value::native("replicate_commands", replicate_commands),
        );
    }
    t
}

/// The libraries, Redis's API and its replacements in the globals (both states).
fn common_globals(vm: &mut Vm, eval: bool) -> TableRef {
    open_libraries(vm);
    let g = vm.globals.clone();
    retain_globals(&g, &[]);
    if g.get_str("_G").is_nil() {
        g.set_str("_G", Value::Table(g.clone()));
    }
    if g.get_str("_VERSION").is_nil() {
        g.set_str("_VERSION", Value::str("Lua 5.1"));
    }
    if let Some(pcall) = run_chunk(vm, PCALL_SRC, "=pcall") {
        g.set_str("pcall", pcall);
    }
    g.set_str("error", Vm::host_function("error", host::ERROR));
    g.set_str("redis", Value::Table(redis_table(eval)));
    if let Value::Table(math) = g.get_str("math") {
        math.set_str("random", Vm::host_function("random", host::MATH_RANDOM));
        math.set_str(
            "randomseed",
            Vm::host_function("randomseed", host::MATH_RANDOMSEED),
        );
    }
    g
}

/// A fresh EVAL state (`scriptingInit`).
pub fn eval_vm() -> Box<Vm> {
    let mut vm = Box::new(Vm::new());
    let g = common_globals(&mut vm, true);
    g.set_str(
        "__redis__err__handler",
        Value::native("__redis__err__handler", err_handler),
    );
    set_error_metatable(&g);
    protect(&g);
    vm
}

/// The functions engine's state and the tables it switches between.
pub struct FunctionsVm {
    pub vm: Box<Vm>,
    /// The real globals, seen while a function runs.
    pub globals: TableRef,
    /// The library API (`redis.register_function`, `redis.log`, the version), seen while
    /// FUNCTION LOAD runs a library.
    pub library_api: TableRef,
    /// The metatable of the empty globals table code sees: its `__index` is one of the
    /// two above.
    pub meta: TableRef,
}

impl FunctionsVm {
    /// Library code sees the library API (FUNCTION LOAD), or functions see the globals.
    pub fn loading(&self, on: bool) {
        let target = if on { &self.library_api } else { &self.globals };
        self.meta.set_str("__index", Value::Table(target.clone()));
    }
}

/// A fresh functions state (`luaEngineInitEngine`).
pub fn functions_vm() -> FunctionsVm {
    let mut vm = Box::new(Vm::new());
    let g0 = common_globals(&mut vm, false);
    let library_redis = TableRef::new(0, 8);
    library_redis.set_str(
        "register_function",
        Vm::host_function("register_function", host::REGISTER_FUNCTION),
    );
    set_log_levels(&library_redis);
    set_version(&library_redis);
    set_error_metatable(&library_redis);
    let library_api = TableRef::new(0, 1);
    library_api.set_str("redis", Value::Table(library_redis));
    set_error_metatable(&library_api);
    protect(&library_api);
    set_error_metatable(&g0);
    protect(&g0);
    let globals = TableRef::new(0, 0);
    let meta = TableRef::new(0, 1);
    meta.set_str("__index", Value::Table(g0.clone()));
    meta.set_readonly(true);
    globals.set_metatable(Some(meta.clone()));
    globals.set_readonly(true);
    vm.globals = globals;
    FunctionsVm {
        vm,
        globals: g0,
        library_api,
        meta,
    }
}
