import type { PolicyRow } from '@loupe/database';
import type { Outcome, PolicyLabel } from '@loupe/vocabulary';

/** Problems with a moderator's labels against the catalog; empty when they are sound. */
export function checkLabels(policies: Pick<PolicyRow, 'id' | 'nuances'>[], labels: PolicyLabel[]): string[] {
  const problems: string[] = [];
  const byId = new Map(policies.map((p) => [p.id, p]));
  const seen = new Set<string>();
  if (labels.length === 0) problems.push('at least one policy label is required');
  for (const label of labels) {
    const policy = byId.get(label.policyId);
    if (!policy) {
      problems.push(`unknown policy "${label.policyId}"`);
      continue;
    }
    if (seen.has(label.policyId)) problems.push(`policy "${label.policyId}" is labelled twice`);
    seen.add(label.policyId);
    if (label.nuance === undefined) continue;
    const nuance = policy.nuances.find((n) => n.id === label.nuance);
    if (!nuance) {
      const known = policy.nuances.map((n) => n.id);
      problems.push(`policy "${policy.id}" has no nuance "${label.nuance}"${known.length ? ` (known: ${known.join(', ')})` : ''}`);
    } else if (nuance.violating !== label.violating) {
      problems.push(`nuance "${nuance.id}" of "${policy.id}" is ${nuance.violating ? 'violating' : 'not violating'}, but the label says otherwise`);
    }
  }
  return problems;
}

/**
 * The labels with every policy the case asked about and the moderator left
 * out read as not violating, which is how verdicts compare (sameVerdict). For
 * a quality sample, which asks about every policy: its point is the "not
 * violating" labels, and a moderator clearing an item should not have to tick
 * each policy for training to get them.
 */
export function withUnlabelledCleared(labels: PolicyLabel[], askedPolicyIds: string[]): PolicyLabel[] {
  const labelled = new Set(labels.map((l) => l.policyId));
  return [...labels, ...[...new Set(askedPolicyIds)].filter((id) => !labelled.has(id)).map((policyId) => ({ policyId, violating: false }))];
}

/** A single violating label removes the item. */
export function outcomeOfLabels(labels: PolicyLabel[]): Extract<Outcome, 'removed' | 'allowed'> {
  return labels.some((l) => l.violating) ? 'removed' : 'allowed';
}

/** Same judgement, whatever the order the labels came in. */
export function sameLabels(a: PolicyLabel[], b: PolicyLabel[]): boolean {
  const key = (labels: PolicyLabel[]) =>
    JSON.stringify([...labels].map((l) => [l.policyId, l.violating, l.nuance ?? null]).sort());
  return key(a) === key(b);
}

/**
 * Whether two judgements reach the same verdict: the same set of violated
 * policies. Nuances and non-violating labels may differ between reviewers.
 */
export function sameVerdict(a: PolicyLabel[], b: PolicyLabel[]): boolean {
  const violated = (labels: PolicyLabel[]) => [...new Set(labels.filter((l) => l.violating).map((l) => l.policyId))].sort().join(',');
  return violated(a) === violated(b);
}
