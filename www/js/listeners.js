// Telling listeners: every one is called, whatever the others do.

/**
 * Call each of `listeners` (a Set or an array of functions, copied first: one may unsubscribe)
 * with `args`. One that throws is logged as `${what} failed` and the others still run.
 */
export function callEach(listeners, what, ...args) {
  for (const fn of [...listeners]) {
    try {
      fn(...args);
    } catch (e) {
      console.error(`${what} failed:`, e);
    }
  }
}
