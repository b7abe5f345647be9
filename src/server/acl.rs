//! Users and their permissions (Redis 7.0's ACL): who may run which command on which keys
//! and channels, passwords kept as SHA-256 digests, the rule language of ACL SETUSER, the
//! description ACL LIST and GETUSER print, and the ACL LOG of denials.
//!
//! A user has one root selector and any number of extra selectors (`(~k* +get)`); a
//! command runs if any selector allows it. Every command and sub-command of the table has
//! an id (its place in table order) and a selector keeps one bit per id.

use std::collections::{BTreeMap, VecDeque};

use sha2::{Digest, Sha256};

use crate::clock::Ms;
use crate::commands::table::{Acl as Category, Flags, KeyFlags};
use crate::commands::{self, Command};

// ---- the command ids ----

/// Every command and sub-command in table order, with its place among its parent's.
struct Registry {
    cmds: Vec<&'static Command>,
    /// For a sub-command, its container's id.
    parent: Vec<Option<usize>>,
    /// For a container, its sub-commands' ids.
    children: Vec<Vec<usize>>,
    /// The top-level commands' ids.
    top: Vec<usize>,
    by_name: std::collections::HashMap<&'static str, usize>,
}

fn registry() -> &'static Registry {
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
fn id_of(cmd: &Command) -> Option<usize> {
    registry().by_name.get(cmd.name).copied()
}

/// The id of `name` (`get`, `config|get`), as Redis's ACL looks a name up: one level of
/// sub-command at most, and a sub-command only of a container.
fn lookup(name: &[u8]) -> Option<usize> {
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
    allchannels: bool,
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
    fn bit(&self, id: usize) -> bool {
        self.bits
            .get(id / 64)
            .is_some_and(|w| w & (1 << (id % 64)) != 0)
    }

    fn set_bit(&mut self, id: usize, on: bool) {
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

    fn set_all(&mut self, on: bool) {
        let n = registry().cmds.len();
        self.bits = vec![if on { u64::MAX } else { 0 }; n.div_ceil(64)];
        self.allcommands = on;
        self.future = on;
        self.firstargs.clear();
    }

    /// Allow or deny a command and all its sub-commands.
    fn change(&mut self, id: usize, on: bool) {
        self.set_bit(id, on);
        self.firstargs.remove(&id);
        for &s in &registry().children[id] {
            self.set_bit(s, on);
        }
    }

    fn change_category(&mut self, cat: Category, on: bool) {
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

    fn count_category(&self, cat: Category) -> (usize, usize) {
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

    fn add_key_pattern(&mut self, op: &[u8]) -> Result<(), RuleError> {
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
    fn allow(&mut self, name: &[u8]) -> Result<(), RuleError> {
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
    fn describe_commands(&self) -> String {
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

    fn describe_single(&self, id: usize, fake: &mut Selector, rules: &mut String) {
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

    fn describe_keys(&self) -> String {
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

    fn describe_channels(&self) -> String {
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
    fn describe(&self) -> String {
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
    fn check(&self, id: usize, cmd: &Command, argv: &[Vec<u8>]) -> Result<(), (Denied, usize)> {
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

    fn key_allowed(&self, key: &[u8], spec: KeyFlags) -> bool {
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

    fn channel_allowed(&self, channel: &[u8], is_pattern: bool) -> bool {
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

    fn reason(self) -> &'static str {
        match self {
            Denied::Command => "command",
            Denied::Key => "key",
            Denied::Auth => "auth",
            Denied::Channel => "channel",
        }
    }
}

// ---- users ----

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sanitize {
    Unset,
    Sanitize,
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
            b"sanitize-payload" => self.sanitize = Sanitize::Sanitize,
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
                    let hash = if op[0] == b'>' {
                        hash_password(&op[1..])
                    } else if valid_hash(&op[1..]) {
                        String::from_utf8_lossy(&op[1..]).into_owned()
                    } else {
                        return Err(RuleError::BadHash);
                    };
                    if !self.passwords.contains(&hash) {
                        self.passwords.push(hash);
                    }
                    self.nopass = false;
                }
                b'<' | b'!' => {
                    let hash = if op[0] == b'<' {
                        hash_password(&op[1..])
                    } else if valid_hash(&op[1..]) {
                        String::from_utf8_lossy(&op[1..]).into_owned()
                    } else {
                        return Err(RuleError::BadHash);
                    };
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
            Sanitize::Sanitize => f.push("sanitize-payload"),
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
    pub fn check(&self, cmd: &Command, argv: &[Vec<u8>]) -> Result<(), (Denied, usize)> {
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
}

impl Default for Acl {
    fn default() -> Self {
        let mut users = BTreeMap::new();
        users.insert(b"default".to_vec(), User::default_user());
        Acl {
            users,
            log: VecDeque::new(),
            log_max_len: 128,
        }
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
        self.default_user()
            .is_none_or(|u| !u.is_nopass() || !u.is_enabled())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(s: &str) -> Vec<Vec<u8>> {
        s.split(' ').map(|w| w.as_bytes().to_vec()).collect()
    }

    #[test]
    fn a_new_user_is_off_with_nothing_allowed() {
        let mut acl = Acl::default();
        acl.set_user(b"foo", &[]).unwrap();
        assert_eq!(
            acl.user(b"foo").unwrap().describe(),
            "off resetchannels -@all"
        );
        assert_eq!(
            acl.user(b"default").unwrap().describe(),
            "on nopass ~* &* +@all"
        );
    }

    #[test]
    fn rules_describe_back_as_redis_writes_them() {
        // Redis lists single commands in its hash table's order; the table's order here.
        let mut acl = Acl::default();
        acl.set_user(
            b"bar",
            &ops("on >pw ~k* %R~r* %W~w* %RW~x* &ch* +get +set -@all +@hash -hget +client|id +select|0 (~s* +get) (%R~t* +@read)"),
        )
        .unwrap();
        assert_eq!(
            acl.user(b"bar").unwrap().describe(),
            "on #30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4 ~k* %R~r* %W~w* ~x* resetchannels &ch* -@all +@hash -hget +select|0 +client|id (~s* resetchannels -@all +get) (%R~t* resetchannels -@all +@read)"
        );
    }

    #[test]
    fn a_bad_rule_changes_nothing() {
        let mut acl = Acl::default();
        acl.set_user(b"u", &ops("on +get")).unwrap();
        let before = acl.user(b"u").cloned();
        let err = acl.set_user(b"u", &ops("+set nosuchrule")).unwrap_err();
        assert_eq!(
            err,
            "Error in ACL SETUSER modifier 'nosuchrule': Syntax error"
        );
        assert_eq!(acl.user(b"u").cloned(), before);
        assert_eq!(
            acl.set_user(b"u", &ops("~* ~a")).unwrap_err(),
            format!(
                "Error in ACL SETUSER modifier '~a': {}",
                RuleError::KeysAfterAll.text()
            )
        );
        assert_eq!(
            acl.set_user(b"u", &ops("(~a +get")).unwrap_err(),
            "Unmatched parenthesis in acl selector starting at '(~a'."
        );
        for (op, e) in [
            ("+nosuch", RuleError::Unknown),
            ("-@nosuch", RuleError::Unknown),
            ("+config|get|x", RuleError::FirstArgOfSubcommand),
            ("+select|", RuleError::Syntax),
            ("#abc", RuleError::BadHash),
            ("<nope", RuleError::NoSuchPassword),
            ("%X~a", RuleError::Syntax),
            ("+", RuleError::Unknown),
            ("-get|x", RuleError::Unknown),
        ] {
            let got = acl.set_user(b"u", &[op.as_bytes().to_vec()]).unwrap_err();
            assert!(got.ends_with(e.text()), "{op}: {got}");
        }
    }

    #[test]
    fn passwords_are_checked_by_digest() {
        let mut acl = Acl::default();
        acl.set_user(b"u", &ops("on >secret")).unwrap();
        assert!(acl.credentials_ok(b"u", b"secret"));
        assert!(!acl.credentials_ok(b"u", b"other"));
        acl.set_user(b"u", &ops("off")).unwrap();
        assert!(!acl.credentials_ok(b"u", b"secret"));
        assert!(!acl.credentials_ok(b"nobody", b""));
    }

    #[test]
    fn users_survive_export_and_import() {
        let mut acl = Acl::default();
        acl.set_user(
            b"bar",
            &ops("on >pw ~k* %R~r* &ch* -@all +@hash -hget +select|0 (~s* +get)"),
        )
        .unwrap();
        acl.set_user(b"default", &ops(">x")).unwrap();
        let lines = acl.export();
        assert_eq!(lines.len(), 2);
        let back = Acl::import(&lines).unwrap();
        assert_eq!(back.user(b"bar"), acl.user(b"bar"));
        assert_eq!(back.user(b"default"), acl.user(b"default"));
    }
}
