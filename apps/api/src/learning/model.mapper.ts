import type { ModelDeploymentRow, ModelSummary, ModelVersionRow, ServingState } from '@loupe/domain/learning';
import { DeploymentDto, ModelSummaryDto, ModelVersionDto } from './model.dto';

export function toModelVersionDto(row: ModelVersionRow, aliases: string[]): ModelVersionDto {
  return {
    id: row.id,
    modelName: row.modelName,
    version: row.version,
    source: row.source,
    format: row.format,
    artefactSha256: row.artefactSha256,
    artefactBytes: row.artefactBytes,
    signature: row.signature as unknown as Record<string, unknown>,
    policies: row.policies,
    thresholds: row.thresholds,
    gates: row.gates,
    gatesPassed: row.gatesPassed,
    card: row.card,
    lineage: { datasetId: row.datasetId, trainingRunId: row.trainingRunId, parentVersionId: row.parentVersionId },
    aliases,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
  };
}

export function toModelSummaryDto(summary: ModelSummary): ModelSummaryDto {
  const experiment = summary.experiment;
  return {
    name: summary.name,
    versions: summary.versions,
    latestVersion: summary.latest.version,
    aliases: summary.aliases,
    experiment: experiment ? { version: experiment.version, mode: experiment.mode, percent: experiment.percent } : null,
  };
}

export function toDeploymentDto(at: Date, row: ModelDeploymentRow | null, state: ServingState): DeploymentDto {
  return {
    at,
    seq: row?.seq ?? null,
    action: row?.action ?? null,
    modelName: row?.modelName ?? null,
    changedAt: row?.createdAt ?? null,
    policies: Object.entries(state.policies)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([policyId, served]) => ({ policyId, modelName: served.modelName, version: served.version, versionId: served.versionId })),
    experiments: Object.values(state.experiments).map((e) => ({ modelName: e.modelName, version: e.version, mode: e.mode, percent: e.percent })),
  };
}
