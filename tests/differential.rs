//! Tier 2 — differential tests: every line of `tests/corpus/*.redis` goes to a real
//! `redis-server` (through one `redis-cli --no-raw` process per file, exactly as if typed
//! at its prompt) and to one `redis_playground::World`; the printed outputs must match.
//!
//! How lines are attributed on the redis-cli side without disturbing the server: after
//! every corpus line the harness sends redis-cli a *client-side* marker line,
//! `:set --8<--:FILE:LINE`. redis-cli handles `:set` itself (its preferences command) and
//! prints `unknown redis-cli preference '--8<--:FILE:LINE'` without sending anything to
//! the server, so the marker cannot be QUEUED inside MULTI, cannot abort a transaction,
//! and does not change the selected database or anything else the corpus is testing. The
//! text between consecutive markers is exactly what redis-cli printed for that one line.
//! The engine is given only the corpus lines (one `World::exec` per line), so its output
//! is already attributed; the two are compared line by line and every mismatch is
//! reported, not just the first.
//!
//! Corpus files: one command line per line, as typed at a redis-cli prompt. Blank lines
//! and lines whose first non-blank character is `#` are comments and are not sent.
//! Each file runs in a fresh redis-cli connection (db 0, no MULTI) against a freshly
//! FLUSHALLed server, and in a fresh `Session`.
//!
//! Environment:
//! - `REDIS_SERVER`, `REDIS_CLI` — explicit binaries (otherwise PATH, /usr/bin, …).
//! - `REDIS_DIFF_REQUIRED=1` — fail instead of skipping when redis-server is missing.
//! - `REDIS_DIFF_FILTER=strings,expire` — only corpus files whose name contains one of these.
//! - `REDIS_DIFF_DUMP=dir` — write each file's redis-cli and engine transcripts there.
//! - `REDIS_DIFF_PROTO=2|3` — only the RESP2 or only the RESP3 (`redis-cli -3`) pass.

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use redis_playground::World;

mod common;
use common::redis_server::{find_binary, loud, wall_ms, RedisServer};

const MARKER_PREFIX: &str = "--8<--";

/// A reply with what is the server's own masked: DEBUG OBJECT's address and LRU clock
/// (`Value at:0x… … lru:N lru_seconds_idle:N`) say where and when, not what.
fn server_own(reply: &str) -> String {
    if !reply.starts_with("Value at:0x") {
        return reply.to_string();
    }
    reply
        .split(' ')
        .map(|w| match w.split_once(':') {
            Some(("at" | "lru" | "lru_seconds_idle", _)) => "…",
            _ => w,
        })
        .collect::<Vec<_>>()
        .join(" ")
}
/// How long one corpus file may take in redis-cli before the harness gives up on it.
const CLI_TIMEOUT: Duration = Duration::from_secs(60);

// ---------------------------------------------------------------------------------------
// Corpus
// ---------------------------------------------------------------------------------------

struct CorpusLine {
    /// 1-based line number in the file.
    lineno: usize,
    text: String,
}

fn read_corpus(path: &Path) -> Vec<CorpusLine> {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    text.split('\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)))
        .filter(|(_, l)| {
            let t = l.trim_start();
            !t.is_empty() && !t.starts_with('#')
        })
        .map(|(lineno, l)| CorpusLine {
            lineno,
            text: l.to_string(),
        })
        .collect()
}

fn corpus_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "redis"))
        .collect();
    files.sort();
    if let Ok(filter) = std::env::var("REDIS_DIFF_FILTER") {
        let wanted: Vec<&str> = filter
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        files.retain(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            wanted.iter().any(|w| name.contains(w))
        });
    }
    files
}

fn marker_token(file: &str, lineno: usize) -> String {
    format!("{MARKER_PREFIX}:{file}:{lineno}")
}

/// What redis-cli prints for the marker line `:set TOKEN`.
fn marker_output(token: &str) -> String {
    format!("unknown redis-cli preference '{token}'")
}

// ---------------------------------------------------------------------------------------
// The two sides
// ---------------------------------------------------------------------------------------

/// Per corpus line, what redis-cli printed for it (None: redis-cli never got there —
/// it exited or timed out), plus anything it wrote to stderr.
struct CliRun {
    outputs: Vec<Option<String>>,
    stderr: String,
    trouble: Option<String>,
    transcript: String,
}

fn run_redis_cli(cli: &Path, port: u16, file: &str, lines: &[CorpusLine], proto: Proto) -> CliRun {
    let port_text = port.to_string();
    let mut input = String::new();
    for l in lines {
        input.push_str(&l.text);
        input.push('\n');
        input.push_str(":set ");
        input.push_str(&marker_token(file, l.lineno));
        input.push('\n');
    }
    let mut args = vec!["-h", "127.0.0.1", "-p", &port_text, "--no-raw"];
    if proto == Proto::Resp3 {
        args.push("-3");
    }
    let mut child = Command::new(cli)
        .args(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn redis-cli");
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes()); // EPIPE if redis-cli exits early: fine
    });
    let mut stdout = child.stdout.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let mut stderr = child.stderr.take().unwrap();
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stderr.read_to_end(&mut buf);
        buf
    });
    let deadline = Instant::now() + CLI_TIMEOUT;
    let mut trouble = None;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                if !status.success() {
                    trouble = Some(format!("redis-cli exited with {status}"));
                }
                break;
            }
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(10)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                trouble = Some(format!(
                    "redis-cli timed out after {CLI_TIMEOUT:?} and was killed"
                ));
                break;
            }
            Err(e) => panic!("waiting for redis-cli: {e}"),
        }
    }
    let _ = writer.join();
    let stdout = String::from_utf8_lossy(&out_reader.join().unwrap()).into_owned();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap()).into_owned();

    // Cut the transcript at the markers: the text before marker i is line i's output.
    let mut outputs = Vec::with_capacity(lines.len());
    let mut pos = 0;
    for l in lines {
        let want = format!("{}\n", marker_output(&marker_token(file, l.lineno)));
        let found = find_line(&stdout, pos, &want);
        match found {
            Some(at) => {
                let chunk = &stdout[pos..at];
                let chunk = chunk.strip_suffix('\n').unwrap_or(chunk);
                outputs.push(Some(without_elapsed_time(chunk).to_string()));
                pos = at + want.len();
            }
            None => outputs.push(None),
        }
    }
    if trouble.is_none() && pos > 0 && pos < stdout.len() {
        let rest: String = stdout[pos..].chars().take(300).collect();
        trouble = Some(format!(
            "redis-cli printed text after the last marker: {rest:?}"
        ));
    }
    CliRun {
        outputs,
        stderr,
        trouble,
        transcript: stdout,
    }
}

/// redis-cli follows a reply that took 500 ms or more with a line such as `(1.25s)`: how
/// long the server took on this machine, not what it answered. A large SETBIT that
/// allocates 512 MB crosses it on a slow CI runner and not on a fast one, so that line is
/// left out of the comparison.
fn without_elapsed_time(chunk: &str) -> &str {
    let (head, last) = match chunk.rfind('\n') {
        Some(i) => (&chunk[..i], &chunk[i + 1..]),
        None => ("", chunk),
    };
    let timing = last
        .strip_prefix('(')
        .and_then(|t| t.strip_suffix("s)"))
        .and_then(|t| t.split_once('.'))
        .is_some_and(|(whole, frac)| {
            !whole.is_empty()
                && whole.bytes().all(|b| b.is_ascii_digit())
                && frac.len() == 2
                && frac.bytes().all(|b| b.is_ascii_digit())
        });
    if timing && chunk.contains('\n') {
        head
    } else {
        chunk
    }
}

#[test]
fn redis_cli_timing_lines_are_not_compared() {
    assert_eq!(without_elapsed_time("(integer) 0\n(1.25s)"), "(integer) 0");
    assert_eq!(without_elapsed_time("(integer) 0\n(12.05s)"), "(integer) 0");
    assert_eq!(without_elapsed_time("(1.25s)"), "(1.25s)");
    assert_eq!(without_elapsed_time("\"a\"\n(1.2s)"), "\"a\"\n(1.2s)");
    assert_eq!(
        without_elapsed_time("1) \"x\"\n2) (1.25s)"),
        "1) \"x\"\n2) (1.25s)"
    );
}

/// The byte offset of `want` (which ends in '\n') at a line start at or after `from`.
fn find_line(hay: &str, from: usize, want: &str) -> Option<usize> {
    let mut start = from;
    while let Some(i) = hay[start..].find(want) {
        let at = start + i;
        if at == from || hay.as_bytes()[at - 1] == b'\n' {
            return Some(at);
        }
        start = at + 1;
    }
    None
}

/// The engine's output per line; a panic is reported as that line's output.
fn run_engine(lines: &[CorpusLine], proto: Proto) -> Vec<String> {
    let mut session = World::new(wall_ms());
    if proto == Proto::Resp3 {
        // What `redis-cli -3` sends as it connects.
        session.exec("HELLO 3");
    }
    let mut outputs = Vec::with_capacity(lines.len());
    for l in lines {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            session.sync(wall_ms());
            session.exec(&l.text)
        }));
        outputs.push(match result {
            Ok(out) => out,
            Err(e) => {
                let msg = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_else(|| "(non-string panic payload)".into());
                format!("<<engine panicked: {msg}>>")
            }
        });
    }
    outputs
}

// ---------------------------------------------------------------------------------------
// Reporting
// ---------------------------------------------------------------------------------------

/// Control characters (redis-cli's HELP colours, stray bytes) made visible.
fn visible(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\n' {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn indent_block(out: &mut String, label: &str, text: &str) {
    if text.is_empty() {
        let _ = writeln!(out, "    {label} (nothing printed)");
        return;
    }
    for (i, l) in visible(text).split('\n').enumerate() {
        let _ = writeln!(out, "    {} {}", if i == 0 { label } else { "      " }, l);
    }
}

/// Outputs up to this many lines are shown in full; longer ones as diff hunks.
const FULL_OUTPUT_LINES: usize = 12;
const CONTEXT_LINES: usize = 2;

#[derive(Clone, Copy, PartialEq)]
enum Op {
    Same,
    Redis,
    Ours,
}

/// A minimal line diff (longest common subsequence) of two outputs.
fn line_diff<'a>(exp: &[&'a str], act: &[&'a str]) -> Vec<(Op, &'a str)> {
    let (n, m) = (exp.len(), act.len());
    // lcs[i][j]: LCS length of exp[i..] and act[j..]
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if exp[i] == act[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut ops) = (0, 0, Vec::with_capacity(n + m));
    while i < n || j < m {
        if i < n && j < m && exp[i] == act[j] {
            ops.push((Op::Same, exp[i]));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            ops.push((Op::Ours, act[j]));
            j += 1;
        } else {
            ops.push((Op::Redis, exp[i]));
            i += 1;
        }
    }
    // Within a run of changes, show redis's lines before ours.
    let mut k = 0;
    while k < ops.len() {
        if ops[k].0 == Op::Same {
            k += 1;
            continue;
        }
        let end = ops[k..]
            .iter()
            .position(|o| o.0 == Op::Same)
            .map_or(ops.len(), |p| k + p);
        ops[k..end].sort_by_key(|o| o.0 == Op::Ours);
        k = end;
    }
    ops
}

/// A mismatch, readable: short outputs in full one above the other, long ones
/// (COMMAND INFO…) as diff hunks (`-` redis, `+` ours, ` ` both) with a little context.
fn describe(file: &str, line: &CorpusLine, expected: &str, actual: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{file}:{}: {}", line.lineno, visible(&line.text));
    let exp: Vec<&str> = expected.split('\n').collect();
    let act: Vec<&str> = actual.split('\n').collect();
    if exp.len().max(act.len()) <= FULL_OUTPUT_LINES {
        indent_block(&mut out, "redis:", expected);
        indent_block(&mut out, "ours: ", actual);
        return out;
    }
    let _ = writeln!(
        out,
        "    redis printed {} lines, ours {} (- redis only, + ours only):",
        exp.len(),
        act.len()
    );
    let ops = line_diff(&exp, &act);
    let near_change = |k: usize| {
        let lo = k.saturating_sub(CONTEXT_LINES);
        let hi = (k + CONTEXT_LINES + 1).min(ops.len());
        ops[lo..hi].iter().any(|o| o.0 != Op::Same)
    };
    let mut skipped = false;
    for (k, (op, l)) in ops.iter().enumerate() {
        if *op == Op::Same && !near_change(k) {
            skipped = true;
            continue;
        }
        if skipped {
            let _ = writeln!(out, "      …");
            skipped = false;
        }
        let sign = match op {
            Op::Same => ' ',
            Op::Redis => '-',
            Op::Ours => '+',
        };
        let _ = writeln!(out, "    {sign} {}", visible(l));
    }
    if skipped {
        let _ = writeln!(out, "      …");
    }
    out
}

// ---------------------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------------------

/// The protocol the corpus runs in: redis-cli as it starts, or `redis-cli -3` (HELLO 3).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Proto {
    Resp2,
    Resp3,
}

/// Every corpus line as redis-cli prints it, then the whole corpus again with every
/// connection speaking RESP3 (`redis-cli -3`): maps, sets, doubles, nulls and verbatim
/// strings as redis-cli prints them. One after the other: the engine's memory accounting
/// is one per process, and a corpus that fills it must not meet another running.
/// `REDIS_DIFF_PROTO=2` (or `3`) runs one of them.
#[test]
fn engine_prints_what_redis_cli_prints_for_every_corpus_line() {
    let only = std::env::var("REDIS_DIFF_PROTO").unwrap_or_default();
    if only != "3" {
        differential(Proto::Resp2);
    }
    if only != "2" {
        differential(Proto::Resp3);
    }
}

fn differential(proto: Proto) {
    let server_bin = find_binary("redis-server", "REDIS_SERVER");
    let cli_bin = find_binary("redis-cli", "REDIS_CLI");
    let (server_bin, cli_bin) = match (server_bin, cli_bin) {
        (Some(s), Some(c)) => (s, c),
        (s, _) => {
            let missing = if s.is_none() {
                "redis-server"
            } else {
                "redis-cli"
            };
            let msg = format!(
                "\n{bar}\nSKIPPED: {missing} not installed; the differential tier did not run\n\
                 (install it: apt-get install redis-server; or set REDIS_SERVER / REDIS_CLI)\n{bar}\n",
                bar = "!".repeat(78)
            );
            if std::env::var("REDIS_DIFF_REQUIRED").is_ok_and(|v| v == "1") {
                panic!("{msg}REDIS_DIFF_REQUIRED=1, so this is a failure");
            }
            loud(&msg);
            return;
        }
    };

    let version = Command::new(&server_bin)
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    loud(&format!(
        "differential: {} ({})",
        server_bin.display(),
        version
    ));
    if !version.contains("v=7.0.") {
        loud(&format!(
            "\n{bar}\nWARNING: the reference is Redis 7.0.x; this redis-server is not ({version}).\n\
             Differences below may be version differences.\n{bar}\n",
            bar = "!".repeat(78)
        ));
    }

    let server = RedisServer::start(&server_bin);
    let dump_dir = std::env::var_os("REDIS_DIFF_DUMP").map(PathBuf::from);
    if let Some(d) = &dump_dir {
        std::fs::create_dir_all(d).expect("create REDIS_DIFF_DUMP dir");
    }

    let files = corpus_files();
    assert!(
        !files.is_empty(),
        "no tests/corpus/*.redis files (or REDIS_DIFF_FILTER matched none)"
    );

    let mut mismatches: Vec<String> = Vec::new();
    let mut problems: Vec<String> = Vec::new();
    let (mut total_lines, mut total_bad) = (0, 0);

    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let lines = read_corpus(path);
        if lines.is_empty() {
            continue;
        }
        assert_eq!(
            server.command(&["FLUSHALL"]).expect("FLUSHALL the server"),
            "+OK",
            "FLUSHALL before {name}"
        );

        let cli = run_redis_cli(&cli_bin, server.port, &name, &lines, proto);
        let ours = run_engine(&lines, proto);

        if let Some(d) = &dump_dir {
            let _ = std::fs::write(d.join(format!("{name}.redis-cli.txt")), &cli.transcript);
            let mut t = String::new();
            for (l, o) in lines.iter().zip(&ours) {
                let _ = writeln!(t, "{}\n:set {}", o, marker_token(&name, l.lineno));
            }
            let _ = std::fs::write(d.join(format!("{name}.engine.txt")), t);
        }

        if let Some(t) = &cli.trouble {
            problems.push(format!("{name}: {t}"));
        }
        if !cli.stderr.trim().is_empty() {
            problems.push(format!(
                "{name}: redis-cli wrote to stderr:\n{}",
                cli.stderr.trim_end()
            ));
        }

        let mut bad = 0;
        let mut missing = 0;
        for ((line, expected), actual) in lines.iter().zip(&cli.outputs).zip(&ours) {
            match expected {
                None => missing += 1,
                Some(expected) if server_own(expected) != server_own(actual) => {
                    bad += 1;
                    mismatches.push(describe(&name, line, expected, actual));
                }
                Some(_) => {}
            }
        }
        if missing == lines.len() && !cli.transcript.is_empty() {
            problems.push(format!(
                "{name}: none of the `:set {MARKER_PREFIX}:…` marker lines came back as \
                 \"unknown redis-cli preference '…'\"; this redis-cli does not handle `:set` \
                 client-side, so lines cannot be attributed. Its output began:\n{}",
                cli.transcript
                    .lines()
                    .take(5)
                    .collect::<Vec<_>>()
                    .join("\n")
            ));
        } else if missing > 0 {
            problems.push(format!(
                "{name}: redis-cli printed nothing for the last {missing} line(s) \
                 (did a line make it exit, e.g. QUIT, or block?)"
            ));
        }
        total_lines += lines.len();
        total_bad += bad;
        loud(&format!(
            "differential {proto:?}: {name:<20} {:>4} lines compared, {:>3} mismatched",
            lines.len() - missing,
            bad
        ));
    }
    drop(server);

    loud(&format!(
        "differential: {} files, {total_lines} lines, {total_bad} mismatched",
        files.len()
    ));
    if !mismatches.is_empty() || !problems.is_empty() {
        let mut report = String::new();
        for p in &problems {
            let _ = writeln!(report, "PROBLEM: {p}\n");
        }
        for m in &mismatches {
            let _ = writeln!(report, "{m}");
        }
        panic!(
            "\n{proto:?}: {} of {total_lines} corpus lines print differently from redis-cli + redis-server:\n\n{report}",
            mismatches.len()
        );
    }
}
