// What the lessons pane remembers across reloads, in localStorage under one key:
//   { v: 1, tab: 'examples' | 'lessons', open: lessonId | null, step: { [lessonId]: index },
//     done: { [lessonId]: [stepIndex, …] }, groups: [open example group ids] }
// Storage that is blocked or full just means nothing is remembered.

export const STORAGE_KEY = 'redis-playground:lessons';

function blank() {
  return { v: 1, tab: 'examples', open: null, step: {}, done: {}, groups: null };
}

export class Progress {
  constructor(storage = globalThis.localStorage) {
    this.storage = storage;
    this.state = blank();
    try {
      const saved = JSON.parse(storage?.getItem(STORAGE_KEY) ?? 'null');
      if (saved && saved.v === 1) this.state = { ...blank(), ...saved };
    } catch {
      /* unreadable: start afresh */
    }
  }

  save() {
    try {
      this.storage?.setItem(STORAGE_KEY, JSON.stringify(this.state));
    } catch {
      /* in memory only */
    }
  }

  get tab() { return this.state.tab; }
  set tab(t) { this.state.tab = t; this.save(); }

  get open() { return this.state.open; }
  set open(id) { this.state.open = id; this.save(); }

  stepOf(id) { return this.state.step[id] ?? 0; }
  setStep(id, i) { this.state.step[id] = i; this.save(); }

  isDone(id, i) { return (this.state.done[id] ?? []).includes(i); }
  doneCount(id) { return (this.state.done[id] ?? []).length; }
  markDone(id, i) {
    const list = this.state.done[id] ?? [];
    if (!list.includes(i)) {
      list.push(i);
      list.sort((a, b) => a - b);
      this.state.done[id] = list;
      this.save();
    }
  }

  get groups() { return this.state.groups; }
  set groups(list) { this.state.groups = list; this.save(); }

  reset() {
    const tab = this.state.tab;
    this.state = { ...blank(), tab };
    this.save();
  }
}
