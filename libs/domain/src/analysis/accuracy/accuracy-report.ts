/*
 * The moderator accuracy report, as pure logic over judgements: per
 * moderator and policy, accuracy on gold (Wilson interval), Dawid–Skene's
 * estimated rates and accuracy against the best answer there is (as scored,
 * and re-weighted to each moderator's whole mix of judgements); agreement
 * per pair of moderators and per queue; and the (team, policy, nuance) cells
 * where accuracy is lowest, for targeted training.
 */
import { fleissKappa, pairwiseCohensKappa } from './agreement';
import { binaryRates } from './dawid-skene';
import { goldAccuracy, ProportionInterval, wilsonInterval } from './gold-accuracy';
import { groupBy2 } from './grouping';
import { inTimeOrder, type Judgement, type PolicyEstimate, type ScoredJudgement } from './judgements';
import { compareStrings } from './labels';
import { weightedAccuracy, type WeightedFigures } from './weighted-accuracy';

export interface ModeratorRef {
  id: string;
  name: string;
  team: string;
}

export interface GoldFigures {
  reviews: number;
  correct: number;
  accuracy: number;
  interval: ProportionInterval;
}

export interface EstimatedFigures {
  /** Items this moderator labelled under the policy. */
  labels: number;
  /** P(answered violating | violating). */
  sensitivity: number;
  /** P(answered not violating | not violating). */
  specificity: number;
  /** Σ_k prior_k · confusion[k][k]: the share right on items drawn as the policy's items are. */
  accuracy: number;
}

export interface ObservedFigures {
  /** Judgements scored against gold, a label that stands, or an estimate. */
  decisions: number;
  correct: number;
  accuracy: number;
  interval: ProportionInterval;
}

export interface ModeratorPolicyAccuracy {
  moderatorId: string;
  name: string | null;
  team: string;
  policyId: string;
  gold: GoldFigures | null;
  estimated: EstimatedFigures | null;
  observed: ObservedFigures | null;
  /** `observed`, re-weighted to the mix of all this moderator's judgements under the policy (asked or not, answer given). */
  weighted: WeightedFigures | null;
}

export interface PairAgreement {
  policyId: string;
  moderatorA: string;
  moderatorB: string;
  sharedItems: number;
  observedAgreement: number | null;
  kappa: number | null;
  note?: string;
}

export interface QueueAgreement {
  queueId: string;
  policyId: string;
  /** Items with at least two moderators' labels. */
  items: number;
  ratings: number;
  observedAgreement: number | null;
  kappa: number | null;
  note?: string;
}

/** A (team, policy, nuance) cell: how often the team's scored judgements there were right. */
export interface TrainingCell {
  team: string;
  policyId: string;
  /** The right answer's nuance; null where it names none. */
  nuance: string | null;
  decisions: number;
  correct: number;
  accuracy: number;
  interval: ProportionInterval;
  moderators: number;
}

/** How Dawid–Skene went for one policy: what the moderators' rates above rest on. */
export interface EstimateSummary {
  policyId: string;
  items: number;
  labels: number;
  moderators: number;
  /** The estimated share of items that violate. */
  prevalence: number;
  iterations: number;
  converged: boolean;
}

export interface AccuracyFigures {
  moderators: ModeratorPolicyAccuracy[];
  /** Per policy, by id. */
  estimates: EstimateSummary[];
  pairs: PairAgreement[];
  queues: QueueAgreement[];
  /** Lowest accuracy first. */
  weakest: TrainingCell[];
}

export interface AccuracyFilter {
  /** Only this team's moderators (rows, pairs with one of them, and cells); queues are not cut by team. */
  team?: string;
}

function group<T>(values: Iterable<T>, key: (value: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const value of values) {
    const k = key(value);
    const list = groups.get(k);
    if (list) list.push(value);
    else groups.set(k, [value]);
  }
  return groups;
}

function observed(scored: readonly ScoredJudgement[]): ObservedFigures {
  let correct = 0;
  for (const s of scored) if (s.correct) correct++;
  return { decisions: scored.length, correct, accuracy: correct / scored.length, interval: wilsonInterval(correct, scored.length) as ProportionInterval };
}

// A key per moderator and policy (a few hundred per report); ids hold no NUL.
const pairKey = (a: string, b: string) => a + '\u0000' + b;
const pairOf = (key: string) => key.split('\u0000') as [string, string];

export function accuracyFigures(
  judgements: readonly Judgement[],
  scored: readonly ScoredJudgement[],
  estimates: ReadonlyMap<string, PolicyEstimate>,
  moderators: readonly ModeratorRef[],
  filter: AccuracyFilter = {},
): AccuracyFigures {
  const known = new Map(moderators.map((m) => [m.id, m]));
  const teamOf = new Map(judgements.map((j) => [j.moderatorId, j.team]));
  const inTeam = (moderatorId: string) => !filter.team || (known.get(moderatorId)?.team ?? teamOf.get(moderatorId)) === filter.team;

  // Gold: each gold judgement once (a gold answer is per decision and policy).
  const gold = new Map(
    goldAccuracy(judgements.filter((j) => j.gold).map((j) => ({ moderatorId: j.moderatorId, policy: j.policyId, label: j.given, gold: (j.gold as { violating: boolean }).violating }))).map((g) => [
      pairKey(g.moderatorId, g.policy),
      { reviews: g.reviews, correct: g.correct, accuracy: g.accuracy, interval: g.interval } satisfies GoldFigures,
    ]),
  );
  const estimated = new Map<string, EstimatedFigures>();
  for (const estimate of estimates.values()) {
    const priors = estimate.result.priors;
    for (const w of estimate.result.workers) {
      const { sensitivity, specificity } = binaryRates(w.confusion);
      estimated.set(pairKey(w.workerId, estimate.policyId), { labels: w.labels, sensitivity, specificity, accuracy: priors[0] * specificity + priors[1] * sensitivity });
    }
  }
  const scoredBy = new Map<string, ScoredJudgement[]>();
  for (const [moderatorId, policyId, list] of groupBy2(scored, (s) => s.moderatorId, (s) => s.policyId).sortedEntries()) scoredBy.set(pairKey(moderatorId, policyId), list);

  // Every judgement, scored or not, per moderator and policy: the mix the weighted accuracy is drawn to.
  const judgedBy = groupBy2(judgements, (j) => j.moderatorId, (j) => j.policyId);

  const keys = new Set([...gold.keys(), ...estimated.keys(), ...scoredBy.keys()]);
  const rows: ModeratorPolicyAccuracy[] = [];
  for (const key of keys) {
    const [moderatorId, policyId] = pairOf(key);
    if (!inTeam(moderatorId)) continue;
    const own = scoredBy.get(key);
    rows.push({
      moderatorId,
      name: known.get(moderatorId)?.name ?? null,
      team: known.get(moderatorId)?.team ?? teamOf.get(moderatorId) ?? 'default',
      policyId,
      gold: gold.get(key) ?? null,
      estimated: estimated.get(key) ?? null,
      observed: own ? observed(own) : null,
      weighted: own ? weightedAccuracy(judgedBy.get(moderatorId, policyId) ?? own, own) : null,
    });
  }
  rows.sort((a, b) => compareStrings(a.policyId, b.policyId) || compareStrings(a.name ?? a.moderatorId, b.name ?? b.moderatorId) || compareStrings(a.moderatorId, b.moderatorId));

  // Agreement is about the same item: judgements in time order, so that a moderator's later label on an item replaces the earlier one.
  // One rating per judgement, made once and grouped twice (by policy, and by queue and policy).
  const ratings = inTimeOrder(judgements).map((j) => ({ itemId: j.contentId, raterId: j.moderatorId, label: j.given, queueId: j.queueId, policyId: j.policyId }));
  const pairs: PairAgreement[] = [];
  for (const [policyId, list] of [...group(ratings, (r) => r.policyId)].sort((a, b) => compareStrings(a[0], b[0]))) {
    for (const p of pairwiseCohensKappa(list)) {
      if (!inTeam(p.raterA) && !inTeam(p.raterB)) continue;
      pairs.push({ policyId, moderatorA: p.raterA, moderatorB: p.raterB, sharedItems: p.n, observedAgreement: p.observedAgreement, kappa: p.kappa, ...(p.note ? { note: p.note } : {}) });
    }
  }
  const queues: QueueAgreement[] = [];
  for (const [queueId, policyId, list] of groupBy2(ratings, (r) => r.queueId, (r) => r.policyId).sortedEntries()) {
    const f = fleissKappa(list);
    if (f.n === 0) continue;
    queues.push({ queueId, policyId, items: f.n, ratings: f.ratings, observedAgreement: f.observedAgreement, kappa: f.kappa, ...(f.note ? { note: f.note } : {}) });
  }
  const summaries = [...estimates.values()]
    .sort((a, b) => compareStrings(a.policyId, b.policyId))
    .map(({ policyId, result }) => ({
      policyId,
      items: result.items.length,
      labels: result.workers.reduce((sum, w) => sum + w.labels, 0),
      moderators: result.workers.length,
      prevalence: result.priors[1],
      iterations: result.iterations,
      converged: result.converged,
    }));
  return { moderators: rows, estimates: summaries, pairs, queues, weakest: weakestCells(scored.filter((s) => inTeam(s.moderatorId))) };
}

/** Accuracy per (team, policy, nuance of the right answer), lowest first; ties: more decisions first, then by name. */
export function weakestCells(scored: readonly ScoredJudgement[]): TrainingCell[] {
  const cells: TrainingCell[] = [];
  const lists: ScoredJudgement[][] = [];
  for (const list of groupBy2(scored, (s) => s.team, (s) => s.policyId).values()) lists.push(...group(list, (s) => s.reference.nuance ?? '\u0001').values());
  for (const list of lists) {
    const figures = observed(list);
    cells.push({
      team: list[0].team,
      policyId: list[0].policyId,
      nuance: list[0].reference.nuance,
      decisions: figures.decisions,
      correct: figures.correct,
      accuracy: figures.accuracy,
      interval: figures.interval,
      moderators: new Set(list.map((s) => s.moderatorId)).size,
    });
  }
  return cells.sort(
    (a, b) =>
      a.accuracy - b.accuracy ||
      b.decisions - a.decisions ||
      compareStrings(a.team, b.team) ||
      compareStrings(a.policyId, b.policyId) ||
      compareStrings(a.nuance ?? '', b.nuance ?? ''),
  );
}
