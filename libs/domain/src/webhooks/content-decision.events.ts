import type { ContentDecisionRow } from '@loupe/database';
import type { ContentDecisionData, WebhookEventInput } from './webhook-event-catalog';

/** What a content decision tells the platform, besides `content.decided`. */
export interface ContentDecisionContext {
  /** Whether the item's status moved with this decision (a repeated outcome is only `content.decided`). */
  statusChanged: boolean;
  /** The appeal an overturn settles. */
  appealId?: string;
}

function decisionData(decision: ContentDecisionRow): ContentDecisionData {
  return {
    contentId: decision.contentId,
    decisionId: decision.id,
    outcome: decision.outcome,
    source: decision.source,
    reason: decision.reason,
    policyIds: decision.policyIds,
    overturnsDecisionId: decision.overturnsDecisionId,
    decidedAt: decision.createdAt.toISOString(),
  };
}

/** The events one content decision makes. */
export function contentDecisionEvents(decision: ContentDecisionRow, context: ContentDecisionContext): WebhookEventInput[] {
  const data = decisionData(decision);
  const events: WebhookEventInput[] = [{ type: 'content.decided', data }];
  if (!context.statusChanged) return events;
  if (decision.outcome === 'removed') events.push({ type: 'content.removed', data });
  if (decision.outcome === 'in_review') events.push({ type: 'content.sent_to_review', data });
  if (decision.outcome === 'allowed' && decision.overturnsDecisionId && context.appealId) {
    events.push({ type: 'content.reinstated', data: { ...data, appealId: context.appealId } });
  }
  return events;
}
