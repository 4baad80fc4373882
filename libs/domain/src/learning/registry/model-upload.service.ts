import { rm } from 'node:fs/promises';
import { Injectable } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { ComputePool } from '@loupe/compute';
import { LoupeConfig } from '@loupe/config';
import { ModelRegistryRepository, ModelVersionRow, PolicyRepository, TransactionManager } from '@loupe/database';
import { backboneId, checkSignature, inspectOnnx, ModelFormatError, TEXT_FEATURES_VERSION, withMetadata } from '@loupe/ml';
import type { Principal } from '@loupe/vocabulary';
import { AuditService } from '../../audit/audit.service';
import { DatasetService } from '../datasets/dataset.service';
import { FeaturedRow, FeatureStore, featureNames, ImageReadout } from '../features/feature-store.service';
import { CandidateEvaluator } from '../training/candidate-evaluator.service';
import { defaultTrainingParams } from '../training/training-params';
import { ModelArtefacts } from './model-artefacts';

/** What an uploaded model reads, and the policy of each output column. */
export interface UploadedSignature {
  input: 'embedding' | 'text' | 'image';
  outputs: string[];
}

/** The backbone's embeddings by width: an uploaded embedding model says which it reads by its input's width. */
const READOUT_BY_WIDTH: Record<number, ImageReadout> = { 1280: 'pooled', 256: 'dense', 576: 'midGem' };

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
    private readonly compute: ComputePool,
    private readonly audit: AuditService,
    private readonly transactions: TransactionManager,
    private readonly config: LoupeConfig,
  ) {}

  async register(name: string, bytes: Uint8Array, signature: UploadedSignature, actor: Principal): Promise<ModelVersionRow> {
    const inspection = await inspectOnnx(bytes).catch((error: unknown) => {
      if (error instanceof ModelFormatError) throw new ApiError(422, error.code, error.message, error.details);
      throw error;
    });
    if (signature.input === 'image') {
      throw new ApiError(422, 'model.input_unsupported', 'Models that read pixels cannot be served yet; upload one that reads the embedding or the text features');
    }
    const width = Number(inspection.inputs[0]?.dims?.[1]);
    const problems = checkSignature(inspection, { input: signature.input, inputDim: width, outputs: signature.outputs });
    if (signature.input === 'embedding' && !READOUT_BY_WIDTH[width]) problems.push(`an embedding input is 576 (midGem), 1280 (pooled) or 256 (dense) wide, not ${width}`);
    if (signature.input === 'text' && !(width > 0 && Number.isInteger(Math.log2(width)))) problems.push(`a text input's width is a power of two (the hashed buckets), not ${width}`);
    if (problems.length > 0) throw new ApiError(422, 'model.signature_mismatch', `The model does not fit its signature: ${problems.join('; ')}`, { problems });
    const known = new Set((await this.policies.list()).map((p) => p.id));
    const unknown = signature.outputs.filter((p) => !known.has(p));
    if (unknown.length > 0) throw new ApiError(422, 'model.unknown_policy', `No policy ${unknown.join(', ')}`, { unknown });

    // Metadata in the form Loupe's own heads carry, so that one serving path runs both.
    const input = inspection.inputs[0];
    const output = inspection.outputs[0];
    const names = featureNames(backboneId(), READOUT_BY_WIDTH[width] ?? 'pooled', width);
    const served = withMetadata(bytes, {
      policies: JSON.stringify(signature.outputs),
      ...(signature.input === 'embedding'
        ? { imageFeatures: names.imageFeatures, imageDim: String(width), imageInput: input.name, textDim: '0' }
        : { textFeatures: `${TEXT_FEATURES_VERSION}/${width}`, textDim: String(width), textInput: input.name, imageDim: '0' }),
      scoresOutput: output.name,
    });
    const stored = await this.artefacts.put(served);
    try {
      await this.tryOn(stored.sha256, await this.features.recent(8, READOUT_BY_WIDTH[width] ?? 'pooled', signature.input === 'text' ? width : 1 << 14));
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
        signature: { inputs: [signature.input], ...(signature.input === 'embedding' ? { imageFeatures: names.imageFeatures, imageDim: width } : { textFeatures: `${TEXT_FEATURES_VERSION}/${width}`, textDim: width }), outputs: signature.outputs },
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
  private async tryOn(sha256: string, items: { image: Float32Array; text: FeaturedRow['text'] }[]): Promise<void> {
    if (items.length === 0) return;
    const out = await this.compute
      .scoreHeads({ heads: { sha256, path: this.artefacts.path(sha256) }, items: items.map((r) => ({ image: r.image, text: r.text })) })
      .catch((error: Error) => {
        throw new ApiError(422, 'model.load_failed', `The model does not run on Loupe's features: ${error.message}`);
      });
    const bad = Array.from(out.scores).find((s) => !(Number.isFinite(s) && s >= 0 && s <= 1));
    if (bad !== undefined) throw new ApiError(422, 'model.bad_outputs', `The model's outputs must be scores in [0, 1]; it gave ${bad}`);
  }

  /** The labels of its policies, snapshotted now, with their features: what it is evaluated on. */
  private async evaluationRows(policyIds: string[]): Promise<{ rows: FeaturedRow[]; datasetId: string }> {
    const dataset = await this.datasets.create({ name: `upload-evaluation-${new Date().toISOString().slice(0, 16)}`, filter: { policyIds } }, null);
    const { rows } = await this.features.featuredRows(dataset.id);
    return { rows, datasetId: dataset.id };
  }
}
