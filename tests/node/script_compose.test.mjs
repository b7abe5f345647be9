// The script editor's command lines (www/js/script/compose.js): the script quoted so that
// redis-cli (and the engine's splitArgs) read back exactly the text, numkeys counted.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { initSync, Playground } from '../../www/pkg/redis_playground.js';
import { quote, scriptLine, loadLine, shaOf, EXAMPLES } from '../../www/js/script/compose.js';

initSync({ module: fs.readFileSync(new URL('../../www/pkg/redis_playground_bg.wasm', import.meta.url)) });
const pg = new Playground();
const split = (t) => { const w = pg.splitArgs(t); return w ? Array.from(w, (x) => x.text) : null; };

test('a quoted script reads back as the same text', () => {
  for (const s of ['return 1', 'local x = "a"\nreturn x .. \'\\\\\'', 'tab\there\r\n\u0001 é', '']) {
    const words = split(`EVAL ${quote(s)} 0`);
    assert.equal(words[1], s);
  }
});

test('numkeys counts the keys as the console reads them', () => {
  const r = scriptLine({ script: 'return KEYS', keys: 'a "b c" d', args: 'x' }, split);
  assert.equal(r.line, 'EVAL "return KEYS" 3 a "b c" d x');
  assert.equal(scriptLine({ script: 'return 1' }, split).line, 'EVAL "return 1" 0');
  assert.match(scriptLine({ script: 'x', keys: '"open' }, split).error, /unclosed quote/);
  assert.match(scriptLine({ command: 'EVALSHA', script: 'x' }, split).error, /SCRIPT LOAD/);
  assert.equal(scriptLine({ command: 'EVALSHA', sha: 'ab'.repeat(20), keys: 'k' }, split).line, `EVALSHA ${'ab'.repeat(20)} 1 k`);
});

test('SCRIPT LOAD lines and replies', () => {
  assert.equal(loadLine('return 1'), 'SCRIPT LOAD "return 1"');
  assert.equal(shaOf('"e0e1f9fabfc9d4800c877a703b823ac0578ff8db"'), 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db');
  assert.equal(shaOf('(error) ERR Error compiling script'), null);
});

test('every example runs in the engine as the editor sends it', () => {
  for (const e of EXAMPLES) {
    const r = scriptLine({ script: e.script, keys: e.keys, args: e.args }, split);
    const out = pg.exec(r.line);
    assert.doesNotMatch(out, /unknown command|Error compiling|Error running/, `${e.id}: ${out}`);
  }
});
