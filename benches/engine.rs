//! Native benchmarks of the engine's hot paths (a plain harness: `harness = false`).
//!
//!   cargo bench --bench engine               every group
//!   cargo bench --bench engine -- simple     only groups whose name contains "simple"
//!
//! Groups: `simple` (one command through `World::exec` — line split, dispatch, redis-cli
//! formatting — and through `World::exec_args`), `parts` (the line splitter and the
//! formatter alone), `growth` (LPUSH/SADD/ZADD/HSET per-op cost as a collection grows to
//! 1,000,000, and ZRANGE/ZRANK/ZRANGEBYSCORE/LRANGE at each size), `zset` (range reads by
//! score and lex, counts, and printed ZRANGE WITHSCORES on 1,000,000 members), `load` (1,000,000 SETs)
//! and `expiry` (1,000,000 keys whose TTLs all ran out while commands keep flowing: the
//! worst single call), `scripting` (EVALSHA of a 1,000-iteration `redis.call('INCR', …)`
//! loop, of a pure Lua loop, and EVAL of a small script). Numbers are ns per operation; each case is timed in several rounds
//! and the best round is reported (the least disturbed by other work on the machine).
//!
//! With `BENCH_JSON=path` each result is also appended to `path` as one JSON line
//! (`{"group","name","ns_per_op","size"}`), which `scripts/bench` puts in its table.
//! The native numbers are what the wasm build can at best approach: a regression here
//! shows before it reaches the browser.

use std::hint::black_box;
use std::io::Write;
use std::time::{Duration, Instant};

use redis_playground::cli;
use redis_playground::World;

const T0: f64 = 1_700_000_000_000.0;

struct Out {
    json: Option<std::fs::File>,
    filter: Vec<String>,
}

impl Out {
    fn wants(&self, group: &str) -> bool {
        self.filter.is_empty() || self.filter.iter().any(|f| group.contains(f.as_str()))
    }

    fn record(&mut self, group: &str, name: &str, ns: f64, size: Option<u64>) {
        let size_txt = size.map(|s| format!(" @{s}")).unwrap_or_default();
        println!(
            "  {group:<8} {:<44} {:>12.1} ns/op {:>14} op/s",
            format!("{name}{size_txt}"),
            ns,
            fmt_int(1e9 / ns)
        );
        if let Some(f) = self.json.as_mut() {
            let size = size.map_or("null".to_string(), |s| s.to_string());
            let _ = writeln!(
                f,
                "{{\"group\":\"{group}\",\"name\":\"{}\",\"ns_per_op\":{ns:.3},\"size\":{size}}}",
                name.replace('"', "\\\"")
            );
        }
    }
}

fn fmt_int(x: f64) -> String {
    let s = format!("{:.0}", x);
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Best-of-`rounds` time per call of `f` over `iters` calls each round, in ns.
fn time_ns(rounds: usize, iters: u64, mut f: impl FnMut(u64)) -> f64 {
    let mut best = f64::INFINITY;
    let mut i = 0u64;
    for _ in 0..rounds {
        let t = Instant::now();
        for _ in 0..iters {
            f(i);
            i += 1;
        }
        best = best.min(t.elapsed().as_nanos() as f64 / iters as f64);
    }
    best
}

fn argv(parts: &[&str]) -> Vec<Vec<u8>> {
    parts.iter().map(|p| p.as_bytes().to_vec()).collect()
}

fn paused_session() -> World {
    let mut s = World::new(T0);
    s.pause(T0);
    s
}

fn simple(out: &mut Out) {
    let mut s = paused_session();
    for i in 0..10_000 {
        s.exec(&format!("SET key:{i} xxx"));
        for f in 0..10 {
            s.exec(&format!("HSET user:{i} field:{f} xxx"));
        }
    }
    let keys: Vec<String> = (0..10_000).map(|i| format!("key:{i}")).collect();
    let lines: Vec<(&str, Vec<String>)> = vec![
        ("GET", keys.iter().map(|k| format!("GET {k}")).collect()),
        ("SET", keys.iter().map(|k| format!("SET {k} xxx")).collect()),
        (
            "INCR",
            (0..10_000).map(|i| format!("INCR counter:{i}")).collect(),
        ),
        (
            "HSET",
            (0..10_000)
                .map(|i| format!("HSET user:{} field:{} xxx", i % 1000, i % 10))
                .collect(),
        ),
        (
            "HGETALL (10 fields)",
            (0..10_000)
                .map(|i| format!("HGETALL user:{}", i % 1000))
                .collect(),
        ),
    ];
    for (name, ls) in &lines {
        let ns = time_ns(5, 200_000, |i| {
            black_box(s.exec(&ls[(i % 10_000) as usize]));
        });
        out.record("simple", &format!("exec {name}"), ns, None);
    }
    for (name, ls) in &lines {
        let argvs: Vec<Vec<Vec<u8>>> = ls
            .iter()
            .map(|l| l.split(' ').map(|p| p.as_bytes().to_vec()).collect())
            .collect();
        let ns = time_ns(5, 200_000, |i| {
            black_box(s.exec_args(&argvs[(i % 10_000) as usize].clone()));
        });
        out.record("simple", &format!("exec_argv {name}"), ns, None);
    }
}

fn parts(out: &mut Out) {
    let ns = time_ns(5, 500_000, |_| {
        black_box(cli::parse_line(black_box("GET key:1234")));
    });
    out.record("parts", "cli::parse_line \"GET key:1234\"", ns, None);
    let a = argv(&["GET", "key:1234"]);
    let r = redis_playground::Reply::bulk("xxx");
    let ns = time_ns(5, 500_000, |_| {
        black_box(cli::printed(black_box(&a), black_box(&r)));
    });
    out.record("parts", "cli::printed bulk", ns, None);
    // Integral scores (the common case: counters, timestamps), fractional ones, and values
    // outside the fast paths' ranges.
    for d in [
        1234.0,
        -42.0,
        1_700_000_000_123.0,
        1e20,
        0.1,
        2.5e-7,
        1234.5678,
        -3.0e-3,
        1e-300,
    ] {
        let ns = time_ns(5, 200_000, |_| {
            black_box(redis_playground::num::double::fmt_g17(black_box(d)));
        });
        out.record(
            "parts",
            &format!("fmt_g17({d:?}) (%.17g of a score)"),
            ns,
            None,
        );
    }
    let mut s = paused_session();
    let ns = time_ns(5, 500_000, |_| {
        black_box(s.exec("PING"));
    });
    out.record("parts", "exec PING", ns, None);
    let ns = time_ns(5, 500_000, |_| {
        black_box(s.exec_args(&[b"PING".to_vec()]));
    });
    out.record("parts", "exec_argv PING", ns, None);
}

/// A read at a size: (call index, collection size) → argv.
type ReadFn = dyn Fn(u64, u64) -> Vec<Vec<u8>>;

const SIZES: [u64; 4] = [1_000, 10_000, 100_000, 1_000_000];

/// Grow a collection to each size with `add(i)`, timing the last 1,000 adds before each
/// size; then time `read` 2,000 times at that size.
fn grow(
    out: &mut Out,
    s: &mut World,
    what: &str,
    add: impl Fn(u64) -> Vec<Vec<u8>>,
    reads: &[(&str, &ReadFn)],
) {
    let mut n = 0u64;
    for &size in &SIZES {
        let timed_from = size - 1_000;
        while n < timed_from {
            s.exec_args(&add(n));
            n += 1;
        }
        let t = Instant::now();
        while n < size {
            black_box(s.exec_args(&add(n)));
            n += 1;
        }
        let ns = t.elapsed().as_nanos() as f64 / 1_000.0;
        out.record("growth", what, ns, Some(size));
        for (name, read) in reads {
            let ns = time_ns(3, 2_000, |i| {
                black_box(s.exec_args(&read(i, size)));
            });
            out.record("growth", name, ns, Some(size));
        }
    }
}

fn growth(out: &mut Out) {
    let mut s = paused_session();
    grow(
        out,
        &mut s,
        "LPUSH",
        |i| argv(&["LPUSH", "mylist", &format!("element:{i}")]),
        &[("LRANGE 0 99", &|_, _| {
            argv(&["LRANGE", "mylist", "0", "99"])
        })],
    );
    grow(
        out,
        &mut s,
        "SADD",
        |i| argv(&["SADD", "myset", &format!("member:{i}")]),
        &[("SISMEMBER", &|i, n| {
            argv(&["SISMEMBER", "myset", &format!("member:{}", (i * 7919) % n)])
        })],
    );
    grow(
        out,
        &mut s,
        "ZADD",
        |i| {
            // Scores spread over the whole range, not appended in order.
            let score = (i.wrapping_mul(2_654_435_761) % 1_000_003).to_string();
            argv(&["ZADD", "myzset", &score, &format!("member:{i}")])
        },
        &[
            ("ZRANGE 0 99 WITHSCORES", &|_, _| {
                argv(&["ZRANGE", "myzset", "0", "99", "WITHSCORES"])
            }),
            ("ZRANK", &|i, n| {
                argv(&["ZRANK", "myzset", &format!("member:{}", (i * 7919) % n)])
            }),
            ("ZRANGEBYSCORE LIMIT 0 10", &|i, _| {
                let lo = (i * 7919) % 1_000_003;
                argv(&[
                    "ZRANGEBYSCORE",
                    "myzset",
                    &lo.to_string(),
                    "+inf",
                    "LIMIT",
                    "0",
                    "10",
                ])
            }),
        ],
    );
    grow(
        out,
        &mut s,
        "HSET",
        |i| argv(&["HSET", "myhash", &format!("field:{i}"), "xxx"]),
        &[("HGET", &|i, n| {
            argv(&["HGET", "myhash", &format!("field:{}", (i * 7919) % n)])
        })],
    );
}

/// Range reads on sorted sets of 1,000,000 members: by score (with LIMIT, from the low and
/// the high end), counts, by lex (all scores equal), and ZRANGE WITHSCORES through the
/// redis-cli formatter (where every score goes through `%.17g`), integral and fractional.
fn zset(out: &mut Out) {
    const N: u64 = 1_000_000;
    let mut s = paused_session();
    for i in 0..N {
        // Distinct integral scores, inserted in a scrambled order.
        let j = i.wrapping_mul(2_654_435_761) % N;
        s.exec_args(&argv(&["ZADD", "zint", &j.to_string(), &format!("m:{j}")]));
        s.exec_args(&argv(&[
            "ZADD",
            "zfrac",
            &format!("{}", j as f64 * 0.37),
            &format!("m:{j}"),
        ]));
        s.exec_args(&argv(&["ZADD", "zlex", "0", &format!("m:{j:07}")]));
    }
    let at = |i: u64| (i.wrapping_mul(7_919) % (N - 2_000)).to_string();
    type Read = Box<dyn Fn(u64) -> Vec<Vec<u8>>>;
    let reads: Vec<(&str, Read)> = vec![
        (
            "ZRANGE BYSCORE LIMIT 0 10",
            Box::new(move |i| {
                argv(&[
                    "ZRANGE",
                    "zint",
                    &at(i),
                    "+inf",
                    "BYSCORE",
                    "LIMIT",
                    "0",
                    "10",
                ])
            }),
        ),
        (
            "ZRANGE BYSCORE LIMIT 1000 10",
            Box::new(move |i| {
                argv(&[
                    "ZRANGE",
                    "zint",
                    &at(i),
                    "+inf",
                    "BYSCORE",
                    "LIMIT",
                    "1000",
                    "10",
                ])
            }),
        ),
        (
            "ZRANGE BYSCORE REV LIMIT 0 10",
            Box::new(move |i| {
                argv(&[
                    "ZRANGE",
                    "zint",
                    &at(i),
                    "-inf",
                    "BYSCORE",
                    "REV",
                    "LIMIT",
                    "0",
                    "10",
                ])
            }),
        ),
        (
            "ZRANGEBYSCORE x (x+10 (10 members)",
            Box::new(move |i| {
                let lo = i.wrapping_mul(7_919) % (N - 2_000);
                argv(&[
                    "ZRANGEBYSCORE",
                    "zint",
                    &lo.to_string(),
                    &format!("({}", lo + 10),
                ])
            }),
        ),
        (
            "ZCOUNT x x+1000",
            Box::new(move |i| {
                let lo = i.wrapping_mul(7_919) % (N - 2_000);
                argv(&["ZCOUNT", "zint", &lo.to_string(), &(lo + 1_000).to_string()])
            }),
        ),
        (
            "ZRANGE BYLEX LIMIT 0 10 (equal scores)",
            Box::new(move |i| {
                let lo = i.wrapping_mul(7_919) % (N - 2_000);
                argv(&[
                    "ZRANGE",
                    "zlex",
                    &format!("[m:{lo:07}"),
                    "+",
                    "BYLEX",
                    "LIMIT",
                    "0",
                    "10",
                ])
            }),
        ),
        (
            "ZLEXCOUNT [x [x+1000 (equal scores)",
            Box::new(move |i| {
                let lo = i.wrapping_mul(7_919) % (N - 2_000);
                argv(&[
                    "ZLEXCOUNT",
                    "zlex",
                    &format!("[m:{lo:07}"),
                    &format!("[m:{:07}", lo + 1_000),
                ])
            }),
        ),
    ];
    for (name, read) in &reads {
        let ns = time_ns(5, 20_000, |i| {
            black_box(s.exec_args(&read(i)));
        });
        out.record("zset", name, ns, Some(N));
    }
    for key in ["zint", "zfrac"] {
        let lines: Vec<String> = (0..100u64)
            .map(|i| {
                let lo = i.wrapping_mul(7_919) % (N - 2_000);
                format!("ZRANGE {key} {lo} {} WITHSCORES", lo + 99)
            })
            .collect();
        let ns = time_ns(5, 2_000, |i| {
            black_box(s.exec(&lines[(i % 100) as usize]));
        });
        let what = if key == "zint" {
            "integral"
        } else {
            "fractional"
        };
        out.record(
            "zset",
            &format!("exec ZRANGE a a+99 WITHSCORES ({what} scores, printed)"),
            ns,
            Some(N),
        );
    }
}

fn load(out: &mut Out) {
    let mut s = paused_session();
    let t = Instant::now();
    for i in 0..1_000_000u64 {
        s.exec_args(&argv(&["SET", &format!("key:{i}"), "xxx"]));
    }
    let ns = t.elapsed().as_nanos() as f64 / 1e6;
    out.record(
        "load",
        "SET key:N xxx (1,000,000 keys)",
        ns,
        Some(1_000_000),
    );
}

fn expiry(out: &mut Out) {
    let mut s = paused_session();
    for i in 0..1_000_000u64 {
        let ttl = 1_000 + (i % 1_000);
        s.exec_args(&argv(&[
            "SET",
            &format!("key:{i}"),
            "xxx",
            "PX",
            &ttl.to_string(),
        ]));
    }
    s.advance(T0, 10_000.0);
    let mut worst = Duration::ZERO;
    let mut worst_at = (0u64, "");
    let mut calls = 0u64;
    let mut wall = T0;
    let t = Instant::now();
    // Commands keep flowing, and every 100th call the page's timer ticks (100 ms of
    // world time) — the active cycle runs on each tick.
    while !s.server().db(0).is_empty() && calls < 5_000_000 {
        let c = Instant::now();
        if calls.is_multiple_of(100) {
            wall += 1.0;
            s.advance(wall, 100.0);
        } else {
            black_box(s.exec_args(&argv(&["GET", &format!("key:{}", calls % 1_000_000)])));
        }
        let dt = c.elapsed();
        if dt > worst {
            worst = dt;
            worst_at = (
                calls,
                if calls.is_multiple_of(100) {
                    "tick"
                } else {
                    "GET"
                },
            );
        }
        calls += 1;
    }
    let total = t.elapsed();
    eprintln!(
        "  (worst call: #{} of {calls}, a {}, {} keys left then)",
        worst_at.0,
        worst_at.1,
        s.server().db(0).len()
    );
    out.record(
        "expiry",
        "worst single call while 1,000,000 keys expire",
        worst.as_nanos() as f64,
        Some(1_000_000),
    );
    out.record(
        "expiry",
        &format!("mean call until all expired ({calls} calls)"),
        total.as_nanos() as f64 / calls as f64,
        Some(1_000_000),
    );
}

/// Scripts: what a script costs beside the commands it runs (compare the first case with
/// redis-server's own `usec_per_call` for the same EVALSHA in INFO commandstats).
fn scripting(out: &mut Out) {
    let mut s = paused_session();
    let cases = [
        (
            "EVALSHA 1,000 × redis.call('INCR')",
            "for i = 1, 1000 do redis.call('INCR', KEYS[1]) end return redis.call('GET', KEYS[1])",
            200,
        ),
        (
            "EVALSHA Lua loop, 100,000 additions",
            "local n = 0 for i = 1, 100000 do n = n + i end return n",
            200,
        ),
        ("EVALSHA return KEYS[1]", "return KEYS[1]", 200_000),
    ];
    for (name, body, iters) in cases {
        let reply = s.exec_args(&argv(&["SCRIPT", "LOAD", body]));
        let redis_playground::Reply::Bulk(sha) = reply else {
            panic!("SCRIPT LOAD answered {reply:?}");
        };
        let line = vec![b"EVALSHA".to_vec(), sha, b"1".to_vec(), b"counter".to_vec()];
        let ns = time_ns(5, iters, |_| {
            black_box(s.exec_args(&line));
        });
        out.record("scripting", name, ns, None);
    }
    let eval = argv(&[
        "EVAL",
        "return redis.call('SET', KEYS[1], ARGV[1])",
        "1",
        "k",
        "v",
    ]);
    let ns = time_ns(5, 100_000, |_| {
        black_box(s.exec_args(&eval));
    });
    out.record(
        "scripting",
        "EVAL return redis.call('SET', …) (cached)",
        ns,
        None,
    );
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        // `cargo test --benches` / `--all-targets` runs this without --bench: check that the
        // harness works on a tiny case instead of benchmarking for a minute.
        let mut s = paused_session();
        assert_eq!(s.exec("SET k v"), "OK");
        assert_eq!(s.exec("GET k"), "\"v\"");
        println!("benches/engine.rs: smoke check passed (run the benchmarks with cargo bench)");
        return;
    }
    let mut filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    filter.retain(|f| !f.is_empty());
    let json = std::env::var_os("BENCH_JSON").map(|p| {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(p)
            .expect("BENCH_JSON: cannot open")
    });
    let mut out = Out { json, filter };
    println!("native engine benchmarks (best of several rounds; ns per operation)");
    type Group = (&'static str, fn(&mut Out));
    let groups: [Group; 7] = [
        ("simple", simple),
        ("parts", parts),
        ("growth", growth),
        ("zset", zset),
        ("load", load),
        ("expiry", expiry),
        ("scripting", scripting),
    ];
    for (name, f) in groups {
        if out.wants(name) {
            let t = Instant::now();
            f(&mut out);
            eprintln!("  ({name}: {:.1}s)", t.elapsed().as_secs_f64());
        }
    }
}
