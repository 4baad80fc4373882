import { headsToOnnx } from '../onnx/head-graph';
import { randomHeads, seededRandom } from './random-heads';

/**
 * An ONNX model as another pipeline would make it: one input `width` wide
 * (an embedding readout: 576, 1280 or 256), one sigmoid output per policy,
 * seeded. `relu` makes one that is not a probability (no sigmoid, a large
 * bias), for the checks that refuse it.
 */
export function uploadedModel(options: { width: number; policies: number; seed: number; relu?: boolean }): Buffer {
  const head = randomHeads(seededRandom(options.seed), { imageDim: options.width, textDim: 0, policies: options.policies });
  if (options.relu) {
    head.layers[0].activation = 'relu';
    head.layers[0].bias.fill(50);
  }
  return Buffer.from(headsToOnnx({ ...head, policies: Array.from({ length: options.policies }, (_, i) => `p${i}`) }, { producer: 'elsewhere' }));
}
