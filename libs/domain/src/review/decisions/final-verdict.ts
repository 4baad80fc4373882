import type { ModelScoreRow } from '@loupe/database';
import type { LabelProvenance, PolicyLabel } from '@loupe/vocabulary';

/**
 * How a case was settled: what CaseFinalizer writes, and what an appeal's
 * settlement reads. A file of its own, so that neither service imports the
 * other for it.
 */
export interface FinalVerdict {
  labels: PolicyLabel[];
  provenance: LabelProvenance;
  /** Share of the reviewers who agreed with the final verdict. */
  agreement: number;
  moderatorIds: string[];
  /** The moderator whose decision settled the case. */
  labellerId: string;
  labelledAt: Date;
  decisionId: string;
  /** What the label records of the moment of review, when the caller has read it already. */
  known?: { labellerPassingGold: boolean | null; scores: ModelScoreRow[] };
}
