//! A list. Redis 7.0 keeps every list in a quicklist (a linked list of listpacks), so
//! OBJECT ENCODING always says `quicklist`; a ring buffer gives us O(1) at both ends and
//! O(1) LINDEX.

use std::collections::VecDeque;

pub type List = VecDeque<Vec<u8>>;

pub fn encoding(_: &List) -> &'static str {
    "quicklist"
}
