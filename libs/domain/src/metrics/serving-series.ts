import type { ServingSnapshot } from '../learning/serving/serving-state.service';

export interface ServingSeries {
  labels: { model: string; version: string; policy: string; role: 'champion' | 'canary' | 'shadow' };
  /** The share of items the version scores: 1 for a champion, the experiment's percent for a challenger. */
  share: number;
}

/**
 * One series per registry version and policy it serves, from the serving
 * state: each policy's champion, and each experiment's challenger for every
 * policy it scores. A policy absent here is decided by the baseline model.
 */
export function servingSeries({ state, versions }: Pick<ServingSnapshot, 'state' | 'versions'>): ServingSeries[] {
  const series: ServingSeries[] = [];
  for (const [policy, served] of Object.entries(state.policies)) {
    series.push({ labels: { model: served.modelName, version: String(served.version), policy, role: 'champion' }, share: 1 });
  }
  for (const experiment of Object.values(state.experiments)) {
    const policies = versions.get(experiment.versionId)?.policies ?? [];
    for (const policy of policies) {
      series.push({ labels: { model: experiment.modelName, version: String(experiment.version), policy, role: experiment.mode }, share: experiment.percent / 100 });
    }
  }
  return series;
}
