export * from './nsfw-model';
export * from './tf-runtime';
export * from './features/feature-hash';
export * from './features/text-features';
