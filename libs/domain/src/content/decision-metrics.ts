import type { ContentRow } from '@loupe/database';
import type { LoupeMetrics } from '@loupe/metrics';
import type { ContentStatus } from '@loupe/vocabulary';

/**
 * Counts an item's first decision after upload and its time from upload.
 * Only the move out of received or processing counts: a later human
 * decision or re-check is another story (the review metrics tell it).
 */
export function recordFirstDecision(
  metrics: LoupeMetrics | undefined,
  content: Pick<ContentRow, 'kind' | 'createdAt'>,
  outcome: ContentStatus,
  source: 'hash' | 'model' | 'rule' | 'failure',
): void {
  if (!metrics) return;
  metrics.decisions.inc({ kind: content.kind, outcome, source });
  metrics.timeToDecision.observe({ kind: content.kind, source }, Math.max(0, Date.now() - content.createdAt.getTime()) / 1000);
}
