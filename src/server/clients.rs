//! The server's connections: each client's own state (selected db, name, pushed messages,
//! its transaction) and the registry that connects, finds and frees them. A closed
//! client is freed (at the end of the command that closed it), so a server that has seen
//! a million connections costs no more than one that has seen ten.

use crate::clock::Ms;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::tx::TxState;
use crate::reply::{Protocol, Reply};

/// A client's id, as CLIENT ID reports it: never reused.
pub type ClientId = u64;

/// One connection.
#[derive(Debug)]
pub struct Client {
    id: ClientId,
    db: usize,
    pub(super) tx: TxState,
    /// Messages pushed to this client (pub/sub, MONITOR lines, the reply of a blocking
    /// command once served), not yet read.
    inbox: VecDeque<Reply>,
    /// Their size in RESP2 (CLIENT LIST's omem).
    inbox_bytes: usize,
    /// CLIENT NO-EVICT ON: client eviction (`maxmemory-clients`) passes it by.
    no_evict: bool,
    /// CLIENT SETNAME.
    name: Vec<u8>,
    /// The protocol HELLO chose: every reply and push is adapted to it.
    protocol: Protocol,
    /// CLIENT REPLY OFF: its replies are dropped (pushes still go out).
    reply_off: bool,
    /// CLIENT REPLY SKIP: the next command's reply is dropped; `skip_this` while it runs.
    skip_next: bool,
    skip_this: bool,
    /// The port of its (pretend) address, `127.0.0.1:<port>`.
    port: u32,
    /// World time of connecting and of its last command.
    connected_ms: Ms,
    last_ms: Ms,
    /// The last command's full name (`client|list`), or `NULL` before any.
    last_cmd: &'static str,
    /// MONITOR: every command any client runs is pushed to its inbox.
    monitor: bool,
    /// The connection was closed (CLIENT KILL, QUIT): it runs nothing more and is freed
    /// once the command that closed it ends.
    closed: bool,
    /// The ACL user it runs as (`default` until an AUTH).
    user: Vec<u8>,
    /// Whether it authenticated (or connected while the default user needed no password).
    authenticated: bool,
    /// The scripts' own client (Redis's "lua client"): no connection, so not listed.
    hidden: bool,
}

impl Client {
    fn new(id: ClientId, now: Ms) -> Client {
        Client {
            id,
            db: 0,
            tx: TxState::default(),
            inbox: VecDeque::new(),
            inbox_bytes: 0,
            no_evict: false,
            name: Vec::new(),
            protocol: Protocol::Resp2,
            reply_off: false,
            skip_next: false,
            skip_this: false,
            // Ephemeral ports, spread as a kernel would hand them out.
            port: 40_000 + (id.wrapping_mul(7_919) % 20_000) as u32,
            connected_ms: now,
            last_ms: now,
            last_cmd: "NULL",
            monitor: false,
            closed: false,
            user: b"default".to_vec(),
            authenticated: true,
            hidden: false,
        }
    }

    /// The ACL user it runs as.
    pub fn user(&self) -> &[u8] {
        &self.user
    }

    /// Whether it has authenticated (see `authenticated`).
    pub fn is_authenticated(&self) -> bool {
        self.authenticated
    }

    /// Run as `user` from now on (a successful AUTH), or as the default user (`None`:
    /// RESET, or its user was deleted), authenticated or not.
    pub(super) fn log_in(&mut self, user: Option<&[u8]>, authenticated: bool) {
        self.authenticated = authenticated;
        self.user = user.unwrap_or(b"default").to_vec();
    }

    pub fn id(&self) -> ClientId {
        self.id
    }

    /// The selected db.
    pub fn db(&self) -> usize {
        self.db
    }

    pub fn select(&mut self, db: usize) {
        self.db = db;
    }

    pub fn name(&self) -> &[u8] {
        &self.name
    }

    pub fn set_name(&mut self, name: &[u8]) {
        self.name = name.to_vec();
    }

    pub fn protocol(&self) -> Protocol {
        self.protocol
    }

    pub fn set_protocol(&mut self, protocol: Protocol) {
        self.protocol = protocol;
    }

    /// CLIENT REPLY ON|OFF|SKIP (SKIP does nothing while replies are off).
    pub fn set_reply_mode(&mut self, mode: ReplyMode) {
        match mode {
            ReplyMode::On => {
                self.reply_off = false;
                self.skip_next = false;
                self.skip_this = false;
            }
            ReplyMode::Off => self.reply_off = true,
            ReplyMode::Skip => self.skip_next = !self.reply_off,
        }
    }

    /// A command ended: whether its reply is dropped (replies off, or the one skipped).
    /// A SKIP just given starts applying to the next command.
    pub(super) fn silences_reply(&mut self) -> bool {
        let silenced = self.reply_off || self.skip_this;
        self.skip_this = std::mem::take(&mut self.skip_next);
        silenced
    }

    /// Whether replies to this client are dropped now (CLIENT REPLY OFF).
    pub fn replies_off(&self) -> bool {
        self.reply_off
    }

    /// `127.0.0.1:<port>`, as CLIENT LIST and MONITOR show it.
    pub fn addr(&self) -> String {
        if self.hidden {
            return "lua".into();
        }
        format!("127.0.0.1:{}", self.port)
    }

    pub fn is_monitor(&self) -> bool {
        self.monitor
    }

    pub fn tx(&self) -> &TxState {
        &self.tx
    }

    /// Seconds since it connected, and since its last command.
    pub fn ages(&self, now: Ms) -> (i64, i64) {
        (
            (now - self.connected_ms).max(0) / 1000,
            (now - self.last_ms).max(0) / 1000,
        )
    }

    pub fn last_command(&self) -> &'static str {
        self.last_cmd
    }

    /// A command starts: CLIENT LIST shows it, and the idle time starts again.
    pub(super) fn started(&mut self, name: &'static str, now: Ms) {
        self.last_ms = now;
        self.last_cmd = name;
    }

    /// What was pushed to the client since the last call, oldest first.
    pub fn take_inbox(&mut self) -> VecDeque<Reply> {
        self.inbox_bytes = 0;
        std::mem::take(&mut self.inbox)
    }

    /// The bytes pushed to it and not read yet (CLIENT LIST's omem).
    pub fn output_bytes(&self) -> usize {
        self.inbox_bytes
    }

    /// CLIENT NO-EVICT.
    pub fn no_evict(&self) -> bool {
        self.no_evict
    }

    pub fn set_no_evict(&mut self, on: bool) {
        self.no_evict = on;
    }

    /// Forget what RESET forgets of the client itself: its name, db and protocol (the
    /// server resets its transaction, subscriptions and MONITOR).
    pub(super) fn reset_identity(&mut self) {
        self.name.clear();
        self.db = 0;
        self.protocol = Protocol::Resp2;
        self.set_reply_mode(ReplyMode::On);
    }
}

/// CLIENT REPLY's modes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplyMode {
    On,
    Off,
    Skip,
}

/// Every connected client, in the order they connected, and the MONITORs among them.
#[derive(Debug, Default)]
pub struct Clients {
    map: BTreeMap<ClientId, Client>,
    last_id: ClientId,
    /// Clients in MONITOR mode, in the order they started it.
    monitors: Vec<ClientId>,
    /// Answers for a client id that is gone (never stored anywhere).
    scratch: Option<Box<Client>>,
    /// Clients something was pushed to, or that were closed, since the last `take_news`
    /// (forgotten past NEWS_LIMIT when nobody asks).
    news: BTreeSet<ClientId>,
}

/// `news` is kept for a reader (the RESP bridge); without one it is dropped at this size.
const NEWS_LIMIT: usize = 4096;

impl Clients {
    /// A new client at world time `now`; returns its id.
    pub fn connect(&mut self, now: Ms, authenticated: bool) -> ClientId {
        self.last_id += 1;
        let id = self.last_id;
        let mut c = Client::new(id, now);
        c.authenticated = authenticated;
        self.map.insert(id, c);
        id
    }

    /// The scripts' client, with its own id (no connection's).
    pub(super) fn connect_hidden(&mut self, id: ClientId, now: Ms) {
        let mut c = Client::new(id, now);
        c.hidden = true;
        self.map.insert(id, c);
    }

    pub fn get(&self, id: ClientId) -> Option<&Client> {
        self.map.get(&id).filter(|c| !c.closed)
    }

    pub fn get_mut(&mut self, id: ClientId) -> Option<&mut Client> {
        self.map.get_mut(&id).filter(|c| !c.closed)
    }

    /// The client, or a blank stand-in when it is gone: a command that closed its own
    /// connection can still finish without a special case.
    pub fn get_or_scratch(&mut self, id: ClientId) -> &mut Client {
        match self.map.get_mut(&id) {
            Some(c) => c,
            None => self
                .scratch
                .get_or_insert_with(|| Box::new(Client::new(0, 0))),
        }
    }

    pub fn is_connected(&self, id: ClientId) -> bool {
        self.get(id).is_some()
    }

    /// The connected clients, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &Client> {
        self.map.values().filter(|c| !c.closed && !c.hidden)
    }

    pub fn len(&self) -> usize {
        self.iter().count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Mark a client closed (it is freed by `reap`); false if it was not connected.
    pub(super) fn close(&mut self, id: ClientId) -> bool {
        match self.map.get_mut(&id) {
            Some(c) if !c.closed => {
                c.closed = true;
                c.inbox.clear();
                c.inbox_bytes = 0;
                c.monitor = false;
                self.monitors.retain(|&m| m != id);
                self.note(id);
                true
            }
            _ => false,
        }
    }

    /// Push a message to a client (pub/sub, MONITOR, a blocked command's answer).
    pub(super) fn push(&mut self, id: ClientId, message: Reply) {
        if let Some(c) = self.get_mut(id) {
            let message = message.for_protocol(c.protocol);
            c.inbox_bytes += message.resp2_len();
            c.inbox.push_back(message);
            self.note(id);
        }
    }

    fn note(&mut self, id: ClientId) {
        if self.news.len() >= NEWS_LIMIT {
            self.news.clear();
        }
        self.news.insert(id);
    }

    /// The clients something was pushed to, or that were closed, since the last call.
    pub fn take_news(&mut self) -> Vec<ClientId> {
        std::mem::take(&mut self.news).into_iter().collect()
    }

    /// Free the clients that were closed.
    pub(super) fn reap(&mut self) {
        self.map.retain(|_, c| !c.closed);
    }

    /// Free one closed client.
    pub(super) fn reap_one(&mut self, id: ClientId) {
        if self.map.get(&id).is_some_and(|c| c.closed) {
            self.map.remove(&id);
        }
    }

    pub(super) fn start_monitor(&mut self, id: ClientId) {
        if let Some(c) = self.get_mut(id) {
            if !c.monitor {
                c.monitor = true;
                self.monitors.push(id);
            }
        }
    }

    pub(super) fn stop_monitor(&mut self, id: ClientId) {
        if let Some(c) = self.map.get_mut(&id) {
            c.monitor = false;
        }
        self.monitors.retain(|&m| m != id);
    }

    pub(super) fn has_monitors(&self) -> bool {
        !self.monitors.is_empty()
    }

    /// Push a line to every MONITOR.
    pub(super) fn feed_monitors(&mut self, line: &str) {
        for m in self.monitors.clone() {
            self.push(m, Reply::Status(line.to_string().into()));
        }
    }
}
