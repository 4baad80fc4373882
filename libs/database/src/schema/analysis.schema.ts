import { sql } from 'drizzle-orm';
import { bigint, check, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, timestampTz, updatedAt } from './columns';
import { contents } from './contents.schema';

/**
 * The virality tiers an item crossed (views per hour). The primary key is
 * what makes "re-reviewed at most once per tier" hold under concurrent
 * batches: the second writer of a tier finds it taken.
 */
export const contentViralityTiers = pgTable(
  'content_virality_tiers',
  {
    contentId: uuid('content_id')
      .notNull()
      .references(() => contents.id, { onDelete: 'cascade' }),
    /** The tier's threshold, in views per hour. */
    tier: integer('tier').notNull(),
    velocityPerHour: doublePrecision('velocity_per_hour').notNull(),
    views: bigint('views', { mode: 'number' }).notNull(),
    /** rescore (re-scored and re-matched only) or review (and sent to human review). */
    action: text('action').$type<'rescore' | 'review'>().notNull(),
    /** What the re-check found and did: the new decision's outcome, the case opened. */
    outcome: text('outcome'),
    caseId: uuid('case_id'),
    crossedAt: timestampTz('crossed_at').notNull(),
    /** Set once the re-score and re-match ran (a job; null while it is pending). */
    checkedAt: timestampTz('checked_at'),
  },
  (t) => [primaryKey({ columns: [t.contentId, t.tier] }), index('content_virality_tiers_pending_idx').on(t.crossedAt).where(sql`${t.checkedAt} is null`)],
);

/**
 * A retro-hunt: recent allowed content re-matched against a bank's new
 * entries, or re-scored by a newly promoted model, in the background. One
 * runs at a time; `cursor` (a content id, in id order) lets a retry resume.
 */
export const retroHunts = pgTable(
  'retro_hunts',
  {
    id: id(),
    trigger: text('trigger').$type<'bank' | 'model'>().notNull(),
    status: text('status').$type<'queued' | 'running' | 'succeeded' | 'failed'>().notNull().default('queued'),
    /** A bank hunt: the bank, and the entries added at or after this point (its new entries). */
    bankId: uuid('bank_id'),
    entriesSince: timestampTz('entries_since'),
    /** A model hunt: the promoted model version. */
    modelVersionId: uuid('model_version_id'),
    /** Content created within this many days before the hunt started. */
    windowDays: integer('window_days').notNull(),
    total: integer('total').notNull().default(0),
    done: integer('done').notNull().default(0),
    found: integer('found').notNull().default(0),
    cursor: uuid('cursor'),
    failedReason: text('failed_reason'),
    requestedBy: uuid('requested_by'),
    startedAt: timestampTz('started_at'),
    finishedAt: timestampTz('finished_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [check('retro_hunts_trigger_check', sql`${t.trigger} in ('bank','model')`)],
);

/** What a retro-hunt caught: one row per item, counted as a catch of the bank entry or model version. */
export const retroHuntFindings = pgTable(
  'retro_hunt_findings',
  {
    id: id(),
    huntId: uuid('hunt_id')
      .notNull()
      .references(() => retroHunts.id, { onDelete: 'cascade' }),
    contentId: uuid('content_id')
      .notNull()
      .references(() => contents.id, { onDelete: 'cascade' }),
    /** removed or in_review: what happened to the item, as for new content. */
    outcome: text('outcome').notNull(),
    bankEntryId: uuid('bank_entry_id'),
    distance: integer('distance'),
    modelVersion: text('model_version'),
    score: doublePrecision('score'),
    policyIds: text('policy_ids').array().notNull().default(sql`'{}'::text[]`),
    caseId: uuid('case_id'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('retro_hunt_findings_key').on(t.huntId, t.contentId)],
);

/**
 * An emerging trend: a term that bursts, a new visual cluster, a bank
 * entry or bank whose match rate surges. `subject` names it (the term, the
 * cluster's key, the bank entry's or bank's id); one alert per subject and
 * burst start, so re-detecting a running burst updates it.
 */
export const trendAlerts = pgTable(
  'trend_alerts',
  {
    id: id(),
    kind: text('kind').$type<'term_burst' | 'visual_cluster' | 'bank_surge'>().notNull(),
    subject: text('subject').notNull(),
    policyId: text('policy_id'),
    status: text('status').$type<'open' | 'acknowledged'>().notNull().default('open'),
    /** When the burst began (the first bin above baseline), and the latest bin seen in it. */
    firstSeenAt: timestampTz('first_seen_at').notNull(),
    lastSeenAt: timestampTz('last_seen_at').notNull(),
    count: integer('count').notNull(),
    baseline: doublePrecision('baseline').notNull(),
    lift: doublePrecision('lift').notNull(),
    /** Example content ids, related terms, per-bin counts: what an analyst looks at. */
    evidence: jsonb('evidence').$type<Record<string, unknown>>().notNull(),
    acknowledgedBy: uuid('acknowledged_by'),
    acknowledgedAt: timestampTz('acknowledged_at'),
    note: text('note'),
    /**
     * Work made from it: the review queue its items went to, and how many; for
     * a watch, until when new uploads carrying its term are held for review.
     */
    work: jsonb('work').$type<Array<{ kind: 'review_queue' | 'labelling_batch' | 'watch'; queueId: string; items: number; at: string; until?: string }>>().notNull().default([]),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('trend_alerts_subject_key').on(t.kind, t.subject, t.firstSeenAt),
    index('trend_alerts_status_idx').on(t.status, t.lastSeenAt),
    check('trend_alerts_kind_check', sql`${t.kind} in ('term_burst','visual_cluster','bank_surge')`),
  ],
);

/**
 * A moderator's (or a team's) training pack: the items of one policy, and
 * nuance, they got wrong, with the right answers and why. `accuracyBefore`
 * is fixed when the pack is made; accuracy after `deliveredAt` is
 * computed live and set beside it.
 */
export const trainingPacks = pgTable('training_packs', {
  id: id(),
  moderatorId: uuid('moderator_id'),
  team: text('team'),
  policyId: text('policy_id').notNull(),
  nuance: text('nuance'),
  items: jsonb('items').$type<Array<{ contentId: string; given: boolean; correct: boolean; nuance: string | null; reason: string; source: string }>>().notNull(),
  accuracyBefore: doublePrecision('accuracy_before'),
  decisionsBefore: integer('decisions_before').notNull().default(0),
  createdBy: uuid('created_by'),
  createdAt: createdAt(),
  /** When the training took place; accuracy after it is compared with accuracyBefore. */
  deliveredAt: timestampTz('delivered_at'),
});
