import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, LoupeConfig } from '@loupe/config';
import { createApiApp } from './api-app.factory';

async function bootstrap(): Promise<void> {
  const config = LoupeConfig.fromEnv(process.env, 'server');
  const app = await createApiApp(config);
  await app.listen(config.http.port, config.http.host);
  Logger.log(
    `Loupe ${config.process.mode === 'all' ? 'all-in-one' : 'api'} listening on http://${config.http.host}:${config.http.port} ` +
      `(database: ${config.database.kind}, queue: ${config.queue.kind}); docs at /docs`,
    'Bootstrap',
  );
}

bootstrap().catch((error: unknown) => {
  // A bad environment is the operator's to fix: say which variable, without a stack trace.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
