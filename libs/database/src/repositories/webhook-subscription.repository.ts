import { Injectable } from '@nestjs/common';
import { and, arrayOverlaps, desc, eq } from 'drizzle-orm';
import { webhookSubscriptions } from '../schema';
import { RepositoryBase } from './repository.base';

export type WebhookSubscriptionRow = typeof webhookSubscriptions.$inferSelect;
export type WebhookSubscriptionInsert = Pick<typeof webhookSubscriptions.$inferInsert, 'url' | 'events' | 'secret' | 'description' | 'enabled' | 'createdBy'>;
export type WebhookSubscriptionUpdate = Partial<Pick<WebhookSubscriptionRow, 'url' | 'events' | 'secret' | 'description' | 'enabled'>>;

@Injectable()
export class WebhookSubscriptionRepository extends RepositoryBase {
  async create(values: WebhookSubscriptionInsert): Promise<WebhookSubscriptionRow> {
    const [row] = await this.db.insert(webhookSubscriptions).values(values).returning();
    return row;
  }

  async list(): Promise<WebhookSubscriptionRow[]> {
    return this.db.select().from(webhookSubscriptions).orderBy(desc(webhookSubscriptions.createdAt));
  }

  async findById(id: string): Promise<WebhookSubscriptionRow | undefined> {
    const [row] = await this.db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, id));
    return row;
  }

  /** The enabled subscriptions that want at least one of `types`. */
  async subscribers(types: string[]): Promise<Pick<WebhookSubscriptionRow, 'id' | 'events'>[]> {
    return this.db
      .select({ id: webhookSubscriptions.id, events: webhookSubscriptions.events })
      .from(webhookSubscriptions)
      .where(and(eq(webhookSubscriptions.enabled, true), arrayOverlaps(webhookSubscriptions.events, types)));
  }

  async update(id: string, values: WebhookSubscriptionUpdate): Promise<WebhookSubscriptionRow | undefined> {
    const [row] = await this.db
      .update(webhookSubscriptions)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(webhookSubscriptions.id, id))
      .returning();
    return row;
  }

  /** Deletes the subscription and, by cascade, its deliveries. */
  async delete(id: string): Promise<WebhookSubscriptionRow | undefined> {
    const [row] = await this.db.delete(webhookSubscriptions).where(eq(webhookSubscriptions.id, id)).returning();
    return row;
  }
}
