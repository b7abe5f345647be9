//! Errors as data. `Display` is exactly the text Redis 7.0 sends after the `-`.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CmdError {
    WrongType,
    /// Carries the command's full lower-case name (`get`, `object|encoding`).
    WrongArity(String),
    /// The command name as typed, and the arguments after it.
    UnknownCommand(Vec<u8>, Vec<Vec<u8>>),
    /// The sub-command as typed and the container's name.
    UnknownSubcommand(Vec<u8>, String),
    NotInteger,
    NotFloat,
    Overflow,
    IncrNanOrInf,
    Syntax,
    NoSuchKey,
    /// The lower-case command name.
    InvalidExpire(String),
    DbIndexOutOfRange,
    StringTooLong,
    OffsetOutOfRange,
    /// Redis's answer when memory is full (`maxmemory` with `noeviction`).
    Oom,
    /// `ERR <text>`: a Redis message that is used once.
    Err(String),
    /// A message with its own code word (`NOPERM …`, `EXECABORT …`).
    Raw(String),
}

/// Redis puts at most 128 bytes of user text into an error, formatted as a C string (so
/// it ends at a NUL byte), and never a newline.
pub(crate) fn clip(b: &[u8], max: usize) -> String {
    let b = &b[..b.iter().position(|&c| c == 0).unwrap_or(b.len())];
    let b = &b[..b.len().min(max)];
    String::from_utf8_lossy(b).replace(['\r', '\n'], " ")
}

impl fmt::Display for CmdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use CmdError::*;
        match self {
            WrongType => {
                f.write_str("WRONGTYPE Operation against a key holding the wrong kind of value")
            }
            WrongArity(cmd) => write!(f, "ERR wrong number of arguments for '{cmd}' command"),
            UnknownCommand(name, args) => {
                let mut shown = String::new();
                for a in args {
                    if shown.len() >= 128 {
                        break;
                    }
                    let room = 128 - shown.len();
                    shown.push('\'');
                    shown.push_str(&clip(a, room));
                    shown.push_str("' ");
                }
                write!(
                    f,
                    "ERR unknown command '{}', with args beginning with: {}",
                    clip(name, 128),
                    shown
                )
            }
            UnknownSubcommand(sub, container) => write!(
                f,
                "ERR unknown subcommand '{}'. Try {} HELP.",
                clip(sub, 128),
                container.to_ascii_uppercase()
            ),
            NotInteger => f.write_str("ERR value is not an integer or out of range"),
            NotFloat => f.write_str("ERR value is not a valid float"),
            Overflow => f.write_str("ERR increment or decrement would overflow"),
            IncrNanOrInf => f.write_str("ERR increment would produce NaN or Infinity"),
            Syntax => f.write_str("ERR syntax error"),
            NoSuchKey => f.write_str("ERR no such key"),
            InvalidExpire(cmd) => write!(f, "ERR invalid expire time in '{cmd}' command"),
            DbIndexOutOfRange => f.write_str("ERR DB index is out of range"),
            StringTooLong => {
                f.write_str("ERR string exceeds maximum allowed size (proto-max-bulk-len)")
            }
            OffsetOutOfRange => f.write_str("ERR offset is out of range"),
            Oom => f.write_str("OOM command not allowed when used memory > 'maxmemory'."),
            Err(msg) => write!(f, "ERR {msg}"),
            Raw(msg) => f.write_str(msg),
        }
    }
}

impl std::error::Error for CmdError {}

pub type CmdResult<T = crate::reply::Reply> = Result<T, CmdError>;
