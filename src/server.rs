//! The server: sixteen databases, the clients, statistics, and dispatch through the
//! command table (arity check, unknown commands, MULTI queueing).

use crate::commands::table::{Flags, InMulti};
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
pub const ACTIVE_EXPIRE_BUDGET: usize = 2_000;
/// Work bound of one fast pass, run between regular ones while expired keys pile up.
pub const FAST_EXPIRE_BUDGET: usize = 1_000;
/// Fast passes run at most this often (world ms), as Redis's do.
pub const FAST_EXPIRE_EVERY_MS: i64 = 2;

#[derive(Default, Debug, Clone)]
pub struct Stats {
    pub commands_processed: u64,
    pub connections_received: u64,
    pub keyspace_hits: u64,
    pub keyspace_misses: u64,
    pub expired_keys: u64,
}

/// A WATCHed key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watched {
    pub db: usize,
    pub key: Vec<u8>,
    /// Its TTL had already run out when WATCH was sent: its deletion is no change, and
    /// it does not fail EXEC for having expired.
    pub expired: bool,
}

#[derive(Default, Debug)]
pub struct Client {
    pub id: u64,
    pub db: usize,
    /// Commands queued since MULTI.
    pub multi: Option<Vec<Vec<Vec<u8>>>>,
    /// A command was rejected while queueing: EXEC must abort.
    pub multi_error: bool,
    /// WATCHed keys.
    pub watched: Vec<Watched>,
    /// A watched key was modified: EXEC must fail.
    pub dirty_cas: bool,
    /// Subscribed channels and patterns, in subscription order.
    pub channels: Vec<Vec<u8>>,
    pub patterns: Vec<Vec<u8>>,
    /// Messages pushed to this client (pub/sub, MONITOR lines, the reply of a blocking
    /// command once served), not yet read.
    pub inbox: std::collections::VecDeque<Reply>,
    /// CLIENT SETNAME.
    pub name: Vec<u8>,
    /// The port of its (pretend) address, `127.0.0.1:<port>`.
    pub port: u32,
    /// World time of connecting and of its last command.
    pub connected_ms: i64,
    pub last_ms: i64,
    /// The last command's full name (`client|list`), or `NULL` before any.
    pub last_cmd: &'static str,
    /// MONITOR: every command any client runs is pushed to its inbox.
    pub monitor: bool,
    /// Waiting in a blocking command (BLPOP and friends).
    pub blocked: Option<crate::blocking::Blocked>,
    /// The connection was closed (CLIENT KILL, QUIT): it runs nothing more.
    pub closed: bool,
}

impl Client {
    /// A subscribed client (RESP2) may only run pub/sub commands, PING, QUIT and RESET.
    pub fn is_subscribed(&self) -> bool {
        !self.channels.is_empty() || !self.patterns.is_empty()
    }

    /// `127.0.0.1:<port>`, as CLIENT LIST and MONITOR show it.
    pub fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
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
    last_fast_cycle_ms: i64,
    /// The last expiry pass ran out of budget: fast passes run until one doesn't.
    expire_backlog: bool,
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
    /// The latest world time a command or tick was given (for CLIENT LIST ages).
    pub now_ms: i64,
    /// (db, key) → the clients blocked on it, first blocked first.
    pub blocking: std::collections::HashMap<(usize, Vec<u8>), std::collections::VecDeque<ClientId>>,
    /// Keys clients block on that were created since the last serving round, in order.
    pub ready: Vec<(usize, Vec<u8>)>,
    /// Clients in MONITOR mode.
    pub monitors: Vec<ClientId>,
    /// EXEC is running its queued commands (they may not block or start MONITOR).
    pub in_exec: bool,
    /// The dbs log the keys they create (for `new` events and blocked clients).
    logging_created: bool,
    /// SAVE or BGSAVE asked the page to save the world now.
    pub save_requested: bool,
    /// World time of the last save (LASTSAVE), or the start.
    pub last_save_ms: i64,
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
            last_fast_cycle_ms: now,
            expire_backlog: false,
            next_client_id: 1,
            generation: 0,
            channel_subscribers: Default::default(),
            pattern_subscribers: Vec::new(),
            notify_flags: 0,
            hz: 10,
            now_ms: now,
            blocking: Default::default(),
            ready: Vec::new(),
            monitors: Vec::new(),
            in_exec: false,
            logging_created: false,
            save_requested: false,
            last_save_ms: now,
        }
    }

    /// The world was saved at `now`: LASTSAVE and the count of changes since follow.
    pub fn saved(&mut self, now: i64) {
        self.last_save_ms = now;
        self.dirty = 0;
    }

    /// Connect a new client; returns its id.
    pub fn connect(&mut self) -> ClientId {
        let id = self.next_client_id;
        self.next_client_id += 1;
        self.stats.connections_received += 1;
        self.clients.push(Client {
            id,
            // Ephemeral ports, spread as a kernel would hand them out.
            port: 40_000 + ((id * 7_919) % 20_000) as u32,
            connected_ms: self.now_ms,
            last_ms: self.now_ms,
            last_cmd: "NULL",
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

    /// Handle the keys the db created since the last flush: clients blocked on them are
    /// served after the command, and `new` events are published.
    fn flush_new_key_events(&mut self, db: usize) {
        let created = self.dbs[db].take_created();
        for key in created {
            self.signal_created(db, &key);
            self.notify_keyspace_event(db, Class::New, "new", &key);
        }
    }

    /// Flush the created keys of every db.
    pub(crate) fn collect_created(&mut self) {
        if !self.logging_created {
            return;
        }
        for db in 0..self.dbs.len() {
            self.flush_new_key_events(db);
        }
    }

    /// Log created keys while `notify-keyspace-events` wants `new` events or a client is
    /// blocked on a key.
    fn sync_new_key_logging(&mut self) {
        use crate::commands::config::flags;
        let on = (self.notify_flags & flags::NEW != 0
            && self.notify_flags & (flags::KEYSPACE | flags::KEYEVENT) != 0)
            || self.has_blocked();
        if on == self.logging_created {
            return;
        }
        self.logging_created = on;
        for d in &mut self.dbs {
            d.log_created(on);
        }
    }

    /// The earliest expiry time of any key in any db (world ms), for "step to the next
    /// due event".
    pub fn next_expiry(&self) -> Option<i64> {
        self.dbs.iter().filter_map(|d| d.next_expiry()).min()
    }

    /// A client's connection closed: its subscriptions, transaction, watches, blocking
    /// command and MONITOR end, and it runs nothing more.
    pub fn disconnect(&mut self, client: ClientId) {
        let Some(c) = self.clients.get(client) else {
            return;
        };
        if c.closed {
            return;
        }
        self.unsubscribe_all(client);
        self.unblock(client, None);
        self.monitors.retain(|&m| m != client);
        let c = &mut self.clients[client];
        c.multi = None;
        c.multi_error = false;
        c.watched.clear();
        c.inbox.clear();
        c.monitor = false;
        c.closed = true;
    }

    /// The clients still connected.
    pub fn connected(&self) -> impl Iterator<Item = (ClientId, &Client)> {
        self.clients.iter().enumerate().filter(|(_, c)| !c.closed)
    }

    /// A key was modified (or deleted): flag the clients watching it.
    pub fn key_modified(&mut self, db: usize, key: &[u8]) {
        self.generation += 1;
        let stored = self.dbs[db].is_stored(key);
        for c in &mut self.clients {
            if c.dirty_cas {
                continue;
            }
            for w in c.watched.iter_mut().filter(|w| w.db == db && w.key == key) {
                if w.expired && !stored {
                    // Deleting a key that had already expired when watched changes nothing.
                    w.expired = false;
                } else {
                    c.dirty_cas = true;
                }
            }
        }
    }

    /// The keys of `db` some client watches.
    pub fn watched_keys_in(&self, db: usize) -> Vec<Vec<u8>> {
        self.clients
            .iter()
            .flat_map(|c| c.watched.iter())
            .filter(|w| w.db == db)
            .map(|w| w.key.clone())
            .collect()
    }

    /// Every watched key of `db` that `exists` says is present gets flagged (FLUSHDB, SWAPDB).
    pub fn touch_all_watched(&mut self, db: usize, exists: impl Fn(&[u8]) -> bool) {
        self.generation += 1;
        for c in &mut self.clients {
            if c.watched.iter().any(|w| w.db == db && exists(&w.key)) {
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
        self.now_ms = now;
        self.expire_blocked(now);
        if now < self.last_expire_cycle_ms {
            // The world clock was set back (a reset): start the cycle's timing afresh.
            self.last_expire_cycle_ms = now;
            self.last_fast_cycle_ms = now;
        }
        if now.saturating_sub(self.last_expire_cycle_ms) >= 1000 / i64::from(self.hz.max(1)) {
            self.last_expire_cycle_ms = now;
            self.last_fast_cycle_ms = now;
            self.expire_backlog = self.expire_cycle(now, ACTIVE_EXPIRE_BUDGET);
        } else if self.expire_backlog
            && now.saturating_sub(self.last_fast_cycle_ms) >= FAST_EXPIRE_EVERY_MS
        {
            // As Redis's fast cycle: while the last cycle ran out of budget with expired
            // keys left, small extra passes between the regular ones.
            self.last_fast_cycle_ms = now;
            self.expire_backlog = self.expire_cycle(now, FAST_EXPIRE_BUDGET);
        }
    }

    /// One active expiry pass over the dbs that have keys with a TTL, looking at no more
    /// than `budget` keys in all: what one db doesn't use passes to the next, so one big
    /// db gets all of it. True when the budget ran out (expired keys are probably left).
    fn expire_cycle(&mut self, now: i64, budget: usize) -> bool {
        let Server { dbs, rng, .. } = self;
        let mut volatile: Vec<&mut Db> = dbs.iter_mut().filter(|d| d.expires_len() > 0).collect();
        let mut left = budget;
        let count = volatile.len();
        for (i, db) in volatile.iter_mut().enumerate() {
            let (_, looked) = db.active_expire(now, rng, left / (count - i));
            left -= looked.min(left);
        }
        self.collect_expired();
        count > 0 && left == 0
    }

    /// Run one command for a client: the table lookup, the arity check, MULTI queueing,
    /// then the handler. Never panics; every failure is a Redis error reply.
    ///
    /// A blocking command that finds no data blocks the client instead (see
    /// `blocking.rs`): the reply returned is then meaningless, `clients[client].blocked`
    /// says so, and the real reply arrives in the client's inbox later.
    pub fn execute(&mut self, client: ClientId, argv: &[Vec<u8>], now: i64) -> Reply {
        self.now_ms = now;
        if self.clients.get(client).is_none_or(|c| c.closed) {
            return Reply::Error("ERR the connection is closed".into());
        }
        self.sync_new_key_logging();
        let reply = self.execute_inner(client, argv, now);
        self.collect_expired();
        self.collect_created();
        self.serve_ready_keys(now);
        reply
    }

    fn execute_inner(&mut self, client: ClientId, argv: &[Vec<u8>], now: i64) -> Reply {
        if argv.is_empty() {
            return Reply::Array(vec![]);
        }
        self.clients[client].last_ms = now;
        let cmd = match self.resolve(argv) {
            Ok(cmd) => cmd,
            Err(e) => {
                // A rejected EXEC ends the transaction at once, saying why.
                if commands::lookup(&argv[0]).is_some_and(|c| c.in_multi == InMulti::Exec) {
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
        // CLIENT LIST shows the command being run (or queued), as Redis does.
        self.clients[client].last_cmd = cmd.name;
        if self.clients[client].is_subscribed() && !cmd.has_flag(Flags::SUBSCRIBED_OK) {
            return crate::commands::pubsub::not_while_subscribed(cmd.name).into();
        }
        let in_multi = self.clients[client].multi.is_some();
        if in_multi && cmd.has_flag(Flags::NO_MULTI) {
            self.flag_multi_error(client);
            return Reply::Error("ERR Command not allowed inside a transaction".into());
        }
        if in_multi && cmd.in_multi == InMulti::Queued {
            if let Some(q) = self.clients[client].multi.as_mut() {
                q.push(argv.to_vec());
            }
            return Reply::status("QUEUED");
        }
        let reply = self.call(cmd, client, argv, now);
        if matches!(reply, Reply::Nil | Reply::NilArray) && cmd.has_flag(Flags::BLOCKING) {
            self.block(client, cmd, argv, reply.clone(), now);
        }
        reply
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
        // MONITOR sees a command after it ran (so SELECT shows the new db), except the
        // administrative ones.
        if !self.monitors.is_empty()
            && !cmd.has_flag(Flags::ADMIN)
            && !cmd.has_flag(Flags::SKIP_MONITOR)
        {
            self.feed_monitors(client, argv, now);
        }
        reply
    }

    /// Push a command to every MONITOR client, in redis-cli's MONITOR format:
    /// `1700000000.123456 [0 127.0.0.1:40001] "set" "k" "v"`.
    fn feed_monitors(&mut self, client: ClientId, argv: &[Vec<u8>], now: i64) {
        let Some(c) = self.clients.get(client) else {
            return;
        };
        let mut line = format!(
            "{}.{:06} [{} {}]",
            now.div_euclid(1000),
            now.rem_euclid(1000) * 1000,
            c.db,
            c.addr()
        );
        for a in argv {
            line.push(' ');
            crate::cli::repr(&mut line, a);
        }
        for &m in &self.monitors {
            if let Some(mc) = self.clients.get_mut(m) {
                mc.inbox.push_back(Reply::Status(line.clone().into()));
            }
        }
    }

    fn flag_multi_error(&mut self, client: ClientId) {
        let c = &mut self.clients[client];
        if c.multi.is_some() {
            c.multi_error = true;
        }
    }
}
