//! Lua 5.1's base library, as Redis loads it (without `loadstring`, `dofile`, `loadfile`).

use crate::args::{arg, arg_error, check_any, check_int, check_table, opt_int};
use crate::value::{LuaError, LuaResult, NativeFn, Value};
use crate::vm::{Ctx, Vm};

/// The VM runs these two itself (so the protected function can yield); the pointers
/// tell it which natives they are.
pub const PCALL: NativeFn = pcall;
pub const XPCALL: NativeFn = xpcall;

pub fn open(vm: &mut Vm) {
    let g = vm.globals.clone();
    let fns: &[(&'static str, NativeFn)] = &[
        ("assert", assert),
        ("error", error),
        ("pcall", pcall),
        ("xpcall", xpcall),
        ("select", select),
        ("type", type_),
        ("tostring", tostring),
        ("tonumber", tonumber),
        ("ipairs", ipairs),
        ("pairs", pairs),
        ("next", next),
        ("rawget", rawget),
        ("rawset", rawset),
        ("rawequal", rawequal),
        ("setmetatable", setmetatable),
        ("getmetatable", getmetatable),
        ("unpack", unpack),
        ("collectgarbage", collectgarbage),
        ("gcinfo", gcinfo),
        ("print", print),
        ("getfenv", getfenv),
        ("setfenv", setfenv),
        ("loadstring", loadstring),
        ("load", load),
    ];
    for (name, f) in fns {
        g.set_str(name, Value::native(name, *f));
    }
    g.set_str("_G", Value::Table(g.clone()));
    g.set_str("_VERSION", Value::str("Lua 5.1"));
}

fn one(v: Value) -> LuaResult<Vec<Value>> {
    Ok(vec![v])
}

fn assert(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let v = check_any(ctx, &args, 1)?;
    if v.truthy() {
        return Ok(args);
    }
    match args.get(1) {
        Some(m) => match m.to_lua_str() {
            Some(s) => Err(LuaError::Msg(s.to_str_lossy())),
            None => Err(arg_error(
                ctx,
                2,
                &format!("string expected, got {}", m.type_name()),
            )),
        },
        None => Err(LuaError::msg("assertion failed!")),
    }
}

/// `error(v [, level])`: a string message gets the position of the function `level`
/// calls up (1: the caller of error).
fn error(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let v = arg(&args, 1);
    let level = opt_int(ctx, &args, 2, 1)?;
    // numbers are strings here too (lua_isstring), so they get the position as well
    if let Some(s) = v.to_lua_str() {
        if level > 0 {
            let mut m = ctx.vm.where_(level as usize).into_bytes();
            m.extend_from_slice(s.as_bytes());
            return Err(LuaError::Value(Value::bytes(&m)));
        }
    }
    Err(LuaError::Value(v))
}

/// Reached only when called other than by the VM's call instruction.
fn pcall(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let f = check_any(ctx, &args, 1)?;
    match ctx.call(&f, args[1..].to_vec()) {
        Ok(mut v) => {
            v.insert(0, Value::Bool(true));
            Ok(v)
        }
        Err(LuaError::Abort(a)) => Err(LuaError::Abort(a)),
        Err(LuaError::Value(e)) => Ok(vec![Value::Bool(false), e]),
        Err(LuaError::Msg(m)) => Ok(vec![Value::Bool(false), Value::str(&m)]),
    }
}

/// Reached only when called other than by the VM's call instruction.
fn xpcall(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let f = arg(&args, 1);
    let h = check_any(ctx, &args, 2)?;
    match ctx.call(&f, Vec::new()) {
        Ok(mut v) => {
            v.insert(0, Value::Bool(true));
            Ok(v)
        }
        Err(LuaError::Abort(a)) => Err(LuaError::Abort(a)),
        Err(e) => {
            let msg = match e {
                LuaError::Value(v) => v,
                LuaError::Msg(m) => Value::str(&m),
                LuaError::Abort(_) => Value::Nil,
            };
            let r = ctx.call(&h, vec![msg])?;
            Ok(vec![
                Value::Bool(false),
                r.into_iter().next().unwrap_or(Value::Nil),
            ])
        }
    }
}

fn select(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    // positions count the index argument itself, as Lua's stack does
    let n = args.len() as i64;
    if let Some(Value::Str(s)) = args.first() {
        if s.as_bytes().first() == Some(&b'#') {
            return one(Value::Num((n - 1) as f64));
        }
    }
    let mut i = check_int(ctx, &args, 1)?;
    if i < 0 {
        i += n;
    } else if i > n {
        i = n;
    }
    if i < 1 {
        return Err(arg_error(ctx, 1, "index out of range"));
    }
    Ok(args[i as usize..].to_vec())
}

fn type_(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let v = check_any(ctx, &args, 1)?;
    one(Value::str(v.type_name()))
}

fn tostring(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let v = check_any(ctx, &args, 1)?;
    let s = ctx.tostring(&v)?;
    one(Value::Str(s))
}

fn tonumber(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let base = opt_int(ctx, &args, 2, 10)?;
    if base == 10 {
        let v = check_any(ctx, &args, 1)?;
        return one(match v.to_number() {
            Some(n) => Value::Num(n),
            None => Value::Nil,
        });
    }
    let s = crate::args::check_str(ctx, &args, 1)?;
    if !(2..=36).contains(&base) {
        return Err(arg_error(ctx, 2, "base out of range"));
    }
    one(match strtoul(s.as_bytes(), base as u32) {
        Some(n) => Value::Num(n),
        None => Value::Nil,
    })
}

/// C's `strtoul` in a base, with only spaces after (tonumber with a base).
fn strtoul(s: &[u8], base: u32) -> Option<f64> {
    let t = s
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map(|i| &s[i..])
        .unwrap_or(&[]);
    let (neg, t) = match t.first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let t = if base == 16 && (t.starts_with(b"0x") || t.starts_with(b"0X")) {
        &t[2..]
    } else {
        t
    };
    let mut n: u64 = 0;
    let mut digits = 0;
    let mut i = 0;
    while i < t.len() {
        let Some(d) = (t[i] as char).to_digit(base) else {
            break;
        };
        n = n.saturating_mul(base as u64).saturating_add(d as u64);
        digits += 1;
        i += 1;
    }
    if digits == 0 || !t[i..].iter().all(|b| b.is_ascii_whitespace()) {
        return None;
    }
    // strtoul negates in unsigned arithmetic; Lua then reads the result as a double
    let v = if neg { n.wrapping_neg() } else { n };
    Some(v as f64)
}

fn ipairs_aux(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let t = check_table(ctx, &args, 1)?;
    let i = check_int(ctx, &args, 2)? + 1;
    let v = t.get_int(i);
    if v.is_nil() {
        return Ok(Vec::new());
    }
    Ok(vec![Value::Num(i as f64), v])
}

fn ipairs(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let t = check_table(ctx, &args, 1)?;
    Ok(vec![
        Value::native("ipairs_aux", ipairs_aux),
        Value::Table(t),
        Value::Num(0.0),
    ])
}

fn next(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let t = check_table(ctx, &args, 1)?;
    match t.next(&arg(&args, 2))? {
        Some((k, v)) => Ok(vec![k, v]),
        None => one(Value::Nil),
    }
}

fn pairs(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let t = check_table(ctx, &args, 1)?;
    Ok(vec![
        Value::native("next", next),
        Value::Table(t),
        Value::Nil,
    ])
}

fn rawget(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let t = check_table(ctx, &args, 1)?;
    let k = check_any(ctx, &args, 2)?;
    one(t.get(&k))
}

fn rawset(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let t = check_table(ctx, &args, 1)?;
    let k = check_any(ctx, &args, 2)?;
    let v = check_any(ctx, &args, 3)?;
    if t.readonly() {
        return Err(readonly_error());
    }
    t.set(k, v)?;
    one(Value::Table(t))
}

fn rawequal(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let a = check_any(ctx, &args, 1)?;
    let b = check_any(ctx, &args, 2)?;
    one(Value::Bool(a.raw_eq(&b)))
}

fn setmetatable(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let t = check_table(ctx, &args, 1)?;
    let mt = match args.get(1) {
        Some(Value::Nil) => None,
        Some(Value::Table(m)) => Some(m.clone()),
        _ => return Err(arg_error(ctx, 2, "nil or table expected")),
    };
    if let Some(old) = t.metatable() {
        if !old.get_str("__metatable").is_nil() {
            return Err(LuaError::msg("cannot change a protected metatable"));
        }
    }
    if t.readonly() {
        return Err(readonly_error());
    }
    t.set_metatable(mt);
    one(Value::Table(t))
}

fn getmetatable(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let v = check_any(ctx, &args, 1)?;
    let mt = match &v {
        Value::Table(t) => t.metatable(),
        Value::Str(_) => ctx.vm.string_meta.clone(),
        _ => None,
    };
    match mt {
        None => one(Value::Nil),
        Some(m) => {
            let protected = m.get_str("__metatable");
            if protected.is_nil() {
                one(Value::Table(m))
            } else {
                one(protected)
            }
        }
    }
}

/// Lua 5.1 can push about 8000 values from a C function (LUAI_MAXCSTACK).
const MAX_RESULTS: i64 = 7999;

fn unpack(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let t = check_table(ctx, &args, 1)?;
    let i = opt_int(ctx, &args, 2, 1)?;
    let e = match args.get(2) {
        None | Some(Value::Nil) => t.len() as i64,
        _ => check_int(ctx, &args, 3)?,
    };
    if i > e {
        return Ok(Vec::new());
    }
    let n = e.saturating_sub(i).saturating_add(1);
    if n <= 0 || n > MAX_RESULTS {
        return Err(LuaError::msg("too many results to unpack"));
    }
    Ok((i..=e).map(|k| t.get_int(k)).collect())
}

fn collectgarbage(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let opt = crate::args::opt_str(ctx, &args, 1, "collect")?;
    match opt.as_bytes() {
        b"count" => one(Value::Num(0.0)),
        b"collect" | b"stop" | b"restart" | b"step" | b"setpause" | b"setstepmul" => {
            one(Value::Num(0.0))
        }
        _ => Err(arg_error(
            ctx,
            1,
            &format!("invalid option '{}'", opt.to_str_lossy()),
        )),
    }
}

fn gcinfo(_ctx: &mut Ctx<'_>, _args: Vec<Value>) -> LuaResult<Vec<Value>> {
    one(Value::Num(0.0))
}

/// Redis's server log gets what `print` writes; here it goes nowhere.
fn print(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    for a in &args {
        ctx.tostring(a)?;
    }
    Ok(Vec::new())
}

fn getfenv(ctx: &mut Ctx<'_>, _args: Vec<Value>) -> LuaResult<Vec<Value>> {
    one(Value::Table(ctx.vm.globals.clone()))
}

fn setfenv(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let _ = check_table(ctx, &args, 2)?;
    Err(LuaError::msg(
        "'setfenv' cannot change environment of given object",
    ))
}

/// The name Lua 5.1 shows for a chunk (luaO_chunkid) in `size` bytes: `=name` as is,
/// `@file`, else `[string "first line"]` cut with `...` (syntax errors use 80 bytes,
/// run-time positions 60).
pub fn chunk_id(name: &[u8], size: usize) -> String {
    if let Some(rest) = name.strip_prefix(b"=") {
        return String::from_utf8_lossy(&rest[..rest.len().min(size - 1)]).into_owned();
    }
    if let Some(rest) = name.strip_prefix(b"@") {
        return String::from_utf8_lossy(rest).into_owned();
    }
    let line = name
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .unwrap_or(name.len());
    let cut = line.min(size - 17);
    let shown = String::from_utf8_lossy(&name[..cut]);
    if cut < name.len() {
        format!("[string \"{shown}...\"]")
    } else {
        format!("[string \"{shown}\"]")
    }
}

/// Compiles text into a function (nil and the message when it doesn't compile).
fn compile_chunk(ctx: &mut Ctx<'_>, src: &[u8], name: &[u8]) -> LuaResult<Vec<Value>> {
    if src.first() == Some(&0x1b) {
        // precompiled chunks are refused, as Redis refuses them
        return Ok(vec![
            Value::Nil,
            Value::str("binary chunks are not supported"),
        ]);
    }
    match ctx
        .vm
        .load_as(src, &chunk_id(name, 80), &chunk_id(name, 60))
    {
        Ok(f) => one(f),
        Err(e) => Ok(vec![Value::Nil, Value::str(&e)]),
    }
}

fn loadstring(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let s = crate::args::check_str(ctx, &args, 1)?;
    let name = crate::args::opt_str(ctx, &args, 2, "")?;
    let name = if matches!(args.get(1), None | Some(Value::Nil)) {
        s.clone()
    } else {
        name
    };
    compile_chunk(ctx, s.as_bytes(), name.as_bytes())
}

/// `load(f [, name])`: the pieces `f` returns, until nil or "", make the chunk.
fn load(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let f = crate::args::check_function(ctx, &args, 1)?;
    let name = crate::args::opt_str(ctx, &args, 2, "=(load)")?;
    let mut src = Vec::new();
    loop {
        let piece = ctx.call(&f, Vec::new())?;
        match piece.into_iter().next() {
            None | Some(Value::Nil) => break,
            Some(Value::Str(s)) if s.is_empty() => break,
            Some(Value::Str(s)) => src.extend_from_slice(s.as_bytes()),
            Some(_) => {
                return Ok(vec![
                    Value::Nil,
                    Value::str("reader function must return a string"),
                ])
            }
        }
    }
    compile_chunk(ctx, &src, name.as_bytes())
}

/// Redis's read-only tables refuse `rawset` and `setmetatable` inside the C function: the
/// message has no position.
fn readonly_error() -> LuaError {
    LuaError::Value(Value::str("Attempt to modify a readonly table"))
}
