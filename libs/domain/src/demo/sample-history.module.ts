import { Module } from '@nestjs/common';
import { DemoHistoryRepository } from '@loupe/database';
import { SampleHistoryService } from './sample-history.service';

/** Only the command line imports this module; the repository is not in DatabaseModule, so the server never holds it. */
@Module({
  providers: [DemoHistoryRepository, SampleHistoryService],
  exports: [SampleHistoryService],
})
export class SampleHistoryModule {}
