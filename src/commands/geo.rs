//! Geo: GEOADD, GEOPOS, GEODIST, GEOHASH, GEORADIUS, GEORADIUSBYMEMBER (and their `_RO`
//! forms), GEOSEARCH and GEOSEARCHSTORE. A geo key is a sorted set whose scores are
//! 52-bit geohashes (`geo::hash`), so every Z* command works on it and GEOADD is ZADD.
//!
//! Data operations first (arguments, the search over cells, the reply formats), then the
//! handlers, then the table entries. The order of checks is Redis 7.0's (`geo.c`): it
//! decides which error a line with several problems gets.

mod hash;

use super::args::{float_arg, int_arg, Word};
use super::table::{after_keyword, key, Group, KeySpec, Shape as ReplyShape, BASE};
use super::zset::{store_counting, zset_at};
use super::Command;
use crate::error::{CmdError, CmdResult};
use crate::num::ldouble::LongDouble;
use crate::reply::Reply;
use crate::server::Ctx;
use crate::types::{zset::ScoreRange, ZSet};
use hash::{geohash_string, point_of_score, Cell, Search, Shape};

// ---- data operations ----

/// A longitude and latitude argument pair within Redis's limits.
fn lon_lat(lon: &[u8], lat: &[u8]) -> CmdResult<(f64, f64)> {
    let x = float_arg(lon)?;
    let y = float_arg(lat)?;
    if !(hash::LONG_MIN..=hash::LONG_MAX).contains(&x)
        || !(hash::LAT_MIN..=hash::LAT_MAX).contains(&y)
    {
        return Err(CmdError::Err(format!(
            "invalid longitude,latitude pair {x:.6},{y:.6}"
        )));
    }
    Ok((x, y))
}

/// Metres in one unit: m, km, ft or mi in any case.
fn unit(arg: &[u8]) -> CmdResult<f64> {
    let w = Word::new(arg);
    Ok(match w.as_str() {
        "m" => 1.0,
        "km" => 1000.0,
        "ft" => 0.3048,
        "mi" => 1609.34,
        _ => {
            return Err(CmdError::Err(
                "unsupported unit provided. please use M, KM, FT, MI".into(),
            ))
        }
    })
}

/// A number argument with the message Redis gives for it.
fn number(arg: &[u8], msg: &str) -> CmdResult<f64> {
    float_arg(arg).map_err(|_| CmdError::Err(msg.into()))
}

/// BYRADIUS's `radius unit` (also GEORADIUS's): (radius, metres per unit).
fn radius_args(r: &[u8], u: &[u8]) -> CmdResult<(f64, f64)> {
    let radius = number(r, "need numeric radius")?;
    if radius < 0.0 {
        return Err(CmdError::Err("radius cannot be negative".into()));
    }
    Ok((radius, unit(u)?))
}

/// BYBOX's `width height unit`: (width, height, metres per unit).
fn box_args(w: &[u8], h: &[u8], u: &[u8]) -> CmdResult<(f64, f64, f64)> {
    let width = number(w, "need numeric width")?;
    let height = number(h, "need numeric height")?;
    if height < 0.0 || width < 0.0 {
        return Err(CmdError::Err("height or width cannot be negative".into()));
    }
    Ok((width, height, unit(u)?))
}

/// Where a member of a geo set is.
fn member_point(z: &ZSet, member: &[u8]) -> Option<(f64, f64)> {
    z.score(member).and_then(point_of_score)
}

/// A coordinate as Redis prints it: its `addReplyHumanLongDouble` (`%.17Lf` trimmed).
fn human(v: f64) -> String {
    LongDouble::from_f64(v).fmt_human()
}

/// A geo score's position as GEOPOS prints it (for the keyspace view).
pub fn position_text(score: f64) -> Option<(String, String)> {
    point_of_score(score).map(|(x, y)| (human(x), human(y)))
}

/// A distance as Redis prints it: rounded to four decimals, always four digits after the
/// point (its `fixedpoint_d2string`).
fn distance_text(d: f64) -> String {
    if d == 0.0 {
        return "0.0000".into();
    }
    let scaled = (d * 10_000.0).round_ties_even();
    let v: i128 = if scaled.is_finite() && scaled.abs() < 9.2e18 {
        scaled as i128
    } else {
        i128::from(i64::MIN)
    };
    let (sign, v) = if v < 0 { ("-", -v) } else { ("", v) };
    format!("{sign}{}.{:04}", v / 10_000, v % 10_000)
}

/// One member found by a search.
struct Found {
    member: Vec<u8>,
    score: f64,
    longitude: f64,
    latitude: f64,
    dist: f64,
}

/// The members in `cell` inside the search, in score order, stopping at `limit` found.
fn members_in_cell(z: &ZSet, cell: Cell, search: &Search, out: &mut Vec<Found>, limit: usize) {
    let (min, max) = hash::score_range(cell);
    let range = ScoreRange {
        min,
        max,
        minex: false,
        maxex: true,
    };
    let Some(first) = z.first_in_score(&range) else {
        return;
    };
    for (score, member) in z.iter_at(first, false) {
        if !range.lte_max(score) {
            break;
        }
        if let Some((x, y)) = point_of_score(score) {
            if let Some(dist) = search.distance_if_inside(x, y) {
                out.push(Found {
                    member: member.to_vec(),
                    score,
                    longitude: x,
                    latitude: y,
                    dist,
                });
            }
        }
        if limit > 0 && out.len() >= limit {
            break;
        }
    }
}

/// Every member inside the search: the centre cell, then its neighbours (north, south,
/// east, west, north-east, north-west, south-east, south-west), skipping a neighbour equal
/// to the one read just before (huge radii make neighbours coincide).
fn search_members(z: &ZSet, search: &Search, limit: usize) -> Vec<Found> {
    let cells = search.cells();
    let n = &cells.neighbours;
    let order = [
        cells.centre,
        n.north,
        n.south,
        n.east,
        n.west,
        n.north_east,
        n.north_west,
        n.south_east,
        n.south_west,
    ];
    let mut out = Vec::new();
    let mut last_read = 0;
    for (i, cell) in order.iter().enumerate() {
        if cell.is_none() {
            continue;
        }
        if last_read != 0 && *cell == order[last_read] {
            continue;
        }
        if limit > 0 && out.len() >= limit {
            break;
        }
        members_in_cell(z, *cell, search, &mut out, limit);
        last_read = i;
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Sort {
    None,
    Asc,
    Desc,
}

/// Which command a search runs as.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    /// GEORADIUS (`ro`: GEORADIUS_RO, no STORE).
    Radius { ro: bool },
    /// GEORADIUSBYMEMBER (`ro`: the `_RO` form).
    ByMember { ro: bool },
    /// GEOSEARCH.
    Search,
    /// GEOSEARCHSTORE.
    SearchStore,
}

impl Form {
    fn is_search(self) -> bool {
        matches!(self, Form::Search | Form::SearchStore)
    }
    fn may_store(self) -> bool {
        matches!(
            self,
            Form::Radius { ro: false } | Form::ByMember { ro: false }
        )
    }
}

/// The one search command of Redis's `georadiusGeneric`, every form.
fn search_generic(ctx: &mut Ctx, argv: &[Vec<u8>], form: Form) -> CmdResult {
    let src_index = if form == Form::SearchStore { 2 } else { 1 };
    let src = &argv[src_index];
    let exists = zset_at(ctx, src, true)?.is_some();
    let mut centre = None;
    let mut shape = None;
    let mut conversion = 1.0;
    let mut store: Option<&[u8]> = None;
    let base = match form {
        Form::Radius { .. } => {
            let c = lon_lat(&argv[2], &argv[3])?;
            centre = Some(c);
            let (r, conv) = radius_args(&argv[4], &argv[5])?;
            shape = Some(Shape::Circle { radius: r });
            conversion = conv;
            6
        }
        Form::ByMember { .. } => {
            if exists {
                let z = zset_at(ctx, src, false)?.ok_or(CmdError::NoSuchKey)?;
                let c = member_point(z, &argv[2]).ok_or_else(|| {
                    CmdError::Err("could not decode requested zset member".into())
                })?;
                centre = Some(c);
                let (r, conv) = radius_args(&argv[3], &argv[4])?;
                shape = Some(Shape::Circle { radius: r });
                conversion = conv;
            }
            5
        }
        Form::Search => 2,
        Form::SearchStore => {
            store = Some(&argv[1]);
            3
        }
    };
    let (mut withdist, mut withhash, mut withcoord) = (false, false, false);
    let (mut frommember, mut fromloc, mut byradius, mut bybox) = (false, false, false, false);
    let mut sort = Sort::None;
    let mut any = false;
    let mut count: i64 = 0;
    let mut storedist = false;
    let rest = &argv[base.min(argv.len())..];
    let remaining = rest.len();
    let mut i = 0;
    while i < remaining {
        let w = Word::new(&rest[i]);
        match w.as_str() {
            "withdist" => withdist = true,
            "withhash" => withhash = true,
            "withcoord" => withcoord = true,
            "any" => any = true,
            "asc" => sort = Sort::Asc,
            "desc" => sort = Sort::Desc,
            "count" if i + 1 < remaining => {
                count = int_arg(&rest[i + 1])?;
                if count <= 0 {
                    return Err(CmdError::Err("COUNT must be > 0".into()));
                }
                i += 1;
            }
            "store" | "storedist" if i + 1 < remaining && form.may_store() => {
                store = Some(&rest[i + 1]);
                storedist = w.is("storedist");
                i += 1;
            }
            "storedist" if form == Form::SearchStore => storedist = true,
            "frommember" if i + 1 < remaining && form.is_search() && !fromloc => {
                if exists {
                    let z = zset_at(ctx, src, false)?.ok_or(CmdError::NoSuchKey)?;
                    centre = Some(member_point(z, &rest[i + 1]).ok_or_else(|| {
                        CmdError::Err("could not decode requested zset member".into())
                    })?);
                }
                frommember = true;
                i += 1;
            }
            "fromlonlat" if i + 2 < remaining && form.is_search() && !frommember => {
                centre = Some(lon_lat(&rest[i + 1], &rest[i + 2])?);
                fromloc = true;
                i += 2;
            }
            "byradius" if i + 2 < remaining && form.is_search() && !bybox => {
                let (r, conv) = radius_args(&rest[i + 1], &rest[i + 2])?;
                shape = Some(Shape::Circle { radius: r });
                conversion = conv;
                byradius = true;
                i += 2;
            }
            "bybox" if i + 3 < remaining && form.is_search() && !byradius => {
                let (wd, ht, conv) = box_args(&rest[i + 1], &rest[i + 2], &rest[i + 3])?;
                shape = Some(Shape::Box {
                    width: wd,
                    height: ht,
                });
                conversion = conv;
                bybox = true;
                i += 3;
            }
            _ => return Err(CmdError::Syntax),
        }
        i += 1;
    }
    if store.is_some() && (withdist || withhash || withcoord) {
        return Err(CmdError::Err(format!(
            "{} is not compatible with WITHDIST, WITHHASH and WITHCOORD options",
            if form == Form::SearchStore {
                "GEOSEARCHSTORE"
            } else {
                "STORE option in GEORADIUS"
            }
        )));
    }
    let typed = || {
        String::from_utf8_lossy(
            &argv[0][..argv[0]
                .iter()
                .position(|&b| b == 0)
                .unwrap_or(argv[0].len())],
        )
        .into_owned()
    };
    if form.is_search() && !(frommember || fromloc) {
        return Err(CmdError::Err(format!(
            "exactly one of FROMMEMBER or FROMLONLAT can be specified for {}",
            typed()
        )));
    }
    if form.is_search() && !(byradius || bybox) {
        return Err(CmdError::Err(format!(
            "exactly one of BYRADIUS and BYBOX can be specified for {}",
            typed()
        )));
    }
    if any && count == 0 {
        return Err(CmdError::Err(
            "the ANY argument requires COUNT argument".into(),
        ));
    }
    if !exists {
        return Ok(match store {
            Some(dst) => store_counting(ctx, dst, ZSet::default(), "", 1),
            None => Reply::Array(Vec::new()),
        });
    }
    if count != 0 && sort == Sort::None && !any {
        sort = Sort::Asc;
    }
    let (Some(centre), Some(shape)) = (centre, shape) else {
        return Err(CmdError::Syntax);
    };
    let search = Search {
        centre,
        shape,
        conversion,
    };
    let limit = if any {
        usize::try_from(count).unwrap_or(usize::MAX)
    } else {
        0
    };
    let z = zset_at(ctx, src, false)?.ok_or(CmdError::NoSuchKey)?;
    let mut found = search_members(z, &search, limit);
    if found.is_empty() && store.is_none() {
        return Ok(Reply::Array(Vec::new()));
    }
    let returned = if count == 0 {
        found.len()
    } else {
        found
            .len()
            .min(usize::try_from(count).unwrap_or(usize::MAX))
    };
    if sort != Sort::None {
        let asc = |a: &Found, b: &Found| {
            a.dist
                .partial_cmp(&b.dist)
                .unwrap_or(std::cmp::Ordering::Equal)
        };
        let desc = |a: &Found, b: &Found| asc(b, a);
        // A full sort is glibc's qsort, a stable merge sort for these; a partial one is
        // Redis's pqsort: ties at equal distance land where each puts them.
        let last = returned as i64 - 1;
        match (sort, returned == found.len()) {
            (Sort::Asc, true) => crate::sorting::sort_by(&mut found, asc),
            (Sort::Desc, true) => crate::sorting::sort_by(&mut found, desc),
            (Sort::Asc, false) => crate::sorting::pqsort(&mut found, &asc, 0, last),
            _ => crate::sorting::pqsort(&mut found, &desc, 0, last),
        }
    }
    found.truncate(returned);
    for f in &mut found {
        f.dist /= conversion;
    }
    let Some(dst) = store else {
        let options = usize::from(withdist) + usize::from(withhash) + usize::from(withcoord);
        return Ok(Reply::Array(
            found
                .into_iter()
                .map(|f| {
                    if options == 0 {
                        return Reply::Bulk(f.member);
                    }
                    let mut item = vec![Reply::Bulk(f.member)];
                    if withdist {
                        item.push(Reply::Bulk(distance_text(f.dist).into_bytes()));
                    }
                    if withhash {
                        item.push(Reply::Int(f.score as i64));
                    }
                    if withcoord {
                        item.push(Reply::Array(vec![
                            Reply::DoubleText(human(f.longitude)),
                            Reply::DoubleText(human(f.latitude)),
                        ]));
                    }
                    Reply::Array(item)
                })
                .collect(),
        ));
    };
    let enc = ctx.server.encodings();
    let z = ZSet::from_result(
        found
            .into_iter()
            .map(|f| (if storedist { f.dist } else { f.score }, f.member)),
        &enc,
    );
    let event = if form.is_search() {
        "geosearchstore"
    } else {
        "georadiusstore"
    };
    Ok(store_counting(ctx, dst, z, event, returned as u64))
}

// ---- command handlers ----

/// GEOADD key [NX|XX] [CH] longitude latitude member [longitude latitude member ...]:
/// checked here, then run as ZADD with each point's geohash as its score.
fn geoadd(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let mut first = 2;
    let (mut nx, mut xx) = (false, false);
    while first < argv.len() {
        match Word::new(&argv[first]).as_str() {
            "nx" => nx = true,
            "xx" => xx = true,
            "ch" => {}
            _ => break,
        }
        first += 1;
    }
    let points = &argv[first..];
    if !points.len().is_multiple_of(3) || (xx && nx) {
        return Err(CmdError::Syntax);
    }
    let mut zadd: Vec<Vec<u8>> = Vec::with_capacity(first + points.len() / 3 * 2);
    zadd.push(b"zadd".to_vec());
    zadd.extend_from_slice(&argv[1..first]);
    for p in points.chunks_exact(3) {
        let (x, y) = lon_lat(&p[0], &p[1])?;
        let cell = hash::encode_wgs84(x, y, hash::STEP_MAX).unwrap_or_default();
        zadd.push(hash::align52(cell).to_string().into_bytes());
        zadd.push(p[2].clone());
    }
    super::zset::zadd_generic(ctx, &zadd, false)
}

/// GEOPOS key [member ...]
fn geopos(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let z = zset_at(ctx, &argv[1], true)?;
    Ok(Reply::Array(
        argv[2..]
            .iter()
            .map(|m| match z.as_deref().and_then(|z| member_point(z, m)) {
                Some((x, y)) => Reply::Array(vec![
                    Reply::DoubleText(human(x)),
                    Reply::DoubleText(human(y)),
                ]),
                None => Reply::NilArray,
            })
            .collect(),
    ))
}

/// GEODIST key member1 member2 [M|KM|FT|MI]
fn geodist(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let to_meter = match argv.len() {
        5 => unit(&argv[4])?,
        n if n > 5 => return Err(CmdError::Syntax),
        _ => 1.0,
    };
    let Some(z) = zset_at(ctx, &argv[1], true)? else {
        return Ok(Reply::Nil);
    };
    let (Some(a), Some(b)) = (member_point(z, &argv[2]), member_point(z, &argv[3])) else {
        return Ok(Reply::Nil);
    };
    let d = hash::distance(a.0, a.1, b.0, b.1) / to_meter;
    Ok(Reply::Bulk(distance_text(d).into_bytes()))
}

/// GEOHASH key [member ...]
fn geohash(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    let z = zset_at(ctx, &argv[1], true)?;
    Ok(Reply::Array(
        argv[2..]
            .iter()
            .map(|m| match z.as_deref().and_then(|z| member_point(z, m)) {
                Some((x, y)) => Reply::Bulk(geohash_string(x, y).into_bytes()),
                None => Reply::Nil,
            })
            .collect(),
    ))
}

/// GEORADIUS key longitude latitude radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH]
/// [COUNT count [ANY]] [ASC|DESC] [STORE key] [STOREDIST key]
fn georadius(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    search_generic(ctx, argv, Form::Radius { ro: false })
}

fn georadius_ro(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    search_generic(ctx, argv, Form::Radius { ro: true })
}

/// GEORADIUSBYMEMBER key member radius M|KM|FT|MI [options as GEORADIUS]
fn georadiusbymember(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    search_generic(ctx, argv, Form::ByMember { ro: false })
}

fn georadiusbymember_ro(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    search_generic(ctx, argv, Form::ByMember { ro: true })
}

/// GEOSEARCH key FROMMEMBER member|FROMLONLAT longitude latitude
/// BYRADIUS radius unit|BYBOX width height unit [ASC|DESC] [COUNT count [ANY]]
/// [WITHCOORD] [WITHDIST] [WITHHASH]
fn geosearch(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    search_generic(ctx, argv, Form::Search)
}

/// GEOSEARCHSTORE destination source (as GEOSEARCH) [STOREDIST]
fn geosearchstore(ctx: &mut Ctx, argv: &[Vec<u8>]) -> CmdResult {
    search_generic(ctx, argv, Form::SearchStore)
}

// ---- the table ----

const RADIUS_COMPLEXITY: &str = "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.";
const SEARCH_COMPLEXITY: &str = "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape";
/// GEORADIUS's and GEORADIUSBYMEMBER's keys: the source, and STORE's or STOREDIST's key
/// searched for from the first optional argument.
const fn store_specs(from: i32) -> [KeySpec; 3] {
    [
        key(1, key_flags![RO, ACCESS]),
        after_keyword("STORE", from, key_flags![OW, UPDATE]),
        after_keyword("STOREDIST", from, key_flags![OW, UPDATE]),
    ]
}
const RADIUS_SPECS: [KeySpec; 3] = store_specs(6);
const BYMEMBER_SPECS: [KeySpec; 3] = store_specs(5);

const G: Command = Command {
    name: "",
    arity: -2,
    flags: flags![READONLY],
    acl: acl![READ, GEO, SLOW],
    keys: (1, 1, 1),
    key_specs: &[key(1, key_flags![RO, ACCESS])],
    group: Group::Geo,
    since: "3.2.0",
    handler: geopos,
    ..BASE
};

pub const COMMANDS: &[Command] = &[
    Command { name: "geoadd", arity: -5, flags: flags![WRITE, DENYOOM], acl: acl![WRITE, GEO, SLOW],
        key_specs: &[key(1, key_flags![RW, UPDATE])],
        complexity: "O(log(N)) for each item added, where N is the number of elements in the sorted set.",
        summary: "Add members at longitude/latitude positions to a geo set (a sorted set scored by geohash)",
        syntax: "key [NX|XX] [CH] longitude latitude member [longitude latitude member ...]",
        handler: geoadd, ..G },
    Command { name: "geodist", arity: -4, complexity: "O(log(N))",
        summary: "The distance between two members of a geo set, in metres or the unit given",
        syntax: "key member1 member2 [M|KM|FT|MI]", handler: geodist, ..G },
    Command { name: "geohash", complexity: "O(log(N)) for each member requested, where N is the number of elements in the sorted set.",
        summary: "Members' positions as 11-character geohash strings",
        syntax: "key member [member ...]", handler: geohash, ..G },
    Command { name: "geopos", complexity: "O(N) where N is the number of members requested.",
        summary: "Members' positions as longitude and latitude",
        syntax: "key member [member ...]", handler: geopos, shape: ReplyShape::Nested("longitude", "latitude"), ..G },
    Command { name: "georadius", arity: -6, flags: flags![WRITE, DENYOOM, MOVABLEKEYS], acl: acl![WRITE, GEO, SLOW],
        key_specs: &RADIUS_SPECS, complexity: RADIUS_COMPLEXITY,
        summary: "Members within a radius of a point (deprecated: GEOSEARCH and GEOSEARCHSTORE with BYRADIUS)",
        syntax: "key longitude latitude radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC] [STORE key] [STOREDIST key]",
        handler: georadius, ..G },
    Command { name: "georadius_ro", arity: -6, since: "3.2.10", complexity: RADIUS_COMPLEXITY,
        summary: "GEORADIUS without STORE (deprecated: GEOSEARCH with BYRADIUS)",
        syntax: "key longitude latitude radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC]",
        handler: georadius_ro, ..G },
    Command { name: "georadiusbymember", arity: -5, flags: flags![WRITE, DENYOOM, MOVABLEKEYS], acl: acl![WRITE, GEO, SLOW],
        key_specs: &BYMEMBER_SPECS, complexity: RADIUS_COMPLEXITY,
        summary: "Members within a radius of a member (deprecated: GEOSEARCH and GEOSEARCHSTORE with FROMMEMBER and BYRADIUS)",
        syntax: "key member radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC] [STORE key] [STOREDIST key]",
        handler: georadiusbymember, ..G },
    Command { name: "georadiusbymember_ro", arity: -5, since: "3.2.10", complexity: RADIUS_COMPLEXITY,
        summary: "GEORADIUSBYMEMBER without STORE (deprecated: GEOSEARCH with FROMMEMBER and BYRADIUS)",
        syntax: "key member radius M|KM|FT|MI [WITHCOORD] [WITHDIST] [WITHHASH] [COUNT count [ANY]] [ASC|DESC]",
        handler: georadiusbymember_ro, ..G },
    Command { name: "geosearch", arity: -7, since: "6.2.0", complexity: SEARCH_COMPLEXITY,
        summary: "Members inside a circle or a box around a member or a point, nearest first if asked",
        syntax: "key FROMMEMBER member|FROMLONLAT longitude latitude BYRADIUS radius M|KM|FT|MI|BYBOX width height M|KM|FT|MI [ASC|DESC] [COUNT count [ANY]] [WITHCOORD] [WITHDIST] [WITHHASH]",
        handler: geosearch, ..G },
    Command { name: "geosearchstore", arity: -8, since: "6.2.0", flags: flags![WRITE, DENYOOM], acl: acl![WRITE, GEO, SLOW],
        keys: (1, 2, 1),
        key_specs: &[key(1, key_flags![OW, UPDATE]), key(2, key_flags![RO, ACCESS])],
        complexity: SEARCH_COMPLEXITY,
        summary: "GEOSEARCH, storing the members found (with their geohashes, or distances with STOREDIST) at a key",
        syntax: "destination source FROMMEMBER member|FROMLONLAT longitude latitude BYRADIUS radius M|KM|FT|MI|BYBOX width height M|KM|FT|MI [ASC|DESC] [COUNT count [ANY]] [STOREDIST]",
        handler: geosearchstore, ..G },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_redis_prints_them() {
        assert_eq!(human(13.361389338970184), "13.36138933897018433");
        assert_eq!(human(-0.0), "0");
        assert_eq!(human(15.0), "15");
        assert_eq!(distance_text(0.0), "0.0000");
        assert_eq!(distance_text(166274.15156960033), "166274.1516");
        assert_eq!(distance_text(0.00004), "0.0000");
        assert_eq!(distance_text(0.5), "0.5000");
    }
}
