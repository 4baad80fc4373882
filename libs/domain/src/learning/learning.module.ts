import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PolicyModule } from '../policy/policy.module';
import { DatasetFiles } from './datasets/dataset-files';
import { DatasetService } from './datasets/dataset.service';
import { FeatureStore } from './features/feature-store.service';
import { ModelArtefacts } from './registry/model-artefacts';
import { ModelRegistryService } from './registry/model-registry.service';
import { ModelUploadService } from './registry/model-upload.service';
import { ServingStateService } from './serving/serving-state.service';
import { CandidateEvaluator } from './training/candidate-evaluator.service';
import { TrainingHandler } from './training/training.handler';
import { TrainingRunService } from './training/training-run.service';
import { TrainingScheduler } from './training/training-scheduler.service';

/**
 * The learning loop: datasets from moderators' labels, training runs,
 * evaluation against the champion, the model registry, and the state of
 * what serves, which the classifier reads (ServingStateService).
 */
@Module({
  imports: [AuditModule, PolicyModule],
  providers: [DatasetFiles, DatasetService, FeatureStore, ModelArtefacts, ModelRegistryService, ModelUploadService, ServingStateService, TrainingRunService, TrainingScheduler, CandidateEvaluator, TrainingHandler],
  exports: [DatasetService, FeatureStore, ModelRegistryService, ModelUploadService, ServingStateService, TrainingRunService, ModelArtefacts],
})
export class LearningModule {}
