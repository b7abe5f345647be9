// A reply as a table, when it has a natural table shape. Decided from the reply's `shape`,
// which the command table gives every command (execDetailed's `{ command, argv, reply,
// shape }`, src/commands/table.rs `Shape`; a reply is `{type, value}` with type status /
// error / integer / bulk / nil / array, and after HELLO 3 also map / set / push / double /
// boolean / null / verbatim / bignum):
//
//   list        # | value            a plain array (LRANGE, SMEMBERS, KEYS, EXEC, …)
//   pairs       field | value …      a flat a, b, a, b… array (HGETALL, CONFIG GET, ZPOPMIN)
//   pairsWith   pairs when the option word is on the line (ZRANGE … WITHSCORES), else a list
//   perArg      one value per argument from `from` on (HMGET's fields, MGET's keys)
//   scan        [cursor, items]: the items by the inner shape, "cursor N" as the caption
//   popped      [key, items] (LMPOP, ZMPOP): the items by the inner shape, "key K" as caption
//   nested      [[a, b], [a, b], …]: two columns from pairs
//   row         one row with the given columns (BLPOP: key | value)
//
// Nothing here touches the DOM: `tableOf` returns `{ columns, rows, caption? }` where every
// cell is a reply node, or null when the reply is not table-shaped.

const lower = (s) => String(s ?? '').toLowerCase();

// A RESP3 console (HELLO 3) gets maps, sets and pushes where RESP2 has arrays; they
// tabulate as the arrays RESP2 would send.
const AGGREGATES = new Set(['array', 'map', 'set', 'push']);
const isArray = (r) => r && AGGREGATES.has(r.type) && Array.isArray(r.value);
const isScalar = (r) => r && !AGGREGATES.has(r.type);
const allScalar = (items) => items.every(isScalar);
const hasWord = (argv, word) => argv.some((a, i) => i > 0 && lower(a) === word);

/** A reply node for a cell that comes from the command line rather than the reply. */
const argCell = (text) => ({ type: 'bulk', value: String(text) });
const indexCell = (i) => ({ type: 'index', value: i + 1 });

/** RESP3's [[a, b], [a, b], …] (ZRANGE … WITHSCORES after HELLO 3) as RESP2's flat list. */
function flatPairs(items) {
  const nestedPairs = items.length > 0 && items.every((p) => isArray(p) && p.value.length === 2);
  return nestedPairs ? items.flatMap((p) => p.value) : items;
}

function pairs(nestedOrFlat, columns, caption) {
  const items = flatPairs(nestedOrFlat);
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

/** [[a, b], [a, b], …] as rows of two. */
function nested(items, columns, caption) {
  if (items.length === 0 || !items.every((p) => isArray(p) && p.value.length === 2 && allScalar(p.value))) return null;
  return { columns, rows: items.map((p) => p.value), caption };
}

/** The table of `items` by `shape` (an inner shape gets the items of a scan or pop). */
function byShape(items, shape, argv, caption) {
  const columns = shape.columns ?? [];
  switch (shape.kind) {
    case 'pairs': return pairs(items, columns, caption);
    case 'pairsWith': return hasWord(argv, lower(shape.option)) ? pairs(items, columns, caption) : plain(items, caption);
    case 'perArg': return byArgs(items, argv.slice(shape.from), columns);
    case 'nested': return nested(items, columns, caption);
    case 'row': return items.length === columns.length && allScalar(items) ? { columns, rows: [items], caption } : null;
    case 'scan':
    case 'popped': {
      // [cursor, [items]] or [key, [items]].
      if (items.length !== 2 || !isScalar(items[0]) || !isArray(items[1]) || !shape.inner) return null;
      const what = shape.kind === 'scan' ? 'cursor' : 'key';
      return byShape(items[1].value, shape.inner, argv, `${what} ${items[0].value}`);
    }
    default: return plain(items, caption, columns[0] ?? 'value');
  }
}

/**
 * The table for one executed command, or null: `shape` is the command's reply shape from the
 * command table (null for a line the table doesn't know: any array is then a list), `argv`
 * its arguments including the name, `reply` the reply tree.
 */
export function tableOf({ argv = [], reply, shape = null } = {}) {
  if (!isArray(reply)) return null;
  return byShape(reply.value, shape ?? { kind: 'list' }, Array.from(argv, String));
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
    case 'nil':
    case 'null': return '(nil)';
    case 'boolean': return node.value ? '(true)' : '(false)';
    case 'index':
    case 'integer': return String(node.value);
    case 'error': return `(error) ${node.value}`;
    default:
      return String(node.value ?? '').replace(CONTROL,
        (c) => ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  }
}
