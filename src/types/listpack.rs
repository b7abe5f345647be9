//! The byte sizes of Redis's listpack entries (facts from `listpack.c`), for the structures
//! whose behaviour depends on them: a stream starts a new node when its last listpack would
//! pass `stream-node-max-bytes`. Nothing is encoded; only sizes are computed.

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

#[cfg(test)]
mod tests {
    use super::*;

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
