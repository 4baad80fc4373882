import type { SparseVector } from '../features/text-features';
import { tfRuntime } from '../tf-runtime';
import { seededRandom } from './head-batches';
import { HeadTrainingCancelled, HeadTrainingData, HeadTrainingOptions, trainHeads } from './head-trainer';
import { forwardHeads, HeadWeights } from './head-weights';

jest.setTimeout(30_000);

const TEXT_DIM = 64;
const FAST: Partial<HeadTrainingOptions> = { epochs: 40, batchSize: 16, learningRate: 0.05, l2: 1e-4, validationShare: 0.25, patience: 5, seed: 7 };

const sparse = (entries: [number, number][] = []): SparseVector => ({
  dimension: TEXT_DIM,
  indices: Int32Array.from(entries.map(([i]) => i)),
  values: Float32Array.from(entries.map(([, v]) => v)),
});

const dense = (vector: SparseVector): Float32Array => {
  const out = new Float32Array(vector.dimension);
  vector.indices.forEach((index, k) => (out[index] = vector.values[k]));
  return out;
};

/** Items whose image vectors are Gaussian noise around an offset of 3 (standardisation has to remove it). */
function rows(count: number, imageDim: number, seed: number, label: (image: Float32Array, n: number) => number[], text?: (n: number, positive: boolean) => SparseVector) {
  const random = seededRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  const image: Float32Array[] = [];
  const targets: number[] = [];
  const texts: SparseVector[] = [];
  for (let n = 0; n < count; n++) {
    const vector = Float32Array.from({ length: imageDim }, () => 3 + gauss());
    const labels = label(vector, n);
    image.push(vector);
    targets.push(...labels);
    texts.push(text ? text(n, labels[0] === 1) : sparse());
  }
  return { image, text: texts, targets: Float32Array.from(targets) };
}

function data(policies: string[], part: ReturnType<typeof rows>): HeadTrainingData {
  return { ...part, weights: new Float32Array(part.image.length).fill(1), policies, imageFeatures: 'test/image', textFeatures: `test/text/${TEXT_DIM}` };
}

function scores(head: HeadWeights, part: ReturnType<typeof rows>): Float32Array {
  return forwardHeads(head, part.image, part.text.map(dense));
}

/** Share of labelled cells of `policy` that the head gets right at 0.5. */
function accuracy(head: HeadWeights, part: ReturnType<typeof rows>, policy = 0): number {
  const outputs = head.policies.length;
  const predicted = scores(head, part);
  let right = 0;
  let labelled = 0;
  for (let n = 0; n < part.image.length; n++) {
    const target = part.targets[n * outputs + policy];
    if (Number.isNaN(target)) continue;
    labelled++;
    if (predicted[n * outputs + policy] > 0.5 === (target === 1)) right++;
  }
  return right / labelled;
}

const separable = (image: Float32Array) => [image[0] - 3 + 0.5 * (image[1] - 3) > 0 ? 1 : 0];

describe('trainHeads', () => {
  let numTensors: number;
  beforeAll(async () => {
    const { tf } = await tfRuntime('wasm');
    numTensors = tf.memory().numTensors;
  });
  afterEach(async () => {
    // Every test leaves tfjs as it found it: variables, optimiser slots and batch tensors disposed.
    const { tf } = await tfRuntime('wasm');
    expect(tf.memory().numTensors).toBe(numTensors);
  });

  it('learns a linearly separable problem from the image alone, and exports the standardisation', async () => {
    const train = rows(200, 6, 1, separable);
    const result = await trainHeads(data(['p'], train), FAST);
    expect(accuracy(result.head, rows(200, 6, 2, separable))).toBeGreaterThan(0.95);
    expect(result.head).toMatchObject({ policies: ['p'], imageFeatures: 'test/image', textFeatures: 'test/text/64', imageDim: 6, textDim: TEXT_DIM });
    expect(result.head.layers).toHaveLength(1);
    expect(result.head.layers[0]).toMatchObject({ inputs: 6 + TEXT_DIM, outputs: 1, activation: 'sigmoid' });
    for (const mean of result.head.imageMean) expect(mean).toBeCloseTo(3, 0);
    for (const scale of result.head.imageScale) expect(scale).toBeGreaterThan(0.7);
  });

  it('learns from the text alone: a token that only positives have', async () => {
    const label = (_: Float32Array, n: number) => [n % 3 === 0 ? 1 : 0];
    // Shared tokens in every row, the telling one (index 5) only in positives.
    const text = (n: number, positive: boolean) => sparse(positive ? [[5, 0.6], [9 + (n % 7), 0.8]] : [[9 + (n % 7), 0.8], [40 + (n % 5), 0.6]]);
    const train = rows(150, 4, 3, label, text);
    const result = await trainHeads(data(['p'], train), { ...FAST, hidden: 8 });
    expect(accuracy(result.head, rows(90, 4, 4, label, text))).toBe(1);
    expect(result.head.layers.map((l) => l.activation)).toEqual(['relu', 'sigmoid']);
  });

  it('leaves NaN targets out of the loss: a policy masked on half the rows still learns from the rest', async () => {
    // Policy b is unlabelled on rows 100+, and there its rule is reversed: read as 0 or 1, those rows would teach the opposite.
    const label = (image: Float32Array, n: number) => {
      const a = image[0] > 3 ? 1 : 0;
      return [a, n >= 100 ? Number.NaN : image[1] > 3 ? 1 : 0];
    };
    const train = rows(200, 4, 5, label);
    for (let n = 100; n < 200; n++) train.image[n][1] = 3 + (train.image[n][1] > 3 ? 4 : -4);
    const result = await trainHeads(data(['a', 'b'], train), FAST);
    expect(result.history.every((e) => Number.isFinite(e.loss) && Number.isFinite(e.validationLoss!))).toBe(true);
    const test = rows(200, 4, 6, (image) => [image[0] > 3 ? 1 : 0, image[1] > 3 ? 1 : 0]);
    expect(accuracy(result.head, test, 0)).toBeGreaterThan(0.9);
    expect(accuracy(result.head, test, 1)).toBeGreaterThan(0.9);
  });

  it('is deterministic for a seed, and a different seed trains a different head', async () => {
    const train = rows(120, 5, 7, separable, (n) => sparse([[n % TEXT_DIM, 1]]));
    const options = { ...FAST, hidden: 6, epochs: 5 };
    const [a, b, c] = [await trainHeads(data(['p'], train), options), await trainHeads(data(['p'], train), options), await trainHeads(data(['p'], train), { ...options, seed: 8 })];
    expect(a.seed).toBe(7);
    expect(b.history.map((e) => e.loss)).toEqual(a.history.map((e) => e.loss));
    a.head.layers.forEach((layer, i) => {
      expect(Array.from(b.head.layers[i].weights)).toEqual(Array.from(layer.weights));
      expect(Array.from(b.head.layers[i].bias)).toEqual(Array.from(layer.bias));
    });
    expect(Array.from(c.head.layers[0].weights)).not.toEqual(Array.from(a.head.layers[0].weights));
  });

  it('stops early when the validation loss stops improving, and keeps the best epoch', async () => {
    // Labels that are noise: whatever the head learns is overfitting, so validation gets worse soon.
    const random = seededRandom(9);
    const train = rows(120, 40, 9, () => [random() < 0.5 ? 1 : 0]);
    const epochs: number[] = [];
    const result = await trainHeads(data(['p'], train), { ...FAST, epochs: 100, patience: 3, l2: 0 }, { onEpoch: (e) => void epochs.push(e.epoch) });
    expect(result.epochsRun).toBeLessThan(100);
    expect(result.epochsRun).toBe(result.bestEpoch + 3);
    expect(epochs).toEqual(result.history.map((e) => e.epoch));
    const best = Math.min(...result.history.map((e) => e.validationLoss!));
    expect(result.history[result.bestEpoch - 1].validationLoss).toBe(best);
    expect(result.history[0]).toMatchObject({ epoch: 1, epochs: 100 });
    expect(result.history[0].samplesPerSecond).toBeGreaterThan(0);
  });

  it.each([
    ['logistic', 0],
    ['an MLP', 12],
  ])('exports %s whose forwardHeads scores are the scores tfjs gave, within 1e-5', async (_, hidden) => {
    const label = (image: Float32Array) => [image[0] > 3 ? 1 : 0, image[2] > 3 ? 1 : Number.NaN, image[1] < 3 ? 1 : 0];
    const train = rows(160, 12, 10, label, (n) => sparse([[n % 17, 0.6], [20 + (n % 31), 0.8]]));
    const result = await trainHeads(data(['a', 'b', 'c'], train), { ...FAST, hidden, epochs: 8 });
    const { rows: held, scores: tfScores } = result.validation;
    expect(held).toHaveLength(40);
    const reference = forwardHeads(
      result.head,
      Array.from(held, (n) => train.image[n]),
      Array.from(held, (n) => dense(train.text[n])),
    );
    expect(tfScores).toHaveLength(reference.length);
    let worst = 0;
    reference.forEach((score, i) => (worst = Math.max(worst, Math.abs(score - tfScores[i]))));
    expect(worst).toBeLessThan(1e-5);
    // Not a degenerate head: the scores spread.
    expect(Math.max(...reference) - Math.min(...reference)).toBeGreaterThan(0.5);
  });

  it('is cancelled between batches by shouldStop, with a HeadTrainingCancelled error', async () => {
    const train = rows(100, 4, 11, separable);
    let asked = 0;
    const training = trainHeads(data(['p'], train), FAST, { shouldStop: () => ++asked > 10 });
    await expect(training).rejects.toBeInstanceOf(HeadTrainingCancelled);
    await expect(training).rejects.toThrow('Head training cancelled in epoch 3');
  });

  it('refuses data whose parts disagree', async () => {
    const train = rows(10, 3, 12, separable);
    await expect(trainHeads({ ...data(['p'], train), targets: new Float32Array(9) }, FAST)).rejects.toThrow(/targets must be \[10, 1\]/);
    await expect(trainHeads({ ...data(['p'], train), targets: new Float32Array(10).fill(0.5) }, FAST)).rejects.toThrow(/targets are 0, 1 or NaN/);
    await expect(trainHeads({ ...data(['p'], train), text: train.text.slice(1) }, FAST)).rejects.toThrow(/10 image vectors but 9 text vectors/);
    await expect(trainHeads(data(['p'], train), { ...FAST, validationShare: 1 })).rejects.toThrow(/validationShare/);
  });
});
