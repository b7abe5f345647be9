//! Reply shapes several families share: a scan step, and the `<COMMAND> HELP` listing.
//! (Argument parsing shared between families lives with the cursor, in `args.rs`.)

use crate::reply::Reply;

/// A scan step's reply: the next cursor and the items found.
pub fn scan_reply(next: u64, items: Vec<Reply>) -> Reply {
    Reply::Array(vec![Reply::bulk(next.to_string()), Reply::Array(items)])
}

/// The shape of every Redis `<COMMAND> HELP` reply: a header, the lines, a HELP line.
pub fn help_lines(cmd: &str, lines: &[&str]) -> Reply {
    let mut out = vec![Reply::status(format!(
        "{cmd} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    ))];
    out.extend(lines.iter().map(|l| Reply::status(l.to_string())));
    out.push(Reply::status("HELP"));
    out.push(Reply::status("    Print this help."));
    Reply::Array(out)
}
