//! A Lua 5.1 interpreter for Redis Playground's scripts.
//!
//! Redis embeds Lua 5.1; scripts a learner writes must behave here as they do there:
//! numbers are doubles written with `%.14g`, tables keep Lua 5.1's layout (so `pairs`
//! order and `#t` match), errors carry Lua 5.1's texts and `chunk:line:` positions.
//! The VM is stackless for Lua-to-Lua calls and runs on a budget: `Vm::resume` returns
//! `Step::Yield` when its fuel runs out, so a runaway script never freezes a browser tab.

pub mod args;
pub mod ast;
pub mod compile;
pub mod coroutine;
pub mod lexer;
pub mod libs;
pub mod parser;
pub mod table;
pub mod value;
pub mod vm;

pub use value::{
    fmt_number, str2number, Func, LuaError, LuaResult, LuaStr, Native, NativeFn, TableRef, Value,
};
pub use vm::{Ctx, Host, NoHost, Step, Vm};
