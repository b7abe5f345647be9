// The load policy: which saved world the page starts with, and what becomes of the others.
// Pure decisions (no DOM, no IndexedDB): persist.js reads the store and carries them out;
// the node tests call them directly.
//
//   - The store answers within `timeoutMs` or the console starts empty (a slow store must not
//     keep the learner waiting); what it says later is still applied.
//   - The copy a leaving page wrote to localStorage (pending.js) wins over IndexedDB's record
//     when it is newer; otherwise it is dropped (IndexedDB has it, or newer).
//   - A record that can't be read is kept aside as "bad" (downloadable) and the world starts
//     empty; one that arrives after the learner started working is kept aside (a kept playground)
//     (restorable) rather than replacing their work; otherwise it is restored.
import { readRecord } from './record.js';

const savedAt = (v) => (v && typeof v === 'object' && Number.isFinite(v.savedAt) ? v.savedAt : -Infinity);

/**
 * `{ v }` when `promise` resolves within `timeoutMs`, `{ e }` when it fails, `{ timeout: true }`
 * when it is slower (it goes on; await it yourself). `wait(ms)` is the timer (tests pass one).
 */
export function within(promise, timeoutMs, wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms))) {
  return Promise.race([
    promise.then((v) => ({ v }), (e) => ({ e })),
    wait(timeoutMs).then(() => ({ timeout: true })),
  ]);
}

/**
 * What to do with what was read: `world` (IndexedDB's record, or undefined), `pending` (the
 * localStorage copy, or undefined), `late` (the store answered after the console started),
 * `changedSinceStart` (the learner ran commands or keys changed meanwhile). Returns
 * `{ world, rec, fromPending, dropPending, action }`: the record chosen and readRecord's
 * reading of it; whether it came from localStorage; whether the localStorage copy can go
 * now; and the action: 'none' (nothing saved), 'bad' (keep it aside, start empty),
 * 'keep' (keep it restorable, leave the current world) or 'restore'.
 */
export function loadPlan({ world, pending, late = false, changedSinceStart = false }) {
  let fromPending = false;
  let dropPending = false;
  if (pending !== undefined) {
    if (world === undefined || savedAt(pending) > savedAt(world)) {
      world = pending;
      fromPending = true;
    } else {
      dropPending = true;
    }
  }
  const rec = readRecord(world);
  let action = 'restore';
  if (rec.empty) action = 'none';
  else if (!rec.ok) action = 'bad';
  else if (late && changedSinceStart) action = 'keep';
  return { world, rec, fromPending, dropPending, action };
}
