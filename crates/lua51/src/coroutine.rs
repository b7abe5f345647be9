//! Coroutines (Lua 5.1's `coroutine` library, opened with the base library). Each
//! coroutine has its own frames and stack; resuming one parks the resumer's stack in its
//! thread's holder and runs the coroutine's frames in a nested loop until they return,
//! fail or yield. As in Lua 5.1, a yield can't cross a native call (a metamethod, a
//! `table.sort` comparator, `pcall`): "attempt to yield across metamethod/C-call boundary".

use std::cell::RefCell;
use std::rc::Rc;

use crate::args::{arg_error, check_function};
use crate::value::{Func, LuaError, LuaResult, NativeFn, TableRef, Value};
use crate::vm::{Ctx, Frame, FrameKind, Host, Upval, Vm};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Status {
    Suspended,
    Running,
    /// It resumed another coroutine and waits for it.
    Normal,
    Dead,
}

pub struct Coroutine {
    status: Status,
    /// The function, until the first resume.
    func: Option<Value>,
    /// Where its stack is kept while it doesn't run (its upvalues point here).
    holder: Rc<RefCell<Vec<Value>>>,
    frames: Vec<Frame>,
    open_upvals: Vec<(usize, Rc<RefCell<Upval>>)>,
    top: usize,
    /// Where the values of the next resume go (the pending `coroutine.yield` call).
    dest: Option<(usize, u16)>,
}

/// The running thread's state, swapped in and out of the VM.
struct Parked {
    frames: Vec<Frame>,
    open_upvals: Vec<(usize, Rc<RefCell<Upval>>)>,
    top: usize,
    thread: Rc<RefCell<Vec<Value>>>,
}

impl Vm {
    fn park(&mut self) -> Parked {
        *self.thread.borrow_mut() = std::mem::take(&mut self.stack);
        Parked {
            frames: std::mem::take(&mut self.frames),
            open_upvals: std::mem::take(&mut self.open_upvals),
            top: self.top,
            thread: self.thread.clone(),
        }
    }

    fn unpark(&mut self, p: Parked) {
        self.stack = std::mem::take(&mut *p.thread.borrow_mut());
        self.frames = p.frames;
        self.open_upvals = p.open_upvals;
        self.top = p.top;
        self.thread = p.thread;
    }

    /// `coroutine.resume(co, ...)`: `true` and what it yielded or returned, or `false` and
    /// its error.
    pub fn resume_coroutine(
        &mut self,
        host: &mut dyn Host,
        co: &Rc<RefCell<Coroutine>>,
        args: Vec<Value>,
    ) -> LuaResult<Vec<Value>> {
        let status = co.borrow().status;
        let name = match status {
            Status::Suspended => None,
            Status::Running => Some("running"),
            Status::Normal => Some("normal"),
            Status::Dead => Some("dead"),
        };
        if let Some(name) = name {
            let m = format!("cannot resume {name} coroutine");
            return Ok(vec![Value::Bool(false), Value::str(&m)]);
        }
        let mine = self.park();
        let outer = self.coroutine.replace(co.clone());
        if let Some(o) = &outer {
            o.borrow_mut().status = Status::Normal;
        }
        let outer_nested = std::mem::replace(&mut self.co_nested, self.nested);
        let started = {
            let mut c = co.borrow_mut();
            c.status = Status::Running;
            let p = Parked {
                frames: std::mem::take(&mut c.frames),
                open_upvals: std::mem::take(&mut c.open_upvals),
                top: c.top,
                thread: c.holder.clone(),
            };
            let first = c.func.take();
            let dest = c.dest.take();
            drop(c);
            self.unpark(p);
            match first {
                Some(Value::Func(Func::Lua(f))) => {
                    self.stack.clear();
                    self.stack.push(Value::Func(Func::Lua(f.clone())));
                    let n = args.len();
                    self.stack.extend(args);
                    self.push_lua_frame_for_coroutine(f, n)
                }
                _ => {
                    if let Some((ret, nres)) = dest {
                        self.place_results(ret, args, nres);
                    }
                    Ok(())
                }
            }
        };
        let result = match started {
            Ok(()) => self.run_coroutine(host),
            Err(e) => Err(e),
        };
        // put the coroutine away and the resumer back
        let yielded = self.co_yield.take();
        let dest = self.co_dest.take();
        let theirs = self.park();
        {
            let mut c = co.borrow_mut();
            c.frames = theirs.frames;
            c.open_upvals = theirs.open_upvals;
            c.top = theirs.top;
            c.dest = dest;
        }
        self.unpark(mine);
        self.co_nested = outer_nested;
        if let Some(o) = &outer {
            o.borrow_mut().status = Status::Running;
        }
        self.coroutine = outer;
        let mut c = co.borrow_mut();
        match (result, yielded) {
            (Err(LuaError::Abort(_)), Some(values)) => {
                c.status = Status::Suspended;
                Ok(std::iter::once(Value::Bool(true)).chain(values).collect())
            }
            (Ok(values), _) => {
                c.status = Status::Dead;
                Ok(std::iter::once(Value::Bool(true)).chain(values).collect())
            }
            (Err(LuaError::Abort(a)), None) => {
                c.status = Status::Dead;
                Err(LuaError::Abort(a))
            }
            (Err(e), _) => {
                c.status = Status::Dead;
                let v = match e {
                    LuaError::Value(v) => v,
                    LuaError::Msg(m) => Value::str(&m),
                    LuaError::Abort(_) => Value::Nil,
                };
                Ok(vec![Value::Bool(false), v])
            }
        }
    }
}

fn thread_arg(ctx: &Ctx<'_>, args: &[Value], n: usize) -> LuaResult<Rc<RefCell<Coroutine>>> {
    match args.get(n - 1) {
        Some(Value::Thread(t)) => Ok(t.clone()),
        _ => Err(arg_error(ctx, n, "coroutine expected")),
    }
}

fn new_coroutine(f: Value) -> Rc<RefCell<Coroutine>> {
    Rc::new(RefCell::new(Coroutine {
        status: Status::Suspended,
        func: Some(f),
        holder: Rc::new(RefCell::new(Vec::new())),
        frames: Vec::new(),
        open_upvals: Vec::new(),
        top: 0,
        dest: None,
    }))
}

fn create(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let f = match args.first() {
        Some(v @ Value::Func(Func::Lua(_))) => v.clone(),
        _ => return Err(arg_error(ctx, 1, "Lua function expected")),
    };
    Ok(vec![Value::Thread(new_coroutine(f))])
}

fn resume(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let co = thread_arg(ctx, &args, 1)?;
    let rest = args.get(1..).map(<[Value]>::to_vec).unwrap_or_default();
    ctx.vm.resume_coroutine(ctx.host, &co, rest)
}

fn yield_(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    // the main script runs under Redis's C call: yielding there crosses it too
    let blocked = ctx.vm.coroutine.is_none()
        || ctx.vm.nested != ctx.vm.co_nested + 1
        || ctx.vm.called_from_c
        || ctx.vm.in_protected_frame();
    if blocked {
        return Err(LuaError::Value(Value::str(
            "attempt to yield across metamethod/C-call boundary",
        )));
    }
    ctx.vm.co_yield = Some(args);
    Err(LuaError::Abort("yield".into()))
}

fn status(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let co = thread_arg(ctx, &args, 1)?;
    let s = match co.borrow().status {
        Status::Suspended => "suspended",
        Status::Running => "running",
        Status::Normal => "normal",
        Status::Dead => "dead",
    };
    Ok(vec![Value::str(s)])
}

fn running(ctx: &mut Ctx<'_>, _args: Vec<Value>) -> LuaResult<Vec<Value>> {
    Ok(vec![match &ctx.vm.coroutine {
        Some(c) => Value::Thread(c.clone()),
        None => Value::Nil,
    }])
}

fn wrap(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let f = match args.first() {
        Some(v @ Value::Func(Func::Lua(_))) => v.clone(),
        _ => {
            check_function(ctx, &args, 1)?;
            return Err(arg_error(ctx, 1, "Lua function expected"));
        }
    };
    Ok(vec![Value::native_with(
        "wrap",
        wrapped,
        vec![Value::Thread(new_coroutine(f))],
    )])
}

/// A wrapped coroutine: resumes it; an error is raised again, a message getting the
/// caller's position in front of its own.
fn wrapped(ctx: &mut Ctx<'_>, args: Vec<Value>) -> LuaResult<Vec<Value>> {
    let co = match ctx.state().first() {
        Some(Value::Thread(t)) => t.clone(),
        _ => return Err(LuaError::msg("cannot resume dead coroutine")),
    };
    let mut r = ctx.vm.resume_coroutine(ctx.host, &co, args)?;
    if r.first().is_some_and(Value::truthy) {
        r.remove(0);
        return Ok(r);
    }
    match r.into_iter().nth(1).unwrap_or(Value::Nil) {
        Value::Str(s) => Err(LuaError::Msg(s.to_str_lossy())),
        Value::Num(n) => Err(LuaError::Msg(crate::value::fmt_number(n))),
        v => Err(LuaError::Value(v)),
    }
}

pub fn open(vm: &mut Vm) {
    let t = TableRef::new(0, 0);
    let fns: &[(&'static str, NativeFn)] = &[
        ("create", create),
        ("resume", resume),
        ("running", running),
        ("status", status),
        ("wrap", wrap),
        ("yield", yield_),
    ];
    for (name, f) in fns {
        t.set_str(name, Value::native(name, *f));
    }
    vm.globals.set_str("coroutine", Value::Table(t));
}

impl Vm {
    /// Whether a `pcall`/`xpcall` frame of the running coroutine is live (Lua 5.1's pcall
    /// is a C function: nothing under it may yield).
    pub(crate) fn in_protected_frame(&self) -> bool {
        self.frames
            .iter()
            .any(|f| matches!(f.kind, FrameKind::Pcall | FrameKind::Xpcall(_)))
    }
}
