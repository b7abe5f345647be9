//! CONFIG: the server parameters a learner can read, and the ones that change how this
//! server behaves — `notify-keyspace-events` (keyspace notifications), `hz` (how often
//! the active expiry cycle runs), `hll-sparse-max-bytes` (when a HyperLogLog turns
//! dense), `stream-node-max-*` (stream nodes) and the encoding thresholds (when a set,
//! hash or sorted set leaves its compact encoding). The other parameters of Redis 7.0.15
//! report its defaults (`config/defaults.rs`); setting one is Redis's error for an
//! immutable parameter, and says the playground can't change it otherwise.

use super::args::{pairs, Args};
use super::common::help_lines;
use super::table::{Group, Shape, BASE};
use super::Command;
use crate::error::{CmdError, CmdResult};
use crate::glob::Pattern;
use crate::reply::Reply;
use crate::server::eviction::{ClientsLimit, Policy};
use crate::server::{Ctx, NotifyFlags, Server};
use crate::types::Encodings;

mod defaults;
use defaults::DEFAULTS;

// ---- data operations ----

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
    let ev = server.eviction();
    all.push(("maxmemory", ev.maxmemory.to_string()));
    all.push(("maxmemory-policy", ev.policy.name().to_string()));
    all.push(("maxmemory-samples", ev.samples.to_string()));
    all.push(("maxmemory-clients", ev.clients.text()));
    all.push(("lfu-log-factor", ev.lfu_log_factor.to_string()));
    all.push(("lfu-decay-time", ev.lfu_decay_time.to_string()));
    all.push((
        "slowlog-log-slower-than",
        server.slowlog().log_slower_than.to_string(),
    ));
    all.push(("slowlog-max-len", server.slowlog().max_len.to_string()));
    all.push((
        "latency-monitor-threshold",
        server.latency().threshold_ms.to_string(),
    ));
    all.push((
        "tracking-table-max-keys",
        server.tracking().max_keys.to_string(),
    ));
    let busy = server.busy_reply_threshold_ms().to_string();
    all.push(("busy-reply-threshold", busy.clone()));
    all.push(("lua-time-limit", busy));
    all.push((
        "requirepass",
        String::from_utf8_lossy(server.requirepass()).into_owned(),
    ));
    all.push(("acllog-max-len", server.acl().log_max_len.to_string()));
    let tracking = if server.latency().tracking {
        "yes"
    } else {
        "no"
    };
    all.push(("latency-tracking", tracking.to_string()));
    let enc = server.encodings();
    for p in ENCODING_PARAMS {
        let v = (p.get)(&enc).to_string();
        all.push((p.name, v.clone()));
        if let Some(alias) = p.alias {
            all.push((alias, v));
        }
    }
    let defaults: Vec<(&'static str, String)> = DEFAULTS
        .iter()
        .filter(|(k, _, _)| !all.iter().any(|(live, _)| live == k))
        .map(|(k, v, _)| (*k, v.to_string()))
        .collect();
    all.extend(defaults);
    all
}

/// How an encoding parameter's value is read and bounded, as Redis declares it.
enum Kind {
    /// A size_t between 0 and LONG_MAX; `memory` ones also take units (`64kb`).
    Size { memory: bool },
    /// An int between these bounds.
    Int(i64, i64),
}

/// An encoding parameter: its name, its old (ziplist) alias, and where it lives.
struct EncodingParam {
    name: &'static str,
    alias: Option<&'static str>,
    kind: Kind,
    get: fn(&Encodings) -> i64,
    set: fn(&mut Encodings, i64),
}

const ENCODING_PARAMS: &[EncodingParam] = &[
    EncodingParam {
        name: "hash-max-listpack-entries",
        alias: Some("hash-max-ziplist-entries"),
        kind: Kind::Size { memory: false },
        get: |e| e.hash_max_listpack_entries as i64,
        set: |e, v| e.hash_max_listpack_entries = v as usize,
    },
    EncodingParam {
        name: "hash-max-listpack-value",
        alias: Some("hash-max-ziplist-value"),
        kind: Kind::Size { memory: true },
        get: |e| e.hash_max_listpack_value as i64,
        set: |e, v| e.hash_max_listpack_value = v as usize,
    },
    EncodingParam {
        name: "set-max-intset-entries",
        alias: None,
        kind: Kind::Size { memory: false },
        get: |e| e.set_max_intset_entries as i64,
        set: |e, v| e.set_max_intset_entries = v as usize,
    },
    EncodingParam {
        name: "zset-max-listpack-entries",
        alias: Some("zset-max-ziplist-entries"),
        kind: Kind::Size { memory: false },
        get: |e| e.zset_max_listpack_entries as i64,
        set: |e, v| e.zset_max_listpack_entries = v as usize,
    },
    EncodingParam {
        name: "zset-max-listpack-value",
        alias: Some("zset-max-ziplist-value"),
        kind: Kind::Size { memory: true },
        get: |e| e.zset_max_listpack_value as i64,
        set: |e, v| e.zset_max_listpack_value = v as usize,
    },
    EncodingParam {
        name: "list-max-listpack-size",
        alias: Some("list-max-ziplist-size"),
        kind: Kind::Int(i32::MIN as i64, i32::MAX as i64),
        get: |e| e.list_max_listpack_size,
        set: |e, v| e.list_max_listpack_size = v,
    },
    EncodingParam {
        name: "list-compress-depth",
        alias: None,
        kind: Kind::Int(0, i32::MAX as i64),
        get: |e| e.list_compress_depth,
        set: |e, v| e.list_compress_depth = v,
    },
];

/// The encoding parameter named (or aliased) `name`.
fn encoding_param(name: &[u8]) -> Option<&'static EncodingParam> {
    ENCODING_PARAMS
        .iter()
        .find(|p| p.name.as_bytes() == name || p.alias.is_some_and(|a| a.as_bytes() == name))
}

/// A value for `p`, read and bounded as Redis does, or its error.
fn encoding_value(p: &EncodingParam, param: &[u8], value: &[u8]) -> CmdResult<i64> {
    match p.kind {
        Kind::Size { memory: true } => memory_param(param, value).map(|n| n as i64),
        Kind::Size { memory: false } => int_param(param, value, 0),
        Kind::Int(lo, hi) => int_param_between(param, value, lo, hi),
    }
}

/// A memory value as Redis's `memtoull` reads it: digits with an optional unit (b, k, kb,
/// m, mb, g, gb in any case); an empty number is 0, an overflow wraps as in C. None when
/// it is not one.
pub(crate) fn memory_value(text: &[u8]) -> Option<u64> {
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

/// An integer parameter from `min` to `max` (Redis's int configs), or Redis's error.
fn int_param_between(param: &[u8], value: &[u8], min: i64, max: i64) -> CmdResult<i64> {
    let v = crate::num::parse_i64(value)
        .ok_or_else(|| set_failed(param, "argument couldn't be parsed into an integer"))?;
    if !(min..=max).contains(&v) {
        return Err(set_failed(
            param,
            &format!("argument must be between {min} and {max} inclusive"),
        ));
    }
    Ok(v)
}

/// An integer parameter from `min` to LLONG_MAX (Redis's long long and unsigned long
/// configs), or Redis's error.
fn int_param(param: &[u8], value: &[u8], min: i64) -> CmdResult<i64> {
    int_param_between(param, value, min, i64::MAX)
}

/// `maxmemory-clients`: a memory value, or a percentage of maxmemory (`5%`, up to 100).
fn clients_limit(param: &[u8], value: &[u8]) -> CmdResult<ClientsLimit> {
    if let Some(digits) = value.strip_suffix(b"%") {
        return match crate::num::parse_i64(digits) {
            Some(p) if p > 100 => Err(set_failed(
                param,
                "percentage argument must be less or equal to 100",
            )),
            Some(0) => Ok(ClientsLimit::Off),
            Some(p) if p > 0 => Ok(ClientsLimit::Percent(p as u64)),
            _ => Err(set_failed(
                param,
                "argument must be a memory or percent value",
            )),
        };
    }
    match memory_value(value) {
        Some(0) => Ok(ClientsLimit::Off),
        Some(n) if n <= i64::MAX as u64 => Ok(ClientsLimit::Bytes(n)),
        _ => Err(set_failed(
            param,
            "argument must be a memory or percent value",
        )),
    }
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
    let mut encodings = ctx.server.encodings();
    let mut eviction = ctx.server.eviction();
    let mut slow_than = None;
    let mut slow_len = None;
    let mut latency = None;
    let mut busy = None;
    let mut tracking_keys = None;
    let mut tracking = None;
    let mut requirepass = None;
    let mut acllog_max_len = None;
    let mut seen: Vec<Vec<u8>> = Vec::new();
    // Passwords are hidden from MONITOR and SLOWLOG, whatever else the line does.
    for (i, (param, _)) in pairs(rest).enumerate() {
        if param.eq_ignore_ascii_case(b"requirepass") || param.eq_ignore_ascii_case(b"masterauth") {
            ctx.redact(2 + 2 * i + 1);
        }
    }
    for (param, value) in pairs(rest) {
        let lower = param.to_ascii_lowercase();
        // A parameter and its old alias are two entries of Redis's table: both may be
        // given, and the last one wins.
        if seen.contains(&lower) {
            return Err(set_failed(param, "duplicate parameter"));
        }
        seen.push(lower.clone());
        if let Some(p) = encoding_param(&lower) {
            (p.set)(&mut encodings, encoding_value(p, param, value)?);
            continue;
        }
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
            b"maxmemory-clients" => eviction.clients = clients_limit(param, value)?,
            b"maxmemory" => {
                eviction.maxmemory = memory_value(value)
                    .ok_or_else(|| set_failed(param, "argument must be a memory value"))?
            }
            b"maxmemory-policy" => {
                eviction.policy = Policy::parse(value).ok_or_else(|| {
                    let names: Vec<&str> = Policy::ALL.iter().map(|p| p.name()).collect();
                    set_failed(
                        param,
                        &format!(
                            "argument(s) must be one of the following: {}",
                            names.join(", ")
                        ),
                    )
                })?
            }
            b"maxmemory-samples" => {
                eviction.samples = int_param_between(param, value, 1, i32::MAX as i64)? as u32
            }
            b"lfu-log-factor" => {
                eviction.lfu_log_factor = int_param_between(param, value, 0, i32::MAX as i64)?
            }
            b"lfu-decay-time" => {
                eviction.lfu_decay_time = int_param_between(param, value, 0, i32::MAX as i64)?
            }
            b"slowlog-log-slower-than" => slow_than = Some(int_param(param, value, -1)?),
            b"slowlog-max-len" => slow_len = Some(int_param(param, value, 0)?),
            b"latency-monitor-threshold" => latency = Some(int_param(param, value, 0)?),
            b"latency-tracking" => {
                tracking = Some(match value.to_ascii_lowercase().as_slice() {
                    b"yes" => true,
                    b"no" => false,
                    _ => return Err(set_failed(param, "argument must be 'yes' or 'no'")),
                })
            }
            b"requirepass" => requirepass = Some(value.to_vec()),
            b"acllog-max-len" => acllog_max_len = Some(int_param(param, value, 0)?),
            b"hll-sparse-max-bytes" => hll_sparse = Some(memory_param(param, value)?),
            b"busy-reply-threshold" | b"lua-time-limit" => busy = Some(int_param(param, value, 0)?),
            b"tracking-table-max-keys" => tracking_keys = Some(int_param(param, value, 0)?),
            b"stream-node-max-bytes" => stream_limits.max_bytes = memory_param(param, value)?,
            b"stream-node-max-entries" => stream_limits.max_entries = int_param(param, value, 0)?,
            name if DEFAULTS.iter().any(|(k, _, _)| k.as_bytes() == name) => {
                let immutable = DEFAULTS.iter().any(|(k, _, i)| *i && k.as_bytes() == name);
                return Err(set_failed(
                    param,
                    if immutable {
                        "can't set immutable config"
                    } else {
                        "this parameter can't be changed in Redis Playground"
                    },
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
    if let Some(ms) = busy {
        ctx.server.set_busy_reply_threshold_ms(ms);
    }
    if let Some(n) = tracking_keys {
        ctx.server.tracking_mut().max_keys = n as usize;
    }
    ctx.server.set_stream_limits(stream_limits);
    ctx.server.set_encodings(encodings);
    ctx.server.configure_eviction(eviction);
    if seen.iter().any(|p| p == b"maxmemory") {
        ctx.server.maxmemory_set(ctx.now);
    }
    if let Some(v) = slow_than {
        ctx.server.slowlog_mut().log_slower_than = v;
    }
    if let Some(v) = slow_len {
        ctx.server.slowlog_mut().max_len = v as u64;
    }
    if let Some(v) = latency {
        ctx.server.latency_mut().threshold_ms = v;
    }
    if let Some(on) = tracking {
        ctx.server.latency_mut().tracking = on;
    }
    if let Some(pass) = requirepass {
        ctx.server.set_requirepass(&pass);
    }
    if let Some(n) = acllog_max_len {
        ctx.server.acl_mut().log_max_len = usize::try_from(n).unwrap_or(usize::MAX);
    }
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
            "    Change a parameter (here: notify-keyspace-events, hz, hll-sparse-max-bytes, stream-node-max-*,",
            "    the encoding thresholds *-max-listpack-*, *-max-ziplist-*, set-max-intset-entries and",
            "    list-compress-depth).",
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
