//! MEMORY: what a key would take in Redis 7.0 (`types::usage`), and the allocator's
//! subcommands, answered as far as they make sense without Redis's allocator. MEMORY
//! STATS waits for the server-wide memory model (README: what differs).

use super::args::int_arg;
use super::common::help_lines;
use super::table::{key, Group, BASE};
use super::Command;
use crate::error::{CmdError, CmdResult};
use crate::reply::Reply;
use crate::server::Ctx;
use crate::types::usage::memory_usage;

// ---- command handlers ----

/// MEMORY USAGE key [SAMPLES count]
fn memory_usage_cmd(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut samples: usize = 5;
    let mut j = 3;
    while j < argv.len() {
        if argv[j].eq_ignore_ascii_case(b"samples") && j + 1 < argv.len() {
            let n = int_arg(&argv[j + 1])?;
            if n < 0 {
                return Err(CmdError::Syntax);
            }
            samples = usize::try_from(n).unwrap_or(usize::MAX);
            j += 2;
        } else {
            return Err(CmdError::Syntax);
        }
    }
    let enc = ctx.server.encodings();
    let node_max_bytes = ctx.server.stream_limits().max_bytes;
    let now = ctx.now;
    let Some(e) = ctx.db().peek(&argv[2], now) else {
        return Ok(Reply::Nil);
    };
    Ok(Reply::Int(
        memory_usage(&argv[2], &e.value, samples, &enc, node_max_bytes) as i64,
    ))
}

/// MEMORY DOCTOR: a report in words.
fn memory_doctor(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    let keys: usize = ctx.server.dbs().iter().map(|d| d.len()).sum();
    let text = format!(
        "This playground holds {keys} keys. MEMORY USAGE <key> tells what one of them would take \
         in Redis 7.0 (its structures, allocator size classes and encodings); switch a big \
         collection's encoding with the *-max-listpack-* thresholds (CONFIG SET) and compare. \
         There is no allocator fragmentation or replication buffer here to report on.\n"
    );
    Ok(Reply::Bulk(text.into_bytes()))
}

/// MEMORY MALLOC-STATS: Redis's answer when its allocator has no report to give.
fn memory_malloc_stats(_: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    Ok(Reply::Bulk(
        b"Stats not supported for the current allocator".to_vec(),
    ))
}

/// MEMORY PURGE: nothing to give back to the system.
fn memory_purge(_: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    Ok(Reply::ok())
}

fn memory_help(_: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    Ok(help_lines(
        "MEMORY",
        &[
            "DOCTOR",
            "    A report in words about the memory.",
            "MALLOC-STATS",
            "    The allocator's own report (none here).",
            "PURGE",
            "    Ask the allocator to give unused pages back (nothing to do here).",
            "USAGE <key> [SAMPLES <count>]",
            "    The bytes <key> and its value would take in Redis 7.0; big collections are",
            "    estimated from <count> elements (default 5, 0 for all).",
        ],
    ))
}

// ---- the table ----

const MEM: Command = Command {
    name: "",
    arity: 2,
    flags: flags![],
    acl: acl![SLOW],
    keys: (0, 0, 0),
    key_specs: &[],
    tips: &[
        "nondeterministic_output",
        "request_policy:all_shards",
        "response_policy:special",
    ],
    group: Group::Server,
    since: "4.0.0",
    complexity: "O(1)",
    summary: "",
    syntax: "",
    handler: memory_help,
    subcommands: &[],
    ..BASE
};

pub const COMMANDS: &[Command] = &[Command {
    name: "memory",
    arity: -2,
    tips: &[],
    complexity: "Depends on subcommand.",
    summary: "What keys would take in Redis's memory, and the allocator's reports",
    syntax: "subcommand [arguments]",
    handler: super::container_handler,
    subcommands: &[
        Command {
            name: "memory|doctor",
            summary: "A report in words about the memory",
            handler: memory_doctor,
            ..MEM
        },
        Command {
            name: "memory|help",
            flags: flags![LOADING, STALE],
            tips: &[],
            summary: "Show what MEMORY can do",
            handler: memory_help,
            ..MEM
        },
        Command {
            name: "memory|malloc-stats",
            complexity: "Depends on how much memory is allocated, could be slow",
            summary: "The allocator's own report (none here)",
            handler: memory_malloc_stats,
            ..MEM
        },
        Command {
            name: "memory|purge",
            tips: &["request_policy:all_shards", "response_policy:all_succeeded"],
            complexity: "Depends on how much memory is allocated, could be slow",
            summary: "Give unused allocator pages back (nothing to do here)",
            handler: memory_purge,
            ..MEM
        },
        Command {
            name: "memory|usage",
            arity: -3,
            flags: flags![READONLY],
            acl: acl![READ, SLOW],
            keys: (2, 2, 1),
            key_specs: &[key(2, key_flags![RO])],
            tips: &[],
            complexity: "O(N) where N is the number of samples.",
            summary: "The bytes a key and its value would take in Redis 7.0",
            syntax: "key [SAMPLES count]",
            handler: memory_usage_cmd,
            ..MEM
        },
    ],
    ..MEM
}];
