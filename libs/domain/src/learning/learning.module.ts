import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PolicyModule } from '../policy/policy.module';
import { DatasetFiles } from './datasets/dataset-files';
import { DatasetService } from './datasets/dataset.service';
import { FeatureBackfillHandler } from './features/feature-backfill.handler';
import { FeatureBackfillService } from './features/feature-backfill.service';
import { FeatureStore } from './features/feature-store.service';
import { ModelInputs } from './features/model-inputs';
import { BackboneArtefactService } from './registry/backbone-artefact.service';
import { ModelArtefacts } from './registry/model-artefacts';
import { ModelRegistryService } from './registry/model-registry.service';
import { ModelUploadService } from './registry/model-upload.service';
import { ExperimentReportService } from './serving/experiment-report.service';
import { ServingStateService } from './serving/serving-state.service';
import { CandidateEvaluator } from './training/candidate-evaluator.service';
import { GraphScorer } from './training/graph-scorer';
import { TrainingHandler } from './training/training.handler';
import { TrainingRunService } from './training/training-run.service';
import { TrainingScheduler } from './training/training-scheduler.service';
import { ScheduledTrainingHandler } from './training/scheduled-training.handler';
import { NewLabelsCheckHandler } from './training/new-labels-check.handler';

/**
 * The learning loop: datasets from moderators' labels, training runs,
 * evaluation against the champion, the model registry, and the state of
 * what serves, which the classifier reads (ServingStateService).
 */
@Module({
  imports: [AuditModule, PolicyModule],
  providers: [DatasetFiles, DatasetService, FeatureStore, FeatureBackfillService, FeatureBackfillHandler, ModelArtefacts, BackboneArtefactService, ModelRegistryService, ModelUploadService, ServingStateService, ExperimentReportService, TrainingRunService, TrainingScheduler, ScheduledTrainingHandler, NewLabelsCheckHandler, CandidateEvaluator, ModelInputs, GraphScorer, TrainingHandler],
  exports: [DatasetService, FeatureStore, GraphScorer, FeatureBackfillService, ModelRegistryService, ExperimentReportService, ModelUploadService, ServingStateService, TrainingRunService, ModelArtefacts],
})
export class LearningModule {}
