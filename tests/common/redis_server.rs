//! A real `redis-server` for the differential tests: found on the machine, started on a
//! free loopback port in a temp dir, killed (and the dir removed) on drop.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use redis_playground::Reply;

// ---------------------------------------------------------------------------------------
// Finding the binaries
// ---------------------------------------------------------------------------------------

/// The reference server for a differential test, started; None after saying loudly that
/// `what` did not run because redis-server is missing (a failure when
/// `REDIS_DIFF_REQUIRED` is set).
pub fn reference_server(what: &str) -> Option<RedisServer> {
    let Some(bin) = find_binary("redis-server", "REDIS_SERVER") else {
        loud(&format!(
            "\n*** SKIPPED: redis-server not installed; {what} did not run ***\n"
        ));
        assert!(
            std::env::var_os("REDIS_DIFF_REQUIRED").is_none(),
            "REDIS_DIFF_REQUIRED is set but redis-server is missing"
        );
        return None;
    };
    Some(RedisServer::start(&bin))
}

pub fn find_binary(name: &str, env_override: &str) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env_override) {
        let p = PathBuf::from(p);
        return p.is_file().then_some(p);
    }
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    for d in ["/usr/bin", "/usr/local/bin", "/usr/sbin", "/bin"] {
        dirs.push(PathBuf::from(d));
    }
    dirs.into_iter().map(|d| d.join(name)).find(|p| p.is_file())
}

/// Writes straight to the process's stderr, past libtest's output capture, so the
/// message is seen even when the test passes (or is skipped).
pub fn loud(msg: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(msg.as_bytes());
    let _ = err.write_all(b"\n");
    let _ = err.flush();
}

pub fn wall_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock before 1970")
        .as_millis() as f64
}

// ---------------------------------------------------------------------------------------
// The redis-server child process
// ---------------------------------------------------------------------------------------

/// A `redis-server` on a loopback port, killed (and its temp dir removed) on drop —
/// including when the test panics.
pub struct RedisServer {
    child: Child,
    pub port: u16,
    pub dir: PathBuf,
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral loopback port");
    l.local_addr().unwrap().port()
}

impl RedisServer {
    pub fn start(bin: &Path) -> RedisServer {
        let mut last_log = String::new();
        for attempt in 0..5 {
            let port = free_port();
            let dir = std::env::temp_dir().join(format!(
                "redis-playground-diff-{}-{}-{}",
                std::process::id(),
                port,
                attempt
            ));
            std::fs::create_dir_all(&dir).expect("create the server's temp dir");
            let log = std::fs::File::create(dir.join("server.log")).expect("create server.log");
            let child = Command::new(bin)
                .args(["--port", &port.to_string()])
                .args(["--bind", "127.0.0.1"])
                .args(["--save", ""])
                .args(["--appendonly", "no"])
                .args(["--daemonize", "no"])
                // DEBUG OBJECT is compared (the playground always allows DEBUG).
                .args(["--enable-debug-command", "local"])
                .arg("--dir")
                .arg(&dir)
                .stdin(Stdio::null())
                .stdout(Stdio::from(log.try_clone().unwrap()))
                .stderr(Stdio::from(log))
                .spawn()
                .expect("spawn redis-server");
            let mut server = RedisServer { child, port, dir };
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = server.child.try_wait() {
                    break; // exited: port taken between our probe and its bind? try another
                }
                if let Ok(reply) = server.command(&["PING"]) {
                    if reply == "+PONG" {
                        return server;
                    }
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            last_log = std::fs::read_to_string(server.dir.join("server.log")).unwrap_or_default();
            drop(server);
        }
        panic!("redis-server did not come up (5 attempts); its last log:\n{last_log}");
    }

    /// One command over a fresh connection; returns the first line of the RESP reply
    /// (enough for PING and FLUSHALL).
    pub fn command(&self, args: &[&str]) -> std::io::Result<String> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port))?;
        s.set_read_timeout(Some(Duration::from_secs(10)))?;
        let mut req = format!("*{}\r\n", args.len());
        for a in args {
            let _ = write!(req, "${}\r\n{}\r\n", a.len(), a);
        }
        s.write_all(req.as_bytes())?;
        let mut line = String::new();
        BufReader::new(s).read_line(&mut line)?;
        Ok(line.trim_end().to_string())
    }
}

// ---- a minimal RESP2 client ----

pub struct Conn {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Conn {
    pub fn open(port: u16) -> Conn {
        let s = TcpStream::connect(("127.0.0.1", port)).expect("connect to redis-server");
        s.set_read_timeout(Some(Duration::from_secs(10)))
            .expect("set a read timeout");
        Conn {
            reader: BufReader::new(s.try_clone().expect("clone the socket")),
            writer: s,
        }
    }

    /// Send a command and read its reply.
    pub fn call(&mut self, argv: &[Vec<u8>]) -> Reply {
        self.send(argv);
        self.read()
    }

    /// Send a command and read its reply, with the pushes (RESP3) that came before it.
    pub fn call_with_pushes(&mut self, argv: &[Vec<u8>]) -> (Vec<Reply>, Reply) {
        self.send(argv);
        let mut pushes = Vec::new();
        loop {
            match self.read() {
                p @ Reply::Push(_) => pushes.push(p),
                reply => return (pushes, reply),
            }
        }
    }

    /// Send a command without reading anything.
    pub fn send(&mut self, argv: &[Vec<u8>]) {
        let mut req = format!("*{}\r\n", argv.len()).into_bytes();
        for a in argv {
            req.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
            req.extend_from_slice(a);
            req.extend_from_slice(b"\r\n");
        }
        self.writer.write_all(&req).expect("send to redis-server");
    }

    fn line(&mut self) -> String {
        let mut l = String::new();
        self.reader
            .read_line(&mut l)
            .expect("read from redis-server");
        l.trim_end_matches("\r\n").to_string()
    }

    pub fn read(&mut self) -> Reply {
        let l = self.line();
        let (t, rest) = l.split_at(1);
        match t {
            "+" => Reply::Status(rest.to_string().into()),
            "-" => Reply::Error(rest.into()),
            ":" => Reply::Int(rest.parse().expect("an integer reply")),
            "$" => {
                let n: i64 = rest.parse().expect("a bulk length");
                if n < 0 {
                    return Reply::Nil;
                }
                let mut buf = vec![0; n as usize + 2];
                self.reader
                    .read_exact(&mut buf)
                    .expect("read a bulk string");
                buf.truncate(n as usize);
                Reply::Bulk(buf)
            }
            "*" => {
                let n: i64 = rest.parse().expect("an array length");
                if n < 0 {
                    return Reply::NilArray;
                }
                Reply::Array((0..n).map(|_| self.read()).collect())
            }
            // RESP3, after HELLO 3.
            "_" => Reply::Null,
            "#" => Reply::Bool(rest == "t"),
            "," => Reply::DoubleText(rest.to_string()),
            "(" => Reply::BigNumber(rest.to_string()),
            "~" | ">" => {
                let n: usize = rest.parse().expect("an aggregate length");
                let items = (0..n).map(|_| self.read()).collect();
                if t == "~" {
                    Reply::Set(items)
                } else {
                    Reply::Push(items)
                }
            }
            "%" => {
                let n: usize = rest.parse().expect("a map length");
                Reply::Map((0..n).map(|_| (self.read(), self.read())).collect())
            }
            "=" => {
                let n: usize = rest.parse().expect("a verbatim length");
                let mut buf = vec![0; n + 2];
                self.reader
                    .read_exact(&mut buf)
                    .expect("read a verbatim string");
                buf.truncate(n);
                Reply::Verbatim(buf.split_off(4.min(buf.len())))
            }
            _ => panic!("unexpected RESP line {l:?}"),
        }
    }
}

/// The engine's reply as a RESP2 client receives it.
pub fn resp2(r: Reply) -> Reply {
    match r {
        Reply::Map(pairs) => Reply::Array(
            pairs
                .into_iter()
                .flat_map(|(k, v)| [resp2(k), resp2(v)])
                .collect(),
        ),
        Reply::Set(items) | Reply::Array(items) => {
            Reply::Array(items.into_iter().map(resp2).collect())
        }
        Reply::Double(d) | Reply::DoubleBulk(d) => {
            Reply::Bulk(redis_playground::num::double::fmt_g17(d).into_bytes())
        }
        other => other,
    }
}

/// Run `lines` on a real server connection and on the engine, reply by reply (RESP2
/// shapes): how many were compared, and the first that differed, described.
pub fn first_difference(
    conn: &mut Conn,
    ours: &mut redis_playground::World,
    lines: &[Vec<Vec<u8>>],
) -> (usize, Option<String>) {
    let show = |r: &Reply| format!("{r:?}").chars().take(300).collect::<String>();
    for (i, line) in lines.iter().enumerate() {
        let want = conn.call(line);
        ours.sync(wall_ms());
        let got = resp2(ours.exec_args(line));
        if want != got {
            let words: Vec<String> = line
                .iter()
                .take(8)
                .map(|w| String::from_utf8_lossy(w).chars().take(40).collect())
                .collect();
            return (
                i + 1,
                Some(format!(
                    "{}\n    redis: {}\n    ours:  {}",
                    words.join(" "),
                    show(&want),
                    show(&got)
                )),
            );
        }
    }
    (lines.len(), None)
}
