// redis-cli's reading of a line where the page needs it (www/js/cli.js): the leading repeat
// count, as src/cli.rs reads it for the engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { repeatCount } from '../../www/js/cli.js';

test('a leading whole number before a command is a repeat count', () => {
  assert.deepEqual(repeatCount(['3', 'INCR', 'hits']), { count: 3, argv: ['INCR', 'hits'] });
  assert.deepEqual(repeatCount(['+5', 'PING']), { count: 5, argv: ['PING'] });
  assert.deepEqual(repeatCount([' 7', 'PING']), { count: 7, argv: ['PING'] }, 'strtol skips leading white space');
  assert.deepEqual(repeatCount(['INCR', 'hits']), { count: null, argv: ['INCR', 'hits'] });
  assert.deepEqual(repeatCount(['42']), { count: null, argv: ['42'] }, 'a lone number is a command');
  assert.deepEqual(repeatCount(['3x', 'PING']), { count: null, argv: ['3x', 'PING'] });
  assert.deepEqual(repeatCount([]), { count: null, argv: [] });
});

test('counts redis-cli refuses come out as 0 or less', () => {
  assert.equal(repeatCount(['0', 'PING']).count, 0);
  assert.equal(repeatCount(['-2', 'PING']).count, -2);
  assert.equal(repeatCount(['', 'GET', 'a']).count, 0, 'an empty word is a whole (empty) number to strtol');
  assert.equal(repeatCount(['99999999999999999999', 'PING']).count, 0, 'out of range');
  assert.equal(repeatCount(['4294967297', 'PING']).count, 1, 'a C int wraps');
  assert.equal(repeatCount(['3\0junk', 'PING']).count, 3, 'the word ends at a NUL byte');
});
