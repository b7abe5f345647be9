//! Lua 5.1's tokens.
