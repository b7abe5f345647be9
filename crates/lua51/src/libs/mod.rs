//! The libraries Redis opens in its Lua state.

pub mod base;
pub mod bit;
pub mod cjson;
pub mod cmsgpack;
pub mod math;
pub mod patterns;
pub mod string;
pub mod structlib;
pub mod table;

use crate::vm::Vm;

/// Opens every library Redis 7.0 loads into `vm.globals`, in Redis's order (the order
/// decides where each name sits in `_G`, and so what `pairs(_G)` visits first).
pub fn open_all(vm: &mut Vm) {
    base::open(vm);
    crate::coroutine::open(vm);
    table::open(vm);
    string::open(vm);
    math::open(vm);
    cjson::open(vm);
    structlib::open(vm);
    cmsgpack::open(vm);
    bit::open(vm);
}
