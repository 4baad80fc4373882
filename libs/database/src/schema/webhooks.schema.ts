import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, timestampTz, updatedAt } from './columns';
import type { WebhookDeliveryStatus } from '@loupe/vocabulary';

/**
 * A platform's endpoint for outgoing webhooks. The secret is kept in the
 * clear because every delivery is signed with it (an HMAC needs the key, not
 * a hash of it); the API shows it once, at creation, like an API key.
 */
export const webhookSubscriptions = pgTable('webhook_subscriptions', {
  id: id(),
  url: text('url').notNull(),
  /** Event types wanted, from the catalog in libs/domain/src/webhooks. */
  events: text('events').array().notNull(),
  secret: text('secret').notNull(),
  description: text('description').notNull().default(''),
  enabled: boolean('enabled').notNull().default(true),
  createdBy: uuid('created_by'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * The outbox: one row per event, written in the transaction of the change it
 * describes. `body` is the exact JSON sent, so every retry signs the same bytes.
 */
export const webhookEvents = pgTable('webhook_events', {
  id: id(),
  type: text('type').notNull(),
  body: text('body').notNull(),
  createdAt: createdAt(),
});

/** One event for one subscription, created with the event (fan-out at publish time). */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: id(),
    /** Insertion order, for stable paging (timestamps tie). */
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    subscriptionId: uuid('subscription_id')
      .notNull()
      .references(() => webhookSubscriptions.id, { onDelete: 'cascade' }),
    eventId: uuid('event_id')
      .notNull()
      .references(() => webhookEvents.id, { onDelete: 'cascade' }),
    eventType: text('event_type').notNull(),
    status: text('status').$type<WebhookDeliveryStatus>().notNull().default('pending'),
    /** Bumped by a replay, so the replay's job id differs from the spent one's. */
    round: integer('round').notNull().default(0),
    /** Attempts in the current round. */
    attempts: integer('attempts').notNull().default(0),
    lastAttemptAt: timestampTz('last_attempt_at'),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    deliveredAt: timestampTz('delivered_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_subscription_event_idx').on(t.subscriptionId, t.eventId),
    index('webhook_deliveries_subscription_status_idx').on(t.subscriptionId, t.status, t.seq),
    // The sweep reads only the pending ones.
    index('webhook_deliveries_pending_idx').on(t.seq).where(sql`${t.status} = 'pending'`),
    check('webhook_deliveries_status_check', sql`${t.status} in ('pending','delivered','dead')`),
  ],
);
