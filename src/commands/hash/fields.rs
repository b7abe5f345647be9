//! Hash fields with their own TTL — commands newer than the Redis 7.0 the playground
//! emulates, built to the Redis command docs and the 7.4/8.0 servers' texts: HEXPIRE,
//! HPEXPIRE, HEXPIREAT, HPEXPIREAT, HTTL, HPTTL, HEXPIRETIME, HPEXPIRETIME and HPERSIST
//! (7.4); HGETEX, HSETEX and HGETDEL (8.0).
//!
//! Each field answers for itself: -2 no such field (or key), -1 no TTL, 0 a NX|XX|GT|LT
//! condition not met, 1 done, 2 deleted because the time given has already passed.
//! Fields whose TTL ran out are deleted when their hash is next looked up or by the
//! active cycle (`Db::live_slot`, `Db::active_expire_fields`), with an `hexpired` event.
//!
//! Data operations first (argument parsing, one field's TTL change), then the handlers;
//! the table entries are in `hash.rs`.

use super::{hash_or_new, notify_hash, read_hash, write_hash};
use crate::commands::args::{int_arg, int_in, is};
use crate::commands::delete_if_empty;
use crate::error::{CmdError, CmdResult};
use crate::reply::Reply;
use crate::server::{Class, Ctx};
use crate::types::Hash;

// ---- data operations ----

/// The latest deadline a field may get, in Unix ms (Redis's `HFE_MAX_ABS_TIME_MSEC`,
/// 2^46 − 1: about the year 4200).
const MAX_DEADLINE_MS: i64 = (1 << 46) - 1;

/// Reply codes, per field.
const NO_FIELD: i64 = -2;
const NO_TTL: i64 = -1;
const NOT_MET: i64 = 0;
const DONE: i64 = 1;
const DELETED: i64 = 2;

/// A deadline argument: seconds or milliseconds, relative to `base` (now for EX/PX and
/// HEXPIRE/HPEXPIRE, 0 for the *AT forms), in Unix ms — with Redis's errors.
fn deadline_arg(arg: &[u8], seconds: bool, base: i64, cmd: &str) -> CmdResult<i64> {
    let mut v = int_arg(arg)?;
    if v < 0 {
        return Err(CmdError::Err("invalid expire time, must be >= 0".into()));
    }
    let invalid = || CmdError::InvalidExpire(cmd.to_string());
    if seconds {
        if v > MAX_DEADLINE_MS / 1000 {
            return Err(invalid());
        }
        v *= 1000;
    }
    if v > MAX_DEADLINE_MS - base {
        return Err(invalid());
    }
    Ok(v + base)
}

/// EX, PX, EXAT or PXAT (lower case): whether its time is in seconds, and its base (now
/// for EX and PX, 0 for the absolute forms).
fn deadline_word(word: &[u8], now: i64) -> Option<(bool, i64)> {
    match word {
        b"ex" => Some((true, now)),
        b"px" => Some((false, now)),
        b"exat" => Some((true, 0)),
        b"pxat" => Some((false, 0)),
        _ => None,
    }
}

/// `FIELDS numfields field [field ...]` with `numfields` at `at`: the fields, or Redis's
/// error for a missing FIELDS, a bad count (`count_error`) or a count that doesn't match.
fn fields_arg<'a>(argv: &'a [Vec<u8>], at: usize, count_error: &str) -> CmdResult<&'a [Vec<u8>]> {
    if !argv.get(at - 1).is_some_and(|a| is(a, "fields")) {
        return Err(CmdError::Err(
            "Mandatory argument FIELDS is missing or not at the right position".into(),
        ));
    }
    let Some(n) = argv.get(at) else {
        return Err(CmdError::WrongArity(cmd_name(argv)));
    };
    let n = int_in(n, 1.., count_error)?;
    let fields = &argv[at + 1..];
    if usize::try_from(n).ok() != Some(fields.len()) {
        return Err(CmdError::Err(
            "The `numfields` parameter must match the number of arguments".into(),
        ));
    }
    Ok(fields)
}

fn cmd_name(argv: &[Vec<u8>]) -> String {
    String::from_utf8_lossy(argv.first().map_or(&[][..], |a| a)).to_lowercase()
}

/// Which fields a TTL may be set on (HEXPIRE's NX | XX | GT | LT); a field without a TTL
/// counts as expiring never.
#[derive(Clone, Copy, PartialEq)]
enum Cond {
    Always,
    Nx,
    Xx,
    Gt,
    Lt,
}

/// Set one field's deadline as HEXPIRE does: its reply code. A deadline not after `now`
/// deletes the field.
fn set_deadline(h: &mut Hash, f: &[u8], at: i64, cond: Cond, now: i64) -> i64 {
    if !h.contains(f) {
        return NO_FIELD;
    }
    let refused = match h.ttl_of(f) {
        None => matches!(cond, Cond::Xx | Cond::Gt),
        Some(prev) => match cond {
            Cond::Nx => true,
            Cond::Gt => prev >= at,
            Cond::Lt => prev <= at,
            Cond::Always | Cond::Xx => false,
        },
    };
    if refused {
        return NOT_MET;
    }
    if at <= now {
        h.remove(f);
        return DELETED;
    }
    h.set_ttl(f, at);
    DONE
}

/// After fields were given deadlines (`set`) or deleted for a past one (`deleted`):
/// report them as Redis does — `hexpire`, or `hdel` when any was deleted, then `del` if
/// the hash went.
fn deadlines_set(ctx: &mut Ctx, key: &[u8], set: usize, deleted: usize) {
    if set + deleted == 0 {
        return;
    }
    ctx.notify(
        Class::Hash,
        if deleted > 0 { "hdel" } else { "hexpire" },
        key,
    );
    delete_if_empty(ctx, key);
}

// ---- command handlers ----

/// HEXPIRE, HPEXPIRE, HEXPIREAT, HPEXPIREAT:
/// `key time [NX | XX | GT | LT] FIELDS numfields field [field ...]`.
fn expire_generic(
    ctx: &mut Ctx,
    argv: &[Vec<u8>],
    relative: bool,
    seconds: bool,
    cmd: &str,
) -> CmdResult {
    let key = &argv[1];
    let exists = write_hash(ctx, key)?.is_some();
    let now = ctx.now;
    let at = deadline_arg(&argv[2], seconds, if relative { now } else { 0 }, cmd)?;
    let cond = match argv[3].to_ascii_lowercase().as_slice() {
        b"nx" => Cond::Nx,
        b"xx" => Cond::Xx,
        b"gt" => Cond::Gt,
        b"lt" => Cond::Lt,
        _ => Cond::Always,
    };
    let at_count = if cond == Cond::Always { 4 } else { 5 };
    let fields = fields_arg(
        argv,
        at_count,
        "Parameter `numFields` should be greater than 0",
    )?;
    if !exists {
        return Ok(Reply::Array(
            fields.iter().map(|_| Reply::Int(NO_FIELD)).collect(),
        ));
    }
    let h = hash_or_new(ctx, key)?;
    h.enable_ttls();
    let codes: Vec<i64> = fields
        .iter()
        .map(|f| set_deadline(h, f, at, cond, now))
        .collect();
    let set = codes.iter().filter(|&&c| c == DONE).count();
    let deleted = codes.iter().filter(|&&c| c == DELETED).count();
    ctx.changes((set + deleted) as u64);
    deadlines_set(ctx, key, set, deleted);
    Ok(Reply::Array(codes.into_iter().map(Reply::Int).collect()))
}

/// HEXPIRE key seconds [NX | XX | GT | LT] FIELDS numfields field [field ...]
pub fn hexpire(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    expire_generic(ctx, argv, true, true, "hexpire")
}

/// HPEXPIRE key milliseconds [NX | XX | GT | LT] FIELDS numfields field [field ...]
pub fn hpexpire(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    expire_generic(ctx, argv, true, false, "hpexpire")
}

/// HEXPIREAT key unix-time-seconds [NX | XX | GT | LT] FIELDS numfields field [field ...]
pub fn hexpireat(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    expire_generic(ctx, argv, false, true, "hexpireat")
}

/// HPEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT] FIELDS numfields field [field ...]
pub fn hpexpireat(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    expire_generic(ctx, argv, false, false, "hpexpireat")
}

/// HTTL, HPTTL, HEXPIRETIME, HPEXPIRETIME: `key FIELDS numfields field [field ...]`.
/// Seconds are rounded up, as Redis rounds them.
fn ttl_generic(ctx: &mut Ctx, argv: &[Vec<u8>], relative: bool, seconds: bool) -> CmdResult {
    let now = ctx.now;
    let base = if relative { now } else { 0 };
    let h = read_hash(ctx, &argv[1])?;
    let fields = fields_arg(argv, 3, "Number of fields must be a positive integer")?;
    let code = |f: &[u8]| match h.as_ref() {
        Some(h) if h.contains(f) => match h.ttl_of(f) {
            None => NO_TTL,
            Some(at) if seconds => (at + 999 - base) / 1000,
            Some(at) => at - base,
        },
        _ => NO_FIELD,
    };
    Ok(Reply::Array(
        fields.iter().map(|f| Reply::Int(code(f))).collect(),
    ))
}

/// HTTL key FIELDS numfields field [field ...]
pub fn httl(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    ttl_generic(ctx, argv, true, true)
}

/// HPTTL key FIELDS numfields field [field ...]
pub fn hpttl(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    ttl_generic(ctx, argv, true, false)
}

/// HEXPIRETIME key FIELDS numfields field [field ...]
pub fn hexpiretime(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    ttl_generic(ctx, argv, false, true)
}

/// HPEXPIRETIME key FIELDS numfields field [field ...]
pub fn hpexpiretime(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    ttl_generic(ctx, argv, false, false)
}

/// HPERSIST key FIELDS numfields field [field ...] — -2, -1, or 1 when a TTL was removed;
/// one change and an `hpersist` event if any was.
pub fn hpersist(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let key = &argv[1];
    let exists = write_hash(ctx, key)?.is_some();
    let fields = fields_arg(argv, 3, "Number of fields must be a positive integer")?;
    if !exists {
        return Ok(Reply::Array(
            fields.iter().map(|_| Reply::Int(NO_FIELD)).collect(),
        ));
    }
    let h = hash_or_new(ctx, key)?;
    let codes: Vec<i64> = fields
        .iter()
        .map(|f| match (h.contains(f), h.persist(f)) {
            (false, _) => NO_FIELD,
            (true, false) => NO_TTL,
            (true, true) => DONE,
        })
        .collect();
    if codes.contains(&DONE) {
        notify_hash(ctx, "hpersist", key, 1);
    }
    Ok(Reply::Array(codes.into_iter().map(Reply::Int).collect()))
}

/// HGETDEL key FIELDS numfields field [field ...] — the values (nil for missing fields),
/// deleting the fields, and the hash with its last one.
pub fn hgetdel(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let key = &argv[1];
    let exists = write_hash(ctx, key)?.is_some();
    let fields = fields_arg(argv, 3, "Number of fields must be a positive integer")?;
    if !exists {
        return Ok(Reply::Array(fields.iter().map(|_| Reply::Nil).collect()));
    }
    let h = hash_or_new(ctx, key)?;
    let mut deleted = 0;
    let values: Vec<Reply> = fields
        .iter()
        .map(|f| {
            let v = Reply::opt_bulk(h.get(f));
            if h.remove(f) {
                deleted += 1;
            }
            v
        })
        .collect();
    if deleted > 0 {
        notify_hash(ctx, "hdel", key, deleted);
        delete_if_empty(ctx, key);
    }
    Ok(Reply::Array(values))
}

/// What HGETEX and HSETEX do to the TTL of the fields they touch.
#[derive(Clone, Copy, PartialEq)]
enum TtlChange {
    /// HSETEX: an overwritten field loses its TTL; HGETEX: nothing changes.
    None,
    /// This deadline (Unix ms).
    At(i64),
    /// HSETEX KEEPTTL.
    Keep,
    /// HGETEX PERSIST.
    Persist,
}

/// HGETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds |
/// PXAT unix-time-milliseconds | PERSIST] FIELDS numfields field [field ...]
pub fn hgetex(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let key = &argv[1];
    let exists = write_hash(ctx, key)?.is_some();
    let now = ctx.now;
    let opt = argv[2].to_ascii_lowercase();
    let (change, at_count) = match (deadline_word(&opt, now), opt.as_slice()) {
        (Some((seconds, base)), _) => {
            let at = deadline_arg(&argv[3], seconds, base, "hgetex")?;
            (TtlChange::At(at), 5)
        }
        (None, b"persist") => (TtlChange::Persist, 4),
        _ => (TtlChange::None, 3),
    };
    let fields = fields_arg(
        argv,
        at_count,
        "Number of fields must be a positive integer",
    )?;
    if !exists {
        return Ok(Reply::Array(fields.iter().map(|_| Reply::Nil).collect()));
    }
    let h = hash_or_new(ctx, key)?;
    if change != TtlChange::None {
        h.enable_ttls();
    }
    let (mut set, mut deleted) = (0, 0);
    let mut values = Vec::with_capacity(fields.len());
    for f in fields {
        values.push(Reply::opt_bulk(h.get(f)));
        match change {
            TtlChange::At(at) => match set_deadline(h, f, at, Cond::Always, now) {
                DONE => set += 1,
                DELETED => deleted += 1,
                _ => {}
            },
            TtlChange::Persist if h.persist(f) => set += 1,
            _ => {}
        }
    }
    if set + deleted > 0 {
        ctx.changes((set + deleted) as u64);
        let event = match change {
            _ if set == 0 => "hdel",
            TtlChange::Persist => "hpersist",
            _ => "hexpire",
        };
        ctx.notify(Class::Hash, event, key);
        delete_if_empty(ctx, key);
    }
    Ok(Reply::Array(values))
}

/// HSETEX's options, read as Redis reads them: anything before FIELDS, in any order.
struct SetexArgs<'a> {
    fnx: bool,
    fxx: bool,
    change: TtlChange,
    pairs: &'a [Vec<u8>],
}

fn setex_args<'a>(argv: &'a [Vec<u8>], now: i64) -> CmdResult<SetexArgs<'a>> {
    let mut a = SetexArgs {
        fnx: false,
        fxx: false,
        change: TtlChange::None,
        pairs: &[],
    };
    let arity = || CmdError::WrongArity("hsetex".into());
    let mut i = 2;
    while i < argv.len() {
        let word = argv[i].to_ascii_lowercase();
        let timed = deadline_word(&word, now);
        let one_ttl = || {
            CmdError::Err(
                "Only one of EX, PX, EXAT, PXAT or KEEPTTL arguments can be specified".into(),
            )
        };
        let one_cond = || CmdError::Err("Only one of FXX or FNX arguments can be specified".into());
        match word.as_slice() {
            b"fields" => {
                if i + 3 >= argv.len() {
                    return Err(arity());
                }
                let n = int_in(
                    &argv[i + 1],
                    1..=i64::from(i32::MAX),
                    "invalid number of fields",
                )?;
                let rest = &argv[i + 2..];
                if !rest.len().is_multiple_of(2) || usize::try_from(n).ok() != Some(rest.len() / 2)
                {
                    return Err(arity());
                }
                a.pairs = rest;
                return Ok(a);
            }
            _ if timed.is_some() || word == b"keepttl" => {
                if a.change != TtlChange::None {
                    return Err(one_ttl());
                }
                a.change = match timed {
                    None => TtlChange::Keep,
                    Some((seconds, base)) => {
                        i += 1;
                        let Some(t) = argv.get(i) else {
                            return Err(CmdError::Err("missing expire time".into()));
                        };
                        TtlChange::At(deadline_arg(t, seconds, base, "hsetex")?)
                    }
                };
            }
            b"fxx" | b"fnx" => {
                if a.fnx || a.fxx {
                    return Err(one_cond());
                }
                a.fxx = word == b"fxx";
                a.fnx = word == b"fnx";
            }
            _ => {
                return Err(CmdError::Err(format!(
                    "unknown argument: {}",
                    String::from_utf8_lossy(&argv[i])
                )))
            }
        }
        i += 1;
    }
    Err(arity())
}

/// HSETEX key [FNX | FXX] [EX seconds | PX milliseconds | EXAT unix-time-seconds |
/// PXAT unix-time-milliseconds | KEEPTTL] FIELDS numfields field value [field value ...]
/// — 1 when the fields were set, 0 when FNX or FXX refused.
pub fn hsetex(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let now = ctx.now;
    let a = setex_args(argv, now)?;
    let key = &argv[1];
    let existing = write_hash(ctx, key)?;
    let fields = || a.pairs.iter().step_by(2);
    let refused = match existing {
        None => a.fxx,
        Some(h) => {
            (a.fxx && !fields().all(|f| h.contains(f)))
                || (a.fnx && fields().any(|f| h.contains(f)))
        }
    };
    if refused {
        return Ok(Reply::Int(0));
    }
    let enc = ctx.server.encodings();
    let h = hash_or_new(ctx, key)?;
    h.prepare_for(a.pairs.iter().map(|a| a.as_slice()), &enc);
    if matches!(a.change, TtlChange::At(_)) {
        h.enable_ttls();
    }
    let (mut set, mut deleted) = (0, 0);
    for pair in a.pairs.chunks_exact(2) {
        let (f, v) = (&pair[0], &pair[1]);
        match a.change {
            TtlChange::None => {
                h.insert(f.clone(), v.clone(), &enc);
            }
            _ => {
                h.insert_keep_ttl(f.clone(), v.clone(), &enc);
            }
        }
        if let TtlChange::At(at) = a.change {
            match set_deadline(h, f, at, Cond::Always, now) {
                DONE => set += 1,
                DELETED => deleted += 1,
                _ => {}
            }
        }
    }
    notify_hash(ctx, "hset", key, (a.pairs.len() / 2) as u64);
    deadlines_set(ctx, key, set, deleted);
    Ok(Reply::Int(1))
}
