import { index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns';
import { SignalType } from './contents.schema';

export const hashBanks = pgTable('hash_banks', {
  id: id(),
  name: text('name').notNull().unique(),
  description: text('description').notNull().default(''),
  policyId: text('policy_id'),
  createdAt: createdAt(),
});

export const BANK_ENTRY_SOURCES = ['content', 'import', 'manual'] as const;
export type BankEntrySource = (typeof BANK_ENTRY_SOURCES)[number];

export const hashBankEntries = pgTable(
  'hash_bank_entries',
  {
    id: id(),
    bankId: uuid('bank_id')
      .notNull()
      .references(() => hashBanks.id, { onDelete: 'cascade' }),
    signalType: text('signal_type').$type<SignalType>().notNull(),
    hash: text('hash').notNull(),
    quality: integer('quality').notNull(),
    source: text('source').$type<BankEntrySource>().notNull(),
    contentId: uuid('content_id'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('hash_bank_entries_bank_hash_idx').on(t.bankId, t.signalType, t.hash),
    index('hash_bank_entries_content_idx').on(t.contentId),
  ],
);
