import { binaryRates, dawidSkene, DawidSkeneResult, majorityVote, WorkerLabel } from './dawid-skene';
import { binaryReviewer, empiricalConfusions, simulateReviews, SyntheticReviewer, SyntheticReviews } from './testing/synthetic-reviews';

// Twelve moderators of known sensitivity (violations caught) and specificity
// (non-violations allowed). mod-10 is the one weak on positives; mod-11 over-removes.
const SENSITIVITY = [0.95, 0.9, 0.85, 0.8, 0.98, 0.92, 0.88, 0.75, 0.7, 0.96, 0.6, 0.9];
const SPECIFICITY = [0.97, 0.95, 0.9, 0.98, 0.85, 0.8, 0.93, 0.96, 0.9, 0.75, 0.97, 0.65];
const MODERATORS = SENSITIVITY.map((s, r) => binaryReviewer(`mod-${r}`, s, SPECIFICITY[r]));
const PREVALENCE = [0.85, 0.15];

function truthOf(data: SyntheticReviews, itemId: string): number {
  return data.truth[Number(itemId.slice('item-'.length))];
}

function accuracy(data: SyntheticReviews, items: readonly { itemId: string; label: number }[]): number {
  return items.filter((item) => item.label === truthOf(data, item.itemId)).length / items.length;
}

/** Per moderator, the estimate minus their actual rate on the items they saw, for every cell of the confusion matrix. */
function errors(data: SyntheticReviews, result: DawidSkeneResult): Map<string, number[][]> {
  const actual = empiricalConfusions(data, result.classes);
  return new Map(
    result.workers.map((w) => {
      const rates = actual.get(w.workerId)?.confusion as number[][];
      return [w.workerId, w.confusion.map((row, k) => row.map((estimate, l) => estimate - rates[k][l]))];
    }),
  );
}

function largest(errorsByWorker: Map<string, number[][]>, cell?: [number, number]): number {
  let max = 0;
  for (const cells of errorsByWorker.values()) {
    cells.forEach((row, k) => row.forEach((e, l) => (max = !cell || (cell[0] === k && cell[1] === l) ? Math.max(max, Math.abs(e)) : max)));
  }
  return max;
}

describe('dawidSkene, binary', () => {
  // The "within 3 points" needs enough reviews of violations per moderator: here each
  // moderator sees ~2,500 items, ~375 of them violating (measured over seeds 1–20: worst cell 0.026; seed 1: 0.014).
  const rich = simulateReviews({ items: 6000, priors: PREVALENCE, reviewers: MODERATORS, reviewsPerItem: 5, seed: 1 });
  const richResult = dawidSkene(rich.labels, { classes: 2 });

  it('recovers every moderator’s sensitivity and specificity within 3 points of their actual rates', () => {
    expect(richResult.converged).toBe(true);
    expect(richResult.workers).toHaveLength(12);
    expect(largest(errors(rich, richResult))).toBeLessThan(0.03);
  });

  it('lands within sampling error of the rates that generated the labels', () => {
    // The actual rates themselves scatter around the generating ones: allow 3 binomial standard errors on top.
    const actual = empiricalConfusions(rich, 2);
    for (const w of richResult.workers) {
      const r = Number(w.workerId.slice('mod-'.length));
      const seen = actual.get(w.workerId)?.seen as number[];
      const { sensitivity, specificity } = binaryRates(w.confusion);
      const se = (p: number, n: number) => Math.sqrt((p * (1 - p)) / n);
      expect(Math.abs(sensitivity - SENSITIVITY[r])).toBeLessThan(0.03 + 3 * se(SENSITIVITY[r], seen[1]));
      expect(Math.abs(specificity - SPECIFICITY[r])).toBeLessThan(0.03 + 3 * se(SPECIFICITY[r], seen[0]));
    }
    expect(richResult.priors[1]).toBeCloseTo(0.15, 1);
  });

  it('labels items better than majority vote', () => {
    expect(accuracy(rich, richResult.items)).toBeGreaterThan(accuracy(rich, majorityVote(rich.labels, 2)));
  });

  describe('with three reviews per item (2,000 items)', () => {
    // ~75 violating items per moderator, each seen by two others: the posteriors of the
    // contested ones stay uncertain, and sensitivity can only be estimated to ~±0.1 (worst
    // over seeds 1–20: 0.126; this seed: 0.077). Specificity, on ~425 items each, stays within 3 points.
    const sparse = simulateReviews({ items: 2000, priors: PREVALENCE, reviewers: MODERATORS, reviewsPerItem: 3, seed: 1 });
    const result = dawidSkene(sparse.labels, { classes: 2 });

    it('still gets specificity within 3 points and sensitivity within 10', () => {
      const e = errors(sparse, result);
      expect(largest(e, [0, 0])).toBeLessThan(0.03);
      expect(largest(e, [1, 1])).toBeLessThan(0.1);
    });

    it('beats majority vote', () => {
      expect(accuracy(sparse, result.items)).toBeGreaterThan(accuracy(sparse, majorityVote(sparse.labels, 2)) + 0.005);
    });

    it('is deterministic and does not depend on the order of the labels, beyond rounding', () => {
      expect(dawidSkene(sparse.labels, { classes: 2 })).toEqual(result);
      const reversed = dawidSkene([...sparse.labels].reverse(), { classes: 2 });
      const byId = new Map(reversed.workers.map((w) => [w.workerId, w.confusion]));
      for (const w of result.workers) w.confusion.flat().forEach((p, c) => expect(byId.get(w.workerId)?.flat()[c]).toBeCloseTo(p, 6));
    });

    it('weighs a lone review by who gave it', () => {
      // The same "violating" from the most precise moderator and from the one who over-removes.
      const lone: WorkerLabel[] = [
        { itemId: 'lone-0', workerId: 'mod-0', label: 1 },
        { itemId: 'lone-11', workerId: 'mod-11', label: 1 },
      ];
      const withLone = dawidSkene([...sparse.labels, ...lone], { classes: 2 });
      const [byPrecise, byOverRemover] = withLone.items.slice(-2);
      expect(byPrecise).toMatchObject({ itemId: 'lone-0', labels: 1, label: 1 });
      expect(byPrecise.posterior[1]).toBeGreaterThan(0.7);
      expect(byOverRemover).toMatchObject({ itemId: 'lone-11', labels: 1, label: 0 });
      expect(byOverRemover.posterior[1]).toBeLessThan(0.5);
    });

    it('handles a moderator who never flags, and one who never saw a violation', () => {
      const extra: WorkerLabel[] = [];
      for (let i = 0; i < 300; i++) extra.push({ itemId: `item-${i}`, workerId: 'never-flags', label: 0 });
      const clean = [...Array(2000).keys()].filter((i) => sparse.truth[i] === 0).slice(0, 40);
      for (const i of clean) extra.push({ itemId: `item-${i}`, workerId: 'only-clean', label: 0 });
      const withExtra = dawidSkene([...sparse.labels, ...extra], { classes: 2 });
      const worker = (id: string) => withExtra.workers.find((w) => w.workerId === id)?.confusion as number[][];
      const neverFlags = binaryRates(worker('never-flags'));
      // Smoothing keeps the rate off 0, so their "no" lowers a violation's odds without vetoing it.
      expect(neverFlags.sensitivity).toBeGreaterThan(0);
      expect(neverFlags.sensitivity).toBeLessThan(0.1);
      expect(neverFlags.specificity).toBeGreaterThan(0.95);
      // Little was learnt about how only-clean handles violations: that row rests on the smoothing, uncommitted.
      const onlyClean = worker('only-clean');
      expect(onlyClean[1][1]).toBeGreaterThan(0.2);
      expect(onlyClean[1][1]).toBeLessThan(0.8);
      expect(onlyClean[0][0]).toBeGreaterThan(0.9);
      const first300 = withExtra.items.slice(0, 300);
      expect(accuracy(sparse, first300)).toBeGreaterThanOrEqual(accuracy(sparse, result.items.slice(0, 300)) - 0.01);
    });
  });
});

describe('dawidSkene, three classes', () => {
  // allowed / borderline / violating, with moderators who confuse neighbouring classes most.
  const REVIEWERS: SyntheticReviewer[] = [
    [[0.9, 0.07, 0.03], [0.1, 0.8, 0.1], [0.02, 0.08, 0.9]],
    [[0.95, 0.04, 0.01], [0.2, 0.7, 0.1], [0.05, 0.15, 0.8]],
    [[0.85, 0.1, 0.05], [0.05, 0.9, 0.05], [0.01, 0.04, 0.95]],
    [[0.7, 0.2, 0.1], [0.15, 0.75, 0.1], [0.05, 0.1, 0.85]],
    [[0.92, 0.05, 0.03], [0.3, 0.6, 0.1], [0.1, 0.2, 0.7]],
    [[0.8, 0.15, 0.05], [0.1, 0.85, 0.05], [0.03, 0.07, 0.9]],
    [[0.97, 0.02, 0.01], [0.08, 0.88, 0.04], [0.02, 0.03, 0.95]],
    [[0.75, 0.15, 0.1], [0.2, 0.65, 0.15], [0.1, 0.1, 0.8]],
  ].map((confusion, r) => ({ id: `mod-${r}`, confusion }));

  it('recovers every cell of every confusion matrix within 3 points and beats majority vote', () => {
    // Measured over seeds 1–20: worst cell 0.014.
    const data = simulateReviews({ items: 6000, priors: [0.6, 0.25, 0.15], reviewers: REVIEWERS, reviewsPerItem: 5, seed: 1 });
    const result = dawidSkene(data.labels, { classes: 3 });
    expect(result.converged).toBe(true);
    expect(largest(errors(data, result))).toBeLessThan(0.03);
    for (const w of result.workers) for (const row of w.confusion) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(accuracy(data, result.items)).toBeGreaterThan(accuracy(data, majorityVote(data.labels, 3)));
  });
});

describe('dawidSkene, edge cases', () => {
  it('with one moderator, follows them, with finite rates', () => {
    // Unidentifiable (nothing to compare them with): the diagonal smoothing is what makes EM trust them.
    const labels: WorkerLabel[] = Array.from({ length: 50 }, (_, i) => ({ itemId: `i${i}`, workerId: 'solo', label: i % 5 === 0 ? 1 : 0 }));
    const result = dawidSkene(labels, { classes: 2 });
    expect(result.converged).toBe(true);
    expect(result.items.map((item) => item.label)).toEqual(labels.map((l) => l.label));
    expect(result.workers[0].confusion.flat().every((p) => p > 0 && p < 1)).toBe(true);
    expect(Number.isFinite(result.logLikelihood)).toBe(true);
  });

  it('never gives a moderator with few labels a rate of 0 or 1', () => {
    const result = dawidSkene(
      [
        { itemId: 'a', workerId: 'x', label: 1 },
        { itemId: 'a', workerId: 'y', label: 1 },
        { itemId: 'b', workerId: 'x', label: 0 },
      ],
      { classes: 2 },
    );
    for (const w of result.workers) expect(w.confusion.flat().every((p) => p > 0 && p < 1)).toBe(true);
    expect(result.workers.map((w) => w.labels)).toEqual([2, 1]);
  });

  it('stops at maxIterations, saying it did not converge', () => {
    const data = simulateReviews({ items: 200, priors: PREVALENCE, reviewers: MODERATORS, reviewsPerItem: 3, seed: 2 });
    expect(dawidSkene(data.labels, { classes: 2, maxIterations: 1 })).toMatchObject({ iterations: 1, converged: false });
  });

  it('returns nothing to estimate for no labels', () => {
    expect(dawidSkene([], { classes: 2 })).toEqual({ classes: 2, priors: [0.5, 0.5], workers: [], items: [], iterations: 0, converged: true, logLikelihood: 0 });
  });

  it('refuses labels outside the classes and settings out of range', () => {
    const one: WorkerLabel[] = [{ itemId: 'i', workerId: 'w', label: 2 }];
    expect(() => dawidSkene(one, { classes: 2 })).toThrow(RangeError);
    expect(() => dawidSkene([{ itemId: 'i', workerId: 'w', label: 0.5 }], { classes: 2 })).toThrow(RangeError);
    expect(() => dawidSkene([], { classes: 1 })).toThrow(RangeError);
    expect(() => dawidSkene([], { classes: 2, maxIterations: 0 })).toThrow(RangeError);
    expect(() => dawidSkene([], { classes: 2, smoothing: 0 })).toThrow(RangeError);
    expect(() => binaryRates([[1, 0, 0], [0, 1, 0], [0, 0, 1]])).toThrow(RangeError);
  });
});

describe('majorityVote', () => {
  it('breaks a tie towards the lower class (not violating)', () => {
    const votes = majorityVote(
      [
        { itemId: 'tie', workerId: 'a', label: 1 },
        { itemId: 'tie', workerId: 'b', label: 0 },
        { itemId: 'clear', workerId: 'a', label: 1 },
      ],
      2,
    );
    expect(votes).toEqual([
      { itemId: 'tie', label: 0 },
      { itemId: 'clear', label: 1 },
    ]);
  });
});
