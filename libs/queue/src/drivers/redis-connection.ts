import type { ConnectionOptions } from 'bullmq';

/** How long a producer waits for Redis before the caller hears that the queue is unavailable. */
export const QUEUE_TIMEOUT_MS = 3_000;

/** Reconnect quickly and keep trying: ioredis' own backoff grows to 20 s, which outlasts most outages. */
const reconnectDelay = (attempt: number) => Math.min(250 * attempt, 2_000);

/**
 * ioredis options from a redis:// or rediss:// URL (BullMQ does not take URLs).
 *
 * - `worker`: the connections that take jobs. They block on Redis, and BullMQ
 *   requires them to retry every command for as long as it takes.
 * - `producer`: the queues that add jobs and answer status and health. A
 *   request waiting on them waits for a client, so a command fails at once
 *   while Redis is unreachable instead of queueing in memory until it returns.
 */
export function redisConnectionFromUrl(url: string, role: 'worker' | 'producer' = 'worker'): ConnectionOptions {
  const parsed = new URL(url);
  const db = parsed.pathname.length > 1 ? Number.parseInt(parsed.pathname.slice(1), 10) : 0;
  const base = {
    host: parsed.hostname,
    port: parsed.port ? Number.parseInt(parsed.port, 10) : 6379,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: Number.isFinite(db) ? db : 0,
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
    connectTimeout: QUEUE_TIMEOUT_MS,
    retryStrategy: reconnectDelay,
  };
  if (role === 'worker') return { ...base, maxRetriesPerRequest: null };
  return { ...base, maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: QUEUE_TIMEOUT_MS };
}
