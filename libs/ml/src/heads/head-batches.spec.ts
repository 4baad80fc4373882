import { BatchAssembler, checkData, classWeights, HeadTrainingData, seededRandom, splitRows, standardisation, textScale } from './head-batches';

const text = (dimension: number, entries: [number, number][] = []) => ({
  dimension,
  indices: Int32Array.from(entries.map(([i]) => i)),
  values: Float32Array.from(entries.map(([, v]) => v)),
});

function data(overrides: Partial<HeadTrainingData> = {}): HeadTrainingData {
  return {
    image: [Float32Array.of(1, 10), Float32Array.of(3, 10), Float32Array.of(5, 10), Float32Array.of(7, 10)],
    text: [text(8, [[1, 1]]), text(8), text(8, [[2, 0.6], [7, 0.8]]), text(8, [[0, 1]])],
    // Two policies: a has one positive in four, b is unlabelled on row 2.
    targets: Float32Array.of(1, 0, 0, 1, 0, Number.NaN, 0, 1),
    weights: Float32Array.of(1, 1, 1, 2),
    policies: ['a', 'b'],
    imageFeatures: 'image',
    textFeatures: 'text',
    ...overrides,
  };
}

const all = Int32Array.of(0, 1, 2, 3);

describe('head batches', () => {
  it('weights each class of a policy to half of its labelled weight, and leaves NaN cells at 0', () => {
    const input = data();
    const weights = classWeights(input, all, 2);
    // a: positives weigh 1 (row 0), negatives 1 + 1 + 2 = 4; together 5, so 2.5 each.
    expect(weights.positive[0]).toBeCloseTo(2.5);
    expect(weights.negative[0]).toBeCloseTo(2.5 / 4);
    // b: rows 1 and 3 positive (1 + 2), row 0 negative (1), row 2 unlabelled.
    expect(weights.positive[1]).toBeCloseTo(2 / 3);
    expect(weights.negative[1]).toBeCloseTo(2);
    expect(weights.total).toBeCloseTo(5 + 4);
    const { mean, scale } = standardisation(input.image, all, 2);
    const batch = new BatchAssembler(input, checkData(input), mean, scale, weights).assemble(all, 1, 3);
    expect(batch.size).toBe(2);
    expect(Array.from(batch.targets)).toEqual([0, 1, 0, 0]);
    expect(Array.from(batch.cellWeights).map((w) => +w.toFixed(4))).toEqual([0.625, 0.6667, 0.625, 0]);
  });

  it('standardises on the fitted rows, with a floor under the deviation of a constant dimension', () => {
    const input = data();
    const { mean, scale } = standardisation(input.image, all, 2);
    expect(Array.from(mean)).toEqual([4, 10]);
    expect(scale[0]).toBeCloseTo(1 / Math.sqrt(5));
    // Constant: the floor is a tenth of the median deviation, not a division by zero.
    expect(scale[1]).toBeCloseTo(1 / (0.1 * Math.sqrt(5)), 4);
  });

  it('keeps the text sparse: each row padded with (0, 0) to the widest row of its batch', () => {
    const input = data();
    const { mean, scale } = standardisation(input.image, all, 2);
    const batch = new BatchAssembler(input, checkData(input), mean, scale, classWeights(input, all, 2)).assemble(Int32Array.of(2, 0, 1), 0, 3);
    expect(batch.width).toBe(2);
    expect(Array.from(batch.textIndices)).toEqual([2, 7, 1, 0, 0, 0]);
    expect(Array.from(batch.textValues).map((v) => +v.toFixed(2))).toEqual([0.6, 0.8, 1, 0, 0, 0]);
    expect(batch.image[0]).toBeCloseTo((5 - 4) / Math.sqrt(5));
  });

  it('scales text so that its non-zero values have a root mean square of 1, and assembles batches at that scale', () => {
    const input = data();
    // Non-zero values 1, 0.6, 0.8, 1: mean square 0.75.
    const factor = textScale(input.text, all);
    expect(factor).toBeCloseTo(1 / Math.sqrt(0.75));
    expect(textScale([text(8)], Int32Array.of(0))).toBe(1);
    const { mean, scale } = standardisation(input.image, all, 2);
    const batch = new BatchAssembler(input, checkData(input), mean, scale, classWeights(input, all, 2), factor).assemble(Int32Array.of(2), 0, 1);
    expect(batch.textValues[0]).toBeCloseTo(0.6 * factor);
  });

  it('splits a seeded share off for validation, sorted, always leaving a row to fit on', () => {
    const a = splitRows(10, 0.3, seededRandom(1));
    const b = splitRows(10, 0.3, seededRandom(1));
    expect(a.validation).toHaveLength(3);
    expect(Array.from(a.validation)).toEqual(Array.from(b.validation));
    expect(Array.from(a.validation)).toEqual([...a.validation].sort((x, y) => x - y));
    expect([...a.fit, ...a.validation].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(splitRows(1, 0.5, seededRandom(1)).fit).toHaveLength(1);
    expect(splitRows(10, 0, seededRandom(1)).validation).toHaveLength(0);
  });

  it('refuses text indices outside the dimension and negative sample weights', () => {
    expect(() => checkData(data({ text: [text(8, [[8, 1]]), text(8), text(8), text(8)] }))).toThrow(/index 8 outside \[0, 8\)/);
    expect(() => checkData(data({ text: [text(8), text(16), text(8), text(8)] }))).toThrow(/dimension 16, not 8/);
    expect(() => checkData(data({ weights: Float32Array.of(1, -1, 1, 1) }))).toThrow(/sample weight 1 is -1/);
    expect(() => checkData(data({ image: [] }))).toThrow(/no rows/);
  });
});
