//! Lua 5.1's grammar, to `ast`: a recursive-descent parser that follows Lua 5.1.5's
//! `lparser.c` step for step, so that it accepts what Lua 5.1 accepts and refuses what it
//! refuses with the same message, at the same line, near the same token.
//!
//! # Limits
//! Lua's limits are kept, with its texts:
//! - nesting: every block and every (sub)expression enters a level, as `lparser.c`'s
//!   `enterlevel` does, and more than 200 (`LUAI_MAXCCALLS`) is `chunk has too many
//!   syntax levels`. This also bounds this parser's own recursion.
//! - 200 active local variables per function (the hidden ones of `for` loops, `self` and
//!   the `arg` of a vararg function count, as in Lua): `main function has more than 200
//!   local variables`, `function at line N has more than 200 local variables`;
//! - 60 upvalues per function: the parser resolves names to locals, upvalues or globals
//!   only to count them (`function at line N has more than 60 upvalues`);
//! - `a, b, c = ...` takes at most `200 - level` targets (`variables in assignment`).
//!
//! One limit is this parser's own: Lua parses `a.b.c.d...`, `f()()()...` and
//! `a + b + c + ...` in a loop, so it accepts such chains of any length, but the tree for
//! them is as deep as the chain is long, and walking (or dropping) a tree recursively must
//! not overflow the stack. So a tree deeper than [`MAX_DEPTH`] nodes (counting every
//! expression, statement and block on the way down) is refused with Lua's own message for
//! too deep a nesting, `chunk has too many syntax levels`. Only long chains (or chains
//! repeated at many of Lua's 200 levels) can reach it; nesting alone stays well below.
//!
//! # Lines
//! Each node carries the line Lua 5.1 would report for a run-time error in it, which is
//! the line its code generator stamps on the instruction: the line of the last token read
//! when the instruction is emitted.
//! - literals, `...`, a variable (`Name`): the line of the token (where it ends: a long
//!   string's last line);
//! - `Index` (`t.k`, `t[k]`): the line of the key's name or of the `]`;
//! - `Call`, `Method`: the line of the `(`, `{` or string that starts the arguments (Lua's
//!   `funcargs` fixes the call instruction there);
//! - `Bin`, `Un`: the line of the last token of the (right) operand, where Lua emits the
//!   operation (`a +\n nil` fails on line 2);
//! - `Paren`, `Table`: the line of the `(` or `{`; `Function`: as `FuncBody::line`.
//!
//! And for statements:
//! - `Assign`: the line of the last token of the values (Lua stores after reading them);
//! - `NumFor`: the line of `do` (where the loop's `'for' initial value must be a number`
//!   check is emitted); `GenFor`: the line of the first token after `in` (where Lua fixes
//!   the call of the iterator);
//! - `Function`: the line of `function`; every other statement: the line of its first
//!   token; `Block::ret`: the line of `return`.
//!
//! `FuncBody::line` is Lua's `linedefined`: the line of the `function` keyword for
//! `function f()` statements, and the line of the token after `function` (for `local
//! function f`, after the name), normally the `(`, for the others. `FuncBody::end_line`
//! is the line of its `end`, and the last line of the source for the main chunk.
//!
//! # Errors
//! The `Err` text is Lua's: `user_script:1: unexpected symbol near '<eof>'`. Names,
//! strings and numbers are named by their source text (a string as read: quotes kept,
//! escapes decoded; cut at a zero byte, as C prints it). Lua's message is bytes; bytes that
//! are not UTF-8 (a stray `\xff` byte) become U+FFFD here.
//!
//! # For the compiler
//! - A function with `...` (not the main chunk) also has, as Lua 5.1 built with
//!   `LUA_COMPAT_VARARG` (as Redis's is), a local `arg` after its parameters: a table of
//!   the extra arguments with `n`, or nil when the function's own body (not a nested
//!   function) uses `...`. It is not in `FuncBody::params`; the parser counts it as a
//!   local (for the 200 limit) and resolves the name `arg` to it.
//! - Lua's code generator also refuses a function that needs more than 250 registers
//!   (`function or expression too complex near '1'`, e.g. a call with 250 arguments);
//!   that depends on register allocation and is not checked here.

use crate::ast::{BinOp, Block, Expr, ExprKind, Field, FuncBody, Stat, UnOp};
use crate::lexer::{token2str, Lexer, Near, Tok};

/// Lua's `LUAI_MAXCCALLS`: how deep blocks and expressions may nest.
pub const MAX_LEVELS: u32 = 200;
/// Lua's `LUAI_MAXVARS`: active local variables per function.
pub const MAX_VARS: usize = 200;
/// Lua's `LUAI_MAXUPVALUES`: upvalues per function.
pub const MAX_UPVALUES: usize = 60;
/// The deepest tree the parser returns (see the module's doc): a recursive walk over a
/// parsed tree never goes more than this many nodes (expressions, statements, blocks)
/// down.
pub const MAX_DEPTH: u32 = 1000;

/// Unary operators' priority (`lparser.c`'s `UNARY_PRIORITY`): only `^` binds tighter.
const UNARY_PRIORITY: u8 = 8;

type PResult<T> = Result<T, String>;

/// Parses a chunk: the main function (no parameters, vararg, `line` 0). `chunk` is the
/// name errors begin with (`user_script`).
pub fn parse(src: &[u8], chunk: &str) -> Result<FuncBody, String> {
    let mut p = Parser {
        lx: Lexer::new(src, chunk),
        funcs: Vec::new(),
        level: 0,
    };
    p.open_func(0, true);
    p.lx.next_token()?;
    let (body, _) = p.chunk()?;
    p.check(&Tok::Eos)?;
    p.funcs.pop();
    Ok(FuncBody {
        params: Vec::new(),
        is_vararg: true,
        body,
        line: 0,
        end_line: p.lx.linenumber,
    })
}

/// A block being parsed (for `break` and for the locals it scopes).
struct BlockScope {
    /// Active locals when it was entered.
    nactvar: usize,
    breakable: bool,
}

/// A function being parsed: what Lua's `FuncState` knows that decides errors.
struct FuncState {
    /// Active local variables, innermost last.
    actvar: Vec<String>,
    /// Declared but not yet in scope (`local x = x` reads the outer `x`).
    pending: Vec<String>,
    /// Upvalues: (a local of the enclosing function?, its index there).
    upvals: Vec<(bool, usize)>,
    blocks: Vec<BlockScope>,
    linedefined: u32,
    is_vararg: bool,
}

struct Parser<'a> {
    lx: Lexer<'a>,
    funcs: Vec<FuncState>,
    /// Lua's `nCcalls` while parsing.
    level: u32,
}

/// An expression (boxed: parse functions pass a pointer, not the node, which keeps
/// their stack frames small) and the height of its tree.
type Ex = (Box<Expr>, u32);

fn block_follow(t: &Tok) -> bool {
    matches!(
        t,
        Tok::Else | Tok::Elseif | Tok::End | Tok::Until | Tok::Eos
    )
}

fn unop(t: &Tok) -> Option<UnOp> {
    match t {
        Tok::Not => Some(UnOp::Not),
        Tok::Char(b'-') => Some(UnOp::Neg),
        Tok::Char(b'#') => Some(UnOp::Len),
        _ => None,
    }
}

fn binop(t: &Tok) -> Option<BinOp> {
    Some(match t {
        Tok::Char(b'+') => BinOp::Add,
        Tok::Char(b'-') => BinOp::Sub,
        Tok::Char(b'*') => BinOp::Mul,
        Tok::Char(b'/') => BinOp::Div,
        Tok::Char(b'%') => BinOp::Mod,
        Tok::Char(b'^') => BinOp::Pow,
        Tok::Concat => BinOp::Concat,
        Tok::Ne => BinOp::Ne,
        Tok::Eq => BinOp::Eq,
        Tok::Char(b'<') => BinOp::Lt,
        Tok::Le => BinOp::Le,
        Tok::Char(b'>') => BinOp::Gt,
        Tok::Ge => BinOp::Ge,
        Tok::And => BinOp::And,
        Tok::Or => BinOp::Or,
        _ => return None,
    })
}

/// (left, right) priority, as `lparser.c`'s table: a right priority lower than the left
/// makes the operator right associative.
fn priority(op: BinOp) -> (u8, u8) {
    match op {
        BinOp::Add | BinOp::Sub => (6, 6),
        BinOp::Mul | BinOp::Div | BinOp::Mod => (7, 7),
        BinOp::Pow => (10, 9),
        BinOp::Concat => (5, 4),
        BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => (3, 3),
        BinOp::And => (2, 2),
        BinOp::Or => (1, 1),
    }
}

fn tstr(t: &Tok) -> String {
    String::from_utf8_lossy(&token2str(t)).into_owned()
}

fn is_call(e: &Expr) -> bool {
    matches!(e.kind, ExprKind::Call(..) | ExprKind::Method(..))
}

impl Parser<'_> {
    // ---- tokens ----

    fn next(&mut self) -> PResult<()> {
        self.lx.next_token()
    }

    fn at(&self, t: &Tok) -> bool {
        self.lx.token == *t
    }

    fn at_char(&self, c: u8) -> bool {
        self.lx.token == Tok::Char(c)
    }

    fn testnext(&mut self, t: &Tok) -> PResult<bool> {
        if self.at(t) {
            self.next()?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    #[cold]
    #[inline(never)]
    fn error_expected(&self, t: &Tok) -> String {
        self.lx.syntax_error(&format!("'{}' expected", tstr(t)))
    }

    fn check(&self, t: &Tok) -> PResult<()> {
        if self.at(t) {
            Ok(())
        } else {
            Err(self.error_expected(t))
        }
    }

    fn checknext(&mut self, t: &Tok) -> PResult<()> {
        self.check(t)?;
        self.next()
    }

    /// Expects `what` closing `who` opened at line `line`.
    fn check_match(&mut self, what: &Tok, who: &Tok, line: u32) -> PResult<()> {
        if self.testnext(what)? {
            return Ok(());
        }
        Err(self.error_unmatched(what, who, line))
    }

    #[cold]
    #[inline(never)]
    fn error_unmatched(&self, what: &Tok, who: &Tok, line: u32) -> String {
        if line == self.lx.linenumber {
            self.error_expected(what)
        } else {
            self.lx.syntax_error(&format!(
                "'{}' expected (to close '{}' at line {})",
                tstr(what),
                tstr(who),
                line
            ))
        }
    }

    fn str_checkname(&mut self) -> PResult<String> {
        let name = match &self.lx.token {
            Tok::Name(n) => n.clone(),
            _ => return Err(self.error_expected(&Tok::Name(String::new()))),
        };
        self.next()?;
        Ok(name)
    }

    // ---- levels and depth ----

    fn enter_level(&mut self) -> PResult<()> {
        self.level += 1;
        if self.level > MAX_LEVELS {
            return Err(self.too_deep());
        }
        Ok(())
    }

    fn leave_level(&mut self) {
        self.level = self.level.saturating_sub(1);
    }

    #[cold]
    #[inline(never)]
    fn too_deep(&self) -> String {
        self.lx
            .error("chunk has too many syntax levels", Near::Nothing)
    }

    /// The height of a node over children of height `h`, refused past `MAX_DEPTH`.
    fn over(&self, h: u32) -> PResult<u32> {
        let h = h.saturating_add(1);
        if h > MAX_DEPTH {
            return Err(self.too_deep());
        }
        Ok(h)
    }

    fn ex(&self, kind: ExprKind, line: u32, child_height: u32) -> PResult<Ex> {
        let h = self.over(child_height)?;
        Ok((Box::new(Expr { kind, line }), h))
    }

    // ---- functions, scopes and variables ----

    fn fs(&mut self) -> &mut FuncState {
        // `funcs` is never empty while parsing: the main function is opened first.
        let last = self.funcs.len().saturating_sub(1);
        &mut self.funcs[last]
    }

    fn open_func(&mut self, line: u32, is_vararg: bool) {
        self.funcs.push(FuncState {
            actvar: Vec::new(),
            pending: Vec::new(),
            upvals: Vec::new(),
            blocks: Vec::new(),
            linedefined: line,
            is_vararg,
        });
    }

    /// Lua's `errorlimit` for the function at `fidx`.
    #[cold]
    #[inline(never)]
    fn error_limit(&self, fidx: usize, limit: usize, what: &str) -> String {
        let line = self.funcs.get(fidx).map_or(0, |f| f.linedefined);
        let msg = if line == 0 {
            format!("main function has more than {limit} {what}")
        } else {
            format!("function at line {line} has more than {limit} {what}")
        };
        self.lx.error(&msg, Near::Nothing)
    }

    /// Declares a local (not yet in scope): Lua's `new_localvar`.
    fn new_localvar(&mut self, name: String) -> PResult<()> {
        let fidx = self.funcs.len() - 1;
        let fs = self.fs();
        if fs.actvar.len() + fs.pending.len() + 1 > MAX_VARS {
            return Err(self.error_limit(fidx, MAX_VARS, "local variables"));
        }
        fs.pending.push(name);
        Ok(())
    }

    /// Brings the first `n` declared locals into scope: Lua's `adjustlocalvars`.
    fn adjust_localvars(&mut self, n: usize) {
        let fs = self.fs();
        let n = n.min(fs.pending.len());
        let names: Vec<String> = fs.pending.drain(..n).collect();
        fs.actvar.extend(names);
    }

    fn enter_block(&mut self, breakable: bool) {
        let fs = self.fs();
        let nactvar = fs.actvar.len();
        fs.blocks.push(BlockScope { nactvar, breakable });
    }

    fn leave_block(&mut self) {
        let fs = self.fs();
        if let Some(b) = fs.blocks.pop() {
            fs.actvar.truncate(b.nactvar);
        }
    }

    /// Resolves a name as Lua's `singlevaraux` does, to count the upvalues it makes.
    fn resolve(&mut self, name: &str) -> PResult<()> {
        let n = self.funcs.len();
        let mut found = None;
        for lvl in (0..n).rev() {
            if let Some(i) = self.funcs[lvl].actvar.iter().rposition(|v| v == name) {
                found = Some((lvl, i));
                break;
            }
        }
        let Some((lvl, idx)) = found else {
            return Ok(()); // a global
        };
        let mut var = (true, idx);
        for l in lvl + 1..n {
            let ups = &self.funcs[l].upvals;
            if let Some(j) = ups.iter().position(|u| *u == var) {
                var = (false, j);
                continue;
            }
            if ups.len() + 1 > MAX_UPVALUES {
                return Err(self.error_limit(l, MAX_UPVALUES, "upvalues"));
            }
            let ups = &mut self.funcs[l].upvals;
            ups.push(var);
            var = (false, ups.len() - 1);
        }
        Ok(())
    }

    // ---- blocks and statements ----

    /// `{ stat [';'] }`, ending after `return` or `break` (Lua's `chunk`).
    fn chunk(&mut self) -> PResult<(Block, u32)> {
        self.enter_level()?;
        let mut block = Block::default();
        let mut h = 0;
        while !block_follow(&self.lx.token) {
            match self.lx.token {
                Tok::Return => {
                    let line = self.lx.linenumber;
                    self.next()?;
                    let exprs = if block_follow(&self.lx.token) || self.at_char(b';') {
                        Vec::new()
                    } else {
                        let (es, eh) = self.explist1()?;
                        h = h.max(eh);
                        es
                    };
                    block.ret = Some((exprs, line));
                    self.testnext(&Tok::Char(b';'))?;
                    break;
                }
                Tok::Break => {
                    let line = self.lx.linenumber;
                    self.next()?;
                    if !self.fs().blocks.iter().any(|b| b.breakable) {
                        return Err(self.lx.syntax_error("no loop to break"));
                    }
                    block.stats.push(Stat::Break { line });
                    h = h.max(1);
                    self.testnext(&Tok::Char(b';'))?;
                    break;
                }
                _ => {
                    let sh = self.statement(&mut block.stats)?;
                    h = h.max(sh);
                    self.testnext(&Tok::Char(b';'))?;
                }
            }
        }
        self.leave_level();
        let h = self.over(h)?;
        Ok((block, h))
    }

    /// A block with its own scope (Lua's `block`).
    fn block(&mut self) -> PResult<(Block, u32)> {
        self.enter_block(false);
        let r = self.chunk()?;
        self.leave_block();
        Ok(r)
    }

    /// One statement. Each kind is parsed by a function of its own (not inlined), so a
    /// nested statement's stack frame holds only what that kind needs.
    fn statement(&mut self, out: &mut Vec<Stat>) -> PResult<u32> {
        let line = self.lx.linenumber;
        let h = match self.lx.token {
            Tok::If => self.ifstat(line, out)?,
            Tok::While => self.whilestat(line, out)?,
            Tok::Do => self.dostat(line, out)?,
            Tok::For => self.forstat(line, out)?,
            Tok::Repeat => self.repeatstat(line, out)?,
            Tok::Function => self.funcstat(line, out)?,
            Tok::Local => {
                self.next()?;
                if self.testnext(&Tok::Function)? {
                    self.localfunc(line, out)?
                } else {
                    self.localstat(line, out)?
                }
            }
            _ => self.exprstat(out)?,
        };
        self.over(h)
    }

    #[inline(never)]
    fn whilestat(&mut self, line: u32, out: &mut Vec<Stat>) -> PResult<u32> {
        self.next()?;
        let (cond, ch) = self.expr()?;
        self.enter_block(true);
        self.checknext(&Tok::Do)?;
        let (body, bh) = self.block()?;
        self.check_match(&Tok::End, &Tok::While, line)?;
        self.leave_block();
        out.push(Stat::While {
            cond: *cond,
            body,
            line,
        });
        Ok(ch.max(bh))
    }

    #[inline(never)]
    fn dostat(&mut self, line: u32, out: &mut Vec<Stat>) -> PResult<u32> {
        self.next()?;
        let (b, bh) = self.block()?;
        self.check_match(&Tok::End, &Tok::Do, line)?;
        out.push(Stat::Do(b));
        Ok(bh)
    }

    #[inline(never)]
    fn repeatstat(&mut self, line: u32, out: &mut Vec<Stat>) -> PResult<u32> {
        self.enter_block(true); // the loop
        self.enter_block(false); // the scope `until` sees
        self.next()?;
        let (body, bh) = self.chunk()?;
        self.check_match(&Tok::Until, &Tok::Repeat, line)?;
        let (cond, ch) = self.expr()?;
        self.leave_block();
        self.leave_block();
        out.push(Stat::Repeat {
            body,
            cond: *cond,
            line,
        });
        Ok(bh.max(ch))
    }

    #[inline(never)]
    fn funcstat(&mut self, line: u32, out: &mut Vec<Stat>) -> PResult<u32> {
        self.next()?;
        let first = self.str_checkname()?;
        self.resolve(&first)?;
        let mut path = vec![first];
        while self.at_char(b'.') {
            self.next()?;
            path.push(self.str_checkname()?);
        }
        let mut method = None;
        if self.at_char(b':') {
            self.next()?;
            method = Some(self.str_checkname()?);
        }
        let (func, fh) = self.body(method.is_some(), line)?;
        out.push(Stat::Function {
            path,
            method,
            func,
            line,
        });
        Ok(fh)
    }

    /// `local function NAME body`, after `local function`.
    #[inline(never)]
    fn localfunc(&mut self, line: u32, out: &mut Vec<Stat>) -> PResult<u32> {
        let name = self.str_checkname()?;
        self.new_localvar(name.clone())?;
        self.adjust_localvars(1);
        let fline = self.lx.linenumber;
        let (func, fh) = self.body(false, fline)?;
        out.push(Stat::LocalFunction { name, func, line });
        Ok(fh)
    }

    /// `local NAME {, NAME} [= explist]`, after `local`.
    #[inline(never)]
    fn localstat(&mut self, line: u32, out: &mut Vec<Stat>) -> PResult<u32> {
        let mut names = Vec::new();
        loop {
            let name = self.str_checkname()?;
            self.new_localvar(name.clone())?;
            names.push(name);
            if !self.testnext(&Tok::Char(b','))? {
                break;
            }
        }
        let (exprs, eh) = if self.testnext(&Tok::Char(b'='))? {
            self.explist1()?
        } else {
            (Vec::new(), 0)
        };
        self.adjust_localvars(names.len());
        out.push(Stat::Local { names, exprs, line });
        Ok(eh)
    }

    #[inline(never)]
    fn ifstat(&mut self, line: u32, out: &mut Vec<Stat>) -> PResult<u32> {
        let mut conds = Vec::new();
        let mut h = 0;
        loop {
            // IF or ELSEIF cond THEN block
            self.next()?;
            let (cond, ch) = self.expr()?;
            self.checknext(&Tok::Then)?;
            let (b, bh) = self.block()?;
            h = h.max(ch).max(bh);
            conds.push((*cond, b));
            if !self.at(&Tok::Elseif) {
                break;
            }
        }
        let mut else_ = None;
        if self.at(&Tok::Else) {
            self.next()?;
            let (b, bh) = self.block()?;
            h = h.max(bh);
            else_ = Some(b);
        }
        self.check_match(&Tok::End, &Tok::If, line)?;
        out.push(Stat::If { conds, else_, line });
        Ok(h)
    }

    #[inline(never)]
    fn forstat(&mut self, line: u32, out: &mut Vec<Stat>) -> PResult<u32> {
        self.enter_block(true); // the loop and its control variables
        self.next()?;
        let var = self.str_checkname()?;
        let r = match self.lx.token {
            Tok::Char(b'=') => {
                for hidden in ["(for index)", "(for limit)", "(for step)"] {
                    self.new_localvar(hidden.to_string())?;
                }
                self.new_localvar(var.clone())?;
                self.next()?;
                let (start, h1) = self.expr()?;
                self.checknext(&Tok::Char(b','))?;
                let (limit, h2) = self.expr()?;
                let mut h = h1.max(h2);
                let step = if self.testnext(&Tok::Char(b','))? {
                    let (s, h3) = self.expr()?;
                    h = h.max(h3);
                    Some(*s)
                } else {
                    None
                };
                let (body, do_line, bh) = self.forbody(1)?;
                (
                    Stat::NumFor {
                        var,
                        start: *start,
                        limit: *limit,
                        step,
                        body,
                        line: do_line,
                    },
                    h.max(bh),
                )
            }
            Tok::Char(b',') | Tok::In => {
                for hidden in ["(for generator)", "(for state)", "(for control)"] {
                    self.new_localvar(hidden.to_string())?;
                }
                self.new_localvar(var.clone())?;
                let mut names = vec![var];
                while self.testnext(&Tok::Char(b','))? {
                    let n = self.str_checkname()?;
                    self.new_localvar(n.clone())?;
                    names.push(n);
                }
                self.checknext(&Tok::In)?;
                let in_line = self.lx.linenumber;
                let (exprs, eh) = self.explist1()?;
                let (body, _, bh) = self.forbody(names.len())?;
                (
                    Stat::GenFor {
                        names,
                        exprs,
                        body,
                        line: in_line,
                    },
                    eh.max(bh),
                )
            }
            _ => return Err(self.lx.syntax_error("'=' or 'in' expected")),
        };
        self.check_match(&Tok::End, &Tok::For, line)?;
        self.leave_block();
        out.push(r.0);
        Ok(r.1)
    }

    /// `do block` of a `for`, its `nvars` variables in scope; also the line of `do`.
    fn forbody(&mut self, nvars: usize) -> PResult<(Block, u32, u32)> {
        self.adjust_localvars(3);
        self.checknext(&Tok::Do)?;
        let do_line = self.lx.lastline;
        self.enter_block(false);
        self.adjust_localvars(nvars);
        let (b, bh) = self.block()?;
        self.leave_block();
        Ok((b, do_line, bh))
    }

    /// A call statement or an assignment.
    #[inline(never)]
    fn exprstat(&mut self, out: &mut Vec<Stat>) -> PResult<u32> {
        let (first, fh) = self.primaryexp()?;
        if is_call(&first) {
            out.push(Stat::Call(*first));
            return Ok(fh);
        }
        let mut targets = vec![*first];
        let mut h = fh;
        loop {
            let assignable = targets
                .last()
                .is_some_and(|t| matches!(t.kind, ExprKind::Name(_) | ExprKind::Index(..)));
            if !assignable {
                return Err(self.lx.syntax_error("syntax error"));
            }
            if self.testnext(&Tok::Char(b','))? {
                let (t, th) = self.primaryexp()?;
                let nvars = targets.len();
                let limit = MAX_LEVELS.saturating_sub(self.level) as usize;
                if nvars > limit {
                    let fidx = self.funcs.len() - 1;
                    return Err(self.error_limit(fidx, limit, "variables in assignment"));
                }
                targets.push(*t);
                h = h.max(th);
            } else {
                self.checknext(&Tok::Char(b'='))?;
                let (exprs, eh) = self.explist1()?;
                let line = self.lx.lastline;
                out.push(Stat::Assign {
                    targets,
                    exprs,
                    line,
                });
                return Ok(h.max(eh));
            }
        }
    }

    /// `function` body: `(params) block end`. `line` is Lua's `linedefined`.
    #[inline(never)]
    fn body(&mut self, needself: bool, line: u32) -> PResult<(Box<FuncBody>, u32)> {
        self.open_func(line, false);
        self.checknext(&Tok::Char(b'('))?;
        let mut params = Vec::new();
        if needself {
            self.new_localvar("self".to_string())?;
            self.adjust_localvars(1);
            params.push("self".to_string());
        }
        let mut nparams = 0;
        let mut is_vararg = false;
        if !self.at_char(b')') {
            loop {
                match self.lx.token {
                    Tok::Name(_) => {
                        let name = self.str_checkname()?;
                        self.new_localvar(name.clone())?;
                        params.push(name);
                        nparams += 1;
                    }
                    Tok::Dots => {
                        self.next()?;
                        // Lua 5.1's compatibility `arg` table is a local of the function.
                        self.new_localvar("arg".to_string())?;
                        nparams += 1;
                        is_vararg = true;
                    }
                    _ => return Err(self.lx.syntax_error("<name> or '...' expected")),
                }
                if is_vararg || !self.testnext(&Tok::Char(b','))? {
                    break;
                }
            }
        }
        self.fs().is_vararg = is_vararg;
        self.adjust_localvars(nparams);
        self.checknext(&Tok::Char(b')'))?;
        let (body, bh) = self.chunk()?;
        let end_line = self.lx.linenumber;
        self.check_match(&Tok::End, &Tok::Function, line)?;
        self.funcs.pop();
        let h = self.over(bh)?;
        let f = FuncBody {
            params,
            is_vararg,
            body,
            line,
            end_line,
        };
        Ok((Box::new(f), h))
    }

    // ---- expressions ----

    fn expr(&mut self) -> PResult<Ex> {
        let (e, h, _) = self.subexpr(0)?;
        Ok((e, h))
    }

    fn explist1(&mut self) -> PResult<(Vec<Expr>, u32)> {
        let (e, mut h) = self.expr()?;
        let mut list = vec![*e];
        while self.testnext(&Tok::Char(b','))? {
            let (e, eh) = self.expr()?;
            h = h.max(eh);
            list.push(*e);
        }
        Ok((list, h))
    }

    /// `(simpleexp | unop subexpr) { binop subexpr }` with the binary operators whose left
    /// priority is above `limit`; also the first operator it left alone.
    fn subexpr(&mut self, limit: u8) -> PResult<(Box<Expr>, u32, Option<BinOp>)> {
        self.enter_level()?;
        let (mut e, mut h) = match unop(&self.lx.token) {
            Some(op) => {
                self.next()?;
                let (operand, oh, _) = self.subexpr(UNARY_PRIORITY)?;
                let line = self.lx.lastline;
                self.ex(ExprKind::Un(op, operand), line, oh)?
            }
            None => self.simpleexp()?,
        };
        let mut op = binop(&self.lx.token);
        while let Some(o) = op {
            let (left, right) = priority(o);
            if left <= limit {
                break;
            }
            self.next()?;
            let (e2, h2, nextop) = self.subexpr(right)?;
            let line = self.lx.lastline;
            (e, h) = self.ex(ExprKind::Bin(o, e, e2), line, h.max(h2))?;
            op = nextop;
        }
        self.leave_level();
        Ok((e, h, op))
    }

    fn simpleexp(&mut self) -> PResult<Ex> {
        let line = self.lx.linenumber;
        let kind = match &self.lx.token {
            Tok::Number(n) => ExprKind::Num(*n),
            Tok::Str(s) => ExprKind::Str(s.clone()),
            Tok::Nil => ExprKind::Nil,
            Tok::True => ExprKind::True,
            Tok::False => ExprKind::False,
            Tok::Dots => {
                if !self.fs().is_vararg {
                    return Err(self
                        .lx
                        .syntax_error("cannot use '...' outside a vararg function"));
                }
                ExprKind::VarArg
            }
            Tok::Char(b'{') => return self.constructor(),
            Tok::Function => {
                self.next()?;
                let fline = self.lx.linenumber;
                let (f, fh) = self.body(false, fline)?;
                return self.ex(ExprKind::Function(f), fline, fh);
            }
            _ => return self.primaryexp(),
        };
        self.next()?;
        self.ex(kind, line, 0)
    }

    /// `prefixexp { '.' NAME | '[' exp ']' | ':' NAME funcargs | funcargs }`.
    fn primaryexp(&mut self) -> PResult<Ex> {
        let (mut e, mut h) = self.prefixexp()?;
        loop {
            match self.lx.token {
                Tok::Char(b'.') => {
                    self.next()?;
                    let name = self.str_checkname()?;
                    let line = self.lx.lastline;
                    let key = Expr {
                        kind: ExprKind::Str(name.into_bytes()),
                        line,
                    };
                    (e, h) = self.ex(ExprKind::Index(e, Box::new(key)), line, h.max(1))?;
                }
                Tok::Char(b'[') => {
                    self.next()?;
                    let (key, kh) = self.expr()?;
                    self.checknext(&Tok::Char(b']'))?;
                    let line = self.lx.lastline;
                    (e, h) = self.ex(ExprKind::Index(e, key), line, h.max(kh))?;
                }
                Tok::Char(b':') => {
                    self.next()?;
                    let name = self.str_checkname()?;
                    let (args, line, ah) = self.funcargs()?;
                    (e, h) = self.ex(ExprKind::Method(e, name, args), line, h.max(ah))?;
                }
                Tok::Char(b'(') | Tok::Str(_) | Tok::Char(b'{') => {
                    let (args, line, ah) = self.funcargs()?;
                    (e, h) = self.ex(ExprKind::Call(e, args), line, h.max(ah))?;
                }
                _ => return Ok((e, h)),
            }
        }
    }

    /// `NAME | '(' expr ')'`.
    fn prefixexp(&mut self) -> PResult<Ex> {
        match self.lx.token {
            Tok::Char(b'(') => {
                let line = self.lx.linenumber;
                self.next()?;
                let (inner, ih) = self.expr()?;
                self.check_match(&Tok::Char(b')'), &Tok::Char(b'('), line)?;
                self.ex(ExprKind::Paren(inner), line, ih)
            }
            Tok::Name(_) => {
                let name = self.str_checkname()?;
                let line = self.lx.lastline;
                self.resolve(&name)?;
                self.ex(ExprKind::Name(name), line, 0)
            }
            _ => Err(self.lx.syntax_error("unexpected symbol")),
        }
    }

    /// A call's arguments: `( [explist] )`, a table or a string; also the line Lua gives
    /// the call (where the arguments start).
    #[inline(never)]
    fn funcargs(&mut self) -> PResult<(Vec<Expr>, u32, u32)> {
        let line = self.lx.linenumber;
        match &self.lx.token {
            Tok::Char(b'(') => {
                if line != self.lx.lastline {
                    return Err(self
                        .lx
                        .syntax_error("ambiguous syntax (function call x new statement)"));
                }
                self.next()?;
                let (args, h) = if self.at_char(b')') {
                    (Vec::new(), 0)
                } else {
                    self.explist1()?
                };
                self.check_match(&Tok::Char(b')'), &Tok::Char(b'('), line)?;
                Ok((args, line, h))
            }
            Tok::Char(b'{') => {
                let (t, h) = self.constructor()?;
                Ok((vec![*t], line, h))
            }
            Tok::Str(s) => {
                let arg = Expr {
                    kind: ExprKind::Str(s.clone()),
                    line,
                };
                self.next()?;
                Ok((vec![arg], line, 1))
            }
            _ => Err(self.lx.syntax_error("function arguments expected")),
        }
    }

    /// `{ [field {sep field} [sep]] }`.
    #[inline(never)]
    fn constructor(&mut self) -> PResult<Ex> {
        let line = self.lx.linenumber;
        self.checknext(&Tok::Char(b'{'))?;
        let mut fields = Vec::new();
        let mut h = 0;
        loop {
            if self.at_char(b'}') {
                break;
            }
            let named = match self.lx.token {
                Tok::Name(_) => *self.lx.lookahead()? == Tok::Char(b'='),
                _ => false,
            };
            if named {
                let name = self.str_checkname()?;
                self.checknext(&Tok::Char(b'='))?;
                let (v, vh) = self.expr()?;
                h = h.max(vh);
                fields.push(Field::Named(name, *v));
            } else if self.at_char(b'[') {
                self.next()?;
                let (k, kh) = self.expr()?;
                self.checknext(&Tok::Char(b']'))?;
                self.checknext(&Tok::Char(b'='))?;
                let (v, vh) = self.expr()?;
                h = h.max(kh).max(vh);
                fields.push(Field::Keyed(*k, *v));
            } else {
                let (v, vh) = self.expr()?;
                h = h.max(vh);
                fields.push(Field::Pos(*v));
            }
            if !(self.testnext(&Tok::Char(b','))? || self.testnext(&Tok::Char(b';'))?) {
                break;
            }
        }
        self.check_match(&Tok::Char(b'}'), &Tok::Char(b'{'), line)?;
        self.ex(ExprKind::Table(fields), line, h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::fmt_number;

    /// The tree as an S-expression, each node followed by `@line` when `lines`.
    struct Sx {
        lines: bool,
    }

    impl Sx {
        fn at(&self, line: u32) -> String {
            if self.lines {
                format!("@{line}")
            } else {
                String::new()
            }
        }

        fn list(&self, es: &[Expr]) -> String {
            es.iter()
                .map(|e| self.expr(e))
                .collect::<Vec<_>>()
                .join(" ")
        }

        fn expr(&self, e: &Expr) -> String {
            let at = self.at(e.line);
            match &e.kind {
                ExprKind::Nil => format!("nil{at}"),
                ExprKind::True => format!("true{at}"),
                ExprKind::False => format!("false{at}"),
                ExprKind::VarArg => format!("...{at}"),
                ExprKind::Num(n) => format!("{}{at}", fmt_number(*n)),
                ExprKind::Str(b) => format!("{:?}{at}", String::from_utf8_lossy(b)),
                ExprKind::Name(n) => format!("{n}{at}"),
                ExprKind::Function(f) => format!("(function{at} {})", self.func(f)),
                ExprKind::Table(fields) => {
                    let fs: Vec<String> = fields
                        .iter()
                        .map(|f| match f {
                            Field::Pos(e) => self.expr(e),
                            Field::Named(n, e) => format!("({n} = {})", self.expr(e)),
                            Field::Keyed(k, v) => {
                                format!("([{}] = {})", self.expr(k), self.expr(v))
                            }
                        })
                        .collect();
                    format!(
                        "(table{at}{}{})",
                        if fs.is_empty() { "" } else { " " },
                        fs.join(" ")
                    )
                }
                ExprKind::Bin(op, a, b) => {
                    let o = match op {
                        BinOp::Add => "+",
                        BinOp::Sub => "-",
                        BinOp::Mul => "*",
                        BinOp::Div => "/",
                        BinOp::Mod => "%",
                        BinOp::Pow => "^",
                        BinOp::Concat => "..",
                        BinOp::Eq => "==",
                        BinOp::Ne => "~=",
                        BinOp::Lt => "<",
                        BinOp::Le => "<=",
                        BinOp::Gt => ">",
                        BinOp::Ge => ">=",
                        BinOp::And => "and",
                        BinOp::Or => "or",
                    };
                    format!("({o}{at} {} {})", self.expr(a), self.expr(b))
                }
                ExprKind::Un(op, a) => {
                    let o = match op {
                        UnOp::Neg => "neg",
                        UnOp::Not => "not",
                        UnOp::Len => "#",
                    };
                    format!("({o}{at} {})", self.expr(a))
                }
                ExprKind::Index(t, k) => format!("(idx{at} {} {})", self.expr(t), self.expr(k)),
                ExprKind::Call(f, args) => {
                    let mut s = format!("(call{at} {}", self.expr(f));
                    if !args.is_empty() {
                        s.push(' ');
                        s.push_str(&self.list(args));
                    }
                    s + ")"
                }
                ExprKind::Method(o, m, args) => {
                    let mut s = format!("(method{at} {} {m}", self.expr(o));
                    if !args.is_empty() {
                        s.push(' ');
                        s.push_str(&self.list(args));
                    }
                    s + ")"
                }
                ExprKind::Paren(e) => format!("(paren{at} {})", self.expr(e)),
            }
        }

        fn func(&self, f: &FuncBody) -> String {
            let mut ps = f.params.join(" ");
            if f.is_vararg {
                if !ps.is_empty() {
                    ps.push(' ');
                }
                ps.push_str("...");
            }
            let lines = if self.lines {
                format!("@{}-{} ", f.line, f.end_line)
            } else {
                String::new()
            };
            format!("{lines}({ps}) {}", self.block(&f.body))
        }

        fn block(&self, b: &Block) -> String {
            let mut parts: Vec<String> = b.stats.iter().map(|s| self.stat(s)).collect();
            if let Some((es, line)) = &b.ret {
                let at = self.at(*line);
                parts.push(if es.is_empty() {
                    format!("(return{at})")
                } else {
                    format!("(return{at} {})", self.list(es))
                });
            }
            format!("{{{}}}", parts.join(" "))
        }

        fn stat(&self, s: &Stat) -> String {
            match s {
                Stat::Call(e) => self.expr(e),
                Stat::Local { names, exprs, line } => format!(
                    "(local{} ({}) ({}))",
                    self.at(*line),
                    names.join(" "),
                    self.list(exprs)
                ),
                Stat::Assign {
                    targets,
                    exprs,
                    line,
                } => format!(
                    "(set{} ({}) ({}))",
                    self.at(*line),
                    self.list(targets),
                    self.list(exprs)
                ),
                Stat::Do(b) => format!("(do {})", self.block(b)),
                Stat::While { cond, body, line } => format!(
                    "(while{} {} {})",
                    self.at(*line),
                    self.expr(cond),
                    self.block(body)
                ),
                Stat::Repeat { body, cond, line } => format!(
                    "(repeat{} {} {})",
                    self.at(*line),
                    self.block(body),
                    self.expr(cond)
                ),
                Stat::If { conds, else_, line } => {
                    let mut s = format!("(if{}", self.at(*line));
                    for (c, b) in conds {
                        s.push_str(&format!(" {} {}", self.expr(c), self.block(b)));
                    }
                    if let Some(b) = else_ {
                        s.push_str(&format!(" else {}", self.block(b)));
                    }
                    s + ")"
                }
                Stat::NumFor {
                    var,
                    start,
                    limit,
                    step,
                    body,
                    line,
                } => {
                    let step = step
                        .as_ref()
                        .map(|e| format!(" {}", self.expr(e)))
                        .unwrap_or_default();
                    format!(
                        "(fornum{} {var} {} {}{step} {})",
                        self.at(*line),
                        self.expr(start),
                        self.expr(limit),
                        self.block(body)
                    )
                }
                Stat::GenFor {
                    names,
                    exprs,
                    body,
                    line,
                } => format!(
                    "(forin{} ({}) ({}) {})",
                    self.at(*line),
                    names.join(" "),
                    self.list(exprs),
                    self.block(body)
                ),
                Stat::Function {
                    path,
                    method,
                    func,
                    line,
                } => {
                    let m = method.as_ref().map(|m| format!(":{m}")).unwrap_or_default();
                    format!(
                        "(function{} {}{m} {})",
                        self.at(*line),
                        path.join("."),
                        self.func(func)
                    )
                }
                Stat::LocalFunction { name, func, line } => format!(
                    "(localfunction{} {name} {})",
                    self.at(*line),
                    self.func(func)
                ),
                Stat::Break { line } => format!("break{}", self.at(*line)),
            }
        }
    }

    fn shape(src: &str) -> String {
        match parse(src.as_bytes(), "user_script") {
            Ok(f) => Sx { lines: false }.block(&f.body),
            Err(e) => format!("error: {e}"),
        }
    }

    fn shape_with_lines(src: &str) -> String {
        match parse(src.as_bytes(), "user_script") {
            Ok(f) => Sx { lines: true }.block(&f.body),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn every_construct_parses_to_its_tree() {
        let cases: &[(&str, &str)] = &[
            ("", "{}"),
            ("f(); g()", "{(call f) (call g)}"),
            ("x = 1", "{(set (x) (1))}"),
            (
                "x, y.z, w[1] = 1, 2",
                "{(set (x (idx y \"z\") (idx w 1)) (1 2))}",
            ),
            ("local a", "{(local (a) ())}"),
            ("local a, b = 1, 2, 3", "{(local (a b) (1 2 3))}"),
            ("f()", "{(call f)}"),
            ("f(1, 2)", "{(call f 1 2)}"),
            (
                "f'x' f[[y]] f{1}",
                "{(call f \"x\") (call f \"y\") (call f (table 1))}",
            ),
            ("o:m(1)", "{(method o m 1)}"),
            ("o:m'x'", "{(method o m \"x\")}"),
            ("o.a:m{}", "{(method (idx o \"a\") m (table))}"),
            (
                "f()()'a'{}",
                "{(call (call (call (call f)) \"a\") (table))}",
            ),
            ("a.b.c = 1", "{(set ((idx (idx a \"b\") \"c\")) (1))}"),
            ("a[b][c] = 1", "{(set ((idx (idx a b) c)) (1))}"),
            ("(a).b = 1", "{(set ((idx (paren a) \"b\")) (1))}"),
            ("do end", "{(do {})}"),
            ("do local x end", "{(do {(local (x) ())})}"),
            ("while x do f() end", "{(while x {(call f)})}"),
            ("repeat local x until x", "{(repeat {(local (x) ())} x)}"),
            ("if a then f() end", "{(if a {(call f)})}"),
            (
                "if a then elseif b then f() elseif c then else g() end",
                "{(if a {} b {(call f)} c {} else {(call g)})}",
            ),
            ("for i = 1, 2 do end", "{(fornum i 1 2 {})}"),
            (
                "for i = 1, 2, 3 do f(i) end",
                "{(fornum i 1 2 3 {(call f i)})}",
            ),
            ("for k in t do end", "{(forin (k) (t) {})}"),
            (
                "for k, v in next, t, nil do end",
                "{(forin (k v) (next t nil) {})}",
            ),
            ("function f() end", "{(function f () {})}"),
            (
                "function f(a, b) return a end",
                "{(function f (a b) {(return a)})}",
            ),
            ("function f(...) end", "{(function f (...) {})}"),
            ("function f(a, ...) end", "{(function f (a ...) {})}"),
            ("function a.b.c() end", "{(function a.b.c () {})}"),
            (
                "function a.b:m(x) return self end",
                "{(function a.b:m (self x) {(return self)})}",
            ),
            ("function a:m(...) end", "{(function a:m (self ...) {})}"),
            (
                "local function f(x) return f end",
                "{(localfunction f (x) {(return f)})}",
            ),
            ("x = function() end", "{(set (x) ((function () {})))}"),
            (
                "x = function(...) return ... end",
                "{(set (x) ((function (...) {(return ...)})))}",
            ),
            ("return", "{(return)}"),
            ("return;", "{(return)}"),
            ("return 1, ...", "{(return 1 ...)}"),
            ("return (...)", "{(return (paren ...))}"),
            ("return ((f()))", "{(return (paren (paren (call f))))}"),
            ("while 1 do break end", "{(while 1 {break})}"),
            ("while 1 do break; end", "{(while 1 {break})}"),
            (
                "for i=1,2 do do break end end",
                "{(fornum i 1 2 {(do {break})})}",
            ),
            ("repeat break until 1", "{(repeat {break} 1)}"),
            ("x = nil, true, false", "{(set (x) (nil true false))}"),
            ("x = {}", "{(set (x) ((table)))}"),
            (
                "x = {1, 'a'; b = 2, [3] = 4, f(), ...}",
                "{(set (x) ((table 1 \"a\" (b = 2) ([3] = 4) (call f) ...)))}",
            ),
            ("x = {a}", "{(set (x) ((table a)))}"),
            ("x = {a, b = c,}", "{(set (x) ((table a (b = c))))}"),
            ("x = {a == b}", "{(set (x) ((table (== a b))))}"),
            (
                "x = {{}, {{}}}",
                "{(set (x) ((table (table) (table (table)))))}",
            ),
        ];
        for (src, want) in cases {
            assert_eq!(shape(src), *want, "source {src:?}");
        }
    }

    #[test]
    fn operators_bind_as_in_lua_5_1() {
        let cases: &[(&str, &str)] = &[
            ("return 1 + 2 * 3", "(+ 1 (* 2 3))"),
            ("return (1 + 2) * 3", "(* (paren (+ 1 2)) 3)"),
            ("return 1 - 2 - 3", "(- (- 1 2) 3)"),
            ("return 1 / 2 % 3 * 4", "(* (% (/ 1 2) 3) 4)"),
            ("return 2 ^ 3 ^ 2", "(^ 2 (^ 3 2))"),
            ("return -2 ^ 2", "(neg (^ 2 2))"),
            ("return 2 ^ -3", "(^ 2 (neg 3))"),
            ("return 2 ^ -3 ^ 2", "(^ 2 (neg (^ 3 2)))"),
            ("return -x ^ -y", "(neg (^ x (neg y)))"),
            ("return not a == b", "(== (not a) b)"),
            ("return not not a", "(not (not a))"),
            ("return - - a", "(neg (neg a))"),
            ("return #t + 1", "(+ (# t) 1)"),
            ("return #t.a", "(# (idx t \"a\"))"),
            ("return -f()", "(neg (call f))"),
            ("return a .. b .. c", "(.. a (.. b c))"),
            ("return a .. b + c", "(.. a (+ b c))"),
            ("return a + b .. c", "(.. (+ a b) c)"),
            ("return a .. b == c", "(== (.. a b) c)"),
            ("return a < b == c > d", "(> (== (< a b) c) d)"),
            ("return a <= b ~= c >= d", "(>= (~= (<= a b) c) d)"),
            ("return a and b or c and d", "(or (and a b) (and c d))"),
            ("return a or b or c", "(or (or a b) c)"),
            ("return a and b and c", "(and (and a b) c)"),
            ("return a == b and c ~= d", "(and (== a b) (~= c d))"),
            ("return not a and b", "(and (not a) b)"),
            (
                "return a + b * c ^ d ^ e - f",
                "(- (+ a (* b (^ c (^ d e)))) f)",
            ),
            ("return 1 .. 2", "(.. 1 2)"),
            ("return -1", "(neg 1)"),
        ];
        for (src, want) in cases {
            let want = format!("{{(return {want})}}");
            assert_eq!(shape(src), want, "source {src:?}");
        }
    }

    #[test]
    fn literals_are_decoded() {
        let cases: &[(&str, &str)] = &[
            (
                "return 3, 3.5, .5, 5., 1e2, 1E-2, 0x10, 0XfF, 1e400",
                "3 3.5 0.5 5 100 0.01 16 255 inf",
            ),
            ("return 0x1p4, 0x1e+5, 08, 1.5e+2", "16 (+ 30 5) 8 150"),
            (
                r#"return "a\tb", 'q"', "\65\066\0067", '\q\\'"#,
                r#""a\tb" "q\"" "AB\u{6}7" "q\\""#,
            ),
            ("return '\\\nx', \"a\\\r\nb\"", r#""\nx" "a\nb""#),
            (
                "return [[x]], [[\nx]], [==[a]]b]=]c]==]",
                r#""x" "x" "a]]b]=]c""#,
            ),
            ("return [[\r\na\r\nb\n\rc]]", r#""a\nb\nc""#),
            ("return [[ [[ ]]", r#"" [[ ""#),
            ("return '', [[]]", r#""" """#),
        ];
        for (src, want) in cases {
            let want = format!("{{(return {want})}}");
            assert_eq!(shape(src), want, "source {src:?}");
        }
        // Bytes that are not UTF-8 stay bytes.
        let f = parse(b"return '\\255\\0', '\xff'", "t").unwrap();
        let (es, _) = f.body.ret.unwrap();
        assert!(matches!(&es[0].kind, ExprKind::Str(b) if b == &[255, 0]));
        assert!(matches!(&es[1].kind, ExprKind::Str(b) if b == &[255]));
    }

    #[test]
    fn nodes_carry_the_lines_lua_reports() {
        // Checked against Redis 7.0.15 with run-time errors where a node can fail: e.g.
        // `local a\nlocal x = a +\n1` fails on line 3, `local o\no:m\n{}` on line 3
        // (calling a nil method), `local t\nlocal x = t[\n1\n]` on line 4.
        let cases: &[(&str, &str)] = &[
            ("x = a +\n1", "{(set@2 (x@1) ((+@2 a@1 1@2)))}"),
            ("x = -\na", "{(set@2 (x@1) ((neg@2 a@2)))}"),
            (
                "x = a ..\nb ..\nc",
                "{(set@3 (x@1) ((..@3 a@1 (..@3 b@2 c@3))))}",
            ),
            ("return a\n.b", "{(return@1 (idx@2 a@1 \"b\"@2))}"),
            ("return a[\n1\n]", "{(return@1 (idx@3 a@1 1@2))}"),
            ("x = \n1", "{(set@2 (x@1) (1@2))}"),
            (
                "t.a.b = \n{}",
                "{(set@2 ((idx@1 (idx@1 t@1 \"a\"@1) \"b\"@1)) ((table@2)))}",
            ),
            ("for i = 1,\n2\ndo end", "{(fornum@3 i 1@1 2@2 {})}"),
            ("for k in\nnext\ndo end", "{(forin@2 (k) (next@2) {})}"),
            ("f\n'x'", "{(call@2 f@1 \"x\"@2)}"),
            ("f[[\n\n]]", "{(call@3 f@1 \"\\n\"@3)}"),
            ("f(\n1,\n2)", "{(call@1 f@1 1@2 2@3)}"),
            ("o:m\n{}", "{(method@2 o@1 m (table@2))}"),
            ("x = {\n1}", "{(set@2 (x@1) ((table@1 1@2)))}"),
            ("x = (\n1)", "{(set@2 (x@1) ((paren@1 1@2)))}"),
            ("x = [[a\nb]]", "{(set@2 (x@1) (\"a\\nb\"@2))}"),
            ("return\n1", "{(return@1 1@2)}"),
            (
                "return nil, true, false, ...",
                "{(return@1 nil@1 true@1 false@1 ...@1)}",
            ),
            (
                "x = function\n(a)\nend",
                "{(set@3 (x@1) ((function@2 @2-3 (a) {})))}",
            ),
            ("function f()\nend", "{(function@1 f @1-2 () {})}"),
            ("function\nf()\nend", "{(function@1 f @1-3 () {})}"),
            (
                "local function f\n()\nend",
                "{(localfunction@1 f @2-3 () {})}",
            ),
            ("if a then\nelseif b then\nend", "{(if@1 a@1 {} b@2 {})}"),
            ("while\na do end", "{(while@1 a@2 {})}"),
            ("repeat\nuntil\na", "{(repeat@1 {} a@3)}"),
            ("local\na = 1", "{(local@1 (a) (1@2))}"),
            ("while 1 do\nbreak\nend", "{(while@1 1@1 {break@2})}"),
            (
                "x = 1\r\ny = 2\n\rz = 3\r\rw = 4",
                "{(set@1 (x@1) (1@1)) (set@2 (y@2) (2@2)) (set@3 (z@3) (3@3)) (set@5 (w@5) (4@5))}",
            ),
        ];
        for (src, want) in cases {
            assert_eq!(shape_with_lines(src), *want, "source {src:?}");
        }
    }

    #[test]
    fn the_main_chunk_is_a_vararg_function_from_line_0_to_the_last_line() {
        for (src, end_line) in [("", 1), ("x = 1", 1), ("x = 1\n", 2), ("\n\n--c\n", 4)] {
            let f = parse(src.as_bytes(), "user_script").unwrap();
            assert!(f.params.is_empty() && f.is_vararg && f.line == 0);
            assert_eq!(f.end_line, end_line, "source {src:?}");
        }
    }

    /// Every expected text here is what Redis 7.0.15 answered to `EVAL` with the source
    /// (after `Error compiling script (new function): `).
    #[test]
    fn syntax_errors_read_as_redis_7_0_15_reports_them() {
        let cases: &[(&[u8], &str)] = &[
            (
                b"return x(",
                "user_script:1: unexpected symbol near '<eof>'",
            ),
            (b"#x", "user_script:1: unexpected symbol near '#'"),
            (b"x = ", "user_script:1: unexpected symbol near '<eof>'"),
            (b"x", "user_script:1: '=' expected near '<eof>'"),
            (b"x y", "user_script:1: '=' expected near 'y'"),
            (b"x = 1 )", "user_script:1: unexpected symbol near ')'"),
            (b"local", "user_script:1: '<name>' expected near '<eof>'"),
            (b"local 1", "user_script:1: '<name>' expected near '1'"),
            (
                b"local function",
                "user_script:1: '<name>' expected near '<eof>'",
            ),
            (
                b"local function 1",
                "user_script:1: '<name>' expected near '1'",
            ),
            (
                b"local function f",
                "user_script:1: '(' expected near '<eof>'",
            ),
            (
                b"local function f(",
                "user_script:1: <name> or '...' expected near '<eof>'",
            ),
            (b"function", "user_script:1: '<name>' expected near '<eof>'"),
            (b"function f", "user_script:1: '(' expected near '<eof>'"),
            (
                b"function f.",
                "user_script:1: '<name>' expected near '<eof>'",
            ),
            (
                b"function f:",
                "user_script:1: '<name>' expected near '<eof>'",
            ),
            (
                b"function f:g.h() end",
                "user_script:1: '(' expected near '.'",
            ),
            (
                b"function f(a,) end",
                "user_script:1: <name> or '...' expected near ')'",
            ),
            (
                b"function f(1) end",
                "user_script:1: <name> or '...' expected near '1'",
            ),
            (
                b"function f(..., a) end",
                "user_script:1: ')' expected near ','",
            ),
            (
                b"function f(a b) end",
                "user_script:1: ')' expected near 'b'",
            ),
            (
                b"function f()",
                "user_script:1: 'end' expected near '<eof>'",
            ),
            (
                b"function f()\n\n",
                "user_script:3: 'end' expected (to close 'function' at line 1) near '<eof>'",
            ),
            (
                b"function f()\nreturn 1\nx = 2\n",
                "user_script:3: 'end' expected (to close 'function' at line 1) near 'x'",
            ),
            (b"if", "user_script:1: unexpected symbol near '<eof>'"),
            (b"if x", "user_script:1: 'then' expected near '<eof>'"),
            (b"if x then", "user_script:1: 'end' expected near '<eof>'"),
            (
                b"if x then\nelse\n",
                "user_script:3: 'end' expected (to close 'if' at line 1) near '<eof>'",
            ),
            (
                b"if x then else elseif y then end",
                "user_script:1: 'end' expected near 'elseif'",
            ),
            (
                b"if x then elseif end",
                "user_script:1: unexpected symbol near 'end'",
            ),
            (b"if x end", "user_script:1: 'then' expected near 'end'"),
            (b"while", "user_script:1: unexpected symbol near '<eof>'"),
            (b"while x", "user_script:1: 'do' expected near '<eof>'"),
            (b"while x do", "user_script:1: 'end' expected near '<eof>'"),
            (
                b"while x\ndo\n",
                "user_script:3: 'end' expected (to close 'while' at line 1) near '<eof>'",
            ),
            (
                b"while true do break print(1) end",
                "user_script:1: 'end' expected near 'print'",
            ),
            (
                b"while true do break;; end",
                "user_script:1: 'end' expected near ';'",
            ),
            (b"for", "user_script:1: '<name>' expected near '<eof>'"),
            (b"for a", "user_script:1: '=' or 'in' expected near '<eof>'"),
            (b"for a b", "user_script:1: '=' or 'in' expected near 'b'"),
            (b"for 1", "user_script:1: '<name>' expected near '1'"),
            (b"for a = 1", "user_script:1: ',' expected near '<eof>'"),
            (b"for a = 1, 2", "user_script:1: 'do' expected near '<eof>'"),
            (
                b"for a = 1, 2 do",
                "user_script:1: 'end' expected near '<eof>'",
            ),
            (
                b"for a = 1, 2, 3, 4 do end",
                "user_script:1: 'do' expected near ','",
            ),
            (
                b"for a, b = 1, 2 do end",
                "user_script:1: 'in' expected near '='",
            ),
            (
                b"for a, 1 in x do end",
                "user_script:1: '<name>' expected near '1'",
            ),
            (
                b"for a in do end",
                "user_script:1: unexpected symbol near 'do'",
            ),
            (b"for a in x", "user_script:1: 'do' expected near '<eof>'"),
            (
                b"for a in x do",
                "user_script:1: 'end' expected near '<eof>'",
            ),
            (b"repeat", "user_script:1: 'until' expected near '<eof>'"),
            (
                b"repeat x = 1",
                "user_script:1: 'until' expected near '<eof>'",
            ),
            (
                b"repeat x = 1 until",
                "user_script:1: unexpected symbol near '<eof>'",
            ),
            (
                b"repeat\nx = 1\n",
                "user_script:3: 'until' expected (to close 'repeat' at line 1) near '<eof>'",
            ),
            (b"do", "user_script:1: 'end' expected near '<eof>'"),
            (
                b"do\n\n",
                "user_script:3: 'end' expected (to close 'do' at line 1) near '<eof>'",
            ),
            (b"do end end", "user_script:1: '<eof>' expected near 'end'"),
            (b"end", "user_script:1: '<eof>' expected near 'end'"),
            (b"else", "user_script:1: '<eof>' expected near 'else'"),
            (b"until x", "user_script:1: '<eof>' expected near 'until'"),
            (
                b"return 1 end",
                "user_script:1: '<eof>' expected near 'end'",
            ),
            (
                b"return return",
                "user_script:1: unexpected symbol near 'return'",
            ),
            (
                b"return 1 print(2)",
                "user_script:1: '<eof>' expected near 'print'",
            ),
            (b"return 1;;", "user_script:1: '<eof>' expected near ';'"),
            (b"break", "user_script:1: no loop to break near '<eof>'"),
            (
                b"do break end",
                "user_script:1: no loop to break near 'end'",
            ),
            (
                b"function f() break end",
                "user_script:1: no loop to break near 'end'",
            ),
            (
                b"while 1 do local function f() break end end",
                "user_script:1: no loop to break near 'end'",
            ),
            (
                b"function f() return ... end",
                "user_script:1: cannot use '...' outside a vararg function near '...'",
            ),
            (
                b"local f = function() return ... end",
                "user_script:1: cannot use '...' outside a vararg function near '...'",
            ),
            (
                b"x = function(...) return function() return ... end end",
                "user_script:1: cannot use '...' outside a vararg function near '...'",
            ),
            (
                b"f()\n(g)()",
                "user_script:2: ambiguous syntax (function call x new statement) near '('",
            ),
            (
                b"f\n(g)",
                "user_script:2: ambiguous syntax (function call x new statement) near '('",
            ),
            (
                b"local x = f\n(1)",
                "user_script:2: ambiguous syntax (function call x new statement) near '('",
            ),
            (
                b"a:b\n(1)",
                "user_script:2: ambiguous syntax (function call x new statement) near '('",
            ),
            (
                b"x = a:b",
                "user_script:1: function arguments expected near '<eof>'",
            ),
            (
                b"x = a:b.c",
                "user_script:1: function arguments expected near '.'",
            ),
            (
                b"a:b",
                "user_script:1: function arguments expected near '<eof>'",
            ),
            (b"a.b", "user_script:1: '=' expected near '<eof>'"),
            (b"a[1]", "user_script:1: '=' expected near '<eof>'"),
            (b"a.1", "user_script:1: '=' expected near '.1'"),
            (
                b"a.b:c",
                "user_script:1: function arguments expected near '<eof>'",
            ),
            (b"a = b = c", "user_script:1: unexpected symbol near '='"),
            (b"a, b", "user_script:1: '=' expected near '<eof>'"),
            (b"a, b = ", "user_script:1: unexpected symbol near '<eof>'"),
            (b"a, f() = 1", "user_script:1: syntax error near '='"),
            (b"f() = 1", "user_script:1: unexpected symbol near '='"),
            (b"(a) = 1", "user_script:1: syntax error near '='"),
            (b"(f())", "user_script:1: syntax error near '<eof>'"),
            (b"1 = 2", "user_script:1: unexpected symbol near '1'"),
            (b"'x' = 2", "user_script:1: unexpected symbol near ''x''"),
            (b"nil = 2", "user_script:1: unexpected symbol near 'nil'"),
            (b"x = 1 + ", "user_script:1: unexpected symbol near '<eof>'"),
            (b"x = + 1", "user_script:1: unexpected symbol near '+'"),
            (b"x = 1 +* 2", "user_script:1: unexpected symbol near '*'"),
            (b"x = a // b", "user_script:1: unexpected symbol near '/'"),
            (b"x = a & b", "user_script:1: unexpected symbol near '&'"),
            (b"x = a | b", "user_script:1: unexpected symbol near '|'"),
            (b"x = ~a", "user_script:1: unexpected symbol near '~'"),
            (b"x = a ~ b", "user_script:1: unexpected symbol near '~'"),
            (b"x = a << b", "user_script:1: unexpected symbol near '<'"),
            (b"::lbl::", "user_script:1: unexpected symbol near ':'"),
            (b"goto x", "user_script:1: '=' expected near 'x'"),
            (b"x = a != b", "user_script:1: unexpected symbol near '!'"),
            (b"x = a === b", "user_script:1: unexpected symbol near '='"),
            (b"x = !a", "user_script:1: unexpected symbol near '!'"),
            (
                b"x = a ? b : c",
                "user_script:1: unexpected symbol near '?'",
            ),
            (b"x = {", "user_script:1: unexpected symbol near '<eof>'"),
            (b"x = {1,", "user_script:1: unexpected symbol near '<eof>'"),
            (b"x = {1 2}", "user_script:1: '}' expected near '2'"),
            (b"x = {a = }", "user_script:1: unexpected symbol near '}'"),
            (
                b"x = {a = 1, [2] = }",
                "user_script:1: unexpected symbol near '}'",
            ),
            (b"x = {[1] 2}", "user_script:1: '=' expected near '2'"),
            (b"x = {[1 = 2}", "user_script:1: ']' expected near '='"),
            (
                b"x = {\n1,\n2\n",
                "user_script:4: '}' expected (to close '{' at line 1) near '<eof>'",
            ),
            (b"x = {a b}", "user_script:1: '}' expected near 'b'"),
            (b"x = {a.b = 1}", "user_script:1: '}' expected near '='"),
            (b"x = {;}", "user_script:1: unexpected symbol near ';'"),
            (b"x = {,}", "user_script:1: unexpected symbol near ','"),
            (b"x = (", "user_script:1: unexpected symbol near '<eof>'"),
            (b"x = (1", "user_script:1: ')' expected near '<eof>'"),
            (
                b"x = (\n1\n",
                "user_script:3: ')' expected (to close '(' at line 1) near '<eof>'",
            ),
            (b"x = f(1,", "user_script:1: unexpected symbol near '<eof>'"),
            (
                b"x = f(1\n,2\n",
                "user_script:3: ')' expected (to close '(' at line 1) near '<eof>'",
            ),
            (b"x = f(,)", "user_script:1: unexpected symbol near ','"),
            (b"x = 3x", "user_script:1: malformed number near '3x'"),
            (b"x = 1..2", "user_script:1: malformed number near '1..2'"),
            (b"x = 0x", "user_script:1: malformed number near '0x'"),
            (b"x = 0xg", "user_script:1: malformed number near '0xg'"),
            (b"x = 1e", "user_script:1: malformed number near '1e'"),
            (b"x = 1e+", "user_script:1: malformed number near '1e+'"),
            (b"x = 3.4.5", "user_script:1: malformed number near '3.4.5'"),
            (b"x = 0x1P-2", "user_script:1: malformed number near '0x1P'"),
            (b"x = 'abc", "user_script:1: unfinished string near '<eof>'"),
            (
                b"x = 'abc\nd'",
                "user_script:1: unfinished string near ''abc'",
            ),
            (
                b"x = \"a\\tb\n",
                "user_script:1: unfinished string near '\"a\tb'",
            ),
            (
                b"x = '\\300'",
                "user_script:1: escape sequence too large near '''",
            ),
            (
                b"x = 'ab\\256'",
                "user_script:1: escape sequence too large near ''ab'",
            ),
            (
                b"x = [[abc",
                "user_script:1: unfinished long string near '<eof>'",
            ),
            (
                b"x = [==[abc]=]",
                "user_script:1: unfinished long string near '<eof>'",
            ),
            (
                b"--[[abc\n",
                "user_script:2: unfinished long comment near '<eof>'",
            ),
            (
                b"--[==[abc]]",
                "user_script:1: unfinished long comment near '<eof>'",
            ),
            (
                b"x = [==x",
                "user_script:1: invalid long string delimiter near '[=='",
            ),
            (
                b"x = [=",
                "user_script:1: invalid long string delimiter near '[='",
            ),
            (
                b"x = [= [",
                "user_script:1: invalid long string delimiter near '[='",
            ),
            (b"x = 'a\\0b' y", "user_script:1: '=' expected near '<eof>'"),
            (
                b"x = \"a\\0b\" y",
                "user_script:1: '=' expected near '<eof>'",
            ),
            (
                b"x = 'a\\0b",
                "user_script:1: unfinished string near '<eof>'",
            ),
            (
                b"x = 'a\\0b\n",
                "user_script:1: unfinished string near ''a'",
            ),
            (
                b"x = \"abc\" \"def\"",
                "user_script:1: unexpected symbol near '\"def\"'",
            ),
            (b"x = 1 2", "user_script:1: unexpected symbol near '2'"),
            (b"x = 12.5e3 y", "user_script:1: '=' expected near '<eof>'"),
            (b"x = 0x10 y", "user_script:1: '=' expected near '<eof>'"),
            (
                b"x = [[long\nstring]] y",
                "user_script:2: '=' expected near '<eof>'",
            ),
            (
                b"x = [[\nlong]] y",
                "user_script:2: '=' expected near '<eof>'",
            ),
            (
                b"x = 'a\\\nb' y",
                "user_script:2: '=' expected near '<eof>'",
            ),
            (b"x = @", "user_script:1: unexpected symbol near '@'"),
            (b"x = $", "user_script:1: unexpected symbol near '$'"),
            (
                b"x = \x01",
                "user_script:1: unexpected symbol near 'char(1)'",
            ),
            (b"x = \0", "user_script:1: unexpected symbol"),
            (
                b"x = \x7f",
                "user_script:1: unexpected symbol near 'char(127)'",
            ),
            (b"x = `", "user_script:1: unexpected symbol near '`'"),
            (b"x = \\", "user_script:1: unexpected symbol near '\\'"),
            (
                b"x = 'it''s'",
                "user_script:1: unexpected symbol near ''s''",
            ),
            (b"x = not", "user_script:1: unexpected symbol near '<eof>'"),
            (b"x = #", "user_script:1: unexpected symbol near '<eof>'"),
            (b"x = a..", "user_script:1: unexpected symbol near '<eof>'"),
            (
                b"x = a ... b",
                "user_script:1: unexpected symbol near '...'",
            ),
            (b"x = a.. .b", "user_script:1: unexpected symbol near '.'"),
            (
                b"x = a and",
                "user_script:1: unexpected symbol near '<eof>'",
            ),
            (
                b"x = a or or b",
                "user_script:1: unexpected symbol near 'or'",
            ),
            (
                b"x = a == == b",
                "user_script:1: unexpected symbol near '=='",
            ),
            (b"x = a < = b", "user_script:1: unexpected symbol near '='"),
            (b"x = function", "user_script:1: '(' expected near '<eof>'"),
            (
                b"x = function(",
                "user_script:1: <name> or '...' expected near '<eof>'",
            ),
            (
                b"x = function()",
                "user_script:1: 'end' expected near '<eof>'",
            ),
            (
                b"x = function() end()",
                "user_script:1: unexpected symbol near ')'",
            ),
            (b"x = {}.a", "user_script:1: unexpected symbol near '.'"),
            (b"x = ''.a", "user_script:1: unexpected symbol near '.'"),
            (b"x = nil.a", "user_script:1: unexpected symbol near '.'"),
            (b"x = 1()", "user_script:1: unexpected symbol near ')'"),
            (b"x = true[1]", "user_script:1: unexpected symbol near '['"),
            (
                b"local a <const> = 1",
                "user_script:1: unexpected symbol near '<'",
            ),
            (b"local a, = 1", "user_script:1: '<name>' expected near '='"),
            (
                b"local a, b, = 1",
                "user_script:1: '<name>' expected near '='",
            ),
            (
                b"\n\n\nx = ",
                "user_script:4: unexpected symbol near '<eof>'",
            ),
            (
                b"x = 1\r\ny =",
                "user_script:2: unexpected symbol near '<eof>'",
            ),
            (
                b"x = 1\ry =",
                "user_script:2: unexpected symbol near '<eof>'",
            ),
            (
                b"x = 1\n\ry =",
                "user_script:2: unexpected symbol near '<eof>'",
            ),
            (
                b"x = 1\r\n\r\ny =",
                "user_script:3: unexpected symbol near '<eof>'",
            ),
            (
                b"x = 1\n\n\r\ry =",
                "user_script:4: unexpected symbol near '<eof>'",
            ),
            (
                b"x = [[a\r\nb\n\rc]] + ",
                "user_script:3: unexpected symbol near '<eof>'",
            ),
            (
                b"-- comment\n-- another\nx =",
                "user_script:3: unexpected symbol near '<eof>'",
            ),
            (
                b"--[==[\n\n]==] x =",
                "user_script:3: unexpected symbol near '<eof>'",
            ),
            (
                b"x = \"unterminated\\\n",
                "user_script:2: unfinished string near '<eof>'",
            ),
            (
                b"if x then\n  y = 1\nelseif z then\n  w = 2\n",
                "user_script:5: 'end' expected (to close 'if' at line 1) near '<eof>'",
            ),
            (
                b"local t = {\n  a = 1,\n  b = 2\n",
                "user_script:4: '}' expected (to close '{' at line 1) near '<eof>'",
            ),
            (
                b"f(\n1,\n2\n",
                "user_script:4: ')' expected (to close '(' at line 1) near '<eof>'",
            ),
            (
                b"f(a\n",
                "user_script:2: ')' expected (to close '(' at line 1) near '<eof>'",
            ),
            (
                b"x = (a\n",
                "user_script:2: ')' expected (to close '(' at line 1) near '<eof>'",
            ),
            (b"x = a[\n1\n", "user_script:3: ']' expected near '<eof>'"),
            (b"x = a[1", "user_script:1: ']' expected near '<eof>'"),
            (b"x = a[]", "user_script:1: unexpected symbol near ']'"),
            (b"x = a.", "user_script:1: '<name>' expected near '<eof>'"),
            (b"x = a:", "user_script:1: '<name>' expected near '<eof>'"),
            (b"x = a:1", "user_script:1: '<name>' expected near '1'"),
            (
                b"x = a:b 1",
                "user_script:1: function arguments expected near '1'",
            ),
            (b";", "user_script:1: unexpected symbol near ';'"),
            (b";;", "user_script:1: unexpected symbol near ';'"),
            (b"x = 1;;", "user_script:1: unexpected symbol near ';'"),
            (b"do ; end", "user_script:1: unexpected symbol near ';'"),
            (
                b"return 1,",
                "user_script:1: unexpected symbol near '<eof>'",
            ),
            (
                b"return 1, 2,",
                "user_script:1: unexpected symbol near '<eof>'",
            ),
            (
                b"local x <close> = 1",
                "user_script:1: unexpected symbol near '<'",
            ),
            (
                b"\xef\xbb\xbfx = 1",
                "user_script:1: unexpected symbol near '\u{fffd}'",
            ),
            (
                b"x = '\xc3\xa9' y",
                "user_script:1: '=' expected near '<eof>'",
            ),
            (
                b"x = \xc3\xa9",
                "user_script:1: unexpected symbol near '\u{fffd}'",
            ),
            (
                b"x = 1 \xff",
                "user_script:1: unexpected symbol near '\u{fffd}'",
            ),
            (
                b"local a = a + (b\n)\n(c)",
                "user_script:3: ambiguous syntax (function call x new statement) near '('",
            ),
            // Redis refuses precompiled chunks: ESC is just an unexpected byte.
            (
                b"\x1bLuaQ\0",
                "user_script:1: unexpected symbol near 'char(27)'",
            ),
        ];
        for (src, want) in cases {
            let got = parse(src, "user_script").map(|_| ());
            assert_eq!(
                got,
                Err(want.to_string()),
                "source {:?}",
                String::from_utf8_lossy(src)
            );
        }
    }

    /// Limits, each just under and just over, as Redis 7.0.15 reports them.
    #[test]
    fn limits_are_errors_with_lua_texts() {
        let nest = |open: &str, mid: &str, close: &str, n: usize| {
            format!("{}{mid}{}", open.repeat(n), close.repeat(n))
        };
        let locals = |n: usize| (0..n).map(|i| format!("local v{i}\n")).collect::<String>();
        let list = |p: &str, n: usize| {
            (0..n)
                .map(|i| format!("{p}{i}"))
                .collect::<Vec<_>>()
                .join(",")
        };
        let ups = |n: usize| {
            let decl: String = (0..n).map(|i| format!("local u{i} = {i}\n")).collect();
            format!("{decl}local function f()\nreturn {}\nend", list("u", n))
        };
        let a_list = |n: usize| vec!["a"; n].join(",");
        let deep = "user_script:1: chunk has too many syntax levels";
        let main_more =
            |n: usize, what: &str| format!("user_script:1: main function has more than {n} {what}");
        // (source, Redis's error or "" for none)
        let cases: Vec<(String, String)> = vec![
            (format!("return {}", nest("(", "1", ")", 198)), "".into()),
            (format!("return {}", nest("(", "1", ")", 199)), deep.into()),
            (format!("x = {}", nest("{", "", "}", 199)), "".into()),
            (format!("x = {}", nest("{", "", "}", 200)), deep.into()),
            (nest("do ", "", " end", 199), "".into()),
            (nest("do ", "", " end", 200), deep.into()),
            (format!("x = {}1", "- ".repeat(198)), "".into()),
            (format!("x = {}1", "- ".repeat(199)), deep.into()),
            (format!("x = {}1", "not ".repeat(198)), "".into()),
            (format!("x = {}1", "not ".repeat(199)), deep.into()),
            (format!("x = {}", vec!["a"; 199].join(" .. ")), "".into()),
            (format!("x = {}", vec!["a"; 200].join(" .. ")), deep.into()),
            (format!("x = {}", vec!["a"; 199].join(" ^ ")), "".into()),
            (format!("x = {}", vec!["a"; 200].join(" ^ ")), deep.into()),
            (format!("x = {}", nest("f(", "", ")", 199)), "".into()),
            (format!("x = {}", nest("f(", "", ")", 200)), deep.into()),
            (format!("x = {}", nest("t[", "1", "]", 198)), "".into()),
            (format!("x = {}", nest("t[", "1", "]", 199)), deep.into()),
            (
                format!("local t = {{{}}}", nest("{", "x\n", "}", 197)),
                "".into(),
            ),
            (
                format!("local t = {{{}}}", nest("{", "x\n", "}", 198)),
                "user_script:2: chunk has too many syntax levels".into(),
            ),
            (
                format!("return {}", nest("function() return ", "1", " end", 99)),
                "".into(),
            ),
            (
                format!("return {}", nest("function() return ", "1", " end", 100)),
                deep.into(),
            ),
            (nest("if x then ", "", " end", 199), "".into()),
            (nest("if x then ", "", " end", 200), deep.into()),
            (format!("{} = 1", a_list(200)), "".into()),
            (
                format!("{} = 1", a_list(201)),
                main_more(199, "variables in assignment"),
            ),
            (format!("do do {} = 1 end end", a_list(198)), "".into()),
            (
                format!("do do {} = 1 end end", a_list(199)),
                main_more(197, "variables in assignment"),
            ),
            (
                format!("local function f() {} = 1 end", a_list(199)),
                "".into(),
            ),
            (
                format!("local function f() {} = 1 end", a_list(200)),
                "user_script:1: function at line 1 has more than 198 variables in assignment"
                    .into(),
            ),
            (locals(200), "".into()),
            (
                locals(201),
                "user_script:202: main function has more than 200 local variables".into(),
            ),
            (format!("local {}", list("v", 200)), "".into()),
            (
                format!("local {}", list("v", 201)),
                main_more(200, "local variables"),
            ),
            (
                format!("local function f(a)\n{}end", locals(199)),
                "".into(),
            ),
            (
                format!("local function f(a)\n{}end", locals(200)),
                "user_script:202: function at line 1 has more than 200 local variables".into(),
            ),
            (
                format!("local f = function(...)\n{}\nend", "local a ".repeat(199)),
                "".into(),
            ),
            (
                format!("local f = function(...)\n{}\nend", "local a ".repeat(200)),
                "user_script:3: function at line 1 has more than 200 local variables".into(),
            ),
            (
                format!("function t:m()\n{}\nend", "local a ".repeat(199)),
                "".into(),
            ),
            (
                format!("function t:m()\n{}\nend", "local a ".repeat(200)),
                "user_script:3: function at line 1 has more than 200 local variables".into(),
            ),
            (
                format!("{}for i = 1, 2 do end", "local a\n".repeat(196)),
                "".into(),
            ),
            (
                format!("{}for i = 1, 2 do end", "local a\n".repeat(197)),
                "user_script:198: main function has more than 200 local variables".into(),
            ),
            (
                format!("{}for k, v in x do end", "local a\n".repeat(195)),
                "".into(),
            ),
            (
                format!("{}for k, v in x do end", "local a\n".repeat(196)),
                "user_script:197: main function has more than 200 local variables".into(),
            ),
            (ups(60), "".into()),
            (
                ups(61),
                "user_script:64: function at line 62 has more than 60 upvalues".into(),
            ),
            (
                format!("local x\n{}", ups(60).replace("return u0", "return x, u0")),
                "user_script:64: function at line 62 has more than 60 upvalues".into(),
            ),
            // 70 locals named `u`: one upvalue, the innermost.
            (
                format!(
                    "{}local f = function() return u end",
                    "local u = 1\n".repeat(70)
                ),
                "".into(),
            ),
        ];
        for (src, want) in cases {
            let got = parse(src.as_bytes(), "user_script")
                .err()
                .unwrap_or_default();
            assert_eq!(got, want, "source {:?}", &src[..src.len().min(60)]);
        }
    }

    /// Runs `f` on a thread with a small stack (the browser's WebAssembly stack is about
    /// 1 MiB; this is less), so a recursion that is not bounded fails the test.
    fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        std::thread::Builder::new()
            .stack_size(512 * 1024)
            .spawn(f)
            .unwrap()
            .join()
            .unwrap()
    }

    #[test]
    fn deep_nesting_and_long_chains_are_errors_not_stack_overflows() {
        let n = 100_000;
        let deep = "user_script:1: chunk has too many syntax levels";
        let cases: Vec<(String, &str)> = vec![
            (format!("x = {}", "(".repeat(n)), deep),
            (format!("x = {}", "{".repeat(n)), deep),
            (format!("x = {}1", "- ".repeat(n)), deep),
            (format!("x = {}", "f(".repeat(n)), deep),
            (format!("x = {}", "t[".repeat(n)), deep),
            ("do ".repeat(n), deep),
            ("if x then ".repeat(n), deep),
            ("while x do ".repeat(n), deep),
            ("repeat ".repeat(n), deep),
            (format!("return {}", "function() return ".repeat(n)), deep),
            (format!("x = {}", vec!["a"; n].join(" .. ")), deep),
            (format!("x = {}", vec!["a"; n].join(" ^ ")), deep),
            // Chains Lua reads in a loop: refused once the tree would be too deep.
            (format!("x = a{}", ".b".repeat(n)), deep),
            (format!("x = a{}", "[1]".repeat(n)), deep),
            (format!("f{}", "()".repeat(n)), deep),
            (format!("o{}", ":m()".repeat(n)), deep),
            (format!("x = {}", vec!["a"; n].join(" + ")), deep),
            (format!("x = {}", vec!["a"; n].join(" or ")), deep),
            (format!("x = {}", vec!["a"; n].join(" == ")), deep),
        ];
        for (src, want) in cases {
            let head = src[..40].to_string();
            let got = on_small_stack(move || parse(src.as_bytes(), "user_script").err());
            assert_eq!(got.as_deref(), Some(want), "source {head:?}...");
        }
    }

    #[test]
    fn what_lua_allows_stays_within_the_tree_depth_and_a_small_stack() {
        let nest = |open: &str, mid: &str, close: &str, n: usize| {
            format!("{}{mid}{}", open.repeat(n), close.repeat(n))
        };
        let cases: Vec<String> = vec![
            format!("return {}", nest("(", "1", ")", 198)),
            format!("x = {}", nest("{", "", "}", 199)),
            format!("x = {}", nest("f(", "", ")", 199)),
            format!("x = {}", nest("a.b(", "", ")", 199)),
            nest("do ", "", " end", 199),
            nest("if x then ", "", " end", 199),
            nest("while x do ", "", " end", 199),
            nest("for i = 1, 2 do ", "", " end", 50),
            format!("return {}", nest("function() return ", "1", " end", 99)),
            nest("local function f() ", "", " end", 199),
            format!("x = {}", vec!["a"; 199].join(" .. ")),
            format!("x = {}", vec!["a"; 500].join(" + ")),
            format!("x = a{}", ".b".repeat(500)),
            format!("x = {}", vec!["a"; 199].join(", ")),
        ];
        for src in cases {
            let head = src[..30].to_string();
            let ok = on_small_stack(move || parse(src.as_bytes(), "user_script").map(|_| ()));
            assert_eq!(ok, Ok(()), "source {head:?}...");
        }
    }

    /// A tiny deterministic PRNG (xorshift64*), so the property tests need no crate.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    #[test]
    fn a_large_script_parses_in_linear_time() {
        let mut src = String::new();
        for i in 0..20_000 {
            src.push_str(&format!(
                "local v{i} = redis.call('GET', KEYS[1]) .. \"x\" + {i}\nif v{i} then t[{i}] = {{a = v{i}, [2] = f(v{i})}} end\n"
            ));
        }
        let start = std::time::Instant::now();
        assert!(parse(src.as_bytes(), "user_script").is_err()); // over 200 locals
        let f = parse(src.replace("local v", "v").as_bytes(), "user_script").unwrap();
        assert_eq!(f.body.stats.len(), 40_000);
        assert!(start.elapsed().as_secs() < 10);
    }

    #[test]
    fn random_bytes_never_panic() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let alphabet = b"()[]{}=<>~.,;:+-*/%^#'\"\\\n\r\t -[=]0123456789xeEaAfn_\0\xff";
        for _ in 0..10_000 {
            let len = rng.below(64);
            let src: Vec<u8> = (0..len)
                .map(|_| {
                    if rng.below(2) == 0 {
                        alphabet[rng.below(alphabet.len())]
                    } else {
                        rng.next() as u8
                    }
                })
                .collect();
            let _ = parse(&src, "user_script");
        }
    }

    #[test]
    fn random_token_soups_never_panic() {
        const WORDS: &[&str] = &[
            "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "if", "in",
            "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while", "x",
            "y", "self", "arg", "..", "...", "==", ">=", "<=", "~=", "=", "<", ">", "~", "+", "-",
            "*", "/", "%", "^", "#", "(", ")", "{", "}", "[", "]", ";", ":", ",", ".", "1", "0x1F",
            "3.5", "1e3", "3x", "'s'", "\"q\\n\"", "[[L]]", "[=[M]=]", "--c\n", "--[[C]]", "\n",
            "'\\300'", "'u", "[==", "\\", "@", "\0",
        ];
        let mut rng = Rng(42);
        for _ in 0..10_000 {
            let n = 1 + rng.below(40);
            let mut src = String::new();
            for _ in 0..n {
                src.push_str(WORDS[rng.below(WORDS.len())]);
                src.push_str([" ", "", "\n"][rng.below(3)]);
            }
            let _ = parse(src.as_bytes(), "user_script");
        }
    }

    /// A tool, not a check: `LUA51_PARSE_CASES=file cargo test -p lua51 --lib
    /// parser::tests::dump_results -- --ignored` reads sources (one hex-encoded per line)
    /// and writes, for each, `ok` or the error text (hex-encoded) to `file.out`, to compare
    /// with what a real Redis answers to `EVAL`.
    #[test]
    #[ignore]
    fn dump_results() {
        let Ok(path) = std::env::var("LUA51_PARSE_CASES") else {
            return;
        };
        let text = std::fs::read_to_string(&path).unwrap();
        let mut out = String::new();
        for line in text.lines() {
            let src: Vec<u8> = (0..line.len() / 2)
                .map(|i| u8::from_str_radix(&line[2 * i..2 * i + 2], 16).unwrap())
                .collect();
            match parse(&src, "user_script") {
                Ok(_) => out.push_str("ok\n"),
                Err(e) => {
                    for b in e.as_bytes() {
                        out.push_str(&format!("{b:02x}"));
                    }
                    out.push('\n');
                }
            }
        }
        std::fs::write(format!("{path}.out"), out).unwrap();
    }
}
