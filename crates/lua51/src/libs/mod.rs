//! The libraries Redis opens in its Lua state.
