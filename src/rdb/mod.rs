//! Values as Redis 7.0.15's RDB writer encodes them (`rdbSaveObject`; facts from `rdb.c`,
//! `listpack.c`, `intset.c`, `quicklist.c` and `t_stream.c`): DEBUG OBJECT's
//! `serializedlength` is the length of these bytes, and DUMP's payload is them after the
//! value's RDB type, followed by the RDB version and a CRC-64. Strings longer than 20 bytes are
//! LZF-compressed when that saves more than 4 bytes (`rdbcompression yes`), with Redis's
//! own compressor settings (`lzf.rs`). Lists are cut into quicklist nodes as the memory
//! model cuts them (pushes filling nodes from the head).

mod legacy;
mod lzf;
mod read;

pub use read::{functions_in_payload, restore_payload, split_file, PayloadError};

use crate::types::stream::{Stream, StreamId};
use crate::types::usage::{quicklist_nodes, score_text};
use crate::types::{listpack, Encodings, Hash, List, Set, Value, ZSet};

/// `rdbSaveLen`: 6, 14, 32 or 64 bits, after two tag bits.
fn put_len(out: &mut Vec<u8>, n: u64) {
    if n < 1 << 6 {
        out.push(n as u8);
    } else if n < 1 << 14 {
        out.extend_from_slice(&[0x40 | (n >> 8) as u8, n as u8]);
    } else if n <= u64::from(u32::MAX) {
        out.push(0x80);
        out.extend_from_slice(&(n as u32).to_be_bytes());
    } else {
        out.push(0x81);
        out.extend_from_slice(&n.to_be_bytes());
    }
}

/// `rdbEncodeInteger`: an integer in 8, 16 or 32 bits, if it fits.
fn put_small_int(out: &mut Vec<u8>, v: i64) -> bool {
    if let Ok(b) = i8::try_from(v) {
        out.extend_from_slice(&[0xC0, b as u8]);
    } else if let Ok(h) = i16::try_from(v) {
        out.push(0xC1);
        out.extend_from_slice(&h.to_le_bytes());
    } else if let Ok(w) = i32::try_from(v) {
        out.push(0xC2);
        out.extend_from_slice(&w.to_le_bytes());
    } else {
        return false;
    }
    true
}

/// `rdbSaveRawString`: a short canonical integer as one, a long string LZF-compressed if
/// that pays, anything else as its length and bytes.
fn put_string(out: &mut Vec<u8>, s: &[u8]) {
    if s.len() <= 11 {
        if let Some(v) = crate::num::parse_i64(s) {
            if put_small_int(out, v) {
                return;
            }
        }
    }
    if s.len() > 20 {
        if let Some(packed) = lzf::compress(s, s.len() - 4) {
            out.push(0xC3);
            put_len(out, packed.len() as u64);
            put_len(out, s.len() as u64);
            out.extend_from_slice(&packed);
            return;
        }
    }
    put_len(out, s.len() as u64);
    out.extend_from_slice(s);
}

/// The RDB version Redis 7.0 writes.
const RDB_VERSION: u16 = 10;

/// The RDB type byte of a value in its encoding (`rdbSaveObjectType`). A hash whose
/// fields may have TTLs takes Redis 7.4's types (listpack-ex 25, with metadata 24).
fn type_byte(v: &Value) -> u8 {
    match v {
        Value::Str(_) => 0,
        Value::List(_) => 18,
        Value::Set(s) if s.encoding() == "intset" => 11,
        Value::Set(_) => 2,
        Value::ZSet(z) if z.encoding() == "listpack" => 17,
        Value::ZSet(_) => 5,
        Value::Hash(h) if h.ttls_enabled() && h.is_listpack() => 25,
        Value::Hash(h) if h.ttls_enabled() => 24,
        Value::Hash(h) if h.is_listpack() => 16,
        Value::Hash(_) => 4,
        Value::Stream(_) => 19,
    }
}

/// DUMP's payload: the type byte, the value, the RDB version (2 bytes) and a CRC-64
/// (Jones, as Redis's `crc64`) of all that, both little-endian.
pub fn dump_payload(v: &Value, enc: &Encodings) -> Vec<u8> {
    payload(type_byte(v), &object_bytes(v, enc))
}

/// A DUMP payload of a value of RDB type `kind` written as `body`.
fn payload(kind: u8, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 11);
    out.push(kind);
    out.extend_from_slice(body);
    out.extend_from_slice(&RDB_VERSION.to_le_bytes());
    let crc = crc64(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// `RDB_OPCODE_FUNCTION2`: a function library (its whole code) in an RDB file or a
/// FUNCTION DUMP payload.
pub const OPCODE_FUNCTION2: u8 = 245;
/// `RDB_OPCODE_FUNCTION`: 7.0's release candidates' form (name, engine, description, code).
pub const OPCODE_FUNCTION: u8 = 246;

/// FUNCTION DUMP's payload (`rdbSaveFunctions`, then the RDB version and a CRC-64): each
/// library's code after the FUNCTION2 opcode.
pub fn functions_payload(codes: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for code in codes {
        out.push(OPCODE_FUNCTION2);
        put_string(&mut out, code);
    }
    out.extend_from_slice(&RDB_VERSION.to_le_bytes());
    let crc = crc64(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// One db of an RDB file: its index and its keys (name, value, absolute expiry in ms).
pub type FileDb<'a> = (usize, Vec<(&'a [u8], &'a Value, Option<i64>)>);

/// A whole RDB file as Redis 7.0 writes one (`rdbSaveRio`): the `REDIS0010` magic, its
/// aux fields, then per db SELECTDB and RESIZEDB and each key (expiry, type, name,
/// value), then EOF and a CRC-64 of everything before it. A real redis-server loads it.
/// Function libraries come after the aux fields, as Redis writes them.
pub fn file(dbs: &[FileDb<'_>], functions: &[&[u8]], enc: &Encodings, now_ms: i64) -> Vec<u8> {
    let mut out = b"REDIS0010".to_vec();
    let aux = |out: &mut Vec<u8>, k: &str, v: &str| {
        out.push(0xFA);
        put_string(out, k.as_bytes());
        put_string(out, v.as_bytes());
    };
    aux(&mut out, "redis-ver", crate::REDIS_VERSION);
    aux(&mut out, "redis-bits", "64");
    aux(&mut out, "ctime", &(now_ms / 1000).to_string());
    aux(&mut out, "aof-base", "0");
    for code in functions {
        out.push(OPCODE_FUNCTION2);
        put_string(&mut out, code);
    }
    for (db, keys) in dbs {
        out.push(0xFE);
        put_len(&mut out, *db as u64);
        out.push(0xFB);
        put_len(&mut out, keys.len() as u64);
        put_len(
            &mut out,
            keys.iter().filter(|k| k.2.is_some()).count() as u64,
        );
        for (key, value, expire) in keys {
            if let Some(at) = expire {
                out.push(0xFC);
                out.extend_from_slice(&at.to_le_bytes());
            }
            out.push(type_byte(value));
            put_string(&mut out, key);
            out.extend(object_bytes(value, enc));
        }
    }
    out.push(0xFF);
    let crc = crc64(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// CRC-64/Jones (reflected polynomial 0x95ac9329ac4bc9b5, no initial or final xor), the
/// check Redis puts on DUMP payloads and RDB files.
fn crc64(data: &[u8]) -> u64 {
    static TABLE: std::sync::OnceLock<[u64; 256]> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = [0u64; 256];
        for (i, slot) in t.iter_mut().enumerate() {
            let mut c = i as u64;
            for _ in 0..8 {
                c = if c & 1 == 1 {
                    (c >> 1) ^ 0x95ac_9329_ac4b_c9b5
                } else {
                    c >> 1
                };
            }
            *slot = c;
        }
        t
    });
    data.iter().fold(0u64, |crc, &b| {
        table[((crc ^ u64::from(b)) & 0xff) as usize] ^ (crc >> 8)
    })
}

/// What `rdbSaveObject` writes for a value (without its type byte).
pub fn object_bytes(v: &Value, enc: &Encodings) -> Vec<u8> {
    let mut out = Vec::new();
    match v {
        Value::Str(s) => put_string(&mut out, s.as_bytes()),
        Value::List(l) => put_list(&mut out, l, enc),
        Value::Set(s) => put_set(&mut out, s),
        Value::ZSet(z) => put_zset(&mut out, z),
        Value::Hash(h) => put_hash(&mut out, h),
        Value::Stream(s) => put_stream(&mut out, s),
    }
    out
}

/// A quicklist (RDB_TYPE_LIST_QUICKLIST_2): each node's container kind (2, packed) and its
/// listpack as a string.
fn put_list(out: &mut Vec<u8>, l: &List, enc: &Encodings) {
    let nodes = quicklist_nodes(l, enc, usize::MAX);
    put_len(out, nodes.len() as u64);
    let mut items = l.iter();
    for node in nodes {
        if node.plain {
            // A PLAIN node (container 1): its one element as it is.
            put_len(out, 1);
            put_string(out, items.next().map_or(&[][..], |e| e));
            continue;
        }
        let mut lp = listpack::Builder::default();
        for e in items.by_ref().take(node.count) {
            lp.push_str(e);
        }
        put_len(out, 2);
        put_string(out, &lp.finish());
    }
}

/// An intset (RDB_TYPE_SET_INTSET) as its blob — width, count, values little-endian — or
/// a hash table's members (RDB_TYPE_SET).
fn put_set(out: &mut Vec<u8>, s: &Set) {
    if let Set::Ints(v) = s {
        let width: usize = if v.iter().all(|&n| i16::try_from(n).is_ok()) {
            2
        } else if v.iter().all(|&n| i32::try_from(n).is_ok()) {
            4
        } else {
            8
        };
        let mut blob = Vec::with_capacity(8 + width * v.len());
        blob.extend_from_slice(&(width as u32).to_le_bytes());
        blob.extend_from_slice(&(v.len() as u32).to_le_bytes());
        for n in v {
            blob.extend_from_slice(&n.to_le_bytes()[..width]);
        }
        return put_string(out, &blob);
    }
    put_len(out, s.len() as u64);
    for m in s.iter() {
        put_string(out, &m);
    }
}

/// A listpack sorted set (RDB_TYPE_ZSET_LISTPACK: member, score, …) or a skip list's
/// members with binary doubles (RDB_TYPE_ZSET_2).
fn put_zset(out: &mut Vec<u8>, z: &ZSet) {
    if z.encoding() == "listpack" {
        let mut lp = listpack::Builder::default();
        for (score, m) in z.iter() {
            lp.push_str(m);
            lp.push_str(score_text(score).as_bytes());
        }
        return put_string(out, &lp.finish());
    }
    put_len(out, z.len() as u64);
    for (score, m) in z.iter_rev() {
        put_string(out, m);
        out.extend_from_slice(&score.to_le_bytes());
    }
}

/// A listpack hash (RDB_TYPE_HASH_LISTPACK) or a hash table's pairs (RDB_TYPE_HASH). A
/// hash whose fields may have TTLs is written as Redis 7.4 writes one: the soonest
/// deadline first, then a listpack of (field, value, deadline or 0) triples, or the
/// pairs each after its deadline relative to that soonest one.
fn put_hash(out: &mut Vec<u8>, h: &Hash) {
    let ex = h.ttls_enabled();
    if ex {
        let soonest = h.next_due().unwrap_or(0);
        out.extend_from_slice(&soonest.to_le_bytes());
    }
    if h.is_listpack() {
        let mut lp = listpack::Builder::default();
        for (f, v) in h.iter() {
            lp.push_str(f);
            lp.push_str(v);
            if ex {
                lp.push_int(h.ttl_of(f).unwrap_or(0));
            }
        }
        return put_string(out, &lp.finish());
    }
    put_len(out, h.len() as u64);
    let soonest = h.next_due().unwrap_or(0);
    for (f, v) in h.iter() {
        if ex {
            let rel = h.ttl_of(f).map_or(0, |at| (at - soonest) as u64 + 1);
            put_len(out, rel);
        }
        put_string(out, f);
        put_string(out, v);
    }
}

fn put_id_lens(out: &mut Vec<u8>, id: StreamId) {
    put_len(out, id.ms);
    put_len(out, id.seq);
}

/// A stream id as Redis keys its radix trees: 128 bits, big-endian.
fn raw_id(id: StreamId) -> [u8; 16] {
    let mut b = [0; 16];
    b[..8].copy_from_slice(&id.ms.to_be_bytes());
    b[8..].copy_from_slice(&id.seq.to_be_bytes());
    b
}

/// A stream (RDB_TYPE_STREAM_LISTPACKS_2): each node's master id and listpack, the
/// counters, and every consumer group with its pending entries and consumers.
fn put_stream(out: &mut Vec<u8>, s: &Stream) {
    const DELETED: i64 = 1;
    const SAME_FIELDS: i64 = 2;
    let nodes = s.raw_nodes();
    put_len(out, nodes.len() as u64);
    for node in &nodes {
        put_string(out, &raw_id(node.master));
        // The master entry: live and deleted counts, the master fields, a 0.
        let mut lp = listpack::Builder::default();
        let deleted = node.entries.iter().filter(|e| e.1).count();
        lp.push_int((node.entries.len() - deleted) as i64);
        lp.push_int(deleted as i64);
        lp.push_int(node.master_fields.len() as i64);
        for f in node.master_fields {
            lp.push_str(f);
        }
        lp.push_int(0);
        for (id, gone, fields) in &node.entries {
            let same = fields.len() == node.master_fields.len()
                && fields
                    .iter()
                    .zip(node.master_fields)
                    .all(|((f, _), m)| f == m);
            let flags = i64::from(*gone) * DELETED + i64::from(same) * SAME_FIELDS;
            lp.push_int(flags);
            lp.push_int(id.ms.wrapping_sub(node.master.ms) as i64);
            lp.push_int(id.seq.wrapping_sub(node.master.seq) as i64);
            if !same {
                lp.push_int(fields.len() as i64);
            }
            for (f, v) in fields {
                if !same {
                    lp.push_str(f);
                }
                lp.push_str(v);
            }
            let count = if same {
                fields.len() + 3
            } else {
                2 * fields.len() + 4
            };
            lp.push_int(count as i64);
        }
        put_string(out, &lp.finish());
    }
    put_len(out, s.len());
    put_id_lens(out, s.last_id);
    put_id_lens(out, s.first_id);
    put_id_lens(out, s.max_deleted_id);
    put_len(out, s.entries_added);
    put_len(out, s.groups.len() as u64);
    for (name, g) in &s.groups {
        put_string(out, name);
        put_id_lens(out, g.last_id);
        put_len(out, g.entries_read as u64);
        put_len(out, g.pel.len() as u64);
        for (id, nack) in &g.pel {
            out.extend_from_slice(&raw_id(*id));
            out.extend_from_slice(&nack.delivery_time.to_le_bytes());
            put_len(out, nack.delivery_count);
        }
        put_len(out, g.consumers.len() as u64);
        for (cname, c) in &g.consumers {
            put_string(out, cname);
            out.extend_from_slice(&c.seen_time.to_le_bytes());
            put_len(out, c.pel.len() as u64);
            for id in &c.pel {
                out.extend_from_slice(&raw_id(*id));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::RString;

    fn str_len(s: &str) -> usize {
        object_bytes(
            &Value::Str(RString::from_arg(s.as_bytes().to_vec())),
            &Encodings::DEFAULT,
        )
        .len()
    }

    #[test]
    fn crc64_is_redis_s() {
        // Redis's own check value (crc64.c's test).
        assert_eq!(crc64(b"123456789"), 0xe9c6_d914_c4b8_d9ca);
    }

    #[test]
    fn a_string_dumps_as_redis_dumps_it() {
        let v = Value::Str(RString::from_arg(b"hello".to_vec()));
        // redis-cli --no-raw DUMP of "hello" on Redis 7.0.15.
        let want = b"\x00\x05hello\n\x00cr\xdfve4 \n";
        assert_eq!(dump_payload(&v, &Encodings::DEFAULT), want.to_vec());
    }

    #[test]
    fn strings_take_what_redis_serializes() {
        // DEBUG OBJECT's serializedlength on Redis 7.0.15.
        assert_eq!(str_len("1"), 2);
        assert_eq!(str_len("1000"), 3);
        assert_eq!(str_len("100000"), 5);
        assert_eq!(str_len("10000000000"), 12);
        assert_eq!(str_len("hello"), 6);
        assert_eq!(str_len(&"x".repeat(100)), 13);
        assert_eq!(str_len(&"x".repeat(20)), 21);
    }
}
