import { Injectable } from '@nestjs/common';
import { desc, eq } from 'drizzle-orm';
import { contentDecisions } from '../schema';
import { RepositoryBase } from './repository.base';

export type ContentDecisionRow = typeof contentDecisions.$inferSelect;
export type ContentDecisionInsert = Omit<typeof contentDecisions.$inferInsert, 'id' | 'createdAt'>;

@Injectable()
export class DecisionRepository extends RepositoryBase {
  async add(values: ContentDecisionInsert): Promise<ContentDecisionRow> {
    const [row] = await this.db.insert(contentDecisions).values(values).returning();
    return row;
  }

  async latest(contentId: string): Promise<ContentDecisionRow | undefined> {
    const [row] = await this.db
      .select()
      .from(contentDecisions)
      .where(eq(contentDecisions.contentId, contentId))
      .orderBy(desc(contentDecisions.createdAt))
      .limit(1);
    return row;
  }

  async history(contentId: string): Promise<ContentDecisionRow[]> {
    return this.db
      .select()
      .from(contentDecisions)
      .where(eq(contentDecisions.contentId, contentId))
      .orderBy(desc(contentDecisions.createdAt));
  }
}
