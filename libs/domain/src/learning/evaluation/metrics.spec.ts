import {
  averagePrecision,
  confusionAt,
  expectedCalibrationError,
  operatingPoints,
  policyMetrics,
  rankingMetrics,
  rocAuc,
  thresholdMetrics,
} from './metrics';

// scikit-learn's documentation example for average_precision_score,
// roc_auc_score and precision_recall_curve: AP 0.8333 (5/6), ROC-AUC 0.75.
const DOC = { scores: [0.1, 0.4, 0.35, 0.8], truths: [false, false, true, true] };

// Ties across classes at 0.8 and at 0.3. By hand, from the top:
//   0.9: tp 1 fp 0 → P 1,   R 1/4
//   0.8: tp 3 fp 1 → P 3/4, R 3/4   (two violating, one not, as one step)
//   0.5: tp 3 fp 2 → P 3/5, R 3/4
//   0.3: tp 4 fp 3 → P 4/7, R 1
// AP = 1/4·1 + 1/2·3/4 + 0·3/5 + 1/4·4/7 = 5/8 + 1/7 = 43/56.
// ROC-AUC, Mann–Whitney with ties counting half: positives 0.9 (3), 0.8 (2.5),
// 0.8 (2.5), 0.3 (0.5) beat the three negatives 8.5 times out of 12 = 17/24.
const TIES = {
  scores: [0.9, 0.8, 0.8, 0.8, 0.5, 0.3, 0.3],
  truths: [true, true, false, true, false, true, false],
};

function shuffled<T>(values: T[], order: number[]): T[] {
  return order.map((i) => values[i]);
}

describe('threshold metrics', () => {
  it('predicts violating at or above the threshold, and counts the confusion matrix', () => {
    expect(confusionAt(TIES.scores, TIES.truths, 0.8)).toEqual({ tp: 3, fp: 1, tn: 2, fn: 1 });
    expect(thresholdMetrics(TIES.scores, TIES.truths, 0.8)).toMatchObject({ threshold: 0.8, precision: 0.75, recall: 0.75, f1: 0.75 });
    const high = thresholdMetrics(TIES.scores, TIES.truths, 0.85);
    expect(high).toMatchObject({ confusion: { tp: 1, fp: 0, tn: 3, fn: 3 }, precision: 1, recall: 0.25 });
    expect(high.f1).toBeCloseTo(0.4, 12); // 2·1 / (2·1 + 0 + 3)
  });

  it('gives null, not NaN, where a metric is undefined', () => {
    const nothingFlagged = thresholdMetrics(TIES.scores, TIES.truths, 0.95);
    expect(nothingFlagged).toMatchObject({ precision: null, recall: 0, f1: 0 });
    const nothingViolating = thresholdMetrics([0.2, 0.7], [false, false], 0.5);
    expect(nothingViolating).toMatchObject({ precision: 0, recall: null, f1: 0 });
    expect(thresholdMetrics([0.2], [false], 0.5)).toMatchObject({ precision: null, recall: null, f1: null });
  });

  it('weighs items: a weight of 2 counts as the item twice', () => {
    expect(confusionAt([0.9, 0.4, 0.6], [true, true, false], 0.5, [2, 1, 0.5])).toEqual({ tp: 2, fp: 0.5, tn: 0, fn: 1 });
  });
});

describe('operating points', () => {
  it('matches scikit-learn precision_recall_curve on its documentation example, highest threshold first', () => {
    const points = operatingPoints(DOC.scores, DOC.truths);
    expect(points.map((p) => [p.threshold, p.precision, p.recall])).toEqual([
      [0.8, 1, 0.5],
      [0.4, 0.5, 0.5],
      [0.35, 2 / 3, 1],
      [0.1, 0.5, 1],
    ]);
  });

  it('makes one step of tied scores', () => {
    const points = operatingPoints(TIES.scores, TIES.truths);
    expect(points.map((p) => [p.threshold, p.tp, p.fp, p.predicted])).toEqual([
      [0.9, 1, 0, 1],
      [0.8, 3, 1, 4],
      [0.5, 3, 2, 5],
      [0.3, 4, 3, 7],
    ]);
  });
});

describe('ranking metrics', () => {
  it('gives scikit-learn values on its documentation example', () => {
    expect(averagePrecision(DOC.scores, DOC.truths)).toBeCloseTo(5 / 6, 12);
    expect(rocAuc(DOC.scores, DOC.truths)).toBeCloseTo(0.75, 12);
  });

  it('computes average precision and ROC-AUC by hand with ties', () => {
    expect(averagePrecision(TIES.scores, TIES.truths)).toBeCloseTo(43 / 56, 12);
    expect(rocAuc(TIES.scores, TIES.truths)).toBeCloseTo(17 / 24, 12);
  });

  it('does not depend on the order of tied items', () => {
    // Were ties broken by position, the input order (violating, not, violating) would give 0.6875 + 1/7, violating first 0.75 + 1/7.
    for (const order of [
      [6, 5, 4, 3, 2, 1, 0],
      [2, 0, 3, 6, 1, 5, 4],
    ]) {
      const scores = shuffled(TIES.scores, order);
      const truths = shuffled(TIES.truths, order);
      expect(averagePrecision(scores, truths)).toBeCloseTo(43 / 56, 12);
      expect(rocAuc(scores, truths)).toBeCloseTo(17 / 24, 12);
    }
  });

  it('reads 1 for a perfect ranking, 0.5 ROC-AUC for all-tied scores, and the base rate as their AP', () => {
    expect(averagePrecision([0.9, 0.8, 0.2], [true, true, false])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.2], [true, true, false])).toBe(1);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [true, false, false, false])).toBe(0.5);
    expect(averagePrecision([0.5, 0.5, 0.5, 0.5], [true, false, false, false])).toBe(0.25);
  });

  it('treats weights as repetition', () => {
    const weighted = rankingMetrics([0.9, 0.8, 0.3, 0.65], [true, false, true, false], [2, 1, 1, 3]);
    const repeated = rankingMetrics([0.9, 0.9, 0.8, 0.3, 0.65, 0.65, 0.65], [true, true, false, true, false, false, false]);
    expect(weighted.prAuc).toBeCloseTo(repeated.prAuc!, 12);
    expect(weighted.rocAuc).toBeCloseTo(repeated.rocAuc!, 12);
    expect(weighted.ece).toBeCloseTo(repeated.ece!, 12);
    expect(weighted.baseRate).toBeCloseTo(repeated.baseRate!, 12);
    // Counts stay counts of items.
    expect(weighted).toMatchObject({ items: 4, positives: 2, negatives: 2 });
  });

  it('gives null without violating items, and null ROC-AUC without non-violating ones', () => {
    expect(rankingMetrics([0.3, 0.6], [false, false])).toMatchObject({ prAuc: null, rocAuc: null, baseRate: 0, positives: 0 });
    expect(rankingMetrics([0.3, 0.6], [true, true])).toMatchObject({ prAuc: 1, rocAuc: null, baseRate: 1 });
    expect(rankingMetrics([], [])).toEqual({ items: 0, positives: 0, negatives: 0, baseRate: null, prAuc: null, rocAuc: null, ece: null });
    // Violating items of weight 0 count as none.
    expect(averagePrecision([0.9, 0.1], [true, false], [0, 1])).toBeNull();
  });
});

describe('expected calibration error', () => {
  it('weighs each bin’s gap between violating share and mean score by its size', () => {
    // Bin [0, 0.1): 0.05 → gap 0.05; bin [0.1, 0.2): 0.15, 0.15 with one violating → |0.5 − 0.15| = 0.35 over 2 items;
    // bin [0.9, 1]: 0.95, 1.0 both violating → |1 − 0.975| over 2. (0.05 + 0.7 + 0.05) / 5 = 0.16.
    expect(expectedCalibrationError([0.05, 0.15, 0.15, 0.95, 1], [false, false, true, true, true])).toBeCloseTo(0.16, 12);
  });

  it('puts a score on a bin edge in the bin above, and 1 in the last bin', () => {
    // Together the two would cancel to |1 − 0.1999| / 2; apart they add up to (0.9001 + 0.1) / 2.
    expect(expectedCalibrationError([0.0999, 0.1], [true, false])).toBeCloseTo(0.50005, 12);
    expect(expectedCalibrationError([1, 0.95], [true, false])).toBeCloseTo(Math.abs(1 - 1.95) / 2, 12);
  });

  it('is 0 for a calibrated sample and null for an empty one', () => {
    expect(expectedCalibrationError([0.25, 0.25, 0.25, 0.25], [true, false, false, false])).toBeCloseTo(0, 12);
    expect(expectedCalibrationError([], [])).toBeNull();
  });
});

describe('policyMetrics', () => {
  it('adds the threshold metrics at each operating threshold, null where the threshold is', () => {
    const metrics = policyMetrics(TIES.scores, TIES.truths, { review: 0.5, remove: null });
    expect(metrics.atRemove).toBeNull();
    expect(metrics.atReview).toMatchObject({ threshold: 0.5, precision: 0.6, recall: 0.75 });
    expect(metrics).toMatchObject({ items: 7, positives: 4, negatives: 3 });
    expect(metrics.baseRate).toBeCloseTo(4 / 7, 12);
  });

  it('refuses inputs that do not line up or are not probabilities', () => {
    expect(() => rankingMetrics([0.1, 0.2], [true])).toThrow(RangeError);
    expect(() => rankingMetrics([0.1], [true], [1, 1])).toThrow(RangeError);
    expect(() => rankingMetrics([1.2], [true])).toThrow(RangeError);
    expect(() => rankingMetrics([Number.NaN], [true])).toThrow(RangeError);
    expect(() => rankingMetrics([0.5], [true], [-1])).toThrow(RangeError);
  });
});
