//! A reply as the engine produces it, shaped like RESP3. Handlers build one shape; the
//! server adapts it to the client's protocol (`for_protocol`) before anyone reads it, so a
//! RESP2 client never sees a map or a double, and `cli.rs` prints whatever arrives the way
//! redis-cli does.

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
    /// A double as a RESP2 client receives it: the bulk string of its `%.17g` text (what
    /// `Double` becomes for RESP2, without making the text until it is written).
    DoubleBulk(f64),
    /// Several replies in a row for one command: SUBSCRIBE a b confirms each channel.
    Multi(Vec<Reply>),
    /// A RESP3 boolean; `:1`/`:0` in RESP2.
    Bool(bool),
    /// A RESP3 verbatim string (format `txt`): INFO, CLIENT LIST, LOLWUT… A bulk string in
    /// RESP2.
    Verbatim(Vec<u8>),
    /// A RESP3 big number, as its decimal digits; a bulk string in RESP2.
    BigNumber(String),
    /// A double whose text is already made (Redis's "human" long doubles: GEOPOS); a bulk
    /// string of that text in RESP2.
    DoubleText(String),
    /// A RESP3 push (pub/sub messages, invalidations); an array in RESP2.
    Push(Vec<Reply>),
    /// The RESP3 null (`_`): what both nils become for a RESP3 client.
    Null,
    /// Member/score (or field/value) pairs: a flat array in RESP2, an array of two-element
    /// arrays in RESP3 (ZRANGE … WITHSCORES, HRANDFIELD … WITHVALUES).
    Pairs(Vec<(Reply, Reply)>),
    /// Key/value pairs that RESP2 sends as an array of two-element arrays and RESP3 as a
    /// map (XREAD's streams).
    KeyedArrays(Vec<(Reply, Reply)>),
    /// RESP3 attributes, then the reply they describe (DEBUG PROTOCOL attrib); RESP2 gets
    /// only the reply.
    Attributed(Vec<(Reply, Reply)>, Box<Reply>),
}

/// A client's protocol, as HELLO sets it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Protocol {
    #[default]
    Resp2,
    Resp3,
}

impl Protocol {
    pub fn number(self) -> i64 {
        match self {
            Protocol::Resp2 => 2,
            Protocol::Resp3 => 3,
        }
    }
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

    /// Either nil (RESP2's two, RESP3's one).
    pub fn is_nil(&self) -> bool {
        matches!(self, Reply::Nil | Reply::NilArray | Reply::Null)
    }

    /// The reply as a client speaking `proto` receives it: RESP2 gets maps flattened,
    /// sets as arrays, doubles and verbatim text as bulk strings, booleans as integers;
    /// RESP3 gets one null and nested pairs. Replies with nothing to adapt (most) are
    /// returned as they are, without a copy.
    pub fn for_protocol(mut self, proto: Protocol) -> Reply {
        self.adapt(proto);
        self
    }

    fn adapt(&mut self, proto: Protocol) {
        let resp3 = proto == Protocol::Resp3;
        let flat = |pairs: &mut Vec<(Reply, Reply)>| -> Vec<Reply> {
            let mut out = Vec::with_capacity(pairs.len() * 2);
            for (mut k, mut v) in pairs.drain(..) {
                k.adapt(proto);
                v.adapt(proto);
                out.push(k);
                out.push(v);
            }
            out
        };
        let nested = |pairs: &mut Vec<(Reply, Reply)>| -> Vec<Reply> {
            pairs
                .drain(..)
                .map(|(mut k, mut v)| {
                    k.adapt(proto);
                    v.adapt(proto);
                    Reply::Array(vec![k, v])
                })
                .collect()
        };
        let adapt_all = |items: &mut Vec<Reply>| items.iter_mut().for_each(|i| i.adapt(proto));
        let adapt_pairs = |pairs: &mut Vec<(Reply, Reply)>| {
            for (k, v) in pairs.iter_mut() {
                k.adapt(proto);
                v.adapt(proto);
            }
        };
        match self {
            Reply::Status(_) | Reply::Error(_) | Reply::Int(_) | Reply::Bulk(_) => {}
            Reply::Nil | Reply::NilArray if resp3 => *self = Reply::Null,
            Reply::Nil | Reply::NilArray => {}
            Reply::Null if !resp3 => *self = Reply::Nil,
            Reply::Null => {}
            Reply::Array(items) | Reply::Multi(items) => adapt_all(items),
            Reply::Set(items) | Reply::Push(items) if !resp3 => {
                adapt_all(items);
                *self = Reply::Array(std::mem::take(items));
            }
            Reply::Set(items) | Reply::Push(items) => adapt_all(items),
            Reply::Map(pairs) if !resp3 => *self = Reply::Array(flat(pairs)),
            Reply::Map(pairs) => adapt_pairs(pairs),
            Reply::Pairs(pairs) if !resp3 => *self = Reply::Array(flat(pairs)),
            Reply::Pairs(pairs) => *self = Reply::Array(nested(pairs)),
            Reply::KeyedArrays(pairs) if !resp3 => *self = Reply::Array(nested(pairs)),
            Reply::KeyedArrays(pairs) => {
                adapt_pairs(pairs);
                *self = Reply::Map(std::mem::take(pairs));
            }
            Reply::Double(d) if !resp3 => *self = Reply::DoubleBulk(*d),
            Reply::Double(_) => {}
            Reply::DoubleBulk(d) if resp3 => *self = Reply::Double(*d),
            Reply::DoubleBulk(_) => {}
            Reply::Bool(b) if !resp3 => *self = Reply::Int(i64::from(*b)),
            Reply::Bool(_) => {}
            Reply::Verbatim(text) if !resp3 => *self = Reply::Bulk(std::mem::take(text)),
            Reply::Verbatim(_) => {}
            Reply::BigNumber(s) | Reply::DoubleText(s) if !resp3 => {
                *self = Reply::Bulk(std::mem::take(s).into_bytes())
            }
            Reply::BigNumber(_) | Reply::DoubleText(_) => {}
            Reply::Attributed(attrs, inner) => {
                inner.adapt(proto);
                if resp3 {
                    adapt_pairs(attrs);
                } else {
                    *self = std::mem::replace(inner.as_mut(), Reply::Nil);
                }
            }
        }
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
            Reply::Null => 3,
            Reply::Double(d) | Reply::DoubleBulk(d) => {
                bulk(crate::num::double::G17::new(*d).as_str().len())
            }
            Reply::Bool(_) => 4,
            Reply::Verbatim(b) => bulk(b.len()),
            Reply::BigNumber(s) | Reply::DoubleText(s) => bulk(s.len()),
            Reply::Array(items) | Reply::Set(items) | Reply::Push(items) => {
                line(items.len() as i64) + items.iter().map(Reply::resp2_len).sum::<usize>()
            }
            Reply::Map(pairs) | Reply::Pairs(pairs) => {
                line(2 * pairs.len() as i64)
                    + pairs
                        .iter()
                        .map(|(k, v)| k.resp2_len() + v.resp2_len())
                        .sum::<usize>()
            }
            Reply::KeyedArrays(pairs) => {
                line(pairs.len() as i64)
                    + pairs
                        .iter()
                        .map(|(k, v)| 4 + k.resp2_len() + v.resp2_len())
                        .sum::<usize>()
            }
            Reply::Attributed(_, inner) => inner.resp2_len(),
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
