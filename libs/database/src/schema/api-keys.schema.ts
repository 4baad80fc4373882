import { sql } from 'drizzle-orm';
import { boolean, check, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, timestampTz } from './columns';
import type { Role } from '@loupe/vocabulary';

export const apiKeys = pgTable(
  'api_keys',
  {
    id: id(),
    name: text('name').notNull(),
    role: text('role').$type<Role>().notNull(),
    /** SHA-256 of the secret; the secret itself is shown once and never stored. */
    keyHash: text('key_hash').notNull().unique(),
    /** Shown to tell keys apart: the start of a generated key, or `seeded` for an operator's key, which reveals nothing of it. */
    keyPrefix: text('key_prefix').notNull(),
    /** Seeded from LOUPE_ADMIN_KEY: rotating the variable revokes the older seeded keys at boot. */
    seeded: boolean('seeded').notNull().default(false),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    revokedAt: timestampTz('revoked_at'),
  },
  (t) => [check('api_keys_role_check', sql`${t.role} in ('admin','service','moderator','ml_engineer','analyst')`)],
);
