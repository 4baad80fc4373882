import { Injectable } from '@nestjs/common';
import { and, asc, desc, eq, gt, gte, lt, or, sql } from 'drizzle-orm';
import { trainingLabels } from '../schema';
import { RepositoryBase } from './repository.base';
import type { LabelProvenance } from '@loupe/vocabulary';

export type TrainingLabelRow = typeof trainingLabels.$inferSelect;
export type TrainingLabelInsert = Omit<typeof trainingLabels.$inferInsert, 'id' | 'createdAt'>;

export interface LabelFilter {
  from?: Date;
  to?: Date;
  policyId?: string;
  provenance?: LabelProvenance;
}

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

  async count(filter: LabelFilter): Promise<number> {
    const [row] = await this.db.select({ n: sql<number>`count(*)::int` }).from(trainingLabels).where(this.matching(filter));
    return row.n;
  }

  private matching(filter: LabelFilter) {
    return and(
      filter.from ? gte(trainingLabels.labelledAt, filter.from) : undefined,
      filter.to ? lt(trainingLabels.labelledAt, filter.to) : undefined,
      filter.provenance ? eq(trainingLabels.provenance, filter.provenance) : undefined,
      filter.policyId ? sql`${trainingLabels.labels} @> ${JSON.stringify([{ policyId: filter.policyId }])}::jsonb` : undefined,
    );
  }

  /**
   * One page of labels in labelling order, after the cursor: exports stream
   * page by page. Labelling times come from JavaScript Dates (whole
   * milliseconds), so they round-trip exactly as a cursor.
   */
  async page(filter: LabelFilter, limit: number, after?: { labelledAt: Date; id: string }): Promise<TrainingLabelRow[]> {
    return this.db
      .select()
      .from(trainingLabels)
      .where(
        and(
          this.matching(filter),
          after
            ? or(gt(trainingLabels.labelledAt, after.labelledAt), and(eq(trainingLabels.labelledAt, after.labelledAt), gt(trainingLabels.id, after.id)))
            : undefined,
        ),
      )
      .orderBy(asc(trainingLabels.labelledAt), asc(trainingLabels.id))
      .limit(limit);
  }
}
