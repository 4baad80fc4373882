import { AsyncLocalStorage } from 'node:async_hooks';

/*
 * Whether the work running now is background work (a job, a periodic pass)
 * or work that someone is waiting for (an HTTP request). The embedded
 * database has one connection, so its statements wait in one line; it lets
 * waiting work go first (libs/database's PGlite thread), so an upload or a
 * moderator's claim does not queue behind the jobs that earlier uploads
 * started. Work is waited for unless it runs inside `inBackground`, which
 * holds for everything the work awaits, however deep.
 */
const background = new AsyncLocalStorage<true>();

/** Runs `work` as background work. */
export function inBackground<T>(work: () => Promise<T>): Promise<T> {
  return background.run(true, work);
}

/** True inside `inBackground`. */
export function isBackgroundWork(): boolean {
  return background.getStore() === true;
}
