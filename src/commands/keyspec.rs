//! Key specs at work: which arguments of a command line are keys, as COMMAND GETKEYS
//! reports them (and the console colours them), from the table's structured specs.

use super::table::{Begin, Command, Find, KeyFlags, KeySpec};

/// The argument positions one spec selects, or None when the line doesn't fit it (Redis's
/// "invalid spec": a bad numkeys, keys past the end).
fn positions(spec: &KeySpec, argv: &[Vec<u8>], arity: i32) -> Option<Vec<usize>> {
    let argc = argv.len() as i64;
    let first = match spec.begin {
        Begin::Index(i) => i64::from(i),
        Begin::Keyword(kw, from) => {
            let from = i64::from(from);
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
                        begin: Begin::Index(i32::try_from(first).ok()?),
                        ..*spec
                    },
                    argv,
                    arity,
                ),
            };
        }
        Begin::Unknown => return None,
    };
    let (first, last, step) = match spec.find {
        Find::Range { last, step, limit } => {
            let (lastkey, step, limit) = (i64::from(last), i64::from(step), i64::from(limit));
            let last = if lastkey >= 0 {
                first + lastkey
            } else if limit == 0 {
                argc + lastkey
            } else {
                first + ((argc - first) / limit + lastkey)
            };
            (first, last, step)
        }
        Find::Keynum {
            index,
            first: firstkey,
            step,
        } => {
            let (idx, firstkey, step) = (i64::from(index), i64::from(firstkey), i64::from(step));
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
pub fn sort_keys(argv: &[Vec<u8>]) -> Vec<usize> {
    sort_keys_generic(argv, true)
}

/// SORT_RO's keys: the sorted key.
pub fn sort_ro_keys(argv: &[Vec<u8>]) -> Vec<usize> {
    sort_keys_generic(argv, false)
}

fn sort_keys_generic(argv: &[Vec<u8>], with_store: bool) -> Vec<usize> {
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
    if let Some(find) = cmd.find_keys {
        return Some(find(argv));
    }
    let specs = cmd.key_specs;
    // Specs whose flags depend on the arguments (SET's GET) fall back to the legacy
    // first/last/step positions, as Redis's own per-command key finders do.
    if specs
        .iter()
        .any(|s| s.flags.contains(KeyFlags::VARIABLE_FLAGS))
    {
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
    // Shard channels are found by key specs too, flagged as not keys (SPUBLISH).
    for s in specs
        .iter()
        .filter(|s| !s.flags.contains(KeyFlags::NOT_KEY))
    {
        out.extend(positions(s, argv, cmd.arity)?);
    }
    Some(out)
}

/// The keys of a command line with the flags of the spec that found each, for ACL key
/// permissions (Redis's getKeysFromCommandWithSpecs). A line that doesn't fit the specs
/// has none.
pub fn keys_with_flags(cmd: &Command, argv: &[Vec<u8>]) -> Vec<(usize, KeyFlags)> {
    let specs = cmd.key_specs;
    let (Some(first), Some(last)) = (specs.first(), specs.last()) else {
        return Vec::new();
    };
    if specs.iter().all(|s| s.flags.contains(KeyFlags::NOT_KEY)) {
        return Vec::new();
    }
    let variable = specs
        .iter()
        .any(|s| s.flags.contains(KeyFlags::VARIABLE_FLAGS));
    if cmd.find_keys.is_some() || variable {
        let flags_of = |i: usize| match cmd.variable_key_flags {
            Some(f) => f(argv),
            None if i == 0 => first.flags,
            None => last.flags,
        };
        return key_positions(cmd, argv)
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .map(|(i, p)| (p, flags_of(i)))
            .collect();
    }
    let mut out = Vec::new();
    for s in specs {
        match positions(s, argv, cmd.arity) {
            Some(ps) => out.extend(ps.into_iter().map(|p| (p, s.flags))),
            None => return Vec::new(),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(s: &str) -> Vec<Vec<u8>> {
        s.split(' ').map(|w| w.as_bytes().to_vec()).collect()
    }

    #[test]
    fn keynum_specs_read_the_key_count_from_the_line() {
        let spec = super::super::table::key(1, key_flags![RO]).keynum(0, 1, 1);
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
        assert_eq!(sort_keys(&argv("SORT k BY x STORE dst")), vec![1, 5]);
        assert_eq!(
            sort_keys(&argv("SORT k LIMIT 0 1 STORE a STORE b")),
            vec![1, 8]
        );
        assert_eq!(sort_ro_keys(&argv("SORT_RO k STORE a")), vec![1]);
    }
}
