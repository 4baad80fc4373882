/**
 * The report's figures, from the ground truth (the world) and what happened
 * (the ledger). Pure: the end-to-end test calls it on the same inputs, and
 * recomputes a few figures its own way from the world and Loupe's answers.
 *
 * Definitions, per violating item (true violation of any policy):
 * - removed before any view: removed, and no view came before the removal;
 * - missed: seen by at least one user while it was up (its first view came
 *   before any removal, or it was never removed);
 * - pending: neither (held in review, unseen, when the run ended);
 * - removed within 24 h: removed no later than 24 simulated hours after upload.
 */
import { HOUR, World, WorldItem } from '../world/world';
import type { ItemRecord, Ledger, RetrainRecord, ReviewRecord, StepRecord } from '../driver/ledger';

export interface RemovalFigures {
  violating: number;
  removed: number;
  removedBeforeAnyView: number;
  removedWithin24h: number;
  missed: number;
  pending: number;
  shareBeforeAnyView: number | null;
  shareWithin24h: number | null;
  missRate: number | null;
}

export interface Figures {
  uploads: number;
  uploaded: number;
  violating: number;
  ingest: Record<string, number>;
  removal: { overall: RemovalFigures; byPolicy: Record<string, RemovalFigures>; byCategory: Record<string, RemovalFigures>; byMedium: Record<string, RemovalFigures> };
  /** Per simulated hour of upload: violating items uploaded, missed, and the miss rate. */
  missRateByHour: { hour: number; violating: number; missed: number; rate: number | null }[];
  /** What the missed violations were: category, count, mean model score (adult nudity) at ingest. */
  missedBreakdown: { category: string; count: number; meanScore: number | null }[];
  wrongRemovals: { benignRemoved: number; byIngest: number; byHumans: number; other: number };
  humanCost: {
    reviews: number;
    reviewsPer1000Uploads: number;
    /** Of reviews other than quality samples. */
    queueWaitMinutes: { p50: number | null; p99: number | null };
    reviewerHours: number;
    shareOfTimeOnBenign: number | null;
    bySource: Record<string, number>;
  };
  appeals: { filed: number; decided: number; overturned: number; upheld: number; overturnRate: number | null; wrongRemovals: number; wrongRemovalsCaught: number; violationsReinstated: number };
  moderators: { name: string; reviews: number; accuracyVsTruth: number | null; edReviews: number; edAccuracyVsTruth: number | null }[];
  /** Per moderator and policy: labels given and the share right against the truth. */
  moderatorPolicies: { name: string; policyId: string; labels: number; accuracyVsTruth: number }[];
  trend: {
    startHour: number | null;
    items: number;
    removedBeforeAnyView: number;
    missed: number;
    recall: number | null;
    /** The analyst's watch (the first made): its hashtag and hour; what it held at ingest, and how many of those truly violate. */
    watch: { subject: string; atHour: number; policyId: string | null; held: number; heldViolating: number; heldTrend: number } | null;
  };
  /**
   * The scheduled retrainings, and per policy the share of violations removed
   * before any view among items uploaded before the first promotion and after it
   * (the trend's own items as the policy `trend`).
   */
  learning: {
    retrains: RetrainRecord[];
    /** The promotion learning is judged by: the first that learned the trend's policy, else the first after the trend began, else the first. */
    firstPromotionAt: number | null;
    recallBeforeAfter: { policyId: string; before: RecallSide; after: RecallSide }[];
  };
  views: { total: number; onViolating: number };
  reports: { total: number; onViolating: number };
  steps: StepRecord[];
  /** The platform's history, labelled before simulated 0 (null: none). */
  history: { items: number; uploaded: number; ingest: Record<string, number>; reported: number; reviews: number; leftOpen: number; realSeconds: number } | null;
  /** Gold checks: items registered, the default queue's gold rate, gold tasks decided in the day and how many were right in truth (null: none). */
  gold: { items: number; rate: number | null; reviews: number; right: number } | null;
}

/** Nearest-rank percentile of `values` (not sorted in place); null when empty. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/**
 * Recall on one side of a promotion: of the violating items uploaded then,
 * the share removed before any view among those whose fate is known when
 * the run ends. An item still held in review, unseen, is pending: neither a
 * catch nor a miss yet. The side after a promotion ends with the run, so it
 * holds most of the pending items (uploaded in the last hours, not reviewed
 * yet), and counting them as misses would show a regression that is only
 * the queue's backlog.
 */
export interface RecallSide {
  violating: number;
  removedBeforeAnyView: number;
  pending: number;
  /** removedBeforeAnyView / (violating − pending); null when no item's fate is known. */
  share: number | null;
}

export function recallSide(records: readonly (ItemRecord | undefined)[]): RecallSide {
  let removedBeforeAnyView = 0;
  let pending = 0;
  for (const record of records) {
    const fate = fateOf(record);
    if (fate === 'before_view') removedBeforeAnyView++;
    else if (fate === 'pending') pending++;
  }
  const known = records.length - pending;
  return { violating: records.length, removedBeforeAnyView, pending, share: known > 0 ? removedBeforeAnyView / known : null };
}

/** One violating item's fate. */
export function fateOf(record: ItemRecord | undefined): 'before_view' | 'missed' | 'pending' {
  if (!record) return 'pending';
  const removedFirst = record.removedAt !== null && (record.firstViewAt === null || record.removedAt <= record.firstViewAt);
  if (removedFirst) return 'before_view';
  if (record.firstViewAt !== null) return 'missed';
  return 'pending';
}

function removalFigures(pairs: [WorldItem, ItemRecord | undefined][]): RemovalFigures {
  const violating = pairs.length;
  let removed = 0;
  let before = 0;
  let within = 0;
  let missed = 0;
  let pending = 0;
  for (const [item, record] of pairs) {
    if (record?.removedAt != null) {
      removed++;
      if (record.removedAt - item.uploadAt <= 24 * HOUR) within++;
    }
    const fate = fateOf(record);
    if (fate === 'before_view') before++;
    else if (fate === 'missed') missed++;
    else pending++;
  }
  const share = (n: number) => (violating ? n / violating : null);
  return { violating, removed, removedBeforeAnyView: before, removedWithin24h: within, missed, pending, shareBeforeAnyView: share(before), shareWithin24h: share(within), missRate: share(missed) };
}

function groupBy<K extends string>(pairs: [WorldItem, ItemRecord | undefined][], key: (item: WorldItem) => K[]): Record<K, RemovalFigures> {
  const groups = new Map<K, [WorldItem, ItemRecord | undefined][]>();
  for (const pair of pairs) for (const k of key(pair[0])) groups.set(k, [...(groups.get(k) ?? []), pair]);
  return Object.fromEntries([...groups.entries()].sort().map(([k, v]) => [k, removalFigures(v)])) as Record<K, RemovalFigures>;
}

export function computeFigures(world: World, ledger: Ledger): Figures {
  const pairs = world.items.map((item) => [item, ledger.items[item.index]] as [WorldItem, ItemRecord | undefined]);
  const violatingPairs = pairs.filter(([item]) => item.violates.length > 0);
  const ingest: Record<string, number> = {};
  for (const [, record] of pairs) if (record) ingest[`${record.ingestStatus}${record.ingestSource ? ` (${record.ingestSource})` : ''}`] = (ingest[`${record.ingestStatus}${record.ingestSource ? ` (${record.ingestSource})` : ''}`] ?? 0) + 1;

  const hours = world.config.hours;
  const missRateByHour = Array.from({ length: hours }, (_, hour) => {
    const inHour = violatingPairs.filter(([item]) => Math.floor(item.uploadAt / HOUR) === hour);
    const missed = inHour.filter(([, r]) => fateOf(r) === 'missed').length;
    return { hour, violating: inHour.length, missed, rate: inHour.length ? missed / inHour.length : null };
  });
  const missedByCategory = new Map<string, { count: number; scores: number[] }>();
  for (const [item, record] of violatingPairs) {
    if (fateOf(record) !== 'missed') continue;
    const entry = missedByCategory.get(item.category) ?? { count: 0, scores: [] };
    entry.count++;
    if (record?.score !== null && record?.score !== undefined) entry.scores.push(record.score);
    missedByCategory.set(item.category, entry);
  }
  const missedBreakdown = [...missedByCategory.entries()]
    .map(([category, e]) => ({ category, count: e.count, meanScore: e.scores.length ? e.scores.reduce((a, b) => a + b, 0) / e.scores.length : null }))
    .sort((a, b) => b.count - a.count);

  const benignRemoved = pairs.filter(([item, r]) => item.violates.length === 0 && r?.removedAt != null);
  const wrongRemovals = {
    benignRemoved: benignRemoved.length,
    byIngest: benignRemoved.filter(([, r]) => r!.removedBy === 'hash' || r!.removedBy === 'model').length,
    byHumans: benignRemoved.filter(([, r]) => r!.removedBy === 'human').length,
    other: benignRemoved.filter(([, r]) => r!.removedBy === 'other').length,
  };

  const reviews: ReviewRecord[] = ledger.reviews;
  // Quality samples wait at priority 0 by design (the item is allowed meanwhile): their wait is not a queue's delay.
  const waits = reviews.filter((r) => r.source !== 'sample').map((r) => (r.claimedAt - r.enteredAt) / 60_000);
  // Gold tasks are reviewers' time too: in the cost, under their own source.
  const gold = ledger.gold?.reviews ?? [];
  const goldBenign = gold.filter((r) => r.labels.every((l) => !l.truth));
  const totalSeconds = reviews.reduce((sum, r) => sum + r.seconds, 0) + gold.reduce((sum, r) => sum + r.seconds, 0);
  const benignSeconds = reviews.filter((r) => r.benign).reduce((sum, r) => sum + r.seconds, 0) + goldBenign.reduce((sum, r) => sum + r.seconds, 0);
  const bySource: Record<string, number> = {};
  for (const r of [...reviews, ...gold]) bySource[r.source] = (bySource[r.source] ?? 0) + 1;
  const uploaded = pairs.filter(([, r]) => r).length;

  const appealed = pairs.filter(([, r]) => r?.appealedAt != null);
  const decidedAppeals = appealed.filter(([, r]) => r!.appealOutcome !== null);
  const overturned = decidedAppeals.filter(([, r]) => r!.appealOutcome === 'overturned');

  const moderators = world.moderators.map((m) => {
    const mine = reviews.filter((r) => r.moderator === m.name);
    const ed = mine.filter((r) => world.items[r.index].nuance !== undefined);
    return {
      name: m.name,
      reviews: mine.length,
      accuracyVsTruth: mine.length ? mine.filter((r) => r.correct).length / mine.length : null,
      edReviews: ed.length,
      edAccuracyVsTruth: ed.length ? ed.filter((r) => r.correct).length / ed.length : null,
    };
  });

  const cells = new Map<string, { name: string; policyId: string; labels: number; right: number }>();
  // The history's reviews and the gold tasks count here: Loupe's estimates rest on them too.
  for (const r of [...reviews, ...(ledger.history?.reviews ?? []), ...gold]) {
    for (const label of r.labels) {
      const key = `${r.moderator}\u0000${label.policyId}`;
      const cell = cells.get(key) ?? { name: r.moderator, policyId: label.policyId, labels: 0, right: 0 };
      cell.labels++;
      if (label.violating === label.truth) cell.right++;
      cells.set(key, cell);
    }
  }
  const moderatorPolicies = [...cells.values()]
    .map((c) => ({ name: c.name, policyId: c.policyId, labels: c.labels, accuracyVsTruth: c.right / c.labels }))
    .sort((a, b) => a.policyId.localeCompare(b.policyId) || a.name.localeCompare(b.name));

  const trendPairs = violatingPairs.filter(([item]) => item.trend);
  const trendFigures = removalFigures(trendPairs);

  // The promotion to judge learning by: the first that learned the trend's policy, else the first after the trend began, else the first.
  const promoted = ledger.retrains.filter((r) => r.promoted);
  const trendStartAt = world.trend.startAt;
  const firstPromotion =
    promoted.find((r) => trendStartAt !== null && r.at > trendStartAt && r.promotedPolicies.includes(world.trend.policyId)) ??
    promoted.find((r) => trendStartAt !== null && r.at > trendStartAt) ??
    promoted[0] ??
    null;
  const firstPromotionAt = firstPromotion?.at ?? null;
  const side = (list: [WorldItem, ItemRecord | undefined][]) => recallSide(list.map(([, r]) => r));
  const policyIds = [...new Set(violatingPairs.flatMap(([item]) => item.violates))].sort();
  const recallBeforeAfter =
    firstPromotionAt === null
      ? []
      : [...policyIds.map((policyId) => ({ policyId, pick: (item: WorldItem) => item.violates.includes(policyId) && !item.trend })), { policyId: 'trend', pick: (item: WorldItem) => item.trend }].map(
          ({ policyId, pick }) => ({
            policyId,
            before: side(violatingPairs.filter(([item]) => pick(item) && item.uploadAt < firstPromotionAt)),
            after: side(violatingPairs.filter(([item]) => pick(item) && item.uploadAt >= firstPromotionAt)),
          }),
        );

  return {
    uploads: world.items.length,
    uploaded,
    violating: violatingPairs.length,
    ingest,
    removal: {
      overall: removalFigures(violatingPairs),
      byPolicy: groupBy(violatingPairs, (item) => item.violates),
      byCategory: groupBy(violatingPairs, (item) => [item.category]),
      byMedium: groupBy(violatingPairs, (item) => [item.media.video ? 'clip' : 'picture']),
    },
    missRateByHour,
    missedBreakdown,
    wrongRemovals,
    humanCost: {
      reviews: reviews.length + gold.length,
      reviewsPer1000Uploads: uploaded ? ((reviews.length + gold.length) * 1000) / uploaded : 0,
      queueWaitMinutes: { p50: percentile(waits, 50), p99: percentile(waits, 99) },
      reviewerHours: totalSeconds / 3600,
      shareOfTimeOnBenign: totalSeconds ? benignSeconds / totalSeconds : null,
      bySource,
    },
    appeals: {
      filed: appealed.length,
      decided: decidedAppeals.length,
      overturned: overturned.length,
      upheld: decidedAppeals.length - overturned.length,
      overturnRate: decidedAppeals.length ? overturned.length / decidedAppeals.length : null,
      wrongRemovals: benignRemoved.length,
      wrongRemovalsCaught: overturned.filter(([item]) => item.violates.length === 0).length,
      violationsReinstated: overturned.filter(([item]) => item.violates.length > 0).length,
    },
    moderators,
    moderatorPolicies,
    trend: {
      startHour: world.config.trendStartHour !== null && world.config.trendStartHour < hours ? world.config.trendStartHour : null,
      items: trendPairs.length,
      removedBeforeAnyView: trendFigures.removedBeforeAnyView,
      missed: trendFigures.missed,
      recall: trendFigures.shareBeforeAnyView,
      watch: watchFigures(world, ledger, pairs),
    },
    learning: { retrains: ledger.retrains, firstPromotionAt, recallBeforeAfter },
    history: ledger.history && {
      items: ledger.history.items,
      uploaded: ledger.history.uploaded,
      ingest: ledger.history.ingest,
      reported: ledger.history.reported,
      reviews: ledger.history.reviews.length,
      leftOpen: ledger.history.leftOpen,
      realSeconds: ledger.history.realSeconds,
    },
    gold: ledger.gold && { items: ledger.gold.items, rate: ledger.gold.rate, reviews: gold.length, right: gold.filter((r) => r.correct).length },
    views: {
      total: pairs.reduce((sum, [, r]) => sum + (r?.views ?? 0), 0),
      onViolating: violatingPairs.reduce((sum, [, r]) => sum + (r?.views ?? 0), 0),
    },
    reports: {
      total: pairs.reduce((sum, [, r]) => sum + (r?.reports.length ?? 0), 0),
      onViolating: violatingPairs.reduce((sum, [, r]) => sum + (r?.reports.length ?? 0), 0),
    },
    steps: ledger.steps,
  };
}

function watchFigures(world: World, ledger: Ledger, pairs: [WorldItem, ItemRecord | undefined][]): Figures['trend']['watch'] {
  const watch = ledger.watches.find((w) => w.error === null);
  if (!watch) return null;
  const held = pairs.filter(([, r]) => r?.ingestSource === 'rule').map(([item]) => item);
  return {
    subject: watch.subject,
    atHour: watch.at / HOUR,
    policyId: watch.policyId,
    held: held.length,
    heldViolating: held.filter((item) => item.violates.length > 0).length,
    heldTrend: held.filter((item) => item.trend).length,
  };
}
