//! Several consoles on one server: blocking commands served across clients, WATCH races,
//! MONITOR, pub/sub between consoles, CLIENT, RESET, and what a console prints when the
//! server closes its connection. Behaviour checked by hand against redis-server 7.0.15
//! with several redis-cli and raw connections; `differential_clients.rs` replays the
//! transaction cases against a real server.

mod common;

use common::{check, session, T0};
use redis_playground::session::{Mode, Slice};

#[test]
fn blpop_waits_until_another_console_pushes_then_prints_the_answer() {
    check(
        r#"
> BLPOP jobs 0
@prompt
127.0.0.1:6379> 
@messages
@console 1
> RPUSH jobs job:1
(integer) 1
> LLEN jobs
(integer) 0
@console 0
@messages
1) "jobs"
2) "job:1"
> LLEN jobs
(integer) 0
"#,
    );
}

#[test]
fn the_console_is_blocked_until_served_and_ready_afterwards() {
    let mut s = session();
    assert_eq!(s.exec("BRPOP q 0"), "");
    assert_eq!(s.first_console().mode(), Mode::Blocked);
    let other = s.open_console(T0);
    let mut o = s.console(other).unwrap();
    let info = o.exec("INFO clients");
    assert!(info.lines().any(|l| l == "blocked_clients:1"), "{info}");
    assert!(
        info.lines().any(|l| l == "clients_in_timeout_table:0"),
        "{info}"
    );
    o.exec("LPUSH q x");
    assert_eq!(s.first_console().take_messages(), "1) \"q\"\n2) \"x\"");
    assert_eq!(s.first_console().mode(), Mode::Ready);
    assert_eq!(s.first_console().take_messages(), "");
}

#[test]
fn the_first_client_to_block_is_served_first() {
    check(
        r#"
@console 0
> BLPOP q 0
@console 1
> BLPOP q 0
@console 2
> RPUSH q first second third
(integer) 3
> LRANGE q 0 -1
1) "third"
@console 1
@messages
1) "q"
2) "second"
@console 0
@messages
1) "q"
2) "first"
"#,
    );
}

#[test]
fn a_client_is_served_from_the_key_that_became_ready_first() {
    // BLPOP x y: y is created first inside the transaction, so it is served from y even
    // though x comes first in its own list of keys (Redis 7.0 serves by ready key).
    check(
        r#"
> BLPOP x y 0
@console 1
> MULTI
OK
> LPUSH y Y
QUEUED
> LPUSH x X
QUEUED
> EXEC
1) (integer) 1
2) (integer) 1
> LRANGE x 0 -1
1) "X"
> EXISTS y
(integer) 0
@console 0
@messages
1) "y"
2) "Y"
"#,
    );
}

#[test]
fn blmove_served_pushes_on_and_wakes_the_next_waiter() {
    check(
        r#"
> BLMOVE s1 s2 LEFT RIGHT 0
@console 1
> BLPOP s2 0
@console 2
> LPUSH s1 v
(integer) 1
> EXISTS s1 s2
(integer) 0
@console 0
@messages
"v"
@console 1
@messages
1) "s2"
2) "v"
"#,
    );
}

#[test]
fn a_blocking_command_times_out_on_the_world_clock_and_says_how_long_it_took() {
    check(
        r#"
> BLPOP t 1.5
@advance 1499
@messages
@advance 1
@messages
(nil)
(1.50s)
> BRPOPLPUSH t u 0.2
@advance 200
@messages
(nil)
> BZMPOP 0.1 1 z MIN
@advance 100
@messages
(nil)
"#,
    );
}

#[test]
fn a_fractional_timeout_rounds_up_to_whole_milliseconds_rather_than_blocking_forever() {
    // Redis 7.0 computes (long long)ceill(timeout * 1000): 0.001 s and 0.0001 s are 1 ms.
    check(
        r#"
> BLPOP k 0.001
@advance 1
@messages
(nil)
> BLPOP k 0.0001
@advance 1
@messages
(nil)
> BZPOPMIN z 1.0005
@advance 1000
@messages
@advance 1
@messages
(nil)
(1.00s)
"#,
    );
}

#[test]
fn sorted_set_waiters_are_woken_by_zadd_and_served_by_score() {
    check(
        r#"
> BZPOPMIN board 0
@console 1
> BZMPOP 0 1 board MAX COUNT 2
@console 2
> ZADD board 3 c 1 a 2 b 4 d
(integer) 4
> ZRANGE board 0 -1 WITHSCORES
1) "b"
2) "2"
@console 0
@messages
1) "board"
2) "a"
3) "1"
@console 1
@messages
1) "board"
2) 1) 1) "d"
      2) "4"
   2) 1) "c"
      2) "3"
"#,
    );
}

#[test]
fn a_key_of_another_type_does_not_wake_a_list_waiter() {
    check(
        r#"
> BLPOP k 0
@console 1
> SET k str
OK
@console 0
@messages
@console 1
> DEL k
(integer) 1
> RPUSH k v
(integer) 1
@console 0
@messages
1) "k"
2) "v"
"#,
    );
}

#[test]
fn swapdb_wakes_clients_blocked_on_keys_it_brings_in() {
    check(
        r#"
> BLPOP k 0
@console 1
> SELECT 1
OK
> RPUSH k from-db1
(integer) 1
> SWAPDB 0 1
OK
@console 0
@messages
1) "k"
2) "from-db1"
"#,
    );
}

#[test]
fn blocking_commands_inside_multi_never_wait() {
    check(
        r#"
> MULTI
OK
> BLPOP nothing 0
QUEUED
> BLMOVE nothing other LEFT LEFT 0
QUEUED
> EXEC
1) (nil)
2) (nil)
"#,
    );
}

#[test]
fn ctrl_c_ends_the_wait_and_the_console_connects_again() {
    let mut s = session();
    s.exec("SELECT 3");
    let before = s.first_console().client_id();
    s.exec("BLPOP q 0");
    assert!(s.first_console().interrupt());
    assert_eq!(s.first_console().mode(), Mode::Ready);
    assert_ne!(s.first_console().client_id(), before);
    assert_eq!(s.first_console().prompt(), "127.0.0.1:6379[3]> ");
    // The abandoned wait takes nothing: the pushed value stays.
    s.exec("RPUSH q v");
    assert_eq!(s.exec("LRANGE q 0 -1"), "1) \"v\"");
    assert_eq!(s.first_console().take_messages(), "");
}

#[test]
fn a_new_line_typed_while_blocked_comes_after_an_implied_ctrl_c() {
    let mut s = session();
    s.exec("BLPOP q 0");
    assert_eq!(s.exec("PING"), "PONG");
    assert_eq!(s.first_console().mode(), Mode::Ready);
    s.exec("RPUSH q v");
    assert_eq!(s.exec("LLEN q"), "(integer) 1");
}

#[test]
fn a_repeat_count_goes_on_after_each_blocking_answer() {
    check(
        r#"
> 2 BLPOP q 0
@console 1
> RPUSH q a
(integer) 1
@console 0
@messages
1) "q"
2) "a"
@console 1
> RPUSH q b
(integer) 1
@console 0
@messages
1) "q"
2) "b"
@console 1
> RPUSH q c
(integer) 1
> LLEN q
(integer) 1
"#,
    );
}

#[test]
fn client_unblock_answers_as_a_timeout_or_as_an_error() {
    check(
        r#"
> CLIENT ID
(integer) 1
> BLPOP q 0
@console 1
> CLIENT UNBLOCK 1
(integer) 1
> CLIENT UNBLOCK 1
(integer) 0
@console 0
@messages
(nil)
> BLPOP q 0
@console 1
> CLIENT UNBLOCK 1 ERROR
(integer) 1
> CLIENT UNBLOCK 1 sometimes
(error) ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR
> CLIENT UNBLOCK one
(error) ERR value is not an integer or out of range
> CLIENT UNBLOCK 999
(integer) 0
@console 0
@messages
(error) UNBLOCKED client unblocked via CLIENT UNBLOCK
"#,
    );
}

#[test]
fn a_killed_blocked_console_says_the_server_closed_the_connection() {
    check(
        r#"
> SELECT 2
OK
> BLPOP q 0
@console 1
> CLIENT KILL ID 1
(integer) 1
@console 0
@messages
Error: Server closed the connection
@prompt
not connected> 
> PING
PONG
@prompt
127.0.0.1:6379[2]> 
> CLIENT ID
(integer) 3
"#,
    );
}

#[test]
fn a_killed_idle_console_loses_its_next_command_then_reconnects() {
    check(
        r#"
> SET k 1
OK
@console 1
> CLIENT KILL TYPE normal
(integer) 1
@console 0
> INCR k
Error: Server closed the connection
@prompt
not connected> 
> GET k
"1"
"#,
    );
}

#[test]
fn client_names_ids_and_the_client_list() {
    check(
        r#"
> CLIENT GETNAME
(nil)
> CLIENT SETNAME worker-1
OK
> CLIENT GETNAME
"worker-1"
> CLIENT SETNAME "two words"
(error) ERR Client names cannot contain spaces, newlines or special characters.
> CLIENT SETNAME ""
OK
> CLIENT GETNAME
(nil)
> CLIENT SETNAME w1
OK
> SELECT 4
OK
> CLIENT INFO
id=1 addr=127.0.0.1:47919 laddr=127.0.0.1:6379 fd=8 name=w1 age=0 idle=0 flags=N db=4 sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=22320 events=r cmd=client|info user=default redir=-1 resp=2
@console 1
> SUBSCRIBE news
Reading messages... (press Ctrl-C to quit)
1) "subscribe"
2) "news"
3) (integer) 1
@console 2
@advance 3000
> CLIENT LIST TYPE pubsub
id=2 addr=127.0.0.1:55838 laddr=127.0.0.1:6379 fd=9 name= age=3 idle=3 flags=P db=0 sub=1 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=22320 events=r cmd=subscribe user=default redir=-1 resp=2
> CLIENT LIST ID 3
id=3 addr=127.0.0.1:43757 laddr=127.0.0.1:6379 fd=10 name= age=3 idle=0 flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=22320 events=r cmd=client|list user=default redir=-1 resp=2
> CLIENT LIST ID 99
> CLIENT LIST TYPE robots
ERR Unknown client type 'robots'
> CLIENT LIST ID 1 x
ERR Invalid client ID
> CLIENT LIST TYPE
ERR syntax error
> CLIENT KILL 1.2.3.4:5
(error) ERR No such client
> CLIENT KILL ID abc
(error) ERR client-id should be greater than 0
> CLIENT KILL ID 99
(integer) 0
> CLIENT KILL foo bar
(error) ERR syntax error
> CLIENT KILL SKIPME maybe
(error) ERR syntax error
> CLIENT KILL USER nobody
(error) ERR No such user 'nobody'
> CLIENT KILL 127.0.0.1:55838
OK
> CLIENT LIST TYPE pubsub
> CLIENT NO-EVICT on
OK
> CLIENT NO-EVICT maybe
(error) ERR syntax error
> CLIENT FLY
(error) ERR unknown subcommand 'FLY'. Try CLIENT HELP.
"#,
    );
}

#[test]
fn monitor_shows_every_other_clients_commands_as_typed_after_they_run() {
    check(
        r#"
> MONITOR
OK
@console 1
> SET k v
OK
> SELECT 3
OK
> CONFIG GET hz
1) "hz"
2) "10"
> NOSUCH
(error) ERR unknown command 'NOSUCH', with args beginning with: 
> MULTI
OK
> INCR n
QUEUED
> EXEC
1) (integer) 1
> LPUSH n x
(error) WRONGTYPE Operation against a key holding the wrong kind of value
> BLPOP "a b" 0
@console 0
@messages
1700000000.000000 [0 127.0.0.1:55838] "SET" "k" "v"
1700000000.000000 [3 127.0.0.1:55838] "SELECT" "3"
1700000000.000000 [3 127.0.0.1:55838] "MULTI"
1700000000.000000 [3 127.0.0.1:55838] "INCR" "n"
1700000000.000000 [3 127.0.0.1:55838] "EXEC"
1700000000.000000 [3 127.0.0.1:55838] "LPUSH" "n" "x"
1700000000.000000 [3 127.0.0.1:55838] "BLPOP" "a b" "0"
"#,
    );
}

#[test]
fn ctrl_c_ends_monitor() {
    let mut s = session();
    assert_eq!(s.exec("MONITOR"), "OK");
    assert_eq!(s.first_console().mode(), Mode::Monitoring);
    assert!(s.first_console().interrupt());
    assert_eq!(s.first_console().mode(), Mode::Ready);
    s.exec("SET a 1");
    assert_eq!(s.first_console().take_messages(), "");
    assert!(!s.exec("CLIENT LIST").contains("flags=O"));
}

#[test]
fn monitor_cannot_run_inside_a_transaction() {
    check(
        r#"
> MULTI
OK
> MONITOR
QUEUED
> EXEC
1) (error) ERR MONITOR isn't allowed for DENY BLOCKING client
"#,
    );
}

#[test]
fn watch_fails_exec_when_another_console_writes_the_key() {
    check(
        r#"
> SET balance 100
OK
> WATCH balance
OK
@console 1
> INCRBY balance 5
(integer) 105
@console 0
> MULTI
OK
> DECRBY balance 10
QUEUED
> EXEC
(nil)
> GET balance
"105"
# WATCH again: nobody writes, EXEC runs.
> WATCH balance
OK
> MULTI
OK
> DECRBY balance 10
QUEUED
> EXEC
1) (integer) 95
"#,
    );
}

#[test]
fn watch_is_touched_by_flushdb_and_swapdb_only_when_the_key_exists() {
    check(
        r#"
> SET w 1
OK
> WATCH w
OK
@console 1
> FLUSHDB
OK
@console 0
> MULTI
OK
> PING
QUEUED
> EXEC
(nil)
# A missing watched key is untouched by FLUSHDB.
> WATCH w
OK
@console 1
> FLUSHDB
OK
@console 0
> MULTI
OK
> PING
QUEUED
> EXEC
1) PONG
# SWAPDB touches a watched key that exists on either side.
> WATCH w
OK
@console 1
> SELECT 1
OK
> SET w x
OK
> SWAPDB 0 1
OK
@console 0
> MULTI
OK
> PING
QUEUED
> EXEC
(nil)
"#,
    );
}

#[test]
fn a_watched_key_expiring_fails_exec_unless_it_had_expired_before_watch() {
    check(
        r#"
> SET w 1 PX 100
OK
> WATCH w
OK
@advance 200
> MULTI
OK
> PING
QUEUED
> EXEC
(nil)
# Already expired (not yet deleted) when watched: no change, EXEC runs.
> SET w 1 PX 100
OK
@advance 200
> WATCH w
OK
> MULTI
OK
> PING
QUEUED
> EXEC
1) PONG
# Expired when watched, then written by another client: EXEC fails.
> SET w 1 PX 100
OK
@advance 200
> WATCH w
OK
@console 1
> SET w 2
OK
@console 0
> MULTI
OK
> PING
QUEUED
> EXEC
(nil)
"#,
    );
}

#[test]
fn reset_ends_the_transaction_watches_subscriptions_and_name_and_selects_db_0() {
    check(
        r#"
> CLIENT SETNAME n
OK
> SELECT 2
OK
> WATCH w
OK
> MULTI
OK
> SET r 1
QUEUED
> RESET
RESET
@prompt
127.0.0.1:6379> 
> CLIENT GETNAME
(nil)
> EXISTS r
(integer) 0
> CLIENT INFO
id=1 addr=127.0.0.1:47919 laddr=127.0.0.1:6379 fd=8 name= age=0 idle=0 flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=22320 events=r cmd=client|info user=default redir=-1 resp=2
"#,
    );
}

#[test]
fn messages_published_in_one_console_arrive_in_the_subscribed_ones() {
    check(
        r#"
@console 1
> SUBSCRIBE chat
Reading messages... (press Ctrl-C to quit)
1) "subscribe"
2) "chat"
3) (integer) 1
@console 2
> PSUBSCRIBE ch*
Reading messages... (press Ctrl-C to quit)
1) "psubscribe"
2) "ch*"
3) (integer) 1
@console 0
> PUBSUB NUMSUB chat
1) "chat"
2) (integer) 1
> PUBSUB NUMPAT
(integer) 1
> PUBLISH chat hello
(integer) 2
@console 1
@messages
1) "message"
2) "chat"
3) "hello"
@console 2
@messages
1) "pmessage"
2) "ch*"
3) "chat"
4) "hello"
"#,
    );
}

#[test]
fn quit_through_the_api_closes_the_connection_and_the_next_command_reconnects() {
    let mut s = session();
    let args = |w: &[&str]| w.iter().map(|a| a.as_bytes().to_vec()).collect::<Vec<_>>();
    let first = s.first_console().client_id();
    assert_eq!(
        s.exec_args(&args(&["QUIT"])),
        redis_playground::Reply::Status("OK".into())
    );
    assert!(!s.server().is_connected(first));
    assert_eq!(
        s.exec_args(&args(&["PING"])),
        redis_playground::Reply::Status("PONG".into())
    );
    assert_ne!(s.first_console().client_id(), first);
}

#[test]
fn consoles_open_close_and_keep_their_own_db_and_transaction() {
    let mut s = session();
    let b = s.open_console(T0);
    assert_eq!(s.console_ids(), vec![0, b]);
    s.exec("SELECT 5");
    s.exec("MULTI");
    let mut other = s.console(b).unwrap();
    assert_eq!(other.prompt(), "127.0.0.1:6379> ");
    assert_eq!(other.exec("SET k v"), "OK");
    assert_eq!(s.first_console().prompt(), "127.0.0.1:6379[5](TX)> ");
    assert_eq!(s.exec("GET k"), "QUEUED");
    assert_eq!(s.exec("EXEC"), "1) (nil)");
    assert!(s.close_console(b));
    assert!(s.console(b).is_none());
    assert!(!s.close_console(0), "the last console stays open");
    assert_eq!(s.exec("CLIENT LIST").matches("id=").count(), 1);
}

#[test]
fn monitor_shows_the_retry_simulations_commands_too() {
    use redis_playground::retry::{Config, Simulation};
    let mut s = session();
    assert_eq!(s.exec("MONITOR"), "OK");
    let cfg = Config {
        operations: 3,
        ..Config::default()
    };
    let now = s.now_ms();
    let mut sim = Simulation::new(&cfg, s.server_mut(), now).expect("a valid config");
    sim.advance_to(s.server_mut(), now + 120_000);
    let lines = s.first_console().take_messages();
    // The seed's first step for a failed operation, in the polling strategy's db 10.
    assert!(
        lines
            .lines()
            .any(|l| l.contains(" [10 127.0.0.1:") && l.contains("\"SETEX\"")),
        "{lines}"
    );
    // The event listener's subscription and the queue's ZADD in dbs 11 and 12.
    assert!(lines.contains("\"SUBSCRIBE\""), "{lines}");
    assert!(lines.contains(" [12 127.0.0.1:"), "{lines}");
}

/// A slice of at most `n` runs (whatever the time).
fn runs(n: u64) -> Slice<'static> {
    Slice {
        max_runs: n,
        over: Box::leak(Box::new(|| false)),
    }
}

/// A slice ends when its time is up, after at least one run.
#[test]
fn a_slice_ends_when_its_time_is_up() {
    let mut s = session();
    let mut c = s.first_console();
    let mut asked = 0;
    let mut over = || {
        asked += 1;
        asked >= 5
    };
    let first = c.exec_sliced(
        "100 INCR k",
        Some(Slice {
            max_runs: u64::MAX,
            over: &mut over,
        }),
    );
    assert_eq!(first.replies.len(), 5);
    let mut never = || true;
    let more = c.run_more(Slice {
        max_runs: u64::MAX,
        over: &mut never,
    });
    assert_eq!(more.replies.len(), 1, "a slice runs at least once");
    assert_eq!(c.progress().unwrap().done, 6);
}

/// A repeat count run in slices prints, runs and counts exactly what it would all at once.
#[test]
fn a_repeat_count_runs_in_slices_as_it_would_at_once() {
    let mut whole = session();
    let expected = whole.first_console().exec_detailed("10 INCR k").text;

    let mut s = session();
    let mut c = s.first_console();
    let first = c.exec_sliced("10 INCR k", Some(runs(3)));
    assert_eq!(first.text, "(integer) 1\n(integer) 2\n(integer) 3");
    assert_eq!(first.replies.len(), 3);
    assert_eq!(c.mode(), Mode::Running);
    let p = c.progress().unwrap();
    assert_eq!((p.done, p.total), (3, 10));
    let mut text = first.text;
    while c.mode() == Mode::Running {
        let more = c.run_more(runs(3));
        assert!(more.replies.len() <= 3);
        text.push('\n');
        text.push_str(&more.text);
    }
    assert_eq!(text, expected);
    assert_eq!(c.progress(), None);
    assert_eq!(s.exec("GET k"), "\"10\"");
}

/// Ctrl-C on a running count stops it where it is, on the same connection; a new line on
/// a running console drops the rest the same way.
#[test]
fn a_running_count_stops_on_ctrl_c_or_a_new_line() {
    let mut s = session();
    let mut c = s.first_console();
    let id = c.client_id();
    c.exec_sliced("1000000 INCR k", Some(runs(100)));
    c.run_more(runs(50));
    assert!(c.interrupt());
    assert_eq!(c.mode(), Mode::Ready);
    assert_eq!(c.client_id(), id);
    assert!(!c.interrupt());
    assert_eq!(c.exec("GET k"), "\"150\"");

    c.exec_sliced("1000000 INCR k", Some(runs(10)));
    assert_eq!(c.exec_sliced("GET k", Some(runs(10))).text, "\"160\"");
    assert_eq!(c.mode(), Mode::Ready);
    assert_eq!(c.run_more(runs(10)).text, "");
    assert_eq!(c.exec("GET k"), "\"160\"");
    // Sliced, a count has redis-cli's range; all at once, at most 10,000 runs.
    c.exec_sliced("20000 INCR n", Some(runs(15000)));
    assert_eq!(c.progress().unwrap().total, 20000);
    c.interrupt();
    c.exec("20000 INCR m");
    assert_eq!(c.exec("GET m"), "\"10000\"");
}

/// The 16 MiB a line may print count over all its slices.
#[test]
fn the_print_limit_counts_a_whole_sliced_line() {
    let mut whole = session();
    whole.exec("SETRANGE big 1048575 x");
    let expected = whole.first_console().exec("100 STRLEN big"); // small: all run
    assert_eq!(expected.lines().count(), 100);
    let all = whole.first_console().exec("100 GET big");

    let mut s = session();
    s.exec("SETRANGE big 1048575 x");
    let mut c = s.first_console();
    let mut text = c.exec_sliced("100 GET big", Some(runs(2))).text;
    while c.mode() == Mode::Running {
        text.push('\n');
        text.push_str(&c.run_more(runs(2)).text);
    }
    assert_eq!(text.len(), all.len());
    assert_eq!(text, all);
    assert!(text.ends_with("a console shows at most 16 MiB of one line's answers]"));
}

/// The rest of a count after a blocked run's answer goes on in slices.
#[test]
fn the_rest_of_a_blocked_count_goes_on_in_slices() {
    let mut s = session();
    let mut c = s.first_console();
    c.exec_sliced("3 BLPOP l 0", Some(runs(1)));
    assert_eq!(c.mode(), Mode::Blocked);
    let other = s.open_console(T0);
    s.console(other).unwrap().exec("RPUSH l a b c");
    let mut c = s.first_console();
    assert_eq!(c.take_messages(), "1) \"l\"\n2) \"a\"");
    assert_eq!(c.mode(), Mode::Running);
    assert_eq!(c.run_more(runs(1)).text, "1) \"l\"\n2) \"b\"");
    assert_eq!(c.run_more(runs(1)).text, "1) \"l\"\n2) \"c\"");
    assert_eq!(c.mode(), Mode::Ready);
}

/// A connection killed between slices ends the line as redis-cli would.
#[test]
fn a_count_killed_between_slices_says_the_connection_closed() {
    let mut s = session();
    let mut c = s.first_console();
    let id = c.client_id();
    c.exec_sliced("100 PING", Some(runs(10)));
    let other = s.open_console(T0);
    s.console(other)
        .unwrap()
        .exec(&format!("CLIENT KILL ID {id}"));
    let mut c = s.first_console();
    assert_eq!(
        c.run_more(runs(10)).text,
        redis_playground::session::CONNECTION_CLOSED
    );
    assert_eq!(c.mode(), Mode::Ready);
    assert_eq!(c.prompt(), "not connected> ");
}

/// A count that enters reading messages (or MONITOR) also runs in slices, and the console
/// reads messages once it ends; Ctrl-C meanwhile ends both.
#[test]
fn a_sliced_count_that_subscribes_reads_messages_when_it_ends() {
    let mut s = session();
    let mut c = s.first_console();
    let first = c.exec_sliced("5 SUBSCRIBE a", Some(runs(2)));
    assert!(first
        .text
        .starts_with("Reading messages... (press Ctrl-C to quit)\n1) \"subscribe\""));
    assert_eq!(c.mode(), Mode::Running);
    c.run_more(runs(2));
    assert_eq!(c.mode(), Mode::Running);
    c.run_more(runs(2));
    assert_eq!(c.mode(), Mode::ReadingMessages);

    let id = c.client_id();
    c.exec_sliced("1000000 SUBSCRIBE b", Some(runs(2)));
    assert_eq!(c.mode(), Mode::Running);
    assert!(c.interrupt());
    assert_eq!(c.mode(), Mode::Ready);
    assert_ne!(c.client_id(), id, "the subscribed connection closed");
}

#[test]
fn maxmemory_clients_evicts_the_biggest_client_unless_it_set_no_evict() {
    common::check_file("client_eviction.txt");
}

#[test]
fn a_subscriber_that_does_not_read_its_messages_grows_and_is_evicted() {
    let mut w = session();
    let sub = w.open_console(T0);
    w.console(sub).unwrap().exec("SUBSCRIBE news");
    w.exec("CONFIG SET maxmemory-clients 128kb");
    let payload = "x".repeat(40_000);
    // Three unread messages: the subscriber holds about 120 KB of output (omem).
    for _ in 0..2 {
        assert_eq!(w.exec(&format!("PUBLISH news {payload}")), "(integer) 1");
    }
    assert!(
        w.exec("CLIENT LIST").contains("omem=80"),
        "{}",
        w.exec("CLIENT LIST")
    );
    assert_eq!(w.exec(&format!("PUBLISH news {payload}")), "(integer) 1");
    assert_eq!(w.exec("PUBSUB NUMSUB news"), "1) \"news\"\n2) (integer) 0");
    assert!(w.exec("INFO stats").contains("evicted_clients:1"));
}

#[test]
fn client_pause_holds_writes_or_everything_until_its_time_or_unpause() {
    common::check_file("client_pause.txt");
}

#[test]
fn tracking_tells_a_resp3_console_of_expiries_evictions_and_a_broken_redirect() {
    common::check_file("tracking.txt");
}
