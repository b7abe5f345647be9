//! Read-only views of the keyspace for the page's keyspace view: a SCAN that changes
//! nothing (no expired-key deletion, no access time, no hit/miss counting) and a paged
//! look at one value. Strings are decoded as UTF-8 with replacement characters; the page
//! shows them as text only.

use crate::clock::Ms;
use crate::db::Entry;
use crate::glob::Pattern;
use crate::num::double::fmt_g17;
use crate::server::Server;
use crate::types::Value;

/// One key in a listing.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyRow {
    pub key: String,
    pub type_name: &'static str,
    /// Milliseconds left, or -1 without a TTL.
    pub ttl: i64,
    /// Elements for collections, bytes for strings.
    pub size: usize,
    pub encoding: &'static str,
}

/// What a value holds, a page of it at a time.
#[derive(Debug, Clone, PartialEq)]
pub enum Items {
    /// The text (UTF-8, lossy), the first 256 bytes in hex, and whether the bytes are not
    /// plain printable UTF-8 (so the hex view is the better one).
    Str {
        text: String,
        hex: String,
        binary: bool,
        truncated: bool,
        /// Bits set in the whole string (what BITCOUNT answers); None past
        /// `BITCOUNT_VIEW_LIMIT`, where counting on every refresh would cost too much.
        bits_set: Option<u64>,
        /// For a string in Redis's HyperLogLog layout: its estimate (None when its
        /// registers are corrupt) and encoding.
        hll: Option<(Option<u64>, &'static str)>,
    },
    List(Vec<(usize, String)>),
    Set(Vec<String>),
    /// (rank, member, score as Redis prints it, and for a geo set the longitude and
    /// latitude as GEOPOS prints them)
    ZSet(Vec<ZItem>),
    /// (field, value, and the world ms at which the field expires if it has its own TTL);
    /// fields whose TTL ran out but that are not deleted yet are left out.
    Hash(Vec<(String, String, Option<i64>)>),
    /// A page of entries (id, field-value pairs), and every consumer group.
    Stream {
        entries: Vec<(String, Vec<(String, String)>)>,
        groups: Vec<GroupView>,
    },
}

/// A consumer group in the view. Times are world ms, so the page counts idle times live.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupView {
    pub name: String,
    pub last_id: String,
    pub entries_read: Option<i64>,
    pub lag: Option<i64>,
    /// (name, pending entries, last seen)
    pub consumers: Vec<(String, usize, i64)>,
    /// The first `PENDING_VIEW_LIMIT` pending entries: (id, owner, last delivery,
    /// deliveries).
    pub pending: Vec<(String, String, i64, u64)>,
    pub pending_total: usize,
}

/// Pending entries shown per group.
pub const PENDING_VIEW_LIMIT: usize = 100;

/// A sorted-set member in the view.
#[derive(Debug, Clone, PartialEq)]
pub struct ZItem {
    pub rank: usize,
    pub member: String,
    pub score: String,
    /// Longitude and latitude when the set looks like a geo set.
    pub position: Option<(String, String)>,
}

/// Whether a sorted set's scores all look like geohashes of real places: whole numbers
/// of 33 to 52 bits (a plain set scored 1, 2, 3 does not qualify). A set of up to
/// `SORTED_SET_VIEW_LIMIT` members is checked whole; a bigger one by its lowest and highest
/// scores (O(log n)) and the page shown, so a refresh never walks a million members.
fn looks_geo(z: &crate::types::ZSet, offset: usize, limit: usize) -> bool {
    let geo_score =
        |s: f64| s.fract() == 0.0 && (4_294_967_296.0..4_503_599_627_370_496.0).contains(&s);
    if z.is_empty() {
        return false;
    }
    if z.len() <= SORTED_SET_VIEW_LIMIT {
        return z.iter().all(|(s, _)| geo_score(s));
    }
    [0, z.len() - 1]
        .iter()
        .all(|&r| z.get(r).is_some_and(|(s, _)| geo_score(s)))
        && z.iter_from(offset, false)
            .take(limit)
            .all(|(s, _)| geo_score(s))
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValueView {
    pub row: KeyRow,
    pub items: Items,
}

/// Sets up to this size are shown sorted; bigger ones in their own order.
pub const SORTED_SET_VIEW_LIMIT: usize = 10_000;
/// A string's text is sent up to this many bytes (a view never copies a 512 MB value).
pub const STRING_VIEW_LIMIT: usize = 1 << 20;
/// A string's bits are counted for the view up to this size.
pub const BITCOUNT_VIEW_LIMIT: usize = 16 << 20;

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn row(e: &Entry, now: Ms) -> KeyRow {
    KeyRow {
        key: text(e.key()),
        type_name: e.value.type_name(),
        ttl: e.expire_at().map_or(-1, |at| (at - now).max(0)),
        size: e.value.size(),
        encoding: e.value.encoding(),
    }
}

/// One step of a read-only SCAN over `db`, filtered by glob and type.
pub fn scan_keys(
    server: &Server,
    db: usize,
    cursor: u64,
    pattern: Option<&str>,
    type_name: Option<&str>,
    count: usize,
    now: Ms,
) -> Option<(u64, Vec<KeyRow>)> {
    let d = server.dbs().get(db)?;
    let pat = pattern
        .filter(|p| *p != "*")
        .map(|p| Pattern::new(p.as_bytes()));
    let (next, found) = d.scan_view(cursor, count, now);
    let rows = found
        .into_iter()
        .filter(|e| pat.as_ref().is_none_or(|p| p.matches(e.key())))
        .filter(|e| type_name.is_none_or(|t| t.eq_ignore_ascii_case(e.value.type_name())))
        .map(|e| row(e, now))
        .collect();
    Some((next, rows))
}

fn hex(b: &[u8]) -> String {
    b.iter()
        .take(256)
        .map(|c| format!("{c:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A page (`offset`, at most `limit` items) of the value at `key` in `db`, or None.
pub fn inspect(
    server: &Server,
    db: usize,
    key: &[u8],
    offset: usize,
    limit: usize,
    now: Ms,
) -> Option<ValueView> {
    let d = server.dbs().get(db)?;
    let e = d.iter_key(key, now)?;
    let items = match &e.value {
        Value::Str(s) => {
            let all = s.as_bytes();
            let b = &all[..all.len().min(STRING_VIEW_LIMIT)];
            let binary = std::str::from_utf8(b).map_or(true, |t| {
                t.chars()
                    .any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
            });
            let hll = crate::types::hll::check(all)
                .map(|enc| (crate::types::hll::estimate_of(all), enc.name()));
            Items::Str {
                text: text(b),
                hex: hex(b),
                binary,
                truncated: b.len() < all.len(),
                bits_set: (all.len() <= BITCOUNT_VIEW_LIMIT)
                    .then(|| crate::commands::bitmap::popcount(all) as u64),
                hll,
            }
        }
        Value::List(l) => Items::List(
            l.iter()
                .enumerate()
                .skip(offset)
                .take(limit)
                .map(|(i, v)| (i, text(v)))
                .collect(),
        ),
        Value::Set(s) => {
            // An intset is already in numeric order (as SMEMBERS gives it); others sort.
            let members: Vec<String> = if s.encoding() == "intset" {
                s.iter()
                    .skip(offset)
                    .take(limit)
                    .map(|m| text(&m))
                    .collect()
            } else if s.len() <= SORTED_SET_VIEW_LIMIT {
                let mut all = s.members();
                crate::sorting::sort(&mut all);
                all.into_iter()
                    .skip(offset)
                    .take(limit)
                    .map(|m| text(&m))
                    .collect()
            } else {
                s.iter()
                    .skip(offset)
                    .take(limit)
                    .map(|m| text(&m))
                    .collect()
            };
            Items::Set(members)
        }
        Value::ZSet(z) => {
            let geo = looks_geo(z, offset, limit);
            Items::ZSet(
                z.iter_from(offset, false)
                    .take(limit)
                    .enumerate()
                    .map(|(i, (score, m))| ZItem {
                        rank: offset + i,
                        member: text(m),
                        score: fmt_g17(score),
                        position: if geo {
                            crate::commands::geo::position_text(score)
                        } else {
                            None
                        },
                    })
                    .collect(),
            )
        }
        Value::Stream(st) => Items::Stream {
            entries: st
                .entries()
                .skip(offset)
                .take(limit)
                .map(|(id, fields)| {
                    (
                        id.text(),
                        fields.iter().map(|(f, v)| (text(f), text(v))).collect(),
                    )
                })
                .collect(),
            groups: st
                .groups
                .iter()
                .map(|(name, g)| GroupView {
                    name: text(name),
                    last_id: g.last_id.text(),
                    entries_read: (g.entries_read >= 0).then_some(g.entries_read),
                    lag: st.lag(g),
                    consumers: g
                        .consumers
                        .iter()
                        .map(|(n, c)| (text(n), c.pel.len(), c.seen_time))
                        .collect(),
                    pending: g
                        .pel
                        .iter()
                        .take(PENDING_VIEW_LIMIT)
                        .map(|(id, n)| {
                            (
                                id.text(),
                                text(&n.consumer),
                                n.delivery_time,
                                n.delivery_count,
                            )
                        })
                        .collect(),
                    pending_total: g.pel.len(),
                })
                .collect(),
        },
        Value::Hash(h) => Items::Hash(
            h.iter()
                .map(|(f, v)| (f, v, h.ttl_of(f)))
                .filter(|(_, _, at)| at.is_none_or(|at| at >= now))
                .skip(offset)
                .take(limit)
                .map(|(f, v, at)| (text(f), text(v), at))
                .collect(),
        ),
    };
    Some(ValueView {
        row: row(e, now),
        items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::World;

    const T0: f64 = 1_700_000_000_000.0;

    fn session() -> World {
        World::with_seed(T0, 1)
    }

    #[test]
    fn scanning_for_a_view_changes_nothing() {
        let mut s = session();
        s.exec("SET a 1");
        s.exec("SET gone 1 PX 10");
        s.exec("RPUSH l x y");
        s.advance(T0, 20.0);
        let before = s.exec("INFO stats");
        let (next, rows) = s.scan_keys(0, 0, None, None, 100).unwrap();
        assert_eq!(next, 0);
        let mut keys: Vec<_> = rows.iter().map(|r| r.key.as_str()).collect();
        keys.sort();
        assert_eq!(keys, vec!["a", "l"]);
        // The expired key is skipped, not deleted: DBSIZE still counts it, stats unchanged.
        assert_eq!(s.exec("DBSIZE"), "(integer) 3");
        let after = s.exec("INFO stats");
        let without_count = |t: &str| {
            t.lines()
                .filter(|l| !l.starts_with("total_commands_processed:"))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(without_count(&before), without_count(&after));
    }

    #[test]
    fn scan_filters_by_glob_and_type() {
        let mut s = session();
        s.exec("MSET user:1 a user:2 b order:1 c");
        s.exec("SADD user:set x");
        let (_, rows) = s
            .scan_keys(0, 0, Some("user:*"), Some("string"), 100)
            .unwrap();
        let mut keys: Vec<_> = rows.iter().map(|r| r.key.clone()).collect();
        keys.sort();
        assert_eq!(keys, vec!["user:1", "user:2"]);
    }

    #[test]
    fn inspect_shows_each_type_a_page_at_a_time() {
        let mut s = session();
        s.exec("SET s \"hi\\x00\"");
        s.exec("RPUSH l a b c d");
        s.exec("SADD st 3 1 2 10 100");
        s.exec("SADD words b a c");
        s.exec("ZADD z 1.1 a 2 b");
        s.exec("HSET h f v g w");
        s.exec("EXPIRE l 100");
        let v = s.inspect(0, b"s", 0, 10).unwrap();
        assert_eq!(
            v.items,
            Items::Str {
                text: "hi\0".into(),
                hex: "68 69 00".into(),
                binary: true,
                truncated: false,
                bits_set: Some(7),
                hll: None,
            }
        );
        let v = s.inspect(0, b"l", 1, 2).unwrap();
        assert_eq!(v.items, Items::List(vec![(1, "b".into()), (2, "c".into())]));
        assert_eq!(
            (v.row.ttl, v.row.size, v.row.encoding),
            (100_000, 4, "quicklist")
        );
        let v = s.inspect(0, b"st", 0, 10).unwrap();
        assert_eq!(
            v.items,
            Items::Set(vec![
                "1".into(),
                "2".into(),
                "3".into(),
                "10".into(),
                "100".into()
            ])
        );
        let v = s.inspect(0, b"words", 0, 10).unwrap();
        assert_eq!(
            v.items,
            Items::Set(vec!["a".into(), "b".into(), "c".into()])
        );
        let v = s.inspect(0, b"z", 0, 10).unwrap();
        assert_eq!(
            v.items,
            Items::ZSet(vec![
                ZItem {
                    rank: 0,
                    member: "a".into(),
                    score: "1.1000000000000001".into(),
                    position: None
                },
                ZItem {
                    rank: 1,
                    member: "b".into(),
                    score: "2".into(),
                    position: None
                }
            ])
        );
        let v = s.inspect(0, b"h", 0, 10).unwrap();
        assert_eq!(
            v.items,
            Items::Hash(vec![
                ("f".into(), "v".into(), None),
                ("g".into(), "w".into(), None)
            ])
        );
        s.exec("HPEXPIRE h 1000 FIELDS 1 g");
        let v = s.inspect(0, b"h", 0, 10).unwrap();
        assert_eq!(
            v.items,
            Items::Hash(vec![
                ("g".into(), "w".into(), Some(T0 as i64 + 1000)),
                ("f".into(), "v".into(), None)
            ])
        );
        assert!(s.inspect(0, b"nokey", 0, 10).is_none());
    }

    #[test]
    fn an_hll_shows_its_estimate_and_a_geo_set_its_positions() {
        let mut s = session();
        s.exec("PFADD h a b c");
        s.exec("GEOADD g 13.361389 38.115556 Palermo");
        s.exec("ZADD plain 1 a");
        let Some(ValueView {
            items: Items::Str { hll, .. },
            ..
        }) = s.inspect(0, b"h", 0, 10)
        else {
            panic!("a string")
        };
        assert_eq!(hll, Some((Some(3), "sparse")));
        let Some(ValueView {
            items: Items::ZSet(z),
            ..
        }) = s.inspect(0, b"g", 0, 10)
        else {
            panic!("a zset")
        };
        assert_eq!(
            z[0].position,
            Some(("13.36138933897018433".into(), "38.11555639549629859".into()))
        );
        let Some(ValueView {
            items: Items::ZSet(z),
            ..
        }) = s.inspect(0, b"plain", 0, 10)
        else {
            panic!("a zset")
        };
        assert_eq!(z[0].position, None);
    }

    #[test]
    fn the_generation_moves_on_every_change_and_expiry() {
        let mut s = session();
        let g0 = s.generation();
        s.exec("GET a");
        assert_eq!(s.generation(), g0);
        s.exec("SET a 1 PX 50");
        let g1 = s.generation();
        assert!(g1 > g0);
        s.advance(T0, 60.0);
        s.exec("EXISTS a");
        assert!(s.generation() > g1);
    }
}
