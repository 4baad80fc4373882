import { integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import type { DatasetCounts, DatasetFilter, DatasetRules } from '@loupe/vocabulary';
import { createdAt, id } from './columns';

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
