//! Strategy 4: a stream consumer group, the way a Redis Streams job queue retries. Every
//! failed order is a job in the stream `orders`, read by the group `workers`:
//!
//! - The app pushes it (`XADD orders * order order:<op>`) and a worker reads it at once
//!   (`XREADGROUP GROUP workers worker-<i> COUNT 1 STREAMS orders >`); that first attempt
//!   fails, and the worker doesn't XACK: the entry stays in the group's pending entries
//!   list (PEL). Nothing else is written to remember the retry.
//! - A reclaimer wakes every `stream_reclaim_ms` and takes over what has been pending at
//!   least the min-idle-time: `XAUTOCLAIM orders workers reclaimer <min-idle> <cursor>
//!   COUNT <n>`. Each claimed entry is a retry. As the command is meant to be used, each
//!   call starts at the cursor the last one returned: a call looks at most COUNT × 10
//!   pending entries, so with a long PEL one pass takes several rounds (retries are then
//!   later); a call that claimed a full COUNT is followed by another at once.
//!   XAUTOCLAIM doesn't say how often an entry was delivered, so the reclaimer asks the
//!   PEL for the claimed range (`XPENDING orders workers <first> <last> <n> reclaimer`),
//!   as a real one must before it can give up; Redis's delivery count is the attempts so
//!   far (the read and every claim), so deliveries = retries + 1.
//! - Success: `XACK orders workers <id>` and `XDEL orders <id>`. Failure with retries
//!   left: nothing — claiming reset the entry's idle time, so it comes back one min-idle
//!   later. The last retry failed: the job goes to the dead-letter stream (`XADD
//!   orders:dead * order order:<op> deliveries <n>`), then XDEL and XACK.
//!
//! XAUTOCLAIM has one min-idle-time for every entry, so this strategy has no backoff and
//! no jitter of its own: every retry comes a min-idle after the one before (by default the
//! schedule's first delay), the number of retries is the schedule's. Entries a console
//! deleted come back in XAUTOCLAIM's third list: those orders are lost.
//!
//! Cost: one XAUTOCLAIM per reclaim interval (more when a full batch came back), and one
//! XPENDING per batch that claimed anything — however many orders wait; the lateness grows
//! with the pending list (one pass is PEL ÷ (COUNT × 10) rounds).

use std::collections::HashMap;

use super::config::{Config, StrategyKind};
use super::log::{argv, Actor, SimClient, Wire};
use super::schedule::{Failures, Schedule};
use super::track::{op_key, parse_op_key, Next, Track};
use crate::clock::Ms;
use crate::reply::Reply;
use crate::server::ClientId;
use crate::types::Value;

const KIND: StrategyKind = StrategyKind::Stream;

/// The jobs' stream, its consumer group, and the dead-letter stream.
pub const STREAM_KEY: &str = "orders";
pub const GROUP: &str = "workers";
pub const DEAD_KEY: &str = "orders:dead";
const RECLAIMER: &str = "reclaimer";

fn bulk(r: &Reply) -> Option<&[u8]> {
    match r {
        Reply::Bulk(b) => Some(b),
        _ => None,
    }
}

/// `ms-seq` as a stream id.
fn parse_id(text: &[u8]) -> Option<crate::types::stream::StreamId> {
    let s = std::str::from_utf8(text).ok()?;
    let (ms, seq) = s.split_once('-')?;
    Some(crate::types::stream::StreamId::new(
        ms.parse().ok()?,
        seq.parse().ok()?,
    ))
}

/// What one XAUTOCLAIM answered: the next cursor, the claimed (id, op), the deleted ids.
struct Claim {
    cursor: Vec<u8>,
    claimed: Vec<(Vec<u8>, Option<u32>)>,
    deleted: Vec<Vec<u8>>,
}

fn read_claim(reply: &Reply, n_ops: u32) -> Option<Claim> {
    let Reply::Array(parts) = reply else {
        return None;
    };
    let cursor = bulk(parts.first()?)?.to_vec();
    let mut claimed = Vec::new();
    if let Some(Reply::Array(entries)) = parts.get(1) {
        for e in entries {
            let Reply::Array(pair) = e else { continue };
            let Some(id) = pair.first().and_then(bulk) else {
                continue;
            };
            // [order, order:<op>]: the op from the field's value.
            let op = match pair.get(1) {
                Some(Reply::Array(fields)) => fields
                    .chunks(2)
                    .find(|kv| kv.first().and_then(bulk) == Some(b"order"))
                    .and_then(|kv| kv.get(1).and_then(bulk))
                    .and_then(|v| parse_op_key(v, n_ops)),
                _ => None,
            };
            claimed.push((id.to_vec(), op));
        }
    }
    let deleted = match parts.get(2) {
        Some(Reply::Array(ids)) => ids.iter().filter_map(bulk).map(<[u8]>::to_vec).collect(),
        _ => Vec::new(),
    };
    Some(Claim {
        cursor,
        claimed,
        deleted,
    })
}

/// XPENDING's extended form: id → delivery count, and the last row's id.
fn read_deliveries(reply: &Reply) -> (HashMap<Vec<u8>, i64>, Option<Vec<u8>>) {
    let mut out = HashMap::new();
    let mut last = None;
    if let Reply::Array(rows) = reply {
        for row in rows {
            if let Reply::Array(f) = row {
                if let (Some(id), Some(Reply::Int(n))) = (f.first().and_then(bulk), f.get(3)) {
                    out.insert(id.to_vec(), *n);
                    last = Some(id.to_vec());
                }
            }
        }
    }
    (out, last)
}

pub(crate) struct StreamGroup {
    pub track: Track,
    app: SimClient,
    workers: Vec<SimClient>,
    reclaimer: SimClient,
    next_worker: usize,
    interval: i64,
    next_reclaim: i64,
    batch: u32,
    min_idle_ms: i64,
    n_ops: u32,
    /// Each waiting op's entry id (index op - 1), and the way back.
    ids: Vec<Option<Vec<u8>>>,
    ops_by_id: HashMap<Vec<u8>, u32>,
    /// XAUTOCLAIM's cursor: where the next call starts (0-0: from the beginning).
    cursor: Vec<u8>,
    /// When a round the work bound interrupted goes on.
    resume: Option<i64>,
}

impl StreamGroup {
    pub fn new(cfg: &Config, wire: &mut Wire, track: Track, setup: &mut SimClient) -> StreamGroup {
        let db = cfg.stream_db;
        wire.send(
            setup,
            argv([
                b"XGROUP",
                b"CREATE",
                STREAM_KEY.as_bytes(),
                GROUP.as_bytes(),
                b"$",
                b"MKSTREAM",
            ]),
        );
        let app = wire.connect(Actor::App, Some(KIND), db);
        let workers = (1..=cfg.queue_workers)
            .map(|i| wire.connect(Actor::Worker(i as u8), Some(KIND), db))
            .collect();
        let reclaimer = wire.connect(Actor::Reclaimer, Some(KIND), db);
        let min_idle_ms = cfg.stream_min_idle_ms;
        StreamGroup {
            track: track.with_fixed_delay(min_idle_ms),
            app,
            workers,
            reclaimer,
            next_worker: 0,
            interval: cfg.stream_reclaim_ms,
            next_reclaim: wire.now.saturating_add(cfg.stream_reclaim_ms),
            batch: cfg.queue_batch,
            min_idle_ms,
            n_ops: cfg.operations,
            ids: vec![None; cfg.operations as usize],
            ops_by_id: HashMap::new(),
            cursor: b"0-0".to_vec(),
            resume: None,
        }
    }

    pub fn clients(&self) -> Vec<ClientId> {
        std::iter::once(self.app.id)
            .chain(self.workers.iter().map(|c| c.id))
            .chain(std::iter::once(self.reclaimer.id))
            .collect()
    }

    pub fn next_time(&self) -> Option<i64> {
        if let Some(at) = self.resume {
            return Some(at);
        }
        (!self.track.all_final()).then_some(self.next_reclaim)
    }

    fn send(&mut self, wire: &mut Wire, who: Who, cmd: Vec<Vec<u8>>) -> Reply {
        let client = match who {
            Who::App => &mut self.app,
            Who::Worker(i) => &mut self.workers[i],
            Who::Reclaimer => &mut self.reclaimer,
        };
        super::issue(&mut self.track, wire, client, cmd)
    }

    fn forget(&mut self, op: u32) -> Option<Vec<u8>> {
        let id = self.ids.get_mut((op as usize).wrapping_sub(1))?.take()?;
        self.ops_by_id.remove(&id);
        Some(id)
    }

    /// The job is done with: acknowledged and deleted — or, given up, copied to the
    /// dead-letter stream, deleted, then acknowledged.
    fn settle(&mut self, wire: &mut Wire, who: Who, op: u32, dead: Option<i64>) {
        let Some(id) = self.forget(op) else { return };
        let ack = argv([b"XACK", STREAM_KEY.as_bytes(), GROUP.as_bytes(), &id]);
        let del = argv([b"XDEL", STREAM_KEY.as_bytes(), &id]);
        if let Some(deliveries) = dead {
            let key = op_key(op);
            let n = deliveries.to_string();
            self.send(
                wire,
                who,
                argv([
                    b"XADD",
                    DEAD_KEY.as_bytes(),
                    b"*",
                    b"order",
                    key.as_bytes(),
                    b"deliveries",
                    n.as_bytes(),
                ]),
            );
            self.send(wire, who, del);
            self.send(wire, who, ack);
        } else {
            self.send(wire, who, ack);
            self.send(wire, who, del);
        }
    }

    /// The order fails for the first time: pushed as a job, read by a worker whose
    /// processing fails; it stays pending.
    pub fn arrive(&mut self, wire: &mut Wire, op: u32, schedule: &Schedule, failures: &Failures) {
        let key = op_key(op);
        let id = self.send(
            wire,
            Who::App,
            argv([
                b"XADD",
                STREAM_KEY.as_bytes(),
                b"*",
                b"order",
                key.as_bytes(),
            ]),
        );
        let w = self.next_worker;
        self.next_worker = (w + 1) % self.workers.len().max(1);
        let name = format!("worker-{}", w + 1);
        self.send(
            wire,
            Who::Worker(w),
            argv([
                b"XREADGROUP",
                b"GROUP",
                GROUP.as_bytes(),
                name.as_bytes(),
                b"COUNT",
                b"1",
                b"STREAMS",
                STREAM_KEY.as_bytes(),
                b">",
            ]),
        );
        if let (Some(id), Some(slot)) = (bulk(&id), self.ids.get_mut((op as usize).wrapping_sub(1)))
        {
            *slot = Some(id.to_vec());
            self.ops_by_id.insert(id.to_vec(), op);
        }
        if self
            .track
            .arrive(op, wire.now, schedule, failures)
            .is_none()
        {
            // No retries allowed: dead-lettered after its one delivery.
            self.settle(wire, Who::Worker(w), op, Some(1));
        }
    }

    /// The reclaimer's round: claim what has been idle long enough, retry each.
    pub fn reclaim(
        &mut self,
        wire: &mut Wire,
        schedule: &Schedule,
        failures: &Failures,
        max_work: u64,
    ) -> bool {
        if self.resume.take().is_none() {
            self.next_reclaim = self.next_reclaim.saturating_add(self.interval);
        }
        let min_idle = self.min_idle_ms.to_string();
        let count = self.batch.to_string();
        // Each call scans at least one pending entry: bounded by the orders.
        for _ in 0..=self.n_ops {
            let cursor = std::mem::replace(&mut self.cursor, b"0-0".to_vec());
            let reply = self.send(
                wire,
                Who::Reclaimer,
                argv([
                    b"XAUTOCLAIM",
                    STREAM_KEY.as_bytes(),
                    GROUP.as_bytes(),
                    RECLAIMER.as_bytes(),
                    min_idle.as_bytes(),
                    &cursor,
                    b"COUNT",
                    count.as_bytes(),
                ]),
            );
            let Some(claim) = read_claim(&reply, self.n_ops) else {
                return true; // the stream or the group is gone: the sweep loses the orders
            };
            for id in &claim.deleted {
                if let Some(op) = self.ops_by_id.get(id).copied() {
                    self.forget(op);
                    self.track.lose(op, wire.now);
                }
            }
            self.retry_claimed(wire, &claim.claimed, schedule, failures);
            let full = claim.claimed.len() + claim.deleted.len() >= self.batch as usize;
            // The next call (this round's or the next round's) goes on from the cursor.
            self.cursor = claim.cursor;
            // A full batch: more may be idle long enough, claim again now. Otherwise the
            // rest of the PEL waits for the next round.
            if !full {
                break;
            }
            if wire.work >= max_work {
                // Go on at this time in the next call.
                self.resume = Some(wire.now);
                return false;
            }
        }
        true
    }

    fn retry_claimed(
        &mut self,
        wire: &mut Wire,
        claimed: &[(Vec<u8>, Option<u32>)],
        schedule: &Schedule,
        failures: &Failures,
    ) {
        let (Some((first, _)), Some((last, _))) = (claimed.first(), claimed.last()) else {
            return;
        };
        // The reclaimer also owns the failed entries it claimed before that aren't idle
        // long enough yet: between the first and last claimed id there may be more of
        // them than were claimed. Page on (from after the last row) until every claimed
        // entry's count is known.
        let n = claimed.len();
        let count = n.to_string();
        let mut deliveries = HashMap::new();
        let mut from = first.clone();
        for _ in 0..=self.n_ops {
            let page = self.send(
                wire,
                Who::Reclaimer,
                argv([
                    b"XPENDING",
                    STREAM_KEY.as_bytes(),
                    GROUP.as_bytes(),
                    &from,
                    last,
                    count.as_bytes(),
                    RECLAIMER.as_bytes(),
                ]),
            );
            let (rows, last_row) = read_deliveries(&page);
            deliveries.extend(rows);
            let known = claimed
                .iter()
                .filter(|(id, _)| deliveries.contains_key(id))
                .count();
            match last_row {
                Some(row) if known < n => {
                    from = b"(".to_vec();
                    from.extend_from_slice(&row);
                }
                _ => break,
            }
        }
        for (id, op) in claimed {
            let Some(op) = *op else { continue };
            let count = deliveries.get(id).copied().unwrap_or(0);
            match self.track.attempt(op, wire.now, schedule, failures) {
                Some(Next::Done) => self.settle(wire, Who::Reclaimer, op, None),
                Some(Next::GiveUp) => self.settle(wire, Who::Reclaimer, op, Some(count)),
                Some(Next::Retry { .. }) | None => {}
            }
        }
    }

    /// Orders overdue by more than `grace` whose entry is no longer pending in the group
    /// (a console deleted the stream, flushed the db, acknowledged the entry): no one will
    /// claim them again. They are lost.
    pub fn sweep_overdue(&mut self, wire: &mut Wire, grace: Ms) {
        let now = wire.now;
        let overdue = self.track.overdue(now, grace);
        if overdue.is_empty() {
            return;
        }
        let db = wire.server.db(usize::from(self.track.db));
        let pel = match db.iter_key(STREAM_KEY.as_bytes(), now).map(|e| &e.value) {
            Some(Value::Stream(s)) => s.groups.get(GROUP.as_bytes()).map(|g| &g.pel),
            _ => None,
        };
        let pending = |id: &Option<Vec<u8>>| match (pel, id.as_deref().and_then(parse_id)) {
            (Some(pel), Some(id)) => pel.contains_key(&id),
            _ => false,
        };
        let gone: Vec<u32> = overdue
            .into_iter()
            .filter(|&op| {
                let id = self.ids.get((op as usize).wrapping_sub(1));
                !id.is_some_and(pending)
            })
            .collect();
        for op in gone {
            self.forget(op);
            self.track.lose(op, now);
        }
    }
}

#[derive(Clone, Copy)]
enum Who {
    App,
    Worker(usize),
    Reclaimer,
}
