//! Redis commands the playground doesn't run, so a console can tell a gap from a typo:
//! every top-level command of Redis 7.0.15 (its `src/commands/*.json`) that the command
//! table lacks, with its group, and the commands later Redis versions added (from the
//! Redis command docs). A command that joins the table leaves this list: a unit test
//! below fails while both have it.

use super::lookup;

/// Redis 7.0 commands the table doesn't have: (name, group as Redis's docs name it).
const REDIS_7_0: &[(&str, &str)] = &[
    ("bgrewriteaof", "server"),
    ("migrate", "generic"),
    ("psync", "server"),
    ("replconf", "server"),
    ("replicaof", "server"),
    ("sentinel", "sentinel"),
    ("shutdown", "server"),
    ("slaveof", "server"),
    ("sync", "server"),
];

/// Commands added after Redis 7.0: (name, the version that added it, group).
const LATER: &[(&str, &str, &str)] = &[
    ("waitaof", "7.2", "generic"),
    ("vadd", "8.0", "vector set"),
    ("vcard", "8.0", "vector set"),
    ("vdim", "8.0", "vector set"),
    ("vemb", "8.0", "vector set"),
    ("vgetattr", "8.0", "vector set"),
    ("vinfo", "8.0", "vector set"),
    ("vlinks", "8.0", "vector set"),
    ("vrandmember", "8.0", "vector set"),
    ("vrem", "8.0", "vector set"),
    ("vsetattr", "8.0", "vector set"),
    ("vsim", "8.0", "vector set"),
];

/// What a console says under `unknown command` for `name`: a Redis 7.0 command the
/// playground lacks, one a later Redis added, or no Redis command at all (with the closest
/// command name when one is near). None for a command the table has.
pub fn note(name: &[u8]) -> Option<String> {
    if lookup(name).is_some() {
        return None;
    }
    let lower = String::from_utf8_lossy(name).to_ascii_lowercase();
    let shown = lower.to_ascii_uppercase();
    if let Some((_, group)) = REDIS_7_0.iter().find(|(n, _)| *n == lower) {
        return Some(format!(
            "{shown} is a Redis 7.0 command ({group}) that this playground doesn't run yet."
        ));
    }
    if let Some((_, since, group)) = LATER.iter().find(|(n, _, _)| *n == lower) {
        return Some(format!(
            "{shown} came in Redis {since} ({group}); this playground is Redis 7.0."
        ));
    }
    let near = closest(&lower);
    Some(match near {
        Some(n) => format!(
            "Redis has no command {shown}: did you mean {}?",
            n.to_ascii_uppercase()
        ),
        None => format!("Redis has no command {shown}."),
    })
}

/// The command name (the table's, or one listed here) nearest to `name`, within two edits.
fn closest(name: &str) -> Option<String> {
    if name.is_empty() || name.len() > 30 {
        return None;
    }
    let names = super::all()
        .map(|c| c.name)
        .chain(REDIS_7_0.iter().map(|(n, _)| *n));
    let mut best: Option<(usize, &str)> = None;
    for n in names {
        let d = edits(name, n);
        if d <= 2 && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, n));
        }
    }
    best.map(|(_, n)| n.to_string())
}

/// Edits between two short ASCII words (insert, delete, replace, or swap two neighbours:
/// the typos people make, so `GTE` is one edit from `GET`).
fn edits(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for (i, row) in d.chunks_mut(w).enumerate() {
        row[0] = i;
    }
    for (j, cell) in d.iter_mut().take(w).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_command_is_both_in_the_table_and_listed_as_missing() {
        let both: Vec<_> = REDIS_7_0
            .iter()
            .filter(|(n, _)| lookup(n.as_bytes()).is_some())
            .collect();
        assert!(both.is_empty(), "in the table now: {both:?}");
        for (n, _) in REDIS_7_0 {
            assert!(
                lookup(n.as_bytes()).is_none(),
                "{n} is in the table now: drop it here"
            );
        }
        for (n, _, _) in LATER {
            assert!(
                lookup(n.as_bytes()).is_none(),
                "{n} is in the table now: drop it here"
            );
        }
    }

    #[test]
    fn a_gap_a_later_command_and_a_typo_read_differently() {
        assert_eq!(
            note(b"migrate").as_deref(),
            Some("MIGRATE is a Redis 7.0 command (generic) that this playground doesn't run yet.")
        );
        assert_eq!(
            note(b"VADD").as_deref(),
            Some("VADD came in Redis 8.0 (vector set); this playground is Redis 7.0.")
        );
        assert_eq!(
            note(b"GTE").as_deref(),
            Some("Redis has no command GTE: did you mean GET?")
        );
        assert_eq!(
            note(b"frobnicate").as_deref(),
            Some("Redis has no command FROBNICATE.")
        );
        assert_eq!(note(b"get"), None);
    }
}
