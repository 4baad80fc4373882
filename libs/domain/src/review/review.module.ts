import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { MatchingModule } from '../matching/matching.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { PreviewService } from './preview.service';
import { WellbeingModule } from '../wellbeing/wellbeing.module';
import { CaseFinalizer } from './case-finalizer.service';
import { CaseService } from './case.service';
import { GoldService } from './gold.service';
import { AppealService } from './intake/appeal.service';
import { ReachService } from './intake/reach.service';
import { ReportService } from './intake/report.service';
import { LabelExportService } from './label-export.service';
import { ModeratorService } from './moderator.service';
import { QueueService } from './queue.service';
import { ReviewDecisionService } from './review-decision.service';
import { ReviewService } from './review.service';
import { SlaMonitorService } from './sla-monitor.service';

const services = [
  CaseService,
  CaseFinalizer,
  GoldService,
  ReviewService,
  ReviewDecisionService,
  QueueService,
  ModeratorService,
  LabelExportService,
  ReportService,
  AppealService,
  ReachService,
  PreviewService,
  SlaMonitorService,
];

@Module({ imports: [AuditModule, MatchingModule, WellbeingModule, WebhooksModule], providers: services, exports: services })
export class ReviewModule {}
