// The examples and lessons are data (www/lessons/*.json, described in www/lessons/README.md).
// This module loads them in the page and checks their shape; the node tests use `validate` too.

/** The lines of a step's expected output joined as the console prints them. */
export function expectedText(step) {
  return Array.isArray(step.expect) ? step.expect.join('\n') : step.expect;
}

const STEP_FIELDS = new Set(['text', 'command', 'expect', 'unordered', 'advance', 'check', 'hint', 'link']);

function validateSteps(where, steps, { lesson }) {
  const problems = [];
  if (!Array.isArray(steps) || steps.length === 0) return [`${where}: no steps`];
  steps.forEach((s, i) => {
    const at = `${where} step ${i + 1}`;
    for (const k of Object.keys(s)) if (!STEP_FIELDS.has(k)) problems.push(`${at}: unknown field "${k}"`);
    const hasCommand = typeof s.command === 'string';
    const hasAdvance = s.advance !== undefined;
    if (hasCommand === hasAdvance) problems.push(`${at}: needs exactly one of "command" or "advance"`);
    if (hasAdvance && !(Number.isFinite(s.advance) && s.advance > 0)) problems.push(`${at}: "advance" must be a positive number of ms`);
    if (hasCommand) {
      if (s.command.trim() === '') problems.push(`${at}: empty command`);
      const e = s.expect;
      if (!(typeof e === 'string' || (Array.isArray(e) && e.every((x) => typeof x === 'string')))) {
        problems.push(`${at}: "expect" must be a string or a list of lines`);
      }
    } else if (s.expect !== undefined || s.check !== undefined || s.unordered !== undefined) {
      problems.push(`${at}: a clock step has no expect, check or unordered`);
    }
    if (lesson && (typeof s.text !== 'string' || s.text.trim() === '')) problems.push(`${at}: a lesson step needs a "text"`);
    if (s.text !== undefined && typeof s.text !== 'string') problems.push(`${at}: "text" must be a string`);
    if (s.check !== undefined && (typeof s.check !== 'object' || s.check === null)) problems.push(`${at}: "check" must be an object`);
    if (s.link !== undefined && !(typeof s.link?.href === 'string' && /^#[a-z][a-z0-9-]*$/.test(s.link.href) && typeof s.link.text === 'string')) {
      problems.push(`${at}: "link" must be { "href": "#in-page-id", "text": "…" }`);
    }
  });
  return problems;
}

/** Problems with the examples file and the lessons (an empty list when all is well). */
export function validate({ examples, lessons }) {
  const problems = [];
  const ids = new Set();
  const unique = (where, id) => {
    if (typeof id !== 'string' || !/^[a-z0-9-]+$/.test(id)) problems.push(`${where}: id must be lower-case words and dashes`);
    else if (ids.has(id)) problems.push(`${where}: duplicate id "${id}"`);
    ids.add(id);
  };
  if (!examples || !Array.isArray(examples.groups)) problems.push('examples: no "groups" list');
  for (const g of examples?.groups ?? []) {
    const where = `example group ${g.id}`;
    unique(where, g.id);
    if (typeof g.title !== 'string') problems.push(`${where}: no title`);
    problems.push(...validateSteps(where, g.steps, { lesson: false }));
  }
  for (const l of lessons ?? []) {
    const where = `lesson ${l.id}`;
    unique(where, l.id);
    if (typeof l.title !== 'string') problems.push(`${where}: no title`);
    if (typeof l.summary !== 'string') problems.push(`${where}: no summary`);
    problems.push(...validateSteps(where, l.steps, { lesson: true }));
  }
  return problems;
}

/** Fetch index.json, the examples and every lesson from `base` (a URL ending in /lessons/). */
export async function loadLessons(base = new URL('../../lessons/', import.meta.url)) {
  const get = async (name) => {
    const res = await fetch(new URL(name, base));
    if (!res.ok) throw new Error(`${name}: HTTP ${res.status}`);
    return res.json();
  };
  const index = await get('index.json');
  const [examples, ...lessons] = await Promise.all([get(index.examples), ...index.lessons.map(get)]);
  const problems = validate({ examples, lessons });
  if (problems.length) throw new Error(`lesson data: ${problems.join('; ')}`);
  return { examples, lessons };
}
