import { sql } from 'drizzle-orm';
import { boolean, doublePrecision, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns';
import type { RoutingConditions } from '@loupe/vocabulary';

/** A review queue: work for one policy area, language and region, with its SLA and review rules. */
export const reviewQueues = pgTable('review_queues', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  policyIds: text('policy_ids').array().notNull().default(sql`'{}'::text[]`),
  languages: text('languages').array().notNull().default(sql`'{}'::text[]`),
  regions: text('regions').array().notNull().default(sql`'{}'::text[]`),
  /** Only senior moderators take its tasks: escalations and consensus disagreements go here. */
  seniorOnly: boolean('senior_only').notNull().default(false),
  slaMinutes: integer('sla_minutes').notNull().default(1440),
  /** Independent blind reviews a case needs (1 = a single review). */
  consensusReviews: integer('consensus_reviews').notNull().default(1),
  /** Share of claims answered with a gold task, whose answer is known. */
  goldRate: doublePrecision('gold_rate').notNull().default(0),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** Routing as data: the first enabled rule, by position, whose conditions hold picks the queue. */
export const routingRules = pgTable('routing_rules', {
  id: id(),
  position: integer('position').notNull(),
  name: text('name').notNull(),
  enabled: boolean('enabled').notNull().default(true),
  conditions: jsonb('conditions').$type<RoutingConditions>().notNull().default({}),
  queueId: text('queue_id')
    .notNull()
    .references(() => reviewQueues.id),
  /** Overrides the queue's consensus for cases this rule routes (e.g. 3 reviews when the model is unsure). */
  consensusReviews: integer('consensus_reviews'),
  createdBy: uuid('created_by'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
