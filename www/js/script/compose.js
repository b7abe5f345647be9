// The script editor's command lines, as a redis-cli user would type them: the script as
// one double-quoted argument (newlines written \n), then numkeys, the keys and the
// arguments exactly as typed in their fields. Pure functions, no DOM (tested in node).

/** A double-quoted argument redis-cli reads back as `text` (its escapes: \" \\ \n \r \t \xhh). */
export function quote(text) {
  let out = '"';
  for (const ch of String(text)) {
    const c = ch.codePointAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/**
 * `EVAL "<script>" <numkeys> <keys> <args>` (or EVAL_RO, or EVALSHA with a SHA1 in
 * place of the script). `split(text)` reads a field's words as the console will (the
 * engine's splitArgs); it returns null for a field whose quotes don't close.
 * Returns `{ line }` or `{ error }`.
 */
export function scriptLine({ command = 'EVAL', script, sha = null, keys = '', args = '' }, split) {
  const k = split(keys);
  if (k === null) return { error: 'The keys field has an unclosed quote.' };
  if (split(args) === null) return { error: 'The arguments field has an unclosed quote.' };
  const body = command.startsWith('EVALSHA') ? sha : quote(script);
  if (!body) return { error: 'Load the script first (SCRIPT LOAD gives its SHA1).' };
  const parts = [command, body, String(k.length)];
  if (keys.trim()) parts.push(keys.trim());
  if (args.trim()) parts.push(args.trim());
  return { line: parts.join(' ') };
}

/** `SCRIPT LOAD "<script>"`. */
export function loadLine(script) {
  return `SCRIPT LOAD ${quote(script)}`;
}

/** The SHA1 in a SCRIPT LOAD reply as the console prints it (`"abc…"`), or null. */
export function shaOf(replyText) {
  const m = /^"([0-9a-f]{40})"$/.exec(String(replyText).trim());
  return m ? m[1] : null;
}

/**
 * The examples the editor offers: a fixed-window rate limiter, BullMQ-style claiming of
 * due retries from a delayed queue, and a compare-and-set.
 */
export const EXAMPLES = [
  {
    id: 'rate-limit',
    title: 'Rate limiter: at most ARGV[1] calls per ARGV[2] seconds',
    keys: 'rate:alice',
    args: '5 60',
    script: [
      "local n = redis.call('INCR', KEYS[1])",
      "if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end",
      'if n > tonumber(ARGV[1]) then',
      "  return redis.error_reply('RATELIMIT try again in ' .. redis.call('TTL', KEYS[1]) .. ' s')",
      'end',
      'return n',
    ].join('\n'),
  },
  {
    id: 'pop-due',
    title: 'Claim the due retries of a delayed queue in one step (BullMQ’s way)',
    keys: 'retry',
    args: '1700000000000 10',
    script: [
      '-- ARGV[1]: now (ms); ARGV[2]: at most this many',
      "local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])",
      "if #due > 0 then redis.call('ZREM', KEYS[1], unpack(due)) end",
      'return due',
    ].join('\n'),
  },
  {
    id: 'cas',
    title: 'Compare and set: change a value only if it is still what you read',
    keys: 'config:mode',
    args: 'old new',
    script: [
      "if redis.call('GET', KEYS[1]) == ARGV[1] then",
      "  redis.call('SET', KEYS[1], ARGV[2])",
      '  return 1',
      'end',
      'return 0',
    ].join('\n'),
  },
];
