/*
 * One policy's metrics, from a model's scores (0..1), the labels' truths and
 * optionally a weight per item. Pure arithmetic: no I/O, no models.
 *
 * An item is predicted violating when its score is at or above the threshold,
 * as routing does (content/routing-rules.ts). Every metric that is undefined on
 * the sample (no violating items, nothing predicted violating) is null, never
 * NaN: a null says "cannot be judged here", which a gate can skip or report.
 */

/** The two thresholds a policy acts on: at or above `remove` it is removed, at or above `review` a person looks. Null: no such action. */
export interface OperatingThresholds {
  review: number | null;
  remove: number | null;
}

/** Weighted sums; without weights, counts. */
export interface ConfusionMatrix {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface ThresholdMetrics {
  threshold: number;
  confusion: ConfusionMatrix;
  /** Null when nothing is predicted violating. */
  precision: number | null;
  /** Null when nothing is violating. */
  recall: number | null;
  /** 2tp / (2tp + fp + fn): 0 when violating items exist and none is caught; null only when there is nothing to catch and nothing flagged. */
  f1: number | null;
}

export interface RankingMetrics {
  /** Counts of items, whatever their weights. */
  items: number;
  positives: number;
  negatives: number;
  /** The weighted share of violating items; null without items. */
  baseRate: number | null;
  /** Average precision, step-wise as scikit-learn's average_precision_score; null without violating items. */
  prAuc: number | null;
  /** Area under the ROC curve, ties counting half; null without violating or without non-violating items. */
  rocAuc: number | null;
  /** Expected calibration error over 10 equal-width score bins; null without items. */
  ece: number | null;
}

/** Ranking metrics, and the threshold metrics at each operating threshold (null where the threshold is). */
export interface PolicyMetrics extends RankingMetrics {
  atRemove: ThresholdMetrics | null;
  atReview: ThresholdMetrics | null;
}

/** The predictions at one distinct score: everything scored at or above `threshold` is predicted violating. */
export interface OperatingPoint {
  threshold: number;
  /** Weighted true and false positives at this threshold. */
  tp: number;
  fp: number;
  /** How many items, unweighted, are at or above the threshold. */
  predicted: number;
  precision: number | null;
  recall: number | null;
}

/** Throws a RangeError on arrays of different lengths, a score outside [0, 1] or a negative or non-finite weight. */
export function checkSample(scores: readonly number[], truths: readonly boolean[], weights?: readonly number[]): void {
  if (truths.length !== scores.length) throw new RangeError(`${scores.length} scores but ${truths.length} truths`);
  if (weights && weights.length !== scores.length) throw new RangeError(`${scores.length} scores but ${weights.length} weights`);
  scores.forEach((s, i) => {
    if (!(s >= 0 && s <= 1)) throw new RangeError(`score ${i} is ${s}, outside [0, 1]`);
  });
  weights?.forEach((w, i) => {
    if (!(w >= 0 && Number.isFinite(w))) throw new RangeError(`weight ${i} is ${w}, not a finite number ≥ 0`);
  });
}

function weightOf(weights: readonly number[] | undefined, i: number): number {
  return weights ? weights[i] : 1;
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

export function confusionAt(scores: readonly number[], truths: readonly boolean[], threshold: number, weights?: readonly number[]): ConfusionMatrix {
  checkSample(scores, truths, weights);
  const m: ConfusionMatrix = { tp: 0, fp: 0, tn: 0, fn: 0 };
  scores.forEach((score, i) => {
    const w = weightOf(weights, i);
    if (score >= threshold) {
      if (truths[i]) m.tp += w;
      else m.fp += w;
    } else if (truths[i]) m.fn += w;
    else m.tn += w;
  });
  return m;
}

/** Precision, recall, F1 and the confusion matrix when items scored at or above `threshold` are predicted violating. */
export function thresholdMetrics(scores: readonly number[], truths: readonly boolean[], threshold: number, weights?: readonly number[]): ThresholdMetrics {
  const confusion = confusionAt(scores, truths, threshold, weights);
  const { tp, fp, fn } = confusion;
  return { threshold, confusion, precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn), f1: ratio(2 * tp, 2 * tp + fp + fn) };
}

/**
 * One operating point per distinct score, highest threshold first. Tied
 * scores cannot be told apart by any threshold, so they enter together, as
 * one step: this is what makes the curve, and everything read from it,
 * independent of the order of the input.
 */
export function operatingPoints(scores: readonly number[], truths: readonly boolean[], weights?: readonly number[]): OperatingPoint[] {
  checkSample(scores, truths, weights);
  const order = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let positives = 0;
  for (let i = 0; i < scores.length; i++) if (truths[i]) positives += weightOf(weights, i);
  const points: OperatingPoint[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (truths[i]) tp += weightOf(weights, i);
    else fp += weightOf(weights, i);
    const last = k === order.length - 1 || scores[order[k + 1]] !== scores[i];
    if (last) points.push({ threshold: scores[i], tp, fp, predicted: k + 1, precision: ratio(tp, tp + fp), recall: ratio(tp, positives) });
  }
  return points;
}

/**
 * Average precision: Σ (Rₙ − Rₙ₋₁)·Pₙ over the operating points, from R₀ = 0.
 * Not interpolated, not trapezoidal: the definition scikit-learn's
 * average_precision_score uses, so that our numbers read the same as theirs.
 */
export function averagePrecision(scores: readonly number[], truths: readonly boolean[], weights?: readonly number[]): number | null {
  return averagePrecisionOf(operatingPoints(scores, truths, weights));
}

function averagePrecisionOf(points: readonly OperatingPoint[]): number | null {
  if (points.length === 0 || points[0].recall === null) return null;
  let ap = 0;
  let previousRecall = 0;
  for (const point of points) {
    const recall = point.recall!;
    // A step that gains no recall adds nothing, even where precision is undefined (only zero-weight items so far).
    if (recall > previousRecall) ap += (recall - previousRecall) * point.precision!;
    previousRecall = recall;
  }
  return ap;
}

/**
 * The area under the ROC curve by the trapezoidal rule over the operating
 * points. A tie between a violating and a non-violating item is a diagonal
 * step, which counts half: the Mann–Whitney U statistic, normalised.
 */
export function rocAuc(scores: readonly number[], truths: readonly boolean[], weights?: readonly number[]): number | null {
  return rocAucOf(operatingPoints(scores, truths, weights));
}

function rocAucOf(points: readonly OperatingPoint[]): number | null {
  if (points.length === 0) return null;
  const { tp: positives, fp: negatives } = points[points.length - 1];
  if (!(positives > 0 && negatives > 0)) return null;
  let area = 0;
  let previous = { tp: 0, fp: 0 };
  for (const point of points) {
    area += (point.fp - previous.fp) * (point.tp + previous.tp);
    previous = point;
  }
  return area / (2 * positives * negatives);
}

/**
 * Expected calibration error: items fall into `bins` equal-width score bins
 * ([0, 0.1), [0.1, 0.2) … [0.9, 1]); each bin's gap between its share of
 * violating items and its mean score counts by the bin's (weighted) size.
 * Σ_b (W_b / W)·|ȳ_b − s̄_b| simplifies to Σ_b |Σ w·y − Σ w·s| / W.
 */
export function expectedCalibrationError(scores: readonly number[], truths: readonly boolean[], weights?: readonly number[], bins = 10): number | null {
  checkSample(scores, truths, weights);
  if (!(Number.isInteger(bins) && bins > 0)) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  const gap = new Array<number>(bins).fill(0);
  let total = 0;
  scores.forEach((score, i) => {
    const w = weightOf(weights, i);
    gap[Math.min(bins - 1, Math.floor(score * bins))] += w * ((truths[i] ? 1 : 0) - score);
    total += w;
  });
  return total > 0 ? gap.reduce((sum, g) => sum + Math.abs(g), 0) / total : null;
}

export function rankingMetrics(scores: readonly number[], truths: readonly boolean[], weights?: readonly number[]): RankingMetrics {
  const points = operatingPoints(scores, truths, weights);
  let positives = 0;
  let weightedPositives = 0;
  let weightedTotal = 0;
  truths.forEach((truth, i) => {
    const w = weightOf(weights, i);
    weightedTotal += w;
    if (truth) {
      positives++;
      weightedPositives += w;
    }
  });
  return {
    items: scores.length,
    positives,
    negatives: scores.length - positives,
    baseRate: ratio(weightedPositives, weightedTotal),
    prAuc: averagePrecisionOf(points),
    rocAuc: rocAucOf(points),
    ece: expectedCalibrationError(scores, truths, weights),
  };
}

/** Everything the evaluation reports of one model on one policy: ranking metrics, and threshold metrics at its operating thresholds. */
export function policyMetrics(scores: readonly number[], truths: readonly boolean[], thresholds: OperatingThresholds, weights?: readonly number[]): PolicyMetrics {
  return {
    ...rankingMetrics(scores, truths, weights),
    atRemove: thresholds.remove === null ? null : thresholdMetrics(scores, truths, thresholds.remove, weights),
    atReview: thresholds.review === null ? null : thresholdMetrics(scores, truths, thresholds.review, weights),
  };
}
