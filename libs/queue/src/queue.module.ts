import { DynamicModule, Global, Module, Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BullModule, getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { LoupeConfig } from '@loupe/config';
import { BullmqJobQueue } from './drivers/bullmq-job-queue';
import { createBullmqProcessor } from './drivers/bullmq-processor.factory';
import { InProcessJobQueue } from './drivers/in-process-job-queue';
import { redisConnectionFromUrl } from './drivers/redis-connection';
import { JobName, QUEUE_NAMES, QueueName, retryPolicyOf } from './job-catalog';
import { JobDispatcher } from './job-dispatcher';
import { JobQueue } from './job-queue';

export interface QueueModuleOptions {
  /** Run the handlers in this process (worker and all-in-one), or only produce jobs (api). */
  workers: boolean;
}

@Global()
@Module({})
export class QueueModule {
  static forRoot(config: LoupeConfig, options: QueueModuleOptions): DynamicModule {
    const queue = config.queue;
    const retry = (name: JobName) => retryPolicyOf(name, config);
    const dispatcher: Provider[] = options.workers ? [JobDispatcher] : [];
    if (queue.kind === 'in-process') {
      if (!options.workers) {
        throw new Error('An api-only process needs REDIS_URL: the in-process queue runs only in the all-in-one process.');
      }
      return {
        module: QueueModule,
        imports: [DiscoveryModule],
        providers: [
          ...dispatcher,
          {
            provide: JobQueue,
            inject: [JobDispatcher],
            useFactory: (jobs: JobDispatcher) => new InProcessJobQueue(jobs, queue.concurrency, config.process.shutdownGraceMs, retry),
          },
        ],
        exports: [JobQueue],
      };
    }
    return {
      module: QueueModule,
      imports: [
        DiscoveryModule,
        BullModule.forRoot({ connection: redisConnectionFromUrl(queue.url, 'producer'), prefix: queue.prefix }),
        ...QUEUE_NAMES.map((name) => BullModule.registerQueue({ name })),
      ],
      providers: [
        ...dispatcher,
        ...(options.workers
          ? QUEUE_NAMES.map((name) => createBullmqProcessor(name, queue.concurrency, redisConnectionFromUrl(queue.url, 'worker')))
          : []),
        {
          provide: JobQueue,
          inject: QUEUE_NAMES.map((name) => getQueueToken(name)),
          useFactory: (...queues: Queue[]) =>
            new BullmqJobQueue(new Map(QUEUE_NAMES.map((name, i) => [name, queues[i]] as [QueueName, Queue])), retry),
        },
      ],
      exports: [JobQueue],
    };
  }
}
