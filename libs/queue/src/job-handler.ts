import type { JobName, JobPayload } from './job-catalog';

export interface JobContext {
  jobId: string;
  /** 1 on the first try. */
  attempt: number;
  maxAttempts: number;
  /** Reports progress, 0..100, visible through the job's status. */
  progress(percent: number): Promise<void>;
}

export interface JobHandler<N extends JobName> {
  handle(payload: JobPayload<N>, context: JobContext): Promise<void>;
  /**
   * Called once when the job has failed for good: bad input, or the last
   * retry spent. It records the failure where users will see it.
   */
  onFailed?(payload: JobPayload<N>, error: Error): Promise<void>;
}
