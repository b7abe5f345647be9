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
    /// It waits for a script: `Some(true)` its own, `Some(false)` another client's.
    pub script: Option<bool>,
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
    /// In the middle of a repeat count run in slices (`exec_sliced`): `run_more` runs the
    /// next slice; Ctrl-C drops the rest.
    Running,
}

impl Mode {
    /// The word the page uses for it.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Ready => "ready",
            Mode::ReadingMessages => "reading",
            Mode::Monitoring => "monitor",
            Mode::Blocked => "blocked",
            Mode::Running => "running",
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
    /// The command of a line still at work (blocked, or running in slices) and how far its
    /// repeat count got.
    rest: Option<Rest>,
    /// The last line runs in slices (`exec_sliced`), not all at once.
    sliced: bool,
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
            rest: None,
            sliced: false,
            waiting_since: 0,
        }
    }

    /// Its connection's client id.
    pub fn client(&self) -> ClientId {
        self.client
    }
}

/// How far a repeat count (`10 INCR k`) got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repeat {
    /// Runs done.
    pub done: i64,
    /// Runs asked for.
    pub total: i64,
    /// Bytes the line printed in earlier slices (the print limit counts the whole line).
    printed: usize,
}

impl Repeat {
    fn new(total: i64) -> Repeat {
        Repeat {
            done: 0,
            total,
            printed: 0,
        }
    }
}

/// How much of a repeat count one call may run: at most `max_runs`, and no more once
/// `over()` says the slice's time is up (asked after each run; a slice runs at least one).
pub struct Slice<'f> {
    pub max_runs: u64,
    pub over: &'f mut dyn FnMut() -> bool,
}

impl Slice<'_> {
    /// Whether a slice that ran `ran` runs must stop here.
    fn ends(&mut self, ran: u64) -> bool {
        ran > 0 && (ran >= self.max_runs || (self.over)())
    }
}

/// A line's command still at work, and how far its repeat count got.
#[derive(Debug)]
struct Rest {
    argv: Vec<Vec<u8>>,
    repeat: Repeat,
    /// The mode the console is in between runs (`Ready`, or reading messages after
    /// `SUBSCRIBE`, or MONITOR): `Running` stands in for it between slices.
    between: Mode,
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
        // A redis-cli waiting in BLPOP or running a count takes no commands: this one
        // comes after Ctrl-C.
        self.stop_waiting();
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
            c.rest = Some(Rest {
                argv: argv.to_vec(),
                repeat: Repeat {
                    done: 1,
                    total: 1,
                    printed: 0,
                },
                between: Mode::Ready,
            });
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
        self.run_line(line, &mut out, None, None);
        out
    }

    /// As `exec`, writing into `out` (cleared first): a caller running many lines can keep
    /// one buffer.
    pub fn exec_into(&mut self, line: &str, out: &mut String) {
        out.clear();
        self.run_line(line, out, None, None);
    }

    /// As `exec`, also returning each command run (a repeat count runs several) with its
    /// reply, for views that show a reply as a table.
    pub fn exec_detailed(&mut self, line: &str) -> Executed {
        self.exec_sliced(line, None)
    }

    /// As `exec_detailed`, running a repeat count (`100000 INCR k`) in slices: as much as
    /// `slice` allows now; the console is then `Running`, and each `run_more` runs the next
    /// slice, so a page can paint and take Ctrl-C between slices. Sliced, a count has
    /// redis-cli's range; None: all at once, at most `cli::MAX_REPEAT` runs.
    pub fn exec_sliced(&mut self, line: &str, slice: Option<Slice>) -> Executed {
        let mut replies = Vec::new();
        let mut text = String::new();
        self.run_line(line, &mut text, Some(&mut replies), slice);
        Executed { text, replies }
    }

    /// The next slice of a `Running` repeat count: what its runs print, and their replies.
    /// The console is `Ready` again after the last. Nothing happens in any other mode.
    pub fn run_more(&mut self, slice: Slice) -> Executed {
        let mut text = String::new();
        let mut replies = Vec::new();
        if self.console.mode != Mode::Running {
            return Executed { text, replies };
        }
        let Some(rest) = self.console.rest.take() else {
            self.console.mode = Mode::Ready;
            return Executed { text, replies };
        };
        self.console.mode = rest.between;
        if !self.server.is_connected(self.console.client) {
            // Killed (CLIENT KILL from another console) between slices.
            self.connection_lost();
            text.push_str(CONNECTION_CLOSED);
            return Executed { text, replies };
        }
        self.send_repeated(
            &rest.argv,
            rest.repeat,
            &mut text,
            Some(&mut replies),
            Some(slice),
        );
        cli::trim_final_newline_in(&mut text);
        Executed { text, replies }
    }

    /// How far a `Running` (or `Blocked`) line's repeat count got.
    pub fn progress(&self) -> Option<Repeat> {
        match self.console.mode {
            Mode::Running | Mode::Blocked => self.console.rest.as_ref().map(|r| r.repeat),
            _ => None,
        }
    }

    /// Run a console line, appending what redis-cli prints to the empty `out` (without the
    /// final newline); each command run and its reply also go into `keep` when given. A
    /// repeat count runs in slices when `slice` is given.
    fn run_line(
        &mut self,
        line: &str,
        out: &mut String,
        keep: Option<&mut Vec<Ran>>,
        slice: Option<Slice>,
    ) {
        self.console.sliced = slice.is_some();
        let mut argv = std::mem::take(self.argv);
        self.run_parsed(line, &mut argv, out, keep, slice);
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
        slice: Option<Slice>,
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
        self.stop_waiting();
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
        // All at once, a count is capped; in slices it is redis-cli's.
        let repeat = if slice.is_none() {
            repeat.min(cli::MAX_REPEAT)
        } else {
            repeat
        };
        self.send_repeated(argv, Repeat::new(repeat), out, keep, slice);
        cli::trim_final_newline_in(out);
    }

    /// Send `argv` for the rest of its repeat count, printing each answer into `out`, until
    /// one blocks (the rest then waits for its answer, `take_messages`) or the slice ends
    /// (the console is then `Running`; `run_more` goes on).
    fn send_repeated(
        &mut self,
        argv: &[Vec<u8>],
        mut repeat: Repeat,
        out: &mut String,
        mut keep: Option<&mut Vec<Ran>>,
        mut slice: Option<Slice>,
    ) {
        let start = out.len();
        let mut ran = 0u64;
        while repeat.done < repeat.total {
            let printed = repeat.printed.saturating_add(out.len() - start);
            if repeat.done > 0 && printed >= cli::PRINT_LIMIT {
                // A line can't print more than a page holds: the rest of the count isn't run.
                out.push_str(&format!(
                    "[Redis Playground: stopped after {} of {} runs; a console shows at most 16 MiB of one line's answers]\n",
                    repeat.done, repeat.total
                ));
                break;
            }
            if slice.as_mut().is_some_and(|s| s.ends(ran)) {
                repeat.printed = printed;
                let between = std::mem::replace(&mut self.console.mode, Mode::Running);
                self.console.rest = Some(Rest {
                    argv: argv.to_vec(),
                    repeat,
                    between,
                });
                return;
            }
            // Pushes that came while at the prompt (RESP3 invalidations): redis-cli prints
            // them as it reads this command's reply, before it.
            let early = match self.console.mode {
                Mode::Ready => self
                    .server
                    .client_mut(self.console.client)
                    .map(|c| c.take_inbox())
                    .unwrap_or_default(),
                _ => Default::default(),
            };
            let reply = self.send(argv);
            for push in &early {
                cli::print_push(out, push);
            }
            repeat.done += 1;
            ran += 1;
            if self.console.mode == Mode::Blocked {
                repeat.printed = printed;
                self.console.rest = Some(Rest {
                    argv: argv.to_vec(),
                    repeat,
                    between: Mode::Ready,
                });
                return;
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
                cli::print_push(&mut out, &m);
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
            if let Some(mut rest) = c.rest.take() {
                if let Some(reply) = &last {
                    c.prompt_state.after_reply(&rest.argv, reply);
                }
                rest.repeat.printed = rest.repeat.printed.saturating_add(out.len());
                if c.sliced && rest.repeat.done < rest.repeat.total {
                    // The rest of a typed count goes on in slices (`run_more`).
                    c.mode = Mode::Running;
                    rest.between = Mode::Ready;
                    c.rest = Some(rest);
                } else {
                    self.send_repeated(&rest.argv, rest.repeat, &mut out, None, None);
                }
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
            if let (Some(rest), Some(reply)) = (c.rest.take(), replies.last()) {
                c.prompt_state.after_reply(&rest.argv, reply);
            }
        }
        replies
    }

    /// What the console waits for while blocked: the command's name, its keys, its
    /// deadline (world ms, 0: none) and when it started waiting.
    pub fn blocked_on(&self) -> Option<Blocked> {
        let client = self.console.client;
        if let Some((name, keys, deadline)) = self.server.blocked_on(client) {
            return Some(Blocked {
                command: name,
                keys: keys.to_vec(),
                deadline,
                since: self.console.waiting_since,
                script: None,
            });
        }
        let own = self.server.script_wait(client)?;
        Some(Blocked {
            command: if own { "eval" } else { "" },
            keys: Vec::new(),
            deadline: 0,
            since: self.console.waiting_since,
            script: Some(own),
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
    /// A line running a repeat count in slices just stops: the runs done stay done, the
    /// connection stays open (unless the count left it reading messages or in MONITOR:
    /// then that ends too).
    pub fn interrupt(&mut self) -> bool {
        if self.console.mode == Mode::Running && self.drop_rest() == Mode::Ready {
            return true;
        }
        match self.console.mode {
            Mode::Ready => false,
            _ => {
                self.server.disconnect(self.console.client);
                self.reconnect();
                true
            }
        }
    }

    /// Drop the rest of a running count: the console is back in the mode between its runs,
    /// which this returns.
    fn drop_rest(&mut self) -> Mode {
        let between = self.console.rest.take().map_or(Mode::Ready, |r| r.between);
        self.console.mode = between;
        between
    }

    /// Before a new command: a blocked console is interrupted, a running count dropped.
    fn stop_waiting(&mut self) {
        match self.console.mode {
            Mode::Blocked => {
                self.interrupt();
            }
            Mode::Running => {
                self.drop_rest();
            }
            _ => {}
        }
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

    /// Who the console's connection is: its protocol (2 or 3, HELLO's) and the user it is
    /// logged in as (AUTH's); None while it is not connected.
    pub fn identity(&self) -> Option<(i64, String)> {
        let c = self.server.client(self.console.client)?;
        Some((
            c.protocol().number(),
            String::from_utf8_lossy(c.user()).into_owned(),
        ))
    }

    /// The server closed the console's connection: redis-cli says so and shows
    /// `not connected>` until the next command.
    fn connection_lost(&mut self) {
        let c = &mut *self.console;
        c.mode = Mode::Ready;
        c.rest = None;
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
        c.rest = None;
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
