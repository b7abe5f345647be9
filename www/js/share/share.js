// Share links: open a link and its scenario runs in a fresh world; the "Share" button makes one.
//
//   mountShare({ engine, console, persistence, notices, button })
//     → { handleLocation(), openDialog({ lines }), linkFor(lines) }
//
// Opening a link (on load, and when a #run= fragment is pasted into this tab):
//   - in a frame, nothing runs: another site could overlay the Run button (the server's
//     headers forbid framing too; this is for a host that sends none);
//   - the fragment is decoded and every line checked (codec.js, validate.js); a link with any
//     refused line runs nothing and says which lines and why;
//   - the page always shows what the link will run and asks first; when the learner has keys
//     it says they will be replaced and kept aside (persistence's kept playgrounds, listed
//     under Data, each restorable until the learner deletes it: a second link never
//     replaces the first one's keeping). Cancel runs nothing;
//   - the world is reset (engine.resetWorld()), the console cleared, and the lines run through
//     the console as if typed (echo, reply, history) within runner.js's bounds: so much
//     memory, so much time; a notice says what ran and what was refused or left;
//   - the fragment is removed (history.replaceState), so a reload does not run it again.
// The dialog builds a link from the console history (the last N lines) or a lesson's commands,
// editable in a textarea, and shows the URL with a Copy button.
//
// Everything from a link is text: lines go through console.run (text rendering), messages
// through textContent. Nothing is ever inserted as HTML.
import { decodeFragment, encodeScenario, isShareFragment, scenarioLines, LIMITS, ShareError } from './codec.js';
import { scenarioChecker, clip } from './validate.js';
import { runLines, LINK_BUDGET } from './runner.js';
import { h, openDialog, mountNotices } from '../persist/ui.js';
import { STORAGE_KEY as HISTORY_KEY } from '../console/history.js';

const DEFAULT_LAST = 20;
const MAX_LISTED = 12; // refused lines listed in a notice

function keyCount(engine) {
  return Array.from(engine.dbSizes?.() ?? []).reduce((a, b) => a + b, 0);
}

function plural(n, one, many = `${one}s`) {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** Whether this page is inside another page's frame (reading `top` can throw cross-origin). */
export function framed() {
  try {
    return window.top !== window.self;
  } catch {
    return true;
  }
}

/** What the notice says once a link has run (`r`: runner.js's result). */
function ranText(r) {
  const mib = Math.round(LINK_BUDGET.memoryBytes / (1024 * 1024));
  let text = r.stopped
    ? `This page opened a shared link and stopped it ${{ time: `after ${LINK_BUDGET.timeMs / 1000} s`, script: 'when one of its scripts ran too long (stopped as SCRIPT KILL stops it)' }[r.stopped] ?? 'when you asked'}: it ran ${r.ran.toLocaleString('en-US')} of ${plural(r.total, 'command')} in a fresh world, shown in the console; the rest were not run.`
    : `This page opened a shared link: it ran ${plural(r.total, 'command')} in a fresh world, shown in the console.`;
  if (r.refusedForMemory > 0) {
    text += ` ${plural(r.refusedForMemory, 'command')} ${r.refusedForMemory === 1 ? 'was' : 'were'} refused with Redis's OOM error: a shared link may make the playground hold at most ${mib} MiB more.`;
  }
  return text;
}

/** The Copy button copies the link field's URL and says so in `copied` (the clipboard, or a selection to copy by hand). */
function wireCopy(copy, url, copied) {
  copy.addEventListener('click', async () => {
    if (!url.value) return;
    let ok = false;
    try {
      await navigator.clipboard.writeText(url.value);
      ok = true;
    } catch {
      url.focus();
      url.select();
      try { ok = document.execCommand('copy'); } catch { ok = false; }
    }
    copied.textContent = ok ? 'Copied.' : 'Select the link and copy it (Ctrl+C).';
  });
  url.addEventListener('focus', () => url.select());
}

/**
 * A dialog showing a ready link with the Share dialog's Copy button (the retry simulation's
 * "Share this run"): `intro` and `details` are texts, shown as text.
 */
export function openLinkDialog({ title, intro, details = [], url, className = 'share-dialog share-link-dialog' }) {
  const urlId = `share-url-${Math.random().toString(36).slice(2, 8)}`;
  const input = h('input', { id: urlId, class: 'pg-input share-url', type: 'text', readonly: true, 'aria-label': 'The link', value: url });
  const copied = h('span', { class: 'share-copied', role: 'status' });
  const copy = h('button', { type: 'button', class: 'pg-button primary share-copy', text: 'Copy link' });
  wireCopy(copy, input, copied);
  return openDialog({
    title,
    className,
    body: [
      h('p', { class: 'pg-muted', text: intro }),
      ...details.map((d) => h('p', { class: 'share-status', text: d })),
      h('label', { class: 'share-label', for: urlId, text: 'Link' }),
      h('div', { class: 'share-row share-url-row' }, input, copy),
      copied,
    ],
    buttons: [{ label: 'Close', value: null }],
    onOpen: () => copy.focus(),
  });
}

export function mountShare({ engine, console: ui, persistence = null, notices = mountNotices(), button = document.getElementById('share-button') } = {}) {
  const check = scenarioChecker(engine);
  const sessionLines = []; // lines run in this page, when localStorage keeps no history
  ui?.onCommand?.(({ line }) => { if (line.trim()) sessionLines.push(line); });

  function baseUrl() {
    return `${location.origin}${location.pathname}${location.search}`;
  }

  function dropFragment() {
    try {
      history.replaceState(history.state, '', baseUrl());
    } catch { /* sandboxed: leave it */ }
  }

  function refusedNotice(reason, details = []) {
    notices.show({ id: 'share', kind: 'error', text: `This link was not run: ${reason}.`, details });
  }

  let handling = false;

  /** Run the scenario of location.hash, if it is a share link. */
  async function handleLocation() {
    const hash = location.hash;
    if (!isShareFragment(hash) || handling) return;
    handling = true;
    try {
      if (framed()) {
        refusedNotice('this page is inside a frame on another page, where it cannot show you safely what a link runs');
        return;
      }
      let lines;
      try {
        lines = await decodeFragment(hash);
      } catch (e) {
        refusedNotice(e instanceof ShareError ? e.message : 'its data is damaged');
        return;
      }
      const v = check(lines);
      if (!v.ok) {
        const details = v.refused.slice(0, MAX_LISTED).map((r) => `line ${r.n}: ${clip(r.line)} — ${r.reason}`);
        if (v.refused.length > MAX_LISTED) details.push(`… and ${v.refused.length - MAX_LISTED} more`);
        refusedNotice(`${plural(v.refused.length, 'line')} ${v.refused.length === 1 ? 'is' : 'are'} not allowed in a shared link`, details);
        return;
      }
      // A saved world still loading would arrive after the link ran: wait for it, so the
      // question counts the learner's keys and keeps them aside.
      await persistence?.settled;
      const keys = keyCount(engine);
      const choice = await openDialog({
        title: 'Run a shared scenario?',
        className: 'share-run-dialog',
        body: [
          h('p', {
            text: keys > 0
              ? `This link runs ${plural(lines.length, 'command')} in a fresh world; your current keys (${keys.toLocaleString('en-US')}) will be replaced.`
              : `This link runs ${plural(lines.length, 'command')} in a fresh world:`,
          }),
          keys > 0 ? h('p', { class: 'pg-muted', text: 'Your current keys are kept aside: Data → Kept playgrounds brings them back.' }) : null,
          h('pre', { class: 'share-preview', tabindex: '0', 'aria-label': 'The commands', text: lines.map((l) => clip(l)).join('\n') }),
        ].filter(Boolean),
        buttons: [
          { label: 'Cancel', value: null },
          { label: 'Run', value: 'run', primary: true, autofocus: true },
        ],
      });
      if (choice !== 'run') {
        notices.show({ id: 'share', kind: 'info', text: `The shared link was not run; ${keys > 0 ? 'your keys are as they were' : 'nothing changed'}.` });
        return;
      }
      if (keys > 0) await persistence?.keepCurrentAside?.('before you ran a shared link');
      engine.resetWorld?.();
      ui.clear?.();
      const stop = new AbortController();
      const result = await runLines({
        lines,
        run: (line) => ui.run(line),
        engine,
        signal: stop.signal,
        onProgress: (r) => notices.show({
          id: 'share',
          kind: 'info',
          text: `Running a shared link: ${r.ran.toLocaleString('en-US')} of ${plural(r.total, 'command')}…`,
          actions: [{ label: 'Stop', onClick: () => stop.abort() }],
        }),
      });
      persistence?.changed?.();
      notices.show({ id: 'share', kind: result.stopped || result.refusedForMemory ? 'warning' : 'info', text: ranText(result) });
      ui.focus?.();
    } finally {
      dropFragment();
      handling = false;
    }
  }

  /** The link for some lines: { url, fragment, lines, refused, tooLong }. */
  async function linkFor(lines) {
    const v = check(lines);
    const fragment = await encodeScenario(v.lines.join('\n'));
    return {
      url: baseUrl() + fragment,
      fragment,
      lines: v.lines,
      refused: v.refused,
      tooLong: fragment.length > LIMITS.fragmentChars,
      tooMany: v.lines.length > LIMITS.lines,
    };
  }

  function historyLines() {
    const hook = ui?.history;
    if (hook && typeof hook.lines === 'function') return hook.lines();
    try {
      const v = JSON.parse(localStorage.getItem(HISTORY_KEY) ?? 'null');
      if (Array.isArray(v)) return v.filter((x) => typeof x === 'string');
    } catch { /* blocked */ }
    return sessionLines.slice();
  }

  /** The shareable lines among the last `n` of the history (refused ones left out). */
  function lastShareable(n) {
    const all = historyLines().filter((l) => l.trim() !== '');
    const ok = [];
    for (let i = all.length - 1; i >= 0 && ok.length < n; i--) {
      if (check([all[i]]).ok) ok.unshift(all[i]);
    }
    return ok;
  }

  let lessonsPromise = null;
  function lessons() {
    lessonsPromise ??= import('../lessons/data.js').then((m) => m.loadLessons()).catch((e) => {
      console.warn('share: lessons unavailable', e);
      return { examples: { groups: [] }, lessons: [] };
    });
    return lessonsPromise;
  }

  async function openShareDialog({ lines = null } = {}) {
    const sourceId = 'share-source';
    const lastId = 'share-last';
    const textId = 'share-text';
    const urlId = 'share-url';
    const source = h('select', { id: sourceId, class: 'pg-input' },
      h('option', { value: 'history', text: 'Console history' }));
    const last = h('input', { id: lastId, class: 'pg-input share-last', type: 'number', min: '1', max: String(LIMITS.lines), value: String(DEFAULT_LAST) });
    const lastWrap = h('label', { class: 'share-last-label', for: lastId }, 'last ', last, ' commands');
    const text = h('textarea', { id: textId, class: 'pg-input share-text', rows: '10', spellcheck: 'false', autocomplete: 'off', 'aria-describedby': 'share-status' });
    const status = h('p', { class: 'share-status', id: 'share-status', role: 'status' });
    const refusedList = h('ul', { class: 'share-refused', hidden: true });
    const url = h('input', { id: urlId, class: 'pg-input share-url', type: 'text', readonly: true, 'aria-label': 'The link' });
    const copied = h('span', { class: 'share-copied', role: 'status' });
    const copy = h('button', { type: 'button', class: 'pg-button primary share-copy', text: 'Copy link' });

    let seq = 0;
    async function update() {
      const mine = ++seq;
      const lines = scenarioLines(text.value);
      copied.textContent = '';
      if (lines.length === 0) {
        status.textContent = 'No commands yet: type some, one a line, or pick a source above.';
        status.className = 'share-status';
        refusedList.hidden = true;
        url.value = '';
        copy.disabled = true;
        return;
      }
      const link = await linkFor(lines);
      if (mine !== seq) return;
      const problems = [];
      if (link.refused.length) problems.push(`${plural(link.refused.length, 'line')} cannot be shared and ${link.refused.length === 1 ? 'is' : 'are'} left out`);
      if (link.tooMany) problems.push(`a link holds at most ${LIMITS.lines} commands`);
      if (link.tooLong) problems.push(`the link is too long (${link.fragment.length.toLocaleString('en-US')} of ${LIMITS.fragmentChars.toLocaleString('en-US')} characters): remove some lines`);
      const bad = link.tooLong || link.tooMany || link.lines.length === 0;
      status.textContent = `${plural(link.lines.length, 'command')} · ${link.url.length.toLocaleString('en-US')} characters` +
        (problems.length ? ` — ${problems.join('; ')}.` : '.');
      status.className = `share-status${bad ? ' bad' : problems.length ? ' warn' : ''}`;
      refusedList.replaceChildren(...link.refused.slice(0, MAX_LISTED).map((r) => h('li', { text: `${clip(r.line, 80)} — ${r.reason}` })));
      refusedList.hidden = link.refused.length === 0;
      url.value = bad ? '' : link.url;
      copy.disabled = bad;
    }

    function fill() {
      const v = source.value;
      last.disabled = v !== 'history';
      lastWrap.classList.toggle('disabled', v !== 'history');
      if (v === 'history') {
        const n = Math.max(1, Math.min(LIMITS.lines, Number(last.value) || DEFAULT_LAST));
        text.value = lastShareable(n).join('\n');
      } else {
        const [kind, id] = v.split(':');
        lessons().then((data) => {
          const list = kind === 'lesson' ? data.lessons : data.examples.groups;
          const item = list.find((x) => x.id === id);
          text.value = (item?.steps ?? []).filter((s) => typeof s.command === 'string').map((s) => s.command).join('\n');
          update();
        });
        return;
      }
      update();
    }

    source.addEventListener('change', fill);
    last.addEventListener('input', fill);
    text.addEventListener('input', update);
    wireCopy(copy, url, copied);

    const body = [
      h('p', { class: 'pg-muted', text: 'Anyone who opens the link gets a fresh playground that runs these commands, one a line. Links carry Redis commands only.' }),
      h('div', { class: 'share-row' }, h('label', { for: sourceId, text: 'From' }), source, lastWrap),
      h('label', { class: 'share-label', for: textId, text: 'Commands' }),
      text,
      status,
      refusedList,
      h('label', { class: 'share-label', for: urlId, text: 'Link' }),
      h('div', { class: 'share-row share-url-row' }, url, copy),
      copied,
    ];

    if (lines) {
      text.value = lines.join('\n');
      update();
    } else {
      fill();
    }
    // The lessons and examples as sources, once loaded.
    lessons().then((data) => {
      const lessonGroup = h('optgroup', { label: 'Lessons' }, data.lessons.map((l) => h('option', { value: `lesson:${l.id}`, text: l.title })));
      const exampleGroup = h('optgroup', { label: 'Examples' }, (data.examples.groups ?? []).map((g) => h('option', { value: `example:${g.id}`, text: g.title })));
      if (data.lessons.length) source.append(lessonGroup);
      if (data.examples.groups?.length) source.append(exampleGroup);
    });

    await openDialog({
      title: 'Share a scenario',
      className: 'share-dialog',
      body,
      buttons: [{ label: 'Close', value: null }],
      onOpen: () => text.focus(),
    });
    ui?.focus?.();
  }

  if (button) {
    button.disabled = false;
    button.addEventListener('click', () => openShareDialog());
  }
  addEventListener('hashchange', () => handleLocation());

  return { handleLocation, openDialog: openShareDialog, linkFor, ready: handleLocation() };
}
