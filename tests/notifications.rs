//! Keyspace notifications against a real `redis-server`: the same commands run on both
//! with `notify-keyspace-events` set to everything (`KEA` plus new-key and key-miss
//! events), and the stream of events a `PSUBSCRIBE __key*__:*` client receives must be the
//! same event for event, in the same order.

use redis_playground::{Reply, World};

mod common;
use common::redis_server::{loud, reference_server, wall_ms, Conn};

/// Commands of every family, chosen so each emits its events (and a few emit none).
const SCRIPT: &[&str] = &[
    "SET s v",
    "SET s v2 EX 100",
    "SETEX s2 100 v",
    "SETNX s3 v",
    "SETNX s3 w",
    "GETSET s3 x",
    "MSET m1 a m2 b",
    "APPEND s4 abc",
    "SETRANGE s4 5 z",
    "SETBIT bm 7 1",
    "SETBIT bm 7 1",
    "SETBIT bm 7 0",
    "SETBIT bm 100 0",
    "BITOP OR bo bm s4",
    "BITOP AND bo nosuch",
    "BITOP AND bo nosuch",
    "BITFIELD bf SET u8 0 1 INCRBY u8 0 1",
    "BITFIELD bf SET u8 0 2",
    "BITFIELD bf GET u8 0",
    "BITFIELD bf OVERFLOW FAIL INCRBY u8 0 300",
    "PFADD hl a b c",
    "PFADD hl a",
    "PFADD hl",
    "PFADD hl2",
    "PFCOUNT hl",
    "PFCOUNT hl",
    "PFCOUNT hl hl2 nohll",
    "PFMERGE hl3 hl hl2",
    "PFMERGE hl3",
    "PFDEBUG TODENSE hl",
    "PFDEBUG GETREG hl2",
    "PFADD s4 x",
    "GEOADD geo 13.361389 38.115556 Palermo 15.087269 37.502669 Catania",
    "GEOADD geo 13.361389 38.115556 Palermo",
    "GEOADD geo XX 1 1 nobody",
    "GEORADIUS geo 15 37 200 km STORE geo2",
    "GEORADIUS geo 15 37 200 km STOREDIST geo3",
    "GEORADIUS geo 15 37 1 m STORE geo3",
    "GEOSEARCHSTORE geo4 geo FROMMEMBER Palermo BYRADIUS 500 km",
    "GEOSEARCHSTORE geo4 geo FROMLONLAT 0 0 BYRADIUS 1 m",
    "GEOSEARCHSTORE geo4 nogeo FROMLONLAT 0 0 BYRADIUS 1 m",
    "GEOSEARCH nogeo FROMLONLAT 0 0 BYRADIUS 1 m",
    "GEOPOS nogeo a",
    "GEODIST nogeo a b",
    "XADD xs 1-1 a 1",
    "XADD xs MAXLEN 1 2-1 a 1",
    "XADD xs NOMKSTREAM 3-1 a 1",
    "XADD xnone NOMKSTREAM 1-1 a 1",
    "XDEL xs 3-1",
    "XDEL xs 99-1",
    "XTRIM xs MAXLEN 0",
    "XTRIM xs MAXLEN 0",
    "XSETID xs 10-0",
    "XRANGE xs - +",
    "XLEN nostream",
    "XGROUP CREATE xg g $ MKSTREAM",
    "XGROUP CREATE xg g $",
    "XGROUP CREATECONSUMER xg g c1",
    "XGROUP CREATECONSUMER xg g c1",
    "XADD xg 1-1 a 1",
    "XREADGROUP GROUP g c2 STREAMS xg >",
    "XREADGROUP GROUP g c2 STREAMS xg 0",
    "XCLAIM xg g c3 0 1-1",
    "XAUTOCLAIM xg g c4 0 0",
    "XACK xg g 1-1",
    "XGROUP SETID xg g 0",
    "XGROUP DELCONSUMER xg g c1",
    "XGROUP DELCONSUMER xg g nobody",
    "XGROUP DESTROY xg g",
    "XGROUP DESTROY xg g",
    "XPENDING xg g",
    "XINFO STREAM nostream",
    "INCR n",
    "DECRBY n 3",
    "INCRBYFLOAT f 1.5",
    "GETEX s PERSIST",
    "GETEX s EX 50",
    "GETDEL s2",
    "GET missing",
    "EXPIRE s3 1000",
    "PERSIST s3",
    "EXPIRE s3 -1",
    "RENAME m1 m3",
    "COPY m3 m4",
    "MOVE m4 1",
    "DEL m2 m3 nothing",
    "RPUSH l a b c",
    "LPUSH l z",
    "LPOP l",
    "RPOP l 2",
    "LINSERT l BEFORE a q",
    "LSET l 0 w",
    "LREM l 0 w",
    "LTRIM l 0 0",
    "LMOVE l l2 LEFT RIGHT",
    "RPOPLPUSH l2 l3",
    "SADD st a b 1",
    "SREM st a",
    "SMOVE st st2 b",
    "SPOP st",
    "SINTERSTORE st3 st2 st2",
    "SUNIONSTORE st4 st2 st3",
    "SDIFFSTORE st5 st2 st2",
    "ZADD z 1 a 2 b 3 c",
    "ZINCRBY z 5 a",
    "ZREM z b",
    "ZPOPMIN z",
    "ZREMRANGEBYSCORE z 0 10",
    "ZADD z2 1 x 2 y",
    "ZUNIONSTORE z3 1 z2",
    "ZRANGESTORE z4 z2 0 0",
    "HSET h f v g w",
    "HSETNX h f x",
    "HINCRBY h n 2",
    "HINCRBYFLOAT h f2 1.5",
    "HDEL h f g n f2",
    "SORT l3 STORE sorted",
    "FLUSHDB",
];

/// The events a subscriber got: (channel, message) pairs.
fn events(replies: Vec<Reply>) -> Vec<(String, String)> {
    replies
        .into_iter()
        .filter_map(|r| match r {
            Reply::Array(items) if items.len() == 4 => {
                let t = |r: &Reply| match r {
                    Reply::Bulk(b) => String::from_utf8_lossy(b).into_owned(),
                    other => format!("{other:?}"),
                };
                Some((t(&items[2]), t(&items[3])))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn keyspace_events_come_in_redis_order() {
    let Some(server) = reference_server("the notifications differential test") else {
        return;
    };
    let mut cmd = Conn::open(server.port);
    let mut sub = Conn::open(server.port);
    let argv = |l: &str| redis_playground::cli::split_args(l.as_bytes()).unwrap();
    cmd.call(&argv("CONFIG SET notify-keyspace-events KEAnm"));
    sub.call(&argv("PSUBSCRIBE __key*__:*"));

    let mut ours = World::new(wall_ms());
    let watcher = ours.server_mut().connect();
    let now = ours.now_ms();
    ours.server_mut()
        .execute(watcher, &argv("PSUBSCRIBE __key*__:*"), now);
    ours.exec("CONFIG SET notify-keyspace-events KEAnm");

    let pong = Reply::Array(vec![Reply::Bulk(b"pong".to_vec()), Reply::Bulk(Vec::new())]);
    let mut mismatches = Vec::new();
    let mut compared = 0;
    for line in SCRIPT {
        cmd.call(&argv(line));
        // The events a command publishes are queued for the subscriber before it is
        // even asked for a PING, so everything before the pong belongs to this command.
        sub.send(&argv("PING"));
        let mut pushed = Vec::new();
        loop {
            let r = sub.read();
            if r == pong {
                break;
            }
            pushed.push(r);
        }
        let want = events(pushed);
        ours.sync(wall_ms());
        ours.exec(line);
        let got = events(
            ours.server_mut()
                .client_mut(watcher)
                .map(|c| c.take_inbox())
                .unwrap_or_default()
                .into_iter()
                .collect(),
        );
        compared += want.len();
        if want != got {
            mismatches.push(format!("> {line}\n    redis: {want:?}\n    ours:  {got:?}"));
        }
    }
    loud(&format!(
        "notifications: {} commands, {compared} events compared, {} commands differing",
        SCRIPT.len(),
        mismatches.len()
    ));
    assert!(
        mismatches.is_empty(),
        "events differ from Redis:\n{}",
        mismatches.join("\n")
    );
    drop(server);
}
