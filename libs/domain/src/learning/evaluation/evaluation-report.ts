import type { ContentKind, PolicyLabel } from '@loupe/vocabulary';
import { OperatingThresholds, policyMetrics, PolicyMetrics } from './metrics';
import { SliceItem, sliceMetrics, SliceOptions, SliceReport } from './slices';
import { DEFAULT_THRESHOLD_TARGETS, proposeThresholds, ProposedThresholds, ThresholdTargets } from './thresholds';

export const EVALUATION_SPLITS = ['test', 'gold'] as const;
/** The dataset's splits that evaluate: the most recent labels, and the items with known answers. */
export type EvaluationSplit = (typeof EVALUATION_SPLITS)[number];

/** One labelled item to evaluate on, as the dataset gives it. */
export interface EvaluationRow {
  contentId: string;
  labels: readonly PolicyLabel[];
  split: EvaluationSplit;
  region: string | null;
  language: string | null;
  kind: ContentKind;
  /** The label's weight, as the dataset weighs it; 1 when absent. */
  weight?: number;
}

/** contentId → policyId → score (0..1). A Map, or a plain object as JSON gives it. */
export type ScoreMap = ReadonlyMap<string, Readonly<Record<string, number>>> | Readonly<Record<string, Readonly<Record<string, number>>>>;

export interface EvaluateOptions {
  /**
   * The champion's current thresholds per policy, as production applies
   * them. A policy missing here is one the champion has no model for: its
   * champion side is null, and gates that compare with the champion skip it.
   */
  championThresholds?: Readonly<Record<string, OperatingThresholds>>;
  targets?: ThresholdTargets;
  /**
   * The split the candidate's thresholds are proposed on; default 'test'.
   * The metrics at those thresholds on that split are in-sample for the
   * choice of threshold (a little optimistic); on the other split they are not.
   */
  thresholdSplit?: EvaluationSplit;
  slices?: SliceOptions;
  /** Only these policies, in this order; default every policy the rows label, sorted. */
  policyIds?: readonly string[];
}

/** One model on one policy and split. */
export interface ModelEvaluation {
  thresholds: OperatingThresholds;
  metrics: PolicyMetrics;
  /**
   * Labelled items this model has no score for. They are left out of its
   * metrics, not guessed; when the two models miss different items, their
   * deltas compare different samples, and this count is how to tell.
   */
  missingScores: number;
  slices: SliceReport;
}

/** Candidate − champion; null where either side is. */
export interface MetricDeltas {
  prAuc: number | null;
  rocAuc: number | null;
  ece: number | null;
  precisionAtRemove: number | null;
  recallAtRemove: number | null;
  f1AtRemove: number | null;
  precisionAtReview: number | null;
  recallAtReview: number | null;
  f1AtReview: number | null;
}

export interface PolicyEvaluation {
  policyId: string;
  split: EvaluationSplit;
  candidate: ModelEvaluation;
  /** Null when the champion has no model for the policy (or no scores were given at all). */
  champion: ModelEvaluation | null;
  deltas: MetricDeltas | null;
}

export interface EvaluationReport {
  policyIds: string[];
  thresholdSplit: EvaluationSplit;
  /** The candidate's proposed thresholds per policy: what they achieve on the threshold split, and why any is null. */
  candidateThresholds: Record<string, ProposedThresholds>;
  /** Per split, per policy with labelled items in that split. */
  splits: Record<EvaluationSplit, Record<string, PolicyEvaluation>>;
}

interface LabelledItem extends Omit<SliceItem, 'score'> {
  contentId: string;
}

function scoreOf(scores: ScoreMap, contentId: string, policyId: string): number | undefined {
  const byPolicy = scores instanceof Map ? scores.get(contentId) : (scores as Readonly<Record<string, Readonly<Record<string, number>>>>)[contentId];
  return byPolicy && Object.prototype.hasOwnProperty.call(byPolicy, policyId) ? byPolicy[policyId] : undefined;
}

/** The items a model scored, and how many it did not. */
function scored(items: readonly LabelledItem[], scores: ScoreMap, policyId: string): { items: SliceItem[]; missing: number } {
  const out: SliceItem[] = [];
  for (const item of items) {
    const score = scoreOf(scores, item.contentId, policyId);
    if (score === undefined) continue;
    // Checked here too, where the message can name the item rather than an index.
    if (!(score >= 0 && score <= 1)) throw new RangeError(`score of ${item.contentId} for ${policyId} is ${score}, outside [0, 1]`);
    out.push({ ...item, score });
  }
  return { items: out, missing: items.length - out.length };
}

function columns(items: readonly SliceItem[]): { scores: number[]; truths: boolean[]; weights: number[] | undefined } {
  const weighted = items.some((i) => i.weight !== undefined);
  return { scores: items.map((i) => i.score), truths: items.map((i) => i.truth), weights: weighted ? items.map((i) => i.weight ?? 1) : undefined };
}

function measure(items: readonly LabelledItem[], scores: ScoreMap, policyId: string, thresholds: OperatingThresholds, sliceOptions?: SliceOptions): ModelEvaluation {
  const { items: withScores, missing } = scored(items, scores, policyId);
  const { scores: s, truths, weights } = columns(withScores);
  return { thresholds, metrics: policyMetrics(s, truths, thresholds, weights), missingScores: missing, slices: sliceMetrics(withScores, thresholds, sliceOptions) };
}

const minus = (a: number | null | undefined, b: number | null | undefined): number | null => (a == null || b == null ? null : a - b);

function deltas(candidate: PolicyMetrics, champion: PolicyMetrics): MetricDeltas {
  return {
    prAuc: minus(candidate.prAuc, champion.prAuc),
    rocAuc: minus(candidate.rocAuc, champion.rocAuc),
    ece: minus(candidate.ece, champion.ece),
    precisionAtRemove: minus(candidate.atRemove?.precision, champion.atRemove?.precision),
    recallAtRemove: minus(candidate.atRemove?.recall, champion.atRemove?.recall),
    f1AtRemove: minus(candidate.atRemove?.f1, champion.atRemove?.f1),
    precisionAtReview: minus(candidate.atReview?.precision, champion.atReview?.precision),
    recallAtReview: minus(candidate.atReview?.recall, champion.atReview?.recall),
    f1AtReview: minus(candidate.atReview?.f1, champion.atReview?.f1),
  };
}

/**
 * Judges a candidate against the champion on the test and gold splits, per
 * policy:
 * - the candidate's thresholds are proposed from its own scores on
 *   `thresholdSplit`, and both splits are measured at them;
 * - the champion is measured at its current thresholds, as production runs
 *   it: the comparison is of what would change on promotion, not of two
 *   models at thresholds neither runs at;
 * - deltas are candidate − champion.
 * An item counts for a policy when its labels judge that policy; a model's
 * missing score leaves the item out of that model's metrics and is counted.
 */
export function evaluate(rows: readonly EvaluationRow[], candidateScores: ScoreMap, championScores: ScoreMap | null, options: EvaluateOptions = {}): EvaluationReport {
  const thresholdSplit = options.thresholdSplit ?? 'test';
  const byPolicy = new Map<string, Record<EvaluationSplit, LabelledItem[]>>();
  const seen = new Set<string>();
  for (const row of rows) {
    if (!EVALUATION_SPLITS.includes(row.split)) throw new RangeError(`content ${row.contentId} is in split ${String(row.split)}, which does not evaluate`);
    if (seen.has(row.contentId)) throw new RangeError(`content ${row.contentId} appears twice: each item evaluates once`);
    seen.add(row.contentId);
    for (const label of row.labels) {
      const splits = byPolicy.get(label.policyId) ?? { test: [], gold: [] };
      byPolicy.set(label.policyId, splits);
      const { contentId, region, language, kind, weight } = row;
      splits[row.split].push({ contentId, truth: label.violating, region, language, kind, ...(weight === undefined ? {} : { weight }) });
    }
  }
  const policyIds = options.policyIds ? [...options.policyIds] : [...byPolicy.keys()].sort();

  const report: EvaluationReport = { policyIds, thresholdSplit, candidateThresholds: {}, splits: { test: {}, gold: {} } };
  for (const policyId of policyIds) {
    const items = byPolicy.get(policyId) ?? { test: [], gold: [] };
    const { scores, truths, weights } = columns(scored(items[thresholdSplit], candidateScores, policyId).items);
    const proposed = proposeThresholds(scores, truths, options.targets ?? DEFAULT_THRESHOLD_TARGETS, weights);
    report.candidateThresholds[policyId] = proposed;
    const candidateThresholds: OperatingThresholds = { review: proposed.review.threshold, remove: proposed.remove.threshold };
    const championThresholds = championScores === null ? undefined : options.championThresholds?.[policyId];

    for (const split of EVALUATION_SPLITS) {
      if (items[split].length === 0) continue;
      const candidate = measure(items[split], candidateScores, policyId, candidateThresholds, options.slices);
      const champion = championThresholds && championScores ? measure(items[split], championScores, policyId, championThresholds, options.slices) : null;
      report.splits[split][policyId] = { policyId, split, candidate, champion, deltas: champion ? deltas(candidate.metrics, champion.metrics) : null };
    }
  }
  return report;
}
