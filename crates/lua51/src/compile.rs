//! From syntax tree to register code, in the manner of Lua 5.1's code generator: each
//! function gets numbered registers (its locals first, temporaries above), constants are
//! referenced directly, and every instruction that can fail knows its source line and
//! what the failing operand was called (`local 'x'`, `global 'f'`, `field 'name'`), so
//! run-time errors read as Lua 5.1's.

use std::rc::Rc;

use crate::ast::{BinOp, Block, Expr, ExprKind, Field, FuncBody, Stat, UnOp};
use crate::value::{LuaStr, Value};

/// Lua 5.1's limits (luaconf.h, llimits.h); the parser enforces the ones on locals and
/// upvalues with Lua's own texts.
const MAX_REGS: usize = 250;
const FIELDS_PER_FLUSH: usize = 50;

/// "As many as there are": a call's results or arguments running up to the stack top.
pub const MULTI: u16 = u16::MAX;

/// A register or a constant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rk {
    R(u16),
    K(u16),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arith {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Lt,
    Le,
}

#[derive(Clone, Copy, Debug)]
pub enum Op {
    LoadNil {
        a: u16,
        n: u16,
    },
    LoadK {
        a: u16,
        k: u16,
    },
    LoadBool {
        a: u16,
        b: bool,
    },
    Move {
        a: u16,
        b: u16,
    },
    GetUpval {
        a: u16,
        u: u16,
    },
    SetUpval {
        u: u16,
        a: u16,
    },
    GetGlobal {
        a: u16,
        k: u16,
    },
    SetGlobal {
        k: u16,
        a: u16,
    },
    GetTable {
        a: u16,
        t: u16,
        key: Rk,
    },
    SetTable {
        t: u16,
        key: Rk,
        val: Rk,
    },
    NewTable {
        a: u16,
        narr: u32,
        nhash: u32,
    },
    /// `a+1 = obj; a = obj[key]` (method calls).
    SelfOp {
        a: u16,
        obj: u16,
        key: Rk,
    },
    Arith {
        op: Arith,
        a: u16,
        b: Rk,
        c: Rk,
    },
    Unm {
        a: u16,
        b: u16,
    },
    Not {
        a: u16,
        b: u16,
    },
    Len {
        a: u16,
        b: u16,
    },
    /// `a = b .. b+1 .. ... .. c`.
    Concat {
        a: u16,
        b: u16,
        c: u16,
    },
    Jmp {
        to: u32,
    },
    /// Jumps when `(b op c) == when`.
    JmpCmp {
        op: Cmp,
        when: bool,
        b: Rk,
        c: Rk,
        to: u32,
    },
    /// Jumps when the truth of `a` is `when`.
    JmpTest {
        a: u16,
        when: bool,
        to: u32,
    },
    /// When the truth of `b` is `when`: `a = b` and jump (`and`/`or` values).
    TestSet {
        a: u16,
        b: u16,
        when: bool,
        to: u32,
    },
    /// `a = (b op c)` as a boolean.
    CmpSet {
        op: Cmp,
        a: u16,
        b: Rk,
        c: Rk,
        neg: bool,
    },
    /// Calls the function in `a` with `nargs` arguments above it (`MULTI`: up to the top);
    /// `nres` results go to `a..` (`MULTI`: all, setting the top).
    Call {
        a: u16,
        nargs: u16,
        nres: u16,
    },
    TailCall {
        a: u16,
        nargs: u16,
    },
    Return {
        a: u16,
        n: u16,
    },
    /// Numeric for: `a` index, `a+1` limit, `a+2` step, `a+3` the visible variable.
    ForPrep {
        a: u16,
        to: u32,
    },
    ForLoop {
        a: u16,
        to: u32,
    },
    /// Generic for: calls `a(a+1, a+2)` into `a+3 .. a+2+nvars`.
    TForCall {
        a: u16,
        nvars: u16,
    },
    /// Then: if `a+3` is not nil, `a+2 = a+3` and jump back.
    TForLoop {
        a: u16,
        to: u32,
    },
    /// `t[start+i] = a+1+i`, n values (`MULTI`: up to the top).
    SetList {
        a: u16,
        n: u16,
        start: u32,
    },
    /// Closes the upvalues of registers `a` and above (a scope with captured locals ends).
    Close {
        a: u16,
    },
    Closure {
        a: u16,
        proto: u16,
    },
    /// `a .. a+n-1 = ...` (`MULTI`: all, setting the top).
    VarArg {
        a: u16,
        n: u16,
    },
}

/// Where a closure's upvalue comes from: the enclosing function's register, or its upvalue.
#[derive(Clone, Copy, Debug)]
pub enum UpvalFrom {
    Local(u16),
    Upval(u16),
}

/// What an operand was called, for error messages.
#[derive(Clone, Debug)]
pub enum NameDesc {
    Local(String),
    Global(String),
    Field(String),
    Upvalue(String),
    Method(String),
}

impl NameDesc {
    /// The variable's or field's name alone.
    pub fn name(&self) -> &str {
        match self {
            NameDesc::Local(n)
            | NameDesc::Global(n)
            | NameDesc::Field(n)
            | NameDesc::Upvalue(n)
            | NameDesc::Method(n) => n,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            NameDesc::Local(n) => format!("local '{n}'"),
            NameDesc::Global(n) => format!("global '{n}'"),
            NameDesc::Field(n) => format!("field '{n}'"),
            NameDesc::Upvalue(n) => format!("upvalue '{n}'"),
            NameDesc::Method(n) => format!("method '{n}'"),
        }
    }
}

/// A compiled function.
pub struct Proto {
    pub code: Vec<Op>,
    pub lines: Vec<u32>,
    pub consts: Vec<Value>,
    pub protos: Vec<Rc<Proto>>,
    pub upvals: Vec<UpvalFrom>,
    pub upval_names: Vec<String>,
    pub nparams: u16,
    pub is_vararg: bool,
    /// Lua 5.1's compatibility `arg`: a vararg function (not a main chunk) has a hidden
    /// local after its parameters holding `{extra args..., n = count}` when its body never
    /// says `...` (nil when it does).
    pub arg_local: Option<bool>,
    pub max_stack: u16,
    pub chunk: Rc<str>,
    pub line_defined: u32,
    /// (pc, register, name) of operands that had a name when loaded.
    pub names: Vec<(u32, u16, NameDesc)>,
}

impl Proto {
    pub fn name_of(&self, pc: usize, reg: u16) -> Option<&NameDesc> {
        self.names
            .iter()
            .find(|(p, r, _)| *p as usize == pc && *r == reg)
            .map(|(_, _, d)| d)
    }
}

/// Compiles a parsed chunk.
pub fn compile(main: &FuncBody, chunk: &str) -> Result<Rc<Proto>, String> {
    let chunk: Rc<str> = Rc::from(chunk);
    let mut c = Compiler {
        funcs: Vec::new(),
        chunk: chunk.clone(),
    };
    c.function(main, None)
}

struct LocalVar {
    name: String,
    reg: u16,
    captured: bool,
}

struct BlockScope {
    nactive: usize,
    is_loop: bool,
    breaks: Vec<usize>,
}

struct FuncState {
    code: Vec<Op>,
    lines: Vec<u32>,
    consts: Vec<Value>,
    protos: Vec<Rc<Proto>>,
    upvals: Vec<(String, UpvalFrom)>,
    actives: Vec<LocalVar>,
    blocks: Vec<BlockScope>,
    free_reg: u16,
    max_stack: u16,
    is_vararg: bool,
    line: u32,
    names: Vec<(u32, u16, NameDesc)>,
    line_defined: u32,
}

struct Compiler {
    funcs: Vec<FuncState>,
    chunk: Rc<str>,
}

/// Where a name resolves.
enum Var {
    Local(u16),
    Upval(u16),
    Global(u16),
}

type CResult<T> = Result<T, String>;

/// Lua 5.1's constant folding: arithmetic on numerals is done at compile time, except a
/// division or modulo by zero and a NaN result.
fn fold(e: &Expr) -> Option<f64> {
    match &e.kind {
        ExprKind::Num(n) => Some(*n),
        ExprKind::Paren(x) => fold(x),
        ExprKind::Un(UnOp::Neg, x) => Some(-fold(x)?).filter(|r| !r.is_nan()),
        ExprKind::Bin(op, l, r) => {
            let (a, b) = (fold(l)?, fold(r)?);
            let v = match op {
                BinOp::Add => a + b,
                BinOp::Sub => a - b,
                BinOp::Mul => a * b,
                BinOp::Div if b != 0.0 => a / b,
                BinOp::Mod if b != 0.0 => a - (a / b).floor() * b,
                BinOp::Pow => a.powf(b),
                _ => return None,
            };
            Some(v).filter(|r| !r.is_nan())
        }
        _ => None,
    }
}

/// Whether a function body says `...` (outside the functions nested in it).
fn block_uses_vararg(b: &Block) -> bool {
    b.stats.iter().any(stat_uses_vararg)
        || b.ret
            .as_ref()
            .is_some_and(|(es, _)| es.iter().any(expr_uses_vararg))
}

fn stat_uses_vararg(s: &Stat) -> bool {
    let any = |es: &[Expr]| es.iter().any(expr_uses_vararg);
    match s {
        Stat::Call(e) => expr_uses_vararg(e),
        Stat::Local { exprs, .. } => any(exprs),
        Stat::Assign { targets, exprs, .. } => any(targets) || any(exprs),
        Stat::Do(b) => block_uses_vararg(b),
        Stat::While { cond, body, .. } | Stat::Repeat { body, cond, .. } => {
            expr_uses_vararg(cond) || block_uses_vararg(body)
        }
        Stat::If { conds, else_, .. } => {
            conds
                .iter()
                .any(|(c, b)| expr_uses_vararg(c) || block_uses_vararg(b))
                || else_.as_ref().is_some_and(block_uses_vararg)
        }
        Stat::NumFor {
            start,
            limit,
            step,
            body,
            ..
        } => {
            expr_uses_vararg(start)
                || expr_uses_vararg(limit)
                || step.as_ref().is_some_and(expr_uses_vararg)
                || block_uses_vararg(body)
        }
        Stat::GenFor { exprs, body, .. } => any(exprs) || block_uses_vararg(body),
        Stat::Function { .. } | Stat::LocalFunction { .. } | Stat::Break { .. } => false,
    }
}

fn expr_uses_vararg(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::VarArg => true,
        ExprKind::Bin(_, l, r) | ExprKind::Index(l, r) => {
            expr_uses_vararg(l) || expr_uses_vararg(r)
        }
        ExprKind::Un(_, x) | ExprKind::Paren(x) => expr_uses_vararg(x),
        ExprKind::Call(f, args) | ExprKind::Method(f, _, args) => {
            expr_uses_vararg(f) || args.iter().any(expr_uses_vararg)
        }
        ExprKind::Table(fields) => fields.iter().any(|f| match f {
            Field::Pos(v) | Field::Named(_, v) => expr_uses_vararg(v),
            Field::Keyed(k, v) => expr_uses_vararg(k) || expr_uses_vararg(v),
        }),
        _ => false,
    }
}

fn is_multi(e: &Expr) -> bool {
    matches!(
        e.kind,
        ExprKind::Call(..) | ExprKind::Method(..) | ExprKind::VarArg
    )
}

/// Lua 5.1's "floating point byte" rounding of table size hints.
fn fb_round(x: usize) -> u32 {
    let mut x = x as u32;
    let mut e = 0;
    while x >= 16 {
        x = (x + 1) >> 1;
        e += 1;
    }
    if e == 0 {
        x
    } else {
        x << e
    }
}

impl Compiler {
    fn fs(&mut self) -> &mut FuncState {
        self.funcs.last_mut().expect("a function is being compiled")
    }

    fn err(&self, line: u32, msg: &str) -> String {
        format!("{}:{}: {}", self.chunk, line, msg)
    }

    fn function(&mut self, f: &FuncBody, _name: Option<&str>) -> CResult<Rc<Proto>> {
        self.funcs.push(FuncState {
            code: Vec::new(),
            lines: Vec::new(),
            consts: Vec::new(),
            protos: Vec::new(),
            upvals: Vec::new(),
            actives: Vec::new(),
            blocks: Vec::new(),
            free_reg: 0,
            max_stack: 2,
            is_vararg: f.is_vararg,
            line: f.line,
            names: Vec::new(),
            line_defined: f.line,
        });
        for p in &f.params {
            self.new_local(p)?;
        }
        let arg_local = if f.is_vararg && f.line != 0 {
            self.new_local("arg")?;
            Some(!block_uses_vararg(&f.body))
        } else {
            None
        };
        self.block(&f.body)?;
        let end = f.end_line;
        self.fs().line = end;
        self.emit(Op::Return { a: 0, n: 0 });
        let fs = self.funcs.pop().expect("pushed above");
        Ok(Rc::new(Proto {
            code: fs.code,
            lines: fs.lines,
            consts: fs.consts,
            protos: fs.protos,
            upval_names: fs.upvals.iter().map(|(n, _)| n.clone()).collect(),
            upvals: fs.upvals.into_iter().map(|(_, u)| u).collect(),
            nparams: f.params.len() as u16,
            arg_local,
            is_vararg: f.is_vararg,
            max_stack: fs.max_stack,
            chunk: self.chunk.clone(),
            line_defined: fs.line_defined,
            names: fs.names,
        }))
    }

    // ---- emission -----------------------------------------------------------------

    fn emit(&mut self, op: Op) -> usize {
        let fs = self.fs();
        fs.code.push(op);
        let line = fs.line;
        fs.lines.push(line);
        fs.code.len() - 1
    }

    fn pc(&mut self) -> usize {
        self.fs().code.len()
    }

    fn patch(&mut self, at: usize, to: usize) {
        let to = to as u32;
        match &mut self.fs().code[at] {
            Op::Jmp { to: t }
            | Op::JmpCmp { to: t, .. }
            | Op::JmpTest { to: t, .. }
            | Op::TestSet { to: t, .. }
            | Op::ForPrep { to: t, .. }
            | Op::ForLoop { to: t, .. }
            | Op::TForLoop { to: t, .. } => *t = to,
            _ => {}
        }
    }

    fn patch_here(&mut self, jumps: Vec<usize>) {
        let here = self.pc();
        for j in jumps {
            self.patch(j, here);
        }
    }

    fn name_operand(&mut self, pc: usize, reg: u16, desc: Option<NameDesc>) {
        if let Some(d) = desc {
            self.fs().names.push((pc as u32, reg, d));
        }
    }

    fn constant(&mut self, v: Value) -> CResult<u16> {
        let fs = self.fs();
        // numbers are found by value, as Lua 5.1's constant table does: 0 and -0 are one
        // constant (whichever came first)
        if let Some(i) = fs.consts.iter().position(|c| c.raw_eq(&v)) {
            return Ok(i as u16);
        }
        if fs.consts.len() >= u16::MAX as usize - 1 {
            let line = fs.line;
            return Err(self.err(line, "constant table overflow"));
        }
        fs.consts.push(v);
        Ok((fs.consts.len() - 1) as u16)
    }

    fn str_const(&mut self, s: &[u8]) -> CResult<u16> {
        self.constant(Value::Str(LuaStr::new(s)))
    }

    // ---- registers ----------------------------------------------------------------

    fn reserve(&mut self, n: u16) -> CResult<u16> {
        let fs = self.fs();
        let r = fs.free_reg;
        let top = r as usize + n as usize;
        if top > MAX_REGS {
            let line = fs.line;
            return Err(self.err(line, "function or expression too complex"));
        }
        fs.free_reg = top as u16;
        if fs.free_reg > fs.max_stack {
            fs.max_stack = fs.free_reg;
        }
        Ok(r)
    }

    fn set_free(&mut self, r: u16) {
        self.fs().free_reg = r;
    }

    fn free(&mut self) -> u16 {
        self.fs().free_reg
    }

    fn nactive_regs(&mut self) -> u16 {
        self.fs().actives.len() as u16
    }

    /// A parameter (the parser has already refused more than 200 locals).
    fn new_local(&mut self, name: &str) -> CResult<u16> {
        let n = self.fs().actives.len();
        let reg = n as u16;
        if self.free() <= reg {
            self.set_free(reg);
            self.reserve(1)?;
        }
        self.fs().actives.push(LocalVar {
            name: name.to_string(),
            reg,
            captured: false,
        });
        Ok(reg)
    }

    /// Locals declared after the registers were filled: activates `names` over the
    /// registers starting at the current number of actives.
    fn activate(&mut self, names: &[String]) -> CResult<()> {
        for n in names {
            let n_act = self.fs().actives.len();
            self.fs().actives.push(LocalVar {
                name: n.clone(),
                reg: n_act as u16,
                captured: false,
            });
        }
        let n = self.nactive_regs();
        if self.free() < n {
            self.set_free(n);
        }
        Ok(())
    }

    fn resolve(&mut self, name: &str) -> CResult<Var> {
        let depth = self.funcs.len() - 1;
        match self.resolve_in(depth, name)? {
            Some(v) => Ok(v),
            None => Ok(Var::Global(self.str_const(name.as_bytes())?)),
        }
    }

    fn resolve_in(&mut self, depth: usize, name: &str) -> CResult<Option<Var>> {
        if let Some(l) = self.funcs[depth]
            .actives
            .iter()
            .rev()
            .find(|l| l.name == name)
        {
            return Ok(Some(Var::Local(l.reg)));
        }
        if let Some(i) = self.funcs[depth].upvals.iter().position(|(n, _)| n == name) {
            return Ok(Some(Var::Upval(i as u16)));
        }
        if depth == 0 {
            return Ok(None);
        }
        let from = match self.resolve_in(depth - 1, name)? {
            None | Some(Var::Global(_)) => return Ok(None),
            Some(Var::Local(reg)) => {
                if let Some(l) = self.funcs[depth - 1]
                    .actives
                    .iter_mut()
                    .rev()
                    .find(|l| l.reg == reg)
                {
                    l.captured = true;
                }
                UpvalFrom::Local(reg)
            }
            Some(Var::Upval(u)) => UpvalFrom::Upval(u),
        };
        let fs = &mut self.funcs[depth];
        fs.upvals.push((name.to_string(), from));
        Ok(Some(Var::Upval(
            (self.funcs[depth].upvals.len() - 1) as u16,
        )))
    }

    // ---- blocks and statements ------------------------------------------------------

    fn enter_block(&mut self, is_loop: bool) {
        let nactive = self.fs().actives.len();
        self.fs().blocks.push(BlockScope {
            nactive,
            is_loop,
            breaks: Vec::new(),
        });
    }

    /// Leaves a scope: closes captured locals, frees registers, patches breaks.
    fn leave_block(&mut self) {
        let fs = self.fs();
        let Some(b) = fs.blocks.pop() else { return };
        let captured = fs.actives[b.nactive..].iter().any(|l| l.captured);
        fs.actives.truncate(b.nactive);
        let n = b.nactive as u16;
        fs.free_reg = n;
        if captured {
            self.emit(Op::Close { a: n });
        }
        if b.is_loop {
            self.patch_here(b.breaks);
        }
    }

    fn block(&mut self, b: &Block) -> CResult<()> {
        for s in &b.stats {
            self.stat(s)?;
            let n = self.nactive_regs();
            self.set_free(n);
        }
        if let Some((exprs, line)) = &b.ret {
            self.fs().line = *line;
            self.ret(exprs)?;
        }
        Ok(())
    }

    fn scoped_block(&mut self, b: &Block, is_loop: bool) -> CResult<()> {
        self.enter_block(is_loop);
        self.block(b)?;
        self.leave_block();
        Ok(())
    }

    fn ret(&mut self, exprs: &[Expr]) -> CResult<()> {
        if exprs.len() == 1 && is_multi(&exprs[0]) {
            if let ExprKind::Call(..) | ExprKind::Method(..) = exprs[0].kind {
                let a = self.call(&exprs[0], MULTI, true)?;
                self.emit(Op::Return { a, n: MULTI });
                return Ok(());
            }
        }
        if exprs.len() == 1 {
            if let Some(r) = self.local_reg(&exprs[0]) {
                self.emit(Op::Return { a: r, n: 1 });
                return Ok(());
            }
        }
        let first = self.free();
        let n = self.explist(exprs, None)?;
        self.emit(Op::Return { a: first, n });
        Ok(())
    }

    fn local_reg(&mut self, e: &Expr) -> Option<u16> {
        if let ExprKind::Name(n) = &e.kind {
            return self
                .fs()
                .actives
                .iter()
                .rev()
                .find(|l| &l.name == n)
                .map(|l| l.reg);
        }
        None
    }

    fn stat(&mut self, s: &Stat) -> CResult<()> {
        match s {
            Stat::Call(e) => {
                self.fs().line = e.line;
                self.call(e, 0, false)?;
            }
            Stat::Local { names, exprs, line } => {
                self.fs().line = *line;
                let want = names.len();
                self.explist(exprs, Some(want))?;
                self.activate(names)?;
            }
            Stat::Assign {
                targets,
                exprs,
                line,
            } => {
                self.fs().line = *line;
                self.assign(targets, exprs)?;
            }
            Stat::Do(b) => self.scoped_block(b, false)?,
            Stat::While { cond, body, line } => {
                self.fs().line = *line;
                let start = self.pc();
                let exits = self.cond_jump(cond, false)?;
                self.enter_block(true);
                self.block(body)?;
                self.fs().line = *line;
                self.leave_block_loop_back(start)?;
                self.patch_here(exits);
            }
            Stat::Repeat { body, cond, line } => {
                let start = self.pc();
                self.enter_block(true);
                self.block(body)?;
                self.fs().line = cond.line.max(*line);
                let nactive = self.fs().blocks.last().map(|b| b.nactive).unwrap_or(0);
                let captured = self.fs().actives[nactive..].iter().any(|l| l.captured);
                if captured {
                    // close the iteration's upvalues on both ways out
                    let exit = self.cond_jump(cond, true)?;
                    self.emit(Op::Close { a: nactive as u16 });
                    let back = self.emit(Op::Jmp { to: 0 });
                    self.patch(back, start);
                    self.patch_here(exit);
                } else {
                    let back = self.cond_jump(cond, false)?;
                    for j in back {
                        self.patch(j, start);
                    }
                }
                self.leave_block();
            }
            Stat::If { conds, else_, line } => {
                self.fs().line = *line;
                let mut ends = Vec::new();
                let count = conds.len();
                for (i, (c, b)) in conds.iter().enumerate() {
                    self.fs().line = c.line;
                    let skip = self.cond_jump(c, false)?;
                    self.scoped_block(b, false)?;
                    if i + 1 < count || else_.is_some() {
                        ends.push(self.emit(Op::Jmp { to: 0 }));
                    }
                    self.patch_here(skip);
                }
                if let Some(b) = else_ {
                    self.scoped_block(b, false)?;
                }
                self.patch_here(ends);
            }
            Stat::NumFor {
                var,
                start,
                limit,
                step,
                body,
                line,
            } => {
                self.fs().line = *line;
                self.enter_block(true);
                let base = self.free();
                self.expr_to_next(start)?;
                self.expr_to_next(limit)?;
                match step {
                    Some(s) => self.expr_to_next(s)?,
                    None => {
                        let k = self.constant(Value::Num(1.0))?;
                        let r = self.reserve(1)?;
                        self.emit(Op::LoadK { a: r, k });
                    }
                }
                self.activate(&[
                    "(for index)".into(),
                    "(for limit)".into(),
                    "(for step)".into(),
                ])?;
                self.fs().line = *line;
                let prep = self.emit(Op::ForPrep { a: base, to: 0 });
                let body_start = self.pc();
                self.enter_block(false);
                self.reserve(1)?;
                self.activate(std::slice::from_ref(var))?;
                self.block(body)?;
                self.leave_block();
                self.fs().line = *line;
                let lp = self.pc();
                self.patch(prep, lp);
                self.emit(Op::ForLoop {
                    a: base,
                    to: body_start as u32,
                });
                self.leave_block();
            }
            Stat::GenFor {
                names,
                exprs,
                body,
                line,
            } => {
                self.fs().line = *line;
                self.enter_block(true);
                let base = self.free();
                self.explist(exprs, Some(3))?;
                self.activate(&[
                    "(for generator)".into(),
                    "(for state)".into(),
                    "(for control)".into(),
                ])?;
                let prep = self.emit(Op::Jmp { to: 0 });
                let body_start = self.pc();
                self.enter_block(false);
                self.reserve(names.len() as u16)?;
                self.activate(names)?;
                self.block(body)?;
                self.leave_block();
                self.fs().line = *line;
                let call = self.pc();
                self.patch(prep, call);
                self.emit(Op::TForCall {
                    a: base,
                    nvars: names.len() as u16,
                });
                self.emit(Op::TForLoop {
                    a: base,
                    to: body_start as u32,
                });
                self.leave_block();
            }
            Stat::Function {
                path,
                method,
                func,
                line,
            } => {
                self.fs().line = *line;
                // evaluate the table path, then store the closure
                let first = &path[0];
                if path.len() == 1 && method.is_none() {
                    let r = self.closure(func)?;
                    self.fs().line = *line;
                    self.store_name(first, r)?;
                } else {
                    let t = self.reserve(1)?;
                    self.load_name(first, t)?;
                    let mut keys: Vec<&String> = path[1..].iter().collect();
                    if let Some(m) = method {
                        keys.push(m);
                    }
                    let last = keys.pop().expect("a method or a field");
                    for k in keys {
                        let kc = self.str_const(k.as_bytes())?;
                        let pc = self.emit(Op::GetTable {
                            a: t,
                            t,
                            key: Rk::K(kc),
                        });
                        let _ = pc;
                    }
                    let r = self.closure(func)?;
                    self.fs().line = *line;
                    let kc = self.str_const(last.as_bytes())?;
                    self.emit(Op::SetTable {
                        t,
                        key: Rk::K(kc),
                        val: Rk::R(r),
                    });
                }
            }
            Stat::LocalFunction { name, func, line } => {
                self.fs().line = *line;
                let r = self.reserve(1)?;
                self.activate(std::slice::from_ref(name))?;
                let c = self.closure(func)?;
                self.emit(Op::Move { a: r, b: c });
            }
            Stat::Break { line } => {
                self.fs().line = *line;
                let fs = self.fs();
                let mut captured = false;
                let mut target = None;
                for (i, b) in fs.blocks.iter().enumerate().rev() {
                    if fs.actives.len() > b.nactive
                        && fs.actives[b.nactive..].iter().any(|l| l.captured)
                    {
                        captured = true;
                    }
                    if b.is_loop {
                        target = Some((i, b.nactive));
                        break;
                    }
                }
                let Some((i, nactive)) = target else {
                    return Err(self.err(*line, "no loop to break near 'break'"));
                };
                if captured {
                    self.emit(Op::Close { a: nactive as u16 });
                }
                let j = self.emit(Op::Jmp { to: 0 });
                self.fs().blocks[i].breaks.push(j);
            }
        }
        Ok(())
    }

    /// The end of a while body: close its captured locals, jump back, then leave.
    fn leave_block_loop_back(&mut self, start: usize) -> CResult<()> {
        let fs = self.fs();
        let Some(b) = fs.blocks.last() else {
            return Ok(());
        };
        let nactive = b.nactive;
        let captured = fs.actives[nactive..].iter().any(|l| l.captured);
        if captured {
            self.emit(Op::Close { a: nactive as u16 });
        }
        let j = self.emit(Op::Jmp { to: 0 });
        self.patch(j, start);
        let fs = self.fs();
        let b = fs.blocks.pop().expect("checked above");
        fs.actives.truncate(b.nactive);
        fs.free_reg = b.nactive as u16;
        self.patch_here(b.breaks);
        Ok(())
    }

    fn assign(&mut self, targets: &[Expr], exprs: &[Expr]) -> CResult<()> {
        // single local/global/upvalue target: compute straight into place
        if targets.len() == 1 && exprs.len() == 1 {
            if let ExprKind::Name(n) = &targets[0].kind {
                match self.resolve(n)? {
                    Var::Local(r) => {
                        self.expr_to_reg(&exprs[0], r)?;
                        return Ok(());
                    }
                    _ => {
                        let (r, _) = self.expr_any(&exprs[0])?;
                        self.fs().line = targets[0].line;
                        return self.store_name(n, r);
                    }
                }
            }
        }
        // evaluate each target's table and key first
        enum Place {
            Name(String),
            Index(u16, Rk),
        }
        let mut places = Vec::new();
        for t in targets {
            match &t.kind {
                ExprKind::Name(n) => places.push(Place::Name(n.clone())),
                ExprKind::Index(obj, key) => {
                    let tr = self.reserve(1)?;
                    self.expr_to_reg(obj, tr)?;
                    let k = self.rk_fresh(key)?;
                    places.push(Place::Index(tr, k));
                }
                _ => return Err(self.err(t.line, "syntax error")),
            }
        }
        let first = self.free();
        self.explist(exprs, Some(targets.len()))?;
        for (i, p) in places.iter().enumerate().rev() {
            let v = first + i as u16;
            self.fs().line = targets[i].line;
            match p {
                Place::Name(n) => {
                    let n = n.clone();
                    self.store_name(&n, v)?
                }
                Place::Index(t, k) => {
                    self.emit(Op::SetTable {
                        t: *t,
                        key: *k,
                        val: Rk::R(v),
                    });
                }
            }
        }
        Ok(())
    }

    fn store_name(&mut self, name: &str, r: u16) -> CResult<()> {
        match self.resolve(name)? {
            Var::Local(l) => {
                if l != r {
                    self.emit(Op::Move { a: l, b: r });
                }
            }
            Var::Upval(u) => {
                self.emit(Op::SetUpval { u, a: r });
            }
            Var::Global(k) => {
                self.emit(Op::SetGlobal { k, a: r });
            }
        }
        Ok(())
    }

    fn load_name(&mut self, name: &str, a: u16) -> CResult<Option<NameDesc>> {
        Ok(match self.resolve(name)? {
            Var::Local(l) => {
                if l != a {
                    self.emit(Op::Move { a, b: l });
                }
                Some(NameDesc::Local(name.to_string()))
            }
            Var::Upval(u) => {
                self.emit(Op::GetUpval { a, u });
                Some(NameDesc::Upvalue(name.to_string()))
            }
            Var::Global(k) => {
                self.emit(Op::GetGlobal { a, k });
                Some(NameDesc::Global(name.to_string()))
            }
        })
    }

    // ---- expressions ----------------------------------------------------------------

    /// Evaluates a list into consecutive fresh registers. With `want`, adjusts to exactly
    /// that many (nil-padding or truncating, a last call giving what is missing); without,
    /// a last multi-value expression keeps all its values (returns MULTI).
    fn explist(&mut self, exprs: &[Expr], want: Option<usize>) -> CResult<u16> {
        let n = exprs.len();
        for (i, e) in exprs.iter().enumerate() {
            let last = i + 1 == n;
            if last && is_multi(e) {
                let need = match want {
                    None => MULTI,
                    Some(w) if w >= i => (w - i) as u16,
                    Some(_) => 0,
                };
                if need == 0 && want.is_some() {
                    // evaluated for its effects, then discarded
                    let save = self.free();
                    self.multi(e, 0)?;
                    self.set_free(save);
                } else {
                    self.multi(e, need)?;
                }
                return Ok(match want {
                    None => MULTI,
                    Some(w) => w as u16,
                });
            }
            match want {
                Some(w) if i >= w => {
                    let save = self.free();
                    self.expr_to_next(e)?;
                    self.set_free(save);
                }
                _ => self.expr_to_next(e)?,
            }
        }
        if let Some(w) = want {
            if w > n {
                let a = self.reserve((w - n) as u16)?;
                self.emit(Op::LoadNil {
                    a,
                    n: (w - n) as u16,
                });
            }
            return Ok(w as u16);
        }
        Ok(n as u16)
    }

    /// A call or `...` producing `n` values (MULTI: all) at the next free registers.
    fn multi(&mut self, e: &Expr, n: u16) -> CResult<()> {
        match &e.kind {
            ExprKind::VarArg => {
                self.check_vararg(e.line)?;
                let a = self.free();
                if n != MULTI {
                    self.reserve(n)?;
                }
                self.fs().line = e.line;
                self.emit(Op::VarArg { a, n });
            }
            _ => {
                let a = self.call(e, n, false)?;
                if n != MULTI {
                    self.set_free(a + n);
                    let f = self.free();
                    if f > self.fs().max_stack {
                        self.fs().max_stack = f;
                    }
                }
            }
        }
        Ok(())
    }

    fn check_vararg(&mut self, line: u32) -> CResult<()> {
        if !self.fs().is_vararg {
            return Err(self.err(
                line,
                "cannot use '...' outside a vararg function near '...'",
            ));
        }
        Ok(())
    }

    /// Compiles a call; returns the register holding the function (its results start there).
    fn call(&mut self, e: &Expr, nres: u16, tail: bool) -> CResult<u16> {
        let base = self.reserve(1)?;
        let (args, nargs_extra) = match &e.kind {
            ExprKind::Call(f, args) => {
                let desc = self.expr_to_reg_desc(f, base)?;
                let _ = self.reserve(0);
                (args, (0u16, desc))
            }
            ExprKind::Method(obj, name, args) => {
                let (o, _) = self.expr_any_keep(obj, base)?;
                let k = self.str_const(name.as_bytes())?;
                self.reserve(1)?;
                self.fs().line = e.line;
                let pc = self.emit(Op::SelfOp {
                    a: base,
                    obj: o,
                    key: Rk::K(k),
                });
                let odesc = if o == base { None } else { self.reg_desc(o) };
                self.name_operand(pc, o, odesc);
                (args, (1u16, Some(NameDesc::Method(name.clone()))))
            }
            _ => return Err(self.err(e.line, "function arguments expected")),
        };
        self.set_free(base + 1 + nargs_extra.0);
        let n = self.explist(args, None)?;
        let nargs = if n == MULTI { MULTI } else { n + nargs_extra.0 };
        self.fs().line = e.line;
        let pc = if tail {
            self.emit(Op::TailCall { a: base, nargs })
        } else {
            self.emit(Op::Call {
                a: base,
                nargs,
                nres,
            })
        };
        self.name_operand(pc, base, nargs_extra.1);
        self.set_free(base + 1);
        Ok(base)
    }

    /// A register's name when it is a local variable.
    fn reg_desc(&mut self, r: u16) -> Option<NameDesc> {
        self.fs()
            .actives
            .iter()
            .rev()
            .find(|l| l.reg == r)
            .map(|l| NameDesc::Local(l.name.clone()))
    }

    /// Evaluates into `a` (a local's own register is used in place when it is one).
    fn expr_any_keep(&mut self, e: &Expr, a: u16) -> CResult<(u16, Option<NameDesc>)> {
        if let Some(r) = self.local_reg(e) {
            if let ExprKind::Name(n) = &e.kind {
                return Ok((r, Some(NameDesc::Local(n.clone()))));
            }
        }
        let d = self.expr_to_reg_desc(e, a)?;
        Ok((a, d))
    }

    fn expr_to_next(&mut self, e: &Expr) -> CResult<()> {
        let r = self.reserve(1)?;
        self.expr_to_reg(e, r)
    }

    fn expr_to_reg(&mut self, e: &Expr, a: u16) -> CResult<()> {
        self.expr_to_reg_desc(e, a).map(|_| ())
    }

    /// A value in some register: a local's own, or a fresh one.
    fn expr_any(&mut self, e: &Expr) -> CResult<(u16, Option<NameDesc>)> {
        if let Some(r) = self.local_reg(e) {
            if let ExprKind::Name(n) = &e.kind {
                return Ok((r, Some(NameDesc::Local(n.clone()))));
            }
        }
        let r = self.reserve(1)?;
        let d = self.expr_to_reg_desc(e, r)?;
        Ok((r, d))
    }

    /// A register or a constant for an operand (numbers and strings are constants).
    fn rk(&mut self, e: &Expr) -> CResult<(Rk, Option<NameDesc>)> {
        if let Some(n) = fold(e) {
            return Ok((Rk::K(self.constant(Value::Num(n))?), None));
        }
        match &e.kind {
            ExprKind::Num(n) => Ok((Rk::K(self.constant(Value::Num(*n))?), None)),
            ExprKind::Str(s) => Ok((Rk::K(self.str_const(s)?), None)),
            _ => {
                let (r, d) = self.expr_any(e)?;
                Ok((Rk::R(r), d))
            }
        }
    }

    /// Like `rk`, but a local is copied (assignment targets' keys must not change).
    fn rk_fresh(&mut self, e: &Expr) -> CResult<Rk> {
        match &e.kind {
            ExprKind::Num(_) | ExprKind::Str(_) => Ok(self.rk(e)?.0),
            _ => {
                let r = self.reserve(1)?;
                self.expr_to_reg(e, r)?;
                Ok(Rk::R(r))
            }
        }
    }

    fn expr_to_reg_desc(&mut self, e: &Expr, a: u16) -> CResult<Option<NameDesc>> {
        let save_line = self.fs().line;
        self.fs().line = e.line;
        let save = self.free();
        if let Some(n) = fold(e) {
            let k = self.constant(Value::Num(n))?;
            self.emit(Op::LoadK { a, k });
            self.fs().line = save_line;
            return Ok(None);
        }
        let desc = match &e.kind {
            ExprKind::Nil => {
                self.emit(Op::LoadNil { a, n: 1 });
                None
            }
            ExprKind::True => {
                self.emit(Op::LoadBool { a, b: true });
                None
            }
            ExprKind::False => {
                self.emit(Op::LoadBool { a, b: false });
                None
            }
            ExprKind::Num(n) => {
                let k = self.constant(Value::Num(*n))?;
                self.emit(Op::LoadK { a, k });
                None
            }
            ExprKind::Str(s) => {
                let k = self.str_const(s)?;
                self.emit(Op::LoadK { a, k });
                None
            }
            ExprKind::VarArg => {
                self.check_vararg(e.line)?;
                self.emit(Op::VarArg { a, n: 1 });
                None
            }
            ExprKind::Name(n) => self.load_name(n, a)?,
            ExprKind::Index(obj, key) => {
                let (o, od) = self.expr_any(obj)?;
                let (k, _) = self.rk(key)?;
                self.fs().line = e.line;
                let pc = self.emit(Op::GetTable { a, t: o, key: k });
                self.name_operand(pc, o, od);
                match &key.kind {
                    ExprKind::Str(s) => {
                        Some(NameDesc::Field(String::from_utf8_lossy(s).into_owned()))
                    }
                    _ => None,
                }
            }
            ExprKind::Call(..) | ExprKind::Method(..) => {
                let r = self.call(e, 1, false)?;
                if r != a {
                    self.emit(Op::Move { a, b: r });
                }
                None
            }
            ExprKind::Paren(inner) => {
                self.expr_to_reg_desc(inner, a)?;
                None
            }
            ExprKind::Function(f) => {
                let idx = self.proto(f)?;
                self.emit(Op::Closure { a, proto: idx });
                None
            }
            ExprKind::Table(fields) => {
                self.table(fields, a)?;
                None
            }
            ExprKind::Un(op, x) => {
                let (b, d) = self.expr_any(x)?;
                self.fs().line = e.line;
                let pc = match op {
                    UnOp::Neg => self.emit(Op::Unm { a, b }),
                    UnOp::Not => self.emit(Op::Not { a, b }),
                    UnOp::Len => self.emit(Op::Len { a, b }),
                };
                self.name_operand(pc, b, d);
                None
            }
            ExprKind::Bin(op, l, r) => {
                self.binary(*op, l, r, a, e.line)?;
                None
            }
        };
        self.set_free(save);
        self.fs().line = save_line;
        Ok(desc)
    }

    fn binary(&mut self, op: BinOp, l: &Expr, r: &Expr, a: u16, line: u32) -> CResult<()> {
        let arith = match op {
            BinOp::Add => Some(Arith::Add),
            BinOp::Sub => Some(Arith::Sub),
            BinOp::Mul => Some(Arith::Mul),
            BinOp::Div => Some(Arith::Div),
            BinOp::Mod => Some(Arith::Mod),
            BinOp::Pow => Some(Arith::Pow),
            _ => None,
        };
        if let Some(ar) = arith {
            let (b, bd) = self.rk(l)?;
            let (c, cd) = self.rk(r)?;
            self.fs().line = line;
            let pc = self.emit(Op::Arith { op: ar, a, b, c });
            if let Rk::R(br) = b {
                self.name_operand(pc, br, bd);
            }
            if let Rk::R(cr) = c {
                self.name_operand(pc, cr, cd);
            }
            return Ok(());
        }
        match op {
            BinOp::Concat => {
                // flatten a right-leaning chain into consecutive registers
                let mut parts = vec![l];
                let mut rest = r;
                while let ExprKind::Bin(BinOp::Concat, l2, r2) = &rest.kind {
                    parts.push(l2);
                    rest = r2;
                }
                parts.push(rest);
                let first = self.free();
                for p in &parts {
                    let reg = self.reserve(1)?;
                    let d = self.expr_to_reg_desc(p, reg)?;
                    let d = d.or_else(|| match &p.kind {
                        ExprKind::Name(n) => Some(NameDesc::Local(n.clone())),
                        _ => None,
                    });
                    let _ = d;
                }
                let last = first + parts.len() as u16 - 1;
                self.fs().line = line;
                let pc = self.emit(Op::Concat {
                    a,
                    b: first,
                    c: last,
                });
                // record names of operands that were locals or named loads
                for (i, p) in parts.iter().enumerate() {
                    let d = match &p.kind {
                        ExprKind::Name(n) => match self.resolve(n)? {
                            Var::Local(_) => Some(NameDesc::Local(n.clone())),
                            Var::Upval(_) => Some(NameDesc::Upvalue(n.clone())),
                            Var::Global(_) => Some(NameDesc::Global(n.clone())),
                        },
                        ExprKind::Index(_, k) => match &k.kind {
                            ExprKind::Str(s) => {
                                Some(NameDesc::Field(String::from_utf8_lossy(s).into_owned()))
                            }
                            _ => None,
                        },
                        _ => None,
                    };
                    self.name_operand(pc, first + i as u16, d);
                }
                Ok(())
            }
            BinOp::And | BinOp::Or => {
                let when = op == BinOp::Or;
                // a = l; if truth(a) == when skip r
                let (lr, _) = self.expr_any(l)?;
                self.fs().line = line;
                let j = self.emit(Op::TestSet {
                    a,
                    b: lr,
                    when,
                    to: 0,
                });
                self.expr_to_reg(r, a)?;
                self.patch_here(vec![j]);
                Ok(())
            }
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                let (cmp, neg, b, c) = self.comparison(op, l, r)?;
                self.fs().line = line;
                self.emit(Op::CmpSet {
                    op: cmp,
                    a,
                    b,
                    c,
                    neg,
                });
                Ok(())
            }
            _ => Err(self.err(line, "syntax error")),
        }
    }

    /// A comparison's operands as Lua 5.1 evaluates them: `a > b` is `b < a` and `a ~= b`
    /// is `not (a == b)` (so `1 > nil` says "compare nil with number", as Lua does).
    fn comparison(&mut self, op: BinOp, l: &Expr, r: &Expr) -> CResult<(Cmp, bool, Rk, Rk)> {
        let (cmp, swap, neg) = match op {
            BinOp::Eq => (Cmp::Eq, false, false),
            BinOp::Ne => (Cmp::Eq, false, true),
            BinOp::Lt => (Cmp::Lt, false, false),
            BinOp::Le => (Cmp::Le, false, false),
            BinOp::Gt => (Cmp::Lt, true, false),
            _ => (Cmp::Le, true, false),
        };
        let (x, _) = self.rk(l)?;
        let (y, _) = self.rk(r)?;
        let (b, c) = if swap { (y, x) } else { (x, y) };
        Ok((cmp, neg, b, c))
    }

    /// Emits jumps taken when the truth of `e` equals `when`; falls through otherwise.
    fn cond_jump(&mut self, e: &Expr, when: bool) -> CResult<Vec<usize>> {
        let save = self.free();
        let out = match &e.kind {
            ExprKind::Nil | ExprKind::False => {
                if when {
                    Vec::new()
                } else {
                    vec![self.emit(Op::Jmp { to: 0 })]
                }
            }
            ExprKind::True | ExprKind::Num(_) | ExprKind::Str(_) => {
                if when {
                    vec![self.emit(Op::Jmp { to: 0 })]
                } else {
                    Vec::new()
                }
            }
            ExprKind::Un(UnOp::Not, x) => self.cond_jump(x, !when)?,
            ExprKind::Bin(BinOp::And, l, r) => {
                if when {
                    let skip = self.cond_jump(l, false)?;
                    let t = self.cond_jump(r, true)?;
                    self.patch_here(skip);
                    t
                } else {
                    let mut f = self.cond_jump(l, false)?;
                    f.extend(self.cond_jump(r, false)?);
                    f
                }
            }
            ExprKind::Bin(BinOp::Or, l, r) => {
                if when {
                    let mut t = self.cond_jump(l, true)?;
                    t.extend(self.cond_jump(r, true)?);
                    t
                } else {
                    let skip = self.cond_jump(l, true)?;
                    let f = self.cond_jump(r, false)?;
                    self.patch_here(skip);
                    f
                }
            }
            ExprKind::Bin(
                op @ (BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge),
                l,
                r,
            ) => {
                let (cmp, neg, b, c) = self.comparison(*op, l, r)?;
                self.fs().line = e.line;
                vec![self.emit(Op::JmpCmp {
                    op: cmp,
                    when: when != neg,
                    b,
                    c,
                    to: 0,
                })]
            }
            _ => {
                let (r, _) = self.expr_any(e)?;
                vec![self.emit(Op::JmpTest { a: r, when, to: 0 })]
            }
        };
        self.set_free(save);
        Ok(out)
    }

    fn table(&mut self, fields: &[Field], a: u16) -> CResult<()> {
        let npos = fields.iter().filter(|f| matches!(f, Field::Pos(_))).count();
        let last_multi = matches!(fields.last(), Some(Field::Pos(e)) if is_multi(e));
        let narr = if last_multi { npos - 1 } else { npos };
        let nhash = fields.len() - npos;
        let pc = self.emit(Op::NewTable {
            a,
            narr: fb_round(narr),
            nhash: fb_round(nhash),
        });
        let _ = pc;
        let save = self.free();
        if save <= a {
            self.set_free(a + 1);
        }
        let mut pending = 0u16;
        let mut stored = 0u32;
        let count = fields.len();
        for (i, f) in fields.iter().enumerate() {
            match f {
                Field::Pos(e) => {
                    if i + 1 == count && is_multi(e) {
                        self.multi(e, MULTI)?;
                        self.emit(Op::SetList {
                            a,
                            n: MULTI,
                            start: stored,
                        });
                        stored += pending as u32;
                        pending = 0;
                        continue;
                    }
                    self.expr_to_next(e)?;
                    pending += 1;
                    if pending as usize == FIELDS_PER_FLUSH {
                        self.emit(Op::SetList {
                            a,
                            n: pending,
                            start: stored,
                        });
                        stored += pending as u32;
                        pending = 0;
                        self.set_free(a + 1);
                    }
                }
                Field::Named(name, e) => {
                    let k = self.str_const(name.as_bytes())?;
                    let inner = self.free();
                    let (v, _) = self.rk(e)?;
                    self.emit(Op::SetTable {
                        t: a,
                        key: Rk::K(k),
                        val: v,
                    });
                    self.set_free(inner);
                }
                Field::Keyed(k, e) => {
                    let inner = self.free();
                    let (kk, _) = self.rk(k)?;
                    let (v, _) = self.rk(e)?;
                    self.emit(Op::SetTable {
                        t: a,
                        key: kk,
                        val: v,
                    });
                    self.set_free(inner);
                }
            }
        }
        if pending > 0 {
            self.emit(Op::SetList {
                a,
                n: pending,
                start: stored,
            });
        }
        self.set_free(save.max(a + 1));
        Ok(())
    }

    fn proto(&mut self, f: &FuncBody) -> CResult<u16> {
        let p = self.function(f, None)?;
        let fs = self.fs();
        fs.protos.push(p);
        Ok((fs.protos.len() - 1) as u16)
    }

    fn closure(&mut self, f: &FuncBody) -> CResult<u16> {
        let idx = self.proto(f)?;
        let r = self.reserve(1)?;
        self.emit(Op::Closure { a: r, proto: idx });
        Ok(r)
    }
}
