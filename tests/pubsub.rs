//! Pub/sub between clients, keyspace notifications, and the console's "Reading
//! messages" mode; replies checked against what Redis 7.0.15 sends (recorded over RESP).

mod common;
use common::check;
use redis_playground::server::ClientId;
use redis_playground::session::Mode;
use redis_playground::{Reply, World};

fn b(s: &str) -> Vec<u8> {
    s.as_bytes().to_vec()
}

fn argv(line: &str) -> Vec<Vec<u8>> {
    redis_playground::cli::split_args(line.as_bytes()).unwrap()
}

/// A second client of the session's server (another connection).
fn other(s: &mut World) -> ClientId {
    s.server_mut().connect()
}

fn run(s: &mut World, client: ClientId, line: &str) -> Reply {
    let now = s.now_ms();
    s.server_mut().execute(client, &argv(line), now)
}

fn inbox(s: &mut World, client: ClientId) -> Vec<Vec<String>> {
    s.server_mut()
        .client_mut(client)
        .map(|c| c.take_inbox())
        .unwrap_or_default()
        .into_iter()
        .map(|r| match r {
            Reply::Array(items) => items
                .into_iter()
                .map(|i| match i {
                    Reply::Bulk(v) => String::from_utf8_lossy(&v).into_owned(),
                    other => format!("{other:?}"),
                })
                .collect(),
            other => vec![format!("{other:?}")],
        })
        .collect()
}

#[test]
fn publish_reaches_channel_and_pattern_subscribers_in_order() {
    let mut s = common::session();
    let sub = other(&mut s);
    let psub = other(&mut s);
    assert_eq!(
        run(&mut s, sub, "SUBSCRIBE news"),
        Reply::Multi(vec![Reply::Array(vec![
            Reply::Bulk(b("subscribe")),
            Reply::Bulk(b("news")),
            Reply::Int(1)
        ])])
    );
    run(&mut s, psub, "PSUBSCRIBE n*");
    assert_eq!(s.exec("PUBLISH news hello"), "(integer) 2");
    assert_eq!(s.exec("PUBLISH other x"), "(integer) 0");
    assert_eq!(inbox(&mut s, sub), vec![vec!["message", "news", "hello"]]);
    assert_eq!(
        inbox(&mut s, psub),
        vec![vec!["pmessage", "n*", "news", "hello"]]
    );
    assert_eq!(s.exec("PUBSUB CHANNELS"), "1) \"news\"");
    assert_eq!(s.exec("PUBSUB CHANNELS x*"), "(empty array)");
    assert_eq!(
        s.exec("PUBSUB NUMSUB news nothing"),
        "1) \"news\"\n2) (integer) 1\n3) \"nothing\"\n4) (integer) 0"
    );
    assert_eq!(s.exec("PUBSUB NUMPAT"), "(integer) 1");
}

#[test]
fn a_subscribed_client_may_only_run_pubsub_commands_ping_quit_and_reset() {
    let mut s = common::session();
    let c = other(&mut s);
    run(&mut s, c, "SUBSCRIBE a");
    let err = |cmd: &str| {
        Reply::Error(format!(
            "ERR Can't execute '{cmd}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"
        ))
    };
    assert_eq!(run(&mut s, c, "GET x"), err("get"));
    assert_eq!(run(&mut s, c, "MULTI"), err("multi"));
    assert_eq!(run(&mut s, c, "PUBSUB NUMSUB a"), err("pubsub|numsub"));
    assert_eq!(
        run(&mut s, c, "PING"),
        Reply::Array(vec![Reply::Bulk(b("pong")), Reply::Bulk(b(""))])
    );
    assert_eq!(
        run(&mut s, c, "PING m"),
        Reply::Array(vec![Reply::Bulk(b("pong")), Reply::Bulk(b("m"))])
    );
    let confirm = |kind: &str, name: &str, n: i64| {
        Reply::Array(vec![
            Reply::Bulk(b(kind)),
            Reply::Bulk(b(name)),
            Reply::Int(n),
        ])
    };
    assert_eq!(
        run(&mut s, c, "SUBSCRIBE a c"),
        Reply::Multi(vec![
            confirm("subscribe", "a", 1),
            confirm("subscribe", "c", 2)
        ])
    );
    assert_eq!(
        run(&mut s, c, "PSUBSCRIBE p*"),
        Reply::Multi(vec![confirm("psubscribe", "p*", 3)])
    );
    assert_eq!(
        run(&mut s, c, "UNSUBSCRIBE"),
        Reply::Multi(vec![
            confirm("unsubscribe", "a", 2),
            confirm("unsubscribe", "c", 1)
        ])
    );
    assert_eq!(
        run(&mut s, c, "PUNSUBSCRIBE"),
        Reply::Multi(vec![confirm("punsubscribe", "p*", 0)])
    );
    assert_eq!(run(&mut s, c, "GET x"), Reply::Nil);
    assert_eq!(
        run(&mut s, c, "UNSUBSCRIBE zz"),
        Reply::Multi(vec![confirm("unsubscribe", "zz", 0)])
    );
    assert_eq!(
        run(&mut s, c, "UNSUBSCRIBE"),
        Reply::Multi(vec![Reply::Array(vec![
            Reply::Bulk(b("unsubscribe")),
            Reply::Nil,
            Reply::Int(0)
        ])])
    );
}

#[test]
fn the_console_reads_messages_after_subscribe_until_ctrl_c() {
    let mut s = common::session();
    s.exec("SELECT 3");
    let out = s.exec("SUBSCRIBE a b");
    assert_eq!(
        out,
        "Reading messages... (press Ctrl-C to quit)\n1) \"subscribe\"\n2) \"a\"\n3) (integer) 1\n1) \"subscribe\"\n2) \"b\"\n3) (integer) 2"
    );
    assert_eq!(s.first_console().mode(), Mode::ReadingMessages);
    let publisher = other(&mut s);
    run(&mut s, publisher, "PUBLISH a hello");
    run(&mut s, publisher, "PUBLISH b \"x y\"");
    assert_eq!(
        s.first_console().take_messages(),
        "1) \"message\"\n2) \"a\"\n3) \"hello\"\n1) \"message\"\n2) \"b\"\n3) \"x y\""
    );
    assert_eq!(s.first_console().take_messages(), "");
    // Ctrl-C closes the connection: the subscriptions end; the next command runs on a new
    // connection in the db the prompt shows.
    assert!(s.first_console().interrupt());
    assert_eq!(s.first_console().mode(), Mode::Ready);
    assert_eq!(run(&mut s, publisher, "PUBLISH a again"), Reply::Int(0));
    s.exec("SET here 1");
    assert_eq!(s.exec("SELECT 3"), "OK");
    assert_eq!(s.exec("GET here"), "\"1\"");
    assert!(!s.first_console().interrupt());
}

#[test]
fn keyspace_notifications_follow_notify_keyspace_events() {
    let mut s = common::session();
    let w = other(&mut s);
    run(&mut s, w, "PSUBSCRIBE __key*__:*");
    s.exec("SET quiet 1");
    assert!(
        inbox(&mut s, w).is_empty(),
        "no events while notify-keyspace-events is empty"
    );
    assert_eq!(s.exec("CONFIG SET notify-keyspace-events KEA"), "OK");
    s.exec("SET k v EX 100");
    s.exec("RPUSH l a");
    s.exec("DEL l");
    let got = inbox(&mut s, w);
    let events: Vec<(String, String)> = got.iter().map(|m| (m[2].clone(), m[3].clone())).collect();
    assert_eq!(
        events,
        vec![
            ("__keyspace@0__:k".into(), "set".into()),
            ("__keyevent@0__:set".into(), "k".into()),
            ("__keyspace@0__:k".into(), "expire".into()),
            ("__keyevent@0__:expire".into(), "k".into()),
            ("__keyspace@0__:l".into(), "rpush".into()),
            ("__keyevent@0__:rpush".into(), "l".into()),
            ("__keyspace@0__:l".into(), "del".into()),
            ("__keyevent@0__:del".into(), "l".into()),
        ]
    );
    // Only some classes: expired events as key-events.
    s.exec("CONFIG SET notify-keyspace-events Ex");
    s.exec("SET t v PX 100");
    s.exec("SET other v");
    assert!(inbox(&mut s, w).is_empty());
    s.advance(common::T0, 101.0);
    assert_eq!(s.exec("GET t"), "(nil)");
    assert_eq!(
        inbox(&mut s, w),
        vec![vec![
            "pmessage",
            "__key*__:*",
            "__keyevent@0__:expired",
            "t"
        ]]
    );
}

#[test]
fn expired_fires_when_the_active_cycle_deletes_the_key() {
    let mut s = common::session();
    let w = other(&mut s);
    run(&mut s, w, "SUBSCRIBE __keyevent@0__:expired");
    s.exec("CONFIG SET notify-keyspace-events Ex");
    s.exec("SET job:1 pending PX 250");
    for _ in 0..10 {
        s.advance(common::T0, 100.0);
    }
    assert_eq!(
        inbox(&mut s, w),
        vec![vec!["message", "__keyevent@0__:expired", "job:1"]]
    );
    assert!(s.exec("INFO stats").contains("expired_keys:1\r\n"));
}

#[test]
fn new_and_keymiss_events_come_only_when_asked_for() {
    let mut s = common::session();
    let w = other(&mut s);
    run(&mut s, w, "PSUBSCRIBE __keyevent@0__:*");
    s.exec("CONFIG SET notify-keyspace-events En$m");
    s.exec("SET a 1");
    s.exec("SET a 2");
    s.exec("GET nothing");
    let got: Vec<(String, String)> = inbox(&mut s, w)
        .into_iter()
        .map(|m| (m[2].clone(), m[3].clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("__keyevent@0__:new".into(), "a".into()),
            ("__keyevent@0__:set".into(), "a".into()),
            ("__keyevent@0__:set".into(), "a".into()),
            ("__keyevent@0__:keymiss".into(), "nothing".into()),
        ]
    );
}

#[test]
fn config_reads_and_changes_parameters_like_redis() {
    check(
        r#"
> CONFIG GET notify-keyspace-events
1) "notify-keyspace-events"
2) ""
> CONFIG SET notify-keyspace-events KEA
OK
> CONFIG GET notify-keyspace-events
1) "notify-keyspace-events"
2) "AKE"
> CONFIG SET notify-keyspace-events xyz
(error) ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - Invalid event class character. Use 'Ag$lshzxeKEtmdn'.
> CONFIG SET hz 0
OK
> CONFIG GET hz
1) "hz"
2) "1"
> CONFIG SET hz 1000
OK
> CONFIG GET hz
1) "hz"
2) "500"
> CONFIG SET hz abc
(error) ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer
> CONFIG SET hz 10 hz 20
(error) ERR CONFIG SET failed (possibly related to argument 'hz') - duplicate parameter
> CONFIG SET hz 10 notify-keyspace-events
(error) ERR syntax error
> CONFIG SET foo bar
(error) ERR Unknown option or number of arguments for CONFIG SET - 'foo'
> CONFIG GET foo
(empty array)
> CONFIG GET
(error) ERR wrong number of arguments for 'config|get' command
> CONFIG REWRITE
(error) ERR The server is running without a config file
> CONFIG RESETSTAT
OK
"#,
    );
}

#[test]
fn a_side_connection_publishes_to_the_subscribed_console_without_touching_it() {
    let mut s = common::session();
    s.exec("SELECT 2");
    s.exec("SUBSCRIBE news");
    assert_eq!(s.side_exec("PUBLISH news hello"), "(integer) 1");
    assert_eq!(
        s.first_console().take_messages(),
        "1) \"message\"\n2) \"news\"\n3) \"hello\""
    );
    // The side connection has its own db (0) and doesn't change the console's prompt.
    assert_eq!(s.side_exec("SET k v"), "OK");
    assert_eq!(s.first_console().prompt(), "127.0.0.1:6379[2]> ");
    s.first_console().interrupt();
    assert_eq!(s.exec("EXISTS k"), "(integer) 0");
    assert_eq!(s.exec("SELECT 0"), "OK");
    assert_eq!(s.exec("GET k"), "\"v\"");
}
