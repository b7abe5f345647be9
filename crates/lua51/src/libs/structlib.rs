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
                let shown = String::from_utf8_lossy(&[opt]).into_owned();
                Err(arg_error(
                    ctx,
                    1,
                    &format!("invalid format option '{shown}'"),
                ))
            }
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

fn struct_pack(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let fmt_s = check_str(ctx, &args, 1)?;
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
