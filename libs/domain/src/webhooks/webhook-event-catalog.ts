import type { DecisionSource, Outcome, Severity } from '@loupe/vocabulary';

/** What a content event says about the decision behind it. */
export interface ContentDecisionData {
  contentId: string;
  decisionId: string;
  outcome: Outcome;
  source: DecisionSource;
  reason: string;
  policyIds: string[];
  /** Set on a decision that reverses an earlier one (an appeal overturned). */
  overturnsDecisionId: string | null;
  decidedAt: string;
}

export interface AppealDecidedData {
  appealId: string;
  contentId: string;
  caseId: string;
  outcome: 'upheld' | 'overturned';
  /** The removal that was appealed. */
  appealedDecisionId: string;
  /** The decision the appeal's review recorded. */
  decisionId: string;
  decidedAt: string;
}

export interface ReviewSlaBreachedData {
  caseId: string;
  contentId: string;
  queueId: string;
  severity: Severity;
  priority: number;
  slaDeadline: string;
  detectedAt: string;
}

/**
 * The event types a subscription can ask for, and what each carries in
 * `data`. A later issue adds a type here and publishes it with
 * `WebhookEvents.publish`; the API, the docs and the type checker follow.
 */
export interface WebhookEventPayloads {
  'content.decided': ContentDecisionData;
  'content.removed': ContentDecisionData;
  'content.reinstated': ContentDecisionData & { appealId: string };
  'content.sent_to_review': ContentDecisionData;
  'appeal.decided': AppealDecidedData;
  'review.sla_breached': ReviewSlaBreachedData;
}

export type WebhookEventType = keyof WebhookEventPayloads;

export const WEBHOOK_EVENT_DESCRIPTIONS: { [T in WebhookEventType]: string } = {
  'content.decided': 'Any decision on an item: removed, in review or allowed, by hash, model or human',
  'content.removed': 'An item was removed (the platform must take it down)',
  'content.reinstated': 'An appeal overturned a removal; the item is allowed again',
  'content.sent_to_review': 'A hash or model routed an item to human review',
  'appeal.decided': 'An appeal was upheld or overturned',
  'review.sla_breached': 'A review case passed its SLA deadline undecided',
};

export const WEBHOOK_EVENT_TYPES = Object.keys(WEBHOOK_EVENT_DESCRIPTIONS) as WebhookEventType[];

/** One event to publish: a type and the data that type carries (checked together). */
export type WebhookEventInput = { [T in WebhookEventType]: { type: T; data: WebhookEventPayloads[T] } }[WebhookEventType];

/** The JSON body of a delivery: the same bytes for every attempt and every subscription. */
export function webhookEventBody(id: string, type: WebhookEventType, data: unknown, createdAt: Date): string {
  return JSON.stringify({ id, type, createdAt: createdAt.toISOString(), data });
}
