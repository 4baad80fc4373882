import path from 'node:path';
import type { LayersModel, SymbolicTensor, Tensor } from '@tensorflow/tfjs';
import type { NSFWJS } from 'nsfwjs';
// The types by file path: this project's module resolution does not read the package's exports map.
import type { ModelDefinition } from 'nsfwjs/dist/cjs/core';
import { packageVersion } from './package-version';
import { tfRuntime, TfBackend, TfBackendPreference } from './tf-runtime';

export const NSFW_MODEL_ID = 'nsfwjs-mobilenetv2';
export const NSFW_INPUT_SIZE = 224;
export const NSFW_CLASSES = ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'] as const;

export interface ModelScoresResult {
  modelId: string;
  modelVersion: string;
  /** What ran the backbone: a tfjs backend, or onnxruntime on the exported graph (onnx/backbone-runner.ts). */
  backend: TfBackend | 'onnxruntime';
  outputs: Record<string, number>;
}

/**
 * The backbone's features of an image, from the pass that classifies it:
 * `pooled` is the global average pool of the last convolution block (1280
 * wide), `dense` the first dense layer after it (256 wide, ReLU), and
 * `midGem` a generalised-mean pool of a middle block (576 wide, see
 * MID_GEM_P), which the heads train on.
 */
export interface ImageEmbedding {
  backbone: string;
  pooled: Float32Array;
  dense: Float32Array;
  /**
   * GeM pool, (mean of x^3)^(1/3) over the 14x14 positions, of
   * block_13_expand_relu: the last layer before the final 7x7 blocks. Its
   * channels still describe shapes rather than the classifier's five
   * classes, and a pool between the average and the maximum keeps a small
   * object visible: with a logistic head on 200 labels it tells a made-up
   * symbol from look-alike shapes far better than `pooled` (PR-AUC 0.99
   * against 0.91, docs/benchmarks.md, "Heads: readout and trainer").
   */
  midGem: Float32Array;
}

/** The layers of nsfwjs's MobileNetV2 whose outputs are the embedding. */
export const NSFW_EMBEDDING_LAYERS = { pooled: 'flatten_1', dense: 'dense_1', mid: 'block_13_expand_relu' } as const;
/** GeM's exponent: 1 would be the average pool, infinity the maximum. */
export const MID_GEM_P = 3;

/**
 * The baseline image classifier: nsfwjs MobileNetV2, whose weights ship
 * inside the npm package as JavaScript, so loading needs no network.
 */
export class NsfwModel {
  /** The same layers with four outputs (pooled, dense, probabilities, the middle block), built on first use. */
  private featureModel: LayersModel | null = null;

  private constructor(
    private readonly model: NSFWJS,
    private readonly runtime: Awaited<ReturnType<typeof tfRuntime>>,
    readonly version: string,
  ) {}

  /** The tfjs backend this model runs on. */
  get backend(): TfBackend {
    return this.runtime.backend;
  }

  static async load(preference: TfBackendPreference): Promise<NsfwModel> {
    const runtime = await tfRuntime(preference);
    const core = require('nsfwjs/core') as typeof import('nsfwjs/dist/cjs/core');
    const model = await core.load('MobileNetV2', { size: NSFW_INPUT_SIZE, modelDefinitions: [packagedMobileNetV2()] });
    return new NsfwModel(model, runtime, packageVersion('nsfwjs'));
  }

  /** Scores a 224x224 packed RGB image. */
  async classify(rgb: Uint8Array): Promise<ModelScoresResult> {
    checkInput(rgb);
    const { tf } = this.runtime;
    const input = tf.tensor3d(rgb, [NSFW_INPUT_SIZE, NSFW_INPUT_SIZE, 3], 'int32');
    try {
      const predictions = await this.model.classify(input, NSFW_CLASSES.length);
      const outputs: Record<string, number> = {};
      for (const { className, probability } of predictions) outputs[className] = probability;
      return { modelId: NSFW_MODEL_ID, modelVersion: this.version, backend: this.runtime.backend, outputs };
    } finally {
      input.dispose();
    }
  }

  /**
   * Scores and embeds a 224x224 packed RGB image in one forward pass: the
   * probabilities are those `classify` gives (same input scaling, same
   * layers), and the embedding costs no second pass.
   */
  async classifyWithEmbedding(rgb: Uint8Array): Promise<ModelScoresResult & { embedding: ImageEmbedding }> {
    checkInput(rgb);
    const { tf } = this.runtime;
    const features = this.features();
    const [pooled, dense, probabilities, midGem] = tf.tidy(() => {
      // As nsfwjs scales its input: pixels / 255, no resize at 224.
      const input = tf.tensor3d(rgb, [NSFW_INPUT_SIZE, NSFW_INPUT_SIZE, 3], 'int32').toFloat().div(255).reshape([1, NSFW_INPUT_SIZE, NSFW_INPUT_SIZE, 3]);
      const [pooledOut, denseOut, probabilityOut, mid] = features.predict(input) as Tensor[];
      // The block ends in a ReLU6, so the cube is never of a negative number.
      return [pooledOut, denseOut, probabilityOut, mid.pow(MID_GEM_P).mean([1, 2]).pow(1 / MID_GEM_P)];
    });
    try {
      const [pooledData, denseData, probabilityData, midGemData] = await Promise.all([pooled.data(), dense.data(), probabilities.data(), midGem.data()]);
      const outputs: Record<string, number> = {};
      NSFW_CLASSES.forEach((name, i) => (outputs[name] = probabilityData[i]));
      return {
        modelId: NSFW_MODEL_ID,
        modelVersion: this.version,
        backend: this.runtime.backend,
        outputs,
        // data() hands back a fresh array of the tensor's own type (float32 here): no copy needed.
        embedding: {
          backbone: `${NSFW_MODEL_ID}@${this.version}`,
          pooled: pooledData as Float32Array,
          dense: denseData as Float32Array,
          midGem: midGemData as Float32Array,
        },
      };
    } finally {
      tf.dispose([pooled, dense, probabilities, midGem]);
    }
  }

  /** The tfjs LayersModel underneath (layers, configs, weights): what the ONNX exporter reads. */
  layersModel(): LayersModel {
    return (this.model as unknown as { model: LayersModel }).model;
  }

  private features(): LayersModel {
    if (!this.featureModel) {
      const layers = this.layersModel();
      this.featureModel = this.runtime.tf.model({
        inputs: layers.inputs,
        outputs: [
          layers.getLayer(NSFW_EMBEDDING_LAYERS.pooled).output as SymbolicTensor,
          layers.getLayer(NSFW_EMBEDDING_LAYERS.dense).output as SymbolicTensor,
          layers.outputs[0],
          layers.getLayer(NSFW_EMBEDDING_LAYERS.mid).output as SymbolicTensor,
        ],
      });
    }
    return this.featureModel;
  }
}

export function checkInput(rgb: Uint8Array): void {
  if (rgb.length !== NSFW_INPUT_SIZE * NSFW_INPUT_SIZE * 3) {
    throw new Error(`Expected ${NSFW_INPUT_SIZE}x${NSFW_INPUT_SIZE} RGB input, got ${rgb.length} bytes`);
  }
}

/**
 * The MobileNetV2 files that ship in the nsfwjs package, handed to nsfwjs
 * as they are. nsfwjs's own loader wraps the weight bundle (one 3.5 MB
 * base64 string) in TypeScript's `__importStar`, which copies the string
 * character by character into getters: 7 of the 7.5 seconds a thread spent
 * loading the model. Same files, same weights, same model.
 */
function packagedMobileNetV2(): ModelDefinition {
  // The model files are not in the package's exports map; an absolute path is.
  const models = path.join(path.dirname(require.resolve('nsfwjs')), '..', 'models', 'mobilenet_v2');
  return {
    name: 'MobileNetV2',
    numOfWeightBundles: 1,
    modelJson: async () => ({ default: require(path.join(models, 'model.min.js')) }),
    weightBundles: [async () => ({ default: require(path.join(models, 'group1-shard1of1.min.js')) })],
  };
}
