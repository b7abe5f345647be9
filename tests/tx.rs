//! MULTI/EXEC/DISCARD/WATCH on one client, and the prompt's (TX) marker.

mod common;
use common::check;

#[test]
fn multi_queues_and_exec_runs_everything_at_once() {
    check(
        r#"
> MULTI
OK
> SET a 1
QUEUED
> INCR a
QUEUED
> GET a
QUEUED
> EXEC
1) OK
2) (integer) 2
3) "2"
> EXEC
(error) ERR EXEC without MULTI
> DISCARD
(error) ERR DISCARD without MULTI
"#,
    );
}

#[test]
fn errors_at_queue_time_abort_exec_but_runtime_errors_do_not() {
    check(
        r#"
> SET s text
OK
> MULTI
OK
> INCR s
QUEUED
> SET b 1
QUEUED
> EXEC
1) (error) ERR value is not an integer or out of range
2) OK
> MULTI
OK
> SET c 1
QUEUED
> NOSUCH x
(error) ERR unknown command 'NOSUCH', with args beginning with: 'x' 
> GET
(error) ERR wrong number of arguments for 'get' command
> MULTI
(error) ERR MULTI calls can not be nested
> EXEC
(error) EXECABORT Transaction discarded because of previous errors.
> EXISTS c
(integer) 0
"#,
    );
}

#[test]
fn discard_drops_the_queue() {
    check(
        r#"
> MULTI
OK
> SET a 1
QUEUED
> DISCARD
OK
> EXISTS a
(integer) 0
"#,
    );
}

#[test]
fn watch_fails_exec_when_a_watched_key_changes_or_expires() {
    check(
        r#"
> SET a 1
OK
> WATCH a
OK
> SET a 2
OK
> MULTI
OK
> SET a 3
QUEUED
> EXEC
(nil)
> GET a
"2"
> WATCH a
OK
> MULTI
OK
> SET a 4
QUEUED
> EXEC
1) OK
> WATCH a
OK
> UNWATCH
OK
> SET a 5
OK
> MULTI
OK
> GET a
QUEUED
> EXEC
1) "5"
> SET t v PX 100
OK
> WATCH t
OK
@advance 101
> MULTI
OK
> EXEC
(nil)
> WATCH a
OK
> MULTI
OK
> WATCH a
(error) ERR WATCH inside MULTI is not allowed
> DISCARD
OK
> SET a 6
OK
> MULTI
OK
> EXEC
(empty array)
"#,
    );
}

#[test]
fn flushdb_and_swapdb_touch_watched_keys_that_exist() {
    check(
        r#"
> SET a 1
OK
> WATCH a
OK
> FLUSHDB
OK
> MULTI
OK
> EXEC
(nil)
> WATCH nothere
OK
> FLUSHALL
OK
> MULTI
OK
> EXEC
(empty array)
"#,
    );
}

#[test]
fn the_prompt_shows_the_db_and_tx_like_redis_cli() {
    let mut s = common::session();
    assert_eq!(s.first_console().prompt(), "127.0.0.1:6379> ");
    s.exec("SELECT 2");
    assert_eq!(s.first_console().prompt(), "127.0.0.1:6379[2]> ");
    s.exec("MULTI");
    assert_eq!(s.first_console().prompt(), "127.0.0.1:6379[2](TX)> ");
    s.exec("SELECT 4");
    assert_eq!(s.first_console().prompt(), "127.0.0.1:6379[4](TX)> ");
    s.exec("EXEC");
    assert_eq!(s.first_console().prompt(), "127.0.0.1:6379[4]> ");
    s.exec("MULTI");
    s.exec("SELECT 9");
    s.exec("DISCARD");
    assert_eq!(s.first_console().prompt(), "127.0.0.1:6379[4]> ");
    s.exec("SELECT 99");
    assert_eq!(s.first_console().prompt(), "127.0.0.1:6379[4]> ");
}
