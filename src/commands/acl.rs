//! Users and permissions: AUTH and the ACL command (SETUSER, GETUSER, DELUSER, LIST,
//! USERS, WHOAMI, CAT, DRYRUN, LOG, GENPASS, LOAD, SAVE, HELP). The users themselves and
//! the permission checks live in `server/acl.rs`.

use super::args::Args;
use super::common::subcommand_syntax;
use super::table::{Acl as Category, Group, Link, BASE};
use super::Command;
use crate::error::{CmdError, CmdResult};
use crate::reply::Reply;
use crate::server::acl::{self, has_spaces, Selector};
use crate::server::Ctx;

// ---- data operations ----

fn text(b: &[u8]) -> String {
    crate::error::clip(b, usize::MAX)
}

/// A selector's GETUSER fields as a map.
fn selector_map(s: &Selector) -> Vec<(Reply, Reply)> {
    s.fields()
        .into_iter()
        .map(|(k, v)| (Reply::bulk(k), Reply::bulk(v)))
        .collect()
}

/// The command DRYRUN names, resolved as Redis's lookupCommand does (a container's
/// sub-command when there is one), with its error texts.
fn dryrun_command(argv: &[Vec<u8>]) -> CmdResult<&'static Command> {
    let name = argv.first().map(Vec::as_slice).unwrap_or_default();
    let not_found = || CmdError::Err(format!("Command '{}' not found", text(name)));
    let mut cmd = super::lookup(name).ok_or_else(not_found)?;
    if !cmd.subcommands.is_empty() && argv.len() >= 2 {
        cmd = super::lookup_sub(cmd, &argv[1]).ok_or_else(not_found)?;
    }
    if !cmd.arity_ok(argv.len()) {
        return Err(CmdError::WrongArity(cmd.name.to_string()));
    }
    Ok(cmd)
}

// ---- command handlers ----

/// AUTH [username] password
fn auth(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    // Redis hides the credentials of a well-formed AUTH from MONITOR and SLOWLOG.
    if argv.len() <= 3 {
        (1..argv.len()).for_each(|i| ctx.redact(i));
    }
    let (user, pass): (&[u8], &[u8]) = match argv {
        [_, pass] => {
            if ctx
                .server
                .acl()
                .default_user()
                .is_some_and(|u| u.is_nopass())
            {
                return Err(CmdError::Err("AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?".into()));
            }
            (b"default", pass)
        }
        [_, user, pass] => (user, pass),
        _ => return Err(CmdError::Syntax),
    };
    ctx.server.authenticate(ctx.client, user, pass)?;
    Ok(Reply::ok())
}

/// ACL SETUSER username [rule [rule ...]]
fn setuser(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    // Redis hides every argument after SETUSER from MONITOR and SLOWLOG.
    (2..argv.len()).for_each(|i| ctx.redact(i));
    let mut args = Args::of_sub(argv);
    let name = args.next_arg()?;
    if has_spaces(name) {
        return Err(CmdError::Err(
            "Usernames can't contain spaces or null characters".into(),
        ));
    }
    let rules = args.rest();
    let existed = ctx
        .server
        .acl_mut()
        .set_user(name, rules)
        .map_err(|e| CmdError::Err(e.replace(['\r', '\n'], " ")))?;
    if existed.is_some() {
        ctx.server.drop_unpermitted_subscribers(name);
    }
    Ok(Reply::ok())
}

/// ACL GETUSER username
fn getuser(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let name = Args::of_sub(argv).next_arg()?;
    let Some(u) = ctx.server.acl().user(name) else {
        return Ok(Reply::Nil);
    };
    let mut fields = vec![
        (
            Reply::bulk("flags"),
            Reply::Set(u.flags().into_iter().map(Reply::bulk).collect()),
        ),
        (Reply::bulk("passwords"), Reply::bulks(u.passwords())),
    ];
    if let Some(root) = u.selectors().first() {
        fields.extend(selector_map(root));
    }
    let others = u
        .selectors()
        .iter()
        .skip(1)
        .map(|s| Reply::Map(selector_map(s)))
        .collect();
    fields.push((Reply::bulk("selectors"), Reply::Array(others)));
    Ok(Reply::Map(fields))
}

/// ACL DELUSER username [username ...]
fn deluser(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let names = Args::of_sub(argv).rest();
    if names.iter().any(|n| n == b"default") {
        return Err(CmdError::Err("The 'default' user cannot be removed".into()));
    }
    Ok(Reply::Int(ctx.server.delete_users(names) as i64))
}

/// ACL LIST
fn list(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    Ok(Reply::Array(
        ctx.server
            .acl()
            .users()
            .map(|(n, u)| Reply::bulk(format!("user {} {}", text(n), u.describe())))
            .collect(),
    ))
}

/// ACL USERS
fn users(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    Ok(Reply::bulks(ctx.server.acl().users().map(|(n, _)| n)))
}

/// ACL WHOAMI
fn whoami(ctx: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    Ok(Reply::bulk(ctx.client().user()))
}

/// ACL CAT [category]
fn cat(_: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::of_sub(argv);
    match (args.next_opt(), args.remaining()) {
        (None, _) => Ok(Reply::bulks(acl::category_names())),
        (Some(name), 0) => {
            let found = std::str::from_utf8(name)
                .ok()
                .and_then(|n| Category::by_name(&format!("@{n}")));
            let Some(c) = found else {
                return Err(CmdError::Err(format!(
                    "Unknown category '{}'",
                    crate::error::clip(name, 128)
                )));
            };
            Ok(Reply::bulks(acl::commands_in(c)))
        }
        _ => Err(subcommand_syntax(argv)),
    }
}

/// ACL DRYRUN username command [arg ...]
fn dryrun(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::of_sub(argv);
    let name = args.next_arg()?;
    let line = args.rest();
    let Some(u) = ctx.server.acl().user(name) else {
        return Err(CmdError::Err(format!("User '{}' not found", text(name))));
    };
    let cmd = dryrun_command(line)?;
    let arg = |pos: usize| text(line.get(pos).map(Vec::as_slice).unwrap_or_default());
    Ok(match u.check(cmd, line) {
        Ok(()) => Reply::ok(),
        Err((acl::Denied::Key, pos)) => Reply::bulk(format!(
            "This user has no permissions to access the '{}' key",
            arg(pos)
        )),
        Err((acl::Denied::Channel, pos)) => Reply::bulk(format!(
            "This user has no permissions to access the '{}' channel",
            arg(pos)
        )),
        Err(_) => Reply::bulk(format!(
            "This user has no permissions to run the '{}' command",
            cmd.name
        )),
    })
}

/// ACL LOG [count | RESET]
fn log(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::of_sub(argv);
    let count = match args.next_opt() {
        None => 10,
        Some(w) if w.eq_ignore_ascii_case(b"reset") => {
            ctx.server.acl_mut().reset_log();
            return Ok(Reply::ok());
        }
        Some(n) => super::args::int_arg(n)?.max(0),
    };
    if !args.is_empty() {
        return Err(subcommand_syntax(argv));
    }
    let now = ctx.now;
    let entries = ctx
        .server
        .acl()
        .log_entries()
        .take(usize::try_from(count).unwrap_or(usize::MAX))
        .map(|e| {
            Reply::Map(vec![
                (Reply::bulk("count"), Reply::Int(e.count as i64)),
                (Reply::bulk("reason"), Reply::bulk(e.reason())),
                (Reply::bulk("context"), Reply::bulk(e.context)),
                (Reply::bulk("object"), Reply::bulk(&e.object)),
                (Reply::bulk("username"), Reply::bulk(&e.username)),
                (
                    Reply::bulk("age-seconds"),
                    Reply::Double((now - e.at_ms) as f64 / 1000.0),
                ),
                (Reply::bulk("client-info"), Reply::bulk(&e.client_info)),
            ])
        })
        .collect();
    Ok(Reply::Array(entries))
}

/// ACL GENPASS [bits]
fn genpass(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut args = Args::of_sub(argv);
    let bits = match args.next_opt() {
        None => 256,
        Some(n) => super::args::int_arg(n)?,
    };
    if !args.is_empty() {
        return Err(subcommand_syntax(argv));
    }
    if !(1..=4096).contains(&bits) {
        return Err(CmdError::Err("ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096".into()));
    }
    let chars = (bits + 3) / 4;
    let rng = ctx.server.rng();
    let pass: String = (0..chars)
        .map(|_| char::from(b"0123456789abcdef"[rng.usize(..16)]))
        .collect();
    Ok(Reply::bulk(pass))
}

/// ACL LOAD and ACL SAVE: there is no ACL file in a playground.
fn load_or_save(_: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    Err(CmdError::Err("This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.".into()))
}

/// ACL HELP
fn help(_: &mut Ctx, _: &[Vec<u8>]) -> CmdResult {
    const LINES: &[&str] = &[
        "ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CAT [<category>]",
        "    List all commands that belong to <category>, or all command categories",
        "    when no category is specified.",
        "DELUSER <username> [<username> ...]",
        "    Delete a list of users.",
        "DRYRUN <username> <command> [<arg> ...]",
        "    Returns whether the user can execute the given command without executing the command.",
        "GETUSER <username>",
        "    Get the user's details.",
        "GENPASS [<bits>]",
        "    Generate a secure 256-bit user password. The optional `bits` argument can",
        "    be used to specify a different size.",
        "LIST",
        "    Show users details in config file format.",
        "LOAD",
        "    Reload users from the ACL file.",
        "LOG [<count> | RESET]",
        "    Show the ACL log entries.",
        "SAVE",
        "    Save the current config to the ACL file.",
        "SETUSER <username> <attribute> [<attribute> ...]",
        "    Create or modify a user with the specified attributes.",
        "USERS",
        "    List all the registered usernames.",
        "WHOAMI",
        "    Return the current connection username.",
        "HELP",
        "    Prints this help.",
    ];
    Ok(Reply::Array(
        LINES.iter().map(|l| Reply::status(l.to_string())).collect(),
    ))
}

// ---- the table ----

const SUB: Command = Command {
    name: "",
    arity: 2,
    flags: flags![ADMIN, NOSCRIPT, LOADING, STALE],
    acl: acl![ADMIN, SLOW, DANGEROUS],
    group: Group::Server,
    since: "6.0.0",
    complexity: "O(1)",
    link: Link::Refused("ACL changes who may do what on the server"),
    ..BASE
};

/// The sub-commands any user may run on itself.
const OPEN: Command = Command {
    flags: flags![NOSCRIPT, LOADING, STALE],
    acl: acl![SLOW],
    link: Link::Allowed,
    ..SUB
};

pub const COMMANDS: &[Command] = &[
    Command {
        name: "acl",
        arity: -2,
        flags: flags![],
        acl: acl![SLOW],
        complexity: "Depends on subcommand.",
        summary: "Users and their permissions",
        handler: super::container_handler,
        subcommands: &[
            Command {
                name: "acl|cat",
                arity: -2,
                complexity: "O(1) since the categories and commands are a fixed set.",
                summary: "The ACL categories, or the commands in one",
                syntax: "[categoryname]",
                handler: cat,
                ..OPEN
            },
            Command {
                name: "acl|deluser",
                arity: -3,
                complexity: "O(1) amortized time considering the typical user.",
                summary: "Delete users (and close their connections)",
                syntax: "username [username ...]",
                handler: deluser,
                ..SUB
            },
            Command {
                name: "acl|dryrun",
                arity: -4,
                since: "7.0.0",
                complexity: "O(1).",
                summary: "Whether a user could run a command line, without running it",
                syntax: "username command [arg [arg ...]]",
                handler: dryrun,
                ..SUB
            },
            Command {
                name: "acl|genpass",
                arity: -2,
                summary: "A random password (256 bits, or the bits given), in hex",
                syntax: "[bits]",
                handler: genpass,
                ..OPEN
            },
            Command {
                name: "acl|getuser",
                arity: 3,
                complexity: "O(N). Where N is the number of password, command and pattern rules that the user has.",
                summary: "A user's flags, passwords, commands, keys, channels and selectors",
                syntax: "username",
                handler: getuser,
                ..SUB
            },
            Command {
                name: "acl|help",
                flags: flags![LOADING, STALE],
                summary: "Show what ACL can do",
                handler: help,
                ..OPEN
            },
            Command {
                name: "acl|list",
                complexity: "O(N). Where N is the number of configured users.",
                summary: "Every user, as the rules that recreate it",
                handler: list,
                ..SUB
            },
            Command {
                name: "acl|load",
                complexity: "O(N). Where N is the number of configured users.",
                summary: "Reload the users from the ACL file (there is none in a playground)",
                handler: load_or_save,
                ..SUB
            },
            Command {
                name: "acl|log",
                arity: -2,
                complexity: "O(N) with N being the number of entries shown.",
                summary: "The latest refused commands and failed logins",
                syntax: "[count|RESET]",
                handler: log,
                ..SUB
            },
            Command {
                name: "acl|save",
                complexity: "O(N). Where N is the number of configured users.",
                summary: "Save the users to the ACL file (there is none in a playground)",
                handler: load_or_save,
                ..SUB
            },
            Command {
                name: "acl|setuser",
                arity: -3,
                complexity: "O(N). Where N is the number of rules provided.",
                summary: "Create or change a user with rules: on/off, >password, ~keys, &channels, +commands",
                syntax: "username [rule [rule ...]]",
                handler: setuser,
                ..SUB
            },
            Command {
                name: "acl|users",
                complexity: "O(N). Where N is the number of configured users.",
                summary: "The users' names",
                handler: users,
                ..SUB
            },
            Command {
                name: "acl|whoami",
                summary: "The user this connection runs as",
                handler: whoami,
                ..OPEN
            },
        ],
        ..SUB
    },
    Command {
        name: "auth",
        arity: -2,
        flags: flags![NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY],
        acl: acl![FAST, CONNECTION],
        group: Group::Connection,
        since: "1.0.0",
        complexity: "O(N) where N is the number of passwords defined for the user",
        summary: "Log the connection in as a user (default when only a password is given)",
        syntax: "[username] password",
        handler: auth,
        link: Link::Refused("AUTH changes the console's user"),
        ..BASE
    },
];
