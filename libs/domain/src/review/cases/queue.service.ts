import { Injectable } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import {
  QueueCounts,
  ReviewQueueInsert,
  ReviewQueueRepository,
  ReviewCaseRepository,
  ReviewQueueRow,
  ReviewTaskRepository,
  RoutingRuleInsert,
  RoutingRuleRow,
  TransactionManager,
} from '@loupe/database';
import { AuditService } from '../../audit/audit.service';
import type { Principal } from '@loupe/vocabulary';

export interface QueueWithCounts extends ReviewQueueRow {
  counts: Omit<QueueCounts, 'queue'> & { breachesLast24h: number };
}

const DAY_MS = 24 * 3_600_000;

/** The queues moderators work from, and the routing rules that fill them: data, edited through the API, audited. */
@Injectable()
export class QueueService {
  constructor(
    private readonly queues: ReviewQueueRepository,
    private readonly tasks: ReviewTaskRepository,
    private readonly cases: ReviewCaseRepository,
    private readonly audit: AuditService,
    private readonly transactions: TransactionManager,
  ) {}

  async list(): Promise<QueueWithCounts[]> {
    const [queues, counts, breaches] = await Promise.all([
      this.queues.listQueues(),
      this.tasks.countsByQueue(),
      this.cases.breachesByQueue(new Date(Date.now() - DAY_MS)),
    ]);
    return queues.map((q) => {
      const c = counts.find((x) => x.queue === q.id);
      return {
        ...q,
        counts: {
          open: c?.open ?? 0,
          leased: c?.leased ?? 0,
          nextDeadline: c?.nextDeadline ?? null,
          overdue: c?.overdue ?? 0,
          breachesLast24h: breaches.find((b) => b.queue === q.id)?.breaches ?? 0,
        },
      };
    });
  }

  async put(values: ReviewQueueInsert, actor: Principal): Promise<ReviewQueueRow> {
    return this.transactions.run(async () => {
      const before = await this.queues.findQueue(values.id);
      const row = await this.queues.upsertQueue(values);
      await this.audit.record(actor, before ? 'review.queue.update' : 'review.queue.create', { type: 'review_queue', id: row.id }, { before: before ?? null, after: values });
      return row;
    });
  }

  listRules(): Promise<RoutingRuleRow[]> {
    return this.queues.listRules();
  }

  async createRule(values: Omit<RoutingRuleInsert, 'createdBy'>, actor: Principal): Promise<RoutingRuleRow> {
    await this.requireQueue(values.queueId);
    return this.transactions.run(async () => {
      const rule = await this.queues.createRule({ ...values, createdBy: actor.id });
      await this.audit.record(actor, 'routing_rule.create', { type: 'routing_rule', id: rule.id }, { ...values });
      return rule;
    });
  }

  async updateRule(id: string, values: Partial<Omit<RoutingRuleInsert, 'createdBy'>>, actor: Principal): Promise<RoutingRuleRow> {
    if (values.queueId) await this.requireQueue(values.queueId);
    return this.transactions.run(async () => {
      const before = await this.queues.findRule(id);
      if (!before) throw ApiError.notFound('routing_rule.not_found', `No routing rule ${id}`);
      const after = (await this.queues.updateRule(id, values))!;
      await this.audit.record(actor, 'routing_rule.update', { type: 'routing_rule', id }, { before, after: values });
      return after;
    });
  }

  async deleteRule(id: string, actor: Principal): Promise<void> {
    await this.transactions.run(async () => {
      const before = await this.queues.findRule(id);
      if (!before || !(await this.queues.deleteRule(id))) throw ApiError.notFound('routing_rule.not_found', `No routing rule ${id}`);
      await this.audit.record(actor, 'routing_rule.delete', { type: 'routing_rule', id }, { before });
    });
  }

  private async requireQueue(id: string): Promise<void> {
    if (!(await this.queues.findQueue(id))) throw ApiError.badRequest('review.queue_not_found', `No queue ${id}`);
  }
}
