/*
 * Review histories of known behaviour, for the specs: the records the
 * accuracy repository would return. Not production code.
 */
import type { ReviewRecord } from '@loupe/database';
import type { PolicyLabel } from '@loupe/vocabulary';

const t0 = Date.UTC(2026, 11, 1);
let seq = 0;

export function review(moderatorId: string, contentId: string, labels: PolicyLabel[], extra: Partial<ReviewRecord> = {}): ReviewRecord {
  seq++;
  return {
    decisionId: `d-${String(seq).padStart(4, '0')}`,
    contentId,
    queueId: 'q',
    moderatorId,
    team: moderatorId === 'carol' ? 'night' : 'day',
    casePolicyIds: ['adult_nudity'],
    labels,
    gold: null,
    note: null,
    createdAt: new Date(t0 + seq * 1000),
    ...extra,
  };
}

export const V = [{ policyId: 'adult_nudity', violating: true }];
export const N = [{ policyId: 'adult_nudity', violating: false }];

/**
 * The end-to-end test's history: eight items seen by three moderators.
 * Items 0–2 violate, 3–7 do not. Alice is always right, Bob over-removes
 * items 3 and 4, Carol always says "not violating".
 */
export function consensusHistory(): ReviewRecord[] {
  const reviews: ReviewRecord[] = [];
  for (let i = 0; i < 8; i++) {
    const truth = i < 3;
    reviews.push(review('alice', `item-${i}`, truth ? V : N));
    reviews.push(review('bob', `item-${i}`, (i === 3 || i === 4 ? !truth : truth) ? V : N));
    reviews.push(review('carol', `item-${i}`, N));
  }
  return reviews;
}
