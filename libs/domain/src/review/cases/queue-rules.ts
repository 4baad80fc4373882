import type { RoutingRuleRow } from '@loupe/database';
import type { RoutingConditions } from '@loupe/vocabulary';

/** What routing rules look at. */
export interface CaseFacts {
  source: string;
  policyIds: string[];
  /** The highest policy score the model gave, if it scored the item. */
  maxScore: number | null;
  region: string;
  language: string;
  severity: string;
}

const anyOf = (allowed: string[] | undefined, value: string) => !allowed || allowed.length === 0 || allowed.includes(value);

export function conditionsHold(conditions: RoutingConditions, facts: CaseFacts): boolean {
  if (!anyOf(conditions.sources, facts.source)) return false;
  if (conditions.policyIds?.length && !facts.policyIds.some((p) => conditions.policyIds!.includes(p))) return false;
  if (!anyOf(conditions.regions, facts.region)) return false;
  if (!anyOf(conditions.languages, facts.language)) return false;
  if (!anyOf(conditions.severities, facts.severity)) return false;
  if (conditions.minScore !== undefined && (facts.maxScore === null || facts.maxScore < conditions.minScore)) return false;
  if (conditions.maxScore !== undefined && (facts.maxScore === null || facts.maxScore >= conditions.maxScore)) return false;
  return true;
}

/** The first enabled rule, by position, whose conditions hold; null sends the case to its default queue. */
export function firstMatchingRule(rules: RoutingRuleRow[], facts: CaseFacts): RoutingRuleRow | null {
  const ordered = [...rules].sort((a, b) => a.position - b.position || a.createdAt.getTime() - b.createdAt.getTime());
  return ordered.find((rule) => rule.enabled && conditionsHold(rule.conditions, facts)) ?? null;
}

/** The queues a case may be keyed to: ordinary work, not the senior, appeals or default queues. */
export interface KeyedQueue {
  id: string;
  policyIds: string[];
  languages: string[];
  regions: string[];
  seniorOnly: boolean;
}

/**
 * With no rule for it, a case goes to the queue keyed most specifically to it:
 * every key the queue sets (policy area, language, region) must fit, and the
 * queue that sets more of them wins; ties go to the first id.
 */
export function bestKeyedQueue(queues: KeyedQueue[], facts: CaseFacts): string | null {
  let best: { id: string; keys: number } | null = null;
  for (const queue of [...queues].sort((a, b) => a.id.localeCompare(b.id))) {
    if (queue.seniorOnly) continue;
    const keys = [queue.policyIds, queue.languages, queue.regions].filter((k) => k.length > 0).length;
    if (keys === 0) continue;
    if (queue.policyIds.length > 0 && !facts.policyIds.some((p) => queue.policyIds.includes(p))) continue;
    if (!anyOf(queue.languages, facts.language) || !anyOf(queue.regions, facts.region)) continue;
    if (!best || keys > best.keys) best = { id: queue.id, keys };
  }
  return best?.id ?? null;
}

/** Where a case goes when no rule claims it and no queue is keyed to it. */
export function defaultQueueFor(source: string): string {
  return source === 'appeal' ? 'appeals' : 'default';
}

/** A policy's decision boundaries, as the catalog sets them. */
export interface PolicyThresholds {
  id: string;
  reviewThreshold: number;
  removeThreshold: number;
}

/**
 * Whether the model was unsure enough about an item that one human's verdict
 * should not settle it: a policy score within `margin` of that policy's review
 * threshold (the item was nearly allowed unseen) or of its remove threshold
 * (nearly removed unseen). Cases open only at the review threshold, so the
 * boundaries that matter are the policy's own, not 0.5.
 */
export function modelUncertain(policyScores: Record<string, number>, policies: PolicyThresholds[], margin: number): boolean {
  return policies.some((policy) => {
    const score = policyScores[policy.id];
    if (score === undefined) return false;
    // A threshold at 0 or 1 is no boundary: nothing can be allowed unseen below a review threshold
    // of 0, nor removed unseen above a remove threshold of 1.
    const nearReview = policy.reviewThreshold > 0 && Math.abs(score - policy.reviewThreshold) < margin;
    const nearRemove = policy.removeThreshold < 1 && Math.abs(score - policy.removeThreshold) < margin;
    return nearReview || nearRemove;
  });
}
