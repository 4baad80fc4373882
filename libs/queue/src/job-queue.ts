import type { JobName, JobPayload, QueueName } from './job-catalog';

export type JobState = 'waiting' | 'delayed' | 'active' | 'completed' | 'failed' | 'unknown';

export interface JobStatus {
  id: string;
  name: string;
  queue: QueueName;
  state: JobState;
  progress: number;
  attemptsMade: number;
  failedReason: string | null;
}

/** The producer side of the queue, the same for every driver. */
export abstract class JobQueue {
  /** Adds a job under its catalog id; if that id is already known this is a no-op. */
  abstract enqueue<N extends JobName>(name: N, payload: JobPayload<N>): Promise<string>;
  abstract status(queue: QueueName, jobId: string): Promise<JobStatus | null>;
  /**
   * Drops a completed or failed job so that its fixed id can be added again
   * (a re-enqueue would otherwise be a no-op). A waiting, delayed or active
   * job is left alone. Returns whether the id is free now.
   */
  abstract forgetFinished(queue: QueueName, jobId: string): Promise<boolean>;
  /** Waiting plus delayed plus active jobs, for health and tests. */
  abstract pendingCount(): Promise<number>;
}
