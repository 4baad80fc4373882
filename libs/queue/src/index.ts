export * from './job-catalog';
export * from './job-dispatcher';
export * from './job-handler';
export * from './job-handler.decorator';
export * from './job-queue';
export * from './permanent-job.error';
export * from './queue.module';
export * from './drivers/redis-connection';
