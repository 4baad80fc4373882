import { SEVERITY_WEIGHT } from '../../policy/policy-scoring';
import type { Severity } from '@loupe/vocabulary';

export interface HarmFactors {
  severity: Severity;
  /** How likely the item violates, 0..1: a model score, or a prior for reports. */
  probability: number;
  views: number;
  viewsPerHour: number;
  reports: number;
}

/**
 * Review priority as expected harm: how bad a violation would be (severity),
 * how likely it is (probability), and how many people it reaches. Reach grows
 * with the log of views so far and, weighted double, the log of the current
 * view velocity: the harm still to come matters more than the harm done.
 * Each user report adds weight, with diminishing returns.
 */
export function expectedHarm({ severity, probability, views, viewsPerHour, reports }: HarmFactors): number {
  const likelihood = Math.min(1, Math.max(0.05, probability));
  const reach = 1 + Math.log10(1 + Math.max(0, views)) + 2 * Math.log10(1 + Math.max(0, viewsPerHour));
  const reported = 1 + Math.log2(1 + Math.max(0, reports));
  return SEVERITY_WEIGHT[severity] * likelihood * reach * reported;
}

const ORDER: Severity[] = ['low', 'medium', 'high', 'critical'];

export function maxSeverity(severities: Severity[], fallback: Severity = 'medium'): Severity {
  return severities.reduce<Severity>((max, s) => (ORDER.indexOf(s) > ORDER.indexOf(max) ? s : max), severities.length ? 'low' : fallback);
}

export const HIGH_SEVERITIES: Severity[] = ['high', 'critical'];
export const LOW_SEVERITIES: Severity[] = ['low', 'medium'];
