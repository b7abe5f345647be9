//! Roberto Ierusalimschy's `struct` library as Redis bundles it (lua_struct.c, 2018):
//! `struct.pack`, `struct.unpack` and `struct.size` over binary strings.
//!
//! The format language: `>` big endian, `<` little endian (the default, as on x86-64),
//! `![n]` maximum alignment (8 when n is absent), `x` a zero byte, `b`/`B` char,
//! `h`/`H` short, `l`/`L` long (8 bytes), `T` size_t (8), `i`/`I[n]` an integer of n
//! bytes (4 when absent, at most 32), `f` float, `d` double, `c[n]` n chars (n = 0: the
//! whole string when packing, the previous number when unpacking), `s` a zero-terminated
//! string, spaces ignored. There is no `=`. The format ends at its first zero byte, as a
//! C string does.
//!
//! Conversions follow what the server's C does on x86-64: a negative number goes
//! through a signed 64-bit cast and anything else through an unsigned one (so nan packs
//! as 0x8000000000000000 and inf as 0); integers wider than 8 bytes keep only the low 64
//! bits, and their sign mask is shifted by (8n - 1) mod 64 as the CPU does.

use crate::args::{arg_error, check_number, check_str, num_to_int, opt_int};
use crate::value::{LuaError, LuaResult, TableRef, Value};
use crate::vm::{Ctx, Vm};

/// Largest integer size, in bytes.
const MAXINTSIZE: i32 = 32;
/// Default `!` alignment: a double's, on x86-64.
const MAXALIGN: i32 = 8;
/// LUAI_MAXCSTACK: how many stack slots a C function may use.
const MAXCSTACK: usize = 8000;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Endian {
    Big,
    Little,
}

struct Header {
    endian: Endian,
    align: usize,
}

impl Header {
    fn new() -> Header {
        Header {
            endian: Endian::Little,
            align: 1,
        }
    }
}

/// A format being read: its bytes up to the first zero, and a position.
struct Fmt<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Fmt<'a> {
    fn new(s: &'a [u8]) -> Fmt<'a> {
        let end = s.iter().position(|&b| b == 0).unwrap_or(s.len());
        Fmt { s: &s[..end], i: 0 }
    }
    fn peek(&self) -> u8 {
        self.s.get(self.i).copied().unwrap_or(0)
    }
    fn next(&mut self) -> Option<u8> {
        let c = self.s.get(self.i).copied()?;
        self.i += 1;
        Some(c)
    }

    /// `getnum`: a decimal number at the current position, or `df`.
    fn getnum(&mut self, df: i32) -> LuaResult<i32> {
        if !self.peek().is_ascii_digit() {
            return Ok(df);
        }
        let mut a: i32 = 0;
        while self.peek().is_ascii_digit() {
            let d = (self.peek() - b'0') as i32;
            if a > i32::MAX / 10 || a * 10 > i32::MAX - d {
                return Err(LuaError::msg("integral size overflow"));
            }
            a = a * 10 + d;
            self.i += 1;
        }
        Ok(a)
    }

    /// `optsize`: the size of option `opt` (0 for options that take no room).
    fn optsize(&mut self, opt: u8) -> LuaResult<usize> {
        Ok(match opt {
            b'B' | b'b' => 1,
            b'H' | b'h' => 2,
            b'L' | b'l' | b'T' | b'd' => 8,
            b'f' => 4,
            b'x' => 1,
            b'c' => self.getnum(1)? as usize,
            b'i' | b'I' => {
                let sz = self.getnum(4)?;
                if sz > MAXINTSIZE {
                    return Err(LuaError::msg(format!(
                        "integral size {sz} is larger than limit of {MAXINTSIZE}"
                    )));
                }
                sz as usize
            }
            _ => 0,
        })
    }

    /// `controloptions`: endianness, alignment, spaces; anything else is an error.
    fn control(&mut self, ctx: &Ctx<'_>, opt: u8, h: &mut Header) -> LuaResult<()> {
        match opt {
            b' ' => Ok(()),
            b'>' => {
                h.endian = Endian::Big;
                Ok(())
            }
            b'<' => {
                h.endian = Endian::Little;
                Ok(())
            }
            b'!' => {
                let a = self.getnum(MAXALIGN)?;
                if a <= 0 || a & (a - 1) != 0 {
                    return Err(LuaError::msg(format!("alignment {a} is not a power of 2")));
                }
                h.align = a as usize;
                Ok(())
            }
            _ => {
                let mut msg = b"invalid format option '".to_vec();
                msg.extend_from_slice(&[opt, b'\'']);
                Err(arg_error_bytes(ctx, 1, &msg))
            }
        }
    }
}

/// `luaL_argerror` for a message that may hold any bytes (a format option or an
/// option name as the script wrote it). Text that is not UTF-8 cannot be a
/// `LuaError::Msg`, so it is raised as a value with the position the VM would add.
pub(crate) fn arg_error_bytes(ctx: &Ctx<'_>, n: usize, msg: &[u8]) -> LuaError {
    match std::str::from_utf8(msg) {
        Ok(m) => arg_error(ctx, n, m),
        Err(_) => {
            let mut text = ctx.vm.where_(1).into_bytes();
            text.extend_from_slice(format!("bad argument #{n} to '{}' (", ctx.name()).as_bytes());
            text.extend_from_slice(msg);
            text.push(b')');
            LuaError::Value(Value::bytes(&text))
        }
    }
}

/// `gettoalign`: padding needed before an item of `size` at `len`.
fn gettoalign(len: usize, h: &Header, opt: u8, size: usize) -> usize {
    if size == 0 || opt == b'c' {
        return 0;
    }
    let size = size.min(h.align);
    (size.wrapping_sub(len & (size - 1))) & (size - 1)
}

fn is_int_option(opt: u8) -> bool {
    matches!(
        opt,
        b'b' | b'B' | b'h' | b'H' | b'l' | b'L' | b'T' | b'i' | b'I'
    )
}

/// A C cast of a double to `unsigned long` as gcc does it on x86-64 (values from 2^63
/// up go through a subtraction; nan and out-of-range values give the CPU's
/// "integer indefinite").
fn to_c_ulong(n: f64) -> u64 {
    if n.is_nan() || n < 9_223_372_036_854_775_808.0 {
        num_to_int(n) as u64
    } else {
        (num_to_int(n - 9_223_372_036_854_775_808.0) as u64) ^ (1 << 63)
    }
}

/// `putinteger`: `size` bytes of the number in the given byte order.
fn put_integer(out: &mut Vec<u8>, n: f64, endian: Endian, size: usize) {
    let mut value = if n < 0.0 {
        num_to_int(n) as u64
    } else {
        to_c_ulong(n)
    };
    let mut buf = vec![0u8; size];
    for i in 0..size {
        let at = if endian == Endian::Little {
            i
        } else {
            size - 1 - i
        };
        buf[at] = (value & 0xff) as u8;
        value >>= 8;
    }
    out.extend_from_slice(&buf);
}

/// `getinteger`: `size` bytes as a number, sign-extended for signed options.
fn get_integer(buf: &[u8], endian: Endian, signed: bool) -> f64 {
    let size = buf.len();
    let mut l: u64 = 0;
    let mut add = |b: u8| l = (l << 8) | b as u64;
    if endian == Endian::Big {
        buf.iter().for_each(|&b| add(b));
    } else {
        buf.iter().rev().for_each(|&b| add(b));
    }
    if !signed {
        return l as f64;
    }
    let mask = !0u64 << ((size * 8).wrapping_sub(1) & 63);
    if l & mask != 0 {
        l |= mask;
    }
    l as i64 as f64
}

fn struct_pack(ctx: &mut Ctx<'_>, mut args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let fmt_s = check_str(ctx, &args, 1)?;
    // the C pushes a nil to mark the end of the arguments: the first missing value is
    // that nil (`number expected, got nil`)
    args.push(Value::Nil);
    let mut fmt = Fmt::new(fmt_s.as_bytes());
    let mut h = Header::new();
    let mut argn = 2;
    let mut total: usize = 0;
    let mut out = Vec::new();
    while let Some(opt) = fmt.next() {
        let mut size = fmt.optsize(opt)?;
        let toalign = gettoalign(total, &h, opt, size);
        total = total.wrapping_add(toalign);
        out.resize(out.len() + toalign, 0);
        match opt {
            o if is_int_option(o) => {
                let n = check_number(ctx, &args, argn)?;
                argn += 1;
                put_integer(&mut out, n, h.endian, size);
            }
            b'x' => out.push(0),
            b'f' => {
                let f = check_number(ctx, &args, argn)? as f32;
                argn += 1;
                match h.endian {
                    Endian::Little => out.extend_from_slice(&f.to_le_bytes()),
                    Endian::Big => out.extend_from_slice(&f.to_be_bytes()),
                }
            }
            b'd' => {
                let d = check_number(ctx, &args, argn)?;
                argn += 1;
                match h.endian {
                    Endian::Little => out.extend_from_slice(&d.to_le_bytes()),
                    Endian::Big => out.extend_from_slice(&d.to_be_bytes()),
                }
            }
            b'c' | b's' => {
                let s = check_str(ctx, &args, argn)?;
                argn += 1;
                let l = s.len();
                if size == 0 {
                    size = l;
                }
                if l < size {
                    // the C checks after moving on: the error names the next argument
                    return Err(arg_error(ctx, argn, "string too short"));
                }
                out.extend_from_slice(&s.as_bytes()[..size]);
                if opt == b's' {
                    out.push(0);
                    size += 1;
                }
            }
            _ => fmt.control(ctx, opt, &mut h)?,
        }
        total = total.wrapping_add(size);
    }
    Ok(vec![Value::bytes(&out)])
}

fn struct_unpack(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let fmt_s = check_str(ctx, &args, 1)?;
    let data_s = check_str(ctx, &args, 2)?;
    let data = data_s.as_bytes();
    let ld = data.len();
    // a size_t: negative offsets wrap to huge ones (and then find the data too short)
    let mut pos = opt_int(ctx, &args, 3, 1)? as u64 as usize;
    if pos == 0 {
        return Err(arg_error(ctx, 3, "offset must be 1 or greater"));
    }
    pos -= 1;
    let mut fmt = Fmt::new(fmt_s.as_bytes());
    let mut h = Header::new();
    let mut out: Vec<Value> = Vec::new();
    let too_short = |ctx: &Ctx<'_>| arg_error(ctx, 2, "data string too short");
    let fits = |pos: usize, size: usize| size <= ld && pos <= ld - size;
    while let Some(opt) = fmt.next() {
        let mut size = fmt.optsize(opt)?;
        pos = pos.wrapping_add(gettoalign(pos, &h, opt, size));
        if !fits(pos, size) {
            return Err(too_short(ctx));
        }
        if args.len() + out.len() + 2 > MAXCSTACK {
            return Err(LuaError::msg("stack overflow (too many results)"));
        }
        match opt {
            o if is_int_option(o) => {
                let signed = o.is_ascii_lowercase();
                out.push(Value::Num(get_integer(
                    &data[pos..pos + size],
                    h.endian,
                    signed,
                )));
            }
            b'x' => {}
            b'f' => {
                let b: [u8; 4] = data[pos..pos + 4].try_into().unwrap_or([0; 4]);
                let f = match h.endian {
                    Endian::Little => f32::from_le_bytes(b),
                    Endian::Big => f32::from_be_bytes(b),
                };
                out.push(Value::Num(f as f64));
            }
            b'd' => {
                let b: [u8; 8] = data[pos..pos + 8].try_into().unwrap_or([0; 8]);
                let d = match h.endian {
                    Endian::Little => f64::from_le_bytes(b),
                    Endian::Big => f64::from_be_bytes(b),
                };
                out.push(Value::Num(d));
            }
            b'c' => {
                if size == 0 {
                    let prev = out.last().and_then(Value::to_number);
                    let Some(prev) = prev else {
                        return Err(LuaError::msg("format 'c0' needs a previous size"));
                    };
                    size = to_c_ulong(prev) as usize;
                    out.pop();
                    if !fits(pos, size) {
                        return Err(too_short(ctx));
                    }
                }
                out.push(Value::bytes(&data[pos..pos + size]));
            }
            b's' => {
                let Some(e) = data[pos..].iter().position(|&b| b == 0) else {
                    return Err(LuaError::msg("unfinished string in data"));
                };
                size = e + 1;
                out.push(Value::bytes(&data[pos..pos + e]));
            }
            _ => fmt.control(ctx, opt, &mut h)?,
        }
        pos = pos.wrapping_add(size);
    }
    out.push(Value::Num(pos.wrapping_add(1) as i64 as f64));
    Ok(out)
}

fn struct_size(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let fmt_s = check_str(ctx, &args, 1)?;
    let mut fmt = Fmt::new(fmt_s.as_bytes());
    let mut h = Header::new();
    let mut pos: usize = 0;
    while let Some(opt) = fmt.next() {
        let size = fmt.optsize(opt)?;
        pos = pos.wrapping_add(gettoalign(pos, &h, opt, size));
        if opt == b's' {
            return Err(arg_error(ctx, 1, "option 's' has no fixed size"));
        } else if opt == b'c' && size == 0 {
            return Err(arg_error(ctx, 1, "option 'c0' has no fixed size"));
        }
        // letters and digits that are no option take no room here, silently
        if !opt.is_ascii_alphanumeric() {
            fmt.control(ctx, opt, &mut h)?;
        }
        pos = pos.wrapping_add(size);
    }
    Ok(vec![Value::Num(pos as i64 as f64)])
}

/// Builds `struct` as `luaL_register` does (sized for its three functions).
pub fn open(vm: &mut Vm) {
    let fns: [(&'static str, crate::value::NativeFn); 3] = [
        ("pack", struct_pack),
        ("unpack", struct_unpack),
        ("size", struct_size),
    ];
    let t = TableRef::new(0, fns.len());
    for (name, f) in fns {
        t.set_str(name, Value::native(name, f));
    }
    vm.globals.set_str("struct", Value::Table(t));
}

#[cfg(test)]
mod tests {
    use crate::libs::cjson::testkit::{self, check};
    use crate::value::{LuaError, Value};

    /// Each Lua call with the answer redis-server 7.0.15 gave.
    const CASES: &[(&str, &str)] = &[
        (r#"struct.pack('>i', 1)"#, r#"ok "\x00\x00\x00\x01""#),
        (r#"struct.pack('<i', 1)"#, r#"ok "\x01\x00\x00\x00""#),
        (r#"struct.pack('i', -2)"#, r#"ok "\xfe\xff\xff\xff""#),
        (r#"struct.pack('b', 200)"#, r#"ok "\xc8""#),
        (r#"struct.pack('B', -1)"#, r#"ok "\xff""#),
        (r#"struct.pack('>h', 0x1234)"#, r#"ok "\x124""#),
        (r#"struct.pack('<H', 70000)"#, r#"ok "p\x11""#),
        (
            r#"struct.pack('>l', -2)"#,
            r#"ok "\xff\xff\xff\xff\xff\xff\xff\xfe""#,
        ),
        (
            r#"struct.pack('>L', 2^63)"#,
            r#"ok "\x80\x00\x00\x00\x00\x00\x00\x00""#,
        ),
        (
            r#"struct.pack('>L', 2^64)"#,
            r#"ok "\x00\x00\x00\x00\x00\x00\x00\x00""#,
        ),
        (
            r#"struct.pack('>L', 1/0)"#,
            r#"ok "\x00\x00\x00\x00\x00\x00\x00\x00""#,
        ),
        (
            r#"struct.pack('>L', 0/0)"#,
            r#"ok "\x80\x00\x00\x00\x00\x00\x00\x00""#,
        ),
        (
            r#"struct.pack('>l', -2^70)"#,
            r#"ok "\x80\x00\x00\x00\x00\x00\x00\x00""#,
        ),
        (
            r#"struct.pack('>l', -1/0)"#,
            r#"ok "\x80\x00\x00\x00\x00\x00\x00\x00""#,
        ),
        (
            r#"struct.pack('>T', 5)"#,
            r#"ok "\x00\x00\x00\x00\x00\x00\x00\x05""#,
        ),
        (r#"struct.pack('>i3', 0x123456)"#, r#"ok "\x124V""#),
        (r#"struct.pack('<i3', -1)"#, r#"ok "\xff\xff\xff""#),
        (
            r#"struct.pack('>i10', -1)"#,
            r#"ok "\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff""#,
        ),
        (
            r#"struct.pack('<I12', 2^40)"#,
            r#"ok "\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00""#,
        ),
        (r#"struct.pack('i0', 5)"#, r#"ok """#),
        (
            r#"struct.pack('i33', 1)"#,
            r#"E:integral size 33 is larger than limit of 32"#,
        ),
        (
            r#"struct.pack('i99999999999', 1)"#,
            r#"E:integral size overflow"#,
        ),
        (r#"struct.pack('>f', 1.5)"#, r#"ok "?\xc0\x00\x00""#),
        (r#"struct.pack('<f', 0.1)"#, r#"ok "\xcd\xcc\xcc=""#),
        (
            r#"struct.pack('>d', 0.1)"#,
            r#"ok "?\xb9\x99\x99\x99\x99\x99\x9a""#,
        ),
        (
            r#"struct.pack('<d', -0)"#,
            r#"ok "\x00\x00\x00\x00\x00\x00\x00\x80""#,
        ),
        (
            r#"struct.pack('>d', 1/0)"#,
            r#"ok "\x7f\xf0\x00\x00\x00\x00\x00\x00""#,
        ),
        (r#"struct.pack('c3', 'abcdef')"#, r#"ok "abc""#),
        (r#"struct.pack('c0', 'abcdef')"#, r#"ok "abcdef""#),
        (
            r#"struct.pack('c5', 'ab')"#,
            r#"E:bad argument #3 to 'pack' (string too short)"#,
        ),
        (
            r#"struct.pack('i c5', 1, 'ab')"#,
            r#"E:bad argument #4 to 'pack' (string too short)"#,
        ),
        (r#"struct.pack('s', 'ab\0cd')"#, r#"ok "ab\x00cd\x00""#),
        (r#"struct.pack('ss', 'a', 'b')"#, r#"ok "a\x00b\x00""#),
        (r#"struct.pack('s', 12)"#, r#"ok "12\x00""#),
        (r#"struct.pack('x')"#, r#"ok "\x00""#),
        (
            r#"struct.pack('bxxh', 1, 2)"#,
            r#"ok "\x01\x00\x00\x02\x00""#,
        ),
        (
            r#"struct.pack('!4 b i', 1, 2)"#,
            r#"ok "\x01\x00\x00\x00\x02\x00\x00\x00""#,
        ),
        (
            r#"struct.pack('! b d', 1, 2)"#,
            r#"ok "\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00@""#,
        ),
        (
            r#"struct.pack('!2 b i', 1, 2)"#,
            r#"ok "\x01\x00\x02\x00\x00\x00""#,
        ),
        (
            r#"struct.pack('!8 b i3', 1, 2)"#,
            r#"ok "\x01\x00\x00\x02\x00\x00""#,
        ),
        (r#"struct.pack('!8 b c3', 1, 'xyz')"#, r#"ok "\x01xyz""#),
        (
            r#"struct.pack('!8 b s b', 1, 'xy', 2)"#,
            r#"ok "\x01xy\x00\x02""#,
        ),
        (
            r#"struct.pack('!3 b', 1)"#,
            r#"E:alignment 3 is not a power of 2"#,
        ),
        (
            r#"struct.pack('!0 b', 1)"#,
            r#"E:alignment 0 is not a power of 2"#,
        ),
        (
            r#"struct.pack('=i', 1)"#,
            r#"E:bad argument #1 to 'pack' (invalid format option '=')"#,
        ),
        (
            r#"struct.pack('z', 1)"#,
            r#"E:bad argument #1 to 'pack' (invalid format option 'z')"#,
        ),
        (
            r#"struct.pack('5', 1)"#,
            r#"E:bad argument #1 to 'pack' (invalid format option '5')"#,
        ),
        (
            r#"struct.pack('i', 'x')"#,
            r#"E:bad argument #2 to 'pack' (number expected, got string)"#,
        ),
        (r#"struct.pack('i', '12')"#, r#"ok "\x0c\x00\x00\x00""#),
        (
            r#"struct.pack('i')"#,
            r#"E:bad argument #2 to 'pack' (number expected, got nil)"#,
        ),
        (
            r#"struct.pack('c2', {})"#,
            r#"E:bad argument #2 to 'pack' (string expected, got table)"#,
        ),
        (
            r#"struct.pack()"#,
            r#"E:bad argument #1 to 'pack' (string expected, got no value)"#,
        ),
        (
            r#"struct.pack(5, 1)"#,
            r#"E:bad argument #1 to 'pack' (invalid format option '5')"#,
        ),
        (r#"struct.pack('>i\0>i', 1, 2)"#, r#"ok "\x00\x00\x00\x01""#),
        (r#"struct.pack('', 1)"#, r#"ok """#),
        (r#"struct.pack('<>i', 1)"#, r#"ok "\x00\x00\x00\x01""#),
        (r#"struct.unpack('>i', '\0\0\1\2')"#, r#"ok 258 5"#),
        (r#"struct.unpack('<i', '\255\255\255\255')"#, r#"ok -1 5"#),
        (
            r#"struct.unpack('<I', '\255\255\255\255')"#,
            r#"ok 4294967295 5"#,
        ),
        (r#"struct.unpack('b', '\200')"#, r#"ok -56 2"#),
        (r#"struct.unpack('B', '\200')"#, r#"ok 200 2"#),
        (r#"struct.unpack('>h', '\255\254')"#, r#"ok -2 3"#),
        (
            r#"struct.unpack('>L', '\255\255\255\255\255\255\255\255')"#,
            r#"ok 1.8446744073709552e+19 9"#,
        ),
        (
            r#"struct.unpack('>l', '\128\0\0\0\0\0\0\0')"#,
            r#"ok -9.2233720368547758e+18 9"#,
        ),
        (
            r#"struct.unpack('>L', '\0\32\0\0\0\0\0\1')"#,
            r#"ok 9007199254740992 9"#,
        ),
        (
            r#"struct.unpack('i9', string.rep('\255', 9))"#,
            r#"ok -1 10"#,
        ),
        (
            r#"struct.unpack('<i9', '\0\0\0\0\0\0\0\128\1')"#,
            r#"ok -128 10"#,
        ),
        (
            r#"struct.unpack('>i12', string.rep('\1', 12))"#,
            r#"ok -2130640639 13"#,
        ),
        (
            r#"struct.unpack('<I16', string.rep('\255', 16))"#,
            r#"ok 1.8446744073709552e+19 17"#,
        ),
        (r#"struct.unpack('i0', 'abc')"#, r#"ok 0 1"#),
        (r#"struct.unpack('>i3', '\128\0\1')"#, r#"ok -8388607 4"#),
        (r#"struct.unpack('>f', '\63\192\0\0')"#, r#"ok 1.5 5"#),
        (
            r#"struct.unpack('<d', '\154\153\153\153\153\153\185\63')"#,
            r#"ok 0.10000000000000001 9"#,
        ),
        (r#"struct.unpack('c3', 'abcdef')"#, r#"ok "abc" 4"#),
        (
            r#"struct.unpack('c3', 'ab')"#,
            r#"E:bad argument #2 to 'unpack' (data string too short)"#,
        ),
        (r#"struct.unpack('b c0', '\3abcdef')"#, r#"ok "abc" 5"#),
        (r#"struct.unpack('c1 c0', '2abcdef')"#, r#"ok "ab" 4"#),
        (
            r#"struct.unpack('c1 c0', 'xabcdef')"#,
            r#"E:format 'c0' needs a previous size"#,
        ),
        (
            r#"struct.unpack('c0', 'abc')"#,
            r#"E:format 'c0' needs a previous size"#,
        ),
        (
            r#"struct.unpack('b c0', '\9abc')"#,
            r#"E:bad argument #2 to 'unpack' (data string too short)"#,
        ),
        (r#"struct.unpack('s', 'ab\0cd\0')"#, r#"ok "ab" 4"#),
        (r#"struct.unpack('ss', 'ab\0cd\0')"#, r#"ok "ab" "cd" 7"#),
        (
            r#"struct.unpack('s', 'abc')"#,
            r#"E:unfinished string in data"#,
        ),
        (r#"struct.unpack('x b', '\1\2')"#, r#"ok 2 3"#),
        (
            r#"struct.unpack('b', '')"#,
            r#"E:bad argument #2 to 'unpack' (data string too short)"#,
        ),
        (r#"struct.unpack('', 'abc')"#, r#"ok 1"#),
        (r#"struct.unpack('', 'abc', -5)"#, r#"ok -5"#),
        (
            r#"struct.unpack('b', 'abc', 0)"#,
            r#"E:bad argument #3 to 'unpack' (offset must be 1 or greater)"#,
        ),
        (r#"struct.unpack('b', 'abc', 3)"#, r#"ok 99 4"#),
        (
            r#"struct.unpack('b', 'abc', 4)"#,
            r#"E:bad argument #2 to 'unpack' (data string too short)"#,
        ),
        (
            r#"struct.unpack('b', 'abc', -1)"#,
            r#"E:bad argument #2 to 'unpack' (data string too short)"#,
        ),
        (r#"struct.unpack('b', 'abc', 2.9)"#, r#"ok 98 3"#),
        (
            r#"struct.unpack('b', 'abc', 'x')"#,
            r#"E:bad argument #3 to 'unpack' (number expected, got string)"#,
        ),
        (
            r#"struct.unpack('!4 b i', '\1\0\0\0\2\0\0\0')"#,
            r#"ok 1 2 9"#,
        ),
        (
            r#"struct.unpack('!4 i', '\0\1\0\0\0\2\0\0\0', 2)"#,
            r#"ok 512 9"#,
        ),
        (r#"struct.unpack('!4 i', 'xxx\0\1\0\0\0', 2)"#, r#"ok 1 9"#),
        (
            r#"struct.unpack('z', 'abc')"#,
            r#"E:bad argument #1 to 'unpack' (invalid format option 'z')"#,
        ),
        (r#"struct.unpack('<', '')"#, r#"ok 1"#),
        (
            r#"struct.unpack('b z', 'a')"#,
            r#"E:bad argument #1 to 'unpack' (invalid format option 'z')"#,
        ),
        (
            r#"struct.unpack('bz', 'ab')"#,
            r#"E:bad argument #1 to 'unpack' (invalid format option 'z')"#,
        ),
        (
            r#"struct.unpack('i')"#,
            r#"E:bad argument #2 to 'unpack' (string expected, got no value)"#,
        ),
        (
            r#"struct.unpack('i', 5)"#,
            r#"E:bad argument #2 to 'unpack' (data string too short)"#,
        ),
        (r#"struct.size('i')"#, r#"ok 4"#),
        (r#"struct.size('bhilTfdx')"#, r#"ok 36"#),
        (r#"struct.size('!bhilTfdx')"#, r#"ok 41"#),
        (r#"struct.size('!4 b d')"#, r#"ok 12"#),
        (r#"struct.size('c10 i7')"#, r#"ok 17"#),
        (r#"struct.size('!8 b i3 b i6')"#, r#"ok 14"#),
        (
            r#"struct.size('s')"#,
            r#"E:bad argument #1 to 'size' (option 's' has no fixed size)"#,
        ),
        (
            r#"struct.size('c0')"#,
            r#"E:bad argument #1 to 'size' (option 'c0' has no fixed size)"#,
        ),
        (r#"struct.size('z')"#, r#"ok 0"#),
        (r#"struct.size('b5')"#, r#"ok 1"#),
        (
            r#"struct.size('=')"#,
            r#"E:bad argument #1 to 'size' (invalid format option '=')"#,
        ),
        (
            r#"struct.size('i40')"#,
            r#"E:integral size 40 is larger than limit of 32"#,
        ),
        (
            r#"struct.size('!5')"#,
            r#"E:alignment 5 is not a power of 2"#,
        ),
        (r#"struct.size('')"#, r#"ok 0"#),
        (
            r#"struct.size('c2147483647 c2147483647')"#,
            r#"ok 4294967294"#,
        ),
        (
            r#"struct.size()"#,
            r#"E:bad argument #1 to 'size' (string expected, got no value)"#,
        ),
    ];

    #[test]
    fn every_case_answers_as_redis_7_0_15_does() {
        check(CASES);
    }

    /// A format option or option name that is not UTF-8 comes back in the message
    /// byte for byte, as on the server (struct.pack('\200'), an option named '\255x').
    #[test]
    fn messages_keep_the_scripts_bytes() {
        let mut vm = testkit::vm();
        let cases: [(&str, &str, Value, &[u8]); 3] = [
            (
                "struct",
                "pack",
                Value::bytes(b"\xc8"),
                b"bad argument #1 to 'pack' (invalid format option '\xc8')",
            ),
            (
                "struct",
                "size",
                Value::bytes(b"\xc8"),
                b"bad argument #1 to 'size' (invalid format option '\xc8')",
            ),
            (
                "cjson",
                "encode_invalid_numbers",
                Value::bytes(b"\xffx"),
                b"bad argument #1 to 'encode_invalid_numbers' (invalid option '\xffx')",
            ),
        ];
        for (lib, name, arg, want) in cases {
            match testkit::poke(&mut vm, lib, name, vec![arg]) {
                Err(LuaError::Value(Value::Str(s))) => assert_eq!(s.as_bytes(), want),
                other => panic!("{name}: {}", testkit::result(other)),
            }
        }
    }

    /// The server's Lua stack holds 8000 values for a C function: its arguments, the
    /// results so far and two spare.
    #[test]
    fn unpack_stops_where_the_lua_stack_would() {
        let mut vm = testkit::vm();
        let unpack = vm
            .globals
            .get_str("struct")
            .as_table()
            .unwrap()
            .get_str("unpack");
        let data = Value::bytes(&[b'a'; 8000]);
        let cases: [(usize, Vec<Value>, Result<usize, &str>); 4] = [
            (7997, vec![], Ok(7998)),
            (7998, vec![], Err("stack overflow (too many results)")),
            (7995, vec![Value::Num(1.0), Value::Num(2.0)], Ok(7996)),
            (
                7996,
                vec![Value::Num(1.0), Value::Num(2.0)],
                Err("stack overflow (too many results)"),
            ),
        ];
        for (n, extra, want) in cases {
            let mut args = vec![Value::bytes(&vec![b'b'; n]), data.clone()];
            args.extend(extra);
            let got = testkit::native_call(&mut vm, unpack.clone(), args);
            match (got, want) {
                (Ok(v), Ok(len)) => assert_eq!(v.len(), len),
                (Err(LuaError::Msg(m)), Err(e)) => assert_eq!(m, e),
                (got, want) => panic!("{n}: got {}, want {want:?}", testkit::result(got)),
            }
        }
    }

    /// Random formats (mostly the format language's own characters) with random
    /// arguments and data into pack, unpack and size: errors are fine, panics are not.
    #[test]
    fn no_format_makes_pack_unpack_or_size_panic() {
        let mut rng = testkit::Rng(0x1234_5678_9abc_def1);
        let mut vm = testkit::vm();
        let alphabet = b"<>!= xbBhHlLTiIfdcs0123456789";
        for _ in 0..30000 {
            let fmt = Value::bytes(&rng.bytes(12, alphabet));
            let mut args = vec![fmt.clone()];
            for _ in 0..rng.below(6) {
                args.push(match rng.below(3) {
                    0 => Value::Num(rng.number()),
                    1 => Value::bytes(&rng.bytes(10, b"ab\x00")),
                    _ => rng.value(3),
                });
            }
            let packed = testkit::poke(&mut vm, "struct", "pack", args);
            let _ = testkit::poke(&mut vm, "struct", "size", vec![fmt.clone()]);
            let data = match packed {
                Ok(v) if rng.below(2) == 0 => v[0].clone(),
                _ => Value::bytes(&rng.bytes(40, b"\x00\x01\x02\xff")),
            };
            let mut uargs = vec![fmt, data];
            if rng.below(2) == 0 {
                uargs.push(Value::Num(rng.pick(&[
                    -1.0,
                    0.0,
                    1.0,
                    2.0,
                    5.0,
                    1e19,
                    -1e19,
                    2f64.powi(63),
                ])));
            }
            let _ = testkit::poke(&mut vm, "struct", "unpack", uargs);
        }
    }
}
