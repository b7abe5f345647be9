//! The virtual machine: runs compiled functions register by register. Lua-to-Lua calls
//! push a frame instead of recursing in Rust, so a call of any depth can stop when its
//! fuel runs out and go on at the next `resume`; natives that call back into Lua
//! (`table.sort`'s comparator, `__index` functions) run a nested loop that cannot yield.

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
    pub upvals: Vec<Rc<RefCell<Upval>>>,
    pub env: TableRef,
}

/// What a native function sees: the VM (to call back into Lua), the host, and itself.
pub struct Ctx<'a> {
    pub vm: &'a mut Vm,
    pub host: &'a mut dyn Host,
    pub native: Rc<Native>,
}

impl Ctx<'_> {
    /// The native's own name.
    pub fn name(&self) -> &'static str {
        self.native.name
    }
    /// How the call site names the native (Lua 5.1's argument errors use it) and whether
    /// it was a method call.
    /// Read from the caller's call instruction only when asked (an argument error), so a
    /// call costs nothing for it: a host calling directly names the native by its own
    /// name, another native calling it gives `'?'`, Lua code the name its register had.
    pub fn site(&self) -> (bool, &str) {
        if self.vm.frames.is_empty() {
            return (false, self.native.name);
        }
        if self.vm.called_from_c {
            return (false, "?");
        }
        match self.vm.call_site() {
            Some(NameDesc::Method(n)) => (true, n),
            Some(d) => (false, d.name()),
            None => (false, "?"),
        }
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

/// A captured variable: still a register of a running function, or closed over.
pub enum Upval {
    /// A register of a running function: the stack it lives in (its thread's parking
    /// place, `Vm::thread`) and its index there.
    Open(Rc<RefCell<Vec<Value>>>, usize),
    Closed(Value),
}

#[derive(Clone)]
pub(crate) enum FrameKind {
    /// An ordinary Lua call.
    Normal,
    /// The function `pcall` runs: an error stops here and becomes `false, message`.
    Pcall,
    /// The function `xpcall` runs, with its message handler.
    Xpcall(Value),
    /// The first frame of a run (`start`/`call`): returning from it ends the run.
    Entry,
}

pub(crate) struct Frame {
    closure: Rc<Closure>,
    pc: usize,
    base: usize,
    /// Where the results go and how many are wanted (MULTI: all).
    ret: usize,
    nres: u16,
    varargs: Vec<Value>,
    pub(crate) kind: FrameKind,
}

/// Lua 5.1's limit on nested calls (LUAI_MAXCALLS) and on natives calling back into
/// Lua (LUAI_MAXCCALLS).
const MAX_CALLS: usize = 20000;
const MAX_NESTED: u32 = 200;
/// Instructions a nested (non-yielding) run may take before the script is stopped.
const NESTED_LIMIT: u64 = 500_000_000;
/// What a script stopped for lack of memory says (Lua's LUA_ERRMEM message).
pub const OUT_OF_MEMORY: &str = "not enough memory";
/// `__index` chains longer than this are a loop (MAXTAGLOOP).
const MAX_TAG_LOOP: usize = 100;

/// The interpreter: globals, the string metatable, and the call in progress.
pub struct Vm {
    pub globals: TableRef,
    /// The metatable strings share (`("x"):rep(3)` reads `string` through it).
    pub string_meta: Option<TableRef>,
    pub(crate) stack: Vec<Value>,
    pub(crate) frames: Vec<Frame>,
    pub(crate) open_upvals: Vec<(usize, Rc<RefCell<Upval>>)>,
    pub(crate) top: usize,
    pub(crate) nested: u32,
    /// The running thread's identity: where its stack is parked while another thread runs
    /// (empty while it runs: the stack is then `stack`).
    pub(crate) thread: Rc<RefCell<Vec<Value>>>,
    /// The running coroutine (None: the main thread) and the nesting its resume began at.
    pub(crate) coroutine: Option<Rc<RefCell<crate::coroutine::Coroutine>>>,
    pub(crate) co_nested: u32,
    /// What `coroutine.yield` passed, and where the values of the next resume go.
    pub(crate) co_yield: Option<Vec<Value>>,
    pub(crate) co_dest: Option<(usize, u16)>,
    fuel: u32,
    nested_spent: u64,
    /// Instructions run since the VM was made (INFO and benchmarks).
    pub instructions: u64,
    /// Where the last error that escaped a run was raised: the line of the innermost Lua
    /// function then (Redis's error handler names it: `on @user_script:3.`), even when
    /// the message itself carries no position.
    pub error_line: Option<u32>,
    /// Asked every 1,024 instructions: true when the host is out of memory, and the script
    /// stops with `not enough memory` (pcall can't catch it), so a script that allocates
    /// without bound can't take the page down.
    pub out_of_memory: Option<fn() -> bool>,
    /// A call prepared by `start` whose function is a native (run at the first resume).
    pending_native: Option<(Value, Vec<Value>)>,
    /// The running native was called by another native (pcall, sort...), not by Lua code:
    /// its errors get no `chunk:line:` (Lua's level 1 is then a C function).
    pub(crate) called_from_c: bool,
}

impl Default for Vm {
    fn default() -> Self {
        Self::new()
    }
}

enum Flow {
    /// The entry frame returned these values.
    Done(Vec<Value>),
    Yield,
}

use crate::compile::{Arith, Cmp, NameDesc, Op, Proto, Rk, UpvalFrom, MULTI};
use crate::value::{fmt_number, Func};

impl Vm {
    pub fn new() -> Vm {
        Vm {
            globals: TableRef::new(0, 0),
            string_meta: None,
            stack: Vec::new(),
            frames: Vec::new(),
            open_upvals: Vec::new(),
            top: 0,
            nested: 0,
            thread: Rc::new(RefCell::new(Vec::new())),
            coroutine: None,
            co_nested: 0,
            co_yield: None,
            co_dest: None,
            fuel: 0,
            nested_spent: 0,
            instructions: 0,
            error_line: None,
            out_of_memory: None,
            pending_native: None,
            called_from_c: false,
        }
    }

    /// Compiles a chunk into a function whose environment is `globals`. `chunk` is the
    /// name errors show (`user_script` gives `user_script:1: ...`). The error is Lua's
    /// message, e.g. `user_script:1: unexpected symbol near '<eof>'`.
    pub fn load(&mut self, src: &[u8], chunk: &str) -> Result<Value, String> {
        self.load_as(src, chunk, chunk)
    }

    /// `load` with the two names Lua 5.1 makes of a chunk name: one for syntax errors
    /// (cut to 80 bytes) and one for run-time positions (cut to 60).
    pub fn load_as(
        &mut self,
        src: &[u8],
        compile_name: &str,
        run_name: &str,
    ) -> Result<Value, String> {
        let ast = crate::parser::parse(src, compile_name)?;
        let proto = crate::compile::compile(&ast, run_name)?;
        Ok(Value::Func(Func::Lua(Rc::new(Closure {
            proto,
            upvals: Vec::new(),
            env: self.globals.clone(),
        }))))
    }

    /// A function value that calls `Host::host_call` with `id`; `name` shows in errors.
    pub fn host_function(name: &'static str, id: u32) -> Value {
        Value::native_with(name, host_trampoline, vec![Value::Num(id as f64)])
    }

    /// Prepares a call of `f` to be run by `resume`.
    pub fn start(&mut self, f: Value, args: Vec<Value>) {
        self.abort();
        self.error_line = None;
        self.nested_spent = 0;
        match &f {
            Value::Func(Func::Lua(c)) => {
                let c = c.clone();
                let func = self.stack.len();
                self.stack.push(f.clone());
                self.stack.extend(args);
                let nargs = self.stack.len() - func - 1;
                let _ = self.push_lua_frame(c, func, nargs, func, MULTI, FrameKind::Entry);
            }
            _ => self.pending_native = Some((f, args)),
        }
    }

    /// Runs the started call for at most `fuel` instructions.
    pub fn resume(&mut self, host: &mut dyn Host, fuel: u32) -> Step {
        if let Some((f, args)) = self.pending_native.take() {
            return match self.call(host, f, args) {
                Ok(v) => Step::Done(v),
                Err(e) => Step::Error(self.finish_error(e)),
            };
        }
        if self.frames.is_empty() {
            return Step::Error(LuaError::Abort("no script is running".into()));
        }
        self.fuel = fuel.max(1);
        match self.execute(host, 0) {
            Ok(Flow::Done(v)) => {
                self.stack.clear();
                Step::Done(v)
            }
            Ok(Flow::Yield) => Step::Yield,
            Err(e) => {
                self.abort();
                Step::Error(self.finish_error(e))
            }
        }
    }

    /// An error leaving the VM is a value (a message without position gets none).
    fn finish_error(&self, e: LuaError) -> LuaError {
        match e {
            LuaError::Msg(m) => LuaError::Value(Value::str(&m)),
            other => other,
        }
    }

    /// Drops the started call (SCRIPT KILL).
    pub fn abort(&mut self) {
        self.frames.clear();
        self.open_upvals.clear();
        self.stack.clear();
        self.pending_native = None;
        self.nested = 0;
    }

    /// Whether a started call has not finished.
    pub fn is_running(&self) -> bool {
        !self.frames.is_empty() || self.pending_native.is_some()
    }

    /// Calls `f` and runs it to its end (natives calling back into Lua; hosts running a
    /// short function). Errors come back as they would to `pcall`.
    pub fn call(
        &mut self,
        host: &mut dyn Host,
        f: Value,
        args: Vec<Value>,
    ) -> LuaResult<Vec<Value>> {
        match f {
            Value::Func(Func::Native(native)) => {
                let r = self.invoke_native(host, native, args, true);
                // a message raised here has no Lua function at level 1: no position
                r.map_err(|e| match e {
                    LuaError::Msg(m) => LuaError::Value(Value::str(&m)),
                    e => e,
                })
            }
            Value::Func(Func::Lua(c)) => {
                if self.nested >= MAX_NESTED {
                    return Err(LuaError::msg("C stack overflow"));
                }
                let depth = self.frames.len();
                let func = self.stack_top();
                self.ensure(func + 1 + args.len());
                self.stack[func] = Value::Func(Func::Lua(c.clone()));
                let nargs = args.len();
                for (i, a) in args.into_iter().enumerate() {
                    self.stack[func + 1 + i] = a;
                }
                self.push_lua_frame(c, func, nargs, func, MULTI, FrameKind::Entry)?;
                self.nested += 1;
                let r = self.execute(host, depth);
                self.nested -= 1;
                match r {
                    Ok(Flow::Done(v)) => Ok(v),
                    Ok(Flow::Yield) => Err(LuaError::Abort("a nested call tried to yield".into())),
                    Err(e) => {
                        self.close_upvals(func);
                        self.frames.truncate(depth);
                        Err(e)
                    }
                }
            }
            other => {
                // __call
                let h = self.metamethod(&other, "__call");
                if h.is_nil() {
                    // raised inside the native that called it: no position
                    let m = format!("attempt to call a {} value", other.type_name());
                    return Err(LuaError::Value(Value::str(&m)));
                }
                let mut a = vec![other];
                a.extend(args);
                self.call(host, h, a)
            }
        }
    }

    /// Calls a metamethod on behalf of the running Lua instruction: a native's message
    /// gets that instruction's position, as Lua's level 1 is then the Lua function.
    fn call_meta(
        &mut self,
        host: &mut dyn Host,
        f: Value,
        args: Vec<Value>,
    ) -> LuaResult<Vec<Value>> {
        match f {
            Value::Func(Func::Native(native)) => self.invoke_native(host, native, args, false),
            f => self.call(host, f, args),
        }
    }

    /// Runs a native. `from_c`: called by another native (its messages get no position,
    /// and argument errors name it `'?'`).
    fn invoke_native(
        &mut self,
        host: &mut dyn Host,
        native: Rc<Native>,
        args: Vec<Value>,
        from_c: bool,
    ) -> LuaResult<Vec<Value>> {
        if self.nested >= MAX_NESTED {
            return Err(LuaError::msg("C stack overflow"));
        }
        self.nested += 1;
        let g = native.f;
        let outer = std::mem::replace(&mut self.called_from_c, from_c);
        let r = g(
            &mut Ctx {
                vm: self,
                host,
                native,
            },
            args,
        );
        self.called_from_c = outer;
        self.nested -= 1;
        r
    }

    /// Where a new nested frame may put its function: above every live frame's registers.
    fn stack_top(&self) -> usize {
        let mut t = self.top;
        if let Some(f) = self.frames.last() {
            t = t.max(f.base + f.closure.proto.max_stack as usize);
        }
        t
    }

    fn ensure(&mut self, n: usize) {
        if self.stack.len() < n {
            self.stack.resize(n, Value::Nil);
        }
    }

    fn push_lua_frame(
        &mut self,
        c: Rc<Closure>,
        func: usize,
        nargs: usize,
        ret: usize,
        nres: u16,
        kind: FrameKind,
    ) -> LuaResult<()> {
        if self.frames.len() >= MAX_CALLS {
            return Err(LuaError::msg("stack overflow"));
        }
        let p = &c.proto;
        let np = p.nparams as usize;
        let base = func + 1;
        let mut varargs = Vec::new();
        if p.is_vararg && nargs > np {
            varargs = self.stack[base + np..base + nargs].to_vec();
        }
        let need = base + p.max_stack as usize + 1;
        self.ensure(need);
        for i in nargs.min(np)..(p.max_stack as usize) {
            self.stack[base + i] = Value::Nil;
        }
        if p.arg_local == Some(true) {
            let t = TableRef::new(varargs.len(), 1);
            for (i, v) in varargs.iter().enumerate() {
                t.set_int(i as i64 + 1, v.clone());
            }
            t.set_str("n", Value::Num(varargs.len() as f64));
            self.stack[base + np] = Value::Table(t);
        }
        self.frames.push(Frame {
            closure: c,
            pc: 0,
            base,
            ret,
            nres,
            varargs,
            kind,
        });
        Ok(())
    }

    /// A coroutine's first frame (its function is at stack[0], `nargs` arguments after).
    pub(crate) fn push_lua_frame_for_coroutine(
        &mut self,
        c: Rc<Closure>,
        nargs: usize,
    ) -> LuaResult<()> {
        self.push_lua_frame(c, 0, nargs, 0, MULTI, FrameKind::Entry)
    }

    /// Runs the current coroutine's frames until its function returns (or fails, or yields:
    /// then an Abort comes back with `co_yield` set).
    pub(crate) fn run_coroutine(&mut self, host: &mut dyn Host) -> LuaResult<Vec<Value>> {
        match self.execute(host, 0)? {
            Flow::Done(v) => Ok(v),
            Flow::Yield => Err(LuaError::Abort(
                "a coroutine tried to yield to the host".into(),
            )),
        }
    }

    /// Results into place, as a call's (`MULTI`: all).
    pub(crate) fn place_results(&mut self, dest: usize, vals: Vec<Value>, nres: u16) {
        self.place(dest, vals, nres);
    }

    // ---- the loop ------------------------------------------------------------------

    fn execute(&mut self, host: &mut dyn Host, stop: usize) -> LuaResult<Flow> {
        loop {
            match self.run_frame(host, stop) {
                Ok(Some(flow)) => return Ok(flow),
                Ok(None) => continue,
                Err(e) => {
                    // unwind to the nearest pcall above `stop`
                    let e = self.position_error(e);
                    if let LuaError::Abort(_) = e {
                        return Err(e);
                    }
                    let catch = self.frames[stop..]
                        .iter()
                        .rposition(|f| matches!(f.kind, FrameKind::Pcall | FrameKind::Xpcall(_)))
                        .map(|i| i + stop);
                    let Some(i) = catch else {
                        if stop == 0 {
                            self.error_line = self.current_line();
                        }
                        return Err(e);
                    };
                    let frame_base = self.frames[i].base;
                    let (ret, nres, kind) = (
                        self.frames[i].ret,
                        self.frames[i].nres,
                        self.frames[i].kind.clone(),
                    );
                    self.close_upvals(frame_base - 1);
                    self.frames.truncate(i);
                    let msg = match e {
                        LuaError::Value(v) => v,
                        LuaError::Msg(m) => Value::str(&m),
                        LuaError::Abort(_) => Value::Nil,
                    };
                    let msg = match kind {
                        FrameKind::Xpcall(h) => match self.call(host, h, vec![msg]) {
                            Ok(v) => v.into_iter().next().unwrap_or(Value::Nil),
                            Err(LuaError::Abort(a)) => return Err(LuaError::Abort(a)),
                            Err(_) => Value::str("error in error handling"),
                        },
                        _ => msg,
                    };
                    self.place(ret, vec![Value::Bool(false), msg], nres);
                }
            }
        }
    }

    /// Adds `chunk:line:` to a message raised while a Lua function ran.
    fn position_error(&self, e: LuaError) -> LuaError {
        match e {
            LuaError::Msg(m) => LuaError::Value(Value::str(&format!("{}{}", self.where_(1), m))),
            other => other,
        }
    }

    /// The line the innermost Lua function is at.
    fn current_line(&self) -> Option<u32> {
        let f = self.frames.last()?;
        let p = &f.closure.proto;
        p.lines.get(f.pc.saturating_sub(1)).copied()
    }

    /// `chunk:line: ` of the Lua function `level` frames up (1: the running one), or "".
    pub fn where_(&self, level: usize) -> String {
        if level == 0 || level > self.frames.len() || (level == 1 && self.called_from_c) {
            return String::new();
        }
        let f = &self.frames[self.frames.len() - level];
        let p = &f.closure.proto;
        let pc = f.pc.saturating_sub(1).min(p.lines.len().saturating_sub(1));
        match p.lines.get(pc) {
            Some(line) => format!("{}:{}: ", p.chunk, line),
            None => String::new(),
        }
    }

    /// Writes results to `dest`, padded or cut to `nres` (MULTI: all, setting the top).
    fn place(&mut self, dest: usize, vals: Vec<Value>, nres: u16) {
        let n = if nres == MULTI {
            vals.len()
        } else {
            nres as usize
        };
        self.ensure(dest + n + 1);
        let mut it = vals.into_iter();
        for i in 0..n {
            self.stack[dest + i] = it.next().unwrap_or(Value::Nil);
        }
        if nres == MULTI {
            self.top = dest + n;
        }
    }

    fn close_upvals(&mut self, from: usize) {
        while let Some((idx, uv)) = self.open_upvals.last() {
            if *idx < from {
                break;
            }
            let v = self.stack.get(*idx).cloned().unwrap_or(Value::Nil);
            *uv.borrow_mut() = Upval::Closed(v);
            self.open_upvals.pop();
        }
    }

    fn find_upval(&mut self, idx: usize) -> Rc<RefCell<Upval>> {
        match self.open_upvals.binary_search_by(|(i, _)| i.cmp(&idx)) {
            Ok(p) => self.open_upvals[p].1.clone(),
            Err(p) => {
                let uv = Rc::new(RefCell::new(Upval::Open(self.thread.clone(), idx)));
                self.open_upvals.insert(p, (idx, uv.clone()));
                uv
            }
        }
    }

    fn get_upval(&self, uv: &Rc<RefCell<Upval>>) -> Value {
        match &*uv.borrow() {
            Upval::Open(t, i) if Rc::ptr_eq(t, &self.thread) => {
                self.stack.get(*i).cloned().unwrap_or(Value::Nil)
            }
            Upval::Open(t, i) => t.borrow().get(*i).cloned().unwrap_or(Value::Nil),
            Upval::Closed(v) => v.clone(),
        }
    }

    fn set_upval(&mut self, uv: &Rc<RefCell<Upval>>, v: Value) {
        let mut b = uv.borrow_mut();
        match &mut *b {
            Upval::Open(t, i) if Rc::ptr_eq(t, &self.thread) => {
                let i = *i;
                drop(b);
                self.ensure(i + 1);
                self.stack[i] = v;
            }
            Upval::Open(t, i) => {
                let mut other = t.borrow_mut();
                if let Some(slot) = other.get_mut(*i) {
                    *slot = v;
                }
            }
            Upval::Closed(c) => *c = v,
        }
    }

    /// Runs the top frame until it calls, returns, yields or fails.
    /// `Ok(None)`: the frame stack changed, go on. `Ok(Some)`: the run ended.
    fn run_frame(&mut self, host: &mut dyn Host, stop: usize) -> LuaResult<Option<Flow>> {
        let fi = self.frames.len() - 1;
        let cl = self.frames[fi].closure.clone();
        let p: &Proto = &cl.proto;
        let base = self.frames[fi].base;
        let mut pc = self.frames[fi].pc;
        macro_rules! r {
            ($i:expr) => {
                self.stack[base + $i as usize]
            };
        }
        macro_rules! rk {
            ($x:expr) => {
                match $x {
                    Rk::R(i) => self.stack[base + i as usize].clone(),
                    Rk::K(k) => p.consts[k as usize].clone(),
                }
            };
        }
        macro_rules! fail {
            ($e:expr) => {{
                self.frames[fi].pc = pc;
                return Err($e);
            }};
        }
        loop {
            if self.fuel == 0 {
                if self.nested == 0 {
                    self.frames[fi].pc = pc;
                    return Ok(Some(Flow::Yield));
                }
                self.nested_spent += 10_000;
                if self.nested_spent > NESTED_LIMIT {
                    fail!(LuaError::Abort(
                        "script ran too long inside a library callback".into()
                    ));
                }
                self.fuel = 10_000;
            }
            self.fuel -= 1;
            self.instructions += 1;
            if self.instructions & 1023 == 0 {
                if let Some(oom) = self.out_of_memory {
                    if oom() {
                        fail!(LuaError::Abort(OUT_OF_MEMORY.into()));
                    }
                }
            }
            let Some(&op) = p.code.get(pc) else {
                fail!(LuaError::Abort("ran past the end of a function".into()));
            };
            pc += 1;
            match op {
                Op::LoadNil { a, n } => {
                    for i in 0..n {
                        r!(a + i) = Value::Nil;
                    }
                }
                Op::LoadK { a, k } => r!(a) = p.consts[k as usize].clone(),
                Op::LoadBool { a, b } => r!(a) = Value::Bool(b),
                Op::Move { a, b } => r!(a) = r!(b).clone(),
                Op::GetUpval { a, u } => {
                    let v = match cl.upvals.get(u as usize) {
                        Some(uv) => self.get_upval(uv),
                        None => Value::Nil,
                    };
                    r!(a) = v;
                }
                Op::SetUpval { u, a } => {
                    let v = r!(a).clone();
                    if let Some(uv) = cl.upvals.get(u as usize) {
                        self.set_upval(uv, v);
                    }
                }
                Op::GetGlobal { a, k } => {
                    self.frames[fi].pc = pc;
                    let key = p.consts[k as usize].clone();
                    let v = match cl.env.0.borrow().get(&key) {
                        Value::Nil => None,
                        v => Some(v),
                    };
                    let v = match v {
                        Some(v) => v,
                        None => match self.index(host, Value::Table(cl.env.clone()), &key, None) {
                            Ok(v) => v,
                            Err(e) => fail!(e),
                        },
                    };
                    r!(a) = v;
                }
                Op::SetGlobal { k, a } => {
                    self.frames[fi].pc = pc;
                    let key = p.consts[k as usize].clone();
                    let v = r!(a).clone();
                    if let Err(e) = self.set_index(host, Value::Table(cl.env.clone()), key, v, None)
                    {
                        fail!(e);
                    }
                }
                Op::GetTable { a, t, key } => {
                    let obj = r!(t).clone();
                    let k = rk!(key);
                    let fast = match &obj {
                        Value::Table(tb) => match tb.0.borrow().get(&k) {
                            Value::Nil => None,
                            v => Some(v),
                        },
                        _ => None,
                    };
                    let v = match fast {
                        Some(v) => v,
                        None => {
                            self.frames[fi].pc = pc;
                            let name = p.name_of(pc - 1, t).cloned();
                            match self.index(host, obj, &k, name) {
                                Ok(v) => v,
                                Err(e) => fail!(e),
                            }
                        }
                    };
                    r!(a) = v;
                }
                Op::SetTable { t, key, val } => {
                    let obj = r!(t).clone();
                    let k = rk!(key);
                    let v = rk!(val);
                    self.frames[fi].pc = pc;
                    let name = p.name_of(pc - 1, t).cloned();
                    if let Err(e) = self.set_index(host, obj, k, v, name) {
                        fail!(e);
                    }
                }
                Op::NewTable { a, narr, nhash } => {
                    r!(a) = Value::Table(TableRef::new(narr as usize, nhash as usize));
                }
                Op::SelfOp { a, obj, key } => {
                    let o = r!(obj).clone();
                    let k = rk!(key);
                    self.frames[fi].pc = pc;
                    let name = p.name_of(pc - 1, obj).cloned();
                    let f = match self.index(host, o.clone(), &k, name) {
                        Ok(v) => v,
                        Err(e) => fail!(e),
                    };
                    r!(a + 1) = o;
                    r!(a) = f;
                }
                Op::Arith { op, a, b, c } => {
                    let x = rk!(b);
                    let y = rk!(c);
                    let v = match (&x, &y) {
                        (Value::Num(m), Value::Num(n)) => Value::Num(arith(op, *m, *n)),
                        _ => {
                            self.frames[fi].pc = pc;
                            let names = (
                                if let Rk::R(i) = b {
                                    p.name_of(pc - 1, i).cloned()
                                } else {
                                    None
                                },
                                if let Rk::R(i) = c {
                                    p.name_of(pc - 1, i).cloned()
                                } else {
                                    None
                                },
                            );
                            match self.arith_slow(host, op, x, y, names) {
                                Ok(v) => v,
                                Err(e) => fail!(e),
                            }
                        }
                    };
                    r!(a) = v;
                }
                Op::Unm { a, b } => {
                    let x = r!(b).clone();
                    let v = match x.to_number() {
                        Some(n) => Value::Num(-n),
                        None => {
                            self.frames[fi].pc = pc;
                            let h = self.metamethod(&x, "__unm");
                            if h.is_nil() {
                                fail!(type_error(
                                    &x,
                                    "perform arithmetic on",
                                    p.name_of(pc - 1, b)
                                ));
                            }
                            match self.call_meta(host, h, vec![x.clone(), x]) {
                                Ok(v) => v.into_iter().next().unwrap_or(Value::Nil),
                                Err(e) => fail!(e),
                            }
                        }
                    };
                    r!(a) = v;
                }
                Op::Not { a, b } => r!(a) = Value::Bool(!r!(b).truthy()),
                Op::Len { a, b } => {
                    let x = r!(b).clone();
                    let v = match &x {
                        Value::Str(s) => Value::Num(s.len() as f64),
                        Value::Table(t) => Value::Num(t.len() as f64),
                        _ => {
                            self.frames[fi].pc = pc;
                            let h = self.metamethod(&x, "__len");
                            if h.is_nil() {
                                fail!(type_error(&x, "get length of", p.name_of(pc - 1, b)));
                            }
                            match self.call_meta(host, h, vec![x.clone(), Value::Nil]) {
                                Ok(v) => v.into_iter().next().unwrap_or(Value::Nil),
                                Err(e) => fail!(e),
                            }
                        }
                    };
                    r!(a) = v;
                }
                Op::Concat { a, b, c } => {
                    self.frames[fi].pc = pc;
                    match self.concat(host, base, b, c, p, pc - 1) {
                        Ok(v) => r!(a) = v,
                        Err(e) => fail!(e),
                    }
                }
                Op::Jmp { to } => pc = to as usize,
                Op::JmpCmp { op, when, b, c, to } => {
                    let x = rk!(b);
                    let y = rk!(c);
                    self.frames[fi].pc = pc;
                    let res = match self.compare(host, op, &x, &y) {
                        Ok(v) => v,
                        Err(e) => fail!(e),
                    };
                    if res == when {
                        pc = to as usize;
                    }
                }
                Op::JmpTest { a, when, to } => {
                    if r!(a).truthy() == when {
                        pc = to as usize;
                    }
                }
                Op::TestSet { a, b, when, to } => {
                    if r!(b).truthy() == when {
                        r!(a) = r!(b).clone();
                        pc = to as usize;
                    }
                }
                Op::CmpSet { op, a, b, c, neg } => {
                    let x = rk!(b);
                    let y = rk!(c);
                    self.frames[fi].pc = pc;
                    let res = match self.compare(host, op, &x, &y) {
                        Ok(v) => v,
                        Err(e) => fail!(e),
                    };
                    r!(a) = Value::Bool(res != neg);
                }
                Op::Call { a, nargs, nres } => {
                    let func = base + a as usize;
                    let nargs = if nargs == MULTI {
                        self.top - func - 1
                    } else {
                        nargs as usize
                    };
                    self.frames[fi].pc = pc;
                    match self.call_value(host, func, nargs, func, nres) {
                        Ok(true) => return Ok(None),
                        Ok(false) => {}
                        Err(e) => fail!(e),
                    }
                }
                Op::TailCall { a, nargs } => {
                    let func = base + a as usize;
                    let nargs = if nargs == MULTI {
                        self.top - func - 1
                    } else {
                        nargs as usize
                    };
                    self.frames[fi].pc = pc;
                    if let Value::Func(Func::Lua(c)) = &self.stack[func] {
                        // replace this frame: move the function and arguments down
                        let c = c.clone();
                        let fr = self.frames.pop().expect("running frame");
                        self.close_upvals(fr.base);
                        let dst = fr.base - 1;
                        for i in 0..=nargs {
                            let v = std::mem::take(&mut self.stack[func + i]);
                            self.stack[dst + i] = v;
                        }
                        let kind = fr.kind;
                        self.push_lua_frame(c, dst, nargs, fr.ret, fr.nres, kind)?;
                        return Ok(None);
                    }
                    match self.call_value(host, func, nargs, func, MULTI) {
                        Ok(true) => return Ok(None),
                        Ok(false) => {}
                        Err(e) => fail!(e),
                    }
                }
                Op::Return { a, n } => {
                    let from = base + a as usize;
                    let n = if n == MULTI {
                        self.top.saturating_sub(from)
                    } else {
                        n as usize
                    };
                    let vals: Vec<Value> = self.stack[from..from + n].to_vec();
                    let fr = self.frames.pop().expect("running frame");
                    self.close_upvals(fr.base);
                    match fr.kind {
                        FrameKind::Entry => return Ok(Some(Flow::Done(vals))),
                        FrameKind::Pcall | FrameKind::Xpcall(_) => {
                            let mut v = Vec::with_capacity(vals.len() + 1);
                            v.push(Value::Bool(true));
                            v.extend(vals);
                            self.place(fr.ret, v, fr.nres);
                        }
                        FrameKind::Normal => self.place(fr.ret, vals, fr.nres),
                    }
                    if self.frames.len() <= stop {
                        return Ok(Some(Flow::Done(Vec::new())));
                    }
                    return Ok(None);
                }
                Op::ForPrep { a, to } => {
                    let init = r!(a).to_number();
                    let limit = r!(a + 1).to_number();
                    let step = r!(a + 2).to_number();
                    let Some(init) = init else {
                        fail!(LuaError::msg("'for' initial value must be a number"))
                    };
                    let Some(limit) = limit else {
                        fail!(LuaError::msg("'for' limit must be a number"))
                    };
                    let Some(step) = step else {
                        fail!(LuaError::msg("'for' step must be a number"))
                    };
                    r!(a) = Value::Num(init - step);
                    r!(a + 1) = Value::Num(limit);
                    r!(a + 2) = Value::Num(step);
                    pc = to as usize;
                }
                Op::ForLoop { a, to } => {
                    if let (Value::Num(i), Value::Num(limit), Value::Num(step)) =
                        (&r!(a), &r!(a + 1), &r!(a + 2))
                    {
                        let i = i + step;
                        let go = if *step > 0.0 {
                            i <= *limit
                        } else {
                            *limit <= i
                        };
                        r!(a) = Value::Num(i);
                        if go {
                            r!(a + 3) = Value::Num(i);
                            pc = to as usize;
                        }
                    }
                }
                Op::TForCall { a, nvars } => {
                    let cb = base + a as usize + 3;
                    self.ensure(cb + 3 + nvars as usize);
                    self.stack[cb] = r!(a).clone();
                    self.stack[cb + 1] = r!(a + 1).clone();
                    self.stack[cb + 2] = r!(a + 2).clone();
                    self.frames[fi].pc = pc;
                    match self.call_value(host, cb, 2, cb, nvars) {
                        Ok(true) => return Ok(None),
                        Ok(false) => {}
                        Err(e) => fail!(e),
                    }
                }
                Op::TForLoop { a, to } => {
                    let v = r!(a + 3).clone();
                    if !v.is_nil() {
                        r!(a + 2) = v;
                        pc = to as usize;
                    }
                }
                Op::SetList { a, n, start } => {
                    let n = if n == MULTI {
                        self.top - (base + a as usize) - 1
                    } else {
                        n as usize
                    };
                    if let Value::Table(t) = &r!(a) {
                        let t = t.clone();
                        let mut tb = t.0.borrow_mut();
                        for i in 0..n {
                            let v = self.stack[base + a as usize + 1 + i].clone();
                            let _ = tb.set(Value::Num((start as usize + i + 1) as f64), v);
                        }
                    }
                }
                Op::Close { a } => self.close_upvals(base + a as usize),
                Op::Closure { a, proto } => {
                    let Some(np) = p.protos.get(proto as usize) else {
                        fail!(LuaError::Abort("bad function prototype".into()));
                    };
                    let mut upvals = Vec::with_capacity(np.upvals.len());
                    for u in &np.upvals {
                        upvals.push(match u {
                            UpvalFrom::Local(r) => self.find_upval(base + *r as usize),
                            UpvalFrom::Upval(i) => match cl.upvals.get(*i as usize) {
                                Some(uv) => uv.clone(),
                                None => Rc::new(RefCell::new(Upval::Closed(Value::Nil))),
                            },
                        });
                    }
                    r!(a) = Value::Func(Func::Lua(Rc::new(Closure {
                        proto: np.clone(),
                        upvals,
                        env: cl.env.clone(),
                    })));
                }
                Op::VarArg { a, n } => {
                    let va = self.frames[fi].varargs.clone();
                    let dest = base + a as usize;
                    self.place(dest, va, n);
                }
            }
        }
    }

    /// Calls the value at `func` with `nargs` arguments above it. A Lua function gets a
    /// frame (returns true: the caller must switch frames); a native runs now.
    fn call_value(
        &mut self,
        host: &mut dyn Host,
        func: usize,
        nargs: usize,
        ret: usize,
        nres: u16,
    ) -> LuaResult<bool> {
        let f = self.stack[func].clone();
        match f {
            Value::Func(Func::Lua(c)) => {
                self.push_lua_frame(c, func, nargs, ret, nres, FrameKind::Normal)?;
                Ok(true)
            }
            Value::Func(Func::Native(native)) => {
                let g = native.f;
                if std::ptr::fn_addr_eq(g, crate::libs::base::PCALL)
                    || std::ptr::fn_addr_eq(g, crate::libs::base::XPCALL)
                {
                    return self.protected_call(
                        host,
                        func,
                        nargs,
                        ret,
                        nres,
                        std::ptr::fn_addr_eq(g, crate::libs::base::XPCALL),
                    );
                }
                let args: Vec<Value> = self.stack[func + 1..func + 1 + nargs].to_vec();
                let r = self.invoke_native(host, native, args, false);
                if r.is_err() && self.co_yield.is_some() {
                    // coroutine.yield: the next resume's values are this call's results
                    self.co_dest = Some((ret, nres));
                }
                let vals = r?;
                self.place(ret, vals, nres);
                Ok(false)
            }
            other => {
                let h = self.metamethod(&other, "__call");
                if h.is_nil() {
                    return Err(type_error(&other, "call", self.call_site()));
                }
                // shift the arguments up and put the handler first
                self.ensure(func + nargs + 3);
                for i in (0..=nargs).rev() {
                    self.stack[func + 1 + i] = self.stack[func + i].clone();
                }
                self.stack[func] = h;
                self.top = self.top.max(func + nargs + 2);
                self.call_value(host, func, nargs + 1, ret, nres)
            }
        }
    }

    /// What the innermost frame's current call instruction named the function it calls
    /// (`global 'f'`, `method 'm'`), as Lua 5.1's getfuncname reads it.
    pub(crate) fn call_site(&self) -> Option<&NameDesc> {
        let f = self.frames.last()?;
        let p = &f.closure.proto;
        let pc = f.pc.checked_sub(1)?;
        match p.code.get(pc)? {
            Op::Call { a, .. } | Op::TailCall { a, .. } => p.name_of(pc, *a),
            _ => None,
        }
    }

    /// `pcall(f, ...)` and `xpcall(f, handler)`: the called function runs in a frame that
    /// catches errors (or at once, for a native).
    fn protected_call(
        &mut self,
        host: &mut dyn Host,
        func: usize,
        nargs: usize,
        ret: usize,
        nres: u16,
        x: bool,
    ) -> LuaResult<bool> {
        if nargs == 0 {
            return Err(LuaError::msg(if x {
                "bad argument #2 to 'xpcall' (value expected)"
            } else {
                "bad argument #1 to 'pcall' (value expected)"
            }));
        }
        let f = self.stack[func + 1].clone();
        let (kind, args_from, nargs_f) = if x {
            let h = self.stack.get(func + 2).cloned().unwrap_or(Value::Nil);
            if nargs < 2 {
                return Err(LuaError::msg(
                    "bad argument #2 to 'xpcall' (value expected)",
                ));
            }
            (FrameKind::Xpcall(h), func + 3, 0)
        } else {
            (FrameKind::Pcall, func + 2, nargs - 1)
        };
        match &f {
            Value::Func(Func::Lua(c)) => {
                let c = c.clone();
                // the function goes where pcall's first argument is; arguments follow
                let fpos = args_from - 1;
                self.stack[fpos] = f.clone();
                self.push_lua_frame(c, fpos, nargs_f, ret, nres, kind)?;
                Ok(true)
            }
            _ => {
                let args: Vec<Value> = self.stack[args_from..args_from + nargs_f].to_vec();
                let r = self.call(host, f, args);
                let vals = match r {
                    Ok(v) => {
                        let mut out = vec![Value::Bool(true)];
                        out.extend(v);
                        out
                    }
                    Err(LuaError::Abort(a)) => return Err(LuaError::Abort(a)),
                    Err(e) => {
                        let msg = match self.position_error(e) {
                            LuaError::Value(v) => v,
                            _ => Value::Nil,
                        };
                        let msg = match kind {
                            FrameKind::Xpcall(h) => match self.call(host, h, vec![msg]) {
                                Ok(v) => v.into_iter().next().unwrap_or(Value::Nil),
                                Err(LuaError::Abort(a)) => return Err(LuaError::Abort(a)),
                                Err(_) => Value::str("error in error handling"),
                            },
                            _ => msg,
                        };
                        vec![Value::Bool(false), msg]
                    }
                };
                self.place(ret, vals, nres);
                Ok(false)
            }
        }
    }

    // ---- metamethods and operators ---------------------------------------------------

    /// A value's metatable field (strings share `string_meta`).
    pub fn metamethod(&self, v: &Value, event: &str) -> Value {
        let mt = match v {
            Value::Table(t) => t.metatable(),
            Value::Str(_) => self.string_meta.clone(),
            _ => None,
        };
        match mt {
            Some(m) => m.get_str(event),
            None => Value::Nil,
        }
    }

    /// `obj[key]` with `__index`.
    pub fn index(
        &mut self,
        host: &mut dyn Host,
        obj: Value,
        key: &Value,
        name: Option<NameDesc>,
    ) -> LuaResult<Value> {
        let mut obj = obj;
        for _ in 0..MAX_TAG_LOOP {
            let h = match &obj {
                Value::Table(t) => {
                    let v = t.get(key);
                    if !v.is_nil() {
                        return Ok(v);
                    }
                    let h = self.metamethod(&obj, "__index");
                    if h.is_nil() {
                        return Ok(Value::Nil);
                    }
                    h
                }
                _ => {
                    let h = self.metamethod(&obj, "__index");
                    if h.is_nil() {
                        return Err(type_error(&obj, "index", name.as_ref()));
                    }
                    h
                }
            };
            if let Value::Func(_) = h {
                let r = self.call_meta(host, h, vec![obj, key.clone()])?;
                return Ok(r.into_iter().next().unwrap_or(Value::Nil));
            }
            obj = h;
        }
        Err(LuaError::msg("loop in gettable"))
    }

    /// `obj[key] = val` with `__newindex` and Redis's read-only tables.
    pub fn set_index(
        &mut self,
        host: &mut dyn Host,
        obj: Value,
        key: Value,
        val: Value,
        name: Option<NameDesc>,
    ) -> LuaResult<()> {
        let mut obj = obj;
        for _ in 0..MAX_TAG_LOOP {
            let h = match &obj {
                Value::Table(t) => {
                    if t.readonly() {
                        return Err(LuaError::msg("Attempt to modify a readonly table"));
                    }
                    let existing = t.get(&key);
                    let h = if existing.is_nil() {
                        self.metamethod(&obj, "__newindex")
                    } else {
                        Value::Nil
                    };
                    if h.is_nil() {
                        return t.set(key, val);
                    }
                    h
                }
                _ => {
                    let h = self.metamethod(&obj, "__newindex");
                    if h.is_nil() {
                        return Err(type_error(&obj, "index", name.as_ref()));
                    }
                    h
                }
            };
            if let Value::Func(_) = h {
                self.call_meta(host, h, vec![obj, key, val])?;
                return Ok(());
            }
            obj = h;
        }
        Err(LuaError::msg("loop in settable"))
    }

    fn arith_slow(
        &mut self,
        host: &mut dyn Host,
        op: Arith,
        x: Value,
        y: Value,
        names: (Option<NameDesc>, Option<NameDesc>),
    ) -> LuaResult<Value> {
        if let (Some(m), Some(n)) = (x.to_number(), y.to_number()) {
            return Ok(Value::Num(arith(op, m, n)));
        }
        let event = match op {
            Arith::Add => "__add",
            Arith::Sub => "__sub",
            Arith::Mul => "__mul",
            Arith::Div => "__div",
            Arith::Mod => "__mod",
            Arith::Pow => "__pow",
        };
        let mut h = self.metamethod(&x, event);
        if h.is_nil() {
            h = self.metamethod(&y, event);
        }
        if h.is_nil() {
            let (bad, name) = if x.to_number().is_none() {
                (&x, names.0)
            } else {
                (&y, names.1)
            };
            return Err(type_error(bad, "perform arithmetic on", name.as_ref()));
        }
        let r = self.call_meta(host, h, vec![x, y])?;
        Ok(r.into_iter().next().unwrap_or(Value::Nil))
    }

    fn concat(
        &mut self,
        host: &mut dyn Host,
        base: usize,
        b: u16,
        c: u16,
        p: &Proto,
        pc: usize,
    ) -> LuaResult<Value> {
        // right to left, as Lua 5.1 does, joining runs of strings and numbers
        let mut acc = self.stack[base + c as usize].clone();
        let mut acc_reg = Some(c);
        let mut i = c;
        while i > b {
            i -= 1;
            let x = self.stack[base + i as usize].clone();
            let both = matches!(x, Value::Str(_) | Value::Num(_))
                && matches!(acc, Value::Str(_) | Value::Num(_));
            if both {
                let (Some(l), Some(r)) = (x.to_lua_str(), acc.to_lua_str()) else {
                    unreachable!()
                };
                let mut v = Vec::with_capacity(l.len() + r.len());
                v.extend_from_slice(l.as_bytes());
                v.extend_from_slice(r.as_bytes());
                acc = Value::Str(LuaStr::from(v));
                acc_reg = None;
                continue;
            }
            let mut h = self.metamethod(&x, "__concat");
            if h.is_nil() {
                h = self.metamethod(&acc, "__concat");
            }
            if h.is_nil() {
                let (bad, reg) = if matches!(x, Value::Str(_) | Value::Num(_)) {
                    (&acc, acc_reg)
                } else {
                    (&x, Some(i))
                };
                let name = reg.and_then(|r| p.name_of(pc, r));
                return Err(type_error(bad, "concatenate", name));
            }
            let r = self.call_meta(host, h, vec![x, acc])?;
            acc = r.into_iter().next().unwrap_or(Value::Nil);
            acc_reg = None;
        }
        Ok(acc)
    }

    fn compare(&mut self, host: &mut dyn Host, op: Cmp, x: &Value, y: &Value) -> LuaResult<bool> {
        match op {
            Cmp::Eq => self.equals(host, x, y),
            Cmp::Lt => self.less_than(host, x, y),
            Cmp::Le => match (x, y) {
                (Value::Num(a), Value::Num(b)) => Ok(a <= b),
                (Value::Str(a), Value::Str(b)) => Ok(a <= b),
                _ => {
                    if let Some(h) = self.comp_tm(x, y, "__le") {
                        let r = self.call_meta(host, h, vec![x.clone(), y.clone()])?;
                        return Ok(r.first().map(Value::truthy).unwrap_or(false));
                    }
                    if let Some(h) = self.comp_tm(x, y, "__lt") {
                        let r = self.call_meta(host, h, vec![y.clone(), x.clone()])?;
                        return Ok(!r.first().map(Value::truthy).unwrap_or(false));
                    }
                    Err(order_error(x, y))
                }
            },
        }
    }

    /// `a == b` with `__eq`.
    pub fn equals(&mut self, host: &mut dyn Host, x: &Value, y: &Value) -> LuaResult<bool> {
        if x.raw_eq(y) {
            return Ok(true);
        }
        if let (Value::Table(_), Value::Table(_)) = (x, y) {
            if let Some(h) = self.comp_tm(x, y, "__eq") {
                let r = self.call_meta(host, h, vec![x.clone(), y.clone()])?;
                return Ok(r.first().map(Value::truthy).unwrap_or(false));
            }
        }
        Ok(false)
    }

    /// `a < b` with Lua's rules and `__lt` (table.sort uses it).
    pub fn less_than(&mut self, host: &mut dyn Host, x: &Value, y: &Value) -> LuaResult<bool> {
        match (x, y) {
            (Value::Num(a), Value::Num(b)) => Ok(a < b),
            (Value::Str(a), Value::Str(b)) => Ok(a < b),
            _ => {
                if let Some(h) = self.comp_tm(x, y, "__lt") {
                    let r = self.call_meta(host, h, vec![x.clone(), y.clone()])?;
                    return Ok(r.first().map(Value::truthy).unwrap_or(false));
                }
                Err(order_error(x, y))
            }
        }
    }

    /// The metamethod both operands agree on (Lua 5.1's get_compTM).
    fn comp_tm(&self, x: &Value, y: &Value, event: &str) -> Option<Value> {
        if x.type_name() != y.type_name() {
            return None;
        }
        let h1 = self.metamethod(x, event);
        if h1.is_nil() {
            return None;
        }
        let h2 = self.metamethod(y, event);
        if h1.raw_eq(&h2) {
            Some(h1)
        } else {
            None
        }
    }

    /// `tostring(v)` with `__tostring`.
    pub fn tostring(&mut self, host: &mut dyn Host, v: &Value) -> LuaResult<LuaStr> {
        let h = self.metamethod(v, "__tostring");
        if !h.is_nil() {
            let r = self.call(host, h, vec![v.clone()])?;
            return match r.into_iter().next() {
                Some(Value::Str(s)) => Ok(s),
                Some(Value::Num(n)) => Ok(LuaStr::from(fmt_number(n))),
                _ => Err(LuaError::msg("'__tostring' must return a string")),
            };
        }
        Ok(match v {
            Value::Nil => LuaStr::from("nil"),
            Value::Bool(b) => LuaStr::from(if *b { "true" } else { "false" }),
            Value::Num(n) => LuaStr::from(fmt_number(*n)),
            Value::Str(s) => s.clone(),
            Value::Table(t) => LuaStr::from(format!("table: 0x{:08x}", t.id())),
            Value::Func(f) => LuaStr::from(format!("function: 0x{:08x}", f.id())),
            Value::Light(p) => LuaStr::from(format!("userdata: 0x{p:08x}")),
            Value::Thread(_) => LuaStr::from(format!("{v:?}")),
        })
    }
}

fn arith(op: Arith, a: f64, b: f64) -> f64 {
    match op {
        Arith::Add => a + b,
        Arith::Sub => a - b,
        Arith::Mul => a * b,
        Arith::Div => a / b,
        Arith::Mod => a - (a / b).floor() * b,
        Arith::Pow => a.powf(b),
    }
}

fn type_error(v: &Value, op: &str, name: Option<&NameDesc>) -> LuaError {
    match name {
        Some(n) => LuaError::Msg(format!(
            "attempt to {op} {} (a {} value)",
            n.describe(),
            v.type_name()
        )),
        None => LuaError::Msg(format!("attempt to {op} a {} value", v.type_name())),
    }
}

fn order_error(x: &Value, y: &Value) -> LuaError {
    let (t1, t2) = (x.type_name(), y.type_name());
    if t1 == t2 {
        LuaError::Msg(format!("attempt to compare two {t1} values"))
    } else {
        LuaError::Msg(format!("attempt to compare {t1} with {t2}"))
    }
}

fn host_trampoline(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let id = match ctx.state().first() {
        Some(Value::Num(n)) => *n as u32,
        _ => 0,
    };
    ctx.host.host_call(ctx.vm, id, args)
}
