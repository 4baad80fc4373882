import type { HeadLayer, HeadWeights } from '../heads/head-weights';

/*
 * Random heads and items shaped like the real ones, for the ONNX specs and
 * the serving bench: seeded, so a failure reproduces.
 */

// The trainer's PRNG: one seeded generator in the library.
export { seededRandom } from '../heads/head-batches';

export interface RandomHeadsShape {
  imageDim: number;
  textDim: number;
  policies: number;
  /** Width of a ReLU hidden layer; none for a logistic head (one sigmoid layer). */
  hidden?: number;
}

export function randomHeads(random: () => number, shape: RandomHeadsShape): HeadWeights {
  const uniform = (n: number, scale: number) => Float32Array.from({ length: n }, () => (random() * 2 - 1) * scale);
  const layer = (inputs: number, outputs: number, activation: HeadLayer['activation']): HeadLayer => ({
    inputs,
    outputs,
    // Glorot-uniform, as the trainer initialises them: pre-activations stay in sigmoid's useful range.
    weights: uniform(inputs * outputs, Math.sqrt(6 / (inputs + outputs))),
    bias: uniform(outputs, 0.5),
    activation,
  });
  const width = shape.imageDim + shape.textDim;
  const layers = shape.hidden
    ? [layer(width, shape.hidden, 'relu'), layer(shape.hidden, shape.policies, 'sigmoid')]
    : [layer(width, shape.policies, 'sigmoid')];
  return {
    policies: Array.from({ length: shape.policies }, (_, i) => `policy-${i + 1}`),
    imageFeatures: `test-embedding/${shape.imageDim}`,
    imageDim: shape.imageDim,
    textFeatures: `test-text-hash/${shape.textDim}`,
    textDim: shape.textDim,
    imageMean: Float32Array.from({ length: shape.imageDim }, () => random() * 0.8),
    imageScale: Float32Array.from({ length: shape.imageDim }, () => 0.5 + random() * 2),
    layers,
  };
}

/**
 * Items as the heads see them: an image embedding after a ReLU (non-negative,
 * about half zeros) and a hashed text vector (a unit vector with a few dozen
 * non-zero entries).
 */
export function randomItems(random: () => number, head: HeadWeights, count: number): { image: Float32Array[]; text: Float32Array[] } {
  const image = Array.from({ length: count }, () => Float32Array.from({ length: head.imageDim }, () => (random() < 0.5 ? 0 : random() * 2)));
  const text = Array.from({ length: count }, () => {
    const vector = new Float32Array(head.textDim);
    const nonZero = Math.min(head.textDim, 40);
    for (let k = 0; k < nonZero; k++) vector[Math.floor(random() * head.textDim)] += random() < 0.5 ? -1 : 1;
    const norm = Math.hypot(...vector.filter((v) => v !== 0));
    return norm > 0 ? vector.map((v) => v / norm) : vector;
  });
  return { image, text };
}

/** Rows stacked into one row-major [rows.length, width] buffer: a batch for onnxruntime. */
export function stackRows(rows: Float32Array[], width: number): Float32Array {
  const out = new Float32Array(rows.length * width);
  rows.forEach((row, i) => out.set(row, i * width));
  return out;
}

export function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}
