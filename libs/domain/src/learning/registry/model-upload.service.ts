import { rm } from 'node:fs/promises';
import { Injectable } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { LoupeConfig } from '@loupe/config';
import { ModelRegistryRepository, ModelVersionRow, PolicyRepository, TransactionManager } from '@loupe/database';
import { backboneId, checkSignature, inspectOnnx, ModelFormatError, NSFW_INPUT_SIZE, OnnxInspection, pixelLayoutOf, TEXT_FEATURES_VERSION, withMetadata } from '@loupe/ml';
import type { ModelSignature, Principal } from '@loupe/vocabulary';
import { AuditService } from '../../audit/audit.service';
import { DatasetService } from '../datasets/dataset.service';
import { FeaturedRow, FeatureStore, featureNames, ImageReadout } from '../features/feature-store.service';
import { ModelInputs } from '../features/model-inputs';
import { CandidateEvaluator } from '../training/candidate-evaluator.service';
import { GraphItem, GraphScorer } from '../training/graph-scorer';
import { defaultTrainingParams } from '../training/training-params';
import { refuseReservedName } from './backbone-version';
import { ModelArtefacts } from './model-artefacts';

/** What an uploaded model reads, and the policy of each output column. */
export interface UploadedSignature {
  input: 'embedding' | 'text' | 'image';
  outputs: string[];
}

/** The backbone's embeddings by width: an uploaded embedding model says which it reads by its input's width. */
const READOUT_BY_WIDTH: Record<number, ImageReadout> = { 1280: 'pooled', 256: 'dense', 576: 'midGem' };
/** Recent items an upload is tried on before anything else is done with it. */
const TRY_ON_ITEMS = 8;

/**
 * Registers a model trained elsewhere: an ONNX graph and its signature.
 * Checked before anything is stored (an ONNX file, one input that fits the
 * signature, one output per policy, known policies, finite scores in [0, 1]
 * on a few real items), then evaluated on the labels and gated like a
 * model Loupe trained. Refusals are 422 with a code; nothing is stored.
 */
@Injectable()
export class ModelUploadService {
  constructor(
    private readonly registry: ModelRegistryRepository,
    private readonly policies: PolicyRepository,
    private readonly artefacts: ModelArtefacts,
    private readonly datasets: DatasetService,
    private readonly features: FeatureStore,
    private readonly evaluator: CandidateEvaluator,
    private readonly graphs: GraphScorer,
    private readonly inputs: ModelInputs,
    private readonly audit: AuditService,
    private readonly transactions: TransactionManager,
    private readonly config: LoupeConfig,
  ) {}

  async register(name: string, bytes: Uint8Array, signature: UploadedSignature, actor: Principal): Promise<ModelVersionRow> {
    refuseReservedName(name);
    const inspection = await inspectOnnx(bytes).catch((error: unknown) => {
      if (error instanceof ModelFormatError) throw new ApiError(422, error.code, error.message, error.details);
      throw error;
    });
    const width = signature.input === 'image' ? 0 : Number(inspection.inputs[0]?.dims?.[1]);
    const problems = checkSignature(inspection, { input: signature.input, inputDim: width, outputs: signature.outputs });
    if (signature.input === 'embedding' && !READOUT_BY_WIDTH[width]) problems.push(`an embedding input is 576 (midGem), 1280 (pooled) or 256 (dense) wide, not ${width}`);
    if (signature.input === 'text' && !(width > 0 && Number.isInteger(Math.log2(width)))) problems.push(`a text input's width is a power of two (the hashed buckets), not ${width}`);
    if (problems.length > 0) throw new ApiError(422, 'model.signature_mismatch', `The model does not fit its signature: ${problems.join('; ')}`, { problems });
    const known = new Set((await this.policies.list()).map((p) => p.id));
    const unknown = signature.outputs.filter((p) => !known.has(p));
    if (unknown.length > 0) throw new ApiError(422, 'model.unknown_policy', `No policy ${unknown.join(', ')}`, { unknown });

    const served = servedAs(signature, inspection, width);
    const stored = await this.artefacts.put(withMetadata(bytes, served.metadata));
    try {
      const readout = READOUT_BY_WIDTH[width] ?? 'pooled';
      await this.tryOn(stored.sha256, await this.tryOnItems(signature.input, width, readout), readout);
    } catch (error) {
      // Nothing is stored for a model that is refused, unless the same bytes already serve a version.
      if ((await this.registry.versionsOfArtefact(stored.sha256)) === 0) await rm(stored.path, { force: true });
      throw error;
    }
    const rows = await this.evaluationRows(signature.outputs);
    const params = { ...defaultTrainingParams(this.config.learning.minLabelsPerClass), modelName: name };
    const judgement = await this.evaluator.judge(rows.rows, stored.sha256, signature.outputs, params);
    return await this.transactions.run(async () => {
      const version = await this.registry.addVersion({
        modelName: name,
        source: 'uploaded',
        artefactSha256: stored.sha256,
        artefactBytes: stored.bytes,
        signature: served.signature,
        policies: signature.outputs,
        thresholds: judgement.thresholds,
        evaluation: judgement.report as unknown as Record<string, unknown>,
        gates: judgement.gates as unknown as Record<string, unknown>,
        gatesPassed: judgement.gates.passed,
        card: { model: name, source: 'uploaded', producer: inspection.producer, opset: inspection.opset, policies: signature.outputs, evaluatedOn: rows.datasetId, gates: { passed: judgement.gates.passed, failures: judgement.gates.failures.map((f) => f.reason) } },
        datasetId: rows.datasetId,
        trainingRunId: null,
        parentVersionId: (await this.registry.latestVersion(name))?.id ?? null,
        createdBy: actor.id,
      });
      await this.audit.record(actor, 'model.version.upload', { type: 'model', id: name }, { version: version.version, sha256: stored.sha256, policies: signature.outputs });
      return version;
    });
  }

  /** Scores a few real items, as serving would: a graph that loads but gives no usable scores is refused. */
  private async tryOn(sha256: string, items: GraphItem[], readout: ImageReadout): Promise<void> {
    if (items.length === 0) return;
    const scores = await this.graphs.score(sha256, items, readout).catch((error: Error) => {
      throw new ApiError(422, 'model.load_failed', `The model does not run on Loupe's inputs: ${error.message}`);
    });
    const bad = [...scores.values()].flatMap((entry) => Object.values(entry)).find((s) => !(Number.isFinite(s) && s >= 0 && s <= 1));
    if (bad !== undefined) throw new ApiError(422, 'model.bad_outputs', `The model's outputs must be scores in [0, 1]; it gave ${bad}`);
  }

  /** The most recent items: their stored features, or, for a model that reads pixels, where their frames are. */
  private async tryOnItems(input: UploadedSignature['input'], width: number, readout: ImageReadout): Promise<GraphItem[]> {
    if (input === 'image') return (await this.inputs.recent(TRY_ON_ITEMS)).map((item) => ({ ...item, image: null, text: null }));
    const recent = await this.features.recent(TRY_ON_ITEMS, readout, input === 'text' ? width : 1 << 14);
    return recent.map((features, i) => ({ contentId: `recent-${i}`, mediaSha256: '', ...features }));
  }

  /** The labels of its policies, snapshotted now, with their features: what it is evaluated on. */
  private async evaluationRows(policyIds: string[]): Promise<{ rows: FeaturedRow[]; datasetId: string }> {
    const dataset = await this.datasets.create({ name: `upload-evaluation-${new Date().toISOString().slice(0, 16)}`, filter: { policyIds } }, null);
    const { rows } = await this.features.featuredRows(dataset.id);
    return { rows, datasetId: dataset.id };
  }
}

/**
 * What the stored graph carries in its metadata, in the form Loupe's own
 * heads do (so that one serving path runs both), and the signature the
 * registry records. Every key is written, whatever the input: a key the
 * uploaded file already had (a `pixelsInput` on a text model) must not
 * change how it is run.
 */
function servedAs(signature: UploadedSignature, inspection: OnnxInspection, width: number): { metadata: Record<string, string>; signature: ModelSignature } {
  const input = inspection.inputs[0];
  const none = { imageFeatures: '', imageDim: '0', imageInput: '', textFeatures: '', textDim: '0', textInput: '', pixelsInput: '', pixelsLayout: '' };
  const common = { policies: JSON.stringify(signature.outputs), scoresOutput: inspection.outputs[0].name };
  if (signature.input === 'image') {
    // checkSignature has accepted the dimensions, so they name a layout.
    const layout = pixelLayoutOf(input.dims)!;
    return {
      metadata: { ...none, ...common, pixelsInput: input.name, pixelsLayout: layout },
      signature: { inputs: ['image'], pixels: { layout, size: NSFW_INPUT_SIZE }, outputs: signature.outputs },
    };
  }
  if (signature.input === 'embedding') {
    const { imageFeatures } = featureNames(backboneId(), READOUT_BY_WIDTH[width], width);
    return {
      metadata: { ...none, ...common, imageFeatures, imageDim: String(width), imageInput: input.name },
      signature: { inputs: ['embedding'], imageFeatures, imageDim: width, outputs: signature.outputs },
    };
  }
  const textFeatures = `${TEXT_FEATURES_VERSION}/${width}`;
  return {
    metadata: { ...none, ...common, textFeatures, textDim: String(width), textInput: input.name },
    signature: { inputs: ['text'], textFeatures, textDim: width, outputs: signature.outputs },
  };
}
