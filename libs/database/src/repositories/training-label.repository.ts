import { Injectable } from '@nestjs/common';
import { desc, eq } from 'drizzle-orm';
import { trainingLabels } from '../schema';
import { RepositoryBase } from './repository.base';

export type TrainingLabelRow = typeof trainingLabels.$inferSelect;
export type TrainingLabelInsert = Omit<typeof trainingLabels.$inferInsert, 'id' | 'createdAt'>;

@Injectable()
export class TrainingLabelRepository extends RepositoryBase {
  async add(values: TrainingLabelInsert): Promise<TrainingLabelRow> {
    const [row] = await this.db.insert(trainingLabels).values(values).returning();
    return row;
  }

  async findByContent(contentId: string): Promise<TrainingLabelRow[]> {
    return this.db
      .select()
      .from(trainingLabels)
      .where(eq(trainingLabels.contentId, contentId))
      .orderBy(desc(trainingLabels.labelledAt));
  }
}
