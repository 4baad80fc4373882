import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { LoupeConfig } from '@loupe/config';
import { DatabaseConnection } from './database-connection';
import { AccuracyRepository } from './repositories/accuracy.repository';
import { ApiKeyRepository } from './repositories/api-key.repository';
import { AuditRepository } from './repositories/audit.repository';
import { BankImportRepository } from './repositories/bank-import.repository';
import { BankIndexRepository } from './repositories/bank-index.repository';
import { BankRepository } from './repositories/bank.repository';
import { ContentEmbeddingRepository } from './repositories/content-embedding.repository';
import { ContentMatchRepository } from './repositories/content-match.repository';
import { ContentRepository } from './repositories/content.repository';
import { DatasetRepository } from './repositories/dataset.repository';
import { DecisionRepository } from './repositories/decision.repository';
import { ExperimentRepository } from './repositories/experiment.repository';
import { FeatureBackfillRepository } from './repositories/feature-backfill.repository';
import { PolicyRepository } from './repositories/policy.repository';
import { ReviewQueueRepository } from './repositories/review-queue.repository';
import { ReviewMetricsRepository } from './repositories/review-metrics.repository';
import { ReviewCaseRepository } from './repositories/review-case.repository';
import { ModeratorRepository } from './repositories/moderator.repository';
import { ModelRegistryRepository } from './repositories/model-registry.repository';
import { TrainingRunRepository } from './repositories/training-run.repository';
import { TransparencyRepository } from './repositories/transparency.repository';
import { MissesRepository } from './repositories/misses.repository';
import { MissRollupRepository } from './repositories/miss-rollup.repository';
import { TrendRepository } from './repositories/trend.repository';
import { TrainingPackRepository } from './repositories/training-pack.repository';
import { ReachRepository } from './repositories/reach.repository';
import { RetroHuntRepository } from './repositories/retro-hunt.repository';
import { SettingsRepository } from './repositories/settings.repository';
import { GoldRepository } from './repositories/gold.repository';
import { IdempotencyRepository } from './repositories/idempotency.repository';
import { ReportRepository } from './repositories/report.repository';
import { ReviewTaskRepository } from './repositories/review-task.repository';
import { TrainingLabelRepository } from './repositories/training-label.repository';
import { WebhookDeliveryRepository } from './repositories/webhook-delivery.repository';
import { WebhookSubscriptionRepository } from './repositories/webhook-subscription.repository';
import { TransactionManager } from './transaction-manager';

const repositories = [
  AccuracyRepository,
  ApiKeyRepository,
  AuditRepository,
  BankImportRepository,
  BankIndexRepository,
  BankRepository,
  ContentEmbeddingRepository,
  ContentMatchRepository,
  ContentRepository,
  DatasetRepository,
  DecisionRepository,
  ExperimentRepository,
  FeatureBackfillRepository,
  PolicyRepository,
  ReviewQueueRepository,
  ReviewMetricsRepository,
  ReviewCaseRepository,
  ModeratorRepository,
  ModelRegistryRepository,
  TrainingRunRepository,
  TransparencyRepository,
  MissesRepository,
  MissRollupRepository,
  TrendRepository,
  TrainingPackRepository,
  ReachRepository,
  RetroHuntRepository,
  SettingsRepository,
  GoldRepository,
  IdempotencyRepository,
  ReportRepository,
  ReviewTaskRepository,
  TrainingLabelRepository,
  WebhookSubscriptionRepository,
  WebhookDeliveryRepository,
];

@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(
    @Inject(DatabaseConnection) private readonly connection: DatabaseConnection,
    private readonly transactions: TransactionManager,
  ) {}

  static forRoot(): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DatabaseConnection,
          inject: [LoupeConfig],
          useFactory: (config: LoupeConfig) => DatabaseConnection.open(config.database),
        },
        TransactionManager,
        ...repositories,
      ],
      exports: [DatabaseConnection, TransactionManager, ...repositories],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
    this.transactions.close();
  }
}
