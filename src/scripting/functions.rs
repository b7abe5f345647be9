//! The functions engine (Redis 7.0's `functions.c` and `function_lua.c`): libraries of
//! Lua code that start with `#!lua name=<library>` and register functions with
//! `redis.register_function`, called with FCALL. Libraries live with the data: they are
//! saved with the world, written to dump.rdb, and FLUSHALL leaves them.
//!
//! Library names are case-sensitive, function names are looked up ignoring case (as
//! Redis's dicts compare them).

use std::collections::{BTreeMap, HashMap};

use lua51::{LuaError, Step, TableRef, Value};

use super::env::{self, FunctionsVm};
use super::run::{HostMode, ScriptHost};
use super::ScriptFlags;
use crate::clock::Ms;
use crate::server::Server;

/// A registered function.
#[derive(Clone)]
pub struct Function {
    pub name: Vec<u8>,
    pub desc: Option<Vec<u8>>,
    pub flags: ScriptFlags,
    pub callback: Value,
}

/// A library: its whole code (shebang included) and its functions, in the order they
/// were registered.
#[derive(Clone)]
pub struct Library {
    pub name: Vec<u8>,
    pub code: Vec<u8>,
    pub functions: Vec<Function>,
}

/// What FUNCTION LOAD's run of a library collects.
#[derive(Default)]
pub struct LoadCtx {
    pub functions: Vec<Function>,
}

/// The engine: its Lua state and the libraries.
pub struct FunctionsEngine {
    /// None while one of its functions runs (the running script holds it).
    pub state: Option<FunctionsVm>,
    pub libraries: BTreeMap<Vec<u8>, Library>,
    /// Lower-cased function name → its library's name.
    index: HashMap<Vec<u8>, Vec<u8>>,
}

/// The error for a name that isn't letters, digits and underscores (Redis says
/// "Library names" for functions too).
const BAD_NAME: &str = "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long";

/// `functionsVerifyName`.
pub fn valid_name(name: &[u8]) -> bool {
    !name.is_empty() && name.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'_')
}

/// A library's shebang line, read (`functionExtractLibMetaData`): the engine, the name and
/// the code after the shebang (from its newline on, so line numbers stay).
pub struct Metadata {
    pub engine: Vec<u8>,
    pub name: Vec<u8>,
    pub code: Vec<u8>,
}

pub fn metadata(payload: &[u8]) -> Result<Metadata, String> {
    if !payload.starts_with(b"#!") {
        return Err("Missing library metadata".into());
    }
    let Some(nl) = payload.iter().position(|&b| b == b'\n') else {
        return Err("Invalid library metadata".into());
    };
    let parts = match crate::cli::split_args(&payload[..nl]) {
        Some(p) if !p.is_empty() => p,
        _ => return Err("Invalid library metadata".into()),
    };
    let engine = parts[0].get(2..).unwrap_or_default().to_vec();
    let mut name: Option<Vec<u8>> = None;
    for part in &parts[1..] {
        if part.len() >= 5 && part[..5].eq_ignore_ascii_case(b"name=") {
            if name.is_some() {
                return Err(
                    "Invalid metadata value, name argument was given multiple times".into(),
                );
            }
            name = Some(part[5..].to_vec());
            continue;
        }
        return Err(format!(
            "Invalid metadata value given: {}",
            String::from_utf8_lossy(part)
        ));
    }
    let name = name.ok_or_else(|| "Library name was not given".to_string())?;
    Ok(Metadata {
        engine,
        name,
        code: payload[nl..].to_vec(),
    })
}

impl Default for FunctionsEngine {
    fn default() -> Self {
        Self::new()
    }
}

impl FunctionsEngine {
    pub fn new() -> FunctionsEngine {
        FunctionsEngine {
            state: Some(env::functions_vm()),
            libraries: BTreeMap::new(),
            index: HashMap::new(),
        }
    }

    /// The function FCALL names (ignoring case), with its library.
    pub fn function(&self, name: &[u8]) -> Option<(&Library, &Function)> {
        let lib = self
            .libraries
            .get(self.index.get(&name.to_ascii_lowercase())?)?;
        let f = lib
            .functions
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))?;
        Some((lib, f))
    }

    pub fn function_count(&self) -> usize {
        self.libraries.values().map(|l| l.functions.len()).sum()
    }

    /// The library called `name` leaves; false if there is none.
    pub fn delete(&mut self, name: &[u8]) -> bool {
        match self.libraries.remove(name) {
            Some(lib) => {
                for f in &lib.functions {
                    self.index.remove(&f.name.to_ascii_lowercase());
                }
                true
            }
            None => false,
        }
    }

    /// FUNCTION FLUSH (and DEBUG RELOAD's emptying): every library goes.
    pub fn flush(&mut self) {
        self.libraries.clear();
        self.index.clear();
    }

    fn link(&mut self, lib: Library) {
        for f in &lib.functions {
            self.index
                .entry(f.name.to_ascii_lowercase())
                .or_insert_with(|| lib.name.clone());
        }
        self.libraries.insert(lib.name.clone(), lib);
    }

    /// The first of `lib`'s functions another library already has.
    fn collision<'a>(&self, lib: &'a Library) -> Option<&'a Function> {
        lib.functions.iter().find(|f| {
            self.index
                .get(&f.name.to_ascii_lowercase())
                .is_some_and(|owner| owner != &lib.name)
        })
    }

    /// Libraries' codes, for FUNCTION DUMP, the snapshot and dump.rdb.
    pub fn codes(&self) -> Vec<&[u8]> {
        self.libraries.values().map(|l| l.code.as_slice()).collect()
    }
}

/// Compile and run a library's code so it registers its functions (`luaEngineCreate`),
/// without adding it anywhere.
fn create(server: &mut Server, md: &Metadata, code: &[u8], now: Ms) -> Result<Library, String> {
    let Some(state) = server.scripting_mut().functions.state.take() else {
        return Err("Error registering functions: ERR a function is running".into());
    };
    let mut state = state;
    let out = run_library(server, &mut state, md, code, now);
    server.scripting_mut().functions.state = Some(state);
    out
}

fn run_library(
    server: &mut Server,
    state: &mut FunctionsVm,
    md: &Metadata,
    code: &[u8],
    now: Ms,
) -> Result<Library, String> {
    let f = state
        .vm
        .load(&md.code, "user_function")
        .map_err(|e| format!("Error compiling function: {e}"))?;
    state.loading(true);
    let mut load = LoadCtx::default();
    let result = {
        let mut host = ScriptHost {
            server,
            now,
            mode: HostMode::Load(&mut load),
        };
        state.vm.start(f, Vec::new());
        let mut spent: u64 = 0;
        loop {
            match state.vm.resume(&mut host, super::TICK_FUEL) {
                Step::Done(_) => break Ok(()),
                Step::Error(e) => break Err(e),
                Step::Yield => {
                    spent += u64::from(super::TICK_FUEL);
                    if spent >= super::LOAD_FUEL_LIMIT {
                        state.vm.abort();
                        break Err(LuaError::Value(Value::Table(super::convert::error_table(
                            b"FUNCTION LOAD timeout",
                        ))));
                    }
                }
            }
        }
    };
    state.loading(false);
    if let Err(e) = result {
        let msg = super::run::error_message(&e);
        return Err(format!(
            "Error registering functions: {}",
            String::from_utf8_lossy(&msg)
        ));
    }
    if load.functions.is_empty() {
        return Err("No functions registered".into());
    }
    Ok(Library {
        name: md.name.clone(),
        code: code.to_vec(),
        functions: load.functions,
    })
}

/// A library from its code (shebang and all), checked as FUNCTION LOAD checks it, against
/// the libraries there are unless `replace`.
fn prepare(server: &mut Server, code: &[u8], replace: bool) -> Result<Metadata, String> {
    let md = metadata(code)?;
    if !valid_name(&md.name) {
        return Err(BAD_NAME.into());
    }
    if !md.engine.eq_ignore_ascii_case(b"lua") {
        return Err(format!(
            "Engine '{}' not found",
            String::from_utf8_lossy(&md.engine)
        ));
    }
    if !replace
        && server
            .scripting()
            .functions
            .libraries
            .contains_key(&md.name)
    {
        return Err(format!(
            "Library '{}' already exists",
            String::from_utf8_lossy(&md.name)
        ));
    }
    Ok(md)
}

/// FUNCTION LOAD [REPLACE] code: the library's name, or Redis's error text (without
/// `ERR `).
pub fn load(server: &mut Server, code: &[u8], replace: bool, now: Ms) -> Result<Vec<u8>, String> {
    let md = prepare(server, code, replace)?;
    // While the new code runs, the library it replaces is gone (its functions may be
    // registered again).
    let old = server.scripting_mut().functions.unlink(&md.name);
    let lib = match create(server, &md, code, now) {
        Ok(lib) => lib,
        Err(e) => {
            if let Some(old) = old {
                server.scripting_mut().functions.link(old);
            }
            return Err(e);
        }
    };
    let engine = &mut server.scripting_mut().functions;
    if let Some(f) = engine.collision(&lib) {
        let e = format!(
            "Function {} already exists",
            String::from_utf8_lossy(&f.name)
        );
        if let Some(old) = old {
            engine.link(old);
        }
        return Err(e);
    }
    let name = lib.name.clone();
    engine.link(lib);
    Ok(name)
}

impl FunctionsEngine {
    fn unlink(&mut self, name: &[u8]) -> Option<Library> {
        let lib = self.libraries.remove(name)?;
        for f in &lib.functions {
            if self.index.get(&f.name.to_ascii_lowercase()) == Some(&lib.name) {
                self.index.remove(&f.name.to_ascii_lowercase());
            }
        }
        Some(lib)
    }
}

/// How FUNCTION RESTORE treats the libraries there are.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RestorePolicy {
    Flush,
    Append,
    Replace,
}

/// FUNCTION RESTORE's work once the payload is read: every library compiled (none may
/// appear twice), then joined as the policy says. Nothing changes on an error.
pub fn restore(
    server: &mut Server,
    codes: &[Vec<u8>],
    policy: RestorePolicy,
    now: Ms,
) -> Result<(), String> {
    let mut libs: Vec<Library> = Vec::new();
    for code in codes {
        let md = metadata(code)?;
        if !valid_name(&md.name) {
            return Err(BAD_NAME.into());
        }
        if !md.engine.eq_ignore_ascii_case(b"lua") {
            return Err(format!(
                "Engine '{}' not found",
                String::from_utf8_lossy(&md.engine)
            ));
        }
        if libs.iter().any(|l| l.name == md.name) {
            return Err(format!(
                "Library '{}' already exists",
                String::from_utf8_lossy(&md.name)
            ));
        }
        let lib = create(server, &md, code, now)?;
        if let Some(f) = lib.functions.iter().find(|f| {
            libs.iter()
                .flat_map(|l| &l.functions)
                .any(|g| g.name.eq_ignore_ascii_case(&f.name))
        }) {
            return Err(format!(
                "Function {} already exists",
                String::from_utf8_lossy(&f.name)
            ));
        }
        libs.push(lib);
    }
    let engine = &mut server.scripting_mut().functions;
    if policy == RestorePolicy::Flush {
        engine.flush();
        for lib in libs {
            engine.link(lib);
        }
        return Ok(());
    }
    // `libraryJoin`: existing libraries of the same name are an error (APPEND) or set
    // aside (REPLACE); then no function may collide; on an error everything goes back.
    let mut set_aside = Vec::new();
    for lib in &libs {
        if engine.libraries.contains_key(&lib.name) {
            if policy == RestorePolicy::Append {
                for old in set_aside {
                    engine.link(old);
                }
                return Err(format!(
                    "Library {} already exists",
                    String::from_utf8_lossy(&lib.name)
                ));
            }
            if let Some(old) = engine.unlink(&lib.name) {
                set_aside.push(old);
            }
        }
    }
    let collision = libs
        .iter()
        .find_map(|lib| engine.collision(lib).map(|f| f.name.clone()));
    if let Some(name) = collision {
        for old in set_aside {
            engine.link(old);
        }
        return Err(format!(
            "Function {} already exists",
            String::from_utf8_lossy(&name)
        ));
    }
    for lib in libs {
        engine.link(lib);
    }
    Ok(())
}

/// Replace every library with these codes (a snapshot's, dump.rdb's), loading what loads;
/// how many failed.
pub fn replace_all(server: &mut Server, codes: &[Vec<u8>], now: Ms) -> usize {
    server.scripting_mut().functions.flush();
    let mut failed = 0;
    for code in codes {
        if load(server, code, true, now).is_err() {
            failed += 1;
        }
    }
    failed
}

// ---- redis.register_function ----

fn raise(text: &str) -> LuaError {
    LuaError::Value(Value::Table(super::convert::error_table(text.as_bytes())))
}

/// A string argument as `luaGetStringSds` reads it (a number is written as text).
fn string_of(v: &Value) -> Option<Vec<u8>> {
    match v {
        Value::Str(_) | Value::Num(_) => v.to_lua_str().map(|s| s.as_bytes().to_vec()),
        _ => None,
    }
}

/// The flags of a `flags` table (`luaRegisterFunctionReadFlags`).
fn read_flags(t: &TableRef) -> Result<ScriptFlags, ()> {
    let mut flags = ScriptFlags::NONE;
    for i in 1.. {
        let v = t.get_int(i);
        if v.is_nil() {
            break;
        }
        let name = string_of(&v).ok_or(())?;
        flags = flags.with(ScriptFlags::by_name(&name, true).ok_or(())?);
    }
    Ok(flags)
}

/// `redis.register_function(name, callback)` or `redis.register_function{function_name=…,
/// callback=…, flags=…, description=…}`, while FUNCTION LOAD runs a library.
pub fn register_function(load: &mut LoadCtx, args: &[Value]) -> Result<(), LuaError> {
    let f = match args {
        [one] => named_args(one)?,
        [name, callback] => {
            let name = string_of(name).ok_or_else(|| {
                raise("first argument to redis.register_function must be a string")
            })?;
            if !matches!(callback, Value::Func(_)) {
                return Err(raise(
                    "second argument to redis.register_function must be a function",
                ));
            }
            Function {
                name,
                desc: None,
                flags: ScriptFlags::NONE,
                callback: callback.clone(),
            }
        }
        _ => {
            return Err(raise(
                "wrong number of arguments to redis.register_function",
            ))
        }
    };
    if !valid_name(&f.name) {
        return Err(raise(BAD_NAME));
    }
    if load.functions.iter().any(|g| g.name == f.name) {
        return Err(raise("Function already exists in the library"));
    }
    load.functions.push(f);
    Ok(())
}

fn named_args(v: &Value) -> Result<Function, LuaError> {
    let Value::Table(t) = v else {
        return Err(raise("calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments)."));
    };
    let (mut name, mut desc, mut callback, mut flags) = (None, None, None, ScriptFlags::NONE);
    let mut k = Value::Nil;
    while let Ok(Some((key, value))) = t.next(&k) {
        let Some(kname) = string_of(&key) else {
            return Err(raise(
                "named argument key given to redis.register_function is not a string",
            ));
        };
        if kname.eq_ignore_ascii_case(b"function_name") {
            name = Some(string_of(&value).ok_or_else(|| {
                raise("function_name argument given to redis.register_function must be a string")
            })?);
        } else if kname.eq_ignore_ascii_case(b"description") {
            desc = Some(string_of(&value).ok_or_else(|| {
                raise("description argument given to redis.register_function must be a string")
            })?);
        } else if kname.eq_ignore_ascii_case(b"callback") {
            if !matches!(value, Value::Func(_)) {
                return Err(raise(
                    "callback argument given to redis.register_function must be a function",
                ));
            }
            callback = Some(value.clone());
        } else if kname.eq_ignore_ascii_case(b"flags") {
            let Value::Table(ft) = &value else {
                return Err(raise("flags argument to redis.register_function must be a table representing function flags"));
            };
            flags = read_flags(ft).map_err(|_| raise("unknown flag given"))?;
        } else {
            return Err(raise("unknown argument given to redis.register_function"));
        }
        k = key;
    }
    let name =
        name.ok_or_else(|| raise("redis.register_function must get a function name argument"))?;
    let callback =
        callback.ok_or_else(|| raise("redis.register_function must get a callback argument"))?;
    Ok(Function {
        name,
        desc,
        flags,
        callback,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shebangs_read_as_redis_reads_them() {
        let md = metadata(b"#!lua name=mylib\nreturn 1").ok().unwrap();
        assert_eq!(md.engine, b"lua");
        assert_eq!(md.name, b"mylib");
        assert_eq!(md.code, b"\nreturn 1");
        let err = |p: &[u8]| metadata(p).err().unwrap();
        assert_eq!(err(b"return 1"), "Missing library metadata");
        assert_eq!(err(b"#!lua"), "Invalid library metadata");
        assert_eq!(err(b"#!lua\nx"), "Library name was not given");
        assert_eq!(
            err(b"#!lua name=a name=b\n"),
            "Invalid metadata value, name argument was given multiple times"
        );
        assert_eq!(
            err(b"#!lua foo=bar\n"),
            "Invalid metadata value given: foo=bar"
        );
        assert_eq!(err(b"#!lua name=\"x\n"), "Invalid library metadata");
        assert!(metadata(b"#!lua NAME=x\r\n").is_ok());
        assert!(valid_name(b"a_1"));
        assert!(!valid_name(b"a-1"));
        assert!(!valid_name(b""));
    }
}
