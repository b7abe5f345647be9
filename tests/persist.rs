//! Saving and loading the world (snapshots), SAVE/BGSAVE/LASTSAVE/DEBUG RELOAD, and the
//! export/import formats.

mod common;

use common::{check, session, T0};
use proptest::prelude::*;
use redis_playground::persist::{self, LoadError};
use redis_playground::reply::Reply;
use redis_playground::World;

/// A world with every type, TTLs, several dbs and binary data.
fn populated() -> World {
    let mut s = session();
    for line in [
        "SET greeting hello",
        "SET counter 42",
        "SET bin \"\\x00\\xff\\r\\n\"",
        "SET temp soon PX 5000",
        "RPUSH queue a b c",
        "SADD tags red green",
        "SADD ids 1 2 3",
        "ZADD board 1.5 ann -inf low 3 bob",
        "HSET user:1 name Ann age 30",
        "SELECT 7",
        "SET other db7 EX 3600",
    ] {
        s.exec(line);
    }
    s.exec("SELECT 0");
    s
}

/// Every key of every db, with its type, TTL in ms and value, as text.
fn world(s: &mut World) -> Vec<String> {
    let now = s.now_ms();
    let mut out = Vec::new();
    for db in 0..16 {
        let mut keys: Vec<_> = s
            .server_mut()
            .db_mut(db)
            .iter(now)
            .map(|e| (e.key().to_vec(), e.expire_at()))
            .collect();
        keys.sort();
        for (k, at) in keys {
            let key = String::from_utf8_lossy(&k).to_string();
            let side = s.side_exec(&format!("SELECT {db}"));
            assert_eq!(side, "OK");
            let ty = s.side_exec(&format!("TYPE \"{key}\""));
            let value = match ty.as_str() {
                "string" => s.side_exec(&format!("GET \"{key}\"")),
                "list" => s.side_exec(&format!("LRANGE \"{key}\" 0 -1")),
                "set" => s.side_exec(&format!("SORT \"{key}\" ALPHA")),
                "zset" => s.side_exec(&format!("ZRANGE \"{key}\" 0 -1 WITHSCORES")),
                _ => s.side_exec(&format!("HGETALL \"{key}\"")),
            };
            out.push(format!(
                "{db} {key:?} {ty} {:?} {value}",
                at.map(|t| t - now)
            ));
        }
    }
    out
}

#[test]
fn a_snapshot_restores_every_type_every_db_and_the_ttls() {
    let mut s = populated();
    let before = world(&mut s);
    let bytes = s.snapshot(T0).unwrap();
    let mut fresh = session();
    let stats = fresh.restore(&bytes, T0).expect("loads");
    assert_eq!(stats.keys, 10);
    assert_eq!(stats.expired, 0);
    assert_eq!(world(&mut fresh), before);
    assert_eq!(fresh.exec("OBJECT ENCODING ids"), "\"intset\"");
    assert_eq!(fresh.exec("OBJECT ENCODING counter"), "\"int\"");
}

#[test]
fn time_passes_at_1x_while_closed_and_expired_keys_are_not_loaded() {
    let mut s = populated();
    s.set_speed(T0, 600.0);
    let bytes = s.snapshot(T0).unwrap();
    let mut later = session();
    // Reopened 10 s of wall time later: temp (5 s) is gone, the others lost 10 s.
    let stats = later.restore(&bytes, T0 + 10_000.0).expect("loads");
    assert_eq!((stats.keys, stats.expired), (9, 1));
    assert_eq!(later.exec("EXISTS temp"), "(integer) 0");
    assert_eq!(later.exec("SELECT 7"), "OK");
    assert_eq!(later.exec("TTL other"), "(integer) 3590");
    assert_eq!(later.clock().speed(), 600.0);
}

#[test]
fn a_paused_world_comes_back_at_the_same_instant() {
    let mut s = populated();
    s.pause(T0);
    let bytes = s.snapshot(T0).unwrap();
    let mut later = session();
    later.restore(&bytes, T0 + 86_400_000.0).expect("loads");
    assert!(later.clock().is_paused());
    assert_eq!(later.exec("PTTL temp"), "(integer) 5000");
}

#[test]
fn bad_snapshots_are_refused_with_a_reason_and_change_nothing() {
    let good = populated().snapshot(T0).unwrap();
    let mut s = session();
    s.exec("SET mine stays");
    let mut refuse = |bytes: &[u8]| {
        let e = s.restore(bytes, T0).expect_err("refused");
        assert_eq!(s.exec("GET mine"), "\"stays\"");
        e
    };
    assert_eq!(refuse(b"{\"json\": true}"), LoadError::NotASnapshot);
    assert_eq!(refuse(b""), LoadError::NotASnapshot);
    let mut newer = good.clone();
    newer[8] = 9;
    assert_eq!(refuse(&newer), LoadError::Newer(9));
    assert_eq!(
        refuse(&newer).to_string(),
        "snapshot format 9 is newer than this page (3)"
    );
    for cut in 8..good.len() {
        let e = refuse(&good[..cut]);
        assert!(
            matches!(e, LoadError::Truncated | LoadError::Corrupted),
            "cut at {cut}: {e:?}"
        );
    }
    for i in 10..good.len() {
        let mut flipped = good.clone();
        flipped[i] ^= 0x20;
        assert!(refuse(&flipped) != LoadError::NotASnapshot, "byte {i}");
    }
    let mut tail = good.clone();
    let n = tail.len();
    tail[n - 1] ^= 1;
    assert_eq!(refuse(&tail), LoadError::Corrupted);
    assert_eq!(LoadError::Truncated.to_string(), "snapshot is truncated");
}

proptest! {
    #[test]
    fn random_bytes_never_panic_the_loader(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let mut with_magic = b"RPGSNAP\0\x01\x00".to_vec();
        with_magic.extend_from_slice(&bytes);
        let _ = persist::read_snapshot(&bytes, &Default::default());
        let _ = persist::read_snapshot(&with_magic, &Default::default());
    }
}

#[test]
fn save_bgsave_and_lastsave_ask_the_page_to_save() {
    check(
        r#"
> LASTSAVE
(integer) 1700000000
> SET a 1
OK
@advance 5000
> SAVE
OK
> LASTSAVE
(integer) 1700000005
> BGSAVE SCHEDULE
Background saving started
> BGSAVE NOW
(error) ERR syntax error
> SAVE now
(error) ERR wrong number of arguments for 'save' command
> MULTI
OK
> SAVE
(error) ERR Command not allowed inside a transaction
> EXEC
(error) EXECABORT Transaction discarded because of previous errors.
"#,
    );
    let mut s = session();
    s.exec("SET a 1");
    assert_eq!(
        s.exec("INFO persistence"),
        "# Persistence\r\nloading:0\r\nrdb_changes_since_last_save:1\r\nrdb_bgsave_in_progress:0\r\nrdb_last_save_time:1700000000\r\naof_enabled:0"
    );
    assert!(!s.take_save_request());
    s.exec("BGSAVE");
    assert!(s.take_save_request());
}

#[test]
fn debug_reload_keeps_the_keys_and_chooses_encodings_afresh() {
    check(
        r#"
> HSET h f1 v1
(integer) 1
> CONFIG SET hz 10
OK
> DEBUG RELOAD
OK
> HGETALL h
1) "f1"
2) "v1"
> DEBUG SEGFAULT
(error) ERR unknown subcommand or wrong number of arguments for 'SEGFAULT'. Try DEBUG HELP.
"#,
    );
    // A hash that grew past the listpack limit and shrank again is a hashtable until it
    // is reloaded, as in Redis.
    let mut s = session();
    let fields: Vec<String> = (0..600).map(|i| format!("f{i} v")).collect();
    s.exec(&format!("HSET h {}", fields.join(" ")));
    let extra: Vec<String> = (3..600).map(|i| format!("f{i}")).collect();
    s.exec(&format!("HDEL h {}", extra.join(" ")));
    assert_eq!(s.exec("OBJECT ENCODING h"), "\"hashtable\"");
    assert_eq!(s.exec("DEBUG RELOAD"), "OK");
    assert_eq!(s.exec("OBJECT ENCODING h"), "\"listpack\"");
    assert_eq!(s.exec("HLEN h"), "(integer) 3");
}

#[test]
fn an_exported_script_and_resp_stream_import_back_to_the_same_world() {
    let mut s = populated();
    let before = world(&mut s);
    let now = s.now_ms();
    let script = persist::export_script(s.server(), now).unwrap();
    assert!(script.starts_with("\"SELECT\" \"0\"\n"), "{script}");
    assert!(
        script.contains("\"SET\" \"bin\" \"\\x00\\xff\\r\\n\"\n"),
        "{script}"
    );
    assert!(
        script.contains("\"PEXPIRE\" \"temp\" \"5000\"\n"),
        "{script}"
    );
    let resp = persist::export_resp(s.server(), now).unwrap();
    for data in [script.into_bytes(), resp] {
        let mut fresh = session();
        let done = persist::import(fresh.server_mut(), &data, now);
        assert_eq!(done.errors, 0, "{:?}", done.first_errors);
        assert_eq!(world(&mut fresh), before);
    }
}

#[test]
fn an_import_reports_its_errors_by_line() {
    let mut s = session();
    let now = s.now_ms();
    let done = persist::import(
        s.server_mut(),
        b"SET a 1\nINCR a\nLPUSH a x\n\nNOSUCH cmd\n\"unbalanced\n",
        now,
    );
    assert_eq!(done.commands, 4);
    assert_eq!(done.errors, 3);
    assert_eq!(
        done.first_errors,
        vec![
            "line 3: (error) WRONGTYPE Operation against a key holding the wrong kind of value",
            "line 5: (error) ERR unknown command 'NOSUCH', with args beginning with: 'cmd' ",
            "line 6: Invalid argument(s) (skipped: unbalanced quotes, or a closing quote with no space after it)",
        ]
    );
    assert_eq!(s.exec("GET a"), "\"2\"");
    let bad = persist::import(s.server_mut(), b"*2\r\n$3\r\nGET\r\n$9\r\na\r\n", now);
    assert_eq!(bad.first_errors, vec!["the RESP stream is malformed"]);
}

#[test]
fn an_import_keeps_every_byte_and_runs_repeat_counts() {
    let mut s = session();
    let now = s.now_ms();
    // A raw 0xff byte in a script line (as a file written by hand could hold) stays 0xff,
    // as redis-cli sends it; "3 INCR n" runs three times.
    let done = persist::import(
        s.server_mut(),
        b"SET raw a\xffb\r\n3 INCR n\n0 INCR n\n",
        now,
    );
    assert_eq!(done.commands, 4);
    assert_eq!(
        done.first_errors,
        vec!["line 3: Invalid redis-cli repeat command option value. (skipped: a repeat count that is zero, negative or too big)"]
    );
    assert_eq!(s.exec("GET raw"), "\"a\\xffb\"");
    assert_eq!(s.exec("GET n"), "\"3\"");
}

#[test]
fn reset_world_starts_afresh_with_every_console_at_db_0() {
    let mut s = populated();
    let other = s.open_console(T0);
    s.console(other).unwrap().exec("SELECT 3");
    s.reset(T0 + 1.0);
    let mut o = s.console(other).unwrap();
    assert_eq!(o.prompt(), "127.0.0.1:6379> ");
    assert_eq!(o.exec("DBSIZE"), "(integer) 0");
    assert_eq!(s.exec("DBSIZE"), "(integer) 0");
    assert_eq!(s.exec("CLIENT LIST").matches("id=").count(), 2);
}

/// A snapshot made by hand: the header, then `body` (db blocks), the end mark and a right
/// checksum — so only what `body` says can be wrong.
fn crafted(body: &[u8]) -> Vec<u8> {
    let mut out = b"RPGSNAP\0".to_vec();
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&T0.to_le_bytes());
    out.extend_from_slice(&T0.to_le_bytes());
    out.extend_from_slice(&1f64.to_le_bytes());
    out.push(0);
    out.extend_from_slice(body);
    out.push(0xff);
    let mut crc = !0u32;
    for &b in &out {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    out.extend_from_slice(&(!crc).to_le_bytes());
    out
}

#[test]
fn a_checksum_valid_snapshot_the_engine_could_not_have_made_is_refused() {
    // db 0, 1 key: a string "k" = "v" (the control: this one loads).
    assert!(World::new(T0)
        .restore(&crafted(b"\x00\x01\x01\x01k\x01v"), T0)
        .is_ok());
    for (body, why) in [
        // A list with no elements.
        (&b"\x00\x01\x02\x01l\x00"[..], "an empty collection"),
        // The same key twice in db 0.
        (
            b"\x00\x02\x01\x01k\x01v\x01\x01k\x01w",
            "the same key twice",
        ),
        // ... even in two blocks of the same db.
        (
            b"\x00\x01\x01\x01k\x01v\x00\x01\x01\x01k\x01w",
            "the same key twice",
        ),
        // A set holding one member twice.
        (b"\x00\x01\x03\x01s\x02\x01a\x01a", "a member twice"),
        // A hash with a field twice.
        (
            b"\x00\x01\x05\x01h\x02\x01f\x01v\x01f\x01w",
            "a member twice",
        ),
    ] {
        let mut w = World::new(T0);
        w.exec("SET mine 1");
        let err = w.restore(&crafted(body), T0).unwrap_err();
        assert!(err.to_string().contains(why), "{err} for {body:?}");
        assert_eq!(
            w.exec("GET mine"),
            "\"1\"",
            "a refused snapshot changes nothing"
        );
    }
}

#[test]
fn a_stream_comes_back_with_its_nodes_deleted_entries_and_counters() {
    let mut s = session();
    for i in 1..=250 {
        s.exec(&format!("XADD st {i}-0 k v{i}"));
    }
    // An exact trim marks entries deleted inside the first node; XDEL does the same.
    assert_eq!(s.exec("XTRIM st MAXLEN 230"), "(integer) 20");
    assert_eq!(s.exec("XDEL st 150-0 250-0"), "(integer) 2");
    assert_eq!(s.exec("XSETID st 300-0 ENTRIESADDED 400"), "OK");
    let bytes = s.snapshot(T0).unwrap();
    let mut fresh = session();
    fresh.restore(&bytes, T0).expect("loads");
    for w in [&mut s, &mut fresh] {
        assert_eq!(w.exec("XLEN st"), "(integer) 228");
        assert_eq!(
            w.exec("XRANGE st - + COUNT 1"),
            "1) 1) \"21-0\"\n   2) 1) \"k\"\n      2) \"v21\""
        );
        // The first node still holds 100 entries (20 deleted), so ~ trimming can't take it
        // until 100 live ones are to go: the node boundaries survived.
        assert_eq!(w.exec("XTRIM st MAXLEN ~ 140"), "(integer) 80");
        assert_eq!(w.exec("XLEN st"), "(integer) 148");
        assert_eq!(w.exec("XADD st 300-* k v"), "\"300-1\"");
    }
    assert_eq!(fresh.exec("DEBUG RELOAD"), "OK");
    assert_eq!(fresh.exec("XLEN st"), "(integer) 149");
    assert_eq!(fresh.exec("TYPE st"), "stream");
    // An emptied stream is kept, and saved.
    fresh.exec("XADD e 1-1 a 1");
    fresh.exec("XDEL e 1-1");
    assert_eq!(fresh.exec("DEBUG RELOAD"), "OK");
    assert_eq!(fresh.exec("EXISTS e"), "(integer) 1");
    assert_eq!(
        fresh.exec("XADD e 1-1 a 1"),
        "(error) ERR The ID specified in XADD is equal or smaller than the target stream top item"
    );
}

#[test]
fn a_stream_keeps_its_consumer_groups_through_a_snapshot_a_reload_and_an_export() {
    let mut s = session();
    for l in [
        "XADD st 1-0 job a",
        "XADD st 2-0 job b",
        "XADD st 3-0 job c",
        "XGROUP CREATE st workers 0",
        "XREADGROUP GROUP workers w1 COUNT 2 STREAMS st >",
        "XCLAIM st workers w2 0 2-0 RETRYCOUNT 5",
        "XGROUP CREATECONSUMER st workers idle",
        "XGROUP CREATE st audit $",
        "XGROUP CREATE st unknown 0 ENTRIESREAD -1",
    ] {
        assert!(!s.exec(l).starts_with("(error)"), "{l}");
    }
    s.advance(T0, 1500.0);
    let full = s.exec("XINFO STREAM st FULL");
    let bytes = s.snapshot(T0).unwrap();
    let mut fresh = session();
    fresh.restore(&bytes, T0).expect("loads");
    assert_eq!(fresh.exec("XINFO STREAM st FULL"), full);
    assert_eq!(s.exec("DEBUG RELOAD"), "OK");
    assert_eq!(s.exec("XINFO STREAM st FULL"), full);
    // Deliveries go on where they were.
    assert_eq!(
        fresh.exec("XREADGROUP GROUP workers w1 STREAMS st >"),
        "1) 1) \"st\"\n   2) 1) 1) \"3-0\"\n         2) 1) \"job\"\n            2) \"c\""
    );
    // An export recreates the groups, consumers and pending entries (with their
    // delivery counts); the consumers' seen times become the import's.
    let now = s.now_ms();
    let script = persist::export_script(s.server(), now).unwrap();
    assert!(
        script.contains("\"XCLAIM\" \"st\" \"workers\" \"w2\" \"0\" \"2-0\" \"TIME\""),
        "{script}"
    );
    let mut imported = session();
    let done = persist::import(imported.server_mut(), script.as_bytes(), now);
    assert_eq!(done.errors, 0, "{:?}", done.first_errors);
    for cmd in ["XINFO GROUPS st", "XPENDING st workers", "XINFO STREAM st"] {
        assert_eq!(imported.exec(cmd), s.exec(cmd), "{cmd}");
    }
    let counts = |w: &mut World| {
        w.exec("XPENDING st workers - + 10")
            .lines()
            .filter(|l| l.contains("4)"))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(counts(&mut imported), counts(&mut s));
}

/// Keys of every type in every encoding (a hash with 600 fields, a sorted set of 200, a
/// stream with a group and a pending entry), for DUMP and RDB files.
fn every_encoding() -> World {
    let mut s = session();
    let long: Vec<String> = (0..600).map(|i| format!("f{i} v{i}")).collect();
    for line in [
        "SET s hello".to_string(),
        "SET big ".to_string() + &"xyz".repeat(500),
        "RPUSH l a b 1 -7 hello".to_string(),
        "SADD is 1 2 70000".to_string(),
        "SADD hs apple banana".to_string(),
        "ZADD zl 1 a 2.5 b".to_string(),
        "ZADD zs ".to_string()
            + &(0..200)
                .map(|i| format!("{i} m{i}"))
                .collect::<Vec<_>>()
                .join(" "),
        "HSET hl f v".to_string(),
        "HSET hh ".to_string() + &long.join(" "),
        "XADD x 1-1 a 1".to_string(),
        "XADD x 2-2 b 2".to_string(),
        "XGROUP CREATE x g 0".to_string(),
        "XREADGROUP GROUP g alice COUNT 1 STREAMS x >".to_string(),
    ] {
        s.exec(&line);
    }
    s
}

const EVERY_ENCODING: [&str; 10] = ["s", "big", "l", "is", "hs", "zl", "zs", "hl", "hh", "x"];

#[test]
fn dump_and_restore_round_trip_every_type_and_encoding() {
    let mut s = every_encoding();
    let keys = EVERY_ENCODING;
    for k in keys {
        let Reply::Bulk(payload) = run(&mut s, &[b"DUMP", k.as_bytes()]) else {
            panic!("DUMP {k}");
        };
        let copy = format!("{k}:copy");
        let restored = run(&mut s, &[b"RESTORE", copy.as_bytes(), b"0", &payload]);
        assert_eq!(restored, Reply::ok(), "{k}");
        for probe in ["TYPE", "OBJECT ENCODING", "DEBUG OBJECT"] {
            let a = s.exec(&format!("{probe} {k}"));
            let b = s.exec(&format!("{probe} {copy}"));
            let strip = |t: &str| {
                t.split(' ')
                    .filter(|w| !w.starts_with("at:") && !w.starts_with("lru"))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            assert_eq!(strip(&a), strip(&b), "{probe} {k}");
        }
        assert_eq!(
            run(&mut s, &[b"DUMP", copy.as_bytes()]),
            Reply::Bulk(payload),
            "{k}"
        );
    }
    assert_eq!(s.exec("XPENDING x:copy g"), s.exec("XPENDING x g"));
    // A corrupted payload is refused, never a panic.
    let Reply::Bulk(mut payload) = run(&mut s, &[b"DUMP", b"x"]) else {
        panic!()
    };
    for i in 0..payload.len() {
        payload[i] ^= 0x5a;
        let r = run(&mut s, &[b"RESTORE", b"bad", b"0", &payload, b"REPLACE"]);
        assert!(matches!(r, Reply::Error(_) | Reply::Status(_)), "{r:?}");
        payload[i] ^= 0x5a;
    }
}

fn run(s: &mut World, args: &[&[u8]]) -> Reply {
    s.exec_args(&args.iter().map(|a| a.to_vec()).collect::<Vec<_>>())
}

#[test]
fn an_exported_dump_rdb_imports_back_and_loads_into_a_real_redis() {
    let mut s = every_encoding();
    s.exec("SET ttl v EX 3600");
    s.exec("SELECT 5");
    s.exec("SET in5 five");
    s.exec("SELECT 0");
    let rdb = s.export_rdb(T0).unwrap();
    assert!(rdb.starts_with(b"REDIS0010"));
    let mut back = session();
    let done = back.import(&rdb, T0);
    assert_eq!(
        (done.errors, done.first_errors.len()),
        (0, 0),
        "{:?}",
        done.first_errors
    );
    assert_eq!(world(&mut back), world(&mut s));
    let mut damaged = rdb.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 1;
    assert_eq!(session().import(&damaged, T0).errors, 1);

    let Some(server) = common::redis_server::reference_server("loading an exported dump.rdb")
    else {
        return;
    };
    std::fs::write(server.dir.join("dump.rdb"), &rdb).unwrap();
    let mut c = common::redis_server::Conn::open(server.port);
    let b = |s: &str| s.as_bytes().to_vec();
    assert_eq!(c.call(&[b("DEBUG"), b("RELOAD"), b("NOSAVE")]), Reply::ok());
    for k in EVERY_ENCODING {
        for probe in ["TYPE", "OBJECT"] {
            let argv: Vec<Vec<u8>> = if probe == "TYPE" {
                vec![b("TYPE"), b(k)]
            } else {
                vec![b("OBJECT"), b("ENCODING"), b(k)]
            };
            let ours = s.exec_args(&argv);
            assert_eq!(
                common::redis_server::resp2(c.call(&argv)),
                common::redis_server::resp2(ours),
                "{probe} {k}"
            );
        }
        if !["hs", "hh"].contains(&k) {
            assert_eq!(
                c.call(&[b("DUMP"), b(k)]),
                s.exec_args(&[b("DUMP"), b(k)]),
                "DUMP {k}"
            );
        }
    }
    // Its world is 2023 (T0): a key expiring an hour after that was gone before the load.
    assert_eq!(c.call(&[b("EXISTS"), b("ttl")]), Reply::Int(0));
    c.call(&[b("SELECT"), b("5")]);
    assert_eq!(c.call(&[b("GET"), b("in5")]), Reply::bulk("five"));
}

/// Every key of a world, as `(db, key, TYPE, OBJECT ENCODING, content)`: the DUMP payload
/// where its bytes are deterministic, else the members sorted (hash tables).
fn keys_of(call: &mut dyn FnMut(&[&str]) -> Reply) -> Vec<(usize, String, Reply, Reply, Reply)> {
    let mut out = Vec::new();
    for db in 0..16 {
        call(&["SELECT", &db.to_string()]);
        let Reply::Array(keys) = call(&["KEYS", "*"]) else {
            panic!("KEYS answered something else")
        };
        let mut names: Vec<String> = keys
            .into_iter()
            .map(|k| match k {
                Reply::Bulk(b) => String::from_utf8_lossy(&b).into_owned(),
                other => panic!("a key {other:?}"),
            })
            .collect();
        names.sort();
        for k in names {
            let kind = call(&["TYPE", &k]);
            let enc = call(&["OBJECT", "ENCODING", &k]);
            let content = if enc == Reply::bulk("hashtable") {
                let mut items = match call(&[
                    if kind == Reply::status("set") {
                        "SMEMBERS"
                    } else {
                        "HGETALL"
                    },
                    &k,
                ]) {
                    Reply::Array(items) => items,
                    other => vec![other],
                };
                if kind == Reply::status("hash") {
                    let mut pairs: Vec<Vec<Reply>> = items.chunks(2).map(|c| c.to_vec()).collect();
                    pairs.sort_by_key(|p| format!("{p:?}"));
                    items = pairs.concat();
                } else {
                    items.sort_by_key(|r| format!("{r:?}"));
                }
                Reply::Array(items)
            } else {
                call(&["DUMP", &k])
            };
            out.push((db, k, kind, enc, content));
        }
    }
    call(&["SELECT", "0"]);
    out
}

#[test]
fn rdb_files_of_redis_6_and_older_import_as_redis_7_loads_them() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/assets/old-rdb");
    let Some(server) = common::redis_server::reference_server("loading older RDB files") else {
        return;
    };
    let mut c = common::redis_server::Conn::open(server.port);
    for name in [
        "encodings.rdb",
        "hash-zipmap.rdb",
        "hash-ziplist.rdb",
        "list-quicklist.rdb",
        "zset-ziplist.rdb",
    ] {
        let bytes = std::fs::read(dir.join(name)).unwrap();
        std::fs::write(server.dir.join("dump.rdb"), &bytes).unwrap();
        let argv = |a: &[&str]| a.iter().map(|s| s.as_bytes().to_vec()).collect::<Vec<_>>();
        assert_eq!(
            c.call(&argv(&["DEBUG", "RELOAD", "NOSAVE"])),
            Reply::ok(),
            "{name}"
        );
        let theirs = keys_of(&mut |a| common::redis_server::resp2(c.call(&argv(a))));
        let mut ours = session();
        let done = ours.import(&bytes, T0);
        assert_eq!(
            (done.errors, done.first_errors.clone()),
            (0, vec![]),
            "{name}: every key imports"
        );
        let mine = keys_of(&mut |a| ours.exec_args(&argv(a)));
        assert!(!theirs.is_empty(), "{name} holds keys");
        assert_eq!(mine, theirs, "{name}");
    }
}
