//! Lua 5.1's grammar, to `ast`.
