//! Seeded random command sequences against a real `redis-server` and the engine, reply by
//! reply (like fakeredis's hypothesis tests). 200 sequences of 50 commands over a small
//! domain of keys, members and numbers, so types collide, collections empty out and
//! encodings convert. Replies are compared as RESP2 trees; replies whose order Redis
//! leaves unspecified (SMEMBERS, HGETALL, …) are compared as multisets. Commands whose
//! replies are random (SPOP, SRANDMEMBER, RANDOMKEY, …) are left out; their properties
//! are tested natively.

use redis_playground::{Reply, World};

mod common;
use common::redis_server::{loud, reference_server, resp2, wall_ms, Conn};

const SEQUENCES: u64 = 200;
const COMMANDS_PER_SEQUENCE: usize = 50;

// ---- the generator ----

struct Gen {
    rng: fastrand::Rng,
}

const MEMBERS: &[&str] = &["a", "b", "c", "1", "2", "10", "-3"];
const VALUES: &[&str] = &["v", "x", "1", "2", "-3", "1.5", "hello", "10"];
const SCORES: &[&str] = &["1", "2", "0", "-1", "1.5", "3", "+inf", "-inf", "2.5"];
const SCORE_RANGES: &[&str] = &["-inf", "+inf", "(1", "0", "2", "(2", "1.5", "3"];
const LEX_RANGES: &[&str] = &["-", "+", "[a", "(b", "[c", "(1", "[10"];

impl Gen {
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.rng.usize(..from.len())]
    }
    fn int(&mut self, lo: i64, hi: i64) -> String {
        self.rng.i64(lo..=hi).to_string()
    }
    /// A key, usually one meant for this family, sometimes any (so types collide).
    fn key(&mut self, family: &str) -> String {
        if self.rng.u8(..100) < 15 {
            let fam = self.pick(&["k", "l", "s", "z", "h", "p", "b", "x"]);
            format!("{fam}{}", self.rng.u8(1..=2))
        } else {
            format!("{family}{}", self.rng.u8(1..=2))
        }
    }
    fn m(&mut self) -> String {
        self.pick(MEMBERS).to_string()
    }
    fn v(&mut self) -> String {
        self.pick(VALUES).to_string()
    }

    fn command(&mut self) -> Vec<String> {
        let g = self;
        let w = |s: &str| s.to_string();
        let family = g.rng.u8(..7);
        let c: Vec<String> = match family {
            0 => {
                let k = g.key("k");
                match g.rng.u8(..16) {
                    0 => vec![w("SET"), k, g.v()],
                    1 => vec![
                        w("SET"),
                        k,
                        g.v(),
                        w(g.pick(&["NX", "XX", "GET", "KEEPTTL"])),
                    ],
                    2 => vec![w("GET"), k],
                    3 => vec![w("APPEND"), k, g.v()],
                    4 => vec![w("INCR"), k],
                    5 => vec![w("INCRBY"), k, g.int(-5, 5)],
                    6 => vec![w("DECR"), k],
                    7 => vec![w("STRLEN"), k],
                    8 => vec![w("GETRANGE"), k, g.int(-3, 3), g.int(-3, 3)],
                    9 => vec![w("SETRANGE"), k, g.int(0, 3), g.v()],
                    10 => vec![w("MGET"), k, g.key("k")],
                    11 => vec![w("GETDEL"), k],
                    12 => vec![w("GETSET"), k, g.v()],
                    13 => vec![w("SETNX"), k, g.v()],
                    14 => vec![w("INCRBYFLOAT"), k, w(g.pick(&["1.5", "-2", "0.1", "3"]))],
                    _ => vec![w("MSET"), k, g.v(), g.key("k"), g.v()],
                }
            }
            1 => {
                let k = g.key("l");
                match g.rng.u8(..17) {
                    0 | 1 => vec![w(g.pick(&["LPUSH", "RPUSH"])), k, g.m(), g.m()],
                    2 => vec![w(g.pick(&["LPUSHX", "RPUSHX"])), k, g.m()],
                    3 => vec![w(g.pick(&["LPOP", "RPOP"])), k],
                    4 => vec![w(g.pick(&["LPOP", "RPOP"])), k, g.int(0, 3)],
                    5 => vec![w("LRANGE"), k, g.int(-3, 3), g.int(-3, 3)],
                    6 => vec![w("LLEN"), k],
                    7 => vec![w("LINDEX"), k, g.int(-3, 3)],
                    8 => vec![w("LSET"), k, g.int(-2, 2), g.m()],
                    9 => vec![
                        w("LINSERT"),
                        k,
                        w(g.pick(&["BEFORE", "AFTER"])),
                        g.m(),
                        g.m(),
                    ],
                    10 => vec![w("LREM"), k, g.int(-2, 2), g.m()],
                    11 => vec![w("LTRIM"), k, g.int(-3, 3), g.int(-3, 3)],
                    12 => vec![w("LPOS"), k, g.m()],
                    13 => vec![
                        w("LPOS"),
                        k,
                        g.m(),
                        w("RANK"),
                        w(g.pick(&["1", "-1", "2"])),
                        w("COUNT"),
                        g.int(0, 3),
                    ],
                    14 => vec![
                        w("LMOVE"),
                        k,
                        g.key("l"),
                        w(g.pick(&["LEFT", "RIGHT"])),
                        w(g.pick(&["LEFT", "RIGHT"])),
                    ],
                    15 => vec![w("RPOPLPUSH"), k, g.key("l")],
                    _ => vec![
                        w("LMPOP"),
                        w("2"),
                        k,
                        g.key("l"),
                        w(g.pick(&["LEFT", "RIGHT"])),
                        w("COUNT"),
                        g.int(1, 3),
                    ],
                }
            }
            2 => {
                let k = g.key("s");
                match g.rng.u8(..14) {
                    0 | 1 => vec![w("SADD"), k, g.m(), g.m()],
                    2 => vec![w("SREM"), k, g.m()],
                    3 => vec![w("SMEMBERS"), k],
                    4 => vec![w("SISMEMBER"), k, g.m()],
                    5 => vec![w("SMISMEMBER"), k, g.m(), g.m()],
                    6 => vec![w("SCARD"), k],
                    7 => vec![w("SMOVE"), k, g.key("s"), g.m()],
                    8 => vec![w(g.pick(&["SINTER", "SUNION", "SDIFF"])), k, g.key("s")],
                    9 => vec![
                        w(g.pick(&["SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"])),
                        g.key("s"),
                        k,
                        g.key("s"),
                    ],
                    10 => vec![w("SINTERCARD"), w("2"), k, g.key("s")],
                    11 => vec![w("OBJECT"), w("ENCODING"), k],
                    12 => vec![w("SADD"), k, g.int(0, 600)],
                    _ => vec![w("SORT"), k, w(g.pick(&["ALPHA", "DESC", "ASC"]))],
                }
            }
            3 => {
                let k = g.key("z");
                match g.rng.u8(..20) {
                    0 | 1 => vec![
                        w("ZADD"),
                        k,
                        w(g.pick(SCORES)),
                        g.m(),
                        w(g.pick(SCORES)),
                        g.m(),
                    ],
                    2 => vec![
                        w("ZADD"),
                        k,
                        w(g.pick(&["NX", "XX", "GT", "LT", "CH"])),
                        w(g.pick(SCORES)),
                        g.m(),
                    ],
                    3 => vec![w("ZINCRBY"), k, w(g.pick(&["1", "-1", "0.5"])), g.m()],
                    4 => vec![w("ZSCORE"), k, g.m()],
                    5 => vec![w("ZMSCORE"), k, g.m(), g.m()],
                    6 => vec![w("ZCARD"), k],
                    7 => vec![
                        w("ZCOUNT"),
                        k,
                        w(g.pick(SCORE_RANGES)),
                        w(g.pick(SCORE_RANGES)),
                    ],
                    8 => vec![w("ZRANGE"), k, g.int(-3, 3), g.int(-3, 3), w("WITHSCORES")],
                    9 => vec![
                        w("ZRANGE"),
                        k,
                        w(g.pick(SCORE_RANGES)),
                        w(g.pick(SCORE_RANGES)),
                        w("BYSCORE"),
                        w("LIMIT"),
                        g.int(0, 2),
                        g.int(-1, 3),
                    ],
                    10 => vec![
                        w("ZRANGEBYLEX"),
                        k,
                        w(g.pick(LEX_RANGES)),
                        w(g.pick(LEX_RANGES)),
                    ],
                    11 => vec![
                        w("ZREVRANGE"),
                        k,
                        g.int(-3, 3),
                        g.int(-3, 3),
                        w("WITHSCORES"),
                    ],
                    12 => vec![w(g.pick(&["ZRANK", "ZREVRANK"])), k, g.m()],
                    13 => vec![w("ZREM"), k, g.m(), g.m()],
                    14 => vec![w("ZREMRANGEBYRANK"), k, g.int(-3, 3), g.int(-3, 3)],
                    15 => vec![
                        w("ZREMRANGEBYSCORE"),
                        k,
                        w(g.pick(SCORE_RANGES)),
                        w(g.pick(SCORE_RANGES)),
                    ],
                    16 => vec![w(g.pick(&["ZPOPMIN", "ZPOPMAX"])), k, g.int(1, 3)],
                    17 => vec![
                        w(g.pick(&["ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"])),
                        g.key("z"),
                        w("2"),
                        k,
                        g.key("z"),
                    ],
                    18 => vec![
                        w(g.pick(&["ZUNION", "ZINTER"])),
                        w("2"),
                        k,
                        g.key("z"),
                        w("WEIGHTS"),
                        w("1"),
                        w("2"),
                        w("AGGREGATE"),
                        w(g.pick(&["SUM", "MIN", "MAX"])),
                        w("WITHSCORES"),
                    ],
                    _ => vec![w("ZRANGESTORE"), g.key("z"), k, g.int(0, 1), g.int(-1, 2)],
                }
            }
            4 => {
                let k = g.key("h");
                match g.rng.u8(..13) {
                    0 | 1 => vec![w("HSET"), k, g.m(), g.v(), g.m(), g.v()],
                    2 => vec![w("HSETNX"), k, g.m(), g.v()],
                    3 => vec![w("HGET"), k, g.m()],
                    4 => vec![w("HMGET"), k, g.m(), g.m()],
                    5 => vec![w("HGETALL"), k],
                    6 => vec![w("HDEL"), k, g.m()],
                    7 => vec![w("HEXISTS"), k, g.m()],
                    8 => vec![w("HLEN"), k],
                    9 => vec![w(g.pick(&["HKEYS", "HVALS"])), k],
                    10 => vec![w("HINCRBY"), k, g.m(), g.int(-3, 3)],
                    11 => vec![
                        w("HINCRBYFLOAT"),
                        k,
                        g.m(),
                        w(g.pick(&["1.5", "-2", "0.1"])),
                    ],
                    _ => vec![w("HSTRLEN"), k, g.m()],
                }
            }
            5 => {
                // The analytics types: HyperLogLogs ("p") and bitmaps ("b") are strings.
                let p = g.key("p");
                let b = g.key("b");
                match g.rng.u8(..32) {
                    0 | 1 => vec![w("PFADD"), p, g.m(), g.v(), g.int(0, 3000)],
                    2 => vec![w("PFCOUNT"), p],
                    3 => vec![w("PFCOUNT"), p, g.key("p")],
                    4 => vec![w("PFMERGE"), p, g.key("p"), g.key("p")],
                    5 => vec![
                        w("PFDEBUG"),
                        w(g.pick(&["ENCODING", "DECODE", "TODENSE"])),
                        p,
                    ],
                    6 => vec![w("SETBIT"), b, g.int(0, 40), w(g.pick(&["0", "1"]))],
                    7 => vec![w("GETBIT"), b, g.int(0, 40)],
                    8 => vec![
                        w("BITCOUNT"),
                        b,
                        g.int(-3, 3),
                        g.int(-3, 3),
                        w(g.pick(&["BIT", "BYTE"])),
                    ],
                    9 => vec![w("BITPOS"), b, w(g.pick(&["0", "1"])), g.int(-3, 3)],
                    10 => vec![
                        w("BITOP"),
                        w(g.pick(&["AND", "OR", "XOR", "NOT"])),
                        g.key("b"),
                        b,
                    ],
                    11 => vec![
                        w("BITFIELD"),
                        b,
                        w("INCRBY"),
                        w(g.pick(&["u4", "i8", "u63"])),
                        g.int(0, 30),
                        g.int(-9, 9),
                    ],
                    // Geo keys are sorted sets ("z").
                    12 | 13 => vec![
                        w("GEOADD"),
                        g.key("z"),
                        g.int(-180, 180),
                        g.int(-85, 85),
                        g.m(),
                    ],
                    14 => vec![w("GEOPOS"), g.key("z"), g.m(), g.m()],
                    15 => vec![
                        w("GEODIST"),
                        g.key("z"),
                        g.m(),
                        g.m(),
                        w(g.pick(&["m", "km", "mi"])),
                    ],
                    16 => vec![w("GEOHASH"), g.key("z"), g.m()],
                    17 => vec![
                        w("GEOSEARCH"),
                        g.key("z"),
                        w("FROMLONLAT"),
                        g.int(-180, 180),
                        g.int(-85, 85),
                        w("BYRADIUS"),
                        w(g.pick(&["1000", "5000", "20000"])),
                        w("km"),
                        w(g.pick(&["ASC", "DESC", "WITHDIST"])),
                    ],
                    // Streams ("x"): ids from a small range, so some XADDs are refused.
                    19 | 20 => vec![
                        w("XADD"),
                        g.key("x"),
                        format!("{}-{}", g.int(0, 30), g.int(0, 3)),
                        g.m(),
                        g.v(),
                    ],
                    21 => vec![
                        w("XTRIM"),
                        g.key("x"),
                        w(g.pick(&["MAXLEN", "MINID"])),
                        w(g.pick(&["~", "="])),
                        g.int(0, 20),
                    ],
                    22 => vec![
                        w(g.pick(&["XRANGE", "XREVRANGE"])),
                        g.key("x"),
                        w(g.pick(&["-", "+", "5", "(10"])),
                        w(g.pick(&["-", "+", "20", "(3"])),
                    ],
                    23 => vec![
                        w(g.pick(&["XDEL", "XLEN"])),
                        g.key("x"),
                        format!("{}-{}", g.int(0, 30), g.int(0, 3)),
                    ],
                    // Consumer groups on the streams: replies that don't depend on time
                    // (no idle times), ids from the same small range.
                    24 => vec![
                        w("XGROUP"),
                        w("CREATE"),
                        g.key("x"),
                        w(g.pick(&["g1", "g2"])),
                        w(g.pick(&["0", "$", "10"])),
                        w("MKSTREAM"),
                    ],
                    25 | 26 => vec![
                        w("XREADGROUP"),
                        w("GROUP"),
                        w(g.pick(&["g1", "g2"])),
                        w(g.pick(&["c1", "c2"])),
                        w("COUNT"),
                        g.int(1, 4),
                        w("STREAMS"),
                        g.key("x"),
                        w(g.pick(&[">", ">", "0"])),
                    ],
                    27 => vec![
                        w("XACK"),
                        g.key("x"),
                        w(g.pick(&["g1", "g2"])),
                        format!("{}-{}", g.int(0, 30), g.int(0, 3)),
                    ],
                    28 => vec![
                        w("XAUTOCLAIM"),
                        g.key("x"),
                        w(g.pick(&["g1", "g2"])),
                        w(g.pick(&["c1", "c2"])),
                        w("0"),
                        w("0"),
                        w("COUNT"),
                        g.int(1, 3),
                        w("JUSTID"),
                    ],
                    29 => vec![
                        w("XCLAIM"),
                        g.key("x"),
                        w(g.pick(&["g1", "g2"])),
                        w(g.pick(&["c1", "c2"])),
                        w("0"),
                        format!("{}-{}", g.int(0, 30), g.int(0, 3)),
                        w(g.pick(&["JUSTID", "FORCE"])),
                        w("JUSTID"),
                    ],
                    30 => vec![w("XPENDING"), g.key("x"), w(g.pick(&["g1", "g2"]))],
                    31 => vec![w("XINFO"), w(g.pick(&["GROUPS", "STREAM"])), g.key("x")],
                    _ => vec![
                        w("GEOSEARCHSTORE"),
                        g.key("z"),
                        g.key("z"),
                        w("FROMMEMBER"),
                        g.m(),
                        w("BYBOX"),
                        w("9000"),
                        w("9000"),
                        w("km"),
                        w(g.pick(&["ASC", "STOREDIST"])),
                    ],
                }
            }
            _ => {
                let fam = g.pick(&["k", "l", "s", "z", "h", "p", "b", "x"]);
                let k = g.key(fam);
                match g.rng.u8(..10) {
                    0 => vec![w("DEL"), k],
                    1 => vec![w("EXISTS"), k, g.key("k")],
                    2 => vec![w("TYPE"), k],
                    3 => vec![w("RENAME"), k, g.key("l")],
                    4 => vec![w("COPY"), k, g.key("s"), w("REPLACE")],
                    5 => vec![w("EXPIRE"), k, w("100")],
                    6 => vec![w("TTL"), k],
                    7 => vec![w("OBJECT"), w("ENCODING"), k],
                    8 => vec![w("DBSIZE")],
                    _ => vec![w("SORT"), k, w("ALPHA"), w("LIMIT"), w("0"), w("3")],
                }
            }
        };
        c
    }
}

/// Commands whose reply order Redis leaves unspecified: compared as multisets.
fn unordered(cmd: &str) -> bool {
    matches!(
        cmd,
        "SMEMBERS" | "SINTER" | "SUNION" | "SDIFF" | "HKEYS" | "HVALS" | "KEYS"
    )
}

fn sorted(r: &Reply) -> Reply {
    match r {
        Reply::Array(items) => {
            let mut v = items.clone();
            v.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
            Reply::Array(v)
        }
        other => other.clone(),
    }
}

/// HGETALL of a hashtable hash: compare the field/value pairs as a multiset.
fn sorted_pairs(r: &Reply) -> Reply {
    match r {
        Reply::Array(items) => {
            let mut pairs: Vec<(String, Reply, Reply)> = items
                .chunks(2)
                .map(|p| {
                    (
                        format!("{:?}", p),
                        p[0].clone(),
                        p.get(1).cloned().unwrap_or(Reply::Nil),
                    )
                })
                .collect();
            pairs.sort_by(|a, b| a.0.cmp(&b.0));
            Reply::Array(pairs.into_iter().flat_map(|(_, k, v)| [k, v]).collect())
        }
        other => other.clone(),
    }
}

fn same(cmd: &str, redis: &Reply, ours: &Reply) -> bool {
    if redis == ours {
        return true;
    }
    if unordered(cmd) {
        return sorted(redis) == sorted(ours);
    }
    if cmd == "HGETALL" {
        return sorted_pairs(redis) == sorted_pairs(ours);
    }
    false
}

#[test]
fn random_sequences_answer_exactly_like_redis() {
    let Some(server) = reference_server("the random-sequence differential test") else {
        return;
    };
    let mut conn = Conn::open(server.port);
    let mut failures = Vec::new();
    let mut compared = 0;
    for seed in 0..SEQUENCES {
        conn.call(&[b"FLUSHALL".to_vec()]);
        let mut ours = World::with_seed(wall_ms(), seed);
        let mut g = Gen {
            rng: fastrand::Rng::with_seed(seed),
        };
        let mut log = Vec::new();
        for _ in 0..COMMANDS_PER_SEQUENCE {
            let cmd = g.command();
            let argv: Vec<Vec<u8>> = cmd.iter().map(|s| s.clone().into_bytes()).collect();
            let want = conn.call(&argv);
            ours.sync(wall_ms());
            let got = resp2(ours.exec_args(&argv));
            compared += 1;
            let line = cmd.join(" ");
            if !same(&cmd[0], &want, &got) {
                log.push(format!(
                    "  > {line}\n    redis: {want:?}\n    ours:  {got:?}"
                ));
                failures.push(format!("seed {seed}, after:\n{}", log.join("\n")));
                break;
            }
            log.push(format!("  > {line}   => {want:?}"));
        }
    }
    loud(&format!(
        "random sequences: {SEQUENCES} sequences, {compared} replies compared, {} differing",
        failures.len()
    ));
    assert!(
        failures.is_empty(),
        "{} sequences differ from Redis:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
