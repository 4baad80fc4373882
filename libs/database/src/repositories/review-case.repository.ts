import { Injectable } from '@nestjs/common';
import { and, asc, eq, inArray, ne, notInArray, sql } from 'drizzle-orm';
import { reviewCases, reviewDecisions, reviewTasks } from '../schema';
import { fromDriverRow, RepositoryBase } from './repository.base';

export type ReviewCaseRow = typeof reviewCases.$inferSelect;
type ReviewDecisionRow = typeof reviewDecisions.$inferSelect;
export type ReviewCaseInsert = Omit<typeof reviewCases.$inferInsert, 'id' | 'createdAt' | 'updatedAt' | 'status'>;

/**
 * How near its SLA deadline a case is, as a factor on its tasks' priority: 1
 * when it opens, rising in quarter steps to 2 at the deadline. Steps rather
 * than a smooth rise, so the SLA monitor rewrites a task a few times in its
 * life instead of at every pass. The database's clock, like leases.
 */
const slaUrgency = sql`(1 + floor(4 * least(1, greatest(0,
  extract(epoch from (now() - ${reviewCases.createdAt}))
  / greatest(1, extract(epoch from (${reviewCases.slaDeadline} - ${reviewCases.createdAt})))))) / 4)`;

/** Breaches of the SLA per queue since a time. */
export interface QueueBreaches {
  queue: string;
  breaches: number;
}

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

  /**
   * Moves the open cases of these items that nobody has started (every task
   * still open, none for seniors; not gold, not an appeal) into `queueId`,
   * tasks and all; returns how many moved. Deadlines and priorities stay.
   * A task claimed meanwhile moves with its case and stays with its holder.
   */
  async moveUnstarted(contentIds: readonly string[], queueId: string): Promise<number> {
    if (contentIds.length === 0) return 0;
    const ids = sql.join(contentIds.map((id) => sql`${id}::uuid`), sql`, `);
    const result = (await this.db.execute(sql`
      with moved as (
        update ${reviewCases} rc set queue_id = ${queueId}, updated_at = now()
        where rc.content_id in (${ids}) and rc.status = 'open' and rc.source not in ('gold', 'appeal') and rc.queue_id <> ${queueId}
          and not exists (select 1 from ${reviewTasks} t where t.case_id = rc.id and (t.status <> 'open' or t.senior_only))
        returning rc.id
      ), tasks as (
        update ${reviewTasks} t set queue = ${queueId}, updated_at = now() from moved where t.case_id = moved.id
      )
      select count(*)::int as n from moved`)) as unknown as { rows: { n: number }[] };
    return Number(result.rows[0]?.n ?? 0);
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

  /**
   * Raises (never lowers) a case's priority and its open tasks' with it. A new
   * source (a quality sample turned into a report's case) moves to the tasks too.
   */
  async raisePriority(
    caseId: string,
    priority: number,
    extra: Partial<Pick<ReviewCaseRow, 'reportsCount' | 'policyIds' | 'severity' | 'source' | 'slaDeadline'>> = {},
  ): Promise<ReviewCaseRow> {
    const [row] = await this.db
      .update(reviewCases)
      .set({ ...extra, priority: sql`greatest(${reviewCases.priority}, ${priority})`, updatedAt: new Date() })
      .where(eq(reviewCases.id, caseId))
      .returning();
    await this.db
      .update(reviewTasks)
      .set({ priority: sql`${reviewCases.priority} * ${slaUrgency}`, severity: row.severity, ...(extra.source ? { reason: extra.source } : {}), updatedAt: new Date() })
      .from(reviewCases)
      .where(and(eq(reviewTasks.caseId, caseId), eq(reviewCases.id, reviewTasks.caseId), ne(reviewTasks.status, 'done')));
    return row;
  }

  /** Sets the priority outright (reach changes both ways) on the case and its unfinished tasks. */
  async setPriority(caseId: string, priority: number): Promise<void> {
    await this.db.update(reviewCases).set({ priority, updatedAt: new Date() }).where(eq(reviewCases.id, caseId));
    await this.db
      .update(reviewTasks)
      .set({ priority: sql`${priority} * ${slaUrgency}`, updatedAt: new Date() })
      .from(reviewCases)
      .where(and(eq(reviewTasks.caseId, caseId), eq(reviewCases.id, reviewTasks.caseId), ne(reviewTasks.status, 'done')));
  }

  /**
   * Marks live cases found past their deadline as breached, each exactly once
   * whichever process gets there first (SKIP LOCKED, and the null check again
   * under the row lock), and returns them. The CTE is materialised so that the
   * LIMIT applies once, whatever plan the statistics suggest.
   */
  async markBreaches(limit: number): Promise<ReviewCaseRow[]> {
    const result = (await this.db.execute(sql`
      with due as materialized (
        select id from ${reviewCases}
        where status in ('open','escalated') and sla_breached_at is null and sla_deadline < now() and source not in ('gold','sample')
        order by sla_deadline
        limit ${limit}
        for update skip locked
      )
      update ${reviewCases} set sla_breached_at = now(), updated_at = now()
      where id in (select id from due) and sla_breached_at is null
      returning *`)) as unknown as { rows: Record<string, unknown>[] };
    return result.rows.map((raw) => fromDriverRow<ReviewCaseRow>(reviewCases, raw));
  }

  /**
   * Brings unfinished tasks' order up to date with their cases' SLA: overdue
   * cases' tasks move to the front band, and every task's priority follows its
   * case's urgency. Only rows whose values change are written.
   */
  async refreshSlaOrder(): Promise<number> {
    const rank = sql`case when ${reviewCases.slaBreachedAt} is null then 0 else 1 end`;
    const priority = sql`${reviewCases.priority} * ${slaUrgency}`;
    const result = (await this.db.execute(sql`
      update ${reviewTasks} t
      set sla_rank = ${rank}, priority = ${priority}, updated_at = now()
      from ${reviewCases}
      where ${reviewCases.id} = t.case_id and t.status in ('open','leased')
        and (t.sla_rank <> ${rank} or t.priority <> ${priority})`)) as unknown as { rowCount?: number | null; affectedRows?: number };
    return Number(result.rowCount ?? result.affectedRows ?? 0);
  }

  async breachesByQueue(since: Date): Promise<QueueBreaches[]> {
    return this.db
      .select({ queue: reviewCases.queueId, breaches: sql<number>`count(*)::int` })
      .from(reviewCases)
      .where(sql`${reviewCases.slaBreachedAt} >= ${since.toISOString()}::timestamptz`)
      .groupBy(reviewCases.queueId);
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
