import type { PolicyRow } from '@loupe/database';
import type { Severity } from '@loupe/vocabulary';

export const SEVERITY_WEIGHT: Record<Severity, number> = { low: 1, medium: 2, high: 3, critical: 4 };

/**
 * Maps one model's outputs to policy scores through the catalog. The outputs
 * of a softmax model are exclusive classes, so a policy fed by several of
 * them scores the probability of any: their sum, capped at 1.
 */
export function scorePolicies(
  policies: Pick<PolicyRow, 'id' | 'modelInputs'>[],
  modelId: string,
  outputs: Record<string, number>,
): Record<string, number> {
  const scores: Record<string, number> = {};
  for (const policy of policies) {
    for (const input of policy.modelInputs) {
      if (input.model !== modelId) continue;
      const sum = input.outputs.reduce((total, name) => total + (outputs[name] ?? 0), 0);
      scores[policy.id] = Math.min(1, Math.max(scores[policy.id] ?? 0, sum));
    }
  }
  return scores;
}
