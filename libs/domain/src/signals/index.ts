export * from './media-error.mapper';
export * from './media-inspector.service';
export * from './signal-extractor.service';
export * from './signals.module';
