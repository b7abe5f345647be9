//! Redis's listpack format (facts from `listpack.c`): the byte sizes of its entries, for the
//! structures whose behaviour depends on them (a stream starts a new node when its last
//! listpack would pass `stream-node-max-bytes`; MEMORY USAGE), and a `Builder` of the bytes
//! themselves for what must be exact on the wire (RDB: DEBUG OBJECT's serializedlength).

/// An empty listpack: its 6-byte header and 1-byte terminator.
pub const EMPTY: usize = 7;

/// How many bytes the back-length of an entry of `l` bytes takes.
fn backlen(l: usize) -> usize {
    match l {
        0..=127 => 1,
        128..=16382 => 2,
        16383..=2097150 => 3,
        2097151..=268435454 => 4,
        _ => 5,
    }
}

/// The size of an integer entry.
pub fn int_entry(v: i64) -> usize {
    let enc = match v {
        0..=127 => 1,
        -4096..=4095 => 2,
        -32768..=32767 => 3,
        -8_388_608..=8_388_607 => 4,
        -2_147_483_648..=2_147_483_647 => 5,
        _ => 9,
    };
    enc + backlen(enc)
}

/// The size of an entry appended as these bytes: an integer when it reads as one by
/// listpack's `lpStringToInt64`, which accepts exactly what `string2ll` does.
pub fn str_entry(s: &[u8]) -> usize {
    if let Some(v) = crate::num::parse_i64(s) {
        return int_entry(v);
    }
    let enc = match s.len() {
        0..=63 => 1 + s.len(),
        64..=4095 => 2 + s.len(),
        _ => 5 + s.len(),
    };
    enc + backlen(enc)
}

/// The bytes of a listpack, entry by entry as `lpAppend` writes them.
pub struct Builder {
    buf: Vec<u8>,
    count: usize,
}

impl Default for Builder {
    fn default() -> Builder {
        Builder {
            buf: vec![0; 6],
            count: 0,
        }
    }
}

impl Builder {
    /// Append an element given as bytes: an integer entry when `string2ll` takes it whole.
    pub fn push_str(&mut self, s: &[u8]) {
        if let Some(v) = crate::num::parse_i64(s) {
            return self.push_int(v);
        }
        let start = self.buf.len();
        let n = s.len();
        match n {
            0..=63 => self.buf.push(0x80 | n as u8),
            64..=4095 => self
                .buf
                .extend_from_slice(&[0xE0 | (n >> 8) as u8, n as u8]),
            _ => {
                self.buf.push(0xF0);
                self.buf.extend_from_slice(&(n as u32).to_le_bytes());
            }
        }
        self.buf.extend_from_slice(s);
        self.end_entry(start);
    }

    /// Append an integer entry, in the smallest of listpack's integer encodings.
    pub fn push_int(&mut self, v: i64) {
        let start = self.buf.len();
        // Two's complement in the encoding's width, little-endian after a tag byte.
        let wide = |buf: &mut Vec<u8>, tag: u8, bytes: usize| {
            buf.push(tag);
            buf.extend_from_slice(&v.to_le_bytes()[..bytes]);
        };
        match v {
            0..=127 => self.buf.push(v as u8),
            -4096..=4095 => {
                let u = (v as u16) & 0x1FFF;
                self.buf
                    .extend_from_slice(&[0xC0 | (u >> 8) as u8, u as u8]);
            }
            -32768..=32767 => wide(&mut self.buf, 0xF1, 2),
            -8_388_608..=8_388_607 => wide(&mut self.buf, 0xF2, 3),
            -2_147_483_648..=2_147_483_647 => wide(&mut self.buf, 0xF3, 4),
            _ => wide(&mut self.buf, 0xF4, 8),
        }
        self.end_entry(start);
    }

    /// The back-length after an entry: its size in 7-bit groups, readable backwards.
    fn end_entry(&mut self, start: usize) {
        let l = self.buf.len() - start;
        let mut groups = Vec::with_capacity(5);
        let mut rest = l;
        loop {
            groups.push((rest & 127) as u8);
            rest >>= 7;
            if rest == 0 {
                break;
            }
        }
        // Most significant group first; every group but the first written has its top bit.
        for (i, g) in groups.iter().enumerate().rev() {
            self.buf
                .push(if i == groups.len() - 1 { *g } else { g | 128 });
        }
        debug_assert_eq!(self.buf.len() - start, l + backlen(l));
        self.count += 1;
    }

    /// The listpack: header (total bytes, element count up to 65535), entries, terminator.
    pub fn finish(mut self) -> Vec<u8> {
        self.buf.push(0xFF);
        let total = self.buf.len() as u32;
        self.buf[..4].copy_from_slice(&total.to_le_bytes());
        let count = self.count.min(65535) as u16;
        self.buf[4..6].copy_from_slice(&count.to_le_bytes());
        self.buf
    }
}

/// A two's complement integer of 1 to 8 little-endian bytes (listpack's and intset's).
pub fn signed_le(bytes: &[u8]) -> i64 {
    let mut v = [0u8; 8];
    let n = bytes.len().min(8);
    v[..n].copy_from_slice(&bytes[..n]);
    let shift = 64 - 8 * n as u32;
    i64::from_le_bytes(v).wrapping_shl(shift) >> shift
}

/// A listpack's entries, integers as their decimal text (RESTORE); None if it is
/// malformed.
pub fn entries(lp: &[u8]) -> Option<Vec<Vec<u8>>> {
    if lp.len() < 7 || u32::from_le_bytes(lp[..4].try_into().ok()?) as usize != lp.len() {
        return None;
    }
    let mut at = 6;
    let mut out = Vec::new();
    loop {
        let b = *lp.get(at)?;
        if b == 0xFF {
            break;
        }
        let start = at;
        let (entry, len): (Vec<u8>, usize) = match b {
            0x00..=0x7F => (i64::from(b).to_string().into_bytes(), 1),
            0x80..=0xBF => {
                let n = usize::from(b & 0x3F);
                (lp.get(at + 1..at + 1 + n)?.to_vec(), 1 + n)
            }
            0xC0..=0xDF => {
                let raw = (u16::from(b & 0x1F) << 8) | u16::from(*lp.get(at + 1)?);
                let v = if raw & 0x1000 != 0 {
                    i64::from(raw) - 0x2000
                } else {
                    i64::from(raw)
                };
                (v.to_string().into_bytes(), 2)
            }
            0xE0..=0xEF => {
                let n = (usize::from(b & 0x0F) << 8) | usize::from(*lp.get(at + 1)?);
                (lp.get(at + 2..at + 2 + n)?.to_vec(), 2 + n)
            }
            0xF0 => {
                let n = u32::from_le_bytes(lp.get(at + 1..at + 5)?.try_into().ok()?) as usize;
                (lp.get(at + 5..at + 5 + n)?.to_vec(), 5 + n)
            }
            0xF1..=0xF4 => {
                let width = [2, 3, 4, 8][usize::from(b - 0xF1)];
                let v = signed_le(lp.get(at + 1..at + 1 + width)?);
                (v.to_string().into_bytes(), 1 + width)
            }
            _ => return None,
        };
        out.push(entry);
        // The back-length: 1 to 5 bytes.
        at = start + len + backlen(len);
        if at >= lp.len() {
            return None;
        }
    }
    if at != lp.len() - 1 {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builder_writes_what_the_sizes_say() {
        let mut b = Builder::default();
        let mut size = EMPTY;
        for s in [
            "1",
            "-1",
            "4095",
            "-4096",
            "40000",
            "-9000000",
            "3000000000",
            "hello",
            "",
        ] {
            b.push_str(s.as_bytes());
            size += str_entry(s.as_bytes());
        }
        for n in [63usize, 64, 200, 4096] {
            let s = vec![b'x'; n];
            b.push_str(&s);
            size += str_entry(&s);
        }
        let bytes = b.finish();
        assert_eq!(bytes.len(), size);
        assert_eq!(&bytes[..4], &(size as u32).to_le_bytes());
        assert_eq!(&bytes[4..6], &13u16.to_le_bytes());
        assert_eq!(&bytes[6..8], &[1, 1], "7-bit 1, back-length 1");
        assert_eq!(&bytes[8..11], &[0xDF, 0xFF, 2], "13-bit -1");
    }

    #[test]
    fn sizes_follow_the_encodings() {
        assert_eq!(int_entry(1), 2);
        assert_eq!(int_entry(128), 3);
        assert_eq!(int_entry(-1), 3);
        assert_eq!(int_entry(40000), 5);
        assert_eq!(int_entry(i64::MAX), 10);
        assert_eq!(str_entry(b"hello"), 7);
        assert_eq!(str_entry(b"123"), 2);
        assert_eq!(str_entry(b"0123"), 6);
        assert_eq!(str_entry(&[b'x'; 64]), 67);
        assert_eq!(str_entry(&[b'x'; 200]), 204);
        let as_int = crate::num::parse_i64;
        assert_eq!(as_int(b"-9223372036854775808"), Some(i64::MIN));
        assert_eq!(as_int(b"9223372036854775808"), None);
        assert_eq!(as_int(b"-0"), None);
    }
}
