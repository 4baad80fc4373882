import type { SparseVector } from '../features/text-features';
import { seededRandom } from '@loupe/common';

/**
 * The trainer's JavaScript side: the checks on its input, the split,
 * standardisation, class weights and the assembly of mini-batches. No
 * tensors here, so that all of it is plain arithmetic a spec can read.
 */
export interface HeadTrainingData {
  /** N vectors of imageDim: one image embedding per item. */
  image: Float32Array[];
  /** N sparse text vectors, all of one dimension (a vector may have no entries). */
  text: SparseVector[];
  /** Row-major [N, policies]: 1 violating, 0 not, NaN no label for that policy (left out of the loss). */
  targets: Float32Array;
  /** [N]: each row's sample weight. */
  weights: Float32Array;
  policies: string[];
  /** Copied into the result, e.g. `nsfwjs-mobilenetv2@4.3.0/pooled`. */
  imageFeatures: string;
  textFeatures: string;
}

export interface DataShape {
  items: number;
  imageDim: number;
  textDim: number;
  outputs: number;
}

export function checkData(data: HeadTrainingData): DataShape {
  const items = data.image.length;
  const outputs = data.policies.length;
  if (items === 0) throw new Error('trainHeads: no rows to train on');
  if (outputs === 0) throw new Error('trainHeads: no policies');
  if (data.text.length !== items) throw new Error(`trainHeads: ${items} image vectors but ${data.text.length} text vectors`);
  if (data.targets.length !== items * outputs) throw new Error(`trainHeads: targets must be [${items}, ${outputs}], got ${data.targets.length} values`);
  if (data.weights.length !== items) throw new Error(`trainHeads: ${items} rows but ${data.weights.length} sample weights`);
  const imageDim = data.image[0].length;
  const textDim = data.text[0].dimension;
  for (let n = 0; n < items; n++) {
    if (data.image[n].length !== imageDim) throw new Error(`trainHeads: image vector ${n} has ${data.image[n].length} values, not ${imageDim}`);
    const text = data.text[n];
    if (text.dimension !== textDim) throw new Error(`trainHeads: text vector ${n} has dimension ${text.dimension}, not ${textDim}`);
    for (const index of text.indices) if (index < 0 || index >= textDim) throw new Error(`trainHeads: text vector ${n} has index ${index} outside [0, ${textDim})`);
    if (!(data.weights[n] >= 0)) throw new Error(`trainHeads: sample weight ${n} is ${data.weights[n]}`);
  }
  for (const target of data.targets) {
    if (target !== 0 && target !== 1 && !Number.isNaN(target)) throw new Error(`trainHeads: a target is ${target}; targets are 0, 1 or NaN`);
  }
  return { items, imageDim, textDim, outputs };
}


export function shuffle(rows: Int32Array, random: () => number): Int32Array {
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = rows[i];
    rows[i] = rows[j];
    rows[j] = swap;
  }
  return rows;
}

/** A seeded split: `validationShare` of the rows for early stopping, at least one row left to fit on. */
export function splitRows(items: number, validationShare: number, random: () => number): { fit: Int32Array; validation: Int32Array } {
  const rows = shuffle(Int32Array.from({ length: items }, (_, i) => i), random);
  const held = Math.min(items - 1, Math.round(items * Math.max(0, validationShare)));
  // Sorted, so that the validation rows (and their scores in the result) read in the data's order.
  return { fit: rows.slice(held), validation: rows.slice(0, held).sort() };
}

/**
 * Mean and scale (1 / standard deviation) of each image dimension over the
 * rows the head is fitted on. The floor on the deviation is relative (a
 * tenth of the median deviation): a dimension that hardly moves in training
 * (a channel that is zero on most images) would otherwise be multiplied by
 * thousands, and a small change in it at serving time would swamp the score.
 */
export function standardisation(image: Float32Array[], rows: Int32Array, imageDim: number): { mean: Float32Array; scale: Float32Array } {
  const sum = new Float64Array(imageDim);
  const squares = new Float64Array(imageDim);
  for (const n of rows) {
    const vector = image[n];
    for (let i = 0; i < imageDim; i++) {
      sum[i] += vector[i];
      squares[i] += vector[i] * vector[i];
    }
  }
  const mean = new Float32Array(imageDim);
  const deviation = new Float64Array(imageDim);
  for (let i = 0; i < imageDim; i++) {
    const m = sum[i] / rows.length;
    mean[i] = m;
    deviation[i] = Math.sqrt(Math.max(0, squares[i] / rows.length - m * m));
  }
  const sorted = Float64Array.from(deviation).sort();
  const floor = Math.max(1e-6, 0.1 * sorted[Math.floor(sorted.length / 2)]);
  const scale = Float32Array.from(deviation, (d) => 1 / Math.max(d, floor));
  return { mean, scale };
}

/**
 * The factor that gives the non-zero text values of the fitted rows a root
 * mean square of 1, as standardised image features have. Text vectors are
 * L2-normalised, so with ~100 buckets a value is ~0.1: a word would need
 * weights ten times those of an image feature to move a score, which Adam's
 * bounded steps and the L2 penalty would not let it reach. The factor is
 * folded back into the exported weights (the first layer is linear in the
 * text), so HeadWeights takes the text as the featuriser gives it.
 */
export function textScale(text: SparseVector[], rows: Int32Array): number {
  let squares = 0;
  let count = 0;
  for (const n of rows) {
    for (const value of text[n].values) {
      if (value === 0) continue;
      squares += value * value;
      count++;
    }
  }
  return count > 0 ? 1 / Math.sqrt(squares / count) : 1;
}

/**
 * Per policy, the weight of a positive and of a negative label so that both
 * classes carry the same total (sample-weighted) weight over the rows the
 * head is fitted on, and together as much as the labels did before.
 */
export interface ClassWeights {
  positive: Float64Array;
  negative: Float64Array;
  /** The weight of all the labels of the rows, after balancing. */
  total: number;
}

export function classWeights(data: HeadTrainingData, rows: Int32Array, outputs: number): ClassWeights {
  const positives = new Float64Array(outputs);
  const negatives = new Float64Array(outputs);
  for (const n of rows) {
    for (let p = 0; p < outputs; p++) {
      const target = data.targets[n * outputs + p];
      if (target === 1) positives[p] += data.weights[n];
      else if (target === 0) negatives[p] += data.weights[n];
    }
  }
  const positive = new Float64Array(outputs);
  const negative = new Float64Array(outputs);
  for (let p = 0; p < outputs; p++) {
    const total = positives[p] + negatives[p];
    // A class with no labels gets no weight to balance; the other keeps its own.
    positive[p] = negatives[p] > 0 && positives[p] > 0 ? total / (2 * positives[p]) : 1;
    negative[p] = negatives[p] > 0 && positives[p] > 0 ? total / (2 * negatives[p]) : 1;
  }
  let total = 0;
  for (let p = 0; p < outputs; p++) total += positive[p] * positives[p] + negative[p] * negatives[p];
  return { positive, negative, total };
}

/** One mini-batch as flat arrays, ready to become tensors. */
export interface Batch {
  size: number;
  /** [size, imageDim], standardised. */
  image: Float32Array;
  /**
   * The text part stays sparse: [size, width] bucket indices and values,
   * each row padded to the batch's widest row with (0, 0) entries, which
   * add nothing. `width` is at least 1.
   */
  textIndices: Int32Array;
  textValues: Float32Array;
  width: number;
  /** [size, outputs]: targets with NaN as 0, and the loss weight of each cell (0 where there is no label). */
  targets: Float32Array;
  cellWeights: Float32Array;
}

export class BatchAssembler {
  constructor(
    private readonly data: HeadTrainingData,
    private readonly shape: DataShape,
    private readonly mean: Float32Array,
    private readonly scale: Float32Array,
    private readonly weights: ClassWeights,
    private readonly textFactor = 1,
  ) {}

  /** Rows[from, to) as a batch. Fresh arrays each time: a backend may keep the array a tensor is made from. */
  assemble(rows: Int32Array, from: number, to: number): Batch {
    const { imageDim, outputs } = this.shape;
    const { data, mean, scale } = this;
    const size = to - from;
    let width = 1;
    for (let r = from; r < to; r++) width = Math.max(width, data.text[rows[r]].indices.length);
    const image = new Float32Array(size * imageDim);
    const textIndices = new Int32Array(size * width);
    const textValues = new Float32Array(size * width);
    const targets = new Float32Array(size * outputs);
    const cellWeights = new Float32Array(size * outputs);
    for (let b = 0; b < size; b++) {
      const n = rows[from + b];
      const vector = data.image[n];
      const offset = b * imageDim;
      for (let i = 0; i < imageDim; i++) image[offset + i] = (vector[i] - mean[i]) * scale[i];
      const text = data.text[n];
      textIndices.set(text.indices, b * width);
      for (let k = 0; k < text.values.length; k++) textValues[b * width + k] = text.values[k] * this.textFactor;
      for (let p = 0; p < outputs; p++) {
        const target = data.targets[n * outputs + p];
        if (Number.isNaN(target)) continue;
        targets[b * outputs + p] = target;
        cellWeights[b * outputs + p] = data.weights[n] * (target === 1 ? this.weights.positive[p] : this.weights.negative[p]);
      }
    }
    return { size, image, textIndices, textValues, width, targets, cellWeights };
  }
}

/** The trainer's seeded PRNG (one for the house: @loupe/common), so that a seed gives the same split and order everywhere. */
export { seededRandom };
