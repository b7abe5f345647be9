//! Lua 5.1's pattern matcher (lstrlib.c's `match`), without recursion.
//!
//! The C matcher recurses once per pattern item that can backtrack (`*`, `+`, `-`, `?`,
//! captures), so its depth grows with the pattern, and a long pattern can exhaust the C
//! stack. This one keeps the same backtracking points on a heap stack instead: it tries
//! the same alternatives in the same order, so results, captures and the errors it finds
//! lazily on the way (`malformed pattern`, `invalid capture index`, ...) are those of
//! Lua 5.1, and no pattern or subject can overflow the Rust stack.
//!
//! The pattern is a C string in Lua 5.1 (`match` stops at its first zero byte), and
//! reading the subject at its end yields the terminating zero byte; both are kept.

/// LUA_MAXCAPTURES.
pub const MAX_CAPTURES: usize = 32;

const CAP_UNFINISHED: isize = -1;
const CAP_POSITION: isize = -2;
const ESC: u8 = b'%';

/// A capture as the match left it.
#[derive(Clone, Debug, PartialEq)]
pub enum Capture<'a> {
    Str(&'a [u8]),
    /// A position capture `()`: the 1-based position.
    Pos(usize),
}

/// What to do when the match after a backtracking point fails.
enum Frame {
    /// A capture was opened: close it again (`ms->level--`).
    Open,
    /// Capture `l` was closed: reopen it.
    Close(usize),
    /// `x*` (or `x+`): `i` repetitions of the item at `p` from `s` are being tried.
    Max {
        s: usize,
        p: usize,
        ep: usize,
        i: usize,
    },
    /// `x-`: the match goes on after `s`; on failure one more repetition is tried.
    Min { s: usize, p: usize, ep: usize },
    /// `x?` with the item matched: on failure, go on without it.
    Opt { s: usize, ep: usize },
}

/// The state of one match (lstrlib.c's MatchState).
pub struct Matcher<'a> {
    pub src: &'a [u8],
    pat: &'a [u8],
    pub level: usize,
    capture: [(usize, isize); MAX_CAPTURES],
    stack: Vec<Frame>,
}

/// C's `isalpha` and friends in the C locale (Redis only sets LC_COLLATE).
fn class_matches(c: u8, class: u8) -> Option<bool> {
    Some(match class.to_ascii_lowercase() {
        b'a' => c.is_ascii_alphabetic(),
        b'c' => c.is_ascii_control(),
        b'd' => c.is_ascii_digit(),
        b'l' => c.is_ascii_lowercase(),
        b'p' => c.is_ascii_punctuation(),
        b's' => matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'),
        b'u' => c.is_ascii_uppercase(),
        b'w' => c.is_ascii_alphanumeric(),
        b'x' => c.is_ascii_hexdigit(),
        b'z' => c == 0,
        _ => return None,
    })
}

/// `match_class`: `%a`, `%A`, ... or the escaped character itself.
fn match_class(c: u8, class: u8) -> bool {
    match class_matches(c, class) {
        Some(res) => {
            if class.is_ascii_lowercase() {
                res
            } else {
                !res
            }
        }
        None => class == c,
    }
}

impl<'a> Matcher<'a> {
    /// A matcher over `src` for `pat` (cut at its first zero byte, as C reads it).
    pub fn new(src: &'a [u8], pat: &'a [u8]) -> Matcher<'a> {
        let end = pat.iter().position(|&b| b == 0).unwrap_or(pat.len());
        Matcher {
            src,
            pat: &pat[..end],
            level: 0,
            capture: [(0, 0); MAX_CAPTURES],
            stack: Vec::new(),
        }
    }

    /// The pattern byte at `i`, zero past the end.
    fn p(&self, i: usize) -> u8 {
        self.pat.get(i).copied().unwrap_or(0)
    }

    /// The subject byte at `i`, zero at (and past) the end.
    fn s(&self, i: usize) -> u8 {
        self.src.get(i).copied().unwrap_or(0)
    }

    /// Whether the pattern starts with `^` (find, match and gsub anchor on it).
    pub fn anchored(&self) -> bool {
        self.p(0) == b'^'
    }

    /// Where the item at `p` ends.
    fn class_end(&self, p: usize) -> Result<usize, String> {
        let c = self.p(p);
        let mut p = p + 1;
        match c {
            ESC => {
                if self.p(p) == 0 {
                    return Err("malformed pattern (ends with '%')".into());
                }
                Ok(p + 1)
            }
            b'[' => {
                if self.p(p) == b'^' {
                    p += 1;
                }
                loop {
                    if self.p(p) == 0 {
                        return Err("malformed pattern (missing ']')".into());
                    }
                    let c = self.p(p);
                    p += 1;
                    if c == ESC && self.p(p) != 0 {
                        p += 1;
                    }
                    if self.p(p) == b']' {
                        break;
                    }
                }
                Ok(p + 1)
            }
            _ => Ok(p),
        }
    }

    /// `[...]` at `p` (its `]` at `ec`) against `c`.
    fn match_bracket(&self, c: u8, mut p: usize, ec: usize) -> bool {
        let mut sig = true;
        if self.p(p + 1) == b'^' {
            sig = false;
            p += 1;
        }
        loop {
            p += 1;
            if p >= ec {
                break;
            }
            if self.p(p) == ESC {
                p += 1;
                if match_class(c, self.p(p)) {
                    return sig;
                }
            } else if self.p(p + 1) == b'-' && p + 2 < ec {
                p += 2;
                if self.p(p - 2) <= c && c <= self.p(p) {
                    return sig;
                }
            } else if self.p(p) == c {
                return sig;
            }
        }
        !sig
    }

    fn single_match(&self, c: u8, p: usize, ep: usize) -> bool {
        match self.p(p) {
            b'.' => true,
            ESC => match_class(c, self.p(p + 1)),
            b'[' => self.match_bracket(c, p, ep - 1),
            pc => pc == c,
        }
    }

    /// Whether the item at `p..ep` matches the subject at `s` (never past the end).
    fn item_at(&self, s: usize, p: usize, ep: usize) -> bool {
        s < self.src.len() && self.single_match(self.src[s], p, ep)
    }

    /// `%bxy` at `s`: where the balanced text ends.
    fn match_balance(&self, s: usize, p: usize) -> Result<Option<usize>, String> {
        if self.p(p) == 0 || self.p(p + 1) == 0 {
            return Err("unbalanced pattern".into());
        }
        if self.s(s) != self.p(p) {
            return Ok(None);
        }
        let (b, e) = (self.p(p), self.p(p + 1));
        let mut depth = 1;
        let mut s = s;
        loop {
            s += 1;
            if s >= self.src.len() {
                return Ok(None);
            }
            let c = self.src[s];
            if c == e {
                depth -= 1;
                if depth == 0 {
                    return Ok(Some(s + 1));
                }
            } else if c == b {
                depth += 1;
            }
        }
    }

    /// `%1`..`%9` at `s`.
    fn match_capture(&self, s: usize, digit: u8) -> Result<Option<usize>, String> {
        let l = self.check_capture(digit)?;
        let (init, len) = self.capture[l];
        if len < 0 {
            // a position capture: its length read as size_t is huge
            return Ok(None);
        }
        let len = len as usize;
        if self.src.len() - s >= len && self.src[init..init + len] == self.src[s..s + len] {
            Ok(Some(s + len))
        } else {
            Ok(None)
        }
    }

    fn check_capture(&self, digit: u8) -> Result<usize, String> {
        let l = digit as isize - b'1' as isize;
        if l < 0 || l as usize >= self.level || self.capture[l as usize].1 == CAP_UNFINISHED {
            return Err("invalid capture index".into());
        }
        Ok(l as usize)
    }

    fn capture_to_close(&self) -> Result<usize, String> {
        (0..self.level)
            .rev()
            .find(|&l| self.capture[l].1 == CAP_UNFINISHED)
            .ok_or_else(|| "invalid pattern capture".to_string())
    }

    fn open_capture(&mut self, s: usize, what: isize) -> Result<(), String> {
        if self.level >= MAX_CAPTURES {
            return Err("too many captures".into());
        }
        self.capture[self.level] = (s, what);
        self.level += 1;
        self.stack.push(Frame::Open);
        Ok(())
    }

    /// Matches the pattern from byte `p` against the subject from byte `s`: where the
    /// match ends, or None. Captures are left in the matcher.
    pub fn do_match(&mut self, s: usize, p: usize) -> Result<Option<usize>, String> {
        self.level = 0;
        self.stack.clear();
        let (mut s, mut p) = (s, p);
        loop {
            if let Some(end) = self.run(&mut s, &mut p)? {
                return Ok(Some(end));
            }
            // the match failed from here: take the latest backtracking point
            loop {
                match self.stack.pop() {
                    None => return Ok(None),
                    Some(Frame::Open) => self.level -= 1,
                    Some(Frame::Close(l)) => self.capture[l].1 = CAP_UNFINISHED,
                    Some(Frame::Max {
                        s: s0,
                        p: p0,
                        ep,
                        i,
                    }) => {
                        if i > 0 {
                            self.stack.push(Frame::Max {
                                s: s0,
                                p: p0,
                                ep,
                                i: i - 1,
                            });
                            s = s0 + i - 1;
                            p = ep + 1;
                            break;
                        }
                    }
                    Some(Frame::Min { s: s0, p: p0, ep }) => {
                        if self.item_at(s0, p0, ep) {
                            self.stack.push(Frame::Min {
                                s: s0 + 1,
                                p: p0,
                                ep,
                            });
                            s = s0 + 1;
                            p = ep + 1;
                            break;
                        }
                    }
                    Some(Frame::Opt { s: s0, ep }) => {
                        s = s0;
                        p = ep + 1;
                        break;
                    }
                }
            }
        }
    }

    /// Goes forward from (`s`, `p`) until the pattern ends (Some: the match's end) or an
    /// item fails (None), pushing a frame at every point the C code would recurse.
    fn run(&mut self, s: &mut usize, p: &mut usize) -> Result<Option<usize>, String> {
        loop {
            match self.p(*p) {
                b'(' => {
                    if self.p(*p + 1) == b')' {
                        self.open_capture(*s, CAP_POSITION)?;
                        *p += 2;
                    } else {
                        self.open_capture(*s, CAP_UNFINISHED)?;
                        *p += 1;
                    }
                    continue;
                }
                b')' => {
                    let l = self.capture_to_close()?;
                    self.capture[l].1 = (*s - self.capture[l].0) as isize;
                    self.stack.push(Frame::Close(l));
                    *p += 1;
                    continue;
                }
                ESC if self.p(*p + 1) == b'b' => {
                    match self.match_balance(*s, *p + 2)? {
                        Some(e) => *s = e,
                        None => return Ok(None),
                    }
                    *p += 4;
                    continue;
                }
                ESC if self.p(*p + 1) == b'f' => {
                    *p += 2;
                    if self.p(*p) != b'[' {
                        return Err("missing '[' after '%f' in pattern".into());
                    }
                    let ep = self.class_end(*p)?;
                    let prev = if *s == 0 { 0 } else { self.src[*s - 1] };
                    if self.match_bracket(prev, *p, ep - 1)
                        || !self.match_bracket(self.s(*s), *p, ep - 1)
                    {
                        return Ok(None);
                    }
                    *p = ep;
                    continue;
                }
                ESC if self.p(*p + 1).is_ascii_digit() => {
                    match self.match_capture(*s, self.p(*p + 1))? {
                        Some(e) => *s = e,
                        None => return Ok(None),
                    }
                    *p += 2;
                    continue;
                }
                0 => return Ok(Some(*s)),
                b'$' if self.p(*p + 1) == 0 => {
                    return Ok(if *s == self.src.len() { Some(*s) } else { None });
                }
                _ => {}
            }
            // a single-character item, maybe with a quantifier
            let ep = self.class_end(*p)?;
            let m = self.item_at(*s, *p, ep);
            match self.p(ep) {
                b'?' => {
                    if m {
                        self.stack.push(Frame::Opt { s: *s, ep });
                        *s += 1;
                    }
                    *p = ep + 1;
                }
                b'*' | b'+' => {
                    let mut start = *s;
                    if self.p(ep) == b'+' {
                        if !m {
                            return Ok(None);
                        }
                        start += 1;
                    }
                    let mut i = 0;
                    while self.item_at(start + i, *p, ep) {
                        i += 1;
                    }
                    self.stack.push(Frame::Max {
                        s: start,
                        p: *p,
                        ep,
                        i,
                    });
                    *s = start + i;
                    *p = ep + 1;
                }
                b'-' => {
                    self.stack.push(Frame::Min { s: *s, p: *p, ep });
                    *p = ep + 1;
                }
                _ => {
                    if !m {
                        return Ok(None);
                    }
                    *s += 1;
                    *p = ep;
                }
            }
        }
    }

    /// Capture `i` of a match from `s` to `e` (`push_onecapture`): the whole match when
    /// the pattern has no captures and `i` is 0.
    pub fn capture(&self, i: usize, s: usize, e: usize) -> Result<Capture<'a>, String> {
        if i >= self.level {
            if i == 0 {
                Ok(Capture::Str(&self.src[s..e]))
            } else {
                Err("invalid capture index".into())
            }
        } else {
            let (init, len) = self.capture[i];
            match len {
                CAP_UNFINISHED => Err("unfinished capture".into()),
                CAP_POSITION => Ok(Capture::Pos(init + 1)),
                _ => Ok(Capture::Str(&self.src[init..init + len as usize])),
            }
        }
    }

    /// All captures (`push_captures`): the whole match if there are none and `whole` is
    /// given.
    pub fn captures(&self, whole: Option<(usize, usize)>) -> Result<Vec<Capture<'a>>, String> {
        let n = if self.level == 0 && whole.is_some() {
            1
        } else {
            self.level
        };
        let (s, e) = whole.unwrap_or((0, 0));
        (0..n).map(|i| self.capture(i, s, e)).collect()
    }
}

/// Whether a pattern has none of the characters that make it more than plain text
/// (`strpbrk(p, SPECIALS)`, which stops at a zero byte).
pub fn is_plain(pat: &[u8]) -> bool {
    pat.iter()
        .take_while(|&&b| b != 0)
        .all(|b| !b"^$*+?.([%-".contains(b))
}

/// `lmemfind`: where `needle` first occurs in `hay`.
pub fn find_plain(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    if needle.len() > hay.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}
