//! Consumer groups: XGROUP's subcommands, XACK, XPENDING, XCLAIM, XAUTOCLAIM and XINFO
//! over `types::stream::group`. XREADGROUP shares XREAD's handler (`read_generic`); the
//! pieces it needs from here are `seen_or_created` and `history`.
//!
//! Data operations first, then the handlers. The order of checks, the errors and the
//! replies are Redis 7.0.15's (`t_stream.c`).

use super::{entry_reply, interval_id, parse_id, shown, stream_at};
use crate::commands::args::{int_arg, Word};
use crate::commands::common::{help_lines, subcommand_syntax};
use crate::error::{CmdError, CmdResult};
use crate::reply::Reply;
use crate::server::{Class, Ctx};
use crate::types::stream::group::{ConsumerGroup, Nack, INVALID_ENTRIES_READ};
use crate::types::stream::{Stream, StreamId};

// ---- data operations ----

/// Mark consumer `name` of group `g` seen at `now`, creating it if missing: true if it
/// was created (the caller sends `xgroup-createconsumer` and counts a change).
pub(super) fn seen_or_created(s: &mut Stream, g: &[u8], name: &[u8], now: i64) -> bool {
    s.groups
        .get_mut(g)
        .is_some_and(|group| group.seen_or_created(name, now))
}

/// XCLAIM's and XAUTOCLAIM's claiming of one pending entry for consumer `name`, which is
/// looked up (seen now) or created at its first claim.
struct Claimer<'a> {
    group: &'a [u8],
    name: &'a [u8],
    now: i64,
    justid: bool,
    /// The consumer was looked up (or created) already; `created` says which.
    ready: bool,
    created: bool,
}

impl<'a> Claimer<'a> {
    fn new(group: &'a [u8], name: &'a [u8], now: i64, justid: bool) -> Claimer<'a> {
        Claimer {
            group,
            name,
            now,
            justid,
            ready: false,
            created: false,
        }
    }

    /// Give `id` to the consumer, delivered at `delivery_time`, its count set to
    /// `retry_count` (when not negative) or raised by one unless JUSTID. The reply is its
    /// id (JUSTID) or the entry.
    fn claim(
        &mut self,
        s: &mut Stream,
        id: StreamId,
        delivery_time: i64,
        retry_count: i64,
    ) -> Reply {
        if let Some(group) = s.groups.get_mut(self.group) {
            if !self.ready {
                self.created = group.seen_or_created(self.name, self.now);
                self.ready = true;
            }
            let nack = group.assign(id, self.name, self.now);
            nack.delivery_time = delivery_time;
            if retry_count >= 0 {
                nack.delivery_count = retry_count as u64;
            } else if !self.justid {
                nack.delivery_count = nack.delivery_count.wrapping_add(1);
            }
        }
        if self.justid {
            return id_reply(id);
        }
        s.range(id, id, false, 1)
            .into_iter()
            .next()
            .map_or_else(|| id_reply(id), |(eid, f)| entry_reply(eid, f))
    }
}

/// XREADGROUP with an id: the consumer's own pending entries from `start` (None: none),
/// each delivered again (its count raised, its time now); an entry deleted from the
/// stream since is answered as its id and a nil.
pub(super) fn history(
    s: &mut Stream,
    g: &[u8],
    consumer: &[u8],
    start: Option<StreamId>,
    limit: usize,
    now: i64,
) -> Vec<Reply> {
    let Some(start) = start else {
        return Vec::new();
    };
    let ids: Vec<StreamId> = s
        .groups
        .get(g)
        .and_then(|g| g.consumers.get(consumer))
        .map(|c| {
            c.pel
                .range(start..)
                .take(if limit == 0 { usize::MAX } else { limit })
                .copied()
                .collect()
        })
        .unwrap_or_default();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let found = s
            .range(id, id, false, 1)
            .into_iter()
            .next()
            .map(|(id, f)| entry_reply(id, f));
        match found {
            Some(entry) => {
                out.push(entry);
                if let Some(n) = s.groups.get_mut(g).and_then(|g| g.pel.get_mut(&id)) {
                    n.delivery_time = now;
                    n.delivery_count = n.delivery_count.wrapping_add(1);
                }
            }
            None => out.push(Reply::Array(vec![
                Reply::Bulk(id.text().into_bytes()),
                Reply::NilArray,
            ])),
        }
    }
    out
}

/// The NOGROUP error of XPENDING, XCLAIM and XAUTOCLAIM.
fn no_key_or_group(key: &[u8], group: &[u8]) -> CmdError {
    CmdError::Raw(format!(
        "NOGROUP No such key '{}' or consumer group '{}'",
        shown(key),
        shown(group)
    ))
}

/// The NOGROUP error of XGROUP and XINFO CONSUMERS.
fn no_group_for_key(group: &[u8], key: &[u8]) -> CmdError {
    CmdError::Raw(format!(
        "NOGROUP No such consumer group '{}' for key name '{}'",
        shown(group),
        shown(key)
    ))
}

/// The stream and group a command names, or the NOGROUP error it gives.
fn group_of<'c>(
    ctx: &'c mut Ctx,
    key: &[u8],
    g: &[u8],
    read: bool,
) -> CmdResult<Option<&'c mut Stream>> {
    let s = stream_at(ctx, key, read)?;
    Ok(s.filter(|s| s.groups.contains_key(g)))
}

fn id_reply(id: StreamId) -> Reply {
    Reply::Bulk(id.text().into_bytes())
}

fn entries_read_reply(n: i64) -> Reply {
    if n == INVALID_ENTRIES_READ {
        Reply::Nil
    } else {
        Reply::Int(n)
    }
}

/// A map reply from its keys and values in turn.
fn map(flat: Vec<Reply>) -> Reply {
    let mut pairs = Vec::with_capacity(flat.len() / 2);
    let mut it = flat.into_iter();
    while let (Some(k), Some(v)) = (it.next(), it.next()) {
        pairs.push((k, v));
    }
    Reply::Map(pairs)
}

fn lag_reply(s: &Stream, g: &ConsumerGroup) -> Reply {
    s.lag(g).map_or(Reply::Nil, Reply::Int)
}

// ---- command handlers ----

/// XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD n] · SETID key group id|$
/// [ENTRIESREAD n] · DESTROY key group · CREATECONSUMER key group consumer ·
/// DELCONSUMER key group consumer: one body, as Redis parses them all alike.
pub(super) fn xgroup(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let sub = Word::new(&argv[1]);
    let (create, setid) = (sub.is("create"), sub.is("setid"));
    let mut mkstream = false;
    let mut entries_read = INVALID_ENTRIES_READ;
    let mut i = 5;
    while i < argv.len() {
        let w = Word::new(&argv[i]);
        if create && w.is("mkstream") {
            mkstream = true;
            i += 1;
        } else if (create || setid) && w.is("entriesread") && i + 1 < argv.len() {
            entries_read = int_arg(&argv[i + 1])?;
            if entries_read < 0 && entries_read != INVALID_ENTRIES_READ {
                return Err(CmdError::Err(
                    "value for ENTRIESREAD must be positive or -1".into(),
                ));
            }
            i += 2;
        } else {
            return Err(subcommand_syntax(argv));
        }
    }
    let (key, g) = (&argv[2], &argv[3]);
    let now = ctx.now;
    let exists = stream_at(ctx, key, false)?.is_some();
    if !mkstream {
        let Some(s) = stream_at(ctx, key, false)? else {
            return Err(CmdError::Err(
                "The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.".into(),
            ));
        };
        if !s.groups.contains_key(g.as_slice())
            && (setid || sub.is("createconsumer") || sub.is("delconsumer"))
        {
            return Err(no_group_for_key(g, key));
        }
    }
    let n = argv.len();
    if create && (5..=8).contains(&n) {
        let id = if argv[4].as_slice() == b"$" {
            stream_at(ctx, key, false)?.map_or(StreamId::MIN, |s| s.last_id)
        } else {
            parse_id(&argv[4], 0, true, false)?.id
        };
        if !exists {
            ctx.db()
                .set(key, crate::types::Value::Stream(Box::default()), false, now);
            ctx.server.key_modified(ctx.db_index(), key);
        }
        let s = stream_at(ctx, key, false)?.ok_or(CmdError::NoSuchKey)?;
        if s.groups.contains_key(g.as_slice()) {
            return Err(CmdError::Raw(
                "BUSYGROUP Consumer Group name already exists".into(),
            ));
        }
        s.groups
            .insert(g.clone(), ConsumerGroup::new(id, entries_read));
        ctx.changes(1);
        ctx.event(Class::Stream, "xgroup-create", key);
        return Ok(Reply::ok());
    }
    if setid && (n == 5 || n == 7) {
        let s = stream_at(ctx, key, false)?.ok_or(CmdError::NoSuchKey)?;
        let id = if argv[4].as_slice() == b"$" {
            s.last_id
        } else {
            parse_id(&argv[4], 0, false, false)?.id
        };
        if let Some(group) = s.groups.get_mut(g.as_slice()) {
            group.last_id = id;
            group.entries_read = entries_read;
        }
        ctx.changes(1);
        ctx.event(Class::Stream, "xgroup-setid", key);
        return Ok(Reply::ok());
    }
    if sub.is("destroy") && n == 4 {
        let s = stream_at(ctx, key, false)?.ok_or(CmdError::NoSuchKey)?;
        if s.groups.remove(g.as_slice()).is_none() {
            return Ok(Reply::Int(0));
        }
        ctx.changes(1);
        ctx.event(Class::Stream, "xgroup-destroy", key);
        // Clients waiting in XREADGROUP on this group get NOGROUP.
        ctx.signal_ready(key);
        return Ok(Reply::Int(1));
    }
    if sub.is("createconsumer") && n == 5 {
        let s = stream_at(ctx, key, false)?.ok_or(CmdError::NoSuchKey)?;
        let created = s
            .groups
            .get_mut(g.as_slice())
            .is_some_and(|group| group.create_consumer(&argv[4], now));
        if created {
            ctx.changes(1);
            ctx.event(Class::Stream, "xgroup-createconsumer", key);
        }
        return Ok(Reply::Int(i64::from(created)));
    }
    if sub.is("delconsumer") && n == 5 {
        let s = stream_at(ctx, key, false)?.ok_or(CmdError::NoSuchKey)?;
        let pending = s
            .groups
            .get_mut(g.as_slice())
            .and_then(|group| group.delete_consumer(&argv[4]));
        if pending.is_some() {
            ctx.changes(1);
            ctx.event(Class::Stream, "xgroup-delconsumer", key);
        }
        return Ok(Reply::Int(pending.unwrap_or(0) as i64));
    }
    Err(subcommand_syntax(argv))
}

pub(super) fn xgroup_help(_: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    Ok(help_lines(
        "XGROUP",
        &[
            "CREATE <key> <groupname> <id|$> [option]",
            "    Create a consumer group that delivers entries after <id> ($: from now on).",
            "    Options: MKSTREAM (create the stream if missing), ENTRIESREAD <n> (set the",
            "    group's read counter).",
            "CREATECONSUMER <key> <groupname> <consumer>",
            "    Add a consumer to the group.",
            "DELCONSUMER <key> <groupname> <consumer>",
            "    Remove a consumer and its pending entries; answers how many it had.",
            "DESTROY <key> <groupname>",
            "    Remove the group, its consumers and its pending entries.",
            "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
            "    Move the group's last delivered id (and set its read counter).",
        ],
    ))
}

/// XACK key group id [id ...]
pub(super) fn xack(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let (key, g) = (&argv[1], &argv[2]);
    if group_of(ctx, key, g, true)?.is_none() {
        return Ok(Reply::Int(0));
    }
    // All the ids are checked before any is acknowledged.
    let ids = argv[3..]
        .iter()
        .map(|a| parse_id(a, 0, true, false).map(|p| p.id))
        .collect::<CmdResult<Vec<_>>>()?;
    let Some(group) = group_of(ctx, key, g, false)?.and_then(|s| s.groups.get_mut(g.as_slice()))
    else {
        return Ok(Reply::Int(0));
    };
    let acked = ids.into_iter().filter(|&id| group.ack(id)).count();
    ctx.changes(acked as u64);
    Ok(Reply::Int(acked as i64))
}

/// XPENDING key group [[IDLE min-idle-time] start end count [consumer]]
pub(super) fn xpending(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let n = argv.len();
    if n != 3 && !(6..=9).contains(&n) {
        return Err(CmdError::Syntax);
    }
    let mut range = None;
    if n >= 6 {
        let mut at = 3;
        let mut min_idle = 0;
        if Word::new(&argv[3]).is("idle") {
            min_idle = int_arg(&argv[4])?;
            if n < 8 {
                return Err(CmdError::Syntax);
            }
            at = 5;
        }
        let count = int_arg(&argv[at + 2])?.max(0);
        let (mut start, start_ex) = interval_id(&argv[at], 0)?;
        if start_ex {
            start = start
                .incr()
                .ok_or_else(|| CmdError::Err("invalid start ID for the interval".into()))?;
        }
        let (mut end, end_ex) = interval_id(&argv[at + 1], u64::MAX)?;
        if end_ex {
            end = end
                .decr()
                .ok_or_else(|| CmdError::Err("invalid end ID for the interval".into()))?;
        }
        range = Some((min_idle, start, end, count, argv.get(at + 3)));
    }
    let (key, g) = (&argv[1], &argv[2]);
    let now = ctx.now;
    let Some(group) = group_of(ctx, key, g, true)?.and_then(|s| s.groups.get(g.as_slice())) else {
        return Err(no_key_or_group(key, g));
    };
    let Some((min_idle, start, end, count, consumer)) = range else {
        let (Some((first, _)), Some((last, _))) =
            (group.pel.first_key_value(), group.pel.last_key_value())
        else {
            return Ok(Reply::Array(vec![
                Reply::Int(0),
                Reply::Nil,
                Reply::Nil,
                Reply::NilArray,
            ]));
        };
        let owners = group
            .consumers
            .iter()
            .filter(|(_, c)| !c.pel.is_empty())
            .map(|(name, c)| {
                Reply::Array(vec![
                    Reply::bulk(name),
                    Reply::Bulk(c.pel.len().to_string().into_bytes()),
                ])
            })
            .collect();
        return Ok(Reply::Array(vec![
            Reply::Int(group.pel.len() as i64),
            id_reply(*first),
            id_reply(*last),
            Reply::Array(owners),
        ]));
    };
    let owner = match consumer {
        Some(name) => match group.consumers.get(name.as_slice()) {
            Some(c) => Some(c),
            None => return Ok(Reply::Array(Vec::new())),
        },
        None => None,
    };
    let mut out = Vec::new();
    let mut left = count;
    for (id, nack) in group.pending_from(owner, start) {
        if left == 0 || id > end {
            break;
        }
        let idle = now - nack.delivery_time;
        if min_idle != 0 && idle < min_idle {
            continue;
        }
        left -= 1;
        out.push(Reply::Array(vec![
            id_reply(id),
            Reply::bulk(&nack.consumer),
            Reply::Int(idle.max(0)),
            Reply::Int(nack.delivery_count as i64),
        ]));
    }
    Ok(Reply::Array(out))
}

/// XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-ms]
/// [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid]
pub(super) fn xclaim(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let (key, g, name) = (&argv[1], &argv[2], &argv[3]);
    if group_of(ctx, key, g, true)?.is_none() {
        return Err(no_key_or_group(key, g));
    }
    let min_idle = crate::num::parse_i64(&argv[4])
        .ok_or_else(|| CmdError::Err("Invalid min-idle-time argument for XCLAIM".into()))?
        .max(0);
    // The ids run up to the first argument that is not one; options follow.
    let mut ids = Vec::new();
    let mut j = 5;
    while j < argv.len() {
        match parse_id(&argv[j], 0, true, false) {
            Ok(p) => ids.push(p.id),
            Err(_) => break,
        }
        j += 1;
    }
    let now = ctx.now;
    let (mut force, mut justid) = (false, false);
    let mut delivery_time: Option<i64> = None;
    let mut retry_count: i64 = -1;
    let mut last_id = StreamId::MIN;
    let opt_int = |arg: &[u8], what: &str| {
        crate::num::parse_i64(arg)
            .ok_or_else(|| CmdError::Err(format!("Invalid {what} option argument for XCLAIM")))
    };
    while j < argv.len() {
        let more = argv.len() - 1 - j;
        let w = Word::new(&argv[j]);
        if w.is("force") {
            force = true;
        } else if w.is("justid") {
            justid = true;
        } else if w.is("idle") && more > 0 {
            j += 1;
            delivery_time = Some(now.wrapping_sub(opt_int(&argv[j], "IDLE")?));
        } else if w.is("time") && more > 0 {
            j += 1;
            delivery_time = Some(opt_int(&argv[j], "TIME")?);
        } else if w.is("retrycount") && more > 0 {
            j += 1;
            retry_count = opt_int(&argv[j], "RETRYCOUNT")?;
        } else if w.is("lastid") && more > 0 {
            j += 1;
            last_id = parse_id(&argv[j], 0, true, false)?.id;
        } else {
            return Err(CmdError::Err(format!(
                "Unrecognized XCLAIM option '{}'",
                shown(&argv[j])
            )));
        }
        j += 1;
    }
    let delivery_time = match delivery_time {
        Some(t) if (0..=now).contains(&t) => t,
        _ => now,
    };
    let s = group_of(ctx, key, g, false)?.ok_or_else(|| no_key_or_group(key, g))?;
    let mut changes = 0u64;
    if let Some(group) = s.groups.get_mut(g.as_slice()) {
        if last_id > group.last_id {
            group.last_id = last_id;
            changes += 1;
        }
    }
    let mut out = Vec::new();
    let mut claimer = Claimer::new(g, name, now, justid);
    for id in ids {
        let exists = s.contains(id);
        let Some(group) = s.groups.get_mut(g.as_slice()) else {
            break;
        };
        if !exists {
            // A pending entry whose entry is gone is dropped from the PEL.
            if group.ack(id) {
                changes += 1;
            }
            continue;
        }
        let pending = match group.pel.get(&id) {
            Some(nack) => Some(now - nack.delivery_time),
            None if force => None,
            None => continue,
        };
        if pending.is_some_and(|idle| min_idle != 0 && idle < min_idle) {
            continue;
        }
        out.push(claimer.claim(s, id, delivery_time, retry_count));
        changes += 1;
    }
    let created = claimer.created;
    if created {
        ctx.event(Class::Stream, "xgroup-createconsumer", key);
        changes += 1;
    }
    ctx.changes(changes);
    Ok(Reply::Array(out))
}

/// XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]
pub(super) fn xautoclaim(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let min_idle = crate::num::parse_i64(&argv[4])
        .ok_or_else(|| CmdError::Err("Invalid min-idle-time argument for XAUTOCLAIM".into()))?
        .max(0);
    let (mut start, start_ex) = interval_id(&argv[5], 0)?;
    if start_ex {
        start = start
            .incr()
            .ok_or_else(|| CmdError::Err("invalid start ID for the interval".into()))?;
    }
    let mut count: i64 = 100;
    let mut justid = false;
    let mut j = 6;
    while j < argv.len() {
        let more = argv.len() - 1 - j;
        let w = Word::new(&argv[j]);
        if w.is("count") && more > 0 {
            // LONG_MAX / 16 on the 64-bit server.
            count = crate::num::parse_i64(&argv[j + 1])
                .filter(|c| (1..=i64::MAX / 16).contains(c))
                .ok_or_else(|| CmdError::Err("COUNT must be > 0".into()))?;
            j += 1;
        } else if w.is("justid") {
            justid = true;
        } else {
            return Err(CmdError::Syntax);
        }
        j += 1;
    }
    let (key, g, name) = (&argv[1], &argv[2], &argv[3]);
    let now = ctx.now;
    let s = group_of(ctx, key, g, true)?.ok_or_else(|| no_key_or_group(key, g))?;
    let mut attempts = count.saturating_mul(10);
    let mut claimed = Vec::new();
    let mut deleted = Vec::new();
    let mut claimer = Claimer::new(g, name, now, justid);
    let mut changes = 0u64;
    // The entries it may look at, read in one walk of the PEL (at most COUNT × 10).
    let scan: Vec<(StreamId, i64)> = s
        .groups
        .get(g.as_slice())
        .map(|gr| {
            gr.pel
                .range(start..)
                .take(usize::try_from(attempts).unwrap_or(usize::MAX))
                .map(|(id, n)| (*id, n.delivery_time))
                .collect()
        })
        .unwrap_or_default();
    let ids: Vec<StreamId> = scan.iter().map(|&(id, _)| id).collect();
    let live = s.live_flags(&ids);
    let mut cursor = Some(start);
    let mut scan = scan.into_iter().zip(live);
    while attempts > 0 && count > 0 {
        attempts -= 1;
        let Some(((id, delivered), live)) = scan.next() else {
            cursor = None;
            break;
        };
        cursor = id.incr();
        if !live {
            if let Some(group) = s.groups.get_mut(g.as_slice()) {
                group.ack(id);
            }
            deleted.push(id_reply(id));
            changes += 1;
            count -= 1;
            continue;
        }
        if min_idle != 0 && now - delivered < min_idle {
            continue;
        }
        claimed.push(claimer.claim(s, id, now, -1));
        count -= 1;
        changes += 1;
    }
    let created = claimer.created;
    // The cursor: the next pending id after the last one looked at, or 0-0 at the end.
    let next = cursor
        .and_then(|from| {
            s.groups
                .get(g.as_slice())
                .and_then(|gr| gr.pel.range(from..).next().map(|(id, _)| *id))
        })
        .unwrap_or(StreamId::MIN);
    if created {
        ctx.event(Class::Stream, "xgroup-createconsumer", key);
        changes += 1;
    }
    ctx.changes(changes);
    Ok(Reply::Array(vec![
        id_reply(next),
        Reply::Array(claimed),
        Reply::Array(deleted),
    ]))
}

/// XINFO STREAM key [FULL [COUNT count]]
pub(super) fn xinfo_stream(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let Some(s) = stream_at(ctx, &argv[2], true)? else {
        return Err(CmdError::NoSuchKey);
    };
    let opts = &argv[3..];
    let mut full = None;
    if !opts.is_empty() {
        if (opts.len() != 1 && opts.len() != 3) || !Word::new(&opts[0]).is("full") {
            return Err(subcommand_syntax(argv));
        }
        let mut count = 10;
        if opts.len() == 3 {
            if !Word::new(&opts[1]).is("count") {
                return Err(subcommand_syntax(argv));
            }
            count = int_arg(&opts[2])?;
            if count < 0 {
                count = 10;
            }
        }
        full = Some(usize::try_from(count).unwrap_or(usize::MAX));
    }
    let b = |t: &str| Reply::Bulk(t.as_bytes().to_vec());
    let mut out = vec![
        b("length"),
        Reply::Int(s.len() as i64),
        b("radix-tree-keys"),
        Reply::Int(s.node_count() as i64),
        b("radix-tree-nodes"),
        Reply::Int(s.radix_tree_nodes() as i64),
        b("last-generated-id"),
        id_reply(s.last_id),
        b("max-deleted-entry-id"),
        id_reply(s.max_deleted_id),
        b("entries-added"),
        Reply::Int(s.entries_added as i64),
        b("recorded-first-entry-id"),
        id_reply(s.first_id),
    ];
    let Some(count) = full else {
        let edge = |rev: bool| {
            s.range(StreamId::MIN, StreamId::MAX, rev, 1)
                .into_iter()
                .next()
                .map_or(Reply::Nil, |(id, f)| entry_reply(id, f))
        };
        out.extend([
            b("groups"),
            Reply::Int(s.groups.len() as i64),
            b("first-entry"),
            edge(false),
            b("last-entry"),
            edge(true),
        ]);
        return Ok(map(out));
    };
    let limit = if count == 0 { usize::MAX } else { count };
    out.push(b("entries"));
    out.push(Reply::Array(
        s.range(StreamId::MIN, StreamId::MAX, false, count)
            .into_iter()
            .map(|(id, f)| entry_reply(id, f))
            .collect(),
    ));
    let groups = s
        .groups
        .iter()
        .map(|(name, g)| {
            let pending = g
                .pel
                .iter()
                .take(limit)
                .map(|(id, n)| pending_row(*id, n, true))
                .collect();
            let consumers = g
                .consumers
                .iter()
                .map(|(cname, c)| {
                    let own = c
                        .pel
                        .iter()
                        .take(limit)
                        .filter_map(|id| g.pel.get(id).map(|n| (id, n)))
                        .map(|(id, n)| pending_row(*id, n, false))
                        .collect();
                    map(vec![
                        b("name"),
                        Reply::bulk(cname),
                        b("seen-time"),
                        Reply::Int(c.seen_time),
                        b("pel-count"),
                        Reply::Int(c.pel.len() as i64),
                        b("pending"),
                        Reply::Array(own),
                    ])
                })
                .collect();
            map(vec![
                b("name"),
                Reply::bulk(name),
                b("last-delivered-id"),
                id_reply(g.last_id),
                b("entries-read"),
                entries_read_reply(g.entries_read),
                b("lag"),
                lag_reply(s, g),
                b("pel-count"),
                Reply::Int(g.pel.len() as i64),
                b("pending"),
                Reply::Array(pending),
                b("consumers"),
                Reply::Array(consumers),
            ])
        })
        .collect();
    out.push(b("groups"));
    out.push(Reply::Array(groups));
    Ok(map(out))
}

/// A pending entry as XINFO STREAM FULL lists it: id, [owner,] delivery time, count.
fn pending_row(id: StreamId, n: &Nack, with_owner: bool) -> Reply {
    let mut row = vec![id_reply(id)];
    if with_owner {
        row.push(Reply::bulk(&n.consumer));
    }
    row.push(Reply::Int(n.delivery_time));
    row.push(Reply::Int(n.delivery_count as i64));
    Reply::Array(row)
}

/// XINFO GROUPS key
pub(super) fn xinfo_groups(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let Some(s) = stream_at(ctx, &argv[2], true)? else {
        return Err(CmdError::NoSuchKey);
    };
    let b = |t: &str| Reply::Bulk(t.as_bytes().to_vec());
    Ok(Reply::Array(
        s.groups
            .iter()
            .map(|(name, g)| {
                map(vec![
                    b("name"),
                    Reply::bulk(name),
                    b("consumers"),
                    Reply::Int(g.consumers.len() as i64),
                    b("pending"),
                    Reply::Int(g.pel.len() as i64),
                    b("last-delivered-id"),
                    id_reply(g.last_id),
                    b("entries-read"),
                    entries_read_reply(g.entries_read),
                    b("lag"),
                    lag_reply(s, g),
                ])
            })
            .collect(),
    ))
}

/// XINFO CONSUMERS key group
pub(super) fn xinfo_consumers(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let (key, g) = (&argv[2], &argv[3]);
    let now = ctx.now;
    let Some(s) = stream_at(ctx, key, true)? else {
        return Err(CmdError::NoSuchKey);
    };
    let Some(group) = s.groups.get(g.as_slice()) else {
        return Err(no_group_for_key(g, key));
    };
    let b = |t: &str| Reply::Bulk(t.as_bytes().to_vec());
    Ok(Reply::Array(
        group
            .consumers
            .iter()
            .map(|(name, c)| {
                map(vec![
                    b("name"),
                    Reply::bulk(name),
                    b("pending"),
                    Reply::Int(c.pel.len() as i64),
                    b("idle"),
                    Reply::Int((now - c.seen_time).max(0)),
                ])
            })
            .collect(),
    ))
}

pub(super) fn xinfo_help(_: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    Ok(help_lines(
        "XINFO",
        &[
            "CONSUMERS <key> <groupname>",
            "    The consumers of a group: their pending entries and idle time.",
            "GROUPS <key>",
            "    The consumer groups of a stream.",
            "STREAM <key> [FULL [COUNT <count>]",
            "    The stream's length, ids and counters; FULL adds its entries and groups.",
        ],
    ))
}
