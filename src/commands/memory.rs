//! MEMORY and INFO memory: what keys would take in Redis 7.0 (`types::usage`), the
//! server's total (`Server::used_memory`: an empty Redis's memory, the key tables and
//! every key), and the allocator's subcommands, answered as far as they make sense
//! without Redis's allocator (no fragmentation, RSS equal to what is used).

use super::args::int_arg;
use super::common::help_lines;
use super::table::{key, Group, BASE};
use super::Command;
use crate::error::{CmdError, CmdResult};
use crate::reply::Reply;
use crate::server::{keyspace_slots, Ctx, Server};
use crate::types::usage::memory_usage;

// ---- data operations ----

/// Bytes as Redis shows them for people (`bytesToHuman`): `200B`, `1.21M`.
pub fn bytes_to_human(n: u64) -> String {
    const UNITS: [(u64, &str); 5] = [
        (1 << 10, "K"),
        (1 << 20, "M"),
        (1 << 30, "G"),
        (1 << 40, "T"),
        (1 << 50, "P"),
    ];
    if n < 1024 {
        return format!("{n}B");
    }
    for (i, &(unit, name)) in UNITS.iter().enumerate() {
        if i + 1 == UNITS.len() || n < unit << 10 {
            return format!("{:.2}{name}", n as f64 / unit as f64);
        }
    }
    format!("{n}B")
}

/// The overheads Redis's MEMORY STATS lists per db: its main dict (entries, slots and
/// key objects) and its expires dict.
fn db_overheads(db: &crate::db::Db) -> (u64, u64) {
    let (keys, expires) = (db.len() as u64, db.expires_len() as u64);
    (
        keys * (24 + 16) + 8 * keyspace_slots(db.len()),
        expires * 24 + 8 * keyspace_slots(db.expires_len()),
    )
}

/// `a` as a percentage of `b` (0 when `b` is).
fn percent(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 * 100.0 / b as f64
    }
}

/// The figures of INFO memory and MEMORY STATS.
struct Figures {
    used: u64,
    peak: u64,
    startup: u64,
    overhead: u64,
    keys: u64,
}

fn figures(s: &Server) -> Figures {
    let startup = s.memory_startup();
    let overhead = startup
        + s.dbs()
            .iter()
            .map(|d| {
                let (main, expires) = db_overheads(d);
                main + expires
            })
            .sum::<u64>();
    let used = s.used_memory().max(overhead);
    Figures {
        used,
        peak: s.memory_peak().max(used),
        startup,
        overhead,
        keys: s.dbs().iter().map(|d| d.len() as u64).sum(),
    }
}

/// INFO's memory section: the model's used memory (`types::usage`), as Redis 7.0
/// words it; allocator and RSS figures equal it (there is no allocator of Redis's here).
pub fn info_section(s: &Server) -> String {
    let f = figures(s);
    let dataset = f.used - f.overhead;
    let (maxmemory, policy) = (s.maxmemory(), s.maxmemory_policy().name());
    format!(
        "# Memory\r\nused_memory:{used}\r\nused_memory_human:{used_h}\r\nused_memory_rss:{used}\r\nused_memory_rss_human:{used_h}\r\n\
         used_memory_peak:{peak}\r\nused_memory_peak_human:{peak_h}\r\nused_memory_peak_perc:{peak_pct:.2}%\r\n\
         used_memory_overhead:{overhead}\r\nused_memory_startup:{startup}\r\nused_memory_dataset:{dataset}\r\n\
         used_memory_dataset_perc:{dataset_pct:.2}%\r\nallocator_allocated:{used}\r\nallocator_active:{used}\r\n\
         allocator_resident:{used}\r\n{scripts}maxmemory:{maxmemory}\r\nmaxmemory_human:{max_h}\r\nmaxmemory_policy:{policy}\r\n\
         allocator_frag_ratio:1.00\r\nallocator_frag_bytes:0\r\nallocator_rss_ratio:1.00\r\nallocator_rss_bytes:0\r\n\
         rss_overhead_ratio:1.00\r\nrss_overhead_bytes:0\r\nmem_fragmentation_ratio:1.00\r\nmem_fragmentation_bytes:0\r\n\
         mem_not_counted_for_evict:0\r\nmem_replication_backlog:0\r\nmem_total_replication_buffers:0\r\n\
         mem_clients_slaves:0\r\nmem_clients_normal:0\r\nmem_cluster_links:0\r\nmem_aof_buffer:0\r\n\
         mem_allocator:playground-model\r\nactive_defrag_running:0\r\nlazyfree_pending_objects:0\r\nlazyfreed_objects:{lazyfreed}\r\n",
        used = f.used,
        used_h = bytes_to_human(f.used),
        peak = f.peak,
        peak_h = bytes_to_human(f.peak),
        peak_pct = percent(f.used, f.peak),
        overhead = f.overhead,
        startup = f.startup,
        dataset = dataset,
        dataset_pct = percent(dataset, f.used - f.startup),
        max_h = bytes_to_human(maxmemory),
        lazyfreed = s.stats().lazyfreed_objects,
        scripts = scripts_section(s),
    )
}

/// INFO memory's scripting lines, in Redis 7.0's order. The Lua states' sizes are a model
/// (an empty state is 32 KiB in Redis; each script or function adds about a kilobyte);
/// the caches count their bodies as Redis does.
fn scripts_section(s: &Server) -> String {
    let sc = s.scripting();
    let scripts = sc.eval.len() as u64;
    let (libs, funcs) = (
        sc.functions.libraries.len() as u64,
        sc.functions.function_count() as u64,
    );
    let vm_eval = 32_768 + 1024 * scripts;
    let vm_functions = 33_792 + 1024 * funcs;
    let scripts_eval = sc.eval.memory() as u64;
    let functions = 200
        + sc.functions
            .codes()
            .iter()
            .map(|c| c.len() as u64 + 96)
            .sum::<u64>();
    format!(
        "used_memory_lua:{vm_eval}\r\nused_memory_vm_eval:{vm_eval}\r\nused_memory_lua_human:{}\r\n\
         used_memory_scripts_eval:{scripts_eval}\r\nnumber_of_cached_scripts:{scripts}\r\n\
         number_of_functions:{funcs}\r\nnumber_of_libraries:{libs}\r\nused_memory_vm_functions:{vm_functions}\r\n\
         used_memory_vm_total:{}\r\nused_memory_vm_total_human:{}\r\nused_memory_functions:{functions}\r\n\
         used_memory_scripts:{}\r\nused_memory_scripts_human:{}\r\n",
        bytes_to_human(vm_eval),
        vm_eval + vm_functions,
        bytes_to_human(vm_eval + vm_functions),
        scripts_eval + functions,
        bytes_to_human(scripts_eval + functions),
    )
}

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

/// MEMORY STATS: Redis's map of the memory figures, from the model.
fn memory_stats(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    let s = &*ctx.server;
    let f = figures(s);
    let b = |t: &str| Reply::bulk(t.as_bytes());
    let int = |n: u64| Reply::Int(n as i64);
    let mut out = vec![
        (b("peak.allocated"), int(f.peak)),
        (b("total.allocated"), int(f.used)),
        (b("startup.allocated"), int(f.startup)),
        (b("replication.backlog"), int(0)),
        (b("clients.slaves"), int(0)),
        (b("clients.normal"), int(0)),
        (b("cluster.links"), int(0)),
        (b("aof.buffer"), int(0)),
        (b("lua.caches"), int(0)),
        (b("functions.caches"), int(0)),
    ];
    for (i, d) in s.dbs().iter().enumerate() {
        if d.is_empty() {
            continue;
        }
        let (main, expires) = db_overheads(d);
        out.push((
            Reply::bulk(format!("db.{i}").as_bytes()),
            Reply::Map(vec![
                (b("overhead.hashtable.main"), int(main)),
                (b("overhead.hashtable.expires"), int(expires)),
                (b("overhead.hashtable.slot-to-keys"), int(0)),
            ]),
        ));
    }
    let dataset = f.used - f.overhead;
    out.extend([
        (b("overhead.total"), int(f.overhead)),
        (b("keys.count"), int(f.keys)),
        (
            b("keys.bytes-per-key"),
            int((f.used - f.startup).checked_div(f.keys).unwrap_or(0)),
        ),
        (b("dataset.bytes"), int(dataset)),
        (
            b("dataset.percentage"),
            Reply::Double(percent(dataset, f.used - f.startup)),
        ),
        (b("peak.percentage"), Reply::Double(percent(f.used, f.peak))),
        (b("allocator.allocated"), int(f.used)),
        (b("allocator.active"), int(f.used)),
        (b("allocator.resident"), int(f.used)),
        (b("allocator-fragmentation.ratio"), Reply::Double(1.0)),
        (b("allocator-fragmentation.bytes"), int(0)),
        (b("allocator-rss.ratio"), Reply::Double(1.0)),
        (b("allocator-rss.bytes"), int(0)),
        (b("rss-overhead.ratio"), Reply::Double(1.0)),
        (b("rss-overhead.bytes"), int(0)),
        (b("fragmentation"), Reply::Double(1.0)),
        (b("fragmentation.bytes"), int(0)),
    ]);
    Ok(Reply::Map(out))
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
    Ok(Reply::Verbatim(text.into_bytes()))
}

/// MEMORY MALLOC-STATS: Redis's answer when its allocator has no report to give.
fn memory_malloc_stats(_: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    Ok(Reply::Verbatim(
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
            "STATS",
            "    The server's memory figures, as Redis 7.0 would report them for this data.",
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
            name: "memory|stats",
            summary: "The server's memory figures (from the model of Redis's memory)",
            handler: memory_stats,
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
