import type { ExperimentItem, ModelDeploymentRow } from '@loupe/database';
import type { ServingState } from '@loupe/vocabulary';
import { agreementOf, championScore, compareArms, comparePolicies } from './experiment-report';
import { experimentWindow } from './experiment-report.service';

const item = (over: Partial<ExperimentItem> & { id: string }): ExperimentItem => ({
  contentId: over.id,
  decidedAt: new Date('2026-12-01T10:00:00Z'),
  outcome: 'allowed',
  decisionPolicies: [],
  challenger: null,
  champion: [],
  labels: null,
  ...over,
});

const THRESHOLDS = { hate_symbols: { review: 0.5, remove: 0.9 } };

describe('comparePolicies', () => {
  it('compares the bands of both sides on the items the challenger scored, and each against the labels', () => {
    const items = [
      // Both flag; labelled violating.
      item({ id: 'a', challenger: { role: 'shadow', scores: { hate_symbols: 0.95 } }, champion: [{ modelId: 'policy-heads', scores: { hate_symbols: 0.6 } }], labels: [{ policyId: 'hate_symbols', violating: true }] }),
      // Only the challenger flags; labelled violating: a catch the champion missed.
      item({ id: 'b', challenger: { role: 'shadow', scores: { hate_symbols: 0.7 } }, champion: [{ modelId: 'policy-heads', scores: { hate_symbols: 0.1 } }], labels: [{ policyId: 'hate_symbols', violating: true }] }),
      // Only the champion flags; labelled benign.
      item({ id: 'c', challenger: { role: 'shadow', scores: { hate_symbols: 0.2 } }, champion: [{ modelId: 'policy-heads', scores: { hate_symbols: 0.8 } }], labels: [{ policyId: 'hate_symbols', violating: false }] }),
      // Neither; no label.
      item({ id: 'd', challenger: { role: 'shadow', scores: { hate_symbols: 0.1 } }, champion: [{ modelId: 'policy-heads', scores: { hate_symbols: 0.1 } }] }),
      // Not scored by the challenger: not part of the comparison.
      item({ id: 'e', champion: [{ modelId: 'policy-heads', scores: { hate_symbols: 0.99 } }], labels: [{ policyId: 'hate_symbols', violating: true }] }),
    ];
    const [report] = comparePolicies({ items, policies: ['hate_symbols'], challengerThresholds: THRESHOLDS, championThresholds: THRESHOLDS, registryModels: new Set(['policy-heads']) });
    expect(report).toMatchObject({ policyId: 'hate_symbols', items: 4, compared: 4, challengerOnly: 1, championOnly: 1 });
    // Same band: d (allow/allow) only; a is remove against review.
    expect(report.agreement).toBeCloseTo(1 / 4);
    expect(report.meanAbsoluteDifference).toBeCloseTo((0.35 + 0.6 + 0.6 + 0) / 4);
    expect(report.challenger.bands).toEqual({ allow: 2, review: 1, remove: 1 });
    expect(report.challenger.againstLabels).toMatchObject({ labelled: 3, truePositives: 2, falsePositives: 0, falseNegatives: 0, trueNegatives: 1, precision: 1, recall: 1 });
    expect(report.champion!.againstLabels).toMatchObject({ labelled: 3, truePositives: 1, falsePositives: 1, falseNegatives: 1, precision: 0.5, recall: 0.5 });
  });

  it('has no champion side for a policy that no model decided', () => {
    const items = [item({ id: 'a', challenger: { role: 'shadow', scores: { hate_symbols: 0.7 } } })];
    const [report] = comparePolicies({ items, policies: ['hate_symbols'], challengerThresholds: THRESHOLDS, championThresholds: THRESHOLDS, registryModels: new Set() });
    expect(report).toMatchObject({ items: 1, compared: 0, agreement: null, champion: null });
  });
});

describe('championScore', () => {
  it("prefers a registry champion's head to the baseline model's score for the same policy", () => {
    const scored = item({ id: 'a', champion: [{ modelId: 'nsfwjs', scores: { adult_nudity: 0.2 } }, { modelId: 'policy-heads', scores: { adult_nudity: 0.7 } }] });
    expect(championScore(scored, 'adult_nudity', new Set(['policy-heads']))).toBe(0.7);
    expect(championScore(scored, 'adult_nudity', new Set())).toBe(0.2);
    expect(championScore(scored, 'hate_symbols', new Set(['policy-heads']))).toBeUndefined();
  });
});

describe('compareArms', () => {
  it('splits the window by who decided, with each arm’s outcomes and precision against the labels', () => {
    const items = [
      item({ id: 'a', outcome: 'in_review', decisionPolicies: ['hate_symbols'], challenger: { role: 'canary', scores: { hate_symbols: 0.7 } }, labels: [{ policyId: 'hate_symbols', violating: true }] }),
      item({ id: 'b', outcome: 'allowed', challenger: { role: 'canary', scores: { hate_symbols: 0.1 } } }),
      item({ id: 'c', outcome: 'removed', decisionPolicies: ['hate_symbols'], labels: [{ policyId: 'hate_symbols', violating: false }] }),
      item({ id: 'd', outcome: 'allowed' }),
    ];
    const arms = compareArms(items, ['hate_symbols']);
    expect(arms.challenger).toMatchObject({ items: 2, share: 50, outcomes: { allowed: 1, in_review: 1, removed: 0 } });
    expect(arms.challenger.policies[0]).toMatchObject({ flagged: 1, againstLabels: { labelled: 1, precision: 1 } });
    expect(arms.champion).toMatchObject({ items: 2, share: 50, outcomes: { allowed: 1, in_review: 0, removed: 1 } });
    expect(arms.champion.policies[0]).toMatchObject({ flagged: 1, againstLabels: { labelled: 1, precision: 0 } });
  });
});

describe('agreementOf', () => {
  it('leaves rates undefined where nothing was flagged or nothing was violating', () => {
    expect(agreementOf([{ flagged: false, violating: false }])).toMatchObject({ labelled: 1, precision: null, recall: null });
  });
});

describe('experimentWindow', () => {
  const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 10, minute));
  const row = (seq: number, minute: number, experiments: ServingState['experiments']): ModelDeploymentRow =>
    ({ seq, createdAt: at(minute), state: { policies: {}, experiments } }) as unknown as ModelDeploymentRow;
  const shadow = (versionId: string, percent = 100) => ({ m: { modelName: 'm', versionId, version: 2, mode: 'shadow' as const, percent } });

  it('runs from the change that started the experiment to now while it runs', () => {
    // Newest first: a promotion of another version kept the shadow; it started at minute 2.
    const history = [row(4, 9, shadow('v2')), row(3, 2, shadow('v2')), row(2, 1, {}), row(1, 0, shadow('v1'))];
    const window = experimentWindow(history, 'm', 'v2', at(30))!;
    expect(window).toMatchObject({ from: at(2), to: at(30), running: true });
  });

  it('ends at the change that stopped or altered it', () => {
    const history = [row(4, 9, {}), row(3, 5, shadow('v2', 50)), row(2, 2, shadow('v2')), row(1, 0, {})];
    expect(experimentWindow(history, 'm', 'v2', at(30))).toMatchObject({ from: at(5), to: at(9), running: false, experiment: { percent: 50 } });
    expect(experimentWindow(history, 'm', 'v9', at(30))).toBeNull();
  });
});
