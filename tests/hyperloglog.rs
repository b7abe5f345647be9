//! HyperLogLog against a real `redis-server`: for random sets of random elements (binary,
//! of every length, from one element to past the dense switch), PFCOUNT gives the same
//! number and GET the same bytes as Redis, for one key, for a union and after PFMERGE, at
//! the default and at odd `hll-sparse-max-bytes`. Plus native checks of what needs no
//! server.

use redis_playground::World;

mod common;
use common::redis_server::{first_difference, loud, reference_server, wall_ms, Conn};

const ROUNDS: u64 = 60;

fn element(rng: &mut fastrand::Rng) -> Vec<u8> {
    match rng.u8(..4) {
        0 => rng.u64(..).to_string().into_bytes(),
        1 => format!("user:{}", rng.u32(..100_000)).into_bytes(),
        2 => (0..rng.usize(0..24)).map(|_| rng.u8(..)).collect(),
        _ => (0..rng.usize(1..9))
            .map(|_| rng.alphabetic() as u8)
            .collect(),
    }
}

fn argv(words: &[&[u8]]) -> Vec<Vec<u8>> {
    words.iter().map(|w| w.to_vec()).collect()
}

#[test]
fn pfcount_and_the_stored_bytes_match_redis_for_random_sets() {
    let Some(server) = reference_server("the HyperLogLog property test") else {
        return;
    };
    let mut conn = Conn::open(server.port);
    let mut compared = 0;
    let mut failures = Vec::new();
    for seed in 0..ROUNDS {
        conn.call(&argv(&[b"FLUSHALL"]));
        let mut ours = World::with_seed(wall_ms(), seed);
        let mut rng = fastrand::Rng::with_seed(seed);
        let sparse_max = match seed % 4 {
            0 => "3000".to_string(),
            1 => rng.u32(0..4000).to_string(),
            2 => "10000".to_string(),
            _ => "3000".to_string(),
        };
        let mut lines = vec![argv(&[
            b"CONFIG",
            b"SET",
            b"hll-sparse-max-bytes",
            sparse_max.as_bytes(),
        ])];
        for key in [b"a".as_slice(), b"b", b"c"] {
            // Sizes from a handful to well past the dense switch, added in batches.
            let size = [3, 40, 300, 1500, 6000, 20_000][rng.usize(..6)];
            let mut left = size;
            while left > 0 {
                let batch = left.min(rng.usize(1..500));
                left -= batch;
                let mut cmd = vec![b"PFADD".to_vec(), key.to_vec()];
                cmd.extend((0..batch).map(|_| element(&mut rng)));
                lines.push(cmd);
                if rng.bool() {
                    lines.push(argv(&[b"PFCOUNT", key]));
                }
            }
            lines.push(argv(&[b"PFCOUNT", key]));
            lines.push(argv(&[b"GET", key]));
        }
        lines.push(argv(&[b"PFCOUNT", b"a", b"b", b"c"]));
        lines.push(argv(&[b"PFMERGE", b"m", b"a", b"b"]));
        lines.push(argv(&[b"GET", b"m"]));
        lines.push(argv(&[b"PFMERGE", b"c", b"m"]));
        lines.push(argv(&[b"PFCOUNT", b"c"]));
        lines.push(argv(&[b"GET", b"c"]));
        let (n, diff) = first_difference(&mut conn, &mut ours, &lines);
        compared += n;
        if let Some(d) = diff {
            failures.push(format!("seed {seed}: {d}"));
        }
    }
    loud(&format!(
        "hyperloglog: {ROUNDS} random sets, {compared} replies compared, {} differing",
        failures.len()
    ));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn pfselftest_passes_and_a_corrupt_hll_is_an_error_not_a_panic() {
    let mut w = World::with_seed(0.0, 1);
    assert_eq!(w.exec("PFSELFTEST"), "OK");
    w.exec(r#"SET h "HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\xff\xff\xff""#);
    assert_eq!(
        w.exec("PFCOUNT h"),
        "(error) INVALIDOBJ Corrupted HLL object detected"
    );
    for line in [
        "PFADD h a b c",
        "PFMERGE x h",
        "PFDEBUG GETREG h",
        "PFCOUNT h x",
    ] {
        assert!(w.exec(line).starts_with("(error) INVALIDOBJ"), "{line}");
    }
}
