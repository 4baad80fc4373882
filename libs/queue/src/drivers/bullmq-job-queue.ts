import type { Queue } from 'bullmq';
import { JOB_CATALOG, JobName, JobPayload, QueueName, RetryPolicy, retryPolicyOf } from '../job-catalog';
import { JobQueue, JobState, JobStatus } from '../job-queue';

const KEEP_COMPLETED = { age: 24 * 3600, count: 10_000 };
const KEEP_FAILED = { age: 14 * 24 * 3600 };

/** The production queue: BullMQ on Redis, shared by every api and worker process. */
export class BullmqJobQueue extends JobQueue {
  constructor(
    private readonly queues: Map<QueueName, Queue>,
    private readonly retry: (name: JobName) => RetryPolicy = (name) => retryPolicyOf(name),
  ) {
    super();
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayload<N>): Promise<string> {
    const definition = JOB_CATALOG[name];
    const jobId = definition.jobId(payload);
    const { attempts, backoffMs } = this.retry(name);
    await this.queue(definition.queue).add(name, payload, {
      jobId,
      attempts,
      backoff: { type: 'exponential', delay: backoffMs },
      // Completed jobs are kept for a day so a re-enqueue of the same id in
      // that time stays a no-op, as the fixed job id intends.
      removeOnComplete: KEEP_COMPLETED,
      removeOnFail: KEEP_FAILED,
    });
    return jobId;
  }

  async status(queue: QueueName, jobId: string): Promise<JobStatus | null> {
    const job = await this.queue(queue).getJob(jobId);
    if (!job) return null;
    const state = (await job.getState()) as string;
    const known: JobState[] = ['waiting', 'delayed', 'active', 'completed', 'failed'];
    return {
      id: jobId,
      name: job.name,
      queue,
      state: known.includes(state as JobState) ? (state as JobState) : state === 'prioritized' ? 'waiting' : 'unknown',
      progress: typeof job.progress === 'number' ? job.progress : 0,
      attemptsMade: job.attemptsMade,
      failedReason: job.failedReason ?? null,
    };
  }

  async pendingCount(): Promise<number> {
    let total = 0;
    for (const queue of this.queues.values()) {
      total += await queue.getJobCountByTypes('waiting', 'delayed', 'active', 'prioritized', 'waiting-children');
    }
    return total;
  }

  private queue(name: QueueName): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`Queue ${name} is not registered`);
    return queue;
  }
}
