import { setTimeout as delay } from 'node:timers/promises';

/**
 * Closes a test's parts in order, each within its own bound.
 *
 * Why: a full CI run (2026-12-03) failed on the 600 s hook timeout of an
 * afterAll that closed an api, a worker, a Redis and a PostgreSQL, with
 * every test passing; alone, the file passed in 37 s, and under load it did
 * not hang again. A hook that hangs says nothing about which part held it.
 * Here a part that overruns its bound is named on stderr with the handles
 * the process still holds, and the rest still close; the assertions of the
 * file have already run, so an overrun is reported, not failed.
 */
export type TeardownStep = readonly [label: string, close: (() => Promise<unknown>) | undefined];

export async function closeInOrder(steps: TeardownStep[], boundMs = 60_000): Promise<void> {
  for (const [label, close] of steps) {
    if (!close) continue;
    const outcome = await Promise.race([close().then(() => 'closed' as const, (error: unknown) => error), delay(boundMs, 'overran' as const, { ref: false })]);
    if (outcome === 'overran') {
      process.stderr.write(`[teardown] ${label} did not close within ${boundMs / 1000} s; moving on. Active resources: ${process.getActiveResourcesInfo().join(', ')}\n`);
    } else if (outcome !== 'closed') {
      process.stderr.write(`[teardown] ${label} failed to close: ${outcome instanceof Error ? outcome.message : String(outcome)}\n`);
    }
  }
}
