//! One console: a client of the server with redis-cli's behaviour on the client side
//! (line splitting, repeat counts, HELP, the prompt, the "Reading messages" and MONITOR
//! loops, waiting in a blocking command, "not connected" after the server closed the
//! connection).
//!
//! `Console` is the state; a `ConsoleMut` (from `World::console`) is one console together
//! with the server and clock it works with, and has the methods.

use crate::cli::{self, Parsed, PromptState};
use crate::clock::{Clock, Ms};
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

/// What a blocked console waits for.
#[derive(Debug, Clone, PartialEq)]
pub struct Blocked {
    /// The command's full name (`blpop`).
    pub command: &'static str,
    pub keys: Vec<Vec<u8>>,
    /// World ms when it gives up; 0: never.
    pub deadline: Ms,
    /// World ms it started waiting.
    pub since: Ms,
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

impl Mode {
    /// The word the page uses for it.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Ready => "ready",
            Mode::ReadingMessages => "reading",
            Mode::Monitoring => "monitor",
            Mode::Blocked => "blocked",
        }
    }
}

/// One console's state: its client and redis-cli's state beside it.
#[derive(Debug)]
pub struct Console {
    client: ClientId,
    prompt_state: PromptState,
    mode: Mode,
    /// The server closed the connection; the next command connects again.
    not_connected: bool,
    /// A blocked command, and how many more times its repeat count runs it.
    waiting: Option<(Vec<Vec<u8>>, i64)>,
    /// World time the blocked command was sent (redis-cli prints how long it took).
    waiting_since: i64,
}

impl Console {
    /// A console on a new connection of `server`.
    pub fn connect(server: &mut Server) -> Console {
        Console {
            client: server.connect(),
            prompt_state: PromptState::default(),
            mode: Mode::Ready,
            not_connected: false,
            waiting: None,
            waiting_since: 0,
        }
    }

    /// Its connection's client id.
    pub fn client(&self) -> ClientId {
        self.client
    }
}

/// A console at work: its state, the server and the world clock.
pub struct ConsoleMut<'a> {
    pub(crate) console: &'a mut Console,
    pub(crate) server: &'a mut Server,
    pub(crate) clock: &'a Clock,
    /// Argument vectors kept from line to line (a line then costs no allocation for its
    /// arguments).
    pub(crate) argv: &'a mut Vec<Vec<u8>>,
}

impl ConsoleMut<'_> {
    /// Run one command given as arguments; returns the reply tree. A console whose
    /// connection was closed connects again first. If the command blocks, the reply is
    /// a placeholder, `mode()` is `Blocked`, and the answer comes from `take_messages`.
    pub fn exec_args(&mut self, argv: &[Vec<u8>]) -> Reply {
        if self.console.mode == Mode::Blocked {
            // A redis-cli waiting in BLPOP takes no commands: this one comes after Ctrl-C.
            self.interrupt();
        }
        if !self.server.is_connected(self.console.client) {
            self.reconnect();
        }
        self.send(argv)
    }

    /// Send a command on the console's connection and track redis-cli's state.
    fn send(&mut self, argv: &[Vec<u8>]) -> Reply {
        let now = self.clock.now_ms();
        self.server.tick(now);
        let client = self.console.client;
        let reply = self.server.execute(client, argv, now);
        let c = &mut *self.console;
        if self.server.is_blocked(client) {
            c.mode = Mode::Blocked;
            c.waiting = Some((argv.to_vec(), 0));
            c.waiting_since = now;
        } else {
            c.prompt_state.after_reply(argv, &reply);
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
        let mut argv = std::mem::take(self.argv);
        self.run_parsed(line, &mut argv, out, keep);
        // Keep small vectors for the next line, not a huge value's.
        argv.retain(|a| a.capacity() <= 4096);
        *self.argv = argv;
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
        if self.console.mode == Mode::Blocked {
            self.interrupt();
        }
        if !self.server.is_connected(self.console.client) {
            if !self.console.not_connected {
                // Killed while idle: this command finds the connection gone.
                self.connection_lost();
                return out.push_str(CONNECTION_CLOSED);
            }
            self.reconnect();
        }
        if cli::enters_pubsub_mode(argv) {
            out.push_str(cli::READING_MESSAGES);
            out.push('\n');
            self.console.mode = Mode::ReadingMessages;
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
            if i > 0 && out.len() >= cli::PRINT_LIMIT {
                // A line can't print more than a page holds: the rest of the count isn't run.
                out.push_str(&format!(
                    "[Redis Playground: stopped after {i} of {count} runs; a console shows at most 16 MiB of one line's answers]\n"
                ));
                break;
            }
            let reply = self.send(argv);
            if self.console.mode == Mode::Blocked {
                self.console.waiting = Some((argv.to_vec(), count - i - 1));
                break;
            }
            if cli::enters_monitor_mode(argv, &reply) {
                self.console.mode = Mode::Monitoring;
            }
            cli::print_into(out, argv, &reply);
            if let Some(keep) = keep.as_deref_mut() {
                keep.push((argv.to_vec(), reply));
            }
        }
    }

    /// What the console prints since the last call while it is not at the prompt: pushed
    /// messages, MONITOR lines, the answer of a blocking command (then the rest of its
    /// repeat count), or that the server closed the connection. Joined by `\n`; empty when
    /// there is nothing.
    pub fn take_messages(&mut self) -> String {
        let client = self.console.client;
        if !self.server.is_connected(client) && self.console.mode != Mode::Ready {
            self.connection_lost();
            return CONNECTION_CLOSED.to_string();
        }
        let inbox = self
            .server
            .client_mut(client)
            .map(|c| c.take_inbox())
            .unwrap_or_default();
        let mut out = String::new();
        let mut last = None;
        let mut dropped = 0usize;
        for m in inbox {
            if out.len() < cli::PRINT_LIMIT {
                cli::print_into(&mut out, &[], &m);
            } else {
                dropped += 1;
            }
            last = Some(m);
        }
        if dropped > 0 {
            out.push_str(&format!(
                "[Redis Playground: {dropped} more messages not shown; a console shows at most 16 MiB at a time]\n"
            ));
        }
        if self.console.mode == Mode::Blocked && !self.server.is_blocked(client) {
            // redis-cli reports a command that took half a second or more.
            let took = self.clock.now_ms() - self.console.waiting_since;
            if took >= 500 {
                out.push_str(&format!("({:.2}s)\n", took as f64 / 1000.0));
            }
            let c = &mut *self.console;
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

    /// What was pushed to the console's connection since the last call, as replies (pub/sub
    /// messages, MONITOR lines, a blocked command's answer): what a program's connection
    /// reads, where `take_messages` is what redis-cli prints. A blocked console whose
    /// answer arrived is at the prompt again; the rest of a repeat count is not sent.
    pub fn take_replies(&mut self) -> Vec<Reply> {
        let client = self.console.client;
        let replies: Vec<Reply> = self
            .server
            .client_mut(client)
            .map(|c| c.take_inbox().into())
            .unwrap_or_default();
        if self.console.mode == Mode::Blocked && !self.server.is_blocked(client) {
            let c = &mut *self.console;
            c.mode = Mode::Ready;
            if let (Some((argv, _)), Some(reply)) = (c.waiting.take(), replies.last()) {
                c.prompt_state.after_reply(&argv, reply);
            }
        }
        replies
    }

    /// What the console waits for while blocked: the command's name, its keys, its
    /// deadline (world ms, 0: none) and when it started waiting.
    pub fn blocked_on(&self) -> Option<Blocked> {
        let (name, keys, deadline) = self.server.blocked_on(self.console.client)?;
        Some(Blocked {
            command: name,
            keys: keys.to_vec(),
            deadline,
            since: self.console.waiting_since,
        })
    }

    /// Whether the console's connection is open (false once the server closed it: QUIT,
    /// CLIENT KILL; its next command would connect again).
    pub fn is_connected(&self) -> bool {
        self.server.is_connected(self.console.client)
    }

    /// What the console is doing.
    pub fn mode(&self) -> Mode {
        self.console.mode
    }

    /// Ctrl-C while redis-cli reads messages, monitors or waits in a blocking command:
    /// redis-cli would quit; here the console connects again at once (to the db its
    /// prompt shows), so the subscriptions, MONITOR or the blocked command end with the
    /// old connection. Returns whether anything was interrupted.
    pub fn interrupt(&mut self) -> bool {
        if self.console.mode == Mode::Ready {
            return false;
        }
        self.server.disconnect(self.console.client);
        self.reconnect();
        true
    }

    /// The prompt redis-cli would show now (`127.0.0.1:6379[2](TX)> `, or
    /// `not connected> `).
    pub fn prompt(&self) -> String {
        if self.console.not_connected {
            return "not connected> ".to_string();
        }
        self.console.prompt_state.prompt()
    }

    /// The db redis-cli's prompt shows.
    pub fn db(&self) -> i64 {
        self.console.prompt_state.dbnum
    }

    /// True between MULTI and EXEC/DISCARD, as redis-cli tracks it.
    pub fn in_transaction(&self) -> bool {
        self.console.prompt_state.in_multi
    }

    /// The connection's client id, as CLIENT ID would answer (it changes when the console
    /// connects again).
    pub fn client_id(&self) -> ClientId {
        self.console.client
    }

    /// The server closed the console's connection: redis-cli says so and shows
    /// `not connected>` until the next command.
    fn connection_lost(&mut self) {
        let c = &mut *self.console;
        c.mode = Mode::Ready;
        c.waiting = None;
        c.not_connected = true;
        c.prompt_state.in_multi = false;
    }

    /// Connect the console again, selecting the db its prompt shows (redis-cli sends that
    /// SELECT itself when it reconnects).
    fn reconnect(&mut self) {
        let client = self.server.connect();
        let c = &mut *self.console;
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
