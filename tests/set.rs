//! Sets: every command, option and error with a deterministic answer, frozen from Redis
//! 7.0.15 (tests/scripts/set.txt); here also what can't be frozen: hash-table sets (whose
//! order Redis leaves unspecified), the random commands' properties, SSCAN's guarantee,
//! encodings of big sets, change counting, and inputs that must never panic.

mod common;
use common::{check, session};
use redis_playground::World;
use std::collections::{BTreeSet, HashMap};

#[test]
fn set_commands_answer_like_redis() {
    common::check_file("set.txt");
}

// ---- helpers ----

/// `1) "a"` lines of an array reply, as the bulk strings they print (no nesting).
fn items(out: &str) -> Vec<String> {
    if out == "(empty array)" {
        return vec![];
    }
    out.lines()
        .map(|l| {
            let (_, v) = l
                .split_once(") ")
                .unwrap_or_else(|| panic!("not an array item: {l:?} in {out:?}"));
            v.trim_matches('"').to_string()
        })
        .collect()
}

fn sorted(v: Vec<String>) -> Vec<String> {
    let mut v = v;
    v.sort();
    v
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn range(a: i64, b: i64) -> String {
    (a..b).map(|i| i.to_string()).collect::<Vec<_>>().join(" ")
}

fn int(out: &str) -> i64 {
    out.strip_prefix("(integer) ")
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("not an integer: {out:?}"))
}

/// A set of `n` members named m0..m{n-1} (a hash table).
fn words(s: &mut World, key: &str, n: usize) -> BTreeSet<String> {
    let members: Vec<String> = (0..n).map(|i| format!("m{i}")).collect();
    assert_eq!(
        s.exec(&format!("SADD {key} {}", members.join(" "))),
        format!("(integer) {n}")
    );
    members.into_iter().collect()
}

// ---- hash-table sets: membership, not order ----

#[test]
fn a_hash_table_set_holds_its_members_in_some_order() {
    let mut s = session();
    s.exec("SADD h apple banana cherry 1 2");
    assert_eq!(s.exec("OBJECT ENCODING h"), "\"hashtable\"");
    assert_eq!(
        sorted(items(&s.exec("SMEMBERS h"))),
        strs(&["1", "2", "apple", "banana", "cherry"])
    );
    assert_eq!(s.exec("SADD h banana durian"), "(integer) 1");
    assert_eq!(s.exec("SREM h apple nope 1"), "(integer) 2");
    assert_eq!(
        sorted(items(&s.exec("SMEMBERS h"))),
        strs(&["2", "banana", "cherry", "durian"])
    );
    assert_eq!(s.exec("SCARD h"), "(integer) 4");
    assert_eq!(
        s.exec("SMISMEMBER h banana apple 2 1"),
        "1) (integer) 1\n2) (integer) 0\n3) (integer) 1\n4) (integer) 0"
    );
    // Members are bytes: case, spaces and binary data are kept exactly.
    s.exec(r#"SADD bin "a b" "A B" "\x00\xff" """#);
    assert_eq!(s.exec("SCARD bin"), "(integer) 4");
    assert_eq!(s.exec(r#"SISMEMBER bin "\x00\xff""#), "(integer) 1");
    assert_eq!(s.exec(r#"SISMEMBER bin "a  b""#), "(integer) 0");
}

#[test]
fn algebra_on_hash_table_sets_gives_the_right_members() {
    let mut s = session();
    s.exec("SADD a x y z 1 2");
    s.exec("SADD b y z w 2 3");
    s.exec("SADD c z 2 q");
    assert_eq!(sorted(items(&s.exec("SINTER a b"))), strs(&["2", "y", "z"]));
    assert_eq!(sorted(items(&s.exec("SINTER a b c"))), strs(&["2", "z"]));
    assert_eq!(
        sorted(items(&s.exec("SUNION a b"))),
        strs(&["1", "2", "3", "w", "x", "y", "z"])
    );
    assert_eq!(sorted(items(&s.exec("SDIFF a b"))), strs(&["1", "x"]));
    assert_eq!(sorted(items(&s.exec("SDIFF a b c"))), strs(&["1", "x"]));
    assert_eq!(s.exec("SINTERCARD 3 a b c"), "(integer) 2");
    assert_eq!(s.exec("SINTERSTORE i a b"), "(integer) 3");
    assert_eq!(s.exec("OBJECT ENCODING i"), "\"hashtable\"");
    assert_eq!(s.exec("SUNIONSTORE u a b c"), "(integer) 8");
    assert_eq!(s.exec("SDIFFSTORE d a b"), "(integer) 2");
    assert_eq!(sorted(items(&s.exec("SMEMBERS d"))), strs(&["1", "x"]));
    // The STORE forms write the same members the plain forms answer.
    assert_eq!(
        sorted(items(&s.exec("SMEMBERS u"))),
        sorted(items(&s.exec("SUNION a b c")))
    );
    // Integers left in a hash table after the strings went: a union or difference
    // collects them into a fresh intset, which answers ascending.
    assert_eq!(s.exec("SREM a x y z"), "(integer) 3");
    assert_eq!(s.exec("OBJECT ENCODING a"), "\"hashtable\"");
    assert_eq!(s.exec("SUNION a"), "1) \"1\"\n2) \"2\"");
    assert_eq!(s.exec("SDIFF a missing"), "1) \"1\"\n2) \"2\"");
    s.exec("SDIFFSTORE ints a missing");
    assert_eq!(s.exec("OBJECT ENCODING ints"), "\"intset\"");
}

#[test]
fn an_intersection_follows_the_smallest_set_and_keeps_ties_in_argument_order() {
    let mut s = session();
    s.exec("SADD big 9 8 7 6 5 4 3 2 1");
    s.exec("SADD small 7 3 5");
    assert_eq!(s.exec("SINTER big small"), "1) \"3\"\n2) \"5\"\n3) \"7\"");
    assert_eq!(s.exec("SINTERCARD 2 big small LIMIT 2"), "(integer) 2");
    assert_eq!(
        s.exec("SINTER small big small"),
        "1) \"3\"\n2) \"5\"\n3) \"7\""
    );
}

// ---- encodings ----

#[test]
fn the_513th_integer_turns_an_intset_into_a_hash_table_for_good() {
    check(&format!(
        "> SADD big {}\n(integer) 512\n> OBJECT ENCODING big\n\"intset\"\n\
         > SADD big 512\n(integer) 0\n> SADD big 513\n(integer) 1\n> OBJECT ENCODING big\n\"hashtable\"\n\
         > SREM big 513 1 2\n(integer) 3\n> OBJECT ENCODING big\n\"hashtable\"\n\
         > SADD big513 {}\n(integer) 513\n> OBJECT ENCODING big513\n\"hashtable\"\n\
         > SUNIONSTORE u big\n(integer) 510\n> OBJECT ENCODING u\n\"intset\"\n\
         > SINTERSTORE i big big513\n(integer) 510\n> OBJECT ENCODING i\n\"intset\"\n\
         > SUNIONSTORE u big big513\n(integer) 513\n> OBJECT ENCODING u\n\"hashtable\"\n\
         > SMOVE big tiny 100\n(integer) 1\n> OBJECT ENCODING tiny\n\"intset\"\n\
         > SMOVE big tiny x\n(integer) 0\n> SADD s x\n(integer) 1\n> SMOVE s tiny x\n(integer) 1\n\
         > OBJECT ENCODING tiny\n\"hashtable\"\n",
        range(1, 513),
        range(0, 513)
    ));
}

#[test]
fn sdiff_chooses_redis_s_algorithm_and_so_its_encoding() {
    // Redis 7.0.15 answers hashtable, intset, hashtable, and 0: algorithm 2 copies the
    // 600-member first set (a hash table) and removes from it; algorithm 1 collects the
    // survivors into a fresh intset.
    check(&format!(
        "> SADD d0 {}\n(integer) 600\n> SADD d1 {}\n(integer) 100\n> SADD d2 {}\n(integer) 100\n\
         > SDIFFSTORE dd d0 d1 d2\n(integer) 400\n> OBJECT ENCODING dd\n\"hashtable\"\n\
         > SDIFFSTORE dd d0 d1\n(integer) 500\n> OBJECT ENCODING dd\n\"intset\"\n\
         > SDIFFSTORE dd d0 d1 missing d2\n(integer) 400\n> OBJECT ENCODING dd\n\"hashtable\"\n\
         > SDIFFSTORE dd d0 d1 d2 d0\n(integer) 0\n> EXISTS dd\n(integer) 0\n",
        range(1, 601),
        range(1, 101),
        range(101, 201)
    ));
}

#[test]
fn spop_of_nearly_the_whole_set_rebuilds_the_survivors_with_their_own_encoding() {
    // Popping 9 of 10 keeps one survivor in a fresh set: an intset if it is an integer.
    let mut s = session();
    let (mut saw_int, mut saw_str) = (false, false);
    for round in 0..40 {
        let key = format!("k{round}");
        s.exec(&format!("SADD {key} a b c d e 1 2 3 4 5"));
        let popped = items(&s.exec(&format!("SPOP {key} 9")));
        assert_eq!(popped.len(), 9);
        let left = items(&s.exec(&format!("SMEMBERS {key}")));
        assert_eq!(left.len(), 1);
        assert!(!popped.contains(&left[0]));
        let enc = s.exec(&format!("OBJECT ENCODING {key}"));
        if left[0].parse::<i64>().is_ok() {
            assert_eq!(enc, "\"intset\"");
            saw_int = true;
        } else {
            assert_eq!(enc, "\"hashtable\"");
            saw_str = true;
        }
    }
    assert!(saw_int && saw_str);
    // Popping a few members one at a time leaves the encoding alone.
    s.exec("SADD h a 1 2 3 4 5 6 7 8 9");
    s.exec("SPOP h 1");
    assert_eq!(s.exec("OBJECT ENCODING h"), "\"hashtable\"");
}

#[test]
fn spop_keeps_the_key_s_time_to_live_whatever_its_strategy() {
    let mut s = session();
    s.exec("SADD k a 1 2 3 4 5 6 7 8 9 10 11");
    s.exec("EXPIRE k 100");
    s.exec("SPOP k");
    s.exec("SPOP k 1");
    assert_eq!(s.exec("TTL k"), "(integer) 100");
    // Popping all but one rebuilds the set; the key keeps its TTL, as in Redis.
    s.exec("SPOP k 9");
    assert_eq!(s.exec("SCARD k"), "(integer) 1");
    assert_eq!(s.exec("TTL k"), "(integer) 100");
}

// ---- random commands ----

#[test]
fn spop_without_a_count_removes_one_random_member() {
    let mut s = session();
    let mut all = words(&mut s, "w", 20);
    for left in (0..20).rev() {
        let out = s.exec("SPOP w");
        let m = out.trim_matches('"').to_string();
        assert!(all.remove(&m), "{m} popped twice or never there");
        assert_eq!(int(&s.exec("SCARD w")), left);
    }
    assert_eq!(s.exec("EXISTS w"), "(integer) 0");
    assert_eq!(s.exec("SPOP w"), "(nil)");
}

#[test]
fn spop_with_a_count_removes_that_many_distinct_members() {
    // Every strategy: one at a time (small counts), survivors (counts near the size),
    // the whole set (counts at or past it); for a hash table and an intset.
    for (kind, fill) in [("words", false), ("ints", true)] {
        for count in [1usize, 3, 10, 30, 49, 50, 51, 200] {
            let mut s = session();
            let members: BTreeSet<String> = if fill {
                s.exec(&format!("SADD k {}", range(0, 50)));
                (0..50).map(|i| i.to_string()).collect()
            } else {
                words(&mut s, "k", 50)
            };
            let popped = items(&s.exec(&format!("SPOP k {count}")));
            let want = count.min(50);
            assert_eq!(popped.len(), want, "{kind} {count}");
            let distinct: BTreeSet<String> = popped.iter().cloned().collect();
            assert_eq!(distinct.len(), want, "{kind} {count}: repeats");
            assert!(distinct.is_subset(&members));
            let left: BTreeSet<String> = items(&s.exec("SMEMBERS k")).into_iter().collect();
            assert_eq!(left.len(), 50 - want);
            assert!(left.is_disjoint(&distinct));
            assert_eq!(
                left.union(&distinct).cloned().collect::<BTreeSet<_>>(),
                members
            );
            if want == 50 {
                assert_eq!(s.exec("EXISTS k"), "(integer) 0");
            }
        }
    }
}

#[test]
fn spop_of_the_whole_set_answers_like_a_union() {
    // An all-integer set comes out ascending even from a hash table, as Redis answers it.
    check(
        "> SADD t x 5 3 1 4 2\n(integer) 6\n> SREM t x\n(integer) 1\n\
         > SPOP t 5\n1) \"1\"\n2) \"2\"\n3) \"3\"\n4) \"4\"\n5) \"5\"\n> EXISTS t\n(integer) 0\n",
    );
}

#[test]
fn srandmember_with_a_positive_count_returns_distinct_members_and_changes_nothing() {
    let mut s = session();
    let members = words(&mut s, "w", 30);
    for count in [1usize, 2, 9, 10, 11, 25, 29, 30, 31, 1000] {
        let got = items(&s.exec(&format!("SRANDMEMBER w {count}")));
        assert_eq!(got.len(), count.min(30), "count {count}");
        let distinct: BTreeSet<String> = got.iter().cloned().collect();
        assert_eq!(distinct.len(), got.len(), "count {count}: repeats");
        assert!(distinct.is_subset(&members));
    }
    assert_eq!(s.exec("SCARD w"), "(integer) 30");
    s.exec(&format!("SADD n {}", range(0, 40)));
    for count in [5, 20, 39] {
        let got: BTreeSet<String> = items(&s.exec(&format!("SRANDMEMBER n {count}")))
            .into_iter()
            .collect();
        assert_eq!(got.len(), count);
    }
}

#[test]
fn srandmember_with_a_negative_count_may_repeat_members() {
    let mut s = session();
    s.exec("SADD w a b c");
    let got = items(&s.exec("SRANDMEMBER w -50"));
    assert_eq!(got.len(), 50);
    assert!(got.iter().all(|m| ["a", "b", "c"].contains(&m.as_str())));
    let distinct: BTreeSet<&String> = got.iter().collect();
    assert_eq!(
        distinct.len(),
        3,
        "50 picks from 3 members should meet all of them"
    );
    assert_eq!(items(&s.exec("SRANDMEMBER w -1")).len(), 1);
    assert_eq!(items(&s.exec("SRANDMEMBER w -2")).len(), 2);
    assert_eq!(s.exec("SCARD w"), "(integer) 3");
}

#[test]
fn random_picks_reach_every_member_roughly_evenly() {
    let mut s = session();
    s.exec("SADD w a b c d 1 2 3 4");
    let mut seen: HashMap<String, usize> = HashMap::new();
    for m in items(&s.exec("SRANDMEMBER w -8000")) {
        *seen.entry(m).or_default() += 1;
    }
    assert_eq!(seen.len(), 8);
    assert!(seen.values().all(|&n| (700..1300).contains(&n)), "{seen:?}");
    let mut single: BTreeSet<String> = BTreeSet::new();
    for _ in 0..200 {
        single.insert(s.exec("SRANDMEMBER w").trim_matches('"').to_string());
    }
    assert_eq!(single.len(), 8);
}

#[test]
fn random_picks_are_reproducible_from_the_seed() {
    let run = || {
        let mut s = session();
        s.exec(&format!("SADD k {}", range(0, 100)));
        s.exec("SADD w a b c d e f g h");
        let script = [
            "SRANDMEMBER k 5",
            "SRANDMEMBER w -6",
            "SPOP k 3",
            "SPOP w",
            "SRANDMEMBER k",
            "SPOP k 90",
        ];
        script.iter().map(|c| s.exec(c)).collect::<Vec<_>>()
    };
    assert_eq!(run(), run());
}

// ---- SSCAN ----

#[test]
fn sscan_of_a_small_hash_table_set_answers_in_one_call() {
    let mut s = session();
    let members = words(&mut s, "w", 10);
    let out = s.exec("SSCAN w 0");
    let (cursor, rest) = out.split_once('\n').unwrap();
    assert_eq!(cursor, "1) \"0\"");
    let got: BTreeSet<String> = rest
        .lines()
        .map(|l| l.rsplit_once(") ").unwrap().1.trim_matches('"').to_string())
        .collect();
    assert_eq!(got, members);
}

/// Run a whole SSCAN over `key`, calling `between` after every step; returns what it saw.
fn full_scan(
    s: &mut World,
    key: &str,
    opts: &str,
    mut between: impl FnMut(&mut World, usize),
) -> Vec<String> {
    let mut cursor = "0".to_string();
    let mut seen = Vec::new();
    for step in 0.. {
        assert!(step < 100_000, "scan never ended");
        let out = s.exec(&format!("SSCAN {key} {cursor} {opts}"));
        let mut lines = out.lines();
        cursor = lines
            .next()
            .unwrap()
            .trim_start_matches("1) ")
            .trim_matches('"')
            .to_string();
        for l in lines {
            if l.contains("(empty array)") {
                continue;
            }
            seen.push(l.rsplit_once(") ").unwrap().1.trim_matches('"').to_string());
        }
        if cursor == "0" {
            break;
        }
        between(s, step);
    }
    seen
}

#[test]
fn sscan_never_misses_a_member_present_for_the_whole_scan() {
    let mut s = session();
    let members = words(&mut s, "w", 1000);
    // Churn while scanning: remove some members, add new ones, pop at random.
    let seen = full_scan(&mut s, "w", "COUNT 7", |s, step| {
        let gone: Vec<String> = (0..3)
            .map(|j| format!("m{}", 500 + (step * 3 + j) % 500))
            .collect();
        s.exec(&format!("SREM w {}", gone.join(" ")));
        s.exec(&format!(
            "SADD w new{step}a new{step}b new{step}c new{step}d"
        ));
        s.exec("SPOP w");
    });
    let seen: BTreeSet<String> = seen.into_iter().collect();
    let now: BTreeSet<String> = items(&s.exec("SMEMBERS w")).into_iter().collect();
    for m in members.iter().filter(|m| now.contains(*m)) {
        assert!(
            seen.contains(m),
            "{m} was there all along but the scan missed it"
        );
    }
}

#[test]
fn sscan_count_and_match_work_on_hash_tables() {
    let mut s = session();
    words(&mut s, "w", 100);
    let seen = full_scan(&mut s, "w", "COUNT 3", |_, _| {});
    assert_eq!(seen.len(), 100);
    assert_eq!(seen.iter().collect::<BTreeSet<_>>().len(), 100);
    let mut matched = full_scan(&mut s, "w", "MATCH m1? COUNT 1000", |_, _| {});
    matched.sort();
    assert_eq!(
        matched,
        (10..20).map(|i| format!("m{i}")).collect::<Vec<_>>()
    );
    // A cursor from elsewhere (or past the end) is still a valid place to resume.
    assert!(s
        .exec("SSCAN w 99999999 COUNT 1000")
        .starts_with("1) \"0\""));
    assert!(s
        .exec("SSCAN w 18446744073709551615 COUNT 5")
        .starts_with("1) \""));
}

// ---- change counting, hits and misses, WATCH ----

fn info_field(s: &mut World, section: &str, field: &str) -> i64 {
    let out = s.exec(&format!("INFO {section}"));
    out.lines()
        .find_map(|l| l.strip_prefix(&format!("{field}:")))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {field} in INFO {section}"))
}

#[test]
fn changes_hits_and_misses_are_counted_as_redis_counts_them() {
    // Measured on Redis 7.0.15: (command, rdb changes, keyspace hits, keyspace misses).
    let table: &[(&str, i64, i64, i64)] = &[
        ("SADD a 1 2 3", 3, 0, 0),
        ("SADD a 3 4", 1, 0, 0),
        ("SADD a 4", 0, 0, 0),
        ("SREM a 1 9", 1, 0, 0),
        ("SREM a 9", 0, 0, 0),
        ("SADD b x", 1, 0, 0),
        ("SREM b x", 1, 0, 0),
        ("SMOVE a c 2", 2, 0, 0),
        ("SMOVE a c 99", 0, 0, 0),
        ("SADD c 3", 1, 0, 0),
        ("SMOVE a c 3", 1, 0, 0),
        ("SPOP a", 1, 0, 0),
        ("SADD p 1 2 3 4 5 6", 6, 0, 0),
        ("SPOP p 2", 2, 0, 0),
        ("SPOP p 100", 4, 1, 0),
        ("SADD q 1 2", 2, 0, 0),
        ("SPOP q 0", 0, 0, 0),
        ("SINTERSTORE d q c", 1, 2, 0),
        ("SUNIONSTORE d q c", 1, 2, 0),
        ("SDIFFSTORE d q q", 1, 2, 0),
        ("SDIFFSTORE d q q", 0, 2, 0),
        ("SISMEMBER q 1", 0, 1, 0),
        ("SISMEMBER nope 1", 0, 0, 1),
        ("SMEMBERS q", 0, 1, 0),
        ("SCARD nope", 0, 0, 1),
        ("SINTER q nope c", 0, 2, 1),
        ("SUNION q c", 0, 2, 0),
        ("SRANDMEMBER q", 0, 1, 0),
        ("SRANDMEMBER nope 3", 0, 0, 1),
        ("SSCAN q 0", 0, 1, 0),
        ("SINTERCARD 2 q c", 0, 2, 0),
        ("SMISMEMBER q 1 2", 0, 1, 0),
        ("SMOVE q nope2 1", 2, 0, 0),
        ("SPOP nope", 0, 0, 0),
    ];
    let mut s = session();
    for &(cmd, dirty, hits, misses) in table {
        let d0 = info_field(&mut s, "persistence", "rdb_changes_since_last_save");
        let h0 = info_field(&mut s, "stats", "keyspace_hits");
        let m0 = info_field(&mut s, "stats", "keyspace_misses");
        s.exec(cmd);
        let got = (
            info_field(&mut s, "persistence", "rdb_changes_since_last_save") - d0,
            info_field(&mut s, "stats", "keyspace_hits") - h0,
            info_field(&mut s, "stats", "keyspace_misses") - m0,
        );
        assert_eq!(got, (dirty, hits, misses), "{cmd}: (changes, hits, misses)");
    }
}

/// Does `cmd` touch the WATCHed `key`? (EXEC fails if it did.)
fn touches(setup: &str, key: &str, cmd: &str) -> bool {
    let mut s = session();
    for line in setup.split(';').filter(|l| !l.trim().is_empty()) {
        s.exec(line.trim());
    }
    s.exec(&format!("WATCH {key}"));
    s.exec(cmd);
    s.exec("MULTI");
    s.exec("PING");
    s.exec("EXEC") == "(nil)"
}

#[test]
fn writes_touch_watched_keys_and_no_op_writes_do_not() {
    let setup = "SADD s 1 2 3; SADD t 9; SET str v";
    let cases: &[(&str, &str, bool)] = &[
        ("s", "SADD s 4", true),
        ("s", "SADD s 1 2", false),
        ("s", "SREM s 1", true),
        ("s", "SREM s 7", false),
        ("s", "SPOP s", true),
        ("s", "SPOP s 0", false),
        ("s", "SPOP s 2", true),
        ("s", "SPOP s 10", true),
        ("s", "SMOVE s t 1", true),
        ("t", "SMOVE s t 1", true),
        ("s", "SMOVE s t 7", false),
        ("t", "SMOVE t s 9", true),
        ("s", "SRANDMEMBER s 2", false),
        ("s", "SSCAN s 0", false),
        ("d", "SINTERSTORE d s t", false),
        ("t", "SINTERSTORE t s t", true),
        ("s", "SINTERSTORE s s t", true),
        ("s", "SUNIONSTORE s t", true),
        ("s", "SDIFFSTORE s s", true),
        ("str", "SUNIONSTORE str s", true),
        ("str", "SADD str 1", false),
    ];
    for &(key, cmd, want) in cases {
        assert_eq!(touches(setup, key, cmd), want, "WATCH {key}; {cmd}");
    }
}

// ---- inputs that must never panic ----

#[test]
fn extreme_arguments_get_redis_s_errors_and_never_a_panic() {
    let mut s = session();
    s.exec("SADD k a b c");
    s.exec("SADD n 1 2 3");
    let cases: &[(&str, &str)] = &[
        ("SRANDMEMBER k -9223372036854775808", "(error) ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"),
        ("SRANDMEMBER k -9223372036854775807", "(error) OOM command not allowed when used memory > 'maxmemory'."),
        ("SRANDMEMBER k 99999999999999999999", "(error) ERR value is not an integer or out of range"),
        ("SRANDMEMBER k \"\"", "(error) ERR value is not an integer or out of range"),
        ("SPOP k -9223372036854775808", "(error) ERR value is out of range, must be positive"),
        ("SPOP k \"\"", "(error) ERR value is out of range, must be positive"),
        ("SINTERCARD 9223372036854775807 k", "(error) ERR Number of keys can't be greater than number of args"),
        ("SINTERCARD -9223372036854775808 k", "(error) ERR numkeys should be greater than 0"),
        ("SINTERCARD \"\" k", "(error) ERR numkeys should be greater than 0"),
        ("SINTERCARD 1 k LIMIT 9223372036854775807", "(integer) 3"),
        ("SINTERCARD 1 k LIMIT -9223372036854775808", "(error) ERR LIMIT can't be negative"),
        ("SSCAN n 0 COUNT 9223372036854775807", "1) \"0\"\n2) 1) \"1\"\n   2) \"2\"\n   3) \"3\""),
        ("SSCAN n 0 COUNT -9223372036854775808", "(error) ERR syntax error"),
        ("SSCAN n \"\"", "1) \"0\"\n2) 1) \"1\"\n   2) \"2\"\n   3) \"3\""),
        ("SSCAN n 99999999999999999999", "(error) ERR invalid cursor"),
        ("SSCAN n 0 MATCH \"\"", "1) \"0\"\n2) (empty array)"),
        ("SADD \"\" \"\"", "(integer) 1"),
        ("SISMEMBER \"\" \"\"", "(integer) 1"),
        ("SMOVE \"\" \"\" \"\"", "(integer) 1"),
        ("SPOP \"\" 1", "1) \"\""),
    ];
    for (cmd, want) in cases {
        assert_eq!(s.exec(cmd), *want, "{cmd}");
    }
    // Huge counts over big sets stay bounded by the set.
    s.exec(&format!("SADD big {}", range(0, 2000)));
    assert_eq!(
        items(&s.exec("SRANDMEMBER big 9223372036854775807")).len(),
        2000
    );
    let k_scan = s.exec("SSCAN k 18446744073709551615 COUNT 9223372036854775807");
    assert!(k_scan.starts_with("1) \"0\""), "{k_scan}");
    assert_eq!(items(&s.exec("SPOP big 9223372036854775807")).len(), 2000);
    assert_eq!(s.exec("EXISTS big"), "(integer) 0");
}

#[test]
fn every_set_command_survives_arbitrary_arguments() {
    let names: Vec<String> = redis_playground::commands::set::COMMANDS
        .iter()
        .map(|c| c.name.to_ascii_uppercase())
        .collect();
    let words = [
        "k",
        "s",
        "str",
        "n",
        "\"\"",
        "0",
        "1",
        "-1",
        "2",
        "5",
        "LIMIT",
        "COUNT",
        "MATCH",
        "*",
        "9223372036854775807",
        "-9223372036854775808",
        "18446744073709551616",
        "x",
        "1.5",
        "007",
    ];
    let mut rng = 12345u64;
    let mut next = |n: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % n as u64) as usize
    };
    let mut s = session();
    for round in 0..4000 {
        if round % 500 == 0 {
            s.exec("FLUSHALL");
            s.exec("SADD s a b c 1 2");
            s.exec("SADD n 1 2 3");
            s.exec("SET str v");
        }
        let mut line = names[next(names.len())].to_string();
        for _ in 0..next(6) {
            line.push(' ');
            line.push_str(words[next(words.len())]);
        }
        let out = s.exec(&line);
        assert!(!out.is_empty(), "{line}");
        assert!(
            !out.contains("OOM") || line.starts_with("SRANDMEMBER"),
            "{line}: {out}"
        );
    }
}
