export * from './content-ingest.service';
export * from './content-query.service';
export * from './content.module';
export * from './routing-rules';
// The records this module's services return, for the applications' mappers (apps never import @loupe/database).
export type { ContentDecisionRow, ContentRow, ModelScoreRow } from '@loupe/database';
