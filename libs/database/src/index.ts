export * from './database-connection';
export * from './database-unavailable';
export * from './database.module';
export * from './database.types';
export * from './transaction-manager';
export * from './repositories/api-key.repository';
export * from './repositories/audit.repository';
export * from './repositories/bank-import.repository';
export * from './repositories/bank-index.repository';
export * from './repositories/bank.repository';
export * from './repositories/content-match.repository';
export * from './repositories/content.repository';
export * from './repositories/decision.repository';
export * from './repositories/policy.repository';
export * from './repositories/review-queue.repository';
export * from './repositories/review-case.repository';
export * from './repositories/moderator.repository';
export * from './repositories/settings.repository';
export * from './repositories/gold.repository';
export * from './repositories/idempotency.repository';
export * from './repositories/report.repository';
export * from './repositories/review-task.repository';
export * from './repositories/training-label.repository';
export type {
  AppealStatus,
  BankAction,
  CaseSource,
  CaseStatus,
  RoutingConditions,
  BankEntrySource,
  BankImportError,
  BankImportStatus,
  BankKind,
  ContentKind,
  ContentStatus,
  DecisionSource,
  LabelProvenance,
  Outcome,
  PolicyLabel,
  PolicyModelInput,
  PolicyNuance,
  ReviewTaskStatus,
  Role,
  ScoreSnapshot,
  Severity,
  SignalType,
} from './schema';
export { APPEAL_STATUSES, CASE_SOURCES, LABEL_PROVENANCES, BANK_ACTIONS, BANK_ENTRY_SOURCES, BANK_KINDS, SIGNAL_TYPES, CONTENT_STATUSES, DECISION_SOURCES, OUTCOMES, ROLES, SEVERITIES } from './schema';
