// The examples gallery and the guided lessons, in the left pane.
//
//   mountLessons({ root, engine, console, scheduler })  → { ready, destroy() }
//
// The content is data (www/lessons/*.json, loaded by data.js). Two tabs:
//   Examples  one collapsible group per data type; each step's Run button runs its line in the
//             console (console.run: echo, reply, history, exactly as if typed); a clock step's
//             button jumps the world clock (engine.advance).
//   Lessons   the use-case lessons, try.redis style: one step at a time with Previous/Next
//             (also Alt+N / Alt+Shift+N), the step's explanation and command, a "Type it for me"
//             button, and a status that turns to "Done" when a line the console ran (console.onCommand,
//             whoever typed it) satisfies the step's check (checks.js). A clock step is done once
//             the world clock has moved far enough. Progress is kept in localStorage (progress.js).
//
// What the guided view shows and when a step is done is guide.js's (Guide, no DOM); this
// module draws it. A clock step is looked at on every world the scheduler publishes.
// Checks never run commands on the console's client: they look at the learner's own line and
// the text it printed, and at most read a key of the active console's db (console.activeDb())
// through engine.inspect(), which is not an access (no stats, no prompt or db change). Every
// text from the data files is inserted as text.
import { loadLessons } from './data.js';
import { Progress } from './progress.js';
import { keyLookup, splitterOf } from './checks.js';
import { Guide } from './guide.js';
import { formatDuration } from '../format.js';
import { formatTime } from '../clock/format.js';
import { h } from '../dom.js';

const TABS = [
  { id: 'examples', label: 'Examples' },
  { id: 'lessons', label: 'Lessons' },
];

export function mountLessons({ root, engine, console: cli, scheduler, load = loadLessons, storage } = {}) {
  const progress = new Progress(storage);
  const lookupKey = keyLookup(engine, () => cli.activeDb?.() ?? 0);
  const split = splitterOf(engine);
  const now = () => engine.now();
  const cleanups = [];

  const box = h('div', { class: 'lx' });
  const announcer = h('div', { class: 'lx-sr', role: 'status', 'aria-live': 'polite' });
  root.replaceChildren(box, announcer);
  root.setAttribute('aria-busy', 'true');
  box.append(h('p', { class: 'lx-loading', text: 'Loading examples and lessons…' }));

  const announce = (msg) => {
    announcer.textContent = '';
    setTimeout(() => { announcer.textContent = msg; }, 30);
  };

  let data = null;

  /** Jump the world clock; the console says so too (a jump is part of the story it tells). */
  function jump(ms) {
    engine.advance(ms);
    cli.note?.(`◷ World clock jumped ${formatDuration(ms)} ahead, to ${formatTime(engine.now())}`);
    announce(`World clock jumped ${formatDuration(ms)} ahead.`);
  }

  /** What an example prints, as the data says (its first lines), under its command. */
  function expectation(step) {
    if (step.expect === undefined) return null;
    const lines = Array.isArray(step.expect) ? step.expect : String(step.expect).split('\n');
    const shown = lines.length > 4 ? [...lines.slice(0, 3), `… (${lines.length} lines)`] : lines;
    return h('pre', { class: 'lx-expect', 'aria-label': `It prints: ${shown.join(' ')}` }, shown.join('\n'));
  }

  // --- tabs --------------------------------------------------------------------------------

  const tabButtons = {};
  const panels = {};

  function selectTab(id, { focus = false } = {}) {
    for (const t of TABS) {
      const on = t.id === id;
      tabButtons[t.id].setAttribute('aria-selected', String(on));
      tabButtons[t.id].tabIndex = on ? 0 : -1;
      panels[t.id].hidden = !on;
    }
    if (focus) tabButtons[id].focus();
    if (progress.tab !== id) progress.tab = id;
  }

  function buildTabs() {
    const list = h('div', { class: 'lx-tabs', role: 'tablist', 'aria-label': 'Examples and lessons' });
    TABS.forEach((t, i) => {
      const b = h('button', {
        class: 'lx-tab', type: 'button', role: 'tab', id: `lx-tab-${t.id}`, 'aria-controls': `lx-panel-${t.id}`,
        onclick: () => selectTab(t.id),
        onkeydown: (ev) => {
          const moves = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: TABS.length - 1 };
          if (!(ev.key in moves)) return;
          ev.preventDefault();
          selectTab(TABS[(moves[ev.key] + TABS.length) % TABS.length].id, { focus: true });
        },
      }, t.label);
      tabButtons[t.id] = b;
      list.append(b);
      panels[t.id] = h('section', {
        class: `lx-panel lx-panel-${t.id}`, role: 'tabpanel', id: `lx-panel-${t.id}`, 'aria-labelledby': `lx-tab-${t.id}`,
      });
    });
    return list;
  }

  // --- examples ----------------------------------------------------------------------------

  function stepRow(step) {
    const li = h('li', { class: 'lx-step' });
    if (step.advance !== undefined) {
      const d = formatDuration(step.advance);
      li.classList.add('lx-step-clock');
      li.append(h('div', { class: 'lx-line' },
        h('span', { class: 'lx-clock' }, h('span', { class: 'lx-clock-icon', 'aria-hidden': 'true' }, '◷'), ` World clock +${d}`),
        h('button', {
          class: 'lx-run', type: 'button', 'aria-label': `Jump the world clock ${d} ahead`,
          title: 'Move the world clock forward: TTLs count down, keys expire',
          onclick: () => { jump(step.advance); li.classList.add('lx-ran'); },
        }, 'Jump')));
    } else {
      li.append(h('div', { class: 'lx-line' },
        h('code', { class: 'lx-cmd' }, step.command),
        h('button', {
          class: 'lx-run', type: 'button', 'aria-label': `Run ${step.command}`,
          title: 'Type this command into the console and run it',
          onclick: () => { cli.run(step.command); li.classList.add('lx-ran'); },
        }, 'Run')));
      const expected = expectation(step);
      if (expected) li.append(expected);
    }
    if (step.text) li.append(h('p', { class: 'lx-note' }, step.text));
    return li;
  }

  function buildExamples() {
    const panel = panels.examples;
    panel.append(h('p', { class: 'lx-intro' },
      'Every data type, one command at a time. ',
      h('strong', {}, 'Run'), ' types a command into the console and runs it.'));
    const open = new Set(progress.groups ?? [data.examples.groups[0]?.id]);
    for (const g of data.examples.groups) {
      const details = h('details', { class: 'lx-group', id: `example-${g.id}`, 'data-group': g.id, open: open.has(g.id) },
        h('summary', {},
          h('span', { class: 'lx-group-title' }, g.title),
          h('span', { class: 'lx-count' }, `${g.steps.length} steps`)));
      if (g.summary) details.append(h('p', { class: 'lx-group-summary' }, g.summary));
      const ol = h('ol', { class: 'lx-steps', 'aria-label': `${g.title} examples` });
      for (const s of g.steps) ol.append(stepRow(s));
      details.append(ol, h('div', { class: 'lx-group-foot' },
        h('button', {
          class: 'lx-runall', type: 'button', 'aria-label': `Run all ${g.steps.length} ${g.title} examples in order`,
          onclick: () => {
            for (const s of g.steps) {
              if (s.advance !== undefined) jump(s.advance);
              else cli.run(s.command);
            }
            for (const li of ol.querySelectorAll('.lx-step')) li.classList.add('lx-ran');
            announce(`Ran the ${g.title} examples.`);
          },
        }, 'Run all')));
      details.addEventListener('toggle', () => {
        progress.groups = [...panel.querySelectorAll('details.lx-group')].filter((d) => d.open).map((d) => d.dataset.group);
      });
      panel.append(details);
    }
  }

  // --- lessons: the list ---------------------------------------------------------------------

  const cards = {};
  let guide = null; // the guided view's elements, once built
  let g = null; // its state (guide.js)

  function refreshCard(lesson) {
    const c = cards[lesson.id];
    if (!c) return;
    const v = g.card(lesson);
    c.meter.style.width = v.width;
    c.count.textContent = v.count;
    c.card.classList.toggle('lx-complete', v.complete);
    c.button.textContent = v.button;
    c.button.setAttribute('aria-label', v.label);
  }

  function buildLessonList() {
    const list = h('div', { class: 'lx-list' });
    list.append(h('p', { class: 'lx-intro' },
      'Real uses of Redis, a step at a time. Type each step\'s command in the console yourself ' +
      '(or let the lesson type it): the step says when your command did it.'));
    const ul = h('ul', { class: 'lx-cards' });
    data.lessons.forEach((lesson, i) => {
      const meter = h('span', { class: 'lx-meter-fill' });
      const count = h('span', { class: 'lx-card-count' });
      const button = h('button', { class: 'lx-start', type: 'button', onclick: () => openLesson(lesson.id, { focus: true }) });
      const card = h('li', { class: 'lx-card', 'data-lesson': lesson.id },
        h('h3', { class: 'lx-card-title' }, h('span', { class: 'lx-card-num', 'aria-hidden': 'true' }, `${i + 1}`), lesson.title),
        h('p', { class: 'lx-card-summary' }, lesson.summary),
        h('div', { class: 'lx-card-foot' },
          h('span', { class: 'lx-meter', 'aria-hidden': 'true' }, meter), count, button));
      cards[lesson.id] = { card, meter, count, button };
      ul.append(card);
      refreshCard(lesson);
    });
    list.append(ul, h('div', { class: 'lx-list-foot' },
      h('button', {
        class: 'lx-reset', type: 'button', 'aria-label': 'Forget my progress in every lesson',
        onclick: () => {
          progress.reset();
          data.lessons.forEach(refreshCard);
          announce('Lesson progress cleared.');
        },
      }, 'Reset progress')));
    return list;
  }

  // --- lessons: the guided view --------------------------------------------------------------

  function buildGuide() {
    const e = {};
    e.root = h('div', { class: 'lx-guide', hidden: true });
    e.back = h('button', {
      class: 'lx-back', type: 'button', 'aria-label': 'Back to all lessons',
      onclick: () => closeLesson({ focus: true }),
    }, '← All lessons');
    e.title = h('h2', { class: 'lx-title', tabindex: '-1' });
    e.meta = h('p', { class: 'lx-meta' });
    e.dots = h('ol', { class: 'lx-dots', 'aria-hidden': 'true' });
    e.body = h('div', { class: 'lx-body' });
    e.status = h('div', { class: 'lx-status', role: 'status', 'aria-live': 'polite' });
    e.catchup = h('div', { class: 'lx-catchup', hidden: true });
    e.prev = h('button', {
      class: 'lx-prev', type: 'button', 'aria-keyshortcuts': 'Alt+Shift+N', title: 'Previous step (Alt+Shift+N)',
      onclick: () => go(-1),
    }, '← Previous');
    e.next = h('button', {
      class: 'lx-next', type: 'button', 'aria-keyshortcuts': 'Alt+N', title: 'Next step (Alt+N)',
      onclick: () => go(+1),
    }, 'Next →');
    e.root.append(
      h('div', { class: 'lx-guide-head' }, e.back),
      e.title, e.meta, e.dots, e.catchup, e.body, e.status,
      h('div', { class: 'lx-nav' }, e.prev, e.next),
      h('p', { class: 'lx-keys' }, h('kbd', {}, 'Alt'), '+', h('kbd', {}, 'N'), ' next · ',
        h('kbd', {}, 'Alt'), '+', h('kbd', {}, 'Shift'), '+', h('kbd', {}, 'N'), ' previous'),
    );
    return e;
  }

  function openLesson(id, { focus = false, index } = {}) {
    const opened = g.open(id, { index, now: now() });
    if (!opened) return;
    guide.list.hidden = true;
    guide.root.hidden = false;
    guide.title.textContent = opened.lesson.title;
    guide.dots.replaceChildren(...opened.lesson.steps.map(() => h('li')));
    renderStep();
    if (focus) guide.title.focus();
  }

  function closeLesson({ focus = false } = {}) {
    const id = g.close();
    guide.root.hidden = true;
    guide.list.hidden = false;
    data.lessons.forEach(refreshCard);
    if (focus && id && cards[id]) cards[id].button.focus();
  }

  function go(delta, { fromKey = false } = {}) {
    const hadFocus = document.activeElement;
    const r = g.go(delta, { now: now() });
    if (!r) return;
    if (r.finished) {
      announce(`Lesson finished: ${r.finished.title}.`);
      closeLesson({ focus: !fromKey });
      return;
    }
    renderStep();
    if (hadFocus === guide.prev && guide.prev.disabled) guide.next.focus();
    const { lesson, index } = g.current;
    announce(`Step ${index + 1} of ${lesson.steps.length}. ${lesson.steps[index].text}`);
  }

  function renderStatus(heard = null) {
    const st = g.status(heard);
    guide.status.className = `lx-status${st.kind ? ` lx-status-${st.kind}` : ''}`;
    if (st.kind === 'ok') {
      guide.status.replaceChildren(h('span', { class: 'lx-tick', 'aria-hidden': 'true' }, '✓'), ' ', h('strong', {}, st.strong), st.text);
    } else if (st.kind === 'miss') {
      guide.status.replaceChildren(h('strong', {}, st.strong), ' ', st.text);
    } else {
      guide.status.replaceChildren(st.text);
    }
    guide.next.classList.toggle('lx-ready', st.kind === 'ok');
  }

  function renderMeta() {
    const m = g.meta();
    guide.meta.textContent = m.text;
    [...guide.dots.children].forEach((li, i) => { li.className = m.dots[i]; });
  }

  function renderStep() {
    const step = g.step;
    const m = g.meta();
    guide.prev.disabled = m.prevDisabled;
    guide.next.textContent = m.next;
    guide.next.classList.remove('lx-ready');

    const task = h('div', { class: 'lx-task' });
    if (step.advance !== undefined) {
      const d = formatDuration(step.advance);
      task.append(h('button', {
        class: 'lx-jump', type: 'button', 'aria-label': `Jump the world clock ${d} ahead`,
        onclick: () => { jump(step.advance); clock(now()); },
      }, h('span', { 'aria-hidden': 'true' }, '◷ '), `Jump the clock ${d} ahead`));
    } else {
      task.append(
        h('span', { class: 'lx-task-label' }, 'Type this'),
        h('code', { class: 'lx-cmd' }, step.command),
        h('button', {
          class: 'lx-type', type: 'button', 'aria-label': `Type it for me: ${step.command}`,
          title: 'Type this command into the console and run it',
          onclick: () => cli.run(step.command),
        }, 'Type it for me'));
    }
    guide.body.replaceChildren(h('p', { class: 'lx-text' }, step.text, ...stepLink(step)), task);
    const slow = timeOffer(step);
    if (slow) guide.body.append(slow);

    // After a reload the playground is fresh: offer to replay the earlier steps.
    const offer = g.catchUp();
    guide.catchup.hidden = !offer;
    guide.catchup.replaceChildren(...(offer ? [
      h('p', {}, offer.text),
      h('button', { class: 'lx-replay', type: 'button', onclick: () => replay(offer) }, offer.button),
    ] : []));
    renderStatus();
    renderMeta();
  }

  /** A step's link to another part of the page (`link: { href: "#retry", text }`; in-page only). */
  function stepLink(step) {
    const l = step.link;
    if (!l || typeof l.href !== 'string' || !l.href.startsWith('#') || typeof l.text !== 'string') return [];
    return [' ', h('a', { class: 'lx-link', href: l.href }, l.text)];
  }

  /**
   * A step whose command counts on time (a TTL, EXPIRE, a jump) while the world clock is
   * not at real time: say so and offer 1×. (A lesson's TTLs are worded in real seconds.)
   */
  function timeOffer(step) {
    const timed = step.advance !== undefined || /\b(EX|PX|EXAT|PXAT|EXPIRE|PEXPIRE|EXPIREAT|PEXPIREAT|SETEX|PSETEX|GETEX|TTL|PTTL)\b/i.test(step.command ?? '');
    let speed = 1;
    let paused = false;
    try {
      speed = Number(engine.speed());
      paused = Boolean(engine.isPaused());
    } catch { /* an engine without a clock: nothing to offer */ }
    if (!timed || (speed === 1 && !paused)) return null;
    const note = h('p', { class: 'lx-time-offer' },
      paused ? 'The world clock is paused: this step counts on time passing. '
        : `The world clock runs at ${speed}×: a TTL in this step passes ${speed} times faster than the text says. `,
      h('button', {
        class: 'lx-realtime', type: 'button',
        onclick: () => {
          engine.setSpeed(1);
          if (engine.isPaused()) engine.resume();
          window.redisPlayground?.clock?.refresh?.();
          note.remove();
          announce('The world clock is back at real time (1×).');
        },
      }, 'Back to 1×'));
    return note;
  }

  function replay(offer) {
    g.replaying = true;
    try {
      for (const s of offer.steps) {
        if (s.advance !== undefined) jump(s.advance);
        else cli.run(s.command);
      }
    } finally {
      g.replaying = false;
    }
    g.replayed(now());
    guide.catchup.hidden = true;
    guide.catchup.replaceChildren();
    announce(offer.done);
    (guide.body.querySelector('button') ?? guide.next).focus();
  }

  /** A step became done: its status, meta and card. */
  function stepDone(fresh = true) {
    renderStatus();
    renderMeta();
    if (fresh) refreshCard(g.current.lesson);
  }

  /** The world clock is at `t`: a clock step may be done. */
  function clock(t) {
    if (!g?.current || guide.root.hidden) return;
    if (g.clock(t) === 'done') stepDone();
  }

  function onCommand({ line, text }) {
    if (!g.current || guide.root.hidden) return;
    const before = g.done;
    const heard = g.heard({ line, text });
    if (heard === 'done') stepDone(!before);
    else if (heard === 'miss') renderStatus('miss');
  }

  function onKey(ev) {
    if (!g.current || guide.root.hidden || panels.lessons.hidden) return;
    if (!ev.altKey || ev.ctrlKey || ev.metaKey || ev.code !== 'KeyN') return;
    ev.preventDefault();
    go(ev.shiftKey ? -1 : +1, { fromKey: true });
  }

  /**
   * Deep links: `#lesson-<id>` opens that lesson, `#example-<id>` that example group, each
   * scrolled into view. Other fragments (`#retry`) are the page's.
   */
  function followHash(hash) {
    const m = /^#(lesson|example)-([a-z0-9-]+)$/.exec(String(hash ?? ''));
    if (!m || !data) return false;
    const [, kind, id] = m;
    if (kind === 'lesson') {
      if (!g.lesson(id)) return false;
      selectTab('lessons');
      openLesson(id);
      guide.root.scrollIntoView({ block: 'nearest' });
      return true;
    }
    const details = panels.examples.querySelector(`details[data-group="${id}"]`);
    if (!details) return false;
    selectTab('examples');
    details.open = true;
    details.scrollIntoView({ block: 'nearest' });
    return true;
  }

  // --- build -------------------------------------------------------------------------------

  function build(loaded) {
    data = loaded;
    const tabs = buildTabs();
    box.replaceChildren(tabs, panels.examples, panels.lessons);
    buildExamples();
    g = new Guide({ lessons: data.lessons, progress, split, lookupKey });
    guide = buildGuide();
    guide.list = buildLessonList();
    panels.lessons.append(guide.list, guide.root);
    selectTab(TABS.some((t) => t.id === progress.tab) ? progress.tab : 'examples');
    if (progress.open && g.lesson(progress.open)) openLesson(progress.open);
    followHash(location.hash);
    const onHash = () => followHash(location.hash);
    addEventListener('hashchange', onHash);
    cleanups.push(() => removeEventListener('hashchange', onHash));
    if (typeof cli.onCommand === 'function') cleanups.push(cli.onCommand(onCommand));
    // A clock step is done once the world clock has moved far enough: every tick looks.
    const off = scheduler?.subscribe((world) => clock(world.now));
    if (off) cleanups.push(off);
    document.addEventListener('keydown', onKey);
    cleanups.push(() => document.removeEventListener('keydown', onKey));
    root.removeAttribute('aria-busy');
    root.dataset.ready = 'true';
  }

  const ready = load().then(build, (e) => {
    console.error(e);
    box.replaceChildren(h('p', { class: 'lx-error' },
      `Could not load the examples and lessons (${e && e.message ? e.message : e}).`));
    root.removeAttribute('aria-busy');
  });

  return {
    ready,
    destroy() {
      for (const f of cleanups) if (typeof f === 'function') f();
    },
  };
}
