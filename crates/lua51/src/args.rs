//! Reading a native function's arguments with the Lua 5.1 auxiliary library's errors
//! (`bad argument #1 to 'rep' (number expected, got no value)`).

use crate::value::{LuaError, LuaResult, LuaStr, TableRef, Value};
use crate::vm::Ctx;

/// `bad argument #n to 'name' (msg)`.
/// The function is named as its call site names it (`string.rep` → `'rep'`, a local
/// `f` → `'f'`, from another native → `'?'`); a method call doesn't count `self`.
pub fn arg_error(ctx: &Ctx<'_>, n: usize, msg: &str) -> LuaError {
    let (method, name) = ctx.site();
    if method {
        if n == 1 {
            return LuaError::Msg(format!("calling '{name}' on bad self ({msg})"));
        }
        return LuaError::Msg(format!("bad argument #{} to '{name}' ({msg})", n - 1));
    }
    LuaError::Msg(format!("bad argument #{n} to '{name}' ({msg})"))
}

fn type_error(ctx: &Ctx<'_>, args: &[Value], n: usize, expected: &str) -> LuaError {
    let got = match args.get(n - 1) {
        None => "no value",
        Some(v) => v.type_name(),
    };
    arg_error(ctx, n, &format!("{expected} expected, got {got}"))
}

/// Argument `n` (1-based), nil when absent.
pub fn arg(args: &[Value], n: usize) -> Value {
    args.get(n - 1).cloned().unwrap_or(Value::Nil)
}

/// `luaL_checkany`: present (nil is fine, absent is not).
pub fn check_any(ctx: &Ctx<'_>, args: &[Value], n: usize) -> LuaResult<Value> {
    match args.get(n - 1) {
        Some(v) => Ok(v.clone()),
        None => Err(arg_error(ctx, n, "value expected")),
    }
}

/// `luaL_checknumber`: a number or a string that reads as one.
pub fn check_number(ctx: &Ctx<'_>, args: &[Value], n: usize) -> LuaResult<f64> {
    match args.get(n - 1).and_then(Value::to_number) {
        Some(x) => Ok(x),
        None => Err(type_error(ctx, args, n, "number")),
    }
}

/// `luaL_checkinteger`: a number truncated toward zero.
pub fn check_int(ctx: &Ctx<'_>, args: &[Value], n: usize) -> LuaResult<i64> {
    check_number(ctx, args, n).map(num_to_int)
}

/// `luaL_optnumber`.
pub fn opt_number(ctx: &Ctx<'_>, args: &[Value], n: usize, default: f64) -> LuaResult<f64> {
    match args.get(n - 1) {
        None | Some(Value::Nil) => Ok(default),
        _ => check_number(ctx, args, n),
    }
}

/// `luaL_optinteger`.
pub fn opt_int(ctx: &Ctx<'_>, args: &[Value], n: usize, default: i64) -> LuaResult<i64> {
    match args.get(n - 1) {
        None | Some(Value::Nil) => Ok(default),
        _ => check_int(ctx, args, n),
    }
}

/// `luaL_checklstring`: a string, or a number written as text.
pub fn check_str(ctx: &Ctx<'_>, args: &[Value], n: usize) -> LuaResult<LuaStr> {
    match args.get(n - 1).and_then(Value::to_lua_str) {
        Some(s) => Ok(s),
        None => Err(type_error(ctx, args, n, "string")),
    }
}

/// `luaL_optlstring`.
pub fn opt_str(ctx: &Ctx<'_>, args: &[Value], n: usize, default: &str) -> LuaResult<LuaStr> {
    match args.get(n - 1) {
        None | Some(Value::Nil) => Ok(LuaStr::from(default)),
        _ => check_str(ctx, args, n),
    }
}

/// `luaL_checktype(L, n, LUA_TTABLE)`.
pub fn check_table(ctx: &Ctx<'_>, args: &[Value], n: usize) -> LuaResult<TableRef> {
    match args.get(n - 1) {
        Some(Value::Table(t)) => Ok(t.clone()),
        _ => Err(type_error(ctx, args, n, "table")),
    }
}

/// A function argument.
pub fn check_function(ctx: &Ctx<'_>, args: &[Value], n: usize) -> LuaResult<Value> {
    match args.get(n - 1) {
        Some(v @ Value::Func(_)) => Ok(v.clone()),
        _ => Err(type_error(ctx, args, n, "function")),
    }
}

/// Lua 5.1 on x86-64 converts a double to an integer by truncation (a C cast); values
/// out of range become the minimum integer, as the cast does there.
pub fn num_to_int(x: f64) -> i64 {
    if x.is_nan() || !(-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&x) {
        i64::MIN
    } else {
        x as i64
    }
}
