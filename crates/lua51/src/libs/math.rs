//! Lua 5.1's `math` library as Redis opens it (lmathlib.c), with Redis's own
//! `math.random` and `math.randomseed` (script_lua.c, rand.c).
//!
//! Redis replaces libc's `rand` with a copy of `drand48` (48-bit linear congruential
//! generator, `X = 0x5DEECE66D * X + 0xB mod 2^48`) whose state is one global of the
//! server process: it starts at drand48's default seed when the server starts, is never
//! reseeded by Redis itself in 7.0, and carries on from one script to the next (a fresh
//! server's first `math.random(100)` is 40, the next script's is 85). `randomseed(n)`
//! reseeds it for every later script too. Here that state is a thread-local (one server
//! per thread, as one server per process there); `rand_state`/`set_rand_state` let the
//! host save and restore it.

use std::cell::Cell;

use crate::args::{arg_error, check_int, check_number};
use crate::value::{LuaError, LuaResult, TableRef, Value};
use crate::vm::{Ctx, Vm};

/// drand48's state after `srand48` was never called: x = {0x330E, 0xABCD, 0x1234}.
pub const RAND_INITIAL: u64 = 0x1234_ABCD_330E;
const RAND_A: u64 = 0x5_DEEC_E66D;
const RAND_C: u64 = 0xB;
const RAND_MASK: u64 = (1 << 48) - 1;
/// REDIS_LRAND48_MAX (INT32_MAX).
const LRAND48_MAX: i64 = i32::MAX as i64;

thread_local! {
    static RAND: Cell<u64> = const { Cell::new(RAND_INITIAL) };
}

/// The generator's 48-bit state (to keep it across a server restart in the same thread,
/// or to give each simulated server its own).
pub fn rand_state() -> u64 {
    RAND.with(Cell::get)
}

/// Sets the generator's state (`RAND_INITIAL` is a freshly started server's).
pub fn set_rand_state(x: u64) {
    RAND.with(|r| r.set(x & RAND_MASK));
}

/// `redisLrand48`: steps the generator and returns its top 31 bits.
fn lrand48() -> i64 {
    RAND.with(|r| {
        let x = r.get().wrapping_mul(RAND_A).wrapping_add(RAND_C) & RAND_MASK;
        r.set(x);
        (x >> 17) as i64
    })
}

/// `redisSrand48`: the seed's 32 bits above drand48's fixed low word.
fn srand48(seed: i32) {
    set_rand_state(((seed as u32 as u64) << 16) | 0x330E);
}

/// `luaL_checkint`: `luaL_checkinteger` cast to a C int (the low 32 bits).
fn check_cint(ctx: &Ctx<'_>, args: &[Value], n: usize) -> LuaResult<i32> {
    check_int(ctx, args, n).map(|i| i as i32)
}

fn one(x: f64) -> LuaResult<Vec<Value>> {
    Ok(vec![Value::Num(x)])
}

/// Natives of one number argument: `math.name(x)` is `f(x)`.
macro_rules! unary {
    ($($fname:ident => $f:expr;)*) => {
        $(
            fn $fname(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
                let f: fn(f64) -> f64 = $f;
                one(f(check_number(ctx, &args, 1)?))
            }
        )*
    };
}

/// PI as lmathlib.c spells it, and its degree factor computed the same way.
const PI: f64 = std::f64::consts::PI;
const RADIANS_PER_DEGREE: f64 = PI / 180.0;

unary! {
    math_abs => f64::abs;
    math_sin => f64::sin;
    math_sinh => f64::sinh;
    math_cos => f64::cos;
    math_cosh => f64::cosh;
    math_tan => f64::tan;
    math_tanh => f64::tanh;
    math_asin => f64::asin;
    math_acos => f64::acos;
    math_atan => f64::atan;
    math_ceil => f64::ceil;
    math_floor => f64::floor;
    math_sqrt => f64::sqrt;
    math_log => f64::ln;
    math_log10 => f64::log10;
    math_exp => f64::exp;
    math_deg => |x| x / RADIANS_PER_DEGREE;
    math_rad => |x| x * RADIANS_PER_DEGREE;
}

fn math_atan2(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let y = check_number(ctx, &args, 1)?;
    let x = check_number(ctx, &args, 2)?;
    one(y.atan2(x))
}

fn math_fmod(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let a = check_number(ctx, &args, 1)?;
    let b = check_number(ctx, &args, 2)?;
    // Rust's `%` on doubles is C's fmod
    one(a % b)
}

fn math_pow(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let a = check_number(ctx, &args, 1)?;
    let b = check_number(ctx, &args, 2)?;
    one(a.powf(b))
}

/// C's `modf`: the integral part and the fraction, both with x's sign.
fn modf(x: f64) -> (f64, f64) {
    if x.is_infinite() {
        return (x, 0.0f64.copysign(x));
    }
    let ip = x.trunc();
    ((ip), (x - ip).copysign(x))
}

fn math_modf(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let (ip, fp) = modf(check_number(ctx, &args, 1)?);
    Ok(vec![Value::Num(ip), Value::Num(fp)])
}

/// C's `frexp`: x = m * 2^e with 0.5 <= |m| < 1 (zero, inf and nan come back as they are).
pub fn frexp(x: f64) -> (f64, i32) {
    if x == 0.0 || !x.is_finite() {
        return (x, 0);
    }
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    if exp == 0 {
        // subnormal: scale into the normal range first
        let (m, e) = frexp(x * f64::from_bits(0x43f0_0000_0000_0000)); // 2^64
        return (m, e - 64);
    }
    let m = f64::from_bits((bits & !(0x7ffu64 << 52)) | (1022u64 << 52));
    (m, exp - 1022)
}

/// C's `ldexp` (musl's scalbn: at most two multiplications, no double rounding).
pub fn ldexp(mut x: f64, mut n: i32) -> f64 {
    let p1023 = f64::from_bits(0x7fe0_0000_0000_0000); // 2^1023
    let pm969 = f64::from_bits(0x0360_0000_0000_0000); // 2^-1022 * 2^53
    if n > 1023 {
        x *= p1023;
        n -= 1023;
        if n > 1023 {
            x *= p1023;
            n -= 1023;
            n = n.min(1023);
        }
    } else if n < -1022 {
        x *= pm969;
        n += 1022 - 53;
        if n < -1022 {
            x *= pm969;
            n += 1022 - 53;
            n = n.max(-1022);
        }
    }
    x * f64::from_bits(((0x3ff + n) as u64) << 52)
}

fn math_frexp(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let (m, e) = frexp(check_number(ctx, &args, 1)?);
    Ok(vec![Value::Num(m), Value::Num(e as f64)])
}

fn math_ldexp(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let x = check_number(ctx, &args, 1)?;
    let e = check_cint(ctx, &args, 2)?;
    one(ldexp(x, e))
}

fn math_min(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let mut m = check_number(ctx, &args, 1)?;
    for i in 2..=args.len() {
        let d = check_number(ctx, &args, i)?;
        if d < m {
            m = d;
        }
    }
    one(m)
}

fn math_max(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let mut m = check_number(ctx, &args, 1)?;
    for i in 2..=args.len() {
        let d = check_number(ctx, &args, i)?;
        if d > m {
            m = d;
        }
    }
    one(m)
}

/// Redis's `math.random`: draws first (so a call that then fails still moves the
/// sequence on), then scales as lmathlib.c does with C ints.
fn math_random(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let r = (lrand48() % LRAND48_MAX) as f64 / LRAND48_MAX as f64;
    match args.len() {
        0 => one(r),
        1 => {
            let u = check_cint(ctx, &args, 1)?;
            if u < 1 {
                return Err(arg_error(ctx, 1, "interval is empty"));
            }
            one((r * u as f64).floor() + 1.0)
        }
        2 => {
            let l = check_cint(ctx, &args, 1)?;
            let u = check_cint(ctx, &args, 2)?;
            if l > u {
                return Err(arg_error(ctx, 2, "interval is empty"));
            }
            // u-l+1 is a C int sum: it wraps for the widest intervals
            let span = u.wrapping_sub(l).wrapping_add(1);
            one((r * span as f64).floor() + l as f64)
        }
        _ => Err(LuaError::msg("wrong number of arguments")),
    }
}

fn math_randomseed(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    srand48(check_cint(ctx, &args, 1)?);
    Ok(vec![])
}

/// Builds `math` as `luaL_register` does (a table sized for the functions, filled in
/// lmathlib.c's order, then `pi`, `huge` and `mod`), so `pairs(math)` visits its keys
/// in the server's order; Redis then swaps in its `random` and `randomseed`.
pub fn open(vm: &mut Vm) {
    let fns: [(&'static str, crate::value::NativeFn); 28] = [
        ("abs", math_abs),
        ("acos", math_acos),
        ("asin", math_asin),
        ("atan2", math_atan2),
        ("atan", math_atan),
        ("ceil", math_ceil),
        ("cosh", math_cosh),
        ("cos", math_cos),
        ("deg", math_deg),
        ("exp", math_exp),
        ("floor", math_floor),
        ("fmod", math_fmod),
        ("frexp", math_frexp),
        ("ldexp", math_ldexp),
        ("log10", math_log10),
        ("log", math_log),
        ("max", math_max),
        ("min", math_min),
        ("modf", math_modf),
        ("pow", math_pow),
        ("rad", math_rad),
        ("random", math_random),
        ("randomseed", math_randomseed),
        ("sinh", math_sinh),
        ("sin", math_sin),
        ("sqrt", math_sqrt),
        ("tanh", math_tanh),
        ("tan", math_tan),
    ];
    let t = TableRef::new(0, fns.len());
    for (name, f) in fns {
        t.set_str(name, Value::native(name, f));
    }
    t.set_str("pi", Value::Num(PI));
    t.set_str("huge", Value::Num(f64::INFINITY));
    // LUA_COMPAT_MOD: math.mod is the very function math.fmod is
    t.set_str("mod", t.get_str("fmod"));
    vm.globals.set_str("math", Value::Table(t));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::libs::cjson::testkit::check;

    /// Each Lua call with the answer redis-server 7.0.15 gave (random ones seeded first,
    /// so they do not depend on what ran before).
    const CASES: &[(&str, &str)] = &[
        (r#"math.abs(-3)"#, r#"ok 3"#),
        (r#"math.abs(-0)"#, r#"ok 0"#),
        (r#"math.abs('-2')"#, r#"ok 2"#),
        (
            r#"math.abs()"#,
            r#"E:bad argument #1 to 'abs' (number expected, got no value)"#,
        ),
        (
            r#"math.abs('x')"#,
            r#"E:bad argument #1 to 'abs' (number expected, got string)"#,
        ),
        (r#"math.ceil(1.2)"#, r#"ok 2"#),
        (r#"math.ceil(-1.2)"#, r#"ok -1"#),
        (r#"math.ceil(-0.5)"#, r#"ok -0"#),
        (r#"math.floor(-1.2)"#, r#"ok -2"#),
        (r#"math.floor(2^60 + 0.5)"#, r#"ok 1.152921504606847e+18"#),
        (r#"math.sqrt(2)"#, r#"ok 1.4142135623730951"#),
        (r#"math.sqrt(-1)"#, r#"ok -nan"#),
        (r#"math.sin(1)"#, r#"ok 0.8414709848078965"#),
        (r#"math.cos(1)"#, r#"ok 0.54030230586813977"#),
        (r#"math.tan(1)"#, r#"ok 1.5574077246549023"#),
        (r#"math.asin(0.5)"#, r#"ok 0.52359877559829893"#),
        (r#"math.acos(0.5)"#, r#"ok 1.0471975511965979"#),
        (r#"math.atan(1)"#, r#"ok 0.78539816339744828"#),
        (r#"math.atan2(1, -1)"#, r#"ok 2.3561944901923448"#),
        (r#"math.atan2(-0, -1)"#, r#"ok -3.1415926535897931"#),
        (
            r#"math.atan2(1)"#,
            r#"E:bad argument #2 to 'atan2' (number expected, got no value)"#,
        ),
        (r#"math.sinh(1)"#, r#"ok 1.1752011936438014"#),
        (r#"math.cosh(1)"#, r#"ok 1.5430806348152437"#),
        (r#"math.tanh(0.5)"#, r#"ok 0.46211715726000974"#),
        (r#"math.exp(1)"#, r#"ok 2.7182818284590451"#),
        (r#"math.exp(710)"#, r#"ok inf"#),
        (r#"math.log(10)"#, r#"ok 2.3025850929940459"#),
        (r#"math.log(0)"#, r#"ok -inf"#),
        (r#"math.log(-1)"#, r#"ok -nan"#),
        (r#"math.log10(2)"#, r#"ok 0.3010299956639812"#),
        (r#"math.log10(1e-300)"#, r#"ok -300"#),
        (r#"math.pow(2, 0.5)"#, r#"ok 1.4142135623730951"#),
        (r#"math.pow(-8, 1/3)"#, r#"ok -nan"#),
        (r#"math.pow(0, -1)"#, r#"ok inf"#),
        (r#"math.fmod(7, 3)"#, r#"ok 1"#),
        (r#"math.fmod(-7, 3)"#, r#"ok -1"#),
        (r#"math.fmod(7, -3)"#, r#"ok 1"#),
        (r#"math.fmod(7, 0)"#, r#"ok -nan"#),
        (r#"math.fmod(5.5, 2)"#, r#"ok 1.5"#),
        (r#"math.fmod(1/0, 2)"#, r#"ok -nan"#),
        (r#"math.mod(7, 3)"#, r#"ok 1"#),
        (r#"math.modf(3.7)"#, r#"ok 3 0.70000000000000018"#),
        (r#"math.modf(-3.7)"#, r#"ok -3 -0.70000000000000018"#),
        (r#"math.modf(5)"#, r#"ok 5 0"#),
        (r#"math.modf(-5)"#, r#"ok -5 -0"#),
        (r#"math.modf(1/0)"#, r#"ok inf 0"#),
        (r#"math.modf(-1/0)"#, r#"ok -inf -0"#),
        (r#"math.modf(0/0)"#, r#"ok -nan -nan"#),
        (r#"math.frexp(8)"#, r#"ok 0.5 4"#),
        (r#"math.frexp(-3)"#, r#"ok -0.75 2"#),
        (r#"math.frexp(0)"#, r#"ok 0 0"#),
        (r#"math.frexp(1e-310)"#, r#"ok 0.57526180315593933 -1029"#),
        (r#"math.frexp(1/0)"#, r#"ok inf 0"#),
        (r#"math.ldexp(0.5, 4)"#, r#"ok 8"#),
        (r#"math.ldexp(1, 1024)"#, r#"ok inf"#),
        (r#"math.ldexp(1, -1074)"#, r#"ok 4.9406564584124654e-324"#),
        (r#"math.ldexp(1, -1075)"#, r#"ok 0"#),
        (r#"math.ldexp(3, 2.9)"#, r#"ok 12"#),
        (r#"math.ldexp(1, 2^32 + 3)"#, r#"ok 8"#),
        (
            r#"math.ldexp(1)"#,
            r#"E:bad argument #2 to 'ldexp' (number expected, got no value)"#,
        ),
        (r#"math.deg(math.pi)"#, r#"ok 180"#),
        (r#"math.deg(1)"#, r#"ok 57.295779513082323"#),
        (r#"math.rad(180)"#, r#"ok 3.1415926535897931"#),
        (r#"math.rad(1)"#, r#"ok 0.017453292519943295"#),
        (r#"math.min(3, 1, 2)"#, r#"ok 1"#),
        (r#"math.min(1)"#, r#"ok 1"#),
        (
            r#"math.min()"#,
            r#"E:bad argument #1 to 'min' (number expected, got no value)"#,
        ),
        (
            r#"math.min(1, 'x')"#,
            r#"E:bad argument #2 to 'min' (number expected, got string)"#,
        ),
        (r#"math.min(0/0, 1)"#, r#"ok -nan"#),
        (r#"math.min(1, 0/0)"#, r#"ok 1"#),
        (r#"math.max(3, 1, 2)"#, r#"ok 3"#),
        (r#"math.max(-0, 0)"#, r#"ok -0"#),
        (r#"math.max(0, -0)"#, r#"ok 0"#),
        (r#"math.max('10', 9)"#, r#"ok 10"#),
        (r#"math.huge"#, r#"ok inf"#),
        (r#"-math.huge"#, r#"ok -inf"#),
        (r#"math.pi"#, r#"ok 3.1415926535897931"#),
        (
            r#"math.randomseed(42); math.random()"#,
            r#"ok 0.74452500033403046"#,
        ),
        (
            r#"math.randomseed(42); math.random(); math.random(10)"#,
            r#"ok 4"#,
        ),
        (r#"math.randomseed(0); math.random(1, 6)"#, r#"ok 2"#),
        (
            r#"math.randomseed(-1); math.random(1000000)"#,
            r#"ok 300026"#,
        ),
        (r#"math.randomseed(2^31); math.random(100)"#, r#"ok 68"#),
        (r#"math.randomseed(2^32 + 5); math.random(100)"#, r#"ok 53"#),
        (r#"math.randomseed(1.9); math.random(100)"#, r#"ok 5"#),
        (r#"math.randomseed('7'); math.random(-5, 5)"#, r#"ok -3"#),
        (
            r#"math.randomseed()"#,
            r#"E:bad argument #1 to 'randomseed' (number expected, got no value)"#,
        ),
        (
            r#"math.randomseed('x')"#,
            r#"E:bad argument #1 to 'randomseed' (number expected, got string)"#,
        ),
        (
            r#"math.randomseed(7); math.random(0)"#,
            r#"E:bad argument #1 to 'random' (interval is empty)"#,
        ),
        (
            r#"math.randomseed(7); math.random(2^31)"#,
            r#"E:bad argument #1 to 'random' (interval is empty)"#,
        ),
        (
            r#"math.randomseed(7); math.random(2^31 - 1)"#,
            r#"ok 572184556"#,
        ),
        (
            r#"math.randomseed(7); math.random(5, 4)"#,
            r#"E:bad argument #2 to 'random' (interval is empty)"#,
        ),
        (r#"math.randomseed(7); math.random(4, 4)"#, r#"ok 4"#),
        (
            r#"math.randomseed(7); math.random(-2^31, 2^31 - 1)"#,
            r#"ok -2147483648"#,
        ),
        (
            r#"math.randomseed(7); math.random(-2^31 + 1, 2^31 - 1)"#,
            r#"ok -2147483648"#,
        ),
        (
            r#"math.randomseed(7); math.random(1, 2, 3)"#,
            r#"E:wrong number of arguments"#,
        ),
        (r#"math.randomseed(7); math.random(1.9)"#, r#"ok 1"#),
        (r#"math.randomseed(7); math.random('3')"#, r#"ok 1"#),
        (
            r#"math.randomseed(7); math.random(nil)"#,
            r#"E:bad argument #1 to 'random' (number expected, got nil)"#,
        ),
        (
            r#"math.randomseed(7); math.random(1, nil)"#,
            r#"E:bad argument #2 to 'random' (number expected, got nil)"#,
        ),
        (
            r#"math.randomseed(7); math.random({})"#,
            r#"E:bad argument #1 to 'random' (number expected, got table)"#,
        ),
    ];

    #[test]
    fn every_case_answers_as_redis_7_0_15_does() {
        check(CASES);
    }

    fn call(name: &'static str, args: Vec<Value>) -> Result<Vec<Value>, String> {
        let mut vm = Vm::new();
        open(&mut vm);
        let f = vm.globals.get_str("math").as_table().unwrap().get_str(name);
        crate::libs::cjson::testkit::native_call(&mut vm, f, args).map_err(|e| match e {
            LuaError::Msg(m) => m,
            other => format!("{other:?}"),
        })
    }

    fn nums(v: Vec<Value>) -> Vec<f64> {
        v.into_iter()
            .map(|x| match x {
                Value::Num(n) => n,
                other => panic!("not a number: {other:?}"),
            })
            .collect()
    }

    fn n(x: f64) -> Value {
        Value::Num(x)
    }

    #[test]
    fn a_fresh_server_draws_40_then_85_as_redis_7_0_15_does() {
        set_rand_state(RAND_INITIAL);
        let seq: Vec<f64> = (0..3)
            .map(|_| nums(call("random", vec![n(100.0)]).unwrap())[0])
            .collect();
        assert_eq!(seq, vec![40.0, 85.0, 36.0]);
        // the fourth draw as a float, written with %.14g by tostring
        let r = nums(call("random", vec![]).unwrap())[0];
        assert_eq!(crate::value::fmt_number(r), "0.44658343468168");
    }

    /// Sixteen scripts on a freshly started redis-server 7.0.15, each making one call:
    /// random(), random(10), random(5, 15), random(1000000), four times over.
    #[test]
    fn a_fresh_server_continues_one_sequence_across_scripts() {
        set_rand_state(RAND_INITIAL);
        let want = [
            "0.39646477363839039",
            "9",
            "8",
            "446584",
            "0.31869277233197019",
            "9",
            "5",
            "584091",
            "0.15936862638190791",
            "4",
            "12",
            "58859",
            "0.8998543065506287",
            "2",
            "6",
            "533065",
        ];
        let calls: [Vec<Value>; 4] = [
            vec![],
            vec![n(10.0)],
            vec![n(5.0), n(15.0)],
            vec![n(1000000.0)],
        ];
        let got: Vec<String> = (0..16)
            .map(|i| {
                let r = nums(call("random", calls[i % 4].clone()).unwrap())[0];
                crate::value::fmt_g(r, 17)
            })
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn randomseed_restarts_the_sequence_for_later_calls() {
        set_rand_state(RAND_INITIAL);
        call("randomseed", vec![n(7.0)]).unwrap();
        let a = call("random", vec![n(1.0), n(1000.0)]).unwrap();
        call("randomseed", vec![n(7.0)]).unwrap();
        let b = call("random", vec![n(1.0), n(1000.0)]).unwrap();
        assert_eq!(nums(a), nums(b));
    }

    #[test]
    fn random_errors_are_lmathlib_texts_and_still_draw() {
        set_rand_state(RAND_INITIAL);
        let cases: Vec<(Vec<Value>, &str)> = vec![
            (
                vec![n(0.0)],
                "bad argument #1 to 'random' (interval is empty)",
            ),
            (
                vec![n(2f64.powi(40))],
                "bad argument #1 to 'random' (interval is empty)",
            ),
            (
                vec![n(3.0), n(2.0)],
                "bad argument #2 to 'random' (interval is empty)",
            ),
            (vec![n(1.0), n(2.0), n(3.0)], "wrong number of arguments"),
            (
                vec![Value::str("x")],
                "bad argument #1 to 'random' (number expected, got string)",
            ),
        ];
        let before = rand_state();
        for (args, want) in &cases {
            assert_eq!(call("random", args.clone()).unwrap_err(), *want);
        }
        assert_ne!(rand_state(), before);
        // the widest interval wraps u-l+1 to 0 and so always gives l
        assert_eq!(
            nums(call("random", vec![n(-2147483648.0), n(2147483647.0)]).unwrap()),
            vec![-2147483648.0]
        );
    }

    #[test]
    fn number_functions_give_c_results() {
        let cases: Vec<(&'static str, Vec<f64>, Vec<f64>)> = vec![
            ("abs", vec![-3.5], vec![3.5]),
            ("ceil", vec![-0.5], vec![-0.0]),
            ("floor", vec![-0.5], vec![-1.0]),
            ("fmod", vec![7.0, 3.0], vec![1.0]),
            ("fmod", vec![-7.0, 3.0], vec![-1.0]),
            ("modf", vec![3.7], vec![3.0, 3.7 - 3.0]),
            ("modf", vec![-3.0], vec![-3.0, -0.0]),
            ("modf", vec![f64::INFINITY], vec![f64::INFINITY, 0.0]),
            ("frexp", vec![8.0], vec![0.5, 4.0]),
            ("frexp", vec![0.0], vec![0.0, 0.0]),
            ("frexp", vec![5e-324], vec![0.5, -1073.0]),
            ("ldexp", vec![0.5, 4.0], vec![8.0]),
            ("ldexp", vec![1.0, 1024.0], vec![f64::INFINITY]),
            ("ldexp", vec![1.0, -1074.0], vec![5e-324]),
            ("min", vec![3.0, 1.0, 2.0], vec![1.0]),
            ("max", vec![3.0, 1.0, 2.0], vec![3.0]),
            ("pow", vec![2.0, 10.0], vec![1024.0]),
            ("sqrt", vec![16.0], vec![4.0]),
            ("deg", vec![PI], vec![180.0]),
            ("rad", vec![180.0], vec![PI]),
            ("log10", vec![1000.0], vec![3.0]),
            ("atan2", vec![1.0, 1.0], vec![PI / 4.0]),
        ];
        for (name, args, want) in cases {
            let got = nums(call(name, args.iter().map(|&x| n(x)).collect()).unwrap());
            assert_eq!(got.len(), want.len(), "{name}{args:?}");
            for (g, w) in got.iter().zip(&want) {
                assert!(
                    g.to_bits() == w.to_bits(),
                    "{name}{args:?}: got {g:?}, want {w:?}"
                );
            }
        }
    }

    #[test]
    fn the_table_has_lua_5_1s_fields_and_mod_is_fmod() {
        let mut vm = Vm::new();
        open(&mut vm);
        let t = vm.globals.get_str("math");
        let t = t.as_table().unwrap();
        assert!(t.get_str("mod").raw_eq(&t.get_str("fmod")));
        assert!(matches!(t.get_str("huge"), Value::Num(x) if x == f64::INFINITY));
        let mut count = 0;
        let mut k = Value::Nil;
        while let Some((nk, _)) = t.next(&k).unwrap() {
            count += 1;
            k = nk;
        }
        assert_eq!(count, 31);
    }

    #[test]
    fn min_without_arguments_names_the_missing_one() {
        assert_eq!(
            call("min", vec![]).unwrap_err(),
            "bad argument #1 to 'min' (number expected, got no value)"
        );
    }

    /// Random numbers (edges included), strings and other values into every function.
    #[test]
    fn no_argument_makes_a_math_function_panic() {
        let mut rng = crate::libs::cjson::testkit::Rng(0x0bad_f00d_1234_5678);
        let mut vm = crate::libs::cjson::testkit::vm();
        let names = [
            "abs",
            "acos",
            "asin",
            "atan2",
            "atan",
            "ceil",
            "cosh",
            "cos",
            "deg",
            "exp",
            "floor",
            "fmod",
            "frexp",
            "ldexp",
            "log10",
            "log",
            "max",
            "min",
            "modf",
            "pow",
            "rad",
            "random",
            "randomseed",
            "sinh",
            "sin",
            "sqrt",
            "tanh",
            "tan",
            "mod",
        ];
        for _ in 0..20000 {
            let args: Vec<Value> = (0..rng.below(4))
                .map(|_| match rng.below(4) {
                    0 => Value::str(&format!("{}", rng.number())),
                    1 => rng.value(4),
                    _ => Value::Num(rng.number()),
                })
                .collect();
            let name = rng.pick(&names);
            let _ = crate::libs::cjson::testkit::poke(&mut vm, "math", name, args);
        }
    }
}
