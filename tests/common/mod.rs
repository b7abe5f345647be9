//! Table-driven engine tests: a script of `> command` lines, each followed by the exact
//! text `redis-cli --no-raw` prints for it. `@advance <ms>` moves the virtual clock (and
//! runs the active expiry cycle); `#` lines are comments. Time never passes otherwise.
//!
//! Several consoles: `@console <n>` makes console n current (opening consoles up to it);
//! `@messages` is followed by what that console prints meanwhile (pushed messages, MONITOR
//! lines, a blocked command's answer: `ConsoleMut::take_messages`); `@prompt` by its prompt.

#![allow(dead_code)]

pub mod redis_server;
pub mod retry;
pub mod words;

use redis_playground::World;

/// A fixed start time: 2023-11-14T22:13:20Z.
pub const T0: f64 = 1_700_000_000_000.0;

pub fn session() -> World {
    World::with_seed(T0, 42)
}

/// Run a script against a fresh session and assert every output.
pub fn check(script: &str) {
    let mut s = session();
    check_on(&mut s, script);
}

/// Run a script against a given world and assert every output.
pub fn check_on(s: &mut World, script: &str) {
    let mut failures = Vec::new();
    let mut current = s.console_ids()[0];
    let mut lines = script.lines().peekable();
    while let Some(line) = lines.next() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(ms) = line.strip_prefix("@advance ") {
            let ms: f64 = ms.trim().parse().expect("@advance takes milliseconds");
            // The wall clock stands still: only world time moves, and the timed work runs.
            s.advance(T0, ms);
            continue;
        }
        if let Some(n) = line.strip_prefix("@console ") {
            let n: usize = n.trim().parse().expect("@console takes a number");
            while s.console_ids().len() <= n {
                s.open_console(T0);
            }
            assert!(s.console(n).is_some(), "no console {n}");
            current = n;
            continue;
        }
        let directive = matches!(line, "@messages" | "@prompt");
        let cmd = match line.strip_prefix("> ") {
            Some(cmd) => cmd,
            None if directive => line,
            None => panic!("expected a `> command` line, got {line:?}"),
        };
        let mut want = Vec::new();
        while let Some(next) = lines.peek() {
            if next.starts_with("> ") || next.starts_with('@') {
                break;
            }
            let next = lines.next().unwrap_or_default();
            if next.starts_with('#') {
                continue;
            }
            want.push(next);
        }
        while want.last().is_some_and(|l| l.trim().is_empty()) {
            want.pop();
        }
        let want = want.join("\n");
        let Some(mut console) = s.console(current) else {
            panic!("console {current} is closed");
        };
        let got = match cmd {
            "@messages" => console.take_messages(),
            "@prompt" => console.prompt(),
            _ => console.exec(cmd),
        };
        if got != want {
            failures.push(format!("> {cmd}\n--- expected\n{want}\n--- got\n{got}\n"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Run a script file from tests/scripts/.
pub fn check_file(name: &str) {
    let path = format!("{}/tests/scripts/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    check(&text);
}
