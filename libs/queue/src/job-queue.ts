import type { EnqueuedJobName, JobPayload, QueueName, ScheduledJobName } from './job-catalog';

export type JobState = 'waiting' | 'delayed' | 'active' | 'completed' | 'failed' | 'unknown';

/** When a schedule fires: a five-field cron expression in UTC, or a fixed interval (the first fire at once). */
export type JobSchedule = { cron: string } | { everyMs: number };

export interface JobStatus {
  id: string;
  name: string;
  queue: QueueName;
  state: JobState;
  progress: number;
  attemptsMade: number;
  failedReason: string | null;
}

export interface QueueJobCounts {
  queue: QueueName;
  waiting: number;
  delayed: number;
  active: number;
  failed: number;
}

/** The producer side of the queue, the same for every driver. */
export abstract class JobQueue {
  /** Adds a job under its catalog id; if that id is already known this is a no-op. */
  abstract enqueue<N extends EnqueuedJobName>(name: N, payload: JobPayload<N>): Promise<string>;
  /** As `enqueue` for many jobs of one kind, in one round trip where the driver allows (thousands per call of POST /v1/views). */
  abstract enqueueMany<N extends EnqueuedJobName>(name: N, payloads: JobPayload<N>[]): Promise<string[]>;
  /**
   * Sets the schedule under a fixed id: the queue adds the job at each of its
   * times, each fire a job with an id of its own (`repeat:<schedulerId>:<ms>`).
   * Setting it again with the same values changes nothing; with other values
   * it replaces it. With BullMQ the schedule lives in Redis, so every process
   * that sets the same id shares one schedule and one job per fire.
   */
  abstract schedule<N extends ScheduledJobName>(schedulerId: string, name: N, payload: JobPayload<N>, when: JobSchedule): Promise<void>;
  /** Removes a schedule and its next fire; returns whether there was one. */
  abstract unschedule(schedulerId: string): Promise<boolean>;
  abstract status(queue: QueueName, jobId: string): Promise<JobStatus | null>;
  /**
   * Drops a completed or failed job so that its fixed id can be added again
   * (a re-enqueue would otherwise be a no-op). A waiting, delayed or active
   * job is left alone. Returns whether the id is free now.
   */
  abstract forgetFinished(queue: QueueName, jobId: string): Promise<boolean>;
  /** Waiting plus delayed plus active jobs, for health and tests (with BullMQ, a schedule's next fire is a delayed job). */
  abstract pendingCount(): Promise<number>;
  /**
   * Jobs per queue and state, for the metrics. Failed counts the failed jobs
   * still kept (BullMQ: 14 days; in-process: among the last 1,000 finished).
   */
  abstract jobCounts(): Promise<QueueJobCounts[]>;
}
