//! The encodings Redis 6 and older wrote, which Redis 7.0 still loads (RESTORE of an old
//! DUMP, an old dump.rdb): ziplists (lists, sorted sets and hashes, and the nodes of the
//! first quicklists) and zipmaps (hashes before Redis 2.6). Facts from Redis's
//! `ziplist.c` and `zipmap.c` layouts; the reader is the playground's own.

/// The entries of a ziplist: `zlbytes` (u32), `zltail` (u32), `zllen` (u16), entries,
/// 0xFF. Each entry: its previous entry's length (1 byte, or 0xFE and a u32), an encoding
/// byte, its data. Strings have 6-, 14- (big-endian) or 32-bit (big-endian) lengths;
/// integers are 8/16/24/32/64-bit little-endian or a 4-bit immediate 0..12. None when
/// malformed.
pub fn ziplist_entries(zl: &[u8]) -> Option<Vec<Vec<u8>>> {
    if zl.len() < 11 || u32::from_le_bytes(zl[..4].try_into().ok()?) as usize != zl.len() {
        return None;
    }
    let mut at = 10;
    let mut out = Vec::new();
    loop {
        let first = *zl.get(at)?;
        if first == 0xFF {
            break;
        }
        at += if first == 0xFE { 5 } else { 1 };
        let enc = *zl.get(at)?;
        let (value, used): (Vec<u8>, usize) = match enc >> 6 {
            0 => {
                let n = usize::from(enc & 0x3F);
                (zl.get(at + 1..at + 1 + n)?.to_vec(), 1 + n)
            }
            1 => {
                let n = usize::from(enc & 0x3F) << 8 | usize::from(*zl.get(at + 1)?);
                (zl.get(at + 2..at + 2 + n)?.to_vec(), 2 + n)
            }
            2 => {
                let n = u32::from_be_bytes(zl.get(at + 1..at + 5)?.try_into().ok()?) as usize;
                let end = at.checked_add(5)?.checked_add(n)?;
                (zl.get(at + 5..end)?.to_vec(), 5 + n)
            }
            _ => {
                let int = |len: usize| -> Option<i64> {
                    let b = zl.get(at + 1..at + 1 + len)?;
                    let mut buf = [0u8; 8];
                    buf[..len].copy_from_slice(b);
                    // Sign-extend from `len` bytes.
                    let shift = 64 - 8 * len as u32;
                    Some((i64::from_le_bytes(buf) << shift) >> shift)
                };
                let (v, len) = match enc {
                    0xC0 => (int(2)?, 2),
                    0xD0 => (int(4)?, 4),
                    0xE0 => (int(8)?, 8),
                    0xF0 => (int(3)?, 3),
                    0xFE => (int(1)?, 1),
                    0xF1..=0xFD => (i64::from(enc & 0x0F) - 1, 0),
                    _ => return None,
                };
                (v.to_string().into_bytes(), 1 + len)
            }
        };
        out.push(value);
        at += used;
    }
    (at + 1 == zl.len()).then_some(out)
}

/// The fields and values of a zipmap: a count byte, then `len key len free value` for
/// each (lengths one byte below 254, else 254 and a u32), then 0xFF.
pub fn zipmap_pairs(zm: &[u8]) -> Option<Vec<(Vec<u8>, Vec<u8>)>> {
    let mut at = 1;
    let len = |at: &mut usize| -> Option<usize> {
        let b = *zm.get(*at)?;
        if b < 254 {
            *at += 1;
            Some(usize::from(b))
        } else if b == 254 {
            let n = u32::from_le_bytes(zm.get(*at + 1..*at + 5)?.try_into().ok()?);
            *at += 5;
            Some(n as usize)
        } else {
            None
        }
    };
    let mut out = Vec::new();
    while *zm.get(at)? != 0xFF {
        let kl = len(&mut at)?;
        let key = zm.get(at..at.checked_add(kl)?)?.to_vec();
        at += kl;
        let vl = len(&mut at)?;
        let free = usize::from(*zm.get(at)?);
        at += 1;
        let value = zm.get(at..at.checked_add(vl)?)?.to_vec();
        at = at.checked_add(vl)?.checked_add(free)?;
        out.push((key, value));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A ziplist of the given raw entries (encoding byte onwards), with prevlen fields.
    fn ziplist(entries: &[&[u8]]) -> Vec<u8> {
        let mut body = Vec::new();
        let mut prev = 0usize;
        for e in entries {
            body.push(prev as u8);
            body.extend_from_slice(e);
            prev = 1 + e.len();
        }
        let total = 10 + body.len() + 1;
        let mut zl = (total as u32).to_le_bytes().to_vec();
        zl.extend_from_slice(&0u32.to_le_bytes());
        zl.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        zl.extend_from_slice(&body);
        zl.push(0xFF);
        zl
    }

    #[test]
    fn ziplist_strings_and_every_integer_width_read_back() {
        let zl = ziplist(&[
            b"\x03abc",
            b"\x40\x02hi",
            b"\xF1",
            b"\xFD",
            b"\xFE\xF6",
            b"\xC0\x00\x80",
            b"\xF0\xFF\xFF\x7F",
            b"\xD0\x00\x00\x00\x80",
            b"\xE0\xFF\xFF\xFF\xFF\xFF\xFF\xFF\x7F",
        ]);
        let want: Vec<&[u8]> = vec![
            b"abc",
            b"hi",
            b"0",
            b"12",
            b"-10",
            b"-32768",
            b"8388607",
            b"-2147483648",
            b"9223372036854775807",
        ];
        assert_eq!(ziplist_entries(&zl).unwrap(), want);
    }

    #[test]
    fn a_broken_ziplist_is_refused() {
        let zl = ziplist(&[b"\x03abc"]);
        for cut in 0..zl.len() {
            assert_eq!(ziplist_entries(&zl[..cut]), None);
        }
        let mut bad = zl.clone();
        bad[11] = 0x30; // a string longer than what follows
        assert_eq!(ziplist_entries(&bad), None);
    }

    #[test]
    fn zipmap_pairs_read_back() {
        let zm = b"\x02\x01a\x01\x00x\x02bb\x03\x02yyy\x00\x00\xFF";
        assert_eq!(
            zipmap_pairs(zm).unwrap(),
            vec![
                (b"a".to_vec(), b"x".to_vec()),
                (b"bb".to_vec(), b"yyy".to_vec())
            ]
        );
        assert_eq!(zipmap_pairs(&zm[..5]), None);
    }
}
