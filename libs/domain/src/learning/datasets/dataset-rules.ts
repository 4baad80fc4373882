import { createHash } from 'node:crypto';
import type { DatasetCounts, DatasetFilter, DatasetRules, DatasetSplit, LabelProvenance, PolicyLabel } from '@loupe/vocabulary';

export type { DatasetCounts, DatasetFilter, DatasetRules, DatasetSplit };

/** One training label as a dataset reads it (the label export's row, less what a dataset does not use). */
export interface DatasetLabel {
  id: string;
  contentId: string;
  labels: PolicyLabel[];
  provenance: LabelProvenance;
  /** Whether the settling moderator passed gold checks when they labelled; null without gold history. */
  labellerPassingGold: boolean | null;
  labelledAt: Date;
}

/** An item with a known answer: it evaluates, it never trains. */
export interface GoldAnswer {
  contentId: string;
  labels: PolicyLabel[];
}

export const DEFAULT_DATASET_RULES: DatasetRules = {
  testShare: 0.2,
  perClassSplit: true,
  failingGold: 'exclude',
  failingGoldWeight: 0.5,
  weights: { single_review: 1, consensus: 2, senior: 2, appeal: 2, gold: 2 },
};

export interface DatasetExample {
  contentId: string;
  /** Null for a gold item, whose answer is not a moderator's label. */
  labelId: string | null;
  split: DatasetSplit;
  weight: number;
  labels: PolicyLabel[];
  labelledAt: Date | null;
}

export interface BuiltDataset {
  rows: DatasetExample[];
  counts: DatasetCounts;
  /** sha256 of the rows and rules in a canonical form: the same labels under the same rules give the same hash. */
  hash: string;
}

function later(a: DatasetLabel, b: DatasetLabel): boolean {
  const at = a.labelledAt.getTime() - b.labelledAt.getTime();
  return at !== 0 ? at > 0 : a.id > b.id;
}

/**
 * The rules that turn training labels into a dataset, as pure logic:
 * - the latest settled label of a content wins (an overturned appeal replaces the original);
 * - labels of moderators failing gold at the time are left out or down-weighted;
 * - consensus, senior and appeal labels weigh more than single reviews;
 * - the most recent share is the test split, so evaluation always looks forward;
 *   by default per class (the policies violated, or none), so that a new harm
 *   whose labels are all recent still trains;
 * - gold items form an evaluation set of their own, and their contents never train.
 */
export function buildDataset(
  labels: readonly DatasetLabel[],
  gold: readonly GoldAnswer[],
  rules: DatasetRules = DEFAULT_DATASET_RULES,
  filter: Pick<DatasetFilter, 'policyIds' | 'provenances'> = {},
): BuiltDataset {
  if (!(rules.testShare >= 0 && rules.testShare < 1)) throw new RangeError(`testShare must be in [0, 1), got ${rules.testShare}`);
  const left = { superseded: 0, failingGold: 0, gold: 0, filtered: 0 };
  const latest = new Map<string, DatasetLabel>();
  for (const label of labels) {
    const current = latest.get(label.contentId);
    if (!current || later(label, current)) latest.set(label.contentId, label);
  }
  left.superseded = labels.length - latest.size;

  const goldContents = new Set(gold.map((g) => g.contentId));
  const kept: { label: DatasetLabel; weight: number }[] = [];
  // The filter applies to the label that stands: filtering first would let an
  // overturned label back in when the label that replaced it is filtered out.
  for (const standing of latest.values()) {
    const label = { ...standing, labels: onlyPolicies(standing.labels, filter.policyIds) };
    if (label.labels.length === 0 || (filter.provenances && !filter.provenances.includes(label.provenance))) {
      left.filtered++;
      continue;
    }
    if (goldContents.has(label.contentId)) {
      left.gold++;
      continue;
    }
    let weight = rules.weights[label.provenance];
    if (label.labellerPassingGold === false) {
      if (rules.failingGold === 'exclude') {
        left.failingGold++;
        continue;
      }
      weight *= rules.failingGoldWeight;
    }
    kept.push({ label, weight });
  }
  kept.sort((a, b) => (later(a.label, b.label) ? 1 : -1));
  const test = testRows(kept.map((k) => k.label), rules);
  const rows: DatasetExample[] = kept.map(({ label, weight }, i) => ({
    contentId: label.contentId,
    labelId: label.id,
    split: test.has(i) ? 'test' : 'train',
    weight,
    labels: label.labels,
    labelledAt: label.labelledAt,
  }));
  for (const answer of [...gold].sort((a, b) => (a.contentId < b.contentId ? -1 : 1))) {
    const answerLabels = onlyPolicies(answer.labels, filter.policyIds);
    if (answerLabels.length > 0) rows.push({ contentId: answer.contentId, labelId: null, split: 'gold', weight: 1, labels: answerLabels, labelledAt: null });
  }
  return { rows, counts: countRows(rows, left), hash: hashRows(rows, rules) };
}

/** Positions (in time order) of the test split: the latest testShare of all labels, or of each class's. */
function testRows(labels: readonly DatasetLabel[], rules: DatasetRules): Set<number> {
  const classes = new Map<string, number[]>();
  labels.forEach((label, i) => {
    const key = rules.perClassSplit === false ? '' : [...new Set(label.labels.filter((l) => l.violating).map((l) => l.policyId))].sort().join(',');
    const members = classes.get(key) ?? [];
    members.push(i);
    classes.set(key, members);
  });
  const test = new Set<number>();
  for (const members of classes.values()) for (const i of members.slice(members.length - Math.round(members.length * rules.testShare))) test.add(i);
  return test;
}

function onlyPolicies(labels: PolicyLabel[], policyIds: string[] | undefined): PolicyLabel[] {
  return policyIds ? labels.filter((l) => policyIds.includes(l.policyId)) : labels;
}

function countRows(rows: DatasetExample[], left: DatasetCounts['left']): DatasetCounts {
  const counts: DatasetCounts = { byPolicy: {}, rows: { train: 0, test: 0, gold: 0 }, left };
  for (const row of rows) {
    counts.rows[row.split]++;
    for (const label of row.labels) {
      const split = ((counts.byPolicy[label.policyId] ??= {})[row.split] ??= { positive: 0, negative: 0 });
      if (label.violating) split.positive++;
      else split.negative++;
    }
  }
  return counts;
}

function hashRows(rows: DatasetExample[], rules: DatasetRules): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ rules: { ...rules, weights: Object.entries(rules.weights).sort() } }));
  for (const row of rows) {
    const labels = [...row.labels].sort((a, b) => (a.policyId < b.policyId ? -1 : 1)).map((l) => [l.policyId, l.violating, l.nuance ?? null]);
    hash.update('\n').update(JSON.stringify([row.contentId, row.labelId, row.split, row.weight, labels, row.labelledAt?.toISOString() ?? null]));
  }
  return hash.digest('hex');
}
