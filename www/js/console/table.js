// A reply as a table, when it has a natural table shape. Decided from the command that was
// run and its reply tree (execDetailed's `{ command, argv, reply }`; a reply is
// `{type, value}` with type status / error / integer / bulk / nil / array):
//
//   field | value    HGETALL, HRANDFIELD … WITHVALUES, CONFIG GET, HSCAN, HMGET (fields from argv)
//   member | score   ZRANGE … WITHSCORES (and every WITHSCORES reply), ZPOPMIN/ZPOPMAX, ZSCAN,
//                    ZMPOP/BZMPOP, ZMSCORE (members from argv)
//   key | value      MGET, BLPOP/BRPOP;  key | member | score: BZPOPMIN/BZPOPMAX
//   # | value        any other array of plain values (LRANGE, SMEMBERS, KEYS, SCAN's keys, …)
//
// Nothing here touches the DOM: `tableOf` returns `{ columns, rows, caption? }` where every
// cell is a reply node, or null when the reply is not table-shaped.

const lower = (s) => String(s ?? '').toLowerCase();

const isArray = (r) => r && r.type === 'array' && Array.isArray(r.value);
const isScalar = (r) => r && r.type !== 'array';
const allScalar = (items) => items.every(isScalar);
const hasWord = (argv, word) => argv.some((a, i) => i > 0 && lower(a) === word);

/** A reply node for a cell that comes from the command line rather than the reply. */
const argCell = (text) => ({ type: 'bulk', value: String(text) });
const indexCell = (i) => ({ type: 'index', value: i + 1 });

function pairs(items, columns, caption) {
  if (items.length === 0 || items.length % 2 !== 0 || !allScalar(items)) return null;
  const rows = [];
  for (let i = 0; i < items.length; i += 2) rows.push([items[i], items[i + 1]]);
  return { columns, rows, caption };
}

function plain(items, caption, header = 'value') {
  if (items.length === 0 || !allScalar(items)) return null;
  return { columns: ['#', header], rows: items.map((it, i) => [indexCell(i), it]), caption };
}

/** One value per argument named on the command line (HMGET's fields, MGET's keys, …). */
function byArgs(items, names, columns) {
  if (items.length === 0 || items.length !== names.length || !allScalar(items)) return null;
  return { columns, rows: items.map((it, i) => [argCell(names[i]), it]) };
}

const FIELD_VALUE = ['field', 'value'];
const MEMBER_SCORE = ['member', 'score'];

/** Commands whose reply is a flat member, score, member, score… array. */
const SCORED_ALWAYS = new Set(['zpopmin', 'zpopmax']);
/** Commands whose reply is a flat field, value… array. */
const FIELD_VALUE_ALWAYS = new Set(['hgetall', 'config|get', 'config']);

/**
 * The table for one executed command, or null. `command` is the command name (any case),
 * `argv` its arguments including the name, `reply` the reply tree.
 */
export function tableOf({ command, argv = [], reply } = {}) {
  if (!isArray(reply)) return null;
  const items = reply.value;
  const name = lower(command ?? argv[0]);
  argv = Array.from(argv, String);

  if (FIELD_VALUE_ALWAYS.has(name)) return pairs(items, FIELD_VALUE);
  if (name === 'hrandfield' && hasWord(argv, 'withvalues')) return pairs(items, FIELD_VALUE);
  if (SCORED_ALWAYS.has(name) || (name.startsWith('z') && hasWord(argv, 'withscores'))) {
    return pairs(items, MEMBER_SCORE);
  }
  if (name === 'hmget') return byArgs(items, argv.slice(2), FIELD_VALUE);
  if (name === 'zmscore') return byArgs(items, argv.slice(2), MEMBER_SCORE);
  if (name === 'smismember') return byArgs(items, argv.slice(2), ['member', 'is member']);
  if (name === 'mget') return byArgs(items, argv.slice(1), ['key', 'value']);

  // [cursor, [elements]] from the SCAN family.
  if (/^[hsz]?scan$/.test(name) && items.length === 2 && isScalar(items[0]) && isArray(items[1])) {
    const caption = `cursor ${items[0].value}`;
    if (name === 'hscan') return pairs(items[1].value, FIELD_VALUE, caption);
    if (name === 'zscan') return pairs(items[1].value, MEMBER_SCORE, caption);
    return plain(items[1].value, caption, name === 'scan' ? 'key' : 'member');
  }
  // [key, [[member, score], …]] from ZMPOP/BZMPOP; [key, [elements]] from LMPOP/BLMPOP.
  if (/^b?[zl]mpop$/.test(name) && items.length === 2 && isScalar(items[0]) && isArray(items[1])) {
    const caption = `key ${items[0].value}`;
    const inner = items[1].value;
    if (name.endsWith('zmpop')) {
      if (!inner.every((p) => isArray(p) && p.value.length === 2 && allScalar(p.value))) return null;
      return inner.length ? { columns: MEMBER_SCORE, rows: inner.map((p) => p.value), caption } : null;
    }
    return plain(inner, caption);
  }
  // [key, member, score] from BZPOPMIN/BZPOPMAX; [key, element] from BLPOP/BRPOP.
  if ((name === 'bzpopmin' || name === 'bzpopmax') && items.length === 3 && allScalar(items)) {
    return { columns: ['key', 'member', 'score'], rows: [items] };
  }
  if ((name === 'blpop' || name === 'brpop') && items.length === 2 && allScalar(items)) {
    return { columns: ['key', 'value'], rows: [items] };
  }
  return plain(items);
}

/** The table for a whole console line: only a line that ran exactly one command has one. */
export function tableOfLine(replies) {
  if (!Array.isArray(replies) || replies.length !== 1) return null;
  return tableOf(replies[0]);
}

const CONTROL = /[\x00-\x1f\x7f]/g;
const ESCAPES = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\x07': '\\a', '\b': '\\b' };

/** A cell's text: values unquoted, control characters escaped as redis-cli would. */
export function cellText(node) {
  if (!node) return '';
  switch (node.type) {
    case 'nil': return '(nil)';
    case 'index':
    case 'integer': return String(node.value);
    case 'error': return `(error) ${node.value}`;
    default:
      return String(node.value ?? '').replace(CONTROL,
        (c) => ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  }
}
