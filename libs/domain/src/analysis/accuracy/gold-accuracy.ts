/*
 * Accuracy against gold answers, per moderator and policy, with a Wilson
 * score interval. Pure arithmetic: the caller brings the reviews of gold
 * items already joined to their gold answers.
 *
 * Wilson rather than the normal ("Wald") interval because moderators' gold
 * samples are small and their accuracies near 1: there Wald collapses to
 * [p, p] at 10/10 and spills past 1 at 9/10, while Wilson stays inside [0, 1]
 * and keeps its coverage.
 */
import { compareLabels, compareStrings, Label, labelKey } from './labels';

/** z for a two-sided 95% interval. */
export const Z_95 = 1.959963984540054;

export interface ProportionInterval {
  lower: number;
  upper: number;
}

/**
 * The Wilson score interval for `successes` out of `trials`; null without
 * trials. Throws a RangeError on counts that are not whole, negative, or
 * successes above trials, and on a z that is not positive.
 */
export function wilsonInterval(successes: number, trials: number, z: number = Z_95): ProportionInterval | null {
  if (!Number.isInteger(trials) || trials < 0) throw new RangeError(`trials is ${trials}, not a whole number ≥ 0`);
  if (!Number.isInteger(successes) || successes < 0 || successes > trials) throw new RangeError(`successes is ${successes}, not a whole number in [0, ${trials}]`);
  if (!(z > 0 && Number.isFinite(z))) throw new RangeError(`z is ${z}, not a finite number > 0`);
  if (trials === 0) return null;
  const p = successes / trials;
  const z2n = (z * z) / trials;
  const denominator = 1 + z2n;
  const centre = (p + z2n / 2) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2n / (4 * trials))) / denominator;
  // At 0/n the lower bound is exactly 0, at n/n the upper exactly 1; floating point lands a rounding error off.
  return { lower: successes === 0 ? 0 : Math.max(0, centre - half), upper: successes === trials ? 1 : Math.min(1, centre + half) };
}

// Acklam's rational approximation of the normal quantile (relative error < 1.2e-9), so a
// caller can ask for "90%" instead of looking up z.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

function normalQuantile(p: number): number {
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
}

/** The z of a two-sided interval at `confidence` (0.95 → 1.95996…). Throws a RangeError outside (0, 1). */
export function zForConfidence(confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence is ${confidence}, not in (0, 1)`);
  return normalQuantile(1 - (1 - confidence) / 2);
}

/** One moderator's answer on one gold item. */
export interface GoldReview {
  moderatorId: string;
  policy: string;
  label: Label;
  gold: Label;
}

export interface GoldAccuracyOptions {
  /** z of the interval; default Z_95. Wins over `confidence` when both are given. */
  z?: number;
  /** Two-sided confidence level of the interval, e.g. 0.9; used when `z` is not given. */
  confidence?: number;
}

/** How often the moderator gave this answer when the gold answer was `gold`. */
export interface GoldCell {
  gold: Label;
  label: Label;
  count: number;
}

export interface GoldAccuracy {
  moderatorId: string;
  policy: string;
  /** Gold reviews counted. */
  reviews: number;
  /** Of those, how many matched the gold answer. */
  correct: number;
  /** correct / reviews; never null, as a row exists only with at least one review. */
  accuracy: number;
  interval: ProportionInterval;
  /** The z the interval was computed with. */
  z: number;
  /** Counts per (gold, given) pair, gold then given in label order: where the errors are (misses or over-removals). */
  confusion: GoldCell[];
}

interface Tally {
  moderatorId: string;
  policy: string;
  reviews: number;
  correct: number;
  cells: Map<string, GoldCell>;
}

/**
 * Accuracy per (moderator, policy), sorted by moderator, then policy. A
 * moderator who reviewed the same gold item twice counts twice: each review
 * is a separate chance to be right.
 */
export function goldAccuracy(reviews: Iterable<GoldReview>, options: GoldAccuracyOptions = {}): GoldAccuracy[] {
  const z = options.z ?? (options.confidence === undefined ? Z_95 : zForConfidence(options.confidence));
  if (!(z > 0 && Number.isFinite(z))) throw new RangeError(`z is ${z}, not a finite number > 0`);
  const tallies = new Map<string, Tally>();
  for (const review of reviews) {
    // JSON of the pair: no separator character can make two different pairs collide.
    const key = JSON.stringify([review.moderatorId, review.policy]);
    let tally = tallies.get(key);
    if (!tally) {
      tally = { moderatorId: review.moderatorId, policy: review.policy, reviews: 0, correct: 0, cells: new Map() };
      tallies.set(key, tally);
    }
    tally.reviews++;
    const goldKey = labelKey(review.gold);
    const givenKey = labelKey(review.label);
    if (goldKey === givenKey) tally.correct++;
    const cellKey = `${goldKey}\u0000${givenKey}`;
    const cell = tally.cells.get(cellKey);
    if (cell) cell.count++;
    else tally.cells.set(cellKey, { gold: review.gold, label: review.label, count: 1 });
  }
  return [...tallies.values()]
    .sort((a, b) => compareStrings(a.moderatorId, b.moderatorId) || compareStrings(a.policy, b.policy))
    .map((t) => ({
      moderatorId: t.moderatorId,
      policy: t.policy,
      reviews: t.reviews,
      correct: t.correct,
      accuracy: t.correct / t.reviews,
      interval: wilsonInterval(t.correct, t.reviews, z) as ProportionInterval,
      z,
      confusion: [...t.cells.values()].sort((a, b) => compareLabels(a.gold, b.gold) || compareLabels(a.label, b.label)),
    }));
}
