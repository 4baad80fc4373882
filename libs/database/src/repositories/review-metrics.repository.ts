import { Injectable } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import { reviewCases, reviewQueues, reviewTasks } from '../schema';
import { RepositoryBase } from './repository.base';

/** One review queue's backlog, as the metrics report it. */
export interface ReviewQueueGauges {
  queue: string;
  /** Claimable now: open, or leased with the lease expired. */
  open: number;
  leased: number;
  oldestTaskAgeSeconds: number;
  /** Undecided cases with a task in this queue, past their SLA deadline. */
  overdueCases: number;
  slaBreaches24h: number;
}

/**
 * The review backlog for the metrics, read at every scrape of every process,
 * so it reads only what is cheap: the unfinished tasks (the partial index on
 * open and leased tasks, joined to their cases by primary key) and the
 * last day's breaches (the partial index on breached cases). Queues without
 * work are listed with zeros, so their series never vanish.
 */
@Injectable()
export class ReviewMetricsRepository extends RepositoryBase {
  async gauges(): Promise<ReviewQueueGauges[]> {
    const result = (await this.db.execute(sql`
      with live as (
        select t.queue,
          count(*) filter (where t.status = 'open' or t.lease_expires_at < now()) as open,
          count(*) filter (where t.status = 'leased' and t.lease_expires_at >= now()) as leased,
          extract(epoch from now() - min(t.created_at)) as oldest,
          count(distinct c.id) filter (where c.sla_deadline < now()) as overdue
        from ${reviewTasks} t
        join ${reviewCases} c on c.id = t.case_id
        where t.status in ('open', 'leased') and c.source <> 'gold'
        group by t.queue
      ), breaches as (
        select queue_id as queue, count(*) as breaches
        from ${reviewCases}
        where sla_breached_at is not null and sla_breached_at >= now() - interval '24 hours'
        group by queue_id
      ), queues as (
        select id as queue from ${reviewQueues} union select queue from live union select queue from breaches
      )
      select q.queue, coalesce(l.open, 0) as open, coalesce(l.leased, 0) as leased, coalesce(l.oldest, 0) as oldest,
        coalesce(l.overdue, 0) as overdue, coalesce(b.breaches, 0) as breaches
      from queues q
      left join live l on l.queue = q.queue
      left join breaches b on b.queue = q.queue
      order by q.queue`)) as unknown as { rows: Record<string, unknown>[] };
    return result.rows.map((row) => ({
      queue: String(row.queue),
      open: Number(row.open),
      leased: Number(row.leased),
      oldestTaskAgeSeconds: Math.max(0, Number(row.oldest)),
      overdueCases: Number(row.overdue),
      slaBreaches24h: Number(row.breaches),
    }));
  }
}
