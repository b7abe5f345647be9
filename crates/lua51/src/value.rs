//! Lua values: nil, booleans, numbers (always doubles, as in Lua 5.1), byte strings,
//! tables and functions; and how Lua 5.1 turns numbers into text and text into numbers.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use crate::table::Table;
use crate::vm::Ctx;

/// A Lua string: immutable bytes with the hash Lua 5.1 computes for them (the hash decides
/// where a key sits in a table, and so the order `next` and `pairs` visit keys in).
#[derive(Clone)]
pub struct LuaStr(Rc<StrInner>);

struct StrInner {
    hash: u32,
    bytes: Box<[u8]>,
}

impl LuaStr {
    pub fn new(bytes: &[u8]) -> LuaStr {
        LuaStr(Rc::new(StrInner {
            hash: lua_hash(bytes),
            bytes: bytes.into(),
        }))
    }
    pub fn as_bytes(&self) -> &[u8] {
        &self.0.bytes
    }
    pub fn len(&self) -> usize {
        self.0.bytes.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.bytes.is_empty()
    }
    pub fn hash(&self) -> u32 {
        self.0.hash
    }
    /// The text, with bytes that are not UTF-8 replaced (for error messages).
    pub fn to_str_lossy(&self) -> String {
        String::from_utf8_lossy(&self.0.bytes).into_owned()
    }
}

/// Lua 5.1's string hash (lstring.c): seeded with the length, at most 32 bytes sampled.
fn lua_hash(s: &[u8]) -> u32 {
    let l = s.len();
    let mut h = l as u32;
    let step = (l >> 5) + 1;
    let mut l1 = l;
    while l1 >= step {
        h ^= (h << 5).wrapping_add(h >> 2).wrapping_add(s[l1 - 1] as u32);
        l1 -= step;
    }
    h
}

impl PartialEq for LuaStr {
    fn eq(&self, other: &LuaStr) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
            || (self.0.hash == other.0.hash && self.0.bytes == other.0.bytes)
    }
}
impl Eq for LuaStr {}

impl PartialOrd for LuaStr {
    fn partial_cmp(&self, other: &LuaStr) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for LuaStr {
    /// Lua 5.1 compares with strcoll in the C locale: byte order.
    fn cmp(&self, other: &LuaStr) -> std::cmp::Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}

impl fmt::Debug for LuaStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.to_str_lossy())
    }
}

impl From<&[u8]> for LuaStr {
    fn from(b: &[u8]) -> LuaStr {
        LuaStr::new(b)
    }
}
impl From<&str> for LuaStr {
    fn from(s: &str) -> LuaStr {
        LuaStr::new(s.as_bytes())
    }
}
impl From<Vec<u8>> for LuaStr {
    fn from(b: Vec<u8>) -> LuaStr {
        LuaStr::new(&b)
    }
}
impl From<String> for LuaStr {
    fn from(s: String) -> LuaStr {
        LuaStr::new(s.as_bytes())
    }
}

/// A table shared by reference (equality is identity).
#[derive(Clone)]
pub struct TableRef(pub Rc<RefCell<Table>>);

impl TableRef {
    pub fn new(narray: usize, nhash: usize) -> TableRef {
        TableRef(Rc::new(RefCell::new(Table::new(narray, nhash))))
    }
    pub fn ptr_eq(&self, other: &TableRef) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
    pub fn id(&self) -> usize {
        Rc::as_ptr(&self.0) as *const u8 as usize
    }
    pub fn get(&self, key: &Value) -> Value {
        self.0.borrow().get(key)
    }
    pub fn get_str(&self, key: &str) -> Value {
        self.0.borrow().get(&Value::str(key))
    }
    pub fn get_int(&self, i: i64) -> Value {
        self.0.borrow().get_int(i)
    }
    /// A raw set (no metamethods, ignores the read-only flag); errors are Lua's texts.
    pub fn set(&self, key: Value, val: Value) -> Result<(), LuaError> {
        self.0
            .borrow_mut()
            .set(key, val)
            .map_err(|e| LuaError::Msg(e.to_string()))
    }
    /// Sets a string-keyed field (library tables).
    pub fn set_str(&self, key: &str, val: Value) {
        let _ = self.0.borrow_mut().set(Value::str(key), val);
    }
    pub fn set_int(&self, i: i64, val: Value) {
        let _ = self.0.borrow_mut().set(Value::Num(i as f64), val);
    }
    /// `#t` (Lua 5.1's border search).
    pub fn len(&self) -> usize {
        self.0.borrow().len()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    pub fn metatable(&self) -> Option<TableRef> {
        self.0.borrow().meta.clone()
    }
    pub fn set_metatable(&self, mt: Option<TableRef>) {
        self.0.borrow_mut().meta = mt;
    }
    pub fn readonly(&self) -> bool {
        self.0.borrow().readonly
    }
    pub fn set_readonly(&self, on: bool) {
        self.0.borrow_mut().readonly = on;
    }
    /// `next(t, key)`: the following pair, `None` at the end, `Err` for a key not in the table.
    pub fn next(&self, key: &Value) -> Result<Option<(Value, Value)>, LuaError> {
        self.0
            .borrow()
            .next(key)
            .map_err(|_| LuaError::Value(Value::str("invalid key to 'next'"))) // raised inside `next`: no position
    }
}

impl fmt::Debug for TableRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "table: 0x{:08x}", self.id())
    }
}

/// What a native function is: Rust code called with the VM and host in `ctx`.
pub type NativeFn = fn(&mut Ctx<'_>, Vec<Value>) -> LuaResult<Vec<Value>>;

/// A function written in Rust. `state` holds what a closure-like native keeps between calls
/// (gmatch's position, a host function's number).
pub struct Native {
    pub name: &'static str,
    pub f: NativeFn,
    pub state: RefCell<Vec<Value>>,
}

#[derive(Clone)]
pub enum Func {
    Lua(Rc<crate::vm::Closure>),
    Native(Rc<Native>),
}

impl Func {
    pub fn id(&self) -> usize {
        match self {
            Func::Lua(c) => Rc::as_ptr(c) as *const u8 as usize,
            Func::Native(n) => Rc::as_ptr(n) as *const u8 as usize,
        }
    }
    pub fn ptr_eq(&self, other: &Func) -> bool {
        self.id() == other.id()
    }
}

#[derive(Clone, Default)]
pub enum Value {
    #[default]
    Nil,
    Bool(bool),
    Num(f64),
    Str(LuaStr),
    Table(TableRef),
    Func(Func),
    /// A light userdata: only `cjson.null` (the C NULL pointer) is one.
    Light(usize),
    /// A coroutine.
    Thread(Rc<RefCell<crate::coroutine::Coroutine>>),
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::Str(LuaStr::from(s))
    }
    pub fn bytes(b: &[u8]) -> Value {
        Value::Str(LuaStr::new(b))
    }
    pub fn native(name: &'static str, f: NativeFn) -> Value {
        Value::Func(Func::Native(Rc::new(Native {
            name,
            f,
            state: RefCell::new(Vec::new()),
        })))
    }
    pub fn native_with(name: &'static str, f: NativeFn, state: Vec<Value>) -> Value {
        Value::Func(Func::Native(Rc::new(Native {
            name,
            f,
            state: RefCell::new(state),
        })))
    }
    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }
    /// Lua truth: everything but nil and false.
    pub fn truthy(&self) -> bool {
        !matches!(self, Value::Nil | Value::Bool(false))
    }
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Nil => "nil",
            Value::Bool(_) => "boolean",
            Value::Num(_) => "number",
            Value::Str(_) => "string",
            Value::Table(_) => "table",
            Value::Func(_) => "function",
            Value::Light(_) => "userdata",
            Value::Thread(_) => "thread",
        }
    }
    /// Primitive equality (no `__eq`).
    pub fn raw_eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Nil, Value::Nil) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Num(a), Value::Num(b)) => a == b,
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::Table(a), Value::Table(b)) => a.ptr_eq(b),
            (Value::Func(a), Value::Func(b)) => a.ptr_eq(b),
            (Value::Light(a), Value::Light(b)) => a == b,
            (Value::Thread(a), Value::Thread(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
    /// A number, or a string that reads as one (Lua's arithmetic coercion).
    pub fn to_number(&self) -> Option<f64> {
        match self {
            Value::Num(n) => Some(*n),
            Value::Str(s) => str2number(s.as_bytes()),
            _ => None,
        }
    }
    /// A string, or a number written as Lua writes it (`lua_tolstring`'s coercion).
    pub fn to_lua_str(&self) -> Option<LuaStr> {
        match self {
            Value::Str(s) => Some(s.clone()),
            Value::Num(n) => Some(LuaStr::from(fmt_number(*n))),
            _ => None,
        }
    }
    pub fn as_table(&self) -> Option<&TableRef> {
        match self {
            Value::Table(t) => Some(t),
            _ => None,
        }
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Nil => write!(f, "nil"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Num(n) => write!(f, "{}", fmt_number(*n)),
            Value::Str(s) => write!(f, "{s:?}"),
            Value::Table(t) => write!(f, "{t:?}"),
            Value::Func(x) => write!(f, "function: 0x{:08x}", x.id()),
            Value::Light(p) => write!(f, "userdata: 0x{p:08x}"),
            Value::Thread(t) => write!(f, "thread: 0x{:08x}", Rc::as_ptr(t) as *const u8 as usize),
        }
    }
}

impl From<f64> for Value {
    fn from(n: f64) -> Value {
        Value::Num(n)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}
impl From<LuaStr> for Value {
    fn from(s: LuaStr) -> Value {
        Value::Str(s)
    }
}
impl From<TableRef> for Value {
    fn from(t: TableRef) -> Value {
        Value::Table(t)
    }
}

/// An error on its way up the Lua stack.
#[derive(Clone, Debug)]
pub enum LuaError {
    /// A message from a native function or the VM; the VM prefixes it with the position of
    /// the Lua function that was running (`user_script:3: `), as `luaL_error` does.
    Msg(String),
    /// An error value exactly as raised (`error(v)`, already positioned where it must be).
    Value(Value),
    /// Stops the script whatever `pcall` says: killed, out of memory, over its budget.
    Abort(String),
}

pub type LuaResult<T> = Result<T, LuaError>;

impl LuaError {
    pub fn msg(s: impl Into<String>) -> LuaError {
        LuaError::Msg(s.into())
    }
}

/// `%.14g`, the format Lua 5.1 writes numbers with (`tostring(10/2)` is `5`).
pub fn fmt_number(n: f64) -> String {
    fmt_g(n, 14)
}

/// C's `%.<prec>g`.
pub fn fmt_g(n: f64, prec: usize) -> String {
    if n.is_nan() {
        return if n.is_sign_negative() {
            "-nan".into()
        } else {
            "nan".into()
        };
    }
    if n.is_infinite() {
        return if n < 0.0 { "-inf".into() } else { "inf".into() };
    }
    let p = prec.max(1);
    if n == 0.0 {
        return if n.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    let e = format!("{:.*e}", p - 1, n);
    let (mant, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let x: i32 = exp.parse().unwrap_or(0);
    if x < -4 || x >= p as i32 {
        let mant = strip_zeros(mant);
        let sign = if x < 0 { '-' } else { '+' };
        format!("{mant}e{sign}{:02}", x.abs())
    } else {
        let decimals = (p as i32 - 1 - x).max(0) as usize;
        strip_zeros(&format!("{:.*}", decimals, n)).to_string()
    }
}

fn strip_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// `x × 2^e` without overflowing or underflowing in between (0 stays 0).
fn ldexp(x: f64, e: i32) -> f64 {
    if x == 0.0 {
        return x;
    }
    let (mut x, mut e) = (x, e);
    while e > 1000 && x.is_finite() {
        x *= 2f64.powi(1000);
        e -= 1000;
    }
    while e < -1000 && x != 0.0 {
        x *= 2f64.powi(-1000);
        e += 1000;
    }
    x * 2f64.powi(e)
}

fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Lua 5.1's `luaO_str2d`: what C's `strtod` reads (decimal, hexadecimal, inf, nan), then a
/// hexadecimal integer, with only spaces after.
pub fn str2number(s: &[u8]) -> Option<f64> {
    let (n, used) = strtod(s)?;
    let rest = &s[used..];
    if rest.iter().all(|&b| is_c_space(b)) {
        Some(n)
    } else {
        None
    }
}

/// C's `strtod` on bytes: the number and how many bytes it read (None: nothing read).
pub fn strtod(s: &[u8]) -> Option<(f64, usize)> {
    let mut i = 0;
    while i < s.len() && is_c_space(s[i]) {
        i += 1;
    }
    let start = i;
    let mut neg = false;
    if i < s.len() && (s[i] == b'+' || s[i] == b'-') {
        neg = s[i] == b'-';
        i += 1;
    }
    let lower = |j: usize, n: usize| -> Vec<u8> { s[j..(j + n).min(s.len())].to_ascii_lowercase() };
    let sign = if neg { -1.0 } else { 1.0 };
    if lower(i, 8) == b"infinity" {
        return Some((sign * f64::INFINITY, i + 8));
    }
    if lower(i, 3) == b"inf" {
        return Some((sign * f64::INFINITY, i + 3));
    }
    if lower(i, 3) == b"nan" {
        let mut j = i + 3;
        // nan(chars)
        if j < s.len() && s[j] == b'(' {
            let mut k = j + 1;
            while k < s.len() && (s[k].is_ascii_alphanumeric() || s[k] == b'_') {
                k += 1;
            }
            if k < s.len() && s[k] == b')' {
                j = k + 1;
            }
        }
        return Some((if neg { -f64::NAN } else { f64::NAN }, j));
    }
    if lower(i, 2) == b"0x" {
        let mut j = i + 2;
        let mut mant: f64 = 0.0;
        let mut digits = 0;
        let mut exp: i32 = 0;
        while j < s.len() && s[j].is_ascii_hexdigit() {
            mant = mant * 16.0 + (s[j] as char).to_digit(16).unwrap_or(0) as f64;
            digits += 1;
            j += 1;
        }
        if j < s.len() && s[j] == b'.' {
            j += 1;
            while j < s.len() && s[j].is_ascii_hexdigit() {
                mant = mant * 16.0 + (s[j] as char).to_digit(16).unwrap_or(0) as f64;
                exp -= 4;
                digits += 1;
                j += 1;
            }
        }
        if digits == 0 {
            // "0x" alone: strtod reads the "0"
            return Some((sign * 0.0, i + 1));
        }
        if j < s.len() && (s[j] == b'p' || s[j] == b'P') {
            let mut k = j + 1;
            let mut eneg = false;
            if k < s.len() && (s[k] == b'+' || s[k] == b'-') {
                eneg = s[k] == b'-';
                k += 1;
            }
            let ds = k;
            let mut e: i32 = 0;
            while k < s.len() && s[k].is_ascii_digit() {
                e = e.saturating_mul(10).saturating_add((s[k] - b'0') as i32);
                k += 1;
            }
            if k > ds {
                exp = exp.saturating_add(if eneg { -e } else { e });
                j = k;
            }
        }
        return Some((sign * ldexp(mant, exp), j));
    }
    let mut j = i;
    let mut digits = 0;
    while j < s.len() && s[j].is_ascii_digit() {
        j += 1;
        digits += 1;
    }
    if j < s.len() && s[j] == b'.' {
        j += 1;
        while j < s.len() && s[j].is_ascii_digit() {
            j += 1;
            digits += 1;
        }
    }
    if digits == 0 {
        return None;
    }
    if j < s.len() && (s[j] == b'e' || s[j] == b'E') {
        let mut k = j + 1;
        if k < s.len() && (s[k] == b'+' || s[k] == b'-') {
            k += 1;
        }
        let ds = k;
        while k < s.len() && s[k].is_ascii_digit() {
            k += 1;
        }
        if k > ds {
            j = k;
        }
    }
    let text = std::str::from_utf8(&s[start..j]).ok()?;
    let text = text.strip_prefix('+').unwrap_or(text);
    let n: f64 = text.parse().ok().or_else(|| {
        // "5." and ".5" forms Rust reads; anything else it refuses is out of range
        if text.ends_with('.') {
            text.trim_end_matches('.').parse().ok()
        } else {
            None
        }
    })?;
    Some((n, j))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_lua_5_1_writes_them() {
        assert_eq!(fmt_number(5.0), "5");
        assert_eq!(fmt_number(0.1), "0.1");
        assert_eq!(fmt_number(1.0 / 3.0), "0.33333333333333");
        assert_eq!(fmt_number(1e15), "1e+15");
        assert_eq!(fmt_number(123456789012345.0), "1.2345678901234e+14");
        assert_eq!(fmt_number(12345678901234.0), "12345678901234");
        assert_eq!(fmt_number(-0.0), "-0");
        assert_eq!(fmt_number(1e-5), "1e-05");
        assert_eq!(fmt_number(0.0001), "0.0001");
        assert_eq!(fmt_number(f64::INFINITY), "inf");
        assert_eq!(fmt_number(2f64.powi(53)), "9.007199254741e+15");
        assert_eq!(fmt_number(2.71), "2.71");
    }

    #[test]
    fn text_reads_as_strtod_reads_it() {
        assert_eq!(str2number(b"10"), Some(10.0));
        assert_eq!(str2number(b"  0x10  "), Some(16.0));
        assert_eq!(str2number(b"1e2"), Some(100.0));
        assert_eq!(str2number(b".5"), Some(0.5));
        assert_eq!(str2number(b"5."), Some(5.0));
        assert_eq!(str2number(b"-3"), Some(-3.0));
        assert_eq!(str2number(b"1x"), None);
        assert_eq!(str2number(b""), None);
        assert_eq!(str2number(b" "), None);
        assert_eq!(str2number(b"inf"), Some(f64::INFINITY));
        assert_eq!(str2number(b"1e"), None);
    }

    #[test]
    fn strings_hash_as_lua_5_1() {
        // h = len; for each sampled byte from the end: h ^= (h<<5) + (h>>2) + c
        let mut h: u32 = 1;
        h ^= (h << 5).wrapping_add(h >> 2).wrapping_add(b'a' as u32);
        assert_eq!(LuaStr::from("a").hash(), h);
    }
}
