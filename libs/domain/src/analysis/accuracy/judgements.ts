/*
 * From review records to what the accuracy statistics count: one judgement
 * per decision and policy, the right answer for each (gold, the label that
 * stands, or Dawid–Skene's estimate), and whether the judgement matched it.
 *
 * A decision judges a policy when its case asked about the policy, one of
 * its labels names it, or the gold answer does. It says "violating" when a
 * label of that policy says so, and "not violating" otherwise: the same
 * reading as the review flow's sameVerdict, where a policy left out is not
 * violated.
 */
import type { ReviewRecord, SettledLabelRecord } from '@loupe/database';
import type { LabelProvenance, PolicyLabel } from '@loupe/vocabulary';
import { dawidSkene, DawidSkeneResult, WorkerLabel } from './dawid-skene';
import { Grouping } from './grouping';
import { compareStrings } from './labels';

export interface Judgement {
  decisionId: string;
  contentId: string;
  queueId: string;
  moderatorId: string;
  team: string;
  policyId: string;
  /** The case asked about this policy; false for a label the moderator added of their own accord. */
  asked: boolean;
  /** The moderator's answer: violating or not. */
  given: boolean;
  /** The nuance the moderator named, if any. */
  givenNuance: string | null;
  /** On a gold case: the known answer for this policy. */
  gold: { violating: boolean; nuance: string | null } | null;
  note: string | null;
  at: Date;
}

function violates(labels: readonly PolicyLabel[], policyId: string): boolean {
  return labels.some((l) => l.policyId === policyId && l.violating);
}

function nuanceOf(labels: readonly PolicyLabel[], policyId: string): string | null {
  return labels.find((l) => l.policyId === policyId && l.nuance !== undefined)?.nuance ?? null;
}

/** One judgement per decision and policy it judged; only `policyId`'s when given. */
export function judgementsOf(reviews: readonly ReviewRecord[], policyId?: string): Judgement[] {
  const out: Judgement[] = [];
  const policies: string[] = [];
  // A few policies per decision: an array beats a Set here, and this runs once per decision of the period.
  const add = (p: string) => {
    if ((!policyId || p === policyId) && !policies.includes(p)) policies.push(p);
  };
  for (const r of reviews) {
    policies.length = 0;
    for (const p of r.casePolicyIds) add(p);
    for (const l of r.labels) add(l.policyId);
    if (r.gold) for (const l of r.gold) add(l.policyId);
    policies.sort(compareStrings);
    for (const p of policies) {
      out.push({
        decisionId: r.decisionId,
        contentId: r.contentId,
        queueId: r.queueId,
        moderatorId: r.moderatorId,
        team: r.team,
        policyId: p,
        asked: r.casePolicyIds.includes(p),
        given: violates(r.labels, p),
        givenNuance: nuanceOf(r.labels, p),
        gold: r.gold ? { violating: violates(r.gold, p), nuance: nuanceOf(r.gold, p) } : null,
        note: r.note,
        at: r.createdAt,
      });
    }
  }
  return out;
}

/** Dawid–Skene's answer for one item under one policy. */
export interface EstimatedLabel {
  contentId: string;
  policyId: string;
  violating: boolean;
  /** The posterior probability of that answer. */
  probability: number;
  /** Labels from distinct moderators that went into it. */
  reviewers: number;
}

export interface PolicyEstimate {
  policyId: string;
  result: DawidSkeneResult;
  /** By content id. */
  items: Map<string, EstimatedLabel>;
}

/**
 * The judgements in time order (then by decision id). The repository returns
 * them so: then this is one pass and no copy; anything else is sorted.
 */
export function inTimeOrder<T extends Judgement>(judgements: readonly T[]): readonly T[] {
  const later = (a: T, b: T) => a.at.getTime() - b.at.getTime() || compareStrings(a.decisionId, b.decisionId);
  for (let i = 1; i < judgements.length; i++) if (later(judgements[i - 1], judgements[i]) > 0) return [...judgements].sort(later);
  return judgements;
}

/** Each moderator's latest judgement per item: a re-review is their final answer, and Dawid–Skene takes one label per reviewer and item. */
function latestPerModerator(judgements: readonly Judgement[]): Judgement[] {
  // In time order, the latest of each pair is the last one seen: walking backwards keeps the order.
  const ordered = inTimeOrder(judgements);
  const seen = new Grouping<true>();
  const latest: Judgement[] = [];
  for (let i = ordered.length - 1; i >= 0; i--) {
    const j = ordered[i];
    if (seen.get(j.contentId, j.moderatorId)) continue;
    seen.set(j.contentId, j.moderatorId, true);
    latest.push(j);
  }
  return latest.reverse();
}

/** Dawid–Skene per policy over every judgement, gold or not (class 1 = violating). */
export function estimatePolicies(judgements: readonly Judgement[]): Map<string, PolicyEstimate> {
  const byPolicy = new Map<string, Judgement[]>();
  for (const j of judgements) {
    let list = byPolicy.get(j.policyId);
    if (!list) byPolicy.set(j.policyId, (list = []));
    list.push(j);
  }
  const estimates = new Map<string, PolicyEstimate>();
  for (const policyId of [...byPolicy.keys()].sort(compareStrings)) {
    const labels: WorkerLabel[] = latestPerModerator(byPolicy.get(policyId) as Judgement[]).map((j) => ({ itemId: j.contentId, workerId: j.moderatorId, label: j.given ? 1 : 0 }));
    const result = dawidSkene(labels, { classes: 2 });
    const items = new Map(
      result.items.map((item) => [item.itemId, { contentId: item.itemId, policyId, violating: item.label === 1, probability: item.posterior[item.label], reviewers: item.labels } satisfies EstimatedLabel]),
    );
    estimates.set(policyId, { policyId, result, items });
  }
  return estimates;
}

export type AnswerSource = 'gold' | 'settled' | 'estimated';

/** The right answer a judgement is scored against, and where it came from. */
export interface Reference {
  violating: boolean;
  nuance: string | null;
  source: AnswerSource;
  /** For a settled label: how it was reached, and the note of the decision that settled it. */
  provenance?: LabelProvenance;
  note?: string | null;
  /** For an estimate: its posterior probability and how many moderators labelled the item. */
  probability?: number;
  reviewers?: number;
}

export interface ScoredJudgement extends Judgement {
  reference: Reference;
  correct: boolean;
}

/**
 * Scores each judgement against the best answer there is: the gold answer on
 * a gold case; else the label that stands for the item, unless that label is
 * this very decision alone (a single review, a senior's or an appeal's own
 * decision would always be "right"; a consensus label is every reviewer's);
 * else Dawid–Skene's estimate, when at least two moderators labelled the item.
 * Judgements with none of these cannot be scored and are left out.
 */
export function scoreJudgements(judgements: readonly Judgement[], settled: readonly SettledLabelRecord[], estimates: ReadonlyMap<string, PolicyEstimate>): ScoredJudgement[] {
  const standing = new Map(settled.map((s) => [s.contentId, s]));
  // A standing label's reference is the same for every judgement it applies to: made once.
  const settledRefs = new Grouping<Reference>();
  const references: (Reference | null)[] = new Array(judgements.length);
  // Items left to an estimate, by policy: only their judgements are grouped as peers (most items have a label that stands).
  const pending = new Grouping<Judgement[]>();
  for (let i = 0; i < judgements.length; i++) {
    const j = judgements[i];
    let reference = j.gold ? goldReference(j.gold) : null;
    const label = reference ? undefined : standing.get(j.contentId);
    if (label && (label.decisionId !== j.decisionId || label.provenance === 'consensus')) {
      reference = settledRefs.get(j.policyId, j.contentId) ?? null;
      if (!reference) settledRefs.set(j.policyId, j.contentId, (reference = settledReference(label, j.policyId)));
    }
    references[i] = reference;
    if (!reference && !pending.get(j.policyId, j.contentId)) pending.set(j.policyId, j.contentId, []);
  }
  // The judgements of each pending item and policy: an estimate's nuance and note come from them.
  for (const j of judgements) pending.get(j.policyId, j.contentId)?.push(j);
  // An estimate's reference is the same for every judgement of its item and policy: made once.
  const estimated = new Grouping<Reference | null>();
  const out: ScoredJudgement[] = [];
  for (let i = 0; i < judgements.length; i++) {
    const j = judgements[i];
    let reference = references[i];
    if (!reference) {
      const known = estimated.get(j.policyId, j.contentId);
      reference = known !== undefined ? known : estimatedReference(estimates.get(j.policyId)?.items.get(j.contentId), pending.get(j.policyId, j.contentId) as Judgement[]);
      if (known === undefined) estimated.set(j.policyId, j.contentId, reference);
    }
    if (reference) {
      // Written out, not spread: a spread copy of this many fields can leave V8 with slow (dictionary) objects, and reports read them in every loop.
      out.push({
        decisionId: j.decisionId,
        contentId: j.contentId,
        queueId: j.queueId,
        moderatorId: j.moderatorId,
        team: j.team,
        policyId: j.policyId,
        asked: j.asked,
        given: j.given,
        givenNuance: j.givenNuance,
        gold: j.gold,
        note: j.note,
        at: j.at,
        reference,
        correct: j.given === reference.violating,
      });
    }
  }
  return out;
}

function goldReference(gold: NonNullable<Judgement['gold']>): Reference {
  return { violating: gold.violating, nuance: gold.nuance, source: 'gold' };
}

/** The label that stands, for a judgement other than the one that set it alone. */
function settledReference(label: SettledLabelRecord, policyId: string): Reference {
  // A gold item's answer is also written as the item's label (provenance gold): it is the gold answer still.
  const source = label.provenance === 'gold' ? 'gold' : 'settled';
  return { violating: violates(label.labels, policyId), nuance: nuanceOf(label.labels, policyId), source, provenance: label.provenance, note: label.note };
}

/** Dawid–Skene's estimate, when at least two moderators labelled the item; null otherwise. */
function estimatedReference(estimate: EstimatedLabel | undefined, peers: readonly Judgement[]): Reference | null {
  if (!estimate || estimate.reviewers < 2) return null;
  const agreeing = peers.filter((o) => o.given === estimate.violating);
  return {
    violating: estimate.violating,
    nuance: commonestNuance(agreeing),
    source: 'estimated',
    probability: estimate.probability,
    reviewers: estimate.reviewers,
    // The latest note of a moderator whose answer matched the estimate: why the majority saw it that way.
    note: agreeing.map((o) => o.note?.trim()).filter(Boolean).pop() ?? null,
  };
}

/** The nuance most named (ties: the first in id order), or null when none was. */
function commonestNuance(judgements: readonly Judgement[]): string | null {
  const counts = new Map<string, number>();
  for (const o of judgements) if (o.givenNuance) counts.set(o.givenNuance, (counts.get(o.givenNuance) ?? 0) + 1);
  let best: string | null = null;
  for (const [nuance, count] of [...counts].sort((a, b) => compareStrings(a[0], b[0]))) if (best === null || count > (counts.get(best) as number)) best = nuance;
  return best;
}
