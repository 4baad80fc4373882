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
