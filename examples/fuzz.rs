//! The engine under generated input, for as long as you like: `scripts/fuzz [LINES] [SEED]`.
//!
//! Lines are built from the command table (every command and sub-command, with arities
//! around the real one), and arguments from what reaches deep into handlers: option words,
//! extreme and malformed numbers, binary and long values, huge counts and offsets, glob
//! patterns, keys of every type. Between lines: repeat prefixes, MULTI/WATCH nesting,
//! blocking commands on several consoles, consoles opened and closed, the world clock
//! moved, paused and sped up, the retry simulation started, stepped and reset, snapshots
//! restored, exports imported, DEBUG RELOAD.
//!
//! It fails (exit status 1, and the line that did it) on
//!   - a panic (a panic in the wasm engine ends the learner's tab);
//!   - a call over `--bound-ms` (default 1000: a page that stops answering for a second);
//!   - memory the engine does not give back once a world is dropped (a leak).
//!
//! and reports how many calls took over 100 ms and the slowest lines. Each world lives for
//! `WORLD_LINES` lines, so findings replay from their world's seed: `--replay SEED` runs that
//! one world and prints every line.

use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use redis_playground::retry::Config as SimConfig;
use redis_playground::session::Slice;
use redis_playground::{commands, memory, World};

const T0: f64 = 1_700_000_000_000.0;
/// Lines per world, before it is dropped and memory checked.
const WORLD_LINES: u64 = 400;
/// How long the page lets one slice of a repeat count run (www/js/console/session.js).
const SLICE: Duration = Duration::from_millis(8);
/// A call over this is "slow" in the report.
const SLOW: Duration = Duration::from_millis(100);
/// What a dropped world may leave behind (allocator caches, the argument buffers).
const LEAK_TOLERANCE: usize = 256 << 10;

/// Every command and sub-command as (words, arity).
fn table() -> Vec<(String, i32)> {
    let mut out = Vec::new();
    for c in commands::all() {
        if c.subcommands.is_empty() {
            out.push((c.name.to_ascii_uppercase(), c.arity));
        } else {
            out.push((c.name.to_ascii_uppercase(), c.arity));
            for s in c.subcommands {
                out.push((s.name.replace('|', " ").to_ascii_uppercase(), s.arity));
            }
        }
    }
    out
}

#[path = "../tests/common/words.rs"]
mod words;
use words::OPTION_WORDS as WORDS;

const NUMBERS: &[&str] = &[
    "0",
    "1",
    "-1",
    "2",
    "3",
    "10",
    "100",
    "-100",
    "15",
    "16",
    "255",
    "256",
    "65535",
    "65536",
    "2147483647",
    "2147483648",
    "-2147483648",
    "4294967295",
    "4294967296",
    "536870911",
    "536870912",
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775808",
    "18446744073709551615",
    "1.5",
    "-0.0",
    "inf",
    "-inf",
    "+inf",
    "nan",
    "1e308",
    "1e400",
    "-1e400",
    "1e-320",
    "0x10",
    "1e3",
    " 1",
    "1 ",
    "(1",
    "(-inf",
    "[a",
    "(a",
    "-",
    "+",
    "",
    "0.1",
    "3.0000000000000001",
    "100000",
    "1000000",
    "0.01",
];

const KEYS: &[&str] = &[
    "k",
    "k2",
    "s",
    "l",
    "h",
    "z",
    "set",
    "list",
    "{t}a",
    "{t}b",
    "big",
    "",
    "user:1",
    "user:*",
    "\"\\x00k\"",
];

struct Gen {
    rng: fastrand::Rng,
    table: Vec<(String, i32)>,
}

impl Gen {
    fn pick<'a>(&mut self, from: &'a [&'a str]) -> &'a str {
        from[self.rng.usize(..from.len())]
    }

    /// One argument, quoted for a redis-cli line where it needs it.
    fn arg(&mut self) -> String {
        match self.rng.u32(..100) {
            0..=29 => self.pick(KEYS).to_string(),
            30..=49 => self.pick(NUMBERS).to_string(),
            50..=69 => self.pick(WORDS).to_string(),
            70..=79 => self.rng.i64(..).to_string(),
            80..=86 => {
                // Binary: every byte as an escape.
                let n = self.rng.usize(0..24);
                let bytes: String = (0..n)
                    .map(|_| format!("\\x{:02x}", self.rng.u8(..)))
                    .collect();
                format!("\"{bytes}\"")
            }
            87..=91 => {
                // Printable noise with quotes and glob characters.
                let n = self.rng.usize(0..16);
                (0..n)
                    .map(|_| *self.rng.choice(b"ab*?[]^\\-:x19 \"'{}").unwrap_or(&b'a') as char)
                    .collect::<String>()
                    .replace(' ', "_")
            }
            92..=96 => {
                // A long value.
                let n = [100, 1000, 10_000, 100_000][self.rng.usize(..4)];
                "v".repeat(n)
            }
            _ => self.rng.f64().to_string(),
        }
    }

    fn command(&mut self) -> String {
        let (name, arity) = self.table[self.rng.usize(..self.table.len())].clone();
        let words = name.split(' ').count() as i32;
        let base = arity.unsigned_abs() as i32 - words;
        let extra = match arity {
            a if a < 0 => self.rng.i32(0..8),
            _ => {
                if self.rng.u32(..10) == 0 {
                    self.rng.i32(-1..3)
                } else {
                    0
                }
            }
        };
        let n = (base + extra).max(0);
        let mut line = name;
        for _ in 0..n {
            line.push(' ');
            line.push_str(&self.arg());
        }
        line
    }

    /// A console line: mostly a command, sometimes with a repeat prefix or a transaction
    /// word, sometimes one that builds something big.
    fn line(&mut self) -> String {
        match self.rng.u32(..100) {
            0..=4 => {
                ["MULTI", "EXEC", "DISCARD", "WATCH k s", "UNWATCH"][self.rng.usize(..5)].into()
            }
            5..=7 => format!("{} {}", self.rng.u32(1..20), self.command()),
            8 => format!(
                "{} {}",
                [100, 1000, 10_000][self.rng.usize(..3)],
                self.command()
            ),
            9 => [
                "RPUSH big a b c d e f g h",
                "SORT big BY nosort GET # GET # STORE big",
                "SUNIONSTORE set set s",
                "ZUNIONSTORE z 2 z z",
                "SETRANGE big 1048576 x",
                "SETRANGE k 33554432 x",
                "APPEND k vvvvvvvvvvvvvvvvvvvv",
                "LRANGE big 0 -1",
                "SORT big",
                "BLPOP list 0.01",
                "BRPOPLPUSH list l 0",
                "BZPOPMIN z 0.05",
                "SUBSCRIBE ch",
                "PSUBSCRIBE *",
                "MONITOR",
                "PUBLISH ch hello",
                "CONFIG SET notify-keyspace-events KEA",
                "DEBUG RELOAD",
                "FLUSHALL",
                "SWAPDB 0 1",
                "SELECT 3",
                "CLIENT KILL TYPE normal",
                "CLIENT KILL TYPE pubsub",
            ][self.rng.usize(..23)]
            .into(),
            _ => self.command(),
        }
    }
}

/// One thing done to the world, as the page or a console would.
#[derive(Debug)]
enum Action {
    Line(usize, String),
    Advance(f64),
    Speed(f64),
    Pause,
    Resume,
    OpenConsole,
    CloseConsole(usize),
    Interrupt(usize),
    Messages(usize),
    SimStart,
    SimAdvance,
    SimStep,
    SimReset,
    SimStop,
    Roundtrip,
    /// Data → Export (kept for the next Import).
    Export,
    /// Data → Import of the last export, into a fresh world.
    Import,
    Tick,
    RunMore(usize),
}

fn step(g: &mut Gen, consoles: usize) -> Action {
    let c = g.rng.usize(..consoles.max(1));
    match g.rng.u32(..1000) {
        0..=869 => Action::Line(c, g.line()),
        870..=899 => Action::RunMore(c),
        900..=919 => Action::Advance([1.0, 1000.0, 60_000.0, 3_600_000.0, 1e12][g.rng.usize(..5)]),
        920..=924 => Action::Speed([1.0, 60.0, 3600.0, 0.0, f64::NAN, 1e300][g.rng.usize(..6)]),
        925..=927 => Action::Pause,
        928..=930 => Action::Resume,
        931..=940 => Action::OpenConsole,
        941..=948 => Action::CloseConsole(c),
        949..=958 => Action::Interrupt(c),
        959..=970 => Action::Messages(c),
        971..=974 => Action::SimStart,
        975..=980 => Action::SimAdvance,
        981..=985 => Action::SimStep,
        986..=987 => Action::SimReset,
        988 => Action::SimStop,
        989..=991 => Action::Roundtrip,
        992 => Action::Export,
        993 => Action::Import,
        _ => Action::Tick,
    }
}

struct Run {
    wall: f64,
    ids: Vec<usize>,
    /// The last export, for the next import.
    exported: Option<String>,
}

fn apply(w: &mut World, r: &mut Run, s: &Action) {
    r.wall += 1.0;
    let wall = r.wall;
    match s {
        Action::Line(c, line) => {
            let id = r.ids[*c % r.ids.len()];
            if let Some(mut con) = w.console(id) {
                // As a typed line: a repeat count runs in slices (RunMore goes on).
                let t = Instant::now();
                let mut over = || t.elapsed() >= SLICE;
                let _ = con.exec_sliced(
                    line,
                    Some(Slice {
                        max_runs: u64::MAX,
                        over: &mut over,
                    }),
                );
            }
        }
        Action::RunMore(c) => {
            let id = r.ids[*c % r.ids.len()];
            if let Some(mut con) = w.console(id) {
                let t = Instant::now();
                let mut over = || t.elapsed() >= SLICE;
                let _ = con.run_more(Slice {
                    max_runs: u64::MAX,
                    over: &mut over,
                });
            }
        }
        Action::Advance(ms) => w.advance(wall, *ms),
        Action::Speed(x) => w.set_speed(wall, *x),
        Action::Pause => w.pause(wall),
        Action::Resume => w.resume(wall),
        Action::OpenConsole => {
            if r.ids.len() < 8 {
                r.ids.push(w.open_console(wall));
            }
        }
        Action::CloseConsole(c) => {
            let id = r.ids[*c % r.ids.len()];
            if w.close_console(id) {
                r.ids.retain(|&i| i != id);
            }
        }
        Action::Interrupt(c) => {
            let id = r.ids[*c % r.ids.len()];
            if let Some(mut con) = w.console(id) {
                con.interrupt();
            }
        }
        Action::Messages(c) => {
            let id = r.ids[*c % r.ids.len()];
            w.sync(wall);
            if let Some(mut con) = w.console(id) {
                let _ = con.take_messages();
            }
            let _ = w.consoles_with_news();
        }
        Action::SimStart => {
            let _ = w.sim_start(&SimConfig::default(), wall);
        }
        Action::SimAdvance => {
            let _ = w.sim_advance(wall, 10_000);
        }
        Action::SimStep => {
            let _ = w.sim_step(wall);
        }
        Action::SimReset => w.sim_reset(wall),
        Action::SimStop => w.sim_stop(),
        Action::Roundtrip => {
            if let Ok(bytes) = w.snapshot(wall) {
                let _ = w.restore(&bytes, wall);
            }
        }
        Action::Export => {
            r.exported = w.export_script(wall).ok();
        }
        Action::Import => {
            if let Some(script) = r.exported.take() {
                w.reset(wall);
                let _ = w.import(script.as_bytes(), wall);
            }
        }
        Action::Tick => w.sync(wall),
    }
    // As the page does between calls: keep the ids in step with the world.
    r.ids = w.console_ids();
}

struct Report {
    calls: u64,
    slow: u64,
    slowest: Vec<(Duration, String)>,
}

enum Failure {
    Panic(String),
    TooSlow(Duration),
    Leak(usize),
}

/// One world of `WORLD_LINES` steps from `seed`; `verbose` prints each step.
fn world_run(
    seed: u64,
    table: &[(String, i32)],
    bound: Duration,
    rep: &mut Report,
    verbose: bool,
) -> Result<(), (Failure, String)> {
    let mut g = Gen {
        rng: fastrand::Rng::with_seed(seed),
        table: table.to_vec(),
    };
    let before = memory::used();
    {
        let mut w = World::with_seed(T0, seed);
        let mut r = Run {
            wall: T0,
            ids: w.console_ids(),
            exported: None,
        };
        for _ in 0..WORLD_LINES {
            let s = step(&mut g, r.ids.len());
            let shown = compact(&format!("{s:?}"));
            // Replaying: the world as it was before the step, to study a slow one.
            let before_step = if verbose {
                w.export_script(r.wall).ok()
            } else {
                None
            };
            let t = Instant::now();
            let res = catch_unwind(AssertUnwindSafe(|| apply(&mut w, &mut r, &s)));
            let took = t.elapsed();
            if verbose {
                println!("{took:>10.1?}  {shown}");
                if took > SLOW {
                    let file = format!("target/fuzz-before-{seed}.txt");
                    if let Some(script) = before_step {
                        if std::fs::write(&file, script).is_ok() {
                            println!("            (the world before it: {file})");
                        }
                    }
                }
            }
            rep.calls += 1;
            if let Err(e) = res {
                let msg = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                return Err((Failure::Panic(msg), shown));
            }
            if took > SLOW {
                rep.slow += 1;
                rep.slowest.push((took, format!("{shown}  (world {seed})")));
                rep.slowest.sort_by_key(|b| std::cmp::Reverse(b.0));
                rep.slowest.truncate(8);
            }
            if took > bound {
                return Err((Failure::TooSlow(took), shown));
            }
        }
    }
    let after = memory::used();
    if after > before + LEAK_TOLERANCE {
        return Err((Failure::Leak(after - before), format!("world {seed}")));
    }
    Ok(())
}

/// A step as printed: a run of one character longer than 12 shows as `'v'×100000`, and the
/// whole is cut at 400 characters.
fn compact(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() && out.len() < 400 {
        let mut j = i;
        while j < chars.len() && chars[j] == chars[i] {
            j += 1;
        }
        if j - i > 12 {
            out.push_str(&format!("'{}'×{}", chars[i], j - i));
        } else {
            out.extend(&chars[i..j]);
        }
        i = j;
    }
    if i < chars.len() {
        out.push('…');
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut lines: u64 = 1_000_000;
    let mut seed: u64 = 1;
    let mut bound = Duration::from_millis(1000);
    let mut replay = None;
    let mut i = 0;
    while i < args.len() {
        let next = args.get(i + 1).and_then(|v| v.parse::<u64>().ok());
        match (args[i].as_str(), next) {
            ("--lines", Some(v)) => lines = v,
            ("--seed", Some(v)) => seed = v,
            ("--bound-ms", Some(v)) => bound = Duration::from_millis(v),
            ("--replay", Some(v)) => replay = Some(v),
            _ => {
                eprintln!(
                    "usage: fuzz [--lines N] [--seed S] [--bound-ms MS] [--replay WORLD_SEED]"
                );
                std::process::exit(2);
            }
        }
        i += 2;
    }
    // Panics are findings: say them once, in the report, not on stderr as they happen.
    std::panic::set_hook(Box::new(|_| {}));
    let table = table();
    let mut rep = Report {
        calls: 0,
        slow: 0,
        slowest: Vec::new(),
    };
    if let Some(s) = replay {
        let r = world_run(s, &table, bound, &mut rep, true);
        if let Err((f, at)) = r {
            report_failure(s, &f, &at);
        }
        return;
    }
    let start = Instant::now();
    let worlds = lines.div_ceil(WORLD_LINES);
    let mut failures = 0;
    for n in 0..worlds {
        let world_seed = seed.wrapping_mul(1_000_003).wrapping_add(n);
        if let Err((f, at)) = world_run(world_seed, &table, bound, &mut rep, false) {
            report_failure(world_seed, &f, &at);
            failures += 1;
            if failures >= 20 {
                break;
            }
        }
        if n % 500 == 499 {
            eprint!(
                "\r{} lines, {} slow, {:.0?}   ",
                rep.calls,
                rep.slow,
                start.elapsed()
            );
            let _ = std::io::stderr().flush();
        }
    }
    let took = start.elapsed();
    println!(
        "\n{} steps in {:.1?} ({:.0} per second): {} failures, {} calls over {} ms (bound {} ms)",
        rep.calls,
        took,
        rep.calls as f64 / took.as_secs_f64(),
        failures,
        rep.slow,
        SLOW.as_millis(),
        bound.as_millis()
    );
    for (d, s) in &rep.slowest {
        println!("  {:>8.1?}  {s}", d);
    }
    if failures > 0 {
        std::process::exit(1);
    }
}

fn report_failure(seed: u64, f: &Failure, at: &str) {
    match f {
        Failure::Panic(m) => println!("\nPANIC in world {seed}: {m}\n  at {at}"),
        Failure::TooSlow(d) => println!("\nSLOW in world {seed}: {d:.1?}\n  at {at}"),
        Failure::Leak(b) => println!("\nLEAK in world {seed}: {b} bytes not given back"),
    }
    println!("  replay: scripts/fuzz --replay {seed}");
}
