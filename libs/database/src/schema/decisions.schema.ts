import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
import { contents } from './contents.schema';
import type { DecisionSource, Outcome } from '@loupe/vocabulary';

/**
 * Every routing outcome a content item ever had, newest last; the content's
 * status mirrors the newest row. Nothing here is updated in place.
 */
export const contentDecisions = pgTable(
  'content_decisions',
  {
    id: id(),
    contentId: uuid('content_id')
      .notNull()
      .references(() => contents.id, { onDelete: 'cascade' }),
    outcome: text('outcome').$type<Outcome>().notNull(),
    source: text('source').$type<DecisionSource>().notNull(),
    reason: text('reason').notNull(),
    policyIds: text('policy_ids').array().notNull().default(sql`'{}'::text[]`),
    modelVersion: text('model_version'),
    bankEntryId: uuid('bank_entry_id'),
    matchDistance: integer('match_distance'),
    actorId: uuid('actor_id'),
    /** Set on a decision that reverses an earlier one (an appeal overturned): which one. */
    overturnsDecisionId: uuid('overturns_decision_id'),
    /** The thresholds in force when a model decided, so later changes do not rewrite history. */
    thresholds: jsonb('thresholds').$type<Record<string, { review: number; remove: number }>>(),
    createdAt: createdAt(),
  },
  (t) => [
    index('content_decisions_content_idx').on(t.contentId, t.createdAt),
    // "Was this decision overturned?" is asked of every decision a report reads; few ever are.
    index('content_decisions_overturns_idx').on(t.overturnsDecisionId).where(sql`${t.overturnsDecisionId} is not null`),
    check('content_decisions_outcome_check', sql`${t.outcome} in ('removed','in_review','allowed')`),
    check('content_decisions_source_check', sql`${t.source} in ('hash','model','human','rule')`),
  ],
);
