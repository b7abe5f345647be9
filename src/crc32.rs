//! CRC-32 (IEEE 802.3: the checksum zlib, PNG and the crc32fast crate compute), slicing by
//! 16 bytes as crc32fast does on wasm32. Its 16 tables are computed on first use instead of
//! being stored in the binary: 16 KiB of incompressible data the wasm module doesn't carry.

use std::sync::OnceLock;

type Tables = [[u32; 256]; 16];

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Box<Tables>> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut t = Box::new([[0u32; 256]; 16]);
        for i in 0..256 {
            let mut c = i as u32;
            for _ in 0..8 {
                c = if c & 1 == 1 {
                    (c >> 1) ^ 0xEDB8_8320
                } else {
                    c >> 1
                };
            }
            t[0][i] = c;
        }
        for k in 1..16 {
            for i in 0..256 {
                let prev = t[k - 1][i];
                t[k][i] = (prev >> 8) ^ t[0][(prev & 0xFF) as usize];
            }
        }
        t
    })
}

/// The CRC-32 of `buf`.
pub fn hash(buf: &[u8]) -> u32 {
    let t = tables();
    let mut crc = !0u32;
    let mut blocks = buf.chunks_exact(16);
    for b in &mut blocks {
        let w = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) ^ crc;
        crc = t[0x0][b[15] as usize]
            ^ t[0x1][b[14] as usize]
            ^ t[0x2][b[13] as usize]
            ^ t[0x3][b[12] as usize]
            ^ t[0x4][b[11] as usize]
            ^ t[0x5][b[10] as usize]
            ^ t[0x6][b[9] as usize]
            ^ t[0x7][b[8] as usize]
            ^ t[0x8][b[7] as usize]
            ^ t[0x9][b[6] as usize]
            ^ t[0xa][b[5] as usize]
            ^ t[0xb][b[4] as usize]
            ^ t[0xc][(w >> 24) as usize]
            ^ t[0xd][((w >> 16) & 0xFF) as usize]
            ^ t[0xe][((w >> 8) & 0xFF) as usize]
            ^ t[0xf][(w & 0xFF) as usize];
    }
    for &b in blocks.remainder() {
        crc = t[0][((crc as u8) ^ b) as usize] ^ (crc >> 8);
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::hash;
    use proptest::prelude::*;

    /// The definition, a bit at a time.
    fn reference(buf: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in buf {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    #[test]
    fn known_checksums() {
        assert_eq!(hash(b""), 0);
        assert_eq!(hash(b"123456789"), 0xCBF4_3926);
        assert_eq!(
            hash(b"The quick brown fox jumps over the lazy dog"),
            0x414F_A339
        );
    }

    proptest! {
        #[test]
        fn agrees_with_the_bitwise_definition(buf in proptest::collection::vec(any::<u8>(), 0..200)) {
            prop_assert_eq!(hash(&buf), reference(&buf));
        }
    }
}
