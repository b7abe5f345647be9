//! Consoles of one server: each is a client with redis-cli's behaviour on the client side
//! (line splitting, repeat counts, HELP, the prompt, the "Reading messages" and MONITOR
//! loops, waiting in a blocking command, "not connected" after the server closed the
//! connection). The world clock is shared.
//!
//! Most methods act on the current console; `use_console` picks it, so a page with several
//! consoles calls `use_console(id)` before acting for one of them.

use crate::cli::{self, Line, Parsed, PromptState};
use crate::clock::Clock;
use crate::reply::Reply;
use crate::server::{ClientId, Server};

/// What redis-cli prints when the server closed its connection.
pub const CONNECTION_CLOSED: &str = "Error: Server closed the connection";

/// One command a console line ran, with its reply.
pub type Ran = (Vec<Vec<u8>>, Reply);

/// What a line did: the text redis-cli prints, and each command with its reply.
#[derive(Debug, Clone, PartialEq)]
pub struct Executed {
    pub text: String,
    pub replies: Vec<Ran>,
}

/// What a console is doing when not waiting for a command.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// At the prompt.
    #[default]
    Ready,
    /// After SUBSCRIBE/PSUBSCRIBE: printing pushed messages until Ctrl-C.
    ReadingMessages,
    /// After MONITOR: printing every command the server runs until Ctrl-C.
    Monitoring,
    /// In a blocking command (BLPOP…), until data arrives, the timeout, or Ctrl-C.
    Blocked,
}

/// One console: a client of the server, and redis-cli's state beside it.
#[derive(Debug)]
pub struct Console {
    pub client: ClientId,
    pub prompt_state: PromptState,
    pub mode: Mode,
    /// The server closed the connection; the next command connects again.
    pub not_connected: bool,
    /// A blocked command, and how many more times its repeat count runs it.
    waiting: Option<(Vec<Vec<u8>>, i64)>,
    /// World time the blocked command was sent (redis-cli prints how long it took).
    waiting_since: i64,
}

impl Console {
    fn new(client: ClientId) -> Console {
        Console {
            client,
            prompt_state: PromptState::default(),
            mode: Mode::Ready,
            not_connected: false,
            waiting: None,
            waiting_since: 0,
        }
    }
}

pub struct Session {
    pub server: Server,
    pub clock: Clock,
    /// Consoles by id; closed ones leave a hole so ids stay stable.
    consoles: Vec<Option<Console>>,
    current: usize,
    /// The connection `side_exec` uses.
    side: Option<ClientId>,
    /// Argument vectors kept from line to line (a console line then costs no allocation
    /// for its arguments).
    argv: Vec<Vec<u8>>,
}

impl Session {
    /// A fresh server (16 empty databases) with one console, its clock starting at
    /// `wall_ms` (milliseconds since the Unix epoch) and running at 1×.
    pub fn new(wall_ms: f64) -> Session {
        Session::with_seed(wall_ms, 0x5eed_2024)
    }

    /// As `new`, with an explicit seed for the server's RNG (RANDOMKEY, expiry sampling).
    pub fn with_seed(wall_ms: f64, seed: u64) -> Session {
        let clock = Clock::new(wall_ms);
        let mut server = Server::new(clock.now_ms(), seed);
        let client = server.connect();
        Session {
            server,
            clock,
            consoles: vec![Some(Console::new(client))],
            argv: Vec::new(),
            current: 0,
            side: None,
        }
    }

    // ---- consoles ----

    /// Open another console (a new client at db 0); returns its id. It does not become
    /// the current one.
    pub fn open_console(&mut self) -> usize {
        self.server.tick(self.clock.now_ms());
        let client = self.server.connect();
        self.consoles.push(Some(Console::new(client)));
        self.consoles.len() - 1
    }

    /// Make console `id` the one the other methods act on; false if there is none.
    pub fn use_console(&mut self, id: usize) -> bool {
        if self.consoles.get(id).is_some_and(Option::is_some) {
            self.current = id;
            true
        } else {
            false
        }
    }

    /// Close console `id` (its connection ends). The last console cannot be closed.
    pub fn close_console(&mut self, id: usize) -> bool {
        if self.console_ids().len() <= 1 {
            return false;
        }
        let Some(c) = self.consoles.get_mut(id).and_then(Option::take) else {
            return false;
        };
        self.server.disconnect(c.client);
        if self.current == id {
            self.current = self.console_ids()[0];
        }
        true
    }

    /// The ids of the open consoles, oldest first.
    pub fn console_ids(&self) -> Vec<usize> {
        (0..self.consoles.len())
            .filter(|&i| self.consoles[i].is_some())
            .collect()
    }

    /// The current console's id.
    pub fn console_id(&self) -> usize {
        self.current
    }

    /// The current console.
    pub fn console(&self) -> &Console {
        self.consoles[self.current]
            .as_ref()
            .expect("the current console is always open")
    }

    fn console_mut(&mut self) -> &mut Console {
        self.consoles[self.current]
            .as_mut()
            .expect("the current console is always open")
    }

    /// The current console's client (as the server knows it).
    pub fn client(&self) -> ClientId {
        self.console().client
    }

    /// The current console's client id, as CLIENT ID reports it.
    pub fn client_id(&self) -> u64 {
        self.server.clients[self.client()].id
    }

    // ---- time ----

    /// Tell the session what time the wall clock says (moves world time per the clock's
    /// speed), and let the server do its timed work (active expiry, blocking timeouts).
    pub fn sync(&mut self, wall_ms: f64) {
        self.clock.sync(wall_ms);
        self.server.tick(self.clock.now_ms());
    }

    /// World time, ms since the epoch.
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    // ---- the world as a whole ----

    /// The whole world (keyspace and clock) as a snapshot (`persist.rs`).
    pub fn snapshot(&self, wall_ms: f64) -> Vec<u8> {
        crate::persist::snapshot(&self.server, &self.clock, wall_ms)
    }

    /// Replace the keyspace and the clock with a snapshot's. The world clock goes on
    /// from the saved world time by the wall time since the save, at 1× (exactly the
    /// saved time if it was paused); keys whose TTL ran out meanwhile are not loaded. On
    /// an error nothing changes.
    pub fn restore(
        &mut self,
        bytes: &[u8],
        wall_ms: f64,
    ) -> Result<crate::persist::LoadStats, crate::persist::LoadError> {
        let loaded = crate::persist::read_snapshot(bytes)?;
        let gap = if loaded.paused {
            0.0
        } else {
            (wall_ms - loaded.wall_ms).max(0.0)
        };
        self.clock = Clock::restored(loaded.world_ms + gap, wall_ms, loaded.speed, loaded.paused);
        let now = self.clock.now_ms();
        let stats = crate::persist::load_into(&mut self.server, loaded, now);
        self.server.saved(now);
        Ok(stats)
    }

    /// Start afresh: a new server (16 empty dbs), the clock at the wall clock at 1×, and
    /// every console a new connection at db 0.
    pub fn reset_world(&mut self, wall_ms: f64) {
        let seed = self.server.rng.u64(..);
        // Views compare generations: the new world's must be one they have not seen.
        let generation = self.server.generation + 1;
        self.clock = Clock::new(wall_ms);
        self.server = Server::new(self.clock.now_ms(), seed);
        self.server.generation = generation;
        self.side = None;
        for c in self.consoles.iter_mut().flatten() {
            *c = Console::new(self.server.connect());
        }
    }

    // ---- commands ----

    /// Run one command given as arguments; returns the reply tree. A console whose
    /// connection was closed connects again first. If the command blocks, the reply is
    /// a placeholder, `mode()` is `Blocked`, and the answer comes from `take_messages`.
    pub fn exec_argv(&mut self, argv: Vec<Vec<u8>>) -> Reply {
        self.exec_args(&argv)
    }

    /// As `exec_argv`, from borrowed arguments.
    pub fn exec_args(&mut self, argv: &[Vec<u8>]) -> Reply {
        if self.console().mode == Mode::Blocked {
            // A redis-cli waiting in BLPOP takes no commands: this one comes after Ctrl-C.
            self.interrupt();
        }
        if self.server.clients[self.client()].closed {
            self.reconnect();
        }
        self.send(argv)
    }

    /// Send a command on the current console's connection and track redis-cli's state.
    fn send(&mut self, argv: &[Vec<u8>]) -> Reply {
        let now = self.clock.now_ms();
        self.server.tick(now);
        let client = self.client();
        let reply = self.server.execute(client, argv, now);
        if self.server.clients[client].blocked.is_some() {
            let c = self.console_mut();
            c.mode = Mode::Blocked;
            c.waiting = Some((argv.to_vec(), 0));
            c.waiting_since = now;
        } else {
            self.console_mut().prompt_state.after_reply(argv, &reply);
        }
        reply
    }

    /// Run a line as typed into redis-cli and return what `redis-cli --no-raw` prints for
    /// it (lines joined by `\n`, no trailing newline).
    pub fn exec(&mut self, line: &str) -> String {
        let mut out = String::new();
        self.run_line(line, &mut out, None);
        out
    }

    /// As `exec`, writing into `out` (cleared first): a caller running many lines can keep
    /// one buffer.
    pub fn exec_into(&mut self, line: &str, out: &mut String) {
        out.clear();
        self.run_line(line, out, None);
    }

    /// As `exec`, also returning each command run (a repeat count runs several) with its
    /// reply, for views that show a reply as a table.
    pub fn exec_detailed(&mut self, line: &str) -> Executed {
        let mut replies = Vec::new();
        let mut text = String::new();
        self.run_line(line, &mut text, Some(&mut replies));
        Executed { text, replies }
    }

    /// Run a console line, appending what redis-cli prints to the empty `out` (without the
    /// final newline); each command run and its reply also go into `keep` when given.
    fn run_line(&mut self, line: &str, out: &mut String, keep: Option<&mut Vec<Ran>>) {
        let mut argv = std::mem::take(&mut self.argv);
        self.run_parsed(line, &mut argv, out, keep);
        // Keep small vectors for the next line, not a huge value's.
        argv.retain(|a| a.capacity() <= 4096);
        self.argv = argv;
    }

    /// `run_line` with `argv` to parse the line into.
    fn run_parsed(
        &mut self,
        line: &str,
        argv: &mut Vec<Vec<u8>>,
        out: &mut String,
        keep: Option<&mut Vec<Ran>>,
    ) {
        let repeat = match cli::parse_line_into(line, argv) {
            Parsed::Empty => return,
            Parsed::Message(m) => return out.push_str(m),
            Parsed::Command { repeat } => repeat,
        };
        let argv = &argv[..];
        let name = &argv[0];
        if name.eq_ignore_ascii_case(b"help") || name == b"?" {
            return out.push_str(&cli::trim_final_newline(crate::help::help(&argv[1..])));
        }
        if (name.eq_ignore_ascii_case(b"quit") || name.eq_ignore_ascii_case(b"exit"))
            && argv.len() == 1
        {
            // redis-cli exits here; a playground console just stays.
            return;
        }
        if self.console().mode == Mode::Blocked {
            self.interrupt();
        }
        let client = self.client();
        if self.server.clients[client].closed {
            if !self.console().not_connected {
                // Killed while idle: this command finds the connection gone.
                self.connection_lost();
                return out.push_str(CONNECTION_CLOSED);
            }
            self.reconnect();
        }
        if cli::enters_pubsub_mode(argv) {
            out.push_str(cli::READING_MESSAGES);
            out.push('\n');
            self.console_mut().mode = Mode::ReadingMessages;
        }
        self.send_repeated(argv, repeat, out, keep);
        cli::trim_final_newline_in(out);
    }

    /// Send `argv` `count` times (a repeat count), printing each answer into `out`, until
    /// one blocks: the rest of the count then waits for its answer (`take_messages`).
    fn send_repeated(
        &mut self,
        argv: &[Vec<u8>],
        count: i64,
        out: &mut String,
        mut keep: Option<&mut Vec<Ran>>,
    ) {
        for i in 0..count {
            let reply = self.send(argv);
            if self.console().mode == Mode::Blocked {
                self.console_mut().waiting = Some((argv.to_vec(), count - i - 1));
                break;
            }
            if argv[0].eq_ignore_ascii_case(b"monitor")
                && matches!(&reply, Reply::Status(s) if s == "OK")
            {
                self.console_mut().mode = Mode::Monitoring;
            }
            cli::print_into(out, argv, &reply);
            if let Some(keep) = keep.as_deref_mut() {
                keep.push((argv.to_vec(), reply));
            }
        }
    }

    /// Run a line on a second connection to the same server (created on first use), as
    /// another redis-cli would: no console's client, prompt or db is touched. For
    /// publishing to a subscribed console, and for checks that must not disturb it.
    pub fn side_exec(&mut self, line: &str) -> String {
        let side = match self.side {
            Some(c) if !self.server.clients[c].closed => c,
            _ => {
                let c = self.server.connect();
                self.side = Some(c);
                c
            }
        };
        let now = self.clock.now_ms();
        self.server.tick(now);
        match cli::parse_line(line) {
            Line::Empty => String::new(),
            Line::Message(m) => m.to_string(),
            Line::Command { repeat, argv } => {
                let mut out = String::new();
                for _ in 0..repeat {
                    let reply = self.server.execute(side, &argv, now);
                    cli::print_into(&mut out, &argv, &reply);
                }
                cli::trim_final_newline(out)
            }
        }
    }

    /// What the current console prints since the last call while it is not at the prompt:
    /// pushed messages, MONITOR lines, the answer of a blocking command (then the rest of
    /// its repeat count), or that the server closed the connection. Joined by `\n`; empty
    /// when there is nothing.
    pub fn take_messages(&mut self) -> String {
        let client = self.client();
        if self.server.clients[client].closed && self.console().mode != Mode::Ready {
            self.connection_lost();
            return CONNECTION_CLOSED.to_string();
        }
        let inbox = std::mem::take(&mut self.server.clients[client].inbox);
        let mut out = String::new();
        let mut last = None;
        for m in inbox {
            cli::print_into(&mut out, &[], &m);
            last = Some(m);
        }
        if self.console().mode == Mode::Blocked && self.server.clients[client].blocked.is_none() {
            // redis-cli reports a command that took half a second or more.
            let took = self.clock.now_ms() - self.console().waiting_since;
            if took >= 500 {
                out.push_str(&format!("({:.2}s)\n", took as f64 / 1000.0));
            }
            let c = self.console_mut();
            c.mode = Mode::Ready;
            if let Some((argv, remaining)) = c.waiting.take() {
                if let Some(reply) = &last {
                    c.prompt_state.after_reply(&argv, reply);
                }
                self.send_repeated(&argv, remaining, &mut out, None);
            }
        }
        cli::trim_final_newline(out)
    }

    /// What the current console is doing.
    pub fn mode(&self) -> Mode {
        self.console().mode
    }

    /// Ctrl-C while redis-cli reads messages, monitors or waits in a blocking command:
    /// redis-cli would quit; here the console connects again at once (to the db its
    /// prompt shows), so the subscriptions, MONITOR or the blocked command end with the
    /// old connection. Returns whether anything was interrupted.
    pub fn interrupt(&mut self) -> bool {
        if self.console().mode == Mode::Ready {
            return false;
        }
        let old = self.client();
        self.server.disconnect(old);
        self.reconnect();
        true
    }

    /// The prompt redis-cli would show now (`127.0.0.1:6379[2](TX)> `, or
    /// `not connected> `).
    pub fn prompt(&self) -> String {
        if self.console().not_connected {
            return "not connected> ".to_string();
        }
        self.console().prompt_state.prompt()
    }

    /// The server closed the current console's connection: redis-cli says so and shows
    /// `not connected>` until the next command.
    fn connection_lost(&mut self) {
        let c = self.console_mut();
        c.mode = Mode::Ready;
        c.waiting = None;
        c.not_connected = true;
        c.prompt_state.in_multi = false;
    }

    /// Connect the current console again, selecting the db its prompt shows (redis-cli
    /// sends that SELECT itself when it reconnects).
    fn reconnect(&mut self) {
        let client = self.server.connect();
        let c = self.console_mut();
        c.client = client;
        c.mode = Mode::Ready;
        c.waiting = None;
        c.not_connected = false;
        c.prompt_state.in_multi = false;
        let db = c.prompt_state.dbnum;
        if db != 0 {
            let now = self.clock.now_ms();
            let select = vec![b"SELECT".to_vec(), db.to_string().into_bytes()];
            self.server.execute(client, &select, now);
        }
    }
}
