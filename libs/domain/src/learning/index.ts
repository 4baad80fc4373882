// Datasets: which labels train and evaluate, by explicit rules.
export * from './datasets/dataset-rules';
export * from './datasets/dataset-files';
export * from './datasets/dataset.service';
export * from './learning.module';
export type { DatasetRow } from '@loupe/database';
