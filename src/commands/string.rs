//! Strings: SET and its variants, GET and its variants, counters, ranges, LCS.
//!
//! Data operations first (typed access to a string value, the shared SET path, the
//! counter arithmetic), then the command handlers, then the table entries.

use super::args::{int_arg, pairs, Args};
use super::table::{key, Group, Link, Shape, BASE};
use super::Command;
use crate::clock::Ms;
use crate::error::{CmdError, CmdResult};
use crate::num::ldouble::{self, LongDouble};
use crate::reply::Reply;
use crate::server::{Class, Ctx};
use crate::types::{limits::PROTO_MAX_BULK_LEN, RString, Value};

// ---- data operations ----

/// The string at `key`: Ok(None) if missing, WRONGTYPE if another type. Counts the lookup
/// as a keyspace hit or miss.
pub(super) fn read_str<'c>(ctx: &'c mut Ctx, key: &[u8]) -> CmdResult<Option<&'c RString>> {
    str_at(ctx, key, true).map(|s| s.map(|s| &*s))
}

/// The string bytes at `key` for a write path (no hit/miss counting).
pub(super) fn write_str<'c>(ctx: &'c mut Ctx, key: &[u8]) -> CmdResult<Option<&'c mut RString>> {
    str_at(ctx, key, false)
}

/// The string at `key` (None if missing, WRONGTYPE for another type); `read` counts the
/// lookup as a keyspace hit or miss.
pub(super) fn str_at<'c>(
    ctx: &'c mut Ctx,
    key: &[u8],
    read: bool,
) -> CmdResult<Option<&'c mut RString>> {
    match super::value_of(ctx, key, read) {
        None => Ok(None),
        Some(Value::Str(s)) => Ok(Some(s)),
        Some(_) => Err(CmdError::WrongType),
    }
}

/// One write of one change, announced as keyspace event `event` of `class`.
pub(super) fn wrote(ctx: &mut Ctx, class: Class, event: &'static str, key: &[u8]) {
    ctx.notify(class, event, key);
    ctx.changes(1);
}

/// Redis refuses to grow a string past proto-max-bulk-len (512 MB).
pub(super) fn check_len(current: usize, adding: usize) -> CmdResult<()> {
    match current.checked_add(adding) {
        Some(total) if total <= PROTO_MAX_BULK_LEN => Ok(()),
        _ => Err(CmdError::StringTooLong),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Unit {
    Seconds,
    Millis,
}

/// How the expiry options of SET and GETEX set a TTL.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ExpireOpt {
    None,
    /// EX / PX: relative.
    In(Unit),
    /// EXAT / PXAT: absolute.
    At(Unit),
    KeepTtl,
    Persist,
}

#[derive(Clone, Copy, Default)]
struct SetFlags {
    nx: bool,
    xx: bool,
    get: bool,
}

/// Read the options of SET (after `key value`) or GETEX (after `key`) with Redis's
/// rules: NX/XX exclude each other, one expiry form at most (repeating the same one is
/// fine), KEEPTTL only for SET, PERSIST only for GETEX, and an expiry needs its number.
/// The number is only taken here; it is validated later, as Redis does.
fn parse_string_options<'a>(
    args: &mut Args<'a>,
    for_set: bool,
) -> CmdResult<(SetFlags, ExpireOpt, Option<&'a [u8]>)> {
    let mut flags = SetFlags::default();
    let mut exp = ExpireOpt::None;
    let mut number = None;
    while let Some(opt) = args.next_option() {
        let form = match opt.as_str() {
            "ex" => ExpireOpt::In(Unit::Seconds),
            "px" => ExpireOpt::In(Unit::Millis),
            "exat" => ExpireOpt::At(Unit::Seconds),
            "pxat" => ExpireOpt::At(Unit::Millis),
            _ => ExpireOpt::None,
        };
        match opt.as_str() {
            "nx" if for_set && !flags.xx => flags.nx = true,
            "xx" if for_set && !flags.nx => flags.xx = true,
            "get" if for_set => flags.get = true,
            "keepttl" if for_set && matches!(exp, ExpireOpt::None | ExpireOpt::KeepTtl) => {
                exp = ExpireOpt::KeepTtl
            }
            "persist" if !for_set && matches!(exp, ExpireOpt::None | ExpireOpt::Persist) => {
                exp = ExpireOpt::Persist
            }
            "ex" | "px" | "exat" | "pxat" => {
                let n = args.value()?;
                // One expiry form only; repeating the same one (EX 1 EX 2) is allowed.
                if exp != ExpireOpt::None && exp != form {
                    return Err(CmdError::Syntax);
                }
                exp = form;
                number = Some(n);
            }
            _ => return Err(CmdError::Syntax),
        }
    }
    Ok((flags, exp, number))
}

/// Turn an EX/PX/EXAT/PXAT argument into an absolute time in ms, as Redis validates it.
fn expire_at_ms(arg: &[u8], exp: ExpireOpt, now: Ms, cmd: &str) -> CmdResult<i64> {
    let v = int_arg(arg)?;
    let unit = match exp {
        ExpireOpt::In(u) | ExpireOpt::At(u) => u,
        _ => Unit::Millis,
    };
    let invalid = || CmdError::InvalidExpire(cmd.to_string());
    if v <= 0 || (unit == Unit::Seconds && v > i64::MAX / 1000) {
        return Err(invalid());
    }
    let mut ms = if unit == Unit::Seconds { v * 1000 } else { v };
    if matches!(exp, ExpireOpt::In(_)) {
        ms = ms.wrapping_add(now);
    }
    if ms <= 0 {
        return Err(invalid());
    }
    Ok(ms)
}

/// The shared path of SET, SETNX, SETEX and PSETEX. Returns None when NX/XX stopped it.
/// With GET, the old value (or nil) is the reply, and a non-string old value aborts.
fn set_generic(
    ctx: &mut Ctx,
    key: &[u8],
    value: Vec<u8>,
    flags: SetFlags,
    exp: ExpireOpt,
    exp_arg: Option<&[u8]>,
    cmd: &str,
) -> CmdResult<(bool, Option<Reply>)> {
    let at = match exp_arg {
        Some(a) => Some(expire_at_ms(a, exp, ctx.now, cmd)?),
        None => None,
    };
    let old = if flags.get {
        Some(Reply::opt_bulk(
            read_str(ctx, key)?.map(|s| s.as_bytes().to_vec()),
        ))
    } else {
        None
    };
    let now = ctx.now;
    let found = ctx.db().contains(key, now);
    if (flags.nx && found) || (flags.xx && !found) {
        return Ok((false, old));
    }
    let keep = exp == ExpireOpt::KeepTtl;
    ctx.db()
        .set(key, Value::Str(RString::from_arg(value)), keep, now);
    if let Some(at) = at {
        ctx.db().set_expire(key, at, now);
    }
    ctx.notify(Class::String, "set", key);
    if at.is_some() {
        ctx.notify(Class::Generic, "expire", key);
    }
    ctx.changes(1);
    Ok((true, old))
}

/// INCR, DECR, INCRBY, DECRBY: add to the integer at `key` (0 if missing), keeping its TTL.
fn incr_by(ctx: &mut Ctx, key: &[u8], by: i64) -> CmdResult {
    let now = ctx.now;
    let current = match write_str(ctx, key)? {
        None => 0,
        Some(s) => s.as_i64().ok_or(CmdError::NotInteger)?,
    };
    let next = current.checked_add(by).ok_or(CmdError::Overflow)?;
    if let Some(Value::Str(s)) = ctx.db().get_mut(key, now) {
        *s = RString::from_i64(next);
    } else {
        ctx.db()
            .set(key, Value::Str(RString::from_i64(next)), false, now);
    }
    wrote(ctx, Class::String, "incrby", key);
    Ok(Reply::Int(next))
}

/// Redis's index arithmetic for a range of `total` units: negative indexes count from the
/// end, then both are clamped to 0 and `end` to the last unit (start > end: empty).
pub(super) fn clamp_range(total: i64, mut start: i64, mut end: i64) -> (i64, i64) {
    if start < 0 {
        start += total;
    }
    if end < 0 {
        end += total;
    }
    start = start.max(0);
    end = end.max(0);
    if end >= total {
        end = total - 1;
    }
    (start, end)
}

/// GETRANGE's index arithmetic: the byte range of `len` selected by start..=end.
fn byte_range(len: usize, start: i64, end: i64) -> Option<(usize, usize)> {
    let n = len as i64;
    if start < 0 && end < 0 && start > end {
        return None;
    }
    let (start, end) = clamp_range(n, start, end);
    if start > end || n == 0 {
        return None;
    }
    Some((start as usize, end as usize))
}

/// The LCS dynamic-programming table, `(a.len()+1) × (b.len()+1)` lengths.
fn lcs_table(a: &[u8], b: &[u8]) -> CmdResult<Vec<u32>> {
    let cells = (a.len() + 1).checked_mul(b.len() + 1).ok_or_else(lcs_oom)?;
    // Redis refuses a table bigger than proto-max-bulk-len before trying to allocate it.
    let bytes = cells.checked_mul(4).ok_or_else(lcs_oom)?;
    if bytes > PROTO_MAX_BULK_LEN {
        return Err(CmdError::Err(
            "Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len".into(),
        ));
    }
    if !crate::memory::has_room_for(bytes) {
        return Err(lcs_oom());
    }
    let mut t: Vec<u32> = Vec::new();
    t.try_reserve_exact(cells).map_err(|_| lcs_oom())?;
    t.resize(cells, 0);
    let w = b.len() + 1;
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            t[i * w + j] = if a[i - 1] == b[j - 1] {
                t[(i - 1) * w + j - 1] + 1
            } else {
                t[(i - 1) * w + j].max(t[i * w + j - 1])
            };
        }
    }
    Ok(t)
}

fn lcs_oom() -> CmdError {
    CmdError::Err("Insufficient memory, failed allocating transient memory for LCS".into())
}

/// Walk the LCS table back from the end, collecting the common subsequence and the
/// matching ranges (in the order Redis reports them: from the end of the strings).
/// Each range is ((a_start, a_end), (b_start, b_end)).
#[allow(clippy::type_complexity)]
fn lcs_walk(a: &[u8], b: &[u8], t: &[u32]) -> (Vec<u8>, Vec<((usize, usize), (usize, usize))>) {
    let w = b.len() + 1;
    let mut seq = Vec::new();
    let mut ranges = Vec::new();
    let (mut i, mut j) = (a.len(), b.len());
    let mut open: Option<((usize, usize), (usize, usize))> = None;
    while i > 0 && j > 0 {
        if a[i - 1] == b[j - 1] {
            seq.push(a[i - 1]);
            open = match open {
                Some(((_, ae), (_, be))) => Some(((i - 1, ae), (j - 1, be))),
                None => Some(((i - 1, i - 1), (j - 1, j - 1))),
            };
            i -= 1;
            j -= 1;
            if i == 0 || j == 0 {
                ranges.extend(open.take());
            }
        } else {
            if t[(i - 1) * w + j] > t[i * w + j - 1] {
                i -= 1;
            } else {
                j -= 1;
            }
            ranges.extend(open.take());
        }
    }
    seq.reverse();
    (seq, ranges)
}

// ---- command handlers ----

/// SET key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]
fn set(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let value = args.next_arg()?;
    let (flags, exp, exp_arg) = parse_string_options(&mut args, true)?;
    let (done, old) = set_generic(ctx, key, value.to_vec(), flags, exp, exp_arg, "set")?;
    Ok(match old {
        Some(old) => old,
        None if done => Reply::ok(),
        None => Reply::Nil,
    })
}

/// SETNX key value
fn setnx(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let value = args.next_arg()?;
    let flags = SetFlags {
        nx: true,
        ..SetFlags::default()
    };
    let (done, _) = set_generic(
        ctx,
        key,
        value.to_vec(),
        flags,
        ExpireOpt::None,
        None,
        "setnx",
    )?;
    Ok(Reply::from(done))
}

/// SETEX and PSETEX (`key time value`): a value with a relative TTL in the given unit.
fn setex_generic(ctx: &mut Ctx, argv: &[Vec<u8>], unit: Unit, cmd: &str) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let time = args.next_arg()?;
    let value = args.next_arg()?;
    let flags = SetFlags::default();
    set_generic(
        ctx,
        key,
        value.to_vec(),
        flags,
        ExpireOpt::In(unit),
        Some(time),
        cmd,
    )?;
    Ok(Reply::ok())
}

/// SETEX key seconds value
fn setex(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    setex_generic(ctx, argv, Unit::Seconds, "setex")
}

/// PSETEX key milliseconds value
fn psetex(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    setex_generic(ctx, argv, Unit::Millis, "psetex")
}

/// GET key
fn get(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let key = Args::new(argv).next_key()?;
    Ok(Reply::opt_bulk(read_str(ctx, key)?.map(|s| s.as_bytes())))
}

/// GETEX key [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|PERSIST]
fn getex(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let (_, exp, exp_arg) = parse_string_options(&mut args, false)?;
    let Some(value) = read_str(ctx, key)?.map(|s| s.as_bytes().to_vec()) else {
        return Ok(Reply::Nil);
    };
    let at = match exp_arg {
        Some(a) => Some(expire_at_ms(a, exp, ctx.now, "getex")?),
        None => None,
    };
    let now = ctx.now;
    match (exp, at) {
        (ExpireOpt::At(_), Some(at)) if at <= now => {
            ctx.db().remove(key, now);
            wrote(ctx, Class::Generic, "del", key);
        }
        (_, Some(at)) => {
            ctx.db().set_expire(key, at, now);
            wrote(ctx, Class::Generic, "expire", key);
        }
        (ExpireOpt::Persist, None) if ctx.db().persist(key, now) => {
            wrote(ctx, Class::Generic, "persist", key);
        }
        _ => {}
    }
    Ok(Reply::Bulk(value))
}

/// GETDEL key
fn getdel(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let key = Args::new(argv).next_key()?;
    let Some(value) = read_str(ctx, key)?.map(|s| s.as_bytes().to_vec()) else {
        return Ok(Reply::Nil);
    };
    let now = ctx.now;
    ctx.db().remove(key, now);
    wrote(ctx, Class::Generic, "del", key);
    Ok(Reply::Bulk(value))
}

/// GETSET key value
fn getset(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let value = args.next_arg()?;
    let old = read_str(ctx, key)?.map(|s| s.as_bytes().to_vec());
    let now = ctx.now;
    ctx.db().set(
        key,
        Value::Str(RString::from_arg(value.to_vec())),
        false,
        now,
    );
    wrote(ctx, Class::String, "set", key);
    Ok(Reply::opt_bulk(old))
}

/// MSET key value [key value ...]
fn mset(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    mset_generic(ctx, argv, false).map(|_| Reply::ok())
}

/// MSETNX key value [key value ...]
fn msetnx(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    mset_generic(ctx, argv, true).map(Reply::from)
}

/// MSET and MSETNX: `key value [key value ...]`; an odd count is the arity error.
fn mset_generic(ctx: &mut Ctx, argv: &[Vec<u8>], nx: bool) -> CmdResult<bool> {
    let kvs = Args::new(argv).rest();
    if !kvs.len().is_multiple_of(2) {
        return Err(CmdError::WrongArity(
            if nx { "msetnx" } else { "mset" }.into(),
        ));
    }
    let now = ctx.now;
    if nx && pairs(kvs).any(|(k, _)| ctx.db().contains(k, now)) {
        return Ok(false);
    }
    for (k, v) in pairs(kvs) {
        ctx.db()
            .set(k, Value::Str(RString::from_arg(v.to_vec())), false, now);
        wrote(ctx, Class::String, "set", k);
    }
    Ok(true)
}

/// MGET key [key ...]
fn mget(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let keys = Args::new(argv).rest();
    let mut out = Vec::with_capacity(keys.len());
    for key in keys {
        // A key of another type is a hit (Redis looks it up, then answers nil for it).
        let v = match super::value_of(ctx, key, true) {
            Some(Value::Str(s)) => Reply::bulk(s.as_bytes()),
            _ => Reply::Nil,
        };
        out.push(v);
    }
    Ok(Reply::Array(out))
}

/// APPEND key value
fn append(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let add = args.next_arg()?;
    let now = ctx.now;
    let len = match write_str(ctx, key)? {
        None => {
            ctx.db()
                .set(key, Value::Str(RString::from_arg(add.to_vec())), false, now);
            add.len()
        }
        Some(s) => {
            check_len(s.len(), add.len())?;
            let bytes = s.make_raw();
            bytes.try_reserve(add.len()).map_err(|_| CmdError::Oom)?;
            bytes.extend_from_slice(add);
            bytes.len()
        }
    };
    wrote(ctx, Class::String, "append", key);
    Ok(Reply::from(len))
}

/// STRLEN key
fn strlen(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let key = Args::new(argv).next_key()?;
    Ok(Reply::from(read_str(ctx, key)?.map_or(0, |s| s.len())))
}

/// GETRANGE key start end (and SUBSTR, its old name)
fn getrange(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let start = args.next_i64()?;
    let end = args.next_i64()?;
    let Some(s) = read_str(ctx, key)? else {
        return Ok(Reply::bulk(b""));
    };
    Ok(match byte_range(s.len(), start, end) {
        Some((a, b)) => Reply::bulk(&s.as_bytes()[a..=b]),
        None => Reply::bulk(b""),
    })
}

/// SETRANGE key offset value
fn setrange(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let offset = args.next_i64()?;
    let value = args.next_arg()?;
    if offset < 0 {
        return Err(CmdError::OffsetOutOfRange);
    }
    let offset = usize::try_from(offset).map_err(|_| CmdError::StringTooLong)?;
    let now = ctx.now;
    let len = match write_str(ctx, key)? {
        None => {
            if value.is_empty() {
                return Ok(Reply::Int(0));
            }
            check_len(offset, value.len())?;
            let mut bytes = Vec::new();
            bytes
                .try_reserve_exact(offset + value.len())
                .map_err(|_| CmdError::Oom)?;
            bytes.resize(offset, 0);
            bytes.extend_from_slice(value);
            let len = bytes.len();
            ctx.db()
                .set(key, Value::Str(RString::raw(bytes)), false, now);
            len
        }
        Some(s) => {
            if value.is_empty() {
                return Ok(Reply::from(s.len()));
            }
            check_len(offset, value.len())?;
            let bytes = s.make_raw();
            let end = offset + value.len();
            if bytes.len() < end {
                bytes
                    .try_reserve(end - bytes.len())
                    .map_err(|_| CmdError::Oom)?;
                bytes.resize(end, 0);
            }
            bytes[offset..end].copy_from_slice(value);
            bytes.len()
        }
    };
    wrote(ctx, Class::String, "setrange", key);
    Ok(Reply::from(len))
}

/// INCR key
fn incr(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    incr_by(ctx, Args::new(argv).next_key()?, 1)
}

/// DECR key
fn decr(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    incr_by(ctx, Args::new(argv).next_key()?, -1)
}

/// INCRBY key increment
fn incrby(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let by = args.next_i64()?;
    incr_by(ctx, key, by)
}

/// DECRBY key decrement
fn decrby(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let by = args.next_i64()?;
    if by == i64::MIN {
        return Err(CmdError::Err("decrement would overflow".into()));
    }
    incr_by(ctx, key, -by)
}

/// INCRBYFLOAT key increment — in 80-bit long double, as Redis on x86-64 computes it.
/// The stored value is checked before the increment, as in Redis.
fn incrbyfloat(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let increment = args.next_arg()?;
    let now = ctx.now;
    let current = match write_str(ctx, key)? {
        None => LongDouble::from_i64(0),
        Some(s) => ldouble::parse(s.as_bytes()).ok_or(CmdError::NotFloat)?,
    };
    let incr = ldouble::parse(increment).ok_or(CmdError::NotFloat)?;
    let sum = current.add(incr);
    if !sum.is_finite() {
        return Err(CmdError::IncrNanOrInf);
    }
    let text = sum.fmt_human().into_bytes();
    let value = Value::Str(RString::fresh(text.clone()));
    if let Some(v) = ctx.db().get_mut(key, now) {
        *v = value;
    } else {
        ctx.db().set(key, value, false, now);
    }
    wrote(ctx, Class::String, "incrbyfloat", key);
    Ok(Reply::Bulk(text))
}

/// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN] — both keys are read
/// (and type-checked) before the options.
fn lcs(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key1 = args.next_key()?;
    let key2 = args.next_key()?;
    let now = ctx.now;
    let fetch = |ctx: &mut Ctx, key: &[u8]| -> CmdResult<Vec<u8>> {
        match ctx.db().get(key, now) {
            None => Ok(Vec::new()),
            Some(Value::Str(s)) => Ok(s.as_bytes().to_vec()),
            Some(_) => Err(CmdError::Err(
                "The specified keys must contain string values".into(),
            )),
        }
    };
    let a = fetch(ctx, key1);
    let b = fetch(ctx, key2);
    let (a, b) = (a?, b?);
    let (mut want_len, mut want_idx, mut with_len) = (false, false, false);
    let mut min_len: i64 = 0;
    while let Some(opt) = args.next_option() {
        match opt.as_str() {
            "idx" => want_idx = true,
            "len" => want_len = true,
            "withmatchlen" => with_len = true,
            "minmatchlen" => min_len = int_arg(args.value()?)?.max(0),
            _ => return Err(CmdError::Syntax),
        }
    }
    if want_idx && want_len {
        return Err(CmdError::Err(
            "If you want both the length and indexes, please just use IDX.".into(),
        ));
    }
    let t = lcs_table(&a, &b)?;
    let total = t.last().copied().unwrap_or(0) as i64;
    if want_len {
        return Ok(Reply::Int(total));
    }
    let (seq, ranges) = lcs_walk(&a, &b, &t);
    if !want_idx {
        return Ok(Reply::Bulk(seq));
    }
    let matches = ranges
        .into_iter()
        .filter(|((s, e), _)| (e - s + 1) as i64 >= min_len)
        .map(|((a0, a1), (b0, b1))| {
            let mut m = vec![
                Reply::Array(vec![Reply::from(a0), Reply::from(a1)]),
                Reply::Array(vec![Reply::from(b0), Reply::from(b1)]),
            ];
            if with_len {
                m.push(Reply::from(a1 - a0 + 1));
            }
            Reply::Array(m)
        })
        .collect();
    Ok(Reply::Map(vec![
        (Reply::bulk("matches"), Reply::Array(matches)),
        (Reply::bulk("len"), Reply::Int(total)),
    ]))
}

/// SET's key flags for this line (ACL key permissions): read and written with GET,
/// only overwritten without.
fn set_key_flags(argv: &[Vec<u8>]) -> super::table::KeyFlags {
    if argv.iter().skip(3).any(|a| a.eq_ignore_ascii_case(b"get")) {
        key_flags![RW, ACCESS, UPDATE]
    } else {
        key_flags![OW, UPDATE]
    }
}

// ---- the table ----

const D: Command = Command {
    name: "",
    arity: 2,
    flags: flags![READONLY, FAST],
    acl: acl![READ, STRING, FAST],
    keys: (1, 1, 1),
    key_specs: &[key(1, key_flags![RO, ACCESS])],
    tips: &[],
    group: Group::String,
    since: "1.0.0",
    complexity: "O(1)",
    summary: "",
    syntax: "key",
    handler: get,
    subcommands: &[],
    ..BASE
};

const W: Command = Command {
    flags: flags![WRITE, DENYOOM, FAST],
    acl: acl![WRITE, STRING, FAST],
    key_specs: &[key(1, key_flags![RW, ACCESS, UPDATE])],
    ..D
};

pub const COMMANDS: &[Command] = &[
    Command { name: "append", arity: 3, key_specs: &[key(1, key_flags![RW, INSERT])], since: "2.0.0",
        summary: "Append bytes to the string at a key, creating it if missing; returns the new length",
        syntax: "key value", handler: append, ..W },
    Command { name: "decr", summary: "Subtract one from the integer at a key (missing counts as 0)",
        handler: decr, ..W },
    Command { name: "decrby", arity: 3, summary: "Subtract an integer from the integer at a key (missing counts as 0)",
        syntax: "key decrement", handler: decrby, ..W },
    Command { name: "get", summary: "Read the string stored at a key", handler: get, ..D },
    Command { name: "getdel", flags: flags![WRITE, FAST], acl: acl![WRITE, STRING, FAST],
        key_specs: &[key(1, key_flags![RW, ACCESS, DELETE])], since: "6.2.0",
        summary: "Read the string at a key, then delete the key", handler: getdel, ..D },
    Command { name: "getex", arity: -2, flags: flags![WRITE, FAST], acl: acl![WRITE, STRING, FAST],
        key_specs: &[key(1, key_flags![RW, ACCESS, UPDATE]).notes("RW and UPDATE because it changes the TTL")], since: "6.2.0",
        summary: "Read the string at a key and change or remove its time to live",
        syntax: "key [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|PERSIST]",
        handler: getex, ..D },
    Command { name: "getrange", arity: 4, flags: flags![READONLY], acl: acl![READ, STRING, SLOW], since: "2.4.0",
        complexity: "O(N) where N is the length of the returned range",
        summary: "Read the bytes of a string between two offsets (negative offsets count from the end)",
        syntax: "key start end", handler: getrange, ..D },
    Command { name: "getset", arity: 3, summary: "Store a string at a key and return the value it replaces",
        syntax: "key value", handler: getset, ..W },
    Command { name: "incr", summary: "Add one to the integer at a key (missing counts as 0)", handler: incr, ..W },
    Command { name: "incrby", arity: 3, summary: "Add an integer to the integer at a key (missing counts as 0)",
        syntax: "key increment", handler: incrby, ..W },
    Command { name: "incrbyfloat", arity: 3, since: "2.6.0",
        summary: "Add a decimal number to the number at a key (missing counts as 0)",
        syntax: "key increment", handler: incrbyfloat, ..W },
    Command { name: "lcs", arity: -3, flags: flags![READONLY], acl: acl![READ, STRING, SLOW], keys: (1, 2, 1),
        key_specs: &[key(1, key_flags![RO, ACCESS]).range(1, 1, 0)], since: "7.0.0",
        complexity: "O(N*M) where N and M are the lengths of the two strings",
        summary: "The longest common subsequence of two strings, its length, or where it matches",
        syntax: "key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]", handler: lcs, ..D },
    Command { name: "mget", shape: Shape::PerArg(1, "key", "value"), arity: -2, keys: (1, -1, 1), key_specs: &[key(1, key_flags![RO, ACCESS]).range(-1, 1, 0)],
        tips: &["request_policy:multi_shard"], complexity: "O(N) where N is the number of keys",
        summary: "Read the strings at several keys (nil for missing or non-string keys)",
        syntax: "key [key ...]", handler: mget, ..D },
    Command { name: "mset", arity: -3, flags: flags![WRITE, DENYOOM], acl: acl![WRITE, STRING, SLOW], keys: (1, -1, 2),
        key_specs: &[key(1, key_flags![OW, UPDATE]).range(-1, 2, 0)], tips: &["request_policy:multi_shard", "response_policy:all_succeeded"],
        since: "1.0.1", complexity: "O(N) where N is the number of keys",
        summary: "Store strings at several keys at once", syntax: "key value [key value ...]", handler: mset, ..W },
    Command { name: "msetnx", arity: -3, flags: flags![WRITE, DENYOOM], acl: acl![WRITE, STRING, SLOW], keys: (1, -1, 2),
        key_specs: &[key(1, key_flags![OW, INSERT]).range(-1, 2, 0)], tips: &["request_policy:multi_shard", "response_policy:agg_min"],
        since: "1.0.1", complexity: "O(N) where N is the number of keys",
        summary: "Store strings at several keys, only if none of them exists yet",
        syntax: "key value [key value ...]", handler: msetnx, ..W },
    Command { name: "psetex", arity: 4, flags: flags![WRITE, DENYOOM], acl: acl![WRITE, STRING, SLOW],
        key_specs: &[key(1, key_flags![OW, UPDATE])], since: "2.6.0",
        summary: "Store a string at a key with a time to live in milliseconds",
        syntax: "key milliseconds value", handler: psetex, ..W },
    Command { name: "set", arity: -3, flags: flags![WRITE, DENYOOM], acl: acl![WRITE, STRING, SLOW],
        key_specs: &[key(1, key_flags![RW, ACCESS, UPDATE, VARIABLE_FLAGS]).notes("RW and ACCESS due to the optional `GET` argument")],
        summary: "Store a string at a key, optionally only if it is new (NX) or exists (XX), with a time to live",
        syntax: "key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]",
        handler: set, variable_key_flags: Some(set_key_flags), ..W },
    Command { name: "setex", arity: 4, flags: flags![WRITE, DENYOOM], acl: acl![WRITE, STRING, SLOW],
        key_specs: &[key(1, key_flags![OW, UPDATE])], since: "2.0.0",
        summary: "Store a string at a key with a time to live in seconds",
        syntax: "key seconds value", handler: setex, ..W },
    Command { name: "setnx", arity: 3, key_specs: &[key(1, key_flags![OW, INSERT])],
        summary: "Store a string at a key only if the key does not exist; 1 if stored",
        syntax: "key value", handler: setnx, ..W },
    Command { name: "setrange", link: Link::Bounded { arg: 2, max: 1 << 20, what: "offset" }, arity: 4, flags: flags![WRITE, DENYOOM], acl: acl![WRITE, STRING, SLOW],
        key_specs: &[key(1, key_flags![RW, UPDATE])], since: "2.2.0",
        complexity: "O(1), not counting the time to copy the new string in place",
        summary: "Overwrite part of a string from an offset, padding with zero bytes; returns the new length",
        syntax: "key offset value", handler: setrange, ..W },
    Command { name: "strlen", key_specs: &[key(1, key_flags![RO])], since: "2.2.0",
        summary: "The length in bytes of the string at a key (0 if missing)", handler: strlen, ..D },
    Command { name: "substr", arity: 4, flags: flags![READONLY], acl: acl![READ, STRING, SLOW],
        complexity: "O(N) where N is the length of the returned range",
        summary: "The old name of GETRANGE: the bytes of a string between two offsets",
        syntax: "key start end", handler: getrange, ..D },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn getrange_index_arithmetic_matches_redis() {
        assert_eq!(byte_range(5, 0, -1), Some((0, 4)));
        assert_eq!(byte_range(5, -3, -1), Some((2, 4)));
        assert_eq!(byte_range(5, -1, -3), None);
        assert_eq!(byte_range(5, 3, 100), Some((3, 4)));
        assert_eq!(byte_range(5, 10, 20), None);
        assert_eq!(byte_range(0, 0, -1), None);
        assert_eq!(byte_range(5, -100, 1), Some((0, 1)));
    }

    #[test]
    fn lcs_walk_reports_ranges_from_the_end() {
        let (a, b) = (b"ohmytext".as_slice(), b"mynewtext".as_slice());
        let t = lcs_table(a, b).unwrap();
        let (seq, ranges) = lcs_walk(a, b, &t);
        assert_eq!(seq, b"mytext");
        assert_eq!(ranges, vec![((4, 7), (5, 8)), ((2, 3), (0, 1))]);
    }
}
