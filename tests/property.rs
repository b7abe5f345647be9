//! Random lines: the engine never panics, and a line answered with an error changes no
//! key (bad input gets Redis's answer and nothing else happens).

mod common;

use proptest::prelude::*;
use redis_playground::types::Value;
use redis_playground::World;

fn snapshot(s: &World) -> Vec<(usize, Vec<u8>, Value, Option<i64>)> {
    let now = s.now_ms();
    let mut v: Vec<_> = s
        .server()
        .dbs()
        .iter()
        .enumerate()
        .flat_map(|(i, db)| {
            db.iter(now)
                .map(move |e| (i, e.key().to_vec(), e.value.clone(), e.expire_at()))
        })
        .collect();
    v.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    v
}

/// Every command in the table (so every family is reached, and new commands join by
/// themselves) plus option words and argument values that lead deep into handlers.
fn vocabulary() -> Vec<String> {
    let options = [
        "ENCODING",
        "DOCS",
        "GETKEYS",
        "EX",
        "PX",
        "EXAT",
        "PXAT",
        "KEEPTTL",
        "NX",
        "XX",
        "GT",
        "LT",
        "IDX",
        "LEN",
        "MINMATCHLEN",
        "WITHMATCHLEN",
        "MATCH",
        "COUNT",
        "DB",
        "REPLACE",
        "BEFORE",
        "AFTER",
        "LEFT",
        "RIGHT",
        "RANK",
        "MAXLEN",
        "LIMIT",
        "BYSCORE",
        "BYLEX",
        "REV",
        "WITHSCORES",
        "WEIGHTS",
        "AGGREGATE",
        "SUM",
        "MIN",
        "MAX",
        "CH",
        "(1",
        "[a",
        "-",
        "+",
        "-inf",
        "+inf",
        "WITHVALUES",
        "BY",
        "ALPHA",
        "DESC",
        "ASC",
        "STORE",
        "#",
        "*->f",
        "nosort",
        "a",
        "b",
        "k",
        "0",
        "1",
        "-1",
        "15",
        "16",
        "9223372036854775807",
        "-9223372036854775808",
        "1.5",
        "inf",
        "nan",
        "1e400",
        "*",
        "[a",
        "\\",
        "",
    ];
    redis_playground::commands::all()
        .map(|c| c.name.to_ascii_uppercase())
        .chain(options.iter().map(|o| o.to_string()))
        .collect()
}

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        // Commands and options, so lines often reach deep into handlers.
        prop::sample::select(vocabulary()),
        "[ -~]{0,12}",
        any::<i64>().prop_map(|n| n.to_string()),
    ]
}

fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(word(), 1..7).prop_map(|w| w.join(" ")),
        // Raw printable noise, including quotes and escapes.
        "[ -~]{0,40}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn random_lines_never_panic_and_errors_change_nothing(lines in prop::collection::vec(line(), 1..8)) {
        let mut s = common::session();
        s.exec("MSET a 1 b hello k 10");
        s.exec("RPUSH l a b 1");
        s.exec("SADD s a 1 2");
        s.exec("ZADD z 1 a 2 b");
        s.exec("HSET h f 1 g x");
        for l in &lines {
            let before = snapshot(&s);
            let in_multi = s.first_console().prompt().contains("(TX)");
            let out = s.exec(l);
            let is_error_only = out.starts_with("(error)") && !out.contains('\n');
            // SELECT/SWAPDB errors and EXECABORT end a state, but never touch keys.
            if is_error_only && !in_multi {
                prop_assert_eq!(before, snapshot(&s), "line {:?} answered {:?} but changed keys", l, out);
            }
        }
    }
}
