//! Keyspace notifications: the event classes, the `notify-keyspace-events` letters that
//! switch them on (one table for both directions), and publishing an event.

use super::Server;

/// A class of keyspace event, as `notify-keyspace-events` selects them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Generic,
    String,
    List,
    Set,
    Hash,
    ZSet,
    Expired,
    Evicted,
    Stream,
    KeyMiss,
    Module,
    New,
}

/// The flag bits of `notify-keyspace-events`: the event classes and where events go
/// (`K` keyspace channels, `E` keyevent channels).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NotifyFlags(u32);

const KEYSPACE: u32 = 1 << 0;
const KEYEVENT: u32 = 1 << 1;

/// Every letter with what it switches on, in the order CONFIG GET writes them (after
/// `A`, which stands for every class marked as part of it).
const LETTERS: [(u8, Option<Class>, u32); 14] = [
    (b'g', Some(Class::Generic), 1 << 2),
    (b'$', Some(Class::String), 1 << 3),
    (b'l', Some(Class::List), 1 << 4),
    (b's', Some(Class::Set), 1 << 5),
    (b'h', Some(Class::Hash), 1 << 6),
    (b'z', Some(Class::ZSet), 1 << 7),
    (b'x', Some(Class::Expired), 1 << 8),
    (b'e', Some(Class::Evicted), 1 << 9),
    (b't', Some(Class::Stream), 1 << 10),
    (b'd', Some(Class::Module), 1 << 12),
    (b'n', Some(Class::New), 1 << 13),
    (b'K', None, KEYSPACE),
    (b'E', None, KEYEVENT),
    (b'm', Some(Class::KeyMiss), 1 << 11),
];

/// `A`: every class but key-miss and new-key.
const ALL: u32 = (1 << 2)
    | (1 << 3)
    | (1 << 4)
    | (1 << 5)
    | (1 << 6)
    | (1 << 7)
    | (1 << 8)
    | (1 << 9)
    | (1 << 10)
    | (1 << 12);

/// The letters after `A` in canonical order: the classes `A` doesn't cover come after it.
const SHOWN_AFTER_CLASSES: [u8; 3] = [b'K', b'E', b'm'];

impl Class {
    fn bit(self) -> u32 {
        LETTERS
            .iter()
            .find(|(_, c, _)| *c == Some(self))
            .map_or(0, |(_, _, bit)| *bit)
    }
}

impl NotifyFlags {
    pub const NONE: NotifyFlags = NotifyFlags(0);

    /// Parse `notify-keyspace-events` letters; None for an unknown letter.
    pub const fn parse(letters: &[u8]) -> Option<NotifyFlags> {
        let mut f = 0;
        let mut i = 0;
        while i < letters.len() {
            let c = letters[i];
            if c == b'A' {
                f |= ALL;
            } else {
                let mut j = 0;
                while j < LETTERS.len() && LETTERS[j].0 != c {
                    j += 1;
                }
                if j == LETTERS.len() {
                    return None;
                }
                f |= LETTERS[j].2;
            }
            i += 1;
        }
        Some(NotifyFlags(f))
    }

    /// The letters CONFIG GET shows, in Redis's canonical order.
    pub fn letters(self) -> String {
        let mut s = String::new();
        let all = self.0 & ALL == ALL;
        if all {
            s.push('A');
        }
        for (letter, class, bit) in LETTERS {
            let after = SHOWN_AFTER_CLASSES.contains(&letter);
            if self.0 & bit != 0 && !after && !(all && class.is_some()) {
                s.push(letter as char);
            }
        }
        for letter in SHOWN_AFTER_CLASSES {
            if let Some((_, _, bit)) = LETTERS.iter().find(|(l, _, _)| *l == letter) {
                if self.0 & bit != 0 {
                    s.push(letter as char);
                }
            }
        }
        s
    }

    /// These flags plus those of `other`.
    pub fn with(self, other: NotifyFlags) -> NotifyFlags {
        NotifyFlags(self.0 | other.0)
    }

    /// Whether every flag of `other` is on.
    pub fn covers(self, other: NotifyFlags) -> bool {
        self.0 & other.0 == other.0
    }

    /// Events of `class` go somewhere (a class letter and K or E are on).
    pub fn wants(self, class: Class) -> bool {
        self.0 & class.bit() != 0 && self.0 & (KEYSPACE | KEYEVENT) != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    fn keyspace(self) -> bool {
        self.0 & KEYSPACE != 0
    }

    fn keyevent(self) -> bool {
        self.0 & KEYEVENT != 0
    }
}

impl Server {
    /// Publish a keyspace event if `notify-keyspace-events` asks for its class: on
    /// `__keyspace@<db>__:<key>` (message: the event) with K, on `__keyevent@<db>__:<event>`
    /// (message: the key) with E. Keys created since the last event go first, as `new`.
    pub fn notify_keyspace_event(&mut self, db: usize, class: Class, event: &str, key: &[u8]) {
        let flags = self.notify_flags;
        if flags.is_empty() {
            return;
        }
        if class != Class::New {
            // A key created by this command (in any db: MOVE creates in the target) is
            // announced as new before the command's own events.
            self.flush_created_keys();
        }
        if !flags.wants(class) {
            return;
        }
        if flags.keyspace() {
            let mut ch = format!("__keyspace@{db}__:").into_bytes();
            ch.extend_from_slice(key);
            self.publish(&ch, event.as_bytes());
        }
        if flags.keyevent() {
            let ch = format!("__keyevent@{db}__:{event}").into_bytes();
            self.publish(&ch, key);
        }
    }

    /// `notify-keyspace-events` as set.
    pub fn notify_flags(&self) -> NotifyFlags {
        self.notify_flags
    }

    pub fn set_notify_flags(&mut self, flags: NotifyFlags) {
        self.notify_flags = flags;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_round_trip_in_redis_canonical_form() {
        for (input, shown) in [
            ("KEA", "AKE"),
            ("Ex", "xE"),
            ("gK", "gK"),
            ("Am", "Am"),
            ("", ""),
            ("lsK$", "$lsK"),
            ("nE", "nE"),
            // Redis leaves `n` out after `A` (it covers every other class).
            ("AnE", "AE"),
        ] {
            let f = NotifyFlags::parse(input.as_bytes()).unwrap();
            assert_eq!(f.letters(), shown, "{input}");
        }
        assert_eq!(NotifyFlags::parse(b"xyz"), None);
    }

    #[test]
    fn a_class_is_wanted_only_with_somewhere_to_send_it() {
        let f = NotifyFlags::parse(b"x").unwrap();
        assert!(!f.wants(Class::Expired));
        let f = NotifyFlags::parse(b"xE").unwrap();
        assert!(f.wants(Class::Expired) && !f.wants(Class::List));
        assert!(NotifyFlags::parse(b"AK").unwrap().wants(Class::Generic));
        assert!(!NotifyFlags::parse(b"AK").unwrap().wants(Class::KeyMiss));
    }
}
