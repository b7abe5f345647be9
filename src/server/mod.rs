//! The server: sixteen databases and the state around them, each part with one owner —
//! the clients and their transactions (`clients.rs`, `tx.rs`), pub/sub (`pubsub.rs`),
//! clients waiting in blocking commands (`blocking.rs`), keyspace notifications
//! (`notify.rs`) and expiry (`expiry.rs`) — and dispatch through the command table
//! (arity check, unknown commands, MULTI queueing, the subscribed context, MONITOR).
//!
//! Command handlers see the server through `Ctx` and the methods here; nothing outside
//! this module touches its parts directly.

pub mod acl;
mod blocking;
mod clients;
pub mod eviction;
mod expiry;
pub mod notify;
mod pause;
pub mod pubsub;
mod scripts;
pub mod slowlog;
pub mod tracking;
mod tx;

pub use blocking::Wait;
pub use clients::{Client, ClientId, Clients, ReplyMode};
pub use notify::{Class, NotifyFlags};
pub use scripts::SCRIPT_CLIENT;
pub use tx::{Taken, TxState};

use crate::clock::Ms;
use crate::commands::table::{Flags, InMulti};
use crate::commands::{self, Command};
use crate::db::Db;
use crate::error::CmdError;
use crate::reply::{Protocol, Reply};

pub const NUM_DBS: usize = 16;

/// What INFO stats counts.
#[derive(Default, Debug, Clone)]
pub struct Stats {
    pub commands_processed: u64,
    pub connections_received: u64,
    pub keyspace_hits: u64,
    pub keyspace_misses: u64,
    pub expired_keys: u64,
    pub evicted_keys: u64,
    /// Connections closed by client eviction (`maxmemory-clients`).
    pub evicted_clients: u64,
    /// Values UNLINK or FLUSH… ASYNC would have freed in the background.
    pub lazyfreed_objects: u64,
    /// Error replies sent (INFO stats `total_error_replies`).
    pub error_replies: u64,
    /// Per command (full name, `config|get`): INFO commandstats.
    pub commands: std::collections::BTreeMap<&'static str, CommandStat>,
    /// Per error code (`ERR`, `WRONGTYPE`): INFO errorstats.
    pub errors: std::collections::BTreeMap<String, u64>,
}

/// One command's line of INFO commandstats, and its latency histogram (LATENCY
/// HISTOGRAM): calls that took world time, by power-of-two bucket (`latency_bucket`);
/// every other call took none and is in the first bucket.
#[derive(Debug, Clone, Copy)]
pub struct CommandStat {
    pub calls: u64,
    pub rejected_calls: u64,
    pub failed_calls: u64,
    /// Calls counted in the latency histogram (all of them while `latency-tracking` is
    /// on).
    pub tracked: u64,
    pub timed: [u64; LATENCY_BUCKETS],
}

impl Default for CommandStat {
    fn default() -> Self {
        CommandStat {
            calls: 0,
            rejected_calls: 0,
            failed_calls: 0,
            tracked: 0,
            timed: [0; LATENCY_BUCKETS],
        }
    }
}

/// An empty Redis 7.0.15's `used_memory` (INFO memory's `used_memory_startup`).
pub const MEMORY_STARTUP: u64 = 876_000;

/// A db's key tables as Redis's MEMORY STATS counts them: the main dict's slots (8 bytes
/// each; its entries are counted with the keys) and, for keys with a TTL, the expires
/// dict's entries and slots.
pub fn db_overhead(db: &Db) -> u64 {
    let expires = db.expires_len();
    8 * keyspace_slots(db.len()) + 24 * expires as u64 + 8 * keyspace_slots(expires)
}

/// The slots of a db's main or expires dict holding `n` keys (none while empty): the
/// server's cron keeps them rehashed and resized to the power of two they need.
pub fn keyspace_slots(n: usize) -> u64 {
    if n == 0 {
        0
    } else {
        n.max(4).next_power_of_two() as u64
    }
}

/// Latency histogram buckets: 1,024 ns × 2^k, k from 0 (1 µs) to 40 (about 13 days).
pub const LATENCY_BUCKETS: usize = 41;

/// The histogram bucket of a duration, as Redis's (an HDR histogram of nanoseconds with
/// two significant digits, read in power-of-two steps from 1,024 ns): the first bucket
/// whose top, 1,024·2^k + 1,024·2^k/128 − 1 ns, is at or above it.
pub fn latency_bucket(duration_us: i64) -> usize {
    let ns = duration_us.max(0).saturating_mul(1000).max(1) as u128;
    (0..LATENCY_BUCKETS)
        .find(|&k| ns <= latency_bucket_top(k))
        .unwrap_or(LATENCY_BUCKETS - 1)
}

/// The top of bucket `k`, in ns (the µs Redis reports is this / 1000).
pub fn latency_bucket_top(k: usize) -> u128 {
    let level = 1024u128 << k;
    level + level / 128 - 1
}

impl Stats {
    /// An error reply went out: count it under its code (the first word, as Redis takes
    /// it from the first 32 bytes; `ERR` when there is no space).
    pub(super) fn error(&mut self, text: &str) {
        self.error_replies += 1;
        let head = &text.as_bytes()[..text.len().min(32)];
        let code = match head.iter().position(|&b| b == b' ') {
            Some(i) => &text[..i],
            None => "ERR",
        };
        *self.errors.entry(code.to_string()).or_default() += 1;
    }

    pub(super) fn command(&mut self, cmd: &'static Command) -> &mut CommandStat {
        self.commands.entry(cmd.name).or_default()
    }
}

pub struct Server {
    dbs: Vec<Db>,
    clients: Clients,
    subs: pubsub::Subscriptions,
    blocking: blocking::Blocking,
    watches: tx::Watches,
    rng: fastrand::Rng,
    stats: Stats,
    /// World time the server started, ms.
    started_ms: Ms,
    /// Changes since the last save (INFO persistence `rdb_changes_since_last_save`).
    dirty: u64,
    expiry: expiry::ExpiryCycle,
    /// Bumped whenever any key changes anywhere (a write, a deletion, an expiry, a flush),
    /// so a view can tell cheaply whether it needs refreshing.
    generation: u64,
    /// `notify-keyspace-events`.
    notify_flags: NotifyFlags,
    /// How many times a second the active expiry cycle runs (`hz`).
    hz: u32,
    /// `hll-sparse-max-bytes`: the largest sparse HyperLogLog before it turns dense.
    hll_sparse_max_bytes: u64,
    /// `busy-reply-threshold` (alias `lua-time-limit`), ms: how long a script may run
    /// before other clients are answered BUSY.
    busy_reply_threshold_ms: i64,
    /// `stream-node-max-bytes` and `stream-node-max-entries`.
    stream_limits: crate::types::stream::NodeLimits,
    /// The encoding thresholds (`*-max-intset-entries`, `*-max-listpack-*`).
    encodings: crate::types::Encodings,
    slowlog: slowlog::Slowlog,
    latency: slowlog::Latency,
    /// The highest `used_memory` settled.
    memory_peak: u64,
    eviction: eviction::Eviction,
    /// The last keys evicted (the keyspace view shows them).
    evictions: std::collections::VecDeque<eviction::Evicted>,
    /// The latest world time a command or tick was given (for CLIENT LIST ages).
    now_ms: Ms,
    /// The dbs log the keys they create (for `new` events and blocked clients).
    logging_created: bool,
    /// Commands running (a closed client is freed when none is).
    executing: u32,
    /// The client whose command is running (tracking tells it of its own writes after
    /// the reply).
    current_client: Option<ClientId>,
    /// CLIENT TRACKING: who cached which keys.
    tracking: tracking::Tracking,
    /// CLIENT PAUSE and the commands it holds.
    pauses: pause::Pauses,
    /// SAVE or BGSAVE asked the page to save the world now.
    save_requested: bool,
    /// World time of the last save (LASTSAVE), or the start.
    last_save_ms: Ms,
    /// The ACL users and the ACL LOG.
    acl: acl::Acl,
    /// `requirepass` as last set (the default user's password follows it).
    requirepass: Vec<u8>,
    /// The script cache, the function libraries and the running script.
    scripting: crate::scripting::Scripting,
    /// Memory was over the limit when the current command came (Redis's
    /// `pre_command_oom_state`: a script may not start writing then).
    oom_before_command: bool,
    /// The commands waiting behind a script are being run (not again from within).
    releasing_script_held: bool,
    /// What DEBUG RELOAD saved last.
    last_dump: Option<Vec<u8>>,
}

/// What a command handler works with: the server, the calling client and the time.
pub struct Ctx<'a> {
    pub server: &'a mut Server,
    pub client: ClientId,
    pub now: Ms,
    /// Whether the command may block (not inside EXEC, nor when serving a blocked client).
    may_block: bool,
    /// What the handler asked to wait for.
    wait: Option<Wait>,
    /// The command runs again to serve a client that waited (a key became ready).
    serving: bool,
    /// World time the command took without waiting (DEBUG SLEEP inside EXEC), in µs.
    took_us: i64,
    /// Arguments that MONITOR and SLOWLOG show as `(redacted)` (passwords).
    redacted: Vec<usize>,
    /// The handler's error reply was counted already (a script's error that a command
    /// of the script counted): INFO errorstats doesn't count it again.
    error_counted: bool,
}

impl<'a> Ctx<'a> {
    fn new(server: &'a mut Server, client: ClientId, now: Ms) -> Ctx<'a> {
        Ctx {
            server,
            client,
            now,
            may_block: false,
            wait: None,
            serving: false,
            took_us: 0,
            redacted: Vec::new(),
            error_counted: false,
        }
    }

    /// The error this command answers was counted in INFO errorstats already (by the
    /// script command that raised it).
    pub fn error_already_counted(&mut self) {
        self.error_counted = true;
    }

    /// Argument `i` is secret (a password): MONITOR and SLOWLOG show `(redacted)`, as
    /// Redis's `redactClientCommandArgument`.
    pub fn redact(&mut self, i: usize) {
        self.redacted.push(i);
    }

    /// Show this command line in MONITOR now, before it runs (EVAL and FCALL: the
    /// commands their script runs come after it, as in Redis).
    pub fn monitor_now(&mut self, argv: &[Vec<u8>]) {
        if self.server.clients.has_monitors() {
            self.server.feed_monitors(self.client, argv, self.now);
        }
    }

    /// Whether this run serves a blocked client whose key became ready (Redis answers such
    /// a client from its own rules: XREAD replies once the stream's last id moved on).
    pub fn is_serving(&self) -> bool {
        self.serving
    }

    /// Wait for one of `keys` to be created (or until `deadline`, world ms; 0 = never),
    /// as Redis's `blockForKeys`: the reply the handler returns is then the answer on
    /// timeout. Where a command may not block (inside EXEC), it answers that reply at once.
    pub fn block<K: AsRef<[u8]>>(&mut self, keys: impl IntoIterator<Item = K>, deadline: Ms) {
        if self.may_block {
            self.wait = Some(Wait {
                keys: keys.into_iter().map(|k| k.as_ref().to_vec()).collect(),
                deadline,
                argv: None,
                counts_wait: false,
            });
        }
    }

    /// As `block`, remembering `argv` as the line to run again when a key is ready (XREAD
    /// keeps the ids that `$` stood for when it blocked).
    pub fn block_as<K: AsRef<[u8]>>(
        &mut self,
        keys: impl IntoIterator<Item = K>,
        deadline: Ms,
        argv: Vec<Vec<u8>>,
    ) {
        self.block(keys, deadline);
        if let Some(w) = &mut self.wait {
            w.argv = Some(argv);
        }
    }

    /// Hold the client for `ms` of world time, as DEBUG SLEEP holds Redis: it answers
    /// then, and the time counts as the command's duration (SLOWLOG, LATENCY). Inside
    /// EXEC, where a command may not wait, it answers at once, the time counted all the
    /// same (the world clock doesn't move for it).
    pub fn sleep(&mut self, ms: Ms) {
        self.took_us = ms.saturating_mul(1000);
        self.block(std::iter::empty::<&[u8]>(), self.now.saturating_add(ms));
        if let Some(w) = &mut self.wait {
            w.counts_wait = true;
        }
    }

    /// A write made `key` worth a look for the clients blocked on it though it existed
    /// already (XADD to a stream XREAD waits on).
    pub fn signal_ready(&mut self, key: &[u8]) {
        let db = self.db_index();
        self.server.signal_created(db, key);
    }

    /// Whether a script runs this command (`redis.call`): Redis's CLIENT_SCRIPT.
    pub fn from_script(&self) -> bool {
        self.client == SCRIPT_CLIENT
    }

    /// True where a command may not block or take the connection over (inside EXEC):
    /// Redis's CLIENT_DENY_BLOCKING.
    pub fn deny_blocking(&self) -> bool {
        !self.may_block
    }

    pub fn db_index(&self) -> usize {
        self.server.client_db(self.client)
    }

    /// The selected db.
    pub fn db(&mut self) -> &mut Db {
        let i = self.db_index();
        &mut self.server.dbs[i]
    }

    /// The calling client.
    pub fn client(&mut self) -> &mut Client {
        self.server.clients.get_or_scratch(self.client)
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

    /// A keyspace event that doesn't touch WATCH (consumer-group changes: Redis doesn't
    /// signal the key modified for them).
    pub fn event(&mut self, class: Class, event: &'static str, key: &[u8]) {
        let db = self.db_index();
        self.server.notify_keyspace_event(db, class, event, key);
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
        if n > 0 {
            // Views refresh on any change, also one Redis doesn't signal to WATCH (a
            // consumer group's pending entries).
            self.server.generation += 1;
        }
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
    pub fn new(now: Ms, seed: u64) -> Server {
        Server {
            dbs: (0..NUM_DBS).map(|_| Db::new()).collect(),
            clients: Clients::default(),
            subs: Default::default(),
            blocking: Default::default(),
            watches: Default::default(),
            rng: fastrand::Rng::with_seed(seed),
            stats: Stats::default(),
            started_ms: now,
            dirty: 0,
            expiry: expiry::ExpiryCycle::new(now),
            generation: 0,
            notify_flags: NotifyFlags::NONE,
            hz: 10,
            hll_sparse_max_bytes: crate::types::hll::SPARSE_MAX_BYTES as u64,
            busy_reply_threshold_ms: 5000,
            stream_limits: Default::default(),
            encodings: Default::default(),
            slowlog: Default::default(),
            latency: Default::default(),
            memory_peak: 0,
            eviction: Default::default(),
            evictions: Default::default(),
            now_ms: now,
            logging_created: false,
            executing: 0,
            current_client: None,
            tracking: Default::default(),
            pauses: Default::default(),
            save_requested: false,
            last_save_ms: now,
            acl: Default::default(),
            requirepass: Vec::new(),
            scripting: Default::default(),
            oom_before_command: false,
            releasing_script_held: false,
            last_dump: None,
        }
        .with_script_client(now)
    }

    fn with_script_client(mut self, now: Ms) -> Server {
        self.clients.connect_hidden(SCRIPT_CLIENT, now);
        self
    }

    // ---- the databases ----

    pub fn db(&self, i: usize) -> &Db {
        &self.dbs[i.min(NUM_DBS - 1)]
    }

    pub fn db_mut(&mut self, i: usize) -> &mut Db {
        &mut self.dbs[i.min(NUM_DBS - 1)]
    }

    pub fn dbs(&self) -> &[Db] {
        &self.dbs
    }

    /// A db and the server's RNG together (RANDOMKEY, SRANDMEMBER…).
    pub fn db_and_rng(&mut self, i: usize) -> (&mut Db, &mut fastrand::Rng) {
        (&mut self.dbs[i.min(NUM_DBS - 1)], &mut self.rng)
    }

    /// `hll-sparse-max-bytes` as set (up to LONG_MAX, whatever the platform's usize).
    pub fn hll_sparse_max_bytes(&self) -> u64 {
        self.hll_sparse_max_bytes
    }

    /// The same, as a size to compare lengths with.
    pub fn hll_sparse_max_len(&self) -> usize {
        usize::try_from(self.hll_sparse_max_bytes).unwrap_or(usize::MAX)
    }

    /// How big a stream node may grow (`stream-node-max-bytes`, `-entries`).
    pub fn encodings(&self) -> crate::types::Encodings {
        self.encodings
    }

    pub fn set_encodings(&mut self, e: crate::types::Encodings) {
        self.encodings = e;
    }

    pub fn stream_limits(&self) -> crate::types::stream::NodeLimits {
        self.stream_limits
    }

    pub fn set_stream_limits(&mut self, l: crate::types::stream::NodeLimits) {
        self.stream_limits = l;
    }

    pub fn set_hll_sparse_max_bytes(&mut self, n: u64) {
        self.hll_sparse_max_bytes = n;
    }

    /// `busy-reply-threshold`, in ms.
    pub fn busy_reply_threshold_ms(&self) -> i64 {
        self.busy_reply_threshold_ms
    }

    pub fn set_busy_reply_threshold_ms(&mut self, ms: i64) {
        self.busy_reply_threshold_ms = ms;
    }

    pub fn rng(&mut self) -> &mut fastrand::Rng {
        &mut self.rng
    }

    /// Seed the RNG afresh (the retry simulation replays a run exactly).
    pub fn reseed(&mut self, seed: u64) {
        self.rng = fastrand::Rng::with_seed(seed);
    }

    /// FLUSHDB: every key of `db` goes; clients watching one that existed see a change.
    pub fn flush_db(&mut self, db: usize, now: Ms) {
        self.touch_watched_swapped(db, None, now);
        self.dirty += self.dbs[db].len() as u64;
        self.dbs[db].clear();
    }

    /// SWAPDB: the two dbs trade places. Watchers of a key present in either see a
    /// change; clients blocked on a key the swap brought in are served.
    pub fn swap_dbs(&mut self, a: usize, b: usize, now: Ms) {
        if a == b {
            return;
        }
        self.touch_watched_swapped(a, Some(b), now);
        self.touch_watched_swapped(b, Some(a), now);
        self.dbs.swap(a, b);
        self.dirty += 1;
        self.signal_existing(a, now);
        self.signal_existing(b, now);
    }

    /// Replace the whole keyspace (a restore): `load` fills the emptied dbs. Views
    /// refresh and every WATCHer sees a change, as after FLUSHALL and a load.
    pub fn replace_keyspace<T>(&mut self, load: impl FnOnce(&mut [Db]) -> T) -> T {
        for db in &mut self.dbs {
            db.clear();
        }
        self.merge_keyspace(load)
    }

    /// Load keys into the dbs as they are (DEBUG RELOAD NOFLUSH): views refresh and every
    /// WATCHer sees a change.
    pub fn merge_keyspace<T>(&mut self, load: impl FnOnce(&mut [Db]) -> T) -> T {
        let out = load(&mut self.dbs);
        self.generation += 1;
        self.tracking_flushed();
        for db in 0..NUM_DBS {
            self.touch_all_watched_in(db);
        }
        out
    }

    /// A number that moves whenever any key changes.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Continue the generation count of a previous server (a reset world), so views
    /// that compare generations see a change.
    pub fn follow_generation(&mut self, previous: u64) {
        self.generation = self.generation.max(previous + 1);
    }

    // ---- statistics and persistence ----

    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// CONFIG RESETSTAT.
    pub fn reset_stats(&mut self) {
        self.stats = Stats::default();
    }

    /// World time the server started.
    pub fn started_ms(&self) -> Ms {
        self.started_ms
    }

    /// Changes since the last save.
    pub fn dirty(&self) -> u64 {
        self.dirty
    }

    /// What DEBUG RELOAD last saved (its "dump.rdb", which DEBUG RELOAD NOSAVE loads).
    pub fn last_dump(&self) -> Option<&[u8]> {
        self.last_dump.as_deref()
    }

    pub fn set_last_dump(&mut self, bytes: Vec<u8>) {
        self.last_dump = Some(bytes);
    }

    /// SAVE/BGSAVE: ask the page to save the world now.
    pub fn request_save(&mut self) {
        self.save_requested = true;
    }

    /// Whether a save was asked for since the last call.
    pub fn take_save_request(&mut self) -> bool {
        std::mem::take(&mut self.save_requested)
    }

    /// The world was saved at `now`: LASTSAVE and the count of changes since follow.
    pub fn saved(&mut self, now: Ms) {
        self.last_save_ms = now;
        self.dirty = 0;
    }

    pub fn last_save_ms(&self) -> Ms {
        self.last_save_ms
    }

    // ---- clients ----

    /// Connect a new client; returns its id.
    pub fn connect(&mut self) -> ClientId {
        self.stats.connections_received += 1;
        let authenticated = !self.acl.default_needs_auth();
        self.clients.connect(self.now_ms, authenticated)
    }

    pub fn clients(&self) -> &Clients {
        &self.clients
    }

    pub fn client(&self, id: ClientId) -> Option<&Client> {
        self.clients.get(id)
    }

    pub fn client_mut(&mut self, id: ClientId) -> Option<&mut Client> {
        self.clients.get_mut(id)
    }

    /// The clients that have something to read (pushed messages, a blocked command's
    /// answer) or whose connection closed, since the last call.
    pub fn take_news(&mut self) -> Vec<ClientId> {
        self.clients.take_news()
    }

    pub fn is_connected(&self, id: ClientId) -> bool {
        self.clients.is_connected(id)
    }

    /// The db a client has selected (0 for a client that is gone).
    pub fn client_db(&self, id: ClientId) -> usize {
        self.clients.get(id).map_or(0, Client::db)
    }

    /// Whether a client listens on channels or patterns (RESP2: it may then only run
    /// pub/sub commands, PING, QUIT and RESET).
    pub fn is_subscribed(&self, id: ClientId) -> bool {
        self.subs.is_subscribed(id)
    }

    /// A client's connection closed: its subscriptions, transaction, watches, blocking
    /// command and MONITOR end, it runs nothing more, and it is freed (once the command
    /// running, if any, ends).
    pub fn disconnect(&mut self, client: ClientId) {
        if !self.clients.is_connected(client) {
            return;
        }
        self.subs.remove_client(client);
        self.unblock(client, None, 0);
        self.forget_script_waits(client);
        self.discard_transaction(client);
        self.tracking.disable(client);
        self.clients.close(client);
        if self.executing == 0 {
            self.clients.reap_one(client);
        }
    }

    /// RESET: forget everything the connection set up — transaction, watches,
    /// subscriptions, MONITOR, name, selected db, user.
    pub fn reset_client(&mut self, client: ClientId) {
        self.subs.remove_client(client);
        self.clients.stop_monitor(client);
        self.discard_transaction(client);
        self.tracking.disable(client);
        // RESET logs the connection back in as the default user.
        let authenticated = !self.acl.default_needs_auth();
        if let Some(c) = self.clients.get_mut(client) {
            c.reset_identity();
            c.log_in(None, authenticated);
        }
    }

    /// CLIENT REPLY for a client.
    pub fn set_reply_mode(&mut self, client: ClientId, mode: ReplyMode) {
        if let Some(c) = self.clients.get_mut(client) {
            c.set_reply_mode(mode);
        }
    }

    /// MONITOR: every command any client runs is pushed to this client.
    pub fn start_monitor(&mut self, client: ClientId) {
        self.clients.start_monitor(client);
    }

    /// The latest world time a command or tick was given.
    pub fn now_ms(&self) -> Ms {
        self.now_ms
    }

    // ---- created keys: `new` events and blocked clients ----

    /// Handle the keys the dbs created since the last flush: clients blocked on them are
    /// served after the command, and `new` events are published.
    fn flush_created_keys(&mut self) {
        for db in 0..self.dbs.len() {
            for key in self.dbs[db].take_created() {
                self.signal_created(db, &key);
                self.notify_keyspace_event(db, Class::New, "new", &key);
            }
        }
    }

    /// Flush the created keys of every db, if the dbs log them.
    fn collect_created(&mut self) {
        if self.logging_created {
            self.flush_created_keys();
        }
    }

    /// Log created keys while `notify-keyspace-events` wants `new` events or a client is
    /// blocked on a key.
    fn sync_new_key_logging(&mut self) {
        let on = self.notify_flags.wants(Class::New) || !self.blocking.is_empty();
        if on == self.logging_created {
            return;
        }
        self.logging_created = on;
        for d in &mut self.dbs {
            d.log_created(on);
        }
    }

    // ---- running commands ----

    /// Run one command for a client: the table lookup, the arity check, MULTI queueing,
    /// then the handler. Never panics; every failure is a Redis error reply.
    ///
    /// A blocking command that finds no data blocks the client instead (see
    /// `blocking.rs`): the reply returned is then meaningless, `is_blocked(client)` says
    /// so, and the real reply arrives in the client's inbox later.
    pub fn execute(&mut self, client: ClientId, argv: &[Vec<u8>], now: Ms) -> Reply {
        self.now_ms = now;
        if !self.clients.is_connected(client) {
            return Reply::Error("ERR the connection is closed".into());
        }
        if self.hold_for_script(client, argv, now) {
            // A script runs: the command waits behind it (the client counts as blocked).
            return Reply::Nil;
        }
        self.executing += 1;
        self.sync_new_key_logging();
        // Data loaded between commands (a restore) is measured before this one reads it.
        self.settle_memory();
        let outer = self.current_client.replace(client);
        let reply = self.execute_inner(client, argv, now);
        // CLIENT CACHING applies to the one command (or transaction) after it.
        if self.tracking.tracker(client).is_some() {
            let in_multi = self.clients.get(client).is_some_and(|c| c.tx().in_multi());
            if !in_multi
                && !argv
                    .first()
                    .is_some_and(|n| n.eq_ignore_ascii_case(b"client"))
            {
                self.tracking.command_done(client);
            }
        }
        let reply = match self.clients.get_mut(client) {
            Some(c) => {
                if c.silences_reply() {
                    // CLIENT REPLY OFF/SKIP: nothing goes back (an empty run of
                    // replies) but pushes, such as SUBSCRIBE's confirmations.
                    let pushes = match reply {
                        Reply::Multi(items) => items
                            .into_iter()
                            .filter(|r| matches!(r, Reply::Push(_)))
                            .collect(),
                        push @ Reply::Push(_) => vec![push],
                        _ => Vec::new(),
                    };
                    Reply::Multi(pushes).for_protocol(c.protocol())
                } else {
                    reply.for_protocol(c.protocol())
                }
            }
            None => reply.for_protocol(Protocol::Resp2),
        };
        self.collect_expired();
        self.collect_created();
        self.tracking_after_command(client);
        self.current_client = outer;
        self.serve_ready_keys(now);
        if outer.is_none() {
            self.release_held(now);
            self.end_killed_script(now);
            self.release_script_held(now);
        }
        self.evict_clients();
        self.settle_memory();
        self.executing -= 1;
        if self.executing == 0 {
            self.clients.reap();
        }
        reply
    }

    fn execute_inner(&mut self, client: ClientId, argv: &[Vec<u8>], now: Ms) -> Reply {
        if argv.is_empty() {
            return Reply::Array(vec![]);
        }
        let cmd = match self.resolve(argv) {
            Ok(cmd) => cmd,
            Err(e) => {
                // Redis knows the command of an arity error (and counts it rejected), not
                // that of an unknown command or sub-command.
                let known = match &e {
                    CmdError::WrongArity(_) => commands::lookup(&argv[0]).and_then(|c| {
                        if c.subcommands.is_empty() {
                            Some(c)
                        } else {
                            argv.get(1).and_then(|s| commands::lookup_sub(c, s))
                        }
                    }),
                    _ => None,
                };
                // A rejected EXEC ends the transaction at once, saying why.
                if commands::lookup(&argv[0]).is_some_and(|c| c.in_multi == InMulti::Exec) {
                    self.discard_transaction(client);
                    let why = e.to_string();
                    let why = why.strip_prefix("ERR ").unwrap_or(&why);
                    return self.rejected(
                        known,
                        Reply::Error(format!("EXECABORT Transaction discarded because of: {why}")),
                    );
                }
                self.flag_multi_error(client);
                return self.rejected(known, e.into());
            }
        };
        // CLIENT LIST shows the command being run (or queued), as Redis does.
        if let Some(c) = self.clients.get_mut(client) {
            c.started(cmd.name, now);
        }
        // Redis's order: authentication, MULTI's refusals, then the ACL check.
        if self.auth_required(client) && !cmd.has_flag(Flags::NO_AUTH) {
            return self.refuse(
                client,
                cmd,
                Reply::Error("NOAUTH Authentication required.".into()),
            );
        }
        let in_multi = self.clients.get(client).is_some_and(|c| c.tx().in_multi());
        if in_multi && cmd.has_flag(Flags::NO_MULTI) {
            return self.refuse(
                client,
                cmd,
                Reply::Error("ERR Command not allowed inside a transaction".into()),
            );
        }
        let context = if in_multi { "multi" } else { "toplevel" };
        if let Err(why) = self.acl_check(client, cmd, argv, context, now) {
            let text = match why {
                acl::Denied::Command => format!(
                    "NOPERM this user has no permissions to run the '{}' command",
                    cmd.name
                ),
                acl::Denied::Key => {
                    "NOPERM this user has no permissions to access one of the keys used as arguments".into()
                }
                acl::Denied::Channel => {
                    "NOPERM this user has no permissions to access one of the channels used as arguments".into()
                }
                acl::Denied::Auth => "ERR no permission".into(),
            };
            return self.refuse(client, cmd, Reply::Error(text));
        }
        // RESP3 carries pushes beside replies: only a RESP2 subscriber is held to the
        // subscription commands.
        if self.is_subscribed(client)
            && !cmd.has_flag(Flags::SUBSCRIBED_OK)
            && self.clients.get(client).map(|c| c.protocol()) == Some(Protocol::Resp2)
        {
            return self.rejected(Some(cmd), not_while_subscribed(cmd.name).into());
        }
        // A script's declared flags stand for its command's (EVAL of `#!lua flags=…`,
        // FCALL of a `no-writes` function).
        let flags = match cmd.script_flags {
            Some(f) => f(self, argv),
            None => cmd.flags,
        };
        if self.refuses_for_memory(client, cmd, flags, in_multi, now) {
            return self.refuse(client, cmd, CmdError::Oom.into());
        }
        if let Some(busy) = self.busy_refusal(cmd, now) {
            return self.refuse(client, cmd, busy);
        }
        if self.pause_holds(client, cmd, flags, now) {
            // CLIENT PAUSE: the command waits (its answer comes when it runs).
            self.hold(client, cmd, argv, now);
            return Reply::Nil;
        }
        if in_multi && cmd.in_multi == InMulti::Queued {
            let writes = pause::may_change(flags);
            self.queue_command(client, argv, flags.contains(Flags::DENYOOM), writes);
            return Reply::status("QUEUED");
        }
        self.call(cmd, client, argv, now, true)
    }

    /// Redis's `rejectCommand`: a queued transaction is flagged, and a refused EXEC ends
    /// its transaction saying why (`EXECABORT Transaction discarded because of: …`).
    fn refuse(&mut self, client: ClientId, cmd: &'static Command, reply: Reply) -> Reply {
        self.flag_multi_error(client);
        if cmd.in_multi == InMulti::Exec {
            self.discard_transaction(client);
            if let Reply::Error(why) = &reply {
                let text = format!("EXECABORT Transaction discarded because of: {why}");
                return self.rejected(Some(cmd), Reply::Error(text));
            }
        }
        self.rejected(Some(cmd), reply)
    }

    /// A command refused before it ran: its error reply, counted (INFO errorstats, and
    /// the command's `rejected_calls` where Redis knows the command).
    fn rejected(&mut self, cmd: Option<&'static Command>, reply: Reply) -> Reply {
        if let Reply::Error(text) = &reply {
            self.stats.error(text);
            if let Some(c) = cmd {
                self.stats.command(c).rejected_calls += 1;
            }
        }
        reply
    }

    /// Redis with `maxmemory` and `noeviction`, where the engine's memory is full
    /// (`memory::limit()`): a command that may grow the dataset is refused, and inside MULTI
    /// anything but EXEC, DISCARD, QUIT and RESET (queueing would grow without bound); EXEC
    /// is refused if it would run such a command.
    fn refuses_for_memory(
        &mut self,
        client: ClientId,
        cmd: &Command,
        flags: Flags,
        in_multi: bool,
        now: Ms,
    ) -> bool {
        // Under maxmemory, Redis evicts before every command; then it refuses what would
        // grow the data if memory is still above the limit.
        let evicted_enough = self.perform_evictions(now);
        self.oom_before_command = !(evicted_enough && crate::memory::has_room_for(0));
        if !self.oom_before_command {
            return false;
        }
        let queued_denyoom = self
            .clients
            .get(client)
            .is_some_and(|c| c.tx().queued_denyoom());
        match cmd.in_multi {
            InMulti::Exec => queued_denyoom,
            InMulti::RunsNow => flags.contains(Flags::DENYOOM),
            InMulti::Queued => in_multi || flags.contains(Flags::DENYOOM),
        }
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

    /// Run a resolved command (EXEC runs its queue through here, with `may_block` false).
    pub fn call(
        &mut self,
        cmd: &'static Command,
        client: ClientId,
        argv: &[Vec<u8>],
        now: Ms,
        may_block: bool,
    ) -> Reply {
        let mut ctx = Ctx::new(self, client, now);
        ctx.may_block = may_block;
        let reply = (cmd.handler)(&mut ctx, argv).unwrap_or_else(Reply::from);
        let wait = ctx.wait.take();
        let took_us = ctx.took_us;
        let redacted = std::mem::take(&mut ctx.redacted);
        let error_counted = ctx.error_counted;
        // A tracking client's reads are remembered (not its pub/sub channels); a script's
        // reads make its caller's declared keys remembered (`script_read`), and a
        // read-only script's command remembers nothing by itself.
        if client != SCRIPT_CLIENT && cmd.has_flag(Flags::READONLY) && cmd.script_flags.is_none() {
            self.remember_reads(client, cmd, argv);
        }
        // What MONITOR and SLOWLOG see: the line with its secrets redacted.
        let shown: std::borrow::Cow<[Vec<u8>]> = if redacted.is_empty() {
            std::borrow::Cow::Borrowed(argv)
        } else {
            let mut v = argv.to_vec();
            for i in redacted {
                if let Some(a) = v.get_mut(i) {
                    *a = b"(redacted)".to_vec();
                }
            }
            std::borrow::Cow::Owned(v)
        };
        // Redis counts a command once it has run, so INFO doesn't count itself.
        self.stats.commands_processed += 1;
        let tracking = self.latency.tracking;
        let stat = self.stats.command(cmd);
        stat.calls += 1;
        stat.tracked += u64::from(tracking);
        if let Reply::Error(text) = &reply {
            if !error_counted {
                self.stats.error(text);
            }
            self.stats.command(cmd).failed_calls += 1;
        }
        // MONITOR sees a command after it ran (so SELECT shows the new db), except the
        // administrative ones.
        if self.clients.has_monitors()
            && !cmd.has_flag(Flags::ADMIN)
            && !cmd.has_flag(Flags::SKIP_MONITOR)
        {
            self.feed_monitors(client, &shown, now);
        }
        match wait {
            Some(wait) => self.block(client, cmd, &shown, wait, reply.clone(), now),
            // A command is instantaneous on the world clock (see slowlog.rs).
            None => self.log_duration(client, cmd, &shown, took_us, now),
        }
        reply
    }

    /// Client tracking: `client` read the keys of this command line.
    fn remember_reads(&mut self, client: ClientId, cmd: &'static Command, argv: &[Vec<u8>]) {
        if cmd.has_flag(Flags::PUBSUB) || self.tracking.tracker(client).is_none() {
            return;
        }
        if let Some(pos) = commands::keyspec::key_positions(cmd, argv) {
            let keys: Vec<&[u8]> = pos
                .iter()
                .filter_map(|&i| argv.get(i))
                .map(Vec::as_slice)
                .collect();
            self.tracking_read(client, &keys);
        }
    }

    /// A script ran a read-only command: its caller's tracking remembers the keys the
    /// script's own command declared (EVAL … numkeys key …), as Redis 7.0 does.
    pub fn script_read(&mut self, caller: ClientId, cmd: &'static Command, argv: &[Vec<u8>]) {
        self.remember_reads(caller, cmd, argv);
    }

    /// A command ran for `duration_us` of world time: the slow log and the latency monitor
    /// take it if it was slow enough (not EXEC: its commands are logged one by one).
    fn log_duration(
        &mut self,
        client: ClientId,
        cmd: &'static Command,
        argv: &[Vec<u8>],
        duration_us: i64,
        now: Ms,
    ) {
        if duration_us > 0 && self.latency.tracking {
            let k = latency_bucket(duration_us);
            self.stats.command(cmd).timed[k] += 1;
        }
        if cmd.has_flag(Flags::SKIP_SLOWLOG) {
            return;
        }
        if self.slowlog.log_slower_than >= 0 && duration_us >= self.slowlog.log_slower_than {
            let (peer, name) = match self.clients.get(client) {
                Some(c) => (c.addr(), c.name().to_vec()),
                None => (String::new(), Vec::new()),
            };
            self.slowlog.record(argv, duration_us, now, peer, &name);
        }
        let event = if cmd.has_flag(Flags::FAST) {
            "fast-command"
        } else {
            "command"
        };
        self.latency.add_if_needed(event, duration_us / 1000, now);
    }

    /// Measure the keys changed since the last call (`types::usage`, quick), keeping each
    /// db's total, and follow the peak.
    pub fn settle_memory(&mut self) {
        if self.dbs.iter().all(|d| !d.has_stale()) {
            return;
        }
        let enc = self.encodings;
        let node_max = self.stream_limits.max_bytes;
        for db in &mut self.dbs {
            if !db.has_stale() {
                continue;
            }
            db.settle_usage(|k, v| {
                crate::types::usage::measure(
                    k,
                    v,
                    5,
                    &enc,
                    node_max,
                    crate::types::usage::Budget::Quick,
                )
            });
        }
        let used = self.used_memory();
        if used > self.memory_peak {
            self.memory_peak = used;
        }
    }

    /// What Redis's `used_memory` would be for this data: an empty Redis 7.0.15's memory
    /// (`used_memory_startup`), each db's key tables, and every key with its value.
    pub fn used_memory(&self) -> u64 {
        self.memory_startup()
            + self.dbs.iter().map(db_overhead).sum::<u64>()
            + self.dbs.iter().map(Db::usage).sum::<u64>()
    }

    /// An empty Redis 7.0.15's `used_memory` (Debian's build on x86-64).
    pub fn memory_startup(&self) -> u64 {
        MEMORY_STARTUP
    }

    /// Count values freed "in the background" (INFO's lazyfreed_objects).
    pub fn count_lazyfreed(&mut self, n: u64) {
        self.stats.lazyfreed_objects += n;
    }

    pub fn eviction(&self) -> eviction::Eviction {
        self.eviction
    }

    pub fn set_eviction(&mut self, e: eviction::Eviction) {
        self.eviction = e;
    }

    pub fn maxmemory(&self) -> u64 {
        self.eviction.maxmemory
    }

    pub fn maxmemory_policy(&self) -> eviction::Policy {
        self.eviction.policy
    }

    /// The highest `used_memory` seen (INFO's `used_memory_peak`).
    pub fn memory_peak(&self) -> u64 {
        self.memory_peak.max(self.used_memory())
    }

    pub fn slowlog(&self) -> &slowlog::Slowlog {
        &self.slowlog
    }

    pub fn slowlog_mut(&mut self) -> &mut slowlog::Slowlog {
        &mut self.slowlog
    }

    pub fn latency(&self) -> &slowlog::Latency {
        &self.latency
    }

    pub fn latency_mut(&mut self) -> &mut slowlog::Latency {
        &mut self.latency
    }

    /// Push a command to every MONITOR client, in redis-cli's MONITOR format:
    /// `1700000000.123456 [0 127.0.0.1:40001] "set" "k" "v"`.
    fn feed_monitors(&mut self, client: ClientId, argv: &[Vec<u8>], now: Ms) {
        let (db, addr) = match self.clients.get_or_scratch(client) {
            c if c.id() == client => (c.db(), c.addr()),
            _ => return,
        };
        let mut line = format!(
            "{}.{:06} [{} {}]",
            now.div_euclid(1000),
            now.rem_euclid(1000) * 1000,
            db,
            addr
        );
        for a in argv {
            line.push(' ');
            crate::cli::repr(&mut line, a);
        }
        self.clients.feed_monitors(&line);
    }
}

// ---- users and permissions ----

impl Server {
    pub fn acl(&self) -> &acl::Acl {
        &self.acl
    }

    pub fn acl_mut(&mut self) -> &mut acl::Acl {
        &mut self.acl
    }

    /// Whether a client must AUTH before running anything but the NO_AUTH commands.
    pub fn auth_required(&self, client: ClientId) -> bool {
        self.acl.default_needs_auth()
            && !self
                .clients
                .get(client)
                .is_some_and(Client::is_authenticated)
    }

    /// Check a command line against the client's user: a refusal is logged in the ACL
    /// LOG (in `context`: `toplevel` or `multi`) and returned.
    pub fn acl_check(
        &mut self,
        client: ClientId,
        cmd: &'static Command,
        argv: &[Vec<u8>],
        context: &'static str,
        now: Ms,
    ) -> Result<(), acl::Denied> {
        // Borrowed, not copied: most commands pass, and cost no allocation.
        let Some(name) = self.clients.get(client).map(Client::user) else {
            return Ok(());
        };
        if self.acl.is_unrestricted_default(name) {
            return Ok(());
        }
        let Some(user) = self.acl.user(name) else {
            return Ok(());
        };
        let Err((why, pos)) = user.check(cmd, argv) else {
            return Ok(());
        };
        let name = name.to_vec();
        let object = match why {
            acl::Denied::Command => cmd.name.as_bytes().to_vec(),
            _ => argv.get(pos).cloned().unwrap_or_default(),
        };
        self.acl_log(client, why, context, object, name, now);
        Err(why)
    }

    /// Add an ACL LOG entry about `client`.
    pub fn acl_log(
        &mut self,
        client: ClientId,
        reason: acl::Denied,
        context: &'static str,
        object: Vec<u8>,
        username: Vec<u8>,
        now: Ms,
    ) {
        let client_info = self
            .clients
            .get(client)
            .map(|c| commands::connection::describe(self, c, now))
            .unwrap_or_default();
        let client_info = client_info.trim_end_matches('\n').to_string();
        self.acl.log(acl::LogEntry {
            count: 1,
            reason,
            context,
            object,
            username,
            at_ms: now,
            client_info,
        });
    }

    /// AUTH (and HELLO's AUTH option): log the client in as `user` if `pass` is one of
    /// its passwords and it is on; otherwise WRONGPASS, and an ACL LOG entry.
    pub fn authenticate(
        &mut self,
        client: ClientId,
        user: &[u8],
        pass: &[u8],
    ) -> Result<(), CmdError> {
        if self.acl.credentials_ok(user, pass) {
            if let Some(c) = self.clients.get_mut(client) {
                c.log_in(Some(user), true);
            }
            return Ok(());
        }
        let in_multi = self.clients.get(client).is_some_and(|c| c.tx().in_multi());
        let context = if in_multi { "multi" } else { "toplevel" };
        let now = self.now_ms;
        let object = b"AUTH".to_vec();
        self.acl_log(
            client,
            acl::Denied::Auth,
            context,
            object,
            user.to_vec(),
            now,
        );
        Err(CmdError::Raw(
            "WRONGPASS invalid username-password pair or user is disabled.".into(),
        ))
    }

    /// ACL DELUSER: the users go, and so do the connections logged in as one of them
    /// (the calling one after its reply). Returns how many users existed.
    pub fn delete_users(&mut self, names: &[Vec<u8>]) -> usize {
        let mut deleted = 0;
        for name in names {
            if !self.acl.delete_user(name) {
                continue;
            }
            deleted += 1;
            let victims: Vec<ClientId> = self
                .clients
                .iter()
                .filter(|c| c.user() == name.as_slice())
                .map(Client::id)
                .collect();
            for id in victims {
                if let Some(c) = self.clients.get_mut(id) {
                    c.log_in(None, false);
                }
                self.disconnect(id);
            }
        }
        deleted
    }

    /// After ACL SETUSER changed `user`: its subscribed clients that hold a channel or
    /// pattern it may no longer use are disconnected, as Redis does.
    pub fn drop_unpermitted_subscribers(&mut self, user: &[u8]) {
        let victims: Vec<ClientId> = self
            .clients
            .iter()
            .filter(|c| c.user() == user)
            .map(Client::id)
            .filter(|&id| {
                let channels = self.subs.of(id, pubsub::Kind::Channel);
                let patterns = self.subs.of(id, pubsub::Kind::Pattern);
                channels
                    .iter()
                    .any(|ch| !self.acl.keeps_channel(user, ch, false))
                    || patterns
                        .iter()
                        .any(|p| !self.acl.keeps_channel(user, p, true))
            })
            .collect();
        for id in victims {
            self.disconnect(id);
        }
    }

    /// `requirepass`, as last set.
    pub fn requirepass(&self) -> &[u8] {
        &self.requirepass
    }

    /// CONFIG SET requirepass: the default user gets this one password (none: nopass).
    pub fn set_requirepass(&mut self, pass: &[u8]) {
        self.requirepass = pass.to_vec();
        self.acl.set_default_password(pass);
    }

    /// Replace every user (a restored world); connections whose user is gone close.
    pub fn replace_acl(&mut self, acl: acl::Acl) {
        let log = std::mem::take(&mut self.acl);
        self.acl = acl;
        self.acl.log_max_len = log.log_max_len;
        let gone: Vec<ClientId> = self
            .clients
            .iter()
            .filter(|c| self.acl.user(c.user()).is_none())
            .map(Client::id)
            .collect();
        for id in gone {
            self.disconnect(id);
        }
    }
}

/// The error for a command a subscribed client may not run.
fn not_while_subscribed(cmd: &str) -> CmdError {
    CmdError::Err(format!(
        "Can't execute '{cmd}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"
    ))
}
