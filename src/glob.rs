//! Redis's glob patterns (KEYS, SCAN MATCH, PSUBSCRIBE): `*`, `?`, `[abc]`, `[^a-z]`, and
//! `\x` to match a special character literally. An unterminated `[` class ends at the end
//! of the pattern; a reversed range `[z-a]` means `[a-z]`; ranges compare bytes as C's
//! signed chars. An empty string only matches the empty pattern, as in Redis.
//!
//! The pattern is compiled to tokens, then matched greedily with backtracking to the last
//! star, which takes O(pattern × string) time even for hostile patterns.

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Star,
    Any,
    Lit(u8),
    Class { negate: bool, items: Vec<ClassItem> },
}

#[derive(Debug, Clone, PartialEq)]
enum ClassItem {
    Byte(u8),
    Range(i8, i8),
}

fn compile(p: &[u8]) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            b'*' => {
                if toks.last() != Some(&Tok::Star) {
                    toks.push(Tok::Star);
                }
            }
            b'?' => toks.push(Tok::Any),
            b'[' => {
                i += 1;
                let negate = p.get(i) == Some(&b'^');
                if negate {
                    i += 1;
                }
                let mut items = Vec::new();
                loop {
                    match p.get(i) {
                        None => break,
                        Some(b']') => break,
                        Some(b'\\') if i + 1 < p.len() => {
                            i += 1;
                            items.push(ClassItem::Byte(p[i]));
                        }
                        Some(&c) if i + 2 < p.len() && p[i + 1] == b'-' => {
                            let (a, b) = (c as i8, p[i + 2] as i8);
                            items.push(ClassItem::Range(a.min(b), a.max(b)));
                            i += 2;
                        }
                        Some(&c) => items.push(ClassItem::Byte(c)),
                    }
                    i += 1;
                }
                toks.push(Tok::Class { negate, items });
            }
            b'\\' if i + 1 < p.len() => {
                i += 1;
                toks.push(Tok::Lit(p[i]));
            }
            c => toks.push(Tok::Lit(c)),
        }
        i += 1;
    }
    toks
}

fn one(t: &Tok, c: u8) -> bool {
    match t {
        Tok::Star => true,
        Tok::Any => true,
        Tok::Lit(l) => *l == c,
        Tok::Class { negate, items } => {
            let hit = items.iter().any(|it| match it {
                ClassItem::Byte(b) => *b == c,
                ClassItem::Range(lo, hi) => (*lo..=*hi).contains(&(c as i8)),
            });
            hit != *negate
        }
    }
}

/// A compiled pattern, for matching many strings.
pub struct Pattern {
    toks: Vec<Tok>,
    empty: bool,
}

impl Pattern {
    pub fn new(p: &[u8]) -> Pattern {
        Pattern {
            toks: compile(p),
            empty: p.is_empty(),
        }
    }

    pub fn matches(&self, s: &[u8]) -> bool {
        if s.is_empty() {
            return self.empty;
        }
        let t = &self.toks;
        let (mut ti, mut si) = (0, 0);
        let mut star: Option<(usize, usize)> = None;
        while si < s.len() {
            if ti < t.len() && t[ti] == Tok::Star {
                star = Some((ti, si));
                ti += 1;
            } else if ti < t.len() && one(&t[ti], s[si]) {
                ti += 1;
                si += 1;
            } else if let Some((st, ss)) = star {
                ti = st + 1;
                si = ss + 1;
                star = Some((st, ss + 1));
            } else {
                return false;
            }
        }
        t[ti..].iter().all(|x| *x == Tok::Star)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_cases_behave_like_redis() {
        let cases: &[(&str, &str, bool)] = &[
            ("*", "anything", true),
            ("h?llo", "hello", true),
            ("h?llo", "hllo", false),
            ("h*llo", "heeeello", true),
            ("h[ae]llo", "hallo", true),
            ("h[ae]llo", "hillo", false),
            ("h[^e]llo", "hallo", true),
            ("h[^e]llo", "hello", false),
            ("h[a-b]llo", "hbllo", true),
            ("h[b-a]llo", "hallo", true),
            ("h\\*llo", "h*llo", true),
            ("h\\*llo", "hello", false),
            ("user:*", "user:1", true),
            ("user:*", "user", false),
            ("*:*:*", "a:b:c", true),
            ("[abc", "a", true),
            ("[abc", "ab", false),
            ("a*", "a", true),
            ("a*b", "a", false),
            (
                "*a*a*a*a*a*a*a*a*b",
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                false,
            ),
            ("[\\]]", "]", true),
            ("\\", "\\", true),
            ("*", "", false),
            ("", "", true),
        ];
        for (p, s, want) in cases {
            let got = Pattern::new(p.as_bytes()).matches(s.as_bytes());
            assert_eq!(got, *want, "{p:?} vs {s:?}");
        }
    }
}
