import type { ModelScoreRow } from '@loupe/database';
import type { ScoreSnapshot } from '@loupe/vocabulary';

/** The newest score row of each model: what the machine believed. */
export function latestPerModel(scores: ModelScoreRow[]): ModelScoreRow[] {
  const seen = new Set<string>();
  return scores.filter((s) => !seen.has(s.modelId) && seen.add(s.modelId));
}

/** The model's view of an item, as a training label keeps it. */
export function scoreSnapshots(scores: ModelScoreRow[]): ScoreSnapshot[] {
  return latestPerModel(scores).map((s) => ({ modelId: s.modelId, modelVersion: s.modelVersion, outputs: s.outputs, policyScores: s.policyScores }));
}
