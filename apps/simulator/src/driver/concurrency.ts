/** Small helpers for the driver's concurrent HTTP work. */

/** Runs `work` over `items` with at most `limit` at once, in order of start. */
export async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(runners);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
