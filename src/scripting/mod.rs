//! Lua scripting as Redis 7.0 runs it: the owner of everything scripts need.
//!
//! - `eval.rs`: the EVAL engine — one Lua state and the script cache (SHA-1 → body,
//!   flags from a `#!lua` shebang, the compiled function).
//! - `functions.rs`: the functions engine — its own Lua state, the libraries
//!   (`#!lua name=…`), `redis.register_function`, FUNCTION DUMP's payload.
//! - `env.rs`: how both Lua states are built (the libraries Redis opens, the `redis`
//!   table, global protection).
//! - `convert.rs`: Redis replies to Lua values and back, as `script_lua.c` converts them.
//! - `run.rs`: a script at work — the checks before it runs, `redis.call` and friends,
//!   its slices of fuel, its end (a reply, or Redis's error text), SCRIPT/FUNCTION KILL.
//!
//! A script runs on a budget (`vm.resume(fuel)`): one that is not done after its first
//! slice stays here as `running`, its caller waits (blocked), other clients' commands
//! wait behind it (`held`) until `busy-reply-threshold` of world time has passed, after
//! which they are answered BUSY (server/scripts.rs), and the world's tick gives the script
//! its next slices.

pub mod convert;
pub mod env;
pub mod eval;
pub mod functions;
pub mod host;
pub mod run;

use std::collections::VecDeque;

use crate::clock::Ms;
use crate::server::ClientId;

pub use run::Running;

/// Instructions a script may run in the slice started by its command: most scripts end
/// within it and answer at once.
pub const FIRST_SLICE_FUEL: u32 = 2_000_000;

/// Instructions a running script gets at each tick of the world (a frame's worth).
pub const TICK_FUEL: u32 = 400_000;

/// Instructions a script may take where it can't wait (inside EXEC), and a library's
/// code while FUNCTION LOAD runs it (Redis stops that after 500 ms).
pub const SYNC_FUEL_LIMIT: u64 = 200_000_000;
pub const LOAD_FUEL_LIMIT: u64 = 20_000_000;

/// The flags a script declares (`#!lua flags=…`, `redis.register_function{flags=…}`),
/// as Redis's SCRIPT_FLAG_*.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub struct ScriptFlags(pub u8);

impl ScriptFlags {
    pub const NONE: ScriptFlags = ScriptFlags(0);
    pub const NO_WRITES: ScriptFlags = ScriptFlags(1);
    pub const ALLOW_OOM: ScriptFlags = ScriptFlags(2);
    pub const ALLOW_STALE: ScriptFlags = ScriptFlags(4);
    pub const NO_CLUSTER: ScriptFlags = ScriptFlags(8);
    pub const ALLOW_CROSS_SLOT: ScriptFlags = ScriptFlags(16);
    /// An EVAL script without a shebang: the command's own flags hold.
    pub const EVAL_COMPAT: ScriptFlags = ScriptFlags(32);

    /// The named flags, in Redis's order (`scripts_flags_def`).
    pub const NAMED: [(ScriptFlags, &'static str); 5] = [
        (ScriptFlags::NO_WRITES, "no-writes"),
        (ScriptFlags::ALLOW_OOM, "allow-oom"),
        (ScriptFlags::ALLOW_STALE, "allow-stale"),
        (ScriptFlags::NO_CLUSTER, "no-cluster"),
        (ScriptFlags::ALLOW_CROSS_SLOT, "allow-cross-slot-keys"),
    ];

    pub fn has(self, f: ScriptFlags) -> bool {
        self.0 & f.0 != 0
    }

    pub fn with(self, f: ScriptFlags) -> ScriptFlags {
        ScriptFlags(self.0 | f.0)
    }

    /// The flag called `name`, exactly (shebangs) or ignoring case (register_function).
    pub fn by_name(name: &[u8], ignore_case: bool) -> Option<ScriptFlags> {
        Self::NAMED
            .iter()
            .find(|(_, n)| {
                if ignore_case {
                    n.as_bytes().eq_ignore_ascii_case(name)
                } else {
                    n.as_bytes() == name
                }
            })
            .map(|(f, _)| *f)
    }

    /// The names of the flags set, in Redis's order.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        Self::NAMED
            .into_iter()
            .filter(move |(f, _)| self.has(*f))
            .map(|(_, n)| n)
    }
}

/// `sha1hex`: the 40 lower-case hex digits of a body's SHA-1.
pub fn sha1hex(data: &[u8]) -> String {
    use sha1::{Digest as _, Sha1};
    let digest = Sha1::digest(data);
    let mut out = String::with_capacity(40);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// Redis's `redisLrand48` (rand.c): the 48-bit linear congruential generator scripts'
/// `math.random` draws from, one for the whole server and never reseeded by Redis itself,
/// so a server's sequence is the same run after run.
#[derive(Clone, Copy, Debug)]
pub struct Lrand48(u64);

impl Default for Lrand48 {
    fn default() -> Self {
        Lrand48(0x1234_ABCD_330E)
    }
}

impl Lrand48 {
    const A: u64 = 0x5_DEEC_E66D;
    const MASK: u64 = (1 << 48) - 1;

    /// The next 31-bit number.
    pub fn draw(&mut self) -> i32 {
        self.0 = (self.0.wrapping_mul(Self::A).wrapping_add(0xB)) & Self::MASK;
        (self.0 >> 17) as i32
    }

    /// `redisSrand48(seed)`.
    pub fn seed(&mut self, seed: i32) {
        let s = seed as u32 as u64;
        self.0 = ((s >> 16) & 0xFFFF) << 32 | (s & 0xFFFF) << 16 | 0x330E;
    }
}

/// A line a script logged with `redis.log` (Redis writes it to its log file; the page
/// shows these).
#[derive(Clone, Debug, PartialEq)]
pub struct LogLine {
    /// Counts every line logged since the server started: the page asks for lines after
    /// the last one it showed.
    pub seq: u64,
    pub at_ms: Ms,
    /// Redis's levels: 0 debug, 1 verbose, 2 notice, 3 warning.
    pub level: u8,
    pub text: Vec<u8>,
}

/// How many log lines are kept.
const LOG_KEEP: usize = 1000;

/// A command that arrived while a script ran, waiting to be run (or answered BUSY).
#[derive(Debug)]
pub struct Held {
    pub client: ClientId,
    pub argv: Vec<Vec<u8>>,
}

/// Everything scripting keeps on the server.
#[derive(Default)]
pub struct Scripting {
    pub eval: eval::EvalEngine,
    pub functions: functions::FunctionsEngine,
    /// The script that didn't end within its first slice.
    pub running: Option<Box<Running>>,
    /// Commands that came while it ran, before it was busy long enough for BUSY.
    pub held: VecDeque<Held>,
    pub rng: Lrand48,
    /// DEBUG SET-DISABLE-DENY-SCRIPTS: scripts may run noscript commands.
    pub disable_deny_scripts: bool,
    log: VecDeque<LogLine>,
    log_seq: u64,
}

impl Scripting {
    /// `redis.log`: keep a line for the page.
    pub fn log(&mut self, level: u8, text: Vec<u8>, at_ms: Ms) {
        self.log_seq += 1;
        if self.log.len() >= LOG_KEEP {
            self.log.pop_front();
        }
        self.log.push_back(LogLine {
            seq: self.log_seq,
            at_ms,
            level,
            text,
        });
    }

    /// The log lines after `seq` (0: all kept).
    pub fn log_since(&self, seq: u64) -> impl Iterator<Item = &LogLine> {
        self.log.iter().filter(move |l| l.seq > seq)
    }

    /// Whether `client` has a command waiting for the running script.
    pub fn is_holding(&self, client: ClientId) -> bool {
        self.held.iter().any(|h| h.client == client)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha1hex_is_redis_s() {
        assert_eq!(sha1hex(b""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(
            sha1hex(b"return 1"),
            "e0e1f9fabfc9d4800c877a703b823ac0578ff8db"
        );
    }

    #[test]
    fn lrand48_follows_redis_s_sequence() {
        // A fresh redis-server's first math.random() is 0.39646477363839 (851401618 out
        // of 2^31 - 1); after math.randomseed(42) the next is 0.74452500033403.
        let mut r = Lrand48::default();
        assert_eq!(r.draw(), 851_401_618);
        assert_eq!(r.draw(), 1_804_928_587);
        let mut s = Lrand48::default();
        s.seed(42);
        let n = s.draw();
        assert_eq!(n, 1_598_855_263);
    }

    #[test]
    fn flags_print_in_redis_order() {
        let f = ScriptFlags::ALLOW_OOM.with(ScriptFlags::NO_WRITES);
        assert_eq!(f.names().collect::<Vec<_>>(), ["no-writes", "allow-oom"]);
        assert_eq!(
            ScriptFlags::by_name(b"ALLOW-OOM", true),
            Some(ScriptFlags::ALLOW_OOM)
        );
        assert_eq!(ScriptFlags::by_name(b"ALLOW-OOM", false), None);
    }
}
