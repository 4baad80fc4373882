export * from './case.service';
export * from './expected-harm';
export * from './gold.service';
export * from './intake/appeal.service';
export * from './intake/reach.service';
export * from './intake/report.service';
export * from './label-export.service';
export * from './label-rules';
export * from './moderator.service';
export * from './queue-rules';
export * from './queue.service';
export * from './review-decision.service';
export * from './review.module';
export * from './review.service';
export * from './sla-monitor.service';
// The records this module's services return, for the applications' mappers (apps never import @loupe/database).
export type { AppealRow, GoldItemRow, GoldItemStats, ReviewDecisionRow, ReviewQueueRow, ReviewTaskRow, RoutingRuleRow } from '@loupe/database';
export * from './preview.service';
