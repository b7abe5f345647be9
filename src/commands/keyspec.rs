//! Key specs: where a command's keys are in its arguments, as Redis 7.0 describes them.
//! The table stores each spec compactly (`RW,access|index:1|range:0,1,0|notes`); this
//! module parses that form for COMMAND INFO and finds a command line's keys for
//! COMMAND GETKEYS.

use super::Command;

#[derive(Debug, Clone, PartialEq)]
pub enum Begin<'a> {
    Index(i64),
    Keyword(&'a str, i64),
    Unknown,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Find {
    /// lastkey, keystep, limit
    Range(i64, i64, i64),
    /// keynumidx, firstkey, keystep
    Keynum(i64, i64, i64),
    Unknown,
}

#[derive(Debug, Clone, PartialEq)]
pub struct KeySpec<'a> {
    pub flags: Vec<&'a str>,
    pub begin: Begin<'a>,
    pub find: Find,
    pub notes: Option<&'a str>,
}

fn nums(s: &str) -> Vec<i64> {
    s.split(',').filter_map(|n| n.parse().ok()).collect()
}

/// Parse one spec of the table's compact form.
pub fn parse(spec: &str) -> KeySpec<'_> {
    let mut parts = spec.split('|');
    let flags = parts
        .next()
        .unwrap_or("")
        .split(',')
        .filter(|f| !f.is_empty())
        .collect();
    let begin = match parts.next().unwrap_or("").split_once(':') {
        Some(("index", n)) => Begin::Index(n.parse().unwrap_or(0)),
        Some(("keyword", rest)) => {
            let (kw, from) = rest.split_once(',').unwrap_or((rest, "1"));
            Begin::Keyword(kw, from.parse().unwrap_or(1))
        }
        _ => Begin::Unknown,
    };
    let find = match parts.next().unwrap_or("").split_once(':') {
        Some(("range", n)) => {
            let v = nums(n);
            Find::Range(
                v.first().copied().unwrap_or(0),
                v.get(1).copied().unwrap_or(1),
                v.get(2).copied().unwrap_or(0),
            )
        }
        Some(("keynum", n)) => {
            let v = nums(n);
            Find::Keynum(
                v.first().copied().unwrap_or(0),
                v.get(1).copied().unwrap_or(1),
                v.get(2).copied().unwrap_or(1),
            )
        }
        _ => Find::Unknown,
    };
    KeySpec {
        flags,
        begin,
        find,
        notes: parts.next(),
    }
}

/// All specs of a command.
pub fn specs(cmd: &Command) -> Vec<KeySpec<'static>> {
    cmd.key_specs
        .split(';')
        .filter(|s| !s.is_empty())
        .map(parse)
        .collect()
}

/// The argument positions one spec selects, or None when the line doesn't fit it (Redis's
/// "invalid spec": a bad numkeys, keys past the end).
fn positions(spec: &KeySpec, argv: &[Vec<u8>], arity: i32) -> Option<Vec<usize>> {
    let argc = argv.len() as i64;
    let first = match spec.begin {
        Begin::Index(i) => i,
        Begin::Keyword(kw, from) => {
            let (start, end) = if from > 0 {
                (from, argc - 1)
            } else {
                (argc + from, 0)
            };
            let mut i = start;
            let mut found = None;
            while i != end && (0..argc).contains(&i) {
                if argv[i as usize].eq_ignore_ascii_case(kw.as_bytes()) {
                    found = Some(i + 1);
                    break;
                }
                i += if start <= end { 1 } else { -1 };
            }
            // A keyword that isn't there selects nothing (and is not an error).
            return match found {
                None => Some(vec![]),
                Some(first) => positions(
                    &KeySpec {
                        begin: Begin::Index(first),
                        ..spec.clone()
                    },
                    argv,
                    arity,
                ),
            };
        }
        Begin::Unknown => return None,
    };
    let (first, last, step) = match spec.find {
        Find::Range(lastkey, step, limit) => {
            let last = if lastkey >= 0 {
                first + lastkey
            } else if limit == 0 {
                argc + lastkey
            } else {
                first + ((argc - first) / limit + lastkey)
            };
            (first, last, step)
        }
        Find::Keynum(idx, firstkey, step) => {
            if idx >= argc - first {
                return None;
            }
            let n = crate::num::parse_i64(&argv[(first + idx) as usize]).filter(|n| *n >= 0)?;
            let first = first + firstkey;
            (first, first + n - 1, step)
        }
        Find::Unknown => return None,
    };
    if last >= argc || last < first || first >= argc {
        return None;
    }
    let mut out = Vec::new();
    let mut i = first;
    while i <= last {
        if i < argc {
            out.push(i as usize);
        } else if arity >= 0 {
            return None;
        }
        i += step.max(1);
    }
    Some(out)
}

/// SORT's keys: the sorted key and the STORE destination (the last STORE wins).
fn sort_keys(argv: &[Vec<u8>], with_store: bool) -> Vec<usize> {
    let mut keys = vec![1];
    let mut store = None;
    let mut j = 2;
    while j < argv.len() {
        let a = &argv[j];
        if a.eq_ignore_ascii_case(b"limit") {
            j += 2;
        } else if a.eq_ignore_ascii_case(b"get") || a.eq_ignore_ascii_case(b"by") {
            j += 1;
        } else if with_store && a.eq_ignore_ascii_case(b"store") && j + 1 < argv.len() {
            store = Some(j + 1);
            j += 1;
        }
        j += 1;
    }
    keys.extend(store);
    keys
}

/// The argument positions of a command line's keys (argv[0] is the command name), as
/// COMMAND GETKEYS reports them; None when the line doesn't fit the command's specs.
pub fn key_positions(cmd: &Command, argv: &[Vec<u8>]) -> Option<Vec<usize>> {
    match cmd.name {
        "sort" => return Some(sort_keys(argv, true)),
        "sort_ro" => return Some(sort_keys(argv, false)),
        _ => {}
    }
    let specs = specs(cmd);
    // Specs whose flags depend on the arguments (SET's GET) fall back to the legacy
    // first/last/step positions, as Redis's own per-command key finders do.
    if specs.iter().any(|s| s.flags.contains(&"variable_flags")) {
        let (first, last, step) = cmd.keys;
        let last = if last < 0 {
            argv.len() as i32 + last
        } else {
            last
        };
        return Some(
            (first..=last)
                .step_by(step.max(1) as usize)
                .filter(|&i| i >= 1 && (i as usize) < argv.len())
                .map(|i| i as usize)
                .collect(),
        );
    }
    let mut out = Vec::new();
    for s in &specs {
        out.extend(positions(s, argv, cmd.arity)?);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(s: &str) -> Vec<Vec<u8>> {
        s.split(' ').map(|w| w.as_bytes().to_vec()).collect()
    }

    #[test]
    fn specs_parse_from_the_compact_form() {
        let s = parse("RW,access,update|index:1|range:0,1,0|some notes");
        assert_eq!(s.flags, vec!["RW", "access", "update"]);
        assert_eq!(s.begin, Begin::Index(1));
        assert_eq!(s.find, Find::Range(0, 1, 0));
        assert_eq!(s.notes, Some("some notes"));
        assert_eq!(
            parse("OW|keyword:STORE,1|range:0,1,0").begin,
            Begin::Keyword("STORE", 1)
        );
        assert_eq!(parse("RO|index:1|keynum:0,1,1").find, Find::Keynum(0, 1, 1));
    }

    #[test]
    fn keynum_specs_read_the_key_count_from_the_line() {
        let spec = parse("RO|index:1|keynum:0,1,1");
        assert_eq!(
            positions(&spec, &argv("SINTERCARD 2 a b"), -3),
            Some(vec![2, 3])
        );
        assert_eq!(positions(&spec, &argv("SINTERCARD 5 a b"), -3), None);
        assert_eq!(positions(&spec, &argv("SINTERCARD x a b"), -3), None);
        assert_eq!(positions(&spec, &argv("SINTERCARD 0 a"), -3), None);
    }

    #[test]
    fn sort_finds_the_sorted_key_and_the_last_store() {
        assert_eq!(sort_keys(&argv("SORT k BY x STORE dst"), true), vec![1, 5]);
        assert_eq!(
            sort_keys(&argv("SORT k LIMIT 0 1 STORE a STORE b"), true),
            vec![1, 8]
        );
        assert_eq!(sort_keys(&argv("SORT_RO k STORE a"), false), vec![1]);
    }
}
