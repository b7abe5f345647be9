//! The server: sixteen databases, the clients, statistics, and dispatch through the
//! command table (arity check, unknown commands, MULTI queueing).

use crate::commands::{self, Command};
use crate::db::Db;
use crate::error::CmdError;
use crate::reply::Reply;

pub const NUM_DBS: usize = 16;

/// Keyspace event classes, with the letters `notify-keyspace-events` uses for them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Generic,
    String,
    List,
    Set,
    Hash,
    ZSet,
    Expired,
    Evicted,
    Stream,
    KeyMiss,
    New,
}

impl Class {
    pub fn letter(self) -> char {
        match self {
            Class::Generic => 'g',
            Class::String => '$',
            Class::List => 'l',
            Class::Set => 's',
            Class::Hash => 'h',
            Class::ZSet => 'z',
            Class::Expired => 'x',
            Class::Evicted => 'e',
            Class::Stream => 't',
            Class::KeyMiss => 'm',
            Class::New => 'n',
        }
    }
}
pub type ClientId = usize;

/// Work bound of one active-expiry pass over all databases, in sampled keys.
pub const ACTIVE_EXPIRE_BUDGET: usize = 4_000;

#[derive(Default, Debug, Clone)]
pub struct Stats {
    pub commands_processed: u64,
    pub connections_received: u64,
    pub keyspace_hits: u64,
    pub keyspace_misses: u64,
    pub expired_keys: u64,
}

#[derive(Default, Debug)]
pub struct Client {
    pub id: u64,
    pub db: usize,
    /// Commands queued since MULTI.
    pub multi: Option<Vec<Vec<Vec<u8>>>>,
    /// A command was rejected while queueing: EXEC must abort.
    pub multi_error: bool,
    /// WATCHed keys: (db, key).
    pub watched: Vec<(usize, Vec<u8>)>,
    /// A watched key was modified: EXEC must fail.
    pub dirty_cas: bool,
    /// Subscribed channels and patterns, in subscription order.
    pub channels: Vec<Vec<u8>>,
    pub patterns: Vec<Vec<u8>>,
    /// Messages pushed to this client (pub/sub), not yet read.
    pub inbox: std::collections::VecDeque<Reply>,
}

impl Client {
    /// A subscribed client (RESP2) may only run pub/sub commands, PING, QUIT and RESET.
    pub fn is_subscribed(&self) -> bool {
        !self.channels.is_empty() || !self.patterns.is_empty()
    }
}

pub struct Server {
    pub dbs: Vec<Db>,
    pub clients: Vec<Client>,
    pub rng: fastrand::Rng,
    pub stats: Stats,
    /// World time the server started, ms.
    pub started_ms: i64,
    /// Changes since the last save (INFO persistence `rdb_changes_since_last_save`).
    pub dirty: u64,
    last_expire_cycle_ms: i64,
    next_client_id: u64,
    /// Bumped whenever any key changes anywhere (a write, a deletion, an expiry, a flush),
    /// so a view can tell cheaply whether it needs refreshing.
    pub generation: u64,
    /// Channel → subscribed clients, in subscription order.
    pub channel_subscribers: std::collections::HashMap<Vec<u8>, Vec<ClientId>>,
    /// (pattern, client), in subscription order.
    pub pattern_subscribers: Vec<(Vec<u8>, ClientId)>,
    /// `notify-keyspace-events`, as flag bits (commands::config::flags).
    pub notify_flags: u32,
    /// How many times a second the active expiry cycle runs (`hz`).
    pub hz: u32,
}

/// What a command handler works with: the server, the calling client and the time.
pub struct Ctx<'a> {
    pub server: &'a mut Server,
    pub client: ClientId,
    pub now: i64,
}

impl<'a> Ctx<'a> {
    pub fn db_index(&self) -> usize {
        self.server.clients[self.client].db
    }

    pub fn db(&mut self) -> &mut Db {
        let i = self.db_index();
        &mut self.server.dbs[i]
    }

    pub fn client(&mut self) -> &mut Client {
        &mut self.server.clients[self.client]
    }

    /// A key in the selected db was written as one change: mark watchers dirty and count it.
    pub fn written(&mut self, key: &[u8]) {
        let db = self.db_index();
        self.server.key_modified(db, key);
        self.changes(1);
    }

    /// A write to `key` that Redis reports as keyspace event `event` of class `class`
    /// (`Class::List, "lpush"`): watchers of the key are marked dirty; the event is what
    /// keyspace notifications publish. Count the write's changes with `changes`.
    pub fn notify(&mut self, class: Class, event: &'static str, key: &[u8]) {
        let db = self.db_index();
        self.notify_in(db, class, event, key);
    }

    /// As `notify`, for a key in another db (MOVE, COPY … DB).
    pub fn notify_in(&mut self, db: usize, class: Class, event: &'static str, key: &[u8]) {
        self.server.key_modified(db, key);
        self.server.notify_keyspace_event(db, class, event, key);
    }

    /// Count `n` changes (INFO's `rdb_changes_since_last_save`), as Redis counts them:
    /// SADD one per member added, LPUSH one per element, SET one.
    pub fn changes(&mut self, n: u64) {
        self.server.dirty = self.server.dirty.saturating_add(n);
    }

    /// Count a read lookup's outcome in INFO's keyspace_hits/keyspace_misses; a miss is
    /// also a `keymiss` keyspace event.
    pub fn count_lookup(&mut self, found: bool, key: &[u8]) {
        if found {
            self.server.stats.keyspace_hits += 1;
        } else {
            self.server.stats.keyspace_misses += 1;
            let db = self.db_index();
            self.server
                .notify_keyspace_event(db, Class::KeyMiss, "keymiss", key);
        }
    }
}

impl Server {
    /// A new server at world time `now`, with its RNG seeded for reproducible runs.
    pub fn new(now: i64, seed: u64) -> Server {
        Server {
            dbs: (0..NUM_DBS).map(|_| Db::new()).collect(),
            clients: Vec::new(),
            rng: fastrand::Rng::with_seed(seed),
            stats: Stats::default(),
            started_ms: now,
            dirty: 0,
            last_expire_cycle_ms: now,
            next_client_id: 1,
            generation: 0,
            channel_subscribers: Default::default(),
            pattern_subscribers: Vec::new(),
            notify_flags: 0,
            hz: 10,
        }
    }

    /// Connect a new client; returns its id.
    pub fn connect(&mut self) -> ClientId {
        let id = self.next_client_id;
        self.next_client_id += 1;
        self.stats.connections_received += 1;
        self.clients.push(Client {
            id,
            ..Client::default()
        });
        self.clients.len() - 1
    }

    /// Publish a keyspace event if `notify-keyspace-events` asks for its class: on
    /// `__keyspace@<db>__:<key>` (message: the event) with K, on `__keyevent@<db>__:<event>`
    /// (message: the key) with E. Keys created since the last event go first, as `new`.
    pub fn notify_keyspace_event(&mut self, db: usize, class: Class, event: &str, key: &[u8]) {
        if self.notify_flags == 0 {
            return;
        }
        if class != Class::New {
            // A key created by this command (in any db: MOVE creates in the target) is
            // announced as new before the command's own events.
            for d in 0..self.dbs.len() {
                self.flush_new_key_events(d);
            }
        }
        use crate::commands::config::flags;
        let bit = match class {
            Class::Generic => flags::GENERIC,
            Class::String => flags::STRING,
            Class::List => flags::LIST,
            Class::Set => flags::SET,
            Class::Hash => flags::HASH,
            Class::ZSet => flags::ZSET,
            Class::Expired => flags::EXPIRED,
            Class::Evicted => flags::EVICTED,
            Class::Stream => flags::STREAM,
            Class::KeyMiss => flags::KEY_MISS,
            Class::New => flags::NEW,
        };
        if self.notify_flags & bit == 0 {
            return;
        }
        if self.notify_flags & flags::KEYSPACE != 0 {
            let mut ch = format!("__keyspace@{db}__:").into_bytes();
            ch.extend_from_slice(key);
            self.publish(&ch, event.as_bytes());
        }
        if self.notify_flags & flags::KEYEVENT != 0 {
            let ch = format!("__keyevent@{db}__:{event}").into_bytes();
            self.publish(&ch, key);
        }
    }

    /// Publish the `new` events for keys the db created since the last flush.
    fn flush_new_key_events(&mut self, db: usize) {
        let created = self.dbs[db].take_created();
        for key in created {
            self.notify_keyspace_event(db, Class::New, "new", &key);
        }
    }

    /// Turn the dbs' logging of created keys on or off to match `notify-keyspace-events`.
    fn sync_new_key_logging(&mut self) {
        use crate::commands::config::flags;
        let on = self.notify_flags & flags::NEW != 0
            && self.notify_flags & (flags::KEYSPACE | flags::KEYEVENT) != 0;
        for d in &mut self.dbs {
            d.log_created(on);
        }
    }

    /// The earliest expiry time of any key in any db (world ms), for "step to the next
    /// due event".
    pub fn next_expiry(&self) -> Option<i64> {
        self.dbs.iter().filter_map(|d| d.next_expiry()).min()
    }

    /// A client's connection closed: its subscriptions, transaction and watches end.
    pub fn disconnect(&mut self, client: ClientId) {
        self.unsubscribe_all(client);
        let c = &mut self.clients[client];
        c.multi = None;
        c.multi_error = false;
        c.watched.clear();
        c.inbox.clear();
    }

    /// A key was modified (or deleted): flag the clients watching it.
    pub fn key_modified(&mut self, db: usize, key: &[u8]) {
        self.generation += 1;
        for c in &mut self.clients {
            if !c.dirty_cas && c.watched.iter().any(|(d, k)| *d == db && k == key) {
                c.dirty_cas = true;
            }
        }
    }

    /// Every watched key of `db` that `exists` says is present gets flagged (FLUSHDB, SWAPDB).
    pub fn touch_all_watched(&mut self, db: usize, exists: impl Fn(&[u8]) -> bool) {
        self.generation += 1;
        for c in &mut self.clients {
            if c.watched.iter().any(|(d, k)| *d == db && exists(k)) {
                c.dirty_cas = true;
            }
        }
    }

    /// Account for keys that lazy or active expiry deleted.
    fn collect_expired(&mut self) {
        for db in 0..self.dbs.len() {
            if self.dbs[db].has_no_expired() {
                continue;
            }
            for key in self.dbs[db].take_expired() {
                self.stats.expired_keys += 1;
                self.key_modified(db, &key);
                self.notify_keyspace_event(db, Class::Expired, "expired", &key);
            }
        }
    }

    /// Let world time pass: run the active expiry cycle if one is due. The work done is
    /// bounded, so a million keys expiring at once never stalls the caller.
    pub fn tick(&mut self, now: i64) {
        if now < self.last_expire_cycle_ms {
            // The world clock was set back (a reset): start the cycle's timing afresh.
            self.last_expire_cycle_ms = now;
        }
        if now.saturating_sub(self.last_expire_cycle_ms) >= 1000 / i64::from(self.hz.max(1)) {
            self.last_expire_cycle_ms = now;
            let per_db = ACTIVE_EXPIRE_BUDGET / NUM_DBS;
            let Server { dbs, rng, .. } = self;
            for db in dbs.iter_mut() {
                db.active_expire(now, rng, per_db);
            }
            self.collect_expired();
        }
    }

    /// Run one command for a client: the table lookup, the arity check, MULTI queueing,
    /// then the handler. Never panics; every failure is a Redis error reply.
    pub fn execute(&mut self, client: ClientId, argv: Vec<Vec<u8>>, now: i64) -> Reply {
        self.sync_new_key_logging();
        let reply = self.execute_inner(client, &argv, now);
        self.collect_expired();
        for db in 0..self.dbs.len() {
            self.flush_new_key_events(db);
        }
        reply
    }

    fn execute_inner(&mut self, client: ClientId, argv: &[Vec<u8>], now: i64) -> Reply {
        if argv.is_empty() {
            return Reply::Array(vec![]);
        }
        let cmd = match self.resolve(argv) {
            Ok(cmd) => cmd,
            Err(e) => {
                // A rejected EXEC ends the transaction at once, saying why.
                if commands::lookup(&argv[0]).is_some_and(|c| c.name == "exec") {
                    let c = &mut self.clients[client];
                    c.multi = None;
                    c.multi_error = false;
                    c.watched.clear();
                    c.dirty_cas = false;
                    let why = e.to_string();
                    let why = why.strip_prefix("ERR ").unwrap_or(&why);
                    return Reply::Error(format!(
                        "EXECABORT Transaction discarded because of: {why}"
                    ));
                }
                self.flag_multi_error(client);
                return e.into();
            }
        };
        if self.clients[client].is_subscribed()
            && !crate::commands::pubsub::allowed_while_subscribed(cmd.name)
        {
            return crate::commands::pubsub::not_while_subscribed(cmd.name).into();
        }
        if cmd.name == "ping" && self.clients[client].is_subscribed() {
            // A subscribed client's PING answers as a message would: ["pong", message].
            let msg = argv.get(1).cloned().unwrap_or_default();
            return Reply::Array(vec![Reply::bulk("pong"), Reply::Bulk(msg)]);
        }
        let in_multi = self.clients[client].multi.is_some();
        if in_multi
            && !matches!(
                cmd.name,
                "exec" | "discard" | "multi" | "watch" | "quit" | "reset"
            )
        {
            if let Some(q) = self.clients[client].multi.as_mut() {
                q.push(argv.to_vec());
            }
            return Reply::status("QUEUED");
        }
        self.call(cmd, client, argv, now)
    }

    /// Find the command (or sub-command) for an argv and check its arity.
    pub fn resolve(&self, argv: &[Vec<u8>]) -> Result<&'static Command, CmdError> {
        let name = argv.first().ok_or(CmdError::Syntax)?;
        let unknown = || CmdError::UnknownCommand(name.clone(), argv[1..].to_vec());
        let mut cmd = commands::lookup(name).ok_or_else(unknown)?;
        if !cmd.subcommands.is_empty() && argv.len() >= 2 {
            cmd = commands::lookup_sub(cmd, &argv[1]).ok_or_else(|| {
                CmdError::UnknownSubcommand(argv[1].clone(), cmd.name.to_string())
            })?;
        }
        if !cmd.arity_ok(argv.len()) {
            return Err(CmdError::WrongArity(cmd.name.to_string()));
        }
        Ok(cmd)
    }

    /// Run a resolved command (also used by EXEC for queued commands).
    pub fn call(
        &mut self,
        cmd: &'static Command,
        client: ClientId,
        argv: &[Vec<u8>],
        now: i64,
    ) -> Reply {
        let mut ctx = Ctx {
            server: self,
            client,
            now,
        };
        let reply = match (cmd.handler)(&mut ctx, argv) {
            Ok(r) => r,
            Err(e) => e.into(),
        };
        // Redis counts a command once it has run, so INFO doesn't count itself.
        self.stats.commands_processed += 1;
        reply
    }

    fn flag_multi_error(&mut self, client: ClientId) {
        let c = &mut self.clients[client];
        if c.multi.is_some() {
            c.multi_error = true;
        }
    }
}
