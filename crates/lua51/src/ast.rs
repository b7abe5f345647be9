//! The syntax tree the parser builds and the compiler reads. Every node that can fail at
//! run time carries the source line Lua 5.1 would report for it.

/// A chunk or a function body.
#[derive(Debug, Clone)]
pub struct FuncBody {
    pub params: Vec<String>,
    pub is_vararg: bool,
    /// `function t:m()` adds an implicit first parameter `self` (the parser puts it in `params`).
    pub body: Block,
    /// The line of the `function` keyword (0 for the main chunk).
    pub line: u32,
    /// The line of the closing `end` (the last line for the main chunk).
    pub end_line: u32,
}

#[derive(Debug, Clone, Default)]
pub struct Block {
    pub stats: Vec<Stat>,
    /// `return e1, e2` (Lua 5.1 allows it only as a block's last statement); the line of `return`.
    pub ret: Option<(Vec<Expr>, u32)>,
}

#[derive(Debug, Clone)]
pub enum Stat {
    /// A function call used as a statement (`Call` or `Method` expression).
    Call(Expr),
    /// `local a, b = e1, e2` (exprs may be empty).
    Local {
        names: Vec<String>,
        exprs: Vec<Expr>,
        line: u32,
    },
    /// `t[k], x = e1, e2`; every target is a `Name` or `Index` expression.
    Assign {
        targets: Vec<Expr>,
        exprs: Vec<Expr>,
        line: u32,
    },
    Do(Block),
    While {
        cond: Expr,
        body: Block,
        line: u32,
    },
    /// `repeat body until cond` (cond sees body's locals).
    Repeat {
        body: Block,
        cond: Expr,
        line: u32,
    },
    /// `if c1 then b1 elseif c2 then b2 else b3 end`.
    If {
        conds: Vec<(Expr, Block)>,
        else_: Option<Block>,
        line: u32,
    },
    /// `for var = start, limit [, step] do body end`.
    NumFor {
        var: String,
        start: Expr,
        limit: Expr,
        step: Option<Expr>,
        body: Block,
        line: u32,
    },
    /// `for n1, n2 in e1, e2 do body end`.
    GenFor {
        names: Vec<String>,
        exprs: Vec<Expr>,
        body: Block,
        line: u32,
    },
    /// `function a.b.c:m() ... end`: `path` is `["a","b","c"]`, `method` is `Some("m")`
    /// (and the body's first parameter is `self`).
    Function {
        path: Vec<String>,
        method: Option<String>,
        func: Box<FuncBody>,
        line: u32,
    },
    /// `local function f() ... end` (f is in scope inside its own body).
    LocalFunction {
        name: String,
        func: Box<FuncBody>,
        line: u32,
    },
    Break {
        line: u32,
    },
}

#[derive(Debug, Clone)]
pub struct Expr {
    pub kind: ExprKind,
    pub line: u32,
}

#[derive(Debug, Clone)]
pub enum ExprKind {
    Nil,
    True,
    False,
    /// `...`
    VarArg,
    Num(f64),
    /// A string literal, escapes already decoded (bytes, not UTF-8).
    Str(Vec<u8>),
    Function(Box<FuncBody>),
    Table(Vec<Field>),
    Bin(BinOp, Box<Expr>, Box<Expr>),
    Un(UnOp, Box<Expr>),
    /// A variable: local, upvalue or global (the compiler resolves which).
    Name(String),
    /// `t[k]`; `t.k` is `Index(t, Str("k"))`.
    Index(Box<Expr>, Box<Expr>),
    /// `f(args)`, `f"str"`, `f{table}`.
    Call(Box<Expr>, Vec<Expr>),
    /// `obj:name(args)`.
    Method(Box<Expr>, String, Vec<Expr>),
    /// `(e)`: truncates a call or `...` to one value.
    Paren(Box<Expr>),
}

#[derive(Debug, Clone)]
pub enum Field {
    /// `{ e }`: the next array position.
    Pos(Expr),
    /// `{ name = e }`.
    Named(String, Expr),
    /// `{ [k] = e }`.
    Keyed(Expr, Expr),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    Concat,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    Neg,
    Not,
    Len,
}
