import type { JobStatus } from './job-queue';

/** Re-queues of one item before the recovery sweep gives up and fails it with a reason. */
export const MAX_RECOVERIES = 5;

/** A job that will still run: its item is not stranded. */
export function isPending(status: JobStatus | null): boolean {
  return status !== null && ['waiting', 'delayed', 'active'].includes(status.state);
}
