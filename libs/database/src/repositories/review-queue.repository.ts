import { Injectable } from '@nestjs/common';
import { asc, eq } from 'drizzle-orm';
import { reviewQueues, routingRules } from '../schema';
import { RepositoryBase } from './repository.base';

export type ReviewQueueRow = typeof reviewQueues.$inferSelect;
export type ReviewQueueInsert = Omit<typeof reviewQueues.$inferInsert, 'createdAt' | 'updatedAt'>;
export type RoutingRuleRow = typeof routingRules.$inferSelect;
export type RoutingRuleInsert = Omit<typeof routingRules.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>;

@Injectable()
export class ReviewQueueRepository extends RepositoryBase {
  async listQueues(): Promise<ReviewQueueRow[]> {
    return this.db.select().from(reviewQueues).orderBy(asc(reviewQueues.id));
  }

  async findQueue(id: string): Promise<ReviewQueueRow | undefined> {
    const [row] = await this.db.select().from(reviewQueues).where(eq(reviewQueues.id, id));
    return row;
  }

  async upsertQueue(values: ReviewQueueInsert): Promise<ReviewQueueRow> {
    const { id: _id, ...rest } = values;
    const [row] = await this.db
      .insert(reviewQueues)
      .values(values)
      .onConflictDoUpdate({ target: reviewQueues.id, set: { ...rest, updatedAt: new Date() } })
      .returning();
    return row;
  }

  async listRules(): Promise<RoutingRuleRow[]> {
    return this.db.select().from(routingRules).orderBy(asc(routingRules.position), asc(routingRules.createdAt));
  }

  async findRule(id: string): Promise<RoutingRuleRow | undefined> {
    const [row] = await this.db.select().from(routingRules).where(eq(routingRules.id, id));
    return row;
  }

  async createRule(values: RoutingRuleInsert): Promise<RoutingRuleRow> {
    const [row] = await this.db.insert(routingRules).values(values).returning();
    return row;
  }

  async updateRule(id: string, values: Partial<RoutingRuleInsert>): Promise<RoutingRuleRow | undefined> {
    const [row] = await this.db.update(routingRules).set({ ...values, updatedAt: new Date() }).where(eq(routingRules.id, id)).returning();
    return row;
  }

  async deleteRule(id: string): Promise<boolean> {
    return (await this.db.delete(routingRules).where(eq(routingRules.id, id)).returning({ id: routingRules.id })).length > 0;
  }
}
