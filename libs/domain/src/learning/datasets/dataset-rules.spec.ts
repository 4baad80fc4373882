import type { LabelProvenance } from '@loupe/vocabulary';
import { buildDataset, DatasetLabel, DEFAULT_DATASET_RULES } from './dataset-rules';

let serial = 0;
function label(contentId: string, minute: number, violating: boolean, extra: Partial<DatasetLabel> = {}): DatasetLabel {
  serial++;
  return {
    id: `00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`,
    contentId,
    labels: [{ policyId: 'adult_nudity', violating }],
    provenance: 'single_review' as LabelProvenance,
    labellerPassingGold: null,
    labelledAt: new Date(Date.UTC(2026, 11, 1, 0, minute)),
    ...extra,
  };
}

describe('buildDataset', () => {
  it('keeps the latest label of each content: an overturned appeal replaces the original', () => {
    const original = label('c1', 1, true);
    const appeal = label('c1', 5, false, { provenance: 'appeal' });
    const { rows, counts } = buildDataset([appeal, original, label('c2', 2, true)], [], { ...DEFAULT_DATASET_RULES, testShare: 0 });
    expect(rows.map((r) => [r.contentId, r.labelId])).toEqual([
      ['c2', expect.any(String)],
      ['c1', appeal.id],
    ]);
    expect(counts.left.superseded).toBe(1);
  });

  it('leaves out, or down-weights, labels of moderators failing gold; no gold history is not failing', () => {
    const labels = [label('a', 1, true, { labellerPassingGold: false }), label('b', 2, true, { labellerPassingGold: null }), label('c', 3, false, { labellerPassingGold: true })];
    const excluded = buildDataset(labels, [], { ...DEFAULT_DATASET_RULES, testShare: 0 });
    expect(excluded.rows.map((r) => r.contentId)).toEqual(['b', 'c']);
    expect(excluded.counts.left.failingGold).toBe(1);
    const weighted = buildDataset(labels, [], { ...DEFAULT_DATASET_RULES, testShare: 0, failingGold: 'downweight', failingGoldWeight: 0.25 });
    expect(weighted.rows.map((r) => [r.contentId, r.weight])).toEqual([
      ['a', 0.25],
      ['b', 1],
      ['c', 1],
    ]);
  });

  it('weighs consensus, senior and appeal labels more than single reviews', () => {
    const { rows } = buildDataset(
      (['single_review', 'consensus', 'senior', 'appeal'] as LabelProvenance[]).map((provenance, i) => label(`p${i}`, i, true, { provenance })),
      [],
      { ...DEFAULT_DATASET_RULES, testShare: 0 },
    );
    expect(rows.map((r) => r.weight)).toEqual([1, 2, 2, 2]);
  });

  it('takes the test share per class, so that a new harm whose labels are all recent still trains', () => {
    // Ten old labels of adult nudity, then five of a new harm, all newer than any of them.
    const old = Array.from({ length: 10 }, (_, i) => label(`n${i}`, i, i % 2 === 0));
    const fresh = Array.from({ length: 5 }, (_, i) => label(`d${i}`, 20 + i, true, { labels: [{ policyId: 'dangerous_acts', violating: true }] }));
    const perClass = buildDataset([...old, ...fresh], []);
    // Per class: the newest of each is test, and every test label of a class is newer than its training labels.
    expect(perClass.counts.byPolicy.dangerous_acts).toEqual({ train: { positive: 4, negative: 0 }, test: { positive: 1, negative: 0 } });
    expect(perClass.rows.filter((r) => r.split === 'test').map((r) => r.contentId).sort()).toEqual(['d4', 'n8', 'n9']);
    // Over all labels at once (the rule before), the new harm is all test: nothing of it to learn from.
    const global = buildDataset([...old, ...fresh], [], { ...DEFAULT_DATASET_RULES, perClassSplit: false });
    expect(global.counts.byPolicy.dangerous_acts).toEqual({ test: { positive: 3, negative: 0 }, train: { positive: 2, negative: 0 } });
    expect(global.hash).not.toBe(perClass.hash);
  });

  it('makes the most recent share the test split, so that evaluation looks forward', () => {
    const labels = Array.from({ length: 10 }, (_, i) => label(`t${i}`, 10 - i, i % 2 === 0));
    const { rows, counts } = buildDataset(labels, []);
    expect(rows.filter((r) => r.split === 'test').map((r) => r.contentId)).toEqual(['t1', 't0']);
    const lastTrain = Math.max(...rows.filter((r) => r.split === 'train').map((r) => r.labelledAt!.getTime()));
    expect(rows.filter((r) => r.split === 'test').every((r) => r.labelledAt!.getTime() > lastTrain)).toBe(true);
    expect(counts.rows).toEqual({ train: 8, test: 2, gold: 0 });
    expect(counts.byPolicy.adult_nudity).toEqual({ train: { positive: 4, negative: 4 }, test: { positive: 1, negative: 1 } });
  });

  it('keeps gold items apart as their own evaluation set, and never trains on their contents', () => {
    const { rows, counts } = buildDataset([label('g1', 1, true), label('x', 2, false)], [{ contentId: 'g1', labels: [{ policyId: 'adult_nudity', violating: false }] }], {
      ...DEFAULT_DATASET_RULES,
      testShare: 0,
    });
    expect(rows.map((r) => [r.contentId, r.split, r.labelId === null])).toEqual([
      ['x', 'train', false],
      ['g1', 'gold', true],
    ]);
    expect(counts.left.gold).toBe(1);
    expect(counts.byPolicy.adult_nudity.gold).toEqual({ positive: 0, negative: 1 });
  });

  it('gives the same hash for the same labels in any order, and another when a label or a rule changes', () => {
    const labels = [label('h1', 1, true), label('h2', 2, false), label('h3', 3, true)];
    const first = buildDataset(labels, []);
    expect(buildDataset([...labels].reverse(), []).hash).toBe(first.hash);
    expect(buildDataset([...labels.slice(0, 2), { ...labels[2], labels: [{ policyId: 'adult_nudity', violating: false }] }], []).hash).not.toBe(first.hash);
    expect(buildDataset(labels, [], { ...DEFAULT_DATASET_RULES, testShare: 0.5 }).hash).not.toBe(first.hash);
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a test share outside [0, 1)', () => {
    expect(() => buildDataset([], [], { ...DEFAULT_DATASET_RULES, testShare: 1 })).toThrow(RangeError);
  });
  it('filters the label that stands: a filtered-out appeal does not bring back the label it overturned', () => {
    const original = label('c1', 1, true);
    const appeal = label('c1', 5, false, { provenance: 'appeal' });
    const kept = label('c2', 2, true);
    const { rows, counts } = buildDataset([original, appeal, kept], [], { ...DEFAULT_DATASET_RULES, testShare: 0 }, { provenances: ['single_review'] });
    expect(rows.map((r) => r.labelId)).toEqual([kept.id]);
    expect(counts.left).toMatchObject({ superseded: 1, filtered: 1 });
  });

  it('keeps only the chosen policies, in labels and in gold answers', () => {
    const both = label('c1', 1, true, {
      labels: [
        { policyId: 'adult_nudity', violating: true },
        { policyId: 'hate_symbols', violating: false },
      ],
    });
    const other = label('c2', 2, true, { labels: [{ policyId: 'violence', violating: true }] });
    const gold = [
      { contentId: 'g1', labels: [{ policyId: 'hate_symbols', violating: true }] },
      { contentId: 'g2', labels: [{ policyId: 'violence', violating: false }] },
    ];
    const { rows, counts } = buildDataset([both, other], gold, { ...DEFAULT_DATASET_RULES, testShare: 0 }, { policyIds: ['hate_symbols'] });
    expect(rows.map((r) => [r.contentId, r.split, r.labels])).toEqual([
      ['c1', 'train', [{ policyId: 'hate_symbols', violating: false }]],
      ['g1', 'gold', [{ policyId: 'hate_symbols', violating: true }]],
    ]);
    expect(Object.keys(counts.byPolicy)).toEqual(['hate_symbols']);
    expect(counts.left.filtered).toBe(1);
  });
});
