import { Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { JOB_CATALOG, JobName, JobPayload, QueueName, RetryPolicy, retryPolicyOf } from '../job-catalog';
import { JobQueue, JobState, JobStatus } from '../job-queue';
import { QueueUnavailableError } from '../queue-unavailable.error';
import { QUEUE_TIMEOUT_MS } from './redis-connection';

const KEEP_COMPLETED = { age: 24 * 3600, count: 10_000 };
const KEEP_FAILED = { age: 14 * 24 * 3600 };
/** A Redis outage makes every connection report every reconnect; one line per queue this often is enough. */
const ERROR_LOG_INTERVAL_MS = 30_000;

/** The production queue: BullMQ on Redis, shared by every api and worker process. */
export class BullmqJobQueue extends JobQueue {
  private readonly logger = new Logger('BullmqQueue');
  private readonly lastErrorLog = new Map<QueueName, number>();

  constructor(
    private readonly queues: Map<QueueName, Queue>,
    private readonly retry: (name: JobName) => RetryPolicy = (name) => retryPolicyOf(name),
    private readonly timeoutMs = QUEUE_TIMEOUT_MS,
  ) {
    super();
    for (const [name, queue] of queues) {
      queue.on('error', (error: Error) => {
        const last = this.lastErrorLog.get(name) ?? 0;
        if (Date.now() - last < ERROR_LOG_INTERVAL_MS) return;
        this.lastErrorLog.set(name, Date.now());
        this.logger.warn(`Queue ${name}: Redis connection error: ${error.message}`);
      });
    }
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayload<N>): Promise<string> {
    const definition = JOB_CATALOG[name];
    const jobId = definition.jobId(payload);
    const { attempts, backoffMs } = this.retry(name);
    await this.bounded(`adding ${jobId}`, () =>
      this.queue(definition.queue).add(name, payload, {
        jobId,
        attempts,
        backoff: { type: 'exponential', delay: backoffMs },
        // Completed jobs are kept for a day so a re-enqueue of the same id in
        // that time stays a no-op, as the fixed job id intends.
        removeOnComplete: KEEP_COMPLETED,
        removeOnFail: KEEP_FAILED,
      }),
    );
    return jobId;
  }

  async status(queue: QueueName, jobId: string): Promise<JobStatus | null> {
    return this.bounded(`reading ${jobId}`, async () => {
      const job = await this.queue(queue).getJob(jobId);
      if (!job) return null;
      const state = (await job.getState()) as string;
      const known: JobState[] = ['waiting', 'delayed', 'active', 'completed', 'failed'];
      return {
        id: jobId,
        name: job.name,
        queue,
        state: known.includes(state as JobState) ? (state as JobState) : state === 'prioritized' || state === 'waiting-children' ? 'waiting' : 'unknown',
        progress: typeof job.progress === 'number' ? job.progress : 0,
        attemptsMade: job.attemptsMade,
        failedReason: job.failedReason ?? null,
      };
    });
  }

  async forgetFinished(queue: QueueName, jobId: string): Promise<boolean> {
    return this.bounded(`removing ${jobId}`, async () => {
      const job = await this.queue(queue).getJob(jobId);
      if (!job) return true;
      const state = await job.getState();
      if (state !== 'completed' && state !== 'failed') return false;
      // remove() refuses a job that is locked, i.e. was picked up again in between.
      await job.remove();
      return true;
    });
  }

  async pendingCount(): Promise<number> {
    return this.bounded('counting jobs', async () => {
      let total = 0;
      for (const queue of this.queues.values()) {
        total += await queue.getJobCountByTypes('waiting', 'delayed', 'active', 'prioritized', 'waiting-children');
      }
      return total;
    });
  }

  /**
   * Runs a Redis call with a deadline. The producer connections already fail
   * fast while disconnected, but a Queue that never connected waits for
   * 'ready' forever, and a half-open socket answers nothing.
   */
  private async bounded<T>(what: string, work: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new QueueUnavailableError(`Redis did not answer ${what} within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      return await Promise.race([work(), deadline]);
    } catch (error) {
      if (error instanceof QueueUnavailableError) throw error;
      throw new QueueUnavailableError(`Redis failed ${what}: ${(error as Error).message}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  private queue(name: QueueName): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`Queue ${name} is not registered`);
    return queue;
  }
}
