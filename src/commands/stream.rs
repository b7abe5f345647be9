//! Streams: XADD, XLEN, XRANGE, XREVRANGE, XREAD, XDEL, XTRIM and XSETID over `types::stream`,
//! whose nodes follow Redis's, so approximate trimming removes what Redis removes.
//!
//! Data operations first (ids and trimming options as Redis parses them), then the
//! handlers, then the table entries. The order of checks is Redis 7.0's (`t_stream.c`).

mod groups;

use super::args::{int_arg, Word};
use super::table::{key, Begin, Block, Find, Group, KeySpec, BASE};
use super::Command;
use crate::error::{CmdError, CmdResult};
use crate::reply::Reply;
use crate::server::{Class, Ctx};
use crate::types::stream::{Fields, Stream, StreamId, Trim};
use crate::types::Value;

// ---- data operations ----

fn invalid_id() -> CmdError {
    CmdError::Err("Invalid stream ID specified as stream command argument".into())
}

/// An unsigned number as Redis's `string2ull` reads it: a plain integer, or else what C's
/// `strtoull` accepts whole (leading spaces, a sign, leading zeros; a minus wraps around).
fn parse_u64(s: &[u8]) -> Option<u64> {
    if let Some(v) = crate::num::parse_i64(s) {
        return u64::try_from(v).ok();
    }
    let start = s.iter().position(|b| !b" \t\n\x0b\x0c\r".contains(b))?;
    let rest = &s[start..];
    let (neg, digits) = match rest.first() {
        Some(b'-') => (true, &rest[1..]),
        Some(b'+') => (false, &rest[1..]),
        _ => (false, rest),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut v: u64 = 0;
    for &d in digits {
        v = v.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    Some(if neg { v.wrapping_neg() } else { v })
}

/// How an id argument was written.
struct ParsedId {
    id: StreamId,
    /// False for `ms-*` (the sequence is to be chosen).
    seq_given: bool,
}

/// Redis's stream id parser: `-`, `+` (unless `strict`), `ms`, `ms-seq`, and with
/// `allow_star_seq` the `ms-*` form. `missing_seq` is the sequence of a bare `ms`.
fn parse_id(
    arg: &[u8],
    missing_seq: u64,
    strict: bool,
    allow_star_seq: bool,
) -> CmdResult<ParsedId> {
    if arg.len() > 127 {
        return Err(invalid_id());
    }
    // As a C string: up to the first NUL.
    let arg = &arg[..arg.iter().position(|&b| b == 0).unwrap_or(arg.len())];
    match arg {
        b"-" | b"+" if strict => return Err(invalid_id()),
        b"-" => {
            return Ok(ParsedId {
                id: StreamId::MIN,
                seq_given: true,
            })
        }
        b"+" => {
            return Ok(ParsedId {
                id: StreamId::MAX,
                seq_given: true,
            })
        }
        _ => {}
    }
    let (ms_part, seq_part) = match arg.iter().position(|&b| b == b'-') {
        Some(i) => (&arg[..i], Some(&arg[i + 1..])),
        None => (arg, None),
    };
    let ms = parse_u64(ms_part).ok_or_else(invalid_id)?;
    match seq_part {
        Some(b"*") if allow_star_seq => Ok(ParsedId {
            id: StreamId::new(ms, 0),
            seq_given: false,
        }),
        Some(seq) => Ok(ParsedId {
            id: StreamId::new(ms, parse_u64(seq).ok_or_else(invalid_id)?),
            seq_given: true,
        }),
        None => Ok(ParsedId {
            id: StreamId::new(ms, missing_seq),
            seq_given: true,
        }),
    }
}

/// An interval end for XRANGE: `(` makes it exclusive (not with `-` or `+`).
fn interval_id(arg: &[u8], missing_seq: u64) -> CmdResult<(StreamId, bool)> {
    if arg.len() > 1 && arg[0] == b'(' {
        let rest = &arg[1..];
        if rest == b"-" || rest == b"+" {
            return Err(invalid_id());
        }
        return Ok((parse_id(rest, missing_seq, false, false)?.id, true));
    }
    Ok((parse_id(arg, missing_seq, false, false)?.id, false))
}

/// XADD's and XTRIM's trimming options, as parsed.
#[derive(Default)]
struct TrimArgs {
    how: Option<Trim>,
    approx: bool,
    limit: i64,
    limit_given: bool,
    nomkstream: bool,
    /// XADD's id, or None for `*`.
    id: Option<ParsedId>,
    /// Where the fields start (XADD).
    next: usize,
}

/// Parse `[NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id` (XADD) or the
/// trimming options alone (XTRIM), from argument 2.
fn trim_args(argv: &[Vec<u8>], xadd: bool, node_max_entries: i64) -> CmdResult<TrimArgs> {
    let mut a = TrimArgs::default();
    let mut i = 2;
    while i < argv.len() {
        let more = argv.len() - 1 - i;
        let opt = Word::new(&argv[i]);
        let raw = &argv[i][..argv[i]
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(argv[i].len())];
        if xadd && raw == b"*" {
            break;
        } else if (opt.is("maxlen") || opt.is("minid")) && more > 0 {
            if a.how.is_some() {
                return Err(CmdError::Err(
                    "syntax error, MAXLEN and MINID options at the same time are not compatible"
                        .into(),
                ));
            }
            a.approx = false;
            let next = &argv[i + 1][..];
            if more >= 2 && next == b"~" {
                a.approx = true;
                i += 1;
            } else if more >= 2 && next == b"=" {
                i += 1;
            }
            if opt.is("maxlen") {
                let n = int_arg(&argv[i + 1])?;
                if n < 0 {
                    return Err(CmdError::Err("The MAXLEN argument must be >= 0.".into()));
                }
                a.how = Some(Trim::MaxLen(n as u64));
            } else {
                a.how = Some(Trim::MinId(parse_id(&argv[i + 1], 0, true, false)?.id));
            }
            i += 1;
        } else if opt.is("limit") && more > 0 {
            let n = int_arg(&argv[i + 1])?;
            if n < 0 {
                return Err(CmdError::Err("The LIMIT argument must be >= 0.".into()));
            }
            a.limit = n;
            a.limit_given = true;
            i += 1;
        } else if xadd && opt.is("nomkstream") {
            a.nomkstream = true;
        } else if xadd {
            a.id = Some(parse_id(&argv[i], 0, true, true)?);
            break;
        } else {
            return Err(CmdError::Syntax);
        }
        i += 1;
    }
    a.next = i + 1;
    if a.limit != 0 && a.how.is_none() {
        return Err(CmdError::Err(
            "syntax error, LIMIT cannot be used without specifying a trimming strategy".into(),
        ));
    }
    if !xadd && a.how.is_none() {
        return Err(CmdError::Err(
            "syntax error, XTRIM must be called with a trimming strategy".into(),
        ));
    }
    if a.limit_given {
        if !a.approx {
            return Err(CmdError::Err(
                "syntax error, LIMIT cannot be used without the special ~ option".into(),
            ));
        }
    } else if a.approx {
        a.limit = (100 * node_max_entries).clamp(0, 1_000_000);
        if a.limit <= 0 {
            a.limit = 10_000;
        }
    } else {
        a.limit = 0;
    }
    Ok(a)
}

/// The stream at `key` (None if missing, WRONGTYPE for another type).
fn stream_at<'c>(ctx: &'c mut Ctx, key: &[u8], read: bool) -> CmdResult<Option<&'c mut Stream>> {
    match super::value_of(ctx, key, read) {
        None => Ok(None),
        Some(Value::Stream(s)) => Ok(Some(s)),
        Some(_) => Err(CmdError::WrongType),
    }
}

/// An entry as XRANGE answers it: `[id, [field, value, ...]]`.
fn entry_reply(id: StreamId, fields: Fields) -> Reply {
    Reply::Array(vec![
        Reply::Bulk(id.text().into_bytes()),
        Reply::Array(
            fields
                .into_iter()
                .flat_map(|(f, v)| [Reply::Bulk(f), Reply::Bulk(v)])
                .collect(),
        ),
    ])
}

// ---- command handlers ----

/// XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value
/// [field value ...]
fn xadd(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let limits = ctx.server.stream_limits();
    let a = trim_args(argv, true, limits.max_entries)?;
    let fields = argv.get(a.next..).unwrap_or_default();
    if fields.len() < 2 || !fields.len().is_multiple_of(2) {
        return Err(CmdError::WrongArity("xadd".into()));
    }
    if let Some(p) = &a.id {
        if p.seq_given && p.id == StreamId::MIN {
            return Err(CmdError::Err(
                "The ID specified in XADD must be greater than 0-0".into(),
            ));
        }
    }
    let key = &argv[1];
    let now = ctx.now;
    if stream_at(ctx, key, false)?.is_none() {
        if a.nomkstream {
            return Ok(Reply::Nil);
        }
        ctx.db().set(key, Value::Stream(Box::default()), false, now);
    }
    let s = stream_at(ctx, key, false)?.ok_or(CmdError::NoSuchKey)?;
    if s.last_id == StreamId::MAX {
        return Err(CmdError::Err(
            "The stream has exhausted the last possible ID, unable to add more items".into(),
        ));
    }
    let too_small = || {
        CmdError::Err(
            "The ID specified in XADD is equal or smaller than the target stream top item".into(),
        )
    };
    let id = match &a.id {
        None => s.next_auto_id(now.max(0) as u64).ok_or_else(too_small)?,
        Some(p) if p.seq_given => p.id,
        Some(p) if p.id.ms == s.last_id.ms => s
            .last_id
            .incr()
            .filter(|i| i.ms == p.id.ms)
            .ok_or_else(too_small)?,
        Some(p) => p.id,
    };
    if id <= s.last_id {
        return Err(too_small());
    }
    let pairs: Vec<(&[u8], &[u8])> = fields
        .chunks_exact(2)
        .map(|p| (p[0].as_slice(), p[1].as_slice()))
        .collect();
    s.append(id, &pairs, limits);
    let trimmed = a.how.map_or(0, |how| s.trim(how, a.approx, a.limit as u64));
    // Clients blocked in XREAD on this key get a look after this command.
    ctx.signal_ready(key);
    ctx.notify(Class::Stream, "xadd", key);
    ctx.changes(1);
    if trimmed > 0 {
        ctx.notify(Class::Stream, "xtrim", key);
    }
    Ok(Reply::Bulk(id.text().into_bytes()))
}

/// XLEN key
fn xlen(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    Ok(Reply::Int(
        stream_at(ctx, &argv[1], true)?.map_or(0, |s| s.len() as i64),
    ))
}

/// XRANGE key start end [COUNT count] / XREVRANGE key end start [COUNT count]
fn range_generic(ctx: &mut Ctx, argv: &[Vec<u8>], rev: bool) -> CmdResult {
    let (start_arg, end_arg) = if rev {
        (&argv[3], &argv[2])
    } else {
        (&argv[2], &argv[3])
    };
    let (mut start, start_ex) = interval_id(start_arg, 0)?;
    if start_ex {
        start = start
            .incr()
            .ok_or_else(|| CmdError::Err("invalid start ID for the interval".into()))?;
    }
    let (mut end, end_ex) = interval_id(end_arg, u64::MAX)?;
    if end_ex {
        end = end
            .decr()
            .ok_or_else(|| CmdError::Err("invalid end ID for the interval".into()))?;
    }
    let mut count: i64 = -1;
    let mut j = 4;
    while j < argv.len() {
        if Word::new(&argv[j]).is("count") && j + 1 < argv.len() {
            count = int_arg(&argv[j + 1])?.max(0);
            j += 2;
        } else {
            return Err(CmdError::Syntax);
        }
    }
    let Some(s) = stream_at(ctx, &argv[1], true)? else {
        return Ok(Reply::Array(Vec::new()));
    };
    if count == 0 {
        return Ok(Reply::NilArray);
    }
    let n = if count < 0 {
        0
    } else {
        usize::try_from(count).unwrap_or(usize::MAX)
    };
    Ok(Reply::Array(
        s.range(start, end, rev, n)
            .into_iter()
            .map(|(id, f)| entry_reply(id, f))
            .collect(),
    ))
}

fn xrange(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    range_generic(ctx, argv, false)
}

fn xrevrange(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    range_generic(ctx, argv, true)
}

/// What XREAD and XREADGROUP read after, per stream.
#[derive(Clone, Copy)]
enum After {
    Id(StreamId),
    /// XREADGROUP's `>`: what the group has not delivered yet.
    New,
}

/// A C-style `%s` of user text in an error: up to a NUL, newlines as spaces.
pub(super) fn shown(b: &[u8]) -> String {
    crate::error::clip(b, usize::MAX)
}

/// XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]
///
/// Answers the entries after each id (`$`: the stream's last id when the command ran) for
/// the streams that have some; with BLOCK and none, waits on the world clock for an XADD
/// to any of the keys (first blocked, first served), then answers for that key alone.
fn xread(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    read_generic(ctx, argv, false)
}

/// XREADGROUP GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key
/// [key ...] id [id ...]
///
/// `>` delivers what the group has not delivered yet (each entry then pending for the
/// consumer unless NOACK); another id answers the consumer's own pending entries after
/// it. Blocks, as XREAD does, only for `>`.
fn xreadgroup(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    read_generic(ctx, argv, true)
}

fn read_generic(ctx: &mut Ctx, argv: &[Vec<u8>], with_group: bool) -> CmdResult {
    let mut timeout: Option<i64> = None;
    let mut count: i64 = 0;
    let mut streams_at = None;
    let mut group: Option<(&[u8], &[u8])> = None;
    let mut noack = false;
    let mut i = 1;
    while i < argv.len() {
        let more = argv.len() - i - 1;
        let w = Word::new(&argv[i]);
        if w.is("block") && more > 0 {
            if ctx.from_script() {
                // Redis answers this (not a nil) for its scripts, for compatibility.
                return Err(CmdError::Err(format!(
                    "{} command is not allowed with BLOCK option from scripts",
                    crate::error::clip(&argv[0], usize::MAX)
                )));
            }
            i += 1;
            let t = super::args::ms_timeout_arg(&argv[i])?;
            timeout = Some(if t > 0 { t.wrapping_add(ctx.now) } else { 0 });
        } else if w.is("count") && more > 0 {
            i += 1;
            count = int_arg(&argv[i])?.max(0);
        } else if w.is("streams") && more > 0 {
            let n = argv.len() - i - 1;
            if !n.is_multiple_of(2) {
                return Err(CmdError::Err(
                    "Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.".into(),
                ));
            }
            streams_at = Some(i + 1);
            break;
        } else if w.is("group") && more >= 2 {
            if !with_group {
                return Err(CmdError::Err(
                    "The GROUP option is only supported by XREADGROUP. You called XREAD instead."
                        .into(),
                ));
            }
            group = Some((&argv[i + 1], &argv[i + 2]));
            i += 2;
        } else if w.is("noack") {
            if !with_group {
                return Err(CmdError::Err(
                    "The NOACK option is only supported by XREADGROUP. You called XREAD instead."
                        .into(),
                ));
            }
            noack = true;
        } else {
            return Err(CmdError::Syntax);
        }
        i += 1;
    }
    let Some(first) = streams_at else {
        return Err(CmdError::Syntax);
    };
    if with_group && group.is_none() {
        return Err(CmdError::Err("Missing GROUP option for XREADGROUP".into()));
    }
    let n = (argv.len() - first) / 2;
    let keys = &argv[first..first + n];
    let serving = ctx.is_serving();
    // The ids, `$` resolved now (0-0 for a missing stream).
    let mut ids = Vec::with_capacity(n);
    for (k, raw) in keys.iter().zip(&argv[first + n..]) {
        let waiting_group = serving && group.is_some();
        let s = match super::value_of(ctx, k, !serving) {
            Some(Value::Stream(s)) => Some(&*s),
            // A waiting XREADGROUP whose stream went away.
            None | Some(_) if waiting_group => {
                return Err(CmdError::Raw(
                    "UNBLOCKED the stream key no longer exists".into(),
                ))
            }
            None => None,
            Some(_) => return Err(CmdError::WrongType),
        };
        if let Some((g, _)) = group {
            if !s.is_some_and(|s| s.groups.contains_key(g)) {
                return Err(CmdError::Raw(if serving {
                    "NOGROUP the consumer group this client was blocked on no longer exists".into()
                } else {
                    format!(
                        "NOGROUP No such key '{}' or consumer group '{}' in XREADGROUP with GROUP option",
                        shown(k),
                        shown(g)
                    )
                }));
            }
        }
        let id = match raw.as_slice() {
            b"$" if with_group => return Err(CmdError::Err(
                "The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.".into(),
            )),
            b"$" => After::Id(s.map_or(StreamId::MIN, |s| s.last_id)),
            b">" if !with_group => return Err(CmdError::Err(
                "The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.".into(),
            )),
            b">" => After::New,
            _ => After::Id(parse_id(raw, 0, true, false)?.id),
        };
        ids.push(id);
    }
    // A client served after waiting gets at most COUNT, or 1000, entries.
    let limit = match (serving, count) {
        (true, 0) => 1000,
        _ => usize::try_from(count).unwrap_or(usize::MAX),
    };
    let now = ctx.now;
    let mut out = Vec::new();
    for (k, &after) in keys.iter().zip(&ids) {
        let Some(s) = stream_at(ctx, k, !serving)? else {
            continue;
        };
        let entries = match (group, after) {
            (None, After::Id(after)) => {
                // A waiting client is served once the stream's last id passed its id, even
                // when the new entries are already trimmed away; a fresh call needs an
                // entry to answer.
                let moved = if serving {
                    s.last_id > after
                } else {
                    s.last_entry_id().is_some_and(|last| last > after)
                };
                let Some(start) = after.incr().filter(|_| moved) else {
                    continue;
                };
                s.range(start, StreamId::MAX, false, limit)
                    .into_iter()
                    .map(|(id, f)| entry_reply(id, f))
                    .collect()
            }
            (None, After::New) => continue,
            (Some((g, consumer)), after) => {
                let Some(last) = s.groups.get(g).map(|g| g.last_id) else {
                    continue;
                };
                let history = match after {
                    After::Id(id) => Some(id),
                    After::New => {
                        let moved = if serving {
                            s.last_id > last
                        } else {
                            s.last_entry_id().is_some_and(|top| top > last)
                        };
                        if !moved {
                            continue;
                        }
                        None
                    }
                };
                let created = groups::seen_or_created(s, g, consumer, now);
                let entries = match history {
                    Some(id) => groups::history(s, g, consumer, id.incr(), limit, now),
                    None => s
                        .deliver(
                            g,
                            consumer,
                            last.incr().unwrap_or(StreamId::MAX),
                            limit,
                            noack,
                            now,
                        )
                        .into_iter()
                        .map(|(id, f)| entry_reply(id, f))
                        .collect(),
                };
                if created {
                    ctx.event(Class::Stream, "xgroup-createconsumer", k);
                    ctx.changes(1);
                }
                ctx.changes(1);
                entries
            }
        };
        out.push((Reply::bulk(k), Reply::Array(entries)));
    }
    if !out.is_empty() {
        // [key, entries] pairs in RESP2, a map of key → entries in RESP3.
        return Ok(Reply::KeyedArrays(out));
    }
    if let Some(deadline) = timeout {
        // Wait with the ids `$` stood for, so an entry added meanwhile is not missed.
        let mut line = vec![argv[0].clone(), b"BLOCK".to_vec(), b"0".to_vec()];
        if count > 0 {
            line.push(b"COUNT".to_vec());
            line.push(count.to_string().into_bytes());
        }
        if let Some((g, c)) = group {
            line.extend([b"GROUP".to_vec(), g.to_vec(), c.to_vec()]);
        }
        if noack {
            line.push(b"NOACK".to_vec());
        }
        line.push(b"STREAMS".to_vec());
        line.extend(keys.iter().cloned());
        line.extend(ids.iter().map(|id| match id {
            After::Id(id) => id.text().into_bytes(),
            After::New => b">".to_vec(),
        }));
        ctx.block_as(keys, deadline, line);
    }
    Ok(Reply::NilArray)
}

/// XDEL key id [id ...]
fn xdel(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let key = &argv[1];
    if stream_at(ctx, key, false)?.is_none() {
        return Ok(Reply::Int(0));
    }
    let ids = argv[2..]
        .iter()
        .map(|a| parse_id(a, 0, true, false).map(|p| p.id))
        .collect::<CmdResult<Vec<_>>>()?;
    let s = stream_at(ctx, key, false)?.ok_or(CmdError::NoSuchKey)?;
    let deleted = s.delete_ids(&ids);
    if deleted > 0 {
        ctx.notify(Class::Stream, "xdel", key);
        ctx.changes(deleted);
    }
    Ok(Reply::Int(deleted as i64))
}

/// XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count]
fn xtrim(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let limits = ctx.server.stream_limits();
    let a = trim_args(argv, false, limits.max_entries)?;
    let key = &argv[1];
    let Some(s) = stream_at(ctx, key, false)? else {
        return Ok(Reply::Int(0));
    };
    let deleted = a.how.map_or(0, |how| s.trim(how, a.approx, a.limit as u64));
    if deleted > 0 {
        ctx.notify(Class::Stream, "xtrim", key);
        ctx.changes(deleted);
    }
    Ok(Reply::Int(deleted as i64))
}

/// XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]
fn xsetid(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let key = &argv[1];
    let id = parse_id(&argv[2], 0, true, false)?.id;
    let mut entries_added: i64 = -1;
    let mut max_xdel = StreamId::MIN;
    let mut i = 3;
    while i < argv.len() {
        let more = argv.len() - 1 - i;
        let w = Word::new(&argv[i]);
        if w.is("entriesadded") && more > 0 {
            entries_added = int_arg(&argv[i + 1])?;
            if entries_added < 0 {
                return Err(CmdError::Err("entries_added must be positive".into()));
            }
            i += 2;
        } else if w.is("maxdeletedid") && more > 0 {
            max_xdel = parse_id(&argv[i + 1], 0, true, false)?.id;
            if id < max_xdel {
                return Err(CmdError::Err(
                    "The ID specified in XSETID is smaller than the provided max_deleted_entry_id"
                        .into(),
                ));
            }
            i += 2;
        } else {
            return Err(CmdError::Syntax);
        }
    }
    let Some(s) = stream_at(ctx, key, false)? else {
        return Err(CmdError::NoSuchKey);
    };
    if !s.is_empty() {
        if s.last_entry_id().is_some_and(|top| id < top) {
            return Err(CmdError::Err(
                "The ID specified in XSETID is smaller than the target stream top item".into(),
            ));
        }
        if entries_added != -1 && (s.len() as i64) > entries_added {
            return Err(CmdError::Err(
                "The entries_added specified in XSETID is smaller than the target stream length"
                    .into(),
            ));
        }
    }
    s.last_id = id;
    if entries_added != -1 {
        s.entries_added = entries_added as u64;
    }
    if max_xdel != StreamId::MIN {
        s.max_deleted_id = max_xdel;
    }
    // Redis signals no WATCH for XSETID: the event alone.
    ctx.event(Class::Stream, "xsetid", key);
    ctx.changes(1);
    Ok(Reply::ok())
}

// ---- the table ----

const X: Command = Command {
    name: "",
    arity: -2,
    flags: flags![READONLY],
    acl: acl![READ, STREAM, SLOW],
    keys: (1, 1, 1),
    key_specs: &[key(1, key_flags![RO, ACCESS])],
    group: Group::Stream,
    since: "5.0.0",
    complexity: "O(1)",
    handler: xlen,
    ..BASE
};

pub const COMMANDS: &[Command] = &[
    Command { name: "xadd", arity: -5, flags: flags![WRITE, DENYOOM, FAST], acl: acl![WRITE, STREAM, FAST],
        key_specs: &[key(1, key_flags![RW, UPDATE]).notes("UPDATE instead of INSERT because of the optional trimming feature")],
        tips: &["nondeterministic_output"],
        complexity: "O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted.",
        summary: "Append an entry (field-value pairs) to a stream under a new or given id, trimming it if asked",
        syntax: "key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...]",
        handler: xadd, ..X },
    Command { name: "xack", arity: -4, flags: flags![WRITE, FAST], acl: acl![WRITE, STREAM, FAST],
        key_specs: &[key(1, key_flags![RW, UPDATE])],
        complexity: "O(1) for each message ID processed.",
        summary: "Acknowledge entries a consumer group delivered, removing them from its pending entries list",
        syntax: "key group id [id ...]", handler: groups::xack, ..X },
    Command { name: "xautoclaim", arity: -6, flags: flags![WRITE, FAST], acl: acl![WRITE, STREAM, FAST],
        key_specs: &[key(1, key_flags![RW, DELETE])], tips: &["nondeterministic_output"], since: "6.2.0",
        complexity: "O(1) if COUNT is small.",
        summary: "Take over a group's pending entries idle at least min-idle-time ms, scanning from start; answers a cursor",
        syntax: "key group consumer min-idle-time start [COUNT count] [JUSTID]", handler: groups::xautoclaim, ..X },
    Command { name: "xclaim", arity: -6, flags: flags![WRITE, FAST], acl: acl![WRITE, STREAM, FAST],
        key_specs: &[key(1, key_flags![RW, UPDATE])], tips: &["nondeterministic_output"],
        complexity: "O(log N) with N being the number of messages in the PEL of the consumer group.",
        summary: "Give pending entries idle at least min-idle-time ms to another consumer",
        syntax: "key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-milliseconds] [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid]",
        handler: groups::xclaim, ..X },
    Command { name: "xdel", arity: -3, flags: flags![WRITE, FAST], acl: acl![WRITE, STREAM, FAST],
        key_specs: &[key(1, key_flags![RW, DELETE])],
        complexity: "O(1) for each single item to delete in the stream, regardless of the stream size.",
        summary: "Delete entries from a stream by id; returns how many were there",
        syntax: "key id [id ...]", handler: xdel, ..X },
    Command { name: "xgroup", arity: -2, flags: flags![], acl: acl![SLOW], keys: (0, 0, 0), key_specs: &[],
        complexity: "Depends on subcommand.", summary: "Create and manage a stream's consumer groups",
        syntax: "subcommand [arguments]", handler: super::container_handler,
        subcommands: &[
            Command { name: "xgroup|create", arity: -5, flags: flags![WRITE, DENYOOM], acl: acl![WRITE, STREAM, SLOW], keys: (2, 2, 1),
                key_specs: &[key(2, key_flags![RW, INSERT])],
                summary: "Create a consumer group that delivers a stream's entries after an id ($: only new ones)",
                syntax: "key group id|$ [MKSTREAM] [ENTRIESREAD entries-read]", handler: groups::xgroup, ..X },
            Command { name: "xgroup|createconsumer", arity: 5, flags: flags![WRITE, DENYOOM], acl: acl![WRITE, STREAM, SLOW], keys: (2, 2, 1),
                key_specs: &[key(2, key_flags![RW, INSERT])], since: "6.2.0",
                summary: "Add a consumer to a consumer group; 1 if it was new",
                syntax: "key group consumer", handler: groups::xgroup, ..X },
            Command { name: "xgroup|delconsumer", arity: 5, flags: flags![WRITE], acl: acl![WRITE, STREAM, SLOW], keys: (2, 2, 1),
                key_specs: &[key(2, key_flags![RW, DELETE])],
                summary: "Remove a consumer and its pending entries; answers how many it had",
                syntax: "key group consumer", handler: groups::xgroup, ..X },
            Command { name: "xgroup|destroy", arity: 4, flags: flags![WRITE], acl: acl![WRITE, STREAM, SLOW], keys: (2, 2, 1),
                key_specs: &[key(2, key_flags![RW, DELETE])],
                complexity: "O(N) where N is the number of entries in the group's pending entries list (PEL).",
                summary: "Remove a consumer group with its consumers and pending entries",
                syntax: "key group", handler: groups::xgroup, ..X },
            Command { name: "xgroup|help", arity: 2, flags: flags![LOADING, STALE], acl: acl![STREAM, SLOW], keys: (0, 0, 0),
                key_specs: &[], summary: "Show what XGROUP can do", syntax: "", handler: groups::xgroup_help, ..X },
            Command { name: "xgroup|setid", arity: -5, flags: flags![WRITE], acl: acl![WRITE, STREAM, SLOW], keys: (2, 2, 1),
                key_specs: &[key(2, key_flags![RW, UPDATE])],
                summary: "Move a consumer group's last delivered id",
                syntax: "key group id|$ [ENTRIESREAD entries-read]", handler: groups::xgroup, ..X },
        ], ..X },
    Command { name: "xinfo", arity: -2, flags: flags![], acl: acl![SLOW], keys: (0, 0, 0), key_specs: &[],
        complexity: "Depends on subcommand.", summary: "Look inside a stream, its consumer groups and their consumers",
        syntax: "subcommand [arguments]", handler: super::container_handler,
        subcommands: &[
            Command { name: "xinfo|consumers", arity: 4, flags: flags![READONLY], acl: acl![READ, STREAM, SLOW], keys: (2, 2, 1),
                key_specs: &[key(2, key_flags![RO, ACCESS])], tips: &["nondeterministic_output"],
                summary: "The consumers of a group, with their pending entries and idle time",
                syntax: "key group", handler: groups::xinfo_consumers, ..X },
            Command { name: "xinfo|groups", arity: 3, flags: flags![READONLY], acl: acl![READ, STREAM, SLOW], keys: (2, 2, 1),
                key_specs: &[key(2, key_flags![RO, ACCESS])],
                summary: "A stream's consumer groups: consumers, pending entries, last delivered id, lag",
                syntax: "key", handler: groups::xinfo_groups, ..X },
            Command { name: "xinfo|help", arity: 2, flags: flags![LOADING, STALE], acl: acl![STREAM, SLOW], keys: (0, 0, 0),
                key_specs: &[], summary: "Show what XINFO can do", syntax: "", handler: groups::xinfo_help, ..X },
            Command { name: "xinfo|stream", arity: -3, flags: flags![READONLY], acl: acl![READ, STREAM, SLOW], keys: (2, 2, 1),
                key_specs: &[key(2, key_flags![RO, ACCESS])],
                summary: "A stream's length, ids and counters; FULL adds entries, groups and pending entries",
                syntax: "key [FULL [COUNT count]]", handler: groups::xinfo_stream, ..X },
        ], ..X },
    Command { name: "xlen", arity: 2, flags: flags![READONLY, FAST], acl: acl![READ, STREAM, FAST],
        summary: "The number of entries in a stream (0 if missing)", syntax: "key", handler: xlen, ..X },
    Command { name: "xread", arity: -4, flags: flags![READONLY, BLOCKING, MOVABLEKEYS], acl: acl![READ, STREAM, SLOW, BLOCKING],
        keys: (0, 0, 0), block: Some(Block::Streams),
        key_specs: &[KeySpec { flags: key_flags![RO, ACCESS], begin: Begin::Keyword("STREAMS", 1), find: Find::Range { last: -1, step: 1, limit: 2 }, notes: None }],
        since: "5.0.0",
        complexity: "For each stream mentioned: O(N) with N being the number of elements being returned, it means that XREAD-ing with a fixed COUNT is O(1). Note that when the BLOCK option is used, XADD will pay O(M) time in order to serve the M clients blocked on the stream getting new data.",
        summary: "Entries after the given ids from one or more streams, optionally waiting (BLOCK) for new ones",
        syntax: "[COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]", handler: xread, ..X },
    Command { name: "xpending", arity: -3, tips: &["nondeterministic_output"],
        complexity: "O(N) with N being the number of elements returned, so asking for a small fixed number of entries per call is O(1). O(M), where M is the total number of entries scanned when used with the IDLE filter. When the command returns just the summary and the list of consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every consumer.",
        summary: "A consumer group's pending entries: a summary, or each entry's owner, idle time and deliveries",
        syntax: "key group [[IDLE min-idle-time] start end count [consumer]]", handler: groups::xpending, ..X },
    Command { name: "xrange", arity: -4,
        complexity: "O(N) with N being the number of elements being returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).",
        summary: "Entries with ids from start to end (- and + for the ends, ( to exclude one), oldest first",
        syntax: "key start end [COUNT count]", handler: xrange, ..X },
    Command { name: "xreadgroup", arity: -7, flags: flags![WRITE, BLOCKING, MOVABLEKEYS], acl: acl![WRITE, STREAM, SLOW, BLOCKING],
        keys: (0, 0, 0), block: Some(Block::GroupStreams),
        key_specs: &[KeySpec { flags: key_flags![RO, ACCESS], begin: Begin::Keyword("STREAMS", 4), find: Find::Range { last: -1, step: 1, limit: 2 }, notes: None }],
        complexity: "For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N clients blocked on the stream getting new data.",
        summary: "Read as a consumer of a group: > for entries never delivered (they become pending), an id for its own pending ones",
        syntax: "GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key [key ...] id [id ...]",
        handler: xreadgroup, ..X },
    Command { name: "xrevrange", arity: -4,
        complexity: "O(N) with N being the number of elements returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).",
        summary: "Entries with ids from end down to start, newest first",
        syntax: "key end start [COUNT count]", handler: xrevrange, ..X },
    Command { name: "xsetid", arity: -3, flags: flags![WRITE, DENYOOM, FAST], acl: acl![WRITE, STREAM, FAST],
        key_specs: &[key(1, key_flags![RW, UPDATE])],
        summary: "Set a stream's last id (and its entries-added and max-deleted-id counters)",
        syntax: "key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]",
        handler: xsetid, ..X },
    Command { name: "xtrim", arity: -4, flags: flags![WRITE], acl: acl![WRITE, STREAM, SLOW],
        key_specs: &[key(1, key_flags![RW, DELETE])], tips: &["nondeterministic_output"],
        complexity: "O(N), with N being the number of evicted entries. Constant times are very small however, since entries are organized in macro nodes containing multiple entries that can be released with a single deallocation.",
        summary: "Trim a stream to a length (MAXLEN) or from an id (MINID), exactly or (~) by whole nodes",
        syntax: "key MAXLEN|MINID [=|~] threshold [LIMIT count]", handler: xtrim, ..X },
];
