// The retry lab's guided experiments (www/js/retry/experiments.js) as data: every run sets
// only fields the form has, and progress() tells what is next and how the checks came out.
// The model holds the observations themselves (tests/retry_load.rs, experiment_*); the
// browser test runs one through the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXPERIMENTS, progress } from '../../www/js/retry/experiments.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const controls = fs.readFileSync(path.join(ROOT, 'www', 'js', 'retry', 'controls.js'), 'utf8');

test('every experiment has a question, runs, an expectation, and sets only the form\'s fields', () => {
  assert.deepEqual(EXPERIMENTS.map((e) => e.id), ['storm', 'full-jitter-outage', 'budget']);
  for (const exp of EXPERIMENTS) {
    assert.ok(exp.title && exp.question && exp.expect && exp.runs.length >= 1, exp.id);
    for (const run of exp.runs) {
      for (const name of Object.keys(run.values)) {
        if (name === 'stream') continue; // the consumer-group strategy's box, off in every experiment
        assert.match(controls, new RegExp(`field\\('${name}'`), `${exp.id}: the form has no field ${name}`);
      }
    }
  }
});

const result = (m) => ({ metrics: { calls: 0, peakCallsPerS: 0, overloaded: 0, givenUp: 0, budgetDenied: 0, ...m }, series: [] });

test('progress: the next run to make, then the checks once every run is in', () => {
  const exp = EXPERIMENTS.find((e) => e.id === 'budget');
  assert.deepEqual(progress(exp, []), { next: 0, done: false, checks: null, passed: false });
  assert.equal(progress(exp, [result({ calls: 4000 })]).next, 1);
  const good = progress(exp, [result({ calls: 4000, givenUp: 70 }), result({ calls: 600, givenUp: 480, budgetDenied: 480 })]);
  assert.equal(good.done, true);
  assert.equal(good.passed, true);
  assert.equal(good.checks.length, 3);
  const bad = progress(exp, [result({ calls: 4000, givenUp: 70 }), result({ calls: 3000, givenUp: 60 })]);
  assert.equal(bad.passed, false);
  assert.deepEqual(bad.checks.map(([, ok]) => ok), [false, false, false]);
});

test('the storm\'s check reads overloaded calls after the outage from the series', () => {
  const exp = EXPERIMENTS.find((e) => e.id === 'storm');
  const bare = { metrics: { peakCallsPerS: 500, overloaded: 4000 }, series: [{ startMs: 0, overloaded: 450 }, { startMs: 400_000, overloaded: 12 }] };
  const jittered = { metrics: { peakCallsPerS: 500, overloaded: 600 }, series: [] };
  const p = progress(exp, [bare, jittered]);
  assert.equal(p.passed, true);
  assert.match(p.checks[1][0], /12 calls overloaded after the outage/);
  const calm = { ...bare, series: [{ startMs: 0, overloaded: 450 }] };
  assert.equal(progress(exp, [calm, jittered]).checks[1][1], false);
});
