import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { LearningModule } from '../learning/learning.module';
import { MatchingModule } from '../matching/matching.module';
import { ReviewModule } from '../review/review.module';
import { SignalsModule } from '../signals/signals.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { ClassificationHandler } from './classification.handler';
import { ContentIngestService } from './content-ingest.service';
import { ContentQueryService } from './content-query.service';
import { ContentScorer } from './content-scorer.service';
import { StoredFeatureScorer } from './stored-feature-scorer.service';
import { ContentRecoveryService } from './content-recovery.service';
import { MediaProcessingHandler } from './media-processing.handler';
import { RecoverySweepService } from './recovery-sweep.service';
import { RoutingService } from './routing.service';
import { TrendWatches } from './trend-watches';

@Module({
  imports: [AuditModule, MatchingModule, SignalsModule, ReviewModule, WebhooksModule, LearningModule],
  providers: [
    ContentIngestService,
    ContentQueryService,
    ContentRecoveryService,
    RecoverySweepService,
    RoutingService,
    TrendWatches,
    ContentScorer,
    StoredFeatureScorer,
    MediaProcessingHandler,
    ClassificationHandler,
  ],
  exports: [ContentIngestService, ContentQueryService, ContentScorer, StoredFeatureScorer, RoutingService, TrendWatches],
})
export class ContentModule {}
