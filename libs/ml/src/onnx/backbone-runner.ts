import { readFile } from 'node:fs/promises';
import { backboneId } from '../backbone';
import { checkInput, ImageEmbedding, ModelScoresResult, NSFW_CLASSES, NSFW_MODEL_ID, NsfwModel } from '../nsfw-model';
import { packageVersion } from '../package-version';
import { BACKBONE_ONNX_INPUT, BACKBONE_ONNX_OUTPUTS } from './backbone-export';
import { prepareBackboneGraph, sha256Of } from './backbone-graph';
import { OnnxModel } from './onnx-model';
import { pixelsToTensor } from './pixel-input';

/** What serves the backbone: NsfwModel on tfjs, or the exported graph on onnxruntime. */
export interface BackboneClassifier {
  readonly backend: ModelScoresResult['backend'];
  classifyWithEmbedding(rgb: Uint8Array): Promise<ModelScoresResult & { embedding: ImageEmbedding }>;
}

/** Refuses to serve a graph, with the reason's code. */
class BackboneRefused extends Error {
  constructor(
    readonly reason: BackboneFallbackReason,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The baseline backbone served by onnxruntime from the graph that
 * layers-to-onnx exported (parity with tfjs within 1.2e-5, about a tenth of
 * its time: docs/benchmarks.md). It answers exactly as NsfwModel does, under
 * the same model id, version and backbone id, so stored scores, embeddings
 * and heads trained on either stay interchangeable; only `backend` differs.
 */
export class OnnxBackbone implements BackboneClassifier {
  readonly backend = 'onnxruntime' as const;

  private constructor(
    private readonly model: OnnxModel,
    private readonly version: string,
  ) {}

  static async load(bytes: Uint8Array): Promise<OnnxBackbone> {
    const model = await OnnxModel.load(bytes);
    const version = packageVersion('nsfwjs');
    // A graph exported from another version of the weights would score differently under the same id.
    if (model.metadata.backbone && model.metadata.backbone !== backboneId()) {
      await model.release();
      throw new BackboneRefused('artefact_mismatch', `The backbone graph is ${model.metadata.backbone}; this process serves ${backboneId()}`);
    }
    return new OnnxBackbone(model, version);
  }

  async classifyWithEmbedding(rgb: Uint8Array): Promise<ModelScoresResult & { embedding: ImageEmbedding }> {
    checkInput(rgb);
    // As nsfwjs scales its input: the byte / 255, NHWC, no resize at 224.
    const out = await this.model.run({ [BACKBONE_ONNX_INPUT]: pixelsToTensor([rgb], 'nhwc') });
    const probabilities = out[BACKBONE_ONNX_OUTPUTS.probabilities].data;
    const outputs: Record<string, number> = {};
    NSFW_CLASSES.forEach((name, i) => (outputs[name] = probabilities[i]));
    return {
      modelId: NSFW_MODEL_ID,
      modelVersion: this.version,
      backend: this.backend,
      outputs,
      embedding: {
        backbone: `${NSFW_MODEL_ID}@${this.version}`,
        pooled: out[BACKBONE_ONNX_OUTPUTS.pooled].data,
        dense: out[BACKBONE_ONNX_OUTPUTS.dense].data,
        midGem: out[BACKBONE_ONNX_OUTPUTS.midGem].data,
      },
    };
  }
}

/** Why the backbone serves on tfjs when onnxruntime was asked for: a fixed code, for logs, /health and /metrics. */
export type BackboneFallbackReason =
  /** The registry could not give the graph (it could not be exported or registered). */
  | 'artefact_unavailable'
  /** The registered graph's file is not where the registry's sha256 says. */
  | 'artefact_missing'
  /** The file's bytes do not hash to the registered sha256. */
  | 'artefact_corrupt'
  /** The graph is another backbone's. */
  | 'artefact_mismatch'
  /** onnxruntime could not load or run it. */
  | 'load_failed';

/** What a compute thread serves the backbone with, and why. */
export interface BackboneState {
  runtime: 'onnxruntime' | 'tfjs';
  requested: 'onnxruntime' | 'tfjs';
  /** The sha256 of the graph that serves; null on tfjs. */
  artefact: string | null;
  fallbackReason: BackboneFallbackReason | null;
}

/**
 * Where a thread finds the graph: a registered artefact (read and checked
 * against the registry's sha256 before it loads), a directory of its own
 * (a process with no registry, such as a bench: exported there on first
 * use), or nowhere, and why.
 */
export type BackboneSource = { kind: 'artefact'; sha256: string; path: string } | { kind: 'directory'; dir: string } | { kind: 'unavailable'; reason: BackboneFallbackReason };

export interface ServingBackboneOptions {
  runtime: 'onnxruntime' | 'tfjs';
  source: BackboneSource;
  /** The thread's tfjs model (loaded once, shared with the export): the fallback, and what the graph is exported from. */
  tfjs(): Promise<NsfwModel>;
  /** Told when onnxruntime cannot serve and tfjs does instead. */
  warn(message: string): void;
}

/**
 * The backbone a compute thread serves, and what it is: the registered
 * graph on onnxruntime, or the tfjs model when asked for, and as the
 * fallback when the graph is missing, changed on disk, another model's, or
 * does not load. A broken graph never takes classification down.
 */
export async function loadServingBackbone(options: ServingBackboneOptions): Promise<{ classifier: BackboneClassifier; state: BackboneState }> {
  const requested = options.runtime;
  if (requested === 'onnxruntime') {
    try {
      const { bytes, sha256 } = await graphBytes(options);
      const classifier = await OnnxBackbone.load(bytes);
      return { classifier, state: { runtime: 'onnxruntime', requested, artefact: sha256, fallbackReason: null } };
    } catch (error) {
      const reason = error instanceof BackboneRefused ? error.reason : 'load_failed';
      options.warn(`The backbone cannot run on onnxruntime (${reason}: ${(error as Error).message}); serving it on tfjs`);
      return { classifier: await options.tfjs(), state: { runtime: 'tfjs', requested, artefact: null, fallbackReason: reason } };
    }
  }
  return { classifier: await options.tfjs(), state: { runtime: 'tfjs', requested, artefact: null, fallbackReason: null } };
}

async function graphBytes(options: ServingBackboneOptions): Promise<{ bytes: Uint8Array; sha256: string }> {
  const { source } = options;
  if (source.kind === 'unavailable') throw new BackboneRefused(source.reason, 'the registry has no graph to serve');
  if (source.kind === 'directory') {
    const graph = await prepareBackboneGraph(source.dir, options.tfjs);
    return { bytes: graph.bytes, sha256: graph.lineage.sha256 };
  }
  const bytes = await readFile(source.path).catch((error: NodeJS.ErrnoException) => {
    throw new BackboneRefused(error.code === 'ENOENT' ? 'artefact_missing' : 'load_failed', `cannot read ${source.path}: ${error.message}`);
  });
  const actual = sha256Of(bytes);
  if (actual !== source.sha256) throw new BackboneRefused('artefact_corrupt', `${source.path} hashes to ${actual}, not the registered ${source.sha256}`);
  return { bytes, sha256: actual };
}
