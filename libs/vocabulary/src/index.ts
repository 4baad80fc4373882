/*
 * The shared vocabulary: the terms that the database schema, the domain and
 * the applications all speak. It imports nothing, so every layer may import it.
 */
export * from './banks';
export * from './content';
export * from './learning';
export * from './policy';
export * from './review';
export * from './roles';
export * from './webhooks';
