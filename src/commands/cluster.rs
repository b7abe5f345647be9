//! What a standalone Redis 7.0 (cluster support disabled, module loading not enabled, no
//! replicas) answers to the cluster, module and failover commands: ASKING, READONLY,
//! READWRITE and every CLUSTER sub-command say cluster support is disabled; MODULE lists
//! no modules and refuses to load any; FAILOVER finds no replica to hand over to.

use super::common::help_lines;
use super::table::{Group, Link, BASE};
use super::Command;
use crate::error::{CmdError, CmdResult};
use crate::reply::Reply;
use crate::server::Ctx;

// ---- command handlers ----

/// Every cluster command of a server started without `cluster-enabled yes`.
fn cluster_disabled(_: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    Err(CmdError::Err(
        "This instance has cluster support disabled".into(),
    ))
}

/// MODULE LIST: no modules are loaded.
fn module_list(_: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    Ok(Reply::Array(vec![]))
}

/// MODULE LOAD / LOADEX / UNLOAD: Redis 7.0 refuses them unless `enable-module-command`
/// allows it, which it doesn't by default (nor can it here: a tab loads no .so file).
fn module_refused(_: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    Err(CmdError::Err("MODULE command not allowed. If the enable-module-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.".into()))
}

/// MODULE HELP
fn module_help(_: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    Ok(help_lines(
        "MODULE",
        &[
            "LIST",
            "    The loaded modules (none in a playground).",
            "LOAD <path> [<arg> ...]",
            "    Load a module library (refused: enable-module-command is off).",
            "LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]",
            "    Load a module library with its configuration (refused likewise).",
            "UNLOAD <name>",
            "    Unload a module.",
        ],
    ))
}

/// FAILOVER [TO host port [FORCE]] [ABORT] [TIMEOUT milliseconds]: the arguments are
/// checked as Redis checks them; then a master without replicas has nobody to fail over
/// to.
fn failover(_: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let is = |a: &[u8], w: &str| a.eq_ignore_ascii_case(w.as_bytes());
    if argv.len() == 2 && is(&argv[1], "abort") {
        return Err(CmdError::Err("No failover in progress.".into()));
    }
    let (mut timeout, mut to, mut force) = (false, false, false);
    let mut j = 1;
    while j < argv.len() {
        if is(&argv[j], "timeout") && j + 1 < argv.len() && !timeout {
            let ms = super::args::int_arg(&argv[j + 1])?;
            if ms <= 0 {
                return Err(CmdError::Err(
                    "FAILOVER timeout must be greater than 0".into(),
                ));
            }
            timeout = true;
            j += 1;
        } else if is(&argv[j], "to") && j + 2 < argv.len() && !to {
            super::args::int_arg(&argv[j + 2])?;
            to = true;
            j += 2;
        } else if is(&argv[j], "force") && !force {
            force = true;
        } else {
            return Err(CmdError::Syntax);
        }
        j += 1;
    }
    Err(CmdError::Err(
        "FAILOVER requires connected replicas.".into(),
    ))
}

// ---- the table ----

const SUB: Command = Command {
    name: "",
    link: Link::Refused("cluster commands only answer that cluster support is disabled"),
    group: Group::Cluster,
    handler: cluster_disabled,
    ..BASE
};

const MODULE_SUB: Command = Command {
    name: "",
    link: Link::Refused("modules can't be loaded in a playground"),
    arity: 2,
    flags: flags![ADMIN, NOSCRIPT],
    acl: acl![ADMIN, SLOW, DANGEROUS],
    group: Group::Server,
    since: "4.0.0",
    complexity: "O(1)",
    handler: module_refused,
    ..BASE
};

pub const COMMANDS: &[Command] = &[
    Command { name: "asking", flags: flags![FAST], acl: acl![FAST, CONNECTION], since: "3.0.0",
        summary: "In a cluster: let the next command reach a slot being imported", ..SUB },
    Command { name: "readonly", flags: flags![LOADING, STALE, FAST], acl: acl![FAST, CONNECTION], since: "3.0.0",
        summary: "In a cluster: allow reads from this replica", ..SUB },
    Command { name: "readwrite", flags: flags![LOADING, STALE, FAST], acl: acl![FAST, CONNECTION], since: "3.0.0",
        summary: "In a cluster: stop reading from this replica", ..SUB },
    Command { name: "cluster", arity: -2, acl: acl![SLOW], since: "3.0.0", complexity: "Depends on subcommand.",
        summary: "Cluster administration (a standalone server has cluster support disabled)",
        handler: super::container_handler,
        subcommands: &[
        Command { name: "cluster|addslots", arity: -3, flags: flags![ADMIN, STALE, NO_ASYNC_LOADING], acl: acl![ADMIN, SLOW, DANGEROUS], tips: &[], since: "3.0.0", complexity: "O(N) where N is the total number of hash slot arguments", summary: "In a cluster: assign hash slots to this node", syntax: "slot [slot ...]", ..SUB },
        Command { name: "cluster|addslotsrange", arity: -4, flags: flags![ADMIN, STALE, NO_ASYNC_LOADING], acl: acl![ADMIN, SLOW, DANGEROUS], tips: &[], since: "7.0.0", complexity: "O(N) where N is the total number of the slots between the start slot and end slot arguments.", summary: "In a cluster: assign ranges of hash slots to this node", syntax: "start-slot end-slot [start-slot end-slot ...]", ..SUB },
        Command { name: "cluster|bumpepoch", arity: 2, flags: flags![ADMIN, STALE, NO_ASYNC_LOADING], acl: acl![ADMIN, SLOW, DANGEROUS], tips: &["nondeterministic_output"], since: "3.0.0", complexity: "O(1)", summary: "In a cluster: advance the cluster config epoch", syntax: "", ..SUB },
        Command { name: "cluster|count-failure-reports", arity: 3, flags: flags![ADMIN, STALE], acl: acl![ADMIN, SLOW, DANGEROUS], tips: &["nondeterministic_output"], since: "3.0.0", complexity: "O(N) where N is the number of failure reports", summary: "In a cluster: count the failure reports about a node", syntax: "node-id", ..SUB },
        Command { name: "cluster|countkeysinslot", arity: 3, flags: flags![STALE], acl: acl![SLOW], tips: &[], since: "3.0.0", complexity: "O(1)", summary: "In a cluster: count the keys in a hash slot", syntax: "slot", ..SUB },
        Command { name: "cluster|delslots", arity: -3, flags: flags![ADMIN, STALE, NO_ASYNC_LOADING], acl: acl![ADMIN, SLOW, DANGEROUS], tips: &[], since: "3.0.0", complexity: "O(N) where N is the total number of hash slot arguments", summary: "In a cluster: stop serving hash slots", syntax: "slot [slot ...]", ..SUB },
        Command { name: "cluster|delslotsrange", arity: -4, flags: flags![ADMIN, STALE, NO_ASYNC_LOADING], acl: acl![ADMIN, SLOW, DANGEROUS], tips: &[], since: "7.0.0", complexity: "O(N) where N is the total number of the slots between the start slot and end slot arguments.", summary: "In a cluster: stop serving ranges of hash slots", syntax: "start-slot end-slot [start-slot end-slot ...]", ..SUB },
        Command { name: "cluster|failover", arity: -2, flags: flags![ADMIN, STALE, NO_ASYNC_LOADING], acl: acl![ADMIN, SLOW, DANGEROUS], tips: &[], since: "3.0.0", complexity: "O(1)", summary: "In a cluster: make this replica take over its master", syntax: "[FORCE|TAKEOVER]", ..SUB },
        Command { name: "cluster|flushslots", arity: 2, flags: flags![ADMIN, STALE, NO_ASYNC_LOADING], acl: acl![ADMIN, SLOW, DANGEROUS], tips: &[], since: "3.0.0", complexity: "O(1)", summary: "In a cluster: forget every slot this node serves", syntax: "", ..SUB },
        Command { name: "cluster|forget", arity: 3, flags: flags![ADMIN, STALE, NO_ASYNC_LOADING], acl: acl![ADMIN, SLOW, DANGEROUS], tips: &[], since: "3.0.0", complexity: "O(1)", summary: "In a cluster: remove a node from the node table", syntax: "node-id", ..SUB },
        Command { name: "cluster|getkeysinslot", arity: 4, flags: flags![STALE], acl: acl![SLOW], tips: &["nondeterministic_output"], since: "3.0.0", complexity: "O(log(N)) where N is the number of requested keys", summary: "In a cluster: list keys of a hash slot", syntax: "slot count", ..SUB },
        Command { name: "cluster|help", arity: 2, flags: flags![LOADING, STALE], acl: acl![SLOW], tips: &[], since: "5.0.0", complexity: "O(1)", summary: "In a cluster: show what CLUSTER can do", syntax: "", ..SUB },
        Command { name: "cluster|info", arity: 2, flags: flags![STALE], acl: acl![SLOW], tips: &["nondeterministic_output"], since: "3.0.0", complexity: "O(1)", summary: "In a cluster: the state of the cluster", syntax: "", ..SUB },
        Command { name: "cluster|keyslot", arity: 3, flags: flags![STALE], acl: acl![SLOW], tips: &[], since: "3.0.0", complexity: "O(N) where N is the number of bytes in the key", summary: "In a cluster: the hash slot of a key", syntax: "key", ..SUB },
        Command { name: "cluster|links", arity: 2, flags: flags![STALE], acl: acl![SLOW], tips: &["nondeterministic_output"], since: "7.0.0", complexity: "O(N) where N is the total number of Cluster nodes", summary: "In a cluster: the links to the other nodes", syntax: "", ..SUB },
        Command { name: "cluster|meet", arity: -4, flags: flags![ADMIN, STALE, NO_ASYNC_LOADING], acl: acl![ADMIN, SLOW, DANGEROUS], tips: &[], since: "3.0.0", complexity: "O(1)", summary: "In a cluster: connect to another node", syntax: "ip port [cluster_bus_port]", ..SUB },
        Command { name: "cluster|myid", arity: 2, flags: flags![STALE], acl: acl![SLOW], tips: &[], since: "3.0.0", complexity: "O(1)", summary: "In a cluster: this node's id", syntax: "", ..SUB },
        Command { name: "cluster|nodes", arity: 2, flags: flags![STALE], acl: acl![SLOW], tips: &["nondeterministic_output"], since: "3.0.0", complexity: "O(N) where N is the total number of Cluster nodes", summary: "In a cluster: the node table", syntax: "", ..SUB },
        Command { name: "cluster|replicas", arity: 3, flags: flags![ADMIN, STALE], acl: acl![ADMIN, SLOW, DANGEROUS], tips: &["nondeterministic_output"], since: "5.0.0", complexity: "O(1)", summary: "In a cluster: a master's replicas", syntax: "node-id", ..SUB },
        Command { name: "cluster|replicate", arity: 3, flags: flags![ADMIN, STALE, NO_ASYNC_LOADING], acl: acl![ADMIN, SLOW, DANGEROUS], tips: &[], since: "3.0.0", complexity: "O(1)", summary: "In a cluster: become a replica of a master", syntax: "node-id", ..SUB },
        Command { name: "cluster|reset", arity: -2, flags: flags![ADMIN, NOSCRIPT, STALE], acl: acl![ADMIN, SLOW, DANGEROUS], tips: &[], since: "3.0.0", complexity: "O(N) where N is the number of known nodes. The command may execute a FLUSHALL as a side effect.", summary: "In a cluster: reset this node's cluster state", syntax: "[HARD|SOFT]", ..SUB },
        Command { name: "cluster|saveconfig", arity: 2, flags: flags![ADMIN, STALE, NO_ASYNC_LOADING], acl: acl![ADMIN, SLOW, DANGEROUS], tips: &[], since: "3.0.0", complexity: "O(1)", summary: "In a cluster: save the node table to nodes.conf", syntax: "", ..SUB },
        Command { name: "cluster|set-config-epoch", arity: 3, flags: flags![ADMIN, STALE, NO_ASYNC_LOADING], acl: acl![ADMIN, SLOW, DANGEROUS], tips: &[], since: "3.0.0", complexity: "O(1)", summary: "In a cluster: set a new node's config epoch", syntax: "config-epoch", ..SUB },
        Command { name: "cluster|setslot", arity: -4, flags: flags![ADMIN, STALE, NO_ASYNC_LOADING], acl: acl![ADMIN, SLOW, DANGEROUS], tips: &[], since: "3.0.0", complexity: "O(1)", summary: "In a cluster: bind a hash slot to a node", syntax: "slot IMPORTING node-id|MIGRATING node-id|NODE node-id|STABLE", ..SUB },
        Command { name: "cluster|shards", arity: 2, flags: flags![STALE], acl: acl![SLOW], tips: &["nondeterministic_output"], since: "7.0.0", complexity: "O(N) where N is the total number of cluster nodes", summary: "In a cluster: the shards of the cluster", syntax: "", ..SUB },
        Command { name: "cluster|slaves", arity: 3, flags: flags![ADMIN, STALE], acl: acl![ADMIN, SLOW, DANGEROUS], tips: &["nondeterministic_output"], since: "3.0.0", complexity: "O(1)", summary: "In a cluster: a master's replicas (old name of REPLICAS)", syntax: "node-id", ..SUB },
        Command { name: "cluster|slots", arity: 2, flags: flags![STALE], acl: acl![SLOW], tips: &["nondeterministic_output"], since: "3.0.0", complexity: "O(N) where N is the total number of Cluster nodes", summary: "In a cluster: which nodes serve which slots", syntax: "", ..SUB },
        ], ..SUB },
    Command { name: "module", arity: -2, flags: flags![], acl: acl![SLOW], complexity: "Depends on subcommand.",
        summary: "Load, unload and list modules (none can be loaded in a playground)",
        handler: super::container_handler,
        subcommands: &[
            Command { name: "module|help", flags: flags![LOADING, STALE], acl: acl![SLOW], since: "5.0.0",
                summary: "Show what MODULE can do", handler: module_help, ..MODULE_SUB },
            Command { name: "module|list", tips: &["nondeterministic_output_order"], complexity: "O(N) where N is the number of loaded modules.",
                summary: "The loaded modules", handler: module_list, ..MODULE_SUB },
            Command { name: "module|load", arity: -3, flags: flags![ADMIN, NOSCRIPT, NO_ASYNC_LOADING],
                summary: "Load a module library", syntax: "path [arg [arg ...]]", ..MODULE_SUB },
            Command { name: "module|loadex", arity: -3, flags: flags![ADMIN, NOSCRIPT, NO_ASYNC_LOADING], since: "7.0.0",
                summary: "Load a module library with configuration", syntax: "path [CONFIG name value [CONFIG name value ...]] [ARGS args [args ...]]", ..MODULE_SUB },
            Command { name: "module|unload", arity: 3, flags: flags![ADMIN, NOSCRIPT, NO_ASYNC_LOADING],
                summary: "Unload a module", syntax: "name", ..MODULE_SUB },
        ], ..MODULE_SUB },
    Command { name: "failover", arity: -1, flags: flags![ADMIN, NOSCRIPT, STALE], acl: acl![ADMIN, SLOW, DANGEROUS],
        link: Link::Refused("FAILOVER is an administrator's"), group: Group::Server, since: "6.2.0",
        summary: "Hand the master role over to a replica (there are none here)",
        syntax: "[TO host port [FORCE]] [ABORT] [TIMEOUT milliseconds]", handler: failover, ..BASE },
];
