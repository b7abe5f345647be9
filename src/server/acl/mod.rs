//! Users and their permissions (Redis 7.0's ACL): who may run which command on which keys
//! and channels, passwords kept as SHA-256 digests, the rule language of ACL SETUSER, the
//! description ACL LIST and GETUSER print, and the ACL LOG of denials.
//!
//! A user has one root selector and any number of extra selectors (`(~k* +get)`); a
//! command runs if any selector allows it (`selector.rs`).

mod selector;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, VecDeque};

use sha2::{Digest, Sha256};

use crate::clock::Ms;
use crate::commands::table::Acl as Category;
use crate::commands::Command;

pub use selector::{has_spaces, Denied, RuleError, Selector};
use selector::{id_of, registry};

// ---- users ----

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sanitize {
    Unset,
    Deep,
    Skip,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    enabled: bool,
    nopass: bool,
    sanitize: Sanitize,
    /// SHA-256 digests, lowercase hex, in the order added.
    passwords: Vec<String>,
    /// The root selector first.
    selectors: Vec<Selector>,
}

/// The SHA-256 hex a password rule names: hashed from the text after `>`/`<`, or given
/// after `#`/`!` (64 lower-case hex digits).
fn rule_hash(op: &[u8]) -> Result<String, RuleError> {
    match op[0] {
        b'>' | b'<' => Ok(hash_password(&op[1..])),
        _ if valid_hash(&op[1..]) => Ok(String::from_utf8_lossy(&op[1..]).into_owned()),
        _ => Err(RuleError::BadHash),
    }
}

pub fn hash_password(pass: &[u8]) -> String {
    let digest = Sha256::digest(pass);
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

fn valid_hash(h: &[u8]) -> bool {
    h.len() == 64
        && h.iter()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
}

impl User {
    /// A new user: off, no passwords, no commands, keys or channels.
    fn new() -> User {
        let mut root = Selector::default();
        root.set_all(false);
        User {
            enabled: false,
            nopass: false,
            sanitize: Sanitize::Unset,
            passwords: Vec::new(),
            selectors: vec![root],
        }
    }

    fn default_user() -> User {
        let mut u = User::new();
        for op in ["+@all", "~*", "&*", "on", "nopass"] {
            let _ = u.apply(op.as_bytes());
        }
        u
    }

    fn root(&mut self) -> &mut Selector {
        if self.selectors.is_empty() {
            self.selectors.push(Selector::default());
        }
        &mut self.selectors[0]
    }

    /// Apply one rule of ACL SETUSER.
    pub fn apply(&mut self, op: &[u8]) -> Result<(), RuleError> {
        if op.is_empty() {
            return Ok(());
        }
        let lower = op.to_ascii_lowercase();
        match lower.as_slice() {
            b"on" => self.enabled = true,
            b"off" => self.enabled = false,
            b"skip-sanitize-payload" => self.sanitize = Sanitize::Skip,
            b"sanitize-payload" => self.sanitize = Sanitize::Deep,
            b"nopass" => {
                self.nopass = true;
                self.passwords.clear();
            }
            b"resetpass" => {
                self.nopass = false;
                self.passwords.clear();
            }
            b"clearselectors" => self.selectors.truncate(1),
            b"reset" => {
                for op in [
                    "resetpass",
                    "resetkeys",
                    "resetchannels",
                    "off",
                    "sanitize-payload",
                    "clearselectors",
                    "-@all",
                ] {
                    self.apply(op.as_bytes())?;
                }
            }
            _ => match op[0] {
                b'>' | b'#' => {
                    let hash = rule_hash(op)?;
                    if !self.passwords.contains(&hash) {
                        self.passwords.push(hash);
                    }
                    self.nopass = false;
                }
                b'<' | b'!' => {
                    let hash = rule_hash(op)?;
                    let at = self.passwords.iter().position(|p| *p == hash);
                    match at {
                        Some(i) => {
                            self.passwords.remove(i);
                        }
                        None => return Err(RuleError::NoSuchPassword),
                    }
                }
                b'(' if op.len() > 1 && op.last() == Some(&b')') => {
                    let mut s = Selector::default();
                    s.set_all(false);
                    let inner = &op[1..op.len() - 1];
                    if let crate::cli::Line::Command { argv, .. } = crate::cli::parse_line(inner) {
                        for a in argv {
                            s.apply(&a)?;
                        }
                    }
                    self.selectors.push(s);
                }
                _ => self.root().apply(op)?,
            },
        }
        Ok(())
    }

    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    pub fn is_nopass(&self) -> bool {
        self.nopass
    }

    /// The flags, in Redis's order.
    pub fn flags(&self) -> Vec<&'static str> {
        let mut f = vec![if self.enabled { "on" } else { "off" }];
        if self.nopass {
            f.push("nopass");
        }
        match self.sanitize {
            Sanitize::Skip => f.push("skip-sanitize-payload"),
            Sanitize::Deep => f.push("sanitize-payload"),
            Sanitize::Unset => {}
        }
        f
    }

    pub fn passwords(&self) -> &[String] {
        &self.passwords
    }

    pub fn selectors(&self) -> &[Selector] {
        &self.selectors
    }

    /// The user as ACL LIST shows it (without `user <name> `).
    pub fn describe(&self) -> String {
        let mut out = String::new();
        for f in self.flags() {
            out.push_str(f);
            out.push(' ');
        }
        for p in &self.passwords {
            out.push('#');
            out.push_str(p);
            out.push(' ');
        }
        for (i, s) in self.selectors.iter().enumerate() {
            if i == 0 {
                out.push_str(&s.describe());
            } else {
                out.push_str(&format!(" ({})", s.describe()));
            }
        }
        out
    }

    fn password_ok(&self, pass: &[u8]) -> bool {
        self.nopass || {
            let h = hash_password(pass);
            self.passwords.contains(&h)
        }
    }

    /// Whether the user may run `cmd` with `argv`; else why and the refused argument
    /// (the most telling refusal across the selectors, as Redis picks it).
    /// Whether a selector lets this user run anything on any key and channel.
    pub fn is_unrestricted(&self) -> bool {
        self.selectors.iter().any(Selector::is_unrestricted)
    }

    pub fn check(&self, cmd: &Command, argv: &[Vec<u8>]) -> Result<(), (Denied, usize)> {
        if self.is_unrestricted() {
            return Ok(());
        }
        let Some(id) = id_of(cmd) else {
            return Ok(());
        };
        let mut worst = (Denied::Command, 0);
        for s in &self.selectors {
            match s.check(id, cmd, argv) {
                Ok(()) => return Ok(()),
                Err((why, pos)) => {
                    if why > worst.0 || (why == worst.0 && pos > worst.1) {
                        worst = (why, pos);
                    }
                }
            }
        }
        Err(worst)
    }

    /// Whether the user may use `channel` (a pattern when `is_pattern`).
    pub fn channel_allowed(&self, channel: &[u8], is_pattern: bool) -> bool {
        self.selectors
            .iter()
            .any(|s| s.channel_allowed(channel, is_pattern))
    }

    /// Whether every selector keeps every channel (no subscriber needs a look).
    fn all_channels(&self) -> bool {
        self.selectors.iter().any(|s| s.allchannels)
    }
}

/// Join the arguments of a selector written over several words (`(~k*`, `+get)`); the
/// word that opens one never closed otherwise.
fn merge_selectors(ops: &[Vec<u8>]) -> Result<Vec<Vec<u8>>, Vec<u8>> {
    let mut out = Vec::new();
    let mut open: Option<(Vec<u8>, usize)> = None;
    for (j, op) in ops.iter().enumerate() {
        if op.first() == Some(&b'(') && op.last() != Some(&b')') {
            open = Some((op.clone(), j));
            continue;
        }
        if let Some((mut sel, start)) = open.take() {
            sel.push(b' ');
            sel.extend_from_slice(op);
            if op.last() == Some(&b')') {
                out.push(sel);
            } else {
                open = Some((sel, start));
            }
            continue;
        }
        out.push(op.clone());
    }
    match open {
        Some((_, start)) => Err(ops[start].clone()),
        None => Ok(out),
    }
}

// ---- the log ----

/// One ACL LOG entry (several denials alike within a minute count in one).
#[derive(Clone, Debug, PartialEq)]
pub struct LogEntry {
    pub count: u64,
    pub reason: Denied,
    /// `toplevel`, `multi`…
    pub context: &'static str,
    pub object: Vec<u8>,
    pub username: Vec<u8>,
    pub at_ms: Ms,
    pub client_info: String,
}

impl LogEntry {
    pub fn reason(&self) -> &'static str {
        self.reason.reason()
    }
}

// ---- the state ----

/// Every user by name (in byte order, as Redis's radix tree lists them) and the log.
#[derive(Clone, Debug)]
pub struct Acl {
    users: BTreeMap<Vec<u8>, User>,
    log: VecDeque<LogEntry>,
    pub log_max_len: usize,
    /// The default user as every command finds it, kept up to date by each change to
    /// the users (so the common case costs no lookup): it needs no password and is on;
    /// it may run anything.
    default_open: bool,
    default_unrestricted: bool,
}

impl Default for Acl {
    fn default() -> Self {
        let mut users = BTreeMap::new();
        users.insert(b"default".to_vec(), User::default_user());
        let mut acl = Acl {
            users,
            log: VecDeque::new(),
            log_max_len: 128,
            default_open: false,
            default_unrestricted: false,
        };
        acl.refresh();
        acl
    }
}

impl Acl {
    pub fn user(&self, name: &[u8]) -> Option<&User> {
        self.users.get(name)
    }

    pub fn users(&self) -> impl Iterator<Item = (&Vec<u8>, &User)> {
        self.users.iter()
    }

    pub fn default_user(&self) -> Option<&User> {
        self.users.get(b"default".as_slice())
    }

    /// Whether a connection must AUTH before anything else: the default user has a
    /// password or is off.
    pub fn default_needs_auth(&self) -> bool {
        !self.default_open
    }

    /// Whether `user` is the default user and may run anything (the check every
    /// command makes, answered without a lookup).
    pub fn is_unrestricted_default(&self, user: &[u8]) -> bool {
        self.default_unrestricted && user == b"default"
    }

    /// Work out the default user's flags again after a change to the users.
    fn refresh(&mut self) {
        let d = self.users.get(b"default".as_slice());
        self.default_open = d.is_some_and(|u| u.is_nopass() && u.is_enabled());
        self.default_unrestricted = d.is_some_and(User::is_unrestricted);
    }

    /// ACL SETUSER: all the rules or none. Returns the user as it was (None if new).
    pub fn set_user(&mut self, name: &[u8], ops: &[Vec<u8>]) -> Result<Option<User>, String> {
        let ops = merge_selectors(ops).map_err(|start| {
            format!(
                "Unmatched parenthesis in acl selector starting at '{}'.",
                String::from_utf8_lossy(&start)
            )
        })?;
        let old = self.users.get(name).cloned();
        let mut u = old.clone().unwrap_or_else(User::new);
        for op in &ops {
            if let Err(e) = u.apply(op) {
                return Err(format!(
                    "Error in ACL SETUSER modifier '{}': {}",
                    crate::error::clip(op, usize::MAX),
                    e.text()
                ));
            }
        }
        self.users.insert(name.to_vec(), u);
        self.refresh();
        Ok(old)
    }

    /// Remove a user (never `default`); true if it existed.
    pub fn delete_user(&mut self, name: &[u8]) -> bool {
        name != b"default" && self.users.remove(name).is_some()
    }

    /// Check a user's credentials: Ok if `name` exists, is on and `pass` is one of its
    /// passwords (or it needs none).
    pub fn credentials_ok(&self, name: &[u8], pass: &[u8]) -> bool {
        self.users
            .get(name)
            .is_some_and(|u| u.is_enabled() && u.password_ok(pass))
    }

    /// `requirepass`: the default user's one password, or none (nopass).
    pub fn set_default_password(&mut self, pass: &[u8]) {
        if let Some(u) = self.users.get_mut(b"default".as_slice()) {
            let _ = u.apply(b"resetpass");
            if pass.is_empty() {
                let _ = u.apply(b"nopass");
            } else {
                let mut op = b">".to_vec();
                op.extend_from_slice(pass);
                let _ = u.apply(&op);
            }
        }
        self.refresh();
    }

    /// Whether a user that had `old` rules may keep a subscription to `channel` now.
    pub fn keeps_channel(&self, user: &[u8], channel: &[u8], is_pattern: bool) -> bool {
        self.users
            .get(user)
            .is_none_or(|u| u.all_channels() || u.channel_allowed(channel, is_pattern))
    }

    // ---- the log ----

    /// Log a denial, merging it into a like entry of the last minute among the latest ten.
    pub fn log(&mut self, entry: LogEntry) {
        let alike = |e: &LogEntry| {
            e.reason == entry.reason
                && e.context == entry.context
                && (e.at_ms - entry.at_ms).abs() <= 60_000
                && e.object == entry.object
                && e.username == entry.username
        };
        if let Some(i) = self.log.iter().take(10).position(alike) {
            if let Some(mut e) = self.log.remove(i) {
                e.count += 1;
                e.at_ms = entry.at_ms;
                e.client_info = entry.client_info;
                self.log.push_front(e);
            }
            return;
        }
        self.log.push_front(entry);
        self.log.truncate(self.log_max_len);
    }

    pub fn log_entries(&self) -> impl Iterator<Item = &LogEntry> {
        self.log.iter()
    }

    pub fn reset_log(&mut self) {
        self.log.clear();
    }

    // ---- persistence ----

    /// Every user as an ACL LIST line's rules: (name, rules), the default user only if it
    /// was changed.
    pub fn export(&self) -> Vec<(Vec<u8>, String)> {
        let pristine = User::default_user();
        self.users
            .iter()
            .filter(|(n, u)| n.as_slice() != b"default" || **u != pristine)
            .map(|(n, u)| (n.clone(), u.describe()))
            .collect()
    }

    /// Users from `export`'s lines, replacing every user but a pristine default; None if
    /// a line doesn't parse (nothing changes then).
    pub fn import(lines: &[(Vec<u8>, String)]) -> Option<Acl> {
        let mut acl = Acl::default();
        for (name, rules) in lines {
            if name.is_empty() || has_spaces(name) {
                return None;
            }
            let words: Vec<Vec<u8>> = rules.split(' ').map(|w| w.as_bytes().to_vec()).collect();
            let mut u = User::new();
            for op in merge_selectors(&words).ok()? {
                u.apply(&op).ok()?;
            }
            acl.users.insert(name.clone(), u);
        }
        acl.refresh();
        Some(acl)
    }
}

/// Every category's name, in Redis's order (ACL CAT).
pub fn category_names() -> impl Iterator<Item = &'static str> {
    Category::NAMED
        .iter()
        .map(|(_, n)| n.trim_start_matches('@'))
}

/// The commands and sub-commands in a category (ACL CAT category), in table order.
pub fn commands_in(cat: Category) -> impl Iterator<Item = &'static str> {
    registry()
        .cmds
        .iter()
        .filter(move |c| c.acl.contains(cat))
        .map(|c| c.name)
}
