import { Injectable } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { TransactionManager, WebhookDeliveryRepository, WebhookDeliveryWithEvent } from '@loupe/database';
import { AuditService } from '../audit/audit.service';
import { WebhookEvents } from './webhook-events.service';
import { WebhookSubscriptionService } from './webhook-subscription.service';
import { type Principal, WebhookDeliveryStatus } from '@loupe/vocabulary';

/** The deliveries of a subscription, for the API: what was sent, what failed, and replays of the dead ones. */
@Injectable()
export class WebhookDeliveryService {
  constructor(
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly subscriptions: WebhookSubscriptionService,
    private readonly events: WebhookEvents,
    private readonly audit: AuditService,
    private readonly transactions: TransactionManager,
  ) {}

  async list(subscriptionId: string, filter: { status?: WebhookDeliveryStatus; before?: number }, limit: number): Promise<WebhookDeliveryWithEvent[]> {
    await this.subscriptions.get(subscriptionId);
    return this.deliveries.list(subscriptionId, filter, limit);
  }

  /**
   * Sends a dead (or delivered) delivery again, with the same event id so a
   * receiver that has it already can drop it, in a new round of attempts.
   */
  async replay(subscriptionId: string, deliveryId: string, actor: Principal): Promise<WebhookDeliveryWithEvent> {
    const replayed = await this.transactions.run(async () => {
      await this.subscriptions.get(subscriptionId);
      const row = await this.deliveries.replay(subscriptionId, deliveryId);
      if (!row) {
        const existing = await this.deliveries.find(subscriptionId, deliveryId);
        if (!existing) throw ApiError.notFound('webhook.delivery_not_found', `No delivery ${deliveryId} of webhook ${subscriptionId}`);
        throw ApiError.conflict('webhook.delivery_pending', 'This delivery is still being attempted; only a dead or delivered one can be replayed');
      }
      await this.audit.record(actor, 'webhook.delivery.replay', { type: 'webhook_delivery', id: deliveryId }, { subscriptionId, eventId: row.eventId, round: row.round });
      this.transactions.afterCommit(() => void this.events.enqueue([row]));
      return row;
    });
    return (await this.deliveries.find(subscriptionId, replayed.id))!;
  }
}
