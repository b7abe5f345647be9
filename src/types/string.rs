//! A string value: binary-safe bytes plus the encoding Redis would have chosen for it
//! (`int`, `embstr` or `raw`), which depends on how the value was written.

/// Redis keeps strings of up to 44 bytes in one allocation with their header.
pub const EMBSTR_MAX: usize = 44;

#[derive(Clone, Debug, PartialEq, Eq, Copy)]
pub enum StrEncoding {
    Int,
    Embstr,
    Raw,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RString {
    bytes: Vec<u8>,
    enc: StrEncoding,
}

impl RString {
    /// A value from a client argument (SET, MSET, GETSET, …): Redis's `tryObjectEncoding`
    /// makes integers of up to 20 characters `int`, short strings `embstr`, others `raw`.
    pub fn from_arg(bytes: Vec<u8>) -> RString {
        let enc = if bytes.len() <= 20 && crate::num::parse_i64(&bytes).is_some() {
            StrEncoding::Int
        } else if bytes.len() <= EMBSTR_MAX {
            StrEncoding::Embstr
        } else {
            StrEncoding::Raw
        };
        RString { bytes, enc }
    }

    /// A value computed by the server as a fresh string object (INCRBYFLOAT's result):
    /// `embstr` when short, never `int`.
    pub fn fresh(bytes: Vec<u8>) -> RString {
        let enc = if bytes.len() <= EMBSTR_MAX {
            StrEncoding::Embstr
        } else {
            StrEncoding::Raw
        };
        RString { bytes, enc }
    }

    /// A value modified in place (APPEND, SETRANGE): always `raw`.
    pub fn raw(bytes: Vec<u8>) -> RString {
        RString {
            bytes,
            enc: StrEncoding::Raw,
        }
    }

    /// The result of INCR and friends: always `int`.
    pub fn from_i64(v: i64) -> RString {
        RString {
            bytes: v.to_string().into_bytes(),
            enc: StrEncoding::Int,
        }
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// Mutable bytes for an in-place edit; the value becomes `raw` as in Redis.
    pub fn make_raw(&mut self) -> &mut Vec<u8> {
        self.enc = StrEncoding::Raw;
        &mut self.bytes
    }

    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    pub fn encoding(&self) -> &'static str {
        match self.enc {
            StrEncoding::Int => "int",
            StrEncoding::Embstr => "embstr",
            StrEncoding::Raw => "raw",
        }
    }

    /// The integer value, as INCR reads it (`string2ll` on the bytes).
    pub fn as_i64(&self) -> Option<i64> {
        crate::num::parse_i64(&self.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_follow_how_the_value_was_written() {
        assert_eq!(RString::from_arg(b"12345".to_vec()).encoding(), "int");
        assert_eq!(RString::from_arg(b"-12345".to_vec()).encoding(), "int");
        assert_eq!(RString::from_arg(b"012".to_vec()).encoding(), "embstr");
        assert_eq!(RString::from_arg(vec![b'a'; 44]).encoding(), "embstr");
        assert_eq!(RString::from_arg(vec![b'a'; 45]).encoding(), "raw");
        assert_eq!(RString::fresh(b"3".to_vec()).encoding(), "embstr");
        assert_eq!(RString::raw(b"3".to_vec()).encoding(), "raw");
        assert_eq!(RString::from_i64(7).encoding(), "int");
    }
}
