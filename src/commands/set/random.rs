//! Random picks: SPOP and SRANDMEMBER, drawn from the server's seeded RNG so a session
//! replays the same picks. The strategies follow Redis 7.0's, including what they leave
//! behind: after SPOP of nearly the whole set, the few survivors have the encoding of a
//! fresh set of them, an intset again if they are all integers.

use super::{set_at, set_reply};
use crate::commands::args::{int_arg, Args};
use crate::error::{CmdError, CmdResult};
use crate::reply::Reply;
use crate::server::{Class, Ctx};
use crate::types::{Encodings, Set, Value};

/// SPOP pops members one at a time while the members left outnumber the popped ones by
/// more than this; otherwise it picks the survivors instead (Redis's SPOP_MOVE_STRATEGY_MUL).
const SPOP_MOVE_STRATEGY_MUL: u64 = 5;
/// A negative SRANDMEMBER count asks for that many picks, whatever the set's size. Redis
/// would try to build any such reply; a browser tab can't hold billions of them, so past
/// this many the answer is Redis's out-of-memory error rather than a crash.
pub const MAX_REPEATED_PICKS: u64 = 1 << 20;

// ---- data operations ----

/// Run `f` on the set at `key` (already type-checked) with the server's RNG.
fn with_set_rng<R>(
    ctx: &mut Ctx,
    key: &[u8],
    f: impl FnOnce(&mut Set, &mut fastrand::Rng) -> R,
) -> Option<R> {
    let now = ctx.now;
    let db = ctx.db_index();
    let (d, rng) = ctx.server.db_and_rng(db);
    match d.get_mut(key, now) {
        Some(Value::Set(s)) => Some(f(s, rng)),
        _ => None,
    }
}

/// SPOP/SRANDMEMBER of the whole set: Redis answers it through a union, so an
/// all-integer set comes out ascending even when it is a hash table.
fn whole_set(s: &Set, enc: &Encodings) -> Reply {
    match s {
        Set::Ints(_) => set_reply(s.iter()),
        Set::Table(_) => set_reply(Set::from_members(s.members(), enc).iter()),
    }
}

/// The pops of SPOP key count when 0 < count < size.
fn pop_some(s: &mut Set, rng: &mut fastrand::Rng, count: usize, enc: &Encodings) -> Vec<Vec<u8>> {
    let size = s.len();
    let remaining = size - count;
    if remaining as u64 * SPOP_MOVE_STRATEGY_MUL > count as u64 {
        // Pop one random member at a time.
        return (0..count).map_while(|_| s.pop_random(rng)).collect();
    }
    // Pick the few survivors instead and pop all the others.
    s.pop_all_but(rng, remaining, enc)
}

/// A count argument for SPOP: a non-negative integer, one message for anything else.
fn spop_count(arg: &[u8]) -> CmdResult<u64> {
    match int_arg(arg) {
        Ok(n) if n >= 0 => Ok(n as u64),
        _ => Err(CmdError::Err(
            "value is out of range, must be positive".into(),
        )),
    }
}

// ---- command handlers ----

/// SPOP key [count]
pub fn spop(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    // More than one count is a syntax error before the count is looked at.
    let count = args.next_opt();
    if !args.is_empty() {
        return Err(CmdError::Syntax);
    }
    let count = count.map(spop_count).transpose()?;
    let empty = || {
        if count.is_some() {
            Reply::Set(vec![])
        } else {
            Reply::Nil
        }
    };
    let Some(size) = set_at(ctx, key, false)?.map(|s| s.len() as u64) else {
        return Ok(empty());
    };
    if count == Some(0) {
        return Ok(empty());
    }
    let reply = match count {
        None => {
            let m = with_set_rng(ctx, key, |s, rng| s.pop_random(rng)).flatten();
            Reply::opt_bulk(m)
        }
        Some(n) if n >= size => {
            // Redis answers through its SUNION code, which looks the key up again as a
            // read (one more keyspace hit), and counts one change per member.
            ctx.count_lookup(true, key);
            let now = ctx.now;
            let enc = ctx.server.encodings();
            let reply = match ctx.db().remove(key, now).map(|e| e.value) {
                Some(Value::Set(s)) => whole_set(&s, &enc),
                _ => Reply::Set(vec![]),
            };
            ctx.notify(Class::Set, "spop", key);
            ctx.notify(Class::Generic, "del", key);
            ctx.changes(size);
            return Ok(reply);
        }
        Some(n) => {
            let enc = ctx.server.encodings();
            set_reply(
                with_set_rng(ctx, key, |s, rng| pop_some(s, rng, n as usize, &enc))
                    .unwrap_or_default(),
            )
        }
    };
    ctx.notify(Class::Set, "spop", key);
    super::delete_if_empty(ctx, key);
    ctx.changes(count.unwrap_or(1));
    Ok(reply)
}

/// SRANDMEMBER key [count]
pub fn srandmember(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::new(argv);
    let key = args.next_key()?;
    let count = args.next_opt();
    if !args.is_empty() {
        return Err(CmdError::Syntax);
    }
    let Some(count) = count else {
        if set_at(ctx, key, true)?.is_none() {
            return Ok(Reply::Nil);
        }
        let pick =
            |s: &mut Set, rng: &mut fastrand::Rng| s.random_member(rng).map(|m| m.into_owned());
        let m = with_set_rng(ctx, key, pick).flatten();
        return Ok(Reply::opt_bulk(m));
    };
    let l = int_arg(count)?;
    if l == i64::MIN {
        return Err(CmdError::Err(format!(
            "value is out of range, value must between {} and {}",
            -i64::MAX,
            i64::MAX
        )));
    }
    let (count, repeats) = (l.unsigned_abs(), l < 0);
    let Some(size) = set_at(ctx, key, true)?.map(|s| s.len() as u64) else {
        return Ok(Reply::Array(vec![]));
    };
    if count == 0 {
        return Ok(Reply::Array(vec![]));
    }
    if repeats || count == 1 {
        if count > MAX_REPEATED_PICKS {
            return Err(CmdError::Raw(
                "OOM command not allowed when used memory > 'maxmemory'.".into(),
            ));
        }
        let picks = with_set_rng(ctx, key, |s, rng| {
            (0..count)
                .map_while(|_| s.random_member(rng).map(Reply::bulk))
                .collect()
        });
        return Ok(Reply::Array(picks.unwrap_or_default()));
    }
    let picks = with_set_rng(ctx, key, |s, rng| {
        if count >= size {
            // The whole set, in its own order.
            return s.iter().map(Reply::bulk).collect();
        }
        let picks = s.random_distinct(rng, count as usize);
        picks.into_iter().map(Reply::bulk).collect()
    });
    Ok(Reply::Array(picks.unwrap_or_default()))
}
