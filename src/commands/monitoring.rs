//! SLOWLOG and LATENCY over `server::slowlog`: the commands that took at least
//! `slowlog-log-slower-than` µs, and the events that reached `latency-monitor-threshold`
//! ms — durations on the world clock (see slowlog.rs: every command is instantaneous but
//! DEBUG SLEEP) — and LATENCY HISTOGRAM from the command statistics. LATENCY GRAPH (an
//! ASCII chart) is not here (README: what differs).

use super::args::int_in;
use super::common::{help_lines, subcommand_syntax};
use super::table::{Group, BASE};
use super::Command;
use crate::error::CmdResult;
use crate::reply::Reply;
use crate::server::{latency_bucket_top, CommandStat, Ctx};

// ---- command handlers ----

/// SLOWLOG GET [count]
fn slowlog_get(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    if argv.len() > 3 {
        return Err(subcommand_syntax(argv));
    }
    let log = ctx.server.slowlog();
    let count = match argv.get(2) {
        None => 10,
        Some(a) => match int_in(a, -1.., "count should be greater than or equal to -1")? {
            -1 => log.len(),
            n => usize::try_from(n).unwrap_or(usize::MAX),
        },
    };
    Ok(Reply::Array(
        log.newest(count)
            .map(|e| {
                Reply::Array(vec![
                    Reply::Int(e.id as i64),
                    Reply::Int(e.time),
                    Reply::Int(e.duration_us),
                    Reply::Array(e.argv.iter().map(Reply::bulk).collect()),
                    Reply::bulk(e.peer.as_bytes()),
                    Reply::bulk(&e.name),
                ])
            })
            .collect(),
    ))
}

/// SLOWLOG LEN
fn slowlog_len(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    Ok(Reply::Int(ctx.server.slowlog().len() as i64))
}

/// SLOWLOG RESET
fn slowlog_reset(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    ctx.server.slowlog_mut().reset();
    Ok(Reply::ok())
}

fn slowlog_help(_: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    Ok(help_lines(
        "SLOWLOG",
        &[
            "GET [<count>]",
            "    The newest <count> entries (default 10, -1 for all): id, Unix time, duration in",
            "    microseconds of world time, the command's arguments, client address, client name.",
            "LEN",
            "    How many entries there are.",
            "RESET",
            "    Empty the slow log.",
        ],
    ))
}

/// LATENCY LATEST
fn latency_latest(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    Ok(Reply::Array(
        ctx.server
            .latency()
            .events()
            .filter_map(|(event, s)| {
                let &(time, ms) = s.samples.back()?;
                Some(Reply::Array(vec![
                    Reply::bulk(event.as_bytes()),
                    Reply::Int(time),
                    Reply::Int(ms),
                    Reply::Int(s.max),
                ]))
            })
            .collect(),
    ))
}

/// LATENCY HISTORY event
fn latency_history(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    Ok(Reply::Array(
        ctx.server
            .latency()
            .series(&argv[2])
            .map(|s| {
                s.samples
                    .iter()
                    .map(|&(t, ms)| Reply::Array(vec![Reply::Int(t), Reply::Int(ms)]))
                    .collect()
            })
            .unwrap_or_default(),
    ))
}

/// LATENCY RESET [event ...]
fn latency_reset(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let l = ctx.server.latency_mut();
    let n = if argv.len() == 2 {
        l.reset(None)
    } else {
        argv[2..].iter().map(|e| l.reset(Some(e))).sum()
    };
    Ok(Reply::Int(n as i64))
}

/// One command's histogram: its calls and, per bucket reached, the µs it stands for and
/// the calls at or below it.
fn histogram_reply(stat: &CommandStat) -> Reply {
    let timed: u64 = stat.timed.iter().sum();
    let mut counts = stat.timed;
    counts[0] += stat.tracked.saturating_sub(timed);
    let mut buckets = Vec::new();
    let mut cumulative = 0;
    for (k, &n) in counts.iter().enumerate() {
        if n == 0 {
            continue;
        }
        cumulative += n;
        buckets.push((
            Reply::Int((latency_bucket_top(k) / 1000) as i64),
            Reply::Int(cumulative as i64),
        ));
    }
    Reply::Map(vec![
        (Reply::bulk(b"calls"), Reply::Int(stat.tracked as i64)),
        (Reply::bulk(b"histogram_usec"), Reply::Map(buckets)),
    ])
}

/// LATENCY HISTOGRAM [command ...]: every command called since the last CONFIG RESETSTAT
/// while `latency-tracking` was on, or the ones named (a container stands for its
/// subcommands too).
fn latency_histogram(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let stats = &ctx.server.stats().commands;
    let entry = |name: &'static str| {
        stats
            .get(name)
            .filter(|s| s.tracked > 0)
            .map(|s| (Reply::bulk(name.as_bytes()), histogram_reply(s)))
    };
    if argv.len() == 2 {
        return Ok(Reply::Map(stats.keys().filter_map(|n| entry(n)).collect()));
    }
    let mut out = Vec::new();
    for name in &argv[2..] {
        let cmd = match name.iter().position(|&b| b == b'|') {
            Some(i) => super::lookup(&name[..i]).and_then(|c| super::lookup_sub(c, &name[i + 1..])),
            None => super::lookup(name),
        };
        let Some(cmd) = cmd else {
            continue;
        };
        out.extend(entry(cmd.name));
        out.extend(cmd.subcommands.iter().filter_map(|s| entry(s.name)));
    }
    Ok(Reply::Map(out))
}

/// LATENCY DOCTOR: a report in words of what the monitor saw.
fn latency_doctor(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    let l = ctx.server.latency();
    let mut text = String::new();
    if l.threshold_ms == 0 {
        text.push_str(
            "The latency monitor is off: CONFIG SET latency-monitor-threshold <milliseconds> turns it on, \
             then every command that takes at least that long is recorded.\n",
        );
    }
    let events: Vec<_> = l.events().collect();
    if events.is_empty() {
        text.push_str("No latency spikes were recorded.\n");
    }
    for (i, (event, s)) in events.iter().enumerate() {
        let n = s.samples.len();
        let avg = s.samples.iter().map(|&(_, ms)| ms).sum::<i64>() / n.max(1) as i64;
        text.push_str(&format!(
            "{}. {event}: {n} latency spikes (average {avg}ms, worst {}ms).\n",
            i + 1,
            s.max
        ));
    }
    if !events.is_empty() {
        text.push_str(
            "\nIn this playground a command takes no world time except DEBUG SLEEP, so every spike \
             here is one. In a real Redis, look at SLOWLOG GET for the commands behind \
             'command' and 'fast-command' spikes: long O(N) commands (KEYS, SMEMBERS of big sets, \
             SORT) stall every other client.\n",
        );
    }
    Ok(Reply::Verbatim(text.into_bytes()))
}

fn latency_help(_: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    Ok(help_lines(
        "LATENCY",
        &[
            "DOCTOR",
            "    A report in words of the latency spikes recorded.",
            "HISTOGRAM [<command> ...]",
            "    Each command's calls and how many took at most each power-of-two number of",
            "    microseconds (all commands called since CONFIG RESETSTAT, or the ones named).",
            "HISTORY <event>",
            "    The samples of <event>: Unix time and milliseconds, oldest first.",
            "LATEST",
            "    Each event's latest sample: event, Unix time, milliseconds, worst ever.",
            "RESET [<event> ...]",
            "    Forget the samples of these events (all events without one).",
        ],
    ))
}

// ---- the table ----

const M: Command = Command {
    name: "",
    arity: 2,
    flags: flags![ADMIN, LOADING, STALE],
    acl: acl![ADMIN, SLOW, DANGEROUS],
    keys: (0, 0, 0),
    key_specs: &[],
    tips: &["nondeterministic_output", "request_policy:all_nodes"],
    group: Group::Server,
    since: "2.2.12",
    complexity: "O(1)",
    summary: "",
    syntax: "",
    handler: slowlog_len,
    subcommands: &[],
    ..BASE
};

const HELP: Command = Command {
    flags: flags![LOADING, STALE],
    acl: acl![SLOW],
    tips: &[],
    since: "6.2.0",
    ..M
};

const L: Command = Command {
    flags: flags![ADMIN, NOSCRIPT, LOADING, STALE],
    tips: &[
        "nondeterministic_output",
        "request_policy:all_nodes",
        "response_policy:special",
    ],
    since: "2.8.13",
    ..M
};

pub const COMMANDS: &[Command] = &[
    Command {
        name: "latency",
        arity: -2,
        flags: flags![],
        acl: acl![SLOW],
        tips: &[],
        since: "2.8.13",
        complexity: "Depends on subcommand.",
        summary: "The latency monitor: events that took at least latency-monitor-threshold ms",
        syntax: "subcommand [arguments]",
        handler: super::container_handler,
        subcommands: &[
            Command {
                name: "latency|doctor",
                summary: "A report in words of the latency spikes recorded",
                handler: latency_doctor,
                ..L
            },
            Command {
                name: "latency|help",
                since: "2.8.13",
                summary: "Show what LATENCY can do",
                handler: latency_help,
                ..HELP
            },
            Command {
                name: "latency|histogram",
                arity: -2,
                since: "7.0.0",
                complexity: "O(N) where N is the number of commands with latency information being retrieved.",
                summary: "Each command's calls and their cumulative latency distribution (µs buckets)",
                syntax: "[command [command ...]]",
                handler: latency_histogram,
                ..L
            },
            Command {
                name: "latency|history",
                arity: 3,
                summary: "The samples of one event: Unix time and milliseconds",
                syntax: "event",
                handler: latency_history,
                ..L
            },
            Command {
                name: "latency|latest",
                summary: "Each event's latest sample and its worst",
                handler: latency_latest,
                ..L
            },
            Command {
                name: "latency|reset",
                arity: -2,
                tips: &["request_policy:all_nodes", "response_policy:all_succeeded"],
                complexity: "O(1)",
                summary: "Forget the samples of some events, or of all; answers how many",
                syntax: "[event [event ...]]",
                handler: latency_reset,
                ..L
            },
        ],
        ..M
    },
    Command {
        name: "slowlog",
        arity: -2,
        flags: flags![],
        acl: acl![SLOW],
        tips: &[],
        complexity: "Depends on subcommand.",
        summary: "The slow log: commands that took at least slowlog-log-slower-than µs",
        syntax: "subcommand [arguments]",
        handler: super::container_handler,
        subcommands: &[
            Command {
                name: "slowlog|get",
                arity: -2,
                tips: &["request_policy:all_nodes", "nondeterministic_output"],
                complexity: "O(N) where N is the number of entries returned",
                summary: "The newest entries of the slow log (10, or count; -1 for all)",
                syntax: "[count]",
                handler: slowlog_get,
                ..M
            },
            Command {
                name: "slowlog|help",
                summary: "Show what SLOWLOG can do",
                handler: slowlog_help,
                ..HELP
            },
            Command {
                name: "slowlog|len",
                tips: &[
                    "request_policy:all_nodes",
                    "response_policy:agg_sum",
                    "nondeterministic_output",
                ],
                summary: "How many entries the slow log has",
                handler: slowlog_len,
                ..M
            },
            Command {
                name: "slowlog|reset",
                tips: &["request_policy:all_nodes", "response_policy:all_succeeded"],
                complexity: "O(N) where N is the number of entries in the slowlog",
                summary: "Empty the slow log",
                handler: slowlog_reset,
                ..M
            },
        ],
        ..M
    },
];
