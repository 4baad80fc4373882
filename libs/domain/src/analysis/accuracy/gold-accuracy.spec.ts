import { goldAccuracy, GoldReview, wilsonInterval, Z_95, zForConfidence } from './gold-accuracy';

describe('wilsonInterval', () => {
  it.each([
    // [successes, trials, lower, upper]: 8/10 is the example; the rest are Newcombe (1998), Table I, method 3.
    [8, 10, 0.49, 0.943],
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i/%i at 95%% is [%f, %f]', (successes, trials, lower, upper) => {
    const interval = wilsonInterval(successes, trials);
    expect(interval?.lower).toBeCloseTo(lower, 3);
    expect(interval?.upper).toBeCloseTo(upper, 3);
  });

  it('stays inside [0, 1] at the extremes, where the normal interval collapses', () => {
    expect(wilsonInterval(10, 10)).toEqual({ lower: expect.closeTo(0.7225, 4), upper: 1 });
    expect(wilsonInterval(0, 10)).toEqual({ lower: 0, upper: expect.closeTo(0.2775, 4) });
  });

  it('narrows with a smaller z and widens with a larger one', () => {
    const at95 = wilsonInterval(8, 10) as { lower: number; upper: number };
    const at68 = wilsonInterval(8, 10, 1) as { lower: number; upper: number };
    const at99 = wilsonInterval(8, 10, zForConfidence(0.99)) as { lower: number; upper: number };
    expect(at68.upper - at68.lower).toBeLessThan(at95.upper - at95.lower);
    expect(at99.upper - at99.lower).toBeGreaterThan(at95.upper - at95.lower);
  });

  it('is null without trials and refuses impossible counts', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(() => wilsonInterval(11, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 10, 0)).toThrow(RangeError);
  });
});

describe('zForConfidence', () => {
  it.each([
    [0.95, 1.959964],
    [0.99, 2.575829],
    [0.9, 1.644854],
    [0.999, 3.290527],
  ])('%f → %f', (confidence, z) => expect(zForConfidence(confidence)).toBeCloseTo(z, 5));

  it('refuses levels outside (0, 1)', () => {
    expect(() => zForConfidence(1)).toThrow(RangeError);
    expect(() => zForConfidence(0)).toThrow(RangeError);
  });
});

describe('goldAccuracy', () => {
  const review = (moderatorId: string, policy: string, label: boolean, gold: boolean): GoldReview => ({ moderatorId, policy, label, gold });
  const REVIEWS: GoldReview[] = [
    // bob on nudity: 8 of 10 right, one miss and one over-removal.
    ...Array.from({ length: 4 }, () => review('bob', 'nudity', true, true)),
    ...Array.from({ length: 4 }, () => review('bob', 'nudity', false, false)),
    review('bob', 'nudity', false, true),
    review('bob', 'nudity', true, false),
    review('alice', 'violence', true, true),
    review('alice', 'nudity', false, false),
    review('alice', 'nudity', true, false),
  ];

  it('counts per moderator and policy, sorted, with a Wilson interval and where the errors are', () => {
    const rows = goldAccuracy(REVIEWS);
    expect(rows.map((r) => [r.moderatorId, r.policy, r.reviews, r.correct])).toEqual([
      ['alice', 'nudity', 2, 1],
      ['alice', 'violence', 1, 1],
      ['bob', 'nudity', 10, 8],
    ]);
    const bob = rows[2];
    expect(bob.accuracy).toBe(0.8);
    expect(bob.z).toBe(Z_95);
    expect(bob.interval.lower).toBeCloseTo(0.49, 3);
    expect(bob.interval.upper).toBeCloseTo(0.943, 3);
    expect(bob.confusion).toEqual([
      { gold: false, label: false, count: 4 },
      { gold: false, label: true, count: 1 },
      { gold: true, label: false, count: 1 },
      { gold: true, label: true, count: 4 },
    ]);
  });

  it('takes z, or a confidence level, for the interval', () => {
    const byZ = goldAccuracy(REVIEWS, { z: 1 })[2];
    const byLevel = goldAccuracy(REVIEWS, { confidence: 0.9 })[2];
    expect(byZ.z).toBe(1);
    expect(byZ.interval).toEqual(wilsonInterval(8, 10, 1));
    expect(byLevel.z).toBeCloseTo(1.644854, 5);
    expect(goldAccuracy(REVIEWS, { z: 2, confidence: 0.9 })[0].z).toBe(2);
  });

  it('tells labels of different types apart, and returns nothing for no reviews', () => {
    const rows = goldAccuracy([{ moderatorId: 'm', policy: 'p', label: 'true', gold: true }]);
    expect(rows[0].correct).toBe(0);
    expect(goldAccuracy([])).toEqual([]);
  });

  it('does not depend on the order of the reviews', () => {
    expect(goldAccuracy([...REVIEWS].reverse())).toEqual(goldAccuracy(REVIEWS));
  });
});
