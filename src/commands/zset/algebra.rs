//! Sorted-set algebra: ZUNION, ZINTER, ZDIFF, ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE and
//! ZINTERCARD (Redis's `zunionInterDiffGenericCommand`).
//!
//! As in Redis: numkeys is checked, then every key is looked up in argument order (a
//! missing key is empty; a set counts with score 1 per member; any other type is
//! WRONGTYPE), then the options are read. Union and intersection visit the inputs from
//! the smallest to the largest (ties in argument order), which decides the order in which
//! floating-point scores are summed. A weighted score that is NaN (0 × inf) counts as 0,
//! and so does a sum of +inf and -inf.

use std::collections::{HashMap, HashSet};

use super::{members_reply, store_result};
use crate::commands::args::{int_in, Args, Word};
use crate::commands::value_of;
use crate::error::{CmdError, CmdResult};
use crate::num::double;
use crate::reply::Reply;
use crate::server::Ctx;
use crate::types::{Value, ZSet};

// ---- data operations ----

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Union,
    Inter,
    Diff,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Aggregate {
    Sum,
    Min,
    Max,
}

/// Redis's `zunionInterAggregate`.
fn aggregate(target: &mut f64, v: f64, how: Aggregate) {
    match how {
        Aggregate::Sum => {
            *target += v;
            if target.is_nan() {
                *target = 0.0;
            }
        }
        Aggregate::Min => {
            if v < *target {
                *target = v;
            }
        }
        Aggregate::Max => {
            if v > *target {
                *target = v;
            }
        }
    }
}

/// Look every input key up (counting hits and misses) and answer its size: 0 when
/// missing, WRONGTYPE for a key that is neither a sorted set nor a set.
fn input_sizes(ctx: &mut Ctx, keys: &[Vec<u8>]) -> CmdResult<Vec<usize>> {
    keys.iter()
        .map(|k| match value_of(ctx, k, true) {
            None => Ok(0),
            Some(Value::ZSet(z)) => Ok(z.len()),
            Some(Value::Set(s)) => Ok(s.len()),
            Some(_) => Err(CmdError::WrongType),
        })
        .collect()
}

/// Every (member, score) of an input (score 1 for a set's members).
fn input_pairs(ctx: &mut Ctx, key: &[u8]) -> Vec<(Vec<u8>, f64)> {
    match value_of(ctx, key, false) {
        Some(Value::ZSet(z)) => z.iter_rev().map(|(s, m)| (m.to_vec(), s)).collect(),
        Some(Value::Set(s)) => s.members().into_iter().map(|m| (m, 1.0)).collect(),
        _ => Vec::new(),
    }
}

/// Keep the candidates that are (`present`) or are not in the input at `key`; each kept
/// candidate present there is passed to `found` with its score there (1 in a set).
fn filter_by(
    ctx: &mut Ctx,
    key: &[u8],
    cands: &mut Vec<(Vec<u8>, f64)>,
    present: bool,
    mut found: impl FnMut(&mut f64, f64),
) {
    match value_of(ctx, key, false) {
        Some(Value::ZSet(z)) => cands.retain_mut(|(m, acc)| match z.score(m) {
            Some(s) => {
                found(acc, s);
                present
            }
            None => !present,
        }),
        Some(Value::Set(s)) => {
            let members: HashSet<Vec<u8>> = s.members().into_iter().collect();
            cands.retain_mut(|(m, acc)| {
                if members.contains(m.as_slice()) {
                    found(acc, 1.0);
                    present
                } else {
                    !present
                }
            });
        }
        _ => {
            if present {
                cands.clear();
            }
        }
    }
}

/// The result of an operation over `keys`, unordered.
fn compute(
    ctx: &mut Ctx,
    keys: &[Vec<u8>],
    sizes: &[usize],
    weights: &[f64],
    op: Op,
    how: Aggregate,
) -> Vec<(Vec<u8>, f64)> {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    if op != Op::Diff {
        order.sort_by_key(|&i| sizes[i]);
    }
    match op {
        Op::Union => {
            let mut acc: HashMap<Vec<u8>, f64> = HashMap::new();
            for &i in &order {
                if sizes[i] == 0 {
                    continue;
                }
                for (m, s) in input_pairs(ctx, &keys[i]) {
                    let mut v = weights[i] * s;
                    if v.is_nan() {
                        v = 0.0;
                    }
                    match acc.get_mut(&m) {
                        Some(t) => aggregate(t, v, how),
                        None => {
                            acc.insert(m, v);
                        }
                    }
                }
            }
            acc.into_iter().collect()
        }
        Op::Inter => {
            let first = order[0];
            if sizes[first] == 0 {
                return Vec::new();
            }
            let mut cands = input_pairs(ctx, &keys[first]);
            for (_, s) in cands.iter_mut() {
                *s *= weights[first];
                if s.is_nan() {
                    *s = 0.0;
                }
            }
            for &j in &order[1..] {
                if cands.is_empty() {
                    break;
                }
                let w = weights[j];
                filter_by(ctx, &keys[j], &mut cands, true, |acc, s| {
                    aggregate(acc, s * w, how)
                });
            }
            cands
        }
        Op::Diff => {
            if sizes[0] == 0 || keys[1..].contains(&keys[0]) {
                return Vec::new();
            }
            let mut cands = input_pairs(ctx, &keys[0]);
            for (j, key) in keys.iter().enumerate().skip(1) {
                if cands.is_empty() {
                    break;
                }
                if sizes[j] == 0 {
                    continue;
                }
                filter_by(ctx, key, &mut cands, false, |_, _| {});
            }
            cands
        }
    }
}

/// Sort a result into sorted-set order.
fn sorted(mut pairs: Vec<(Vec<u8>, f64)>) -> Vec<(Vec<u8>, f64)> {
    pairs.sort_by(|a, b| {
        a.1.partial_cmp(&b.1)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.0.cmp(&b.0))
    });
    pairs
}

// ---- handlers ----

/// The shared command, `[destination] numkeys key [key ...] [options]`: `store` says a
/// destination comes first; `card` makes it ZINTERCARD. numkeys is checked, every key is
/// looked up, then the options are read — WEIGHTS and AGGREGATE for union and
/// intersection, WITHSCORES without a destination, LIMIT for ZINTERCARD.
fn generic(ctx: &mut Ctx, argv: &[Vec<u8>], store: bool, op: Op, card: bool) -> CmdResult {
    let mut args = Args::new(argv);
    let dst = if store { Some(args.next_key()?) } else { None };
    let setnum = args.next_i64()?;
    if setnum < 1 {
        let name = String::from_utf8_lossy(args.name()).to_ascii_lowercase();
        return Err(CmdError::Err(format!(
            "at least 1 input key is needed for '{name}' command"
        )));
    }
    if setnum > args.remaining() as i64 {
        return Err(CmdError::Syntax);
    }
    let keys = args.next_n(setnum as usize)?;
    let sizes = input_sizes(ctx, keys)?;
    let mut weights = vec![1.0; keys.len()];
    let (mut how, mut withscores, mut limit) = (Aggregate::Sum, false, 0u64);
    let weighted = op != Op::Diff && !card;
    while let Some(opt) = args.next_option() {
        match opt.as_str() {
            // One weight per key, all present before any is parsed.
            "weights" if weighted => {
                for (w, arg) in weights.iter_mut().zip(args.values_n(keys.len())?) {
                    *w = double::parse(arg)
                        .ok_or_else(|| CmdError::Err("weight value is not a float".into()))?;
                }
            }
            "aggregate" if weighted => {
                how = match Word::new(args.value()?).as_str() {
                    "sum" => Aggregate::Sum,
                    "min" => Aggregate::Min,
                    "max" => Aggregate::Max,
                    _ => return Err(CmdError::Syntax),
                }
            }
            "withscores" if dst.is_none() && !card => withscores = true,
            "limit" if card => {
                limit = int_in(args.value()?, 0.., "LIMIT can't be negative")? as u64;
            }
            _ => return Err(CmdError::Syntax),
        }
    }
    let result = compute(ctx, keys, &sizes, &weights, op, how);
    if card {
        let n = result.len() as u64;
        return Ok(Reply::Int(if limit > 0 { n.min(limit) } else { n } as i64));
    }
    match dst {
        Some(dst) => {
            let event = match op {
                Op::Union => "zunionstore",
                Op::Inter => "zinterstore",
                Op::Diff => "zdiffstore",
            };
            let enc = ctx.server.encodings();
            let z = ZSet::from_result(result.into_iter().map(|(m, s)| (s, m)), &enc);
            Ok(store_result(ctx, dst, z, event))
        }
        None => {
            let pairs = sorted(result);
            Ok(members_reply(
                pairs.iter().map(|(m, s)| (*s, m.as_slice())),
                withscores,
            ))
        }
    }
}

/// ZUNION numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]
pub(super) fn zunion(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    generic(ctx, argv, false, Op::Union, false)
}

/// ZINTER numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]
pub(super) fn zinter(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    generic(ctx, argv, false, Op::Inter, false)
}

/// ZDIFF numkeys key [key ...] [WITHSCORES]
pub(super) fn zdiff(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    generic(ctx, argv, false, Op::Diff, false)
}

/// ZINTERCARD numkeys key [key ...] [LIMIT limit]
pub(super) fn zintercard(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    generic(ctx, argv, false, Op::Inter, true)
}

/// ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX]
pub(super) fn zunionstore(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    generic(ctx, argv, true, Op::Union, false)
}

/// ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX]
pub(super) fn zinterstore(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    generic(ctx, argv, true, Op::Inter, false)
}

/// ZDIFFSTORE destination numkeys key [key ...]
pub(super) fn zdiffstore(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    generic(ctx, argv, true, Op::Diff, false)
}
