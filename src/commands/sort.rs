//! SORT and SORT_RO. (Being written: data operations first, then handlers, then the table entries.)

use super::Command;

pub const COMMANDS: &[Command] = &[];
