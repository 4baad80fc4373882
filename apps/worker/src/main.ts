import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, LoupeConfig } from '@loupe/config';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  const config = LoupeConfig.fromEnv(process.env, 'worker');
  if (config.queue.kind !== 'redis') {
    throw new ConfigError('The worker process needs REDIS_URL; without it, `npm start` runs api and worker in one process.');
  }
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: config.logLevels });
  app.enableShutdownHooks();
  // A worker has no other HTTP server: without METRICS_PORT its job and compute metrics are not exposed anywhere.
  const metrics = config.metrics.port === null ? 'off (set METRICS_PORT)' : `http://${config.metrics.host}:${config.metrics.port}/metrics`;
  Logger.log(`Loupe worker running (database: ${config.database.kind}, queue prefix: ${config.queue.prefix}, metrics: ${metrics})`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
