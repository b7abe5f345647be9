//! LOLWUT's computer art, as Redis 7.0 draws it for `LOLWUT VERSION 5` (Georg Nees's
//! "Schotter": squares that tilt and drift more the lower the row, in braille dots) and
//! `VERSION 6` (a city skyline in four grays, as terminal colour codes). Random as in
//! Redis (the server's generator here). Any other version shows the version line.

use super::args::int_arg;
use crate::error::CmdResult;

/// A grid of pixels, each a colour number; outside it reads 0 and writes nothing.
struct Canvas {
    width: i64,
    height: i64,
    pixels: Vec<u8>,
}

impl Canvas {
    fn new(width: i64, height: i64, colour: u8) -> Canvas {
        let (width, height) = (width.max(0), height.max(0));
        Canvas {
            width,
            height,
            pixels: vec![colour; (width * height) as usize],
        }
    }

    fn at(&self, x: i64, y: i64) -> Option<usize> {
        ((0..self.width).contains(&x) && (0..self.height).contains(&y))
            .then(|| (x + y * self.width) as usize)
    }

    fn get(&self, x: i64, y: i64) -> u8 {
        self.at(x, y).map_or(0, |i| self.pixels[i])
    }

    fn set(&mut self, x: i64, y: i64, colour: u8) {
        if let Some(i) = self.at(x, y) {
            self.pixels[i] = colour;
        }
    }

    /// A straight line, one pixel per step along its longer axis (Bresenham).
    fn line(&mut self, (mut x, mut y): (i64, i64), (x2, y2): (i64, i64)) {
        let (dx, dy) = ((x2 - x).abs(), (y2 - y).abs());
        let (sx, sy) = (if x < x2 { 1 } else { -1 }, if y < y2 { 1 } else { -1 });
        let mut err = dx - dy;
        loop {
            self.set(x, y, 1);
            if x == x2 && y == y2 {
                break;
            }
            let e2 = err * 2;
            if e2 > -dy {
                err -= dy;
                x += sx;
            }
            if e2 < dx {
                err += dx;
                y += sy;
            }
        }
    }

    /// The outline of a square of side `size` centred on (x, y), turned by `angle`.
    fn square(&mut self, x: i64, y: i64, size: f32, angle: f32) {
        let r = (size / std::f32::consts::SQRT_2).round();
        let corner = |j: i32| {
            let k = std::f32::consts::FRAC_PI_4 + angle + j as f32 * std::f32::consts::FRAC_PI_2;
            (
                (k.sin() * r + x as f32).round() as i64,
                (k.cos() * r + y as f32).round() as i64,
            )
        };
        for j in 0..4 {
            self.line(corner(j), corner((j + 1) % 4));
        }
    }
}

/// The numeric arguments after the version, each clamped to its range (Redis's limits).
fn numbers(args: &[Vec<u8>], defaults: &[i64], max: &[i64]) -> CmdResult<Vec<i64>> {
    let mut out = defaults.to_vec();
    for (i, a) in args.iter().take(defaults.len()).enumerate() {
        out[i] = int_arg(a)?.clamp(1, max[i]);
    }
    Ok(out)
}

/// VERSION 5: [columns] [squares per row] [squares per column].
pub fn schotter(args: &[Vec<u8>], rng: &mut fastrand::Rng) -> CmdResult<Vec<u8>> {
    let n = numbers(args, &[66, 8, 12], &[1000, 200, 200])?;
    let (cols, per_row, per_col) = (n[0], n[1], n[2]);
    let width = cols * 2;
    let pad = if width > 4 { 2 } else { 0 };
    let side = (width - pad * 2) as f32 / per_row as f32;
    let height = (side * per_col as f32) as i64 + pad * 2;
    let mut c = Canvas::new(width, height, 0);
    let unit = |rng: &mut fastrand::Rng, y: i64| {
        let r = rng.f32() / per_col as f32 * y as f32;
        if rng.bool() {
            -r
        } else {
            r
        }
    };
    for y in 0..per_col {
        for x in 0..per_row {
            let mut sx = (x as f32 * side + side / 2.0) as i64 + pad;
            let mut sy = (y as f32 * side + side / 2.0) as i64 + pad;
            let mut angle = 0.0;
            if y > 1 {
                angle = unit(rng, y);
                sx = (sx as f32 + unit(rng, y) * side / 3.0) as i64;
                sy = (sy as f32 + unit(rng, y) * side / 3.0) as i64;
            }
            c.square(sx, sy, side, angle);
        }
    }
    // Each braille character shows 2×4 pixels.
    let mut out = String::new();
    for y in (0..c.height).step_by(4) {
        for x in (0..c.width).step_by(2) {
            let dots = [
                (0, 0),
                (0, 1),
                (0, 2),
                (1, 0),
                (1, 1),
                (1, 2),
                (0, 3),
                (1, 3),
            ];
            let bits = dots
                .iter()
                .enumerate()
                .filter(|(_, (dx, dy))| c.get(x + dx, y + dy) != 0)
                .fold(0u32, |b, (i, _)| b | 1 << i);
            out.push(char::from_u32(0x2800 + bits).unwrap_or(' '));
        }
        if y != c.height - 1 {
            out.push('\n');
        }
    }
    out.push_str("\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. ");
    out.push_str(crate::REDIS_VERSION);
    out.push('\n');
    Ok(out.into_bytes())
}

/// VERSION 6: [columns] [rows].
pub fn skyline(args: &[Vec<u8>], rng: &mut fastrand::Rng) -> CmdResult<Vec<u8>> {
    let n = numbers(args, &[80, 20], &[1000, 1000])?;
    let mut c = Canvas::new(n[0], n[1], 3);
    let (w, h) = (c.width, c.height);
    let tower = |c: &mut Canvas,
                 rng: &mut fastrand::Rng,
                 x0: i64,
                 width: i64,
                 height: i64,
                 colour: u8,
                 windows: bool| {
        let (bottom, top) = (h - 1, h - height);
        for y in (top..=bottom).rev() {
            for x in x0..x0 + width {
                // The roof is four pixels narrower.
                if y == top && (x <= x0 + 1 || x >= x0 + width - 2) {
                    continue;
                }
                let mut col = colour;
                let inside = x > x0 + 1 && x < x0 + width - 2 && y > top + 1 && y < bottom - 1;
                if windows && inside {
                    let (rx, ry) = (x - (x0 + 1), y - (top + 1));
                    // Windows two pixels wide, one tall, lit in one of two grays.
                    if (rx / 2) % 2 == 1 && ry % 2 == 1 {
                        col = loop {
                            let pick = 1 + rng.u8(0..2);
                            if pick != colour {
                                break pick;
                            }
                        };
                        if rx % 2 == 1 {
                            col = c.get(x - 1, y);
                        }
                    }
                }
                c.set(x, y, col);
            }
        }
    };
    let r = |rng: &mut fastrand::Rng, m: i64| rng.i64(0..m.max(1));
    for colour in [2u8, 1] {
        let mut off = -10;
        while off < w {
            off += r(rng, 8);
            let width = 10 + r(rng, 9);
            let height = h / 2 + r(rng, h) / if colour == 2 { 2 } else { 3 };
            tower(&mut c, rng, off, width, height, colour, false);
            off += if colour == 2 { width / 2 } else { width + 1 };
        }
    }
    let mut off = -10;
    while off < w {
        off += r(rng, 8);
        let mut width = 5 + r(rng, 14);
        if width % 4 != 0 {
            width += width % 3;
        }
        let height = h / 3 + r(rng, h) / 2;
        tower(&mut c, rng, off, width, height, 0, true);
        off += width + 5;
    }
    let mut out = String::new();
    for y in 0..h {
        for x in 0..w {
            let code = match c.get(x, y) {
                1 => "0;90;100m",
                2 => "0;37;47m",
                3 => "0;97;107m",
                _ => "0;30;40m",
            };
            out.push_str("\u{1b}[");
            out.push_str(code);
            out.push_str(" \u{1b}[0m");
        }
        if y != h - 1 {
            out.push('\n');
        }
    }
    out.push_str("\nDedicated to the 8 bit game developers of past and present.\nOriginal 8 bit image from Plaguemon by hikikomori. Redis ver. ");
    out.push_str(crate::REDIS_VERSION);
    out.push('\n');
    Ok(out.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<Vec<u8>> {
        s.split(' ').map(|w| w.as_bytes().to_vec()).collect()
    }

    #[test]
    fn schotter_starts_with_the_rows_redis_draws_straight() {
        // The first two rows of squares are never tilted: redis-server 7.0.15 drew these
        // lines for LOLWUT VERSION 5 40 6 6.
        let want = [
            "⠀⡤⠤⠤⠤⠤⠤⣤⠤⠤⠤⠤⠤⢤⠤⠤⠤⠤⠤⢤⡤⠤⠤⠤⠤⠤⣤⠤⠤⠤⠤⠤⢤⠤⠤⠤⠤⠤⢤⠀",
            "⠀⡇⠀⠀⠀⠀⠀⣿⠀⠀⠀⠀⠀⢸⠀⠀⠀⠀⠀⢸⡇⠀⠀⠀⠀⠀⣿⠀⠀⠀⠀⠀⢸⠀⠀⠀⠀⠀⢸⠀",
            "⠀⡇⠀⠀⠀⠀⠀⣿⠀⠀⠀⠀⠀⢸⠀⠀⠀⠀⠀⢸⡇⠀⠀⠀⠀⠀⣿⠀⠀⠀⠀⠀⢸⠀⠀⠀⠀⠀⢸⠀",
            "⠀⣧⣤⣤⣤⣤⣤⣿⣤⣤⣤⣤⣤⣼⣤⣤⣤⣤⣤⣼⣧⣤⣤⣤⣤⣤⣿⣤⣤⣤⣤⣤⣼⣤⣤⣤⣤⣤⣼⠀",
            "⠀⡇⠀⠀⠀⠀⠀⣿⠀⠀⠀⠀⠀⢸⠀⠀⠀⠀⠀⢸⡇⠀⠀⠀⠀⠀⣿⠀⠀⠀⠀⠀⢸⠀⠀⠀⠀⠀⢸⠀",
            "⠀⡇⠀⠀⠀⠀⠀⣿⠀⠀⠀⠀⠀⢸⠀⠀⠀⠀⠀⢸⡇⠀⠀⠀⠀⠀⣿⠀⠀⠀⠀⠀⢸⠀⠀⠀⠀⠀⢸⠀",
        ];
        let out = schotter(&args("40 6 6"), &mut fastrand::Rng::with_seed(1)).unwrap();
        let text = String::from_utf8(out).unwrap();
        let got: Vec<&str> = text.lines().take(want.len()).collect();
        assert_eq!(got, want);
        assert!(
            text.ends_with("\nGeorg Nees - schotter, plotter on paper, 1968. Redis ver. 7.0.15\n")
        );
        assert!(schotter(&args("x"), &mut fastrand::Rng::with_seed(2)).is_err());
        // Out-of-range sizes are clamped, as Redis clamps them.
        assert!(schotter(&args("0 0 0"), &mut fastrand::Rng::with_seed(2)).is_ok());
    }

    #[test]
    fn skyline_paints_every_cell_of_its_grid() {
        let out = skyline(&args("12 5"), &mut fastrand::Rng::with_seed(3)).unwrap();
        let text = String::from_utf8(out).unwrap();
        let rows: Vec<&str> = text.lines().take(5).collect();
        for r in &rows {
            assert_eq!(r.matches(" \u{1b}[0m").count(), 12, "{r:?}");
        }
        assert!(text
            .ends_with("Original 8 bit image from Plaguemon by hikikomori. Redis ver. 7.0.15\n"));
    }
}
