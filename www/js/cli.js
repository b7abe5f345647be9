// How redis-cli reads a console line, where the page needs it outside the engine (the
// console's colouring and waiting bar, the lessons' checks, share-link validation). Pure
// functions, no DOM: the node tests use them as they are.

// strtol's whole-word integer: optional C white space, a sign, digits.
const COUNT = /^[\t\n\v\f\r ]*[+-]?[0-9]+$/;
const I64_MAX = 2n ** 63n - 1n;
const I64_MIN = -(2n ** 63n);

/**
 * A leading repeat count, as redis-cli reads it (`3 INCR hits` runs INCR hits three times),
 * from a line's words (splitArgs texts): `{ count, argv }`. `count` is null when the first
 * word is not a count (argv is then every word); otherwise it is the number redis-cli takes,
 * a C int, where 0 or less means redis-cli refuses the line ("Invalid redis-cli repeat
 * command option value."), and argv is the words after it. A lone number (`42`) is a
 * command, not a count. (src/cli.rs parse_line_into is the engine's side of this.)
 */
export function repeatCount(words) {
  const w = Array.from(words, String);
  const first = w[0]?.split('\0')[0]; // redis-cli reads the word as a C string
  if (w.length < 2 || !(first === '' || COUNT.test(first))) return { count: null, argv: w };
  const v = BigInt(first.trim() === '' ? '0' : first.trim());
  const count = v > I64_MAX || v < I64_MIN ? 0 : Number(BigInt.asIntN(32, v));
  return { count, argv: w.slice(1) };
}
