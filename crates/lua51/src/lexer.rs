//! Lua 5.1's tokens, read as Lua 5.1.5's `llex.c` reads them.
//!
//! The lexer is pulled one token at a time by the parser (with at most one token of
//! look-ahead), as Lua's is, because Lua's error texts depend on that: an error names the
//! line the lexer has reached (`linenumber`, the line where the current token ends) and,
//! for names, strings and numbers, the text the lexer last read into its buffer (`near
//! '"abc'` for a string left open).
//!
//! What Lua 5.1 reads (and so what this reads):
//! - names: a letter or `_`, then letters, digits and `_` (ASCII only, as in the C locale);
//!   the 21 reserved words of 5.1 (no `goto`);
//! - symbols: `..`, `...`, `==`, `>=`, `<=`, `~=`; every other byte is a token of its own
//!   (`~` alone, `//`, `::`, `&` are not operators in 5.1: the parser rejects them);
//! - numerals: a digit (or `.` then a digit), then digits and dots, an optional exponent
//!   mark with its sign, then any letters, digits and `_`; the whole text must be a number
//!   for C's `strtod` (decimal or `0x` hexadecimal), else `malformed number near '3x'`;
//! - short strings with the escapes `\a \b \f \n \r \t \v`, `\` + newline, `\ddd` (at
//!   most three decimal digits, at most 255); any other escaped byte stands for itself;
//! - long strings and comments `[[ ]]`, `[==[ ]==]` (a first newline is skipped). An
//!   opening bracket inside one is plain text: Redis 7.0.15's Lua neither nests them nor
//!   raises stock Lua 5.1's `nesting of [[...]] is deprecated` (checked on the server:
//!   `return [[ [[ ]]` is ` [[ `);
//! - newlines `\n`, `\r`, `\r\n`, `\n\r`, each counted as one line.

use crate::value::strtod;

/// A token. Reserved words and multi-byte symbols have their own variants; every other
/// single byte is `Char`.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    And,
    Break,
    Do,
    Else,
    Elseif,
    End,
    False,
    For,
    Function,
    If,
    In,
    Local,
    Nil,
    Not,
    Or,
    Repeat,
    Return,
    Then,
    True,
    Until,
    While,
    /// `..`
    Concat,
    /// `...`
    Dots,
    /// `==`
    Eq,
    /// `>=`
    Ge,
    /// `<=`
    Le,
    /// `~=`
    Ne,
    Number(f64),
    Name(String),
    /// A string literal, escapes decoded.
    Str(Vec<u8>),
    Eos,
    /// Any other byte: `+`, `(`, `#`, a stray `~` or `@`...
    Char(u8),
}

const RESERVED: [(&str, Tok); 21] = [
    ("and", Tok::And),
    ("break", Tok::Break),
    ("do", Tok::Do),
    ("else", Tok::Else),
    ("elseif", Tok::Elseif),
    ("end", Tok::End),
    ("false", Tok::False),
    ("for", Tok::For),
    ("function", Tok::Function),
    ("if", Tok::If),
    ("in", Tok::In),
    ("local", Tok::Local),
    ("nil", Tok::Nil),
    ("not", Tok::Not),
    ("or", Tok::Or),
    ("repeat", Tok::Repeat),
    ("return", Tok::Return),
    ("then", Tok::Then),
    ("true", Tok::True),
    ("until", Tok::Until),
    ("while", Tok::While),
];

/// The printable form of a token, as Lua's `luaX_token2str` writes it: reserved words and
/// symbols as themselves, `<name>`, `<string>`, `<number>`, `<eof>`, a control byte as
/// `char(N)`, any other byte as itself.
pub fn token2str(tok: &Tok) -> Vec<u8> {
    let s: &str = match tok {
        Tok::And => "and",
        Tok::Break => "break",
        Tok::Do => "do",
        Tok::Else => "else",
        Tok::Elseif => "elseif",
        Tok::End => "end",
        Tok::False => "false",
        Tok::For => "for",
        Tok::Function => "function",
        Tok::If => "if",
        Tok::In => "in",
        Tok::Local => "local",
        Tok::Nil => "nil",
        Tok::Not => "not",
        Tok::Or => "or",
        Tok::Repeat => "repeat",
        Tok::Return => "return",
        Tok::Then => "then",
        Tok::True => "true",
        Tok::Until => "until",
        Tok::While => "while",
        Tok::Concat => "..",
        Tok::Dots => "...",
        Tok::Eq => "==",
        Tok::Ge => ">=",
        Tok::Le => "<=",
        Tok::Ne => "~=",
        Tok::Number(_) => "<number>",
        Tok::Name(_) => "<name>",
        Tok::Str(_) => "<string>",
        Tok::Eos => "<eof>",
        Tok::Char(c) => {
            // C's iscntrl in the C locale: 0..=31 and 127.
            return if *c < 32 || *c == 127 {
                format!("char({c})").into_bytes()
            } else {
                vec![*c]
            };
        }
    };
    s.as_bytes().to_vec()
}

/// What a lexer error names after `near`: nothing, the text in the lexer's buffer (names,
/// strings, numbers: what was read of them), or a token's printable form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Near {
    Nothing,
    /// The buffer: the text of the name, string or number being read or just read.
    Buffer,
    /// `'<eof>'`
    Eof,
}

/// C's `isspace` in the C locale.
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn is_alnum_(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// The lexer: Lua's `LexState` less the parser's part.
pub struct Lexer<'a> {
    src: &'a [u8],
    /// Index of the byte after `current`.
    pos: usize,
    /// The byte under the cursor; `None` at the end of the source (Lua's `EOZ`).
    current: Option<u8>,
    /// The line the lexer has reached: where the current token (or the look-ahead token,
    /// when one was read) ends. Lua's error messages name this line.
    pub linenumber: u32,
    /// The line where the last consumed token ended (Lua's `lastline`): the line Lua's
    /// code generator stamps on the instructions it emits at that moment.
    pub lastline: u32,
    /// The text of the token being read (Lua's `luaZ` buffer).
    buf: Vec<u8>,
    /// The current token.
    pub token: Tok,
    ahead: Option<Tok>,
    chunk: String,
}

type LexResult<T> = Result<T, String>;

impl<'a> Lexer<'a> {
    /// A lexer at the start of `src`, before its first token (call `next_token` to read it).
    /// `chunk` is the name errors begin with (`user_script`).
    pub fn new(src: &'a [u8], chunk: &str) -> Lexer<'a> {
        let mut lx = Lexer {
            src,
            pos: 0,
            current: None,
            linenumber: 1,
            lastline: 1,
            buf: Vec::new(),
            token: Tok::Eos,
            ahead: None,
            chunk: chunk.to_string(),
        };
        lx.advance();
        lx
    }

    /// The chunk name errors begin with.
    pub fn chunk(&self) -> &str {
        &self.chunk
    }

    /// Reads the next token into `token` (Lua's `luaX_next`).
    pub fn next_token(&mut self) -> LexResult<()> {
        self.lastline = self.linenumber;
        self.token = match self.ahead.take() {
            Some(t) => t,
            None => self.llex()?,
        };
        Ok(())
    }

    /// Reads the token after the current one without consuming it (Lua's
    /// `luaX_lookahead`); the next `next_token` returns it.
    pub fn lookahead(&mut self) -> LexResult<&Tok> {
        if self.ahead.is_none() {
            let t = self.llex()?;
            self.ahead = Some(t);
        }
        Ok(self.ahead.as_ref().unwrap_or(&Tok::Eos))
    }

    /// `chunk:line: msg`, and ` near 'X'` as `near` says (Lua's `luaX_lexerror`).
    #[cold]
    #[inline(never)]
    pub fn error(&self, msg: &str, near: Near) -> String {
        let mut out = format!("{}:{}: {}", self.chunk, self.linenumber, msg).into_bytes();
        let text: Option<Vec<u8>> = match near {
            Near::Nothing => None,
            Near::Buffer => {
                // Lua prints the buffer as a C string: it stops at the first NUL byte.
                let end = self
                    .buf
                    .iter()
                    .position(|&b| b == 0)
                    .unwrap_or(self.buf.len());
                Some(self.buf[..end].to_vec())
            }
            Near::Eof => Some(b"<eof>".to_vec()),
        };
        if let Some(t) = text {
            out.extend_from_slice(b" near '");
            out.extend_from_slice(&t);
            out.push(b'\'');
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    /// An error near the current token (Lua's `luaX_syntaxerror`): names, strings and
    /// numbers are named by their text, other tokens by their printable form.
    #[cold]
    #[inline(never)]
    pub fn syntax_error(&self, msg: &str) -> String {
        match &self.token {
            // Lua's token code 0 reads as "no token": no `near` at all.
            Tok::Char(0) => self.error(msg, Near::Nothing),
            Tok::Name(_) | Tok::Str(_) | Tok::Number(_) => self.error(msg, Near::Buffer),
            t => {
                let mut out =
                    format!("{}:{}: {} near '", self.chunk, self.linenumber, msg).into_bytes();
                out.extend_from_slice(&token2str(t));
                out.push(b'\'');
                String::from_utf8_lossy(&out).into_owned()
            }
        }
    }

    fn advance(&mut self) {
        self.current = self.src.get(self.pos).copied();
        if self.pos < self.src.len() {
            self.pos += 1;
        }
    }

    fn save(&mut self, c: u8) {
        self.buf.push(c);
    }

    fn save_and_next(&mut self) {
        if let Some(c) = self.current {
            self.buf.push(c);
        }
        self.advance();
    }

    fn cur_is(&self, c: u8) -> bool {
        self.current == Some(c)
    }

    fn cur_is_newline(&self) -> bool {
        matches!(self.current, Some(b'\n') | Some(b'\r'))
    }

    fn cur_is_digit(&self) -> bool {
        matches!(self.current, Some(c) if c.is_ascii_digit())
    }

    /// Skips one newline (`\n`, `\r`, `\r\n` or `\n\r`) and counts it.
    fn inclinenumber(&mut self) {
        let old = self.current;
        self.advance();
        if self.cur_is_newline() && self.current != old {
            self.advance();
        }
        self.linenumber = self.linenumber.saturating_add(1);
    }

    /// Reads the current byte if it is in `set`. As Lua's (which asks C's `strchr`, which
    /// finds a set's terminating zero too), a zero byte is in every set: `.\0` reads as
    /// `..`, and `1\0+5` as one numeral (whose value is read up to the zero: 1).
    fn check_next(&mut self, set: &[u8]) -> bool {
        match self.current {
            Some(c) if c == 0 || set.contains(&c) => {
                self.save_and_next();
                true
            }
            _ => false,
        }
    }

    /// At `[` or `]`: reads it and the `=` after it. The level (count of `=`) when the
    /// same bracket follows, else `-count - 1`.
    fn skip_sep(&mut self) -> i64 {
        let s = self.current;
        let mut count: i64 = 0;
        self.save_and_next();
        while self.cur_is(b'=') {
            self.save_and_next();
            count += 1;
        }
        if self.current == s {
            count
        } else {
            -count - 1
        }
    }

    /// A long string (`string`: keep its text) or a long comment, after its opening `[=*`.
    fn read_long_string(&mut self, sep: i64, string: bool) -> LexResult<Option<Vec<u8>>> {
        self.save_and_next(); // the second `[`
        if self.cur_is_newline() {
            self.inclinenumber(); // a first newline is not part of the string
        }
        loop {
            match self.current {
                None => {
                    let msg = if string {
                        "unfinished long string"
                    } else {
                        "unfinished long comment"
                    };
                    return Err(self.error(msg, Near::Eof));
                }
                Some(b']') => {
                    if self.skip_sep() == sep {
                        self.save_and_next();
                        break;
                    }
                }
                Some(b'\n') | Some(b'\r') => {
                    self.save(b'\n');
                    self.inclinenumber();
                    if !string {
                        self.buf.clear();
                    }
                }
                Some(_) => {
                    if string {
                        self.save_and_next();
                    } else {
                        self.advance();
                    }
                }
            }
        }
        if !string {
            return Ok(None);
        }
        let delim = (2 + sep) as usize;
        let end = self.buf.len().saturating_sub(delim);
        Ok(Some(self.buf.get(delim..end).unwrap_or(&[]).to_vec()))
    }

    /// A short string; `del` is its quote, under the cursor.
    fn read_string(&mut self, del: u8) -> LexResult<Vec<u8>> {
        self.save_and_next();
        while self.current != Some(del) {
            match self.current {
                None => return Err(self.error("unfinished string", Near::Eof)),
                Some(b'\n') | Some(b'\r') => {
                    return Err(self.error("unfinished string", Near::Buffer))
                }
                Some(b'\\') => {
                    self.advance(); // the `\` is not kept
                    let c = match self.current {
                        Some(b'a') => 7,
                        Some(b'b') => 8,
                        Some(b'f') => 12,
                        Some(b'n') => b'\n',
                        Some(b'r') => b'\r',
                        Some(b't') => b'\t',
                        Some(b'v') => 11,
                        Some(b'\n') | Some(b'\r') => {
                            self.save(b'\n');
                            self.inclinenumber();
                            continue;
                        }
                        None => continue, // "unfinished string" on the next round
                        Some(d) if d.is_ascii_digit() => {
                            let mut i = 0;
                            let mut c: u32 = 0;
                            while i < 3 {
                                match self.current {
                                    Some(d) if d.is_ascii_digit() => {
                                        c = 10 * c + u32::from(d - b'0');
                                        self.advance();
                                        i += 1;
                                    }
                                    _ => break,
                                }
                            }
                            if c > 255 {
                                return Err(self.error("escape sequence too large", Near::Buffer));
                            }
                            self.save(c as u8);
                            continue;
                        }
                        Some(_) => {
                            // `\\`, `\"`, `\'` and any other byte: itself
                            self.save_and_next();
                            continue;
                        }
                    };
                    self.save(c);
                    self.advance();
                }
                Some(_) => self.save_and_next(),
            }
        }
        self.save_and_next(); // the closing quote
        let end = self.buf.len().saturating_sub(1);
        Ok(self.buf.get(1..end).unwrap_or(&[]).to_vec())
    }

    /// A numeral, from its first digit (or from the digit after a `.` already in the
    /// buffer).
    fn read_numeral(&mut self) -> LexResult<f64> {
        loop {
            self.save_and_next();
            if !(self.cur_is_digit() || self.cur_is(b'.')) {
                break;
            }
        }
        if self.check_next(b"Ee") {
            self.check_next(b"+-");
        }
        while matches!(self.current, Some(c) if is_alnum_(c)) {
            self.save_and_next();
        }
        match numeral_value(&self.buf) {
            Some(n) => Ok(n),
            None => Err(self.error("malformed number", Near::Buffer)),
        }
    }

    /// Reads one token (Lua's `llex`). Not inlined: the parser's recursive functions
    /// call it, and its locals would grow their stack frames.
    #[inline(never)]
    fn llex(&mut self) -> LexResult<Tok> {
        self.buf.clear();
        loop {
            let c = match self.current {
                None => return Ok(Tok::Eos),
                Some(c) => c,
            };
            match c {
                b'\n' | b'\r' => self.inclinenumber(),
                b'-' => {
                    self.advance();
                    if !self.cur_is(b'-') {
                        return Ok(Tok::Char(b'-'));
                    }
                    self.advance();
                    if self.cur_is(b'[') {
                        let sep = self.skip_sep();
                        self.buf.clear();
                        if sep >= 0 {
                            self.read_long_string(sep, false)?;
                            self.buf.clear();
                            continue;
                        }
                    }
                    while !self.cur_is_newline() && self.current.is_some() {
                        self.advance();
                    }
                }
                b'[' => {
                    let sep = self.skip_sep();
                    if sep >= 0 {
                        let s = self.read_long_string(sep, true)?;
                        return Ok(Tok::Str(s.unwrap_or_default()));
                    } else if sep == -1 {
                        return Ok(Tok::Char(b'['));
                    } else {
                        return Err(self.error("invalid long string delimiter", Near::Buffer));
                    }
                }
                b'=' | b'<' | b'>' | b'~' => {
                    self.advance();
                    if !self.cur_is(b'=') {
                        return Ok(Tok::Char(c));
                    }
                    self.advance();
                    return Ok(match c {
                        b'=' => Tok::Eq,
                        b'<' => Tok::Le,
                        b'>' => Tok::Ge,
                        _ => Tok::Ne,
                    });
                }
                b'"' | b'\'' => return Ok(Tok::Str(self.read_string(c)?)),
                b'.' => {
                    self.save_and_next();
                    if self.check_next(b".") {
                        if self.check_next(b".") {
                            return Ok(Tok::Dots);
                        }
                        return Ok(Tok::Concat);
                    }
                    if !self.cur_is_digit() {
                        return Ok(Tok::Char(b'.'));
                    }
                    return Ok(Tok::Number(self.read_numeral()?));
                }
                _ if is_space(c) => self.advance(),
                _ if c.is_ascii_digit() => return Ok(Tok::Number(self.read_numeral()?)),
                _ if c.is_ascii_alphabetic() || c == b'_' => {
                    while matches!(self.current, Some(c) if is_alnum_(c)) {
                        self.save_and_next();
                    }
                    for (word, tok) in RESERVED.iter() {
                        if word.as_bytes() == self.buf.as_slice() {
                            return Ok(tok.clone());
                        }
                    }
                    // Only ASCII letters, digits and `_` were read.
                    return Ok(Tok::Name(String::from_utf8_lossy(&self.buf).into_owned()));
                }
                _ => {
                    self.advance();
                    return Ok(Tok::Char(c));
                }
            }
        }
    }
}

/// What Lua's `luaO_str2d` makes of a numeral's text: all of it must be read by C's
/// `strtod` (where strtod stops at an `x`, Lua tries `strtoul` base 16, which can read no
/// more than strtod did for a numeral's text, so such a numeral is malformed too).
fn numeral_value(text: &[u8]) -> Option<f64> {
    // C reads the buffer up to its first zero byte.
    let text = &text[..text.iter().position(|&b| b == 0).unwrap_or(text.len())];
    let (n, used) = strtod(text)?;
    if used == 0 || used != text.len() {
        return None;
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(src: &str) -> Result<Vec<Tok>, String> {
        let mut lx = Lexer::new(src.as_bytes(), "t");
        let mut out = Vec::new();
        loop {
            lx.next_token()?;
            if lx.token == Tok::Eos {
                return Ok(out);
            }
            out.push(lx.token.clone());
        }
    }

    fn name(s: &str) -> Tok {
        Tok::Name(s.to_string())
    }

    fn s(b: &[u8]) -> Tok {
        Tok::Str(b.to_vec())
    }

    #[test]
    fn tokens_are_read_as_lua_5_1_reads_them() {
        let cases: Vec<(&str, Vec<Tok>)> = vec![
            ("", vec![]),
            ("  \t\x0b\x0c ", vec![]),
            ("and break do else elseif end false for function if in local nil not or repeat return then true until while",
             vec![Tok::And, Tok::Break, Tok::Do, Tok::Else, Tok::Elseif, Tok::End, Tok::False, Tok::For,
                  Tok::Function, Tok::If, Tok::In, Tok::Local, Tok::Nil, Tok::Not, Tok::Or, Tok::Repeat,
                  Tok::Return, Tok::Then, Tok::True, Tok::Until, Tok::While]),
            ("goto _x x1 And", vec![name("goto"), name("_x"), name("x1"), name("And")]),
            (".. ... == >= <= ~= . = < > ~", vec![Tok::Concat, Tok::Dots, Tok::Eq, Tok::Ge, Tok::Le, Tok::Ne,
                  Tok::Char(b'.'), Tok::Char(b'='), Tok::Char(b'<'), Tok::Char(b'>'), Tok::Char(b'~')]),
            ("1\0+5 ..\0 .\0 1\0", vec![Tok::Number(1.0), Tok::Dots, Tok::Concat, Tok::Number(1.0)]),
            ("a//b", vec![name("a"), Tok::Char(b'/'), Tok::Char(b'/'), name("b")]),
            ("::<<&|", vec![Tok::Char(b':'), Tok::Char(b':'), Tok::Char(b'<'), Tok::Char(b'<'), Tok::Char(b'&'), Tok::Char(b'|')]),
            ("....", vec![Tok::Dots, Tok::Char(b'.')]),
            ("3 3.5 .5 3. 1e2 1E+2 2e-1 0x10 0XfF 0x1p4 0xA.8", vec![Tok::Number(3.0), Tok::Number(3.5),
                  Tok::Number(0.5), Tok::Number(3.0), Tok::Number(100.0), Tok::Number(100.0), Tok::Number(0.2),
                  Tok::Number(16.0), Tok::Number(255.0), Tok::Number(16.0), Tok::Number(10.0), Tok::Number(0.8)]),
            ("0x1e+5", vec![Tok::Number(30.0), Tok::Char(b'+'), Tok::Number(5.0)]),
            ("1e400", vec![Tok::Number(f64::INFINITY)]),
            ("a.b", vec![name("a"), Tok::Char(b'.'), name("b")]),
            ("a..1", vec![name("a"), Tok::Concat, Tok::Number(1.0)]),
            ("'a' \"b\"", vec![s(b"a"), s(b"b")]),
            (r#""\a\b\f\n\r\t\v\\\"\'\q""#, vec![s(b"\x07\x08\x0c\n\r\t\x0b\\\"'q")]),
            (r#""\65\066\0067\255\0""#, vec![s(b"AB\x067\xff\0")]),
            ("\"a\\\nb\" \"c\\\r\nd\"", vec![s(b"a\nb"), s(b"c\nd")]),
            ("[[abc]] [==[a]]b]=]c]==]", vec![s(b"abc"), s(b"a]]b]=]c")]),
            ("[[\nx\r\ny]] [[\r\n\r\n]]", vec![s(b"x\ny"), s(b"\n")]),
            ("[=[ [[ ]=]", vec![s(b" [[ ")]),
            ("[[ [[ ]] [[\n[[\n]]", vec![s(b" [[ "), s(b"[[\n")]),
            ("[ [x", vec![Tok::Char(b'['), Tok::Char(b'['), name("x")]),
            ("x -- comment\ny", vec![name("x"), name("y")]),
            ("x --[[ long\n comment ]] y --[==[ ]] ]==] z", vec![name("x"), name("y"), name("z")]),
            ("x --[=x\ny --[\nz", vec![name("x"), name("y"), name("z")]),
            ("a - b", vec![name("a"), Tok::Char(b'-'), name("b")]),
            ("#@$!\x01", vec![Tok::Char(b'#'), Tok::Char(b'@'), Tok::Char(b'$'), Tok::Char(b'!'), Tok::Char(1)]),
        ];
        for (src, want) in cases {
            assert_eq!(tokens(src), Ok(want), "source {src:?}");
        }
    }

    #[test]
    fn newlines_of_every_kind_count_as_one_line() {
        for (src, lines) in [
            ("a\nb", 2),
            ("a\rb", 2),
            ("a\r\nb", 2),
            ("a\n\rb", 2),
            ("a\n\nb", 3),
            ("a\r\rb", 3),
            ("a\n\r\n\rb", 3),
            ("[[\n\n]]b", 3),
            ("--[[\n\n]]b", 3),
            ("'\\\n'b", 2),
        ] {
            let mut lx = Lexer::new(src.as_bytes(), "t");
            loop {
                lx.next_token().unwrap();
                if lx.token == Tok::Name("b".into()) || lx.token == Tok::Eos {
                    break;
                }
            }
            assert_eq!(lx.linenumber, lines, "source {src:?}");
        }
    }

    #[test]
    fn lexical_errors_name_what_was_read() {
        for (src, want) in [
            ("3x", "t:1: malformed number near '3x'"),
            ("1..2", "t:1: malformed number near '1..2'"),
            ("0x", "t:1: malformed number near '0x'"),
            ("0xg", "t:1: malformed number near '0xg'"),
            ("1e", "t:1: malformed number near '1e'"),
            ("1e+", "t:1: malformed number near '1e+'"),
            ("3.4.5", "t:1: malformed number near '3.4.5'"),
            ("0x1P-2", "t:1: malformed number near '0x1P'"),
            ("'abc", "t:1: unfinished string near '<eof>'"),
            ("'abc\nx'", "t:1: unfinished string near ''abc'"),
            ("\"a\\tb\n", "t:1: unfinished string near '\"a\tb'"),
            ("'\\300'", "t:1: escape sequence too large near '\''"),
            ("x\n'ab\\256'", "t:2: escape sequence too large near ''ab'"),
            ("[[abc", "t:1: unfinished long string near '<eof>'"),
            ("--[[abc\n", "t:2: unfinished long comment near '<eof>'"),
            ("[==x", "t:1: invalid long string delimiter near '[=='"),
            ("1e\0-2", "t:1: malformed number near '1e'"),
            ("[= [", "t:1: invalid long string delimiter near '[='"),
            ("'a\\0b", "t:1: unfinished string near '<eof>'"),
            ("'a\\0b\n", "t:1: unfinished string near ''a'"),
        ] {
            assert_eq!(tokens(src), Err(want.to_string()), "source {src:?}");
        }
    }
}
