/* Human review's terms: why an item is in review, how a case ends, what a label says. */

/** trend: a new upload carrying the term of a trend an analyst watches (trend work of kind watch). */
export const CASE_SOURCES = ['model', 'hash', 'report', 'virality', 'appeal', 'gold', 'sample', 'trend'] as const;
/** What brought an item to human review. */
export type CaseSource = (typeof CASE_SOURCES)[number];

export const CASE_STATUSES = ['open', 'escalated', 'decided', 'cancelled'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const LABEL_PROVENANCES = ['single_review', 'consensus', 'senior', 'gold', 'appeal'] as const;
/** How a final label was reached. */
export type LabelProvenance = (typeof LABEL_PROVENANCES)[number];

export const REVIEW_TASK_STATUSES = ['open', 'leased', 'done', 'cancelled'] as const;
export type ReviewTaskStatus = (typeof REVIEW_TASK_STATUSES)[number];

/** One policy judgement inside a decision. */
export interface PolicyLabel {
  policyId: string;
  violating: boolean;
  nuance?: string;
}

/** The model's view of the item at review time, kept beside the human label for training. */
export interface ScoreSnapshot {
  modelId: string;
  modelVersion: string;
  outputs: Record<string, number>;
  policyScores: Record<string, number>;
}

export const APPEAL_STATUSES = ['open', 'upheld', 'overturned'] as const;
export type AppealStatus = (typeof APPEAL_STATUSES)[number];

/** When a routing rule applies; every listed condition must hold, an absent one always does. */
export interface RoutingConditions {
  sources?: string[];
  policyIds?: string[];
  /** The case's highest policy score must be at least this. */
  minScore?: number;
  /** ...and below this (a band of model uncertainty, say). */
  maxScore?: number;
  regions?: string[];
  languages?: string[];
  severities?: string[];
}
