//! Retry schedules and jitter, and the simulation's randomness.
//!
//! Every random number is a pure function of (seed, operation, attempt number, purpose),
//! never of the order in which things happen. So all strategies see the same failures
//! and the same jittered delays for an operation's k-th retry, whatever else differs
//! between them (when they notice a retry is due, how many commands they spend).

use super::config::{Backoff, Jitter, ScheduleConfig, Window, TEST_MODE_DELAY_S};

/// What a random draw is for; each purpose has its own independent stream.
#[derive(Clone, Copy, Debug)]
pub enum Stream {
    Outcome = 1,
    Jitter = 2,
    Arrival = 3,
    ServerRng = 4,
}

/// splitmix64's finalizer: a good 64-bit mix.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The seed for one purpose's stream.
pub fn stream_seed(seed: u64, stream: Stream) -> u64 {
    mix(seed ^ mix(stream as u64))
}

/// A uniform draw in [0, 1) for (seed, operation, n, purpose).
pub fn unit(seed: u64, op: u32, n: u32, stream: Stream) -> f64 {
    let h = mix(mix(stream_seed(seed, stream) ^ u64::from(op)) ^ u64::from(n));
    fastrand::Rng::with_seed(h).f64()
}

/// What jitter needs besides the draw: the delay before jitter `d`, the schedule's `base`
/// and `cap` (decorrelated jitter uses only those), and the previous sleep.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct JitterInput {
    pub d: f64,
    pub base: f64,
    pub cap: f64,
    pub prev: f64,
}

/// Apply a jitter formula with the uniform draw `u` in [0, 1):
/// none `d`; full `u·d` in [0, d]; equal `d/2 + u·d/2` in [d/2, d]; decorrelated
/// `min(cap, base + u·(3·prev − base))` in [base, min(cap, 3·prev)].
pub fn jittered(jitter: Jitter, i: JitterInput, u: f64) -> f64 {
    let u = if u.is_finite() {
        u.clamp(0.0, 1.0)
    } else {
        0.0
    };
    match jitter {
        Jitter::None => i.d,
        Jitter::Full => u * i.d,
        Jitter::Equal => i.d / 2.0 + u * (i.d / 2.0),
        Jitter::Decorrelated => {
            let hi = (i.prev * 3.0).max(i.base);
            (i.base + u * (hi - i.base)).min(i.cap)
        }
    }
}

/// A normalized schedule with the run's seed: the delay before each retry of each operation.
#[derive(Clone, Debug)]
pub struct Schedule {
    cfg: ScheduleConfig,
    seed: u64,
}

impl Schedule {
    pub fn new(cfg: ScheduleConfig, seed: u64) -> Schedule {
        Schedule { cfg, seed }
    }

    pub fn max_retries(&self) -> u32 {
        self.cfg.max_retries
    }

    /// The delay before retry `k` (1-based) before jitter, in seconds.
    pub fn base_delay_s(&self, k: u32) -> f64 {
        if self.cfg.test_mode {
            return f64::from(TEST_MODE_DELAY_S);
        }
        let k = k.max(1);
        match &self.cfg.backoff {
            Backoff::List { intervals_s } => {
                let i = (k as usize - 1).min(intervals_s.len().saturating_sub(1));
                f64::from(intervals_s.get(i).copied().unwrap_or(1))
            }
            Backoff::Exponential {
                base_s,
                factor,
                cap_s,
            } => {
                let d = f64::from(*base_s) * factor.powi((k - 1).min(1_000) as i32);
                d.min(f64::from(*cap_s))
            }
        }
    }

    /// `base` and `cap` for decorrelated jitter: the exponential's, or a list's first and
    /// largest interval.
    pub fn base_and_cap_s(&self) -> (f64, f64) {
        if self.cfg.test_mode {
            let d = f64::from(TEST_MODE_DELAY_S);
            return (d, d);
        }
        match &self.cfg.backoff {
            Backoff::List { intervals_s } => {
                let base = intervals_s.first().copied().unwrap_or(1);
                let cap = intervals_s.iter().copied().max().unwrap_or(base).max(base);
                (f64::from(base), f64::from(cap))
            }
            Backoff::Exponential { base_s, cap_s, .. } => (f64::from(*base_s), f64::from(*cap_s)),
        }
    }

    /// The previous sleep decorrelated jitter starts from.
    pub fn initial_prev_s(&self) -> f64 {
        self.base_and_cap_s().0
    }

    /// The delay before retry `k` of `op` in whole seconds (at least 1, as SETEX needs),
    /// and the unrounded sleep to pass as `prev_s` for retry k+1.
    pub fn delay_s(&self, op: u32, k: u32, prev_s: f64) -> (u32, f64) {
        let (base, cap) = self.base_and_cap_s();
        let input = JitterInput {
            d: self.base_delay_s(k),
            base,
            cap,
            prev: prev_s,
        };
        let raw = jittered(
            self.cfg.jitter,
            input,
            unit(self.seed, op, k, Stream::Jitter),
        );
        let whole = raw
            .round()
            .clamp(1.0, f64::from(super::config::MAX_DELAY_S));
        (whole as u32, raw)
    }

    /// Every delay `op` would wait, retry 1 to the last (for showing a schedule).
    pub fn delays_for(&self, op: u32) -> Vec<u32> {
        let mut prev = self.initial_prev_s();
        (1..=self.cfg.max_retries)
            .map(|k| {
                let (d, raw) = self.delay_s(op, k, prev);
                prev = raw;
                d
            })
            .collect()
    }

    /// How long a run can last with this schedule when its failures spread over
    /// `arrival_spread_ms` (for sizing charts).
    pub fn horizon_ms(&self, arrival_spread_ms: i64) -> i64 {
        arrival_spread_ms.saturating_add((self.longest_total_s() * 1000.0) as i64)
    }

    /// The longest an operation can spend waiting, in seconds (for sizing charts).
    pub fn longest_total_s(&self) -> f64 {
        let (_, cap) = self.base_and_cap_s();
        (1..=self.cfg.max_retries)
            .map(|k| match self.cfg.jitter {
                Jitter::Decorrelated => cap,
                _ => self.base_delay_s(k),
            })
            .sum()
    }
}

/// How attempts turn out: a fixed chance of failure, and an outage window in which every
/// attempt fails.
#[derive(Clone, Debug)]
pub struct Failures {
    pub seed: u64,
    pub probability: f64,
    pub outage: Option<Window>,
}

impl Failures {
    /// The failures a (normalized) config describes.
    pub fn of(config: &super::config::Config) -> Failures {
        Failures {
            seed: config.seed,
            probability: config.failure_probability,
            outage: config.outage,
        }
    }

    /// Does retry `k` of `op`, made `rel_ms` after the start, fail? (and was it the outage?)
    pub fn fails(&self, op: u32, k: u32, rel_ms: i64) -> (bool, bool) {
        if self.outage.is_some_and(|w| w.contains(rel_ms)) {
            return (true, true);
        }
        (
            unit(self.seed, op, k, Stream::Outcome) < self.probability,
            false,
        )
    }

    pub fn in_outage(&self, rel_ms: i64) -> bool {
        self.outage.is_some_and(|w| w.contains(rel_ms))
    }
}

/// When each operation first fails: `(offset from the start, op)`, sorted; ops are 1..=n.
pub fn arrivals(seed: u64, n: u32, spread_ms: i64) -> Vec<(i64, u32)> {
    let mut rng = fastrand::Rng::with_seed(stream_seed(seed, Stream::Arrival));
    let mut out: Vec<(i64, u32)> = (1..=n)
        .map(|op| (rng.i64(0..=spread_ms.max(0)), op))
        .collect();
    // Equal pairs are identical: a stable sort orders them as an unstable one would.
    crate::sorting::sort(&mut out);
    out
}
