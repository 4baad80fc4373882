import { WebhookDeliveryRepository } from '@loupe/database';
import { JobContext, JobHandler, JobHandlerFor, JobPayload, PermanentJobError } from '@loupe/queue';
import { WebhookSender } from './webhook.sender';

/**
 * Sends one delivery. Each try is recorded on the delivery; a failure is
 * thrown so the queue retries it with backoff, and when the tries are spent
 * the delivery goes to the dead-letter list, from which it can be replayed.
 */
@JobHandlerFor('webhooks.deliver')
export class WebhookDeliveryHandler implements JobHandler<'webhooks.deliver'> {
  constructor(
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly sender: WebhookSender,
  ) {}

  async handle({ deliveryId, round }: JobPayload<'webhooks.deliver'>, context: JobContext): Promise<void> {
    const target = await this.deliveries.target(deliveryId);
    // Deleted with its subscription, replayed since (a newer round owns it), or settled by an earlier run.
    if (!target || target.delivery.round !== round || target.delivery.status !== 'pending') return;
    if (!target.enabled) throw new PermanentJobError('webhook.disabled', 'The subscription is disabled; replay the delivery once it is enabled again');
    const result = await this.sender.send({
      url: target.url,
      secret: target.secret,
      body: target.body,
      eventId: target.delivery.eventId,
      eventType: target.delivery.eventType,
      deliveryId,
      attempt: context.attempt,
    });
    await this.deliveries.recordAttempt(deliveryId, round, result);
    if (!result.delivered) throw new Error(result.error ?? 'delivery failed');
  }

  async onFailed({ deliveryId, round }: JobPayload<'webhooks.deliver'>, error: Error): Promise<void> {
    await this.deliveries.markDead(deliveryId, round, error.message);
  }
}
