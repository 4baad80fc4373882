import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { JobSchedulerJson, Queue, RepeatOptions } from 'bullmq';
import { EnqueuedJobName, JOB_CATALOG, jobIdOf, JobName, JobPayload, QueueName, RetryPolicy, retryPolicyOf, ScheduledJobName } from '../job-catalog';
import { JobQueue, JobSchedule, JobState, JobStatus, QueueJobCounts } from '../job-queue';
import { QueueUnavailableError } from '../queue-unavailable.error';
import { QUEUE_TIMEOUT_MS } from './redis-connection';

const KEEP_COMPLETED = { age: 24 * 3600, count: 10_000 };
const KEEP_FAILED = { age: 14 * 24 * 3600 };
/** A Redis outage makes every connection report every reconnect; one line per queue this often is enough. */
const ERROR_LOG_INTERVAL_MS = 30_000;

/** The production queue: BullMQ on Redis, shared by every api and worker process. */
export class BullmqJobQueue extends JobQueue implements OnApplicationShutdown {
  private readonly logger = new Logger('BullmqQueue');
  private readonly lastErrorLog = new Map<QueueName, number>();
  private readonly queues: Map<QueueName, Queue>;
  /** Queues this driver opened in place of broken ones; the module that made the originals closes only those. */
  private readonly opened: Queue[] = [];
  private readonly broken = new Set<Queue>();
  private closing = false;

  constructor(
    queues: Map<QueueName, Queue>,
    private readonly retry: (name: JobName) => RetryPolicy = (name) => retryPolicyOf(name),
    private readonly timeoutMs = QUEUE_TIMEOUT_MS,
  ) {
    super();
    this.queues = new Map(queues);
    for (const [name, queue] of this.queues) this.watch(name, queue);
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    await Promise.all(this.opened.map((queue) => queue.close().catch(() => undefined)));
  }

  private watch(name: QueueName, queue: Queue): void {
    queue.on('error', (error: Error) => {
      const last = this.lastErrorLog.get(name) ?? 0;
      if (Date.now() - last < ERROR_LOG_INTERVAL_MS) return;
      this.lastErrorLog.set(name, Date.now());
      this.logger.warn(`Queue ${name}: Redis connection error: ${error.message}`);
    });
    // BullMQ asks a new connection for the server's version once, and a
    // connection whose question failed (a command timeout while a loaded
    // machine starts the process, a drop at that moment) rejects every later
    // call with that error until the process restarts: the api stayed
    // degraded for good. The next call replaces such a queue (one per call,
    // so a connection that fails at once cannot spin).
    queue.waitUntilReady().catch((error: Error) => {
      if (this.closing) return;
      this.broken.add(queue);
      this.logger.warn(`Queue ${name}: the Redis connection failed to start (${error.message}); the next call opens a new one`);
    });
  }

  private replace(name: QueueName, broken: Queue): Queue {
    const fresh = new Queue(broken.name, broken.opts);
    this.queues.set(name, fresh);
    this.broken.delete(broken);
    this.opened.push(fresh);
    this.watch(name, fresh);
    void broken.close().catch(() => undefined);
    return fresh;
  }

  async enqueue<N extends EnqueuedJobName>(name: N, payload: JobPayload<N>): Promise<string> {
    const jobId = jobIdOf(name, payload);
    await this.bounded(`adding ${jobId}`, () => this.queue(JOB_CATALOG[name].queue).add(name, payload, { jobId, ...this.jobOptions(name) }));
    return jobId;
  }

  async enqueueMany<N extends EnqueuedJobName>(name: N, payloads: JobPayload<N>[]): Promise<string[]> {
    if (payloads.length === 0) return [];
    const jobs = payloads.map((payload) => ({ name, data: payload, opts: { jobId: jobIdOf(name, payload), ...this.jobOptions(name) } }));
    // addBulk sends every job in one MULTI; ids already known stay no-ops, as with add.
    await this.bounded(`adding ${jobs.length} ${name} jobs`, () => this.queue(JOB_CATALOG[name].queue).addBulk(jobs));
    return jobs.map((j) => j.opts.jobId);
  }

  async schedule<N extends ScheduledJobName>(schedulerId: string, name: N, payload: JobPayload<N>, when: JobSchedule): Promise<void> {
    const queue = this.queue(JOB_CATALOG[name].queue);
    // Cron in UTC, as TRAINING_CRON is documented and the in-process driver reads it.
    const repeat: Omit<RepeatOptions, 'key'> = 'cron' in when ? { pattern: when.cron, tz: 'UTC' } : { every: when.everyMs };
    const opts = this.jobOptions(name);
    await this.bounded(`scheduling ${schedulerId}`, async () => {
      // An upsert of what is already there would still replace the next fire's job, and one that
      // waits for a busy worker would be pushed to the time after: every process sets its
      // schedules at start and again now and then, so an unchanged schedule is left alone.
      if (sameSchedule(await queue.getJobScheduler(schedulerId), name, repeat, payload, opts.attempts)) return;
      await queue.upsertJobScheduler(schedulerId, repeat, { name, data: payload, opts });
    });
  }

  async unschedule(schedulerId: string): Promise<boolean> {
    return this.bounded(`removing schedule ${schedulerId}`, async () => {
      // Every queue: the id names the schedule, and a job that moved to another queue leaves its old one behind.
      const removed = await Promise.all(this.allQueues().map((queue) => queue.removeJobScheduler(schedulerId)));
      return removed.includes(true);
    });
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
      for (const queue of this.allQueues()) {
        total += await queue.getJobCountByTypes('waiting', 'delayed', 'active', 'prioritized', 'waiting-children');
      }
      return total;
    });
  }

  async jobCounts(): Promise<QueueJobCounts[]> {
    return this.bounded('counting jobs', () =>
      Promise.all(
        [...this.queues.keys()].map(async (queue) => {
          const c = await this.queue(queue).getJobCounts('waiting', 'prioritized', 'waiting-children', 'delayed', 'active', 'failed');
          // As status() reads them: prioritized and waiting-children jobs are waiting too.
          return { queue, waiting: c.waiting + c.prioritized + c['waiting-children'], delayed: c.delayed, active: c.active, failed: c.failed };
        }),
      ),
    );
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

  private jobOptions(name: JobName) {
    const { attempts, backoffMs } = this.retry(name);
    return {
      attempts,
      backoff: { type: 'exponential', delay: backoffMs },
      // Completed jobs are kept for a day so a re-enqueue of the same id in
      // that time stays a no-op, as the fixed job id intends.
      removeOnComplete: KEEP_COMPLETED,
      removeOnFail: KEEP_FAILED,
    };
  }

  private queue(name: QueueName): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`Queue ${name} is not registered`);
    return this.broken.has(queue) ? this.replace(name, queue) : queue;
  }

  private allQueues(): Queue[] {
    return [...this.queues.keys()].map((name) => this.queue(name));
  }
}

function sameSchedule(current: JobSchedulerJson | undefined, name: string, repeat: Omit<RepeatOptions, 'key'>, payload: unknown, attempts: number): boolean {
  if (!current) return false;
  return (
    current.name === name &&
    (current.pattern ?? null) === (repeat.pattern ?? null) &&
    (current.every ?? null) === (repeat.every ?? null) &&
    (current.tz ?? null) === (repeat.tz ?? null) &&
    JSON.stringify(current.template?.data ?? {}) === JSON.stringify(payload) &&
    current.template?.opts?.attempts === attempts
  );
}
