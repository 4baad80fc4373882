import { ApiError } from '@loupe/common';
import type { ModelVersionInsert, ModelVersionRow } from '@loupe/database';
import { NSFW_INPUT_SIZE, type BackboneLineage } from '@loupe/ml';

/*
 * The backbone's exported graph as a version in the model registry: a model
 * of its own name and source, so that it is never taken for a heads model.
 * It decides no policy (no policies, no thresholds), is never gated, and is
 * never promoted or deployed: it serves because it is this backbone's graph
 * by this exporter, which its lineage on the card says.
 */

/** The registry's name for the backbone's graphs; reserved: no training run or upload may add to it. */
export const BACKBONE_MODEL_NAME = 'backbone';
/** The source of a version that Loupe exported from a model it serves, rather than trained or was given. */
export const EXPORTED_SOURCE = 'exported';

export function isBackboneVersion(row: Pick<ModelVersionRow, 'modelName' | 'source'>): boolean {
  return row.modelName === BACKBONE_MODEL_NAME || row.source === EXPORTED_SOURCE;
}

/** 409 for what a heads model may do and the backbone's graph may not (promote, deploy). */
export function refuseBackbone(row: Pick<ModelVersionRow, 'modelName' | 'source' | 'version'>, action: string): void {
  if (isBackboneVersion(row)) {
    throw ApiError.conflict('model.backbone_not_deployable', `Version ${row.version} of ${row.modelName} is the backbone's exported graph: it serves by its lineage and cannot be ${action}`);
  }
}

/** 400 when a training run or an upload names the backbone's model. */
export function refuseReservedName(name: string): void {
  if (name === BACKBONE_MODEL_NAME) {
    throw ApiError.badRequest('model.reserved_name', `The model name ${BACKBONE_MODEL_NAME} is the backbone's exported graph; choose another`);
  }
}

/** The lineage on a version's card, when it is a backbone graph's. */
export function lineageOf(row: Pick<ModelVersionRow, 'card'>): BackboneLineage | null {
  const lineage = (row.card as { lineage?: BackboneLineage }).lineage;
  return lineage && typeof lineage.backbone === 'string' && lineage.exporter ? lineage : null;
}

/**
 * The registered graph this process serves: the newest version of the
 * backbone's model made from `backbone` by `exporterVersion`, whose lineage
 * records the same sha256 as the version. Another backbone's (older weights,
 * an older exporter) is history, not served.
 */
export function servedBackbone(versions: ModelVersionRow[], backbone: string, exporterVersion: number): ModelVersionRow | null {
  const matching = versions.filter((row) => {
    const lineage = row.modelName === BACKBONE_MODEL_NAME && row.source === EXPORTED_SOURCE ? lineageOf(row) : null;
    return !!lineage && lineage.backbone === backbone && lineage.exporter.version === exporterVersion && lineage.sha256 === row.artefactSha256;
  });
  return matching.sort((a, b) => b.version - a.version)[0] ?? null;
}

/** The registry row of a graph stored as `stored`, with its lineage on the card and the previous backbone version as parent. */
export function backboneVersionValues(lineage: BackboneLineage, stored: { sha256: string; bytes: number }, parentVersionId: string | null): ModelVersionInsert {
  if (stored.sha256 !== lineage.sha256) throw new Error(`The stored graph ${stored.sha256} is not the one described (${lineage.sha256})`);
  return {
    modelName: BACKBONE_MODEL_NAME,
    source: EXPORTED_SOURCE,
    format: 'onnx',
    artefactSha256: stored.sha256,
    artefactBytes: stored.bytes,
    signature: { inputs: ['image'], pixels: { layout: 'nhwc', size: NSFW_INPUT_SIZE }, outputs: lineage.outputs.map((output) => output.name) },
    // It decides no policy: the baseline's scores are mapped to policies by the policy catalog, as on tfjs.
    policies: [],
    thresholds: {},
    evaluation: null,
    gates: null,
    gatesPassed: null,
    card: {
      kind: 'backbone',
      model: BACKBONE_MODEL_NAME,
      source: EXPORTED_SOURCE,
      intendedUse: `The image backbone (${lineage.backbone}) every frame is classified and embedded with, on onnxruntime; tfjs serves it when this graph cannot. Not a policy head: never gated, promoted or deployed.`,
      lineage,
    },
    datasetId: null,
    trainingRunId: null,
    parentVersionId,
    createdBy: null,
  };
}
