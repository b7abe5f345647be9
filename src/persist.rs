//! Saving the world and taking it elsewhere.
//!
//! - A **snapshot** is the whole keyspace (every db, every value, absolute expiry times)
//!   and the world clock, in a compact versioned binary format with a CRC-32 at the end.
//!   Loading checks everything before touching the server, so a bad snapshot leaves the
//!   world as it was. Keys whose TTL ran out before the load are not loaded, as Redis
//!   skips expired keys when it loads an RDB file. Encodings are chosen afresh from the
//!   sizes, as Redis does on load.
//! - An **export** is the commands that recreate the keyspace in a real Redis: a
//!   redis-cli script (`redis-cli < file`) or the same commands in RESP
//!   (`redis-cli --pipe < file`). TTLs become `PEXPIRE` with the time left, hash fields'
//!   own TTLs `HPEXPIRE` (which only Redis 7.4 and later know).
//! - An **import** runs such a script or RESP stream on a connection of its own.
//!
//! Format, version 1 (integers little-endian, `len` = LEB128 varint):
//! ```text
//! "RPGSNAP\0" u16 version, f64 world_ms, f64 wall_ms, f64 speed, u8 paused
//! then per non-empty db: u8 db, len key count, then per key:
//!   u8 type (1 string, 2 list, 3 set, 4 zset, 5/8 hash, 6/7 stream) | 0x80 if it has a TTL,
//!   [i64 expire_at_ms], bytes key, then the value:
//!   string: bytes · list/set: len n, n × bytes · zset: len n, n × (f64 score, bytes)
//!   hash: len n, n × (bytes field, bytes value); type 8 (a hash whose fields may have
//!   their own TTL, Redis 7.4) then: len n, n × (bytes field, i64 expire_at_ms)
//!   stream (6; 7 with consumer groups): u64 last id ms, seq, max deleted id ms, seq,
//!   u64 entries added, len nodes, per node: len n, n × bytes master field, len entries,
//!   per entry: u64 ms, seq, u8 deleted, len n, n × (bytes field, bytes value);
//!   type 7 then: len groups, per group: bytes name, u64 last id ms, seq, i64 entries
//!   read, len consumers, n × (bytes name, i64 seen ms), len pending, n × (u64 id ms,
//!   seq, bytes consumer, i64 delivery ms, u64 delivery count)
//! version 2 then: [u8 0xFE, len n, n × (bytes user name, bytes its ACL LIST rules)]
//!   (the users other than a default user left as it starts; no section: none)
//! version 3 then: [u8 0xFD, len n, n × bytes function library code] and
//!   [u8 0xFC, len n, n × bytes EVAL script body] (the script cache: Redis keeps it only
//!   while the server runs, but a world saved and opened again is the learner's same
//!   server, so EVALSHA of a script loaded before still works)
//! u8 0xFF, u32 CRC-32 of everything before it
//! ```

use crate::cli::{self, Line};
use crate::clock::{Clock, Ms};
use crate::clock::{MAX_SPEED, MIN_SPEED};
use crate::reply::Reply;
use crate::server::{Server, NUM_DBS};
use crate::types::hash::Hash;
use crate::types::set::Set;
use crate::types::stream::group::ConsumerGroup;
use crate::types::stream::{Stream, StreamId};
use crate::types::string::RString;
use crate::types::zset::ZSet;
use crate::types::{Encodings, Value};

const MAGIC: &[u8; 8] = b"RPGSNAP\0";
pub const FORMAT_VERSION: u16 = 3;
/// Marks the users section (a byte no db index can be).
const USERS: u8 = 0xFE;
/// Marks the function libraries and the script cache.
const FUNCTIONS: u8 = 0xFD;
const SCRIPTS: u8 = 0xFC;
const END: u8 = 0xFF;
const HAS_TTL: u8 = 0x80;

/// Why a snapshot cannot be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    NotASnapshot,
    Newer(u16),
    Truncated,
    Corrupted,
    Invalid(&'static str),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            LoadError::NotASnapshot => write!(f, "not a Redis Playground snapshot"),
            LoadError::Newer(v) => write!(
                f,
                "snapshot format {v} is newer than this page ({FORMAT_VERSION})"
            ),
            LoadError::Truncated => write!(f, "snapshot is truncated"),
            LoadError::Corrupted => write!(f, "snapshot is corrupted (checksum mismatch)"),
            LoadError::Invalid(why) => write!(f, "snapshot is invalid ({why})"),
        }
    }
}

impl std::error::Error for LoadError {}

/// The most a snapshot or an export may be: what a page can hand to JavaScript and store
/// in one piece, with room to spare.
pub const SIZE_LIMIT: usize = 256 << 20;

/// A keyspace too big to save or export from the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooBig {
    /// "save", "export".
    pub what: &'static str,
    /// About how many bytes it would have taken.
    pub bytes: usize,
}

impl std::fmt::Display for TooBig {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(
            f,
            "the keyspace is too big to {} from the page (about {} MiB; at most {} MiB)",
            self.what,
            self.bytes.div_ceil(1 << 20),
            SIZE_LIMIT >> 20
        )
    }
}

impl std::error::Error for TooBig {}

/// The bytes a value's data takes (keys and members as they are, scores as 8 bytes), and
/// how many pieces it has; what every writer's size follows from.
fn data_size(v: &Value) -> (usize, usize) {
    match v {
        Value::Str(s) => (s.as_bytes().len(), 1),
        Value::List(l) => (l.iter().map(|i| i.len()).sum(), l.len()),
        Value::Set(s) => (s.iter().map(|m| m.len()).sum(), s.len()),
        Value::ZSet(z) => (z.iter().map(|(_, m)| m.len() + 8).sum(), z.len()),
        Value::Hash(h) => (h.iter().map(|(f, v)| f.len() + v.len()).sum(), 2 * h.len()),
        Value::Stream(st) => (st.data_bytes(), st.len() as usize * 4 + 4),
    }
}

/// About how many bytes the live keyspace takes written out, where each stored byte may
/// take `per_byte` bytes (a script escapes a byte as up to four) and each piece `per_piece`.
fn written_size(server: &Server, now: Ms, per_byte: usize, per_piece: usize) -> usize {
    let mut total = 64usize;
    for db in server.dbs() {
        for e in db.iter(now) {
            let (bytes, pieces) = data_size(&e.value);
            total = total
                .saturating_add((bytes + e.key().len()).saturating_mul(per_byte))
                .saturating_add((pieces + 4).saturating_mul(per_piece));
        }
    }
    let s = server.scripting();
    for code in s.functions.codes().into_iter().chain(s.eval.bodies()) {
        total = total
            .saturating_add(code.len().saturating_mul(per_byte))
            .saturating_add(4 * per_piece);
    }
    total
}

// ---- writing ----

fn put_len(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    put_len(out, b.len() as u64);
    out.extend_from_slice(b);
}

fn type_code(v: &Value) -> u8 {
    match v {
        Value::Str(_) => 1,
        Value::List(_) => 2,
        Value::Set(_) => 3,
        Value::ZSet(_) => 4,
        Value::Hash(h) if h.ttls_enabled() => 8,
        Value::Hash(_) => 5,
        Value::Stream(s) if s.groups.is_empty() => 6,
        Value::Stream(_) => 7,
    }
}

fn put_value(out: &mut Vec<u8>, v: &Value) {
    match v {
        Value::Str(s) => put_bytes(out, s.as_bytes()),
        Value::List(l) => {
            put_len(out, l.len() as u64);
            for item in l.iter() {
                put_bytes(out, item);
            }
        }
        Value::Set(s) => {
            put_len(out, s.len() as u64);
            for m in s.iter() {
                put_bytes(out, &m);
            }
        }
        Value::ZSet(z) => {
            put_len(out, z.len() as u64);
            for (score, m) in z.iter() {
                out.extend_from_slice(&score.to_le_bytes());
                put_bytes(out, m);
            }
        }
        Value::Hash(h) => {
            put_len(out, h.len() as u64);
            for (f, v) in h.iter() {
                put_bytes(out, f);
                put_bytes(out, v);
            }
            if h.ttls_enabled() {
                put_len(out, h.volatile_fields() as u64);
                for (f, at) in h.field_ttls() {
                    put_bytes(out, f);
                    out.extend_from_slice(&at.to_le_bytes());
                }
            }
        }
        Value::Stream(st) => {
            // The counters, then every node as it is (deleted entries included), so the
            // node boundaries trimming depends on survive a reload, as in an RDB file.
            let id = |out: &mut Vec<u8>, id: StreamId| {
                out.extend_from_slice(&id.ms.to_le_bytes());
                out.extend_from_slice(&id.seq.to_le_bytes());
            };
            id(out, st.last_id);
            id(out, st.max_deleted_id);
            out.extend_from_slice(&st.entries_added.to_le_bytes());
            let nodes = st.raw_nodes();
            put_len(out, nodes.len() as u64);
            for n in nodes {
                put_len(out, n.master_fields.len() as u64);
                for f in n.master_fields {
                    put_bytes(out, f);
                }
                put_len(out, n.entries.len() as u64);
                for (eid, deleted, fields) in n.entries {
                    id(out, eid);
                    out.push(u8::from(deleted));
                    put_len(out, fields.len() as u64);
                    for (f, v) in &fields {
                        put_bytes(out, f);
                        put_bytes(out, v);
                    }
                }
            }
            if st.groups.is_empty() {
                return;
            }
            // Type 7: the consumer groups follow, each with its consumers and its PEL.
            put_len(out, st.groups.len() as u64);
            for (name, g) in &st.groups {
                put_bytes(out, name);
                id(out, g.last_id);
                out.extend_from_slice(&g.entries_read.to_le_bytes());
                put_len(out, g.consumers.len() as u64);
                for (cname, c) in &g.consumers {
                    put_bytes(out, cname);
                    out.extend_from_slice(&c.seen_time.to_le_bytes());
                }
                put_len(out, g.pel.len() as u64);
                for (pid, n) in &g.pel {
                    id(out, *pid);
                    put_bytes(out, &n.consumer);
                    out.extend_from_slice(&n.delivery_time.to_le_bytes());
                    out.extend_from_slice(&n.delivery_count.to_le_bytes());
                }
            }
        }
    }
}

/// The whole world as bytes: the keys live at `now` and the clock.
pub fn snapshot(server: &Server, clock: &Clock, wall_ms: f64) -> Result<Vec<u8>, TooBig> {
    let now = clock.now_ms();
    let size = written_size(server, now, 1, 10);
    let too_big = TooBig {
        what: "save",
        bytes: size,
    };
    if size > SIZE_LIMIT {
        return Err(too_big);
    }
    let mut out = Vec::new();
    out.try_reserve_exact(size).map_err(|_| too_big)?;
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&clock.world_ms().to_le_bytes());
    out.extend_from_slice(&wall_ms.to_le_bytes());
    out.extend_from_slice(&clock.speed().to_le_bytes());
    out.push(u8::from(clock.is_paused()));
    for (i, db) in server.dbs().iter().enumerate() {
        let live: Vec<_> = db.iter(now).collect();
        if live.is_empty() {
            continue;
        }
        out.push(i as u8);
        put_len(&mut out, live.len() as u64);
        for e in live {
            let ttl = e.expire_at();
            out.push(type_code(&e.value) | if ttl.is_some() { HAS_TTL } else { 0 });
            if let Some(at) = ttl {
                out.extend_from_slice(&at.to_le_bytes());
            }
            put_bytes(&mut out, e.key());
            put_value(&mut out, &e.value);
        }
    }
    let users = server.acl().export();
    if !users.is_empty() {
        out.push(USERS);
        put_len(&mut out, users.len() as u64);
        for (name, rules) in users {
            put_bytes(&mut out, &name);
            put_bytes(&mut out, rules.as_bytes());
        }
    }
    let codes = server.scripting().functions.codes();
    if !codes.is_empty() {
        out.push(FUNCTIONS);
        put_len(&mut out, codes.len() as u64);
        for code in codes {
            put_bytes(&mut out, code);
        }
    }
    let bodies: Vec<&[u8]> = server.scripting().eval.bodies().collect();
    if !bodies.is_empty() {
        out.push(SCRIPTS);
        put_len(&mut out, bodies.len() as u64);
        for body in bodies {
            put_bytes(&mut out, body);
        }
    }
    out.push(END);
    let crc = crate::crc32::hash(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    Ok(out)
}

// ---- reading ----

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], LoadError> {
        let end = self.pos.checked_add(n).ok_or(LoadError::Truncated)?;
        let s = self.buf.get(self.pos..end).ok_or(LoadError::Truncated)?;
        self.pos = end;
        Ok(s)
    }

    fn u8(&mut self) -> Result<u8, LoadError> {
        Ok(self.take(1)?[0])
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], LoadError> {
        let mut a = [0; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    fn f64(&mut self) -> Result<f64, LoadError> {
        Ok(f64::from_le_bytes(self.array()?))
    }

    fn len(&mut self) -> Result<usize, LoadError> {
        let mut n: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            n |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                // No count can exceed what is left to read (each item takes a byte or more).
                let n = usize::try_from(n).map_err(|_| LoadError::Invalid("a length"))?;
                return if n > self.buf.len() - self.pos {
                    Err(LoadError::Truncated)
                } else {
                    Ok(n)
                };
            }
        }
        Err(LoadError::Invalid("a length"))
    }

    fn bytes(&mut self) -> Result<Vec<u8>, LoadError> {
        let n = self.len()?;
        Ok(self.take(n)?.to_vec())
    }
}

/// A checked snapshot, ready to replace the world.
pub struct Loaded {
    pub world_ms: f64,
    pub wall_ms: f64,
    pub speed: f64,
    pub paused: bool,
    /// (db, key, value, expire_at)
    entries: Vec<(usize, Vec<u8>, Value, Option<i64>)>,
    /// The ACL users (a world's restore brings them back; DEBUG RELOAD leaves them).
    pub users: crate::server::acl::Acl,
    /// The function libraries' codes and the cached scripts' bodies.
    functions: Vec<Vec<u8>>,
    scripts: Vec<Vec<u8>>,
}

/// A count of members the engine could have stored: Redis never keeps an empty list,
/// set, sorted set or hash.
fn members(r: &mut Reader) -> Result<usize, LoadError> {
    match r.len()? {
        0 => Err(LoadError::Invalid("an empty collection")),
        n => Ok(n),
    }
}

/// `made` holds `n` distinct members, as it must: a repeated member would vanish.
fn distinct(made: usize, n: usize) -> Result<(), LoadError> {
    if made == n {
        Ok(())
    } else {
        Err(LoadError::Invalid("a member twice"))
    }
}

fn read_value(r: &mut Reader, code: u8, enc: &Encodings) -> Result<Value, LoadError> {
    Ok(match code {
        1 => {
            let s = r.bytes()?;
            if s.len() > crate::types::limits::PROTO_MAX_BULK_LEN {
                return Err(LoadError::Invalid("a string longer than 512 MB"));
            }
            Value::Str(RString::from_arg(s))
        }
        2 => {
            let n = members(r)?;
            let mut l = crate::types::list::List::with_capacity(n);
            for _ in 0..n {
                l.push_back(r.bytes()?);
            }
            Value::List(Box::new(l))
        }
        3 => {
            let n = members(r)?;
            let mut all = Vec::with_capacity(n);
            for _ in 0..n {
                all.push(r.bytes()?);
            }
            let set = Set::from_members(all, enc);
            distinct(set.len(), n)?;
            Value::Set(Box::new(set))
        }
        4 => {
            let n = members(r)?;
            let mut pairs = Vec::with_capacity(n);
            for _ in 0..n {
                let score = r.f64()?;
                if score.is_nan() {
                    return Err(LoadError::Invalid("a NaN score"));
                }
                pairs.push((score, r.bytes()?));
            }
            let z = ZSet::from_pairs(pairs, enc);
            distinct(z.len(), n)?;
            Value::ZSet(Box::new(z))
        }
        5 | 8 => {
            let n = members(r)?;
            let mut pairs = Vec::with_capacity(n);
            for _ in 0..n {
                pairs.push((r.bytes()?, r.bytes()?));
            }
            let mut h = Hash::from_pairs(pairs, enc);
            distinct(h.len(), n)?;
            if code == 8 {
                h.enable_ttls();
                for _ in 0..r.len()? {
                    let f = r.bytes()?;
                    let at = i64::from_le_bytes(r.array()?);
                    if !h.restore_ttl(&f, at) {
                        return Err(LoadError::Invalid("a TTL for a field that is missing"));
                    }
                }
            }
            Value::Hash(Box::new(h))
        }
        6 | 7 => {
            let id = |r: &mut Reader| -> Result<StreamId, LoadError> {
                Ok(StreamId::new(
                    u64::from_le_bytes(r.array()?),
                    u64::from_le_bytes(r.array()?),
                ))
            };
            let last_id = id(r)?;
            let max_deleted = id(r)?;
            let entries_added = u64::from_le_bytes(r.array()?);
            let n = r.len()?; // a stream may be empty and still exist
            let mut nodes = Vec::with_capacity(n);
            for _ in 0..n {
                let nf = r.len()?;
                let mut master_fields = Vec::with_capacity(nf);
                for _ in 0..nf {
                    master_fields.push(r.bytes()?);
                }
                let ne = members(r)?;
                let mut entries = Vec::with_capacity(ne);
                for _ in 0..ne {
                    let eid = id(r)?;
                    let deleted = match r.u8()? {
                        0 => false,
                        1 => true,
                        _ => return Err(LoadError::Invalid("a stream entry flag")),
                    };
                    let nf = members(r)?;
                    let mut fields = Vec::with_capacity(nf);
                    for _ in 0..nf {
                        fields.push((r.bytes()?, r.bytes()?));
                    }
                    entries.push((eid, deleted, fields));
                }
                nodes.push((
                    entries.first().map_or(StreamId::MIN, |e| e.0),
                    master_fields,
                    entries,
                ));
            }
            let mut st = Stream::from_raw(nodes, last_id, max_deleted, entries_added)
                .ok_or(LoadError::Invalid("a stream out of order"))?;
            if code == 7 {
                let n = r.len()?;
                for _ in 0..n {
                    let name = r.bytes()?;
                    let last = id(r)?;
                    let entries_read = i64::from_le_bytes(r.array()?);
                    let mut g = ConsumerGroup::new(last, entries_read);
                    for _ in 0..r.len()? {
                        let cname = r.bytes()?;
                        g.create_consumer(&cname, i64::from_le_bytes(r.array()?));
                    }
                    for _ in 0..r.len()? {
                        let pid = id(r)?;
                        let owner = r.bytes()?;
                        let delivery_time = i64::from_le_bytes(r.array()?);
                        let delivery_count = u64::from_le_bytes(r.array()?);
                        if !g.consumers.contains_key(&owner) || g.pel.contains_key(&pid) {
                            return Err(LoadError::Invalid("a pending entry without its consumer"));
                        }
                        let nack = g.assign(pid, &owner, delivery_time);
                        nack.delivery_time = delivery_time;
                        nack.delivery_count = delivery_count;
                    }
                    if !g.is_consistent() || st.groups.insert(name, g).is_some() {
                        return Err(LoadError::Invalid("a consumer group twice"));
                    }
                }
            }
            if st.last_entry_id().is_some_and(|l| l > last_id) {
                return Err(LoadError::Invalid("a stream past its last id"));
            }
            Value::Stream(Box::new(st))
        }
        _ => return Err(LoadError::Invalid("an unknown value type")),
    })
}

/// Check and decode a snapshot without touching any server.
pub fn read_snapshot(bytes: &[u8], enc: &Encodings) -> Result<Loaded, LoadError> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(LoadError::NotASnapshot);
    }
    let mut r = Reader {
        buf: bytes,
        pos: MAGIC.len(),
    };
    let version = u16::from_le_bytes(r.array()?);
    if version > FORMAT_VERSION {
        return Err(LoadError::Newer(version));
    }
    if version == 0 {
        return Err(LoadError::Invalid("version 0"));
    }
    if bytes.len() < MAGIC.len() + 2 + 4 + 1 {
        return Err(LoadError::Truncated);
    }
    let (body, crc) = bytes.split_at(bytes.len() - 4);
    let want = u32::from_le_bytes([crc[0], crc[1], crc[2], crc[3]]);
    if body.last() != Some(&END) {
        return Err(LoadError::Truncated);
    }
    if crate::crc32::hash(body) != want {
        return Err(LoadError::Corrupted);
    }
    let mut r = Reader {
        buf: &body[..body.len() - 1],
        pos: r.pos,
    };
    let world_ms = r.f64()?;
    let wall_ms = r.f64()?;
    let speed = r.f64()?;
    let paused = r.u8()? != 0;
    let in_range = |t: f64| (0.0..=crate::clock::MAX_WORLD_MS).contains(&t);
    if !in_range(world_ms) || !in_range(wall_ms) || !(MIN_SPEED..=MAX_SPEED).contains(&speed) {
        return Err(LoadError::Invalid("the clock is out of range"));
    }
    let mut entries = Vec::new();
    let mut seen: std::collections::HashSet<(usize, Vec<u8>)> = Default::default();
    let mut users = Vec::new();
    let (mut functions, mut scripts) = (Vec::new(), Vec::new());
    while r.pos < r.buf.len() {
        let section = r.buf.get(r.pos).copied();
        if version >= 3 && (section == Some(FUNCTIONS) || section == Some(SCRIPTS)) {
            r.pos += 1;
            let n = r.len()?;
            let into = if section == Some(FUNCTIONS) {
                &mut functions
            } else {
                &mut scripts
            };
            for _ in 0..n {
                into.push(r.bytes()?);
            }
            continue;
        }
        if version >= 2 && r.buf.get(r.pos) == Some(&USERS) {
            r.pos += 1;
            let n = r.len()?;
            for _ in 0..n {
                let name = r.bytes()?;
                let rules = String::from_utf8(r.bytes()?)
                    .map_err(|_| LoadError::Invalid("a user's rules"))?;
                users.push((name, rules));
            }
            continue;
        }
        let db = usize::from(r.u8()?);
        if db >= NUM_DBS {
            return Err(LoadError::Invalid("a db index"));
        }
        let n = r.len()?;
        for _ in 0..n {
            let t = r.u8()?;
            let expire = if t & HAS_TTL != 0 {
                Some(i64::from_le_bytes(r.array()?))
            } else {
                None
            };
            let key = r.bytes()?;
            if !seen.insert((db, key.clone())) {
                return Err(LoadError::Invalid("the same key twice"));
            }
            let value = read_value(&mut r, t & !HAS_TTL, enc)?;
            entries.push((db, key, value, expire));
        }
    }
    let users =
        crate::server::acl::Acl::import(&users).ok_or(LoadError::Invalid("a user's rules"))?;
    Ok(Loaded {
        world_ms,
        wall_ms,
        speed,
        paused,
        entries,
        users,
        functions,
        scripts,
    })
}

/// What loading did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadStats {
    pub keys: usize,
    /// Keys not loaded because their TTL had run out by `now`.
    pub expired: usize,
}

/// Replace every db's keys, the function libraries and the script cache with a checked
/// snapshot's, at world time `now` (a script still running is stopped first).
pub fn load_into(server: &mut Server, loaded: Loaded, now: Ms) -> LoadStats {
    server.stop_script(now);
    crate::scripting::functions::replace_all(server, &loaded.functions, now);
    let eval = &mut server.scripting_mut().eval;
    eval.flush();
    for body in &loaded.scripts {
        let _ = eval.create(body);
    }
    // Everything changes: views refresh and WATCHers see it, as after a FLUSHALL + load.
    server.replace_keyspace(|dbs| {
        let mut stats = LoadStats {
            keys: 0,
            expired: 0,
        };
        for (db, key, value, expire) in loaded.entries {
            if expire.is_some_and(|at| at < now) {
                stats.expired += 1;
                continue;
            }
            let Some(d) = dbs.get_mut(db) else {
                continue;
            };
            d.set(&key, value, false, now);
            if let Some(at) = expire {
                d.set_expire(&key, at, now);
            }
            stats.keys += 1;
        }
        stats
    })
}

/// Why DEBUG RELOAD NOFLUSH could not load a snapshot: without MERGE, a library or a key
/// it holds exists already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlreadyThere;

/// DEBUG RELOAD NOFLUSH: a checked snapshot's libraries, scripts and keys added to what
/// there is. Without `merge` a library or key that exists already makes the load fail
/// (Redis refuses the library and stops at the key), with it they are replaced.
pub fn merge_into(
    server: &mut Server,
    loaded: Loaded,
    now: Ms,
    merge: bool,
) -> Result<(), AlreadyThere> {
    for code in &loaded.functions {
        let exists = crate::scripting::functions::metadata(code).is_ok_and(|md| {
            server
                .scripting()
                .functions
                .libraries
                .contains_key(&md.name)
        });
        if exists && !merge {
            return Err(AlreadyThere);
        }
        crate::scripting::functions::load(server, code, true, now).map_err(|_| AlreadyThere)?;
    }
    for body in &loaded.scripts {
        let _ = server.scripting_mut().eval.create(body);
    }
    server.merge_keyspace(|dbs| {
        for (db, key, value, expire) in loaded.entries {
            if expire.is_some_and(|at| at < now) {
                continue;
            }
            let Some(d) = dbs.get_mut(db) else {
                continue;
            };
            if d.contains(&key, now) {
                if !merge {
                    return Err(AlreadyThere);
                }
                d.remove(&key, now);
            }
            d.set(&key, value, false, now);
            if let Some(at) = expire {
                d.set_expire(&key, at, now);
            }
        }
        Ok(())
    })
}

// ---- export ----

/// How many elements one exported command carries at most.
const BATCH: usize = 100;

/// The commands that recreate the keyspace live at `now` in a real Redis: per non-empty
/// db a SELECT, then per key its commands (a DEL first, so the import replaces), then
/// PEXPIRE with the time left.
pub fn export_commands(server: &Server, now: Ms) -> Vec<Vec<Vec<u8>>> {
    let mut cmds = Vec::new();
    let w = |s: &str| s.as_bytes().to_vec();
    // The function libraries (FUNCTION LOAD REPLACE, so an import replaces them) and the
    // cached scripts (so EVALSHA finds them), before the keys.
    for code in server.scripting().functions.codes() {
        cmds.push(vec![w("FUNCTION"), w("LOAD"), w("REPLACE"), code.to_vec()]);
    }
    for body in server.scripting().eval.bodies() {
        cmds.push(vec![w("SCRIPT"), w("LOAD"), body.to_vec()]);
    }
    for (i, db) in server.dbs().iter().enumerate() {
        let mut entries: Vec<_> = db.iter(now).collect();
        if entries.is_empty() {
            continue;
        }
        crate::sorting::sort_by(&mut entries, |a, b| a.key().cmp(b.key()));
        cmds.push(vec![w("SELECT"), i.to_string().into_bytes()]);
        for e in entries {
            let key = e.key().to_vec();
            cmds.push(vec![w("DEL"), key.clone()]);
            let batched = |name: &str, items: Vec<Vec<u8>>, per: usize| {
                items
                    .chunks(BATCH * per)
                    .map(|chunk| {
                        let mut c = vec![w(name), key.clone()];
                        c.extend_from_slice(chunk);
                        c
                    })
                    .collect::<Vec<_>>()
            };
            match &e.value {
                Value::Str(s) => cmds.push(vec![w("SET"), key.clone(), s.as_bytes().to_vec()]),
                Value::List(l) => cmds.extend(batched("RPUSH", l.iter().cloned().collect(), 1)),
                Value::Set(s) => {
                    let mut m = s.members();
                    crate::sorting::sort(&mut m);
                    cmds.extend(batched("SADD", m, 1));
                }
                Value::ZSet(z) => {
                    let flat = z
                        .iter()
                        .flat_map(|(score, m)| {
                            [crate::num::double::fmt_g17(score).into_bytes(), m.to_vec()]
                        })
                        .collect();
                    cmds.extend(batched("ZADD", flat, 2));
                }
                Value::Hash(h) => {
                    let flat = h
                        .iter()
                        .flat_map(|(f, v)| [f.to_vec(), v.to_vec()])
                        .collect();
                    cmds.extend(batched("HSET", flat, 2));
                    for (f, at) in h.field_ttls() {
                        let left = (at - now).max(1).to_string().into_bytes();
                        let fields = [w("FIELDS"), w("1"), f.to_vec()];
                        cmds.push(
                            [vec![w("HPEXPIRE"), key.clone(), left], fields.to_vec()].concat(),
                        );
                    }
                }
                Value::Stream(st) => {
                    // Each entry with its id, then the counters XSETID restores.
                    for (id, fields) in st.entries() {
                        let mut c = vec![w("XADD"), key.clone(), id.text().into_bytes()];
                        for (f, v) in fields {
                            c.push(f.clone());
                            c.push(v.clone());
                        }
                        cmds.push(c);
                    }
                    cmds.push(vec![
                        w("XSETID"),
                        key.clone(),
                        st.last_id.text().into_bytes(),
                        w("ENTRIESADDED"),
                        st.entries_added.to_string().into_bytes(),
                        w("MAXDELETEDID"),
                        st.max_deleted_id.text().into_bytes(),
                    ]);
                    cmds.extend(group_commands(&key, st));
                }
            }
            if let Some(at) = e.expire_at() {
                let left = (at - now).max(1);
                cmds.push(vec![w("PEXPIRE"), key, left.to_string().into_bytes()]);
            }
        }
    }
    // The users, last, each from scratch; not the default user (a password on it would
    // lock the importing connection out).
    for (name, rules) in server.acl().export() {
        if name == b"default" {
            continue;
        }
        let mut c = vec![w("ACL"), w("SETUSER"), name, w("reset")];
        c.extend(rules.split(' ').map(w));
        cmds.push(c);
    }
    cmds
}

/// The commands that recreate a stream's consumer groups: each group at its last id and
/// read counter, its consumers, and its pending entries given back to their owners with
/// their delivery time and count, as Redis itself propagates them (XCLAIM … FORCE
/// JUSTID). What a script can't recreate: a pending entry whose entry was deleted (XCLAIM
/// needs the entry), and a consumer's seen time (it becomes the time of the import).
fn group_commands(key: &[u8], st: &Stream) -> Vec<Vec<Vec<u8>>> {
    let w = |s: &str| s.as_bytes().to_vec();
    let mut cmds = Vec::new();
    for (name, g) in &st.groups {
        let mut create = vec![
            w("XGROUP"),
            w("CREATE"),
            key.to_vec(),
            name.clone(),
            g.last_id.text().into_bytes(),
        ];
        if g.entries_read >= 0 {
            create.push(w("ENTRIESREAD"));
            create.push(g.entries_read.to_string().into_bytes());
        }
        cmds.push(create);
        for cname in g.consumers.keys() {
            cmds.push(vec![
                w("XGROUP"),
                w("CREATECONSUMER"),
                key.to_vec(),
                name.clone(),
                cname.clone(),
            ]);
        }
        for (id, n) in &g.pel {
            if !st.contains(*id) {
                continue;
            }
            cmds.push(vec![
                w("XCLAIM"),
                key.to_vec(),
                name.clone(),
                n.consumer.clone(),
                w("0"),
                id.text().into_bytes(),
                w("TIME"),
                n.delivery_time.to_string().into_bytes(),
                w("RETRYCOUNT"),
                n.delivery_count.to_string().into_bytes(),
                w("FORCE"),
                w("JUSTID"),
            ]);
        }
    }
    cmds
}

/// One command as a redis-cli line: every argument quoted the way redis-cli's own
/// splitter reads back (`"…"` with `\"`, `\\`, `\n`, `\xHH` escapes).
fn script_line(argv: &[Vec<u8>]) -> String {
    let mut out = String::new();
    for (i, a) in argv.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        cli::repr(&mut out, a);
    }
    out
}

/// The export as a redis-cli script (`redis-cli < file`).
pub fn export_script(server: &Server, now: Ms) -> Result<String, TooBig> {
    let size = written_size(server, now, 4, 8);
    let too_big = TooBig {
        what: "export",
        bytes: size,
    };
    if size > SIZE_LIMIT {
        return Err(too_big);
    }
    let mut out = String::new();
    out.try_reserve(size).map_err(|_| too_big)?;
    for c in export_commands(server, now) {
        out.push_str(&script_line(&c));
        out.push('\n');
    }
    Ok(out)
}

/// The export as RESP (`redis-cli --pipe < file`).
/// The keyspace as an RDB file (`dump.rdb`) a real Redis 7.0 loads at start: every live
/// key with its absolute expiry.
pub fn export_rdb(server: &Server, now: Ms) -> Result<Vec<u8>, TooBig> {
    let size = written_size(server, now, 1, 8);
    if size > SIZE_LIMIT {
        return Err(TooBig {
            what: "export",
            bytes: size,
        });
    }
    let dbs: Vec<crate::rdb::FileDb<'_>> = server
        .dbs()
        .iter()
        .enumerate()
        .map(|(i, db)| {
            let mut keys: Vec<_> = db
                .iter(now)
                .map(|e| (e.key(), &e.value, e.expire_at()))
                .collect();
            crate::sorting::sort_by(&mut keys, |a, b| a.0.cmp(b.0));
            (i, keys)
        })
        .filter(|(_, keys)| !keys.is_empty())
        .collect();
    let functions = server.scripting().functions.codes();
    Ok(crate::rdb::file(&dbs, &functions, &server.encodings(), now))
}

pub fn export_resp(server: &Server, now: Ms) -> Result<Vec<u8>, TooBig> {
    let size = written_size(server, now, 1, 24);
    let too_big = TooBig {
        what: "export",
        bytes: size,
    };
    if size > SIZE_LIMIT {
        return Err(too_big);
    }
    let mut out = Vec::new();
    out.try_reserve(size).map_err(|_| too_big)?;
    for c in export_commands(server, now) {
        out.extend_from_slice(format!("*{}\r\n", c.len()).as_bytes());
        for a in c {
            out.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
            out.extend_from_slice(&a);
            out.extend_from_slice(b"\r\n");
        }
    }
    Ok(out)
}

// ---- import ----

/// The commands of a RESP stream (arrays of bulk strings), or None if it is not one.
fn parse_resp(bytes: &[u8]) -> Option<Vec<Vec<Vec<u8>>>> {
    let mut cmds = Vec::new();
    let mut pos = 0;
    let line = |pos: &mut usize| -> Option<&[u8]> {
        let rest = bytes.get(*pos..)?;
        let end = rest.windows(2).position(|w| w == b"\r\n")?;
        *pos += end + 2;
        Some(&rest[..end])
    };
    while pos < bytes.len() {
        let head = line(&mut pos)?;
        let n: usize = std::str::from_utf8(head.strip_prefix(b"*")?)
            .ok()?
            .parse()
            .ok()?;
        let mut argv = Vec::with_capacity(n.min(1024));
        for _ in 0..n {
            let h = line(&mut pos)?;
            let len: usize = std::str::from_utf8(h.strip_prefix(b"$")?)
                .ok()?
                .parse()
                .ok()?;
            let arg = bytes.get(pos..pos.checked_add(len)?)?;
            argv.push(arg.to_vec());
            pos += len;
            if bytes.get(pos..pos + 2)? != b"\r\n" {
                return None;
            }
            pos += 2;
        }
        cmds.push(argv);
    }
    Some(cmds)
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    pub commands: usize,
    pub errors: usize,
    /// The first few errors, as `line N: (error) …`.
    pub first_errors: Vec<String>,
}

/// Run a redis-cli script or a RESP stream (whichever it is) on a new connection.
///
/// A script is read as bytes, line by line, as redis-cli reads one from its input: a byte
/// that isn't UTF-8 goes through as it is, a repeat count repeats, and a line redis-cli
/// would refuse (unbalanced quotes, a bad repeat count) is reported with its number and
/// redis-cli's words, and skipped.
pub fn import(server: &mut Server, bytes: &[u8], now: Ms) -> Imported {
    let mut done = Imported::default();
    // (line number, what it holds), in order.
    let mut lines: Vec<(usize, Line)> = Vec::new();
    if bytes.starts_with(b"REDIS") {
        // An RDB file: each key RESTOREd into its db, with its absolute expiry.
        match crate::rdb::split_file(bytes, &server.encodings()) {
            Ok((keys, functions)) => {
                // Its libraries first, replacing ours of the same name, as Redis loads them.
                for code in functions {
                    let w = |s: &str| s.as_bytes().to_vec();
                    let argv = vec![w("FUNCTION"), w("LOAD"), w("REPLACE"), code];
                    lines.push((0, Line::Command { repeat: 1, argv }));
                }
                for (i, k) in keys.into_iter().enumerate() {
                    let w = |s: &str| s.as_bytes().to_vec();
                    let select = vec![w("SELECT"), k.db.to_string().into_bytes()];
                    let ttl = k.expire_at.unwrap_or(0).max(0).to_string().into_bytes();
                    let restore = vec![
                        w("RESTORE"),
                        k.key,
                        ttl,
                        k.payload,
                        w("REPLACE"),
                        w("ABSTTL"),
                    ];
                    for argv in [select, restore] {
                        lines.push((i + 1, Line::Command { repeat: 1, argv }));
                    }
                }
            }
            Err(why) => {
                done.note_error(why);
                return done;
            }
        }
    } else if bytes.first() == Some(&b'*') {
        match parse_resp(bytes) {
            Some(c) => lines.extend(
                c.into_iter()
                    .enumerate()
                    .map(|(i, argv)| (i + 1, Line::Command { repeat: 1, argv })),
            ),
            None => {
                done.note_error("the RESP stream is malformed".into());
                return done;
            }
        }
    } else {
        for (i, l) in bytes.split(|&b| b == b'\n').enumerate() {
            lines.push((i + 1, cli::parse_line(l.strip_suffix(b"\r").unwrap_or(l))));
        }
    }
    let client = server.connect();
    for (line, parsed) in lines {
        let (repeat, argv) = match parsed {
            Line::Command { repeat, argv } => (repeat, argv),
            Line::Message(m) => {
                let why = if m == cli::INVALID_ARGUMENTS {
                    "unbalanced quotes, or a closing quote with no space after it"
                } else {
                    "a repeat count that is zero, negative or too big"
                };
                done.note_error(format!("line {line}: {m} (skipped: {why})"));
                continue;
            }
            Line::Empty => continue,
        };
        for _ in 0..repeat {
            let reply = server.execute(client, &argv, now);
            done.commands += 1;
            if let Reply::Error(e) = reply {
                done.note_error(format!("line {line}: (error) {e}"));
            }
            // A blocking command in an import can't wait for anybody: it answers nothing.
            server.cancel_block(client);
        }
    }
    server.disconnect(client);
    done
}

impl Imported {
    fn note_error(&mut self, what: String) {
        self.errors += 1;
        if self.first_errors.len() < 10 {
            self.first_errors.push(what);
        }
    }
}
