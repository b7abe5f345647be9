//! Lists: every command, option, reply shape and error text of the Redis 7.0 LIST family.
//! The scripts under tests/scripts/list*.txt were frozen from a real Redis 7.0.15 and
//! reviewed; the transaction and bookkeeping tests below are written by hand from what the
//! real server answered.

mod common;
use common::{check, check_file, check_on, session};
use redis_playground::{Reply, World};

// ---- frozen from the real server ----

#[test]
fn pushes_pops_ranges_indices_inserts_removals_and_trims_answer_like_redis() {
    check_file("list.txt");
}

#[test]
fn lpos_lmove_rpoplpush_and_lmpop_answer_like_redis() {
    check_file("list_pos_move_mpop.txt");
}

#[test]
fn blocking_commands_answer_at_once_when_a_list_has_data_and_validate_their_arguments() {
    check_file("list_blocking.txt");
}

#[test]
fn every_list_command_refuses_another_type_and_a_wrong_argument_count() {
    check_file("list_errors.txt");
}

#[test]
fn command_info_describes_every_list_command_as_redis_does() {
    check_file("list_command_info.txt");
}

// ---- blocking commands with no data ----

#[test]
fn blocking_commands_that_find_no_data_inside_multi_answer_nil_at_once() {
    check(
        r#"
> RPUSH full a b
(integer) 2
> SET str v
OK
> MULTI
OK
> BLPOP nolist 0
QUEUED
> BRPOP nolist1 nolist2 0
QUEUED
> BLMOVE nolist full LEFT RIGHT 0
QUEUED
> BRPOPLPUSH nolist full 0
QUEUED
> BLMPOP 0 2 nolist1 nolist2 LEFT
QUEUED
> BLMPOP 0 1 nolist RIGHT COUNT 3
QUEUED
> BLPOP nolist full 0
QUEUED
> BLPOP str 0
QUEUED
> BLPOP nolist -1
QUEUED
> BLMPOP 0 1 nolist MIDDLE
QUEUED
> EXEC
 1) (nil)
 2) (nil)
 3) (nil)
 4) (nil)
 5) (nil)
 6) (nil)
 7) 1) "full"
    2) "a"
 8) (error) WRONGTYPE Operation against a key holding the wrong kind of value
 9) (error) ERR timeout is negative
10) (error) ERR syntax error
"#,
    );
}

#[test]
fn a_list_emptied_inside_multi_makes_the_next_blocking_pop_answer_nil() {
    check(
        r#"
> MULTI
OK
> LPUSH m a b c
QUEUED
> LPOP m 0
QUEUED
> BLMPOP 0 1 m LEFT COUNT 2
QUEUED
> BRPOP m 0
QUEUED
> BRPOP m 0
QUEUED
> RPOPLPUSH m m
QUEUED
> LPOP nolist 3
QUEUED
> EXEC
1) (integer) 3
2) (empty array)
3) 1) "m"
   2) 1) "c"
      2) "b"
4) 1) "m"
   2) "a"
5) (nil)
6) (nil)
7) (nil)
> EXISTS m
(integer) 0
"#,
    );
}

#[test]
fn blocking_replies_without_data_are_a_nil_array_or_a_nil_bulk_as_in_redis() {
    let mut s = session();
    let nil_array = Reply::NilArray;
    assert_eq!(s.exec_args(&argv(&["BLPOP", "x", "0"])), nil_array);
    assert_eq!(s.exec_args(&argv(&["BRPOP", "x", "0"])), nil_array);
    assert_eq!(
        s.exec_args(&argv(&["BLMPOP", "0", "1", "x", "LEFT"])),
        nil_array
    );
    assert_eq!(s.exec_args(&argv(&["LMPOP", "1", "x", "LEFT"])), nil_array);
    assert_eq!(s.exec_args(&argv(&["LPOP", "x", "1"])), nil_array);
    assert_eq!(s.exec_args(&argv(&["LPOP", "x"])), Reply::Nil);
    assert_eq!(
        s.exec_args(&argv(&["BLMOVE", "x", "y", "LEFT", "LEFT", "0"])),
        Reply::Nil
    );
    assert_eq!(
        s.exec_args(&argv(&["BRPOPLPUSH", "x", "y", "0"])),
        Reply::Nil
    );
}

// ---- what a write changes besides the list ----

#[test]
fn a_watched_list_is_dirtied_only_by_writes_that_redis_reports() {
    check(
        r#"
> RPUSH wl a b c
(integer) 3
> WATCH wl
OK
> LTRIM wl 0 -1
OK
> MULTI
OK
> LLEN wl
QUEUED
> EXEC
(nil)
> WATCH wl
OK
> LREM wl 0 nothing
(integer) 0
> LINSERT wl BEFORE nopivot x
(integer) -1
> LSET wl 10 x
(error) ERR index out of range
> LPOP wl 0
(empty array)
> LPUSHX wd x
(integer) 0
> LRANGE wl 0 -1
1) "a"
2) "b"
3) "c"
> LPOS wl a
(integer) 0
> MULTI
OK
> LLEN wl
QUEUED
> EXEC
1) (integer) 3
> WATCH wd
OK
> RPOPLPUSH wl wd
"c"
> MULTI
OK
> LLEN wd
QUEUED
> EXEC
(nil)
> WATCH wl
OK
> BLMPOP 0 1 wl RIGHT COUNT 10
1) "wl"
2) 1) "b"
   2) "a"
> MULTI
OK
> EXISTS wl
QUEUED
> EXEC
(nil)
"#,
    );
}

/// A field of INFO, e.g. `rdb_changes_since_last_save`.
fn info_field(s: &mut World, section: &str, field: &str) -> i64 {
    let text = s.exec(&format!("INFO {section}"));
    let prefix = format!("{field}:");
    text.lines()
        .find_map(|l| l.trim().strip_prefix(&prefix).map(|v| v.trim().to_string()))
        .unwrap_or_else(|| panic!("no {field} in {text}"))
        .parse()
        .unwrap_or_else(|e| panic!("{field}: {e}"))
}

#[test]
fn writes_count_one_change_per_element_as_redis_does() {
    // (command, reply, changes counted by Redis 7.0.15's rdb_changes_since_last_save)
    let steps: &[(&str, &str, i64)] = &[
        ("RPUSH l a b c d e f", "(integer) 6", 6),
        ("LPUSH l x y", "(integer) 8", 2),
        ("LPUSHX nolist a b", "(integer) 0", 0),
        ("LPOP l 3", "1) \"y\"\n2) \"x\"\n3) \"a\"", 3),
        ("LPOP l 0", "(empty array)", 0),
        ("RPOP l", "\"f\"", 1),
        ("LSET l 0 Q", "OK", 1),
        ("LSET l 9 Q", "(error) ERR index out of range", 0),
        ("LINSERT l BEFORE c C", "(integer) 5", 1),
        ("LINSERT l BEFORE zz C", "(integer) -1", 0),
        ("LREM l 0 C", "(integer) 1", 1),
        ("LREM l 0 zz", "(integer) 0", 0),
        ("LTRIM l 0 -1", "OK", 0),
        ("LTRIM l 1 -1", "OK", 1),
        ("RPUSH m a x a", "(integer) 3", 3),
        ("LMOVE m m LEFT RIGHT", "\"a\"", 1),
        ("LMOVE m n LEFT RIGHT", "\"x\"", 1),
        ("RPOPLPUSH m n", "\"a\"", 1),
        (
            "LMPOP 2 no n LEFT COUNT 5",
            "1) \"n\"\n2) 1) \"a\"\n   2) \"x\"",
            2,
        ),
        ("RPUSH b a b c", "(integer) 3", 3),
        ("BLPOP b 0", "1) \"b\"\n2) \"a\"", 1),
        (
            "BLMPOP 0 1 b RIGHT COUNT 5",
            "1) \"b\"\n2) 1) \"c\"\n   2) \"b\"",
            2,
        ),
        ("RPUSH t a b c", "(integer) 3", 3),
        ("LTRIM t 5 6", "OK", 3),
        ("SET s v", "OK", 1),
        (
            "LPUSH s a",
            "(error) WRONGTYPE Operation against a key holding the wrong kind of value",
            0,
        ),
    ];
    let mut s = session();
    for (cmd, want, changes) in steps {
        let before = info_field(&mut s, "persistence", "rdb_changes_since_last_save");
        assert_eq!(s.exec(cmd), *want, "{cmd}");
        let after = info_field(&mut s, "persistence", "rdb_changes_since_last_save");
        assert_eq!(after - before, *changes, "changes counted for {cmd}");
    }
}

#[test]
fn read_commands_count_keyspace_hits_and_misses_but_writes_do_not() {
    // (command, hits added, misses added), as Redis 7.0.15 counts them.
    let steps: &[(&str, i64, i64)] = &[
        ("LRANGE nolist 0 1", 0, 1),
        ("LLEN nolist", 0, 1),
        ("LINDEX nolist 0", 0, 1),
        ("LPOS nolist a", 0, 1),
        ("LPOP nolist", 0, 0),
        ("RPUSH l a b", 0, 0),
        ("LRANGE l 0 1", 1, 0),
        ("LLEN l", 1, 0),
        ("LINDEX l 0", 1, 0),
        ("LPOS l a", 1, 0),
        ("LPOS l a RANK 0", 0, 0),
        ("LINDEX l x", 1, 0),
        ("LRANGE l x 1", 0, 0),
        ("LPOP l", 0, 0),
        ("LMOVE l m LEFT LEFT", 0, 0),
        ("LMPOP 1 m LEFT", 0, 0),
        ("LSET nolist 0 a", 0, 0),
    ];
    let mut s = session();
    for (cmd, hits, misses) in steps {
        let (h0, m0) = (
            info_field(&mut s, "stats", "keyspace_hits"),
            info_field(&mut s, "stats", "keyspace_misses"),
        );
        s.exec(cmd);
        let (h1, m1) = (
            info_field(&mut s, "stats", "keyspace_hits"),
            info_field(&mut s, "stats", "keyspace_misses"),
        );
        assert_eq!((h1 - h0, m1 - m0), (*hits, *misses), "{cmd}");
    }
}

#[test]
fn a_list_whose_ttl_passed_is_a_missing_key_for_every_command() {
    check(
        r#"
> RPUSH l a b c
(integer) 3
> PEXPIRE l 100
(integer) 1
> LLEN l
(integer) 3
@advance 101
> LLEN l
(integer) 0
> LPOP l
(nil)
> LPUSHX l x
(integer) 0
> LRANGE l 0 -1
(empty array)
> LSET l 0 x
(error) ERR no such key
> RPUSH l fresh
(integer) 1
> TTL l
(integer) -1
"#,
    );
}

#[test]
fn pushing_onto_a_list_keeps_its_ttl_and_popping_it_empty_deletes_it() {
    check(
        r#"
> RPUSH l a
(integer) 1
> EXPIRE l 100
(integer) 1
> RPUSH l b
(integer) 2
> TTL l
(integer) 100
> LMOVE l l LEFT RIGHT
"a"
> TTL l
(integer) 100
> RPOP l 2
1) "a"
2) "b"
> TTL l
(integer) -2
> EXISTS l
(integer) 0
"#,
    );
}

// ---- robustness ----

fn argv(words: &[&str]) -> Vec<Vec<u8>> {
    words.iter().map(|w| w.as_bytes().to_vec()).collect()
}

#[test]
fn extreme_numbers_empty_arguments_and_odd_words_never_panic() {
    let values = [
        "-9223372036854775808",
        "9223372036854775807",
        "9223372036854775808",
        "-1",
        "0",
        "1",
        "2",
        "",
        "abc",
        "LEFT",
        "right",
        "COUNT",
        "RANK",
        "MAXLEN",
        "BEFORE",
        "after",
        "1e300",
        "inf",
        "-0.001",
        "l",
        "s",
    ];
    let commands: Vec<String> = redis_playground::commands::list::COMMANDS
        .iter()
        .map(|c| c.name.to_ascii_uppercase())
        .collect();
    let mut s = session();
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    let mut next = |n: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % n as u64) as usize
    };
    for round in 0..20_000 {
        if round % 500 == 0 {
            s.exec_args(&argv(&["DEL", "l", "s"]));
            s.exec_args(&argv(&["RPUSH", "l", "a", "b", "1", "0", "LEFT", "", "a"]));
            s.exec_args(&argv(&["SET", "s", "v"]));
        }
        let mut line = vec![commands[next(commands.len())].as_bytes().to_vec()];
        for _ in 0..next(7) {
            line.push(values[next(values.len())].as_bytes().to_vec());
        }
        let reply = s.exec_args(&line);
        assert!(!matches!(reply, Reply::Error(ref e) if e.is_empty()));
    }
    // The list is still a list, and the engine still answers.
    assert!(matches!(s.exec("TYPE l").as_str(), "list" | "none"));
}

#[test]
fn huge_counts_and_indices_are_clamped_to_the_list() {
    check(
        r#"
> RPUSH l a b c
(integer) 3
> LRANGE l -9223372036854775808 9223372036854775807
1) "a"
2) "b"
3) "c"
> LINDEX l -9223372036854775808
(nil)
> LSET l 9223372036854775807 x
(error) ERR index out of range
> LPOS l a COUNT 9223372036854775807 MAXLEN 9223372036854775807
1) (integer) 0
> LPOS l c RANK -9223372036854775807
(nil)
> LREM l -9223372036854775808 b
(integer) 1
> LMPOP 9223372036854775807 l LEFT
(error) ERR syntax error
> LMPOP 1 l LEFT COUNT 9223372036854775807
1) "l"
2) 1) "a"
   2) "c"
> RPUSH l x
(integer) 1
> RPOP l 9223372036854775807
1) "x"
"#,
    );
}

#[test]
fn lpos_rank_of_the_smallest_long_reports_every_match_from_the_tail_as_redis_does() {
    // Redis negates the rank in a C long: -9223372036854775808 stays negative, so every
    // match counts and COUNT is never reached (checked against Redis 7.0.15).
    check(
        r#"
> RPUSH l a b a c a
(integer) 5
> LPOS l a RANK -9223372036854775808
(integer) 4
> LPOS l a RANK -9223372036854775808 COUNT 1
1) (integer) 4
2) (integer) 2
3) (integer) 0
> LPOS l a RANK -9223372036854775808 COUNT 2 MAXLEN 3
1) (integer) 4
2) (integer) 2
"#,
    );
}

#[test]
fn a_long_list_keeps_constant_time_ends_and_indices() {
    let mut s = session();
    let mut push = vec![b"RPUSH".to_vec(), b"big".to_vec()];
    push.extend((0..100_000).map(|i| i.to_string().into_bytes()));
    assert_eq!(s.exec_args(&push), Reply::Int(100_000));
    check_on(
        &mut s,
        r#"
> LINDEX big 50000
"50000"
> LINDEX big -1
"99999"
> LPOP big
"0"
> RPOP big
"99999"
> LLEN big
(integer) 99998
> LRANGE big 49999 50000
1) "50000"
2) "50001"
> LPOS big 77777
(integer) 77776
> LPOS big 77777 MAXLEN 1000
(nil)
> LTRIM big 10 -11
OK
> LLEN big
(integer) 99978
> OBJECT ENCODING big
"quicklist"
"#,
    );
}
