import { Injectable } from '@nestjs/common';
import { ApiError } from '@loupe/common';
import { LoupeConfig } from '@loupe/config';
import { TransactionManager, WebhookSubscriptionRepository, WebhookSubscriptionRow } from '@loupe/database';
import { AuditService } from '../audit/audit.service';
import type { WebhookEventType } from './webhook-event-catalog';
import { generateWebhookSecret } from './webhook-signature';
import { checkWebhookTarget, WebhookTargetError } from './webhook-target';
import type { Principal } from '@loupe/vocabulary';

export interface WebhookSubscriptionInput {
  url: string;
  events: WebhookEventType[];
  /** Generated when absent. */
  secret?: string;
  description?: string;
  enabled?: boolean;
}

export interface CreatedWebhookSubscription {
  subscription: WebhookSubscriptionRow;
  /** The signing secret, returned once at creation. */
  secret: string;
}

/** Subscriptions to outgoing webhooks; every change is audited, never with the secret. */
@Injectable()
export class WebhookSubscriptionService {
  constructor(
    private readonly subscriptions: WebhookSubscriptionRepository,
    private readonly audit: AuditService,
    private readonly transactions: TransactionManager,
    private readonly config: LoupeConfig,
  ) {}

  async create(input: WebhookSubscriptionInput, actor: Principal): Promise<CreatedWebhookSubscription> {
    await this.checkTarget(input.url);
    const secret = input.secret ?? generateWebhookSecret();
    const subscription = await this.transactions.run(async () => {
      const row = await this.subscriptions.create({
        url: input.url,
        events: [...new Set(input.events)],
        secret,
        description: input.description ?? '',
        enabled: input.enabled ?? true,
        createdBy: actor.id,
      });
      await this.audit.record(actor, 'webhook.create', { type: 'webhook', id: row.id }, { url: row.url, events: row.events, enabled: row.enabled, secretGenerated: !input.secret });
      return row;
    });
    return { subscription, secret };
  }

  list(): Promise<WebhookSubscriptionRow[]> {
    return this.subscriptions.list();
  }

  async get(id: string): Promise<WebhookSubscriptionRow> {
    const row = await this.subscriptions.findById(id);
    if (!row) throw ApiError.notFound('webhook.not_found', `No webhook subscription ${id}`);
    return row;
  }

  async update(id: string, input: Partial<WebhookSubscriptionInput>, actor: Principal): Promise<WebhookSubscriptionRow> {
    if (input.url !== undefined) await this.checkTarget(input.url);
    return this.transactions.run(async () => {
      const before = await this.get(id);
      const after = (await this.subscriptions.update(id, { ...input, ...(input.events ? { events: [...new Set(input.events)] } : {}) }))!;
      const { secret, ...visible } = input;
      await this.audit.record(actor, 'webhook.update', { type: 'webhook', id }, {
        before: { url: before.url, events: before.events, enabled: before.enabled, description: before.description },
        after: visible,
        secretChanged: secret !== undefined,
      });
      return after;
    });
  }

  async delete(id: string, actor: Principal): Promise<void> {
    await this.transactions.run(async () => {
      const row = await this.subscriptions.delete(id);
      if (!row) throw ApiError.notFound('webhook.not_found', `No webhook subscription ${id}`);
      await this.audit.record(actor, 'webhook.delete', { type: 'webhook', id }, { url: row.url, events: row.events });
    });
  }

  private async checkTarget(url: string): Promise<void> {
    try {
      await checkWebhookTarget(url, this.config.webhooks.allowPrivate);
    } catch (error) {
      if (error instanceof WebhookTargetError) throw ApiError.badRequest(error.code, error.message, { url });
      throw error;
    }
  }
}
