import { Module } from '@nestjs/common';
import { LearningModule } from '../learning/learning.module';
import { MatchingModule } from '../matching/matching.module';
import { OperationsMetricsService } from './operations-metrics.service';

/** The scrape-time collectors; LoupeMetrics itself (libs/metrics) is global, for every layer that records. */
@Module({ imports: [MatchingModule, LearningModule], providers: [OperationsMetricsService] })
export class OperationsMetricsModule {}
