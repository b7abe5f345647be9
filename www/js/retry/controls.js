// The simulation's controls: presets, the basic settings, the advanced ones in a <details>,
// the buttons (start, pause/resume, step, reset) and the place errors are shown.
//
//   const controls = mountControls(root, { onStart, onPause, onStep, onReset });
//   controls.read()  → { config, errors: [{ field, message }], speedChoice, idlePolls }
//   controls.showError('outage: the window must end after it starts')   (the engine's text)
//
// Durations are typed with units (`90s`, `5m`, `2h`, `1h30m`; a bare number is seconds).
import { h, setText, setAttr, uid, parseDuration, durationText, fmtInt } from './util.js';
import { PRESETS, SEED_INTERVALS_S, describeDelays } from './schedule.js';

const DEFAULTS = {
  polling: true, events: true, queue: true, stream: true,
  operations: 100, failurePercent: 50,
  outage: false, outageStart: '0s', outageEnd: '10m',
  backoff: 'list', intervals: SEED_INTERVALS_S.map((s) => durationText(s * 1000)).join(', '), testMode: false,
  baseS: '10s', factor: 2, capS: '10m',
  jitter: 'none', maxRetries: 6,
  arrivalSpread: '1m', seed: 1,
  pollInterval: '1s', pollers: 1, idlePolls: 'auto',
  listeners: 1, listenerOutage: false, listenerOutageStart: '2m', listenerOutageEnd: '3m',
  queueWorkers: 3, queuePoll: '1s', queueBatch: 100, queueClaim: 'perEntry',
  streamReclaim: '1s', streamMinIdle: '',
  bucket: 'auto', speedOnStart: 'suggest',
  capacity: '', budget: false, budgetPercent: 20, budgetMinPerS: 1, breaker: false, breakerFailures: 5, breakerOpen: '30s',
};

/** Which inputs an engine error's field names. */
const ERROR_FIELDS = {
  outage: ['outageStart', 'outageEnd'],
  listener_outage: ['listenerOutageStart', 'listenerOutageEnd'],
  failure_probability: ['failurePercent'],
  schedule: ['intervals'],
  'schedule.factor': ['factor'],
  strategies: ['polling', 'events', 'queue', 'stream'],
  'budget.percent': ['budgetPercent'],
  'budget.min_per_s': ['budgetMinPerS'],
};

export function mountControls(root, { onStart, onPause, onStep, onReset }) {
  const inputs = {};
  const errorId = uid('rs-error');

  /** A labelled input. kind: 'number' | 'text' | 'checkbox' | 'select'. */
  function field(name, label, kind, opts = {}) {
    const id = uid(`rs-${name}`);
    let input;
    if (kind === 'select') {
      input = h('select', { id, className: 'rs-input', name },
        opts.options.map(([value, text]) => h('option', { value, text })));
    } else if (kind === 'checkbox') {
      input = h('input', { id, type: 'checkbox', name, className: 'rs-check' });
    } else {
      input = h('input', {
        id, name, className: `rs-input${opts.wide ? ' rs-wide' : ''}`, type: kind === 'number' ? 'number' : 'text',
        min: opts.min, max: opts.max, step: opts.step, inputmode: kind === 'number' ? 'decimal' : undefined,
        autocomplete: 'off', spellcheck: 'false', title: opts.title, placeholder: opts.placeholder,
      });
    }
    inputs[name] = input;
    const hint = opts.hint ? h('span', { className: 'rs-hint', id: `${id}-hint`, text: opts.hint }) : null;
    if (hint) input.setAttribute('aria-describedby', hint.id);
    if (kind === 'checkbox') {
      return h('label', { className: `rs-field rs-field-check${opts.className ? ` ${opts.className}` : ''}`, for: id }, input, h('span', { text: label }), hint);
    }
    return h('div', { className: `rs-field${opts.className ? ` ${opts.className}` : ''}` },
      h('label', { for: id, text: label }), input, hint);
  }

  const presetNote = h('p', { className: 'rs-preset-note', 'aria-live': 'polite' });
  const presetButtons = PRESETS.map((p) => h('button', {
    type: 'button', className: 'rs-preset', 'data-preset': p.id, title: p.description, 'aria-pressed': 'false',
    onclick: () => { applyPreset(p.id); },
  }, p.label));

  const delaysNote = h('p', { className: 'rs-delays', 'aria-live': 'polite' });

  const startButton = h('button', { type: 'button', className: 'rs-button rs-start', onclick: () => onStart() },
    h('span', { 'aria-hidden': 'true', text: '▶ ' }), 'Start');
  const pauseLabel = h('span', { text: 'Pause' });
  const pauseIcon = h('span', { 'aria-hidden': 'true', text: '❚❚ ' });
  const pauseButton = h('button', {
    type: 'button', className: 'rs-button rs-pause', title: 'Pause or resume the world clock (Alt+K)', onclick: () => onPause(),
  }, pauseIcon, pauseLabel);
  const stepButton = h('button', {
    type: 'button', className: 'rs-button rs-step', title: 'Pause, and run the simulation to its next retry attempt', onclick: () => onStep(),
  }, h('span', { 'aria-hidden': 'true', text: '►| ' }), 'Step');
  const resetButton = h('button', {
    type: 'button', className: 'rs-button rs-reset', title: 'Replay the same run from its start', onclick: () => onReset(),
  }, h('span', { 'aria-hidden': 'true', text: '↺ ' }), 'Reset');
  const error = h('p', { className: 'rs-error', id: errorId, role: 'alert', hidden: true });
  const status = h('p', { className: 'rs-status' });
  const speedNote = h('p', { className: 'rs-speed-note' });
  const idleNote = h('p', { className: 'rs-idle-note', hidden: true });

  const listBox = h('div', { className: 'rs-sched rs-sched-list' },
    field('intervals', 'Intervals (seconds, or with units)', 'text', { wide: true, hint: 'e.g. 5m, 10m, 15m, 2h, 4h, 6h; the last repeats if there are more retries' }));
  const expBox = h('div', { className: 'rs-sched rs-sched-exp rs-row' },
    field('baseS', 'Base', 'text', { hint: 'first delay' }),
    field('factor', 'Factor', 'number', { min: 1, max: 10, step: 'any' }),
    field('capS', 'Cap', 'text', { hint: 'longest delay' }));
  const outageBox = h('div', { className: 'rs-row rs-window' },
    field('outageStart', 'Outage from', 'text'),
    field('outageEnd', 'to', 'text'));
  const budgetBox = h('div', { className: 'rs-row rs-window' },
    field('budgetPercent', 'Extra load (%)', 'number', { min: 0, max: 1000, step: 'any', hint: 'retries per 100 original calls, over 10 s' }),
    field('budgetMinPerS', 'Floor (/s)', 'number', { min: 0, max: 1000, step: 'any', hint: 'retries a second always allowed' }));
  const breakerBox = h('div', { className: 'rs-row rs-window' },
    field('breakerFailures', 'Opens after (failures in a row)', 'number', { min: 1, max: 1000, step: 1 }),
    field('breakerOpen', 'Stays open for', 'text', { hint: 'then one probe call (half-open)' }));
  const listenerBox = h('div', { className: 'rs-row rs-window' },
    field('listenerOutageStart', 'Listeners down from', 'text'),
    field('listenerOutageEnd', 'to', 'text'));

  const form = h('form', { className: 'rs-form', 'aria-label': 'Simulation settings', novalidate: true },
    h('div', { className: 'rs-presets', role: 'group', 'aria-label': 'Presets' }, presetButtons),
    presetNote,
    h('fieldset', { className: 'rs-fieldset' },
      h('legend', { text: 'Strategies' }),
      h('div', { className: 'rs-row' },
        field('polling', 'Polling TTL (db 10)', 'checkbox', { className: 'rs-s-polling' }),
        field('events', 'Expired events (db 11)', 'checkbox', { className: 'rs-s-events' }),
        field('queue', 'Delayed queue (db 12)', 'checkbox', { className: 'rs-s-queue' }),
        field('stream', 'Consumer group (db 13)', 'checkbox', { className: 'rs-s-stream' }))),
    h('fieldset', { className: 'rs-fieldset' },
      h('legend', { text: 'Failures' }),
      h('div', { className: 'rs-row' },
        field('operations', 'Operations', 'number', { min: 1, max: 10000, step: 1, hint: '1 to 10,000 failed orders' }),
        field('failurePercent', 'Retry fails (%)', 'number', { min: 0, max: 100, step: 'any', hint: 'chance per attempt' })),
      field('outage', 'Outage: every attempt in a window fails', 'checkbox'),
      outageBox),
    h('fieldset', { className: 'rs-fieldset' },
      h('legend', { text: 'Schedule' }),
      h('div', { className: 'rs-row' },
        field('backoff', 'Delays', 'select', { options: [['list', 'a list (the seed’s)'], ['exponential', 'exponential']] }),
        field('jitter', 'Jitter', 'select', { options: [['none', 'none'], ['full', 'full'], ['equal', 'equal'], ['decorrelated', 'decorrelated']] }),
        field('maxRetries', 'Max retries', 'number', { min: 0, max: 50, step: 1 })),
      listBox, expBox,
      field('testMode', 'Seed’s test mode: every delay 60 s', 'checkbox'),
      delaysNote),
    h('fieldset', { className: 'rs-fieldset' },
      h('legend', { text: 'Downstream and protection' }),
      field('capacity', 'Capacity (calls a second)', 'number', { min: 0, max: 1000000, step: 1, hint: 'blank: unlimited; calls past it in the same second fail' }),
      field('budget', 'Retry budget', 'checkbox'),
      budgetBox,
      field('breaker', 'Circuit breaker', 'checkbox'),
      breakerBox),
    h('details', { className: 'rs-advanced' },
      h('summary', { text: 'Advanced: arrivals, seed, pollers, listeners, workers' }),
      h('div', { className: 'rs-row' },
        field('arrivalSpread', 'Failures spread over', 'text', { hint: 'the first failures happen at random in this time' }),
        field('seed', 'Random seed', 'number', { min: 0, step: 1 })),
      h('fieldset', { className: 'rs-fieldset' },
        h('legend', { text: 'Polling' }),
        h('div', { className: 'rs-row' },
          field('pollInterval', 'Poll every', 'text'),
          field('pollers', 'Pollers', 'number', { min: 1, max: 16, step: 1 }),
          field('idlePolls', 'Idle TTLs', 'select', {
            options: [['auto', 'auto'], ['send', 'send every one'], ['count', 'count, don’t send']],
            hint: 'auto: counted above 1,000 ops or at 600× and more',
          }))),
      h('fieldset', { className: 'rs-fieldset' },
        h('legend', { text: 'Events' }),
        field('listeners', 'Listeners', 'number', { min: 1, max: 16, step: 1 }),
        field('listenerOutage', 'Listeners disconnected for a while', 'checkbox'),
        listenerBox),
      h('fieldset', { className: 'rs-fieldset' },
        h('legend', { text: 'Queue' }),
        h('div', { className: 'rs-row' },
          field('queueWorkers', 'Workers', 'number', { min: 1, max: 16, step: 1 }),
          field('queuePoll', 'Poll every', 'text'),
          field('queueBatch', 'Batch', 'number', { min: 1, max: 1000, step: 1 }),
          field('queueClaim', 'Claim with', 'select', {
            options: [['perEntry', 'ZREM per entry'], ['transaction', 'MULTI/WATCH'], ['lua', 'one Lua script (BullMQ)']],
            hint: 'how workers take due entries without retrying one twice',
          }))),
      h('fieldset', { className: 'rs-fieldset' },
        h('legend', { text: 'Consumer group' }),
        h('div', { className: 'rs-row' },
          field('streamReclaim', 'Reclaim every', 'text', { hint: 'XAUTOCLAIM’s interval' }),
          field('streamMinIdle', 'Min idle', 'text', { hint: 'blank: the first delay; the only delay there is' }))),
      h('div', { className: 'rs-row' },
        field('bucket', 'Chart bars', 'text', { hint: '“auto”, or a width like 1s, 1m' }),
        field('speedOnStart', 'On start', 'select', {
          options: [['suggest', 'set a speed for the schedule'], ['keep', 'keep the clock’s speed']],
        }))),
    h('div', { className: 'rs-buttons', role: 'group', 'aria-label': 'Simulation' }, startButton, pauseButton, stepButton, resetButton),
    error, status, speedNote, idleNote);
  form.addEventListener('submit', (ev) => { ev.preventDefault(); onStart(); });
  root.replaceChildren(form);

  // --- values ------------------------------------------------------------------------------
  function set(values) {
    for (const [name, value] of Object.entries(values)) {
      const input = inputs[name];
      if (!input) continue;
      if (input.type === 'checkbox') input.checked = Boolean(value);
      else input.value = String(value);
    }
    sync();
  }

  function sync() {
    const exp = inputs.backoff.value === 'exponential';
    listBox.hidden = exp;
    expBox.hidden = !exp;
    for (const name of ['outageStart', 'outageEnd']) inputs[name].disabled = !inputs.outage.checked;
    for (const name of ['listenerOutageStart', 'listenerOutageEnd']) inputs[name].disabled = !inputs.listenerOutage.checked;
    for (const name of ['budgetPercent', 'budgetMinPerS']) inputs[name].disabled = !inputs.budget.checked;
    for (const name of ['breakerFailures', 'breakerOpen']) inputs[name].disabled = !inputs.breaker.checked;
    const { config } = read();
    const delays = describeDelays(config.schedule);
    const jitter = config.schedule.jitter !== 'none' ? `, with ${config.schedule.jitter} jitter` : '';
    setText(delaysNote, `Delays before retry 1, 2, …: ${delays}${jitter}${delays.endsWith('…') && !jitter ? '' : '.'}`);
  }

  function applyPreset(id) {
    const p = PRESETS.find((x) => x.id === id);
    if (!p) return;
    set({ ...DEFAULTS, ...p.values });
    for (const b of presetButtons) b.setAttribute('aria-pressed', String(b.dataset.preset === id));
    setText(presetNote, p.description);
    clearError();
  }

  form.addEventListener('input', () => {
    for (const b of presetButtons) b.setAttribute('aria-pressed', 'false');
    sync();
  });
  form.addEventListener('change', sync);

  /**
   * The config the form describes, in the engine's shape (camelCase fields of
   * retry::Config), with the errors the engine couldn't report well (unreadable numbers).
   */
  function read() {
    const errors = [];
    const v = (name) => inputs[name].value.trim();
    const on = (name) => inputs[name].checked;
    const int = (name, field, lo, hi) => {
      const s = v(name);
      const n = Number(s);
      if (s === '' || !Number.isInteger(n) || n < lo || n > hi) {
        errors.push({ field: name, message: `${field}: a whole number from ${fmtInt(lo)} to ${fmtInt(hi)}` });
        return lo;
      }
      return n;
    };
    const num = (name, field, lo, hi) => {
      const s = v(name);
      const n = Number(s);
      if (s === '' || !Number.isFinite(n) || n < lo || n > hi) {
        errors.push({ field: name, message: `${field}: a number from ${lo} to ${hi}` });
        return lo;
      }
      return n;
    };
    const dur = (name, field) => {
      const ms = parseDuration(v(name));
      if (ms === null || ms < 0) {
        errors.push({ field: name, message: `${field}: a duration such as 90s, 5m or 2h` });
        return 0;
      }
      return ms;
    };
    const secs = (name, field) => {
      const ms = dur(name, field);
      if (ms % 1000 !== 0 || ms < 1000) {
        if (!errors.some((e) => e.field === name)) errors.push({ field: name, message: `${field}: whole seconds, at least 1s` });
        return 1;
      }
      return ms / 1000;
    };

    let backoff;
    if (inputs.backoff.value === 'exponential') {
      backoff = {
        kind: 'exponential', baseS: secs('baseS', 'base'), factor: num('factor', 'factor', 1, 10), capS: secs('capS', 'cap'),
      };
    } else {
      const text = v('intervals');
      const parts = text.split(/[,;]/.test(text) ? /[,;]+/ : /\s+/).map((s) => s.trim()).filter(Boolean);
      const intervalsS = [];
      for (const p of parts) {
        const ms = parseDuration(p);
        if (ms === null || ms % 1000 !== 0 || ms < 1000) {
          errors.push({ field: 'intervals', message: `intervals: “${p}” is not a whole number of seconds (e.g. 300, 5m, 2h)` });
          break;
        }
        intervalsS.push(ms / 1000);
      }
      backoff = { kind: 'list', intervalsS };
    }
    const win = (flag, a, b, label) => (on(flag) ? { startMs: dur(a, `${label} start`), endMs: dur(b, `${label} end`) } : null);
    const bucketText = v('bucket').toLowerCase();
    let bucketMs = 0;
    if (bucketText !== '' && bucketText !== 'auto') bucketMs = dur('bucket', 'chart bars');
    const config = {
      seed: int('seed', 'seed', 0, Number.MAX_SAFE_INTEGER),
      operations: int('operations', 'operations', 1, 10_000),
      arrivalSpreadMs: dur('arrivalSpread', 'failures spread'),
      failureProbability: num('failurePercent', 'retry fails (%)', 0, 100) / 100,
      outage: win('outage', 'outageStart', 'outageEnd', 'outage'),
      schedule: {
        backoff,
        jitter: inputs.jitter.value,
        maxRetries: int('maxRetries', 'max retries', 0, 50),
        testMode: on('testMode'),
      },
      polling: on('polling'),
      events: on('events'),
      queue: on('queue'),
      pollIntervalMs: dur('pollInterval', 'poll interval'),
      pollers: int('pollers', 'pollers', 1, 16),
      countOnlyIdlePolls: false,
      listeners: int('listeners', 'listeners', 1, 16),
      listenerOutage: win('listenerOutage', 'listenerOutageStart', 'listenerOutageEnd', 'listener outage'),
      queueWorkers: int('queueWorkers', 'workers', 1, 16),
      queuePollMs: dur('queuePoll', 'queue poll interval'),
      queueBatch: int('queueBatch', 'batch', 1, 1000),
      queueClaim: inputs.queueClaim.value,
      stream: on('stream'),
      streamReclaimMs: dur('streamReclaim', 'reclaim interval'),
      streamMinIdleMs: v('streamMinIdle') === '' ? 0 : dur('streamMinIdle', 'min idle'),
      bucketMs,
      logCapacity: 2000,
      capacityPerS: v('capacity') === '' ? 0 : int('capacity', 'capacity', 0, 1_000_000),
      budget: on('budget') ? { percent: num('budgetPercent', 'budget extra load (%)', 0, 1000), minPerS: num('budgetMinPerS', 'budget floor', 0, 1000) } : null,
      breaker: on('breaker') ? { failures: int('breakerFailures', 'breaker failures', 1, 1000), openMs: dur('breakerOpen', 'breaker open time') } : null,
    };
    return { config, errors, idlePolls: inputs.idlePolls.value, speedChoice: inputs.speedOnStart.value, auto: bucketMs === 0 };
  }

  // --- errors, state -----------------------------------------------------------------------
  let invalid = [];
  function clearError() {
    for (const el of invalid) {
      el.removeAttribute('aria-invalid');
      el.removeAttribute('aria-errormessage');
    }
    invalid = [];
    error.hidden = true;
    setText(error, '');
  }

  /** Show an error: the engine's "field: message" text, or our own [{field, message}]. */
  function showError(errOrList) {
    clearError();
    const list = Array.isArray(errOrList) ? errOrList : [{ field: String(errOrList).split(':')[0], message: String(errOrList) }];
    setText(error, list.map((e) => e.message).join('\n'));
    error.hidden = false;
    for (const e of list) {
      const names = ERROR_FIELDS[e.field] ?? (inputs[e.field] ? [e.field] : []);
      for (const n of names) {
        const el = inputs[n];
        el.setAttribute('aria-invalid', 'true');
        el.setAttribute('aria-errormessage', errorId);
        invalid.push(el);
      }
    }
    const first = invalid[0];
    if (first) {
      const details = first.closest('details');
      if (details) details.open = true;
    }
  }

  /** Reflect the run: { running, finished, paused, caughtUp } */
  function setState({ running, finished, paused }) {
    setText(pauseLabel, paused ? 'Resume' : 'Pause');
    setText(pauseIcon, paused ? '► ' : '❚❚ ');
    setAttr(pauseButton, 'aria-pressed', paused ? 'true' : 'false');
    stepButton.disabled = !running || finished;
    resetButton.disabled = !running;
    setText(startButton.lastChild, running ? 'Restart' : 'Start');
  }

  /** Set the form to the defaults with `values` over them (an experiment's run). */
  function applyValues(values, note = '') {
    set({ ...DEFAULTS, ...values });
    for (const b of presetButtons) b.setAttribute('aria-pressed', 'false');
    setText(presetNote, note);
    clearError();
  }

  applyPreset('seed');
  return {
    read,
    showError,
    clearError,
    applyPreset,
    applyValues,
    set,
    setState,
    setStatus: (text) => setText(status, text),
    setSpeedNote: (text) => setText(speedNote, text),
    setIdleNote(text) {
      setText(idleNote, text);
      idleNote.hidden = !text;
    },
    inputs,
    buttons: { start: startButton, pause: pauseButton, step: stepButton, reset: resetButton },
  };
}
