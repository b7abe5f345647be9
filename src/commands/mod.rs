//! The command table: one declarative list, assembled from each family's entries, that
//! drives dispatch and the arity check, COMMAND INFO/DOCS/LIST/COUNT, HELP, the console's
//! hints and completion, and the README's table of supported commands.

#[macro_use]
pub mod table;

pub mod acl;
pub mod args;
pub mod bitmap;
pub mod catalogue;
pub mod cluster;
pub mod common;
pub mod config;
pub mod connection;
pub mod databases;
mod digest;
pub mod functions;
pub mod geo;
pub mod hash;
pub mod hyperloglog;
pub mod introspection;
pub mod keyspace;
pub mod keyspec;
pub mod list;
mod lolwut;
pub mod memory;
pub mod monitoring;
pub mod pause;
pub mod protocol;
pub mod pubsub;
pub mod saving;
pub mod scripting;
pub mod set;
pub mod sort;
pub mod stream;
pub mod string;
pub mod tracking;
pub mod tx;
pub mod zset;

use crate::error::{CmdError, CmdResult};
use crate::server::Ctx;
use crate::types::Value;

pub use table::Command;

/// A command handler: `argv` includes the command name (and sub-command) as typed.
pub type Handler = fn(&mut Ctx, &[Vec<u8>]) -> CmdResult;

/// A container command's handler is never called for its own name alone (the arity
/// check or sub-command lookup answers first); this keeps the table total.
pub fn container_handler(_: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    Err(CmdError::UnknownSubcommand(
        argv.get(1).cloned().unwrap_or_default(),
        "".into(),
    ))
}

/// Every family's entries, in the order the README lists them.
pub fn families() -> [(&'static str, &'static [Command]); 25] {
    [
        ("Keys", keyspace::COMMANDS),
        ("Strings", string::COMMANDS),
        ("Bitmaps", bitmap::COMMANDS),
        ("HyperLogLog", hyperloglog::COMMANDS),
        ("Lists", list::COMMANDS),
        ("Sets", set::COMMANDS),
        ("Sorted sets", zset::COMMANDS),
        ("Hashes", hash::COMMANDS),
        ("Streams", stream::COMMANDS),
        ("Geo", geo::COMMANDS),
        ("Sorting", sort::COMMANDS),
        ("Pub/sub", pubsub::COMMANDS),
        ("Scripting", scripting::COMMANDS),
        ("Functions", functions::COMMANDS),
        ("Databases", databases::COMMANDS),
        ("Connections and clients", connection::COMMANDS),
        ("Protocol and replication", protocol::COMMANDS),
        (
            "Cluster, modules and failover (standalone answers)",
            cluster::COMMANDS,
        ),
        ("Introspection", introspection::COMMANDS),
        ("Slow log and latency", monitoring::COMMANDS),
        ("Memory", memory::COMMANDS),
        ("Saving", saving::COMMANDS),
        ("Configuration", config::COMMANDS),
        ("Transactions", tx::COMMANDS),
        ("Users and permissions", acl::COMMANDS),
    ]
}

/// All top-level commands.
pub fn all() -> impl Iterator<Item = &'static Command> {
    families().into_iter().flat_map(|(_, cmds)| cmds.iter())
}

/// Look a command up by name, case-insensitively, without allocating.
pub fn lookup(name: &[u8]) -> Option<&'static Command> {
    table().get(&Lower::new(name)?).copied()
}

/// Look a sub-command of a container up by its own name (`encoding` in OBJECT).
pub fn lookup_sub(cmd: &'static Command, sub: &[u8]) -> Option<&'static Command> {
    cmd.subcommands.iter().find(|s| {
        let short = s.name.rsplit('|').next().unwrap_or(s.name);
        short.as_bytes().eq_ignore_ascii_case(sub)
    })
}

/// A command name lower-cased into a small inline buffer (names are short).
#[derive(PartialEq, Eq)]
struct Lower {
    len: u8,
    buf: [u8; 24],
}

impl Lower {
    fn new(name: &[u8]) -> Option<Lower> {
        if name.len() > 24 {
            return None;
        }
        let mut buf = [0u8; 24];
        for (d, s) in buf.iter_mut().zip(name) {
            *d = s.to_ascii_lowercase();
        }
        Some(Lower {
            len: name.len() as u8,
            buf,
        })
    }
}

impl std::hash::Hash for Lower {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write(&self.buf[..usize::from(self.len)]);
    }
}

/// FNV-1a: command names are short, trusted and few, so the keyed SipHash of the std
/// map buys nothing here and costs a tenth of a GET.
#[derive(Default)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type CommandMap =
    std::collections::HashMap<Lower, &'static Command, std::hash::BuildHasherDefault<Fnv>>;

fn table() -> &'static CommandMap {
    static TABLE: std::sync::OnceLock<CommandMap> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        all()
            .filter_map(|c| Lower::new(c.name.as_bytes()).map(|l| (l, c)))
            .collect()
    })
}

// ---- access and argument helpers shared by the families ----

/// The live value at `key` in the selected db, for any family. A read command passes
/// `read = true` so the lookup counts as a keyspace hit or miss (INFO stats). The caller
/// matches the variant it wants and answers `CmdError::WrongType` for the others.
pub fn value_of<'c>(ctx: &'c mut Ctx, key: &[u8], read: bool) -> Option<&'c mut Value> {
    let now = ctx.now;
    let slot = ctx.db().slot_of(key, now);
    if read {
        ctx.count_lookup(slot.is_some(), key);
        return ctx.db().value_at_read(slot?, now);
    }
    ctx.db().value_at(slot?, now)
}

/// Delete `key` if it holds an empty collection (Redis never keeps an empty list, set,
/// sorted set or hash). Returns true if it did.
pub fn remove_if_empty(ctx: &mut Ctx, key: &[u8]) -> bool {
    let now = ctx.now;
    let empty = match ctx.db().peek(key, now).map(|e| &e.value) {
        Some(Value::List(l)) => l.is_empty(),
        Some(Value::Set(s)) => s.is_empty(),
        Some(Value::ZSet(z)) => z.is_empty(),
        Some(Value::Hash(h)) => h.is_empty(),
        _ => false,
    };
    if empty {
        ctx.db().remove(key, now);
    }
    empty
}

/// Delete `key` if a removal emptied its collection, with Redis's `del` event.
pub fn delete_if_empty(ctx: &mut Ctx, key: &[u8]) {
    if remove_if_empty(ctx, key) {
        ctx.notify(crate::server::Class::Generic, "del", key);
    }
}

// The argument parsers live with the argument cursor; these names stay here for the
// families that import them from `commands`.

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_name_is_unique_lower_case_and_its_arity_sane() {
        let mut seen = std::collections::HashSet::new();
        for c in all().chain(all().flat_map(|c| c.subcommands.iter())) {
            assert!(seen.insert(c.name), "duplicate {}", c.name);
            assert_eq!(c.name, c.name.to_ascii_lowercase());
            assert!(c.arity != 0, "{}", c.name);
            assert!(!c.summary.is_empty() && !c.since.is_empty(), "{}", c.name);
        }
    }

    #[test]
    fn lookup_ignores_case_and_finds_sub_commands() {
        assert_eq!(lookup(b"GeT").map(|c| c.name), Some("get"));
        assert!(lookup(b"nosuchcommand").is_none());
        let object = lookup(b"object").unwrap();
        assert_eq!(
            lookup_sub(object, b"ENCODING").map(|c| c.name),
            Some("object|encoding")
        );
    }
}
