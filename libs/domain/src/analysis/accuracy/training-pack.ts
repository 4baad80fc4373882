/*
 * Targeted training, as pure logic: the items a moderator (or a team) got
 * wrong under one policy, and nuance, with the right answer and why; and
 * their accuracy there, before a pack and after its training.
 */
import type { PolicyNuance } from '@loupe/vocabulary';
import { accuracyCsvTable } from './accuracy-csv';
import { ProportionInterval, wilsonInterval } from './gold-accuracy';
import type { AnswerSource, ScoredJudgement } from './judgements';

/** Whose training, on what. Exactly one of moderatorId and team. */
export interface PackTarget {
  moderatorId?: string;
  team?: string;
  policyId: string;
  /** Only items whose right answer has this nuance. */
  nuance?: string | null;
}

/** What a pack item stores (training_packs.items). */
export interface PackItem {
  contentId: string;
  /** The answer given: violating or not. */
  given: boolean;
  /** The right answer. */
  correct: boolean;
  nuance: string | null;
  reason: string;
  source: AnswerSource;
}

export interface PolicyText {
  id: string;
  title: string;
  nuances: PolicyNuance[];
}

export interface TargetAccuracy {
  decisions: number;
  correct: number;
  accuracy: number | null;
  interval: ProportionInterval | null;
}

export function matchesTarget(s: ScoredJudgement, target: PackTarget): boolean {
  if (s.policyId !== target.policyId) return false;
  if (target.moderatorId ? s.moderatorId !== target.moderatorId : s.team !== target.team) return false;
  return !target.nuance || s.reference.nuance === target.nuance;
}

/** Accuracy of the target's scored judgements, those made at or after `since` when given. */
export function targetAccuracy(scored: readonly ScoredJudgement[], target: PackTarget, since?: Date): TargetAccuracy {
  let decisions = 0;
  let correct = 0;
  for (const s of scored) {
    if (!matchesTarget(s, target) || (since && s.at.getTime() < since.getTime())) continue;
    decisions++;
    if (s.correct) correct++;
  }
  return { decisions, correct, accuracy: decisions > 0 ? correct / decisions : null, interval: wilsonInterval(correct, decisions) };
}

/** The interval of a stored accuracy over n decisions (the pack keeps the share and the count, not the correct count). */
export function storedAccuracy(accuracy: number | null, decisions: number): TargetAccuracy {
  if (accuracy === null || decisions === 0) return { decisions, correct: 0, accuracy: null, interval: null };
  const correct = Math.round(accuracy * decisions);
  return { decisions, correct, accuracy, interval: wilsonInterval(correct, decisions) };
}

/**
 * The items the target got wrong, once each: an item several of a team got
 * wrong, or one moderator twice, appears once, with its latest wrong answer.
 * In the order the mistakes were made.
 */
export function packItems(scored: readonly ScoredJudgement[], target: PackTarget, policy: PolicyText): PackItem[] {
  const latest = new Map<string, ScoredJudgement>();
  for (const s of scored) {
    if (s.correct || !matchesTarget(s, target)) continue;
    const current = latest.get(s.contentId);
    if (!current || s.at.getTime() >= current.at.getTime()) latest.set(s.contentId, s);
  }
  return [...latest.values()]
    .sort((a, b) => a.at.getTime() - b.at.getTime() || (a.decisionId < b.decisionId ? -1 : 1))
    .map((s) => ({ contentId: s.contentId, given: s.given, correct: s.reference.violating, nuance: s.reference.nuance, reason: reasonFor(s, policy), source: s.reference.source }));
}

const PROVENANCE_TEXT: Record<string, string> = {
  consensus: 'Settled by consensus of the reviewers',
  senior: 'Settled by a senior moderator',
  appeal: 'Decided on appeal',
  single_review: 'Settled by a later review',
};

/**
 * Why the right answer is right, in words a trainee can use: the note of the
 * decision that settled it (or, for an estimate, of a moderator who answered
 * so); else the title of the right answer's nuance; else how it was reached.
 * Gold items carry no explanation of their own (gold_items has no column for one).
 */
export function reasonFor(s: ScoredJudgement, policy: PolicyText): string {
  const verdict = `${s.reference.violating ? 'violates' : 'does not violate'} "${policy.title}"`;
  const nuance = s.reference.nuance ? policy.nuances.find((n) => n.id === s.reference.nuance)?.title ?? s.reference.nuance : null;
  const note = s.reference.note?.trim();
  if (note) return note;
  if (nuance) return `${nuance}: ${verdict}`;
  switch (s.reference.source) {
    case 'gold':
      return `Gold answer: ${verdict}`;
    case 'settled':
      return `${PROVENANCE_TEXT[s.reference.provenance ?? 'single_review'] ?? 'Settled'}: ${verdict}`;
    case 'estimated':
      return `Outvoted: ${s.reference.reviewers} moderators reviewed it, and their answers weighed by each one's estimated accuracy say it ${verdict} (probability ${Math.round(100 * (s.reference.probability ?? 0))}%)`;
  }
}

/** Where an analyst sees the item, blurred. */
export function previewUrlOf(contentId: string): string {
  return `/v1/analysis/contents/${contentId}/preview`;
}

/** A pack's items as CSV, with the preview of each. */
export function packCsv(policyId: string, items: readonly (Omit<PackItem, 'source'> & { source: string })[]): string {
  return accuracyCsvTable(
    ['contentId', 'policyId', 'given', 'correct', 'nuance', 'source', 'reason', 'previewUrl'],
    items.map((i) => [i.contentId, policyId, i.given ? 'violating' : 'not_violating', i.correct ? 'violating' : 'not_violating', i.nuance, i.source, i.reason, previewUrlOf(i.contentId)]),
  );
}
