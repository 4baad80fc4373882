import type { MissedItem, WhatIfCandidate, WhatIfPolicy } from './misses.types';

export const WHAT_IF_STEP = 0.05;

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** Review thresholds below the current one, a step apart, down to the last above 0. */
export function candidateThresholds(current: number, step = WHAT_IF_STEP): number[] {
  const candidates: number[] = [];
  for (let k = 1; round(current - k * step) > 0; k++) candidates.push(round(current - k * step));
  return candidates;
}

/**
 * What lowering one policy's review threshold would have done: for each
 * candidate, the misses it would have sent to review (those the model
 * scored at or above it: human errors were reviewed already, and unscored
 * items no threshold reaches), and the reviews it would have added: the
 * routings (acting scores) in [candidate, current) in the period (`extraReviews`, one
 * count per candidate, as the repository counted them), per day.
 *
 * The recommendation is the candidate that catches the most misses per
 * extra review (ties to the higher threshold, the cheaper one); none when
 * no candidate catches any.
 */
export function whatIf(policyId: string, currentReviewThreshold: number, missed: MissedItem[], candidates: number[], extraReviews: number[], days: number): WhatIfPolicy {
  const own = missed.filter((m) => m.policyId === policyId);
  const scored = own.filter((m) => m.cause !== 'human_error' && m.arrival.score !== null);
  const below = scored.filter((m) => (m.arrival.score as number) < currentReviewThreshold);
  const rows: WhatIfCandidate[] = candidates.map((threshold, i) => ({
    reviewThreshold: threshold,
    missesCaught: below.filter((m) => (m.arrival.score as number) >= threshold).length,
    extraReviews: extraReviews[i] ?? 0,
    extraReviewsPerDay: round((extraReviews[i] ?? 0) / Math.max(1, days)),
  }));
  let best: WhatIfCandidate | null = null;
  const yieldOf = (c: WhatIfCandidate) => c.missesCaught / Math.max(1, c.extraReviews);
  for (const row of rows) {
    if (row.missesCaught === 0) continue;
    if (!best || yieldOf(row) > yieldOf(best)) best = row;
  }
  return {
    policyId,
    currentReviewThreshold,
    misses: own.length,
    scoredMisses: scored.length,
    alreadyCaughtByCurrent: scored.length - below.length,
    candidates: rows,
    recommendation: best
      ? {
          reviewThreshold: best.reviewThreshold,
          missesCaught: best.missesCaught,
          extraReviewsPerDay: best.extraReviewsPerDay,
          reason:
            `A review threshold of ${best.reviewThreshold} instead of ${currentReviewThreshold} would have sent ${best.missesCaught} of the ${own.length} ` +
            `missed item${own.length === 1 ? '' : 's'} to review, at ${best.extraReviewsPerDay} more review${best.extraReviewsPerDay === 1 ? '' : 's'} a day ` +
            `(${best.extraReviews} in the period): the most misses caught per added review of the candidates.`,
        }
      : null,
  };
}
