//! redis-cli's HELP, from the command table: `HELP GET`, `HELP OBJECT` (every sub-command),
//! `HELP @string` (a group), and a banner for HELP alone. The layout, colours and line ends
//! are redis-cli's; the words are ours.

use crate::commands::table::Group;
use crate::commands::{self, Command};

/// Every entry HELP knows: top-level commands without sub-commands, and sub-commands.
pub fn entries() -> Vec<&'static Command> {
    let mut v: Vec<&'static Command> = commands::all()
        .flat_map(|c| {
            if c.subcommands.is_empty() {
                std::slice::from_ref(c)
            } else {
                c.subcommands
            }
        })
        .collect();
    crate::sorting::sort_by(&mut v, |a, b| a.display_name().cmp(&b.display_name()));
    v
}

fn entry_text(out: &mut String, c: &Command, with_group: bool) {
    out.push_str(&format!(
        "\r\n  \x1b[1m{}\x1b[0m \x1b[90m{}\x1b[0m\r\n",
        c.display_name(),
        c.syntax
    ));
    out.push_str(&format!("  \x1b[33msummary:\x1b[0m {}\r\n", c.summary));
    out.push_str(&format!("  \x1b[33msince:\x1b[0m {}", c.since));
    if c.is_after_emulated() {
        out.push_str(" (newer than the Redis 7.0 this playground emulates)");
    }
    out.push_str("\r\n");
    if with_group {
        out.push_str(&format!("  \x1b[33mgroup:\x1b[0m {}\r\n", c.group.name()));
    }
}

/// What redis-cli prints for `HELP <args>`.
pub fn help(args: &[Vec<u8>]) -> String {
    if args.is_empty() {
        return banner();
    }
    let mut out = String::new();
    let group = args[0].strip_prefix(b"@").and_then(Group::by_name);
    if group.is_none() && !args[0].starts_with(b"@") {
        if let Some(note) = crate::commands::catalogue::note(&args[0]) {
            // Not in the table: say whether Redis has it (redis-cli would show its help).
            out.push_str(&note);
            out.push_str("\r\n");
            return out;
        }
    }
    for c in entries() {
        match group {
            Some(g) => {
                if c.group == g {
                    entry_text(&mut out, c, false);
                }
            }
            None => {
                let words: Vec<&str> = c.name.split('|').collect();
                if args.len() <= words.len()
                    && args
                        .iter()
                        .zip(&words)
                        .all(|(a, w)| a.eq_ignore_ascii_case(w.as_bytes()))
                {
                    entry_text(&mut out, c, true);
                }
            }
        }
    }
    out.push_str("\r\n");
    out
}

/// The README's table of supported commands, generated from the command table: one
/// section per family, one row per command (sub-commands listed with their container).
pub fn supported_commands_markdown() -> String {
    let mut out = String::new();
    for (family, cmds) in commands::families() {
        if cmds.is_empty() {
            continue;
        }
        let mut rows: Vec<&Command> = cmds
            .iter()
            .flat_map(|c| std::iter::once(c).chain(c.subcommands.iter()))
            .collect();
        crate::sorting::sort_by(&mut rows, |a, b| a.display_name().cmp(&b.display_name()));
        out.push_str(&format!(
            "\n**{family}** ({})\n\n| command | syntax | what it does |\n|---|---|---|\n",
            rows.len()
        ));
        for c in rows {
            let syntax = c.syntax.replace('|', "\\|");
            out.push_str(&format!(
                "| `{}` | {} | {} |\n",
                c.display_name(),
                if syntax.is_empty() {
                    String::new()
                } else {
                    format!("`{syntax}`")
                },
                c.summary
            ));
        }
    }
    out
}

/// redis-cli's grey inline hint for a partly typed line: the syntax of the longest command
/// name the line starts with, minus one word per argument already typed (stopping at the
/// first optional `[` part), with a leading space unless the line ends in one. None when
/// the line names no command.
pub fn hint(line: &str) -> Option<String> {
    let args = crate::cli::split_args(line.as_bytes())?;
    if args.is_empty() {
        return None;
    }
    let mut best: Option<(&Command, usize)> = None;
    for c in entries() {
        let words: Vec<&str> = c.name.split('|').collect();
        if words.len() <= args.len()
            && words
                .iter()
                .zip(&args)
                .all(|(w, a)| a.eq_ignore_ascii_case(w.as_bytes()))
            && best.is_none_or(|(_, n)| words.len() > n)
        {
            best = Some((c, words.len()));
        }
    }
    let (cmd, matched) = best?;
    let mut hint = cmd.syntax;
    let mut to_remove = args.len() - matched;
    while to_remove > 0 && !hint.is_empty() {
        if hint.starts_with('[') {
            break;
        }
        if hint.starts_with(' ') {
            to_remove -= 1;
        }
        hint = &hint[1..];
    }
    let ends_in_space = line.chars().last().is_some_and(|c| c.is_ascii_whitespace());
    Some(if ends_in_space {
        hint.to_string()
    } else {
        format!(" {hint}")
    })
}

/// redis-cli's Tab completions for a line: command names (`GET`, `GETDEL`, `OBJECT
/// ENCODING`) starting with what was typed, case-insensitively; after `help ` also the
/// `@group` topics. Each completion is the whole new line.
pub fn completions(line: &str) -> Vec<String> {
    let (start, with_groups) = if line.len() >= 5 && line[..5].eq_ignore_ascii_case("help ") {
        let rest = line[5..].trim_start();
        (line.len() - rest.len(), true)
    } else {
        (0, false)
    };
    let typed = &line[start..];
    let mut topics: Vec<String> = entries().into_iter().map(|c| c.display_name()).collect();
    if with_groups {
        topics.extend(Group::ALL.iter().map(|g| format!("@{}", g.name())));
    }
    topics
        .into_iter()
        .filter(|t| {
            t.len() >= typed.len()
                && t.as_bytes()[..typed.len()].eq_ignore_ascii_case(typed.as_bytes())
        })
        .map(|t| format!("{}{t}", &line[..start]))
        .collect()
}

/// Which arguments of a (possibly partly typed) line are key names, as indices into its
/// split arguments (0 is the command); empty when the line names no command or its keys
/// can't be told yet.
pub fn key_positions(line: &str) -> Vec<usize> {
    let Some(args) = crate::cli::split_args(line.as_bytes()) else {
        return vec![];
    };
    let Some(mut cmd) = args.first().and_then(|n| commands::lookup(n)) else {
        return vec![];
    };
    if !cmd.subcommands.is_empty() {
        match args.get(1).and_then(|s| commands::lookup_sub(cmd, s)) {
            Some(sub) => cmd = sub,
            None => return vec![],
        }
    }
    commands::keyspec::key_positions(cmd, &args).unwrap_or_default()
}

fn banner() -> String {
    [
        "redis-cli 7.0.15 (Redis Playground)",
        "Type a Redis command to run it. For help:",
        "      \"help @<group>\" lists the commands of a group (e.g. \"help @string\")",
        "      \"help <command>\" describes a command (e.g. \"help SET\")",
        "      \"help <tab>\" completes help topics",
        "      \"clear\" or Ctrl+L clears the screen",
    ]
    .join("\n")
        + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_for_a_command_has_redis_cli_layout() {
        let h = help(&[b"get".to_vec()]);
        assert!(
            h.starts_with(
                "\r\n  \x1b[1mGET\x1b[0m \x1b[90mkey\x1b[0m\r\n  \x1b[33msummary:\x1b[0m "
            ),
            "{h:?}"
        );
        assert!(h.ends_with("\x1b[33mgroup:\x1b[0m string\r\n\r\n"), "{h:?}");
    }

    #[test]
    fn help_for_a_group_lists_its_commands_in_order_without_group_lines() {
        let h = help(&[b"@STRING".to_vec()]);
        let append = h.find("APPEND").unwrap();
        let decr = h.find("DECR").unwrap();
        assert!(append < decr);
        assert!(!h.contains("group:"));
        assert!(!h.contains("EXPIRE"));
    }

    #[test]
    fn hints_show_the_syntax_still_to_type_like_redis_cli() {
        assert_eq!(hint("set").as_deref(), Some(" key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]"));
        assert_eq!(hint("SET ").as_deref(), Some("key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]"));
        assert_eq!(hint("set k").as_deref(), Some(" value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]"));
        assert_eq!(hint("set k v ").as_deref(), Some("[NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]"));
        assert_eq!(hint("object encoding").as_deref(), Some(" key"));
        assert_eq!(hint("get k extra ").as_deref(), Some(""));
        assert_eq!(hint("nosuch"), None);
        assert_eq!(hint(""), None);
    }

    #[test]
    fn tab_completes_command_names_and_help_topics() {
        let c = completions("getr");
        assert_eq!(c, vec!["GETRANGE".to_string()]);
        assert!(completions("GET").contains(&"GETDEL".to_string()));
        assert!(completions("object e").contains(&"OBJECT ENCODING".to_string()));
        assert_eq!(completions("help @stri"), vec!["help @string".to_string()]);
        assert_eq!(completions("help @str").len(), 2);
        assert!(completions("help  ex").contains(&"help  EXPIRE".to_string()));
        assert!(completions("zzzz").is_empty());
    }

    #[test]
    fn key_positions_mark_the_keys_of_a_line() {
        assert_eq!(key_positions("SET k v EX 10"), vec![1]);
        assert_eq!(key_positions("MSET a 1 b 2"), vec![1, 3]);
        assert_eq!(key_positions("object encoding k"), vec![2]);
        assert_eq!(
            key_positions("ZUNIONSTORE d 2 a b WEIGHTS 1 2"),
            vec![1, 3, 4]
        );
        assert_eq!(key_positions("PING"), Vec::<usize>::new());
        assert_eq!(key_positions("nosuch a"), Vec::<usize>::new());
    }

    #[test]
    fn help_for_a_container_lists_its_sub_commands() {
        let h = help(&[b"object".to_vec()]);
        assert!(h.contains("OBJECT ENCODING"));
        assert!(h.contains("OBJECT IDLETIME"));
    }
}
