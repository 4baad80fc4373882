export * from './content-decision.events';
export * from './webhook-delivery.service';
export * from './webhook-event-catalog';
export * from './webhook-events.service';
export * from './webhook-signature';
export * from './webhook-subscription.service';
export * from './webhook-target';
export * from './webhooks.module';
// The records this module's services return, for the applications' mappers (apps never import @loupe/database).
export type { WebhookDeliveryWithEvent, WebhookSubscriptionRow } from '@loupe/database';
export * from './webhook-outbox.sweeper';
