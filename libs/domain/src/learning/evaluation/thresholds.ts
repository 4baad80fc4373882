import { operatingPoints, OperatingPoint } from './metrics';

/** What a policy's thresholds must achieve on the evaluation sample. */
export interface ThresholdTargets {
  /** Precision at the remove threshold: removal without review must be right this often. */
  removePrecision: number;
  /** Recall at the review threshold: this share of violating items must reach a person (or be removed). */
  reviewRecall: number;
  /**
   * At most this share of the not-violating items may be at or above the
   * review threshold (its false positive rate): the review queue's budget.
   * Where the recall target needs more, review is raised to the lowest
   * threshold within it, and the reason says what recall that leaves. On a
   * small, noisy sample one mislabelled item can otherwise pull the review
   * threshold to the bottom and send most of the traffic to people.
   * Default 1: no budget.
   */
  reviewMaxFalsePositiveRate?: number;
  /**
   * The remove threshold is never below this score: a test split a head
   * separates perfectly puts the lowest precise threshold at its weakest
   * violating score, however low, and content unlike anything labelled then
   * scores above it and is removed unseen. Default 0: no floor.
   */
  minRemoveThreshold?: number;
  /**
   * At least this many items must be at or above the remove threshold. A
   * precision of 1 over two items says little; below this the remove
   * threshold is null and the reason says why. Default 5.
   */
  minPredictedPositives?: number;
}

export const DEFAULT_THRESHOLD_TARGETS: Required<ThresholdTargets> = { removePrecision: 0.95, reviewRecall: 0.9, reviewMaxFalsePositiveRate: 1, minRemoveThreshold: 0, minPredictedPositives: 5 };

export interface ProposedThreshold {
  /** A score of the sample: items scored at or above it are acted on. Null when no threshold meets the target. */
  threshold: number | null;
  /** Achieved at the threshold, on the sample; null with the threshold. */
  precision: number | null;
  recall: number | null;
  /** Items, unweighted, at or above the threshold. */
  predicted: number;
  /** Why the threshold is null, or why it is not where the target alone would put it; null otherwise. */
  reason: string | null;
}

export interface ProposedThresholds {
  remove: ProposedThreshold;
  review: ProposedThreshold;
  /** The review threshold was above the remove threshold and was lowered to it. */
  clamped: boolean;
}

/**
 * Targets are compared with this slack, so that a precision of 0.95 that
 * weighted arithmetic computes as 0.9499999999999999 still meets 0.95.
 */
const SLACK = 1e-12;

function reached(value: number | null, target: number): boolean {
  return value !== null && value >= target - SLACK;
}

function at(point: OperatingPoint, reason: string | null = null): ProposedThreshold {
  return { threshold: point.threshold, precision: point.precision, recall: point.recall, predicted: point.predicted, reason };
}

function none(reason: string): ProposedThreshold {
  return { threshold: null, precision: null, recall: null, predicted: 0, reason };
}

const fmt = (n: number | null): string => (n === null ? 'undefined' : String(Number(n.toFixed(4))));

/**
 * Proposes a policy's remove and review thresholds from a model's scores on
 * a labelled sample:
 * - remove: the lowest threshold whose precision reaches the target, with at
 *   least `minPredictedPositives` items at or above it. The lowest such
 *   threshold removes the most while staying precise enough. Precision is not
 *   monotone in the threshold, so a threshold above it may fall short: the
 *   target holds for the band as a whole, as removal applies it;
 * - review: the highest threshold whose recall reaches the target, so that
 *   people see no more than the target needs;
 * - review is never above remove: when the recall target is met above the
 *   remove threshold, review is lowered to it (everything it would have sent
 *   to people is removed anyway) and `clamped` says so.
 * Candidates are the sample's distinct scores, so ties move together and the
 * result does not depend on the order of the input.
 */
export function proposeThresholds(
  scores: readonly number[],
  truths: readonly boolean[],
  targets: ThresholdTargets = DEFAULT_THRESHOLD_TARGETS,
  weights?: readonly number[],
): ProposedThresholds {
  const minPredicted = targets.minPredictedPositives ?? DEFAULT_THRESHOLD_TARGETS.minPredictedPositives;
  for (const [name, value] of [['removePrecision', targets.removePrecision], ['reviewRecall', targets.reviewRecall]] as const) {
    if (!(value > 0 && value <= 1)) throw new RangeError(`${name} must be in (0, 1], got ${value}`);
  }
  if (!(Number.isInteger(minPredicted) && minPredicted >= 1)) throw new RangeError(`minPredictedPositives must be a positive integer, got ${minPredicted}`);
  const budget = targets.reviewMaxFalsePositiveRate ?? 1;
  if (!(budget > 0 && budget <= 1)) throw new RangeError(`reviewMaxFalsePositiveRate must be in (0, 1], got ${budget}`);
  const floor = targets.minRemoveThreshold ?? 0;
  if (!(floor >= 0 && floor <= 1)) throw new RangeError(`minRemoveThreshold must be in [0, 1], got ${floor}`);
  const points = operatingPoints(scores, truths, weights);
  if (points.length === 0) return { remove: none('no scored items'), review: none('no scored items'), clamped: false };
  if (points[0].recall === null) {
    const reason = 'no violating items: neither precision nor recall can be judged';
    return { remove: none(reason), review: none(reason), clamped: false };
  }

  const negatives = points[points.length - 1].fp;
  const fpr = (p: OperatingPoint) => (negatives > 0 ? p.fp / negatives : 0);
  // False positives only grow as the threshold falls: the last point within the budget is the lowest threshold it allows.
  const within = points.filter((p) => fpr(p) <= budget + SLACK);
  const lowestWithin = within[within.length - 1] ?? points[0];
  const overBudget = (threshold: number | null) => threshold !== null && threshold < lowestWithin.threshold;

  let remove = proposeRemove(points, targets.removePrecision, minPredicted);
  if (overBudget(remove.threshold)) {
    // What is removed unseen is acted on too: it keeps to the budget as review does.
    remove = at(lowestWithin, `precision ${fmt(targets.removePrecision)} is reached at ${fmt(remove.threshold)}, where ${fmt(fpr(points.find((p) => p.threshold === remove.threshold)!))} of the not-violating items would be removed, over the budget of ${fmt(budget)}: remove is raised to ${fmt(lowestWithin.threshold)}`);
  }
  if (remove.threshold !== null && remove.threshold < floor) {
    const above = points.filter((p) => p.threshold >= floor);
    const lowestAbove = above[above.length - 1];
    remove = lowestAbove
      ? at(lowestAbove, `precision ${fmt(targets.removePrecision)} is reached at ${fmt(remove.threshold)}, under the floor of ${fmt(floor)} for removing unseen: remove is raised to ${fmt(lowestAbove.threshold)}`)
      : none(`precision ${fmt(targets.removePrecision)} is reached only at ${fmt(remove.threshold)}, and no item scores at or above the floor of ${fmt(floor)} for removing unseen`);
  }
  // Recall only grows as the threshold falls: the first point from the top that reaches the target is the highest.
  let reviewPoint = points.find((p) => reached(p.recall, targets.reviewRecall)) ?? points[points.length - 1];
  let budgetReason: string | null = null;
  if (overBudget(reviewPoint.threshold)) {
    budgetReason = `recall ${fmt(targets.reviewRecall)} is reached at ${fmt(reviewPoint.threshold)}, where ${fmt(fpr(reviewPoint))} of the not-violating items would go to review, over the budget of ${fmt(budget)}: review is raised to ${fmt(lowestWithin.threshold)}, recall ${fmt(lowestWithin.recall)}`;
    reviewPoint = lowestWithin;
  }
  let review = at(reviewPoint, budgetReason);
  let clamped = false;
  if (remove.threshold !== null && reviewPoint.threshold > remove.threshold) {
    clamped = true;
    review = {
      ...remove,
      reason: `recall ${fmt(targets.reviewRecall)} is reached at ${fmt(reviewPoint.threshold)}, above the remove threshold: review is lowered to ${fmt(remove.threshold)}`,
    };
  }
  return { remove, review, clamped };
}

function proposeRemove(points: OperatingPoint[], target: number, minPredicted: number): ProposedThreshold {
  let lowest: OperatingPoint | null = null;
  for (const point of points) if (reached(point.precision, target)) lowest = point;
  if (lowest === null) {
    const enough = points.filter((p) => p.predicted >= minPredicted);
    if (enough.length === 0) return none(`only ${points[points.length - 1].predicted} items scored, fewer than the ${minPredicted} a remove threshold needs`);
    const best = enough.reduce((a, b) => ((b.precision ?? 0) > (a.precision ?? 0) ? b : a));
    return none(`no threshold reaches precision ${fmt(target)}: the best with at least ${minPredicted} items is ${fmt(best.precision)} at ${fmt(best.threshold)}`);
  }
  // Items at or above a threshold only grow as it falls: if the lowest qualifying threshold has too few, every qualifying one has.
  if (lowest.predicted < minPredicted) {
    return none(`precision ${fmt(target)} is reached only with ${lowest.predicted} items at or above ${fmt(lowest.threshold)}, fewer than the ${minPredicted} required`);
  }
  return at(lowest);
}
