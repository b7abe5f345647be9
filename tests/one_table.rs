//! The command table is the only list of commands. Anything that needs a fact about a
//! command (does it block, run inside MULTI, run while subscribed, may a share link run it,
//! what shape is its reply) asks the command's entry; no other code keeps its own list of
//! command names, because a second list drifts from the first.
//!
//! This scans the Rust sources for the two forms such a list takes: several command names
//! side by side (`matches!(name, "exec" | "multi")`, `["blpop", "brpop"]`), and a decision
//! on one command by name (`cmd.name == "exec"`, `eq_ignore_ascii_case(b"monitor")`).
//! redis-cli's own client-side rules are the one reviewed exception (see ALLOWED). The page's
//! JavaScript has the same check in tests/node/one-table.test.mjs.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Files allowed to name commands, and why.
const ALLOWED: &[(&str, &str)] = &[
    (
        "src/cli.rs",
        "redis-cli's side: the real redis-cli decides by the typed name (SELECT and MULTI \
         change its prompt, SUBSCRIBE starts its reading loop, INFO prints raw)",
    ),
    (
        "src/session.rs",
        "redis-cli's own words: HELP, QUIT and EXIT are handled by the client, never sent",
    ),
    (
        "src/retry/",
        "the simulation is a client of the server: it sends commands by name, as any client",
    ),
];

fn command_names() -> HashSet<String> {
    let mut names = HashSet::new();
    for c in redis_playground::commands::all() {
        names.insert(c.name.to_string());
        for s in c.subcommands {
            names.insert(s.name.to_string());
        }
    }
    names
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The string literals of a line (`"…"` and `b"…"`) with the text before each one.
fn literals(line: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = line;
    let mut before = String::new();
    while let Some(start) = rest.find('"') {
        before.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find('"') else { break };
        out.push((std::mem::take(&mut before), after[..end].to_string()));
        rest = &after[end + 1..];
    }
    out
}

/// What makes a line a list of commands or a decision by name, if anything.
fn offence(line: &str, names: &HashSet<String>) -> Option<String> {
    let code = line.split("//").next().unwrap_or("");
    let is_name = |s: &str| names.contains(&s.to_ascii_lowercase());
    let lits = literals(code);
    // Two names in a row with only `|` or `,` between them: a list or match alternatives.
    for pair in lits.windows(2) {
        let between = pair[1].0.trim().trim_end_matches('b').trim();
        if is_name(&pair[0].1) && is_name(&pair[1].1) && matches!(between, "|" | ",") {
            return Some(format!(
                "a list of command names: {:?}, {:?}",
                pair[0].1, pair[1].1
            ));
        }
    }
    // A decision about the command being run, taken by its name.
    let by_name = [
        ".name == \"",
        "name == \"",
        "matches!(cmd.name,",
        "matches!(name,",
        "match cmd.name {",
        "match name {",
        "argv[0].eq_ignore_ascii_case(b\"",
        "name.eq_ignore_ascii_case(b\"",
    ];
    for p in by_name {
        for (at, _) in code.match_indices(p) {
            let rest = &code[at + p.len() - usize::from(p.ends_with('"'))..];
            if let Some((_, lit)) = literals(rest).first() {
                if is_name(lit) {
                    return Some(format!("a decision by command name: {p}{lit:?}"));
                }
            }
        }
    }
    None
}

#[test]
fn no_code_outside_the_table_lists_command_names() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let names = command_names();
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut found = Vec::new();
    for f in files {
        let rel = f
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if ALLOWED.iter().any(|(a, _)| rel.starts_with(a)) {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        // The code before the unit tests, comments blanked, one statement may span lines
        // (rustfmt puts each `| "name"` of a match on its own line).
        let code: String = text
            .lines()
            .take_while(|l| !l.starts_with("#[cfg(test)]"))
            .map(|l| {
                if l.trim_start().starts_with("//") {
                    ""
                } else {
                    l
                }
            })
            .collect::<Vec<_>>()
            .join(" ");
        if let Some(why) = offence(&code, &names) {
            found.push(format!("{rel}: {why}"));
        }
    }
    assert!(
        found.is_empty(),
        "command names outside the command table (give the entry a field instead):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_catches_the_lists_it_is_meant_to_catch() {
    let names = command_names();
    for bad in [
        r#"        matches!(cmd.name, "exec" | "discard" | "multi")"#,
        r#"    "blpop" | "brpop" | "bzpopmin" => Some(keys),"#,
        r#"    const BLOCKING: &[&str] = &["blpop", "brpop"];"#,
        r#"    if cmd.name == "ping" {"#,
        r#"    if argv[0].eq_ignore_ascii_case(b"monitor") {"#,
        r#"    match cmd.name { "sort" => return Some(sort_keys(argv, true)), _ => {} }"#,
    ] {
        assert!(offence(bad, &names).is_some(), "{bad}");
    }
    for fine in [
        r#"    Command { name: "hget", summary: "Read one field", handler: hget, ..R },"#,
        r#"    subscribe_generic(ctx, names, Kind::Channel, "subscribe")"#,
        r#"    return Err(CmdError::WrongArity("ping".into()));"#,
        r#"    let event = "lpush"; // a keyspace event, not a command"#,
        r#"    ctx.notify(Class::ZSet, if max { "zpopmax" } else { "zpopmin" }, key);"#,
        r#"    } else if a.eq_ignore_ascii_case(b"get") || a.eq_ignore_ascii_case(b"by") {"#,
    ] {
        assert!(offence(fine, &names).is_none(), "{fine}");
    }
}
