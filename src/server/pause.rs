//! CLIENT PAUSE: for a while, commands wait instead of running, as Redis 7.0 postpones
//! them (`blockPostponeClient`). WRITE holds the commands that may change the data or
//! be replicated (writes, PUBLISH, PFCOUNT, EXEC of a transaction that queued one), ALL
//! holds every command. A held command shows its client blocked (CLIENT LIST's `b`) and
//! runs, in the order they came, once the pause ends (its time passed on the world clock,
//! or CLIENT UNPAUSE). The active expiry cycle rests meanwhile.

use std::collections::VecDeque;

use super::{ClientId, Server};
use crate::clock::Ms;
use crate::commands::table::{Flags, InMulti};
use crate::commands::Command;
use crate::reply::Reply;

/// A pause in force.
#[derive(Clone, Copy, Debug)]
pub struct Pause {
    /// World ms when it ends.
    pub end: Ms,
    /// ALL (every command) rather than WRITE.
    pub all: bool,
}

/// The pause and the commands it holds.
#[derive(Default)]
pub struct Pauses {
    current: Option<Pause>,
    /// Clients holding a command, first held first.
    held: VecDeque<ClientId>,
}

/// Whether CLIENT PAUSE WRITE holds the command: a write, or one Redis marks "may
/// replicate".
pub(super) fn may_change(flags: Flags) -> bool {
    flags.contains(Flags::WRITE) || flags.contains(Flags::MAY_REPLICATE)
}

impl Server {
    /// CLIENT PAUSE: pause until `end` (a longer or stronger pause already in force
    /// wins, as Redis keeps the maximum of each).
    pub fn pause_clients(&mut self, end: Ms, all: bool) {
        let p = match self.pauses.current {
            Some(p) => Pause {
                end: p.end.max(end),
                all: p.all || all,
            },
            None => Pause { end, all },
        };
        self.pauses.current = Some(p);
    }

    /// CLIENT UNPAUSE: the held commands run after the current one.
    pub fn unpause_clients(&mut self) {
        self.pauses.current = None;
    }

    /// The pause in force at `now`, if any.
    pub fn pause(&self, now: Ms) -> Option<Pause> {
        self.pauses.current.filter(|p| now < p.end)
    }

    /// Whether the pause in force holds this command of `client`.
    pub(super) fn pause_holds(
        &self,
        client: ClientId,
        cmd: &Command,
        flags: Flags,
        now: Ms,
    ) -> bool {
        let Some(p) = self.pause(now) else {
            return false;
        };
        if p.all {
            return true;
        }
        may_change(flags)
            || (cmd.in_multi == InMulti::Exec
                && self
                    .clients
                    .get(client)
                    .is_some_and(|c| c.tx().queued_writes()))
    }

    /// Hold `client`'s command until the pause ends.
    pub(super) fn hold(
        &mut self,
        client: ClientId,
        cmd: &'static Command,
        argv: &[Vec<u8>],
        now: Ms,
    ) {
        let wait = super::Wait {
            keys: Vec::new(),
            deadline: 0,
            argv: None,
            counts_wait: false,
        };
        self.block(client, cmd, argv, wait, Reply::Nil, now);
        self.blocking.mark_postponed(client);
        self.pauses.held.push_back(client);
    }

    /// Once the pause is over, run the held commands, in order, each answering its
    /// client (a command may be held again by a new pause).
    pub(super) fn release_held(&mut self, now: Ms) {
        if self.pauses.held.is_empty() || self.pause(now).is_some() {
            return;
        }
        self.pauses.current = None;
        let held = std::mem::take(&mut self.pauses.held);
        for client in held {
            let Some(argv) = self.blocking.take_postponed(client) else {
                continue;
            };
            let reply = self.execute(client, &argv, now);
            if !self.is_blocked(client) {
                self.clients.push(client, reply);
            }
        }
    }
}
