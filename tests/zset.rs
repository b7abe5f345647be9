//! Sorted sets: every command, option and error with a deterministic answer, frozen from
//! Redis 7.0.15 (tests/scripts/zset_*.txt); here also what can't be frozen: the random
//! commands' properties, ZSCAN of a skiplist, blocking pops without data, change
//! tracking, big sets, and inputs that must never panic.

mod common;
use common::{check, session};
use redis_playground::{Reply, World};
use std::collections::{BTreeMap, BTreeSet, HashMap};

#[test]
fn members_and_scores_answer_like_redis() {
    common::check_file("zset_members.txt");
}

#[test]
fn ranges_by_rank_score_and_lex_answer_like_redis() {
    common::check_file("zset_ranges.txt");
}

#[test]
fn unions_intersections_and_differences_answer_like_redis() {
    common::check_file("zset_algebra.txt");
}

#[test]
fn pops_random_members_and_listpack_scans_answer_like_redis() {
    common::check_file("zset_pops.txt");
}

// ---- helpers ----

fn run(s: &mut World, args: &[&str]) -> Reply {
    s.exec_args(
        &args
            .iter()
            .map(|a| a.as_bytes().to_vec())
            .collect::<Vec<_>>(),
    )
}

fn text(r: &Reply) -> String {
    match r {
        Reply::Bulk(b) => String::from_utf8_lossy(b).into_owned(),
        Reply::Double(d) | Reply::DoubleBulk(d) => redis_playground::num::double::fmt_g17(*d),
        other => panic!("not a bulk string: {other:?}"),
    }
}

/// The bulk strings of a flat array reply.
fn strings(r: &Reply) -> Vec<String> {
    match r {
        Reply::Array(items) => items.iter().map(text).collect(),
        other => panic!("not an array: {other:?}"),
    }
}

/// A sorted set `key` of `n` members m0..m{n-1} with score i for mi.
fn fill(s: &mut World, key: &str, n: usize) -> BTreeMap<String, f64> {
    let mut model = BTreeMap::new();
    for chunk in (0..n).collect::<Vec<_>>().chunks(500) {
        let mut argv = vec![b"ZADD".to_vec(), key.as_bytes().to_vec()];
        for &i in chunk {
            argv.push(i.to_string().into_bytes());
            argv.push(format!("m{i}").into_bytes());
            model.insert(format!("m{i}"), i as f64);
        }
        s.exec_args(&argv);
    }
    model
}

// ---- blocking pops ----

#[test]
fn blocking_pops_without_data_answer_nil_at_once_inside_multi() {
    check(
        r#"
> MULTI
OK
> BZPOPMIN nokey 0
QUEUED
> BZPOPMAX nokey other 0.5
QUEUED
> BZMPOP 0 2 nokey other MAX COUNT 3
QUEUED
> EXEC
1) (nil)
2) (nil)
3) (nil)
# Arguments are checked before anything waits.
> BZPOPMIN nokey -1
(error) ERR timeout is negative
> BZMPOP 0 0 nokey MIN
(error) ERR numkeys should be greater than 0
"#,
    );
}

#[test]
fn blocking_pops_inside_multi_take_the_data_queued_before_them() {
    check(
        r#"
> MULTI
OK
> ZADD q 1 a 2 b
QUEUED
> BZPOPMAX q 0
QUEUED
> BZMPOP 0 1 q MIN COUNT 5
QUEUED
> BZPOPMIN q 0
QUEUED
> EXEC
1) (integer) 2
2) 1) "q"
   2) "b"
   3) "2"
3) 1) "q"
   2) 1) 1) "a"
         2) "1"
4) (nil)
> EXISTS q
(integer) 0
"#,
    );
}

// ---- random members ----

#[test]
fn zrandmember_with_a_positive_count_gives_distinct_members_of_the_set() {
    for n in [5usize, 100, 300] {
        let mut s = session();
        let model = fill(&mut s, "z", n);
        for count in [1usize, 2, 3, n / 3, n / 2, n - 1, n, n + 10] {
            let got = strings(&run(&mut s, &["ZRANDMEMBER", "z", &count.to_string()]));
            assert_eq!(got.len(), count.min(n), "n={n} count={count}");
            let distinct: BTreeSet<&String> = got.iter().collect();
            assert_eq!(distinct.len(), got.len(), "repeats for n={n} count={count}");
            assert!(got.iter().all(|m| model.contains_key(m)));
        }
    }
}

#[test]
fn zrandmember_with_a_negative_count_may_repeat_and_gives_exactly_that_many() {
    let mut s = session();
    let model = fill(&mut s, "z", 4);
    let got = strings(&run(&mut s, &["ZRANDMEMBER", "z", "-50"]));
    assert_eq!(got.len(), 50);
    assert!(got.iter().all(|m| model.contains_key(m)));
    let distinct: BTreeSet<&String> = got.iter().collect();
    assert!(
        distinct.len() > 1,
        "50 picks of 4 members all alike: {got:?}"
    );
}

#[test]
fn zrandmember_withscores_pairs_each_member_with_its_score() {
    for n in [10usize, 200] {
        let mut s = session();
        let model = fill(&mut s, "z", n);
        for count in ["3", "-7", "8", "1000"] {
            let got = strings(&run(&mut s, &["ZRANDMEMBER", "z", count, "WITHSCORES"]));
            assert_eq!(got.len() % 2, 0);
            for pair in got.chunks(2) {
                assert_eq!(
                    pair[1].parse::<f64>().ok(),
                    model.get(&pair[0]).copied(),
                    "{pair:?}"
                );
            }
        }
    }
}

#[test]
fn zrandmember_without_a_count_answers_one_member_and_nil_for_a_missing_key() {
    let mut s = session();
    let model = fill(&mut s, "z", 150);
    for _ in 0..20 {
        assert!(model.contains_key(&text(&run(&mut s, &["ZRANDMEMBER", "z"]))));
    }
    assert_eq!(run(&mut s, &["ZRANDMEMBER", "nokey"]), Reply::Nil);
}

#[test]
fn zrandmember_picks_are_reproducible_for_a_seed_and_vary_between_calls() {
    let picks = |seed| {
        let mut s = World::with_seed(common::T0, seed);
        fill(&mut s, "z", 1000);
        (0..5)
            .map(|_| strings(&run(&mut s, &["ZRANDMEMBER", "z", "5"])))
            .collect::<Vec<_>>()
    };
    assert_eq!(picks(1), picks(1));
    let a = picks(1);
    assert!(a.windows(2).any(|w| w[0] != w[1]));
}

#[test]
fn zrandmember_refuses_a_count_too_large_to_answer_instead_of_hanging() {
    let mut s = session();
    fill(&mut s, "z", 3);
    for count in ["-9223372036854775807", "-100000000"] {
        let r = run(&mut s, &["ZRANDMEMBER", "z", count]);
        assert!(
            matches!(&r, Reply::Error(e) if e.starts_with("OOM")),
            "{r:?}"
        );
    }
    // A huge positive count is just "all of them".
    assert_eq!(
        strings(&run(&mut s, &["ZRANDMEMBER", "z", "9223372036854775807"])),
        ["m2", "m1", "m0"]
    );
}

// ---- ZSCAN of a skiplist ----

/// Scan `key` to the end with the given options; every (member, score) seen.
fn scan_all(s: &mut World, key: &str, opts: &[&str]) -> Vec<(String, String)> {
    let mut cursor = "0".to_string();
    let mut seen = Vec::new();
    for _ in 0..100_000 {
        let mut args = vec!["ZSCAN", key, &cursor];
        args.extend_from_slice(opts);
        let Reply::Array(parts) = run(s, &args) else {
            panic!("ZSCAN reply")
        };
        let items = strings(&parts[1]);
        seen.extend(items.chunks(2).map(|p| (p[0].clone(), p[1].clone())));
        cursor = text(&parts[0]);
        if cursor == "0" {
            return seen;
        }
    }
    panic!("ZSCAN never finished");
}

#[test]
fn zscan_of_a_skiplist_visits_every_member_once_with_its_score() {
    let mut s = session();
    let model = fill(&mut s, "z", 1000);
    run(&mut s, &["ZADD", "z", "1.1", "m1"]);
    let seen = scan_all(&mut s, "z", &["COUNT", "37"]);
    assert_eq!(seen.len(), 1000);
    let got: HashMap<String, String> = seen.into_iter().collect();
    assert_eq!(got.len(), 1000);
    assert_eq!(got["m1"], "1.1000000000000001");
    assert_eq!(got["m999"], "999");
    assert!(model.keys().all(|m| got.contains_key(m)));
}

#[test]
fn zscan_count_bounds_each_batch_and_match_filters_members() {
    let mut s = session();
    fill(&mut s, "z", 500);
    let Reply::Array(parts) = run(&mut s, &["ZSCAN", "z", "0", "COUNT", "10"]) else {
        panic!()
    };
    assert_eq!(strings(&parts[1]).len(), 20);
    assert_ne!(text(&parts[0]), "0");
    let seen = scan_all(&mut s, "z", &["MATCH", "m4?", "COUNT", "100"]);
    let names: BTreeSet<String> = seen.into_iter().map(|(m, _)| m).collect();
    assert_eq!(names, (40..50).map(|i| format!("m{i}")).collect());
}

#[test]
fn zscan_returns_every_member_present_throughout_despite_changes_meanwhile() {
    let mut s = session();
    fill(&mut s, "z", 400);
    let mut cursor = "0".to_string();
    let mut seen = BTreeSet::new();
    let mut round = 0;
    loop {
        let Reply::Array(parts) = run(&mut s, &["ZSCAN", "z", &cursor, "COUNT", "25"]) else {
            panic!()
        };
        for p in strings(&parts[1]).chunks(2) {
            seen.insert(p[0].clone());
        }
        // Meanwhile: delete some members that were never there throughout, add new
        // ones, and move the scores of members that stay.
        round += 1;
        run(&mut s, &["ZREM", "z", &format!("m{}", 300 + round)]);
        run(&mut s, &["ZADD", "z", "5", &format!("new{round}")]);
        run(
            &mut s,
            &["ZINCRBY", "z", "1000", &format!("m{}", round * 7)],
        );
        cursor = text(&parts[0]);
        if cursor == "0" {
            break;
        }
    }
    for i in 0..300 {
        assert!(seen.contains(&format!("m{i}")), "m{i} missed");
    }
}

// ---- encodings and big sets ----

#[test]
fn a_sorted_set_turns_into_a_skiplist_past_128_members_and_never_back() {
    let mut s = session();
    fill(&mut s, "z", 128);
    assert_eq!(s.exec("OBJECT ENCODING z"), "\"listpack\"");
    run(&mut s, &["ZADD", "z", "1000", "one-more"]);
    assert_eq!(s.exec("OBJECT ENCODING z"), "\"skiplist\"");
    assert_eq!(s.exec("ZREMRANGEBYRANK z 1 -1"), "(integer) 128");
    assert_eq!(s.exec("OBJECT ENCODING z"), "\"skiplist\"");
    // A result is built and then sized: small results are listpacks again.
    assert_eq!(s.exec("ZUNIONSTORE u 1 z"), "(integer) 1");
    assert_eq!(s.exec("OBJECT ENCODING u"), "\"listpack\"");
    fill(&mut s, "big", 129);
    assert_eq!(s.exec("ZRANGESTORE r big 0 127"), "(integer) 128");
    assert_eq!(s.exec("OBJECT ENCODING r"), "\"listpack\"");
    assert_eq!(s.exec("ZINTERSTORE i 2 big big"), "(integer) 129");
    assert_eq!(s.exec("OBJECT ENCODING i"), "\"skiplist\"");
}

#[test]
fn a_quarter_million_members_answer_ranks_ranges_and_counts() {
    let mut s = session();
    let n = 250_000;
    fill(&mut s, "z", n);
    assert_eq!(s.exec("ZCARD z"), format!("(integer) {n}"));
    assert_eq!(s.exec("ZRANK z m123456"), "(integer) 123456");
    assert_eq!(s.exec("ZREVRANK z m0"), format!("(integer) {}", n - 1));
    assert_eq!(
        s.exec("ZRANGE z 200000 200001"),
        "1) \"m200000\"\n2) \"m200001\""
    );
    assert_eq!(
        s.exec("ZRANGE z (99998 +inf BYSCORE LIMIT 0 2"),
        "1) \"m99999\"\n2) \"m100000\""
    );
    assert_eq!(
        s.exec("ZREVRANGEBYSCORE z 10 -inf LIMIT 3 1 WITHSCORES"),
        "1) \"m7\"\n2) \"7\""
    );
    assert_eq!(s.exec("ZCOUNT z 1000 (2000"), "(integer) 1000");
    assert_eq!(s.exec("ZREMRANGEBYSCORE z 0 (100000"), "(integer) 100000");
    assert_eq!(s.exec("ZRANK z m123456"), "(integer) 23456");
    assert_eq!(
        s.exec("ZPOPMAX z"),
        format!("1) \"m{}\"\n2) \"{}\"", n - 1, n - 1)
    );
    assert_eq!(s.exec("ZINTERCARD 1 z LIMIT 10"), "(integer) 10");
}

// ---- change tracking ----

#[test]
fn watch_is_disturbed_only_by_commands_that_change_the_set() {
    check(
        r#"
> ZADD w 1 a
(integer) 1
> WATCH w
OK
# none of these change anything
> ZADD w 1 a
(integer) 0
> ZADD w GT 0 a
(integer) 0
> ZINCRBY w 0 a
"1"
> ZREM w nosuch
(integer) 0
> ZREMRANGEBYLEX w (z +
(integer) 0
> ZPOPMIN nokey
(empty array)
> ZRANGESTORE nokey2 nokey 0 -1
(integer) 0
> MULTI
OK
> ZCARD w
QUEUED
> EXEC
1) (integer) 1
> WATCH w
OK
> ZINCRBY w 1 a
"2"
> MULTI
OK
> ZCARD w
QUEUED
> EXEC
(nil)
> WATCH w
OK
# a STORE whose result is empty deletes its destination
> ZUNIONSTORE w 1 nokey
(integer) 0
> MULTI
OK
> PING
QUEUED
> EXEC
(nil)
> EXISTS w
(integer) 0
"#,
    );
}

#[test]
fn write_commands_count_their_changes_like_redis() {
    let mut s = session();
    let dirty = |s: &World| s.server().dirty();
    let d0 = dirty(&s);
    run(&mut s, &["ZADD", "z", "1", "a", "2", "b", "3", "c"]);
    assert_eq!(dirty(&s) - d0, 3);
    let d0 = dirty(&s);
    run(&mut s, &["ZADD", "z", "CH", "1", "a", "5", "b", "9", "d"]);
    assert_eq!(dirty(&s) - d0, 2);
    let d0 = dirty(&s);
    run(&mut s, &["ZREM", "z", "a", "b", "zz"]);
    assert_eq!(dirty(&s) - d0, 2);
    let d0 = dirty(&s);
    run(&mut s, &["ZPOPMIN", "z", "5"]);
    assert_eq!(dirty(&s) - d0, 2);
    let d0 = dirty(&s);
    run(&mut s, &["ZADD", "z", "1", "a"]);
    run(&mut s, &["ZUNIONSTORE", "u", "1", "z"]);
    assert_eq!(dirty(&s) - d0, 2);
}

// ---- robustness ----

#[test]
fn odd_arguments_never_panic_and_keep_every_set_consistent() {
    let words: &[&str] = &[
        "z",
        "y",
        "str",
        "nokey",
        "0",
        "1",
        "-1",
        "2",
        "3",
        "10",
        "-10",
        "100",
        "9223372036854775807",
        "-9223372036854775808",
        "18446744073709551616",
        "1.5",
        "nan",
        "inf",
        "-inf",
        "+inf",
        "(1",
        "(",
        "[a",
        "(a",
        "-",
        "+",
        "[",
        "",
        " ",
        "1e400",
        "-0",
        "0x1p-1074",
        "a",
        "b",
        "c",
        "NX",
        "XX",
        "GT",
        "LT",
        "CH",
        "INCR",
        "BYSCORE",
        "BYLEX",
        "REV",
        "LIMIT",
        "WITHSCORES",
        "WEIGHTS",
        "AGGREGATE",
        "SUM",
        "MIN",
        "MAX",
        "COUNT",
        "MATCH",
        "*",
        "m*",
    ];
    let cmds: Vec<String> = redis_playground::commands::zset::COMMANDS
        .iter()
        .map(|c| c.name.to_ascii_uppercase())
        .collect();
    let mut rng = fastrand::Rng::with_seed(99);
    let mut s = session();
    run(&mut s, &["SET", "str", "x"]);
    for step in 0..30_000 {
        if step % 500 == 0 {
            fill(
                &mut s,
                if step % 1000 == 0 { "z" } else { "y" },
                1 + step % 200,
            );
        }
        let mut argv = vec![cmds[rng.usize(..cmds.len())].as_bytes().to_vec()];
        for _ in 0..rng.usize(0..9) {
            argv.push(words[rng.usize(..words.len())].as_bytes().to_vec());
        }
        let reply = s.exec_args(&argv.clone());
        if let Reply::Error(e) = &reply {
            assert!(!e.is_empty(), "{argv:?}");
        }
    }
    // Every sorted set left agrees with itself across commands.
    for key in ["z", "y", "a", "b", "c", "0", "1"] {
        let Reply::Int(card) = run(&mut s, &["ZCARD", key]) else {
            continue;
        };
        let all = strings(&run(&mut s, &["ZRANGE", key, "0", "-1", "WITHSCORES"]));
        assert_eq!(all.len() as i64, card * 2, "{key}");
        let mut prev: Option<(f64, String)> = None;
        for (i, p) in all.chunks(2).enumerate() {
            let score: f64 = p[1].parse().unwrap_or_else(|_| panic!("score {:?}", p[1]));
            assert_eq!(run(&mut s, &["ZRANK", key, &p[0]]), Reply::Int(i as i64));
            if let Some((ps, pm)) = &prev {
                assert!(
                    *ps < score || (*ps == score && pm.as_bytes() < p[0].as_bytes()),
                    "{key} order"
                );
            }
            prev = Some((score, p[0].clone()));
        }
        if card == 0 {
            assert_eq!(
                s.exec(&format!("EXISTS {key}")),
                "(integer) 0",
                "empty {key} kept"
            );
        }
    }
}
