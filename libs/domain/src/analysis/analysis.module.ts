import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ContentModule } from '../content/content.module';
import { MatchingModule } from '../matching/matching.module';
import { ReviewModule } from '../review/review.module';
import { AnalysisSweepService } from './analysis-sweep.service';
import { RecheckService } from './recheck/recheck.service';
import { RetroHuntHandler } from './retro-hunt/retro-hunt.handler';
import { RetroHuntService } from './retro-hunt/retro-hunt.service';
import { ViewsService } from './reach/views.service';
import { ViralityRecheckHandler } from './reach/virality-recheck.handler';
import { TransparencyService } from './transparency/transparency.service';
import { MissesService } from './misses/misses.service';
import { MissesRollupService } from './misses/misses-rollup.service';
import { AccuracyService } from './accuracy/accuracy.service';
import { TrainingPackService } from './accuracy/training-pack.service';
import { WellbeingModule } from '../wellbeing/wellbeing.module';
import { ContentPreviewService } from './content-preview.service';
import { TrendAlertService } from './trends/trend-alert.service';
import { TrendScanSchedulerService } from './trends/trend-scan-scheduler.service';
import { TrendScanHandler } from './trends/trend-scan.handler';
import { TrendScanService } from './trends/trend-scan.service';
import { TrendWorkService } from './trends/trend-work.service';

const trends = [TrendScanService, TrendAlertService, TrendWorkService, ContentPreviewService];

/**
 * Analysis for trust and safety analysts, computed from Loupe's own
 * records. So far: transparency figures and DSA statements of reasons;
 * the statistics of moderator accuracy (accuracy/) and of emerging trends
 * (trends/) are pure logic that later services will use.
 */
@Module({
  imports: [AuditModule, ContentModule, MatchingModule, ReviewModule, WellbeingModule],
  providers: [TransparencyService, MissesService, MissesRollupService, AccuracyService, TrainingPackService, ViewsService, RecheckService, ViralityRecheckHandler, RetroHuntService, RetroHuntHandler, AnalysisSweepService, ...trends, TrendScanSchedulerService, TrendScanHandler],
  exports: [...trends, TransparencyService, MissesService, AccuracyService, TrainingPackService, ViewsService, RetroHuntService],
})
export class AnalysisModule {}
