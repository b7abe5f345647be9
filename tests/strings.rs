//! Strings: every command, option and error, frozen from Redis 7.0.15 (tests/scripts/strings.txt)
//! plus the time-dependent behaviour on a virtual clock.

mod common;
use common::check;

#[test]
fn string_commands_answer_like_redis() {
    common::check_file("strings.txt");
}

/// A session whose db 0 holds a list at `list` (list commands arrive with the data-types
/// work; the keyspace already stores every type).
fn with_list() -> redis_playground::World {
    use redis_playground::types::Value;
    let mut s = common::session();
    let now = s.now_ms();
    let list = Value::List(Box::new(std::collections::VecDeque::from(vec![
        b"a".to_vec()
    ])));
    s.server_mut().db_mut(0).set(b"list", list, false, now);
    s.exec("SET key1 ohmytext");
    s
}

#[test]
fn string_commands_on_another_type_answer_wrongtype() {
    let mut s = with_list();
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/scripts/strings_wrongtype.txt"
    ))
    .unwrap();
    common::check_on(&mut s, &text);
}

#[test]
fn set_with_ex_px_exat_pxat_expires_on_the_virtual_clock() {
    // T0 is 1700000000000 ms.
    check(
        r#"
> SET a 1 EX 10
OK
> TTL a
(integer) 10
> PTTL a
(integer) 10000
> SET b 1 PX 1500
OK
> PTTL b
(integer) 1500
> TTL b
(integer) 2
> SET c 1 EXAT 1700000100
OK
> TTL c
(integer) 100
> EXPIRETIME c
(integer) 1700000100
> SET d 1 PXAT 1700000000500
OK
> PEXPIRETIME d
(integer) 1700000000500
@advance 500
# Redis deletes a key only once now is past its expiry time, not at it.
> GET d
"1"
@advance 1
> GET d
(nil)
> GET b
"1"
@advance 1000
> GET b
(nil)
> TTL a
(integer) 8
> PTTL a
(integer) 8499
@advance 8499
> TTL a
(integer) 0
> PTTL a
(integer) 0
@advance 1
> TTL a
(integer) -2
> GET a
(nil)
"#,
    );
}

#[test]
fn set_in_the_past_with_exat_leaves_no_key_behind() {
    check(
        r#"
> SET a 1 EXAT 1600000000
OK
> GET a
(nil)
> EXISTS a
(integer) 0
"#,
    );
}

#[test]
fn set_drops_the_ttl_unless_keepttl_and_counters_keep_it() {
    check(
        r#"
> SET a 1 EX 100
OK
> SET a 2
OK
> TTL a
(integer) -1
> SET a 3 EX 100
OK
> SET a 4 KEEPTTL
OK
> TTL a
(integer) 100
> INCR a
(integer) 5
> TTL a
(integer) 100
> INCRBYFLOAT a 0.5
"5.5"
> TTL a
(integer) 100
> APPEND a 0
(integer) 4
> SETRANGE a 0 9
(integer) 4
> TTL a
(integer) 100
> GETSET a x
"9.50"
> TTL a
(integer) -1
> SET b 1 EX 100
OK
> MSET b 2
OK
> TTL b
(integer) -1
"#,
    );
}

#[test]
fn setex_and_psetex_set_value_and_ttl_together() {
    check(
        r#"
> SETEX a 5 v
OK
> TTL a
(integer) 5
> PSETEX b 250 v
OK
> PTTL b
(integer) 250
@advance 251
> GET b
(nil)
> SETEX a 0 v
(error) ERR invalid expire time in 'setex' command
> PSETEX a -1 v
(error) ERR invalid expire time in 'psetex' command
"#,
    );
}

#[test]
fn getex_changes_or_removes_the_ttl() {
    check(
        r#"
> SET a hello
OK
> GETEX a
"hello"
> TTL a
(integer) -1
> GETEX a EX 100
"hello"
> TTL a
(integer) 100
> GETEX a PX 5000
"hello"
> PTTL a
(integer) 5000
> GETEX a EXAT 1700000200
"hello"
> TTL a
(integer) 200
> GETEX a PXAT 1700000300000
"hello"
> TTL a
(integer) 300
> GETEX a PERSIST
"hello"
> TTL a
(integer) -1
> GETEX a EX 10 PERSIST
(error) ERR syntax error
> GETEX a PERSIST EX 10
(error) ERR syntax error
> GETEX a KEEPTTL
(error) ERR syntax error
> GETEX a EX 0
(error) ERR invalid expire time in 'getex' command
> GETEX a EX
(error) ERR syntax error
> GETEX nokey EX 0
(nil)
> GETEX a EXAT 1600000000
"hello"
> EXISTS a
(integer) 0
"#,
    );
}

#[test]
fn incrbyfloat_computes_in_long_double_like_x86_redis() {
    check(
        r#"
> SET k 5.6
OK
> INCRBYFLOAT k 5.0e3
"5005.60000000000000009"
> SET k 0.1
OK
> INCRBYFLOAT k 0.2
"0.3"
> SET k 1
OK
> INCRBYFLOAT k -1
"0"
> INCRBYFLOAT k 1.7976931348623157e308
"179769313486231569995921046774104434048386446944329178485314420765176628523124396354701868608387085564428793419425520689308708363451136055357897278026477617073498977686288394835618163294045594434929537447290627480669417384648879122776218333598953852832103282504751611691208117720159985926376802466863339536384"
"#,
    );
}
