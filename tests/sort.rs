//! SORT and SORT_RO: every option and error frozen from Redis 7.0.15
//! (tests/scripts/sort.txt), plus what a frozen script can't say: hashtable sets (whose
//! load order is unspecified), values built directly through the db API, STORE's effect
//! on TTLs, watchers and the change counter, and model-based property tests.

mod common;
use common::check;

use std::collections::{BTreeSet, VecDeque};

use proptest::prelude::*;
use redis_playground::reply::Reply;
use redis_playground::types::{Hash, Set, Value, ZSet};
use redis_playground::World;

#[test]
fn sort_answers_like_redis() {
    common::check_file("sort.txt");
}

fn b(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}

fn bulks(r: &Reply) -> Vec<Vec<u8>> {
    match r {
        Reply::Array(v) => v
            .iter()
            .map(|x| match x {
                Reply::Bulk(b) => b.clone(),
                other => panic!("not a bulk: {other:?}"),
            })
            .collect(),
        other => panic!("not an array: {other:?}"),
    }
}

fn run(s: &mut World, line: &str) -> Reply {
    let argv = redis_playground::cli::split_args(line.as_bytes()).expect("a valid line");
    s.exec_args(&argv)
}

/// A session whose db 0 holds a list, a set, a sorted set and a hash written straight
/// through the db API (no list/set/zset commands needed).
fn with_values() -> World {
    let mut s = common::session();
    let now = s.now_ms();
    let db = &mut s.server_mut().db_mut(0);
    let list: VecDeque<Vec<u8>> = ["3", "1", "2"].iter().map(|x| b(x)).collect();
    db.set(b"list", Value::List(Box::new(list)), false, now);
    db.set(
        b"set",
        Value::Set(Box::new(Set::from_members(
            ["b", "c", "a"].iter().map(|x| b(x)),
            &Default::default(),
        ))),
        false,
        now,
    );
    db.set(
        b"zset",
        Value::ZSet(Box::new(ZSet::from_pairs(
            [(2.0, b("x")), (1.0, b("y")), (3.0, b("w"))],
            &Default::default(),
        ))),
        false,
        now,
    );
    db.set(
        b"hw_1",
        Value::Hash(Box::new(Hash::from_pairs(
            [(b("f"), b("30"))],
            &Default::default(),
        ))),
        false,
        now,
    );
    db.set(
        b"hw_2",
        Value::Hash(Box::new(Hash::from_pairs(
            [(b("f"), b("10"))],
            &Default::default(),
        ))),
        false,
        now,
    );
    db.set(
        b"hw_3",
        Value::Hash(Box::new(Hash::from_pairs(
            [(b("f"), b("20"))],
            &Default::default(),
        ))),
        false,
        now,
    );
    s
}

#[test]
fn values_built_through_the_db_api_sort_like_any_other() {
    let mut s = with_values();
    common::check_on(
        &mut s,
        r#"
> SORT list
1) "1"
2) "2"
3) "3"
> SORT list BY hw_*->f
1) "2"
2) "3"
3) "1"
> SORT list BY hw_*->f GET hw_*->f DESC
1) "30"
2) "20"
3) "10"
> SORT list BY nosort DESC
1) "2"
2) "1"
3) "3"
> SORT set ALPHA
1) "a"
2) "b"
3) "c"
> SORT set ALPHA DESC LIMIT 0 2
1) "c"
2) "b"
> SORT zset BY nosort
1) "y"
2) "x"
3) "w"
> SORT zset ALPHA
1) "w"
2) "x"
3) "y"
> SORT zset BY nosort DESC GET #
1) "w"
2) "x"
3) "y"
> SORT set BY nosort STORE out
(integer) 3
> TYPE out
list
> SORT hw_1
(error) WRONGTYPE Operation against a key holding the wrong kind of value
"#,
    );
}

/// A set with 600 members: a hashtable, whose iteration order is unspecified.
fn with_big_set() -> World {
    let mut s = common::session();
    let now = s.now_ms();
    let members = (0..600).map(|i| format!("m{i}").into_bytes());
    s.server_mut().db_mut(0).set(
        b"s",
        Value::Set(Box::new(Set::from_members(members, &Default::default()))),
        false,
        now,
    );
    assert_eq!(s.exec("OBJECT ENCODING s"), "\"hashtable\"");
    s
}

#[test]
fn sorting_a_hashtable_set_is_deterministic_because_the_order_is_total() {
    let mut s = with_big_set();
    let got = bulks(&run(&mut s, "SORT s ALPHA"));
    let mut want: Vec<Vec<u8>> = (0..600).map(|i| format!("m{i}").into_bytes()).collect();
    want.sort();
    assert_eq!(got, want);
    let got = bulks(&run(&mut s, "SORT s ALPHA DESC LIMIT 10 5"));
    let rev: Vec<_> = want.iter().rev().cloned().collect();
    assert_eq!(got, rev[10..15].to_vec());
    // Every score is 0 when BY finds nothing: the elements break the ties.
    assert_eq!(bulks(&run(&mut s, "SORT s BY nokey_*")), want);
    assert_eq!(
        bulks(&run(&mut s, "SORT s BY nokey_* LIMIT 100 7")),
        want[100..107].to_vec()
    );
    assert_eq!(
        run(&mut s, "SORT s"),
        Reply::Error("ERR One or more scores can't be converted into double".into())
    );
}

#[test]
fn sort_by_nosort_on_a_hashtable_set_returns_every_member_unless_stored_sorted() {
    let mut s = with_big_set();
    let got: BTreeSet<_> = bulks(&run(&mut s, "SORT s BY nosort"))
        .into_iter()
        .collect();
    assert_eq!(got.len(), 600);
    assert_eq!(bulks(&run(&mut s, "SORT s BY nosort LIMIT 0 10")).len(), 10);
    // With STORE, Redis sorts a set ALPHA whatever BY says, so replicas agree.
    assert_eq!(run(&mut s, "SORT s BY nosort STORE out"), Reply::Int(600));
    let stored = bulks(&run(&mut s, "LRANGE out 0 -1"));
    let mut want = stored.clone();
    want.sort();
    assert_eq!(stored, want);
}

#[test]
fn store_replaces_the_destination_and_drops_its_ttl() {
    check(
        r#"
> RPUSH l 2 1
(integer) 2
> SET dst old EX 100
OK
> SORT l STORE dst
(integer) 2
> TTL dst
(integer) -1
> LRANGE dst 0 -1
1) "1"
2) "2"
> EXPIRE dst 100
(integer) 1
> SORT l LIMIT 5 5 STORE dst
(integer) 0
> EXISTS dst
(integer) 0
"#,
    );
}

#[test]
fn store_touches_watched_keys_and_sort_without_store_does_not() {
    for (cmd, aborts) in [
        ("SORT l STORE dst", true),
        ("SORT nokey STORE dst", true),
        ("SORT l", false),
        ("SORT_RO l", false),
        ("SORT bad STORE dst", false),
    ] {
        let mut s = common::session();
        s.exec("RPUSH l 2 1");
        s.exec("RPUSH bad x");
        s.exec("SET dst v");
        s.exec("WATCH dst");
        s.exec(cmd);
        s.exec("MULTI");
        s.exec("PING");
        let want = if aborts { "(nil)" } else { "1) PONG" };
        assert_eq!(s.exec("EXEC"), want, "{cmd}");
    }
}

#[test]
fn store_counts_one_change_per_stored_element_like_redis() {
    let mut s = common::session();
    s.exec("RPUSH l 3 1 2");
    s.exec("SET dst v");
    for (cmd, want) in [
        ("SORT l STORE dst", 3),
        ("SORT l GET # GET nokey_* STORE dst", 6),
        ("SORT l LIMIT 0 0 STORE dst", 1),
        ("SORT l LIMIT 0 0 STORE dst", 0),
        ("SORT l", 0),
    ] {
        let before = s.server().dirty();
        s.exec(cmd);
        assert_eq!(s.server().dirty() - before, want, "{cmd}");
    }
}

#[test]
fn sort_reads_through_expired_keys_as_missing() {
    check(
        r#"
> RPUSH l 1 2
(integer) 2
> SET w_1 9
OK
> SET w_2 5
OK
> PEXPIRE w_2 10
(integer) 1
> SORT l BY w_* GET w_*
1) "5"
2) "9"
@advance 11
> SORT l BY w_* GET w_*
1) (nil)
2) "9"
> PEXPIRE l 10
(integer) 1
@advance 11
> SORT l
(empty array)
"#,
    );
}

#[test]
fn a_huge_limit_never_panics_or_allocates_wildly() {
    check(
        r#"
> RPUSH l 3 1 2
(integer) 3
> SORT l LIMIT 9223372036854775807 9223372036854775807
(empty array)
> SORT l LIMIT 1 9223372036854775807
1) "2"
2) "3"
> SORT l BY nosort LIMIT 2 9223372036854775807
1) "2"
> SORT l BY w_* LIMIT 1 9223372036854775807
1) "2"
2) "3"
> SORT l BY nosort DESC LIMIT -9223372036854775808 -9223372036854775808
1) "2"
2) "1"
3) "3"
"#,
    );
}

// ---- model-based ----

fn element() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (-50i32..50).prop_map(|n| n.to_string()),
        1 => prop::sample::select(vec!["1.5", "-0", "0x10", "1e3", " 2", "", "inf", "-inf"]).prop_map(String::from),
        1 => "[a-c]{1,2}",
    ]
}

/// The score SORT gives a value in the model (the cases `element` can produce).
fn model_score(s: &str) -> Option<f64> {
    match s {
        "" => Some(0.0),
        "0x10" => Some(16.0),
        "inf" => Some(f64::INFINITY),
        "-inf" => Some(f64::NEG_INFINITY),
        _ => s.trim_start().parse::<f64>().ok().filter(|v| v.is_finite()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn sort_of_a_list_agrees_with_a_model(
        elems in prop::collection::vec(element(), 0..30),
        desc in any::<bool>(),
        alpha in any::<bool>(),
        limit in prop::option::of((-3i64..35, -3i64..35)),
    ) {
        let mut s = common::session();
        for e in &elems {
            s.exec_args(&[b("RPUSH"), b("l"), b(e)]);
        }
        let mut argv = vec![b("SORT"), b("l")];
        if desc { argv.push(b("DESC")); }
        if alpha { argv.push(b("ALPHA")); }
        if let Some((o, c)) = limit {
            argv.extend([b("LIMIT"), b(&o.to_string()), b(&c.to_string())]);
        }
        let got = s.exec_args(&argv);
        let mut model: Vec<(f64, Vec<u8>)> = Vec::new();
        let mut bad = false;
        for e in &elems {
            let score = if alpha { Some(0.0) } else { model_score(e) };
            match score {
                Some(x) => model.push((x, b(e))),
                None => bad = true,
            }
        }
        if bad {
            prop_assert!(got.is_error());
            return Ok(());
        }
        model.sort_by(|a, b| {
            let c = if alpha { a.1.cmp(&b.1) } else { a.0.partial_cmp(&b.0).unwrap().then_with(|| a.1.cmp(&b.1)) };
            if desc { c.reverse() } else { c }
        });
        let all: Vec<Vec<u8>> = model.into_iter().map(|p| p.1).collect();
        let n = all.len() as i64;
        let want: Vec<Vec<u8>> = match limit {
            None => all,
            Some((o, c)) => {
                let start = o.max(0);
                let end = if c < 0 { n - 1 } else { (start + c - 1).min(n - 1) };
                if start >= n || end < start { vec![] } else { all[start as usize..=end as usize].to_vec() }
            }
        };
        prop_assert_eq!(bulks(&got), want);
    }

    #[test]
    fn sort_never_panics_on_any_arguments(
        words in prop::collection::vec(prop::sample::select(vec![
            "BY", "LIMIT", "GET", "ASC", "DESC", "ALPHA", "STORE", "#", "w_*", "h_*->f", "nosort",
            "0", "1", "-1", "9223372036854775807", "-9223372036854775808", "x", "*", "->", "*->", "",
        ]), 0..10),
        key in prop::sample::select(vec!["l", "s", "z", "h", "str", "nokey"]),
        ro in any::<bool>(),
    ) {
        let mut s = common::session();
        for line in ["RPUSH l 3 1 2 a", "SADD s 1 2 x", "ZADD z 1 a 2 b", "HSET h f v", "SET str x",
                     "SET w_1 1", "HSET h_2 f 2", "SET w_a z"] {
            s.exec(line);
        }
        let mut argv = vec![b(if ro { "SORT_RO" } else { "SORT" }), b(key)];
        argv.extend(words.iter().map(|w| b(w)));
        let r = s.exec_args(&argv);
        prop_assert!(matches!(r, Reply::Array(_) | Reply::Int(_) | Reply::Error(_)));
    }
}
