//! Hashes: every command, option and error frozen from Redis 7.0.15
//! (tests/scripts/hash.txt), plus what a frozen script can't say: hashtable-encoded
//! hashes (whose order is unspecified) checked by contents, random picks checked by their
//! properties, HSCAN's guarantee under concurrent writes, expiry, WATCH, the change
//! counter, and a model-based property test.

mod common;
use common::check;

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use redis_playground::num::parse_i64;
use redis_playground::reply::Reply;
use redis_playground::types::{Hash, Value};
use redis_playground::World;

#[test]
fn hash_commands_answer_like_redis() {
    common::check_file("hash.txt");
}

fn b(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}

fn run(s: &mut World, args: &[&[u8]]) -> Reply {
    s.exec_args(&args.iter().map(|a| a.to_vec()).collect::<Vec<_>>())
}

fn bulks(r: &Reply) -> Vec<Vec<u8>> {
    let items: Vec<&Reply> = match r {
        Reply::Array(v) | Reply::Set(v) => v.iter().collect(),
        Reply::Map(m) => m.iter().flat_map(|(k, v)| [k, v]).collect(),
        other => panic!("not an array: {other:?}"),
    };
    items
        .into_iter()
        .map(|x| match x {
            Reply::Bulk(b) => b.clone(),
            other => panic!("not a bulk: {other:?}"),
        })
        .collect()
}

fn pairs(flat: &[Vec<u8>]) -> Vec<(Vec<u8>, Vec<u8>)> {
    flat.chunks(2)
        .map(|c| (c[0].clone(), c[1].clone()))
        .collect()
}

/// A session with `n` fields `f0..` (values `v0..`) in hash `h`, written by HSET.
fn with_fields(n: usize) -> World {
    let mut s = common::session();
    for i in 0..n {
        s.exec(&format!("HSET h f{i} v{i}"));
    }
    s
}

fn encoding(s: &mut World, key: &str) -> String {
    s.exec(&format!("OBJECT ENCODING {key}"))
}

#[test]
fn a_hash_stays_a_listpack_up_to_512_fields_and_the_513th_converts_it() {
    let mut s = with_fields(512);
    assert_eq!(encoding(&mut s, "h"), "\"listpack\"");
    assert_eq!(s.exec("HSET h f0 again"), "(integer) 0");
    assert_eq!(encoding(&mut s, "h"), "\"listpack\"");
    assert_eq!(s.exec("HSET h f512 v512"), "(integer) 1");
    assert_eq!(encoding(&mut s, "h"), "\"hashtable\"");
    assert_eq!(s.exec("HLEN h"), "(integer) 513");
    // One way only: shrinking back does not make it a listpack again.
    for i in 0..500 {
        s.exec(&format!("HDEL h f{i}"));
    }
    assert_eq!(s.exec("HLEN h"), "(integer) 13");
    assert_eq!(encoding(&mut s, "h"), "\"hashtable\"");
}

#[test]
fn a_long_value_from_hincrbyfloat_converts_the_hash() {
    check(
        r#"
> HINCRBYFLOAT h x 1e63
"999999999999999999965225407341472151966654053379893968647487488"
> OBJECT ENCODING h
"listpack"
> HINCRBYFLOAT h x 1e64
"10999999999999999999885088423138561149331623206450613993194127360"
> OBJECT ENCODING h
"hashtable"
> HSTRLEN h x
(integer) 65
"#,
    );
}

#[test]
fn whole_hash_reads_of_a_hashtable_return_every_pair_once() {
    let mut s = with_fields(600);
    s.exec("HDEL h f10 f20 f30");
    s.exec("HSET h f20 back");
    let all = pairs(&bulks(&run(&mut s, &[b"HGETALL", b"h"])));
    let keys = bulks(&run(&mut s, &[b"HKEYS", b"h"]));
    let vals = bulks(&run(&mut s, &[b"HVALS", b"h"]));
    let mut want: BTreeMap<Vec<u8>, Vec<u8>> = (0..600)
        .map(|i| (format!("f{i}").into_bytes(), format!("v{i}").into_bytes()))
        .collect();
    want.remove(&b("f10"));
    want.remove(&b("f30"));
    want.insert(b("f20"), b("back"));
    assert_eq!(all.len(), want.len());
    assert_eq!(all.iter().cloned().collect::<BTreeMap<_, _>>(), want);
    // HKEYS and HVALS walk the same order as HGETALL.
    assert_eq!(keys, all.iter().map(|p| p.0.clone()).collect::<Vec<_>>());
    assert_eq!(vals, all.iter().map(|p| p.1.clone()).collect::<Vec<_>>());
}

#[test]
fn hscan_of_a_hashtable_walks_everything_in_small_steps() {
    let mut s = with_fields(1000);
    let mut seen = BTreeMap::new();
    let mut cursor = b("0");
    let mut calls = 0;
    loop {
        let r = run(&mut s, &[b"HSCAN", b"h", &cursor, b"COUNT", b"25"]);
        let Reply::Array(parts) = r else {
            panic!("{r:?}")
        };
        let Reply::Bulk(next) = &parts[0] else {
            panic!()
        };
        for (f, v) in pairs(&bulks(&parts[1])) {
            seen.insert(f, v);
        }
        calls += 1;
        cursor = next.clone();
        if cursor == b"0" {
            break;
        }
    }
    assert_eq!(seen.len(), 1000);
    assert!(calls > 1, "a hashtable is scanned in steps");
    assert_eq!(seen.get(&b("f999")), Some(&b("v999")));
}

#[test]
fn hscan_never_misses_a_field_present_for_the_whole_scan() {
    let mut s = with_fields(700);
    let mut seen = BTreeSet::new();
    let mut cursor = b("0");
    let mut round = 0;
    loop {
        let r = run(&mut s, &[b"HSCAN", b"h", &cursor, b"COUNT", b"10"]);
        let Reply::Array(parts) = r else {
            panic!("{r:?}")
        };
        let Reply::Bulk(next) = &parts[0] else {
            panic!()
        };
        seen.extend(pairs(&bulks(&parts[1])).into_iter().map(|p| p.0));
        // Meanwhile: fields 600.. come and go, new ones arrive.
        round += 1;
        s.exec(&format!("HDEL h f{}", 600 + round % 100));
        s.exec(&format!("HSET h new{round} x extra{round} y"));
        cursor = next.clone();
        if cursor == b"0" {
            break;
        }
    }
    for i in 0..600 {
        assert!(seen.contains(format!("f{i}").as_bytes()), "missed f{i}");
    }
}

#[test]
fn hscan_match_filters_a_hashtable_by_field() {
    let mut s = with_fields(600);
    let r = run(
        &mut s,
        &[b"HSCAN", b"h", b"0", b"MATCH", b"f5?", b"COUNT", b"10000"],
    );
    let Reply::Array(parts) = r else { panic!() };
    assert_eq!(parts[0], Reply::bulk("0"));
    let got: BTreeMap<_, _> = pairs(&bulks(&parts[1])).into_iter().collect();
    let want: BTreeMap<_, _> = (50..60)
        .map(|i| (format!("f{i}").into_bytes(), format!("v{i}").into_bytes()))
        .collect();
    assert_eq!(got, want);
}

/// Fields of `h` in HGETALL order.
fn order(s: &mut World) -> Vec<Vec<u8>> {
    bulks(&run(s, &[b"HKEYS", b"h"]))
}

#[test]
fn hrandfield_without_count_returns_one_existing_field() {
    for n in [1, 5, 600] {
        let mut s = with_fields(n);
        let fields: BTreeSet<_> = order(&mut s).into_iter().collect();
        for _ in 0..50 {
            let Reply::Bulk(f) = run(&mut s, &[b"HRANDFIELD", b"h"]) else {
                panic!()
            };
            assert!(fields.contains(&f));
        }
    }
}

#[test]
fn hrandfield_with_a_positive_count_returns_distinct_fields_in_listpack_order() {
    let mut s = with_fields(20);
    let all = order(&mut s);
    let mut picked_anything_but_the_first = false;
    for count in [1usize, 2, 5, 10, 19, 20, 25] {
        for _ in 0..20 {
            let got = bulks(&run(
                &mut s,
                &[b"HRANDFIELD", b"h", count.to_string().as_bytes()],
            ));
            assert_eq!(got.len(), count.min(20));
            // A subsequence of the listpack order (so distinct, too).
            let mut it = all.iter();
            for f in &got {
                assert!(
                    it.any(|x| x == f),
                    "{count}: {got:?} is not in listpack order"
                );
            }
            picked_anything_but_the_first |= got[0] != all[0];
        }
    }
    assert!(picked_anything_but_the_first, "the picks are random");
}

#[test]
fn hrandfield_with_a_positive_count_on_a_hashtable_returns_distinct_fields() {
    let mut s = with_fields(600);
    let all: BTreeSet<_> = order(&mut s).into_iter().collect();
    for count in [1usize, 3, 100, 199, 200, 201, 599, 600, 1000] {
        let got = bulks(&run(
            &mut s,
            &[b"HRANDFIELD", b"h", count.to_string().as_bytes()],
        ));
        assert_eq!(got.len(), count.min(600), "count {count}");
        let distinct: BTreeSet<_> = got.iter().cloned().collect();
        assert_eq!(distinct.len(), got.len());
        assert!(distinct.is_subset(&all));
    }
}

#[test]
fn hrandfield_with_a_negative_count_may_repeat_and_returns_exactly_that_many() {
    for n in [3, 600] {
        let mut s = with_fields(n);
        let all: BTreeSet<_> = order(&mut s).into_iter().collect();
        let got = bulks(&run(&mut s, &[b"HRANDFIELD", b"h", b"-1000"]));
        assert_eq!(got.len(), 1000);
        assert!(got.iter().all(|f| all.contains(f)));
        let distinct: BTreeSet<_> = got.iter().collect();
        assert!(distinct.len() < 1000, "repeats are allowed");
        if n == 3 {
            assert_eq!(
                distinct.len(),
                3,
                "1000 picks from 3 fields find all of them"
            );
        }
    }
}

#[test]
fn hrandfield_withvalues_pairs_each_field_with_its_own_value() {
    for n in [4, 600] {
        let mut s = with_fields(n);
        for count in ["2", "-7", "1000"] {
            let got = pairs(&bulks(&run(
                &mut s,
                &[b"HRANDFIELD", b"h", count.as_bytes(), b"WITHVALUES"],
            )));
            let want_len = if count.starts_with('-') {
                7
            } else {
                n.min(count.parse().unwrap())
            };
            assert_eq!(got.len(), want_len);
            for (f, v) in got {
                assert_eq!(f[1..], v[1..], "field {f:?} came with {v:?}");
            }
        }
    }
}

#[test]
fn hrandfield_with_an_absurd_negative_count_refuses_instead_of_crashing() {
    let mut s = with_fields(3);
    let r = s.exec("HRANDFIELD h -4611686018427387903 WITHVALUES");
    assert!(r.starts_with("(error) OOM"), "{r}");
    let r = s.exec("HRANDFIELD h -9223372036854775807");
    assert!(r.starts_with("(error) OOM"), "{r}");
    assert_eq!(s.exec("HLEN h"), "(integer) 3");
}

#[test]
fn hashes_expire_like_any_key() {
    check(
        r#"
> HSET h f v g w
(integer) 2
> PEXPIRE h 100
(integer) 1
> HINCRBY h n 1
(integer) 1
> PTTL h
(integer) 100
@advance 101
> HGET h f
(nil)
> HLEN h
(integer) 0
> HSET h f v2
(integer) 1
> HGETALL h
1) "f"
2) "v2"
> TTL h
(integer) -1
"#,
    );
}

#[test]
fn hash_writes_touch_watched_keys_and_no_ops_do_not() {
    let script = |noop: &str, expect: &str| {
        format!(
            r#"
> HSET h a 1
(integer) 1
> WATCH h
OK
> {noop}
{expect}
> MULTI
OK
> HGET h a
QUEUED
> EXEC
1) "1"
"#
        )
    };
    check(&script("HDEL h nosuch", "(integer) 0"));
    check(&script("HSETNX h a 2", "(integer) 0"));
    check(&script(
        "HINCRBY h a abc",
        "(error) ERR value is not an integer or out of range",
    ));
    check(&script("HGET h a", "\"1\""));
    for write in [
        "HSET h a 2",
        "HSETNX h b 2",
        "HINCRBY h a 1",
        "HINCRBYFLOAT h a 1",
        "HDEL h a",
        "HMSET h a 1",
    ] {
        let mut s = common::session();
        s.exec("HSET h a 1");
        s.exec("WATCH h");
        s.exec(write);
        s.exec("MULTI");
        s.exec("HGET h a");
        assert_eq!(
            s.exec("EXEC"),
            "(nil)",
            "{write} must abort the transaction"
        );
    }
}

/// INFO persistence's rdb_changes_since_last_save, as Redis counts hash writes: one per
/// field/value pair written, one per field deleted.
fn changes(s: &mut World) -> u64 {
    s.server().dirty()
}

#[test]
fn the_change_counter_counts_like_redis() {
    let mut s = common::session();
    let steps: &[(&str, u64)] = &[
        ("HSET h a 1 b 2 c 3", 3),
        ("HSET h a 1", 1),
        ("HSETNX h a 1", 0),
        ("HSETNX h z 1", 1),
        ("HDEL h nosuch", 0),
        ("HDEL h a b c z", 4),
        ("HINCRBY h x 1", 1),
        ("HINCRBYFLOAT h x 1", 1),
        ("HMSET h p 1 q 2", 2),
        ("HGET h p", 0),
        ("HINCRBY h p abc", 0),
    ];
    for (cmd, want) in steps {
        let before = changes(&mut s);
        s.exec(cmd);
        assert_eq!(changes(&mut s) - before, *want, "{cmd}");
    }
}

#[test]
fn a_hash_built_through_the_db_api_reads_back_through_commands() {
    let mut s = common::session();
    let now = s.now_ms();
    let h = Hash::from_pairs([(b("a"), b("1")), (b("b"), b("2"))], &Default::default());
    s.server_mut()
        .db_mut(0)
        .set(b"h", Value::Hash(Box::new(h)), false, now);
    check_on_session(&mut s);
}

fn check_on_session(s: &mut World) {
    common::check_on(
        s,
        r#"
> HGETALL h
1) "a"
2) "1"
3) "b"
4) "2"
> HINCRBY h a 10
(integer) 11
> HDEL h a b
(integer) 2
> EXISTS h
(integer) 0
"#,
    );
}

// ---- model-based: random hash commands agree with a map, and never panic ----

fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec!["a", "b", "c", "n", "x", ""]).prop_map(String::from),
        1 => "[a-z]{1,3}",
        1 => Just("y".repeat(65)),
    ]
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec!["1", "-3", "2.5", "abc", "", "9223372036854775807"]).prop_map(String::from),
        1 => "[0-9]{1,4}",
        1 => Just("z".repeat(70)),
    ]
}

#[derive(Clone, Debug)]
enum Op {
    Set(Vec<(String, String)>),
    SetNx(String, String),
    Del(Vec<String>),
    IncrBy(String, String),
    IncrByFloat(String, String),
    Get(String),
    RandField(String, bool),
    Scan(String, String),
    Many(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        prop::collection::vec((field(), value()), 1..4).prop_map(Op::Set),
        (field(), value()).prop_map(|(f, v)| Op::SetNx(f, v)),
        prop::collection::vec(field(), 1..4).prop_map(Op::Del),
        (field(), value()).prop_map(|(f, v)| Op::IncrBy(f, v)),
        (field(), value()).prop_map(|(f, v)| Op::IncrByFloat(f, v)),
        field().prop_map(Op::Get),
        (
            prop::sample::select(vec![
                "0",
                "1",
                "-2",
                "5",
                "-9223372036854775808",
                "x",
                "100"
            ])
            .prop_map(String::from),
            any::<bool>()
        )
            .prop_map(|(c, w)| Op::RandField(c, w)),
        (
            prop::sample::select(vec!["0", "3", "x", "-1"]).prop_map(String::from),
            prop::sample::select(vec!["1", "2", "0", "10"]).prop_map(String::from)
        )
            .prop_map(|(c, n)| Op::Scan(c, n)),
        (0usize..700).prop_map(Op::Many),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn random_hash_commands_agree_with_a_map(ops in prop::collection::vec(op(), 1..40)) {
        let mut s = common::session();
        let mut model: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();
        for op in ops {
            match op {
                Op::Set(fvs) => {
                    let mut argv = vec![b("HSET"), b("h")];
                    for (f, v) in &fvs {
                        argv.push(b(f));
                        argv.push(b(v));
                    }
                    let r = s.exec_args(&argv);
                    let mut new = 0;
                    for (f, v) in fvs {
                        new += model.insert(b(&f), b(&v)).is_none() as i64;
                    }
                    prop_assert_eq!(r, Reply::Int(new));
                }
                Op::SetNx(f, v) => {
                    let r = run(&mut s, &[b"HSETNX", b"h", f.as_bytes(), v.as_bytes()]);
                    let fresh = !model.contains_key(f.as_bytes());
                    if fresh {
                        model.insert(b(&f), b(&v));
                    }
                    prop_assert_eq!(r, Reply::Int(fresh as i64));
                }
                Op::Del(fs) => {
                    let mut argv: Vec<&[u8]> = vec![b"HDEL", b"h"];
                    argv.extend(fs.iter().map(|f| f.as_bytes()));
                    let r = run(&mut s, &argv);
                    let mut n = 0;
                    for f in &fs {
                        n += model.remove(f.as_bytes()).is_some() as i64;
                    }
                    prop_assert_eq!(r, Reply::Int(n));
                }
                Op::IncrBy(f, by) => {
                    let r = run(&mut s, &[b"HINCRBY", b"h", f.as_bytes(), by.as_bytes()]);
                    let want = match (parse_i64(by.as_bytes()), model.get(f.as_bytes()).map(|v| parse_i64(v))) {
                        (Some(by), None) => Some(by),
                        (Some(by), Some(Some(c))) => c.checked_add(by),
                        _ => None,
                    };
                    match want {
                        Some(n) => {
                            prop_assert_eq!(r, Reply::Int(n));
                            model.insert(b(&f), n.to_string().into_bytes());
                        }
                        None => prop_assert!(r.is_error(), "HINCRBY {} {} -> {:?}", f, by, r),
                    }
                }
                Op::IncrByFloat(f, by) => {
                    let r = run(&mut s, &[b"HINCRBYFLOAT", b"h", f.as_bytes(), by.as_bytes()]);
                    if let Reply::Bulk(v) = &r {
                        model.insert(b(&f), v.clone());
                    } else {
                        prop_assert!(r.is_error());
                    }
                }
                Op::Get(f) => {
                    let r = run(&mut s, &[b"HGET", b"h", f.as_bytes()]);
                    prop_assert_eq!(r, Reply::opt_bulk(model.get(f.as_bytes())));
                }
                Op::RandField(c, w) => {
                    let mut argv: Vec<&[u8]> = vec![b"HRANDFIELD", b"h", c.as_bytes()];
                    if w {
                        argv.push(b"WITHVALUES");
                    }
                    let r = run(&mut s, &argv);
                    if let Reply::Array(_) = r {
                        let got = bulks(&r);
                        let fields: Vec<Vec<u8>> = if w { pairs(&got).into_iter().map(|p| p.0).collect() } else { got };
                        prop_assert!(fields.iter().all(|f| model.contains_key(f)));
                    } else {
                        prop_assert!(r.is_error());
                    }
                }
                Op::Scan(cursor, count) => {
                    let r = run(&mut s, &[b"HSCAN", b"h", cursor.as_bytes(), b"COUNT", count.as_bytes()]);
                    prop_assert!(matches!(r, Reply::Array(_) | Reply::Error(_)));
                }
                Op::Many(n) => {
                    for i in 0..n {
                        let (f, v) = (format!("m{i}"), format!("{i}"));
                        run(&mut s, &[b"HSET", b"h", f.as_bytes(), v.as_bytes()]);
                        model.insert(b(&f), b(&v));
                    }
                }
            }
            // The whole hash agrees with the model; an empty hash is no key at all.
            let all: BTreeMap<_, _> = pairs(&bulks(&run(&mut s, &[b"HGETALL", b"h"]))).into_iter().collect();
            prop_assert_eq!(&all, &model);
            prop_assert_eq!(run(&mut s, &[b"HLEN", b"h"]), Reply::Int(model.len() as i64));
            prop_assert_eq!(run(&mut s, &[b"EXISTS", b"h"]), Reply::Int(!model.is_empty() as i64));
            let big = model.len() > 512 || model.iter().any(|(f, v)| f.len() > 64 || v.len() > 64);
            if big {
                prop_assert_eq!(s.exec("OBJECT ENCODING h"), "\"hashtable\"");
            }
        }
    }
}

#[test]
fn hash_fields_with_their_own_ttl_follow_the_redis_docs() {
    common::check_file("hash_field_ttl.txt");
}

/// `HPEXPIRE h ms FIELDS n f<from>..f<to>`.
fn expire_fields(s: &mut World, ms: u64, from: usize, to: usize) -> String {
    let fields: Vec<String> = (from..to).map(|i| format!("f{i}")).collect();
    s.exec(&format!(
        "HPEXPIRE h {ms} FIELDS {} {}",
        fields.len(),
        fields.join(" ")
    ))
}

#[test]
fn the_active_cycle_deletes_expired_fields_of_a_hashtable_a_bounded_number_at_a_time() {
    let mut s = with_fields(3000);
    assert_eq!(encoding(&mut s, "h"), "\"hashtable\"");
    expire_fields(&mut s, 1000, 0, 2500);
    assert_eq!(
        s.exec("HTTL h FIELDS 2 f0 f2999"),
        "1) (integer) 1\n2) (integer) -1"
    );
    // Nothing reads the hash: only the active cycle deletes fields, at most 1,000 a pass.
    s.advance(common::T0, 1000.0);
    let left = |s: &World| s.inspect(0, b"h", 0, 0).map(|v| v.row.size);
    assert_eq!(left(&s), Some(3000), "at its deadline a field still exists");
    s.advance(common::T0, 100.0);
    assert_eq!(left(&s), Some(2000));
    for _ in 0..5 {
        s.advance(common::T0, 100.0);
    }
    assert_eq!(left(&s), Some(500));
    assert_eq!(s.exec("HGET h f0"), "(nil)");
    assert_eq!(s.exec("HGET h f2500"), "\"v2500\"");
    // Its last fields going takes the hash with them.
    expire_fields(&mut s, 50, 2500, 3000);
    s.advance(common::T0, 200.0);
    assert_eq!(s.exec("EXISTS h"), "(integer) 0");
}

#[test]
fn fields_expiring_wake_watchers() {
    let mut s = with_fields(3);
    expire_fields(&mut s, 100, 0, 3);
    s.exec("WATCH h");
    s.advance(common::T0, 101.0);
    assert_eq!(s.exec("HLEN h"), "(integer) 0");
    assert_eq!(s.exec("MULTI"), "OK");
    s.exec("PING");
    assert_eq!(s.exec("EXEC"), "(nil)");
}

#[test]
fn field_ttls_survive_a_snapshot_debug_reload_and_an_export() {
    let mut s = with_fields(4);
    s.exec("HPEXPIRE h 5000 FIELDS 1 f2");
    s.exec("HPEXPIRE h 3000 FIELDS 1 f3");
    let before = s.exec("HGETALL h");
    assert_eq!(
        bulks(&run(&mut s, &[b"HKEYS", b"h"])),
        vec![b("f3"), b("f2"), b("f0"), b("f1")]
    );
    assert_eq!(s.exec("DEBUG RELOAD"), "OK");
    assert_eq!(s.exec("HGETALL h"), before);
    assert_eq!(encoding(&mut s, "h"), "\"listpackex\"");
    assert_eq!(
        s.exec("HPTTL h FIELDS 3 f2 f3 f0"),
        "1) (integer) 5000\n2) (integer) 3000\n3) (integer) -1"
    );
    let bytes = s.snapshot(common::T0).unwrap();
    let mut other = common::session();
    other.restore(&bytes, common::T0).unwrap();
    assert_eq!(other.exec("HGETALL h"), before);
    assert_eq!(
        other.exec("HPTTL h FIELDS 2 f2 f3"),
        "1) (integer) 5000\n2) (integer) 3000"
    );
    let script = s.export_script(common::T0).unwrap();
    assert!(
        script.contains("\"HPEXPIRE\" \"h\" \"3000\" \"FIELDS\" \"1\" \"f3\""),
        "{script}"
    );
    let mut imported = common::session();
    imported.import(script.as_bytes(), common::T0);
    assert_eq!(
        imported.exec("HPTTL h FIELDS 3 f2 f3 f0"),
        "1) (integer) 5000\n2) (integer) 3000\n3) (integer) -1"
    );
}

#[test]
fn memory_usage_counts_what_field_ttls_add() {
    let mut s = with_fields(3);
    let plain = s.exec("MEMORY USAGE h");
    s.exec("HPERSIST h FIELDS 1 f0");
    assert_eq!(
        s.exec("MEMORY USAGE h"),
        plain,
        "HPERSIST alone leaves a plain listpack"
    );
    s.exec("HEXPIRE h 100 FIELDS 1 f0");
    let n = |r: String| r.trim_start_matches("(integer) ").parse::<u64>().unwrap();
    assert!(
        n(s.exec("MEMORY USAGE h")) > n(plain),
        "a listpackex is bigger"
    );
}
