import type { PolicyRow } from '@loupe/database';
import { SEVERITY_WEIGHT } from '../policy/policy-scoring';
import type { Outcome } from '@loupe/vocabulary';

export type RoutingPolicy = Pick<PolicyRow, 'id' | 'severity' | 'reviewThreshold' | 'removeThreshold'>;

export interface RouteDecision {
  outcome: Outcome;
  policyIds: string[];
  reason: string;
  /** The thresholds that were compared, kept with the decision. */
  thresholds: Record<string, { review: number; remove: number }>;
  /** Expected harm, for the review queue: severity weight times score, highest policy. */
  priority: number;
}

const fmt = (n: number) => n.toFixed(3);

/**
 * The machine's routing rule: remove when any policy score reaches its
 * remove threshold, send to review when any reaches its review threshold,
 * allow otherwise. Policies without a score are not consulted.
 */
export function routeByScores(policies: RoutingPolicy[], scores: Record<string, number>): RouteDecision {
  const thresholds: RouteDecision['thresholds'] = {};
  const remove: string[] = [];
  const review: string[] = [];
  let priority = 0;
  for (const policy of policies) {
    const score = scores[policy.id];
    if (score === undefined) continue;
    thresholds[policy.id] = { review: policy.reviewThreshold, remove: policy.removeThreshold };
    if (score >= policy.removeThreshold) remove.push(policy.id);
    else if (score >= policy.reviewThreshold) review.push(policy.id);
    if (score >= policy.reviewThreshold) priority = Math.max(priority, SEVERITY_WEIGHT[policy.severity] * score);
  }
  const explain = (ids: string[], kind: 'remove' | 'review') =>
    ids.map((id) => `${id} scored ${fmt(scores[id])} >= ${kind} threshold ${fmt(thresholds[id][kind])}`).join('; ');
  if (remove.length > 0) return { outcome: 'removed', policyIds: remove, reason: explain(remove, 'remove'), thresholds, priority };
  if (review.length > 0) return { outcome: 'in_review', policyIds: review, reason: explain(review, 'review'), thresholds, priority };
  return { outcome: 'allowed', policyIds: [], reason: 'no policy score reached its review threshold', thresholds, priority };
}
