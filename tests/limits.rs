//! What a page can hold: answers, exports and memory have limits, and reaching one gives
//! an answer saying so, never a crash (a panic in the wasm engine ends the learner's tab).
//!
//! One test function, so nothing else in this process allocates while it measures.

mod common;

use common::T0;
use redis_playground::{memory, World};

#[test]
fn big_answers_exports_and_memory_are_bounded() {
    let mut w = World::with_seed(T0, 1);

    // A repeat count that would print more than a page holds stops, and says so.
    let out = w.exec("4000 COMMAND");
    assert!(out.len() < 20 << 20, "{} bytes", out.len());
    assert!(
        out.contains("[Redis Playground: stopped after"),
        "{}",
        &out[out.len() - 300..]
    );

    // A 512 MB string prints as 2 GB of escapes: the answer is cut, with a note.
    assert_eq!(w.exec("SETRANGE big 536870911 x"), "(integer) 536870912");
    let out = w.exec("GET big");
    assert!(out.len() < 17 << 20, "{} bytes", out.len());
    assert!(out.starts_with("\"\\x00\\x00"));
    assert!(out.ends_with("a console shows at most 16 MiB of one answer]"));
    assert_eq!(w.exec("STRLEN big"), "(integer) 536870912");

    // Too big to save or export from a page: an error saying why, not a crash.
    let err = w.snapshot(T0).unwrap_err();
    assert!(err.to_string().contains("too big to save"), "{err}");
    assert!(w.export_script(T0).is_err());
    assert!(w.export_resp(T0).is_err());
    let reload = w.exec("DEBUG RELOAD");
    assert!(
        reload.starts_with("(error) ERR Error trying to save the DB: "),
        "{reload}"
    );
    assert_eq!(
        w.exec("STRLEN big"),
        "(integer) 536870912",
        "nothing was lost"
    );

    // Past the engine's memory limit, writes that grow the dataset get Redis's OOM error;
    // reads and deletions go on, and freeing memory makes room again.
    let mut refused = None;
    for i in 0..8 {
        let out = w.exec(&format!("SETRANGE more:{i} 268435455 x"));
        if out.starts_with("(error)") {
            refused = Some(out);
            break;
        }
    }
    assert_eq!(
        refused.as_deref(),
        Some("(error) OOM command not allowed when used memory > 'maxmemory'."),
        "used {} of {}",
        memory::used(),
        memory::LIMIT
    );
    assert_eq!(
        w.exec("SET small v"),
        "(error) OOM command not allowed when used memory > 'maxmemory'."
    );
    assert_eq!(w.exec("STRLEN big"), "(integer) 536870912", "reads go on");
    assert_eq!(w.exec("MULTI"), "OK");
    assert_eq!(
        w.exec("GET big"),
        "(error) OOM command not allowed when used memory > 'maxmemory'.",
        "queueing is refused too"
    );
    assert_eq!(
        w.exec("EXEC"),
        "(error) EXECABORT Transaction discarded because of previous errors."
    );
    assert_eq!(w.exec("FLUSHALL"), "OK", "deleting is allowed");
    assert!(memory::has_room_for(0));
    assert_eq!(w.exec("SET small v"), "OK");
    assert!(w.snapshot(T0).is_ok());

    // A lowered ceiling (what the page sets while a shared link runs) bounds what a command
    // can build: SORT's GET patterns double a list each time until the OOM error, and a
    // list grown by pushes stops the same way; nothing panics, and reads go on.
    let before = memory::used();
    w.set_memory_limit(Some(before + (32 << 20)));
    assert_eq!(w.exec("RPUSH l 1"), "(integer) 1");
    let out = w.exec("100 SORT l BY nosort GET # GET # STORE l");
    assert!(
        out.contains("(error) OOM command not allowed when used memory > 'maxmemory'."),
        "{}",
        &out[..out.len().min(400)]
    );
    let len: u64 = w.exec("LLEN l")[10..].parse().unwrap();
    assert!(len.is_power_of_two() && len < 1 << 22, "LLEN {len}");
    assert!(
        memory::used() < before + (64 << 20),
        "used {}",
        memory::used() - before
    );
    let mut pushed = 0;
    let out = loop {
        let out = w.exec("RPUSH p 0123456789 0123456789 0123456789 0123456789");
        if out.starts_with("(error)") || pushed > 1 << 20 {
            break out;
        }
        pushed += 1;
    };
    assert_eq!(
        out,
        "(error) OOM command not allowed when used memory > 'maxmemory'."
    );
    assert_eq!(w.exec("LINDEX p 0"), "\"0123456789\"");
    // One SORT that would multiply past any ceiling is refused before it builds anything.
    assert_eq!(w.exec("DEL p"), "(integer) 1");
    let gets = " GET #".repeat(2000);
    assert_eq!(
        w.exec(&format!("SORT l BY nosort{gets}")),
        "(error) OOM command not allowed when used memory > 'maxmemory'."
    );
    // A script that allocates without bound stops at the ceiling with Lua's own error,
    // which pcall can't catch, and what it built goes with it.
    assert_eq!(w.exec("DEL l"), "(integer) 1");
    let mut out = w.exec(
        r#"EVAL "local t = {} local i = 0 while true do i = i + 1 t[i] = string.rep('x', 100) .. i end" 0"#,
    );
    for _ in 0..10_000 {
        if !out.is_empty() {
            break;
        }
        w.advance(T0, 1.0);
        out = w.first_console().take_messages();
    }
    assert!(
        out.starts_with("(error) ERR Error running script ")
            && out.ends_with(", not enough memory"),
        "{out}"
    );
    assert!(memory::has_room_for(1 << 20));
    w.set_memory_limit(None);
    assert_eq!(memory::limit(), memory::LIMIT);
    assert_eq!(w.exec("FLUSHALL"), "OK");

    // 100,000 connections opened and closed (a day of Start/Reset, imports and Ctrl+C), each
    // watching a key, subscribed, or blocked: closed clients are freed with everything that
    // pointed at them, so memory and the work of a write stay as they were.
    assert_eq!(w.exec("SET k 1"), "OK");
    let before = memory::used();
    for i in 0..100_000 {
        let id = w.open_console(T0);
        let mut c = w.console(id).unwrap();
        match i % 3 {
            0 => assert_eq!(c.exec("WATCH k"), "OK"),
            1 => assert!(c.exec("SUBSCRIBE ch").contains("subscribe")),
            _ => assert_eq!(c.exec("BLPOP q 0"), ""),
        }
        assert!(w.close_console(id));
        w.consoles_with_news(); // as the page and the bridge do
    }
    let grew = memory::used().saturating_sub(before);
    assert!(
        grew < 64 << 10,
        "100,000 closed connections left {grew} bytes behind"
    );
    let info = w.exec("INFO clients");
    let lines: Vec<&str> = info.lines().collect();
    assert!(lines.contains(&"connected_clients:1"), "{info}");
    assert!(lines.contains(&"blocked_clients:0"), "{info}");
    assert!(lines.contains(&"clients_in_timeout_table:0"), "{info}");
    assert_eq!(w.exec("PUBSUB NUMSUB ch"), "1) \"ch\"\n2) (integer) 0");
    assert_eq!(w.exec("SET k 2"), "OK");
}
