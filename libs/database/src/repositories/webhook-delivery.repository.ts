import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { and, asc, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { WebhookDeliveryStatus } from '@loupe/vocabulary';
import { webhookDeliveries, webhookEvents, webhookSubscriptions } from '../schema';
import { RepositoryBase } from './repository.base';

export type WebhookEventRow = typeof webhookEvents.$inferSelect;
export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
export type WebhookDeliveryWithEvent = WebhookDeliveryRow & { body: string };

/** What one attempt needs: the delivery, where it goes, how to sign it and what to send. */
export interface WebhookDeliveryTarget {
  delivery: WebhookDeliveryRow;
  url: string;
  secret: string;
  enabled: boolean;
  body: string;
}

export interface WebhookAttemptResult {
  delivered: boolean;
  statusCode: number | null;
  error: string | null;
}

@Injectable()
export class WebhookDeliveryRepository extends RepositoryBase {
  /** The event and one pending delivery per subscription, in the caller's transaction. */
  async addEvent(type: string, body: (id: string) => string, subscriptionIds: string[]): Promise<{ event: WebhookEventRow; deliveries: WebhookDeliveryRow[] }> {
    // The id is chosen here because the body carries it.
    const id = randomUUID();
    const [event] = await this.db.insert(webhookEvents).values({ id, type, body: body(id) }).returning();
    const deliveries =
      subscriptionIds.length === 0
        ? []
        : await this.db
            .insert(webhookDeliveries)
            .values(subscriptionIds.map((subscriptionId) => ({ subscriptionId, eventId: event.id, eventType: type })))
            .returning();
    return { event, deliveries };
  }

  async target(deliveryId: string): Promise<WebhookDeliveryTarget | undefined> {
    const [row] = await this.db
      .select({
        delivery: webhookDeliveries,
        url: webhookSubscriptions.url,
        secret: webhookSubscriptions.secret,
        enabled: webhookSubscriptions.enabled,
        body: webhookEvents.body,
      })
      .from(webhookDeliveries)
      .innerJoin(webhookSubscriptions, eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId))
      .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
      .where(eq(webhookDeliveries.id, deliveryId));
    return row;
  }

  /** Records one attempt of the given round; a stale job (an older round, or a settled delivery) changes nothing. */
  async recordAttempt(deliveryId: string, round: number, result: WebhookAttemptResult): Promise<boolean> {
    const now = new Date();
    const rows = await this.db
      .update(webhookDeliveries)
      .set({
        attempts: sql`${webhookDeliveries.attempts} + 1`,
        lastAttemptAt: now,
        lastStatusCode: result.statusCode,
        lastError: result.error,
        updatedAt: now,
        ...(result.delivered ? { status: 'delivered' as const, deliveredAt: now } : {}),
      })
      .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.round, round), eq(webhookDeliveries.status, 'pending')))
      .returning({ id: webhookDeliveries.id });
    return rows.length > 0;
  }

  async markDead(deliveryId: string, round: number, error: string): Promise<void> {
    await this.db
      .update(webhookDeliveries)
      .set({ status: 'dead', lastError: error, updatedAt: new Date() })
      .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.round, round), eq(webhookDeliveries.status, 'pending')));
  }

  /** Puts a settled delivery back in line, in a new round with fresh attempts. */
  async replay(subscriptionId: string, deliveryId: string): Promise<WebhookDeliveryRow | undefined> {
    const [row] = await this.db
      .update(webhookDeliveries)
      .set({ status: 'pending', round: sql`${webhookDeliveries.round} + 1`, attempts: 0, lastError: null, lastStatusCode: null, deliveredAt: null, updatedAt: new Date() })
      .where(
        and(
          eq(webhookDeliveries.id, deliveryId),
          eq(webhookDeliveries.subscriptionId, subscriptionId),
          inArray(webhookDeliveries.status, ['dead', 'delivered']),
        ),
      )
      .returning();
    return row;
  }

  async find(subscriptionId: string, deliveryId: string): Promise<WebhookDeliveryWithEvent | undefined> {
    const [row] = await this.withEvent().where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.subscriptionId, subscriptionId)));
    return row && { ...row.delivery, body: row.body };
  }

  /** Newest first; pass the last `seq` of a page as `before` for the next one. */
  async list(subscriptionId: string, filter: { status?: WebhookDeliveryStatus; before?: number }, limit: number): Promise<WebhookDeliveryWithEvent[]> {
    const rows = await this.withEvent()
      .where(
        and(
          eq(webhookDeliveries.subscriptionId, subscriptionId),
          filter.status ? eq(webhookDeliveries.status, filter.status) : undefined,
          filter.before ? lt(webhookDeliveries.seq, filter.before) : undefined,
        ),
      )
      .orderBy(desc(webhookDeliveries.seq))
      .limit(limit);
    return rows.map((r) => ({ ...r.delivery, body: r.body }));
  }

  /** The oldest pending deliveries, for the sweep that re-queues what a crash or restart dropped. */
  async pending(limit: number): Promise<Pick<WebhookDeliveryRow, 'id' | 'round'>[]> {
    return this.db
      .select({ id: webhookDeliveries.id, round: webhookDeliveries.round })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.status, 'pending'))
      .orderBy(asc(webhookDeliveries.seq))
      .limit(limit);
  }

  /**
   * Deletes events older than `before` whose every delivery succeeded (their
   * deliveries go with them); an event with a delivery pending or dead stays,
   * since a retry or a replay still needs its exact body. Returns how many.
   */
  async pruneDelivered(before: Date, limit: number): Promise<number> {
    const result = (await this.db.execute(sql`
      with old as materialized (
        select e.id from ${webhookEvents} e
        where e.created_at < ${before.toISOString()}::timestamptz
          and not exists (select 1 from ${webhookDeliveries} d where d.event_id = e.id and d.status <> 'delivered')
        limit ${limit}
      )
      delete from ${webhookEvents} where id in (select id from old)`)) as unknown as { rowCount?: number | null; affectedRows?: number };
    return Number(result.rowCount ?? result.affectedRows ?? 0);
  }

  private withEvent() {
    return this.db
      .select({ delivery: webhookDeliveries, body: webhookEvents.body })
      .from(webhookDeliveries)
      .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
      .$dynamic();
  }
}
