/**
 * @jest-environment ./libs/ml/src/testing/native-typed-arrays.environment.js
 */
import { backboneId } from '../backbone';
import { NSFW_CLASSES, NsfwModel } from '../nsfw-model';
import { backboneDifferences, backboneImages } from '../testing/backbone-images';
import { maxAbsDifference } from '../testing/random-heads';
import { BackboneOnnx, exportBackbone } from './backbone-export';
import { OnnxModel } from './onnx-model';
import { pixelsToTensor } from './pixel-input';

jest.setTimeout(300_000);

/** The parity set: 100 images (about 7 s of tfjs-wasm and onnxruntime here). */
const IMAGES = 100;
/** The bound on every output, probabilities and embeddings alike. */
const TOLERANCE = 1e-4;

describe('exportBackbone (nsfwjs MobileNetV2 as ONNX)', () => {
  let tfjs: NsfwModel;
  let exported: BackboneOnnx;
  let session: OnnxModel;
  beforeAll(async () => {
    tfjs = await NsfwModel.load('wasm');
    exported = await exportBackbone({ model: tfjs });
    session = await OnnxModel.load(exported.bytes);
  });
  afterAll(async () => {
    await session?.release();
  });

  it('reads NHWC pixels in [0, 1] and gives the probabilities and the three embeddings', () => {
    expect(session.inputs).toEqual([{ name: 'pixels', type: 'float32', shape: ['N', 224, 224, 3] }]);
    expect(session.outputs.map((o) => [o.name, o.shape])).toEqual([
      ['probabilities', ['N', 5]],
      ['pooled', ['N', 1280]],
      ['dense', ['N', 256]],
      ['midGem', ['N', 576]],
    ]);
  });

  it('says in its metadata what it is and how to read it', async () => {
    expect(session.metadata).toEqual({
      backbone: backboneId(),
      exporter: 'layers-to-onnx',
      exporterVersion: '1',
      pixelsInput: 'pixels',
      pixelsLayout: 'nhwc',
      probabilitiesOutput: 'probabilities',
      classes: JSON.stringify(NSFW_CLASSES),
      embeddingOutputs: JSON.stringify({ pooled: 'pooled', dense: 'dense', midGem: 'midGem' }),
      midGemLayer: 'block_13_expand_relu',
      midGemP: '3',
    });
    expect(exported.metadata).toEqual(session.metadata);
    // The same weights and exporter give the same bytes.
    expect(exported.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await exportBackbone({ model: tfjs })).sha256).toBe(exported.sha256);
  });

  it(`matches tfjs (classifyWithEmbedding) within ${TOLERANCE} on ${IMAGES} images, every output`, async () => {
    const worst = { probabilities: 0, pooled: 0, dense: 0, midGem: 0 };
    for (const rgb of backboneImages(IMAGES)) {
      const reference = await tfjs.classifyWithEmbedding(rgb);
      const out = await session.run({ pixels: pixelsToTensor([rgb], 'nhwc') });
      const differences = backboneDifferences(reference, out).worst;
      for (const key of Object.keys(worst) as (keyof typeof worst)[]) worst[key] = Math.max(worst[key], differences[key]);
    }
    for (const value of Object.values(worst)) expect(value).toBeLessThanOrEqual(TOLERANCE);
  });

  it('gives each image of a batch what it gives the image alone', async () => {
    const images = backboneImages(3, 2);
    const batch = await session.run({ pixels: pixelsToTensor(images, 'nhwc') });
    const alone = await session.run({ pixels: pixelsToTensor([images[1]], 'nhwc') });
    expect(batch.midGem.dims).toEqual([3, 576]);
    expect(maxAbsDifference(batch.pooled.data.subarray(1280, 2560), alone.pooled.data)).toBeLessThan(1e-5);
    expect(maxAbsDifference(batch.probabilities.data.subarray(5, 10), alone.probabilities.data)).toBeLessThan(1e-6);
  });
});
