import type { NSFWJS } from 'nsfwjs';
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
    const nsfwjs = require('nsfwjs') as typeof import('nsfwjs');
    const model = await nsfwjs.load('MobileNetV2');
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
