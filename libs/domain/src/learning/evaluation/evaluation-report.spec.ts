import { EvaluationRow, evaluate } from './evaluation-report';
import { policyMetrics, thresholdMetrics } from './metrics';
import { proposeThresholds } from './thresholds';

function row(contentId: string, split: EvaluationRow['split'], labels: Record<string, boolean>, extra: Partial<EvaluationRow> = {}): EvaluationRow {
  return {
    contentId,
    labels: Object.entries(labels).map(([policyId, violating]) => ({ policyId, violating })),
    split,
    region: 'eu',
    language: 'en',
    kind: 'image',
    ...extra,
  };
}

// 20 test items and 8 gold items judged for hate; the test items are also judged for nudity.
// The candidate separates hate perfectly on test; the champion ranks two non-violating items high.
const rows: EvaluationRow[] = [];
const candidate = new Map<string, Record<string, number>>();
const champion = new Map<string, Record<string, number>>();
for (let i = 0; i < 20; i++) {
  const violating = i < 8;
  rows.push(row(`t${i}`, 'test', { hate: violating, nudity: i % 4 === 0 }, { region: i % 2 ? 'eu' : 'us' }));
  candidate.set(`t${i}`, { hate: Number((violating ? 0.95 - i * 0.01 : 0.05 + i * 0.02).toFixed(2)), nudity: i % 4 === 0 ? 0.8 : 0.2 });
  champion.set(`t${i}`, { hate: violating ? 0.7 : i < 10 ? 0.75 : 0.2, nudity: 0.5 });
}
for (let i = 0; i < 8; i++) {
  rows.push(row(`g${i}`, 'gold', { hate: i < 4 }, { kind: 'video' }));
  candidate.set(`g${i}`, { hate: i < 4 ? 0.9 : i === 4 ? 0.93 : 0.1 });
  champion.set(`g${i}`, { hate: i < 4 ? 0.8 : 0.3 });
}
const championThresholds = { hate: { review: 0.6, remove: 0.72 } };

function column(split: string, policyId: string, scores: Map<string, Record<string, number>>) {
  const chosen = rows.filter((r) => r.split === split && r.labels.some((l) => l.policyId === policyId));
  return {
    scores: chosen.map((r) => scores.get(r.contentId)![policyId]),
    truths: chosen.map((r) => r.labels.find((l) => l.policyId === policyId)!.violating),
  };
}

describe('evaluate', () => {
  const report = evaluate(rows, candidate, champion, { championThresholds });

  it('proposes the candidate’s thresholds on the test split, and measures both splits at them', () => {
    const test = column('test', 'hate', candidate);
    expect(report.candidateThresholds.hate).toEqual(proposeThresholds(test.scores, test.truths));
    const { remove, review } = report.candidateThresholds.hate;
    // The 8 violating test items score 0.95 … 0.88, the others at most 0.43.
    expect([remove.threshold, review.threshold]).toEqual([0.88, 0.88]);
    expect(report.splits.test.hate.candidate.metrics).toEqual(policyMetrics(test.scores, test.truths, { remove: 0.88, review: 0.88 }));
    const gold = column('gold', 'hate', candidate);
    expect(report.splits.gold.hate.candidate.thresholds).toEqual({ remove: 0.88, review: 0.88 });
    expect(report.splits.gold.hate.candidate.metrics.atRemove).toEqual(thresholdMetrics(gold.scores, gold.truths, 0.88));
    expect(report.splits.gold.hate.candidate.metrics.atRemove).toMatchObject({ precision: 0.8, recall: 1 });
  });

  it('measures the champion at its own current thresholds, and gives candidate − champion', () => {
    const { champion: side, candidate: ours, deltas } = report.splits.test.hate;
    expect(side!.thresholds).toEqual(championThresholds.hate);
    // At 0.72 the champion flags the two non-violating items at 0.75 and misses the eight violating ones at 0.7.
    expect(side!.metrics.atRemove).toMatchObject({ precision: 0, recall: 0 });
    expect(side!.metrics.atReview).toMatchObject({ precision: 0.8, recall: 1 });
    expect(deltas!.prAuc).toBeCloseTo(ours.metrics.prAuc! - side!.metrics.prAuc!, 12);
    expect(deltas!.precisionAtRemove).toBe(1);
    expect(deltas!.recallAtReview).toBe(0);
    expect(deltas!.ece).toBeCloseTo(ours.metrics.ece! - side!.metrics.ece!, 12);
  });

  it('gives a null champion for a policy it has no model for, and for every policy without champion scores', () => {
    expect(report.splits.test.nudity).toMatchObject({ champion: null, deltas: null });
    expect(report.splits.gold.nudity).toBeUndefined();
    const alone = evaluate(rows, candidate, null, { championThresholds });
    expect(alone.splits.test.hate).toMatchObject({ champion: null, deltas: null });
    expect(alone.splits.test.hate.candidate).toEqual(report.splits.test.hate.candidate);
  });

  it('lists the policies, and slices the candidate and the champion alike', () => {
    expect(report.policyIds).toEqual(['hate', 'nudity']);
    const slices = report.splits.test.hate.candidate.slices;
    expect(slices.tooFew.map((s) => [s.dimension, s.value, s.items])).toEqual([
      ['region', 'eu', 10],
      ['region', 'us', 10],
      ['language', 'en', 20],
      ['kind', 'image', 20],
    ]);
    const measured = evaluate(rows, candidate, champion, { championThresholds, slices: { minItems: 10, minPositives: 4, dimensions: ['region'] } });
    expect(measured.splits.test.hate.champion!.slices.measured.map((s) => s.value)).toEqual(['eu', 'us']);
  });

  it('leaves out and counts items a model has no score for', () => {
    const partial = new Map(champion);
    partial.delete('t0');
    partial.set('t1', { nudity: 0.5 });
    const { champion: side, candidate: ours } = evaluate(rows, candidate, partial, { championThresholds }).splits.test.hate;
    expect(side!.missingScores).toBe(2);
    expect(side!.metrics.items).toBe(18);
    expect(ours.missingScores).toBe(0);
  });

  it('reads a plain object of scores as a Map', () => {
    expect(evaluate(rows, Object.fromEntries(candidate), Object.fromEntries(champion), { championThresholds })).toEqual(report);
  });

  it('takes its thresholds targets, threshold split and policies from the options', () => {
    const fromGold = evaluate(rows, candidate, champion, { championThresholds, thresholdSplit: 'gold', policyIds: ['hate'], targets: { removePrecision: 0.8, reviewRecall: 1, minPredictedPositives: 1 } });
    expect(fromGold.policyIds).toEqual(['hate']);
    expect(fromGold.splits.test.nudity).toBeUndefined();
    // On gold, 0.93 (not violating) tops four violating items at 0.9: precision 4/5 at 0.9.
    expect(fromGold.candidateThresholds.hate.remove).toMatchObject({ threshold: 0.9, precision: 0.8 });
  });

  it('refuses training rows, items that appear twice and scores that are not probabilities', () => {
    expect(() => evaluate([{ ...rows[0], split: 'train' as never }], candidate, null)).toThrow(RangeError);
    expect(() => evaluate([rows[0], rows[0]], candidate, null)).toThrow(/appears twice/);
    expect(() => evaluate([rows[0]], new Map([['t0', { hate: 1.5 }]]), null)).toThrow('score of t0 for hate is 1.5, outside [0, 1]');
  });
});
