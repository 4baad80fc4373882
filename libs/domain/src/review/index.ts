export * from './label-rules';
export * from './review.module';
export * from './review.service';
