//! The libraries Redis opens in its Lua state.
pub mod bit;
pub mod cjson;
pub mod cmsgpack;
pub mod math;
pub mod structlib;
