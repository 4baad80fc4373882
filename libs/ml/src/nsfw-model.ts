import path from 'node:path';
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
  backend: TfBackend;
  outputs: Record<string, number>;
}

/**
 * The baseline image classifier: nsfwjs MobileNetV2, whose weights ship
 * inside the npm package as JavaScript, so loading needs no network.
 */
export class NsfwModel {
  private constructor(
    private readonly model: NSFWJS,
    private readonly runtime: Awaited<ReturnType<typeof tfRuntime>>,
    readonly version: string,
  ) {}

  static async load(preference: TfBackendPreference): Promise<NsfwModel> {
    const runtime = await tfRuntime(preference);
    const core = require('nsfwjs/core') as typeof import('nsfwjs/dist/cjs/core');
    const model = await core.load('MobileNetV2', { size: NSFW_INPUT_SIZE, modelDefinitions: [packagedMobileNetV2()] });
    return new NsfwModel(model, runtime, packageVersion('nsfwjs'));
  }

  /** Scores a 224x224 packed RGB image. */
  async classify(rgb: Uint8Array): Promise<ModelScoresResult> {
    if (rgb.length !== NSFW_INPUT_SIZE * NSFW_INPUT_SIZE * 3) {
      throw new Error(`Expected ${NSFW_INPUT_SIZE}x${NSFW_INPUT_SIZE} RGB input, got ${rgb.length} bytes`);
    }
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
