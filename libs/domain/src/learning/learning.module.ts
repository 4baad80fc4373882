import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DatasetFiles } from './datasets/dataset-files';
import { DatasetService } from './datasets/dataset.service';

/**
 * The learning loop: datasets from moderators' labels, and (in the steps
 * that follow) training, evaluation against the champion, and the registry.
 */
@Module({
  imports: [AuditModule],
  providers: [DatasetFiles, DatasetService],
  exports: [DatasetService],
})
export class LearningModule {}
