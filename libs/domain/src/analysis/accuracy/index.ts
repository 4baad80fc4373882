// Moderator accuracy: pure statistics for the analysis module (gold accuracy, agreement, Dawid–Skene).
export * from './labels';
export * from './gold-accuracy';
export * from './agreement';
export * from './dawid-skene';
export * from './weighted-accuracy';
// Wired to data: judgements and their right answers, the report, training packs, and the services.
export * from './judgements';
export * from './accuracy-report';
export * from './accuracy-csv';
export * from './training-pack';
export * from './accuracy.service';
export * from './training-pack.service';
// The records these services return, for the applications' mappers (apps never import @loupe/database).
export type { TrainingPackRow, TrainingPackItem } from '@loupe/database';
