//! Connection and server commands, COMMAND from the table, unknown commands and arity:
//! frozen from Redis 7.0.15 (tests/scripts/server.txt), plus what depends on time or state.

mod common;

#[test]
fn server_commands_answer_like_redis() {
    common::check_file("server.txt");
}

#[test]
fn encoding_thresholds_set_by_config_hold_for_writes_and_reloads() {
    common::check_file("config_encodings.txt");
}

#[test]
fn slowlog_and_latency_time_commands_on_the_world_clock() {
    common::check_file("slowlog.txt");
}

#[test]
fn maxmemory_evicts_by_policy_on_the_memory_model() {
    common::check_file("eviction.txt");
}

#[test]
fn time_reports_the_world_clock() {
    let mut s = common::session();
    assert_eq!(s.exec("TIME"), "1) \"1700000000\"\n2) \"0\"");
    s.advance(common::T0, 1500.25);
    assert_eq!(s.exec("TIME"), "1) \"1700000001\"\n2) \"500000\"");
}

#[test]
fn info_reports_real_figures() {
    let mut s = common::session();
    s.exec("SET a 1");
    s.exec("SET b 2 EX 100");
    s.exec("GET a");
    s.exec("GET nokey");
    s.exec("SELECT 3");
    s.exec("SET c 3");
    let ks = s.exec("INFO keyspace");
    assert_eq!(
        ks,
        "# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=100000\r\ndb3:keys=1,expires=0,avg_ttl=0"
    );
    let stats = s.exec("INFO stats");
    assert!(stats.contains("keyspace_hits:1\r\n"), "{stats}");
    assert!(stats.contains("keyspace_misses:1\r\n"), "{stats}");
    assert!(stats.contains("total_commands_processed:7\r\n"), "{stats}");
    let server = s.exec("INFO server");
    assert!(
        server.starts_with("# Server\r\nredis_version:7.0.15\r\n"),
        "{server}"
    );
    s.advance(common::T0, 90_000.0);
    assert!(s.exec("INFO server").contains("uptime_in_seconds:90\r\n"));
    let all = s.exec("INFO");
    for section in [
        "# Server",
        "# Clients",
        "# Persistence",
        "# Stats",
        "# Replication",
        "# Keyspace",
    ] {
        assert!(all.contains(section), "{section} missing");
    }
    assert_eq!(s.exec("INFO nosuchsection"), "");
}

#[test]
fn command_count_list_and_docs_come_from_the_table() {
    let mut s = common::session();
    let count: usize = s
        .exec("COMMAND COUNT")
        .trim_start_matches("(integer) ")
        .parse()
        .unwrap();
    assert_eq!(count, redis_playground::commands::all().count());
    let list = s.exec("COMMAND LIST");
    for name in ["get", "set", "object|encoding", "command|docs", "multi"] {
        assert!(list.contains(&format!("\"{name}\"")), "{name} not listed");
    }
    assert_eq!(
        s.exec("COMMAND LIST FILTERBY PATTERN incrby*"),
        "1) \"incrby\"\n2) \"incrbyfloat\""
    );
    let strings = s.exec("COMMAND LIST FILTERBY ACLCAT string");
    assert!(strings.contains("\"append\"") && !strings.contains("\"del\""));
    let docs = s.exec("COMMAND DOCS get");
    let want = r#"1) "get"
2)  1) "summary"
    2) "Read the string stored at a key"
    3) "since"
    4) "1.0.0"
    5) "group"
    6) "string"
    7) "complexity"
    8) "O(1)"
    9) "arguments"
   10) 1) 1) "name"
          2) "key"
          3) "type"
          4) "key"
          5) "key_spec_index"
          6) (integer) 0"#;
    assert_eq!(docs, want);
    assert_eq!(s.exec("COMMAND DOCS nosuch"), "(empty array)");
}

#[test]
fn every_table_command_is_known_to_command_info_and_help() {
    let mut s = common::session();
    for c in redis_playground::commands::all() {
        let info = s.exec(&format!("COMMAND INFO {}", c.name));
        assert!(
            info.starts_with(&format!("1)  1) \"{}\"", c.name)),
            "{info}"
        );
        assert!(
            !s.exec(&format!("HELP {}", c.name)).is_empty(),
            "no help for {}",
            c.name
        );
    }
}

#[test]
fn debug_set_active_expire_0_leaves_expired_keys_and_fields_to_lazy_expiry() {
    common::check(
        r#"
> DEBUG SET-ACTIVE-EXPIRE 0
OK
> SET k v PX 100
OK
> HSET h a 1 b 2
(integer) 2
> HPEXPIRE h 100 FIELDS 1 a
1) (integer) 1
@advance 1000
> DBSIZE
(integer) 2
> GET k
(nil)
> DBSIZE
(integer) 1
> HGETALL h
1) "b"
2) "2"
> DEBUG SET-ACTIVE-EXPIRE 1
OK
> SET k2 v PX 100
OK
@advance 1000
> DBSIZE
(integer) 1
"#,
    );
}

#[test]
fn latency_tracking_decides_what_latency_histogram_counts() {
    common::check(
        r#"
> CONFIG SET latency-tracking no
OK
> SET k 1
OK
> LATENCY HISTOGRAM set
(empty array)
> CONFIG SET latency-tracking yes
OK
> SET k 2
OK
> LATENCY HISTOGRAM set
1) "set"
2) 1) "calls"
   2) (integer) 1
   3) "histogram_usec"
   4) 1) (integer) 1
      2) (integer) 1
"#,
    );
}

#[test]
fn passwords_are_redacted_in_slowlog_and_monitor() {
    common::check_file("redacted.txt");
}

#[test]
fn wait_answers_zero_after_its_timeout_or_when_unblocked() {
    common::check_file("wait.txt");
}
