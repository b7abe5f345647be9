//! A tiny line-by-line driver: reads console lines on stdin and prints what the engine
//! answers, like `redis-cli --no-raw` reading from a pipe. Handy for comparing by hand:
//! `printf 'SET a 1\nGET a\n' | cargo run -q --example cli`
use std::io::BufRead;
use std::time::{SystemTime, UNIX_EPOCH};

fn wall() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or(0.0)
}

fn main() {
    let mut s = redis_playground::World::new(wall());
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        s.sync(wall());
        let out = s.exec(&line);
        if !out.is_empty() {
            println!("{out}");
        }
    }
}
