import { sql } from 'drizzle-orm';
import { boolean, check, doublePrecision, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from './columns';
import type { PolicyModelInput, PolicyNuance, Severity } from '@loupe/vocabulary';

export const policies = pgTable(
  'policies',
  {
    id: text('id').primaryKey(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    severity: text('severity').$type<Severity>().notNull(),
    reviewThreshold: doublePrecision('review_threshold').notNull(),
    removeThreshold: doublePrecision('remove_threshold').notNull(),
    modelInputs: jsonb('model_inputs').$type<PolicyModelInput[]>().notNull().default([]),
    nuances: jsonb('nuances').$type<PolicyNuance[]>().notNull().default([]),
    /** Cases under this policy always get the queue's consensus of independent reviews. */
    requiresConsensus: boolean('requires_consensus').notNull().default(false),
    catalogVersion: integer('catalog_version').notNull(),
    updatedBy: uuid('updated_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('policies_thresholds_check', sql`${t.reviewThreshold} between 0 and 1 and ${t.removeThreshold} between 0 and 1`),
    check('policies_severity_check', sql`${t.severity} in ('low','medium','high','critical')`),
  ],
);

export const policyCatalogVersions = pgTable('policy_catalog_versions', {
  version: integer('version').primaryKey(),
  checksum: text('checksum').notNull(),
  loadedAt: createdAt(),
});
