//! Keys of any type: frozen from Redis 7.0.15 (tests/scripts/keyspace.txt), plus expiry on
//! the virtual clock and the commands' behaviour on every value type.

mod common;

#[test]
fn keyspace_commands_answer_like_redis() {
    common::check_file("keyspace.txt");
}

use redis_playground::types::{Hash, Set, Value, ZSet};
use redis_playground::World;
use std::collections::{HashSet, VecDeque};

/// One value of each of the five types in db 0: str, list, set, zset, hash.
fn all_types() -> World {
    let mut s = common::session();
    let now = s.now_ms();
    let b = |x: &str| x.as_bytes().to_vec();
    let db = &mut s.server_mut().db_mut(0);
    db.set(
        b"list",
        Value::List(Box::new(VecDeque::from(vec![b("a"), b("b")]))),
        false,
        now,
    );
    db.set(
        b"set",
        Value::Set(Box::new(Set::from_members(
            [b("1"), b("2")],
            &Default::default(),
        ))),
        false,
        now,
    );
    db.set(
        b"zset",
        Value::ZSet(Box::new(ZSet::from_pairs(
            [(1.0, b("m"))],
            &Default::default(),
        ))),
        false,
        now,
    );
    db.set(
        b"hash",
        Value::Hash(Box::new(Hash::from_pairs(
            [(b("f"), b("v"))],
            &Default::default(),
        ))),
        false,
        now,
    );
    s.exec("SET str v");
    s
}

#[test]
fn type_exists_del_rename_copy_move_and_expiry_work_for_every_type() {
    let mut s = all_types();
    common::check_on(
        &mut s,
        r#"
> TYPE str
string
> TYPE list
list
> TYPE set
set
> TYPE zset
zset
> TYPE hash
hash
> OBJECT ENCODING list
"quicklist"
> OBJECT ENCODING set
"intset"
> OBJECT ENCODING zset
"listpack"
> OBJECT ENCODING hash
"listpack"
> EXISTS str list set zset hash
(integer) 5
> DBSIZE
(integer) 5
> RENAME list list2
OK
> TYPE list2
list
> COPY set set2
(integer) 1
> TYPE set2
set
> COPY zset zset2 DB 5
(integer) 1
> MOVE hash 7
(integer) 1
> TYPE hash
none
> EXPIRE list2 10
(integer) 1
> EXPIRE set2 20
(integer) 1
> TTL list2
(integer) 10
> SELECT 5
OK
> TYPE zset2
zset
> SELECT 7
OK
> TYPE hash
hash
> SELECT 0
OK
> SCAN 0 TYPE set
1) "0"
2) 1) "set"
   2) "set2"
@advance 10001
> TYPE list2
none
> DEL set set2 str zset
(integer) 4
> DBSIZE
(integer) 0
"#,
    );
}

#[test]
fn active_expiry_deletes_keys_nobody_reads() {
    let mut s = common::session();
    for i in 0..100 {
        s.exec(&format!("SET k{i} v PX 1000"));
    }
    s.exec("SET keep v");
    assert_eq!(s.exec("DBSIZE"), "(integer) 101");
    // Nobody touches the keys: only the timed cycle can remove them.
    for _ in 0..50 {
        s.advance(common::T0, 100.0);
    }
    assert_eq!(s.exec("DBSIZE"), "(integer) 1");
    let info = s.exec("INFO stats");
    assert!(info.contains("expired_keys:100\r\n"), "{info}");
}

#[test]
fn a_big_db_gets_the_whole_expiry_budget_and_fast_passes_clear_a_backlog() {
    // 200,000 keys expire at once in db 5, the other dbs have none: within 4 s of world
    // time (a tick every 10 ms, as a page's frames would) the cycle reclaims them all.
    // Splitting the budget over all 16 dbs without fast passes took over a minute.
    let mut s = common::session();
    let now = s.now_ms();
    let db = &mut s.server_mut().db_mut(5);
    for i in 0..200_000 {
        let k = format!("k{i}");
        let v = Value::Str(redis_playground::types::RString::from_arg(b"v".to_vec()));
        db.set(k.as_bytes(), v, false, now);
        db.set_expire(k.as_bytes(), now + 1_000, now);
    }
    s.exec("SELECT 5");
    assert_eq!(s.exec("DBSIZE"), "(integer) 200000");
    let mut elapsed = 0.0;
    while s.exec("DBSIZE") != "(integer) 0" {
        assert!(elapsed < 5_000.0, "{} left after 4 s", s.exec("DBSIZE"));
        s.advance(common::T0, 10.0);
        elapsed += 10.0;
    }
    let info = s.exec("INFO stats");
    assert!(info.contains("expired_keys:200000\r\n"), "{info}");
}

#[test]
fn lazy_expiry_removes_a_key_on_access_and_counts_it() {
    common::check(
        r#"
> SET a 1 PX 100
OK
> DBSIZE
(integer) 1
@advance 101
> EXISTS a
(integer) 0
> DBSIZE
(integer) 0
"#,
    );
}

#[test]
fn keys_scan_and_randomkey_never_return_expired_keys() {
    let mut s = common::session();
    s.exec("SET live v");
    s.exec("SET dead v PX 10");
    s.advance(common::T0, 11.0);
    assert_eq!(s.exec("KEYS *"), "1) \"live\"");
    assert_eq!(s.exec("SCAN 0"), "1) \"0\"\n2) 1) \"live\"");
    for _ in 0..20 {
        assert_eq!(s.exec("RANDOMKEY"), "\"live\"");
    }
}

#[test]
fn scan_visits_every_key_that_stays_while_others_come_and_go() {
    let mut s = common::session();
    for i in 0..300 {
        s.exec(&format!("SET stay:{i} v"));
    }
    let mut seen = HashSet::new();
    let mut cursor = "0".to_string();
    let mut round = 0;
    loop {
        let out = s.exec(&format!("SCAN {cursor} COUNT 7"));
        let mut lines = out.lines();
        let first = lines.next().unwrap();
        cursor = first
            .trim_start_matches("1) ")
            .trim_matches('"')
            .to_string();
        for l in lines {
            if let Some(k) = l.split('"').nth(1) {
                seen.insert(k.to_string());
            }
        }
        for j in 0..4 {
            s.exec(&format!("SET churn:{round}:{j} v"));
            s.exec(&format!("DEL churn:{}:{j}", round.max(1) - 1));
        }
        round += 1;
        if cursor == "0" {
            break;
        }
    }
    for i in 0..300 {
        assert!(seen.contains(&format!("stay:{i}")), "stay:{i} was missed");
    }
}

#[test]
fn scan_with_match_and_count_filters_after_visiting() {
    let mut s = common::session();
    for i in 0..50 {
        s.exec(&format!("SET user:{i} v"));
        s.exec(&format!("SET order:{i} v"));
    }
    let mut found = 0;
    let mut cursor = "0".to_string();
    loop {
        let out = s.exec(&format!("SCAN {cursor} MATCH user:* COUNT 10"));
        let mut lines = out.lines();
        cursor = lines
            .next()
            .unwrap()
            .trim_start_matches("1) ")
            .trim_matches('"')
            .to_string();
        found += lines.filter(|l| l.contains("\"user:")).count();
        assert!(!out.contains("order:"));
        if cursor == "0" {
            break;
        }
    }
    assert_eq!(found, 50);
}

#[test]
fn randomkey_is_reproducible_with_the_same_seed_and_covers_the_keys() {
    let run = |seed| {
        let mut s = World::with_seed(common::T0, seed);
        for i in 0..10 {
            s.exec(&format!("SET k{i} v"));
        }
        (0..40).map(|_| s.exec("RANDOMKEY")).collect::<Vec<_>>()
    };
    assert_eq!(run(7), run(7));
    let distinct: HashSet<_> = run(7).into_iter().collect();
    assert!(distinct.len() > 5, "{distinct:?}");
}

#[test]
fn expire_in_the_past_deletes_and_gt_lt_compare_with_the_current_ttl() {
    common::check(
        r#"
> SET a v
OK
> PEXPIRE a 5000
(integer) 1
@advance 1000
> PEXPIRE a 4500 GT
(integer) 1
> PTTL a
(integer) 4500
> PEXPIRE a 4000 GT
(integer) 0
> PEXPIREAT a 1700000000000
(integer) 1
> EXISTS a
(integer) 0
"#,
    );
}

#[test]
fn object_idletime_follows_the_world_clock() {
    common::check(
        r#"
> SET a v
OK
@advance 5000
> OBJECT IDLETIME a
(integer) 5
> GET a
"v"
> OBJECT IDLETIME a
(integer) 0
@advance 3000
> TOUCH a
(integer) 1
> OBJECT IDLETIME a
(integer) 0
"#,
    );
}

#[test]
fn the_next_expiry_is_the_earliest_ttl_in_any_db() {
    let mut s = common::session();
    assert_eq!(s.server().next_expiry(), None);
    s.exec("SET a 1 EX 100");
    s.exec("SELECT 4");
    s.exec("SET b 1 PX 500");
    assert_eq!(s.server().next_expiry(), Some(common::T0 as i64 + 500));
    s.exec("PERSIST b");
    assert_eq!(s.server().next_expiry(), Some(common::T0 as i64 + 100_000));
}
