//! The server's side of scripting (the scripts themselves are `crate::scripting`):
//!
//! - the script's own client (Redis's "lua client"): hidden from CLIENT LIST and INFO, it
//!   runs the commands a script calls in the script's db and protocol, and MONITOR shows
//!   them as `[0 lua]`;
//! - atomicity: while a script runs (it didn't end within its first slice), other
//!   clients' commands wait behind it, in order; once it has run `busy-reply-threshold`
//!   of world time they are answered `BUSY …` instead, except the commands flagged
//!   allow-busy (SCRIPT KILL, FUNCTION KILL, FUNCTION STATS, MULTI…);
//! - the world's tick gives the running script its next slices, and its end answers its
//!   caller and lets the waiting commands run.

use super::{ClientId, Server};
use crate::clock::Ms;
use crate::commands::table::Flags;
use crate::commands::Command;
use crate::reply::Reply;
use crate::scripting::run::{self, Ended, Running, Slice};
use crate::scripting::{Held, Scripting};

/// The script's client: an id no connection ever gets.
pub const SCRIPT_CLIENT: ClientId = u64::MAX - 1;

const BUSY_EVAL: &str =
    "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
const BUSY_FUNCTION: &str =
    "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";

impl Server {
    pub fn scripting(&self) -> &Scripting {
        &self.scripting
    }

    pub fn scripting_mut(&mut self) -> &mut Scripting {
        &mut self.scripting
    }

    /// The script's client starts in its caller's db.
    pub fn set_script_db(&mut self, db: usize) {
        if let Some(c) = self.clients.get_mut(SCRIPT_CLIENT) {
            c.select(db);
        }
    }

    /// Whether memory was over the limit when the current command came (Redis's
    /// `pre_command_oom_state`).
    pub fn oom_before_command(&self) -> bool {
        self.oom_before_command
    }

    /// The running script has run past `busy-reply-threshold` (world time): other
    /// clients get BUSY. Never with a threshold of 0 (Redis then never interrupts it).
    pub fn script_is_busy(&self, now: Ms) -> bool {
        let threshold = self.busy_reply_threshold_ms;
        threshold > 0
            && self
                .scripting
                .running
                .as_ref()
                .is_some_and(|r| now.saturating_sub(r.ctx.start_ms) >= threshold)
    }

    /// The BUSY error naming the running script's kind (SCRIPT KILL or FUNCTION KILL).
    pub fn busy_error(&self) -> Reply {
        Reply::Error(self.busy_error_text())
    }

    pub fn busy_error_text(&self) -> String {
        let eval = self.scripting.running.as_ref().is_none_or(|r| r.ctx.eval);
        if eval { BUSY_EVAL } else { BUSY_FUNCTION }.into()
    }

    /// At the start of a command: while a script runs and isn't busy yet, the command
    /// waits behind it (true). Its client then counts as blocked.
    pub(super) fn hold_for_script(&mut self, client: ClientId, argv: &[Vec<u8>], now: Ms) -> bool {
        if client == SCRIPT_CLIENT || self.scripting.running.is_none() || self.script_is_busy(now) {
            return false;
        }
        self.scripting.held.push_back(Held {
            client,
            argv: argv.to_vec(),
        });
        true
    }

    /// The refusal of a command a busy script keeps from running.
    pub(super) fn busy_refusal(&self, cmd: &Command, now: Ms) -> Option<Reply> {
        (!cmd.has_flag(Flags::ALLOW_BUSY) && self.script_is_busy(now)).then(|| self.busy_error())
    }

    /// Whether `client` waits for a script: its own, or one that runs before its command.
    pub(super) fn waits_for_script(&self, client: ClientId) -> bool {
        self.script_wait(client).is_some()
    }

    /// Whether a client waits because of a script: `Some(true)` for the script's own
    /// caller, `Some(false)` for a command held behind someone else's script.
    pub fn script_wait(&self, client: ClientId) -> Option<bool> {
        if self
            .scripting
            .running
            .as_ref()
            .is_some_and(|r| r.ctx.waiting && r.ctx.caller == client)
        {
            return Some(true);
        }
        self.scripting.is_holding(client).then_some(false)
    }

    /// A client's connection closed: its waiting commands go (its script, if it runs one,
    /// goes on, as Redis protects the client).
    pub(super) fn forget_script_waits(&mut self, client: ClientId) {
        self.scripting.held.retain(|h| h.client != client);
    }

    /// A command a script ran was refused before it ran (`scriptCall`'s checks): counted
    /// in INFO errorstats, and in the command's `rejected_calls` when it is known.
    pub fn count_script_rejection(&mut self, cmd: Option<&'static Command>, text: &[u8]) {
        let text = String::from_utf8_lossy(text);
        match text.strip_prefix('-') {
            Some(coded) => self.stats.error(coded),
            None => self.stats.error(&format!("ERR {text}")),
        }
        if let Some(c) = cmd {
            self.stats.command(c).rejected_calls += 1;
        }
    }

    /// Whether `client`'s user may run this command line (`redis.acl_check_cmd`), without
    /// logging anything.
    pub fn user_may_run(&self, client: ClientId, cmd: &'static Command, argv: &[Vec<u8>]) -> bool {
        let Some(name) = self.clients.get(client).map(super::Client::user) else {
            return true;
        };
        if self.acl.is_unrestricted_default(name) {
            return true;
        }
        self.acl
            .user(name)
            .is_none_or(|u| u.check(cmd, argv).is_ok())
    }

    /// A waiting caller's script ended: its answer goes to it (counted as its command's),
    /// and what its commands changed is followed up as after any command.
    fn finish_script(&mut self, run: Running, ended: Ended, now: Ms) {
        let caller = run.ctx.caller;
        let cmd = run.ctx.cmd;
        // Its command took the world time it ran: SLOWLOG and LATENCY see it.
        let took_us = now.saturating_sub(run.ctx.start_ms).saturating_mul(1000);
        self.log_duration(caller, cmd, &run.ctx.caller_argv, took_us, now);
        run::give_back(self, run.engine);
        if let Reply::Error(text) = &ended.reply {
            if !ended.counted {
                self.stats.error(text);
            }
            self.stats.command(cmd).failed_calls += 1;
        }
        self.clients.push(caller, ended.reply);
        self.collect_expired();
        self.collect_created();
        self.serve_ready_keys(now);
        self.settle_memory();
    }

    /// The world's tick: the running script's next slice.
    pub(super) fn tick_script(&mut self, now: Ms) {
        let Some(running) = self.scripting.running.take() else {
            self.release_script_held(now);
            return;
        };
        // Its reads are its caller's (client tracking), as within its command.
        let outer = self.current_client.replace(running.ctx.caller);
        match run::slice(self, running, crate::scripting::TICK_FUEL, now) {
            Slice::Ended(r, ended) => self.finish_script(*r, ended, now),
            Slice::More(r) => self.scripting.running = Some(r),
        }
        self.current_client = outer;
        self.release_script_held(now);
    }

    /// Stop the running script now, as SCRIPT KILL would, even one that has written (a
    /// shared link's script that ran past its first slice: the page must not be left
    /// with it). False when none runs.
    pub fn stop_running_script(&mut self, now: Ms) -> bool {
        let Some(r) = self.scripting.running.as_mut() else {
            return false;
        };
        r.ctx.killed = true;
        self.end_killed_script(now);
        self.release_script_held(now);
        true
    }

    /// After a command: a script SCRIPT KILL or FUNCTION KILL marked ends now.
    pub(super) fn end_killed_script(&mut self, now: Ms) {
        if !self
            .scripting
            .running
            .as_ref()
            .is_some_and(|r| r.ctx.killed)
        {
            return;
        }
        if let Some(mut r) = self.scripting.running.take() {
            let ended = run::killed_error(&mut r);
            self.finish_script(*r, ended, now);
        }
    }

    /// Run the commands that waited behind a script, in order, once it ended, or answer
    /// them (BUSY, or the allow-busy commands' replies) once it is busy; a command that
    /// starts another long script leaves the rest waiting.
    pub(super) fn release_script_held(&mut self, now: Ms) {
        if self.releasing_script_held {
            return;
        }
        self.releasing_script_held = true;
        while !self.scripting.held.is_empty()
            && (self.scripting.running.is_none() || self.script_is_busy(now))
        {
            let Some(h) = self.scripting.held.pop_front() else {
                break;
            };
            if !self.clients.is_connected(h.client) {
                continue;
            }
            let reply = self.execute(h.client, &h.argv, now);
            if !self.is_blocked(h.client) {
                self.clients.push(h.client, reply);
            }
        }
        self.releasing_script_held = false;
    }

    /// The script's running time so far, in ms (FUNCTION STATS).
    pub fn script_duration(&self, now: Ms) -> Option<i64> {
        self.scripting
            .running
            .as_ref()
            .map(|r| now.saturating_sub(r.ctx.start_ms))
    }
}
