export * from './policy-catalog.loader';
export * from './policy-scoring';
export * from './policy.module';
export * from './policy.service';
