import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import { backboneId } from '../backbone';
import { checkInput, ImageEmbedding, ModelScoresResult, NSFW_CLASSES, NSFW_MODEL_ID, NsfwModel } from '../nsfw-model';
import { packageVersion } from '../package-version';
import { BACKBONE_ONNX_INPUT, BACKBONE_ONNX_OUTPUTS, backboneToOnnx } from './backbone-export';
import type { TfBackendPreference } from '../tf-runtime';
import { LAYERS_TO_ONNX_VERSION } from './layers-to-onnx';
import { OnnxModel } from './onnx-model';
import { pixelsToTensor } from './pixel-input';

/** What serves the backbone: NsfwModel on tfjs, or the exported graph on onnxruntime. */
export interface BackboneClassifier {
  readonly backend: ModelScoresResult['backend'];
  classifyWithEmbedding(rgb: Uint8Array): Promise<ModelScoresResult & { embedding: ImageEmbedding }>;
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
      throw new Error(`The backbone graph is ${model.metadata.backbone}; this process serves ${backboneId()}`);
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

/** Where the graph of this backbone, by this exporter version, is kept: a new version of either gets a new file. */
export function backboneOnnxFile(dir: string): string {
  return path.join(dir, `${backboneId()}.layers-to-onnx-${LAYERS_TO_ONNX_VERSION}.onnx`);
}

export interface ServingBackboneOptions {
  runtime: 'onnxruntime' | 'tfjs';
  onnxDir: string;
  tfjsBackend: TfBackendPreference;
  /** Told when onnxruntime cannot serve and tfjs does instead. */
  warn(message: string): void;
}

/**
 * The backbone a compute thread serves: the exported graph on onnxruntime
 * (exported from the tfjs model and kept in `onnxDir` the first time, so
 * later starts skip tfjs entirely), or the tfjs model when asked for, and
 * as the fallback when the graph cannot be made or loaded. A broken graph
 * never takes classification down.
 */
export async function loadServingBackbone(options: ServingBackboneOptions): Promise<BackboneClassifier> {
  if (options.runtime === 'onnxruntime') {
    let tfjs: NsfwModel | undefined;
    try {
      const file = backboneOnnxFile(options.onnxDir);
      let bytes: Uint8Array;
      try {
        bytes = await readFile(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        tfjs = await NsfwModel.load(options.tfjsBackend);
        bytes = backboneToOnnx(tfjs).bytes;
        // Written beside its name and renamed: threads and processes that export at once never read half a file.
        await mkdir(options.onnxDir, { recursive: true });
        const staging = `${file}.${process.pid}-${threadId}.tmp`;
        await writeFile(staging, bytes);
        await rename(staging, file);
      }
      return await OnnxBackbone.load(bytes);
    } catch (error) {
      options.warn(`The backbone cannot run on onnxruntime (${(error as Error).message}); serving it on tfjs`);
      if (tfjs) return tfjs;
    }
  }
  return NsfwModel.load(options.tfjsBackend);
}
