//! lua-cmsgpack 0.4.0 (`cmsgpack`) as Redis bundles it (lua_cmsgpack.c): MessagePack
//! `pack`, `unpack`, `unpack_one` and `unpack_limit`.
//!
//! What it writes: a number that a 64-bit integer holds exactly is the smallest
//! integer encoding (fixint, uint/int 8..64); any other number is a 32-bit float when
//! the float is the same number (0.5, inf) and a double otherwise (nan too). Strings
//! are str8/16/32 (never bin). A table whose keys are exactly 1..n (n < 2^31) is an
//! array, the empty table too; any other table is a map with keys in `next` order.
//! Tables nested 16 deep are written as nil, which is how cyclic tables end; functions,
//! nil and userdata are nil.
//!
//! What it reads: everything above plus nil/true/false; bin, ext and the unused type
//! byte are `Bad data format in input.`. uint 64 goes through a signed 64-bit integer
//! (0xcf ff..ff reads as -1), as on the server.

use crate::args::{arg_error, check_int, check_str, opt_int};
use crate::value::{LuaError, LuaResult, LuaStr, TableRef, Value};
use crate::vm::{Ctx, Vm};

/// Tables deeper than this are written as nil (LUACMSGPACK_MAX_NESTING).
const MAX_NESTING: usize = 16;
/// LUAI_MAXCSTACK: the Lua stack a C function may use; decoding deep or many values
/// runs into it as the server's does.
const MAXCSTACK: usize = 8000;
/// Bytes `pack` may produce before giving up as Lua does when memory runs out (a wide
/// cyclic table would otherwise expand to 16 levels of itself).
pub const MAX_OUTPUT: usize = 1 << 28;

fn out_of_memory() -> LuaError {
    LuaError::Value(Value::str("not enough memory"))
}

/// `luaL_checkstack` with the stack height the C would have at that point.
fn check_stack(height: usize, space: usize, what: &str) -> LuaResult<()> {
    if height + space > MAXCSTACK {
        return Err(LuaError::msg(format!("stack overflow ({what})")));
    }
    Ok(())
}

// ------------------------------------------------------------------ encoding

struct Encoder {
    buf: Vec<u8>,
}

impl Encoder {
    fn bytes(&mut self, s: &[u8]) {
        let len = s.len();
        if len < 32 {
            self.buf.push(0xa0 | len as u8);
        } else if len <= 0xff {
            self.buf.extend_from_slice(&[0xd9, len as u8]);
        } else if len <= 0xffff {
            self.buf.push(0xda);
            self.buf.extend_from_slice(&(len as u16).to_be_bytes());
        } else {
            self.buf.push(0xdb);
            self.buf.extend_from_slice(&(len as u32).to_be_bytes());
        }
        self.buf.extend_from_slice(s);
    }

    fn double(&mut self, d: f64) {
        let f = d as f32;
        if d == f as f64 {
            self.buf.push(0xca);
            self.buf.extend_from_slice(&f.to_be_bytes());
        } else {
            self.buf.push(0xcb);
            self.buf.extend_from_slice(&d.to_be_bytes());
        }
    }

    fn int(&mut self, n: i64) {
        let b = &mut self.buf;
        if n >= 0 {
            if n <= 127 {
                b.push(n as u8);
            } else if n <= 0xff {
                b.extend_from_slice(&[0xcc, n as u8]);
            } else if n <= 0xffff {
                b.push(0xcd);
                b.extend_from_slice(&(n as u16).to_be_bytes());
            } else if n <= 0xffff_ffff {
                b.push(0xce);
                b.extend_from_slice(&(n as u32).to_be_bytes());
            } else {
                b.push(0xcf);
                b.extend_from_slice(&(n as u64).to_be_bytes());
            }
        } else if n >= -32 {
            b.push(n as i8 as u8);
        } else if n >= -128 {
            b.extend_from_slice(&[0xd0, n as u8]);
        } else if n >= -32768 {
            b.push(0xd1);
            b.extend_from_slice(&(n as i16).to_be_bytes());
        } else if n >= -2_147_483_648 {
            b.push(0xd2);
            b.extend_from_slice(&(n as i32).to_be_bytes());
        } else {
            b.push(0xd3);
            b.extend_from_slice(&n.to_be_bytes());
        }
    }

    fn header(&mut self, n: usize, fix: u8, b16: u8, b32: u8) {
        if n <= 15 {
            self.buf.push(fix | n as u8);
        } else if n <= 0xffff {
            self.buf.push(b16);
            self.buf.extend_from_slice(&(n as u16).to_be_bytes());
        } else {
            self.buf.push(b32);
            self.buf.extend_from_slice(&(n as u32).to_be_bytes());
        }
    }

    fn number(&mut self, n: f64) {
        // IS_INT64_EQUIVALENT: the (int64_t) cast gives back the same number
        let i = crate::args::num_to_int(n);
        if !n.is_infinite() && i as f64 == n {
            self.int(i);
        } else {
            self.double(n);
        }
    }

    /// `mp_encode_lua_type`: `height` is the Lua stack height with `v` on top.
    fn value(&mut self, v: &Value, level: usize, height: usize) -> LuaResult<()> {
        if self.buf.len() > MAX_OUTPUT {
            return Err(out_of_memory());
        }
        match v {
            Value::Str(s) => self.bytes(s.as_bytes()),
            Value::Bool(b) => self.buf.push(if *b { 0xc3 } else { 0xc2 }),
            Value::Num(n) => self.number(*n),
            Value::Table(t) if level < MAX_NESTING => self.table(t, level, height)?,
            _ => self.buf.push(0xc0),
        }
        Ok(())
    }

    fn table(&mut self, t: &TableRef, level: usize, height: usize) -> LuaResult<()> {
        check_stack(height, 2, "in function table_is_an_array")?;
        let mut pairs = Vec::new();
        let mut k = Value::Nil;
        while let Some((nk, nv)) = t.next(&k)? {
            pairs.push((nk.clone(), nv));
            k = nk;
        }
        if is_an_array(&pairs) {
            let len = t.len();
            self.header(len, 0x90, 0xdc, 0xdd);
            check_stack(height, 1, "in function mp_encode_lua_table_as_array")?;
            for j in 1..=len {
                let v = t.get_int(j as i64);
                self.value(&v, level + 1, height + 1)?;
            }
        } else {
            check_stack(height, 3, "in function mp_encode_lua_table_as_map")?;
            self.header(pairs.len(), 0x80, 0xde, 0xdf);
            for (k, v) in &pairs {
                self.value(k, level + 1, height + 3)?;
                self.value(v, level + 1, height + 2)?;
            }
        }
        Ok(())
    }
}

/// `table_is_an_array`: every key a number n > 0 that a C int holds exactly, and the
/// largest equal to their count (so exactly 1..n). The empty table is an array.
fn is_an_array(pairs: &[(Value, Value)]) -> bool {
    let mut max: i32 = 0;
    let mut count: i32 = 0;
    for (k, _) in pairs {
        let Value::Num(n) = k else { return false };
        let n = *n;
        // (int)n == n, with the CPU's INT_MIN for numbers out of int range
        let as_int = if n.is_nan() || n >= 2_147_483_648.0 || n <= -2_147_483_649.0 {
            i32::MIN
        } else {
            n as i32
        };
        if n <= 0.0 || n.is_infinite() || as_int as f64 != n {
            return false;
        }
        if n > max as f64 {
            max = as_int;
        }
        count = count.wrapping_add(1);
    }
    max == count
}

fn mp_pack(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let nargs = args.len();
    if nargs == 0 {
        return Err(arg_error(ctx, 0, "MessagePack pack needs input."));
    }
    if nargs > MAXCSTACK || 2 * nargs > MAXCSTACK {
        return Err(arg_error(
            ctx,
            0,
            "Too many arguments for MessagePack pack.",
        ));
    }
    let mut enc = Encoder { buf: Vec::new() };
    for (i, v) in args.iter().enumerate() {
        // the arguments, the strings of those done so far and this value's copy
        enc.value(v, 0, nargs + i + 1)?;
    }
    Ok(vec![Value::bytes(&enc.buf)])
}

// ------------------------------------------------------------------ decoding

enum DecodeError {
    /// Not enough bytes for the value (MP_CUR_ERROR_EOF).
    Eof,
    /// A type byte cmsgpack does not read (MP_CUR_ERROR_BADFMT).
    BadFmt,
    /// An error raised on the spot (stack overflow, nil or nan map key).
    Lua(LuaError),
}

impl From<LuaError> for DecodeError {
    fn from(e: LuaError) -> Self {
        DecodeError::Lua(e)
    }
}

/// A container being filled.
enum Frame {
    Array {
        t: TableRef,
        next: f64,
        left: u64,
        height: usize,
    },
    Map {
        t: TableRef,
        left: u64,
        key: Option<Value>,
        height: usize,
    },
}

struct Cursor<'a> {
    s: &'a [u8],
    p: usize,
}

impl Cursor<'_> {
    fn left(&self) -> usize {
        self.s.len() - self.p
    }
    fn need(&self, n: usize) -> Result<(), DecodeError> {
        if self.left() < n {
            Err(DecodeError::Eof)
        } else {
            Ok(())
        }
    }
    fn be(&self, from: usize, n: usize) -> u64 {
        self.s[self.p + from..self.p + from + n]
            .iter()
            .fold(0u64, |a, &b| (a << 8) | b as u64)
    }
    fn take_str(&mut self, hdr: usize, len: usize) -> Result<Value, DecodeError> {
        self.need(hdr.saturating_add(len))?;
        let v = Value::bytes(&self.s[self.p + hdr..self.p + hdr + len]);
        self.p += hdr + len;
        Ok(v)
    }

    /// `mp_decode_to_lua_type` without the recursion: one value, with containers
    /// filled through an explicit stack. `height` is the Lua stack height the C would
    /// have when starting on it.
    fn value(&mut self, height: usize) -> Result<Value, DecodeError> {
        let mut stack: Vec<Frame> = Vec::new();
        let mut h = height;
        loop {
            let mut v = match self.item(&mut stack, h)? {
                Item::Done(v) => v,
                Item::Opened { child_height } => {
                    h = child_height;
                    continue;
                }
            };
            // give the finished value to its container; finished containers go up too
            loop {
                match stack.last_mut() {
                    None => return Ok(v),
                    Some(Frame::Array {
                        t,
                        next,
                        left,
                        height,
                    }) => {
                        t.set(Value::Num(*next), v).map_err(raw_error)?;
                        *next += 1.0;
                        *left -= 1;
                        if *left > 0 {
                            // the index is pushed before the element is read
                            h = *height + 2;
                            break;
                        }
                    }
                    Some(Frame::Map {
                        t,
                        left,
                        key,
                        height,
                    }) => match key.take() {
                        None => {
                            *key = Some(v);
                            h = *height + 2;
                            break;
                        }
                        Some(k) => {
                            t.set(k, v).map_err(raw_error)?;
                            *left -= 1;
                            if *left > 0 {
                                h = *height + 1;
                                break;
                            }
                        }
                    },
                }
                v = match stack.pop() {
                    Some(Frame::Array { t, .. }) | Some(Frame::Map { t, .. }) => Value::Table(t),
                    None => Value::Nil,
                };
            }
        }
    }

    /// Reads one item at stack height `h`: a scalar or an empty container is done; a
    /// container with items goes on `stack` to be filled.
    fn item(&mut self, stack: &mut Vec<Frame>, h: usize) -> Result<Item, DecodeError> {
        self.need(1)?;
        check_stack(
            h,
            1,
            "too many return values at once; use unpack_one or unpack_limit instead.",
        )?;
        let c = self.s[self.p];
        let (size, v) = match c {
            0xcc => {
                self.need(2)?;
                (2, self.be(1, 1) as f64)
            }
            0xd0 => {
                self.need(2)?;
                (2, self.s[self.p + 1] as i8 as f64)
            }
            0xcd => {
                self.need(3)?;
                (3, self.be(1, 2) as f64)
            }
            0xd1 => {
                self.need(3)?;
                (3, self.be(1, 2) as u16 as i16 as f64)
            }
            0xce => {
                self.need(5)?;
                (5, self.be(1, 4) as f64)
            }
            0xd2 => {
                self.need(5)?;
                (5, self.be(1, 4) as u32 as i32 as f64)
            }
            0xcf | 0xd3 => {
                // uint 64 is pushed as a lua_Integer: it wraps to negative too
                self.need(9)?;
                (9, self.be(1, 8) as i64 as f64)
            }
            0xca => {
                self.need(5)?;
                (5, f32::from_bits(self.be(1, 4) as u32) as f64)
            }
            0xcb => {
                self.need(9)?;
                (9, f64::from_bits(self.be(1, 8)))
            }
            0xc0 | 0xc2 | 0xc3 => {
                self.p += 1;
                return Ok(Item::Done(match c {
                    0xc0 => Value::Nil,
                    _ => Value::Bool(c == 0xc3),
                }));
            }
            0xd9 => {
                self.need(2)?;
                let l = self.be(1, 1) as usize;
                return self.take_str(2, l).map(Item::Done);
            }
            0xda => {
                self.need(3)?;
                let l = self.be(1, 2) as usize;
                return self.take_str(3, l).map(Item::Done);
            }
            0xdb => {
                self.need(5)?;
                let l = self.be(1, 4) as usize;
                self.p += 5;
                return self.take_str(0, l).map(Item::Done);
            }
            0xdc..=0xdf => {
                let n = if c & 1 == 0 { 2 } else { 4 };
                self.need(1 + n)?;
                let l = self.be(1, n);
                self.p += 1 + n;
                return open_container(stack, h, c <= 0xdd, l);
            }
            _ if c & 0x80 == 0 => (1, c as f64),
            _ if c & 0xe0 == 0xe0 => (1, c as i8 as f64),
            _ if c & 0xe0 == 0xa0 => {
                return self.take_str(1, (c & 0x1f) as usize).map(Item::Done);
            }
            _ if c & 0xf0 == 0x90 || c & 0xf0 == 0x80 => {
                self.p += 1;
                return open_container(stack, h, c & 0xf0 == 0x90, (c & 0xf) as u64);
            }
            _ => return Err(DecodeError::BadFmt),
        };
        self.p += size;
        Ok(Item::Done(Value::Num(v)))
    }
}

/// What reading one item gave.
enum Item {
    Done(Value),
    /// A container with items was put on the stack; its first item is read at this
    /// stack height.
    Opened {
        child_height: usize,
    },
}

/// Starts an array or map of `len` items at stack height `h`. An empty one is done at
/// once (after the array's own stack check, which the C makes for every array).
fn open_container(
    stack: &mut Vec<Frame>,
    h: usize,
    array: bool,
    len: u64,
) -> Result<Item, DecodeError> {
    let t = TableRef::new(0, 0);
    if array {
        check_stack(h + 1, 1, "in function mp_decode_to_lua_array")?;
    }
    if len == 0 {
        return Ok(Item::Done(Value::Table(t)));
    }
    let child_height = if array { h + 2 } else { h + 1 };
    stack.push(if array {
        Frame::Array {
            t,
            next: 1.0,
            left: len,
            height: h,
        }
    } else {
        Frame::Map {
            t,
            left: len,
            key: None,
            height: h,
        }
    });
    Ok(Item::Opened { child_height })
}

/// Errors from `lua_settable` in C code carry no script position.
fn raw_error(e: LuaError) -> LuaError {
    match e {
        LuaError::Msg(m) => LuaError::Value(Value::str(&m)),
        other => other,
    }
}

/// `mp_unpack_full`: `nargs` is how many values the C function has on its stack below
/// the results (all arguments for `unpack`, the string alone for the others).
fn unpack_full(
    ctx: &Ctx<'_>,
    args: &[Value],
    nargs: usize,
    limit: i64,
    offset: i64,
) -> LuaResult<Vec<Value>> {
    let s: LuaStr = check_str(ctx, args, 1)?;
    let len = s.len();
    let decode_all = limit == 0 && offset == 0;
    if offset < 0 || limit < 0 {
        return Err(LuaError::msg(format!(
            "Invalid request to unpack with offset of {} and limit of {}.",
            offset as i32, len as i32
        )));
    } else if offset as u64 > len as u64 {
        return Err(LuaError::msg(format!(
            "Start offset {} greater than input length {}.",
            offset as i32, len as i32
        )));
    }
    let limit = if decode_all { i32::MAX as i64 } else { limit };
    let mut cur = Cursor {
        s: s.as_bytes(),
        p: offset as usize,
    };
    let mut out = Vec::new();
    let mut cnt: i64 = 0;
    while cur.left() > 0 && cnt < limit {
        match cur.value(nargs + out.len()) {
            Ok(v) => out.push(v),
            Err(DecodeError::Eof) => return Err(LuaError::msg("Missing bytes in input.")),
            Err(DecodeError::BadFmt) => return Err(LuaError::msg("Bad data format in input.")),
            Err(DecodeError::Lua(e)) => return Err(e),
        }
        cnt += 1;
    }
    if !decode_all {
        check_stack(nargs + out.len(), 1, "in function mp_unpack_full")?;
        let next = if cur.left() == 0 { -1.0 } else { cur.p as f64 };
        out.insert(0, Value::Num(next));
    }
    Ok(out)
}

fn mp_unpack(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    unpack_full(ctx, &args, args.len(), 0, 0)
}

fn mp_unpack_one(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let offset = opt_int(ctx, &args, 2, 0)?;
    let nargs = args.len().min(1);
    unpack_full(ctx, &args[..nargs], nargs, 1, offset)
}

fn mp_unpack_limit(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let limit = check_int(ctx, &args, 2)?;
    let offset = opt_int(ctx, &args, 3, 0)?;
    let nargs = args.len().min(1);
    unpack_full(ctx, &args[..nargs], nargs, limit, offset)
}

/// Builds `cmsgpack` as lua_cmsgpack.c does (a plain new table: the four functions,
/// then its name, version, copyright and description).
pub fn open(vm: &mut Vm) {
    let t = TableRef::new(0, 0);
    let fns: [(&'static str, crate::value::NativeFn); 4] = [
        ("pack", mp_pack),
        ("unpack", mp_unpack),
        ("unpack_one", mp_unpack_one),
        ("unpack_limit", mp_unpack_limit),
    ];
    for (name, f) in fns {
        t.set_str(name, Value::native(name, f));
    }
    t.set_str("_NAME", Value::str("cmsgpack"));
    t.set_str("_VERSION", Value::str("lua-cmsgpack 0.4.0"));
    t.set_str(
        "_COPYRIGHT",
        Value::str("Copyright (C) 2012, Salvatore Sanfilippo"),
    );
    t.set_str(
        "_DESCRIPTION",
        Value::str("MessagePack C implementation for Lua"),
    );
    vm.globals.set_str("cmsgpack", Value::Table(t));
}

#[cfg(test)]
mod tests {
    use crate::libs::cjson::testkit::{self, check};
    use crate::value::{LuaError, TableRef, Value};

    /// Each Lua call with the answer redis-server 7.0.15 gave.
    const CASES: &[(&str, &str)] = &[
        (r#"cmsgpack.pack(0)"#, r#"ok "\x00""#),
        (r#"cmsgpack.pack(127)"#, r#"ok "\x7f""#),
        (r#"cmsgpack.pack(128)"#, r#"ok "\xcc\x80""#),
        (r#"cmsgpack.pack(255)"#, r#"ok "\xcc\xff""#),
        (r#"cmsgpack.pack(256)"#, r#"ok "\xcd\x01\x00""#),
        (r#"cmsgpack.pack(65535)"#, r#"ok "\xcd\xff\xff""#),
        (r#"cmsgpack.pack(65536)"#, r#"ok "\xce\x00\x01\x00\x00""#),
        (r#"cmsgpack.pack(2^32 - 1)"#, r#"ok "\xce\xff\xff\xff\xff""#),
        (
            r#"cmsgpack.pack(2^32)"#,
            r#"ok "\xcf\x00\x00\x00\x01\x00\x00\x00\x00""#,
        ),
        (
            r#"cmsgpack.pack(2^53)"#,
            r#"ok "\xcf\x00 \x00\x00\x00\x00\x00\x00""#,
        ),
        (r#"cmsgpack.pack(2^63)"#, r#"ok "\xca_\x00\x00\x00""#),
        (r#"cmsgpack.pack(2^64)"#, r#"ok "\xca_\x80\x00\x00""#),
        (r#"cmsgpack.pack(-1)"#, r#"ok "\xff""#),
        (r#"cmsgpack.pack(-32)"#, r#"ok "\xe0""#),
        (r#"cmsgpack.pack(-33)"#, r#"ok "\xd0\xdf""#),
        (r#"cmsgpack.pack(-128)"#, r#"ok "\xd0\x80""#),
        (r#"cmsgpack.pack(-129)"#, r#"ok "\xd1\xff\x7f""#),
        (r#"cmsgpack.pack(-32768)"#, r#"ok "\xd1\x80\x00""#),
        (r#"cmsgpack.pack(-32769)"#, r#"ok "\xd2\xff\xff\x7f\xff""#),
        (r#"cmsgpack.pack(-2^31)"#, r#"ok "\xd2\x80\x00\x00\x00""#),
        (
            r#"cmsgpack.pack(-2^31 - 1)"#,
            r#"ok "\xd3\xff\xff\xff\xff\x7f\xff\xff\xff""#,
        ),
        (
            r#"cmsgpack.pack(-2^63)"#,
            r#"ok "\xd3\x80\x00\x00\x00\x00\x00\x00\x00""#,
        ),
        (r#"cmsgpack.pack(-2^64)"#, r#"ok "\xca\xdf\x80\x00\x00""#),
        (r#"cmsgpack.pack(-0)"#, r#"ok "\x00""#),
        (r#"cmsgpack.pack(0.5)"#, r#"ok "\xca?\x00\x00\x00""#),
        (
            r#"cmsgpack.pack(0.1)"#,
            r#"ok "\xcb?\xb9\x99\x99\x99\x99\x99\x9a""#,
        ),
        (r#"cmsgpack.pack(-1.5)"#, r#"ok "\xca\xbf\xc0\x00\x00""#),
        (
            r#"cmsgpack.pack(1e300)"#,
            r#"ok "\xcb~7\xe4<\x88\x00u\x9c""#,
        ),
        (r#"cmsgpack.pack(1/0)"#, r#"ok "\xca\x7f\x80\x00\x00""#),
        (r#"cmsgpack.pack(-1/0)"#, r#"ok "\xca\xff\x80\x00\x00""#),
        (
            r#"cmsgpack.pack(0/0)"#,
            r#"ok "\xcb\xff\xf8\x00\x00\x00\x00\x00\x00""#,
        ),
        (r#"cmsgpack.pack(true, false, nil)"#, r#"ok "\xc3\xc2\xc0""#),
        (r#"cmsgpack.pack('')"#, r#"ok "\xa0""#),
        (r#"cmsgpack.pack('abc')"#, r#"ok "\xa3abc""#),
        (
            r#"cmsgpack.pack(string.rep('x', 31))"#,
            r#"ok "\xbfxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx""#,
        ),
        (r#"#cmsgpack.pack(string.rep('x', 32))"#, r#"ok 34"#),
        (
            r#"string.sub(cmsgpack.pack(string.rep('x', 32)), 1, 3)"#,
            r#"ok "\xd9 x""#,
        ),
        (r#"#cmsgpack.pack(string.rep('x', 255))"#, r#"ok 257"#),
        (r#"#cmsgpack.pack(string.rep('x', 256))"#, r#"ok 259"#),
        (r#"#cmsgpack.pack(string.rep('x', 65535))"#, r#"ok 65538"#),
        (r#"#cmsgpack.pack(string.rep('x', 65536))"#, r#"ok 65541"#),
        (r#"cmsgpack.pack({})"#, r#"ok "\x90""#),
        (r#"cmsgpack.pack({1, 2, 3})"#, r#"ok "\x93\x01\x02\x03""#),
        (
            r#"cmsgpack.pack({1, nil, 3})"#,
            r#"ok "\x82\x01\x01\x03\x03""#,
        ),
        (
            r#"cmsgpack.pack({[1] = 1, [3] = 3})"#,
            r#"ok "\x82\x01\x01\x03\x03""#,
        ),
        (
            r#"cmsgpack.pack({[2] = 2, [1] = 1})"#,
            r#"ok "\x92\x01\x02""#,
        ),
        (r#"cmsgpack.pack({[0] = 0})"#, r#"ok "\x81\x00\x00""#),
        (
            r#"cmsgpack.pack({[1.5] = 1})"#,
            r#"ok "\x81\xca?\xc0\x00\x00\x01""#,
        ),
        (
            r#"cmsgpack.pack({[2^31] = 1})"#,
            r#"ok "\x81\xce\x80\x00\x00\x00\x01""#,
        ),
        (r#"cmsgpack.pack({a = 1})"#, r#"ok "\x81\xa1a\x01""#),
        (
            r#"cmsgpack.pack({a = 1, b = 2, c = 3})"#,
            r#"ok "\x83\xa1a\x01\xa1c\x03\xa1b\x02""#,
        ),
        (
            r#"cmsgpack.pack({1, 2, x = 'y'})"#,
            r#"ok "\x83\x01\x01\x02\x02\xa1x\xa1y""#,
        ),
        (r#"cmsgpack.pack({[true] = false})"#, r#"ok "\x81\xc3\xc2""#),
        (
            r#"cmsgpack.pack({{}, {{}}, {a = {}}})"#,
            r#"ok "\x93\x90\x91\x90\x81\xa1a\x90""#,
        ),
        (
            r#"cmsgpack.pack({cmsgpack.pack, cjson.null})"#,
            r#"ok "\x92\xc0\xc0""#,
        ),
        (
            r#"cmsgpack.pack({1,2,3,4,5,6,7,8,9,10,11,12,13,14,15})"#,
            r#"ok "\x9f\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f""#,
        ),
        (
            r#"string.sub(cmsgpack.pack({1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16}), 1, 4)"#,
            r#"ok "\xdc\x00\x10\x01""#,
        ),
        (
            r#"string.sub(cmsgpack.pack({a=1,b=2,c=3,d=4,e=5,f=6,g=7,h=8,i=9,j=10,k=11,l=12,m=13,n=14,o=15,p=16}), 1, 4)"#,
            r#"ok "\xde\x00\x10\xa1""#,
        ),
        (
            r#"cmsgpack.pack({{{{{{{{{{{{{{{{{1}}}}}}}}}}}}}}}}})"#,
            r#"ok "\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\xc0""#,
        ),
        (
            r#"cmsgpack.pack({{{{{{{{{{{{{{{{1}}}}}}}}}}}}}}}})"#,
            r#"ok "\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x01""#,
        ),
        (r#"cmsgpack.pack(1, 'a', {2})"#, r#"ok "\x01\xa1a\x91\x02""#),
        (
            r#"cmsgpack.pack()"#,
            r#"E:bad argument #0 to 'pack' (MessagePack pack needs input.)"#,
        ),
        (r#"cmsgpack.pack(nil)"#, r#"ok "\xc0""#),
        (
            r#"cmsgpack.unpack(cmsgpack.pack(1, 'a', {2}, {x = 1}))"#,
            r#"ok 1 "a" {1=2} {"x"=1}"#,
        ),
        (
            r#"cmsgpack.unpack('\204\255\208\128\205\1\0\209\255\0')"#,
            r#"ok 255 -128 256 -256"#,
        ),
        (
            r#"cmsgpack.unpack('\206\255\255\255\255\210\128\0\0\0')"#,
            r#"ok 4294967295 -2147483648"#,
        ),
        (
            r#"cmsgpack.unpack('\207\255\255\255\255\255\255\255\255')"#,
            r#"ok -1"#,
        ),
        (
            r#"cmsgpack.unpack('\207\0\32\0\0\0\0\0\1')"#,
            r#"ok 9007199254740992"#,
        ),
        (
            r#"cmsgpack.unpack('\211\128\0\0\0\0\0\0\0')"#,
            r#"ok -9.2233720368547758e+18"#,
        ),
        (
            r#"cmsgpack.unpack('\202\63\192\0\0\203\63\185\153\153\153\153\153\154')"#,
            r#"ok 1.5 0.10000000000000001"#,
        ),
        (
            r#"cmsgpack.unpack('\127\224\255\192\194\195')"#,
            r#"ok 127 -32 -1 nil false true"#,
        ),
        (
            r#"cmsgpack.unpack('\163abc\217\3xyz\218\0\2hi\219\0\0\0\1!')"#,
            r#"ok "abc" "xyz" "hi" "!""#,
        ),
        (r#"cmsgpack.unpack('\147\1\2\3')"#, r#"ok {1=1,2=2,3=3}"#),
        (
            r#"cmsgpack.unpack('\220\0\2\1\2\221\0\0\0\1\3')"#,
            r#"ok {1=1,2=2} {1=3}"#,
        ),
        (
            r#"cmsgpack.unpack('\130\161a\1\161b\2')"#,
            r#"ok {"a"=1,"b"=2}"#,
        ),
        (
            r#"cmsgpack.unpack('\222\0\1\1\2\223\0\0\0\1\3\4')"#,
            r#"ok {1=2} {3=4}"#,
        ),
        (r#"cmsgpack.unpack('\130\1\2\1\3')"#, r#"ok {1=3}"#),
        (r#"cmsgpack.unpack('\147\192\192\1')"#, r#"ok {3=1}"#),
        (r#"cmsgpack.unpack('\144\128')"#, r#"ok {} {}"#),
        (
            r#"cmsgpack.unpack('\129\192\1')"#,
            r#"V:"table index is nil""#,
        ),
        (
            r#"cmsgpack.unpack('\129\203\127\248\0\0\0\0\0\0\1')"#,
            r#"V:"table index is NaN""#,
        ),
        (
            r#"cmsgpack.unpack('\130\192')"#,
            r#"E:Missing bytes in input."#,
        ),
        (
            r#"cmsgpack.unpack('\196\1a')"#,
            r#"E:Bad data format in input."#,
        ),
        (
            r#"cmsgpack.unpack('\193')"#,
            r#"E:Bad data format in input."#,
        ),
        (
            r#"cmsgpack.unpack('\212\1\1')"#,
            r#"E:Bad data format in input."#,
        ),
        (
            r#"cmsgpack.unpack('\1\193')"#,
            r#"E:Bad data format in input."#,
        ),
        (
            r#"cmsgpack.unpack('\205\1')"#,
            r#"E:Missing bytes in input."#,
        ),
        (
            r#"cmsgpack.unpack('\163ab')"#,
            r#"E:Missing bytes in input."#,
        ),
        (
            r#"cmsgpack.unpack('\219\255\255\255\255ab')"#,
            r#"E:Missing bytes in input."#,
        ),
        (
            r#"cmsgpack.unpack('\221\255\255\255\255')"#,
            r#"E:Missing bytes in input."#,
        ),
        (
            r#"cmsgpack.unpack('\147\1\2')"#,
            r#"E:Missing bytes in input."#,
        ),
        (r#"cmsgpack.unpack('')"#, r#"ok "#),
        (
            r#"cmsgpack.unpack()"#,
            r#"E:bad argument #1 to 'unpack' (string expected, got no value)"#,
        ),
        (
            r#"cmsgpack.unpack({})"#,
            r#"E:bad argument #1 to 'unpack' (string expected, got table)"#,
        ),
        (r#"cmsgpack.unpack(12)"#, r#"ok 49 50"#),
        (r#"cmsgpack.unpack('\1\2', 'extra')"#, r#"ok 1 2"#),
        (r#"cmsgpack.unpack_one('\1\2\3')"#, r#"ok 1 1"#),
        (r#"cmsgpack.unpack_one('\1\2\3', 1)"#, r#"ok 2 2"#),
        (r#"cmsgpack.unpack_one('\1\2\3', 2)"#, r#"ok -1 3"#),
        (r#"cmsgpack.unpack_one('\1\2\3', 3)"#, r#"ok -1"#),
        (
            r#"cmsgpack.unpack_one('\1\2\3', 4)"#,
            r#"E:Start offset 4 greater than input length 3."#,
        ),
        (
            r#"cmsgpack.unpack_one('\1\2\3', -1)"#,
            r#"E:Invalid request to unpack with offset of -1 and limit of 3."#,
        ),
        (
            r#"cmsgpack.unpack_one('\1\2\3', 'x')"#,
            r#"E:bad argument #2 to 'unpack_one' (number expected, got string)"#,
        ),
        (
            r#"cmsgpack.unpack_one('\1\2\3', 2^40)"#,
            r#"E:Start offset 0 greater than input length 3."#,
        ),
        (
            r#"cmsgpack.unpack_one('\1\2\3', 2^70)"#,
            r#"E:Invalid request to unpack with offset of 0 and limit of 3."#,
        ),
        (r#"cmsgpack.unpack_one('')"#, r#"ok -1"#),
        (
            r#"cmsgpack.unpack_one()"#,
            r#"E:bad argument #1 to 'unpack_one' (string expected, got no value)"#,
        ),
        (
            r#"cmsgpack.unpack_one('\147\1')"#,
            r#"E:Missing bytes in input."#,
        ),
        (r#"cmsgpack.unpack_limit('\1\2\3', 2)"#, r#"ok 2 1 2"#),
        (r#"cmsgpack.unpack_limit('\1\2\3', 5)"#, r#"ok -1 1 2 3"#),
        (r#"cmsgpack.unpack_limit('\1\2\3', 2, 2)"#, r#"ok -1 3"#),
        (r#"cmsgpack.unpack_limit('\1\2\3', 0)"#, r#"ok 1 2 3"#),
        (r#"cmsgpack.unpack_limit('\1\2\3', 0, 1)"#, r#"ok 1"#),
        (r#"cmsgpack.unpack_limit('\1\2\3', 0, 3)"#, r#"ok -1"#),
        (
            r#"cmsgpack.unpack_limit('\1\2\3', -1)"#,
            r#"E:Invalid request to unpack with offset of 0 and limit of 3."#,
        ),
        (
            r#"cmsgpack.unpack_limit('\1\2\3')"#,
            r#"E:bad argument #2 to 'unpack_limit' (number expected, got no value)"#,
        ),
        (
            r#"cmsgpack.unpack_limit('\1\2\3', 1, 9)"#,
            r#"E:Start offset 9 greater than input length 3."#,
        ),
        (
            r#"cmsgpack.unpack_limit(nil, 1)"#,
            r#"E:bad argument #1 to 'unpack_limit' (string expected, got nil)"#,
        ),
        (
            r#"cmsgpack._NAME .. ' ' .. cmsgpack._VERSION"#,
            r#"ok "cmsgpack lua-cmsgpack 0.4.0""#,
        ),
        (
            r#"cmsgpack._COPYRIGHT .. ' / ' .. cmsgpack._DESCRIPTION"#,
            r#"ok "Copyright (C) 2012, Salvatore Sanfilippo / MessagePack C implementation for Lua""#,
        ),
    ];

    #[test]
    fn every_case_answers_as_redis_7_0_15_does() {
        check(CASES);
    }

    fn call(name: &str, args: Vec<Value>) -> Result<usize, String> {
        let mut vm = testkit::vm();
        let f = vm
            .globals
            .get_str("cmsgpack")
            .as_table()
            .unwrap()
            .get_str(name);
        match crate::libs::cjson::testkit::native_call(&mut vm, f, args) {
            Ok(v) => Ok(v.len()),
            Err(LuaError::Msg(m)) => Err(m),
            Err(e) => Err(format!("{e:?}")),
        }
    }

    const MANY: &str =
        "stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)";

    /// Where the server's 8000-slot Lua stack runs out (found with redis-server 7.0.15):
    /// many top-level values, and nesting of about 4000 (each level holds two slots).
    #[test]
    fn unpack_stops_where_the_lua_stack_would() {
        let rep = |b: &[u8], n: usize| b.repeat(n);
        let cat = |parts: &[Vec<u8>]| Value::bytes(&parts.concat());
        let cases: Vec<(Vec<Value>, Result<usize, &str>)> = vec![
            (vec![cat(&[rep(b"\x01", 7999)])], Ok(7999)),
            (vec![cat(&[rep(b"\x01", 8000)])], Err(MANY)),
            (vec![cat(&[rep(b"\x01", 7998)]), Value::str("x")], Ok(7998)),
            (vec![cat(&[rep(b"\x01", 7999)]), Value::str("x")], Err(MANY)),
            (vec![cat(&[rep(b"\x91", 3999), rep(b"\x01", 1)])], Ok(1)),
            (
                vec![cat(&[rep(b"\x91", 4000), rep(b"\x01", 1)])],
                Err("stack overflow (in function mp_decode_to_lua_array)"),
            ),
            (vec![cat(&[rep(b"\x81\x01", 3999), rep(b"\x01", 1)])], Ok(1)),
            (
                vec![cat(&[rep(b"\x81\x01", 4000), rep(b"\x01", 1)])],
                Err(MANY),
            ),
            (vec![cat(&[rep(b"\x81", 7997), rep(b"\x01", 7998)])], Ok(1)),
            (
                vec![cat(&[rep(b"\x81", 7998), rep(b"\x01", 7999)])],
                Err(MANY),
            ),
        ];
        for (i, (args, want)) in cases.into_iter().enumerate() {
            assert_eq!(call("unpack", args), want.map_err(String::from), "case {i}");
        }
    }

    /// A table that holds itself is cut off 16 levels down (as nil), as on the server:
    /// {t, x = t} doubles at each level and packs to 327676 bytes there.
    #[test]
    fn a_cyclic_table_ends_at_sixteen_levels() {
        let t = TableRef::new(0, 0);
        t.set_int(1, Value::Table(t.clone()));
        t.set_str("x", Value::Table(t.clone()));
        let mut vm = testkit::vm();
        let f = vm
            .globals
            .get_str("cmsgpack")
            .as_table()
            .unwrap()
            .get_str("pack");
        let out = testkit::native_call(&mut vm, f, vec![Value::Table(t)]).unwrap();
        assert!(matches!(&out[0], Value::Str(s) if s.len() == 327676));
    }

    /// pack holds its arguments and one string per argument done on the stack.
    #[test]
    fn pack_stops_where_the_lua_stack_would() {
        let nums = |n: usize| (1..=n).map(|i| Value::Num(i as f64)).collect::<Vec<_>>();
        let nest = |keys: &[&str]| {
            let mut v = Value::Num(1.0);
            for k in keys.iter().rev() {
                let t = TableRef::new(0, 0);
                if k.is_empty() {
                    t.set_int(1, v);
                } else {
                    t.set_str(k, v);
                }
                v = Value::Table(t);
            }
            v
        };
        let with_last = |n: usize, last: Value| {
            let mut v = nums(n);
            v[n - 1] = last;
            v
        };
        let cases: Vec<(Vec<Value>, Result<usize, &str>)> = vec![
            (nums(4000), Ok(1)),
            (
                nums(4001),
                Err("bad argument #0 to 'pack' (Too many arguments for MessagePack pack.)"),
            ),
            (
                with_last(3999, nest(&["a", "b"])),
                Err("stack overflow (in function mp_encode_lua_table_as_map)"),
            ),
            (
                with_last(3999, nest(&["", "", ""])),
                Err("stack overflow (in function table_is_an_array)"),
            ),
            (
                with_last(3998, nest(&["a", "b", "c"])),
                Err("stack overflow (in function mp_encode_lua_table_as_map)"),
            ),
        ];
        for (i, (args, want)) in cases.into_iter().enumerate() {
            assert_eq!(call("pack", args), want.map_err(String::from), "case {i}");
        }
    }

    /// Random bytes (mostly type bytes cmsgpack knows) into the three unpackers with
    /// random offsets and limits, random values through pack and back, and packed
    /// bytes with random damage: errors are fine, panics are not.
    #[test]
    fn no_input_makes_pack_or_unpack_panic() {
        let mut rng = testkit::Rng(0x2545_f491_4f6c_dd1d);
        let mut vm = testkit::vm();
        let alphabet: Vec<u8> = vec![
            0x00, 0x01, 0x7f, 0x80, 0x81, 0x8f, 0x90, 0x91, 0x9f, 0xa0, 0xa3, 0xbf, 0xc0, 0xc1,
            0xc2, 0xc3, 0xc4, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf, 0xd0, 0xd1, 0xd2, 0xd3, 0xd9,
            0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xe0, 0xff,
        ];
        let num = |rng: &mut testkit::Rng| {
            Value::Num(rng.pick(&[-1.0, 0.0, 1.0, 2.0, 3.0, 9.0, 1e10, 0.5]))
        };
        for _ in 0..20000 {
            let data = Value::bytes(&rng.bytes(40, &alphabet));
            let _ = testkit::poke(&mut vm, "cmsgpack", "unpack", vec![data.clone()]);
            let _ = testkit::poke(
                &mut vm,
                "cmsgpack",
                "unpack_one",
                vec![data.clone(), num(&mut rng)],
            );
            let (l, o) = (num(&mut rng), num(&mut rng));
            let _ = testkit::poke(&mut vm, "cmsgpack", "unpack_limit", vec![data, l, o]);
            let vals: Vec<Value> = (0..=rng.below(3)).map(|_| rng.value(0)).collect();
            if let Ok(out) = testkit::poke(&mut vm, "cmsgpack", "pack", vals) {
                if let Some(Value::Str(s)) = out.first() {
                    let _ =
                        testkit::poke(&mut vm, "cmsgpack", "unpack", vec![Value::Str(s.clone())]);
                    let mut damaged = s.as_bytes().to_vec();
                    if !damaged.is_empty() {
                        let at = rng.below(damaged.len());
                        damaged[at] = rng.pick(&alphabet);
                        damaged.truncate(rng.below(damaged.len() + 1));
                    }
                    let _ =
                        testkit::poke(&mut vm, "cmsgpack", "unpack", vec![Value::bytes(&damaged)]);
                }
            }
        }
    }
}
