export * from './api-keys.schema';
export * from './audit.schema';
export * from './banks.schema';
export * from './contents.schema';
export * from './decisions.schema';
export * from './policies.schema';
export * from './review.schema';
