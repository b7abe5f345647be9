//! What the command table says about a command, as types: Redis's interface facts
//! (arity, flags, ACL categories, key specs, tips, group) and the playground's own (how a
//! blocking command waits, how MULTI treats it, the shape of its reply for the page's table
//! view, and whether a share link may run it). Flags and categories are bit sets, key specs
//! structured data: a misspelt flag or spec does not compile.
//!
//! Everything that needs to know something about a command asks its entry here; nothing
//! else lists command names.

use super::Handler;

// ---- flag sets ----

/// Defines a bit-set type over `u32` with named members, listed in the order Redis prints
/// them.
macro_rules! bitset {
    ($(#[$doc:meta])* $ty:ident { $($(#[$mdoc:meta])* $name:ident = $bit:expr => $text:expr),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Default)]
        pub struct $ty(u32);

        impl $ty {
            pub const NONE: $ty = $ty(0);
            $($(#[$mdoc])* pub const $name: $ty = $ty(1 << $bit);)*
            /// Every member with its name, in the order Redis prints them.
            pub const NAMED: &'static [($ty, &'static str)] = &[$(($ty::$name, $text)),*];

            pub const fn with(self, other: $ty) -> $ty {
                $ty(self.0 | other.0)
            }
            pub const fn contains(self, other: $ty) -> bool {
                self.0 & other.0 == other.0 && other.0 != 0
            }
            pub const fn is_empty(self) -> bool {
                self.0 == 0
            }
            /// The names of the members (hidden ones have an empty name and are left out).
            pub fn names(self) -> impl Iterator<Item = &'static str> {
                Self::NAMED
                    .iter()
                    .filter(move |(f, n)| self.contains(*f) && !n.is_empty())
                    .map(|(_, n)| *n)
            }
            /// The member called `name` (case-insensitive).
            pub fn by_name(name: &str) -> Option<$ty> {
                Self::NAMED
                    .iter()
                    .find(|(_, n)| !n.is_empty() && n.eq_ignore_ascii_case(name))
                    .map(|(f, _)| *f)
            }
        }

        impl std::fmt::Debug for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_set().entries(self.names()).finish()
            }
        }
    };
}

/// A set of command flags by name: `flags![WRITE, DENYOOM, FAST]`.
macro_rules! flags {
    () => { $crate::commands::table::Flags::NONE };
    ($f:ident $(, $r:ident)* $(,)?) => {
        $crate::commands::table::Flags::$f $(.with($crate::commands::table::Flags::$r))*
    };
}

/// A set of ACL categories by name: `acl![WRITE, HASH, FAST]`.
macro_rules! acl {
    () => { $crate::commands::table::Acl::NONE };
    ($f:ident $(, $r:ident)* $(,)?) => {
        $crate::commands::table::Acl::$f $(.with($crate::commands::table::Acl::$r))*
    };
}

/// A set of key-spec flags by name: `key_flags![RW, ACCESS, UPDATE]`.
macro_rules! key_flags {
    () => { $crate::commands::table::KeyFlags::NONE };
    ($f:ident $(, $r:ident)* $(,)?) => {
        $crate::commands::table::KeyFlags::$f $(.with($crate::commands::table::KeyFlags::$r))*
    };
}

bitset!(
    /// COMMAND INFO flags, in Redis's order; the last is the playground's and is never
    /// printed.
    Flags {
    WRITE = 0 => "write",
    READONLY = 1 => "readonly",
    DENYOOM = 2 => "denyoom",
    MODULE = 3 => "module",
    ADMIN = 4 => "admin",
    PUBSUB = 5 => "pubsub",
    NOSCRIPT = 6 => "noscript",
    BLOCKING = 7 => "blocking",
    LOADING = 8 => "loading",
    STALE = 9 => "stale",
    SKIP_MONITOR = 10 => "skip_monitor",
    SKIP_SLOWLOG = 11 => "skip_slowlog",
    ASKING = 12 => "asking",
    FAST = 13 => "fast",
    NO_AUTH = 14 => "no_auth",
    NO_MANDATORY_KEYS = 15 => "no_mandatory_keys",
    NO_ASYNC_LOADING = 16 => "no_async_loading",
    NO_MULTI = 17 => "no_multi",
    MOVABLEKEYS = 18 => "movablekeys",
    ALLOW_BUSY = 19 => "allow_busy",
    /// Redis's CMD_MAY_REPLICATE (PUBLISH, PFCOUNT, the scripts): not a write, but
    /// propagated, so CLIENT PAUSE WRITE holds it. COMMAND INFO doesn't show it.
    MAY_REPLICATE = 29 => "",
    /// Runs in a RESP2 connection that is subscribed (SUBSCRIBE and friends, PING,
    /// QUIT, RESET); anything else gets "only … are allowed in this context".
    SUBSCRIBED_OK = 30 => "",
});

bitset!(
    /// ACL categories, in Redis's order (`@write @hash @fast`).
    Acl {
    KEYSPACE = 0 => "@keyspace",
    READ = 1 => "@read",
    WRITE = 2 => "@write",
    SET = 3 => "@set",
    SORTEDSET = 4 => "@sortedset",
    LIST = 5 => "@list",
    HASH = 6 => "@hash",
    STRING = 7 => "@string",
    BITMAP = 8 => "@bitmap",
    HYPERLOGLOG = 9 => "@hyperloglog",
    GEO = 10 => "@geo",
    STREAM = 11 => "@stream",
    PUBSUB = 12 => "@pubsub",
    ADMIN = 13 => "@admin",
    FAST = 14 => "@fast",
    SLOW = 15 => "@slow",
    BLOCKING = 16 => "@blocking",
    DANGEROUS = 17 => "@dangerous",
    CONNECTION = 18 => "@connection",
    TRANSACTION = 19 => "@transaction",
    SCRIPTING = 20 => "@scripting",
});

bitset!(
    /// A key spec's flags, in Redis's order.
    KeyFlags {
    RO = 0 => "RO",
    RW = 1 => "RW",
    OW = 2 => "OW",
    RM = 3 => "RM",
    ACCESS = 4 => "access",
    UPDATE = 5 => "update",
    INSERT = 6 => "insert",
    DELETE = 7 => "delete",
    NOT_KEY = 8 => "not_key",
    INCOMPLETE = 9 => "incomplete",
    VARIABLE_FLAGS = 10 => "variable_flags",
});

// ---- key specs ----

/// Where a key spec starts looking for keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Begin {
    /// At this argument index.
    Index(i32),
    /// After this keyword, searched from `from` (negative: from the end, backwards).
    Keyword(&'static str, i32),
    /// Nowhere a spec can say (SORT's BY, GET and STORE keys).
    Unknown,
}

/// How a key spec finds its keys from where it began.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Find {
    /// Keys up to `last` (relative; negative counts from the end), every `step`; with
    /// `limit` > 0 and a negative `last`, only that fraction of the rest.
    Range {
        last: i32,
        step: i32,
        limit: i32,
    },
    /// The number of keys is the argument at `index`; they start at `first`, every `step`.
    Keynum {
        index: i32,
        first: i32,
        step: i32,
    },
    Unknown,
}

/// One of Redis 7's key specs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeySpec {
    pub flags: KeyFlags,
    pub begin: Begin,
    pub find: Find,
    /// Redis's note on the spec, shown by COMMAND INFO.
    pub notes: Option<&'static str>,
}

/// The commonest spec: the one key at `index`.
pub const fn key(index: i32, flags: KeyFlags) -> KeySpec {
    KeySpec {
        flags,
        begin: Begin::Index(index),
        find: Find::Range {
            last: 0,
            step: 1,
            limit: 0,
        },
        notes: None,
    }
}

/// The one key after `word`, searched for from argument `from` on.
pub const fn after_keyword(word: &'static str, from: i32, flags: KeyFlags) -> KeySpec {
    KeySpec {
        flags,
        begin: Begin::Keyword(word, from),
        find: Find::Range {
            last: 0,
            step: 1,
            limit: 0,
        },
        notes: None,
    }
}

/// A spec whose keys only the command's own key finder can locate.
pub const fn unknown(flags: KeyFlags) -> KeySpec {
    KeySpec {
        flags,
        begin: Begin::Unknown,
        find: Find::Unknown,
        notes: None,
    }
}

impl KeySpec {
    /// Keys up to `last`, every `step` (see `Find::Range`).
    pub const fn range(self, last: i32, step: i32, limit: i32) -> KeySpec {
        KeySpec {
            find: Find::Range { last, step, limit },
            ..self
        }
    }
    /// A key count at `index`, keys from `first`, every `step` (see `Find::Keynum`).
    pub const fn keynum(self, index: i32, first: i32, step: i32) -> KeySpec {
        KeySpec {
            find: Find::Keynum { index, first, step },
            ..self
        }
    }
    pub const fn notes(self, notes: &'static str) -> KeySpec {
        KeySpec {
            notes: Some(notes),
            ..self
        }
    }
}

// ---- groups ----

/// The COMMAND DOCS group, which is also redis-cli's HELP @group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    Generic,
    String,
    List,
    Set,
    SortedSet,
    Hash,
    Pubsub,
    Transactions,
    Connection,
    Server,
    Scripting,
    Hyperloglog,
    Cluster,
    Geo,
    Stream,
    Bitmap,
}

impl Group {
    /// redis-cli's help groups, in its order.
    pub const ALL: [Group; 16] = [
        Group::Generic,
        Group::String,
        Group::List,
        Group::Set,
        Group::SortedSet,
        Group::Hash,
        Group::Pubsub,
        Group::Transactions,
        Group::Connection,
        Group::Server,
        Group::Scripting,
        Group::Hyperloglog,
        Group::Cluster,
        Group::Geo,
        Group::Stream,
        Group::Bitmap,
    ];

    pub const fn name(self) -> &'static str {
        match self {
            Group::Generic => "generic",
            Group::String => "string",
            Group::List => "list",
            Group::Set => "set",
            Group::SortedSet => "sorted-set",
            Group::Hash => "hash",
            Group::Pubsub => "pubsub",
            Group::Transactions => "transactions",
            Group::Connection => "connection",
            Group::Server => "server",
            Group::Scripting => "scripting",
            Group::Hyperloglog => "hyperloglog",
            Group::Cluster => "cluster",
            Group::Geo => "geo",
            Group::Stream => "stream",
            Group::Bitmap => "bitmap",
        }
    }

    /// The group called `name` (case-insensitive), as HELP @name spells it.
    pub fn by_name(name: &[u8]) -> Option<Group> {
        Group::ALL
            .into_iter()
            .find(|g| g.name().as_bytes().eq_ignore_ascii_case(name))
    }
}

// ---- the playground's facts ----

/// Where a blocking command's keys and timeout are: how the server narrows it to the one
/// key that became ready when it serves a waiting client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Block {
    /// `BLPOP key [key ...] timeout`: keys from 1 to the last but one, the timeout last.
    KeysThenTimeout,
    /// `BLMOVE source destination … timeout`: the one key at 1, the timeout last.
    FirstKey,
    /// `BLMPOP timeout numkeys key [key ...] …`: the timeout at 1, the key count at 2.
    TimeoutNumkeys,
    /// `XREAD [COUNT n] [BLOCK ms] STREAMS key [key ...] id [id ...]`: the timeout after
    /// BLOCK, the keys in the first half after STREAMS, each key's id in the second.
    Streams,
    /// XREADGROUP: XREAD's layout (with GROUP group consumer among the options), served
    /// with an error when its stream or its group goes away while it waits.
    GroupStreams,
}

/// How many arguments an XREAD/XREADGROUP option takes, itself included.
fn option_len(word: &[u8]) -> usize {
    if word.eq_ignore_ascii_case(b"group") {
        3
    } else if word.eq_ignore_ascii_case(b"count") || word.eq_ignore_ascii_case(b"block") {
        2
    } else {
        1
    }
}

/// Where XREAD's or XREADGROUP's STREAMS keyword is and where its BLOCK timeout is,
/// walking the options as Redis does (a group named `streams` is not the keyword).
fn stream_options(argv: &[Vec<u8>]) -> (Option<usize>, Option<usize>) {
    let (mut streams, mut block) = (None, None);
    let mut j = 1;
    while j < argv.len() {
        if argv[j].eq_ignore_ascii_case(b"streams") {
            streams = Some(j);
            break;
        }
        if argv[j].eq_ignore_ascii_case(b"block") {
            block = Some(j + 1);
        }
        j += option_len(&argv[j]);
    }
    (streams, block)
}

impl Block {
    /// The keys a command line waits on, and the index of its timeout argument; None when
    /// the line doesn't have the layout's shape.
    pub fn keys_and_timeout(self, argv: &[Vec<u8>]) -> Option<(&[Vec<u8>], usize)> {
        let last = argv.len().checked_sub(1)?;
        match self {
            Block::KeysThenTimeout => Some((argv.get(1..last)?, last)),
            Block::FirstKey => Some((argv.get(1..2)?, last)),
            Block::Streams | Block::GroupStreams => {
                let (streams, block) = stream_options(argv);
                let streams = streams?;
                let n = (argv.len() - streams - 1) / 2;
                Some((argv.get(streams + 1..streams + 1 + n)?, block?))
            }
            Block::TimeoutNumkeys => {
                let n = crate::num::parse_i64(argv.get(2)?)?;
                let n = usize::try_from(n).ok()?;
                Some((argv.get(3..3usize.checked_add(n)?)?, 1))
            }
        }
    }

    /// The command line that serves a waiting client from `key` alone.
    pub fn narrowed(self, argv: &[Vec<u8>], key: &[u8]) -> Vec<Vec<u8>> {
        match self {
            Block::KeysThenTimeout if argv.len() >= 3 => {
                vec![argv[0].clone(), key.to_vec(), argv[argv.len() - 1].clone()]
            }
            Block::TimeoutNumkeys if argv.len() >= 3 => {
                let n = self
                    .keys_and_timeout(argv)
                    .map_or(0, |(keys, _)| keys.len());
                let mut out = vec![
                    argv[0].clone(),
                    argv[1].clone(),
                    b"1".to_vec(),
                    key.to_vec(),
                ];
                out.extend_from_slice(argv.get(3 + n..).unwrap_or(&[]));
                out
            }
            Block::Streams | Block::GroupStreams => {
                // XREAD [COUNT n] STREAMS key id, for the one key (no BLOCK: it is served).
                let Some((keys, _)) = self.keys_and_timeout(argv) else {
                    return argv.to_vec();
                };
                let n = keys.len();
                let Some(i) = keys.iter().position(|k| k == key) else {
                    return argv.to_vec();
                };
                let streams = argv.len() - 2 * n - 1;
                let mut out = vec![argv[0].clone()];
                // Every option but BLOCK, with its arguments.
                let mut j = 1;
                while j < streams {
                    let take = option_len(&argv[j]);
                    if !argv[j].eq_ignore_ascii_case(b"block") {
                        out.extend_from_slice(&argv[j..(j + take).min(streams)]);
                    }
                    j += take;
                }
                out.push(argv[streams].clone());
                out.push(key.to_vec());
                out.push(argv[streams + 1 + n + i].clone());
                out
            }
            _ => argv.to_vec(),
        }
    }
}

/// What a command does inside MULTI.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InMulti {
    /// Queued until EXEC (most commands).
    Queued,
    /// Runs at once (MULTI, DISCARD, WATCH, QUIT, RESET).
    RunsNow,
    /// EXEC itself: runs the queue; a rejected EXEC discards the transaction.
    Exec,
}

/// The shape of a reply for the page's table view (the reply is an array unless said).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Plain values, one per row: `# | <column>`.
    List(&'static str),
    /// A flat a, b, a, b… array: two columns.
    Pairs(&'static str, &'static str),
    /// Pairs only when the option word is on the line (`WITHSCORES`), else a list.
    PairsWith(&'static str, &'static str, &'static str),
    /// One value per argument from index `from` on: the argument, then the value.
    PerArg(usize, &'static str, &'static str),
    /// `[cursor, items]` (the SCAN family): the items as the inner shape.
    Scan(&'static Shape),
    /// `[key, items]` (LMPOP, ZMPOP): the items as the inner shape.
    Popped(&'static Shape),
    /// `[[a, b], [a, b], …]`: two columns from pairs.
    Nested(&'static str, &'static str),
    /// One row with these columns (BLPOP: key, value).
    Row(&'static [&'static str]),
}

/// Whether a share link (commands from anybody, run with one click) may run the command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Link {
    Allowed,
    /// Never, for this reason (it would take the console over, close it, …).
    Refused(&'static str),
    /// Only while the integer argument at `arg` is at most `max` in size (`what` it is).
    Bounded {
        arg: usize,
        max: i64,
        what: &'static str,
    },
}

/// Which arguments of a pub/sub command are channels, and how ACLs check them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channels {
    /// PUBLISH channel message: the channel at 1, published to.
    Publish,
    /// SUBSCRIBE channel [channel ...]: every argument, subscribed to.
    Subscribe,
    /// PSUBSCRIBE pattern [pattern ...]: every argument, a pattern (checked literally).
    Pattern,
}

impl Channels {
    /// The channel arguments of a line, each with whether it is a pattern.
    pub fn positions(self, argv: &[Vec<u8>]) -> Vec<(usize, bool)> {
        match self {
            Channels::Publish => (argv.len() > 1).then_some((1, false)).into_iter().collect(),
            Channels::Subscribe => (1..argv.len()).map(|i| (i, false)).collect(),
            Channels::Pattern => (1..argv.len()).map(|i| (i, true)).collect(),
        }
    }
}

/// A key's flags for one command line, where its spec says VARIABLE_FLAGS.
pub type KeyFlagsFinder = fn(&[Vec<u8>]) -> KeyFlags;

/// Finds a command line's keys where key specs can't (SORT's BY/GET/STORE).
pub type KeysFinder = fn(&[Vec<u8>]) -> Vec<usize>;

/// The flags a command line runs with where a script declares its own (EVAL of a
/// `#!lua flags=…` script, FCALL of a `no-writes` function): Redis's
/// `evalGetCommandFlags` and `fcallGetCommandFlags`.
pub type ScriptFlagsFinder = fn(&crate::server::Server, &[Vec<u8>]) -> Flags;

/// One command, as Redis 7.0 describes it. The interface facts (arity, flags, ACL
/// categories, key positions, key specs, tips) are Redis's, so COMMAND INFO prints what a
/// real server prints; summaries and syntax lines are ours.
pub struct Command {
    /// Full lower-case name: `get`, or `object|encoding` for a sub-command.
    pub name: &'static str,
    /// Redis convention: N means exactly N words, -N at least N, counting the name.
    pub arity: i32,
    pub flags: Flags,
    pub acl: Acl,
    /// Legacy first key, last key, step.
    pub keys: (i32, i32, i32),
    pub key_specs: &'static [KeySpec],
    /// Redis's own key finder, for the commands whose keys specs can't locate.
    pub find_keys: Option<KeysFinder>,
    pub tips: &'static [&'static str],
    pub group: Group,
    pub since: &'static str,
    pub complexity: &'static str,
    pub summary: &'static str,
    /// The arguments after the name, in the Redis docs' notation.
    pub syntax: &'static str,
    pub handler: Handler,
    pub subcommands: &'static [Command],
    /// How a blocking command waits (None for the others).
    pub block: Option<Block>,
    pub in_multi: InMulti,
    pub shape: Shape,
    pub link: Link,
    /// Where the command names pub/sub channels (for ACL channel permissions).
    pub channels: Option<Channels>,
    /// For a key spec with VARIABLE_FLAGS, the flags this line's key really has (SET with
    /// or without GET), as Redis's own key finder reports them.
    pub variable_key_flags: Option<KeyFlagsFinder>,
    /// For the script commands, the flags a line runs with (see `ScriptFlagsFinder`).
    pub script_flags: Option<ScriptFlagsFinder>,
}

/// Every field at its commonest value, for table entries to spread (`..BASE`): the
/// playground's facts most commands share are here (queued in MULTI, a plain reply,
/// allowed in share links), so an entry only names what is particular to it.
pub const BASE: Command = Command {
    name: "",
    arity: 1,
    flags: Flags::NONE,
    acl: Acl::NONE,
    keys: (0, 0, 0),
    key_specs: &[],
    find_keys: None,
    tips: &[],
    group: Group::Generic,
    since: "1.0.0",
    complexity: "O(1)",
    summary: "",
    syntax: "",
    handler: super::container_handler,
    subcommands: &[],
    block: None,
    in_multi: InMulti::Queued,
    shape: Shape::List("value"),
    link: Link::Allowed,
    channels: None,
    variable_key_flags: None,
    script_flags: None,
};

impl Command {
    pub fn has_flag(&self, flag: Flags) -> bool {
        self.flags.contains(flag)
    }

    pub fn is_write(&self) -> bool {
        self.has_flag(Flags::WRITE)
    }

    /// Whether the command came after Redis 7.0, the version the playground emulates (the
    /// hash-field TTL commands of 7.4 and 8.0).
    pub fn is_after_emulated(&self) -> bool {
        let mut parts = self.since.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
        let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
        (major, minor) > (7, 0)
    }

    /// The name as HELP and the docs write it: `GET`, `OBJECT ENCODING`.
    pub fn display_name(&self) -> String {
        self.name.replace('|', " ").to_ascii_uppercase()
    }

    pub fn arity_ok(&self, argc: usize) -> bool {
        let argc = argc as i64;
        let arity = self.arity as i64;
        if arity >= 0 {
            argc == arity
        } else {
            argc >= -arity
        }
    }

    /// Whether a share link may run it: a blocking command never (it would wait for data).
    pub fn link_policy(&self) -> Link {
        if self.has_flag(Flags::BLOCKING) && self.link == Link::Allowed {
            Link::Refused("a blocking command (it would wait for data)")
        } else {
            self.link
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_sets_print_in_redis_order_whatever_order_they_were_written_in() {
        let f = flags![FAST, WRITE, DENYOOM, SUBSCRIBED_OK];
        assert_eq!(f.names().collect::<Vec<_>>(), ["write", "denyoom", "fast"]);
        assert!(f.contains(Flags::SUBSCRIBED_OK));
        assert!(!f.contains(Flags::READONLY));
        assert!(!f.contains(Flags::NONE));
        assert_eq!(
            acl![FAST, HASH, WRITE].names().collect::<Vec<_>>(),
            ["@write", "@hash", "@fast"]
        );
        assert_eq!(Acl::by_name("@Hash"), Some(Acl::HASH));
        assert_eq!(Flags::by_name(""), None);
    }

    #[test]
    fn blocking_layouts_find_keys_and_narrow_to_one_key() {
        let argv = |s: &str| -> Vec<Vec<u8>> { s.split(' ').map(|w| w.into()).collect() };
        let blpop = argv("BLPOP a b 5");
        let (keys, t) = Block::KeysThenTimeout.keys_and_timeout(&blpop).unwrap();
        assert_eq!((keys.len(), t), (2, 3));
        assert_eq!(
            Block::KeysThenTimeout.narrowed(&blpop, b"b"),
            argv("BLPOP b 5")
        );
        let blmpop = argv("BLMPOP 0 2 a b LEFT COUNT 3");
        let (keys, t) = Block::TimeoutNumkeys.keys_and_timeout(&blmpop).unwrap();
        assert_eq!((keys.len(), t), (2, 1));
        assert_eq!(
            Block::TimeoutNumkeys.narrowed(&blmpop, b"b"),
            argv("BLMPOP 0 1 b LEFT COUNT 3")
        );
        assert_eq!(
            Block::TimeoutNumkeys.keys_and_timeout(&argv("BLMPOP 0 9 a")),
            None
        );
        assert_eq!(
            Block::TimeoutNumkeys.keys_and_timeout(&argv("BLMPOP 0 18446744073709551615 a")),
            None
        );
    }
}
