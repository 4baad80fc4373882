export * from './content-decision.events';
export * from './webhook-delivery.service';
export * from './webhook-event-catalog';
export * from './webhook-events.service';
export * from './webhook-signature';
export * from './webhook-subscription.service';
export * from './webhook-target';
export * from './webhooks.module';
