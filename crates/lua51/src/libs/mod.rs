//! The libraries Redis opens in its Lua state.

pub mod base;
pub mod patterns;
pub mod string;
pub mod table;

use crate::vm::Vm;

/// Opens every library Redis 7.0 loads (base, table, string, math, cjson, cmsgpack,
/// struct, bit) into `vm.globals`.
pub fn open_all(vm: &mut Vm) {
    base::open(vm);
    table::open(vm);
    string::open(vm);
}
pub mod bit;
pub mod cjson;
pub mod cmsgpack;
pub mod math;
pub mod structlib;
