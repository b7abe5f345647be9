//! A tiny line-by-line driver: reads console lines on stdin and prints what the engine
//! answers, like `redis-cli --no-raw` reading from a pipe. Handy for comparing by hand:
//! `printf 'SET a 1\nGET a\n' | cargo run -q --example cli`
//!
//! With `--transcript` the world clock stands still unless a line `@advance <ms>` moves
//! it, `@console <n>` switches (opening) consoles, and the output is a transcript in the
//! format of `tests/scripts/*.txt` (`> command`, then its reply), to be read and checked
//! by hand before it becomes a test.
use std::io::BufRead;
use std::time::{SystemTime, UNIX_EPOCH};

fn wall() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or(0.0)
}

/// The tests' fixed wall time and seed (tests/common: T0, 42).
const T0: f64 = 1_700_000_000_000.0;

fn main() {
    let transcript = std::env::args().any(|a| a == "--transcript");
    let mut s = if transcript {
        redis_playground::World::with_seed(T0, 42)
    } else {
        redis_playground::World::new(wall())
    };
    let mut console = s.console_ids()[0];
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        if !transcript {
            s.sync(wall());
            let out = s.exec(&line);
            if !out.is_empty() {
                println!("{out}");
            }
            continue;
        }
        if let Some(ms) = line.strip_prefix("@advance ") {
            s.advance(T0, ms.trim().parse().unwrap_or(0.0));
            println!("{line}");
            continue;
        }
        if let Some(n) = line.strip_prefix("@console ") {
            let n: usize = n.trim().parse().unwrap_or(0);
            while s.console_ids().len() <= n {
                s.open_console(T0);
            }
            console = n;
            println!("{line}");
            continue;
        }
        if line == "@messages" {
            let out = s
                .console(console)
                .map(|mut c| c.take_messages())
                .unwrap_or_default();
            println!("{line}");
            if !out.is_empty() {
                println!("{out}");
            }
            continue;
        }
        if line.trim().is_empty() || line.starts_with('#') {
            println!("{line}");
            continue;
        }
        let out = s
            .console(console)
            .map(|mut c| c.exec(&line))
            .unwrap_or_default();
        println!("> {line}");
        if !out.is_empty() {
            println!("{out}");
        }
    }
}
