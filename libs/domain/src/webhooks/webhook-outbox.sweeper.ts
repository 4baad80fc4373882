import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PeriodicTask } from '@loupe/common';
import { LoupeConfig } from '@loupe/config';
import { WebhookDeliveryRepository } from '@loupe/database';
import { WebhookEvents } from './webhook-events.service';

const SWEEP_BATCH = 500;
const DAY_MS = 86_400_000;

/**
 * Queues every pending delivery again, at boot and then periodically. The
 * event and its deliveries commit with the change they describe, but their
 * jobs are queued after the commit: a crash in between, Redis being down, or
 * an embedded process restarting with jobs in memory would otherwise lose
 * them. The fixed job ids make a delivery whose job exists a no-op. It also
 * deletes events past WEBHOOK_RETENTION_DAYS that were delivered everywhere.
 */
@Injectable()
export class WebhookOutboxSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: PeriodicTask;

  constructor(
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly events: WebhookEvents,
    private readonly config: LoupeConfig,
  ) {
    this.task = new PeriodicTask('Webhook sweep', config.webhooks.sweepMs, () => this.sweep(), new Logger(WebhookOutboxSweeper.name));
  }

  onApplicationBootstrap(): void {
    if (this.config.runsJobs) this.task.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  /** One pass. Two at once (the timer's and a caller's) are harmless: queueing is by fixed job id, pruning by condition. */
  async sweep(): Promise<void> {
    await this.events.enqueue(await this.deliveries.pending(SWEEP_BATCH));
    await this.deliveries.pruneDelivered(new Date(Date.now() - this.config.webhooks.retentionDays * DAY_MS), SWEEP_BATCH);
  }
}
