//! The slow log and the latency monitor, timed on the world clock.
//!
//! Redis times each command on the wall clock. Here a command's duration is the world
//! time it took: every command is instantaneous, except `DEBUG SLEEP`, which holds its
//! client for the given time; a blocking command's wait is not counted, as Redis counts
//! only the work. So `slowlog-log-slower-than 0` logs every command (at 0 µs), and
//! `DEBUG SLEEP 2` shows as a 2-second command in SLOWLOG and in LATENCY (deterministic,
//! so lessons and tests can rely on it).

use std::collections::{BTreeMap, VecDeque};

/// At most this many arguments of a command are logged (the last says how many more).
const MAX_ARGC: usize = 32;
/// At most this many bytes of an argument are logged (then how many more).
const MAX_STRING: usize = 128;
/// Samples kept per latency event (one per second at most).
const LATENCY_SAMPLES: usize = 160;

/// One slow log entry.
#[derive(Clone, Debug, PartialEq)]
pub struct SlowEntry {
    pub id: u64,
    /// Unix seconds (world time) when it was logged.
    pub time: i64,
    pub duration_us: i64,
    pub argv: Vec<Vec<u8>>,
    pub peer: String,
    pub name: Vec<u8>,
}

/// SLOWLOG's entries, newest first, and its two parameters.
#[derive(Debug)]
pub struct Slowlog {
    entries: VecDeque<SlowEntry>,
    next_id: u64,
    /// `slowlog-log-slower-than` (µs; negative: off).
    pub log_slower_than: i64,
    /// `slowlog-max-len`.
    pub max_len: u64,
}

impl Default for Slowlog {
    fn default() -> Self {
        Slowlog {
            entries: VecDeque::new(),
            next_id: 0,
            log_slower_than: 10_000,
            max_len: 128,
        }
    }
}

impl Slowlog {
    /// Log a command that took `duration_us`, if that is slow enough.
    pub fn record(
        &mut self,
        argv: &[Vec<u8>],
        duration_us: i64,
        now_ms: i64,
        peer: String,
        name: &[u8],
    ) {
        if self.log_slower_than < 0 || duration_us < self.log_slower_than {
            return;
        }
        let shown = argv.len().min(MAX_ARGC);
        let argv = argv[..shown]
            .iter()
            .enumerate()
            .map(|(i, a)| {
                if shown < argv.len() && i == shown - 1 {
                    format!("... ({} more arguments)", argv.len() - shown + 1).into_bytes()
                } else if a.len() > MAX_STRING {
                    let mut s = a[..MAX_STRING].to_vec();
                    s.extend_from_slice(
                        format!("... ({} more bytes)", a.len() - MAX_STRING).as_bytes(),
                    );
                    s
                } else {
                    a.clone()
                }
            })
            .collect();
        self.entries.push_front(SlowEntry {
            id: self.next_id,
            time: now_ms.div_euclid(1000),
            duration_us,
            argv,
            peer,
            name: name.to_vec(),
        });
        self.next_id += 1;
        self.trim();
    }

    /// Keep at most `max_len` entries (after CONFIG SET lowers it, at the next entry).
    fn trim(&mut self) {
        let max = usize::try_from(self.max_len).unwrap_or(usize::MAX);
        self.entries.truncate(max);
    }

    /// The newest `count` entries.
    pub fn newest(&self, count: usize) -> impl Iterator<Item = &SlowEntry> {
        self.entries.iter().take(count)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn reset(&mut self) {
        self.entries.clear();
    }
}

/// One latency event's samples: (unix seconds, ms), oldest first, and its all-time max.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Series {
    pub samples: VecDeque<(i64, i64)>,
    pub max: i64,
}

/// The latency monitor: events (`command`, `fast-command`) whose duration reached
/// `latency-monitor-threshold` ms.
#[derive(Debug)]
pub struct Latency {
    /// `latency-monitor-threshold` (ms; 0: off).
    pub threshold_ms: i64,
    /// `latency-tracking`: whether calls go into the per-command histograms (LATENCY
    /// HISTOGRAM).
    pub tracking: bool,
    events: BTreeMap<&'static str, Series>,
}

impl Default for Latency {
    fn default() -> Latency {
        Latency {
            threshold_ms: 0,
            tracking: true,
            events: BTreeMap::new(),
        }
    }
}

impl Latency {
    /// Record `ms` for `event` when the monitor is on and it reaches the threshold: one
    /// sample per second (the worst of that second), the last 160 kept.
    pub fn add_if_needed(&mut self, event: &'static str, ms: i64, now_ms: i64) {
        if self.threshold_ms == 0 || ms < self.threshold_ms {
            return;
        }
        let now = now_ms.div_euclid(1000);
        let s = self.events.entry(event).or_default();
        s.max = s.max.max(ms);
        if let Some(last) = s.samples.back_mut() {
            if last.0 == now {
                last.1 = last.1.max(ms);
                return;
            }
        }
        s.samples.push_back((now, ms));
        if s.samples.len() > LATENCY_SAMPLES {
            s.samples.pop_front();
        }
    }

    pub fn events(&self) -> impl Iterator<Item = (&'static str, &Series)> {
        self.events.iter().map(|(k, v)| (*k, v))
    }

    pub fn series(&self, event: &[u8]) -> Option<&Series> {
        self.events
            .iter()
            .find(|(k, _)| k.as_bytes() == event)
            .map(|(_, v)| v)
    }

    /// Forget one event (or all, with None): how many were forgotten.
    pub fn reset(&mut self, event: Option<&[u8]>) -> usize {
        let before = self.events.len();
        match event {
            None => self.events.clear(),
            Some(e) => self.events.retain(|k, _| k.as_bytes() != e),
        }
        before - self.events.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_commands_are_logged_shortened() {
        let mut s = Slowlog {
            log_slower_than: 0,
            ..Default::default()
        };
        let argv: Vec<Vec<u8>> = (0..40).map(|i| vec![b'x'; 100 + i]).collect();
        s.record(&argv, 5, 1_700_000_000_500, "127.0.0.1:1".into(), b"");
        let e = s.newest(1).next().unwrap();
        assert_eq!(e.argv.len(), 32);
        assert_eq!(e.argv[31], b"... (9 more arguments)");
        assert!(e.argv[30].ends_with(b"... (2 more bytes)"));
        assert_eq!(e.time, 1_700_000_000);
    }

    #[test]
    fn latency_keeps_the_worst_sample_of_each_second() {
        let mut l = Latency {
            threshold_ms: 10,
            ..Default::default()
        };
        l.add_if_needed("command", 5, 1000);
        l.add_if_needed("command", 20, 1000);
        l.add_if_needed("command", 15, 1500);
        l.add_if_needed("command", 12, 2000);
        let s = l.series(b"command").unwrap();
        assert_eq!(s.samples, [(1, 20), (2, 12)]);
        assert_eq!(s.max, 20);
        assert_eq!(l.reset(Some(b"command")), 1);
    }
}
