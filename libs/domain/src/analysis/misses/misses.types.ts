import type { CaseSource, ContentKind, DecisionSource } from '@loupe/vocabulary';

/**
 * What confirmed that an item violated a policy: the source of the case a
 * moderator removed it on (report, virality, appeal, gold, sample; review for a case
 * opened by the model or a bank), a retro-hunt's removal, a viral re-check's
 * re-score, a gold answer given for the item, or, for an item caught at
 * once, the model's or the bank's own removal.
 */
export type ConfirmedBy = 'report' | 'virality' | 'retro_hunt' | 'appeal' | 'gold' | 'sample' | 'review' | 'model' | 'hash';

export const MISS_CAUSES = ['human_error', 'hash_variant', 'no_model', 'near_threshold', 'blind_spot'] as const;
/** Why a violation was let through; one per missed item and policy, first that applies in this order. */
export type MissCause = (typeof MISS_CAUSES)[number];

/** The first decision that let the item through. */
export interface AllowDecision {
  decisionId: string;
  by: DecisionSource;
  at: Date;
  /** The moderator, for an allow by a human. */
  actorId: string | null;
  /** For an allow by a human: what had opened the case they decided. */
  caseSource: CaseSource | null;
}

/** What the model said of the item for the policy when it arrived (before it was let through, or caught). */
export interface ArrivalScore {
  /** The policy's deciding score; null when no model scored the policy. */
  score: number | null;
  /** The model (name@version) that gave it, or that routed the item when none scored the policy. */
  modelVersion: string | null;
  /** The review threshold in force when the model routed the item; null when it compared none for the policy. */
  reviewThreshold: number | null;
}

/** One item confirmed violating one policy, with its first confirmation in the period. */
export interface Violation {
  contentId: string;
  policyId: string;
  kind: ContentKind;
  region: string;
  language: string;
  uploadedAt: Date;
  confirmedBy: ConfirmedBy;
  confirmedAt: Date;
  /** The decision, retro-hunt or gold item that confirmed it. */
  confirmationId: string;
  /** The first removal at or after the confirmation that was never overturned; null if none (a gold answer alone). */
  removedAt: Date | null;
  /** Null when the item was never let through: caught proactively. */
  allowed: AllowDecision | null;
  arrival: ArrivalScore;
  /** The platform's last view count at or before the removal (or the confirmation, when not removed). */
  viewsBeforeRemoval: number;
  secondsToRemoval: number | null;
}

/** The nearest banked hash to a missed item, from a bank it was not close enough for. */
export interface NearestBankedHash {
  bankId: string;
  bankName: string;
  entryId: string;
  distance: number;
  bankThreshold: number;
}

export type MissEvidence =
  | { cause: 'human_error'; allowDecisionId: string; moderatorId: string | null; allowedAt: string; reviewedOn: CaseSource | null; overturnedBy: ConfirmedBy; confirmationId: string }
  | { cause: 'hash_variant'; bankId: string; bankName: string; entryId: string; distance: number; bankThreshold: number; bitsBeyond: number }
  | { cause: 'no_model'; policyId: string; scoredBy: string | null }
  | { cause: 'near_threshold'; score: number; reviewThreshold: number; margin: number; belowBy: number; modelVersion: string | null }
  | { cause: 'blind_spot'; score: number; reviewThreshold: number; margin: number; modelVersion: string | null; kind: ContentKind };

/** A violation that was let through first. */
export interface MissedItem extends Violation {
  allowed: AllowDecision;
  cause: MissCause;
  evidence: MissEvidence;
  scoreBand: string;
}

export const SLICE_DIMENSIONS = ['policy', 'region', 'language', 'kind', 'modelVersion', 'scoreBand'] as const;
export type SliceDimension = (typeof SLICE_DIMENSIONS)[number];

export type CauseCounts = Record<MissCause, number>;

/** Missed against caught, for the violations sharing one value of one dimension. */
export interface MissRateRow {
  dimension: SliceDimension | 'all';
  value: string;
  violations: number;
  missed: number;
  caught: number;
  /** missed / violations; null when there were none. */
  missRate: number | null;
}

export interface MissDay {
  date: string;
  violations: number;
  missed: number;
  missRate: number | null;
  causes: CauseCounts;
}

export interface WhatIfCandidate {
  reviewThreshold: number;
  /** Misses of the policy the model scored at or above this (and below the threshold then in force). */
  missesCaught: number;
  /** Acting scores (routings) in [candidate, current review threshold) in the period, per day: each would have opened a review. */
  extraReviewsPerDay: number;
  extraReviews: number;
}

export interface WhatIfPolicy {
  policyId: string;
  currentReviewThreshold: number;
  /** The policy's misses in the report, and those a lower threshold could catch: with a score (not human errors, not unscored). */
  misses: number;
  scoredMisses: number;
  /** Scored misses already at or above today's threshold (it was higher when they arrived). */
  alreadyCaughtByCurrent: number;
  candidates: WhatIfCandidate[];
  recommendation: { reviewThreshold: number; missesCaught: number; extraReviewsPerDay: number; reason: string } | null;
}

export interface MissTotals {
  violations: number;
  missed: number;
  caught: number;
  missRate: number | null;
  viewsBeforeRemoval: number;
  medianSecondsToRemoval: number | null;
}
