import { Injectable } from '@nestjs/common';
import { and, asc, eq, isNotNull, lt, sql } from 'drizzle-orm';
import { contents, goldItems, reviewCases, reviewDecisions } from '../schema';
import { CONTENT_FACTS, type ContentFacts } from './training-label.repository';
import { RepositoryBase } from './repository.base';

export type GoldItemRow = typeof goldItems.$inferSelect;

export interface GoldItemStats extends GoldItemRow {
  answered: number;
  correct: number;
}

@Injectable()
export class GoldRepository extends RepositoryBase {
  async create(values: Pick<GoldItemRow, 'contentId' | 'labels' | 'createdBy'>): Promise<GoldItemRow> {
    const [row] = await this.db.insert(goldItems).values(values).returning();
    return row;
  }

  async findById(id: string): Promise<GoldItemRow | undefined> {
    const [row] = await this.db.select().from(goldItems).where(eq(goldItems.id, id));
    return row;
  }

  async deactivate(id: string): Promise<GoldItemRow | undefined> {
    const [row] = await this.db.update(goldItems).set({ active: false }).where(eq(goldItems.id, id)).returning();
    return row;
  }

  /** An active gold item the moderator has never been shown, chosen at random. */
  async pickUnseen(moderatorId: string): Promise<GoldItemRow | undefined> {
    const [row] = await this.db
      .select()
      .from(goldItems)
      .where(
        and(
          eq(goldItems.active, true),
          sql`not exists (select 1 from ${reviewCases} c where c.gold_item_id = ${goldItems.id}
                and ${moderatorId}::uuid = any(c.excluded_moderators))`,
        ),
      )
      .orderBy(sql`random()`)
      .limit(1);
    return row;
  }

  /** Active gold items with the content they are about, oldest first; created before `before` when given. */
  async activeAnswers(before?: Date): Promise<(Pick<GoldItemRow, 'contentId' | 'labels' | 'createdAt'> & ContentFacts)[]> {
    return this.db
      .select({
        contentId: goldItems.contentId,
        labels: goldItems.labels,
        createdAt: goldItems.createdAt,
        ...CONTENT_FACTS,
      })
      .from(goldItems)
      .innerJoin(contents, eq(contents.id, goldItems.contentId))
      .where(and(eq(goldItems.active, true), before ? lt(goldItems.createdAt, before) : undefined))
      .orderBy(asc(goldItems.createdAt), asc(goldItems.id));
  }

  async listWithStats(): Promise<GoldItemStats[]> {
    const answers = this.db
      .select({
        goldItemId: reviewCases.goldItemId,
        answered: sql<number>`count(*)::int`.as('answered'),
        correct: sql<number>`(count(*) filter (where ${reviewDecisions.goldCorrect}))::int`.as('correct'),
      })
      .from(reviewDecisions)
      .innerJoin(reviewCases, eq(reviewCases.id, reviewDecisions.caseId))
      .where(isNotNull(reviewDecisions.goldCorrect))
      .groupBy(reviewCases.goldItemId)
      .as('answers');
    const rows = await this.db
      .select({ item: goldItems, answered: answers.answered, correct: answers.correct })
      .from(goldItems)
      .leftJoin(answers, eq(answers.goldItemId, goldItems.id))
      .orderBy(asc(goldItems.createdAt));
    return rows.map((r) => ({ ...r.item, answered: r.answered ?? 0, correct: r.correct ?? 0 }));
  }
}
