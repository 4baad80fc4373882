import type * as tfTypes from '@tensorflow/tfjs';
import type { Optimizer, Scalar, Tensor, Tensor1D, Tensor2D, Variable } from '@tensorflow/tfjs';
import { tfRuntime } from '../tf-runtime';
import { Batch, BatchAssembler, checkData, classWeights, DataShape, HeadTrainingData, seededRandom, shuffle, splitRows, standardisation, textScale } from './head-batches';
import type { HeadLayer, HeadWeights } from './head-weights';

export type { HeadTrainingData } from './head-batches';

export interface HeadTrainingOptions {
  /** 0: logistic regression. Otherwise the hidden units of a one-layer MLP (ReLU). */
  hidden: number;
  /** The most epochs; early stopping usually ends sooner. */
  epochs: number;
  batchSize: number;
  /** Adam's step size. */
  learningRate: number;
  /** Penalty on the squared weights (not the biases), added to the mean loss of a row. */
  l2: number;
  /** Fixes the split, the order of the rows in every epoch and the initial weights. */
  seed: number;
  /** The share of the rows held out to choose the epoch by; 0 trains every epoch and keeps the last. */
  validationShare: number;
  /** Epochs without a better validation loss before training stops. */
  patience: number;
}

/**
 * Chosen with bench/heads.bench.ts (docs/benchmarks.md, "Heads: readout and
 * trainer"), by out-of-fold results on 200 labels: a logistic head (an MLP
 * did no better and trains ten times slower), a strong L2 (200 labels
 * against 576 or more image dimensions), and batches of 128, which a
 * 200-label set fits in 2 steps an epoch and 50,000 rows at twice the rate
 * of batches of 64. The best epoch came between 10 and 16 there, so 40 is
 * a cap rather than a schedule.
 */
export const HEAD_TRAINING_DEFAULTS: HeadTrainingOptions = {
  hidden: 0,
  epochs: 40,
  batchSize: 128,
  learningRate: 0.01,
  l2: 0.1,
  seed: 1,
  validationShare: 0.1,
  patience: 6,
};

export interface HeadEpoch {
  /** 1-based. */
  epoch: number;
  epochs: number;
  /** Mean weighted cross-entropy of the training rows in this epoch (without the L2 penalty). */
  loss: number;
  /** The same on the held-out rows after the epoch; null when none are held out or none of them has a label. */
  validationLoss: number | null;
  /** Training rows per second of this epoch's updates (the validation pass not counted). */
  samplesPerSecond: number;
}

export interface HeadTrainingHooks {
  onEpoch?(epoch: HeadEpoch): void | Promise<void>;
  /** Asked before every mini-batch; true ends training with a HeadTrainingCancelled error. */
  shouldStop?(): boolean;
}

export interface HeadTrainingResult {
  /** The weights of the best epoch by validation loss (the last epoch without validation). */
  head: HeadWeights;
  epochsRun: number;
  bestEpoch: number;
  history: HeadEpoch[];
  seed: number;
  /**
   * The held-out rows (indices into the data, ascending) and tfjs's scores
   * for them from the returned head, row-major [rows, policies]: what a
   * threshold or a calibration is chosen on.
   */
  validation: { rows: Int32Array; scores: Float32Array };
}

/**
 * Thrown when `hooks.shouldStop()` answers true. Cancelling gives no
 * result rather than a half-trained one: a candidate is only ever a head
 * that trained to its end.
 */
export class HeadTrainingCancelled extends Error {
  constructor(readonly epoch: number) {
    super(`Head training cancelled in epoch ${epoch}`);
    this.name = 'HeadTrainingCancelled';
  }
}

type Tf = typeof tfTypes;

/**
 * Trains one head per policy, all in one network (a shared hidden layer
 * when `hidden` > 0), on tfjs: the wasm backend on this thread. Rows are
 * standardised image features followed by the text vector. The text part
 * stays sparse throughout (a gather forward, a scatter backward): no dense
 * [rows, textDim] matrix is ever made, not even per batch, and a batch's
 * passes cost what its non-zeros cost (Adam's update still runs over the
 * whole [textDim, outputs] kernel, once a step).
 */
export async function trainHeads(data: HeadTrainingData, options: Partial<HeadTrainingOptions> = {}, hooks: HeadTrainingHooks = {}): Promise<HeadTrainingResult> {
  const settings = { ...HEAD_TRAINING_DEFAULTS, ...options };
  checkOptions(settings);
  const shape = checkData(data);
  const { tf } = await tfRuntime('wasm');
  const random = seededRandom(settings.seed);
  const { fit, validation } = splitRows(shape.items, settings.validationShare, random);
  const { mean, scale } = standardisation(data.image, fit, shape.imageDim);
  const weights = classWeights(data, fit, shape.outputs);
  const textFactor = textScale(data.text, fit);
  const assembler = new BatchAssembler(data, shape, mean, scale, weights, textFactor);
  // The loss of a batch is its weighted sum over the rows' mean weight: every row counts the same in every batch.
  const fitWeight = weights.total;
  const rowWeight = fitWeight / fit.length || 1;

  const network = new HeadNetwork(tf, shape, settings.hidden, settings.seed);
  const optimizer = tf.train.adam(settings.learningRate);
  const history: HeadEpoch[] = [];
  let best: { epoch: number; loss: number; parameters: Float32Array[]; scores: Float32Array } | null = null;
  try {
    for (let epoch = 1; epoch <= settings.epochs; epoch++) {
      const order = shuffle(fit.slice(), random);
      const started = performance.now();
      let lossSum = 0;
      for (let from = 0; from < order.length; from += settings.batchSize) {
        // A turn of the event loop first, so that a cancel message can reach the thread.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (hooks.shouldStop?.()) throw new HeadTrainingCancelled(epoch);
        const batch = assembler.assemble(order, from, Math.min(order.length, from + settings.batchSize));
        lossSum += step(tf, network, optimizer, batch, rowWeight, settings.l2);
      }
      const seconds = (performance.now() - started) / 1000;
      const checked = validate(tf, network, assembler, validation, shape.outputs);
      const record: HeadEpoch = {
        epoch,
        epochs: settings.epochs,
        loss: fitWeight > 0 ? lossSum / fitWeight : 0,
        validationLoss: checked.loss,
        samplesPerSecond: order.length / seconds,
      };
      history.push(record);
      await hooks.onEpoch?.(record);
      if (!Number.isFinite(record.loss)) throw new Error(`Head training diverged in epoch ${epoch} (loss ${record.loss}); lower the learning rate`);
      const score = checked.loss ?? -epoch; // Without validation the latest epoch is the best.
      if (!best || score < best.loss) best = { epoch, loss: score, parameters: network.read(), scores: checked.scores };
      else if (checked.loss !== null && epoch - best.epoch >= settings.patience) break;
    }
    if (!best) throw new Error('trainHeads: no epoch ran (epochs must be at least 1)');
    return {
      head: network.export(best.parameters, data, mean, scale, textFactor),
      epochsRun: history.length,
      bestEpoch: best.epoch,
      history,
      seed: settings.seed,
      validation: { rows: validation, scores: best.scores },
    };
  } finally {
    optimizer.dispose();
    network.dispose();
  }
}

function checkOptions(o: HeadTrainingOptions): void {
  const positiveInteger = (name: keyof HeadTrainingOptions) => {
    if (!Number.isInteger(o[name]) || o[name] < 1) throw new Error(`trainHeads: ${name} must be a positive integer, got ${o[name]}`);
  };
  positiveInteger('epochs');
  positiveInteger('batchSize');
  positiveInteger('patience');
  if (!Number.isInteger(o.hidden) || o.hidden < 0) throw new Error(`trainHeads: hidden must be 0 or a positive integer, got ${o.hidden}`);
  if (!(o.learningRate > 0)) throw new Error(`trainHeads: learningRate must be positive, got ${o.learningRate}`);
  if (!(o.l2 >= 0)) throw new Error(`trainHeads: l2 must be at least 0, got ${o.l2}`);
  if (!(o.validationShare >= 0 && o.validationShare < 1)) throw new Error(`trainHeads: validationShare must be in [0, 1), got ${o.validationShare}`);
  if (!Number.isInteger(o.seed)) throw new Error(`trainHeads: seed must be an integer, got ${o.seed}`);
}

/** Numerically stable cross-entropy from logits: max(z, 0) - z·t + log(1 + e^-|z|). */
function crossEntropy(tf: Tf, logits: Tensor2D, targets: Tensor2D): Tensor2D {
  return tf.relu(logits).sub(logits.mul(targets)).add(tf.log1p(tf.exp(tf.neg(tf.abs(logits)))));
}

/** One Adam update; returns the batch's weighted cross-entropy sum (for the epoch's loss). */
function step(tf: Tf, network: HeadNetwork, optimizer: Optimizer, batch: Batch, rowWeight: number, l2: number): number {
  const kept: { loss?: Scalar } = {};
  tf.tidy(() => {
    const inputs = network.inputs(batch);
    const targets = tf.tensor2d(batch.targets, [batch.size, network.shape.outputs]);
    const cellWeights = tf.tensor2d(batch.cellWeights, [batch.size, network.shape.outputs]);
    optimizer.minimize(
      () => {
        const { logits, textSquares } = network.forward(inputs);
        const weighted = crossEntropy(tf, logits, targets).mul(cellWeights).sum() as Scalar;
        kept.loss = tf.keep(weighted);
        const penalty = network.denseKernels.reduce((sum: Scalar, kernel) => sum.add(tf.sum(tf.square(kernel))), textSquares);
        return weighted.div(batch.size * rowWeight).add(penalty.mul(l2)) as Scalar;
      },
      false,
      network.variables,
    );
  });
  const value = kept.loss?.dataSync()[0] ?? 0;
  kept.loss?.dispose();
  return value;
}

/** Validation rows at a time: a bound on memory, and few enough calls into tfjs. */
const VALIDATION_BATCH = 1024;

/** Scores and the weighted mean cross-entropy of the held-out rows. */
function validate(tf: Tf, network: HeadNetwork, assembler: BatchAssembler, rows: Int32Array, outputs: number): { loss: number | null; scores: Float32Array } {
  const scores = new Float32Array(rows.length * outputs);
  let lossSum = 0;
  let weightSum = 0;
  for (let from = 0; from < rows.length; from += VALIDATION_BATCH) {
    const batch = assembler.assemble(rows, from, Math.min(rows.length, from + VALIDATION_BATCH));
    const [probabilities, loss] = tf.tidy(() => {
      const { logits } = network.forward(network.inputs(batch));
      const targets = tf.tensor2d(batch.targets, [batch.size, outputs]);
      const cellWeights = tf.tensor2d(batch.cellWeights, [batch.size, outputs]);
      return [tf.sigmoid(logits), crossEntropy(tf, logits, targets).mul(cellWeights).sum()];
    });
    scores.set(probabilities.dataSync(), from * outputs);
    lossSum += loss.dataSync()[0];
    tf.dispose([probabilities, loss]);
    for (const w of batch.cellWeights) weightSum += w;
  }
  return { loss: weightSum > 0 ? lossSum / weightSum : null, scores };
}

interface BatchTensors {
  image: Tensor2D;
  textIndices: Tensor1D;
  textValues: Tensor2D;
  size: number;
  width: number;
}

/**
 * The variables of the heads. The first layer's weights are two blocks,
 * the image rows and the text rows; exported, they are one matrix with the
 * text rows after the image rows, which is what the forward pass of
 * HeadWeights multiplies by concat(image', text).
 */
class HeadNetwork {
  readonly variables: Variable[];
  /** The kernels whose every weight the L2 penalty takes each step: all but the text rows (see forward). */
  readonly denseKernels: Variable[];

  constructor(
    private readonly tf: Tf,
    readonly shape: DataShape,
    private readonly hidden: number,
    seed: number,
  ) {
    const { imageDim, textDim, outputs } = shape;
    const first = hidden > 0 ? hidden : outputs;
    // The initial values are made inside the tidy, which disposes them once the variables hold copies.
    const variable = (initial: () => Tensor) => tf.tidy(() => tf.variable(initial(), true));
    // Logistic regression is convex: zeros are as good a start as any, and need no seed.
    // The MLP's first layer is He-initialised (it feeds a ReLU), its output layer Glorot, each with a seed of its own.
    const kernel = (rows: number, columns: number, offset: number) =>
      variable(() => (hidden > 0 ? tf.initializers.heNormal({ seed: seed + offset }).apply([rows, columns]) : tf.zeros([rows, columns])));
    const imageKernel = kernel(imageDim, first, 1);
    this.denseKernels = [imageKernel];
    this.variables = [imageKernel, kernel(textDim, first, 2), variable(() => tf.zeros([first]))];
    if (hidden > 0) {
      const output = variable(() => tf.initializers.glorotUniform({ seed: seed + 3 }).apply([hidden, outputs]));
      this.denseKernels.push(output);
      this.variables.push(output, variable(() => tf.zeros([outputs])));
    }
  }

  /** Tensors of a batch; the caller disposes them (a tidy). */
  inputs(batch: Batch): BatchTensors {
    const { tf } = this;
    return {
      image: tf.tensor2d(batch.image, [batch.size, this.shape.imageDim]),
      textIndices: tf.tensor1d(batch.textIndices, 'int32'),
      textValues: tf.tensor2d(batch.textValues, [batch.size, batch.width]),
      size: batch.size,
      width: batch.width,
    };
  }

  /**
   * The logits, and the text rows' share of the L2 penalty: the squared
   * weights of each row's non-zero text inputs, averaged over the rows.
   * Over an epoch that is L2 on each text weight in proportion to how often
   * its bucket occurs: a word in a few captions is not pushed to zero by
   * the penalty of every batch it is absent from (a uniform penalty strong
   * enough for the dense image part erased text signals altogether).
   */
  forward(inputs: BatchTensors): { logits: Tensor2D; textSquares: Scalar } {
    const { tf } = this;
    const [imageKernel, textKernel, firstBias] = this.variables;
    const { textIndices, textValues, size, width } = inputs;
    const rows = gatherRows(tf, textIndices)(textKernel); // [size * width, first]
    const columns = rows.shape[1];
    const text = rows.reshape([size, width, columns]).mul(textValues.expandDims(2)).sum(1);
    const present = tf.notEqual(textValues, 0).toFloat().reshape([size * width, 1]); // padding is (0, 0)
    const textSquares = tf.square(rows).mul(present).sum().div(size) as Scalar;
    const first = denseProduct(tf, inputs.image)(imageKernel).add(text).add(firstBias) as Tensor2D;
    if (this.hidden === 0) return { logits: first, textSquares };
    const [, , , outputKernel, outputBias] = this.variables;
    return { logits: tf.matMul(tf.relu(first), outputKernel as Tensor2D).add(outputBias) as Tensor2D, textSquares };
  }

  /** A copy of every variable, in `variables` order. */
  read(): Float32Array[] {
    return this.variables.map((v) => Float32Array.from(v.dataSync() as Float32Array));
  }

  /** HeadWeights from a copy of the variables; the text rows take back the factor the text was trained at. */
  export(parameters: Float32Array[], data: HeadTrainingData, mean: Float32Array, scale: Float32Array, textFactor: number): HeadWeights {
    const { imageDim, textDim, outputs } = this.shape;
    const [imageKernel, textKernel, firstBias, outputKernel, outputBias] = parameters;
    const first = this.hidden > 0 ? this.hidden : outputs;
    const weights = new Float32Array((imageDim + textDim) * first);
    weights.set(imageKernel);
    for (let i = 0; i < textKernel.length; i++) weights[imageDim * first + i] = textKernel[i] * textFactor;
    const layers: HeadLayer[] = [{ weights, bias: firstBias, inputs: imageDim + textDim, outputs: first, activation: this.hidden > 0 ? 'relu' : 'sigmoid' }];
    if (this.hidden > 0) layers.push({ weights: outputKernel, bias: outputBias, inputs: this.hidden, outputs, activation: 'sigmoid' });
    return {
      policies: [...data.policies],
      imageFeatures: data.imageFeatures,
      imageDim,
      textFeatures: data.textFeatures,
      textDim,
      imageMean: mean,
      imageScale: scale,
      layers,
    };
  }

  dispose(): void {
    this.tf.dispose(this.variables);
  }
}

/**
 * image · kernel, whose gradient with respect to the kernel is imageᵀ · dy
 * with the transpose made explicitly: the wasm backend's matMul with
 * transposeA is ten times slower than a transpose and a plain matMul
 * (18 ms against 3 ms for a [128, 2560] batch and 32 hidden units).
 */
function denseProduct(tf: Tf, image: Tensor2D): (kernel: Tensor) => Tensor2D {
  return tf.customGrad((kernel) => ({
    value: tf.matMul(image, kernel as Tensor2D),
    gradFunc: (dy: Tensor) => tf.matMul(tf.transpose(image), dy as Tensor2D),
  })) as (kernel: Tensor) => Tensor2D;
}

/**
 * The kernel rows a batch's text names, in order. The gradient scatters
 * back into those rows only: tfjs's own gradient of a gather needs
 * UnsortedSegmentSum, which the wasm backend lacks, and ScatterNd sums
 * repeated indices, as a gradient must. GatherNd rather than Gather: on
 * wasm it is 3.5 times faster for this shape.
 */
function gatherRows(tf: Tf, indices: Tensor1D): (kernel: Tensor) => Tensor2D {
  return tf.customGrad((kernel) => {
    const k = kernel as Tensor2D;
    const at = indices.expandDims(1);
    return { value: tf.gatherND(k, at) as Tensor2D, gradFunc: (dy: Tensor) => tf.scatterND(at, dy, k.shape) };
  }) as (kernel: Tensor) => Tensor2D;
}
