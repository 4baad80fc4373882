import { Global, Module } from '@nestjs/common';
import { ComputePool } from './compute-pool';

@Global()
@Module({ providers: [ComputePool], exports: [ComputePool] })
export class ComputeModule {}
