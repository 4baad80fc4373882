import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { parseCron } from '@loupe/common';
import { EnqueuedJobName, JOB_CATALOG, jobIdOf, JobName, JobPayload, QUEUE_NAMES, QueueName, RetryPolicy, retryPolicyOf, ScheduledJobName } from '../job-catalog';
import { JobDispatcher } from '../job-dispatcher';
import { JobQueue, JobSchedule, JobState, JobStatus, QueueJobCounts } from '../job-queue';
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
  /** When it was added (a schedule's job is added at its fire time). */
  addedAt: number;
  timer?: NodeJS.Timeout;
}

interface InProcessSchedule {
  id: string;
  name: ScheduledJobName;
  payload: unknown;
  /** What it was set with, to tell an unchanged schedule from a new one. */
  key: string;
  /** The fire after the one at `at`, given the time now. */
  following(at: number, now: number): number;
  timer?: NodeJS.Timeout;
  lastJobId?: string;
}

/** Finished jobs remembered for status() and the fixed-id no-op; older ones are forgotten. */
export const KEEP_FINISHED_JOBS = 1_000;
/** setTimeout's longest delay (about 24.8 days); a fire further away re-arms the timer when it wakes. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The embedded queue: the same handlers, job ids, retries and exponential
 * backoff as the BullMQ driver, kept in memory. Jobs do not survive a
 * restart; the recovery sweep re-enqueues unfinished items. Schedules are
 * timers, set again at each start by whoever owns them.
 */
export class InProcessJobQueue extends JobQueue implements OnApplicationShutdown {
  private readonly logger = new Logger('InProcessQueue');
  private readonly jobs = new Map<string, InProcessJob>();
  private readonly waiting = new Map<QueueName, InProcessJob[]>();
  private readonly active = new Map<QueueName, number>();
  private readonly running = new Set<Promise<void>>();
  /** Ids of completed and failed jobs, oldest first (a Map keeps insertion order). */
  private readonly finished = new Map<string, true>();
  private readonly schedules = new Map<string, InProcessSchedule>();
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

  async enqueue<N extends EnqueuedJobName>(name: N, payload: JobPayload<N>): Promise<string> {
    return this.add(jobIdOf(name, payload), name, payload);
  }

  async enqueueMany<N extends EnqueuedJobName>(name: N, payloads: JobPayload<N>[]): Promise<string[]> {
    const ids: string[] = [];
    for (const payload of payloads) ids.push(await this.add(jobIdOf(name, payload), name, payload));
    return ids;
  }

  /** A timer per schedule, as BullMQ's job schedulers: each fire adds a job `repeat:<id>:<fire time in ms>`. */
  async schedule<N extends ScheduledJobName>(schedulerId: string, name: N, payload: JobPayload<N>, when: JobSchedule): Promise<void> {
    if (this.closing) return;
    const key = JSON.stringify([name, payload, when]);
    const current = this.schedules.get(schedulerId);
    if (current?.key === key) return;
    const schedule: InProcessSchedule = { id: schedulerId, name, payload, key, following: following(when) };
    if (current) clearTimeout(current.timer);
    this.schedules.set(schedulerId, schedule);
    // An interval fires at once, then every interval; a cron expression at its next time (BullMQ does the same).
    const now = Date.now();
    if ('cron' in when) this.arm(schedule, schedule.following(now, now));
    else this.fire(schedule, now);
  }

  async unschedule(schedulerId: string): Promise<boolean> {
    const schedule = this.schedules.get(schedulerId);
    if (!schedule) return false;
    clearTimeout(schedule.timer);
    this.schedules.delete(schedulerId);
    return true;
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

  async jobCounts(): Promise<QueueJobCounts[]> {
    const counts = new Map<QueueName, QueueJobCounts>(QUEUE_NAMES.map((queue) => [queue, { queue, waiting: 0, delayed: 0, active: 0, failed: 0 }]));
    for (const job of this.jobs.values()) {
      const row = counts.get(job.queue)!;
      if (job.state === 'waiting' || job.state === 'delayed' || job.state === 'active' || job.state === 'failed') row[job.state] += 1;
    }
    return [...counts.values()];
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    for (const job of this.jobs.values()) clearTimeout(job.timer);
    for (const schedule of this.schedules.values()) clearTimeout(schedule.timer);
    this.schedules.clear();
    // Running jobs get a grace period; what is cut off is re-queued at the next boot.
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.shutdownGraceMs)));
    await Promise.race([Promise.allSettled([...this.running]), grace]);
    clearTimeout(timer);
  }

  private add(id: string, name: JobName, payload: unknown): string {
    if (this.jobs.has(id) || this.closing) return id;
    const job: InProcessJob = {
      id,
      name,
      queue: JOB_CATALOG[name].queue,
      payload,
      state: 'waiting',
      progress: 0,
      attemptsMade: 0,
      failedReason: null,
      addedAt: Date.now(),
    };
    this.jobs.set(id, job);
    this.push(job);
    return id;
  }

  private arm(schedule: InProcessSchedule, at: number): void {
    schedule.timer = setTimeout(
      () => {
        // A far fire sleeps in steps; a timer may also wake a millisecond early.
        if (Date.now() < at) this.arm(schedule, at);
        else this.fire(schedule, at);
      },
      Math.min(Math.max(at - Date.now(), 0), MAX_TIMER_MS),
    );
    // A schedule alone does not keep the process alive; shutdown clears it anyway.
    schedule.timer.unref();
  }

  private fire(schedule: InProcessSchedule, at: number): void {
    if (this.closing || this.schedules.get(schedule.id) !== schedule) return;
    const last = schedule.lastJobId ? this.jobs.get(schedule.lastJobId) : undefined;
    // As in BullMQ, a schedule has at most one job that has not started: while the last one still
    // waits for a free slot, this fire is skipped rather than piling up behind it.
    if (!(last && last.state === 'waiting' && last.attemptsMade === 0)) {
      schedule.lastJobId = this.add(`repeat:${schedule.id}:${at}`, schedule.name, schedule.payload);
    }
    this.arm(schedule, schedule.following(at, Date.now()));
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
        readyAt: job.addedAt,
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

/** When a schedule fires next. Fires missed while the event loop was held up are skipped, not made up for (BullMQ skips them too). */
function following(when: JobSchedule): (at: number, now: number) => number {
  if ('cron' in when) {
    const cron = parseCron(when.cron);
    return (at, now) => cron.next(new Date(Math.max(at, now))).getTime();
  }
  const every = when.everyMs;
  if (!Number.isInteger(every) || every < 1) throw new Error(`A schedule's interval must be a whole number of milliseconds, at least 1; got ${every}`);
  return (at, now) => at + every * Math.max(1, Math.ceil((now - at) / every));
}
