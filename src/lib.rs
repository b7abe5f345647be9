//! Redis Playground: a Redis 7.0 keyspace engine that runs anywhere Rust does, and in a
//! browser tab through WebAssembly (`wasm.rs` is the only browser-specific code).
//!
//! A [`World`] is everything a page runs: one server, its consoles (each a client with
//! redis-cli's behaviour), the world clock and the retry simulation. `World::exec` (or
//! `world.console(id).exec`) takes a line as typed into redis-cli and returns exactly what
//! `redis-cli --no-raw` would print.

pub mod cli;
mod clock;
pub mod commands;
mod crc32;
mod db;
mod error;
mod glob;
pub mod help;
mod inspect;
pub mod memory;
pub mod num;
#[cfg(any(target_arch = "wasm32", test))]
mod packed;
pub mod persist;
mod rdb;
pub mod reply;
pub mod retry;
pub mod scripting;
pub mod server;
pub mod session;
mod slab;
mod sorting;
mod syntax;
pub mod types;
pub mod world;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use reply::Reply;

/// The Redis version the playground answers as (INFO, HELLO, LOLWUT, the RDB header).
pub const REDIS_VERSION: &str = "7.0.15";
pub use world::World;
