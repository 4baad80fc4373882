import type { HeadTrainingData } from '@loupe/ml';
import type { EvaluationRow } from '../evaluation';
import type { FeaturedRow } from '../features/feature-store.service';

export type { FeaturedRow };

export interface PolicyLabelCounts {
  positive: number;
  negative: number;
}

/** Per policy, the violating and not-violating labels among the training rows. */
export function trainingCounts(rows: FeaturedRow[]): Map<string, PolicyLabelCounts> {
  const counts = new Map<string, PolicyLabelCounts>();
  for (const { record } of rows) {
    if (record.split !== 'train') continue;
    for (const label of record.labels) {
      const count = counts.get(label.policy_id) ?? { positive: 0, negative: 0 };
      if (label.violating) count.positive++;
      else count.negative++;
      counts.set(label.policy_id, count);
    }
  }
  return counts;
}

/**
 * Which policies get a head: those with at least `minPerClass` labels of
 * each class in the training split. The others keep what served them, and
 * the run says why, in plain words.
 */
export function choosePolicies(counts: Map<string, PolicyLabelCounts>, minPerClass: number): { policies: string[]; leftOut: string[] } {
  const policies: string[] = [];
  const leftOut: string[] = [];
  for (const [policyId, count] of [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (count.positive >= minPerClass && count.negative >= minPerClass) policies.push(policyId);
    else leftOut.push(`${policyId} has ${count.positive} violating and ${count.negative} not violating labels`);
  }
  return { policies, leftOut };
}

/** The training split as the trainer takes it: targets per chosen policy, NaN where a row does not judge one. */
export function headTrainingData(rows: FeaturedRow[], policies: string[], imageFeatures: string, textFeatures: string): HeadTrainingData {
  const train = rows.filter((r) => r.record.split === 'train' && r.record.labels.some((l) => policies.includes(l.policy_id)));
  const targets = new Float32Array(train.length * policies.length).fill(Number.NaN);
  train.forEach((row, i) => {
    for (const label of row.record.labels) {
      const p = policies.indexOf(label.policy_id);
      if (p >= 0) targets[i * policies.length + p] = label.violating ? 1 : 0;
    }
  });
  return {
    image: train.map((r) => r.image),
    text: train.map((r) => r.text),
    targets,
    weights: Float32Array.from(train.map((r) => r.record.weight)),
    policies,
    imageFeatures,
    textFeatures,
  };
}

/** The test and gold rows, as the evaluation reads them. */
export function evaluationRows(rows: FeaturedRow[]): EvaluationRow[] {
  return rows
    .filter((r) => r.record.split !== 'train')
    .map(({ record }) => ({
      contentId: record.content_id,
      labels: record.labels.map((l) => ({ policyId: l.policy_id, violating: l.violating })),
      split: record.split as 'test' | 'gold',
      region: record.region ?? null,
      language: record.language ?? null,
      kind: record.kind as EvaluationRow['kind'],
      weight: record.weight,
    }));
}
