export * from './audit.module';
export * from './audit.service';
// The records this module's services return, for the applications' mappers (apps never import @loupe/database).
export type { AuditEventRow } from '@loupe/database';
