/** Retry-After of a 503 for an unreachable queue: the connections reconnect within seconds of Redis coming back. */
export const QUEUE_RETRY_AFTER_SECONDS = 5;

/**
 * Redis did not answer in time, or refused the command because it is
 * unreachable. Callers answer 503 and let the client retry; nothing waits for
 * Redis to come back.
 */
export class QueueUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'QueueUnavailableError';
  }
}
