//! DEBUG DIGEST and DEBUG DIGEST-VALUE: Redis's fingerprints of the whole dataset and of
//! single values, as 40 hex digits, computed as Redis 7.0 computes them (`debug.c`):
//! SHA-1 based, order-insensitive where the data has no order (the keys of a db, set
//! members, hash fields, sorted-set members) and order-sensitive where it has one (list
//! elements, stream entries). A test compares a digest before and after an operation
//! that must not change the data (DEBUG RELOAD, a restore).

use sha1::{Digest as _, Sha1};

use crate::db::Db;
use crate::types::Value;

type Digest = [u8; 20];

/// `digest ^= SHA1(data)`: for things whose order doesn't matter.
fn xor(digest: &mut Digest, data: &[u8]) {
    let h = Sha1::digest(data);
    for (d, h) in digest.iter_mut().zip(h.iter()) {
        *d ^= h;
    }
}

/// `digest = SHA1(digest ^ SHA1(data))`: for sequences, where order matters.
fn mix(digest: &mut Digest, data: &[u8]) {
    xor(digest, data);
    let h = Sha1::digest(&digest[..]);
    digest.copy_from_slice(&h);
}

/// Redis's type numbers (OBJ_STRING … OBJ_STREAM), mixed in first.
fn type_number(v: &Value) -> u32 {
    match v {
        Value::Str(_) => 0,
        Value::List(_) => 1,
        Value::Set(_) => 2,
        Value::ZSet(_) => 3,
        Value::Hash(_) => 4,
        Value::Stream(_) => 6,
    }
}

/// A pair's digest (a sorted-set member and its score, a hash field and its value), to
/// be xor-ed into the value's.
fn pair(a: &[u8], b: &[u8]) -> Digest {
    let mut d = [0u8; 20];
    mix(&mut d, a);
    mix(&mut d, b);
    d
}

/// Mix a value (and whether it has a TTL) into `digest`, as `xorObjectDigest`.
fn value_into(digest: &mut Digest, v: &Value, has_ttl: bool) {
    mix(digest, &type_number(v).to_be_bytes());
    match v {
        Value::Str(s) => mix(digest, s.as_bytes()),
        Value::List(l) => l.iter().for_each(|e| mix(digest, e)),
        Value::Set(s) => s.iter().for_each(|m| xor(digest, &m)),
        Value::ZSet(z) => {
            for (score, m) in z.iter() {
                let score = crate::num::double::fmt_g17(score);
                xor(digest, &pair(m, score.as_bytes()));
            }
        }
        Value::Hash(h) => {
            for (f, v) in h.iter() {
                xor(digest, &pair(f, v));
            }
        }
        Value::Stream(s) => {
            for (id, fields) in s.entries() {
                mix(digest, format!("{}.{}", id.ms, id.seq).as_bytes());
                for (f, v) in &fields {
                    mix(digest, f);
                    mix(digest, v);
                }
            }
        }
    }
    if has_ttl {
        xor(digest, b"!!expire!!");
    }
}

fn hex(d: &Digest) -> String {
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// DEBUG DIGEST-VALUE for one key of `db` (an expired key not yet deleted counts, as in
/// Redis); 40 zeros for a missing key.
pub fn of_value(db: &Db, key: &[u8]) -> String {
    let mut d = [0u8; 20];
    if let Some(e) = db.stored(key) {
        value_into(&mut d, &e.value, e.expire_at().is_some());
    }
    hex(&d)
}

/// DEBUG DIGEST: every db's keys and values (40 zeros for an empty dataset).
pub fn of_dataset(dbs: &[Db]) -> String {
    let mut fin = [0u8; 20];
    for (i, db) in dbs.iter().enumerate() {
        let mut entries = db.stored_entries().peekable();
        if entries.peek().is_none() {
            continue;
        }
        mix(&mut fin, &(i as u32).to_be_bytes());
        for e in entries {
            let mut d = [0u8; 20];
            mix(&mut d, e.key());
            value_into(&mut d, &e.value, e.expire_at().is_some());
            xor(&mut fin, &d);
        }
    }
    hex(&fin)
}
