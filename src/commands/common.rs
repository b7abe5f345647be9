//! Reply shapes several families share: a scan step, and the `<COMMAND> HELP` listing.
//! (Argument parsing shared between families lives with the cursor, in `args.rs`.)

use crate::error::{CmdError, CmdResult};
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
    out.push(Reply::status("    Prints this help."));
    Reply::Array(out)
}

/// Redis's answer to a container's subcommand it can't run as written (`addReplySubcommand
/// SyntaxError`): the subcommand as typed (up to 128 bytes, as a C string) and the
/// command in capitals.
pub fn subcommand_syntax(argv: &[Vec<u8>]) -> CmdError {
    let text = |a: Option<&Vec<u8>>, max| a.map(|a| crate::error::clip(a, max)).unwrap_or_default();
    CmdError::Err(format!(
        "unknown subcommand or wrong number of arguments for '{}'. Try {} HELP.",
        text(argv.get(1), 128),
        text(argv.first(), usize::MAX).to_ascii_uppercase()
    ))
}

/// Whether a collection of `n` elements of `T` can exist: one allocation holds at most
/// `isize::MAX` bytes (2 GiB on wasm32, about 2^27 list elements), and a growing
/// collection doubles its room. Past that, Redis's OOM error, never a panic.
pub fn fits<T>(n: usize) -> CmdResult<()> {
    n.checked_next_power_of_two()
        .and_then(|cap| cap.checked_mul(std::mem::size_of::<T>().max(1)))
        .filter(|&bytes| bytes <= isize::MAX as usize)
        .map(|_| ())
        .ok_or(CmdError::Oom)
}

/// Room for one command to build a new collection of `n` elements of `T` (SORT's result,
/// with its GET patterns multiplying the elements): it fits, and the engine's memory
/// ceiling leaves room for it.
pub fn room_for<T>(n: usize) -> CmdResult<()> {
    fits::<T>(n)?;
    if crate::memory::has_room_for(n.saturating_mul(std::mem::size_of::<T>())) {
        Ok(())
    } else {
        Err(CmdError::Oom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_collection_past_one_allocation_is_an_oom_error() {
        assert!(fits::<Vec<u8>>(1000).is_ok());
        let most = isize::MAX as usize / std::mem::size_of::<Vec<u8>>();
        assert!(matches!(fits::<Vec<u8>>(most + 1), Err(CmdError::Oom)));
        assert!(matches!(fits::<u8>(usize::MAX), Err(CmdError::Oom)));
        assert!(matches!(
            room_for::<u64>(usize::MAX / 4),
            Err(CmdError::Oom)
        ));
    }
}
