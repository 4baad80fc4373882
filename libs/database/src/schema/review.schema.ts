import { sql } from 'drizzle-orm';
import { boolean, check, doublePrecision, index, integer, jsonb, pgTable, smallint, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, timestampTz, updatedAt } from './columns';
import { contents } from './contents.schema';
import type { CaseSource, CaseStatus, LabelProvenance, Outcome, PolicyLabel, ReviewTaskStatus, ScoreSnapshot, Severity } from '@loupe/vocabulary';

/**
 * One reason to have humans look at one item: its queue, priority and SLA,
 * how many independent reviews it needs, and how it ended. A case has one
 * task per review it needs (plus a senior one when reviewers disagree).
 */
export const reviewCases = pgTable(
  'review_cases',
  {
    id: id(),
    contentId: uuid('content_id')
      .notNull()
      .references(() => contents.id, { onDelete: 'cascade' }),
    queueId: text('queue_id').notNull(),
    source: text('source').$type<CaseSource>().notNull(),
    status: text('status').$type<CaseStatus>().notNull().default('open'),
    severity: text('severity').$type<Severity>().notNull(),
    policyIds: text('policy_ids').array().notNull().default(sql`'{}'::text[]`),
    reason: text('reason').notNull(),
    priority: doublePrecision('priority').notNull(),
    slaDeadline: timestampTz('sla_deadline').notNull(),
    /** When the SLA monitor found the case still undecided past its deadline; null while it is within it. */
    slaBreachedAt: timestampTz('sla_breached_at'),
    requiredReviews: integer('required_reviews').notNull().default(1),
    reportsCount: integer('reports_count').notNull().default(0),
    /** Moderators who may not take a task of this case: its reviewers, those who skipped it, an appeal's original deciders. */
    excludedModerators: uuid('excluded_moderators').array().notNull().default(sql`'{}'::uuid[]`),
    goldItemId: uuid('gold_item_id'),
    appealId: uuid('appeal_id'),
    finalOutcome: text('final_outcome').$type<Outcome>(),
    provenance: text('provenance').$type<LabelProvenance>(),
    agreement: doublePrecision('agreement'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    decidedAt: timestampTz('decided_at'),
  },
  (t) => [
    // One live case per item and kind of work: a report on an item already in review merges into its case.
    uniqueIndex('review_cases_live_content_idx')
      .on(t.contentId)
      .where(sql`${t.status} in ('open','escalated') and ${t.source} not in ('gold','appeal')`),
    index('review_cases_content_idx').on(t.contentId),
    // The SLA monitor's scan: live cases not yet found in breach, by deadline.
    index('review_cases_sla_watch_idx')
      .on(t.slaDeadline)
      .where(sql`${t.status} in ('open','escalated') and ${t.slaBreachedAt} is null`),
    index('review_cases_sla_breached_idx').on(t.queueId, t.slaBreachedAt).where(sql`${t.slaBreachedAt} is not null`),
    check('review_cases_status_check', sql`${t.status} in ('open','escalated','decided','cancelled')`),
  ],
);

export const reviewTasks = pgTable(
  'review_tasks',
  {
    id: id(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => reviewCases.id, { onDelete: 'cascade' }),
    contentId: uuid('content_id')
      .notNull()
      .references(() => contents.id, { onDelete: 'cascade' }),
    // The queue id; the column predates queues as rows.
    queue: text('queue').notNull().default('default'),
    status: text('status').$type<ReviewTaskStatus>().notNull().default('open'),
    /**
     * The case's priority times its SLA urgency (1, rising in quarter steps to
     * 2 at the deadline), kept here so that a claim reads one table in index order.
     */
    priority: doublePrecision('priority').notNull(),
    /** 1 once the case breached its SLA: overdue work is offered before any work still within its SLA. */
    slaRank: smallint('sla_rank').notNull().default(0),
    severity: text('severity').$type<Severity>().notNull().default('medium'),
    seniorOnly: boolean('senior_only').notNull().default(false),
    reason: text('reason').notNull(),
    leaseHolderId: uuid('lease_holder_id'),
    leasedAt: timestampTz('leased_at'),
    leaseExpiresAt: timestampTz('lease_expires_at'),
    completedAt: timestampTz('completed_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // A claim walks unfinished tasks in priority order and stops at the first it may take,
    // so its cost does not grow with the length of the queue.
    index('review_tasks_claimable_idx')
      .on(t.slaRank.desc(), t.priority.desc(), t.createdAt)
      .where(sql`${t.status} in ('open','leased')`),
    index('review_tasks_queue_claimable_idx')
      .on(t.queue, t.slaRank.desc(), t.priority.desc(), t.createdAt)
      .where(sql`${t.status} in ('open','leased')`),
    index('review_tasks_case_idx').on(t.caseId),
    index('review_tasks_holder_idx').on(t.leaseHolderId),
    check('review_tasks_status_check', sql`${t.status} in ('open','leased','done','cancelled')`),
  ],
);

export const reviewDecisions = pgTable(
  'review_decisions',
  {
    id: id(),
    taskId: uuid('task_id')
      .notNull()
      .references(() => reviewTasks.id, { onDelete: 'cascade' }),
    caseId: uuid('case_id')
      .notNull()
      .references(() => reviewCases.id, { onDelete: 'cascade' }),
    contentId: uuid('content_id')
      .notNull()
      .references(() => contents.id, { onDelete: 'cascade' }),
    moderatorId: uuid('moderator_id').notNull(),
    labels: jsonb('labels').$type<PolicyLabel[]>().notNull(),
    outcome: text('outcome').$type<Outcome>().notNull(),
    /** What the moderator asked to be done, e.g. remove, allow, age_restrict; the outcome follows the labels. */
    action: text('action'),
    note: text('note'),
    /** From claim to decision. */
    timeSpentMs: integer('time_spent_ms'),
    /** Gold tasks only: whether the labels matched the known answer. */
    goldCorrect: boolean('gold_correct'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('review_decisions_task_moderator_idx').on(t.taskId, t.moderatorId)],
);

export const trainingLabels = pgTable(
  'training_labels',
  {
    id: id(),
    contentId: uuid('content_id')
      .notNull()
      .references(() => contents.id, { onDelete: 'cascade' }),
    decisionId: uuid('decision_id').references(() => reviewDecisions.id, { onDelete: 'set null' }),
    caseId: uuid('case_id'),
    labels: jsonb('labels').$type<PolicyLabel[]>().notNull(),
    outcome: text('outcome').$type<Outcome>().notNull(),
    provenance: text('provenance').$type<LabelProvenance>().notNull(),
    /** Share of the reviewers whose verdict matched the final one (1 for a single review). */
    agreement: doublePrecision('agreement').notNull().default(1),
    /** Every moderator whose decision went into the label; labeller_id is the one who settled it. */
    moderatorIds: uuid('moderator_ids').array().notNull().default(sql`'{}'::uuid[]`),
    /** Whether the settling moderator was passing gold checks when they labelled; null without gold history. */
    labellerPassingGold: boolean('labeller_passing_gold'),
    labellerId: uuid('labeller_id').notNull(),
    labelledAt: timestampTz('labelled_at').notNull(),
    modelScores: jsonb('model_scores').$type<ScoreSnapshot[]>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('training_labels_labelled_at_idx').on(t.labelledAt), index('training_labels_content_idx').on(t.contentId)],
);
