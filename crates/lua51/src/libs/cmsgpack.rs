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
