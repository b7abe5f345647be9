//! The geohash arithmetic of Redis's geo commands (facts from `geohash.c` and
//! `geohash_helper.c`): coordinates become a 52-bit score by interleaving 26 bits of
//! latitude (even bits) with 26 bits of longitude (odd bits) over Web Mercator's range;
//! searches look at the cell around the centre and its eight neighbours at a precision
//! chosen from the radius; distances are haversine on a sphere of Redis's radius.

pub const LONG_MIN: f64 = -180.0;
pub const LONG_MAX: f64 = 180.0;
pub const LAT_MIN: f64 = -85.051_128_78;
pub const LAT_MAX: f64 = 85.051_128_78;
pub const STEP_MAX: u8 = 26;

const EARTH_RADIUS_IN_METERS: f64 = 6_372_797.560_856;
const MERCATOR_MAX: f64 = 20_037_726.37;
const D_R: f64 = std::f64::consts::PI / 180.0;

/// A cell: `bits` holds `step` bits of latitude and `step` of longitude, interleaved.
/// Step 0 with no bits is "no cell" (a neighbour left out of a search).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Cell {
    pub bits: u64,
    pub step: u8,
}

impl Cell {
    pub fn is_none(&self) -> bool {
        self.bits == 0 && self.step == 0
    }
}

#[derive(Clone, Copy, Debug, Default)]
pub struct Range {
    pub min: f64,
    pub max: f64,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct Area {
    pub longitude: Range,
    pub latitude: Range,
}

fn deg_rad(a: f64) -> f64 {
    a * D_R
}
fn rad_deg(a: f64) -> f64 {
    a / D_R
}

/// Spread the 32 bits of `v` over the even bits of a u64.
fn spread(v: u32) -> u64 {
    let mut x = u64::from(v);
    x = (x | (x << 16)) & 0x0000_FFFF_0000_FFFF;
    x = (x | (x << 8)) & 0x00FF_00FF_00FF_00FF;
    x = (x | (x << 4)) & 0x0F0F_0F0F_0F0F_0F0F;
    x = (x | (x << 2)) & 0x3333_3333_3333_3333;
    (x | (x << 1)) & 0x5555_5555_5555_5555
}

/// Gather the even bits of `v` into a u32.
fn gather(v: u64) -> u32 {
    let mut x = v & 0x5555_5555_5555_5555;
    x = (x | (x >> 1)) & 0x3333_3333_3333_3333;
    x = (x | (x >> 2)) & 0x0F0F_0F0F_0F0F_0F0F;
    x = (x | (x >> 4)) & 0x00FF_00FF_00FF_00FF;
    x = (x | (x >> 8)) & 0x0000_FFFF_0000_FFFF;
    x = (x | (x >> 16)) & 0x0000_0000_FFFF_FFFF;
    x as u32
}

/// Encode a point at `step` over the given ranges; None outside Redis's limits.
pub fn encode(
    long_range: Range,
    lat_range: Range,
    longitude: f64,
    latitude: f64,
    step: u8,
) -> Option<Cell> {
    if step == 0 || step > 32 {
        return None;
    }
    if !(LONG_MIN..=LONG_MAX).contains(&longitude) || !(LAT_MIN..=LAT_MAX).contains(&latitude) {
        return None;
    }
    if latitude < lat_range.min
        || latitude > lat_range.max
        || longitude < long_range.min
        || longitude > long_range.max
    {
        return None;
    }
    let scale = (1u64 << step) as f64;
    let lat_offset = (latitude - lat_range.min) / (lat_range.max - lat_range.min) * scale;
    let long_offset = (longitude - long_range.min) / (long_range.max - long_range.min) * scale;
    Some(Cell {
        // In range here, where `as` truncates as C's conversion to uint32_t does.
        bits: spread(lat_offset as u32) | (spread(long_offset as u32) << 1),
        step,
    })
}

pub fn wgs84() -> (Range, Range) {
    (
        Range {
            min: LONG_MIN,
            max: LONG_MAX,
        },
        Range {
            min: LAT_MIN,
            max: LAT_MAX,
        },
    )
}

pub fn encode_wgs84(longitude: f64, latitude: f64, step: u8) -> Option<Cell> {
    let (lo, la) = wgs84();
    encode(lo, la, longitude, latitude, step)
}

/// The area a cell covers.
pub fn decode(long_range: Range, lat_range: Range, cell: Cell) -> Option<Area> {
    if cell.is_none() {
        return None;
    }
    let lat_bits = gather(cell.bits);
    let long_bits = gather(cell.bits >> 1);
    let cells = (1u64 << cell.step.min(63)) as f64;
    let lat_scale = lat_range.max - lat_range.min;
    let long_scale = long_range.max - long_range.min;
    Some(Area {
        latitude: Range {
            min: lat_range.min + (f64::from(lat_bits) / cells) * lat_scale,
            max: lat_range.min + (f64::from(lat_bits.wrapping_add(1)) / cells) * lat_scale,
        },
        longitude: Range {
            min: long_range.min + (f64::from(long_bits) / cells) * long_scale,
            max: long_range.min + (f64::from(long_bits.wrapping_add(1)) / cells) * long_scale,
        },
    })
}

pub fn decode_wgs84(cell: Cell) -> Option<Area> {
    let (lo, la) = wgs84();
    decode(lo, la, cell)
}

/// The centre of an area, kept within Redis's limits.
pub fn centre(a: &Area) -> (f64, f64) {
    let x = ((a.longitude.min + a.longitude.max) / 2.0).clamp(LONG_MIN, LONG_MAX);
    let y = ((a.latitude.min + a.latitude.max) / 2.0).clamp(LAT_MIN, LAT_MAX);
    (x, y)
}

/// A score as C converts a double to uint64_t on x86-64 (what Redis does with any score,
/// geo or not): truncation in range, the hardware's answers out of it.
pub fn score_bits(score: f64) -> u64 {
    const TWO63: f64 = 9_223_372_036_854_775_808.0;
    let signed = |v: f64| -> u64 {
        if v.is_nan() || !(-TWO63..TWO63).contains(&v) {
            0x8000_0000_0000_0000
        } else {
            (v as i64) as u64
        }
    };
    if score >= TWO63 {
        signed(score - TWO63) ^ 0x8000_0000_0000_0000
    } else {
        signed(score)
    }
}

/// The (longitude, latitude) a sorted-set score stands for.
pub fn point_of_score(score: f64) -> Option<(f64, f64)> {
    let cell = Cell {
        bits: score_bits(score),
        step: STEP_MAX,
    };
    decode_wgs84(cell).map(|a| centre(&a))
}

/// The 52-bit score of a full-precision cell.
pub fn align52(cell: Cell) -> u64 {
    let shift = 52u32.saturating_sub(u32::from(cell.step) * 2);
    cell.bits.checked_shl(shift).unwrap_or(0)
}

/// The eight neighbours of a cell, in Redis's order of use: north, south, east, west,
/// north-east, north-west, south-east, south-west.
pub struct Neighbours {
    pub north: Cell,
    pub south: Cell,
    pub east: Cell,
    pub west: Cell,
    pub north_east: Cell,
    pub north_west: Cell,
    pub south_east: Cell,
    pub south_west: Cell,
}

fn shr(v: u64, by: u32) -> u64 {
    // C's shift by 64 on x86-64 shifts by 0; steps here are 1..=26 so it never arises.
    v.checked_shr(by).unwrap_or(v)
}

/// Move a cell one step east (+1) or west (-1): the longitude bits, with wrap-around.
fn move_x(c: Cell, d: i8) -> Cell {
    if d == 0 {
        return c;
    }
    let mut x = c.bits & 0xaaaa_aaaa_aaaa_aaaa;
    let y = c.bits & 0x5555_5555_5555_5555;
    let zz = shr(0x5555_5555_5555_5555, 64 - u32::from(c.step) * 2);
    if d > 0 {
        x = x.wrapping_add(zz + 1);
    } else {
        x |= zz;
        x = x.wrapping_sub(zz + 1);
    }
    x &= shr(0xaaaa_aaaa_aaaa_aaaa, 64 - u32::from(c.step) * 2);
    Cell {
        bits: x | y,
        step: c.step,
    }
}

/// Move a cell one step north (+1) or south (-1): the latitude bits.
fn move_y(c: Cell, d: i8) -> Cell {
    if d == 0 {
        return c;
    }
    let x = c.bits & 0xaaaa_aaaa_aaaa_aaaa;
    let mut y = c.bits & 0x5555_5555_5555_5555;
    let zz = shr(0xaaaa_aaaa_aaaa_aaaa, 64 - u32::from(c.step) * 2);
    if d > 0 {
        y = y.wrapping_add(zz.wrapping_add(1));
    } else {
        y |= zz;
        y = y.wrapping_sub(zz.wrapping_add(1));
    }
    y &= shr(0x5555_5555_5555_5555, 64 - u32::from(c.step) * 2);
    Cell {
        bits: x | y,
        step: c.step,
    }
}

pub fn neighbours(c: Cell) -> Neighbours {
    let at = |dx: i8, dy: i8| move_y(move_x(c, dx), dy);
    Neighbours {
        east: at(1, 0),
        west: at(-1, 0),
        south: at(0, -1),
        north: at(0, 1),
        north_west: at(-1, 1),
        north_east: at(1, 1),
        south_east: at(1, -1),
        south_west: at(-1, -1),
    }
}

/// How precise a cell must be to hold a circle of `range_meters` around a point at `lat`.
fn steps_for_radius(mut range_meters: f64, lat: f64) -> u8 {
    if range_meters == 0.0 {
        return 26;
    }
    let mut step: i32 = 1;
    while range_meters < MERCATOR_MAX {
        range_meters *= 2.0;
        step += 1;
    }
    step -= 2;
    if !(-66.0..=66.0).contains(&lat) {
        step -= 1;
        if !(-80.0..=80.0).contains(&lat) {
            step -= 1;
        }
    }
    step.clamp(1, 26) as u8
}

/// A search shape: a circle of `radius`, or a box of `width` × `height`, in the unit
/// `conversion` metres long, around (longitude, latitude).
#[derive(Clone, Copy, Debug)]
pub enum Shape {
    Circle { radius: f64 },
    Box { width: f64, height: f64 },
}

#[derive(Clone, Copy, Debug)]
pub struct Search {
    pub centre: (f64, f64),
    pub shape: Shape,
    pub conversion: f64,
}

/// The cells a search reads: the centre cell and the neighbours that may hold matches.
pub struct Cells {
    pub centre: Cell,
    pub neighbours: Neighbours,
}

impl Search {
    /// The longitude/latitude box around the shape: (min lon, min lat, max lon, max lat).
    fn bounds(&self) -> [f64; 4] {
        let (longitude, latitude) = self.centre;
        let (h, w) = match self.shape {
            Shape::Circle { radius } => (radius, radius),
            Shape::Box { width, height } => (height / 2.0, width / 2.0),
        };
        let height = self.conversion * h;
        let width = self.conversion * w;
        let lat_delta = rad_deg(height / EARTH_RADIUS_IN_METERS);
        let long_delta_top =
            rad_deg(width / EARTH_RADIUS_IN_METERS / deg_rad(latitude + lat_delta).cos());
        let long_delta_bottom =
            rad_deg(width / EARTH_RADIUS_IN_METERS / deg_rad(latitude - lat_delta).cos());
        let southern = latitude < 0.0;
        [
            if southern {
                longitude - long_delta_bottom
            } else {
                longitude - long_delta_top
            },
            latitude - lat_delta,
            if southern {
                longitude + long_delta_bottom
            } else {
                longitude + long_delta_top
            },
            latitude + lat_delta,
        ]
    }

    /// Redis's choice of cells for this search.
    pub fn cells(&self) -> Cells {
        let [min_lon, min_lat, max_lon, max_lat] = self.bounds();
        let (longitude, latitude) = self.centre;
        let radius_meters = match self.shape {
            Shape::Circle { radius } => radius,
            Shape::Box { width, height } => {
                ((width / 2.0) * (width / 2.0) + (height / 2.0) * (height / 2.0)).sqrt()
            }
        } * self.conversion;
        let (lo, la) = wgs84();
        let mut steps = steps_for_radius(radius_meters, latitude);
        let mut cell = encode(lo, la, longitude, latitude, steps).unwrap_or_default();
        let mut n = neighbours(cell);
        let mut area = decode(lo, la, cell).unwrap_or_default();
        let north = decode(lo, la, n.north).unwrap_or_default();
        let south = decode(lo, la, n.south).unwrap_or_default();
        let east = decode(lo, la, n.east).unwrap_or_default();
        let west = decode(lo, la, n.west).unwrap_or_default();
        let decrease = north.latitude.max < max_lat
            || south.latitude.min > min_lat
            || east.longitude.max < max_lon
            || west.longitude.min > min_lon;
        if steps > 1 && decrease {
            steps -= 1;
            cell = encode(lo, la, longitude, latitude, steps).unwrap_or_default();
            n = neighbours(cell);
            area = decode(lo, la, cell).unwrap_or_default();
        }
        if steps >= 2 {
            let none = Cell::default();
            if area.latitude.min < min_lat {
                (n.south, n.south_west, n.south_east) = (none, none, none);
            }
            if area.latitude.max > max_lat {
                (n.north, n.north_east, n.north_west) = (none, none, none);
            }
            if area.longitude.min < min_lon {
                (n.west, n.south_west, n.north_west) = (none, none, none);
            }
            if area.longitude.max > max_lon {
                (n.east, n.south_east, n.north_east) = (none, none, none);
            }
        }
        Cells {
            centre: cell,
            neighbours: n,
        }
    }

    /// The distance from the centre to (x, y) in metres if the point is inside the shape.
    pub fn distance_if_inside(&self, x: f64, y: f64) -> Option<f64> {
        let (cx, cy) = self.centre;
        match self.shape {
            Shape::Circle { radius } => {
                let d = distance(cx, cy, x, y);
                (d <= radius * self.conversion).then_some(d)
            }
            Shape::Box { width, height } => {
                let (width_m, height_m) = (width * self.conversion, height * self.conversion);
                if lat_distance(y, cy) > height_m / 2.0 {
                    return None;
                }
                if distance(x, y, cx, y) > width_m / 2.0 {
                    return None;
                }
                Some(distance(cx, cy, x, y))
            }
        }
    }
}

fn lat_distance(lat1d: f64, lat2d: f64) -> f64 {
    EARTH_RADIUS_IN_METERS * (deg_rad(lat2d) - deg_rad(lat1d)).abs()
}

/// Haversine distance in metres between two points, as Redis computes it.
pub fn distance(lon1d: f64, lat1d: f64, lon2d: f64, lat2d: f64) -> f64 {
    let lon1r = deg_rad(lon1d);
    let lon2r = deg_rad(lon2d);
    let v = ((lon2r - lon1r) / 2.0).sin();
    if v == 0.0 {
        return lat_distance(lat1d, lat2d);
    }
    let lat1r = deg_rad(lat1d);
    let lat2r = deg_rad(lat2d);
    let u = ((lat2r - lat1r) / 2.0).sin();
    let a = u * u + lat1r.cos() * lat2r.cos() * v * v;
    2.0 * EARTH_RADIUS_IN_METERS * a.sqrt().asin()
}

/// The 11-character standard geohash of a point (latitude over -90..90), as GEOHASH
/// prints it: 52 bits, the last character always '0'.
pub fn geohash_string(longitude: f64, latitude: f64) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789bcdefghjkmnpqrstuvwxyz";
    let cell = encode(
        Range {
            min: -180.0,
            max: 180.0,
        },
        Range {
            min: -90.0,
            max: 90.0,
        },
        longitude,
        latitude,
        26,
    )
    .unwrap_or_default();
    (0..11)
        .map(|i| {
            let idx = if i == 10 {
                0
            } else {
                (cell.bits >> (52 - (i + 1) * 5)) & 0x1f
            };
            ALPHABET[idx as usize] as char
        })
        .collect()
}

/// The score range [min, max) of the members inside a cell.
pub fn score_range(cell: Cell) -> (f64, f64) {
    let min = align52(cell);
    let max = align52(Cell {
        bits: cell.bits.wrapping_add(1),
        step: cell.step,
    });
    (min as f64, max as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interleaving_round_trips() {
        for v in [0u32, 1, 0x3ff_ffff, 0xdead_beef, u32::MAX] {
            assert_eq!(gather(spread(v)), v);
        }
    }

    #[test]
    fn a_point_survives_encoding_to_the_precision_redis_keeps() {
        let cell = encode_wgs84(13.361389, 38.115556, STEP_MAX).unwrap();
        let (x, y) = point_of_score(align52(cell) as f64).unwrap();
        assert!((x - 13.361389).abs() < 1e-5 && (y - 38.115556).abs() < 1e-5);
        assert_eq!(geohash_string(x, y), "sqc8b49rny0");
    }

    #[test]
    fn out_of_range_scores_convert_like_x86() {
        assert_eq!(score_bits(-1.0), u64::MAX);
        assert_eq!(score_bits(f64::NAN), 1 << 63);
        assert_eq!(score_bits(f64::INFINITY), 0);
        assert_eq!(score_bits(1.5), 1);
    }
}
