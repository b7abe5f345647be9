// The examples gallery and the guided lessons, in the left pane.
//
//   mountLessons({ root, engine, console })  → { ready, destroy() }
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
// Checks never run commands on the console's client: they look at the learner's own line and
// the text it printed, and at most read the keyspace through engine.keyspace(), which is not an
// access (no stats, no prompt or db change). Every text from the data files is inserted as text.
import { loadLessons } from './data.js';
import { Progress } from './progress.js';
import { commandName, evaluateCheck, keyLookup, splitterOf, stepCheck } from './checks.js';
import { formatDuration } from '../format.js';
import { h } from '../dom.js';


const TABS = [
  { id: 'examples', label: 'Examples' },
  { id: 'lessons', label: 'Lessons' },
];

/** Every command name a check can be satisfied by (for "not quite" feedback). */
function checkCommandNames(check, split, names = new Set()) {
  if (!check) return names;
  if (check.command) names.add(commandName(check.command, split));
  for (const c of check.anyOf ?? []) checkCommandNames(c, split, names);
  return names;
}

export function mountLessons({ root, engine, console: cli, scheduler, load = loadLessons, storage } = {}) {
  const progress = new Progress(storage);
  const lookupKey = keyLookup(engine, () => cli.activeDb?.() ?? 0);
  const split = splitterOf(engine);
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
  let guide = null; // the guided view, once built

  function jump(ms) {
    engine.advance(ms);
    announce(`World clock jumped ${formatDuration(ms)} ahead.`);
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
      const details = h('details', { class: 'lx-group', 'data-group': g.id, open: open.has(g.id) },
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
              if (s.advance !== undefined) engine.advance(s.advance);
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

  function refreshCard(lesson) {
    const c = cards[lesson.id];
    if (!c) return;
    const n = lesson.steps.length;
    const done = Math.min(progress.doneCount(lesson.id), n);
    c.meter.style.width = `${Math.round((100 * done) / n)}%`;
    c.count.textContent = done === n ? `All ${n} steps done` : `${done} of ${n} steps done`;
    c.card.classList.toggle('lx-complete', done === n);
    const label = done === 0 && progress.stepOf(lesson.id) === 0 ? 'Start' : done === n ? 'Review' : 'Continue';
    c.button.textContent = label;
    c.button.setAttribute('aria-label', `${label} lesson: ${lesson.title}`);
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

  const sessionActive = new Set(); // lessons whose steps ran in this page (their keys exist)
  let current = null; // { lesson, index, shownAt }
  let replaying = false;
  let watchingClock = false; // a clock step is shown: every world the scheduler publishes looks

  function buildGuide() {
    const g = {};
    g.root = h('div', { class: 'lx-guide', hidden: true });
    g.back = h('button', {
      class: 'lx-back', type: 'button', 'aria-label': 'Back to all lessons',
      onclick: () => closeLesson({ focus: true }),
    }, '← All lessons');
    g.title = h('h2', { class: 'lx-title', tabindex: '-1' });
    g.meta = h('p', { class: 'lx-meta' });
    g.dots = h('ol', { class: 'lx-dots', 'aria-hidden': 'true' });
    g.body = h('div', { class: 'lx-body' });
    g.status = h('div', { class: 'lx-status', role: 'status', 'aria-live': 'polite' });
    g.catchup = h('div', { class: 'lx-catchup', hidden: true });
    g.prev = h('button', {
      class: 'lx-prev', type: 'button', 'aria-keyshortcuts': 'Alt+Shift+N', title: 'Previous step (Alt+Shift+N)',
      onclick: () => go(-1),
    }, '← Previous');
    g.next = h('button', {
      class: 'lx-next', type: 'button', 'aria-keyshortcuts': 'Alt+N', title: 'Next step (Alt+N)',
      onclick: () => go(+1),
    }, 'Next →');
    g.root.append(
      h('div', { class: 'lx-guide-head' }, g.back),
      g.title, g.meta, g.dots, g.catchup, g.body, g.status,
      h('div', { class: 'lx-nav' }, g.prev, g.next),
      h('p', { class: 'lx-keys' }, h('kbd', {}, 'Alt'), '+', h('kbd', {}, 'N'), ' next · ',
        h('kbd', {}, 'Alt'), '+', h('kbd', {}, 'Shift'), '+', h('kbd', {}, 'N'), ' previous'),
    );
    return g;
  }

  function lessonById(id) {
    return data.lessons.find((l) => l.id === id) ?? null;
  }

  function openLesson(id, { focus = false, index } = {}) {
    const lesson = lessonById(id);
    if (!lesson) return;
    let i = index ?? progress.stepOf(id);
    if (i >= lesson.steps.length || (index === undefined && progress.doneCount(id) === lesson.steps.length)) i = 0;
    if (i === 0) sessionActive.add(id);
    progress.open = id;
    guide.list.hidden = true;
    guide.root.hidden = false;
    guide.title.textContent = lesson.title;
    guide.dots.replaceChildren(...lesson.steps.map(() => h('li')));
    showStep(lesson, i);
    if (focus) guide.title.focus();
  }

  function closeLesson({ focus = false } = {}) {
    const id = current?.lesson.id;
    current = null;
    stopClockWatch();
    progress.open = null;
    guide.root.hidden = true;
    guide.list.hidden = false;
    data.lessons.forEach(refreshCard);
    if (focus && id && cards[id]) cards[id].button.focus();
  }

  function go(delta, { fromKey = false } = {}) {
    if (!current) return;
    const { lesson, index } = current;
    const i = index + delta;
    if (i < 0) return;
    if (i >= lesson.steps.length) {
      announce(`Lesson finished: ${lesson.title}.`);
      closeLesson({ focus: !fromKey });
      return;
    }
    const hadFocus = document.activeElement;
    showStep(lesson, i);
    if (hadFocus === guide.prev && guide.prev.disabled) guide.next.focus();
    announce(`Step ${i + 1} of ${lesson.steps.length}. ${lesson.steps[i].text}`);
  }

  function setStatus(kind, ...content) {
    guide.status.className = `lx-status${kind ? ` lx-status-${kind}` : ''}`;
    guide.status.replaceChildren(...content);
  }

  function renderDone() {
    const { lesson, index } = current;
    const last = index === lesson.steps.length - 1;
    setStatus('ok', h('span', { class: 'lx-tick', 'aria-hidden': 'true' }, '✓'), ' ',
      h('strong', {}, 'Done.'), last ? ' That was the last step of this lesson.' : ' On to the next step when you are ready.');
    guide.next.classList.add('lx-ready');
  }

  function renderMeta() {
    const { lesson, index } = current;
    const n = lesson.steps.length;
    guide.meta.textContent = `Step ${index + 1} of ${n} · ${Math.min(progress.doneCount(lesson.id), n)} done`;
    [...guide.dots.children].forEach((li, i) => {
      li.className = `${progress.isDone(lesson.id, i) ? 'lx-dot-done' : ''}${i === index ? ' lx-dot-current' : ''}`.trim();
    });
  }

  function showStep(lesson, index) {
    const step = lesson.steps[index];
    current = { lesson, index, shownAt: engine.now() };
    progress.setStep(lesson.id, index);
    const n = lesson.steps.length;
    guide.prev.disabled = index === 0;
    guide.next.textContent = index === n - 1 ? 'Finish' : 'Next →';
    guide.next.classList.remove('lx-ready');

    const task = h('div', { class: 'lx-task' });
    if (step.advance !== undefined) {
      const d = formatDuration(step.advance);
      task.append(h('button', {
        class: 'lx-jump', type: 'button', 'aria-label': `Jump the world clock ${d} ahead`,
        onclick: () => { jump(step.advance); checkClock(); },
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
    guide.body.replaceChildren(h('p', { class: 'lx-text' }, step.text), task);

    // After a reload the playground is fresh: offer to replay the earlier steps.
    if (index > 0 && !sessionActive.has(lesson.id)) {
      guide.catchup.hidden = false;
      guide.catchup.replaceChildren(
        h('p', {}, 'The playground starts empty after a reload. Replay the earlier steps to get this lesson\'s keys back?'),
        h('button', { class: 'lx-replay', type: 'button', onclick: () => replayTo(lesson, index) },
          index === 1 ? 'Replay step 1' : `Replay steps 1–${index}`));
    } else {
      guide.catchup.hidden = true;
      guide.catchup.replaceChildren();
    }

    if (progress.isDone(lesson.id, index)) renderDone();
    else if (step.advance !== undefined) setStatus('', 'Jump the clock, or let the world clock run that far.');
    else setStatus('', 'Type the command in the console and press Enter.');
    renderMeta();
    stopClockWatch();
    watchingClock = step.advance !== undefined && !progress.isDone(lesson.id, index);
  }

  function replayTo(lesson, index) {
    replaying = true;
    try {
      for (const s of lesson.steps.slice(0, index)) {
        if (s.advance !== undefined) engine.advance(s.advance);
        else cli.run(s.command);
      }
    } finally {
      replaying = false;
    }
    sessionActive.add(lesson.id);
    guide.catchup.hidden = true;
    guide.catchup.replaceChildren();
    if (current) current.shownAt = engine.now();
    announce(`Replayed ${index === 1 ? 'step 1' : `steps 1 to ${index}`}.`);
    (guide.body.querySelector('button') ?? guide.next).focus();
  }

  function stepDone() {
    const { lesson, index } = current;
    const fresh = !progress.isDone(lesson.id, index);
    progress.markDone(lesson.id, index);
    sessionActive.add(lesson.id);
    stopClockWatch();
    renderDone();
    renderMeta();
    if (fresh) refreshCard(lesson);
  }

  function stopClockWatch() {
    watchingClock = false;
  }

  function checkClock() {
    if (!current || !watchingClock) return;
    const step = current.lesson.steps[current.index];
    if (step.advance === undefined || progress.isDone(current.lesson.id, current.index)) return;
    if (engine.now() - current.shownAt >= step.advance) stepDone();
  }

  function onCommand({ line, text }) {
    if (replaying || !current || guide.root.hidden) return;
    const step = current.lesson.steps[current.index];
    if (step.advance !== undefined) return;
    const check = stepCheck(step);
    let ok = false;
    try {
      ok = evaluateCheck(check, { line, text, split, lookupKey });
    } catch (e) {
      console.error(`lesson ${current.lesson.id} step ${current.index + 1}: bad check`, e);
    }
    if (ok) {
      stepDone();
      return;
    }
    if (checkCommandNames(check, split).has(commandName(line, split))) {
      setStatus('miss', h('strong', {}, 'Not quite.'), ' ',
        step.hint ?? 'That is the right command, but not quite what this step asks: compare it with the line above.');
      guide.next.classList.remove('lx-ready');
    }
  }

  function onKey(ev) {
    if (!current || guide.root.hidden || panels.lessons.hidden) return;
    if (!ev.altKey || ev.ctrlKey || ev.metaKey || ev.code !== 'KeyN') return;
    ev.preventDefault();
    go(ev.shiftKey ? -1 : +1, { fromKey: true });
  }

  // --- build -------------------------------------------------------------------------------

  function build(loaded) {
    data = loaded;
    const tabs = buildTabs();
    box.replaceChildren(tabs, panels.examples, panels.lessons);
    buildExamples();
    guide = buildGuide();
    guide.list = buildLessonList();
    panels.lessons.append(guide.list, guide.root);
    selectTab(TABS.some((t) => t.id === progress.tab) ? progress.tab : 'examples');
    if (progress.open && lessonById(progress.open)) openLesson(progress.open);
    if (typeof cli.onCommand === 'function') cleanups.push(cli.onCommand(onCommand));
    const off = scheduler?.subscribe(() => checkClock());
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
      stopClockWatch();
      for (const f of cleanups) if (typeof f === 'function') f();
    },
  };
}
