// Cases and routing: why an item is in review, which queue, how urgent, and what feeds it.
export * from './cases/case.service';
export * from './cases/expected-harm';
export * from './cases/intake/appeal.service';
export * from './cases/intake/report.service';
export * from './cases/queue-rules';
export * from './cases/queue.service';
export * from './cases/sla-monitor.service';
// Tasks and leases: what a moderator claims, sees and holds.
export * from './tasks/moderator.service';
export * from './tasks/preview.service';
export * from './tasks/claim.service';
export * from './tasks/task-lease.service';
export * from './tasks/task-view';
// Decisions and finalisation: labels, consensus, what a settled case changes, training labels.
export * from './decisions/appeal-settlement.service';
export * from './decisions/case-finalizer.service';
export * from './decisions/label-export.service';
export * from './decisions/label-rules';
export * from './decisions/review-decision.service';
// Gold: items with a known answer, mixed into the queues and scored.
export * from './gold/gold-injector.service';
export * from './gold/gold-standing.service';
export * from './gold/gold.service';
export * from './review.module';
// The records this module's services return, for the applications' mappers (apps never import @loupe/database).
export type { AppealRow, GoldItemRow, GoldItemStats, ReviewDecisionRow, ReviewQueueRow, ReviewTaskRow, RoutingRuleRow } from '@loupe/database';
