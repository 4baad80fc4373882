import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { PeriodicTask } from '@loupe/common';
import { LoupeConfig } from '@loupe/config';
import { ReviewCaseRepository, ReviewCaseRow, TransactionManager } from '@loupe/database';
import { AuditService } from '../../audit/audit.service';
import { WebhookEvents } from '../../webhooks/webhook-events.service';

/** Cases marked per statement, so one pass after a long outage stays a short transaction. */
const BREACH_BATCH = 500;

/**
 * Makes SLA deadlines count. Every `SLA_SWEEP_SECONDS`, in each process that
 * runs workers, it records the cases that passed their deadline undecided
 * (once each, whichever process sees them first: `review.sla_breach` in the
 * audit log, the per-queue breach counts, and a `review.sla_breached`
 * webhook, all in one transaction), and re-orders unfinished
 * tasks: priority rises as a deadline nears, and overdue work comes first.
 * Every step is idempotent, so several workers sweeping at once is harmless.
 */
@Injectable()
export class SlaMonitorService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SlaMonitorService.name);
  private readonly task: PeriodicTask;

  constructor(
    private readonly cases: ReviewCaseRepository,
    private readonly audit: AuditService,
    private readonly webhooks: WebhookEvents,
    private readonly transactions: TransactionManager,
    private readonly config: LoupeConfig,
  ) {
    this.task = new PeriodicTask('SLA sweep', config.review.slaSweepSeconds * 1000, () => this.pass(), this.logger);
  }

  onApplicationBootstrap(): void {
    if (this.config.runsJobs) this.task.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  /** One pass; returns the cases it found newly in breach. */
  async sweep(): Promise<ReviewCaseRow[]> {
    const found: ReviewCaseRow[] = [];
    for (;;) {
      const batch = await this.transactions.run(async () => {
        const breached = await this.cases.markBreaches(BREACH_BATCH);
        for (const row of breached) await this.record(row);
        return breached;
      });
      found.push(...batch);
      if (batch.length < BREACH_BATCH) break;
    }
    await this.cases.refreshSlaOrder();
    return found;
  }

  private async pass(): Promise<void> {
    const found = await this.sweep();
    if (found.length > 0) this.logger.warn(`${found.length} review case(s) passed their SLA deadline undecided`);
  }

  private async record(breached: ReviewCaseRow): Promise<void> {
    const detectedAt = breached.slaBreachedAt ?? new Date();
    await this.audit.record(null, 'review.sla_breach', { type: 'review_case', id: breached.id }, {
      queue: breached.queueId,
      contentId: breached.contentId,
      source: breached.source,
      slaDeadline: breached.slaDeadline.toISOString(),
    });
    await this.webhooks.publish('review.sla_breached', {
      caseId: breached.id,
      contentId: breached.contentId,
      queueId: breached.queueId,
      severity: breached.severity,
      priority: breached.priority,
      slaDeadline: breached.slaDeadline.toISOString(),
      detectedAt: detectedAt.toISOString(),
    });
  }
}
