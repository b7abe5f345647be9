//! A console session: one client of a server, with the world clock and redis-cli's
//! behaviour on the client side (line splitting, repeat counts, HELP, the prompt).

use crate::cli::{self, Line, PromptState};
use crate::clock::Clock;
use crate::reply::Reply;
use crate::server::{ClientId, Server};

/// What a console line did: the text redis-cli prints, and each command with its reply.
#[derive(Debug, Clone, PartialEq)]
pub struct Executed {
    pub text: String,
    pub replies: Vec<(Vec<Vec<u8>>, Reply)>,
}

pub struct Session {
    pub server: Server,
    pub client: ClientId,
    pub clock: Clock,
    pub prompt_state: PromptState,
    /// redis-cli is in its "Reading messages..." loop (after SUBSCRIBE/PSUBSCRIBE): it
    /// prints pushed messages and takes no commands until Ctrl-C.
    pub reading_messages: bool,
    /// The second connection `side_exec` uses.
    side: Option<ClientId>,
}

impl Session {
    /// A fresh server (16 empty databases) with one client, its clock starting at `wall_ms`
    /// (milliseconds since the Unix epoch) and running at 1×.
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
            client,
            clock,
            prompt_state: PromptState::default(),
            reading_messages: false,
            side: None,
        }
    }

    /// Tell the session what time the wall clock says (moves world time per the clock's
    /// speed), and let the server do its timed work (active expiry).
    pub fn sync(&mut self, wall_ms: f64) {
        self.clock.sync(wall_ms);
        self.server.tick(self.clock.now_ms());
    }

    /// World time, ms since the epoch.
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Run one command given as arguments; returns the reply tree.
    pub fn exec_argv(&mut self, argv: Vec<Vec<u8>>) -> Reply {
        let now = self.clock.now_ms();
        self.server.tick(now);
        let reply = self.server.execute(self.client, argv.clone(), now);
        self.prompt_state.after_reply(&argv, &reply);
        reply
    }

    /// Run a line as typed into redis-cli and return what `redis-cli --no-raw` prints for
    /// it (lines joined by `\n`, no trailing newline).
    pub fn exec(&mut self, line: &str) -> String {
        self.exec_detailed(line).text
    }

    /// As `exec`, also returning each command run (a repeat count runs several) with its
    /// reply, for views that show a reply as a table.
    pub fn exec_detailed(&mut self, line: &str) -> Executed {
        let mut done = Executed {
            text: String::new(),
            replies: Vec::new(),
        };
        match cli::parse_line(line) {
            Line::Empty => {}
            Line::Message(m) => done.text = m.to_string(),
            Line::Command { repeat, argv } => {
                let name = argv[0].to_ascii_lowercase();
                if name == b"help" || name == b"?" {
                    done.text = cli::trim_final_newline(crate::help::help(&argv[1..]));
                } else if (name == b"quit" || name == b"exit") && argv.len() == 1 {
                    // redis-cli exits here; a playground console just stays.
                } else {
                    let mut out = String::new();
                    if cli::enters_pubsub_mode(&argv) {
                        out.push_str(cli::READING_MESSAGES);
                        out.push('\n');
                        self.reading_messages = true;
                    }
                    for _ in 0..repeat {
                        let reply = self.exec_argv(argv.clone());
                        out.push_str(&cli::printed(&argv, &reply));
                        done.replies.push((argv.clone(), reply));
                    }
                    done.text = cli::trim_final_newline(out);
                }
            }
        }
        done
    }

    /// Run a line on a second connection to the same server (created on first use), as
    /// another redis-cli would: the console's client, prompt and db are not touched. For
    /// publishing to a subscribed console, and for checks that must not disturb it.
    pub fn side_exec(&mut self, line: &str) -> String {
        let side = match self.side {
            Some(c) => c,
            None => {
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
                    let reply = self.server.execute(side, argv.clone(), now);
                    out.push_str(&cli::printed(&argv, &reply));
                }
                cli::trim_final_newline(out)
            }
        }
    }

    /// The messages pushed to this console's client since the last call (pub/sub), each
    /// printed as redis-cli prints it, joined by `\n`; empty when there are none.
    pub fn take_messages(&mut self) -> String {
        let inbox = std::mem::take(&mut self.server.clients[self.client].inbox);
        let mut out = String::new();
        for m in inbox {
            out.push_str(&cli::printed(&[], &m));
        }
        cli::trim_final_newline(out)
    }

    /// Ctrl-C: in the "Reading messages" loop redis-cli closes the connection, so the
    /// subscriptions (and any MULTI or WATCH) end, and the next command goes over a new
    /// connection to the db the prompt shows. Returns whether anything was interrupted.
    pub fn interrupt(&mut self) -> bool {
        if !self.reading_messages {
            return false;
        }
        self.reading_messages = false;
        self.server.disconnect(self.client);
        self.client = self.server.connect();
        let db = usize::try_from(self.prompt_state.dbnum)
            .unwrap_or(0)
            .min(crate::server::NUM_DBS - 1);
        self.server.clients[self.client].db = db;
        true
    }

    /// The prompt redis-cli would show now (`127.0.0.1:6379[2](TX)> `).
    pub fn prompt(&self) -> String {
        self.prompt_state.prompt()
    }
}
