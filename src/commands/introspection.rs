//! Asking the server about itself: COMMAND (INFO, DOCS, LIST, COUNT, GETKEYS), whose
//! answers are generated from the command table, INFO and TIME.

use super::args::{is, Args, Word};
use super::common::help_lines;
use super::table::{Acl, Begin, Find, Flags, Group, KeyFlags, KeySpec};
use super::{keyspec, Command};
use crate::error::{CmdError, CmdResult};
use crate::reply::Reply;
use crate::server::Ctx;

// ---- data operations ----

fn status_set<'a>(words: impl Iterator<Item = &'a str>) -> Reply {
    Reply::Set(words.map(|w| Reply::status(w.to_string())).collect())
}

/// One key spec as COMMAND INFO shows it.
fn key_spec_reply(spec: &KeySpec) -> Reply {
    let b = |s: &str| Reply::bulk(s);
    let map = |kind: &str, spec: Vec<(Reply, Reply)>| {
        Reply::Map(vec![(b("type"), b(kind)), (b("spec"), Reply::Map(spec))])
    };
    let begin = match spec.begin {
        Begin::Index(i) => map("index", vec![(b("index"), Reply::Int(i.into()))]),
        Begin::Keyword(kw, from) => map(
            "keyword",
            vec![
                (b("keyword"), b(kw)),
                (b("startfrom"), Reply::Int(from.into())),
            ],
        ),
        Begin::Unknown => map("unknown", vec![]),
    };
    let find = match spec.find {
        Find::Range { last, step, limit } => map(
            "range",
            vec![
                (b("lastkey"), Reply::Int(last.into())),
                (b("keystep"), Reply::Int(step.into())),
                (b("limit"), Reply::Int(limit.into())),
            ],
        ),
        Find::Keynum { index, first, step } => map(
            "keynum",
            vec![
                (b("keynumidx"), Reply::Int(index.into())),
                (b("firstkey"), Reply::Int(first.into())),
                (b("keystep"), Reply::Int(step.into())),
            ],
        ),
        Find::Unknown => map("unknown", vec![]),
    };
    let mut out = Vec::new();
    if let Some(n) = spec.notes {
        out.push((b("notes"), b(n)));
    }
    out.push((b("flags"), status_set(spec.flags.names())));
    out.push((b("begin_search"), begin));
    out.push((b("find_keys"), find));
    Reply::Map(out)
}

/// COMMAND INFO's ten fields for one command.
fn command_info(c: &Command) -> Reply {
    let specs: Vec<Reply> = c.key_specs.iter().map(key_spec_reply).collect();
    Reply::Array(vec![
        Reply::bulk(c.name),
        Reply::Int(c.arity as i64),
        status_set(c.flags.names()),
        Reply::Int(c.keys.0 as i64),
        Reply::Int(c.keys.1 as i64),
        Reply::Int(c.keys.2 as i64),
        status_set(c.acl.names()),
        Reply::Set(c.tips.iter().map(Reply::bulk).collect()),
        // Redis sends the key specs as a set, and no sub-commands as an empty set.
        Reply::Set(specs),
        if c.subcommands.is_empty() {
            Reply::Set(vec![])
        } else {
            Reply::Array(c.subcommands.iter().map(command_info).collect())
        },
    ])
}

/// COMMAND DOCS for one command: our summary, its history facts and sub-commands.
fn command_docs(c: &Command) -> Reply {
    let b = |s: &str| Reply::bulk(s);
    let mut doc = vec![
        (b("summary"), b(c.summary)),
        (b("since"), b(c.since)),
        (b("group"), b(c.group.name())),
        (b("complexity"), b(c.complexity)),
    ];
    let args = crate::syntax::parse(c.syntax, c.name);
    if !args.is_empty() {
        let key_specs = c.key_specs.len() as i64;
        let mut key_no = 0;
        let list = args
            .iter()
            .map(|a| arg_reply(a, key_specs, &mut key_no))
            .collect();
        doc.push((b("arguments"), Reply::Array(list)));
    }
    if !c.subcommands.is_empty() {
        doc.push((
            b("subcommands"),
            Reply::Map(
                c.subcommands
                    .iter()
                    .map(|s| (b(s.name), command_docs(s)))
                    .collect(),
            ),
        ));
    }
    Reply::Map(doc)
}

/// One argument of COMMAND DOCS, in Redis's field order.
fn arg_reply(a: &crate::syntax::Arg, key_specs: i64, key_no: &mut i64) -> Reply {
    let b = |s: &str| Reply::bulk(s);
    let mut m = vec![(b("name"), b(&a.name)), (b("type"), b(a.kind))];
    if a.kind == "key" {
        m.push((
            b("key_spec_index"),
            Reply::Int((*key_no).min(key_specs - 1).max(0)),
        ));
        *key_no += 1;
    }
    if let Some(t) = &a.token {
        m.push((b("token"), b(t)));
    }
    let mut flags = Vec::new();
    if a.optional {
        flags.push(Reply::status("optional"));
    }
    if a.multiple {
        flags.push(Reply::status("multiple"));
    }
    if !flags.is_empty() {
        m.push((b("flags"), Reply::Array(flags)));
    }
    if !a.children.is_empty() {
        let kids = a
            .children
            .iter()
            .map(|c| arg_reply(c, key_specs, key_no))
            .collect();
        m.push((b("arguments"), Reply::Array(kids)));
    }
    Reply::Map(m)
}

/// Find a command or `container|sub` by name for COMMAND INFO/DOCS.
fn find_command(name: &[u8]) -> Option<&'static Command> {
    let s = String::from_utf8_lossy(name).to_ascii_lowercase();
    match s.split_once('|') {
        Some((parent, sub)) => {
            super::lookup(parent.as_bytes()).and_then(|p| super::lookup_sub(p, sub.as_bytes()))
        }
        None => super::lookup(name),
    }
}

/// The INFO text for the asked sections, `\r\n` line ends as Redis sends it.
fn info_text(ctx: &mut Ctx, sections: &[Vec<u8>]) -> String {
    let now = ctx.now;
    let wants_all = sections.is_empty()
        || sections
            .iter()
            .any(|s| is(s, "all") || is(s, "everything") || is(s, "default"));
    let want = |name: &str| wants_all || sections.iter().any(|s| is(s, name));
    let s = &*ctx.server;
    let uptime = (now - s.started_ms()).max(0) / 1000;
    let mut parts: Vec<String> = Vec::new();
    if want("server") {
        parts.push(format!(
            "# Server\r\nredis_version:{}\r\nredis_mode:standalone\r\nos:Redis Playground (WebAssembly)\r\narch_bits:{}\r\nmultiplexing_api:none\r\nprocess_id:1\r\ntcp_port:6379\r\nserver_time_usec:{}\r\nuptime_in_seconds:{}\r\nuptime_in_days:{}\r\nhz:10\r\nconfigured_hz:10\r\nexecutable:redis-playground\r\nconfig_file:\r\n",
            crate::REDIS_VERSION,
            usize::BITS,
            now.saturating_mul(1000),
            uptime,
            uptime / 86_400
        ));
    }
    if want("clients") {
        // Redis 7.0's fields, in its order (`watching_clients` came with 7.2).
        parts.push(format!(
            "# Clients\r\nconnected_clients:{}\r\ncluster_connections:0\r\nmaxclients:10000\r\nclient_recent_max_input_buffer:0\r\nclient_recent_max_output_buffer:0\r\nblocked_clients:{}\r\ntracking_clients:{}\r\nclients_in_timeout_table:{}\r\n",
            s.clients().len(),
            s.blocked_clients(),
            s.tracking().counts().0,
            s.clients_in_timeout_table()
        ));
    }
    if want("memory") {
        parts.push(super::memory::info_section(s));
    }
    if want("persistence") {
        parts.push(format!(
            "# Persistence\r\nloading:0\r\nrdb_changes_since_last_save:{}\r\nrdb_bgsave_in_progress:0\r\nrdb_last_save_time:{}\r\naof_enabled:0\r\n",
            s.dirty(),
            s.last_save_ms().div_euclid(1000)
        ));
    }
    if want("stats") {
        let st = s.stats();
        let tracked = s.tracking().counts();
        parts.push(format!(
            "# Stats\r\ntotal_connections_received:{}\r\ntotal_commands_processed:{}\r\nexpired_keys:{}\r\nevicted_keys:{}\r\nevicted_clients:{}\r\nkeyspace_hits:{}\r\nkeyspace_misses:{}\r\npubsub_channels:0\r\npubsub_patterns:0\r\ntracking_total_keys:{}\r\ntracking_total_items:{}\r\ntracking_total_prefixes:{}\r\ntotal_error_replies:{}\r\n",
            st.connections_received, st.commands_processed, st.expired_keys, st.evicted_keys, st.evicted_clients, st.keyspace_hits, st.keyspace_misses, tracked.1, tracked.2, tracked.3, st.error_replies
        ));
    }
    // Commandstats only when asked for (or "all"/"everything"), as in Redis.
    let wants_every = sections
        .iter()
        .any(|x| is(x, "all") || is(x, "everything") || is(x, "commandstats"));
    if wants_every {
        let mut c = String::from("# Commandstats\r\n");
        for (name, st) in &s.stats().commands {
            c.push_str(&format!(
                "cmdstat_{name}:calls={},usec=0,usec_per_call=0.00,rejected_calls={},failed_calls={}\r\n",
                st.calls, st.rejected_calls, st.failed_calls
            ));
        }
        parts.push(c);
    }
    if want("errorstats") {
        let mut e = String::from("# Errorstats\r\n");
        for (code, n) in &s.stats().errors {
            e.push_str(&format!("errorstat_{code}:count={n}\r\n"));
        }
        parts.push(e);
    }
    if want("replication") {
        parts.push("# Replication\r\nrole:master\r\nconnected_slaves:0\r\n".to_string());
    }
    if want("keyspace") {
        let mut k = String::from("# Keyspace\r\n");
        for (i, db) in s.dbs().iter().enumerate() {
            if !db.is_empty() {
                k.push_str(&format!(
                    "db{i}:keys={},expires={},avg_ttl={}\r\n",
                    db.len(),
                    db.expires_len(),
                    db.avg_ttl(now)
                ));
            }
        }
        parts.push(k);
    }
    parts.join("\r\n")
}

// ---- command handlers ----

/// TIME
fn time(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    let us = ctx.now.saturating_mul(1000);
    Ok(Reply::Array(vec![
        Reply::bulk((us / 1_000_000).to_string()),
        Reply::bulk((us % 1_000_000).to_string()),
    ]))
}

/// INFO [section [section ...]]
fn info(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let sections = Args::new(argv).rest();
    Ok(Reply::Verbatim(info_text(ctx, sections).into_bytes()))
}

/// COMMAND — every command's INFO. (With a word after it, the table's sub-command
/// lookup answers first.)
fn command(_: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    match Args::new(argv).next_opt() {
        None => Ok(Reply::Array(super::all().map(command_info).collect())),
        Some(sub) => Err(CmdError::UnknownSubcommand(sub.to_vec(), "command".into())),
    }
}

/// COMMAND COUNT
fn command_count(_: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    Ok(Reply::from(super::all().count()))
}

/// COMMAND LIST [FILTERBY MODULE module-name|ACLCAT category|PATTERN pattern]
fn command_list(_: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::of_sub(argv);
    let names = super::all().flat_map(|c| std::iter::once(c).chain(c.subcommands.iter()));
    if args.is_empty() {
        return Ok(Reply::bulks(names.map(|c| c.name)));
    }
    if args.remaining() != 3 || !args.eat("filterby") {
        return Err(CmdError::Syntax);
    }
    let [by, arg] = args.values()?;
    match Word::new(by).as_str() {
        "module" => Ok(Reply::Array(vec![])),
        "aclcat" => {
            let cat = Acl::by_name(&format!("@{}", String::from_utf8_lossy(arg)));
            Ok(Reply::bulks(
                names
                    .filter(|c| cat.is_some_and(|cat| c.acl.contains(cat)))
                    .map(|c| c.name),
            ))
        }
        "pattern" => {
            let p = crate::glob::Pattern::new(&arg.to_ascii_lowercase());
            Ok(Reply::bulks(
                names
                    .filter(|c| p.matches(c.name.as_bytes()))
                    .map(|c| c.name),
            ))
        }
        _ => Err(CmdError::Syntax),
    }
}

/// COMMAND INFO [command-name ...]
fn command_info_cmd(_: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let names = Args::of_sub(argv).rest();
    if names.is_empty() {
        return Ok(Reply::Array(super::all().map(command_info).collect()));
    }
    Ok(Reply::Array(
        names
            .iter()
            .map(|n| find_command(n).map_or(Reply::NilArray, command_info))
            .collect(),
    ))
}

/// COMMAND DOCS [command-name ...]
fn command_docs_cmd(_: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let names = Args::of_sub(argv).rest();
    let pick: Vec<&'static Command> = if names.is_empty() {
        super::all().collect()
    } else {
        names.iter().filter_map(|n| find_command(n)).collect()
    };
    Ok(Reply::Map(
        pick.into_iter()
            .map(|c| (Reply::bulk(c.name), command_docs(c)))
            .collect(),
    ))
}

/// COMMAND GETKEYS command [arg ...]
fn command_getkeys(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    getkeys_generic(ctx, argv, false)
}

/// COMMAND GETKEYSANDFLAGS command [arg ...]: each key with its key spec's flags.
fn command_getkeysandflags(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    getkeys_generic(ctx, argv, true)
}

fn getkeys_generic(_: &mut Ctx, argv: &[Vec<u8>], with_flags: bool) -> CmdResult {
    let target = Args::of_sub(argv).rest();
    let invalid = |m: &str| CmdError::Err(m.into());
    let mut c = target
        .first()
        .and_then(|name| super::lookup(name))
        .ok_or_else(|| invalid("Invalid command specified"))?;
    if let (false, Some(sub)) = (c.subcommands.is_empty(), target.get(1)) {
        c = super::lookup_sub(c, sub).ok_or_else(|| invalid("Invalid command specified"))?;
    }
    // Specs that find shard channels (flagged not keys) don't count.
    let has_keys = c
        .key_specs
        .iter()
        .any(|s| !s.flags.contains(KeyFlags::NOT_KEY));
    if !has_keys && c.find_keys.is_none() {
        return Err(invalid("The command has no key arguments"));
    }
    if !c.arity_ok(target.len()) {
        return Err(invalid("Invalid number of arguments specified for command"));
    }
    let keys = match keyspec::key_positions(c, target) {
        Some(keys) => keys,
        // A command whose keys are optional (EVAL … 0) has none, rather than bad arguments.
        None if c.has_flag(Flags::NO_MANDATORY_KEYS) => return Ok(Reply::Array(Vec::new())),
        None => return Err(invalid("Invalid arguments specified for command")),
    };
    if with_flags {
        return Ok(Reply::Array(
            keyspec::keys_with_flags(c, target)
                .into_iter()
                .filter_map(|(i, f)| {
                    let k = target.get(i)?;
                    Some(Reply::Array(vec![Reply::bulk(k), status_set(f.names())]))
                })
                .collect(),
        ));
    }
    Ok(Reply::Array(
        keys.iter()
            .filter_map(|&i| target.get(i))
            .map(Reply::bulk)
            .collect(),
    ))
}

/// COMMAND HELP
fn command_help(_: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    Ok(help_lines(
        "COMMAND",
        &[
            "(no subcommand)",
            "    Details about every command.",
            "COUNT",
            "    How many commands this server has.",
            "DOCS [<command-name> ...]",
            "    Documentation of the given commands, or of all of them.",
            "GETKEYS <full-command>",
            "    Which arguments of a full command line are keys.",
            "INFO [<command-name> ...]",
            "    Details about the given commands, or about all of them.",
            "LIST [FILTERBY (MODULE <module-name>|ACLCAT <category>|PATTERN <pattern>)]",
            "    The names of all commands, optionally filtered.",
        ],
    ))
}

// ---- the table ----

const S: Command = super::connection::CONN;

const CMD_SUB: Command = Command {
    arity: 2,
    flags: flags![LOADING, STALE],
    acl: acl![SLOW, CONNECTION],
    group: Group::Server,
    since: "2.8.13",
    ..S
};

pub const COMMANDS: &[Command] = &[
    Command {
        name: "command",
        arity: -1,
        flags: flags![LOADING, STALE],
        acl: acl![SLOW, CONNECTION],
        tips: &["nondeterministic_output_order"],
        group: Group::Server,
        since: "2.8.13",
        complexity: "O(N) where N is the total number of Redis commands",
        summary: "Details about every command the server knows",
        syntax: "",
        handler: command,
        subcommands: &[
            Command {
                name: "command|count",
                summary: "How many commands the server knows",
                handler: command_count,
                ..CMD_SUB
            },
            Command {
                name: "command|docs",
                arity: -2,
                tips: &["nondeterministic_output_order"],
                since: "7.0.0",
                complexity: "O(N) where N is the number of commands to look up",
                summary: "Documentation of the given commands, or of every command",
                syntax: "[command-name [command-name ...]]",
                handler: command_docs_cmd,
                ..CMD_SUB
            },
            Command {
                name: "command|getkeysandflags",
                arity: -4,
                since: "7.0.0",
                complexity: "O(N) where N is the number of arguments to the command",
                summary: "Which arguments of a full command line are key names, and how the command uses each",
                syntax: "command [arg [arg ...]]",
                handler: command_getkeysandflags,
                ..CMD_SUB
            },
            Command {
                name: "command|getkeys",
                arity: -4,
                complexity: "O(N) where N is the number of arguments to the command",
                summary: "Which arguments of a full command line are key names",
                syntax: "command [arg [arg ...]]",
                handler: command_getkeys,
                ..CMD_SUB
            },
            Command {
                name: "command|help",
                since: "5.0.0",
                summary: "Show what COMMAND can do",
                handler: command_help,
                ..CMD_SUB
            },
            Command {
                name: "command|info",
                arity: -2,
                tips: &["nondeterministic_output_order"],
                complexity: "O(N) where N is the number of commands to look up",
                summary:
                    "Details (arity, flags, key positions, ACL categories) about the given commands",
                syntax: "[command-name [command-name ...]]",
                handler: command_info_cmd,
                ..CMD_SUB
            },
            Command {
                name: "command|list",
                arity: -2,
                tips: &["nondeterministic_output_order"],
                since: "7.0.0",
                complexity: "O(N) where N is the total number of Redis commands",
                summary:
                    "The names of every command, optionally filtered by ACL category or pattern",
                syntax: "[FILTERBY MODULE module-name|ACLCAT category|PATTERN pattern]",
                handler: command_list,
                ..CMD_SUB
            },
        ],
        ..S
    },
    Command {
        name: "info",
        arity: -1,
        flags: flags![LOADING, STALE],
        acl: acl![SLOW, DANGEROUS],
        tips: &[
            "nondeterministic_output",
            "request_policy:all_shards",
            "response_policy:special",
        ],
        group: Group::Server,
        summary:
            "Figures about the server: server, clients, persistence, stats, replication, keyspace",
        syntax: "[section [section ...]]",
        handler: info,
        ..S
    },
    Command {
        name: "time",
        acl: acl![FAST],
        tips: &["nondeterministic_output"],
        group: Group::Server,
        since: "2.6.0",
        summary: "The server's (world clock's) time: Unix seconds and microseconds",
        handler: time,
        ..S
    },
];
