//! The libraries Redis opens in its Lua state.
pub mod patterns;
pub mod string;
pub mod table;
