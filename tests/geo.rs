//! Geo against a real `redis-server`: random point sets (clustered and spread, with
//! repeated positions so distances tie) and random searches of every form — circles and
//! boxes, from a point or a member, sorted or not, COUNT with and without ANY, every WITH
//! option, STORE and STOREDIST — must give the same reply as Redis, byte for byte.

use redis_playground::World;

mod common;
use common::redis_server::{first_difference, loud, reference_server, wall_ms, Conn};

const ROUNDS: u64 = 40;
const SEARCHES: usize = 60;

fn num(rng: &mut fastrand::Rng, lo: f64, hi: f64) -> String {
    format!("{:.6}", lo + rng.f64() * (hi - lo))
}

#[test]
fn random_searches_answer_exactly_like_redis() {
    let Some(server) = reference_server("the geo property test") else {
        return;
    };
    let mut conn = Conn::open(server.port);
    let mut compared = 0;
    let mut failures = Vec::new();
    for seed in 0..ROUNDS {
        conn.call(&[b"FLUSHALL".to_vec()]);
        let mut ours = World::with_seed(wall_ms(), seed);
        let mut rng = fastrand::Rng::with_seed(seed);
        // A cluster somewhere, or points over the whole map; a few share positions.
        let (cx, cy, spread) = if rng.bool() {
            (
                rng.f64() * 340.0 - 170.0,
                rng.f64() * 160.0 - 80.0,
                rng.f64() * 5.0,
            )
        } else {
            (0.0, 0.0, 400.0)
        };
        let n = [20, 120, 129, 600][rng.usize(..4)];
        let mut lines: Vec<Vec<String>> = Vec::new();
        let mut points = Vec::new();
        for i in 0..n {
            let (x, y) = if i > 0 && rng.u8(..10) == 0 {
                points[rng.usize(..points.len())]
            } else {
                (
                    (cx + (rng.f64() - 0.5) * spread).clamp(-180.0, 180.0),
                    (cy + (rng.f64() - 0.5) * spread / 2.0).clamp(-85.0, 85.0),
                )
            };
            points.push((x, y));
            lines.push(vec![
                "GEOADD".into(),
                "g".into(),
                format!("{x:.6}"),
                format!("{y:.6}"),
                format!("m{i}"),
            ]);
        }
        for _ in 0..SEARCHES {
            let mut cmd: Vec<String> = match rng.u8(..4) {
                0 => vec!["GEOSEARCH".into(), "g".into()],
                1 => vec!["GEOSEARCHSTORE".into(), "dst".into(), "g".into()],
                2 => vec!["GEORADIUS".into(), "g".into()],
                _ => vec!["GEORADIUSBYMEMBER".into(), "g".into()],
            };
            let search = cmd[0].starts_with("GEOSEARCH");
            let store = cmd[0] == "GEOSEARCHSTORE";
            let unit = ["m", "km", "mi", "ft"][rng.usize(..4)];
            let scale = match unit {
                "m" => 1000.0,
                "ft" => 3000.0,
                "mi" => 0.6,
                _ => 1.0,
            };
            let radius_km = [1.0, 50.0, 300.0, 2000.0, 8000.0][rng.usize(..5)] * (0.5 + rng.f64());
            let (px, py) = points[rng.usize(..points.len())];
            let member = format!("m{}", rng.usize(..n));
            if search {
                if rng.bool() {
                    cmd.extend(["FROMMEMBER".into(), member]);
                } else {
                    cmd.extend([
                        "FROMLONLAT".into(),
                        format!("{:.4}", (px + rng.f64() - 0.5).clamp(-180.0, 180.0)),
                        format!("{:.4}", (py + rng.f64() - 0.5).clamp(-85.0, 85.0)),
                    ]);
                }
                if rng.bool() {
                    cmd.extend([
                        "BYRADIUS".into(),
                        format!("{:.3}", radius_km * scale),
                        unit.into(),
                    ]);
                } else {
                    cmd.extend([
                        "BYBOX".into(),
                        format!("{:.3}", radius_km * scale * 2.0),
                        format!("{:.3}", radius_km * scale * (0.5 + rng.f64())),
                        unit.into(),
                    ]);
                }
            } else {
                if cmd[0] == "GEORADIUS" {
                    cmd.extend([
                        num(&mut rng, px - 1.0, px + 1.0),
                        num(&mut rng, py - 1.0, py + 1.0),
                    ]);
                    let (x, y): (f64, f64) = (cmd[2].parse().unwrap(), cmd[3].parse().unwrap());
                    cmd[2] = format!("{:.6}", x.clamp(-180.0, 180.0));
                    cmd[3] = format!("{:.6}", y.clamp(-85.0, 85.0));
                } else {
                    cmd.push(member);
                }
                cmd.extend([format!("{:.3}", radius_km * scale), unit.into()]);
            }
            match rng.u8(..3) {
                0 => cmd.push("ASC".into()),
                1 => cmd.push("DESC".into()),
                _ => {}
            }
            match rng.u8(..3) {
                0 => cmd.extend(["COUNT".into(), rng.usize(1..30).to_string()]),
                1 => cmd.extend(["COUNT".into(), rng.usize(1..10).to_string(), "ANY".into()]),
                _ => {}
            }
            if store {
                if rng.bool() {
                    cmd.push("STOREDIST".into());
                }
            } else if !search && rng.u8(..4) == 0 {
                cmd.extend([["STORE", "STOREDIST"][rng.usize(..2)].into(), "dst".into()]);
            } else {
                for opt in ["WITHDIST", "WITHHASH", "WITHCOORD"] {
                    if rng.bool() {
                        cmd.push(opt.into());
                    }
                }
            }
            let stored = store || cmd.iter().any(|w| w.starts_with("STORE"));
            lines.push(cmd);
            if stored {
                lines.push(vec![
                    "ZRANGE".into(),
                    "dst".into(),
                    "0".into(),
                    "-1".into(),
                    "WITHSCORES".into(),
                ]);
            }
        }
        let argvs: Vec<Vec<Vec<u8>>> = lines
            .iter()
            .map(|l| l.iter().map(|w| w.clone().into_bytes()).collect())
            .collect();
        let (n, diff) = first_difference(&mut conn, &mut ours, &argvs);
        compared += n;
        if let Some(d) = diff {
            failures.push(format!("seed {seed}: {d}"));
        }
    }
    loud(&format!(
        "geo: {ROUNDS} random sets, {compared} replies compared, {} differing",
        failures.len()
    ));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
