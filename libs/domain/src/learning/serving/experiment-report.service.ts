import { Injectable } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { ExperimentRepository, ModelDeploymentRow, ModelRegistryRepository, ModelVersionRow, PolicyRepository } from '@loupe/database';
import type { ServingState } from '@loupe/vocabulary';
import { ArmReport, compareArms, comparePolicies, PolicyComparison, Thresholds } from './experiment-report';

/** Items a report reads at most: a day of a busy platform's model decisions is far more, and the report says when it stopped short. */
export const EXPERIMENT_REPORT_LIMIT = 50_000;
/** Changes of the model's history searched for the experiment's start. */
const HISTORY_DEPTH = 1_000;

export interface ExperimentReport {
  modelName: string;
  version: number;
  mode: 'shadow' | 'canary';
  percent: number;
  /** From the change that started the experiment to the one that ended it (now while it runs). */
  window: { from: Date; to: Date; running: boolean };
  /** Model decisions in the window, and how many of them the challenger scored. */
  items: number;
  scored: number;
  truncated: boolean;
  /** Challenger beside champion on the items the challenger scored, per policy. */
  policies: PolicyComparison[];
  /** A canary's two arms; null for a shadow. */
  arms: { expectedShare: number; challenger: ArmReport; champion: ArmReport } | null;
}

/**
 * The reports of a shadow or canary: the challenger beside the champion on
 * the same items, and against the human labels that arrived later; for a
 * canary, the two arms' decisions. The window comes from the deployment
 * history, so a finished experiment can still be read.
 */
@Injectable()
export class ExperimentReportService {
  constructor(
    private readonly registry: ModelRegistryRepository,
    private readonly experiments: ExperimentRepository,
    private readonly policies: PolicyRepository,
  ) {}

  /** The experiment of `version` (the challenger now, or the latest one, when absent). */
  async report(modelName: string, version?: number, now = new Date()): Promise<ExperimentReport> {
    const history = await this.registry.deployments(modelName, HISTORY_DEPTH);
    const target = await this.target(modelName, history, version);
    const window = experimentWindow(history, modelName, target.id, now);
    if (!window) throw ApiError.notFound('model.no_experiment', `${modelName} version ${target.version} has not run as a shadow or canary`);
    const items = await this.experiments.items(modelName, target.version, window.from, window.running ? null : window.to, EXPERIMENT_REPORT_LIMIT);
    const championThresholds: Thresholds = Object.fromEntries((await this.policies.list()).map((p) => [p.id, { review: p.reviewThreshold, remove: p.removeThreshold }]));
    const registryModels = new Set([modelName, ...Object.values(window.state.policies).map((served) => served.modelName)]);
    const policies = comparePolicies({ items, policies: target.policies, challengerThresholds: target.thresholds, championThresholds, registryModels });
    const { mode, percent } = window.experiment;
    return {
      modelName,
      version: target.version,
      mode,
      percent,
      window: { from: window.from, to: window.to, running: window.running },
      items: items.length,
      scored: items.filter((item) => item.challenger).length,
      truncated: items.length >= EXPERIMENT_REPORT_LIMIT,
      policies,
      arms: mode === 'canary' ? { expectedShare: percent, ...compareArms(items, target.policies) } : null,
    };
  }

  private async target(modelName: string, history: ModelDeploymentRow[], version?: number): Promise<ModelVersionRow> {
    if (version !== undefined) {
      const row = await this.registry.findVersion(modelName, version);
      if (!row) throw ApiError.notFound('model.version_not_found', `No version ${version} of ${modelName}`);
      return row;
    }
    const latest = history.find((row) => row.state.experiments[modelName]);
    const row = latest && (await this.registry.findVersionById(latest.state.experiments[modelName].versionId));
    if (!row) throw ApiError.notFound('model.no_experiment', `${modelName} has not run a shadow or canary`);
    return row;
  }
}

type Experiment = ServingState['experiments'][string];

/**
 * The latest stretch of history in which `versionId` ran as the model's
 * challenger in one mode and share: from the change that started it to the
 * change that ended or altered it (or now). `history` is newest first.
 */
export function experimentWindow(
  history: ModelDeploymentRow[],
  modelName: string,
  versionId: string,
  now: Date,
): { from: Date; to: Date; running: boolean; experiment: Experiment; state: ServingState } | null {
  const newest = history.findIndex((row) => row.state.experiments[modelName]?.versionId === versionId);
  if (newest < 0) return null;
  const experiment = history[newest].state.experiments[modelName];
  const same = (row: ModelDeploymentRow) => {
    const e = row.state.experiments[modelName];
    return e?.versionId === versionId && e.mode === experiment.mode && e.percent === experiment.percent;
  };
  let oldest = newest;
  while (oldest + 1 < history.length && same(history[oldest + 1])) oldest++;
  const running = newest === 0;
  return { from: history[oldest].createdAt, to: running ? now : history[newest - 1].createdAt, running, experiment, state: history[newest].state };
}
