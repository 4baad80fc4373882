export * from './hash-match.service';
export * from './matching.module';
