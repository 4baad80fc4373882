import type { LabelProvenance } from './review';

/** Which labels a dataset snapshots. Times bound when the label was given: `from` inclusive, `to` exclusive. */
export interface DatasetFilter {
  from?: string;
  to?: string;
  /** Only these policies' labels; a label that judges none of them is left out. */
  policyIds?: string[];
  /** Only labels reached this way (after the latest label of each content has been chosen). */
  provenances?: LabelProvenance[];
}

export interface DatasetRules {
  /** The most recent share of the labels, by labelling time, that forms the test split. */
  testShare: number;
  /**
   * Take that share per class (the policies an item violates, or none), not
   * over all labels at once. Still forward: within a class, every test label
   * is newer than every training label. Without it, a policy whose labels
   * are all recent (a new harm) lands wholly in the test split, and no
   * training run can learn it until older labels push it back. Default true.
   */
  perClassSplit: boolean;
  /** Labels from moderators failing gold at the time: left out, or kept at `failingGoldWeight`. */
  failingGold: 'exclude' | 'downweight';
  failingGoldWeight: number;
  /** The weight of a label by how it was reached; a label from several or senior reviewers counts more. */
  weights: Record<LabelProvenance, number>;
}

export const DATASET_SPLITS = ['train', 'test', 'gold'] as const;
export type DatasetSplit = (typeof DATASET_SPLITS)[number];

export interface DatasetCounts {
  /** Per policy and split: items labelled violating and not violating. */
  byPolicy: Record<string, Partial<Record<DatasetSplit, { positive: number; negative: number }>>>;
  rows: Record<DatasetSplit, number>;
  /** Labels left out, and why. */
  left: { superseded: number; failingGold: number; gold: number; filtered: number };
}

export const TRAINING_RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type TrainingRunStatus = (typeof TRAINING_RUN_STATUSES)[number];
export const TRAINING_TRIGGERS = ['manual', 'schedule', 'new_labels'] as const;
export type TrainingTrigger = (typeof TRAINING_TRIGGERS)[number];

/** A feature backfill: queued, running, then succeeded or failed (a retry resumes where the failed try stopped). */
export const FEATURE_BACKFILL_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type FeatureBackfillStatus = (typeof FEATURE_BACKFILL_STATUSES)[number];

/** Where a run is, for the API and the CLI's progress bar. */
export interface TrainingProgress {
  stage: 'dataset' | 'features' | 'training' | 'evaluating' | 'saving';
  /** Items done and to do in this stage (features: embeddings computed). */
  done?: number;
  total?: number;
  epoch?: number;
  epochs?: number;
  loss?: number;
  validationLoss?: number;
  samplesPerSecond?: number;
}

/** What a model version reads, and the policy of each of its outputs. */
export interface ModelSignature {
  /** `embedding`: the backbone's image embedding; `text`: hashed text features; both for Loupe's heads; `image`: 224x224 pixels. */
  inputs: ('embedding' | 'text' | 'image')[];
  imageFeatures?: string;
  imageDim?: number;
  textFeatures?: string;
  textDim?: number;
  /** For `image`: float32 RGB in [0, 1], channels last ([N, 224, 224, 3]) or first ([N, 3, 224, 224]). */
  pixels?: { layout: 'nhwc' | 'nchw'; size: number };
  outputs: string[];
}

/** How a version's scores were used: deciding (champion, or the challenger on a canary's share), or beside (shadow). */
export const SERVING_ROLES = ['champion', 'shadow', 'canary'] as const;
export type ServingRole = (typeof SERVING_ROLES)[number];

export interface ServedVersion {
  modelName: string;
  versionId: string;
  version: number;
}

/** What serves what: per policy the deciding version (absent: the baseline model, if it covers the policy), and per model a challenger. */
export interface ServingState {
  policies: Record<string, ServedVersion>;
  experiments: Record<string, ServedVersion & { mode: 'shadow' | 'canary'; percent: number }>;
  /** The policy thresholds a promotion replaced, so that rolling it back restores them. */
  replacedThresholds?: Record<string, { review: number; remove: number }>;
}
