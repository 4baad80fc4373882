import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { WebhookDeliveryHandler } from './webhook-delivery.handler';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhookEvents } from './webhook-events.service';
import { WebhookOutboxSweeper } from './webhook-outbox.sweeper';
import { WebhookSender } from './webhook.sender';
import { WebhookSubscriptionService } from './webhook-subscription.service';

/**
 * Outgoing webhooks: subscriptions, the outbox of events, signed deliveries
 * through the job queue, the dead-letter list and replays. Other modules
 * import it to publish (`WebhookEvents.publish`).
 */
@Module({
  imports: [AuditModule],
  providers: [WebhookEvents, WebhookSender, WebhookSubscriptionService, WebhookDeliveryService, WebhookDeliveryHandler, WebhookOutboxSweeper],
  exports: [WebhookEvents, WebhookSubscriptionService, WebhookDeliveryService],
})
export class WebhooksModule {}
