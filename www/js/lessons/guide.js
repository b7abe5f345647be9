// The guided lessons as state, without DOM: which lesson and step are shown, when a step is
// done (the learner's own line satisfied its check, or the world clock moved far enough),
// what the step's status, meta line, dots, lesson cards and catch-up offer say. lessons.js
// draws it; the node tests drive it directly.
//
//   const g = new Guide({ lessons, progress, split, lookupKey });
//   g.open(id, { now })            → the step shown, or null
//   g.go(±1, { now })              → { finished } | { index } | null
//   g.heard({ line, text })        → 'done' | 'miss' | null: a console line, whoever typed it
//   g.clock(now)                   → 'done' | null: a clock step is done once the world moved on
import { commandName, evaluateCheck, stepCheck } from './checks.js';

/** Every command name a check can be satisfied by (for "not quite" feedback). */
function checkCommandNames(check, split, names = new Set()) {
  if (!check) return names;
  if (check.command) names.add(commandName(check.command, split));
  for (const c of check.anyOf ?? []) checkCommandNames(c, split, names);
  return names;
}

export class Guide {
  /**
   * `lessons` (data.js), `progress` (progress.js), `split` (checks.js splitterOf),
   * `lookupKey` (checks.js keyLookup: a read-only look at a key of the learner's db).
   */
  constructor({ lessons, progress, split, lookupKey }) {
    this.lessons = lessons;
    this.progress = progress;
    this.split = split;
    this.lookupKey = lookupKey;
    this.current = null; // { lesson, index, shownAt (world ms) }
    this.sessionActive = new Set(); // lessons whose steps ran in this page (their keys exist)
    this.replaying = false;
  }

  lesson(id) {
    return this.lessons.find((l) => l.id === id) ?? null;
  }

  get step() {
    return this.current ? this.current.lesson.steps[this.current.index] : null;
  }

  /**
   * Open lesson `id` at step `index`, or where the learner left it (the start again once every
   * step is done). Returns `{ lesson, index }` or null for an unknown lesson.
   */
  open(id, { index, now = 0 } = {}) {
    const lesson = this.lesson(id);
    if (!lesson) return null;
    let i = index ?? this.progress.stepOf(id);
    if (i >= lesson.steps.length || (index === undefined && this.progress.doneCount(id) === lesson.steps.length)) i = 0;
    if (i === 0) this.sessionActive.add(id);
    this.progress.open = id;
    this.show(lesson, i, now);
    return { lesson, index: i };
  }

  /** Back to the list; returns the lesson id that was open (or undefined). */
  close() {
    const id = this.current?.lesson.id;
    this.current = null;
    this.progress.open = null;
    return id;
  }

  show(lesson, index, now) {
    this.current = { lesson, index, shownAt: now };
    this.progress.setStep(lesson.id, index);
  }

  /**
   * Previous/next: `{ index }` shown, or `{ finished: lesson }` after the last step (close()
   * it then), or null.
   */
  go(delta, { now = 0 } = {}) {
    if (!this.current) return null;
    const { lesson, index } = this.current;
    const i = index + delta;
    if (i < 0) return null;
    if (i >= lesson.steps.length) return { finished: lesson };
    this.show(lesson, i, now);
    return { index: i };
  }

  /** The current step is done: remembered; true when it was not done before. */
  markDone() {
    const { lesson, index } = this.current;
    const fresh = !this.progress.isDone(lesson.id, index);
    this.progress.markDone(lesson.id, index);
    this.sessionActive.add(lesson.id);
    return fresh;
  }

  /** Whether the current step is done. */
  get done() {
    return this.current !== null && this.progress.isDone(this.current.lesson.id, this.current.index);
  }

  /** Whether the current step waits for the world clock (an `advance` step not yet done). */
  get watchesClock() {
    return this.step?.advance !== undefined && !this.done;
  }

  /**
   * A line the console ran (whoever typed it). 'done' when it satisfied the step's check (the
   * step is marked done), 'miss' when it ran the right command not quite right, else null.
   */
  heard({ line, text }) {
    if (this.replaying || !this.current) return null;
    const step = this.step;
    if (step.advance !== undefined) return null;
    const check = stepCheck(step);
    let ok = false;
    try {
      ok = evaluateCheck(check, { line, text, split: this.split, lookupKey: this.lookupKey });
    } catch (e) {
      console.error(`lesson ${this.current.lesson.id} step ${this.current.index + 1}: bad check`, e);
    }
    if (ok) {
      this.markDone();
      return 'done';
    }
    return checkCommandNames(check, this.split).has(commandName(line, this.split)) ? 'miss' : null;
  }

  /** The world clock is at `now`: a clock step is done once it moved that far since shown. */
  clock(now) {
    if (!this.watchesClock) return null;
    if (now - this.current.shownAt < this.step.advance) return null;
    this.markDone();
    return 'done';
  }

  /** The steps before the current one, to replay after a reload; the offer's texts, or null. */
  catchUp() {
    if (!this.current) return null;
    const { lesson, index } = this.current;
    if (index === 0 || this.sessionActive.has(lesson.id)) return null;
    return {
      text: 'The playground starts empty after a reload. Replay the earlier steps to get this lesson\'s keys back?',
      button: index === 1 ? 'Replay step 1' : `Replay steps 1–${index}`,
      steps: lesson.steps.slice(0, index),
      done: `Replayed ${index === 1 ? 'step 1' : `steps 1 to ${index}`}.`,
    };
  }

  /** After a replay: the lesson's keys exist; a clock step counts from `now`. */
  replayed(now) {
    if (!this.current) return;
    this.sessionActive.add(this.current.lesson.id);
    this.current.shownAt = now;
  }

  /**
   * The status under the step: `{ kind: '' | 'ok' | 'miss', text, strong? }` — 'ok' with the
   * words after "Done.", 'miss' with the hint after "Not quite.".
   */
  status(heard = null) {
    const { lesson, index } = this.current;
    const step = this.step;
    if (heard === 'miss') {
      return { kind: 'miss', strong: 'Not quite.', text: step.hint ?? 'That is the right command, but not quite what this step asks: compare it with the line above.' };
    }
    if (this.done) {
      const last = index === lesson.steps.length - 1;
      return { kind: 'ok', strong: 'Done.', text: last ? ' That was the last step of this lesson.' : ' On to the next step when you are ready.' };
    }
    if (step.advance !== undefined) return { kind: '', text: 'Jump the clock, or let the world clock run that far.' };
    return { kind: '', text: 'Type the command in the console and press Enter.' };
  }

  /** "Step 2 of 6 · 1 done", and each dot's class. */
  meta() {
    const { lesson, index } = this.current;
    const n = lesson.steps.length;
    return {
      text: `Step ${index + 1} of ${n} · ${Math.min(this.progress.doneCount(lesson.id), n)} done`,
      dots: lesson.steps.map((_, i) => `${this.progress.isDone(lesson.id, i) ? 'lx-dot-done' : ''}${i === index ? ' lx-dot-current' : ''}`.trim()),
      prevDisabled: index === 0,
      next: index === n - 1 ? 'Finish' : 'Next →',
    };
  }

  /** A lesson card in the list: its meter, count and button. */
  card(lesson) {
    const n = lesson.steps.length;
    const done = Math.min(this.progress.doneCount(lesson.id), n);
    const label = done === 0 && this.progress.stepOf(lesson.id) === 0 ? 'Start' : done === n ? 'Review' : 'Continue';
    return {
      width: `${Math.round((100 * done) / n)}%`,
      count: done === n ? `All ${n} steps done` : `${done} of ${n} steps done`,
      complete: done === n,
      button: label,
      label: `${label} lesson: ${lesson.title}`,
    };
  }
}
