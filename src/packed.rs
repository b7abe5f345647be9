//! Arguments and replies packed for one crossing of the wasm boundary each way.
//!
//! Handing JavaScript a reply element by element costs several boundary calls per element
//! (an object, its properties, a string); an argument list costs as many. Packed, a call
//! crosses once each way: the arguments come in as one string, and a reply goes out as
//! the text of all its strings plus a list of 32-bit words describing the tree. The
//! JavaScript half is `src/wasm/codec.js`.

use crate::reply::Reply;

/// Word tags of a packed reply. A string's length is counted in UTF-16 units, so that
/// JavaScript can cut it out of the text with `slice`.
pub mod tag {
    /// `STATUS len`
    pub const STATUS: u32 = 0;
    /// `ERROR len`
    pub const ERROR: u32 = 1;
    /// `INTEGER low high` (the two halves of an i64, two's complement)
    pub const INTEGER: u32 = 2;
    /// `BULK len`: a bulk string that is valid UTF-8.
    pub const BULK: u32 = 3;
    /// `NIL`
    pub const NIL: u32 = 4;
    /// `ARRAY count`, then the items.
    pub const ARRAY: u32 = 5;
    /// `MULTI count`, then the replies (one command answering several times).
    pub const MULTI: u32 = 6;
    /// `BINARY len raw_len`: a bulk string that isn't valid UTF-8. Its text is the lossy
    /// reading (U+FFFD for bad bytes); its bytes follow in the raw buffer.
    pub const BINARY: u32 = 7;
}

/// A packed reply: reuse one across calls (`clear` keeps the buffers).
#[derive(Default, Debug)]
pub struct PackedReply {
    /// Every string of the reply, in order, as one text.
    pub text: String,
    /// The tree, as the words described in [`tag`].
    pub shape: Vec<u32>,
    /// The bytes of bulk strings that aren't valid UTF-8, in order.
    pub raw: Vec<u8>,
}

impl PackedReply {
    pub fn clear(&mut self) {
        self.text.clear();
        self.shape.clear();
        self.raw.clear();
    }

    /// Append `reply` (call `clear` first for a fresh one).
    pub fn push(&mut self, reply: &Reply) {
        match reply {
            Reply::Status(s) => self.string(tag::STATUS, s),
            Reply::Error(e) => self.string(tag::ERROR, e),
            Reply::Int(n) => {
                let n = *n as u64;
                self.shape
                    .extend([tag::INTEGER, n as u32, (n >> 32) as u32]);
            }
            Reply::Bulk(b) => match std::str::from_utf8(b) {
                Ok(text) => self.string(tag::BULK, text),
                Err(_) => {
                    let lossy = String::from_utf8_lossy(b);
                    self.string(tag::BINARY, &lossy);
                    self.shape.push(b.len() as u32);
                    self.raw.extend_from_slice(b);
                }
            },
            Reply::Double(d) => {
                let text = crate::num::double::G17::new(*d);
                self.string(tag::BULK, text.as_str());
            }
            Reply::Nil | Reply::NilArray => self.shape.push(tag::NIL),
            Reply::Array(items) | Reply::Set(items) => {
                self.shape.extend([tag::ARRAY, items.len() as u32]);
                items.iter().for_each(|i| self.push(i));
            }
            Reply::Multi(items) => {
                self.shape.extend([tag::MULTI, items.len() as u32]);
                items.iter().for_each(|i| self.push(i));
            }
            Reply::Map(pairs) => {
                // As RESP2 sends it: a flat array of key, value, key, value…
                self.shape.extend([tag::ARRAY, 2 * pairs.len() as u32]);
                for (k, v) in pairs {
                    self.push(k);
                    self.push(v);
                }
            }
        }
    }

    fn string(&mut self, tag: u32, s: &str) {
        self.text.push_str(s);
        self.shape.extend([tag, utf16_len(s) as u32]);
    }
}

fn utf16_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().map(char::len_utf16).sum()
    }
}

/// Split an argument list joined as `<length>:<argument>` repeated, each length counted
/// in UTF-16 units (what JavaScript's `length` says). Returns None if the text doesn't
/// follow that form.
pub fn split_argv(joined: &str) -> Option<Vec<Vec<u8>>> {
    let mut argv = Vec::with_capacity(4);
    let mut rest = joined;
    let ascii = joined.is_ascii();
    while !rest.is_empty() {
        let colon = rest.find(':')?;
        let units: usize = rest[..colon].parse().ok()?;
        rest = &rest[colon + 1..];
        let bytes = if ascii {
            units
        } else {
            let mut seen = 0;
            let mut end = 0;
            for c in rest.chars() {
                if seen >= units {
                    break;
                }
                seen += c.len_utf16();
                end += c.len_utf8();
            }
            if seen != units {
                return None;
            }
            end
        };
        let arg = rest.get(..bytes)?;
        argv.push(arg.as_bytes().to_vec());
        rest = &rest[bytes..];
    }
    Some(argv)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn join(args: &[&str]) -> String {
        args.iter()
            .map(|a| format!("{}:{a}", a.encode_utf16().count()))
            .collect()
    }

    #[test]
    fn an_argument_list_comes_back_as_it_was_joined() {
        for args in [
            vec!["GET", "key:1"],
            vec!["SET", "", "a:b:c"],
            vec!["SET", "clé", "😀 emoji", "12:34"],
            vec![],
        ] {
            let want: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
            assert_eq!(split_argv(&join(&args)), Some(want), "{args:?}");
        }
    }

    #[test]
    fn a_malformed_join_is_refused_not_misread() {
        for bad in ["3GET", "x:GET", "4:GET", "1:😀", "3:GET1"] {
            assert_eq!(split_argv(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_reply_tree_packs_into_words_and_text() {
        let mut p = PackedReply::default();
        p.push(&Reply::Array(vec![
            Reply::Status("OK".into()),
            Reply::Int(-2),
            Reply::Bulk("é".as_bytes().to_vec()),
            Reply::Bulk(vec![0xff, b'a']),
            Reply::Nil,
            Reply::Map(vec![(Reply::bulk("f"), Reply::Double(1.5))]),
        ]));
        assert_eq!(p.text, "OKé\u{fffd}af1.5");
        assert_eq!(
            p.shape,
            vec![
                tag::ARRAY,
                6,
                tag::STATUS,
                2,
                tag::INTEGER,
                u32::MAX - 1,
                u32::MAX,
                tag::BULK,
                1,
                tag::BINARY,
                2,
                2,
                tag::NIL,
                tag::ARRAY,
                2,
                tag::BULK,
                1,
                tag::BULK,
                3,
            ]
        );
        assert_eq!(p.raw, vec![0xff, b'a']);
    }
}
