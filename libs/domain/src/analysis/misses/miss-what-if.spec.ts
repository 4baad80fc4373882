import { candidateThresholds, whatIf } from './miss-what-if';
import type { MissCause, MissedItem } from './misses.types';

const item = (id: string, cause: MissCause, score: number | null, policyId = 'adult_nudity') =>
  ({ contentId: id, policyId, cause, arrival: { score, modelVersion: 'm', reviewThreshold: 0.6 } }) as MissedItem;

describe('candidateThresholds', () => {
  it('steps down by 0.05 from the current threshold to the last above 0, without float noise', () => {
    expect(candidateThresholds(0.3)).toEqual([0.25, 0.2, 0.15, 0.1, 0.05]);
    expect(candidateThresholds(0.62)).toHaveLength(12);
    expect(candidateThresholds(0.62).slice(0, 2)).toEqual([0.57, 0.52]);
    expect(candidateThresholds(0.05)).toEqual([]);
  });
});

describe('whatIf', () => {
  const missed = [
    item('near', 'near_threshold', 0.52),
    item('variant', 'hash_variant', 0.41),
    item('blind', 'blind_spot', 0.08),
    // Reviewed already, or never scored: no threshold catches these.
    item('human', 'human_error', 0.7),
    item('unscored', 'no_model', null),
    // The threshold was higher when it passed; today's catches it.
    item('then', 'near_threshold', 0.61),
    item('other', 'near_threshold', 0.5, 'spam'),
  ];

  it('counts the misses each candidate catches and the reviews it adds per day, and recommends the best yield', () => {
    const candidates = [0.55, 0.5, 0.45, 0.4];
    const report = whatIf('adult_nudity', 0.6, missed, candidates, [4, 10, 30, 60], 2);
    expect(report).toMatchObject({ policyId: 'adult_nudity', currentReviewThreshold: 0.6, misses: 6, scoredMisses: 4, alreadyCaughtByCurrent: 1 });
    expect(report.candidates).toEqual([
      { reviewThreshold: 0.55, missesCaught: 0, extraReviews: 4, extraReviewsPerDay: 2 },
      { reviewThreshold: 0.5, missesCaught: 1, extraReviews: 10, extraReviewsPerDay: 5 },
      { reviewThreshold: 0.45, missesCaught: 1, extraReviews: 30, extraReviewsPerDay: 15 },
      { reviewThreshold: 0.4, missesCaught: 2, extraReviews: 60, extraReviewsPerDay: 30 },
    ]);
    // 1 per 10 reviews at 0.5 beats 2 per 60 at 0.4.
    expect(report.recommendation).toMatchObject({ reviewThreshold: 0.5, missesCaught: 1, extraReviewsPerDay: 5 });
    expect(report.recommendation!.reason).toContain('0.5 instead of 0.6 would have sent 1 of the 6 missed items to review, at 5 more reviews a day (10 in the period)');
  });

  it('recommends nothing when no candidate catches a miss', () => {
    const report = whatIf('adult_nudity', 0.6, [item('blind', 'blind_spot', 0.01)], [0.55, 0.5], [3, 5], 1);
    expect(report.recommendation).toBeNull();
    expect(report.candidates.map((c) => c.missesCaught)).toEqual([0, 0]);
  });
});
