// Datasets: which labels train and evaluate, by explicit rules.
export * from './datasets/dataset-rules';
export * from './datasets/dataset-files';
export * from './datasets/dataset.service';
// Evaluation: metrics, proposed thresholds, slices and gates, as pure logic.
export * from './evaluation';
// Training runs, the registry and what serves.
export * from './features/feature-store.service';
export * from './features/feature-backfill.service';
export * from './features/feature-backfill.handler';
export * from './training/training-params';
export * from './training/training-run.service';
export * from './training/training.handler';
export * from './training/candidate-evaluator.service';
export * from './registry/model-artefacts';
export * from './registry/model-registry.service';
export * from './registry/model-upload.service';
export * from './registry/backbone-version';
export * from './registry/backbone-artefact.service';
export * from './serving/serving-plan';
export * from './serving/experiment-report';
export * from './serving/experiment-report.service';
export * from './serving/serving-state.service';
export * from './learning.module';
// The records this module's services return, for the applications' mappers (apps never import @loupe/database).
export type { DatasetRow, FeatureBackfillRow, ModelDeploymentRow, ModelVersionRow, TrainingRunRow } from '@loupe/database';
export type { ServingState } from '@loupe/vocabulary';
