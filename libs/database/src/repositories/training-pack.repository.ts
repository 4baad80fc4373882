import { Injectable } from '@nestjs/common';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { trainingPacks } from '../schema';
import { RepositoryBase } from './repository.base';

export type TrainingPackRow = typeof trainingPacks.$inferSelect;
export type TrainingPackInsert = Omit<typeof trainingPacks.$inferInsert, 'id' | 'createdAt' | 'deliveredAt'>;
export type TrainingPackItem = TrainingPackRow['items'][number];

/** Training packs: made once with the accuracy before them fixed; delivered once. */
@Injectable()
export class TrainingPackRepository extends RepositoryBase {
  async create(values: TrainingPackInsert): Promise<TrainingPackRow> {
    const [row] = await this.db.insert(trainingPacks).values(values).returning();
    return row;
  }

  async findById(id: string): Promise<TrainingPackRow | undefined> {
    const [row] = await this.db.select().from(trainingPacks).where(eq(trainingPacks.id, id));
    return row;
  }

  /** Newest first; for one moderator or team when given. */
  async list(filter: { moderatorId?: string; team?: string; policyId?: string } = {}, limit = 200): Promise<TrainingPackRow[]> {
    return this.db
      .select()
      .from(trainingPacks)
      .where(
        and(
          filter.moderatorId ? eq(trainingPacks.moderatorId, filter.moderatorId) : undefined,
          filter.team ? eq(trainingPacks.team, filter.team) : undefined,
          filter.policyId ? eq(trainingPacks.policyId, filter.policyId) : undefined,
        ),
      )
      .orderBy(desc(trainingPacks.createdAt), desc(trainingPacks.id))
      .limit(limit);
  }

  /**
   * Sets delivered_at once, to the database's clock (decisions' created_at
   * comes from it too, so "after" means after whatever the app servers'
   * clocks say): a conditional update, so that a repeat cannot move the point
   * accuracy after is measured from. Undefined when already delivered or unknown.
   */
  async markDelivered(id: string): Promise<TrainingPackRow | undefined> {
    const [row] = await this.db
      .update(trainingPacks)
      .set({ deliveredAt: sql`now()` })
      .where(and(eq(trainingPacks.id, id), isNull(trainingPacks.deliveredAt)))
      .returning();
    return row;
  }
}
