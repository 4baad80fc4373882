/*
 * The evaluation side of bench/heads.bench.ts: building training rows from
 * a readout, out-of-fold scores to choose a threshold on, and the metrics.
 * The test images are only ever scored, never trained or tuned on.
 */
import { forwardHeads, HeadTrainingOptions, HeadWeights, trainHeads } from '@loupe/ml';
import { prng } from '../test/utils/factories/image.factory';
import type { BenchImage, PassFeatures, View } from './heads-features';

/** A readout of one pass (see PassFeatures), or two concatenated with '+'. */
export type Readout = keyof PassFeatures | 'avg+max' | 'midAvg+midMax';

export interface HeadOption {
  name: string;
  readout: Readout;
  hidden: number;
  /** Each training image gives one row per entry: the readout averaged over that entry's views. */
  trainViews: View[][];
  /** A test image's features: the readout averaged over these views (one forward pass each). */
  testViews: View[];
}

/** The text half of a row: empty (the symbol is in the image), at a small dimension to keep the bench quick. */
export const BENCH_TEXT_DIM = 1024;
const EMPTY_TEXT = { dimension: BENCH_TEXT_DIM, indices: new Int32Array(0), values: new Float32Array(0) };

function readout(features: PassFeatures, which: Readout): Float32Array {
  const parts = (which.split('+') as (keyof PassFeatures)[]).map((name) => features[name]);
  if (parts.length === 1) return parts[0];
  const both = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    both.set(part, at);
    at += part.length;
  }
  return both;
}

/** The readout of an image over some views, averaged. */
export function imageVector(image: BenchImage, which: Readout, views: readonly View[]): Float32Array {
  const vectors = views.map((view) => {
    const features = image.views[view];
    if (!features) throw new Error(`image ${image.seed} has no ${view} view`);
    return readout(features, which);
  });
  if (vectors.length === 1) return vectors[0];
  const mean = new Float32Array(vectors[0].length);
  for (const vector of vectors) for (let i = 0; i < mean.length; i++) mean[i] += vector[i] / vectors.length;
  return mean;
}

/** A head for an option, trained on images' rows (one per entry of trainViews). */
export async function trainOption(images: BenchImage[], option: HeadOption, settings: Partial<HeadTrainingOptions>): Promise<HeadWeights> {
  const image: Float32Array[] = [];
  const targets: number[] = [];
  for (const item of images) {
    for (const views of option.trainViews) {
      image.push(imageVector(item, option.readout, views));
      targets.push(item.kind === 'symbol' ? 1 : 0);
    }
  }
  const { head } = await trainHeads(
    {
      image,
      text: image.map(() => EMPTY_TEXT),
      targets: Float32Array.from(targets),
      weights: new Float32Array(image.length).fill(1),
      policies: ['symbol'],
      imageFeatures: `bench/${option.readout}`,
      textFeatures: `empty/${BENCH_TEXT_DIM}`,
    },
    { ...settings, hidden: option.hidden },
  );
  return head;
}

export function score(head: HeadWeights, images: BenchImage[], option: HeadOption): Float32Array {
  const text = new Float32Array(BENCH_TEXT_DIM);
  return forwardHeads(
    head,
    images.map((item) => imageVector(item, option.readout, option.testViews)),
    images.map(() => text),
  );
}

/**
 * Scores of every training image from a head that did not train on it
 * (k folds, stratified by kind): the threshold is chosen on these, so that
 * it reflects images the head has not seen, without touching the test set.
 */
export async function outOfFoldScores(images: BenchImage[], option: HeadOption, settings: Partial<HeadTrainingOptions>, folds: number, seed: number): Promise<Float32Array> {
  const random = prng(seed);
  const fold = new Int32Array(images.length);
  for (const kind of ['symbol', 'decoy', 'plain']) {
    const members = images.map((item, i) => (item.kind === kind ? i : -1)).filter((i) => i >= 0);
    for (let i = members.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [members[i], members[j]] = [members[j], members[i]];
    }
    members.forEach((index, k) => (fold[index] = k % folds));
  }
  const scores = new Float32Array(images.length);
  for (let k = 0; k < folds; k++) {
    const held = images.filter((_, i) => fold[i] === k);
    const head = await trainOption(
      images.filter((_, i) => fold[i] !== k),
      option,
      settings,
    );
    const heldScores = score(head, held, option);
    let at = 0;
    images.forEach((_, i) => {
      if (fold[i] === k) scores[i] = heldScores[at++];
    });
  }
  return scores;
}

/**
 * The highest threshold at which `recall` of the positives score at or
 * above it, out of fold: the target is a recall, so the threshold is set on
 * the positives' scores, with a margin (0.95 for a target of 0.90, about
 * two standard errors at 100 positives) for images not yet seen. It sits
 * halfway to the next score down, so as not to rest on one image's score.
 */
export function thresholdForRecall(scores: Float32Array, positive: boolean[], recall: number): number {
  const positives = Array.from(scores)
    .filter((_, i) => positive[i])
    .sort((a, b) => b - a);
  const cut = positives[Math.max(0, Math.ceil(recall * positives.length) - 1)];
  const below = Array.from(scores).filter((s) => s < cut);
  return below.length ? (cut + Math.max(...below)) / 2 : cut;
}

/** Average precision: the area under the precision-recall curve, as a sum over the positives. */
export function averagePrecision(scores: Float32Array, positive: boolean[]): number {
  const order = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a]);
  const positives = positive.filter(Boolean).length;
  let truePositives = 0;
  let sum = 0;
  order.forEach((index, k) => {
    if (!positive[index]) return;
    truePositives++;
    sum += truePositives / (k + 1);
  });
  return positives ? sum / positives : 0;
}

export interface OptionResult {
  recall: number;
  decoysFlagged: number;
  plainFlagged: number;
  prAuc: number;
  threshold: number;
}

/** The test metrics of a head at a threshold. */
export function testMetrics(scores: Float32Array, images: BenchImage[], threshold: number): OptionResult {
  const share = (kind: string) => {
    const of = images.map((item, i) => ({ kind: item.kind, flagged: scores[i] >= threshold })).filter((x) => x.kind === kind);
    return of.filter((x) => x.flagged).length / of.length;
  };
  return {
    recall: share('symbol'),
    decoysFlagged: share('decoy'),
    plainFlagged: share('plain'),
    prAuc: averagePrecision(
      scores,
      images.map((item) => item.kind === 'symbol'),
    ),
    threshold,
  };
}
