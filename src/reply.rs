//! A reply as the engine produces it, shaped like RESP3 so that a later RESP3 client
//! (HELLO 3) needs no new variants; `cli.rs` renders it the way redis-cli shows RESP2.

use std::borrow::Cow;

use crate::error::CmdError;

#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    /// `+OK` and friends (most are fixed words: no allocation for those).
    Status(Cow<'static, str>),
    /// `-ERR ...`: the full text, including its code word.
    Error(String),
    Int(i64),
    Bulk(Vec<u8>),
    /// The nil bulk string (`$-1`).
    Nil,
    /// The nil array (`*-1`), e.g. a failed EXEC. redis-cli prints both nils the same.
    NilArray,
    Array(Vec<Reply>),
    /// A RESP3 map; in RESP2 it is a flat array of key, value, key, value…
    Map(Vec<(Reply, Reply)>),
    /// A RESP3 set; in RESP2 an array.
    Set(Vec<Reply>),
    /// A RESP3 double; in RESP2 a bulk string formatted like Redis 7.0 (`%.17g`).
    Double(f64),
    /// Several replies in a row for one command: SUBSCRIBE a b confirms each channel.
    Multi(Vec<Reply>),
}

impl Reply {
    pub fn ok() -> Reply {
        Reply::Status(Cow::Borrowed("OK"))
    }
    pub fn status(s: impl Into<Cow<'static, str>>) -> Reply {
        Reply::Status(s.into())
    }
    pub fn bulk(b: impl AsRef<[u8]>) -> Reply {
        Reply::Bulk(b.as_ref().to_vec())
    }
    pub fn opt_bulk(b: Option<impl AsRef<[u8]>>) -> Reply {
        match b {
            Some(b) => Reply::bulk(b),
            None => Reply::Nil,
        }
    }
    pub fn bulks<I, B>(items: I) -> Reply
    where
        I: IntoIterator<Item = B>,
        B: AsRef<[u8]>,
    {
        Reply::Array(items.into_iter().map(Reply::bulk).collect())
    }
    pub fn is_error(&self) -> bool {
        matches!(self, Reply::Error(_))
    }

    /// How many bytes the reply takes on the wire in RESP2 (what it would hold of a
    /// client's output buffer).
    pub fn resp2_len(&self) -> usize {
        fn line(n: i64) -> usize {
            // A type byte, the digits (and sign), CRLF.
            1 + n
                .unsigned_abs()
                .checked_ilog10()
                .map_or(1, |d| d as usize + 1)
                + usize::from(n < 0)
                + 2
        }
        fn bulk(len: usize) -> usize {
            line(len as i64) + len + 2
        }
        match self {
            Reply::Status(s) => 1 + s.len() + 2,
            Reply::Error(e) => 1 + e.len() + 2,
            Reply::Int(n) => line(*n),
            Reply::Bulk(b) => bulk(b.len()),
            Reply::Nil | Reply::NilArray => 5,
            Reply::Double(d) => bulk(crate::num::double::fmt_g17(*d).len()),
            Reply::Array(items) | Reply::Set(items) => {
                line(items.len() as i64) + items.iter().map(Reply::resp2_len).sum::<usize>()
            }
            Reply::Map(pairs) => {
                line(2 * pairs.len() as i64)
                    + pairs
                        .iter()
                        .map(|(k, v)| k.resp2_len() + v.resp2_len())
                        .sum::<usize>()
            }
            Reply::Multi(items) => items.iter().map(Reply::resp2_len).sum(),
        }
    }
}

impl From<CmdError> for Reply {
    fn from(e: CmdError) -> Reply {
        Reply::Error(e.to_string())
    }
}

impl From<i64> for Reply {
    fn from(n: i64) -> Reply {
        Reply::Int(n)
    }
}

impl From<usize> for Reply {
    fn from(n: usize) -> Reply {
        Reply::Int(n as i64)
    }
}

impl From<bool> for Reply {
    fn from(b: bool) -> Reply {
        Reply::Int(b as i64)
    }
}
