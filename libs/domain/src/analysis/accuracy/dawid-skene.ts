/*
 * Dawid & Skene (1979): each moderator's confusion matrix and each item's
 * true label, estimated together by EM from all overlapping reviews, gold or
 * not. Run it once per policy, over that policy's labels.
 *
 * The model: an item's true class k is drawn from the class priors; each
 * reviewer w, independently given k, answers l with probability
 * confusion_w[k][l]. EM alternates
 *   M: priors and confusion matrices from the current item posteriors (soft counts),
 *   E: item posteriors ∝ prior_k · Π_reviews confusion_w[k][l], in log space,
 * starting from the soft majority vote (each item's posterior = its label shares),
 * until the log-likelihood of the observed labels changes by less than
 * `tolerance` per label, or `maxIterations` rounds.
 *
 * Smoothing: `smoothing` pseudo-reviews are added to every confusion cell,
 * `diagonalSmoothing` more to each right answer, and `priorSmoothing`
 * pseudo-items to every class (a MAP estimate under Dirichlet priors). Without
 * it, a reviewer with a handful of labels gets rates of exactly 0 or 1, and
 * one such 0 vetoes a class for every item they saw. The diagonal extra is the
 * prior belief that a reviewer is better than chance: where the labels cannot
 * tell (one reviewer alone, items nobody else saw), symmetric smoothing alone
 * drifts, round after round, to "this reviewer's answers carry no
 * information"; with it, EM settles on trusting them. A few hundred reviews
 * outweigh it.
 *
 * Data live in typed arrays indexed by integers (items and reviewers numbered
 * in order of first appearance; labels grouped by item once), so an iteration
 * over 100,000 labels allocates nothing. Deterministic: no randomness, and the
 * same input in the same order gives the same numbers.
 */

/** One reviewer's label on one item; label is a class index in [0, classes). Binary policies: 0 not violating, 1 violating. */
export interface WorkerLabel {
  itemId: string;
  workerId: string;
  label: number;
}

export interface DawidSkeneOptions {
  /** K, the number of classes (2 for a policy's violating yes/no). */
  classes: number;
  /** Default 100. */
  maxIterations?: number;
  /** Stop when |Δ log-likelihood| / labels falls below this; default 1e-7. Per label, so it means the same at any data size. */
  tolerance?: number;
  /** Pseudo-count added to every confusion-matrix cell; default 1 (Laplace); must be > 0. */
  smoothing?: number;
  /** Further pseudo-count on each diagonal cell (true class = answer); default 1. */
  diagonalSmoothing?: number;
  /** Pseudo-count added to every class for the priors; default 1. */
  priorSmoothing?: number;
}

export interface DawidSkeneWorker {
  workerId: string;
  /** Labels this reviewer gave. */
  labels: number;
  /** confusion[k][l]: the estimated probability of answering l when the true class is k. Rows sum to 1. */
  confusion: number[][];
}

export interface DawidSkeneItem {
  itemId: string;
  /** Labels this item received. */
  labels: number;
  /** The estimated probability of each true class. */
  posterior: number[];
  /** The most probable class; a tie goes to the lower class index. */
  label: number;
}

export interface DawidSkeneResult {
  classes: number;
  /** The estimated share of each true class. */
  priors: number[];
  /** In order of first appearance in the input. */
  workers: DawidSkeneWorker[];
  /** In order of first appearance in the input. */
  items: DawidSkeneItem[];
  /** EM rounds (M then E) run. */
  iterations: number;
  /** True when the tolerance was met before maxIterations. */
  converged: boolean;
  /** Log-likelihood of the observed labels under the final parameters (0 without labels). */
  logLikelihood: number;
}

/** Dirichlet pseudo-counts: every confusion cell, extra on its diagonal, every class prior. */
interface Smoothing {
  cell: number;
  diagonal: number;
  prior: number;
}

/** The labels as integer arrays, grouped by item once so the E-step reads them contiguously. */
interface Indexed {
  itemIds: string[];
  workerIds: string[];
  /** Per label, by input position. */
  item: Int32Array;
  worker: Int32Array;
  label: Int32Array;
  /** Labels of item i are byItem[itemStart[i] .. itemStart[i + 1]). */
  itemStart: Int32Array;
  byItem: Int32Array;
  workerLabels: Int32Array;
}

function checkClasses(classes: number): void {
  if (!(Number.isInteger(classes) && classes >= 2)) throw new RangeError(`classes is ${classes}, not a whole number ≥ 2`);
}

function index(labels: readonly WorkerLabel[], classes: number): Indexed {
  const items = new Map<string, number>();
  const workers = new Map<string, number>();
  const n = labels.length;
  const item = new Int32Array(n);
  const worker = new Int32Array(n);
  const label = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    const l = labels[j];
    if (!(Number.isInteger(l.label) && l.label >= 0 && l.label < classes)) throw new RangeError(`label ${j} is ${l.label}, not a class in [0, ${classes})`);
    let i = items.get(l.itemId);
    if (i === undefined) items.set(l.itemId, (i = items.size));
    let w = workers.get(l.workerId);
    if (w === undefined) workers.set(l.workerId, (w = workers.size));
    item[j] = i;
    worker[j] = w;
    label[j] = l.label;
  }
  // Counting sort by item: stable, so each item's labels keep their input order.
  const itemStart = new Int32Array(items.size + 1);
  for (let j = 0; j < n; j++) itemStart[item[j] + 1]++;
  for (let i = 0; i < items.size; i++) itemStart[i + 1] += itemStart[i];
  const next = itemStart.slice(0, items.size);
  const byItem = new Int32Array(n);
  for (let j = 0; j < n; j++) byItem[next[item[j]]++] = j;
  const workerLabels = new Int32Array(workers.size);
  for (let j = 0; j < n; j++) workerLabels[worker[j]]++;
  return { itemIds: [...items.keys()], workerIds: [...workers.keys()], item, worker, label, itemStart, byItem, workerLabels };
}

/** Soft majority vote: each item's posterior is the share of its labels in each class. */
function majorityPosteriors(data: Indexed, classes: number): Float64Array {
  const posterior = new Float64Array(data.itemIds.length * classes);
  for (let i = 0; i < data.itemIds.length; i++) {
    const start = data.itemStart[i];
    const end = data.itemStart[i + 1];
    for (let p = start; p < end; p++) posterior[i * classes + data.label[data.byItem[p]]] += 1 / (end - start);
  }
  return posterior;
}

/** M-step: log priors and log confusion matrices from the posteriors, smoothed. */
function maximise(data: Indexed, classes: number, posterior: Float64Array, smoothing: Smoothing, logPrior: Float64Array, logConfusion: Float64Array): void {
  const k2 = classes * classes;
  const itemCount = data.itemIds.length;
  for (let k = 0; k < classes; k++) {
    let mass = smoothing.prior;
    for (let i = 0; i < itemCount; i++) mass += posterior[i * classes + k];
    logPrior[k] = mass;
  }
  normaliseLog(logPrior, 0, classes);
  logConfusion.fill(smoothing.cell);
  for (let base = 0; base < logConfusion.length; base += k2) for (let k = 0; k < classes; k++) logConfusion[base + k * classes + k] += smoothing.diagonal;
  // confusion cell (w, k, l) sits at w·K² + k·K + l: soft count of "true k, answered l".
  for (let j = 0; j < data.label.length; j++) {
    const base = data.worker[j] * k2 + data.label[j];
    const row = data.item[j] * classes;
    for (let k = 0; k < classes; k++) logConfusion[base + k * classes] += posterior[row + k];
  }
  for (let start = 0; start < logConfusion.length; start += classes) normaliseLog(logConfusion, start, classes);
}

/** Turns counts[start .. start+length) into log shares. */
function normaliseLog(counts: Float64Array, start: number, length: number): void {
  let total = 0;
  for (let k = start; k < start + length; k++) total += counts[k];
  const logTotal = Math.log(total);
  for (let k = start; k < start + length; k++) counts[k] = Math.log(counts[k]) - logTotal;
}

/** E-step: item posteriors from the parameters; returns the log-likelihood of the observed labels. */
function expectation(data: Indexed, classes: number, logPrior: Float64Array, logConfusion: Float64Array, posterior: Float64Array, scratch: Float64Array): number {
  if (classes === 2) return binaryExpectation(data, logPrior, logConfusion, posterior);
  const k2 = classes * classes;
  let logLikelihood = 0;
  for (let i = 0; i < data.itemIds.length; i++) {
    scratch.set(logPrior);
    for (let p = data.itemStart[i]; p < data.itemStart[i + 1]; p++) {
      const j = data.byItem[p];
      const base = data.worker[j] * k2 + data.label[j];
      for (let k = 0; k < classes; k++) scratch[k] += logConfusion[base + k * classes];
    }
    let max = -Infinity;
    for (let k = 0; k < classes; k++) if (scratch[k] > max) max = scratch[k];
    let sum = 0;
    for (let k = 0; k < classes; k++) sum += Math.exp(scratch[k] - max);
    const logSum = max + Math.log(sum);
    logLikelihood += logSum;
    for (let k = 0; k < classes; k++) posterior[i * classes + k] = Math.exp(scratch[k] - logSum);
  }
  return logLikelihood;
}

/**
 * The E-step for two classes, every policy's case: the class loop unrolled, no
 * scratch array, and two exponentials per item instead of four (the general
 * loop's bounds are not constant to the compiler). Equal to the general step
 * within rounding.
 */
function binaryExpectation(data: Indexed, logPrior: Float64Array, logConfusion: Float64Array, posterior: Float64Array): number {
  const { itemStart, byItem, worker, label } = data;
  const items = data.itemIds.length;
  let logLikelihood = 0;
  for (let i = 0; i < items; i++) {
    let s0 = logPrior[0];
    let s1 = logPrior[1];
    for (let p = itemStart[i]; p < itemStart[i + 1]; p++) {
      const j = byItem[p];
      const base = worker[j] * 4 + label[j];
      s0 += logConfusion[base];
      s1 += logConfusion[base + 2];
    }
    // Two exponentials and one logarithm per item: the posteriors are the shares of e0 and e1.
    const max = s0 > s1 ? s0 : s1;
    const e0 = Math.exp(s0 - max);
    const e1 = Math.exp(s1 - max);
    const sum = e0 + e1;
    logLikelihood += max + Math.log(sum);
    posterior[2 * i] = e0 / sum;
    posterior[2 * i + 1] = e1 / sum;
  }
  return logLikelihood;
}

function argmax(values: ArrayLike<number>, start: number, length: number): number {
  let best = 0;
  for (let k = 1; k < length; k++) if (values[start + k] > values[start + best]) best = k;
  return best;
}

function positive(name: string, value: number, allowZero: boolean): number {
  if (!(Number.isFinite(value) && (allowZero ? value >= 0 : value > 0))) throw new RangeError(`${name} is ${value}, not a finite number ${allowZero ? '≥' : '>'} 0`);
  return value;
}

export function dawidSkene(labels: readonly WorkerLabel[], options: DawidSkeneOptions): DawidSkeneResult {
  const classes = options.classes;
  checkClasses(classes);
  const maxIterations = options.maxIterations ?? 100;
  if (!(Number.isInteger(maxIterations) && maxIterations >= 1)) throw new RangeError(`maxIterations is ${maxIterations}, not a whole number ≥ 1`);
  const tolerance = positive('tolerance', options.tolerance ?? 1e-7, true);
  const smoothing: Smoothing = {
    // Not 0: unsmoothed rates of exactly 0 can make an item impossible under every class.
    cell: positive('smoothing', options.smoothing ?? 1, false),
    diagonal: positive('diagonalSmoothing', options.diagonalSmoothing ?? 1, true),
    prior: positive('priorSmoothing', options.priorSmoothing ?? 1, true),
  };
  const data = index(labels, classes);
  if (labels.length === 0) {
    return { classes, priors: new Array<number>(classes).fill(1 / classes), workers: [], items: [], iterations: 0, converged: true, logLikelihood: 0 };
  }

  const posterior = majorityPosteriors(data, classes);
  const logPrior = new Float64Array(classes);
  const logConfusion = new Float64Array(data.workerIds.length * classes * classes);
  const scratch = new Float64Array(classes);
  let logLikelihood = -Infinity;
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    maximise(data, classes, posterior, smoothing, logPrior, logConfusion);
    const next = expectation(data, classes, logPrior, logConfusion, posterior, scratch);
    iterations++;
    const change = Math.abs(next - logLikelihood) / labels.length;
    logLikelihood = next;
    if (change < tolerance) {
      converged = true;
      break;
    }
  }
  return result(data, classes, posterior, logPrior, logConfusion, iterations, converged, logLikelihood);
}

function result(data: Indexed, classes: number, posterior: Float64Array, logPrior: Float64Array, logConfusion: Float64Array, iterations: number, converged: boolean, logLikelihood: number): DawidSkeneResult {
  const k2 = classes * classes;
  const workers = data.workerIds.map((workerId, w) => ({
    workerId,
    labels: data.workerLabels[w],
    confusion: Array.from({ length: classes }, (_, k) => Array.from(logConfusion.subarray(w * k2 + k * classes, w * k2 + (k + 1) * classes), Math.exp)),
  }));
  const items = data.itemIds.map((itemId, i) => ({
    itemId,
    labels: data.itemStart[i + 1] - data.itemStart[i],
    posterior: Array.from(posterior.subarray(i * classes, (i + 1) * classes)),
    label: argmax(posterior, i * classes, classes),
  }));
  return { classes, priors: Array.from(logPrior, Math.exp), workers, items, iterations, converged, logLikelihood };
}

/**
 * Plain majority vote per item, the baseline Dawid–Skene should beat. A tie
 * goes to the lower class index (for a binary policy: not violating, the
 * answer that removes nothing). Items in order of first appearance.
 */
export function majorityVote(labels: readonly WorkerLabel[], classes: number): { itemId: string; label: number }[] {
  checkClasses(classes);
  const data = index(labels, classes);
  const shares = majorityPosteriors(data, classes);
  return data.itemIds.map((itemId, i) => ({ itemId, label: argmax(shares, i * classes, classes) }));
}

/** A binary confusion matrix (class 1 = violating) as sensitivity (violations caught) and specificity (non-violations allowed). */
export function binaryRates(confusion: readonly (readonly number[])[]): { sensitivity: number; specificity: number } {
  if (confusion.length !== 2) throw new RangeError(`a binary confusion matrix has 2 rows, not ${confusion.length}`);
  return { sensitivity: confusion[1][1], specificity: confusion[0][0] };
}
