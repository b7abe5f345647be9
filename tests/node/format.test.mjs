// Durations and numbers as the panes print them (www/js/format.js): one formatter for a
// world duration, in words (the clock, lessons), with tenths (the retry simulation's
// measurements) or compact (time axes), and the keyspace's countdown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, fmtSpan, fmtAxis, fmtTtl, fmtInt } from '../../www/js/format.js';

test('a duration in words keeps its two largest units', () => {
  const cases = [[0, '0 s'], [-5, '0 s'], [250, '250 ms'], [10_000, '10 s'], [59_400, '59 s'], [249_000, '4 min 9 s'],
    [300_000, '5 min'], [301_000, '5 min 1 s'], [7_500_000, '2 h 5 min'], [7_200_000, '2 h'], [3_661_000, '1 h 1 min'],
    [273_600_000, '3 d 4 h'], [172_800_000, '2 d']];
  for (const [ms, text] of cases) assert.equal(formatDuration(ms), text, `${ms}`);
});

test('with tenths, 1 to 10 s show a decimal and negatives a sign', () => {
  const cases = [[0, '0 s'], [850, '850 ms'], [1_500, '1.5 s'], [9_949, '9.9 s'], [9_950, '10.0 s'], [10_000, '10 s'],
    [-850, '−850 ms'], [-12_300, '−12 s'], [-1_200, '−1.2 s']];
  for (const [ms, text] of cases) assert.equal(formatDuration(ms, { tenths: true }), text, `${ms}`);
  assert.equal(fmtSpan(1_500), '1.5 s');
});

test('compact durations label time axes', () => {
  const cases = [[0, '0'], [500, '500ms'], [30_000, '30s'], [300_000, '5m'], [330_000, '5m30s'], [5_400_000, '1h30m'],
    [86_400_000, '24h'], [172_800_000, '2d'], [183_600_000, '2d3h']];
  for (const [ms, text] of cases) assert.equal(fmtAxis(ms), text, `${ms}`);
});

test('a TTL countdown rounds up', () => {
  assert.equal(fmtTtl(9_400), '9.4s');
  assert.equal(fmtTtl(42_000), '42s');
  assert.equal(fmtTtl(249_000), '4m 09s');
  assert.equal(fmtTtl(3_900_000), '1h 05m');
  assert.equal(fmtTtl(266_400_000), '3d 02h');
  assert.equal(fmtInt(264376), '264,376');
});
