import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { MatchingModule } from '../matching/matching.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { PreviewService } from './tasks/preview.service';
import { WellbeingModule } from '../wellbeing/wellbeing.module';
import { AppealSettlement } from './decisions/appeal-settlement.service';
import { CaseFinalizer } from './decisions/case-finalizer.service';
import { CaseService } from './cases/case.service';
import { GoldInjector } from './gold/gold-injector.service';
import { GoldService } from './gold/gold.service';
import { GoldStanding } from './gold/gold-standing.service';
import { AppealService } from './cases/intake/appeal.service';
import { ReportService } from './cases/intake/report.service';
import { LabelExportService } from './decisions/label-export.service';
import { ModeratorService } from './tasks/moderator.service';
import { QueueService } from './cases/queue.service';
import { ReviewDecisionService } from './decisions/review-decision.service';
import { ClaimService } from './tasks/claim.service';
import { TaskLeaseService } from './tasks/task-lease.service';
import { SlaMonitorService } from './cases/sla-monitor.service';

const services = [
  CaseService,
  CaseFinalizer,
  AppealSettlement,
  GoldService,
  GoldInjector,
  GoldStanding,
  ClaimService,
  TaskLeaseService,
  ReviewDecisionService,
  QueueService,
  ModeratorService,
  LabelExportService,
  ReportService,
  AppealService,
  PreviewService,
  SlaMonitorService,
];

@Module({ imports: [AuditModule, MatchingModule, WellbeingModule, WebhooksModule], providers: services, exports: services })
export class ReviewModule {}
