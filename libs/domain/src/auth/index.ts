export * from './api-key-secret';
export * from './api-key.service';
export * from './auth.module';
// The records this module's services return, for the applications' mappers (apps never import @loupe/database).
export type { ApiKeyRow } from '@loupe/database';
