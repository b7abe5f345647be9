//! Reading what `rdbSaveObject` writes (RESTORE): the payload's footer checked as Redis's
//! `verifyDumpPayload` does, then the value of a Redis 7.0 RDB type — strings (integer and
//! LZF encodings included), quicklists, sets and intsets, sorted sets as listpacks or
//! with binary doubles, hashes as listpacks or pairs, streams with their groups. Encodings
//! are chosen afresh from the sizes and the `*-max-*` settings, as Redis's loader does.
//! Anything malformed is an error, never a panic. The older types Redis 7.0 still loads
//! (linked lists, ziplists, zipmaps, string-scored sorted sets: `legacy.rs`) are read too.

use super::legacy::{ziplist_entries, zipmap_pairs};
use super::{crc64, lzf, payload, RDB_VERSION};
use crate::types::stream::group::ConsumerGroup;
use crate::types::stream::{NodeParts, Stream, StreamId};
use crate::types::{listpack, Encodings, Hash, List, RString, Set, Value, ZSet};

/// Why a payload was refused, in RESTORE's words.
#[derive(Debug, PartialEq)]
pub enum PayloadError {
    /// "DUMP payload version or checksum are wrong"
    VersionOrChecksum,
    /// "Bad data format"
    BadFormat,
}

type Read<T> = Result<T, PayloadError>;
use PayloadError::BadFormat;

/// The value in a DUMP payload.
pub fn restore_payload(payload: &[u8], enc: &Encodings) -> Read<Value> {
    let n = payload.len();
    if n < 10 {
        return Err(PayloadError::VersionOrChecksum);
    }
    let version = u16::from_le_bytes([payload[n - 10], payload[n - 9]]);
    let crc = u64::from_le_bytes(payload[n - 8..].try_into().map_err(|_| BadFormat)?);
    if version > RDB_VERSION || crc64(&payload[..n - 8]) != crc {
        return Err(PayloadError::VersionOrChecksum);
    }
    // As Redis reads it: the whole payload, footer included, and what is left unread
    // after the value is not looked at.
    let mut r = Reader {
        data: payload,
        at: 0,
    };
    let kind = r.byte()?;
    let v = r.value(kind, enc)?;
    Ok(v)
}

/// A library of the old (7.0 release candidates') form as Redis reads it: name, engine,
/// an optional description, then the code; made a shebang'd library as Redis does.
fn old_function(r: &mut Reader) -> Read<Vec<u8>> {
    let name = r.string()?;
    let engine = r.string()?;
    if r.len()? != 0 {
        r.string()?;
    }
    let blob = r.string()?;
    let mut code = b"#!".to_vec();
    code.extend_from_slice(&engine);
    code.extend_from_slice(b" name=");
    code.extend_from_slice(&name);
    code.push(b'\n');
    code.extend_from_slice(&blob);
    Ok(code)
}

/// The libraries in a FUNCTION DUMP payload (FUNCTION RESTORE), or Redis's error text.
pub fn functions_in_payload(payload: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    let n = payload.len();
    let bad = || "DUMP payload version or checksum are wrong".to_string();
    if n < 10 {
        return Err(bad());
    }
    let version = u16::from_le_bytes([payload[n - 10], payload[n - 9]]);
    let crc = u64::from_le_bytes(payload[n - 8..].try_into().map_err(|_| bad())?);
    if version > RDB_VERSION || crc64(&payload[..n - 8]) != crc {
        return Err(bad());
    }
    let mut r = Reader {
        data: payload,
        at: 0,
    };
    let mut codes = Vec::new();
    // Up to the footer (the last 10 bytes).
    while n - r.at > 10 {
        let kind = r.byte().map_err(|_| "can not read data type".to_string())?;
        let code = match kind {
            super::OPCODE_FUNCTION2 => r.string(),
            super::OPCODE_FUNCTION => old_function(&mut r),
            _ => return Err("given type is not a function".into()),
        };
        codes.push(code.map_err(|_| "Failed loading library payload".to_string())?);
    }
    Ok(codes)
}

/// A key of an RDB file: its db, name, absolute expiry (ms), and its value as a DUMP
/// payload (for RESTORE).
#[derive(Debug, PartialEq)]
pub struct FileKey {
    pub db: usize,
    pub key: Vec<u8>,
    pub expire_at: Option<i64>,
    pub payload: Vec<u8>,
}

/// The keys of an RDB file (Redis 7.0's or older, version 10 at most), each value checked
/// and cut out as a DUMP payload, and its function libraries' codes; or why the file
/// can't be read.
pub fn split_file(bytes: &[u8], enc: &Encodings) -> Result<(Vec<FileKey>, Vec<Vec<u8>>), String> {
    let bad = |what: &str| format!("not an RDB file Redis 7.0 can load ({what})");
    if bytes.len() < 9 || &bytes[..5] != b"REDIS" {
        return Err(bad("no REDIS header"));
    }
    let version: u16 = std::str::from_utf8(&bytes[5..9])
        .ok()
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| bad("a bad version"))?;
    if version > RDB_VERSION {
        return Err(bad(&format!(
            "RDB version {version} is newer than 7.0's {RDB_VERSION}"
        )));
    }
    let mut r = Reader { data: bytes, at: 9 };
    let mut keys = Vec::new();
    let mut functions = Vec::new();
    let (mut db, mut expire_at) = (0usize, None);
    loop {
        let op = r.byte().map_err(|_| bad("it ends early"))?;
        let truncated = |_| bad("it ends early or is damaged");
        match op {
            0xFA => {
                r.string().map_err(truncated)?;
                r.string().map_err(truncated)?;
            }
            0xFE => db = usize::try_from(r.len().map_err(truncated)?).unwrap_or(usize::MAX),
            0xFB => {
                r.len().map_err(truncated)?;
                r.len().map_err(truncated)?;
            }
            0xFC => expire_at = Some(r.u64_le().map_err(truncated)? as i64),
            0xFD => {
                let secs = u32::from_le_bytes(
                    r.take(4)
                        .map_err(truncated)?
                        .try_into()
                        .map_err(|_| bad("a bad expiry"))?,
                );
                expire_at = Some(i64::from(secs) * 1000);
            }
            0xF8 => {
                r.len().map_err(truncated)?;
            }
            0xF9 => {
                r.byte().map_err(truncated)?;
            }
            0xFF => break,
            super::OPCODE_FUNCTION2 => functions.push(r.string().map_err(truncated)?),
            super::OPCODE_FUNCTION => functions.push(old_function(&mut r).map_err(truncated)?),
            0xF7 => return Err(bad("it holds module data")),
            kind => {
                let key = r.string().map_err(truncated)?;
                let start = r.at;
                r.value(kind, enc)
                    .map_err(|_| bad("a value it can't read"))?;
                keys.push(FileKey {
                    db,
                    key,
                    expire_at: expire_at.take(),
                    payload: payload(kind, &bytes[start..r.at]),
                });
            }
        }
    }
    // The checksum (version 5 on; 0 when the writer didn't compute one).
    if version >= 5 {
        let crc = r.u64_le().map_err(|_| bad("it ends early"))?;
        if crc != 0 && crc != crc64(&bytes[..r.at - 8]) {
            return Err(bad("its checksum is wrong"));
        }
    }
    Ok((keys, functions))
}

struct Reader<'a> {
    data: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Read<&[u8]> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.data.len())
            .ok_or(BadFormat)?;
        let s = &self.data[self.at..end];
        self.at = end;
        Ok(s)
    }

    fn byte(&mut self) -> Read<u8> {
        Ok(self.take(1)?[0])
    }

    fn u64_le(&mut self) -> Read<u64> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().map_err(|_| BadFormat)?,
        ))
    }

    /// `rdbLoadLen`: a length, or (the flag) a special string encoding's number.
    fn len_or_enc(&mut self) -> Read<(u64, bool)> {
        let b = self.byte()?;
        Ok(match b >> 6 {
            0 => (u64::from(b & 0x3f), false),
            1 => (u64::from(b & 0x3f) << 8 | u64::from(self.byte()?), false),
            3 => (u64::from(b & 0x3f), true),
            _ => match b {
                0x80 => (
                    u64::from(u32::from_be_bytes(
                        self.take(4)?.try_into().map_err(|_| BadFormat)?,
                    )),
                    false,
                ),
                0x81 => (
                    u64::from_be_bytes(self.take(8)?.try_into().map_err(|_| BadFormat)?),
                    false,
                ),
                _ => return Err(BadFormat),
            },
        })
    }

    /// A ziplist, stored as a string (Redis 6 and older).
    fn ziplist(&mut self) -> Read<Vec<Vec<u8>>> {
        ziplist_entries(&self.string()?).ok_or(BadFormat)
    }

    /// A double as the first sorted sets stored scores: a length byte and its text, or
    /// 253/254/255 for NaN, +inf and -inf (`rdbLoadDoubleValue`).
    fn text_double(&mut self) -> Read<f64> {
        let d = match self.byte()? {
            253 => return Err(BadFormat),
            254 => f64::INFINITY,
            255 => f64::NEG_INFINITY,
            n => {
                let text = self.take(usize::from(n))?;
                crate::num::double::parse(text).ok_or(BadFormat)?
            }
        };
        Ok(d)
    }

    /// A listpack, stored as a string.
    fn listpack(&mut self) -> Read<Vec<Vec<u8>>> {
        listpack::entries(&self.string()?).ok_or(BadFormat)
    }

    fn len(&mut self) -> Read<u64> {
        match self.len_or_enc()? {
            (n, false) => Ok(n),
            _ => Err(BadFormat),
        }
    }

    /// A count of items each taking at least one byte: no more than what is left.
    fn count(&mut self) -> Read<usize> {
        let n = self.len()?;
        usize::try_from(n)
            .ok()
            .filter(|&n| n <= self.data.len() - self.at)
            .ok_or(BadFormat)
    }

    /// `rdbGenericLoadStringObject`: plain, an 8/16/32-bit integer, or LZF-compressed.
    fn string(&mut self) -> Read<Vec<u8>> {
        let (n, encoded) = self.len_or_enc()?;
        if !encoded {
            let n = usize::try_from(n).map_err(|_| BadFormat)?;
            return Ok(self.take(n)?.to_vec());
        }
        let v: i64 = match n {
            0 => i64::from(self.byte()? as i8),
            1 => i64::from(i16::from_le_bytes(
                self.take(2)?.try_into().map_err(|_| BadFormat)?,
            )),
            2 => i64::from(i32::from_le_bytes(
                self.take(4)?.try_into().map_err(|_| BadFormat)?,
            )),
            3 => {
                let packed = usize::try_from(self.len()?).map_err(|_| BadFormat)?;
                let size = usize::try_from(self.len()?).map_err(|_| BadFormat)?;
                if size > crate::types::limits::PROTO_MAX_BULK_LEN {
                    return Err(BadFormat);
                }
                let data = self.take(packed)?;
                return lzf::decompress(data, size).ok_or(BadFormat);
            }
            _ => return Err(BadFormat),
        };
        Ok(v.to_string().into_bytes())
    }

    fn value(&mut self, kind: u8, enc: &Encodings) -> Read<Value> {
        let v = match kind {
            0 => Value::Str(RString::from_arg(self.string()?)),
            18 => {
                let mut l = List::new();
                for _ in 0..self.count()? {
                    match self.len()? {
                        // PLAIN: one element as it is; PACKED: a listpack of them.
                        1 => l.push_back(self.string()?),
                        2 => l.extend(self.listpack()?),
                        _ => return Err(BadFormat),
                    }
                }
                Value::List(Box::new(l))
            }
            2 => {
                let n = self.count()?;
                let mut members = Vec::with_capacity(n);
                for _ in 0..n {
                    members.push(self.string()?);
                }
                let s = Set::from_members(members, enc);
                if s.len() != n {
                    return Err(BadFormat);
                }
                Value::Set(Box::new(s))
            }
            11 => {
                let blob = self.string()?;
                let members = intset_members(&blob)?;
                Value::Set(Box::new(Set::from_members(members, enc)))
            }
            5 => {
                let n = self.count()?;
                let mut pairs = Vec::with_capacity(n);
                for _ in 0..n {
                    let m = self.string()?;
                    let score =
                        f64::from_le_bytes(self.take(8)?.try_into().map_err(|_| BadFormat)?);
                    if score.is_nan() {
                        return Err(BadFormat);
                    }
                    pairs.push((score, m));
                }
                zset(pairs, n, enc)?
            }
            17 => zset_flat(self.listpack()?, enc)?,
            4 => {
                let n = self.count()?;
                let mut pairs = Vec::with_capacity(n);
                for _ in 0..n {
                    pairs.push((self.string()?, self.string()?));
                }
                hash(pairs, n, enc)?
            }
            16 => hash_flat(self.listpack()?, enc)?,
            // The types of Redis 6 and older.
            1 => {
                let mut l = List::new();
                for _ in 0..self.count()? {
                    l.push_back(self.string()?);
                }
                Value::List(Box::new(l))
            }
            10 => {
                let mut l = List::new();
                l.extend(self.ziplist()?);
                Value::List(Box::new(l))
            }
            14 => {
                let mut l = List::new();
                for _ in 0..self.count()? {
                    l.extend(self.ziplist()?);
                }
                Value::List(Box::new(l))
            }
            3 => {
                let n = self.count()?;
                let mut pairs = Vec::with_capacity(n);
                for _ in 0..n {
                    let m = self.string()?;
                    pairs.push((self.text_double()?, m));
                }
                zset(pairs, n, enc)?
            }
            12 => zset_flat(self.ziplist()?, enc)?,
            13 => hash_flat(self.ziplist()?, enc)?,
            9 => {
                let pairs = zipmap_pairs(&self.string()?).ok_or(BadFormat)?;
                let n = pairs.len();
                hash(pairs, n, enc)?
            }
            15 => self.stream(false)?,
            19 => self.stream(true)?,
            24 | 25 => self.hash_with_ttls(kind == 25, enc)?,
            _ => return Err(BadFormat),
        };
        Ok(v)
    }

    /// A hash whose fields may have TTLs, as the playground writes one after Redis 7.4:
    /// the soonest deadline, then listpack triples (field, value, deadline or 0) or pairs
    /// each after its deadline relative to the soonest (0: none).
    fn hash_with_ttls(&mut self, packed: bool, enc: &Encodings) -> Read<Value> {
        let soonest = self.u64_le()? as i64;
        let mut fields = Vec::new();
        if packed {
            let lp = self.listpack()?;
            if lp.len() % 3 != 0 {
                return Err(BadFormat);
            }
            for t in lp.chunks_exact(3) {
                let at = crate::num::parse_i64(&t[2]).ok_or(BadFormat)?;
                fields.push((t[0].clone(), t[1].clone(), (at != 0).then_some(at)));
            }
        } else {
            for _ in 0..self.count()? {
                let rel = self.len()?;
                let at = (rel != 0).then(|| soonest.saturating_add(rel as i64 - 1));
                fields.push((self.string()?, self.string()?, at));
            }
        }
        let n = fields.len();
        let mut h = Hash::from_pairs(fields.iter().map(|(f, v, _)| (f.clone(), v.clone())), enc);
        if h.len() != n {
            return Err(BadFormat);
        }
        h.enable_ttls();
        for (f, _, at) in &fields {
            if let Some(at) = at {
                h.restore_ttl(f, *at);
            }
        }
        Ok(Value::Hash(Box::new(h)))
    }

    fn id(&mut self) -> Read<StreamId> {
        Ok(StreamId::new(self.len()?, self.len()?))
    }

    fn raw_id(&mut self) -> Read<StreamId> {
        let b = self.take(16)?;
        let ms = u64::from_be_bytes(b[..8].try_into().map_err(|_| BadFormat)?);
        let seq = u64::from_be_bytes(b[8..].try_into().map_err(|_| BadFormat)?);
        Ok(StreamId::new(ms, seq))
    }

    /// RDB_TYPE_STREAM_LISTPACKS_2 (`v2`: Redis 7.0) or RDB_TYPE_STREAM_LISTPACKS (6.x,
    /// without the first and max-deleted ids, the entries-added counter and the groups'
    /// read counters, which are then worked out as Redis 7.0 works them out on load).
    fn stream(&mut self, v2: bool) -> Read<Value> {
        let mut nodes: Vec<NodeParts> = Vec::new();
        for _ in 0..self.count()? {
            let key = self.string()?;
            if key.len() != 16 {
                return Err(BadFormat);
            }
            let master = Reader { data: &key, at: 0 }.raw_id()?;
            let lp = self.listpack()?;
            nodes.push(stream_node(master, &lp)?);
        }
        let length = self.len()?;
        let last_id = self.id()?;
        let (max_deleted, entries_added) = if v2 {
            let _first_id = self.id()?;
            (self.id()?, self.len()?)
        } else {
            (StreamId::MIN, length)
        };
        let mut s =
            Stream::from_raw(nodes, last_id, max_deleted, entries_added).ok_or(BadFormat)?;
        for _ in 0..self.count()? {
            let name = self.string()?;
            let last = self.id()?;
            let entries_read = if v2 {
                self.len()? as i64
            } else {
                s.entries_up_to(last)
                    .map_or(crate::types::stream::group::INVALID_ENTRIES_READ, |n| {
                        n as i64
                    })
            };
            let mut g = ConsumerGroup::new(last, entries_read);
            let mut pel = Vec::new();
            for _ in 0..self.count()? {
                let id = self.raw_id()?;
                let time = self.u64_le()? as i64;
                pel.push((id, time, self.len()?));
            }
            for _ in 0..self.count()? {
                let cname = self.string()?;
                let seen = self.u64_le()? as i64;
                if !g.create_consumer(&cname, seen) {
                    return Err(BadFormat);
                }
                for _ in 0..self.count()? {
                    let id = self.raw_id()?;
                    let &(_, time, count) = pel.iter().find(|p| p.0 == id).ok_or(BadFormat)?;
                    let nack = g.assign(id, &cname, time);
                    nack.delivery_time = time;
                    nack.delivery_count = count;
                }
            }
            if g.pel.len() != pel.len() || !g.is_consistent() || s.groups.insert(name, g).is_some()
            {
                return Err(BadFormat);
            }
        }
        Ok(Value::Stream(Box::new(s)))
    }
}

fn zset(pairs: Vec<(f64, Vec<u8>)>, n: usize, enc: &Encodings) -> Read<Value> {
    let z = ZSet::from_pairs(pairs, enc);
    if z.len() != n {
        return Err(BadFormat);
    }
    Ok(Value::ZSet(Box::new(z)))
}

/// A sorted set stored flat, member then score (a listpack, or a ziplist before 7.0).
fn zset_flat(flat: Vec<Vec<u8>>, enc: &Encodings) -> Read<Value> {
    if !flat.len().is_multiple_of(2) {
        return Err(BadFormat);
    }
    let mut pairs = Vec::with_capacity(flat.len() / 2);
    for p in flat.chunks_exact(2) {
        let score = crate::num::double::parse(&p[1]).ok_or(BadFormat)?;
        pairs.push((score, p[0].clone()));
    }
    let n = pairs.len();
    zset(pairs, n, enc)
}

/// A hash stored flat, field then value (a listpack, or a ziplist before 7.0).
fn hash_flat(flat: Vec<Vec<u8>>, enc: &Encodings) -> Read<Value> {
    if !flat.len().is_multiple_of(2) {
        return Err(BadFormat);
    }
    let n = flat.len() / 2;
    let mut it = flat.into_iter();
    let pairs = std::iter::from_fn(|| Some((it.next()?, it.next()?))).collect();
    hash(pairs, n, enc)
}

fn hash(pairs: Vec<(Vec<u8>, Vec<u8>)>, n: usize, enc: &Encodings) -> Read<Value> {
    let h = Hash::from_pairs(pairs, enc);
    if h.len() != n {
        return Err(BadFormat);
    }
    Ok(Value::Hash(Box::new(h)))
}

/// A stream node's entries from its listpack: the master entry, then each entry's flags,
/// id deltas, fields (or the master's) and values, and its entry count.
fn stream_node(master: StreamId, lp: &[Vec<u8>]) -> Read<NodeParts> {
    let mut it = lp.iter();
    let mut int = || -> Read<i64> {
        it.next()
            .and_then(|e| crate::num::parse_i64(e))
            .ok_or(BadFormat)
    };
    let (live, deleted, nfields) = (int()?, int()?, int()?);
    let _ = (live, deleted);
    let mut master_fields = Vec::new();
    for _ in 0..nfields {
        master_fields.push(it.next().ok_or(BadFormat)?.clone());
    }
    let mut entries = Vec::new();
    let int_of = |e: Option<&Vec<u8>>| e.and_then(|e| crate::num::parse_i64(e)).ok_or(BadFormat);
    if int_of(it.next())? != 0 {
        return Err(BadFormat);
    }
    while let Some(flags) = it.next() {
        let flags = int_of(Some(flags))?;
        let ms = master.ms.wrapping_add(int_of(it.next())? as u64);
        let seq = master.seq.wrapping_add(int_of(it.next())? as u64);
        let same = flags & 2 != 0;
        let mut fields = Vec::new();
        if same {
            for f in &master_fields {
                fields.push((f.clone(), it.next().ok_or(BadFormat)?.clone()));
            }
        } else {
            let n = int_of(it.next())?;
            for _ in 0..n {
                let f = it.next().ok_or(BadFormat)?.clone();
                fields.push((f, it.next().ok_or(BadFormat)?.clone()));
            }
        }
        let _count = int_of(it.next())?;
        entries.push((StreamId::new(ms, seq), flags & 1 != 0, fields));
    }
    Ok((master, master_fields, entries))
}

/// The members of an intset blob: width, count, then the values little-endian.
fn intset_members(blob: &[u8]) -> Read<Vec<Vec<u8>>> {
    if blob.len() < 8 {
        return Err(BadFormat);
    }
    let width = u32::from_le_bytes(blob[..4].try_into().map_err(|_| BadFormat)?) as usize;
    let n = u32::from_le_bytes(blob[4..8].try_into().map_err(|_| BadFormat)?) as usize;
    if ![2, 4, 8].contains(&width)
        || Some(blob.len()) != width.checked_mul(n).and_then(|b| b.checked_add(8))
    {
        return Err(BadFormat);
    }
    Ok(blob[8..]
        .chunks_exact(width)
        .map(|c| listpack::signed_le(c).to_string().into_bytes())
        .collect())
}
