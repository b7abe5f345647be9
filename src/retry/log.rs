//! The simulation's connections to the server and the log of every command they send
//! (MONITOR-style: time, db, who, argv, and the reply), bounded to the latest N.

use crate::clock::Ms;
use std::collections::VecDeque;
use std::fmt;

use super::config::StrategyKind;
use crate::reply::Reply;
use crate::server::{ClientId, Server};

/// Who sent a command. Instances are numbered from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(
    target_arch = "wasm32",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub enum Actor {
    /// Preparing the run: SELECT, FLUSHDB, CONFIG, the first SUBSCRIBE.
    Setup,
    /// The application, recording an operation's original failure.
    App,
    /// A poller instance (polling).
    Poller(u8),
    /// A listener's subscribed connection (events).
    Subscriber(u8),
    /// A listener's second connection, for commands (a subscribed one can't send them).
    Listener(u8),
    /// A queue worker (or a consumer group's).
    Worker(u8),
    /// The consumer group's reclaimer (XAUTOCLAIM).
    Reclaimer,
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Actor::Setup => write!(f, "setup"),
            Actor::App => write!(f, "app"),
            Actor::Poller(i) => write!(f, "poller-{i}"),
            Actor::Subscriber(i) => write!(f, "subscriber-{i}"),
            Actor::Listener(i) => write!(f, "listener-{i}"),
            Actor::Worker(i) => write!(f, "worker-{i}"),
            Actor::Reclaimer => write!(f, "reclaimer"),
        }
    }
}

/// One command the simulation sent.
#[derive(Clone, Debug, PartialEq)]
pub struct LogEntry {
    /// Increases by one per command; `Simulation::log_since` takes the last one seen.
    pub seq: u64,
    pub at_ms: Ms,
    /// None for setup commands not tied to one strategy.
    pub strategy: Option<StrategyKind>,
    /// The db the connection had selected when it sent the command.
    pub db: u8,
    pub actor: Actor,
    pub argv: Vec<Vec<u8>>,
    pub reply: Reply,
}

impl LogEntry {
    /// The arguments as text (invalid UTF-8 replaced).
    pub fn argv_text(&self) -> Vec<String> {
        self.argv
            .iter()
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect()
    }

    /// As MONITOR prints it: `1700000000.123000 [10 poller-1] "TTL" "order:1"`.
    pub fn monitor_line(&self) -> String {
        let secs = self.at_ms.div_euclid(1000);
        let micros = self.at_ms.rem_euclid(1000) * 1000;
        let mut out = format!("{secs}.{micros:06} [{} {}]", self.db, self.actor);
        for a in &self.argv {
            out.push(' ');
            crate::cli::repr(&mut out, a);
        }
        out
    }

    /// The reply on one line: `(integer) -2`, `OK`, `"pending"`, `(nil)`, `["order:1"]`.
    pub fn reply_text(&self) -> String {
        let mut out = String::new();
        one_line(&mut out, &self.reply);
        out
    }
}

fn one_line(out: &mut String, r: &Reply) {
    match r {
        Reply::Status(s) => out.push_str(s),
        Reply::Error(e) => {
            out.push_str("(error) ");
            out.push_str(e);
        }
        Reply::Int(n) => out.push_str(&format!("(integer) {n}")),
        Reply::Bulk(b) => crate::cli::repr(out, b),
        Reply::Nil | Reply::NilArray | Reply::Null => out.push_str("(nil)"),
        Reply::Double(d) | Reply::DoubleBulk(d) => crate::num::double::fmt_g17_into(*d, out),
        Reply::DoubleText(t) | Reply::BigNumber(t) => out.push_str(t),
        Reply::Bool(b) => out.push_str(if *b { "(true)" } else { "(false)" }),
        Reply::Verbatim(b) => crate::cli::repr(out, b),
        Reply::Pairs(_) | Reply::KeyedArrays(_) | Reply::Attributed(..) => {
            one_line(out, &r.clone().for_protocol(crate::reply::Protocol::Resp2))
        }
        Reply::Array(items) | Reply::Set(items) | Reply::Multi(items) | Reply::Push(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                one_line(out, item);
            }
            out.push(']');
        }
        Reply::Map(pairs) => {
            out.push('{');
            for (i, (k, v)) in pairs.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                one_line(out, k);
                out.push_str(": ");
                one_line(out, v);
            }
            out.push('}');
        }
    }
}

/// The latest `capacity` commands.
#[derive(Clone, Debug, Default)]
pub(crate) struct CommandLog {
    capacity: usize,
    entries: VecDeque<LogEntry>,
    next_seq: u64,
}

impl CommandLog {
    pub fn new(capacity: usize) -> CommandLog {
        CommandLog {
            capacity,
            entries: VecDeque::new(),
            next_seq: 1,
        }
    }

    fn push(&mut self, at_ms: Ms, c: &SimClient, argv: Vec<Vec<u8>>, reply: Reply) {
        let seq = self.next_seq;
        self.next_seq += 1;
        if self.capacity == 0 {
            return;
        }
        if self.entries.len() == self.capacity {
            self.entries.pop_front();
        }
        self.entries.push_back(LogEntry {
            seq,
            at_ms,
            strategy: c.strategy,
            db: c.db,
            actor: c.actor,
            argv,
            reply,
        });
    }

    /// The kept entries with `seq > after`, oldest first.
    pub fn since(&self, after: u64) -> impl Iterator<Item = &LogEntry> {
        let first = self.entries.front().map_or(0, |e| e.seq);
        let skip =
            usize::try_from(after.saturating_add(1).saturating_sub(first)).unwrap_or(usize::MAX);
        self.entries.iter().skip(skip)
    }

    /// The seq the next command will get.
    pub fn next_seq(&self) -> u64 {
        self.next_seq
    }
}

/// One of the simulation's connections to the server.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SimClient {
    pub id: ClientId,
    pub actor: Actor,
    pub db: u8,
    pub strategy: Option<StrategyKind>,
}

/// The server, the log and the current world time: what sending a command needs.
pub(crate) struct Wire<'a> {
    pub server: &'a mut Server,
    pub log: &'a mut CommandLog,
    pub now: Ms,
    /// Commands sent and cycles run during this call (the work bound).
    pub work: u64,
}

impl Wire<'_> {
    /// Send one command over a connection; the reply comes back as Redis would send it.
    pub fn send(&mut self, c: &mut SimClient, argv: Vec<Vec<u8>>) -> Reply {
        if !self.server.is_connected(c.id) {
            // Someone ran CLIENT KILL on this connection: open a new one, as a real
            // client library would, on the same db.
            c.id = self.server.connect();
            if c.db != 0 {
                let select = vec![b"SELECT".to_vec(), c.db.to_string().into_bytes()];
                self.server.execute(c.id, &select, self.now);
            }
        }
        self.work += 1;
        let reply = self.server.execute(c.id, &argv, self.now);
        let db = self.server.client(c.id).map_or(c.db, |cl| cl.db() as u8);
        self.log.push(self.now, c, argv, reply.clone());
        c.db = db;
        reply
    }

    /// Open a connection (and SELECT its db unless it is 0).
    pub fn connect(&mut self, actor: Actor, strategy: Option<StrategyKind>, db: u8) -> SimClient {
        let id = self.server.connect();
        let mut c = SimClient {
            id,
            actor,
            db: 0,
            strategy,
        };
        if db != 0 {
            self.send(
                &mut c,
                vec![b"SELECT".to_vec(), db.to_string().into_bytes()],
            );
        }
        c
    }
}

/// An argv from words.
pub(crate) fn argv<const N: usize>(words: [&[u8]; N]) -> Vec<Vec<u8>> {
    words.iter().map(|w| w.to_vec()).collect()
}
