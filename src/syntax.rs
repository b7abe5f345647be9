//! The table's syntax lines (`key value [NX|XX] [EX seconds|PX milliseconds]`), parsed into
//! the argument trees COMMAND DOCS reports (name, type, token, optional, multiple, nested
//! `oneof`/`block` arguments). The console's hints use the same tree.

#[derive(Clone, Debug, PartialEq)]
pub struct Arg {
    pub name: String,
    /// Redis's argument types: key, string, integer, double, pattern, unix-time,
    /// pure-token, oneof, block.
    pub kind: &'static str,
    pub token: Option<String>,
    pub optional: bool,
    pub multiple: bool,
    pub children: Vec<Arg>,
}

#[derive(Debug, Clone, PartialEq)]
enum Lex {
    Word(String),
    Open(char),
    Close(char),
    Bar,
    Ellipsis,
}

fn lex(s: &str) -> Vec<Lex> {
    let mut out = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut Vec<Lex>| {
        if !word.is_empty() {
            if word == "..." {
                out.push(Lex::Ellipsis);
            } else {
                out.push(Lex::Word(std::mem::take(word)));
            }
            word.clear();
        }
    };
    for c in s.chars() {
        match c {
            '[' | '(' => {
                flush(&mut word, &mut out);
                out.push(Lex::Open(c));
            }
            ']' | ')' => {
                flush(&mut word, &mut out);
                out.push(Lex::Close(c));
            }
            '|' => {
                flush(&mut word, &mut out);
                out.push(Lex::Bar);
            }
            ' ' => flush(&mut word, &mut out),
            _ => word.push(c),
        }
    }
    flush(&mut word, &mut out);
    out
}

fn is_token(w: &str) -> bool {
    w.chars().any(|c| c.is_ascii_uppercase()) && !w.chars().any(|c| c.is_ascii_lowercase())
}

fn kind_of(name: &str, command: &str) -> &'static str {
    match name {
        "key" | "key1" | "key2" | "source" | "destination" | "newkey" | "dst" | "src" => "key",
        "pattern" => "pattern",
        "increment" if command.contains("float") => "double",
        "timeout" | "score" | "weight" => "double",
        "seconds" | "milliseconds" | "count" | "index" | "index1" | "index2" | "offset"
        | "start" | "end" | "increment" | "decrement" | "db" | "destination-db" | "len"
        | "cursor" | "numkeys" | "limit" | "rank" | "num-matches" | "maxlen" | "stop" => "integer",
        n if n.starts_with("unix-time") => "unix-time",
        _ => "string",
    }
}

struct Parser<'a> {
    toks: &'a [Lex],
    pos: usize,
    command: &'a str,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Lex> {
        self.toks.get(self.pos)
    }

    /// alternatives := sequence ('|' sequence)*
    fn alternatives(&mut self) -> Vec<Vec<Arg>> {
        let mut alts = vec![self.sequence()];
        while self.peek() == Some(&Lex::Bar) {
            self.pos += 1;
            alts.push(self.sequence());
        }
        alts
    }

    /// A run of items up to `|`, a closing bracket or the end.
    fn sequence(&mut self) -> Vec<Arg> {
        let mut items: Vec<Arg> = Vec::new();
        while let Some(t) = self.peek().cloned() {
            match t {
                Lex::Bar | Lex::Close(_) => break,
                Lex::Ellipsis => {
                    self.pos += 1;
                    if let Some(last) = items.last_mut() {
                        last.multiple = true;
                    }
                }
                Lex::Open(c) => {
                    self.pos += 1;
                    let alts = self.alternatives();
                    if matches!(self.peek(), Some(Lex::Close(_))) {
                        self.pos += 1;
                    }
                    let mut group = combine(alts);
                    // `key [key ...]` and `key value [key value ...]`: a repetition of
                    // what came just before, not a new argument.
                    let block_repeats =
                        group.kind == "block" && group.children.last().is_some_and(|a| a.multiple);
                    if c == '[' && (group.multiple || block_repeats) {
                        let inner = if block_repeats {
                            group.children.clone()
                        } else {
                            vec![Arg {
                                multiple: false,
                                ..group.clone()
                            }]
                        };
                        let n = inner.len();
                        if n > 0
                            && items.len() >= n
                            && items[items.len() - n..]
                                .iter()
                                .map(|a| &a.name)
                                .eq(inner.iter().map(|a| &a.name))
                        {
                            let tail: Vec<Arg> = items.drain(items.len() - n..).collect();
                            items.push(if n == 1 {
                                Arg {
                                    multiple: true,
                                    ..tail.into_iter().next().unwrap_or(group)
                                }
                            } else {
                                Arg {
                                    name: "data".into(),
                                    kind: "block",
                                    token: None,
                                    optional: false,
                                    multiple: true,
                                    children: tail,
                                }
                            });
                            continue;
                        }
                    }
                    group.optional = c == '[';
                    items.push(group);
                }
                Lex::Word(w) => {
                    self.pos += 1;
                    if is_token(&w) {
                        // `EX seconds`: a token introducing a value; `NX`: a pure token.
                        if let Some(Lex::Word(v)) = self.peek().cloned() {
                            if !is_token(&v) {
                                self.pos += 1;
                                items.push(Arg {
                                    name: v.clone(),
                                    kind: kind_of(&v, self.command),
                                    token: Some(w),
                                    optional: false,
                                    multiple: false,
                                    children: vec![],
                                });
                                continue;
                            }
                        }
                        items.push(Arg {
                            name: w.to_ascii_lowercase(),
                            kind: "pure-token",
                            token: Some(w),
                            optional: false,
                            multiple: false,
                            children: vec![],
                        });
                    } else {
                        items.push(Arg {
                            name: w.clone(),
                            kind: kind_of(&w, self.command),
                            token: None,
                            optional: false,
                            multiple: false,
                            children: vec![],
                        });
                    }
                }
            }
        }
        items
    }
}

/// A `block` or `oneof` argument over `children`, named after them (`nx-xx`).
fn group(kind: &'static str, children: Vec<Arg>) -> Arg {
    let name = children
        .iter()
        .map(|a| a.name.as_str())
        .collect::<Vec<_>>()
        .join("-");
    Arg {
        name,
        kind,
        token: None,
        optional: false,
        multiple: false,
        children,
    }
}

/// One argument from a bracketed group's alternatives.
fn combine(mut alts: Vec<Vec<Arg>>) -> Arg {
    let block = |items: Vec<Arg>| -> Arg {
        if items.len() == 1 {
            items.into_iter().next().unwrap_or_else(empty)
        } else {
            group("block", items)
        }
    };
    if alts.len() == 1 {
        return block(alts.pop().unwrap_or_default());
    }
    group("oneof", alts.into_iter().map(block).collect())
}

fn empty() -> Arg {
    Arg {
        name: String::new(),
        kind: "string",
        token: None,
        optional: false,
        multiple: false,
        children: vec![],
    }
}

/// Outside brackets, `LEFT|RIGHT` is a choice between single words: wrap each such run in
/// parentheses so it parses as one `oneof` argument, not a split of the whole line.
fn group_top_level_choices(toks: Vec<Lex>) -> Vec<Lex> {
    let mut out = Vec::with_capacity(toks.len());
    let mut depth = 0;
    let mut i = 0;
    while i < toks.len() {
        match &toks[i] {
            Lex::Open(_) => depth += 1,
            Lex::Close(_) => depth -= 1,
            Lex::Word(_) if depth == 0 && toks.get(i + 1) == Some(&Lex::Bar) => {
                let mut j = i;
                while matches!(toks.get(j), Some(Lex::Word(_)))
                    && toks.get(j + 1) == Some(&Lex::Bar)
                    && matches!(toks.get(j + 2), Some(Lex::Word(_)))
                {
                    j += 2;
                }
                out.push(Lex::Open('('));
                out.extend(toks[i..=j].iter().cloned());
                out.push(Lex::Close(')'));
                i = j + 1;
                continue;
            }
            _ => {}
        }
        out.push(toks[i].clone());
        i += 1;
    }
    out
}

/// Parse a syntax line. `command` (the lower-case name) helps type an `increment`.
pub fn parse(syntax: &str, command: &str) -> Vec<Arg> {
    let toks = group_top_level_choices(lex(syntax));
    let mut p = Parser {
        toks: &toks,
        pos: 0,
        command,
    };
    let mut out = Vec::new();
    while p.pos < toks.len() {
        let alts = p.alternatives();
        if alts.len() == 1 {
            out.extend(alts.into_iter().flatten());
        } else {
            out.push(combine(alts));
        }
        if p.pos < toks.len() {
            p.pos += 1; // a stray closing bracket
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(args: &[Arg]) -> Vec<(String, &'static str, bool, bool)> {
        args.iter()
            .map(|a| (a.name.clone(), a.kind, a.optional, a.multiple))
            .collect()
    }

    #[test]
    fn set_syntax_becomes_redis_style_arguments() {
        let a = parse(
            "key value [NX|XX] [GET] [EX seconds|PX milliseconds|KEEPTTL]",
            "set",
        );
        assert_eq!(a[0].kind, "key");
        assert_eq!(a[1].kind, "string");
        assert_eq!((a[2].kind, a[2].optional), ("oneof", true));
        assert_eq!(a[2].children[0].token.as_deref(), Some("NX"));
        assert_eq!((a[3].kind, a[3].optional), ("pure-token", true));
        assert_eq!(a[4].children[0].name, "seconds");
        assert_eq!(a[4].children[0].kind, "integer");
        assert_eq!(a[4].children[2].kind, "pure-token");
    }

    #[test]
    fn a_choice_outside_brackets_is_one_argument() {
        let a = parse("source destination LEFT|RIGHT LEFT|RIGHT", "lmove");
        assert_eq!(
            names(&a).iter().map(|n| n.1).collect::<Vec<_>>(),
            vec!["key", "key", "oneof", "oneof"]
        );
        assert_eq!(a[2].children.len(), 2);
        let l = parse("key BEFORE|AFTER pivot element", "linsert");
        assert_eq!(l.len(), 4);
        assert_eq!(l[1].children[1].token.as_deref(), Some("AFTER"));
    }

    #[test]
    fn repetitions_fold_into_multiple_arguments() {
        assert_eq!(
            names(&parse("key [key ...]", "del")),
            vec![("key".into(), "key", false, true)]
        );
        let mset = parse("key value [key value ...]", "mset");
        assert_eq!(mset.len(), 1);
        assert_eq!(
            (mset[0].kind, mset[0].multiple, mset[0].children.len()),
            ("block", true, 2)
        );
        let docs = parse("[command-name [command-name ...]]", "command|docs");
        assert_eq!(
            names(&docs),
            vec![("command-name".into(), "string", true, true)]
        );
    }
}
