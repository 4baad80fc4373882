import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
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
  private readonly logger = new Logger(WebhookOutboxSweeper.name);
  private timer?: NodeJS.Timeout;
  private running: Promise<void> | null = null;

  constructor(
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly events: WebhookEvents,
    private readonly config: LoupeConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!['all', 'worker'].includes(this.config.process.mode)) return;
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), this.config.webhooks.sweepMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass; a pass still running is not doubled. */
  sweep(): Promise<void> {
    this.running ??= this.pass().finally(() => (this.running = null));
    return this.running;
  }

  private async pass(): Promise<void> {
    try {
      await this.events.enqueue(await this.deliveries.pending(SWEEP_BATCH));
      await this.deliveries.pruneDelivered(new Date(Date.now() - this.config.webhooks.retentionDays * DAY_MS), SWEEP_BATCH);
    } catch (error) {
      this.logger.warn(`Webhook sweep failed: ${(error as Error).message}`);
    }
  }
}
