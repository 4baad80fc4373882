import { sql } from 'drizzle-orm';
import { bigserial, boolean, integer, jsonb, pgTable, primaryKey, text, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { DatasetCounts, DatasetFilter, DatasetRules, FeatureBackfillStatus, ModelSignature, ServingState, TrainingProgress, TrainingRunStatus, TrainingTrigger } from '@loupe/vocabulary';
import { createdAt, id, timestampTz, updatedAt } from './columns';

/**
 * A dataset's record: its rows live in files under DATA_DIR/datasets/<id>/
 * (a manifest and rows.jsonl), written before this row, so a row here always
 * has its files.
 */
export const datasets = pgTable('datasets', {
  id: id(),
  name: text('name').notNull(),
  filter: jsonb('filter').$type<DatasetFilter>().notNull(),
  rules: jsonb('rules').$type<DatasetRules>().notNull(),
  counts: jsonb('counts').$type<DatasetCounts>().notNull(),
  rowCount: integer('row_count').notNull(),
  /** sha256 of the rows in canonical form: the same filter over the same labels gives the same hash. */
  rowsHash: text('rows_hash').notNull(),
  createdBy: uuid('created_by'),
  createdAt: createdAt(),
});

/**
 * A training run: queued, running, then succeeded, failed or cancelled. At
 * most one is queued or running at a time (the partial unique index), so a
 * second request finds the first rather than starting a race.
 */
export const trainingRuns = pgTable(
  'training_runs',
  {
    id: id(),
    status: text('status').$type<TrainingRunStatus>().notNull().default('queued'),
    trigger: text('trigger').$type<TrainingTrigger>().notNull(),
    /** The dataset it trained on: given, or made by the run from `datasetFilter`. */
    datasetId: uuid('dataset_id').references(() => datasets.id),
    datasetFilter: jsonb('dataset_filter').$type<DatasetFilter>(),
    params: jsonb('params').$type<Record<string, unknown>>().notNull(),
    progress: jsonb('progress').$type<TrainingProgress>(),
    /** Why it failed, in plain words; or what was left out (policies with too few labels). */
    message: text('message'),
    modelVersionId: uuid('model_version_id'),
    codeVersion: text('code_version').notNull(),
    cancelRequested: boolean('cancel_requested').notNull().default(false),
    requestedBy: uuid('requested_by'),
    startedAt: timestampTz('started_at'),
    finishedAt: timestampTz('finished_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('training_runs_one_active').on(sql`(true)`).where(sql`${t.status} in ('queued', 'running')`)],
);

/**
 * A backfill of stored features: embeds, for one backbone, the classified
 * items that have no item embedding from it (or one without mid_gem, stored
 * before that readout existed). At most one is queued or running at a time
 * (the partial unique index). `cursor` is the last content id it got past,
 * in id order: a retried job resumes after it.
 */
export const featureBackfills = pgTable(
  'feature_backfills',
  {
    id: id(),
    status: text('status').$type<FeatureBackfillStatus>().notNull().default('queued'),
    /** The backbone's id and version it embeds with, e.g. nsfwjs-mobilenetv2@4.3.0. */
    backbone: text('backbone').notNull(),
    requestedBy: uuid('requested_by'),
    /** Items found to need features when it started (or resumed: done so far plus those left). */
    total: integer('total').notNull().default(0),
    done: integer('done').notNull().default(0),
    embedded: integer('embedded').notNull().default(0),
    /** Items with no model input left to embed (its derived file was removed). */
    skipped: integer('skipped').notNull().default(0),
    cursor: uuid('cursor'),
    failedReason: text('failed_reason'),
    startedAt: timestampTz('started_at'),
    finishedAt: timestampTz('finished_at'),
    createdAt: createdAt(),
    /** Moved by every write, progress included: an active backfill that has not moved for long lost its process. */
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('feature_backfills_one_active').on(sql`(true)`).where(sql`${t.status} in ('queued', 'running')`)],
);

/** A version of a named model: its ONNX artefact (content-addressed), lineage, evaluation and card. */
export const modelVersions = pgTable(
  'model_versions',
  {
    id: id(),
    modelName: text('model_name').notNull(),
    version: integer('version').notNull(),
    source: text('source').$type<'trained' | 'uploaded' | 'exported'>().notNull(),
    format: text('format').notNull().default('onnx'),
    artefactSha256: text('artefact_sha256').notNull(),
    artefactBytes: integer('artefact_bytes').notNull(),
    /** The inputs it reads and the policy of each output. */
    signature: jsonb('signature').$type<ModelSignature>().notNull(),
    policies: text('policies').array().notNull(),
    /** Proposed per policy; they take effect when the version is promoted. */
    thresholds: jsonb('thresholds').$type<Record<string, { review: number; remove: number }>>().notNull(),
    evaluation: jsonb('evaluation').$type<Record<string, unknown>>(),
    gates: jsonb('gates').$type<Record<string, unknown>>(),
    gatesPassed: boolean('gates_passed'),
    card: jsonb('card').$type<Record<string, unknown>>().notNull(),
    datasetId: uuid('dataset_id').references(() => datasets.id),
    trainingRunId: uuid('training_run_id'),
    parentVersionId: uuid('parent_version_id'),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
  },
  (t) => [unique('model_versions_name_version').on(t.modelName, t.version)],
);

/** Named pointers to versions (champion, challenger, any other); moving one is audited. */
export const modelAliases = pgTable(
  'model_aliases',
  {
    modelName: text('model_name').notNull(),
    alias: text('alias').notNull(),
    versionId: uuid('version_id')
      .notNull()
      .references(() => modelVersions.id),
    updatedBy: uuid('updated_by'),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.modelName, t.alias] })],
);

/**
 * What serves what, as an append-only history: each row holds the whole
 * serving state after one change (promotion, rollback, a shadow or canary
 * started or stopped). The latest row is the state now; the latest row at
 * or before a time is the state then. Processes poll the latest seq.
 */
export const modelDeployments = pgTable('model_deployments', {
  seq: bigserial('seq', { mode: 'number' }).primaryKey(),
  action: text('action').$type<'promote' | 'rollback' | 'deploy'>().notNull(),
  modelName: text('model_name').notNull(),
  versionId: uuid('version_id'),
  state: jsonb('state').$type<ServingState>().notNull(),
  reason: text('reason'),
  actorId: uuid('actor_id'),
  createdAt: createdAt(),
});
