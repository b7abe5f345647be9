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
//! too deep a nesting, `chunk has too many syntax levels`. Only such chains can reach it:
//! what Lua's 200 levels allow otherwise stays well below it.
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
    p.lx.next()?;
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

/// An expression and the height of its tree.
type Ex = (Expr, u32);

fn block_follow(t: &Tok) -> bool {
    matches!(t, Tok::Else | Tok::Elseif | Tok::End | Tok::Until | Tok::Eos)
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
        self.lx.next()
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
        if line == self.lx.linenumber {
            Err(self.error_expected(what))
        } else {
            Err(self.lx.syntax_error(&format!(
                "'{}' expected (to close '{}' at line {})",
                tstr(what),
                tstr(who),
                line
            )))
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
        Ok((Expr { kind, line }, h))
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
                    let (s, sh) = self.statement()?;
                    block.stats.push(s);
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

    fn statement(&mut self) -> PResult<(Stat, u32)> {
        let line = self.lx.linenumber;
        let (stat, h) = match self.lx.token {
            Tok::If => self.ifstat(line)?,
            Tok::While => {
                self.next()?;
                let (cond, ch) = self.expr()?;
                self.enter_block(true);
                self.checknext(&Tok::Do)?;
                let (body, bh) = self.block()?;
                self.check_match(&Tok::End, &Tok::While, line)?;
                self.leave_block();
                (Stat::While { cond, body, line }, ch.max(bh))
            }
            Tok::Do => {
                self.next()?;
                let (b, bh) = self.block()?;
                self.check_match(&Tok::End, &Tok::Do, line)?;
                (Stat::Do(b), bh)
            }
            Tok::For => self.forstat(line)?,
            Tok::Repeat => {
                self.enter_block(true); // the loop
                self.enter_block(false); // the scope `until` sees
                self.next()?;
                let (body, bh) = self.chunk()?;
                self.check_match(&Tok::Until, &Tok::Repeat, line)?;
                let (cond, ch) = self.expr()?;
                self.leave_block();
                self.leave_block();
                (Stat::Repeat { body, cond, line }, bh.max(ch))
            }
            Tok::Function => {
                self.next()?;
                let mut path = vec![self.str_checkname()?];
                self.resolve(&path[0].clone())?;
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
                let func = Box::new(func);
                (
                    Stat::Function {
                        path,
                        method,
                        func,
                        line,
                    },
                    fh,
                )
            }
            Tok::Local => {
                self.next()?;
                if self.testnext(&Tok::Function)? {
                    let name = self.str_checkname()?;
                    self.new_localvar(name.clone())?;
                    self.adjust_localvars(1);
                    let fline = self.lx.linenumber;
                    let (func, fh) = self.body(false, fline)?;
                    let func = Box::new(func);
                    (Stat::LocalFunction { name, func, line }, fh)
                } else {
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
                    (Stat::Local { names, exprs, line }, eh)
                }
            }
            _ => self.exprstat()?,
        };
        let h = self.over(h)?;
        Ok((stat, h))
    }

    fn ifstat(&mut self, line: u32) -> PResult<(Stat, u32)> {
        let mut conds = Vec::new();
        let mut h = 0;
        loop {
            // IF or ELSEIF cond THEN block
            self.next()?;
            let (cond, ch) = self.expr()?;
            self.checknext(&Tok::Then)?;
            let (b, bh) = self.block()?;
            h = h.max(ch).max(bh);
            conds.push((cond, b));
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
        Ok((Stat::If { conds, else_, line }, h))
    }

    fn forstat(&mut self, line: u32) -> PResult<(Stat, u32)> {
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
                    Some(s)
                } else {
                    None
                };
                let (body, do_line, bh) = self.forbody(1)?;
                (
                    Stat::NumFor {
                        var,
                        start,
                        limit,
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
        Ok(r)
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
    fn exprstat(&mut self) -> PResult<(Stat, u32)> {
        let (first, fh) = self.primaryexp()?;
        if is_call(&first) {
            return Ok((Stat::Call(first), fh));
        }
        let mut targets = vec![first];
        let mut h = fh;
        loop {
            let assignable = targets.last().is_some_and(|t| {
                matches!(t.kind, ExprKind::Name(_) | ExprKind::Index(..))
            });
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
                targets.push(t);
                h = h.max(th);
            } else {
                self.checknext(&Tok::Char(b'='))?;
                let (exprs, eh) = self.explist1()?;
                let line = self.lx.lastline;
                return Ok((
                    Stat::Assign {
                        targets,
                        exprs,
                        line,
                    },
                    h.max(eh),
                ));
            }
        }
    }

    /// `function` body: `(params) block end`. `line` is Lua's `linedefined`.
    fn body(&mut self, needself: bool, line: u32) -> PResult<(FuncBody, u32)> {
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
        Ok((
            FuncBody {
                params,
                is_vararg,
                body,
                line,
                end_line,
            },
            h,
        ))
    }

    // ---- expressions ----

    fn expr(&mut self) -> PResult<Ex> {
        let (e, h, _) = self.subexpr(0)?;
        Ok((e, h))
    }

    fn explist1(&mut self) -> PResult<(Vec<Expr>, u32)> {
        let (e, mut h) = self.expr()?;
        let mut list = vec![e];
        while self.testnext(&Tok::Char(b','))? {
            let (e, eh) = self.expr()?;
            h = h.max(eh);
            list.push(e);
        }
        Ok((list, h))
    }

    /// `(simpleexp | unop subexpr) { binop subexpr }` with the binary operators whose left
    /// priority is above `limit`; also the first operator it left alone.
    fn subexpr(&mut self, limit: u8) -> PResult<(Expr, u32, Option<BinOp>)> {
        self.enter_level()?;
        let (mut e, mut h) = match unop(&self.lx.token) {
            Some(op) => {
                self.next()?;
                let (operand, oh, _) = self.subexpr(UNARY_PRIORITY)?;
                let line = self.lx.lastline;
                self.ex(ExprKind::Un(op, Box::new(operand)), line, oh)?
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
            (e, h) = self.ex(ExprKind::Bin(o, Box::new(e), Box::new(e2)), line, h.max(h2))?;
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
                return self.ex(ExprKind::Function(Box::new(f)), fline, fh);
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
                    (e, h) = self.ex(ExprKind::Index(Box::new(e), Box::new(key)), line, h.max(1))?;
                }
                Tok::Char(b'[') => {
                    self.next()?;
                    let (key, kh) = self.expr()?;
                    self.checknext(&Tok::Char(b']'))?;
                    let line = self.lx.lastline;
                    (e, h) = self.ex(ExprKind::Index(Box::new(e), Box::new(key)), line, h.max(kh))?;
                }
                Tok::Char(b':') => {
                    self.next()?;
                    let name = self.str_checkname()?;
                    let (args, line, ah) = self.funcargs()?;
                    (e, h) = self.ex(ExprKind::Method(Box::new(e), name, args), line, h.max(ah))?;
                }
                Tok::Char(b'(') | Tok::Str(_) | Tok::Char(b'{') => {
                    let (args, line, ah) = self.funcargs()?;
                    (e, h) = self.ex(ExprKind::Call(Box::new(e), args), line, h.max(ah))?;
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
                self.ex(ExprKind::Paren(Box::new(inner)), line, ih)
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
                Ok((vec![t], line, h))
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
                fields.push(Field::Named(name, v));
            } else if self.at_char(b'[') {
                self.next()?;
                let (k, kh) = self.expr()?;
                self.checknext(&Tok::Char(b']'))?;
                self.checknext(&Tok::Char(b'='))?;
                let (v, vh) = self.expr()?;
                h = h.max(kh).max(vh);
                fields.push(Field::Keyed(k, v));
            } else {
                let (v, vh) = self.expr()?;
                h = h.max(vh);
                fields.push(Field::Pos(v));
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
