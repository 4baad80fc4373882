import { Injectable } from '@nestjs/common';
import { and, asc, eq, inArray, lt, ne, or, SQL, sql } from 'drizzle-orm';
import { auditEvents, contents, modelScores, moderatorExposures, reviewCases, reviewDecisions, reviewTasks } from '../schema';
import type { ContentRow, ModelScoreRow } from './content.repository';
import type { ReviewCaseRow } from './review-case.repository';
import { fromDriverRow, RepositoryBase } from './repository.base';
import type { Severity } from '@loupe/vocabulary';

export type ReviewTaskRow = typeof reviewTasks.$inferSelect;
export type ReviewTaskInsert = Omit<typeof reviewTasks.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>;
export type ReviewDecisionRow = typeof reviewDecisions.$inferSelect;
/** A claimed task with what a moderator is shown of it, read in the claim's own statement. */
export interface ClaimedTask {
  task: ReviewTaskRow;
  caseRow: ReviewCaseRow;
  content: ContentRow;
  /** Newest first. */
  scores: ModelScoreRow[];
}

export type ReviewDecisionInsert = Omit<typeof reviewDecisions.$inferInsert, 'id' | 'createdAt'>;

export interface ClaimFilter {
  /** Only these queues; all when absent. */
  queues?: string[];
  /** Only tasks of these severities (an exhausted exposure budget). */
  severities?: Severity[];
  senior: boolean;
}

export interface QueueCounts {
  queue: string;
  open: number;
  leased: number;
  /** The earliest SLA deadline among unfinished tasks. */
  nextDeadline: Date | null;
  /** Unfinished cases already past their SLA deadline. */
  overdue: number;
}

const leaseFor = (seconds: number) => sql`now() + make_interval(secs => ${seconds})`;

@Injectable()
export class ReviewTaskRepository extends RepositoryBase {
  async createMany(values: ReviewTaskInsert[]): Promise<ReviewTaskRow[]> {
    if (values.length === 0) return [];
    return this.db.insert(reviewTasks).values(values).returning();
  }

  async findById(id: string): Promise<ReviewTaskRow | undefined> {
    const [row] = await this.db.select().from(reviewTasks).where(eq(reviewTasks.id, id));
    return row;
  }

  /**
   * Leases the most urgent task the moderator may take, and in the same
   * statement records the exposure and the `review.claim` audit event.
   * Every moderator waits on this path, so it is one round trip instead of a
   * transaction of four; SKIP LOCKED lets concurrent claims pass each other
   * rather than queue, and never hands one task to two moderators. An expired
   * lease counts as open. A moderator never gets a case they are excluded
   * from, nor a second task of a case (consensus reviews are independent), nor
   * a senior task unless senior. Overdue work (SLA breached) comes first.
   *
   * The candidate is a scalar subquery (`id = (…)`), which PostgreSQL runs
   * once as an init plan. With `id IN (…)` and statistics that said the table
   * was empty, the planner chose a nested-loop semi join that re-ran the
   * LIMIT 1 subquery for every row, and one claim leased the whole queue.
   *
   * The same statement returns the task's case, content and scores: the view
   * a moderator is shown, without a second round trip on every claim.
   */
  async claimNext(moderatorId: string, leaseSeconds: number, filter: ClaimFilter, actorRole: string): Promise<ClaimedTask | undefined> {
    const claimable = or(
      eq(reviewTasks.status, 'open'),
      and(eq(reviewTasks.status, 'leased'), lt(reviewTasks.leaseExpiresAt, sql`now()`)),
    );
    const conditions: (SQL | undefined)[] = [
      // Implied by `claimable`; spelled out so that the planner uses the partial claim indexes.
      inArray(reviewTasks.status, ['open', 'leased']),
      claimable,
      filter.queues ? inArray(reviewTasks.queue, filter.queues) : undefined,
      filter.severities ? inArray(reviewTasks.severity, filter.severities) : undefined,
      filter.senior ? undefined : eq(reviewTasks.seniorOnly, false),
      sql`not (${moderatorId}::uuid = any(${reviewCases.excludedModerators}))`,
      sql`not exists (select 1 from ${reviewTasks} other where other.case_id = ${reviewTasks.caseId}
            and other.id <> ${reviewTasks.id} and other.lease_holder_id = ${moderatorId}::uuid)`,
    ];
    const candidate = this.db
      .select({ id: reviewTasks.id })
      .from(reviewTasks)
      .innerJoin(reviewCases, eq(reviewCases.id, reviewTasks.caseId))
      .where(and(...conditions))
      .orderBy(sql`${reviewTasks.slaRank} desc nulls last, ${reviewTasks.priority} desc nulls last`, asc(reviewTasks.createdAt))
      .limit(1)
      .for('update', { of: reviewTasks, skipLocked: true });
    const result = (await this.db.execute(sql`
      with claimed as (
        update ${reviewTasks}
        set status = 'leased', lease_holder_id = ${moderatorId}::uuid, leased_at = now(), lease_expires_at = ${leaseFor(leaseSeconds)}, updated_at = now()
        where ${reviewTasks.id} = (${candidate}) and ${claimable}
        returning *
      ), exposure as (
        insert into ${moderatorExposures} (moderator_id, task_id, severity)
        select lease_holder_id, id, severity from claimed
      ), audit as (
        insert into ${auditEvents} (actor_id, actor_role, action, entity_type, entity_id, data)
        select lease_holder_id, ${actorRole}, 'review.claim', 'review_task', id::text, jsonb_build_object('queue', queue, 'caseId', case_id)
        from claimed
      )
      select claimed.*,
        (select row_to_json(c) from ${reviewCases} c where c.id = claimed.case_id) as claimed_case,
        (select row_to_json(ct) from ${contents} ct where ct.id = claimed.content_id) as claimed_content,
        (select coalesce(json_agg(s order by s.created_at desc), '[]'::json) from ${modelScores} s where s.content_id = claimed.content_id) as claimed_scores
      from claimed`)) as unknown as { rows: Record<string, unknown>[] };
    const raw = result.rows[0];
    if (!raw) return undefined;
    // The view comes back as JSON; each column maps as its driver value would (timestamps as ISO text).
    const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, unknown>;
    return {
      task: fromDriverRow<ReviewTaskRow>(reviewTasks, raw),
      caseRow: fromDriverRow<ReviewCaseRow>(reviewCases, json(raw.claimed_case)),
      content: fromDriverRow<ContentRow>(contents, json(raw.claimed_content)),
      scores: (json(raw.claimed_scores) as unknown as Record<string, unknown>[]).map((row) => fromDriverRow<ModelScoreRow>(modelScores, row)),
    };
  }

  async createLeased(values: ReviewTaskInsert, moderatorId: string, leaseSeconds: number): Promise<ReviewTaskRow> {
    const [row] = await this.db
      .insert(reviewTasks)
      .values({ ...values, status: 'leased', leaseHolderId: moderatorId, leasedAt: sql`now()`, leaseExpiresAt: leaseFor(leaseSeconds) })
      .returning();
    return row;
  }

  async extendLease(taskId: string, moderatorId: string, leaseSeconds: number): Promise<ReviewTaskRow | undefined> {
    const [row] = await this.db
      .update(reviewTasks)
      .set({ leaseExpiresAt: leaseFor(leaseSeconds), updatedAt: new Date() })
      .where(this.heldBy(taskId, moderatorId))
      .returning();
    return row;
  }

  /** Gives a held task back to its queue. */
  async release(taskId: string, moderatorId: string): Promise<ReviewTaskRow | undefined> {
    const [row] = await this.db
      .update(reviewTasks)
      .set({ status: 'open', leaseHolderId: null, leasedAt: null, leaseExpiresAt: null, updatedAt: new Date() })
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

  /**
   * completeLeased, returning the task's case in the same statement: a
   * decision needs both, and this is one round trip fewer on every decision.
   */
  async completeLeasedWithCase(taskId: string, moderatorId: string): Promise<{ task: ReviewTaskRow; caseRow: ReviewCaseRow } | undefined> {
    const result = (await this.db.execute(sql`
      with done as (
        update ${reviewTasks}
        set status = 'done', completed_at = now(), lease_expires_at = null, updated_at = now()
        where ${this.heldBy(taskId, moderatorId)}
        returning *
      )
      select done.*, (select row_to_json(c) from ${reviewCases} c where c.id = done.case_id) as done_case
      from done`)) as unknown as { rows: Record<string, unknown>[] };
    const raw = result.rows[0];
    if (!raw) return undefined;
    const caseJson = typeof raw.done_case === 'string' ? JSON.parse(raw.done_case) : raw.done_case;
    return { task: fromDriverRow<ReviewTaskRow>(reviewTasks, raw), caseRow: fromDriverRow<ReviewCaseRow>(reviewCases, caseJson as Record<string, unknown>) };
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

  /** Cancels a case's tasks nobody has finished; a holder's later decision is refused as closed. */
  async cancelUnfinished(caseId: string): Promise<void> {
    await this.db
      .update(reviewTasks)
      .set({ status: 'cancelled', leaseExpiresAt: null, updatedAt: new Date() })
      .where(and(eq(reviewTasks.caseId, caseId), inArray(reviewTasks.status, ['open', 'leased'])));
  }

  /** The priority of the most urgent unclaimed task in a queue; 0 when it is empty. */
  async topOpenPriority(queue: string): Promise<number> {
    const [row] = await this.db
      .select({ top: sql<number | null>`max(${reviewTasks.priority})` })
      .from(reviewTasks)
      .where(and(eq(reviewTasks.queue, queue), eq(reviewTasks.status, 'open')));
    return Number(row?.top ?? 0);
  }

  async countsByQueue(): Promise<QueueCounts[]> {
    const rows = await this.db
      .select({
        queue: reviewTasks.queue,
        open: sql<number>`(count(*) filter (where ${reviewTasks.status} = 'open' or ${reviewTasks.leaseExpiresAt} < now()))::int`,
        leased: sql<number>`(count(*) filter (where ${reviewTasks.status} = 'leased' and ${reviewTasks.leaseExpiresAt} >= now()))::int`,
        nextDeadline: sql<Date | null>`min(${reviewCases.slaDeadline})`,
        overdue: sql<number>`(count(distinct ${reviewCases.id}) filter (where ${reviewCases.slaDeadline} < now()))::int`,
      })
      .from(reviewTasks)
      .innerJoin(reviewCases, eq(reviewCases.id, reviewTasks.caseId))
      .where(and(inArray(reviewTasks.status, ['open', 'leased']), ne(reviewCases.source, 'gold')))
      .groupBy(reviewTasks.queue);
    return rows.map((r) => ({ ...r, nextDeadline: r.nextDeadline ? new Date(r.nextDeadline) : null }));
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
