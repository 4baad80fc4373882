import { DynamicModule, INestApplicationContext, Module, Provider, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigModule, LoupeConfig } from '@loupe/config';
import { DatabaseModule } from '@loupe/domain';

export interface CliContextOptions {
  imports?: Type[];
  providers?: Provider[];
  /** Open the configured database (most commands); `loupe hash` needs none. */
  database?: boolean;
}

@Module({})
class CliModule {
  static forRoot(config: LoupeConfig, options: CliContextOptions): DynamicModule {
    return {
      module: CliModule,
      imports: [ConfigModule.forRoot(config), ...(options.database === false ? [] : [DatabaseModule.forRoot()]), ...(options.imports ?? [])],
      providers: options.providers ?? [],
    };
  }
}

/**
 * Opens just the modules a command needs, with the same configuration as the
 * server, runs `work`, and closes everything so the command exits promptly.
 */
export async function withCliContext<T>(options: CliContextOptions, work: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  const config = LoupeConfig.fromEnv(process.env, 'cli');
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config, options), { logger: ['warn'], abortOnError: false });
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}
