//! What redis-cli does on its side of the connection: split a typed line into arguments,
//! handle a leading repeat count, track the prompt (`[db]`, `(TX)`), and print replies the
//! way `redis-cli --no-raw` prints them.

use crate::reply::Reply;

/// The message redis-cli prints when a line's quotes don't parse.
pub const INVALID_ARGUMENTS: &str = "Invalid argument(s)";
/// The message redis-cli prints for a zero, negative or out-of-range repeat count.
pub const INVALID_REPEAT: &str = "Invalid redis-cli repeat command option value.";
/// A repeat count run all at once (an import, lessons, links: not in slices) runs at most
/// this many times, so `1000000000 INCR x` can't freeze a tab. A typed line runs in slices
/// and has redis-cli's limit (a C int).
pub const MAX_REPEAT: i64 = 10_000;

fn is_c_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

fn hex_val(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// Split a line into arguments exactly as redis-cli does (its `sdssplitargs`).
///
/// Outside quotes, arguments are separated by spaces, tabs and newlines. Inside double
/// quotes `\xHH`, `\n`, `\r`, `\t`, `\b`, `\a` and `\<any>` escapes work; inside single
/// quotes only `\'`. Quotes may start in the middle of an argument (`a"b c"` is `ab c`),
/// but a closing quote must be followed by whitespace or the end of the line. Returns None
/// for an unbalanced or badly closed quote. A NUL ends the line, as it does for C.
pub fn split_args(line: &[u8]) -> Option<Vec<Vec<u8>>> {
    let mut argv = Vec::with_capacity(4);
    split_into(line, &mut argv).then_some(argv)
}

/// As `split_args`, into `argv`, reusing its vectors (a console line then allocates
/// nothing for arguments no longer than the last line's). False when the quotes don't
/// parse (`argv` then holds no meaning).
pub fn split_into(line: &[u8], argv: &mut Vec<Vec<u8>>) -> bool {
    let mut reuse = Reuse { argv, n: 0 };
    let ok = split_each(line, &mut reuse);
    let n = reuse.n;
    argv.truncate(n);
    ok
}

/// As `split_args`, with each argument's byte span in the line (quotes included), for
/// colouring a line as it is typed.
pub fn split_args_spans(line: &[u8]) -> Option<Vec<(Vec<u8>, usize, usize)>> {
    let mut spans = Spans::default();
    split_each(line, &mut spans).then_some(spans.args)
}

/// Where the splitter puts the arguments it finds.
trait Args {
    /// An empty buffer for the next argument.
    fn next(&mut self) -> &mut Vec<u8>;
    /// The argument just written spans `start..stop` of the line.
    fn done(&mut self, start: usize, stop: usize);
}

/// Arguments into a list's existing vectors.
struct Reuse<'a> {
    argv: &'a mut Vec<Vec<u8>>,
    n: usize,
}

impl Args for Reuse<'_> {
    fn next(&mut self) -> &mut Vec<u8> {
        if self.n == self.argv.len() {
            self.argv.push(Vec::new());
        }
        let arg = &mut self.argv[self.n];
        arg.clear();
        arg
    }
    fn done(&mut self, _: usize, _: usize) {
        self.n += 1;
    }
}

/// Arguments with their spans.
#[derive(Default)]
struct Spans {
    args: Vec<(Vec<u8>, usize, usize)>,
    cur: Vec<u8>,
}

impl Args for Spans {
    fn next(&mut self) -> &mut Vec<u8> {
        &mut self.cur
    }
    fn done(&mut self, start: usize, stop: usize) {
        self.args.push((std::mem::take(&mut self.cur), start, stop));
    }
}

/// The splitter behind them all: hands each argument and its span to `found`; false when
/// the quotes don't parse.
fn split_each(line: &[u8], found: &mut impl Args) -> bool {
    let end = line.iter().position(|&c| c == 0).unwrap_or(line.len());
    let line = &line[..end];
    if !line.iter().any(|&c| c == b'"' || c == b'\'') {
        // No quotes (most lines): words between whitespace, as they are.
        let mut i = 0;
        while i < line.len() {
            if is_c_space(line[i]) {
                i += 1;
                continue;
            }
            let len = line[i..]
                .iter()
                .position(|&c| is_c_space(c))
                .unwrap_or(line.len() - i);
            found.next().extend_from_slice(&line[i..i + len]);
            found.done(i, i + len);
            i += len;
        }
        return true;
    }
    let at = |i: usize| -> u8 { line.get(i).copied().unwrap_or(0) };
    let mut i = 0;
    loop {
        while i < line.len() && is_c_space(line[i]) {
            i += 1;
        }
        if i >= line.len() {
            return true;
        }
        let cur = found.next();
        let start = i;
        let stop;
        let (mut in_dq, mut in_sq) = (false, false);
        loop {
            let c = at(i);
            if in_dq && c != b'\\' && c != b'"' && c != 0 {
                // Plain bytes inside double quotes, up to the next escape or quote, at once.
                let run = line[i..]
                    .iter()
                    .position(|&b| b == b'\\' || b == b'"')
                    .unwrap_or(line.len() - i);
                cur.extend_from_slice(&line[i..i + run]);
                i += run;
                continue;
            }
            if in_dq || in_sq {
                let next = at(i + 1);
                if in_dq && c == b'\\' && next == b'x' {
                    if let (Some(h), Some(l)) = (hex_val(at(i + 2)), hex_val(at(i + 3))) {
                        cur.push(h * 16 + l);
                        i += 4;
                        continue;
                    }
                }
                if in_dq && c == b'\\' && next != 0 {
                    cur.push(match next {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'b' => 8,
                        b'a' => 7,
                        other => other,
                    });
                    i += 2;
                } else if in_sq && c == b'\\' && next == b'\'' {
                    cur.push(b'\'');
                    i += 2;
                } else if c == if in_dq { b'"' } else { b'\'' } {
                    // A closing quote must be followed by whitespace or the end.
                    if next != 0 && !is_c_space(next) {
                        return false;
                    }
                    i += 1;
                    stop = i;
                    break;
                } else if c == 0 {
                    return false; // unterminated quotes
                } else {
                    cur.push(c);
                    i += 1;
                }
            } else {
                match c {
                    b' ' | b'\n' | b'\r' | b'\t' | 0 => {
                        stop = i.min(line.len());
                        i += 1;
                        break;
                    }
                    b'"' => in_dq = true,
                    b'\'' => in_sq = true,
                    other => cur.push(other),
                }
                i += 1;
            }
        }
        found.done(start, stop);
    }
}

/// C's `strtol(s, &end, 10)` as redis-cli uses it on the first word of a line: Some(value)
/// when the whole word is consumed (leading spaces and a sign allowed; an empty word counts
/// as a fully consumed 0), with saturation on overflow reported as `Err(())`.
fn strtol_whole(s: &[u8]) -> Option<Result<i64, ()>> {
    // redis-cli passes the word as a C string: it ends at the first NUL.
    let s = &s[..s.iter().position(|&c| c == 0).unwrap_or(s.len())];
    let (neg, digits_start) = c_number_start(s);
    let mut i = digits_start;
    let mut v: i128 = 0;
    let mut overflow = false;
    while i < s.len() && s[i].is_ascii_digit() {
        v = v * 10 + (s[i] - b'0') as i128;
        if v > i64::MAX as i128 + 1 {
            overflow = true;
            v = i64::MAX as i128 + 1;
        }
        i += 1;
    }
    if i == digits_start {
        // No digits: strtol consumed nothing, so the word is whole only if it is empty.
        return if s.is_empty() { Some(Ok(0)) } else { None };
    }
    if i != s.len() {
        return None;
    }
    let v = if neg { -v } else { v };
    if overflow || v > i64::MAX as i128 || v < i64::MIN as i128 {
        return Some(Err(()));
    }
    Some(Ok(v as i64))
}

/// What a typed line asks for, after redis-cli's own parsing.
#[derive(Debug, PartialEq)]
pub enum Line {
    /// Nothing to do (a blank line).
    Empty,
    /// Print this text (quote errors, bad repeat counts).
    Message(&'static str),
    /// Run these arguments `repeat` times.
    Command { repeat: i64, argv: Vec<Vec<u8>> },
}

/// Parse a console line the way redis-cli's prompt loop does, including a leading repeat
/// count (`3 INCR hits`): a first word that is entirely a number, followed by a command.
/// The count is at most `MAX_REPEAT` here.
pub fn parse_line(line: impl AsRef<[u8]>) -> Line {
    let mut argv = Vec::with_capacity(4);
    match parse_line_into(line, &mut argv) {
        Parsed::Empty => Line::Empty,
        Parsed::Message(m) => Line::Message(m),
        Parsed::Command { repeat } => Line::Command {
            repeat: repeat.min(MAX_REPEAT),
            argv,
        },
    }
}

/// What `parse_line_into` found.
#[derive(Debug, PartialEq)]
pub enum Parsed {
    Empty,
    Message(&'static str),
    /// The arguments are in the list passed in; `repeat` as redis-cli reads it (up to
    /// i32::MAX, not capped).
    Command {
        repeat: i64,
    },
}

/// As `parse_line`, with the arguments into `argv` (its vectors reused). A line is bytes:
/// redis-cli reading a script passes any byte through.
pub fn parse_line_into(line: impl AsRef<[u8]>, argv: &mut Vec<Vec<u8>>) -> Parsed {
    if !split_into(line.as_ref(), argv) {
        return Parsed::Message(INVALID_ARGUMENTS);
    }
    if argv.is_empty() {
        return Parsed::Empty;
    }
    let mut repeat = 1;
    if argv.len() > 1 {
        if let Some(r) = strtol_whole(&argv[0]) {
            // redis-cli keeps the count in a C int: values beyond it wrap.
            match r {
                Ok(v) if (v as i32) > 0 => repeat = (v as i32) as i64,
                _ => return Parsed::Message(INVALID_REPEAT),
            }
            argv.remove(0);
        }
    }
    Parsed::Command { repeat }
}

/// redis-cli's prompt state: it tracks the db and MULTI from the commands it sends, not by
/// asking the server, and we do the same so the prompt matches it in every corner.
#[derive(Clone, Debug, Default)]
pub struct PromptState {
    pub dbnum: i64,
    pub in_multi: bool,
    pre_multi_dbnum: i64,
}

/// Where C's `strtol`/`atoi` find the digits: after leading spaces and one sign. Returns
/// whether the number is negative and the index of its first digit.
fn c_number_start(s: &[u8]) -> (bool, usize) {
    let mut i = s.iter().take_while(|&&c| is_c_space(c)).count();
    let neg = s.get(i) == Some(&b'-');
    if matches!(s.get(i), Some(b'+' | b'-')) {
        i += 1;
    }
    (neg, i)
}

/// C's `atoi`: leading spaces, a sign, digits; stops at the first other byte; wraps like int.
fn atoi(s: &[u8]) -> i64 {
    let (neg, mut i) = c_number_start(s);
    let mut v: i64 = 0;
    while i < s.len() && s[i].is_ascii_digit() {
        v = v.wrapping_mul(10).wrapping_add((s[i] - b'0') as i64);
        i += 1;
    }
    let v = if neg { v.wrapping_neg() } else { v };
    v as i32 as i64
}

impl PromptState {
    /// The prompt redis-cli shows: `127.0.0.1:6379[2](TX)> `.
    pub fn prompt(&self) -> String {
        let mut p = String::from("127.0.0.1:6379");
        if self.dbnum != 0 {
            p.push_str(&format!("[{}]", self.dbnum));
        }
        if self.in_multi {
            p.push_str("(TX)");
        }
        p.push_str("> ");
        p
    }

    /// Update the state after a command was sent and its reply read, as redis-cli does.
    pub fn after_reply(&mut self, argv: &[Vec<u8>], reply: &Reply) {
        let Some(name) = argv.first() else { return };
        let is_err = reply.is_error();
        let is = |word: &[u8]| name.eq_ignore_ascii_case(word);
        match argv.len() {
            2 if !is_err && is(b"select") => self.dbnum = atoi(&argv[1]),
            1 if !is_err && is(b"multi") => {
                self.in_multi = true;
                self.pre_multi_dbnum = self.dbnum;
            }
            1 if self.in_multi && is(b"exec") => {
                self.in_multi = false;
                if is_err || matches!(reply, Reply::Nil | Reply::NilArray) {
                    self.dbnum = self.pre_multi_dbnum;
                }
            }
            1 if !is_err && is(b"discard") => {
                self.in_multi = false;
                self.dbnum = self.pre_multi_dbnum;
            }
            1 if !is_err && is(b"reset") => {
                self.in_multi = false;
                self.dbnum = 0;
            }
            _ => {}
        }
    }
}

/// A bulk string as redis-cli quotes it (`sdscatrepr`).
pub fn repr(out: &mut String, bytes: &[u8]) {
    repr_upto(out, bytes, usize::MAX);
}

/// `repr`, stopping once `out` holds `limit` bytes (the caller cuts and says so).
fn repr_upto(out: &mut String, bytes: &[u8], limit: usize) {
    out.push('"');
    let mut i = 0;
    while i < bytes.len() && out.len() < limit {
        let room = limit - out.len();
        let b = bytes[i];
        if plain(b) {
            // Printable bytes that need no escape go in as one run (as much as fits).
            let end = bytes[i..]
                .iter()
                .take(room)
                .position(|&b| !plain(b))
                .map_or((i + room).min(bytes.len()), |n| i + n);
            if let Ok(run) = std::str::from_utf8(&bytes[i..end]) {
                out.push_str(run);
            }
            i = end;
            continue;
        }
        // A run of escaped bytes (a string of zeros is millions of them), written 64 at a
        // time through a small buffer.
        let mut buf = [0u8; 256];
        while i < bytes.len() && !plain(bytes[i]) && out.len() < limit {
            let mut n = 0;
            while n + 4 <= buf.len() && i < bytes.len() && !plain(bytes[i]) {
                n += escape_into(&mut buf[n..], bytes[i]);
                i += 1;
                if out.len() + n >= limit {
                    break;
                }
            }
            if let Ok(escaped) = std::str::from_utf8(&buf[..n]) {
                out.push_str(escaped);
            }
        }
    }
    out.push('"');
}

/// A byte redis-cli prints as itself inside quotes.
fn plain(b: u8) -> bool {
    (0x20..=0x7e).contains(&b) && b != b'\\' && b != b'"'
}

/// How redis-cli writes a byte that isn't `plain`, into `to` (4 bytes of room); returns
/// the bytes written.
fn escape_into(to: &mut [u8], b: u8) -> usize {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let short = match b {
        b'\\' => b'\\',
        b'"' => b'"',
        b'\n' => b'n',
        b'\r' => b'r',
        b'\t' => b't',
        7 => b'a',
        8 => b'b',
        _ => 0,
    };
    to[0] = b'\\';
    if short != 0 {
        to[1] = short;
        return 2;
    }
    to[1] = b'x';
    to[2] = HEX[(b >> 4) as usize];
    to[3] = HEX[(b & 15) as usize];
    4
}

/// redis-cli enters its "reading messages" loop after these commands, whatever the reply.
pub fn enters_pubsub_mode(argv: &[Vec<u8>]) -> bool {
    argv.first().is_some_and(|c| {
        c.eq_ignore_ascii_case(b"subscribe")
            || c.eq_ignore_ascii_case(b"psubscribe")
            || c.eq_ignore_ascii_case(b"ssubscribe")
    })
}

/// redis-cli enters its MONITOR loop once MONITOR answered OK.
pub fn enters_monitor_mode(argv: &[Vec<u8>], reply: &Reply) -> bool {
    argv.first()
        .is_some_and(|c| c.eq_ignore_ascii_case(b"monitor"))
        && matches!(reply, Reply::Status(s) if s == "OK")
}

/// What redis-cli prints when it starts reading messages.
pub const READING_MESSAGES: &str = "Reading messages... (press Ctrl-C to quit)";

/// redis-cli prints the replies of a few commands raw even in `--no-raw` mode (text
/// reports: INFO, CLIENT LIST/INFO, MEMORY DOCTOR, LATENCY DOCTOR…): the bytes as they are,
/// with no quoting and no added newline. The same test as redis-cli 7.0's
/// `cliSendCommand`, word for word (arities included).
pub fn prints_raw(argv: &[Vec<u8>]) -> bool {
    let Some(cmd) = argv.first() else {
        return false;
    };
    let is = |a: &[u8], w: &str| a.eq_ignore_ascii_case(w.as_bytes());
    let sub = |w: &str| argv.get(1).is_some_and(|a| is(a, w));
    let n = argv.len();
    is(cmd, "info")
        || is(cmd, "lolwut")
        || (is(cmd, "debug") && (sub("htstats") || sub("htstats-key") || sub("client-eviction")))
        || (is(cmd, "memory") && (sub("malloc-stats") || sub("doctor")))
        || (is(cmd, "cluster") && n == 2 && (sub("nodes") || sub("info")))
        || (is(cmd, "client") && (sub("list") || sub("info")))
        || (is(cmd, "latency") && ((n == 3 && sub("graph")) || (n == 2 && sub("doctor"))))
        || (is(cmd, "proxy") && sub("info"))
}

/// Everything redis-cli writes to the terminal for one reply, including line ends.
pub fn printed(argv: &[Vec<u8>], reply: &Reply) -> String {
    let mut out = String::new();
    print_into(&mut out, argv, reply);
    out
}

/// The most text one answer prints in a console; past it the answer is cut, with a note
/// (a 512 MB string would print 2 GB, more than a page can hold).
pub const PRINT_LIMIT: usize = 16 << 20;

/// What a console prints where it cut an answer.
pub const CUT_NOTE: &str =
    "[Redis Playground: the answer is cut here; a console shows at most 16 MiB of one answer]";

/// As `printed`, appending to `out`; an answer longer than `PRINT_LIMIT` is cut, with
/// `CUT_NOTE` on a line of its own.
pub fn print_into(out: &mut String, argv: &[Vec<u8>], reply: &Reply) {
    let limit = out.len().saturating_add(PRINT_LIMIT);
    if prints_raw(argv) {
        format_raw(out, reply, limit);
    } else {
        format_into(out, reply, "", limit);
    }
    if out.len() >= limit {
        let mut end = limit.min(out.len());
        while !out.is_char_boundary(end) {
            end -= 1;
        }
        out.truncate(end);
        out.push('\n');
        out.push_str(CUT_NOTE);
        out.push('\n');
    }
}

/// A push that arrived beside the replies, as interactive redis-cli prints it: an
/// invalidation as `-> invalidate: 'key', 'key'`, anything else as a reply.
pub fn print_push(out: &mut String, push: &Reply) {
    if let Reply::Push(items) = push {
        if let [Reply::Bulk(kind), Reply::Array(keys)] = items.as_slice() {
            if kind.starts_with(b"invalidate") {
                out.push_str("-> invalidate: ");
                for (i, k) in keys.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push('\'');
                    if let Reply::Bulk(k) = k {
                        // redis-cli prints the key as a C string: up to a NUL byte.
                        let end = k.iter().position(|&b| b == 0).unwrap_or(k.len());
                        out.push_str(&String::from_utf8_lossy(&k[..end]));
                    }
                    out.push('\'');
                }
                out.push('\n');
                return;
            }
        }
    }
    print_into(out, &[], push);
}

/// Append an integer's decimal digits without going through `fmt`.
pub fn push_int(out: &mut String, n: i64) {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    let mut v = n.unsigned_abs();
    loop {
        at -= 1;
        buf[at] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    if n < 0 {
        out.push('-');
    }
    out.push_str(std::str::from_utf8(&buf[at..]).unwrap_or_default());
}

/// Append an array item's number as redis-cli aligns it: `i` right-aligned to `width`
/// digits, then `) `.
fn push_index(out: &mut String, width: usize, i: usize, sep: char) {
    let mut buf = [b' '; 24];
    let width = width.min(buf.len() - 2);
    let mut at = width;
    let mut v = i;
    while at > 0 {
        at -= 1;
        buf[at] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    buf[width] = sep as u8;
    out.push_str(std::str::from_utf8(&buf[..width + 2]).unwrap_or_default());
}

/// redis-cli's raw form: nil prints nothing, errors get a newline, strings print as is.
/// Stops once `out` holds `limit` bytes.
fn format_raw(out: &mut String, reply: &Reply, limit: usize) {
    if out.len() >= limit {
        return;
    }
    match reply {
        Reply::Nil | Reply::NilArray | Reply::Null => {}
        Reply::Error(e) => {
            out.push_str(e);
            out.push('\n');
        }
        Reply::Status(s) => out.push_str(s),
        Reply::Bulk(b) | Reply::Verbatim(b) => {
            let fits = &b[..b.len().min(limit - out.len())];
            out.push_str(&String::from_utf8_lossy(fits));
        }
        Reply::Int(n) => push_int(out, *n),
        Reply::Double(d) | Reply::DoubleBulk(d) => crate::num::double::fmt_g17_into(*d, out),
        Reply::DoubleText(t) => out.push_str(t),
        Reply::Bool(b) => out.push_str(if *b { "(true)" } else { "(false)" }),
        Reply::BigNumber(_) => out.push_str(UNKNOWN_BIGNUM),
        Reply::Attributed(..) => out.push_str(ATTRIBUTE_ERROR),
        Reply::Pairs(_) | Reply::KeyedArrays(_) => {
            let adapted = reply.clone().for_protocol(crate::reply::Protocol::Resp2);
            format_raw(out, &adapted, limit)
        }
        Reply::Array(items) | Reply::Set(items) | Reply::Push(items) => {
            for (i, it) in items.iter().enumerate() {
                if out.len() >= limit {
                    break;
                }
                if i > 0 {
                    out.push('\n');
                }
                format_raw(out, it, limit);
            }
        }
        Reply::Multi(items) => items.iter().for_each(|it| format_raw(out, it, limit)),
        Reply::Map(pairs) => {
            for (i, (k, v)) in pairs.iter().enumerate() {
                if out.len() >= limit {
                    break;
                }
                if i > 0 {
                    out.push('\n');
                }
                format_raw(out, k, limit);
                out.push(' ');
                format_raw(out, v, limit);
            }
        }
    }
}

/// What `exec` returns for a stretch of terminal output: without its final line end.
pub fn trim_final_newline(mut s: String) -> String {
    trim_final_newline_in(&mut s);
    s
}

/// As `trim_final_newline`, in place.
pub fn trim_final_newline_in(s: &mut String) {
    if s.ends_with('\n') {
        s.pop();
        if s.ends_with('\r') {
            s.pop();
        }
    }
}

fn format_into(out: &mut String, reply: &Reply, prefix: &str, limit: usize) {
    if out.len() >= limit {
        return;
    }
    match reply {
        Reply::Error(e) => {
            out.push_str("(error) ");
            out.push_str(e);
            out.push('\n');
        }
        Reply::Status(s) => {
            out.push_str(s);
            out.push('\n');
        }
        Reply::Int(n) => {
            out.push_str("(integer) ");
            push_int(out, *n);
            out.push('\n');
        }
        Reply::Bulk(b) => {
            repr_upto(out, b, limit);
            out.push('\n');
        }
        Reply::DoubleBulk(d) => {
            repr(out, crate::num::double::G17::new(*d).as_bytes());
            out.push('\n');
        }
        Reply::Double(d) => {
            out.push_str("(double) ");
            crate::num::double::fmt_g17_into(*d, out);
            out.push('\n');
        }
        Reply::DoubleText(t) => {
            out.push_str("(double) ");
            out.push_str(t);
            out.push('\n');
        }
        Reply::Bool(b) => out.push_str(if *b { "(true)\n" } else { "(false)\n" }),
        Reply::Verbatim(b) => {
            let fits = &b[..b.len().min(limit.saturating_sub(out.len()))];
            out.push_str(&String::from_utf8_lossy(fits));
            out.push('\n');
        }
        Reply::BigNumber(_) => {
            out.push_str(UNKNOWN_BIGNUM);
            out.push('\n');
        }
        Reply::Attributed(..) => {
            out.push_str(ATTRIBUTE_ERROR);
            out.push('\n');
        }
        Reply::Nil | Reply::NilArray | Reply::Null => out.push_str("(nil)\n"),
        Reply::Multi(items) => items
            .iter()
            .for_each(|it| format_into(out, it, prefix, limit)),
        Reply::Array(items) => format_array(out, items, ')', "(empty array)\n", prefix, limit),
        Reply::Set(items) => format_array(out, items, '~', "(empty set)\n", prefix, limit),
        Reply::Push(items) => format_array(out, items, ')', "(empty push)\n", prefix, limit),
        Reply::Map(pairs) => format_map(out, pairs, prefix, limit),
        Reply::Pairs(_) | Reply::KeyedArrays(_) => {
            // Adapted to the client's protocol before printing; RESP2's shape otherwise.
            let adapted = reply.clone().for_protocol(crate::reply::Protocol::Resp2);
            format_into(out, &adapted, prefix, limit)
        }
    }
}

/// What redis-cli 7.0 prints for a RESP3 big number: its hiredis knows the type, its
/// printer does not (it then exits).
pub const UNKNOWN_BIGNUM: &str = "Unknown reply type: 13";

/// What redis-cli 7.0 prints for RESP3 attributes: its hiredis can't read them.
pub const ATTRIBUTE_ERROR: &str = "Error: Protocol error, got \"|\" as reply type byte";

/// redis-cli's test for a value it starts on a new line after a map's `=>`: an aggregate
/// of more than one element (or of one that is itself multi-line).
fn is_multiline(r: &Reply) -> bool {
    match r {
        Reply::Array(items) | Reply::Set(items) | Reply::Push(items) => match items.len() {
            0 => false,
            1 => is_multiline(&items[0]),
            _ => true,
        },
        Reply::Map(pairs) => match pairs.len() {
            0 => false,
            1 => is_multiline(&pairs[0].1),
            _ => true,
        },
        _ => false,
    }
}

/// A RESP3 map as redis-cli prints it: `1# key => value`, indices aligned, a multi-line
/// value starting on the next line.
fn format_map(out: &mut String, pairs: &[(Reply, Reply)], prefix: &str, limit: usize) {
    if pairs.is_empty() {
        out.push_str("(empty hash)\n");
        return;
    }
    let width = digits(pairs.len());
    let mut child_prefix = String::with_capacity(prefix.len() + width + 2);
    child_prefix.push_str(prefix);
    child_prefix.extend(std::iter::repeat_n(' ', width + 2));
    for (i, (k, v)) in pairs.iter().enumerate() {
        if out.len() >= limit {
            return;
        }
        if i > 0 {
            out.push_str(prefix);
        }
        push_index(out, width, i + 1, '#');
        format_into(out, k, &child_prefix, limit);
        if out.ends_with('\n') {
            out.pop();
        }
        out.push_str(" => ");
        if is_multiline(v) {
            out.push('\n');
            out.push_str(&child_prefix);
        }
        format_into(out, v, &child_prefix, limit);
    }
}

fn format_array(
    out: &mut String,
    items: &[Reply],
    sep: char,
    empty: &str,
    prefix: &str,
    limit: usize,
) {
    let len = items.len();
    if len == 0 {
        out.push_str(empty);
        return;
    }
    let width = digits(len);
    let mut child_prefix = String::with_capacity(prefix.len() + width + 2);
    child_prefix.push_str(prefix);
    child_prefix.extend(std::iter::repeat_n(' ', width + 2));
    for (i, item) in items.iter().enumerate() {
        if out.len() >= limit {
            return;
        }
        if i > 0 {
            out.push_str(prefix);
        }
        // The index right-aligned to the widest one: ` 9) ` then `10) `.
        push_index(out, width, i + 1, sep);
        format_into(out, item, &child_prefix, limit);
    }
}

/// How many decimal digits `n` has.
fn digits(mut n: usize) -> usize {
    let mut d = 1;
    while n >= 10 {
        n /= 10;
        d += 1;
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Option<Vec<String>> {
        split_args(s.as_bytes()).map(|v| {
            v.into_iter()
                .map(|a| String::from_utf8_lossy(&a).into_owned())
                .collect()
        })
    }

    #[test]
    fn splitting_follows_redis_cli_quoting_rules() {
        let ok: &[(&str, &[&str])] = &[
            ("SET a 1", &["SET", "a", "1"]),
            ("  SET   a\t1  ", &["SET", "a", "1"]),
            ("SET k \"Hello, World!\"", &["SET", "k", "Hello, World!"]),
            ("SET k 'it''s'", &[]), // placeholder replaced below
            ("set k \"a\\x41\\n\"", &["set", "k", "aA\n"]),
            ("set k \"\\xZZ\"", &["set", "k", "xZZ"]),
            ("set k 'a\\'b'", &["set", "k", "a'b"]),
            ("set k 'a\\nb'", &["set", "k", "a\\nb"]),
            ("set a\"b c\" d", &["set", "ab c", "d"]),
            ("set \"\" x", &["set", "", "x"]),
            ("", &[]),
            ("   ", &[]),
        ];
        for (line, want) in ok {
            if line.contains("'it''s'") {
                assert_eq!(split(line), None, "{line}");
                continue;
            }
            let want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
            assert_eq!(split(line), Some(want), "{line}");
        }
        for bad in [
            "set \"abc",
            "set 'abc",
            "set \"a\"b",
            "set 'a'b",
            "get \"a\\\"",
        ] {
            assert_eq!(split(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_replies_redis_cli_prints_raw_are_its_list() {
        let argv = |line: &str| {
            line.split(' ')
                .map(|w| w.as_bytes().to_vec())
                .collect::<Vec<_>>()
        };
        for raw in [
            "INFO",
            "info server",
            "LOLWUT VERSION 5",
            "DEBUG HTSTATS 0",
            "debug htstats-key k",
            "DEBUG CLIENT-EVICTION",
            "MEMORY MALLOC-STATS",
            "MEMORY DOCTOR",
            "CLUSTER NODES",
            "CLUSTER INFO",
            "CLIENT LIST",
            "CLIENT LIST TYPE normal",
            "CLIENT INFO",
            "client info extra",
            "LATENCY GRAPH command",
            "LATENCY DOCTOR",
            "PROXY INFO",
        ] {
            assert!(prints_raw(&argv(raw)), "{raw}");
        }
        for quoted in [
            "GET k",
            "CLUSTER NODES x",
            "CLUSTER",
            "CLIENT ID",
            "CLIENT",
            "LATENCY GRAPH",
            "LATENCY DOCTOR x",
            "MEMORY USAGE k",
            "DEBUG OBJECT k",
            "CONFIG GET *",
        ] {
            assert!(!prints_raw(&argv(quoted)), "{quoted}");
        }
    }

    #[test]
    fn a_leading_number_is_a_repeat_count() {
        assert_eq!(
            parse_line("3 INCR hits"),
            Line::Command {
                repeat: 3,
                argv: vec![b"INCR".to_vec(), b"hits".to_vec()]
            }
        );
        assert_eq!(parse_line("0 INCR hits"), Line::Message(INVALID_REPEAT));
        assert_eq!(parse_line("-2 INCR hits"), Line::Message(INVALID_REPEAT));
        assert_eq!(
            parse_line("3"),
            Line::Command {
                repeat: 1,
                argv: vec![b"3".to_vec()]
            }
        );
        assert_eq!(parse_line("\"\" GET a"), Line::Message(INVALID_REPEAT));
        assert_eq!(parse_line("\"a b"), Line::Message(INVALID_ARGUMENTS));
        assert_eq!(parse_line("   "), Line::Empty);
    }

    /// What redis-cli prints for one reply, without the final newline.
    fn format_reply(reply: &Reply) -> String {
        let mut out = String::new();
        format_into(&mut out, reply, "", usize::MAX);
        if out.ends_with('\n') {
            out.pop();
        }
        out
    }

    #[test]
    fn replies_print_like_redis_cli() {
        use Reply::*;
        assert_eq!(format_reply(&Int(5)), "(integer) 5");
        assert_eq!(format_reply(&Nil), "(nil)");
        assert_eq!(format_reply(&Array(vec![])), "(empty array)");
        assert_eq!(
            format_reply(&Bulk(b"a\"b\\\x01\xff\n".to_vec())),
            "\"a\\\"b\\\\\\x01\\xff\\n\""
        );
        assert_eq!(
            format_reply(&Error("ERR syntax error".into())),
            "(error) ERR syntax error"
        );
        let nested = Array(vec![
            Bulk(b"0".to_vec()),
            Array((1..=10).map(|i| Bulk(i.to_string().into_bytes())).collect()),
        ]);
        let want = "1) \"0\"\n2)  1) \"1\"\n    2) \"2\"\n    3) \"3\"\n    4) \"4\"\n    5) \"5\"\n    6) \"6\"\n    7) \"7\"\n    8) \"8\"\n    9) \"9\"\n   10) \"10\"";
        assert_eq!(format_reply(&nested), want);
    }

    #[test]
    fn the_prompt_tracks_select_and_multi_like_redis_cli() {
        let mut p = PromptState::default();
        let argv = |s: &str| split_args(s.as_bytes()).unwrap();
        assert_eq!(p.prompt(), "127.0.0.1:6379> ");
        p.after_reply(&argv("SELECT 2"), &Reply::ok());
        assert_eq!(p.prompt(), "127.0.0.1:6379[2]> ");
        p.after_reply(
            &argv("SELECT 99"),
            &Reply::Error("ERR DB index is out of range".into()),
        );
        assert_eq!(p.prompt(), "127.0.0.1:6379[2]> ");
        p.after_reply(&argv("multi"), &Reply::ok());
        assert_eq!(p.prompt(), "127.0.0.1:6379[2](TX)> ");
        p.after_reply(&argv("select 5"), &Reply::status("QUEUED"));
        assert_eq!(p.prompt(), "127.0.0.1:6379[5](TX)> ");
        p.after_reply(&argv("discard"), &Reply::ok());
        assert_eq!(p.prompt(), "127.0.0.1:6379[2]> ");
    }
}
