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
}
