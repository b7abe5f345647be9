//! Redis Playground: a Redis 7.0 keyspace engine that runs anywhere Rust does, and in a
//! browser tab through WebAssembly (`wasm.rs` is the only browser-specific code).
//!
//! A [`Session`] is what a console talks to: a server, one client of it, the world clock,
//! and redis-cli's prompt state. `Session::exec` takes a line as typed into redis-cli and
//! returns exactly what `redis-cli --no-raw` would print.

pub mod blocking;
pub mod cli;
pub mod clock;
pub mod commands;
mod crc32;
pub mod db;
pub mod error;
pub mod glob;
pub mod help;
pub mod inspect;
pub mod num;
pub mod packed;
pub mod persist;
pub mod reply;
pub mod retry;
pub mod server;
pub mod session;
mod slab;
mod sorting;
pub mod syntax;
pub mod types;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use reply::Reply;
pub use session::Session;
