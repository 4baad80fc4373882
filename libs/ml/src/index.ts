export * from './nsfw-model';
export * from './tf-runtime';
