//! Arguments and replies packed for one crossing of the wasm boundary each way.
//!
//! Handing JavaScript a reply element by element costs several boundary calls per element
//! (an object, its properties, a string); an argument list costs as many. Packed, a call
//! crosses once each way: JavaScript writes the arguments into one buffer in wasm memory,
//! each as a little-endian u32 length and its UTF-8 bytes, and a reply goes out as the
//! text of all its strings plus a list of 32-bit words describing the tree. The
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
    /// `NIL_ARRAY`: the nil array (`*-1`, a failed EXEC), as opposed to the nil bulk string.
    pub const NIL_ARRAY: u32 = 8;
    /// `MAP pairs`, then key, value, key, value… (RESP3)
    pub const MAP: u32 = 9;
    /// `SET count`, then the items (RESP3)
    pub const SET: u32 = 10;
    /// `PUSH count`, then the items (RESP3)
    pub const PUSH: u32 = 11;
    /// `DOUBLE len`: the double's text (RESP3)
    pub const DOUBLE: u32 = 12;
    /// `BOOL 0|1` (RESP3)
    pub const BOOL: u32 = 13;
    /// `VERBATIM len`: a verbatim string of format `txt` (RESP3)
    pub const VERBATIM: u32 = 14;
    /// `BIGNUM len`: a big number's digits (RESP3)
    pub const BIGNUM: u32 = 15;
    /// `NULL`: the RESP3 null
    pub const NULL: u32 = 16;
    /// `ATTRIBUTED pairs`, then key, value… then the reply they describe (RESP3)
    pub const ATTRIBUTED: u32 = 17;
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
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
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
            // Replies come adapted to the client's protocol (`Reply::for_protocol`): a
            // RESP2 client's have none of the RESP3 types below.
            Reply::Double(d) => {
                let text = crate::num::double::G17::new(*d);
                self.string(tag::DOUBLE, text.as_str());
            }
            Reply::DoubleText(t) => self.string(tag::DOUBLE, t),
            Reply::DoubleBulk(d) => {
                let text = crate::num::double::G17::new(*d);
                self.string(tag::BULK, text.as_str());
            }
            Reply::Nil => self.shape.push(tag::NIL),
            Reply::NilArray => self.shape.push(tag::NIL_ARRAY),
            Reply::Null => self.shape.push(tag::NULL),
            Reply::Bool(b) => self.words(tag::BOOL, u32::from(*b)),
            Reply::Verbatim(b) => self.string(tag::VERBATIM, &String::from_utf8_lossy(b)),
            Reply::BigNumber(n) => self.string(tag::BIGNUM, n),
            Reply::Array(items) => self.items(tag::ARRAY, items),
            Reply::Set(items) => self.items(tag::SET, items),
            Reply::Push(items) => self.items(tag::PUSH, items),
            Reply::Multi(items) => self.items(tag::MULTI, items),
            Reply::Map(pairs) => self.pairs(tag::MAP, pairs),
            Reply::Attributed(attrs, inner) => {
                self.pairs(tag::ATTRIBUTED, attrs);
                self.push(inner);
            }
            Reply::Pairs(_) | Reply::KeyedArrays(_) => {
                let adapted = reply.clone().for_protocol(crate::reply::Protocol::Resp2);
                self.push(&adapted)
            }
        }
    }

    fn items(&mut self, tag: u32, items: &[Reply]) {
        self.shape.reserve(2 + 2 * items.len());
        self.words(tag, items.len() as u32);
        items.iter().for_each(|i| self.push(i));
    }

    fn pairs(&mut self, tag: u32, pairs: &[(Reply, Reply)]) {
        self.shape.reserve(2 + 4 * pairs.len());
        self.words(tag, pairs.len() as u32);
        for (k, v) in pairs {
            self.push(k);
            self.push(v);
        }
    }

    fn string(&mut self, tag: u32, s: &str) {
        self.text.push_str(s);
        self.words(tag, utf16_len(s) as u32);
    }

    fn words(&mut self, a: u32, b: u32) {
        self.shape.push(a);
        self.shape.push(b);
    }
}

/// The bytes of text a reply carries (its strings, and the digits of its numbers, about):
/// what handing it to JavaScript costs.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub fn text_bytes(reply: &Reply) -> usize {
    match reply {
        Reply::Status(s) => s.len(),
        Reply::Error(e) => e.len(),
        Reply::Bulk(b) | Reply::Verbatim(b) => b.len(),
        Reply::BigNumber(s) | Reply::DoubleText(s) => s.len(),
        Reply::Int(_)
        | Reply::Double(_)
        | Reply::DoubleBulk(_)
        | Reply::Nil
        | Reply::NilArray
        | Reply::Null
        | Reply::Bool(_) => 24,
        Reply::Array(items) | Reply::Set(items) | Reply::Multi(items) | Reply::Push(items) => items
            .iter()
            .fold(8usize, |n, i| n.saturating_add(text_bytes(i))),
        Reply::Map(pairs) | Reply::Pairs(pairs) | Reply::KeyedArrays(pairs) => {
            pairs.iter().fold(8usize, |n, (k, v)| {
                n.saturating_add(text_bytes(k))
                    .saturating_add(text_bytes(v))
            })
        }
        Reply::Attributed(attrs, inner) => attrs.iter().fold(text_bytes(inner), |n, (k, v)| {
            n.saturating_add(text_bytes(k))
                .saturating_add(text_bytes(v))
        }),
    }
}

fn utf16_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().map(char::len_utf16).sum()
    }
}

/// Read an argument list written as `<u32 length, little-endian><bytes>` repeated into
/// `argv`, reusing its vectors (a call then allocates nothing for arguments no longer
/// than the last call's). False if the bytes don't follow that form.
pub fn read_argv_into(mut buf: &[u8], argv: &mut Vec<Vec<u8>>) -> bool {
    let mut n = 0;
    while !buf.is_empty() {
        let Some((len, rest)) = buf.split_first_chunk::<4>() else {
            return false;
        };
        let Some(arg) = usize::try_from(u32::from_le_bytes(*len))
            .ok()
            .and_then(|len| rest.get(..len))
        else {
            return false;
        };
        match argv.get_mut(n) {
            Some(slot) => {
                slot.clear();
                slot.extend_from_slice(arg);
            }
            None => argv.push(arg.to_vec()),
        }
        n += 1;
        buf = &rest[arg.len()..];
    }
    argv.truncate(n);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_argv(buf: &[u8]) -> Option<Vec<Vec<u8>>> {
        let mut argv = Vec::new();
        read_argv_into(buf, &mut argv).then_some(argv)
    }

    fn write(args: &[&[u8]]) -> Vec<u8> {
        let mut out = Vec::new();
        for a in args {
            out.extend((a.len() as u32).to_le_bytes());
            out.extend_from_slice(a);
        }
        out
    }

    #[test]
    fn an_argument_list_comes_back_as_it_was_written() {
        for args in [
            vec![&b"GET"[..], b"key:1"],
            vec![b"SET", b"", b"\0\xff"],
            vec!["SET".as_bytes(), "clé".as_bytes(), "😀 emoji".as_bytes()],
            vec![],
        ] {
            let want: Vec<Vec<u8>> = args.iter().map(|a| a.to_vec()).collect();
            assert_eq!(read_argv(&write(&args)), Some(want.clone()), "{args:?}");
            let mut reused = vec![b"previous".to_vec(); 3];
            assert!(read_argv_into(&write(&args), &mut reused));
            assert_eq!(reused, want, "{args:?}");
        }
    }

    #[test]
    fn a_malformed_list_is_refused_not_misread() {
        let good = write(&[b"GET", b"k"]);
        for cut in 1..good.len() {
            if cut != 7 {
                assert_eq!(read_argv(&good[..cut]), None, "cut at {cut}");
            }
        }
        assert_eq!(read_argv(&[9, 0, 0, 0, b'x']), None);
        assert!(!read_argv_into(&[9, 0, 0, 0, b'x'], &mut Vec::new()));
        assert_eq!(read_argv(&[255, 255, 255, 255]), None);
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
                // A RESP3 client's map (a RESP2 client gets it flattened before packing).
                tag::MAP,
                1,
                tag::BULK,
                1,
                tag::DOUBLE,
                3,
            ]
        );
        assert_eq!(p.raw, vec![0xff, b'a']);
    }
}
