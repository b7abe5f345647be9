//! LuaBitOp 1.0.2 (`bit`), as Redis bundles it (lua_bit.c): 32-bit operations on
//! numbers, results signed 32-bit.
//!
//! A number becomes 32 bits as LuaBitOp does it on doubles: add 2^52+2^51 and keep the
//! low word of the sum's bits. That rounds to nearest-even (`tobit(1.5)` is 2,
//! `tobit(0.5)` is 0) and wraps modulo 2^32; inf and nan give 0. Strings that read as
//! numbers are numbers; anything else is `number expected`.

use crate::args::arg_error;
use crate::value::{LuaResult, TableRef, Value};
use crate::vm::{Ctx, Vm};

/// `barg`: argument `idx` as 32 bits.
fn barg(ctx: &Ctx<'_>, args: &[Value], idx: usize) -> LuaResult<u32> {
    let v = args.get(idx - 1);
    let num = v.and_then(Value::to_number);
    let b = (num.unwrap_or(0.0) + 6_755_399_441_055_744.0).to_bits() as u32;
    if b == 0 && num.is_none() {
        let got = v.map_or("no value", Value::type_name);
        return Err(arg_error(ctx, idx, &format!("number expected, got {got}")));
    }
    Ok(b)
}

fn bret(b: u32) -> LuaResult<Vec<Value>> {
    Ok(vec![Value::Num(b as i32 as f64)])
}

fn bit_tobit(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    bret(barg(ctx, &args, 1)?)
}

fn bit_bnot(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    bret(!barg(ctx, &args, 1)?)
}

/// band/bor/bxor: the first argument, then the others from the last one down (which
/// decides which bad argument is reported).
fn fold(ctx: &Ctx<'_>, args: &[Value], op: fn(u32, u32) -> u32) -> LuaResult<Vec<Value>> {
    let mut b = barg(ctx, args, 1)?;
    for i in (2..=args.len()).rev() {
        b = op(b, barg(ctx, args, i)?);
    }
    bret(b)
}

fn bit_band(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    fold(ctx, &args, |a, b| a & b)
}

fn bit_bor(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    fold(ctx, &args, |a, b| a | b)
}

fn bit_bxor(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    fold(ctx, &args, |a, b| a ^ b)
}

/// Shifts and rotations: the count is the second argument's low 5 bits.
fn shift(ctx: &Ctx<'_>, args: &[Value], op: fn(u32, u32) -> u32) -> LuaResult<Vec<Value>> {
    let b = barg(ctx, args, 1)?;
    let n = barg(ctx, args, 2)? & 31;
    bret(op(b, n))
}

fn bit_lshift(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    shift(ctx, &args, |b, n| b << n)
}

fn bit_rshift(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    shift(ctx, &args, |b, n| b >> n)
}

fn bit_arshift(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    shift(ctx, &args, |b, n| ((b as i32) >> n) as u32)
}

fn bit_rol(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    shift(ctx, &args, u32::rotate_left)
}

fn bit_ror(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    shift(ctx, &args, u32::rotate_right)
}

fn bit_bswap(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    bret(barg(ctx, &args, 1)?.swap_bytes())
}

/// `tohex(x [, n])`: the low |n| hex digits (8 when absent), upper case for negative n,
/// never more than 8 (`-2^31`, whose negation overflows, gives 8 too, as on the server).
fn bit_tohex(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let mut b = barg(ctx, &args, 1)?;
    let mut n = if args.len() < 2 {
        8
    } else {
        barg(ctx, &args, 2)? as i32
    };
    let mut digits = b"0123456789abcdef";
    if n < 0 {
        n = n.wrapping_neg();
        digits = b"0123456789ABCDEF";
    }
    let n = if !(0..=8).contains(&n) { 8 } else { n as usize };
    let mut buf = vec![0u8; n];
    for c in buf.iter_mut().rev() {
        *c = digits[(b & 15) as usize];
        b >>= 4;
    }
    Ok(vec![Value::bytes(&buf)])
}

/// Builds `bit` as `luaL_register` does (sized for its 12 functions, in lua_bit.c's order).
pub fn open(vm: &mut Vm) {
    let fns: [(&'static str, crate::value::NativeFn); 12] = [
        ("tobit", bit_tobit),
        ("bnot", bit_bnot),
        ("band", bit_band),
        ("bor", bit_bor),
        ("bxor", bit_bxor),
        ("lshift", bit_lshift),
        ("rshift", bit_rshift),
        ("arshift", bit_arshift),
        ("rol", bit_rol),
        ("ror", bit_ror),
        ("bswap", bit_bswap),
        ("tohex", bit_tohex),
    ];
    let t = TableRef::new(0, fns.len());
    for (name, f) in fns {
        t.set_str(name, Value::native(name, f));
    }
    vm.globals.set_str("bit", Value::Table(t));
}

#[cfg(test)]
mod tests {
    use crate::libs::cjson::testkit::{self, check};
    use crate::value::Value;

    /// Each Lua call with the answer redis-server 7.0.15 gave (`ok` results or `E:`
    /// error as the script sees it in pcall, position stripped).
    const CASES: &[(&str, &str)] = &[
        (r#"bit.tobit(2^31)"#, r#"ok -2147483648"#),
        (r#"bit.tobit(2^32 + 5)"#, r#"ok 5"#),
        (r#"bit.tobit(-1)"#, r#"ok -1"#),
        (r#"bit.tobit(0.5)"#, r#"ok 0"#),
        (r#"bit.tobit(1.5)"#, r#"ok 2"#),
        (r#"bit.tobit(2.5)"#, r#"ok 2"#),
        (r#"bit.tobit(-0.5)"#, r#"ok 0"#),
        (r#"bit.tobit(-1.5)"#, r#"ok -2"#),
        (r#"bit.tobit(2^52 + 3)"#, r#"ok 2"#),
        (r#"bit.tobit(2^53)"#, r#"ok 0"#),
        (r#"bit.tobit(1/0)"#, r#"ok 0"#),
        (r#"bit.tobit(-1/0)"#, r#"ok 0"#),
        (r#"bit.tobit(0/0)"#, r#"ok 0"#),
        (r#"bit.tobit('0x10')"#, r#"ok 16"#),
        (r#"bit.tobit(' 12 ')"#, r#"ok 12"#),
        (
            r#"bit.tobit('x')"#,
            r#"E:bad argument #1 to 'tobit' (number expected, got string)"#,
        ),
        (
            r#"bit.tobit()"#,
            r#"E:bad argument #1 to 'tobit' (number expected, got no value)"#,
        ),
        (
            r#"bit.tobit(nil)"#,
            r#"E:bad argument #1 to 'tobit' (number expected, got nil)"#,
        ),
        (
            r#"bit.tobit({})"#,
            r#"E:bad argument #1 to 'tobit' (number expected, got table)"#,
        ),
        (
            r#"bit.tobit(true)"#,
            r#"E:bad argument #1 to 'tobit' (number expected, got boolean)"#,
        ),
        (r#"bit.bnot(0)"#, r#"ok -1"#),
        (r#"bit.bnot(-1)"#, r#"ok 0"#),
        (r#"bit.bnot(2^31)"#, r#"ok 2147483647"#),
        (r#"bit.band(0xff, 0x0f)"#, r#"ok 15"#),
        (r#"bit.band(-1, 2^31, 2^30 + 2^31)"#, r#"ok -2147483648"#),
        (r#"bit.band(7)"#, r#"ok 7"#),
        (
            r#"bit.band()"#,
            r#"E:bad argument #1 to 'band' (number expected, got no value)"#,
        ),
        (
            r#"bit.band(1, 'x', {})"#,
            r#"E:bad argument #3 to 'band' (number expected, got table)"#,
        ),
        (r#"bit.bor(1, 2, 4, 8)"#, r#"ok 15"#),
        (
            r#"bit.bor()"#,
            r#"E:bad argument #1 to 'bor' (number expected, got no value)"#,
        ),
        (
            r#"bit.bor(1, nil)"#,
            r#"E:bad argument #2 to 'bor' (number expected, got nil)"#,
        ),
        (r#"bit.bxor(0xf0f0, 0xff00)"#, r#"ok 4080"#),
        (r#"bit.bxor(-1, 1, 2)"#, r#"ok -4"#),
        (r#"bit.lshift(1, 31)"#, r#"ok -2147483648"#),
        (r#"bit.lshift(1, 32)"#, r#"ok 1"#),
        (r#"bit.lshift(1, 33)"#, r#"ok 2"#),
        (r#"bit.lshift(1, -1)"#, r#"ok -2147483648"#),
        (
            r#"bit.lshift(3)"#,
            r#"E:bad argument #2 to 'lshift' (number expected, got no value)"#,
        ),
        (r#"bit.rshift(-1, 28)"#, r#"ok 15"#),
        (r#"bit.rshift(2^31, 31)"#, r#"ok 1"#),
        (r#"bit.arshift(-256, 4)"#, r#"ok -16"#),
        (r#"bit.arshift(2^31, 31)"#, r#"ok -1"#),
        (r#"bit.arshift(256, 4)"#, r#"ok 16"#),
        (r#"bit.rol(1, 31)"#, r#"ok -2147483648"#),
        (r#"bit.rol(0x12345678, 8)"#, r#"ok 878082066"#),
        (r#"bit.ror(1, 1)"#, r#"ok -2147483648"#),
        (r#"bit.ror(0x12345678, 36)"#, r#"ok -2128394905"#),
        (r#"bit.bswap(0x12345678)"#, r#"ok 2018915346"#),
        (r#"bit.bswap(-1)"#, r#"ok -1"#),
        (r#"bit.bswap(0x80)"#, r#"ok -2147483648"#),
        (r#"bit.tohex(255)"#, r#"ok "000000ff""#),
        (r#"bit.tohex(-1)"#, r#"ok "ffffffff""#),
        (r#"bit.tohex(255, 2)"#, r#"ok "ff""#),
        (r#"bit.tohex(255, -2)"#, r#"ok "FF""#),
        (r#"bit.tohex(0xabcdef, -8)"#, r#"ok "00ABCDEF""#),
        (r#"bit.tohex(255, 0)"#, r#"ok """#),
        (r#"bit.tohex(255, 20)"#, r#"ok "000000ff""#),
        (r#"bit.tohex(255, -9)"#, r#"ok "000000FF""#),
        (r#"bit.tohex(255, -2^31)"#, r#"ok "000000FF""#),
        (r#"bit.tohex(255, 2^32 + 2)"#, r#"ok "ff""#),
        (
            r#"bit.tohex(1, nil)"#,
            r#"E:bad argument #2 to 'tohex' (number expected, got nil)"#,
        ),
        (
            r#"bit.tohex('ff')"#,
            r#"E:bad argument #1 to 'tohex' (number expected, got string)"#,
        ),
        (r#"bit.tohex(2^32 + 255)"#, r#"ok "000000ff""#),
        (r#"bit.tohex(-1, -3)"#, r#"ok "FFF""#),
    ];

    #[test]
    fn every_case_answers_as_redis_7_0_15_does() {
        check(CASES);
    }

    /// Random numbers (edges included), strings and other values into every function.
    #[test]
    fn no_argument_makes_a_bit_function_panic() {
        let mut rng = testkit::Rng(0xdead_beef_cafe_f00d);
        let mut vm = testkit::vm();
        let names = [
            "tobit", "bnot", "band", "bor", "bxor", "lshift", "rshift", "arshift", "rol", "ror",
            "bswap", "tohex",
        ];
        for _ in 0..20000 {
            let args: Vec<Value> = (0..rng.below(4))
                .map(|_| match rng.below(4) {
                    0 => Value::str(&format!("{}", rng.number())),
                    1 => rng.value(4),
                    _ => Value::Num(rng.number()),
                })
                .collect();
            let _ = testkit::poke(&mut vm, "bit", rng.pick(&names), args);
        }
    }
}
