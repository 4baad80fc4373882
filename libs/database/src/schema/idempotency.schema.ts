import { index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { apiKeys } from './api-keys.schema';
import { createdAt, timestampTz } from './columns';

/**
 * Idempotency-Key records: the first request with a key claims it (the
 * primary key makes a concurrent repeat lose), and its response is kept for
 * repeats until `expires_at`. Keys are scoped to the API key that sent them.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    apiKeyId: uuid('api_key_id')
      .notNull()
      .references(() => apiKeys.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    /** SHA-256 of the method, path and body: the same key with another request is refused. */
    fingerprint: text('fingerprint').notNull(),
    /** Which claim holds the key while it is in flight, so a late finish never overwrites a takeover. */
    claimToken: uuid('claim_token').notNull(),
    /** Null while the first request is in flight. */
    statusCode: integer('status_code'),
    /** The response body as sent, so a repeat gets the same bytes. */
    responseBody: text('response_body'),
    createdAt: createdAt(),
    expiresAt: timestampTz('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.key] }), index('idempotency_keys_expires_idx').on(t.expiresAt)],
);
