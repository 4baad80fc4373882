import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, pgTable, primaryKey, smallint, text, uuid } from 'drizzle-orm/pg-core';
import { timestampTz, updatedAt } from './columns';
import { contents } from './contents.schema';

/*
 * Incremental rollups behind the analysts' reports, so a report over a
 * quarter of a large platform reads what was folded in rather than every
 * row of the quarter again.
 */

/**
 * Items whose missed-violation facts must be computed again. Triggers on
 * the tables a violation is read from (a removal, an overturn, a
 * retro-hunt's removal, a gold answer, a viral re-check's removal, and any
 * change to such a row) upsert the item here in the writer's own
 * transaction, so nothing committed is ever left out, and a refresh takes
 * the rows with SKIP LOCKED, so it never folds in half of a transaction.
 */
export const analysisDirtyContents = pgTable('analysis_dirty_contents', {
  contentId: uuid('content_id').primaryKey(),
  markedAt: timestampTz('marked_at').notNull().default(sql`clock_timestamp()`),
});

/**
 * One item confirmed violating one policy: its first confirmation ever,
 * whether (and how) it was let through first, and what the model said on
 * arrival, as the pure code in domain/analysis/misses computed it from the
 * item's history; `record` holds that violation, `nearest` the banked hash
 * just beyond its bank's threshold (a missed item's, by the default margin).
 */
export const missViolations = pgTable(
  'miss_violations',
  {
    contentId: uuid('content_id')
      .notNull()
      .references(() => contents.id, { onDelete: 'cascade' }),
    policyId: text('policy_id').notNull(),
    confirmedAt: timestampTz('confirmed_at').notNull(),
    kind: text('kind').notNull(),
    region: text('region').notNull(),
    language: text('language').notNull(),
    missed: boolean('missed').notNull(),
    record: jsonb('record').$type<Record<string, unknown>>().notNull(),
    nearest: jsonb('nearest').$type<Record<string, unknown>>(),
    refreshedAt: timestampTz('refreshed_at').notNull().default(sql`clock_timestamp()`),
  },
  (t) => [primaryKey({ columns: [t.contentId, t.policyId] }), index('miss_violations_confirmed_idx').on(t.confirmedAt)],
);

/**
 * Acting model scores per UTC day, policy and hundredth of the score
 * (bin = floor(score × 100)), for days that have ended: a what-if's
 * "scores in [lower, upper)" over closed days is a sum of bins.
 */
export const scoreDayBins = pgTable(
  'score_day_bins',
  {
    day: date('day', { mode: 'string' }).notNull(),
    policyId: text('policy_id').notNull(),
    bin: smallint('bin').notNull(),
    scores: integer('scores').notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.policyId, t.bin] })],
);

/**
 * Binned days whose scores changed afterwards (a score written or moved
 * into a day already binned, or deleted from one): statement triggers on
 * model_scores mark them, and the next refresh bins them again.
 */
export const analysisDirtyScoreDays = pgTable('analysis_dirty_score_days', {
  day: date('day', { mode: 'string' }).primaryKey(),
});

/** Up to where each day-based rollup has folded in: `foldedUntil` is the start of the first day not folded yet. */
export const analysisRollupMarks = pgTable('analysis_rollup_marks', {
  name: text('name').primaryKey(),
  foldedUntil: timestampTz('folded_until').notNull(),
  updatedAt: updatedAt(),
});
