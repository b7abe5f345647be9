//! A script that allocates without bound stops with Lua's `not enough memory` once the
//! engine passes its memory ceiling, and pcall can't hold it back. (One test in its own
//! binary: the ceiling is the whole process's.)

mod common;
use common::session;

fn with_ceiling_above_now(bytes: usize, f: impl FnOnce()) {
    redis_playground::memory::set_limit(Some(redis_playground::memory::used() + bytes));
    f();
    redis_playground::memory::set_limit(None);
}

#[test]
fn a_script_that_allocates_without_bound_stops_with_not_enough_memory() {
    let mut w = session();
    with_ceiling_above_now(8 << 20, || {
        let out = w.exec(
            r##"EVAL "local t = {} local ok = pcall(function() while true do t[#t + 1] = string.rep('x', 1000) .. #t end end) return ok" 0"##,
        );
        // Lua doesn't call the error handler for a memory error: Redis answers such an
        // error (a string, not a table) as `Error running script <sha1>, <message>`.
        assert!(
            out.starts_with("(error) ERR Error running script ")
                && out.ends_with(", not enough memory"),
            "{out}"
        );
    });
    assert_eq!(w.exec("PING"), "PONG");
    with_ceiling_above_now(4 << 20, || {
        let out = w.exec(r##"FUNCTION LOAD "#!lua name=grow\nredis.register_function('grow', function() local s = {} for i = 1, 1e9 do s[i] = string.rep('y', 4096) end end)""##);
        assert_eq!(out, "\"grow\"");
        let out = w.exec("FCALL grow 0");
        assert!(out.contains("not enough memory"), "{out}");
    });
    assert_eq!(w.exec("PING"), "PONG");
}
