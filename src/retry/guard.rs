//! The downstream service every attempt calls, and the layers that stand between a retry
//! and that call: a retry budget and a circuit breaker. Each strategy has its own `Guard`
//! (its own copy of the downstream), so strategies can be compared on the same failures.
//!
//! In the order an attempt meets them:
//! 1. **Retry budget** (retries only): retries may add at most `percent`% to the original
//!    calls of the last 10 s, plus a floor of `min_per_s` retries a second (Finagle's
//!    `RetryBudget`, gRPC's retry throttling). A retry over budget is not made: the
//!    operation is given up.
//! 2. **Circuit breaker**: after `failures` calls in a row fail it opens; while open every
//!    attempt fails at once without calling (no load); `open_ms` later it is half-open and
//!    the next attempt is a probe: success closes it, failure opens it again (Polly's and
//!    Hystrix's consecutive-failure breaker).
//! 3. **Capacity**: the downstream answers `capacity_per_s` calls a second; the calls past
//!    that in the same second fail (overloaded). A thundering herd is load above this line.
//!
//! All of it is pure state driven by times the caller passes in increasing order.

use super::config::{BreakerConfig, RetryBudget};
use crate::clock::Ms;
use std::collections::VecDeque;

/// How far back a retry budget looks.
pub const BUDGET_WINDOW_MS: i64 = 10_000;

/// A circuit breaker's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(
    target_arch = "wasm32",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub enum BreakerState {
    Closed,
    Open,
    HalfOpen,
}

/// The breaker entered `state` at `at_ms` (relative to the run's start).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(
    target_arch = "wasm32",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct BreakerMark {
    pub at_ms: i64,
    pub state: BreakerState,
}

/// What became of an attempt at the guard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Admission {
    /// It called the downstream; `overloaded` if past the second's capacity (it fails).
    Called { overloaded: bool },
    /// The breaker was open: it failed at once without calling.
    Rejected,
    /// Over the retry budget: not made at all.
    Denied,
}

#[derive(Clone, Debug)]
struct Budget {
    cfg: RetryBudget,
    originals: VecDeque<i64>,
    retries: VecDeque<i64>,
}

impl Budget {
    fn forget_before(&mut self, now: Ms) {
        let from = now.saturating_sub(BUDGET_WINDOW_MS);
        while self.originals.front().is_some_and(|&t| t <= from) {
            self.originals.pop_front();
        }
        while self.retries.front().is_some_and(|&t| t <= from) {
            self.retries.pop_front();
        }
    }

    /// Retries the window allows now.
    fn allowance(&self) -> f64 {
        self.cfg.min_per_s * (BUDGET_WINDOW_MS as f64 / 1000.0)
            + self.cfg.percent / 100.0 * self.originals.len() as f64
    }

    fn original(&mut self, now: Ms) {
        self.forget_before(now);
        self.originals.push_back(now);
    }

    /// Take one retry from the budget if there is one.
    fn take(&mut self, now: Ms) -> bool {
        self.forget_before(now);
        if (self.retries.len() as f64) + 1.0 > self.allowance() {
            return false;
        }
        self.retries.push_back(now);
        true
    }
}

#[derive(Clone, Debug)]
struct Breaker {
    cfg: BreakerConfig,
    state: BreakerState,
    failures_in_a_row: u32,
    open_until: i64,
    start: i64,
    marks: Vec<BreakerMark>,
    opened: u64,
}

impl Breaker {
    fn enter(&mut self, state: BreakerState, at: i64) {
        self.state = state;
        self.marks.push(BreakerMark {
            at_ms: at.saturating_sub(self.start),
            state,
        });
    }

    /// Half-open once the open time is over (drawn from when it ended, not from the probe).
    fn catch_up(&mut self, now: Ms) {
        if self.state == BreakerState::Open && now >= self.open_until {
            self.enter(BreakerState::HalfOpen, self.open_until);
        }
    }

    fn allows(&mut self, now: Ms) -> bool {
        self.catch_up(now);
        self.state != BreakerState::Open
    }

    fn record(&mut self, now: Ms, ok: bool) {
        if ok {
            self.failures_in_a_row = 0;
            if self.state != BreakerState::Closed {
                self.enter(BreakerState::Closed, now);
            }
            return;
        }
        self.failures_in_a_row = self.failures_in_a_row.saturating_add(1);
        let trip = self.state == BreakerState::HalfOpen
            || (self.state == BreakerState::Closed && self.failures_in_a_row >= self.cfg.failures);
        if trip {
            self.open_until = now.saturating_add(self.cfg.open_ms);
            self.opened += 1;
            self.enter(BreakerState::Open, now);
        }
    }
}

/// Counters the guard keeps for the metrics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct GuardCounts {
    pub calls: u64,
    pub overloaded: u64,
    pub rejected: u64,
    pub denied: u64,
    pub breaker_opened: u64,
    pub peak_per_s: u32,
}

#[derive(Clone, Debug)]
pub(crate) struct Guard {
    capacity_per_s: u32,
    start: i64,
    /// The second (since the start) the calls in `in_second` were made in.
    second: i64,
    in_second: u32,
    budget: Option<Budget>,
    breaker: Option<Breaker>,
    counts: GuardCounts,
}

impl Guard {
    pub fn new(
        capacity_per_s: u32,
        budget: Option<RetryBudget>,
        breaker: Option<BreakerConfig>,
        start: i64,
    ) -> Guard {
        Guard {
            capacity_per_s,
            start,
            second: -1,
            in_second: 0,
            budget: budget.map(|cfg| Budget {
                cfg,
                originals: VecDeque::new(),
                retries: VecDeque::new(),
            }),
            breaker: breaker.map(|cfg| {
                let mut b = Breaker {
                    cfg,
                    state: BreakerState::Closed,
                    failures_in_a_row: 0,
                    open_until: 0,
                    start,
                    marks: Vec::new(),
                    opened: 0,
                };
                b.enter(BreakerState::Closed, start);
                b
            }),
            counts: GuardCounts::default(),
        }
    }

    /// An attempt at `now` (`retry` false for an operation's original call): may it go,
    /// and does the downstream have room for it? Follow with `record` when it called.
    pub fn admit(&mut self, now: Ms, retry: bool) -> Admission {
        if let Some(b) = self.budget.as_mut() {
            if !retry {
                b.original(now);
            } else if !b.take(now) {
                self.counts.denied += 1;
                return Admission::Denied;
            }
        }
        if let Some(b) = self.breaker.as_mut() {
            if !b.allows(now) {
                self.counts.rejected += 1;
                return Admission::Rejected;
            }
        }
        Admission::Called {
            overloaded: self.call(now),
        }
    }

    /// A call reaches the downstream at `now` (past the budget and breaker, or a duplicate
    /// no one checked): true if it is past the second's capacity, and fails.
    pub fn call(&mut self, now: Ms) -> bool {
        let second = now.saturating_sub(self.start).div_euclid(1000);
        if second != self.second {
            self.second = second;
            self.in_second = 0;
        }
        self.in_second = self.in_second.saturating_add(1);
        self.counts.calls += 1;
        self.counts.peak_per_s = self.counts.peak_per_s.max(self.in_second);
        let overloaded = self.capacity_per_s > 0 && self.in_second > self.capacity_per_s;
        if overloaded {
            self.counts.overloaded += 1;
        }
        overloaded
    }

    /// How a call turned out (the breaker counts failures in a row).
    pub fn record(&mut self, now: Ms, ok: bool) {
        if let Some(b) = self.breaker.as_mut() {
            b.record(now, ok);
            self.counts.breaker_opened = b.opened;
        }
    }

    /// Calls made so far in the current second (for the series' per-second peak).
    pub fn in_second(&self) -> u32 {
        self.in_second
    }

    pub fn counts(&self) -> GuardCounts {
        self.counts
    }

    /// The breaker's states over time, up to `now` (None without a breaker).
    pub fn breaker_marks(&self, now: Ms) -> Option<Vec<BreakerMark>> {
        let b = self.breaker.as_ref()?;
        let mut marks = b.marks.clone();
        if b.state == BreakerState::Open && now >= b.open_until {
            marks.push(BreakerMark {
                at_ms: b.open_until.saturating_sub(self.start),
                state: BreakerState::HalfOpen,
            });
        }
        Some(marks)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn called(a: Admission) -> bool {
        matches!(a, Admission::Called { .. })
    }

    #[test]
    fn capacity_fails_the_calls_past_it_in_the_same_second() {
        let mut g = Guard::new(2, None, None, 1_000);
        let got: Vec<Admission> = [1_000, 1_100, 1_999, 2_000]
            .iter()
            .map(|&t| g.admit(t, true))
            .collect();
        assert_eq!(
            got,
            [false, false, true, false].map(|overloaded| Admission::Called { overloaded })
        );
        assert_eq!((g.counts().calls, g.counts().overloaded), (4, 1));
        assert_eq!(g.counts().peak_per_s, 3);
    }

    #[test]
    fn the_budget_allows_its_share_of_the_window_plus_the_floor() {
        let budget = RetryBudget {
            percent: 20.0,
            min_per_s: 0.0,
        };
        let mut g = Guard::new(0, Some(budget), None, 0);
        for t in 0..10 {
            assert!(called(g.admit(t, false)));
        }
        // 20% of 10 originals: two retries, then none until the window moves on.
        assert!(called(g.admit(100, true)));
        assert!(called(g.admit(101, true)));
        assert_eq!(g.admit(102, true), Admission::Denied);
        // The originals leave the window 10 s later; the floor is 0.
        assert_eq!(g.admit(10_200, true), Admission::Denied);
        let mut floor = Guard::new(
            0,
            Some(RetryBudget {
                percent: 0.0,
                min_per_s: 0.5,
            }),
            None,
            0,
        );
        let made = (0..20)
            .filter(|&i| called(floor.admit(i * 100, true)))
            .count();
        assert_eq!(made, 5, "half a retry a second over 10 s");
        assert_eq!(floor.counts().denied, 15);
    }

    #[test]
    fn the_breaker_opens_after_failures_in_a_row_and_probes_when_half_open() {
        let cfg = BreakerConfig {
            failures: 3,
            open_ms: 5_000,
        };
        let mut g = Guard::new(0, None, Some(cfg), 0);
        for t in [0, 10, 20] {
            assert!(called(g.admit(t, true)));
            g.record(t, false);
        }
        assert_eq!(g.admit(30, true), Admission::Rejected);
        assert_eq!(g.admit(4_999, true), Admission::Rejected);
        // Half-open at 5,020: the probe fails, open again.
        assert!(called(g.admit(6_000, true)));
        g.record(6_000, false);
        assert_eq!(g.admit(6_001, true), Admission::Rejected);
        // The next probe succeeds: closed, and one failure doesn't open it.
        assert!(called(g.admit(11_000, true)));
        g.record(11_000, true);
        assert!(called(g.admit(11_001, true)));
        g.record(11_001, false);
        assert!(called(g.admit(11_002, true)));
        let states: Vec<(i64, BreakerState)> = g
            .breaker_marks(11_002)
            .unwrap()
            .iter()
            .map(|m| (m.at_ms, m.state))
            .collect();
        use BreakerState::*;
        assert_eq!(
            states,
            [
                (0, Closed),
                (20, Open),
                (5_020, HalfOpen),
                (6_000, Open),
                (11_000, HalfOpen),
                (11_000, Closed)
            ]
        );
        assert_eq!((g.counts().rejected, g.counts().breaker_opened), (3, 2));
    }

    #[test]
    fn a_breaker_still_open_is_drawn_half_open_once_its_time_is_over() {
        let cfg = BreakerConfig {
            failures: 1,
            open_ms: 1_000,
        };
        let mut g = Guard::new(0, None, Some(cfg), 0);
        g.admit(0, true);
        g.record(0, false);
        let last = *g.breaker_marks(5_000).unwrap().last().unwrap();
        assert_eq!(
            last,
            BreakerMark {
                at_ms: 1_000,
                state: BreakerState::HalfOpen
            }
        );
    }
}
