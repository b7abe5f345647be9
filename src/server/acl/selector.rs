//! Selectors: one set of permissions of a user — commands (one bit per command and
//! sub-command of the table, by id in table order), key patterns with read/write
//! permissions, channel patterns — with the rules that change them, the description that
//! writes them back as rules, and the check of a command line against them.

use std::collections::BTreeMap;

use crate::commands::table::{Acl as Category, Flags, KeyFlags};
use crate::commands::{self, Command};

// ---- the command ids ----

/// Every command and sub-command in table order, with its place among its parent's.
pub(super) struct Registry {
    pub(super) cmds: Vec<&'static Command>,
    /// For a sub-command, its container's id.
    parent: Vec<Option<usize>>,
    /// For a container, its sub-commands' ids.
    children: Vec<Vec<usize>>,
    /// The top-level commands' ids.
    top: Vec<usize>,
    by_name: std::collections::HashMap<&'static str, usize>,
}

pub(super) fn registry() -> &'static Registry {
    static REG: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    REG.get_or_init(|| {
        let mut r = Registry {
            cmds: Vec::new(),
            parent: Vec::new(),
            children: Vec::new(),
            top: Vec::new(),
            by_name: Default::default(),
        };
        for c in commands::all() {
            let id = r.cmds.len();
            r.cmds.push(c);
            r.parent.push(None);
            r.children.push(Vec::new());
            r.top.push(id);
            for s in c.subcommands {
                let sid = r.cmds.len();
                r.cmds.push(s);
                r.parent.push(Some(id));
                r.children.push(Vec::new());
                r.children[id].push(sid);
            }
        }
        r.by_name = r
            .cmds
            .iter()
            .enumerate()
            .map(|(i, c)| (c.name, i))
            .collect();
        r
    })
}

/// The id of a command of the table.
pub(super) fn id_of(cmd: &Command) -> Option<usize> {
    registry().by_name.get(cmd.name).copied()
}

/// The id of `name` (`get`, `config|get`), as Redis's ACL looks a name up: one level of
/// sub-command at most, and a sub-command only of a container.
pub(super) fn lookup(name: &[u8]) -> Option<usize> {
    let mut parts = name.split(|&b| b == b'|');
    let base = commands::lookup(parts.next()?)?;
    let cmd = match (parts.next(), parts.next()) {
        (None, _) => base,
        (Some(sub), None) if !base.subcommands.is_empty() => commands::lookup_sub(base, sub)?,
        _ => return None,
    };
    id_of(cmd)
}

// ---- selectors ----

/// What a key pattern grants.
const READ: u8 = 1;
const WRITE: u8 = 2;
const ALL_PERMS: u8 = READ | WRITE;

/// Why a rule was refused (Redis's errno of ACLSetUser).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleError {
    Syntax,
    Unknown,
    KeysAfterAll,
    ChannelsAfterAll,
    NoSuchPassword,
    BadHash,
    FirstArgOfSubcommand,
}

impl RuleError {
    pub fn text(self) -> &'static str {
        match self {
            RuleError::Syntax => "Syntax error",
            RuleError::Unknown => "Unknown command or category name in ACL",
            RuleError::KeysAfterAll => "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns",
            RuleError::ChannelsAfterAll => "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels",
            RuleError::NoSuchPassword => "The password you are trying to remove from the user does not exist",
            RuleError::BadHash => "The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters",
            RuleError::FirstArgOfSubcommand => "Allowing first-arg of a subcommand is not supported",
        }
    }
}

/// One set of permissions: commands (a bit per id, plus allowed first arguments of
/// commands otherwise denied), key patterns and channel patterns.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Selector {
    allkeys: bool,
    pub(super) allchannels: bool,
    /// Every command, whatever its bit (cleared by any command taken away).
    allcommands: bool,
    /// Commands added later would be allowed: set by +@all, cleared by -@all only.
    future: bool,
    bits: Vec<u64>,
    firstargs: BTreeMap<usize, Vec<Vec<u8>>>,
    keys: Vec<(Vec<u8>, u8)>,
    channels: Vec<Vec<u8>>,
}

/// What `isspace` or a NUL would break in a pattern or a user name.
pub fn has_spaces(s: &[u8]) -> bool {
    s.iter()
        .any(|&b| b == 0 || b == b' ' || (b'\t'..=b'\r').contains(&b))
}

impl Selector {
    /// Every command on every key and channel (the default user's `~* &* +@all`).
    pub(super) fn is_unrestricted(&self) -> bool {
        self.allcommands && self.allkeys && self.allchannels
    }

    pub(super) fn bit(&self, id: usize) -> bool {
        self.bits
            .get(id / 64)
            .is_some_and(|w| w & (1 << (id % 64)) != 0)
    }

    pub(super) fn set_bit(&mut self, id: usize, on: bool) {
        let n = registry().cmds.len().div_ceil(64);
        if self.bits.len() < n {
            self.bits.resize(n, 0);
        }
        if let Some(w) = self.bits.get_mut(id / 64) {
            if on {
                *w |= 1 << (id % 64);
            } else {
                *w &= !(1 << (id % 64));
                self.allcommands = false;
            }
        }
    }

    pub(super) fn set_all(&mut self, on: bool) {
        let n = registry().cmds.len();
        self.bits = vec![if on { u64::MAX } else { 0 }; n.div_ceil(64)];
        self.allcommands = on;
        self.future = on;
        self.firstargs.clear();
    }

    /// Allow or deny a command and all its sub-commands.
    pub(super) fn change(&mut self, id: usize, on: bool) {
        self.set_bit(id, on);
        self.firstargs.remove(&id);
        for &s in &registry().children[id] {
            self.set_bit(s, on);
        }
    }

    pub(super) fn change_category(&mut self, cat: Category, on: bool) {
        let reg = registry();
        for &id in &reg.top {
            if reg.cmds[id].acl.contains(cat) {
                self.change(id, on);
            }
            for &s in &reg.children[id] {
                if reg.cmds[s].acl.contains(cat) {
                    self.change(s, on);
                }
            }
        }
    }

    pub(super) fn count_category(&self, cat: Category) -> (usize, usize) {
        let (mut on, mut off) = (0, 0);
        // Commands of later Redis versions don't count: the categories fit as in 7.0.
        for (id, c) in registry().cmds.iter().enumerate() {
            if c.acl.contains(cat) && !c.is_after_emulated() {
                if self.bit(id) {
                    on += 1;
                } else {
                    off += 1;
                }
            }
        }
        (on, off)
    }

    /// Apply one selector rule (`~k*`, `+get`, `-@write`, `allchannels`…).
    pub fn apply(&mut self, op: &[u8]) -> Result<(), RuleError> {
        let lower = op.to_ascii_lowercase();
        match lower.as_slice() {
            b"allkeys" | b"~*" => {
                self.allkeys = true;
                self.keys.clear();
                return Ok(());
            }
            b"resetkeys" => {
                self.allkeys = false;
                self.keys.clear();
                return Ok(());
            }
            b"allchannels" | b"&*" => {
                self.allchannels = true;
                self.channels.clear();
                return Ok(());
            }
            b"resetchannels" => {
                self.allchannels = false;
                self.channels.clear();
                return Ok(());
            }
            b"allcommands" | b"+@all" => {
                self.set_all(true);
                return Ok(());
            }
            b"nocommands" | b"-@all" => {
                self.set_all(false);
                return Ok(());
            }
            _ => {}
        }
        match op.first() {
            Some(b'~' | b'%') => self.add_key_pattern(op),
            Some(b'&') => {
                if self.allchannels {
                    return Err(RuleError::ChannelsAfterAll);
                }
                let pat = &op[1..];
                if has_spaces(pat) {
                    return Err(RuleError::Syntax);
                }
                if !self.channels.iter().any(|c| c == pat) {
                    self.channels.push(pat.to_vec());
                }
                self.allchannels = false;
                Ok(())
            }
            Some(b'+') if op.get(1) != Some(&b'@') => self.allow(&op[1..]),
            Some(b'-') if op.get(1) != Some(&b'@') => {
                let id = lookup(&op[1..]).ok_or(RuleError::Unknown)?;
                self.change(id, false);
                Ok(())
            }
            Some(&sign @ (b'+' | b'-')) => {
                let name = std::str::from_utf8(&op[2..]).map_err(|_| RuleError::Unknown)?;
                let cat = Category::by_name(&format!("@{name}")).ok_or(RuleError::Unknown)?;
                self.change_category(cat, sign == b'+');
                Ok(())
            }
            _ => Err(RuleError::Syntax),
        }
    }

    pub(super) fn add_key_pattern(&mut self, op: &[u8]) -> Result<(), RuleError> {
        if self.allkeys {
            return Err(RuleError::KeysAfterAll);
        }
        let (mut flags, mut offset) = (0u8, 1usize);
        if op.first() == Some(&b'%') {
            while offset < op.len() {
                match op[offset] {
                    b'R' | b'r' if flags & READ == 0 => flags |= READ,
                    b'W' | b'w' if flags & WRITE == 0 => flags |= WRITE,
                    b'~' => {
                        offset += 1;
                        break;
                    }
                    _ => return Err(RuleError::Syntax),
                }
                offset += 1;
            }
            // `%` or `%~x` grant nothing: Redis refuses them.
            if flags == 0 {
                return Err(RuleError::Syntax);
            }
        } else {
            flags = ALL_PERMS;
        }
        let pat = op.get(offset..).unwrap_or_default();
        if has_spaces(pat) {
            return Err(RuleError::Syntax);
        }
        match self.keys.iter_mut().find(|(p, _)| p == pat) {
            Some((_, f)) => *f |= flags,
            None => self.keys.push((pat.to_vec(), flags)),
        }
        self.allkeys = false;
        Ok(())
    }

    /// `+name`, `+container|sub` or `+command|first-arg`.
    pub(super) fn allow(&mut self, name: &[u8]) -> Result<(), RuleError> {
        let Some(bar) = name.iter().rposition(|&b| b == b'|') else {
            let id = lookup(name).ok_or(RuleError::Unknown)?;
            self.change(id, true);
            return Ok(());
        };
        let (base, sub) = (&name[..bar], &name[bar + 1..]);
        let id = lookup(base).ok_or(RuleError::Unknown)?;
        let reg = registry();
        if reg.parent[id].is_some() {
            return Err(RuleError::FirstArgOfSubcommand);
        }
        if sub.is_empty() {
            return Err(RuleError::Syntax);
        }
        if !reg.cmds[id].subcommands.is_empty() {
            let sid = lookup(name).ok_or(RuleError::Unknown)?;
            self.change(sid, true);
        } else {
            let list = self.firstargs.entry(id).or_default();
            if !list.iter().any(|a| a.eq_ignore_ascii_case(sub)) {
                list.push(sub.to_vec());
            }
        }
        Ok(())
    }

    /// The command rules that rebuild this selector's bits: `+@all` or `-@all`, then the
    /// categories that fit best, then single commands (ACLDescribeSelectorCommandRules).
    pub(super) fn describe_commands(&self) -> String {
        let reg = registry();
        let additive = !self.future;
        let mut rules = String::new();
        let mut fake = Selector::default();
        if additive {
            rules.push_str("-@all ");
            fake.set_all(false);
        } else {
            rules.push_str("+@all ");
            fake.set_all(true);
        }
        let mut temp = Selector {
            bits: self.bits.clone(),
            ..Selector::default()
        };
        let mut applied = vec![false; Category::NAMED.len()];
        loop {
            let mut best = None;
            let (mut mindiff, mut maxsame) = (usize::MAX, 0);
            for (j, (cat, _)) in Category::NAMED.iter().enumerate() {
                if applied[j] {
                    continue;
                }
                let (on, off) = temp.count_category(*cat);
                let (diff, same) = if additive { (off, on) } else { (on, off) };
                if same > diff && (diff < mindiff || (diff == mindiff && same > maxsame)) {
                    best = Some(j);
                    mindiff = diff;
                    maxsame = same;
                }
            }
            let Some(j) = best else { break };
            let (cat, name) = Category::NAMED[j];
            rules.push(if additive { '+' } else { '-' });
            rules.push_str(name);
            rules.push(' ');
            fake.change_category(cat, additive);
            temp.change_category(cat, !additive);
            applied[j] = true;
        }
        for &id in &reg.top {
            self.describe_single(id, &mut fake, &mut rules);
        }
        rules.pop();
        rules
    }

    pub(super) fn describe_single(&self, id: usize, fake: &mut Selector, rules: &mut String) {
        let reg = registry();
        let mine = self.bit(id);
        if mine != fake.bit(id) {
            rules.push(if mine { '+' } else { '-' });
            rules.push_str(reg.cmds[id].name);
            rules.push(' ');
            fake.change(id, mine);
        }
        for &s in &reg.children[id] {
            self.describe_single(s, fake, rules);
        }
        if !mine {
            for arg in self.firstargs.get(&id).into_iter().flatten() {
                rules.push('+');
                rules.push_str(reg.cmds[id].name);
                rules.push('|');
                rules.push_str(&String::from_utf8_lossy(arg));
                rules.push(' ');
            }
        }
    }

    pub(super) fn describe_keys(&self) -> String {
        if self.allkeys {
            return "~*".into();
        }
        let pats: Vec<String> = self
            .keys
            .iter()
            .map(|(p, f)| {
                let prefix = match *f {
                    READ => "%R~",
                    WRITE => "%W~",
                    _ => "~",
                };
                format!("{prefix}{}", String::from_utf8_lossy(p))
            })
            .collect();
        pats.join(" ")
    }

    pub(super) fn describe_channels(&self) -> String {
        if self.allchannels {
            return "&*".into();
        }
        let pats: Vec<String> = self
            .channels
            .iter()
            .map(|p| format!("&{}", String::from_utf8_lossy(p)))
            .collect();
        pats.join(" ")
    }

    /// The selector as rules: keys, channels, commands.
    pub(super) fn describe(&self) -> String {
        let mut out = String::new();
        let keys = self.describe_keys();
        if !keys.is_empty() {
            out.push_str(&keys);
            out.push(' ');
        }
        if self.allchannels {
            out.push_str("&* ");
        } else {
            out.push_str("resetchannels ");
            let ch = self.describe_channels();
            if !ch.is_empty() {
                out.push_str(&ch);
                out.push(' ');
            }
        }
        out.push_str(&self.describe_commands());
        out
    }

    /// GETUSER's fields for the selector: commands, keys, channels.
    pub fn fields(&self) -> [(&'static str, String); 3] {
        [
            ("commands", self.describe_commands()),
            ("keys", self.describe_keys()),
            ("channels", self.describe_channels()),
        ]
    }

    /// Whether the selector lets `cmd` run with these arguments; else why, and the
    /// argument that was refused.
    pub(super) fn check(
        &self,
        id: usize,
        cmd: &Command,
        argv: &[Vec<u8>],
    ) -> Result<(), (Denied, usize)> {
        if !self.allcommands && !cmd.has_flag(Flags::NO_AUTH) && !self.bit(id) {
            let idx = if registry().parent[id].is_some() {
                2
            } else {
                1
            };
            let allowed = argv.get(idx).is_some_and(|a| {
                self.firstargs
                    .get(&id)
                    .is_some_and(|l| l.iter().any(|f| f.eq_ignore_ascii_case(a)))
            });
            if !allowed {
                return Err((Denied::Command, 0));
            }
        }
        if !self.allkeys {
            for (pos, flags) in commands::keyspec::keys_with_flags(cmd, argv) {
                let key = argv.get(pos).map(Vec::as_slice).unwrap_or_default();
                if !self.key_allowed(key, flags) {
                    return Err((Denied::Key, pos));
                }
            }
        }
        if !self.allchannels {
            if let Some(ch) = cmd.channels {
                for (pos, pattern) in ch.positions(argv) {
                    let name = argv.get(pos).map(Vec::as_slice).unwrap_or_default();
                    if !self.channel_allowed(name, pattern) {
                        return Err((Denied::Channel, pos));
                    }
                }
            }
        }
        Ok(())
    }

    pub(super) fn key_allowed(&self, key: &[u8], spec: KeyFlags) -> bool {
        if self.allkeys {
            return true;
        }
        let mut need = 0;
        if spec.contains(KeyFlags::ACCESS) {
            need |= READ;
        }
        if spec.contains(KeyFlags::INSERT)
            || spec.contains(KeyFlags::DELETE)
            || spec.contains(KeyFlags::UPDATE)
        {
            need |= WRITE;
        }
        self.keys
            .iter()
            .any(|(p, f)| f & need == need && crate::glob::Pattern::new(p).matches(key))
    }

    pub(super) fn channel_allowed(&self, channel: &[u8], is_pattern: bool) -> bool {
        self.allchannels
            || self.channels.iter().any(|p| {
                if is_pattern {
                    p == channel
                } else {
                    crate::glob::Pattern::new(p).matches(channel)
                }
            })
    }
}

/// Why a command was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Denied {
    Command = 1,
    Key = 2,
    Auth = 3,
    Channel = 4,
}

impl Denied {
    /// Why EXEC refuses a queued command the rules no longer allow.
    pub fn exec_reason(self) -> &'static str {
        match self {
            Denied::Command => "no permission to execute the command or subcommand",
            Denied::Key => "no permission to touch the specified keys",
            Denied::Channel => "no permission to access one of the channels used as arguments",
            Denied::Auth => "no permission",
        }
    }

    pub(super) fn reason(self) -> &'static str {
        match self {
            Denied::Command => "command",
            Denied::Key => "key",
            Denied::Auth => "auth",
            Denied::Channel => "channel",
        }
    }
}
