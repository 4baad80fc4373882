/**
 * @jest-environment ./libs/ml/src/testing/native-typed-arrays.environment.js
 */
import { brightnessModel, brightnessScores } from '../testing/brightness-model';
import { OnnxModel } from '../onnx/onnx-model';
import { PIXEL_FRAME_BYTES, PixelLayout } from '../onnx/pixel-input';
import { withMetadata } from '../onnx/serving-metadata';
import { headsSignature, runHeads } from './heads-runner';

/** A frame of one colour, with a gradient so that no two pixels are alike. */
function frame(rgb: [number, number, number]): Uint8Array {
  const out = new Uint8Array(PIXEL_FRAME_BYTES);
  for (let p = 0; p < PIXEL_FRAME_BYTES / 3; p++) for (let c = 0; c < 3; c++) out[p * 3 + c] = Math.min(255, rgb[c] + (p % 16));
  return out;
}

const served = (bytes: Uint8Array, layout: PixelLayout) =>
  withMetadata(bytes, { policies: '["redness","blueness"]', pixelsInput: 'pixels', pixelsLayout: layout, imageDim: '0', textDim: '0', scoresOutput: 'probabilities' });

describe('runHeads on a graph that reads pixels', () => {
  const reddish = frame([200, 20, 40]);
  const bluish = frame([10, 60, 230]);

  it.each(['nhwc', 'nchw'] as const)('feeds %s frames as the graph declares them: a channel-reading graph scores each frame as the reference does', async (layout) => {
    const options = { layout, channel: 0 as const, weights: [6, -6], biases: [-3, 3] };
    const model = await OnnxModel.load(served(brightnessModel(options), layout));
    try {
      const signature = headsSignature(model);
      expect(signature).toMatchObject({ pixelsInput: 'pixels', pixelsLayout: layout, imageDim: 0, textDim: 0, policies: ['redness', 'blueness'] });
      const scores = await runHeads(model, signature, [{ pixels: reddish }, { pixels: bluish }]);
      const expected = [...brightnessScores(reddish, options), ...brightnessScores(bluish, options)];
      expect(Array.from(scores).map((s, i) => s - expected[i]).every((d) => Math.abs(d) < 1e-5)).toBe(true);
      // Red is the first channel: the reddish frame scores higher for redness.
      expect(scores[0]).toBeGreaterThan(scores[2]);
    } finally {
      await model.release();
    }
  });

  it('refuses an item without pixels, and metadata with no known layout', async () => {
    const model = await OnnxModel.load(served(brightnessModel(), 'nhwc'));
    try {
      await expect(runHeads(model, headsSignature(model), [{ pixels: reddish }, { image: new Float32Array(4) }])).rejects.toThrow(/Item 1: the graph reads pixels/);
    } finally {
      await model.release();
    }
    const sideways = await OnnxModel.load(withMetadata(brightnessModel(), { policies: '["p"]', pixelsInput: 'pixels', pixelsLayout: 'hwcn' }));
    try {
      expect(() => headsSignature(sideways)).toThrow(/layout hwcn/);
    } finally {
      await sideways.release();
    }
  });

  it('leaves a graph without pixel metadata reading features', async () => {
    const model = await OnnxModel.load(withMetadata(brightnessModel(), { policies: '["p"]' }));
    try {
      expect(headsSignature(model)).toMatchObject({ pixelsInput: null, pixelsLayout: null });
    } finally {
      await model.release();
    }
  });
});
