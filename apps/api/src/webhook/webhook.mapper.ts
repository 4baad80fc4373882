import type { CreatedWebhookSubscription, WebhookDeliveryWithEvent, WebhookSubscriptionRow } from '@loupe/domain/webhooks';
import { WebhookCreatedDto, WebhookDeliveryDto, WebhookDto } from './webhook.dto';

export function toWebhookDto(row: WebhookSubscriptionRow): WebhookDto {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    description: row.description,
    enabled: row.enabled,
    secretPrefix: row.secret.slice(0, 10),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toWebhookCreatedDto({ subscription, secret }: CreatedWebhookSubscription): WebhookCreatedDto {
  return { ...toWebhookDto(subscription), secret };
}

export function toWebhookDeliveryDto(row: WebhookDeliveryWithEvent): WebhookDeliveryDto {
  return {
    id: row.id,
    seq: row.seq,
    eventId: row.eventId,
    eventType: row.eventType,
    status: row.status,
    round: row.round,
    attempts: row.attempts,
    lastAttemptAt: row.lastAttemptAt,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    deliveredAt: row.deliveredAt,
    createdAt: row.createdAt,
    event: JSON.parse(row.body) as Record<string, unknown>,
  };
}
