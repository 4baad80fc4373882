/**
 * @jest-environment ./libs/ml/src/testing/native-typed-arrays.environment.js
 */
import { forwardHeads, HeadWeights } from '../heads/head-weights';
import { maxAbsDifference, randomHeads, randomItems, RandomHeadsShape, seededRandom, stackRows } from '../testing/random-heads';
import { headsToOnnx } from './head-graph';
import { OnnxModel } from './onnx-model';

jest.setTimeout(60_000);

const ITEMS = 20;
/** Float32 sums in a different order (onnxruntime's GEMM against the reference loop) differ by rounding, no more. */
const TOLERANCE = 1e-5;

async function withModel<T>(bytes: Uint8Array, use: (model: OnnxModel) => Promise<T>): Promise<T> {
  const model = await OnnxModel.load(bytes);
  try {
    return await use(model);
  } finally {
    await model.release();
  }
}

function feeds(head: HeadWeights, image: Float32Array[], text: Float32Array[]) {
  const out: Record<string, { data: Float32Array; dims: number[] }> = {};
  if (head.imageDim > 0) out.image = { data: stackRows(image, head.imageDim), dims: [image.length, head.imageDim] };
  if (head.textDim > 0) out.text = { data: stackRows(text, head.textDim), dims: [text.length, head.textDim] };
  return out;
}

/** The largest difference between onnxruntime's scores and forwardHeads', in one batch and item by item. */
async function parity(shape: RandomHeadsShape, seed: number): Promise<number> {
  const random = seededRandom(seed);
  const head = randomHeads(random, shape);
  const { image, text } = randomItems(random, head, ITEMS);
  const expected = forwardHeads(head, image, text);
  return withModel(headsToOnnx(head, {}), async (model) => {
    const batch = await model.run(feeds(head, image, text));
    expect(batch.scores.dims).toEqual([ITEMS, shape.policies]);
    let worst = maxAbsDifference(batch.scores.data, expected);
    for (let n = 0; n < 3; n++) {
      const one = await model.run(feeds(head, [image[n]], [text[n]]));
      expect(one.scores.dims).toEqual([1, shape.policies]);
      worst = Math.max(worst, maxAbsDifference(one.scores.data, expected.subarray(n * shape.policies, (n + 1) * shape.policies)));
    }
    // Scores that all sat at 0 or 1 would agree whatever the graph did.
    const spread = Math.max(...expected) - Math.min(...expected);
    expect(spread).toBeGreaterThan(0.2);
    return worst;
  });
}

describe('headsToOnnx', () => {
  describe('gives forwardHeads’s scores through onnxruntime', () => {
    it.each<[string, RandomHeadsShape]>([
      ['logistic, small', { imageDim: 32, textDim: 64, policies: 3 }],
      ['MLP, small', { imageDim: 32, textDim: 64, policies: 3, hidden: 16 }],
      ['logistic, 1280 + 16384 → 9', { imageDim: 1280, textDim: 16384, policies: 9 }],
      ['MLP, 1280 + 16384 → 64 → 9', { imageDim: 1280, textDim: 16384, policies: 9, hidden: 64 }],
      ['image only', { imageDim: 32, textDim: 0, policies: 2, hidden: 8 }],
      ['text only', { imageDim: 0, textDim: 64, policies: 2 }],
    ])('%s', async (_, shape) => {
      expect(await parity(shape, 9)).toBeLessThan(TOLERANCE);
    });
  });

  it('writes the policies, the features and the caller’s metadata into metadata_props', async () => {
    const head = randomHeads(seededRandom(1), { imageDim: 8, textDim: 16, policies: 3 });
    const metadata = { candidateId: 'c-42', trainedAt: '2026-12-02T10:00:00Z', note: 'ünïcode ✓' };
    await withModel(headsToOnnx(head, metadata), async (model) => {
      expect(model.metadata).toEqual({
        ...metadata,
        policies: JSON.stringify(head.policies),
        imageFeatures: 'test-embedding/8',
        imageDim: '8',
        textFeatures: 'test-text-hash/16',
        textDim: '16',
        inputs: '["image","text"]',
      });
      expect(JSON.parse(model.metadata.policies)).toEqual(['policy-1', 'policy-2', 'policy-3']);
      expect(model.inputs).toEqual([
        { name: 'image', type: 'float32', shape: ['N', 8] },
        { name: 'text', type: 'float32', shape: ['N', 16] },
      ]);
      expect(model.outputs).toEqual([{ name: 'scores', type: 'float32', shape: ['N', 3] }]);
    });
  });

  it('leaves out an input of width 0, and says so', async () => {
    const imageOnly = randomHeads(seededRandom(2), { imageDim: 8, textDim: 0, policies: 2 });
    await withModel(headsToOnnx(imageOnly, {}), async (model) => {
      expect(model.inputs.map((i) => i.name)).toEqual(['image']);
      expect(model.metadata).toMatchObject({ inputs: '["image"]', textDim: '0' });
    });
    const textOnly = randomHeads(seededRandom(3), { imageDim: 0, textDim: 8, policies: 2 });
    await withModel(headsToOnnx(textOnly, {}), async (model) => {
      expect(model.inputs.map((i) => i.name)).toEqual(['text']);
      expect(model.metadata).toMatchObject({ inputs: '["text"]', imageDim: '0' });
    });
  });

  it('refuses weights whose dimensions do not chain', () => {
    const head = () => randomHeads(seededRandom(4), { imageDim: 4, textDim: 4, policies: 2, hidden: 3 });
    const broken: [string, (h: HeadWeights) => void][] = [
      ['takes 7 inputs', (h) => (h.layers[0].inputs = 7)],
      ['gives 2 scores for 4 policies', (h) => h.policies.push('extra', 'more')],
      ['has 5 weights', (h) => (h.layers[1].weights = new Float32Array(5))],
      ['has 1 biases', (h) => (h.layers[0].bias = new Float32Array(1))],
      ['imageMean (3)', (h) => (h.imageMean = new Float32Array(3))],
      ['no layers', (h) => (h.layers = [])],
      ['both 0', (h) => Object.assign(h, { imageDim: 0, textDim: 0, imageMean: new Float32Array(0), imageScale: new Float32Array(0) })],
    ];
    for (const [message, breakIt] of broken) {
      const h = head();
      breakIt(h);
      expect(() => headsToOnnx(h, {})).toThrow(message);
    }
  });

  it('refuses caller metadata that would overwrite what it writes', () => {
    const head = randomHeads(seededRandom(5), { imageDim: 4, textDim: 4, policies: 2 });
    expect(() => headsToOnnx(head, { policies: '["other"]' })).toThrow(/policies/);
  });
});
