import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import type { LoupeConfig } from '@loupe/config';
import { LoupeCoreModule } from '@loupe/domain';
import { ApiKeyController } from './api-key/api-key.controller';
import { BankEntryController } from './bank/bank-entry.controller';
import { BankFileController } from './bank/bank-file.controller';
import { BankController } from './bank/bank.controller';
import { AuditController } from './audit/audit.controller';
import { ContentIntakeController } from './content/content-intake.controller';
import { ViewsController } from './content/views.controller';
import { RetroHuntsController } from './analysis/retro-hunts.controller';
import { ContentController } from './content/content.controller';
import { HashController } from './hash/hash.controller';
import { HealthController } from './health/health.controller';
import { AllExceptionsFilter } from './http/all-exceptions.filter';
import { ApiKeyGuard } from './http/api-key.guard';
import { LabelController } from './label/label.controller';
import { MetricsController } from './metrics/metrics.controller';
import { DatasetController } from './learning/dataset.controller';
import { TransparencyController } from './analysis/transparency.controller';
import { AccuracyController } from './analysis/accuracy.controller';
import { TrendsController } from './analysis/trends.controller';
import { ContentPreviewController } from './analysis/content-preview.controller';
import { MissesController } from './analysis/misses.controller';
import { DashboardController } from './dashboard/dashboard.controller';
import { ExperimentReportController } from './learning/experiment-report.controller';
import { FeatureBackfillController } from './learning/feature-backfill.controller';
import { ModelController } from './learning/model.controller';
import { TrainingRunController } from './learning/training-run.controller';
import { ModeratorController } from './moderator/moderator.controller';
import { PolicyController } from './policy/policy.controller';
import { ReviewAdminController } from './review/review-admin.controller';
import { ReviewController } from './review/review.controller';
import { WebhookDeliveryController } from './webhook/webhook-delivery.controller';
import { WebhookController } from './webhook/webhook.controller';
import { WellbeingController } from './wellbeing/wellbeing.controller';

@Module({})
export class ApiModule {
  /** @param config `process.mode` all runs the job handlers in this process too. */
  static forRoot(config: LoupeConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [LoupeCoreModule.forRoot(config, { workers: config.process.mode === 'all' })],
      controllers: [
        HealthController,
        MetricsController,
        ContentController,
        ContentIntakeController,
        ViewsController,
        RetroHuntsController,
        ReviewController,
        ReviewAdminController,
        ModeratorController,
        WellbeingController,
        LabelController,
        DatasetController,
        TrainingRunController,
        FeatureBackfillController,
        ModelController,
        ExperimentReportController,
        TransparencyController,
        AccuracyController,
        TrendsController,
        ContentPreviewController,
        MissesController,
        DashboardController,
        AuditController,
        PolicyController,
        BankController,
        BankEntryController,
        BankFileController,
        HashController,
        ApiKeyController,
        WebhookController,
        WebhookDeliveryController,
      ],
      providers: [
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
    };
  }
}
