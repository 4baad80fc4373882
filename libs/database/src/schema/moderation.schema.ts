import { bigint, boolean, doublePrecision, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { apiKeys } from './api-keys.schema';
import { createdAt, id, timestampTz, updatedAt } from './columns';
import { contents } from './contents.schema';
import { contentDecisions } from './decisions.schema';
import type { AppealStatus, PolicyLabel, Severity } from '@loupe/vocabulary';

/** What Loupe knows of a moderator beyond their API key: team, seniority and preview preferences. */
export const moderatorProfiles = pgTable('moderator_profiles', {
  apiKeyId: uuid('api_key_id')
    .primaryKey()
    .references(() => apiKeys.id, { onDelete: 'cascade' }),
  team: text('team').notNull().default('default'),
  senior: boolean('senior').notNull().default(false),
  /** 0..100; null follows the organisation's default. */
  previewBlur: integer('preview_blur'),
  previewGreyscale: boolean('preview_greyscale'),
  updatedAt: updatedAt(),
});

/** A moderator was shown an item of this severity: the unit the exposure budget counts. */
export const moderatorExposures = pgTable(
  'moderator_exposures',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    moderatorId: uuid('moderator_id').notNull(),
    taskId: uuid('task_id').notNull(),
    severity: text('severity').$type<Severity>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('moderator_exposures_moderator_idx').on(t.moderatorId, t.createdAt)],
);

export const moderatorBreaks = pgTable(
  'moderator_breaks',
  {
    id: id(),
    moderatorId: uuid('moderator_id').notNull(),
    startedAt: timestampTz('started_at').notNull(),
    endsAt: timestampTz('ends_at').notNull(),
    /** Taken because the exposure budget asked for it, or by choice. */
    required: boolean('required').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index('moderator_breaks_moderator_idx').on(t.moderatorId, t.startedAt)],
);

/** Organisation-wide settings that admins change at run time (preview defaults). */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').$type<unknown>().notNull(),
  updatedBy: uuid('updated_by'),
  updatedAt: updatedAt(),
});

/** An item with a known answer, injected into queues to score moderators. */
export const goldItems = pgTable('gold_items', {
  id: id(),
  contentId: uuid('content_id')
    .notNull()
    .references(() => contents.id, { onDelete: 'cascade' }),
  labels: jsonb('labels').$type<PolicyLabel[]>().notNull(),
  active: boolean('active').notNull().default(true),
  createdBy: uuid('created_by'),
  createdAt: createdAt(),
});

export const contentReports = pgTable(
  'content_reports',
  {
    id: id(),
    contentId: uuid('content_id')
      .notNull()
      .references(() => contents.id, { onDelete: 'cascade' }),
    policyId: text('policy_id').notNull(),
    reason: text('reason').notNull(),
    reporterRef: text('reporter_ref'),
    caseId: uuid('case_id'),
    createdAt: createdAt(),
  },
  (t) => [index('content_reports_content_idx').on(t.contentId)],
);

export const appeals = pgTable(
  'appeals',
  {
    id: id(),
    contentId: uuid('content_id')
      .notNull()
      .references(() => contents.id, { onDelete: 'cascade' }),
    /** The decision appealed against. */
    decisionId: uuid('decision_id')
      .notNull()
      .references(() => contentDecisions.id),
    statement: text('statement').notNull().default(''),
    status: text('status').$type<AppealStatus>().notNull().default('open'),
    caseId: uuid('case_id'),
    createdAt: createdAt(),
    decidedAt: timestampTz('decided_at'),
  },
  (t) => [index('appeals_content_idx').on(t.contentId)],
);

/** View-count observations, from which reach and view velocity are derived. */
export const contentViewSamples = pgTable(
  'content_view_samples',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    contentId: uuid('content_id')
      .notNull()
      .references(() => contents.id, { onDelete: 'cascade' }),
    views: bigint('views', { mode: 'number' }).notNull(),
    velocityPerHour: doublePrecision('velocity_per_hour').notNull().default(0),
    /** Shares and user reports counted by the platform by then, when it sends them (cumulative). */
    shares: bigint('shares', { mode: 'number' }),
    reports: bigint('reports', { mode: 'number' }),
    observedAt: timestampTz('observed_at').notNull(),
  },
  (t) => [index('content_view_samples_content_idx').on(t.contentId, t.observedAt)],
);

