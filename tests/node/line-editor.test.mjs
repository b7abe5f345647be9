// The input line's state without a page (www/js/console/line-editor.js): Tab completion,
// history, Ctrl+R as readline does it, pastes, and the search match's underline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineEditor, markMatch, searchLabel } from '../../www/js/console/line-editor.js';
import { History } from '../../www/js/console/history.js';

function editor(lines = []) {
  const history = new History({ storage: null });
  for (const l of lines) history.add(l);
  return new LineEditor({ history });
}

test('Tab cycles through the candidates and ends on what was typed; Esc gives it back', () => {
  const e = editor();
  const asked = [];
  const candidates = (v) => { asked.push(v); return ['GETRANGE', 'GETSET']; };
  assert.deepEqual(e.tab('gets', candidates), { value: 'GETRANGE', caret: 8 });
  assert.deepEqual(e.tab('GETRANGE', candidates), { value: 'GETSET', caret: 6 });
  assert.deepEqual(e.tab('GETSET', candidates), { value: 'gets', caret: 4 }, 'back to what was typed');
  assert.deepEqual(e.tab('gets', candidates), { value: 'GETRANGE', caret: 8 });
  assert.deepEqual(asked, ['gets'], 'the engine is asked once per completion');
  assert.equal(e.completionKey('Shift'), null, 'a modifier keeps it');
  assert.deepEqual(e.completionKey('Escape'), { value: 'gets', caret: 4 });
  assert.equal(e.completion, null);
  assert.equal(e.tab('zz', () => []), null, 'nothing to complete');
  assert.equal(e.tabLeaves(''), true, 'Tab on an empty line moves the focus on');
  e.tab('gets', candidates);
  e.completionKey('a');
  assert.equal(e.completion, null, 'any other key keeps the completed line and ends the cycle');
});

test('↑/↓ walk the shared history and come back to the draft', () => {
  const e = editor(['SET a 1', 'GET a']);
  assert.deepEqual(e.older('dra'), { value: 'GET a', caret: 5 });
  assert.deepEqual(e.older('GET a'), { value: 'SET a 1', caret: 7 });
  assert.equal(e.older('SET a 1'), null, 'the oldest');
  assert.deepEqual(e.newer(), { value: 'GET a', caret: 5 });
  assert.deepEqual(e.newer(), { value: 'dra', caret: 3 }, 'the unsent draft');
  assert.equal(e.newer(), null);
});

test('Ctrl+R searches older lines as you type, Ctrl+R again goes further back', () => {
  const e = editor(['SET user:1 a', 'GET other', 'GET user:1', 'INCR n']);
  assert.deepEqual(e.searchStart('typed'), { value: 'typed', caret: 5, label: searchLabel('', false) });
  assert.equal(searchLabel('', false), "(reverse-i-search)`': ");
  let r = e.searchKey({ key: 'u' }, 'typed', 5);
  assert.deepEqual(r, { handled: true, show: { value: 'GET user:1', caret: 4, label: "(reverse-i-search)`u': " } });
  assert.deepEqual(e.searchMatch('GET user:1'), [4, 1], 'the match is underlined');
  r = e.searchKey({ key: 's' }, 'GET user:1', 4);
  assert.equal(r.show.value, 'GET user:1', 'the match still contains "us": it stays');
  r = e.searchKey({ key: 'r', ctrlKey: true }, 'GET user:1', 4);
  assert.equal(r.show.value, 'SET user:1 a', 'Ctrl+R: the next older match');
  r = e.searchKey({ key: 'r', ctrlKey: true }, 'SET user:1 a', 4);
  assert.deepEqual(r.show, { value: 'SET user:1 a', caret: 4, label: "(failed reverse-i-search)`us': " }, 'no older one');
  r = e.searchKey({ key: 'Backspace' }, 'SET user:1 a', 4);
  assert.equal(r.show.value, 'GET user:1', 'a shorter query searches from the newest again');
  assert.deepEqual(e.searchKey({ key: 'Shift' }, 'GET user:1', 4), { handled: true });
  assert.deepEqual(e.searchKey({ key: 'Process' }, 'GET user:1', 4), { handled: 'pass' }, 'an IME composes');
  r = e.searchKey({ key: 'ArrowLeft' }, 'GET user:1', 4);
  assert.deepEqual(r, { handled: false, show: { value: 'GET user:1', caret: 4 } }, 'any other key keeps the match, editable');
  assert.equal(e.search, null);
});

test('Esc gives back the typed line, Enter runs the match, an empty Ctrl+R reuses the last query', () => {
  const e = editor(['SET a 1', 'GET a']);
  e.searchStart('draft');
  e.searchType('SET');
  assert.deepEqual(e.searchKey({ key: 'Escape' }, 'SET a 1', 0), { handled: true, show: { value: 'draft', caret: 5 } });
  e.searchStart('');
  assert.equal(e.searchKey({ key: 'r', ctrlKey: true }, '', 0).show.value, 'SET a 1', 'the last query again');
  assert.deepEqual(e.searchKey({ key: 'Enter' }, 'SET a 1', 0), { handled: false, show: { value: 'SET a 1', caret: 0 }, run: true });
  e.searchStart('x');
  assert.deepEqual(e.suspend('x'), { value: 'x', caret: 1 }, 'a console that starts waiting ends the search');
});

test('a paste of several lines runs them in order; one line is left to the input', () => {
  const e = editor();
  assert.equal(e.paste('GET a', 'x', 1), null);
  assert.deepEqual(e.paste('SET a 1\r\n\nGET a\n', 'ECHO ', 5), { lines: ['ECHO SET a 1', 'GET a'], clear: true });
  assert.deepEqual(e.paste('a b\nc', 'typed', 0, 5), { lines: ['a b', 'c'], clear: true }, 'over a selection');
  assert.deepEqual(e.paste('PING\nPING', 'kept', 4, 4, { waiting: true }), { lines: ['PING', 'PING'], clear: false });
});

test('markMatch splits the coloured runs around a match', () => {
  const runs = [{ text: 'GET', cls: 'tok-cmd' }, { text: ' ', cls: '' }, { text: 'user:1', cls: 'tok-key' }];
  assert.deepEqual(markMatch(runs.map((r) => ({ ...r })), 2, 4), [
    { text: 'GE', cls: 'tok-cmd' }, { text: 'T', cls: 'tok-cmd search-match' }, { text: ' ', cls: 'search-match' },
    { text: 'us', cls: 'tok-key search-match' }, { text: 'er:1', cls: 'tok-key' },
  ]);
  assert.deepEqual(markMatch(runs.map((r) => ({ ...r })), -1, 0), runs);
});

test('Esc, then Tab, leaves the console even with text on the line (the keyboard way out)', () => {
  const e = editor();
  assert.equal(e.tabLeaves('GET k'), false, 'Tab with text completes');
  e.completionKey('Escape');
  assert.equal(e.tabLeaves('GET k'), true, 'after Esc, Tab moves the focus on');
  assert.equal(e.tabLeaves('GET k'), false, 'once');
  e.completionKey('Escape');
  e.completionKey('x');
  assert.equal(e.tabLeaves('GET kx'), false, 'another key in between: Tab completes again');
});
