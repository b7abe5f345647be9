//! The virtual machine (API first; the interpreter loop follows).

use std::cell::{RefCell, RefMut};
use std::rc::Rc;

use crate::value::{LuaError, LuaResult, LuaStr, Native, TableRef, Value};

/// What the embedding program gives scripts: functions registered with `Vm::host_function`
/// land here with their number.
pub trait Host {
    fn host_call(&mut self, vm: &mut Vm, id: u32, args: Vec<Value>) -> LuaResult<Vec<Value>>;
}

/// A host with no functions (tests, pure Lua).
pub struct NoHost;
impl Host for NoHost {
    fn host_call(&mut self, _: &mut Vm, _: u32, _: Vec<Value>) -> LuaResult<Vec<Value>> {
        Err(LuaError::msg("no host functions here"))
    }
}

/// A Lua function value: its compiled prototype, its captured variables and its
/// environment (the table globals are read from, as in Lua 5.1).
pub struct Closure {
    pub proto: Rc<crate::compile::Proto>,
    pub upvals: Vec<Rc<RefCell<Value>>>,
    pub env: TableRef,
}

/// What a native function sees: the VM (to call back into Lua), the host, and itself.
pub struct Ctx<'a> {
    pub vm: &'a mut Vm,
    pub host: &'a mut dyn Host,
    pub native: Rc<Native>,
}

impl Ctx<'_> {
    /// The native's name, for `bad argument #1 to 'name'`.
    pub fn name(&self) -> &'static str {
        self.native.name
    }
    /// The native's own state (gmatch's position and such).
    pub fn state(&self) -> RefMut<'_, Vec<Value>> {
        self.native.state.borrow_mut()
    }
    /// Calls a Lua value (function or `__call`-able) and returns all its results. Runs
    /// to the end without yielding to the host.
    pub fn call(&mut self, f: &Value, args: Vec<Value>) -> LuaResult<Vec<Value>> {
        self.vm.call(self.host, f.clone(), args)
    }
    /// `a < b` as the `<` operator does it (with `__lt`).
    pub fn less_than(&mut self, a: &Value, b: &Value) -> LuaResult<bool> {
        self.vm.less_than(self.host, a, b)
    }
    /// `tostring(v)` with `__tostring`.
    pub fn tostring(&mut self, v: &Value) -> LuaResult<LuaStr> {
        self.vm.tostring(self.host, v)
    }
}

/// How a `resume` ended.
pub enum Step {
    /// The function returned these values.
    Done(Vec<Value>),
    /// The fuel ran out; call `resume` again to go on (or `abort`).
    Yield,
    /// An error escaped the function.
    Error(LuaError),
}

/// The interpreter (stub API; the loop lands next).
pub struct Vm {
    pub globals: TableRef,
    /// The metatable strings share (`("x"):rep(3)` reads `string` through it).
    pub string_meta: Option<TableRef>,
}

impl Default for Vm {
    fn default() -> Self {
        Self::new()
    }
}

impl Vm {
    pub fn new() -> Vm {
        Vm {
            globals: TableRef::new(0, 0),
            string_meta: None,
        }
    }
    pub fn call(
        &mut self,
        host: &mut dyn Host,
        f: Value,
        args: Vec<Value>,
    ) -> LuaResult<Vec<Value>> {
        match f {
            Value::Func(crate::value::Func::Native(native)) => {
                let g = native.f;
                g(
                    &mut Ctx {
                        vm: self,
                        host,
                        native,
                    },
                    args,
                )
            }
            _ => Err(LuaError::msg("not yet")),
        }
    }
    /// `a < b` with Lua's rules and `__lt` (table.sort uses it).
    pub fn less_than(&mut self, _host: &mut dyn Host, a: &Value, b: &Value) -> LuaResult<bool> {
        match (a, b) {
            (Value::Num(x), Value::Num(y)) => Ok(x < y),
            (Value::Str(x), Value::Str(y)) => Ok(x < y),
            _ => Err(LuaError::msg(format!(
                "attempt to compare two {} values",
                a.type_name()
            ))),
        }
    }
    /// Compiles a chunk into a function whose environment is `globals`. `chunk` is the
    /// name errors show (`user_script` gives `user_script:1: ...`). The error is Lua's
    /// message, e.g. `user_script:1: unexpected symbol near '<eof>'`.
    pub fn load(&mut self, _src: &[u8], _chunk: &str) -> Result<Value, String> {
        Err("not yet".into())
    }
    /// Prepares a call of `f` to be run by `resume`.
    pub fn start(&mut self, _f: Value, _args: Vec<Value>) {}
    /// Runs the started call for at most `fuel` instructions.
    pub fn resume(&mut self, _host: &mut dyn Host, _fuel: u32) -> Step {
        Step::Error(LuaError::msg("not yet"))
    }
    /// Drops the started call (SCRIPT KILL).
    pub fn abort(&mut self) {}
    /// Whether a started call has not finished.
    pub fn is_running(&self) -> bool {
        false
    }
    /// A function value that calls `Host::host_call` with `id`; `name` shows in errors.
    pub fn host_function(name: &'static str, id: u32) -> Value {
        Value::native_with(name, host_trampoline, vec![Value::Num(id as f64)])
    }
    pub fn tostring(&mut self, _host: &mut dyn Host, v: &Value) -> LuaResult<LuaStr> {
        Ok(v.to_lua_str()
            .unwrap_or_else(|| LuaStr::from(format!("{v:?}"))))
    }
}

fn host_trampoline(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let id = match ctx.state().first() {
        Some(Value::Num(n)) => *n as u32,
        _ => 0,
    };
    ctx.host.host_call(ctx.vm, id, args)
}
