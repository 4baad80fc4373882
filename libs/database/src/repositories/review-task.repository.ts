import { Injectable } from '@nestjs/common';
import { and, asc, desc, eq, inArray, lt, ne, or, sql } from 'drizzle-orm';
import { reviewDecisions, reviewTasks } from '../schema';
import { RepositoryBase } from './repository.base';

export type ReviewTaskRow = typeof reviewTasks.$inferSelect;
export type ReviewDecisionRow = typeof reviewDecisions.$inferSelect;
export type ReviewDecisionInsert = Omit<typeof reviewDecisions.$inferInsert, 'id' | 'createdAt'>;

@Injectable()
export class ReviewTaskRepository extends RepositoryBase {
  /**
   * Opens a task for the content, or, when one is already live, raises its
   * priority to the larger of the two: a second reason to look at an item
   * never makes it less urgent.
   */
  async openOrMerge(values: { contentId: string; queue: string; priority: number; reason: string }): Promise<ReviewTaskRow> {
    const [row] = await this.db
      .insert(reviewTasks)
      .values(values)
      .onConflictDoUpdate({
        target: reviewTasks.contentId,
        targetWhere: sql`${reviewTasks.status} <> 'done'`,
        set: { priority: sql`greatest(${reviewTasks.priority}, excluded.priority)`, updatedAt: new Date() },
      })
      .returning();
    return row;
  }

  async findById(id: string): Promise<ReviewTaskRow | undefined> {
    const [row] = await this.db.select().from(reviewTasks).where(eq(reviewTasks.id, id));
    return row;
  }

  /**
   * Leases the most urgent claimable task to `moderatorId`. SKIP LOCKED lets
   * concurrent claims in any number of processes each take a different row
   * instead of queueing on the same one; an expired lease counts as open.
   */
  async claimNext(moderatorId: string, leaseSeconds: number, queue?: string): Promise<ReviewTaskRow | undefined> {
    const claimable = or(
      eq(reviewTasks.status, 'open'),
      and(eq(reviewTasks.status, 'leased'), lt(reviewTasks.leaseExpiresAt, sql`now()`)),
    );
    const scope = queue ? and(eq(reviewTasks.queue, queue), claimable) : claimable;
    const candidate = this.db
      .select({ id: reviewTasks.id })
      .from(reviewTasks)
      .where(scope)
      .orderBy(desc(reviewTasks.priority), asc(reviewTasks.createdAt))
      .limit(1)
      .for('update', { skipLocked: true });
    const [row] = await this.db
      .update(reviewTasks)
      .set({
        status: 'leased',
        leaseHolderId: moderatorId,
        leaseExpiresAt: sql`now() + make_interval(secs => ${leaseSeconds})`,
        updatedAt: new Date(),
      })
      .where(and(inArray(reviewTasks.id, candidate), scope))
      .returning();
    return row;
  }

  /** Extends a lease that `moderatorId` still holds. */
  async extendLease(taskId: string, moderatorId: string, leaseSeconds: number): Promise<ReviewTaskRow | undefined> {
    const [row] = await this.db
      .update(reviewTasks)
      .set({ leaseExpiresAt: sql`now() + make_interval(secs => ${leaseSeconds})`, updatedAt: new Date() })
      .where(this.heldBy(taskId, moderatorId))
      .returning();
    return row;
  }

  /** Closes a task whose lease `moderatorId` holds right now; undefined if it does not. */
  async completeLeased(taskId: string, moderatorId: string): Promise<ReviewTaskRow | undefined> {
    const [row] = await this.db
      .update(reviewTasks)
      .set({ status: 'done', completedAt: sql`now()`, leaseExpiresAt: null, updatedAt: new Date() })
      .where(this.heldBy(taskId, moderatorId))
      .returning();
    return row;
  }

  async closeOpenForContent(contentId: string): Promise<void> {
    await this.db
      .update(reviewTasks)
      .set({ status: 'done', completedAt: sql`now()`, leaseExpiresAt: null, updatedAt: new Date() })
      .where(and(eq(reviewTasks.contentId, contentId), ne(reviewTasks.status, 'done')));
  }

  async addDecision(values: ReviewDecisionInsert): Promise<ReviewDecisionRow> {
    const [row] = await this.db.insert(reviewDecisions).values(values).returning();
    return row;
  }

  async findDecision(taskId: string, moderatorId: string): Promise<ReviewDecisionRow | undefined> {
    const [row] = await this.db
      .select()
      .from(reviewDecisions)
      .where(and(eq(reviewDecisions.taskId, taskId), eq(reviewDecisions.moderatorId, moderatorId)));
    return row;
  }

  async countOpen(queue?: string): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(reviewTasks)
      .where(queue ? and(eq(reviewTasks.queue, queue), ne(reviewTasks.status, 'done')) : ne(reviewTasks.status, 'done'));
    return row.n;
  }

  private heldBy(taskId: string, moderatorId: string) {
    return and(
      eq(reviewTasks.id, taskId),
      eq(reviewTasks.status, 'leased'),
      eq(reviewTasks.leaseHolderId, moderatorId),
      sql`${reviewTasks.leaseExpiresAt} > now()`,
    );
  }
}
