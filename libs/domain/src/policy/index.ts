export * from './policy-catalog.loader';
export * from './policy-scoring';
export * from './policy.module';
export * from './policy.service';
// The records this module's services return, for the applications' mappers (apps never import @loupe/database).
export type { PolicyRow } from '@loupe/database';
