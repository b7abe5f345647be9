//! One strategy's record of its operations: where each one is (waiting, done, given up,
//! lost), its attempts, and the counters. The strategies decide *when* an attempt happens
//! (from the replies and events they get); this decides how it turns out and what comes
//! next, the same way for all three.

use crate::clock::Ms;
use std::collections::BTreeSet;

use super::config::StrategyKind;
use super::guard::{Admission, BreakerMark, Guard};
use super::metrics::{LatenessStats, Metrics, Series};
use super::schedule::{Failures, Schedule};

/// Where an operation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(
    target_arch = "wasm32",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub enum OpState {
    /// Its original failure hasn't happened yet.
    NotArrived,
    /// Waiting for its next retry.
    Waiting,
    Succeeded,
    /// Its last retry failed.
    GaveUp,
    /// Its retry will never happen (the expired event was sent while no one listened).
    Lost,
}

impl OpState {
    pub fn is_final(self) -> bool {
        matches!(self, OpState::Succeeded | OpState::GaveUp | OpState::Lost)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(
    target_arch = "wasm32",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub enum Outcome {
    Failed,
    /// Failed because it fell inside the outage window.
    FailedInOutage,
    /// Failed because the downstream had answered its capacity that second.
    Overloaded,
    /// Failed at once: the circuit breaker was open (the downstream wasn't called).
    Rejected,
    /// Not made: over the retry budget (the operation is given up).
    Denied,
    Succeeded,
}

/// One attempt on the timeline. Retry 0 is the original failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(
    target_arch = "wasm32",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct AttemptMark {
    pub at_ms: Ms,
    pub due_ms: i64,
    pub retry: u32,
    pub outcome: Outcome,
    /// The same retry made again (another listener got the same event).
    pub duplicate: bool,
}

/// A wait between an attempt and the next: from `from_ms`, due at `due_ms`, ended by the
/// attempt at `until_ms` (None while still waiting, or if the retry was lost).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(
    target_arch = "wasm32",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Wait {
    pub from_ms: i64,
    pub due_ms: i64,
    pub until_ms: Option<i64>,
}

/// An operation's story, for the timeline.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(
    target_arch = "wasm32",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct OpTimeline {
    pub op: u32,
    pub key: String,
    pub state: OpState,
    pub arrived_ms: Option<i64>,
    pub ended_ms: Option<i64>,
    pub attempts: Vec<AttemptMark>,
    pub waits: Vec<Wait>,
}

/// What the strategy does after an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Next {
    /// It failed: record the retry and wait this many seconds.
    Retry { delay_s: u32 },
    /// It failed and was the last: delete the keys.
    GiveUp,
    /// It succeeded: delete the keys.
    Done,
}

#[derive(Clone, Debug)]
pub(crate) struct OpRun {
    pub state: OpState,
    pub arrived: Option<i64>,
    pub due: i64,
    pub retries_done: u32,
    prev_sleep_s: f64,
    pub ended: Option<i64>,
    marks: Vec<AttemptMark>,
    last: Option<Next>,
}

/// The key of operation `op`.
pub fn op_key(op: u32) -> String {
    format!("order:{op}")
}

/// Its retry counter.
pub fn retry_count_key(op: u32) -> String {
    format!("order:{op}:retry_count")
}

/// The operation a key names (`order:42` → 42), if it is one of `n`.
pub fn parse_op_key(key: &[u8], n: u32) -> Option<u32> {
    let digits = key.strip_prefix(b"order:")?;
    if digits.is_empty()
        || digits.len() > 9
        || !digits.iter().all(u8::is_ascii_digit)
        || digits[0] == b'0'
    {
        return None;
    }
    let op: u32 = std::str::from_utf8(digits).ok()?.parse().ok()?;
    (1..=n).contains(&op).then_some(op)
}

#[derive(Default, Clone, Debug)]
pub(crate) struct Counters {
    pub commands: u64,
    pub idle_polls: u64,
    pub retries: u64,
    pub successes: u64,
    pub given_up: u64,
    pub lost: u64,
    pub duplicates: u64,
    pub conflicts: u64,
    pub events: u64,
}

pub(crate) struct Track {
    pub kind: StrategyKind,
    pub db: u8,
    pub start: i64,
    pub ops: Vec<OpRun>,
    /// (due, op) of every waiting operation.
    pub waiting: BTreeSet<(i64, u32)>,
    pub c: Counters,
    lateness: LatenessStats,
    pub series: Series,
    finished: u32,
    /// A strategy whose retry delay is not the schedule's (a stream's XAUTOCLAIM
    /// min-idle-time): every retry is due this long after the attempt before it.
    fixed_delay_ms: Option<i64>,
    /// The downstream this strategy's attempts call, behind its budget and breaker.
    guard: Guard,
    /// Original failure to success, of the operations that succeeded.
    completion: LatenessStats,
}

impl Track {
    pub fn new(
        kind: StrategyKind,
        db: u8,
        n: u32,
        start: i64,
        bucket_ms: i64,
        schedule: &Schedule,
    ) -> Track {
        let run = OpRun {
            state: OpState::NotArrived,
            arrived: None,
            due: 0,
            retries_done: 0,
            prev_sleep_s: schedule.initial_prev_s(),
            ended: None,
            marks: Vec::new(),
            last: None,
        };
        Track {
            kind,
            db,
            start,
            ops: vec![run; n as usize],
            waiting: BTreeSet::new(),
            c: Counters::default(),
            lateness: LatenessStats::new(),
            series: Series::new(start, bucket_ms),
            finished: 0,
            fixed_delay_ms: None,
            guard: Guard::new(0, None, None, start),
            completion: LatenessStats::new(),
        }
    }

    /// This track calling the downstream through `guard` (capacity, budget, breaker).
    pub fn with_guard(mut self, guard: Guard) -> Track {
        self.guard = guard;
        self
    }

    /// The breaker's states over time (None without one).
    pub fn breaker_marks(&self, now: Ms) -> Option<Vec<BreakerMark>> {
        self.guard.breaker_marks(now)
    }

    /// A call to the downstream at `now`, counted in the load series.
    fn count_call(&mut self, now: Ms, overloaded: bool) {
        let in_second = self.guard.in_second();
        let b = self.series.at(now);
        b.calls += 1;
        b.peak_calls_per_s = b.peak_calls_per_s.max(in_second);
        if overloaded {
            b.overloaded += 1;
        }
    }

    /// This track with every retry due `ms` after the attempt before it (the schedule
    /// still decides how many retries there are).
    pub fn with_fixed_delay(mut self, ms: i64) -> Track {
        self.fixed_delay_ms = Some(ms.max(0));
        self
    }

    /// When a retry waiting `delay_s` (the schedule's) from `now` is due.
    fn due_after(&self, now: Ms, delay_s: u32) -> i64 {
        let ms = self
            .fixed_delay_ms
            .unwrap_or(i64::from(delay_s).saturating_mul(1000));
        now.saturating_add(ms)
    }

    fn run(&self, op: u32) -> Option<&OpRun> {
        self.ops.get((op as usize).wrapping_sub(1))
    }

    fn run_mut(&mut self, op: u32) -> Option<&mut OpRun> {
        self.ops.get_mut((op as usize).wrapping_sub(1))
    }

    pub fn state(&self, op: u32) -> Option<OpState> {
        self.run(op).map(|r| r.state)
    }

    pub fn due(&self, op: u32) -> Option<i64> {
        self.run(op)
            .filter(|r| r.state == OpState::Waiting)
            .map(|r| r.due)
    }

    /// The waiting operations due more than `grace` before `now` (the strategies check
    /// whether their retry can still come).
    pub fn overdue(&self, now: Ms, grace: Ms) -> Vec<u32> {
        self.waiting
            .range(..(now.saturating_sub(grace), 0))
            .map(|&(_, op)| op)
            .collect()
    }

    pub fn all_final(&self) -> bool {
        self.finished as usize == self.ops.len()
    }

    /// Count commands sent (or counted) at `now`.
    pub fn commands(&mut self, now: Ms, n: u64) {
        self.c.commands += n;
        self.series.at(now).commands += n;
    }

    fn wait(&mut self, op: u32, due: i64) {
        if let Some(r) = self.run_mut(op) {
            r.state = OpState::Waiting;
            r.due = due;
        }
        self.waiting.insert((due, op));
    }

    fn finish(&mut self, op: u32, state: OpState, now: Ms) {
        let Some(r) = self.run_mut(op) else { return };
        if r.state.is_final() {
            return;
        }
        let due = r.due;
        let was_waiting = r.state == OpState::Waiting;
        r.state = state;
        r.ended = Some(now);
        if was_waiting {
            self.waiting.remove(&(due, op));
        }
        self.finished += 1;
    }

    /// The original failure of `op` at `now`: the delay before its first retry, or None if
    /// no retries are allowed (given up at once).
    pub fn arrive(
        &mut self,
        op: u32,
        now: Ms,
        schedule: &Schedule,
        failures: &Failures,
    ) -> Option<u32> {
        let outage = failures.in_outage(now.saturating_sub(self.start));
        if self.state(op) != Some(OpState::NotArrived) {
            return None;
        }
        let outcome = match self.guard.admit(now, false) {
            Admission::Rejected | Admission::Denied => Outcome::Rejected,
            Admission::Called { overloaded } => {
                self.guard.record(now, false);
                self.count_call(now, overloaded);
                if outage {
                    Outcome::FailedInOutage
                } else if overloaded {
                    Outcome::Overloaded
                } else {
                    Outcome::Failed
                }
            }
        };
        let r = self.run_mut(op)?;
        r.arrived = Some(now);
        r.marks.push(AttemptMark {
            at_ms: now,
            due_ms: now,
            retry: 0,
            outcome,
            duplicate: false,
        });
        if schedule.max_retries() == 0 {
            r.last = Some(Next::GiveUp);
            self.c.given_up += 1;
            self.finish(op, OpState::GaveUp, now);
            return None;
        }
        let (delay_s, raw) = schedule.delay_s(op, 1, r.prev_sleep_s);
        r.prev_sleep_s = raw;
        let due = self.due_after(now, delay_s);
        self.wait(op, due);
        Some(delay_s)
    }

    /// The next retry of a waiting `op`, made at `now`: how it turned out decides what next.
    pub fn attempt(
        &mut self,
        op: u32,
        now: Ms,
        schedule: &Schedule,
        failures: &Failures,
    ) -> Option<Next> {
        let start = self.start;
        let r = self.run(op)?;
        if r.state != OpState::Waiting {
            return None;
        }
        let k = r.retries_done + 1;
        let due = r.due;
        let outcome = match self.guard.admit(now, true) {
            Admission::Denied => return self.deny(op, k, now),
            Admission::Rejected => Outcome::Rejected,
            Admission::Called { overloaded } => {
                let (failed, in_outage) = failures.fails(op, k, now.saturating_sub(start));
                let outcome = match (failed, in_outage, overloaded) {
                    (_, true, _) => Outcome::FailedInOutage,
                    (_, false, true) => Outcome::Overloaded,
                    (true, false, false) => Outcome::Failed,
                    (false, false, false) => Outcome::Succeeded,
                };
                self.guard.record(now, outcome == Outcome::Succeeded);
                self.count_call(now, overloaded);
                outcome
            }
        };
        let failed = outcome != Outcome::Succeeded;
        let r = self.run_mut(op)?;
        r.marks.push(AttemptMark {
            at_ms: now,
            due_ms: due,
            retry: k,
            outcome,
            duplicate: false,
        });
        r.retries_done = k;
        let next = if !failed {
            Next::Done
        } else if k >= schedule.max_retries() {
            Next::GiveUp
        } else {
            let (delay_s, raw) = schedule.delay_s(op, k + 1, r.prev_sleep_s);
            r.prev_sleep_s = raw;
            Next::Retry { delay_s }
        };
        r.last = Some(next);
        self.waiting.remove(&(due, op));
        self.lateness.record(now.saturating_sub(due));
        self.c.retries += 1;
        let b = self.series.at(now);
        b.retries += 1;
        if failed {
            b.failures += 1;
        } else {
            b.successes += 1;
        }
        match next {
            Next::Retry { delay_s } => {
                let due = self.due_after(now, delay_s);
                self.wait(op, due)
            }
            Next::GiveUp => {
                self.c.given_up += 1;
                self.finish(op, OpState::GaveUp, now);
            }
            Next::Done => {
                self.c.successes += 1;
                if let Some(arrived) = self.run(op).and_then(|r| r.arrived) {
                    self.completion.record(now.saturating_sub(arrived));
                }
                self.finish(op, OpState::Succeeded, now);
            }
        }
        Some(next)
    }

    /// Retry `k` of `op` was over the retry budget: it isn't made, the operation is given up.
    fn deny(&mut self, op: u32, k: u32, now: Ms) -> Option<Next> {
        let r = self.run_mut(op)?;
        let due = r.due;
        r.marks.push(AttemptMark {
            at_ms: now,
            due_ms: due,
            retry: k,
            outcome: Outcome::Denied,
            duplicate: false,
        });
        r.last = Some(Next::GiveUp);
        self.c.given_up += 1;
        self.finish(op, OpState::GaveUp, now);
        Some(Next::GiveUp)
    }

    /// `op`'s last retry made again at `now` by someone who didn't know it was made: it
    /// turns out the same way, and leads to the same commands.
    pub fn duplicate(&mut self, op: u32, now: Ms) -> Option<Next> {
        let r = self.run_mut(op)?;
        let next = r.last?;
        let last = *r.marks.iter().rev().find(|m| !m.duplicate && m.retry > 0)?;
        r.marks.push(AttemptMark {
            at_ms: now,
            duplicate: true,
            ..last
        });
        self.c.retries += 1;
        self.c.duplicates += 1;
        if !matches!(last.outcome, Outcome::Rejected | Outcome::Denied) {
            let overloaded = self.guard.call(now);
            self.count_call(now, overloaded);
        }
        let b = self.series.at(now);
        b.retries += 1;
        if last.outcome == Outcome::Succeeded {
            b.successes += 1;
        } else {
            b.failures += 1;
        }
        Some(next)
    }

    /// `op`'s next retry will never happen.
    pub fn lose(&mut self, op: u32, now: Ms) {
        if self.state(op) == Some(OpState::Waiting) {
            self.c.lost += 1;
            self.finish(op, OpState::Lost, now);
        }
    }

    pub fn metrics(&self, now: Ms) -> Metrics {
        let elapsed_s = now.saturating_sub(self.start).max(0) as f64 / 1000.0;
        let not_arrived = self
            .ops
            .iter()
            .filter(|r| r.state == OpState::NotArrived)
            .count() as u64;
        let g = self.guard.counts();
        Metrics {
            strategy: self.kind,
            db: self.db,
            commands: self.c.commands,
            commands_per_sec: if elapsed_s > 0.0 {
                self.c.commands as f64 / elapsed_s
            } else {
                0.0
            },
            idle_polls_counted: self.c.idle_polls,
            retries: self.c.retries,
            successes: self.c.successes,
            given_up: self.c.given_up,
            lost: self.c.lost,
            duplicate_retries: self.c.duplicates,
            claim_conflicts: self.c.conflicts,
            events_received: self.c.events,
            not_arrived,
            waiting: self.waiting.len() as u64,
            lateness: self.lateness.summary(),
            calls: g.calls,
            wasted_calls: g.calls.saturating_sub(self.c.successes),
            peak_calls_per_s: g.peak_per_s,
            overloaded: g.overloaded,
            breaker_rejected: g.rejected,
            breaker_opened: g.breaker_opened,
            budget_denied: g.denied,
            completion: self.completion.summary(),
        }
    }

    pub fn timeline(&self, op: u32) -> Option<OpTimeline> {
        let r = self.run(op)?;
        let firsts: Vec<&AttemptMark> = r.marks.iter().filter(|m| !m.duplicate).collect();
        let mut waits = Vec::new();
        for (i, m) in firsts.iter().enumerate() {
            if m.outcome == Outcome::Succeeded {
                break;
            }
            match firsts.get(i + 1) {
                Some(next) => waits.push(Wait {
                    from_ms: m.at_ms,
                    due_ms: next.due_ms,
                    until_ms: Some(next.at_ms),
                }),
                None if matches!(r.state, OpState::Waiting | OpState::Lost) => waits.push(Wait {
                    from_ms: m.at_ms,
                    due_ms: r.due,
                    until_ms: None,
                }),
                None => {}
            }
        }
        Some(OpTimeline {
            op,
            key: op_key(op),
            state: r.state,
            arrived_ms: r.arrived,
            ended_ms: r.ended,
            attempts: r.marks.clone(),
            waits,
        })
    }
}
