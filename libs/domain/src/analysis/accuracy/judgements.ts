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
import { compareStrings } from './labels';

export interface Judgement {
  decisionId: string;
  contentId: string;
  caseId: string;
  queueId: string;
  moderatorId: string;
  team: string;
  policyId: string;
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
  for (const r of reviews) {
    const policies = new Set([...r.casePolicyIds, ...r.labels.map((l) => l.policyId), ...(r.gold ?? []).map((l) => l.policyId)]);
    for (const p of [...policies].sort(compareStrings)) {
      if (policyId && p !== policyId) continue;
      out.push({
        decisionId: r.decisionId,
        contentId: r.contentId,
        caseId: r.caseId,
        queueId: r.queueId,
        moderatorId: r.moderatorId,
        team: r.team,
        policyId: p,
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

/** Each moderator's latest judgement per item: a re-review is their final answer, and Dawid–Skene takes one label per reviewer and item. */
function latestPerModerator(judgements: readonly Judgement[]): Judgement[] {
  const latest = new Map<string, Judgement>();
  for (const j of judgements) {
    const key = `${j.contentId}\u0000${j.moderatorId}`;
    const current = latest.get(key);
    if (!current || j.at.getTime() > current.at.getTime() || (j.at.getTime() === current.at.getTime() && j.decisionId > current.decisionId)) latest.set(key, j);
  }
  return [...latest.values()].sort((a, b) => a.at.getTime() - b.at.getTime() || compareStrings(a.decisionId, b.decisionId));
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
  // The judgements of each item and policy, grouped once: an estimate's nuance and note come from them.
  const peers = new Map<string, Judgement[]>();
  for (const j of judgements) {
    const key = `${j.contentId}\u0000${j.policyId}`;
    const list = peers.get(key);
    if (list) list.push(j);
    else peers.set(key, [j]);
  }
  const out: ScoredJudgement[] = [];
  for (const j of judgements) {
    const estimate = estimates.get(j.policyId)?.items.get(j.contentId);
    const reference = referenceFor(j, standing.get(j.contentId), estimate, peers.get(`${j.contentId}\u0000${j.policyId}`) as Judgement[]);
    if (reference) out.push({ ...j, reference, correct: j.given === reference.violating });
  }
  return out;
}

function referenceFor(j: Judgement, label: SettledLabelRecord | undefined, estimate: EstimatedLabel | undefined, peers: readonly Judgement[]): Reference | null {
  if (j.gold) return { violating: j.gold.violating, nuance: j.gold.nuance, source: 'gold' };
  if (label && (label.decisionId !== j.decisionId || label.provenance === 'consensus')) {
    // A gold item's answer is also written as the item's label (provenance gold): it is the gold answer still.
    const source = label.provenance === 'gold' ? 'gold' : 'settled';
    return { violating: violates(label.labels, j.policyId), nuance: nuanceOf(label.labels, j.policyId), source, provenance: label.provenance, note: label.note };
  }
  if (estimate && estimate.reviewers >= 2) {
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
  return null;
}

/** The nuance most named (ties: the first in id order), or null when none was. */
function commonestNuance(judgements: readonly Judgement[]): string | null {
  const counts = new Map<string, number>();
  for (const o of judgements) if (o.givenNuance) counts.set(o.givenNuance, (counts.get(o.givenNuance) ?? 0) + 1);
  let best: string | null = null;
  for (const [nuance, count] of [...counts].sort((a, b) => compareStrings(a[0], b[0]))) if (best === null || count > (counts.get(best) as number)) best = nuance;
  return best;
}
