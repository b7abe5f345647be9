// "Share this run": what a `#sim=` link holds, and the checks it passes when opened. No DOM:
// the node tests use this module as it is.
//
//   { v: 1, config, form, speed, view }
//     config  exactly what engine.simStart got (every field, whatever fields the controls
//             have: nothing here lists them). The same config and seed give the same run,
//             command for command, at the same times after the start.
//     form    every input of the controls by name (checkbox → true/false, others → text),
//             so the opener sees the settings as the teacher typed them
//     speed   the world clock speed the run was started at
//     view    the panels' choices: { code: { strategy, language } }
//
// A link is data from anybody. checkRun() takes plain JSON data of bounded size and shape
// only (names of letters and digits, finite numbers, short strings, shallow nesting); the
// engine's simStart then refuses any value it doesn't accept, with its own message. When
// opened, the form's reading of `form` must give `config` (the fields Start fills in itself
// aside): a link can't show one run and start another.
import { ShareError } from '../share/codec.js';

export const RUN_LINK_VERSION = 1;
/** Fields RetryRun.plan fills in at Start (not typed in the form). */
export const PLAN_KEYS = ['countOnlyIdlePolls', 'bucketMs'];

const NAME = /^[A-Za-z][A-Za-z0-9]{0,39}$/;
const MAX_DEPTH = 5;
const MAX_NODES = 400;
const MAX_STRING = 200;
const MAX_FORM_TEXT = 1000;

/** Every input of the controls by name: checkbox → checked, any other → its value. */
export function formValues(inputs) {
  const out = {};
  for (const [name, input] of Object.entries(inputs)) out[name] = input.type === 'checkbox' ? Boolean(input.checked) : String(input.value);
  return out;
}

/** What a link carries for a run. */
export function packRun({ config, form, speed = null, view = {} }) {
  return { v: RUN_LINK_VERSION, config, form, speed, view };
}

const bad = (what) => new ShareError('content', `its ${what}`);
const isPlain = (o) => o !== null && typeof o === 'object' && !Array.isArray(o) && Object.getPrototypeOf(o) === Object.prototype;

/** `value` is plain data of bounded shape; throws ShareError naming `where`. */
function checkData(value, where, budget, depth = 0) {
  if (--budget.nodes < 0) throw bad(`${where} is too large`);
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw bad(`${where} holds a number that is not finite`);
    return;
  }
  if (typeof value === 'string') {
    if (value.length > MAX_STRING) throw bad(`${where} holds a text over ${MAX_STRING} characters`);
    return;
  }
  if (depth >= MAX_DEPTH) throw bad(`${where} is nested too deeply`);
  if (Array.isArray(value)) {
    for (const v of value) checkData(v, where, budget, depth + 1);
    return;
  }
  if (!isPlain(value)) throw bad(`${where} is not plain data`);
  for (const [k, v] of Object.entries(value)) {
    if (!NAME.test(k)) throw bad(`${where} has a field named “${k.slice(0, 40)}”, which no setting is`);
    checkData(v, `${where}.${k}`, budget, depth + 1);
  }
}

/** The run of a decoded link, checked: `{ config, form, speed, view }`; throws ShareError. */
export function checkRun(data) {
  if (!isPlain(data)) throw bad('data is not a simulation');
  if (data.v !== RUN_LINK_VERSION) throw bad(`format (${String(data.v).slice(0, 20)}) is not one this page knows`);
  if (!isPlain(data.config)) throw bad('settings are missing');
  checkData(data.config, 'settings', { nodes: MAX_NODES });
  const form = data.form ?? {};
  if (!isPlain(form)) throw bad('form is not a list of settings');
  const names = Object.keys(form);
  if (names.length > 100) throw bad('form has too many settings');
  for (const name of names) {
    const v = form[name];
    if (!NAME.test(name)) throw bad(`form has a setting named “${name.slice(0, 40)}”`);
    if (typeof v !== 'boolean' && (typeof v !== 'string' || v.length > MAX_FORM_TEXT)) throw bad(`form’s ${name} is not a short text or a tick`);
  }
  let speed = data.speed ?? null;
  if (speed !== null && (typeof speed !== 'number' || !Number.isFinite(speed) || speed <= 0 || speed > 1_000_000)) speed = null;
  const code = isPlain(data.view) && isPlain(data.view.code) ? data.view.code : null;
  const view = {};
  if (code && typeof code.strategy === 'string' && typeof code.language === 'string' && code.strategy.length <= 40 && code.language.length <= 40) {
    view.code = { strategy: code.strategy, language: code.language };
  }
  return { config: data.config, form, speed, view };
}

function same(a, b) {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => same(a[k], b[k]));
}

/**
 * The top-level fields of the link's `config` that the form's reading (`fromForm`) does not
 * give; Start's own fields (PLAN_KEYS) and fields the form doesn't know (a link from a page
 * with other settings) aside. Empty: the form shows the run the link starts.
 */
export function differences(config, fromForm) {
  return Object.keys(config).filter((k) => !PLAN_KEYS.includes(k) && k in fromForm && !same(config[k], fromForm[k]));
}
