//! LZF compression as Redis's RDB writer runs it (liblzf 3.6 in its `VERY_FAST` setting,
//! a 2^16-slot hash table), so a compressed string takes exactly the bytes it takes in
//! Redis. Only compression: the playground never reads an RDB file it did not write.
//!
//! The output is a sequence of literal runs (`000LLLLL` then L+1 bytes) and back
//! references (`LLLooooo oooooooo`, or `111ooooo LLLLLLLL oooooooo` for long ones) to the
//! last 8 KB of input.

const HASH_BITS: u32 = 16;
const MAX_LITERAL: usize = 1 << 5;
const MAX_OFFSET: usize = 1 << 13;
const MAX_MATCH: usize = (1 << 8) + (1 << 3);

/// The hash slot of the three bytes ending a running 32-bit window (`VERY_FAST`'s).
fn slot(window: u32) -> usize {
    ((window >> (24 - HASH_BITS)).wrapping_sub(window.wrapping_mul(5)) & ((1 << HASH_BITS) - 1))
        as usize
}

/// The compressed bytes, with the literal run being written: its length byte is at
/// `run_at`, `lit` bytes follow it.
struct Output {
    bytes: Vec<u8>,
    run_at: usize,
    lit: usize,
}

impl Output {
    fn new(capacity: usize) -> Output {
        Output {
            bytes: Vec::with_capacity(capacity),
            run_at: 0,
            lit: 0,
        }
        .started()
    }

    /// Open a new literal run (its length byte, filled in when it ends).
    fn started(mut self) -> Output {
        self.start_run();
        self
    }

    fn start_run(&mut self) {
        self.lit = 0;
        self.run_at = self.bytes.len();
        self.bytes.push(0);
    }

    /// Copy one byte into the run; a full run (32 bytes) is closed and another opened.
    fn literal(&mut self, b: u8) {
        self.lit += 1;
        self.bytes.push(b);
        if self.lit == MAX_LITERAL {
            self.bytes[self.run_at] = (self.lit - 1) as u8;
            self.start_run();
        }
    }

    /// Close the run: write its length, or drop its byte if it is empty.
    fn end_run(&mut self) {
        if self.lit == 0 {
            self.bytes.pop();
        } else {
            self.bytes[self.run_at] = (self.lit - 1) as u8;
        }
    }

    fn len(&self) -> usize {
        self.bytes.len()
    }
}

/// `input` compressed into at most `max_out` bytes, or None when it doesn't fit (Redis
/// then stores the string as it is).
pub fn compress(input: &[u8], max_out: usize) -> Option<Vec<u8>> {
    let n = input.len();
    if n == 0 || max_out == 0 {
        return None;
    }
    // Positions + 1 (0: empty); Redis's table starts with whatever its stack held, which
    // only matters in rare cases this ignores.
    let mut table = vec![0u32; 1 << HASH_BITS];
    let mut out = Output::new(max_out);
    let mut ip = 0usize;
    let first = |p: usize| (u32::from(input[p]) << 8) | u32::from(input[p + 1]);
    let mut window = if n >= 2 { first(0) } else { 0 };
    while n >= 3 && ip < n - 2 {
        window = (window << 8) | u32::from(input[ip + 2]);
        let h = slot(window);
        let candidate = table[h] as usize;
        table[h] = ip as u32 + 1;
        let found = candidate.checked_sub(1).filter(|&r| {
            r > 0
                && r < ip
                && ip - r - 1 < MAX_OFFSET
                && input[r + 2] == input[ip + 2]
                && input[r] == input[ip]
                && input[r + 1] == input[ip + 1]
        });
        if let Some(r) = found {
            let off = ip - r - 1;
            let max_len = (n - ip - 2).min(MAX_MATCH);
            // Room for the reference (and a new run byte), as liblzf checks it.
            if out.len() + 4 >= max_out && out.len() - usize::from(out.lit == 0) + 4 >= max_out {
                return None;
            }
            out.end_run();
            // How many bytes match, as liblzf counts them: with more than 16 to go it
            // first compares 16 more without looking at the limit (so near the end a
            // match may run two bytes past `max_len`), then goes on up to it.
            let mut len = 2;
            let mut ended = false;
            if max_len > 16 {
                for _ in 0..16 {
                    len += 1;
                    if input[r + len] != input[ip + len] {
                        ended = true;
                        break;
                    }
                }
            }
            while !ended {
                len += 1;
                ended = len >= max_len || input[r + len] != input[ip + len];
            }
            let len = len - 2; // octets - 1
            let ip_next = ip + 1;
            if len < 7 {
                out.bytes.push(((off >> 8) + (len << 5)) as u8);
            } else {
                out.bytes.push(((off >> 8) + (7 << 5)) as u8);
                out.bytes.push((len - 7) as u8);
            }
            out.bytes.push(off as u8);
            out.start_run();
            ip = ip_next + len + 1;
            if ip >= n - 2 {
                break;
            }
            // Hash the two positions before the new one (VERY_FAST).
            ip -= 2;
            window = first(ip);
            for _ in 0..2 {
                window = (window << 8) | u32::from(input[ip + 2]);
                table[slot(window)] = ip as u32 + 1;
                ip += 1;
            }
        } else {
            if out.len() >= max_out {
                return None;
            }
            out.literal(input[ip]);
            ip += 1;
        }
    }
    if out.len() + 3 > max_out {
        return None;
    }
    for &b in &input[ip..] {
        out.literal(b);
    }
    out.end_run();
    Some(out.bytes)
}

/// LZF data expanded to exactly `size` bytes, or None if it is malformed (a reference
/// before the start, a run past the end, another size).
pub fn decompress(mut data: &[u8], size: usize) -> Option<Vec<u8>> {
    // No more room than the data can expand to (a reference copies at most 264 bytes
    // for 2 or 3), however big a size it claims.
    let mut out = Vec::with_capacity(size.min(data.len().saturating_mul(132)));
    while let Some((&ctrl, rest)) = data.split_first() {
        data = rest;
        if ctrl < 32 {
            let n = ctrl as usize + 1;
            out.extend_from_slice(data.get(..n)?);
            data = &data[n..];
        } else {
            let mut len = (ctrl >> 5) as usize;
            if len == 7 {
                len += *data.first()? as usize;
                data = &data[1..];
            }
            let back = (((ctrl & 0x1f) as usize) << 8) + *data.first()? as usize + 1;
            data = &data[1..];
            let start = out.len().checked_sub(back)?;
            for i in 0..len + 2 {
                out.push(out[start + i]);
            }
        }
        if out.len() > size {
            return None;
        }
    }
    (out.len() == size).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decompress_all(data: &[u8], size: usize) -> Vec<u8> {
        decompress(data, size).expect("reads back")
    }

    #[test]
    fn what_it_writes_reads_back_and_repetition_shrinks() {
        let mut rng = fastrand::Rng::with_seed(3);
        for n in [21usize, 50, 100, 1000, 20_000] {
            let repetitive: Vec<u8> = (0..n).map(|i| b"abcab"[i % 5]).collect();
            let c = compress(&repetitive, n - 4).expect("repetition compresses");
            assert!(c.len() < n.min(16 + n / 20), "{n}: {}", c.len());
            assert_eq!(decompress_all(&c, n), repetitive);
            let text: Vec<u8> = (0..n).map(|_| b"redis "[rng.usize(..6)]).collect();
            if let Some(c) = compress(&text, n - 4) {
                assert_eq!(decompress_all(&c, n), text);
            }
            let noise: Vec<u8> = (0..n).map(|_| rng.u8(..)).collect();
            assert_eq!(compress(&noise, n - 4), None, "noise does not fit in n - 4");
        }
    }

    #[test]
    fn a_run_of_one_byte_takes_what_redis_stores() {
        // "x" × 100: DEBUG OBJECT's serializedlength on Redis 7.0.15 is 13, of which 4 are
        // the LZF marker and the two lengths.
        assert_eq!(compress(&[b'x'; 100], 96).map(|c| c.len()), Some(9));
    }
}
