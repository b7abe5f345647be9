//! Lists: pushes and pops at both ends, ranges, indices, LINSERT/LREM/LTRIM/LPOS here;
//! moves between lists, multi-key pops and the blocking variants in `list/moves.rs`.
//!
//! Data operations first (typed access to a list value, Redis's write reporting), then the
//! command handlers, then the table entries (for the whole family).

mod moves;

use super::args::{int_arg, int_in, Args, Word};
use super::common::fits;
use super::table::{key, Block, Group, Shape, BASE};
use super::{value_of, Command};
use crate::error::{CmdError, CmdResult};
use crate::reply::Reply;
use crate::server::{Class, Ctx};
use crate::types::list::{self, End};
use crate::types::{List, Value};

// ---- data operations ----

/// The list at `key`: Ok(None) if missing, WRONGTYPE if another type. A read command
/// passes `read = true` so the lookup counts as a keyspace hit or miss.
fn list_at<'c>(ctx: &'c mut Ctx, key: &[u8], read: bool) -> CmdResult<Option<&'c mut List>> {
    match value_of(ctx, key, read) {
        None => Ok(None),
        Some(Value::List(l)) => Ok(Some(l)),
        Some(_) => Err(CmdError::WrongType),
    }
}

/// The list at `key` for a push, created empty if the key is missing.
fn list_or_new<'c>(ctx: &'c mut Ctx, key: &[u8]) -> CmdResult<&'c mut List> {
    if list_at(ctx, key, false)?.is_none() {
        let now = ctx.now;
        ctx.db().set(key, Value::List(Box::default()), false, now);
    }
    list_at(ctx, key, false)?.ok_or_else(|| CmdError::Err("list vanished".into()))
}

/// LEFT or RIGHT, as LMOVE, LMPOP and friends take it.
fn end_arg(word: Word<'_>) -> CmdResult<End> {
    match word.as_str() {
        "left" => Ok(End::Left),
        "right" => Ok(End::Right),
        _ => Err(CmdError::Syntax),
    }
}

fn push_event(end: End) -> &'static str {
    match end {
        End::Left => "lpush",
        End::Right => "rpush",
    }
}

fn pop_event(end: End) -> &'static str {
    match end {
        End::Left => "lpop",
        End::Right => "rpop",
    }
}

/// After elements were popped from `key`: the lpop/rpop event, and the key's deletion
/// (with a `del` event) if the list is now empty.
fn popped(ctx: &mut Ctx, key: &[u8], end: End) {
    ctx.notify(Class::List, pop_event(end), key);
    super::delete_if_empty(ctx, key);
}

/// Pop up to `count` elements (at least one: the list is not empty) from the list at
/// `key`, reporting the write. The popped elements, in pop order.
fn pop_from(ctx: &mut Ctx, key: &[u8], end: End, count: u64) -> CmdResult<Vec<Vec<u8>>> {
    let items = match list_at(ctx, key, false)? {
        Some(l) => list::pop_many(l, end, count),
        None => Vec::new(),
    };
    popped(ctx, key, end);
    ctx.changes(items.len() as u64);
    Ok(items)
}

// ---- command handlers ----

/// LPUSH, RPUSH, LPUSHX, RPUSHX (`key element [element ...]`): push every element in
/// turn; `only_existing` for the X forms, which answer 0 for a missing key.
fn push_generic(ctx: &mut Ctx, argv: &[Vec<u8>], end: End, only_existing: bool) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let elements = args.rest();
    let len_now = list_at(ctx, key, false)?.map_or(0, |l| l.len());
    fits::<Vec<u8>>(len_now.saturating_add(elements.len()))?;
    let target = if only_existing {
        list_at(ctx, key, false)?
    } else {
        Some(list_or_new(ctx, key)?)
    };
    let Some(l) = target else {
        return Ok(Reply::Int(0));
    };
    for e in elements {
        list::push(l, end, e.clone());
    }
    let len = l.len();
    ctx.notify(Class::List, push_event(end), key);
    ctx.changes(elements.len() as u64);
    Ok(Reply::from(len))
}

/// LPUSH key element [element ...]
fn lpush(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    push_generic(ctx, argv, End::Left, false)
}

/// RPUSH key element [element ...]
fn rpush(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    push_generic(ctx, argv, End::Right, false)
}

/// LPUSHX key element [element ...]
fn lpushx(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    push_generic(ctx, argv, End::Left, true)
}

/// RPUSHX key element [element ...]
fn rpushx(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    push_generic(ctx, argv, End::Right, true)
}

/// LPOP and RPOP (`key [count]`): one element as a bulk string (nil if missing), or
/// with a count up to that many as an array (a nil array if missing, an empty one for
/// count 0). Too many arguments is the arity error, before the count is looked at.
fn pop_generic(ctx: &mut Ctx, argv: &[Vec<u8>], end: End, name: &str) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let count = args.next_opt();
    if !args.is_empty() {
        return Err(CmdError::WrongArity(name.into()));
    }
    let count = match count {
        Some(a) => Some(int_in(a, 0.., "value is out of range, must be positive")?),
        None => None,
    };
    if list_at(ctx, key, false)?.is_none() {
        return Ok(if count.is_some() {
            Reply::NilArray
        } else {
            Reply::Nil
        });
    }
    Ok(match count {
        Some(0) => Reply::Array(vec![]),
        Some(n) => Reply::bulks(pop_from(ctx, key, end, n as u64)?),
        None => Reply::opt_bulk(pop_from(ctx, key, end, 1)?.pop()),
    })
}

/// LPOP key [count]
fn lpop(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    pop_generic(ctx, argv, End::Left, "lpop")
}

/// RPOP key [count]
fn rpop(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    pop_generic(ctx, argv, End::Right, "rpop")
}

/// LLEN key
fn llen(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let key = Args::new(argv).next_key()?;
    Ok(Reply::from(list_at(ctx, key, true)?.map_or(0, |l| l.len())))
}

/// LRANGE key start stop
fn lrange(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let start = args.next_i64()?;
    let stop = args.next_i64()?;
    let Some(l) = list_at(ctx, key, true)? else {
        return Ok(Reply::Array(vec![]));
    };
    Ok(match list::range(l.len(), start, stop) {
        Some((a, b)) => Reply::bulks(l.range(a..=b)),
        None => Reply::Array(vec![]),
    })
}

/// LINDEX key index — the key is looked up before the index is parsed, as in Redis.
fn lindex(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let index = args.next_arg()?;
    let Some(l) = list_at(ctx, key, true)? else {
        return Ok(Reply::Nil);
    };
    let i = int_arg(index)?;
    Ok(Reply::opt_bulk(
        list::index(l.len(), i).and_then(|i| l.get(i)),
    ))
}

/// LSET key index element — the key is looked up before the index is parsed.
fn lset(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let index = args.next_arg()?;
    let element = args.next_arg()?;
    let Some(l) = list_at(ctx, key, false)? else {
        return Err(CmdError::NoSuchKey);
    };
    let i = int_arg(index)?;
    let slot = list::index(l.len(), i).and_then(|i| l.get_mut(i));
    let Some(slot) = slot else {
        return Err(CmdError::Err("index out of range".into()));
    };
    *slot = element.to_vec();
    ctx.notify(Class::List, "lset", key);
    ctx.changes(1);
    Ok(Reply::ok())
}

/// LINSERT key BEFORE|AFTER pivot element
fn linsert(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let before = match args.next_word()?.as_str() {
        "after" => false,
        "before" => true,
        _ => return Err(CmdError::Syntax),
    };
    let pivot = args.next_arg()?;
    let element = args.next_arg()?;
    let Some(l) = list_at(ctx, key, false)? else {
        return Ok(Reply::Int(0));
    };
    fits::<Vec<u8>>(l.len().saturating_add(1))?;
    if !list::insert(l, before, pivot, element.to_vec()) {
        return Ok(Reply::Int(-1));
    }
    let len = l.len();
    ctx.notify(Class::List, "linsert", key);
    ctx.changes(1);
    Ok(Reply::from(len))
}

/// LREM key count element
fn lrem(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let count = args.next_i64()?;
    let element = args.next_arg()?;
    let Some(l) = list_at(ctx, key, false)? else {
        return Ok(Reply::Int(0));
    };
    let removed = list::remove(l, count, element);
    if removed > 0 {
        ctx.notify(Class::List, "lrem", key);
        super::delete_if_empty(ctx, key);
        ctx.changes(removed as u64);
    }
    Ok(Reply::from(removed))
}

/// LTRIM key start stop
fn ltrim(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let start = args.next_i64()?;
    let stop = args.next_i64()?;
    let Some(l) = list_at(ctx, key, false)? else {
        return Ok(Reply::ok());
    };
    let removed = list::trim(l, start, stop);
    // Redis reports the trim (and signals watchers) even when nothing was removed.
    ctx.notify(Class::List, "ltrim", key);
    super::delete_if_empty(ctx, key);
    ctx.changes(removed as u64);
    Ok(Reply::ok())
}

/// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
fn lpos(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let element = args.next_arg()?;
    let (mut rank, mut count, mut maxlen) = (1i64, None, 0i64);
    while let Some(opt) = args.next_option() {
        match opt.as_str() {
            "rank" => {
                rank = int_arg(args.value()?)?;
                if rank == 0 {
                    return Err(CmdError::Err(
                        "RANK can't be zero: use 1 to start from the first match, 2 from the second ... \
                         or use negative to start from the end of the list"
                            .into(),
                    ));
                }
            }
            "count" => count = Some(int_in(args.value()?, 0.., "COUNT can't be negative")?),
            "maxlen" => maxlen = int_in(args.value()?, 0.., "MAXLEN can't be negative")?,
            _ => return Err(CmdError::Syntax),
        }
    }
    let Some(l) = list_at(ctx, key, true)? else {
        return Ok(if count.is_some() {
            Reply::Array(vec![])
        } else {
            Reply::Nil
        });
    };
    let found = list::positions(l, element, rank, count.unwrap_or(1), maxlen);
    Ok(match count {
        Some(_) => Reply::Array(found.into_iter().map(Reply::from).collect()),
        None => found.first().map_or(Reply::Nil, |&i| Reply::from(i)),
    })
}

// ---- the table ----

const L: Command = Command {
    name: "",
    arity: -3,
    flags: flags![WRITE, DENYOOM, FAST],
    acl: acl![WRITE, LIST, FAST],
    keys: (1, 1, 1),
    key_specs: &[key(1, key_flags![RW, INSERT])],
    tips: &[],
    group: Group::List,
    since: "1.0.0",
    complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
    summary: "",
    syntax: "key element [element ...]",
    handler: lpush,
    subcommands: &[],
    ..BASE
};

/// A read command.
const R: Command = Command {
    flags: flags![READONLY],
    acl: acl![READ, LIST, SLOW],
    key_specs: &[key(1, key_flags![RO, ACCESS])],
    ..L
};

/// A slow write command.
const W: Command = Command {
    flags: flags![WRITE],
    acl: acl![WRITE, LIST, SLOW],
    ..L
};

/// LMOVE and its relatives: a source and a destination.
const MOVE: Command = Command {
    flags: flags![WRITE, DENYOOM],
    acl: acl![WRITE, LIST, SLOW],
    keys: (1, 2, 1),
    key_specs: &[
        key(1, key_flags![RW, ACCESS, DELETE]),
        key(2, key_flags![RW, INSERT]),
    ],
    complexity: "O(1)",
    ..L
};

/// The blocking commands.
const B: Command = Command {
    flags: flags![WRITE, NOSCRIPT, BLOCKING],
    acl: acl![WRITE, LIST, SLOW, BLOCKING],
    keys: (1, -2, 1),
    key_specs: &[key(1, key_flags![RW, ACCESS, DELETE]).range(-2, 1, 0)],
    since: "2.0.0",
    complexity: "O(N) where N is the number of provided keys.",
    syntax: "key [key ...] timeout",
    ..L
};

const POP: Command = Command {
    arity: -2,
    flags: flags![WRITE, FAST],
    key_specs: &[key(1, key_flags![RW, ACCESS, DELETE])],
    complexity: "O(N) where N is the number of elements returned",
    syntax: "key [count]",
    ..L
};

const MPOP_COMPLEXITY: &str =
    "O(N+M) where N is the number of provided keys and M is the number of elements returned.";

pub const COMMANDS: &[Command] = &[
    Command { name: "blmove", block: Some(Block::FirstKey), arity: 6, flags: flags![WRITE, DENYOOM, NOSCRIPT, BLOCKING], acl: acl![WRITE, LIST, SLOW, BLOCKING],
        since: "6.2.0", summary: "LMOVE that waits, up to a timeout, for the source list to get data",
        syntax: "source destination LEFT|RIGHT LEFT|RIGHT timeout", handler: moves::blmove, ..MOVE },
    Command { name: "blmpop", block: Some(Block::TimeoutNumkeys), shape: Shape::Popped(&Shape::List("value")), arity: -5, flags: flags![WRITE, BLOCKING, MOVABLEKEYS], keys: (0, 0, 0),
        key_specs: &[key(2, key_flags![RW, ACCESS, DELETE]).keynum(0, 1, 1)], since: "7.0.0", complexity: MPOP_COMPLEXITY,
        summary: "LMPOP that waits, up to a timeout, for one of the lists to get data",
        syntax: "timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]", handler: moves::blmpop, ..B },
    Command { name: "blpop", block: Some(Block::KeysThenTimeout), shape: Shape::Row(&["key", "value"]), summary: "Pop the first element of the first non-empty list, with its key, waiting up to a timeout",
        handler: moves::blpop, ..B },
    Command { name: "brpop", block: Some(Block::KeysThenTimeout), shape: Shape::Row(&["key", "value"]), summary: "Pop the last element of the first non-empty list, with its key, waiting up to a timeout",
        handler: moves::brpop, ..B },
    Command { name: "brpoplpush", block: Some(Block::FirstKey), arity: 4, flags: flags![WRITE, DENYOOM, NOSCRIPT, BLOCKING], acl: acl![WRITE, LIST, SLOW, BLOCKING],
        since: "2.2.0", summary: "RPOPLPUSH that waits, up to a timeout, for the source list to get data",
        syntax: "source destination timeout", handler: moves::brpoplpush, ..MOVE },
    Command { name: "lindex", arity: 3, complexity: "O(1)",
        summary: "The element at an index of a list (negative indices count from the tail); nil if out of range",
        syntax: "key index", handler: lindex, ..R },
    Command { name: "linsert", arity: 5, flags: flags![WRITE, DENYOOM], acl: acl![WRITE, LIST, SLOW], since: "2.2.0",
        complexity: "O(N) where N is the number of elements to traverse before seeing the value pivot.",
        summary: "Insert an element before or after the first occurrence of a pivot; the new length, -1 without pivot",
        syntax: "key BEFORE|AFTER pivot element", handler: linsert, ..L },
    Command { name: "llen", arity: 2, flags: flags![READONLY, FAST], acl: acl![READ, LIST, FAST], key_specs: &[key(1, key_flags![RO])],
        complexity: "O(1)", summary: "How many elements a list holds (0 if the key is missing)", syntax: "key",
        handler: llen, ..L },
    Command { name: "lmove", arity: 5, since: "6.2.0",
        summary: "Pop an element from one end of a list and push it onto an end of another (or the same) list",
        syntax: "source destination LEFT|RIGHT LEFT|RIGHT", handler: moves::lmove, ..MOVE },
    Command { name: "lmpop", shape: Shape::Popped(&Shape::List("value")), arity: -4, flags: flags![WRITE, MOVABLEKEYS], acl: acl![WRITE, LIST, SLOW], keys: (0, 0, 0),
        key_specs: &[key(1, key_flags![RW, ACCESS, DELETE]).keynum(0, 1, 1)], since: "7.0.0", complexity: MPOP_COMPLEXITY,
        summary: "Pop one or more elements from the first non-empty list of several, with its key",
        syntax: "numkeys key [key ...] LEFT|RIGHT [COUNT count]", handler: moves::lmpop, ..L },
    Command { name: "lpop", summary: "Remove and return the first element of a list, or its first count elements",
        handler: lpop, ..POP },
    Command { name: "lpos", arity: -3, since: "6.0.6",
        complexity: "O(N) where N is the number of elements in the list; MAXLEN bounds the scan.",
        summary: "Positions of the elements equal to a value: the first, the rank-th, or count of them",
        syntax: "key element [RANK rank] [COUNT num-matches] [MAXLEN len]", handler: lpos, ..R },
    Command { name: "lpush", summary: "Insert elements at the head of a list, creating it if missing; returns the new length",
        handler: lpush, ..L },
    Command { name: "lpushx", since: "2.2.0", summary: "Insert elements at the head of a list only if the list exists",
        handler: lpushx, ..L },
    Command { name: "lrange", arity: 4,
        complexity: "O(S+N) where S is the distance of the start offset from the head and N the number of elements in the range.",
        summary: "The elements between two indices, both included (negative indices count from the tail)",
        syntax: "key start stop", handler: lrange, ..R },
    Command { name: "lrem", arity: 4, key_specs: &[key(1, key_flags![RW, DELETE])],
        complexity: "O(N+M) where N is the length of the list and M is the number of elements removed.",
        summary: "Remove elements equal to a value: count from the head, -count from the tail, or all (0)",
        syntax: "key count element", handler: lrem, ..W },
    Command { name: "lset", arity: 4, flags: flags![WRITE, DENYOOM], acl: acl![WRITE, LIST, SLOW], key_specs: &[key(1, key_flags![RW, UPDATE])],
        complexity: "O(1)", summary: "Replace the element at an index of a list (negative indices count from the tail)",
        syntax: "key index element", handler: lset, ..L },
    Command { name: "ltrim", arity: 4, key_specs: &[key(1, key_flags![RW, DELETE])],
        complexity: "O(N) where N is the number of elements to be removed by the operation.",
        summary: "Keep only the elements between two indices of a list, deleting it if nothing is left",
        syntax: "key start stop", handler: ltrim, ..W },
    Command { name: "rpop", summary: "Remove and return the last element of a list, or its last count elements",
        handler: rpop, ..POP },
    Command { name: "rpoplpush", arity: 3, since: "1.2.0",
        summary: "Pop the last element of a list and push it at the head of another (or the same) list",
        syntax: "source destination", handler: moves::rpoplpush, ..MOVE },
    Command { name: "rpush", summary: "Append elements at the tail of a list, creating it if missing; returns the new length",
        handler: rpush, ..L },
    Command { name: "rpushx", since: "2.2.0", summary: "Append elements at the tail of a list only if the list exists",
        handler: rpushx, ..L },
];
