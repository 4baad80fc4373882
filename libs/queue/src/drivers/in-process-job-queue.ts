import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { JOB_CATALOG, JobName, JobPayload, QueueName, RetryPolicy, retryPolicyOf } from '../job-catalog';
import { JobDispatcher } from '../job-dispatcher';
import { JobQueue, JobState, JobStatus } from '../job-queue';
import { PermanentJobError } from '../permanent-job.error';

interface InProcessJob {
  id: string;
  name: JobName;
  queue: QueueName;
  payload: unknown;
  state: JobState;
  progress: number;
  attemptsMade: number;
  failedReason: string | null;
  timer?: NodeJS.Timeout;
}

/** Finished jobs remembered for status() and the fixed-id no-op; older ones are forgotten. */
export const KEEP_FINISHED_JOBS = 1_000;

/**
 * The embedded queue: the same handlers, job ids, retries and exponential
 * backoff as the BullMQ driver, kept in memory. Jobs do not survive a
 * restart; the recovery sweep re-enqueues unfinished items.
 */
export class InProcessJobQueue extends JobQueue implements OnApplicationShutdown {
  private readonly logger = new Logger('InProcessQueue');
  private readonly jobs = new Map<string, InProcessJob>();
  private readonly waiting = new Map<QueueName, InProcessJob[]>();
  private readonly active = new Map<QueueName, number>();
  private readonly running = new Set<Promise<void>>();
  /** Ids of completed and failed jobs, oldest first (a Map keeps insertion order). */
  private readonly finished = new Map<string, true>();
  private closing = false;

  constructor(
    private readonly dispatcher: JobDispatcher,
    private readonly concurrency: number,
    private readonly shutdownGraceMs: number,
    private readonly retry: (name: JobName) => RetryPolicy = (name) => retryPolicyOf(name),
    // A long-running process finishes millions of jobs; only a recent window is worth keeping.
    private readonly keepFinished = KEEP_FINISHED_JOBS,
  ) {
    super();
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayload<N>): Promise<string> {
    const definition = JOB_CATALOG[name];
    const id = definition.jobId(payload);
    if (this.jobs.has(id) || this.closing) return id;
    const job: InProcessJob = {
      id,
      name,
      queue: definition.queue,
      payload,
      state: 'waiting',
      progress: 0,
      attemptsMade: 0,
      failedReason: null,
    };
    this.jobs.set(id, job);
    this.push(job);
    return id;
  }

  async status(queue: QueueName, jobId: string): Promise<JobStatus | null> {
    const job = this.jobs.get(jobId);
    if (!job || job.queue !== queue) return null;
    const { id, name, state, progress, attemptsMade, failedReason } = job;
    return { id, name, queue, state, progress, attemptsMade, failedReason };
  }

  async forgetFinished(queue: QueueName, jobId: string): Promise<boolean> {
    const job = this.jobs.get(jobId);
    if (!job || job.queue !== queue) return true;
    if (job.state !== 'completed' && job.state !== 'failed') return false;
    this.jobs.delete(jobId);
    this.finished.delete(jobId);
    return true;
  }

  async pendingCount(): Promise<number> {
    let n = 0;
    for (const job of this.jobs.values()) if (['waiting', 'delayed', 'active'].includes(job.state)) n++;
    return n;
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    for (const job of this.jobs.values()) clearTimeout(job.timer);
    // Running jobs get a grace period; what is cut off is re-queued at the next boot.
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.shutdownGraceMs)));
    await Promise.race([Promise.allSettled([...this.running]), grace]);
    clearTimeout(timer);
  }

  private push(job: InProcessJob): void {
    job.state = 'waiting';
    const list = this.waiting.get(job.queue) ?? [];
    list.push(job);
    this.waiting.set(job.queue, list);
    this.drain(job.queue);
  }

  private drain(queue: QueueName): void {
    if (this.closing) return;
    const list = this.waiting.get(queue) ?? [];
    while (list.length > 0 && (this.active.get(queue) ?? 0) < this.concurrency) {
      const job = list.shift()!;
      this.active.set(queue, (this.active.get(queue) ?? 0) + 1);
      const run = this.execute(job).finally(() => {
        this.running.delete(run);
        this.active.set(queue, (this.active.get(queue) ?? 1) - 1);
        this.drain(queue);
      });
      this.running.add(run);
    }
  }

  private async execute(job: InProcessJob): Promise<void> {
    const definition = this.retry(job.name);
    job.state = 'active';
    job.attemptsMade += 1;
    try {
      await this.dispatcher.run(job.name, job.payload as never, {
        jobId: job.id,
        attempt: job.attemptsMade,
        maxAttempts: definition.attempts,
        progress: async (percent) => {
          job.progress = percent;
        },
      });
      job.state = 'completed';
      job.progress = 100;
      this.remember(job);
    } catch (error) {
      job.failedReason = (error as Error).message;
      if (error instanceof PermanentJobError || job.attemptsMade >= definition.attempts || this.closing) {
        job.state = 'failed';
        this.remember(job);
        return;
      }
      job.state = 'delayed';
      const delay = definition.backoffMs * 2 ** (job.attemptsMade - 1);
      job.timer = setTimeout(() => this.push(job), delay);
      this.logger.debug(`Retrying ${job.id} in ${delay} ms`);
    }
  }

  private remember(job: InProcessJob): void {
    this.finished.set(job.id, true);
    for (const id of this.finished.keys()) {
      if (this.finished.size <= this.keepFinished) break;
      this.finished.delete(id);
      this.jobs.delete(id);
    }
  }
}
