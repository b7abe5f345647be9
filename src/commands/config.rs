//! CONFIG: the server parameters a learner can read, and the ones that change how this
//! server behaves — `notify-keyspace-events` (keyspace notifications), `hz` (how often
//! the active expiry cycle runs) and `hll-sparse-max-bytes` (when a HyperLogLog turns
//! dense). The other parameters report Redis 7.0.15's defaults.

use super::args::{pairs, Args};
use super::common::help_lines;
use super::table::{Group, Shape, BASE};
use super::Command;
use crate::error::{CmdError, CmdResult};
use crate::glob::Pattern;
use crate::reply::Reply;
use crate::server::{Ctx, NotifyFlags, Server};

// ---- data operations ----

/// Parameters with fixed values: Redis 7.0.15's defaults as Debian's server reports them
/// (the encoding thresholds are the ones the engine uses).
const FIXED: &[(&str, &str)] = &[
    ("databases", "16"),
    ("save", ""),
    ("appendonly", "no"),
    ("maxmemory", "0"),
    ("maxmemory-policy", "noeviction"),
    ("maxmemory-samples", "5"),
    ("maxclients", "10000"),
    ("timeout", "0"),
    ("port", "6379"),
    ("bind", "127.0.0.1"),
    ("proto-max-bulk-len", "536870912"),
    ("list-max-listpack-size", "-2"),
    ("list-max-ziplist-size", "-2"),
    ("hash-max-listpack-entries", "512"),
    ("hash-max-ziplist-entries", "512"),
    ("hash-max-listpack-value", "64"),
    ("hash-max-ziplist-value", "64"),
    ("set-max-intset-entries", "512"),
    ("zset-max-listpack-entries", "128"),
    ("zset-max-ziplist-entries", "128"),
    ("zset-max-listpack-value", "64"),
    ("zset-max-ziplist-value", "64"),
    ("lazyfree-lazy-expire", "no"),
    ("active-expire-effort", "1"),
];

/// Every parameter with its current value.
fn parameters(server: &Server) -> Vec<(&'static str, String)> {
    let mut all = vec![
        ("notify-keyspace-events", server.notify_flags().letters()),
        ("hz", server.hz().to_string()),
        (
            "hll-sparse-max-bytes",
            server.hll_sparse_max_bytes().to_string(),
        ),
        (
            "stream-node-max-bytes",
            server.stream_limits().max_bytes.to_string(),
        ),
        (
            "stream-node-max-entries",
            server.stream_limits().max_entries.to_string(),
        ),
    ];
    all.extend(FIXED.iter().map(|(k, v)| (*k, v.to_string())));
    all
}

/// A memory value as Redis's `memtoull` reads it: digits with an optional unit (b, k, kb,
/// m, mb, g, gb in any case); an empty number is 0, an overflow wraps as in C. None when
/// it is not one.
fn memory_value(text: &[u8]) -> Option<u64> {
    let digits = text.iter().take_while(|b| b.is_ascii_digit()).count();
    let unit = text[digits..].to_ascii_lowercase();
    let mul: u64 = match unit.as_slice() {
        b"" | b"b" => 1,
        b"k" => 1000,
        b"kb" => 1024,
        b"m" => 1000 * 1000,
        b"mb" => 1024 * 1024,
        b"g" => 1000 * 1000 * 1000,
        b"gb" => 1024 * 1024 * 1024,
        _ => return None,
    };
    let n = text[..digits].iter().try_fold(0u64, |n, d| {
        n.checked_mul(10)?.checked_add(u64::from(d - b'0'))
    });
    Some(n.unwrap_or(u64::MAX).wrapping_mul(mul))
}

/// A memory parameter's value between 0 and LONG_MAX, or Redis's error.
fn memory_param(param: &[u8], value: &[u8]) -> CmdResult<u64> {
    let n =
        memory_value(value).ok_or_else(|| set_failed(param, "argument must be a memory value"))?;
    if n > i64::MAX as u64 {
        return Err(set_failed(
            param,
            "argument must be between 0 and 9223372036854775807 inclusive",
        ));
    }
    Ok(n)
}

fn set_failed(param: &[u8], why: &str) -> CmdError {
    CmdError::Err(format!(
        "CONFIG SET failed (possibly related to argument '{}') - {why}",
        String::from_utf8_lossy(param)
    ))
}

// ---- command handlers ----

/// CONFIG GET parameter [parameter ...]
fn config_get(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let patterns: Vec<Pattern> = Args::of_sub(argv)
        .rest()
        .iter()
        .map(|p| Pattern::new(&p.to_ascii_lowercase()))
        .collect();
    let mut out = Vec::new();
    for (name, value) in parameters(ctx.server) {
        if patterns.iter().any(|p| p.matches(name.as_bytes())) {
            out.push((Reply::bulk(name), Reply::bulk(value)));
        }
    }
    Ok(Reply::Map(out))
}

/// CONFIG SET parameter value [parameter value ...] — all or nothing.
fn config_set(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let rest = Args::of_sub(argv).rest();
    if !rest.len().is_multiple_of(2) {
        return Err(CmdError::Syntax);
    }
    let mut notify = None;
    let mut hz = None;
    let mut hll_sparse = None;
    let mut stream_limits = ctx.server.stream_limits();
    let mut seen: Vec<Vec<u8>> = Vec::new();
    for (param, value) in pairs(rest) {
        let lower = param.to_ascii_lowercase();
        if seen.contains(&lower) {
            return Err(set_failed(param, "duplicate parameter"));
        }
        seen.push(lower.clone());
        match lower.as_slice() {
            b"notify-keyspace-events" => {
                notify = Some(NotifyFlags::parse(value).ok_or_else(|| {
                    set_failed(
                        param,
                        "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.",
                    )
                })?)
            }
            b"hz" => {
                let v = crate::num::parse_i64(value).ok_or_else(|| {
                    set_failed(param, "argument couldn't be parsed into an integer")
                })?;
                if !(0..=i32::MAX as i64).contains(&v) {
                    return Err(set_failed(
                        param,
                        "argument must be between 0 and 2147483647 inclusive",
                    ));
                }
                hz = Some(v.clamp(1, 500) as u32);
            }
            b"hll-sparse-max-bytes" => hll_sparse = Some(memory_param(param, value)?),
            b"stream-node-max-bytes" => stream_limits.max_bytes = memory_param(param, value)?,
            b"stream-node-max-entries" => {
                let v = crate::num::parse_i64(value).ok_or_else(|| {
                    set_failed(param, "argument couldn't be parsed into an integer")
                })?;
                if v < 0 {
                    return Err(set_failed(
                        param,
                        "argument must be between 0 and 9223372036854775807 inclusive",
                    ));
                }
                stream_limits.max_entries = v;
            }
            name if FIXED.iter().any(|(k, _)| k.as_bytes() == name) => {
                return Err(set_failed(
                    param,
                    "this parameter can't be changed in Redis Playground",
                ));
            }
            _ => {
                return Err(CmdError::Err(format!(
                    "Unknown option or number of arguments for CONFIG SET - '{}'",
                    String::from_utf8_lossy(param)
                )))
            }
        }
    }
    if let Some(f) = notify {
        ctx.server.set_notify_flags(f);
    }
    if let Some(h) = hz {
        ctx.server.set_hz(h);
    }
    if let Some(n) = hll_sparse {
        ctx.server.set_hll_sparse_max_bytes(n);
    }
    ctx.server.set_stream_limits(stream_limits);
    Ok(Reply::ok())
}

/// CONFIG RESETSTAT
fn config_resetstat(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    ctx.server.reset_stats();
    Ok(Reply::ok())
}

/// CONFIG REWRITE
fn config_rewrite(_: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    Err(CmdError::Err(
        "The server is running without a config file".into(),
    ))
}

/// CONFIG HELP
fn config_help(_: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    Ok(help_lines(
        "CONFIG",
        &[
            "GET <pattern>",
            "    The parameters whose names match the glob <pattern>, with their values.",
            "SET <directive> <value>",
            "    Change a parameter (here: notify-keyspace-events, hz, hll-sparse-max-bytes, stream-node-max-*).",
            "RESETSTAT",
            "    Zero the statistics INFO reports.",
            "REWRITE",
            "    Write the configuration file (there is none in a playground).",
        ],
    ))
}

// ---- the table ----

const C: Command = Command {
    name: "",
    arity: 2,
    flags: flags![ADMIN, NOSCRIPT, LOADING, STALE],
    acl: acl![ADMIN, SLOW, DANGEROUS],
    keys: (0, 0, 0),
    key_specs: &[],
    tips: &[],
    group: Group::Server,
    since: "2.0.0",
    complexity: "O(1)",
    summary: "",
    syntax: "",
    handler: config_help,
    subcommands: &[],
    ..BASE
};

pub const COMMANDS: &[Command] = &[Command {
    name: "config",
    arity: -2,
    flags: flags![],
    acl: acl![SLOW],
    complexity: "Depends on subcommand.",
    summary: "Read and change server parameters",
    syntax: "subcommand [arguments]",
    handler: super::container_handler,
    subcommands: &[
        Command {
            name: "config|get",
            shape: Shape::Pairs("field", "value"),
            arity: -3,
            complexity: "O(N) when N is the number of configuration parameters provided",
            summary: "The parameters matching glob patterns, with their values",
            syntax: "parameter [parameter ...]",
            handler: config_get,
            ..C
        },
        Command {
            name: "config|help",
            flags: flags![LOADING, STALE],
            acl: acl![SLOW],
            since: "5.0.0",
            summary: "Show what CONFIG can do",
            handler: config_help,
            ..C
        },
        Command {
            name: "config|resetstat",
            summary: "Zero the statistics INFO reports",
            handler: config_resetstat,
            ..C
        },
        Command {
            name: "config|rewrite",
            since: "2.8.0",
            summary: "Write the configuration file (none exists here)",
            handler: config_rewrite,
            ..C
        },
        Command {
            name: "config|set",
            arity: -4,
            tips: &["request_policy:all_nodes", "response_policy:all_succeeded"],
            complexity: "O(N) when N is the number of configuration parameters provided",
            summary: "Change parameters: notify-keyspace-events, hz, hll-sparse-max-bytes, stream-node-max-bytes/-entries",
            syntax: "parameter value [parameter value ...]",
            handler: config_set,
            ..C
        },
    ],
    ..C
}];
