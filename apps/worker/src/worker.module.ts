import { DynamicModule, Module } from '@nestjs/common';
import type { LoupeConfig } from '@loupe/config';
import { LoupeCoreModule } from '@loupe/domain';

/** The queue processors, with no HTTP server. */
@Module({})
export class WorkerModule {
  static forRoot(config: LoupeConfig): DynamicModule {
    return { module: WorkerModule, imports: [LoupeCoreModule.forRoot(config, { workers: true })] };
  }
}
