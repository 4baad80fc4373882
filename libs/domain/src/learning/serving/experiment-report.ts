import type { ExperimentItem } from '@loupe/database';
import type { Outcome } from '@loupe/vocabulary';

export type Thresholds = Record<string, { review: number; remove: number }>;
export type Band = 'allow' | 'review' | 'remove';

/** Flagging (review or remove) against the later human labels: the counts, and the rates where they are defined. */
export interface LabelAgreement {
  labelled: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  precision: number | null;
  recall: number | null;
}

/** One side (challenger or champion) on the items both scored. */
export interface SideReport {
  bands: Record<Band, number>;
  meanScore: number | null;
  againstLabels: LabelAgreement;
}

/** Challenger beside champion for one policy, on the items the challenger scored. */
export interface PolicyComparison {
  policyId: string;
  items: number;
  /** Items where the champion had a score for the policy too (no model, no champion score). */
  compared: number;
  /** Share of the compared items that both sides put in the same band. */
  agreement: number | null;
  meanAbsoluteDifference: number | null;
  /** Items the challenger would flag and the champion did not, and the reverse. */
  challengerOnly: number;
  championOnly: number;
  thresholds: { challenger: { review: number; remove: number }; champion: { review: number; remove: number } | null };
  challenger: SideReport;
  champion: SideReport | null;
}

/** One arm of a canary: the items it decided, what it did with them, and how that stood up to the labels. */
export interface ArmReport {
  items: number;
  /** Percent of the window's model decisions. */
  share: number;
  outcomes: Record<Outcome, number>;
  policies: { policyId: string; flagged: number; againstLabels: LabelAgreement }[];
}

export interface ExperimentReportInput {
  items: ExperimentItem[];
  policies: string[];
  /** The challenger's proposed thresholds: what would apply if it were promoted. */
  challengerThresholds: Thresholds;
  /** The thresholds in force, which the champion's scores meet. */
  championThresholds: Thresholds;
  /** Names of the registry's models: a champion row from one of them decides its policies ahead of the baseline model. */
  registryModels: ReadonlySet<string>;
}

export function bandOf(score: number, t: { review: number; remove: number }): Band {
  if (score >= t.remove) return 'remove';
  if (score >= t.review) return 'review';
  return 'allow';
}

/** The label an item's latest human review gave a policy; undefined when no human has labelled it for that policy. */
export function labelOf(item: ExperimentItem, policyId: string): boolean | undefined {
  return item.labels?.find((l) => l.policyId === policyId)?.violating;
}

/**
 * The score that decided a policy for an item on the champion's side: a
 * registry champion's head where one covers the policy, else the baseline
 * model's (the classifier replaces the baseline's score the same way).
 */
export function championScore(item: ExperimentItem, policyId: string, registryModels: ReadonlySet<string>): number | undefined {
  const rows = item.champion.filter((row) => row.scores[policyId] !== undefined);
  const head = rows.find((row) => registryModels.has(row.modelId));
  return (head ?? rows[0])?.scores[policyId];
}

export function agreementOf(pairs: { flagged: boolean; violating: boolean | undefined }[]): LabelAgreement {
  const out = { labelled: 0, truePositives: 0, falsePositives: 0, falseNegatives: 0, trueNegatives: 0 };
  for (const { flagged, violating } of pairs) {
    if (violating === undefined) continue;
    out.labelled++;
    if (flagged && violating) out.truePositives++;
    else if (flagged) out.falsePositives++;
    else if (violating) out.falseNegatives++;
    else out.trueNegatives++;
  }
  const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
  return { ...out, precision: ratio(out.truePositives, out.truePositives + out.falsePositives), recall: ratio(out.truePositives, out.truePositives + out.falseNegatives) };
}

function side(scores: number[], thresholds: { review: number; remove: number }, labels: (boolean | undefined)[]): SideReport {
  const bands: Record<Band, number> = { allow: 0, review: 0, remove: 0 };
  for (const score of scores) bands[bandOf(score, thresholds)]++;
  return {
    bands,
    meanScore: scores.length > 0 ? scores.reduce((a, b) => a + b, 0) / scores.length : null,
    againstLabels: agreementOf(scores.map((score, i) => ({ flagged: score >= thresholds.review, violating: labels[i] }))),
  };
}

/**
 * Challenger beside champion, per policy, on every item the challenger
 * scored (as a shadow or on its canary share): how often they agree, where
 * they differ, and how each stands against the human labels that came later.
 */
export function comparePolicies(input: ExperimentReportInput): PolicyComparison[] {
  const scored = input.items.filter((item) => item.challenger);
  return input.policies.map((policyId) => {
    const mine = input.challengerThresholds[policyId] ?? input.championThresholds[policyId] ?? { review: 0.5, remove: 1 };
    const theirs = input.championThresholds[policyId] ?? null;
    const rows = scored
      .map((item) => ({ item, challenger: item.challenger!.scores[policyId], champion: championScore(item, policyId, input.registryModels), violating: labelOf(item, policyId) }))
      .filter((row) => row.challenger !== undefined);
    const paired = theirs ? rows.filter((row) => row.champion !== undefined) : [];
    let agree = 0;
    let difference = 0;
    let challengerOnly = 0;
    let championOnly = 0;
    for (const row of paired) {
      const a = bandOf(row.challenger, mine);
      const b = bandOf(row.champion!, theirs!);
      if (a === b) agree++;
      if (a !== 'allow' && b === 'allow') challengerOnly++;
      if (a === 'allow' && b !== 'allow') championOnly++;
      difference += Math.abs(row.challenger - row.champion!);
    }
    return {
      policyId,
      items: rows.length,
      compared: paired.length,
      agreement: paired.length > 0 ? agree / paired.length : null,
      meanAbsoluteDifference: paired.length > 0 ? difference / paired.length : null,
      challengerOnly,
      championOnly,
      thresholds: { challenger: mine, champion: theirs },
      challenger: side(rows.map((r) => r.challenger), mine, rows.map((r) => r.violating)),
      champion: theirs && paired.length > 0 ? side(paired.map((r) => r.champion!), theirs, paired.map((r) => r.violating)) : null,
    };
  });
}

/**
 * A canary's two arms over the same window: the items the challenger
 * decided and the items the champion decided, with the decisions actually
 * taken and how they stood up to the labels.
 */
export function compareArms(items: ExperimentItem[], policies: string[]): { challenger: ArmReport; champion: ArmReport } {
  const arm = (members: ExperimentItem[]): ArmReport => {
    const outcomes: Record<Outcome, number> = { allowed: 0, in_review: 0, removed: 0 };
    for (const item of members) outcomes[item.outcome]++;
    return {
      items: members.length,
      share: items.length > 0 ? (100 * members.length) / items.length : 0,
      outcomes,
      policies: policies.map((policyId) => {
        const flaggedOf = (item: ExperimentItem) => item.outcome !== 'allowed' && item.decisionPolicies.includes(policyId);
        return {
          policyId,
          flagged: members.filter(flaggedOf).length,
          againstLabels: agreementOf(members.map((item) => ({ flagged: flaggedOf(item), violating: labelOf(item, policyId) }))),
        };
      }),
    };
  };
  const canary = items.filter((item) => item.challenger?.role === 'canary');
  const rest = items.filter((item) => item.challenger?.role !== 'canary');
  return { challenger: arm(canary), champion: arm(rest) };
}
