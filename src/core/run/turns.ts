/**
 * Turns a long computation gives the rest of its thread (a worker's messages: a pause, a reset, a new config), so
 * an expensive run never keeps them waiting. No tfjs here: the page's thread reads SUPERSEDED.
 */

/**
 * A computation training longer than this without a pause gives the thread's other work a turn (messages: a
 * pause, a reset, a new config), checking then whether it was interrupted. Short enough for a prompt pause, long
 * enough that the turns cost nothing measurable (a browser's worker waits at least 4 ms for a nested timer).
 */
export const SLICE_MS = 100;

/** Lets the event loop run its queued tasks (a message, a timer) before going on. */
export const yieldToEvents = (): Promise<void> => new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

/** The message of a load that a later load or an interrupt overtook (the page ignores it: it asked for something else). */
export const SUPERSEDED = 'the load was superseded';
