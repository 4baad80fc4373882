import { Injectable } from '@nestjs/common';
import { and, asc, eq, inArray, ne, notInArray, sql } from 'drizzle-orm';
import { reviewCases, reviewDecisions, reviewTasks } from '../schema';
import { RepositoryBase } from './repository.base';
import type { ReviewDecisionRow } from './review-task.repository';

export type ReviewCaseRow = typeof reviewCases.$inferSelect;
export type ReviewCaseInsert = Omit<typeof reviewCases.$inferInsert, 'id' | 'createdAt' | 'updatedAt' | 'status'>;

@Injectable()
export class ReviewCaseRepository extends RepositoryBase {
  async create(values: ReviewCaseInsert): Promise<ReviewCaseRow> {
    const [row] = await this.db.insert(reviewCases).values(values).returning();
    return row;
  }

  async findById(id: string): Promise<ReviewCaseRow | undefined> {
    const [row] = await this.db.select().from(reviewCases).where(eq(reviewCases.id, id));
    return row;
  }

  /** The item's open case, if any (not gold, not an appeal): where a report or a second trigger merges. */
  async findLive(contentId: string): Promise<ReviewCaseRow | undefined> {
    const [row] = await this.db
      .select()
      .from(reviewCases)
      .where(
        and(
          eq(reviewCases.contentId, contentId),
          inArray(reviewCases.status, ['open', 'escalated']),
          notInArray(reviewCases.source, ['gold', 'appeal']),
        ),
      )
      .for('update');
    return row;
  }

  async findByContent(contentId: string): Promise<ReviewCaseRow[]> {
    return this.db.select().from(reviewCases).where(eq(reviewCases.contentId, contentId)).orderBy(asc(reviewCases.createdAt));
  }

  /** Raises (never lowers) a case's priority and its open tasks' with it. */
  async raisePriority(caseId: string, priority: number, extra: Partial<Pick<ReviewCaseRow, 'reportsCount' | 'policyIds' | 'severity'>> = {}): Promise<ReviewCaseRow> {
    const [row] = await this.db
      .update(reviewCases)
      .set({ ...extra, priority: sql`greatest(${reviewCases.priority}, ${priority})`, updatedAt: new Date() })
      .where(eq(reviewCases.id, caseId))
      .returning();
    await this.db
      .update(reviewTasks)
      .set({ priority: row.priority, severity: row.severity, updatedAt: new Date() })
      .where(and(eq(reviewTasks.caseId, caseId), ne(reviewTasks.status, 'done')));
    return row;
  }

  /** Sets the priority outright (reach changes both ways) on the case and its unfinished tasks. */
  async setPriority(caseId: string, priority: number): Promise<void> {
    await this.db.update(reviewCases).set({ priority, updatedAt: new Date() }).where(eq(reviewCases.id, caseId));
    await this.db
      .update(reviewTasks)
      .set({ priority, updatedAt: new Date() })
      .where(and(eq(reviewTasks.caseId, caseId), ne(reviewTasks.status, 'done')));
  }

  async exclude(caseId: string, moderatorId: string): Promise<void> {
    await this.db
      .update(reviewCases)
      .set({ excludedModerators: sql`array_append(array_remove(${reviewCases.excludedModerators}, ${moderatorId}::uuid), ${moderatorId}::uuid)` })
      .where(eq(reviewCases.id, caseId));
  }

  async markEscalated(caseId: string): Promise<void> {
    await this.db.update(reviewCases).set({ status: 'escalated', updatedAt: new Date() }).where(eq(reviewCases.id, caseId));
  }

  async markDecided(caseId: string, values: Pick<ReviewCaseRow, 'finalOutcome' | 'provenance' | 'agreement'>): Promise<ReviewCaseRow | undefined> {
    const [row] = await this.db
      .update(reviewCases)
      .set({ ...values, status: 'decided', decidedAt: new Date(), updatedAt: new Date() })
      .where(and(eq(reviewCases.id, caseId), inArray(reviewCases.status, ['open', 'escalated'])))
      .returning();
    return row;
  }

  async decisions(caseId: string): Promise<ReviewDecisionRow[]> {
    return this.db.select().from(reviewDecisions).where(eq(reviewDecisions.caseId, caseId)).orderBy(asc(reviewDecisions.createdAt));
  }

  /** Open cases of an item, for reprioritising when its reach changes. */
  async openForContent(contentId: string): Promise<ReviewCaseRow[]> {
    return this.db
      .select()
      .from(reviewCases)
      .where(and(eq(reviewCases.contentId, contentId), inArray(reviewCases.status, ['open', 'escalated'])));
  }
}
