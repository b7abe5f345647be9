//! Differential test of sorted-set ranges: thousands of seeded random range queries by
//! score and by lex (with REV, LIMIT at offsets that are walked and offsets that are found
//! by rank, WITHSCORES, the counts, ZRANGESTORE and the ZREMRANGEBY* removals) against a
//! real `redis-server` and the engine, on listpack-sized and skiplist-sized sets with tied
//! scores, infinite scores and equal-score (lex) sets. Replies are compared as RESP2 trees.

use redis_playground::{Reply, World};

mod common;
use common::redis_server::{loud, reference_server, resp2, wall_ms, Conn};

const QUERIES: usize = 6_000;

struct Gen {
    rng: fastrand::Rng,
}

/// Sets to query: (key, members, lex): a `lex` set has equal scores.
const SETS: &[(&str, usize, bool)] = &[
    ("small", 60, false),
    ("big", 1_500, false),
    ("lexsmall", 100, true),
    ("lexbig", 1_500, true),
    ("mixedsmall", 90, false),
    ("mixedbig", 700, false),
];

impl Gen {
    fn member(&mut self, max: usize) -> String {
        format!("m{:04}", self.rng.usize(..max))
    }

    fn score(&mut self) -> String {
        match self.rng.u8(..20) {
            0 => "-inf".into(),
            1 => "+inf".into(),
            2 => "0".into(),
            3 => "-0".into(),
            _ => format!("{}", f64::from(self.rng.i32(-40..40)) / 4.0),
        }
    }

    fn score_bound(&mut self) -> String {
        let s = self.score();
        if self.rng.u8(..3) == 0 {
            format!("({s}")
        } else {
            s
        }
    }

    fn lex_bound(&mut self, max: usize) -> String {
        match self.rng.u8(..12) {
            0 => "-".into(),
            1 => "+".into(),
            2 => format!("[m{}", self.rng.usize(..10)),
            n => {
                let m = self.member(max + 20);
                if n % 2 == 0 {
                    format!("[{m}")
                } else {
                    format!("({m}")
                }
            }
        }
    }

    fn limit(&mut self, max: usize) -> Vec<String> {
        if self.rng.u8(..4) == 0 {
            return vec![];
        }
        let offset = match self.rng.u8(..8) {
            0 => -1,
            1 => self.rng.i64(0..=40),
            2 => max as i64 + self.rng.i64(-3..3),
            3 => self.rng.i64(0..=max as i64 * 2),
            _ => self.rng.i64(0..=20),
        };
        let count = match self.rng.u8(..5) {
            0 => -1,
            1 => 0,
            _ => self.rng.i64(1..=30),
        };
        vec!["LIMIT".into(), offset.to_string(), count.to_string()]
    }

    /// A random range query on one of the sets (removals work on a fresh `copy:` of one).
    fn query(&mut self) -> Vec<String> {
        let &(key, n, lex) = &SETS[self.rng.usize(..SETS.len())];
        let key = key.to_string();
        // Lex ranges over different scores are left unspecified by Redis: in a skiplist the
        // answer depends on its random node heights, so only a listpack's walk is compared.
        let by_lex = lex || (n <= 128 && self.rng.u8(..4) == 0);
        let rev = self.rng.bool();
        let (lo, hi) = if by_lex {
            (self.lex_bound(n), self.lex_bound(n))
        } else {
            (self.score_bound(), self.score_bound())
        };
        let mut cmd: Vec<String> = match self.rng.u8(..10) {
            0..=2 => {
                let mut c = vec!["ZRANGE".into(), key, lo, hi];
                c.push(if by_lex { "BYLEX" } else { "BYSCORE" }.into());
                if rev {
                    c.push("REV".into());
                }
                c
            }
            3..=4 => {
                let name = match (by_lex, rev) {
                    (false, false) => "ZRANGEBYSCORE",
                    (false, true) => "ZREVRANGEBYSCORE",
                    (true, false) => "ZRANGEBYLEX",
                    (true, true) => "ZREVRANGEBYLEX",
                };
                vec![name.into(), key, lo, hi]
            }
            5..=6 => {
                let name = if by_lex { "ZLEXCOUNT" } else { "ZCOUNT" };
                return vec![name.into(), key, lo, hi];
            }
            7 => {
                let mut c = vec!["ZRANGESTORE".into(), "dst".into(), key, lo, hi];
                c.push(if by_lex { "BYLEX" } else { "BYSCORE" }.into());
                if rev {
                    c.push("REV".into());
                }
                c.extend(self.limit(n));
                return c;
            }
            _ => {
                let name = if by_lex {
                    "ZREMRANGEBYLEX"
                } else {
                    "ZREMRANGEBYSCORE"
                };
                return vec![name.into(), format!("copy:{key}"), lo, hi];
            }
        };
        cmd.extend(self.limit(n));
        if !by_lex && self.rng.bool() {
            cmd.push("WITHSCORES".into());
        }
        cmd
    }
}

fn setup(g: &mut Gen) -> Vec<Vec<String>> {
    let mut cmds = Vec::new();
    for &(key, n, lex) in SETS {
        let mut add = vec!["ZADD".to_string(), key.to_string()];
        for i in 0..n {
            let score = if lex {
                "0".to_string()
            } else if key.starts_with("mixed") {
                // Members in one order, scores in another: lex ranges over mixed scores.
                g.score()
            } else {
                match i % 97 {
                    0 => "-inf".to_string(),
                    1 => "+inf".to_string(),
                    _ => format!("{}", f64::from(g.rng.i32(-40..40)) / 4.0),
                }
            };
            add.push(score);
            add.push(format!("m{i:04}"));
        }
        cmds.push(add);
    }
    cmds
}

fn run(cmd: &[String], conn: &mut Conn, ours: &mut World) -> (Reply, Reply) {
    let argv: Vec<Vec<u8>> = cmd.iter().map(|s| s.clone().into_bytes()).collect();
    let want = conn.call(&argv);
    ours.sync(wall_ms());
    let got = resp2(ours.exec_args(&argv));
    (want, got)
}

/// A reply on one line, short enough to read in a failure message.
fn text(r: &Reply) -> String {
    let full = match r {
        Reply::Bulk(b) => String::from_utf8_lossy(b).into_owned(),
        Reply::Array(items) => {
            let parts: Vec<String> = items.iter().map(text).collect();
            format!("[{}]", parts.join(" "))
        }
        other => format!("{other:?}"),
    };
    match full.char_indices().nth(400) {
        Some((at, _)) => format!("{}…", &full[..at]),
        None => full,
    }
}

#[test]
fn sorted_set_ranges_answer_exactly_like_redis() {
    let Some(server) = reference_server("the sorted-set range differential test") else {
        return;
    };
    let mut conn = Conn::open(server.port);
    let mut ours = World::with_seed(wall_ms(), 1);
    let mut g = Gen {
        rng: fastrand::Rng::with_seed(2024),
    };
    for cmd in setup(&mut g) {
        let (want, got) = run(&cmd, &mut conn, &mut ours);
        assert_eq!(want, got, "setup {}", cmd[1]);
    }
    for &(key, _, _) in SETS {
        let enc = vec!["OBJECT".into(), "ENCODING".into(), key.into()];
        let (want, got) = run(&enc, &mut conn, &mut ours);
        assert_eq!(want, got, "encoding of {key}");
    }
    let mut failures = Vec::new();
    for _ in 0..QUERIES {
        let cmd = g.query();
        let mut before = Vec::new();
        if cmd[0].starts_with("ZREMRANGE") {
            let src = cmd[1].trim_start_matches("copy:").to_string();
            before.push(vec!["COPY".into(), src, cmd[1].clone(), "REPLACE".into()]);
        }
        for c in before {
            run(&c, &mut conn, &mut ours);
        }
        let (want, got) = run(&cmd, &mut conn, &mut ours);
        let mut after = Vec::new();
        if cmd[0] == "ZRANGESTORE" {
            after.push(vec![
                "ZRANGE".to_string(),
                "dst".into(),
                "0".into(),
                "-1".into(),
                "WITHSCORES".into(),
            ]);
        } else if cmd[0].starts_with("ZREMRANGE") {
            after.push(vec![
                "ZRANGE".to_string(),
                cmd[1].clone(),
                "0".into(),
                "-1".into(),
                "WITHSCORES".into(),
            ]);
        }
        let mut results = vec![(cmd.join(" "), want, got)];
        for c in after {
            let (w, o) = run(&c, &mut conn, &mut ours);
            results.push((c.join(" "), w, o));
        }
        for (line, want, got) in results {
            if want != got {
                failures.push(format!(
                    "  > {line}\n    redis: {}\n    ours:  {}",
                    text(&want),
                    text(&got)
                ));
            }
        }
        if failures.len() >= 10 {
            break;
        }
    }
    loud(&format!(
        "sorted-set ranges: {QUERIES} queries, {} differing",
        failures.len()
    ));
    assert!(
        failures.is_empty(),
        "{} replies differ from Redis:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Scores at the edges of `%.17g` (integers around 2^53 and 1e17, ties at the 18th digit,
/// a carry into the exponent, subnormals, huge values, -0 in both encodings) read back
/// through ZSCORE, ZRANGE WITHSCORES and ZINCRBY exactly as Redis prints them.
#[test]
fn edge_scores_print_exactly_like_redis() {
    let Some(server) = reference_server("the score printing differential test") else {
        return;
    };
    let mut conn = Conn::open(server.port);
    let mut ours = World::with_seed(wall_ms(), 1);
    let scores = [
        "0",
        "-0",
        "1",
        "-1",
        "1.5",
        "0.1",
        "9007199254740991",
        "9007199254740992",
        "9007199254740993",
        "9007199254740994",
        "-9007199254740992",
        "1e16",
        "99999999999999984",
        "1e17",
        "-1e17",
        "123456789012345678",
        "18446744073709551616",
        "1e20",
        "1e23",
        "1e38",
        "1e300",
        "1.7976931348623157e308",
        "inf",
        "-inf",
        "2.2250738585072014e-308",
        "2.2250738585072009e-308",
        "4.9e-324",
        "-4.9e-324",
        "1e-300",
        "1e-22",
        "1e-23",
        "1e-14",
        "0.0001",
        "0.00001",
        "9.999999999999999e-5",
        "1125899906842624.25",
        "1125899906842624.75",
        "4503599627370495.5",
        "100.5",
        "123.456",
        "-0.003",
        "3.14159265358979",
        "1700000000123",
        "0x1p-1074",
        "0x1.fffffffffffffp1023",
    ];
    let mut failures = Vec::new();
    let mut compare = |cmd: Vec<String>, conn: &mut Conn, ours: &mut World| {
        let (want, got) = run(&cmd, conn, ours);
        if want != got {
            failures.push(format!(
                "  > {}\n    redis: {}\n    ours:  {}",
                cmd.join(" "),
                text(&want),
                text(&got)
            ));
        }
    };
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<String>>();
    // A listpack and a skiplist (a member longer than 64 bytes converts it; it keeps -0).
    let long = "x".repeat(65);
    compare(s(&["ZADD", "sl", "0", &long]), &mut conn, &mut ours);
    compare(s(&["OBJECT", "ENCODING", "sl"]), &mut conn, &mut ours);
    for (i, score) in scores.iter().enumerate() {
        let m = format!("m{i}");
        compare(s(&["ZADD", "lp", score, &m]), &mut conn, &mut ours);
        compare(s(&["ZADD", "sl", score, &m]), &mut conn, &mut ours);
        compare(s(&["ZSCORE", "lp", &m]), &mut conn, &mut ours);
        compare(s(&["ZSCORE", "sl", &m]), &mut conn, &mut ours);
        compare(s(&["ZINCRBY", "inc", score, &m]), &mut conn, &mut ours);
        compare(s(&["ZINCRBY", "inc", "0.5", &m]), &mut conn, &mut ours);
    }
    for key in ["lp", "sl", "inc"] {
        compare(
            s(&["ZRANGE", key, "0", "-1", "WITHSCORES"]),
            &mut conn,
            &mut ours,
        );
        compare(
            s(&["ZRANGEBYSCORE", key, "-inf", "+inf", "WITHSCORES"]),
            &mut conn,
            &mut ours,
        );
    }
    assert!(
        failures.is_empty(),
        "{} replies differ from Redis:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
