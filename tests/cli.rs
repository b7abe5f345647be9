//! redis-cli's side: splitting, quoting, repeat counts, HELP, binary-safe output.

mod common;
use common::check;

#[test]
fn quoting_and_escapes_follow_redis_cli() {
    check(
        r#"
> SET k "Hello, World!"
OK
> GET k
"Hello, World!"
> SET k 'single \'quoted\''
OK
> GET k
"single 'quoted'"
> SET k "tab\there\nnew \"q\" \x41\x00\xff"
OK
> GET k
"tab\there\nnew \"q\" A\x00\xff"
> SET k "unbalanced
Invalid argument(s)
> SET k "a"b
Invalid argument(s)
> SET k 'a'b
Invalid argument(s)
> SET k a"b c"
OK
> GET k
"ab c"
> SET "" empty-name
OK
> GET ""
"empty-name"
> SET k "日本"
OK
> GET k
"\xe6\x97\xa5\xe6\x9c\xac"
> STRLEN k
(integer) 6
"#,
    );
}

#[test]
fn a_leading_number_repeats_the_command() {
    check(
        r#"
> 3 INCR hits
(integer) 1
(integer) 2
(integer) 3
> 0 INCR hits
Invalid redis-cli repeat command option value.
> -1 INCR hits
Invalid redis-cli repeat command option value.
> 2 PING
PONG
PONG
> 3
(error) ERR unknown command '3', with args beginning with: 
"#,
    );
}

#[test]
fn blank_lines_print_nothing_and_values_are_never_interpreted() {
    check(
        r#"
> SET x "<img src=x onerror=alert(1)>"
OK
> GET x
"<img src=x onerror=alert(1)>"
"#,
    );
    let mut s = common::session();
    assert_eq!(s.exec(""), "");
    assert_eq!(s.exec("   \t "), "");
}

#[test]
fn help_prints_the_table_in_redis_cli_layout() {
    let mut s = common::session();
    let h = s.exec("help SET");
    assert!(
        h.starts_with("\r\n  \x1b[1mSET\x1b[0m \x1b[90mkey value [NX|XX] [GET]"),
        "{h:?}"
    );
    assert!(h.contains("\x1b[33mgroup:\x1b[0m string"));
    let g = s.exec("HELP @generic");
    for name in ["DEL", "EXPIRE", "SCAN", "OBJECT ENCODING", "TTL"] {
        assert!(
            g.contains(&format!("\x1b[1m{name}\x1b[0m")),
            "{name} missing from HELP @generic"
        );
    }
    assert!(s.exec("help").contains("help @<group>"));
    // Not in the table: whether Redis has it (redis-cli would show a 7.0 command's help).
    assert_eq!(
        s.exec("help nosuchcommand"),
        "Redis has no command NOSUCHCOMMAND."
    );
    assert_eq!(
        s.exec("help migrate"),
        "MIGRATE is a Redis 7.0 command (generic) that this playground doesn't run yet."
    );
}

#[test]
fn quit_does_not_end_the_playground() {
    let mut s = common::session();
    s.exec("SET a 1");
    assert_eq!(s.exec("quit"), "");
    assert_eq!(s.exec("GET a"), "\"1\"");
}
