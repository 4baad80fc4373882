import { EvaluationReport, evaluate, ModelEvaluation, PolicyEvaluation } from './evaluation-report';
import { checkGates, DEFAULT_GATES, describeGate, Gate, gatesPassedFor } from './gates';
import { ThresholdMetrics } from './metrics';

interface Values {
  prAuc?: number | null;
  rocAuc?: number | null;
  ece?: number | null;
  precisionAtRemove?: number | null;
  recallAtReview?: number | null;
  remove?: number | null;
}

function at(threshold: number | null, precision: number | null, recall: number | null): ThresholdMetrics | null {
  return threshold === null ? null : { threshold, confusion: { tp: 0, fp: 0, tn: 0, fn: 0 }, precision, recall, f1: null };
}

function model(v: Values): ModelEvaluation {
  const remove = v.remove === undefined ? 0.8 : v.remove;
  return {
    thresholds: { review: 0.5, remove },
    metrics: {
      items: 100,
      positives: 20,
      negatives: 80,
      baseRate: 0.2,
      prAuc: v.prAuc ?? null,
      rocAuc: v.rocAuc ?? null,
      ece: v.ece ?? null,
      atRemove: at(remove, v.precisionAtRemove ?? null, null),
      atReview: at(0.5, null, v.recallAtReview ?? null),
    },
    missingScores: 0,
    slices: { measured: [], tooFew: [] },
  };
}

/** A report of the given policies on test (and gold, where given). deltas are not read by the gates. */
function report(test: Record<string, [Values, Values | null]>, gold: Record<string, [Values, Values | null]> = {}): EvaluationReport {
  const side = (split: 'test' | 'gold', entries: Record<string, [Values, Values | null]>) =>
    Object.fromEntries(
      Object.entries(entries).map(([policyId, [c, ch]]): [string, PolicyEvaluation] => [policyId, { policyId, split, candidate: model(c), champion: ch ? model(ch) : null, deltas: null }]),
    );
  const policyIds = [...new Set([...Object.keys(test), ...Object.keys(gold)])].sort();
  return { policyIds, thresholdSplit: 'test', candidateThresholds: {}, splits: { test: side('test', test), gold: side('gold', gold) } };
}

describe('checkGates', () => {
  it('passes the default gates when PR-AUC falls by at most 0.01 and recall by at most 0.02, to the edge', () => {
    const check = checkGates(report({ hate: [{ prAuc: 0.89, recallAtReview: 0.88 }, { prAuc: 0.9, recallAtReview: 0.9 }] }));
    expect(check.passed).toBe(true);
    expect(check.results.filter((r) => r.split === 'test').map((r) => [r.gate, r.status])).toEqual([
      ['PR-AUC falls by at most 0.01', 'passed'],
      ['recall at review falls by at most 0.02', 'passed'],
    ]);
    const recall = check.results.find((r) => r.metric === 'recall')!;
    expect(recall).toMatchObject({ at: 'review', candidate: 0.88, champion: 0.9 });
    expect(recall.change).toBeCloseTo(-0.02, 12);
    expect(recall.fall).toBeCloseTo(0.02, 12);
    expect(recall.reason).toBe('gate "recall at review falls by at most 0.02" passed for hate on test: recall at review fell by 0.02 (0.9 → 0.88)');
  });

  it('fails a fall beyond the tolerance, saying which gate, where and by how much', () => {
    const check = checkGates(report({ hate: [{ prAuc: 0.885, recallAtReview: 0.95 }, { prAuc: 0.9, recallAtReview: 0.9 }] }));
    expect(check.passed).toBe(false);
    expect(check.failures).toHaveLength(1);
    expect(check.failures[0]).toMatchObject({ policyId: 'hate', split: 'test', metric: 'prAuc', status: 'failed' });
    expect(check.failures[0].reason).toBe('gate "PR-AUC falls by at most 0.01" failed for hate on test: PR-AUC fell by 0.015 (0.9 → 0.885), 0.005 more than the 0.01 allowed');
    expect(check.counts).toEqual({ passed: 1, failed: 1, skipped: 2 });
  });

  it('skips what it cannot judge: no champion model, no items in the split, a metric undefined on both sides', () => {
    const check = checkGates(report({ fresh: [{ prAuc: 0.5, recallAtReview: 0.3 }, null], rare: [{ prAuc: null }, { prAuc: null }] }));
    expect(check.passed).toBe(true);
    expect(check.results.map((r) => [r.split, r.policyId, r.metric, r.status])).toEqual([
      ['test', 'fresh', 'prAuc', 'skipped'],
      ['test', 'rare', 'prAuc', 'skipped'],
      ['gold', 'fresh', 'prAuc', 'skipped'],
      ['gold', 'rare', 'prAuc', 'skipped'],
      ['test', 'fresh', 'recall', 'skipped'],
      ['test', 'rare', 'recall', 'skipped'],
      ['gold', 'fresh', 'recall', 'skipped'],
      ['gold', 'rare', 'recall', 'skipped'],
    ]);
    expect(check.results.map((r) => r.reason.replace(/^gate "[^"]+" skipped for \w+ on \w+: /, '')).slice(0, 5)).toEqual([
      'the champion has no model for the policy to compare with',
      'PR-AUC is undefined for both models',
      'no labelled items of the policy in gold',
      'no labelled items of the policy in gold',
      'the champion has no model for the policy',
    ]);
  });

  it('still holds a policy the champion has no model for to a threshold, unless the gate is only for policies it had', () => {
    const floor: Gate = { policy: '*', metric: 'prAuc', greaterIsBetter: true, threshold: 0.6, maxFall: 0.01, split: 'test' };
    const fresh = report({ fresh: [{ prAuc: 0.5 }, null] });
    const [result] = checkGates(fresh, [floor]).results;
    expect(result).toMatchObject({ status: 'failed', candidate: 0.5, champion: null, fall: null });
    expect(result.reason).toBe(`gate "${describeGate(floor)}" failed for fresh on test: PR-AUC is 0.5, below 0.6 by 0.1`);
    expect(checkGates(fresh, [{ ...floor, onlyIfChampionHasModel: true }]).results[0].status).toBe('skipped');
  });

  it('fails a candidate with no value where the champion has one', () => {
    const gate: Gate = { policy: 'hate', metric: 'precision', greaterIsBetter: true, threshold: 0.9, split: 'test' };
    const [result] = checkGates(report({ hate: [{ remove: null }, { precisionAtRemove: 0.97 }] }), [gate]).results;
    expect(result).toMatchObject({ status: 'failed', at: 'remove', candidate: null, champion: 0.97 });
    expect(result.reason).toMatch(/the candidate has no precision at remove where the champion had 0\.97 \(no remove threshold\)$/);
  });

  it('reads lower-is-better metrics the other way: a rise in ECE is the fall', () => {
    const gate: Gate = { policy: '*', metric: 'ece', greaterIsBetter: false, maxFall: 0.02, threshold: 0.1, split: 'test' };
    const worse = checkGates(report({ hate: [{ ece: 0.06 }, { ece: 0.03 }] }), [gate]).results[0];
    expect(worse).toMatchObject({ status: 'failed' });
    expect(worse.fall).toBeCloseTo(0.03, 12);
    expect(worse.reason).toMatch(/ECE rose by 0\.03 \(0\.03 → 0\.06\), 0\.01 more than the 0\.02 allowed$/);
    const better = checkGates(report({ hate: [{ ece: 0.02 }, { ece: 0.05 }] }), [gate]).results[0];
    expect(better).toMatchObject({ status: 'passed' });
    expect(better.reason).toMatch(/ECE 0\.02 ≤ 0\.1; ECE fell by 0\.03 \(0\.05 → 0\.02\)$/);
  });

  it('limits a relative fall, and asks for a gain with a negative tolerance, as MLflow’s minimum changes do', () => {
    const relative: Gate = { policy: 'hate', metric: 'rocAuc', greaterIsBetter: true, maxRelativeFall: 0.05, split: 'test' };
    const fell = checkGates(report({ hate: [{ rocAuc: 0.75 }, { rocAuc: 0.8 }] }), [relative]).results[0];
    expect(fell.relativeFall).toBeCloseTo(0.0625, 12);
    expect(fell.reason).toMatch(/ROC-AUC fell by 0\.05 \(0\.8 → 0\.75\), 6\.25% of the champion's value, beyond the 5% allowed$/);
    expect(checkGates(report({ hate: [{ rocAuc: 0.77 }, { rocAuc: 0.8 }] }), [relative]).passed).toBe(true);

    const gain: Gate = { policy: 'hate', metric: 'rocAuc', greaterIsBetter: true, maxFall: -0.01, split: 'test' };
    expect(describeGate(gain)).toBe('hate: ROC-AUC improves by at least 0.01, on test');
    const small = checkGates(report({ hate: [{ rocAuc: 0.805 }, { rocAuc: 0.8 }] }), [gain]).results[0];
    expect(small.status).toBe('failed');
    expect(small.reason).toMatch(/ROC-AUC rose by 0\.005 \(0\.8 → 0\.805\), short of the required gain of 0\.01 by 0\.005$/);
    expect(checkGates(report({ hate: [{ rocAuc: 0.81 }, { rocAuc: 0.8 }] }), [gain]).passed).toBe(true);
  });

  it('checks a named policy on the split it names, and reports a policy it cannot find as skipped', () => {
    const gate: Gate = { policy: 'hate', metric: 'prAuc', greaterIsBetter: true, maxFall: 0, split: 'gold' };
    const check = checkGates(report({ hate: [{ prAuc: 0.5 }, { prAuc: 0.9 }] }, { hate: [{ prAuc: 0.9 }, { prAuc: 0.9 }] }), [gate]);
    expect(check.results.map((r) => [r.split, r.status])).toEqual([['gold', 'passed']]);
    expect(checkGates(report({}), [{ ...gate, policy: 'violence' }]).results[0].status).toBe('skipped');
  });

  it('refuses gates that cannot be judged', () => {
    const base: Gate = { policy: '*', metric: 'prAuc', greaterIsBetter: true, maxFall: 0.01 };
    expect(() => checkGates(report({}), [{ ...base, maxFall: undefined }])).toThrow(/sets no threshold/);
    expect(() => checkGates(report({}), [{ ...base, at: 'remove' }])).toThrow(RangeError);
    expect(() => checkGates(report({}), [{ ...base, metric: 'accuracy' as never }])).toThrow(RangeError);
    expect(() => checkGates(report({}), [{ ...base, maxFall: Number.NaN }])).toThrow(RangeError);
  });

  it('judges a real evaluation: a candidate that ranks worse fails, one that ranks as well passes', () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({
      contentId: `c${i}`,
      labels: [{ policyId: 'hate', violating: i < 5 }],
      split: 'test' as const,
      region: null,
      language: null,
      kind: 'image' as const,
    }));
    const perfect = Object.fromEntries(rows.map((r, i) => [r.contentId, { hate: i < 5 ? 0.9 : 0.1 }]));
    const muddled = Object.fromEntries(rows.map((r, i) => [r.contentId, { hate: i === 0 ? 0.05 : i < 5 ? 0.9 : 0.1 }]));
    const options = { championThresholds: { hate: { review: 0.5, remove: 0.8 } } };
    const worse = checkGates(evaluate(rows, muddled, perfect, options), DEFAULT_GATES);
    expect(worse.passed).toBe(false);
    // Its review threshold falls to 0.05 to keep recall at 1, so only the ranking gate catches it.
    expect(worse.failures.map((f) => f.metric)).toEqual(['prAuc']);
    expect(worse.results.find((r) => r.metric === 'recall')).toMatchObject({ status: 'passed', candidate: 1, champion: 1 });
    expect(checkGates(evaluate(rows, perfect, perfect, options)).passed).toBe(true);
  });
});

describe('gatesPassedFor', () => {
  it('judges some heads of a version by their own gates only', () => {
    const check = checkGates(report({ hate: [{ prAuc: 0.7 }, { prAuc: 0.9 }], spam: [{ prAuc: 0.95 }, { prAuc: 0.9 }] }));
    expect(check.passed).toBe(false);
    expect(gatesPassedFor(check, check.passed, ['spam'])).toBe(true);
    expect(gatesPassedFor(check, check.passed, ['hate'])).toBe(false);
    expect(gatesPassedFor(check, check.passed, ['spam', 'hate'])).toBe(false);
  });

  it('keeps the overall verdict of a version stored without gate results', () => {
    expect(gatesPassedFor(null, true, ['spam'])).toBe(true);
    expect(gatesPassedFor(null, false, ['spam'])).toBe(false);
    expect(gatesPassedFor(null, null, ['spam'])).toBe(false);
  });
});
