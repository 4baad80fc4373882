import { DEFAULT_THRESHOLD_TARGETS, proposeThresholds } from './thresholds';

// 8 violating items of 12. From the top: 0.99, 0.95, 0.9, 0.85 are violating
// (precision 1 down to there, 4 items, recall 1/2); 0.8 is a tie of one
// violating and one not (5/6); 0.7 is violating (6/7, recall 3/4); 0.6 is not
// (3/4); 0.5 is violating (7/9, recall 7/8); 0.4 not; 0.3 violating (8/11, recall 1).
const SCORES = [0.99, 0.95, 0.9, 0.85, 0.8, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2];
const TRUTHS = [true, true, true, true, true, false, true, false, true, false, true, false];

describe('proposeThresholds', () => {
  it('takes the lowest threshold that is precise enough, even below one that is not', () => {
    const { remove } = proposeThresholds(SCORES, TRUTHS, { removePrecision: 0.85, reviewRecall: 0.9 });
    // 0.7 gives 6/7 ≥ 0.85, though 0.8 above it gives 5/6 < 0.85; 0.6 gives 3/4.
    expect(remove).toEqual({ threshold: 0.7, precision: 6 / 7, recall: 0.75, predicted: 7, reason: null });
  });

  it('takes the highest threshold whose recall reaches the target', () => {
    const { review, clamped } = proposeThresholds(SCORES, TRUTHS, { removePrecision: 0.8, reviewRecall: 0.9 });
    expect(review).toEqual({ threshold: 0.3, precision: 8 / 11, recall: 1, predicted: 11, reason: null });
    expect(clamped).toBe(false);
    expect(proposeThresholds(SCORES, TRUTHS, { removePrecision: 0.8, reviewRecall: 0.75 }).review.threshold).toBe(0.7);
  });

  it('keeps review within its budget of not-violating items, and says what recall that leaves', () => {
    // Recall 0.9 needs 0.3, where 3 of the 4 not-violating items go to review.
    const half = proposeThresholds(SCORES, TRUTHS, { removePrecision: 0.8, reviewRecall: 0.9, reviewMaxFalsePositiveRate: 0.5 });
    expect(half.review).toMatchObject({ threshold: 0.5, recall: 7 / 8 });
    expect(half.review.reason).toBe('recall 0.9 is reached at 0.3, where 0.75 of the not-violating items would go to review, over the budget of 0.5: review is raised to 0.5, recall 0.875');
    expect(proposeThresholds(SCORES, TRUTHS, { removePrecision: 0.8, reviewRecall: 0.9, reviewMaxFalsePositiveRate: 0.25 }).review).toMatchObject({ threshold: 0.7, recall: 0.75 });
    // Within the budget already: unchanged, no reason.
    expect(proposeThresholds(SCORES, TRUTHS, { removePrecision: 0.8, reviewRecall: 0.9, reviewMaxFalsePositiveRate: 0.75 }).review).toMatchObject({ threshold: 0.3, reason: null });
    expect(() => proposeThresholds(SCORES, TRUTHS, { removePrecision: 0.8, reviewRecall: 0.9, reviewMaxFalsePositiveRate: 0 })).toThrow(RangeError);
    // The remove threshold keeps to it too: precision 0.7 is reached at 0.3, with 3 of 4 not-violating items removed.
    const lax = proposeThresholds(SCORES, TRUTHS, { removePrecision: 0.7, reviewRecall: 0.9, reviewMaxFalsePositiveRate: 0.25 });
    expect(lax.remove).toMatchObject({ threshold: 0.7, precision: 6 / 7 });
    expect(lax.remove.reason).toContain('remove is raised to 0.7');
    expect(lax.review.threshold).toBe(0.7);
  });

  it('never removes unseen below its floor, and says so', () => {
    // Precision 0.8 is reached down to 0.7 (6 of 7); a floor of 0.9 raises remove to 0.9, one of 0.995 leaves none above it.
    const floored = proposeThresholds(SCORES, TRUTHS, { removePrecision: 0.8, reviewRecall: 0.9, minRemoveThreshold: 0.9 });
    expect(floored.remove).toMatchObject({ threshold: 0.9, precision: 1 });
    expect(floored.remove.reason).toContain('under the floor of 0.9');
    expect(proposeThresholds(SCORES, TRUTHS, { removePrecision: 0.8, reviewRecall: 0.9, minRemoveThreshold: 0.995 }).remove.threshold).toBeNull();
    expect(() => proposeThresholds(SCORES, TRUTHS, { removePrecision: 0.8, reviewRecall: 0.9, minRemoveThreshold: 2 })).toThrow(RangeError);
  });

  it('needs enough items at or above the remove threshold, and says so when there are too few', () => {
    const { remove } = proposeThresholds(SCORES, TRUTHS, DEFAULT_THRESHOLD_TARGETS);
    expect(remove).toMatchObject({ threshold: null, precision: null, recall: null });
    expect(remove.reason).toBe('precision 0.95 is reached only with 4 items at or above 0.85, fewer than the 5 required');
    expect(proposeThresholds(SCORES, TRUTHS, { ...DEFAULT_THRESHOLD_TARGETS, minPredictedPositives: 4 }).remove).toMatchObject({
      threshold: 0.85,
      precision: 1,
      recall: 0.5,
      predicted: 4,
    });
  });

  it('says how close the best threshold came when none is precise enough', () => {
    const { remove, review } = proposeThresholds([0.9, 0.8, 0.7, 0.6, 0.5, 0.4], [false, true, true, false, true, false]);
    expect(remove.threshold).toBeNull();
    expect(remove.reason).toBe('no threshold reaches precision 0.95: the best with at least 5 items is 0.6 at 0.5');
    expect(review.threshold).toBe(0.5);
    expect(proposeThresholds([0.9, 0.8], [false, true]).remove.reason).toBe('only 2 items scored, fewer than the 5 a remove threshold needs');
  });

  it('never puts review above remove: it lowers review to remove and says so', () => {
    const result = proposeThresholds(SCORES, TRUTHS, { removePrecision: 0.8, reviewRecall: 0.5 });
    // Recall 0.5 is first reached at 0.85 (4/8), above the remove threshold 0.7.
    expect(result.clamped).toBe(true);
    expect(result.review).toMatchObject({ threshold: 0.7, precision: 6 / 7, recall: 0.75, predicted: 7 });
    expect(result.review.reason).toBe('recall 0.5 is reached at 0.85, above the remove threshold: review is lowered to 0.7');
  });

  it('gives the same thresholds whatever the order of the items, tied ones moving together', () => {
    const order = [5, 11, 0, 4, 8, 2, 10, 1, 7, 3, 9, 6];
    const shuffled = proposeThresholds(
      order.map((i) => SCORES[i]),
      order.map((i) => TRUTHS[i]),
      { removePrecision: 0.8, reviewRecall: 0.9 },
    );
    expect(shuffled).toEqual(proposeThresholds(SCORES, TRUTHS, { removePrecision: 0.8, reviewRecall: 0.9 }));
    // The tie at 0.8 (5 of 6) cannot be split: a precision target of 0.9 skips it and 0.7 (6 of 7) with it.
    expect(proposeThresholds(SCORES, TRUTHS, { removePrecision: 0.9, reviewRecall: 0.9, minPredictedPositives: 1 }).remove.threshold).toBe(0.85);
  });

  it('gives null thresholds, with a reason, without violating items or without items', () => {
    const none = proposeThresholds([0.9, 0.1], [false, false]);
    expect(none.remove).toEqual({ threshold: null, precision: null, recall: null, predicted: 0, reason: 'no violating items: neither precision nor recall can be judged' });
    expect(none.review.threshold).toBeNull();
    expect(proposeThresholds([], []).review.reason).toBe('no scored items');
  });

  it('weighs items when weights are given', () => {
    // The one non-violating item at 0.8 weighs 0.1: precision at 0.7 is 6 / 6.1.
    const weights = SCORES.map((_, i) => (i === 5 ? 0.1 : 1));
    expect(proposeThresholds(SCORES, TRUTHS, { removePrecision: 0.95, reviewRecall: 0.9 }, weights).remove).toMatchObject({ threshold: 0.7, predicted: 7 });
  });

  it('refuses targets outside (0, 1]', () => {
    expect(() => proposeThresholds(SCORES, TRUTHS, { removePrecision: 1.5, reviewRecall: 0.9 })).toThrow(RangeError);
    expect(() => proposeThresholds(SCORES, TRUTHS, { removePrecision: 0.9, reviewRecall: 0 })).toThrow(RangeError);
    expect(() => proposeThresholds(SCORES, TRUTHS, { ...DEFAULT_THRESHOLD_TARGETS, minPredictedPositives: 0 })).toThrow(RangeError);
  });
});
