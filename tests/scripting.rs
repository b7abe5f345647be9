//! Scripts as commands of the whole server: a long script keeps other clients waiting,
//! then answered BUSY once it has run `busy-reply-threshold` of world time; SCRIPT KILL and
//! FUNCTION KILL; what a script's commands do beside their replies (MONITOR, keyspace
//! events, INFO, blocked clients, client tracking, ACLs); scripts inside MULTI and under
//! CLIENT PAUSE and maxmemory. (Replies and errors one by one are in
//! tests/corpus/scripting.redis, against the real server.)

mod common;
use common::{check, check_on, session, T0};

use redis_playground::World;

/// A script that never ends by itself.
const FOREVER: &str = r##"EVAL "local i = 0 while true do i = i + 1 end" 0"##;

/// Advance the world a millisecond at a time until console `id` has its answer.
fn until_answered(w: &mut World, id: usize) -> String {
    for _ in 0..10_000 {
        let msg = w.console(id).unwrap().take_messages();
        if !msg.is_empty() {
            return msg;
        }
        w.advance(T0, 1.0);
    }
    panic!("console {id} got no answer");
}

#[test]
fn other_clients_wait_for_a_long_script_then_get_busy_and_script_kill_stops_it() {
    check(&format!(
        r##"
> {FOREVER}
@console 1
> GET k
@advance 4999
@console 1
@messages
@advance 1
@console 1
@messages
(error) BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.
(5.00s)
> SET k v
(error) BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.
> FUNCTION STATS
(error) BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.
> FUNCTION KILL
(error) BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.
> NOSUCH
(error) ERR unknown command 'NOSUCH', with args beginning with: 
> GET
(error) ERR wrong number of arguments for 'get' command
> MULTI
OK
> SET k v
(error) BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.
> EXEC
(error) EXECABORT Transaction discarded because of: BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.
> DISCARD
(error) ERR DISCARD without MULTI
> SCRIPT KILL
OK
@console 0
@messages
(error) ERR Script killed by user with SCRIPT KILL... script: 3fcf51a9b854b8f66cb8685600b0d7df968f4398, on @user_script:1.
(5.00s)
@console 1
> SCRIPT KILL
(error) NOTBUSY No scripts in execution right now.
> SET k v
OK
"##
    ));
}

#[test]
fn a_script_that_wrote_cannot_be_killed_and_a_function_needs_function_kill() {
    check(
        r##"
> EVAL "redis.call('set', 'w', 1) while true do end" 0
@console 1
@advance 5000
> SCRIPT KILL
(error) UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.
> FUNCTION KILL
(error) UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.
> GET w
(error) BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.
"##,
    );
    check(
        r##"
> FUNCTION LOAD "#!lua name=loop\nredis.register_function('spin', function() while true do end end)"
"loop"
> FCALL spin 0
@console 1
> PING
@advance 5000
@console 1
@messages
(error) BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.
(5.00s)
> SCRIPT KILL
(error) BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.
> FUNCTION STATS
1) "running_script"
2) 1) "name"
   2) "spin"
   3) "command"
   4) 1) "FCALL"
      2) "spin"
      3) "0"
   5) "duration_ms"
   6) (integer) 5000
3) "engines"
4) 1) "LUA"
   2) 1) "libraries_count"
      2) (integer) 1
      3) "functions_count"
      4) (integer) 1
> FUNCTION KILL
OK
@console 0
@messages
(error) ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:2.
(5.00s)
"##,
    );
}

#[test]
fn commands_that_waited_behind_a_script_run_in_order_once_it_ends() {
    let mut w = session();
    let script = r##"EVAL "local n = 0 for i = 1, 3000000 do n = n + i end redis.call('set', 'sum', n) return n" 0"##;
    assert_eq!(w.console(0).unwrap().exec(script), "");
    let c1 = w.open_console(T0);
    let c2 = w.open_console(T0);
    assert_eq!(w.console(c1).unwrap().exec("GET sum"), "");
    assert_eq!(w.console(c2).unwrap().exec("INCR sum"), "");
    // Nobody answers while the script runs; then the script's caller, then the others.
    assert_eq!(until_answered(&mut w, 0), "(integer) 4500001500000");
    assert_eq!(w.console(c1).unwrap().take_messages(), "\"4500001500000\"");
    assert_eq!(
        w.console(c2).unwrap().take_messages(),
        "(integer) 4500001500001"
    );
}

#[test]
fn a_busy_script_ends_by_itself_and_the_waiting_commands_go_on() {
    let mut w = session();
    w.exec("CONFIG SET busy-reply-threshold 10");
    let long = r##"EVAL "local n = 0 for i = 1, 6000000 do n = n + 1 end return n" 0"##;
    assert_eq!(w.exec(long), "");
    let c1 = w.open_console(T0);
    w.advance(T0, 10.0);
    assert_eq!(
        w.console(c1).unwrap().exec("GET x"),
        "(error) BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."
    );
    assert!(until_answered(&mut w, 0).starts_with("(integer) 6000000"));
    assert_eq!(w.console(c1).unwrap().exec("GET x"), "(nil)");
}

#[test]
fn a_threshold_of_zero_never_answers_busy() {
    let mut w = session();
    w.exec("CONFIG SET busy-reply-threshold 0");
    assert_eq!(w.exec(FOREVER), "");
    let c1 = w.open_console(T0);
    assert_eq!(w.console(c1).unwrap().exec("SCRIPT KILL"), "");
    w.advance(T0, 60_000.0);
    assert_eq!(w.console(c1).unwrap().take_messages(), "");
    // The script runs on, on the world's ticks, the page answering.
    assert!(w.server().scripting().running.is_some());
}

#[test]
fn monitor_shows_the_script_s_command_then_the_commands_it_runs() {
    let mut w = session();
    let m = w.open_console(T0);
    assert_eq!(w.console(m).unwrap().exec("MONITOR"), "OK");
    w.exec(r##"EVAL "redis.call('set', 'mk', 'v') redis.call('select', 3) return redis.call('get', 'mk')" 0"##);
    w.exec("FUNCTION LOAD \"#!lua name=mon\\nredis.register_function('mf', function() return redis.call('ping') end)\"");
    w.exec("FCALL mf 0");
    w.exec("EVAL \"return 1\" x");
    let lines: Vec<String> = w
        .console(m)
        .unwrap()
        .take_messages()
        .lines()
        .map(|l| {
            l.split_once(' ')
                .map_or(String::new(), |(_, rest)| rest.to_string())
        })
        .collect();
    let lua: Vec<&String> = lines.iter().filter(|l| l.contains(" lua]")).collect();
    assert_eq!(
        lua,
        [
            "[0 lua] \"set\" \"mk\" \"v\"",
            "[3 lua] \"select\" \"3\"",
            "[3 lua] \"get\" \"mk\"",
            "[0 lua] \"ping\"",
        ]
    );
    assert!(lines[0].ends_with("\"EVAL\" \"redis.call('set', 'mk', 'v') redis.call('select', 3) return redis.call('get', 'mk')\" \"0\""), "{lines:?}");
    assert!(lines
        .iter()
        .any(|l| l.ends_with("\"EVAL\" \"return 1\" \"x\"")));
}

#[test]
fn a_script_s_writes_are_keyspace_events_and_serve_blocked_clients() {
    let mut w = session();
    let sub = w.open_console(T0);
    w.exec("CONFIG SET notify-keyspace-events KEA");
    w.console(sub).unwrap().exec("PSUBSCRIBE __keyevent@0__:*");
    let blocked = w.open_console(T0);
    assert_eq!(w.console(blocked).unwrap().exec("BLPOP jobs 0"), "");
    w.exec(r##"EVAL "redis.call('rpush', KEYS[1], 'a', 'b') redis.call('incr', 'n') return 1" 2 jobs n"##);
    let events = w.console(sub).unwrap().take_messages();
    assert!(events.contains("__keyevent@0__:rpush"), "{events}");
    assert!(events.contains("__keyevent@0__:incrby"), "{events}");
    let served = w.console(blocked).unwrap().take_messages();
    assert!(served.starts_with("1) \"jobs\"\n2) \"a\""), "{served}");
    assert_eq!(w.exec("LRANGE jobs 0 -1"), "1) \"b\"");
}

#[test]
fn info_counts_the_script_s_commands_and_its_errors_once() {
    let mut w = session();
    w.exec("SET s text");
    w.exec(r##"EVAL "redis.call('incr', 'n') redis.call('incr', 'n') return 1" 0"##);
    w.exec(r##"EVAL "return redis.call('incr', 's')" 0"##);
    w.exec(r##"EVAL "return redis.call('nosuch')" 0"##);
    w.exec(r##"EVAL "error('x')" 0"##);
    let stats = w.exec("INFO commandstats");
    let line = |name: &str| {
        stats
            .lines()
            .find(|l| l.starts_with(&format!("cmdstat_{name}:")))
            .unwrap_or_default()
            .to_string()
    };
    assert!(line("incr").starts_with("cmdstat_incr:calls=3,"), "{stats}");
    assert!(
        line("incr").ends_with("rejected_calls=0,failed_calls=1"),
        "{stats}"
    );
    assert!(line("eval").starts_with("cmdstat_eval:calls=4,"), "{stats}");
    assert!(line("eval").ends_with("failed_calls=3"), "{stats}");
    // The INCR error, the refused unknown command and the script's own error: one each.
    let errors = w.exec("INFO errorstats");
    assert!(errors.contains("errorstat_ERR:count=3"), "{errors}");
}

#[test]
fn scripts_run_as_their_caller_s_user() {
    check(
        r##"
> ACL SETUSER reader on nopass +@read +eval ~*
OK
> SET k 1
OK
> AUTH reader x
OK
> EVAL "return redis.call('get', 'k')" 0
"1"
> EVAL "return redis.call('set', 'k', 2)" 0
(error) ERR The user executing the script can't run this command or subcommand script: 5ec49d69bd48be37682fb103dfb50e5662f64d58, on @user_script:1.
> EVAL "return redis.acl_check_cmd('set', 'k', 2)" 0
(nil)
> EVAL "return redis.acl_check_cmd('get', 'k')" 0
(integer) 1
> AUTH default x
OK
"##,
    );
    let mut w = session();
    check_on(
        &mut w,
        "> ACL SETUSER reader on nopass +@all ~a*\nOK\n> AUTH reader x\nOK\n",
    );
    w.exec(r##"EVAL "return redis.call('get', 'b')" 0"##);
    let log = w.exec("ACL LOG");
    assert!(log.contains("\"lua\""), "{log}");
    assert!(log.contains("\"key\""), "{log}");
}

#[test]
fn scripts_in_a_transaction_run_within_exec() {
    check(
        r##"
> MULTI
OK
> EVAL "return redis.call('incr', KEYS[1])" 1 n
QUEUED
> EVAL "return redis.call('incr', KEYS[1]) * 10" 1 n
QUEUED
> EVAL "return redis.call('nosuch')" 0
QUEUED
> EXEC
1) (integer) 1
2) (integer) 20
3) (error) ERR Unknown Redis command called from script script: 206396248e12c6e742fd7296250433c8d7343b74, on @user_script:1.
"##,
    );
}

#[test]
fn client_pause_write_holds_scripts_that_may_write_but_not_read_only_ones() {
    check(
        r##"
> SET k 1
OK
> CLIENT PAUSE 1000 WRITE
OK
@console 1
> EVAL_RO "return redis.call('get', 'k')" 0
"1"
> EVAL "#!lua flags=no-writes\nreturn redis.call('get', 'k')" 0
"1"
> EVAL "return redis.call('get', 'k')" 0
@advance 1000
@console 1
@messages
"1"
(1.00s)
"##,
    );
}

#[test]
fn scripts_that_declare_writes_are_refused_over_maxmemory() {
    let mut w = session();
    w.exec("SET big xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    w.exec("CONFIG SET maxmemory 1");
    assert_eq!(
        w.exec(r##"EVAL "#!lua\nreturn 1" 0"##),
        "(error) OOM command not allowed when used memory > 'maxmemory'."
    );
    assert_eq!(
        w.exec(r##"EVAL "#!lua flags=no-writes\nreturn redis.call('get', 'big')" 0"##),
        "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\""
    );
    assert_eq!(
        w.exec(r##"EVAL "#!lua flags=allow-oom\nreturn 2" 0"##),
        "(integer) 2"
    );
    // Without a shebang the script runs, and its first write is refused.
    assert_eq!(
        w.exec(r##"EVAL "return redis.call('set', 'x', 1)" 0"##),
        "(error) OOM command not allowed when used memory > 'maxmemory'. script: d3e59a42ddbf0bf90f4688baf7dec06c274f4dfe, on @user_script:1."
    );
    w.exec("CONFIG SET maxmemory 0");
}

#[test]
fn a_script_that_reads_makes_its_caller_track_the_keys_it_declared() {
    let mut w = session();
    w.exec("MSET k 1 other 1");
    w.exec("HELLO 3");
    w.exec("CLIENT TRACKING on");
    let writer = w.open_console(T0);
    // A script that only writes tracks nothing; one that reads tracks its declared keys
    // (not the keys it read), as Redis 7.0 does.
    w.exec(r##"EVAL "return redis.call('set', 'x', 1)" 1 k"##);
    w.console(writer).unwrap().exec("SET k 2");
    assert_eq!(w.first_console().take_messages(), "");
    w.exec(r##"EVAL "return redis.call('get', 'other')" 1 k"##);
    w.console(writer).unwrap().exec("SET other 2");
    assert_eq!(w.first_console().take_messages(), "");
    w.console(writer).unwrap().exec("SET k 3");
    let pushed = w.first_console().take_messages();
    assert_eq!(pushed, "-> invalidate: 'k'");
}

#[test]
fn redis_log_lines_reach_the_server_log() {
    let mut w = session();
    w.exec(r##"EVAL "redis.log(redis.LOG_WARNING, 'hello', 'world') redis.log(redis.LOG_DEBUG, 'quiet')" 0"##);
    let lines: Vec<_> = w.server().scripting().log_since(0).collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].text, b"hello world");
    assert_eq!(lines[0].level, 3);
}

#[test]
fn the_caller_may_go_away_while_its_script_runs() {
    let mut w = session();
    let c = w.open_console(T0);
    assert_eq!(w.console(c).unwrap().exec(FOREVER), "");
    assert!(w.close_console(c));
    w.advance(T0, 5000.0);
    assert_eq!(w.exec("SCRIPT KILL"), "OK");
    assert_eq!(w.exec("PING"), "PONG");
}

// ---- scripts and functions as part of the world ----

const LIB: &str = "#!lua name=saved\nredis.register_function('hello', function(keys, args) return 'hello ' .. args[1] end)";

fn load_lib(w: &mut World) {
    let argv: Vec<Vec<u8>> = vec![b"FUNCTION".to_vec(), b"LOAD".to_vec(), LIB.into()];
    assert_eq!(w.exec_args(&argv), redis_playground::Reply::bulk("saved"));
}

#[test]
fn functions_and_cached_scripts_are_saved_with_the_world() {
    let mut w = session();
    load_lib(&mut w);
    assert_eq!(
        w.exec("SCRIPT LOAD \"return 'cached'\""),
        format!("\"{}\"", sha("return 'cached'"))
    );
    w.exec("SET k v");
    let snap = w.snapshot(T0).unwrap();
    let mut back = session();
    back.restore(&snap, T0).unwrap();
    assert_eq!(back.exec("FCALL hello 0 you"), "\"hello you\"");
    assert_eq!(
        back.exec(&format!("EVALSHA {} 0", sha("return 'cached'"))),
        "\"cached\""
    );
    // DEBUG RELOAD keeps both; FLUSHALL keeps the functions; a reset world has neither.
    assert_eq!(back.exec("DEBUG RELOAD"), "OK");
    assert_eq!(back.exec("FCALL hello 0 again"), "\"hello again\"");
    assert_eq!(back.exec("FLUSHALL"), "OK");
    assert_eq!(back.exec("FCALL hello 0 still"), "\"hello still\"");
    back.reset(T0);
    assert_eq!(
        back.exec("FCALL hello 0 x"),
        "(error) ERR Function not found"
    );
}

fn sha(body: &str) -> String {
    redis_playground::scripting::sha1hex(body.as_bytes())
}

#[test]
fn the_export_loads_the_functions_and_the_scripts() {
    let mut w = session();
    load_lib(&mut w);
    w.exec("SCRIPT LOAD \"return 1\"");
    let script = w.export_script(T0).unwrap();
    assert!(
        script.starts_with("\"FUNCTION\" \"LOAD\" \"REPLACE\" \"#!lua name=saved\\n")
            || script.starts_with("FUNCTION LOAD REPLACE"),
        "{script}"
    );
    assert!(script.contains("SCRIPT"), "{script}");
    let mut back = session();
    let done = back.import(script.as_bytes(), T0);
    assert_eq!(done.errors, 0, "{:?}", done.first_errors);
    assert_eq!(back.exec("FCALL hello 0 you"), "\"hello you\"");
    assert_eq!(
        back.exec(&format!("EVALSHA {} 0", sha("return 1"))),
        "(integer) 1"
    );
}

#[test]
fn functions_go_to_dump_rdb_and_come_back_as_redis_writes_them() {
    let mut w = session();
    load_lib(&mut w);
    w.exec("SET k v");
    let rdb = w.export_rdb(T0).unwrap();
    let mut back = session();
    let done = back.import(&rdb, T0);
    assert_eq!(done.errors, 0, "{:?}", done.first_errors);
    assert_eq!(back.exec("FCALL hello 0 rdb"), "\"hello rdb\"");
    assert_eq!(back.exec("GET k"), "\"v\"");

    let Some(server) = common::redis_server::reference_server("loading functions from dump.rdb")
    else {
        return;
    };
    use common::redis_server::Conn;
    let b = |s: &str| s.as_bytes().to_vec();
    // Ours into Redis.
    std::fs::write(server.dir.join("dump.rdb"), &rdb).unwrap();
    let mut c = Conn::open(server.port);
    assert_eq!(
        c.call(&[b("DEBUG"), b("RELOAD"), b("NOSAVE")]),
        redis_playground::Reply::ok()
    );
    assert_eq!(
        c.call(&[b("FCALL"), b("hello"), b("0"), b("redis")]),
        redis_playground::Reply::bulk("hello redis")
    );
    // Redis's FUNCTION DUMP into ours, and Redis's dump.rdb.
    let payload = c.call(&[b("FUNCTION"), b("DUMP")]);
    let redis_playground::Reply::Bulk(payload) = payload else {
        panic!("FUNCTION DUMP answered {payload:?}");
    };
    let mut fresh = session();
    let restored = fresh.exec_args(&[b("FUNCTION"), b("RESTORE"), payload.clone()]);
    assert_eq!(restored, redis_playground::Reply::ok());
    assert_eq!(fresh.exec("FCALL hello 0 restored"), "\"hello restored\"");
    assert_eq!(
        w.exec_args(&[b("FUNCTION"), b("DUMP")]),
        redis_playground::Reply::Bulk(payload)
    );
    assert_eq!(c.call(&[b("SAVE")]), redis_playground::Reply::ok());
    let saved = std::fs::read(server.dir.join("dump.rdb")).unwrap();
    let mut from_redis = session();
    let done = from_redis.import(&saved, T0);
    assert_eq!(done.errors, 0, "{:?}", done.first_errors);
    assert_eq!(from_redis.exec("FCALL hello 0 file"), "\"hello file\"");
}

#[test]
fn share_links_may_run_scripts_and_functions() {
    use redis_playground::commands::table::Link;
    for name in [
        "eval",
        "evalsha",
        "eval_ro",
        "evalsha_ro",
        "fcall",
        "fcall_ro",
    ] {
        let cmd = redis_playground::commands::lookup(name.as_bytes()).unwrap();
        assert_eq!(cmd.link_policy(), Link::Allowed, "{name}");
    }
}
