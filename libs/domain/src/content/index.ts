export * from './content-ingest.service';
export * from './content-query.service';
export * from './content.module';
export * from './routing-rules';
