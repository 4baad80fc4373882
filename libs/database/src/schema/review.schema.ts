import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, doublePrecision, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, timestampTz, updatedAt } from './columns';
import { contents } from './contents.schema';
import { Outcome } from './decisions.schema';

export const REVIEW_TASK_STATUSES = ['open', 'leased', 'done'] as const;
export type ReviewTaskStatus = (typeof REVIEW_TASK_STATUSES)[number];

export const reviewTasks = pgTable(
  'review_tasks',
  {
    id: id(),
    contentId: uuid('content_id')
      .notNull()
      .references(() => contents.id, { onDelete: 'cascade' }),
    queue: text('queue').notNull().default('default'),
    status: text('status').$type<ReviewTaskStatus>().notNull().default('open'),
    priority: doublePrecision('priority').notNull(),
    reason: text('reason').notNull(),
    leaseHolderId: uuid('lease_holder_id'),
    leaseExpiresAt: timestampTz('lease_expires_at'),
    completedAt: timestampTz('completed_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('review_tasks_claim_idx').on(t.queue, t.status, t.priority, t.createdAt),
    // One live task per content item: a second trigger merges into it.
    uniqueIndex('review_tasks_live_content_idx').on(t.contentId).where(sql`${t.status} <> 'done'`),
    check('review_tasks_status_check', sql`${t.status} in ('open','leased','done')`),
  ],
);

/** One policy judgement inside a decision. */
export interface PolicyLabel {
  policyId: string;
  violating: boolean;
  nuance?: string;
}

export const reviewDecisions = pgTable(
  'review_decisions',
  {
    id: id(),
    taskId: uuid('task_id')
      .notNull()
      .references(() => reviewTasks.id, { onDelete: 'cascade' }),
    contentId: uuid('content_id')
      .notNull()
      .references(() => contents.id, { onDelete: 'cascade' }),
    moderatorId: uuid('moderator_id').notNull(),
    labels: jsonb('labels').$type<PolicyLabel[]>().notNull(),
    outcome: text('outcome').$type<Outcome>().notNull(),
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('review_decisions_task_moderator_idx').on(t.taskId, t.moderatorId)],
);

export const LABEL_PROVENANCES = ['single_review'] as const;
export type LabelProvenance = (typeof LABEL_PROVENANCES)[number];

/** The model's view of the item at review time, kept beside the human label for training. */
export interface ScoreSnapshot {
  modelId: string;
  modelVersion: string;
  outputs: Record<string, number>;
  policyScores: Record<string, number>;
}

export const trainingLabels = pgTable(
  'training_labels',
  {
    id: id(),
    contentId: uuid('content_id')
      .notNull()
      .references(() => contents.id, { onDelete: 'cascade' }),
    decisionId: uuid('decision_id').references(() => reviewDecisions.id, { onDelete: 'set null' }),
    labels: jsonb('labels').$type<PolicyLabel[]>().notNull(),
    outcome: text('outcome').$type<Outcome>().notNull(),
    provenance: text('provenance').$type<LabelProvenance>().notNull(),
    labellerId: uuid('labeller_id').notNull(),
    labelledAt: timestampTz('labelled_at').notNull(),
    modelScores: jsonb('model_scores').$type<ScoreSnapshot[]>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('training_labels_labelled_at_idx').on(t.labelledAt)],
);
