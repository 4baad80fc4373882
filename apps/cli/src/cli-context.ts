import { DynamicModule, INestApplicationContext, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigModule, LoupeConfig } from '@loupe/config';
import { DatabaseModule } from '@loupe/database';

@Module({})
class CliModule {
  static forRoot(config: LoupeConfig, imports: Type[]): DynamicModule {
    return { module: CliModule, imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot(), ...imports] };
  }
}

/**
 * Opens just the modules a command needs, on the same database the server
 * uses, runs `work`, and closes everything so the command exits promptly.
 */
export async function withCliContext<T>(imports: Type[], work: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  const config = LoupeConfig.fromEnv(process.env, 'cli');
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config, imports), { logger: ['warn'], abortOnError: false });
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}
