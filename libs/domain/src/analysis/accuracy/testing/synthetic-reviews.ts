/*
 * Synthetic reviewers of known accuracy, for the specs: seeded, so a failing
 * run can be replayed. Not production code.
 */
import type { WorkerLabel } from '../dawid-skene';
import { seededRandom } from '@loupe/common';

/** A class index drawn from `shares` (which sum to 1). */
export function draw(shares: readonly number[], random: () => number): number {
  const u = random();
  let cumulative = 0;
  for (let k = 0; k < shares.length - 1; k++) {
    cumulative += shares[k];
    if (u < cumulative) return k;
  }
  return shares.length - 1;
}

export interface SyntheticReviewer {
  id: string;
  /** confusion[k][l]: probability of answering l when the truth is k. */
  confusion: number[][];
}

/** A binary reviewer: sensitivity on violations (class 1), specificity on the rest (class 0). */
export function binaryReviewer(id: string, sensitivity: number, specificity: number): SyntheticReviewer {
  return { id, confusion: [[specificity, 1 - specificity], [1 - sensitivity, sensitivity]] };
}

export interface SyntheticReviews {
  /** truth[i] is the true class of item `item-i`. */
  truth: Int32Array;
  labels: WorkerLabel[];
}

/** `items` items with true classes drawn from `priors`, each reviewed by `reviewsPerItem` distinct reviewers drawn at random. */
export function simulateReviews(options: { items: number; priors: number[]; reviewers: SyntheticReviewer[]; reviewsPerItem: number; seed: number }): SyntheticReviews {
  const random = seededRandom(options.seed);
  const truth = new Int32Array(options.items);
  const labels: WorkerLabel[] = [];
  const order = options.reviewers.map((_, r) => r);
  for (let i = 0; i < options.items; i++) {
    truth[i] = draw(options.priors, random);
    // A partial Fisher–Yates shuffle: the first reviewsPerItem entries are a uniform sample without repeats.
    for (let s = 0; s < options.reviewsPerItem; s++) {
      const pick = s + Math.floor(random() * (order.length - s));
      [order[s], order[pick]] = [order[pick], order[s]];
      const reviewer = options.reviewers[order[s]];
      labels.push({ itemId: `item-${i}`, workerId: reviewer.id, label: draw(reviewer.confusion[truth[i]], random) });
    }
  }
  return { truth, labels };
}

/**
 * Each reviewer's actual rates on the items they saw: row k is their answers' shares on items
 * whose truth is k (null without such items), and `seen[k]` how many such items. One pass over the labels.
 */
export function empiricalConfusions(data: SyntheticReviews, classes: number): Map<string, { confusion: (number[] | null)[]; seen: number[] }> {
  const counts = new Map<string, number[][]>();
  for (const l of data.labels) {
    let c = counts.get(l.workerId);
    if (!c) counts.set(l.workerId, (c = Array.from({ length: classes }, () => new Array<number>(classes).fill(0))));
    c[data.truth[Number(l.itemId.slice('item-'.length))]][l.label]++;
  }
  const result = new Map<string, { confusion: (number[] | null)[]; seen: number[] }>();
  for (const [workerId, c] of counts) {
    const seen = c.map((row) => row.reduce((a, b) => a + b, 0));
    result.set(workerId, { confusion: c.map((row, k) => (seen[k] === 0 ? null : row.map((x) => x / seen[k]))), seen });
  }
  return result;
}

/** The house's seeded PRNG (mulberry32, @loupe/common), re-exported for the specs. */
export { seededRandom };
