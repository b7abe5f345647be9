//! Tier 2 — differential tests with several connections: transactions, WATCH races and
//! blocking commands, run on a real `redis-server` (one RESP connection per console) and
//! on the engine (one console per connection), compared as redis-cli prints each reply.
//!
//! A scenario is lines of `N> command` (console N sends it and reads the reply),
//! `N>! command` (console N sends a command that blocks; nothing is read yet) and `N<`
//! (console N reads the answer of its blocked command). Skipped loudly when no
//! redis-server is installed (`REDIS_DIFF_REQUIRED=1` makes that a failure).

mod common;

use std::time::Duration;

use common::redis_server::{find_binary, loud, Conn, RedisServer};
use common::T0;
use redis_playground::cli::{self, Line};
use redis_playground::World;

const SCENARIOS: &[(&str, &str)] = &[
    (
        "another client's write fails EXEC",
        "0> SET w 1\n0> WATCH w\n1> SET w 2\n0> MULTI\n0> INCR w\n0> EXEC\n0> GET w",
    ),
    (
        "the same value written again still counts",
        "0> SET w 1\n0> WATCH w\n1> SET w 1\n0> MULTI\n0> PING\n0> EXEC",
    ),
    (
        "the watcher's own write fails its EXEC",
        "0> WATCH w\n0> SET w 1\n0> MULTI\n0> PING\n0> EXEC",
    ),
    (
        "EXPIRE by another client counts as a write",
        "0> SET w 1\n0> WATCH w\n1> EXPIRE w 100\n0> MULTI\n0> PING\n0> EXEC",
    ),
    (
        "deleting a missing key changes nothing",
        "0> WATCH w\n1> DEL w\n0> MULTI\n0> PING\n0> EXEC",
    ),
    (
        "created then deleted in between fails EXEC",
        "0> WATCH w\n1> SET w 1\n1> DEL w\n0> MULTI\n0> PING\n0> EXEC",
    ),
    (
        "FLUSHDB touches existing watched keys only",
        "0> SET w 1\n0> WATCH w\n1> FLUSHDB\n0> MULTI\n0> PING\n0> EXEC\n\
         0> WATCH w\n1> FLUSHDB\n0> MULTI\n0> PING\n0> EXEC",
    ),
    (
        "FLUSHALL touches existing watched keys",
        "0> SELECT 2\n0> SET w 1\n0> WATCH w\n1> FLUSHALL\n0> MULTI\n0> PING\n0> EXEC",
    ),
    (
        "SWAPDB touches keys present on either side",
        "0> SET w 1\n0> WATCH w\n1> SWAPDB 0 1\n0> MULTI\n0> PING\n0> EXEC\n\
         0> FLUSHALL\n0> WATCH w\n1> SWAPDB 0 1\n0> MULTI\n0> PING\n0> EXEC\n\
         1> SELECT 1\n1> SET w x\n0> WATCH w\n1> SWAPDB 0 1\n0> MULTI\n0> PING\n0> EXEC",
    ),
    (
        "a write to the same name in another db is not a change",
        "0> SELECT 1\n0> WATCH w\n1> SET w 1\n0> MULTI\n0> PING\n0> EXEC",
    ),
    (
        "UNWATCH forgets, DISCARD unwatches too",
        "0> WATCH w\n0> UNWATCH\n1> SET w 1\n0> MULTI\n0> PING\n0> EXEC\n\
         0> WATCH w\n0> MULTI\n0> DISCARD\n1> SET w 2\n0> MULTI\n0> PING\n0> EXEC",
    ),
    (
        "queued commands see writes made before EXEC",
        "0> MULTI\n0> GET k\n1> SET k theirs\n0> SET k mine\n0> EXEC\n1> GET k",
    ),
    (
        "queueing errors abort, runtime errors do not roll back",
        "0> MULTI\n0> SET s x\n0> INCR s\n0> SET t 1\n0> EXEC\n\
         0> MULTI\n0> SET s\n0> SET t 2\n0> EXEC\n0> GET t\n\
         0> MULTI\n0> NOSUCH\n0> EXEC\n\
         0> MULTI\n0> MULTI\n0> WATCH x\n0> EXEC\n0> EXEC\n0> DISCARD",
    ),
    (
        "a watched key's transaction in one client, a plain one in another",
        "0> SET n 1\n0> WATCH n\n1> MULTI\n1> INCR n\n1> EXEC\n0> MULTI\n0> INCR n\n0> EXEC\n0> GET n",
    ),
    (
        "blocked clients are served first come, first served",
        "0>! BLPOP q 0\n1>! BLPOP q 0\n2> RPUSH q a b c\n0<\n1<\n2> LRANGE q 0 -1",
    ),
    (
        "a client is served from the key that became ready first",
        "0>! BLPOP x y 0\n1> MULTI\n1> LPUSH y Y\n1> LPUSH x X\n1> EXEC\n0<\n1> LRANGE x 0 -1",
    ),
    (
        "BLMOVE served pushes on to the next waiter",
        "0>! BLMOVE s1 s2 LEFT RIGHT 0\n1>! BLPOP s2 0\n2> LPUSH s1 v\n0<\n1<\n2> EXISTS s1 s2",
    ),
    (
        "sorted-set waiters, lowest and highest",
        "0>! BZPOPMIN z 0\n1>! BZMPOP 0 1 z MAX COUNT 2\n2> ZADD z 3 c 1 a 2 b 4 d\n0<\n1<\n2> ZRANGE z 0 -1 WITHSCORES",
    ),
    (
        "BLMPOP with a count takes what is there",
        "0>! BLMPOP 0 2 a b RIGHT COUNT 5\n1> RPUSH b 1 2 3\n0<\n1> EXISTS b",
    ),
    (
        "a string does not wake a list waiter; a list does",
        "0>! BLPOP k 0\n1> SET k v\n1> DEL k\n1> RPUSH k v\n0<",
    ),
    (
        "blocking commands inside MULTI answer at once",
        "0> MULTI\n0> BLPOP none 0\n0> BZPOPMAX none 0\n0> BRPOPLPUSH none x 0\n0> EXEC",
    ),
    (
        "XREAD BLOCK on $ waits for the next XADD, first blocked first served",
        "0> XADD s 1-1 a 1\n1>! XREAD BLOCK 0 STREAMS s $\n2>! XREAD COUNT 5 BLOCK 0 STREAMS s $\n0> XADD s 2-1 b 2\n1<\n2<\n0> XLEN s",
    ),
    (
        "XREAD BLOCK on a missing stream and on several keys",
        "1>! XREAD BLOCK 0 STREAMS x y 0 $\n0> XADD y 5-5 k v\n1<\n2>! XREAD BLOCK 0 STREAMS x y 0-0 5-5\n0> XADD x 1-0 k v\n2<",
    ),
    (
        "XREAD BLOCK with an id already passed answers at once; inside MULTI it does not wait",
        "0> XADD s 3-0 a 1\n1> XREAD BLOCK 0 STREAMS s 1-0\n1> MULTI\n1> XREAD BLOCK 0 STREAMS s $\n1> EXEC",
    ),
    (
        "XREAD BLOCK is woken by an XADD that MAXLEN 0 trims away, and answers nothing then",
        "1>! XREAD BLOCK 0 STREAMS s $\n0> XADD s MAXLEN 0 1-0 a 1\n0> XADD s 2-0 a 1\n1<",
    ),
    (
        "XREADGROUP BLOCK: first blocked, first served, each entry once; NOACK leaves nothing pending",
        "0> XGROUP CREATE q g $ MKSTREAM\n1>! XREADGROUP GROUP g w1 BLOCK 0 STREAMS q >\n2>! XREADGROUP GROUP g w2 COUNT 5 NOACK BLOCK 0 STREAMS q >\n0> XADD q 1-0 n 1\n1<\n0> XADD q 2-0 n 2\n2<\n0> XPENDING q g\n0> XINFO GROUPS q",
    ),
    (
        "XREADGROUP BLOCK gets NOGROUP when its group is destroyed, UNBLOCKED when its stream is deleted or overwritten",
        "0> XGROUP CREATE q g $ MKSTREAM\n1>! XREADGROUP GROUP g w1 BLOCK 0 STREAMS q >\n0> XGROUP DESTROY q g\n1<\n0> XGROUP CREATE q g2 $\n1>! XREADGROUP GROUP g2 w1 BLOCK 0 STREAMS q >\n0> DEL q\n1<\n0> XGROUP CREATE q g3 $ MKSTREAM\n1>! XREADGROUP GROUP g3 w1 BLOCK 0 STREAMS q >\n2>! XREAD BLOCK 0 STREAMS q $\n0> SET q x\n1<\n0> DEL q\n0> XADD q 9-0 x 1\n2<",
    ),
    (
        "XREADGROUP BLOCK on several streams is served by the one that got an entry; history answers at once",
        "0> XGROUP CREATE a g $ MKSTREAM\n0> XGROUP CREATE b g $ MKSTREAM\n1>! XREADGROUP GROUP g c BLOCK 0 STREAMS a b > >\n0> MULTI\n0> XADD b 1-0 k v\n0> XADD a 1-0 k v\n0> EXEC\n1<\n1> XREADGROUP GROUP g c BLOCK 0 STREAMS a b 0 0\n0> XPENDING a g\n0> XPENDING b g",
    ),
    (
        "tracking: a RESP3 client is told when a key it read changes, once",
        "0> HELLO 3\n0> CLIENT TRACKING on\n0> GET k\n0> MGET a b\n1> SET k 1\n0?\n1> SET k 2\n1> MSET a 1 b 2\n0?\n0?\n0> CLIENT TRACKINGINFO\n0> CLIENT GETREDIR",
    ),
    (
        "tracking: a client's own writes are announced after the reply, not with NOLOOP",
        "0> HELLO 3\n0> CLIENT TRACKING on\n0> GET k\n0> SET k 1\n0> PING\n0> CLIENT TRACKING on NOLOOP\n0> GET k\n0> SET k 2\n0> PING",
    ),
    (
        "tracking: OPTIN reads count only after CLIENT CACHING yes, OPTOUT ones unless no",
        "0> HELLO 3\n0> CLIENT TRACKING on OPTIN\n0> GET a\n0> CLIENT CACHING yes\n0> GET b\n0> CLIENT TRACKINGINFO\n1> MSET a 1 b 1\n0?\n0> CLIENT CACHING no\n0> CLIENT TRACKING off\n0> CLIENT TRACKING on OPTOUT\n0> CLIENT CACHING no\n0> GET a\n0> GET b\n1> MSET a 2 b 2\n0?\n0> CLIENT CACHING yes\n0> CLIENT TRACKING on OPTIN",
    ),
    (
        "tracking: BCAST prefixes collect every change, NOLOOP leaves out the client's own",
        "0> HELLO 3\n0> CLIENT TRACKING on BCAST PREFIX user: PREFIX order: NOLOOP\n1> MSET user:2 a user:1 b other c order:9 d\n0?\n0?\n0> SET user:3 x\n1> SET order:1 y\n0?\n0> CLIENT TRACKINGINFO\n0> CLIENT TRACKING on BCAST PREFIX use\n0> CLIENT TRACKING on PREFIX x\n0> CLIENT TRACKING on\n0> CLIENT TRACKING off\n0> CLIENT TRACKING on BCAST PREFIX a PREFIX ab",
    ),
    (
        "tracking: REDIRECT to a RESP2 subscriber sends pub/sub messages; a gone target breaks it",
        "1> SUBSCRIBE __redis__:invalidate\n0> CLIENT TRACKING on REDIRECT $id1\n0> GET k\n2> SET k 1\n1?\n0> CLIENT GETREDIR\n0> FLUSHALL\n1?\n0> CLIENT TRACKING on REDIRECT 999999",
    ),
    (
        "tracking: FLUSHDB and FLUSHALL tell every tracking client everything changed, and forget what was read",
        "0> HELLO 3\n0> CLIENT TRACKING on\n0> GET k\n1> FLUSHDB\n0?\n0> GET k\n1> FLUSHALL\n0?\n1> SET k 1\n0> PING",
    ),
    (
        "CLIENT REPLY OFF and SKIP silence replies; ON answers again",
        "0>- CLIENT REPLY SKIP\n0>- SET a 1\n0> GET a\n0>- CLIENT REPLY OFF\n0>- SET b 2\n0>- CLIENT REPLY SKIP\n0> CLIENT REPLY ON\n0> MGET a b\n0> CLIENT REPLY maybe",
    ),
    (
        "a RESP3 subscriber may run any command; RESET takes it back to RESP2",
        "0> HELLO 3\n0> SUBSCRIBE ch\n0> GET k\n0> PING\n1> PUBLISH ch hi\n0?\n0> RESET\n0> PING\n0> HELLO",
    ),
    (
        "a restricted user: NOPERM for commands, keys and channels; a wrong AUTH keeps the user",
        "0> ACL SETUSER bob on >pw -@all +get +set +del +publish +acl|whoami ~b:* %R~r:* &news\n\
         1> AUTH bob pw\n1> ACL WHOAMI\n1> GET b:1\n1> GET other\n1> SET b:1 v\n1> GET r:1\n1> SET r:1 v\n\
         1> DEL b:1 other\n1> PUBLISH news hi\n1> PUBLISH other hi\n1> INCR b:1\n1> CONFIG GET maxmemory\n\
         1> ACL LIST\n1> PING\n1> AUTH bob wrong\n1> AUTH nobody pw\n1> ACL WHOAMI\n0> ACL WHOAMI\n0> ACL DELUSER bob",
    ),
    (
        "a refused command inside MULTI aborts EXEC",
        "0> ACL SETUSER bob on >pw -@all +multi +exec +get +set ~*\n1> AUTH bob pw\n1> MULTI\n\
         1> SET k v\n1> INCR k\n1> EXEC\n1> GET k\n0> ACL DELUSER bob",
    ),
    (
        "rules changed between queueing and EXEC refuse the command at EXEC",
        "0> ACL SETUSER bob on >pw -@all +multi +exec +get +set ~*\n1> AUTH bob pw\n1> MULTI\n\
         1> SET k v\n1> GET k\n1> SET other v\n0> ACL SETUSER bob -get resetkeys ~k\n1> EXEC\n0> EXISTS other\n0> ACL DELUSER bob",
    ),
    (
        "a logged-in connection follows its user's rules at once; off does not log it out",
        "0> ACL SETUSER bob on >pw +@all ~*\n1> AUTH bob pw\n1> SET k v\n0> ACL SETUSER bob -set\n\
         1> SET k v\n0> ACL SETUSER bob off\n1> GET k\n1> AUTH bob pw\n1> ACL WHOAMI\n1> RESET\n1> ACL WHOAMI\n0> ACL DELUSER bob",
    ),
    (
        "requirepass sets the default user's password; connections already in stay in",
        "1> PING\n0> CONFIG SET requirepass secret\n1> PING\n0> AUTH wrong\n0> AUTH secret\n\
         0> AUTH default secret\n0> ACL LIST\n0> CONFIG GET requirepass\n0> ACL SETUSER default >other\n\
         0> CONFIG GET requirepass\n0> ACL GETUSER default\n0> CONFIG SET requirepass \"\"\n0> ACL LIST\n0> AUTH x",
    ),
    (
        "CLIENT KILL USER closes the user's connections; CLIENT LIST is left alone",
        "0> ACL SETUSER bob on nopass +@all ~*\n1> AUTH bob anything\n2> AUTH bob x\n2> ACL WHOAMI\n\
         0> CLIENT KILL USER bob\n0> CLIENT KILL USER bob\n0> ACL DELUSER bob\n0> CLIENT KILL USER bob",
    ),
    (
        "HELLO AUTH logs in and switches protocol at once; HELLO alone needs a logged-in client",
        "1> PING\n2> PING\n0> ACL SETUSER carol on >pw +@all ~*\n0> CONFIG SET requirepass secret\n1> HELLO 3\n1> GET k\n\
         1> HELLO 3 AUTH carol wrong\n1> HELLO 3 AUTH carol pw SETNAME app\n1> ACL WHOAMI\n1> CLIENT GETNAME\n\
         1> HELLO 2 SETNAME bad\\x20name\n1> HELLO 4\n1> HELLO x\n1> HELLO 3 AUTH carol\n1> HELLO 3 BOGUS\n\
         2> HELLO 2 AUTH default secret\n2> ACL WHOAMI\n0> CONFIG SET requirepass \"\"\n0> ACL DELUSER carol",
    ),
    (
        "sharded pub/sub: SSUBSCRIBE and SPUBLISH are a namespace of their own",
        "0> SSUBSCRIBE orders\n2> PSUBSCRIBE *\n1> SPUBLISH orders new\n0?\n1> PUBLISH orders plain\n2?\n\
         1> PUBSUB SHARDCHANNELS\n1> PUBSUB SHARDCHANNELS ord*\n1> PUBSUB SHARDNUMSUB orders none\n1> PUBSUB CHANNELS\n\
         0> SSUBSCRIBE more\n0> SUNSUBSCRIBE orders\n0> SUNSUBSCRIBE more\n0> SUNSUBSCRIBE\n0> PING\n\
         1> MULTI\n1> SSUBSCRIBE x\n1> EXEC\n1> COMMAND GETKEYS SPUBLISH ch msg\n1> COMMAND INFO spublish ssubscribe sunsubscribe",
    ),
    (
        "a script's write fails another client's EXEC; a script inside EXEC runs at EXEC",
        "0> SET w 1\n0> WATCH w\n1> EVAL \"return redis.call('set', 'w', 2)\" 0\n0> MULTI\n0> PING\n0> EXEC\n\
         0> WATCH w\n0> MULTI\n0> EVAL \"return redis.call('incr', 'w')\" 0\n1> GET w\n0> EXEC\n1> GET w",
    ),
    (
        "a script's push serves a client blocked on the list, after the script",
        "0>! BLPOP q 0\n1> EVAL \"redis.call('rpush', 'q', 'a', 'b') return redis.call('llen', 'q')\" 0\n0<\n1> LRANGE q 0 -1",
    ),
    (
        "a script runs in its caller's db; its SELECT is its own",
        "0> SELECT 4\n0> EVAL \"redis.call('set', 'x', 'in4') redis.call('select', 5) return redis.call('set', 'x', 'in5')\" 0\n\
         0> GET x\n1> SELECT 5\n1> GET x\n1> FLUSHALL",
    ),
    (
        "functions are the server's: loaded by one client, called and deleted by another",
        "0> FUNCTION LOAD \"#!lua name=shared\\nredis.register_function('who', function() return 'shared' end)\"\n\
         1> FCALL who 0\n1> FUNCTION LOAD \"#!lua name=shared\\nredis.register_function('who', function() return 2 end)\"\n\
         1> FUNCTION DELETE shared\n0> FCALL who 0\n0> SCRIPT LOAD \"return 'c'\"\n1> EVALSHA af646123947003777c56e15353b3983ac3025599 0\n1> SCRIPT FLUSH",
    ),
];

enum Step {
    Call(usize, Vec<Vec<u8>>),
    Block(usize, Vec<Vec<u8>>),
    Answer(usize),
    /// `N?`: connection N reads one push (RESP3, or a message in subscribed RESP2).
    Push(usize),
    /// `N>- command`: a command that gets no reply (CLIENT REPLY OFF or SKIP).
    Silent(usize, Vec<Vec<u8>>),
}

/// `$id1` in a command stands for connection 1's client id (which differs between the
/// real server and the engine).
fn with_ids(argv: &[Vec<u8>], ids: &[i64]) -> Vec<Vec<u8>> {
    argv.iter()
        .map(|a| match a.strip_prefix(b"$id") {
            Some(n) => {
                let n: usize = std::str::from_utf8(n)
                    .ok()
                    .and_then(|n| n.parse().ok())
                    .expect("$idN");
                ids[n].to_string().into_bytes()
            }
            None => a.clone(),
        })
        .collect()
}

/// Client ids differ between the real server and the engine: HELLO's `id` and CLIENT
/// GETREDIR's answer are shown as `$idN`.
fn masked(mut text: String, argv: &[Vec<u8>], ids: &[i64]) -> String {
    let getredir = argv.len() == 2
        && argv[0].eq_ignore_ascii_case(b"client")
        && argv[1].eq_ignore_ascii_case(b"getredir");
    for (n, id) in ids.iter().enumerate() {
        for (from, to) in [
            (
                format!("\"id\" => (integer) {id}\n"),
                format!("\"id\" => $id{n}\n"),
            ),
            (
                format!("\"id\"\n 8) (integer) {id}\n"),
                format!("\"id\"\n 8) $id{n}\n"),
            ),
        ] {
            text = text.replace(&from, &to);
        }
        if getredir && text == format!("(integer) {id}\n") {
            text = format!("$id{n}\n");
        }
    }
    text
}

/// Commands whose replies are pushes in RESP3 (nothing else follows them).
fn answers_with_pushes(argv: &[Vec<u8>]) -> bool {
    let n = argv[0].to_ascii_lowercase();
    n.ends_with(b"subscribe")
}

fn parse(script: &str) -> Vec<Step> {
    script
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (who, rest) = l.split_at(l.find(['>', '<', '?']).expect("N> or N< or N?"));
            let n: usize = who.parse().expect("a console number");
            let argv = |s: &str| match cli::parse_line(s.trim()) {
                Line::Command { argv, .. } => argv,
                _ => panic!("not a command: {s:?}"),
            };
            if let Some(cmd) = rest.strip_prefix(">!") {
                Step::Block(n, argv(cmd))
            } else if let Some(cmd) = rest.strip_prefix(">-") {
                Step::Silent(n, argv(cmd))
            } else if let Some(cmd) = rest.strip_prefix('>') {
                Step::Call(n, argv(cmd))
            } else if rest == "?" {
                Step::Push(n)
            } else {
                Step::Answer(n)
            }
        })
        .collect()
}

fn words(parts: &[&str]) -> Vec<Vec<u8>> {
    parts.iter().map(|p| p.as_bytes().to_vec()).collect()
}

/// Wait until the server has taken connection `id`'s command and blocked it (CLIENT LIST
/// shows the `b` flag): a real condition, not a pause that a slow machine can outrun.
fn wait_until_blocked(ctl: &mut Conn, id: i64) {
    let line = words(&["CLIENT", "LIST", "ID", &id.to_string()]);
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let listed = match ctl.call(&line) {
            redis_playground::Reply::Bulk(b) => String::from_utf8_lossy(&b).into_owned(),
            other => panic!("CLIENT LIST answered {other:?}"),
        };
        let flags = listed.split(' ').find_map(|f| f.strip_prefix("flags="));
        if flags.is_some_and(|f| f.contains('b')) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "client {id} never blocked: {listed}"
        );
        std::thread::yield_now();
    }
}

/// What each step printed on the real server, as redis-cli formats it.
fn run_real(port: u16, steps: &[Step]) -> Vec<String> {
    let mut conns: Vec<Conn> = Vec::new();
    let mut ids: Vec<i64> = Vec::new();
    let mut ctl = Conn::open(port);
    let mut pending: Vec<Option<Vec<Vec<u8>>>> = Vec::new();
    let mut out = Vec::new();
    for step in steps {
        let n = match step {
            Step::Call(n, _)
            | Step::Block(n, _)
            | Step::Silent(n, _)
            | Step::Answer(n)
            | Step::Push(n) => *n,
        };
        while conns.len() <= n {
            let mut c = Conn::open(port);
            match c.call(&words(&["CLIENT", "ID"])) {
                redis_playground::Reply::Int(id) => ids.push(id),
                other => panic!("CLIENT ID answered {other:?}"),
            }
            conns.push(c);
            pending.push(None);
        }
        match step {
            Step::Call(_, argv) => {
                let argv = &with_ids(argv, &ids);
                let (pushes, reply) = if answers_with_pushes(argv) {
                    (Vec::new(), conns[n].call(argv))
                } else {
                    conns[n].call_with_pushes(argv)
                };
                let mut text = String::new();
                for p in &pushes {
                    cli::print_push(&mut text, p);
                }
                text.push_str(&cli::printed(argv, &reply));
                out.push(masked(text, argv, &ids));
            }
            Step::Push(_) => {
                let mut text = String::new();
                cli::print_push(&mut text, &conns[n].read());
                out.push(text);
            }
            Step::Silent(_, argv) => {
                conns[n].send(argv);
                out.push(String::new());
            }
            Step::Block(_, argv) => {
                let argv = &with_ids(argv, &ids);
                conns[n].send(argv);
                pending[n] = Some(argv.clone());
                wait_until_blocked(&mut ctl, ids[n]);
                out.push(String::new());
            }
            Step::Answer(_) => {
                let argv = pending[n].take().expect("a blocked command to answer");
                let reply = conns[n].read();
                out.push(cli::printed(&argv, &reply));
            }
        }
    }
    out
}

/// The same on the engine: one console per connection.
fn run_engine(steps: &[Step]) -> Vec<String> {
    let mut s = World::with_seed(T0, 7);
    let mut out = Vec::new();
    let mut ids: Vec<i64> = Vec::new();
    // Pushes taken from a console and not printed yet.
    let mut queued: Vec<std::collections::VecDeque<redis_playground::Reply>> = Vec::new();
    for step in steps {
        let n = match step {
            Step::Call(n, _)
            | Step::Block(n, _)
            | Step::Silent(n, _)
            | Step::Answer(n)
            | Step::Push(n) => *n,
        };
        while s.console_ids().len() <= n {
            s.open_console(T0);
        }
        while ids.len() <= n {
            let id = s
                .console(ids.len())
                .map(|c| c.client_id())
                .expect("a console");
            ids.push(id as i64);
            queued.push(Default::default());
        }
        let Some(mut console) = s.console(n) else {
            panic!("console {n} is closed");
        };
        match step {
            Step::Call(_, argv) | Step::Block(_, argv) | Step::Silent(_, argv) => {
                let argv = &with_ids(argv, &ids);
                // Pushes that came while at the prompt print before the reply.
                let mut text = String::new();
                if console.mode() == redis_playground::session::Mode::Ready {
                    queued[n].extend(console.take_replies());
                    for p in queued[n].drain(..) {
                        cli::print_push(&mut text, &p);
                    }
                }
                let reply = console.exec_args(argv);
                let blocked = console.mode() == redis_playground::session::Mode::Blocked;
                if !blocked {
                    text.push_str(&cli::printed(argv, &reply));
                }
                out.push(masked(text, argv, &ids));
            }
            Step::Push(_) => {
                let mut text = String::new();
                queued[n].extend(console.take_replies());
                if let Some(p) = queued[n].pop_front() {
                    cli::print_push(&mut text, &p);
                }
                out.push(text);
            }
            Step::Answer(_) => {
                let mut text = console.take_messages();
                text.push('\n');
                out.push(text);
            }
        }
    }
    out
}

#[test]
fn transactions_watch_and_blocking_across_connections_match_redis() {
    let Some(bin) = find_binary("redis-server", "REDIS_SERVER") else {
        if std::env::var("REDIS_DIFF_REQUIRED").is_ok_and(|v| v == "1") {
            panic!("redis-server is required (REDIS_DIFF_REQUIRED=1) but was not found");
        }
        loud("redis-server not found: SKIPPING the multi-client differential test");
        return;
    };
    let server = RedisServer::start(&bin);
    let mut failures = Vec::new();
    let mut compared = 0;
    for (name, script) in SCENARIOS {
        server.command(&["FLUSHALL"]).expect("FLUSHALL");
        let steps = parse(script);
        let real = run_real(server.port, &steps);
        let ours = run_engine(&steps);
        let lines: Vec<&str> = script.lines().map(str::trim).collect();
        for (i, (r, o)) in real.iter().zip(&ours).enumerate() {
            compared += 1;
            if r != o {
                failures.push(format!(
                    "{name}: {}\n--- redis\n{r}--- engine\n{o}",
                    lines[i]
                ));
            }
        }
    }
    eprintln!(
        "multi-client differential: {} scenarios, {compared} steps compared, {} mismatches",
        SCENARIOS.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
