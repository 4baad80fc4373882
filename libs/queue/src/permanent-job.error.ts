/**
 * Thrown by a handler when retrying cannot help (corrupt file, unknown id):
 * the job fails at once with this message as its reason. Any other error is
 * treated as transient and retried with backoff.
 */
export class PermanentJobError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PermanentJobError';
  }
}
