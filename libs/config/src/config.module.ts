import { DynamicModule, Global, Module } from '@nestjs/common';
import { LoupeConfig } from './loupe-config';

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: LoupeConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: LoupeConfig, useValue: config }], exports: [LoupeConfig] };
  }
}
