//! Bitmaps: strings read and written bit by bit (SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP)
//! and as arrays of integers of any width (BITFIELD, BITFIELD_RO).
//! Bit 0 is the most significant bit of the first byte, as in Redis.
//!
//! Data operations first (offsets, ranges, counting and finding bits), then the command
//! handlers, then the table entries. The order of checks in each handler is Redis 7.0's
//! (`bitops.c`): it decides which error a line with several problems gets.

use super::string::{check_len, clamp_range, read_str, write_str, wrote};
use super::table::{key, Group, Link, BASE};
use super::Command;
use crate::error::{CmdError, CmdResult};
use crate::reply::Reply;
use crate::server::{Class, Ctx};
use crate::types::{limits::PROTO_MAX_BULK_LEN, RString, Value};

// ---- data operations ----

const BAD_OFFSET: &str = "bit offset is not an integer or out of range";
const BAD_BIT: &str = "bit is not an integer or out of range";

/// A bit offset argument: a whole number from 0 to below proto-max-bulk-len × 8.
fn bit_offset(arg: &[u8]) -> CmdResult<u64> {
    let n = super::args::int_arg(arg).map_err(|_| CmdError::Err(BAD_OFFSET.into()))?;
    offset_in_range(n)
}

/// A bit offset within what a string can hold, or Redis's error.
fn offset_in_range(n: i64) -> CmdResult<u64> {
    match u64::try_from(n) {
        Ok(n) if (n >> 3) < PROTO_MAX_BULK_LEN as u64 => Ok(n),
        _ => Err(CmdError::Err(BAD_OFFSET.into())),
    }
}

/// The value of bit `offset` (0 past the end).
fn bit_at(bytes: &[u8], offset: u64) -> bool {
    let byte = (offset >> 3) as usize;
    bytes
        .get(byte)
        .is_some_and(|b| b & (0x80 >> (offset & 7)) != 0)
}

/// Where the first bit equal to `bit` is in `bytes`: for a 1 not found, -1; for a 0 not
/// found, the first bit after them (Redis treats what follows as zeros).
fn first_bit(bytes: &[u8], bit: bool) -> i64 {
    let skip = if bit { 0x00 } else { 0xff };
    match bytes.iter().position(|&b| b != skip) {
        Some(i) => {
            let b = if bit { bytes[i] } else { !bytes[i] };
            (i as i64) * 8 + i64::from(b.leading_zeros() as u8)
        }
        None if bit => -1,
        None => bytes.len() as i64 * 8,
    }
}

/// A BITCOUNT/BITPOS range, Redis's way: negative indexes from the end, clamped; in BIT
/// units the edges become masks of the bits outside the range in the first and last byte.
struct Range {
    start: i64,
    end: i64,
    /// Bits of the first byte before the range (set where excluded).
    first_mask: u8,
    /// Bits of the last byte after the range.
    last_mask: u8,
}

impl Range {
    /// `start..=end` in bytes (or bits, `in_bits`) of a string of `len` bytes.
    fn new(len: usize, start: i64, end: i64, in_bits: bool) -> Range {
        let total = if in_bits {
            (len as i64) << 3
        } else {
            len as i64
        };
        let (mut start, mut end) = clamp_range(total, start, end);
        let (mut first_mask, mut last_mask) = (0, 0);
        if in_bits && start <= end {
            first_mask = !(0xffu8 >> (start & 7));
            last_mask = (1u8 << (7 - (end & 7))).wrapping_sub(1);
            start >>= 3;
            end >>= 3;
        }
        Range {
            start,
            end,
            first_mask,
            last_mask,
        }
    }
}

/// Set bits in `bytes`, eight bytes at a time (one popcount instruction each, in wasm too).
pub(crate) fn popcount(bytes: &[u8]) -> i64 {
    let mut words = bytes.chunks_exact(8);
    let mut n: u64 = 0;
    for w in &mut words {
        n += u64::from(
            u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]).count_ones(),
        );
    }
    n += words
        .remainder()
        .iter()
        .map(|x| u64::from(x.count_ones()))
        .sum::<u64>();
    n as i64
}

/// Set bits in the bytes of `r` (its edge masks taken off).
fn count_bits(bytes: &[u8], r: &Range) -> i64 {
    if r.start > r.end {
        return 0;
    }
    let (a, b) = (r.start as usize, r.end as usize);
    let mut n = popcount(&bytes[a..=b]);
    n -= i64::from((bytes[a] & r.first_mask).count_ones());
    n -= i64::from((bytes[b] & r.last_mask).count_ones());
    n
}

/// BITPOS over the bytes of `r`, with Redis's treatment of the edges and of an explicit end.
fn find_bit(bytes: &[u8], r: &Range, bit: bool, end_given: bool) -> i64 {
    if r.start > r.end {
        return -1;
    }
    let mut start = r.start as usize;
    let end = r.end as usize;
    let mut left = end - start + 1;
    // Past the last byte a search for 0 runs into the zeros Redis pads with; with an
    // explicit end that means none in the range.
    let none_in_range = |pos: i64, left: usize| end_given && !bit && pos == (left as i64) * 8;
    let masked = |b: u8, mask: u8| if bit { b & !mask } else { b | mask };
    let pos = 'found: {
        if r.first_mask != 0 {
            let mut b = masked(bytes[start], r.first_mask);
            if r.last_mask != 0 && left == 1 {
                b = masked(b, r.last_mask);
            }
            let pos = first_bit(&[b], bit);
            if left == 1 || (pos != -1 && pos != 8) {
                break 'found (pos, left);
            }
            start += 1;
            left -= 1;
        }
        let whole = left - usize::from(r.last_mask != 0);
        if whole > 0 {
            let pos = first_bit(&bytes[start..start + whole], bit);
            if left == whole || (pos != -1 && pos != (whole as i64) * 8) {
                break 'found (pos, left);
            }
            start += whole;
            left -= whole;
        }
        (first_bit(&[masked(bytes[end], r.last_mask)], bit), left)
    };
    let (pos, left) = pos;
    if none_in_range(pos, left) {
        return -1;
    }
    if pos == -1 {
        -1
    } else {
        pos + (start as i64) * 8
    }
}

/// The string at `key` for writing bits up to bit `last`: created (zeros) when missing,
/// grown with zeros when shorter, WRONGTYPE for another type (Redis's
/// lookupStringForBitCommand). Also says whether it was created or grown.
fn string_for_bits<'c>(
    ctx: &'c mut Ctx,
    key: &[u8],
    last: u64,
) -> CmdResult<(&'c mut Vec<u8>, bool)> {
    let need = (last >> 3) as usize + 1;
    check_len(need, 0)?;
    let now = ctx.now;
    let created = write_str(ctx, key)?.is_none();
    if created {
        let mut bytes = Vec::new();
        bytes.try_reserve_exact(need).map_err(|_| CmdError::Oom)?;
        bytes.resize(need, 0);
        ctx.db()
            .set(key, Value::Str(RString::raw(bytes)), false, now);
    }
    let Some(s) = write_str(ctx, key)? else {
        return Err(CmdError::NoSuchKey);
    };
    let bytes = s.make_raw();
    let grew = bytes.len() < need;
    if grew {
        bytes
            .try_reserve(need - bytes.len())
            .map_err(|_| CmdError::Oom)?;
        bytes.resize(need, 0);
    }
    Ok((bytes, created || grew))
}

/// An optional BIT|BYTE unit word.
fn unit(arg: Option<&Vec<u8>>) -> CmdResult<bool> {
    match arg {
        None => Ok(false),
        Some(a) if a.eq_ignore_ascii_case(b"bit") => Ok(true),
        Some(a) if a.eq_ignore_ascii_case(b"byte") => Ok(false),
        Some(_) => Err(CmdError::Syntax),
    }
}

/// A BITFIELD integer type: `i1`…`i64` or `u1`…`u63`.
#[derive(Clone, Copy)]
struct Field {
    signed: bool,
    bits: u32,
}

const BAD_TYPE: &str =
    "Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";

impl Field {
    fn parse(arg: &[u8]) -> CmdResult<Field> {
        let bad = || CmdError::Err(BAD_TYPE.into());
        let signed = match arg.first() {
            Some(b'i') => true,
            Some(b'u') => false,
            _ => return Err(bad()),
        };
        let bits = crate::num::parse_i64(&arg[1..]).ok_or_else(bad)?;
        if bits < 1 || bits > if signed { 64 } else { 63 } {
            return Err(bad());
        }
        Ok(Field {
            signed,
            bits: bits as u32,
        })
    }

    /// The field's bits at `offset` of `bytes` (zeros past the end), as unsigned.
    fn get_raw(self, bytes: &[u8], offset: u64) -> u64 {
        (0..u64::from(self.bits)).fold(0, |v, j| (v << 1) | u64::from(bit_at(bytes, offset + j)))
    }

    /// The field's value at `offset`: sign-extended when signed.
    fn get(self, bytes: &[u8], offset: u64) -> i64 {
        let raw = self.get_raw(bytes, offset);
        if self.signed && self.bits < 64 && raw & (1 << (self.bits - 1)) != 0 {
            (raw | (u64::MAX << self.bits)) as i64
        } else {
            raw as i64
        }
    }

    /// Write the low `bits` of `value` at `offset` (the string is long enough).
    fn set(self, bytes: &mut [u8], offset: u64, value: u64) {
        for j in 0..u64::from(self.bits) {
            let on = value & (1 << (u64::from(self.bits) - 1 - j)) != 0;
            let at = offset + j;
            let (byte, mask) = ((at >> 3) as usize, 0x80u8 >> (at & 7));
            if on {
                bytes[byte] |= mask;
            } else {
                bytes[byte] &= !mask;
            }
        }
    }
}

/// BITFIELD's OVERFLOW modes.
#[derive(Clone, Copy, PartialEq)]
enum Overflow {
    Wrap,
    Sat,
    Fail,
}

/// `value + incr` in a field: the result, or None when it overflows in FAIL mode (as
/// Redis's check*BitfieldOverflow: a SET is `value` with `incr` 0).
fn field_add(f: Field, value: i64, incr: i64, mode: Overflow) -> Option<i64> {
    let bits = f.bits;
    if f.signed {
        let max: i64 = if bits == 64 {
            i64::MAX
        } else {
            (1i64 << (bits - 1)) - 1
        };
        let min = -max - 1;
        let maxincr = (max as u64).wrapping_sub(value as u64) as i64;
        let minincr = min.wrapping_sub(value);
        let high = value > max
            || (bits != 64 && incr > maxincr)
            || (value >= 0 && incr > 0 && incr > maxincr);
        let low = !high
            && (value < min
                || (bits != 64 && incr < minincr)
                || (value < 0 && incr < 0 && incr < minincr));
        if !high && !low {
            return Some(value.wrapping_add(incr));
        }
        match mode {
            Overflow::Fail => None,
            Overflow::Sat => Some(if high { max } else { min }),
            Overflow::Wrap => {
                let mut c = (value as u64).wrapping_add(incr as u64);
                if bits < 64 {
                    let mask = u64::MAX << bits;
                    if c & (1 << (bits - 1)) != 0 {
                        c |= mask;
                    } else {
                        c &= !mask;
                    }
                }
                Some(c as i64)
            }
        }
    } else {
        let value = value as u64;
        let max: u64 = (1u64 << bits) - 1;
        let maxincr = max.wrapping_sub(value) as i64;
        let minincr = 0u64.wrapping_sub(value) as i64;
        let high = value > max || (incr > 0 && incr > maxincr);
        let low = !high && incr < 0 && incr < minincr;
        if !high && !low {
            return Some(value.wrapping_add(incr as u64) as i64);
        }
        match mode {
            Overflow::Fail => None,
            Overflow::Sat => Some(if high { max as i64 } else { 0 }),
            Overflow::Wrap => Some((value.wrapping_add(incr as u64) & !(u64::MAX << bits)) as i64),
        }
    }
}

/// One BITFIELD operation.
struct FieldOp {
    /// Some(value) for SET, with `incr` false; INCRBY with `incr` true; None for GET.
    write: Option<(i64, bool)>,
    field: Field,
    offset: u64,
    overflow: Overflow,
}

/// A BITFIELD offset: bits, or `#n` fields of the type's width.
fn field_offset(arg: &[u8], f: Field) -> CmdResult<u64> {
    let bad = || CmdError::Err(BAD_OFFSET.into());
    match arg.strip_prefix(b"#") {
        Some(n) => {
            let n = crate::num::parse_i64(n).ok_or_else(bad)?;
            offset_in_range(n.checked_mul(i64::from(f.bits)).ok_or_else(bad)?)
        }
        None => bit_offset(arg),
    }
}

// ---- command handlers ----

/// SETBIT key offset value
fn setbit(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let offset = bit_offset(&argv[2])?;
    let on = super::args::int_arg(&argv[3]).map_err(|_| CmdError::Err(BAD_BIT.into()))?;
    if on & !1 != 0 {
        return Err(CmdError::Err(BAD_BIT.into()));
    }
    let key = &argv[1];
    let (bytes, grew) = string_for_bits(ctx, key, offset)?;
    let old = bit_at(bytes, offset);
    let (byte, mask) = ((offset >> 3) as usize, 0x80u8 >> (offset & 7));
    if on == 1 {
        bytes[byte] |= mask;
    } else {
        bytes[byte] &= !mask;
    }
    let changed = grew || old != (on == 1);
    if changed {
        wrote(ctx, Class::String, "setbit", key);
    }
    Ok(Reply::Int(i64::from(old)))
}

/// GETBIT key offset
fn getbit(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let offset = bit_offset(&argv[2])?;
    let bit = read_str(ctx, &argv[1])?.is_some_and(|s| bit_at(s.as_bytes(), offset));
    Ok(Reply::Int(i64::from(bit)))
}

/// BITCOUNT key [start end [BIT|BYTE]]
fn bitcount(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    // The key first: a missing key counts 0 whatever the other arguments say.
    let Some(s) = read_str(ctx, &argv[1])? else {
        return Ok(Reply::Int(0));
    };
    let bytes = s.as_bytes();
    let range = match argv.len() {
        2 => Range::new(bytes.len(), 0, -1, false),
        4 | 5 => {
            let start = super::args::int_arg(&argv[2])?;
            let end = super::args::int_arg(&argv[3])?;
            if start < 0 && end < 0 && start > end {
                return Ok(Reply::Int(0));
            }
            Range::new(bytes.len(), start, end, unit(argv.get(4))?)
        }
        _ => return Err(CmdError::Syntax),
    };
    Ok(Reply::Int(count_bits(bytes, &range)))
}

/// BITPOS key bit [start [end [BIT|BYTE]]]
fn bitpos(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let bit = super::args::int_arg(&argv[2])?;
    if bit != 0 && bit != 1 {
        return Err(CmdError::Raw("ERR The bit argument must be 1 or 0.".into()));
    }
    let bit = bit == 1;
    // A missing key is an endless row of zeros.
    let Some(s) = read_str(ctx, &argv[1])? else {
        return Ok(Reply::Int(if bit { -1 } else { 0 }));
    };
    let bytes = s.as_bytes();
    let (range, end_given) = match argv.len() {
        3 => (Range::new(bytes.len(), 0, -1, false), false),
        4..=6 => {
            let start = super::args::int_arg(&argv[3])?;
            let in_bits = if argv.len() == 6 {
                unit(argv.get(5))?
            } else {
                false
            };
            let (end, given) = if argv.len() >= 5 {
                (super::args::int_arg(&argv[4])?, true)
            } else if in_bits {
                ((bytes.len() as i64) * 8 + 7, false)
            } else {
                (bytes.len() as i64 - 1, false)
            };
            (Range::new(bytes.len(), start, end, in_bits), given)
        }
        _ => return Err(CmdError::Syntax),
    };
    Ok(Reply::Int(find_bit(bytes, &range, bit, end_given)))
}

/// BITOP AND|OR|XOR|NOT destkey key [key ...]
fn bitop(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    #[derive(PartialEq, Clone, Copy)]
    enum Op {
        And,
        Or,
        Xor,
        Not,
    }
    let name = &argv[1];
    let op = [
        (&b"and"[..], Op::And),
        (b"or", Op::Or),
        (b"xor", Op::Xor),
        (b"not", Op::Not),
    ]
    .into_iter()
    .find(|(w, _)| name.eq_ignore_ascii_case(w))
    .map(|(_, op)| op)
    .ok_or(CmdError::Syntax)?;
    if op == Op::Not && argv.len() != 4 {
        return Err(CmdError::Raw(
            "ERR BITOP NOT must be called with a single source key.".into(),
        ));
    }
    let dest = &argv[2];
    let mut sources: Vec<Vec<u8>> = Vec::with_capacity(argv.len() - 3);
    for k in &argv[3..] {
        sources.push(read_str(ctx, k)?.map_or_else(Vec::new, |s| s.as_bytes().to_vec()));
    }
    let len = sources.iter().map(Vec::len).max().unwrap_or(0);
    let mut out = Vec::new();
    out.try_reserve_exact(len).map_err(|_| CmdError::Oom)?;
    for i in 0..len {
        let byte = |s: &Vec<u8>| s.get(i).copied().unwrap_or(0);
        let mut it = sources.iter().map(byte);
        let first = it.next().unwrap_or(0);
        out.push(match op {
            Op::Not => !first,
            Op::And => it.fold(first, |a, b| a & b),
            Op::Or => it.fold(first, |a, b| a | b),
            Op::Xor => it.fold(first, |a, b| a ^ b),
        });
    }
    let now = ctx.now;
    if len > 0 {
        ctx.db()
            .set(dest, Value::Str(RString::raw(out)), false, now);
        wrote(ctx, Class::String, "set", dest);
    } else if ctx.db().remove(dest, now).is_some() {
        wrote(ctx, Class::Generic, "del", dest);
    }
    Ok(Reply::Int(len as i64))
}

/// BITFIELD key [GET type offset | SET type offset value | INCRBY type offset increment |
/// OVERFLOW WRAP|SAT|FAIL] ... (and BITFIELD_RO, GETs only)
fn bitfield_generic(ctx: &mut Ctx, argv: &[Vec<u8>], read_only: bool) -> CmdResult {
    let mut ops = Vec::new();
    let mut overflow = Overflow::Wrap;
    let mut highest: Option<u64> = None;
    let mut j = 2;
    while j < argv.len() {
        let rest = argv.len() - j - 1;
        let word = &argv[j];
        let kind = if word.eq_ignore_ascii_case(b"get") && rest >= 2 {
            0
        } else if word.eq_ignore_ascii_case(b"set") && rest >= 3 {
            1
        } else if word.eq_ignore_ascii_case(b"incrby") && rest >= 3 {
            2
        } else if word.eq_ignore_ascii_case(b"overflow") && rest >= 1 {
            let mode = &argv[j + 1];
            overflow = if mode.eq_ignore_ascii_case(b"wrap") {
                Overflow::Wrap
            } else if mode.eq_ignore_ascii_case(b"sat") {
                Overflow::Sat
            } else if mode.eq_ignore_ascii_case(b"fail") {
                Overflow::Fail
            } else {
                return Err(CmdError::Err("Invalid OVERFLOW type specified".into()));
            };
            j += 2;
            continue;
        } else {
            return Err(CmdError::Syntax);
        };
        let field = Field::parse(&argv[j + 1])?;
        let offset = field_offset(&argv[j + 2], field)?;
        let write = if kind == 0 {
            None
        } else {
            let last = offset + u64::from(field.bits) - 1;
            highest = Some(highest.map_or(last, |h| h.max(last)));
            Some((super::args::int_arg(&argv[j + 3])?, kind == 2))
        };
        ops.push(FieldOp {
            write,
            field,
            offset,
            overflow,
        });
        j += if kind == 0 { 3 } else { 4 };
    }
    let Some(highest) = highest else {
        // Only GETs: a missing key reads as zeros.
        let bytes = read_str(ctx, &argv[1])?.map_or_else(Vec::new, |s| s.as_bytes().to_vec());
        return Ok(Reply::Array(
            ops.iter()
                .map(|op| Reply::Int(op.field.get(&bytes, op.offset)))
                .collect(),
        ));
    };
    if read_only {
        return Err(CmdError::Err(
            "BITFIELD_RO only supports the GET subcommand".into(),
        ));
    }
    let key = &argv[1];
    let (bytes, dirty) = string_for_bits(ctx, key, highest)?;
    let mut replies = Vec::with_capacity(ops.len());
    let mut changes = 0u64;
    for op in &ops {
        let old = op.field.get(bytes, op.offset);
        let Some((arg, incr)) = op.write else {
            replies.push(Reply::Int(old));
            continue;
        };
        let new = if incr {
            field_add(op.field, old, arg, op.overflow)
        } else {
            field_add(op.field, arg, 0, op.overflow)
        };
        match new {
            None => replies.push(Reply::Nil),
            Some(new) => {
                replies.push(Reply::Int(if incr { new } else { old }));
                op.field.set(bytes, op.offset, new as u64);
                if dirty || old != new {
                    changes += 1;
                }
            }
        }
    }
    if changes > 0 {
        ctx.notify(Class::String, "setbit", key);
        ctx.changes(changes);
    }
    Ok(Reply::Array(replies))
}

fn bitfield(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    bitfield_generic(ctx, argv, false)
}

fn bitfield_ro(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    bitfield_generic(ctx, argv, true)
}

/// BITFIELD's key flags for this line (ACL key permissions): only read when every
/// operation is a GET (an OVERFLOW changes nothing), else read and written.
fn bitfield_key_flags(argv: &[Vec<u8>]) -> super::table::KeyFlags {
    let mut i = 2;
    while i < argv.len() {
        let rest = argv.len() - i - 1;
        let a = &argv[i];
        if a.eq_ignore_ascii_case(b"get") && rest >= 2 {
            i += 3;
        } else if a.eq_ignore_ascii_case(b"overflow") && rest >= 1 {
            i += 2;
        } else {
            return key_flags![RW, ACCESS, UPDATE];
        }
    }
    key_flags![RO, ACCESS]
}

// ---- the table ----

const R: Command = Command {
    name: "",
    arity: 3,
    flags: flags![READONLY],
    acl: acl![READ, BITMAP, SLOW],
    keys: (1, 1, 1),
    key_specs: &[key(1, key_flags![RO, ACCESS])],
    group: Group::Bitmap,
    complexity: "O(N)",
    handler: getbit,
    ..BASE
};

pub const COMMANDS: &[Command] = &[
    Command { name: "bitcount", arity: -2, since: "2.6.0",
        summary: "Count the set bits of a string, or of a range of its bytes or bits",
        syntax: "key [start end [BYTE|BIT]]", handler: bitcount, ..R },
    Command { name: "bitfield", link: Link::Refused("BITFIELD can write at any offset"), variable_key_flags: Some(bitfield_key_flags), arity: -2, flags: flags![WRITE, DENYOOM], acl: acl![WRITE, BITMAP, SLOW],
        key_specs: &[key(1, key_flags![RW, UPDATE, ACCESS, VARIABLE_FLAGS]).notes("This command allows both access and modification of the key")],
        since: "3.2.0", complexity: "O(1) for each subcommand specified",
        summary: "Read, write and add to integers of any width (i1…i64, u1…u63) at bit offsets of a string",
        syntax: "key [GET encoding offset|[OVERFLOW WRAP|SAT|FAIL] SET encoding offset value|INCRBY encoding offset increment ...]",
        handler: bitfield, ..R },
    Command { name: "bitfield_ro", arity: -2, flags: flags![READONLY, FAST], acl: acl![READ, BITMAP, FAST],
        since: "6.0.0", complexity: "O(1) for each subcommand specified",
        summary: "BITFIELD's GET only, as a read-only command", syntax: "key [GET encoding offset ...]",
        handler: bitfield_ro, ..R },
    Command { name: "bitop", arity: -4, flags: flags![WRITE, DENYOOM], acl: acl![WRITE, BITMAP, SLOW],
        keys: (2, -1, 1),
        key_specs: &[key(2, key_flags![OW, UPDATE]), key(3, key_flags![RO, ACCESS]).range(-1, 1, 0)],
        since: "2.6.0",
        summary: "AND, OR, XOR or NOT of strings, bit by bit, stored at a key; returns its length",
        syntax: "AND|OR|XOR|NOT destkey key [key ...]", handler: bitop, ..R },
    Command { name: "bitpos", arity: -3, since: "2.8.7",
        summary: "Where the first bit set to 1 (or 0) is in a string, or in a range of it",
        syntax: "key bit [start [end [BYTE|BIT]]]", handler: bitpos, ..R },
    Command { name: "getbit", flags: flags![READONLY, FAST], acl: acl![READ, BITMAP, FAST], since: "2.2.0",
        complexity: "O(1)", summary: "The bit at an offset of a string (0 past its end)",
        syntax: "key offset", handler: getbit, ..R },
    Command { name: "setbit", link: Link::Bounded { arg: 2, max: 1 << 23, what: "offset" }, arity: 4, flags: flags![WRITE, DENYOOM], acl: acl![WRITE, BITMAP, SLOW],
        key_specs: &[key(1, key_flags![RW, ACCESS, UPDATE])], since: "2.2.0", complexity: "O(1)",
        summary: "Set or clear the bit at an offset of a string, growing it as needed; returns the bit it held",
        syntax: "key offset value", handler: setbit, ..R },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_bit_of_each_kind() {
        assert_eq!(first_bit(&[0x00, 0x10], true), 11);
        assert_eq!(first_bit(&[0x00, 0x00], true), -1);
        assert_eq!(first_bit(&[0xff, 0xf0], false), 12);
        assert_eq!(
            first_bit(&[0xff], false),
            8,
            "past the end, the padding zeros"
        );
    }

    #[test]
    fn bit_ranges_mask_their_edges() {
        // Bits 3..=12 of two bytes.
        let r = Range::new(2, 3, 12, true);
        assert_eq!(
            (r.start, r.end, r.first_mask, r.last_mask),
            (0, 1, 0b1110_0000, 0b0000_0111)
        );
        assert_eq!(count_bits(&[0xff, 0xff], &r), 10);
    }
}
