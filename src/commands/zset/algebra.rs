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
use crate::commands::{int_arg, is, value_of};
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

/// The shared command: `numkeys_at` is where numkeys sits (1, or 2 after a destination);
/// `dst` is the STORE destination; `card` makes it ZINTERCARD.
fn generic(
    ctx: &mut Ctx,
    argv: &[Vec<u8>],
    numkeys_at: usize,
    dst: Option<&[u8]>,
    op: Op,
    card: bool,
) -> CmdResult {
    let setnum = int_arg(&argv[numkeys_at])?;
    if setnum < 1 {
        let name = String::from_utf8_lossy(&argv[0]).to_ascii_lowercase();
        return Err(CmdError::Err(format!(
            "at least 1 input key is needed for '{name}' command"
        )));
    }
    let first_key = numkeys_at + 1;
    if setnum > (argv.len() - first_key) as i64 {
        return Err(CmdError::Syntax);
    }
    let keys = &argv[first_key..first_key + setnum as usize];
    let sizes = input_sizes(ctx, keys)?;
    let mut weights = vec![1.0; keys.len()];
    let (mut how, mut withscores, mut limit) = (Aggregate::Sum, false, 0u64);
    let mut j = first_key + keys.len();
    while j < argv.len() {
        let (arg, remaining) = (&argv[j], argv.len() - j);
        if op != Op::Diff && !card && remaining > keys.len() && is(arg, "weights") {
            for (i, w) in weights.iter_mut().enumerate() {
                *w = double::parse(&argv[j + 1 + i])
                    .ok_or_else(|| CmdError::Err("weight value is not a float".into()))?;
            }
            j += 1 + keys.len();
        } else if op != Op::Diff && !card && remaining >= 2 && is(arg, "aggregate") {
            let v = &argv[j + 1];
            how = if is(v, "sum") {
                Aggregate::Sum
            } else if is(v, "min") {
                Aggregate::Min
            } else if is(v, "max") {
                Aggregate::Max
            } else {
                return Err(CmdError::Syntax);
            };
            j += 2;
        } else if dst.is_none() && !card && is(arg, "withscores") {
            withscores = true;
            j += 1;
        } else if card && remaining >= 2 && is(arg, "limit") {
            let v = int_arg(&argv[j + 1]).ok().filter(|&v| v >= 0);
            limit = v.ok_or_else(|| CmdError::Err("LIMIT can't be negative".into()))? as u64;
            j += 2;
        } else {
            return Err(CmdError::Syntax);
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
            let z = ZSet::from_result(result.into_iter().map(|(m, s)| (s, m)));
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
    generic(ctx, argv, 1, None, Op::Union, false)
}

/// ZINTER numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]
pub(super) fn zinter(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    generic(ctx, argv, 1, None, Op::Inter, false)
}

/// ZDIFF numkeys key [key ...] [WITHSCORES]
pub(super) fn zdiff(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    generic(ctx, argv, 1, None, Op::Diff, false)
}

/// ZINTERCARD numkeys key [key ...] [LIMIT limit]
pub(super) fn zintercard(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    generic(ctx, argv, 1, None, Op::Inter, true)
}

/// ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX]
pub(super) fn zunionstore(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let dst = argv[1].clone();
    generic(ctx, argv, 2, Some(&dst), Op::Union, false)
}

/// ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX]
pub(super) fn zinterstore(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let dst = argv[1].clone();
    generic(ctx, argv, 2, Some(&dst), Op::Inter, false)
}

/// ZDIFFSTORE destination numkeys key [key ...]
pub(super) fn zdiffstore(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let dst = argv[1].clone();
    generic(ctx, argv, 2, Some(&dst), Op::Diff, false)
}
