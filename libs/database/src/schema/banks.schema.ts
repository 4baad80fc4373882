import { sql } from 'drizzle-orm';
import { bigint, boolean, check, doublePrecision, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, timestampTz, updatedAt } from './columns';
import type { BankAction, BankImportStatus, BankKind, SignalType } from '@loupe/vocabulary';

export const hashBanks = pgTable(
  'hash_banks',
  {
    id: id(),
    name: text('name').notNull().unique(),
    description: text('description').notNull().default(''),
    kind: text('kind').$type<BankKind>().notNull().default('block'),
    policyId: text('policy_id'),
    action: text('action').$type<BankAction>().notNull().default('remove'),
    /** Share of matches that are actioned, for a gradual roll-out of a new list; the rest are only recorded. */
    enabledRatio: doublePrecision('enabled_ratio').notNull().default(1),
    /** PDQ Hamming distance at or below which an entry matches (per bank, as HMA users ask for). */
    pdqDistance: integer('pdq_distance').notNull().default(31),
    /** vPDQ: share of the query's frames that must match, and of the banked video's frames. */
    vpdqQueryPercent: doublePrecision('vpdq_query_percent').notNull().default(80),
    vpdqComparedPercent: doublePrecision('vpdq_compared_percent').notNull().default(0),
    /** An entry is quarantined when refutations reach this share of its feedback... */
    quarantineRefuteRate: doublePrecision('quarantine_refute_rate').notNull().default(0.5),
    /** ...once it has at least this much feedback. */
    quarantineMinFeedback: integer('quarantine_min_feedback').notNull().default(3),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('hash_banks_kind_check', sql`${t.kind} in ('block','allow')`),
    check('hash_banks_action_check', sql`${t.action} in ('remove','review')`),
    check('hash_banks_ratio_check', sql`${t.enabledRatio} between 0 and 1`),
    check('hash_banks_pdq_distance_check', sql`${t.pdqDistance} between 0 and 256`),
  ],
);

/**
 * One banked piece of media: a PDQ hash, or a video's vPDQ frame hashes (in
 * bank_hash_items). `fingerprint` identifies it within a bank: the PDQ hex, or
 * a digest of the vPDQ frames, so the same media is never banked twice.
 */
export const hashBankEntries = pgTable(
  'hash_bank_entries',
  {
    id: id(),
    /** Insertion order, for stable paging (timestamps tie, and lose microseconds in JavaScript). */
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    bankId: uuid('bank_id')
      .notNull()
      .references(() => hashBanks.id, { onDelete: 'cascade' }),
    signalType: text('signal_type').$type<SignalType>().notNull(),
    // The column predates vPDQ, when the fingerprint was always the PDQ hash.
    fingerprint: text('hash').notNull(),
    quality: integer('quality').notNull(),
    frameCount: integer('frame_count').notNull().default(1),
    // Where the entry came from: 'content' (a moderator removed it), 'manual', or an import's own source label.
    source: text('source').notNull(),
    contentId: uuid('content_id'),
    note: text('note').notNull().default(''),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    enabled: boolean('enabled').notNull().default(true),
    disabledReason: text('disabled_reason'),
    quarantinedAt: timestampTz('quarantined_at'),
    confirmedCount: integer('confirmed_count').notNull().default(0),
    refutedCount: integer('refuted_count').notNull().default(0),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('hash_bank_entries_bank_fingerprint_idx').on(t.bankId, t.signalType, t.fingerprint),
    index('hash_bank_entries_bank_seq_idx').on(t.bankId, t.seq),
    index('hash_bank_entries_content_idx').on(t.contentId),
  ],
);

/**
 * The PDQ hashes the match index holds, each with a small integer id: one
 * per PDQ entry, one per frame of a vPDQ entry.
 */
export const bankHashItems = pgTable(
  'bank_hash_items',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    entryId: uuid('entry_id')
      .notNull()
      .references(() => hashBankEntries.id, { onDelete: 'cascade' }),
    bankId: uuid('bank_id').notNull(),
    frameNumber: integer('frame_number'),
    timestampSeconds: doublePrecision('timestamp_seconds'),
    hash: text('hash').notNull(),
    quality: integer('quality').notNull(),
  },
  (t) => [index('bank_hash_items_entry_idx').on(t.entryId)],
);

/**
 * What every process must apply to its in-memory index: items to add or drop.
 * Writers append a row in the same transaction as the change; each process
 * polls it. The database stays the authority on whether an entry is active.
 */
export const bankIndexChanges = pgTable('bank_index_changes', {
  seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  op: text('op').$type<'add' | 'remove'>().notNull(),
  itemIds: integer('item_ids').array().notNull(),
  createdAt: createdAt(),
});

export const bankImports = pgTable('bank_imports', {
  id: id(),
  bankId: uuid('bank_id')
    .notNull()
    .references(() => hashBanks.id, { onDelete: 'cascade' }),
  format: text('format').$type<'csv' | 'jsonl'>().notNull(),
  filePath: text('file_path').notNull(),
  status: text('status').$type<BankImportStatus>().notNull().default('pending'),
  linesRead: integer('lines_read').notNull().default(0),
  imported: integer('imported').notNull().default(0),
  duplicates: integer('duplicates').notNull().default(0),
  failed: integer('failed').notNull().default(0),
  /** The first errors, by line; `failed` counts them all. */
  errors: text('errors').array().notNull().default(sql`'{}'::text[]`),
  failureReason: text('failure_reason'),
  createdBy: uuid('created_by'),
  /** How often the recovery sweep re-queued the import, and when it last did. */
  recoveryAttempts: integer('recovery_attempts').notNull().default(0),
  recoveredAt: timestampTz('recovered_at'),
  createdAt: createdAt(),
  finishedAt: timestampTz('finished_at'),
});

/** Bank matches found for a content item, kept for feedback and analysis. */
export const contentMatches = pgTable(
  'content_matches',
  {
    id: id(),
    contentId: uuid('content_id').notNull(),
    entryId: uuid('entry_id')
      .notNull()
      .references(() => hashBankEntries.id, { onDelete: 'cascade' }),
    bankId: uuid('bank_id').notNull(),
    distance: integer('distance').notNull(),
    queryMatchPercent: doublePrecision('query_match_percent'),
    comparedMatchPercent: doublePrecision('compared_match_percent'),
    /** Why a match was or was not actioned: actioned, allow_listed, ratio, low_quality, allow_bank. */
    disposition: text('disposition').notNull(),
    /** Set once moderator feedback on this content has been counted for the entry. */
    feedback: text('feedback').$type<'confirmed' | 'refuted'>(),
    createdAt: createdAt(),
  },
  (t) => [index('content_matches_content_idx').on(t.contentId), index('content_matches_entry_idx').on(t.entryId)],
);
