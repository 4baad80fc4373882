export * from './sample-history.module';
export * from './sample-history.service';
