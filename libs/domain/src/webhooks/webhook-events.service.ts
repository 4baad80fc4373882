import { Injectable, Logger } from '@nestjs/common';
import { ContentDecisionRow, TransactionManager, WebhookDeliveryRepository, WebhookDeliveryRow, WebhookSubscriptionRepository } from '@loupe/database';
import { JobQueue } from '@loupe/queue';
import { ContentDecisionContext, contentDecisionEvents } from './content-decision.events';
import { WebhookEventInput, WebhookEventPayloads, WebhookEventType, webhookEventBody } from './webhook-event-catalog';

/**
 * The publishing side of outgoing webhooks. An event is written to the
 * outbox with one delivery per subscriber, in the transaction of the change
 * it describes (joined through the TransactionManager), so it exists exactly
 * when the change does. Its jobs are queued after the commit; if that is
 * lost (a crash, Redis down), the sweep queues them later.
 */
@Injectable()
export class WebhookEvents {
  private readonly logger = new Logger(WebhookEvents.name);

  constructor(
    private readonly subscriptions: WebhookSubscriptionRepository,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly transactions: TransactionManager,
    private readonly jobs: JobQueue,
  ) {}

  /** Publishes one event; returns its id, or null when no subscription wants it (nothing is stored then). */
  async publish<T extends WebhookEventType>(type: T, data: WebhookEventPayloads[T]): Promise<string | null> {
    const [id] = await this.publishAll([{ type, data } as WebhookEventInput]);
    return id;
  }

  async publishAll(events: WebhookEventInput[]): Promise<(string | null)[]> {
    if (events.length === 0) return [];
    return this.transactions.run(async () => {
      const subscribed = await this.subscriptions.subscribers(events.map((e) => e.type));
      const created: WebhookDeliveryRow[] = [];
      const ids: (string | null)[] = [];
      for (const { type, data } of events) {
        const subscriptionIds = subscribed.filter((s) => s.events.includes(type)).map((s) => s.id);
        if (subscriptionIds.length === 0) {
          ids.push(null);
          continue;
        }
        const now = new Date();
        const { event, deliveries } = await this.deliveries.addEvent(type, (eventId) => webhookEventBody(eventId, type, data, now), subscriptionIds);
        created.push(...deliveries);
        ids.push(event.id);
      }
      if (created.length > 0) this.transactions.afterCommit(() => void this.enqueue(created));
      return ids;
    });
  }

  /** Publishes what a content decision means for the platform: see `contentDecisionEvents`. */
  async publishContentDecision(decision: ContentDecisionRow, context: ContentDecisionContext): Promise<void> {
    await this.publishAll(contentDecisionEvents(decision, context));
  }

  /** Queues deliveries by their fixed job ids; a failure here is the sweep's to repair. */
  async enqueue(deliveries: Pick<WebhookDeliveryRow, 'id' | 'round'>[]): Promise<void> {
    for (const delivery of deliveries) {
      try {
        await this.jobs.enqueue('webhooks.deliver', { deliveryId: delivery.id, round: delivery.round });
      } catch (error) {
        this.logger.warn(`Could not queue webhook delivery ${delivery.id}; the sweep will: ${(error as Error).message}`);
      }
    }
  }
}
