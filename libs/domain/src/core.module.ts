import { DynamicModule, Module } from '@nestjs/common';
import { ComputeModule } from '@loupe/compute';
import { ConfigModule, LoupeConfig } from '@loupe/config';
import { DatabaseModule } from '@loupe/database';
import { MediaModule } from '@loupe/media';
import { MetricsModule } from '@loupe/metrics';
import { QueueModule, QueueModuleOptions } from '@loupe/queue';
import { AnalysisModule } from './analysis/analysis.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { HealthModule } from './health/health.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { ContentModule } from './content/content.module';
import { LearningModule } from './learning/learning.module';
import { MatchingModule } from './matching/matching.module';
import { OperationsMetricsModule } from './metrics/metrics.module';
import { PolicyModule } from './policy/policy.module';
import { ReviewModule } from './review/review.module';
import { SignalsModule } from './signals/signals.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { WellbeingModule } from './wellbeing/wellbeing.module';

const domainModules = [AuditModule, AuthModule, HealthModule, IdempotencyModule, PolicyModule, SignalsModule, MatchingModule, WellbeingModule, WebhooksModule, ReviewModule, ContentModule, LearningModule, AnalysisModule];

/**
 * Everything but the transport: stores, queue, compute and the domain.
 * The api adds HTTP on top; the worker runs it with the job handlers live.
 */
@Module({})
export class LoupeCoreModule {
  static forRoot(config: LoupeConfig, options: QueueModuleOptions): DynamicModule {
    return {
      module: LoupeCoreModule,
      imports: [
        ConfigModule.forRoot(config),
        MetricsModule,
        DatabaseModule.forRoot(),
        QueueModule.forRoot(config, options),
        MediaModule,
        ComputeModule,
        ...domainModules,
        OperationsMetricsModule,
      ],
      exports: domainModules,
    };
  }
}
