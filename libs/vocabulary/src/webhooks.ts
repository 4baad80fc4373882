/* Outgoing webhooks' terms. */

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'dead'] as const;
/** pending: queued or retrying; delivered: a 2xx came back; dead: the retries were spent (replayable). */
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];
