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
    let options = common::words::OPTION_WORDS;

    redis_playground::commands::all()
        // PFSELFTEST always runs ten million additions: tested on its own (tests/hyperloglog.rs).
        .filter(|c| c.name != "pfselftest")
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

/// What a crafted link, a careless learner or the simulation's buttons do, mixed: big
/// offsets and values, repeat counts multiplying them, sliced runs, the simulation started,
/// stepped and meddled with from a console, snapshots restored.
#[derive(Debug, Clone)]
enum Act {
    Line(String),
    /// A typed line: its repeat count in slices of `runs`, `more` of them run.
    Sliced(String, u64, u8),
    SimStart,
    SimStep,
    SimAdvance,
    Advance(f64),
    Roundtrip,
}

fn act() -> impl Strategy<Value = Act> {
    let big = prop_oneof![
        Just("SETRANGE s 1048576 x".to_string()),
        Just("100 MGET s s s s s s".to_string()),
        Just("APPEND s xxxxxxxxxxxxxxxx".to_string()),
        Just("SETRANGE k 65535 \\x00".to_string()),
        Just("GET k".to_string()),
        Just("GETRANGE s 0 -1".to_string()),
        Just("LCS s k".to_string()),
        Just("4000 COMMAND".to_string()),
        Just("COMMAND DOCS".to_string()),
        Just("SORT l BY nosort GET # GET # STORE l".to_string()),
        Just("RPUSH l a b c d".to_string()),
        Just("SUNIONSTORE u s2 s2".to_string()),
        Just("SADD s2 a b c".to_string()),
        Just("SRANDMEMBER s2 -1000000".to_string()),
        Just("HRANDFIELD h -1000000 WITHVALUES".to_string()),
        Just("ZRANDMEMBER z -100000000".to_string()),
    ];
    let meddle = prop_oneof![
        Just("FLUSHALL".to_string()),
        Just("SELECT 11".to_string()),
        Just("FLUSHDB".to_string()),
        Just("SELECT 0".to_string()),
        Just("DEL order:1 order:2 retry".to_string()),
        Just("CONFIG SET notify-keyspace-events \"\"".to_string()),
        Just("SWAPDB 10 0".to_string()),
        Just("SWAPDB 11 12".to_string()),
        Just("DEBUG RELOAD".to_string()),
    ];
    prop_oneof![
        4 => big.clone().prop_map(Act::Line),
        2 => meddle.prop_map(Act::Line),
        2 => (big, 1u64..50, 0u8..4).prop_map(|(l, runs, more)| Act::Sliced(format!("1000 {l}"), runs, more)),
        1 => Just(Act::SimStart),
        2 => Just(Act::SimStep),
        1 => Just(Act::SimAdvance),
        1 => prop_oneof![Just(1000.0), Just(3_600_000.0), Just(1e15), Just(f64::MAX)].prop_map(Act::Advance),
        1 => Just(Act::Roundtrip),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Nothing panics; no line prints more than a console shows (a line stops running
    /// once 16 MiB are printed, and one answer prints at most 16 MiB); the clock stays in
    /// years a date can show; a snapshot always restores.
    #[test]
    fn big_replies_links_and_the_simulation_never_panic(acts in prop::collection::vec(act(), 1..24)) {
        use redis_playground::session::Slice;
        const MAX_TEXT: usize = (32 << 20) + 4096;
        const YEAR_9999_END: i64 = 253_402_300_799_999;
        let t0 = common::T0;
        let mut w = common::session();
        w.exec("HSET h f v");
        w.exec("ZADD z 1 a");
        for a in &acts {
            match a {
                Act::Line(l) => {
                    let out = w.exec(l);
                    prop_assert!(out.len() <= MAX_TEXT, "{} printed {} bytes", l, out.len());
                }
                Act::Sliced(l, runs, more) => {
                    let mut c = w.first_console();
                    let mut never = || false;
                    let first = c.exec_sliced(l, Some(Slice { max_runs: *runs, over: &mut never }));
                    let mut printed = first.text.len();
                    for _ in 0..*more {
                        let mut never = || false;
                        printed += c.run_more(Slice { max_runs: *runs, over: &mut never }).text.len();
                    }
                    prop_assert!(printed <= MAX_TEXT, "{} printed {} bytes", l, printed);
                    c.interrupt();
                }
                Act::SimStart => {
                    let _ = w.sim_start(&redis_playground::retry::Config::default(), t0);
                }
                Act::SimStep => {
                    let _ = w.sim_step(t0);
                }
                Act::SimAdvance => {
                    let _ = w.sim_advance(t0, 10_000);
                }
                Act::Advance(ms) => w.advance(t0, *ms),
                Act::Roundtrip => {
                    if let Ok(bytes) = w.snapshot(t0) {
                        prop_assert!(w.restore(&bytes, t0).is_ok());
                    }
                }
            }
            prop_assert!(w.now_ms() <= YEAR_9999_END, "the clock at {} after {:?}", w.now_ms(), a);
        }
        prop_assert_eq!(w.exec("SET after v EX 10"), "OK");
    }
}

/// Pieces of Lua a script is made of, valid or not: what Redis's API and Lua's syntax
/// offer, so random scripts reach conversions, errors, protection and the libraries.
const LUA_PIECES: &[&str] = &[
    "return",
    "local x =",
    "local t = {}",
    "x",
    "t",
    "t[1]",
    "t.x =",
    "1",
    "2.5",
    "-1",
    "0/0",
    "1e308 * 10",
    "'a'",
    "\"b\"",
    "[[long]]",
    "nil",
    "true",
    "false",
    "KEYS[1]",
    "ARGV[1]",
    "#KEYS",
    "KEYS",
    "ARGV",
    "{",
    "}",
    "(",
    ")",
    ",",
    ";",
    "..",
    "+",
    "-",
    "*",
    "/",
    "%",
    "^",
    "#",
    "==",
    "~=",
    "<",
    "<=",
    "and",
    "or",
    "not",
    "if",
    "then",
    "else",
    "elseif",
    "end",
    "do",
    "for i = 1, 3 do",
    "for k, v in pairs({1, 2}) do",
    "while false do",
    "repeat",
    "until true",
    "function",
    "function() return 1 end",
    "local function f(...) return ... end",
    "f(1, 2)",
    "redis.call('set', KEYS[1], ARGV[1])",
    "redis.call('get', KEYS[1])",
    "redis.call('incr', 'n')",
    "redis.pcall('incr', KEYS[1])",
    "redis.call('lpush', 'l', 1)",
    "redis.call('hgetall', 'h')",
    "redis.call('nosuch')",
    "redis.call()",
    "redis.call({})",
    "redis.pcall('eval', 'return 1', 0)",
    "redis.call('select', 3)",
    "redis.call('ping')",
    "redis.call('xadd', 's', '*', 'f', 'v')",
    "redis.call('zadd', 'z', 1, 'm')",
    "redis.setresp(3)",
    "redis.setresp(2)",
    "redis.sha1hex('x')",
    "redis.status_reply('OK')",
    "redis.error_reply('E x')",
    "redis.log(redis.LOG_WARNING, 'w')",
    "redis.set_repl(3)",
    "redis.acl_check_cmd('get', 'x')",
    "redis.breakpoint()",
    "redis.REDIS_VERSION",
    "{ok = 'x'}",
    "{err = 'x'}",
    "{double = 1.5}",
    "{map = {a = 1}}",
    "{set = {a = true}}",
    "{big_number = '1'}",
    "{verbatim_string = {format = 'txt', string = 's'}}",
    "error('x')",
    "error({err = 'E x'})",
    "error()",
    "pcall(error, 'x')",
    "pcall(redis.call)",
    "tostring",
    "tonumber('12')",
    "type(x)",
    "select('#', 1, 2)",
    "unpack({1, 2})",
    "string.rep('a', 3)",
    "string.format('%d', 3)",
    "table.concat({1, 2}, ',')",
    "table.insert(t, 1)",
    "math.random(10)",
    "math.randomseed(1)",
    "cjson.encode({1, 2})",
    "cjson.decode('[1]')",
    "cmsgpack.pack(1)",
    "bit.band(3, 1)",
    "struct.pack('>I', 1)",
    "setmetatable(t, {__index = t})",
    "rawset(t, 1, 2)",
    "getmetatable('')",
    "_G",
    "_G.x = 1",
    "a = 1",
    "loadstring('return 1')",
    "collectgarbage()",
    "--",
    "\n",
    "...",
];

fn lua_script() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(LUA_PIECES), 0..24).prop_map(|p| p.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    /// Random scripts through EVAL and random libraries through FUNCTION LOAD and FCALL:
    /// nothing panics, each answers, and the server takes commands afterwards.
    #[test]
    fn random_scripts_never_panic(scripts in prop::collection::vec((lua_script(), any::<bool>()), 1..6)) {
        let t0 = common::T0;
        let mut w = common::session();
        w.exec("HSET h f v");
        let b = |s: &str| s.as_bytes().to_vec();
        for (script, as_function) in &scripts {
            if *as_function {
                let code = format!("#!lua name=p\nlocal function f(keys, args) {script} end\nredis.register_function('f', f)");
                w.exec_args(&[b("FUNCTION"), b("LOAD"), b("REPLACE"), code.into_bytes()]);
                w.exec_args(&[b("FCALL"), b("f"), b("1"), b("k"), b("v")]);
            } else {
                w.exec_args(&[b("EVAL"), script.as_bytes().to_vec(), b("1"), b("k"), b("v")]);
            }
            // A script still running is stopped, as a learner would.
            if w.server().scripting().running.is_some() {
                w.advance(t0, 5000.0);
                let other = w.open_console(t0);
                let _ = w.console(other).unwrap().exec("SCRIPT KILL");
                let _ = w.console(other).unwrap().exec("FUNCTION KILL");
                w.close_console(other);
            }
        }
        w.advance(t0, 1.0);
        if w.server().scripting().running.is_none() {
            prop_assert_eq!(w.exec("SET after v"), "OK");
        }
    }
}
