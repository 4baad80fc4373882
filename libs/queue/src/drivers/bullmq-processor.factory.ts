import { Inject, Logger, Type } from '@nestjs/common';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { ConnectionOptions, Job, UnrecoverableError } from 'bullmq';
import { JOB_CATALOG, JobName, QueueName } from '../job-catalog';
import { JobDispatcher } from '../job-dispatcher';
import { PermanentJobError } from '../permanent-job.error';

const ERROR_LOG_INTERVAL_MS = 30_000;

/**
 * One @nestjs/bullmq processor per queue, all delegating to the dispatcher,
 * so BullMQ and the in-process driver run exactly the same handler code.
 * The worker gets its own connection options: the queues' producer options
 * fail fast, which a blocking worker connection must not.
 */
export function createBullmqProcessor(queue: QueueName, concurrency: number, connection: ConnectionOptions): Type<WorkerHost> {
  const logger = new Logger(`Queue:${queue}`);
  class QueueProcessor extends WorkerHost {
    constructor(@Inject(JobDispatcher) private readonly dispatcher: JobDispatcher) {
      super();
    }

    async process(job: Job): Promise<void> {
      const name = job.name as JobName;
      try {
        await this.dispatcher.run(name, job.data as never, {
          jobId: job.id ?? '',
          attempt: job.attemptsMade + 1,
          maxAttempts: job.opts.attempts ?? JOB_CATALOG[name]?.attempts ?? 1,
          // A schedule's job is added ahead of its fire time, with the gap as its delay.
          readyAt: job.timestamp + (job.opts.delay ?? 0),
          progress: (percent) => job.updateProgress(percent),
        });
      } catch (error) {
        if (error instanceof PermanentJobError) throw new UnrecoverableError(error.message);
        throw error;
      }
    }

    private lastErrorLog = 0;

    // Without a listener, a lost Redis connection would surface as an unhandled 'error' event.
    // While Redis is down every reconnect fails; one line per interval says so.
    @OnWorkerEvent('error')
    onWorkerError(error: Error): void {
      if (Date.now() - this.lastErrorLog < ERROR_LOG_INTERVAL_MS) return;
      this.lastErrorLog = Date.now();
      logger.error(`Worker error: ${error.message}`);
    }
  }
  Object.defineProperty(QueueProcessor, 'name', { value: `${queue[0].toUpperCase()}${queue.slice(1)}QueueProcessor` });
  Processor(queue, { concurrency, connection })(QueueProcessor);
  return QueueProcessor;
}
